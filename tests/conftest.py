"""Shared fixtures: the default segment is built, and prepared for posing, once per test session."""

from __future__ import annotations

import pytest

from meshes.anatomy import Anatomy
from meshes.preparation import prepare
from meshes.segment import build_segment


@pytest.fixture(scope="session")
def segment():
    return build_segment(Anatomy())


@pytest.fixture(scope="session")
def rest(segment):
    """The default segment prepared for posing (:func:`meshes.pose.prepare`). Posing fills its
    caches (``rest.cache``), which give the same numbers as working them out again, so one
    copy serves every test that does not change it."""
    return prepare(segment)
