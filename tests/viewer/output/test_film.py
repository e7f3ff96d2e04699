"""Films on the command line and their overlay: `l5s1-viewer image`, measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from meshes.film_overlay import meyerding_overlay
from meshes.pathology import Pathology
from meshes.pose import pose, readouts
from meshes.radiograph import projection
from viewer.output.film import S1_COLOUR, film_image


def cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # no display needed
    return subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def _amber(image: np.ndarray) -> int:
    return int((np.abs(image.astype(int) - np.array(S1_COLOUR)).max(axis=-1) < 30).sum())


def test_the_lateral_film_with_its_overlay_is_written_without_a_display(tmp_path):
    out = tmp_path / "lateral.png"
    r = cli("image", str(out), "--modality", "xray-lateral", "--slip", "40", "--size", "640x600")
    assert r.returncode == 0, r.stderr
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape == (600, 640, 3)
    assert _amber(image) > 200, "Meyerding's quarters are drawn"
    assert list(tmp_path.iterdir()) == [out]


def test_the_overlay_prints_what_measure_prints_and_draws_it_where_it_is(rest):
    state = Pathology(slip_percent=40.0)
    posed = pose(rest, state)
    film = projection("xray-lateral", posed.landmarks)
    drawn = meyerding_overlay(posed.landmarks, film, (768, 768), readouts(rest, posed, state))
    measured = json.loads(cli("measure", "--slip", "40", "--json").stdout)
    assert drawn.numbers == {k: measured[k] for k in ("slip_percent", "meyerding_grade", "slip_angle_deg")}
    assert drawn.text[0].startswith(f"Slip {measured['slip_percent']:.0f}%") and "Meyerding II" in drawn.text[0]
    # On the film: the perpendicular's foot is the slip's share of the S1 endplate along it.
    back, front = drawn.lines["s1_endplate"]
    foot = drawn.lines["slip"][1]
    share = np.dot(foot - back, front - back) / np.dot(front - back, front - back)
    assert abs(100.0 * share - measured["slip_percent"]) < 0.5
    # The perpendicular is square to the endplate on the film too (the film is lateral).
    corner, to_foot = drawn.lines["perpendicular"]
    assert abs(np.dot(to_foot - corner, front - back)) < 1e-6 * np.linalg.norm(front - back) ** 2


def test_without_the_overlay_the_students_grade_it_themselves(rest):
    state = Pathology(slip_percent=40.0)
    posed = pose(rest, state)
    bare = film_image(rest, posed, state, "xray-lateral", (512, 512), overlay=False)
    drawn = film_image(rest, posed, state, "xray-lateral", (512, 512), overlay=True)
    assert _amber(bare) == 0 and _amber(drawn) > 100


@pytest.mark.parametrize(("args", "message"), [
    (("--modality", "xray-ap", "--overlay"), "applies to the xray-lateral film only"),
    (("--modality", "xray-lateral", "--size", "8x8"), "16 to 4096 pixels"),
    (("--modality", "xray-lateral", "--size", "big"), "size must look like"),
    (("--modality", "ultrasound"), "invalid choice"),
    (("--modality", "xray-lateral", "--slip", "400"), "from 0 to 150"),
])
def test_bad_input_gets_one_line_and_status_2_and_no_file(tmp_path, args, message):
    out = tmp_path / "film.png"
    r = cli("image", str(out), *args)
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not out.exists()


def test_a_film_into_a_missing_folder_or_not_a_png_is_refused(tmp_path):
    for target, message in ((tmp_path / "no" / "film.png", "folder does not exist"), (tmp_path / "film.jpg", ".png")):
        r = cli("image", str(target), "--modality", "xray-lateral")
        assert r.returncode == 2 and message in r.stderr, r.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (("--modality", "xray-lateral", "--slice", "5"), "--slice moves an MRI slice; xray-lateral has none"),
    (("--modality", "mri-axial", "--slice", "20"), "--slice for mri-axial must be from -15 to 15 mm"),
    (("--modality", "mri-sagittal", "--slice", "left"), "slice must be a number of mm"),
])
def test_a_slice_position_that_cannot_apply_is_refused(tmp_path, args, message):
    out = tmp_path / "film.png"
    r = cli("image", str(out), *args)
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not out.exists()


def test_the_slice_option_moves_the_mri_slice(tmp_path, rest):
    """``--slice`` gives the film the pane shows with its slider there: 12 mm up the axial slice is in L5."""
    out = tmp_path / "above.png"
    r = cli("image", str(out), "--modality", "mri-axial", "--slice", "12", "--size", "256x256")
    assert r.returncode == 0, r.stderr
    state = Pathology()
    expected = film_image(rest, pose(rest, state), state, "mri-axial", (256, 256), slice_mm=12.0)
    at_disc = film_image(rest, pose(rest, state), state, "mri-axial", (256, 256))
    written = np.asarray(Image.open(out).convert("RGB"))
    assert np.array_equal(written, expected) and not np.array_equal(written, at_disc)
