"""Architecture: the geometry, the content and the scene model never import Qt."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = ("PyQt6", "PyQt5", "PySide6", "PySide2", "pyvistaqt", "qtpy")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_meshes_annotations_and_the_model_are_qt_free():
    files = [*ROOT.glob("meshes/*.py"), *ROOT.glob("annotations/**/*.py"), ROOT / "viewer" / "model.py"]
    assert len(files) > 10
    offenders = {str(f.relative_to(ROOT)): sorted(_imports(f) & set(QT)) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}
