"""Where a sequestered fragment migrates: along the root its herniation's zone reaches.

Past extrusion a free fragment comes off the herniation (:func:`meshes.herniation.herniate`)
and moves caudally along a root: central and subarticular fragments down the canal beside the
traversing S1 root, foraminal and extraforaminal ones along the exiting L5 root. It presses a
little into that root and is kept out of bone. World frame RAS (+x right, +y anterior,
+z superior), mm.
"""

from __future__ import annotations

import numpy as np

from meshes.fields import gradient
from meshes.obstacles import obstacle_fields
from meshes.pathology import Pathology
from meshes.posture import carry, column_motion, turn
from meshes.rest import Herniation, Rest
from meshes.sdf_primitives import smoothstep

# How far (mm) a sequestered fragment migrates along its root by the end, per zone, and how
# deep it presses into the root it rides against (the root yields around it).
FRAGMENT_MIGRATION_MM = {"central": 10.0, "subarticular": 10.0, "foraminal": 2.0, "extraforaminal": 10.0}
FRAGMENT_PRESS_MM = 4.0


def migrated_fragment_centre(rest: Rest, pathology: Pathology, h: Herniation, start: np.ndarray, radius: float,
                             drift: float, shear: np.ndarray | None, sink: float) -> np.ndarray:
    """Where a sequestered fragment has migrated to, ``drift`` of its way.

    Central and subarticular fragments go down behind S1 in the canal, beside the
    traversing S1 root; foraminal ones along the exiting L5 root within the foramen, and
    extraforaminal ones down and out along it, in front of the ala. The fragment rides
    against its root, pressed into it by :data:`FRAGMENT_PRESS_MM`, and is then moved
    out of any bone it would enter.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    pathology : Pathology
        The state (its zone and side).
    h : Herniation
        The herniation of that zone and side.
    start : (3,) ndarray
        Where the fragment leaves the disc (world frame RAS, mm).
    radius : float
        The fragment's radius (mm).
    drift : float
        0..1: how far along its way (:data:`FRAGMENT_MIGRATION_MM`) it has gone.
    shear : (4, 4) ndarray or None
        World motion of L5's anterior column (its roots go with it); None: not moved.
    sink : float
        How far (mm) a degenerated disc has let L5's arch down.

    Returns
    -------
    (3,) ndarray
        The fragment's centre (world frame RAS, mm).
    """
    canal = pathology.zone in ("central", "subarticular")
    root = rest.roots[f"root_{'S1' if canal else 'L5'}_{pathology.side}"]
    whole = turn(rest, pathology.posture, pathology.slip_percent / 100.0, pathology.degeneration)
    centres = carry(root, shear, column_motion(rest, pathology.posture, pathology.slip_percent / 100.0,
                                               pathology.degeneration))
    # It sets off from the stretch of root nearest the fissure at rest (fixed, so the path
    # never jumps from one stretch to another as the herniation grows).
    key = (pathology.zone, pathology.side)
    if key not in rest.cache.fragment_start:
        rest.cache.fragment_start[key] = int(np.argmin(np.linalg.norm(root.centres - (h.centre + h.n * h.reach),
                                                                      axis=1)))
    k0 = rest.cache.fragment_start[key]
    step = np.linalg.norm(np.diff(centres, axis=0), axis=1)
    along = np.r_[0.0, np.cumsum(step)]
    target = along[k0] + drift * FRAGMENT_MIGRATION_MM[pathology.zone]
    k = int(np.clip(np.searchsorted(along, target), 1, len(centres) - 1))
    t = float(np.clip((target - along[k - 1]) / max(step[k - 1], 1e-9), 0.0, 1.0))
    axis_point = centres[k - 1] + t * (centres[k] - centres[k - 1])
    r_root = float(root.radii[k])
    # Keep to the side of the root it came from.
    side = start - centres[k0]
    tangent = centres[min(k0 + 1, len(centres) - 1)] - centres[max(k0 - 1, 0)]
    tangent /= np.linalg.norm(tangent)
    side -= (side @ tangent) * tangent
    side /= max(np.linalg.norm(side), 1e-9)
    reach = r_root + radius - FRAGMENT_PRESS_MM * smoothstep(0.0, 0.3, drift)
    here = start + drift * (axis_point + side * reach - start) if drift < 1.0 else axis_point + side * reach
    # Out of bone: step along the bone's gradient until the fragment clears it.
    bone = obstacle_fields(rest, shear, lambda q: q, None, sink, whole=whole)
    for _ in range(6):
        values = {name: gradient(bone[name], here[None]) for name in ("S1", "L5_front", "L5_back")}
        name = min(values, key=lambda n: values[n][0][0])
        d, g = values[name][0][0], values[name][1][0]
        short = radius - d
        if short <= 0.0:
            break
        here = here + (short + 0.1) * g
    return here
