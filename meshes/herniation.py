"""A herniation posed: the disc surfaces pushed out, the herniated disc's field, the fragment.

Nucleus material pushes the posterior annulus out, first as a broad shallow bulge, then a
focal protrusion, then through a fissure as an extrusion whose dome is wider than its base,
aimed at the root its zone reaches, and finally as a free fragment that migrates caudally
along that root (:func:`herniate`; its path is :mod:`meshes.fragment`). Herniated material
runs along the endplates, never into them (:func:`out_of_bone`). The roots meet the
herniated disc by its distance field (:class:`HerniatedDiscField`). Its shape by stage is
:mod:`meshes.herniation_shape`. World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pyvista as pv

from meshes.dent import dent
from meshes.disc_shear import disc_fraction
from meshes.fields import gradient
from meshes.fragment import migrated_fragment_centre
from meshes.frames import apply
from meshes.herniation_shape import (
    Dome,
    StageAmounts,
    dome_at,
    dome_of,
    herniation_profile,
    herniation_shape,
    internal_progress,
    near_herniation,
    stage_amounts,
)
from meshes.obstacles import obstacle_fields
from meshes.pathology import Pathology
from meshes.rest import Herniation, Rest
from meshes.sdf_primitives import smin, smoothstep

# A sequestered fragment's radius (mm) once it has come free.
FRAGMENT_RADIUS = 3.5
# Where the fragment's field takes over from the dome's (a rounded union), over this far (mm).
FRAGMENT_BLEND_MM = 3.0
# Nucleus this far (mm) beyond the annulus's displaced rim has escaped through the fissure;
# roots within root_yield.IRRITATION_MM of escaped material are irritated (the glow).
ESCAPED_MM = 0.3
# The herniated disc's field reads an extruded tongue's flared mesh up to this much (mm) short.
TONGUE_MARGIN_MM = 1.0
# How far (mm, at rest) a herniated vertex put back out of bone takes its neighbours with it.
HERNIATION_DENT_MM = 3.0


def out_of_bone(rest: Rest, points: np.ndarray, shear: np.ndarray | None, sink: float,
                pushed: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Herniated disc vertices kept out of the endplates.

    Herniated disc material runs along the bone, never into it; the layers near a vertex put
    back out go with it (:func:`meshes.dent.dent`), so a thin, squeezed disc is dented rather
    than folded layer through layer.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    points : (n, 3) ndarray
        Disc vertices (world frame RAS, mm).
    shear : (4, 4) ndarray or None
        World motion of L5's anterior column; None: not moved.
    sink : float
        How far (mm) a degenerated disc has let L5's arch down.
    pushed : (n,) ndarray of bool
        Which of ``points`` the herniation pushed out (only those are checked).
    at : (n, 3) ndarray
        Their rest positions (world, mm).

    Returns
    -------
    (n, 3) ndarray
        The points out of S1 and L5's anterior column; ``points`` itself when none is pushed.
    """
    ids = np.flatnonzero(pushed)
    if not ids.size:
        return points
    bone = obstacle_fields(rest, shear, lambda q: q, None, sink)
    out = points.copy()
    for name in ("S1", "L5_front"):
        d, g = gradient(bone[name], out[ids])
        inside = np.flatnonzero(d < 0.0)
        if inside.size:
            push = -(d[inside] - 0.05)[:, None] * g[inside]
            out[ids] += dent(at[ids], inside, push, HERNIATION_DENT_MM, nearest=8)
    return out


class HerniatedDisc(NamedTuple):
    """What a herniation does to one posed frame (see :func:`herniate`)."""

    progress: float  # on the profile's scale (internal_progress); 0 without a herniation
    field: Callable | None  # points -> mm: the herniated disc (and fragment); None without one
    dome: HerniatedDiscField | None  # its dome part, which meets a moved disc as drawn
    fragment: pv.PolyData | None  # a sequestered fragment's surface
    fragment_centre: np.ndarray | None  # world, mm
    fragment_radius: float  # mm
    escaped: list[np.ndarray]  # nucleus material out through the annulus (points, world, mm)


class HerniatedDiscField:
    """``points -> mm``: the herniated disc, the rest disc grown outward by the dome height.

    The dome lies within a few mm of the disc's mid-height, outside the nucleus. Away from
    the dome it is the disc itself: the rest disc as the roots meet it (``disc_as_met``) read
    through the undone shear, or, once :func:`meshes.pose.pose` has drawn a moved disc,
    :attr:`drawn_disc` (the shear is no isometry, see
    :class:`meshes.root_clearance.DrawnDisc`). Called with ``(n, 3)`` posed points (world
    frame RAS, mm), it returns their signed distances (mm, negative inside).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (its herniation caches are read and filled).
    h : Herniation
        Where this zone and side's herniation goes (rest, world frame).
    key : (str, str)
        The herniation's (zone, side), its key in ``rest.cache``.
    moving : bool
        Whether the disc is sheared this frame; if not, which of the rest ring centres and
        section points lie near the dome is read back from ``rest.cache``.
    unshear : callable
        ``q -> rest positions`` of posed points, world frame, mm (identity for an unsheared
        disc).
    disc_as_met : callable
        The rest disc's signed distance (mm) as the roots meet it, read at rest positions.
    flare : float
        How far the extruded dome spreads sideways (0 before extrusion; 0.9 x the extruded
        fraction at the axis).
    amounts : StageAmounts
        The dome's stage amounts for this frame's progress (:func:`stage_amounts`).
    """

    def __init__(self, rest: Rest, h: Herniation, key: tuple[str, str], moving: bool, unshear: Callable,
                 disc_as_met: Callable, flare: float, amounts: StageAmounts) -> None:
        self.rest, self.h, self.key, self.moving = rest, h, key, moving
        self.unshear, self.disc_as_met = unshear, disc_as_met
        self.flare, self.amounts = flare, amounts
        # The moved disc as drawn: set by pose before the field is first asked (None: unmoved).
        self.drawn_disc: Callable | None = None

    def __call__(self, q: np.ndarray) -> np.ndarray:
        rest, h, unshear, disc_as_met = self.rest, self.h, self.unshear, self.disc_as_met
        flare, amounts, drawn_disc = self.flare, self.amounts, self.drawn_disc
        x = unshear(q)
        # Away from the dome it is the disc itself: the field runs on without a step there
        # (a moved disc as drawn: the shear is no isometry, see :class:`DrawnDisc`).
        out = disc_as_met(x) if drawn_disc is None else drawn_disc(q)
        near, r_n, r_t, shape = near_herniation(rest, h, self.key, x, fixed=not self.moving)
        if near.size:
            # Undo the dome's sideways flare, then step back along the herniation's
            # axis by the dome height and undo the shear: inside if that lands in the
            # rest disc (the disc grown outward, not up or down, as its vertices move).
            spread = flare * smoothstep(0.0, 3.0, r_n)
            inward = (r_t * spread / (1.0 + spread))[:, None] * h.t
            here = dome_of(h, shape, amounts)
            # Without a flare (no extrusion yet) nothing moves inward: there is here.
            there = here
            if flare:  # (only points beyond the axis's foot move: elsewhere there is here too)
                beyond = np.flatnonzero(spread > 0.0)
                there = Dome(here.height.copy(), here.contained.copy())
                there.height[beyond], there.contained[beyond] = dome_at(rest, h, x[near[beyond]] - inward[beyond],
                                                                        amounts)
            extruded = there.height - there.contained
            # Only the extruded tongue flares (faded in, so the field has no step).
            tongue = smoothstep(0.0, 0.3, extruded)
            inward *= tongue[:, None]
            # The tongue's field reads its flared mesh up to a millimetre short: give it that.
            margin = TONGUE_MARGIN_MM * smoothstep(0.05, 1.0, extruded)
            dome = here.contained + tongue * (extruded + margin) + (1.0 - tongue) * (here.height - here.contained)
            # Where the dome stands: the disc grown out by it.
            up = np.flatnonzero(dome > 0.0)
            back = unshear(q[near[up]] - inward[up] - dome[up, None] * h.n)
            out[near[up]] = np.minimum(out[near[up]], disc_as_met(back))
        return out


def herniate(rest: Rest, pathology: Pathology, h: Herniation, pts: dict[str, np.ndarray], motion: np.ndarray,
             shear: np.ndarray | None, moving: bool, sink: float, left: float, unshear: Callable,
             disc_as_met: Callable) -> HerniatedDisc:
    """Pose a herniation: push the disc surfaces out and make the herniated disc's field.

    The annulus and nucleus vertices of ``pts`` are moved along the herniation's axis by the
    profile at their rest positions (the extruded nucleus spreading sideways into a dome), kept
    out of the endplates, and ``pts`` is updated in place. Past extrusion a fragment comes free
    and migrates along its root.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    pathology : Pathology
        The state (herniation progress 0-1, zone and side).
    h : Herniation
        The herniation of that zone and side.
    pts : dict of str to ndarray
        The posed vertices so far (world frame RAS, mm), with the disc already sheared;
        ``"disc_annulus"`` and ``"disc_nucleus"`` are replaced.
    motion : (4, 4) ndarray
        World motion of L5's anterior column (identity when it does not move).
    shear : (4, 4) ndarray or None
        ``motion`` when the disc is sheared (slip or settling), else None.
    moving : bool
        Whether the disc is sheared.
    sink : float
        How far (mm) a degenerated disc has let L5 down.
    left : float
        0..1: how far the disc is left flattened on the sacrum (see
        :data:`meshes.disc_shear.LEFT_ON_SACRUM`).
    unshear : callable
        ``q -> rest positions`` of posed disc points (:func:`meshes.disc_shear.unshear_map`).
    disc_as_met : callable
        The rest disc's field as the roots meet it
        (:func:`meshes.degeneration.bulged_disc_field`).

    Returns
    -------
    HerniatedDisc
        The progress, the herniated disc's field (with the fragment's, once free), its dome
        part, the fragment and its centre (world, mm) and radius (mm), and the escaped nucleus
        material's points. Without a herniation: progress 0 and no field.
    """
    fragment = None
    her_field = None
    dome_field = None
    centre, radius = None, 0.0
    progress = internal_progress(pathology.herniation)
    # Where the sheared disc carries the fissure: away from the root it aims at, so the
    # extrusion grows by that much to still reach it.
    carried = np.zeros(3)
    if progress > 0.0 and moving:
        k = disc_fraction(h.centre[None], rest.segment.landmarks, rest.u, rest.w)[0]
        # (A disc left flattened on the sacrum by a high-grade slip stays there: see shear_map.)
        carried = (1.0 - left) * k * (apply(motion, h.centre[None])[0] - h.centre)
    extra = max(0.0, -float(carried @ h.n))
    escaped: list[np.ndarray] = []
    if progress > 0.0:
        cache = rest.cache
        for name, weight in (("disc_annulus", "outer"), ("disc_nucleus", "face")):
            key = (pathology.zone, pathology.side, name)
            if key not in cache.surface_shapes:
                cache.surface_shapes[key] = herniation_shape(rest, h, rest.points[name])
            if key not in cache.moving:
                # Only the vertices with an annulus "outer" (nucleus "face") weight move: the
                # rest have none, so their displacement is nil.
                ids = np.flatnonzero(cache.surface_shapes[key][weight] != 0.0)
                cache.moving[key] = ids, {k: v[ids] for k, v in cache.surface_shapes[key].items()}
            ids, shape = cache.moving[key]
            prof = herniation_profile(rest, h, shape, progress, extra)
            nucleus = name == "disc_nucleus"
            disp = prof.nucleus if nucleus else prof.annulus
            p = np.array(pts[name], float)
            moved = p[ids] + disp[:, None] * h.n
            if nucleus:
                # The extruded dome spreads sideways: wider than its neck.
                spread = 0.9 * prof.extrusion_fraction * smoothstep(0.0, 3.0, shape["qn"] + disp)
                moved = moved + (shape["qt"] * spread)[:, None] * h.t
                # Nucleus that has passed out through the annulus (beyond its displaced rim):
                # escaped material, which irritates a root it comes near.
                escaped.append(moved[shape["qn"] + disp > prof.contained + ESCAPED_MM])
            p[ids] = out_of_bone(rest, moved, shear, sink, disp > 0.05, rest.points[name][ids])
            pts[name] = p
        key = (pathology.zone, pathology.side)
        if key not in cache.axis_shapes:
            cache.axis_shapes[key] = herniation_shape(rest, h, h.centre[None])
        at_axis = herniation_profile(rest, h, cache.axis_shapes[key], progress, extra)
        peak, flare = float(at_axis.dome[0]), 0.9 * float(at_axis.extrusion_fraction)
        amounts = stage_amounts(rest, h, progress, extra)
        her_field = dome_field = HerniatedDiscField(rest, h, key, moving, unshear, disc_as_met, flare, amounts)

        if progress > 0.75:
            grow = smoothstep(0.75, 0.9, progress)  # (smooth from its first moment: no jump)
            drift = smoothstep(0.75, 1.0, progress)
            radius = FRAGMENT_RADIUS * grow
            # It leaves from where the sheared disc put the fissure, and migrates along the
            # root its zone reaches (ANATOMY.md), staying out of bone.
            start = h.centre + carried + h.n * max(peak, radius)
            centre = migrated_fragment_centre(rest, pathology, h, start, radius, drift, shear, sink)
            fragment = rest.fragment.copy()
            fragment.points = fragment.points * radius + centre
            escaped.append(np.asarray(fragment.points))

            base_field = her_field

            def her_field(q: np.ndarray, base=base_field, c=centre, r=radius) -> np.ndarray:
                # A rounded union: where the fragment takes over from the dome, the way a root
                # yields turns smoothly instead of flipping.
                return smin(base(q), np.linalg.norm(q - c, axis=1) - r, FRAGMENT_BLEND_MM)

    return HerniatedDisc(progress, her_field, dome_field, fragment, centre, radius, escaped)
