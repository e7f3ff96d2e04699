"""Closed surfaces cut by a plane and filled as pixel masks (for the MRI-like slices).

A closed triangle surface meets a plane in closed loops; every triangle with vertices on
both sides gives one segment of them (:func:`section_segments`). Filling those loops on a
pixel grid needs no chaining into polygons: a scanline through a pixel row crosses the
loops an even number of times, and a pixel centre is inside when an odd number of
crossings lie left of it (the even-odd rule, :func:`fill_even_odd`). So a hole (an annulus
around its nucleus, a ring of bone around the canal) stays a hole. Everything is
vectorised numpy. World frame RAS (+x right, +y anterior, +z superior), mm; pixel
coordinates are (column, row) with pixel centres on whole numbers and row 0 at the top.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

# The three edges of a triangle, as (from, to) corner indices.
_EDGES = np.array([[0, 1], [1, 2], [2, 0]])


def section_segments(mesh: pv.PolyData, origin: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The segments where a closed triangle surface crosses a plane.

    Parameters
    ----------
    mesh : pyvista.PolyData
        A closed all-triangle surface, world frame RAS (+x right, +y anterior, +z superior), mm.
    origin : (3,) ndarray
        A point of the plane (world, mm).
    normal : (3,) ndarray
        The plane's unit normal (world).

    Returns
    -------
    (k, 2, 3) ndarray
        Both ends (world, mm) of each of the ``k`` segments; together they form the closed
        loops of the cross-section. A vertex exactly on the plane counts as in front of it,
        so every crossing triangle gives exactly one segment.
    """
    points = np.asarray(mesh.points, dtype=float)
    d = (points - origin) @ normal
    if d.size == 0 or d.min() >= 0.0 or d.max() < 0.0:
        return np.zeros((0, 2, 3))
    tri = mesh.regular_faces
    front = d >= 0.0
    # Only a triangle with corners on both sides crosses the plane.
    n_front = front[tri].sum(axis=1)
    tri = tri[(n_front > 0) & (n_front < 3)]
    a = tri[:, _EDGES[:, 0]]  # (k, 3): each edge's first corner
    b = tri[:, _EDGES[:, 1]]
    crossing = front[a] != front[b]  # exactly two edges of each triangle
    a, b = a[crossing], b[crossing]
    da, db = d[a], d[b]
    t = (da / (da - db))[:, None]
    ends = points[a] + t * (points[b] - points[a])
    return ends.reshape(-1, 2, 3)


def fill_even_odd(segments: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Pixels inside closed loops, by the even-odd rule along each pixel row.

    Parameters
    ----------
    segments : (k, 2, 2) ndarray
        The loops' segments in pixel coordinates (column, row); pixel centres are on whole
        numbers, row 0 at the top.
    shape : (int, int)
        The mask's (rows, columns).

    Returns
    -------
    (rows, columns) ndarray of bool
        True where a pixel centre lies inside an odd number of loops.
    """
    rows, cols = shape
    mask = np.zeros(shape, dtype=bool)
    if len(segments) == 0:
        return mask
    x0, y0 = segments[:, 0, 0], segments[:, 0, 1]
    x1, y1 = segments[:, 1, 0], segments[:, 1, 1]
    # A segment crosses the rows r with low <= r < high (half open, so a shared end counts once).
    first = np.clip(np.ceil(np.minimum(y0, y1)), 0, rows).astype(np.int64)
    stop = np.clip(np.ceil(np.maximum(y0, y1)), 0, rows).astype(np.int64)
    count = stop - first
    keep = count > 0
    if not keep.any():
        return mask
    x0, y0, x1, y1, first, count = x0[keep], y0[keep], x1[keep], y1[keep], first[keep], count[keep]
    seg = np.repeat(np.arange(len(count)), count)
    row = first[seg] + (np.arange(seg.size) - np.repeat(np.cumsum(count) - count, count))
    slope = (x1 - x0) / (y1 - y0)
    x = x0[seg] + (row - y0[seg]) * slope[seg]
    # The crossing switches the inside state from the first pixel centre right of it on.
    col = np.clip(np.floor(x).astype(np.int64) + 1, 0, cols)
    lo_row, hi_row = int(row.min()), int(row.max()) + 1
    lo_col = int(col.min())
    width = cols + 1 - lo_col
    toggles = np.bincount((row - lo_row) * width + (col - lo_col), minlength=(hi_row - lo_row) * width)
    parity = np.cumsum(toggles.reshape(hi_row - lo_row, width) & 1, axis=1, dtype=np.uint8) & 1
    mask[lo_row:hi_row, lo_col:] = parity[:, :-1].astype(bool)
    return mask
