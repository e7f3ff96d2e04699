"""Rest preparation: everything posing needs, worked out once from the rest segment.

:func:`prepare` samples each rigid piece's distance field, finds L5's anterior column and
each disc vertex's height in the disc space, the roots' rings and how far each follows the
slipping column (:func:`root_rings`), where a herniation of each zone and side goes
(:func:`aim_herniation`), the osteophytes at full size, the bulge's directions, and the
rest fields at the points every frame asks about; it returns a :class:`meshes.rest.Rest`
in a fraction of a second. World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.degeneration import bulge_directions
from meshes.disc_shear import disc_fraction
from meshes.fields import GridField, gradient
from meshes.foramen import section_points
from meshes.frames import s1_axes
from meshes.measure import READOUT_COARSE, alignment, facet_angle
from meshes.neural import ROOTS
from meshes.osteophytes import rim_spurs, spur_drape
from meshes.pars_scar import defects, unit_sphere
from meshes.posture import IMPACT_WATCH_MM, body_over_s1, sac_turn
from meshes.rest import Herniation, KnownValues, Rest, Root
from meshes.s1_floor import S1Floor
from meshes.sdf_primitives import smoothstep
from meshes.segment import Segment
from meshes.slip import near_the_processes, sac_follow

# An L5 root goes with the slipping column from this many rings out of the sac, and lets go
# over this many rings past its ganglion.
ROOT_TETHER_RINGS = (10.0, 30.0)
ROOT_TETHER = 0.95
# Disc within this far (mm) of an endplate moves with that bone.
ENDPLATE_HOLD_MM = 1.0
# Disc vertices this close (mm) to an endplate's bone at rest are kept out of it when posed
# (L5's farther: rolling off S1 in a high grade, its posterior corner comes down into the
# flattening disc's middle).
ENDPLATE_NEAR_MM = {"L5_front": 6.0, "S1": 4.0}
# How far (mm) to either side of the midline S1's surface is mapped under the disc.
FLOOR_HALF_WIDTH_MM = 28.0


def prepare(segment: Segment) -> Rest:
    """Precompute everything :func:`meshes.pose.pose` needs from the rest segment.

    A fraction of a second. The returned record's caches (``cache``) start empty and are
    filled as posing first needs them.

    Parameters
    ----------
    segment : Segment
        The rest segment (:func:`meshes.segment.build_segment`), world frame RAS (+x right,
        +y anterior, +z superior), mm.

    Returns
    -------
    Rest
        The prepared rest segment.
    """
    s = segment.structures
    marks = segment.landmarks
    u, w, depth = s1_axes(marks)
    l5 = s["L5"]
    front = np.zeros(l5.n_points, dtype=bool)
    faces = l5.faces.reshape(-1, 4)[:, 1:]
    front[faces[l5.cell_data["column"] == 1].ravel()] = True
    fields = {name: GridField.of_samples(segment.sampled[name], to_local) if name in segment.sampled
              else GridField.of_solid(solid, to_local) for name, (solid, to_local) in segment.pieces.items()}
    heights = {}
    for name in ("disc_annulus", "disc_nucleus"):
        p = np.asarray(s[name].points)
        k = disc_fraction(p, marks, u, w)
        # Disc against an endplate goes with that bone: the endplates are cupped, and a
        # fraction taken between their rim corners would leave it behind as L5 settles.
        k = np.maximum(k, smoothstep(ENDPLATE_HOLD_MM, 0.0, fields["L5_front"](p)))
        heights[name] = np.minimum(k, 1.0 - smoothstep(ENDPLATE_HOLD_MM, 0.0, fields["S1"](p)))
    roots = {r: root_rings(s[r], r) for r in ROOTS}
    for root in roots.values():
        # Where it leaves the dural sac a root goes as the sac does (see pose), so it stays in it.
        idx = np.arange(len(root.centres))
        leaving = 1.0 - smoothstep(2.0, 12.0, idx)
        corner = marks["L5_inferior_endplate_posterior"]
        in_sac = sac_follow(root.centres, corner, w) * leaving
        root.tether = np.maximum(root.tether, in_sac)
        # In flexion and extension the canal turns with L5, and the sac and its roots with it.
        root.follow = np.maximum(root.tether, sac_turn(root.centres, corner, w) * leaving)
    disc_centre = 0.5 * (marks["S1_endplate_center"] + marks["L5_inferior_endplate_posterior"]
                         + (marks["L5_inferior_endplate_anterior"] - marks["L5_inferior_endplate_posterior"]) * 0.5)
    herniations = {}
    for side in ("left", "right"):
        for zone in ("central", "subarticular", "foraminal", "extraforaminal"):
            herniations[(zone, side)] = aim_herniation(s, roots, fields, disc_centre, u, w, zone, side)
    fragment = pv.Icosphere(radius=1.0, nsub=3)
    fragment.points[:, 2] *= 0.8
    lined = alignment(marks)
    disc_mm = float(np.mean((lined.disc_anterior_mm, lined.disc_posterior_mm)))
    spurs = {"L5": rim_spurs(l5, marks["L5_inferior_endplate_anterior"], marks["L5_inferior_endplate_posterior"],
                             -w, front),
             "S1": rim_spurs(s["S1"], marks["S1_endplate_anterior"], marks["S1_endplate_posterior"], w, None)}
    rest_points = {k: np.array(m.points) for k, m in s.items()}
    pivot = marks["L5_inferior_endplate_posterior"].copy()
    point_data = {k: {a: np.array(m.point_data[a]) for a in m.point_data.keys()} for k, m in s.items()}
    field_data = {k: {a: np.array(m.field_data[a]) for a in m.field_data.keys()} for k, m in s.items()}
    at_rings = KnownValues.of(fields, np.vstack([r.centres for r in roots.values()]), gradients=True)
    at_sections = KnownValues.of(fields, section_points(marks, coarse=READOUT_COARSE))
    facet_angles = {side: facet_angle(s[f"facet_cartilage_{side}"], marks) for side in ("left", "right")}
    bulge_out, bulge_rim = bulge_directions({k: np.asarray(m.points) for k, m in s.items()}, disc_centre, u, w, roots)
    disc_by_bone = {name: {bone: np.flatnonzero(fields[bone](np.asarray(s[name].points)) < ENDPLATE_NEAR_MM[bone])
                           for bone in ("L5_front", "S1")} for name in ("disc_annulus", "disc_nucleus")}
    drapes = {name: spur_drape(np.asarray(s[name].points), {"L5": np.asarray(l5.points),
                                                            "S1": np.asarray(s["S1"].points)}, spurs)
              for name in ("disc_annulus", "disc_nucleus")}
    return Rest(
        segment=segment, points=rest_points, front=front, u=u, w=w, depth=depth, pivot=pivot,
        disc_height=heights, fields=fields, roots=roots, herniations=herniations, disc_centre=disc_centre,
        fragment=fragment, disc_mm=disc_mm, spurs=spurs,
        point_data=point_data, field_data=field_data, at_rings=at_rings, at_sections=at_sections,
        facet_angles=facet_angles, bulge_out=bulge_out, bulge_rim=bulge_rim, disc_by_bone=disc_by_bone,
        spur_drape=drapes,
        over_processes=near_the_processes(l5, front, fields["S1"], marks, u, w),
        arch_over_s1=np.flatnonzero(~front & (fields["S1"](np.asarray(l5.points)) < IMPACT_WATCH_MM)),
        column_over_s1=body_over_s1(np.asarray(l5.points), front, fields["S1"], marks, u),
        defects=defects(l5, front), scar_sphere=unit_sphere(),
        floor=S1Floor.of(fields["S1"], marks["S1_endplate_posterior"], u, w, depth, FLOOR_HALF_WIDTH_MM))


def root_rings(mesh: pv.PolyData, name: str) -> Root:
    """The ring structure of a swept root, and how much of each ring follows the slipping column.

    An L5 root runs in the anterior column's lateral recess and under its pedicle, so it goes
    with the column (:data:`ROOT_TETHER` of its motion) from :data:`ROOT_TETHER_RINGS` rings
    out of the sac to past its ganglion; an S1 root does not.

    Parameters
    ----------
    mesh : pyvista.PolyData
        The root's rest surface, with its ``axis_index`` (ring per vertex) and, for an L5
        root, ``ganglion_index`` (world frame RAS, mm).
    name : str
        The root's name, e.g. ``"root_L5_left"``.

    Returns
    -------
    Root
        Each vertex's ring, the rings' rest centres (world, mm) and mean radii (mm), their
        tether (0..1) and an L5 root's ganglion ring (-1 for an S1 root).
    """
    ring = np.asarray(mesh.point_data["axis_index"]).astype(int)
    n = ring.max() + 1
    count = np.bincount(ring, minlength=n).astype(float)
    centres = np.stack([np.bincount(ring, mesh.points[:, i], n) for i in range(3)], axis=1) / count[:, None]
    radii = np.bincount(ring, np.linalg.norm(mesh.points - centres[ring], axis=1), n) / count
    tether = np.zeros(n)
    if "_L5_" in name:
        k = int(mesh.field_data["ganglion_index"][0])
        idx = np.arange(n)
        # It runs in the anterior column's lateral recess and under its pedicle, so it goes
        # with the column from just out of the sac to just past the ganglion; free at the
        # sac and distally.
        hold = smoothstep(1.0, ROOT_TETHER_RINGS[0], idx)
        tether = ROOT_TETHER * hold * (1.0 - smoothstep(k + 2, k + ROOT_TETHER_RINGS[1], idx))
    return Root(ring=ring, centres=centres, radii=radii, tether=tether,
                ganglion=int(mesh.field_data["ganglion_index"][0]) if "_L5_" in name else -1)


def aim_herniation(s, roots, fields, centre, u, w, zone, side) -> Herniation:
    """Aim a herniation of ``zone`` and ``side`` at the structure it reaches (ANATOMY.md).

    A central herniation goes straight back at the dural sac; a subarticular one at the
    traversing S1 root, a foraminal one at the exiting L5 root where it comes closest to the
    disc, an extraforaminal one at the L5 root farther out beyond the foramen.

    Parameters
    ----------
    s : dict of str to pyvista.PolyData
        The rest structures (world frame RAS, mm).
    roots : dict of str to Root
        The roots' rings (:func:`root_rings`).
    fields : dict of str to GridField
        The rest pieces' distance fields; ``"disc"`` is read.
    centre : (3,) ndarray
        The rest disc's centre (world, mm).
    u, w : (3,) ndarray
        The S1 endplate's forward unit vector and its normal.
    zone : str
        ``"central"``, ``"subarticular"``, ``"foraminal"`` or ``"extraforaminal"``.
    side : str
        ``"left"`` or ``"right"``.

    Returns
    -------
    Herniation
        Its frame (n outward in the endplate plane, t lateral, v square to both), its centre
        on the rest disc's margin at mid-height, the annulus's thickness there (mm), its reach
        to the target's surface (mm) and the target's name.
    """
    disc = fields["disc"]
    if zone == "central":
        target_name = "dural_sac"
        n = -u
        ann = s["disc_annulus"].points
        rel = ann - centre
        win = (np.abs(rel @ np.cross(w, n)) < 3.0) & (np.abs(rel @ w) < 2.5)
        m_point = centre + float((rel[win] @ n).max()) * n
        sac = s["dural_sac"].points[::3]
        probe = m_point + np.outer(np.arange(0.0, 20.0, 0.25), n)
        dist = np.min(np.linalg.norm(probe[:, None, :] - sac[None], axis=2), axis=1) - 0.5
        hit = np.flatnonzero(dist <= 0.0)
        reach = float(hit[0] * 0.25) if hit.size else 5.0
    else:
        target_name = f"root_S1_{side}" if zone == "subarticular" else f"root_L5_{side}"
        root = roots[target_name]
        d, g = gradient(disc, root.centres)
        gap = d - root.radii
        if zone == "extraforaminal":
            # Beyond the foramen: the nearest stretch of root at the level of the disc
            # that lies farther out than the foraminal stretch (the root's closest approach).
            k0 = int(np.argmin(gap))
            beyond = np.abs(root.centres[:, 0]) > abs(root.centres[k0, 0]) + 3.0
            later = np.arange(len(gap)) > k0
            level = np.abs((root.centres - centre) @ w) < 5.0
            pick = beyond & later & level
            gap = np.where(pick if pick.any() else later, gap, np.inf)
        k = int(np.argmin(gap))
        # Out of the annulus in the endplate plane toward the closest stretch of root,
        # at its level as far as the disc's middle third allows.
        target = root.centres[k]
        n = g[k] - (g[k] @ w) * w
        if np.linalg.norm(n) < 0.2:
            # The root's nearest stretch lies above or below the disc: aim out toward it
            # within the endplate plane instead.
            n = (target - centre) - ((target - centre) @ w) * w
        n /= np.linalg.norm(n)
        m_point = target - d[k] * n
        level = float(np.clip((target - centre) @ w, -3.0, 3.0))
        m_point += w * (float((centre - m_point) @ w) + level)
        for _ in range(4):  # settle on the margin along n
            m_point = m_point - disc(m_point[None])[0] * n
        reach = float(max(np.linalg.norm(target - m_point) - root.radii[k], 0.0))
    t = np.cross(w, n)
    t /= np.linalg.norm(t)
    v = np.cross(n, t)
    nuc = s["disc_nucleus"].points
    rel_n = nuc - m_point
    # The nucleus face the fissure starts from: its nearest points around the axis.
    win_n = (np.abs(rel_n @ t) < 4.0) & (np.abs(rel_n @ v) < 3.0)
    face = float((rel_n[win_n] @ n).max()) if win_n.any() else -6.0
    return Herniation(n=n, t=t, v=v, centre=m_point, thickness=max(2.0, -face), reach=reach, target=target_name)
