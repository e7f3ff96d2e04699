"""StructurePanel: a tree of the structures and the L5's regions, with what a class needs to look inside.

A checkbox per entry shows or hides it, the current entry is the selection (its
annotation is explained beside the scene), and below the tree: the selected structure's
opacity, Isolate, Show all, Ghost bones, and the cut. The panel only reads and writes the
model; what the scene does with visibility, opacity and cuts is the window's business.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import QSignalBlocker, Qt
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.qt.panels.quiet import Bindings, check_quietly, set_quietly
from viewer.state.model import SceneModel
from viewer.state.names import display_name

CLIP_CHOICES = (("No cut", None), ("Mid-sagittal cut", "sagittal"), ("Axial cut through the disc", "axial"))


class StructurePanel(QWidget):
    def __init__(self, model: SceneModel, structures, regions: dict[str, tuple[str, ...]],
                 choose_clip: Callable[[str | None], None]) -> None:
        """``regions``: structure -> its regions listed under it; ``choose_clip`` cuts the scene."""
        super().__init__()
        self.model = model
        self.bindings = Bindings(model)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.items: dict[str, QTreeWidgetItem] = {}
        for name in structures:
            item = self._item(name)
            self.tree.addTopLevelItem(item)
            for region in regions.get(name, ()):
                item.addChild(self._item(region))
        self.tree.itemChanged.connect(self._checked)
        self.tree.currentItemChanged.connect(
            lambda item, _old: item is not None and model.set("selection", item.data(0, Qt.ItemDataRole.UserRole)))
        self.opacity_label = QLabel("Opacity")
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(10, 100)
        self.opacity_slider.setValue(100)
        self.opacity_slider.valueChanged.connect(lambda v: model.set_opacity(self.opacity_target(), v / 100.0))
        self.isolate_button = QPushButton("Isolate")
        self.isolate_button.setToolTip("Show only the selected structure")
        self.isolate_button.clicked.connect(lambda: model.isolate(model.get("selection") or "L5"))
        show_all = QPushButton("Show all")
        show_all.clicked.connect(model.show_all)
        self.ghost_box = QCheckBox("Ghost bones")
        self.ghost_box.toggled.connect(lambda on: model.set("ghost_bones", on))
        self.clip_box = QComboBox()
        for label, clip in CLIP_CHOICES:
            self.clip_box.addItem(label, clip)
        self.clip_box.currentIndexChanged.connect(lambda i: choose_clip(self.clip_box.itemData(i)))
        lay = QVBoxLayout(self)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.opacity_label)
        lay.addWidget(self.opacity_slider)
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.isolate_button)
        buttons.addWidget(show_all)
        lay.addWidget(row)
        lay.addWidget(self.ghost_box)
        lay.addWidget(QLabel("Cut"))
        lay.addWidget(self.clip_box)
        self.bindings.on("visible", self._show_visible)
        self.bindings.on("selection", self._show_selection)
        self.bindings.on("opacity", lambda _v: self._show_opacity())
        self.bindings.on("ghost_bones", lambda on: check_quietly(self.ghost_box, on))
        self.bindings.on("clip", self._show_clip)
        self._show_opacity()

    def _item(self, name: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([display_name(name)])
        item.setData(0, Qt.ItemDataRole.UserRole, name)
        item.setCheckState(0, Qt.CheckState.Checked)
        self.items[name] = item
        return item

    def _checked(self, item: QTreeWidgetItem, _column: int) -> None:
        self.model.set_visible(item.data(0, Qt.ItemDataRole.UserRole), item.checkState(0) == Qt.CheckState.Checked)

    def opacity_target(self) -> str:
        """The structure the opacity slider acts on: the selection's (L5 for a region), else L5."""
        selected = self.model.get("selection")
        if selected in self.model.regions:
            return "L5"
        return selected if selected in self.model.structures else "L5"

    def _show_visible(self, visible: dict) -> None:
        with QSignalBlocker(self.tree):
            for name, shown in visible.items():
                item = self.items.get(name)
                if item is not None:
                    item.setCheckState(0, Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)

    def _show_selection(self, name) -> None:
        item = self.items.get(name)
        if item is not None and self.tree.currentItem() is not item:
            with QSignalBlocker(self.tree):
                self.tree.setCurrentItem(item)
        self._show_opacity()

    def _show_opacity(self) -> None:
        target = self.opacity_target()
        self.opacity_label.setText(f"Opacity: {display_name(target)}")
        set_quietly(self.opacity_slider, round(100 * self.model.get("opacity")[target]))

    def _show_clip(self, clip: str | None) -> None:
        index = self.clip_box.findData(clip)
        if index != self.clip_box.currentIndex():
            with QSignalBlocker(self.clip_box):
                self.clip_box.setCurrentIndex(index)
