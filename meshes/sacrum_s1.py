"""The sacrum as labelled implicit solids: S1 on top, the rest of the sacrum below it.

Both come from one solid: the swept sacrum of :mod:`meshes.sacrum` (fitted to a real
sacrum), the S1 endplate that carries the disc, the superior articular processes that
receive L5's inferior processes across the facet joints, and the sacral canal. A plane
below the first sacral foramina divides it into the ``S1`` structure (body with its
promontory, alae, superior articular processes, the first foramina, the lamina over the
canal) and the ``sacrum`` structure (S2 down to the apex: the lower foramina, the median
crest, the sacral hiatus). Their surfaces are built in :mod:`meshes.sacrum_surfaces`.

S1 frame: origin at the centre of the S1 superior endplate, +z along the endplate's
normal, +y anterior along the endplate, +x right (mm). Dimensions from dry-sacrum
morphometry (body width, endplate depth, sacral width) in :class:`Anatomy`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from meshes.anatomy import Anatomy
from meshes.body import BodyShape
from meshes.frames import S1_CUPPING, apply, placement
from meshes.implicit import Solid
from meshes.l5_proportions import L5Layout
from meshes.sacrum import from_vhm, sacrum_field
from meshes.sacrum_parts import part_labeller, through
from meshes.sdf_primitives import Capsule

S1_REGIONS = (
    "body",
    "ala_left",
    "ala_right",
    "superior_articular_process_left",
    "superior_articular_process_right",
    "sacral_lamina",
)
SACRUM_REGIONS = ("body", "lateral_mass_left", "lateral_mass_right", "sacral_lamina")
# The swept parts' names in each structure (see meshes.sacrum_parts.PARTS).
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
    """Key positions of S1 in its frame (mm).

    Attributes
    ----------
    body : BodyShape
        S1's vertebral body, 28 mm tall times the scale, about its own centre.
    body_centre_z : float
        Height of the body's centre (S1 frame, mm): half its height below the rim.
    canal_front, canal_back : float
        y (S1 frame, mm) of the sacral canal's front wall, just behind the body, and of
        its back wall :data:`CANAL_DEPTH` (scaled) behind that.
    canal_half_width : float
        Half the canal's width (mm), 95% of L5's.
    cut_z : float
        Height (S1 frame, mm) 27 mm (scaled) below the endplate's centre.
    rim_z : float
        Height (S1 frame, mm) of the endplate's rim, the cupping's depth above its centre.
    scale : float
        The anatomy's overall scale.
    """

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
        """S1's layout for a patient, from the sacrum's morphometry.

        Parameters
        ----------
        anatomy : Anatomy
            Gives the S1 body's width and endplate depth, L5's canal width and the scale.

        Returns
        -------
        S1Layout
            The positions, S1 frame, mm.
        """
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
    """The path of a first sacral foramen, where the fitted sacrum has its opening.

    Parameters
    ----------
    anatomy : Anatomy
        The patient.
    sx : float
        The side: +1 right, -1 left.

    Returns
    -------
    entry : ndarray
        (3,) in the canal's lateral recess, S1 frame, mm.
    exit : ndarray
        (3,) on the pelvic surface, in front of the ventral foramen, S1 frame, mm.
    """
    return from_vhm(anatomy, sx * 14.0, 30.0, 21.0), from_vhm(anatomy, sx * 27.0, 41.0, -12.0)


def s1_solid(
    anatomy: Anatomy, facet_planes: dict | None = None, keep_clear: list | None = None,
    parts: tuple[str, ...] | None = None,
) -> tuple[Solid, S1Layout]:
    """Primitives of the whole sacrum in the S1 frame (S1 and the rest share them).

    Parameters
    ----------
    anatomy : Anatomy
        The patient.
    facet_planes : dict, optional
        Side ("right", "left") to (point, unit normal) of the facet joint, S1 frame, mm; the
        normal points from S1's superior articular process toward L5's inferior one, and
        each process is trimmed to stay behind its plane. Without it, the processes stand
        at a default place beside the canal, untrimmed.
    keep_clear : list, optional
        (field, lo, hi) of neighbouring solids in the S1 frame (L5's processes, already
        grown by the joint gap) that S1 is hollowed around, as the sacrum's recesses
        receive the tips of those processes.
    parts : tuple of str, optional
        Names for the swept parts (body, right and left lateral part, roof) in labelling:
        :data:`S1_PARTS` (the default) or :data:`SACRUM_PARTS`.

    Returns
    -------
    solid : Solid
        The sacrum, processes and endplate slab, with the canal and foramina cut and
        nothing above the endplate inside its rim; S1 frame, mm.
    layout : S1Layout
        S1's key positions.
    """
    lay = S1Layout.of(anatomy)
    s = lay.scale
    solid = Solid()
    slab = dataclasses.replace(lay.body, height_anterior=ENDPLATE_SLAB * s, height_posterior=ENDPLATE_SLAB * s)
    zc = slab.cupping - 0.5 * slab.height_anterior

    def slab_field(p: np.ndarray) -> np.ndarray:
        """The endplate slab's signed distance at ``p``, its top at the endplate.

        Parameters
        ----------
        p : ndarray
            (N, 3) points, S1 frame, mm.

        Returns
        -------
        ndarray
            (N,) mm, negative inside the slab.
        """
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
        """The region the solid is clipped to: everything but the space over the endplate.

        Parameters
        ----------
        p : ndarray
            Sample points (N, 3) in the S1 frame, mm.

        Returns
        -------
        ndarray
            (N,) negative where bone may be: below the cupped endplate, or outside 1.08
            times its outline.
        """
        # Nothing of the blended parts may rise above the endplate inside its rim, where
        # the disc sits.
        local = p - np.array([0.0, 0.0, zc_body])
        above = body.endplate_z(local[:, 0], local[:, 1], True) - local[:, 2]
        footprint = (body.outline_radius(local[:, 0], local[:, 1]) - 1.08) * 0.5 * body.depth
        return -np.maximum(above, footprint)

    solid.clip = trim
    return solid, lay


def sacral_canal_axis(anatomy: Anatomy) -> tuple[np.ndarray, np.ndarray]:
    """The two ends of the sacral canal's axis.

    Parameters
    ----------
    anatomy : Anatomy
        The patient.

    Returns
    -------
    top : ndarray
        (3,) mid-canal behind the S1 body, 6 mm (scaled) above the endplate's centre,
        S1 frame, mm.
    low : ndarray
        (3,) at S2, where the dural sac ends, S1 frame, mm.
    """
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
        """The superior articular process ``shape`` cut flat by the joint's plane.

        Parameters
        ----------
        p : ndarray
            (N, 3) points of the S1 frame (mm) near the process.

        Returns
        -------
        ndarray
            (N,) mm, negative only inside the shape and behind the plane.
        """
        return np.maximum(shape(p), np.einsum("ij,j->i", p - point, normal))

    return field
