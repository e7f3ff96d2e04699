"""The bundled anatomy presets (``annotations/anatomy/*.toml``), and finding one by name.

Each preset is an anatomy file (:mod:`meshes.anatomy_file`): a subset of the dimensions, each
value with the figure it comes from, and a ``[meta]`` title and sources. ``--anatomy`` takes a
preset's name (``narrow-canal``) or a file's path.
"""

from __future__ import annotations

from pathlib import Path

from meshes.anatomy_file import AnatomyFile, read

PRESETS = Path(__file__).resolve().parent / "anatomy"


def presets() -> dict[str, Path]:
    """The bundled presets by name.

    Returns
    -------
    dict of str to Path
        Name (the file's stem, e.g. ``"narrow-canal"``) -> its file, the average adult first.
    """
    found = {p.stem: p for p in sorted(PRESETS.glob("*.toml"))}
    return dict(sorted(found.items(), key=lambda kv: kv[0] != "average-adult"))


def resolve(name_or_path: str) -> AnatomyFile:
    """A bundled preset by name, or an anatomy file by path, read and checked.

    Parameters
    ----------
    name_or_path : str
        A preset's name (see :func:`presets`) or a TOML file's path.

    Returns
    -------
    AnatomyFile
        The checked anatomy (``meshes.anatomy_file.AnatomyFileError`` with every problem
        otherwise).
    """
    from meshes.anatomy_file import AnatomyFileError

    bundled = presets()
    if name_or_path in bundled:
        return read(bundled[name_or_path])
    if not Path(name_or_path).exists() and not name_or_path.endswith(".toml") and "/" not in name_or_path:
        raise AnatomyFileError(name_or_path, [(0, f"no such preset or file (presets: {', '.join(bundled)})")])
    return read(name_or_path)
