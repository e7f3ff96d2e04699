"""The parametric L5 against the mean L5 of 87 CT scans (tests/data, see its README).

The reference is a test fixture only; the product never loads it. Alignment is rigid
plus one uniform scale, then point-to-surface distances are measured both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pyvista as pv

from meshes.fidelity import shape_distance

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "L5_mean_shape.vtp"


@pytest.fixture(scope="module")
def distance(segment):
    return shape_distance(segment.structures["L5"], pv.read(REFERENCE))


def test_mean_surface_distance_to_ct_mean_l5(distance):
    # The first build's figure; reshaping the processes and trimming the joints may not lose it.
    assert distance.mean <= 0.95


def test_95th_percentile_both_ways(distance):
    assert distance.p95_model_to_reference <= 2.7
    assert distance.p95_reference_to_model <= 2.7


def test_no_reference_point_far_from_model(distance):
    # A missing or misplaced process shows up as reference points far from the model.
    assert distance.max_reference_to_model <= 6.5


def test_alignment_needs_only_a_modest_scale(distance):
    # The model is built from adult morphometry; the CT mean is an adult L5 too.
    assert 0.85 <= distance.scale <= 1.15
