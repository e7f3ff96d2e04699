"""The condition toggles in a real window: animation, sliders, readouts, explanations, dermatomes."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PyQt6.QtCore import Qt  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from meshes.conditions import by_field  # noqa: E402
from meshes.pathology import STAGES  # noqa: E402
from viewer.scene.style import rgb  # noqa: E402

SLIP_TARGET = by_field("slip_percent").teaching
HERNIATION_TARGET = by_field("herniation").teaching


def test_slip_toggle_animates_to_grade_ii_and_reverses_mid_way(qtbot, window):
    start = window.scene.meshes["L5"].points.copy()
    qtbot.mouseClick(window.pathology.toggles["slip_percent"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: 5.0 < window.model.slip_percent < SLIP_TARGET - 5.0, timeout=3000)
    middle = window.model.slip_percent
    # Intermediate frames differ: the L5 drawn on screen moves.
    qtbot.waitUntil(lambda: np.abs(window.scene.meshes["L5"].points - start).max() > 1.0, timeout=1000)
    qtbot.mouseClick(window.pathology.toggles["slip_percent"], Qt.MouseButton.LeftButton)  # off again, mid-animation
    qtbot.waitUntil(lambda: window.model.slip_percent < middle - 1.0, timeout=3000)
    qtbot.waitUntil(lambda: window.model.slip_percent == 0.0, timeout=5000)
    assert not window.pathology.toggles["slip_percent"].isChecked()
    qtbot.waitUntil(lambda: np.allclose(window.scene.meshes["L5"].points, start), timeout=1000)
    qtbot.mouseClick(window.pathology.toggles["slip_percent"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.slip_percent == SLIP_TARGET, timeout=5000)
    qtbot.waitUntil(lambda: window.pipeline.readouts["meyerding_grade"] == "II", timeout=1000)


def test_herniation_toggle_reaches_extrusion_and_sliders_follow(qtbot, window):
    window.pathology.toggles["herniation"].click()
    qtbot.waitUntil(lambda: window.model.herniation == HERNIATION_TARGET, timeout=5000)
    assert window.pathology.sliders["herniation"].value() == round(HERNIATION_TARGET * 1000)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=1000)
    # Dragging the slider back to zero sets the model, and the toggle follows.
    window.pathology.sliders["herniation"].setValue(0)
    assert window.model.herniation == 0.0
    assert not window.pathology.toggles["herniation"].isChecked()
    window.pathology.sliders["slip_percent"].setValue(300)
    assert window.model.slip_percent == 30.0 and window.pathology.toggles["slip_percent"].isChecked()


def test_a_compressed_root_is_named_in_red(qtbot, window):
    window.model.set("zone", "foraminal")
    window.model.set("herniation", HERNIATION_TARGET)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    html = window.explanation.readout_label.text()
    assert "L5 left root compressed" in html
    line = next(row for row in html.split("<br>") if "L5 left" in row)
    assert "color:#e0402a" in line
    assert "color" not in next(row for row in html.split("<br>") if "L5 right" in row)
    assert window.pathology.zone_box.currentText() == "foraminal"


def test_a_toggle_shows_on_when_an_animation_it_did_not_start_arrives(qtbot, window):
    window.animator.animate("herniation", 0.5)
    assert not window.pathology.toggles["herniation"].isChecked()
    qtbot.waitUntil(lambda: not window.animator.running("herniation"), timeout=4000)
    assert window.pathology.toggles["herniation"].isChecked()
    on = window.pathology.toggles["herniation"].grab().toImage()
    off = window.pathology.toggles["slip_percent"].grab().toImage()
    # The checked toggle is drawn in the accent colour; the unchecked one is not.
    assert on.pixelColor(8, on.height() // 2).blue() > on.pixelColor(8, on.height() // 2).red() + 60
    assert abs(off.pixelColor(8, off.height() // 2).blue() - off.pixelColor(8, off.height() // 2).red()) < 40


def test_the_scene_keeps_its_size_while_readouts_change(qtbot, window):
    sizes = set()
    offs = [window.model.on(name, lambda _v: sizes.add(window.canvas.render_size()))
            for name in ("herniation", "slip_percent")]
    window.model.set("zone", "foraminal")
    window.pathology.toggles["herniation"].click()
    window.pathology.toggles["slip_percent"].click()
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=6000)
    QApplication.processEvents()
    sizes.add(window.canvas.render_size())
    for off in offs:
        off()
    assert len(sizes) == 1, f"the scene was resized while animating: {sizes}"


def test_toggle_text_is_as_large_as_the_rest_of_the_panel(window):
    toggle, box = window.pathology.toggles["slip_percent"], window.pathology.zone_box
    assert toggle.fontInfo().pointSizeF() >= box.fontInfo().pointSizeF() - 0.5


def test_the_degeneration_toggle_animates_darkens_the_disc_and_explains(qtbot, window):
    from viewer.scene.style import COLOURS

    start = window.pipeline.readouts["disc_height_posterior_mm"]
    QApplication.processEvents()
    window.pathology.toggles["degeneration"].click()
    qtbot.waitUntil(lambda: 0.2 < window.model.degeneration < 0.8, timeout=3000)
    qtbot.waitUntil(lambda: window.model.degeneration == 1.0, timeout=5000)
    qtbot.waitUntil(lambda: window.pipeline.readouts["disc_height_posterior_mm"] < start - 2.0, timeout=2000)
    assert window.pathology.sliders["degeneration"].value() == 1000
    assert window.pathology.toggles["degeneration"].isChecked()
    disc = np.array(window.scene.actors["disc_annulus"].GetProperty().GetColor())
    assert disc.sum() < rgb(COLOURS["disc_annulus"]).sum() - 0.3, "the dehydrated disc is darker"
    assert "Degenerative disc disease" in window.explanation.annotation_view.toPlainText()
    assert "Disc height" in window.explanation.readout_label.text()
    assert window.model.get("view") == "left", "seen from the side, like the slip"


def test_hours_of_toggling_create_no_new_qt_objects(qtbot, window):
    """Every toggle and camera glide reuses its animation, so the window's object tree keeps its
    size even where events are pumped by processEvents (the benchmark, a recording's progress)
    and deferred deletions never run."""
    from PyQt6.QtCore import QObject

    window.animator.speed = 8.0

    def cycle() -> None:
        for toggle in (window.pathology.toggles["slip_percent"], window.pathology.toggles["herniation"]):
            for _state in (True, False):
                toggle.click()
                while window.animator.running():
                    QApplication.processEvents()
        for view in ("left", "anterior"):
            window.model.set("view", view)
            while window.director.animation.state() == window.director.animation.State.Running:
                QApplication.processEvents()

    cycle()
    before = len(window.findChildren(QObject))
    for _ in range(3):
        cycle()
    assert window.model.get("slip_percent") == 0.0 and window.model.get("herniation") == 0.0
    assert len(window.findChildren(QObject)) == before


@pytest.mark.parametrize(("zone", "root", "sign"), [("foraminal", "L5", "big-toe extension"),
                                                    ("subarticular", "S1", "ankle reflex")])
def test_the_dermatome_of_the_compressed_root_lights_up(qtbot, window, zone, root, sign):
    panel = window.dermatomes
    assert panel.figure.lit == set() and "No root is compressed" in panel.text.text()
    window.model.set("zone", zone)
    window.model.set("herniation", STAGES["extrusion"])
    qtbot.waitUntil(lambda: panel.figure.lit == {root}, timeout=3000)
    assert sign in panel.text.text() and f"{root} root (left)" in panel.text.text()
    image = panel.figure.grab().toImage()
    other = "S1" if root == "L5" else "L5"
    ratio = panel.figure.devicePixelRatioF()

    def colour(name: str) -> str:
        p = panel.figure.probe_point(name)
        return image.pixelColor(int(p.x() * ratio), int(p.y() * ratio)).name()

    assert colour(root) == panel.figure.glow and colour(other) != panel.figure.glow
    window.model.set("herniation", 0.0)
    qtbot.waitUntil(lambda: panel.figure.lit == set(), timeout=3000)


def test_the_annotation_panel_follows_the_active_condition_and_selection(qtbot, window):
    assert "Fifth lumbar vertebra" in window.explanation.annotation_view.toPlainText()
    window.model.set("slip_percent", 20.0)
    assert "Isthmic spondylolisthesis" in window.explanation.annotation_view.toPlainText()
    window.model.set("herniation", 0.5)
    text = window.explanation.annotation_view.toPlainText()
    assert "Disc herniation" in text and "Why it hurts" in text and "Sources" in text
    window.model.set("selection", "pars_left")
    assert "Pars interarticularis" in window.explanation.annotation_view.toPlainText()


def test_every_readout_row_fits_in_the_panel(qtbot, window):
    window.model.set("zone", "foraminal")
    window.model.set("herniation", STAGES["extrusion"])
    window.model.set("slip_percent", 40.0)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    label = window.explanation.readout_label
    document_height = label.heightForWidth(label.width())
    assert 0 < document_height <= label.height(), "no readout row is cut off"
