"""Presenter mode: the scene full screen with a large caption and readouts, a blackout, a turntable.

:class:`Presenter` switches the window in and out of presenter mode, blacks the screen out,
turns the model slowly and steps the text size; :class:`Overlay` and :class:`Blackout` are what
it draws over the scene. Sizes are shares of the scene's height (times the font scale, Ctrl +/-), so text reads the
same from the back of a room at any projector resolution: at 1080p the caption is about
50 px high, which is roughly what presentation software uses for slide titles.
"""

from __future__ import annotations

import time

from PyQt6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PyQt6.QtGui import QColor, QFont, QPainter, QPainterPath
from PyQt6.QtWidgets import QDockWidget, QWidget

from viewer.scene.style import PALETTES
from viewer.state.names import display_name

CAPTION_SHARE = 0.046
READOUT_SHARE = 0.034
FONT_SCALES = (0.7, 0.85, 1.0, 1.2, 1.45, 1.75)
TURNTABLE_DEG_S = 12.0
TURNTABLE_TICK_MS = 40


class Presenter(QObject):
    """Presenter mode, the blackout, the turntable and the text size of ``window``.

    The window gives its canvas (the overlay sits on it), its camera director (the turntable
    turns the model's camera), its lesson player and explanation panel (the caption), and its
    frame pipeline (the readouts).
    """

    def __init__(self, window, canvas, director, player, explanation, pipeline, changed=lambda on: None) -> None:
        super().__init__(window)
        self.window, self.canvas, self.director = window, canvas, director
        self.player, self.explanation, self.pipeline = player, explanation, pipeline
        self.model = director.model
        self._changed = changed  # told when presenter mode turns on or off (the menu's check mark)
        self.overlay = Overlay(canvas)
        self.overlay.hide()
        self.blackout = Blackout(window)
        self.presenting = False
        self.font_scale = 1.0
        self._normal_geometry = None  # the window's geometry before presenter mode
        self.turntable = QTimer(self)
        self.turntable.setInterval(TURNTABLE_TICK_MS)
        self.turntable.timeout.connect(self._turn)
        self._turn_clock = 0.0
        self._unsubscribe = [self.model.on("selection", lambda _v: self.update_overlay()),
                             self.model.on("high_contrast", self._high_contrast)]
        player.listeners.append(lambda _i: self.update_overlay())
        pipeline.listeners.append(lambda _r: self.update_overlay())

    def toggle(self, on: bool | None = None) -> None:
        """Fullscreen scene with large captions and readouts; F5 or Esc leaves."""
        window = self.window
        on = (not self.presenting) if not isinstance(on, bool) else on
        if on == self.presenting:
            return
        self.presenting = on
        for dock in window.findChildren(QDockWidget):
            if dock is window.imaging_dock:
                continue  # the film stays beside the scene when one is shown (key I): side by side
            if on:
                dock.setProperty("was_visible", dock.isVisible())
                dock.hide()
            elif dock.property("was_visible"):
                dock.show()
        window.menuBar().setVisible(not on)
        window.statusBar().setVisible(not on)
        self.overlay.setVisible(on)
        if on:
            self._normal_geometry = window.saveGeometry()
            # Without a window manager (a kiosk, Xvfb) nothing resizes a fullscreen window: do it.
            window.setGeometry(window.screen().geometry())
            window.showFullScreen()
        else:
            window.showNormal()
            if self._normal_geometry is not None:
                window.restoreGeometry(self._normal_geometry)
        window.imaging.reading.setVisible(not on)  # presenting, the film alone beside the scene
        window.place_film(window.model.film)
        self._changed(on)
        self.update_overlay()
        self.canvas.setFocus()

    def toggle_blackout(self, on: bool | None = None) -> bool:
        on = not self.blackout.isVisible() if not isinstance(on, bool) else on
        self.blackout.setGeometry(self.window.rect())
        self.blackout.setVisible(on)
        if on:
            self.blackout.raise_()
        return on

    def toggle_turntable(self, on: bool | None = None) -> bool:
        """A slow turn about the vertical axis (12° a second), for a class to look at."""
        on = not self.turntable.isActive() if not isinstance(on, bool) else on
        if on:
            self._turn_clock = time.perf_counter()
            self.turntable.start()
        else:
            self.turntable.stop()
        return on

    def _turn(self) -> None:
        now = time.perf_counter()
        self.director.turn(TURNTABLE_DEG_S * (now - self._turn_clock))
        self._turn_clock = now

    def scale_text(self, direction: int) -> float:
        """Ctrl +/-: step the overlay and label text size through FONT_SCALES; returns the scale."""
        i = min(range(len(FONT_SCALES)), key=lambda k: abs(FONT_SCALES[k] - self.font_scale))
        self.font_scale = FONT_SCALES[min(max(i + direction, 0), len(FONT_SCALES) - 1)]
        self.overlay.scale = self.font_scale
        self.overlay.update()
        return self.font_scale

    def _high_contrast(self, on: bool) -> None:
        self.overlay.high_contrast = on
        self.overlay.update()

    def update_overlay(self) -> None:
        """The overlay's caption (lesson step, else selection, else active condition) and readouts."""
        if not self.presenting:
            return
        step = self.player.step
        if step is not None:
            caption = step.title
        elif self.model.selection:
            caption = display_name(self.model.selection)
        else:
            caption = self.explanation.annotations[self.explanation.annotation_id()].title
        lines = []
        r = self.pipeline.readouts
        if r:
            lines.append((f"Slip {r['slip_percent']:.0f}%  ·  Meyerding {r['meyerding_grade']}", None))
            colour = PALETTES[self.model.palette]["compressed"]
            for name, v in r["roots"].items():
                if v["compressed"]:
                    level, side = name.split("_")[1:]
                    lines.append((f"{level} root compressed ({side})", _bright(colour)))
            if r["herniation"]["stage"] != "none":
                lines.append((f"Herniation: {r['herniation']['stage']}  ·  dural sac {r['dural_sac_area_mm2']:.0f} mm²",
                              None))
            anatomy = getattr(self.model.anatomy, "title", "")
            if anatomy and anatomy != "Average adult":  # a lesson step's or the Anatomy tab's
                lines.insert(0, (anatomy, None))
        self.overlay.set_content(caption, lines)

    def close(self) -> None:
        self.turntable.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()


def _bright(hex_colour: str) -> str:
    """A colour lifted toward white, readable on the overlay's dark backdrop."""
    from viewer.scene.style import hex_colour as as_hex
    from viewer.scene.style import rgb

    return as_hex(0.45 + 0.55 * rgb(hex_colour))


class Overlay(QWidget):
    """Caption at the top, readout lines at the bottom left; transparent to the mouse."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.caption = ""
        self.lines: list[tuple[str, str | None]] = []  # (text, colour or None for white)
        self.scale = 1.0
        self.high_contrast = False
        self.setGeometry(parent.rect())
        parent.installEventFilter(self)  # follow the scene's size

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parent().rect())
        return False

    def set_content(self, caption: str, lines: list[tuple[str, str | None]]) -> None:
        if (caption, lines) != (self.caption, self.lines):
            self.caption, self.lines = caption, list(lines)
            self.update()

    def caption_px(self) -> int:
        return max(14, round(CAPTION_SHARE * self.height() * self.scale))

    def readout_px(self) -> int:
        return max(12, round(READOUT_SHARE * self.height() * self.scale))

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        backdrop = QColor(0, 0, 0, 235 if self.high_contrast else 170)
        margin = 0.02 * self.height()
        if self.caption:
            font = QFont(self.font())
            font.setPixelSize(self.caption_px())
            font.setBold(True)
            painter.setFont(font)
            box = QRectF(margin, margin, self.width() - 2 * margin, 1.6 * self.caption_px())
            text_box = painter.boundingRect(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                                            self.caption)
            box.setHeight(max(box.height(), text_box.height() + 0.6 * self.caption_px()))
            _rounded(painter, box, backdrop)
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.caption)
        if self.lines:
            font = QFont(self.font())
            font.setPixelSize(self.readout_px())
            font.setBold(True)
            painter.setFont(font)
            metrics = painter.fontMetrics()
            line_h = 1.25 * metrics.height()
            width = max(metrics.horizontalAdvance(text) for text, _ in self.lines) + 1.2 * self.readout_px()
            height = line_h * len(self.lines) + 0.6 * self.readout_px()
            box = QRectF(margin, self.height() - margin - height, width, height)
            _rounded(painter, box, backdrop)
            y = box.top() + 0.3 * self.readout_px()
            for text, colour in self.lines:
                painter.setPen(QColor(colour or "white"))
                painter.drawText(QRectF(box.left() + 0.6 * self.readout_px(), y, width, line_h),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                y += line_h
        painter.end()


class Blackout(QWidget):
    """A black screen over everything (B), as presentation software does."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(False)
        self.hide()

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        painter.end()


def _rounded(painter: QPainter, box: QRectF, colour: QColor) -> None:
    path = QPainterPath()
    path.addRoundedRect(box, 12.0, 12.0)
    painter.fillPath(path, colour)
