"""The fifth lumbar vertebra (L5) as a labelled implicit solid.

The body, pedicles, transverse and superior articular processes form the anterior
column; the laminae, inferior articular processes and spinous process form the
posterior arch. The two meet at the pars interarticularis on each side, where the
surface is split by a flush cut so that an isthmic slip can open a real gap.

Local frame (``L5 frame``): origin at the centre of the body, +x right, +y anterior,
+z superior along the body's axis. Placement in the segment is done by
:mod:`meshes.segment`. Positions of the posterior elements are proportioned on the CT
mean L5 of Clouthier et al. 2023 and scaled by the morphometry in :class:`Anatomy`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.body import BodyShape
from meshes.implicit import Capsule, Solid
from meshes.split_shells import build_split

ANTERIOR_COLUMN = (
    "body",
    "pedicle_left",
    "pedicle_right",
    "transverse_process_left",
    "transverse_process_right",
    "superior_articular_process_left",
    "superior_articular_process_right",
)
POSTERIOR_ARCH = (
    "lamina_left",
    "lamina_right",
    "spinous_process",
    "inferior_articular_process_left",
    "inferior_articular_process_right",
)
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
RIM_HEIGHT_ALLOWANCE = 2.0
# Body-shape constants fitted on the CT mean L5 (tools/calibrate_l5.py), then rounded
# toward the textbook shape: a 4 mm posterior (kidney) notch, a flat back wall, an 8%
# waist and endplates cupped by 1 mm.
BODY_SHAPE = dict(kidney=4.0, exponent=1.8, posterior_flat=0.5, rim=1.5, cupping=1.0, waist=0.08)


@dataclass(frozen=True)
class L5Layout:
    """Key positions of the L5 in its local frame (mm), derived from :class:`Anatomy`."""

    body: BodyShape
    canal_half_width: float
    body_back: float
    lamina_front: float
    pedicle_x: float
    pedicle_z: float
    scale: float

    @staticmethod
    def of(anatomy: Anatomy) -> L5Layout:
        body = BodyShape(
            width=anatomy.l5_endplate_width,
            depth=anatomy.l5_endplate_depth,
            # Heights are measured at the rim corners, which the rounded rim pulls in.
            height_anterior=anatomy.l5_body_height_anterior + RIM_HEIGHT_ALLOWANCE,
            height_posterior=anatomy.l5_body_height_posterior + RIM_HEIGHT_ALLOWANCE,
            **BODY_SHAPE,
        )
        back = -0.5 * anatomy.l5_endplate_depth
        half_w = 0.5 * anatomy.l5_canal_width
        return L5Layout(
            body=body,
            canal_half_width=half_w,
            body_back=back,
            lamina_front=back - anatomy.l5_canal_depth,
            pedicle_x=half_w + 0.5 * anatomy.l5_pedicle_width,
            pedicle_z=0.25 * anatomy.l5_body_height_posterior - 2.5,
            scale=anatomy.scale,
        )


# Shape constants of the posterior elements, calibrated on the CT mean L5 of Clouthier
# et al. 2023 (see tools/calibrate_l5.py). Each bar runs from anchor + offset to
# anchor + offset; offsets are mm for a default-sized adult and scale with the
# patient. Anchors: "P" the back of the pedicle root (lateral), "L" the lamina in the
# midline, "T" the transverse process tip. x offsets point laterally on either side.
# Columns: region, group (front = anterior column, back = posterior arch),
# anchor a, offset a, anchor b, offset b, widths, heights, up, blend.
# The spinous and transverse processes are shaped by hand on the CT mean's sections and
# kept out of the fit (tools/calibrate_l5.py --regions): the spinous process a plate about
# 7-9 mm thick whose free end is a broad vertical border (a second, upright bar), short
# and quadrangular from the side; each transverse process a cone, tall where it springs
# from the pedicle and body and narrowing to a blunt tip. The fit alone had made the
# first a thin rod and the second an even bar.
ARCH = [
    ("transverse_process", "front", "P", (3.4, 4.6, -1.2), "T", (1.0, -10.6, -1.2),
     (24.7, 9.5), (15.7, 12.5), (0.0, 0.0, 1.0), 3.0),
    ("superior_articular_process", "front", "P", (3.7, -9.2, -1.4), "P", (-1.9, -4.8, 11.5),
     (8.0, 7.9), (17.0, 17.6), (-1.0, 1.0, 0.0), 2.5),
    ("superior_articular_process", "front", "P", (4.0, -13.7, 2.4), "P", (3.9, -13.3, 13.3),
     (8.3, 4.8), (10.3, 3.4), (0.0, 0.0, 1.0), 2.0),
    ("pars", "front", "P", (3.2, -6.0, 5.8), "P", (-0.9, -6.8, -8.4),
     (14.8, 6.2), (5.0, 7.0), (0.0, 0.0, 1.0), 2.5),
    ("pars", "back", "P", (1.2, -10.1, -12.6), "P", (0.8, -9.8, -12.6),
     (3.7, 4.8), (2.0, 9.1), (0.0, 0.0, 1.0), 2.5),
    ("inferior_articular_process", "back", "P", (-1.0, -11.9, -24.0), "P", (1.3, -12.8, -13.5),
     (8.6, 10.2), (12.0, 7.4), (0.0, 0.0, 1.0), 2.5),
    ("lamina", "back", "P", (-7.9, -1.5, -3.9), "P", (-3.8, -9.5, -18.3),
     (7.6, 11.1), (18.0, 15.5), (1.0, 1.0, 0.0), 2.5),
    ("lamina", "back", "P", (-19.7, -14.9, -5.5), "L", (-11.4, -6.7, -17.8),
     (5.9, 6.7), (9.1, 7.1), (0.0, 0.0, 1.0), 4.0),
    ("lamina", "back", "P", (-3.3, -3.0, -7.4), "L", (6.9, -1.0, -7.7),
     (6.5, 4.5), (43.1, 14.3), (0.0, 0.3, 1.0), 3.0),
    ("spinous_process", "back", "L", (0.0, -2.0, -7.2), "L", (0.0, -25.0, -19.0),
     (9.0, 7.0), (13.3, 16.0), (0.0, 0.4, 1.0), 4.0),
    ("spinous_process", "back", "L", (0.0, -25.5, -13.5), "L", (0.0, -26.5, -23.5),
     (7.0, 7.0), (7.0, 7.0), (0.0, 1.0, 0.0), 3.0),
]


# The arch's parts that the facet joint's plane trims: L5's inferior articular process,
# whose flat articular face it makes, and the lamina that runs into it, which would
# otherwise bulge across the joint and bend the joint line.
JOINT_TRIMMED = ("inferior_articular_process", "lamina", "pars")


def trimmed(shape, point, normal):
    """``shape`` cut flat by a plane, keeping the side ``normal`` points away from."""
    point = np.asarray(point, float)
    normal = np.asarray(normal, float)

    def field(p: np.ndarray) -> np.ndarray:
        return np.maximum(shape(p), np.einsum("ij,j->i", p - point, normal))

    return field


def iap_axis(anatomy: Anatomy, sx: float, arch_table: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Upper and lower ends of the inferior articular process's bar in the L5 frame (``sx`` = +1 right)."""
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
    """Primitives of the L5 in its local frame: (anterior column, posterior arch, layout).

    Each pars is made of two halves, the upper one belonging to the anterior column.
    ``arch_table`` and ``body`` override the calibrated shape constants (for calibration).
    ``facet_planes`` maps side to (point, normal) in the L5 frame; each inferior
    articular process is trimmed to the side of its plane the normal points away from.
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

    ``release`` is the direction (L5 frame) the anterior column slips in; the cut is
    shaped so that moving that way opens it everywhere (see ``implicit.released``);
    ``blocker`` (field, lo, hi in the L5 frame: S1's superior articular processes) is
    what the column must also slide past, so the part of each pars hooked behind it
    stays with the arch.

    Returns a PolyData with a ``region`` cell array indexing :data:`L5_REGIONS` and a
    ``column`` cell array: 1 on the anterior column, 0 on the posterior arch. With ``sampled``
    (a dict), the column's and the arch's sampled fields are kept in it ("front", "back").
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
