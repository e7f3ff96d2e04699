"""Flexion and extension: L5 turns on S1 through the published range, the disc, foramen and roots
follow, a pars defect makes the segment unstable on a flexion-extension pair, and bone stops a
bend where it meets bone. Everything is measured on the posed geometry."""

from __future__ import annotations

import numpy as np
import pytest

from meshes.column import column_of
from meshes.contact import depth_inside, l5_column_and_arch
from meshes.dynamics import TRANSLATION_LIMIT_MM, posture_readouts, segmental_angle_deg, translation_mm
from meshes.pathology import Pathology
from meshes.pose import pose, posed_structures, readouts
from meshes.posture import EXTENSION_DEG, FLEXION_DEG


def _measured(rest, **state) -> dict:
    s = Pathology(**state)
    return readouts(rest, pose(rest, s), s)


def test_a_healthy_segment_bends_through_the_published_range_about_the_back_of_the_disc(rest):
    neutral, flexed, extended = (pose(rest, Pathology(posture=p)) for p in (0.0, 1.0, -1.0))
    angle = {name: segmental_angle_deg(p.landmarks) for name, p in
             (("neutral", neutral), ("flexed", flexed), ("extended", extended))}
    # Flexion closes the lordotic disc wedge by the full 10 degrees (Yamamoto 1989).
    assert angle["neutral"] - angle["flexed"] == pytest.approx(FLEXION_DEG, abs=0.05)
    # Extension opens it; the arch's impaction on S1 may stop it a little short of 8 degrees.
    assert 0.8 * EXTENSION_DEG <= angle["extended"] - angle["neutral"] <= EXTENSION_DEG + 0.05
    # The axis lies in the back of the disc: L5's back corner barely slides (about 1 mm in all,
    # as kinetic MRI finds in healthy L5-S1), its front corner moves several mm.
    slid = translation_mm(flexed.landmarks) - translation_mm(extended.landmarks)
    assert 0.3 < slid < 2.0
    front = "L5_inferior_endplate_anterior"
    assert np.linalg.norm(flexed.landmarks[front] - extended.landmarks[front]) > 8.0


def test_flexion_squeezes_the_front_of_the_disc_and_extension_the_back(rest):
    n, f, e = (_measured(rest, posture=p) for p in (0.0, 1.0, -1.0))
    assert f["disc_height_anterior_mm"] < n["disc_height_anterior_mm"] - 4.0
    assert e["disc_height_anterior_mm"] > n["disc_height_anterior_mm"] + 2.0
    assert e["disc_height_posterior_mm"] < n["disc_height_posterior_mm"] < f["disc_height_posterior_mm"]
    # The disc as drawn follows: its front thins in flexion, measured on the surfaces.
    shown = {p: posed_structures(rest, pose(rest, Pathology(posture=p)))["disc_annulus"] for p in (0.0, 1.0)}
    front_half = {p: np.ptp(np.asarray(m.points)[np.asarray(m.points)[:, 1] > 10.0][:, 2]) for p, m in shown.items()}
    assert front_half[1.0] < front_half[0.0] - 2.0


def test_the_foramen_opens_in_flexion_and_narrows_in_extension_without_pinching_a_healthy_root(rest):
    n, f, e = (_measured(rest, posture=p) for p in (0.0, 1.0, -1.0))
    for side in ("left", "right"):
        area = [r["foramen"][side]["area_mm2"] for r in (e, n, f)]
        assert area[0] < area[1] < area[2], side
        # Of the order of the published 10-20% each way, not doubled or unchanged.
        assert 0.05 < 1.0 - area[0] / area[1] < 0.3 and 0.05 < area[2] / area[1] - 1.0 < 0.3, area
        assert e["foramen"][side]["height_mm"] < n["foramen"][side]["height_mm"] < f["foramen"][side]["height_mm"]
    for r in (f, e):
        assert not any(v["compressed"] for v in r["roots"].values()), r["roots"]


def test_a_pars_defect_makes_grade_ii_unstable_and_the_slip_grows_in_flexion(rest):
    healthy = posture_readouts(rest, Pathology())["flexion_extension"]
    slipped = posture_readouts(rest, Pathology(slip_percent=40.0))["flexion_extension"]
    assert not healthy["unstable"] and healthy["translation_mm"] < TRANSLATION_LIMIT_MM
    assert slipped["unstable"] and slipped["translation_mm"] > TRANSLATION_LIMIT_MM
    assert slipped["reasons"] == [f"translation over {TRANSLATION_LIMIT_MM:g} mm"]
    # Measured on the posed films' landmarks: the grade grows between extension and flexion.
    slip = {p: _measured(rest, slip_percent=40.0, posture=p)["slip_percent"] for p in (-1.0, 0.0, 1.0)}
    assert slip[-1.0] < slip[0.0] < slip[1.0]
    depth = float(np.linalg.norm(rest.segment.landmarks["S1_endplate_anterior"]
                                 - rest.segment.landmarks["S1_endplate_posterior"]))
    assert (slip[1.0] - slip[-1.0]) * depth / 100.0 == pytest.approx(slipped["translation_mm"], abs=0.05)


def test_the_readouts_against_neutral_are_the_posture_s_own(rest):
    r = _measured(rest, slip_percent=20.0, posture=0.5)["posture"]
    n = _measured(rest, slip_percent=20.0)
    assert r["posture"] == 0.5
    assert r["flexion_from_neutral_deg"] == pytest.approx(0.5 * FLEXION_DEG, abs=0.05)
    assert r["translation_from_neutral_mm"] > 0.0
    assert n["posture"]["flexion_from_neutral_deg"] == 0.0 and n["posture"]["translation_from_neutral_mm"] == 0.0


def test_a_worn_disc_extends_less_because_its_arch_meets_s1(rest):
    healthy = column_of(rest, Pathology(posture=-1.0)).state.posture
    worn = column_of(rest, Pathology(posture=-1.0, degeneration=1.0)).state.posture
    assert abs(worn) < abs(healthy)
    for posture in (-1.0, 1.0):
        state = Pathology(posture=posture, degeneration=1.0)
        shown = posed_structures(rest, pose(rest, state))
        column, arch = l5_column_and_arch(shown["L5"])
        assert depth_inside(arch.points, shown["S1"]) <= 0.5 and depth_inside(column.points, shown["S1"]) <= 0.5
        # Flexion squeezes the worn disc's front but leaves it (DISC_KEPT_MM) between the bones.
        assert readouts(rest, pose(rest, state), state)["disc_height_anterior_mm"] > 0.9


def test_flexion_of_a_high_grade_slip_stops_before_the_column_crushes_the_disc(rest):
    """Found by random combinations: a grade III slip on a worn disc in full flexion pushed the
    disc 2.8 mm into L5 and turned it inside out; the bend now stops with 1 mm of disc left."""
    state = Pathology(slip_percent=75.7, herniation=0.996, zone="subarticular", side="left",
                      degeneration=0.79, posture=1.0)
    assert column_of(rest, state).state.posture < 1.0
    shown = posed_structures(rest, pose(rest, state))
    column, _ = l5_column_and_arch(shown["L5"])
    assert depth_inside(shown["disc_annulus"].points, column) <= 0.5


def test_the_arch_and_its_cartilage_turn_with_the_body(rest):
    """Without a defect L5 is one bone: every part of it, and the cartilage on its lower joint
    processes, moves by the same rigid turn."""
    moved = pose(rest, Pathology(posture=1.0))
    l5, was = moved.points["L5"], rest.points["L5"]
    # Rigid: distances between far-apart vertices (body front to spinous tip) are kept.
    i, j = int(np.argmax(was[:, 1])), int(np.argmin(was[:, 1]))
    assert np.linalg.norm(l5[i] - l5[j]) == pytest.approx(np.linalg.norm(was[i] - was[j]), abs=1e-3)
    assert np.linalg.norm(l5[j] - was[j]) > 3.0  # the spinous tip has moved
    for side in ("left", "right"):
        on_l5 = rest.point_data[f"facet_cartilage_{side}"]["layer"] == 1
        layer, rest_layer = moved.points[f"facet_cartilage_{side}"], rest.points[f"facet_cartilage_{side}"]
        assert np.linalg.norm(layer[on_l5] - rest_layer[on_l5], axis=1).min() > 0.5
        assert np.allclose(layer[~on_l5], rest_layer[~on_l5])  # S1's side stays


def test_the_sac_goes_with_the_canal(rest):
    sac0 = rest.points["dural_sac"]
    sac = pose(rest, Pathology(posture=1.0)).points["dural_sac"]
    top, bottom = sac0[:, 2] > sac0[:, 2].max() - 5.0, sac0[:, 2] < sac0[:, 2].min() + 5.0
    assert np.linalg.norm(sac[top] - sac0[top], axis=1).mean() > 2.0  # above L5 it moved with L5
    assert np.linalg.norm(sac[bottom] - sac0[bottom], axis=1).max() < 1e-6  # in the sacrum it stays


def test_a_worn_disc_restabilises_a_slip_and_stiffens_a_healthy_segment(rest):
    """Kirkaldy-Willis & Farfan: an advanced degenerated disc, narrowed and rimmed with spurs, holds
    the segment; a pars defect on such a disc need not read unstable."""
    slipped = posture_readouts(rest, Pathology(slip_percent=40.0))["flexion_extension"]
    held = posture_readouts(rest, Pathology(slip_percent=40.0, degeneration=1.0))["flexion_extension"]
    assert slipped["unstable"] and not held["unstable"]
    assert held["translation_mm"] < 0.5 * slipped["translation_mm"]
    healthy = posture_readouts(rest, Pathology())["flexion_extension"]
    worn = posture_readouts(rest, Pathology(degeneration=1.0))["flexion_extension"]
    assert worn["angulation_deg"] < 0.5 * healthy["angulation_deg"]
