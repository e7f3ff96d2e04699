"""The teaching cuts and the cells each mesh draws.

:func:`cut_planes` gives the mid-sagittal and axial planes. :class:`DrawnCells` keeps, for each
mesh, the cells it draws: not those of a hidden L5 region, not the join caps of S1 and the
sacrum while both are drawn opaque, and not those wholly beyond a cut. The GPU clips the cells
that cross a cut's plane; the others it would only have transformed and thrown away, and under
software OpenGL that vertex work is most of an axial cut's frame (the L5 keeps 8k of its 45k
triangles: 68 -> 46 ms at 1920x1080). Picking maps a drawn cell back to the mesh's own.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.rest import Rest

CULL_MARGIN_MM = 1.0  # cells this far beyond a cut are not sent to the GPU at all


def cut_planes(rest: Rest, axial_convention: str = "radiological") -> dict:
    """The two teaching cuts. Mid-sagittal: keeps the right half, so the canal is seen from the
    left. Axial: in the disc's mid-plane, keeping the side the axial view looks at: what lies
    above it, seen from the feet ("radiological"), or what lies below, seen from above
    ("anatomical"); either way the camera faces the cut face (see ``camera.axial_camera``)."""
    from vtkmodules.vtkCommonDataModel import vtkPlane

    mid_x = float(np.mean(np.asarray(rest.segment.structures["L5"].points)[:, 0]))
    planes = {}
    # The axial cut lies in the disc's mid-plane, tilted with the S1 endplate like a CT slice
    # angled through the disc, so it shows the whole disc and the roots beside it. A VTK plane
    # keeps what lies on its normal's side.
    keep = np.asarray(rest.w) if axial_convention == "radiological" else -np.asarray(rest.w)
    for name, origin, normal in (("sagittal", (mid_x, 0.0, 0.0), (1.0, 0.0, 0.0)),
                                 ("axial", tuple(rest.disc_centre), tuple(keep))):
        plane = vtkPlane()
        plane.SetOrigin(*origin)
        plane.SetNormal(*normal)
        planes[name] = plane
    return planes


# Which cut of the scene lies in an MRI slice's orientation: the sagittal cut in a sagittal or
# foraminal slice (both are planes x = const), the axial cut in the axial slice.
CUT_OF_SLICE = {"mri-sagittal": "sagittal", "mri-foramen-left": "sagittal", "mri-foramen-right": "sagittal",
                "mri-axial": "axial"}


def slice_cut(plane, axial_convention: str = "radiological") -> tuple[str, np.ndarray, np.ndarray]:
    """The scene's cut moved onto an MRI slice (``meshes.slice_planes.SlicePlane``): its name, origin
    and normal. The sagittal cut keeps the right side as always; the axial one keeps the side the
    axial view looks at, as :func:`cut_planes` does."""
    from meshes.slice_planes import travel_axis

    name = CUT_OF_SLICE[plane.name]
    if name == "sagittal":
        return name, np.asarray(plane.origin, float), np.array([1.0, 0.0, 0.0])
    up = travel_axis(plane)
    return name, np.asarray(plane.origin, float), up if axial_convention == "radiological" else -up


class DrawnCells:
    """The cells each of ``meshes`` draws (indices into its own cells, which it keeps)."""

    def __init__(self, meshes: dict[str, pv.PolyData]) -> None:
        self.meshes = meshes
        self.all_faces = {name: mesh.faces.reshape(-1, 4).copy() for name, mesh in meshes.items()}
        self.drawn = {name: np.arange(len(f)) for name, f in self.all_faces.items()}
        self.hidden: dict[str, np.ndarray | None] = {name: None for name in meshes}  # masks of hidden cells

    def update(self, name: str, plane=None) -> None:
        """Give ``name``'s mesh the cells to draw, when they change: all but its hidden ones and,
        with a cut ``plane`` (a vtkPlane), all but those wholly beyond it."""
        drop = self.hidden[name]
        if plane is not None:
            ahead = (np.asarray(self.meshes[name].points) - plane.GetOrigin()) @ np.asarray(plane.GetNormal())
            beyond = (ahead[self.all_faces[name][:, 1:]] < -CULL_MARGIN_MM).all(axis=1)
            drop = beyond if drop is None else drop | beyond
        cells = np.arange(len(self.all_faces[name])) if drop is None else np.flatnonzero(~drop)
        if not np.array_equal(cells, self.drawn[name]):
            self.drawn[name] = cells
            self.meshes[name].faces = self.all_faces[name][cells].ravel()

    def own_cell(self, name: str, drawn_cell: int) -> int:
        """The mesh's own index of the cell drawn as ``drawn_cell``."""
        return int(self.drawn[name][drawn_cell])


def cull_back_faces(actors: dict, clip: str | None, root_cuts: dict) -> None:
    """Skip back faces wherever nothing needs them.

    Every mesh is closed and wound outward, so from outside its back faces are hidden
    behind its front ones; under software OpenGL they still cost their setup and
    rasterisation: culling them takes the oblique view at 1920x1080 from 47 to 24 ms.
    A cut needs the back faces of what it opens, since they are its solid cut face
    (see ``SceneView.set_clip``), except the roots', whose cut face is their twin's.
    """
    for name, actor in actors.items():
        needs_back = clip is not None and name not in root_cuts
        actor.prop.culling = "none" if needs_back else "back"
