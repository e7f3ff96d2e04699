"""Write the segment's structures to disk with a JSON manifest, all or nothing.

Files go into a temporary sibling folder that is renamed into place at the end, so a
failure leaves no half-written export behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkMultiBlockDataSet
from vtkmodules.vtkIOGeometry import vtkGLTFWriter

FORMATS = ("vtp", "stl", "ply", "obj", "glb")


class ExportError(Exception):
    """An export that could not be written; the message is one line for the user."""


def _write(mesh: pv.PolyData, path: Path, fmt: str) -> None:
    if fmt == "glb":
        blocks = vtkMultiBlockDataSet()
        blocks.SetNumberOfBlocks(1)
        blocks.SetBlock(0, mesh.compute_normals(split_vertices=False))
        writer = vtkGLTFWriter()
        writer.SetFileName(str(path))
        writer.SetInputData(blocks)
        writer.Write()
        if not path.exists():
            raise ExportError(f"could not write {path.name}")
        return
    if fmt == "stl":
        mesh = pv.PolyData(mesh.points, mesh.faces)
    mesh.save(str(path), binary=fmt != "obj") if fmt != "obj" else mesh.save(str(path))


def export(
    directory: str | os.PathLike,
    structures: dict[str, pv.PolyData],
    regions: dict[str, tuple[str, ...]],
    landmarks: dict[str, np.ndarray],
    state: dict,
    fmt: str = "vtp",
) -> Path:
    """Write one file per structure plus ``manifest.json`` into ``directory``.

    ``directory`` must not exist yet or be empty; its parent must exist.
    Returns the directory's path.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    target = Path(directory)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"folder {parent} does not exist")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target} already exists and is not an empty folder")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise ExportError(f"cannot write into {parent}: {exc.strerror or exc}") from None
    try:
        entries = []
        for name, mesh in structures.items():
            file = f"{name}.{fmt}"
            _write(mesh, staging / file, fmt)
            entry: dict = {"id": name, "file": file}
            if name in regions:
                entry["regions"] = {str(i): r for i, r in enumerate(regions[name])}
            entries.append(entry)
        manifest = {
            "units": "mm",
            "axes": "RAS",
            "origin": "S1 superior endplate centre",
            "state": state,
            "structures": entries,
            "landmarks": {k: [round(float(c), 4) for c in v] for k, v in landmarks.items()},
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2))
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except ExportError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"could not write {target}: {exc.strerror or exc}") from None
    return target
