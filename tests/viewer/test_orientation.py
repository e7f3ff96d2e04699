"""Orientation letters: the body direction each side of the screen points to (RAS frame)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.orientation import edge_letters, letters_for


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
