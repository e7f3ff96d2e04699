"""Shared lessons and anatomy files are untrusted input: whatever bytes they hold, the loaders either
accept them or report every problem as ``FILE:LINE: message``, never a traceback, and quickly.

Kinds fuzzed (hypothesis, 500 examples each): the bundled lesson mutated byte by byte; random
TOML; well-formed TOML of a lesson's shape whose every value has a random type; random Markdown in
a step's text; random bytes with a BOM, CRLF line ends or non-UTF-8
sequences; the bundled anatomy presets mutated byte by byte. Then the extremes: a 10 MB file, and
tables and arrays nested deeper than the TOML reader's recursion.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.anatomy import presets
from annotations.lessons import MAX_BYTES, LessonError, bundled, parse
from meshes.anatomy_file import AnatomyFileError, read
from meshes.segment import STRUCTURES
from meshes.vertebra_l5 import L5_REGIONS
from viewer.scene.style import VIEWS

EXAMPLES = 500
SECONDS_PER_FILE = 2.0
LESSON = bundled()[0].read_bytes()
PRESET = next(iter(presets().values())).read_bytes()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def _reported(message: str, path: Path) -> None:
    """Every line of a refusal is ``FILE:LINE: message`` (or ``FILE: message`` for the whole file)."""
    lines = message.splitlines()
    assert lines
    for line in lines:
        assert re.match(rf"^{re.escape(str(path))}(:\d+)?: \S", line), line


def _lesson_verdict(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "shared.toml"
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        parse(path, STRUCTURES, L5_REGIONS, VIEWS)
    except LessonError as exc:
        _reported(str(exc), path)
    assert time.perf_counter() - start < SECONDS_PER_FILE


def _anatomy_verdict(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "shared.toml"
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        read(path)
    except AnatomyFileError as exc:
        _reported(str(exc), path)
    assert time.perf_counter() - start < SECONDS_PER_FILE


def _mutated(original: bytes):
    """The file with up to 8 bytes replaced, deleted or inserted at random places."""
    edit = st.tuples(st.sampled_from(("replace", "delete", "insert")), st.integers(0, len(original) - 1),
                     st.integers(0, 255))

    def apply(edits) -> bytes:
        data = bytearray(original)
        for kind, at, byte in edits:
            at = min(at, len(data) - 1)
            if kind == "replace":
                data[at] = byte
            elif kind == "delete":
                del data[at]
            else:
                data.insert(at, byte)
        return bytes(data)

    return st.lists(edit, min_size=1, max_size=8).map(apply)


# TOML-ish text: keys, tables, arrays, strings and numbers in any order, often not valid TOML.
_TOKENS = st.sampled_from(["[lesson]", "[[step]]", "[step]", "[[step.x]]", "title", "text", "view", "slip",
                           "herniation", "anatomy", "image", "sources", "=", " = ", "\n", "\r\n", "[", "]",
                           "{", "}", ",", '"', "'''", '"""', "#", "1", "-1", "1e999", "nan", "inf", "true",
                           "1979-05-27", "0x1F", "a.b.c", "\\u0000", "\\", "\t", "ü", "\u2028"])
_TOML = st.lists(st.one_of(_TOKENS, st.text(max_size=12)), max_size=60).map("".join)

_GOOD_HEAD = ('[lesson]\ntitle = "Fuzz"\naudience = "any"\nsources = ["a"]\n\n[[step]]\ntitle = "One"\n'
              'text = {}\n')


def _with_text(text: str) -> bytes:
    """A valid lesson whose one step's text is ``text`` (as a TOML basic string)."""
    return _GOOD_HEAD.format(json.dumps(text, ensure_ascii=False)).encode("utf-8", "surrogatepass")


# Well-formed TOML of the lesson's shape, every value of a random type: the checker's own reading
# of each key, not the TOML reader's, is what this reaches.
_KEYS = st.sampled_from(["title", "text", "view", "show", "hide", "ghost", "highlight", "clip", "slip",
                         "herniation", "degeneration", "posture", "zone", "side", "duration", "image", "anatomy",
                         "audience", "sources", "preset", "position", "focal_point", "up", "l5_canal_depth",
                         "x"])
_SCALARS = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.booleans(),
                     st.text(max_size=20), st.sampled_from(["oblique", "axial", "L5", "root_S1_left", "extrusion",
                                                           "narrow-canal", "central", "left", "xray-lateral"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=12)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if v != v else ("inf" if v == float("inf") else "-inf" if v == float("-inf") else repr(v))
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + "}"


_SHAPED = st.tuples(st.one_of(st.dictionaries(_KEYS, _VALUES, max_size=5), _VALUES),
                    st.lists(st.one_of(st.dictionaries(_KEYS, _VALUES, max_size=8), _VALUES), max_size=3))


def _shaped_lesson(parts) -> bytes:
    head, steps = parts
    lines = []
    if isinstance(head, dict):
        lines += ["[lesson]"] + [f"{k} = {_toml_value(v)}" for k, v in head.items()]
    else:
        lines.append(f"lesson = {_toml_value(head)}")
    if all(isinstance(step, dict) for step in steps) and steps:
        for step in steps:
            lines += ["", "[[step]]"] + [f"{k} = {_toml_value(v)}" for k, v in step.items()]
    else:
        lines.insert(0, f"step = {_toml_value(steps)}")
    return "\n".join(lines).encode("utf-8", "surrogatepass")


# Markdown: links, images, HTML and schemes, nested brackets, long runs.
_MD = st.lists(st.one_of(
    st.sampled_from(["[a](", ")", "![b](", "<", ">", "](", "[", "]", "#", "#root_S1_left", "#step-1", "#step-99",
                     "file:///etc/hostname", "http://example.org", "javascript:alert(1)", "data:image/png;base64,",
                     "../../x.png", "/etc/passwd", "C:\\x.png", "<a href='file:///x'>", "<img src=/x.png>",
                     "%2e%2e/x.png", "**", "`", "\n", "> ", "- ", "|a|b|\n|-|-|\n", "\\"]),
    st.text(max_size=20)), max_size=40).map("".join)

_RAW = st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x80\x81"]), st.binary(max_size=400),
                 st.sampled_from([b"\n", b"\r\n", b"\r"])).map(lambda t: t[0] + t[1].replace(b"\n", t[2]))


@FUZZ
@given(data=_mutated(LESSON))
def test_the_bundled_lesson_mutated_byte_by_byte(data, tmp_path_factory):
    _lesson_verdict(data, tmp_path_factory.mktemp("l"))


@FUZZ
@given(text=_TOML)
def test_random_toml(text, tmp_path_factory):
    _lesson_verdict(text.encode("utf-8", "surrogatepass"), tmp_path_factory.mktemp("t"))


@FUZZ
@given(parts=_SHAPED)
def test_well_formed_toml_with_values_of_any_type(parts, tmp_path_factory):
    _lesson_verdict(_shaped_lesson(parts), tmp_path_factory.mktemp("s"))
    _anatomy_verdict(_shaped_lesson(parts), tmp_path_factory.mktemp("s"))


@FUZZ
@given(text=_MD)
def test_random_markdown_in_a_step(text, tmp_path_factory):
    _lesson_verdict(_with_text(text), tmp_path_factory.mktemp("m"))


@FUZZ
@given(data=_RAW)
def test_random_bytes_with_a_bom_crlf_or_not_utf8(data, tmp_path_factory):
    _lesson_verdict(data, tmp_path_factory.mktemp("b"))
    _anatomy_verdict(data, tmp_path_factory.mktemp("a"))


@FUZZ
@given(data=_mutated(PRESET))
def test_an_anatomy_preset_mutated_byte_by_byte(data, tmp_path_factory):
    _anatomy_verdict(data, tmp_path_factory.mktemp("p"))


@pytest.mark.parametrize("make", [
    lambda: b"# " + b"x" * (10 * 1024 * 1024),  # 10 MB
    lambda: LESSON + b"\n# padding\n" * (MAX_BYTES // 10),  # just over the limit
    lambda: b"a = " + b"[" * 200_000 + b"]" * 200_000,  # arrays nested deeper than any reader recurses
    lambda: b"a = " + b"{b = " * 100_000 + b"1" + b"}" * 100_000,  # inline tables likewise
    lambda: b"[" + b"a." * 100_000 + b"b]\n",  # a dotted table name 100 000 deep
], ids=["10MB", "just-over-1MB", "nested-arrays", "nested-inline-tables", "deep-dotted-table"])
def test_huge_and_deeply_nested_files_are_refused_in_one_line(make, tmp_path):
    data = make()
    _lesson_verdict(data, tmp_path)
    _anatomy_verdict(data, tmp_path)
