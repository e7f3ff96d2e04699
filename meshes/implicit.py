"""Implicit (signed-distance) solids and their conversion to smooth triangle surfaces.

Bones are described as primitives blended with a smooth minimum, so that pedicles,
processes and bodies meet with organic fillets. Each primitive is evaluated only
inside its own padded bounding box, the field is contoured with VTK's flying edges,
and every triangle is labelled with the primitive that dominates at its centre.
Negative values are inside. Coordinates are in millimetres.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyvista as pv

Field = Callable[[np.ndarray], np.ndarray]

FAR = 1.0e3


def last_answer(fn: Field) -> Field:
    """``fn`` of points (N,3) remembering its last answer, so that asking again at the same
    points (two solids that share a term, sampled on one grid) does not compute it twice."""
    last: list = []

    def remembered(p: np.ndarray) -> np.ndarray:
        if last and last[0].shape == p.shape and np.array_equal(last[0], p):
            return last[1]
        value = fn(p)
        value.flags.writeable = False  # shared by both askers
        last[:] = [np.array(p, copy=True), value]
        return value

    return remembered


def smin(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Polynomial smooth minimum (a rounded union) with blend radius ``k`` mm."""
    if k <= 0:
        return np.minimum(a, b)
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b + (a - b) * h - k * h * (1.0 - h)


def smoothstep(a: float, b: float, x) -> np.ndarray:
    """0 below ``a``, 1 above ``b``, a smooth cubic in between."""
    # np.minimum/np.maximum: np.clip's checks cost more than the sum on small arrays.
    t = np.minimum(np.maximum((np.asarray(x, float) - a) / (b - a), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def smax(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Smooth maximum (a rounded intersection) with blend radius ``k`` mm."""
    return -smin(-a, -b, k)


def frame(axis: Sequence[float], up: Sequence[float] = (0.0, 0.0, 1.0)) -> np.ndarray:
    """Orthonormal rows (e1, e2, axis) with e2 as close to ``up`` as possible."""
    w = np.asarray(axis, float)
    w = w / np.linalg.norm(w)
    u = np.asarray(up, float) - np.dot(up, w) * w
    if np.linalg.norm(u) < 1e-6:
        u = np.array([1.0, 0.0, 0.0]) - w[0] * w
    u = u / np.linalg.norm(u)
    e1 = np.cross(u, w)
    return np.array([e1, u, w])


def _local(p: np.ndarray, origin: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates of points (N,3) along the three ``rows`` (unit axes) from ``origin``, as
    three columns (summed one by one: cheaper than a thin matrix product)."""
    d = [p[:, k] - origin[k] for k in range(3)]
    out = []
    for a, b, c in rows:
        col = d[0] * a
        col += d[1] * b
        col += d[2] * c
        out.append(col)
    return out[0], out[1], out[2]


def ellipsoid_distance(q: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Approximate signed distance of local points ``q`` (N,3) to an ellipsoid.

    ``radii`` may be (3,) or per-point (N,3). Inigo Quilez's bound: exact on the axes,
    close elsewhere for moderate eccentricity.
    """
    k0 = np.linalg.norm(q / radii, axis=-1)
    k1 = np.linalg.norm(q / (radii * radii), axis=-1)
    return np.where(k1 > 1e-9, k0 * (k0 - 1.0) / np.maximum(k1, 1e-9), -np.min(radii, axis=-1))


@dataclass(frozen=True)
class Capsule:
    """A bar from ``a`` to ``b`` with an elliptical section and rounded ends.

    ``width`` and ``height`` are the section's full diameters at ``a`` and ``b``
    (linearly interpolated); ``height`` is measured along ``up`` projected off the axis.
    """

    a: tuple[float, float, float]
    b: tuple[float, float, float]
    width: tuple[float, float]
    height: tuple[float, float]
    up: tuple[float, float, float] = (0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        a = np.asarray(self.a, float)
        b = np.asarray(self.b, float)
        object.__setattr__(self, "_origin", a)
        object.__setattr__(self, "_length", float(np.linalg.norm(b - a)))
        object.__setattr__(self, "_rot", frame(b - a, self.up))

    def __call__(self, p: np.ndarray) -> np.ndarray:
        length = self._length
        x, y, s = _local(p, self._origin, self._rot)
        t = np.clip(s * (1.0 / length), 0.0, 1.0)
        rw = 0.5 * self.width[0] + (0.5 * (self.width[1] - self.width[0])) * t
        rh = 0.5 * self.height[0] + (0.5 * (self.height[1] - self.height[0])) * t
        over = s - np.clip(s, 0.0, length)
        re = np.minimum(rw, rh)
        # Inigo Quilez's ellipsoid bound, written out for speed (see ellipsoid_distance).
        qx, qy, qz = x / rw, y / rh, over / re
        k0 = np.sqrt(qx * qx + qy * qy + qz * qz)
        qx /= rw
        qy /= rh
        qz /= re
        k1 = np.sqrt(qx * qx + qy * qy + qz * qz)
        return np.where(k1 > 1e-9, k0 * (k0 - 1.0) / np.maximum(k1, 1e-9), -re)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        r = 0.5 * max(*self.width, *self.height)
        pts = np.array([self.a, self.b], float)
        return pts.min(0) - r, pts.max(0) + r


@dataclass(frozen=True)
class Ellipsoid:
    """An ellipsoid with semi-axes ``radii`` along the rows of ``axes`` (identity if omitted)."""

    center: tuple[float, float, float]
    radii: tuple[float, float, float]
    axes: tuple[tuple[float, float, float], ...] = ((1, 0, 0), (0, 1, 0), (0, 0, 1))

    def __call__(self, p: np.ndarray) -> np.ndarray:
        q = np.column_stack(_local(p, np.asarray(self.center, float), np.asarray(self.axes, float)))
        return ellipsoid_distance(q, np.asarray(self.radii, float))

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        r = max(self.radii)
        c = np.asarray(self.center, float)
        return c - r, c + r


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
        lo, hi = shape.bounds()
        self.primitives.append(Primitive(region, shape, lo, hi, blend))

    def add_field(self, region: str, sdf: Field, lo, hi, blend: float = 2.0) -> None:
        self.primitives.append(Primitive(region, sdf, np.asarray(lo, float), np.asarray(hi, float), blend))

    def cut(self, sdf: Field, lo, hi, blend: float = 1.0) -> None:
        """Subtract a solid (a canal, a foramen) with a rounded edge."""
        self.primitives.append(
            Primitive("", sdf, np.asarray(lo, float), np.asarray(hi, float), blend, subtract=True)
        )

    def add_parts(self, parts: tuple[str, ...], sdf: Field, labeller: Callable[[np.ndarray], np.ndarray], lo, hi,
                  blend: float = 2.0) -> None:
        """Add a field made of several named parts that labels its own points."""
        self.primitives.append(Primitive(parts[0], sdf, np.asarray(lo, float), np.asarray(hi, float), blend,
                                         parts=tuple(parts), labeller=labeller))

    def regions(self) -> list[str]:
        names: list[str] = []
        for prim in self.primitives:
            for name in prim.parts or (prim.region,):
                if name and name not in names:
                    names.append(name)
        return names

    def bounds(self, pad: float) -> tuple[np.ndarray, np.ndarray]:
        los = [p.lo for p in self.primitives if not p.subtract]
        his = [p.hi for p in self.primitives if not p.subtract]
        return np.min(los, axis=0) - pad, np.max(his, axis=0) + pad

    def evaluate(self, p: np.ndarray, pad: float = 3.0) -> np.ndarray:
        """Signed distance at arbitrary points (N,3).

        As in :func:`sample`, each primitive is evaluated only at points inside its
        box grown by its blend radius and ``pad``; farther away it cannot change the
        field within ``pad`` of the surface.
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
        """Index into :meth:`regions` of the primitive nearest to each point."""
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

    ``box`` (lo, hi) fixes the grid's extent so several solids can share one grid.
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


def surface(
    grid: pv.ImageData,
    smoothing_iterations: int = 15,
    pass_band: float = 0.08,
) -> pv.PolyData:
    """Zero level set of a sampled field as a clean, smoothed, all-triangle surface."""
    # A field value of exactly zero at a grid vertex would make flying edges emit
    # coincident points and degenerate triangles; nudging it keeps the surface manifold.
    sdf = grid.point_data["sdf"]
    sdf[sdf == 0.0] = 1e-6
    mesh = grid.contour([0.0], scalars="sdf", method="flying_edges", compute_scalars=False)
    mesh = mesh.triangulate()
    if smoothing_iterations:
        mesh = mesh.smooth_taubin(n_iter=smoothing_iterations, pass_band=pass_band)
    mesh.clear_data()
    return mesh


def label_cells(mesh: pv.PolyData, solid: Solid) -> None:
    """Attach a ``region`` cell array: the dominant primitive at each triangle's centre."""
    centers = mesh.cell_centers().points
    mesh.cell_data["region"] = solid.label(centers)
    mesh.field_data["region_names"] = np.array(solid.regions())


Sampled = tuple[np.ndarray, float, np.ndarray]  # grid origin (mm), spacing (mm), values (nx, ny, nz)


def _keep(grid: pv.ImageData, values: np.ndarray) -> Sampled:
    """A sampled field kept for later (posing reads it instead of sampling the solid again)."""
    return (np.array(grid.origin, float), float(grid.spacing[0]),
            np.ascontiguousarray(np.asarray(values).reshape(tuple(grid.dimensions), order="F")))


def build(solid: Solid, spacing: float, smoothing_iterations: int = 15, sampled: dict | None = None) -> pv.PolyData:
    """Sample, contour, smooth and label a solid: a watertight surface with outward normals.

    With ``sampled`` (a dict), the solid's field is kept in it under "solid".
    """
    grid = sample(solid, spacing)
    if sampled is not None:
        sampled["solid"] = _keep(grid, grid.point_data["sdf"])
    mesh = surface(grid, smoothing_iterations)
    label_cells(mesh, solid)
    return orient_outward(mesh)


# What a blocked grid point (see :func:`released`) counts as: back material this deep.
BLOCKED_SHARE = 0.5


def released(
    share: np.ndarray, inside: np.ndarray, direction, movable: np.ndarray | None = None, spread: float = 0.3,
    blocked: np.ndarray | None = None,
) -> np.ndarray:
    """Reassign to the back whatever front material lies behind it along ``direction``.

    ``share`` is a field on an (nx, ny, nz) grid, negative where the front solid owns
    a point; ``inside`` marks the grid points inside the union. A point stays front
    only if no back-owned point of the union lies ahead of it inside a cone around
    ``direction`` (mostly +y; half-angle atan(``spread``)), so the front shell can move
    that way without running into the back one and every face of the cut opens.
    Only points where ``movable`` is true may change owner. Grid points marked ``blocked``
    (a neighbour's bone in the way) count as back material ahead too.
    """
    d = np.asarray(direction, float)
    d = d / d[1]
    source = np.where(inside, share, -FAR)
    if blocked is not None:
        source = np.where(blocked, np.maximum(source, BLOCKED_SHARE), source)
    out = share.copy()
    carry = source[:, -1, :].copy()
    drift = np.zeros(2)
    grow = 0.0
    for j in range(share.shape[1] - 2, -1, -1):
        # What lies ahead of (x, z) along the direction sits at (x + d_x, z + d_z).
        drift += (d[0], d[2])
        for axis in (0, 1):
            steps = int(np.trunc(drift[axis]))
            if steps:
                carry = _shift(carry, -steps, axis)
                drift[axis] -= steps
        grow += spread
        if grow >= 1.0:
            grow -= 1.0
            carry = np.maximum.reduce(
                [carry, _shift(carry, 1, 0), _shift(carry, -1, 0), _shift(carry, 1, 1), _shift(carry, -1, 1)]
            )
        here = np.maximum(share[:, j, :], carry)
        out[:, j, :] = here if movable is None else np.where(movable[:, j, :], here, share[:, j, :])
        carry = np.maximum(source[:, j, :], carry)
    return out


def _shift(a: np.ndarray, steps: int, axis: int) -> np.ndarray:
    """``a`` moved ``steps`` cells along ``axis``, the vacated cells set to -FAR."""
    out = np.full_like(a, -FAR)
    src = [slice(None)] * 2
    dst = [slice(None)] * 2
    if steps > 0:
        src[axis], dst[axis] = slice(0, -steps), slice(steps, None)
    else:
        src[axis], dst[axis] = slice(-steps, None), slice(0, steps)
    out[tuple(dst)] = a[tuple(src)]
    return out


def build_split(
    front: Solid,
    back: Solid,
    spacing: float,
    join: float,
    smoothing_iterations: int = 15,
    release=None,
    fixed: tuple[str, ...] = (),
    sampled: dict | None = None,
    labelled: bool = True,
    blocker=None,
) -> tuple[pv.PolyData, pv.PolyData]:
    """Two shells that together form the smooth union of ``front`` and ``back``.

    The union is split along the surface where both solids are equally deep, so the
    shells meet flush (their cut faces coincide) and can later be moved apart. With
    ``release`` (a direction), front material behind the back solid along it goes to
    the back shell (see :func:`released`) so the front can slide out that way; points
    whose dominant region starts with a name in ``fixed`` keep their owner.
    Each shell is labelled with the regions of both solids, unless ``labelled`` is false.
    With ``sampled`` (a dict), the two solids' fields are kept in it under "front" and "back".
    ``blocker`` (field, lo, hi): a neighbour's bone, in this frame, that the front must also
    slide clear of: front material behind it along ``release`` goes to the back shell too.
    """
    lo_f, hi_f = front.bounds(3.0)
    lo_b, hi_b = back.bounds(3.0)
    # The grid is snapped to whole multiples of the spacing, so that the sampling of a
    # part does not shift when another part's extent changes, and a solid symmetric about
    # a frame plane is sampled symmetrically (its left and right come out mirror images).
    box = (spacing * np.floor(np.minimum(lo_f, lo_b) / spacing), spacing * np.ceil(np.maximum(hi_f, hi_b) / spacing))
    grid = sample(front, spacing, box=box)
    fa = grid.point_data["sdf"].copy()
    fb = sample(back, spacing, box=box).point_data["sdf"]
    if sampled is not None:
        sampled["front"], sampled["back"] = _keep(grid, fa), _keep(grid, fb)
    union = smin(fa, fb, join)
    both = Solid(front.primitives + back.primitives)
    shape = tuple(grid.dimensions)
    share = 0.5 * (fa - fb)
    if release is not None:
        inside = (union < 0.0).reshape(shape, order="F")
        movable = None
        if fixed:
            names = both.regions()
            keep = np.array([any(n.startswith(f) for f in fixed) for n in names])
            # The inside grid points (in the grid's own Fortran order), without building all of them.
            idx = np.flatnonzero(inside.ravel(order="F"))
            pts = np.asarray(grid.origin) + spacing * np.stack(np.unravel_index(idx, shape, order="F"), axis=1)
            mov = np.zeros(union.size, bool)
            mov[idx] = ~keep[both.label(pts)]
            movable = mov.reshape(shape, order="F")
        share = share.reshape(shape, order="F")
        if movable is not None:
            # Movable back material ahead of fixed front material goes with the front...
            d = np.asarray(release, float) * np.array([1.0, 1.0, -1.0])
            flip = (slice(None), slice(None, None, -1), slice(None))
            share = -released(-share[flip], inside[flip], d, movable[flip])[flip]
        blocked = None
        if blocker is not None:
            field, lo_k, hi_k = blocker
            idx = np.arange(int(np.prod(shape)))
            pts = np.asarray(grid.origin) + spacing * np.stack(np.unravel_index(idx, shape, order="F"), axis=1)
            near = np.flatnonzero(np.all((pts >= lo_k) & (pts <= hi_k), axis=1))
            flat = np.zeros(len(idx), bool)
            if near.size:
                flat[near] = field(pts[near]) < 0.0
            blocked = flat.reshape(shape, order="F")
        # ... and movable front material behind back material stays behind.
        share = released(share, inside, release, movable, blocked=blocked).ravel(order="F")
    shells = []
    for split in (share, -share):
        grid.point_data["sdf"] = np.maximum(union, split)
        mesh = surface(grid, smoothing_iterations)
        if labelled:
            label_cells(mesh, both)
        shells.append(orient_outward(mesh))
    return shells[0], shells[1]


def orient_outward(mesh: pv.PolyData) -> pv.PolyData:
    """Make the winding outward (positive enclosed volume).

    A contoured closed level set is already wound consistently (the segment's tests check
    every edge), so only its sense can be wrong; checking the volume's sign is 10x cheaper
    than VTK's normal orientation, which walked the whole mesh.
    """
    from meshes.geometry import signed_volume

    if signed_volume(mesh) < 0.0:
        mesh.flip_faces(inplace=True)
    return mesh


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
