"""The names a class reads for the anatomical ids (one vocabulary: meshes, annotations, UI)."""

from __future__ import annotations


def display_name(name: str) -> str:
    """'root_L5_left' -> 'L5 root (left)', 'pars_left' -> 'Pars (left)', 'dural_sac' -> 'Dural sac'."""
    if name.startswith("root_"):
        _, level, side = name.split("_")
        return f"{level} root ({side})"
    words = name.split("_")
    side = words[-1] if words[-1] in ("left", "right") else ""
    words = words[:-1] if side else words
    text = " ".join(words)
    text = text[:1].upper() + text[1:] if text not in ("L5", "S1") else text
    return f"{text} ({side})" if side else text
