"""The evented scene model: one event per real change, values checked as they are set, the
camera held as state, subscriptions that can be released."""

from __future__ import annotations

import pytest

from meshes.pathology import Pathology
from viewer.state.model import VIEW_NAMES, CameraPose, SceneModel


def _model() -> SceneModel:
    return SceneModel(("L5", "S1", "disc_nucleus"), ("body", "pars_left"))


def test_a_change_emits_once_and_the_same_value_emits_nothing():
    model = _model()
    seen = []
    off = model.on("slip_percent", seen.append)
    model.slip_percent = 20.0
    model.slip_percent = 20.0
    model.set("slip_percent", 30.0)
    assert seen == [20.0, 30.0]
    off()
    model.slip_percent = 40.0
    assert seen == [20.0, 30.0] and model.subscriptions() == 0


def test_conditions_are_held_in_range_and_choices_are_checked():
    model = _model()
    model.slip_percent = 400.0
    model.herniation = -1.0
    assert (model.slip_percent, model.herniation) == (150.0, 0.0)
    for field, bad in (("zone", "lumbar"), ("side", "middle"), ("clip", "coronal"), ("view", "bird"),
                       ("axial_convention", "sideways"), ("palette", "neon")):
        with pytest.raises(ValueError, match="must be one of"):
            model.set(field, bad)
    with pytest.raises(KeyError):
        model.set("colour", "red")


def test_visibility_isolation_and_opacity_of_a_region_act_on_the_right_structures():
    model = _model()
    model.isolate("pars_left")
    assert model.visible == {"L5": True, "S1": False, "disc_nucleus": False, "body": False, "pars_left": True}
    model.show_all()
    assert all(model.visible.values())
    model.set_opacity("pars_left", 0.3)  # a region's opacity is its vertebra's
    assert model.opacity["L5"] == 0.3
    model.ghost_bones = True
    assert model.drawn_opacity() == {"L5": 0.25, "S1": 0.25, "disc_nucleus": 1.0}


def test_the_camera_is_state_and_a_snapshot_copies_it_without_listeners():
    model = _model()
    moved = []
    model.on("camera", moved.append)
    model.camera = ((0, -300, 0), (0, 0, 0), (0, 0, 1))  # any three vectors become a pose
    assert moved == [CameraPose((0.0, -300.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, 1.0), 30.0)]
    model.set_pathology(Pathology(slip_percent=25.0, zone="foraminal", side="right"))
    copy = model.snapshot()
    assert copy.camera == model.camera and copy.pathology == model.pathology
    assert copy.subscriptions() == 0 and model.subscriptions() == 1
    copy.camera = None
    assert model.camera is not None, "a snapshot is independent"


def test_the_view_names_are_the_menu_presets_and_none_means_a_hand_moved_camera():
    model = _model()
    for name in VIEW_NAMES:
        model.view = name
    model.view = None
    assert model.view is None


def test_a_slice_position_is_held_within_its_films_travel_and_each_film_starts_at_its_standard_plane():
    from meshes.slice_planes import SLICE_TRAVEL_MM

    model = SceneModel()
    heard = []
    model.on("slice_mm", heard.append)
    model.slice_mm = 10.0
    assert model.slice_mm == 0.0, "no film, or a radiograph: nothing to move"
    model.film = "mri-sagittal"
    model.slice_mm = 99.0
    assert model.slice_mm == SLICE_TRAVEL_MM["mri-sagittal"]
    model.film = "mri-axial"
    assert model.slice_mm == 0.0 and heard[-1] == 0.0, "the new film starts at its own plane, and says so"
    model.slice_mm = -99.0
    assert model.slice_mm == -SLICE_TRAVEL_MM["mri-axial"]
