"""meshes/ and annotations/ stay free of Qt: checked on the source, not by importing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["meshes", "annotations"])
def test_package_never_imports_qt(package):
    files = list((ROOT / package).rglob("*.py"))
    assert files, f"{package} has no modules"
    for f in files:
        bad = {n for n in _imports(f) if n.lower().startswith(("pyqt", "pyside", "pyvistaqt", "qtpy"))}
        assert not bad, f"{f.relative_to(ROOT)} imports {bad}"


def test_detector_sees_a_qt_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from PyQt6.QtWidgets import QWidget\n")
    assert "PyQt6" in _imports(sample)
