"""The rest geometry, measured: closed surfaces, regions, contact, morphometry."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import pyvista as pv
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from meshes.anatomy import Anatomy
from meshes.frames import s1_axes
from meshes.geometry import clearance, signed_volume, unsigned_distance
from meshes.measure import alignment, root_clearance
from meshes.sacrum_s1 import S1_REGIONS
from meshes.segment import LANDMARKS, REGIONS, STRUCTURES, build_segment
from meshes.vertebra_l5 import L5_REGIONS

SOLIDS = ("L5", "S1", "disc_annulus", "disc_nucleus")


def _check_closed(mesh, name):
    assert mesh.n_open_edges == 0, f"{name} has open edges"
    assert mesh.is_manifold, f"{name} is not manifold"
    assert signed_volume(mesh) > 0, f"{name} has inward normals"
    assert mesh.is_all_triangles
    # Consistently wound: each edge is walked once in each direction by its two triangles
    # (a patch wound the other way, like an inverted end cap, shades dark under lighting).
    f = mesh.faces.reshape(-1, 4)[:, 1:]
    edges = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    forward = {tuple(e) for e in edges}
    assert len(forward) == len(edges), f"{name} walks an edge twice the same way"
    assert all((b, a) in forward for a, b in forward), f"{name} is not consistently wound"


def test_every_structure_is_closed_manifold_and_outward(segment):
    assert tuple(segment.structures) == STRUCTURES
    for name, mesh in segment.structures.items():
        _check_closed(mesh, name)


def test_l5_carries_every_region(segment):
    region = segment.structures["L5"].cell_data["region"]
    present = {L5_REGIONS[i] for i in np.unique(region)}
    assert present == set(L5_REGIONS)
    # Left parts lie on the patient's left (-x), right parts on the right.
    centres = segment.structures["L5"].cell_centers().points
    for name in ("pedicle", "transverse_process", "pars", "inferior_articular_process"):
        left = centres[region == L5_REGIONS.index(f"{name}_left")][:, 0].mean()
        right = centres[region == L5_REGIONS.index(f"{name}_right")][:, 0].mean()
        assert left < -5 < 5 < right


def test_s1_carries_its_regions(segment):
    region = segment.structures["S1"].cell_data["region"]
    assert {REGIONS["S1"][i] for i in np.unique(region)} == set(REGIONS["S1"])


def test_solids_do_not_interpenetrate(segment):
    s = segment.structures
    for a, b in itertools.combinations(SOLIDS, 2):
        gap, where = clearance(s[a], s[b])
        assert gap >= -0.5, f"{a} and {b} overlap by {-gap:.2f} mm at {where}"


def test_nucleus_is_about_forty_percent_of_the_disc(segment):
    nucleus = signed_volume(segment.structures["disc_nucleus"])
    annulus = signed_volume(segment.structures["disc_annulus"])
    assert 0.34 <= nucleus / (nucleus + annulus) <= 0.46


def test_landmarks_lie_on_the_surfaces(segment):
    assert tuple(segment.landmarks) == LANDMARKS
    for name, point in segment.landmarks.items():
        bone = segment.structures["S1" if name.startswith("S1") else "L5"]
        assert unsigned_distance(point[None, :], bone)[0] < 0.05, name


def test_origin_is_the_s1_endplate_centre(segment):
    assert np.linalg.norm(segment.landmarks["S1_endplate_center"]) < 0.3


def test_morphometry_matches_the_published_means(segment):
    m = segment.landmarks
    a = Anatomy()
    anterior = np.linalg.norm(m["L5_superior_endplate_anterior"] - m["L5_inferior_endplate_anterior"])
    posterior = np.linalg.norm(m["L5_superior_endplate_posterior"] - m["L5_inferior_endplate_posterior"])
    assert anterior == pytest.approx(a.l5_body_height_anterior, abs=1.9)
    assert posterior == pytest.approx(a.l5_body_height_posterior, abs=1.9)
    depth = np.linalg.norm(m["L5_superior_endplate_anterior"] - m["L5_superior_endplate_posterior"])
    assert depth == pytest.approx(a.l5_endplate_depth, abs=3.5)
    lined = alignment(m)
    ant, post = lined.disc_anterior_mm, lined.disc_posterior_mm
    assert ant == pytest.approx(a.disc_height_anterior, abs=1.0)
    assert post == pytest.approx(a.disc_height_posterior, abs=1.0)
    u, _, s1_depth = s1_axes(m)
    assert s1_depth == pytest.approx(a.s1_endplate_depth, abs=3.0)
    slope = np.degrees(np.arctan2(-u[2], u[1]))
    assert slope == pytest.approx(a.sacral_slope, abs=1.0)
    assert abs(lined.slip_percent) < 2.0
    x = segment.structures["S1"].points[:, 0]
    assert x.max() - x.min() == pytest.approx(a.sacral_width, abs=6.1)
    tp = segment.structures["L5"].points[:, 0]
    assert tp.max() - tp.min() == pytest.approx(a.l5_transverse_span, abs=6.0)


def test_l5_canal_has_the_published_size(segment):
    """Slice L5 through the pedicles and measure the hole the arch encloses."""
    l5 = segment.structures["L5"]
    place = segment.placement
    from meshes.frames import apply
    from meshes.l5_proportions import L5Layout

    lay = L5Layout.of(segment.anatomy)
    # A line across the canal at pedicle height, and one front to back in the midline.
    ys = np.linspace(lay.body_back + 3, lay.lamina_front - 12, 400)
    sagittal = apply(place.l5_to_world, np.c_[np.zeros_like(ys), ys, np.full_like(ys, lay.pedicle_z - 5)])
    xs = np.linspace(-30, 30, 600)
    yc = 0.5 * (lay.body_back + lay.lamina_front)
    coronal = apply(place.l5_to_world, np.c_[xs, np.full_like(xs, yc), np.full_like(xs, lay.pedicle_z)])
    from meshes.geometry import inside

    def hole(points, step):
        inner = ~inside(points, l5)
        c = len(points) // 2
        lo = next(i for i in range(c, -1, -1) if not inner[i])
        hi = next(i for i in range(c, len(points)) if not inner[i])
        return (hi - lo - 1) * step

    width = hole(coronal, xs[1] - xs[0])
    assert width == pytest.approx(segment.anatomy.l5_canal_width, abs=3.1)
    free = (~inside(sagittal, l5)).astype(int)
    runs = np.diff(np.flatnonzero(np.diff(np.r_[0, free, 0])))[::2]
    assert runs.max() * (ys[0] - ys[1]) == pytest.approx(segment.anatomy.l5_canal_depth, abs=3.0)


def test_roots_clear_bone_and_disc_at_rest(segment):
    for root in ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"):
        assert root_clearance(segment.structures, root) >= 0.5, root


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.floats(0.85, 1.15), st.floats(0.85, 1.15), st.floats(0.85, 1.15), st.floats(0.85, 1.15))
def test_scaled_anatomies_stay_valid(size, canal, disc, slope):
    """A whole segment scaled up or down by 15% (the narrowest of the ranges a user may set allow it;
    tests/meshes/test_anatomy_ranges.py draws every dimension across its whole range)."""
    d = Anatomy()
    a = d.replace(
        l5_endplate_depth=d.l5_endplate_depth * size,
        l5_endplate_width=d.l5_endplate_width * size,
        s1_endplate_depth=d.s1_endplate_depth * size,
        s1_body_width=d.s1_body_width * size,
        sacral_width=d.sacral_width * size,
        l5_transverse_span=d.l5_transverse_span * size,
        l5_canal_width=d.l5_canal_width * canal,
        l5_canal_depth=d.l5_canal_depth * canal,
        disc_height_anterior=d.disc_height_anterior * disc,
        disc_height_posterior=d.disc_height_posterior * disc,
        sacral_slope=d.sacral_slope * slope,
    )
    seg = build_segment(a)
    for name, mesh in seg.structures.items():
        _check_closed(mesh, name)
    # Bone against bone: touching at most (0.1 mm is the surface's own sampling noise);
    # the disc may press its endplates by up to 0.5 mm.
    for x, y, allowed in (("L5", "S1", 0.1), ("L5", "disc_annulus", 0.5), ("S1", "disc_annulus", 0.5)):
        gap, where = clearance(seg.structures[x], seg.structures[y])
        assert gap >= -allowed, f"{x}/{y} overlap {-gap:.2f} mm at {where} for {a}"
    for root in ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"):
        assert root_clearance(seg.structures, root) >= 0.5, f"{root} touches bone or disc for {a}"


def test_l5_s1_foramina_are_closed_keyholes_of_published_size(segment):
    """ANATOMY.md (parasagittal CT through the pedicle): height about 15-20 mm, narrowest
    AP width about 6-8 mm, area about 70-160 mm²; the facet joint closes it behind."""
    from meshes.foramen import foramen

    for side in ("left", "right"):
        f = foramen(segment.structures, segment.landmarks, side)
        assert f.closed, side
        assert 15.0 <= f.height <= 20.0, (side, f)
        assert 6.0 <= f.width <= 8.0, (side, f)
        assert 70.0 <= f.area <= 160.0, (side, f)


def test_the_narrowest_width_runs_from_the_disc_to_the_s1_superior_articular_process(segment):
    """The keyhole's narrow part: the disc in front, S1's superior articular process behind."""
    from meshes.foramen import foramen

    s1 = segment.structures["S1"]
    centres = s1.cell_centers().points
    for side in ("left", "right"):
        f = foramen(segment.structures, segment.landmarks, side)
        behind = S1_REGIONS[s1.cell_data["region"][np.argmin(np.linalg.norm(centres - f.back, axis=1))]]
        assert behind == f"superior_articular_process_{side}", (side, behind)
        gaps = {name: unsigned_distance(f.front[None], segment.structures[name])[0]
                for name in ("disc_annulus", "L5", "S1")}
        assert min(gaps, key=gaps.get) == "disc_annulus", (side, gaps)
        assert np.linalg.norm(f.back - f.front) == pytest.approx(f.width, abs=1.0)


def test_each_facet_joint_has_cartilage_on_both_faces_across_a_joint_space(segment):
    s = segment.structures
    for side in ("left", "right"):
        cart = s[f"facet_cartilage_{side}"]
        layer = np.asarray(cart.point_data["layer"])
        for k, bone, other in ((0, "S1", "L5"), (1, "L5", "S1")):
            pts = cart.points[layer == k]
            # On its own face (lifted a hair, 0.4 mm thick), clear of the other bone.
            assert np.median(unsigned_distance(pts, s[bone])) < 0.7, (side, bone)
            assert unsigned_distance(pts, s[other]).min() > 0.02, (side, other)
        patch = cart.extract_points(layer == 0, adjacent_cells=False).extract_surface(algorithm="dataset_surface")
        # A joint a class can see: the S1 face's layer covers tens of square millimetres
        # (its top and bottom surfaces are each about the face's area).
        assert patch.area > 2 * 60.0, side
        for bone in ("L5", "S1"):
            assert clearance(cart, s[bone])[0] >= -0.1, (side, bone)


def test_facet_joints_face_45_to_50_degrees_from_the_sagittal_plane(segment):
    """ANATOMY.md: about 47 degrees at L5-S1 (Jentzsch 2013), measured as on axial CT."""
    from meshes.measure import facet_angle

    for side in ("left", "right"):
        assert 45.0 <= facet_angle(segment.structures[f"facet_cartilage_{side}"], segment.landmarks) <= 50.0


def test_the_dural_sac_comes_from_above_the_scene_and_ends_at_s2_in_the_sacral_canal(segment):
    from meshes.frames import apply
    from meshes.sacrum import to_vhm
    from meshes.sacrum_sweep import SacrumShape

    s = segment.structures
    sac = s["dural_sac"]
    to_s1 = np.linalg.inv(segment.placement.s1_to_world)
    local = apply(to_s1, sac.points)
    # Cut flat at the top (its first ring and the centre of its end face are coplanar),
    # and higher than everything else in the scene.
    cut = sac.points[np.asarray(sac.point_data["arc_length"]) <= 1e-9]
    assert len(cut) > 40
    assert np.linalg.svd(cut - cut.mean(axis=0), compute_uv=False)[2] < 1e-6, "a flat cut end, not a dome"
    assert cut[:, 2].max() > max(m.points[:, 2].max() for k, m in s.items() if k != "dural_sac")
    # Its end lies at the second sacral segment (reference mm 50-80 down the centre line).
    end = local[np.argmin(local[:, 2])]
    t, _ = SacrumShape.default().frame(*to_vhm(segment.anatomy, end[None])[:, 1:].T)
    assert 50.0 <= float(t[0]) <= 80.0
    # Inside the canal: bone on either side of it and behind it.
    end_world = sac.points[np.argmin(local[:, 2])]
    bone = pv.merge([s["S1"], s["sacrum"]])
    axes = segment.placement.s1_to_world[:3, :3]
    for direction in (axes[:, 0], -axes[:, 0], -axes[:, 1]):
        hits, _ = bone.ray_trace(end_world, end_world + 30.0 * direction)
        assert len(hits), direction
    for bone_name in ("L5", "S1", "sacrum"):
        assert clearance(sac, s[bone_name])[0] >= 0.0, bone_name
