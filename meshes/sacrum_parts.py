"""The sacrum's parts, and places found on its bone.

The swept section's parts (body, the two lateral parts, the dorsal roof) label the
surface; the plane below the first sacral foramina divides S1 from the rest of the sacrum;
and points just in front of or behind the bone at given section coordinates set where the
foramina are bored and where the sacral nerves lie on the pelvic surface.

Points are in the anatomy's S1 frame (mm: origin at the centre of the S1 superior endplate,
+z along its normal, +y anterior, +x right); section coordinates (x across, t down the
centre line, v toward the back) are the reference shape's, VHM mm (:mod:`meshes.sacrum`).
"""

from __future__ import annotations

import numpy as np

from meshes.anatomy import Anatomy
from meshes.sacrum import from_vhm, to_vhm
from meshes.sacrum_section import section_field, section_parts
from meshes.sacrum_sweep import SacrumShape, axis_point

# Where S1 ends and the rest of the sacrum begins (VHM mm along the centre line): below
# the first sacral foramina, above the second.
SPLIT_T = 50.0
PARTS = ("body", "wing_right", "wing_left", "roof")


def split_plane(anatomy: Anatomy) -> tuple[np.ndarray, np.ndarray]:
    """The S1/S2 boundary: the plane square to the centre line at :data:`SPLIT_T`.

    Parameters
    ----------
    anatomy : Anatomy
        Its scale places the plane.

    Returns
    -------
    point : ndarray
        (3,) on the centre line, S1 frame, mm.
    normal : ndarray
        (3,) unit, pointing down the sacrum (toward S2).
    """
    point, tangent = axis_point(SPLIT_T)
    return (np.array([0.0, point[0] * anatomy.scale, point[1] * anatomy.scale]),
            np.array([0.0, tangent[0], tangent[1]]))


def part_labeller(anatomy: Anatomy):
    """A function naming which part of the section each point belongs to.

    Parameters
    ----------
    anatomy : Anatomy
        The patient whose sacrum is labelled.

    Returns
    -------
    callable
        ``label(p)``: (N, 3) S1-frame points (mm) to (N,) int32 indices into
        :data:`PARTS`, the part whose own field is lowest there (a lateral part by the
        side of x).
    """
    shape = SacrumShape.default()

    def label(p: np.ndarray) -> np.ndarray:
        """Index into :data:`PARTS` of each of the points ``p`` (N, 3; S1 frame, mm).

        Parameters
        ----------
        p : ndarray
            Points to label.

        Returns
        -------
        ndarray
            (N,) int32: 0 body, 1 right and 2 left lateral part, 3 roof.
        """
        q = to_vhm(anatomy, p)
        t, v = shape.frame(q[:, 1], q[:, 2])
        parts = section_parts(q[:, 0], v, shape.section(t))
        which = np.argmin(np.stack([parts["body"], parts["wing"], parts["roof"]]), axis=0)
        out = np.where(which == 0, 0, np.where(which == 2, 3, np.where(p[:, 0] >= 0, 1, 2)))
        return out.astype(np.int32)

    return label


def through(anatomy: Anatomy, x: float, t: float, beyond: float) -> tuple[np.ndarray, np.ndarray]:
    """The ends of a tunnel straight through the bone, front to back, at one place.

    The section at ``t`` is searched along ``v`` (every 0.25 mm, from 45 mm in front of the
    centre line to 45 mm behind it) for its first and last points in bone; where it has
    none, both ends start from the centre line.

    Parameters
    ----------
    anatomy : Anatomy
        The patient to place the tunnel in.
    x, t : float
        Where the tunnel runs, in section coordinates (VHM mm): across from the midline
        (+x right) and down the centre line.
    beyond : float
        How far past the pelvic and dorsal surfaces the ends lie (VHM mm: scaled with
        ``anatomy.scale``).

    Returns
    -------
    front, back : ndarray
        (3,) the end in front of the pelvic surface and the one behind the dorsal
        surface, S1 frame, mm.
    """
    shape = SacrumShape.default()
    v = np.arange(-45.0, 45.0, 0.25)
    inside = np.flatnonzero(section_field(np.full(len(v), x), v, shape.rows(np.full(len(v), t))) < 0.0)
    front, back = (v[inside[0]], v[inside[-1]]) if inside.size else (0.0, 0.0)
    return from_vhm(anatomy, x, t, front - beyond), from_vhm(anatomy, x, t, back + beyond)


def in_front(anatomy: Anatomy, x: float, t: float, clearance: float) -> np.ndarray:
    """Where a nerve lies on the sacrum's pelvic (anterior) surface.

    Parameters
    ----------
    anatomy : Anatomy
        The patient to place the point in.
    x : float
        Across from the midline (VHM mm, +x right).
    t : float
        Down the centre line (VHM mm).
    clearance : float
        The gap left in front of the bone (mm in the patient, not scaled).

    Returns
    -------
    ndarray
        (3,) the point, S1 frame, mm. Where the search along ``v`` (-45 to 40 mm) finds
        no bone, ``clearance`` in front of the centre line instead.
    """
    shape = SacrumShape.default()
    v = np.arange(-45.0, 40.0, 0.25)
    rows = shape.rows(np.full(len(v), t))
    inside = np.flatnonzero(section_field(np.full(len(v), x), v, rows) < 0.0)
    front = v[inside[0]] if inside.size else 0.0
    return from_vhm(anatomy, x, t, front - clearance / anatomy.scale)
