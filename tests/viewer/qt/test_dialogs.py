"""The window's file actions: export, screenshot, recording."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from probes import _settle_camera  # noqa: E402
from PyQt6.QtCore import Qt  # noqa: E402

from viewer.scene.style import rgb  # noqa: E402


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


def test_file_screenshot_keeps_the_windows_camera_cut_and_labels(qtbot, window, tmp_path):
    from PIL import Image

    window.set_clip("axial")
    _settle_camera(qtbot, window)
    out = window.dialogs.save_screenshot(str(tmp_path / "shot.png"), size=(960, 540))
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (540, 960, 3)
    from viewer.scene.style import CUT_FACES

    nucleus_cut = (np.abs(image.astype(int) - 255 * rgb(CUT_FACES["disc_nucleus"])).max(axis=-1) < 30).mean()
    assert nucleus_cut > 0.01, "the axial cut through the disc shows in the saved picture"
    assert window.dialogs.save_screenshot(str(tmp_path / "missing" / "x.png")) == ""
    assert "not saved" in window.statusBar().currentMessage()


def test_record_animation_from_the_window_with_a_progress_bar(qtbot, window, tmp_path, monkeypatch):
    from PIL import Image, ImageSequence

    import viewer.qt.dialogs

    shown = []  # (value, maximum) each time the progress bar moves

    class Progress(viewer.qt.dialogs.QProgressDialog):
        def setValue(self, value):  # noqa: N802 (Qt name)
            shown.append((value, self.maximum()))
            super().setValue(value)

    monkeypatch.setattr(viewer.qt.dialogs, "QProgressDialog", Progress)

    window.model.set("zone", "foraminal")
    out = window.dialogs.record_to(str(tmp_path / "h.gif"), "herniation", fps=4, seconds=2.0, size=(96, 64))
    assert out and "Recorded" in window.statusBar().currentMessage()
    frames = list(ImageSequence.Iterator(Image.open(out)))
    assert len(frames) == 8 and frames[0].size == (96, 64)
    assert shown[-1] == (8, 8), "the progress bar went all the way"
    bad = window.dialogs.record_to(str(tmp_path / "x.avi"), "slip", fps=4, seconds=1.0, size=(96, 64))
    assert bad == "" and "Not recorded" in window.statusBar().currentMessage()


def test_record_the_imaging_panes_film_from_the_window(qtbot, window, tmp_path):
    """With the imaging pane open, a recording can be of its film: each frame is the film of that
    frame's state, with the pane's slice place, not the 3D scene."""
    from PIL import Image, ImageSequence

    from meshes.pose import pose
    from viewer.output.film import film_image

    window.model.film = "mri-axial"
    window.model.slice_mm = 3.0
    out = window.dialogs.record_to(str(tmp_path / "axial.gif"), "herniation", fps=4, seconds=2.0, size=(96, 96),
                                   film="mri-axial")
    assert out and "Recorded" in window.statusBar().currentMessage()
    frames = [np.asarray(f.convert("RGB")).astype(int) for f in ImageSequence.Iterator(Image.open(out))]
    assert len(frames) == 8 and frames[0].shape == (96, 96, 3)
    from viewer.output.recorder import animation_frames

    first = animation_frames("herniation", 4, 2.0, window.model.zone, window.model.side)[0].state
    expected = film_image(window.rest, pose(window.rest, first), first, "mri-axial", (96, 96), slice_mm=3.0)
    assert np.abs(frames[0] - expected).mean() < 4.0, "the film of the first state, at the pane's slice"


def test_the_record_dialog_offers_the_open_film_beside_the_scene(window, monkeypatch):
    import viewer.qt.dialogs

    offered, asked = [], []

    def get_item(_parent, _title, _label, items, *_rest):
        offered.extend(items)
        return next((i for i in items if i.startswith("Spondylolisthesis, as the")), items[0]), True

    monkeypatch.setattr(viewer.qt.dialogs.QInputDialog, "getItem", staticmethod(get_item))
    monkeypatch.setattr(viewer.qt.dialogs.QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("x.mp4", "")))
    monkeypatch.setattr(window.dialogs, "record_to", lambda path, what, **kw: asked.append((path, what, kw)))
    window.dialogs.record_dialog()
    assert not any(", as the" in item for item in offered), "no film open: the scene only"
    window.model.film = "xray-lateral"
    offered.clear()
    window.dialogs.record_dialog()
    assert "Spondylolisthesis, as the Lateral film" in offered and "Spondylolisthesis" in offered
    assert asked[-1] == ("x.mp4", "slip", {"film": "xray-lateral", "size": (720, 720)})
