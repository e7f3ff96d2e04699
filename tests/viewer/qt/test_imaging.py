"""The imaging pane in a real window: key I opens it on the lateral film, films follow the
animation without holding up the 3D scene, and presenter mode puts the film beside the scene."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

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
                    and window.imaging._waiting is None and not window.imaging._busy, timeout=20000)
    assert window.imaging.films_made >= before + 2, "films are made while the slip animates"
    assert window.imaging.shown[2]["meyerding_grade"] == "II"  # the film's overlay prints the scene's readouts


def test_choosing_a_film_in_the_pane_sets_the_model_and_the_overlay_only_applies_to_the_lateral(qtbot, window):
    window.model.film = "xray-lateral"
    qtbot.waitUntil(lambda: window.imaging.films_made > 0, timeout=20000)
    box = window.imaging.modality_box
    box.setCurrentIndex(box.findData("xray-oblique-left"))
    assert window.model.film == "xray-oblique-left"
    assert not window.imaging.overlay_box.isEnabled()
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
    window.player.go(at + 1)
    assert steps[at + 1].image is None and window.model.film is None and not window.imaging_dock.isVisible()
    window.lesson_dock.close_lesson()
