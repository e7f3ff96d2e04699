"""A smooth dent: points near those pushed out of an obstacle go with them.

Used wherever posed geometry is put back out of bone (a sheared disc off the endplates,
herniated material off them, the pars stumps worn where they bear on S1's processes): the
push of the few points found inside is spread over their neighbours by nearness, so a thin
surface or a stack of thin layers is dented instead of folded point through point.
"""

from __future__ import annotations

import numpy as np


def dent(at: np.ndarray, pushed: np.ndarray, push: np.ndarray, across: float, nearest: int | None = None):
    """Displacements that dent a surface smoothly where some of its points are pushed.

    Each of the points ``at`` goes the way of the pushed points near it, as far as the
    farthest reaching of them, weighted by nearness (a Gaussian ``across`` mm wide), so a
    surface is dented smoothly, not folded point through point.

    Parameters
    ----------
    at : (n, 3) ndarray
        The points that may move, where their nearness is judged (world frame RAS, mm;
        callers pass rest positions, so layers keep their rest spacing).
    pushed : (m,) ndarray of int
        Indices into ``at`` of the points pushed.
    push : (m, 3) ndarray
        Each pushed point's push (mm, world frame).
    across : float
        Width (mm) of the Gaussian nearness weight.
    nearest : int, optional
        Only that many pushed points within ``2 * across`` mm count (for many points);
        without it, all of them.

    Returns
    -------
    (n, 3) ndarray
        Each point's displacement (mm, world frame); nil far from every pushed point.
    """
    size = np.linalg.norm(push, axis=1)
    if nearest is None:
        weight = np.exp(-((np.linalg.norm(at[:, None, :] - at[pushed][None, :, :], axis=2) / across) ** 2))
        depth = (weight * size[None, :]).max(axis=1)
        way = weight @ push
    else:
        from scipy.spatial import cKDTree

        near, which = cKDTree(at[pushed]).query(at, k=min(nearest, len(pushed)), distance_upper_bound=2.0 * across)
        near, which = near.reshape(len(at), -1), which.reshape(len(at), -1)
        found = np.isfinite(near)
        weight = np.where(found, np.exp(-((np.where(found, near, 0.0) / across) ** 2)), 0.0)
        safe = np.where(found, which, 0)
        depth = (weight * size[safe]).max(axis=1)
        way = np.einsum("ij,ijk->ik", weight, push[safe])
    way /= np.maximum(np.linalg.norm(way, axis=1, keepdims=True), 1e-9)
    return depth[:, None] * way
