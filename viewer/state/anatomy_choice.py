"""The anatomy the window shows: a bundled preset, or one with some dimensions moved. Qt-free.

The model's ``anatomy`` field holds a :class:`meshes.anatomy_file.AnatomyFile`: the whole
:class:`~meshes.anatomy.Anatomy`, the dimensions it sets, a title and its sources. The Anatomy tab
(``viewer.qt.panels.anatomy``) and lessons set it; the window's rebuilder
(``viewer.qt.rebuild``) builds the segment for it. A moved dimension keeps the preset's sources
and says so in the title ("Developmentally narrow canal, adjusted").
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cache

from meshes.anatomy import Anatomy
from meshes.anatomy_file import AnatomyFile

AVERAGE = "average-adult"
ADJUSTED = ", adjusted"
# The dimensions a teacher would change, grouped as the Anatomy tab shows them (those a lesson on
# stenosis or slips moves first). The rest stay reachable through anatomy files and ``--set``.
GROUPS: dict[str, tuple[str, ...]] = {
    "Canal": ("l5_canal_depth", "l5_canal_width", "dural_sac_area"),
    "Disc": ("disc_height_anterior", "disc_height_posterior"),
    "Sacrum": ("sacral_slope", "s1_endplate_depth", "sacral_width"),
    "L5 body": ("l5_body_height_anterior", "l5_body_height_posterior", "l5_endplate_depth", "l5_endplate_width"),
    "Roots": ("root_diameter_l5", "root_diameter_s1"),
}


def described(anatomy: Anatomy, title: str | None = None, sources: tuple[str, ...] = ()) -> AnatomyFile:
    """``anatomy`` as a choice: the dimensions it changes from the defaults, and a title.

    Parameters
    ----------
    anatomy : Anatomy
        The dimensions.
    title : str, optional
        Its name; "Average adult" when nothing differs from the defaults, else "Custom anatomy".
    sources : tuple of str
        Where its values come from.

    Returns
    -------
    AnatomyFile
        The choice, with ``values`` holding only the dimensions that differ from the defaults.
    """
    changed = {name: value for name, value in asdict(anatomy).items() if value != Anatomy.default(name)}
    if title is None:
        title = "Average adult" if not changed else "Custom anatomy"
    return AnatomyFile(anatomy=anatomy, values=changed, title=title, sources=tuple(sources))


@cache
def preset(name: str) -> AnatomyFile:
    """A bundled preset by name (``annotations/anatomy/NAME.toml``), read and checked.

    Parameters
    ----------
    name : str
        The preset's name, e.g. ``"narrow-canal"``.

    Returns
    -------
    AnatomyFile
        Its dimensions, the values it sets, its title and sources.

    Raises
    ------
    KeyError
        When there is no such preset.
    """
    from annotations.anatomy import presets, resolve

    if name not in presets():
        raise KeyError(f"no anatomy preset {name!r} (known: {', '.join(presets())})")
    return resolve(name)


def preset_titles() -> dict[str, str]:
    """The bundled presets' titles.

    Returns
    -------
    dict of str to str
        Each preset's name -> its title, the average adult first.
    """
    from annotations.anatomy import presets

    return {name: preset(name).title for name in presets()}


def adjusted(choice: AnatomyFile, name: str, value: float) -> AnatomyFile:
    """``choice`` with one dimension moved to ``value``.

    Parameters
    ----------
    choice : AnatomyFile
        The anatomy shown now.
    name : str
        A dimension of :class:`~meshes.anatomy.Anatomy`.
    value : float
        Its new value, in the dimension's unit (mm, degrees, mm²).

    Returns
    -------
    AnatomyFile
        The moved anatomy, titled as ``choice``'s adjusted (the average adult's title once every
        dimension is back at its default), with ``choice``'s sources; ``choice`` itself when the
        value is the one it has.

    Raises
    ------
    ValueError
        One line: the value is out of the dimension's range or contradicts another (a posterior
        disc taller than the anterior), or ``name`` is no dimension.
    """
    if name not in Anatomy.names():
        raise ValueError(f"no dimension {name!r}")
    anatomy = choice.anatomy.replace(**{name: float(value)})
    if anatomy == choice.anatomy:
        return choice
    base = base_title(choice.title)
    title = base + ADJUSTED if anatomy != Anatomy() else "Average adult"
    return described(anatomy, title, choice.sources)


def base_title(title: str) -> str:
    """A title without the ", adjusted" a moved dimension adds.

    Parameters
    ----------
    title : str
        An anatomy's title.

    Returns
    -------
    str
        The title of the anatomy it was adjusted from.
    """
    return title[: -len(ADJUSTED)] if title.endswith(ADJUSTED) else title


def preset_of(choice: AnatomyFile) -> str | None:
    """The bundled preset an anatomy is, by its dimensions.

    Parameters
    ----------
    choice : AnatomyFile
        The anatomy shown.

    Returns
    -------
    str or None
        The preset's name, or None once any dimension differs from every preset.
    """
    from annotations.anatomy import presets

    for name in presets():
        if preset(name).anatomy == choice.anatomy:
            return name
    return None


def record(choice: AnatomyFile) -> dict:
    """The anatomy as the export manifest and ``measure --json`` record it.

    Parameters
    ----------
    choice : AnatomyFile
        The anatomy the segment was built with.

    Returns
    -------
    dict
        ``title``, ``sources`` (list), ``changed`` (the dimensions that differ from the defaults)
        and ``dimensions`` (every one; mm, degrees, mm²).
    """
    dimensions = asdict(choice.anatomy)
    changed = {name: value for name, value in dimensions.items() if value != Anatomy.default(name)}
    return {"title": choice.title, "sources": list(choice.sources), "changed": changed, "dimensions": dimensions}
