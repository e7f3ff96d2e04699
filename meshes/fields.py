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
        """Sample an implicit solid in its own frame (fast: each primitive in its box)."""
        from meshes.implicit import sample

        grid = sample(solid, spacing)
        dims = np.array(grid.dimensions)
        values = np.asarray(grid["sdf"]).reshape(tuple(dims), order="F")
        return GridField(np.array(grid.origin, float), float(spacing), np.ascontiguousarray(values),
                         to_local=np.asarray(to_local, float))

    @staticmethod
    def of_samples(sampled: tuple[np.ndarray, float, np.ndarray], to_local: np.ndarray) -> GridField:
        """A field already sampled (origin, spacing, values), e.g. while building a surface."""
        origin, spacing, values = sampled
        return GridField(np.asarray(origin, float), float(spacing), values, to_local=np.asarray(to_local, float))

    def __post_init__(self) -> None:
        # The values as one flat array, the steps between neighbours along x, y and z in it,
        # and the map from query points to grid units (to_local, less the origin, over the spacing).
        nx, ny, nz = self.values.shape
        object.__setattr__(self, "_flat", np.ascontiguousarray(self.values).reshape(-1))
        object.__setattr__(self, "_strides", (ny * nz, nz, 1))
        m = np.eye(4) if self.to_local is None else np.asarray(self.to_local, float)
        object.__setattr__(self, "_to_local", m)

    def __call__(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, float)
        x, y, z = p[:, 0], p[:, 1], p[:, 2]
        m = self._to_local
        base = 0
        out = np.zeros(len(p), bool)
        t = []
        # Axis by axis, on whole columns: cheaper than on (N, 3) arrays for the few
        # hundred points a frame asks about.
        for k, (size, stride) in enumerate(zip(self.values.shape, self._strides, strict=True)):
            a, b, c, d = m[k]
            f = x * a + y * b + z * c + d
            f -= self.origin[k]
            f /= self.spacing
            i = np.floor(f).astype(np.intp)
            out |= (i < 0) | (i >= size - 1)
            np.minimum(np.maximum(i, 0, out=i), size - 2, out=i)
            f -= i
            t.append(np.minimum(np.maximum(f, 0.0, out=f), 1.0, out=f))
            base = base + i * stride
        sx, sy, sz = self._strides
        v = self._flat
        tx, ty, tz = t
        c00 = v[base] * (1 - tx) + v[base + sx] * tx
        c01 = v[base + sz] * (1 - tx) + v[base + sx + sz] * tx
        c10 = v[base + sy] * (1 - tx) + v[base + sx + sy] * tx
        c11 = v[base + sy + sz] * (1 - tx) + v[base + sx + sy + sz] * tx
        c0 = c00 * (1 - ty) + c10 * ty
        c1 = c01 * (1 - ty) + c11 * ty
        d = c0 * (1 - tz) + c1 * tz
        d[out] = self.outside
        return d


def gradient(field, p: np.ndarray, h: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """(value, unit gradient) of a distance function at points ``p`` by central differences."""
    p = np.asarray(p, float)
    offsets = np.vstack([np.zeros(3), np.eye(3) * h, -np.eye(3) * h])
    v = field((p[None] + offsets[:, None]).reshape(-1, 3)).reshape(7, len(p))
    g = ((v[1:4] - v[4:7]) / (2 * h)).T
    g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-9)
    return v[0], g
