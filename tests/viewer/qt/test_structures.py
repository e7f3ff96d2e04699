"""The structure tree and the scene in a real window: visibility, picking, cuts, opacity."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from probes import _colour_distance, _l5_body_front, _projected, _region_centre, _scene_pixels, _settle_camera  # noqa: E402
from PyQt6.QtCore import QPoint, Qt  # noqa: E402


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


def test_deselecting_gives_each_structure_its_own_shading_back(qtbot, window):
    """Bone is drawn a little lighter than the glossy soft tissue; selecting and clearing the
    selection (the binding also applies the empty selection when the window opens) must not
    leave the bones as dark as the disc."""
    drawn = {name: actor.prop.ambient for name, actor in window.scene.actors.items()}
    assert drawn["L5"] > drawn["disc_annulus"] and drawn["S1"] > drawn["disc_annulus"]
    before = _scene_pixels(window)
    window.model.set("selection", "body")
    assert window.scene.actors["L5"].prop.ambient > drawn["L5"]
    window.model.set("selection", None)
    assert {name: actor.prop.ambient for name, actor in window.scene.actors.items()} == drawn
    qtbot.waitUntil(lambda: np.abs(_scene_pixels(window).astype(int) - before.astype(int)).max() <= 2, timeout=3000)


@pytest.mark.parametrize(("clip", "structure"), [("sagittal", "L5"), ("axial", "disc_nucleus")])
def test_cuts_show_solid_capped_faces(qtbot, window, clip, structure):
    from viewer.scene.style import COLOURS, CUT_FACES

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


def test_a_cut_root_shows_a_solid_cross_section_in_its_own_colour(qtbot, window):
    from viewer.scene.style import COLOURS

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


def test_a_dried_nucleus_darkens_in_the_cut_too(qtbot, window):
    from viewer.scene.style import CUT_FACES, DEGENERATED_CUT

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


def test_hovering_names_the_structure_under_the_mouse(qtbot, window):
    target = _projected(window, _l5_body_front(window))
    qtbot.mouseMove(window.canvas, target)
    qtbot.waitUntil(lambda: window.hover_name == "Body", timeout=3000)
    qtbot.mouseMove(window.canvas, QPoint(3, 3))  # the background in a corner
    qtbot.waitUntil(lambda: window.hover_name == "", timeout=3000)
