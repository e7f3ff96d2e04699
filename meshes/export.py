"""Write the segment's structures to disk with a JSON manifest, all or nothing.

One file per structure in the chosen format, plus ``manifest.json``. For ``glb`` the whole
scene also goes into ``segment.glb``: every structure a named node in its viewer colour,
so the model drops into a slide, a web page or Blender as one object.

glTF is written with trimesh (pure Python, no OpenGL context). VTK's ``vtkGLTFWriter``
is not used: it expects the CityGML layout (a multiblock of buildings, each a multiblock
of pieces) and dereferences a null pointer when a block is a plain mesh (a segmentation
fault in every VTK from 9.3 to 9.7.2).

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

FORMATS = ("vtp", "stl", "ply", "obj", "glb")
SCENE_FILE = "segment.glb"
SCENE_ROOT = "L5_S1_segment"
# glTF counts in metres with +Y up, the asset's front facing +Z and its right on -X. The
# meshes keep the manifest's millimetres and RAS axes; the scene's root node maps them:
# glTF x = -R (the patient's right on the asset's right), y = S, z = A, times 0.001.
RAS_TO_GLTF = np.array(
    [
        [-0.001, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.001, 0.0],
        [0.0, 0.001, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ]
)

Colour = str | np.ndarray  # "#rrggbb" for the whole structure, or (n_points, 3) uint8 per vertex


class ExportError(Exception):
    """An export that could not be written; the message is one line for the user."""


def _rgba(hex_colour: str) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)] + [255]


def _trimesh(mesh: pv.PolyData, colour: Colour | None):
    """A trimesh copy of a closed triangle surface with its shading normals and colour."""
    import trimesh
    from trimesh.visual.material import PBRMaterial

    surface = mesh.triangulate() if not mesh.is_all_triangles else mesh
    normals = surface.compute_normals(cell_normals=False, split_vertices=False, consistent_normals=False,
                                      auto_orient_normals=False)
    tri = trimesh.Trimesh(
        vertices=np.asarray(surface.points, dtype=np.float64),
        faces=surface.regular_faces,
        vertex_normals=np.asarray(normals.point_data["Normals"], dtype=np.float64),
        process=False,
    )
    if isinstance(colour, np.ndarray):
        rgba = np.column_stack([colour, np.full(len(colour), 255, np.uint8)])
        tri.visual = trimesh.visual.ColorVisuals(tri, vertex_colors=rgba)
    elif colour is not None:
        # Bone, disc and nerve are matt: no metal, a soft highlight.
        material = PBRMaterial(baseColorFactor=_rgba(colour), metallicFactor=0.0, roughnessFactor=0.55)
        tri.visual = trimesh.visual.TextureVisuals(material=material)
    return tri


def _finish_gltf(tree: dict) -> None:
    """Polish trimesh's glTF before it is packed: name the generator, give vertex-coloured
    primitives a matt white material (glTF's default material is fully metallic, which
    would darken them), and tell loaders which buffer views hold vertices and indices."""
    tree["asset"]["generator"] = "l5s1-viewer"
    materials = tree.setdefault("materials", [])
    views = tree.get("bufferViews", [])
    accessors = tree.get("accessors", [])
    matt_white = None
    for mesh in tree.get("meshes", []):
        for primitive in mesh["primitives"]:
            if "material" not in primitive:
                if matt_white is None:
                    materials.append({"name": "vertex colours", "pbrMetallicRoughness": {
                        "baseColorFactor": [1.0, 1.0, 1.0, 1.0], "metallicFactor": 0.0, "roughnessFactor": 0.55}})
                    matt_white = len(materials) - 1
                primitive["material"] = matt_white
            for accessor in primitive["attributes"].values():
                views[accessors[accessor]["bufferView"]]["target"] = 34962  # ARRAY_BUFFER
            if "indices" in primitive:
                views[accessors[primitive["indices"]]["bufferView"]]["target"] = 34963  # ELEMENT_ARRAY_BUFFER
    if not materials:
        del tree["materials"]


def scene_glb(structures: dict[str, pv.PolyData], colours: dict[str, Colour], root_transform=RAS_TO_GLTF) -> bytes:
    """One glTF 2.0 binary holding ``structures`` as named nodes under one root node.

    Each node's mesh keeps the source points (mm, RAS); ``root_transform`` maps them to
    glTF's metres and axes.

    Parameters
    ----------
    structures : dict of str to pyvista.PolyData
        Structure id to closed surface, world frame RAS (+x right, +y anterior, +z superior),
        mm; each becomes a node and mesh of that name.
    colours : dict of str to str or ndarray
        Structure id to a ``"#rrggbb"`` matt material or a ``(n_points, 3)`` uint8 vertex
        colour; a structure left out is written without a colour.
    root_transform : (4, 4) ndarray
        The root node's matrix, from the meshes' mm RAS to the scene's frame; by default
        :data:`RAS_TO_GLTF` (metres, glTF's +Y up, +Z front).

    Returns
    -------
    bytes
        The ``.glb`` file's contents.
    """
    import trimesh

    scene = trimesh.Scene(base_frame="world")
    scene.graph.update(frame_to=SCENE_ROOT, frame_from="world", matrix=root_transform)
    for name, mesh in structures.items():
        scene.add_geometry(_trimesh(mesh, colours.get(name)), node_name=name, geom_name=name,
                           parent_node_name=SCENE_ROOT)
    return trimesh.exchange.gltf.export_glb(scene, include_normals=True, tree_postprocessor=_finish_gltf)


def _write(name: str, mesh: pv.PolyData, path: Path, fmt: str, colour: Colour | None) -> None:
    if fmt == "glb":
        path.write_bytes(scene_glb({name: mesh}, {name: colour} if colour is not None else {}))
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
    colours: dict[str, Colour] | None = None,
    anatomy: dict | None = None,
) -> Path:
    """Write one file per structure plus ``manifest.json`` into ``directory``.

    Parameters
    ----------
    directory : str or os.PathLike
        The folder to create; it must not exist yet or be empty, and its parent must exist.
    structures : dict of str to pyvista.PolyData
        Structure id to surface, as posed (world frame RAS, mm); one file each, named by id.
    regions : dict of str to tuple of str
        Structure id to the names of its ``region`` cell values, in order; written into the
        manifest for the structures that have them.
    landmarks : dict of str to ndarray
        Name to point, world frame RAS, mm (rounded to 4 decimals in the manifest).
    state : dict
        The pathology state the structures were posed in (:meth:`Pathology.as_dict`), copied
        into the manifest as it is.
    fmt : str
        One of :data:`FORMATS`; ``"glb"`` also writes the whole scene as :data:`SCENE_FILE`.
    colours : dict of str to str or ndarray, optional
        Structure id to colour (as :func:`scene_glb` takes them); only glb files carry them,
        the other formats carry geometry only.
    anatomy : dict, optional
        The anatomy the segment was built with (its title, sources and every dimension, in mm,
        degrees, mm² or a share), copied into the manifest as it is.

    Returns
    -------
    pathlib.Path
        The written directory.

    Raises
    ------
    ExportError
        When ``fmt`` is unknown, the folder cannot be used, or a file cannot be written
        (nothing is left behind then).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    colours = colours or {}
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
            _write(name, mesh, staging / file, fmt, colours.get(name))
            entry: dict = {"id": name, "file": file}
            if name in regions:
                entry["regions"] = {str(i): r for i, r in enumerate(regions[name])}
            entries.append(entry)
        manifest = {
            "units": "mm",
            "axes": "RAS",
            "origin": "S1 superior endplate centre",
            "state": state,
            **({"anatomy": anatomy} if anatomy is not None else {}),
            "structures": entries,
            "landmarks": {k: [round(float(c), 4) for c in v] for k, v in landmarks.items()},
        }
        if fmt == "glb":
            (staging / SCENE_FILE).write_bytes(scene_glb(structures, colours))
            manifest["scene"] = {
                "file": SCENE_FILE,
                "root_node": SCENE_ROOT,
                "root_transform": "mesh points are mm RAS; the root node scales by 0.001 and turns them to "
                "glTF's axes (x = -R, y = S, z = A), so the model stands upright and life-size",
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
