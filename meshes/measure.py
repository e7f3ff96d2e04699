"""Clinical measurements taken from the (posed) geometry, never from the inputs.

All functions take world-frame surfaces and landmarks (RAS, mm). Definitions:

- Slip: displacement of L5's posterior-inferior corner past S1's posterior-superior
  corner along the S1 endplate, as a percentage of the S1 endplate's depth
  (Meyerding 1932; bands as in the project's anatomy notes).
- Slip angle: between L5's inferior endplate and the perpendicular to S1's posterior
  border (here the S1 endplate line); positive when kyphotic, negative when lordotic.
- Disc heights: L5's anterior and posterior inferior rim corners above the S1 endplate plane.
- Foramen: in the parasagittal plane through the L5 ganglion, the bone- and disc-free
  opening around it: height along the S1 endplate normal, area in mm².
- Root clearance: the smallest gap between a root and any bone or disc surface,
  negative when they overlap (the root is compressed).
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.geometry import clearance, inside

# Below this slip (about 0.6 mm on a 32 mm endplate) the corners are aligned within
# the accuracy of the landmarks, and the grade is "none".
NO_SLIP = 2.0
MEYERDING_BANDS = ((NO_SLIP, "none"), (25.0, "I"), (50.0, "II"), (75.0, "III"), (100.0, "IV"))
OBSTACLES = ("L5", "S1", "disc_annulus", "disc_nucleus")


def meyerding_grade(slip_percent: float) -> str:
    """Meyerding grade for a slip (% of S1 endplate depth): none, I–IV, or V above 100%.

    Bands: I up to 25%, II up to 50%, III up to 75%, IV up to 100%; a band includes
    its upper edge. Slips under :data:`NO_SLIP` percent are graded "none".
    """
    for upper, grade in MEYERDING_BANDS:
        if slip_percent <= upper:
            return grade
    return "V"


def s1_axes(marks: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, float]:
    """(anterior unit vector along the S1 endplate, its normal, endplate depth mm)."""
    ant = marks["S1_endplate_anterior"] - marks["S1_endplate_posterior"]
    depth = float(np.linalg.norm(ant))
    u = ant / depth
    normal = np.cross(np.array([1.0, 0.0, 0.0]), u)
    return u, normal / np.linalg.norm(normal), depth


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


def foramen(
    structures: dict[str, pv.PolyData],
    marks: dict[str, np.ndarray],
    seed: np.ndarray,
    step: float = 0.5,
    reach: float = 16.0,
) -> tuple[float, float]:
    """(height mm, area mm²) of the foramen around ``seed`` in its parasagittal plane.

    The plane is spanned by the S1 endplate's AP direction and its normal. Height is
    measured along the normal through the seed; area counts free cells row by row,
    each row walked forward and back from the seed's AP position until bone or disc,
    and no farther than ``reach`` mm (where a foramen opens without bony walls).
    """
    return foramen_in(lambda pts: np.where(_inside_any(structures, pts), -1.0, 1.0), marks, seed, step, reach)


def _inside_any(structures: dict[str, pv.PolyData], pts: np.ndarray) -> np.ndarray:
    solid = np.zeros(len(pts), dtype=bool)
    for name in OBSTACLES:
        mesh = structures[name]
        lo = np.array(mesh.bounds[::2])
        hi = np.array(mesh.bounds[1::2])
        near = np.all((pts >= lo) & (pts <= hi), axis=1)
        if near.any():
            solid[near] |= inside(pts[near], mesh)
    return solid


def foramen_in(
    distance_at,
    marks: dict[str, np.ndarray],
    seed: np.ndarray,
    step: float = 0.5,
    reach: float = 16.0,
    coarse: int = 1,
) -> tuple[float, float]:
    """:func:`foramen` with ``distance_at(points)``, negative in bone or disc."""
    return foramina_in(distance_at, marks, {"": seed}, step, reach, coarse)[""]


def foramina_in(
    distance_at,
    marks: dict[str, np.ndarray],
    seeds: dict[str, np.ndarray],
    step: float = 0.5,
    reach: float = 16.0,
    coarse: int = 1,
) -> dict[str, tuple[float, float]]:
    """(height, area) of the foramen around each seed, with one call to ``distance_at``.

    With ``coarse`` > 1 the distance is sampled every ``coarse`` steps and interpolated
    in between, which is exact enough for smooth signed distances.
    """
    u, w, _ = s1_axes(marks)
    n = int(round(reach / step))
    ticks = step * np.arange(-n, n + 1)
    few = ticks[::coarse]
    grid_u, grid_w = np.meshgrid(few, few, indexing="ij")
    plane = grid_u.ravel()[:, None] * u + grid_w.ravel()[:, None] * w
    pts = np.vstack([seed + plane for seed in seeds.values()])
    values = distance_at(pts).reshape(len(seeds), *grid_u.shape)
    spread = _interpolation(few, ticks)
    out = {}
    for key, v in zip(seeds, values, strict=True):
        if coarse > 1:
            v = spread @ v @ spread.T
        out[key] = _opening(v < 0.0, step)
    return out


def _interpolation(few: np.ndarray, ticks: np.ndarray) -> np.ndarray:
    """Matrix taking samples at ``few`` to their linear interpolation at ``ticks``."""
    return np.stack([np.interp(ticks, few, unit) for unit in np.eye(len(few))], axis=1)


def _opening(solid: np.ndarray, step: float) -> tuple[float, float]:
    """Height and area of the free region around the centre cell of a boolean grid."""
    n = solid.shape[0]
    c = n // 2
    if solid[c, c]:
        return 0.0, 0.0
    up = next((k for k in range(c, n) if solid[c, k]), n - 1)
    down = next((k for k in range(c, -1, -1) if solid[c, k]), 0)
    height = (up - down - 1) * step
    area = 0.0
    for k in range(down + 1, up):
        fwd = next((i for i in range(c, n) if solid[i, k]), n - 1)
        back = next((i for i in range(c, -1, -1) if solid[i, k]), 0)
        area += (fwd - back - 1) * step * step
    return float(height), float(area)


def root_clearance(structures: dict[str, pv.PolyData], root: str) -> float:
    """Smallest gap (mm) between a root and bone or disc; negative when compressed."""
    mesh = structures[root]
    lo = np.array(mesh.bounds[::2]) - 3.0
    hi = np.array(mesh.bounds[1::2]) + 3.0
    best = np.inf
    for name in OBSTACLES:
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
    pts = np.vstack([structures[k].points for k in parts if k in structures])
    behind = -(pts - marks["S1_endplate_posterior"]) @ u
    return float(max(behind.max(), 0.0))


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
) -> dict:
    """Every readout the command line and the viewer show, measured from the geometry.

    ``root_gaps`` are the posed roots' gaps before they yielded (see :mod:`meshes.pose`):
    a yielding root has no gap left on its surface, so its compression is read there.
    ``distance_at(points)`` (negative in bone or disc) replaces the surfaces' inside
    test for the foramen: the pose's distance fields answer it in a fraction of the time.
    """
    slip = slip_percent(marks)
    ant, post = disc_heights(marks)
    seeds = {side: ganglion_centre(structures[f"root_L5_{side}"]) for side in ("left", "right")}
    if distance_at is None:
        opening = {side: foramen(structures, marks, seed) for side, seed in seeds.items()}
    else:
        opening = foramina_in(distance_at, marks, seeds, coarse=4)
    foramina = {side: {"height_mm": round(h, 2), "area_mm2": round(a, 1)} for side, (h, a) in opening.items()}
    roots = {}
    for root in ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"):
        gap = root_gaps[root] if root_gaps is not None else root_clearance(structures, root)
        roots[root] = {"clearance_mm": round(gap, 2), "compressed": bool(gap < 0.0)}
    return {
        "slip_percent": round(slip, 2),
        "meyerding_grade": meyerding_grade(slip),
        "slip_angle_deg": round(slip_angle_deg(marks), 2),
        "disc_height_anterior_mm": round(ant, 2),
        "disc_height_posterior_mm": round(post, 2),
        "foramen": foramina,
        "roots": roots,
        "herniation": {
            "stage": pathology.stage,
            "zone": pathology.zone,
            "side": pathology.side,
            "extent_mm": round(disc_extent(structures, marks), 2),
        },
    }
