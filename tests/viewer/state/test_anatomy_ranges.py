"""Every anatomy a user can reach builds a valid segment or is refused: random combinations of every
dimension across the whole range a file, --set or a slider allows (hypothesis), each built and
measured. Whatever the guard (viewer.state.validity) lets through is closed, manifold and outward, bone
clear of bone and disc, every root clear at rest; what it refuses, it says why."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from meshes.anatomy import Anatomy
from meshes.geometry import clearance, signed_volume
from meshes.measure import root_clearance
from meshes.pathology import Pathology
from meshes.pose import pose, readouts
from meshes.preparation import prepare
from meshes.segment import build_segment
from viewer.state.validity import problems

EXAMPLES = 30


@st.composite
def anatomies(draw) -> Anatomy:
    """Any dimensions within their ranges that agree with each other (a posterior disc no taller
    than the anterior, an L5 body no more than 2 mm taller behind than in front nor 8 mm
    shorter)."""
    values = {}
    for name in Anatomy.names():
        lo, hi = Anatomy.range(name)
        values[name] = draw(st.floats(lo, hi, allow_nan=False))
    values["disc_height_posterior"] = min(values["disc_height_posterior"], values["disc_height_anterior"])
    values["l5_body_height_posterior"] = min(max(values["l5_body_height_posterior"],
                                                 values["l5_body_height_anterior"] - 8.0),
                                             values["l5_body_height_anterior"] + 2.0)
    return Anatomy(**values)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(anatomies())
def test_any_anatomy_within_the_ranges_builds_a_valid_segment_or_is_refused(anatomy):
    segment = build_segment(anatomy)
    rest = prepare(segment)
    refused = problems(rest)
    if refused:  # said in words a user can act on; nothing is drawn
        assert all("mm" in p or "does not close" in p for p in refused), refused
        return
    for name, mesh in segment.structures.items():
        assert mesh.n_open_edges == 0 and mesh.is_manifold, f"{name} is not closed and manifold for {anatomy}"
        assert signed_volume(mesh) > 0, f"{name} is wound inward for {anatomy}"
    for x, y, allowed in (("L5", "S1", 0.1), ("L5", "disc_annulus", 0.5), ("S1", "disc_annulus", 0.5)):
        gap, where = clearance(segment.structures[x], segment.structures[y])
        assert gap >= -allowed, f"{x}/{y} overlap {-gap:.2f} mm at {where} for {anatomy}"
    for root in ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"):
        # The drawn surfaces may touch within the sampled fields' resolution (0.1 mm; the
        # project's limit for a root in bone is 0.5 mm).
        gap = root_clearance(segment.structures, root)
        assert gap >= -0.1, f"{root} is {-gap:.2f} mm into bone or disc at rest for {anatomy}"
    # ... and as the readouts say (the gap the posed roots see, before they yield).
    healthy = Pathology()
    roots = readouts(rest, pose(rest, healthy), healthy)["roots"]
    assert not [r for r, v in roots.items() if v["compressed"]], f"{roots} at rest for {anatomy}"


def test_the_defaults_the_presets_corners_pass_and_a_root_too_big_for_its_foramen_is_refused():
    """The guard passes the average adult and refuses, with the reason, the smallest foramen round
    the largest L5 root the ranges allow."""
    assert problems(prepare(build_segment(Anatomy()))) == []
    cramped = {n: Anatomy.range(n)[0] for n in Anatomy.names()}
    cramped["root_diameter_l5"] = Anatomy.range("root_diameter_l5")[1]
    cramped["l5_body_height_posterior"] = max(cramped["l5_body_height_posterior"],
                                              cramped["l5_body_height_anterior"] - 8.0)
    found = problems(prepare(build_segment(Anatomy(**cramped))))
    assert any("L5 root meets bone or disc at rest" in p for p in found), found
