"""The window in a real X screen (pytest-qt under Xvfb): toggles, sliders, readouts, pixels."""

from __future__ import annotations

import gc

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PyQt6.QtCore import QAbstractAnimation, QPoint, Qt, QTimer  # noqa: E402
from PyQt6.QtGui import QImage  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from meshes.conditions import by_field  # noqa: E402
from meshes.pathology import STAGES  # noqa: E402
from meshes.pose import prepare  # noqa: E402
from viewer.style import BACKGROUND, rgb  # noqa: E402
from viewer.window import MainWindow  # noqa: E402

SLIP_TARGET = by_field("slip_percent").teaching
HERNIATION_TARGET = by_field("herniation").teaching


@pytest.fixture(scope="module")
def rest(segment):
    return prepare(segment)


@pytest.fixture
def window(qtbot, rest):
    w = MainWindow(rest)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    QApplication.processEvents()
    gc.collect()
    # Nothing outlives the window: no render window, interactor, running animation or active timer.
    assert w.canvas.plotter.render_window is None and w.canvas.plotter.iren is None
    assert not w.animator.running()
    assert not [t for t in w.findChildren(QTimer) if t.isActive()]
    assert not [a for a in w.findChildren(QAbstractAnimation)
                if a.state() == QAbstractAnimation.State.Running]
    assert w.model.subscriptions() == 0, "every part let go of the model"


def _scene_pixels(w) -> np.ndarray:
    """What the window shows in its scene widget, read from the widget itself (RGB, top row first)."""
    QApplication.processEvents()
    image = w.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
    return rows.reshape(image.height(), image.bytesPerLine())[:, : 3 * image.width()].reshape(
        image.height(), image.width(), 3)


def _projected(w, point) -> QPoint:
    """Widget position where world ``point`` is drawn."""
    renderer = w.plotter.renderer
    renderer.SetWorldPoint(*point, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return w.canvas.to_widget(x, y).toPoint()


def _l5_body_front(w) -> np.ndarray:
    body = w.scene.meshes["L5"]
    region = w.rest.segment.structures["L5"].cell_data["region"]
    centres = body.cell_centers().points
    front = np.flatnonzero(region == 0)
    return centres[front[np.argmax(centres[front, 1])]]


def test_window_opens_and_shows_the_scene(window):
    assert "L5–S1" in window.windowTitle()
    image = _scene_pixels(window)
    background = (np.abs(image[..., :3].astype(int) - 255 * rgb(BACKGROUND)).max(axis=-1) < 6).mean()
    assert 0.3 < background < 0.95


def test_slip_toggle_animates_to_grade_ii_and_reverses_mid_way(qtbot, window):
    start = window.scene.meshes["L5"].points.copy()
    qtbot.mouseClick(window.pathology.toggles["slip_percent"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 5.0 < window.model.slip_percent < SLIP_TARGET - 5.0, timeout=3000)
    middle = window.model.slip_percent
    # Intermediate frames differ: the L5 drawn on screen moves.
    qtbot.waitUntil(lambda: np.abs(window.scene.meshes["L5"].points - start).max() > 1.0, timeout=1000)
    qtbot.mouseClick(window.pathology.toggles["slip_percent"], Qt.MouseButton.LeftButton)  # off again, mid-animation
    qtbot.waitUntil(lambda: window.model.slip_percent < middle - 1.0, timeout=3000)
    qtbot.waitUntil(lambda: window.model.slip_percent == 0.0, timeout=5000)
    assert not window.pathology.toggles["slip_percent"].isChecked()
    qtbot.waitUntil(lambda: np.allclose(window.scene.meshes["L5"].points, start), timeout=1000)
    qtbot.mouseClick(window.pathology.toggles["slip_percent"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.slip_percent == SLIP_TARGET, timeout=5000)
    qtbot.waitUntil(lambda: window.pipeline.readouts["meyerding_grade"] == "II", timeout=1000)


def test_herniation_toggle_reaches_extrusion_and_sliders_follow(qtbot, window):
    window.pathology.toggles["herniation"].click()
    qtbot.waitUntil(lambda: window.model.herniation == HERNIATION_TARGET, timeout=5000)
    assert window.pathology.sliders["herniation"].value() == round(HERNIATION_TARGET * 1000)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=1000)
    # Dragging the slider back to zero sets the model, and the toggle follows.
    window.pathology.sliders["herniation"].setValue(0)
    assert window.model.herniation == 0.0
    assert not window.pathology.toggles["herniation"].isChecked()
    window.pathology.sliders["slip_percent"].setValue(300)
    assert window.model.slip_percent == 30.0 and window.pathology.toggles["slip_percent"].isChecked()


def test_a_compressed_root_is_named_in_red(qtbot, window):
    window.model.set("zone", "foraminal")
    window.model.set("herniation", HERNIATION_TARGET)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    html = window.explanation.readout_label.text()
    assert "L5 left root compressed" in html
    line = next(row for row in html.split("<br>") if "L5 left" in row)
    assert "color:#e0402a" in line
    assert "color" not in next(row for row in html.split("<br>") if "L5 right" in row)
    assert window.pathology.zone_box.currentText() == "foraminal"


def _opengl_renderer_seen_by_qt() -> str:
    """GL_RENDERER from a context Qt makes itself: a second opinion beside VTK's report."""
    from PyQt6.QtGui import QOffscreenSurface, QOpenGLContext
    from PyQt6.QtOpenGL import QOpenGLVersionFunctionsFactory, QOpenGLVersionProfile

    context, surface = QOpenGLContext(), QOffscreenSurface()
    surface.create()
    assert context.create() and context.makeCurrent(surface)
    profile = QOpenGLVersionProfile()
    profile.setVersion(2, 0)
    try:
        return QOpenGLVersionFunctionsFactory.get(profile, context).glGetString(0x1F01)  # GL_RENDERER
    finally:
        context.doneCurrent()
        surface.destroy()


def test_multisampling_is_off_under_software_opengl_and_on_a_gpu(window):
    from viewer.canvas import GPU_MULTISAMPLES

    renderer = _opengl_renderer_seen_by_qt().lower()
    software = any(name in renderer for name in ("llvmpipe", "softpipe", "swrast"))
    assert window.software_rendering == software, renderer
    samples = window.plotter.render_window.GetMultiSamples()
    # Each machine checks the branch it has: 0 under llvmpipe (CI), GPU_MULTISAMPLES on a GPU.
    assert samples == (0 if software else GPU_MULTISAMPLES)


def test_the_annotation_panel_follows_the_active_condition_and_selection(qtbot, window):
    assert "Fifth lumbar vertebra" in window.explanation.annotation_view.toPlainText()
    window.model.set("slip_percent", 20.0)
    assert "Isthmic spondylolisthesis" in window.explanation.annotation_view.toPlainText()
    window.model.set("herniation", 0.5)
    text = window.explanation.annotation_view.toPlainText()
    assert "Disc herniation" in text and "Why it hurts" in text and "Sources" in text
    window.model.set("selection", "pars_left")
    assert "Pars interarticularis" in window.explanation.annotation_view.toPlainText()


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


def test_structure_tree_hides_ghosts_and_selects(qtbot, window):
    s1 = window.structures.items["S1"]
    s1.setCheckState(0, Qt.CheckState.Unchecked)
    assert window.model.get("visible")["S1"] is False
    assert not window.scene.actors["S1"].GetVisibility()
    before = _scene_pixels(window)
    window.model.set_visible("S1", True)
    assert s1.checkState(0) == Qt.CheckState.Checked and window.scene.actors["S1"].GetVisibility()
    assert np.abs(_scene_pixels(window).astype(int) - before.astype(int)).max() > 50, "S1 is drawn again"
    window.structures.ghost_box.setChecked(True)
    assert window.scene.actors["L5"].prop.opacity < 0.5 and window.scene.actors["S1"].prop.opacity < 0.5
    window.structures.tree.setCurrentItem(window.structures.items["pedicle_left"])
    assert window.model.get("selection") == "pedicle_left"
    assert "Pedicles" in window.explanation.annotation_view.toPlainText()


def test_clicking_a_structure_on_screen_selects_it(qtbot, window):
    window.model.set("view", "anterior")
    qtbot.waitUntil(lambda: window.director.animation.state() != window.director.animation.State.Running, timeout=2000)
    # A point on the front of the L5 body, projected to the screen.
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=_projected(window, _l5_body_front(window)))
    qtbot.waitUntil(lambda: window.model.get("selection") == "body", timeout=2000)
    assert "Vertebral body" in window.explanation.annotation_view.toPlainText()
    assert window.scene.actors["L5"].prop.ambient > window.scene.actors["S1"].prop.ambient


def test_view_presets_glide_and_export_writes_the_posed_meshes(qtbot, window, tmp_path):
    cam = window.plotter.camera
    start = np.array(cam.position)
    seen = []  # the camera's positions as the glide's frames are drawn
    window.model.set("view", "posterior")
    window.director.animation.valueChanged.connect(lambda _v: seen.append(np.array(cam.position)))
    qtbot.waitUntil(lambda: window.director.animation.state() != window.director.animation.State.Running, timeout=3000)
    end = np.array(cam.position)
    # Glides: passes through positions between the two ends (however slowly frames come).
    between = [p for p in seen if np.linalg.norm(p - start) > 1.0 and np.linalg.norm(end - p) > 1.0]
    assert between, "the camera glides"
    assert (end - np.array(cam.focal_point))[1] < 0, "the posterior view looks from behind"
    window.model.set("slip_percent", 30.0)
    qtbot.waitUntil(lambda: window.pipeline.readouts["slip_percent"] > 25.0, timeout=2000)
    out = window.dialogs.export_to(str(tmp_path / "lesson"))
    import json

    manifest = json.loads((tmp_path / "lesson" / "manifest.json").read_text())
    assert out and manifest["state"]["slip_percent"] == 30.0


def test_ctrl_e_exports_the_scene_as_glb_in_the_colours_on_screen(qtbot, window, tmp_path, monkeypatch):
    import trimesh
    from PyQt6.QtWidgets import QFileDialog, QInputDialog

    asked = []

    def choose(_parent, _title, _label, items, *_args):
        asked.append(items)
        return next(i for i in items if i.startswith("glb")), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(tmp_path / "out")))
    window.model.set("degeneration", 1.0)
    qtbot.waitUntil(lambda: window.pipeline.posed is not None and window.pipeline.posed.degeneration == 1.0,
                    timeout=3000)
    from PyQt6.QtTest import QTest

    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (tmp_path / "out" / "segment.glb").exists(), timeout=20000)
    assert [i.split(":")[0] for i in asked[0]] == ["glb", "vtp", "stl", "ply", "obj"]
    scene = trimesh.load(tmp_path / "out" / "segment.glb", process=False)
    annulus = scene.geometry[scene.graph["disc_annulus"][1]]
    # The dehydrated disc as drawn: the degenerated grey, not the healthy blue-grey.
    assert list(annulus.visual.material.baseColorFactor[:3]) == [0x56, 0x65, 0x6D]
    assert "Exported to" in window.statusBar().currentMessage()


def _settle_camera(qtbot, w) -> None:
    if w.director.animation is not None:
        qtbot.waitUntil(lambda: w.director.animation.state() != w.director.animation.State.Running, timeout=2000)


def test_a_drag_rotates_the_camera_and_a_click_selects_on_release(qtbot, window):
    canvas = window.canvas
    cam = window.plotter.camera
    before = np.array(cam.position) - np.array(cam.focal_point)
    start = canvas.rect().center()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        qtbot.mouseMove(canvas, start + QPoint(15 * step, 0))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(150, 0))
    after = np.array(cam.position) - np.array(cam.focal_point)
    angle = np.degrees(np.arccos(np.dot(before, after) / np.linalg.norm(before) / np.linalg.norm(after)))
    assert angle > 20.0, "dragging across the scene turns the camera"
    assert window.model.get("selection") is None, "a drag is not a click"
    # A click selects when the button comes up, not when it goes down.
    window.reset_view()
    _settle_camera(qtbot, window)
    target = _projected(window, _l5_body_front(window))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=target)
    assert window.model.get("selection") is None
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=target)
    assert window.model.get("selection") == "body"


def test_the_wheel_zooms(qtbot, window):
    from PyQt6.QtCore import QPointF
    from PyQt6.QtGui import QWheelEvent

    cam = window.plotter.camera
    distance = cam.distance
    centre = QPointF(window.canvas.rect().center())
    for _ in range(3):
        event = QWheelEvent(centre, QPointF(window.canvas.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(window.canvas, event)
    assert cam.distance < 0.9 * distance


def test_hovering_names_the_structure_under_the_mouse(qtbot, window):
    target = _projected(window, _l5_body_front(window))
    qtbot.mouseMove(window.canvas, target)
    qtbot.waitUntil(lambda: window.hover_name == "Body", timeout=3000)
    qtbot.mouseMove(window.canvas, QPoint(3, 3))  # the background in a corner
    qtbot.waitUntil(lambda: window.hover_name == "", timeout=3000)


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


def _background_share(image: np.ndarray) -> float:
    return float((np.abs(image[..., :3].astype(int) - 255 * rgb(BACKGROUND)).max(axis=-1) < 6).mean())


def _colour_distance(pixel: np.ndarray, hex_colour: str) -> float:
    return float(np.abs(pixel.astype(float) - 255 * rgb(hex_colour)).max())


def _region_centre(w, region: str) -> np.ndarray:
    from meshes.vertebra_l5 import L5_REGIONS

    l5 = w.rest.segment.structures["L5"]
    cells = np.flatnonzero(np.asarray(l5.cell_data["region"]) == L5_REGIONS.index(region))
    return np.asarray(l5.cell_centers().points)[cells].mean(axis=0)


@pytest.mark.parametrize(("clip", "structure"), [("sagittal", "L5"), ("axial", "disc_nucleus")])
def test_cuts_show_solid_capped_faces(qtbot, window, clip, structure):
    from viewer.style import COLOURS, CUT_FACES

    if structure == "L5":
        inside = _region_centre(window, "body")
        inside[0] = window.scene.planes["sagittal"].GetOrigin()[0] + 0.5
    else:
        inside = np.asarray(window.rest.disc_centre)
    window.model.set("labels", False)  # a leader may end on the cut face, where the probe looks
    window.structures.clip_box.setCurrentIndex(window.structures.clip_box.findData(clip))
    assert window.model.get("clip") == clip
    _settle_camera(qtbot, window)
    image = _scene_pixels(window)
    at = _projected(window, inside)
    patch = image[at.y() - 3: at.y() + 4, at.x() - 3: at.x() + 4].reshape(-1, 3)
    # Every pixel of the patch is the flat cut-face colour, not the surface colour: a solid cap.
    assert max(_colour_distance(p, CUT_FACES[structure]) for p in patch) < 40
    assert min(_colour_distance(p, COLOURS[structure]) for p in patch) > 25
    window.next_clip() if clip == "sagittal" else window.set_clip(None)
    assert window.model.get("clip") == ("axial" if clip == "sagittal" else None)


def test_hiding_an_l5_region_removes_only_its_cells_and_picking_still_maps(qtbot, window):
    from meshes.vertebra_l5 import L5_REGIONS

    l5 = window.scene.meshes["L5"]
    region = np.asarray(window.rest.segment.structures["L5"].cell_data["region"])
    spinous = int((region == L5_REGIONS.index("spinous_process")).sum())
    total = l5.n_cells
    window.structures.items["spinous_process"].setCheckState(0, Qt.CheckState.Unchecked)
    assert window.model.get("visible")["spinous_process"] is False
    assert l5.n_cells == total - spinous
    window.reset_view()
    _settle_camera(qtbot, window)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=_projected(window, _l5_body_front(window)))
    assert window.model.get("selection") == "body", "cell ids are mapped back to regions"
    window.model.show_all()
    assert l5.n_cells == total
    assert window.structures.items["spinous_process"].checkState(0) == Qt.CheckState.Checked


def test_isolate_opacity_and_ghost(qtbot, window):
    window.structures.tree.setCurrentItem(window.structures.items["root_S1_left"])
    window.structures.isolate_button.click()
    shown = [n for n, a in window.scene.actors.items() if a.GetVisibility()]
    assert shown == ["root_S1_left"]
    assert window.structures.items["L5"].checkState(0) == Qt.CheckState.Unchecked
    window.model.show_all()
    window.structures.tree.setCurrentItem(window.structures.items["disc_annulus"])
    window.structures.opacity_slider.setValue(40)
    assert window.scene.actors["disc_annulus"].prop.opacity == pytest.approx(0.4)
    assert "Disc annulus" in window.structures.opacity_label.text()
    window.structures.tree.setCurrentItem(window.structures.items["pars_left"])  # a region: the slider acts on the L5
    assert window.structures.opacity_slider.value() == 100 and "L5" in window.structures.opacity_label.text()
    window.structures.opacity_slider.setValue(70)
    window.structures.ghost_box.setChecked(True)
    assert window.scene.actors["L5"].prop.opacity == pytest.approx(0.25)
    window.structures.ghost_box.setChecked(False)
    assert window.scene.actors["L5"].prop.opacity == pytest.approx(0.7)
    assert window.scene.actors["disc_annulus"].prop.opacity == pytest.approx(0.4)


def test_labels_switch_on_and_off_and_follow_the_camera(qtbot, window):
    captions = window.scene.labels.captions
    assert window.model.get("labels"), "labels are on when the window opens"
    window.canvas.render()
    shown = {t for t, c in captions.items() if c.GetVisibility()}
    assert {"L5", "S1", "L5–S1 disc"} <= shown
    with_labels = _scene_pixels(window)
    window.menus.labels.trigger()  # the L shortcut's action
    assert window.model.get("labels") is False
    window.canvas.render()
    assert not any(c.GetVisibility() for c in captions.values())
    without = _scene_pixels(window)
    assert (np.abs(with_labels.astype(int) - without.astype(int)).max(axis=-1) > 60).sum() > 200
    window.model.set("labels", True)
    assert window.menus.labels.isChecked()
    # Each leader ends on its structure: the anchor is a vertex of the mesh drawn now.
    caption = captions["L5"]
    window.canvas.render()
    anchor = np.array(caption.GetAttachmentPoint())
    assert np.linalg.norm(np.asarray(window.scene.meshes["L5"].points) - anchor, axis=1).min() < 1e-6
    # From behind, the L5 is labelled on its spinous process, not through the body.
    window.model.set("view", "posterior")
    _settle_camera(qtbot, window)
    window.canvas.render()
    assert np.array(caption.GetAttachmentPoint())[1] < anchor[1] - 30.0


def test_file_screenshot_keeps_the_windows_camera_cut_and_labels(qtbot, window, tmp_path):
    from PIL import Image

    window.set_clip("axial")
    _settle_camera(qtbot, window)
    out = window.dialogs.save_screenshot(str(tmp_path / "shot.png"), size=(960, 540))
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (540, 960, 3)
    from viewer.style import CUT_FACES

    nucleus_cut = (np.abs(image.astype(int) - 255 * rgb(CUT_FACES["disc_nucleus"])).max(axis=-1) < 30).mean()
    assert nucleus_cut > 0.01, "the axial cut through the disc shows in the saved picture"
    assert window.dialogs.save_screenshot(str(tmp_path / "missing" / "x.png")) == ""
    assert "not saved" in window.statusBar().currentMessage()


def test_a_toggle_shows_on_when_an_animation_it_did_not_start_arrives(qtbot, window):
    window.animator.animate("herniation", 0.5)
    assert not window.pathology.toggles["herniation"].isChecked()
    qtbot.waitUntil(lambda: not window.animator.running("herniation"), timeout=4000)
    assert window.pathology.toggles["herniation"].isChecked()
    on = window.pathology.toggles["herniation"].grab().toImage()
    off = window.pathology.toggles["slip_percent"].grab().toImage()
    # The checked toggle is drawn in the accent colour; the unchecked one is not.
    assert on.pixelColor(8, on.height() // 2).blue() > on.pixelColor(8, on.height() // 2).red() + 60
    assert abs(off.pixelColor(8, off.height() // 2).blue() - off.pixelColor(8, off.height() // 2).red()) < 40


def test_the_scene_keeps_its_size_while_readouts_change(qtbot, window):
    sizes = set()
    offs = [window.model.on(name, lambda _v: sizes.add(window.canvas.render_size()))
            for name in ("herniation", "slip_percent")]
    window.model.set("zone", "foraminal")
    window.pathology.toggles["herniation"].click()
    window.pathology.toggles["slip_percent"].click()
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=6000)
    QApplication.processEvents()
    sizes.add(window.canvas.render_size())
    for off in offs:
        off()
    assert len(sizes) == 1, f"the scene was resized while animating: {sizes}"


@pytest.mark.parametrize(("zone", "side", "clip", "view"), [
    ("subarticular", "left", "axial", "axial"),
    ("foraminal", "right", None, "foramen"),
])
def test_the_herniation_toggle_takes_the_camera_where_the_root_is_squeezed(qtbot, window, zone, side, clip, view):
    window.model.set("zone", zone)
    window.model.set("side", side)
    window.pathology.toggles["herniation"].click()
    assert window.model.get("clip") == clip and window.model.get("view") == view
    _settle_camera(qtbot, window)
    if view == "foramen":
        # The close-up looks at the herniation's side of the disc, from in front and that side,
        # at the stretch of L5 root the herniation reaches (see the side-by-side test).
        cam = window.plotter.camera
        offset = np.array(cam.position) - np.array(cam.focal_point)
        assert offset[0] > 30.0 and offset[1] > 50.0
        assert np.linalg.norm(np.array(cam.focal_point) - window.scene._foramen_focus()) < 15.0
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=5000)
    root = f"root_{'S1' if zone == 'subarticular' else 'L5'}_{side}"
    assert window.pipeline.readouts["roots"][root]["compressed"]


def test_with_camera_follow_off_the_view_stays(qtbot, window):
    window.pathology.follow_box.setChecked(False)
    window.pathology.toggles["slip_percent"].click()
    window.pathology.toggles["herniation"].click()
    assert window.model.get("view") == "oblique" and window.model.get("clip") is None


def test_toggle_text_is_as_large_as_the_rest_of_the_panel(window):
    toggle, box = window.pathology.toggles["slip_percent"], window.pathology.zone_box
    assert toggle.fontInfo().pointSizeF() >= box.fontInfo().pointSizeF() - 0.5


def test_a_lesson_steps_with_the_clicker_keys_and_animates(qtbot, window, tmp_path):
    from PyQt6.QtTest import QTest

    from annotations.lessons import bundled

    bad = tmp_path / "bad.toml"
    bad.write_text('[lesson]\ntitle = "x"\nsources = ["y"]\n[[step]]\ntitle = "a"\ntext = "b"\nview = "up"\n')
    assert not window.lesson_dock.open_lesson(str(bad))
    assert f"{bad}:7: unknown view 'up'" in window.lesson_dock.problems
    assert window.lesson_dock.open_lesson(str(bundled()[0]))
    assert window.lesson_dock.isVisible() and "Step 1 of 15" in window.lesson_dock.step_label.text()
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
    from viewer.style import PALETTES

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


def test_labels_leave_out_anchors_on_the_cut_away_side(qtbot, window):
    window.set_clip("axial")
    _settle_camera(qtbot, window)
    window.canvas.render()
    origin, normal = window.scene.labels.cut
    for text, caption in window.scene.labels.captions.items():
        if caption.GetVisibility():
            assert (np.array(caption.GetAttachmentPoint()) - origin) @ normal >= 0.0, text
    assert any(c.GetVisibility() for c in window.scene.labels.captions.values()), "some labels remain"


@pytest.mark.parametrize(("zone", "root", "sign"), [("foraminal", "L5", "big-toe extension"),
                                                    ("subarticular", "S1", "ankle reflex")])
def test_the_dermatome_of_the_compressed_root_lights_up(qtbot, window, zone, root, sign):
    panel = window.dermatomes
    assert panel.figure.lit == set() and "No root is compressed" in panel.text.text()
    window.model.set("zone", zone)
    window.model.set("herniation", STAGES["extrusion"])
    qtbot.waitUntil(lambda: panel.figure.lit == {root}, timeout=3000)
    assert sign in panel.text.text() and f"{root} root (left)" in panel.text.text()
    image = panel.figure.grab().toImage()
    other = "S1" if root == "L5" else "L5"
    ratio = panel.figure.devicePixelRatioF()

    def colour(name: str) -> str:
        p = panel.figure.probe_point(name)
        return image.pixelColor(int(p.x() * ratio), int(p.y() * ratio)).name()

    assert colour(root) == panel.figure.glow and colour(other) != panel.figure.glow
    window.model.set("herniation", 0.0)
    qtbot.waitUntil(lambda: panel.figure.lit == set(), timeout=3000)


def test_record_animation_from_the_window_with_a_progress_bar(qtbot, window, tmp_path, monkeypatch):
    from PIL import Image, ImageSequence

    import viewer.dialogs

    shown = []  # (value, maximum) each time the progress bar moves

    class Progress(viewer.dialogs.QProgressDialog):
        def setValue(self, value):  # noqa: N802 (Qt name)
            shown.append((value, self.maximum()))
            super().setValue(value)

    monkeypatch.setattr(viewer.dialogs, "QProgressDialog", Progress)

    window.model.set("zone", "foraminal")
    out = window.dialogs.record_to(str(tmp_path / "h.gif"), "herniation", fps=4, seconds=2.0, size=(96, 64))
    assert out and "Recorded" in window.statusBar().currentMessage()
    frames = list(ImageSequence.Iterator(Image.open(out)))
    assert len(frames) == 8 and frames[0].size == (96, 64)
    assert shown[-1] == (8, 8), "the progress bar went all the way"
    bad = window.dialogs.record_to(str(tmp_path / "x.avi"), "slip", fps=4, seconds=1.0, size=(96, 64))
    assert bad == "" and "Not recorded" in window.statusBar().currentMessage()


def test_the_degeneration_toggle_animates_darkens_the_disc_and_explains(qtbot, window):
    from viewer.style import COLOURS

    start = window.pipeline.readouts["disc_height_posterior_mm"]
    QApplication.processEvents()
    window.pathology.toggles["degeneration"].click()
    qtbot.waitUntil(lambda: 0.2 < window.model.degeneration < 0.8, timeout=3000)
    qtbot.waitUntil(lambda: window.model.degeneration == 1.0, timeout=5000)
    qtbot.waitUntil(lambda: window.pipeline.readouts["disc_height_posterior_mm"] < start - 2.0, timeout=2000)
    assert window.pathology.sliders["degeneration"].value() == 1000
    assert window.pathology.toggles["degeneration"].isChecked()
    disc = np.array(window.scene.actors["disc_annulus"].GetProperty().GetColor())
    assert disc.sum() < rgb(COLOURS["disc_annulus"]).sum() - 0.3, "the dehydrated disc is darker"
    assert "Degenerative disc disease" in window.explanation.annotation_view.toPlainText()
    assert "Disc height" in window.explanation.readout_label.text()
    assert window.model.get("view") == "left", "seen from the side, like the slip"


def test_every_readout_row_fits_in_the_panel(qtbot, window):
    window.model.set("zone", "foraminal")
    window.model.set("herniation", STAGES["extrusion"])
    window.model.set("slip_percent", 40.0)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    label = window.explanation.readout_label
    document_height = label.heightForWidth(label.width())
    assert 0 < document_height <= label.height(), "no readout row is cut off"


def test_the_command_line_state_opens_the_window_posed_and_on_screen(qtbot):
    from meshes.pathology import Pathology
    from viewer.app import open_window

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


LABELLED = {"L5": ("L5", "body", "pedicle", "transverse", "superior_articular", "inferior_articular", "lamina",
                   "spinous", "pars"),
            "S1": ("S1",), "Sacrum": ("sacrum",), "L5–S1 disc": ("disc_",), "Dural sac": ("dural_sac",),
            "L5 root": ("root_L5",), "S1 root": ("root_S1",), "Pars": ("pars",)}


@pytest.mark.parametrize(("view", "clip", "state"), [
    ("oblique", None, {}),
    ("left", None, {"slip_percent": 40.0}),
    ("posterior", None, {}),
    ("anterior", None, {}),
    ("posterior_oblique", None, {}),
    ("superior", None, {}),
    ("axial", "axial", {"herniation": STAGES["extrusion"]}),
    ("left", "sagittal", {"herniation": STAGES["extrusion"]}),
])
def test_every_shown_label_points_at_its_own_structure_not_through_another(qtbot, window, view, clip, state):
    from viewer.scene_labels import _to_display

    for field, value in state.items():
        window.model.set(field, value)
    window.set_clip(clip)
    window.model.set("view", view)
    _settle_camera(qtbot, window)
    window.canvas.render()
    shown = {t: c for t, c in window.scene.labels.captions.items() if c.GetVisibility()}
    assert len(shown) >= 3, f"only {sorted(shown)} labelled"
    for text, caption in shown.items():
        x, y = _to_display(window.plotter.renderer, caption.GetAttachmentPoint())
        picked = {window.scene.pick(x + dx, y + dy) for dx, dy in ((0, 0), (2, 0), (-2, 0), (0, 2), (0, -2))}
        assert any(p and p.startswith(LABELLED[text]) for p in picked), f"{text} leader ends on {picked}"


@pytest.mark.parametrize("view", ["posterior_oblique", "posterior"])
def test_the_pars_label_names_the_isthmus_not_the_facet_joint_beside_it(qtbot, window, view):
    from meshes.geometry import unsigned_distance

    window.model.set("view", view)
    _settle_camera(qtbot, window)
    window.canvas.render()
    caption = window.scene.labels.captions["Pars"]
    assert caption.GetVisibility(), f"no Pars label in the {view} view"
    end = np.array(caption.GetAttachmentPoint())[None, :]
    joints = [window.scene.meshes[f"facet_cartilage_{side}"] for side in ("left", "right")]
    assert min(unsigned_distance(end, joint)[0] for joint in joints) >= 3.5


def test_a_cut_root_shows_a_solid_cross_section_in_its_own_colour(qtbot, window):
    from viewer.style import COLOURS

    window.set_clip("axial")
    _settle_camera(qtbot, window)
    window.model.set("labels", False)  # the L5 root's leader may end on its own cut face
    origin, normal = (np.array(v) for v in window.scene.labels.cut)
    root = np.asarray(window.scene.meshes["root_L5_right"].points)
    height = (root - origin) @ normal
    section = root[(height >= 0.0) & (height < 1.0)]
    centre = section.mean(axis=0) - ((section.mean(axis=0) - origin) @ normal) * normal
    image = _scene_pixels(window)
    at = _projected(window, centre)
    patch = image[at.y() - 2: at.y() + 3, at.x() - 2: at.x() + 3].reshape(-1, 3)
    # The flat, unlit yellow of a healthy root: not the dark inside of a hollow tube.
    assert max(_colour_distance(p, COLOURS["root_S1_right"]) for p in patch) < 30
    assert window.scene.pick(*window.canvas.to_display(at.toPointF())) == "root_L5_right"
    window.set_clip(None)
    assert not window.scene.root_cuts["root_L5_right"].GetVisibility()


def test_hours_of_toggling_create_no_new_qt_objects(qtbot, window):
    """Every toggle and camera glide reuses its animation, so the window's object tree keeps its
    size even where events are pumped by processEvents (the benchmark, a recording's progress)
    and deferred deletions never run."""
    from PyQt6.QtCore import QObject

    window.animator.speed = 8.0

    def cycle() -> None:
        for toggle in (window.pathology.toggles["slip_percent"], window.pathology.toggles["herniation"]):
            for _state in (True, False):
                toggle.click()
                while window.animator.running():
                    QApplication.processEvents()
        for view in ("left", "anterior"):
            window.model.set("view", view)
            while window.director.animation.state() == window.director.animation.State.Running:
                QApplication.processEvents()

    cycle()
    before = len(window.findChildren(QObject))
    for _ in range(3):
        cycle()
    assert window.model.get("slip_percent") == 0.0 and window.model.get("herniation") == 0.0
    assert len(window.findChildren(QObject)) == before


def test_orientation_letters_name_the_patients_sides_and_go_with_the_labels(qtbot, window):
    from viewer.orientation import FONT_SHARE

    def letter_pixels() -> int:
        """Bright text pixels in the compass's corner (the scene's lower right)."""
        window.canvas.render()
        image = _scene_pixels(window)
        h, w, _ = image.shape
        font = max(12, int(FONT_SHARE * window.canvas.render_size()[1])) / window.canvas.factor()
        corner = image[h - int(4.5 * font):h - 2, w - int(4.5 * font):w - 2].astype(int)
        return int((corner.min(axis=-1) > 170).sum())

    window.model.set("labels", True)
    window.model.set("view", "axial")  # from the feet, the front at the top, as on an axial CT or MR slice
    _settle_camera(qtbot, window)
    window.canvas.render()
    assert window.scene.labels.compass.text() == {"right": "L", "left": "R", "up": "A", "down": "P"}
    assert letter_pixels() > 40
    window.model.set("view", "anterior")  # facing the patient: their left on our right
    _settle_camera(qtbot, window)
    window.canvas.render()
    letters = window.scene.labels.compass.text()
    assert (letters["right"], letters["left"], letters["up"]) == ("L", "R", "S")
    size = window.scene.labels.compass.actors["right"].GetTextProperty().GetFontSize()
    window.scale_text(+1)  # Ctrl++ enlarges the letters with the labels
    window.canvas.render()
    assert window.scene.labels.compass.actors["right"].GetTextProperty().GetFontSize() > size
    window.model.set("labels", False)
    assert letter_pixels() == 0


def test_a_dried_nucleus_darkens_in_the_cut_too(qtbot, window):
    from viewer.style import CUT_FACES, DEGENERATED_CUT

    window.set_clip("sagittal")
    window.model.set("view", "left")
    window.model.set("labels", False)
    _settle_camera(qtbot, window)
    # The nucleus's middle, on the sagittal cut: where the class sees the gel.
    nucleus = np.asarray(window.rest.segment.structures["disc_nucleus"].points)
    origin, normal = (np.array(v) for v in window.scene.labels.cut)
    middle = nucleus.mean(axis=0)
    middle -= ((middle - origin) @ normal) * normal
    looks = {}
    for degeneration in (0.0, 1.0):
        window.model.set("degeneration", degeneration)
        window.pipeline.frame()
        window.canvas.render()
        at = _projected(window, middle)
        patch = _scene_pixels(window)[at.y() - 2: at.y() + 3, at.x() - 2: at.x() + 3].reshape(-1, 3)
        looks[degeneration] = np.median(patch, axis=0)
    healthy, dried = CUT_FACES["disc_nucleus"], DEGENERATED_CUT["disc_nucleus"]
    assert _colour_distance(looks[0.0], healthy) < _colour_distance(looks[0.0], dried)
    assert _colour_distance(looks[1.0], dried) < _colour_distance(looks[1.0], healthy)
    assert looks[1.0].sum() < looks[0.0].sum() - 60, "the dried nucleus is darker in the cut"
    window.set_clip(None)


def _axial_screen_sides(w) -> dict[str, str]:
    """Which screen half (left or right) the patient's right and left are drawn on, measured by
    projecting two points 20 mm either side of the disc's centre through the real camera."""
    centre = np.asarray(w.rest.disc_centre, float)
    right, left = (_projected(w, centre + np.array([dx, 0.0, 0.0])) for dx in (20.0, -20.0))
    return {"patient_right": "left" if right.x() < left.x() else "right",
            "patient_left": "left" if left.x() < right.x() else "right"}


def test_the_axial_view_is_radiological_and_the_view_menu_turns_it_to_seen_from_above(qtbot, window):
    window.model.set("labels", True)
    window.model.set("view", "axial")
    _settle_camera(qtbot, window)
    window.canvas.render()
    cam = window.plotter.camera
    # From the feet: the camera below the disc (along -w), the front of the body at the top.
    assert (np.array(cam.position) - np.array(cam.focal_point)) @ window.rest.w < 0
    assert window.scene.labels.compass.text() == {"right": "L", "left": "R", "up": "A", "down": "P"}
    assert _axial_screen_sides(window) == {"patient_right": "left", "patient_left": "right"}
    action = window.menus.axial_above
    assert action in window.menuBar().actions()[1].menu().actions() and action.isCheckable()
    assert not action.isChecked()
    action.trigger()  # View > Axial view from above
    assert window.model.get("axial_convention") == "anatomical"
    _settle_camera(qtbot, window)
    window.canvas.render()
    assert (np.array(cam.position) - np.array(cam.focal_point)) @ window.rest.w > 0
    assert window.scene.labels.compass.text() == {"right": "R", "left": "L", "up": "A", "down": "P"}
    assert _axial_screen_sides(window) == {"patient_right": "right", "patient_left": "left"}
    window.model.set("axial_convention", "radiological")  # the model drives the menu back
    assert not action.isChecked()


@pytest.mark.parametrize(("convention", "half"), [("radiological", "right"), ("anatomical", "left")])
def test_a_left_herniation_squeezes_a_root_drawn_on_the_screen_half_the_convention_puts_it(
        qtbot, window, convention, half):
    from viewer.style import COMPRESSED

    window.model.set("labels", False)
    window.model.set("axial_convention", convention)
    window.model.set("zone", "subarticular")
    window.model.set("side", "left")
    window.model.set("herniation", HERNIATION_TARGET)
    window.set_clip("axial")
    _settle_camera(qtbot, window)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    assert window.pipeline.readouts["roots"]["root_S1_left"]["compressed"]
    image = _scene_pixels(window)
    width = image.shape[1]
    red = (np.abs(image.astype(int) - 255 * rgb(COMPRESSED)).max(axis=-1) < 60)
    columns = np.flatnonzero(red.any(axis=0))
    assert red.sum() > 20, "the squeezed root shows red"
    on_right = (red[:, width // 2:].sum()) / red.sum()
    assert on_right > 0.9 if half == "right" else on_right < 0.1, (convention, columns.min(), columns.max(), width)
    # And the squeezed vertices themselves project to that half.
    posed = window.pipeline.posed
    squeezed = posed.points["root_S1_left"][posed.scalars["root_S1_left"]["compression"] > 0]
    xs = [_projected(window, p).x() for p in squeezed[:: max(1, len(squeezed) // 20)]]
    assert all((x > window.canvas.width() / 2) == (half == "right") for x in xs)


def _blocked(start: np.ndarray, end: np.ndarray, meshes) -> list[str]:
    """Names of the meshes the straight segment from ``start`` to ``end`` passes through."""
    from vtkmodules.vtkCommonCore import vtkPoints
    from vtkmodules.vtkFiltersGeneral import vtkOBBTree

    hits = []
    for name, mesh in meshes.items():
        tree = vtkOBBTree()
        tree.SetDataSet(mesh)
        tree.BuildLocator()
        points = vtkPoints()
        tree.IntersectWithLine(tuple(start), tuple(end), points, None)
        if points.GetNumberOfPoints():
            hits.append(name)
    return hits


def _exposed_axis(w, h, root: str) -> np.ndarray:
    """Points 0.05 mm apart on the stretch of the herniation's axis (the line along ``h.n``
    through its apex) that lies bare: out of the annulus, before it enters the root. (The apex
    itself is buried in the root: the root yields less than the herniation pushes.)"""
    import pyvista as pv

    nucleus = np.asarray(w.pipeline.posed.points["disc_nucleus"])
    apex = nucleus[np.argmax((nucleus - h.centre) @ h.n)]
    line = apex - np.outer(np.arange(0.0, 8.0, 0.05), h.n)

    def distance(name):
        return np.asarray(pv.PolyData(line).compute_implicit_distance(w.scene.meshes[name])["implicit_distance"])

    return line[(distance("disc_nucleus") < 0.0) & (distance(root) > 0.1) & (distance("disc_annulus") > 0.1)]


def _seen_share(w, points: np.ndarray, in_the_way: dict) -> float:
    """Share of ``points`` the camera sees: the straight line from the camera to each crosses
    no mesh of ``in_the_way``, and picking at its pixel finds the disc's nucleus."""
    renderer = w.plotter.renderer
    eye = np.array(w.plotter.camera.position)
    seen = 0
    for point in points:
        toward_eye = (eye - point) / np.linalg.norm(eye - point)
        renderer.SetWorldPoint(*point, 1.0)
        renderer.WorldToDisplay()
        x, y, _ = renderer.GetDisplayPoint()
        seen += not _blocked(eye, point + 0.05 * toward_eye, in_the_way) and w.scene.pick(x, y) == "disc_nucleus"
    return seen / len(points)


@pytest.mark.parametrize(("zone", "side"), [("foraminal", "left"), ("extraforaminal", "right")])
def test_a_lateral_herniation_and_the_root_it_squeezes_are_seen_side_by_side(qtbot, window, zone, side):
    """The camera follows a foraminal or extraforaminal herniation to where it meets the L5 root,
    from where the herniation's tip is not hidden behind the root, as it was from the side."""
    window.model.set("labels", False)
    window.model.set("zone", zone)
    window.model.set("side", side)
    window.pathology.toggles["herniation"].click()
    assert window.model.get("view") == "foramen"
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    _settle_camera(qtbot, window)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    window.canvas.render()
    h = window.rest.herniations[(zone, side)]
    root = h.target
    assert root == f"root_L5_{side}" and window.pipeline.readouts["roots"][root]["compressed"]
    in_the_way = {n: window.scene.meshes[n] for n in (root, f"root_S1_{side}", "L5", "S1", "sacrum", "disc_annulus")}
    tip = _exposed_axis(window, h, root)
    assert len(tip) >= 10, "a bare stretch of herniation at least half a millimetre long"
    # The tip of the herniation, up to where it enters the root: a good part of it in plain view.
    assert _seen_share(window, tip, in_the_way) > 0.2
    renderer = window.plotter.renderer

    def display(point):
        renderer.SetWorldPoint(*point, 1.0)
        renderer.WorldToDisplay()
        return np.array(renderer.GetDisplayPoint()[:2])

    # Side by side: the herniation's direction lies across the screen, not toward the camera,
    # and the squeezed stretch of root is in view beside its tip, mostly unhidden.
    cam = window.plotter.camera
    assert abs(np.asarray(cam.GetDirectionOfProjection()) @ h.n) < 0.35
    squeezed = window.pipeline.posed.points[root][window.pipeline.posed.scalars[root]["compression"] > 0]
    assert np.mean([window.scene.pick(*display(p)) == root for p in squeezed]) > 0.7
    width, height = window.canvas.render_size()
    at_tip = display(tip.mean(axis=0))
    assert 0 < at_tip[0] < width and 0 < at_tip[1] < height
    assert np.linalg.norm(display(squeezed.mean(axis=0)) - at_tip) < 0.15 * height
    # From the side, as the close-up looked before, the root hid all of it.
    window.scene.zone = "subarticular"
    window.scene.set_view("foramen")
    window.canvas.render()
    assert _seen_share(window, tip, in_the_way) == 0.0


def test_the_posterior_oblique_view_is_in_the_view_menu_and_on_key_7(qtbot, window):
    from PyQt6.QtTest import QTest

    view_menu = window.menuBar().actions()[1].menu()
    action = next(a for a in view_menu.actions() if a.text() == "Posterior oblique")
    assert action.shortcut().toString() == "7" and window.menus.shortcuts["7"] == "posterior oblique view"
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_7)
    assert window.model.get("view") == "posterior_oblique"


def _angle_deg(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.degrees(np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1.0, 1.0))))


def test_the_slips_camera_follow_watches_the_pars_open_from_behind_then_the_slip_from_the_side(qtbot, window):
    from viewer.style import VIEWS

    cam = window.plotter.camera
    looking = lambda: np.array(cam.position) - np.array(cam.focal_point)  # noqa: E731
    glide, during_slip = [], []  # camera directions as glide frames are drawn; (slip %, direction)
    off = window.model.on("slip_percent", lambda v: during_slip.append((v, looking())))
    window.pathology.toggles["slip_percent"].click()
    window.director.animation.valueChanged.connect(lambda _v: glide.append(looking()))
    assert window.model.get("view") == "posterior_oblique" and window.tour.pending == ["left"]
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    # Arrived: the view is held a moment on the widest gap before the camera turns.
    assert window.model.get("view") == "posterior_oblique" and window.tour.pending == ["left"]
    qtbot.waitUntil(lambda: window.model.get("view") == "left", timeout=5000)
    _settle_camera(qtbot, window)
    oblique = VIEWS["posterior_oblique"][0]
    # The glide brings the camera to the posterior-oblique view...
    assert min(_angle_deg(d, oblique) for d in glide) < 2.0
    # ... where it stays while the pars gap opens through the second half of the slip at least (the
    # glide there takes 0.6 s of the slip's 1.8 s, more on a loaded machine)...
    seen = [v for v, d in during_slip if _angle_deg(d, oblique) < 2.0]
    assert seen and min(seen) < 0.5 * SLIP_TARGET and max(seen) > 0.9 * SLIP_TARGET
    # ... and then goes to the side, where the slip reads as on a lateral radiograph.
    assert window.model.get("view") == "left" and _angle_deg(looking(), VIEWS["left"][0]) < 2.0
    assert window.tour.pending == []
    # Choosing a view by hand ends a tour: the camera stays where it was sent.
    window.pathology.toggles["slip_percent"].click()  # back to no slip (no follow)
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    window.pathology.toggles["slip_percent"].click()
    window.model.set("view", "anterior")
    assert window.tour.pending == []
    off()
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    assert window.model.get("view") == "anterior"
