"""The screenshot command: the scene rendered offscreen, and one clear line for bad input."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from meshes.pathology import STAGES, Pathology
from meshes.preparation import prepare
from viewer.output.screenshot import render
from viewer.scene.style import BACKGROUND, rgb
from viewer.state.model import SceneModel


def cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # no display needed
    return subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def _warm(image: np.ndarray) -> int:
    """Pixels redder than any shade of the yellow roots: the compressed red and the inflamed glow."""
    r, g, b = (image[..., i].astype(int) for i in range(3))
    return int(((r - g > 70) & (r > 1.6 * b)).sum())


def test_screenshot_without_a_display_writes_the_scene(tmp_path):
    out = tmp_path / "shot.png"
    r = cli("screenshot", str(out), "--size", "640x400", "--view", "anterior")
    assert r.returncode == 0, r.stderr
    image = np.asarray(Image.open(out))
    assert image.shape[:2] == (400, 640)
    background = (np.abs(image[..., :3].astype(int) - 255 * rgb(BACKGROUND)).max(axis=-1) < 6).mean()
    assert 0.3 < background < 0.95, "the segment fills part of the frame"
    assert list(tmp_path.iterdir()) == [out], "no temporary file is left behind"
    assert r.stderr == "", "a screenshot that works prints no warnings (VTK's X probe before EGL)"


def test_a_compressed_inflamed_root_turns_red(segment):
    rest = prepare(segment)
    # A grade I slip touches no root (from about 26% the pars scar pinches the L5 roots).
    calm = render(rest, SceneModel.for_rest(rest, Pathology(slip_percent=10), view="foramen", labels=False),
                  (480, 360))
    state = Pathology(slip_percent=10, herniation=STAGES["extrusion"], zone="foraminal")
    pinched = render(rest, SceneModel.for_rest(rest, state, view="foramen", labels=False), (480, 360))
    assert _warm(calm) == 0
    assert _warm(pinched) > 50


def test_back_faces_are_skipped_except_where_a_cut_shows_them(segment):
    """Closed meshes seen from outside never show their back faces, so none are drawn; a cut
    opens them, and then the back faces of the cut structures are its solid cut face."""
    from viewer.output.screenshot import offscreen_plotter
    from viewer.scene.view import SceneView

    plotter = offscreen_plotter((320, 240))
    try:
        scene = SceneView(plotter, prepare(segment))
        culling = lambda: {n: a.prop.culling for n, a in scene.actors.items()}  # noqa: E731
        assert set(culling().values()) == {"back"}
        scene.set_clip("axial")
        cut = culling()
        assert {cut[n] for n in ("L5", "S1", "disc_annulus", "disc_nucleus", "dural_sac")} == {"none"}
        assert {cut[n] for n in scene.root_cuts} == {"back"}, "a root's cut face is its twin's"
        assert {t.prop.culling for t in scene.root_cuts.values()} == {"front"}
        scene.set_clip(None)
        assert set(culling().values()) == {"back"}
    finally:
        plotter.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "0x100"], "size must be from"),
        (["--size", "9000x100"], "size must be from"),
        (["--size", "big"], "size must look like"),
        (["--view", "sideways"], "invalid choice"),
    ],
)
def test_bad_sizes_and_views_get_one_line_and_status_2(tmp_path, args, message):
    r = cli("screenshot", str(tmp_path / "a.png"), *args)
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "a.png").exists()


@pytest.mark.parametrize("name", ["missing/a.png", "a.jpg"])
def test_missing_folder_or_non_png_name_is_refused(tmp_path, name):
    r = cli("screenshot", str(tmp_path / name))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cycles", "0"], "cycles must be from 1"),
        (["--cycles", "many"], "cycles must be a whole number"),
        (["--size", "0x0"], "size must be from"),
        ([], "no display"),
    ],
)
def test_benchmark_bad_input_and_no_display_get_one_line_and_status_2(args, message):
    r = cli("benchmark", *args)  # run without DISPLAY
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_saved_png_has_ordinary_permissions(tmp_path):
    import os
    import stat

    from viewer.output.screenshot import save_png

    target = tmp_path / "plain.png"
    save_png(np.zeros((4, 4, 3), np.uint8), target)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["plain.png"], "no temporary file left behind"


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_posterior_oblique_view_frames_the_pars_gap_a_slip_opens(segment, side):
    """The "Scottie dog" view looks at that side's L5 arch, square to L5's axis: the pars scar
    filling the gap a 50% slip opens (the dog's collar) lies in the middle of the frame and is
    a good part of it, not a sliver in a view of the whole sacrum."""
    rest = prepare(segment)
    model = SceneModel.for_rest(rest, Pathology(slip_percent=50.0, side=side), view="posterior_oblique", labels=False)
    shown = render(rest, model, (480, 360))
    model.hide([f"pars_scar_{side}"])
    without = render(rest, model, (480, 360))
    scar = np.any(shown != without, axis=2)
    ys, xs = np.nonzero(scar)
    assert scar.mean() > 0.01, f"the {side} scar covers {scar.mean():.1%} of the frame"
    assert 0.25 < xs.mean() / 480 < 0.75 and 0.25 < ys.mean() / 360 < 0.75, (xs.mean(), ys.mean())
