"""The height of S1's upper surface under the disc, as a map over its endplate.

S1's endplate is not the flat line between its rim corners: it is cupped in the middle and
rises toward the rim at the sides. A disc squeezed against it (a settled, slipped disc)
must be squeezed onto that surface, not onto the line, or its lowest layer is pushed up
through the layers above it. The map is read off S1's distance field along columns square
to the endplate, once, and then looked up by bilinear interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter, map_coordinates, maximum_filter

# The map reaches this far (mm) above and below the endplate line; where S1 lies lower (past
# the endplate's edge) it reads the lowest.
REACH_MM = 3.0
STEP_MM = 1.0


@dataclass
class S1Floor:
    """``(along, across) -> height`` (mm) of S1's surface above its endplate line.

    Calling it with arrays ``along`` (from the endplate's posterior corner, forward) and
    ``across`` (+ to the right) in mm reads the map bilinearly, clamped at its edges.

    Attributes
    ----------
    along0, across0 : float
        The map's first row and column (mm).
    heights : ndarray
        (n_along, n_across) heights (mm), every :data:`STEP_MM`.
    """

    along0: float
    across0: float
    heights: np.ndarray  # (n_along, n_across)

    @staticmethod
    def of(field, base: np.ndarray, u: np.ndarray, w: np.ndarray, depth: float, half_width: float) -> S1Floor:
        """Read the map off S1's distance field over its endplate.

        Columns square to the endplate, every :data:`STEP_MM` over it and 8 mm beyond, are
        sampled every 0.125 mm up to :data:`REACH_MM` either side of the line.

        Parameters
        ----------
        field : callable
            S1's signed distance: (N, 3) points to (N,) mm, negative in bone, in the
            frame of ``base``, ``u`` and ``w`` (the rest segment's world frame).
        base : ndarray
            (3,) the endplate's posterior corner (mm).
        u, w : ndarray
            (3,) unit vectors forward along the endplate and up from it.
        depth : float
            The endplate's depth (mm), along ``u``.
        half_width : float
            Half the width (mm) to map across it.

        Returns
        -------
        S1Floor
            The map, smoothed but never below the sampled surface.
        """
        e = np.cross(u, w)
        e /= np.linalg.norm(e)
        along = np.arange(-8.0, depth + 8.0 + STEP_MM, STEP_MM)
        across = np.arange(-half_width - 8.0, half_width + 8.0 + STEP_MM, STEP_MM)
        ups = np.arange(-REACH_MM, REACH_MM + 0.125, 0.125)
        a, c, h = np.meshgrid(along, across, ups, indexing="ij")
        points = base + a[..., None] * u + c[..., None] * e + h[..., None] * w
        inside = field(points.reshape(-1, 3)).reshape(a.shape) <= 0.0
        # The highest sample in bone (S1 lies below it), else the lowest reach.
        top = np.where(inside.any(axis=2), _highest(inside, ups), -REACH_MM)
        # Smoothed, but never below the surface: a disc laid on it must not sink into the rim.
        smooth = gaussian_filter(maximum_filter(top, size=5, mode="nearest"), 1.0, mode="nearest")
        return S1Floor(float(along[0]), float(across[0]), np.maximum(smooth, top))

    def __call__(self, along: np.ndarray, across: np.ndarray) -> np.ndarray:
        rows = (np.asarray(along) - self.along0) / STEP_MM
        cols = (np.asarray(across) - self.across0) / STEP_MM
        return map_coordinates(self.heights, [rows, cols], order=1, mode="nearest")


def _highest(inside: np.ndarray, ups: np.ndarray) -> np.ndarray:
    """Per column (last axis): the highest of ``ups`` that is ``inside`` (any value where none is)."""
    flipped = inside[..., ::-1]
    first = np.argmax(flipped, axis=2)
    return ups[::-1][first]
