"""Flexion and extension read as on a pair of lateral radiographs: angle, translation, instability.

The segmental angle is L5's inferior endplate against S1's superior endplate, lordotic
positive. Translation is the slip in millimetres (L5's posterior-inferior corner along S1's
endplate). Against neutral they give the posture's own motion; between full extension and
full flexion, with the other conditions as they are, they give what a flexion–extension pair
shows, and the segment reads unstable past either limit:

- translation over :data:`TRANSLATION_LIMIT_MM` (3 mm; Dupuis 1985 used 4 mm, White & Panjabi
  1990 4.5 mm or 15% of the body's depth);
- angulation over :data:`ANGULATION_LIMIT_DEG`. The limits in use run from 10° to 20° (Dupuis
  1985; White & Panjabi 1990, who allow the most at L5–S1). L5–S1 normally moves 18°
  (Yamamoto 1989), so a limit under that would call every healthy segment unstable: the top
  of the range is used.

Only L5's landmarks are moved (:mod:`meshes.column`), so the pair costs microseconds.
World frame RAS (+x right, +y anterior, +z superior), mm, degrees.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from meshes.column import column_of, l5_landmarks
from meshes.frames import s1_axes
from meshes.pathology import Pathology
from meshes.rest import Rest

TRANSLATION_LIMIT_MM = 3.0
ANGULATION_LIMIT_DEG = 20.0
# How many states' extension-flexion pairs are kept (an animation asks the same one each frame).
PAIRS_KEPT = 16


def segmental_angle_deg(marks: dict[str, np.ndarray]) -> float:
    """L5's inferior endplate against S1's superior endplate, in the sagittal plane.

    Parameters
    ----------
    marks : dict of str to ndarray
        Landmarks (world frame RAS, mm): L5's inferior endplate corners and S1's endplate's.

    Returns
    -------
    float
        Degrees, positive when the disc is wider in front (lordotic).
    """
    u, w, _ = s1_axes(marks)
    l5 = marks["L5_inferior_endplate_anterior"] - marks["L5_inferior_endplate_posterior"]
    return float(np.degrees(np.arctan2(l5 @ w, l5 @ u)))


def translation_mm(marks: dict[str, np.ndarray]) -> float:
    """L5's posterior-inferior corner ahead of S1's posterior-superior corner, along S1's endplate.

    Parameters
    ----------
    marks : dict of str to ndarray
        Landmarks (world frame RAS, mm).

    Returns
    -------
    float
        mm forward (negative: behind, a retrolisthesis).
    """
    u, _, _ = s1_axes(marks)
    return float((marks["L5_inferior_endplate_posterior"] - marks["S1_endplate_posterior"]) @ u)


def _marks(rest: Rest, state: Pathology, posture: float) -> tuple[dict[str, np.ndarray], float]:
    """L5's landmarks in ``posture`` (others as ``state``), and the posture reached."""
    column = column_of(rest, replace(state, posture=posture))
    return l5_landmarks(rest, column), column.state.posture


def _pair(rest: Rest, state: Pathology) -> tuple[dict, dict]:
    """L5's landmarks in full extension and full flexion, the latest :data:`PAIRS_KEPT` kept on
    ``rest`` (they depend on the slip and the disc's wear only)."""
    key = (state.slip_percent, state.degeneration)
    kept = rest.bent_landmarks
    if key not in kept:
        while len(kept) >= PAIRS_KEPT:
            kept.pop(next(iter(kept)))
        kept[key] = (_marks(rest, state, -1.0)[0], _marks(rest, state, 1.0)[0])
    return kept[key]


def posture_readouts(rest: Rest, state: Pathology) -> dict:
    """The posture's readouts: against neutral, and the flexion–extension pair.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    state : Pathology
        The state; its posture is read against neutral, and the pair is taken at -1 and +1
        with every other condition as it is.

    Returns
    -------
    dict
        ``posture`` (as reached: extension stops where the facets impact),
        ``segmental_angle_deg`` (lordotic positive), ``flexion_from_neutral_deg`` (degrees,
        flexion positive), ``translation_from_neutral_mm`` (mm, forward positive) and
        ``flexion_extension``: ``translation_mm`` and ``angulation_deg`` from full extension to
        full flexion, ``unstable``, ``reasons`` (the limits passed, as text) and ``limits``
        (the translation in mm and angulation in degrees past which a pair reads unstable).
    """
    here, reached = _marks(rest, state, state.posture)
    neutral, _ = _marks(rest, state, 0.0)
    extended, flexed = _pair(rest, state)
    moved = translation_mm(flexed) - translation_mm(extended)
    turned = segmental_angle_deg(extended) - segmental_angle_deg(flexed)
    reasons = []
    if moved > TRANSLATION_LIMIT_MM:
        reasons.append(f"translation over {TRANSLATION_LIMIT_MM:g} mm")
    if turned > ANGULATION_LIMIT_DEG:
        reasons.append(f"angulation over {ANGULATION_LIMIT_DEG:g} degrees")
    return {
        "posture": round(reached, 3) + 0.0,
        "segmental_angle_deg": round(segmental_angle_deg(here), 2) + 0.0,
        "flexion_from_neutral_deg": round(segmental_angle_deg(neutral) - segmental_angle_deg(here), 2) + 0.0,
        "translation_from_neutral_mm": round(translation_mm(here) - translation_mm(neutral), 2) + 0.0,
        "flexion_extension": {
            "translation_mm": round(moved, 2) + 0.0,
            "angulation_deg": round(turned, 2) + 0.0,
            "unstable": bool(reasons),
            "reasons": reasons,
            "limits": {"translation_mm": TRANSLATION_LIMIT_MM, "angulation_deg": ANGULATION_LIMIT_DEG},
        },
    }
