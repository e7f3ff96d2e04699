"""Teaching content: every structure, L5 region and condition is explained, and files validate."""

from __future__ import annotations

import pytest

from annotations import CONDITIONS, AnnotationError, for_structure, load, parse, validate
from annotations.dermatomes import load as load_dermatomes
from meshes.modalities import FILMS
from meshes.segment import STRUCTURES
from meshes.vertebra_l5 import L5_REGIONS


def test_every_structure_region_and_condition_has_a_valid_file():
    content = load()
    validate(content, STRUCTURES, L5_REGIONS, FILMS)
    for name in (*STRUCTURES, *L5_REGIONS):
        a = for_structure(content, name)
        assert a is not None and a.sources and "## What it is" in a.body, name
    for condition in CONDITIONS:
        a = content[condition]
        assert a.kind == "condition" and a.sources
        assert "## Why it hurts" in a.body and "non-operative" in a.body.lower()


def test_the_herniation_text_names_the_right_root_for_each_zone():
    body = load()["disc_herniation"].body
    assert "subarticular" in body and "**S1**" in body and "**L5**" in body
    s1 = body.index("**S1**")
    assert body.index("subarticular") < s1 < body.index("foramen") < body.index("**L5**")


def test_the_dermatomes_name_each_roots_territory_signs_and_usual_cause():
    roots, sources = load_dermatomes()
    l5, s1 = roots["L5"], roots["S1"]
    assert "outer" in l5.area and "top of the foot" in l5.area and "back" not in l5.area
    l5_signs = " ".join(l5.signs)
    for sign in ("big-toe extension", "foot drop", "gluteus medius", "tibialis posterior", "no reliable reflex"):
        assert sign in l5_signs, sign
    assert "L4–5" in l5.cause and "foramen" in l5.cause
    assert "gluteus maximus" in " ".join(s1.signs) and "ankle reflex" in " ".join(s1.signs)
    assert "L5–S1" in s1.cause
    assert sources


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no header\n", "must start with"),
        ('+++\nid = "x"\n+++\n', "header lacks"),
        ('+++\nid = "x"\ntitle = "X"\nkind = "organ"\nsources = ["a"]\n+++\n', "kind must be"),
        ("+++\nid = \n+++\n", "not valid TOML"),
    ],
)
def test_malformed_files_are_named_with_their_problem(tmp_path, text, problem):
    path = tmp_path / "bad.md"
    path.write_text(text)
    with pytest.raises(AnnotationError, match=problem):
        parse(path)


def test_unknown_structures_and_gaps_are_refused(tmp_path):
    good = load()
    bad = dict(good)
    pars = good["pars"]
    bad["pars"] = type(pars)(**{**pars.__dict__, "covers": ("pars_left", "pars_middle")})
    with pytest.raises(AnnotationError, match="pars_middle"):
        validate(bad, STRUCTURES, L5_REGIONS)
    bad["pars"] = type(pars)(**{**pars.__dict__, "covers": ("pars_left",)})
    with pytest.raises(AnnotationError, match="pars_right"):
        validate(bad, STRUCTURES, L5_REGIONS)


def test_every_film_says_how_to_read_it_and_a_missing_one_is_named():
    content = load()
    for film in FILMS:
        a = next(a for a in content.values() if film in a.covers)
        assert a.kind == "film" and a.sources and "## How to read it" in a.body, film
    without = {k: a for k, a in content.items() if "xray-ap" not in a.covers}
    with pytest.raises(AnnotationError, match="no annotation explains xray-ap"):
        validate(without, STRUCTURES, L5_REGIONS, FILMS)
