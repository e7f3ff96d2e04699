"""Labels and orientation letters in a real window: what they name and where they point."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")


from probes import LABELLED, _scene_pixels, _settle_camera  # noqa: E402

from meshes.pathology import STAGES  # noqa: E402


def test_labels_switch_on_and_off_and_follow_the_camera(qtbot, window):
    captions = window.scene.labels.captions
    assert window.model.get("labels"), "labels are on when the window opens"
    window.canvas.render()
    shown = {t for t, c in captions.items() if c.GetVisibility()}
    assert {"L5", "S1", "L5–S1 disc"} <= shown
    with_labels = _scene_pixels(window)
    window.menus.labels.trigger()  # the L shortcut's action
    assert window.model.get("labels") is False
    window.canvas.render()
    assert not any(c.GetVisibility() for c in captions.values())
    without = _scene_pixels(window)
    assert (np.abs(with_labels.astype(int) - without.astype(int)).max(axis=-1) > 60).sum() > 200
    window.model.set("labels", True)
    assert window.menus.labels.isChecked()
    # Each leader ends on its structure: the anchor is a vertex of the mesh drawn now.
    caption = captions["L5"]
    window.canvas.render()
    anchor = np.array(caption.GetAttachmentPoint())
    assert np.linalg.norm(np.asarray(window.scene.meshes["L5"].points) - anchor, axis=1).min() < 1e-6
    # From behind, the L5 is labelled on its spinous process, not through the body.
    window.model.set("view", "posterior")
    _settle_camera(qtbot, window)
    window.canvas.render()
    assert np.array(caption.GetAttachmentPoint())[1] < anchor[1] - 30.0


def test_labels_leave_out_anchors_on_the_cut_away_side(qtbot, window):
    window.set_clip("axial")
    _settle_camera(qtbot, window)
    window.canvas.render()
    origin, normal = window.scene.labels.cut
    for text, caption in window.scene.labels.captions.items():
        if caption.GetVisibility():
            assert (np.array(caption.GetAttachmentPoint()) - origin) @ normal >= 0.0, text
    assert any(c.GetVisibility() for c in window.scene.labels.captions.values()), "some labels remain"


@pytest.mark.parametrize(("view", "clip", "state"), [
    ("oblique", None, {}),
    ("left", None, {"slip_percent": 40.0}),
    ("posterior", None, {}),
    ("anterior", None, {}),
    ("posterior_oblique", None, {}),
    ("superior", None, {}),
    ("axial", "axial", {"herniation": STAGES["extrusion"]}),
    ("left", "sagittal", {"herniation": STAGES["extrusion"]}),
])
def test_every_shown_label_points_at_its_own_structure_not_through_another(qtbot, window, view, clip, state):
    from viewer.scene.labels import _to_display

    for field, value in state.items():
        window.model.set(field, value)
    window.set_clip(clip)
    window.model.set("view", view)
    _settle_camera(qtbot, window)
    window.canvas.render()
    shown = {t: c for t, c in window.scene.labels.captions.items() if c.GetVisibility()}
    assert len(shown) >= 3, f"only {sorted(shown)} labelled"
    for text, caption in shown.items():
        x, y = _to_display(window.plotter.renderer, caption.GetAttachmentPoint())
        picked = {window.scene.pick(x + dx, y + dy) for dx, dy in ((0, 0), (2, 0), (-2, 0), (0, 2), (0, -2))}
        assert any(p and p.startswith(LABELLED[text]) for p in picked), f"{text} leader ends on {picked}"


@pytest.mark.parametrize("view", ["posterior_oblique", "posterior"])
def test_the_pars_label_names_the_isthmus_not_the_facet_joint_beside_it(qtbot, window, view):
    from meshes.geometry import unsigned_distance

    window.model.set("view", view)
    _settle_camera(qtbot, window)
    window.canvas.render()
    caption = window.scene.labels.captions["Pars"]
    assert caption.GetVisibility(), f"no Pars label in the {view} view"
    end = np.array(caption.GetAttachmentPoint())[None, :]
    joints = [window.scene.meshes[f"facet_cartilage_{side}"] for side in ("left", "right")]
    assert min(unsigned_distance(end, joint)[0] for joint in joints) >= 3.5


def test_orientation_letters_name_the_patients_sides_and_go_with_the_labels(qtbot, window):
    from viewer.scene.orientation import FONT_SHARE

    def letter_pixels() -> int:
        """Bright text pixels in the compass's corner (the scene's lower right)."""
        window.canvas.render()
        image = _scene_pixels(window)
        h, w, _ = image.shape
        font = max(12, int(FONT_SHARE * window.canvas.render_size()[1])) / window.canvas.factor()
        corner = image[h - int(4.5 * font):h - 2, w - int(4.5 * font):w - 2].astype(int)
        return int((corner.min(axis=-1) > 170).sum())

    window.model.set("labels", True)
    window.model.set("view", "axial")  # from the feet, the front at the top, as on an axial CT or MR slice
    _settle_camera(qtbot, window)
    window.canvas.render()
    assert window.scene.labels.compass.text() == {"right": "L", "left": "R", "up": "A", "down": "P"}
    assert letter_pixels() > 40
    window.model.set("view", "anterior")  # facing the patient: their left on our right
    _settle_camera(qtbot, window)
    window.canvas.render()
    letters = window.scene.labels.compass.text()
    assert (letters["right"], letters["left"], letters["up"]) == ("L", "R", "S")
    size = window.scene.labels.compass.actors["right"].GetTextProperty().GetFontSize()
    window.scale_text(+1)  # Ctrl++ enlarges the letters with the labels
    window.canvas.render()
    assert window.scene.labels.compass.actors["right"].GetTextProperty().GetFontSize() > size
    window.model.set("labels", False)
    assert letter_pixels() == 0
