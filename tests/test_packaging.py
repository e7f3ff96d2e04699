"""The wheel stands alone: built by pip, installed outside the checkout, it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("meshes", "viewer", "annotations")


def _run(*args, cwd=None, env=None, timeout=900):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)
    assert r.returncode == 0, f"{args[:4]}: {r.stderr[-2000:]}"
    return r


def _outside_env() -> dict:
    """The environment without anything that points back into the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def test_the_wheel_holds_every_file_and_runs_from_a_fresh_environment(tmp_path):
    env = _outside_env()
    # A plain venv from the interpreter under ours, with the pip that Python itself ships.
    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(fresh)
    python = fresh / "bin" / "python"
    dist = tmp_path / "dist"
    _run(python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT, cwd=tmp_path, env=env)
    (wheel,) = dist.glob("l5s1_viewer-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(p.relative_to(ROOT))
        for package in PACKAGES
        for p in (ROOT / package).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected - names == set(), "every module, annotation and lesson is in the wheel"
    assert any(n.startswith("annotations/lessons/") and n.endswith(".toml") for n in names)
    assert not any(n.startswith(("tests/", "tools/", "benchmarks/")) for n in names)

    # The dependencies at exactly the locked versions (uv's cache makes this quick).
    constraints = tmp_path / "constraints.txt"
    _run(sys.executable, "-m", "uv", "export", "--frozen", "--no-hashes", "--no-emit-project", "--no-header",
         "-q", "-o", constraints, cwd=ROOT, env=env)
    _run(sys.executable, "-m", "uv", "pip", "install", "-q", "--python", python, "-c", constraints, wheel,
         cwd=tmp_path, env=env)

    home = tmp_path / "elsewhere"
    home.mkdir()
    located = _run(python, "-c", "import viewer, annotations; print(viewer.__file__); print(annotations.__file__)",
                   cwd=home, env=env).stdout.split()
    assert all(Path(p).is_relative_to(fresh) for p in located), located
    command = fresh / "bin" / "l5s1-viewer"
    lessons = _run(command, "lesson", "list", cwd=home, env=env).stdout
    assert "lumbosacral-pain" in lessons
    measured = json.loads(_run(command, "measure", "--json", "--slip", "30", cwd=home, env=env).stdout)
    here = json.loads(_run(sys.executable, "-m", "viewer", "measure", "--json", "--slip", "30").stdout)
    assert measured == here, "the installed wheel measures what the checkout measures"
    version = _run(command, "--version", cwd=home, env=env).stdout.split()[-1]
    assert wheel.name.startswith(f"l5s1_viewer-{version}-")
