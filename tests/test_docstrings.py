"""The public functions of the geometry (meshes/) and of the Qt-free state (viewer/state) carry
numpydoc docstrings, checked by numpydoc's own validator with the checks named in pyproject.toml:
a docstring on every public function, class and method, every parameter documented (and none that
does not exist), and a Returns section where something is returned."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("meshes", "viewer/state")


def _lint(root: Path) -> subprocess.CompletedProcess:
    files = sorted(str(p.relative_to(root)) for folder in CHECKED for p in (root / folder).glob("*.py"))
    return subprocess.run([sys.executable, "-m", "numpydoc", "lint", "--config", str(root), *files],
                          cwd=root, capture_output=True, text=True, timeout=300)


def test_public_geometry_and_state_functions_have_numpydoc_docstrings():
    result = _lint(ROOT)
    problems = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not problems, problems[-4000:]


def test_the_check_catches_an_undocumented_parameter_and_a_missing_docstring(tmp_path):
    for folder in CHECKED:
        (tmp_path / folder).mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "meshes" / "careless.py").write_text(
        'def height(anatomy, side):\n    """Height.\n\n    Parameters\n    ----------\n'
        '    anatomy : Anatomy\n        The dimensions.\n    """\n    return 1.0\n\n\n'
        "def width(anatomy):\n    return 2.0\n")
    result = _lint(tmp_path)
    report = result.stdout + result.stderr
    assert result.returncode != 0
    assert "careless.py:1: PR01" in report and "side" in report
    assert "careless.py:1: RT01" in report
    assert "careless.py:12: GL08" in report
