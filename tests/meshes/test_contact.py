"""The no-pass-through measure itself: depth inside a closed surface, decided by the
winding number, so a flat pleat in a squeezed surface reads nothing inside."""

from __future__ import annotations

import numpy as np
import pytest
import pyvista as pv

from meshes.contact import depth_inside, winding_number


def _box_with_a_pleat() -> pv.PolyData:
    """A 20 mm cube with a flat flap (one triangle and the same triangle turned over: two faces
    folded flat onto each other, enclosing nothing) standing 10 mm off its top face, as a
    squeezed disc's crease does."""
    box = pv.Box(bounds=(-10, 10, -10, 10, -10, 10)).triangulate().clean()
    flap = np.array([[-5.0, 0.0, 20.0], [5.0, 0.0, 20.0], [0.0, 0.0, 30.0]])
    points = np.vstack([box.points, flap])
    n = len(box.points)
    faces = np.hstack([box.faces, [3, n, n + 1, n + 2, 3, n, n + 2, n + 1]])
    return pv.PolyData(points, faces)


def test_the_winding_number_is_one_inside_and_nought_outside_a_pleated_surface():
    surface = _box_with_a_pleat()
    inside = np.array([[0.0, 0.0, 0.0], [9.0, 9.0, 9.0]])
    outside = np.array([[0.0, 3.0, 24.0], [0.0, -3.0, 24.0], [0.0, 0.0, 11.0], [30.0, 0.0, 0.0]])
    assert np.allclose(winding_number(inside, surface), 1.0, atol=1e-6)
    assert np.allclose(winding_number(outside, surface), 0.0, atol=1e-6)


@pytest.mark.parametrize("beside", [3.0, -3.0])
def test_a_point_beside_a_pleat_is_not_inside(beside):
    """Whichever way the pleat's nearest face is turned, a point beside it is outside."""
    surface = _box_with_a_pleat()
    assert depth_inside(np.array([[0.0, beside, 24.0]]), surface) == 0.0


def test_a_point_inside_reads_its_depth():
    surface = _box_with_a_pleat()
    assert depth_inside(np.array([[0.0, 0.0, 6.5], [0.0, 0.0, 20.0]]), surface) == pytest.approx(3.5, abs=1e-6)


def test_the_posed_disc_field_reads_a_point_beside_a_pleat_outside():
    """The field the roots meet a moved disc by (and the foramen is measured with) is told the
    disc may crease: a point beside a pleat reads its distance, positive, either side."""
    from meshes.geometry import SurfaceDistance

    surface = _box_with_a_pleat()
    field = SurfaceDistance(surface, creased=True)
    read = field(np.array([[0.0, 3.0, 24.0], [0.0, -3.0, 24.0], [0.0, 0.0, 6.5]]))
    assert read[:2] == pytest.approx([3.0, 3.0], abs=1e-6)
    assert read[2] == pytest.approx(-3.5, abs=1e-6)
