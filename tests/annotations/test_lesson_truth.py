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




@pytest.mark.parametrize("step", list(_steps()))
def test_a_step_says_which_roots_are_squeezed_as_the_model_shows_them(rest, step):
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
