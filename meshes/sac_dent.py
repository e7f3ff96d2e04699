"""The dural sac dented by a herniated disc (the mass effect seen on MRI), for :mod:`meshes.pose`.

The sac's wall gives way where the posed disc reaches it, compared column by column
along the herniation's outward axis with where the rest disc reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from meshes.rest import Herniation, Rest

SAC_CLEARANCE_MM = 0.3  # how far outside the herniated disc an indented sac wall lies
SAC_CELL_MM = 1.5  # the grid on which the disc's reach is compared with the sac (see _Columns)
SAC_GRID = (64, 40)  # cells across (t) and up (v): 96 x 60 mm about the herniation's centre
SAC_SQUEEZED_MM = 1.0  # the thinnest a squeezed sac becomes


class _Columns:
    """A grid of columns along a herniation's outward axis: what lies in each, how far out.

    The columns run along n, SAC_CELL_MM wide across the lateral (t) and vertical (v) axes,
    SAC_GRID of them centred on the herniation's centre.

    Parameters
    ----------
    h : Herniation
        The herniation whose centre and t, v, n axes (world frame) set the grid.
    """

    def __init__(self, h: Herniation) -> None:
        self.h = h
        self.basis = np.stack([h.t, h.v, h.n], axis=1)

    def local(self, p: np.ndarray) -> np.ndarray:
        """Points in the grid's coordinates.

        Parameters
        ----------
        p : (n, 3) ndarray
            World-frame points (RAS, mm).

        Returns
        -------
        (n, 3) ndarray
            Their (t, v, n) offsets from the herniation's centre, mm.
        """
        return (p - self.h.centre) @ self.basis

    def cells(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Flat cell index of each local point, and which points fall in the grid.

        Parameters
        ----------
        q : (n, 3) ndarray
            Points in grid coordinates (:meth:`local`), mm.

        Returns
        -------
        cell : (n,) ndarray of int
            Row-major index into the SAC_GRID cells; 0 for points off the grid.
        ok : (n,) ndarray of bool
            True for points on the grid.
        """
        i = np.floor(q[:, 0] / SAC_CELL_MM).astype(int) + SAC_GRID[0] // 2
        j = np.floor(q[:, 1] / SAC_CELL_MM).astype(int) + SAC_GRID[1] // 2
        ok = (i >= 0) & (i < SAC_GRID[0]) & (j >= 0) & (j < SAC_GRID[1])
        return np.where(ok, i * SAC_GRID[1] + j, 0), ok

    def extent(self, q: np.ndarray, furthest: bool, cells=None) -> np.ndarray:
        """Per column, the furthest (or nearest) local n of the points ``q``.

        Parameters
        ----------
        q : (n, 3) ndarray
            Points in grid coordinates (:meth:`local`), mm.
        furthest : bool
            True for the largest n in each column, False for the smallest.
        cells : tuple of ndarray, optional
            ``self.cells(q)``, when the caller has it already.

        Returns
        -------
        ndarray, shaped SAC_GRID
            The extent along n (mm); -inf (furthest) or +inf (nearest) in empty columns.
        """
        cell, ok = cells if cells is not None else self.cells(q)
        grid = np.full(SAC_GRID[0] * SAC_GRID[1], -np.inf if furthest else np.inf)
        (np.maximum if furthest else np.minimum).at(grid, cell[ok], q[ok, 2])
        return grid.reshape(SAC_GRID)


def _spread(grid: np.ndarray, reduce) -> np.ndarray:
    """``grid`` reduced (``np.max`` or ``np.mean``) over each cell's 3x3 neighbourhood (edges
    repeated); of a stack of grids, each on its own."""
    *stack, n0, n1 = grid.shape
    padded = np.empty((*stack, n0 + 2, n1 + 2), grid.dtype)
    padded[..., 1:-1, 1:-1] = grid
    padded[..., 0, 1:-1], padded[..., -1, 1:-1] = grid[..., 0, :], grid[..., -1, :]
    padded[..., 0], padded[..., -1] = padded[..., 1], padded[..., -2]
    if reduce is np.max:  # along one axis, then the other
        rows = np.maximum(np.maximum(padded[..., :-2, :], padded[..., 1:-1, :]), padded[..., 2:, :])
        return np.maximum(np.maximum(rows[..., :-2], rows[..., 1:-1]), rows[..., 2:])
    # The nine neighbours summed in the order np.mean sums them, then averaged.
    total = padded[..., :n0, :n1].copy()
    for di in range(3):
        for dj in range(3):
            if di or dj:
                total += padded[..., di:n0 + di, dj:n1 + dj]
    return total / 9.0


def _disc_reach(rest: Rest, pts: dict, cols: _Columns, key: tuple[str, str], free: list[np.ndarray],
                still: bool) -> np.ndarray:
    """How far out the posed disc (and ``free`` points) reaches in each column, spread over
    its 3x3 neighbours. With ``still`` (the disc not sheared) the vertices the herniation
    leaves where they were (no annulus "outer" or nucleus "face" weight) are at their rest
    positions: their part is worked out once and the rest taken with it (the same maxima)."""
    names = ("disc_annulus", "disc_nucleus")
    if not still:
        return _spread(cols.extent(cols.local(np.vstack([pts[n] for n in names] + free)), True), np.max)
    cache = rest.cache
    if key not in cache.disc_reach_still:
        weights = [cache.surface_shapes[key + (n,)][w] for n, w in zip(names, ("outer", "face"), strict=True)]
        at_rest = np.vstack([rest.points[n][w == 0.0] for n, w in zip(names, weights, strict=True)])
        cache.disc_reach_still[key] = (_spread(cols.extent(cols.local(at_rest), True), np.max),
                                       [np.flatnonzero(w != 0.0) for w in weights])
    fixed, moving = cache.disc_reach_still[key]
    out = np.vstack([pts[n][ids] for n, ids in zip(names, moving, strict=True)] + free)
    return np.maximum(fixed, _spread(cols.extent(cols.local(out), True), np.max))


def dent_sac(rest: Rest, pts: dict, h: Herniation, key: tuple[str, str], free: list[np.ndarray],
             still: bool = False) -> np.ndarray:
    """The dural sac indented by the herniated disc (the mass effect seen on MRI).

    The sac is a soft, fluid-filled tube: where the herniation reaches it, its wall gives way
    instead of being crossed. In columns along the herniation's outward axis, the posed disc's
    reach is compared with the rest disc's; where it has grown into the sac, the sac's near
    wall moves to just beyond it and the sac between that wall and its far wall is squeezed
    in proportion, or pushed aside where too little would be left. The displacement is
    widened and smoothed over neighbouring columns so the dent has no steps. Measured on the
    displayed surfaces, so what is drawn does not overlap. The same array comes back when
    nothing touches the sac.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment; what depends only on it and the herniation is kept in
        ``rest.cache`` (see :class:`meshes.rest.HerniationCache`).
    pts : dict of str to ndarray
        The posed vertices so far (world frame RAS: +x right, +y anterior, +z superior; mm),
        with the herniated disc.
    h : Herniation
        The herniation.
    key : tuple of str
        Its (zone, side).
    free : list of ndarray
        Other herniated material's points (a sequestered fragment's), world, mm.
    still : bool, default False
        The disc is not sheared (see :func:`_disc_reach`).

    Returns
    -------
    (n, 3) ndarray
        The dural sac's vertices (world, mm); ``pts["dural_sac"]`` itself when nothing
        touches the sac.
    """
    cols = _Columns(h)
    cache = rest.cache
    if key not in cache.disc_reach_at_rest:
        rest_disc = np.vstack([rest.points["disc_annulus"], rest.points["disc_nucleus"]])
        cache.disc_reach_at_rest[key] = _spread(cols.extent(cols.local(rest_disc), True), np.max)
    at_rest = cache.disc_reach_at_rest[key]
    reach = _disc_reach(rest, pts, cols, key, free, still)
    sac = pts["dural_sac"]
    if sac is rest.points["dural_sac"] and key in cache.sac_columns_at_rest:  # the sac at rest: as last seen
        q, cell, ok, near, far = cache.sac_columns_at_rest[key]
    else:
        q = cols.local(sac)
        cell, ok = cols.cells(q)
        near, far = cols.extent(q, False, (cell, ok)), cols.extent(q, True, (cell, ok))
        if sac is rest.points["dural_sac"]:
            cache.sac_columns_at_rest[key] = q, cell, ok, near, far
    grown = np.zeros(SAC_GRID)  # how far the disc reaches beyond where it did at rest
    there = np.isfinite(reach)
    grown[there] = reach[there] - at_rest[there]  # +inf where the rest disc never reached
    wall = reach + SAC_CLEARANCE_MM * np.clip(grown, 0.0, 1.0)
    active = (grown > 0.0) & np.isfinite(near) & np.isfinite(far) & (wall > near)
    if not active.any():
        return sac
    # Each column's near wall moves to just beyond the disc; its far wall stays, unless the
    # sac would be thinner than SAC_SQUEEZED_MM, and then it is pushed aside as well.
    with np.errstate(invalid="ignore"):  # empty columns (inf - inf) are not active
        near_move = np.where(active, wall - near, 0.0)
        far_move = np.where(active, np.clip(wall + SAC_SQUEEZED_MM - far, 0.0, None), 0.0)
    both = _spread(_spread(_spread(_spread(np.array([near_move, far_move]), np.max), np.mean), np.mean), np.mean)
    near_move, far_move = both[0].ravel(), both[1].ravel()
    idx = np.flatnonzero(ok & ((near_move[cell] > 0.0) | (far_move[cell] > 0.0)))
    c = cell[idx]
    lo, hi = near.ravel()[c], far.ravel()[c]
    # A vertex's share of the way from the column's near wall to its far wall.
    share = np.clip((q[idx, 2] - lo) / np.clip(hi - lo, 1e-6, None), 0.0, 1.0)
    share = np.where(np.isfinite(lo) & np.isfinite(hi), share, 0.0)
    move = np.zeros(len(sac))
    move[idx] = (1.0 - share) * near_move[c] + share * far_move[c]
    # Neighbouring vertices of different columns can be moved by different amounts; a few
    # rounds of averaging over the surface's edges keep the wall from folding over itself.
    if cache.sac_edges is None:
        tri = rest.segment.structures["dural_sac"].regular_faces
        edges = np.unique(np.sort(np.vstack([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1), axis=0)
        cache.sac_edges = edges, np.bincount(edges.ravel(), minlength=len(sac)).astype(float)
    edges, degree = cache.sac_edges
    for _ in range(3):
        total = np.bincount(edges[:, 0], move[edges[:, 1]], len(sac)) + np.bincount(edges[:, 1], move[edges[:, 0]],
                                                                                       len(sac))
        move = 0.5 * move + 0.5 * total / np.maximum(degree, 1.0)
    return sac + move[:, None] * h.n


def around_fragment(points: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray:
    """``points`` with those inside the ball moved out to its surface, radially.

    The sac's wall giving way round a free fragment that the column dent (built for a disc
    that grows outward) did not clear, as when the fragment has migrated along the canal.

    Parameters
    ----------
    points : (n, 3) ndarray
        The dural sac's vertices (world frame RAS, mm).
    centre : (3,) ndarray
        The fragment's centre (world, mm).
    radius : float
        The ball's radius (mm): the fragment's and a clearance.

    Returns
    -------
    (n, 3) ndarray
        The moved points; ``points`` itself when none is inside.
    """
    offset = points - centre
    dist = np.linalg.norm(offset, axis=1)
    inside = dist < radius
    if not inside.any():
        return points
    out = points.copy()
    out[inside] = centre + offset[inside] * (radius / np.maximum(dist[inside], 1e-9))[:, None]
    return out
