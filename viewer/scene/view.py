"""SceneView: the one piece of code that touches VTK actors.

It adds one actor per structure once, then on every pose writes the new vertex
positions (and normals, and root colours) into the existing arrays: no actor is ever
rebuilt. It works with any pyvista plotter: the window's and an offscreen one for
screenshots, so both draw the same scene.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.pose import Posed, Rest
from viewer.scene.camera import (
    CLOSE_UP_MM,
    CONTACT_DISTANCE_MM,
    PARS_BEHIND_PEDICLE_MM,
    PARS_FRAME_UP_MM,
    axial_camera,
    close_up,
    fitted,
    herniation_contact,
)
from viewer.scene.style import BACKGROUND, COLOURS, CUT_FACES, VIEW_ZOOM, VIEWS, root_colours
from viewer.state.model import CameraPose

ROOT_PREFIX = "root_"
CULL_MARGIN_MM = 1.0  # cells this far beyond a cut are not sent to the GPU at all
FRAGMENT = "herniation_fragment"
SCARS = ("pars_scar_left", "pars_scar_right")


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


def _draw_rank(name: str) -> tuple[int, int]:
    if name in DRAW_FIRST:
        return (0, DRAW_FIRST.index(name))
    return (1, 0) if name.startswith(ROOT_PREFIX) else (2, 0)


def _light(plotter: pv.Plotter) -> None:
    """One key light that moves with the camera, from above and to the left of the viewer.

    Lit from a little off the line of sight, the processes cast soft shading that shows
    their shape from the back of a room. Pyvista's default light kit (five lights) costs
    about 40% more per frame under software OpenGL (50 against 35 ms at 1290x1022), and a
    headlight plus a key light about 10% more, for a picture that reads no better.
    """
    plotter.remove_all_lights()
    plotter.add_light(pv.Light(position=(-0.5, 0.6, 1.0), light_type="camera light", intensity=1.1))


def _cut_planes(rest: Rest, axial_convention: str = "radiological") -> dict:
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


def _cap_property(colour: str):
    """A flat, unlit look for the inside of a cut structure."""
    from vtkmodules.vtkRenderingCore import vtkProperty

    from viewer.scene.style import rgb

    prop = vtkProperty()
    prop.SetColor(*rgb(colour))
    prop.SetAmbient(0.9)
    prop.SetDiffuse(0.15)
    prop.SetSpecular(0.0)
    return prop


class SceneView:
    """Draw a posed segment on ``plotter``; :meth:`show` updates it in place."""

    def __init__(self, plotter: pv.Plotter, rest: Rest) -> None:
        self.plotter = plotter
        self.rest = rest
        self.meshes: dict[str, pv.PolyData] = {}
        self.actors: dict[str, pv.Actor] = {}
        self._normals: dict[str, VertexNormals] = {}
        self._shown: dict[str, np.ndarray] = {}
        self.palette = "standard"
        self._scalars: dict = {}  # each root's last compression and inflammation, for recolouring
        self._disc_degeneration = 0.0  # the disc's colour is the healthy one
        plotter.set_background(BACKGROUND)
        _light(plotter)
        structures = rest.segment.structures
        for name in sorted(structures, key=_draw_rank):
            source = structures[name]
            self._add(name, pv.PolyData(np.array(source.points), source.faces.copy()))
        fragment = rest.fragment.copy()
        self._add(FRAGMENT, pv.PolyData(np.array(fragment.points), fragment.faces.copy()))
        self.actors[FRAGMENT].SetVisibility(False)
        # The pars scars of a slip: there only while L5 slips (see meshes.pars_scar).
        for scar in SCARS:
            sphere = rest.scar_sphere
            self._add(scar, pv.PolyData(np.array(sphere.points), sphere.faces.copy()))
            self.actors[scar].SetVisibility(False)
        # A root's cut face: its inner faces drawn unlit in the root's own per-vertex colours
        # (yellow, or red where it is squeezed), by a second actor on the same mesh that is
        # shown only while a cut is active. A back-face property cannot do it for a root:
        # per-vertex colours override the back-face colour, and lit from behind the inside
        # of the tube looked like an empty pipe.
        self.root_cuts: dict[str, pv.Actor] = {}
        for name in [n for n in self.meshes if n.startswith(ROOT_PREFIX)]:
            cut = self.plotter.add_mesh(self.meshes[name], scalars="colours", rgb=True, lighting=False,
                                        culling="front", name=f"{name}_cut")
            cut.SetVisibility(False)
            self.root_cuts[name] = cut
        self.focus = np.mean([m.center for m in rest.segment.structures.values()], axis=0)
        # The L5's drawn cells: all of them until a region is hidden (then a subset, see set_visible).
        # Each mesh draws a subset of its cells: not those of a hidden L5 region, nor those
        # wholly on the cut-away side of a cut (see _draw_cells). Picking maps back through it.
        self._all_faces = {name: mesh.faces.reshape(-1, 4).copy() for name, mesh in self.meshes.items()}
        self._cells = {name: np.arange(len(f)) for name, f in self._all_faces.items()}
        self._hidden_cells = {name: None for name in self.meshes}  # a mask of cells hidden by region
        self._fragment_allowed = True
        self._scars_allowed = True
        self._hidden_names: set[str] = set()  # hidden by name (set_visible)
        self.axial_convention = "radiological"  # the axial view from the feet (see camera.axial_camera)
        self.planes = _cut_planes(rest, self.axial_convention)
        self.clip: str | None = None
        self.side = "left"  # which foramen the close-up looks into
        # The herniation zone chosen: a foraminal or extraforaminal one turns the foramen
        # close-up to where it meets the L5 root (see camera.herniation_contact).
        self.zone = "subarticular"
        from viewer.scene.labels import SceneLabels

        self.labels = SceneLabels(plotter, rest, self.meshes)
        self.model = None  # the SceneModel followed, once bound (see bind)
        self._unsubscribe: list = []
        self._cull()
        self._join_caps()

    def bind(self, model, request_render=lambda: None) -> None:
        """Draw ``model``'s state now and follow it: visibility, opacity and ghosting, the cut,
        the selection, labels, the axial convention, the palette, the background and the camera.
        Each change asks ``request_render()`` for a frame (the window's coalescer); the posed
        geometry comes from the frame pipeline (``viewer.scene.frame``). :meth:`close` lets go."""
        self.model = model
        self._request_render = request_render
        handlers = {
            "side": lambda v: setattr(self, "side", v),
            "zone": lambda v: setattr(self, "zone", v),
            "axial_convention": self.set_axial_convention,
            "visible": self.set_visible,
            "opacity": lambda _v: self._apply_opacity(),
            "ghost_bones": lambda _v: self._apply_opacity(),
            "clip": self.set_clip,
            "selection": self.highlight,
            "labels": self.labels.set_visible,
            "palette": self.set_palette,
            "high_contrast": self.set_high_contrast,
            "camera": self.apply_camera,
        }
        for name, handler in handlers.items():
            handler(model.get(name))

            def changed(value, handler=handler) -> None:
                handler(value)
                self._request_render()

            self._unsubscribe.append(model.on(name, changed))

    def _apply_opacity(self) -> None:
        for name, opacity in self.model.drawn_opacity().items():
            if name in self.actors:
                self.set_opacity(name, opacity)

    def close(self) -> None:
        """Stop following the model and take the labels' render hook off the plotter."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.labels.close()

    def _add(self, name: str, mesh: pv.PolyData) -> None:
        source = self.rest.segment.structures.get(name)
        cap = None if source is None or "cap" not in source.cell_data else np.asarray(source.cell_data["cap"], bool)
        self._normals[name] = VertexNormals(mesh, cap)
        mesh.point_data["Normals"] = self._normals[name]()
        mesh.point_data.active_normals_name = "Normals"
        # Bone is matte; the wet soft tissues (disc, sac, roots) keep a soft highlight. Specular
        # on the bones, which fill most pixels, cost 7 ms a frame under software OpenGL.
        glossy = name not in ("L5", "S1", "sacrum")
        style = dict(smooth_shading=False, specular=0.3 if glossy else 0.0, specular_power=20.0, diffuse=0.85,
                     ambient=0.12 if glossy else 0.16)
        if name.startswith(ROOT_PREFIX):
            mesh.point_data["colours"] = root_colours(np.zeros(mesh.n_points), np.zeros(mesh.n_points))
            self._scalars[name] = {"compression": np.zeros(mesh.n_points), "inflamed": np.zeros(mesh.n_points)}
            actor = self.plotter.add_mesh(mesh, scalars="colours", rgb=True, name=name, **style)
        else:
            actor = self.plotter.add_mesh(mesh, color=COLOURS[name], name=name, **style)
        # Gouraud shading from the normals we keep up to date ourselves.
        actor.prop.interpolation = "gouraud"
        if name in ("disc_nucleus", FRAGMENT):
            # The nucleus fills the annulus's cavity exactly: pull it a hair toward the camera so
            # the shared wall does not flicker where a cut opens it.
            mapper = actor.GetMapper()
            mapper.SetResolveCoincidentTopologyToPolygonOffset()
            mapper.SetRelativeCoincidentTopologyPolygonOffsetParameters(-2.0, -2.0)
        self.meshes[name] = mesh
        self.actors[name] = actor
        self._shown[name] = None

    def show(self, posed: Posed) -> None:
        """Write a posed state into the actors' arrays (no new actors)."""
        self.labels.occluders = posed.obstacles
        for name, points in posed.points.items():
            if self._shown[name] is points:
                continue  # unchanged since the last frame (pose shares unmoved arrays)
            self._write(name, points)
            if name.startswith(ROOT_PREFIX):
                self._scalars[name] = posed.scalars[name]
                self._colour_root(name)
        self._colour_disc(posed.degeneration)
        fragment = self.actors[FRAGMENT]
        if posed.fragment is None:
            fragment.SetVisibility(False)
        else:
            self._write(FRAGMENT, np.asarray(posed.fragment.points))
            fragment.SetVisibility(self._fragment_allowed and FRAGMENT not in self._hidden_names)
        for scar in SCARS:
            mesh = posed.scars.get(scar)
            if mesh is not None:
                self._write(scar, np.asarray(mesh.points))
            self.actors[scar].SetVisibility(mesh is not None and self._scars_allowed and scar not in self._hidden_names)

    def _colour_disc(self, degeneration: float) -> None:
        """A dehydrated disc darkens and greys, as it does on MRI (the 'black disc')."""
        from viewer.scene.style import disc_colour, disc_cut_colour

        if self._disc_degeneration == degeneration:
            return
        self._disc_degeneration = degeneration
        for name in ("disc_annulus", "disc_nucleus", FRAGMENT):
            self.actors[name].prop.color = tuple(disc_colour(name, degeneration))
            cap = self.actors[name].GetBackfaceProperty()
            if cap is not None:
                cap.SetColor(*disc_cut_colour(name, degeneration))

    def _colour_root(self, name: str) -> None:
        s = self._scalars[name]
        mesh = self.meshes[name]
        mesh.point_data["colours"][:] = root_colours(s["compression"], s["inflamed"], self.palette)
        mesh.point_data["colours"].Modified()

    def set_palette(self, palette: str) -> None:
        """Recolour the roots with a palette of ``style.PALETTES`` ("standard" or "colour-blind")."""
        from viewer.scene.style import PALETTES

        if palette not in PALETTES:
            raise ValueError(f"unknown palette {palette!r}")
        self.palette = palette
        for name in self._scalars:
            self._colour_root(name)

    def set_high_contrast(self, on: bool) -> None:
        """Black background (for projectors in bright rooms) or the calm slate one."""
        from viewer.scene.style import HIGH_CONTRAST_BACKGROUND

        self.plotter.set_background(HIGH_CONTRAST_BACKGROUND if on else BACKGROUND)

    def _write(self, name: str, points: np.ndarray) -> None:
        mesh = self.meshes[name]
        mesh.points[:] = points
        mesh.points.Modified()
        mesh.point_data["Normals"][:] = self._normals[name]()
        mesh.point_data["Normals"].Modified()
        mesh.Modified()
        self._shown[name] = points
        if self.clip is not None:
            self._draw_cells(name)

    def pick(self, x: float, y: float) -> str | None:
        """Structure (or L5 region) drawn at display pixel (x, y), origin bottom-left; None for background."""
        from vtkmodules.vtkRenderingCore import vtkCellPicker

        from meshes.vertebra_l5 import L5_REGIONS

        picker = vtkCellPicker()
        picker.SetTolerance(0.0005)
        if not picker.Pick(x, y, 0, self.plotter.renderer):
            return None
        actor = picker.GetActor()
        name = next((n for n, a in (*self.actors.items(), *self.root_cuts.items()) if a is actor), None)
        if name == "L5" and picker.GetCellId() >= 0:
            cell = self._cells["L5"][picker.GetCellId()]
            return L5_REGIONS[int(self.rest.segment.structures["L5"].cell_data["region"][cell])]
        if name == FRAGMENT:
            return "disc_nucleus"
        return name

    def highlight(self, name: str | None) -> None:
        """Tint the selected structure (L5 for an L5 region) so the class sees what is explained."""
        from meshes.vertebra_l5 import L5_REGIONS

        target = "L5" if name in L5_REGIONS else name
        for key, actor in self.actors.items():
            actor.prop.ambient = 0.45 if key == target else 0.12

    def set_visible(self, visible: dict[str, bool]) -> None:
        """Show or hide structures, and regions of the L5 (by drawing only the L5's other cells)."""
        from meshes.vertebra_l5 import L5_REGIONS

        for name, shown in visible.items():
            if name in self.actors:
                self.actors[name].SetVisibility(bool(shown))
            if name in self.root_cuts:
                self.root_cuts[name].SetVisibility(bool(shown) and self.clip is not None)
        self._hidden_names = {name for name, shown in visible.items() if not shown}
        self.labels.hidden_structures = set(self._hidden_names)
        self.labels.invalidate()
        self._fragment_allowed = bool(visible.get("disc_nucleus", True))
        self._scars_allowed = bool(visible.get("L5", True))
        if not self._scars_allowed:
            for scar in SCARS:
                self.actors[scar].SetVisibility(False)
        if not self._fragment_allowed:
            self.actors[FRAGMENT].SetVisibility(False)
        hidden = [i for i, region in enumerate(L5_REGIONS) if not visible.get(region, True)]
        region = np.asarray(self.rest.segment.structures["L5"].cell_data["region"])
        self._hidden_cells["L5"] = np.isin(region, hidden) if hidden else None
        self._draw_cells("L5")
        # Normals keep using every face (VertexNormals' twin), so a hidden region leaves no seam.
        self._join_caps()

    def _join_caps(self) -> None:
        """Where S1 and the sacrum meet, each is closed by a flat cap. While both are drawn
        opaque the caps are inside the bone; drawing them would only let their back faces
        flicker through along the join, so they are left out. Hidden or ghosted, the other
        piece shows the cap, which is drawn then."""
        structures = self.rest.segment.structures
        pieces = [name for name in JOINED if name in self.meshes and "cap" in structures[name].cell_data]
        together = all(self.actors[name].GetVisibility() and self.actors[name].prop.opacity >= 0.99
                       for name in pieces)
        for name in pieces:
            cap = np.asarray(structures[name].cell_data["cap"], bool)
            self._hidden_cells[name] = cap if together else None
            self._draw_cells(name)

    def _draw_cells(self, name: str) -> None:
        """Give ``name``'s mesh the cells to draw, when they change: all but a hidden region's
        and, with a cut, all but those wholly beyond it. The GPU clips the cells that cross
        the plane; the others it would only have transformed and thrown away, and under
        software OpenGL that vertex work is most of an axial cut's frame (the L5 keeps 8k of
        its 45k triangles: 68 -> 46 ms at 1920x1080)."""
        drop = self._hidden_cells[name]
        if self.clip is not None:
            plane = self.planes[self.clip]
            ahead = (np.asarray(self.meshes[name].points) - plane.GetOrigin()) @ np.asarray(plane.GetNormal())
            beyond = (ahead[self._all_faces[name][:, 1:]] < -CULL_MARGIN_MM).all(axis=1)
            drop = beyond if drop is None else drop | beyond
        cells = np.arange(len(self._all_faces[name])) if drop is None else np.flatnonzero(~drop)
        if not np.array_equal(cells, self._cells[name]):
            self._cells[name] = cells
            self.meshes[name].faces = self._all_faces[name][cells].ravel()

    def set_opacity(self, name: str, opacity: float) -> None:
        self.actors[name].prop.opacity = float(opacity)
        if name in self.root_cuts:
            self.root_cuts[name].prop.opacity = float(opacity)
        if opacity < 0.99:
            self.labels.translucent.add(name)
        else:
            self.labels.translucent.discard(name)
        self.labels.invalidate()
        if name in JOINED:
            self._join_caps()

    def set_clip(self, clip: str | None) -> None:
        """Cut every structure with a plane ("sagittal" or "axial"), capping the cut faces, or None.

        The planes clip on the GPU; the caps are the meshes' own inner (back) faces, drawn
        flat in a cut-surface colour, so every closed structure reads as solid: bone shows
        a cancellous face, the disc its annulus and nucleus, a root its cross-section.
        """
        if clip is not None and clip not in self.planes:
            raise ValueError(f"unknown cut {clip!r}")
        self.clip = clip
        plane = self.planes.get(clip)
        self.labels.cut = None if plane is None else (np.array(plane.GetOrigin()), np.array(plane.GetNormal()))
        self.labels.invalidate()
        for name, actor in self.actors.items():
            mapper = actor.GetMapper()
            mapper.RemoveAllClippingPlanes()
            if clip is None:
                actor.SetBackfaceProperty(None)
                continue
            mapper.AddClippingPlane(self.planes[clip])
            if name in self.root_cuts:
                continue  # its cut face is its twin's (see __init__)
            cap = actor.GetBackfaceProperty() or _cap_property(CUT_FACES.get(name, COLOURS[name]))
            if name in ("disc_annulus", "disc_nucleus", FRAGMENT):
                from viewer.scene.style import disc_cut_colour

                cap.SetColor(*disc_cut_colour(name, self._disc_degeneration))
            actor.SetBackfaceProperty(cap)
        for name in self.meshes:
            self._draw_cells(name)
        self._cull()
        for name, twin in self.root_cuts.items():
            twin.GetMapper().RemoveAllClippingPlanes()
            if clip is not None:
                twin.GetMapper().AddClippingPlane(self.planes[clip])
            twin.SetVisibility(clip is not None and bool(self.actors[name].GetVisibility()))

    def set_axial_convention(self, convention: str) -> None:
        """See the axial view and cut from the feet ("radiological") or from above ("anatomical"):
        the axial cut then keeps the half the camera looks at. The camera is not moved."""
        from viewer.state.model import AXIAL_CONVENTIONS

        if convention not in AXIAL_CONVENTIONS:
            raise ValueError(f"unknown axial convention {convention!r}")
        if convention == self.axial_convention:
            return
        self.axial_convention = convention
        plane = self.planes["axial"]
        plane.SetNormal(*_cut_planes(self.rest, convention)["axial"].GetNormal())
        plane.Modified()
        if self.clip == "axial":
            self.set_clip("axial")  # the cells drawn, the labels' cut side

    def _cull(self) -> None:
        """Skip back faces wherever nothing needs them.

        Every mesh is closed and wound outward, so from outside its back faces are hidden
        behind its front ones; under software OpenGL they still cost their setup and
        rasterisation: culling them takes the oblique view at 1920x1080 from 47 to 24 ms.
        A cut needs the back faces of what it opens, since they are its solid cut face
        (see set_clip), except the roots', whose cut face is their twin's.
        """
        for name, actor in self.actors.items():
            needs_back = self.clip is not None and name not in self.root_cuts
            actor.prop.culling = "none" if needs_back else "back"

    def preset_camera(self, name: str, zoom: float = VIEW_ZOOM) -> CameraPose:
        """The camera pose of a view preset (see ``style.VIEWS``), the camera left where it is.

        A whole-segment view frames what is drawn (the visible props' bounds) as VTK's camera
        reset does, zoomed in by ``zoom`` (the axial view 1.4 times more, on the canal).
        "foramen" is a close-up of ``self.side``'s foramen: from the side, into it, or, when
        ``self.zone`` is foraminal or extraforaminal, at the place where that herniation meets
        the L5 root, from where both are seen side by side (``camera.herniation_contact``).
        "posterior_oblique" is a close-up of ``self.side``'s pars from behind and to that side:
        the "Scottie dog", whose collar a slip opens.
        """
        direction, up = VIEWS[name]
        if name == "axial":  # along the disc's normal, anterior at the top, closer in on the canal
            direction, up = axial_camera(self.rest, self.axial_convention)
            zoom *= 1.4
        contact = herniation_contact(self.rest, self.zone, self.side) if name == "foramen" else None
        if contact is not None:
            return close_up(self._contact_focus(contact), contact.direction, up, CONTACT_DISTANCE_MM)
        if name in ("foramen", "posterior_oblique"):
            if self.side == "right":  # the mirror image
                direction = (-direction[0], direction[1], direction[2])
            focus = self._foramen_focus() if name == "foramen" else self._pars_focus()
            return close_up(focus, direction, up, CLOSE_UP_MM[name])
        renderer = self.plotter.renderer
        return fitted(direction, up, renderer.ComputeVisiblePropBounds(), renderer.GetTiledAspectRatio(), zoom)

    def camera_pose(self) -> CameraPose:
        """Where the camera is now (after the mouse has moved it, say)."""
        cam = self.plotter.camera
        return CameraPose.of(cam.position, cam.focal_point, cam.up, cam.view_angle)

    def apply_camera(self, pose: CameraPose | None) -> None:
        """Put the camera at ``pose`` (nothing for None)."""
        if pose is None or pose == self.camera_pose():
            return
        cam = self.plotter.camera
        cam.position, cam.focal_point, cam.up = pose.position, pose.focal_point, pose.up
        cam.view_angle = pose.view_angle
        self.plotter.camera_set = True  # else pyvista's first render resets the camera
        self.plotter.renderer.ResetCameraClippingRange()

    def set_view(self, name: str, zoom: float = VIEW_ZOOM) -> None:
        """Point the camera at the segment from a preset at once (offscreen renders)."""
        self.apply_camera(self.preset_camera(name, zoom))

    def _pars_focus(self) -> np.ndarray:
        """``self.side``'s pars interarticularis as it is at rest, a little below and behind the
        pedicle: the Scottie dog's neck stays in the middle while a slip opens its collar."""
        marks = self.rest.segment.landmarks
        pedicle = np.asarray(marks[f"L5_pedicle_inferior_{self.side}"], float)
        posterior = marks["S1_endplate_posterior"] - marks["S1_endplate_anterior"]
        up = np.asarray(VIEWS["posterior_oblique"][1], float)
        return pedicle + PARS_BEHIND_PEDICLE_MM * posterior / np.linalg.norm(posterior) + PARS_FRAME_UP_MM * up

    def _foramen_focus(self) -> np.ndarray:
        """The L5 ganglion of ``self.side`` where it is now: the middle of that foramen."""
        name = f"root_L5_{self.side}"
        source = self.rest.segment.structures[name]
        ring = np.asarray(source.point_data["axis_index"]) == int(source.field_data["ganglion_index"][0])
        return np.asarray(self.meshes[name].points)[ring].mean(axis=0)

    def _contact_focus(self, contact) -> np.ndarray:
        """Halfway from where the herniation leaves the disc to the root it reaches, the root
        where it is now (a slip carries it)."""
        root = np.asarray(self.meshes[contact.root].points)
        ring = root[self.rest.roots[contact.root].ring == contact.ring].mean(axis=0)
        return 0.5 * (ring + contact.disc_margin)
