"""The sacrum as labelled implicit solids: S1 on top, the rest of the sacrum below it.

Both come from one solid: the swept sacrum of :mod:`meshes.sacrum` (fitted to a real
sacrum), the S1 endplate that carries the disc, the superior articular processes that
receive L5's inferior processes across the facet joints, and the sacral canal. A plane
below the first sacral foramina divides it into the ``S1`` structure (body with its
promontory, alae, superior articular processes, the first foramina, the lamina over the
canal) and the ``sacrum`` structure (S2 down to the apex: the lower foramina, the median
crest, the sacral hiatus).

S1 frame: origin at the centre of the S1 superior endplate, +z along the endplate's
normal, +y anterior along the endplate, +x right (mm). Dimensions from dry-sacrum
morphometry (body width, endplate depth, sacral width) in :class:`Anatomy`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.body import BodyShape
from meshes.contour import label_cells, orient_outward, surface
from meshes.frames import S1_CUPPING, apply, placement
from meshes.geometry import largest_piece
from meshes.implicit import Capsule, Solid, keep_sampled
from meshes.narrow_band import sample_band
from meshes.sacrum import from_vhm, part_labeller, sacrum_field, split_plane, through
from meshes.vertebra_l5 import L5Layout

S1_REGIONS = (
    "body",
    "ala_left",
    "ala_right",
    "superior_articular_process_left",
    "superior_articular_process_right",
    "sacral_lamina",
)
SACRUM_REGIONS = ("body", "lateral_mass_left", "lateral_mass_right", "sacral_lamina")
# The swept parts' names in each structure (see meshes.sacrum.PARTS).
S1_PARTS = ("body", "ala_right", "ala_left", "sacral_lamina")
SACRUM_PARTS = ("body", "lateral_mass_right", "lateral_mass_left", "sacral_lamina")

SIDES = (("right", 1.0), ("left", -1.0))
# The sacral canal's depth behind the S1 body (mm): room for the dural sac, which ends at S2.
CANAL_DEPTH = 12.0
# The S2-S4 foramina: (reference mm down the centre line, reference mm from the midline,
# diameter mm), where the fitted shape has the pits of their ventral openings.
LOWER_FORAMINA = ((71.0, 20.0, 7.5), (89.0, 20.0, 6.0), (104.0, 16.0, 4.5))
# Where the carved canal ends along the sacrum's centre line (reference mm from the S1
# endplate): the second sacral segment.
CANAL_END_T = 66.0
# Where its narrower tail reaches the sacral hiatus (reference mm).
CANAL_TAIL_T = 104.0
# The superior articular process: how far its axis lies in front of the joint plane and
# along the joint toward its front (mm).
SAP_DEPTH = 6.0
SAP_SHIFT = 6.5
# The top of its tip stays this far (mm) under L5's pedicle: room for the exiting L5 root
# and its ganglion, whose size does not follow the skeleton's.
SAP_BELOW_PEDICLE = 3.6
# The process's section (mm): widths along the joint and depths across it, base and tip.
SAP_WIDTH = (20.0, 14.0)
SAP_DEPTH_ACROSS = (15.0, 9.0)
# The S1 endplate as a slab: the disc sits on its cupped top; below it, the swept body.
ENDPLATE_SLAB = 9.0


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
            canal_back=front - CANAL_DEPTH * s,
            canal_half_width=0.5 * anatomy.l5_canal_width * 0.95,
            cut_z=-height + 1.0 * s,
            rim_z=body.cupping,
            scale=s,
        )


def foramen_path(anatomy: Anatomy, sx: float) -> tuple[np.ndarray, np.ndarray]:
    """Entry (in the canal's lateral recess) and exit (on the pelvic surface, in front of the
    ventral foramen) of a first sacral foramen, where the fitted sacrum has its opening."""
    return from_vhm(anatomy, sx * 14.0, 30.0, 21.0), from_vhm(anatomy, sx * 27.0, 41.0, -12.0)


def s1_solid(
    anatomy: Anatomy, facet_planes: dict | None = None, keep_clear: list | None = None,
    parts: tuple[str, ...] | None = None,
) -> tuple[Solid, S1Layout]:
    """Primitives of the whole sacrum in the S1 frame (S1 and the rest share them).

    ``parts`` names the swept parts (body, right and left lateral part, roof) for
    labelling: :data:`S1_PARTS` (the default) or :data:`SACRUM_PARTS`.

    ``facet_planes`` maps side to (point, normal) of the facet joint, normal pointing
    from the S1 superior articular process toward L5's inferior one; each process is
    trimmed to stay behind it. ``keep_clear`` lists (field, lo, hi) of neighbouring
    solids (L5's inferior processes, already grown by the joint gap) that S1 is
    hollowed around, as the sacrum's recesses receive the tips of those processes.
    """
    lay = S1Layout.of(anatomy)
    s = lay.scale
    solid = Solid()
    slab = dataclasses.replace(lay.body, height_anterior=ENDPLATE_SLAB * s, height_posterior=ENDPLATE_SLAB * s)
    zc = slab.cupping - 0.5 * slab.height_anterior

    def slab_field(p: np.ndarray) -> np.ndarray:
        return slab(p - np.array([0.0, 0.0, zc]))

    field, lo_s, hi_s = sacrum_field(anatomy)
    solid.add_parts(parts or S1_PARTS, field, part_labeller(anatomy), lo_s, hi_s, blend=0.0)
    lo, hi = slab.bounds()
    solid.add_field("body", slab_field, lo + [0, 0, zc], hi + [0, 0, zc], blend=4.0 * s)
    back = lay.canal_front
    for side, sx in SIDES:
        if facet_planes is not None:
            point, normal = facet_planes[side]
            # The process rises from the ala in front of and lateral to the joint, its
            # tip just under L5's pedicle: its front is the foramen's posterior wall.
            normal = np.asarray(normal)
            # Along the joint, toward its front (medial) end.
            forward = np.array([normal[1], -normal[0], 0.0])
            forward *= np.sign(forward[1])
            centre = np.asarray(point) - SAP_DEPTH * s * normal + SAP_SHIFT * s * forward
            base = (centre[0] + sx * 1.5 * s, centre[1] + 7.0 * s, -9.0 * s)
            top = _pedicle_floor(anatomy) - SAP_BELOW_PEDICLE - 0.5 * SAP_DEPTH_ACROSS[1] * s
            tip = (centre[0] - sx * 0.5 * s, centre[1] - 10.0 * s, top)
            up = tuple(normal)
        else:
            base = (sx * (lay.canal_half_width + 6.0 * s), back - 5.0 * s, -10.0 * s)
            tip = (sx * (lay.canal_half_width + 5.0 * s), back - 8.0 * s, 8.0 * s)
            up = (sx, 1.0, 0.0)
        sap = Capsule(base, tip, tuple(np.multiply(SAP_WIDTH, s)), tuple(np.multiply(SAP_DEPTH_ACROSS, s)), up=up)
        if facet_planes is not None:
            sap_field = _behind(sap, np.asarray(point), np.asarray(normal))
            lo_b, hi_b = sap.bounds()
            solid.add_field(f"superior_articular_process_{side}", sap_field, lo_b, hi_b, blend=3.0 * s)
        else:
            solid.add(f"superior_articular_process_{side}", sap, blend=3.0 * s)
    # The sacral canal behind the body, tapering to the dural sac's end at S2; the fitted
    # shape's canal is a slit there, too shallow for the sac.
    top, low = sacral_canal_axis(anatomy)
    canal = Capsule(tuple(top), tuple(low), (2 * lay.canal_half_width, 14.0 * s), (CANAL_DEPTH * s, 6.0 * s),
                    up=(0.0, 1.0, 0.0))
    lo_c, hi_c = canal.bounds()
    solid.cut(canal, lo_c, hi_c, blend=2.0 * s)
    # On down to the hiatus, narrower: the fitted shape closes its canal at S2-S3.
    tail = Capsule(tuple(low), tuple(from_vhm(anatomy, 0.0, CANAL_TAIL_T, 11.0)), (14.0 * s, 10.0 * s),
                   (6.0 * s, 5.0 * s), up=(0.0, 1.0, 0.0))
    lo_c, hi_c = tail.bounds()
    solid.cut(tail, lo_c, hi_c, blend=1.5 * s)
    for _, sx in SIDES:
        entry, exit_ = foramen_path(anatomy, sx)
        hole = Capsule(tuple(entry - (exit_ - entry) * 0.2), tuple(exit_ + (exit_ - entry) * 0.3),
                       (10.5 * s, 10.5 * s), (10.5 * s, 10.5 * s))
        lo_h, hi_h = hole.bounds()
        solid.cut(hole, lo_h, hi_h, blend=1.5 * s)
    # The lower sacral foramina, S2 to S4: each a passage from the pelvic surface through the
    # lateral mass to the back, where the fitted shape has only the pit of the ventral opening.
    for t, x, diameter in LOWER_FORAMINA:
        for _, sx in SIDES:
            front, back = through(anatomy, sx * x, t, 3.0)
            hole = Capsule(tuple(front), tuple(back), (diameter * s, diameter * s), (diameter * s, diameter * s))
            lo_h, hi_h = hole.bounds()
            solid.cut(hole, lo_h, hi_h, blend=1.0 * s)
    for sdf, lo_k, hi_k in keep_clear or ():
        solid.cut(sdf, lo_k, hi_k, blend=1.0 * s)
    body = lay.body
    zc_body = lay.body_centre_z

    def trim(p: np.ndarray) -> np.ndarray:
        # Nothing of the blended parts may rise above the endplate inside its rim, where
        # the disc sits.
        local = p - np.array([0.0, 0.0, zc_body])
        above = body.endplate_z(local[:, 0], local[:, 1], True) - local[:, 2]
        footprint = (body.outline_radius(local[:, 0], local[:, 1]) - 1.08) * 0.5 * body.depth
        return -np.maximum(above, footprint)

    solid.clip = trim
    return solid, lay


def sacral_canal_axis(anatomy: Anatomy) -> tuple[np.ndarray, np.ndarray]:
    """Top (behind the S1 endplate) and lower end (at S2, where the dural sac ends) of the
    sacral canal's axis, S1 frame."""
    lay = S1Layout.of(anatomy)
    top = np.array([0.0, lay.canal_front - 0.5 * CANAL_DEPTH * lay.scale, 6.0 * lay.scale])
    return top, from_vhm(anatomy, 0.0, CANAL_END_T, 21.5)


def _pedicle_floor(anatomy: Anatomy) -> float:
    """Height (S1 frame, mm) of the lower border of L5's pedicle, at the back of the body."""
    lay = L5Layout.of(anatomy)
    bottom = [lay.pedicle_x, lay.body_back, lay.pedicle_z - 0.5 * anatomy.l5_pedicle_height]
    return float(apply(placement(anatomy).l5_to_s1, [bottom])[0][2])


def _behind(shape, point: np.ndarray, normal: np.ndarray):
    def field(p: np.ndarray) -> np.ndarray:
        return np.maximum(shape(p), np.einsum("ij,j->i", p - point, normal))

    return field


def _cut(mesh: pv.PolyData, point: np.ndarray, normal: np.ndarray) -> pv.PolyData:
    """``mesh`` cut on the plane, keeping the side ``normal`` points to, the cut capped flat
    (the outline's loops triangulated, holes such as the canal left open)."""
    from vtkmodules.vtkFiltersGeneral import vtkContourTriangulator

    part = mesh.clip(normal=tuple(-normal), origin=tuple(point)).extract_surface(algorithm="dataset_surface")
    part = part.triangulate()
    rim = part.extract_feature_edges(boundary_edges=True, feature_edges=False, manifold_edges=False,
                                     non_manifold_edges=False)
    caps = vtkContourTriangulator()
    caps.SetInputData(rim)
    caps.Update()
    capped = pv.merge([part, pv.wrap(caps.GetOutput())]).clean(tolerance=1e-6)
    # The cap's triangles come wound either way: wind them all like the rest.
    return capped.compute_normals(consistent_normals=True, auto_orient_normals=True, split_vertices=False,
                                  cell_normals=False)


def _box(solid: Solid, anatomy: Anatomy) -> tuple[np.ndarray, np.ndarray]:
    """A sampling box that holds the whole sacrum and every process added to it."""
    _, lo, hi = sacrum_field(anatomy)
    los = [p.lo - p.blend - 3.0 for p in solid.primitives if not p.subtract]
    his = [p.hi + p.blend + 3.0 for p in solid.primitives if not p.subtract]
    return np.minimum(lo, np.min(los, axis=0)), np.maximum(hi, np.max(his, axis=0))


def build_s1_and_sacrum(
    anatomy: Anatomy | None = None,
    facet_planes: dict | None = None,
    spacing: float = 1.0,
    keep_clear: list | None = None,
    sampled: dict | None = None,
) -> dict[str, pv.PolyData]:
    """The ``S1`` and ``sacrum`` surfaces in the S1 frame, labelled by :data:`S1_REGIONS`
    and :data:`SACRUM_REGIONS`.

    The whole sacrum is sampled and polygonised once, then cut on the split plane and each
    side capped flat: the two pieces share their outline vertex for vertex, so the bone
    shows no seam where they meet. Each cap's faces are flagged in a ``cap`` cell array
    (the viewer leaves them out while both pieces are drawn). With ``sampled`` (a dict),
    the sampled field is kept in it under "solid".
    """
    anatomy = anatomy or Anatomy()
    solid, _ = s1_solid(anatomy, facet_planes, keep_clear)
    lo, hi = _box(solid, anatomy)
    # Snapped to whole coarse steps: the midline is then a grid plane, and the left and
    # right halves are sampled alike (as mirror images).
    coarse = 3 * spacing
    grid = sample_band(solid.evaluate, coarse * np.floor(lo / coarse), coarse * np.ceil(hi / coarse), spacing,
                       factor=3)
    if sampled is not None:
        sampled["solid"] = keep_sampled(grid, grid.point_data["sdf"])
    whole = largest_piece(surface(grid)).clean()
    point, normal = split_plane(anatomy)
    out = {}
    for name, side, parts, regions in (("S1", -normal, S1_PARTS, S1_REGIONS),
                                       ("sacrum", normal, SACRUM_PARTS, SACRUM_REGIONS)):
        mesh = _cut(whole, point, side)
        mesh.clear_data()
        labeller = solid if parts == S1_PARTS else s1_solid(anatomy, facet_planes, keep_clear, parts=parts)[0]
        label_cells(mesh, labeller)
        mesh = orient_outward(mesh)
        on_plane = np.abs((mesh.cell_centers().points - point) @ normal) < 1e-3
        flat = np.abs(mesh.cell_normals @ normal) > 0.999
        mesh.cell_data["cap"] = (on_plane & flat).astype(np.uint8)
        out[name] = _relabel(mesh, labeller, regions)
    return out


def _relabel(mesh: pv.PolyData, solid: Solid, regions: tuple[str, ...]) -> pv.PolyData:
    names = solid.regions()
    order = np.array([regions.index(n) if n in regions else 0 for n in names], dtype=np.int32)
    mesh.cell_data["region"] = order[mesh.cell_data["region"]]
    mesh.field_data.clear()
    return mesh
