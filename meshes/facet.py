"""The articular cartilage of the L5–S1 facet (zygapophyseal) joints.

Each joint's two articular faces (L5's inferior process, S1's superior one) face each
other across the joint space (see :mod:`meshes.segment`). Each face carries a thin layer
of hyaline cartilage; between the two layers is the joint cavity, a film of synovial
fluid. One structure per joint holds both layers, as two shells, with a ``layer`` point
array (0 on S1's face, 1 on L5's), so that the L5 layer can move with L5's arch.

A layer covers the part of its process's surface that faces the other process across the
joint: the patch of the displayed bone surface that lies within a joint space or so of
the other bone and looks across the joint. It is lifted a hair off the bone and given its
thickness straight across the joint. Thickness: about 0.5–1 mm per face at the lumbar
facets (cadaver and CT series); here a little under, so the layers fit the 1.6 mm space.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.geometry import largest_piece, unsigned_distance

# Each layer's thickness and its lift off the bone (mm).
LAYER_MM = 0.4
LIFT_MM = 0.05
# A face's cells: within this distance (mm) of the other bone, facing across the joint
# within FACING_DEG of the joint's normal.
REACH_MM = 2.4
# A layer keeps at least this far (mm) from the other bone.
CLEAR_MM = 0.15
FACING_DEG = 28.0


def cartilage(bones: dict[str, pv.PolyData], regions: dict[str, tuple[str, ...]],
              planes: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, pv.PolyData]:
    """``facet_cartilage_left`` and ``_right`` in the world frame.

    Parameters
    ----------
    bones : dict of str to pyvista.PolyData
        The displayed ``"L5"`` and ``"S1"`` surfaces, world frame RAS (+x right, +y anterior,
        +z superior), mm, each with a ``region`` cell array.
    regions : dict of str to tuple of str
        Bone name to its region names, indexed by the ``region`` values (the layers sit on
        ``superior_articular_process_<side>`` of S1 and ``inferior_articular_process_<side>``
        of L5).
    planes : dict of str to (ndarray, ndarray)
        Side to the joint's (point, unit normal from S1's process toward L5's), world frame;
        only the normal is used, and one structure is made per side given.

    Returns
    -------
    dict of str to pyvista.PolyData
        ``"facet_cartilage_<side>"`` to both layers as one mesh (world frame, mm), with a
        ``layer`` point array: 0 on S1's face, 1 on L5's.
    """
    out = {}
    centres = {name: bone.cell_centers().points for name, bone in bones.items()}
    for side, (_, normal) in planes.items():
        normal = np.asarray(normal, float)
        layers = []
        for bone, other, process, toward in (("S1", "L5", "superior_articular_process", normal),
                                             ("L5", "S1", "inferior_articular_process", -normal)):
            layers.append(_layer(bones[bone], regions[bone].index(f"{process}_{side}"), bones[other],
                                 centres[other], toward))
        mesh = pv.merge(layers)
        mesh.point_data["layer"] = np.concatenate([np.full(m.n_points, k, np.uint8) for k, m in enumerate(layers)])
        out[f"facet_cartilage_{side}"] = mesh
    return out


def _tidy(face: pv.PolyData, rounds: int = 8) -> pv.PolyData:
    """The patch's largest piece, with the cells at its pinch points taken off until it
    is a clean manifold sheet, which extrudes into a closed layer.

    A pinch point is a rim vertex where two stretches of rim meet (a bow-tie) or an edge
    shared by more than two cells; only the cells touching one are removed, so a patch
    with one bad vertex loses a few cells, not ring after ring of its rim."""
    for _ in range(rounds + 1):
        face = largest_piece(face).extract_surface(algorithm="dataset_surface")
        face.clear_data()
        tri = face.faces.reshape(-1, 4)[:, 1:]
        edges = np.sort(np.vstack([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1)
        unique, count = np.unique(edges, axis=0, return_counts=True)
        on_rim = np.bincount(unique[count == 1].ravel(), minlength=face.n_points)
        bad = np.zeros(face.n_points, bool)
        bad[unique[count > 2].ravel()] = True
        bad |= on_rim > 2
        if not bad.any():
            return face
        face = face.extract_cells(np.flatnonzero(~bad[tri].any(axis=1))).extract_surface(
            algorithm="dataset_surface")
    return face


def _layer(bone: pv.PolyData, region: int, other: pv.PolyData, other_centres: np.ndarray,
           toward: np.ndarray) -> pv.PolyData:
    """The cartilage on ``bone``'s process ``region``, facing ``toward`` the other bone
    (whose cell centres are ``other_centres``)."""
    ids = np.flatnonzero(np.asarray(bone.cell_data["region"]) == region)
    process = bone.extract_cells(ids).extract_surface(algorithm="dataset_surface")
    facing = process.cell_normals @ toward > np.cos(np.radians(FACING_DEG))
    centres = process.cell_centers().points
    # Only the other bone's surface near this process can be within reach.
    lo, hi = centres.min(axis=0) - 2.0 * REACH_MM, centres.max(axis=0) + 2.0 * REACH_MM
    near_other = other.extract_cells(np.flatnonzero(np.all((other_centres >= lo) & (other_centres <= hi), axis=1)))
    # The gap across the joint, measured from the facing cells only (the others are left out anyway).
    ids = np.flatnonzero(facing)
    gap = unsigned_distance(centres[ids], near_other.extract_surface(algorithm="dataset_surface"))
    # Across the joint, and not where the faces come so close that the layer would touch.
    near = (gap < REACH_MM) & (gap > LIFT_MM + LAYER_MM + CLEAR_MM)
    face = process.extract_cells(ids[near]).extract_surface(algorithm="dataset_surface")
    face = _tidy(face)
    face.clear_data()
    face.points = face.points + LIFT_MM * toward
    layer = face.extrude(tuple(LAYER_MM * toward), capping=True).triangulate().clean()
    # The caps and the side come wound either way: wind them all alike, outward.
    layer = layer.compute_normals(consistent_normals=True, auto_orient_normals=True, split_vertices=False,
                                  cell_normals=False)
    layer.clear_data()
    return layer
