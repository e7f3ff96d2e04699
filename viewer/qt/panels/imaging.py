"""ImagingPanel: the film a clinician would read of the state on screen, beside the 3D scene.

It shows ``model.film`` (a radiograph or a T2 slice, ``meshes.modalities``), with the lateral film's
measurement when ``model.film_overlay`` is on, and follows every frame the pipeline poses.
Films are computed on one worker thread (the rasteriser releases the GIL), so the 3D scene
keeps its pace while a condition animates: a frame that arrives while a film is being made
replaces any waiting one, and the newest state is always the next film made.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from PyQt6.QtCore import QElapsedTimer, QObject, QSignalBlocker, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QImage, QPixmap
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from meshes.modalities import FILMS, OVERLAID, PAIRS, TITLES
from meshes.slice_planes import SLICE_TRAVEL_MM, where
from viewer.qt.panels.quiet import Bindings, check_quietly, set_quietly
from viewer.state.model import SceneModel

# The film's side in pixels: what the pane shows, within these bounds.
FILM_MIN_PX, FILM_MAX_PX = 256, 1024
# While a condition animates, at most one film this often, and at most this many pixels a side:
# three films a second follow an animation well, and the 3D scene keeps most of the machine (on
# two cores, a full film for every frame cost it 17% of its frames; ``l5s1-viewer benchmark
# --film xray-lateral``). Once the animation settles, the film is made again at full size.
FILM_INTERVAL_MS = 300
ANIMATED_FILM_PX = 384
READING_MAX_PX = 260  # the "how to read it" text under the film


class _Delivery(QObject):
    """Carries a finished film from the worker thread to the panel, on the GUI thread."""

    ready = pyqtSignal(object, object)  # (the request it answers, the RGB image)


def _how_to_read(annotations: dict, film: str) -> str:
    """The film's annotation (of ``annotations``, as ``annotations.load`` gives them), title and body, as Markdown."""
    found = next((a for a in annotations.values() if a.kind == "film" and film in a.covers), None)
    return f"### {found.title}\n\n{found.body}" if found else ""


class ImagingPanel(QWidget):
    """The imaging pane: a film chooser, the overlay switch and the film."""

    def __init__(self, model: SceneModel, rest, pipeline, animating=lambda: False,
                 annotations: dict | None = None) -> None:
        super().__init__()
        if annotations is None:
            from annotations import load

            annotations = load()
        self.model, self.rest, self.pipeline, self.annotations = model, rest, pipeline, annotations
        self.animating = animating
        self.bindings = Bindings(model)
        self.modality_box = QComboBox()
        for name in FILMS:
            self.modality_box.addItem(TITLES[name], name)
        self.modality_box.currentIndexChanged.connect(
            lambda _i: self.model.set("film", self.modality_box.currentData()))
        self.overlay_box = QCheckBox("Measurement")
        self.overlay_box.setToolTip("Meyerding's quarters, the slip and the slip angle on the lateral film; "
                                    "the Scottie dog's parts named on an oblique")
        self.overlay_box.toggled.connect(lambda on: self.model.set("film_overlay", on))
        # An MRI slice's place: its own slider, in whole millimetres along its travel, and the words
        # for where it lies (the 3D scene draws its plane, and the cut in its orientation follows it).
        self.slice_slider = QSlider(Qt.Orientation.Horizontal)
        self.slice_slider.setSingleStep(1)
        self.slice_slider.setPageStep(5)
        self.slice_slider.setToolTip("Move the slice through the segment; its plane is drawn in the 3D scene")
        self.slice_slider.valueChanged.connect(lambda mm: self.model.set("slice_mm", float(mm)))
        self.slice_label = QLabel()
        widest = self.slice_label.fontMetrics().horizontalAdvance("35 mm lateral to the foramen")
        self.slice_label.setMinimumWidth(widest)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(FILM_MIN_PX // 2, FILM_MIN_PX // 2)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setStyleSheet("background: black;")
        # How to read the film (its annotation, ``annotations/content/films``), under it.
        from annotations import CONTENT
        from viewer.qt.panels.inert import InertBrowser

        self.reading = InertBrowser(folder=CONTENT)
        self.reading.setMaximumHeight(READING_MAX_PX)
        row = QHBoxLayout()
        row.addWidget(self.modality_box, 1)
        row.addWidget(self.overlay_box)
        self.slice_row = QWidget()
        slice_layout = QHBoxLayout(self.slice_row)
        slice_layout.setContentsMargins(0, 0, 0, 0)
        slice_layout.addWidget(QLabel("Slice"))
        slice_layout.addWidget(self.slice_slider, 1)
        slice_layout.addWidget(self.slice_label)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.slice_row)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.reading)
        self.films_made = 0
        # The request whose film is on screen: (posed, state, readouts, film, overlay, size, slice_mm).
        self.shown = None
        self._closed = False
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="film")
        self._busy = False
        self._waiting = None
        self._since = QElapsedTimer()  # since the last film was started
        self._pace = QTimer(self)  # the next film's start, when it came too soon after the last
        self._pace.setSingleShot(True)
        self._pace.timeout.connect(self._next)
        self._delivery = _Delivery()
        self._delivery.ready.connect(self._show)
        self.bindings.on("film", self._film_chosen)
        self.bindings.on("film_overlay", lambda on: (check_quietly(self.overlay_box, on), self.request()))
        self.bindings.on("slice_mm", self._slice_moved)
        self.pipeline.listeners.append(self._frame_drawn)
        self._film_chosen(model.film)
        check_quietly(self.overlay_box, model.film_overlay)

    # ----- what is asked for -------------------------------------------------------------------
    def request(self) -> None:
        """Make the film of the state on screen (at once, or after the one being made)."""
        if self._closed or self.model.film is None or self.pipeline.posed is None or not self.isVisible():
            return
        # A pair of films is twice as wide as it is high.
        across = 2 if self.model.film in PAIRS else 1
        side = max(FILM_MIN_PX, min(FILM_MAX_PX, min(self.picture.width() // across, self.picture.height())))
        if self.animating():
            side = min(side, ANIMATED_FILM_PX)
        self._waiting = (self.pipeline.posed, self.model.pathology, self.pipeline.readouts, self.model.film,
                         self.model.film_overlay, (across * side, side), self.model.slice_mm)
        self._next()

    def _frame_drawn(self, _readouts: dict) -> None:
        self.request()

    def _film_chosen(self, film: str | None) -> None:
        if film is not None:
            index = self.modality_box.findData(film)
            if index != self.modality_box.currentIndex():
                with QSignalBlocker(self.modality_box):
                    self.modality_box.setCurrentIndex(index)
        self.overlay_box.setEnabled(film in OVERLAID)
        if film is not None:
            self.reading.setMarkdown(_how_to_read(self.annotations, film))
        travel = int(SLICE_TRAVEL_MM.get(film, 0))
        self.slice_row.setVisible(travel > 0)
        with QSignalBlocker(self.slice_slider):
            self.slice_slider.setRange(-travel, travel)
        self._slice_moved(self.model.slice_mm)

    def _slice_moved(self, mm: float) -> None:
        set_quietly(self.slice_slider, round(mm))
        film = self.model.film
        self.slice_label.setText(where(film, mm) if film in SLICE_TRAVEL_MM else "")
        self.request()

    def settled(self) -> bool:
        """Whether the film on screen is the last one asked for: none being made, waiting or paced.

        Returns
        -------
        bool
            True once the pane has caught up with the scene.
        """
        return not self._busy and self._waiting is None and not self._pace.isActive()

    # ----- the worker --------------------------------------------------------------------------
    def _next(self) -> None:
        """Start the waiting film now, or when the interval since the last one has passed."""
        if self._busy or self._waiting is None or self._closed or self._pace.isActive():
            return
        wait = FILM_INTERVAL_MS - self._since.elapsed() if self._since.isValid() and self.animating() else 0
        if wait > 0:
            self._pace.start(int(wait))
            return
        request, self._waiting = self._waiting, None
        self._busy = True
        self._since.start()
        self._worker.submit(self._make, request, self.rest)

    def _make(self, request, rest) -> None:
        from viewer.output.film import film_image

        posed, state, measured, film, overlay, size, slice_mm = request
        try:
            image = film_image(rest, posed, state, film, size, overlay, measured,
                               slice_mm if film in SLICE_TRAVEL_MM else 0.0)
        except Exception as exc:  # noqa: BLE001 (shown in the pane, never lost on a thread)
            image = exc
        self._delivery.ready.emit(request, image)

    def _show(self, request, image) -> None:
        self._busy = False
        if self._closed:
            return
        if isinstance(image, Exception):
            self.picture.setText(f"No film: {image}")
        else:
            height, width, _ = image.shape
            qimage = QImage(image.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
            self.picture.setPixmap(QPixmap.fromImage(qimage).scaled(
                self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            self.films_made += 1
            self.shown = request
        self._next()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.request()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.request()

    def use(self, rest) -> None:
        """Film another segment (a new anatomy): a film asked of the old one is dropped; the next
        frame asks for the new one's."""
        self.rest = rest
        self._waiting = None

    def close(self) -> bool:
        """Stop following the model and the frames; wait for a film being made, drop any waiting."""
        self._closed = True
        self.bindings.release()
        if self._frame_drawn in self.pipeline.listeners:
            self.pipeline.listeners.remove(self._frame_drawn)
        self._waiting = None
        self._pace.stop()
        self._worker.shutdown(wait=True, cancel_futures=True)
        return super().close()
