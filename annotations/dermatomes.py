"""Dermatomes as data: where each root's symptoms go, which signs it gives and what usually
compresses it (no Qt)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

FILE = Path(__file__).resolve().parent / "content" / "dermatomes.toml"


@dataclass(frozen=True)
class Dermatome:
    root: str
    area: str
    signs: tuple[str, ...]
    cause: str = ""


def load(path: Path = FILE) -> tuple[dict[str, Dermatome], tuple[str, ...]]:
    """({"L5": ..., "S1": ...}, sources)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    roots = {root: Dermatome(root, data[root]["area"], tuple(data[root]["signs"]), data[root].get("cause", ""))
             for root in ("L5", "S1")}
    return roots, tuple(data["sources"])
