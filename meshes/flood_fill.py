"""Connected regions of free cells in stacks of 2-D boolean grids (the foramen's sections).

The foramen is the free region of a parasagittal section connected to where the L5 root
crosses it, through each cell's eight neighbours: :func:`connected_region` grows it a whole
run of cells at a time (:func:`runs_along_rows`), then one cell all round
(:func:`grow_all_round`), until nothing changes. A stack of sections is worked on at once,
each on its own. Grids are indexed in cells (no units).
"""

from __future__ import annotations

import numpy as np


def grow_all_round(mask: np.ndarray) -> np.ndarray:
    """A mask grown by one cell in all eight directions.

    Parameters
    ----------
    mask : (..., nu, nw) ndarray of bool
        A 2-D mask, or a stack of them (each grown on its own).

    Returns
    -------
    ndarray of bool
        The grown mask, same shape.
    """
    out = mask.copy()
    out[..., 1:, :] |= mask[..., :-1, :]
    out[..., :-1, :] |= mask[..., 1:, :]
    grown = out.copy()
    grown[..., 1:] |= out[..., :-1]
    grown[..., :-1] |= out[..., 1:]
    return grown


def runs_along_rows(mask: np.ndarray) -> np.ndarray:
    """A label for each run of true cells along the last axis of a mask (0 off it).

    Parameters
    ----------
    mask : ndarray of bool
        The mask (any number of leading axes; each row starts anew).

    Returns
    -------
    ndarray of int
        Labels 1, 2, ... per run, numbered through the whole mask, same shape.
    """
    flat = mask.ravel()
    start = flat.copy()
    start[1:] &= ~flat[:-1]
    start[::mask.shape[-1]] = flat[::mask.shape[-1]]  # each row starts anew
    labels = np.cumsum(start)
    labels[~flat] = 0
    return labels.reshape(mask.shape)


def connected_region(mask: np.ndarray, seeds: list[tuple[int, ...]]) -> np.ndarray:
    """The cells of ``mask`` connected to ``seeds`` through their eight neighbours.

    Of a stack of 2-D masks, each grown from its own seed on its own. Grown a whole run of
    cells along each axis at a time, then by one cell all round for the diagonal steps, until
    nothing changes: the same region as growing it cell by cell, in a handful of rounds instead
    of one round per cell of its length.

    Parameters
    ----------
    mask : (n, nu, nw) ndarray of bool
        The stack of masks (true: free).
    seeds : list of tuple of int
        Per mask, its seed cell as (index in the stack, iu, iw).

    Returns
    -------
    (n, nu, nw) ndarray of bool
        The connected regions.
    """
    rows, columns = runs_along_rows(mask), runs_along_rows(np.swapaxes(mask, -1, -2)).swapaxes(-1, -2)
    runs = [(labels, labels.max() + 1) for labels in (rows, columns)]
    region = np.zeros_like(mask)
    region[tuple(np.array(seeds).T)] = True
    while True:
        before = region
        for labels, count in runs:
            reached = np.zeros(count, bool)
            reached[labels[region]] = True
            reached[0] = False
            region = reached[labels]
        region = grow_all_round(region) & mask
        if (region == before).all():
            return region
