"""Posing the rest segment with a pathology: isthmic slip and disc herniation.

``prepare(segment)`` does the slow work once (masks, distance grids, herniation
targets); ``pose(rest, pathology)`` then returns new vertex positions for every
structure (same topology) in a few milliseconds, plus per-vertex ``compression``
and ``inflamed`` scalars on the roots and, when sequestered, a free fragment.

Slip: the anterior column of L5 (the shell left of the pars cut) moves forward
along the S1 endplate by ``slip_percent`` of its depth, tips forward (slip angle)
in high grades and sinks in front of S1 past grade III; the posterior arch stays
hooked behind S1's facets, so the pars gap opens. The disc shears between the
endplates; the L5 roots are pulled along under their pedicles, the sac follows a
little. Herniation: nucleus material pushes the posterior annulus out, first as a
broad shallow bulge, then a focal protrusion, then through a fissure as an
extrusion whose dome is wider than its base, aimed at the root its zone reaches,
and finally as a free fragment that migrates caudally. Roots never let an obstacle
pass through: each cross-section is pushed aside by half the intrusion and
flattened against the obstacle for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyvista as pv

from meshes.fields import GridField, gradient
from meshes.frames import apply, rotation_x, translation
from meshes.implicit import smin, smoothstep
from meshes.measure import s1_axes
from meshes.neural import ROOTS
from meshes.pars_scar import SIDES as SCAR_SIDES
from meshes.pars_scar import Defect, defects, distance_to, scar_points, unit_sphere
from meshes.pathology import Pathology
from meshes.s1_floor import S1Floor
from meshes.sac_dent import SAC_CLEARANCE_MM, around_fragment, dent_sac
from meshes.segment import DISC_HEIGHT_LOSS, Segment

# A degenerated disc's bulge (Fardon 2014: generalised, usually under 3 mm), at most.
BULGE_MM = 2.0
BULGE_LATE_MM = 2.8
BULGE_LATE_ROOM = 0.9
# Degenerative disc disease at 1: the disc loses 40% of its height (a severely narrowed
# space), and endplate-rim osteophytes reach 3 mm. They start to form about a third of the way.
SPUR_MM = 3.0
SPUR_RIM_MM = 4.0
# Traction spurs stand out from the body's wall this far (mm) from the endplate, where the
# annulus's outer fibres hold on, and curl toward the disc (a beak over its margin).
SPUR_BASE_MM = 1.5
# Spurs grow on the body's rim, up to this far (mm) behind its posterior corner.
SPUR_BEHIND_MM = 2.0
# Each spur vertex's growth is the Gaussian-weighted mean of its neighbours' within this far
# (mm), so the lip is one smooth ridge, not a fringe of single vertices pulled out of the rim.
SPUR_SMOOTH_MM = 2.0
# Disc within this far (mm) of a spur at rest rides over it as it grows.
SPUR_DRAPE_MM = 3.0
PROTRUSION = 3.5
INTRUSION = 3.5
FRAGMENT_RADIUS = 3.5
# How far (mm) a sequestered fragment migrates along its root by the end, per zone, and how
# deep it presses into the root it rides against (the root yields around it).
FRAGMENT_MIGRATION_MM = {"central": 10.0, "subarticular": 10.0, "foraminal": 2.0, "extraforaminal": 10.0}
FRAGMENT_PRESS_MM = 4.0
FRAGMENT_BLEND_MM = 3.0
# A root's ring this deep (mm) in herniated material yields the way the herniation points.
HERNIATION_DEEP_MM = 3.0
# Nucleus this far (mm) beyond the annulus's displaced rim has escaped through the fissure;
# roots within IRRITATION_MM of escaped material are irritated (the glow).
ESCAPED_MM = 0.3
TONGUE_MARGIN_MM = 1.0
ROOT_BONE_MARGIN_MM = 0.4
# An L5 root goes with the slipping column from this many rings out of the sac, and lets go
# over this many rings past its ganglion.
ROOT_TETHER_RINGS = (10.0, 30.0)
ROOT_TETHER = 0.95
# The pars scar presses the L5 root in the foramen: over this many rings up to its ganglion.
SCAR_AIM_RINGS = 12
# Root vertices this close (mm) to the herniation by its field are checked against the
# posed disc surfaces themselves.
CLEAR_CHECK_MM = 2.5
CLEAR_STEPS = 3
IRRITATION_MM = 3.0
# Slip: the disc loses this much height (mm) through grades I-II, L5 rolls this far
# (degrees, kyphosis) by a slip of 100% and this much more by 150%, and sinks this
# much further in front of S1 past 100%.
SLIP_SETTLE_MM = 2.5
SLIP_ROLL_DEG = (34.0, 14.0)
PTOSIS_SINK_MM = 8.0
DISC_KEPT_MM = 1.5
# Disc within this far (mm) of an endplate moves with that bone.
ENDPLATE_HOLD_MM = 1.0
# Disc vertices this close (mm) to an endplate's bone at rest are kept out of it when posed
# (L5's farther: rolling off S1 in a high grade, its posterior corner comes down into the
# flattening disc's middle).
ENDPLATE_NEAR_MM = {"L5_front": 6.0, "S1": 4.0}
# How far (mm, at rest) a disc vertex pushed out of an endplate takes its neighbours with it.
ENDPLATE_DENT_MM = 1.5
HERNIATION_DENT_MM = 3.0
# Where the column's pars stumps bear on the tips of S1's superior articular processes they
# wear back to this far (mm) outside the tips' sampled field (a tip is narrower than the
# stump's mesh is fine: the surface between its vertices must clear it too); the column's
# vertices this near S1 at rest are watched.
PROCESS_CLEAR_MM = 0.3
PROCESS_DENT_MM = 2.0
PROCESS_WATCH_MM = 8.0
# As L5 rolls off the front of S1 (from half its depth to all of it) the disc is left behind
# on the uncovered S1 endplate, flattened to this thickness (mm) and ending this far (mm)
# short of its front: a straight shear between endplates that face away from each other
# would turn the disc inside out.
LEFT_ON_SACRUM = (0.5, 1.0)
DISC_LEFT_MM = 2.0
LEFT_CLEAR_MM = 3.0
# Newton steps that undo the disc's shear (see _unshearer).
UNSHEAR_STEPS = 8
UNSHEAR_STEP_MM = 5.0
# The sheared disc is never squeezed thinner than this (mm) where L5's endplate dips toward S1.
GAP_MIN_MM = 0.5
DRAWN_DISC_FAR_MM = 7.0
# How far (mm) to either side of the midline S1's surface is mapped under the disc.
FLOOR_HALF_WIDTH_MM = 28.0




def rigid(rotation_deg: float, pivot: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """4x4: rotate about the x axis through ``pivot``, then translate by ``shift``."""
    return translation(pivot + shift) @ rotation_x(rotation_deg) @ translation(-pivot)


@dataclass
class Root:
    """Ring structure of a swept root: ring of every vertex, rest centres and radii."""

    ring: np.ndarray
    centres: np.ndarray
    radii: np.ndarray
    tether: np.ndarray  # per ring, 0..1: how much it follows the L5 anterior column
    ganglion: int = -1  # an L5 root's ganglion ring (in the foramen)


@dataclass
class Herniation:
    """Where a herniation of one zone and side goes (world frame)."""

    n: np.ndarray  # outward direction in the endplate plane
    t: np.ndarray  # lateral tangent
    v: np.ndarray  # the endplate normal made square to n
    centre: np.ndarray  # on the rest disc margin, mid-height
    thickness: float  # annulus thickness there (margin to nucleus face)
    reach: float  # distance from the margin to the target's surface
    target: str


@dataclass
class _Known:
    """Each rest field's values (and unit gradients) at fixed points, worked out once.

    A frame whose obstacle is still that rest field (not moved) reads them there instead
    of interpolating the grid again: the same numbers.
    """

    points: np.ndarray
    values: dict[str, np.ndarray]
    gradients: dict[str, np.ndarray] = field(default_factory=dict)

    @staticmethod
    def of(fields: dict[str, GridField], points: np.ndarray, gradients: bool = False) -> _Known:
        values, grads = {}, {}
        for name, f in fields.items():
            if gradients:
                values[name], grads[name] = gradient(f, points)
            else:
                values[name] = f(points)
        return _Known(points, values, grads)

    def knows(self, name: str, f, fields: dict[str, GridField]) -> bool:
        """Whether ``f`` (the obstacle ``name`` of a frame) is the rest field itself."""
        return name in self.values and f is fields.get(name)


@dataclass
class Rest:
    segment: Segment
    points: dict[str, np.ndarray]
    front: np.ndarray  # L5 points on the anterior column
    u: np.ndarray
    w: np.ndarray
    depth: float
    pivot: np.ndarray
    disc_height: dict[str, np.ndarray]
    fields: dict[str, GridField]
    roots: dict[str, Root]
    herniations: dict[tuple[str, str], Herniation]
    disc_centre: np.ndarray
    fragment: pv.PolyData
    disc_mm: float = 10.0  # mean rest disc height, square to the S1 endplate
    # Osteophytes: per bone, the rim vertices and the full-grown spur displacement of each.
    spurs: dict = field(default_factory=dict)
    # Geometric weights of each herniation on each disc surface, filled on first use.
    shapes: dict = field(default_factory=dict)
    # Each surface's point and field arrays as plain arrays (reading them through VTK is slow).
    point_data: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    field_data: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # The rest fields where every frame asks about them while they stay put: at the rest
    # roots' ring centres and at the foramen's section points (see _Known).
    at_rings: _Known | None = None
    at_sections: _Known | None = None
    # The facet angles (side -> degrees) measured on the rest cartilage.
    facet_angles: dict[str, float] = field(default_factory=dict)
    # The degeneration bulge: per disc surface, outward directions and room to the nerves
    # (and "nerves": their rest points, as a tree).
    bulge_out: dict = field(default_factory=dict)
    # Per disc surface, its vertices near each endplate's bone (see _off_the_endplates).
    disc_by_bone: dict = field(default_factory=dict)
    # The anterior column's vertices near S1's superior articular processes (see _stumps_worn).
    over_processes: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # Per disc surface and bone: the disc vertices that ride over that bone's spurs.
    spur_drape: dict = field(default_factory=dict)
    # The pars defects (side -> cut faces) and the scar's unit sphere.
    defects: dict[str, Defect] = field(default_factory=dict)
    scar_sphere: pv.PolyData | None = None
    # The height of S1's surface over its endplate line (see meshes.s1_floor).
    floor: S1Floor | None = None
    # The anterior column's vertex ids and their rest points (as apply takes them: float64).
    front_ids: np.ndarray = field(init=False)
    front_points: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.front_ids = np.flatnonzero(self.front)
        self.front_points = np.asarray(self.points["L5"][self.front_ids], float)


@dataclass
class Posed:
    points: dict[str, np.ndarray]
    scalars: dict[str, dict[str, np.ndarray]]
    landmarks: dict[str, np.ndarray]
    root_gap: dict[str, float]
    fragment: pv.PolyData | None = None
    obstacles: dict = field(default_factory=dict)  # name -> distance function (world, mm)
    degeneration: float = 0.0
    scars: dict[str, pv.PolyData] = field(default_factory=dict)  # "pars_scar_<side>" -> surface


def prepare(segment: Segment) -> Rest:
    """Precompute everything :func:`pose` needs from the rest segment (a fraction of a second)."""
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
        k = _disc_fraction(p, marks, u, w)
        # Disc against an endplate goes with that bone: the endplates are cupped, and a
        # fraction taken between their rim corners would leave it behind as L5 settles.
        k = np.maximum(k, smoothstep(ENDPLATE_HOLD_MM, 0.0, fields["L5_front"](p)))
        heights[name] = np.minimum(k, 1.0 - smoothstep(ENDPLATE_HOLD_MM, 0.0, fields["S1"](p)))
    roots = {r: _root(s[r], r) for r in ROOTS}
    for root in roots.values():
        # Where it leaves the dural sac a root goes as the sac does (see pose), so it stays in it.
        idx = np.arange(len(root.centres))
        leaving = 1.0 - smoothstep(2.0, 12.0, idx)
        in_sac = _sac_follow(root.centres, marks["L5_inferior_endplate_posterior"], w) * leaving
        root.tether = np.maximum(root.tether, in_sac)
    disc_centre = 0.5 * (marks["S1_endplate_center"] + marks["L5_inferior_endplate_posterior"]
                         + (marks["L5_inferior_endplate_anterior"] - marks["L5_inferior_endplate_posterior"]) * 0.5)
    herniations = {}
    for side in ("left", "right"):
        for zone in ("central", "subarticular", "foraminal", "extraforaminal"):
            herniations[(zone, side)] = _herniation(s, roots, fields, disc_centre, u, w, zone, side)
    fragment = pv.Icosphere(radius=1.0, nsub=3)
    fragment.points[:, 2] *= 0.8
    from meshes.measure import disc_heights

    disc_mm = float(np.mean(disc_heights(marks)))
    spurs = {"L5": _spurs(l5, marks["L5_inferior_endplate_anterior"], marks["L5_inferior_endplate_posterior"],
                          -w, front),
             "S1": _spurs(s["S1"], marks["S1_endplate_anterior"], marks["S1_endplate_posterior"], w, None)}
    from meshes.measure import READOUT_COARSE, facet_angle, section_points

    return Rest(segment, {k: np.array(m.points) for k, m in s.items()}, front, u, w, depth, marks[
        "L5_inferior_endplate_posterior"].copy(), heights, fields, roots, herniations, disc_centre, fragment,
        disc_mm, spurs,
        point_data={k: {a: np.array(m.point_data[a]) for a in m.point_data.keys()} for k, m in s.items()},
        field_data={k: {a: np.array(m.field_data[a]) for a in m.field_data.keys()} for k, m in s.items()},
        at_rings=_Known.of(fields, np.vstack([r.centres for r in roots.values()]), gradients=True),
        at_sections=_Known.of(fields, section_points(marks, coarse=READOUT_COARSE)),
        facet_angles={side: facet_angle(s[f"facet_cartilage_{side}"], marks) for side in ("left", "right")},
        bulge_out=_bulge_directions({k: np.asarray(m.points) for k, m in s.items()}, disc_centre, u, w, roots),
        disc_by_bone={name: {bone: np.flatnonzero(fields[bone](np.asarray(s[name].points)) < ENDPLATE_NEAR_MM[bone])
                             for bone in ("L5_front", "S1")} for name in ("disc_annulus", "disc_nucleus")},
        spur_drape={name: _spur_drape(np.asarray(s[name].points), {"L5": np.asarray(l5.points),
                                                                    "S1": np.asarray(s["S1"].points)}, spurs)
                    for name in ("disc_annulus", "disc_nucleus")},
        over_processes=_near_the_processes(l5, front, fields["S1"], marks, u, w),
        defects=defects(l5, front), scar_sphere=unit_sphere(),
        floor=S1Floor.of(fields["S1"], marks["S1_endplate_posterior"], u, w, depth, FLOOR_HALF_WIDTH_MM))


def _spurs(mesh: pv.PolyData, anterior: np.ndarray, posterior: np.ndarray, toward_disc: np.ndarray,
           allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(vertex ids, full-grown displacement) of osteophytes around an endplate's rim.

    The rim is the side wall within a few mm of the endplate. Spurs grow outward and curl
    toward the disc, biggest in front and at the sides (where traction spurs form) and
    small behind; a fixed ripple keeps them from looking like a smooth collar.
    """
    p = np.asarray(mesh.points)
    normals = mesh.compute_normals(cell_normals=False, split_vertices=False).point_data["Normals"]
    centre = 0.5 * (anterior + posterior)
    up = toward_disc / np.linalg.norm(toward_disc)
    height = (centre - p) @ up  # mm from the endplate, measured away from the disc
    radial = normals - np.outer(normals @ up, up)
    length = np.linalg.norm(radial, axis=1)
    side_wall = length > 0.7
    rim = side_wall & (height > -0.5) & (height < SPUR_RIM_MM)
    if allowed is not None:
        rim &= allowed
    # Only round the body: behind its posterior wall are the pedicles and processes.
    rim &= (p - posterior) @ ((anterior - posterior) / np.linalg.norm(anterior - posterior)) > -SPUR_BEHIND_MM
    ids = np.flatnonzero(rim)
    out = radial[ids] / length[ids, None]
    ant = (anterior - posterior) / np.linalg.norm(anterior - posterior)
    facing = out @ ant  # +1 in front, -1 behind
    around = np.arctan2(np.cross(ant, out) @ up, facing)
    size = (0.55 + 0.45 * facing) * (0.75 + 0.25 * np.cos(5.0 * around))
    lip = np.exp(-(((height[ids] - SPUR_BASE_MM) / 1.2) ** 2))  # a ridge along the wall by the rim
    disp = (SPUR_MM * size * lip)[:, None] * (0.95 * out + 0.3 * up)
    return _smoothed_spurs(p, ids, disp, allowed)


def _smoothed_spurs(p: np.ndarray, ids: np.ndarray, disp: np.ndarray, allowed: np.ndarray | None):
    """(vertex ids, displacement) of the spurs with each vertex's growth the Gaussian-weighted
    mean over all the bone's vertices within :data:`SPUR_SMOOTH_MM` (those off the rim count as
    not growing): a rim vertex pulled out alone had made a saw-toothed fringe."""
    from scipy.spatial import cKDTree

    full = np.zeros_like(p)
    full[ids] = disp
    every = cKDTree(p)
    reached = np.unique(np.concatenate(every.query_ball_point(p[ids], SPUR_SMOOTH_MM)))
    if allowed is not None:
        reached = reached[allowed[reached]]
    smooth = np.empty((len(reached), 3))
    for k, (i, near) in enumerate(zip(reached, every.query_ball_point(p[reached], SPUR_SMOOTH_MM), strict=True)):
        weight = np.exp(-((np.linalg.norm(p[near] - p[i], axis=1) / (0.5 * SPUR_SMOOTH_MM)) ** 2))
        smooth[k] = weight @ full[near] / weight.sum()
    # (the rim's full size where it is widest: the mean does not shrink a broad lip)
    scale = np.linalg.norm(disp, axis=1).max() / max(float(np.linalg.norm(smooth, axis=1).max()), 1e-9)
    keep = np.linalg.norm(smooth, axis=1) > 0.02
    return reached[keep], smooth[keep] * scale


def settle_mm(rest: Rest, degeneration: float) -> float:
    """How far L5 sinks onto S1 as the degenerated disc loses height (mm): slowly at first
    (a dehydrating disc keeps most of its height), then faster as it collapses."""
    return DISC_HEIGHT_LOSS * rest.disc_mm * degeneration ** 2


def spur_growth(degeneration: float) -> float:
    """0..1: osteophytes appear a third of the way into degeneration."""
    return smoothstep(0.3, 1.0, degeneration)


def _disc_fraction(p: np.ndarray, marks, u, w) -> np.ndarray:
    """0 on the S1 endplate, 1 on L5's inferior endplate (per point)."""
    rel = p - marks["S1_endplate_posterior"]
    top = _rest_gap(rel @ u, marks, u, w)
    return np.minimum(np.maximum((rel @ w) / np.maximum(top, 1e-3), 0.0), 1.0)


def _rest_gap(along: np.ndarray, marks, u, w) -> np.ndarray:
    """The rest disc's height (mm, square to S1's endplate) at ``along`` mm ahead of S1's
    posterior corner: L5's endplate line between its rim corners (held level a half span
    beyond them)."""
    base = marks["S1_endplate_posterior"]
    a, b = marks["L5_inferior_endplate_posterior"], marks["L5_inferior_endplate_anterior"]
    span = (b - a) @ u
    k = np.minimum(np.maximum((along - (a - base) @ u) / span, -0.5), 1.5)
    return ((a - base) @ w) + k * ((b - a) @ w)


def _root(mesh: pv.PolyData, name: str) -> Root:
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
    return Root(ring, centres, radii, tether, int(mesh.field_data["ganglion_index"][0]) if "_L5_" in name else -1)


def _herniation(s, roots, fields, centre, u, w, zone, side) -> Herniation:
    """Aim a herniation of ``zone`` and ``side`` at the structure it reaches (ANATOMY.md)."""
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
    return Herniation(n, t, v, m_point, max(2.0, -face), reach, target_name)


def _sac_follow(points: np.ndarray, pivot: np.ndarray, w: np.ndarray) -> np.ndarray:
    """How much of the slipping column's motion the dural sac follows at ``points``: a
    quarter above the disc, none below it."""
    return 0.25 * smoothstep(-5.0, 10.0, (points - pivot) @ w)


def slip_motion(rest: Rest, slip_percent: float, sunk: float = 0.0) -> np.ndarray:
    """World 4x4 motion of L5's anterior column for a slip (% of S1 endplate depth).

    The posterior-inferior corner lands exactly ``slip_percent`` of the S1 endplate's
    depth ahead of S1's posterior-superior corner. On the way the disc gives up some
    height (the foramen narrows from above); from half the depth on, L5 rolls forward
    over S1's anterior-superior corner into kyphosis, and past the whole depth
    (spondyloptosis) it sinks down in front of S1. ``sunk``: how far a degenerated disc
    has already let L5 down (mm); the two together leave the back of the disc
    :data:`DISC_KEPT_MM` thick.
    """
    f = slip_percent / 100.0
    marks = rest.segment.landmarks
    front_corner = marks["S1_endplate_anterior"]
    back_corner = marks["S1_endplate_posterior"]
    roll = SLIP_ROLL_DEG[0] * smoothstep(0.5, 1.0, f) + SLIP_ROLL_DEG[1] * smoothstep(1.0, 1.5, f)
    # Positive rotation about +x lifts +y (anterior); kyphosis dips the front: negative.
    rolled = rigid(-roll, front_corner, np.zeros(3))
    corner = apply(rolled, rest.pivot[None])[0]
    from meshes.measure import disc_heights

    room = max(disc_heights(marks)[1] - DISC_KEPT_MM - sunk, 0.0)
    settle = min(SLIP_SETTLE_MM, room) * smoothstep(0.0, 0.6, f) + PTOSIS_SINK_MM * smoothstep(1.0, 1.5, f)
    forward = f * rest.depth - float((corner - back_corner) @ rest.u)
    # The roll about the front corner lifts L5's back: it comes down onto what is left of the disc.
    down = float((corner - rest.pivot) @ rest.w) + settle
    return translation(rest.u * forward - rest.w * down) @ rolled


def _shape(rest: Rest, h: Herniation, p: np.ndarray, surface: bool = True) -> dict[str, np.ndarray]:
    """The parts of the herniation profile that depend only on where ``p`` is (without the
    disc surfaces' "face" and "outer" weights unless ``surface``)."""
    rel = p - h.centre
    qt, qz, qn = rel @ h.t, rel @ h.v, rel @ h.n
    radial = p - rest.disc_centre
    radial -= (radial @ rest.w)[:, None] * rest.w  # np.outer's product, without its checks
    length = np.sqrt(radial[:, 0] ** 2 + radial[:, 1] ** 2 + radial[:, 2] ** 2)
    cos = (radial @ h.n) / np.maximum(length, 1e-9)
    broad = np.exp(-((np.arccos(np.minimum(np.maximum(cos, -1), 1)) / np.radians(55.0)) ** 2))
    vertical = np.exp(-((qz / 3.5) ** 2))
    wide = 8.0 if h.target == "dural_sac" else 6.0
    # Fourth powers as squares squared: numpy's ** 4 calls pow() per element, ten times slower
    # (the same to within a unit in the last place).
    across, up = np.square(qt / (0.6 * wide)), np.square(qz / 2.5)
    out = {
        "qt": qt,
        "qn": qn,
        "broad": broad * vertical,
        "focal": np.exp(-((qt / wide) ** 2)) * vertical,
        "narrow": np.exp(-(across * across) - up * up),
    }
    if surface:
        out["face"] = smoothstep(-h.thickness - 4.0, -h.thickness - 1.0, qn)
        out["outer"] = smoothstep(-2.5, -0.5, qn)
    return out


def internal_progress(herniation: float) -> float:
    """The herniation's progress on the profile's scale, where protrusion, extrusion and
    sequestration are complete at 0.5, 0.75 and 1 (:data:`meshes.pathology.STAGES` puts
    them at a third, two thirds and 1); 0 stays 0."""
    return 0.0 if herniation <= 0.0 else 0.25 + 0.75 * herniation


def _bulge(rest: Rest, name: str, degeneration: float, left: float = 0.0) -> np.ndarray | float:
    """The degenerated disc's generalised bulge (Fardon 2014) on disc surface ``name``: each
    rest vertex's displacement, all round the rim, shallow, and kept short of the roots and
    the dural sac (see :func:`_bulge_mm`). It is made before the disc is sheared, as the
    disc's field reads it (:func:`_bulged`); the shear then carries it."""
    if degeneration <= 0.0:
        return 0.0
    out, room, lateral = rest.bulge_out[name]
    k = rest.disc_height[name]
    return (_bulge_mm(room, lateral, degeneration, left) * 4.0 * k * (1.0 - k))[:, None] * out


def _bulge_mm(room: np.ndarray, lateral: np.ndarray, degeneration: float, left: float) -> np.ndarray:
    """The bulge's full height (mm) at mid-disc where the nearest root or the sac is ``room``
    mm away, ``lateral`` (0-1) being how squarely it faces a foramen.

    By half-way degeneration it is up to :data:`BULGE_MM` and half the room: it touches
    nothing. As the disc then collapses, the lateral bulge grows to :data:`BULGE_LATE_MM` and
    :data:`BULGE_LATE_ROOM` of the room: it fills the foramen's lower part, short of where the
    roots lie at rest. Not on a disc left flattened on the sacrum by a high-grade slip
    (``left``, see :data:`LEFT_ON_SACRUM`).
    """
    amount = smoothstep(0.0, 0.5, degeneration) * (1.0 - left)
    late = smoothstep(0.5, 1.0, degeneration) * (1.0 - left) * lateral
    return amount * np.minimum(BULGE_MM + late * (BULGE_LATE_MM - BULGE_MM),
                               (0.5 + late * (BULGE_LATE_ROOM - 0.5)) * room)


def _facing_a_foramen(radial_unit: np.ndarray, u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """0-1: how squarely a direction in the endplate plane points sideways (to a foramen)."""
    across = np.cross(u, w) / np.linalg.norm(np.cross(u, w))
    return smoothstep(0.5, 0.9, np.abs(radial_unit @ across))


def _bulged(rest: Rest, degeneration: float, left: float = 0.0):
    """``rest points -> rest disc field``, less the degeneration bulge there (see :func:`_bulge`):
    the disc as the roots must yield to it."""
    disc = rest.fields["disc"]
    if degeneration <= 0.0:
        return disc
    marks = rest.segment.landmarks
    tree, rim_room = rest.bulge_out["rim"]

    def field_(x: np.ndarray) -> np.ndarray:
        k = _disc_fraction(x, marks, rest.u, rest.w)
        radial = x - rest.disc_centre
        radial -= np.outer(radial @ rest.w, rest.w)
        length = np.linalg.norm(radial, axis=1)
        reach = np.minimum(length / 10.0, 1.0)
        lateral = _facing_a_foramen(radial / np.maximum(length, 1e-9)[:, None], rest.u, rest.w)
        room = rim_room[tree.query(x)[1]]
        return disc(x) - _bulge_mm(room, lateral, degeneration, left) * 4.0 * k * (1.0 - k) * reach

    return field_


def _bulge_directions(rest_points: dict, disc_centre: np.ndarray, u: np.ndarray, w: np.ndarray,
                      roots: dict) -> dict:
    """Per disc surface: each vertex's outward direction in the endplate plane (nil near the
    disc's axis), its room (mm) to the nearest root or dural sac surface, and how squarely it
    faces a foramen. The nucleus takes the room of the annulus outside it, so the two bulge
    together; ``"rim"``: the annulus's vertices and room, for the disc's field."""
    from scipy.spatial import cKDTree

    nerves = np.vstack([rest_points[n] for n in (*roots, "dural_sac")])
    tree = cKDTree(nerves)
    rim = cKDTree(rest_points["disc_annulus"])
    rim_room = tree.query(rest_points["disc_annulus"])[0]
    out = {"rim": (rim, rim_room)}
    for name in ("disc_annulus", "disc_nucleus"):
        p = rest_points[name]
        radial = p - disc_centre
        radial -= np.outer(radial @ w, w)
        length = np.linalg.norm(radial, axis=1)
        unit = radial / np.maximum(length, 1e-9)[:, None]
        direction = unit * np.minimum(length / 10.0, 1.0)[:, None]
        room = rim_room if name == "disc_annulus" else rim_room[rim.query(p)[1]]
        out[name] = (direction, room, _facing_a_foramen(unit, u, w))
    return out


def _amounts(rest: Rest, h: Herniation, progress: float, extra: float = 0.0) -> tuple[float, float, float, float]:
    """(bulge, protrusion, extrusion depth, extrusion fraction 0-1) at ``progress``: how far
    each stage has pushed the herniation out (mm)."""
    b = 0.0  # a bulge is not a herniation (Fardon 2014): it comes with degeneration (see _bulge)
    f = PROTRUSION * smoothstep(0.25, 0.5, progress)
    e_full = max(2.0, h.reach + extra + INTRUSION - PROTRUSION)
    ef = smoothstep(0.5, 0.75, progress) * (1.0 - 0.6 * smoothstep(0.75, 1.0, progress))
    return b, f, e_full * ef, ef


def _profile(rest: Rest, h: Herniation, shape: dict[str, np.ndarray], progress: float, extra: float = 0.0):
    """Herniation at the points ``shape`` was taken at (rest positions for vertices).

    Returns (annulus displacement, nucleus displacement, extrusion fraction 0-1, dome
    height, its contained part): displacements are along ``h.n``; the dome height is how
    far beyond the rest margin the herniated surface stands at each point's (qt, qz).
    """
    b, f, e, ef = _amounts(rest, h, progress, extra)
    contained = b * shape["broad"] + f * shape["focal"]
    ann = contained * shape["outer"]
    a = shape["narrow"] * ef
    # Each nucleus vertex travels through the fissure from its own depth to the dome.
    nuc = (contained + a * (np.maximum(-shape["qn"], 0.0) + e)) * shape["face"]
    dome = contained + np.maximum(0.0, a * (h.thickness + e) - h.thickness)
    return ann, nuc, ef, dome, contained


def _dome(rest: Rest, h: Herniation, p: np.ndarray, amounts: tuple[float, float, float, float]):
    """(dome height, its contained part) at points ``p``: :func:`_profile`'s last two, for
    :func:`_amounts` ``amounts``, without the disc surfaces' displacements."""
    return _dome_of(h, _shape(rest, h, p, surface=False), amounts)


def _dome_of(h: Herniation, shape: dict[str, np.ndarray], amounts: tuple[float, float, float, float]):
    """:func:`_dome` at the points ``shape`` (:func:`_shape`, ``surface=False``) was taken at."""
    b, f, e, ef = amounts
    contained = b * shape["broad"] + f * shape["focal"]
    a = shape["narrow"] * ef
    return contained + np.maximum(0.0, a * (h.thickness + e) - h.thickness), contained


def pose(rest: Rest, pathology: Pathology) -> Posed:
    """Vertex positions of every structure for ``pathology`` (world frame, same topology)."""
    # Structures that do not move share the rest arrays (so a viewer can skip them);
    # every change below makes new arrays.
    pts = dict(rest.points)
    sink = settle_mm(rest, pathology.degeneration)
    spurs = spur_growth(pathology.degeneration)
    # From half the depth on, the disc is left flattened on the sacrum as L5 rolls off its front;
    # off the disc, the column no longer settles with it.
    left = smoothstep(LEFT_ON_SACRUM[0], LEFT_ON_SACRUM[1], pathology.slip_percent / 100.0)
    spur_disp = {}
    if spurs > 0.0:
        for bone in ("L5", "S1"):
            ids, disp = rest.spurs[bone]
            spur_disp[bone] = _spur_displacement(rest, bone, spurs, left)
            grown = pts[bone].copy()
            grown[ids] += spur_disp[bone]
            pts[bone] = grown
    settled = sink * (1.0 - left)
    motion = translation(-rest.w * settled) @ slip_motion(rest, pathology.slip_percent, settled)
    moving = pathology.slip_percent > 0.0 or sink > 0.0
    shear = motion if moving else None
    unshear = _unshearer(rest, shear, left)
    disc_as_met = _bulged(rest, pathology.degeneration, left)
    if moving:
        l5 = pts["L5"].copy()
        if pts["L5"] is rest.points["L5"]:  # no spurs: the anterior column's rest points, as found in prepare
            l5[rest.front_ids] = apply(motion, rest.front_points)
        else:
            l5[rest.front] = apply(motion, l5[rest.front])
        # Without a pars defect the whole L5 settles: the arch sinks with the body.
        if sink > 0.0:
            l5[~rest.front] -= rest.w * sink
        pts["L5"] = _stumps_worn(rest, l5)
        if sink > 0.0:  # the cartilage on L5's inferior processes goes with the arch
            for name in ("facet_cartilage_left", "facet_cartilage_right"):
                on_l5 = rest.point_data[name]["layer"] == 1
                layer = pts[name].copy()
                layer[on_l5] -= rest.w * sink
                pts[name] = layer
        shearing = _sheared(rest, motion, left)
        for name in ("disc_annulus", "disc_nucleus"):
            p = _over_the_spurs(rest, name, pts[name], spur_disp) + _bulge(rest, name, pathology.degeneration, left)
            pts[name] = _off_the_endplates(rest, name, shearing(p, rest.disc_height[name]), motion)
        sac = pts["dural_sac"]
        follow = _sac_follow(sac, rest.pivot, rest.w)
        pts["dural_sac"] = sac + follow[:, None] * (apply(motion, sac) - sac)
    h = rest.herniations[(pathology.zone, pathology.side)]
    fragment = None
    her_field = None
    progress = internal_progress(pathology.herniation)
    # Where the sheared disc carries the fissure: away from the root it aims at, so the
    # extrusion grows by that much to still reach it.
    carried = np.zeros(3)
    if progress > 0.0 and moving:
        k = _disc_fraction(h.centre[None], rest.segment.landmarks, rest.u, rest.w)[0]
        # (A disc left flattened on the sacrum by a high-grade slip stays there: see _sheared.)
        carried = (1.0 - left) * k * (apply(motion, h.centre[None])[0] - h.centre)
    extra = max(0.0, -float(carried @ h.n))
    escaped: list[np.ndarray] = []
    if progress > 0.0:
        for name, which in (("disc_annulus", 0), ("disc_nucleus", 1)):
            key = (pathology.zone, pathology.side, name)
            if key not in rest.shapes:
                rest.shapes[key] = _shape(rest, h, rest.points[name])
            if key + ("moving",) not in rest.shapes:
                # Only the vertices with an annulus "outer" (nucleus "face") weight move: the
                # rest have none, so their displacement is nil.
                ids = np.flatnonzero(rest.shapes[key]["outer" if which == 0 else "face"] != 0.0)
                rest.shapes[key + ("moving",)] = ids, {k: v[ids] for k, v in rest.shapes[key].items()}
            ids, shape = rest.shapes[key + ("moving",)]
            prof = _profile(rest, h, shape, progress, extra)
            disp = prof[which]
            p = np.array(pts[name], float)
            moved = p[ids] + disp[:, None] * h.n
            if which == 1:
                # The extruded dome spreads sideways: wider than its neck.
                spread = 0.9 * prof[2] * smoothstep(0.0, 3.0, shape["qn"] + disp)
                moved = moved + (shape["qt"] * spread)[:, None] * h.t
                # Nucleus that has passed out through the annulus (beyond its displaced rim):
                # escaped material, which irritates a root it comes near.
                escaped.append(moved[shape["qn"] + disp > prof[4] + ESCAPED_MM])
            p[ids] = _out_of_bone(rest, moved, shear, sink, disp > 0.05, rest.points[name][ids])
            pts[name] = p
        if (pathology.zone, pathology.side, "axis") not in rest.shapes:
            rest.shapes[(pathology.zone, pathology.side, "axis")] = _shape(rest, h, h.centre[None])
        at_axis = _profile(rest, h, rest.shapes[(pathology.zone, pathology.side, "axis")], progress, extra)
        peak, flare = float(at_axis[3][0]), 0.9 * float(at_axis[2])
        amounts = _amounts(rest, h, progress, extra)

        key = (pathology.zone, pathology.side)

        def her_field(q: np.ndarray, h=h) -> np.ndarray:
            # The herniated disc: the rest disc grown outward by the dome height. The
            # dome lies within a few mm of the disc's mid-height, outside the nucleus.
            x = unshear(q)
            # Away from the dome it is the disc itself: the field runs on without a step there
            # (a moved disc as drawn: the shear is no isometry, see :class:`_DrawnDisc`).
            out = disc_as_met(x) if drawn_disc is None else drawn_disc(q)
            near, r_n, r_t, shape = _near_herniation(rest, h, key, x, fixed=not moving)
            if near.size:
                # Undo the dome's sideways flare, then step back along the herniation's
                # axis by the dome height and undo the shear: inside if that lands in the
                # rest disc (the disc grown outward, not up or down, as its vertices move).
                spread = flare * smoothstep(0.0, 3.0, r_n)
                inward = (r_t * spread / (1.0 + spread))[:, None] * h.t
                here = _dome_of(h, shape, amounts)
                # Without a flare (no extrusion yet) nothing moves inward: there is here.
                there = here
                if flare:  # (only points beyond the axis's foot move: elsewhere there is here too)
                    beyond = np.flatnonzero(spread > 0.0)
                    there = tuple(a.copy() for a in here)
                    there[0][beyond], there[1][beyond] = _dome(rest, h, x[near[beyond]] - inward[beyond], amounts)
                extruded = there[0] - there[1]
                # Only the extruded tongue flares (faded in, so the field has no step).
                tongue = smoothstep(0.0, 0.3, extruded)
                inward *= tongue[:, None]
                # The tongue's field reads its flared mesh up to a millimetre short: give it that.
                margin = TONGUE_MARGIN_MM * smoothstep(0.05, 1.0, extruded)
                dome = here[1] + tongue * (extruded + margin) + (1.0 - tongue) * (here[0] - here[1])
                # Where the dome stands: the disc grown out by it.
                up = np.flatnonzero(dome > 0.0)
                back = unshear(q[near[up]] - inward[up] - dome[up, None] * h.n)
                out[near[up]] = np.minimum(out[near[up]], disc_as_met(back))
            return out

        if progress > 0.75:
            grow = smoothstep(0.75, 0.9, progress)  # (smooth from its first moment: no jump)
            drift = smoothstep(0.75, 1.0, progress)
            radius = FRAGMENT_RADIUS * grow
            # It leaves from where the sheared disc put the fissure, and migrates along the
            # root its zone reaches (ANATOMY.md), staying out of bone.
            start = h.centre + carried + h.n * max(peak, radius)
            centre = _migrated(rest, pathology, h, start, radius, drift, shear, sink)
            fragment = rest.fragment.copy()
            fragment.points = fragment.points * radius + centre
            escaped.append(np.asarray(fragment.points))

            base_field = her_field

            def her_field(q: np.ndarray, base=base_field, c=centre, r=radius) -> np.ndarray:
                # A rounded union: where the fragment takes over from the dome, the way a root
                # yields turns smoothly instead of flipping.
                return smin(base(q), np.linalg.norm(q - c, axis=1) - r, FRAGMENT_BLEND_MM)

    if progress > 0.0:
        free = [] if fragment is None else [np.asarray(fragment.points)]
        pts["dural_sac"] = dent_sac(rest, pts, h, (pathology.zone, pathology.side, "disc_front"), free,
                                     still=not moving)
        if fragment is not None:
            pts["dural_sac"] = around_fragment(pts["dural_sac"], centre, radius + SAC_CLEARANCE_MM)
    drawn_disc = _DrawnDisc(pts, rest, escaped=progress > 0.0) if moving else None
    obstacles = _obstacles(rest, shear, unshear, her_field, sink, disc_as_met, drawn_disc)
    scars = _scars(rest, pts, shear, pathology.slip_percent / 100.0)
    for name, mesh in scars.items():
        obstacles[name] = distance_to(mesh)
    scalars, gaps = _yield_roots(rest, pts, shear, obstacles, her_field, h.n if her_field is not None else None)
    if her_field is not None or moving:
        _clear_of_the_disc(rest, pts, scalars, fragment, drawn_disc)
    _clear_of_the_scars(pts, scalars, scars, obstacles)
    _irritate(pts, scalars, np.vstack(escaped) if escaped else np.zeros((0, 3)))
    marks = {k: v.copy() for k, v in rest.segment.landmarks.items()}
    for k in marks:
        if k.startswith("L5_"):
            marks[k] = apply(motion, marks[k][None])[0]
    return Posed(pts, scalars, marks, gaps, fragment, obstacles, pathology.degeneration, scars)


def _stumps_worn(rest: Rest, l5: np.ndarray) -> np.ndarray:
    """L5's points with the underside of the column's pars stumps worn where they bear on the
    tips of S1's superior articular processes: a collapsed disc lets the column down onto
    the tips and a slip slides the stumps across them. The defect's margins remodel (they
    round off and harden) instead of passing into the tips, and the column keeps its height:
    a smooth dent, as deep as the deepest bearing point and
    :data:`PROCESS_DENT_MM` across."""
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
    out[ids] += _dent(q, bearing, push, PROCESS_DENT_MM)
    return out


def _dent(at: np.ndarray, pushed: np.ndarray, push: np.ndarray, across: float, nearest: int | None = None):
    """Displacements of the points ``at`` when those of them ``pushed`` are pushed by ``push``:
    each goes the way of the pushed points near it, as far as the farthest reaching of them,
    weighted by nearness (a Gaussian ``across`` mm wide), so a surface is dented smoothly, not
    folded point through point. With ``nearest``, only that many pushed points within twice
    ``across`` count (for many points); else all of them."""
    size = np.linalg.norm(push, axis=1)
    if nearest is None:
        weight = np.exp(-((np.linalg.norm(at[:, None, :] - at[pushed][None, :, :], axis=2) / across) ** 2))
        depth = (weight * size[None, :]).max(axis=1)
        way = weight @ push
    else:
        from scipy.spatial import cKDTree

        near, which = cKDTree(at[pushed]).query(at, k=min(nearest, len(pushed)), distance_upper_bound=2.0 * across)
        near, which = near.reshape(len(at), -1), which.reshape(len(at), -1)
        found = np.isfinite(near)
        weight = np.where(found, np.exp(-((np.where(found, near, 0.0) / across) ** 2)), 0.0)
        safe = np.where(found, which, 0)
        depth = (weight * size[safe]).max(axis=1)
        way = np.einsum("ij,ijk->ik", weight, push[safe])
    way /= np.maximum(np.linalg.norm(way, axis=1, keepdims=True), 1e-9)
    return depth[:, None] * way


def _spur_displacement(rest: Rest, bone: str, growth: float, left: float) -> np.ndarray:
    """Each of ``bone``'s spur vertices' displacement: grown by ``growth``; S1's front ones
    fade as L5 rolls off its front (``left``), where the sacral dome rounds off instead."""
    ids, disp = rest.spurs[bone]
    out = growth * disp
    if bone == "S1" and left > 0.0:
        front = smoothstep(0.0, 0.5, (disp @ rest.u) / np.maximum(np.linalg.norm(disp, axis=1), 1e-9))
        out = out * (1.0 - left * front)[:, None]
    return out


def _over_the_spurs(rest: Rest, name: str, points: np.ndarray, spur_disp: dict[str, np.ndarray]) -> np.ndarray:
    """The rest disc's margin lifted over the osteophytes growing under it at the rims
    (``spur_disp``: each bone's spur displacements): each disc vertex near a spur goes with
    it, by less the farther it was (before the disc is sheared and squeezed, so its layers
    keep their order)."""
    if not spur_disp:
        return points
    out = points.copy()
    for bone, (ids, near, weight) in rest.spur_drape[name].items():
        out[ids] += spur_disp[bone][near] * weight[:, None]
    return out


def _near_the_processes(l5: pv.PolyData, front: np.ndarray, s1, marks, u, w) -> np.ndarray:
    """The anterior column's vertices within :data:`PROCESS_WATCH_MM` of S1 at rest, behind
    S1's posterior corner and above its endplate: over its superior articular processes."""
    p = np.asarray(l5.points)
    rel = p - marks["S1_endplate_posterior"]
    near = front & (s1(p) < PROCESS_WATCH_MM) & (rel @ u < -3.0) & (rel @ w > 0.0)
    return np.flatnonzero(near)


def _spur_drape(disc: np.ndarray, bones: dict[str, np.ndarray], spurs: dict) -> dict:
    """Per bone: the ``disc`` vertices within :data:`SPUR_DRAPE_MM` of one of its spur
    vertices at rest, that spur vertex's index in the spur list and the vertex's weight."""
    from scipy.spatial import cKDTree

    out = {}
    for bone, (ids, _) in spurs.items():
        d, j = cKDTree(bones[bone][ids]).query(disc)
        near = np.flatnonzero(d < SPUR_DRAPE_MM)
        out[bone] = (near, j[near], smoothstep(SPUR_DRAPE_MM, 0.0, d[near]))
    return out


def _off_the_endplates(rest: Rest, name: str, points: np.ndarray, motion: np.ndarray) -> np.ndarray:
    """A sheared disc's vertices by the endplates put back out of the bone: the endplates are
    cupped, so a straight shear between them carries disc into the one sliding over it."""
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
        out[ids] += _dent(rest.points[name][ids], inside, push, ENDPLATE_DENT_MM, nearest=8)
    return out


def _scars(rest: Rest, pts: dict, motion: np.ndarray | None, slip_fraction: float) -> dict[str, pv.PolyData]:
    """The fibrocartilaginous scar at each opening pars defect (none without a slip)."""
    if slip_fraction <= 0.0 or motion is None or not rest.defects:
        return {}
    out = {}
    sphere = np.asarray(rest.scar_sphere.points)
    for side in SCAR_SIDES:
        d = rest.defects[side]
        root = rest.roots[f"root_L5_{side}"]
        centres = root.centres + root.tether[:, None] * (apply(motion, root.centres) - root.centres)
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


def _out_of_bone(rest: Rest, points: np.ndarray, shear: np.ndarray | None, sink: float,
                 pushed: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``points`` with those of them ``pushed`` out by the herniation kept out of the
    endplates: herniated disc material runs along the bone, never into it. ``at``: their rest
    positions; the layers near a vertex put back out go with it (:func:`_dent`), so a thin,
    squeezed disc is dented rather than folded layer through layer."""
    ids = np.flatnonzero(pushed)
    if not ids.size:
        return points
    bone = _obstacles(rest, shear, lambda q: q, None, sink)
    out = points.copy()
    for name in ("S1", "L5_front"):
        d, g = gradient(bone[name], out[ids])
        inside = np.flatnonzero(d < 0.0)
        if inside.size:
            push = -(d[inside] - 0.05)[:, None] * g[inside]
            out[ids] += _dent(at[ids], inside, push, HERNIATION_DENT_MM, nearest=8)
    return out


def _migrated(rest: Rest, pathology: Pathology, h: Herniation, start: np.ndarray, radius: float, drift: float,
              shear: np.ndarray | None, sink: float) -> np.ndarray:
    """Where a sequestered fragment of ``radius`` has migrated to, ``drift`` (0-1) of its way.

    Central and subarticular fragments go down behind S1 in the canal, beside the
    traversing S1 root; foraminal ones along the exiting L5 root within the foramen, and
    extraforaminal ones down and out along it, in front of the ala. The fragment rides
    against its root, pressed into it by :data:`FRAGMENT_PRESS_MM`, and is then moved
    out of any bone it would enter.
    """
    canal = pathology.zone in ("central", "subarticular")
    root = rest.roots[f"root_{'S1' if canal else 'L5'}_{pathology.side}"]
    centres = root.centres
    if shear is not None and root.tether.any():
        centres = centres + root.tether[:, None] * (apply(shear, centres) - centres)
    # It sets off from the stretch of root nearest the fissure at rest (fixed, so the path
    # never jumps from one stretch to another as the herniation grows).
    key = (pathology.zone, pathology.side, "fragment_start")
    if key not in rest.shapes:
        rest.shapes[key] = int(np.argmin(np.linalg.norm(root.centres - (h.centre + h.n * h.reach), axis=1)))
    k0 = rest.shapes[key]
    step = np.linalg.norm(np.diff(centres, axis=0), axis=1)
    along = np.r_[0.0, np.cumsum(step)]
    target = along[k0] + drift * FRAGMENT_MIGRATION_MM[pathology.zone]
    k = int(np.clip(np.searchsorted(along, target), 1, len(centres) - 1))
    t = float(np.clip((target - along[k - 1]) / max(step[k - 1], 1e-9), 0.0, 1.0))
    axis_point = centres[k - 1] + t * (centres[k] - centres[k - 1])
    r_root = float(root.radii[k])
    # Keep to the side of the root it came from.
    side = start - centres[k0]
    tangent = centres[min(k0 + 1, len(centres) - 1)] - centres[max(k0 - 1, 0)]
    tangent /= np.linalg.norm(tangent)
    side -= (side @ tangent) * tangent
    side /= max(np.linalg.norm(side), 1e-9)
    reach = r_root + radius - FRAGMENT_PRESS_MM * smoothstep(0.0, 0.3, drift)
    here = start + drift * (axis_point + side * reach - start) if drift < 1.0 else axis_point + side * reach
    # Out of bone: step along the bone's gradient until the fragment clears it.
    bone = _obstacles(rest, shear, lambda q: q, None, sink)
    for _ in range(6):
        values = {name: gradient(bone[name], here[None]) for name in ("S1", "L5_front", "L5_back")}
        name = min(values, key=lambda n: values[n][0][0])
        d, g = values[name][0][0], values[name][1][0]
        short = radius - d
        if short <= 0.0:
            break
        here = here + (short + 0.1) * g
    return here


def _near_herniation(rest: Rest, h: Herniation, key: tuple, x: np.ndarray, fixed: bool):
    """The points of ``x`` (rest positions) that a herniation's dome can reach: their indices,
    their offsets from its centre along ``h.n`` and ``h.t``, and their :func:`_shape`.
    With ``fixed`` (the disc not sheared), for the rest's own ring centres and section
    points these depend on the herniation alone: worked out once per zone and side."""
    known = [k for k in (rest.at_rings, rest.at_sections) if k is not None and x is k.points]
    if fixed and known and key + ("near", id(x)) in rest.shapes:
        return rest.shapes[key + ("near", id(x))]
    rel = x - h.centre
    near = np.flatnonzero((np.abs(rel @ h.v) < 12.0) & (rel @ h.n > -h.thickness - 3.0))
    r = rel[near]
    out = near, r @ h.n, r @ h.t, _shape(rest, h, x[near], surface=False)
    if fixed and known:
        rest.shapes[key + ("near", id(x))] = out
    return out


def _obstacles(rest: Rest, motion: np.ndarray | None, unshear, her_field, sink: float = 0.0, disc=None,
               drawn_disc=None):
    """The distance fields (world, mm) the roots yield to; ``disc``: the rest disc's field as
    the roots meet it (by default the rest disc's own; see :func:`_bulged`); ``drawn_disc``: a
    moved disc's own surfaces, which the roots then meet instead."""
    f = rest.fields
    disc = f["disc"] if disc is None else disc
    out = {"S1": f["S1"], "L5_back": f["L5_back"]}
    if sink > 0.0:
        down = rest.w * sink
        out["L5_back"] = lambda q: f["L5_back"](q + down)
    if motion is None:
        out["L5_front"] = f["L5_front"]
        out["disc"] = disc
    else:
        inv = np.linalg.inv(motion)
        out["L5_front"] = lambda q: f["L5_front"](apply(inv, q))
        out["disc"] = drawn_disc if drawn_disc is not None else (lambda q: disc(unshear(q)))
    if her_field is not None:
        out["herniation"] = her_field
    return out


def _sheared(rest: Rest, motion: np.ndarray, left: float):
    """``(x, k) -> posed``: where the slip puts the disc's material at rest points ``x`` of
    height fractions ``k`` (by default :func:`_disc_fraction`; ``left``: how far the disc is
    flattened onto the sacrum, see :data:`LEFT_ON_SACRUM`).

    Each point goes ``k`` of L5's way along the S1 endplate, and its height is scaled by the
    posed gap over the rest gap where it lands: from S1's own surface under it to L5's posed
    endplate line, which behind L5's posterior corner keeps that corner's height (the disc
    L5 has slid off lies on S1). For a slip without roll the map's Jacobian determinant is
    then the ratio of those two gaps, never negative: a straight shear of a lordotic,
    settled disc folded it where L5's endplate climbs faster than the sheared disc behind it.
    """
    marks = rest.segment.landmarks
    base, u, w = marks["S1_endplate_posterior"], rest.u, rest.w
    corners = apply(motion, np.array([marks["L5_inferior_endplate_posterior"],
                                      marks["L5_inferior_endplate_anterior"]], float)) - base
    (cu, cw), (au, aw) = corners @ np.stack([u, w], axis=1)
    slope = (aw - cw) / (au - cu)
    lateral = np.cross(u, w) / np.linalg.norm(np.cross(u, w))

    def forward(x: np.ndarray, k: np.ndarray | None = None) -> np.ndarray:
        if k is None:
            k = _disc_fraction(x, marks, u, w)
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
        rest_gap = np.maximum(_rest_gap(along, marks, u, w) - floor, 1e-3)
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


def _unshearer(rest: Rest, motion: np.ndarray | None, left: float = 0.0):
    """``q -> rest positions`` of posed disc points: :func:`_sheared` undone by Newton steps
    (the shear of a worn, settled disc squeezes it several-fold: plain fixed-point steps
    stray by millimetres there)."""
    if motion is None:
        return lambda q: q
    marks = rest.segment.landmarks
    inv = np.linalg.inv(motion)
    forward = _sheared(rest, motion, left)
    last: list = [None, None]  # the frame's last query and its answer: the disc and the
    # herniation ask about the same points one after the other

    def unshear(q: np.ndarray) -> np.ndarray:
        if q is last[0]:
            return last[1]
        q = np.asarray(q, float)
        x = q + _disc_fraction(q, marks, rest.u, rest.w)[:, None] * (apply(inv, q) - q)
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


def _smooth(a: np.ndarray, times: int = 3, starts=(0,)) -> np.ndarray:
    """Each run of rows (from each of ``starts`` to the next) averaged with its neighbours
    ``times`` times, the run's first and last rows held: all roots' rings in one go."""
    ends = np.r_[np.asarray(starts)[1:], len(a)] - 1
    for _ in range(times):
        b = np.empty_like(a)
        b[1:-1] = 0.25 * a[:-2] + 0.5 * a[1:-1] + 0.25 * a[2:]
        b[starts], b[ends] = a[starts], a[ends]
        a = b
    return a


def _yield_roots(rest: Rest, pts, motion, obstacles, her_field, outward: np.ndarray | None = None):
    """Move, push aside and flatten every root against the obstacles (all roots at once)."""
    names = list(rest.roots)
    centres = []
    for name in names:
        root = rest.roots[name]
        c = root.centres
        if motion is not None and root.tether.any():
            c = c + root.tether[:, None] * (apply(motion, c) - c)
        centres.append(c)
    sizes = [len(c) for c in centres]
    starts = np.cumsum([0] + sizes)
    c_all = np.vstack(centres)
    radii = np.concatenate([rest.roots[n].radii for n in names])
    owner = np.repeat(np.arange(len(names)), sizes)
    push = np.zeros_like(c_all)
    best = np.full(len(names), np.inf)
    planes = []  # (global ring indices, point on the obstacle, its normal)
    # The rings that moved (tethered to a slipping L5); the rest sit where prepare met them.
    moved = np.zeros(len(c_all), bool)
    if motion is not None:
        moved = np.concatenate([rest.roots[n].tether > 0.0 for n in names])
    known = rest.at_rings
    for name, field_ in obstacles.items():
        if known is not None and known.knows(name, field_, rest.fields):
            d = known.values[name].copy()
            if motion is not None:  # (nothing moved otherwise: no need to ask the field)
                d[moved] = field_(c_all[moved])
        else:  # (unmoved, the rings are the rest's: the herniation knows its way about them)
            d = field_(c_all if motion is not None or known is None else known.points)
        gap = d - radii
        np.minimum.at(best, owner, gap)
        # A root is laid against bone this far off its sampled field (the drawn surface
        # stands up to half a millimetre proud of it in places).
        margin = ROOT_BONE_MARGIN_MM if name in ("S1", "L5_front", "L5_back") else 0.0
        hit = np.flatnonzero(gap < margin)
        if hit.size:
            # Only the rings that touch need a direction to yield in.
            if known is not None and known.knows(name, field_, rest.fields):
                g = known.gradients[name][hit]
                again = moved[hit]
                if again.any():
                    g[again] = gradient(field_, c_all[hit[again]])[1]
            else:
                _, g = gradient(field_, c_all[hit])
            if field_ is her_field and outward is not None:
                # Deep in herniated material the nearest way out can swap sides from one
                # step to the next: there the root is pushed out the way the herniation
                # points (``outward``), which does not.
                deep = smoothstep(0.0, -HERNIATION_DEEP_MM, d[hit])[:, None]
                g = (1.0 - deep) * g + deep * outward
                g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-9)
            push[hit] += (-0.5 * np.minimum(gap[hit], 0.0))[:, None] * g
            planes.append((hit, c_all[hit] - (d[hit] - margin)[:, None] * g, g, margin))
    scalars, gaps = {}, {}
    posed_centres = []
    pushed = _smooth(push, starts=starts[:-1])
    for i, name in enumerate(names):
        root = rest.roots[name]
        lo, hi = starts[i], starts[i + 1]
        moved = (centres[i] - root.centres) + pushed[lo:hi]
        p = rest.points[name] + moved[root.ring]
        compression = np.zeros(len(p))
        for rings, point, normal, margin in planes:
            mine = (rings >= lo) & (rings < hi)
            if not mine.any():
                continue
            lookup = np.full(hi - lo, -1)
            lookup[rings[mine] - lo] = np.arange(int(mine.sum()))
            j = lookup[root.ring]
            sel = np.flatnonzero(j >= 0)
            pt, nm = point[mine][j[sel]], normal[mine][j[sel]]
            depth = np.einsum("ij,ij->i", p[sel] - pt, nm)
            inside = depth < 0.0
            idx = sel[inside]
            p[idx] -= depth[inside, None] * nm[inside]
            compression[idx] = np.maximum(compression[idx], -depth[inside] - margin)
        pts[name] = p
        posed_centres.append(root.centres + moved)
        # A squeezed root is squeezed right across: each ring reads its deepest flattening.
        across = np.zeros(hi - lo)
        np.maximum.at(across, root.ring, compression)
        scalars[name] = {"compression": across[root.ring], "inflamed": np.zeros(len(p))}
        gaps[name] = float(best[i])
    return scalars, gaps


class _DrawnDisc:
    """``points -> mm``: signed distance to the posed disc as drawn (annulus, and the nucleus
    where a herniation takes it out through the annulus). The roots meet a moved disc by it:
    the rest disc's field read through the undone shear is no distance (the shear squashes
    and tilts the disc), and read a root beside a slipped, worn disc's rim up to 1.6 mm
    nearer or farther than the drawn surfaces are."""

    def __init__(self, pts: dict, rest: Rest, escaped: bool) -> None:
        from scipy.spatial import cKDTree

        from meshes.geometry import SurfaceDistance

        names = ("disc_nucleus", "disc_annulus") if escaped else ("disc_annulus",)
        self.meshes = [pv.PolyData(pts[d], rest.segment.structures[d].faces) for d in names]
        self.parts = [SurfaceDistance(m, creased=True) for m in self.meshes]
        self.tree = cKDTree(np.vstack([np.asarray(m.points) for m in self.meshes]))
        self.last: tuple = (None, None)

    def __call__(self, q: np.ndarray) -> np.ndarray:
        # (the disc and the herniation ask about the same points one after the other)
        if self.last[0] is not q:
            q = np.asarray(q, float)
            # Points over DRAWN_DISC_FAR_MM from every vertex are outside (the disc is at most
            # 11 mm thick): they read that much less a millimetre, never more than they are.
            out = np.full(len(q), DRAWN_DISC_FAR_MM - 1.0)
            near = np.flatnonzero(np.isfinite(self.tree.query(q, distance_upper_bound=DRAWN_DISC_FAR_MM)[0]))
            if near.size:
                out[near] = np.min([part(q[near]) for part in self.parts], axis=0)
            self.last = (q, out)
        return self.last[1]


def _clear_of_the_disc(rest: Rest, pts: dict, scalars: dict, fragment: pv.PolyData | None = None,
                       drawn: _DrawnDisc | None = None) -> None:
    """Root vertices that the fields let through into the posed disc surfaces or the fragment
    (the herniation's field reads a flared tongue up to a millimetre short, a root deep in it
    yields along the herniation, and a slipped, worn disc is squeezed where the fields are
    coarse) put back on those surfaces, flattened there: a root yields, it is never pierced."""
    if drawn is not None:  # (its locators already built; without a herniation the nucleus is within the annulus)
        surfaces, distances = list(drawn.meshes), list(drawn.parts)
    else:
        surfaces = [pv.PolyData(pts[d], rest.segment.structures[d].faces) for d in ("disc_nucleus", "disc_annulus")]
        distances = list(surfaces)
    if fragment is not None:
        surfaces.append(fragment)
        distances.append(fragment)
    # The root vertices near the posed disc or fragment's own vertices (not by the field: on a
    # slipped, worn disc the field can read an extruded tongue millimetres short).
    from scipy.spatial import cKDTree

    if drawn is not None and fragment is None:
        tree = drawn.tree  # (the same points: built once a frame)
    else:
        tree = cKDTree(np.vstack([np.asarray(m.points) for m in surfaces]))
    lo = np.min([m.bounds[::2] for m in surfaces], axis=0) - CLEAR_CHECK_MM
    hi = np.max([m.bounds[1::2] for m in surfaces], axis=0) + CLEAR_CHECK_MM
    candidates = {}
    for name in ROOTS:
        near = np.flatnonzero(np.all((pts[name] > lo) & (pts[name] < hi), axis=1))
        if near.size:
            near = near[np.isfinite(tree.query(pts[name][near], distance_upper_bound=CLEAR_CHECK_MM)[0])]
        candidates[name] = near
    if not any(ids.size for ids in candidates.values()):
        return
    _clear_of(pts, scalars, distances, candidates)


def _clear_of_the_scars(pts: dict, scalars: dict, scars: dict[str, pv.PolyData], obstacles: dict) -> None:
    """Root vertices inside a pars scar put back on its surface: where a long, thin scar of a
    high-grade slip crosses a root, the ring-wise yield (a plane per ring) leaves its far
    side in the scar."""
    for name, scar in scars.items():
        lo, hi = np.array(scar.bounds[::2]), np.array(scar.bounds[1::2])
        candidates = {root: np.flatnonzero(np.all((pts[root] > lo) & (pts[root] < hi), axis=1)) for root in ROOTS}
        if any(ids.size for ids in candidates.values()):
            _clear_of(pts, scalars, [obstacles[name]], candidates)


def _clear_of(pts: dict, scalars: dict, surfaces: list, candidates: dict[str, np.ndarray]) -> None:
    """The ``candidates`` (root -> vertex ids) that lie inside any of ``surfaces`` (closed
    meshes, or their signed distances) moved onto it, their compression read from how deep
    they were."""
    from meshes.geometry import SurfaceDistance

    for mesh in surfaces:
        surface = SurfaceDistance(mesh) if isinstance(mesh, pv.PolyData) else mesh
        for name, ids in candidates.items():
            if not ids.size:
                continue
            p = pts[name]
            todo = ids
            for _ in range(CLEAR_STEPS):  # (a curved surface may need a second step)
                # Most candidates are outside: the direction only for those inside.
                todo = todo[surface(p[todo]) < 0.0]
                if not todo.size:
                    break
                d, g = gradient(surface, p[todo], h=0.2)
                inside = d < 0.0
                if not inside.any():
                    break
                p = p.copy() if p is pts[name] else p
                p[todo[inside]] -= (d[inside] - 0.02)[:, None] * g[inside]
                flat = scalars[name]["compression"]
                flat[todo[inside]] = np.maximum(flat[todo[inside]], -d[inside])
                todo = todo[inside]
            pts[name] = p


def _irritate(pts: dict, scalars: dict, escaped: np.ndarray) -> None:
    """The glow of chemical irritation: on root vertices within :data:`IRRITATION_MM` of
    escaped nucleus material (an extrusion's tongue, a fragment), fading with distance;
    exactly zero elsewhere, and for a contained protrusion or a bulge."""
    if not len(escaped):
        return
    from scipy.spatial import cKDTree

    tree = cKDTree(escaped)
    for name in ROOTS:
        d = tree.query(pts[name], distance_upper_bound=IRRITATION_MM)[0]
        near = np.isfinite(d)
        glow = np.zeros(len(d))
        glow[near] = (1.0 - d[near] / IRRITATION_MM) ** 0.5
        scalars[name]["inflamed"] = glow


def posed_structures(rest: Rest, posed: Posed) -> dict[str, pv.PolyData]:
    """Copies of the rest surfaces with posed points and scalars (for export and measure)."""
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
    """``points -> mm``: distance to posed bone, disc or herniation, negative inside."""

    def distance(p: np.ndarray) -> np.ndarray:
        return np.min([f(p) for f in posed.obstacles.values()], axis=0)

    return distance


def readouts(rest: Rest, posed: Posed, pathology: Pathology) -> dict:
    """All readouts of a posed state, measured from its geometry (fast path for the viewer)."""
    from meshes.measure import readouts as measured

    structures = {name: _Points(p) for name, p in posed.points.items()}
    for name in rest.segment.structures:
        structures[name].field_data = rest.field_data[name]
        structures[name].point_data = rest.point_data[name]
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
    return measured(structures, posed.landmarks, pathology, posed.root_gap, _distance_known(rest, posed), rested,
                    sections)


def _distance_known(rest: Rest, posed: Posed):
    """:func:`distance_at`, reading the rest fields that have not moved off ``rest.at_sections``
    when asked at its points (the foramen's sections while L5's pedicles are where they were)."""
    known = rest.at_sections

    def distance(p: np.ndarray) -> np.ndarray:
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
