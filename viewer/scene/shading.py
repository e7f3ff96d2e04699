"""How the scene is shaded: vertex normals kept up to date, one key light, the draw order, and
the flat look of a cut face. Used by the scene adapter (``viewer.scene.view``)."""

from __future__ import annotations

import numpy as np
import pyvista as pv

ROOT_PREFIX = "root_"


class VertexNormals:
    """Area-weighted unit vertex normals of one triangle mesh, recomputed after its points move.

    VTK's triangle-mesh filter does it in C++ (0.5 ms for the L5's 45k triangles, against 2.4 ms
    for the same sums in numpy). It reads a twin of the mesh that shares its points but keeps
    every face, so hiding part of a mesh never changes the shading of the rest.

    A mesh with a ``cap`` cell mask (given, or its ``cap`` cell array: S1 and the sacrum,
    where they meet) is shaded on its outside without the cap: the rim the two pieces share then has the same normals in
    both, so the join reads as one bone. The cap's inner vertices keep the cap's own
    normal (it is drawn only when the other piece is hidden or ghosted).
    """

    def __init__(self, mesh: pv.PolyData, cap: np.ndarray | None = None) -> None:
        if cap is None and "cap" in mesh.cell_data:
            cap = np.asarray(mesh.cell_data["cap"], bool)
        masks = [None] if cap is None or not cap.any() else [~cap, cap]
        self._parts = [self._triangles(mesh, mask) for mask in masks]

    @staticmethod
    def _triangles(mesh: pv.PolyData, cells: np.ndarray | None):
        from vtkmodules.vtkFiltersCore import vtkTriangleMeshPointNormals

        twin = pv.PolyData()
        twin.SetPoints(mesh.GetPoints())
        triangles = np.asarray(mesh.faces).reshape(-1, 4)[:, 1:]
        twin.SetPolys(pv.CellArray.from_regular_cells(triangles if cells is None else triangles[cells]))
        normals = vtkTriangleMeshPointNormals()
        normals.SetInputData(twin)
        return twin, normals

    def __call__(self) -> np.ndarray:
        from vtkmodules.util.numpy_support import vtk_to_numpy

        out = None
        for twin, normals in self._parts:
            twin.Modified()
            normals.Update()
            n = vtk_to_numpy(normals.GetOutput().GetPointData().GetNormals())
            if out is None:
                out = n if len(self._parts) == 1 else n.copy()
            else:  # the cap's own vertices, which no outside face touches
                lone = np.linalg.norm(out, axis=1) < 0.5
                out[lone] = n[lone]
        return out


# The pieces of one bone, cut apart on a plane and capped there (see SceneView._join_caps).
JOINED = ("S1", "sacrum")


# Opaque actors are drawn in the order they were added. Inner, smaller structures first: where
# a cut opens the bones, the disc and roots are already in the depth buffer and the bone
# behind them is rejected before shading (the axial cut renders 10% faster under llvmpipe).
DRAW_FIRST = ("disc_nucleus", "disc_annulus", "dural_sac")


def draw_rank(name: str) -> tuple[int, int]:
    if name in DRAW_FIRST:
        return (0, DRAW_FIRST.index(name))
    return (1, 0) if name.startswith(ROOT_PREFIX) else (2, 0)


def key_light(plotter: pv.Plotter) -> None:
    """One key light that moves with the camera, from above and to the left of the viewer.

    Lit from a little off the line of sight, the processes cast soft shading that shows
    their shape from the back of a room. Pyvista's default light kit (five lights) costs
    about 40% more per frame under software OpenGL (50 against 35 ms at 1290x1022), and a
    headlight plus a key light about 10% more, for a picture that reads no better.
    """
    plotter.remove_all_lights()
    plotter.add_light(pv.Light(position=(-0.5, 0.6, 1.0), light_type="camera light", intensity=1.1))


def cap_property(colour: str):
    """A flat, unlit look for the inside of a cut structure."""
    from vtkmodules.vtkRenderingCore import vtkProperty

    from viewer.scene.style import rgb

    prop = vtkProperty()
    prop.SetColor(*rgb(colour))
    prop.SetAmbient(0.9)
    prop.SetDiffuse(0.15)
    prop.SetSpecular(0.0)
    return prop


# The selected structure's ambient: lit from within, so the class sees what is explained.
SELECTED_AMBIENT = 0.45


def base_ambient(name: str) -> float:
    """The ambient of structure ``name`` when it is not selected: matte bone a little lighter
    than the glossy soft tissue, whose highlight already lifts it."""
    return 0.16 if name in ("L5", "S1", "sacrum") else 0.12


def highlight(actors: dict, target: str | None) -> None:
    """Light structure ``target`` from within and give every other actor its own ambient back."""
    for name, actor in actors.items():
        actor.prop.ambient = SELECTED_AMBIENT if name == target else base_ambient(name)


def add_structure(plotter: pv.Plotter, name: str, mesh: pv.PolyData, colour: str | None):
    """The actor of structure ``name``: Gouraud-shaded from the normals the scene keeps, matte
    bone and glossy soft tissue, a root in its per-vertex ``colours``, others in ``colour``."""
    # Bone is matte; the wet soft tissues (disc, sac, roots) keep a soft highlight. Specular
    # on the bones, which fill most pixels, cost 7 ms a frame under software OpenGL.
    glossy = name not in ("L5", "S1", "sacrum")
    style = dict(smooth_shading=False, specular=0.3 if glossy else 0.0, specular_power=20.0, diffuse=0.85,
                 ambient=base_ambient(name))
    if name.startswith(ROOT_PREFIX):
        actor = plotter.add_mesh(mesh, scalars="colours", rgb=True, name=name, **style)
    else:
        actor = plotter.add_mesh(mesh, color=colour, name=name, **style)
    actor.prop.interpolation = "gouraud"
    if name in ("disc_nucleus", "herniation_fragment"):
        # The nucleus fills the annulus's cavity exactly: pull it a hair toward the camera so
        # the shared wall does not flicker where a cut opens it.
        mapper = actor.GetMapper()
        mapper.SetResolveCoincidentTopologyToPolygonOffset()
        mapper.SetRelativeCoincidentTopologyPolygonOffsetParameters(-2.0, -2.0)
    return actor
