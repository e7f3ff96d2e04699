"""Flexion and extension at L5–S1: the whole of L5 turning about the segment's axis.

Posture runs from -1 (full extension, :data:`EXTENSION_DEG`) through 0 (neutral) to +1 (full
flexion, :data:`FLEXION_DEG`), the L5–S1 range of Yamamoto 1989 (cadaver, 10 N·m). L5 turns
rigidly about a transverse axis in the back of the disc, just above S1's endplate a quarter of
the way forward from its posterior corner: the segment's instantaneous axis of rotation lies in
the posterior disc and the top of S1's body (Pearcy & Bogduk 1988). The facets glide, the disc
is squeezed in front in flexion and behind in extension, and the sac and roots go with the
canal (:func:`carry`).

With a pars defect (any slip) the anterior column is held by the disc alone: flexion also
glides it forward along S1's endplate and extension draws it back a little
(:data:`DYNAMIC_MM`), so the slip grows between extension and flexion, the radiographic sign
of dynamic instability. A high-grade slip stiffens (:func:`mobility`).

World frame RAS (+x right, +y anterior, +z superior), mm, degrees.
"""

from __future__ import annotations

import numpy as np

from meshes.frames import apply, rotation_x, translation
from meshes.rest import Rest, Root
from meshes.sdf_primitives import smoothstep

# Yamamoto 1989: L5–S1 flexion 10°, extension 8° under 10 N·m.
FLEXION_DEG = 10.0
EXTENSION_DEG = 8.0
# The axis: this fraction of S1's endplate depth forward of its posterior corner, this far
# (mm) above the endplate (in the back of the disc).
AXIS_DEPTH = 0.1
AXIS_ABOVE_MM = 2.0
# A slip carries the column's axis forward with L5, up to this share of S1's endplate depth (past it
# L5 rolls off S1's front and its axis stays on S1's endplate).
AXIS_CARRIED = 0.75
# With a pars defect the column glides along S1's endplate, back in full extension and forward
# in full flexion (mm); reached by a slip of DEFECT_FULL (fraction of the endplate depth).
DYNAMIC_MM = (1.0, 2.5)
DEFECT_FULL = 0.1
# The root under the pedicle (tethered this much or more) takes the share of the bend, of these,
# that leaves it farthest from bone.
FLOAT_TETHER = 0.3
FLOAT_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
# Extension stops where L5's inferior articular processes impact on S1 (a collapsed disc lets
# them down sooner): the arch may reach this far (mm) into S1's sampled field; its vertices this
# near S1 at rest are watched.
IMPACT_MM = 0.25
IMPACT_WATCH_MM = 6.0
# The column bends no nearer S1 than this (mm) where it was farther: the disc squeezed to its least;
# its body's vertices this near S1 at rest, over S1's endplate, are watched.
DISC_KEPT_MM = 1.0
COLUMN_WATCH_MM = 20.0
# A slip stiffens past grade II: by a slip of the whole depth the segment keeps this share of
# its motion (a high-grade slip is held by scar and a remodelled, domed sacrum).
STIFF_SHARE = 0.35
# An advanced degenerated disc keeps this share of the motion (from a wear of 0.3 on, it stiffens).
WORN_SHARE = 0.4


def angle_deg(posture: float) -> float:
    """The segment's turn for ``posture``, degrees: positive in flexion.

    Parameters
    ----------
    posture : float
        -1 (full extension) to +1 (full flexion), 0 neutral.

    Returns
    -------
    float
        Flexion (+) or extension (-) of L5 on S1, degrees, before any stiffening by a slip.
    """
    return float(posture) * (FLEXION_DEG if posture > 0.0 else EXTENSION_DEG)


def mobility(slip_fraction: float, degeneration: float = 0.0) -> float:
    """The share of the normal motion a segment keeps: a high-grade slip and a worn disc stiffen it.

    Parameters
    ----------
    slip_fraction : float
        The slip as a fraction of S1's endplate depth (0-1.5).
    degeneration : float, default 0
        The disc's wear, 0-1: an advanced degenerated disc, narrowed and rimmed with spurs,
        restabilises the segment (Kirkaldy-Willis & Farfan 1982).

    Returns
    -------
    float
        1 for a healthy segment; :data:`STIFF_SHARE` by a slip of the whole depth (falling
        smoothly from half of it), times down to :data:`WORN_SHARE` for a fully worn disc.
    """
    slipped = 1.0 - (1.0 - STIFF_SHARE) * smoothstep(0.5, 1.0, slip_fraction)
    return slipped * (1.0 - (1.0 - WORN_SHARE) * smoothstep(0.3, 1.0, degeneration))


def axis_point(rest: Rest, forward_mm: float = 0.0) -> np.ndarray:
    """A point on the segment's axis of rotation (world frame RAS, mm).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    forward_mm : float, default 0
        How far (mm) the axis has been carried forward along S1's endplate (by a slip, whose
        column takes its axis with it: :func:`column_motion`).

    Returns
    -------
    (3,) ndarray
        :data:`AXIS_DEPTH` of S1's endplate depth (plus ``forward_mm``) forward of its
        posterior corner, :data:`AXIS_ABOVE_MM` above it.
    """
    back = rest.segment.landmarks["S1_endplate_posterior"]
    return back + (AXIS_DEPTH * rest.depth + forward_mm) * rest.u + AXIS_ABOVE_MM * rest.w


def turn(rest: Rest, posture: float, slip_fraction: float = 0.0, degeneration: float = 0.0,
         forward_mm: float = 0.0) -> np.ndarray | None:
    """The whole of L5's motion for ``posture`` (None at neutral).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    posture : float
        -1 (full extension) to +1 (full flexion).
    slip_fraction : float, default 0
        The slip, a fraction of S1's endplate depth (it stiffens the segment, :func:`mobility`).
    degeneration : float, default 0
        The disc's wear, 0-1 (it stiffens the segment too).
    forward_mm : float, default 0
        How far the axis has been carried forward along S1's endplate (:func:`axis_point`).

    Returns
    -------
    (4, 4) ndarray or None
        The rotation about the axis through :func:`axis_point` (world frame); flexion dips
        L5's front.
    """
    if posture == 0.0:
        return None
    deg = angle_deg(posture) * mobility(slip_fraction, degeneration)
    # Positive rotation about +x lifts the front (extension); flexion is negative.
    axis = axis_point(rest, forward_mm)
    return translation(axis) @ rotation_x(-deg) @ translation(-axis)


def glide_mm(posture: float, slip_fraction: float, degeneration: float = 0.0) -> float:
    """How far (mm) a column cut off by a pars defect glides forward along S1 in ``posture``.

    Parameters
    ----------
    posture : float
        -1 (full extension) to +1 (full flexion).
    slip_fraction : float
        The slip, a fraction of S1's endplate depth: 0 has no defect and no glide.
    degeneration : float, default 0
        The disc's wear, 0-1: a worn disc holds the column (:func:`mobility`).

    Returns
    -------
    float
        Forward (+) in flexion, back (-) in extension; none without a slip.
    """
    defect = smoothstep(0.0, DEFECT_FULL, slip_fraction) * mobility(slip_fraction, degeneration)
    return defect * float(posture) * (DYNAMIC_MM[1] if posture > 0.0 else DYNAMIC_MM[0])


def column_motion(rest: Rest, posture: float, slip_fraction: float, degeneration: float = 0.0) -> np.ndarray | None:
    """The posture's motion of L5's anterior column: the turn, then the glide of a defect.

    The column turns about the segment's axis carried forward with it by the slip (the axis
    lies in the disc under L5, wherever L5 has gone), then glides along S1 (:func:`glide_mm`).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    posture : float
        -1 (full extension) to +1 (full flexion).
    slip_fraction : float
        The slip, a fraction of S1's endplate depth.
    degeneration : float, default 0
        The disc's wear, 0-1.

    Returns
    -------
    (4, 4) ndarray or None
        World motion applied after the slip's own (None at neutral).
    """
    carried = min(slip_fraction, AXIS_CARRIED) * rest.depth
    whole = turn(rest, posture, slip_fraction, degeneration, carried)
    if whole is None:
        return None
    return translation(rest.u * glide_mm(posture, slip_fraction, degeneration)) @ whole


def carry(root: Root, motion: np.ndarray | None, bend: np.ndarray | None = None, bone=None) -> np.ndarray:
    """A root's ring centres carried by L5 (world frame RAS, mm).

    Each ring goes with the anterior column's slip by its ``tether``, then with the posture's
    bend (:func:`column_motion`) by its ``follow``: the canal, the sac and the roots in it turn
    with L5, and the root under the pedicle goes with the pedicle.

    Parameters
    ----------
    root : Root
        The root's rings (rest centres, tether, follow).
    motion : (4, 4) ndarray or None
        World motion of L5's anterior column, the slip's and then the bend's; None: not moved.
    bend : (4, 4) ndarray or None, optional
        The posture's part of ``motion`` (:func:`column_motion`); None: neutral.
    bone : callable, optional
        ``points -> mm``: the posed bone's signed distance. Given, a root's rings under the
        pedicle float in the foramen's fat (:func:`float_in_foramen`) instead of going
        all the way with the pedicle.

    Returns
    -------
    (n, 3) ndarray
        The carried centres (the rest's own array when nothing moved).
    """
    c = root.centres
    slip = motion if bend is None or motion is None else np.linalg.inv(bend) @ motion
    if slip is not None and root.tether.any():
        c = c + root.tether[:, None] * (apply(slip, c) - c)
    if bend is not None and root.follow is not None and root.follow.any():
        step = root.follow[:, None] * (apply(bend, c) - c)
        share = np.ones(len(c)) if bone is None else float_in_foramen(root, c, step, bone)
        c = c + share[:, None] * step
    return c


def float_in_foramen(root: Root, c: np.ndarray, step: np.ndarray, bone) -> np.ndarray:
    """How much of the bend each ring takes: a root under the pedicle floats in the foramen.

    Flexion and extension move L5's pedicle and transverse process against S1's superior
    articular process; the root between them lies in fat, not fixed to either, and keeps to
    where the bone leaves it most room. Each ring under the pedicle (tethered to the column)
    takes the share of its ``step`` (from :data:`FLOAT_SHARES`) that is farthest from bone,
    smoothed along the root; every other ring takes all of it.

    Parameters
    ----------
    root : Root
        The root's rings.
    c : (n, 3) ndarray
        The ring centres before the bend (world frame RAS, mm).
    step : (n, 3) ndarray
        Each ring's full move with the bend (mm).
    bone : callable
        ``points -> mm``: the posed bone's signed distance (negative inside).

    Returns
    -------
    (n,) ndarray
        0..1 per ring.
    """
    share = np.ones(len(c))
    free = np.flatnonzero(root.tether > FLOAT_TETHER)
    if not free.size:
        return share
    tries = np.stack([bone(c[free] + k * step[free]) for k in FLOAT_SHARES])
    best = np.asarray(FLOAT_SHARES)[np.argmax(tries, axis=0)]
    share[free] = best
    for _ in range(4):  # smoothed along the root, its ends held
        share[1:-1] = 0.25 * share[:-2] + 0.5 * share[1:-1] + 0.25 * share[2:]
    return share


def sac_turn(points: np.ndarray, pivot: np.ndarray, w: np.ndarray) -> np.ndarray:
    """How much of L5's turn the dural sac (or a root in it) follows.

    Parameters
    ----------
    points : (n, 3) ndarray
        Points of the sac, world frame RAS, mm.
    pivot : (3,) ndarray
        L5's posterior-inferior endplate corner at rest (world, mm).
    w : (3,) ndarray
        The S1 endplate's normal (up, toward L5).

    Returns
    -------
    (n,) ndarray
        0..1: all of it from 10 mm above the corner, none from 5 mm below it.
    """
    return smoothstep(-5.0, 10.0, (points - pivot) @ w)


def reached(rest: Rest, posture: float, slip_fraction: float, sink: float, slipped: np.ndarray,
            degeneration: float = 0.0) -> float:
    """The posture L5 reaches: it stops where bone would meet bone.

    Extension stops where the arch impacts on S1 (:data:`IMPACT_MM`); a collapsed disc lets
    the arch down onto S1 (``sink``), so the inferior articular processes meet the lamina and
    the superior articular processes below sooner. Either way, the column stops where its
    endplate would come within :data:`DISC_KEPT_MM` of S1 (the disc squeezed to its least), or
    nearer only if it already was: a worn or slipped disc lets the segment bend less.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (its ``arch_over_s1`` and ``column_over_s1`` vertices are
        watched).
    posture : float
        The posture asked for, -1 (full extension) to +1 (full flexion).
    slip_fraction : float
        The slip, a fraction of S1's endplate depth.
    sink : float
        How far (mm) a degenerated disc has let the arch down.
    slipped : (4, 4) ndarray
        The column's world motion before the posture (slip and settling).
    degeneration : float, default 0
        The disc's wear, 0-1 (:func:`mobility`).

    Returns
    -------
    float
        ``posture``, or the share of it reached (found to within 1%).
    """
    from meshes.obstacles import arch_motion

    s1 = rest.fields["S1"]
    column = apply(slipped, rest.points["L5"][rest.column_over_s1])
    arch = rest.points["L5"][rest.arch_over_s1]
    kept = min(DISC_KEPT_MM, float(np.min(s1(column)))) if column.size else -np.inf

    def fits(k: float) -> bool:
        """Whether the share ``k`` (0-1) of the posture keeps bone off bone.

        Parameters
        ----------
        k : float
            The share of ``posture`` tried.

        Returns
        -------
        bool
            True when the column keeps its disc and the arch has not impacted.
        """
        bend = column_motion(rest, k * posture, slip_fraction, degeneration)
        if column.size and float(np.min(s1(apply(bend, column)))) < kept:
            return False
        if posture < 0.0 and arch.size:
            moved = apply(arch_motion(rest, sink, turn(rest, k * posture, slip_fraction, degeneration)), arch)
            return -float(np.min(s1(moved))) <= IMPACT_MM
        return True

    if posture == 0.0 or fits(1.0):
        return posture
    lo, hi = 0.0, 1.0
    for _ in range(7):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo * posture


def body_over_s1(points: np.ndarray, front: np.ndarray, s1, marks: dict, u: np.ndarray) -> np.ndarray:
    """L5's body vertices over S1's endplate at rest: where the column comes down on S1 as it bends.

    Parameters
    ----------
    points : (n, 3) ndarray
        L5's rest vertices (world frame RAS, mm).
    front : (n,) ndarray of bool
        Which are on the anterior column.
    s1 : callable
        ``points -> mm``: S1's signed distance.
    marks : dict of str to ndarray
        The rest landmarks (world, mm).
    u : (3,) ndarray
        Forward along S1's endplate.

    Returns
    -------
    ndarray of int
        The ids of the column's vertices within :data:`COLUMN_WATCH_MM` of S1 and between S1's
        endplate corners (2 mm behind the posterior one to 5 mm past the anterior one).
    """
    along = (points - marks["S1_endplate_posterior"]) @ u
    depth = float(np.linalg.norm(marks["S1_endplate_anterior"] - marks["S1_endplate_posterior"]))
    near = front & (s1(points) < COLUMN_WATCH_MM) & (along > -2.0) & (along < depth + 5.0)
    return np.flatnonzero(near)
