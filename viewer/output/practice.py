"""The practice quiz's pictures: a question's film or 3D scene as an RGB image, with no display.

A :class:`viewer.state.practice.Picture` names its maker; :data:`MAKERS` draws each: ``film``
with :func:`viewer.output.film.film_image` (a radiograph or T2 slice, the lateral film's
Meyerding overlay on or off), ``scene`` with :func:`viewer.output.screenshot.render` (labels
off, one structure tinted). A kind that needs another picture (a flexion-extension pair) adds a
maker here.
"""

from __future__ import annotations

import numpy as np

from viewer.state.practice import Picture, Question

# How strongly the "name it" question's structure stands out: the others are ghosted to this
# opacity, and it alone keeps its own.
GHOSTED = 0.35


def _film(rest, picture: Picture, question: Question, size: tuple[int, int]) -> np.ndarray:
    from meshes.modalities import PAIRS
    from meshes.pose import pose
    from viewer.output.film import film_image

    state = question.case.state
    if picture.modality in PAIRS:  # two films side by side: twice as wide as high
        size = (size[0], max(16, size[0] // 2))
    return film_image(rest, pose(rest, state), state, picture.modality, size, overlay=picture.overlay,
                      measured=question.measured)


def _scene(rest, picture: Picture, question: Question, size: tuple[int, int]) -> np.ndarray:
    from viewer.output.screenshot import render
    from viewer.state.model import SceneModel

    model = SceneModel.for_rest(rest, question.case.state, view=picture.view, labels=False,
                                selection=picture.highlight)
    if picture.highlight is not None:
        model.opacity = {name: 1.0 if name == picture.highlight else GHOSTED for name in model.structures}
    return render(rest, model, size, caption=picture.caption or None)


MAKERS = {"film": _film, "scene": _scene}


def picture_image(rest, question: Question, size: tuple[int, int] = (640, 640), reveal: bool = False):
    """The picture of ``question`` (or of its reveal), as an RGB image; None for a text-only question.

    Parameters
    ----------
    rest : Rest
        The prepared segment the session posed its cases on.
    question : Question
        The question (its case and pictures).
    size : tuple of int
        ``(width, height)`` in pixels.
    reveal : bool
        The picture shown with the answer (the lateral film with its overlay) instead.

    Returns
    -------
    (height, width, 3) ndarray of uint8 or None
    """
    picture = question.reveal if reveal else question.picture
    if picture is None:
        return None
    return MAKERS[picture.maker](rest, picture, question, size)
