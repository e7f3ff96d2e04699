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
from viewer.output.film import L5_COLOUR, S1_COLOUR, film_image


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
    (("--modality", "xray-ap", "--overlay"), "applies to the xray-lateral, xray-oblique-left, "
                                             "xray-oblique-right and xray-flexion-extension films only"),
    (("--modality", "mri-axial", "--no-overlay"), "overlay applies to the xray-lateral"),
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


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_oblique_names_the_dogs_parts_and_the_collar_once_the_pars_gives_way(rest, side):
    """The oblique's overlay: the dog of the side nearer the film faces the patient's front (its
    nose on the image's side where the body is), its eye sits between nose and neck, and the neck
    is called the collar only once a slip has opened the pars defect."""
    from meshes.film_overlay import scottie_overlay

    name = f"xray-oblique-{side}"
    for slip, neck in ((0.0, "neck"), (25.0, "collar")):
        posed = pose(rest, Pathology(slip_percent=slip))
        film = projection(name, posed.landmarks)
        drawn = scottie_overlay(rest, posed, film, (512, 512))
        named = {text: point for text, point, _at in drawn.labels}
        assert set(named) == {"nose", "eye", "ear", neck, "front leg"}
        assert drawn.numbers["collar"] == (slip > 0)
        l5 = rest.segment.structures["L5"]
        body_cells = np.asarray(l5.cell_data["region"]) == 0  # L5_REGIONS[0], the body
        body_points = np.unique(np.asarray(l5.faces).reshape(-1, 4)[body_cells, 1:])
        body = film.to_pixel(np.asarray(posed.points["L5"])[body_points], (512, 512))[:, 0]
        front = 1.0 if side == "left" else -1.0  # the left oblique's dog faces the image's right
        assert front * (named["nose"][0] - named[neck][0]) > 40, "the dog faces the patient's front"
        assert front * (named["eye"][0] - named[neck][0]) > 0 and front * (named["nose"][0] - named["eye"][0]) > 0
        assert body.min() < named["eye"][0] < body.max(), "the eye over the body"
        assert named["ear"][1] < named["eye"][1] < named["front leg"][1], "ear up, leg down"
        assert all(0 <= c < 512 for point in named.values() for c in point)


def test_the_dogs_names_are_drawn_on_the_film_and_stay_on_it(rest):
    state = Pathology(slip_percent=25.0)
    posed = pose(rest, state)
    bare = film_image(rest, posed, state, "xray-oblique-right", (384, 384), overlay=False)
    named = film_image(rest, posed, state, "xray-oblique-right", (384, 384), overlay=True)
    blue = np.abs(named.astype(int) - np.array(L5_COLOUR)).max(axis=-1) < 30
    assert (np.abs(bare.astype(int) - np.array(L5_COLOUR)).max(axis=-1) < 30).sum() == 0
    assert blue.sum() > 100, "the leader lines and points are drawn"
    text = (named.min(axis=-1) > 250) & ~(bare.min(axis=-1) > 250)
    assert text.sum() > 500, "the names and the legend are written"


def test_the_flexion_extension_pair_is_lined_up_on_s1_and_prints_what_measure_prints(rest):
    """Grade II through a pars defect: the pair shows L5 sliding on a still S1, the slip on the
    flexion film larger, and the numbers are the readouts' own."""
    from dataclasses import replace

    from meshes.dynamics import posture_readouts, segmental_angle_deg, translation_mm
    from meshes.film_overlay import motion_overlay

    state = Pathology(slip_percent=40.0)
    size = (384, 384)
    drawn = {}
    for posture in (-1.0, 1.0):
        posed = pose(rest, replace(state, posture=posture))
        film = projection("xray-lateral", posed.landmarks)
        marks = posed.landmarks
        drawn[posture] = motion_overlay(marks, film, size, "x", segmental_angle_deg(marks), translation_mm(marks))
    # S1 does not move between the films; L5's corner does, forward (to the film's left) in flexion.
    assert np.allclose(drawn[-1.0].lines["s1_endplate"], drawn[1.0].lines["s1_endplate"], atol=1e-6)
    assert drawn[1.0].points["l5_corner"][0] < drawn[-1.0].points["l5_corner"][0] - 2.0
    measured = json.loads(cli("measure", "--slip", "40", "--json").stdout)["posture"]["flexion_extension"]
    moved = drawn[1.0].numbers["translation_mm"] - drawn[-1.0].numbers["translation_mm"]
    turned = drawn[-1.0].numbers["segmental_angle_deg"] - drawn[1.0].numbers["segmental_angle_deg"]
    assert moved == pytest.approx(measured["translation_mm"], abs=0.02) and measured["unstable"]
    assert turned == pytest.approx(measured["angulation_deg"], abs=0.02)
    assert posture_readouts(rest, state)["flexion_extension"] == measured
    # The image: two films side by side, the overlay drawn on each half, none without it.
    with_lines = film_image(rest, pose(rest, state), state, "xray-flexion-extension", (768, 384))
    bare = film_image(rest, pose(rest, state), state, "xray-flexion-extension", (768, 384), overlay=False)
    assert with_lines.shape == bare.shape == (384, 768, 3)
    for half in (slice(0, 384), slice(384, 768)):
        assert _amber(with_lines[:, half]) > 50 and _amber(bare[:, half]) == 0
    assert np.abs(bare[:, :384].astype(int) - bare[:, 384:].astype(int)).mean() > 2.0  # L5 has moved
