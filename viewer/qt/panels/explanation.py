"""ExplanationPanel: the measured readouts above the explanation of what is selected or shown.

Readouts come from the posed geometry (``meshes.pose.readouts``), never typed in; a
compressed root is named in the palette's warning colour. The explanation is the
annotation (``annotations/``) of the selected structure or region, else of the active
condition (herniation, then slip, then degeneration), else of L5, with its sources.
"""

from __future__ import annotations

import html
import re

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QFont, QFontMetrics
from PyQt6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from viewer.qt.panels.quiet import Bindings
from viewer.state.model import SceneModel

READOUT_ROWS = 16  # room for every row (some wrap) without the panel resizing as rows change


class ExplanationPanel(QWidget):
    def __init__(self, model: SceneModel, font: QFont, font_pt: int, follow=lambda _url: None) -> None:
        from annotations import CONTENT, load
        from viewer.qt.panels.inert import InertBrowser

        super().__init__()
        self.model = model
        self.bindings = Bindings(model)
        self.annotations = load()
        self.readout_label = QLabel()
        self.readout_label.setTextFormat(Qt.TextFormat.RichText)
        self.readout_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.readout_label.setWordWrap(True)
        # Changing readout text must not resize the dock (and the scene) while animating.
        self.readout_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        # (The window's font, which the label only inherits once shown.)
        self.readout_label.setFixedHeight(READOUT_ROWS * QFontMetrics(font).lineSpacing())
        self.annotation_view = InertBrowser(follow, CONTENT)  # links act in the app (viewer.qt.links)
        # Read-only text must not take the clicker's PageUp/PageDown for scrolling.
        self.annotation_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumWidth(26 * font_pt)
        lay = QVBoxLayout(self)
        lay.addWidget(self.readout_label)
        lay.addWidget(self.annotation_view, 1)
        self._shown: str | None = None
        for field in (*(c.field for c in model.conditions), "selection"):
            self.bindings.on(field, lambda _v: self.show_annotation())
        self.show_annotation()

    def annotation_id(self) -> str:
        """What the panel explains: the selection, else the active condition, else L5."""
        from annotations import for_structure

        selected = self.model.get("selection")
        if selected:
            a = for_structure(self.annotations, selected)
            if a is not None:
                return a.id
        for condition in sorted(self.model.conditions, key=lambda c: c.annotation_rank):
            if condition.present(self.model.get(condition.field)):
                return condition.annotation
        return "L5"

    def show_annotation(self) -> None:
        key = self.annotation_id()
        if self._shown == key:
            return
        self._shown = key
        a = self.annotations[key]
        sources = "\n".join(f"- {src}" for src in a.sources)
        # The title one heading level down, and the body's headings with it: a first-level heading
        # broke long anatomical words ("spondylolisthe|sis") in the narrow dock.
        body = re.sub(r"^(#{1,5}) ", r"\1# ", a.body, flags=re.MULTILINE)
        self.annotation_view.setMarkdown(f"## {a.title}\n\n{body}\n\n**Sources**\n\n{sources}\n")

    def show_readouts(self, r: dict, compressed_colour: str, anatomy: str = "") -> None:
        """The measurements of a posed state (``meshes.pose.readouts``), under the title of the
        anatomy they were measured on."""
        rows = [f"<b>Anatomy</b> {html.escape(anatomy)}"] if anatomy else []
        rows += [
            f"<b>Slip</b> {r['slip_percent']:.0f}% — Meyerding {r['meyerding_grade']}",
            f"<b>Slip angle</b> {r['slip_angle_deg']:.0f}° · <b>Sacral slope</b> {r['sacral_slope_deg']:.0f}°",
            _foramina(r["foramen"]),
            _disc(r['disc_height_anterior_mm'], r['disc_height_posterior_mm']),
            f"<b>Dural sac</b> {r['dural_sac_area_mm2']:.0f} mm² at the disc",
        ]
        for name, v in r["roots"].items():
            label = name.replace("root_", "").replace("_", " ")
            if v["compressed"]:
                rows.append(f"<span style='color:{compressed_colour}'><b>{label} root compressed</b> "
                            f"{v['clearance_mm']:+.1f} mm</span>")
            else:
                rows.append(f"{label} root clear {v['clearance_mm']:+.1f} mm")
        rows += _posture_rows(r.get("posture"), compressed_colour)
        h = r["herniation"]
        rows.append(f"<b>Herniation</b> {h['stage']}" + (f", {h['zone']} {h['side']}" if h["stage"] != "none"
                                                          else ""))
        self.readout_label.setText("<br>".join(rows))


def _posture_rows(p: dict | None, alert_colour: str) -> list[str]:
    """The posture's rows: the segmental angle, where it stands against neutral, and what a
    flexion-extension pair of this segment would show (the unstable line in the alert colour)."""
    if p is None:
        return []
    rows = [f"<b>Segmental angle</b> {p['segmental_angle_deg']:.0f}°"]
    if p["posture"] != 0.0:
        word = "Flexion" if p["posture"] > 0.0 else "Extension"
        moved = p["translation_from_neutral_mm"]
        rows.append(f"<b>{word}</b> {abs(p['flexion_from_neutral_deg']):.0f}°, L5 {abs(moved):.1f} mm "
                    f"{'forward' if moved >= 0.0 else 'back'}")
    fe = p["flexion_extension"]
    pair = f"{fe['translation_mm']:.1f} mm, {fe['angulation_deg']:.0f}°"
    limits = fe["limits"]
    if fe["unstable"]:
        rows.append(f"<span style='color:{alert_colour}'><b>Unstable</b> bending {pair}: "
                    f"{', '.join(fe['reasons'])}</span>")
    else:
        rows.append(f"<b>Stable</b> bending {pair} (limits {limits['translation_mm']:g} mm, "
                    f"{limits['angulation_deg']:g}°)")
    return rows


def _foramina(f: dict) -> str:
    """The foramina row; where the pars defect has opened a section behind there is no foramen's
    outline to measure, and the row says so instead of a number."""
    if not f["left"]["closed"] and not f["right"]["closed"]:
        return "<b>Foramen</b> not measurable (pars gap)"
    return f"<b>Foramen</b> L {_foramen(f['left'])}, R {_foramen(f['right'])}"


def _foramen(f: dict) -> str:
    """Height x narrowest width, or "open" where the section has no closed outline (the
    pars defect of a slip opens it behind; its size is then not a foramen's size)."""
    return f"{f['height_mm']:.0f} × {f['width_mm']:.0f} mm" if f["closed"] else "open"


def _disc(anterior: float | None, posterior: float | None) -> str:
    """The disc heights row: front / back in mm, or that L5 has slipped off S1."""
    if anterior is None and posterior is None:
        return "<b>Disc height</b> none: L5 has slipped off S1"
    text = " / ".join("past S1" if v is None else f"{v:.1f}" for v in (anterior, posterior))
    return f"<b>Disc height</b> {text} mm"
