"""Path length through closed surfaces along parallel rays, by rasterising their triangles.

For a closed, outward-wound surface and a ray that crosses it, the length of the ray inside
is the sum, over the triangles the ray meets, of the depth where it meets them: plus for a
triangle it leaves through (facing away), minus for one it enters through (facing it). The
sum needs no sorting and no depth layers, so a bone with several layers along one ray (both
pedicles, the arch behind the body) adds up exactly.

The loop over triangles and their pixels is compiled with numba (on first use, then cached):
vectorised numpy spent 227 ms on the 4 million candidate pixels of one lateral radiograph
at 512 x 512, four times the budget of a live image.
"""

from __future__ import annotations

import math

import numpy as np


def path_length(cols: np.ndarray, rows: np.ndarray, depth: np.ndarray, triangles: np.ndarray,
                shape: tuple[int, int], weights: np.ndarray | None = None) -> np.ndarray:
    """Length of each pixel's ray inside a closed surface (or a weighted sum over several).

    Parameters
    ----------
    cols, rows : (n,) ndarray
        The surface's vertices in pixel units: column to the right and row downwards, pixel
        ``(r, c)`` having its centre at ``(c + 0.5, r + 0.5)``.
    depth : (n,) ndarray
        Each vertex's depth along the rays, mm (any origin: a closed surface's sum does not
        depend on it).
    triangles : (m, 3) int ndarray
        Vertex indices, wound outward (counter-clockwise seen from outside in a right-handed
        frame whose third axis is the rays' direction).
    shape : tuple of int
        ``(rows, columns)`` of the image.
    weights : (m,) ndarray, optional
        A factor for each triangle: with the triangles of several closed surfaces, one weight
        per surface gives the weighted sum of their path lengths (attenuation, with weights in
        mm⁻¹). Default 1.

    Returns
    -------
    (rows, columns) ndarray
        Path length, mm (depth units), or the weighted sum; 0 where the rays miss.
    """
    out = np.zeros(shape)
    if len(triangles) == 0:
        return out
    # Depth about its middle: the sum of large offsets cancels less exactly.
    depth = np.asarray(depth, float)
    depth = depth - 0.5 * (depth.min() + depth.max())
    w = np.ones(len(triangles)) if weights is None else np.asarray(weights, float)
    _splat(np.asarray(cols, float), np.asarray(rows, float), depth, np.asarray(triangles, np.int64), w, out)
    return out


def compiled(python_function):
    """A loop compiled by numba when first called (numba is imported only then, so the viewer
    starts without it); it releases the GIL and is cached on disk beside this module.

    Parameters
    ----------
    python_function : callable
        Plain Python over numpy arrays, as numba's ``njit`` takes it.

    Returns
    -------
    callable
        A function that compiles ``python_function`` on its first call and then calls it.
    """
    kernel = []

    def call(*args):
        """``python_function(*args)``, compiled (the first call compiles it, or loads it from disk).

        Parameters
        ----------
        *args : ndarray
            ``python_function``'s arguments.

        Returns
        -------
        object
            What ``python_function`` returns.
        """
        if not kernel:
            import numba

            kernel.append(numba.njit(cache=True, nogil=True)(python_function))
        return kernel[0](*args)

    return call


def _splat_python(cols, rows, depth, triangles, weights, out):  # pragma: no cover (compiled)
    height, width = out.shape
    for t in range(triangles.shape[0]):
        i0, i1, i2 = triangles[t, 0], triangles[t, 1], triangles[t, 2]
        x0, x1, x2 = cols[i0], cols[i1], cols[i2]
        y0, y1, y2 = rows[i0], rows[i1], rows[i2]
        area2 = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
        if abs(area2) < 1e-12:
            continue
        s = 1.0 if area2 > 0 else -1.0
        c0 = max(int(math.ceil(min(x0, x1, x2) - 0.5)), 0)
        c1 = min(int(math.floor(max(x0, x1, x2) - 0.5)), width - 1)
        r0 = max(int(math.ceil(min(y0, y1, y2) - 0.5)), 0)
        r1 = min(int(math.floor(max(y0, y1, y2) - 0.5)), height - 1)
        # Seen from the rays' side with rows downward, an entering (front) face winds clockwise
        # in pixels (area2 > 0): entering subtracts its depth, leaving adds it.
        scale = -s * weights[t] / area2
        z0, z1, z2 = depth[i0], depth[i1], depth[i2]
        for r in range(r0, r1 + 1):
            py = r + 0.5
            for c in range(c0, c1 + 1):
                px = c + 0.5
                e0 = (x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)
                e1 = (x0 - x2) * (py - y2) - (y0 - y2) * (px - x2)
                e2 = area2 - e0 - e1
                if e0 * s >= 0.0 and e1 * s >= 0.0 and e2 * s >= 0.0:
                    out[r, c] += scale * (e0 * z0 + e1 * z1 + e2 * z2)


_splat = compiled(_splat_python)
