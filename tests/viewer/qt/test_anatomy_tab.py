"""The Anatomy tab in a real window: a preset rebuilds the segment on a worker thread while the
window keeps answering, and the conditions, camera, cut and selection survive; a value the
dimensions refuse, or a combination that cannot be drawn, is said in the status bar and nothing
changes."""

from __future__ import annotations

import numpy as np
import pytest
import pyvista as pv
from PyQt6.QtCore import QTimer

from meshes.anatomy import Anatomy
from viewer.state.anatomy_choice import described, preset


def _volume(mesh) -> float:
    """The volume (mm³) the drawn closed surface holds."""
    return abs(pv.PolyData(np.asarray(mesh.points), np.asarray(mesh.faces)).volume)


def _built(window, qtbot, count: int) -> None:
    qtbot.waitUntil(lambda: window.rebuilder.builds >= count and not window.rebuilder.busy, timeout=60000)
    qtbot.waitUntil(lambda: not window.pipeline.stale, timeout=10000)


def test_a_preset_rebuilds_without_freezing_and_keeps_the_scene(window, qtbot, tmp_path):
    model = window.model
    model.herniation = 0.25
    model.zone = "central"
    window.set_clip("sagittal")
    model.selection = "root_S1_left"
    qtbot.waitUntil(lambda: not window.pipeline.stale and not window.director.gliding(), timeout=20000)
    camera = window.scene.camera_pose()
    sac_before = _volume(window.scene.meshes["dural_sac"])
    sac_read_before = window.pipeline.readouts["dural_sac_area_mm2"]
    ticks = []
    beat = QTimer(window)
    beat.timeout.connect(lambda: ticks.append(1))
    beat.start(20)
    window.anatomy_dock.raise_()
    box = window.anatomy.preset_box
    box.setCurrentIndex(box.findData("narrow-canal"))
    box.activated.emit(box.currentIndex())
    qtbot.waitUntil(lambda: window.anatomy.busy_bar.isVisible(), timeout=2000)
    _built(window, qtbot, 1)
    beat.stop()
    # The window answered while it built: a 20 ms timer kept firing (a frozen one fires once).
    assert len(ticks) >= 0.5 * window.rebuilder.last_seconds / 0.02
    assert not window.anatomy.busy_bar.isVisible()
    # The state survived.
    assert (model.herniation, model.zone, model.clip, model.selection) == (0.25, "central", "sagittal",
                                                                          "root_S1_left")
    assert window.scene.camera_pose() == camera
    assert window.scene.clip == "sagittal"
    # The drawn segment is the narrow canal's: its sac holds about 100/150 of the average's volume.
    assert 0.55 < _volume(window.scene.meshes["dural_sac"]) / sac_before < 0.8
    assert window.rest.segment.anatomy == preset("narrow-canal").anatomy
    # Readouts follow, measured on the new segment, and the Measured panel names the anatomy.
    assert window.pipeline.readouts["dural_sac_area_mm2"] < sac_read_before - 30.0
    assert "Dural sac" in window.explanation.readout_label.text()
    assert "Developmentally narrow canal" in window.explanation.readout_label.text()
    # The controls mirror the preset.
    assert window.anatomy.boxes["l5_canal_depth"].value() == pytest.approx(11.5)
    # An export from the window records the anatomy it was built with.
    import json

    assert window.dialogs.export_to(str(tmp_path / "out"))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["anatomy"]["title"] == "Developmentally narrow canal"
    assert manifest["anatomy"]["dimensions"]["l5_canal_depth"] == 11.5


def test_a_refused_value_is_said_and_changes_nothing(window, qtbot):
    before = window.model.anatomy
    box = window.anatomy.boxes["disc_height_posterior"]
    box.setValue(9.5)
    # A posterior disc taller than its front (12.4 mm): one line in the status bar.
    window.anatomy.boxes["disc_height_anterior"].setValue(9.0)
    assert "Not applied" in window.statusBar().currentMessage()
    assert "disc_height_posterior" in window.statusBar().currentMessage()
    _built(window, qtbot, 1)  # the 9.5 mm posterior height, which is valid, was built
    assert window.model.anatomy.anatomy.disc_height_anterior == before.anatomy.disc_height_anterior
    assert window.anatomy.boxes["disc_height_anterior"].value() == pytest.approx(12.4)


def test_a_combination_that_cannot_be_drawn_is_refused_whole(window, qtbot):
    drawn = window.rest
    points = np.array(window.scene.meshes["L5"].points)
    # The smallest foramen round the largest L5 root the ranges allow: the root meets bone at rest
    # (viewer.state.validity), though each value is within its range.
    cramped = {name: Anatomy.range(name)[0] for name in Anatomy.names()}
    cramped["root_diameter_l5"] = Anatomy.range("root_diameter_l5")[1]
    window.model.anatomy = described(Anatomy(**cramped))
    qtbot.waitUntil(lambda: "Cannot show" in window.statusBar().currentMessage(), timeout=60000)
    qtbot.waitUntil(lambda: not window.rebuilder.busy, timeout=5000)
    assert "L5 root meets bone" in window.statusBar().currentMessage()
    assert window.rest is drawn and window.rebuilder.builds == 0
    assert window.model.anatomy == window.rebuilder.in_use
    assert np.array_equal(np.asarray(window.scene.meshes["L5"].points), points)
