"""The fibrocartilaginous scar ("Gill tissue") at each pars defect of an isthmic slip.

As the anterior column slides forward, the gap at each pars opens between the column's
stump and the arch's. The defect fills with a fibrocartilaginous mass that bridges the
two stumps and bulges forward and down into the foramen, where it presses the exiting
L5 root from behind and above (ANATOMY.md: "The exiting L5 roots are pinched in the
narrowing foramina, mainly by the fibrocartilaginous scar ...").

The scar is a deformed sphere of fixed topology: an ellipsoid spanning the two stumps
(overlapping each by :data:`SCAR_GRIP_MM`), with a lobe toward the L5 root that grows
with the slip. It has no size without a slip.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyvista as pv
from scipy.spatial import cKDTree

from meshes.sdf_primitives import smoothstep

SIDES = ("left", "right")
# Where the two shells of L5 meet flush, their vertices lie this close (mm).
FLUSH_MM = 0.3
# The scar grips each stump this far (mm) past its cut face, and reaches its full
# girth by this slip (fraction of the S1 depth).
SCAR_GRIP_MM = 2.0
SCAR_FULL_AT = 0.15
# Its girth: this share of the cut face's spread, each way (the cut's own size).
SCAR_GIRTH = 1.4
# Past this gap (mm) between the stumps the scar is stretched: it keeps its volume, so its
# girth thins as the gap lengthens (a grade III-V slip pulls the stumps centimetres apart).
SCAR_STRETCH_FROM_MM = 15.0
# The lobe into the foramen: it starts to grow at the first of these slips and reaches
# the L5 root's surface, and then 2 mm into it, at the second.
LOBE_SLIPS = (0.1, 0.35)
LOBE_PAST_MM = 2.0
# The lobe's breadth (mm): how far round its tip the scar's surface is drawn out with it.
LOBE_PATCH_MM = 5.0


@dataclass
class Defect:
    """One pars defect at rest: its two cut faces (L5 vertex ids) and their shape."""

    column_ids: np.ndarray  # the column's cut face (moves with the slip)
    arch_ids: np.ndarray  # the arch's cut face (stays)
    spread: np.ndarray  # (2, 3): the cut face's two long directions, scaled by their spreads (mm)
    normal: np.ndarray  # the cut face's normal (unit)


def defects(l5: pv.PolyData, column: np.ndarray) -> dict[str, Defect]:
    """The two pars defects of the rest L5: where its column and arch shells meet flush.

    A defect's cut faces are the vertices of one shell within FLUSH_MM of the other's, on
    that side of the midline; their spread comes from the column face's principal axes.

    Parameters
    ----------
    l5 : pyvista.PolyData
        L5's surface in the rest pose (world frame RAS, mm).
    column : (n,) ndarray of bool
        Per L5 vertex: True on the anterior column, False on the posterior arch.

    Returns
    -------
    dict of str to Defect
        ``"left"`` and ``"right"`` -> that side's defect.
    """
    pts = np.asarray(l5.points)
    col_ids, arch_ids = np.flatnonzero(column), np.flatnonzero(~column)
    near_arch = cKDTree(pts[arch_ids]).query(pts[col_ids])[0] < FLUSH_MM
    near_col = cKDTree(pts[col_ids]).query(pts[arch_ids])[0] < FLUSH_MM
    out = {}
    for side, sx in (("left", -1.0), ("right", 1.0)):
        c = col_ids[near_arch & (pts[col_ids, 0] * sx > 0.0)]
        a = arch_ids[near_col & (pts[arch_ids, 0] * sx > 0.0)]
        face = pts[c] - pts[c].mean(axis=0)
        _, sing, axes = np.linalg.svd(face, full_matrices=False)
        std = sing / np.sqrt(max(len(c), 1))
        out[side] = Defect(c, a, axes[:2] * std[:2, None], axes[2])
    return out


def unit_sphere() -> pv.PolyData:
    """The scar's topology: a unit sphere.

    Returns
    -------
    pyvista.PolyData
        An icosphere of radius 1 (3 subdivisions), centred on the origin.
    """
    return pv.Icosphere(radius=1.0, nsub=3)


def scar_points(sphere: np.ndarray, defect: Defect, column_face: np.ndarray, arch_face: np.ndarray,
                root_point: np.ndarray, root_radius: float, slip_fraction: float) -> np.ndarray:
    """The scar's vertices for the posed cut faces, drawn out toward the posed L5 root.

    Parameters
    ----------
    sphere : (m, 3) ndarray
        The unit sphere's vertices (:func:`unit_sphere`).
    defect : Defect
        The defect at rest (its spread and normal, world frame).
    column_face : (k, 3) ndarray
        The column's cut-face points, posed (world frame RAS, mm).
    arch_face : (j, 3) ndarray
        The arch's cut-face points, posed (world frame RAS, mm).
    root_point : (3,) ndarray
        The nearest point of the posed L5 root's axis (world frame RAS, mm).
    root_radius : float
        The root's radius there (mm); the lobe reaches LOBE_PAST_MM into it.
    slip_fraction : float
        The slip as a 0-1 fraction of the S1 endplate's depth; the scar grows to full
        girth by SCAR_FULL_AT, its lobe between the two LOBE_SLIPS.

    Returns
    -------
    (m, 3) ndarray
        The scar's vertices (world frame RAS, mm), in the sphere's order; all at the
        faces' midpoint when there is no slip.
    """
    a, b = column_face.mean(axis=0), arch_face.mean(axis=0)
    grow = smoothstep(0.0, SCAR_FULL_AT, slip_fraction)
    gap = b - a
    length = float(np.linalg.norm(gap))
    axis = gap / length if length > 1e-6 else defect.normal
    # Cross-section: the cut face's two directions made square to the axis.
    across = []
    for d in defect.spread:
        d = d - (d @ axis) * axis
        across.append(d)
    across = np.array(across)
    if np.linalg.det(np.array([axis, across[0], across[1]])) < 0.0:  # keep the sphere's outside out
        across[1] = -across[1]
    centre = 0.5 * (a + b)
    half = 0.5 * length + SCAR_GRIP_MM
    across = across * np.sqrt(min(1.0, SCAR_STRETCH_FROM_MM / max(length, 1e-6)))
    q = sphere
    p = centre + grow * (np.outer(q[:, 0] * half, axis) + SCAR_GIRTH * (np.outer(q[:, 1], across[0])
                                                                         + np.outer(q[:, 2], across[1])))
    # The lobe: a patch of its surface drawn out toward a point just inside the root (so the
    # root must yield), the patch the one nearest that point (weighted softly: no jumps).
    toward = root_point - centre
    reach_now = float(np.linalg.norm(toward))
    if reach_now < 1e-6:
        return p
    toward /= reach_now
    target = root_point - toward * (root_radius - LOBE_PAST_MM)
    gap = np.linalg.norm(p - target, axis=1)
    weight = np.exp(-0.5 * ((gap - gap.min()) / 2.0) ** 2)
    base = (weight[:, None] * p).sum(axis=0) / weight.sum()
    pull = smoothstep(*LOBE_SLIPS, slip_fraction) * (target - base)
    patch = np.exp(-(np.linalg.norm(p - base, axis=1) / LOBE_PATCH_MM) ** 2)
    return p + patch[:, None] * pull


def distance_to(mesh: pv.PolyData):
    """Signed distance to a posed pars scar, for the roots to yield to.

    Parameters
    ----------
    mesh : pyvista.PolyData
        A closed surface (world frame RAS, mm).

    Returns
    -------
    SurfaceDistance
        ``(n, 3) points -> (n,)`` signed distance (mm, negative inside).
    """
    from meshes.geometry import SurfaceDistance

    return SurfaceDistance(mesh)
