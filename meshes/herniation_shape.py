"""The shape of a herniation: how far disc material stands out at each point, by stage.

A herniation of one zone and side (:class:`meshes.rest.Herniation`) has a frame at the rest
disc's margin: ``n`` outward in the endplate plane, ``t`` lateral, ``v`` square to both.
Its profile grows from a broad, shallow protrusion of the annulus through a focal one to
an extrusion whose nucleus passes out through a fissure and stands as a dome wider than its
base (:func:`herniation_profile`). The parts that depend only on where a point is are
worked out once (:func:`herniation_shape`); the stage's amounts come from the progress
(:func:`stage_amounts`). Posing the disc with it is :mod:`meshes.herniation`. World frame
RAS (+x right, +y anterior, +z superior), mm.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from meshes.rest import Herniation, Rest
from meshes.sdf_primitives import smoothstep

# A protrusion pushes the annulus this far (mm) out at the herniation's axis; a full
# extrusion's dome reaches this far (mm) past the surface of the structure it is aimed at.
PROTRUSION = 3.5
INTRUSION = 3.5


class StageAmounts(NamedTuple):
    """How far each stage has pushed a herniation out, at one progress (see :func:`stage_amounts`)."""

    bulge: float  # mm; always 0: a bulge is not a herniation (it comes with degeneration)
    protrusion: float  # mm, the contained protrusion's height at the axis
    extrusion: float  # mm, the extrusion's depth beyond the annulus
    extrusion_fraction: float  # 0..1, how far the extrusion has formed


class Profile(NamedTuple):
    """A herniation at the points a shape was taken at (see :func:`herniation_profile`)."""

    annulus: np.ndarray  # annulus displacement (mm) along h.n
    nucleus: np.ndarray  # nucleus displacement (mm) along h.n
    extrusion_fraction: float  # 0..1
    dome: np.ndarray  # how far (mm) beyond the rest margin the herniated surface stands
    contained: np.ndarray  # the dome's contained part (mm): within the displaced annulus


class Dome(NamedTuple):
    """The herniated dome's height and its contained part (mm) at some points."""

    height: np.ndarray
    contained: np.ndarray


class NearHerniation(NamedTuple):
    """The points a herniation's dome can reach (see :func:`near_herniation`)."""

    ids: np.ndarray  # indices into the points asked about
    along_n: np.ndarray  # their offsets (mm) from the herniation's centre along h.n
    along_t: np.ndarray  # ... and along h.t
    shape: dict[str, np.ndarray]  # their herniation_shape (without the surface weights)


def internal_progress(herniation: float) -> float:
    """The herniation's progress on the profile's scale.

    Parameters
    ----------
    herniation : float
        The herniation progress of :class:`~meshes.pathology.Pathology`, 0 to 1 (protrusion,
        extrusion and sequestration complete at a third, two thirds and 1:
        :data:`meshes.pathology.STAGES`).

    Returns
    -------
    float
        Progress on the profile's scale, where protrusion, extrusion and sequestration are
        complete at 0.5, 0.75 and 1; 0 stays 0.
    """
    return 0.0 if herniation <= 0.0 else 0.25 + 0.75 * herniation


def herniation_shape(rest: Rest, h: Herniation, p: np.ndarray, surface: bool = True) -> dict[str, np.ndarray]:
    """The parts of the herniation profile that depend only on where points are.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment: its disc centre and endplate normal ``w``.
    h : Herniation
        The herniation of one zone and side: its centre, frame, thickness and target.
    p : (n, 3) ndarray
        Points (rest positions; world frame RAS, mm).
    surface : bool, default True
        Whether to add the disc surfaces' ``"face"`` (nucleus) and ``"outer"`` (annulus)
        weights.

    Returns
    -------
    dict of str to ndarray
        ``"qt"``, ``"qn"``: offsets (mm) from the herniation's centre along ``h.t`` and ``h.n``;
        ``"broad"``, ``"focal"``, ``"narrow"``: 0..1 weights of a broad and a focal protrusion
        and of the extrusion's neck; with ``surface``, ``"face"`` and ``"outer"`` (0..1).
    """
    rel = p - h.centre
    qt, qz, qn = rel @ h.t, rel @ h.v, rel @ h.n
    radial = p - rest.disc_centre
    radial -= (radial @ rest.w)[:, None] * rest.w  # np.outer's product, without its checks
    length = np.sqrt(radial[:, 0] ** 2 + radial[:, 1] ** 2 + radial[:, 2] ** 2)
    cos = (radial @ h.n) / np.maximum(length, 1e-9)
    broad = np.exp(-((np.arccos(np.minimum(np.maximum(cos, -1), 1)) / np.radians(55.0)) ** 2))
    vertical = np.exp(-((qz / 3.5) ** 2))
    wide = 8.0 if h.target == "dural_sac" else 6.0
    # Fourth powers as squares squared: numpy's ** 4 calls pow() per element, ten times slower
    # (the same to within a unit in the last place).
    across, up = np.square(qt / (0.6 * wide)), np.square(qz / 2.5)
    out = {
        "qt": qt,
        "qn": qn,
        "broad": broad * vertical,
        "focal": np.exp(-((qt / wide) ** 2)) * vertical,
        "narrow": np.exp(-(across * across) - up * up),
    }
    if surface:
        out["face"] = smoothstep(-h.thickness - 4.0, -h.thickness - 1.0, qn)
        out["outer"] = smoothstep(-2.5, -0.5, qn)
    return out


def stage_amounts(rest: Rest, h: Herniation, progress: float, extra: float = 0.0) -> StageAmounts:
    """How far each stage has pushed the herniation out at ``progress``.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (not read).
    h : Herniation
        The herniation (its ``reach`` to the structure it aims at).
    progress : float
        Progress on the profile's scale (:func:`internal_progress`).
    extra : float, default 0
        How much farther (mm) the extrusion must grow to still reach its target (where a
        sheared disc has carried the fissure away from it).

    Returns
    -------
    StageAmounts
        (bulge, protrusion, extrusion depth: mm; extrusion fraction: 0-1).
    """
    b = 0.0  # a bulge is not a herniation (Fardon 2014): it comes with degeneration (see bulge)
    f = PROTRUSION * smoothstep(0.25, 0.5, progress)
    e_full = max(2.0, h.reach + extra + INTRUSION - PROTRUSION)
    ef = smoothstep(0.5, 0.75, progress) * (1.0 - 0.6 * smoothstep(0.75, 1.0, progress))
    return StageAmounts(b, f, e_full * ef, ef)


def herniation_profile(rest: Rest, h: Herniation, shape: dict[str, np.ndarray], progress: float,
                       extra: float = 0.0) -> Profile:
    """The herniation at the points ``shape`` was taken at (rest positions for vertices).

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (handed to :func:`stage_amounts`, which does not read it).
    h : Herniation
        The herniation: its annulus ``thickness`` and ``reach`` (mm) are read.
    shape : dict of str to ndarray
        :func:`herniation_shape` of the points, with the surface weights.
    progress : float
        Progress on the profile's scale (:func:`internal_progress`).
    extra : float, default 0
        How much farther (mm) the extrusion must grow (see :func:`stage_amounts`).

    Returns
    -------
    Profile
        Annulus and nucleus displacements (mm, along ``h.n``), the extrusion fraction (0-1),
        the dome height (mm: how far beyond the rest margin the herniated surface stands at
        each point's (qt, qz)) and its contained part (mm).
    """
    amounts = stage_amounts(rest, h, progress, extra)
    dome = dome_of(h, shape, amounts)
    ann = dome.contained * shape["outer"]
    # Each nucleus vertex travels through the fissure from its own depth to the dome.
    through = shape["narrow"] * amounts.extrusion_fraction * (np.maximum(-shape["qn"], 0.0) + amounts.extrusion)
    nuc = (dome.contained + through) * shape["face"]
    return Profile(ann, nuc, amounts.extrusion_fraction, dome.height, dome.contained)


def dome_at(rest: Rest, h: Herniation, p: np.ndarray, amounts: StageAmounts) -> Dome:
    """The dome's height and contained part (mm) at points ``p`` not yet shaped.

    :func:`herniation_profile`'s last two, for :func:`stage_amounts` ``amounts``, without the
    disc surfaces' displacements: takes :func:`herniation_shape` of ``p`` first (without the
    surface weights), then :func:`dome_of`.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment (its disc centre and endplate normal shape the points).
    h : Herniation
        The herniation whose dome is asked about.
    p : (n, 3) ndarray
        Points (rest positions; world frame RAS, mm).
    amounts : StageAmounts
        How far the stage has pushed out (:func:`stage_amounts`).

    Returns
    -------
    Dome
        At each point of ``p``: how far (mm) beyond the rest margin the herniated surface
        stands, and its contained part (mm).
    """
    return dome_of(h, herniation_shape(rest, h, p, surface=False), amounts)


def dome_of(h: Herniation, shape: dict[str, np.ndarray], amounts: StageAmounts) -> Dome:
    """:func:`dome_at` at points already shaped: the broad and focal protrusion and the neck.

    The contained part is the protrusion (broad and focal weights times their heights); the
    extrusion's neck adds what stands beyond the annulus's thickness.

    Parameters
    ----------
    h : Herniation
        The herniation (its annulus ``thickness``, mm, is read).
    shape : dict of str to ndarray
        :func:`herniation_shape` of the points (``surface=False`` is enough).
    amounts : StageAmounts
        Protrusion and extrusion heights (mm) and the extrusion fraction.

    Returns
    -------
    Dome
        Per shaped point: the dome height (mm beyond the rest margin) and its contained
        part (mm).
    """
    b, f, e, ef = amounts
    contained = b * shape["broad"] + f * shape["focal"]
    a = shape["narrow"] * ef
    return Dome(contained + np.maximum(0.0, a * (h.thickness + e) - h.thickness), contained)


def near_herniation(rest: Rest, h: Herniation, key: tuple[str, str], x: np.ndarray, fixed: bool) -> NearHerniation:
    """The points of ``x`` (rest positions) that a herniation's dome can reach.

    With ``fixed`` (the disc not sheared), for the rest's own ring centres and section points
    (``rest.at_rings.points``, ``rest.at_sections.points``) these depend on the herniation
    alone: worked out once per zone and side and kept in ``rest.cache.near``.

    Parameters
    ----------
    rest : Rest
        The prepared rest segment: its ring and section points, and ``cache.near``.
    h : Herniation
        The herniation: its centre, its frame and its annulus thickness.
    key : tuple of str
        Its (zone, side).
    x : (n, 3) ndarray
        Points (rest positions; world frame RAS, mm).
    fixed : bool
        Whether the disc is where it was at rest (not sheared).

    Returns
    -------
    NearHerniation
        Their indices, their offsets (mm) from its centre along ``h.n`` and ``h.t``, and their
        :func:`herniation_shape`.
    """
    known = [which for which, k in (("rings", rest.at_rings), ("sections", rest.at_sections))
             if k is not None and x is k.points]
    slot = key + tuple(known[:1])  # (zone, side, "rings" or "sections")
    if fixed and known and slot in rest.cache.near:
        return rest.cache.near[slot]
    rel = x - h.centre
    near = np.flatnonzero((np.abs(rel @ h.v) < 12.0) & (rel @ h.n > -h.thickness - 3.0))
    r = rel[near]
    out = NearHerniation(near, r @ h.n, r @ h.t, herniation_shape(rest, h, x[near], surface=False))
    if fixed and known:
        rest.cache.near[slot] = out
    return out
