"""Closed tubes swept along smooth paths: nerve roots and the dural sac.

A tube is a grid of rings (one per path sample) with rounded end caps, so it is
watertight. Every vertex keeps its arc length (mm from the proximal end) and its
angle around the path, which makes later deformation and colouring simple.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyvista as pv

from meshes.geometry import signed_volume


def catmull_rom(control: np.ndarray, samples: int) -> np.ndarray:
    """A uniform Catmull–Rom curve through ``control`` points.

    The end tangents come from points mirrored past the first and last control point.

    Parameters
    ----------
    control : (k, 3) array_like
        At least two control points (mm), in any frame.
    samples : int
        Number of curve points, evenly spaced in the curve's parameter (not in length).

    Returns
    -------
    (samples, 3) ndarray
        The curve, from the first control point to the last, in the same frame.
    """
    p = np.asarray(control, float)
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    n_seg = len(p) - 1
    t = np.linspace(0.0, n_seg, samples)
    i = np.minimum(t.astype(int), n_seg - 1)
    u = (t - i)[:, None]
    p0, p1, p2, p3 = ext[i], ext[i + 1], ext[i + 2], ext[i + 3]
    return 0.5 * (
        2 * p1
        + (-p0 + p2) * u
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u**2
        + (-p0 + 3 * p1 - 3 * p2 + p3) * u**3
    )


def _frames(path: np.ndarray, up: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tangents and parallel-transported normals (rotation-minimising frames)."""
    tangent = np.gradient(path, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.empty_like(path)
    n = up - np.dot(up, tangent[0]) * tangent[0]
    if np.linalg.norm(n) < 1e-6:
        n = np.cross(tangent[0], [1.0, 0.0, 0.0])
    n /= np.linalg.norm(n)
    for k, t in enumerate(tangent):
        n = n - np.dot(n, t) * t
        n /= np.linalg.norm(n)
        normal[k] = n
    binormal = np.cross(tangent, normal)
    return tangent, normal, binormal


def sweep(
    path: np.ndarray,
    radius: Callable[[np.ndarray], np.ndarray],
    sides: int = 32,
    cap_rings: int = 6,
    flatten: float = 1.0,
    up: tuple[float, float, float] = (0.0, 1.0, 0.0),
    cut_start: bool = False,
) -> pv.PolyData:
    """A closed tube around ``path`` (N,3) with ``radius(s)`` at arc length ``s``.

    With ``cut_start`` the tube begins with a flat face square to the path (cleanly cut,
    as where a structure runs on out of the scene) instead of a rounded cap.

    Parameters
    ----------
    path : (n, 3) array_like
        The tube's centre line (mm), proximal end first.
    radius : callable
        ``(n,) arc lengths (mm) -> (n,) radii (mm)``, read at the path's points.
    sides : int, default 32
        Vertices on each ring.
    cap_rings : int, default 6
        Rings across each rounded cap (one fewer are added; the tip closes it).
    flatten : float, default 1.0
        Scale of the section along the frame's normal: below 1 makes it elliptical.
    up : tuple of float, default (0.0, 1.0, 0.0)
        Direction the first ring's normal is taken toward (made square to the path).
    cut_start : bool, default False
        Start with a flat face instead of a rounded cap.

    Returns
    -------
    pyvista.PolyData
        The closed tube in the path's frame, normals outward, with point arrays
        ``arc_length`` (mm; negative on the proximal cap), ``angle`` (radians round the
        path) and ``axis_index`` (the path point each vertex belongs to).
    """
    path = np.asarray(path, float)
    seg = np.linalg.norm(np.diff(path, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    r = np.asarray(radius(s), float)
    tangent, normal, binormal = _frames(path, np.asarray(up, float))
    theta = np.linspace(0.0, 2 * np.pi, sides, endpoint=False)
    cos, sin = np.cos(theta), np.sin(theta)

    rings_c, rings_r, rings_s = [], [], []
    # Proximal cap: rings shrinking behind the first point (a half ellipsoid), or none.
    for k in range(0 if cut_start else cap_rings - 1, 0, -1):
        phi = 0.5 * np.pi * k / cap_rings
        rings_c.append(path[0] - tangent[0] * r[0] * np.sin(phi))
        rings_r.append((r[0] * np.cos(phi), 0))
        rings_s.append(-r[0] * np.sin(phi))
    for k in range(len(path)):
        rings_c.append(path[k])
        rings_r.append((r[k], k))
        rings_s.append(s[k])
    for k in range(1, cap_rings):
        phi = 0.5 * np.pi * k / cap_rings
        rings_c.append(path[-1] + tangent[-1] * r[-1] * np.sin(phi))
        rings_r.append((r[-1] * np.cos(phi), len(path) - 1))
        rings_s.append(s[-1] + r[-1] * np.sin(phi))

    pts, arc, ang, owner = [], [], [], []
    for c, (rad, k), sk in zip(rings_c, rings_r, rings_s, strict=False):
        offs = rad * (flatten * cos[:, None] * normal[k] + sin[:, None] * binormal[k])
        pts.append(c + offs)
        arc.append(np.full(sides, sk))
        ang.append(theta)
        owner.append(np.full(sides, k))
    n_rings = len(pts)
    start = path[0] if cut_start else path[0] - tangent[0] * r[0]
    points = np.vstack(pts + [[start], [path[-1] + tangent[-1] * r[-1]]])
    tip0 = len(points) - 2
    tip1 = len(points) - 1
    faces = []
    for i in range(n_rings - 1):
        a = i * sides
        b = (i + 1) * sides
        for j in range(sides):
            j1 = (j + 1) % sides
            faces += [3, a + j, b + j, b + j1, 3, a + j, b + j1, a + j1]
    last = (n_rings - 1) * sides
    for j in range(sides):
        j1 = (j + 1) % sides
        # Wound like the side quads, so every edge is walked once each way (consistent normals).
        faces += [3, tip0, j, j1, 3, tip1, last + j1, last + j]
    mesh = pv.PolyData(points, np.array(faces))
    mesh.point_data["arc_length"] = np.concatenate(arc + [[0.0 if cut_start else -r[0]], [s[-1] + r[-1]]])
    mesh.point_data["angle"] = np.concatenate(ang + [[0.0], [0.0]])
    mesh.point_data["axis_index"] = np.concatenate(owner + [[0], [len(path) - 1]]).astype(np.int32)
    if signed_volume(mesh) < 0:
        mesh.flip_faces(inplace=True)
    return mesh
