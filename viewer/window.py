"""The main window: the 3D scene in the centre, pathology controls on the left, readouts on the right.

Everything binds to the SceneModel: the toggles and sliders set it (through the
animator for the toggles), and listen to it under a signal blocker so nothing loops.
Each model change schedules one frame: pose, write into the actors, measure, render.
"""

from __future__ import annotations

import sys
import traceback

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PyQt6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from meshes.pose import pose, readouts
from viewer.animation import Animator
from viewer.canvas import RENDER_SCALES
from viewer.model import SceneModel
from viewer.names import display_name as _label
from viewer.panels.quiet import check_quietly
from viewer.panels.structures import CLIP_CHOICES
from viewer.style import BACKGROUND, FOLLOW_HOLD_S, PALETTES, VIEWS

FONT_PT = 15
CONTROLS_SHARE = 0.5  # the most of the screen's height the pathology controls may insist on
TURNTABLE_DEG_S = 12.0
LABEL_EVERY_ANIMATED = 3
# Where to look when a cut is switched on: at its cut face.
CLIP_VIEWS = {"sagittal": "left", "axial": "axial"}


class MainWindow(QMainWindow):
    def __init__(self, rest, model: SceneModel | None = None, render_scale: float = 1.0) -> None:
        super().__init__()
        from viewer.canvas import SceneCanvas
        from viewer.scene import SceneView

        self.setWindowTitle("L5–S1 viewer")
        self.setFont(QFont(self.font().family(), FONT_PT))
        self.rest = rest
        self.model = model or SceneModel.for_rest(rest)
        self.animator = Animator(self.model, self)
        self.animator.finished.connect(self._settled)
        from viewer.tour import CameraTour

        # Camera-follow's next view waits on one reused single-shot timer (see CameraTour).
        self._tour_timer = QTimer(self)
        self._tour_timer.setSingleShot(True)
        self.tour = CameraTour(self.model, self.animator.running,
                               later=lambda s: self._tour_timer.start(round(1000 * s / self.animator.speed)),
                               cancel=self._tour_timer.stop)
        self._tour_timer.timeout.connect(self.tour.due)
        self.canvas = SceneCanvas(self, render_scale, BACKGROUND)
        self.plotter = self.canvas.plotter
        self.setCentralWidget(self.canvas)
        from viewer.presenter import Blackout, Overlay

        self.overlay = Overlay(self.canvas)
        self.overlay.hide()
        self.blackout = Blackout(self)
        self.presenting = False
        self._normal_geometry = None  # the window's geometry before presenter mode
        self.lesson_problems = ""  # the last lesson that failed to open: every problem, one per line
        self.font_scale = 1.0
        self._turntable = QTimer(self)
        self._turntable.setInterval(40)
        self._turntable.timeout.connect(self._turn)
        self._turn_clock = None
        self.software_rendering = _software_opengl(self.plotter.render_window)
        # Multisampling costs 3-4x the frame time under llvmpipe; a GPU smooths edges for free.
        self.plotter.render_window.SetMultiSamples(0 if self.software_rendering else GPU_MULTISAMPLES)
        self.scene = SceneView(self.plotter, rest)
        self.scene.side = self.model.get("side")
        self.scene.zone = self.model.get("zone")
        self.scene.set_axial_convention(self.model.get("axial_convention"))
        self.scene.set_view(self.model.get("view"))
        self.posed = None
        self.last_readouts: dict = {}
        self.frames = 0
        self._frame_pending = False
        self._closed = False
        self._camera_anim = None
        self._glide = None  # (start, end) camera position, focal point and view up of a glide
        self.hover_name = ""
        self._build_controls()
        self._build_structure_tree()
        self._build_readouts()
        self._build_lesson_dock()
        self._build_dermatomes()
        self._build_menus()
        # The pathology controls show whole unless the screen is short (then they scroll).
        controls = self.pathology_dock.widget()
        room = self.screen().availableGeometry().height()
        controls.setMinimumHeight(min(controls.widget().sizeHint().height(), int(CONTROLS_SHARE * room)))
        for field in ("slip_percent", "herniation", "degeneration", "zone", "side"):
            self.model.on(field, lambda _v: self.schedule_frame())
        self.model.on("view", self._set_view)
        self.model.on("axial_convention", self._axial_convention)
        self.model.on("side", self._herniation_moved)
        self.model.on("zone", self._herniation_moved)
        self.canvas.clicked.connect(self._clicked)
        self.canvas.hovered.connect(self._hovered)
        self.model.on("selection", self._selected)
        self.model.on("labels", self._labels)
        self.model.on("selection", lambda _v: self._update_overlay())
        self.player.listeners.append(lambda _i: self._update_overlay())
        self.scene.labels.set_visible(self.model.get("labels"))
        self.statusBar().showMessage("Ready")
        self.frame()

    # ----- controls -------------------------------------------------------------
    def _build_controls(self) -> None:
        from viewer.panels.pathology import PathologyPanel

        self.pathology = PathologyPanel(self.model, self.animator, self._follow, FONT_PT)
        p = self.pathology
        # The three toggles are the window's main controls (shortcuts, benchmark, tests).
        self.slip_toggle, self.herniation_toggle, self.degeneration_toggle = (
            p.toggles[f] for f in ("slip_percent", "herniation", "degeneration"))
        dock = QDockWidget("Pathology", self)
        dock.setObjectName("pathology")
        dock.setWidget(_Scrolling(p))
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.pathology_dock = dock

    def _build_structure_tree(self) -> None:
        from meshes.vertebra_l5 import L5_REGIONS
        from viewer.panels.structures import StructurePanel

        self.structures = StructurePanel(self.model, self.rest.segment.structures, {"L5": L5_REGIONS}, self.set_clip)
        p = self.structures
        self.model.on("visible", self._visible)
        self.model.on("opacity", lambda _v: self._apply_opacity())
        self.model.on("ghost_bones", lambda _v: self._apply_opacity())
        self.model.on("clip", self._clip)
        dock = QDockWidget("Structures", self)
        dock.setObjectName("structures")
        dock.setWidget(_Scrolling(p))
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.structures_dock = dock

    def _visible(self, visible: dict) -> None:
        self.scene.set_visible(visible)
        self.canvas.schedule_render()

    def _apply_opacity(self) -> None:
        """Each structure's own opacity; ghosting caps the bones at 25%."""
        for name, opacity in self._drawn_opacity().items():
            self.scene.set_opacity(name, opacity)
        self.canvas.schedule_render()

    def _drawn_opacity(self) -> dict[str, float]:
        ghost = self.model.get("ghost_bones")
        bones = ("L5", "S1", "sacrum")
        return {n: (min(v, 0.25) if ghost and n in bones else v) for n, v in self.model.get("opacity").items()}

    def set_clip(self, clip: str | None) -> None:
        """Cut the scene and glide to the view that looks at the cut face."""
        self.model.set("clip", clip)
        if clip is not None:
            self.model.set("view", CLIP_VIEWS[clip])

    def _labels(self, on: bool) -> None:
        self.scene.labels.set_visible(on)
        check_quietly(self.labels_action, on)
        self.canvas.schedule_render()

    def next_clip(self) -> None:
        clips = [c for _label_text, c in CLIP_CHOICES]
        self.set_clip(clips[(clips.index(self.model.get("clip")) + 1) % len(clips)])

    def _clip(self, clip: str | None) -> None:
        self.scene.set_clip(clip)
        self.canvas.schedule_render()

    def _follow(self, condition) -> None:
        """Camera-follow: the cut and the views that show ``condition`` (its registry entry)."""
        follow = condition.follow(self.model.get("zone"))
        self.set_clip(follow.clip)
        self.tour.start(condition.field, condition.teaching, follow.views, FOLLOW_HOLD_S)

    def _clicked(self, x: float, y: float) -> None:
        """A click (not a drag) at render pixel (x, y): select what is drawn there."""
        name = self.scene.pick(x, y)
        if name is not None:
            self.model.set("selection", name)

    def _hovered(self, x: float, y: float, where) -> None:
        """The mouse rests at (x, y): name what is under it in a tooltip."""
        from PyQt6.QtWidgets import QToolTip

        name = self.scene.pick(x, y)
        self.hover_name = _label(name) if name else ""
        if name:
            QToolTip.showText(self.canvas.mapToGlobal(where.toPoint()), self.hover_name, self.canvas)
        else:
            QToolTip.hideText()

    def _selected(self, name) -> None:
        self.scene.highlight(name)
        if name:
            self.statusBar().showMessage(f"Selected: {_label(name)}")
        self.canvas.schedule_render()

    def _herniation_moved(self, _value) -> None:
        """Another side or zone: the foramen close-up aims at it (see SceneView.set_view), and
        turns to it now if it is the view shown."""
        self.scene.side, self.scene.zone = self.model.get("side"), self.model.get("zone")
        if self.model.get("view") == "foramen":
            self._set_view("foramen")

    def _axial_convention(self, convention: str) -> None:
        """The axial view and cut from the feet or from above: re-cut, and glide round if the
        camera is in the axial view."""
        self.scene.set_axial_convention(convention)
        check_quietly(self.axial_above_action, convention == "anatomical")
        if self.model.get("view") == "axial":
            self._set_view("axial")
        self.canvas.schedule_render()

    def reset_view(self) -> None:
        """Back to the default view (oblique), gliding, whatever the mouse did to the camera."""
        if self.model.get("view") != "oblique":
            self.model.set("view", "oblique")
        else:
            self._set_view("oblique")

    def _set_view(self, name: str) -> None:
        """Glide the camera to a preset over about 0.6 s."""
        cam = self.plotter.camera
        start = (cam.position, cam.focal_point, cam.up)
        self.scene.set_view(name)
        end = (cam.position, cam.focal_point, cam.up)
        cam.position, cam.focal_point, cam.up = start
        self.glide_to(*end)

    def show_view(self, view) -> None:
        """A lesson step's view: a preset (glides even if the model already names it) or a camera."""
        if isinstance(view, dict):
            self.glide_to(view["position"], view["focal_point"], view["up"])
        elif self.model.get("view") != view:
            self.model.set("view", view)
        else:
            self._set_view(view)

    def glide_to(self, position, focal_point, up) -> None:
        """Move the camera smoothly (0.6 s, eased) from where it is to the given pose."""
        import numpy as np
        from PyQt6.QtCore import QEasingCurve, QVariantAnimation

        cam = self.plotter.camera
        self._glide = ([np.array(v, float) for v in (cam.position, cam.focal_point, cam.up)],
                       [np.array(v, float) for v in (position, focal_point, up)])
        if self._camera_anim is None:  # one animation, reused by every glide
            self._camera_anim = QVariantAnimation(self)
            self._camera_anim.setStartValue(0.0)
            self._camera_anim.setEndValue(1.0)
            self._camera_anim.setDuration(600)
            self._camera_anim.setEasingCurve(QEasingCurve.Type.InOutCubic)
            self._camera_anim.valueChanged.connect(lambda v: self._glide_step(float(v)))
        self._camera_anim.stop()
        self._glide_step(0.0)
        self._camera_anim.start()

    def _glide_step(self, t: float) -> None:
        import numpy as np

        if self._closed:
            return
        start, end = self._glide
        pos, focal, view_up = ((1 - t) * a + t * b for a, b in zip(start, end, strict=True))
        cam = self.plotter.camera
        cam.position, cam.focal_point = tuple(pos), tuple(focal)
        cam.up = tuple(view_up / max(np.linalg.norm(view_up), 1e-9))
        self.plotter.renderer.ResetCameraClippingRange()
        self.canvas.render()

    # ----- presenter mode ---------------------------------------------------------
    def toggle_presenter(self, on: bool | None = None) -> None:
        """Fullscreen scene with large captions and readouts; F5 or Esc leaves."""
        on = (not self.presenting) if on is None or not isinstance(on, bool) else on
        if on == self.presenting:
            return
        self.presenting = on
        for dock in self.findChildren(QDockWidget):
            if on:
                dock.setProperty("was_visible", dock.isVisible())
                dock.hide()
            elif dock.property("was_visible"):
                dock.show()
        self.menuBar().setVisible(not on)
        self.statusBar().setVisible(not on)
        self.overlay.setVisible(on)
        if on:
            self._normal_geometry = self.saveGeometry()
            # Without a window manager (a kiosk, Xvfb) nothing resizes a fullscreen window: do it.
            self.setGeometry(self.screen().geometry())
            self.showFullScreen()
        else:
            self.showNormal()
            if self._normal_geometry is not None:
                self.restoreGeometry(self._normal_geometry)
        check_quietly(self.presenter_action, on)
        self._update_overlay()
        self.canvas.setFocus()

    def _space(self) -> None:
        """Space: the next lesson step when presenting a lesson (a clicker's key), else pause/play."""
        if self.presenting and self.player.lesson is not None:
            self.player.next()
        else:
            self.pathology.pause_button.toggle()

    def set_high_contrast(self, on: bool) -> None:
        self.scene.set_high_contrast(on)
        self.overlay.high_contrast = on
        check_quietly(self.contrast_action, on)
        self.overlay.update()
        self.canvas.schedule_render()

    def set_colour_blind(self, on: bool) -> None:
        self.scene.set_palette("colour-blind" if on else "standard")
        check_quietly(self.palette_action, on)
        if self.last_readouts:
            self._show_readouts(self.last_readouts)
        self.canvas.schedule_render()

    def scale_text(self, direction: int) -> None:
        """Ctrl +/-: step the overlay and label text size through FONT_SCALES."""
        from viewer.presenter import FONT_SCALES
        from viewer.scene_labels import FONT_SHARE

        i = min(range(len(FONT_SCALES)), key=lambda k: abs(FONT_SCALES[k] - self.font_scale))
        self.font_scale = FONT_SCALES[min(max(i + direction, 0), len(FONT_SCALES) - 1)]
        self.overlay.scale = self.font_scale
        self.scene.labels.font_share = FONT_SHARE * self.font_scale
        self.overlay.update()
        self.canvas.schedule_render()

    def toggle_blackout(self, on: bool | None = None) -> None:
        on = not self.blackout.isVisible() if not isinstance(on, bool) else on
        self.blackout.setGeometry(self.rect())
        self.blackout.setVisible(on)
        if on:
            self.blackout.raise_()
        check_quietly(self.blackout_action, on)

    def toggle_turntable(self, on: bool | None = None) -> None:
        """A slow turn about the vertical axis (12° a second), for a class to look at."""
        import time

        on = not self._turntable.isActive() if not isinstance(on, bool) else on
        if on:
            self._turn_clock = time.perf_counter()
            self._turntable.start()
        else:
            self._turntable.stop()
        check_quietly(self.turntable_action, on)

    def _turn(self) -> None:
        import time

        now = time.perf_counter()
        degrees = TURNTABLE_DEG_S * (now - self._turn_clock)
        self._turn_clock = now
        cam = self.plotter.camera
        cam.Azimuth(degrees)
        cam.OrthogonalizeViewUp()
        self.canvas.render()

    def _update_overlay(self) -> None:
        """The overlay's caption (lesson step, else selection, else active condition) and readouts."""
        if not self.presenting:
            return
        step = self.player.step
        if step is not None:
            caption = step.title
        elif self.model.get("selection"):
            caption = _label(self.model.get("selection"))
        else:
            caption = self.explanation.annotations[self.explanation.annotation_id()].title
        lines = []
        r = self.last_readouts
        if r:
            lines.append((f"Slip {r['slip_percent']:.0f}%  ·  Meyerding {r['meyerding_grade']}", None))
            colour = PALETTES[self.scene.palette]["compressed"]
            for name, v in r["roots"].items():
                if v["compressed"]:
                    level, side = name.split("_")[1:]
                    lines.append((f"{level} root compressed ({side})", _bright(colour)))
            if r["herniation"]["stage"] != "none":
                lines.append((f"Herniation: {r['herniation']['stage']}", None))
        self.overlay.set_content(caption, lines)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.blackout.setGeometry(self.rect())

    # ----- dermatomes ------------------------------------------------------------
    def _build_dermatomes(self) -> None:
        from viewer.dermatomes import DermatomePanel

        self.dermatomes = DermatomePanel()
        dock = QDockWidget("Where it hurts", self)
        dock.setObjectName("dermatomes")
        dock.setWidget(_Scrolling(self.dermatomes))
        # Shares the left column with the structure tree, as a tab that comes forward when a root
        # becomes compressed, so the right column keeps its room for the explanations.
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.tabifyDockWidget(self.structures_dock, dock)
        self.structures_dock.raise_()
        self.dermatome_dock = dock

    def _show_dermatomes(self, r: dict) -> None:
        roots = [tuple(name.split("_")[1:]) for name, v in r["roots"].items() if v["compressed"]]
        newly = roots and not self.dermatomes.compressed
        self.dermatomes.set_compressed(roots, PALETTES[self.scene.palette]["inflamed"])
        if newly:
            self.dermatome_dock.raise_()

    # ----- lessons --------------------------------------------------------------
    def _build_lesson_dock(self) -> None:
        from viewer.lesson_player import LessonPlayer

        self.player = LessonPlayer(self.model, self.animator.animate, self.show_view)
        self.player.listeners.append(self._show_step)
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        self.step_view = QTextBrowser()
        self.step_view.setOpenExternalLinks(False)
        # Read-only text must not take the clicker's PageUp/PageDown for scrolling.
        self.step_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.clicked.connect(self.player.previous)
        self.next_button = QPushButton("Next ▶")
        self.next_button.clicked.connect(self.player.next)
        close = QPushButton("Close lesson")
        close.clicked.connect(self.close_lesson)
        holder = QWidget()
        lay = QVBoxLayout(holder)
        lay.addWidget(self.step_label)
        lay.addWidget(self.step_view, 1)
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.prev_button, self.next_button, close):
            buttons.addWidget(b)
        lay.addWidget(row)
        self.lesson_dock = QDockWidget("Lesson", self)
        self.lesson_dock.setObjectName("lesson")
        self.lesson_dock.setWidget(holder)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.lesson_dock)
        self.lesson_dock.hide()

    def open_lesson(self, lesson) -> bool:
        """Open a lesson (a Lesson, or a path to check first) at its first step."""
        from annotations.lessons import LessonError
        from viewer.lesson_player import read

        if not hasattr(lesson, "steps"):
            try:
                lesson = read(str(lesson))
            except LessonError as exc:
                self.statusBar().showMessage(f"Lesson not opened: {str(exc).splitlines()[0]}", 15000)
                self.lesson_problems = str(exc)
                return False
        self.lesson_dock.show()
        self.player.open(lesson)
        return True

    def close_lesson(self) -> None:
        self.player.close()
        self.lesson_dock.hide()

    def _open_lesson_dialog(self) -> None:
        from annotations.lessons import LESSONS

        path, _ = QFileDialog.getOpenFileName(self, "Open lesson", str(LESSONS), "Lessons (*.toml)")
        if path and not self.open_lesson(path):
            QMessageBox.warning(self, "Lesson has problems", self.lesson_problems)

    def _show_step(self, index: int) -> None:
        lesson, step = self.player.lesson, self.player.step
        if step is None:
            self.step_label.clear()
            self.step_view.clear()
            return
        self.lesson_dock.setWindowTitle(f"Lesson: {lesson.title}")
        self.step_label.setText(f"<b>Step {index + 1} of {len(lesson.steps)}</b> — {step.title}")
        self.step_view.setMarkdown(f"## {step.title}\n\n{step.text}\n")
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(lesson.steps) - 1)
        self.statusBar().showMessage(f"Step {index + 1} of {len(lesson.steps)}: {step.title}")

    # ----- readouts -------------------------------------------------------------
    def _build_readouts(self) -> None:
        from viewer.panels.explanation import ExplanationPanel

        self.explanation = ExplanationPanel(self.model, self.font(), FONT_PT)
        self.readout_label = self.explanation.readout_label
        self.annotation_view = self.explanation.annotation_view
        dock = QDockWidget("Measured", self)
        dock.setObjectName("readouts")
        dock.setWidget(self.explanation)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)

    def _show_readouts(self, r: dict) -> None:
        self._show_dermatomes(r)
        self._update_overlay()
        self.explanation.show_readouts(r, PALETTES[self.scene.palette]["text"])

    # ----- menus ----------------------------------------------------------------
    def _build_menus(self) -> None:
        self.shortcuts: dict[str, str] = {}
        file_menu = self.menuBar().addMenu("&File")
        for text, key, slot, help_text in (
            ("Save screenshot…", "Ctrl+S", self._save_screenshot, "save a 4K screenshot"),
            ("Open lesson…", "Ctrl+O", self._open_lesson_dialog, "open a lesson"),
            ("Record animation…", "Ctrl+Shift+R", self._record_dialog, "record an animation"),
            ("Export meshes…", "Ctrl+E", self._export, "export the meshes"),
            ("Quit", "Ctrl+Q", self.close, "quit"),
        ):
            self._action(file_menu, text, key, slot, help_text)
        view_menu = self.menuBar().addMenu("&View")
        for key, name in zip("123456789", VIEWS, strict=True):
            title = name.replace("_", " ").capitalize()
            self._action(view_menu, title, key, lambda n=name: self.model.set("view", n), f"{title.lower()} view")
        self._action(view_menu, "Reset view", "R", self.reset_view, "reset the view")
        self.labels_action = self._action(view_menu, "Labels", "L", lambda on: self.model.set("labels", on),
                                          "labels on / off", checkable=True)
        self.labels_action.setChecked(self.model.get("labels"))
        self._action(view_menu, "Next cut (none, mid-sagittal, axial)", "C", self.next_clip,
                     "next cut: none, mid-sagittal, axial")
        self.axial_above_action = self._action(
            view_menu, "Axial view from above (anatomy atlas)", "",
            lambda on: self.model.set("axial_convention", "anatomical" if on else "radiological"), checkable=True)
        self.axial_above_action.setToolTip("Off: seen from the feet, as CT and MR slices are (the patient's right "
                                           "on the screen's left)")
        self.axial_above_action.setChecked(self.model.get("axial_convention") == "anatomical")
        view_menu.addSeparator()
        self.presenter_action = self._action(view_menu, "Presenter mode", "F5", self.toggle_presenter,
                                             "presenter mode on / off (Esc leaves)", checkable=True)
        self._action(self, "Leave presenter mode", "Esc", lambda: self.presenting and self.toggle_presenter())
        self.contrast_action = self._action(view_menu, "High contrast", "Ctrl+H", self.set_high_contrast,
                                            "high contrast on / off", checkable=True)
        self.palette_action = self._action(view_menu, "Colour-blind-safe palette", "Ctrl+B", self.set_colour_blind,
                                           "colour-blind-safe root colours", checkable=True)
        self._action(view_menu, "Bigger text", "Ctrl++", lambda: self.scale_text(+1), "bigger text")
        self._action(self, "Bigger text (=)", "Ctrl+=", lambda: self.scale_text(+1))
        self._action(view_menu, "Smaller text", "Ctrl+-", lambda: self.scale_text(-1), "smaller text")
        self.blackout_action = self._action(view_menu, "Black screen", "B", self.toggle_blackout,
                                            "black screen on / off", checkable=True)
        self.turntable_action = self._action(view_menu, "Turntable", "A", self.toggle_turntable,
                                             "slow turntable rotation on / off", checkable=True)
        view_menu.addSeparator()
        scale_menu = view_menu.addMenu("Render scale")
        self.scale_actions = QActionGroup(self)
        for scale in RENDER_SCALES:
            act = QAction(f"{scale:.0%}" + (" (sharpest)" if scale == 1.0 else ""), self, checkable=True)
            act.setChecked(abs(scale - self.canvas.render_scale) < 1e-6)
            act.triggered.connect(lambda _c=False, s=scale: self.canvas.set_render_scale(s))
            self.scale_actions.addAction(act)
            scale_menu.addAction(act)
        for c in self.model.conditions:
            button = self.pathology.toggles[c.field]
            self._action(self, button.text(), c.key, button.toggle, f"toggle {button.text().lower()}")
        for keys, label, slot in ((("PgDown", "Right"), "next lesson step", self.player.next),
                                  (("PgUp", "Left"), "previous lesson step", self.player.previous)):
            act = self._action(self, label, keys[0], slot, label)
            act.setShortcuts([QKeySequence(k) for k in keys])
            self.shortcuts[" / ".join(keys)] = self.shortcuts.pop(keys[0])
        self._action(self, "Pause", "Space", self._space, "pause / play (next step when presenting a lesson)")
        # Shortcuts must keep working when presenter mode hides the menu bar.
        for menu in (file_menu, view_menu):
            for act in menu.actions():
                if not act.isSeparator() and act.menu() is None:
                    self.addAction(act)
        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("Keyboard shortcuts", self)
        keys.triggered.connect(self._show_shortcuts)
        help_menu.addAction(keys)

    def _action(self, menu, text: str, key: str, slot, help_text: str = "", checkable: bool = False) -> QAction:
        """A QAction with a shortcut (none if ``key`` is empty), added to ``menu`` (or the window) and
        listed in Help when it has ``help_text``."""
        act = QAction(text, self, checkable=checkable)
        if key:
            act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda checked=False: slot(checked) if checkable else slot())
        menu.addAction(act)
        if help_text:
            self.shortcuts[key] = help_text
        return act

    def _show_shortcuts(self) -> None:
        text = "\n".join(f"{k:14s} {v}" for k, v in self.shortcuts.items())
        QMessageBox.information(self, "Keyboard shortcuts", text)

    EXPORT_CHOICES = {
        "glb: one scene for slides, web pages and Blender": "glb",
        "vtp: VTK, ParaView (keeps the bone regions)": "vtp",
        "stl: 3D printing": "stl",
        "ply": "ply",
        "obj": "obj",
    }

    def _export(self) -> None:
        from PyQt6.QtWidgets import QInputDialog

        choice, ok = QInputDialog.getItem(self, "Export meshes", "Format:", list(self.EXPORT_CHOICES), 0, False)
        if not ok:
            return
        folder = QFileDialog.getExistingDirectory(self, "Export meshes to folder")
        if folder:
            self.export_to(folder, self.EXPORT_CHOICES[choice])

    def export_to(self, folder: str, fmt: str = "vtp") -> str:
        """Write the posed meshes and manifest like ``l5s1-viewer export`` does, in the
        colours on screen (glb)."""
        from meshes.export import ExportError, export
        from meshes.pose import posed_structures
        from meshes.segment import REGIONS
        from viewer.style import structure_colours

        state = self.model.pathology
        structures = posed_structures(self.rest, self.posed)
        colours = structure_colours(structures, state.degeneration, self.scene.palette)
        try:
            out = export(folder, structures, REGIONS, self.posed.landmarks, state.as_dict(), fmt, colours)
        except ExportError as exc:
            self.statusBar().showMessage(f"Export failed: {exc}", 10000)
            return ""
        self.statusBar().showMessage(f"Exported to {out}")
        return str(out)

    def _record_dialog(self) -> None:
        from PyQt6.QtWidgets import QInputDialog

        choices = {c.label: c.name for c in self.model.conditions}
        if self.player.lesson is not None:
            choices[f"Lesson: {self.player.lesson.title}"] = "lesson"
        label, ok = QInputDialog.getItem(self, "Record animation", "What to record:", list(choices), 0, False)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Record to", "l5s1.mp4", "Video (*.mp4);;Animated GIF (*.gif)")
        if path:
            self.record_to(path, choices[label])

    def record_to(self, path: str, what: str, fps: int = 25, seconds: float | None = None,
                  size: tuple[int, int] = (1280, 720)) -> str:
        """Record ``what`` ("slip", "herniation" or "lesson") like ``l5s1-viewer record``, with a progress bar."""
        from PyQt6.QtWidgets import QProgressDialog

        from viewer.recorder import RecordError, animation_frames, lesson_frames, record

        if what == "lesson":
            frames = lesson_frames(self.player.lesson, fps, seconds)
        else:
            frames = animation_frames(what, fps, seconds or 6.0, self.model.get("zone"), self.model.get("side"))
        dialog = QProgressDialog("Recording…", "Cancel", 0, len(frames), self)
        dialog.setWindowTitle("Record animation")
        dialog.setMinimumDuration(0)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def progress(done: int, total: int) -> bool:
            self.record_done = (done, total)
            dialog.setValue(done)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            out = record(path, frames, fps, size, self.rest, progress, self.model.get("axial_convention"))
        except RecordError as exc:
            self.statusBar().showMessage(f"Not recorded: {exc}", 10000)
            return ""
        finally:
            dialog.close()
            dialog.deleteLater()
        self.statusBar().showMessage(f"Recorded {out} ({len(frames)} frames)")
        return str(out)

    def _save_screenshot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "l5s1.png", "PNG images (*.png)")
        if path:
            self.save_screenshot(path)

    def save_screenshot(self, path: str, size: tuple[int, int] = (3840, 2160)) -> str:
        """Render what the window shows (camera, cut, labels, visibility) at ``size`` to a PNG."""
        from viewer.screenshot import ScreenshotError, check_target, render, save_png

        try:
            target = check_target(path)
            cam = self.plotter.camera
            opacity = self._drawn_opacity()
            image = render(self.rest, self.posed, size, self.model.get("view"), labels=self.model.get("labels"),
                           clip=self.model.get("clip"), visible=self.model.get("visible"), opacity=opacity,
                           camera=(cam.position, cam.focal_point, cam.up, cam.view_angle),
                           side=self.model.get("side"), zone=self.model.get("zone"),
                           axial_convention=self.model.get("axial_convention"))
            save_png(image, target)
        except (ScreenshotError, OSError) as exc:
            self.statusBar().showMessage(f"Screenshot not saved: {exc}", 10000)
            return ""
        self.statusBar().showMessage(f"Saved {target}")
        return str(target)

    # ----- frames ---------------------------------------------------------------
    def schedule_frame(self) -> None:
        """Coalesce changes: several fields changing in one tick give one frame."""
        if not self._frame_pending and not self._closed:
            self._frame_pending = True
            QTimer.singleShot(0, self.frame)

    def frame(self) -> None:
        self._frame_pending = False
        if self._closed:
            return
        state = self.model.pathology
        # While a condition animates, labels choose their anchors every third frame.
        self.scene.labels.every = LABEL_EVERY_ANIMATED if self.animator.running() else 1
        self.posed = pose(self.rest, state)
        self.scene.show(self.posed)
        self.last_readouts = readouts(self.rest, self.posed, state)
        self._show_readouts(self.last_readouts)
        self.canvas.render()
        self.frames += 1

    def _settled(self, _field: str) -> None:
        """Every animation has finished: give the frames' freed heap back (see viewer.memory)."""
        from viewer.memory import release_free_memory

        if not self.animator.running():
            QTimer.singleShot(0, release_free_memory)  # after the last frame has been drawn

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._closed = True
        self._turntable.stop()
        self._tour_timer.stop()
        self.animator.stop()
        if self._camera_anim is not None:
            self._camera_anim.stop()
        self.canvas.close_plotter()
        self.statusBar().clearMessage()  # stops a timed message's timer
        super().closeEvent(event)


GPU_MULTISAMPLES = 4


def _software_opengl(render_window) -> bool:
    """True when OpenGL is Mesa's software rasteriser (llvmpipe, softpipe, swrast)."""
    try:
        render_window.Initialize()  # an offscreen window has no OpenGL context until initialised
        caps = render_window.ReportCapabilities() or ""
    except Exception:  # noqa: BLE001 - a driver that cannot report is treated as hardware
        return False
    renderer = next((line for line in caps.splitlines() if "renderer string" in line.lower()), "")
    return any(name in renderer.lower() for name in ("llvmpipe", "softpipe", "swrast"))


def _bright(hex_colour: str) -> str:
    """A colour lifted toward white, readable on the overlay's dark backdrop."""
    from viewer.style import hex_colour as as_hex
    from viewer.style import rgb

    return as_hex(0.45 + 0.55 * rgb(hex_colour))


class _Scrolling(QScrollArea):
    """A panel in a frameless vertical scroll area: on a short screen (1366x768 and below) the
    dock shrinks and scrolls instead of pushing the window taller than the screen."""

    def __init__(self, panel: QWidget) -> None:
        super().__init__()
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(panel.minimumSizeHint().width())


def install_error_handler(window: MainWindow) -> None:
    """Errors inside Qt callbacks go to the status bar instead of aborting the program."""

    def hook(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb, file=sys.stderr)
        try:
            window.statusBar().showMessage(f"Error: {value}", 10000)
        except RuntimeError:
            pass

    sys.excepthook = hook
