"""Films of the posed segment as clinicians read them: computed radiographs with their
measurement drawn on, and T2-weighted MRI slices, as RGB images for the imaging pane and
``l5s1-viewer image``.

The pixels come from :mod:`meshes.radiograph` and :mod:`meshes.mri`; the overlay's construction and numbers from
:mod:`meshes.film_overlay` (the readouts' own). Drawing is Pillow's, large enough for the back
of a room: lines a little over 1/300 of the film wide, text 1/24 of its height.
"""

from __future__ import annotations

import numpy as np

from meshes.film_overlay import FilmOverlay, meyerding_overlay, motion_overlay, scottie_overlay
from meshes.modalities import FILMS, MRI, OVERLAID, PAIRS, TITLES
from meshes.pose import pose, posed_structures, readouts
from meshes.radiograph import projection, radiograph

MODALITIES = FILMS
# Calm, distinct on grey: S1's quarters amber, L5's corner and endplate sky blue, text white.
S1_COLOUR = (240, 190, 70)
L5_COLOUR = (110, 190, 240)
TEXT_COLOUR = (255, 255, 255)


class FilmError(ValueError):
    """A film that cannot be made (an unknown modality, a size out of range): one line."""


def check_film_size(size: tuple[int, int]) -> tuple[int, int]:
    """``size`` if a film can be that big, else :class:`FilmError` with the allowed range.

    Parameters
    ----------
    size : tuple of int
        ``(width, height)`` in pixels.

    Returns
    -------
    tuple of int
        The same size.
    """
    width, height = size
    if not (16 <= width <= 4096 and 16 <= height <= 4096):
        raise FilmError(f"a film is 16 to 4096 pixels a side, got {width}x{height}")
    return size


def film_image(rest, posed, state, modality: str, size: tuple[int, int] = (512, 512),
               overlay: bool = True, measured: dict | None = None, slice_mm: float = 0.0,
               caption: str | None = None) -> np.ndarray:
    """The film ``modality`` of a posed state, as an RGB image.

    Parameters
    ----------
    rest : Rest
        The prepared segment.
    posed : Posed
        The state posed (``meshes.pose.pose``).
    state : Pathology
        The state, for the readouts the overlay prints.
    modality : str
        One of :data:`MODALITIES`.
    size : tuple of int
        ``(width, height)`` in pixels, 16 to 4096 each.
    overlay : bool
        Draw the teaching overlay: on the lateral film Meyerding's quarters, the perpendicular,
        the slip angle's lines and their numbers; on an oblique the Scottie dog's parts named.
        Off, students grade it and find them themselves.
    measured : dict, optional
        The state's readouts (``meshes.pose.readouts``) when already taken, as the frame
        pipeline has; else they are taken here.
    slice_mm : float, default 0.0
        An MRI slice's distance from its standard plane (mm, ``meshes.slice_planes.slice_plane``:
        toward the patient's right, or the head for the axial), printed under the title; a
        radiograph has none.
    caption : str, optional
        A line burnt in along the film's foot (a lesson step's title, in recordings).

    Returns
    -------
    (height, width, 3) ndarray of uint8
        The film, bone white on black, with its title and any overlay.
    """
    if modality not in MODALITIES:
        raise FilmError(f"unknown modality {modality!r}; choose from {', '.join(MODALITIES)}")
    check_film_size(size)
    structures = posed_structures(rest, posed)
    if modality in MRI:
        from meshes.mri import t2_slice
        from meshes.slice_planes import slice_plane, where

        grey = t2_slice(rest, posed, structures, slice_plane(rest, posed, modality, slice_mm), size).image
        image = np.repeat((255.0 * np.clip(grey, 0.0, 1.0) + 0.5).astype(np.uint8)[..., None], 3, axis=2)
        # Moved off the midline, the mid-sagittal slice is a parasagittal one.
        title = "T2 parasagittal" if modality == "mri-sagittal" and round(slice_mm) else TITLES[modality]
        return _draw(image, title, None, _MARKS[modality], where(modality, slice_mm), caption)
    if slice_mm:
        raise FilmError(f"a slice position applies to the MRI films, not to {modality}")
    if modality in PAIRS:
        return _flexion_extension(rest, state, size, overlay, caption)
    film = projection(modality, posed.landmarks)
    grey = radiograph(rest, structures, film, size)
    image = np.repeat((255.0 * grey + 0.5).astype(np.uint8)[..., None], 3, axis=2)
    drawn = None
    if overlay and modality == "xray-lateral":
        measured = measured if measured is not None else readouts(rest, posed, state)
        drawn = meyerding_overlay(posed.landmarks, film, size, measured)
    elif overlay and modality in OVERLAID:
        drawn = scottie_overlay(rest, posed, film, size)
    return _draw(image, TITLES[modality], drawn, _MARKS[modality], caption=caption)


def _flexion_extension(rest, state, size: tuple[int, int], overlay: bool, caption: str | None) -> np.ndarray:
    """The lateral films in full extension (left) and full flexion (right), side by side.

    Both are centred on S1, so L5's motion between them shows. With the overlay each names its
    posture and draws and prints L5's angle and translation on S1, and the foot says what the
    pair measures and whether that is unstable (:func:`meshes.dynamics.posture_readouts`).
    """
    from dataclasses import replace

    from PIL import Image, ImageDraw

    from meshes.dynamics import posture_readouts, segmental_angle_deg, translation_mm

    width, height = size
    half = (max(16, width // 2), height)
    halves = []
    for posture, word in ((-1.0, "Extension"), (1.0, "Flexion")):
        bent = replace(state, posture=posture)
        posed = pose(rest, bent)
        # How far it bent from neutral (a worn disc or the arch's impaction stops it short).
        title = f"{word} {abs(posture_readouts(rest, bent)['flexion_from_neutral_deg']):.0f}°"
        film = projection("xray-lateral", posed.landmarks)
        grey = radiograph(rest, posed_structures(rest, posed), film, half)
        image = np.repeat((255.0 * grey + 0.5).astype(np.uint8)[..., None], 3, axis=2)
        marks = posed.landmarks
        drawn = (motion_overlay(marks, film, half, title, segmental_angle_deg(marks), translation_mm(marks))
                 if overlay else FilmOverlay(text=[word]))
        halves.append(_draw(image, TITLES["xray-lateral"], drawn, _MARKS["xray-lateral"]))
    image = np.hstack(halves)[:, :width] if 2 * half[0] >= width else np.pad(
        np.hstack(halves), ((0, 0), (0, width - 2 * half[0]), (0, 0)))
    picture = Image.fromarray(np.ascontiguousarray(image))
    pen = ImageDraw.Draw(picture)
    pen.line([(half[0], 0), (half[0], height)], fill=(90, 90, 90), width=max(1, round(width / 400)))
    foot = []
    if overlay:
        fe = posture_readouts(rest, state)["flexion_extension"]
        verdict = ("unstable (" + ", ".join(fe["reasons"]) + ")" if fe["unstable"]
                   else f"stable (limits {fe['limits']['translation_mm']:g} mm, {fe['limits']['angulation_deg']:g}°)")
        foot.append(f"Flexion–extension {fe['translation_mm']:.1f} mm, {fe['angulation_deg']:.0f}°: {verdict}")
    if caption:
        foot.append(caption)
    margin = height // 40
    font = _fitted(pen, foot, width - 2 * margin, max(10, height // 24))
    y = height - margin
    if foot:  # on a dark band, clear of the sacrum behind
        band = height - 2 * margin - int(1.3 * font.size) * len(foot)
        pen.rectangle([0, band, width, height], fill=(0, 0, 0))
    for line in reversed(foot):
        pen.text((width // 2, y), line, fill=TEXT_COLOUR, font=font, anchor="md", stroke_width=2,
                 stroke_fill=(0, 0, 0))
        y -= int(1.3 * font.size)
    return np.asarray(picture)


# Side markers, as on the scanner's films: where the patient's right and front are.
_MARKS = {"mri-axial": ("R", "L"), "mri-sagittal": ("A", "P"), "mri-foramen-left": ("A", "P"),
          "mri-foramen-right": ("A", "P"), "xray-lateral": ("A", "P"), "xray-ap": ("R", "L"),
          "xray-oblique-left": ("R", "L"), "xray-oblique-right": ("R", "L"), "xray-flexion-extension": ("A", "P")}


def _draw(image: np.ndarray, title: str, drawn, marks: tuple[str, str] | None = None, place: str | None = None,
          caption: str | None = None) -> np.ndarray:
    from PIL import Image, ImageDraw

    picture = Image.fromarray(image)
    pen = ImageDraw.Draw(picture)
    width, height = picture.size
    line = max(2, round(width / 300))
    font, small = _font(max(12, height // 24)), _font(max(10, height // 32))
    margin = height // 40
    pen.text((width - margin, margin), title, fill=TEXT_COLOUR, font=small, anchor="ra")
    if place is not None:  # where an MRI slice lies
        pen.text((width - margin, margin + int(1.3 * small.size)), place, fill=TEXT_COLOUR, font=small, anchor="ra")
    if caption:
        pen.text((width // 2, height - margin), caption, fill=TEXT_COLOUR, font=small, anchor="md",
                 stroke_width=2, stroke_fill=(0, 0, 0))
    if marks is not None:  # the image's left and right edges
        pen.text((margin, height // 2), marks[0], fill=TEXT_COLOUR, font=small, anchor="lm")
        pen.text((width - margin, height // 2), marks[1], fill=TEXT_COLOUR, font=small, anchor="rm")
    if drawn is None:
        return np.asarray(picture)
    for text, point, at in drawn.labels:  # named points, each with its leader line
        anchor = "lm" if at[0] >= point[0] else "rm"
        left, top, right, bottom = pen.textbbox(tuple(at), text, font=font, anchor=anchor, stroke_width=2)
        at = (at[0] + max(margin - left, 0) - max(right - (width - margin), 0),
              at[1] + max(margin - top, 0) - max(bottom - (height - margin), 0))  # kept on the film
        pen.line([tuple(point), at], fill=L5_COLOUR, width=max(1, line // 2))
        dot = 1.5 * line
        pen.ellipse([point[0] - dot, point[1] - dot, point[0] + dot, point[1] + dot], fill=L5_COLOUR)
        pen.text(at, text, fill=TEXT_COLOUR, font=font, anchor=anchor, stroke_width=2, stroke_fill=(0, 0, 0))
    if drawn.legend:  # what the names stand for, small along the foot
        legend = _font(max(9, height // 40))
        y = height - margin - int(1.25 * legend.size) * len(drawn.legend)
        for entry in drawn.legend:
            pen.text((margin, y), entry, fill=TEXT_COLOUR, font=legend, stroke_width=2, stroke_fill=(0, 0, 0))
            y += int(1.25 * legend.size)
    for name, ends in drawn.lines.items():
        colour = L5_COLOUR if name in ("l5_endplate", "perpendicular") else S1_COLOUR
        thick = line if name.startswith(("s1_endplate", "quarter", "perpendicular", "slip")) else max(1, line // 2)
        pen.line([tuple(ends[0]), tuple(ends[1])], fill=colour, width=thick)
    if "l5_corner" in drawn.points:
        c, r = drawn.points["l5_corner"]
        dot = 2 * line
        pen.ellipse([c - dot, r - dot, c + dot, r + dot], outline=L5_COLOUR, width=line)
    y = margin
    for text in drawn.text:
        pen.text((margin, y), text, fill=TEXT_COLOUR, font=font, stroke_width=2, stroke_fill=(0, 0, 0))
        y += int(1.3 * font.size)
    return np.asarray(picture)


def _fitted(pen, lines: list[str], width: int, size: int):
    """The largest font, up to ``size`` pixels, in which every one of ``lines`` fits ``width``."""
    font = _font(size)
    while size > 9 and any(pen.textlength(line, font=font) > width for line in lines):
        size -= 1
        font = _font(size)
    return font


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)  # fonts-dejavu-core, as the Makefile installs
    except OSError:
        return ImageFont.load_default(size=size)
