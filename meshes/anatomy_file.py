"""Anatomy files and ``--set NAME=VALUE``: a patient's or a preset's dimensions, checked.

An anatomy file is TOML holding any subset of :class:`meshes.anatomy.Anatomy`'s dimensions as
top-level numbers, and a ``[meta]`` table with a ``title`` and its ``sources`` (after them:
in TOML every key below a table's header belongs to that table)::

    l5_canal_depth = 11.5   # mm
    l5_canal_width = 22.0   # mm

    [meta]
    title = "Developmentally narrow canal"
    sources = ["Cook & Baker 2021 (canal AP 15.6 +- 2.1 mm)"]

Every problem is reported as ``FILE:LINE: message`` (:class:`AnatomyFileError`): an unknown
name, a value that is not a number or is out of its range, an inconsistent pair (a posterior
disc taller than the anterior), TOML that does not parse, a file too big or not UTF-8. Nothing
is half-applied: a file either gives a whole :class:`Anatomy` or raises.

Pure Python (tomllib): no numpy, no pyvista, light enough for the command line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from meshes.anatomy import Anatomy

# Files over this size are refused before they are read: an anatomy file is a few lines.
MAX_BYTES = 1_000_000
# An address's scheme, as in file:///x, javascript:x or data:x (a title or source may cite web pages).
_SCHEMES = re.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]{1,31}):(?=/)|\b(?i:(javascript|data|vbscript|file)):")


class AnatomyFileError(ValueError):
    """Every problem of an anatomy file, one ``FILE:LINE: message`` a line.

    Parameters
    ----------
    path : str
        The file's name as given.
    problems : list of (int, str)
        Each problem's line (0: the whole file) and message.
    """

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}:{line}: {message}" if line else f"{path}: {message}"
                                   for line, message in problems))


@dataclass(frozen=True)
class AnatomyFile:
    """A checked anatomy file.

    Attributes
    ----------
    anatomy : Anatomy
        The defaults with the file's values applied.
    values : dict of str to float
        The dimensions the file sets (name -> value in the dimension's unit).
    title : str
        ``[meta] title``, or the file's name when it has none.
    sources : tuple of str
        ``[meta] sources``.
    """

    anatomy: Anatomy
    values: dict[str, float] = field(default_factory=dict)
    title: str = ""
    sources: tuple[str, ...] = ()


# Deeper nesting than this (arrays or inline tables inside each other, or dotted key parts) is
# refused before the TOML reader sees it: Python's reader recurses on nesting and slows
# quadratically on long dotted keys (10 s for 100 000 parts), and no file of ours needs 3.
MAX_NESTING = 32


def nesting_problem(text: str, limit: int = MAX_NESTING) -> tuple[int, str] | None:
    """Where a TOML text nests too deeply to be read safely.

    One pass over the text, skipping strings and comments: the depth of ``[``/``{`` (arrays,
    inline tables) and the number of dotted parts in a key or a table header.

    Parameters
    ----------
    text : str
        The TOML text.
    limit : int
        The deepest nesting allowed.

    Returns
    -------
    tuple of (int, str) or None
        The line (1-based) and a message, or None when nothing nests deeper than ``limit``.
    """
    depth, line, dots, in_key, i, n = 0, 1, 0, True, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line, dots, in_key = line + 1, 0, True
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith(('"""', "'''"), i):
            quote = text[i:i + 3]
            end = i + 3
            while True:
                end = text.find(quote, end)
                if end < 0 or quote == "'''" or text[end - 1] != "\\" or text[end - 2] == "\\":
                    break
                end += 1
            end = n if end < 0 else end + 3
            line += text.count("\n", i, end)
            i = end
            continue
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if c == '"' and text[j] == "\\" else 1
            i = j + 1
            continue
        elif c in "[{":
            depth += 1
            if depth > limit:
                return line, f"nested more than {limit} deep"
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif c == "=":
            in_key = False
        elif c == "." and in_key:
            dots += 1
            if dots > limit:
                return line, f"a key of more than {limit} dotted parts"
        i += 1
    return None


def read(path: str | Path, base: Anatomy | None = None) -> AnatomyFile:
    """Read and check an anatomy file.

    Parameters
    ----------
    path : str or Path
        The TOML file.
    base : Anatomy, optional
        What the file's values are applied to (the defaults when None).

    Returns
    -------
    AnatomyFile
        The anatomy, the values set, the title and the sources.

    Raises
    ------
    AnatomyFileError
        Every problem found, ``FILE:LINE: message`` each.
    """
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise AnatomyFileError(name, [(0, "not a file")])
        if size > MAX_BYTES:
            raise AnatomyFileError(name, [(0, f"{size} bytes: an anatomy file is at most {MAX_BYTES} bytes")])
        raw = p.read_bytes()
    except OSError as exc:
        raise AnatomyFileError(name, [(0, f"cannot be read ({exc.strerror or exc})")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AnatomyFileError(name, [(line, "not UTF-8 text")]) from None
    return parse(text, name, base)


def parse(text: str, name: str = "<anatomy>", base: Anatomy | None = None) -> AnatomyFile:
    """Check an anatomy file's text (see :func:`read`).

    Parameters
    ----------
    text : str
        The TOML text.
    name : str
        The file's name, for the messages.
    base : Anatomy, optional
        What the values are applied to (the defaults when None).

    Returns
    -------
    AnatomyFile
        As :func:`read`.
    """
    deep = nesting_problem(text)
    if deep is not None:
        raise AnatomyFileError(name, [(deep[0], f"bad TOML: {deep[1]}")])
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise AnatomyFileError(name, [(1, "bad TOML: nested too deeply")]) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        raise AnatomyFileError(name, [(int(where[1]) if where else 0, f"not valid TOML: {message}")]) from None
    lines = _key_lines(text)
    problems: list[tuple[int, str]] = []
    known = set(Anatomy.names())
    values: dict[str, float] = {}
    meta = data.pop("meta", {})
    if not isinstance(meta, dict):
        problems.append((lines.get("meta", 0), "meta must be a table: [meta] with title and sources"))
        meta = {}
    title, sources = meta.get("title", Path(name).stem), meta.get("sources", [])
    if not isinstance(title, str):
        problems.append((lines.get("meta.title", 0), "meta title must be text"))
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        problems.append((lines.get("meta.sources", 0), "meta sources must be a list of texts"))
        sources = []
    # Shared files are untrusted: an address in the title or sources may only be a web one.
    for key, texts in (("title", [title]), ("sources", sources if isinstance(sources, list) else [])):
        for text in texts:
            for scheme in [a or b for a, b in _SCHEMES.findall(text)] if isinstance(text, str) else []:
                if scheme.lower() not in ("http", "https"):
                    problems.append((lines.get(f"meta.{key}", 0), f"meta {key}: {scheme}: addresses are not "
                                                                   "allowed (only http and https)"))
    for key in sorted(set(meta) - {"title", "sources"}, key=lambda k: lines.get(f"meta.{k}", 0)):
        if key in known:  # TOML puts every key after [meta] in it
            problems.append((lines.get(f"meta.{key}", 0), f"{key} is inside the [meta] table: put the dimensions "
                                                          f"above [meta]"))
        else:
            problems.append((lines.get(f"meta.{key}", 0), f"unknown meta entry {key!r} (meta has title and sources)"))
    for key, value in sorted(data.items(), key=lambda kv: lines.get(kv[0], 0)):
        line = lines.get(key, 0)
        if key not in known:
            near = _nearest(key, known)
            problems.append((line, f"unknown dimension {key!r}" + (f" (did you mean {near!r}?)" if near else "")
                             + "; `l5s1-viewer anatomy list` names them"))
            continue
        problem = check_value(key, value)
        if problem:
            problems.append((line, problem))
        else:
            values[key] = float(value)
    if not problems:
        try:
            anatomy = (base or Anatomy()).replace(**values)
        except ValueError as exc:  # an inconsistent pair: reported on the later of its lines
            involved = [k for k in values if k in str(exc)] or list(values)
            problems.append((max((lines.get(k, 0) for k in involved), default=0), str(exc)))
    if problems:
        raise AnatomyFileError(name, problems)
    return AnatomyFile(anatomy, values, title if isinstance(title, str) else "", tuple(sources))


def check_value(name: str, value) -> str | None:
    """Why ``value`` cannot be dimension ``name``, or None.

    Parameters
    ----------
    name : str
        A dimension of :class:`Anatomy`.
    value : object
        The value given (a number in the dimension's unit).

    Returns
    -------
    str or None
        One line naming the dimension, its range and unit; None when the value fits.
    """
    lo, hi = Anatomy.range(name)
    unit = Anatomy.unit(name)
    span = f"from {lo:g} to {hi:g}{' ' + unit if unit else ''}"
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return f"{name} must be a number {span}, got {value!r}"
    if not lo <= value <= hi:
        return f"{name} must be {span}, got {value:g}"
    return None


def apply_settings(anatomy: Anatomy, settings: list[str]) -> Anatomy:
    """``--set NAME=VALUE`` options applied in order, after any file.

    Parameters
    ----------
    anatomy : Anatomy
        What they apply to.
    settings : list of str
        Each ``"NAME=VALUE"``, the value a number in the dimension's unit.

    Returns
    -------
    Anatomy
        The changed anatomy, checked as a whole.

    Raises
    ------
    ValueError
        One line: the first setting that cannot apply, or the inconsistency they leave.
    """
    values: dict[str, float] = {}
    known = set(Anatomy.names())
    for setting in settings:
        key, sep, text = setting.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set takes NAME=VALUE, got {setting!r}")
        if key not in known:
            near = _nearest(key, known)
            raise ValueError(f"--set: unknown dimension {key!r}" + (f" (did you mean {near!r}?)" if near else "")
                             + "; `l5s1-viewer anatomy list` names them")
        try:
            value = float(text)
        except ValueError:
            value = text.strip()
        problem = check_value(key, value)
        if problem:
            raise ValueError(f"--set: {problem}")
        values[key] = value
    try:
        return anatomy.replace(**values)
    except ValueError as exc:
        raise ValueError(f"--set: {exc}") from None


def _key_lines(text: str) -> dict[str, int]:
    """The line each top-level key and each ``meta.`` key is first set on (1-based)."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\s*(#.*)?$", line)
        if header:
            table = header[1].strip("\"' ")
            lines.setdefault(table, number)
            continue
        key = re.match(r"\s*([A-Za-z0-9_\-]+)\s*=", line)
        if key:
            lines.setdefault(f"{table}.{key[1]}" if table else key[1], number)
    return lines


def _nearest(key: str, known: set[str]) -> str | None:
    """The known name closest to a misspelt one, when one is close."""
    import difflib

    found = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return found[0] if found else None
