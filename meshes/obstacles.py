"""The distance fields posed roots yield to: bone, disc and herniation where they now are.

Each field is the rest piece's sampled distance read through the piece's motion (L5's
slipping column, its sinking arch, the sheared disc), so no field is sampled again while
posing. World frame RAS (+x right, +y anterior, +z superior), mm, negative inside.
"""

from __future__ import annotations

import numpy as np

from meshes.frames import apply, translation
from meshes.rest import Rest


def obstacle_fields(rest: Rest, motion: np.ndarray | None, unshear, her_field, sink: float = 0.0, disc=None,
                    drawn_disc=None, whole: np.ndarray | None = None):
    """The distance fields (world, mm) the roots yield to, as posed.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    motion : (4, 4) ndarray or None
        World motion of L5's anterior column; None: not moved.
    unshear : callable
        ``q -> rest positions`` of posed disc points (:func:`meshes.disc_shear.unshear_map`).
    her_field : callable or None
        The herniated disc's field, added as ``"herniation"`` when not None.
    sink : float, default 0
        How far (mm) a degenerated disc has let L5's arch down.
    disc : callable, optional
        The rest disc's field as the roots meet it (by default the rest disc's own; see
        :func:`meshes.degeneration.bulged_disc_field`).
    drawn_disc : callable, optional
        A moved disc's own surfaces (:class:`meshes.root_clearance.DrawnDisc`), which the roots
        then meet instead.
    whole : (4, 4) ndarray, optional
        The whole of L5's turn in flexion or extension (:func:`meshes.posture.turn`): the arch
        goes with it (after sinking).

    Returns
    -------
    dict of str to callable
        ``"S1"``, ``"L5_back"``, ``"L5_front"``, ``"disc"`` and maybe ``"herniation"``: each
        ``points (n, 3) -> (n,)`` signed distance (world frame RAS, mm, negative inside).
    """
    f = rest.fields
    disc = f["disc"] if disc is None else disc
    out = {"S1": f["S1"], "L5_back": f["L5_back"]}
    arch = arch_motion(rest, sink, whole)
    if arch is not None:
        back = np.linalg.inv(arch)
        out["L5_back"] = lambda q: f["L5_back"](apply(back, q))
    if motion is None:
        out["L5_front"] = f["L5_front"]
        out["disc"] = disc
    else:
        inv = np.linalg.inv(motion)
        out["L5_front"] = lambda q: f["L5_front"](apply(inv, q))
        out["disc"] = drawn_disc if drawn_disc is not None else (lambda q: disc(unshear(q)))
    if her_field is not None:
        out["herniation"] = her_field
    return out


def arch_motion(rest: Rest, sink: float, whole: np.ndarray | None) -> np.ndarray | None:
    """The world motion of L5's posterior arch: sunk with a degenerated disc, then turned.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment.
    sink : float
        How far (mm) a degenerated disc has let the arch down.
    whole : (4, 4) ndarray or None
        The whole of L5's turn in flexion or extension; None: neutral.

    Returns
    -------
    (4, 4) ndarray or None
        The arch's motion (world frame RAS, mm); None when it has not moved.
    """
    if sink <= 0.0 and whole is None:
        return None
    down = translation(-rest.w * sink)
    return down if whole is None else whole @ down
