"""The L5–S1 intervertebral disc: annulus fibrosus ring around the nucleus pulposus.

The disc fills the wedge between the S1 superior endplate and the L5 inferior
endplate, following both concave endplates so it touches them without overlap. Its
outline runs from S1's outline at the bottom to L5's at the top and bulges slightly
past the rims. The nucleus is a smaller, slightly posterior copy of the outline whose
cross-section is ``nucleus_fraction`` of the disc's (Cheng 2024: about 40%).

Built in the S1 frame (see :mod:`meshes.frames`). Heights from Onishi 2019.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

from meshes.anatomy import Anatomy
from meshes.frames import apply, placement
from meshes.implicit import Solid
from meshes.l5_proportions import L5Layout
from meshes.sacrum_s1 import S1Layout
from meshes.sdf_primitives import last_answer
from meshes.split_shells import build_split

ENDPLATE_GAP = 0.15


def disc_solids(anatomy: Anatomy) -> tuple[Solid, Solid]:
    """Implicit solids of the annulus and the nucleus; the disc is their union.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions (endplate widths and depths, disc heights,
        ``nucleus_fraction``).

    Returns
    -------
    annulus : Solid
        The whole disc less the nucleus, in S1's local frame (mm).
    nucleus : Solid
        The nucleus: the outline shrunk to ``nucleus_fraction`` of its area and shifted
        back by 8% of the S1 depth; same frame.
    """
    place = placement(anatomy)
    to_l5 = place.s1_to_l5
    l5_body = L5Layout.of(anatomy).body
    s1 = S1Layout.of(anatomy)
    s1_body = s1.body
    top_centre = apply(place.l5_to_s1, [[0.0, 0.0, -l5_body.half_height(np.zeros(1))[0]]])[0]
    height = top_centre[2]
    bulge = 1.0 * anatomy.scale

    @last_answer
    def vertical(p: np.ndarray) -> np.ndarray:
        """Signed distance-like (mm) to the slab between L5's lower and S1's upper endplate.

        Parameters
        ----------
        p : (n, 3) ndarray
            Points in S1's local frame (mm), taken into L5's frame for its endplate.

        Returns
        -------
        (n,) ndarray
            Negative between the endplates, each kept ENDPLATE_GAP mm away.
        """
        q = apply(to_l5, p)
        below_l5 = q[:, 2] - l5_body.endplate_z(q[:, 0], q[:, 1], superior=False) + ENDPLATE_GAP
        s1_top = s1_body.endplate_z(p[:, 0], p[:, 1], superior=True) + s1.body_centre_z
        above_s1 = s1_top - p[:, 2] + ENDPLATE_GAP
        return np.maximum(below_l5, above_s1)

    def outline(p: np.ndarray, shrink: float, shift: float) -> np.ndarray:
        """Approximate distance (mm) to the disc's superellipse outline at each height.

        Parameters
        ----------
        p : (n, 3) ndarray
            Points in S1's local frame (mm); their z sets the blend of S1's and L5's outline.
        shrink : float
            Scale of the outline (1 for the disc, below 1 for the nucleus).
        shift : float
            Shift of the outline along +y (anterior), mm.

        Returns
        -------
        (n,) ndarray
            Negative inside the outline, which runs from S1's at z = 0 to L5's at the top
            and bulges at mid-height.
        """
        t = np.clip(p[:, 2] / height, 0.0, 1.0)
        width = (1 - t) * anatomy.s1_body_width + t * anatomy.l5_endplate_width
        depth = (1 - t) * anatomy.s1_endplate_depth + t * anatomy.l5_endplate_depth
        # Bulge: widest at mid-height, like a loaded disc.
        grow = 2.0 * bulge * (1.0 - (2.0 * t - 1.0) ** 2)
        a = 0.5 * width * shrink + grow * shrink
        b = 0.5 * depth * shrink + grow * shrink
        x = p[:, 0]
        y = p[:, 1] - shift - t * top_centre[1]
        n = 2.4
        rho = (np.abs(x / a) ** n + np.abs(y / b) ** n) ** (1.0 / n)
        return (rho - 1.0) * np.minimum(a, b)

    shrink = float(np.sqrt(anatomy.nucleus_fraction))
    shift = -0.08 * anatomy.s1_endplate_depth

    def nucleus_field(p: np.ndarray) -> np.ndarray:
        """Field of the nucleus: its shrunken outline cut by the endplates.

        Parameters
        ----------
        p : (n, 3) ndarray
            Sample points, S1's local frame (mm).

        Returns
        -------
        (n,) ndarray
            Approximate signed distance (mm), negative inside the nucleus.
        """
        return np.maximum(outline(p, shrink, shift), vertical(p))

    def annulus_field(p: np.ndarray) -> np.ndarray:
        """Field of the annulus: the whole disc less the nucleus.

        Parameters
        ----------
        p : (n, 3) ndarray
            Where the field is read, in S1's local frame (mm).

        Returns
        -------
        (n,) ndarray
            Negative inside the disc's outline and between the endplates but outside the
            nucleus.
        """
        between = vertical(p)
        return np.maximum(np.maximum(outline(p, 1.0, 0.0), between), -np.maximum(outline(p, shrink, shift), between))

    half = 0.5 * max(anatomy.l5_endplate_width, anatomy.s1_body_width) + 3 * bulge + 2
    depth = 0.5 * max(anatomy.l5_endplate_depth, anatomy.s1_endplate_depth) + 3 * bulge + 2
    lo = np.array([-half, -depth, -4.0])
    hi = np.array([half, depth, height + anatomy.disc_height_anterior])
    annulus = Solid()
    annulus.add_field("annulus", annulus_field, lo, hi, blend=0.0)
    nucleus = Solid()
    nucleus.add_field("nucleus", nucleus_field, lo, hi, blend=0.0)
    return annulus, nucleus


def build_disc(anatomy: Anatomy | None = None, spacing: float = 0.8) -> tuple[pv.PolyData, pv.PolyData]:
    """The disc's annulus and nucleus surfaces, meeting flush.

    Parameters
    ----------
    anatomy : Anatomy, optional
        The segment's dimensions; the default adult when None.
    spacing : float, default 0.8
        Grid spacing (mm) at which the solids are sampled and contoured.

    Returns
    -------
    ring : pyvista.PolyData
        The annulus (``disc_annulus``), in S1's local frame (mm), field data cleared.
    core : pyvista.PolyData
        The nucleus (``disc_nucleus``), same frame.
    """
    anatomy = anatomy or Anatomy()
    annulus, nucleus = disc_solids(anatomy)
    # The disc's two parts are its two structures: no regions within them to label.
    ring, core = build_split(annulus, nucleus, spacing, join=0.0, smoothing_iterations=10, labelled=False)
    for mesh in (ring, core):
        mesh.field_data.clear()
    return ring, core
