"""Clinical measurements taken from the (posed) geometry, never from the inputs.

All functions take world-frame surfaces and landmarks (RAS, mm). Definitions:

- Slip: displacement of L5's posterior-inferior corner past S1's posterior-superior
  corner along the S1 endplate, as a percentage of the S1 endplate's depth
  (Meyerding 1932; bands as in the project's anatomy notes).
- Slip angle: between L5's inferior endplate and the perpendicular to S1's posterior
  border (here the S1 endplate line); positive when kyphotic, negative when lordotic.
- Disc heights: L5's anterior and posterior inferior rim corners above the S1 endplate plane;
  none (None) for a corner that has slipped off the front of S1, where no disc lies under it.
  These three are read together from L5's two inferior corners (:func:`alignment`).
- Foramen (as on parasagittal CT: Razzouk 2023, Gkasdaris 2018): in the parasagittal
  plane through the middle of the L5 pedicle, the opening around the L5 root bounded by
  bone and disc: its height along the S1 endplate normal (pedicle to pedicle), its
  narrowest anterior–posterior width at disc level (disc to facet), its area in mm².
- Facet angle: the joint line on the axial section through the joint's middle, from the
  sagittal plane (as on axial CT; about 47 degrees at L5–S1, Jentzsch 2013).
- Root clearance: the smallest gap between a root and any bone or disc surface,
  negative when they overlap (the root is compressed).

The foramen's section and flood fill are :mod:`meshes.foramen` and :mod:`meshes.flood_fill`;
the S1 endplate's axes (:func:`s1_axes`) are :mod:`meshes.frames`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyvista as pv

from meshes.foramen import OBSTACLES, foramen, foramina_in
from meshes.frames import s1_axes
from meshes.geometry import clearance

# Below this slip (about 0.6 mm on a 32 mm endplate) the corners are aligned within
# the accuracy of the landmarks, and the grade is "none".
NO_SLIP = 2.0
MEYERDING_BANDS = ((NO_SLIP, "none"), (25.0, "I"), (50.0, "II"), (75.0, "III"), (100.0, "IV"))
# With a distance function, the readouts sample the foramen's section every this many steps.
READOUT_COARSE = 3


def meyerding_grade(slip_percent: float) -> str:
    """Meyerding grade for a slip: none, I-IV, or V above 100%.

    Bands: I up to 25%, II up to 50%, III up to 75%, IV up to 100%; a band includes
    its upper edge. Slips under :data:`NO_SLIP` percent are graded "none".

    Parameters
    ----------
    slip_percent : float
        The slip, percent of the S1 endplate's depth (read as rounded to 0.01).

    Returns
    -------
    str
        ``"none"``, ``"I"``, ``"II"``, ``"III"``, ``"IV"`` or ``"V"``.
    """
    slip = round(float(slip_percent), 2)  # as read out: a band's edge is read as its own
    for upper, grade in MEYERDING_BANDS:
        if slip <= upper:
            return grade
    return "V"


class Alignment(NamedTuple):
    """How L5's inferior endplate sits on S1's (see :func:`alignment`)."""

    slip_percent: float  # percent of S1's endplate depth; negative: retrolisthesis
    slip_angle_deg: float  # degrees; positive kyphotic, negative lordotic
    disc_anterior_mm: float  # L5's anterior-inferior corner above S1's endplate plane (mm)
    disc_posterior_mm: float  # ... and its posterior-inferior corner (mm); negative below


def alignment(marks: dict[str, np.ndarray]) -> Alignment:
    """Slip, slip angle and disc heights: L5's two inferior rim corners against S1's endplate.

    The slip is L5's posterior-inferior corner past S1's posterior-superior corner along the
    S1 endplate. The slip angle is Boxall's (1979): L5's inferior endplate line to a line
    square to the posterior wall of S1's body (:func:`boxall_reference`), positive (kyphotic)
    when L5's anterior corner dips below that line. The disc heights are the corners' heights square to the
    S1 endplate, as on a lateral radiograph, so a slip that carries L5 forward does not read
    as a taller disc (rim-to-rim distances would).

    Parameters
    ----------
    marks : dict of str to ndarray
        Landmarks, rest or posed (world frame RAS: +x right, +y anterior, +z superior; mm);
        L5's ``inferior_endplate_anterior``/``_posterior`` corners and S1's endplate points
        are read.

    Returns
    -------
    Alignment
        Slip (percent of the S1 endplate's depth), slip angle (degrees) and the anterior and
        posterior disc heights (mm, negative below S1's endplate plane).
    """
    u, w, depth = s1_axes(marks)
    base = marks["S1_endplate_posterior"]
    front, back = marks["L5_inferior_endplate_anterior"], marks["L5_inferior_endplate_posterior"]
    l5 = front - back
    square, wall = boxall_reference(marks)
    return Alignment(
        float(100.0 * np.dot(back - base, u) / depth),
        float(-np.degrees(np.arctan2(np.dot(l5, wall), np.dot(l5, square)))),
        float((front - base) @ w),
        float((back - base) @ w),
    )


def boxall_reference(marks: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The line Boxall's slip angle is read against: square to the posterior wall of S1's body.

    Parameters
    ----------
    marks : dict of str to ndarray
        Landmarks (world frame RAS, mm) with ``S1_posterior_wall_superior`` and
        ``S1_posterior_wall_inferior``.

    Returns
    -------
    square : (3,) ndarray
        Unit vector in the sagittal plane, square to the wall, pointing forward.
    wall : (3,) ndarray
        Unit vector up the wall (inferior to superior).
    """
    wall = marks["S1_posterior_wall_superior"] - marks["S1_posterior_wall_inferior"]
    wall = np.array([0.0, wall[1], wall[2]]) / np.hypot(wall[1], wall[2])
    return np.array([0.0, wall[2], -wall[1]]), wall


def disc_heights_read(marks: dict[str, np.ndarray]) -> tuple[float | None, float | None]:
    """The disc heights of :func:`alignment` as read out, never a negative number.

    A corner of L5 that hangs down in front of S1 (past its endplate and below its plane), or
    a posterior corner that has slipped off S1's front (by more than :data:`OVER_S1_MM`), has
    no disc under it, and its height is None.

    Parameters
    ----------
    marks : dict of str to ndarray
        Landmarks, rest or posed (world frame RAS, mm): where L5's inferior corners lie along
        S1's endplate decides whether any disc is under them.

    Returns
    -------
    (float or None, float or None)
        Anterior and posterior heights (mm, rounded to 0.01, at least 0), or None.
    """
    u, _, depth = s1_axes(marks)
    base = marks["S1_endplate_posterior"]
    lined = alignment(marks)
    out = []
    for corner, height in (("anterior", lined.disc_anterior_mm), ("posterior", lined.disc_posterior_mm)):
        along = float((marks[f"L5_inferior_endplate_{corner}"] - base) @ u)
        off = along > depth + OVER_S1_MM and (corner == "posterior" or height < 0.0)
        out.append(None if off else round(max(height, 0.0), 2))
    return out[0], out[1]


# A corner this far (mm) past the front of the S1 endplate still stands over its rim.
OVER_S1_MM = 0.5


def facet_angle(cartilage, marks: dict[str, np.ndarray]) -> float:
    """Orientation of a facet joint, as measured on axial CT.

    The line along the joint in the axial section through the joint's middle height, fitted
    to its cartilage (both layers) there.

    Parameters
    ----------
    cartilage : pyvista.PolyData
        The joint's cartilage, both layers (world frame RAS, mm).
    marks : dict of str to ndarray
        Landmarks (world frame RAS, mm): S1's endplate gives the axial plane and the
        anterior direction the angle is read against.

    Returns
    -------
    float
        Degrees from the sagittal plane (0-90).
    """
    u, w, _ = s1_axes(marks)
    points = np.asarray(cartilage.points)
    height = (points - points.mean(axis=0)) @ w
    section = points[np.abs(height) < 1.0]
    flat = np.column_stack([section[:, 0], section @ u])
    flat -= flat.mean(axis=0)
    along = np.linalg.svd(flat, full_matrices=False)[2][0]
    return float(np.degrees(np.arctan2(abs(along[0]), abs(along[1]))))


def sac_area_at_disc(structures: dict[str, pv.PolyData], marks: dict[str, np.ndarray]) -> float:
    """The dural sac's cross-section (mm²) in the disc's mid-plane, as an axial MRI slice through
    the disc shows it (Schönström's measure: under about 100 mm² relative stenosis).

    The plane lies parallel to S1's upper endplate (square to the sac's course behind the disc),
    halfway up to the centre of L5's lower endplate; the section is read off the drawn (posed)
    sac, so a herniation that dents the sac shrinks it. (A plane square to the line between the
    two endplates' centres tilts toward the horizontal as L5 slips, and missed the sac.)

    Parameters
    ----------
    structures : dict
        Holds ``dural_sac`` (world frame, mm).
    marks : dict
        ``S1_endplate_center``, ``_anterior`` and ``_posterior``, ``L5_inferior_endplate_anterior``
        and ``_posterior`` (mm).

    Returns
    -------
    float
        The area inside the section's outline (mm²); 0 when the plane misses the sac.
    """
    s1 = np.asarray(marks["S1_endplate_center"], float)
    l5 = 0.5 * (np.asarray(marks["L5_inferior_endplate_anterior"], float)
                + np.asarray(marks["L5_inferior_endplate_posterior"], float))
    forward = np.asarray(marks["S1_endplate_anterior"], float) - np.asarray(marks["S1_endplate_posterior"], float)
    normal = np.cross(forward, [1.0, 0.0, 0.0])  # in the mid-sagittal plane, square to the endplate
    normal = normal / np.linalg.norm(normal) * (1.0 if normal[2] > 0 else -1.0)
    origin = s1 + normal * 0.5 * float((l5 - s1) @ normal)
    sac = structures["dural_sac"]
    if not isinstance(sac, pv.DataSet):  # the pose's light points, with the rest's faces
        sac = pv.PolyData(np.asarray(sac.points), sac.faces)
    cut = sac.slice(normal=normal, origin=origin).strip()
    points, lines = np.asarray(cut.points), np.asarray(cut.lines)
    area, i = 0.0, 0
    while i < len(lines):
        loop = points[lines[i + 1: i + 1 + lines[i]]] - origin
        i += lines[i] + 1
        area += 0.5 * float(np.cross(loop, np.roll(loop, -1, axis=0)).sum(axis=0) @ normal)
    return abs(area)


def sacral_slope(marks: dict[str, np.ndarray]) -> float:
    """The sacral slope (degrees): the S1 endplate's tilt from the horizontal, standing, read on
    the mid-sagittal line from its posterior to its anterior corner (world frame RAS, +z up).

    Parameters
    ----------
    marks : dict
        ``S1_endplate_anterior`` and ``S1_endplate_posterior`` (mm).

    Returns
    -------
    float
        Positive when the endplate's front lies lower than its back (as it does).
    """
    d = np.asarray(marks["S1_endplate_anterior"], float) - np.asarray(marks["S1_endplate_posterior"], float)
    return float(np.degrees(np.arctan2(-d[2], np.hypot(d[0], d[1]))))


def root_clearance(structures: dict[str, pv.PolyData], root: str) -> float:
    """Smallest gap between a root and bone, disc or pars scar; negative when compressed.

    Parameters
    ----------
    structures : dict of str to pyvista.PolyData
        The (posed) surfaces, world frame RAS, mm (those of :data:`OBSTACLES` present count).
    root : str
        The root, e.g. ``"root_L5_left"``.

    Returns
    -------
    float
        The gap (mm); inf when nothing is within 3 mm of the root's bounds.
    """
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
    """How far disc material reaches behind the posterior rim of the S1 endplate.

    Parameters
    ----------
    structures : dict of str to pyvista.PolyData
        The (posed) surfaces: the annulus, the nucleus and a fragment if present (world, mm).
    marks : dict of str to ndarray
        The (posed) landmarks (world frame RAS, mm): S1's posterior-superior corner, and its
        endplate's direction to measure along.

    Returns
    -------
    float
        The reach (mm) along the S1 endplate, backward; 0 when none is behind.
    """
    u, _, _ = s1_axes(marks)
    parts = ("disc_annulus", "disc_nucleus", "herniation_fragment")
    # Part by part, in the type they would have stacked to: the same maximum, without
    # stacking the disc's vertices first.
    pts = [np.asarray(structures[k].points) for k in parts if k in structures]
    kind = np.result_type(*pts)
    behind = max(float((-(p.astype(kind, copy=False) - marks["S1_endplate_posterior"]) @ u).max()) for p in pts)
    return float(max(behind, 0.0))


def ganglion_centre(root: pv.PolyData) -> np.ndarray:
    """Centre of an L5 root's dorsal root ganglion (the ring it was swept with).

    Parameters
    ----------
    root : pyvista.PolyData
        An L5 root's surface, with ``axis_index`` and ``ganglion_index`` (world frame RAS, mm).

    Returns
    -------
    (3,) ndarray
        The ganglion ring's mean point (world, mm).
    """
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

    Parameters
    ----------
    structures : dict of str to pyvista.PolyData
        The (posed) surfaces, world frame RAS (+x right, +y anterior, +z superior), mm.
    marks : dict of str to ndarray
        The (posed) landmarks (world, mm).
    pathology : Pathology
        The state (its herniation stage, zone and side are reported).
    root_gaps : dict, optional
        The posed roots' gaps (mm) before they yielded (see :mod:`meshes.pose`): a yielding
        root has no gap left on its surface, so its compression is read there.
    distance_at : callable, optional
        ``points -> mm``, negative in bone or disc: replaces the surfaces' inside test for the
        foramen (the pose's distance fields answer it in a fraction of the time).
    facet_angles : dict, optional
        Side -> degrees: facet angles already measured on these surfaces.
    section_points : ndarray, optional
        The foramen's (see :func:`meshes.foramen.foramina_in`), when already at hand.

    Returns
    -------
    dict
        ``slip_percent`` (percent of the S1 endplate's depth), ``meyerding_grade``,
        ``slip_angle_deg`` (degrees), ``dural_sac_area_mm2`` (:func:`sac_area_at_disc`),
        ``sacral_slope_deg`` (:func:`sacral_slope`) and
        ``endplate_shear_share`` (its sine: the share of a vertical load that pushes along S1's
        endplate, the slip's direction), ``disc_height_anterior_mm`` and
        ``disc_height_posterior_mm`` (mm or None), ``foramen`` (per side: height and width mm,
        area mm^2, closed), ``facet_angle_deg`` (per side, degrees), ``roots`` (per root:
        clearance mm, compressed) and ``herniation`` (stage, zone, side, extent mm).
    """
    lined = alignment(marks)
    slip = lined.slip_percent
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
        # Compressed as read out: a root 0.004 mm into a surface touches it, and read "-0.0 mm compressed".
        shown = round(gap, 2) + 0.0
        roots[root] = {"clearance_mm": shown, "compressed": bool(shown < 0.0)}
    angles = facet_angles or {}
    facets = {side: round(angles[side] if side in angles else facet_angle(structures[f"facet_cartilage_{side}"], marks),
                          1) for side in ("left", "right") if f"facet_cartilage_{side}" in structures}
    slope = sacral_slope(marks)
    return {
        "dural_sac_area_mm2": round(sac_area_at_disc(structures, marks), 0) + 0.0,
        "sacral_slope_deg": round(slope, 1),
        "endplate_shear_share": round(float(np.sin(np.radians(slope))), 2),
        "slip_percent": round(slip, 2) + 0.0,  # (+ 0.0: a rest slip of -0.004 reads 0, not -0)
        "meyerding_grade": meyerding_grade(slip),
        "slip_angle_deg": round(lined.slip_angle_deg, 2) + 0.0,
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
