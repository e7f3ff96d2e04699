"""The dural sac and the L5 and S1 nerve roots as closed tubes along anatomical paths.

- The dural sac runs down the canal behind the L5 body and the disc into the sacral
  canal, where it narrows and ends (at about S2). Its cross-section is an ellipse of
  ``dural_sac_area`` mm² (MRI series: 130–180 mm² at L5–S1).
- Each L5 root leaves the sac above the disc, runs down beside and then under the L5
  pedicle into the L5–S1 foramen, where its dorsal root ganglion swells
  (Silverstein 2015: about 6.5 mm wide), and exits forward and down over the ala.
- Each S1 root leaves the sac at the disc level, runs down over the back of the disc
  in the lateral recess, and enters the first sacral foramen.

Paths are given in the frame of the bone they follow and returned in the S1 frame.
Root diameters from Clin Anat 2018;31:782.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.fields import gradient
from meshes.frames import apply, placement
from meshes.l5_proportions import L5Layout
from meshes.sacrum_parts import in_front
from meshes.sacrum_s1 import S1Layout, foramen_path, sacral_canal_axis
from meshes.sdf_primitives import smoothstep
from meshes.tube import catmull_rom, sweep

ROOTS = ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right")
# The sac runs on out of the scene this far (mm) above L5's upper endplate, cut flat there.
SAC_ABOVE_L5 = 12.0
# How much narrower the sac's end is than its lumbar part (share of its radius).
SAC_TAPER = 0.65
# The sac's lateral semi-axis (mm) in the average adult's canal.
SAC_HALF_WIDTH = 9.0
# The S1 root's centre lies this share of the L5 canal's depth behind the S1 body, down the
# back of the disc: 5 mm in the average canal (15.6 mm deep).
S1_ROOT_DEPTH_SHARE = 5.0 / 15.6


def sac_path(anatomy: Anatomy) -> np.ndarray:
    """Control points of the dural sac's axis, from the top of the scene to its end at S2.

    The first three are laid out in L5's local frame (SAC_ABOVE_L5 mm, scaled, above L5's
    upper endplate, where the sac is cut; then down the L5 canal and behind the disc), the
    last three on the sacral canal's axis at 15, 50 and 85% of its length.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions; sets the canal's position and the overall scale.

    Returns
    -------
    (6, 3) ndarray
        The control points, top first, in S1's local frame (mm).
    """
    place = placement(anatomy)
    l5 = L5Layout.of(anatomy)
    s = anatomy.scale
    y_l5 = 0.5 * (l5.body_back + l5.lamina_front)
    top = 0.5 * anatomy.l5_body_height_posterior + SAC_ABOVE_L5 * s
    upper = apply(place.l5_to_s1, [[0.0, y_l5, top], [0.0, y_l5, 2.0 * s], [0.0, y_l5 + 0.5 * s, -12.0 * s]])
    # Down the sacral canal, on the axis of the canal cut into the sacrum (meshes.sacrum_s1).
    entry, end = sacral_canal_axis(anatomy)
    lower = np.array([entry + f * (end - entry) for f in (0.15, 0.5, 0.85)])
    return np.vstack([upper, lower])


def sac_semi_axes(anatomy: Anatomy) -> tuple[float, float]:
    """Semi-axes of the sac's elliptical cross-section, whose area is ``dural_sac_area``.

    Parameters
    ----------
    anatomy : Anatomy
        Gives ``dural_sac_area`` (mm²); the lateral semi-axis is SAC_HALF_WIDTH mm times its
        scale, or times the L5 canal's width over the average's where the canal is narrower
        still (a developmentally narrow canal holds a narrower sac).

    Returns
    -------
    tuple of float
        (lateral, anterior-posterior) semi-axes, mm.
    """
    a = SAC_HALF_WIDTH * min(anatomy.scale, anatomy.l5_canal_width / Anatomy.default("l5_canal_width"))
    return a, anatomy.dural_sac_area / (np.pi * a)


def build_dural_sac(anatomy: Anatomy) -> pv.PolyData:
    """The dural sac as a closed tube, cut flat at the top of the scene, rounded at its end.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions (the sac's area, the canal's course).

    Returns
    -------
    pyvista.PolyData
        The sac's surface in S1's local frame (mm), with the point arrays of
        :func:`meshes.tube.sweep`; from the S1 endplate's level to its end its radius
        narrows by SAC_TAPER.
    """
    control = sac_path(anatomy)
    path = catmull_rom(control, 80)
    a, b = sac_semi_axes(anatomy)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    # It narrows down the sacral canal, from the S1 endplate's level to its end.
    start = arc[int(np.argmin(np.abs(path[:, 2])))]
    length = arc[-1]

    def radius(s: np.ndarray) -> np.ndarray:
        """The sac's lateral semi-axis along its course.

        Parameters
        ----------
        s : ndarray
            Arc lengths along the path, mm from the cut top.

        Returns
        -------
        ndarray
            Lateral semi-axis (mm) at each; the AP one is ``b / a`` times it.
        """
        taper = smoothstep(start, length, s)
        return a * (1.0 - SAC_TAPER * taper)

    return sweep(path, radius, sides=48, flatten=b / a, up=(0.0, 1.0, 0.0), cut_start=True)


def l5_root_path(anatomy: Anatomy, sx: float) -> np.ndarray:
    """Control points of an L5 root, from the sac through the L5-S1 foramen over the ala.

    The first four are laid out in L5's local frame (leaving the sac above the pedicle,
    then under it into the foramen); the last three lie on the front of the sacral ala,
    clear of the bone by the root's radius and 2.5 mm.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions (pedicle size and position, root diameter).
    sx : float
        Side: +1 for the right root, -1 for the left.

    Returns
    -------
    (7, 3) ndarray
        The control points in S1's local frame (mm); the 4th sits in the foramen.
    """
    place = placement(anatomy)
    l5 = L5Layout.of(anatomy)
    s = anatomy.scale
    px = l5.pedicle_x
    pz = l5.pedicle_z
    ped_bottom = pz - 0.5 * anatomy.l5_pedicle_height
    back = l5.body_back
    in_l5 = np.array(
        [
            [4.0 * s, back - 8.0 * s, pz + 10.0 * s],
            [10.0 * s, back - 5.5 * s, pz - 1.0 * s],
            [px - 6.0 * s, back - 4.0 * s, ped_bottom - 4.5 * s],
            [px + 7.0 * s, back - 1.0 * s, ped_bottom - 4.5 * s],
        ]
    )
    in_l5[:, 0] *= sx
    proximal = apply(place.l5_to_s1, in_l5)
    # Out of the foramen it runs down and forward over the front of the sacral ala (as the
    # lumbosacral trunk), lying on the bone a little lateral to the S1 body.
    clear = 0.5 * anatomy.root_diameter_l5 + 2.5
    distal = np.array([in_front(anatomy, sx * x, t, clear) for x, t in ((36.0, 10.0), (35.0, 24.0), (33.0, 40.0))])
    return np.vstack([proximal, distal])


def s1_recess_reserve(anatomy: Anatomy) -> float:
    """How much of the average canal's room an S1 root has in its lateral recess.

    Parameters
    ----------
    anatomy : Anatomy
        Gives ``l5_canal_depth`` (mm).

    Returns
    -------
    float
        The canal's depth over the average adult's (Cook & Baker 2021: 15.6 mm), at most 1:
        a shallow canal (short pedicles) has a shallow lateral recess, an S1 root nearer the
        back of the disc and less fat round it; a deeper one than average gives it no more.
    """
    return min(1.0, anatomy.l5_canal_depth / Anatomy.default("l5_canal_depth"))


def s1_root_path(anatomy: Anatomy, sx: float) -> np.ndarray:
    """Control points of an S1 root, down the lateral recess into the first sacral foramen.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions (canal position, scale).
    sx : float
        Side: +1 for the right root, -1 for the left.

    Returns
    -------
    (6, 3) ndarray
        Three points down the back of the disc in the lateral recess, then the foramen's
        entry, its middle and a point just past its exit; S1's local frame, mm.
    """
    s1 = S1Layout.of(anatomy)
    s = anatomy.scale
    entry, exit_ = foramen_path(anatomy, sx)
    y = s1.canal_front - S1_ROOT_DEPTH_SHARE * anatomy.l5_canal_depth
    w = anatomy.l5_canal_width / Anatomy.default("l5_canal_width")
    points = np.array(
        [
            [sx * 4.0 * w, y - 1.0 * s, 9.0 * s],
            [sx * 8.5 * w, y, 3.0 * s],
            [sx * 10.0 * w, y, -4.0 * s],
            list(entry),
            list(0.5 * (entry + exit_)),
            list(exit_ + (exit_ - entry) * 0.15),
        ]
    )
    return points


FINISHING_PUSHES = 8


def relax(
    paths: list[np.ndarray],
    radii: list[np.ndarray],
    obstacle,
    margin: float | list[float],
    iterations: int = 40,
    tolerance: float = 0.25,
) -> list[np.ndarray]:
    """Push paths out of obstacles until each point clears them by ``radius + margin``.

    Points are moved along the obstacle's gradient; a light smoothing of the inner points
    keeps each path a smooth curve. All paths move together, so the field is evaluated
    once per iteration; up to FINISHING_PUSHES unsmoothed pushes follow.

    Parameters
    ----------
    paths : list of (n, 3) ndarray
        Centre lines, in the obstacle's frame (S1's local frame in :func:`build_roots`), mm.
    radii : list of (n,) ndarray
        Each path point's tube radius (mm), kept as the point moves.
    obstacle : callable
        ``(m, 3) points -> (m,)`` signed distance (mm, negative inside bone or disc).
    margin : float or list of float
        Extra clearance (mm) wanted beyond each radius: one for all paths, or one per path.
    iterations : int, default 40
        Most push-and-smooth rounds.
    tolerance : float, default 0.25
        Shortfall of clearance (mm) accepted when stopping.

    Returns
    -------
    list of (n, 3) ndarray
        The moved paths, same order, sizes and frame.
    """
    p = np.concatenate([np.asarray(q, float) for q in paths])
    radius = np.concatenate(radii)
    sizes = [len(q) for q in paths]
    margin = np.repeat(np.broadcast_to(np.asarray(margin, float), (len(paths),)), sizes)
    starts = np.cumsum([0] + sizes[:-1])
    interior = np.concatenate([np.arange(a + 1, a + n - 1) for a, n in zip(starts, sizes, strict=True)])
    for _ in range(iterations):
        d, grad = gradient(obstacle, p, h=0.2)
        deficit = radius + margin - d
        if deficit.max() <= tolerance:
            break
        p = p + np.clip(deficit, 0.0, None)[:, None] * grad * 0.7
        inner = p[interior]
        p[interior] = inner + 0.25 * (p[interior - 1] + p[interior + 1] - 2 * inner)
    # Where a path wraps round a convex bone (the L5 root over the sacral ala), the
    # smoothing pulls it back in as far as the push moves it out, and the two settle short
    # of the clearance. A few pushes without smoothing finish the job; they move those
    # points by well under a millimetre.
    for _ in range(FINISHING_PUSHES):
        d, grad = gradient(obstacle, p, h=0.2)
        deficit = radius + margin - tolerance - d
        if deficit.max() <= 0.0:
            break
        p = p + np.clip(deficit, 0.0, None)[:, None] * grad
    return np.split(p, np.cumsum(sizes)[:-1])


def _arc_length(path: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])


def root_course(anatomy: Anatomy, root: str):
    """Centre line, radius function and ganglion index of one root, before relaxing.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions (root diameters, ganglion width).
    root : str
        One of ROOTS, e.g. ``"root_L5_left"``.

    Returns
    -------
    path : (n, 3) ndarray
        Catmull-Rom samples of the root's control points (90 for L5, 80 for S1), S1's
        local frame, mm.
    radius : callable
        Arc length along ``path`` (mm) -> tube radius (mm); an L5 root swells to half
        the ganglion width at the foramen.
    ganglion : int or None
        Index in ``path`` of the dorsal root ganglion; None for an S1 root.
    """
    sx = 1.0 if root.endswith("right") else -1.0
    s = anatomy.scale
    if "_L5_" in root:
        control = l5_root_path(anatomy, sx)
        r0 = 0.5 * anatomy.root_diameter_l5
        ganglion = 0.5 * anatomy.ganglion_width_l5
        path = catmull_rom(control, 90)
        # The ganglion sits where the root passes the foramen (the 4th control point).
        k = int(np.argmin(np.linalg.norm(path - control[3], axis=1)))
        s_g = _arc_length(path)[k]

        def radius(a: np.ndarray) -> np.ndarray:
            bump = np.exp(-(((a - s_g) / (5.0 * s)) ** 2))
            return r0 + (ganglion - r0) * bump

        return path, radius, k
    r1 = 0.5 * anatomy.root_diameter_s1
    return catmull_rom(s1_root_path(anatomy, sx), 80), (lambda a: np.full_like(a, r1)), None


def _along(path: np.ndarray, values: np.ndarray):
    """``arc length -> value``: per-point ``values`` read along ``path`` by arc length."""
    arc = _arc_length(path)
    return lambda a: np.interp(a, arc, values)


def build_roots(anatomy: Anatomy, obstacle=None, margin: float = 1.1) -> dict[str, pv.PolyData]:
    """Every nerve root as a closed tube, optionally relaxed clear of bone and disc.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions.
    obstacle : callable, optional
        ``(m, 3) points -> (m,)`` signed distance to bone and disc in S1's local frame
        (mm, negative inside); when given, the paths are pushed clear of it (:func:`relax`).
    margin : float, default 1.1
        Clearance (mm) between each root's surface and the obstacle.

    Returns
    -------
    dict of str to pyvista.PolyData
        Root name (ROOTS) -> tube in S1's local frame (mm) with the point arrays of
        :func:`meshes.tube.sweep`; an L5 root also has field data ``ganglion_index``.
    """
    courses = {root: root_course(anatomy, root) for root in ROOTS}
    paths = [c[0] for c in courses.values()]
    # Each point keeps its radius as the path relaxes (the ganglion stays on its point).
    radii = [radius(_arc_length(path)) for path, radius, _ in courses.values()]
    if obstacle is not None:
        # The fat round an S1 root in its lateral recess thins as the canal is shallower.
        margins = [margin * (s1_recess_reserve(anatomy) if "_S1_" in root else 1.0) for root in courses]
        paths = relax(paths, radii, obstacle, margins)
    out = {}
    for (root, (_, _, k)), path, r in zip(courses.items(), paths, radii, strict=True):
        tube = sweep(path, _along(path, r), sides=24)
        if k is not None:
            tube.field_data["ganglion_index"] = np.array([k], dtype=np.int32)
        out[root] = tube
    return out

