"""The command line: export round-trip, measurements, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import pyvista as pv

from meshes.segment import STRUCTURES


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_export_round_trip_keeps_regions_and_landmarks(tmp_path):
    out = tmp_path / "segment"
    r = cli("export", str(out), "--slip", "0")
    assert r.returncode == 0, r.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["units"] == "mm" and manifest["axes"] == "RAS"
    assert [s["id"] for s in manifest["structures"]] == list(STRUCTURES)
    l5 = pv.read(out / "L5.vtp")
    assert l5.n_open_edges == 0
    regions = manifest["structures"][0]["regions"]
    assert {regions[str(i)] for i in np.unique(l5.cell_data["region"])} >= {"body", "pars_left", "pars_right"}
    for name, point in manifest["landmarks"].items():
        bone = l5 if name.startswith("L5") else pv.read(out / "S1.vtp")
        d = abs(pv.PolyData(np.array([point])).compute_implicit_distance(bone)["implicit_distance"][0])
        assert d < 0.05, name


def test_export_stl_writes_every_structure(tmp_path):
    out = tmp_path / "print"
    assert cli("export", str(out), "--format", "stl").returncode == 0
    for name in STRUCTURES:
        mesh = pv.read(out / f"{name}.stl")
        assert mesh.n_cells > 100


def test_measure_json_reports_a_healthy_segment():
    r = cli("measure", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["meyerding_grade"] == "none"
    assert 10.0 < data["disc_height_anterior_mm"] < 15.0
    assert set(data["roots"]) == {"root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"}


@pytest.mark.parametrize(
    "args",
    [
        ("measure", "--slip", "200"),
        ("measure", "--slip", "abc"),
        ("measure", "--herniation", "huge"),
        ("measure", "--zone", "nowhere"),
        ("export", "OUT", "--format", "fbx"),
        ("frobnicate",),
    ],
)
def test_bad_values_give_one_line_and_status_2(args, tmp_path):
    r = cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not any(tmp_path.iterdir())


def test_export_to_a_missing_folder_fails_cleanly(tmp_path):
    r = cli("export", str(tmp_path / "no" / "such" / "dir"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())


def test_export_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    r = cli("export", str(tmp_path))
    assert r.returncode == 2
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_export_into_a_folder_that_cannot_be_written_fails_cleanly():
    # /proc refuses new entries even to root, so this holds in CI as well.
    r = cli("export", "/proc/l5s1-viewer-export")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def _without_display(**extra):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(extra)
    return env


@pytest.mark.parametrize(
    ("env", "message"),
    [({}, "no display"), ({"DISPLAY": ":4711"}, "cannot connect to the display ':4711'")],
)
def test_the_viewer_without_a_reachable_screen_says_so_in_one_line(env, message):
    # Qt would abort with a core dump and a page of text; the command checks first.
    r = subprocess.run([sys.executable, "-m", "viewer", "--slip", "20"], capture_output=True, text=True,
                       env=_without_display(**env), timeout=120)
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("after_s", [0.5, 6.0])
def test_ctrl_c_or_sigterm_closes_the_window_cleanly(signal_name, after_s):
    """Whether it arrives while the segment is being built or while the window is open."""
    import os
    import signal
    import time

    if not os.environ.get("DISPLAY"):
        pytest.skip("needs the virtual screen")
    proc = subprocess.Popen([sys.executable, "-m", "viewer"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(after_s)
    proc.send_signal(getattr(signal, signal_name))
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_benchmark_plays_the_toggles_in_the_real_window_and_reports_every_figure():
    """One cycle in a small window (the figures themselves come from a full run, not from here)."""
    import os

    assert os.environ.get("DISPLAY"), "pytest-xvfb gives the tests a screen"
    r = cli("benchmark", "--size", "640x480", "--cycles", "2", "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["cycles"] == 2 and len(result["rss_mb_per_cycle"]) == 2
    # Two toggles on and off, twice: dozens of frames each way.
    assert result["frames"] > 40
    assert 0 < result["frame_ms_median"] <= result["frame_ms_p95"]
    assert 0 < result["baseline_empty_first_frame_s"] and 0 < result["first_frame_s"]
    assert result["first_frame_ratio"] == round(result["first_frame_s"] / result["baseline_empty_first_frame_s"], 2)
    assert result["rss_mb_min_max"] == [min(result["rss_mb_per_cycle"]), max(result["rss_mb_per_cycle"])]
