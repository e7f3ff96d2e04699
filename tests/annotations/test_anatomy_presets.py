"""Every bundled anatomy preset reads cleanly, cites its sources, and builds a valid segment:
closed, manifold, outward surfaces; no bone in bone; every root clear at rest; and each teaching
condition still presses the roots it should."""

from __future__ import annotations

import pytest

from annotations.anatomy import presets, resolve
from meshes.anatomy import Anatomy
from meshes.geometry import clearance, signed_volume
from meshes.measure import root_clearance
from meshes.pathology import STAGES, Pathology
from meshes.pose import pose, readouts
from meshes.preparation import prepare
from meshes.segment import build_segment

EXPECTED = {"average-adult", "small-adult", "large-adult", "narrow-canal", "high-sacral-slope", "low-sacral-slope"}


def test_the_six_presets_are_bundled_with_titles_and_sources():
    found = presets()
    assert set(found) == EXPECTED and next(iter(found)) == "average-adult"
    for name in found:
        file = resolve(name)
        assert file.title and file.sources, name
    assert resolve("average-adult").anatomy == Anatomy()
    assert resolve("high-sacral-slope").anatomy.sacral_slope == 55.0
    assert resolve("low-sacral-slope").anatomy.sacral_slope == 25.0
    narrow = resolve("narrow-canal").anatomy
    assert narrow.l5_canal_depth < Anatomy().l5_canal_depth - 3.0 and narrow.dural_sac_area <= 100.0
    small, large = resolve("small-adult").anatomy, resolve("large-adult").anatomy
    assert small.l5_endplate_depth < Anatomy().l5_endplate_depth < large.l5_endplate_depth


@pytest.mark.parametrize("name", sorted(EXPECTED - {"average-adult"}))
def test_each_preset_builds_a_valid_segment_whose_conditions_still_reach_their_roots(name):
    segment = build_segment(resolve(name).anatomy)
    for part, mesh in segment.structures.items():
        assert mesh.n_open_edges == 0 and mesh.is_manifold and signed_volume(mesh) > 0, part
    for x, y, allowed in (("L5", "S1", 0.1), ("L5", "disc_annulus", 0.5), ("S1", "disc_annulus", 0.5)):
        gap, where = clearance(segment.structures[x], segment.structures[y])
        assert gap >= -allowed, f"{x}/{y} overlap {-gap:.2f} mm at {where}"
    for root in ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"):
        assert root_clearance(segment.structures, root) >= 0.5, root
    rest = prepare(segment)
    for state, pressed in ((Pathology(slip_percent=40.0), {"root_L5_left", "root_L5_right"}),
                           (Pathology(herniation=STAGES["extrusion"], zone="subarticular"), {"root_S1_left"}),
                           (Pathology(herniation=STAGES["extrusion"], zone="foraminal"), {"root_L5_left"})):
        roots = readouts(rest, pose(rest, state), state)["roots"]
        assert pressed <= {r for r, v in roots.items() if v["compressed"]}, (state, roots)
