"""Assemble the whole L5–S1 segment in the world frame, with landmarks.

World frame: RAS, mm, origin at the centre of the S1 superior endplate. The facet
joints' planes, and the room each bone leaves for the other's processes, are
:mod:`meshes.facet_joint`: each joint needs both bones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.disc import build_disc, disc_solids
from meshes.facet import cartilage as facet_cartilage
from meshes.facet_joint import JOINT_SPACE, facet_planes_s1, l5_processes_in_s1, planes_in_l5, s1_processes_in_l5
from meshes.frames import Placement, apply, placement, translation
from meshes.geometry import closest_point
from meshes.implicit import Solid
from meshes.l5_proportions import L5Layout
from meshes.neural import build_dural_sac, build_roots
from meshes.sacrum_s1 import S1_REGIONS, SACRUM_REGIONS, s1_solid
from meshes.sacrum_surfaces import build_s1_and_sacrum
from meshes.vertebra_l5 import L5_REGIONS, build_l5, l5_solids

STRUCTURES = (
    "L5",
    "S1",
    "sacrum",
    "facet_cartilage_left",
    "facet_cartilage_right",
    "disc_annulus",
    "disc_nucleus",
    "dural_sac",
    "root_L5_left",
    "root_L5_right",
    "root_S1_left",
    "root_S1_right",
)
REGIONS = {"L5": L5_REGIONS, "S1": S1_REGIONS, "sacrum": SACRUM_REGIONS}
LANDMARKS = (
    "S1_endplate_anterior",
    "S1_endplate_posterior",
    "S1_endplate_center",
    "L5_inferior_endplate_anterior",
    "L5_inferior_endplate_posterior",
    "L5_superior_endplate_anterior",
    "L5_superior_endplate_posterior",
    "L5_superior_endplate_center",
    "L5_pedicle_inferior_left",
    "L5_pedicle_inferior_right",
    "S1_posterior_wall_superior",
    "S1_posterior_wall_inferior",
)
# Boxall's slip angle is read against the posterior wall of S1's body: a line fitted to the wall
# in the mid-sagittal section between these depths below S1's posterior-superior corner (mm),
# whose ends are the two ``S1_posterior_wall_*`` landmarks.
S1_WALL_FROM_MM, S1_WALL_TO_MM = 3.0, 20.0


@dataclass
class Segment:
    """The rest geometry of one L5–S1 segment (world frame, mm).

    Attributes
    ----------
    anatomy : Anatomy
        The dimensions it was built for.
    placement : Placement
        L5's and S1's frames in the world, L5 aligned over S1's posterior wall.
    structures : dict of str to pyvista.PolyData
        Every structure of :data:`STRUCTURES`, world frame RAS.
    landmarks : dict of str to ndarray
        :data:`LANDMARKS` on the bone surfaces, world frame RAS, mm.
    facet_planes : dict
        Side to (point, unit normal toward L5's process) of each facet joint's mid-plane,
        world frame.
    timings : dict of str to float
        Seconds spent on each stage of the build, and "total".
    pieces : dict
        :func:`piece_solids`: the implicit solids that move as one, for posing.
    sampled : dict
        Piece name to its field as sampled while building (``meshes.implicit.Sampled``,
        in the piece's own frame).
    """

    anatomy: Anatomy
    placement: Placement
    structures: dict[str, pv.PolyData]
    landmarks: dict[str, np.ndarray]
    facet_planes: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # The implicit solids behind the surfaces (see piece_solids), for posing.
    pieces: dict[str, tuple[Solid, np.ndarray]] = field(default_factory=dict)
    # Fields of those pieces already sampled while building (piece -> origin, spacing, values).
    sampled: dict = field(default_factory=dict)


def landmarks(anatomy: Anatomy, place: Placement, l5: pv.PolyData, s1: pv.PolyData) -> dict[str, np.ndarray]:
    """Mid-sagittal endplate rims and centres, and the pedicles' lower borders, on the bones.

    Each is placed on the model in its bone's frame, then snapped to the nearest point of
    the surface.

    Parameters
    ----------
    anatomy : Anatomy
        The dimensions the bones were built for.
    place : Placement
        Carries the L5 and S1 frames into the world.
    l5, s1 : pyvista.PolyData
        The L5 and S1 surfaces, world frame RAS.

    Returns
    -------
    dict of str to ndarray
        :data:`LANDMARKS`, in that order, to (3,) points, world frame RAS, mm.
    """
    body = L5Layout.of(anatomy).body
    d5 = 0.5 * anatomy.l5_endplate_depth
    d1 = 0.5 * anatomy.s1_endplate_depth
    ha = body.half_height(np.array([d5]))[0]
    hp = body.half_height(np.array([-d5]))[0]
    in_l5 = {
        "L5_inferior_endplate_anterior": [0.0, d5, -ha],
        "L5_inferior_endplate_posterior": [0.0, -d5, -hp],
        "L5_superior_endplate_anterior": [0.0, d5, ha],
        "L5_superior_endplate_posterior": [0.0, -d5, hp],
        "L5_superior_endplate_center": [0.0, 0.0, body.endplate_z(np.zeros(1), np.zeros(1), True)[0]],
    }
    in_s1 = {
        "S1_endplate_anterior": [0.0, d1, 1.0],
        "S1_endplate_posterior": [0.0, -d1, 1.0],
        "S1_endplate_center": [0.0, 0.0, 0.0],
    }
    out = dict(zip(in_s1, closest_point(s1, apply(place.s1_to_world, list(in_s1.values()))), strict=True))
    out.update(zip(in_l5, closest_point(l5, apply(place.l5_to_world, list(in_l5.values()))), strict=True))
    # The lower border of each pedicle at its middle: the foramen's roof, where it is sectioned.
    lay = L5Layout.of(anatomy)
    for side, sx in (("right", 1.0), ("left", -1.0)):
        below = [sx * (lay.pedicle_x - 1.0 * lay.scale), lay.body_back - 0.5 * lay.scale,
                 lay.pedicle_z - 0.5 * anatomy.l5_pedicle_height]
        out[f"L5_pedicle_inferior_{side}"] = closest_point(l5, apply(place.l5_to_world, [below]))[0]
    out.update(s1_posterior_wall(s1, out["S1_endplate_posterior"], out["S1_endplate_anterior"]))
    return {k: out[k] for k in LANDMARKS}


def s1_posterior_wall(s1: pv.PolyData, back: np.ndarray, front: np.ndarray) -> dict[str, np.ndarray]:
    """The posterior wall of S1's body as a line, the one Boxall's slip angle is squared to.

    In the mid-sagittal section of S1, at each millimetre from :data:`S1_WALL_FROM_MM` to
    :data:`S1_WALL_TO_MM` below the posterior-superior corner, the wall is the section's
    hindmost point within 12 mm of the corner (behind it is the canal); a straight line is
    fitted to those points.

    Parameters
    ----------
    s1 : pyvista.PolyData
        S1's surface (world frame RAS: +x right, +y anterior, +z superior; mm).
    back, front : (3,) ndarray
        S1's endplate corners, posterior and anterior (world, mm).

    Returns
    -------
    dict of str to (3,) ndarray
        ``S1_posterior_wall_superior`` and ``S1_posterior_wall_inferior``: the fitted line at
        the two depths, each moved onto S1's surface (world, mm).
    """
    u = (front - back) / np.linalg.norm(front - back)
    w = np.array([0.0, -u[2], u[1]])  # x cross u: up, along S1's endplate normal
    w /= np.linalg.norm(w)
    section = np.asarray(s1.slice(normal=(1.0, 0.0, 0.0), origin=(float(back[0]), 0.0, 0.0)).points)
    along, up = (section - back) @ u, (section - back) @ w
    heights, walls = [], []
    for depth in np.arange(S1_WALL_FROM_MM, S1_WALL_TO_MM + 0.01, 1.0):
        near = (np.abs(up + depth) < 0.5) & (np.abs(along) < 12.0)
        if near.any():
            heights.append(-depth)
            walls.append(float(along[near].min()))
    slope, offset = np.polyfit(heights, walls, 1)
    ends = {"superior": -S1_WALL_FROM_MM, "inferior": -S1_WALL_TO_MM}
    fitted = np.array([back + (slope * h + offset) * u + h * w for h in ends.values()])
    # On the bone, as every landmark is: the fitted line's ends moved to the nearest surface point.
    return dict(zip((f"S1_posterior_wall_{end}" for end in ends), closest_point(s1, fitted), strict=True))


def piece_solids(
    anatomy: Anatomy, place: Placement, planes: dict, keep_clear: list
) -> dict[str, tuple[Solid, np.ndarray]]:
    """The implicit solids of the pieces that move as one, each with its world-to-local matrix.

    Parameters
    ----------
    anatomy : Anatomy
        The patient.
    place : Placement
        The final placement (L5 aligned over S1's posterior wall).
    planes : dict
        The facet joints' mid-planes, S1 frame
        (:func:`~meshes.facet_joint.facet_planes_s1`); each bone is trimmed half a joint
        space off them.
    keep_clear : list
        :func:`~meshes.facet_joint.l5_processes_in_s1` for the same planes.

    Returns
    -------
    dict of str to tuple
        "L5_front" (anterior column), "L5_back" (posterior arch), "S1" (the whole sacrum)
        and "disc" to (Solid in its local frame, 4x4 world-to-local matrix).
    """
    half_gap = 0.5 * JOINT_SPACE
    front, back, _ = l5_solids(anatomy, facet_planes=planes_in_l5(planes, place, half_gap))
    s1, _ = s1_solid(anatomy, {side: (p - n * half_gap, n) for side, (p, n) in planes.items()}, keep_clear)
    annulus, nucleus = disc_solids(anatomy)
    to_l5 = np.linalg.inv(place.l5_to_world)
    to_s1 = np.linalg.inv(place.s1_to_world)
    disc = Solid(annulus.primitives + nucleus.primitives)
    return {"L5_front": (front, to_l5), "L5_back": (back, to_l5), "S1": (s1, to_s1), "disc": (disc, to_s1)}


def obstacle_field(pieces: dict[str, tuple[Solid, np.ndarray]], place: Placement, sampled: dict | None = None):
    """Signed distance to anything a root must not enter: bone and disc.

    Parameters
    ----------
    pieces : dict
        :func:`piece_solids`.
    place : Placement
        Carries the S1 frame into the world.
    sampled : dict, optional
        Piece name to the field sampled for it while building; those pieces are read back
        from their grids (trilinear), the rest are evaluated.

    Returns
    -------
    callable
        ``field(p)``: (N, 3) points, S1 frame, mm, to (N,) the nearest piece's signed
        distance (mm, negative inside).
    """
    from meshes.fields import GridField

    sampled = sampled or {}
    parts = []
    for name, (solid, to_local) in pieces.items():
        to_local_s1 = to_local @ place.s1_to_world
        if name in sampled:
            parts.append(GridField.of_samples(sampled[name], to_local_s1))
        else:
            parts.append(lambda p, solid=solid, m=to_local_s1: solid.evaluate(apply(m, p)))

    def field(p: np.ndarray) -> np.ndarray:
        """The smallest of the pieces' distances at S1-frame points ``p`` (N, 3; mm).

        Parameters
        ----------
        p : ndarray
            Where a root's centre line is tested.

        Returns
        -------
        ndarray
            (N,) mm.
        """
        return np.min([part(p) for part in parts], axis=0)

    return field


def _posterior_walls_aligned(anatomy: Anatomy, place: Placement, structures: dict) -> Placement:
    """``place`` with L5 moved along the S1 endplate so that its posterior-inferior corner,
    as the landmarks find it on the surfaces, lies exactly over S1's (no slip at rest).

    The placement lines up the bodies' nominal corners; their rounded rims put the
    surface corners a few tenths of a millimetre apart, which would read as a slip.
    Moves ``structures["L5"]`` with it.
    """
    marks = landmarks(anatomy, place, structures["L5"], structures["S1"])
    ant = marks["S1_endplate_anterior"] - marks["S1_endplate_posterior"]
    u = ant / np.linalg.norm(ant)
    ahead = float((marks["L5_inferior_endplate_posterior"] - marks["S1_endplate_posterior"]) @ u)
    back = translation(-ahead * u)
    structures["L5"] = structures["L5"].transform(back, inplace=False)
    to_s1 = np.linalg.inv(place.s1_to_world) @ back @ place.s1_to_world
    return Placement(l5_to_s1=to_s1 @ place.l5_to_s1, s1_to_world=place.s1_to_world)


def build_segment(anatomy: Anatomy | None = None) -> Segment:
    """Build every structure of the segment at rest, in the world frame.

    Parameters
    ----------
    anatomy : Anatomy, optional
        The dimensions (default: the average adult, ``Anatomy()``).

    Returns
    -------
    Segment
        The surfaces, landmarks, joint planes and posing pieces, world frame RAS, mm.
    """
    anatomy = anatomy or Anatomy()
    place = placement(anatomy)
    planes = facet_planes_s1(anatomy, place)
    half_gap = 0.5 * JOINT_SPACE
    s1_planes = {side: (p - n * half_gap, n) for side, (p, n) in planes.items()}
    structures: dict[str, pv.PolyData] = {}
    timings: dict[str, float] = {}
    start = clock = time.perf_counter()

    def lap(stage: str) -> None:
        """Record the seconds since the last lap as ``timings[stage]``.

        Parameters
        ----------
        stage : str
            The stage just finished.
        """
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    # The anterior column slips forward along the S1 endplate (the S1 frame's +y).
    release = place.s1_to_l5[:3, :3] @ np.array([0.0, 1.0, 0.0])
    # The pieces' fields sampled for the surfaces are the ones posing needs: keep them.
    l5_fields: dict = {}
    s1_fields: dict = {}
    keep_clear = l5_processes_in_s1(anatomy, place, planes, half_gap)
    structures["L5"] = build_l5(anatomy, facet_planes=planes_in_l5(planes, place, half_gap), release=release,
                                sampled=l5_fields, blocker=s1_processes_in_l5(anatomy, place, s1_planes,
                                                                              keep_clear)).transform(
        place.l5_to_world, inplace=False)
    lap("L5")
    # One solid, one sampled field for both pieces: the "S1" piece's field is the whole sacrum's.
    bone = build_s1_and_sacrum(anatomy, facet_planes=s1_planes, keep_clear=keep_clear, sampled=s1_fields)
    for name in ("S1", "sacrum"):
        structures[name] = bone[name].transform(place.s1_to_world, inplace=False)
    place = _posterior_walls_aligned(anatomy, place, structures)
    pieces = piece_solids(anatomy, place, planes, keep_clear)
    sampled = {"L5_front": l5_fields["front"], "L5_back": l5_fields["back"], "S1": s1_fields["solid"]}
    lap("S1 and sacrum")
    annulus, nucleus = build_disc(anatomy)
    structures["disc_annulus"] = annulus.transform(place.s1_to_world, inplace=False)
    structures["disc_nucleus"] = nucleus.transform(place.s1_to_world, inplace=False)
    lap("disc")
    world_planes = {
        side: (apply(place.s1_to_world, [p])[0], place.s1_to_world[:3, :3] @ n) for side, (p, n) in planes.items()
    }
    structures.update(facet_cartilage({k: structures[k] for k in ("L5", "S1")}, REGIONS, world_planes))
    lap("facet cartilage")
    structures["dural_sac"] = build_dural_sac(anatomy).transform(place.s1_to_world, inplace=False)
    for root, tube in build_roots(anatomy, obstacle_field(pieces, place, sampled)).items():
        structures[root] = tube.transform(place.s1_to_world, inplace=False)
    lap("neural")
    for mesh in structures.values():
        mesh.point_data.pop("Normals", None)
    marks = landmarks(anatomy, place, structures["L5"], structures["S1"])
    lap("landmarks")
    timings["total"] = time.perf_counter() - start
    return Segment(anatomy, place, {k: structures[k] for k in STRUCTURES}, marks, world_planes, timings, pieces,
                   sampled)
