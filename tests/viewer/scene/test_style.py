"""Root colours: compression and irritation must never be mistaken for each other."""

from __future__ import annotations

import colorsys

import numpy as np

from viewer.scene.style import PALETTES, rgb, root_colours


def _hue(colour) -> float:
    return colorsys.rgb_to_hsv(*(np.asarray(colour, float) / 255.0))[0] * 360.0


def test_a_slightly_compressed_root_is_the_compressed_hue_not_the_irritation_orange():
    # A review found a root flattened by 0.2-1.4 mm drawn orange (yellow blended with red),
    # the legend's colour for chemical irritation.
    compression = np.array([0.0, 0.2, 0.5, 1.5, 3.0])
    colours = root_colours(compression, np.zeros(5))
    standard = PALETTES["standard"]
    compressed, inflamed = _hue(255 * rgb(standard["compressed"])), _hue(255 * rgb(standard["inflamed"]))
    for c in colours[1:]:
        assert abs(_hue(c) - compressed) < 3.0
        assert abs(_hue(c) - inflamed) > 15.0
    # Deeper is more saturated, so depth still reads; full depth is the hue itself.
    saturation = [colorsys.rgb_to_hsv(*(c / 255.0))[1] for c in colours[1:]]
    assert saturation[0] < saturation[1] < saturation[2] + 1e-9 and saturation[2] - saturation[0] > 0.2
    assert np.abs(colours[3].astype(int) - 255 * rgb(PALETTES["standard"]["compressed"])).max() <= 1
    # An untouched root keeps its own colour.
    assert np.array_equal(colours[0], (255 * rgb(PALETTES["standard"]["root"])).astype(np.uint8))


def test_every_view_the_model_names_has_a_camera_in_the_same_order():
    from viewer.scene.style import VIEWS
    from viewer.state.model import VIEW_NAMES

    assert tuple(VIEWS) == VIEW_NAMES
