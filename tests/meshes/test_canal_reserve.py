"""A developmentally narrow canal leaves little reserve (ANATOMY.md, lumbar spinal stenosis): the
same small herniation that an average canal tolerates presses the S1 roots in a narrow one.

Measured on the posed geometry (the readouts' root clearances), for the bundled average-adult
and narrow-canal presets: the narrow canal's shallow lateral recess holds its S1 roots nearer
the back of the disc, with less fat round them. (A narrower canal width would also hold them
nearer the midline, where a central herniation points; the preset keeps the width normal, as
developmental stenosis does.)
"""

from __future__ import annotations

import pytest

from annotations.anatomy import resolve
from meshes.pathology import Pathology
from meshes.pose import pose, readouts
from meshes.preparation import prepare
from meshes.segment import build_segment

S1 = ("root_S1_left", "root_S1_right")


@pytest.fixture(scope="module")
def rests():
    return {name: prepare(build_segment(resolve(name).anatomy)) for name in ("average-adult", "narrow-canal")}


def _clearances(rest, herniation: float, zone: str) -> dict[str, float]:
    state = Pathology(herniation=herniation, zone=zone)
    roots = readouts(rest, pose(rest, state), state)["roots"]
    return {root: value["clearance_mm"] for root, value in roots.items()}


def test_a_small_central_herniation_spares_the_average_canal_s1_roots_and_presses_the_narrow_canal_ones(rests):
    # A small central protrusion, early in its growth (a fifth of the way to a free fragment).
    average = _clearances(rests["average-adult"], 0.2, "central")
    narrow = _clearances(rests["narrow-canal"], 0.2, "central")
    for root in S1:
        assert average[root] >= 0.15, (root, average)
        assert narrow[root] <= -0.1, (root, narrow)
        assert average[root] - narrow[root] >= 0.4, (root, average[root], narrow[root])


def test_a_subarticular_herniation_reaches_deeper_into_the_narrow_canal_s1_root(rests):
    for h in (0.1, 0.15):
        average = _clearances(rests["average-adult"], h, "subarticular")["root_S1_left"]
        narrow = _clearances(rests["narrow-canal"], h, "subarticular")["root_S1_left"]
        assert average - narrow >= 0.3, (h, average, narrow)


def test_every_root_of_the_narrow_canal_is_clear_at_rest(rests):
    rest = rests["narrow-canal"]
    roots = _clearances(rest, 0.0, "central")
    assert min(roots.values()) > 0.1, roots


def test_the_dural_sac_is_measured_at_the_disc_as_the_anatomy_sets_it_and_a_central_protrusion_dents_it(rests):
    """The sac's section in the disc's mid-plane, read off the drawn surface, is the area each anatomy
    gives it (the plane lies a little oblique to the sac: within 10%); a central protrusion dents it,
    and in the narrow canal takes it under Schönström's 100 mm² (relative stenosis)."""
    areas = {}
    for name, rest in rests.items():
        for h in (0.0, 0.2):
            state = Pathology(herniation=h, zone="central")
            areas[name, h] = readouts(rest, pose(rest, state), state)["dural_sac_area_mm2"]
    assert areas["average-adult", 0.0] == pytest.approx(150.0, rel=0.1)
    assert areas["narrow-canal", 0.0] == pytest.approx(100.0, rel=0.1)
    for name in rests:
        assert areas[name, 0.2] < areas[name, 0.0] - 10.0, areas
    assert areas["average-adult", 0.2] > 100.0 > areas["narrow-canal", 0.2], areas


def test_the_sac_s_section_is_read_through_a_slip_and_a_bend(rests):
    """An isthmic slip leaves the sac behind with the arch, and a bend moves it little: its section
    at the disc stays the anatomy's (a plane tied to L5's slipping endplate had missed it: 0 mm²)."""
    rest = rests["average-adult"]
    for state in (Pathology(slip_percent=40.0), Pathology(slip_percent=100.0), Pathology(posture=-1.0),
                  Pathology(posture=1.0)):
        area = readouts(rest, pose(rest, state), state)["dural_sac_area_mm2"]
        assert area == pytest.approx(150.0, rel=0.1), (state, area)
