"""The displayed L5's spinous and transverse processes, sectioned and set against the CT
mean L5 (tests/data) sectioned the same way.

The L5 spinous process is short, broad and quadrangular: a vertical plate about as thick
as a finger's width, as tall at its free end as in its middle. The transverse processes
are thick cones rooted on the pedicle and body, not bars of even width. Sections are cut
in the L5 frame (x right, y anterior, z superior) of the displayed mesh; the reference is
brought into that frame by the same rigid-plus-scale fit the fidelity test uses.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import pyvista as pv

from meshes.fidelity import align
from meshes.frames import placement

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "L5_mean_shape.vtp"


@pytest.fixture(scope="module")
def l5_and_ct(segment):
    local = segment.structures["L5"].transform(np.linalg.inv(placement(segment.anatomy).l5_to_world),
                                               inplace=False)
    matrix, _ = align(local, pv.read(REFERENCE))
    ct = pv.read(REFERENCE).transform(np.linalg.inv(matrix), inplace=False)
    return local, ct


def spinous_section(mesh: pv.PolyData, back_from_tip: float) -> tuple[float, float]:
    """(thickness left–right, height) of the midline process ``back_from_tip`` mm in front of its tip."""
    y = mesh.bounds[2] + back_from_tip
    points = mesh.slice(normal="y", origin=(0.0, y, 0.0)).points
    points = points[np.abs(points[:, 0]) < 12.0]
    return float(np.ptp(points[:, 0])), float(np.ptp(points[:, 2]))


def transverse_section(mesh: pv.PolyData, x: float) -> tuple[float, float, float]:
    """(front–back depth, height, area) of the right transverse process cut at ``x`` mm from the midline."""
    cut = mesh.slice(normal="x", origin=(x, 0.0, 0.0))
    cut = cut.connectivity("largest")
    points = cut.points
    area = pv.PolyData(points).delaunay_2d().area if cut.n_points > 3 else 0.0
    return float(np.ptp(points[:, 1])), float(np.ptp(points[:, 2])), float(area)


def tip_x(mesh: pv.PolyData) -> float:
    return float(mesh.bounds[1])


@pytest.mark.parametrize("back_from_tip", [3.0, 8.0, 13.0])
def test_spinous_process_is_as_thick_as_the_ct_mean(l5_and_ct, back_from_tip):
    model, ct = l5_and_ct
    thick, _ = spinous_section(model, back_from_tip)
    ct_thick, _ = spinous_section(ct, back_from_tip)
    assert thick >= 6.0
    assert thick == pytest.approx(ct_thick, abs=1.5)


def test_spinous_process_is_quadrangular_tall_to_its_free_end(l5_and_ct):
    model, ct = l5_and_ct
    _, middle = spinous_section(model, 10.0)
    _, end = spinous_section(model, 3.0)
    _, ct_middle = spinous_section(ct, 10.0)
    assert middle == pytest.approx(ct_middle, abs=3.0)
    # A rod tapers to a point; the L5 process ends in a broad vertical border. (The CT
    # mean's end is rounder, 13 mm tall 3 mm from the tip: averaging 87 shapes rounds
    # their corners off.)
    assert end >= 0.8 * middle
    assert end >= 14.0


def test_spinous_process_is_short(l5_and_ct, segment):
    model, ct = l5_and_ct
    # From the back of the canal (the laminae's front in the midline) to the tip.
    canal_back = segment.anatomy.l5_endplate_depth * -0.5 - segment.anatomy.l5_canal_depth
    reach = canal_back - model.bounds[2]
    ct_reach = canal_back - ct.bounds[2]
    assert reach <= 40.0
    assert reach == pytest.approx(ct_reach, abs=3.0)


def test_transverse_processes_are_cones_rooted_on_the_pedicle(l5_and_ct):
    model, ct = l5_and_ct
    tip = tip_x(model)
    root_depth, root_height, root_area = transverse_section(model, tip - 17.0)
    depth, height, area = transverse_section(model, tip - 4.0)
    # Thick at the root, narrowing toward the tip, in both directions.
    assert root_area >= 1.8 * area
    assert root_depth > depth and root_height > height
    ct_depth, ct_height, _ = transverse_section(ct, tip_x(ct) - 4.0)
    # ... and the tip is as thick as the real one, not a thin rod.
    assert depth == pytest.approx(ct_depth, abs=2.5)
    assert height == pytest.approx(ct_height, abs=2.5)
