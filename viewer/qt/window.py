"""The main window: it only composes. The 3D scene in the centre, pathology controls and the
structure tree on the left, the explanation and readouts (and a lesson) on the right.

Everything binds to the evented SceneModel (``viewer.state.model``). The scene adapter follows it,
the frame pipeline poses and measures when a condition changes, the camera director glides the
camera when the view changes, and each dock panel mirrors it under a signal blocker; the menus
(``viewer.qt.actions``), presenter mode (``viewer.qt.presenter``) and the file dialogs
(``viewer.qt.dialogs``) live in their own modules. All drawing goes through the canvas's one
render coalescer: a tick that moves the camera and a condition together is one render.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QTabBar, QToolTip, QWidget

from viewer.qt.panels.structures import CLIP_CHOICES
from viewer.scene.style import BACKGROUND, FOLLOW_HOLD_S, PALETTES
from viewer.state.model import SceneModel
from viewer.state.names import display_name

FONT_PT = 15
CONTROLS_SHARE = 0.5  # the most of the screen's height the pathology controls may insist on
# The imaging pane's share of the window's width: a column of its own beside the readouts, and
# presenting side by side, most of the screen's right.
FILM_SHARE, PRESENTED_FILM_SHARE = 0.26, 0.42
# Where to look when a cut is switched on: at its cut face.
CLIP_VIEWS = {"sagittal": "left", "axial": "axial"}
PRACTICE_QUESTIONS = 10
STATUS_MS = 8000  # how long a one-line message stays in the status bar  # File > Practice's quiz length
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


class MainWindow(QMainWindow):
    def __init__(self, rest, model: SceneModel | None = None, render_scale: float = 1.0) -> None:
        super().__init__()
        from meshes.vertebra_l5 import L5_REGIONS
        from viewer.qt.actions import Actions
        from viewer.qt.animation import Animator
        from viewer.qt.canvas import SceneCanvas
        from viewer.qt.dermatomes import DermatomePanel
        from viewer.qt.dialogs import Dialogs
        from viewer.qt.director import CameraDirector
        from viewer.qt.links import LinkActions
        from viewer.qt.panels.anatomy import AnatomyPanel
        from viewer.qt.panels.explanation import ExplanationPanel
        from viewer.qt.panels.imaging import ImagingPanel
        from viewer.qt.panels.lesson import LessonDock
        from viewer.qt.panels.pathology import PathologyPanel
        from viewer.qt.panels.structures import StructurePanel
        from viewer.qt.presenter import Presenter
        from viewer.qt.rebuild import Rebuilder
        from viewer.scene.frame import FramePipeline
        from viewer.scene.view import SceneView
        from viewer.state.lesson_player import LessonPlayer
        from viewer.state.tour import CameraTour

        self.setWindowTitle("L5–S1 viewer")
        self.setFont(QFont(self.font().family(), FONT_PT))
        self.rest = rest
        self.model = model = model or SceneModel.for_rest(rest)
        self.animator = Animator(model, self)
        self.animator.finished.connect(self._settled)
        self.canvas = SceneCanvas(self, render_scale, BACKGROUND)
        self.plotter = self.canvas.plotter
        self.setCentralWidget(self.canvas)
        self.software_rendering = self.canvas.tune_multisampling()
        self.scene = SceneView(self.plotter, rest)
        self.scene.bind(model, self.canvas.schedule_render)
        self._frame_timer = QTimer(self)  # coalesces: several fields changing in one tick, one frame
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(0)
        self.pipeline = FramePipeline(rest, model, self.scene, self._frame_timer.start, self.canvas.schedule_render,
                                      self.animator.running)
        self._frame_timer.timeout.connect(lambda: self.pipeline.frame())
        self.pipeline.frame()  # posed before the camera aims at a posed root
        self.director = CameraDirector(model, self.scene, self)
        # Camera-follow's next view waits on one reused single-shot timer (see CameraTour).
        self._tour_timer = QTimer(self)
        self._tour_timer.setSingleShot(True)
        self.tour = CameraTour(model, self.animator.running,
                               later=lambda s: self._tour_timer.start(round(1000 * s / self.animator.speed)),
                               cancel=self._tour_timer.stop)
        self._tour_timer.timeout.connect(self.tour.due)
        self.player = LessonPlayer(model, self.animator.animate, self.director.show)
        self.links = LinkActions(self, self.tell)
        self.pathology = PathologyPanel(model, self.animator, self._follow, FONT_PT)
        self.pathology_dock = self._dock("Pathology", "pathology", _Scrolling(self.pathology), LEFT)
        self.structures = StructurePanel(model, rest.segment.structures, {"L5": L5_REGIONS}, self.set_clip)
        self.structures_dock = self._dock("Structures", "structures", _Scrolling(self.structures), LEFT)
        self.explanation = ExplanationPanel(model, self.font(), FONT_PT, self.links.follow)
        self.explanation_dock = self._dock("Measured", "readouts", self.explanation, RIGHT)
        self.lesson_dock = LessonDock(self.player, self.statusBar().showMessage, self, self.links.follow)
        self.addDockWidget(RIGHT, self.lesson_dock)
        self.lesson_dock.hide()
        self.imaging = ImagingPanel(model, rest, self.pipeline, self.animator.running, self.explanation.annotations)
        self.imaging_dock = self._dock("Imaging", "imaging", self.imaging, RIGHT)
        self.splitDockWidget(self.explanation_dock, self.imaging_dock, Qt.Orientation.Horizontal)
        # Shown and hidden by the model's film (View > Imaging pane, key I, a lesson step), so
        # presenter mode hiding the docks does not ask for no film.
        self.imaging_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                      | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.imaging_dock.setVisible(model.film is not None)
        self.dermatomes = DermatomePanel()
        # Shares the left column with the structure tree, as a tab that comes forward when a root
        # becomes compressed, so the right column keeps its room for the explanations.
        self.dermatome_dock = self._dock("Where it hurts", "dermatomes", _Scrolling(self.dermatomes), LEFT)
        self.tabifyDockWidget(self.structures_dock, self.dermatome_dock)
        # The anatomy drawn: presets and dimensions, rebuilt on a worker thread (viewer.qt.rebuild).
        self.anatomy = AnatomyPanel(model, self.tell)
        self.anatomy_dock = self._dock("Anatomy", "anatomy", _Scrolling(self.anatomy), LEFT)
        self.tabifyDockWidget(self.dermatome_dock, self.anatomy_dock)
        self.rebuilder = Rebuilder(model, self.use_rest, self.tell, self)
        self.rebuilder.busy_changed.connect(self._busy)
        self.structures_dock.raise_()
        # Three tabs' titles at the window's type size are wider than the column: let the tab bar
        # scroll rather than push the column (and shrink the scene).
        for bar in self.findChildren(QTabBar):
            bar.setUsesScrollButtons(True)
            bar.setElideMode(Qt.TextElideMode.ElideNone)
        need = max(panel.sizeHint().width() for panel in (self.pathology, self.structures, self.anatomy))
        scrollbar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        self.resizeDocks([self.pathology_dock], [need + scrollbar], Qt.Orientation.Horizontal)
        self.presenter = Presenter(self, self.canvas, self.director, self.player, self.explanation, self.pipeline,
                                   changed=lambda on: self.menus.presenter.setChecked(on))
        self.dialogs = Dialogs(self)
        self.menus = Actions(self)
        # The pathology controls show whole unless the screen is short (then they scroll).
        controls = self.pathology_dock.widget()
        room = self.screen().availableGeometry().height()
        controls.setMinimumHeight(min(controls.widget().sizeHint().height(), int(CONTROLS_SHARE * room)))
        self.pipeline.listeners.append(self._show_readouts)
        self._unsubscribe = [model.on("selection", self._selected),
                             model.on("film", self.place_film),
                             model.on("palette", lambda _p: self._show_readouts(self.pipeline.readouts))]
        self.canvas.clicked.connect(self._clicked)
        self.canvas.hovered.connect(self._hovered)
        self.canvas.camera_moved.connect(self.director.moved_by_hand)
        self.hover_name = ""
        self.practice = None  # File > Practice's window, while open
        self._closed = False
        self._show_readouts(self.pipeline.readouts)
        self.statusBar().showMessage("Ready")

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ----- what the panels and keys ask of the window ------------------------------------------
    def set_clip(self, clip: str | None) -> None:
        """Cut the scene and glide to the view that looks at the cut face."""
        self.model.clip = clip
        if clip is not None:
            self.model.view = CLIP_VIEWS[clip]

    def open_practice(self, seed: int | None = None, count: int = PRACTICE_QUESTIONS):
        """File > Practice: a quiz of ``count`` random cases posed on this window's segment, in a
        window of its own (``viewer.qt.practice``); ``seed`` draws it again (a new one when None,
        shown in its title)."""
        import random

        from viewer.qt.practice import PracticeWindow
        from viewer.state.practice import MAX_SEED, PracticeSession

        if self.practice is not None:
            self.practice.close()
        seed = random.SystemRandom().randint(0, MAX_SEED) if seed is None else seed
        self.practice = PracticeWindow(PracticeSession(seed, count, self.rest), self)
        self.practice.resize(self.size())
        self.practice.show()
        return self.practice

    def next_clip(self) -> None:
        clips = [c for _label, c in CLIP_CHOICES]
        self.set_clip(clips[(clips.index(self.model.clip) + 1) % len(clips)])

    def reset_view(self) -> None:
        """Back to the default view (oblique), gliding, whatever the mouse did to the camera."""
        self.director.show("oblique")

    def scale_text(self, direction: int) -> None:
        """Ctrl +/-: the overlay's and the labels' text, one step bigger or smaller."""
        from viewer.scene.labels import FONT_SHARE

        self.scene.labels.font_share = FONT_SHARE * self.presenter.scale_text(direction)
        self.canvas.schedule_render()

    def space(self) -> None:
        """Space: the next lesson step when presenting a lesson (a clicker's key), else pause/play."""
        if self.presenter.presenting and self.player.lesson is not None:
            self.player.next()
        else:
            self.pathology.pause_button.toggle()

    def _follow(self, condition) -> None:
        """Camera-follow: the cut and the views that show ``condition`` (its registry entry)."""
        follow = condition.follow(self.model.zone)
        self.set_clip(follow.clip)
        self.tour.start(condition.field, condition.teaching, follow.views, FOLLOW_HOLD_S)

    def _clicked(self, x: float, y: float) -> None:
        """A click (not a drag) at render pixel (x, y): select what is drawn there."""
        name = self.scene.pick(x, y)
        if name is not None:
            self.model.selection = name

    def _hovered(self, x: float, y: float, where) -> None:
        """The mouse rests at (x, y): name what is under it in a tooltip."""
        name = self.scene.pick(x, y)
        self.hover_name = display_name(name) if name else ""
        if name:
            QToolTip.showText(self.canvas.mapToGlobal(where.toPoint()), self.hover_name, self.canvas)
        else:
            QToolTip.hideText()

    def place_film(self, film: str | None) -> None:
        """Show the imaging pane with a film; presenting, give it a big share of the screen."""
        self.imaging_dock.setVisible(film is not None)
        if film is not None:
            share = PRESENTED_FILM_SHARE if self.presenter.presenting else FILM_SHARE
            self.resizeDocks([self.imaging_dock], [int(share * self.width())], Qt.Orientation.Horizontal)
            if self.model.view is not None:  # the scene is narrower now: frame its view again
                QTimer.singleShot(0, lambda: self.director.show(self.model.view))

    def tell(self, text: str) -> None:
        """One line in the status bar for a while (a refused value, a link not opened, a rebuild)."""
        self.statusBar().showMessage(text, STATUS_MS)

    def use_rest(self, rest) -> None:
        """Draw another segment (the rebuilder's, for a new anatomy): the same actors take its
        surfaces, the frame is posed and measured again; conditions, camera, cut and selection stay."""
        self.rest = rest
        self.scene.use(rest)
        self.imaging.use(rest)
        self.pipeline.rest = rest
        self.pipeline.invalidate()

    def _busy(self, busy: bool) -> None:
        """A rebuild is waiting or running: the Anatomy tab's moving bar, and a busy pointer."""
        self.anatomy.set_busy(busy)
        if busy:
            self.canvas.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.canvas.unsetCursor()
            self._show_readouts(self.pipeline.readouts)

    def _selected(self, name) -> None:
        if name:
            self.statusBar().showMessage(f"Selected: {display_name(name)}")

    def _show_readouts(self, r: dict) -> None:
        palette = PALETTES[self.model.palette]
        roots = [tuple(name.split("_")[1:]) for name, v in r["roots"].items() if v["compressed"]]
        newly = roots and not self.dermatomes.compressed
        self.dermatomes.set_compressed(roots, palette["inflamed"])
        if newly:
            self.dermatome_dock.raise_()
        self.explanation.show_readouts(r, palette["text"], self.rebuilder.in_use.title)

    def _settled(self, _field: str) -> None:
        """Every animation has finished: the film at full size, and the frames' freed heap given
        back (see viewer.qt.memory)."""
        from viewer.qt.memory import release_free_memory

        if not self.animator.running():
            self.imaging.request()
            QTimer.singleShot(0, release_free_memory)  # after the last frame has been drawn

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.presenter.blackout.setGeometry(self.rect())

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Stop every timer and animation, release every model subscription, close the plotter."""
        if not self._closed:
            self._closed = True
            if self.practice is not None:
                self.practice.close()
            self._frame_timer.stop()
            self._tour_timer.stop()
            self.animator.stop()
            self.rebuilder.close()
            for part in (self.imaging, self.presenter, self.director, self.tour, self.pipeline, self.scene):
                part.close()
            for bindings in (self.pathology.bindings, self.structures.bindings, self.explanation.bindings,
                             self.menus.bindings, self.anatomy.bindings):
                bindings.release()
            for unsubscribe in self._unsubscribe:
                unsubscribe()
            self.player.listeners.clear()
            self.canvas.close_plotter()
            self.statusBar().clearMessage()  # stops a timed message's timer
        super().closeEvent(event)


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
