"""The whole sacrum as one implicit solid: a swept section along the curved body column.

The sacrum is five fused vertebrae. Its shape changes steadily from the broad S1 level
(body, alae, superior articular processes) down to the narrow apex, and it curves forward
below S3. It is described the way a sectional atlas shows it: a centre line down the
middle of the fused bodies (in the mid-sagittal plane), and at every distance ``t`` along
it a cross-section perpendicular to it, made of the same few parts at every level
(:mod:`meshes.sacrum_section`; the sweep, :mod:`meshes.sacrum_sweep`).

The table of sections was fitted (``tools/calibrate_sacrum.py``) to one real adult sacrum,
the Male Visible Human (Remus et al., PLoS ONE 2021; BSD-3-Clause), whose S1 endplate is
58 mm wide and 28.4 mm deep and whose greatest width is 125 mm. A patient's sacrum is that
shape warped to the anatomy's dimensions: across the body by ``s1_body_width / 58``,
across the alae to ``sacral_width`` (greatest width; Anatolian dry sacra 108.4 ± 6.1 mm,
body 47.0 ± 5.0 mm wide), and in depth and length by the overall scale. This module is
that warp, both ways, and the warped field; its parts and the places found on it are
:mod:`meshes.sacrum_parts`.

Coordinates are the S1 frame (mm): origin at the centre of the S1 superior endplate, +z
along its normal, +y anterior, +x right.
"""

from __future__ import annotations

import numpy as np

from meshes.anatomy import Anatomy
from meshes.sacrum_sweep import SacrumShape, axis_point

# The reference sacrum's own dimensions (mm), the calibration's units.
VHM_BODY_HALF_WIDTH = 29.0
VHM_HALF_WIDTH = 62.6
VHM_ENDPLATE_DEPTH = 28.4


def lateral_warp(anatomy: Anatomy) -> tuple[float, float]:
    """How much wider (or narrower) the patient's sacrum is than the reference, in two bands.

    Parameters
    ----------
    anatomy : Anatomy
        Gives ``s1_body_width`` and ``sacral_width`` (mm).

    Returns
    -------
    body : float
        Scale across the body, out to the reference's 29 mm from the midline.
    wings : float
        Scale across the alae beyond it, out to half the greatest width.
    """
    body = anatomy.s1_body_width / (2.0 * VHM_BODY_HALF_WIDTH)
    wings = (0.5 * anatomy.sacral_width - VHM_BODY_HALF_WIDTH * body) / (VHM_HALF_WIDTH - VHM_BODY_HALF_WIDTH)
    return body, wings


def to_vhm(anatomy: Anatomy, p: np.ndarray) -> np.ndarray:
    """Points of the anatomy's S1 frame mapped back into the reference shape's units.

    Parameters
    ----------
    anatomy : Anatomy
        The patient whose sacrum the points are near.
    p : ndarray
        (N, 3) points, S1 frame, mm.

    Returns
    -------
    ndarray
        (N, 3) the same points in the reference's S1 frame (VHM mm): x un-warped band by
        band (:func:`lateral_warp`), y and z divided by ``anatomy.scale``.
    """
    body, wings = lateral_warp(anatomy)
    s = anatomy.scale
    x = np.abs(p[:, 0])
    edge = VHM_BODY_HALF_WIDTH * body
    xv = np.where(x <= edge, x / body, VHM_BODY_HALF_WIDTH + (x - edge) / wings)
    return np.column_stack([np.sign(p[:, 0]) * xv, p[:, 1] / s, p[:, 2] / s])


def from_vhm(anatomy: Anatomy, x: float, t: float, v: float) -> np.ndarray:
    """The anatomy's S1-frame point at section coordinates (x, t, v) of the reference shape.

    The inverse of :func:`to_vhm` for one point given on the centre line's terms.

    Parameters
    ----------
    anatomy : Anatomy
        The patient to place the point in.
    x : float
        Across the section from the midline (VHM mm, +x right).
    t : float
        Down the centre line from the S1 endplate's centre (VHM mm).
    v : float
        From the centre line toward the back (VHM mm; negative is in front of it).

    Returns
    -------
    ndarray
        (3,) the point, S1 frame, mm.
    """
    body, wings = lateral_warp(anatomy)
    point, tangent = axis_point(t)
    yz = point + v * np.array([tangent[1], -tangent[0]])
    ax = abs(x)
    xa = ax * body if ax <= VHM_BODY_HALF_WIDTH else VHM_BODY_HALF_WIDTH * body + (ax - VHM_BODY_HALF_WIDTH) * wings
    return np.array([np.sign(x) * xa, yz[0] * anatomy.scale, yz[1] * anatomy.scale])


def sacrum_field(anatomy: Anatomy):
    """The whole sacrum's signed distance in the anatomy's S1 frame, and a box that holds it.

    Parameters
    ----------
    anatomy : Anatomy
        The patient: the reference shape is warped to its widths and scale.

    Returns
    -------
    field : callable
        ``field(p)``: (N, 3) S1-frame points (mm) to (N,) signed distances (mm, negative in
        bone), the reference's distance times ``min(body, wings, 1) * scale`` of
        :func:`lateral_warp` (approximate).
    lo, hi : ndarray
        (3,) the box's lowest and highest corners, S1 frame, mm.
    """
    shape = SacrumShape.default()
    s = anatomy.scale
    body, wings = lateral_warp(anatomy)
    squeeze = min(body, wings, 1.0) * s  # distances shrink at most by the tightest warp

    def field(p: np.ndarray) -> np.ndarray:
        """Signed distance (mm) at S1-frame points ``p`` (N, 3), read on the reference.

        Parameters
        ----------
        p : ndarray
            The points, mm.

        Returns
        -------
        ndarray
            (N,) distances, negative in bone.
        """
        return shape(to_vhm(anatomy, p)) * squeeze

    half = 0.5 * anatomy.sacral_width + 4.0
    lo = np.array([-half, -62.0 * s, -(shape.levels[-1] + 6.0) * s])
    hi = np.array([half, 42.0 * s, 8.0 * s])
    return field, lo, hi


def covered(anatomy: Anatomy, p: np.ndarray) -> np.ndarray:
    """Which points lie within the sacrum's modelled length, above its apex.

    Parameters
    ----------
    anatomy : Anatomy
        The patient the points belong to.
    p : ndarray
        (N, 3) points, S1 frame, mm.

    Returns
    -------
    ndarray of bool
        (N,) True where the point's place down the centre line is not past the last
        tabulated section (points above the endplate included).
    """
    shape = SacrumShape.default()
    q = to_vhm(anatomy, p)
    t, _ = shape.frame(q[:, 1], q[:, 2])
    return t <= shape.levels[-1]
