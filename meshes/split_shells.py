"""One smooth union cut into two shells that meet flush, so one can later slide off the other.

L5 is built as an anterior column and a posterior arch, and the disc as annulus and
nucleus, each from two solids: :func:`build_split` samples both on one grid, cuts their
smooth union along the surface where both are equally deep, and, with a release direction,
hands the front material that lies behind the back solid to the back shell
(:func:`released`) so that every cut face opens as the front slides out that way (the pars
defect of an isthmic slip). Coordinates in millimetres, in the solids' own frame.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.contour import label_cells, orient_outward, surface
from meshes.implicit import Solid, keep_sampled, sample
from meshes.sdf_primitives import FAR, smin

# What a blocked grid point (see :func:`released`) counts as: back material this deep.
BLOCKED_SHARE = 0.5


def released(
    share: np.ndarray, inside: np.ndarray, direction, movable: np.ndarray | None = None, spread: float = 0.3,
    blocked: np.ndarray | None = None,
) -> np.ndarray:
    """Reassign to the back whatever front material lies behind it along ``direction``.

    A point stays front only if no back-owned point of the union lies ahead of it inside a
    cone around ``direction`` (mostly +y; half-angle atan(``spread``)), so the front shell can
    move that way without running into the back one and every face of the cut opens.

    Parameters
    ----------
    share : (nx, ny, nz) ndarray
        A field on the grid, negative where the front solid owns a point.
    inside : (nx, ny, nz) ndarray of bool
        The grid points inside the union.
    direction : array_like of 3 floats
        Which way the front moves (its y component must not be 0; grid axes).
    movable : (nx, ny, nz) ndarray of bool, optional
        Only these points may change owner (all, without it).
    spread : float, default 0.3
        The cone's half-angle as its tangent.
    blocked : (nx, ny, nz) ndarray of bool, optional
        Grid points with a neighbour's bone in the way: they count as back material ahead too
        (:data:`BLOCKED_SHARE` deep).

    Returns
    -------
    (nx, ny, nz) ndarray
        ``share`` with the released points handed to the back (made non-negative).
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


# How far (mm) round material one shell gained from the other solid its own field is read.
GAINED_REACH_MM = 3.0


def _dilated(mask: np.ndarray, steps: int) -> np.ndarray:
    """``mask`` grown by ``steps`` grid cells along each axis (a 3-D cross, repeated)."""
    out = mask.copy()
    for _ in range(steps):
        grown = out.copy()
        for axis in range(3):
            grown |= np.roll(out, 1, axis) | np.roll(out, -1, axis)
        out = grown
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

    Parameters
    ----------
    front, back : Solid
        The two solids (mm, one frame).
    spacing : float
        Grid spacing (mm).
    join : float
        The union's blend radius (mm).
    smoothing_iterations : int, default 15
        Taubin smoothing iterations.
    release : array_like of 3 floats, optional
        The direction the front shell must be free to slide out along.
    fixed : tuple of str, default ()
        Region name prefixes whose points keep their owner.
    sampled : dict, optional
        When given, the two shells' fields (:data:`meshes.implicit.Sampled`) are kept in it
        under "front" and "back".
    labelled : bool, default True
        Whether to label each shell with the regions of both solids.
    blocker : (field, lo, hi), optional
        A neighbour's bone, in this frame, that the front must also slide clear of: front
        material behind it along ``release`` goes to the back shell too.

    Returns
    -------
    front_shell, back_shell : pyvista.PolyData
        The two closed, outward-wound surfaces (mm).
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
    if sampled is not None:
        # Each shell's field: its solid's, and where the cut handed it some of the other
        # solid's material (and a few millimetres round it), the shell's own, which is
        # drawn there.
        raw = 0.5 * (fa - fb)
        for key, own, sign in (("front", fa, 1.0), ("back", fb, -1.0)):
            gained = (sign * share < 0.0) & (sign * raw >= 0.0) & (union < 0.0)
            near = _dilated(gained.reshape(shape, order="F"), int(np.ceil(GAINED_REACH_MM / spacing)))
            shell = np.maximum(union, sign * share)
            sampled[key] = keep_sampled(grid, np.where(near.ravel(order="F"), np.minimum(own, shell), own))
    shells = []
    for split in (share, -share):
        grid.point_data["sdf"] = np.maximum(union, split)
        mesh = surface(grid, smoothing_iterations)
        if labelled:
            label_cells(mesh, both)
        shells.append(orient_outward(mesh))
    return shells[0], shells[1]

