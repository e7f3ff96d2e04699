"""Where each label's leader line ends: one vertex chosen on the rest geometry, per structure.

The vertex rides along when the pose moves its mesh. A region of the L5 (the pars) is anchored
well inside the region, away from the facet joint beside it, on the face the class sees; a root
at its ganglion or low on its lateral face; the sacral ala on its upper face; the promontory in
the midline; other structures at their outermost vertex in a direction. Used by
``viewer.scene.labels``.
"""

from __future__ import annotations

import numpy as np

from meshes.geometry import unsigned_distance
from meshes.rest import Rest

# A region's anchor lies at least this far (mm) inside the region's border.
REGION_MARGIN_MM = 2.0
# A region's anchor keeps at least this far (mm) from the facet joint's cartilage.
JOINT_CLEAR_MM = 4.0


def anchor(rest: Rest, structure: str, how: str, side: str | None) -> tuple[str, int]:
    """(mesh name, vertex index) of a label's anchor on the rest geometry.

    Parameters
    ----------
    rest : Rest
        The prepared segment.
    structure : str
        The structure (``"L5"``, ``"root_L5"``) or, with ``how="region"``, the region's stem (``"pars"``).
    how : str
        Which vertex: ``"region"``, ``"body_left"``, ``"ganglion"``, ``"low"``, ``"ala_left"``,
        ``"promontory"``, ``"top"``, or a direction (``"front"``, ``"back"``, ``"left"``, ``"right"``).
    side : str or None
        ``"left"`` or ``"right"`` for a paired structure.
    """
    from meshes.vertebra_l5 import L5_REGIONS

    if how == "region":  # an L5 region: the vertex of that region nearest its centre
        l5 = rest.segment.structures["L5"]
        region = np.asarray(l5.cell_data["region"]) == L5_REGIONS.index(f"{structure}_{side}")
        all_faces = l5.faces.reshape(-1, 4)[:, 1:]
        points = np.asarray(l5.points)
        # Vertices well inside the region: none of their triangles belongs to another region.
        ids = np.setdiff1d(np.unique(all_faces[region]), np.unique(all_faces[~region]))
        # Well away from the region's border, so the leader's end is on it from any view.
        border = np.intersect1d(np.unique(all_faces[region]), np.unique(all_faces[~region]))
        if border.size:
            gap = np.linalg.norm(points[ids, None, :] - points[None, border, :], axis=2).min(axis=1)
            inner = gap > REGION_MARGIN_MM
            ids = ids[inner] if inner.any() else ids
        # Not by the facet joint beside it: a leader ending on the joint line would name
        # the joint "pars", the very confusion the oblique view is taught to clear up.
        joint = rest.segment.structures.get(f"facet_cartilage_{side}")
        if joint is not None:
            clear = unsigned_distance(points[ids], joint) > JOINT_CLEAR_MM
            ids = ids[clear] if clear.any() else ids
        # Pull the anchor to the outer (posterior, a little lateral) face, where the class can see it:
        # a vertex whose surface faces that way (not one on the pars defect's cut face).
        lateral = np.array([-0.4 if side == "left" else 0.4, -1.0, 0.3])
        normals = l5.compute_normals(cell_normals=False, split_vertices=False).point_data["Normals"]
        outward = np.asarray(normals)[ids] @ (lateral / np.linalg.norm(lateral)) > 0.5
        ids = ids[outward] if outward.any() else ids
        centre = points[ids].mean(axis=0)
        score = points[ids] @ lateral - 1.5 * np.linalg.norm(points[ids] - centre, axis=1)
        return "L5", int(ids[np.argmax(score)])
    name = f"{structure}_{side}" if side else structure
    mesh = rest.segment.structures[name]
    points = np.asarray(mesh.points)
    if how.startswith("body_"):  # the side of the L5 body (not the tip of a transverse process)
        body = np.asarray(mesh.cell_data["region"]) == L5_REGIONS.index("body")
        ids = np.unique(mesh.faces.reshape(-1, 4)[body, 1:])
        centre = points[ids].mean(axis=0)
        d = np.array([-1.0 if how == "body_left" else 1.0, 0.0, 0.0])
        off_axis = points[ids] - centre - np.outer((points[ids] - centre) @ d, d)
        return name, int(ids[np.argmax((points[ids] - centre) @ d - 0.5 * np.linalg.norm(off_axis, axis=1))])
    if how in ("ganglion", "ganglion_front"):  # its lateral face, or (for views from the front) its front
        ring = np.asarray(mesh.point_data["axis_index"]) == int(mesh.field_data["ganglion_index"][0])
        ids = np.flatnonzero(ring)
        outward = np.array([-1.0 if side == "left" else 1.0, 0.0, 0.0] if how == "ganglion" else [0.0, 1.0, 0.0])
        return name, int(ids[np.argmax(points[ids] @ outward)])
    if how == "low":  # low on the root, on its lateral surface
        z = points[:, 2]
        low = np.flatnonzero(z < z.min() + 0.2 * (z.max() - z.min()))
        outward = np.array([-1.0 if side == "left" else 1.0, 0.3, 0.0])
        return name, int(low[np.argmax(points[low] @ outward)])
    if how.startswith("ala_"):  # the upper face of the sacral ala, which faces up the disc's axis
        lateral = points[:, 0] - np.median(points[:, 0])
        lateral = -lateral if how == "ala_left" else lateral
        wing = np.flatnonzero(lateral > 0.6 * lateral.max())
        return name, int(wing[np.argmax(points[wing] @ rest.w)])
    if how == "promontory":  # the front of the S1 body just below its endplate, in the midline
        marks = rest.segment.landmarks
        depth = (points - marks["S1_endplate_center"]) @ rest.w
        body = np.flatnonzero((np.abs(points[:, 0]) < 6.0) & (depth < -5.0) & (depth > -16.0))
        return name, int(body[np.argmax(points[body] @ rest.u)])
    if how == "top":
        return name, int(np.argmax(points[:, 2] - 0.3 * np.abs(points[:, 0])))
    # front / back / left / right: the outermost vertex that way, near the structure's middle
    centre = np.median(points, axis=0)
    direction = {"front": (0.0, 1.0, 0.0), "back": (0.0, -1.0, 0.0),
                 "left": (-1.0, 0.0, 0.0), "right": (1.0, 0.0, 0.0)}[how]
    d = np.asarray(direction)
    off_axis = points - centre - np.outer((points - centre) @ d, d)
    score = (points - centre) @ d - 0.5 * np.linalg.norm(off_axis, axis=1)
    return name, int(np.argmax(score))
