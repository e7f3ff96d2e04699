"""What is drawn on a film to teach it: Meyerding's quarters and the slip angle on a lateral
radiograph (:func:`meyerding_overlay`), the Scottie dog's parts named on a posterior oblique
(:func:`scottie_overlay`), the translation and angle on each of a flexion–extension pair
(:func:`motion_overlay`).

Everything is placed from the same posed landmarks that :func:`meshes.measure.alignment`
measures, and the numbers are the readouts' own, so the film says what ``measure`` says:

- S1's superior endplate, posterior to anterior corner, divided into its four quarters
  (Meyerding 1932: grade I up to 25%, II to 50%, III to 75%, IV to 100%);
- L5's posterior-inferior corner, and the perpendicular from it to S1's endplate line: its
  foot's distance past S1's posterior corner is the slip;
- the slip angle's lines (Boxall 1979): the posterior wall of S1's body, the line square to it
  from its top, and L5's inferior endplate drawn past its corners, so the angle between the last
  two can be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from meshes.frames import s1_axes
from meshes.measure import boxall_reference
from meshes.radiograph import Projection

# How far the slip angle's lines run past L5's corners, and the quarter ticks' half length (mm).
ANGLE_LINE_PAST_MM = 14.0
TICK_MM = 3.0


@dataclass(frozen=True)
class FilmOverlay:
    """Lines, points and text to draw on a film, in its pixels.

    Attributes
    ----------
    lines : dict of str to (2, 2) ndarray
        Named segments, ``(column, row)`` end points: ``s1_endplate``, ``quarter_1`` to
        ``quarter_3`` (and ``quarter_0``/``quarter_4`` at the corners), ``perpendicular``,
        ``slip`` (along S1's endplate, from its posterior corner to the perpendicular's foot),
        ``l5_endplate``, ``s1_wall`` (the back of S1's body) and ``s1_wall_square`` (square to it,
        forward from its top).
    points : dict of str to (2,) ndarray
        ``l5_corner``: L5's posterior-inferior corner.
    text : list of str
        The readouts as printed on the film: slip and grade, slip angle.
    numbers : dict of str to object
        The values the text shows, as ``measure --json`` gives them.
    labels : list of (str, (2,) ndarray, (2,) ndarray)
        Named points: the name, the point it names and where its text starts (``(column,
        row)``), joined by a leader line.
    legend : list of str
        Lines that say what the names stand for, written small along the film's foot.
    """

    lines: dict[str, np.ndarray] = field(default_factory=dict)
    points: dict[str, np.ndarray] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)
    numbers: dict[str, object] = field(default_factory=dict)
    labels: list[tuple[str, np.ndarray, np.ndarray]] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)


def meyerding_overlay(marks: dict[str, np.ndarray], film: Projection, size: tuple[int, int],
                      readouts: dict) -> FilmOverlay:
    """The Meyerding and slip-angle construction on a lateral film.

    Parameters
    ----------
    marks : dict of str to ndarray
        The posed landmarks (world RAS, mm) the readouts were measured on.
    film : Projection
        The lateral film the overlay is drawn on.
    size : tuple of int
        The film's ``(width, height)`` in pixels.
    readouts : dict
        :func:`meshes.pose.readouts` of the same state: ``slip_percent``, ``meyerding_grade``
        and ``slip_angle_deg`` are printed as they are.

    Returns
    -------
    FilmOverlay
        The construction in the film's pixels, and its text.
    """
    u, _, depth = s1_axes(marks)
    back, front = marks["S1_endplate_posterior"], marks["S1_endplate_anterior"]
    corner = marks["L5_inferior_endplate_posterior"]
    l5_front = marks["L5_inferior_endplate_anterior"]
    foot = back + np.dot(corner - back, u) * u
    normal = np.cross(film.direction, u)  # in the film, square to the endplate
    normal /= np.linalg.norm(normal)
    world = {
        "s1_endplate": (back, front),
        "perpendicular": (corner, foot),
        "slip": (back, foot),
    }
    for k in range(5):
        at = back + k * 0.25 * depth * u
        world[f"quarter_{k}"] = (at - TICK_MM * normal, at + TICK_MM * normal)
    l5_dir = (l5_front - corner) / np.linalg.norm(l5_front - corner)
    world["l5_endplate"] = (corner - ANGLE_LINE_PAST_MM * l5_dir, l5_front + ANGLE_LINE_PAST_MM * l5_dir)
    top, bottom = marks["S1_posterior_wall_superior"], marks["S1_posterior_wall_inferior"]
    square, wall = boxall_reference(marks)
    world["s1_wall"] = (bottom, top + 0.5 * ANGLE_LINE_PAST_MM * wall)
    world["s1_wall_square"] = (top, top + (depth + ANGLE_LINE_PAST_MM) * square)
    lines = {name: film.to_pixel(np.array(ends), size) for name, ends in world.items()}
    numbers = {key: readouts[key] for key in ("slip_percent", "meyerding_grade", "slip_angle_deg")}
    text = [f"Slip {numbers['slip_percent']:.0f}%  ·  Meyerding {numbers['meyerding_grade']}",
            f"Slip angle {numbers['slip_angle_deg']:+.0f}°"]
    return FilmOverlay(lines, {"l5_corner": film.to_pixel(corner, size)[0]}, text, numbers)


# The Scottie dog on a posterior oblique: each part, the L5 region of the side nearer the film
# that draws it, and which of the region's points the name points at (its centre, or its end
# furthest along a world direction: the nose's tip lateral, the ear's top, the front leg's foot).
DOG = (("nose", "transverse_process", "lateral"), ("eye", "pedicle", "centre"),
       ("ear", "superior_articular_process", "up"), ("neck", "pars", "centre"),
       ("front leg", "inferior_articular_process", "down"))
# Where each name is written from its point, in fractions of the film's width: (toward the
# patient's front in the film, up). The dog faces the front.
DOG_LABEL_OFFSET = {"nose": (0.06, 0.10), "eye": (0.10, 0.14), "ear": (-0.10, -0.01), "neck": (-0.22, 0.04),
                    "front leg": (-0.16, -0.10)}


def scottie_overlay(rest, posed, film: Projection, size: tuple[int, int]) -> FilmOverlay:
    """The Scottie dog's parts named on a posterior oblique film, from the posed L5.

    The dog is the arch of the side nearer the film (the left for ``xray-oblique-left``): its
    nose the transverse process, its eye the pedicle, its ear the superior articular process,
    its neck the pars interarticularis and its front leg the inferior articular process. Once a
    slip has opened the pars defect (the posed segment has that side's scar) the neck is named
    as the collar.

    Parameters
    ----------
    rest : Rest
        The prepared segment (the L5's region of each cell).
    posed : Posed
        The posed state: L5's points, and the pars scars present.
    film : Projection
        The oblique film drawn on.
    size : tuple of int
        The film's ``(width, height)`` in pixels.

    Returns
    -------
    FilmOverlay
        ``labels`` with each part's name, the film point it names and where its text goes.
    """
    from meshes.vertebra_l5 import L5_REGIONS

    side = film.name.rsplit("-", 1)[1]
    l5 = rest.segment.structures["L5"]
    region = np.asarray(l5.cell_data["region"])
    faces = np.asarray(l5.faces).reshape(-1, 4)[:, 1:]
    points = np.asarray(posed.points["L5"])
    lateral = np.array([-1.0 if side == "left" else 1.0, 0.0, 0.0])
    along = {"lateral": lateral, "up": np.array([0.0, 0.0, 1.0]), "down": np.array([0.0, 0.0, -1.0])}
    width, _ = size
    front = np.sign(film.right @ np.array([0.0, 1.0, 0.0]))  # +1: the patient's front on the image's right
    collar = f"pars_scar_{side}" in posed.scars
    labels, legend = [], []
    for part, name, where in DOG:
        vertices = np.unique(faces[region == L5_REGIONS.index(f"{name}_{side}")])
        cloud = points[vertices]
        at = cloud.mean(axis=0) if where == "centre" else cloud[np.argmax(cloud @ along[where])]
        pixel = film.to_pixel(at, size)[0]
        dx, dy = DOG_LABEL_OFFSET[part]
        text = "collar" if part == "neck" and collar else part
        labels.append((text, pixel, pixel + width * np.array([front * dx, -dy])))
        legend.append(f"{part} = {name.replace('_', ' ')}" if name != "pars" else "neck = pars interarticularis")
    if collar:
        legend.append("collar = the pars defect")
    return FilmOverlay(labels=labels, numbers={"collar": collar}, legend=legend)


def motion_overlay(marks: dict[str, np.ndarray], film: Projection, size: tuple[int, int], title: str,
                   angle_deg: float, translation_mm: float) -> FilmOverlay:
    """What one film of a flexion–extension pair shows: L5 on S1, its angle and translation.

    S1's endplate, L5's inferior endplate drawn past its corners, the perpendicular from L5's
    posterior-inferior corner to S1's endplate line, a tick at S1's posterior corner and the
    stretch of the line from there to the foot (the slip, whose change is the translation).

    Parameters
    ----------
    marks : dict of str to ndarray
        The posed landmarks (world RAS, mm) of this film's posture.
    film : Projection
        The lateral film.
    size : tuple of int
        The film's ``(width, height)`` in pixels.
    title : str
        The film's name: its posture and how far it bent ("Extension 7°").
    angle_deg, translation_mm : float
        The segmental angle (degrees, printed as the L5–S1 lordosis) and the slip in mm (L5's
        corner forward of S1's, or back) measured on ``marks`` (:mod:`meshes.dynamics`).

    Returns
    -------
    FilmOverlay
        The lines in the film's pixels, and its text.
    """
    u, _, _ = s1_axes(marks)
    back, front = marks["S1_endplate_posterior"], marks["S1_endplate_anterior"]
    corner = marks["L5_inferior_endplate_posterior"]
    l5_front = marks["L5_inferior_endplate_anterior"]
    foot = back + np.dot(corner - back, u) * u
    l5_dir = (l5_front - corner) / np.linalg.norm(l5_front - corner)
    normal = np.cross(film.direction, u)  # in the film, square to the endplate
    normal /= np.linalg.norm(normal)
    world = {"s1_endplate": (back - ANGLE_LINE_PAST_MM * u, front + ANGLE_LINE_PAST_MM * u),
             "quarter_0": (back - TICK_MM * normal, back + TICK_MM * normal),
             "perpendicular": (corner, foot), "slip": (back, foot),
             "l5_endplate": (corner - ANGLE_LINE_PAST_MM * l5_dir, l5_front + ANGLE_LINE_PAST_MM * l5_dir)}
    lines = {name: film.to_pixel(np.array(ends), size) for name, ends in world.items()}
    numbers = {"segmental_angle_deg": round(angle_deg, 2), "translation_mm": round(translation_mm, 2)}
    where = f"{abs(translation_mm):.1f} mm {'forward' if translation_mm >= 0.0 else 'back'}"
    text = [title, f"Lordosis {angle_deg:.0f}°  ·  L5 {where}"]
    return FilmOverlay(lines, {"l5_corner": film.to_pixel(corner, size)[0]}, text, numbers)
