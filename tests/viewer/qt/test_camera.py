"""The camera in a real window: mouse, presets, the axial convention, close-ups and camera-follow."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from probes import (  # noqa: E402
    _angle_deg,
    _axial_screen_sides,
    _exposed_axis,
    _l5_body_front,
    _projected,
    _scene_pixels,
    _seen_share,
    _settle_camera,
)
from PyQt6.QtCore import QPoint, Qt  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from meshes.conditions import by_field  # noqa: E402
from viewer.scene.framing import _foramen_focus  # noqa: E402
from viewer.scene.style import rgb  # noqa: E402

SLIP_TARGET = by_field("slip_percent").teaching
HERNIATION_TARGET = by_field("herniation").teaching


def test_a_drag_rotates_the_camera_and_a_click_selects_on_release(qtbot, window):
    canvas = window.canvas
    cam = window.plotter.camera
    before = np.array(cam.position) - np.array(cam.focal_point)
    start = canvas.rect().center()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        qtbot.mouseMove(canvas, start + QPoint(15 * step, 0))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(150, 0))
    after = np.array(cam.position) - np.array(cam.focal_point)
    angle = np.degrees(np.arccos(np.dot(before, after) / np.linalg.norm(before) / np.linalg.norm(after)))
    assert angle > 20.0, "dragging across the scene turns the camera"
    assert window.model.get("selection") is None, "a drag is not a click"
    # A click selects when the button comes up, not when it goes down.
    window.reset_view()
    _settle_camera(qtbot, window)
    target = _projected(window, _l5_body_front(window))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=target)
    assert window.model.get("selection") is None
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=target)
    assert window.model.get("selection") == "body"


def test_the_wheel_zooms(qtbot, window):
    from PyQt6.QtCore import QPointF
    from PyQt6.QtGui import QWheelEvent

    cam = window.plotter.camera
    distance = cam.distance
    centre = QPointF(window.canvas.rect().center())
    for _ in range(3):
        event = QWheelEvent(centre, QPointF(window.canvas.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(window.canvas, event)
    assert cam.distance < 0.9 * distance


def test_the_posterior_oblique_view_is_in_the_view_menu_and_on_key_7(qtbot, window):
    from PyQt6.QtTest import QTest

    view_menu = window.menuBar().actions()[1].menu()
    action = next(a for a in view_menu.actions() if a.text() == "Posterior oblique")
    assert action.shortcut().toString() == "7" and window.menus.shortcuts["7"] == "posterior oblique view"
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_7)
    assert window.model.get("view") == "posterior_oblique"


def test_the_axial_view_is_radiological_and_the_view_menu_turns_it_to_seen_from_above(qtbot, window):
    window.model.set("labels", True)
    window.model.set("view", "axial")
    _settle_camera(qtbot, window)
    window.canvas.render()
    cam = window.plotter.camera
    # From the feet: the camera below the disc (along -w), the front of the body at the top.
    assert (np.array(cam.position) - np.array(cam.focal_point)) @ window.rest.w < 0
    assert window.scene.labels.compass.text() == {"right": "L", "left": "R", "up": "A", "down": "P"}
    assert _axial_screen_sides(window) == {"patient_right": "left", "patient_left": "right"}
    action = window.menus.axial_above
    assert action in window.menuBar().actions()[1].menu().actions() and action.isCheckable()
    assert not action.isChecked()
    action.trigger()  # View > Axial view from above
    assert window.model.get("axial_convention") == "anatomical"
    _settle_camera(qtbot, window)
    window.canvas.render()
    assert (np.array(cam.position) - np.array(cam.focal_point)) @ window.rest.w > 0
    assert window.scene.labels.compass.text() == {"right": "R", "left": "L", "up": "A", "down": "P"}
    assert _axial_screen_sides(window) == {"patient_right": "right", "patient_left": "left"}
    window.model.set("axial_convention", "radiological")  # the model drives the menu back
    assert not action.isChecked()


@pytest.mark.parametrize(("convention", "half"), [("radiological", "right"), ("anatomical", "left")])
def test_a_left_herniation_squeezes_a_root_drawn_on_the_screen_half_the_convention_puts_it(
        qtbot, window, convention, half):
    from viewer.scene.style import COMPRESSED

    window.model.set("labels", False)
    window.model.set("axial_convention", convention)
    window.model.set("zone", "subarticular")
    window.model.set("side", "left")
    window.model.set("herniation", HERNIATION_TARGET)
    window.set_clip("axial")
    _settle_camera(qtbot, window)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    assert window.pipeline.readouts["roots"]["root_S1_left"]["compressed"]
    image = _scene_pixels(window)
    width = image.shape[1]
    red = (np.abs(image.astype(int) - 255 * rgb(COMPRESSED)).max(axis=-1) < 60)
    columns = np.flatnonzero(red.any(axis=0))
    assert red.sum() > 20, "the squeezed root shows red"
    on_right = (red[:, width // 2:].sum()) / red.sum()
    assert on_right > 0.9 if half == "right" else on_right < 0.1, (convention, columns.min(), columns.max(), width)
    # And the squeezed vertices themselves project to that half.
    posed = window.pipeline.posed
    squeezed = posed.points["root_S1_left"][posed.scalars["root_S1_left"]["compression"] > 0]
    xs = [_projected(window, p).x() for p in squeezed[:: max(1, len(squeezed) // 20)]]
    assert all((x > window.canvas.width() / 2) == (half == "right") for x in xs)


@pytest.mark.parametrize(("zone", "side"), [("foraminal", "left"), ("extraforaminal", "right")])
def test_a_lateral_herniation_and_the_root_it_squeezes_are_seen_side_by_side(qtbot, window, zone, side):
    """The camera follows a foraminal or extraforaminal herniation to where it meets the L5 root,
    from where the herniation's tip is not hidden behind the root, as it was from the side."""
    window.model.set("labels", False)
    window.model.set("zone", zone)
    window.model.set("side", side)
    window.pathology.toggles["herniation"].click()
    assert window.model.get("view") == "foramen"
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    _settle_camera(qtbot, window)
    qtbot.waitUntil(lambda: window.pipeline.readouts["herniation"]["stage"] == "extrusion", timeout=3000)
    window.canvas.render()
    h = window.rest.herniations[(zone, side)]
    root = h.target
    assert root == f"root_L5_{side}" and window.pipeline.readouts["roots"][root]["compressed"]
    in_the_way = {n: window.scene.meshes[n] for n in (root, f"root_S1_{side}", "L5", "S1", "sacrum", "disc_annulus")}
    tip = _exposed_axis(window, h, root)
    assert len(tip) >= 10, "a bare stretch of herniation at least half a millimetre long"
    # The tip of the herniation, up to where it enters the root: a good part of it in plain view.
    assert _seen_share(window, tip, in_the_way) > 0.2
    renderer = window.plotter.renderer

    def display(point):
        renderer.SetWorldPoint(*point, 1.0)
        renderer.WorldToDisplay()
        return np.array(renderer.GetDisplayPoint()[:2])

    # Side by side: the herniation's direction lies across the screen, not toward the camera,
    # and the squeezed stretch of root is in view beside its tip, mostly unhidden.
    cam = window.plotter.camera
    assert abs(np.asarray(cam.GetDirectionOfProjection()) @ h.n) < 0.35
    squeezed = window.pipeline.posed.points[root][window.pipeline.posed.scalars[root]["compression"] > 0]
    assert np.mean([window.scene.pick(*display(p)) == root for p in squeezed]) > 0.7
    width, height = window.canvas.render_size()
    at_tip = display(tip.mean(axis=0))
    assert 0 < at_tip[0] < width and 0 < at_tip[1] < height
    assert np.linalg.norm(display(squeezed.mean(axis=0)) - at_tip) < 0.15 * height
    # From the side, as the close-up looked before, the root hid all of it.
    window.scene.zone = "subarticular"
    window.scene.set_view("foramen")
    window.canvas.render()
    assert _seen_share(window, tip, in_the_way) == 0.0


def test_the_slips_camera_follow_watches_the_pars_open_from_behind_then_the_slip_from_the_side(qtbot, window):
    from viewer.scene.style import VIEWS

    cam = window.plotter.camera
    looking = lambda: np.array(cam.position) - np.array(cam.focal_point)  # noqa: E731
    glide, during_slip = [], []  # camera directions as glide frames are drawn; (slip %, direction)
    off = window.model.on("slip_percent", lambda v: during_slip.append((v, looking())))
    window.pathology.toggles["slip_percent"].click()
    window.director.animation.valueChanged.connect(lambda _v: glide.append(looking()))
    assert window.model.get("view") == "posterior_oblique" and window.tour.pending == ["left"]
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    # Arrived: the view is held a moment on the widest gap before the camera turns.
    assert window.model.get("view") == "posterior_oblique" and window.tour.pending == ["left"]
    qtbot.waitUntil(lambda: window.model.get("view") == "left", timeout=5000)
    _settle_camera(qtbot, window)
    oblique = VIEWS["posterior_oblique"][0]
    # The glide brings the camera to the posterior-oblique view...
    assert min(_angle_deg(d, oblique) for d in glide) < 2.0
    # ... where it stays while the pars gap opens through the second half of the slip at least (the
    # glide there takes 0.6 s of the slip's 1.8 s, more on a loaded machine)...
    seen = [v for v, d in during_slip if _angle_deg(d, oblique) < 2.0]
    assert seen and min(seen) < 0.5 * SLIP_TARGET and max(seen) > 0.9 * SLIP_TARGET
    # ... and then goes to the side, where the slip reads as on a lateral radiograph.
    assert window.model.get("view") == "left" and _angle_deg(looking(), VIEWS["left"][0]) < 2.0
    assert window.tour.pending == []
    # Choosing a view by hand ends a tour: the camera stays where it was sent.
    window.pathology.toggles["slip_percent"].click()  # back to no slip (no follow)
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    window.pathology.toggles["slip_percent"].click()
    window.model.set("view", "anterior")
    assert window.tour.pending == []
    off()
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=8000)
    assert window.model.get("view") == "anterior"


@pytest.mark.parametrize(("zone", "side", "clip", "view"), [
    ("subarticular", "left", "axial", "axial"),
    ("foraminal", "right", None, "foramen"),
])
def test_the_herniation_toggle_takes_the_camera_where_the_root_is_squeezed(qtbot, window, zone, side, clip, view):
    window.model.set("zone", zone)
    window.model.set("side", side)
    window.pathology.toggles["herniation"].click()
    assert window.model.get("clip") == clip and window.model.get("view") == view
    _settle_camera(qtbot, window)
    if view == "foramen":
        # The close-up looks at the herniation's side of the disc, from in front and that side,
        # at the stretch of L5 root the herniation reaches (see the side-by-side test).
        cam = window.plotter.camera
        offset = np.array(cam.position) - np.array(cam.focal_point)
        assert offset[0] > 30.0 and offset[1] > 50.0
        ganglion = _foramen_focus(window.rest, window.scene.meshes, window.scene.side)
        assert np.linalg.norm(np.array(cam.focal_point) - ganglion) < 15.0
    qtbot.waitUntil(lambda: not window.animator.running(), timeout=5000)
    root = f"root_{'S1' if zone == 'subarticular' else 'L5'}_{side}"
    assert window.pipeline.readouts["roots"][root]["compressed"]


def test_with_camera_follow_off_the_view_stays(qtbot, window):
    window.pathology.follow_box.setChecked(False)
    window.pathology.toggles["slip_percent"].click()
    window.pathology.toggles["herniation"].click()
    assert window.model.get("view") == "oblique" and window.model.get("clip") is None


def test_a_glide_and_a_condition_animating_together_render_once_per_tick(qtbot, window):
    """The camera's glide and the herniation's animation both change the model on every tick;
    the canvas's coalescer draws one frame for both, never one for each."""
    counts = {"renders": 0, "herniation": 0, "camera": 0}
    render = window.canvas.render

    def counted_render() -> None:
        counts["renders"] += 1
        render()

    window.canvas.render = counted_render
    offs = [window.model.on(name, lambda _v, n=name: counts.__setitem__(n, counts[n] + 1))
            for name in ("herniation", "camera")]
    # Both last 3 s, so that even a busy machine ticks each of them many times together.
    window.director.animation.setDuration(3000)
    window.animator.speed = 0.3
    try:
        window.pathology.toggles["herniation"].click()
        assert window.director.gliding(), "the camera follows the herniation"
        qtbot.waitUntil(lambda: not window.animator.running() and not window.director.gliding(), timeout=20000)
        qtbot.wait(50)
    finally:
        for off in offs:
            off()
        window.canvas.render = render
    both = counts["herniation"] + counts["camera"]
    assert counts["herniation"] > 5 and counts["camera"] > 5, counts
    # Each event-loop turn moves both; one render serves them (and the last frame's labels).
    assert counts["renders"] <= max(counts["herniation"], counts["camera"]) + 3, counts
    assert counts["renders"] < 0.75 * both, counts
