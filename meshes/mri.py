"""MRI-like T2-weighted slices computed from the posed 3D geometry.

:func:`t2_slice` labels every pixel of a slice plane with the tissue the posed surfaces put
there (:func:`meshes.mri_tissue.tissue_labels`: bone with its cortex, disc, nucleus, CSF
with the roots in it, and the fat round the sac and roots, which bone, disc or an
extrusion erases as it comes up against a root), gives each tissue its T2 intensity
(:data:`meshes.mri_tissue.T2`; the nucleus, and a herniated fragment of it, darkens with
degeneration from Pfirrmann I to V) and softens the edges with a light blur
(:data:`BLUR_SIGMA_PX`). There is no noise: a state always gives the same image. World
frame RAS (+x right, +y anterior, +z superior), mm.

Left out: everything above L5 and below the top of the sacrum (the sac and roots end where
the model ends), the ligaments (flavum, longitudinal, interspinous), the epidural veins, the
cauda equina's other roots, the marrow's fat and endplate (Modic) changes, the disc's
annular fissures (high-intensity zones), chemical shift, partial volume across the slice's
thickness (the slice is a plane), field inhomogeneity and noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyvista as pv

from meshes.mri_tissue import T2, TISSUES, tissue_labels
from meshes.rest import Posed, Rest
from meshes.slice_planes import SLICE_FIELD_MM, SlicePlane

# The blur's Gaussian sigma (pixels): under one, so edges stay sharp.
BLUR_SIGMA_PX = 0.6

@dataclass(frozen=True, eq=False)
class MRSlice:
    """One T2-weighted slice: the image, its tissue labels and where it lies.

    Attributes
    ----------
    image : (rows, columns) ndarray of float32
        T2 intensity, 0 (black) to 1 (white); row 0 at the top.
    tissue : (rows, columns) ndarray of uint8
        Each pixel's tissue: label ``i`` is ``meshes.mri_tissue.TISSUES[i]``.
    plane : SlicePlane
        The plane cut (world frame RAS: +x right, +y anterior, +z superior; mm).
    pixel_mm : float
        A pixel's side (mm); pixels are square.
    """

    image: np.ndarray
    tissue: np.ndarray
    plane: SlicePlane
    pixel_mm: float

    def to_pixel(self, points_world: np.ndarray) -> np.ndarray:
        """Project world points onto the image (orthogonally onto the plane).

        Parameters
        ----------
        points_world : (n, 3) array_like
            Points, world frame RAS (+x right, +y anterior, +z superior), mm.

        Returns
        -------
        (n, 2) ndarray
            (column, row) of each point, in pixels: pixel centres are on whole numbers, row 0
            is at the top; points off the image get values outside ``[0, columns)`` or
            ``[0, rows)``.
        """
        return self.plane.pixels(np.atleast_2d(np.asarray(points_world, dtype=float)), self.pixel_mm,
                                 self.tissue.shape)

    def mask(self, tissue: str) -> np.ndarray:
        """Where one tissue is.

        Parameters
        ----------
        tissue : str
            A name of :data:`meshes.mri_tissue.TISSUES`.

        Returns
        -------
        (rows, columns) ndarray of bool
            True on that tissue's pixels.
        """
        if tissue not in TISSUES:
            raise ValueError(f"tissue must be one of {', '.join(TISSUES)}, got {tissue!r}")
        return self.tissue == TISSUES.index(tissue)


def intensities(degeneration: float) -> np.ndarray:
    """The T2 intensity of every tissue label at a degeneration.

    Parameters
    ----------
    degeneration : float
        How far the disc has degenerated: 0 a hydrated nucleus (Pfirrmann I), 1 a black,
        collapsed one (Pfirrmann V); values outside are clipped.

    Returns
    -------
    (len(TISSUES),) ndarray of float32
        Intensity (0-1) of label ``i`` (``meshes.mri_tissue.TISSUES[i]``), from
        :data:`meshes.mri_tissue.T2`.
    """
    d = float(np.clip(degeneration, 0.0, 1.0))
    return np.array([(1.0 - d) * T2[t][0] + d * T2[t][1] for t in TISSUES], dtype=np.float32)


def _blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """A separable 3-tap Gaussian (edges repeated): enough for a sigma under a pixel."""
    side = np.exp(-0.5 / sigma**2)
    a, b = 1.0 / (1.0 + 2.0 * side), side / (1.0 + 2.0 * side)
    out = image * a
    out[1:] += b * image[:-1]
    out[:-1] += b * image[1:]
    out[0] += b * image[0]
    out[-1] += b * image[-1]
    res = out * a
    res[:, 1:] += b * out[:, :-1]
    res[:, :-1] += b * out[:, 1:]
    res[:, 0] += b * out[:, 0]
    res[:, -1] += b * out[:, -1]
    return res


def t2_slice(rest: Rest, posed: Posed, structures: dict[str, pv.PolyData], plane: SlicePlane,
             size=(512, 512), field_mm: float = SLICE_FIELD_MM) -> MRSlice:
    """An MRI-like T2-weighted image of the posed segment in one plane.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (:func:`meshes.preparation.prepare`); not read today (the
        posed surfaces carry the geometry), taken so every imaging function has one signature.
    posed : Posed
        The posed state (:func:`meshes.pose.pose`): its degeneration darkens the nucleus.
    structures : dict of str to pyvista.PolyData
        Its closed surfaces (:func:`meshes.pose.posed_structures`), world frame RAS
        (+x right, +y anterior, +z superior), mm.
    plane : SlicePlane
        The plane and the image's axes (:func:`meshes.slice_planes.slice_planes`).
    size : (int, int), default (512, 512)
        Width and height of the image, pixels (512 x 512 takes about 20 ms here).
    field_mm : float, default :data:`meshes.slice_planes.SLICE_FIELD_MM` (110)
        How wide a field the image covers (mm): enough for L5, the disc and the top of S1.

    Returns
    -------
    MRSlice
        The image (0-1, row 0 at the top), the tissue labels, the plane and the pixel size (mm).

    Raises
    ------
    ValueError
        From :func:`meshes.mri_tissue.tissue_labels`, for a bad size or field.
    """
    tissue, pixel_mm = tissue_labels(structures, plane, size, field_mm)
    image = intensities(posed.degeneration)[tissue]
    if BLUR_SIGMA_PX > 0.0:
        image = np.clip(_blur(image, BLUR_SIGMA_PX), 0.0, 1.0)
    return MRSlice(image.astype(np.float32, copy=False), tissue, plane, pixel_mm)
