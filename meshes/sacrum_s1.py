"""The top of the sacrum (S1) as a labelled implicit solid.

Body with its promontory, the two alae, the superior articular processes that
receive L5's inferior processes, the fused laminae over the sacral canal, and the
first sacral foramina through which the S1 roots leave the canal. The piece is cut
off flat below the first foramina.

S1 frame: origin at the centre of the S1 superior endplate, +z along the endplate's
normal, +y anterior along the endplate, +x right (mm). Dimensions from dry-sacrum
morphometry (body width, endplate depth, sacral width) in :class:`Anatomy`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.body import BodyShape
from meshes.frames import S1_CUPPING
from meshes.implicit import Capsule, Solid, build

S1_REGIONS = (
    "body",
    "ala_left",
    "ala_right",
    "superior_articular_process_left",
    "superior_articular_process_right",
    "sacral_lamina",
)

SIDES = (("right", 1.0), ("left", -1.0))


@dataclass(frozen=True)
class S1Layout:
    """Key positions of S1 in its frame (mm)."""

    body: BodyShape
    body_centre_z: float
    canal_front: float
    canal_back: float
    canal_half_width: float
    cut_z: float
    rim_z: float
    scale: float

    @staticmethod
    def of(anatomy: Anatomy) -> S1Layout:
        s = anatomy.scale
        height = 28.0 * s
        body = BodyShape(
            width=anatomy.s1_body_width,
            depth=anatomy.s1_endplate_depth,
            height_anterior=height,
            height_posterior=height,
            waist=0.04,
            kidney=1.0,
            cupping=S1_CUPPING,
            rim=2.0,
        )
        front = -0.5 * anatomy.s1_endplate_depth - 0.5 * s
        return S1Layout(
            body=body,
            body_centre_z=-0.5 * height + body.cupping,
            canal_front=front,
            canal_back=front - 13.0 * s,
            canal_half_width=0.5 * anatomy.l5_canal_width * 0.95,
            cut_z=-height + 1.0 * s,
            rim_z=body.cupping,
            scale=s,
        )


def foramen_path(anatomy: Anatomy, sx: float) -> tuple[np.ndarray, np.ndarray]:
    """Entry (in the canal) and exit (on the pelvic surface) of a first sacral foramen."""
    lay = S1Layout.of(anatomy)
    s = lay.scale
    entry = np.array([sx * (lay.canal_half_width - 3.0 * s), lay.canal_front - 5.0 * s, -12.0 * s])
    exit_ = np.array([sx * (0.5 * anatomy.s1_body_width + 3.0 * s), lay.canal_front + 14.0 * s, -21.0 * s])
    return entry, exit_


def s1_solid(
    anatomy: Anatomy, facet_planes: dict | None = None, keep_clear: list | None = None
) -> tuple[Solid, S1Layout]:
    """Primitives of S1 in the S1 frame.

    ``facet_planes`` maps side to (point, normal) of the facet joint, normal pointing
    from the S1 superior articular process toward L5's inferior one; each process is
    trimmed to stay behind it. ``keep_clear`` lists (field, lo, hi) of neighbouring
    solids (L5's inferior processes, already grown by the joint gap) that S1 is
    hollowed around, as the sacrum's recesses receive the tips of those processes.
    """
    lay = S1Layout.of(anatomy)
    s = lay.scale
    solid = Solid()
    body = lay.body
    zc = lay.body_centre_z

    def body_field(p: np.ndarray) -> np.ndarray:
        return body(p - np.array([0.0, 0.0, zc]))

    lo, hi = body.bounds()
    solid.add_field("body", body_field, lo + [0, 0, zc], hi + [0, 0, zc], blend=0.0)
    half_span = 0.5 * anatomy.sacral_width
    back = lay.canal_front
    for side, sx in SIDES:
        # Ala: the broad wing lateral to the body, its top sloping down laterally.
        solid.add(
            f"ala_{side}",
            Capsule(
                (sx * 14.0 * s, -3.0 * s, -10.0 * s),
                (sx * (half_span - 11.0 * s), -9.0 * s, -15.0 * s),
                (30.0 * s, 26.0 * s),
                (17.0 * s, 22.0 * s),
                up=(0.0, 0.2, 1.0),
            ),
            blend=5.0 * s,
        )
        # Lateral mass beside the canal, joining the ala to the sacral roof.
        solid.add(
            f"ala_{side}",
            Capsule(
                (sx * (lay.canal_half_width + 7.0 * s), back + 2.0 * s, -14.0 * s),
                (sx * (lay.canal_half_width + 9.0 * s), lay.canal_back - 2.0 * s, -19.0 * s),
                (16.0 * s, 14.0 * s),
                (18.0 * s, 16.0 * s),
            ),
            blend=4.0 * s,
        )
        if facet_planes is not None:
            point, normal = facet_planes[side]
            # The process stands in front of and lateral to the joint, its top level
            # with the top of L5's inferior process.
            centre = np.asarray(point) - 4.5 * s * np.asarray(normal)
            base = (centre[0] + sx * 1.0 * s, centre[1] + 1.0 * s, -10.0 * s)
            tip = (centre[0], centre[1] - 2.0 * s, centre[2] + 1.5 * s)
        else:
            base = (sx * (lay.canal_half_width + 6.0 * s), back - 5.0 * s, -10.0 * s)
            tip = (sx * (lay.canal_half_width + 5.0 * s), back - 8.0 * s, 8.0 * s)
        sap = Capsule(base, tip, (15.0 * s, 11.0 * s), (12.0 * s, 9.0 * s), up=(sx, 1.0, 0.0))
        if facet_planes is not None:
            sap_field = _behind(sap, np.asarray(point), np.asarray(normal))
            lo_b, hi_b = sap.bounds()
            solid.add_field(f"superior_articular_process_{side}", sap_field, lo_b, hi_b, blend=3.0 * s)
        else:
            solid.add(f"superior_articular_process_{side}", sap, blend=3.0 * s)
    # Fused laminae and the median sacral crest roofing the canal.
    solid.add(
        "sacral_lamina",
        Capsule(
            (-(lay.canal_half_width + 8.0 * s), lay.canal_back - 2.5 * s, -19.0 * s),
            (lay.canal_half_width + 8.0 * s, lay.canal_back - 2.5 * s, -19.0 * s),
            (7.0 * s, 7.0 * s),
            (14.0 * s, 14.0 * s),
        ),
        blend=3.0 * s,
    )
    solid.add(
        "sacral_lamina",
        Capsule(
            (0.0, lay.canal_back - 4.0 * s, -9.0 * s),
            (0.0, lay.canal_back - 8.0 * s, -24.0 * s),
            (6.0 * s, 6.0 * s),
            (10.0 * s, 8.0 * s),
        ),
        blend=3.0 * s,
    )
    # Sacral canal: a flattened, triangular-ish tunnel behind the body.
    canal_mid = 0.5 * (lay.canal_front + lay.canal_back)
    canal = Capsule(
        (0.0, canal_mid, 20.0 * s),
        (0.0, canal_mid - 2.0 * s, -40.0 * s),
        (2 * lay.canal_half_width, 2 * lay.canal_half_width * 0.9),
        (lay.canal_front - lay.canal_back, lay.canal_front - lay.canal_back),
        up=(0.0, 1.0, 0.0),
    )
    lo_c, hi_c = canal.bounds()
    solid.cut(canal, lo_c, hi_c, blend=1.5 * s)
    for _, sx in SIDES:
        entry, exit_ = foramen_path(anatomy, sx)
        hole = Capsule(tuple(entry - (exit_ - entry) * 0.3), tuple(exit_ + (exit_ - entry) * 0.6),
                       (10.0 * s, 10.0 * s), (10.0 * s, 10.0 * s))
        lo_h, hi_h = hole.bounds()
        solid.cut(hole, lo_h, hi_h, blend=1.5 * s)
    for sdf, lo_k, hi_k in keep_clear or ():
        solid.cut(sdf, lo_k, hi_k, blend=1.0 * s)
    cut_z = lay.cut_z
    zc_body = lay.body_centre_z

    def trim(p: np.ndarray) -> np.ndarray:
        # Flat cut below the first foramina, and nothing of the blended processes may
        # rise above the endplate inside its rim, where the disc sits.
        local = p - np.array([0.0, 0.0, zc_body])
        above = body.endplate_z(local[:, 0], local[:, 1], True) - local[:, 2]
        footprint = (body.outline_radius(local[:, 0], local[:, 1]) - 1.08) * 0.5 * body.depth
        return np.maximum(cut_z - p[:, 2], -np.maximum(above, footprint))

    solid.clip = trim
    return solid, lay


def _behind(shape, point: np.ndarray, normal: np.ndarray):
    def field(p: np.ndarray) -> np.ndarray:
        return np.maximum(shape(p), (p - point) @ normal)

    return field


def build_s1(
    anatomy: Anatomy | None = None,
    facet_planes: dict | None = None,
    spacing: float = 1.0,
    keep_clear: list | None = None,
    sampled: dict | None = None,
) -> pv.PolyData:
    """The S1 surface in the S1 frame with a ``region`` cell array indexing :data:`S1_REGIONS`.

    With ``sampled`` (a dict), the solid's sampled field is kept in it under "solid".
    """
    anatomy = anatomy or Anatomy()
    solid, _ = s1_solid(anatomy, facet_planes, keep_clear)
    mesh = build(solid, spacing, sampled=sampled)
    names = solid.regions()
    order = np.array([S1_REGIONS.index(n) for n in names], dtype=np.int32)
    mesh.cell_data["region"] = order[mesh.cell_data["region"]]
    mesh.field_data.clear()
    return mesh
