"""Practice mode's Qt-free session: seeded draws, answer keys checked against an independent
measurement of each case, four distinct choices with one right, and the scoring."""

from __future__ import annotations

import re

import pytest

from annotations.dermatomes import load as load_dermatomes
from meshes.measure import meyerding_grade
from meshes.pathology import Pathology
from meshes.pose import pose, readouts
from viewer.state.names import display_name
from viewer.state.practice import KINDS, Case, Key, PracticeSession, QuestionKind

SEEDS = (0, 1, 2, 3, 11)


@pytest.fixture(scope="module")
def sessions(rest):
    return {seed: PracticeSession(seed, 12, rest) for seed in SEEDS}


def _fingerprint(session: PracticeSession) -> list:
    return [(q.kind, q.prompt, q.text, q.case, q.choices, q.answer, q.truth) for q in session.questions]


def test_the_same_seed_draws_the_same_questions_and_another_seed_others(rest, sessions):
    again = PracticeSession(3, 12, rest)
    assert _fingerprint(again) == _fingerprint(sessions[3])
    assert _fingerprint(sessions[0]) != _fingerprint(sessions[1])
    assert len({tuple(map(str, _fingerprint(s))) for s in sessions.values()}) == len(SEEDS)


def test_every_kind_is_asked_and_each_round_covers_them_all(sessions):
    for session in sessions.values():
        kinds = [q.kind for q in session.questions]
        assert set(kinds[:len(KINDS)]) == set(KINDS)
        assert set(kinds) == set(KINDS)


# Independent of the module's own table: which roots a choice names.
def _roots_named(label: str) -> set[str] | None:
    if label == "No root":
        return set()
    both = re.fullmatch(r"Both (L5|S1) roots", label)
    if both:
        return {f"root_{both[1]}_left", f"root_{both[1]}_right"}
    one = re.fullmatch(r"(L5|S1) root \((left|right)\)", label)
    return {f"root_{one[1]}_{one[2]}"} if one else None


def _measured(rest, state) -> dict:
    """The case measured afresh, as ``l5s1-viewer measure --json`` does."""
    return readouts(rest, pose(rest, state), state)


def _right(rest, question, choice: str) -> bool:
    """Whether ``choice`` is a right answer to ``question``, worked out without its key."""
    state = question.case.state
    if question.kind == "grade":
        return choice == meyerding_grade(_measured(rest, state)["slip_percent"])
    if question.kind == "root":
        r = _measured(rest, state)
        return _roots_named(choice) == {name for name, v in r["roots"].items() if v["clearance_mm"] < 0.0}
    if question.kind == "signs":
        dermatomes, _ = load_dermatomes()
        level, side = re.fullmatch(r"(L5|S1) root \((left|right)\)", choice).groups()
        text = question.text
        return (dermatomes[level].area in text and f"on the {side}" in text
                and all(s in dermatomes[level].signs for s in text.split("On examination: ")[1][:-1].split("; ")))
    if question.kind == "structure":
        return choice == display_name(question.picture.highlight)
    if question.kind == "unstable":
        slid, tipped = _flexion_extension(rest, state)
        says_slides, says_tips = "slides" in choice, "tips" in choice
        return choice.startswith("Unstable") != (choice == "Stable") and (says_slides, says_tips) == (
            slid > 3.0, tipped > 20.0)
    raise AssertionError(question.kind)


def _flexion_extension(rest, state: Pathology) -> tuple[float, float]:
    """How far L5 slides (mm) and tips (degrees) between the posed extension and flexion films,
    measured on each film's landmarks as a reader would."""
    from dataclasses import replace

    import numpy as np

    marks = {p: pose(rest, replace(state, posture=p)).landmarks for p in (-1.0, 1.0)}

    def slip_and_angle(m):
        u = m["S1_endplate_anterior"] - m["S1_endplate_posterior"]
        u = u / np.linalg.norm(u)
        w = np.array([0.0, -u[2], u[1]])
        l5 = m["L5_inferior_endplate_anterior"] - m["L5_inferior_endplate_posterior"]
        return (float((m["L5_inferior_endplate_posterior"] - m["S1_endplate_posterior"]) @ u),
                float(np.degrees(np.arctan2(l5 @ w, l5 @ u))))

    (s_ext, a_ext), (s_flex, a_flex) = slip_and_angle(marks[-1.0]), slip_and_angle(marks[1.0])
    return s_flex - s_ext, a_ext - a_flex


def test_every_answer_key_agrees_with_a_fresh_measurement_and_only_one_choice_is_right(rest, sessions):
    for session in sessions.values():
        for q in session.questions:
            assert len(q.choices) == 4 and len(set(q.choices)) == 4
            right = [i for i, c in enumerate(q.choices) if _right(rest, q, c)]
            assert right == [q.answer], (q.kind, q.case, q.choices)
            assert q.why_not[q.answer] == "" and all(q.why_not[i] for i in range(4) if i != q.answer)


def test_herniations_press_the_root_the_anatomy_notes_name_for_their_zone(sessions):
    # ANATOMY.md: central and subarticular herniations at L5-S1 press the traversing S1 root on
    # their side (a large central one both); foraminal and extraforaminal ones the exiting L5.
    seen = 0
    for session in sessions.values():
        for q in session.questions:
            state = q.case.state
            if q.kind != "root" or state.herniation == 0.0:
                continue
            seen += 1
            named = _roots_named(q.choices[q.answer])
            level = "S1" if state.zone in ("central", "subarticular") else "L5"
            assert f"root_{level}_{state.side}" in named
            assert all(f"_{level}_" in root for root in named)
    assert seen >= 3


def test_the_reveal_says_the_measured_numbers(rest, sessions):
    for q in sessions[0].questions + sessions[1].questions:
        if q.kind == "grade":
            slip = _measured(rest, q.case.state)["slip_percent"]
            assert f"{slip:.1f}%" in q.truth and q.reveal.overlay and not q.picture.overlay
            assert q.picture.modality == "xray-lateral"
        if q.kind == "root":
            r = _measured(rest, q.case.state)
            for i, choice in enumerate(q.choices):
                if i == q.answer:
                    continue
                wrongly = _roots_named(choice) ^ {n for n, v in r["roots"].items() if v["compressed"]}
                for root in wrongly:  # each root the choice gets wrong, with its measured clearance
                    level, side = root.split("_")[1:]
                    assert f"{level} {side}" in q.why_not[i]
                    assert f"{r['roots'][root]['clearance_mm']:.1f} mm" in q.why_not[i]


def test_the_instability_question_shows_the_pair_and_says_its_measured_motion(rest, sessions):
    asked = [q for s in sessions.values() for q in s.questions if q.kind == "unstable"]
    assert asked and {q.choices[q.answer] for q in asked} >= {"Stable", "Unstable: it slides too far"}
    for q in asked:
        assert q.picture.modality == q.reveal.modality == "xray-flexion-extension"
        assert q.reveal.overlay and not q.picture.overlay
        slid, tipped = _flexion_extension(rest, q.case.state)
        said_slid = float(re.search(r"slides (\d+\.\d) mm", q.truth)[1])
        said_tipped = float(re.search(r"tips (\d+)°", q.truth)[1])
        assert abs(said_slid - slid) <= 0.06 and abs(said_tipped - tipped) <= 0.51, (q.truth, slid, tipped)


def test_answers_move_on_only_when_given_and_the_score_counts_the_right_ones(rest):
    session = PracticeSession(5, 3, rest)
    assert not session.next(), "no moving on before an answer"
    first = session.question
    assert session.answer(first.answer) is True
    assert session.answer((first.answer + 1) % 4) is None, "a second answer is not taken"
    assert session.next() and session.question is session.questions[1]
    assert session.answer((session.question.answer + 1) % 4) is False
    session.next()
    session.answer(session.question.answer)
    assert session.score == (2, 3)
    assert session.next() and session.finished and session.question is None
    assert session.answer(0) is None


@pytest.mark.parametrize("seed, count", [(-1, 5), (2**32, 5), (1, 0), (1, 51), ("7", 5)])
def test_a_seed_or_count_out_of_range_is_refused(rest, seed, count):
    with pytest.raises(ValueError):
        PracticeSession(seed, count, rest)


def test_a_new_kind_of_question_is_one_registry_entry(rest):
    # As the flexion-extension question will join: a case generator, an answer key, a picture.
    def case(rng):
        return Case(Pathology(), {"n": rng.randint(1, 9)})

    def key(c, _context):
        answer = str(c.detail["n"])
        others = tuple(str(n) for n in range(1, 10) if str(n) != answer)
        return Key(answer, (answer, *others), f"it was {answer}", {o: f"not {o}" for o in others})

    kinds = {**KINDS, "count": QuestionKind("count", case, key, prompt="Which number?")}
    session = PracticeSession(9, 10, rest, kinds)
    counted = [q for q in session.questions if q.kind == "count"]
    assert counted and all(q.choices[q.answer] == str(q.case.detail["n"]) for q in counted)
    assert all(q.prompt == "Which number?" and len(set(q.choices)) == 4 for q in counted)
