"""The window itself in a real X screen: it opens, fits the screen and renders at any scale."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from probes import _background_share, _l5_body_front, _opengl_renderer_seen_by_qt, _projected, _scene_pixels  # noqa: E402
from PyQt6.QtCore import Qt  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from viewer.scene.style import BACKGROUND, rgb  # noqa: E402


def test_window_opens_and_shows_the_scene(window):
    assert "L5–S1" in window.windowTitle()
    image = _scene_pixels(window)
    background = (np.abs(image[..., :3].astype(int) - 255 * rgb(BACKGROUND)).max(axis=-1) < 6).mean()
    assert 0.3 < background < 0.95


def test_multisampling_is_off_under_software_opengl_and_on_a_gpu(window):
    from viewer.qt.canvas import GPU_MULTISAMPLES

    renderer = _opengl_renderer_seen_by_qt().lower()
    software = any(name in renderer for name in ("llvmpipe", "softpipe", "swrast"))
    assert window.software_rendering == software, renderer
    samples = window.plotter.render_window.GetMultiSamples()
    # Each machine checks the branch it has: 0 under llvmpipe (CI), GPU_MULTISAMPLES on a GPU.
    assert samples == (0 if software else GPU_MULTISAMPLES)


def test_the_annotation_title_wraps_between_words(qtbot, window):
    """The dock is narrow: a long title wraps at its spaces, never inside a word."""
    window.model.set("slip_percent", 20.0)
    qtbot.waitUntil(lambda: "Isthmic spondylolisthesis" in window.explanation.annotation_view.toPlainText())
    view = window.explanation.annotation_view
    view.document().setTextWidth(view.viewport().width())
    block = view.document().firstBlock()
    text, layout = block.text(), block.layout()
    assert text == "Isthmic spondylolisthesis"
    for i in range(layout.lineCount() - 1):
        end = layout.lineAt(i).textStart() + layout.lineAt(i).textLength()
        assert text[end - 1] == " " or text[end] == " ", f"broken after {text[:end]!r}"


def test_render_scale_renders_fewer_pixels_and_still_fills_and_picks(qtbot, window):
    canvas = window.canvas
    full = canvas.render_size()
    background_full = _background_share(_scene_pixels(window))
    canvas.set_render_scale(0.5)
    canvas.render()
    half = canvas.render_size()
    assert abs(half[0] - full[0] / 2) <= 1 and abs(half[1] - full[1] / 2) <= 1
    shown = _scene_pixels(window)
    assert shown.shape[:2] == (canvas.height(), canvas.width()), "the picture is scaled up to the widget"
    assert abs(_background_share(shown) - background_full) < 0.03, "the same picture, just softer"
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=_projected(window, _l5_body_front(window)))
    assert window.model.get("selection") == "body"


def test_the_command_line_state_opens_the_window_posed_and_on_screen(qtbot):
    from meshes.pathology import Pathology
    from viewer.qt.app import open_window

    window = open_window(Pathology(30.0, 0.0, "foraminal", "right", 0.6))
    qtbot.addWidget(window)
    try:
        qtbot.waitExposed(window)
        assert window.model.degeneration == 0.6 and window.model.slip_percent == 30.0
        assert window.model.get("zone") == "foraminal" and window.model.get("side") == "right"
        assert window.pathology.toggles["degeneration"].isChecked()
        assert window.pathology.sliders["degeneration"].value() == 600
        # The posed geometry is what the readouts measure: a settled disc, a slip of about 30%.
        assert abs(window.pipeline.readouts["slip_percent"] - 30.0) < 2.0
        assert window.pipeline.readouts["disc_height_posterior_mm"] < window.rest.disc_mm - 1.0
        room = window.screen().availableGeometry()
        assert window.width() <= room.width() and window.height() <= room.height()
    finally:
        window.close()
        QApplication.processEvents()


def test_the_window_fits_a_1366x768_laptop_screen(qtbot, window):
    # School laptops and many projectors: the docks scroll rather than push the window off-screen.
    window.resize(1366, 728)  # a 768-pixel screen less a taskbar
    qtbot.waitUntil(lambda: window.height() == 728, timeout=2000)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728
    assert window.canvas.height() > 400, "the scene keeps most of the height"
    window.dermatome_dock.raise_()
    QApplication.processEvents()
    assert window.dermatomes.figure.height() >= window.dermatomes.figure.minimumHeight()
