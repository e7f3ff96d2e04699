"""The nerve roots posed: carried with the slip, pushed aside and flattened, irritated.

Each root is a swept tube of rings (:class:`meshes.rest.Root`). Its rings go with L5's
slipping column where they are tethered to it; then every ring that an obstacle (bone,
disc, herniation, pars scar) reaches is pushed aside by half the intrusion and flattened
against the obstacle for the rest, so no obstacle passes through a root
(:func:`yield_roots`). Roots near escaped nucleus material glow with chemical irritation
(:func:`irritate`). The check against the drawn surfaces is :mod:`meshes.root_clearance`.
World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from meshes.fields import gradient
from meshes.neural import ROOTS
from meshes.posture import carry
from meshes.rest import Rest
from meshes.sdf_primitives import smoothstep

# A root's ring this deep (mm) in herniated material yields the way the herniation points.
HERNIATION_DEEP_MM = 3.0
# A root is laid against bone this far (mm) off its sampled field (the drawn surface stands up
# to half a millimetre proud of it in places).
ROOT_BONE_MARGIN_MM = 0.4
# Roots within this far (mm) of escaped nucleus material are irritated (the glow).
IRRITATION_MM = 3.0


class YieldedRoots(NamedTuple):
    """What the roots' yielding reads off them (see :func:`yield_roots`)."""

    scalars: dict[str, dict[str, np.ndarray]]  # root -> "compression" (mm), "inflamed" (zeros here)
    gaps: dict[str, float]  # root -> its smallest gap (mm) to an obstacle before it yielded


def _smooth(a: np.ndarray, times: int = 3, starts=(0,)) -> np.ndarray:
    """Each run of rows (from each of ``starts`` to the next) averaged with its neighbours
    ``times`` times, the run's first and last rows held: all roots' rings in one go."""
    ends = np.r_[np.asarray(starts)[1:], len(a)] - 1
    for _ in range(times):
        b = np.empty_like(a)
        b[1:-1] = 0.25 * a[:-2] + 0.5 * a[1:-1] + 0.25 * a[2:]
        b[starts], b[ends] = a[starts], a[ends]
        a = b
    return a


def yield_roots(rest: Rest, pts, motion, obstacles, her_field, outward: np.ndarray | None = None,
                bend: np.ndarray | None = None) -> YieldedRoots:
    """Move, push aside and flatten every root against the obstacles (all roots at once).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    pts : dict of str to ndarray
        The posed vertices so far (world frame RAS, mm); each root's are replaced.
    motion : (4, 4) ndarray or None
        World motion of L5's anterior column (the tethered rings go with it); None: not moved.
    obstacles : dict of str to callable
        Name -> signed distance (world, mm) (:func:`meshes.obstacles.obstacle_fields`, plus the
        pars scars).
    her_field : callable or None
        The herniated disc's field, the same object as ``obstacles["herniation"]``.
    outward : (3,) ndarray, optional
        The herniation's outward axis: rings deep in herniated material are pushed out along it
        (within :data:`HERNIATION_DEEP_MM`) instead of the field's nearest way out.
    bend : (4, 4) ndarray, optional
        The posture's part of ``motion`` (:func:`meshes.posture.column_motion`): the rings in the
        sac and under the pedicle go with it (:func:`meshes.posture.carry`).

    Returns
    -------
    YieldedRoots
        Per root, its ``"compression"`` (mm of flattening, per vertex) and ``"inflamed"``
        (zeros) scalars, and its smallest gap (mm) before it yielded, negative when an obstacle
        reached into it.
    """
    names = list(rest.roots)
    centres = []
    bone = None
    if bend is not None:  # the roots under the pedicles float in the foramen's fat as L5 bends
        walls = [obstacles[k] for k in ("S1", "L5_front", "L5_back")]

        def bone(p: np.ndarray) -> np.ndarray:
            """The posed bone's signed distance (mm) at ``p`` (world frame RAS, mm)."""
            return np.min([f(p) for f in walls], axis=0)

    for name in names:
        centres.append(carry(rest.roots[name], motion, bend, bone))
    sizes = [len(c) for c in centres]
    starts = np.cumsum([0] + sizes)
    c_all = np.vstack(centres)
    radii = np.concatenate([rest.roots[n].radii for n in names])
    owner = np.repeat(np.arange(len(names)), sizes)
    push = np.zeros_like(c_all)
    best = np.full(len(names), np.inf)
    planes = []  # (global ring indices, point on the obstacle, its normal)
    # The rings that moved (tethered to a slipping L5); the rest sit where prepare met them.
    moved = np.zeros(len(c_all), bool)
    if motion is not None:
        moved = np.concatenate([np.any(c != rest.roots[n].centres, axis=1)
                                for n, c in zip(names, centres, strict=True)])
    known = rest.at_rings
    for name, field_ in obstacles.items():
        if known is not None and known.knows(name, field_, rest.fields):
            d = known.values[name].copy()
            if motion is not None:  # (nothing moved otherwise: no need to ask the field)
                d[moved] = field_(c_all[moved])
        else:  # (unmoved, the rings are the rest's: the herniation knows its way about them)
            d = field_(c_all if motion is not None or known is None else known.points)
        gap = d - radii
        np.minimum.at(best, owner, gap)
        # A root is laid against bone this far off its sampled field (the drawn surface
        # stands up to half a millimetre proud of it in places).
        margin = ROOT_BONE_MARGIN_MM if name in ("S1", "L5_front", "L5_back") else 0.0
        hit = np.flatnonzero(gap < margin)
        if hit.size:
            # Only the rings that touch need a direction to yield in.
            if known is not None and known.knows(name, field_, rest.fields):
                g = known.gradients[name][hit]
                again = moved[hit]
                if again.any():
                    g[again] = gradient(field_, c_all[hit[again]])[1]
            else:
                _, g = gradient(field_, c_all[hit])
            if field_ is her_field and outward is not None:
                # Deep in herniated material the nearest way out can swap sides from one
                # step to the next: there the root is pushed out the way the herniation
                # points (``outward``), which does not.
                deep = smoothstep(0.0, -HERNIATION_DEEP_MM, d[hit])[:, None]
                g = (1.0 - deep) * g + deep * outward
                g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-9)
            push[hit] += (-0.5 * np.minimum(gap[hit], 0.0))[:, None] * g
            planes.append((hit, c_all[hit] - (d[hit] - margin)[:, None] * g, g, margin))
    scalars, gaps = {}, {}
    posed_centres = []
    pushed = _smooth(push, starts=starts[:-1])
    for i, name in enumerate(names):
        root = rest.roots[name]
        lo, hi = starts[i], starts[i + 1]
        moved = (centres[i] - root.centres) + pushed[lo:hi]
        p = rest.points[name] + moved[root.ring]
        compression = np.zeros(len(p))
        for rings, point, normal, margin in planes:
            mine = (rings >= lo) & (rings < hi)
            if not mine.any():
                continue
            lookup = np.full(hi - lo, -1)
            lookup[rings[mine] - lo] = np.arange(int(mine.sum()))
            j = lookup[root.ring]
            sel = np.flatnonzero(j >= 0)
            pt, nm = point[mine][j[sel]], normal[mine][j[sel]]
            depth = np.einsum("ij,ij->i", p[sel] - pt, nm)
            inside = depth < 0.0
            idx = sel[inside]
            p[idx] -= depth[inside, None] * nm[inside]
            compression[idx] = np.maximum(compression[idx], -depth[inside] - margin)
        pts[name] = p
        posed_centres.append(root.centres + moved)
        # A squeezed root is squeezed right across: each ring reads its deepest flattening.
        across = np.zeros(hi - lo)
        np.maximum.at(across, root.ring, compression)
        scalars[name] = {"compression": across[root.ring], "inflamed": np.zeros(len(p))}
        gaps[name] = float(best[i])
    return YieldedRoots(scalars, gaps)


def irritate(pts: dict, scalars: dict, escaped: np.ndarray) -> None:
    """The glow of chemical irritation on the roots near escaped nucleus material.

    On root vertices within :data:`IRRITATION_MM` of escaped nucleus material (an extrusion's
    tongue, a fragment), fading with distance; exactly zero elsewhere, and for a contained
    protrusion or a bulge (``scalars`` is left as it is when nothing has escaped).

    Parameters
    ----------
    pts : dict of str to ndarray
        The posed vertices (world frame RAS, mm).
    scalars : dict
        Per root, its scalars; ``"inflamed"`` (0..1 per vertex) is set in place.
    escaped : (m, 3) ndarray
        Escaped material's points (world, mm).
    """
    if not len(escaped):
        return
    from scipy.spatial import cKDTree

    tree = cKDTree(escaped)
    for name in ROOTS:
        d = tree.query(pts[name], distance_upper_bound=IRRITATION_MM)[0]
        near = np.isfinite(d)
        glow = np.zeros(len(d))
        glow[near] = (1.0 - d[near] / IRRITATION_MM) ** 0.5
        scalars[name]["inflamed"] = glow
