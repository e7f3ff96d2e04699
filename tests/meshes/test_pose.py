"""Posing: slip and herniation as measured, continuous, reversible deformations."""

from __future__ import annotations

import numpy as np
import pytest

from meshes.measure import alignment, meyerding_grade
from meshes.pathology import STAGES, Pathology
from meshes.pose import pose, posed_structures

ROOTS = ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right")


def test_zero_pathology_gives_the_rest_geometry_back(rest, segment):
    posed = pose(rest, Pathology())
    for name, mesh in segment.structures.items():
        assert np.array_equal(posed.points[name], mesh.points), name
    assert posed.fragment is None


def _worst_steps(rest, param: str, steps: int) -> dict[str, float]:
    """Each structure's largest vertex move between neighbouring states of ``steps`` samples."""
    values = np.linspace(0, 100, steps) if param == "slip" else np.linspace(0, 1, steps)
    prev = None
    worst: dict[str, float] = {}
    for v in values:
        state = Pathology(slip_percent=float(v)) if param == "slip" else Pathology(herniation=float(v))
        pts = pose(rest, state).points
        if prev is not None:
            for k in pts:
                worst[k] = max(worst.get(k, 0.0), float(np.abs(pts[k] - prev[k]).max()))
        prev = pts
    return worst


@pytest.mark.parametrize("param", ["slip", "herniation"])
def test_small_parameter_steps_move_vertices_a_little(rest, param):
    worst = _worst_steps(rest, param, 41)
    # 2.5% of slip is about 1 mm of travel; a herniation step of 0.025 moves the dome far less.
    # The roots are left out here: in sequestration the fragment migrates along the S1 root
    # about 1.5 mm a step and the root, yielding around it, can move a few mm (see below).
    assert max(v for k, v in worst.items() if not k.startswith("root_")) < 3.0


@pytest.mark.parametrize("param", ["slip", "herniation"])
def test_roots_move_continuously_with_the_pathology(rest, param):
    # A continuous motion moves about half as far in half the step; a jump does not shrink.
    coarse = _worst_steps(rest, param, 41)
    fine = _worst_steps(rest, param, 81)
    for root in ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right"):
        assert coarse[root] < 5.0, root
        assert fine[root] <= 0.7 * coarse[root] + 0.2, root


def test_slip_moves_the_anterior_column_and_leaves_the_arch(rest, segment):
    posed = pose(rest, Pathology(slip_percent=50))
    l5 = posed.points["L5"]
    moved = np.linalg.norm(l5 - segment.structures["L5"].points, axis=1)
    assert moved[~rest.front].max() == 0.0
    assert moved[rest.front].min() > 0.4 * 0.5 * rest.depth
    # Measured from the landmarks, the slip is what was asked for.
    at_rest = alignment(segment.landmarks).slip_percent
    assert alignment(posed.landmarks).slip_percent == pytest.approx(50 + at_rest, abs=1.0)


def test_pars_gap_opens_with_the_slip(rest):
    """The anterior column slides out of the arch: no overlap beyond the 1 mm grid, then a widening gap."""
    from meshes.geometry import clearance

    gaps = []
    for slip in (10, 30, 60):
        s = posed_structures(rest, pose(rest, Pathology(slip_percent=slip)))
        l5 = s["L5"]
        col = l5.cell_data["column"]
        front = l5.extract_cells(np.flatnonzero(col == 1)).extract_surface(algorithm="dataset_surface")
        back = l5.extract_cells(np.flatnonzero(col == 0)).extract_surface(algorithm="dataset_surface")
        gaps.append(clearance(front, back)[0])
    assert gaps[0] > -0.75, "the column runs into the arch by more than a grid cell"
    assert gaps[1] > 1.0 and gaps[2] > gaps[1] + 2.0


def _slip_angles(rest, slips) -> list[float]:
    return [alignment(pose(rest, Pathology(slip_percent=s)).landmarks).slip_angle_deg for s in slips]


def test_slip_angle_rolls_into_kyphosis_from_half_the_depth(rest):
    # Boxall 1979 (kyphosis positive): grade IV-V slips roll into 20-50 degrees of kyphosis.
    angles = _slip_angles(rest, (20, 50, 75, 100, 125, 150))
    assert angles[0] < 0.0, "a low-grade slip keeps the segment's lordosis"
    assert 20.0 <= angles[5] <= 50.0, "a grade V slip is kyphotic"
    assert all(b > a for a, b in zip(angles[1:], angles[2:], strict=False)), angles


@pytest.mark.xfail(strict=True, reason="known gap: by Boxall's line (square to S1's posterior wall) the model "
                   "under-rolls, +10.9 deg at 100% and -1 deg at 80%, where Huang 2003 measured +20 +/- 3 in "
                   "high-grade slips; more roll pushes the L5 root into L5 at 150% (0.53 mm)")
def test_a_grade_iv_slip_is_as_kyphotic_as_in_patients(rest):
    assert _slip_angles(rest, (80, 100))[0] >= 15.0


def test_the_slip_angle_is_squared_to_the_back_of_s1_not_to_its_endplate(rest):
    """Boxall's reference line is square to the posterior wall of S1's body. The wall leans back
    from the endplate's normal, so the slip angle differs from the angle between the two endplates
    by that lean, measured here on the S1 surface itself."""
    from meshes.frames import s1_axes

    marks = pose(rest, Pathology(slip_percent=20.0)).landmarks
    u, w, _ = s1_axes(marks)
    l5 = marks["L5_inferior_endplate_anterior"] - marks["L5_inferior_endplate_posterior"]
    between_endplates = -np.degrees(np.arctan2(l5 @ w, l5 @ u))
    wall = marks["S1_posterior_wall_superior"] - marks["S1_posterior_wall_inferior"]
    lean = np.degrees(np.arctan2(wall @ u, wall @ w))  # lower down, further back: from the endplate's normal
    s1 = np.asarray(rest.segment.structures["S1"].points)
    for name in ("S1_posterior_wall_superior", "S1_posterior_wall_inferior"):
        assert np.min(np.linalg.norm(s1 - marks[name], axis=1)) < 1.5, f"{name} lies on S1's surface"
    assert 4.0 < lean < 20.0, "the back of S1's body leans back from its endplate's normal"
    assert alignment(marks).slip_angle_deg == pytest.approx(between_endplates - lean, abs=0.05)


@pytest.mark.parametrize("asked", [0.0, 10.0, 25.0, 40.0, 50.0, 75.0, 100.0, 150.0])
def test_the_slip_measures_what_was_asked(rest, asked):
    measured = alignment(pose(rest, Pathology(slip_percent=asked)).landmarks).slip_percent
    assert measured == pytest.approx(asked, abs=0.2 if asked == 0.0 else 0.5)
    # At a band's edge the grade is the band's own (I is up to and including 25%).
    expected = {0.0: "none", 10.0: "I", 25.0: "I", 40.0: "II", 50.0: "II", 75.0: "III", 100.0: "IV", 150.0: "V"}
    assert meyerding_grade(measured) == expected[asked]


def test_l5_roots_are_clear_at_20_and_compressed_at_the_grade_ii_target(rest):
    # Isthmic slips pinch the exiting L5 roots already in grade I-II (ANATOMY.md): the
    # foramen narrows and the pars scar bulges into it.
    clear = pose(rest, Pathology(slip_percent=20))
    pinched = pose(rest, Pathology(slip_percent=40))
    for side in ("left", "right"):
        assert clear.root_gap[f"root_L5_{side}"] > 0.0
        assert pinched.root_gap[f"root_L5_{side}"] < 0.0
        assert pinched.scalars[f"root_L5_{side}"]["compression"].max() > 0.0


def test_a_pars_scar_bridges_each_opening_defect(rest):
    from meshes.contact import l5_column_and_arch
    from meshes.geometry import signed_volume, unsigned_distance

    assert not pose(rest, Pathology()).scars, "no defect, no scar"
    volumes = []
    for slip in (10.0, 40.0):
        structures = posed_structures(rest, pose(rest, Pathology(slip_percent=slip)))
        column, arch = l5_column_and_arch(structures["L5"])
        for side in ("left", "right"):
            scar = structures[f"pars_scar_{side}"]
            assert scar.n_open_edges == 0
            # It holds on to both stumps across the opened gap.
            assert unsigned_distance(scar.points, column).min() < 0.5
            assert unsigned_distance(scar.points, arch).min() < 0.5
        volumes.append(signed_volume(structures["pars_scar_left"]))
    assert 0.0 < volumes[0] < volumes[1]


@pytest.mark.parametrize("slip", [10.0, 20.0, 30.0, 40.0, 60.0, 80.0, 100.0])
def test_no_bone_enters_bone_as_l5_slips(rest, slip):
    from meshes.contact import depth_inside, l5_column_and_arch

    structures = posed_structures(rest, pose(rest, Pathology(slip_percent=slip)))
    column, arch = l5_column_and_arch(structures["L5"])
    for part in (column, arch):
        assert depth_inside(part.points, structures["S1"]) <= 0.5
        assert depth_inside(structures["S1"].points, part) <= 0.5


@pytest.mark.parametrize("slip", [0.0, 25.0, 50.0, 75.0, 90.0, 100.0, 125.0, 150.0])
def test_disc_heights_are_never_negative(rest, slip):
    from meshes.pose import readouts

    state = Pathology(slip_percent=slip)
    r = readouts(rest, pose(rest, state), state)
    heights = [r["disc_height_anterior_mm"], r["disc_height_posterior_mm"]]
    assert all(h is None or h >= 0.0 for h in heights)
    if slip > 100.0:
        assert heights == [None, None], "L5 has slipped off S1: no disc height to read"
    if slip <= 50.0:
        assert None not in heights


@pytest.mark.parametrize(
    ("edge", "below", "above"), [(25, "I", "II"), (50, "II", "III"), (75, "III", "IV"), (100, "IV", "V")]
)
def test_meyerding_grade_band_edges(edge, below, above):
    assert meyerding_grade(edge) == below
    assert meyerding_grade(edge + 0.01) == above


@pytest.mark.parametrize(
    ("zone", "side", "touched"),
    [
        ("subarticular", "left", {"root_S1_left"}),
        ("subarticular", "right", {"root_S1_right"}),
        ("foraminal", "left", {"root_L5_left"}),
        ("foraminal", "right", {"root_L5_right"}),
        ("extraforaminal", "left", {"root_L5_left"}),
        ("extraforaminal", "right", {"root_L5_right"}),
        ("central", "left", {"root_S1_left", "root_S1_right"}),
    ],
)
def test_extrusion_reaches_the_root_its_zone_names(rest, zone, side, touched):
    posed = pose(rest, Pathology(herniation=STAGES["extrusion"], zone=zone, side=side))
    compressed = {r for r in ROOTS if posed.root_gap[r] < 0}
    assert compressed == touched
    for root in touched:
        # The root yields: pushed aside and flattened, by at least 1 mm in all (a central
        # extrusion aims at the sac and reaches the S1 roots with its flanks).
        assert -posed.root_gap[root] >= (0.5 if zone == "central" else 1.0)
        assert posed.scalars[root]["compression"].max() >= (0.25 if zone == "central" else 0.5)
        assert posed.scalars[root]["inflamed"].max() > 0.5


def test_extent_grows_through_the_herniation_stages(rest):
    from meshes.measure import disc_extent

    extents = []
    for stage in ("none", "protrusion", "extrusion", "sequestration"):
        posed = pose(rest, Pathology(herniation=STAGES[stage]))
        extents.append(disc_extent(posed_structures(rest, posed), posed.landmarks))
    assert all(b > a for a, b in zip(extents, extents[1:], strict=False))


def test_a_bulge_is_degeneration_not_a_herniation(rest):
    from meshes.pathology import parse_herniation

    with pytest.raises(ValueError, match="degeneration"):
        parse_herniation("bulge")
    # Fardon 2014: generalised (all round the rim), shallow, touching no root.
    healthy = pose(rest, Pathology())
    worn = pose(rest, Pathology(degeneration=0.5))
    moved = worn.points["disc_annulus"] - healthy.points["disc_annulus"]
    radial = healthy.points["disc_annulus"] - rest.disc_centre
    radial -= np.outer(radial @ rest.w, rest.w)
    length = np.linalg.norm(radial, axis=1)
    outward = np.einsum("ij,ij->i", moved, radial / length[:, None])
    rim = length > 0.8 * length.max()
    # Outward all the way round: in every quarter of the rim's circumference.
    angle = np.arctan2(radial[rim] @ np.cross(rest.w, rest.u), radial[rim] @ rest.u)
    for quarter in range(4):
        lo = -np.pi + quarter * np.pi / 2
        here = (angle >= lo) & (angle < lo + np.pi / 2)
        assert np.median(outward[rim][here]) > 0.2, quarter
    assert outward.max() < 3.0
    assert Pathology(degeneration=0.5).stage == "none"
    for root in ROOTS:
        assert worn.root_gap[root] > 0.0 or root.startswith("root_L5")  # (L5: the foramen's own narrowing)
        assert worn.scalars[root]["inflamed"].max() == 0.0


def test_sequestration_makes_a_free_fragment(rest):
    posed = pose(rest, Pathology(herniation=1.0))
    frag = posed.fragment
    assert frag is not None and frag.n_open_edges == 0
    nucleus = posed.points["disc_nucleus"]
    from meshes.geometry import unsigned_distance

    assert unsigned_distance(frag.points, posed_structures(rest, posed)["disc_nucleus"]).min() > 0.5
    assert len(nucleus) == rest.points["disc_nucleus"].shape[0]


def test_slip_and_herniation_combine(rest):
    both = pose(rest, Pathology(slip_percent=40, herniation=STAGES["extrusion"], zone="subarticular", side="right"))
    slip = pose(rest, Pathology(slip_percent=40))
    assert np.array_equal(both.points["L5"], slip.points["L5"])
    assert both.root_gap["root_S1_right"] < 0
    assert not np.array_equal(both.points["disc_nucleus"], slip.points["disc_nucleus"])


@pytest.mark.parametrize(
    "kwargs", [{"slip_percent": -1}, {"slip_percent": 151}, {"herniation": 1.5}, {"zone": "lateral"}, {"side": "up"}]
)
def test_bad_values_are_refused(kwargs):
    with pytest.raises(ValueError):
        Pathology(**kwargs)


def _widths(rest, pathology, parts):
    """Lateral width (mm) of the herniated material in 0.5 mm slabs beyond the rest disc margin."""
    h = rest.herniations[(pathology.zone, pathology.side)]
    posed = pose(rest, pathology)
    p = np.vstack([posed.points[k] for k in parts])
    beyond = rest.fields["disc"](p)
    qt = (p - h.centre) @ h.t
    widths = []
    for s in np.arange(0.75, beyond.max() - 0.25, 0.5):
        m = np.abs(beyond - s) < 0.25
        widths.append(np.ptp(qt[m]) if m.sum() > 2 else np.nan)
    return np.array(widths)


@pytest.mark.parametrize("zone", ["central", "subarticular"])
def test_stage_shapes_protrusion_tapers_and_extrusion_domes_over_its_neck(rest, zone):
    protrusion = _widths(rest, Pathology(herniation=STAGES["protrusion"], zone=zone), ("disc_annulus", "disc_nucleus"))
    half = len(protrusion) // 2
    assert np.nanmin(protrusion[:half]) > np.nanmax(protrusion[half:]), "a protrusion's base is wider than its dome"
    extrusion = _widths(rest, Pathology(herniation=STAGES["extrusion"], zone=zone), ("disc_nucleus",))
    half = len(extrusion) // 2
    neck, dome = np.nanmin(extrusion[:half]), np.nanmax(extrusion[half:])
    assert dome > neck + 1.0, f"extruded dome {dome:.1f} mm should be wider than its neck {neck:.1f} mm"


@pytest.mark.parametrize(
    "state",
    [Pathology(), Pathology(slip_percent=20), Pathology(slip_percent=60),
     Pathology(slip_percent=30, herniation=STAGES["extrusion"], zone="foraminal")],
)
def test_fast_readouts_agree_with_the_surfaces(rest, state):
    """The viewer's field-based readouts match measuring the posed surfaces themselves."""
    from meshes.measure import readouts as measured
    from meshes.pose import readouts

    posed = pose(rest, state)
    fast = readouts(rest, posed, state)
    slow = measured(posed_structures(rest, posed), posed.landmarks, state, posed.root_gap)
    for side in ("left", "right"):
        f, s = fast["foramen"][side], slow["foramen"][side]
        assert f["closed"] == s["closed"]
        if not f["closed"]:
            continue  # shown as "open": an open outline's extent is never read out
        assert f["height_mm"] == pytest.approx(s["height_mm"], abs=1.5)
        assert f["width_mm"] == pytest.approx(s["width_mm"], abs=1.0)
        # The field rebuilds a herniated tongue from its profile, the surface traces it
        # with vertices a millimetre apart: areas agree to a fifth.
        assert f["area_mm2"] == pytest.approx(s["area_mm2"], rel=0.2)
    for key in ("slip_percent", "meyerding_grade", "slip_angle_deg", "roots", "herniation"):
        assert fast[key] == slow[key]


def test_disc_height_is_read_square_to_s1_and_falls_as_the_disc_collapses(rest, segment):
    at_rest = alignment(segment.landmarks).disc_posterior_mm
    grade_i = alignment(pose(rest, Pathology(slip_percent=20)).landmarks).disc_posterior_mm
    grade_ii = alignment(pose(rest, Pathology(slip_percent=40)).landmarks).disc_posterior_mm
    # The slipping disc gives up height through grades I-II, and keeps some.
    assert at_rest > grade_i > grade_ii > 0.5 * at_rest


def _depth_inside(surface_points, faces, points) -> float:
    """How deep (mm) the deepest of ``points`` lies inside the closed surface; 0 if none does."""
    import pyvista as pv

    surface = pv.PolyData(surface_points, faces)
    d = pv.PolyData(np.asarray(points, float)).compute_implicit_distance(surface)["implicit_distance"]
    return float(max(0.0, -d.min()))


@pytest.mark.parametrize("zone", ["central", "subarticular"])
@pytest.mark.parametrize("stage", ["extrusion", "sequestration"])
@pytest.mark.parametrize("slip", [0.0, 30.0])
def test_the_dural_sac_is_indented_by_the_herniation_not_crossed(rest, segment, zone, stage, slip):
    posed = pose(rest, Pathology(slip_percent=slip, herniation=STAGES[stage], zone=zone, side="left"))
    faces = segment.structures["dural_sac"].faces
    disc = [posed.points["disc_nucleus"], posed.points["disc_annulus"]]
    if posed.fragment is not None:
        disc.append(np.asarray(posed.fragment.points))
    assert _depth_inside(posed.points["dural_sac"], faces, np.vstack(disc)) < 0.5
    # Where the sac had not given way, the disc would lie this deep inside it.
    still = pose(rest, Pathology(slip_percent=slip)).points["dural_sac"]
    crossing = _depth_inside(still, faces, np.vstack(disc))
    dent = np.linalg.norm(posed.points["dural_sac"] - still, axis=1).max()
    if crossing > 1.0:
        assert dent > 0.5 * crossing, "the sac gives way where the herniation reaches it"
    else:
        assert dent < 1.0, "a herniation that does not reach the sac leaves it in place"
    if zone == "central" and stage == "extrusion" and slip == 0.0:
        assert crossing > 3.0  # the teaching case: without the dent the nucleus lay 4-5 mm inside


def test_a_foraminal_herniation_leaves_the_sac_alone(rest):
    still = pose(rest, Pathology())
    posed = pose(rest, Pathology(herniation=STAGES["extrusion"], zone="foraminal", side="left"))
    assert np.array_equal(posed.points["dural_sac"], still.points["dural_sac"])


def test_the_foramen_height_falls_as_l5_slips(rest):
    from meshes.pose import readouts

    heights = []
    for slip in (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0):
        state = Pathology(slip_percent=slip)
        r = readouts(rest, pose(rest, state), state)["foramen"]
        heights.append(min(r[side]["height_mm"] for side in ("left", "right")))
    assert all(b <= a for a, b in zip(heights, heights[1:], strict=False)), heights
    assert heights[-1] < heights[0] - 1.5, heights


@pytest.mark.parametrize(("slip", "degeneration"), [(0.0, 0.0), (50.0, 1.0), (60.0, 1.0)])
def test_a_canal_herniation_leaves_the_foramen_alone(rest, slip, degeneration):
    """A subarticular or central extrusion lies medial to the pedicle: the foramen reads as it
    does without it. (On a 50% slip of a worn disc the sheared disc's flat pleats read the
    foramen's section 10 mm inside the disc by their normals: "0.0 mm narrowest, 86 mm2"
    against 156 on the other side.)"""
    from meshes.pose import readouts

    def foramen(**kw):
        state = Pathology(slip_percent=slip, degeneration=degeneration, side="left", **kw)
        return readouts(rest, pose(rest, state), state)["foramen"]["left"]

    alone = foramen()
    for zone in ("subarticular", "central"):
        with_it = foramen(herniation=0.74, zone=zone)
        assert with_it["width_mm"] >= alone["width_mm"] - 0.5, (zone, with_it, alone)
        assert with_it["area_mm2"] >= 0.9 * alone["area_mm2"], (zone, with_it, alone)


@pytest.mark.parametrize("zone", ["central", "subarticular", "foraminal", "extraforaminal"])
def test_a_fragment_migrates_along_its_root_outside_bone_and_presses_it_harder(rest, zone):
    from meshes.contact import depth_inside

    root = "root_S1_left" if zone in ("central", "subarticular") else "root_L5_left"
    extruded = pose(rest, Pathology(herniation=STAGES["extrusion"], zone=zone, side="left"))
    freed = pose(rest, Pathology(herniation=STAGES["sequestration"], zone=zone, side="left"))
    shown = posed_structures(rest, freed)
    fragment = shown["herniation_fragment"]
    for bone in ("L5", "S1", "sacrum"):
        assert depth_inside(fragment.points, shown[bone]) <= 0.5, bone
    assert freed.root_gap[root] <= extruded.root_gap[root]
    marks = rest.segment.landmarks
    centre = np.asarray(fragment.points).mean(axis=0) - marks["S1_endplate_posterior"]
    below = -float(centre @ rest.w)
    ahead = float(centre @ rest.u)
    pedicle_x = abs(marks["L5_pedicle_inferior_left"][0])
    if zone in ("central", "subarticular"):  # down behind S1, in the canal
        assert below > 2.0 and ahead < 0.0 and abs(centre[0]) < pedicle_x
    elif zone == "foraminal":  # within the foramen, beside the pedicle's lower border
        assert pedicle_x - 3.0 < abs(centre[0]) < pedicle_x + 10.0 and below < 3.0
    else:  # lateral to the foramen and down along the root, in front of the ala
        foraminal = posed_structures(rest, pose(rest, Pathology(herniation=1.0, zone="foraminal", side="left")))
        lateral = np.asarray(foraminal["herniation_fragment"].points).mean(axis=0)[0]
        assert abs(centre[0]) > abs(lateral) - 1.0 and below > 3.0


@pytest.mark.parametrize("state", [
    Pathology(slip_percent=20), Pathology(slip_percent=40), Pathology(degeneration=1.0),
    Pathology(slip_percent=20, degeneration=1.0), Pathology(slip_percent=15, degeneration=0.7),
    Pathology(herniation=0.5, zone="foraminal"),
], ids=lambda s: f"slip{s.slip_percent:g}-deg{s.degeneration:g}-her{s.herniation:g}")
def test_a_roots_clearance_is_the_gap_in_the_picture(rest, state):
    """A root read as compressed is drawn against something; one read clear is drawn at least
    that far from every surface, and not much farther (the readout is the picture's, not a
    field's: a sheared disc's field read a root beside it up to 1.6 mm off)."""
    import pyvista as pv

    posed = pose(rest, state)
    shown = posed_structures(rest, posed)
    others = [n for n in ("L5", "S1", "sacrum", "disc_annulus", "disc_nucleus", "pars_scar_left",
                          "pars_scar_right", "herniation_fragment") if n in shown]
    for side in ("left", "right"):
        root = f"root_L5_{side}"
        cloud = pv.PolyData(shown[root].points)
        drawn = min(np.abs(cloud.compute_implicit_distance(shown[o])["implicit_distance"]).min() for o in others)
        gap = posed.root_gap[root]
        if gap < 0.0:
            assert drawn < 0.3, (root, gap, drawn)
        else:
            assert gap - 0.1 <= drawn < gap + 1.0, (root, gap, drawn)


@pytest.mark.parametrize(("zone", "root"), [("central", "S1"), ("subarticular", "S1"), ("foraminal", "L5"),
                                            ("extraforaminal", "L5")])
def test_a_slip_never_frees_a_root_an_extrusion_compresses(rest, zone, root):
    """Issue 14: a slip never relieves a herniation's compression. The central extrusion's S1
    root had been read clear from 20 to 60% (the sheared disc's field put it 0.5-0.8 mm off)."""
    name = f"root_{root}_left"
    for slip in (0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 150.0):
        gap = pose(rest, Pathology(slip_percent=slip, herniation=STAGES["extrusion"], zone=zone, side="left")).root_gap
        assert gap[name] < 0.0, (zone, slip, gap[name])
