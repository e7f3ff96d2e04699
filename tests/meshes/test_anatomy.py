"""Anatomy parameters: published defaults, validation."""

from __future__ import annotations

import pytest

from meshes.anatomy import Anatomy


def test_defaults_are_the_published_means():
    a = Anatomy()
    assert a.l5_body_height_anterior == 30.3 and a.l5_body_height_posterior == 26.3
    assert a.l5_pedicle_width == 16.1 and a.l5_canal_depth == 15.6 and a.l5_canal_width == 28.2
    assert a.sacral_slope == 40.0 and a.facet_angle == 47.0
    assert all(Anatomy.source(n) for n in Anatomy.names())


@pytest.mark.parametrize(
    "change",
    [{"l5_endplate_depth": -3.0}, {"sacral_slope": 95.0}, {"l5_canal_width": float("nan")},
     {"disc_height_posterior": 14.0}],
)
def test_implausible_values_are_refused(change):
    with pytest.raises(ValueError):
        Anatomy().replace(**change)
