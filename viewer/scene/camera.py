"""Camera poses as pure functions: presets, close-ups, glides and turns. Numpy only, no VTK, no Qt.

The camera is state (``viewer.state.model.SceneModel.camera``, a :class:`CameraPose`); these
functions compute the poses, and the scene adapter only applies them. :func:`fitted` frames a
bounding box as VTK's ``ResetCamera`` does, :func:`close_up` looks at a focus from a distance,
:func:`between` interpolates a glide and :func:`turned` a turntable's step. The scene
(``viewer.scene.view.SceneView.preset_camera``) supplies the facts a preset needs. Two views need
more than a fixed direction from ``style.VIEWS``: the axial view, along the L5-S1 disc's
normal and seen from the feet or from above; and the close-up of a foraminal or
extraforaminal herniation, which must show the herniated disc and the L5 root it presses on
side by side (looked at from the side, as the plain foramen close-up does, the root lies in front
of the herniation and hides it). Frame: RAS, +x right, +y anterior, +z superior; mm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshes.rest import Rest
from viewer.state.model import CameraPose

# VTK's default vertical field of view (degrees), which a preset starts from.
VIEW_ANGLE_DEG = 30.0

# Zones whose herniation reaches the exiting L5 root in or beyond the foramen.
LATERAL_ZONES = ("foraminal", "extraforaminal")
# How many rings either side of the contact set the root's local direction (rings ~1 mm apart).
ROOT_SPAN_RINGS = 3
# From the contact to the camera: both the herniation and the root a few cm either way fit.
CONTACT_DISTANCE_MM = 120.0
# Close-up views (mm from their focus): into a foramen; at the L5 arch from behind and to one
# side, at 45 degrees, the "Scottie dog" of oblique radiographs.
CLOSE_UP_MM = {"foramen": 110.0, "posterior_oblique": 125.0}
# The pars lies this far (mm) behind the lower border of the pedicle.
PARS_BEHIND_PEDICLE_MM = 8.0
# The view's focus this far (mm) up L5's axis from the pars: the whole dog, ear to leg, in frame.
PARS_FRAME_UP_MM = 0.0
# How far above the line square to the herniation and the root the camera rises (degrees):
# level with it, the disc's rim bulging round the herniation's neck hides the base of an
# extraforaminal one (a fifth of its exposed axis seen, against a third from 15 degrees up).
CONTACT_RISE_DEG = 15.0


def axial_camera(rest: Rest, axial_convention: str = "radiological") -> tuple[tuple, tuple]:
    """(direction from the focus to the camera, view-up) of the axial view: along the L5-S1
    disc's normal, anterior at the top of the screen. "radiological": from the feet, as an
    axial CT or MR slice is shown, so the patient's right is on the screen's left;
    "anatomical": from above, the patient's right on the screen's right."""
    w = np.asarray(rest.w, float)
    toward = -w if axial_convention == "radiological" else w
    return tuple(toward), tuple(np.asarray(rest.u, float))


@dataclass(frozen=True)
class Contact:
    """Where a lateral herniation meets its root, at rest (world frame, mm)."""

    root: str  # the root it presses on ("root_L5_left"...)
    ring: int  # the root's ring nearest the contact
    disc_margin: np.ndarray  # where the herniation leaves the disc
    outward: np.ndarray  # the herniation's direction (unit)
    along_root: np.ndarray  # the root's local direction there (unit, running caudally)
    direction: np.ndarray  # from the focus to the camera (unit)


def herniation_contact(rest: Rest, zone: str, side: str) -> Contact | None:
    """The camera for a foraminal or extraforaminal herniation of ``side``; None for other zones.

    The camera looks along the line square to both the herniation's direction and the root's
    course where they meet, so the two lie side by side on the screen with the contact between
    them, the root running down the screen. Of that line's two ends it takes the anterior one:
    from behind, the facet joint and the pars, which close the foramen there, stand in the way.
    It rises ``CONTACT_RISE_DEG`` above that line, up the root, to see over the disc's rim.
    """
    if zone not in LATERAL_ZONES:
        return None
    h = rest.herniations[(zone, side)]
    root = rest.roots[h.target]
    outward = np.asarray(h.n, float)
    reaches = h.centre + h.reach * outward  # the root's surface, where the herniation arrives
    ring = int(np.argmin(np.linalg.norm(root.centres - reaches, axis=1)))
    lo, hi = max(ring - ROOT_SPAN_RINGS, 0), min(ring + ROOT_SPAN_RINGS, len(root.centres) - 1)
    along = root.centres[hi] - root.centres[lo]
    along /= np.linalg.norm(along)
    if along[2] > 0:
        along = -along
    square = np.cross(outward, along)
    square /= np.linalg.norm(square)
    if square @ rest.u < 0:
        square = -square
    rise = np.radians(CONTACT_RISE_DEG)
    direction = np.cos(rise) * square - np.sin(rise) * along
    return Contact(h.target, ring, np.asarray(h.centre, float), outward, along, direction)


def _unit(v) -> np.ndarray:
    v = np.asarray(v, float)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def fitted(direction, up, bounds, aspect: float, zoom: float = 1.0) -> CameraPose:
    """The camera that frames ``bounds`` from ``direction``, as ``vtkRenderer.ResetCamera`` then
    ``vtkCamera.Zoom(zoom)`` place it.

    Parameters
    ----------
    direction, up : sequence of float
        From the focus toward the camera, and the screen's up (RAS, any length).
    bounds : sequence of float
        (xmin, xmax, ymin, ymax, zmin, zmax) of what is to fit, mm.
    aspect : float
        The viewport's width over its height: a portrait viewport narrows the fit.
    zoom : float
        How far past the bounding sphere to zoom in (the view angle is divided by it).

    Returns
    -------
    CameraPose
        Looking at the box's centre from where its bounding sphere just fills the view angle.
    """
    b = np.asarray(bounds, float).reshape(3, 2)
    centre = b.mean(axis=1)
    radius = 0.5 * float(np.sqrt(np.sum((b[:, 1] - b[:, 0]) ** 2))) or 0.5
    angle = np.radians(VIEW_ANGLE_DEG)
    if aspect < 1.0:  # VTK's vertical view angle fits the width of a portrait viewport
        angle = 2.0 * np.arctan(np.tan(0.5 * angle) * aspect)
    distance = radius / np.sin(0.5 * angle)
    return CameraPose.of(centre + distance * _unit(direction), centre, _unit(up), VIEW_ANGLE_DEG / zoom)


def close_up(focus, direction, up, distance_mm: float) -> CameraPose:
    """The camera ``distance_mm`` from ``focus`` along ``direction``, at VTK's default view angle."""
    focus = np.asarray(focus, float)
    return CameraPose.of(focus + distance_mm * _unit(direction), focus, _unit(up), VIEW_ANGLE_DEG)


def between(start: CameraPose, end: CameraPose, t: float) -> CameraPose:
    """The pose ``t`` (0-1) of the way from ``start`` to ``end``: positions, focal points and view
    angles blended linearly, the up vector blended and renormalised."""
    a = [np.asarray(v, float) for v in (start.position, start.focal_point, start.up)]
    b = [np.asarray(v, float) for v in (end.position, end.focal_point, end.up)]
    position, focal, up = ((1.0 - t) * x + t * y for x, y in zip(a, b, strict=True))
    angle = (1.0 - t) * start.view_angle + t * end.view_angle
    return CameraPose.of(position, focal, _unit(up), angle)


def turned(pose: CameraPose, degrees: float) -> CameraPose:
    """The pose turned ``degrees`` about its view-up axis through the focal point (a turntable's
    step, as ``vtkCamera.Azimuth``), with the up made square to the line of sight again."""
    focal = np.asarray(pose.focal_point, float)
    axis = _unit(pose.up)
    offset = np.asarray(pose.position, float) - focal
    a = np.radians(degrees)
    rotated = (offset * np.cos(a) + np.cross(axis, offset) * np.sin(a)
               + axis * (axis @ offset) * (1.0 - np.cos(a)))
    sight = _unit(-rotated)
    up = _unit(axis - (axis @ sight) * sight)
    return CameraPose.of(focal + rotated, focal, up, pose.view_angle)
