"""Implicit (signed-distance) solids and their conversion to smooth triangle surfaces.

Bones are described as primitives (:mod:`meshes.sdf_primitives`) blended with a smooth
minimum, so that pedicles, processes and bodies meet with organic fillets. Each primitive
is evaluated only inside its own padded bounding box, the field is contoured with VTK's
flying edges, and every triangle is labelled with the primitive that dominates at its
centre (:mod:`meshes.contour`). Negative values are inside. Coordinates are in millimetres.
A union cut into two shells that meet flush is :mod:`meshes.split_shells`; a costly field
sampled exactly only near its surface is :mod:`meshes.narrow_band`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyvista as pv

from meshes.sdf_primitives import (
    FAR,
    Capsule,
    Ellipsoid,
    Field,
    smax,
    smin,
)


@dataclass
class Primitive:
    """One labelled ingredient of a solid: how it combines and where it can matter."""

    region: str
    sdf: Field
    lo: np.ndarray
    hi: np.ndarray
    blend: float = 2.0
    subtract: bool = False
    # A primitive made of several named parts (a swept section) labels its own points:
    # ``labeller(p)`` gives each point's index into ``parts``.
    parts: tuple[str, ...] = ()
    labeller: Callable[[np.ndarray], np.ndarray] | None = None


@dataclass
class Solid:
    """A list of primitives combined in order: smooth unions and smooth subtractions."""

    primitives: list[Primitive] = field(default_factory=list)
    clip: Field | None = None

    def add(self, region: str, shape: Capsule | Ellipsoid, blend: float = 2.0) -> None:
        """Blend in a capsule or an ellipsoid, its box taken from the shape itself.

        Parameters
        ----------
        region : str
            The label its triangles get (e.g. ``"pedicle_left"``).
        shape : Capsule or Ellipsoid
            The primitive (mm, in the solid's frame).
        blend : float, default 2
            Smooth-union radius (mm) with what is already there.
        """
        lo, hi = shape.bounds()
        self.primitives.append(Primitive(region, shape, lo, hi, blend))

    def add_field(self, region: str, sdf: Field, lo, hi, blend: float = 2.0) -> None:
        """Blend in any signed-distance field, inside the box the caller gives.

        Parameters
        ----------
        region : str
            The label its triangles get.
        sdf : callable
            ``points (n, 3) -> (n,)`` signed distance (mm, negative inside).
        lo, hi : array_like of 3 floats
            Corners (mm, the solid's frame) of the box outside which the field is not read.
        blend : float, default 2
            Smooth-union radius (mm).
        """
        self.primitives.append(Primitive(region, sdf, np.asarray(lo, float), np.asarray(hi, float), blend))

    def cut(self, sdf: Field, lo, hi, blend: float = 1.0) -> None:
        """Subtract a solid (a canal, a foramen) with a rounded edge.

        Parameters
        ----------
        sdf : callable
            ``points (n, 3) -> (n,)`` signed distance of what is cut away (mm, negative inside).
        lo, hi : array_like of 3 floats
            Corners (mm, the solid's frame) of the cut's box.
        blend : float, default 1
            Radius (mm) of the rounded edge the cut leaves.
        """
        self.primitives.append(
            Primitive("", sdf, np.asarray(lo, float), np.asarray(hi, float), blend, subtract=True)
        )

    def add_parts(self, parts: tuple[str, ...], sdf: Field, labeller: Callable[[np.ndarray], np.ndarray], lo, hi,
                  blend: float = 2.0) -> None:
        """Add a field made of several named parts that labels its own points.

        Parameters
        ----------
        parts : tuple of str
            The parts' labels; the first also names the primitive.
        sdf : callable
            ``points (n, 3) -> (n,)`` signed distance of the whole (mm, negative inside).
        labeller : callable
            ``points (n, 3) -> (n,)`` index into ``parts`` of each point's part.
        lo, hi : array_like of 3 floats
            Corners (mm, the solid's frame) of the field's box.
        blend : float, default 2
            Smooth-union radius (mm).
        """
        self.primitives.append(Primitive(parts[0], sdf, np.asarray(lo, float), np.asarray(hi, float), blend,
                                         parts=tuple(parts), labeller=labeller))

    def regions(self) -> list[str]:
        """The labels of the solid's parts, in the order they were added.

        Returns
        -------
        list of str
            Each non-empty label once (cuts have none); ``region`` cell values index into it.
        """
        names: list[str] = []
        for prim in self.primitives:
            for name in prim.parts or (prim.region,):
                if name and name not in names:
                    names.append(name)
        return names

    def bounds(self, pad: float) -> tuple[np.ndarray, np.ndarray]:
        """The box round every added (not cut) primitive's box.

        Parameters
        ----------
        pad : float
            Margin (mm) added on every side.

        Returns
        -------
        lo, hi : (3,) ndarray
            The box's corners (mm, the solid's frame).
        """
        los = [p.lo for p in self.primitives if not p.subtract]
        his = [p.hi for p in self.primitives if not p.subtract]
        return np.min(los, axis=0) - pad, np.max(his, axis=0) + pad

    def evaluate(self, p: np.ndarray, pad: float = 3.0) -> np.ndarray:
        """Signed distance at arbitrary points.

        As in :func:`sample`, each primitive is evaluated only at points inside its
        box grown by its blend radius and ``pad``; farther away it cannot change the
        field within ``pad`` of the surface.

        Parameters
        ----------
        p : (n, 3) array_like
            Points (mm, the solid's frame).
        pad : float, default 3
            Within this far (mm) of the surface the field is exact; farther out it may read
            :data:`FAR` or a primitive's value without its neighbours.

        Returns
        -------
        (n,) ndarray
            Signed distance (mm, negative inside).
        """
        p = np.asarray(p, float)
        d = np.full(len(p), FAR)
        x, y, z = (np.ascontiguousarray(p[:, k]) for k in range(3))
        # Grid points come sorted along x: a primitive's box then holds a run of them only.
        ordered = len(x) > 1 and bool(np.all(x[1:] >= x[:-1]))
        for prim in self.primitives:
            reach = prim.blend + pad
            lo = prim.lo - reach
            hi = prim.hi + reach
            if ordered:
                a, b = np.searchsorted(x, lo[0], "left"), np.searchsorted(x, hi[0], "right")
                ys, zs = y[a:b], z[a:b]
                idx = a + np.flatnonzero((ys >= lo[1]) & (ys <= hi[1]) & (zs >= lo[2]) & (zs <= hi[2]))
            else:
                near = (x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]) & (z >= lo[2]) & (z <= hi[2])
                idx = np.flatnonzero(near)
            if idx.size == 0:
                continue
            v = prim.sdf(p[idx])
            sub = d[idx]
            d[idx] = smax(sub, -v, prim.blend) if prim.subtract else smin(sub, v, prim.blend)
        if self.clip is not None:
            # The clip can only raise the field: only points inside or near the surface need it.
            idx = np.flatnonzero(d < pad)
            d[idx] = np.maximum(d[idx], self.clip(p[idx]))
        return d

    def label(self, p: np.ndarray) -> np.ndarray:
        """Index into :meth:`regions` of the primitive nearest to each point.

        A point within 4 mm of one primitive's box only is that primitive's; elsewhere the
        primitive with the smallest signed distance wins. Cuts are never a label.

        Parameters
        ----------
        p : (n, 3) ndarray
            Points (mm, the solid's frame), usually triangle centres on its surface.

        Returns
        -------
        (n,) ndarray of int32
            Each point's label index.
        """
        names = self.regions()
        best = np.full(len(p), np.inf)
        out = np.zeros(len(p), dtype=np.int32)
        labelling = [prim for prim in self.primitives if not prim.subtract and prim.region]
        nears = [_in_box(p, prim.lo - 4.0, prim.hi + 4.0) for prim in labelling]
        # A point near one primitive only is that primitive's: no distance needed to choose.
        alone = np.add.reduce(nears, dtype=np.int32) == 1 if nears else np.zeros(len(p), bool)
        for prim, near in zip(labelling, nears, strict=True):
            own = near & alone
            idx = np.flatnonzero(near & ~alone)
            if idx.size:
                v = prim.sdf(p[idx])
                closer = v < best[idx]
                best[idx[closer]] = v[closer]
                own[idx[closer]] = True
            own = np.flatnonzero(own)
            if own.size == 0:
                continue
            if prim.labeller is not None:
                index = np.array([names.index(n) for n in prim.parts], dtype=np.int32)
                out[own] = index[prim.labeller(p[own])]
            else:
                out[own] = names.index(prim.region)
        return out


def _in_box(p: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Which points (N,3) lie inside the box [lo, hi]."""
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    return (x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]) & (z >= lo[2]) & (z <= hi[2])


def sample(
    solid: Solid, spacing: float, pad: float = 3.0, box: tuple[np.ndarray, np.ndarray] | None = None
) -> pv.ImageData:
    """Evaluate a solid on a regular grid, each primitive only inside its padded box.

    Parameters
    ----------
    solid : Solid
        The solid whose field is evaluated (mm, in its own frame).
    spacing : float
        The grid's spacing (mm), the same along x, y and z.
    pad : float, default 3
        How far (mm) beyond its primitives' boxes (and each primitive beyond its blend) the
        field is evaluated.
    box : (lo, hi), optional
        Fixes the grid's extent (mm) so several solids can share one grid.

    Returns
    -------
    pyvista.ImageData
        The grid with the signed distance (mm, negative inside) as point array ``"sdf"``.
    """
    lo, hi = box if box is not None else solid.bounds(pad)
    dims = np.ceil((hi - lo) / spacing).astype(int) + 1
    grid = pv.ImageData(dimensions=dims, spacing=(spacing,) * 3, origin=lo)
    axes = [lo[i] + spacing * np.arange(dims[i]) for i in range(3)]
    field_ = np.full(tuple(dims), FAR)
    for prim in solid.primitives:
        reach = prim.blend + pad
        i0 = np.clip(np.floor((prim.lo - reach - lo) / spacing).astype(int), 0, dims - 1)
        i1 = np.clip(np.ceil((prim.hi + reach - lo) / spacing).astype(int) + 1, 1, dims)
        sl = tuple(slice(i0[k], i1[k]) for k in range(3))
        gx, gy, gz = np.meshgrid(axes[0][sl[0]], axes[1][sl[1]], axes[2][sl[2]], indexing="ij")
        pts = np.stack([gx.ravel(), gy.ravel(), gz.ravel()], axis=1)
        v = prim.sdf(pts).reshape(gx.shape)
        sub = field_[sl]
        field_[sl] = smax(sub, -v, prim.blend) if prim.subtract else smin(sub, v, prim.blend)
    if solid.clip is not None:
        # The clip can only raise the field, so only points inside or near the surface
        # need it.
        idx = np.flatnonzero(field_.ravel() < pad)
        ii, jj, kk = np.unravel_index(idx, field_.shape)
        pts = np.stack([axes[0][ii], axes[1][jj], axes[2][kk]], axis=1)
        flat = field_.reshape(-1)
        flat[idx] = np.maximum(flat[idx], solid.clip(pts))
    grid.point_data["sdf"] = field_.ravel(order="F")
    return grid


Sampled = tuple[np.ndarray, float, np.ndarray]  # grid origin (mm), spacing (mm), values (nx, ny, nz)


def keep_sampled(grid: pv.ImageData, values: np.ndarray) -> Sampled:
    """A sampled field kept for later (posing reads it instead of sampling the solid again).

    Parameters
    ----------
    grid : pyvista.ImageData
        The grid the values were sampled on (its origin and spacing, mm).
    values : ndarray
        The values (mm) in the grid's point order (Fortran order).

    Returns
    -------
    Sampled
        (origin (mm), spacing (mm), values as an (nx, ny, nz) array).
    """
    return (np.array(grid.origin, float), float(grid.spacing[0]),
            np.ascontiguousarray(np.asarray(values).reshape(tuple(grid.dimensions), order="F")))
