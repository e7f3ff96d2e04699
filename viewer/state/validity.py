"""Whether a built segment can be shown: the guard every user-chosen anatomy passes first.

(Here, above :mod:`meshes.pose`, because it poses the healthy segment; Qt-free.)

A file, ``--set`` or a slider can combine dimensions that are each plausible into a segment that is
not: a large root in a small foramen, a small sacrum round a large S1 root. Rather than draw such a
segment (a root inside bone at rest, surfaces through each other), :func:`problems` measures the
built and prepared segment and says what is wrong, in a line each; the command line then refuses
it with exit 2, the window keeps the segment it had. Fast: the prepared distance fields answer
the overlaps, and the healthy pose gives the roots' gaps (about 50 ms in all).
"""

from __future__ import annotations

import numpy as np

from meshes.pathology import Pathology
from meshes.pose import pose
from meshes.rest import Rest

# Bone may touch bone, within the sampled fields' own error (mm); a root must clear bone and disc
# at rest by this much in the pose's gaps (the readouts would call less compressed, and the drawn
# surfaces stand a few hundredths of a millimetre off the sampled fields).
BONE_OVERLAP_MM = 0.3
ROOT_MARGIN_MM = 0.05
ROOT_NAMES = {"root_L5_left": "left L5 root", "root_L5_right": "right L5 root",
              "root_S1_left": "left S1 root", "root_S1_right": "right S1 root"}


def problems(rest: Rest) -> list[str]:
    """What keeps a built segment from being shown, a line each; empty when it can be.

    Parameters
    ----------
    rest : Rest
        The segment built with the anatomy asked for, prepared (``meshes.preparation.prepare``).

    Returns
    -------
    list of str
        Each problem: a surface that is open or not manifold, L5 and S1 overlapping by more than
        :data:`BONE_OVERLAP_MM`, a root that meets bone or disc at rest (with how far, mm).
    """
    found = []
    for name, mesh in rest.segment.structures.items():
        if mesh.n_open_edges or not mesh.is_manifold:
            found.append(f"the {name.replace('_', ' ')} surface does not close")
    l5, s1 = rest.points["L5"], rest.points["S1"]
    into_s1 = -float(np.min(rest.fields["S1"](l5)))
    into_l5 = -float(min(np.min(rest.fields["L5_front"](s1)), np.min(rest.fields["L5_back"](s1))))
    if max(into_s1, into_l5) > BONE_OVERLAP_MM:
        found.append(f"L5 and S1 pass {max(into_s1, into_l5):.1f} mm into each other")
    gaps = pose(rest, Pathology()).root_gap
    for root, gap in gaps.items():
        if gap < ROOT_MARGIN_MM:
            found.append(f"the {ROOT_NAMES.get(root, root)} meets bone or disc at rest ({-gap:.2f} mm): "
                         f"its foramen or canal is too small for it")
    return found
