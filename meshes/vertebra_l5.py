"""The fifth lumbar vertebra (L5) as a labelled implicit solid.

The body, pedicles, transverse and superior articular processes form the anterior
column; the laminae, inferior articular processes and spinous process form the
posterior arch. The two meet at the pars interarticularis on each side, where the
surface is split by a flush cut so that an isthmic slip can open a real gap.

Local frame (``L5 frame``): origin at the centre of the body, +x right, +y anterior,
+z superior along the body's axis. Placement in the segment is done by
:mod:`meshes.segment`. Positions of the posterior elements are proportioned on the CT
mean L5 of Clouthier et al. 2023 and scaled by the morphometry in :class:`Anatomy`
(:mod:`meshes.l5_proportions`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.body import BodyShape
from meshes.implicit import Solid
from meshes.l5_proportions import ARCH, L5Layout
from meshes.sdf_primitives import Capsule
from meshes.split_shells import build_split

L5_REGIONS = (
    "body",
    "pedicle_left",
    "pedicle_right",
    "lamina_left",
    "lamina_right",
    "spinous_process",
    "transverse_process_left",
    "transverse_process_right",
    "superior_articular_process_left",
    "superior_articular_process_right",
    "inferior_articular_process_left",
    "inferior_articular_process_right",
    "pars_left",
    "pars_right",
)

SIDES = (("right", 1.0), ("left", -1.0))

# The arch's parts that the facet joint's plane trims: L5's inferior articular process,
# whose flat articular face it makes, and the lamina that runs into it, which would
# otherwise bulge across the joint and bend the joint line.
JOINT_TRIMMED = ("inferior_articular_process", "lamina", "pars")


def trimmed(shape, point, normal):
    """``shape`` cut flat by a plane, keeping the side ``normal`` points away from.

    Parameters
    ----------
    shape : callable
        A signed distance field of (N, 3) points.
    point : array_like
        (3,) a point of the plane, in ``shape``'s frame (mm).
    normal : array_like
        (3,) the plane's unit normal, pointing out of the kept side.

    Returns
    -------
    callable
        The trimmed field: the larger of ``shape`` and the distance in front of the plane.
    """
    point = np.asarray(point, float)
    normal = np.asarray(normal, float)

    def field(p: np.ndarray) -> np.ndarray:
        """The trimmed shape's signed distance at points ``p``.

        Parameters
        ----------
        p : ndarray
            (N, 3) points in ``shape``'s frame, mm.

        Returns
        -------
        ndarray
            (N,) mm, negative inside what is kept.
        """
        return np.maximum(shape(p), np.einsum("ij,j->i", p - point, normal))

    return field


def iap_axis(anatomy: Anatomy, sx: float, arch_table: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Upper and lower ends of the inferior articular process's bar.

    Parameters
    ----------
    anatomy : Anatomy
        Its L5 morphometry and scale.
    sx : float
        Which process: +1 the right one, -1 the left.
    arch_table : list, optional
        Rows in the form of :data:`~meshes.l5_proportions.ARCH` (the default); its first
        "inferior_articular_process" row is used.

    Returns
    -------
    top, bottom : ndarray
        (3,) the bar's higher and lower end, L5 frame, mm.
    """
    lay = L5Layout.of(anatomy)
    tp_tip_x = 0.5 * anatomy.l5_transverse_span - 4.0 * lay.scale
    for region, _g, an_a, off_a, an_b, off_b, *_rest in arch_table or ARCH:
        if region == "inferior_articular_process":
            a = _anchor(an_a, lay, tp_tip_x) + lay.scale * np.asarray(off_a, float)
            b = _anchor(an_b, lay, tp_tip_x) + lay.scale * np.asarray(off_b, float)
            flip = np.array([sx, 1.0, 1.0])
            top, bottom = (a, b) if a[2] >= b[2] else (b, a)
            return top * flip, bottom * flip
    raise KeyError("inferior_articular_process")


def _anchor(name: str, lay: L5Layout, tp_tip_x: float) -> np.ndarray:
    return {
        "P": np.array([lay.pedicle_x, lay.body_back - 9.0 * lay.scale, lay.pedicle_z]),
        "L": np.array([0.0, lay.lamina_front - 1.5 * lay.scale, lay.pedicle_z]),
        "T": np.array([tp_tip_x, lay.body_back, lay.pedicle_z]),
    }[name]


def l5_solids(
    anatomy: Anatomy,
    arch_table: list | None = None,
    body: BodyShape | None = None,
    facet_planes: dict | None = None,
) -> tuple[Solid, Solid, L5Layout]:
    """Primitives of the L5 in its local frame, split between its anterior column and posterior arch.

    Each pars is made of two halves, the upper one belonging to the anterior column.

    Parameters
    ----------
    anatomy : Anatomy
        The patient.
    arch_table : list, optional
        Rows replacing :data:`~meshes.l5_proportions.ARCH` (for calibration).
    body : BodyShape, optional
        Replaces the layout's body (for calibration).
    facet_planes : dict, optional
        Side to (point, unit normal) of the facet joint at L5's articular face, L5 frame,
        mm; the inferior articular process, lamina and lower pars of that side are
        trimmed to the side the normal points away from.

    Returns
    -------
    column : Solid
        Body, pedicles, transverse and superior articular processes, upper pars halves.
    arch : Solid
        Laminae, spinous process, inferior articular processes, lower pars halves.
    layout : L5Layout
        The positions used (with ``body`` if given).
    """
    lay = L5Layout.of(anatomy)
    if body is not None:
        lay = dataclasses.replace(lay, body=body)
    s = lay.scale
    groups = {"front": Solid(), "back": Solid()}
    lo, hi = lay.body.bounds()
    groups["front"].add_field("body", lay.body, lo, hi, blend=0.0)
    back = lay.body_back
    pz = lay.pedicle_z
    px = lay.pedicle_x
    tp_tip_x = 0.5 * anatomy.l5_transverse_span - 4.0 * s
    for side, sx in SIDES:
        # Pedicle: from the upper posterolateral body straight back to the arch.
        groups["front"].add(
            f"pedicle_{side}",
            Capsule(
                (sx * (px - 2.0 * s), back + 8.0 * s, pz),
                (sx * px, back - 9.0 * s, pz),
                (anatomy.l5_pedicle_width, anatomy.l5_pedicle_width * 0.9),
                (anatomy.l5_pedicle_height, anatomy.l5_pedicle_height),
            ),
            blend=3.0 * s,
        )
    mirror = np.array([1.0, 0.0, 0.0])
    for region, group, an_a, off_a, an_b, off_b, widths, heights, up, blend in arch_table or ARCH:
        midline = region == "spinous_process"
        for side, sx in (("", 1.0),) if midline else SIDES:
            ends = []
            for anchor, off in ((an_a, off_a), (an_b, off_b)):
                p = _anchor(anchor, lay, tp_tip_x) + s * np.asarray(off, float)
                if midline:
                    p[0] = 0.0
                ends.append(tuple(p * np.array([sx, 1.0, 1.0])))
            up_v = np.asarray(up, float) * (1 + (sx - 1) * mirror)
            name = f"{region}_{side}" if side else region
            bar = Capsule(ends[0], ends[1], tuple(s * w for w in widths), tuple(s * h for h in heights),
                          up=tuple(up_v))
            if facet_planes is not None and region in JOINT_TRIMMED and group == "back":
                point, normal = facet_planes[side]
                lo_b, hi_b = bar.bounds()
                groups[group].add_field(name, trimmed(bar, point, normal), lo_b, hi_b, blend=blend * s)
            else:
                groups[group].add(name, bar, blend=blend * s)
    return groups["front"], groups["back"], lay


def build_l5(
    anatomy: Anatomy | None = None,
    spacing: float = 1.0,
    arch_table: list | None = None,
    body: BodyShape | None = None,
    facet_planes: dict | None = None,
    release=None,
    sampled: dict | None = None,
    blocker=None,
) -> pv.PolyData:
    """The L5 surface in its local frame, split flush at both pars (two closed shells).

    Parameters
    ----------
    anatomy : Anatomy, optional
        The patient (default: the average adult, ``Anatomy()``).
    spacing : float
        The sampling grid's step (mm).
    arch_table : list, optional
        Rows replacing :data:`~meshes.l5_proportions.ARCH` (for calibration).
    body : BodyShape, optional
        Replaces the layout's body (for calibration).
    facet_planes : dict, optional
        The facet joints at L5's articular faces, L5 frame (see :func:`l5_solids`).
    release : ndarray, optional
        (3,) the direction (L5 frame) the anterior column slips in; the cut is shaped so
        that moving that way opens it everywhere (see
        :func:`meshes.split_shells.released`).
    sampled : dict, optional
        If given, receives the column's and the arch's sampled fields ("front", "back").
    blocker : tuple, optional
        (field, lo, hi) in the L5 frame, S1's superior articular processes: what the
        column must also slide past, so the part of each pars hooked behind them stays
        with the arch.

    Returns
    -------
    pyvista.PolyData
        L5 frame, mm; a ``region`` cell array indexing :data:`L5_REGIONS` and a
        ``column`` cell array, 1 on the anterior column and 0 on the posterior arch.
    """
    anatomy = anatomy or Anatomy()
    column, arch, _ = l5_solids(anatomy, arch_table, body, facet_planes)
    front, back = build_split(column, arch, spacing, join=2.5 * anatomy.scale, release=release,
        fixed=("body", "pedicle", "transverse_process", "superior_articular_process"), sampled=sampled,
        blocker=blocker,
    )
    front.cell_data["column"] = np.ones(front.n_cells, dtype=np.int8)
    back.cell_data["column"] = np.zeros(back.n_cells, dtype=np.int8)
    names = Solid(column.primitives + arch.primitives).regions()
    order = np.array([L5_REGIONS.index(n) for n in names], dtype=np.int32)
    mesh = pv.merge([front, back], merge_points=False)
    mesh.cell_data["region"] = order[mesh.cell_data["region"]]
    mesh.field_data.clear()
    return mesh
