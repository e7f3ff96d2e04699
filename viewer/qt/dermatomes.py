"""DermatomePanel: a leg seen from behind and a foot seen from above, with the L5 and S1 skin areas.

When a root is compressed its area lights up, the sciatic path down the back of the thigh
is drawn into it, and the panel names what the patient feels, the signs to look for and what
usually compresses that root (text from ``annotations/content/dermatomes.toml``). The figure
is schematic: a right leg, outer side to the right.
"""

from __future__ import annotations

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PyQt6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

# Figure outlines and areas in a unit box (x right = outer side, y down).
LEG = ((0.22, 0.02), (0.78, 0.02), (0.74, 0.30), (0.67, 0.46), (0.72, 0.60), (0.64, 0.80), (0.60, 0.90),
       (0.63, 0.97), (0.40, 0.98), (0.41, 0.90), (0.37, 0.80), (0.29, 0.60), (0.33, 0.46), (0.27, 0.30))
LEG_AREAS = {
    "S1": ((0.40, 0.50), (0.62, 0.50), (0.66, 0.62), (0.60, 0.80), (0.58, 0.90), (0.61, 0.97), (0.42, 0.97),
           (0.43, 0.90), (0.40, 0.80), (0.36, 0.62)),
    "L5": ((0.60, 0.47), (0.67, 0.46), (0.72, 0.60), (0.64, 0.80), (0.60, 0.90), (0.54, 0.86), (0.57, 0.72),
           (0.61, 0.61)),
}
SCIATIC = ((0.50, 0.02), (0.49, 0.20), (0.50, 0.44))
FOOT = ((0.30, 0.95), (0.26, 0.60), (0.22, 0.30), (0.24, 0.12), (0.36, 0.04), (0.50, 0.06), (0.62, 0.08),
        (0.72, 0.14), (0.78, 0.30), (0.76, 0.60), (0.70, 0.95))
FOOT_AREAS = {
    "L5": ((0.30, 0.85), (0.28, 0.55), (0.24, 0.30), (0.25, 0.13), (0.37, 0.05), (0.47, 0.07), (0.50, 0.30),
           (0.56, 0.55), (0.58, 0.85)),
    "S1": ((0.62, 0.85), (0.64, 0.55), (0.66, 0.30), (0.66, 0.12), (0.73, 0.15), (0.78, 0.30), (0.76, 0.60),
           (0.70, 0.93)),
}
# Where each area's name is written (unit box): apart from each other, so the names never
# collide when the panel is small.
LEG_LABELS = {"S1": (0.50, 0.76), "L5": (0.67, 0.60)}
FOOT_LABELS = {"L5": (0.40, 0.45), "S1": (0.71, 0.50)}
SKIN = "#e8d5c4"
IDLE = "#c9b4a3"


class DermatomeFigure(QWidget):
    """The drawing; ``lit`` is the set of roots ("L5", "S1") whose areas glow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lit: set[str] = set()
        self.glow = "#ff8c3a"
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def boxes(self) -> tuple[QRectF, QRectF]:
        """Where the leg and the foot are drawn (widget coordinates)."""
        w, h = self.width(), self.height() - 26
        # Keep the drawings' proportions: the leg about 2.2 times as tall as wide.
        leg_h = min(h, 2.2 * 0.48 * w)
        leg = QRectF(0.02 * w, 24, leg_h / 2.2, leg_h)
        foot_w = min(0.45 * w, 0.7 * leg_h)
        foot = QRectF(0.52 * w, 24 + 0.3 * leg_h, foot_w, min(0.65 * leg_h, 1.4 * foot_w))
        return leg, foot

    def area_point(self, root: str) -> QPointF:
        """A point inside a root's area on the leg (for tests and hit checks)."""
        leg, _ = self.boxes()
        xs, ys = zip(*LEG_AREAS[root], strict=True)
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        return QPointF(leg.left() + cx * leg.width(), leg.top() + cy * leg.height())

    def probe_point(self, root: str) -> QPointF:
        """A point well inside a root's leg area, clear of its label, its outline and the path."""
        leg, _ = self.boxes()
        polygon = _polygon(LEG_AREAS[root], leg)
        bounds = polygon.boundingRect()
        label = self.label_rects()[("leg", root)].adjusted(-3, -3, 3, 3)
        end = self.area_point(root)
        best, best_d = end, -1.0
        for i in range(1, 24):
            for j in range(1, 24):
                p = QPointF(bounds.left() + bounds.width() * i / 24, bounds.top() + bounds.height() * j / 24)
                ring = [QPointF(p.x() + dx, p.y() + dy) for dx, dy in ((3, 0), (-3, 0), (0, 3), (0, -3))]
                if label.contains(p) or not all(polygon.containsPoint(q, Qt.FillRule.OddEvenFill)
                                                for q in (p, *ring)):
                    continue
                d = p.y() - end.y()  # below the end of the path, which comes from above
                if d > best_d:
                    best, best_d = p, d
        return best

    def label_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def label_rects(self) -> dict[tuple[str, str], QRectF]:
        """Where each area's name is written: ("leg" or "foot", root) -> the text's box."""
        from PyQt6.QtGui import QFontMetricsF

        metrics = QFontMetricsF(self.label_font())
        leg, foot = self.boxes()
        rects = {}
        for figure, box, labels in (("leg", leg, LEG_LABELS), ("foot", foot, FOOT_LABELS)):
            for root, anchor in labels.items():
                text = metrics.tightBoundingRect(root)
                centre = _point(anchor, box)
                rects[(figure, root)] = QRectF(centre.x() - text.width() / 2, centre.y() - text.height() / 2,
                                               text.width(), text.height())
        return rects

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        leg, foot = self.boxes()
        painter.setFont(self.label_font())
        label_rects = self.label_rects()
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(leg.left(), 0, max(leg.width(), 120), 22), Qt.AlignmentFlag.AlignLeft, "Leg, back")
        painter.drawText(QRectF(foot.left(), foot.top() - 24, max(foot.width(), 120), 22),
                         Qt.AlignmentFlag.AlignLeft, "Foot, top")
        for figure, box, outline, areas in (("leg", leg, LEG, LEG_AREAS), ("foot", foot, FOOT, FOOT_AREAS)):
            painter.setPen(QPen(QColor("#8a7060"), 2))
            painter.setBrush(QColor(SKIN))
            painter.drawPolygon(_polygon(outline, box))
            for root, area in areas.items():
                on = root in self.lit
                painter.setPen(QPen(QColor("#8a5a40" if on else "#a08878"), 2 if on else 1, Qt.PenStyle.SolidLine
                                    if on else Qt.PenStyle.DashLine))
                painter.setBrush(QColor(self.glow) if on else QColor(IDLE))
                painter.drawPolygon(_polygon(area, box))
                painter.setPen(QColor("#000000" if on else "#5a4a40"))
                painter.drawText(label_rects[(figure, root)].adjusted(-10, -6, 10, 6), Qt.AlignmentFlag.AlignCenter,
                                 root)
        if self.lit:
            # Sciatica: pain along the sciatic nerve down the back of the thigh into the lit area.
            path = QPainterPath(_point(SCIATIC[0], leg))
            for p in SCIATIC[1:]:
                path.lineTo(_point(p, leg))
            for root in sorted(self.lit):
                path.lineTo(self.area_point(root))
            painter.setPen(QPen(QColor(self.glow).darker(150), 4, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        painter.end()


class DermatomePanel(QWidget):
    """The figure and the text naming the areas and signs of each compressed root."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from annotations.dermatomes import load

        super().__init__(parent)
        self.dermatomes, self.sources = load()
        self.figure = DermatomeFigure(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        # Text changes must not change the panel's minimum size (the window would grow).
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.text.setMinimumHeight(6 * self.text.fontMetrics().lineSpacing())
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lay = QVBoxLayout(self)
        lay.addWidget(self.figure, 1)
        lay.addWidget(self.text)
        self.compressed: tuple[tuple[str, str], ...] = ()
        self.set_compressed(())

    def set_compressed(self, roots, glow: str | None = None) -> None:
        """``roots``: (level, side) pairs of compressed roots, e.g. (("L5", "left"),)."""
        roots = tuple(sorted(roots))
        if glow:
            self.figure.glow = glow
        if roots == self.compressed and self.text.text():
            return
        self.compressed = roots
        self.figure.lit = {level for level, _side in roots}
        if not roots:
            self.text.setText("No root is compressed. Turn on a herniation or a slip to see where it would hurt.")
        else:
            rows = []
            for level, side in roots:
                d = self.dermatomes[level]
                cause = f" <i>Cause:</i> {d.cause}" if d.cause else ""
                rows.append(f"<b>{level} root ({side})</b>: pain and numbness over {d.area}. "
                            f"Signs: {'; '.join(d.signs)}.{cause}")
            rows.append(f"<small>Sources: {'; '.join(self.sources)}</small>")
            self.text.setText("<br>".join(rows))
        self.figure.update()


def _point(p, box: QRectF) -> QPointF:
    return QPointF(box.left() + p[0] * box.width(), box.top() + p[1] * box.height())


def _polygon(points, box: QRectF) -> QPolygonF:
    return QPolygonF([_point(p, box) for p in points])
