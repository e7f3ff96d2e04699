"""Stepping through a lesson sets whole states: forward and back land on the same scene (no Qt)."""

from __future__ import annotations

from annotations.lessons import bundled
from meshes.pathology import STAGES
from meshes.segment import STRUCTURES
from meshes.vertebra_l5 import L5_REGIONS
from viewer.state.lesson_player import LessonPlayer, read
from viewer.state.model import SceneModel

FIELDS = ("visible", "opacity", "clip", "zone", "side", "selection", "slip_percent", "herniation", "view", "film",
          "anatomy")


def _snapshot(model: SceneModel) -> dict:
    return {f: model.get(f) for f in FIELDS}


def test_forward_and_back_reach_the_same_states():
    model = SceneModel(STRUCTURES, L5_REGIONS)
    player = LessonPlayer(model)
    lesson = read(str(bundled()[0]))
    player.open(lesson)
    forward = [_snapshot(model)]
    while player.next():
        forward.append(_snapshot(model))
    assert len(forward) == len(lesson.steps)
    assert not player.next(), "no step after the last"
    backward = [_snapshot(model)]
    while player.previous():
        backward.append(_snapshot(model))
    assert backward[::-1] == forward
    # Jumping straight to a step equals walking there.
    player.go(9)
    assert _snapshot(model) == forward[9]
    assert all(a != b for a, b in zip(forward[:-1], forward[1:], strict=True)), "each step changes the scene"


def test_a_step_sets_what_it_names_and_resets_the_rest():
    model = SceneModel(STRUCTURES, L5_REGIONS)
    player = LessonPlayer(model)
    lesson = read(str(bundled()[0]))
    player.open(lesson)
    steps = {s.title: i for i, s in enumerate(lesson.steps)}
    player.go(steps["Two vertebrae: bodies in front, arches behind"])
    shown = {n for n, v in model.get("visible").items() if v}
    assert {"L5", "S1", "body", "pars_left"} <= shown and "disc_annulus" not in shown
    player.go(steps["No spinal cord at this level"])
    assert model.get("opacity")["L5"] == 0.25 and model.get("selection") == "dural_sac"
    assert all(model.get("visible").values())
    # The bulge is taught as part of disc degeneration, not as a herniation stage.
    player.go(steps["Disc wear: a bulge is not a herniation"])
    assert model.degeneration == 0.5 and model.herniation == 0.0 and model.get("clip") == "axial"
    player.go(steps["Herniation: protrusion, then extrusion"])
    assert model.herniation == STAGES["extrusion"] and model.degeneration == 0.0
    assert model.get("clip") == "axial" and model.get("selection") == "root_S1_left"
    player.go(steps["Slip grades and the L5 root"])
    assert model.slip_percent == 40.0 and model.herniation == 0.0 and model.get("clip") is None
    assert model.get("opacity")["L5"] == 1.0


def test_a_step_sets_its_anatomy_and_the_next_goes_back_to_the_lesson_s():
    """The bundled lesson's narrow-canal step sets the model's anatomy to that preset; the step after
    it, naming none, is back on the average adult (a whole state)."""
    model = SceneModel(STRUCTURES, L5_REGIONS)
    player = LessonPlayer(model)
    lesson = read(str(bundled()[0]))
    player.open(lesson)
    index = next(i for i, s in enumerate(lesson.steps) if s.anatomy.title == "Developmentally narrow canal")
    player.go(index)
    assert model.anatomy.anatomy.l5_canal_depth == 11.5 and model.anatomy.anatomy.dural_sac_area == 100
    player.go(index + 1)
    assert model.anatomy.title == "Average adult" and model.anatomy.anatomy.l5_canal_depth == 15.6
