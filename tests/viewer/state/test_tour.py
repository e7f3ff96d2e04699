"""Camera-follow tours: the views a condition is shown from, in turn, as it animates (Qt-free)."""

from meshes.conditions import by_name
from viewer.output.recorder import animation_frames
from viewer.state.model import SceneModel
from viewer.state.tour import CameraTour


def follow_tour(name: str, zone: str = "subarticular"):
    """The registry's views for following condition ``name``."""
    return by_name(name).follow(zone).views


def test_the_slip_is_followed_from_behind_and_the_side_then_from_the_side():
    assert follow_tour("slip") == (("posterior_oblique", 0.0), ("left", 1.0))
    assert follow_tour("herniation", "foraminal") == (("foramen", 0.0),)


def test_a_tour_moves_the_view_as_the_value_travels_and_ends_when_a_view_is_chosen():
    model = SceneModel()
    animating = {"slip_percent"}
    tour = CameraTour(model, lambda field: field in animating)
    tour.start("slip_percent", 40.0, follow_tour("slip"))
    assert model.get("view") == "posterior_oblique" and tour.pending == ["left"]
    model.set("slip_percent", 30.0)
    assert model.get("view") == "posterior_oblique"
    model.set("slip_percent", 40.0)
    assert model.get("view") == "left" and tour.pending == []
    # A view chosen by hand, or the value moved by something other than the animation, ends it.
    tour.start("slip_percent", 0.0, (("posterior_oblique", 0.0), ("left", 1.0)))
    model.set("view", "anterior")
    model.set("slip_percent", 0.0)
    assert model.get("view") == "anterior"
    tour.start("slip_percent", 40.0, follow_tour("slip"))
    animating.clear()
    model.set("slip_percent", 40.0)
    assert model.get("view") == "posterior_oblique" and tour.pending == []


def test_a_recorded_slip_takes_the_same_tour():
    frames = animation_frames("slip", 10, 6.0, "subarticular", "left")
    views = [f.view for f in frames]
    assert views[0] == "posterior_oblique" and views[-1] == "left"
    turn = views.index("left")
    # The camera turns once the slip has arrived, gliding from where it was.
    assert frames[turn - 1].state.slip_percent > 39.0
    assert frames[turn].previous_view == "posterior_oblique" and frames[turn].camera_t < 0.1
    assert frames[turn + 10].camera_t == 1.0


def test_with_a_timer_the_next_view_waits_for_the_hold_and_turning_back_cancels_it():
    model = SceneModel()
    asked, cancelled = [], []
    tour = CameraTour(model, lambda _field: True, later=asked.append, cancel=lambda: cancelled.append(True))
    tour.start("slip_percent", 40.0, follow_tour("slip"), hold_s=1.0)
    model.set("slip_percent", 40.0)
    assert asked == [1.0] and model.get("view") == "posterior_oblique" and tour.pending == ["left"]
    tour.due()
    assert model.get("view") == "left" and tour.pending == []
    # Toggled off during the hold: the slip turns back, and the camera stays.
    model.set("slip_percent", 0.0)
    tour.start("slip_percent", 40.0, follow_tour("slip"), hold_s=1.0)
    model.set("slip_percent", 40.0)
    model.set("slip_percent", 39.0)
    assert cancelled and tour.pending == []
    tour.due()  # a late timer changes nothing
    assert model.get("view") == "posterior_oblique"
