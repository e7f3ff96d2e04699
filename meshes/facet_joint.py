"""Where L5 and S1 meet behind the disc: the facet joints' planes, and each bone's room for the other.

Each joint needs both bones: L5's inferior articular process and S1's superior one are
trimmed by two parallel planes a joint space apart, turned ``facet_angle`` degrees from
the sagittal plane (Jentzsch 2013: about 47°). The sacrum is hollowed around L5's
pedicles and arch, down to where a fully degenerated disc lets L5 sink; L5's anterior
column, as it slips, slides past S1's superior articular processes. The articular
cartilage on the trimmed faces is :mod:`meshes.facet`; the segment is assembled in
:mod:`meshes.segment`.
"""

from __future__ import annotations

import numpy as np

from meshes.anatomy import Anatomy
from meshes.frames import Placement, apply
from meshes.sacrum_s1 import s1_solid
from meshes.vertebra_l5 import iap_axis, l5_solids

JOINT_SPACE = 1.6
# The joint line a radiologist draws on an axial section (through the joint's front and
# back ends) runs this much more sagittal than the plane that trims the articular faces,
# whose margins round off into the processes: the plane is turned by it, so that the
# measured line (meshes.measure.facet_angle) has the anatomy's facet_angle.
FACET_MARGIN_DEG = 4.5
# How far (mm) the joint's mid-plane lies from the axis of L5's inferior process: the
# nearer, the wider the flat articular face the plane cuts from it.
FACET_DEPTH = 2.5
# The share of its height a fully degenerated disc loses (L5 sinks that much onto S1).
DISC_HEIGHT_LOSS = 0.40
# How far (mm) L5's smooth blends can swell its surface past a single primitive.
BLEND_ALLOWANCE = 0.4


def facet_planes_s1(anatomy: Anatomy, place: Placement) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The joints' mid-planes in the S1 frame.

    The normal points posteromedially: the S1 process faces back and in, L5's
    inferior process lies behind and medial to it.

    Parameters
    ----------
    anatomy : Anatomy
        Its ``facet_angle`` (degrees from the sagittal plane; the plane is turned
        :data:`FACET_MARGIN_DEG` further) and scale.
    place : Placement
        Where L5 sits on S1: carries L5's inferior articular processes into the S1 frame.

    Returns
    -------
    dict of str to tuple of ndarray
        "right" and "left" to (point, unit normal) of the plane, S1 frame, mm; the normal
        points toward L5's process, and the plane lies :data:`FACET_DEPTH` (scaled) from
        that process's axis, on S1's side.
    """
    out = {}
    theta = np.radians(anatomy.facet_angle + FACET_MARGIN_DEG)
    s = anatomy.scale
    for side, sx in (("right", 1.0), ("left", -1.0)):
        a, b = iap_axis(anatomy, sx)
        a, b = apply(place.l5_to_s1, np.array([a, b]))
        centre = 0.55 * a + 0.45 * b
        normal = np.array([-sx * np.cos(theta), -np.sin(theta), 0.0])
        point = centre - normal * FACET_DEPTH * s
        out[side] = (point, normal)
    return out


def planes_in_l5(planes: dict, place: Placement, offset: float) -> dict:
    """S1-frame joint planes moved along their normals and carried into the L5 frame.

    Parameters
    ----------
    planes : dict
        Side to (point, unit normal toward L5's process), S1 frame, mm
        (:func:`facet_planes_s1`).
    place : Placement
        Where L5 sits on S1.
    offset : float
        How far (mm) each plane moves toward L5's process: half the joint space puts it
        on L5's articular face.

    Returns
    -------
    dict
        Side to (point, unit normal), L5 frame, mm; the normal turned round to point
        toward S1's process, as :func:`meshes.vertebra_l5.l5_solids` takes it.
    """
    inv = place.s1_to_l5
    out = {}
    for side, (point, normal) in planes.items():
        p = apply(inv, [point + normal * offset])[0]
        n = inv[:3, :3] @ normal
        out[side] = (p, -n)
    return out


def l5_processes_in_s1(anatomy: Anatomy, place: Placement, planes: dict, gap: float) -> list:
    """L5's pedicles and posterior arch as seen from S1, which is hollowed around them.

    The inferior articular processes, pars, laminae and spinous process, trimmed on the
    joint planes as L5 is. All but the inferior articular processes (whose faces set the
    joint space) are grown :data:`BLEND_ALLOWANCE` more: L5's smooth blends swell its
    surface a little past the single primitives where they join.

    Parameters
    ----------
    anatomy : Anatomy
        The patient (its rest disc heights set how far L5 can sink).
    place : Placement
        Where L5 sits on S1 at rest.
    planes : dict
        The joints' mid-planes, S1 frame (:func:`facet_planes_s1`).
    gap : float
        How far (mm) every primitive is grown.

    Returns
    -------
    list of tuple
        One (field, lo, hi) a primitive: its signed distance at S1-frame points (mm),
        covering L5 at rest and sunk by up to :data:`DISC_HEIGHT_LOSS` of the mean disc
        height, and the box (S1 frame, mm) that holds it.
    """
    front, back, _ = l5_solids(anatomy, facet_planes=planes_in_l5(planes, place, 0.5 * JOINT_SPACE))
    to_l5 = place.s1_to_l5
    # S1 makes room for the arch down to where it sinks with a fully degenerated disc.
    sink = DISC_HEIGHT_LOSS * 0.5 * (anatomy.disc_height_anterior + anatomy.disc_height_posterior)
    lift = to_l5[:3, :3] @ np.array([0.0, 0.0, sink])  # S1's points raised by the sink, in the L5 frame
    out = []
    for prim in front.primitives + back.primitives:
        if not prim.region.startswith(("inferior_articular_process", "pars", "lamina", "spinous_process", "pedicle")):
            continue
        corners = np.array([[x, y, z] for x in (prim.lo[0], prim.hi[0]) for y in (prim.lo[1], prim.hi[1])
                            for z in (prim.lo[2], prim.hi[2])])
        box = apply(place.l5_to_s1, corners)

        grow = gap + (0.0 if prim.region.startswith("inferior_articular_process") else BLEND_ALLOWANCE)

        def field(p: np.ndarray, sdf=prim.sdf, grow=grow) -> np.ndarray:
            """The grown primitive's distance at ``p``, the nearest of three sink depths.

            Parameters
            ----------
            p : ndarray
                (N, 3) S1-frame points (mm) near L5's arch.
            sdf : callable
                The primitive's field in the L5 frame (bound when it is made).
            grow : float
                Its growth (mm).

            Returns
            -------
            ndarray
                (N,) signed distance (mm), negative inside.
            """
            # The arch where it is and where a fully degenerated disc lets it sink to.
            q = apply(to_l5, p)
            return np.min([sdf(q + f * lift) for f in (0.0, 0.5, 1.0)], axis=0) - grow

        out.append((field, box.min(0) - grow - [0.0, 0.0, sink], box.max(0) + grow))
    return out


def s1_processes_in_l5(anatomy: Anatomy, place: Placement, s1_planes: dict, keep_clear: list):
    """S1's superior articular processes as seen from L5: what its anterior column slides past.

    See ``blocker`` in :func:`meshes.vertebra_l5.build_l5`.

    Parameters
    ----------
    anatomy : Anatomy
        The patient.
    place : Placement
        Where L5 sits on S1.
    s1_planes : dict
        Side to (point, unit normal) on S1's articular faces, S1 frame, mm.
    keep_clear : list
        :func:`l5_processes_in_s1`, which S1 is hollowed around (as in
        :func:`meshes.sacrum_s1.s1_solid`).

    Returns
    -------
    field : callable
        (N, 3) L5-frame points (mm) to (N,) signed distance (mm) to the nearer process.
    lo, hi : ndarray
        (3,) corners of a box holding both processes, L5 frame, mm.
    """
    solid, _ = s1_solid(anatomy, s1_planes, keep_clear)
    prims = [p for p in solid.primitives if p.region.startswith("superior_articular_process")]
    to_s1 = place.l5_to_s1
    corners = np.array([[x, y, z] for p in prims for x in (p.lo[0], p.hi[0]) for y in (p.lo[1], p.hi[1])
                        for z in (p.lo[2], p.hi[2])])
    box = apply(place.s1_to_l5, corners)

    def field(q: np.ndarray) -> np.ndarray:
        """The distance at L5-frame points ``q`` (N, 3; mm), read in the S1 frame.

        Parameters
        ----------
        q : ndarray
            The points.

        Returns
        -------
        ndarray
            (N,) mm, the smaller of the two processes' fields.
        """
        p = apply(to_s1, q)
        return np.min([prim.sdf(p) for prim in prims], axis=0)

    return field, box.min(0), box.max(0)
