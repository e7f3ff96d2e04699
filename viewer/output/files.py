"""Writing output files safely: screenshots, recordings.

Every output is checked before any work (suffix, folder), written under a temporary
name in the target folder and renamed at the end, so a failure leaves nothing behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def check_target(path: str, suffixes: tuple[str, ...], what: str, error: type[ValueError]) -> Path:
    """The file to write: one of ``suffixes``, in a folder that exists and is writable.

    ``what`` names the output in the message ("screenshot"); ``error`` is raised with one line.
    """
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise error(f"{what} must be a {' or '.join(suffixes)} file, got {path!r}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise error(f"folder does not exist: {folder}")
    if not os.access(folder, os.W_OK):
        raise error(f"cannot write in folder: {folder}")
    if target.is_dir():
        raise error(f"{path!r} is a folder")
    return target


def temporary_beside(target: Path) -> str:
    """A new empty file next to ``target`` (OSError when the folder refuses one)."""
    fd, tmp = tempfile.mkstemp(suffix=target.suffix, prefix=".l5s1-", dir=target.parent or ".")
    os.close(fd)
    return tmp


def publish(tmp: str, target: Path) -> None:
    """Give the finished temporary file ordinary permissions (mkstemp makes it private) and
    rename it onto ``target``."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, target)
