"""Roots kept clear of the surfaces as drawn: the posed disc, a fragment, the pars scars.

The roots yield to distance fields (:mod:`meshes.root_yield`), which can let a root vertex
into what is drawn: the herniation's field reads a flared tongue up to a millimetre short,
a slipped, worn disc is squeezed where the fields are coarse, and a long, thin pars scar
crosses a root between the planes a root yields along. Such vertices are put back on the
surfaces themselves and flattened there (:func:`clear_of_the_disc`,
:func:`clear_of_the_scars`). :class:`DrawnDisc` is a moved disc's distance as drawn. World
frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.fields import gradient
from meshes.neural import ROOTS
from meshes.rest import Rest

# Root vertices this close (mm) to the herniation by its field are checked against the
# posed disc surfaces themselves.
CLEAR_CHECK_MM = 2.5
CLEAR_STEPS = 3
# The drawn disc's distance is worked out only within this far (mm) of its vertices.
DRAWN_DISC_FAR_MM = 7.0


class DrawnDisc:
    """``points -> mm``: signed distance to the posed disc as drawn.

    The annulus, and the nucleus where a herniation takes it out through the annulus. The
    roots meet a moved disc by it: the rest disc's field read through the undone shear is no
    distance (the shear squashes and tilts the disc), and read a root beside a slipped, worn
    disc's rim up to 1.6 mm nearer or farther than the drawn surfaces are. It remembers its
    last query (by identity) and answers it again without work.

    Parameters
    ----------
    pts : dict of str to ndarray
        The posed vertices (world frame RAS: +x right, +y anterior, +z superior; mm).
    rest : Rest
        The prepared rest segment (the disc surfaces' faces).
    escaped : bool
        Whether a herniation takes the nucleus out through the annulus (then it counts too).
    """

    def __init__(self, pts: dict, rest: Rest, escaped: bool) -> None:
        from scipy.spatial import cKDTree

        from meshes.geometry import SurfaceDistance

        names = ("disc_nucleus", "disc_annulus") if escaped else ("disc_annulus",)
        self.meshes = [pv.PolyData(pts[d], rest.segment.structures[d].faces) for d in names]
        self.parts = [SurfaceDistance(m, creased=True) for m in self.meshes]
        self.tree = cKDTree(np.vstack([np.asarray(m.points) for m in self.meshes]))
        self.last: tuple = (None, None)

    def __call__(self, q: np.ndarray) -> np.ndarray:
        # (the disc and the herniation ask about the same points one after the other)
        if self.last[0] is not q:
            q = np.asarray(q, float)
            # Points over DRAWN_DISC_FAR_MM from every vertex are outside (the disc is at most
            # 11 mm thick): they read that much less a millimetre, never more than they are.
            out = np.full(len(q), DRAWN_DISC_FAR_MM - 1.0)
            near = np.flatnonzero(np.isfinite(self.tree.query(q, distance_upper_bound=DRAWN_DISC_FAR_MM)[0]))
            if near.size:
                out[near] = np.min([part(q[near]) for part in self.parts], axis=0)
            self.last = (q, out)
        return self.last[1]


def clear_of_the_disc(rest: Rest, pts: dict, scalars: dict, fragment: pv.PolyData | None = None,
                      drawn: DrawnDisc | None = None) -> None:
    """Root vertices inside the posed disc surfaces or the fragment put back on them.

    The fields let some through (the herniation's field reads a flared tongue up to a
    millimetre short, a root deep in it yields along the herniation, and a slipped, worn disc
    is squeezed where the fields are coarse); those are put back on the surfaces, flattened
    there: a root yields, it is never pierced.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    pts : dict of str to ndarray
        The posed vertices (world frame RAS, mm); the roots' are replaced where moved.
    scalars : dict
        Per root, its scalars; ``"compression"`` (mm) is raised in place where a vertex was
        inside.
    fragment : pyvista.PolyData, optional
        A sequestered fragment's surface.
    drawn : DrawnDisc, optional
        The moved disc as drawn this frame (its surfaces and locators are reused).
    """
    if drawn is not None:  # (its locators already built; without a herniation the nucleus is within the annulus)
        surfaces, distances = list(drawn.meshes), list(drawn.parts)
    else:
        surfaces = [pv.PolyData(pts[d], rest.segment.structures[d].faces) for d in ("disc_nucleus", "disc_annulus")]
        distances = list(surfaces)
    if fragment is not None:
        surfaces.append(fragment)
        distances.append(fragment)
    # The root vertices near the posed disc or fragment's own vertices (not by the field: on a
    # slipped, worn disc the field can read an extruded tongue millimetres short).
    from scipy.spatial import cKDTree

    if drawn is not None and fragment is None:
        tree = drawn.tree  # (the same points: built once a frame)
    else:
        tree = cKDTree(np.vstack([np.asarray(m.points) for m in surfaces]))
    lo = np.min([m.bounds[::2] for m in surfaces], axis=0) - CLEAR_CHECK_MM
    hi = np.max([m.bounds[1::2] for m in surfaces], axis=0) + CLEAR_CHECK_MM
    candidates = {}
    for name in ROOTS:
        near = np.flatnonzero(np.all((pts[name] > lo) & (pts[name] < hi), axis=1))
        if near.size:
            near = near[np.isfinite(tree.query(pts[name][near], distance_upper_bound=CLEAR_CHECK_MM)[0])]
        candidates[name] = near
    if not any(ids.size for ids in candidates.values()):
        return
    _clear_of(pts, scalars, distances, candidates)


def clear_of_the_scars(pts: dict, scalars: dict, scars: dict[str, pv.PolyData], obstacles: dict) -> None:
    """Root vertices inside a pars scar put back on its surface.

    Where a long, thin scar of a high-grade slip crosses a root, the ring-wise yield (a plane
    per ring) leaves its far side in the scar.

    Parameters
    ----------
    pts : dict of str to ndarray
        The posed vertices (world frame RAS, mm); the roots' are replaced where moved.
    scalars : dict
        Per root, its scalars; ``"compression"`` (mm) is raised in place.
    scars : dict of str to pyvista.PolyData
        ``"pars_scar_<side>"`` -> the scar's surface (:func:`meshes.slip.pars_scars`).
    obstacles : dict of str to callable
        Name -> signed distance (world, mm); each scar's by its name.
    """
    for name, scar in scars.items():
        lo, hi = np.array(scar.bounds[::2]), np.array(scar.bounds[1::2])
        candidates = {root: np.flatnonzero(np.all((pts[root] > lo) & (pts[root] < hi), axis=1)) for root in ROOTS}
        if any(ids.size for ids in candidates.values()):
            _clear_of(pts, scalars, [obstacles[name]], candidates)


def _clear_of(pts: dict, scalars: dict, surfaces: list, candidates: dict[str, np.ndarray]) -> None:
    """The ``candidates`` (root -> vertex ids) that lie inside any of ``surfaces`` (closed
    meshes, or their signed distances) moved onto it, their compression read from how deep
    they were."""
    from meshes.geometry import SurfaceDistance

    for mesh in surfaces:
        surface = SurfaceDistance(mesh) if isinstance(mesh, pv.PolyData) else mesh
        for name, ids in candidates.items():
            if not ids.size:
                continue
            p = pts[name]
            todo = ids
            for _ in range(CLEAR_STEPS):  # (a curved surface may need a second step)
                # Most candidates are outside: the direction only for those inside.
                todo = todo[surface(p[todo]) < 0.0]
                if not todo.size:
                    break
                d, g = gradient(surface, p[todo], h=0.2)
                inside = d < 0.0
                if not inside.any():
                    break
                p = p.copy() if p is pts[name] else p
                p[todo[inside]] -= (d[inside] - 0.02)[:, None] * g[inside]
                flat = scalars[name]["compression"]
                flat[todo[inside]] = np.maximum(flat[todo[inside]], -d[inside])
                todo = todo[inside]
            pts[name] = p
