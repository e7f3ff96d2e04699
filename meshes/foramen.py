"""The L5-S1 foramen measured on a parasagittal section, as on parasagittal CT.

In the plane through the middle of the L5 pedicle (Razzouk 2023, Gkasdaris 2018), spanned
by the S1 endplate's AP direction and its normal (:func:`section_window`), the opening is
the free region around the L5 root, bounded by bone and disc: a flood fill from where the
root crosses the section (:mod:`meshes.flood_fill`), with slits narrower than
:data:`SEAL_MM` sealed by capsule and ligament. Its height along the endplate normal
(pedicle to pedicle), its narrowest anterior-posterior width at disc level (disc to facet)
and its area are read off it (:class:`Foramen`). Either the surfaces' exact inside test
(:func:`foramen`, slow) or any signed distance (:func:`foramina_in`, the pose's fields)
says what is solid. World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pyvista as pv

from meshes.flood_fill import connected_region, grow_all_round
from meshes.frames import s1_axes
from meshes.geometry import inside

# What a section counts as solid: bone, disc and pars scar (the roots and the sac are not).
OBSTACLES = ("L5", "S1", "sacrum", "disc_annulus", "disc_nucleus", "pars_scar_left", "pars_scar_right")
# The foramen's section window: centred this far (mm) below the L5 pedicle's lower border,
# where the opening is, and reaching this far each way.
SECTION_DROP = 9.0
SECTION_REACH = 24.0
# Openings narrower than this (mm) are sealed by a joint capsule or ligament.
SEAL_MM = 2.0


@dataclass(frozen=True)
class Foramen:
    """The L5–S1 foramen in a parasagittal section through the middle of the L5 pedicle.

    ``height``: the opening's extent along the S1 endplate normal (pedicle to pedicle);
    ``width``: its narrowest anterior–posterior width at disc level (disc to facet: the
    middle half of the disc's posterior height);
    ``area`` in mm²; ``closed``: bone and disc surround it (False when it runs out of
    the section window, and then the area counts only the part inside it).
    """

    height: float
    width: float
    area: float
    closed: bool
    # The ends of the narrowest width: on the disc (front) and on the facet (back), world mm.
    front: np.ndarray = field(default_factory=lambda: np.full(3, np.nan))
    back: np.ndarray = field(default_factory=lambda: np.full(3, np.nan))


def foramen(
    structures: dict[str, pv.PolyData],
    marks: dict[str, np.ndarray],
    side: str,
    step: float = 0.5,
) -> Foramen:
    """The foramen on ``side``, measured on the surfaces' inside test (exact, slow).

    Parameters
    ----------
    structures : dict of str to pyvista.PolyData
        The (posed) surfaces, world frame RAS, mm; those of :data:`OBSTACLES` present are solid,
        and ``"root_L5_<side>"`` seeds the opening.
    marks : dict of str to ndarray
        The (posed) landmarks (world, mm).
    side : str
        ``"left"`` or ``"right"``.
    step : float, default 0.5
        The section's grid step (mm).

    Returns
    -------
    Foramen
        Height and width (mm), area (mm^2), whether closed, and the ends of the narrowest width.
    """
    return foramina_in(lambda pts: np.where(_inside_any(structures, pts), -1.0, 1.0), structures, marks,
                       (side,), step)[side]


def _inside_any(structures: dict[str, pv.PolyData], pts: np.ndarray) -> np.ndarray:
    solid = np.zeros(len(pts), dtype=bool)
    for name in OBSTACLES:
        if name not in structures:  # (a pars scar only with a slip)
            continue
        mesh = structures[name]
        lo = np.array(mesh.bounds[::2])
        hi = np.array(mesh.bounds[1::2])
        near = np.all((pts >= lo) & (pts <= hi), axis=1)
        if near.any():
            solid[near] |= inside(pts[near], mesh)
    return solid


def section_window(marks: dict[str, np.ndarray], side: str, step: float = 0.5):
    """The parasagittal section through the middle of ``side``'s L5 pedicle.

    Spanned by the S1 endplate's AP direction ``u`` and its normal ``w``; the window is centred
    :data:`SECTION_DROP` mm below the pedicle's lower border and reaches :data:`SECTION_REACH` mm
    each way.

    Parameters
    ----------
    marks : dict of str to ndarray
        The (posed) landmarks (world frame RAS, mm).
    side : str
        ``"left"`` or ``"right"``.
    step : float, default 0.5
        Grid step (mm).

    Returns
    -------
    origin : (3,) ndarray
        The window's centre (world, mm).
    u, w : (3,) ndarray
        Its axes (unit vectors).
    ticks : ndarray
        The grid's offsets (mm) from the centre along each axis.
    """
    u, w, _ = s1_axes(marks)
    origin = marks[f"L5_pedicle_inferior_{side}"] - SECTION_DROP * w
    n = int(round(SECTION_REACH / step))
    return origin, u, w, step * np.arange(-n, n + 1)


def foramina_in(
    distance_at,
    structures: dict,
    marks: dict[str, np.ndarray],
    sides: tuple[str, ...] = ("left", "right"),
    step: float = 0.5,
    coarse: int = 1,
    points: np.ndarray | None = None,
) -> dict[str, Foramen]:
    """Each side's :class:`Foramen`, with one call to ``distance_at(points)``.

    With ``coarse`` > 1 the distance is sampled every ``coarse`` steps and interpolated in
    between, which is exact enough for smooth signed distances. The opening is the free
    region, in the section, around the L5 root where it crosses the section (the ganglion's
    stretch): a flood fill from there.

    Parameters
    ----------
    distance_at : callable
        ``points (n, 3) -> (n,)``: negative in bone or disc (world frame RAS, mm).
    structures : dict
        The surfaces; only ``"root_L5_<side>"`` (its rings) is read.
    marks : dict of str to ndarray
        The (posed) landmarks (world, mm).
    sides : tuple of str, default ("left", "right")
        The sides to measure.
    step : float, default 0.5
        The section's grid step (mm).
    coarse : int, default 1
        Sample the distance every this many steps.
    points : ndarray, optional
        :func:`section_points` for the same arguments, when the caller has them.

    Returns
    -------
    dict of str to Foramen
        Per side: height and width (mm), area (mm^2), closed, and the ends of the narrowest
        width (world, mm).
    """
    planes = {side: section_window(marks, side, step) for side in sides}
    ticks = next(iter(planes.values()))[3]
    few = ticks[::coarse]
    if points is None:
        points = _grid_points(planes.values(), coarse)
    values = distance_at(points).reshape(len(sides), len(few), len(few))
    spread = _interpolation(len(ticks), step, coarse)
    u, w, _ = s1_axes(marks)
    solid, seeds, discs = [], [], []
    for side, v in zip(sides, values, strict=True):
        if coarse > 1:
            v = spread @ v @ spread.T
        solid.append(v < 0.0)
        origin = planes[side][0]
        seeds.append(_root_crossing(structures[f"root_L5_{side}"], origin, u, w))
        # The disc level: the middle half of the disc's posterior height, clear of the
        # corners where the endplates' rims close the opening's lower end.
        low, high = sorted((marks[k] - origin) @ w for k in ("S1_endplate_posterior", "L5_inferior_endplate_posterior"))
        quarter = 0.25 * (high - low)
        discs.append((low + quarter, high - quarter))
    out = {}
    for side, (f, (front, back)) in zip(sides, _openings(np.array(solid), ticks, seeds, discs), strict=True):
        origin = planes[side][0]
        out[side] = replace(f, front=origin + front[0] * u + front[1] * w, back=origin + back[0] * u + back[1] * w)
    return out


def section_points(marks: dict[str, np.ndarray], sides: tuple[str, ...] = ("left", "right"), step: float = 0.5,
                   coarse: int = 1) -> np.ndarray:
    """The points where :func:`foramina_in` asks for the distance.

    Parameters
    ----------
    marks : dict of str to ndarray
        The (posed) landmarks (world frame RAS, mm).
    sides : tuple of str, default ("left", "right")
        The sides, in order.
    step : float, default 0.5
        The section's grid step (mm).
    coarse : int, default 1
        Every this many steps.

    Returns
    -------
    (n, 3) ndarray
        Each side's section window (world, mm), every ``coarse`` steps, side after side.
    """
    return _grid_points([section_window(marks, side, step) for side in sides], coarse)


def _grid_points(planes, coarse: int) -> np.ndarray:
    out = []
    for origin, u, w, ticks in planes:
        few = ticks[::coarse]
        grid_u, grid_w = np.meshgrid(few, few, indexing="ij")
        out.append(origin + grid_u.ravel()[:, None] * u + grid_w.ravel()[:, None] * w)
    return np.vstack(out)


def _root_crossing(root, origin: np.ndarray, u: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(u, w) in the section of the L5 root's axis where it crosses the section's plane
    (the ganglion's ring when the axis does not cross it)."""
    k = int(root.field_data["ganglion_index"][0])
    ring = np.asarray(root.point_data["axis_index"])
    points = np.asarray(root.points)
    count = np.maximum(np.bincount(ring), 1)
    centres = np.column_stack([np.bincount(ring, points[:, i]) / count for i in range(3)])
    x = centres[:, 0] - origin[0]
    cross = np.flatnonzero(np.sign(x[:-1]) != np.sign(x[1:]))
    if cross.size:
        i = cross[np.argmin(np.abs(cross - k))]
        t = x[i] / (x[i] - x[i + 1])
        p = centres[i] + t * (centres[i + 1] - centres[i])
    else:
        p = centres[k]
    return float((p - origin) @ u), float((p - origin) @ w)


@lru_cache(maxsize=4)
def _interpolation(n_ticks: int, step: float, coarse: int) -> np.ndarray:
    """Matrix taking samples every ``coarse`` ticks of a section window (``n_ticks`` ticks
    ``step`` apart, see :func:`section_window`) to their linear interpolation at every tick."""
    ticks = step * np.arange(-(n_ticks // 2), n_ticks // 2 + 1)
    few = ticks[::coarse]
    out = np.stack([np.interp(ticks, few, unit) for unit in np.eye(len(few))], axis=1)
    out.flags.writeable = False  # shared by every call
    return out


def _openings(solid: np.ndarray, ticks: np.ndarray, seeds: list[tuple[float, float]],
              discs: list[tuple[float, float]]) -> list:
    """Of each (u, w) boolean section grid of the stack ``solid``, the free region connected
    to the free cell nearest its ``seeds`` entry: (:class:`Foramen`, the (u, w) ends of its
    narrowest width at its ``discs`` level) per section. The sections are worked on together
    (no cell reaches across them): each comes out as it would alone."""
    step = float(ticks[1] - ticks[0])
    free = ~solid
    shut = Foramen(0.0, 0.0, 0.0, True), (np.full(2, np.nan), np.full(2, np.nan))
    # A channel narrower than SEAL_MM (the facet joint's space, a slit between a process
    # and the sacrum) is sealed by capsule and ligament: it is not part of the opening.
    core = free.copy()
    for _ in range(int(round(0.5 * SEAL_MM / step))):
        core = ~grow_all_round(~core)
    core &= free
    out = [shut] * len(solid)
    open_, picks = [], []
    for k in range(len(solid)):
        if not free[k].any() or not core[k].any():
            continue
        iu, iw = np.nonzero(core[k])
        nearest = np.argmin((ticks[iu] - seeds[k][0]) ** 2 + (ticks[iw] - seeds[k][1]) ** 2)
        picks.append((len(open_), iu[nearest], iw[nearest]))
        open_.append(k)
    if not open_:
        return out
    region = connected_region(core[open_], picks)
    for _ in range(int(round(0.5 * SEAL_MM / step))):
        region = grow_all_round(region) & free[open_]
    for k, reg in zip(open_, region, strict=True):
        out[k] = _measured(reg, ticks, step, discs[k])
    return out


def _measured(region: np.ndarray, ticks: np.ndarray, step: float, disc: tuple[float, float]):
    """(:class:`Foramen`, the (u, w) ends of its narrowest width at ``disc`` level) of an opening."""
    closed = not (region[0].any() or region[-1].any() or region[:, 0].any() or region[:, -1].any())
    rows = np.flatnonzero(region.any(axis=0))
    height = (rows[-1] - rows[0] + 1) * step
    at_disc = np.flatnonzero((ticks >= disc[0]) & (ticks <= disc[1]) & region.any(axis=0))
    ends = (np.full(2, np.nan), np.full(2, np.nan))
    width = 0.0
    if at_disc.size:
        counts = region.sum(axis=0)[at_disc]
        row = at_disc[np.argmin(counts)]
        width = float(counts.min() * step)
        cols = np.flatnonzero(region[:, row])
        # Cell edges: from the front of the foremost free cell to the back of the hindmost.
        ends = (np.array([ticks[cols[-1]] + 0.5 * step, ticks[row]]),
                np.array([ticks[cols[0]] - 0.5 * step, ticks[row]]))
    return Foramen(float(height), width, float(region.sum() * step * step), bool(closed)), ends
