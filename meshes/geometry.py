"""Small geometric measurements on triangle surfaces (mm, mm³)."""

from __future__ import annotations

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonCore import reference
from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator
from vtkmodules.vtkFiltersCore import vtkPolyDataConnectivityFilter
from vtkmodules.vtkFiltersModeling import vtkSelectEnclosedPoints


def triangles(mesh: pv.PolyData) -> np.ndarray:
    """Vertex indices of the triangles of a surface.

    Parameters
    ----------
    mesh : pyvista.PolyData
        A surface made of triangles only (its face list is read as 4 entries a cell).

    Returns
    -------
    (m, 3) ndarray of int
        Each triangle's three point indices.
    """
    return mesh.faces.reshape(-1, 4)[:, 1:]


def largest_piece(mesh: pv.PolyData) -> pv.PolyData:
    """The connected piece of a surface with the most cells, its cells in their order.

    VTK's polygonal connectivity filter in one pass: pyvista's ``connectivity("largest")``
    runs the general filter twice (once more to label regions) and is several times slower.
    Its points are numbered as the filter met them; ``clean()`` renumbers them in cell order.

    Parameters
    ----------
    mesh : pyvista.PolyData
        The surface, possibly in several disconnected pieces.

    Returns
    -------
    pyvista.PolyData
        The piece with the most cells, in the same frame.
    """
    alg = vtkPolyDataConnectivityFilter()
    alg.SetInputData(mesh)
    alg.SetExtractionModeToLargestRegion()
    alg.Update()
    return pv.wrap(alg.GetOutput())


def signed_volume(mesh: pv.PolyData) -> float:
    """Enclosed volume by the divergence theorem: positive when normals point outward.

    Parameters
    ----------
    mesh : pyvista.PolyData
        A closed all-triangle surface, in mm.

    Returns
    -------
    float
        The volume (mm³), negative when the triangles are wound inward.
    """
    f = triangles(mesh)
    p = mesh.points
    return float(np.einsum("ij,ij->i", p[f[:, 0]], np.cross(p[f[:, 1]], p[f[:, 2]])).sum() / 6.0)


def closest_point(surface: pv.PolyData, points) -> np.ndarray:
    """The points of ``surface`` nearest to given points (on its cells, not only vertices).

    Parameters
    ----------
    surface : pyvista.PolyData
        The surface searched.
    points : array_like, (3,) or (n, 3)
        Query points, in the surface's frame (mm).

    Returns
    -------
    ndarray
        The nearest surface points, the same shape as ``points`` and in the same frame.
    """
    query = np.asarray(points, float)
    locator = vtkStaticCellLocator()
    locator.SetDataSet(surface)
    locator.BuildLocator()
    out = []
    for point in query.reshape(-1, 3):
        closest = [0.0, 0.0, 0.0]
        locator.FindClosestPoint(
            [float(v) for v in point], closest, reference(0), reference(0), reference(0.0)
        )
        out.append(closest)
    return np.array(out).reshape(query.shape)


def inside(points: np.ndarray, surface: pv.PolyData) -> np.ndarray:
    """Boolean mask of points enclosed by a closed surface.

    Ray casting (vtkSelectEnclosedPoints) can miscount a ray that grazes an edge; where it
    disagrees with the sign of the signed distance, the point is cast again on its own
    and the majority of the three answers wins.

    Parameters
    ----------
    points : (n, 3) array_like
        Query points, in the surface's frame.
    surface : pyvista.PolyData
        A closed surface with outward normals.

    Returns
    -------
    (n,) ndarray of bool
        True where a point lies inside.
    """
    points = np.asarray(points, float)
    cast = _enclosed(points, surface)
    signed = pv.PolyData(points).compute_implicit_distance(surface)["implicit_distance"] < 0.0
    doubt = np.flatnonzero(cast != signed)
    for i in doubt:
        again = _enclosed(points[i:i + 1], surface)[0]
        cast[i] = (int(cast[i]) + int(signed[i]) + int(again)) >= 2
    return cast


def _enclosed(points: np.ndarray, surface: pv.PolyData) -> np.ndarray:
    select = vtkSelectEnclosedPoints()
    probe = pv.PolyData(points)
    select.SetInputData(probe)
    select.SetSurfaceData(surface)
    select.SetTolerance(1e-6)
    select.Update()
    out = select.GetOutput().GetPointData().GetArray("SelectedPoints")
    return np.array([out.GetValue(i) for i in range(out.GetNumberOfTuples())], dtype=bool)


def unsigned_distance(points: np.ndarray, surface: pv.PolyData) -> np.ndarray:
    """Distance from each point to the nearest point of ``surface``, whichever side.

    Parameters
    ----------
    points : (n, 3) array_like
        Query points, in the surface's frame (mm).
    surface : pyvista.PolyData
        The surface measured to.

    Returns
    -------
    (n,) ndarray
        Unsigned distances, mm.
    """
    probe = pv.PolyData(np.asarray(points, float))
    return np.abs(probe.compute_implicit_distance(surface)["implicit_distance"])


def clearance(a: pv.PolyData, b: pv.PolyData, closed_b: pv.PolyData | None = None) -> tuple[float, np.ndarray]:
    """Smallest gap (mm) between closed surfaces ``a`` and ``b``, and where.

    Negative when they overlap: then it is minus the deepest penetration of one
    surface's vertices into the other. ``b`` may be a cropped patch of the closed
    surface ``closed_b``, which is then used for the inside tests.

    Parameters
    ----------
    a : pyvista.PolyData
        A closed surface (mm).
    b : pyvista.PolyData
        The other surface, in the same frame; closed unless ``closed_b`` is given.
    closed_b : pyvista.PolyData, optional
        The whole closed surface that ``b`` was cropped from.

    Returns
    -------
    gap : float
        The smallest gap (mm), negative for overlap; inf when both have no points.
    where : (3,) ndarray
        The vertex of ``a`` or ``b`` at which it is found (zeros when there is none).
    """
    whole_b = closed_b if closed_b is not None else b
    best = np.inf
    where = np.zeros(3)
    for pts, dist_to, enclosing in ((a.points, b, whole_b), (b.points, a, a)):
        if len(pts) == 0:
            continue
        d = unsigned_distance(pts, dist_to)
        d = np.where(inside(pts, enclosing), -d, d)
        k = int(np.argmin(d))
        if d[k] < best:
            best, where = float(d[k]), pts[k]
    return best, where


class SurfaceDistance:
    """Callable signed distance (mm, negative inside) to a closed surface, set up once.

    Calling it with ``(n, 3)`` points (the surface's frame) returns their ``(n,)``
    distances, all in one VTK call; points NEAR mm or more outside the bounding box read
    their distance to the box instead.

    Parameters
    ----------
    surface : pyvista.PolyData
        The closed surface, outward normals.
    creased : bool, default False
        The surface may fold into flat pleats (a squeezed disc): points read inside near a
        pleat are checked with :func:`winding_number`.
    """

    def __init__(self, surface: pv.PolyData, creased: bool = False) -> None:
        from vtkmodules.vtkFiltersCore import vtkImplicitPolyDataDistance

        # A surface that may crease into flat pleats (a squeezed, sheared disc): the normal at a
        # pleat can face either way, so a point read inside whose nearest surface point may lie
        # on a pleat is asked the winding number.
        self.surface, self.creases = None, None
        if creased:
            self.surface, self.creases = surface, _creases(surface)
        self.implicit = vtkImplicitPolyDataDistance()
        self.implicit.SetInput(surface)
        self.lo = np.array(surface.bounds[::2])
        self.hi = np.array(surface.bounds[1::2])

    # Points farther than this (mm) outside the surface's bounding box read their distance
    # to the box: never more than the true distance, and more than a root's radius with its
    # margin (at 3 mm a root centre beside a thin disc or scar read as touching it).
    NEAR = 5.0

    def __call__(self, points: np.ndarray) -> np.ndarray:
        from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
        from vtkmodules.vtkCommonCore import vtkDoubleArray

        pts = np.ascontiguousarray(np.asarray(points, float).reshape(-1, 3))
        box = np.linalg.norm(np.maximum(np.maximum(self.lo - pts, pts - self.hi), 0.0), axis=1)
        near = np.flatnonzero(box < self.NEAR)
        if near.size:
            out = vtkDoubleArray()
            self.implicit.FunctionValue(numpy_to_vtk(np.ascontiguousarray(pts[near]), deep=True), out)
            box[near] = vtk_to_numpy(out)
            if self.creases is not None:
                read_inside = near[box[near] < 0.0]
                if read_inside.size:
                    tree, reach = self.creases
                    crease, _ = tree.query(pts[read_inside])
                    asked = read_inside[crease <= -box[read_inside] + reach]
                    if asked.size:
                        outside = asked[winding_number(pts[asked], self.surface) < 0.5]
                        box[outside] = -box[outside]
        return box


_EDGE_FACES: dict = {}


def _creases(surface: pv.PolyData):
    """(k-d tree of the vertices on a pleat, the longest edge there in mm), or None: a pleat is
    an edge whose two faces are folded back within 60 degrees of flat onto each other. A
    point's nearest surface point lies on a pleat only if the point is within its distance plus
    that edge of one of those vertices."""
    from scipy.spatial import cKDTree

    faces = surface.faces.reshape(-1, 4)[:, 1:]
    key = (faces.shape, hash(faces.tobytes()))
    if key not in _EDGE_FACES:
        _EDGE_FACES.clear()
        edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
        owner = np.tile(np.arange(len(faces)), 3)
        order = np.lexsort((edges[:, 1], edges[:, 0]))
        edges, owner = edges[order], owner[order]
        paired = np.flatnonzero((edges[1:] == edges[:-1]).all(axis=1))
        _EDGE_FACES[key] = edges[paired], owner[paired], owner[paired + 1]
    edges, a, b = _EDGE_FACES[key]
    v = np.asarray(surface.points, float)
    n = np.cross(v[faces[:, 1]] - v[faces[:, 0]], v[faces[:, 2]] - v[faces[:, 0]])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    pleat = np.einsum("ij,ij->i", n[a], n[b]) < -0.5
    if not pleat.any():
        return None
    ring = faces[np.concatenate([a[pleat], b[pleat]])]
    reach = float(np.max(np.linalg.norm(v[ring] - v[np.roll(ring, 1, axis=1)], axis=2)))
    return cKDTree(v[np.unique(edges[pleat])]), reach


def winding_number(points: np.ndarray, surface: pv.PolyData) -> np.ndarray:
    """The generalised winding number of a closed triangle surface (Jacobson et al. 2013).

    It is 1 inside and 0 outside, whatever the normals at the nearest crease. Faces folded
    flat onto each other cancel, so a pleat changes nothing; a surface folded through itself
    reads 2 or -1 where it overlaps. Points are taken 100 at a time.

    Parameters
    ----------
    points : (n, 3) array_like
        Query points, in the surface's frame.
    surface : pyvista.PolyData
        An all-triangle closed surface.

    Returns
    -------
    (n,) ndarray
        The winding number at each point (float, near-integer).
    """
    faces = surface.faces.reshape(-1, 4)[:, 1:]
    v = np.asarray(surface.points, float)
    points = np.asarray(points, float)
    out = np.empty(len(points))
    for i in range(0, len(points), 100):
        p = points[i:i + 100, None, :]
        a, b, c = v[faces[:, 0]] - p, v[faces[:, 1]] - p, v[faces[:, 2]] - p
        la, lb, lc = (np.linalg.norm(x, axis=2) for x in (a, b, c))
        num = np.einsum("ijk,ijk->ij", a, np.cross(b, c))
        den = (la * lb * lc + np.einsum("ijk,ijk->ij", a, b) * lc + np.einsum("ijk,ijk->ij", b, c) * la
               + np.einsum("ijk,ijk->ij", c, a) * lb)
        out[i:i + 100] = np.arctan2(num, den).sum(axis=1) / (2.0 * np.pi)
    return out
