"""Where the MRI-like slices cut the posed segment, and which way up each image is shown.

Four standard planes of a lumbar MR examination (:func:`slice_planes`):

- ``"mri-sagittal"``: the mid-sagittal plane (x = 0) through the canal, held on S1 (which
  never moves) so that L5 is seen to slide. Shown as sagittal MR images are, head up and
  the patient's front on the image's LEFT (:data:`SAGITTAL_ANTERIOR_ON_LEFT`; mr-tip.com's
  standard display: "sagittal: H to top of image and A to left"), like the lateral
  radiograph, whose patient faces left;
- ``"mri-foramen-left"``, ``"mri-foramen-right"``: parasagittal through the middle of that
  side's L5 pedicle, centred on the L5-S1 foramen (:func:`meshes.foramen.section_window`, on
  the posed landmarks, so it follows the foramen as L5 slips), shown as the sagittal one;
- ``"mri-axial"``: through the posed disc's mid-height, parallel to the disc (the bisector of
  the L5 and S1 endplates, as axial slices are angled on the scanner), in radiological
  convention: seen from the feet, anterior up, so the patient's right (+x) is on the image's
  left.

Each plane can be moved from there along its travel (:func:`slice_plane`, as a radiographer
steps through a stack): a sagittal or foraminal one toward the patient's right (+x, negative
toward the left), the axial one toward the head along the disc's normal, within
:data:`SLICE_TRAVEL_MM` each way.

World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshes.foramen import section_window
from meshes.frames import s1_axes
from meshes.modalities import SLICE_TRAVEL_MM
from meshes.rest import Posed, Rest


@dataclass(frozen=True)
class SlicePlane:
    """A slice plane and the way its image is shown.

    Attributes
    ----------
    name : str
        The modality name, e.g. ``"mri-axial"``.
    origin : (3,) ndarray
        The image's centre (world frame RAS: +x right, +y anterior, +z superior; mm).
    u : (3,) ndarray
        Unit vector (world) pointing to the image's right.
    v : (3,) ndarray
        Unit vector (world) pointing to the image's top, square to ``u``.
    """

    name: str
    origin: np.ndarray
    u: np.ndarray
    v: np.ndarray

    @property
    def normal(self) -> np.ndarray:
        """The plane's unit normal, ``u x v``: toward the viewer of the image.

        Returns
        -------
        (3,) ndarray
            Unit vector, world frame RAS.
        """
        return np.cross(self.u, self.v)

    def pixels(self, points: np.ndarray, pixel_mm: float, shape: tuple[int, int]) -> np.ndarray:
        """Project world points orthogonally onto this plane's image.

        Parameters
        ----------
        points : (..., 3) ndarray
            Points, world frame RAS (+x right, +y anterior, +z superior), mm.
        pixel_mm : float
            A pixel's side (mm).
        shape : (int, int)
            The image's (rows, columns); the plane's origin is at its centre.

        Returns
        -------
        (..., 2) ndarray
            (column, row) of each point: pixel centres on whole numbers, row 0 at the top.
        """
        rows, cols = shape
        rel = points - self.origin
        # Column sums, not a thin matrix product (see meshes.frames.BLAS_BELOW).
        x = rel[..., 0] * self.u[0] + rel[..., 1] * self.u[1] + rel[..., 2] * self.u[2]
        y = rel[..., 0] * self.v[0] + rel[..., 1] * self.v[1] + rel[..., 2] * self.v[2]
        return np.stack([x / pixel_mm + 0.5 * cols - 0.5, 0.5 * rows - 0.5 - y / pixel_mm], axis=-1)


# Sagittal MR images are shown with the patient's front on the left (True); False mirrors them.
SAGITTAL_ANTERIOR_ON_LEFT = True
# The mid-sagittal image's centre from the S1 endplate's centre (mm): back and up, so the
# canal, L5's arch and the top of the sacrum are all in a 110 mm field.
SAGITTAL_BACK_MM = 10.0
SAGITTAL_UP_MM = 12.0
# The axial image's centre from the disc's centre (mm): back, so the canal, the lateral
# recesses and the facet joints sit in the middle of the field with the disc in front.
AXIAL_BACK_MM = 14.0
# The side of the square each slice's image covers (mm), as ``meshes.mri.t2_slice`` draws it.
SLICE_FIELD_MM = 110.0


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.sqrt(v @ v)


def _sagittal(name: str, origin: np.ndarray) -> SlicePlane:
    """A plane x = const shown head up, anterior to :data:`SAGITTAL_ANTERIOR_ON_LEFT`'s side."""
    right = np.array([0.0, -1.0, 0.0]) if SAGITTAL_ANTERIOR_ON_LEFT else np.array([0.0, 1.0, 0.0])
    return SlicePlane(name, np.asarray(origin, dtype=float), right, np.array([0.0, 0.0, 1.0]))


def disc_mid_plane(marks: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The disc's mid-plane: halfway between the L5 and S1 endplates, along their bisector.

    Parameters
    ----------
    marks : dict of str to ndarray
        The (posed) landmarks, world frame RAS (+x right, +y anterior, +z superior), mm: the
        S1 endplate's and L5's inferior endplate's anterior and posterior corners.

    Returns
    -------
    centre : (3,) ndarray
        The middle of the disc (world, mm): the mean of the four corners.
    normal : (3,) ndarray
        Unit normal of the mid-plane, pointing up toward L5 (world).
    anterior : (3,) ndarray
        Unit vector in the mid-plane pointing forward (world).
    """
    u_s1, w_s1, _ = s1_axes(marks)
    l5 = marks["L5_inferior_endplate_anterior"] - marks["L5_inferior_endplate_posterior"]
    u_l5 = _unit(l5)
    w_l5 = _unit(np.array([0.0, -u_l5[2], u_l5[1]]))  # x cross u: up, as s1_axes
    normal = _unit(w_s1 + w_l5)
    anterior = _unit(u_s1 + u_l5)
    anterior = _unit(anterior - (anterior @ normal) * normal)
    corners = ("S1_endplate_anterior", "S1_endplate_posterior",
               "L5_inferior_endplate_anterior", "L5_inferior_endplate_posterior")
    centre = np.mean([marks[k] for k in corners], axis=0)
    return centre, normal, anterior


def slice_planes(rest: Rest, posed: Posed) -> dict[str, SlicePlane]:
    """The four MRI slice planes of a posed state.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (its S1 landmarks hold the mid-sagittal image still).
    posed : Posed
        A posed state (:func:`meshes.pose.pose`); its landmarks place the foramen and axial
        planes.

    Returns
    -------
    dict of str to SlicePlane
        ``"mri-sagittal"``, ``"mri-foramen-left"``, ``"mri-foramen-right"`` and
        ``"mri-axial"``, each with its centre (world frame RAS: +x right, +y anterior,
        +z superior; mm) and its image's right and up directions.
    """
    marks = posed.landmarks
    s1 = rest.segment.landmarks["S1_endplate_center"]
    planes = {"mri-sagittal": _sagittal("mri-sagittal", [0.0, s1[1] - SAGITTAL_BACK_MM, s1[2] + SAGITTAL_UP_MM])}
    for side in ("left", "right"):
        origin, _, _, _ = section_window(marks, side)
        planes[f"mri-foramen-{side}"] = _sagittal(f"mri-foramen-{side}", origin)
    centre, normal, anterior = disc_mid_plane(marks)
    centre = centre.copy()
    centre[0] = 0.0
    # Seen from the feet: the viewer looks along +normal, so u x v = -normal.
    planes["mri-axial"] = SlicePlane("mri-axial", centre - AXIAL_BACK_MM * anterior, np.cross(normal, anterior),
                                     anterior)
    return planes


def travel_axis(plane: SlicePlane) -> np.ndarray:
    """The direction a slice moves in: the patient's right for a sagittal one, the head for the axial.

    Parameters
    ----------
    plane : SlicePlane
        A plane of :func:`slice_planes`.

    Returns
    -------
    (3,) ndarray
        Unit vector, world frame RAS (+x right, +y anterior, +z superior), along the plane's normal.
    """
    normal = plane.normal
    toward = np.array([1.0, 0.0, 0.0]) if plane.name != "mri-axial" else np.array([0.0, 0.0, 1.0])
    return normal if normal @ toward >= 0.0 else -normal


def slice_plane(rest: Rest, posed: Posed, name: str, offset_mm: float = 0.0) -> SlicePlane:
    """One MRI slice plane of a posed state, moved ``offset_mm`` along its travel.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    posed : Posed
        A posed state (:func:`meshes.pose.pose`).
    name : str
        A key of :data:`SLICE_TRAVEL_MM` (``"mri-axial"``, ...).
    offset_mm : float, default 0.0
        How far from the standard plane (mm): toward the patient's right (+x) for a sagittal or
        foraminal slice, toward the head for the axial one; held within :data:`SLICE_TRAVEL_MM`.

    Returns
    -------
    SlicePlane
        The plane, its image's centre moved along :func:`travel_axis` (world frame RAS, mm).
    """
    plane = slice_planes(rest, posed)[name]
    travel = SLICE_TRAVEL_MM[name]
    offset = min(max(float(offset_mm), -travel), travel)
    return SlicePlane(name, plane.origin + offset * travel_axis(plane), plane.u, plane.v)


def where(name: str, offset_mm: float) -> str:
    """Where a moved slice lies, in words for the pane (``"12 mm right of the midline"``).

    Parameters
    ----------
    name : str
        A key of :data:`SLICE_TRAVEL_MM`.
    offset_mm : float
        Its offset (mm) as :func:`slice_plane` takes it.

    Returns
    -------
    str
        The offset rounded to whole millimetres, with its direction and the standard plane.
    """
    mm = round(float(offset_mm))
    standard = {"mri-sagittal": "the midline", "mri-axial": "the disc's middle"}.get(name, "the foramen")
    if mm == 0:
        return f"at {standard}"
    if name == "mri-axial":
        return f"{abs(mm)} mm {'above' if mm > 0 else 'below'} {standard}"
    if name == "mri-sagittal":
        return f"{abs(mm)} mm {'right' if mm > 0 else 'left'} of {standard}"
    outward = mm > 0 if name.endswith("right") else mm < 0
    return f"{abs(mm)} mm {'lateral' if outward else 'medial'} to {standard}"


def corners(plane: SlicePlane, field_mm: float = SLICE_FIELD_MM, aspect: float = 1.0) -> np.ndarray:
    """The four corners of the rectangle a slice's image covers, for drawing its plane in 3D.

    Parameters
    ----------
    plane : SlicePlane
        The slice.
    field_mm : float, default :data:`SLICE_FIELD_MM`
        The image's width (mm).
    aspect : float, default 1.0
        The image's height over its width (its rows over its columns).

    Returns
    -------
    (4, 3) ndarray
        World frame RAS (+x right, +y anterior, +z superior), mm, going round the square.
    """
    w, h = 0.5 * field_mm, 0.5 * field_mm * aspect
    return np.array([plane.origin + a * w * plane.u + b * h * plane.v for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1))])
