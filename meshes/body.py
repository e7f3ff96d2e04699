"""The vertebral body as an implicit solid: kidney outline, waist, wedge and concave endplates.

Shared by L5 and S1. Local frame: origin at the body's centre, +x right, +y anterior,
+z superior, endplates near-horizontal. Lengths in mm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BodyShape:
    """Dimensions of a vertebral body (mm).

    Calling the shape with (N, 3) points of its local frame gives their signed distance
    (mm, negative inside).

    Attributes
    ----------
    width, depth : float
        The endplate rim's extent across and front to back (mm).
    height_anterior, height_posterior : float
        The mid-sagittal heights at the front and back rims (mm).
    waist : float
        The fractional narrowing at mid-height (0-1).
    kidney : float
        The depth (mm) of the posterior notch.
    cupping : float
        The depth (mm) of each endplate's central concavity.
    rim : float
        The radius (mm) that rounds the edge between the side wall and the endplates.
    exponent : float
        The superellipse exponent of the outline (2 an ellipse, larger boxier).
    posterior_flat : float
        Raises the exponent of the outline's back half by twice this, flattening the
        posterior wall.
    """

    width: float
    depth: float
    height_anterior: float
    height_posterior: float
    waist: float = 0.12
    kidney: float = 1.5
    cupping: float = 1.5
    rim: float = 2.5
    exponent: float = 2.3
    posterior_flat: float = 0.3

    def outline_radius(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Normalised superelliptic radius of the endplate outline.

        Parameters
        ----------
        x, y : ndarray
            Position across (+x right) and front to back (+y anterior), local frame, mm.

        Returns
        -------
        ndarray
            Below 1 inside the outline, 1 on the rim, above 1 outside (unitless).
        """
        a = 0.5 * self.width
        b = 0.5 * self.depth
        # The posterior wall is flatter and its lateral parts reach further back than
        # the midline: a kidney outline. The mid-sagittal depth stays ``depth``.
        lobe = self.kidney * (1.0 - np.exp(-((x / (0.45 * a)) ** 2)))
        yy = np.where(y < 0, y / (b + lobe), y / b)
        n_post = self.exponent + 2.0 * self.posterior_flat
        n = np.where(y < 0, n_post, self.exponent)
        return (np.abs(x / a) ** n + np.abs(yy) ** n) ** (1.0 / n)

    def half_height(self, y: np.ndarray) -> np.ndarray:
        """Half the rim height at an anteroposterior position (the body is a wedge).

        Parameters
        ----------
        y : ndarray
            Front-to-back position, local frame, mm (+y anterior).

        Returns
        -------
        ndarray
            Half the height (mm), linear from the posterior to the anterior rim and held
            at the rims' values beyond them.
        """
        t = np.clip(y / self.depth + 0.5, 0.0, 1.0)
        return 0.5 * (self.height_posterior + (self.height_anterior - self.height_posterior) * t)

    def endplate_z(self, x: np.ndarray, y: np.ndarray, superior: bool) -> np.ndarray:
        """Height of the (concave) endplate surface above the local origin.

        Parameters
        ----------
        x, y : ndarray
            Position on the endplate, local frame, mm.
        superior : bool
            True for the upper endplate, False for the lower.

        Returns
        -------
        ndarray
            z of that endplate, local frame, mm (negative for the lower one), dipping by
            up to ``cupping`` toward the middle.
        """
        top, bottom = self._endplates(x, y)
        return top if superior else bottom

    def _endplates(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heights of the superior and inferior endplates (one outline evaluation for both)."""
        rho = np.clip(self.outline_radius(x, y), 0.0, 1.0)
        dip = self.cupping * (1.0 - rho**2)
        h = self.half_height(y)
        return h - dip, -h + dip

    def __call__(self, p: np.ndarray) -> np.ndarray:
        x, y, z = p[:, 0], p[:, 1], p[:, 2]
        h = self.half_height(y)
        zn = np.clip(np.abs(z) / np.maximum(h, 1e-6), 0.0, 1.0)
        shrink = 1.0 - self.waist * (1.0 - zn**2)
        rho = self.outline_radius(x / shrink, y / shrink)
        scale = 0.5 * min(self.width, self.depth) * shrink
        d_radial = (rho - 1.0) * scale
        top, bottom = self._endplates(x, y)
        d_vertical = np.maximum(z - top, bottom - z)
        r = self.rim
        qa = np.maximum(d_radial + r, 0.0)
        qb = np.maximum(d_vertical + r, 0.0)
        return np.hypot(qa, qb) + np.minimum(np.maximum(d_radial, d_vertical) + r, 0.0) - r

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """A box holding the body, with 1 mm to spare.

        Returns
        -------
        lo, hi : ndarray
            (3,) the box's corners, local frame, mm.
        """
        h = 0.5 * max(self.height_anterior, self.height_posterior)
        half = np.array([0.5 * self.width + 1, 0.5 * self.depth + self.kidney + 1, h + 1])
        return -half, half
