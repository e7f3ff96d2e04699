"""How deep one displayed surface reaches into another (mm): the no-pass-through checks.

Each check takes closed triangle surfaces as they are drawn and exported, and measures
the deepest vertex of one inside the other by its distance to the other's surface. Which
vertices are inside is decided by the surface's generalised winding number, not by its
normals alone: a squeezed disc's surface can crease into a flat pleat (two faces folded
flat onto each other, enclosing nothing), and the normal at such a crease can face either
way, so a point far outside once read as 17 mm inside. Pairs of parts that are meant to
touch (a bone and the cartilage on it, the disc and its endplates) are not asked.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.geometry import winding_number

BONES = ("L5", "S1", "sacrum")
ROOTS = ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right")
DISC = ("disc_annulus", "disc_nucleus")


def depth_inside(points: np.ndarray, surface: pv.PolyData) -> float:
    """How deep the deepest of ``points`` lies inside the closed ``surface``.

    Parameters
    ----------
    points : (n, 3) array_like
        Vertices of one surface (mm), in the same frame as ``surface``.
    surface : pyvista.PolyData
        The closed surface they may reach into.

    Returns
    -------
    float
        The depth (mm) of the deepest point inside; 0.0 when none is.
    """
    points = np.asarray(points, float)
    if len(points) == 0:
        return 0.0
    lo = np.array(surface.bounds[::2])
    hi = np.array(surface.bounds[1::2])
    near = np.all((points >= lo) & (points <= hi), axis=1)
    if not near.any():
        return 0.0
    d = pv.PolyData(points[near]).compute_implicit_distance(surface)["implicit_distance"]
    # The normals' sign is only a shortlist: those the winding number puts inside count.
    shortlist = np.flatnonzero(d < 0.0)
    if not shortlist.size:
        return 0.0
    inside = winding_number(points[near][shortlist], surface) > 0.5
    return float(max(0.0, -d[shortlist][inside].min())) if inside.any() else 0.0


def l5_column_and_arch(l5: pv.PolyData) -> tuple[pv.PolyData, pv.PolyData]:
    """L5's anterior column and its posterior arch as two surfaces.

    Parameters
    ----------
    l5 : pyvista.PolyData
        L5's surface with cell data ``column`` (1 on the anterior column), any frame.

    Returns
    -------
    column : pyvista.PolyData
        The cells of the anterior column.
    arch : pyvista.PolyData
        The remaining cells: the posterior arch.
    """
    column = l5.cell_data["column"] == 1
    parts = []
    for keep in (column, ~column):
        part = l5.extract_cells(np.flatnonzero(keep)).extract_surface(algorithm="dataset_surface")
        parts.append(part)
    return parts[0], parts[1]
