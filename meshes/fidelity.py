"""Shape distance between two surfaces after a rigid-plus-uniform-scale alignment.

Used to check the parametric L5 against a CT mean shape: align with VTK's iterative
closest point in similarity mode, then measure point-to-surface distances both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkIterativeClosestPointTransform

from meshes.frames import rotation_x, translation
from meshes.geometry import unsigned_distance


@dataclass(frozen=True)
class ShapeDistance:
    """Point-to-surface distances (mm) in both directions after alignment."""

    mean_model_to_reference: float
    mean_reference_to_model: float
    p95_model_to_reference: float
    p95_reference_to_model: float
    max_reference_to_model: float
    scale: float

    @property
    def mean(self) -> float:
        """Mean of the two directions' mean distances.

        Returns
        -------
        float
            The symmetric mean point-to-surface distance, mm.
        """
        return 0.5 * (self.mean_model_to_reference + self.mean_reference_to_model)


def _icp(source: pv.PolyData, target: pv.PolyData, iterations: int) -> np.ndarray:
    icp = vtkIterativeClosestPointTransform()
    icp.SetSource(source)
    icp.SetTarget(target)
    icp.GetLandmarkTransform().SetModeToSimilarity()
    icp.SetMaximumNumberOfIterations(iterations)
    icp.SetMaximumNumberOfLandmarks(4000)
    icp.StartByMatchingCentroidsOn()
    icp.CheckMeanDistanceOn()
    icp.SetMaximumMeanDistance(1e-4)
    icp.Modified()
    icp.Update()
    m = icp.GetMatrix()
    return np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])


def align(
    model: pv.PolyData,
    reference: pv.PolyData,
    start_rotations_deg: tuple[float, ...] = (-30.0, 0.0, 30.0),
) -> tuple[np.ndarray, ShapeDistance]:
    """Best rigid + one-scale alignment of ``model`` onto ``reference``, and its distances.

    Several starting rotations about the left-right axis are tried, and the
    alignment with the smallest mean distance is kept.

    Parameters
    ----------
    model : pyvista.PolyData
        The surface to move (mm), e.g. the parametric L5 in its local frame.
    reference : pyvista.PolyData
        The fixed surface (mm), e.g. a CT mean shape.
    start_rotations_deg : tuple of float, default (-30.0, 0.0, 30.0)
        Starting rotations (degrees) of the model about +x through its centre; at least one.

    Returns
    -------
    matrix : (4, 4) ndarray
        Takes the model's points onto the reference, in the reference's frame (the
        starting rotation included).
    distance : ShapeDistance
        The distances of that alignment.
    """
    best: tuple[np.ndarray, ShapeDistance] | None = None
    centre = np.array(model.center)
    for angle in start_rotations_deg:
        turn = translation(centre) @ rotation_x(angle) @ translation(-centre)
        start = model.transform(turn, inplace=False)
        matrix = _icp(start, reference, 200)
        moved = start.transform(matrix, inplace=False)
        fwd = unsigned_distance(moved.points, reference)
        back = unsigned_distance(reference.points, moved)
        scale = float(np.cbrt(np.linalg.det(matrix[:3, :3])))
        result = ShapeDistance(
            float(fwd.mean()),
            float(back.mean()),
            float(np.percentile(fwd, 95)),
            float(np.percentile(back, 95)),
            float(back.max()),
            scale,
        )
        if best is None or result.mean < best[1].mean:
            best = (matrix @ turn, result)
    assert best is not None
    return best


def shape_distance(
    model: pv.PolyData,
    reference: pv.PolyData,
    start_rotations_deg: tuple[float, ...] = (-30.0, 0.0, 30.0),
) -> ShapeDistance:
    """Align ``model`` onto ``reference`` (rigid + one scale) and measure both ways.

    Parameters
    ----------
    model : pyvista.PolyData
        The surface to align (mm).
    reference : pyvista.PolyData
        The surface it is compared with (mm).
    start_rotations_deg : tuple of float, default (-30.0, 0.0, 30.0)
        Starting turns about +x (degrees), as in :func:`align`.

    Returns
    -------
    ShapeDistance
        The distances after the best alignment; the matrix is dropped.
    """
    return align(model, reference, start_rotations_deg)[1]
