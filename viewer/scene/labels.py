"""3D labels with leader lines, owned and driven by SceneView.

Each label is a vtkCaptionActor2D: text in screen space, a 2D leader line to a point on
the structure. The anchor is a vertex of the structure, so it rides along when the pose
moves it. Before every render the labels are set in two columns beside the anatomy on
screen (so they do not sit on it); an anchor is used only where its surface faces the
camera and nothing drawn opaque lies between it and the camera, and paired structures are
labelled on the side that faces the camera. Text size follows the render size, for projectors.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingAnnotation import vtkCaptionActor2D as vtk_caption

from meshes.rest import Rest
from viewer.scene.anchors import anchor as _anchor
from viewer.scene.orientation import OrientationCompass

# (label, structure, candidate anchors on that structure, paired left/right)
LABELS = (
    ("L5", "L5", ("front", "back", "body_left", "body_right"), False),
    ("S1", "S1", ("promontory", "front", "back", "left", "right", "ala_left", "ala_right"), False),
    ("Sacrum", "sacrum", ("back", "front", "left", "right"), False),
    ("L5–S1 disc", "disc_annulus", ("front", "left", "right"), False),
    ("Dural sac", "dural_sac", ("top",), False),
    ("L5 root", "root_L5", ("ganglion", "ganglion_front"), True),
    ("S1 root", "root_S1", ("low",), True),
    ("Pars", "pars", ("region",), True),
)
REGION_LABELS = {text for text, _s, how, _p in LABELS if how == ("region",)}
# An anchor is used only where its surface faces the camera at least this much (cosine).
FACING = 0.35
# Occlusion: the line of sight from an anchor to the camera is sampled every STEP_MM (from
# START_MM off the surface, up to REACH_MM) in the posed bones' and disc's distance fields;
# reading the offscreen depth buffer per anchor had given unreliable values.
STEP_MM, START_MM, REACH_MM = 2.0, 1.0, 160.0
# How far round an anchor (mm, across the view) the line of sight must be clear too.
GROUND_MM = 0.8
INSIDE_MM = -0.5  # deeper than the fields' interpolation error
CUT_BAND_MM = 1.5  # vertices this close to a cut outline its section
SECTION_SAMPLE = 4000  # vertices looked at per structure to find its section
# Which structures each posed distance field (Posed.obstacles) draws: the "S1" field is the
# whole sacrum's (S1 and the rest are one solid), so it hides what lies behind while either
# of them is shown opaque.
OCCLUDER_STRUCTURES = {"S1": ("S1", "sacrum"), "L5_front": ("L5",), "L5_back": ("L5",), "disc": ("disc_annulus",),
                       "herniation": ("disc_annulus",)}
LEADER_PX = 0.04  # gap between the anatomy's outline and the label column, share of render height
FONT_SHARE = 0.026  # text height, as a share of the render height


class SceneLabels:
    """The label actors of a SceneView; :meth:`update` re-places them for the current camera."""

    def __init__(self, plotter, rest: Rest, meshes: dict) -> None:
        self.plotter = plotter
        self.meshes = meshes
        self.rest = rest
        self.captions: dict[str, vtk_caption] = {}
        self.anchors: dict[str, dict[str | None, list[tuple[str, int]]]] = {}
        self._place_anchors(rest)
        for text, _structure, _candidates, _paired in LABELS:
            caption = vtk_caption()
            caption.SetCaption(text)
            caption.BorderOff()
            caption.LeaderOn()
            caption.ThreeDimensionalLeaderOff()
            caption.SetLeaderGlyphSize(0.0)
            # A steel-blue leader shows on the dark background and on ivory bone alike.
            caption.GetProperty().SetColor(0.45, 0.62, 0.80)
            caption.GetProperty().SetLineWidth(2.5)
            caption.GetTextActor().SetTextScaleModeToNone()
            prop = caption.GetCaptionTextProperty()
            prop.SetColor(0.96, 0.96, 0.94)
            prop.BoldOn()
            prop.ItalicOff()
            prop.ShadowOn()
            prop.SetFontFamilyToArial()
            caption.SetPickable(False)
            caption.SetVisibility(False)
            plotter.renderer.AddActor(caption)
            self.captions[text] = caption
        self._sizes: dict[tuple[str, int], tuple[float, float]] = {}
        self.font_share = FONT_SHARE
        self.cut = None  # (origin, normal) of the active cut: anchors on the cut-away side get no label
        self.visible = False
        self.hidden_structures: set[str] = set()
        self.translucent: set[str] = set()  # see-through structures hide no anchor
        self.occluders: dict = {}  # the posed distance fields (Posed.obstacles), set by SceneView.show
        self._arrays: dict = {}
        # Which anchor each label uses is chosen again on every update, or on every ``every``-th
        # while something animates (the window's choice): visibility changes slowly, and the
        # occlusion test is a third of the labels' cost. Anchors still ride with the pose.
        self.every = 1
        self._updates = 0
        self._choice: dict | None = None
        self._choice_side: str | None = None
        # The orientation letters go on and off with the labels: both name what is seen.
        self.compass = OrientationCompass(plotter.renderer)
        self._observer = plotter.renderer.AddObserver("StartEvent", lambda *_: self.update())

    def _place_anchors(self, rest: Rest) -> None:
        for text, structure, candidates, paired in LABELS:
            sides = ("left", "right") if paired else (None,)
            self.anchors[text] = {side: [_anchor(rest, structure, how, side) for how in candidates]
                                  for side in sides}

    def use(self, rest: Rest) -> None:
        """Anchor the labels on another segment's surfaces (a new anatomy), chosen afresh."""
        self.rest = rest
        self._place_anchors(rest)
        self._choice = None

    def set_visible(self, on: bool) -> None:
        self.visible = bool(on)
        self.compass.set_visible(self.visible)
        self.update()

    def invalidate(self) -> None:
        """Choose the anchors again at the next update (a cut, visibility or opacity changed)."""
        self._choice = None

    def update(self) -> None:
        """Anchor each label on its structure's current vertex; set the labels in two columns.

        Labels sit in a column left and right of the anatomy's outline on screen (clamped to
        the view), each at its anchor's height, spread apart where they would overlap, so
        the leaders never cross the text of another label.
        """
        if not self.visible:
            for caption in self.captions.values():
                caption.SetVisibility(False)
            return
        self.compass.update(self.font_share / FONT_SHARE)
        renderer = self.plotter.renderer
        cam = renderer.GetActiveCamera()
        width, height = renderer.GetRenderWindow().GetSize()
        eye = np.asarray(cam.GetPosition(), float)
        toward_left = cam.GetPosition()[0] < cam.GetFocalPoint()[0]
        font = max(12, int(self.font_share * height))
        placed: list[tuple[vtk_caption, np.ndarray, str]] = []
        chosen = self._visible_anchors(eye, "left" if toward_left else "right")
        for text, caption in self.captions.items():
            anchor = chosen[text]
            at = None if anchor is None else _to_display(renderer, anchor)
            # An anchor off the screen (a close-up) gets no label.
            shown = bool(at is not None and 0 <= at[0] < width and 0 <= at[1] < height)
            caption.SetVisibility(shown)
            if shown:
                caption.SetAttachmentPoint(*anchor)
                placed.append((caption, at, text))
        if not placed:
            return
        outline = self._outline(renderer, width, height)
        centre_x = outline[:, 0].mean()
        gap = LEADER_PX * height
        for left in (True, False):
            column = sorted((p for p in placed if (p[1][0] < centre_x) == left), key=lambda p: -p[1][1])
            y_prev = None
            for caption, at, text in column:
                caption.GetCaptionTextProperty().SetFontSize(font)
                box_w, box_h = self._text_size(caption, text, font)
                if left:
                    x = max(outline[:, 0].min() - gap - box_w, 8.0)
                else:
                    x = min(outline[:, 0].max() + gap, width - box_w - 8.0)
                y = min(at[1], height - 1.6 * font) if y_prev is None else min(at[1], y_prev - 1.6 * font)
                y = max(y, 8.0)
                y_prev = y
                caption.SetPosition(x - at[0], y - at[1] - 0.5 * box_h)
                caption.SetWidth(box_w / max(width, 1))
                caption.SetHeight(box_h / max(height, 1))

    def _text_size(self, caption, text: str, font: int) -> tuple[float, float]:
        """(width, height) in pixels of the caption's box: the rendered text plus padding."""
        key = (text, font)
        if key not in self._sizes:
            from vtkmodules.vtkRenderingCore import vtkTextRenderer

            box = [0, 0, 0, 0]
            vtkTextRenderer.GetInstance().GetBoundingBox(caption.GetCaptionTextProperty(), text, box, 72)
            pad = 2 * caption.GetPadding() + 4
            self._sizes[key] = (box[1] - box[0] + pad, box[3] - box[2] + pad)
        return self._sizes[key]

    def _outline(self, renderer, width: int, height: int) -> np.ndarray:
        """Display positions of a sample of the visible structures' vertices (their outline on screen)."""
        sample = [np.asarray(m.points)[::25] for n, m in self.meshes.items()
                  if n not in self.hidden_structures and m.n_points]
        points = np.vstack(sample)
        cam = renderer.GetActiveCamera()
        m = cam.GetCompositeProjectionTransformMatrix(renderer.GetTiledAspectRatio(), -1.0, 1.0)
        matrix = np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])
        clip = np.c_[points, np.ones(len(points))] @ matrix.T
        ndc = clip[:, :2] / clip[:, 3:4]
        return np.c_[(ndc[:, 0] + 1.0) * 0.5 * width, (ndc[:, 1] + 1.0) * 0.5 * height]

    def _visible_anchors(self, eye: np.ndarray, side: str) -> dict[str, np.ndarray | None]:
        """Each label's anchor point now: see :meth:`_choose` for which one."""
        self._arrays = {}  # each structure's points and normals, read once for this update
        self._updates += 1
        if self._choice is None or self._choice_side != side or self._updates % max(self.every, 1) == 0:
            self._choice, self._choice_side = self._choose(eye, side), side
        return {text: self._point(how) for text, how in self._choice.items()}

    def _choose(self, eye: np.ndarray, side: str) -> dict[str, tuple | None]:
        """Each label's first candidate anchor that faces the camera and is not hidden behind
        opaque anatomy, as ("vertex", structure, index); failing that, with a cut, its
        structure's cut face, as ("cut", structure); else None. Lines of sight are tested
        in batches."""
        candidates = {text: by_side[None if None in by_side else side] for text, by_side in self.anchors.items()}
        facing = {text: [(("vertex", *c), p) for c in cands for p in [self._facing(c, eye)] if p is not None]
                  for text, cands in candidates.items()}
        chosen = self._first_unoccluded(facing, eye)
        if self.cut is not None:
            # A whole structure (not a region of the L5) can be named where the cut opens it.
            missing = {text: [(("cut", candidates[text][0][0]), p)] for text in chosen
                       if chosen[text] is None and text not in REGION_LABELS
                       for p in [self._on_cut_face(candidates[text][0][0])] if p is not None}
            chosen.update({text: how for text, how in self._first_unoccluded(missing, eye).items() if how})
        return chosen

    def _point(self, how: tuple | None) -> np.ndarray | None:
        """Where a chosen anchor is now."""
        if how is None:
            return None
        if how[0] == "cut":
            return self._on_cut_face(how[1])
        points, _ = self._points_and_normals(how[1])
        return points[how[2]].astype(float)

    def _first_unoccluded(self, candidates: dict[str, list[tuple[tuple, np.ndarray]]], eye: np.ndarray) -> dict:
        """Per label, the first (anchor, point) candidate whose line of sight is clear: its anchor."""
        points = [p for pairs in candidates.values() for _how, p in pairs]
        owners = [how[1] for pairs in candidates.values() for how, _p in pairs]
        hidden = self._occluded(np.array(points), eye) if points else np.zeros(0, bool)
        if points:
            # The leader's end needs a little visible ground round it, not a glimpse past another
            # structure's edge: the lines of sight of points a millimetre beside it, across the
            # view, must clear the other structures too.
            pts = np.array(points)
            view = pts.mean(axis=0) - eye
            view /= max(float(np.linalg.norm(view)), 1e-9)
            side = np.cross(view, [0.0, 0.0, 1.0] if abs(view[2]) < 0.9 else [0.0, 1.0, 0.0])
            side /= np.linalg.norm(side)
            up = np.cross(side, view)
            around = [GROUND_MM * d for d in (side, -side, up, -up)]
            for owner in set(owners):
                mine = np.flatnonzero(np.array(owners) == owner)
                others = {n for n, structures in OCCLUDER_STRUCTURES.items() if owner not in structures}
                near = self._occluded(np.vstack([pts[mine] + d for d in around]), eye, others)
                hidden[mine] |= near.reshape(len(around), -1).any(axis=0)
        chosen, i = {}, 0
        for text, pairs in candidates.items():
            chosen[text] = next((how for (how, _p), h in zip(pairs, hidden[i:i + len(pairs)], strict=True)
                                 if not h), None)
            i += len(pairs)
        return chosen

    def _facing(self, candidate: tuple[str, int], eye: np.ndarray) -> np.ndarray | None:
        """The candidate anchor's point if its structure is shown there and faces the camera."""
        structure, vertex = candidate
        if structure in self.hidden_structures:
            return None
        points, normals = self._points_and_normals(structure)
        point = points[vertex].astype(float)
        if self.cut is not None and (point - self.cut[0]) @ self.cut[1] < 0.0:
            return None
        normal = normals[vertex].astype(float)
        to_eye = eye - point
        return point if float(normal @ to_eye) / max(float(np.linalg.norm(to_eye)), 1e-9) > FACING else None

    def _points_and_normals(self, structure: str) -> tuple[np.ndarray, np.ndarray]:
        if structure not in self._arrays:
            mesh = self.meshes[structure]
            self._arrays[structure] = (np.asarray(mesh.points), np.asarray(mesh.point_data["Normals"]))
        return self._arrays[structure]

    def _on_cut_face(self, structure: str) -> np.ndarray | None:
        """A point on ``structure``'s cut face: just inside its section vertex nearest the
        section's middle (None when the cut misses it or it is hidden)."""
        if structure in self.hidden_structures:
            return None
        points, normals = self._points_and_normals(structure)
        origin, normal = self.cut
        stride = 1 + len(points) // SECTION_SAMPLE  # a sample of a big mesh outlines its section as well
        height = np.full(len(points), -1.0)
        height[::stride] = (points[::stride] - origin) @ normal
        near = np.flatnonzero((height >= 0.0) & (height < CUT_BAND_MM))
        if near.size == 0:
            return None
        section = points[near] - np.outer(height[near], normal)
        nearest = near[np.argmin(np.linalg.norm(section - section.mean(axis=0), axis=1))]
        inward = -normals[nearest].astype(float)
        inward -= (inward @ normal) * normal
        flat = points[nearest] - height[nearest] * normal
        return flat + 1.5 * inward / max(float(np.linalg.norm(inward)), 1e-9) + 0.05 * normal

    def _occluded(self, points: np.ndarray, eye: np.ndarray, only: set | None = None) -> np.ndarray:
        """Per point: does opaque bone or disc (of the ``only`` occluders, if given) lie on its
        line of sight to the camera?"""
        steps = np.arange(START_MM, REACH_MM, STEP_MM)
        to_eye = eye - points
        length = np.linalg.norm(to_eye, axis=1, keepdims=True)
        direction = to_eye / np.maximum(length, 1e-9)
        samples = points[:, None, :] + steps[None, :, None] * direction[:, None, :]
        valid = steps[None, :] < length  # not behind the camera
        if self.cut is not None:  # the cut-away side is not drawn, so it hides nothing
            valid &= (samples - self.cut[0]) @ self.cut[1] >= 0.0
        flat = samples.reshape(-1, 3)
        hidden = np.zeros(valid.shape, bool)
        for name, distance in self.occluders.items():
            if only is not None and name not in only:
                continue
            drawn = [s for s in OCCLUDER_STRUCTURES.get(name, ())
                     if s not in self.hidden_structures and s not in self.translucent]
            if not drawn:
                continue
            hidden |= distance(flat).reshape(valid.shape) < INSIDE_MM
        return (hidden & valid).any(axis=1)

    def close(self) -> None:
        self.plotter.renderer.RemoveObserver(self._observer)


def _to_display(renderer, point) -> np.ndarray:
    renderer.SetWorldPoint(*point, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return np.array([x, y])
