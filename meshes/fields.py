"""Signed-distance fields sampled once on a grid, then read back fast by trilinear interpolation.

Posing must run at animation rates, so the implicit solid of each rigid piece of bone
(and of the rest disc) is sampled once in its own frame when the segment is prepared;
a posed query maps its points back into the piece's rest position and interpolates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GridField:
    """Signed distance (mm, negative inside) on a regular grid; far outside reads as ``outside``."""

    origin: np.ndarray
    spacing: float
    values: np.ndarray  # (nx, ny, nz)
    outside: float = 50.0
    to_local: np.ndarray | None = None  # 4x4 applied to query points first

    @staticmethod
    def of_solid(solid, to_local: np.ndarray, spacing: float = 1.0) -> GridField:
        """Sample an implicit solid in its own frame (fast: each primitive in its box).

        Parameters
        ----------
        solid : Solid
            The implicit solid, in its modelling frame (L5's or S1's local frame).
        to_local : (4, 4) ndarray
            From the frame of later queries (the world frame in posing) to the solid's frame.
        spacing : float, default 1.0
            Grid spacing, mm.

        Returns
        -------
        GridField
            The sampled field.
        """
        from meshes.implicit import sample

        grid = sample(solid, spacing)
        dims = np.array(grid.dimensions)
        values = np.asarray(grid["sdf"]).reshape(tuple(dims), order="F")
        return GridField(np.array(grid.origin, float), float(spacing), np.ascontiguousarray(values),
                         to_local=np.asarray(to_local, float))

    @staticmethod
    def of_samples(sampled: tuple[np.ndarray, float, np.ndarray], to_local: np.ndarray) -> GridField:
        """A field already sampled, e.g. while building a surface.

        Parameters
        ----------
        sampled : tuple
            (origin (3,) in the solid's frame, spacing in mm, values (nx, ny, nz) in mm).
        to_local : (4, 4) ndarray
            From the frame of later queries to the frame the values were sampled in.

        Returns
        -------
        GridField
            A field reading those values.
        """
        origin, spacing, values = sampled
        return GridField(np.asarray(origin, float), float(spacing), values, to_local=np.asarray(to_local, float))

    def __post_init__(self) -> None:
        # The values as one flat array, the offsets in it of a cell's eight corners (x, y, z
        # order: corner (i, j, k) at 4i + 2j + k), the steps between neighbours along x, y
        # and z, and the map from query points to grid units (to_local, less the origin,
        # over the spacing).
        nx, ny, nz = self.values.shape
        strides = np.array([ny * nz, nz, 1])
        corners = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)]) @ strides
        object.__setattr__(self, "_flat", np.ascontiguousarray(self.values).reshape(-1))
        object.__setattr__(self, "_strides", tuple(int(s) for s in strides))
        object.__setattr__(self, "_corners", corners[:, None])
        object.__setattr__(self, "_last", (np.array(self.values.shape) - 2)[:, None])
        object.__setattr__(self, "_origin", np.asarray(self.origin, float)[:, None])
        m = np.eye(4) if self.to_local is None else np.asarray(self.to_local, float)
        object.__setattr__(self, "_to_local", m)
        # to_local's columns as (3, 1) arrays, for the three axes at once.
        object.__setattr__(self, "_columns", tuple(np.ascontiguousarray(m[:3, c:c + 1]) for c in range(4)))

    def __call__(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, float)
        a, b, c, d = self._columns
        # The three axes at once, as rows of (3, N) arrays (long rows: numpy's fast loops),
        # each coordinate worked out as x * m[k, 0] + y * m[k, 1] + z * m[k, 2] + m[k, 3]:
        # few calls, the same sums.
        f = a * p[:, 0] + b * p[:, 1] + c * p[:, 2] + d
        f -= self._origin
        f /= self.spacing
        i = np.floor(f).astype(np.intp)
        out = ((i < 0) | (i > self._last)).any(axis=0)
        np.minimum(np.maximum(i, 0, out=i), self._last, out=i)
        f -= i
        tx, ty, tz = np.minimum(np.maximum(f, 0.0, out=f), 1.0, out=f)
        sx, sy, _ = self._strides
        base = i[0] * sx + i[1] * sy + i[2]
        # The eight corners in one gather, then the trilinear blend an axis at a time.
        v = self._flat[self._corners + base].reshape(2, 4, -1)
        c = (v[0] * (1 - tx) + v[1] * tx).reshape(2, 2, -1)  # c00, c01 | c10, c11
        c = c[0] * (1 - ty) + c[1] * ty  # c0, c1
        d = c[0] * (1 - tz) + c[1] * tz
        d[out] = self.outside
        return d


def gradient(field, p: np.ndarray, h: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Value and unit gradient of a distance function, by central differences.

    Parameters
    ----------
    field : callable
        ``(m, 3) points -> (m,)`` distance (mm); asked once, at 7 points per query point.
    p : (n, 3) array_like
        Query points, in the field's query frame (mm).
    h : float, default 0.5
        Difference step (mm).

    Returns
    -------
    value : (n,) ndarray
        The field at ``p``, mm.
    direction : (n, 3) ndarray
        The normalised gradient (outward, toward larger distance), same frame.
    """
    p = np.asarray(p, float)
    offsets = np.vstack([np.zeros(3), np.eye(3) * h, -np.eye(3) * h])
    v = field((p[None] + offsets[:, None]).reshape(-1, 3)).reshape(7, len(p))
    g = ((v[1:4] - v[4:7]) / (2 * h)).T
    g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-9)
    return v[0], g
