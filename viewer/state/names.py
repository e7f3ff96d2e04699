"""The names a class reads for the anatomical ids (one vocabulary: meshes, annotations, UI)."""

from __future__ import annotations


def display_name(name: str) -> str:
    """The name a class reads for an anatomical id.

    Parameters
    ----------
    name : str
        A structure id or L5 region name, words joined by ``_``, the side (if any) last.

    Returns
    -------
    str
        The words spaced and capitalised, the side in brackets; a root reads as its level.

    Examples
    --------
    >>> display_name("root_L5_left"), display_name("pars_left"), display_name("dural_sac")
    ('L5 root (left)', 'Pars (left)', 'Dural sac')
    """
    if name.startswith("root_"):
        _, level, side = name.split("_")
        return f"{level} root ({side})"
    words = name.split("_")
    side = words[-1] if words[-1] in ("left", "right") else ""
    words = words[:-1] if side else words
    text = " ".join(words)
    text = text[:1].upper() + text[1:] if text not in ("L5", "S1") else text
    return f"{text} ({side})" if side else text
