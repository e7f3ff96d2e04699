"""The posing modules: records shared from meshes.rest, no import cycle, caches that change nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from meshes.pathology import Pathology
from meshes.pose import pose
from meshes.preparation import prepare
from meshes.rest import Rest

MESHES = Path(__file__).resolve().parents[2] / "meshes"


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_no_module_below_pose_imports_it():
    below = [f for f in MESHES.glob("*.py") if f.name != "pose.py"]
    assert [f.name for f in below if "meshes.pose" in _imported(f)] == []


def test_rest_is_built_with_keywords(segment):
    with pytest.raises(TypeError):
        Rest(segment)  # (the positional form is refused)


def test_a_cold_cache_poses_as_a_warm_one(segment, rest):
    """Everything posing keeps in ``rest.cache`` gives the same numbers as working it out again."""
    states = [Pathology(herniation=0.9, zone="central"), Pathology(slip_percent=40.0, herniation=0.7),
              Pathology(herniation=0.5, zone="foraminal", side="right")]
    cold = prepare(segment)
    for state in states:
        for _ in range(2):  # the second time from the cache
            warm, fresh = pose(rest, state), pose(cold, state)
            for name in fresh.points:
                assert np.array_equal(warm.points[name], fresh.points[name]), (state, name)
            assert warm.root_gap == fresh.root_gap
