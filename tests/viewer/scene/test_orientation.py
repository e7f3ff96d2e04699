"""Orientation letters: the body direction each side of the screen points to (RAS frame)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.scene.orientation import edge_letters, letters_for


@pytest.mark.parametrize(("looking", "up", "expected"), [
    # From above, front at the top: the patient's right is on the screen's right.
    ((0, 0, -1), (0, 1, 0), {"right": "R", "left": "L", "up": "A", "down": "P"}),
    # From the feet, as radiology shows axial slices: the patient's right is on the screen's left.
    ((0, 0, 1), (0, 1, 0), {"right": "L", "left": "R", "up": "A", "down": "P"}),
    # Facing the patient (anterior view): their left is on our right.
    ((0, -1, 0), (0, 0, 1), {"right": "L", "left": "R", "up": "S", "down": "I"}),
    # From the patient's left side: their front is on our left.
    ((1, 0, 0), (0, 0, 1), {"right": "P", "left": "A", "up": "S", "down": "I"}),
])
def test_each_screen_side_is_named_for_the_body_direction_it_points_to(looking, up, expected):
    assert edge_letters(looking, up) == expected


def test_an_oblique_view_gets_two_letters_and_a_near_axis_view_one():
    between = np.array([-1.0, 1.0, 0.0]) / np.sqrt(2.0)
    assert letters_for(between) == "LA"
    assert letters_for(np.array([0.95, 0.2, 0.1])) == "R"
    # A view-up that is not square to the view direction is made square first.
    assert edge_letters((0, 0, -1), (0, 1, 0.7))["up"] == "A"


@pytest.mark.parametrize(("convention", "expected"), [
    # From the feet, as CT and MR show axial slices: the patient's right on the screen's left.
    ("radiological", {"right": "L", "left": "R", "up": "A", "down": "P"}),
    # From above, as anatomy atlases draw it: the patient's right on the screen's right.
    ("anatomical", {"right": "R", "left": "L", "up": "A", "down": "P"}),
])
def test_the_axial_camera_reads_as_its_convention_says(segment, convention, expected):
    from meshes.preparation import prepare
    from viewer.scene.camera import axial_camera
    from viewer.scene.cuts import cut_planes as _cut_planes

    rest = prepare(segment)
    toward_camera, up = axial_camera(rest, convention)
    assert edge_letters(-np.asarray(toward_camera), up) == expected
    # The cut keeps the half the camera looks at, so the camera faces the cut face.
    keep = np.asarray(_cut_planes(rest, convention)["axial"].GetNormal())
    assert keep @ np.asarray(toward_camera) < -0.99
