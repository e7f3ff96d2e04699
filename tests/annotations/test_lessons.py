"""Lessons as data: the bundled lesson, and every kind of mistake reported at its line."""

from __future__ import annotations

import textwrap

import pytest

from annotations.lessons import LessonError, Step, bundled, check, parse
from meshes.pathology import STAGES
from meshes.segment import STRUCTURES
from meshes.vertebra_l5 import L5_REGIONS
from viewer.cli import main
from viewer.scene.style import VIEWS

GOOD = textwrap.dedent('''\
    [lesson]
    title = "Test"
    audience = "anyone"
    sources = ["Fardon 2014"]

    [[step]]
    title = "One"
    text = """
    Some *Markdown*.
    """
    view = "oblique"

    [[step]]
    title = "Two"
    text = "The S1 root."
    herniation = "extrusion"
    zone = "subarticular"
    highlight = "root_S1_left"
    clip = "axial"
    ''')


def _problems(text: str) -> list[tuple[int, str]]:
    return check(text, STRUCTURES, L5_REGIONS, VIEWS)[1]


def test_a_good_lesson_parses_into_whole_states():
    lesson, problems = check(GOOD, STRUCTURES, L5_REGIONS, VIEWS)
    assert problems == []
    one, two = lesson.steps
    assert one.line == 6 and two.line == 13
    # What a step leaves out is the default state: stepping back to it clears the herniation.
    assert one.herniation == 0.0 and one.clip is None and one.highlight is None
    assert two.herniation == STAGES["extrusion"] and two.clip == "axial" and two.view == Step.view


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ('title = "Two"', 'title = "Two', 14, "bad TOML"),
    ('highlight = "root_S1_left"', 'highlight = "root_S3_left"', 18, "unknown structure 'root_S3_left'"),
    ('view = "oblique"', 'view = "sideways"', 11, "unknown view 'sideways'"),
    ('zone = "subarticular"', 'zone = "subarticular"\nslip = 180', 18, "slip must be from 0 to 150"),
    ('herniation = "extrusion"', 'herniation = 1.5', 16, "herniation must be from 0 to 1"),
    ('title = "Two"\n', '', 13, "each step needs a title"),
    ('text = "The S1 root."', 'text = "   "', 15, "each step needs a text"),
    ('title = "Test"', 'titel = "Test"', 2, "unknown key 'titel'"),
    ('clip = "axial"', 'clip = "coronal"', 19, "clip must be one of"),
    ('view = "oblique"', 'view = {position = [0, 1, 2], up = [0, 0, 1]}', 11, "a camera needs"),
])
def test_each_kind_of_mistake_is_reported_at_its_line(old, new, line, words):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    problems = _problems(text)
    assert any(n == line and words in message for n, message in problems), problems


def test_several_mistakes_are_all_reported_in_line_order():
    text = GOOD.replace('view = "oblique"', 'view = "nowhere"').replace('zone = "subarticular"', 'zone = "up"')
    problems = _problems(text)
    assert [n for n, _ in problems] == [11, 17]


def test_the_bundled_lesson_teaches_the_whole_story():
    paths = bundled()
    assert [p.name for p in paths] == ["lumbosacral-pain.toml"]
    lesson = parse(paths[0], STRUCTURES, L5_REGIONS, VIEWS)
    assert 10 <= len(lesson.steps) <= 24  # a lecture's worth, with the imaging and anatomy steps
    # The films it shows are the ones its slip steps grade: the lateral at a grade II slip.
    filmed = [s for s in lesson.steps if s.image is not None]
    assert filmed and all(s.image in ("xray-lateral", "xray-oblique-left", "xray-oblique-right", "mri-axial",
                                      "xray-flexion-extension") for s in filmed)
    lateral = next(s for s in filmed if s.image == "xray-lateral")
    assert 25.0 < lateral.slip <= 50.0 and "grade II" in lateral.text
    axial = next(s for s in filmed if s.image == "mri-axial")
    assert axial.zone == "subarticular" and axial.herniation >= STAGES["extrusion"] and "T2" in axial.text
    assert lesson.sources and lesson.title
    words = " ".join(f"{s.title} {s.text}" for s in lesson.steps).lower()
    for topic in ("annulus", "nucleus", "facet", "mobile", "bulge", "protrusion", "extrusion", "inflammat",
                  "degenerat", "pars", "grade", "l5 root", "s1 root", "spinal cord", "paralys", "non-operative",
                  "lumbosacral joint", "zygapophyseal", "abnormal motion", "osteoarthritis", "leg pain", "wiltse",
                  "red flag", "permanent damage"):
        assert topic in words, topic
    # The bulge is taught as part of disc degeneration (Fardon 2014): not a herniation stage.
    bulge = [s for s in lesson.steps if "**bulge**" in s.text]
    assert bulge and all(s.herniation == 0.0 and s.degeneration >= 0.5 for s in bulge)
    # A step that names herniation stages reaches each of them; no step stops short of a protrusion
    # unless it says the protrusion is small.
    for step in lesson.steps:
        named = [STAGES[stage] for stage in ("protrusion", "extrusion", "sequestration") if f"**{stage}**" in step.text]
        assert step.herniation >= max(named, default=0.0), step.title
        if step.herniation > 0.0:
            # At least a protrusion; a step may show a smaller one (at least half grown, when it
            # says it is small: a small protrusion is still focal, not a bulge).
            small = "small" in step.text.lower() and step.herniation >= 0.5 * STAGES["protrusion"]
            assert step.herniation >= STAGES["protrusion"] or small, step.title
    # The herniation steps put the right root under the spotlight for their zone.
    for step in lesson.steps:
        if step.herniation >= 0.5 and step.highlight and step.highlight.startswith("root_"):
            expected = "S1" if step.zone in ("central", "subarticular") else "L5"
            assert step.highlight.split("_")[1] == expected, step.title


def test_lesson_cli_lists_checks_and_fails_with_file_line_message(tmp_path, capsys):
    assert main(["lesson", "list"]) == 0
    assert "lumbosacral-pain" in capsys.readouterr().out
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["lesson", "check", str(good)]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('view = "oblique"', 'view = "sideways"'), encoding="utf-8")
    assert main(["lesson", "check", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{bad}:11: unknown view 'sideways' (known: {', '.join(sorted(VIEWS))})"]
    assert main(["lesson", "check", str(tmp_path / "missing.toml")]) == 2
    assert "cannot read the file" in capsys.readouterr().err
    with pytest.raises(LessonError):
        parse(bad, STRUCTURES, L5_REGIONS, VIEWS)


def test_a_step_shows_a_film_and_an_unknown_one_is_a_problem_on_its_line():
    text = GOOD.replace('view = "oblique"', 'view = "oblique"\nimage = "xray-lateral"', 1)
    lesson, problems = check(text, STRUCTURES, L5_REGIONS, VIEWS)
    assert not problems and lesson.steps[0].image == "xray-lateral"
    bad = GOOD.replace('view = "oblique"', 'view = "oblique"\nimage = "ultrasound"', 1)
    problems = _problems(bad)
    assert len(problems) == 1 and "image must be one of xray-lateral" in problems[0][1]
    assert problems[0][0] == bad.splitlines().index('image = "ultrasound"') + 1


def test_a_lesson_names_an_anatomy_per_lesson_or_step_by_preset_or_values():
    """A lesson that names no anatomy leaves the viewer's alone (None); once one is named, every step
    has one: its own, else the lesson's, else the average adult."""
    from meshes.anatomy import Anatomy

    lesson, problems = check(GOOD, STRUCTURES, L5_REGIONS, VIEWS)
    assert problems == [] and [s.anatomy for s in lesson.steps] == [None, None]
    text = GOOD.replace('sources = ["Fardon 2014"]', 'sources = ["Fardon 2014"]\nanatomy = "narrow-canal"', 1)
    text = text.replace('clip = "axial"', 'clip = "axial"\nanatomy = {preset = "small-adult", l5_canal_depth = 12.5}')
    lesson, problems = check(text, STRUCTURES, L5_REGIONS, VIEWS)
    assert problems == []
    one, two = lesson.steps
    assert one.anatomy.title == "Developmentally narrow canal" and one.anatomy.anatomy.l5_canal_depth == 11.5
    assert two.anatomy.anatomy.l5_canal_depth == 12.5 and two.anatomy.title.endswith(", adjusted")
    assert two.anatomy.anatomy.l5_endplate_depth < Anatomy().l5_endplate_depth  # the small adult's
    # Only a step names one: the other step is the average adult (a whole state).
    text = GOOD.replace('clip = "axial"', 'clip = "axial"\nanatomy = "high-sacral-slope"')
    one, two = check(text, STRUCTURES, L5_REGIONS, VIEWS)[0].steps
    assert one.anatomy.anatomy == Anatomy() and two.anatomy.anatomy.sacral_slope == 55


@pytest.mark.parametrize(("anatomy", "words"), [
    ('"narow-canal"', "unknown anatomy preset 'narow-canal'"),
    ('{l5_canal_widht = 25}', "unknown dimension 'l5_canal_widht'"),
    ('{l5_canal_width = 5}', "l5_canal_width must be from 21 to 37 mm, got 5"),
    ('{disc_height_posterior = 9, disc_height_anterior = 8.5}', "disc_height_posterior must not exceed"),
    ('{preset = "giant"}', "unknown anatomy preset 'giant'"),
    ("12", "anatomy must be a preset's name or a table of dimensions"),
])
def test_a_bad_anatomy_in_a_step_is_reported_at_its_line(anatomy, words):
    text = GOOD.replace('clip = "axial"', f'clip = "axial"\nanatomy = {anatomy}')
    problems = _problems(text)
    assert any(n == 20 and words in message for n, message in problems), problems
