"""Links and images in lesson and annotation Markdown: what each one may do. Qt-free.

Lessons are shared by e-mail and on drives, so their text is untrusted. A link or an image may
only do this:

- ``#root_S1_left``, ``#herniation``, ``#step-3``: act inside the viewer (select a structure or
  an L5 region, show a condition, go to a lesson step);
- ``http://`` or ``https://``: open the system browser, after the user has seen the address and
  agreed;
- an image: a relative path inside the folder the text comes from (the lesson's own folder, or the
  bundled content), never absolute, never climbing out with ``..``, never fetched from a network.

Everything else (``file:``, ``data:``, ``javascript:``, an absolute path, any other scheme) is
refused: :func:`problems` names it for ``lesson check``, and the window's text panes
(``viewer.qt.panels.inert``) refuse it when clicked or drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote

WEB_SCHEMES = ("http", "https")
STEP = re.compile(r"step-(\d{1,4})")
# [text](target "title"), ![alt](target), <scheme:target>, [label]: target, and raw HTML href/src.
_INLINE = re.compile(r"(!?)\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s)]*)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^>\s]*)>")
_REFERENCE = re.compile(r"^\s{0,3}\[(?:[^\]\\]|\\.)+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
_HTML = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(frozen=True)
class Target:
    """One link or image found in a text."""

    address: str
    image: bool
    offset: int  # where it starts in the text (characters)


def targets(text: str) -> list[Target]:
    """Every link and image address in Markdown ``text`` (inline, reference, autolink, raw HTML)."""
    found = []
    for m in _INLINE.finditer(text):
        found.append(Target(m.group(2).strip("<>"), m.group(1) == "!", m.start()))
    for m in _AUTOLINK.finditer(text):
        found.append(Target(m.group(1), False, m.start()))
    for m in _REFERENCE.finditer(text):
        found.append(Target(m.group(1).strip("<>"), False, m.start()))
    for m in _HTML.finditer(text):
        address = next(g for g in m.groups()[1:] if g is not None)
        found.append(Target(address, m.group(1).lower() == "src", m.start()))
    return sorted(found, key=lambda t: t.offset)


def scheme(address: str) -> str:
    """The address's scheme in lower case ("" for none; a Windows drive letter is no scheme)."""
    m = _SCHEME.match(address.strip())
    if m is None or re.match(r"^[A-Za-z]:[\\/]", address.strip()):
        return ""
    return m.group(1).lower()


def image_problem(address: str) -> str | None:
    """Why an image address may not be drawn, or None: only a relative path that stays inside the
    folder of the text (no scheme, not absolute, no ``..`` climbing out, percent-escapes read)."""
    address = unquote(address.strip())
    if not address:
        return "an image needs a path"
    if scheme(address):
        return f"image {address!r} is not a relative path (only files beside the lesson are shown)"
    if address.startswith(("/", "\\")) or PureWindowsPath(address).is_absolute() or re.match(r"^[A-Za-z]:", address):
        return f"image {address!r} is an absolute path (only files beside the lesson are shown)"
    depth = 0
    for part in PurePosixPath(address.replace("\\", "/")).parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return f"image {address!r} climbs out of the lesson's folder"
    return None


def link_problem(address: str, known_ids: set[str], steps: int | None = None) -> str | None:
    """Why a link may not be followed, or None.

    Parameters
    ----------
    address : str
        The link's target as written.
    known_ids : set of str
        The structure ids, L5 regions and condition names a ``#id`` link may name.
    steps : int, optional
        How many steps the lesson has (``#step-N`` must be one of them); None: not in a lesson.
    """
    address = address.strip()
    kind = scheme(address)
    if kind in WEB_SCHEMES:
        return None
    if kind:
        return f"link {address!r}: {kind}: links are not opened (only #id, #step-N and http(s) links)"
    if not address.startswith("#"):
        return f"link {address!r} points at a file (only #id, #step-N and http(s) links)"
    name = address[1:]
    step = STEP.fullmatch(name)
    if step is not None:
        if steps is None:
            return f"link {address!r}: there are no steps here"
        if not 1 <= int(step.group(1)) <= steps:
            return f"link {address!r}: the lesson has steps 1 to {steps}"
        return None
    if name not in known_ids:
        return f"link {address!r} names no structure, region or condition"
    return None


def problems(text: str, known_ids: set[str], steps: int | None = None) -> list[str]:
    """Every link or image in ``text`` that the viewer would refuse, one message each."""
    out = []
    for target in targets(text):
        message = image_problem(target.address) if target.image else link_problem(target.address, known_ids, steps)
        if message:
            out.append(message)
    return out


def image_path(address: str, folder: Path) -> Path | None:
    """The file an allowed image address names inside ``folder`` (symbolic links resolved and
    checked to stay inside too), or None when it is refused or missing."""
    if image_problem(address) is not None:
        return None
    root = folder.resolve()
    path = (root / unquote(address.strip()).replace("\\", "/")).resolve()
    if root != path and root not in path.parents:
        return None
    return path if path.is_file() else None
