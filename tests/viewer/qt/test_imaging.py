"""The imaging pane in a real window: key I opens it on the lateral film, films follow the
animation without holding up the 3D scene, and presenter mode puts the film beside the scene."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from probes import _scene_pixels  # noqa: E402
from PyQt6.QtCore import Qt  # noqa: E402


def _film_pixels(window) -> np.ndarray:
    from PyQt6.QtGui import QImage

    image = window.imaging.picture.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
    return data.reshape(height, image.bytesPerLine())[:, : 3 * width].reshape(height, width, 3)


def test_key_i_opens_the_lateral_film_of_what_is_on_screen(qtbot, window):
    from PyQt6.QtTest import QTest

    assert not window.imaging_dock.isVisible() and window.model.film is None
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_I)
    assert window.model.film == "xray-lateral" and window.menus.imaging.isChecked()
    qtbot.waitUntil(lambda: window.imaging_dock.isVisible() and window.imaging.films_made > 0, timeout=20000)
    film = _film_pixels(window)
    bright = (film.mean(axis=-1) > 150).mean()
    assert 0.03 < bright < 0.6, "bone is drawn white on a black film"
    assert window.imaging.shown[0] is window.pipeline.posed
    QTest.keyClick(window, Qt.Key.Key_I)
    assert window.model.film is None and not window.imaging_dock.isVisible()


def test_the_film_follows_a_slip_and_ends_on_the_state_the_scene_ends_on(qtbot, window):
    window.model.film = "xray-lateral"
    qtbot.waitUntil(lambda: window.imaging.films_made > 0, timeout=20000)
    before = window.imaging.films_made
    window.pathology.toggles["slip_percent"].click()
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=20000)
    qtbot.waitUntil(lambda: window.imaging.shown[0] is window.pipeline.posed
                    and window.imaging.settled(), timeout=20000)
    assert window.imaging.films_made >= before + 2, "films are made while the slip animates"
    assert window.imaging.shown[2]["meyerding_grade"] == "II"  # the film's overlay prints the scene's readouts


def test_choosing_a_film_in_the_pane_sets_the_model_and_the_overlay_applies_to_the_lateral_and_obliques(qtbot,
                                                                                                        window):
    window.model.film = "xray-lateral"
    qtbot.waitUntil(lambda: window.imaging.films_made > 0, timeout=20000)
    box = window.imaging.modality_box
    box.setCurrentIndex(box.findData("xray-oblique-left"))
    assert window.model.film == "xray-oblique-left"
    assert window.imaging.overlay_box.isEnabled(), "the oblique names the Scottie dog's parts"
    box.setCurrentIndex(box.findData("xray-ap"))
    assert not window.imaging.overlay_box.isEnabled()
    box.setCurrentIndex(box.findData("xray-oblique-left"))
    assert "collar" in window.imaging.reading.toPlainText(), "how to read the oblique: the Scottie dog"
    qtbot.waitUntil(lambda: window.imaging.shown[3] == "xray-oblique-left", timeout=20000)
    window.model.film_overlay = False
    assert not window.imaging.overlay_box.isChecked()


def test_presenting_puts_the_film_beside_the_scene(qtbot, window):
    window.model.film = "xray-lateral"
    window.presenter.toggle(True)
    qtbot.waitUntil(lambda: window.isFullScreen(), timeout=3000)
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.imaging_dock.isVisible()
                    and window.imaging_dock.width() > 0.35 * screen.width(), timeout=5000)
    assert not window.explanation_dock.isVisible() and not window.pathology_dock.isVisible()
    assert not window.imaging.reading.isVisible(), "presenting, the film alone"
    assert window.canvas.x() < window.imaging_dock.x(), "3D on the left, the film on the right"
    window.model.film = None
    qtbot.waitUntil(lambda: window.canvas.width() > 0.9 * screen.width(), timeout=5000)
    window.presenter.toggle(False)


def test_a_lesson_step_with_an_image_shows_that_film_and_the_next_step_puts_it_away(qtbot, window):
    from annotations.lessons import bundled

    window.lesson_dock.open_lesson(str(bundled()[0]))
    steps = window.player.lesson.steps
    at = next(i for i, s in enumerate(steps) if s.image == "xray-lateral")
    window.player.go(at)
    assert window.model.film == "xray-lateral" and window.imaging_dock.isVisible()
    qtbot.waitUntil(lambda: window.imaging.films_made > 0, timeout=20000)
    bare = next(i for i in range(at + 1, len(steps)) if steps[i].image is None)
    window.player.go(bare)
    assert window.model.film is None and not window.imaging_dock.isVisible()
    window.lesson_dock.close_lesson()


def _frame_pixels(window) -> int:
    """How many scene pixels are drawn in the slice frame's colour."""
    from viewer.scene.slice_outline import SLICE_COLOUR
    from viewer.scene.style import rgb

    window.canvas.render()
    pixels = _scene_pixels(window).astype(int)
    return int((np.abs(pixels - 255 * rgb(SLICE_COLOUR)).max(axis=-1) < 12).sum())


def test_an_mri_film_draws_its_slice_in_the_scene_and_its_slider_moves_both(qtbot, window):
    from meshes.slice_planes import slice_plane

    assert _frame_pixels(window) == 0, "no film, no slice frame"
    window.model.film = "mri-foramen-left"
    qtbot.waitUntil(lambda: window.imaging.films_made > 0 and window.imaging.settled(), timeout=20000)
    assert window.imaging.slice_row.isVisible()
    assert _frame_pixels(window) > 300, "the foraminal slice's frame is drawn in the oblique view"
    window.imaging.slice_slider.setValue(-8)  # the pane's own slider, 8 mm toward the patient's left
    assert window.model.slice_mm == -8.0 and window.imaging.slice_label.text() == "8 mm lateral to the foramen"
    qtbot.waitUntil(lambda: window.imaging.shown[-1] == -8.0 and window.imaging.settled(), timeout=20000)
    expected = slice_plane(window.rest, window.pipeline.posed, "mri-foramen-left", -8.0)
    assert np.allclose(window.scene.slice_plane.origin, expected.origin), "the scene's frame is the film's plane"
    window.model.film = "xray-lateral"
    assert window.model.slice_mm == 0.0 and not window.imaging.slice_row.isVisible()
    assert window.scene.slice_plane is None and _frame_pixels(window) == 0, "a radiograph has no slice"


def test_the_axial_cut_follows_the_axial_slice_and_goes_back_without_it(qtbot, window):
    from meshes.slice_planes import slice_plane

    window.animator.animate("herniation", 0.75)
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=20000)
    window.set_clip("axial")
    cut = window.scene.planes["axial"]
    standard = np.array(cut.GetOrigin())
    window.model.film = "mri-axial"
    window.model.slice_mm = 5.0
    plane = slice_plane(window.rest, window.pipeline.posed, "mri-axial", 5.0)
    assert np.allclose(cut.GetOrigin(), plane.origin) and np.allclose(cut.GetNormal(), plane.normal * -1.0), \
        "the cut lies in the slice, keeping what is above it (seen from the feet, as the slice is)"
    assert not window.scene.slice_outline.wash.GetVisibility(), "the cut face is the slice: no wash over it"
    qtbot.waitUntil(lambda: window.imaging.shown is not None and window.imaging.shown[-1] == 5.0
                    and window.imaging.settled(), timeout=20000)
    window.model.film = None
    assert np.allclose(cut.GetOrigin(), standard), "without a slice the cut is back in the disc's mid-plane"
