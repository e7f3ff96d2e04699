"""PathologyPanel: the three condition toggles with their sliders, zone, side, follow, pause, speed.

A toggle animates its model field to the condition's teaching target (a grade II slip,
an extrusion, an advanced degenerated disc) or back to 0; a slider sets the field at once
(stopping its animation). Both mirror the model: a toggle shows on whenever its field is
above 0 and no animation is still carrying it.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QWidget,
)

from meshes.conditions import Condition
from meshes.pathology import SIDES, ZONES
from viewer.qt.animation import Animator
from viewer.qt.panels.quiet import Bindings, check_quietly, set_quietly, text_quietly
from viewer.state.model import SceneModel

TOGGLE_STYLE = ("QPushButton {{ font-size: {pt}pt; padding: 6px; }} "
                "QPushButton:checked {{ background-color: #2b6cb0; color: white; "
                "font-weight: bold; border: 1px solid #1e4e80; border-radius: 4px; }}")
SPEEDS = ("0.5×", "1×", "2×")


class PathologyPanel(QWidget):
    def __init__(self, model: SceneModel, animator: Animator, follow: Callable[[Condition], None],
                 font_pt: int) -> None:
        """One toggle and slider per condition of ``model.conditions`` (the registry), then the
        herniation's zone and side, camera-follow, pause and speed."""
        super().__init__()
        self.model = model
        self.bindings = Bindings(model)
        self.animator = animator
        self._follow = follow
        form = QFormLayout(self)
        self.toggles: dict[str, QPushButton] = {}
        self.sliders: dict[str, QSlider] = {}
        for c in model.conditions:
            toggle = QPushButton(c.label)
            toggle.setCheckable(True)
            # On must be unmistakable from the back of the room. (A style sheet replaces the
            # inherited font, so the size is restated.)
            toggle.setStyleSheet(TOGGLE_STYLE.format(pt=font_pt))
            toggle.toggled.connect(lambda on, c=c: self._toggled(c, on))
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(round(c.minimum * c.steps_per_unit), round(c.maximum * c.steps_per_unit))
            slider.valueChanged.connect(lambda v, c=c: self._from_slider(c.field, v / c.steps_per_unit))
            form.addRow(toggle)
            form.addRow(c.slider_label, slider)
            self.toggles[c.field], self.sliders[c.field] = toggle, slider
            self.bindings.on(c.field, lambda v, c=c: self._mirror(c, v))
            self._mirror(c, model.get(c.field))
        self.zone_box = _choices(ZONES, model.get("zone"), lambda z: model.set("zone", z))
        self.side_box = _choices(SIDES, model.get("side"), lambda s: model.set("side", s))
        self.bindings.on("zone", lambda z: text_quietly(self.zone_box, z))
        self.bindings.on("side", lambda s: text_quietly(self.side_box, s))
        self.follow_box = QCheckBox("Camera follows")
        self.follow_box.setToolTip("Turning a condition on moves the camera to where it shows best")
        self.follow_box.setChecked(True)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._pause)
        self.speed_box = _choices(SPEEDS, "1×", lambda t: setattr(animator, "speed", float(t[:-1])))
        form.addRow("Zone", self.zone_box)
        form.addRow("Side", self.side_box)
        form.addRow(self.follow_box)
        # Pause and speed share a row, leaving the structure tree below more room at 1080 lines.
        playback = QWidget()
        row = QHBoxLayout(playback)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.pause_button, 1)
        row.addWidget(QLabel("Speed"))
        row.addWidget(self.speed_box)
        form.addRow(playback)
        by_field = {c.field: c for c in model.conditions}
        animator.finished.connect(lambda f: f in by_field and self._mirror(by_field[f], model.get(f)))

    def _toggled(self, c: Condition, on: bool) -> None:
        self.animator.animate(c.field, c.teaching if on else c.rest)
        if on and self.follow_box.isChecked():
            self._follow(c)

    def _from_slider(self, field: str, value: float) -> None:
        self.animator.stop(field)
        self.model.set(field, value)

    def _mirror(self, c: Condition, value: float) -> None:
        set_quietly(self.sliders[c.field], round(value * c.steps_per_unit))
        if not self.animator.running(c.field):
            check_quietly(self.toggles[c.field], c.present(value))

    def _pause(self, paused: bool) -> None:
        self.animator.pause(paused)
        self.pause_button.setText("Play" if paused else "Pause")


def _choices(items, current: str, chosen: Callable[[str], None]) -> QComboBox:
    box = QComboBox()
    box.addItems(list(items))
    box.setCurrentText(current)
    box.currentTextChanged.connect(chosen)
    return box
