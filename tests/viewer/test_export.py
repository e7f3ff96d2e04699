"""Every export format, at rest and posed, read back by readers the project does not control.

vtp is read with VTK (through pyvista), stl, ply, obj and glb with trimesh; glb files also
pass the Khronos glTF validator (node), and ``segment.glb`` holds the whole scene.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import pyvista as pv
import trimesh

from meshes.export import RAS_TO_GLTF, SCENE_ROOT
from meshes.pathology import Pathology, parse_herniation
from meshes.pose import pose, posed_structures
from meshes.segment import STRUCTURES
from viewer.scene.style import COLOURS, structure_colours

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "tools" / "gltf-validator"
FORMATS = ("vtp", "stl", "ply", "obj", "glb")
STATES = {
    "rest": (),
    # A slip, a free fragment and a dehydrated disc: every posed structure, the fragment and the
    # pars scars included.
    "posed": ("--slip", "30", "--herniation", "sequestration", "--degeneration", "0.5"),
}


def _state(args: tuple[str, ...]) -> Pathology:
    values = dict(zip(args[::2], args[1::2], strict=True))
    return Pathology(float(values.get("--slip", 0)), parse_herniation(values.get("--herniation", "none")),
                     degeneration=float(values.get("--degeneration", 0)))




@pytest.fixture(scope="module")
def sources(rest):
    """The meshes each state's export should hold, posed in this process."""
    return {name: posed_structures(rest, pose(rest, _state(args))) for name, args in STATES.items()}


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """(state, format) -> the folder the command wrote."""
    out = {}
    for state, args in STATES.items():
        for fmt in FORMATS:
            folder = tmp_path_factory.mktemp(f"{state}_{fmt}") / "export"
            r = subprocess.run([sys.executable, "-m", "viewer", "export", str(folder), "--format", fmt, *args],
                               capture_output=True, text=True, timeout=300)
            assert r.returncode == 0, r.stderr
            out[state, fmt] = folder
    return out


def _read_independently(path: Path, fmt: str):
    """(points, triangles) as a reader we do not control sees them (mm, RAS)."""
    if fmt == "vtp":
        mesh = pv.read(path)
        return np.asarray(mesh.points), mesh.regular_faces
    if fmt == "glb":
        scene = trimesh.load(path, process=False)
        (geometry,) = scene.geometry.values()
        return geometry.vertices, geometry.faces
    mesh = trimesh.load(path, process=fmt == "stl", force="mesh")  # stl stores each triangle's corners
    return mesh.vertices, mesh.faces


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_structure_reads_back_with_its_points_and_bounds(exports, sources, state, fmt):
    folder = exports[state, fmt]
    manifest = json.loads((folder / "manifest.json").read_text())
    source = sources[state]
    assert [s["id"] for s in manifest["structures"]] == list(source)
    if state == "posed":
        assert "herniation_fragment" in source
    for name, mesh in source.items():
        points, triangles = _read_independently(folder / f"{name}.{fmt}", fmt)
        assert len(points) == mesh.n_points, name
        assert len(triangles) == mesh.n_cells, name
        # float32 in most formats: well under a micrometre on a 100 mm segment.
        np.testing.assert_allclose(np.min(points, axis=0), np.asarray(mesh.bounds)[::2], atol=1e-3, err_msg=name)
        np.testing.assert_allclose(np.max(points, axis=0), np.asarray(mesh.bounds)[1::2], atol=1e-3, err_msg=name)
        if fmt != "vtp":
            # The surface arrives closed and wound outward: a positive volume equal to VTK's.
            tm = trimesh.Trimesh(points, triangles, process=True)
            assert tm.is_watertight, name
            assert tm.volume == pytest.approx(mesh.volume, rel=1e-3), name


def _vertex_colours(geometry) -> np.ndarray:
    """A glb primitive's COLOR_0 as trimesh reads it (a material beside it keeps it here)."""
    return np.asarray(geometry.visual.vertex_attributes["color"])[:, :3]


def _glb_json(path: Path) -> dict:
    """The JSON chunk of a binary glTF, read by its published layout (header, then chunks)."""
    data = path.read_bytes()
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    assert magic == b"glTF" and version == 2 and length == len(data)
    chunk_length, chunk_type = struct.unpack_from("<I4s", data, 12)
    assert chunk_type == b"JSON"
    return json.loads(data[20 : 20 + chunk_length])


@pytest.mark.parametrize("state", STATES)
def test_the_scene_glb_holds_every_structure_as_a_named_node_in_its_colour(exports, sources, state):
    folder = exports[state, "glb"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["scene"]["file"] == "segment.glb"
    source = sources[state]
    scene = trimesh.load(folder / "segment.glb", process=False)
    assert set(scene.graph.nodes_geometry) == set(source)
    colours = structure_colours(source, _state(STATES[state]).degeneration)
    for name, mesh in source.items():
        transform, geometry_name = scene.graph[name]
        # Below one root node that turns mm RAS into glTF's metres, +Y up, front to +Z.
        np.testing.assert_allclose(transform, RAS_TO_GLTF, atol=1e-12)
        geometry = scene.geometry[geometry_name]
        np.testing.assert_allclose(geometry.bounds, np.asarray(mesh.bounds).reshape(3, 2).T, atol=1e-3)
        colour = colours[name]
        if isinstance(colour, str):
            expected = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
            assert list(geometry.visual.material.baseColorFactor[:3]) == expected, name
        else:
            np.testing.assert_array_equal(_vertex_colours(geometry), colour)
    # Upright and life-size in any glTF viewer: about 10 cm tall along +Y, 10 cm wide.
    extent = scene.bounds[1] - scene.bounds[0]
    assert 0.07 < extent[1] < 0.2 and 0.07 < extent[0] < 0.15
    l5_top = scene.graph["L5"][0] @ [0, 0, 1, 1]  # a point 1 mm up in RAS
    assert l5_top[1] > 0
    tree = _glb_json(folder / "segment.glb")
    (root,) = (tree["nodes"][i] for i in tree["scenes"][tree["scene"]]["nodes"])
    assert root["name"] == SCENE_ROOT
    assert sorted(tree["nodes"][i]["name"] for i in root["children"]) == sorted(source)
    for mesh in tree["meshes"]:
        for primitive in mesh["primitives"]:
            assert {"POSITION", "NORMAL"} <= set(primitive["attributes"])
            assert tree["materials"][primitive["material"]]["pbrMetallicRoughness"]["metallicFactor"] == 0


def test_glb_normals_point_outward_and_a_squeezed_root_is_red(tmp_path):
    folder = tmp_path / "extrusion"
    r = subprocess.run([sys.executable, "-m", "viewer", "export", str(folder), "--format", "glb",
                        "--herniation", "extrusion", "--side", "left"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    root = trimesh.load(folder / "root_S1_left.glb", process=False)
    (geometry,) = root.geometry.values()
    colours = _vertex_colours(geometry)
    red = (colours[:, 0] > 180) & (colours[:, 1] < 120)
    assert red.sum() > 20, "the squeezed part of the traversing root is red, as on screen"
    healthy = trimesh.load(folder / "root_S1_right.glb", process=False)
    (other,) = healthy.geometry.values()
    assert not ((_vertex_colours(other)[:, 0] > 180) & (_vertex_colours(other)[:, 1] < 120)).any()
    bone = trimesh.load(folder / "L5.glb", process=False)
    (l5,) = bone.geometry.values()
    # trimesh keeps the file's normals: they agree with the outward face normals around each vertex.
    stored = l5.vertex_normals
    from_faces = trimesh.geometry.mean_vertex_normals(len(l5.vertices), l5.faces, l5.face_normals)
    assert np.mean(np.einsum("ij,ij->i", stored, from_faces) > 0.5) > 0.98
    assert l5.volume > 0
    assert COLOURS["L5"] == "#" + "".join(f"{c:02x}" for c in l5.visual.material.baseColorFactor[:3])


def test_every_glb_passes_the_khronos_validator(exports):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed, so the Khronos glTF validator cannot run")
    if not (VALIDATOR / "node_modules" / "gltf-validator").is_dir():
        pytest.skip("gltf-validator is not installed (make test runs npm ci in tools/gltf-validator)")
    files = sorted(str(p) for state in STATES for p in exports[state, "glb"].glob("*.glb"))
    # Every structure and the scene, at rest and posed (where the free fragment and the two
    # pars scars are three more).
    assert len(files) == (len(STRUCTURES) + 1) + (len(STRUCTURES) + 1 + 3)
    r = subprocess.run([node, str(VALIDATOR / "validate.js"), *files], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    reports = json.loads(r.stdout)
    assert len(reports) == len(files)
    problems = {Path(rep["file"]).name: rep["messages"] for rep in reports if rep["numErrors"] or rep["numWarnings"]}
    assert problems == {}
    assert all(rep["info"]["totalTriangleCount"] > 0 for rep in reports)
