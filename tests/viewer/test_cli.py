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
        ("practice", "--seed", "-1"),
        ("practice", "--seed", "seven"),
        ("practice", "--questions", "0"),
        ("practice", "--questions", "51"),
        ("practice", "--slip", "20"),
        ("worksheet", "out.pdf", "--questions", "500"),
        ("worksheet", "out.pdf", "--seed", "1.5"),
        ("worksheet", "out.txt"),
        ("worksheet", "missing/out.pdf"),
        ("worksheet",),
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


def test_a_worksheet_into_a_folder_that_cannot_be_written_fails_cleanly():
    r = cli("worksheet", "/proc/l5s1-worksheet.pdf", "--questions", "2")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr and "/proc" in r.stderr


def test_practice_without_a_display_says_so_in_one_line():
    r = subprocess.run([sys.executable, "-m", "viewer", "practice", "--seed", "3"], capture_output=True, text=True,
                       env=_without_display(), timeout=120)
    assert r.returncode == 2
    assert "practice opens a window" in r.stderr and len(r.stderr.strip().splitlines()) == 1


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


# --- Options before or after the subcommand: the same meaning, never dropped -------------


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    r = cli("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"l5s1-viewer {version('l5s1-viewer')}"


@pytest.mark.parametrize("before", [True, False])
def test_measure_applies_state_options_given_before_or_after_it(before):
    state = ["--slip", "30", "--herniation", "extrusion", "--zone", "foraminal", "--side", "right",
             "--degeneration", "0.5"]
    r = cli(*state, "measure", "--json") if before else cli("measure", "--json", *state)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["slip_percent"] == pytest.approx(30, abs=2) and data["meyerding_grade"] == "II"
    assert data["herniation"]["stage"] == "extrusion"
    assert (data["herniation"]["zone"], data["herniation"]["side"]) == ("foraminal", "right")
    healthy = json.loads(cli("measure", "--json").stdout)
    assert data["disc_height_anterior_mm"] < healthy["disc_height_anterior_mm"] - 1, "the degenerated disc is lower"


@pytest.mark.parametrize("before", [True, False])
def test_export_records_state_options_given_before_or_after_it(before, tmp_path):
    out = tmp_path / "export"
    args = ("--slip", "25", "--degeneration", "0.4", "--side", "right")
    r = cli(*args, "export", str(out)) if before else cli("export", str(out), *args)
    assert r.returncode == 0, r.stderr
    state = json.loads((out / "manifest.json").read_text())["state"]
    assert (state["slip_percent"], state["degeneration"], state["side"]) == (25.0, 0.4, "right")


def _screenshot(tmp_path, name, *args):
    from PIL import Image

    out = tmp_path / f"{name}.png"
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    return np.asarray(Image.open(out)).astype(int)


def test_screenshot_applies_state_options_given_before_or_after_it(tmp_path):
    shot = ("--size", "320x240", "--view", "left")
    before = _screenshot(tmp_path, "before", "--slip", "60", "screenshot", str(tmp_path / "before.png"), *shot)
    after = _screenshot(tmp_path, "after", "screenshot", str(tmp_path / "after.png"), *shot, "--slip", "60")
    healthy = _screenshot(tmp_path, "healthy", "screenshot", str(tmp_path / "healthy.png"), *shot)
    assert np.abs(before - after).max() <= 2, "the same picture either way"
    assert (np.abs(before - healthy).max(axis=-1) > 40).sum() > 500, "and it shows the slip"


def test_record_applies_zone_and_side_given_before_or_after_it(tmp_path):
    from PIL import Image, ImageSequence

    def frames(path):
        return [np.asarray(f.convert("RGB")).astype(int) for f in ImageSequence.Iterator(Image.open(path))]

    clip = ("--animation", "herniation", "--fps", "2", "--seconds", "1.5", "--size", "240x160")
    runs = {
        "before": cli("--zone", "foraminal", "--side", "right", "record", str(tmp_path / "before.gif"), *clip),
        "after": cli("record", str(tmp_path / "after.gif"), *clip, "--zone", "foraminal", "--side", "right"),
        "default": cli("record", str(tmp_path / "default.gif"), *clip),
    }
    assert all(r.returncode == 0 for r in runs.values()), [r.stderr for r in runs.values()]
    before, after, default = (frames(tmp_path / f"{name}.gif") for name in runs)
    assert len(before) == len(after) == len(default) == 3
    assert max(np.abs(a - b).max() for a, b in zip(before, after, strict=True)) <= 2
    # A right foraminal herniation is filmed in the foramen close-up, the default in an axial cut.
    assert np.abs(before[1] - default[1]).mean() > 5


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--slip", "20", "run"], {"slip": 20.0}),
        (["run", "--slip", "20"], {"slip": 20.0}),
        (["--slip", "20"], {"slip": 20.0}),
        (["--render-scale", "0.5", "--lesson", "x.toml", "run"], {"render_scale": 0.5, "lesson": "x.toml"}),
        (["run", "--render-scale", "0.5", "--zone", "central"], {"render_scale": 0.5, "zone": "central"}),
        (["--render-scale", "0.5", "benchmark"], {"render_scale": 0.5}),
        (["benchmark", "--render-scale", "0.5"], {"render_scale": 0.5}),
        (["--axial", "anatomical", "run"], {"axial": "anatomical"}),
        (["run", "--axial", "anatomical"], {"axial": "anatomical"}),
    ],
)
def test_the_window_commands_read_their_options_before_or_after(argv, expected):
    """``run`` and ``benchmark`` open a window, so their parsing is checked in process."""
    from viewer.cli import SHARED_DEFAULTS, build_parser, resolve_shared

    args = build_parser().parse_args(argv)
    assert resolve_shared(args, args.command or "run") is None
    for name, default in SHARED_DEFAULTS.items():
        assert getattr(args, name) == expected.get(name, default), name
    assert not [k for k in vars(args) if k.startswith("before_")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--slip", "20", "measure", "--slip", "30"), "--slip is given both before and after 'measure'"),
        (("--zone", "central", "export", "OUT", "--zone", "central"), "--zone is given both before and after"),
        (("--side", "left", "screenshot", "a.png", "--side", "right"), "--side is given both before and after"),
        (("--zone", "central", "record", "a.gif", "--animation", "slip", "--zone", "central"), "given both"),
        (("--render-scale", "0.5", "run", "--render-scale", "0.7"), "--render-scale is given both"),
        (("--render-scale", "0.5", "benchmark", "--render-scale", "0.7"), "--render-scale is given both"),
        (("--slip", "20", "lesson", "list"), "--slip does not apply to 'lesson'"),
        (("--slip", "20", "benchmark"), "--slip does not apply to 'benchmark'"),
        (("--herniation", "protrusion", "record", "a.gif", "--animation", "slip"), "--herniation does not apply to"),
        (("--lesson", "x.toml", "measure"), "--lesson does not apply to 'measure'"),
        (("--render-scale", "0.5", "export", "OUT"), "--render-scale does not apply to 'export'"),
        (("--zone", "central", "record", "a.gif", "--lesson", "x.toml"), "a lesson sets its own"),
        (("record", "a.gif", "--animation", "slip", "--zone", "foraminal"), "the slip animation has none"),
        (("--side", "right", "record", "a.gif", "--animation", "degeneration"), "the degeneration animation has none"),
        (("--axial", "anatomical", "measure"), "--axial does not apply to 'measure'"),
        (("--axial", "anatomical", "benchmark"), "--axial does not apply to 'benchmark'"),
        (("measure", "--axial", "anatomical"), "unrecognized arguments: --axial"),
        (("screenshot", "a.png", "--axial", "anatomical"), "--axial applies to the axial view or cut"),
        (("--axial", "anatomical", "screenshot", "a.png", "--view", "left"), "--axial applies to the axial view"),
        (("record", "a.gif", "--animation", "slip", "--axial", "anatomical"), "which the slip animation does not"),
        (("record", "a.gif", "--animation", "herniation", "--zone", "foraminal", "--axial", "anatomical"),
         "which the herniation animation does not show"),
        (("--axial", "sideways", "run"), "invalid choice: 'sideways'"),
        (("--set", "l5_canal_depth=12", "lesson", "list"), "--set does not apply to 'lesson'"),
        (("--anatomy", "a.toml", "benchmark"), "--anatomy does not apply to 'benchmark'"),
        (("--set", "l5_canal_depth=12", "measure", "--set", "sacral_slope=50"), "--set is given both before"),
        (("measure", "--set", "canal=3"), "unknown dimension 'canal'"),
        (("export", "OUT", "--set", "l5_canal_depth=99"), "l5_canal_depth must be from 9.5 to 22 mm, got 99"),
        (("image", "a.png", "--modality", "xray-lateral", "--set", "disc_height_posterior=9",
          "--set", "disc_height_anterior=8"), "must not exceed"),
        (("screenshot", "a.png", "--anatomy", "missing.toml"), "missing.toml: cannot be read"),
        (("measure", "--set", "root_diameter_l5=6", "--set", "l5_canal_width=21", "--set", "l5_endplate_depth=27",
          "--set", "l5_pedicle_width=10", "--set", "l5_pedicle_height=7.5", "--set", "disc_height_posterior=4.5",
          "--set", "l5_body_height_posterior=23"), "cannot be built as a healthy segment: the left L5 root"),
    ],
)
def test_an_option_that_cannot_apply_is_an_error_never_ignored(args, message, tmp_path):
    r = cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not any(tmp_path.iterdir())


def test_screenshot_sees_the_axial_cut_from_the_feet_or_from_above(tmp_path):
    shot = ("--size", "320x240", "--view", "axial", "--clip", "axial")
    radiological = _screenshot(tmp_path, "rad", "screenshot", str(tmp_path / "rad.png"), *shot,
                               "--axial", "radiological")
    default = _screenshot(tmp_path, "default", "screenshot", str(tmp_path / "default.png"), *shot)
    anatomical = _screenshot(tmp_path, "anat", "--axial", "anatomical", "screenshot", str(tmp_path / "anat.png"),
                             *shot)
    assert np.abs(radiological - default).max() <= 2, "radiological is the default"
    assert (np.abs(radiological - anatomical).max(axis=-1) > 40).sum() > 500, "from above is another picture"


def test_anatomy_list_names_every_dimension_with_its_default_range_unit_and_source():
    from meshes.anatomy import Anatomy

    r = cli("anatomy", "list")
    assert r.returncode == 0, r.stderr
    table, presets = r.stdout.split("\npresets")
    rows = {line.split()[0]: line for line in table.splitlines()[1:]}
    assert list(rows) == Anatomy.names()
    assert "narrow-canal" in presets and "Developmentally narrow canal" in presets
    for name, row in rows.items():
        lo, hi = Anatomy.range(name)
        assert f"{Anatomy.default(name):g}" in row and f"{lo:g}-{hi:g}" in row, row
        assert Anatomy.source(name) in row and (Anatomy.unit(name) or "share") in row, row


def test_anatomy_check_says_ok_or_every_problem_at_its_line(tmp_path):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text('sacral_slope = 55\n\n[meta]\ntitle = "Steep sacrum"\nsources = ["Labelle 2004"]\n')
    bad.write_text("sacral_slope = 90\nl5_canal = 3\n")
    r = cli("anatomy", "check", str(good))
    assert r.returncode == 0 and "ok, 1 dimensions, 'Steep sacrum'" in r.stdout
    r = cli("anatomy", "check", str(bad))
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(lines) == 2
    assert lines[0].startswith(f"{bad}:1: sacral_slope must be from 20 to 60 degrees")
    assert lines[1].startswith(f"{bad}:2: unknown dimension 'l5_canal'")


def test_the_anatomy_asked_for_builds_the_segment_and_is_recorded(tmp_path):
    """A file then --set: the disc is built to the height asked for (measured on the geometry),
    and measure --json and the export manifest record the anatomy used."""
    path = tmp_path / "thin.toml"
    path.write_text('disc_height_posterior = 8.0\n[meta]\ntitle = "Thin disc"\nsources = ["report"]\n')
    default = json.loads(cli("measure", "--json").stdout)
    r = cli("measure", "--json", "--anatomy", str(path), "--set", "disc_height_posterior=4.5")
    assert r.returncode == 0, r.stderr
    thin = json.loads(r.stdout)
    assert thin["disc_height_posterior_mm"] < default["disc_height_posterior_mm"] - 1.0
    assert thin["anatomy"]["title"] == "Thin disc, adjusted" and thin["anatomy"]["sources"] == ["report"]
    assert thin["anatomy"]["changed"] == {"disc_height_posterior": 4.5}
    assert default["anatomy"]["title"] == "Average adult" and default["anatomy"]["changed"] == {}
    out = tmp_path / "export"
    assert cli("export", str(out), "--anatomy", str(path)).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["anatomy"]["dimensions"]["disc_height_posterior"] == 8.0
