"""The Anatomy tab: a preset chooser, the dimensions a teacher would change, and a reset.

It binds to the model's ``anatomy`` both ways (``viewer.state.anatomy_choice``): choosing a
preset, moving a slider or typing a value sets it; the model's value sets every control under a
signal blocker. The window's rebuilder (``viewer.qt.rebuild``) builds the segment; this tab shows
a busy bar meanwhile. A value the dimensions refuse (a posterior disc taller than the anterior)
is said in one line in the status bar and the controls go back to the anatomy in use.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from meshes.anatomy import Anatomy
from viewer.qt.panels.quiet import Bindings, set_quietly
from viewer.state.anatomy_choice import AVERAGE, GROUPS, adjusted, preset, preset_of, preset_titles

# What each dimension is called in the tab (short: the tab shares the left column).
LABELS = {
    "l5_body_height_anterior": "Height, front",
    "l5_body_height_posterior": "Height, back",
    "l5_endplate_depth": "Endplate depth",
    "l5_endplate_width": "Endplate width",
    "l5_canal_depth": "Canal depth (AP)",
    "l5_canal_width": "Canal width",
    "dural_sac_area": "Dural sac area",
    "disc_height_anterior": "Height, front",
    "disc_height_posterior": "Height, back",
    "sacral_slope": "Sacral slope",
    "s1_endplate_depth": "S1 endplate depth",
    "sacral_width": "Sacral width",
    "root_diameter_l5": "L5 root diameter",
    "root_diameter_s1": "S1 root diameter",
}
UNIT_TEXT = {"mm": " mm", "degrees": "°", "mm²": " mm²", "": ""}
CUSTOM = "custom"


def _steps(name: str) -> float:
    """A slider step for the dimension: 1 mm² for the sac's area, 0.5° for an angle, 0.1 mm for a length."""
    return 1.0 if Anatomy.unit(name) == "mm²" else (0.5 if Anatomy.unit(name) == "degrees" else 0.1)


class AnatomyPanel(QWidget):
    """The Anatomy tab, bound to ``model.anatomy``; ``tell`` shows a one-line message."""

    def __init__(self, model, tell: Callable[[str], None]) -> None:
        super().__init__()
        self.model, self.tell = model, tell
        self.bindings = Bindings(model)
        self.preset_box = QComboBox()
        for name, title in preset_titles().items():
            self.preset_box.addItem(title, name)
        self.preset_box.setToolTip("A bundled anatomy (annotations/anatomy): each value with its source")
        self.preset_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_box.setMinimumContentsLength(12)
        self.preset_box.activated.connect(lambda _i: self._choose(self.preset_box.currentData()))
        self.reset_button = QPushButton("Reset to average adult")
        self.reset_button.clicked.connect(lambda: self._choose(AVERAGE))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # a moving bar: building, time unknown
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(10)
        self.busy_bar.hide()
        self.busy_label = QLabel("Building…")
        self.busy_label.hide()
        self.sliders: dict[str, QSlider] = {}
        self.boxes: dict[str, QDoubleSpinBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Preset"))
        layout.addWidget(self.preset_box)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar, 1)
        layout.addLayout(busy)
        for group, names in GROUPS.items():
            box = QGroupBox(group)
            form = QFormLayout(box)
            # Each name above its slider: the tab shares the left column and must stay narrow.
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            for name in names:
                form.addRow(LABELS[name], self._control(name))
            layout.addWidget(box)
        layout.addWidget(self.reset_button)
        layout.addStretch(1)
        self.bindings.on("anatomy", self._mirror)
        self._mirror(model.anatomy)

    def _control(self, name: str) -> QWidget:
        lo, hi = Anatomy.range(name)
        step = _steps(name)
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(round(lo / step), round(hi / step))
        slider.setPageStep(max(1, round(1.0 / step)))
        slider.setToolTip(f"{Anatomy.source(name)}; {lo:g}–{hi:g}{UNIT_TEXT[Anatomy.unit(name)]}")
        box = QDoubleSpinBox()
        box.setRange(lo, hi)
        box.setDecimals(0 if step >= 1 else 1)
        box.setSingleStep(step)
        box.setSuffix(UNIT_TEXT[Anatomy.unit(name)])
        box.setKeyboardTracking(False)  # a typed value counts once it is finished
        box.setAccessibleName(LABELS[name])
        # The slider previews its value in the box while dragged; the value is asked for on release
        # (or at once for keys and clicks), and the rebuilder waits for it to settle.
        slider.valueChanged.connect(lambda v, n=name: set_quietly(self.boxes[n], v * _steps(n)))
        slider.valueChanged.connect(lambda v, n=name, s=slider: None if s.isSliderDown() else
                                    self._adjust(n, v * _steps(n)))
        slider.sliderReleased.connect(lambda n=name, s=slider: self._adjust(n, s.value() * _steps(n)))
        box.valueChanged.connect(lambda v, n=name: self._adjust(n, v))
        self.sliders[name], self.boxes[name] = slider, box
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(slider, 1)
        line.addWidget(box)
        return row

    def _choose(self, name: str) -> None:
        self.model.anatomy = preset(name)

    def _adjust(self, name: str, value: float) -> None:
        value = round(float(value), 3)
        if abs(value - getattr(self.model.anatomy.anatomy, name)) < 1e-6:
            return
        try:
            self.model.anatomy = adjusted(self.model.anatomy, name, value)
        except ValueError as exc:
            self.tell(f"Not applied: {exc}")
            self._mirror(self.model.anatomy)

    def _mirror(self, choice) -> None:
        anatomy = choice.anatomy
        for name, slider in self.sliders.items():
            value = getattr(anatomy, name)
            set_quietly(slider, round(value / _steps(name)))
            set_quietly(self.boxes[name], value)
        found = preset_of(choice)
        index = self.preset_box.findData(found if found is not None else CUSTOM)
        if index < 0:
            self.preset_box.addItem("Custom (adjusted)", CUSTOM)
            index = self.preset_box.findData(CUSTOM)
        self.preset_box.setCurrentIndex(index)
        self.preset_box.setItemText(index, choice.title if found is None else self.preset_box.itemText(index))

    def set_busy(self, busy: bool) -> None:
        """Show the moving bar while the segment is being built."""
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
