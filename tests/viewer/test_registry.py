"""Adding a condition is one registry entry: the model, panel, animator, tour, recorder and
explanation all take a dummy condition up without any other change."""

from __future__ import annotations

import pytest

from meshes.conditions import CONDITIONS, Condition, Follow
from viewer.output.recorder import animation_frames
from viewer.state.model import model_type

BEND = Condition(
    name="bend", field="lateral_bend", label="Lateral bending", slider_label="Bend",
    minimum=-1.0, maximum=1.0, unit="", teaching=1.0, span=2.0, steps_per_unit=100.0,
    annotation="bend_test", annotation_rank=-1, follow=lambda _zone: Follow((("right", 0.0),)),
    key="P", metavar="-1..1", help="left -1 to right +1", neutral=0.0)
WITH_BEND = (*CONDITIONS, BEND)


def test_the_model_takes_a_new_condition_as_a_field_with_its_range():
    model = model_type(WITH_BEND)()
    seen = []
    model.on("lateral_bend", seen.append)
    assert model.get("lateral_bend") == 0.0  # starts at its neutral value, not its minimum (full left bend)
    model.set("lateral_bend", 5.0)
    assert model.get("lateral_bend") == 1.0 and seen == [1.0]  # held in range, one event
    assert "lateral_bend" not in model.pathology.as_dict()  # no posing code yet: not posed


def test_a_recording_follows_a_new_condition_with_its_own_views():
    frames = animation_frames("bend", 10, 2.0, "subarticular", "left", conditions=WITH_BEND)
    assert {f.view for f in frames} == {"right"}


def test_a_condition_that_swings_both_ways_rests_at_its_neutral_value():
    """A bend runs from left (-1) to right (+1) about neutral (0): neutral is the healthy
    state, either side of it the condition is present, and the three existing conditions rest at
    their minimum as before."""
    assert BEND.rest == 0.0 and not BEND.present(0.0)
    assert BEND.present(-0.5) and BEND.present(1.0)
    growing = [c for c in CONDITIONS if c.name != "posture"]
    assert len(growing) == 3 and all(c.rest == c.minimum and c.neutral is None for c in growing)
    posture = next(c for c in CONDITIONS if c.name == "posture")
    assert posture.rest == 0.0 and posture.minimum == -1.0  # the real posture rests at neutral too
    values = [f.state for f in animation_frames("slip", 10, 2.0, "subarticular", "left")]
    assert values[0].slip_percent == 0.0


def test_the_panel_gives_a_new_condition_a_toggle_that_animates_it(qtbot):
    pytest.importorskip("pytestqt")
    from viewer.qt.animation import Animator
    from viewer.qt.panels.pathology import PathologyPanel

    model = model_type(WITH_BEND)()
    followed = []
    panel = PathologyPanel(model, Animator(model), followed.append, 12)
    qtbot.addWidget(panel)
    toggle, slider = panel.toggles["lateral_bend"], panel.sliders["lateral_bend"]
    assert toggle.text() == "Lateral bending"
    assert (slider.minimum(), slider.maximum()) == (-100, 100)
    toggle.click()
    assert followed == [BEND]
    qtbot.waitUntil(lambda: model.get("lateral_bend") == 1.0, timeout=5000)
    assert slider.value() == 100 and toggle.isChecked()
    toggle.click()
    qtbot.waitUntil(lambda: not panel.animator.running(), timeout=5000)
    assert model.get("lateral_bend") == 0.0 and not toggle.isChecked(), "off goes back to neutral, not to -1"
    slider.setValue(-50)
    assert model.get("lateral_bend") == -0.5 and toggle.isChecked(), "a bend to the left is bending too"
    panel.animator.stop()
