"""A costly signed-distance field sampled on a regular grid, exactly only near its surface.

:func:`sample_band` reads the field on a coarser grid first and upsamples it trilinearly; only
the fine points in a narrow band around the zero level are then evaluated exactly. Farther
out contouring needs only the sign, and the interpolated sign is right there. Coordinates in
millimetres, in the field's own frame.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.sdf_primitives import Field


def _upsample(coarse: np.ndarray, factor: int, dims: np.ndarray) -> np.ndarray:
    """Trilinear upsampling of a coarse grid (nx, ny, nz) by ``factor`` to ``dims`` points."""
    out = coarse
    for axis in range(3):
        u = np.arange(dims[axis]) / factor
        i = np.minimum(np.floor(u).astype(int), out.shape[axis] - 2)
        f = (u - i).reshape([-1 if a == axis else 1 for a in range(3)])
        out = np.take(out, i, axis=axis) * (1.0 - f) + np.take(out, i + 1, axis=axis) * f
    return out


def sample_band(field: Field, lo: np.ndarray, hi: np.ndarray, spacing: float, factor: int = 3,
                band: float = 1.0) -> pv.ImageData:
    """Sample a costly field on a regular grid, exactly only near its surface.

    The field is first evaluated on a grid ``factor`` times coarser; fine points whose
    interpolated value is within ``band`` coarse spacings of zero are then evaluated
    exactly, the rest keep the interpolated value (its sign is right that far away, and
    contouring only needs the sign there).

    Parameters
    ----------
    field : callable
        ``points (n, 3) -> (n,)`` signed distance (mm).
    lo, hi : (3,) array_like
        The grid's corners (mm).
    spacing : float
        Fine grid spacing (mm).
    factor : int, default 3
        How many times coarser the first grid is.
    band : float, default 1
        Within how many coarse spacings of zero the field is evaluated exactly.

    Returns
    -------
    pyvista.ImageData
        The grid with point array ``"sdf"`` (mm).
    """
    lo = np.asarray(lo, float)
    dims = np.ceil((np.asarray(hi, float) - lo) / spacing).astype(int) + 1
    cdims = (dims - 1 + factor - 1) // factor + 2
    axes_c = [lo[i] + spacing * factor * np.arange(cdims[i]) for i in range(3)]
    gx, gy, gz = np.meshgrid(*axes_c, indexing="ij")
    coarse = field(np.column_stack([gx.ravel(), gy.ravel(), gz.ravel()])).reshape(gx.shape)
    values = _upsample(coarse, factor, dims)
    near = np.flatnonzero(np.abs(values.ravel()) < band * factor * spacing)
    ii, jj, kk = np.unravel_index(near, values.shape)
    pts = np.column_stack([lo[0] + spacing * ii, lo[1] + spacing * jj, lo[2] + spacing * kk])
    flat = values.reshape(-1)
    flat[near] = field(pts)
    grid = pv.ImageData(dimensions=dims, spacing=(spacing,) * 3, origin=lo)
    grid.point_data["sdf"] = values.ravel(order="F")
    return grid
