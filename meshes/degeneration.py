"""Degenerative disc disease: the disc settles and bulges.

As the disc dehydrates and collapses L5 sinks onto S1 (:func:`settle_mm`: slowly at first,
then faster, up to :data:`meshes.facet_joint.DISC_HEIGHT_LOSS` of its height) and the disc
bulges all round its rim (Fardon 2014: a generalised bulge, usually under 3 mm), kept short of
the roots and the dural sac (:func:`bulge`). The disc's distance field as the roots meet
it is grown by the same bulge (:func:`bulged_disc_field`). The endplate-rim osteophytes are
in :mod:`meshes.osteophytes`. World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

import numpy as np

from meshes.disc_shear import disc_fraction
from meshes.facet_joint import DISC_HEIGHT_LOSS
from meshes.rest import BulgeOutward, BulgeRim, Rest
from meshes.sdf_primitives import smoothstep

# A degenerated disc's bulge (Fardon 2014: generalised, usually under 3 mm), at most.
BULGE_MM = 2.0
BULGE_LATE_MM = 2.8
BULGE_LATE_ROOM = 0.9


def settle_mm(rest: Rest, degeneration: float) -> float:
    """How far L5 sinks onto S1 as the degenerated disc loses height.

    Slowly at first (a dehydrating disc keeps most of its height), then faster as it collapses:
    :data:`meshes.facet_joint.DISC_HEIGHT_LOSS` of the mean rest disc height times the square of
    ``degeneration``.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (its ``disc_mm``, the mean rest disc height).
    degeneration : float
        Degenerative disc disease, 0 (healthy) to 1 (advanced).

    Returns
    -------
    float
        The sink (mm), square to the S1 endplate.
    """
    return DISC_HEIGHT_LOSS * rest.disc_mm * degeneration ** 2


def bulge(rest: Rest, name: str, degeneration: float, left: float = 0.0) -> np.ndarray | float:
    """The degenerated disc's generalised bulge (Fardon 2014) on one disc surface.

    Each rest vertex's displacement, all round the rim, shallow, and kept short of the roots
    and the dural sac (see :func:`_bulge_mm`): largest at mid-height, nil on the endplates.
    It is made before the disc is sheared, as the disc's field reads it
    (:func:`bulged_disc_field`); the shear then carries it.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment: its ``bulge_out`` (per vertex, the outward direction, the
        room to the nerves and how squarely it faces a foramen) and ``disc_height`` are read.
    name : str
        Which disc surface bulges, ``"disc_annulus"`` or ``"disc_nucleus"`` (the nucleus
        bulges with the annulus round it).
    degeneration : float
        Degenerative disc disease, 0 to 1.
    left : float, default 0
        0..1: how far the disc is left flattened on the sacrum by a high-grade slip (no bulge
        there; see :data:`meshes.disc_shear.LEFT_ON_SACRUM`).

    Returns
    -------
    (n, 3) ndarray or float
        Each vertex's displacement (world frame RAS, mm); the number 0.0 without degeneration.
    """
    if degeneration <= 0.0:
        return 0.0
    direction, room, lateral = rest.bulge_out[name]
    k = rest.disc_height[name]
    return (_bulge_mm(room, lateral, degeneration, left) * 4.0 * k * (1.0 - k))[:, None] * direction


def _bulge_mm(room: np.ndarray, lateral: np.ndarray, degeneration: float, left: float) -> np.ndarray:
    """The bulge's full height (mm) at mid-disc where the nearest root or the sac is ``room``
    mm away, ``lateral`` (0-1) being how squarely it faces a foramen.

    By half-way degeneration it is up to :data:`BULGE_MM` and half the room: it touches
    nothing. As the disc then collapses, the lateral bulge grows to :data:`BULGE_LATE_MM` and
    :data:`BULGE_LATE_ROOM` of the room: it fills the foramen's lower part, short of where the
    roots lie at rest. Not on a disc left flattened on the sacrum by a high-grade slip
    (``left``, see :data:`meshes.disc_shear.LEFT_ON_SACRUM`).
    """
    amount = smoothstep(0.0, 0.5, degeneration) * (1.0 - left)
    late = smoothstep(0.5, 1.0, degeneration) * (1.0 - left) * lateral
    return amount * np.minimum(BULGE_MM + late * (BULGE_LATE_MM - BULGE_MM),
                               (0.5 + late * (BULGE_LATE_ROOM - 0.5)) * room)


def _facing_a_foramen(radial_unit: np.ndarray, u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """0-1: how squarely a direction in the endplate plane points sideways (to a foramen)."""
    across = np.cross(u, w) / np.linalg.norm(np.cross(u, w))
    return smoothstep(0.5, 0.9, np.abs(radial_unit @ across))


def bulged_disc_field(rest: Rest, degeneration: float, left: float = 0.0):
    """The rest disc's field less the degeneration bulge: the disc as the roots must yield to it.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    degeneration : float
        Degenerative disc disease, 0 to 1.
    left : float, default 0
        0..1: how far the disc is left flattened on the sacrum (see :func:`bulge`).

    Returns
    -------
    callable
        ``rest points (n, 3) -> (n,)`` signed distance (mm, negative inside) to the bulged rest
        disc, at rest positions (world frame RAS); the rest disc's own field without
        degeneration.
    """
    disc = rest.fields["disc"]
    if degeneration <= 0.0:
        return disc
    marks = rest.segment.landmarks
    tree, rim_room = rest.bulge_rim

    def field_(x: np.ndarray) -> np.ndarray:
        """The bulged disc's signed distance.

        Parameters
        ----------
        x : (n, 3) ndarray
            Where to read it: rest positions (world frame RAS, mm), as a moved disc's
            points are after :func:`meshes.disc_shear.unshear_map`.

        Returns
        -------
        (n,) ndarray
            The rest disc's signed distance (mm, negative inside) less the bulge: the
            bulge at mid-height, fading toward the endplates and the disc's axis.
        """
        k = disc_fraction(x, marks, rest.u, rest.w)
        radial = x - rest.disc_centre
        radial -= np.outer(radial @ rest.w, rest.w)
        length = np.linalg.norm(radial, axis=1)
        reach = np.minimum(length / 10.0, 1.0)
        lateral = _facing_a_foramen(radial / np.maximum(length, 1e-9)[:, None], rest.u, rest.w)
        room = rim_room[tree.query(x)[1]]
        return disc(x) - _bulge_mm(room, lateral, degeneration, left) * 4.0 * k * (1.0 - k) * reach

    return field_


def bulge_directions(rest_points: dict, disc_centre: np.ndarray, u: np.ndarray, w: np.ndarray,
                     roots: dict) -> tuple[dict[str, BulgeOutward], BulgeRim]:
    """Where each disc vertex bulges, worked out once from the rest segment.

    Per disc surface: each vertex's outward direction in the endplate plane (nil near the
    disc's axis), its room (mm) to the nearest root or dural sac surface, and how squarely it
    faces a foramen. The nucleus takes the room of the annulus outside it, so the two bulge
    together.

    Parameters
    ----------
    rest_points : dict of str to ndarray
        Every structure's rest vertices (world frame RAS, mm).
    disc_centre : (3,) ndarray
        The rest disc's centre (world, mm).
    u, w : (3,) ndarray
        The S1 endplate's forward unit vector and its normal.
    roots : dict
        The roots by name (their rest vertices are taken from ``rest_points``).

    Returns
    -------
    outward : dict of str to BulgeOutward
        Per disc surface (``"disc_annulus"``, ``"disc_nucleus"``).
    rim : BulgeRim
        The annulus's vertices (as a k-d tree) and room, for the disc's field.
    """
    from scipy.spatial import cKDTree

    nerves = np.vstack([rest_points[n] for n in (*roots, "dural_sac")])
    tree = cKDTree(nerves)
    rim = cKDTree(rest_points["disc_annulus"])
    rim_room = tree.query(rest_points["disc_annulus"])[0]
    out = {}
    for name in ("disc_annulus", "disc_nucleus"):
        p = rest_points[name]
        radial = p - disc_centre
        radial -= np.outer(radial @ w, w)
        length = np.linalg.norm(radial, axis=1)
        unit = radial / np.maximum(length, 1e-9)[:, None]
        direction = unit * np.minimum(length / 10.0, 1.0)[:, None]
        room = rim_room if name == "disc_annulus" else rim_room[rim.query(p)[1]]
        out[name] = BulgeOutward(direction, room, _facing_a_foramen(unit, u, w))
    return out, BulgeRim(rim, rim_room)
