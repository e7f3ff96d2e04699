"""Radiographs computed from the posed geometry, tested by measuring the images."""

from __future__ import annotations

import numpy as np
import pytest

from meshes.frames import s1_axes
from meshes.pathology import Pathology
from meshes.pose import pose, posed_structures
from meshes.radiograph import projection, radiograph
from meshes.rasterise import path_length


def _posed(rest, **state):
    posed = pose(rest, Pathology(**state))
    return posed, posed_structures(rest, posed)


def test_the_path_through_a_closed_surface_is_its_chord():
    import pyvista as pv

    ball = pv.Sphere(radius=10.0, theta_resolution=80, phi_resolution=80).triangulate()
    pixel = 0.25
    cols, rows = ball.points[:, 0] / pixel + 64, -ball.points[:, 2] / pixel + 64
    length = path_length(cols, rows, -ball.points[:, 1], np.asarray(ball.faces).reshape(-1, 4)[:, 1:], (128, 128))
    r, c = np.mgrid[0:128, 0:128]
    off = np.hypot((c + 0.5 - 64) * pixel, (r + 0.5 - 64) * pixel)
    inside = off < 9.0  # away from the silhouette, where the faceted sphere differs from a true one
    chord = 2.0 * np.sqrt(np.maximum(100.0 - off**2, 0.0))
    assert np.abs(length[inside] - chord[inside]).max() < 0.15
    assert np.abs(length[off > 10.2]).max() == 0.0


def test_bone_is_brighter_than_the_disc_on_a_lateral_film(rest):
    posed, structures = _posed(rest)
    film = projection("xray-lateral", posed.landmarks)
    image = radiograph(rest, structures, film)
    marks = posed.landmarks
    l5_body = 0.5 * (marks["L5_superior_endplate_center"] + marks["L5_inferior_endplate_posterior"])
    disc = 0.5 * (marks["S1_endplate_center"] + 0.5 * (marks["L5_inferior_endplate_anterior"]
                                                       + marks["L5_inferior_endplate_posterior"]))
    (bc, br), (dc, dr) = film.to_pixel(np.array([l5_body, disc]), (512, 512)).astype(int)
    body, gap = image[br - 3:br + 4, bc - 3:bc + 4].mean(), image[dr - 1:dr + 2, dc - 3:dc + 4].mean()
    assert body > 0.3 and body > 2.0 * gap, (body, gap)
    corner = (0, 0)
    assert image[corner] == 0.0, "no tissue, no attenuation: black film"


def _body_centre_on_film(rest, film, l5, size) -> np.ndarray:
    """The intensity centroid of the L5 film inside the box where its body falls (pixels)."""
    from meshes.vertebra_l5 import L5_REGIONS

    source = rest.segment.structures["L5"]
    faces = np.asarray(source.faces).reshape(-1, 4)[:, 1:]
    body = np.unique(faces[np.asarray(source.cell_data["region"]) == L5_REGIONS.index("body")])
    image = radiograph(rest, {"L5": l5}, film, size)
    box = film.to_pixel(np.asarray(l5.points)[body], size)
    (c0, r0), (c1, r1) = np.floor(box.min(axis=0)).astype(int), np.ceil(box.max(axis=0)).astype(int)
    sub = image[r0:r1 + 1, c0:c1 + 1]
    r, c = np.mgrid[r0:r1 + 1, c0:c1 + 1] + 0.5
    return np.array([(sub * c).sum(), (sub * r).sum()]) / sub.sum()


def test_a_40_percent_slip_moves_the_l5_body_on_the_film_by_40_percent_of_s1(rest):
    """The L5 alone on one lateral film, at rest and slipped 40%: its body's image moves forward,
    along S1's endplate as the film shows it, by 40% of S1's endplate depth (within 1 mm). The
    arch behind the pars defect stays, so the body is measured on its own."""
    rest_posed, rest_shapes = _posed(rest)
    slip_posed, slip_shapes = _posed(rest, slip_percent=40.0)
    size = (512, 512)
    film = projection("xray-lateral", rest_posed.landmarks)
    before = _body_centre_on_film(rest, film, rest_shapes["L5"], size)
    after = _body_centre_on_film(rest, film, slip_shapes["L5"], size)
    u, _, depth = s1_axes(rest_posed.landmarks)
    forward = film.to_pixel(u, size)[0] - film.to_pixel(np.zeros(3), size)[0]
    travel = float(np.dot(after - before, forward / np.linalg.norm(forward))) * film.field_mm / size[0]
    assert abs(travel - 0.40 * depth) < 1.0, (travel, depth)


def _across_the_pars(rest, slip: float, detail: float | None = None) -> float:
    """Mean film brightness in a 3 mm square on the left pars (posed) of the left posterior
    oblique: on the bone's pars region, or once the defect has opened, on the scar filling it.
    ``detail`` replaces the film's processing (0: the raw attenuation's film)."""
    from dataclasses import replace

    from meshes.vertebra_l5 import L5_REGIONS

    posed, structures = _posed(rest, slip_percent=slip)
    film = projection("xray-oblique-left", posed.landmarks)
    if detail is not None:
        film = replace(film, detail=detail)
    image = radiograph(rest, structures, film)
    if "pars_scar_left" in structures:
        centre = np.asarray(structures["pars_scar_left"].points).mean(axis=0)
    else:
        source = rest.segment.structures["L5"]
        faces = np.asarray(source.faces).reshape(-1, 4)[:, 1:]
        pars = np.unique(faces[np.asarray(source.cell_data["region"]) == L5_REGIONS.index("pars_left")])
        centre = np.asarray(structures["L5"].points)[pars].mean(axis=0)
    c, r = film.to_pixel(centre, (512, 512))[0].astype(int)
    return float(image[r - 7:r + 8, c - 7:c + 8].mean())


def test_the_collar_darkens_the_scottie_dogs_neck_when_the_defect_opens(rest):
    """At the left pars on the left posterior oblique: intact bone at rest, a gap (the collar)
    filled only with scar once the slip opens the defect."""
    intact, opened = _across_the_pars(rest, 0.0), _across_the_pars(rest, 30.0)
    assert opened < 0.7 * intact, (intact, opened)


def test_the_obliques_processing_deepens_the_collar(rest):
    """The oblique's unsharp masking lifts the pars gap out of the body it lies over: the neck
    darkens more, as a share of the intact neck, than on the raw attenuation's film."""
    raw = _across_the_pars(rest, 30.0, detail=0.0) / _across_the_pars(rest, 0.0, detail=0.0)
    processed = _across_the_pars(rest, 30.0) / _across_the_pars(rest, 0.0)
    assert processed < raw - 0.04, (raw, processed)


class _Bare:
    """A stand-in for a prepared segment with no cut bones: each surface is its own source."""

    class segment:  # noqa: N801 (the attribute a Rest has)
        structures: dict = {}


def _ball_column(name: str, rest, at) -> float:
    """The column (pixels, 256 wide) of the brightness centroid of a 6 mm bony ball at ``at``
    (world RAS, mm) on film ``name`` of the unposed segment."""
    import pyvista as pv

    film = projection(name, rest.segment.landmarks)
    ball = pv.Sphere(radius=6.0, center=film.centre + np.asarray(at, float)).triangulate()
    image = radiograph(_Bare(), {"L5": ball}, film, (256, 256))
    assert image.sum() > 0, "the ball is drawn (a positive path whichever way the film is read)"
    return float((image.sum(axis=0) * (np.arange(256) + 0.5)).sum() / image.sum())


@pytest.mark.parametrize("name, at, side", [
    ("xray-ap", (-20.0, 0.0, 0.0), "right"),  # the patient's left on the image's right
    ("xray-oblique-left", (0.0, 20.0, 0.0), "right"),  # LPO read as an AP film: the front on the right
    ("xray-oblique-left", (-20.0, 0.0, 0.0), "right"),  # and the patient's left on the right
    ("xray-oblique-right", (0.0, 20.0, 0.0), "left"),  # RPO: the front on the left
    ("xray-oblique-right", (20.0, 0.0, 0.0), "left"),  # and the patient's right on the left
    ("xray-lateral", (0.0, 20.0, 0.0), "left"),  # the patient faces the image's left
])
def test_films_are_read_the_way_round_radiologists_read_them(rest, name, at, side):
    """The AP and the obliques as facing the patient (the patient's right on the image's left,
    as their R and L markers say), so a posterior oblique's dog faces the image's side where the
    patient's front is; the lateral with the patient facing left."""
    column = _ball_column(name, rest, at)
    assert (column > 128 + 20) if side == "right" else (column < 128 - 20), column


def test_the_left_obliques_dog_has_its_eye_over_the_body_and_its_nose_forward(rest):
    """On the left posterior oblique of L5 alone: the left pedicle (the eye) falls over the body's
    image, the body's centre to its left, and the left transverse process
    (the nose) reaches past the eye toward the front, on the image's right."""
    from meshes.vertebra_l5 import L5_REGIONS

    posed, structures = _posed(rest)
    film, size = projection("xray-oblique-left", posed.landmarks), (512, 512)
    source = rest.segment.structures["L5"]
    faces = np.asarray(source.faces).reshape(-1, 4)[:, 1:]
    regions = np.asarray(source.cell_data["region"])
    points = np.asarray(structures["L5"].points)

    def columns(region):
        return film.to_pixel(points[np.unique(faces[regions == L5_REGIONS.index(region)])], size)[:, 0]

    body = _body_centre_on_film(rest, film, structures["L5"], size)[0]
    eye, nose, body_cols = columns("pedicle_left"), columns("transverse_process_left"), columns("body")
    assert body_cols.min() < eye.min() and eye.max() < body_cols.max() + 10
    assert body < eye.mean(), (body, eye.mean())
    mm = size[0] / film.field_mm
    assert nose.max() - eye.max() > 3.0 * mm, (nose.max() - eye.max()) / mm


@pytest.mark.parametrize("size", [(0, 512), (10, 10), (512, 5000)])
def test_a_film_size_out_of_range_is_refused_in_one_line(rest, size):
    posed, structures = _posed(rest)
    with pytest.raises(ValueError, match="16 to 4096 pixels"):
        radiograph(rest, structures, projection("xray-ap", posed.landmarks), size)


def test_an_unknown_film_is_refused(rest):
    with pytest.raises(ValueError, match="unknown radiograph"):
        projection("xray-sideways", rest.segment.landmarks)


def test_the_obliques_wide_blur_on_a_shrunk_film_matches_the_full_one(rest):
    """The unsharp mask's blur is taken on a film shrunk four times for speed: it must give the
    film the full-size blur gives, within 2% anywhere and far closer on average."""
    import dataclasses

    from scipy.ndimage import gaussian_filter

    from meshes.radiograph import DETAIL_SIGMA_MM, processed

    posed = pose(rest, Pathology(slip_percent=20.0))
    film = projection("xray-oblique-left", posed.landmarks)
    raw = radiograph(rest, posed_structures(rest, posed), dataclasses.replace(film, detail=0.0), (512, 512))
    sigma = DETAIL_SIGMA_MM * 512 / film.field_mm
    full = np.clip(raw + film.detail * (raw - gaussian_filter(raw, sigma, mode="nearest")), 0.0, 1.0)
    quick = processed(raw, film.detail, sigma)
    assert np.abs(quick - full).max() < 0.02 and np.abs(quick - full).mean() < 0.001
    odd = raw[:510, :510]  # a size the shrink does not divide: the full blur
    assert np.array_equal(processed(odd, film.detail, sigma),
                          np.clip(odd + film.detail * (odd - gaussian_filter(odd, sigma, mode="nearest")), 0, 1))
