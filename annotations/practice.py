"""The practice quiz's words as data: each question kind's prompt, the vignette's phrasing and a
line on where each structure lies (``content/practice.toml``); no Qt.

The signs a root gives come from the dermatome content (:mod:`annotations.dermatomes`), so the
quiz and the "Where it hurts" panel say the same thing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

FILE = Path(__file__).resolve().parent / "content" / "practice.toml"
PROMPTS = ("grade", "root", "signs", "structure", "unstable")


class PracticeContentError(ValueError):
    """The practice content is malformed: one line naming the problem."""


@dataclass(frozen=True)
class PracticeText:
    """What the quiz says.

    Attributes
    ----------
    prompts : dict of str to str
        Question kind -> the question asked.
    opening, signs : str
        The vignette's two sentences: ``opening`` takes ``{side}`` and ``{area}``, ``signs``
        takes ``{signs}``.
    structures : dict of str to str
        Structure id -> where it lies, a phrase.
    sources : tuple of str
        Where the facts come from.
    """

    prompts: dict[str, str]
    opening: str
    signs: str
    structures: dict[str, str]
    sources: tuple[str, ...]


def load(path: Path = FILE) -> PracticeText:
    """Read the practice content.

    Parameters
    ----------
    path : Path
        The TOML file (default: the bundled one).

    Returns
    -------
    PracticeText
        The prompts, the vignette's phrasing, the structures' lines and the sources.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    missing = [k for k in PROMPTS if k not in data.get("prompts", {})]
    if missing:
        raise PracticeContentError(f"{path.name}: [prompts] lacks {', '.join(missing)}")
    if not data.get("sources"):
        raise PracticeContentError(f"{path.name}: names no sources")
    return PracticeText(prompts=dict(data["prompts"]), opening=data["vignette"]["opening"],
                        signs=data["vignette"]["signs"], structures=dict(data["structures"]),
                        sources=tuple(data["sources"]))
