"""A developmentally narrow canal leaves little reserve (ANATOMY.md, lumbar spinal stenosis): the
same small herniation that an average canal tolerates presses the S1 roots in a narrow one.

Measured on the posed geometry (the readouts' root clearances), for the bundled average-adult
and narrow-canal presets: the narrow canal's shallow lateral recess holds its S1 roots nearer
the back of the disc, with less fat round them, and its narrow width holds them nearer the
midline, where a central herniation points.
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
        assert narrow[root] <= -0.25, (root, narrow)
        assert average[root] - narrow[root] >= 0.6, (root, average[root], narrow[root])


def test_a_subarticular_herniation_reaches_deeper_into_the_narrow_canal_s1_root(rests):
    for h in (0.1, 0.15):
        average = _clearances(rests["average-adult"], h, "subarticular")["root_S1_left"]
        narrow = _clearances(rests["narrow-canal"], h, "subarticular")["root_S1_left"]
        assert average - narrow >= 0.3, (h, average, narrow)


def test_every_root_of_the_narrow_canal_is_clear_at_rest(rests):
    rest = rests["narrow-canal"]
    roots = _clearances(rest, 0.0, "central")
    assert min(roots.values()) > 0.1, roots
