"""The practice quiz's pictures, drawn offscreen: the grading film without its overlay and the
reveal with it, the named structure standing out of a ghosted scene, no picture for a vignette."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.output.practice import picture_image
from viewer.state.practice import PracticeSession


@pytest.fixture(scope="module")
def session(rest):
    return PracticeSession(4, 8, rest)


def _first(session, kind):
    return next(q for q in session.questions if q.kind == kind)


def test_the_grading_film_hides_the_overlay_until_the_reveal(rest, session):
    q = _first(session, "grade")
    asked = picture_image(rest, q, (256, 256))
    revealed = picture_image(rest, q, (256, 256), reveal=True)
    assert asked.shape == revealed.shape == (256, 256, 3)
    # The overlay is drawn in colour (amber quarters, blue L5 line) on a grey film.
    def coloured(image):
        return (image.max(axis=-1).astype(int) - image.min(axis=-1) > 60).mean()
    assert coloured(asked) < 0.001 < coloured(revealed)


def test_a_vignette_has_no_picture_and_a_named_structure_a_scene(rest, session):
    assert picture_image(rest, _first(session, "signs")) is None
    q = _first(session, "structure")
    image = picture_image(rest, q, (200, 160))
    assert image.shape == (160, 200, 3) and np.ptp(image) > 100
