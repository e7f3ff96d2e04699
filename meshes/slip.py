"""Isthmic slip: the motion of L5's anterior column, and what it carries and wears.

The column (the body, pedicles and superior processes, cut off at the pars) moves forward
along the S1 endplate by ``slip_percent`` of its depth, tips forward (slip angle) in high
grades and sinks in front of S1 past grade III (:func:`slip_motion`); the posterior arch
stays hooked behind S1's facets, so the pars gap opens and fills with scar
(:func:`pars_scars`). The column's stumps wear where they bear on S1's superior articular
processes (:func:`stumps_worn`); the dural sac follows the column a little above the disc
(:func:`sac_follow`). World frame RAS (+x right, +y anterior, +z superior), mm, degrees.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.dent import dent
from meshes.fields import gradient
from meshes.frames import apply, rotation_x, translation
from meshes.pars_scar import SIDES as SCAR_SIDES
from meshes.pars_scar import scar_points
from meshes.posture import carry
from meshes.rest import Rest
from meshes.sdf_primitives import smoothstep

# The pars scar presses the L5 root in the foramen: over this many rings up to its ganglion.
SCAR_AIM_RINGS = 12
# Slip: the disc loses this much height (mm) through grades I-II, L5 rolls this far
# (degrees, kyphosis) by a slip of 100% and this much more by 150%, and sinks this
# much further in front of S1 past 100%.
SLIP_SETTLE_MM = 2.5
SLIP_ROLL_DEG = (34.0, 14.0)
PTOSIS_SINK_MM = 8.0
DISC_KEPT_MM = 1.5
# Where the column's pars stumps bear on the tips of S1's superior articular processes they
# wear back to this far (mm) outside the tips' sampled field (a tip is narrower than the
# stump's mesh is fine: the surface between its vertices must clear it too); the column's
# vertices this near S1 at rest are watched.
PROCESS_CLEAR_MM = 0.3
PROCESS_DENT_MM = 2.0
PROCESS_WATCH_MM = 8.0


def rigid(rotation_deg: float, pivot: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """A rigid motion about a transverse axis.

    Parameters
    ----------
    rotation_deg : float
        Rotation (degrees) about the x axis (+x right): positive lifts +y (anterior) toward +z.
    pivot : (3,) ndarray
        A point on the axis (world frame RAS, mm).
    shift : (3,) ndarray
        Translation (mm) applied after the rotation.

    Returns
    -------
    (4, 4) ndarray
        Rotate about the x axis through ``pivot``, then translate by ``shift``.
    """
    return translation(pivot + shift) @ rotation_x(rotation_deg) @ translation(-pivot)


def slip_motion(rest: Rest, slip_percent: float, sunk: float = 0.0) -> np.ndarray:
    """World 4x4 motion of L5's anterior column for a slip.

    The posterior-inferior corner lands exactly ``slip_percent`` of the S1 endplate's
    depth ahead of S1's posterior-superior corner. On the way the disc gives up some
    height (the foramen narrows from above); from half the depth on, L5 rolls forward
    over S1's anterior-superior corner into kyphosis, and past the whole depth
    (spondyloptosis) it sinks down in front of S1.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    slip_percent : float
        The slip, percent of the S1 endplate's depth (0-150).
    sunk : float, default 0
        How far (mm) a degenerated disc has already let L5 down; the two together leave the
        back of the disc :data:`DISC_KEPT_MM` thick.

    Returns
    -------
    (4, 4) ndarray
        The column's motion in the world frame (RAS, mm).
    """
    f = slip_percent / 100.0
    marks = rest.segment.landmarks
    front_corner = marks["S1_endplate_anterior"]
    back_corner = marks["S1_endplate_posterior"]
    roll = SLIP_ROLL_DEG[0] * smoothstep(0.5, 1.0, f) + SLIP_ROLL_DEG[1] * smoothstep(1.0, 1.5, f)
    # Positive rotation about +x lifts +y (anterior); kyphosis dips the front: negative.
    rolled = rigid(-roll, front_corner, np.zeros(3))
    corner = apply(rolled, rest.pivot[None])[0]
    from meshes.measure import alignment

    room = max(alignment(marks).disc_posterior_mm - DISC_KEPT_MM - sunk, 0.0)
    settle = min(SLIP_SETTLE_MM, room) * smoothstep(0.0, 0.6, f) + PTOSIS_SINK_MM * smoothstep(1.0, 1.5, f)
    forward = f * rest.depth - float((corner - back_corner) @ rest.u)
    # The roll about the front corner lifts L5's back: it comes down onto what is left of the disc.
    down = float((corner - rest.pivot) @ rest.w) + settle
    return translation(rest.u * forward - rest.w * down) @ rolled


def sac_follow(points: np.ndarray, pivot: np.ndarray, w: np.ndarray) -> np.ndarray:
    """How much of the slipping column's motion the dural sac follows.

    Parameters
    ----------
    points : (n, 3) ndarray
        Points of the sac (or of a root in it), world frame RAS, mm.
    pivot : (3,) ndarray
        L5's posterior-inferior endplate corner at rest (world, mm).
    w : (3,) ndarray
        The S1 endplate's normal (up, toward L5).

    Returns
    -------
    (n,) ndarray
        0..0.25: a quarter above the disc, none below it (ramped from 5 mm below the corner
        to 10 mm above it).
    """
    return 0.25 * smoothstep(-5.0, 10.0, (points - pivot) @ w)


def stumps_worn(rest: Rest, l5: np.ndarray) -> np.ndarray:
    """L5's points with the underside of the column's pars stumps worn where they bear on S1.

    A collapsed disc lets the column down onto the tips of S1's superior articular
    processes and a slip slides the stumps across them. The defect's margins remodel (they
    round off and harden) instead of passing into the tips, and the column keeps its height:
    a smooth dent, as deep as the deepest bearing point and :data:`PROCESS_DENT_MM` across.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (its ``over_processes`` are the vertices watched).
    l5 : (n, 3) ndarray
        L5's posed vertices (world frame RAS, mm).

    Returns
    -------
    (n, 3) ndarray
        The worn vertices; ``l5`` itself when nothing bears on S1.
    """
    ids = rest.over_processes
    if not ids.size:
        return l5
    q = l5[ids]
    d, g = gradient(rest.fields["S1"], q)
    bearing = np.flatnonzero(d < PROCESS_CLEAR_MM)
    if not bearing.size:
        return l5
    push = (PROCESS_CLEAR_MM - d[bearing])[:, None] * g[bearing]
    out = l5.copy()
    out[ids] += dent(q, bearing, push, PROCESS_DENT_MM)
    return out


def near_the_processes(l5: pv.PolyData, front: np.ndarray, s1, marks, u, w) -> np.ndarray:
    """The anterior column's vertices over S1's superior articular processes at rest.

    Those within :data:`PROCESS_WATCH_MM` of S1, behind S1's posterior corner (by more than
    3 mm) and above its endplate.

    Parameters
    ----------
    l5 : pyvista.PolyData
        L5's rest surface (world frame RAS, mm).
    front : (n,) ndarray of bool
        Which of its vertices are on the anterior column.
    s1 : callable
        ``points -> mm``: S1's signed distance.
    marks : dict of str to ndarray
        The rest landmarks (world, mm).
    u, w : (3,) ndarray
        The S1 endplate's forward unit vector and its normal.

    Returns
    -------
    ndarray of int
        The vertex ids.
    """
    p = np.asarray(l5.points)
    rel = p - marks["S1_endplate_posterior"]
    near = front & (s1(p) < PROCESS_WATCH_MM) & (rel @ u < -3.0) & (rel @ w > 0.0)
    return np.flatnonzero(near)


def pars_scars(rest: Rest, pts: dict, motion: np.ndarray | None, slip_fraction: float,
               bend: np.ndarray | None = None) -> dict[str, pv.PolyData]:
    """The fibrocartilaginous scar at each opening pars defect (none without a slip).

    Each scar bridges the column's and the arch's stumps and reaches toward the nearest point
    of the L5 root's axis in the foramen (see :mod:`meshes.pars_scar`).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    pts : dict of str to ndarray
        The posed vertices so far (world frame RAS, mm); ``pts["L5"]`` is read.
    motion : (4, 4) ndarray or None
        World motion of L5's anterior column; None: not moved.
    slip_fraction : float
        The slip as a fraction of the S1 endplate's depth (percent / 100).
    bend : (4, 4) ndarray, optional
        The posture's part of ``motion`` (:func:`meshes.posture.column_motion`; the roots go
        with it).

    Returns
    -------
    dict of str to pyvista.PolyData
        ``"pars_scar_<side>"`` -> the scar's surface; empty without a slip.
    """
    if slip_fraction <= 0.0 or motion is None or not rest.defects:
        return {}
    out = {}
    sphere = np.asarray(rest.scar_sphere.points)
    for side in SCAR_SIDES:
        d = rest.defects[side]
        root = rest.roots[f"root_L5_{side}"]
        centres = carry(root, motion, bend)
        col, arch = pts["L5"][d.column_ids], pts["L5"][d.arch_ids]
        mid = 0.5 * (col.mean(axis=0) + arch.mean(axis=0))
        # Aim at the nearest point of the root's axis in the foramen, from under the pedicle
        # to the ganglion (finely resampled, so the aim glides).
        t = np.linspace(max(root.ganglion - SCAR_AIM_RINGS, 0), root.ganglion, 8 * SCAR_AIM_RINGS)
        axis = np.stack([np.interp(t, np.arange(len(centres)), centres[:, i]) for i in range(3)], axis=1)
        j = int(np.argmin(np.linalg.norm(axis - mid, axis=1)))
        aim, radius = axis[j], float(np.interp(t[j], np.arange(len(centres)), root.radii))
        mesh = pv.PolyData(scar_points(sphere, d, col, arch, aim, radius, slip_fraction),
                           rest.scar_sphere.faces.copy())
        out[f"pars_scar_{side}"] = mesh
    return out
