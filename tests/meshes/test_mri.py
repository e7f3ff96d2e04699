"""MRI-like T2 slices, checked by measuring the images: tissue contrast, degeneration, fat
erased by an extrusion or a narrowed foramen, the display conventions, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import pyvista as pv

from meshes.cross_section import fill_even_odd, section_segments
from meshes.mask_growth import grow_within
from meshes.mri import t2_slice
from meshes.mri_tissue import TISSUES
from meshes.pathology import STAGES, Pathology
from meshes.pose import pose, posed_structures
from meshes.slice_planes import SLICE_FIELD_MM, SLICE_TRAVEL_MM, corners, slice_plane, slice_planes, where

EXTRUSION = Pathology(herniation=0.75, zone="subarticular", side="left")
assert STAGES["extrusion"] <= EXTRUSION.herniation < STAGES["sequestration"]


def _slice(rest, pathology: Pathology, name: str):
    posed = pose(rest, pathology)
    structures = posed_structures(rest, posed)
    return t2_slice(rest, posed, structures, slice_planes(rest, posed)[name]), structures


def _section(image, mesh: pv.PolyData) -> np.ndarray:
    """Where one structure's cross-section lies on an image (its pixels)."""
    plane = image.plane
    ends = section_segments(mesh, plane.origin, plane.normal)
    return fill_even_odd(image.to_pixel(ends.reshape(-1, 3)).reshape(-1, 2, 2), image.tissue.shape)


def _ring(mask: np.ndarray, pixel_mm: float, mm: float) -> np.ndarray:
    return grow_within(mask, np.ones_like(mask), round(mm / pixel_mm)) & ~mask


def test_csf_is_brighter_than_the_annulus_mid_sagittal(rest):
    image, _ = _slice(rest, Pathology(), "mri-sagittal")
    csf, annulus = image.mask("csf"), image.mask("annulus")
    assert csf.sum() > 1000 and annulus.sum() > 200
    assert image.image[csf].mean() > image.image[annulus].mean() + 0.5


def test_the_nucleus_darkens_with_degeneration(rest):
    means = []
    for degeneration in (0.0, 0.5, 1.0):
        image, _ = _slice(rest, Pathology(degeneration=degeneration), "mri-sagittal")
        nucleus = image.mask("nucleus")
        assert nucleus.sum() > 500
        means.append(float(image.image[nucleus].mean()))
    assert means[0] > means[1] + 0.2 > means[2] + 0.4, means
    assert means[0] > 0.8 and means[2] < 0.2  # Pfirrmann I bright, V a "black disc"


def test_the_nucleus_sits_inside_the_annulus(rest):
    """Nested outlines: at rest the nucleus touches only annulus, never the tissue outside."""
    image, _ = _slice(rest, Pathology(), "mri-axial")
    nucleus = image.mask("nucleus")
    around = grow_within(nucleus, np.ones_like(nucleus), 1) & ~nucleus
    assert nucleus.sum() > 5000
    assert set(np.unique(image.tissue[around])) == {TISSUES.index("annulus")}


def test_even_odd_fill_leaves_a_hole_in_a_ring():
    def square(lo, hi):
        c = [(lo, lo), (hi, lo), (hi, hi), (lo, hi)]
        return [(c[i], c[(i + 1) % 4]) for i in range(4)]

    mask = fill_even_odd(np.array(square(2.2, 17.8) + square(7.2, 12.8), dtype=float), (20, 20))
    assert mask[5, 5] and mask[15, 3] and not mask[10, 10] and not mask[0, 0]
    assert mask.sum() == 15 * 15 - 5 * 5  # pixel centres 3..17 less 8..12


def test_an_extrusion_replaces_the_fat_next_to_its_root(rest):
    """Fat within 3 mm of where each S1 root lay at rest, axial slice: the left subarticular
    extrusion takes some of the left root's; the right root's is not lost."""
    at_rest, rest_structures = _slice(rest, Pathology(), "mri-axial")
    extruded, _ = _slice(rest, EXTRUSION, "mri-axial")
    fat = {}
    for side in ("left", "right"):
        near = _ring(_section(at_rest, rest_structures[f"root_S1_{side}"]), at_rest.pixel_mm, 3.0)
        fat[side] = [int((image.mask("fat") & near).sum()) for image in (at_rest, extruded)]
    assert fat["left"][0] > 500
    assert fat["left"][1] < 0.95 * fat["left"][0], fat
    assert fat["right"][1] >= fat["right"][0], fat
    # The extruded nucleus is where fat was.
    left_root = _section(at_rest, rest_structures["root_S1_left"])
    was_fat = at_rest.mask("fat") & _ring(left_root, at_rest.pixel_mm, 3.0)
    assert (was_fat & (extruded.mask("nucleus") | extruded.mask("annulus"))).sum() > 50


def test_axial_images_show_the_patients_right_on_the_left(rest):
    posed = pose(rest, Pathology())
    plane = slice_planes(rest, posed)["mri-axial"]
    right = plane.origin + 25.0 * np.array([1.0, 0.0, 0.0])
    marker = pv.Sphere(radius=4.0, center=right - ((right - plane.origin) @ plane.normal) * plane.normal)
    image = t2_slice(rest, posed, {"L5": marker}, plane)
    cols = np.nonzero(image.mask("cortex") | image.mask("marrow"))[1]
    assert cols.size > 500 and cols.max() < image.tissue.shape[1] / 2
    assert image.to_pixel(right)[0, 0] < image.tissue.shape[1] / 2
    # The anatomy agrees: the right L5 root is on the image's left, the disc above the sac.
    structures = posed_structures(rest, posed)
    root_right = np.nonzero(_section(image, structures["root_L5_right"]))[1]
    assert root_right.size > 0 and root_right.mean() < image.tissue.shape[1] / 2
    anatomy = t2_slice(rest, posed, structures, plane)
    assert np.nonzero(anatomy.mask("nucleus"))[0].mean() < np.nonzero(anatomy.mask("csf"))[0].mean()


def test_sagittal_images_show_the_front_on_the_left_and_the_head_up(rest):
    image, _ = _slice(rest, Pathology(), "mri-sagittal")
    front, up = image.to_pixel([[0.0, 30.0, 0.0], [0.0, 0.0, 30.0]])
    centre = image.to_pixel(image.plane.origin)[0]
    assert front[0] < centre[0] and up[1] < centre[1]
    assert np.nonzero(image.mask("nucleus"))[1].mean() < np.nonzero(image.mask("csf"))[1].mean()


def _root_and_fat(rest, pathology: Pathology):
    image, structures = _slice(rest, pathology, "mri-foramen-left")
    return image, _section(image, structures["root_L5_left"])


def test_the_foramen_keyhole_has_the_l5_root_in_fat_all_round(rest):
    image, root = _root_and_fat(rest, Pathology())
    assert root.sum() > 200
    rows, cols = np.nonzero(root)
    ring = _ring(root, image.pixel_mm, 3.0)
    r, c = np.nonzero(ring)
    angle = np.arctan2(rows.mean() - r, c - cols.mean())
    quarter = np.floor((angle + np.pi / 4) / (np.pi / 2)).astype(int) % 4  # behind, above, in front, below
    fat = image.mask("fat")[r, c]
    shares = [fat[quarter == k].mean() for k in range(4)]
    assert min(shares) > 0.4, shares


def test_a_slip_with_a_degenerated_disc_takes_the_fat_above_and_below_the_l5_root(rest):
    """Up-down stenosis: the foramen loses height, so the fat over and under the root shrinks."""
    counts = []
    for pathology in (Pathology(), Pathology(slip_percent=50.0, degeneration=1.0)):
        image, root = _root_and_fat(rest, pathology)
        rows, cols = np.nonzero(root)
        column = np.zeros_like(root)
        column[:, cols.min():cols.max() + 1] = True
        counts.append(int((image.mask("fat") & column).sum()))
    assert counts[1] < 0.8 * counts[0], counts


@pytest.mark.parametrize("size", [(0, 512), (512, -4), (512.5, 512), (512,), "big"])
def test_a_bad_size_is_refused_with_a_clear_message(rest, size):
    posed = pose(rest, Pathology())
    structures = posed_structures(rest, posed)
    with pytest.raises(ValueError, match="size must be"):
        t2_slice(rest, posed, structures, slice_planes(rest, posed)["mri-axial"], size=size)


@pytest.mark.parametrize("field_mm", [0.0, -10.0, float("nan")])
def test_a_bad_field_is_refused(rest, field_mm):
    posed = pose(rest, Pathology())
    with pytest.raises(ValueError, match="field_mm must be"):
        t2_slice(rest, posed, {}, slice_planes(rest, posed)["mri-axial"], field_mm=field_mm)


def test_a_slice_is_deterministic_and_sized_width_by_height(rest):
    posed = pose(rest, Pathology())
    structures = posed_structures(rest, posed)
    plane = slice_planes(rest, posed)["mri-foramen-right"]
    a = t2_slice(rest, posed, structures, plane, size=(300, 200))
    b = t2_slice(rest, posed, structures, plane, size=(300, 200))
    assert a.image.shape == (200, 300) and a.image.dtype == np.float32
    assert np.array_equal(a.image, b.image) and 0.0 <= a.image.min() and a.image.max() <= 1.0
    assert a.pixel_mm == pytest.approx(110.0 / 300)


def test_moving_the_axial_slice_up_leaves_the_disc_for_the_l5_body(rest):
    """Stepping through the stack: 15 mm toward the head the slice is in L5's body (marrow, no
    nucleus); the plane moved along the disc's normal, not sideways."""
    posed = pose(rest, Pathology())
    structures = posed_structures(rest, posed)
    at_disc = t2_slice(rest, posed, structures, slice_plane(rest, posed, "mri-axial", 0.0))
    above = t2_slice(rest, posed, structures, slice_plane(rest, posed, "mri-axial", 15.0))
    moved = above.plane.origin - at_disc.plane.origin
    assert np.isclose(np.linalg.norm(moved), 15.0) and np.allclose(np.cross(moved, at_disc.plane.normal), 0.0)
    assert moved[2] > 10.0, "toward the head (tilted with the disc, which faces forward and up)"
    assert at_disc.mask("nucleus").sum() > 500 and above.mask("nucleus").sum() == 0
    nucleus_was = at_disc.mask("nucleus")
    bone = above.mask("marrow") | above.mask("cortex")
    assert bone[nucleus_was].mean() > 0.9, "where the nucleus was, the slice above is in the body's bone"


def test_the_mid_sagittal_slice_moved_onto_a_pedicle_meets_the_foraminal_plane(rest):
    """A sagittal slice moved to the patient's left lies where the left foraminal slice does: the
    travel is along x, negative to the left, and held within its range."""
    posed = pose(rest, Pathology())
    foramen = slice_planes(rest, posed)["mri-foramen-left"]
    x = float(foramen.origin[0])
    assert x < -10.0, "the left foramen is on the patient's left (-x)"
    moved = slice_plane(rest, posed, "mri-sagittal", x)
    assert np.isclose(moved.origin[0], x)
    far = slice_plane(rest, posed, "mri-sagittal", -100.0)
    assert np.isclose(far.origin[0], -SLICE_TRAVEL_MM["mri-sagittal"])
    image = t2_slice(rest, posed, posed_structures(rest, posed), moved)
    assert image.mask("csf").sum() < 0.2 * _slice(rest, Pathology(), "mri-sagittal")[0].mask("csf").sum(), \
        "off the midline the slice has left the dural sac"


@pytest.mark.parametrize(("name", "mm", "words"), [
    ("mri-sagittal", 0.0, "at the midline"), ("mri-sagittal", 12.4, "12 mm right of the midline"),
    ("mri-sagittal", -7.0, "7 mm left of the midline"), ("mri-axial", 5.0, "5 mm above the disc's middle"),
    ("mri-axial", -3.0, "3 mm below the disc's middle"), ("mri-foramen-left", -6.0, "6 mm lateral to the foramen"),
    ("mri-foramen-left", 6.0, "6 mm medial to the foramen"), ("mri-foramen-right", 6.0, "6 mm lateral to the foramen"),
])
def test_a_moved_slice_says_where_it_lies(name, mm, words):
    assert where(name, mm) == words


def test_the_slice_frame_drawn_in_3d_is_the_field_the_image_covers(rest):
    posed = pose(rest, Pathology())
    plane = slice_plane(rest, posed, "mri-axial", 3.0)
    square = corners(plane)
    image = t2_slice(rest, posed, {}, plane, size=(64, 64))
    assert np.allclose((square - plane.origin) @ plane.normal, 0.0), "in the slice's plane"
    edges = np.linalg.norm(np.diff(np.vstack([square, square[:1]]), axis=0), axis=1)
    assert np.allclose(edges, SLICE_FIELD_MM)
    cols_rows = image.to_pixel(square)
    assert np.allclose(np.abs(cols_rows - 31.5), 32.0), "the corners are the image's corners"
