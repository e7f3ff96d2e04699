"""Anatomy files and --set: a subset of the dimensions applied to the defaults, every problem
reported as FILE:LINE: message, nothing half-applied."""

from __future__ import annotations

import pytest

from meshes.anatomy import Anatomy
from meshes.anatomy_file import MAX_BYTES, AnatomyFileError, apply_settings, parse, read

GOOD = """\
# a patient's report
l5_canal_depth = 12.5   # mm
disc_height_posterior = 4.5

[meta]
title = "Narrow canal, thin disc"
sources = ["MRI report, 2026"]
"""


def test_a_file_sets_its_dimensions_and_keeps_the_defaults_for_the_rest(tmp_path):
    path = tmp_path / "patient.toml"
    path.write_text(GOOD, encoding="utf-8")
    file = read(path)
    assert file.values == {"l5_canal_depth": 12.5, "disc_height_posterior": 4.5}
    assert file.anatomy.l5_canal_depth == 12.5 and file.anatomy.disc_height_posterior == 4.5
    assert file.anatomy.sacral_slope == Anatomy().sacral_slope
    assert file.title == "Narrow canal, thin disc" and file.sources == ("MRI report, 2026",)


@pytest.mark.parametrize(("text", "line", "words"), [
    ("l5_canal_widht = 20\n", 1, "unknown dimension 'l5_canal_widht' (did you mean 'l5_canal_width'?)"),
    ("\n\nl5_canal_depth = 99\n", 3, "l5_canal_depth must be from {} to {} mm, got 99".format(
        *(f"{v:g}" for v in Anatomy.range("l5_canal_depth")))),
    ("sacral_slope = \"steep\"\n", 1, "sacral_slope must be a number from {} to {} degrees".format(
        *(f"{v:g}" for v in Anatomy.range("sacral_slope")))),
    ("sacral_slope = true\n", 1, "sacral_slope must be a number"),
    ("disc_height_anterior = 8\ndisc_height_posterior = 9\n", 2,
     "disc_height_posterior must not exceed disc_height_anterior"),
    ("[meta]\ntitle = \"x\"\nl5_canal_depth = 12\n", 3, "inside the [meta] table"),
    ("[meta]\ntitle = 3\n", 2, "meta title must be text"),
    ("l5_canal_depth = 12\nl5_canal_depth = 13\n", 2, "not valid TOML"),
    ("l5_canal_depth = = 12\n", 1, "not valid TOML"),
])
def test_each_problem_is_reported_at_its_line(text, line, words):
    with pytest.raises(AnatomyFileError) as caught:
        parse(text, "a.toml")
    first = str(caught.value).splitlines()[0]
    assert first.startswith(f"a.toml:{line}: ") and words in first, first


def test_every_problem_is_reported_in_line_order():
    with pytest.raises(AnatomyFileError) as caught:
        parse("nonsense = 1\nl5_canal_depth = 2\nsacral_slope = 90\n", "a.toml")
    lines = str(caught.value).splitlines()
    assert [x.split(":")[1] for x in lines] == ["1", "2", "3"]


def test_unreadable_files_are_one_line_each(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# caf\xe9\nl5_canal_depth = 12\n")
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbfl5_canal_depth = 12\r\n")
    for path, words in ((big, "at most"), (latin, "not UTF-8"), (tmp_path / "none.toml", "cannot be read"),
                        (tmp_path, "not a file")):
        with pytest.raises(AnatomyFileError) as caught:
            read(path)
        assert words in str(caught.value) and len(str(caught.value).splitlines()) == 1
    assert read(bom).anatomy.l5_canal_depth == 12.0  # a BOM and CRLF are fine


def test_set_applies_after_the_file_in_order_and_refuses_in_one_line():
    base = parse(GOOD).anatomy
    changed = apply_settings(base, ["l5_canal_depth=11", "l5_canal_depth=13", "sacral_slope=50"])
    assert changed.l5_canal_depth == 13.0 and changed.sacral_slope == 50.0
    assert changed.disc_height_posterior == 4.5  # the file's value stays
    for bad, words in ((["l5_canal_depth"], "NAME=VALUE"), (["canal=3"], "unknown dimension"),
                       (["l5_canal_depth=wide"], "must be a number"),
                       (["facet_angle=5"], "facet_angle must be from .* degrees, got 5"),
                       (["disc_height_posterior=9", "disc_height_anterior=8"], "must not exceed")):
        with pytest.raises(ValueError, match=words) as caught:
            apply_settings(Anatomy(), bad)
        assert "\n" not in str(caught.value)


def test_every_dimension_has_a_unit_a_range_round_its_default_and_a_source():
    for name in Anatomy.names():
        lo, hi = Anatomy.range(name)
        assert lo < Anatomy.default(name) < hi, name
        assert Anatomy.unit(name) in ("mm", "degrees", "mm²", "") and Anatomy.source(name), name
    assert Anatomy.unit("sacral_slope") == "degrees" and Anatomy.unit("l5_canal_depth") == "mm"


def test_a_shared_file_may_cite_web_pages_but_no_local_or_script_address():
    text = ('l5_canal_depth = 12.0\n[meta]\ntitle = "Case: Mrs A"\n'
            'sources = ["Spine 10:806", "https://doi.org/10.1097/00007632", "file:///home/t/grades.txt",\n'
            '           "javascript:alert(1)"]\n')
    with pytest.raises(AnatomyFileError) as caught:
        parse(text, "shared.toml")
    assert str(caught.value).splitlines() == [
        "shared.toml:4: meta sources: file: addresses are not allowed (only http and https)",
        "shared.toml:4: meta sources: javascript: addresses are not allowed (only http and https)"]
    assert parse(text.replace("file:///home/t/grades.txt", "x").replace("javascript:alert(1)", "y"),
                 "shared.toml").anatomy.l5_canal_depth == 12.0
