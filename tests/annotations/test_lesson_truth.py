"""A lesson never says something the model does not show: every bundled lesson's claims
about squeezed roots, checked against the readouts measured at each step's state."""

from __future__ import annotations

import re

import pytest

from annotations.lessons import bundled, parse
from meshes.pathology import Pathology
from meshes.pose import pose, readouts
from meshes.segment import STRUCTURES
from meshes.vertebra_l5 import L5_REGIONS
from viewer.scene.style import VIEWS

PRESSED = re.compile(r"pinch|squeez|compress|touched|\bhits\b|lands on|presses", re.I)
DENIED = re.compile(r"\bno root\b|\bmisses\b|\bnot\b|\bspare", re.I)
NAMED = re.compile(r"\b(L5|S1) (roots?)\b")


def claims(text: str, side: str) -> tuple[set[str], set[str], bool]:
    """(roots the text says are squeezed, roots it says are spared, whether it says no root
    is touched at all), read clause by clause."""
    squeezed, spared, none = set(), set(), False
    for sentence in re.split(r"(?<=[.;:])\s+|,\s+|\s+and\s+|\s+but\s+", " ".join(text.split())):
        named = set()
        for level, noun in NAMED.findall(sentence.replace("**", "")):
            sides = ("left", "right") if noun == "roots" else (side,)
            named |= {f"root_{level}_{s}" for s in sides}
        if DENIED.search(sentence):
            if "no root" in sentence.lower():
                none = True
            spared |= named
        elif PRESSED.search(sentence):
            squeezed |= named
    return squeezed, spared - squeezed, none


def _steps():
    for path in bundled():
        lesson = parse(path, STRUCTURES, L5_REGIONS, VIEWS)
        for number, step in enumerate(lesson.steps, 1):
            yield pytest.param(step, id=f"{path.stem}-{number}")




_BUILT: dict = {}


def rest_of(step, rest):
    """The segment a step is shown on: the default one, or its own anatomy's (built once)."""
    if step.anatomy is None or step.anatomy.anatomy == rest.segment.anatomy:
        return rest
    from meshes.preparation import prepare
    from meshes.segment import build_segment

    if step.anatomy.anatomy not in _BUILT:
        _BUILT[step.anatomy.anatomy] = prepare(build_segment(step.anatomy.anatomy))
    return _BUILT[step.anatomy.anatomy]


@pytest.mark.parametrize("step", list(_steps()))
def test_a_step_says_which_roots_are_squeezed_as_the_model_shows_them(rest, step):
    rest = rest_of(step, rest)
    state = Pathology(slip_percent=step.slip, herniation=step.herniation, zone=step.zone, side=step.side,
                      degeneration=step.degeneration, posture=step.posture)
    measured = readouts(rest, pose(rest, state), state)["roots"]
    compressed = {name for name, r in measured.items() if r["compressed"]}
    squeezed, spared, none = claims(step.text, step.side)
    assert squeezed <= compressed, f"the text says {sorted(squeezed - compressed)} squeezed; the model does not"
    assert not (spared & compressed), f"the text says {sorted(spared & compressed)} spared; the model squeezes it"
    if none:
        assert not compressed, f"the text says no root is touched; the model squeezes {sorted(compressed)}"
    # ... and vice versa: a root the model squeezes is named as squeezed.
    assert compressed <= squeezed, f"the model squeezes {sorted(compressed - squeezed)}; the text does not say so"


def test_the_claims_reader_reads_what_the_lesson_says():
    text = "The exiting **L5 roots** are pinched here. It misses the S1 root and hits the L5 root. No root is touched."
    assert claims(text, "left") == ({"root_L5_left", "root_L5_right"}, {"root_S1_left"}, True)
    assert claims("It misses the S1 root and hits the L5 root.", "left") == ({"root_L5_left"}, {"root_S1_left"}, False)
    assert claims("It lands on the **S1 root**: squeezed.", "right")[0] == {"root_S1_right"}


def test_a_step_that_calls_the_pair_unstable_shows_a_segment_that_is(rest):
    """The bending-films step says L5 slides more than 3 mm and the pair reads unstable: so it must
    measure, and its scene must be bent forward, as the text says."""
    from meshes.dynamics import TRANSLATION_LIMIT_MM, posture_readouts

    steps = [p.values[0] for p in _steps() if p.values[0].image == "xray-flexion-extension"]
    assert steps
    for step in steps:
        state = Pathology(slip_percent=step.slip, herniation=step.herniation, degeneration=step.degeneration,
                          zone=step.zone, side=step.side, posture=step.posture)
        pair = posture_readouts(rest, state)["flexion_extension"]
        if "reads unstable" in step.text:
            assert pair["unstable"] and pair["translation_mm"] > TRANSLATION_LIMIT_MM
        if "bent\nforward" in step.text or "bent forward" in step.text.replace("\n", " "):
            assert readouts(rest, pose(rest, state), state)["posture"]["flexion_from_neutral_deg"] > 5.0


def test_the_steep_sacrum_step_shows_the_slope_and_shear_it_names(rest):
    """The step on a steep sacrum quotes its sacral slope and shear share, and the average adult's:
    each is what the Measured panel reads on that step's segment and on the average one."""
    steps = [p.values[0] for p in _steps() if p.values[0].anatomy is not None
             and p.values[0].anatomy.anatomy.sacral_slope > 50]
    assert steps, "no lesson step on a steep sacrum"
    for step in steps:
        state = Pathology(slip_percent=step.slip)
        steep = readouts(rest_of(step, rest), pose(rest_of(step, rest), state), state)
        average = readouts(rest, pose(rest, state), state)
        text = " ".join(step.text.split())
        slopes = [float(x) for x in re.findall(r"(\d+)°", text)]
        assert slopes[:2] == pytest.approx([steep["sacral_slope_deg"], average["sacral_slope_deg"]], abs=1.0)
        shares = [float(x) for x in re.findall(r"\b0\.\d+", text)]
        assert shares[:2] == pytest.approx([steep["endplate_shear_share"], average["endplate_shear_share"]],
                                           abs=0.03)
        assert steep["endplate_shear_share"] > average["endplate_shear_share"] + 0.1
        if "unstable" in text:
            assert steep["posture"]["flexion_extension"]["unstable"]


def test_the_narrow_canal_steps_show_the_same_protrusion_spared_then_pressing(rest):
    """The pair of steps on canal size: the same herniation, zone and side; the first on an average
    canal, the second on a shallower one with a smaller sac, whose section at the disc the
    protrusion takes under 100 mm² as the text says (and the first's it does not)."""
    steps = [p.values[0] for p in _steps() if p.values[0].anatomy is not None]
    narrow = [s for s in steps if s.anatomy.anatomy.l5_canal_depth < 13]
    assert narrow, "no lesson step on a narrow canal"
    for step in narrow:
        before = next(s for s in steps if s.herniation == step.herniation and s.zone == step.zone
                      and s.anatomy.anatomy.l5_canal_depth > 15)
        assert before.anatomy.anatomy.dural_sac_area > step.anatomy.anatomy.dural_sac_area
        state = Pathology(herniation=step.herniation, zone=step.zone, side=step.side)
        areas = [readouts(rest_of(s, rest), pose(rest_of(s, rest), state), state)["dural_sac_area_mm2"]
                 for s in (before, step)]
        if "under 100 mm²" in " ".join(step.text.split()):
            assert areas[1] < 100.0 < areas[0], areas
