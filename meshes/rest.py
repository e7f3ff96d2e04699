"""The shared records of posing: the prepared rest segment and a posed state.

:class:`Rest` holds everything :func:`meshes.preparation.prepare` works out once from the
rest segment (masks, distance grids, herniation targets, the osteophytes' full size) and
the caches that posing fills on first use; :class:`Posed` is one posed state. The small
records they are made of (:class:`Root`, :class:`Herniation`, :class:`Spurs`, ...) live here
too, so the modules that prepare and pose the segment import them from one place and never
from :mod:`meshes.pose`. All points are in the world frame: RAS (+x right, +y anterior,
+z superior), mm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pyvista as pv

from meshes.fields import GridField, gradient
from meshes.pars_scar import Defect
from meshes.s1_floor import S1Floor
from meshes.segment import Segment


@dataclass
class Root:
    """Ring structure of a swept root: ring of every vertex, rest centres and radii."""

    ring: np.ndarray
    centres: np.ndarray
    radii: np.ndarray
    tether: np.ndarray  # per ring, 0..1: how much it follows the L5 anterior column
    ganglion: int = -1  # an L5 root's ganglion ring (in the foramen)
    follow: np.ndarray | None = None  # per ring, 0..1: how much it follows the whole of L5's turn (posture)


@dataclass
class Herniation:
    """Where a herniation of one zone and side goes (world frame)."""

    n: np.ndarray  # outward direction in the endplate plane
    t: np.ndarray  # lateral tangent
    v: np.ndarray  # the endplate normal made square to n
    centre: np.ndarray  # on the rest disc margin, mid-height
    thickness: float  # annulus thickness there (margin to nucleus face)
    reach: float  # distance from the margin to the target's surface
    target: str


class Spurs(NamedTuple):
    """One bone's osteophytes: its rim vertices and the full-grown displacement (mm) of each."""

    ids: np.ndarray  # vertex ids on the bone's surface
    displacement: np.ndarray  # (len(ids), 3), world frame, mm, at full growth


class SpurDrape(NamedTuple):
    """The disc vertices that ride over one bone's spurs as they grow."""

    disc_ids: np.ndarray  # disc vertices within SPUR_DRAPE_MM of a spur vertex at rest
    spur_index: np.ndarray  # per disc vertex: the nearest spur vertex's index in Spurs.ids
    weight: np.ndarray  # per disc vertex, 0..1: how much of that spur's growth it takes


class BulgeOutward(NamedTuple):
    """A disc surface's degeneration bulge, per vertex (see :mod:`meshes.degeneration`)."""

    direction: np.ndarray  # outward in the endplate plane, shortened near the disc's axis
    room: np.ndarray  # mm to the nearest root or dural sac surface (the annulus's, for the nucleus)
    lateral: np.ndarray  # 0..1: how squarely it faces a foramen


class BulgeRim(NamedTuple):
    """The rest annulus's vertices (as a k-d tree) and each one's room (mm) to the nerves:
    the bulge as the disc's distance field reads it."""

    tree: object  # scipy.spatial.cKDTree of the rest annulus's vertices
    room: np.ndarray


@dataclass
class KnownValues:
    """Each rest field's values (and unit gradients) at fixed points, worked out once.

    A frame whose obstacle is still that rest field (not moved) reads them there instead
    of interpolating the grid again: the same numbers.
    """

    points: np.ndarray
    values: dict[str, np.ndarray]
    gradients: dict[str, np.ndarray] = field(default_factory=dict)

    @staticmethod
    def of(fields: dict[str, GridField], points: np.ndarray, gradients: bool = False) -> KnownValues:
        """Read every rest field at fixed points, once.

        Parameters
        ----------
        fields : dict of str to GridField
            Name to signed distance grid (mm, negative inside), world frame.
        points : (n, 3) ndarray
            Where to read them, world frame RAS (+x right, +y anterior, +z superior), mm.
        gradients : bool
            Also keep each field's unit gradient at the points.

        Returns
        -------
        KnownValues
            The points with each field's distances (mm) and, if asked, unit gradients.
        """
        values, grads = {}, {}
        for name, f in fields.items():
            if gradients:
                values[name], grads[name] = gradient(f, points)
            else:
                values[name] = f(points)
        return KnownValues(points, values, grads)

    def knows(self, name: str, f, fields: dict[str, GridField]) -> bool:
        """Whether a frame's obstacle is still the rest field, so its values here can be reused.

        Parameters
        ----------
        name : str
            The obstacle's name in the frame.
        f : callable
            The frame's distance function for it.
        fields : dict of str to GridField
            The rest fields (``Rest.fields``) the values were read from.

        Returns
        -------
        bool
            True when values were read for ``name`` and ``f`` is ``fields[name]`` itself.
        """
        return name in self.values and f is fields.get(name)


@dataclass
class HerniationCache:
    """What posing works out from the rest geometry the first time a herniation of a zone and
    side (or the dural sac's dent) needs it, and reads back on every later frame.

    :func:`meshes.preparation.prepare` leaves every entry empty; they are filled on first use
    by :mod:`meshes.herniation`, :mod:`meshes.herniation_shape` and :mod:`meshes.sac_dent`.
    Each entry depends only on the rest segment and the herniation's zone and side, never on
    a frame's amounts, so reading it back gives the same numbers as working it out again.
    Keys ``(zone, side)`` are a :class:`~meshes.pathology.Pathology`'s zone and side.
    """

    # (zone, side, disc surface) -> herniation_shape of that surface's rest vertices.
    surface_shapes: dict[tuple[str, str, str], dict[str, np.ndarray]] = field(default_factory=dict)
    # (zone, side, disc surface) -> (ids, shape): only the vertices the herniation moves (an
    # annulus "outer" or nucleus "face" weight that is not nil) and their shape weights.
    moving: dict[tuple[str, str, str], tuple[np.ndarray, dict[str, np.ndarray]]] = field(default_factory=dict)
    # (zone, side) -> herniation_shape at the herniation's centre (its axis).
    axis_shapes: dict[tuple[str, str], dict[str, np.ndarray]] = field(default_factory=dict)
    # (zone, side) -> the ring of the root a sequestered fragment sets off from.
    fragment_start: dict[tuple[str, str], int] = field(default_factory=dict)
    # (zone, side, "rings" or "sections") -> near_herniation of Rest.at_rings / at_sections
    # points while the disc is not sheared: (indices, offsets along n, along t, shapes).
    near: dict[tuple[str, str, str], tuple] = field(default_factory=dict)
    # (zone, side) -> how far the rest disc reaches in each of the sac dent's columns.
    disc_reach_at_rest: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    # (zone, side) -> (the reach of the disc vertices a herniation leaves where they are,
    # the ids of those it moves, per disc surface): for a disc that is not sheared.
    disc_reach_still: dict[tuple[str, str], tuple[np.ndarray, list[np.ndarray]]] = field(default_factory=dict)
    # (zone, side) -> the rest dural sac in the dent's columns: (local points, cell, in grid,
    # nearest and furthest wall per column).
    sac_columns_at_rest: dict[tuple[str, str], tuple] = field(default_factory=dict)
    # The dural sac's edges and each vertex's degree (for smoothing its dent), once.
    sac_edges: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(kw_only=True)
class Rest:
    """The rest segment prepared for posing (see :func:`meshes.preparation.prepare`).

    World frame: RAS (+x right, +y anterior, +z superior), mm. ``u`` and ``w`` are the S1
    endplate's axes (see :func:`meshes.frames.s1_axes`): ``u`` runs forward along it,
    ``w`` is its normal (up, toward L5).
    """

    segment: Segment
    points: dict[str, np.ndarray]  # each structure's rest vertices
    front: np.ndarray  # L5 points on the anterior column
    u: np.ndarray  # unit vector forward along the S1 endplate
    w: np.ndarray  # unit normal of the S1 endplate, toward L5
    depth: float  # S1 endplate depth (mm), posterior to anterior corner
    pivot: np.ndarray  # L5's posterior-inferior endplate corner at rest
    disc_height: dict[str, np.ndarray]  # per disc surface and vertex: 0 on S1's endplate, 1 on L5's
    fields: dict[str, GridField]  # the rest pieces' signed distances (mm, negative inside)
    roots: dict[str, Root]
    herniations: dict[tuple[str, str], Herniation]  # (zone, side) -> where it goes
    disc_centre: np.ndarray
    fragment: pv.PolyData  # a sequestered fragment's shape, radius 1
    disc_mm: float = 10.0  # mean rest disc height, square to the S1 endplate
    # Osteophytes: per bone, the rim vertices and the full-grown spur displacement of each.
    spurs: dict[str, Spurs] = field(default_factory=dict)
    # Filled on first use by posing: see HerniationCache.
    cache: HerniationCache = field(default_factory=HerniationCache)
    # Each surface's point and field arrays as plain arrays (reading them through VTK is slow).
    point_data: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    field_data: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # The rest fields where every frame asks about them while they stay put: at the rest
    # roots' ring centres and at the foramen's section points (see KnownValues).
    at_rings: KnownValues | None = None
    at_sections: KnownValues | None = None
    # The facet angles (side -> degrees) measured on the rest cartilage.
    facet_angles: dict[str, float] = field(default_factory=dict)
    # The degeneration bulge: per disc surface, outward directions, room to the nerves and
    # how squarely each vertex faces a foramen (see meshes.degeneration).
    bulge_out: dict[str, BulgeOutward] = field(default_factory=dict)
    # The annulus's vertices and their room, for the bulged disc's field.
    bulge_rim: BulgeRim | None = None
    # Per disc surface, its vertices near each endplate's bone (see off_the_endplates).
    disc_by_bone: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # The anterior column's vertices near S1's superior articular processes (see stumps_worn).
    over_processes: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # L5's arch vertices near S1 at rest: where extension impacts (meshes.posture.reached)
    arch_over_s1: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # ... and the anterior column's: how near its endplate comes to S1 as L5 bends
    column_over_s1: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # (slip, degeneration) -> L5's landmarks in full extension and full flexion, the latest few
    # (meshes.dynamics: the pair depends on neither the posture nor the herniation)
    bent_landmarks: dict = field(default_factory=dict)
    # Per disc surface and bone: the disc vertices that ride over that bone's spurs.
    spur_drape: dict[str, dict[str, SpurDrape]] = field(default_factory=dict)
    # The pars defects (side -> cut faces) and the scar's unit sphere.
    defects: dict[str, Defect] = field(default_factory=dict)
    scar_sphere: pv.PolyData | None = None
    # The height of S1's surface over its endplate line (see meshes.s1_floor).
    floor: S1Floor | None = None
    # The anterior column's vertex ids and their rest points (as apply takes them: float64).
    front_ids: np.ndarray = field(init=False)
    front_points: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.front_ids = np.flatnonzero(self.front)
        self.front_points = np.asarray(self.points["L5"][self.front_ids], float)


@dataclass
class Posed:
    """One posed state: every structure's vertices (world frame, mm, the rest topology)."""

    points: dict[str, np.ndarray]
    scalars: dict[str, dict[str, np.ndarray]]  # root -> "compression" (mm), "inflamed" (0..1)
    landmarks: dict[str, np.ndarray]
    root_gap: dict[str, float]  # each root's smallest gap (mm) before it yielded
    fragment: pv.PolyData | None = None
    obstacles: dict = field(default_factory=dict)  # name -> distance function (world, mm)
    degeneration: float = 0.0
    scars: dict[str, pv.PolyData] = field(default_factory=dict)  # "pars_scar_<side>" -> surface
