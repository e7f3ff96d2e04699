"""Presenter mode's overlays, drawn over the scene: a large caption, large readouts, a blackout.

Sizes are shares of the scene's height (times the font scale, Ctrl +/-), so text reads the
same from the back of a room at any projector resolution: at 1080p the caption is about
50 px high, which is roughly what presentation software uses for slide titles.
"""

from __future__ import annotations

from PyQt6.QtCore import QEvent, QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QPainter, QPainterPath
from PyQt6.QtWidgets import QWidget

CAPTION_SHARE = 0.046
READOUT_SHARE = 0.034
FONT_SCALES = (0.7, 0.85, 1.0, 1.2, 1.45, 1.75)


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
