"""The S1 and sacrum surfaces: one sampled solid, cut in two on the S1/S2 plane.

The solid is :func:`meshes.sacrum_s1.s1_solid`; the plane, below the first sacral
foramina, is :func:`meshes.sacrum_parts.split_plane`. Each piece's cut is capped flat and
flagged, and its faces are labelled with its own regions. S1 frame, mm.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.contour import label_cells, orient_outward, surface
from meshes.geometry import largest_piece
from meshes.implicit import Solid, keep_sampled
from meshes.narrow_band import sample_band
from meshes.sacrum import sacrum_field
from meshes.sacrum_parts import split_plane
from meshes.sacrum_s1 import S1_PARTS, S1_REGIONS, SACRUM_PARTS, SACRUM_REGIONS, s1_solid


def _cut(mesh: pv.PolyData, point: np.ndarray, normal: np.ndarray) -> pv.PolyData:
    """``mesh`` cut on the plane, keeping the side ``normal`` points to, the cut capped flat
    (the outline's loops triangulated, holes such as the canal left open)."""
    from vtkmodules.vtkFiltersGeneral import vtkContourTriangulator

    part = mesh.clip(normal=tuple(-normal), origin=tuple(point)).extract_surface(algorithm="dataset_surface")
    part = part.triangulate()
    rim = part.extract_feature_edges(boundary_edges=True, feature_edges=False, manifold_edges=False,
                                     non_manifold_edges=False)
    caps = vtkContourTriangulator()
    caps.SetInputData(rim)
    caps.Update()
    capped = pv.merge([part, pv.wrap(caps.GetOutput())]).clean(tolerance=1e-6)
    # The cap's triangles come wound either way: wind them all like the rest.
    return capped.compute_normals(consistent_normals=True, auto_orient_normals=True, split_vertices=False,
                                  cell_normals=False)


def _box(solid: Solid, anatomy: Anatomy) -> tuple[np.ndarray, np.ndarray]:
    """A sampling box that holds the whole sacrum and every process added to it."""
    _, lo, hi = sacrum_field(anatomy)
    los = [p.lo - p.blend - 3.0 for p in solid.primitives if not p.subtract]
    his = [p.hi + p.blend + 3.0 for p in solid.primitives if not p.subtract]
    return np.minimum(lo, np.min(los, axis=0)), np.maximum(hi, np.max(his, axis=0))


def build_s1_and_sacrum(
    anatomy: Anatomy | None = None,
    facet_planes: dict | None = None,
    spacing: float = 1.0,
    keep_clear: list | None = None,
    sampled: dict | None = None,
) -> dict[str, pv.PolyData]:
    """The ``S1`` and ``sacrum`` surfaces in the S1 frame, labelled by region.

    The whole sacrum is sampled and polygonised once, then cut on the split plane and each
    side capped flat: the two pieces share their outline vertex for vertex, so the bone
    shows no seam where they meet.

    Parameters
    ----------
    anatomy : Anatomy, optional
        The patient (default: the average adult, ``Anatomy()``).
    facet_planes : dict, optional
        The facet joints' planes in the S1 frame, for trimming the superior articular
        processes (see :func:`~meshes.sacrum_s1.s1_solid`).
    spacing : float
        The sampling grid's finest step (mm).
    keep_clear : list, optional
        (field, lo, hi) of L5's processes in the S1 frame, which the bone is hollowed around.
    sampled : dict, optional
        If given, receives the sampled field of the whole solid under "solid".

    Returns
    -------
    dict of str to pyvista.PolyData
        "S1" and "sacrum", S1 frame, mm. Each has a ``region`` cell array indexing
        :data:`~meshes.sacrum_s1.S1_REGIONS` or :data:`~meshes.sacrum_s1.SACRUM_REGIONS`,
        and a ``cap`` cell array, 1 on the flat cut's faces (the viewer leaves them out
        while both pieces are drawn).
    """
    anatomy = anatomy or Anatomy()
    solid, _ = s1_solid(anatomy, facet_planes, keep_clear)
    lo, hi = _box(solid, anatomy)
    # Snapped to whole coarse steps: the midline is then a grid plane, and the left and
    # right halves are sampled alike (as mirror images).
    coarse = 3 * spacing
    grid = sample_band(solid.evaluate, coarse * np.floor(lo / coarse), coarse * np.ceil(hi / coarse), spacing,
                       factor=3)
    if sampled is not None:
        sampled["solid"] = keep_sampled(grid, grid.point_data["sdf"])
    whole = largest_piece(surface(grid)).clean()
    point, normal = split_plane(anatomy)
    out = {}
    for name, side, parts, regions in (("S1", -normal, S1_PARTS, S1_REGIONS),
                                       ("sacrum", normal, SACRUM_PARTS, SACRUM_REGIONS)):
        mesh = _cut(whole, point, side)
        mesh.clear_data()
        labeller = solid if parts == S1_PARTS else s1_solid(anatomy, facet_planes, keep_clear, parts=parts)[0]
        label_cells(mesh, labeller)
        mesh = orient_outward(mesh)
        on_plane = np.abs((mesh.cell_centers().points - point) @ normal) < 1e-3
        flat = np.abs(mesh.cell_normals @ normal) > 0.999
        mesh.cell_data["cap"] = (on_plane & flat).astype(np.uint8)
        out[name] = _relabel(mesh, labeller, regions)
    return out


def _relabel(mesh: pv.PolyData, solid: Solid, regions: tuple[str, ...]) -> pv.PolyData:
    names = solid.regions()
    order = np.array([regions.index(n) if n in regions else 0 for n in names], dtype=np.int32)
    mesh.cell_data["region"] = order[mesh.cell_data["region"]]
    mesh.field_data.clear()
    return mesh
