"""Posing the rest segment with a pathology: isthmic slip, disc herniation, degeneration.

``prepare(segment)`` (:mod:`meshes.preparation`) does the slow work once (masks, distance
grids, herniation targets); ``pose(rest, pathology)`` then returns new vertex positions for
every structure (same topology) in a few milliseconds, plus per-vertex ``compression`` and
``inflamed`` scalars on the roots and, when sequestered, a free fragment.

Slip (:mod:`meshes.slip`): the anterior column of L5 (the shell left of the pars cut) moves
forward along the S1 endplate by ``slip_percent`` of its depth, tips forward (slip angle) in
high grades and sinks in front of S1 past grade III; the posterior arch stays hooked behind
S1's facets, so the pars gap opens. The disc shears between the endplates
(:mod:`meshes.disc_shear`); the L5 roots are pulled along under their pedicles, the sac
follows a little. Degeneration (:mod:`meshes.degeneration`, :mod:`meshes.osteophytes`): the
disc settles and bulges, the endplates' rims grow spurs. Herniation
(:mod:`meshes.herniation`, :mod:`meshes.herniation_shape`): nucleus material pushes the
posterior annulus out, first as a broad shallow bulge, then a focal protrusion, then through
a fissure as an extrusion whose dome is wider than its base, aimed at the root its zone
reaches, and finally as a free fragment that migrates caudally. Roots never let an obstacle
pass through (:mod:`meshes.root_yield`, :mod:`meshes.root_clearance`): each cross-section is
pushed aside by half the intrusion and flattened against the obstacle for the rest.

The records (:class:`Rest`, :class:`Posed`, ...) are in :mod:`meshes.rest`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyvista as pv

from meshes.column import column_of, l5_landmarks
from meshes.degeneration import bulge, bulged_disc_field
from meshes.disc_shear import off_the_endplates, shear_map, unshear_map
from meshes.frames import apply
from meshes.herniation import herniate
from meshes.obstacles import arch_motion, obstacle_fields
from meshes.osteophytes import over_the_spurs, spur_displacement, spur_growth
from meshes.pars_scar import distance_to
from meshes.pathology import Pathology
from meshes.posture import sac_turn
from meshes.rest import Posed, Rest
from meshes.root_clearance import DrawnDisc, clear_of_the_disc, clear_of_the_scars
from meshes.root_yield import irritate, yield_roots
from meshes.sac_dent import SAC_CLEARANCE_MM, around_fragment, dent_sac
from meshes.slip import pars_scars, sac_follow, stumps_worn


def pose(rest: Rest, pathology: Pathology) -> Posed:
    """Vertex positions of every structure for ``pathology`` (world frame, same topology).

    A few milliseconds a frame: everything slow was done by :func:`prepare`. Structures that
    do not move share the rest arrays.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (:func:`prepare`); its ``cache`` is filled on first use.
    pathology : Pathology
        The state: slip (percent of the S1 endplate's depth), herniation progress (0-1),
        its zone and side, degeneration (0-1).

    Returns
    -------
    Posed
        Every structure's vertices (world frame RAS: +x right, +y anterior, +z superior;
        mm; the rest topology), the roots' ``compression`` (mm) and ``inflamed`` (0-1)
        scalars, the posed landmarks, each root's gap (mm) before it yielded, a sequestered
        fragment, the obstacles' distance functions, the degeneration and the pars scars.
    """
    # Structures that do not move share the rest arrays (so a viewer can skip them);
    # every change below makes new arrays.
    pts = dict(rest.points)
    column = column_of(rest, pathology)
    pathology, sink, left = column.state, column.sink, column.left
    motion, whole, bend = column.motion, column.whole, column.bend
    spurs = spur_growth(pathology.degeneration)
    spur_disp = {}
    if spurs > 0.0:
        for bone in ("L5", "S1"):
            ids, disp = rest.spurs[bone]
            spur_disp[bone] = spur_displacement(rest, bone, spurs, left)
            grown = pts[bone].copy()
            grown[ids] += spur_disp[bone]
            pts[bone] = grown
    moving = pathology.slip_percent > 0.0 or sink > 0.0 or whole is not None
    shear = motion if moving else None
    unshear = unshear_map(rest, shear, left)
    disc_as_met = bulged_disc_field(rest, pathology.degeneration, left)
    if moving:
        l5 = pts["L5"].copy()
        if pts["L5"] is rest.points["L5"]:  # no spurs: the anterior column's rest points, as found in prepare
            l5[rest.front_ids] = apply(motion, rest.front_points)
        else:
            l5[rest.front] = apply(motion, l5[rest.front])
        # The arch sinks with a degenerated disc and turns with the rest of L5 in flexion and
        # extension; a slip leaves it hooked behind S1's facets.
        arch = arch_motion(rest, sink, whole)
        if arch is not None:
            l5[~rest.front] = apply(arch, l5[~rest.front])
        pts["L5"] = stumps_worn(rest, l5)
        if arch is not None:  # the cartilage on L5's inferior processes goes with the arch
            for name in ("facet_cartilage_left", "facet_cartilage_right"):
                on_l5 = rest.point_data[name]["layer"] == 1
                layer = pts[name].copy()
                layer[on_l5] = apply(arch, layer[on_l5])
                pts[name] = layer
        shearing = shear_map(rest, motion, left)
        for name in ("disc_annulus", "disc_nucleus"):
            p = over_the_spurs(rest, name, pts[name], spur_disp) + bulge(rest, name, pathology.degeneration, left)
            pts[name] = off_the_endplates(rest, name, shearing(p, rest.disc_height[name]), motion)
        sac = pts["dural_sac"]
        follow = sac_follow(sac, rest.pivot, rest.w)
        sac = sac + follow[:, None] * (apply(motion, sac) - sac)
        if whole is not None:  # the canal turns with L5, and the sac with it
            more = np.clip(sac_turn(pts["dural_sac"], rest.pivot, rest.w) - follow, 0.0, 1.0)
            sac = sac + more[:, None] * (apply(whole, sac) - sac)
        pts["dural_sac"] = sac
    h = rest.herniations[(pathology.zone, pathology.side)]
    herniated = herniate(rest, pathology, h, pts, motion, shear, moving, sink, left, unshear, disc_as_met)
    her_field, fragment, escaped = herniated.field, herniated.fragment, herniated.escaped
    if herniated.progress > 0.0:
        free = [] if fragment is None else [np.asarray(fragment.points)]
        pts["dural_sac"] = dent_sac(rest, pts, h, (pathology.zone, pathology.side), free, still=not moving)
        if fragment is not None:
            pts["dural_sac"] = around_fragment(pts["dural_sac"], herniated.fragment_centre,
                                               herniated.fragment_radius + SAC_CLEARANCE_MM)
    drawn_disc = DrawnDisc(pts, rest, escaped=herniated.progress > 0.0) if moving else None
    if herniated.dome is not None:  # (the herniated disc meets a moved disc as drawn)
        herniated.dome.drawn_disc = drawn_disc
    obstacles = obstacle_fields(rest, shear, unshear, her_field, sink, disc_as_met, drawn_disc, whole)
    scars = pars_scars(rest, pts, shear, pathology.slip_percent / 100.0, bend)
    for name, mesh in scars.items():
        obstacles[name] = distance_to(mesh)
    scalars, gaps = yield_roots(rest, pts, shear, obstacles, her_field, h.n if her_field is not None else None,
                                bend)
    if her_field is not None or moving:
        clear_of_the_disc(rest, pts, scalars, fragment, drawn_disc)
    clear_of_the_scars(pts, scalars, scars, obstacles)
    irritate(pts, scalars, np.vstack(escaped) if escaped else np.zeros((0, 3)))
    marks = l5_landmarks(rest, column)
    return Posed(pts, scalars, marks, gaps, fragment, obstacles, pathology.degeneration, scars)


def posed_structures(rest: Rest, posed: Posed) -> dict[str, pv.PolyData]:
    """Copies of the rest surfaces with posed points and scalars (for export and measure).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment: its surfaces give each copy's faces and arrays.
    posed : Posed
        A posed state of it (:func:`pose`): the points and scalars put on the copies.

    Returns
    -------
    dict of str to pyvista.PolyData
        Every structure (world frame RAS, mm), plus ``"herniation_fragment"`` when there is
        one and ``"pars_scar_<side>"`` for each scar.
    """
    out = {}
    for name, mesh in rest.segment.structures.items():
        m = mesh.copy()
        m.points = posed.points[name].copy()
        for key, values in posed.scalars.get(name, {}).items():
            m.point_data[key] = values
        out[name] = m
    if posed.fragment is not None:
        out["herniation_fragment"] = posed.fragment
    out.update(posed.scars)
    return out


def distance_at(posed: Posed):
    """The distance to the posed obstacles.

    Parameters
    ----------
    posed : Posed
        A posed state (:func:`pose`).

    Returns
    -------
    callable
        ``points (n, 3) -> (n,)``: distance (mm) to posed bone, disc, herniation or pars
        scar, negative inside (world frame RAS, mm).
    """

    def distance(p: np.ndarray) -> np.ndarray:
        """The smallest of the obstacles' distances.

        Parameters
        ----------
        p : (n, 3) ndarray
            Points (world frame RAS, mm).

        Returns
        -------
        (n,) ndarray
            Distance (mm) to the nearest obstacle, negative inside one.
        """
        return np.min([f(p) for f in posed.obstacles.values()], axis=0)

    return distance


def readouts(rest: Rest, posed: Posed, pathology: Pathology) -> dict:
    """All readouts of a posed state, measured from its geometry (fast path for the viewer).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment: its point and field arrays, and the facet angles and rest
        distances at the foramen's sections it measured, reused where nothing has moved.
    posed : Posed
        A posed state of it (:func:`pose`), measured without copying its surfaces.
    pathology : Pathology
        The state it was posed for (its stage, zone and side are reported).

    Returns
    -------
    dict
        As :func:`meshes.measure.readouts`: slip (percent of the S1 endplate's depth),
        Meyerding grade, slip angle (degrees), disc heights (mm), each foramen's height and
        width (mm) and area (mm^2), facet angles (degrees), each root's clearance (mm) and
        the herniation's stage, zone, side and extent (mm); and ``posture``: the segmental
        angle, flexion and translation against neutral, and the flexion-extension pair
        (:func:`meshes.dynamics.posture_readouts`).
    """
    from meshes.dynamics import posture_readouts
    from meshes.measure import readouts as measured

    structures = {name: _Points(p) for name, p in posed.points.items()}
    for name in rest.segment.structures:
        structures[name].field_data = rest.field_data[name]
        structures[name].point_data = rest.point_data[name]
    structures["dural_sac"].faces = rest.segment.structures["dural_sac"].faces
    if posed.fragment is not None:
        structures["herniation_fragment"] = posed.fragment
    # The cartilage at rest (the same arrays) has the angles measured in prepare; the S1
    # landmarks the angle is measured against never move.
    rested = {side: angle for side, angle in rest.facet_angles.items()
              if posed.points[f"facet_cartilage_{side}"] is rest.points[f"facet_cartilage_{side}"]}
    # The foramen's section points hang from L5's pedicles: where they were, they are the rest's.
    pedicles = [k for k in posed.landmarks if k.startswith("L5_pedicle_inferior_")]
    unmoved = all(np.array_equal(posed.landmarks[k], rest.segment.landmarks[k]) for k in pedicles)
    sections = rest.at_sections.points if unmoved and rest.at_sections is not None else None
    out = measured(structures, posed.landmarks, pathology, posed.root_gap, _distance_known(rest, posed), rested,
                   sections)
    out["posture"] = posture_readouts(rest, pathology)
    return out


def _distance_known(rest: Rest, posed: Posed):
    """:func:`distance_at`, reading the rest fields that have not moved off ``rest.at_sections``
    when asked at its points (the foramen's sections while L5's pedicles are where they were)."""
    known = rest.at_sections

    def distance(p: np.ndarray) -> np.ndarray:
        """As :func:`distance_at`'s, with the rest values known at the foramen's sections.

        Parameters
        ----------
        p : (n, 3) ndarray
            Points (world frame RAS, mm); at ``rest.at_sections.points`` (or equal to them)
            the fields that have not moved are read from there.

        Returns
        -------
        (n,) ndarray
            The least of the obstacles' distances (mm), each known or computed.
        """
        same = known is not None and (p is known.points or p.shape == known.points.shape
                                      and np.array_equal(p, known.points))
        q = known.points if same else p  # the same points; the herniation knows its way about the rest's
        return np.min([known.values[name] if same and known.knows(name, f, rest.fields) else f(q)
                       for name, f in posed.obstacles.items()], axis=0)

    return distance


@dataclass
class _Points:
    """The little of a surface that the readouts read: points and per-vertex arrays."""

    points: np.ndarray
    field_data: dict = field(default_factory=dict)
    point_data: dict = field(default_factory=dict)
    faces: np.ndarray | None = None  # the rest surface's faces (the dural sac's, for its section)
