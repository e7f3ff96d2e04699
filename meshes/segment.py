"""Assemble the whole L5–S1 segment in the world frame, with landmarks.

World frame: RAS, mm, origin at the centre of the S1 superior endplate. The facet
joints are made here, because each joint needs both bones: L5's inferior articular
process and S1's superior one are trimmed by two parallel planes a joint space apart,
turned ``facet_angle`` degrees from the sagittal plane (Jentzsch 2013: about 47°).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.disc import build_disc, disc_solids
from meshes.facet import cartilage as facet_cartilage
from meshes.frames import Placement, apply, placement, translation
from meshes.geometry import closest_point
from meshes.implicit import Solid
from meshes.neural import build_dural_sac, build_roots
from meshes.sacrum_s1 import S1_REGIONS, SACRUM_REGIONS, build_s1_and_sacrum, s1_solid
from meshes.vertebra_l5 import L5_REGIONS, L5Layout, build_l5, iap_axis, l5_solids

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
BONES = ("L5", "S1")
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
)


@dataclass
class Segment:
    """The rest geometry of one L5–S1 segment (world frame, mm)."""

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


def facet_planes_s1(anatomy: Anatomy, place: Placement) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Joint mid-planes in the S1 frame: side -> (point, unit normal toward L5's process).

    The normal points posteromedially: the S1 process faces back and in, L5's
    inferior process lies behind and medial to it.
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


def _to_l5(planes: dict, place: Placement, offset: float) -> dict:
    inv = place.s1_to_l5
    out = {}
    for side, (point, normal) in planes.items():
        p = apply(inv, [point + normal * offset])[0]
        n = inv[:3, :3] @ normal
        out[side] = (p, -n)
    return out


def landmarks(anatomy: Anatomy, place: Placement, l5: pv.PolyData, s1: pv.PolyData) -> dict[str, np.ndarray]:
    """Mid-sagittal endplate rims and centres, snapped onto the bone surfaces (world frame)."""
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
    return {k: out[k] for k in LANDMARKS}


def l5_processes_in_s1(anatomy: Anatomy, place: Placement, planes: dict, gap: float) -> list:
    """L5's pedicles and posterior arch (inferior articular processes, pars, laminae,
    spinous process) as (field, lo, hi) in the S1 frame, grown by ``gap``: the sacrum is
    hollowed around them. All but the inferior articular processes (whose faces set the
    joint space) are grown BLEND_ALLOWANCE more: L5's smooth blends swell its surface a
    little past the single primitives where they join."""
    front, back, _ = l5_solids(anatomy, facet_planes=_to_l5(planes, place, 0.5 * JOINT_SPACE))
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
            # The arch where it is and where a fully degenerated disc lets it sink to.
            q = apply(to_l5, p)
            return np.min([sdf(q + f * lift) for f in (0.0, 0.5, 1.0)], axis=0) - grow

        out.append((field, box.min(0) - grow - [0.0, 0.0, sink], box.max(0) + grow))
    return out


def s1_processes_in_l5(anatomy: Anatomy, place: Placement, s1_planes: dict, keep_clear: list):
    """S1's superior articular processes as (field, lo, hi) in the L5 frame: what L5's
    anterior column slides past when it slips (see ``build_l5``'s ``blocker``)."""
    solid, _ = s1_solid(anatomy, s1_planes, keep_clear)
    prims = [p for p in solid.primitives if p.region.startswith("superior_articular_process")]
    to_s1 = place.l5_to_s1
    # As a fully degenerated disc lets L5 down, S1's processes rise toward it, in L5's terms.
    sink = DISC_HEIGHT_LOSS * 0.5 * (anatomy.disc_height_anterior + anatomy.disc_height_posterior)
    corners = np.array([[x, y, z] for p in prims for x in (p.lo[0], p.hi[0]) for y in (p.lo[1], p.hi[1])
                        for z in (p.lo[2], p.hi[2] + sink)])
    box = apply(place.s1_to_l5, corners)

    def field(q: np.ndarray) -> np.ndarray:
        p = apply(to_s1, q)
        return np.min([prim.sdf(p - [0.0, 0.0, f * sink]) for prim in prims for f in (0.0, 0.5, 1.0)], axis=0)

    return field, box.min(0), box.max(0)


def piece_solids(
    anatomy: Anatomy, place: Placement, planes: dict, keep_clear: list
) -> dict[str, tuple[Solid, np.ndarray]]:
    """The implicit solids of the pieces that move as one, each with its world-to-local matrix.

    ``keep_clear`` is :func:`l5_processes_in_s1` for the same joint planes.
    """
    half_gap = 0.5 * JOINT_SPACE
    front, back, _ = l5_solids(anatomy, facet_planes=_to_l5(planes, place, half_gap))
    s1, _ = s1_solid(anatomy, {side: (p - n * half_gap, n) for side, (p, n) in planes.items()}, keep_clear)
    annulus, nucleus = disc_solids(anatomy)
    to_l5 = np.linalg.inv(place.l5_to_world)
    to_s1 = np.linalg.inv(place.s1_to_world)
    disc = Solid(annulus.primitives + nucleus.primitives)
    return {"L5_front": (front, to_l5), "L5_back": (back, to_l5), "S1": (s1, to_s1), "disc": (disc, to_s1)}


def obstacle_field(pieces: dict[str, tuple[Solid, np.ndarray]], place: Placement, sampled: dict | None = None):
    """Signed distance (S1 frame) to anything a root must not enter: bone and disc.

    Pieces whose fields were ``sampled`` while building are read back from those grids
    (trilinear); the rest are evaluated.
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
    """Build every structure of the segment at rest, in the world frame."""
    anatomy = anatomy or Anatomy()
    place = placement(anatomy)
    planes = facet_planes_s1(anatomy, place)
    half_gap = 0.5 * JOINT_SPACE
    s1_planes = {side: (p - n * half_gap, n) for side, (p, n) in planes.items()}
    structures: dict[str, pv.PolyData] = {}
    timings: dict[str, float] = {}
    start = clock = time.perf_counter()

    def lap(stage: str) -> None:
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
    structures["L5"] = build_l5(anatomy, facet_planes=_to_l5(planes, place, half_gap), release=release,
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
