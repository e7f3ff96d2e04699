"""Osteophytes of degenerative disc disease: traction spurs round the endplates' rims.

They appear a third of the way into degeneration (:func:`spur_growth`) as one smooth ridge
a millimetre or two off each endplate, biggest in front and at the sides, and curl toward
the disc (:func:`rim_spurs`, worked out once at rest at full size). The disc's margin rides
over them as they grow (:func:`spur_drape`, :func:`over_the_spurs`); S1's front spurs fade
as L5 rolls off its front in a high-grade slip (:func:`spur_displacement`). World frame RAS
(+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.rest import Rest, SpurDrape, Spurs
from meshes.sdf_primitives import smoothstep

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


def spur_growth(degeneration: float) -> float:
    """How far grown the osteophytes are.

    Parameters
    ----------
    degeneration : float
        Degenerative disc disease, 0 (healthy) to 1 (advanced).

    Returns
    -------
    float
        0..1 of their full size: none before 0.3 (a third of the way), full at 1.
    """
    return smoothstep(0.3, 1.0, degeneration)


def rim_spurs(mesh: pv.PolyData, anterior: np.ndarray, posterior: np.ndarray, toward_disc: np.ndarray,
              allowed: np.ndarray | None) -> Spurs:
    """Osteophytes around an endplate's rim, at full size.

    The rim is the side wall within a few mm of the endplate. Spurs grow outward and curl
    toward the disc, biggest in front and at the sides (where traction spurs form) and
    small behind; a fixed ripple keeps them from looking like a smooth collar.

    Parameters
    ----------
    mesh : pyvista.PolyData
        The bone's rest surface (world frame RAS, mm).
    anterior, posterior : (3,) ndarray
        The endplate's anterior and posterior rim corners (world, mm).
    toward_disc : (3,) ndarray
        Direction from the endplate into the disc (need not be unit).
    allowed : (n,) ndarray of bool or None
        The vertices spurs may grow on (L5: its anterior column); None: all.

    Returns
    -------
    Spurs
        The spur vertices' ids and full-grown displacements (mm, world frame).
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
    return Spurs(*_smoothed_spurs(p, ids, disp, allowed))


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


def spur_displacement(rest: Rest, bone: str, growth: float, left: float) -> np.ndarray:
    """Each of a bone's spur vertices' displacement in a posed state.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    bone : str
        ``"L5"`` or ``"S1"``.
    growth : float
        0..1: how far grown (:func:`spur_growth`).
    left : float
        0..1: how far L5 has rolled off S1's front (see
        :data:`meshes.disc_shear.LEFT_ON_SACRUM`); S1's front spurs fade by it, where the
        sacral dome rounds off instead.

    Returns
    -------
    (len(ids), 3) ndarray
        Displacements (mm, world frame RAS) of ``rest.spurs[bone].ids``.
    """
    ids, disp = rest.spurs[bone]
    out = growth * disp
    if bone == "S1" and left > 0.0:
        front = smoothstep(0.0, 0.5, (disp @ rest.u) / np.maximum(np.linalg.norm(disp, axis=1), 1e-9))
        out = out * (1.0 - left * front)[:, None]
    return out


def over_the_spurs(rest: Rest, name: str, points: np.ndarray, spur_disp: dict[str, np.ndarray]) -> np.ndarray:
    """The rest disc's margin lifted over the osteophytes growing under it at the rims.

    Each disc vertex near a spur goes with it, by less the farther it was (before the disc
    is sheared and squeezed, so its layers keep their order).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment: which disc vertices ride over which spur, and by how much
        (``spur_drape``, see :func:`spur_drape`).
    name : str
        Which disc surface is lifted, ``"disc_annulus"`` or ``"disc_nucleus"``.
    points : (n, 3) ndarray
        The surface's vertices before the shear (world frame RAS, mm).
    spur_disp : dict of str to ndarray
        Each bone's spur displacements (:func:`spur_displacement`); empty: no spurs.

    Returns
    -------
    (n, 3) ndarray
        The lifted vertices; ``points`` itself without spurs.
    """
    if not spur_disp:
        return points
    out = points.copy()
    for bone, (ids, near, weight) in rest.spur_drape[name].items():
        out[ids] += spur_disp[bone][near] * weight[:, None]
    return out


def spur_drape(disc: np.ndarray, bones: dict[str, np.ndarray], spurs: dict[str, Spurs]) -> dict[str, SpurDrape]:
    """Which disc vertices ride over each bone's spurs, worked out once at rest.

    Parameters
    ----------
    disc : (n, 3) ndarray
        A disc surface's rest vertices (world frame RAS, mm).
    bones : dict of str to ndarray
        Each bone's rest vertices.
    spurs : dict of str to Spurs
        Each bone's spurs (:func:`rim_spurs`).

    Returns
    -------
    dict of str to SpurDrape
        Per bone: the disc vertices within :data:`SPUR_DRAPE_MM` of one of its spur vertices at
        rest, that spur vertex's index in the spur list and the vertex's weight (0..1).
    """
    from scipy.spatial import cKDTree

    out = {}
    for bone, (ids, _) in spurs.items():
        d, j = cKDTree(bones[bone][ids]).query(disc)
        near = np.flatnonzero(d < SPUR_DRAPE_MM)
        out[bone] = SpurDrape(near, j[near], smoothstep(SPUR_DRAPE_MM, 0.0, d[near]))
    return out
