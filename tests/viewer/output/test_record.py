"""Recording: frame count, size, changing content, captions, and bad input (offscreen)."""

from __future__ import annotations

import numpy as np
import pytest

from annotations.lessons import check
from meshes.segment import STRUCTURES
from meshes.vertebra_l5 import L5_REGIONS
from viewer.cli import main
from viewer.output.recorder import RecordError, animation_frames, lesson_frames, record
from viewer.scene.style import VIEWS

LESSON = """
[lesson]
title = "Two steps"
sources = ["x"]
[[step]]
title = "Healthy"
text = "a"
view = "left"
duration = 1
[[step]]
title = "Slipped"
text = "b"
view = "left"
slip = 60
duration = 1
"""


def _frames(path) -> tuple[tuple[int, int], list[np.ndarray]]:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    return (w, h), [np.frombuffer(f, np.uint8).reshape(h, w, 3).astype(int) for f in reader]




def test_a_herniation_gif_has_fps_times_seconds_frames_and_moves(tmp_path, rest):
    frames = animation_frames("herniation", 8, 2.0, "subarticular", "left")
    out = record(str(tmp_path / "h.gif"), frames, 8, (160, 120), rest)
    size, images = _frames(out)
    assert size == (160, 120) and len(images) == 16
    still = np.abs(images[1] - images[0]).mean()
    moved = np.abs(images[8] - images[0]).mean()
    assert moved > 5 * max(still, 0.05), "the herniated frame differs from the healthy one"
    assert [p.name for p in tmp_path.iterdir()] == ["h.gif"]


def test_a_lesson_records_step_by_step_with_captions(tmp_path, rest):
    lesson, problems = check(LESSON, STRUCTURES, L5_REGIONS, VIEWS)
    assert problems == []
    frames = lesson_frames(lesson, 6, None)
    assert len(frames) == 12 and frames[0].caption == "1. Healthy" and frames[-1].caption == "2. Slipped"
    assert frames[-1].state.slip_percent == pytest.approx(60.0)
    out = record(str(tmp_path / "lesson.mp4"), frames, 6, (320, 240), rest)
    size, images = _frames(out)
    assert size == (320, 240) and len(images) == 12
    band = slice(0, 30)  # the caption at the top edge changes with the step
    assert np.abs(images[11][band] - images[0][band]).mean() > 2.0


def test_cancelling_leaves_no_file(tmp_path, rest):
    frames = animation_frames("slip", 4, 2.0, "subarticular", "left")
    with pytest.raises(RecordError, match="cancelled"):
        record(str(tmp_path / "s.mp4"), frames, 4, (64, 48), rest, progress=lambda done, total: done < 3)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["x.avi", "--animation", "slip"],
    ["missing/x.mp4", "--animation", "slip"],
    ["x.mp4", "--animation", "slip", "--size", "641x480"],
    ["x.mp4", "--animation", "slip", "--fps", "0"],
    ["x.gif", "--animation", "wobble"],
    ["x.gif"],
    ["x.gif", "--animation", "slip", "--lesson", "l.toml"],
    ["x.gif", "--lesson", "nowhere.toml"],
    ["/proc/x.gif", "--animation", "slip"],
    ["x.gif", "--animation", "slip", "--modality", "xray-ap", "--overlay"],
    ["x.gif", "--animation", "slip", "--modality", "xray-lateral", "--slice", "4"],
    ["x.gif", "--animation", "slip", "--slice", "4"],
    ["x.gif", "--animation", "herniation", "--modality", "mri-axial", "--slice", "30"],
    ["x.gif", "--animation", "herniation", "--modality", "mri-axial", "--size", "5000x720"],
    ["x.gif", "--animation", "herniation", "--modality", "mri-axial", "--axial", "anatomical"],
    ["x.gif", "--animation", "slip", "--modality", "ct"],
])
def test_bad_record_input_gets_one_line_and_exit_2(tmp_path, capsys, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["record", *args]))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    assert list(tmp_path.iterdir()) == []


def test_a_slip_recorded_as_the_lateral_film_is_the_film_of_each_frame(tmp_path, rest):
    """``--modality``: the frames are the films the pane shows of each state, not the 3D scene:
    the first is the healthy film, the one at the hold the grade II film with its overlay."""
    from meshes.pose import pose
    from viewer.output.film import film_image

    frames = animation_frames("slip", 5, 2.0, "subarticular", "left")
    out = record(str(tmp_path / "slip.gif"), frames, 5, (128, 128), rest, film="xray-lateral")
    size, images = _frames(out)
    assert size == (128, 128) and len(images) == len(frames) == 10
    for i in (0, 5):
        state = frames[i].state
        expected = film_image(rest, pose(rest, state), state, "xray-lateral", (128, 128)).astype(int)
        assert np.abs(images[i] - expected).mean() < 4.0, "the GIF's palette aside, the pane's film"
    assert frames[5].state.slip_percent > 25.0
    assert np.abs(images[5] - images[0]).mean() > 5.0


def test_a_lesson_recorded_as_an_mri_slice_carries_the_step_titles(tmp_path, rest):
    lesson, problems = check(LESSON, STRUCTURES, L5_REGIONS, VIEWS)
    assert problems == []
    frames = lesson_frames(lesson, 4, None)
    out = record(str(tmp_path / "lesson.mp4"), frames, 4, (256, 256), rest, film="mri-sagittal", slice_mm=0.0)
    size, images = _frames(out)
    assert size == (256, 256) and len(images) == 8
    foot = slice(256 - 30, 256)  # the step's title along the film's foot
    assert np.abs(images[7][foot] - images[0][foot]).mean() > 2.0
    assert np.abs(images[7][:200] - images[0][:200]).mean() > 2.0, "L5 has slipped on the slice"


def test_record_with_a_modality_on_the_command_line(tmp_path):
    out = tmp_path / "axial.gif"
    assert main(["record", str(out), "--animation", "herniation", "--modality", "mri-axial", "--slice", "2",
                 "--seconds", "1", "--fps", "4", "--size", "96x96"]) == 0
    size, images = _frames(out)
    assert size == (96, 96) and len(images) == 4
