"""Clinical measurements taken from the (posed) geometry, never from the inputs.

All functions take world-frame surfaces and landmarks (RAS, mm). Definitions:

- Slip: displacement of L5's posterior-inferior corner past S1's posterior-superior
  corner along the S1 endplate, as a percentage of the S1 endplate's depth
  (Meyerding 1932; bands as in the project's anatomy notes).
- Slip angle: between L5's inferior endplate and the perpendicular to S1's posterior
  border (here the S1 endplate line); positive when kyphotic, negative when lordotic.
- Disc heights: L5's anterior and posterior inferior rim corners above the S1 endplate plane;
  none (None) for a corner that has slipped off the front of S1, where no disc lies under it.
- Foramen (as on parasagittal CT: Razzouk 2023, Gkasdaris 2018): in the parasagittal
  plane through the middle of the L5 pedicle, the opening around the L5 root bounded by
  bone and disc: its height along the S1 endplate normal (pedicle to pedicle), its
  narrowest anterior–posterior width at disc level (disc to facet), its area in mm².
- Facet angle: the joint line on the axial section through the joint's middle, from the
  sagittal plane (as on axial CT; about 47 degrees at L5–S1, Jentzsch 2013).
- Root clearance: the smallest gap between a root and any bone or disc surface,
  negative when they overlap (the root is compressed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pyvista as pv

from meshes.geometry import clearance, inside

# Below this slip (about 0.6 mm on a 32 mm endplate) the corners are aligned within
# the accuracy of the landmarks, and the grade is "none".
NO_SLIP = 2.0
MEYERDING_BANDS = ((NO_SLIP, "none"), (25.0, "I"), (50.0, "II"), (75.0, "III"), (100.0, "IV"))
OBSTACLES = ("L5", "S1", "sacrum", "disc_annulus", "disc_nucleus", "pars_scar_left", "pars_scar_right")
# The foramen's section window: centred this far (mm) below the L5 pedicle's lower border,
# where the opening is, and reaching this far each way.
SECTION_DROP = 9.0
SECTION_REACH = 24.0
# Openings narrower than this (mm) are sealed by a joint capsule or ligament.
SEAL_MM = 2.0
# With a distance function, the readouts sample the foramen's section every this many steps.
READOUT_COARSE = 3


def meyerding_grade(slip_percent: float) -> str:
    """Meyerding grade for a slip (% of S1 endplate depth): none, I–IV, or V above 100%.

    Bands: I up to 25%, II up to 50%, III up to 75%, IV up to 100%; a band includes
    its upper edge. Slips under :data:`NO_SLIP` percent are graded "none".
    """
    slip = round(float(slip_percent), 2)  # as read out: a band's edge is read as its own
    for upper, grade in MEYERDING_BANDS:
        if slip <= upper:
            return grade
    return "V"


def s1_axes(marks: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, float]:
    """(anterior unit vector along the S1 endplate, its normal, endplate depth mm)."""
    ant = marks["S1_endplate_anterior"] - marks["S1_endplate_posterior"]
    depth = float(np.sqrt(ant @ ant))
    u = ant / depth
    normal = np.array([0.0, -u[2], u[1]])  # x cross u
    return u, normal / np.sqrt(normal @ normal), depth


def slip_percent(marks: dict[str, np.ndarray]) -> float:
    """Forward slip of L5 over S1 as a percentage of the S1 endplate depth."""
    u, _, depth = s1_axes(marks)
    d = marks["L5_inferior_endplate_posterior"] - marks["S1_endplate_posterior"]
    return float(100.0 * np.dot(d, u) / depth)


def slip_angle_deg(marks: dict[str, np.ndarray]) -> float:
    """Angle (degrees) of L5's inferior endplate to S1's; positive when kyphotic."""
    u, normal, _ = s1_axes(marks)
    l5 = marks["L5_inferior_endplate_anterior"] - marks["L5_inferior_endplate_posterior"]
    # Positive when the anterior L5 corner dips toward S1 (kyphosis).
    return float(-np.degrees(np.arctan2(np.dot(l5, normal), np.dot(l5, u))))


def disc_heights(marks: dict[str, np.ndarray]) -> tuple[float, float]:
    """(anterior, posterior) disc heights in mm: L5's inferior rim corners above S1's endplate plane.

    Measured square to the S1 endplate, as on a lateral radiograph, so a slip that carries
    L5 forward does not read as a taller disc (rim-to-rim distances would).
    """
    _, w, _ = s1_axes(marks)
    base = marks["S1_endplate_posterior"]
    a = (marks["L5_inferior_endplate_anterior"] - base) @ w
    p = (marks["L5_inferior_endplate_posterior"] - base) @ w
    return float(a), float(p)


def disc_heights_read(marks: dict[str, np.ndarray]) -> tuple[float | None, float | None]:
    """:func:`disc_heights` as read out, never a negative number: a corner of L5 that hangs
    down in front of S1 (past its endplate and below its plane), or a posterior corner
    that has slipped off S1's front, has no disc under it, and its height is None."""
    u, _, depth = s1_axes(marks)
    base = marks["S1_endplate_posterior"]
    out = []
    for corner, height in zip(("anterior", "posterior"), disc_heights(marks), strict=True):
        along = float((marks[f"L5_inferior_endplate_{corner}"] - base) @ u)
        off = along > depth + OVER_S1_MM and (corner == "posterior" or height < 0.0)
        out.append(None if off else round(max(height, 0.0), 2))
    return out[0], out[1]


# A corner this far (mm) past the front of the S1 endplate still stands over its rim.
OVER_S1_MM = 0.5


@dataclass(frozen=True)
class Foramen:
    """The L5–S1 foramen in a parasagittal section through the middle of the L5 pedicle.

    ``height``: the opening's extent along the S1 endplate normal (pedicle to pedicle);
    ``width``: its narrowest anterior–posterior width at disc level (disc to facet: the
    middle half of the disc's posterior height);
    ``area`` in mm²; ``closed``: bone and disc surround it (False when it runs out of
    the section window, and then the area counts only the part inside it).
    """

    height: float
    width: float
    area: float
    closed: bool
    # The ends of the narrowest width: on the disc (front) and on the facet (back), world mm.
    front: np.ndarray = field(default_factory=lambda: np.full(3, np.nan))
    back: np.ndarray = field(default_factory=lambda: np.full(3, np.nan))


def foramen(
    structures: dict[str, pv.PolyData],
    marks: dict[str, np.ndarray],
    side: str,
    step: float = 0.5,
) -> Foramen:
    """The foramen on ``side``, measured on the surfaces' inside test (exact, slow)."""
    return foramina_in(lambda pts: np.where(_inside_any(structures, pts), -1.0, 1.0), structures, marks,
                       (side,), step)[side]


def _inside_any(structures: dict[str, pv.PolyData], pts: np.ndarray) -> np.ndarray:
    solid = np.zeros(len(pts), dtype=bool)
    for name in OBSTACLES:
        if name not in structures:  # (a pars scar only with a slip)
            continue
        mesh = structures[name]
        lo = np.array(mesh.bounds[::2])
        hi = np.array(mesh.bounds[1::2])
        near = np.all((pts >= lo) & (pts <= hi), axis=1)
        if near.any():
            solid[near] |= inside(pts[near], mesh)
    return solid


def section_window(marks: dict[str, np.ndarray], side: str, step: float = 0.5):
    """(origin, u, w, ticks): the parasagittal section through the middle of ``side``'s L5
    pedicle, spanned by the S1 endplate's AP direction ``u`` and its normal ``w``.

    The window is centred SECTION_DROP mm below the pedicle's lower border and reaches
    SECTION_REACH mm each way.
    """
    u, w, _ = s1_axes(marks)
    origin = marks[f"L5_pedicle_inferior_{side}"] - SECTION_DROP * w
    n = int(round(SECTION_REACH / step))
    return origin, u, w, step * np.arange(-n, n + 1)


def foramina_in(
    distance_at,
    structures: dict,
    marks: dict[str, np.ndarray],
    sides: tuple[str, ...] = ("left", "right"),
    step: float = 0.5,
    coarse: int = 1,
    points: np.ndarray | None = None,
) -> dict[str, Foramen]:
    """Each side's :class:`Foramen`, with one call to ``distance_at(points)`` (negative in
    bone or disc). With ``coarse`` > 1 the distance is sampled every ``coarse`` steps and
    interpolated in between, which is exact enough for smooth signed distances.
    ``points``: :func:`section_points` for the same arguments, when the caller has them.

    The opening is the free region, in the section, around the L5 root where it crosses
    the section (the ganglion's stretch): a flood fill from there.
    """
    planes = {side: section_window(marks, side, step) for side in sides}
    ticks = next(iter(planes.values()))[3]
    few = ticks[::coarse]
    if points is None:
        points = _grid_points(planes.values(), coarse)
    values = distance_at(points).reshape(len(sides), len(few), len(few))
    spread = _interpolation(len(ticks), step, coarse)
    u, w, _ = s1_axes(marks)
    solid, seeds, discs = [], [], []
    for side, v in zip(sides, values, strict=True):
        if coarse > 1:
            v = spread @ v @ spread.T
        solid.append(v < 0.0)
        origin = planes[side][0]
        seeds.append(_root_crossing(structures[f"root_L5_{side}"], origin, u, w))
        # The disc level: the middle half of the disc's posterior height, clear of the
        # corners where the endplates' rims close the opening's lower end.
        low, high = sorted((marks[k] - origin) @ w for k in ("S1_endplate_posterior", "L5_inferior_endplate_posterior"))
        quarter = 0.25 * (high - low)
        discs.append((low + quarter, high - quarter))
    out = {}
    for side, (f, (front, back)) in zip(sides, _openings(np.array(solid), ticks, seeds, discs), strict=True):
        origin = planes[side][0]
        out[side] = replace(f, front=origin + front[0] * u + front[1] * w, back=origin + back[0] * u + back[1] * w)
    return out


def section_points(marks: dict[str, np.ndarray], sides: tuple[str, ...] = ("left", "right"), step: float = 0.5,
                   coarse: int = 1) -> np.ndarray:
    """The points (world mm) where :func:`foramina_in` asks for the distance: each side's
    section window, every ``coarse`` steps, side after side."""
    return _grid_points([section_window(marks, side, step) for side in sides], coarse)


def _grid_points(planes, coarse: int) -> np.ndarray:
    out = []
    for origin, u, w, ticks in planes:
        few = ticks[::coarse]
        grid_u, grid_w = np.meshgrid(few, few, indexing="ij")
        out.append(origin + grid_u.ravel()[:, None] * u + grid_w.ravel()[:, None] * w)
    return np.vstack(out)


def _root_crossing(root, origin: np.ndarray, u: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(u, w) in the section of the L5 root's axis where it crosses the section's plane
    (the ganglion's ring when the axis does not cross it)."""
    k = int(root.field_data["ganglion_index"][0])
    ring = np.asarray(root.point_data["axis_index"])
    points = np.asarray(root.points)
    count = np.maximum(np.bincount(ring), 1)
    centres = np.column_stack([np.bincount(ring, points[:, i]) / count for i in range(3)])
    x = centres[:, 0] - origin[0]
    cross = np.flatnonzero(np.sign(x[:-1]) != np.sign(x[1:]))
    if cross.size:
        i = cross[np.argmin(np.abs(cross - k))]
        t = x[i] / (x[i] - x[i + 1])
        p = centres[i] + t * (centres[i + 1] - centres[i])
    else:
        p = centres[k]
    return float((p - origin) @ u), float((p - origin) @ w)


@lru_cache(maxsize=4)
def _interpolation(n_ticks: int, step: float, coarse: int) -> np.ndarray:
    """Matrix taking samples every ``coarse`` ticks of a section window (``n_ticks`` ticks
    ``step`` apart, see :func:`section_window`) to their linear interpolation at every tick."""
    ticks = step * np.arange(-(n_ticks // 2), n_ticks // 2 + 1)
    few = ticks[::coarse]
    out = np.stack([np.interp(ticks, few, unit) for unit in np.eye(len(few))], axis=1)
    out.flags.writeable = False  # shared by every call
    return out


def _grow(mask: np.ndarray) -> np.ndarray:
    """``mask`` grown by one cell in all eight directions (a stack of masks: each on its own)."""
    out = mask.copy()
    out[..., 1:, :] |= mask[..., :-1, :]
    out[..., :-1, :] |= mask[..., 1:, :]
    grown = out.copy()
    grown[..., 1:] |= out[..., :-1]
    grown[..., :-1] |= out[..., 1:]
    return grown


def _runs(mask: np.ndarray) -> np.ndarray:
    """A label for each run of true cells along the last axis of a mask (0 off it)."""
    flat = mask.ravel()
    start = flat.copy()
    start[1:] &= ~flat[:-1]
    start[::mask.shape[-1]] = flat[::mask.shape[-1]]  # each row starts anew
    labels = np.cumsum(start)
    labels[~flat] = 0
    return labels.reshape(mask.shape)


def _component(mask: np.ndarray, seeds: list[tuple[int, ...]]) -> np.ndarray:
    """The cells of ``mask`` connected to ``seeds`` through their eight neighbours (of a
    stack of 2-D masks, each grown from its own seed on its own).

    Grown a whole run of cells along each axis at a time, then by one cell all round for
    the diagonal steps, until nothing changes: the same region as growing it cell by cell,
    in a handful of rounds instead of one round per cell of its length.
    """
    runs = [(labels, labels.max() + 1) for labels in (_runs(mask), _runs(np.swapaxes(mask, -1, -2)).swapaxes(-1, -2))]
    region = np.zeros_like(mask)
    region[tuple(np.array(seeds).T)] = True
    while True:
        before = region
        for labels, count in runs:
            reached = np.zeros(count, bool)
            reached[labels[region]] = True
            reached[0] = False
            region = reached[labels]
        region = _grow(region) & mask
        if (region == before).all():
            return region


def _openings(solid: np.ndarray, ticks: np.ndarray, seeds: list[tuple[float, float]],
              discs: list[tuple[float, float]]) -> list:
    """Of each (u, w) boolean section grid of the stack ``solid``, the free region connected
    to the free cell nearest its ``seeds`` entry: (:class:`Foramen`, the (u, w) ends of its
    narrowest width at its ``discs`` level) per section. The sections are worked on together
    (no cell reaches across them): each comes out as it would alone."""
    step = float(ticks[1] - ticks[0])
    free = ~solid
    shut = Foramen(0.0, 0.0, 0.0, True), (np.full(2, np.nan), np.full(2, np.nan))
    # A channel narrower than SEAL_MM (the facet joint's space, a slit between a process
    # and the sacrum) is sealed by capsule and ligament: it is not part of the opening.
    core = free.copy()
    for _ in range(int(round(0.5 * SEAL_MM / step))):
        core = ~_grow(~core)
    core &= free
    out = [shut] * len(solid)
    open_, picks = [], []
    for k in range(len(solid)):
        if not free[k].any() or not core[k].any():
            continue
        iu, iw = np.nonzero(core[k])
        nearest = np.argmin((ticks[iu] - seeds[k][0]) ** 2 + (ticks[iw] - seeds[k][1]) ** 2)
        picks.append((len(open_), iu[nearest], iw[nearest]))
        open_.append(k)
    if not open_:
        return out
    region = _component(core[open_], picks)
    for _ in range(int(round(0.5 * SEAL_MM / step))):
        region = _grow(region) & free[open_]
    for k, reg in zip(open_, region, strict=True):
        out[k] = _measured(reg, ticks, step, discs[k])
    return out


def _measured(region: np.ndarray, ticks: np.ndarray, step: float, disc: tuple[float, float]):
    """(:class:`Foramen`, the (u, w) ends of its narrowest width at ``disc`` level) of an opening."""
    closed = not (region[0].any() or region[-1].any() or region[:, 0].any() or region[:, -1].any())
    rows = np.flatnonzero(region.any(axis=0))
    height = (rows[-1] - rows[0] + 1) * step
    at_disc = np.flatnonzero((ticks >= disc[0]) & (ticks <= disc[1]) & region.any(axis=0))
    ends = (np.full(2, np.nan), np.full(2, np.nan))
    width = 0.0
    if at_disc.size:
        counts = region.sum(axis=0)[at_disc]
        row = at_disc[np.argmin(counts)]
        width = float(counts.min() * step)
        cols = np.flatnonzero(region[:, row])
        # Cell edges: from the front of the foremost free cell to the back of the hindmost.
        ends = (np.array([ticks[cols[-1]] + 0.5 * step, ticks[row]]),
                np.array([ticks[cols[0]] - 0.5 * step, ticks[row]]))
    return Foramen(float(height), width, float(region.sum() * step * step), bool(closed)), ends


def facet_angle(cartilage, marks: dict[str, np.ndarray]) -> float:
    """Orientation of a facet joint (degrees from the sagittal plane), as measured on axial
    CT: the line along the joint in the axial section through the joint's middle height,
    fitted to its cartilage (both layers) there."""
    u, w, _ = s1_axes(marks)
    points = np.asarray(cartilage.points)
    height = (points - points.mean(axis=0)) @ w
    section = points[np.abs(height) < 1.0]
    flat = np.column_stack([section[:, 0], section @ u])
    flat -= flat.mean(axis=0)
    along = np.linalg.svd(flat, full_matrices=False)[2][0]
    return float(np.degrees(np.arctan2(abs(along[0]), abs(along[1]))))


def root_clearance(structures: dict[str, pv.PolyData], root: str) -> float:
    """Smallest gap (mm) between a root and bone or disc; negative when compressed."""
    mesh = structures[root]
    lo = np.array(mesh.bounds[::2]) - 3.0
    hi = np.array(mesh.bounds[1::2]) + 3.0
    best = np.inf
    for name in OBSTACLES:
        if name not in structures:
            continue
        other = structures[name]
        olo = np.array(other.bounds[::2])
        ohi = np.array(other.bounds[1::2])
        if np.any(olo > hi) or np.any(ohi < lo):
            continue
        centres = other.cell_centers().points
        keep = np.all((centres >= lo) & (centres <= hi), axis=1)
        if not keep.any():
            continue
        near = other.extract_cells(np.flatnonzero(keep)).extract_surface(algorithm="dataset_surface")
        gap, _ = clearance(mesh, near, closed_b=other)
        best = min(best, gap)
    return float(best)


def disc_extent(structures: dict[str, pv.PolyData], marks: dict[str, np.ndarray]) -> float:
    """How far (mm) disc material reaches behind the posterior rim of the S1 endplate."""
    u, _, _ = s1_axes(marks)
    parts = ("disc_annulus", "disc_nucleus", "herniation_fragment")
    # Part by part, in the type they would have stacked to: the same maximum, without
    # stacking the disc's vertices first.
    pts = [np.asarray(structures[k].points) for k in parts if k in structures]
    kind = np.result_type(*pts)
    behind = max(float((-(p.astype(kind, copy=False) - marks["S1_endplate_posterior"]) @ u).max()) for p in pts)
    return float(max(behind, 0.0))


def ganglion_centre(root: pv.PolyData) -> np.ndarray:
    """Centre of an L5 root's dorsal root ganglion (the ring it was swept with)."""
    k = int(root.field_data["ganglion_index"][0])
    return root.points[root.point_data["axis_index"] == k].mean(axis=0)


def readouts(
    structures: dict[str, pv.PolyData],
    marks: dict[str, np.ndarray],
    pathology,
    root_gaps: dict | None = None,
    distance_at=None,
    facet_angles: dict | None = None,
    section_points: np.ndarray | None = None,
) -> dict:
    """Every readout the command line and the viewer show, measured from the geometry.

    ``root_gaps`` are the posed roots' gaps before they yielded (see :mod:`meshes.pose`):
    a yielding root has no gap left on its surface, so its compression is read there.
    ``distance_at(points)`` (negative in bone or disc) replaces the surfaces' inside
    test for the foramen: the pose's distance fields answer it in a fraction of the time.
    ``facet_angles`` (side -> degrees) are facet angles already measured on these surfaces.
    ``section_points``: the foramen's (see :func:`foramina_in`), when already at hand.
    """
    slip = slip_percent(marks)
    ant, post = disc_heights_read(marks)
    if distance_at is None:
        opening = {side: foramen(structures, marks, side) for side in ("left", "right")}
    else:
        opening = foramina_in(distance_at, structures, marks, coarse=READOUT_COARSE, points=section_points)
    foramina = {
        side: {"height_mm": round(f.height, 2), "width_mm": round(f.width, 2), "area_mm2": round(f.area, 1),
               "closed": f.closed}
        for side, f in opening.items()
    }
    roots = {}
    for root in ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"):
        gap = root_gaps[root] if root_gaps is not None else root_clearance(structures, root)
        roots[root] = {"clearance_mm": round(gap, 2), "compressed": bool(gap < 0.0)}
    angles = facet_angles or {}
    facets = {side: round(angles[side] if side in angles else facet_angle(structures[f"facet_cartilage_{side}"], marks),
                          1) for side in ("left", "right") if f"facet_cartilage_{side}" in structures}
    return {
        "slip_percent": round(slip, 2) + 0.0,  # (+ 0.0: a rest slip of -0.004 reads 0, not -0)
        "meyerding_grade": meyerding_grade(slip),
        "slip_angle_deg": round(slip_angle_deg(marks), 2) + 0.0,
        "disc_height_anterior_mm": ant,
        "disc_height_posterior_mm": post,
        "foramen": foramina,
        "facet_angle_deg": facets,
        "roots": roots,
        "herniation": {
            "stage": pathology.stage,
            "zone": pathology.zone,
            "side": pathology.side,
            "extent_mm": round(disc_extent(structures, marks), 2),
        },
    }
