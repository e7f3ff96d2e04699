"""Presenter mode, accessibility and lessons in a real window, driven by the keys a clicker sends."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from probes import _scene_pixels  # noqa: E402
from PyQt6.QtCore import Qt  # noqa: E402

from meshes.pathology import STAGES  # noqa: E402
from viewer.scene.style import rgb  # noqa: E402


def test_presenter_mode_keys_overlay_blackout_and_turntable(qtbot, window):
    from PyQt6.QtTest import QTest

    from annotations.lessons import bundled

    with qtbot.waitActive(window):
        window.activateWindow()
    window.lesson_dock.open_lesson(str(bundled()[0]))
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert window.presenter.presenting and window.isFullScreen()
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.canvas.width() >= 0.95 * screen.width(), timeout=3000)  # the scene fills it
    assert not window.menuBar().isVisible() and not window.lesson_dock.isVisible()
    assert window.presenter.overlay.isVisible() and window.presenter.overlay.caption == "The base of the spine"
    # Readable from the back of a room: the caption is over 4% of the screen's height (43 px at 1080p).
    assert window.presenter.overlay.caption_px() >= 0.04 * screen.height()
    QTest.keyClick(window, Qt.Key.Key_Space)
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert window.player.index == 2 and window.presenter.overlay.caption.startswith("The disc")
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    assert window.player.index == 1
    big = window.presenter.overlay.caption_px()
    QTest.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.presenter.overlay.caption_px() > big
    pixels = _scene_pixels(window)
    caption_band = pixels[int(0.02 * pixels.shape[0]): int(0.07 * pixels.shape[0])]
    assert (caption_band.min(axis=-1) > 230).mean() > 0.01, "white caption text is drawn over the scene"
    QTest.keyClick(window, Qt.Key.Key_B)
    assert window.presenter.blackout.isVisible()
    black = window.grab().toImage()
    assert black.pixelColor(black.width() // 2, black.height() // 2).name() == "#000000"
    QTest.keyClick(window, Qt.Key.Key_B)
    assert not window.presenter.blackout.isVisible()
    cam = window.plotter.camera
    before = np.array(cam.position)
    QTest.keyClick(window, Qt.Key.Key_A)
    qtbot.wait(600)
    QTest.keyClick(window, Qt.Key.Key_A)
    assert np.linalg.norm(np.array(cam.position) - before) > 1.0, "the turntable turned the camera"
    assert not window.presenter.turntable.isActive()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presenter.presenting and window.menuBar().isVisible() and window.lesson_dock.isVisible()


def test_colour_blind_palette_keeps_root_states_apart_for_deuteranopes(window):
    from viewer.scene.style import PALETTES

    # Machado et al. 2009, full deuteranopia, applied in linear RGB.
    m = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]])

    def seen(hex_colour: str) -> np.ndarray:
        c = rgb(hex_colour)
        linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return np.clip(m @ linear, 0, 1) ** (1 / 2.2)

    def closest_pair(palette: dict) -> float:
        states = [seen(palette[k]) for k in ("root", "compressed", "inflamed")]
        return min(np.linalg.norm(a - b) for i, a in enumerate(states) for b in states[i + 1:])

    assert closest_pair(PALETTES["colour-blind"]) > 0.3
    assert closest_pair(PALETTES["colour-blind"]) > 2 * closest_pair(PALETTES["standard"])
    window.model.set("herniation", STAGES["extrusion"])
    window.pipeline.frame()
    window.menus.palette.trigger()
    colours = np.asarray(window.scene.meshes["root_S1_left"].point_data["colours"])
    squeezed = colours[np.argmax(window.pipeline.posed.scalars["root_S1_left"]["compression"])]
    assert np.abs(squeezed.astype(int) - 255 * rgb(PALETTES["colour-blind"]["compressed"])).max() < 40
    assert PALETTES["colour-blind"]["text"] in window.explanation.readout_label.text()


def test_a_lesson_steps_with_the_clicker_keys_and_animates(qtbot, window, tmp_path):
    from PyQt6.QtTest import QTest

    from annotations.lessons import bundled

    bad = tmp_path / "bad.toml"
    bad.write_text('[lesson]\ntitle = "x"\nsources = ["y"]\n[[step]]\ntitle = "a"\ntext = "b"\nview = "up"\n')
    assert not window.lesson_dock.open_lesson(str(bad))
    assert f"{bad}:7: unknown view 'up'" in window.lesson_dock.problems
    assert window.lesson_dock.open_lesson(str(bundled()[0]))
    steps = len(window.player.lesson.steps)
    assert window.lesson_dock.isVisible() and f"Step 1 of {steps}" in window.lesson_dock.step_label.text()
    with qtbot.waitActive(window):
        window.activateWindow()
    for _ in range(7):
        QTest.keyClick(window, Qt.Key.Key_PageDown)
    # Step 8: a subarticular extrusion, seen in the axial cut, animating toward its target.
    assert window.player.index == 7 and window.model.get("clip") == "axial"
    qtbot.waitUntil(lambda: window.model.herniation == STAGES["extrusion"], timeout=5000)
    qtbot.waitUntil(lambda: window.pipeline.readouts["roots"]["root_S1_left"]["compressed"], timeout=2000)
    assert "protrusion, then extrusion" in window.lesson_dock.step_view.toPlainText()
    QTest.keyClick(window, Qt.Key.Key_Left)
    assert window.player.index == 6
    # Step 7: the bulge, taught as part of disc degeneration (no herniation).
    qtbot.waitUntil(lambda: window.model.herniation == 0.0 and window.model.degeneration == 0.5, timeout=5000)
    window.lesson_dock.close_lesson()
    assert not window.lesson_dock.isVisible()
