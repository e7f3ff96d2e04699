"""The disc sheared between the endplates as L5 slips or settles, and that shear undone.

A point of the disc goes part of L5's way by its height in the disc space
(:func:`disc_fraction`), and is squeezed or stretched to the posed gap between S1's
surface and L5's endplate line (:func:`shear_map`); past half the endplate's depth the disc
is left flattened on the sacrum as L5 rolls off its front. :func:`unshear_map` inverts the
shear (the herniation's and the bulge's fields are read at rest positions), and
:func:`off_the_endplates` puts disc carried into the cupped endplates back out of them.
World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

import numpy as np

from meshes.dent import dent
from meshes.fields import gradient
from meshes.frames import apply
from meshes.rest import Rest

# How far (mm, at rest) a disc vertex pushed out of an endplate takes its neighbours with it.
ENDPLATE_DENT_MM = 1.5


# As L5 rolls off the front of S1 (from half its depth to all of it) the disc is left behind
# on the uncovered S1 endplate, flattened to this thickness (mm) and ending this far (mm)
# short of its front: a straight shear between endplates that face away from each other
# would turn the disc inside out.
LEFT_ON_SACRUM = (0.5, 1.0)
DISC_LEFT_MM = 2.0
LEFT_CLEAR_MM = 3.0
# Newton steps that undo the disc's shear (see unshear_map).
UNSHEAR_STEPS = 8
UNSHEAR_STEP_MM = 5.0
# The sheared disc is never squeezed thinner than this (mm) where L5's endplate dips toward S1.
GAP_MIN_MM = 0.5


def disc_fraction(p: np.ndarray, marks, u, w) -> np.ndarray:
    """Each point's height fraction across the rest disc space.

    Parameters
    ----------
    p : (n, 3) ndarray
        Points (world frame RAS: +x right, +y anterior, +z superior; mm).
    marks : dict of str to ndarray
        The rest segment's landmarks (world frame, mm).
    u, w : (3,) ndarray
        The S1 endplate's forward unit vector and its normal (see
        :func:`meshes.frames.s1_axes`).

    Returns
    -------
    (n,) ndarray
        0 on the S1 endplate, 1 on L5's inferior endplate line, clipped to 0..1.
    """
    rel = p - marks["S1_endplate_posterior"]
    top = rest_disc_height(rel @ u, marks, u, w)
    return np.minimum(np.maximum((rel @ w) / np.maximum(top, 1e-3), 0.0), 1.0)


def rest_disc_height(along: np.ndarray, marks, u, w) -> np.ndarray:
    """The rest disc's height at points along the S1 endplate.

    L5's endplate line between its rim corners, held level a half span beyond them.

    Parameters
    ----------
    along : ndarray
        Distance (mm) ahead of S1's posterior-superior corner, along ``u``.
    marks : dict of str to ndarray
        The rest segment's landmarks (world frame RAS, mm).
    u, w : (3,) ndarray
        The S1 endplate's forward unit vector and its normal.

    Returns
    -------
    ndarray
        The disc's height (mm, square to S1's endplate) at each ``along``.
    """
    base = marks["S1_endplate_posterior"]
    a, b = marks["L5_inferior_endplate_posterior"], marks["L5_inferior_endplate_anterior"]
    span = (b - a) @ u
    k = np.minimum(np.maximum((along - (a - base) @ u) / span, -0.5), 1.5)
    return ((a - base) @ w) + k * ((b - a) @ w)


def shear_map(rest: Rest, motion: np.ndarray, left: float):
    """The slip's shear of the disc: ``(x, k) -> posed`` disc points.

    Where the slip puts the disc's material at rest points ``x`` of height fractions ``k``
    (by default :func:`disc_fraction`). Each point goes ``k`` of L5's way along the S1
    endplate, and its height is scaled by the posed gap over the rest gap where it lands:
    from S1's own surface under it to L5's posed endplate line, which behind L5's posterior
    corner keeps that corner's height (the disc L5 has slid off lies on S1). For a slip
    without roll the map's Jacobian determinant is then the ratio of those two gaps, never
    negative: a straight shear of a lordotic, settled disc folded it where L5's endplate
    climbs faster than the sheared disc behind it.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    motion : (4, 4) ndarray
        World motion of L5's anterior column (see :func:`meshes.slip.slip_motion`).
    left : float
        0..1: how far the disc is flattened onto the sacrum as L5 rolls off its front
        (see :data:`LEFT_ON_SACRUM`).

    Returns
    -------
    callable
        ``forward(x, k=None) -> (n, 3) ndarray``: posed positions (world frame RAS, mm) of
        rest points ``x`` (n, 3) with height fractions ``k`` (n,).
    """
    marks = rest.segment.landmarks
    base, u, w = marks["S1_endplate_posterior"], rest.u, rest.w
    corners = apply(motion, np.array([marks["L5_inferior_endplate_posterior"],
                                      marks["L5_inferior_endplate_anterior"]], float)) - base
    (cu, cw), (au, aw) = corners @ np.stack([u, w], axis=1)
    slope = (aw - cw) / (au - cu)
    lateral = np.cross(u, w) / np.linalg.norm(np.cross(u, w))

    def forward(x: np.ndarray, k: np.ndarray | None = None) -> np.ndarray:
        """Where the shear takes disc material.

        Parameters
        ----------
        x : (n, 3) ndarray
            Rest positions (world frame RAS, mm).
        k : (n,) ndarray, optional
            Their height fractions in the disc space (0 on S1, 1 on L5); by default
            :func:`disc_fraction` of ``x``.

        Returns
        -------
        (n, 3) ndarray
            Posed positions (world frame RAS, mm).
        """
        if k is None:
            k = disc_fraction(x, marks, u, w)
        rel = x - base
        along, up = rel @ u, rel @ w
        moved = apply(motion, x) - x
        gone = moved @ u
        # Left on the sacrum, the disc keeps to the endplate, short of its front.
        kept = np.where(along > 0.0, along * (rest.depth - LEFT_CLEAR_MM) / rest.depth, along)
        landed = (1.0 - left) * (along + k * gone) + left * kept
        # Heights from S1's own surface under the point (the endplate is not flat), to L5's line.
        # (where it was, and where it lands: the column stands on the surface under it).
        side = rel @ lateral
        # (Never lower where it lands than where it was: past S1's front edge the surface drops
        # away, and layers landing on either side of the edge would cross.)
        both = rest.floor(np.concatenate([along, landed]), np.concatenate([side, side]))
        floor = both[:len(along)]
        under = np.maximum(both[len(along):], floor)
        rest_gap = np.maximum(rest_disc_height(along, marks, u, w) - floor, 1e-3)
        posed_gap = np.maximum(cw + slope * np.maximum(landed - cu, 0.0) - under, GAP_MIN_MM)
        # Left on the sacrum, never higher than L5's endplate line where L5 lies on it; behind
        # L5's corner free to rise again (at 45 degrees, so there is no step).
        ceiling = posed_gap + np.maximum(cu - landed, 0.0)
        ratio = ((1.0 - left) * posed_gap + left * np.minimum(DISC_LEFT_MM, ceiling)) / rest_gap
        held = np.minimum(np.maximum(up - floor, 0.0), rest_gap)
        height = under + held * ratio + (up - floor - held) * (1.0 - left + left * np.minimum(ratio, 1.0))
        across = moved - np.outer(gone, u) - np.outer(moved @ w, w)
        return x + np.outer(landed - along, u) + np.outer(height - up, w) + ((1.0 - left) * k)[:, None] * across

    return forward


def unshear_map(rest: Rest, motion: np.ndarray | None, left: float = 0.0):
    """The inverse of :func:`shear_map`: ``q -> rest positions`` of posed disc points.

    Undone by Newton steps (the shear of a worn, settled disc squeezes it several-fold:
    plain fixed-point steps stray by millimetres there). The returned map remembers its
    last query (by identity) and answers it again without work: the disc and the herniation
    ask about the same points one after the other.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    motion : (4, 4) ndarray or None
        World motion of L5's anterior column; None: the disc is not moved (identity map).
    left : float, default 0
        0..1: how far the disc is flattened onto the sacrum (see :data:`LEFT_ON_SACRUM`).

    Returns
    -------
    callable
        ``unshear(q) -> (n, 3) ndarray``: rest positions (world frame RAS, mm) of posed
        points ``q`` (n, 3).
    """
    if motion is None:
        return lambda q: q
    marks = rest.segment.landmarks
    inv = np.linalg.inv(motion)
    forward = shear_map(rest, motion, left)
    last: list = [None, None]  # the frame's last query and its answer: the disc and the
    # herniation ask about the same points one after the other

    def unshear(q: np.ndarray) -> np.ndarray:
        """Where posed disc points were at rest (the same array again for the same ``q``).

        Parameters
        ----------
        q : (n, 3) ndarray
            Posed points (world frame RAS, mm).

        Returns
        -------
        (n, 3) ndarray
            Their rest positions (world frame RAS, mm), to within 1e-3 mm where Newton converged.
        """
        if q is last[0]:
            return last[1]
        q = np.asarray(q, float)
        x = q + disc_fraction(q, marks, rest.u, rest.w)[:, None] * (apply(inv, q) - q)
        here = forward(x)
        todo = np.arange(len(q))
        for _ in range(UNSHEAR_STEPS):
            # Only the points not yet home take another step.
            err = np.linalg.norm(here[todo] - q[todo], axis=1)
            todo = todo[err >= 1e-3]
            err = err[err >= 1e-3]
            if not todo.size:
                break
            xt, ht, qt = x[todo], here[todo], q[todo]
            n = len(todo)
            # The three columns of the Jacobian from one call (the map's overhead is per call).
            stepped = forward(np.concatenate([xt + 1e-3 * np.eye(3)[i] for i in range(3)]))
            jac = np.stack([(stepped[i * n:(i + 1) * n] - ht) / 1e-3 for i in range(3)], axis=2)
            ok = np.abs(np.linalg.det(jac)) > 1e-6
            delta = np.zeros_like(xt)
            delta[ok] = np.linalg.solve(jac[ok], (ht - qt)[ok][:, :, None])[:, :, 0]
            # A step of at most a few mm; where it overshoots (the map has kinks: clamps, the
            # corner) take less, and where even a small step does not help, none.
            long = np.linalg.norm(delta, axis=1, keepdims=True)
            delta *= np.minimum(1.0, UNSHEAR_STEP_MM / np.maximum(long, 1e-12))
            for attempt in range(4):
                there = forward(xt - delta)
                worse = np.linalg.norm(there - qt, axis=1) > err
                if not worse.any():
                    break
                delta[worse] *= 0.5 if attempt < 3 else 0.0
            if worse.any():
                there[worse] = ht[worse]
            x[todo] = xt - delta
            here[todo] = there
        last[:] = q, x
        return x

    return unshear


def off_the_endplates(rest: Rest, name: str, points: np.ndarray, motion: np.ndarray) -> np.ndarray:
    """A sheared disc's vertices by the endplates put back out of the bone.

    The endplates are cupped, so a straight shear between them carries disc into the one
    sliding over it; the layers near a vertex put back go with it (:func:`meshes.dent.dent`).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment: its bone fields, the disc vertices near each endplate
        (``disc_by_bone``) and their rest positions are read.
    name : str
        Which disc surface is put back, ``"disc_annulus"`` or ``"disc_nucleus"``.
    points : (n, 3) ndarray
        The surface's sheared vertices, posed (world frame RAS, mm).
    motion : (4, 4) ndarray
        World motion of L5's anterior column: where L5's endplate now is.

    Returns
    -------
    (n, 3) ndarray
        The vertices out of L5's and S1's bone; ``points`` itself when none were inside.
    """
    inv = np.linalg.inv(motion)
    fields = (("L5_front", lambda q: rest.fields["L5_front"](apply(inv, q))), ("S1", rest.fields["S1"]))
    out = points
    for bone, field_ in fields:
        ids = rest.disc_by_bone[name][bone]
        if not ids.size:
            continue
        d, g = gradient(field_, out[ids])
        inside = np.flatnonzero(d < 0.0)
        if not inside.size:
            continue
        out = out.copy() if out is points else out
        push = -(d[inside] - 0.02)[:, None] * g[inside]
        # The disc's layers near a pushed vertex go with it (by their rest distance from it), so
        # a thin, squeezed disc is dented, not folded layer through layer.
        out[ids] += dent(rest.points[name][ids], inside, push, ENDPLATE_DENT_MM, nearest=8)
    return out
