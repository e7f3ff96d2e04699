"""SceneView: the one piece of code that touches VTK actors.

It adds one actor per structure once, then on every pose writes the new vertex
positions (and normals, and root colours) into the existing arrays: no actor is ever
rebuilt. It works with any pyvista plotter: the window's and an offscreen one for
screenshots, so both draw the same scene.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.rest import Posed, Rest
from viewer.scene import shading
from viewer.scene.binding import follow_model
from viewer.scene.cuts import CUT_OF_SLICE, DrawnCells, cull_back_faces, cut_planes, slice_cut
from viewer.scene.framing import preset_camera
from viewer.scene.shading import ROOT_PREFIX, VertexNormals
from viewer.scene.style import BACKGROUND, COLOURS, CUT_FACES, VIEW_ZOOM, root_colours
from viewer.state.model import CameraPose

FRAGMENT = "herniation_fragment"
SCARS = ("pars_scar_left", "pars_scar_right")
# The pieces of one bone, cut apart on a plane and capped there (see SceneView._join_caps).
JOINED = ("S1", "sacrum")


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
        shading.key_light(plotter)
        structures = rest.segment.structures
        for name in sorted(structures, key=shading.draw_rank):
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
        # Each mesh draws a subset of its cells (see cuts.DrawnCells); picking maps back through it.
        self.cells = DrawnCells(self.meshes)
        self._fragment_allowed = True
        self._scars_allowed = True
        self._hidden_names: set[str] = set()  # hidden by name (set_visible)
        self.axial_convention = "radiological"  # the axial view from the feet (see camera.axial_camera)
        self.planes = cut_planes(rest, self.axial_convention)
        self._standard_cuts = self._cut_places()
        self.clip: str | None = None
        # The MRI slice the imaging pane shows (a meshes.slice_planes.SlicePlane), drawn as a
        # frame; the cut in its orientation lies in it (see show_slice).
        from viewer.scene.slice_outline import SliceOutline

        self.slice_plane = None
        self.slice_outline = SliceOutline(plotter)
        self.side = "left"  # which foramen the close-up looks into
        # The herniation zone chosen: a foraminal or extraforaminal one turns the foramen
        # close-up to where it meets the L5 root (see camera.herniation_contact).
        self.zone = "subarticular"
        from viewer.scene.labels import SceneLabels

        self.labels = SceneLabels(plotter, rest, self.meshes)
        self.model = None  # the SceneModel followed, once bound (see bind)
        self._unsubscribe: list = []
        cull_back_faces(self.actors, self.clip, self.root_cuts)
        self._join_caps()

    def use(self, rest: Rest) -> None:
        """Draw another segment (a new anatomy) in the same actors: each mesh takes the new
        surfaces in place, so the camera, cut, visibility, opacity, colours and selection stay
        as they are. The next :meth:`show` poses it."""
        self.rest = rest
        structures = rest.segment.structures
        sources = dict(structures)
        sources[FRAGMENT] = rest.fragment
        for scar in SCARS:
            sources[scar] = rest.scar_sphere
        for name, source in sources.items():
            mesh = self.meshes[name]
            mesh.copy_from(pv.PolyData(np.array(source.points), source.faces.copy()), deep=True)
            self._fill(name, mesh)
        self.focus = np.mean([m.center for m in structures.values()], axis=0)
        hidden = self.cells.hidden
        self.cells = DrawnCells(self.meshes)
        self.cells.hidden.update({name: None if mask is None or len(mask) != len(self.cells.all_faces[name])
                                  else mask for name, mask in hidden.items()})
        self.labels.use(rest)
        self._standard_cuts = self._cut_places()
        self._aim_cuts()
        self.set_visible({name: name not in self._hidden_names for name in self._all_names()})
        self.set_clip(self.clip)

    def _all_names(self) -> list[str]:
        from meshes.vertebra_l5 import L5_REGIONS

        return [*self.rest.segment.structures, *L5_REGIONS]

    def bind(self, model, request_render=lambda: None) -> None:
        """Draw ``model``'s state now and follow it (``binding.follow_model``): visibility,
        opacity, the cut, the selection, labels, palette, background and camera. Each change
        asks ``request_render()`` for a frame; the posed geometry comes from the frame pipeline
        (``viewer.scene.frame``). :meth:`close` lets go."""
        self.model = model
        self._unsubscribe += follow_model(self, model, request_render)

    def apply_opacity(self, opacity: dict[str, float]) -> None:
        """Each structure's opacity as drawn (``SceneModel.drawn_opacity``)."""
        for name, value in opacity.items():
            if name in self.actors:
                self.set_opacity(name, value)

    def close(self) -> None:
        """Stop following the model and take the labels' render hook off the plotter."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.labels.close()

    def _add(self, name: str, mesh: pv.PolyData) -> None:
        self._fill(name, mesh)
        self.meshes[name] = mesh
        self.actors[name] = shading.add_structure(self.plotter, name, mesh, COLOURS.get(name))

    def _fill(self, name: str, mesh: pv.PolyData) -> None:
        """Give a structure's fresh mesh its normals (and a root its colours, unpressed)."""
        source = self.rest.segment.structures.get(name)
        cap = None if source is None or "cap" not in source.cell_data else np.asarray(source.cell_data["cap"], bool)
        self._normals[name] = VertexNormals(mesh, cap)
        mesh.point_data["Normals"] = self._normals[name]()
        mesh.point_data.active_normals_name = "Normals"
        if name.startswith(ROOT_PREFIX):
            mesh.point_data["colours"] = root_colours(np.zeros(mesh.n_points), np.zeros(mesh.n_points), self.palette)
            self._scalars[name] = {"compression": np.zeros(mesh.n_points), "inflamed": np.zeros(mesh.n_points)}
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
            cell = self.cells.own_cell("L5", picker.GetCellId())
            return L5_REGIONS[int(self.rest.segment.structures["L5"].cell_data["region"][cell])]
        if name == FRAGMENT:
            return "disc_nucleus"
        return name

    def highlight(self, name: str | None) -> None:
        """Tint the selected structure (L5 for an L5 region) so the class sees what is explained."""
        from meshes.vertebra_l5 import L5_REGIONS

        shading.highlight(self.actors, "L5" if name in L5_REGIONS else name)

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
        self.cells.hidden["L5"] = np.isin(region, hidden) if hidden else None
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
            self.cells.hidden[name] = cap if together else None
            self._draw_cells(name)

    def _draw_cells(self, name: str) -> None:
        self.cells.update(name, None if self.clip is None else self.planes[self.clip])

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
            cap = actor.GetBackfaceProperty() or shading.cap_property(CUT_FACES.get(name, COLOURS[name]))
            if name in ("disc_annulus", "disc_nucleus", FRAGMENT):
                from viewer.scene.style import disc_cut_colour

                cap.SetColor(*disc_cut_colour(name, self._disc_degeneration))
            actor.SetBackfaceProperty(cap)
        for name in self.meshes:
            self._draw_cells(name)
        cull_back_faces(self.actors, self.clip, self.root_cuts)
        for name, twin in self.root_cuts.items():
            twin.GetMapper().RemoveAllClippingPlanes()
            if clip is not None:
                twin.GetMapper().AddClippingPlane(self.planes[clip])
            twin.SetVisibility(clip is not None and bool(self.actors[name].GetVisibility()))
        self._outline_slice()

    def set_axial_convention(self, convention: str) -> None:
        """See the axial view and cut from the feet ("radiological") or from above ("anatomical"):
        the axial cut then keeps the half the camera looks at. The camera is not moved."""
        from viewer.state.model import AXIAL_CONVENTIONS

        if convention not in AXIAL_CONVENTIONS:
            raise ValueError(f"unknown axial convention {convention!r}")
        if convention == self.axial_convention:
            return
        self.axial_convention = convention
        self._standard_cuts = self._cut_places()
        self._aim_cuts()

    def _cut_places(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each teaching cut's standard origin and normal (``cuts.cut_planes``) for the axial convention."""
        return {name: (np.array(plane.GetOrigin()), np.array(plane.GetNormal()))
                for name, plane in cut_planes(self.rest, self.axial_convention).items()}

    def show_slice(self, plane) -> None:
        """Draw the MRI slice the imaging pane shows (a ``meshes.slice_planes.SlicePlane``; None for
        none) as a frame round its field, and lay the cut of its orientation in it (``cuts.slice_cut``):
        with the sagittal cut on, a sagittal or foraminal slice is the cut face; with the axial cut, the
        axial slice is. Without a slice the cuts go back to their standard places."""
        self.slice_plane = plane
        self._aim_cuts()

    def _aim_cuts(self) -> None:
        places = dict(self._standard_cuts)
        if self.slice_plane is not None:
            name, origin, normal = slice_cut(self.slice_plane, self.axial_convention)
            places[name] = (origin, normal)
        moved = False
        for name, (origin, normal) in places.items():
            plane = self.planes[name]
            if np.allclose(plane.GetOrigin(), origin, atol=1e-6) and np.allclose(plane.GetNormal(), normal, atol=1e-9):
                continue
            plane.SetOrigin(*origin)
            plane.SetNormal(*normal)
            plane.Modified()
            moved = moved or name == self.clip
        if moved:
            self.set_clip(self.clip)  # the cells drawn, the labels' cut (and the slice's frame)
        else:
            self._outline_slice()

    def _outline_slice(self) -> None:
        from meshes.slice_planes import corners

        plane = self.slice_plane
        following = plane is not None and self.clip == CUT_OF_SLICE[plane.name]
        self.slice_outline.show(None if plane is None else corners(plane), wash=not following)

    def preset_camera(self, name: str, zoom: float = VIEW_ZOOM) -> CameraPose:
        """The camera pose of a view preset (``framing.preset_camera``), the camera left where it is:
        the close-ups look at ``self.side`` (and ``self.zone``'s herniation), the axial view from
        the feet or from above as ``self.axial_convention`` says."""
        return preset_camera(self.plotter.renderer, self.rest, self.meshes, name, self.side, self.zone,
                             self.axial_convention, zoom)

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
