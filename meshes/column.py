"""Where L5's anterior column goes for a state: the slip, the disc's settling and the posture.

The motions only, no surfaces: :func:`meshes.pose.pose` builds on them, and the readouts of
flexion and extension (:mod:`meshes.dynamics`) place L5's landmarks with them in microseconds.
World frame RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from meshes.degeneration import settle_mm
from meshes.disc_shear import LEFT_ON_SACRUM
from meshes.frames import apply, translation
from meshes.pathology import Pathology
from meshes.posture import column_motion, reached, turn
from meshes.rest import Rest
from meshes.sdf_primitives import smoothstep
from meshes.slip import slip_motion


class Column(NamedTuple):
    """L5's motions for a state (see :func:`column_of`)."""

    state: Pathology  # the state, its posture as reached (extension stops at impaction)
    sink: float  # mm the degenerated disc lets L5 down
    left: float  # 0..1: how much of the disc is left on the sacrum as L5 rolls off
    settled: float  # mm the column settles with the disc
    motion: np.ndarray  # (4, 4) the anterior column's world motion: slip, settling, then posture
    whole: np.ndarray | None  # the whole of L5's turn (None at neutral)
    bend: np.ndarray | None  # the posture's part of ``motion`` (None at neutral)


def column_of(rest: Rest, pathology: Pathology) -> Column:
    """The motions of L5 for ``pathology``.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    pathology : Pathology
        The state.

    Returns
    -------
    Column
        The state as reached, the disc's settling and the column's, arch's and posture's motions.
    """
    sink = settle_mm(rest, pathology.degeneration)
    fraction = pathology.slip_percent / 100.0
    # From half the depth on, the disc is left flattened on the sacrum as L5 rolls off its front;
    # off the disc, the column no longer settles with it.
    left = smoothstep(LEFT_ON_SACRUM[0], LEFT_ON_SACRUM[1], fraction)
    settled = sink * (1.0 - left)
    motion = translation(-rest.w * settled) @ slip_motion(rest, pathology.slip_percent, settled)
    if pathology.posture != 0.0:  # the bend stops where bone would meet bone
        pathology = replace(pathology, posture=reached(rest, pathology.posture, fraction, sink, motion,
                                                       pathology.degeneration))
    whole = turn(rest, pathology.posture, fraction, pathology.degeneration)
    bend = column_motion(rest, pathology.posture, fraction, pathology.degeneration)
    if bend is not None:  # flexion or extension turns all of L5 (and glides a column cut off by a defect)
        motion = bend @ motion
    return Column(pathology, sink, left, settled, motion, whole, bend)


def l5_landmarks(rest: Rest, column: Column) -> dict[str, np.ndarray]:
    """The landmarks with L5's moved by ``column``'s motion (S1's stay).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    column : Column
        L5's motions (:func:`column_of`).

    Returns
    -------
    dict of str to ndarray
        Name -> point (world frame RAS, mm); new arrays.
    """
    marks = {k: v.copy() for k, v in rest.segment.landmarks.items()}
    for k in marks:
        if k.startswith("L5_"):
            marks[k] = apply(column.motion, marks[k][None])[0]
    return marks
