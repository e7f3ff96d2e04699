"""Where each view preset puts the camera, worked out from what the scene draws now.

Whole-segment views frame the drawn props' bounds (``camera.fitted``); the foramen close-up
looks into the chosen side's foramen, or, for a foraminal or extraforaminal herniation, at
where it meets the L5 root (``camera.herniation_contact``); the posterior-oblique close-up looks
at that side's pars (the "Scottie dog"). Reads the renderer and the posed meshes; moves nothing.
"""

from __future__ import annotations

import numpy as np

from meshes.rest import Rest
from viewer.scene.camera import (
    CLOSE_UP_MM,
    CONTACT_DISTANCE_MM,
    PARS_BEHIND_PEDICLE_MM,
    PARS_FRAME_UP_MM,
    axial_camera,
    close_up,
    fitted,
    herniation_contact,
)
from viewer.scene.style import VIEW_ZOOM, VIEWS
from viewer.state.model import CameraPose


def preset_camera(renderer, rest: Rest, meshes: dict, name: str, side: str = "left", zone: str = "subarticular",
                  axial_convention: str = "radiological", zoom: float = VIEW_ZOOM) -> CameraPose:
    """The camera pose of view preset ``name`` (see ``style.VIEWS``).

    Parameters
    ----------
    renderer : vtkRenderer
        Its visible props' bounds and aspect frame the whole-segment views.
    rest : Rest
        The prepared segment (landmarks, the roots' rings, the herniations' contacts).
    meshes : dict of str to pyvista.PolyData
        The meshes as drawn now (a slip carries the root the foramen close-up looks at).
    name, side, zone, axial_convention : str
        The preset; the side the close-ups look at; the herniation's zone; the axial view
        seen from the feet ("radiological") or from above ("anatomical").
    zoom : float
        How far past the whole segment a whole-segment view zooms in (the axial view 1.4x more).

    Returns
    -------
    CameraPose
        RAS world frame, mm.
    """
    direction, up = VIEWS[name]
    if name == "axial":  # along the disc's normal, anterior at the top, closer in on the canal
        direction, up = axial_camera(rest, axial_convention)
        zoom *= 1.4
    contact = herniation_contact(rest, zone, side) if name == "foramen" else None
    if contact is not None:
        return close_up(_contact_focus(rest, meshes, contact), contact.direction, up, CONTACT_DISTANCE_MM)
    if name in ("foramen", "posterior_oblique"):
        if side == "right":  # the mirror image
            direction = (-direction[0], direction[1], direction[2])
        focus = _foramen_focus(rest, meshes, side) if name == "foramen" else _pars_focus(rest, side)
        return close_up(focus, direction, up, CLOSE_UP_MM[name])
    return fitted(direction, up, renderer.ComputeVisiblePropBounds(), renderer.GetTiledAspectRatio(), zoom)


def _pars_focus(rest: Rest, side: str) -> np.ndarray:
    """``side``'s pars interarticularis as it is at rest, a little below and behind the pedicle:
    the Scottie dog's neck stays in the middle while a slip opens its collar."""
    marks = rest.segment.landmarks
    pedicle = np.asarray(marks[f"L5_pedicle_inferior_{side}"], float)
    posterior = marks["S1_endplate_posterior"] - marks["S1_endplate_anterior"]
    up = np.asarray(VIEWS["posterior_oblique"][1], float)
    return pedicle + PARS_BEHIND_PEDICLE_MM * posterior / np.linalg.norm(posterior) + PARS_FRAME_UP_MM * up


def _foramen_focus(rest: Rest, meshes: dict, side: str) -> np.ndarray:
    """The L5 ganglion of ``side`` where it is now: the middle of that foramen."""
    name = f"root_L5_{side}"
    source = rest.segment.structures[name]
    ring = np.asarray(source.point_data["axis_index"]) == int(source.field_data["ganglion_index"][0])
    return np.asarray(meshes[name].points)[ring].mean(axis=0)


def _contact_focus(rest: Rest, meshes: dict, contact) -> np.ndarray:
    """Halfway from where the herniation leaves the disc to the root it reaches, the root
    where it is now (a slip carries it)."""
    root = np.asarray(meshes[contact.root].points)
    ring = root[rest.roots[contact.root].ring == contact.ring].mean(axis=0)
    return 0.5 * (ring + contact.disc_margin)
