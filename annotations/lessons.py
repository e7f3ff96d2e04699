"""Lessons: guided tours written by teachers as TOML files.

A lesson::

    [lesson]
    title = "Why the low back hurts"
    audience = "first-year physiotherapy students"
    sources = ["Fardon 2014"]

    [[step]]
    title = "The L5–S1 segment"
    text = "Markdown shown beside the scene and as the caption."
    view = "oblique"                 # a preset, or {position = [x, y, z], focal_point = [...], up = [...]}
    show = ["L5", "S1"]              # only these (optional; default: everything)
    hide = ["dural_sac"]             # hidden on top of that
    ghost = ["L5"]                   # drawn see-through
    highlight = "pars_left"          # selected and explained (a structure or L5 region)
    clip = "axial"                   # "none", "sagittal" or "axial"
    slip = 30                        # percent of the S1 endplate, 0-150
    herniation = "extrusion"         # a stage name or 0-1
    degeneration = 0.6               # degenerative disc disease, 0-1
    zone = "subarticular"            # central | subarticular | foraminal | extraforaminal
    side = "left"
    duration = 8                     # seconds, when the lesson plays itself (recording)
    image = "xray-lateral"           # a film beside the scene (xray-lateral|xray-ap|xray-oblique-left|-right)
    anatomy = "narrow-canal"         # a bundled anatomy preset, or a table of dimensions:
                                     # {preset = "average-adult", l5_canal_depth = 12.0, title = "..."}

``anatomy`` may also stand in ``[lesson]``: the anatomy of every step that does not name its
own. A lesson that never names one leaves the anatomy the viewer shows as it is; one that does
gives every step its anatomy (the lesson's, else the average adult), so steps stay whole states.

Every step is a whole state: what a step leaves out is the healthy, unclipped,
everything-shown default, so stepping forward and back always lands on the same scene.

:func:`check` reports every problem as ``(line, message)``; :func:`parse` raises
:class:`LessonError` with them. No Qt and no geometry here: ids are passed in.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotations.links import problems as link_problems
from meshes.anatomy_file import nesting_problem
from meshes.conditions import CONDITIONS, STAGES, by_name
from meshes.modalities import FILMS
from meshes.pathology import SIDES, ZONES

LESSONS = Path(__file__).resolve().parent / "lessons"
CLIPS = ("none", "sagittal", "axial")
LESSON_KEYS = {"title", "audience", "sources", "anatomy"}
# A step's keys: its own, and one per condition of the registry (``slip``, ``herniation``, ...).
STEP_KEYS = {"title", "text", "view", "show", "hide", "ghost", "highlight", "clip", "zone", "side", "duration",
             "image", "anatomy", *(c.name for c in CONDITIONS)}
CAMERA_KEYS = {"position", "focal_point", "up"}
MAX_DURATION_S = 600.0
# Lesson files over this size are refused before they are read (the bundled one is about 20 kB).
MAX_BYTES = 1_000_000


class LessonError(ValueError):
    """A lesson file has problems: ``problems`` is a list of (line, message)."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}:{line}: {message}" if line else f"{path}: {message}"
                                   for line, message in problems))


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    view: str | dict = "oblique"
    show: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    ghost: tuple[str, ...] = ()
    highlight: str | None = None
    clip: str | None = None
    # Each condition's value by its name in the registry ("slip": 30.0); absent: healthy.
    conditions: Mapping[str, float] = field(default_factory=dict)
    zone: str = "subarticular"
    side: str = "left"
    duration: float = 8.0
    image: str | None = None  # the film shown beside the scene (``meshes.modalities``); None: none
    # The anatomy shown (a ``meshes.anatomy_file.AnatomyFile``); None: whatever the viewer shows.
    anatomy: object = None
    line: int = 0

    def value(self, field_name: str) -> float:
        """The step's value of the condition whose model field is ``field_name``."""
        condition = next(c for c in CONDITIONS if c.field == field_name)
        return float(self.conditions.get(condition.name, condition.rest))

    def __getattr__(self, name: str) -> float:
        """A condition's value by its name: ``step.slip``, ``step.herniation``."""
        try:
            condition = by_name(name)
        except KeyError:
            raise AttributeError(name) from None
        return float(self.conditions.get(condition.name, condition.rest))


@dataclass(frozen=True)
class Lesson:
    title: str
    audience: str
    sources: tuple[str, ...]
    steps: tuple[Step, ...]
    path: str = ""


def bundled() -> list[Path]:
    """The lessons that ship with the viewer."""
    return sorted(LESSONS.glob("*.toml"))


def parse(path: str | Path, structures, regions, views) -> Lesson:
    """Read and check a lesson file; :class:`LessonError` lists every problem with its line."""
    path = Path(path)
    try:
        if not path.is_file():
            raise LessonError(str(path), [(0, "cannot read the file: not a file")])
        size = path.stat().st_size
        if size > MAX_BYTES:  # refused before it is read: a lesson is a few pages of text
            raise LessonError(str(path), [(0, f"{size} bytes: a lesson file is at most {MAX_BYTES} bytes")])
        raw = path.read_bytes()
    except OSError as exc:
        raise LessonError(str(path), [(0, f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LessonError(str(path), [(line, "not UTF-8 text")]) from None
    lesson, problems = check(text, structures, regions, views)
    if problems:
        raise LessonError(str(path), problems)
    return Lesson(lesson.title, lesson.audience, lesson.sources, lesson.steps, str(path))


def check(text: str, structures, regions, views) -> tuple[Lesson | None, list[tuple[int, str]]]:
    """(lesson, problems) for the TOML ``text``; the lesson is None when the TOML itself is bad."""
    deep = nesting_problem(text)
    if deep is not None:
        return None, [(deep[0], f"bad TOML: {deep[1]}")]
    try:
        data = tomllib.loads(text)
    except RecursionError:
        return None, [(1, "bad TOML: nested too deeply")]
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, [(int(m.group(1)) if m else 1, f"bad TOML: {message}")]
    lines = _KeyLines(text)
    problems: list[tuple[int, str]] = []
    ids = set(structures) | set(regions)

    def problem(table: str, key: str | None, message: str) -> None:
        problems.append((lines.find(table, key), message))

    head = data.get("lesson")
    if not isinstance(head, dict):
        problems.append((1, "missing [lesson] table (title, audience, sources)"))
        head = {}
    for key in sorted(set(head) - LESSON_KEYS):
        problem("lesson", key, f"unknown key {key!r} in [lesson]")
    if not _text(head.get("title")):
        problem("lesson", "title" if "title" in head else None, "the lesson needs a title")
    sources = head.get("sources", [])
    if not (isinstance(sources, list) and sources and all(_text(s) for s in sources)):
        problem("lesson", "sources" if "sources" in head else None, "sources must be a non-empty list of texts")
    lesson_anatomy = _anatomy(head["anatomy"], lambda key, msg: problem("lesson", key, msg)) \
        if "anatomy" in head else None
    for key in sorted(set(data) - {"lesson", "step"}):
        problems.append((lines.find(key, None), f"unknown table [{key}]"))
    raw_steps = data.get("step", [])
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append((lines.find("lesson", None), "a lesson needs at least one [[step]]"))
        raw_steps = []
    steps = []
    for n, raw in enumerate(raw_steps):
        table = f"step#{n}"
        if not isinstance(raw, dict):
            problems.append((lines.find("step", None), "each step must be a [[step]] table"))
            continue
        before = len(problems)
        values = _step(raw, ids, set(structures), set(views), lambda key, msg, t=table: problem(t, key, msg))
        if len(problems) == before:
            steps.append(Step(**values, line=lines.find(table, None)))
    # Shared lessons are untrusted: a link or image may only act inside the viewer, open the web
    # after the user agrees, or show a file beside the lesson (annotations.links).
    known = ids | {c.name for c in CONDITIONS}
    for n, raw in enumerate(raw_steps):
        if isinstance(raw, dict) and _text(raw.get("text")):
            for message in link_problems(raw["text"], known, len(raw_steps)):
                problem(f"step#{n}", "text", message)
    named = "anatomy" in head or any(isinstance(raw, dict) and "anatomy" in raw for raw in raw_steps)
    if named and not problems:
        # Each step a whole state: a step naming no anatomy has the lesson's, else the average adult.
        from annotations.anatomy import resolve

        default = lesson_anatomy if lesson_anatomy is not None else resolve("average-adult")
        steps = [s if s.anatomy is not None else replace(s, anatomy=default) for s in steps]
    lesson = Lesson(str(head.get("title", "")), str(head.get("audience", "")),
                    tuple(str(s) for s in sources) if isinstance(sources, list) else (), tuple(steps))
    return lesson, sorted(problems)


def _step(raw: dict, ids: set, structures: set, views: set, problem) -> dict:
    """The Step fields from one [[step]] table, reporting each problem through ``problem(key, message)``."""
    out: dict = {}
    for key in sorted(set(raw) - STEP_KEYS):
        problem(key, f"unknown key {key!r} in a step (known: {', '.join(sorted(STEP_KEYS))})")
    for key in ("title", "text"):
        if not _text(raw.get(key)):
            problem(key if key in raw else None, f"each step needs a {key}")
        else:
            out[key] = raw[key].strip()
    if "view" in raw:
        view = raw["view"]
        if isinstance(view, str):
            if view not in views:
                problem("view", f"unknown view {view!r} (known: {', '.join(sorted(views))})")
            out["view"] = view
        elif isinstance(view, dict):
            if set(view) != CAMERA_KEYS or not all(_vector(view[k]) for k in CAMERA_KEYS & set(view)):
                problem("view", "a camera needs position, focal_point and up, each three numbers")
            out["view"] = {k: tuple(float(x) for x in view[k]) for k in CAMERA_KEYS & set(view) if _vector(view[k])}
        else:
            problem("view", "view must be a preset name or a camera table")
    for key in ("show", "hide", "ghost"):
        if key in raw:
            names = raw[key]
            allowed = structures if key == "ghost" else ids
            if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
                problem(key, f"{key} must be a list of structure ids")
                continue
            for name in names:
                if name not in allowed:
                    problem(key, f"unknown structure {name!r} in {key}")
            out[key] = tuple(names)
    if "highlight" in raw:
        if not isinstance(raw["highlight"], str) or raw["highlight"] not in ids:
            problem("highlight", f"unknown structure {raw['highlight']!r} in highlight")
        out["highlight"] = raw["highlight"]
    if "clip" in raw:
        if raw["clip"] not in CLIPS:
            problem("clip", f"clip must be one of {', '.join(CLIPS)}, got {raw['clip']!r}")
        out["clip"] = None if raw["clip"] == "none" else raw["clip"]
    values: dict[str, float] = {}
    for condition in CONDITIONS:
        if condition.name not in raw:
            continue
        value = raw[condition.name]
        if isinstance(value, str) and condition.parse is not None:
            try:
                values[condition.name] = condition.parse(value)
            except ValueError:
                problem(condition.name, f"{condition.name} must be a stage ({', '.join(STAGES)}) or "
                                        f"{condition.minimum:g}-{condition.maximum:g}, got {value!r}")
        else:
            message = condition.check(value)
            if message:
                problem(condition.name, message)
            else:
                values[condition.name] = float(value)
    out["conditions"] = values
    for key, allowed in (("zone", ZONES), ("side", SIDES)):
        if key in raw:
            if raw[key] not in allowed:
                problem(key, f"{key} must be one of {', '.join(allowed)}, got {raw[key]!r}")
            out[key] = raw[key]
    _number(raw, out, "duration", 0.5, MAX_DURATION_S, problem, " seconds")
    if "anatomy" in raw:
        out["anatomy"] = _anatomy(raw["anatomy"], problem)
    if "image" in raw:
        if not isinstance(raw["image"], str) or raw["image"] not in FILMS:
            problem("image", f"image must be one of {', '.join(FILMS)}, got {raw['image']!r}")
        out["image"] = raw["image"]
    return out


def _anatomy(value, problem):
    """The anatomy a lesson or step names (an ``AnatomyFile``), or None after saying what is wrong:
    a bundled preset's name, or a table of dimensions over a ``preset`` (the average adult when it
    names none), with an optional ``title``."""
    from annotations.anatomy import presets, resolve
    from meshes.anatomy import Anatomy
    from meshes.anatomy_file import AnatomyFile, check_value

    known = ", ".join(presets())
    if isinstance(value, str):
        if value not in presets():
            problem("anatomy", f"unknown anatomy preset {value!r} (known: {known})")
            return None
        return resolve(value)
    if not isinstance(value, dict):
        problem("anatomy", "anatomy must be a preset's name or a table of dimensions")
        return None
    base = value.get("preset", "average-adult")
    if not isinstance(base, str) or base not in presets():
        problem("anatomy", f"unknown anatomy preset {base!r} (known: {known})")
        return None
    title = value.get("title")
    if title is not None and not _text(title):
        problem("anatomy", "an anatomy's title must be a text")
        return None
    changes = {}
    for name in sorted(set(value) - {"preset", "title"}):
        if name not in Anatomy.names():
            problem("anatomy", f"unknown dimension {name!r} in anatomy (see: l5s1-viewer anatomy list)")
            continue
        message = check_value(name, value[name])
        if message:
            problem("anatomy", message)
        else:
            changes[name] = float(value[name])
    preset = resolve(base)
    try:
        anatomy = preset.anatomy.replace(**changes)
    except ValueError as exc:
        problem("anatomy", str(exc))
        return None
    if title is None:
        title = preset.title + (", adjusted" if changes else "")
    return AnatomyFile(anatomy, {**preset.values, **changes}, title.strip(), preset.sources)


def _number(raw: dict, out: dict, key: str, lo: float, hi: float, problem, unit: str = "") -> None:
    if key not in raw:
        return
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        problem(key, f"{key} must be a number from {lo:g} to {hi:g}{unit}, got {value!r}")
    elif not lo <= value <= hi:
        problem(key, f"{key} must be from {lo:g} to {hi:g}{unit}, got {value:g}")
    else:
        out[key] = float(value)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _vector(value) -> bool:
    return (isinstance(value, list) and len(value) == 3
            and all(isinstance(x, int | float) and not isinstance(x, bool) for x in value))


class _KeyLines:
    """Line numbers of tables and keys in TOML text (tomllib keeps none).

    Tables are named "lesson", "step#0", "step#1", ...; keys are the bare names at the
    start of a line inside them. Lines inside multi-line strings are skipped.
    """

    def __init__(self, text: str) -> None:
        self.tables: dict[str, int] = {}
        self.keys: dict[tuple[str, str], int] = {}
        table, steps, in_string = "", 0, None
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if in_string:
                if in_string in stripped:
                    in_string = None
                continue
            if stripped.startswith("[[") and stripped[2:].split("]")[0].strip() == "step":
                table = f"step#{steps}"
                steps += 1
                self.tables[table] = number
            elif stripped.startswith("[") and not stripped.startswith("[["):
                table = stripped[1:].split("]")[0].strip()
                self.tables.setdefault(table, number)
            else:
                m = re.match(r'([A-Za-z0-9_-]+)\s*=\s*(.*)', stripped)
                if m:
                    self.keys.setdefault((table, m.group(1)), number)
                    rest = m.group(2)
                    for quote in ('"""', "'''"):
                        if rest.startswith(quote) and rest.count(quote) == 1:
                            in_string = quote

    def find(self, table: str, key: str | None) -> int:
        if key is not None and (table, key) in self.keys:
            return self.keys[(table, key)]
        return self.tables.get(table, 1)
