"""Teaching content as data: one Markdown file per structure, L5 region and condition.

Each file starts with a TOML header between ``+++`` lines::

    +++
    id = "pars"
    title = "Pars interarticularis"
    kind = "region"                  # structure | region | condition | film
    covers = ["pars_left", "pars_right"]   # structure/region ids (a film: modalities) the file explains
    structures = ["L5"]              # conditions: the structures involved
    sources = ["Meyerding 1932"]
    +++
    ## What it is
    ...

:func:`load` reads them all and :func:`validate` checks them against the model's ids.
No Qt here: the viewer renders the Markdown.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from meshes.modalities import FILMS

CONTENT = Path(__file__).resolve().parent / "content"
KINDS = ("structure", "region", "condition", "film")
CONDITIONS = (
    "disc_herniation",
    "isthmic_spondylolisthesis",
    "degenerative_disc_disease",
    "facet_joint_pain",
    "stenosis_osteoarthritis",
    "flexion_extension",
)


class AnnotationError(ValueError):
    """A content file is malformed: the message names the file and the problem in one line."""


@dataclass(frozen=True)
class Annotation:
    id: str
    title: str
    kind: str
    covers: tuple[str, ...]
    structures: tuple[str, ...]
    sources: tuple[str, ...]
    body: str
    path: Path


def parse(path: Path) -> Annotation:
    """Read one annotation file."""
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++")
    if not text.startswith("+++") or len(parts) < 3:
        raise AnnotationError(f"{path.name}: must start with a +++ TOML header +++")
    try:
        head = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as exc:
        raise AnnotationError(f"{path.name}: header is not valid TOML ({exc})") from None
    body = "+++".join(parts[2:]).strip()
    missing = [k for k in ("id", "title", "kind", "sources") if not head.get(k)]
    if missing:
        raise AnnotationError(f"{path.name}: header lacks {', '.join(missing)}")
    if head["kind"] not in KINDS:
        raise AnnotationError(f"{path.name}: kind must be one of {', '.join(KINDS)}")
    return Annotation(
        id=str(head["id"]),
        title=str(head["title"]),
        kind=head["kind"],
        covers=tuple(head.get("covers", ())),
        structures=tuple(head.get("structures", ())),
        sources=tuple(head["sources"]),
        body=body,
        path=path,
    )


def load(folder: Path = CONTENT) -> dict[str, Annotation]:
    """Every annotation under ``folder`` by id."""
    out: dict[str, Annotation] = {}
    for path in sorted(folder.rglob("*.md")):
        a = parse(path)
        if a.id in out:
            raise AnnotationError(f"{path.name}: id {a.id!r} is used twice")
        out[a.id] = a
    return out


def validate(annotations: dict[str, Annotation], structures, regions, films=FILMS) -> None:
    """Check the content against the model: every id covered once, every named structure real.

    Parameters
    ----------
    annotations : dict of str to Annotation
        The content, as :func:`load` gives it.
    structures, regions : iterable of str
        The model's structure ids and L5 region names: each must be explained by one file.
    films : iterable of str, default meshes.modalities.FILMS
        The films the program computes: each must be explained by one film file, which says how
        to read it.

    Raises
    ------
    AnnotationError
        For the first problem, naming the file.
    """
    known = set(structures) | set(regions)
    films = set(films)
    covered: dict[str, str] = {}
    for a in annotations.values():
        for name in a.covers + a.structures:
            if name not in (films if a.kind == "film" and name in a.covers else known):
                raise AnnotationError(f"{a.path.name}: names unknown structure, region or film {name!r}")
        if a.kind == "film" and "## How to read it" not in a.body:
            raise AnnotationError(f"{a.path.name}: a film needs 'How to read it'")
        for name in a.covers:
            if name in covered:
                raise AnnotationError(f"{a.path.name}: {name!r} is already explained by {covered[name]}")
            covered[name] = a.path.name
        if a.kind == "condition" and ("## Why it hurts" not in a.body or "## What happens next" not in a.body):
            raise AnnotationError(f"{a.path.name}: a condition needs 'Why it hurts' and 'What happens next'")
        if a.kind != "condition" and not a.covers:
            raise AnnotationError(f"{a.path.name}: a {a.kind} file must list what it covers")
    missing = sorted((known | films) - set(covered))
    if missing:
        raise AnnotationError(f"no annotation explains {', '.join(missing)}")
    absent = [c for c in CONDITIONS if c not in annotations]
    if absent:
        raise AnnotationError(f"no annotation for condition {', '.join(absent)}")


def for_structure(annotations: dict[str, Annotation], name: str) -> Annotation | None:
    """The annotation that explains structure or region ``name``."""
    return next((a for a in annotations.values() if name in a.covers), None)
