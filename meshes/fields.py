"""Signed-distance fields sampled once on a grid, then read back fast by trilinear interpolation.

Posing must run at animation rates, so the implicit solid of each rigid piece of bone
(and of the rest disc) is sampled once in its own frame when the segment is prepared;
a posed query maps its points back into the piece's rest position and interpolates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshes.frames import apply


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

    def __call__(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, float)
        if self.to_local is not None:
            p = apply(self.to_local, p)
        f = (p - self.origin) / self.spacing
        n = np.array(self.values.shape)
        i = np.floor(f).astype(int)
        out = np.any((i < 0) | (i >= n - 1), axis=1)
        i = np.clip(i, 0, n - 2)
        t = np.clip(f - i, 0.0, 1.0)
        v = self.values
        x, y, z = i[:, 0], i[:, 1], i[:, 2]
        tx, ty, tz = t[:, 0], t[:, 1], t[:, 2]
        c00 = v[x, y, z] * (1 - tx) + v[x + 1, y, z] * tx
        c01 = v[x, y, z + 1] * (1 - tx) + v[x + 1, y, z + 1] * tx
        c10 = v[x, y + 1, z] * (1 - tx) + v[x + 1, y + 1, z] * tx
        c11 = v[x, y + 1, z + 1] * (1 - tx) + v[x + 1, y + 1, z + 1] * tx
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
