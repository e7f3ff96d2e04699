"""L5's proportions: where its parts sit for a patient, and the shape constants behind them.

The layout (:class:`L5Layout`) scales the morphometry in :class:`Anatomy` into key
positions; the vertebral body's shape (:data:`BODY_SHAPE`) and the posterior elements as
bars (:data:`ARCH`) were calibrated on the CT mean L5 of Clouthier et al. 2023 by
``tools/calibrate_l5.py``. The solid and its surface are :mod:`meshes.vertebra_l5`.

L5 frame: origin at the centre of the body, +x right, +y anterior, +z superior along the
body's axis (mm).
"""

from __future__ import annotations

from dataclasses import dataclass

from meshes.anatomy import Anatomy
from meshes.body import BodyShape

RIM_HEIGHT_ALLOWANCE = 2.0
# Body-shape constants fitted on the CT mean L5 (tools/calibrate_l5.py), then rounded
# toward the textbook shape: a 4 mm posterior (kidney) notch, a flat back wall, an 8%
# waist and endplates cupped by 1 mm.
BODY_SHAPE = dict(kidney=4.0, exponent=1.8, posterior_flat=0.5, rim=1.5, cupping=1.0, waist=0.08)


@dataclass(frozen=True)
class L5Layout:
    """Key positions of the L5 in its local frame (mm), derived from :class:`Anatomy`.

    Attributes
    ----------
    body : BodyShape
        The vertebral body, about the frame's origin.
    canal_half_width : float
        Half the vertebral canal's width (mm).
    body_back, lamina_front : float
        y (L5 frame, mm) of the body's posterior wall in the midline, and of the laminae's
        front, the canal's depth behind it.
    pedicle_x, pedicle_z : float
        x of the right pedicle's mid-line, beside the canal, and the height of the
        pedicles' axis (L5 frame, mm).
    scale : float
        The anatomy's overall scale.
    """

    body: BodyShape
    canal_half_width: float
    body_back: float
    lamina_front: float
    pedicle_x: float
    pedicle_z: float
    scale: float

    @staticmethod
    def of(anatomy: Anatomy) -> L5Layout:
        """The layout of a patient's L5.

        The body has the calibrated :data:`BODY_SHAPE` and is made
        :data:`RIM_HEIGHT_ALLOWANCE` taller than the measured heights.

        Parameters
        ----------
        anatomy : Anatomy
            The L5 morphometry (endplate, body heights, canal, pedicle) and scale.

        Returns
        -------
        L5Layout
            The body and the positions, L5 frame, mm.
        """
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
