"""Shared fixtures: the default segment is built once per test session."""

from __future__ import annotations

import pytest

from meshes.anatomy import Anatomy
from meshes.segment import build_segment


@pytest.fixture(scope="session")
def segment():
    return build_segment(Anatomy())
