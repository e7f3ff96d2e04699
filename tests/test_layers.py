"""The architecture's layers, checked by import-linter's contracts in pyproject.toml: Qt only in
viewer.qt, each viewer layer importing only those below it, and geometry and content never
importing the viewer. (They replace the earlier hand-written AST checks.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml")], cwd=root, capture_output=True,
                          text=True, timeout=300, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def test_every_layer_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def test_the_contracts_catch_qt_in_the_state_and_an_upward_import(tmp_path):
    for package in ("meshes", "annotations", "viewer"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "content"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "viewer" / "state" / "leaky.py").write_text("from PyQt6.QtCore import QTimer\n"
                                                            "from viewer.qt.window import MainWindow\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "Nothing below viewer.qt imports Qt BROKEN" in result.stdout
    assert "The viewer's layers import downward only BROKEN" in result.stdout
