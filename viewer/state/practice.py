"""Practice mode: a seeded quiz of cases drawn from the conditions, with answer keys measured
from the geometry. Qt-free: the practice window and the printed worksheet both read it.

A :class:`PracticeSession` draws ``count`` questions with ``random.Random(seed)``: the same seed
gives the same questions and choices. Each kind of question is one :class:`QuestionKind` entry of
:data:`KINDS`: it draws a case, keys the answer from what ``meshes.pose.readouts`` measures on
the posed case (or, for the signs question, from the dermatome content), says what to show
(a :class:`Picture`, drawn by ``viewer.output.practice``), and says why each wrong choice is
wrong. Every question has four distinct choices, exactly one right.

The words are data: the prompts and the structures' lines come from
``annotations/content/practice.toml``, the roots' signs from ``annotations/content/dermatomes.toml``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from meshes.pathology import STAGES, ZONES, Pathology

CHOICES = 4
MAX_QUESTIONS = 50
MAX_SEED = 2**32 - 1
GRADES = ("none", "I", "II", "III", "IV", "V")
# The slips drawn for each grade (percent of S1's endplate depth), kept 3 points inside the
# band so the case is plainly that grade; the key is still the measured grade.
GRADE_SLIPS = {"I": (6.0, 22.0), "II": (28.0, 47.0), "III": (53.0, 72.0), "IV": (78.0, 97.0),
               "V": (104.0, 145.0)}
ROOTS = ("root_L5_left", "root_L5_right", "root_S1_left", "root_S1_right")
# Which roots the answer to "which root is compressed" names: each choice is a set of roots.
ROOT_ANSWERS = {
    frozenset({"root_L5_left"}): "L5 root (left)",
    frozenset({"root_L5_right"}): "L5 root (right)",
    frozenset({"root_S1_left"}): "S1 root (left)",
    frozenset({"root_S1_right"}): "S1 root (right)",
    frozenset({"root_L5_left", "root_L5_right"}): "Both L5 roots",
    frozenset({"root_S1_left", "root_S1_right"}): "Both S1 roots",
    frozenset(): "No root",
}
# A slip that pinches the exiting L5 roots (grade II-III).
ROOT_SLIPS = (30.0, 70.0)
# The structures a "name it" question highlights, and the view each is seen best from.
STRUCTURE_VIEWS = {"L5": "oblique", "S1": "oblique", "sacrum": "oblique", "disc_annulus": "oblique",
                   "disc_nucleus": "superior", "dural_sac": "posterior", "facet_cartilage_left": "posterior",
                   "facet_cartilage_right": "posterior", "root_L5_left": "posterior", "root_L5_right": "posterior",
                   "root_S1_left": "posterior", "root_S1_right": "posterior"}
VIEW_CAPTIONS = {"posterior": "Seen from behind", "oblique": "Seen from the front and left",
                 "superior": "Seen from above"}


@dataclass(frozen=True)
class Picture:
    """What a question shows, drawn by ``viewer.output.practice.picture_image``.

    Attributes
    ----------
    maker : str
        The image maker: ``"film"`` (a radiograph or T2 slice) or ``"scene"`` (the 3D scene).
    modality : str or None
        The film (``meshes.modalities.FILMS``).
    overlay : bool
        A lateral film's Meyerding construction drawn on it.
    view : str or None
        The scene's view preset.
    highlight : str or None
        The structure tinted in the scene.
    caption : str
        A line on the picture (the scene's viewpoint).
    """

    maker: str
    modality: str | None = None
    overlay: bool = False
    view: str | None = None
    highlight: str | None = None
    caption: str = ""


@dataclass(frozen=True)
class Case:
    """A drawn case: the pathology state posed, and what else the kind drew.

    Attributes
    ----------
    state : Pathology
        The segment's state for the case (healthy for a text-only or naming question).
    detail : dict
        The kind's own draw: the root and side of a vignette, the structure highlighted.
    """

    state: Pathology
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Key:
    """The answer key of a case, and what was measured to find it.

    Attributes
    ----------
    answer : str
        The right choice, as shown.
    options : tuple of str
        Every choice the question may offer, the answer among them, nearest distractors first.
    truth : str
        The measured truth, said after the answer.
    why_not : dict of str to str
        For each wrong option, why it is wrong (from the measured numbers).
    measured : dict or None
        The case's readouts (``meshes.pose.readouts``), None when nothing was measured.
    nearest : int
        How many of the first options (after the answer) are always offered; the rest are drawn.
    ordered : tuple of str, optional
        A natural order to show the choices in (the grades, I to V); else they are shuffled.
    """

    answer: str
    options: tuple[str, ...]
    truth: str
    why_not: dict[str, str]
    measured: dict | None = None
    nearest: int = 0
    ordered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question of a session, answered by the choice at ``answer``.

    Attributes
    ----------
    kind : str
        The :data:`KINDS` entry it came from.
    prompt : str
        The question asked.
    text : str
        A vignette to read (the signs question), else empty.
    case : Case
        The case drawn.
    picture, reveal : Picture or None
        What is shown while asking, and after the answer (the film with its overlay).
    choices : tuple of str
        Four distinct choices.
    answer : int
        The index of the right one.
    truth : str
        The measured truth.
    why_not : tuple of str
        Per choice, why it is wrong; empty for the right one.
    measured : dict or None
        The case's readouts.
    """

    kind: str
    prompt: str
    text: str
    case: Case
    picture: Picture | None
    reveal: Picture | None
    choices: tuple[str, ...]
    answer: int
    truth: str
    why_not: tuple[str, ...]
    measured: dict | None = None


@dataclass(frozen=True)
class Context:
    """What a kind needs to key its cases: the measurement and the content.

    Attributes
    ----------
    measure : callable
        ``measure(state) -> dict``: the readouts of the segment posed in ``state``.
    text : PracticeText
        The prompts and the structures' lines (``annotations.practice``).
    dermatomes : dict
        ``{"L5": Dermatome, "S1": Dermatome}`` (``annotations.dermatomes``).
    """

    measure: Callable[[Pathology], dict]
    text: object
    dermatomes: dict


@dataclass(frozen=True)
class QuestionKind:
    """One kind of question: an entry of :data:`KINDS`.

    Attributes
    ----------
    name : str
        Its id, and the key of its prompt in the practice content.
    case : callable
        ``case(rng) -> Case``: draws a case with a ``random.Random``.
    key : callable
        ``key(case, context) -> Key or None``: the answer key from the measured case; None
        when the case has no one right answer among the options (another is drawn).
    picture : callable
        ``picture(case) -> Picture or None``: what is shown while asking.
    reveal : callable
        ``reveal(case) -> Picture or None``: what is shown with the answer.
    text : callable
        ``text(case, context) -> str``: a vignette to read, or empty.
    prompt : str or None
        The question asked; None: the practice content's prompt called ``name``.
    """

    name: str
    case: Callable[[random.Random], Case]
    key: Callable[[Case, Context], Key | None]
    picture: Callable[[Case], Picture | None] = lambda _case: None
    reveal: Callable[[Case], Picture | None] = lambda _case: None
    text: Callable[[Case, Context], str] = lambda _case, _context: ""
    prompt: str | None = None


# ----- grade this slip ------------------------------------------------------------------------------
def _grade_case(rng: random.Random) -> Case:
    grade = rng.choice(tuple(GRADE_SLIPS))
    lo, hi = GRADE_SLIPS[grade]
    return Case(Pathology(slip_percent=round(rng.uniform(lo, hi), 1)))


def grade_band(grade: str) -> str:
    """The slips a Meyerding grade covers, in words.

    Parameters
    ----------
    grade : str
        One of :data:`GRADES`.

    Returns
    -------
    str
        E.g. ``"over 25 up to 50% of S1's depth"``.
    """
    from meshes.measure import MEYERDING_BANDS

    edges = [0.0] + [upper for upper, _ in MEYERDING_BANDS]
    names = [name for _, name in MEYERDING_BANDS] + ["V"]
    i = names.index(grade)
    if i == 0:
        return f"under {edges[1]:g}% of S1's depth"
    if i == len(names) - 1:
        return f"over {edges[i]:g}% of S1's depth"
    return f"over {edges[i]:g} up to {edges[i + 1]:g}% of S1's depth"


def _grade_key(case: Case, context: Context) -> Key:
    r = context.measure(case.state)
    grade, slip = r["meyerding_grade"], r["slip_percent"]
    others = sorted((g for g in GRADES if g != grade), key=lambda g: abs(GRADES.index(g) - GRADES.index(grade)))
    why = {g: f"Grade {g} is a slip {grade_band(g)}; this one measures {slip:.1f}%." for g in others}
    truth = f"Measured slip {slip:.1f}% of S1's depth: Meyerding grade {grade} ({grade_band(grade)})."
    return Key(grade, (grade, *others), truth, why, r, nearest=2, ordered=GRADES)


# ----- which root is compressed -------------------------------------------------------------------
def _root_case(rng: random.Random) -> Case:
    if rng.random() < 0.25:  # a slip pinches the exiting roots
        return Case(Pathology(slip_percent=round(rng.uniform(*ROOT_SLIPS), 1)))
    stage = rng.choice(("protrusion", "extrusion", "sequestration"))
    return Case(Pathology(herniation=STAGES[stage], zone=rng.choice(ZONES), side=rng.choice(("left", "right"))))


def _root_picture(case: Case) -> Picture:
    if case.state.herniation > 0.0:
        return Picture("film", "mri-axial")
    return Picture("film", "mri-sagittal")


def root_words(root: str) -> str:
    """A root id as read in an answer.

    Parameters
    ----------
    root : str
        A root id, e.g. ``"root_S1_left"``.

    Returns
    -------
    str
        E.g. ``"S1 left"``.
    """
    _, level, side = root.split("_")
    return f"{level} {side}"


def _roots_of(label: str) -> frozenset:
    return next(roots for roots, name in ROOT_ANSWERS.items() if name == label)


def _root_key(case: Case, context: Context) -> Key | None:
    r = context.measure(case.state)
    gaps = {root: r["roots"][root]["clearance_mm"] for root in ROOTS}
    compressed = frozenset(root for root in ROOTS if r["roots"][root]["compressed"])
    if compressed not in ROOT_ANSWERS:
        return None
    answer = ROOT_ANSWERS[compressed]

    def _why(roots: frozenset) -> str:
        parts = [f"{root_words(x)}: {gaps[x]:.1f} mm clear of bone and disc" for x in ROOTS
                 if x in roots and x not in compressed]
        too = " too" if roots & compressed else ""
        parts += [f"{root_words(x)} is compressed{too} ({gaps[x]:.1f} mm)" for x in ROOTS
                  if x in compressed and x not in roots]
        return "; ".join(parts) + "."

    why_not = {label: _why(roots) for roots, label in ROOT_ANSWERS.items() if label != answer}
    # Nearest first: the choice that differs from the truth by the fewest roots.
    options = sorted((label for roots, label in ROOT_ANSWERS.items() if label != answer),
                     key=lambda label: len(_roots_of(label) ^ compressed))
    state = case.state
    cause = (f"An isthmic slip of {r['slip_percent']:.0f}% narrows both foramina" if state.herniation == 0.0
             else f"A {state.zone} {state.stage} on the {state.side}")
    truth = (f"{cause}. Measured root clearance (negative: compressed): "
             + ", ".join(f"{root_words(x)} {gaps[x]:.1f} mm" for x in ROOTS) + ".")
    return Key(answer, (answer, *options), truth, why_not, r, nearest=1)


# ----- which root gives these signs --------------------------------------------------------------
def _signs_case(rng: random.Random) -> Case:
    root, side = rng.choice(("L5", "S1")), rng.choice(("left", "right"))
    # Two signs of the root, drawn by index from the content (a "no reliable reflex" is no sign).
    return Case(Pathology(), {"root": root, "side": side, "draw": rng.random()})


def _signs(context: Context, root: str) -> list[str]:
    return [s for s in context.dermatomes[root].signs if not s.startswith("no ")]


def _signs_text(case: Case, context: Context) -> str:
    root, side = case.detail["root"], case.detail["side"]
    signs = _signs(context, root)
    rng = random.Random(case.detail["draw"])
    chosen = sorted(rng.sample(range(len(signs)), 2))
    vignette = context.text
    return (vignette.opening.format(side=side, area=context.dermatomes[root].area) + " "
            + vignette.signs.format(signs="; ".join(signs[i] for i in chosen)))


def _signs_key(case: Case, context: Context) -> Key:
    root, side = case.detail["root"], case.detail["side"]
    answer = f"{root} root ({side})"
    why = {}
    for level in ("L5", "S1"):
        for other_side in ("left", "right"):
            label = f"{level} root ({other_side})"
            if label == answer:
                continue
            reasons = []
            if level != root:
                reasons.append(f"{level} gives {context.dermatomes[level].area}")
            if other_side != side:
                reasons.append(f"the signs are on the {side}, not the {other_side}")
            why[label] = f"{label}: " + "; ".join(reasons) + "."
    d = context.dermatomes[root]
    truth = f"{root} on the {side}: {d.area}. {root} signs: {'; '.join(_signs(context, root))}."
    return Key(answer, (answer, *why), truth, why)


# ----- name the highlighted structure --------------------------------------------------------------
def _structure_case(rng: random.Random) -> Case:
    return Case(Pathology(), {"structure": rng.choice(tuple(STRUCTURE_VIEWS))})


def _structure_picture(case: Case) -> Picture:
    name = case.detail["structure"]
    view = STRUCTURE_VIEWS[name]
    return Picture("scene", view=view, highlight=name, caption=VIEW_CAPTIONS[view])


def _structure_key(case: Case, context: Context) -> Key:
    from viewer.state.names import display_name

    name = case.detail["structure"]
    where = context.text.structures
    twin = name.replace("left", "right") if name.endswith("left") else name.replace("right", "left")
    others = [twin] if twin != name else []
    others += [s for s in STRUCTURE_VIEWS if s not in (name, twin)]
    why = {display_name(s): f"{display_name(s)}: {where[s]}; not the one highlighted." for s in others}
    truth = f"Highlighted: {display_name(name)}, {where[name]}."
    # The twin on the other side is always offered: telling left from right is half the point.
    return Key(display_name(name), (display_name(name), *why), truth, why, nearest=1 if twin != name else 0)


# The kinds of question, one entry each. "Is this segment unstable" (a flexion-extension pair)
# joins here as one more entry once the posture condition exists.
# ----- is this segment unstable -------------------------------------------------------------------
STABILITY = ("Stable", "Unstable: it slides too far", "Unstable: it tips too far",
             "Unstable: it slides and tips too far")
# Cases this near a limit (mm or degrees) are not asked: on films they are a matter of judgement.
STABILITY_MARGIN = (0.4, 1.5)


def _unstable_case(rng: random.Random) -> Case:
    if rng.random() < 0.6:  # a slip through a pars defect: the column slides as the patient bends...
        worn = round(rng.uniform(0.7, 1.0), 2) if rng.random() < 0.35 else 0.0  # ... unless a worn disc holds it
        return Case(Pathology(slip_percent=round(rng.uniform(8.0, 45.0), 1), degeneration=worn))
    return Case(Pathology(degeneration=round(rng.choice((0.0, rng.uniform(0.0, 1.0))), 2)))


def _unstable_key(case: Case, context: Context) -> Key | None:
    from meshes.dynamics import ANGULATION_LIMIT_DEG, TRANSLATION_LIMIT_MM

    r = context.measure(case.state)
    fe = r["posture"]["flexion_extension"]
    moved, turned = fe["translation_mm"], fe["angulation_deg"]
    if (abs(moved - TRANSLATION_LIMIT_MM) < STABILITY_MARGIN[0]
            or abs(turned - ANGULATION_LIMIT_DEG) < STABILITY_MARGIN[1]):
        return None
    slides, tips = moved > TRANSLATION_LIMIT_MM, turned > ANGULATION_LIMIT_DEG
    answer = STABILITY[int(slides) + 2 * int(tips)]
    slid = (f"L5 slides {moved:.1f} mm, {'over' if slides else 'under'} the {TRANSLATION_LIMIT_MM:g} mm limit")
    tipped = (f"it tips {turned:.0f}°, {'over' if tips else 'under'} the {ANGULATION_LIMIT_DEG:g}° limit")
    why = {}
    for i, option in enumerate(STABILITY):
        if option != answer:
            wrong = [slid] if bool(i & 1) != slides else []
            wrong += [tipped] if bool(i & 2) != tips else []
            why[option] = "; ".join(wrong).capitalize() + "."
    if case.state.slip_percent > 0.0 and case.state.degeneration > 0.5:
        cause = (f"A pars defect with a {r['slip_percent']:.0f}% slip, but the worn, narrowed disc holds L5's "
                 f"body")
    elif case.state.slip_percent > 0.0:
        cause = f"A pars defect with a {r['slip_percent']:.0f}% slip lets L5's body slide as the patient bends"
    else:
        cause = "The arch is intact" + (", and the worn disc stiffens the segment" if case.state.degeneration > 0.5
                                        else "")
    truth = f"{cause}. Between the films {slid}, and {tipped}."
    options = (answer, *sorted((o for o in STABILITY if o != answer), key=lambda o: why[o].count(";")))
    return Key(answer, options, truth, why, r, nearest=2)


KINDS: dict[str, QuestionKind] = {
    "grade": QuestionKind("grade", _grade_case, _grade_key, picture=lambda _c: Picture("film", "xray-lateral"),
                          reveal=lambda _c: Picture("film", "xray-lateral", overlay=True)),
    "root": QuestionKind("root", _root_case, _root_key, picture=_root_picture, reveal=_root_picture),
    "signs": QuestionKind("signs", _signs_case, _signs_key, text=_signs_text),
    "structure": QuestionKind("structure", _structure_case, _structure_key, picture=_structure_picture,
                              reveal=_structure_picture),
    "unstable": QuestionKind("unstable", _unstable_case, _unstable_key,
                             picture=lambda _c: Picture("film", "xray-flexion-extension"),
                             reveal=lambda _c: Picture("film", "xray-flexion-extension", overlay=True)),
}


def ask(kind: QuestionKind, rng: random.Random, context: Context, tries: int = 50) -> Question:
    """Draw one question of ``kind``: a case, its key, four choices in a random order.

    Parameters
    ----------
    kind : QuestionKind
        The kind of question.
    rng : random.Random
        The session's generator (the draw advances it).
    context : Context
        The measurement and the content.
    tries : int
        How many cases to draw before giving up on one with a single right answer.

    Returns
    -------
    Question
        Four distinct choices, one of them right (``answer``).
    """
    for _ in range(tries):
        case = kind.case(rng)
        key = kind.key(case, context)
        if key is not None:
            break
    else:
        raise RuntimeError(f"no case of {kind.name!r} with one right answer in {tries} draws")
    wrong = [o for o in key.options if o != key.answer]
    kept = wrong[:key.nearest]
    kept += rng.sample(wrong[key.nearest:], CHOICES - 1 - len(kept))
    choices = [key.answer, *kept]
    rng.shuffle(choices)
    if key.ordered:
        choices.sort(key=key.ordered.index)
    prompt = kind.prompt if kind.prompt is not None else context.text.prompts[kind.name]
    return Question(kind.name, prompt, kind.text(case, context), case, kind.picture(case),
                    kind.reveal(case), tuple(choices), choices.index(key.answer), key.truth,
                    tuple(key.why_not.get(c, "") for c in choices), key.measured)


def measurer(rest) -> Callable[[Pathology], dict]:
    """The readouts of ``rest`` posed in a state, each state measured once.

    Parameters
    ----------
    rest : Rest
        The prepared segment (``meshes.preparation.prepare``), built once per session.

    Returns
    -------
    callable
        ``measure(state) -> dict``, as ``meshes.pose.readouts`` (slip percent, roots'
        clearance in mm, negative when compressed, ...).
    """
    from meshes.pose import pose, readouts

    seen: dict[Pathology, dict] = {}

    def _measure(state: Pathology) -> dict:
        if state not in seen:
            seen[state] = readouts(rest, pose(rest, state), state)
        return seen[state]

    return _measure


def kind_order(rng: random.Random, names: tuple[str, ...], count: int) -> list[str]:
    """The kinds of ``count`` questions: each kind once per round, each round shuffled.

    Parameters
    ----------
    rng : random.Random
        The session's generator.
    names : tuple of str
        The kinds to ask.
    count : int
        How many questions.

    Returns
    -------
    list of str
        ``count`` kind names.
    """
    order: list[str] = []
    while len(order) < count:
        round_ = list(names)
        rng.shuffle(round_)
        order += round_
    return order[:count]


class PracticeSession:
    """A seeded practice quiz: questions, answers given and the score.

    Parameters
    ----------
    seed : int
        The draw's seed, 0 to :data:`MAX_SEED`: the same seed, the same questions and choices.
    count : int
        How many questions, 1 to :data:`MAX_QUESTIONS`.
    rest : Rest, optional
        The prepared segment to pose the cases on; built when not given.
    kinds : dict of str to QuestionKind, optional
        The kinds to ask (default :data:`KINDS`).
    """

    def __init__(self, seed: int, count: int = 10, rest=None, kinds: dict[str, QuestionKind] | None = None) -> None:
        from annotations import dermatomes, practice

        if not (isinstance(seed, int) and 0 <= seed <= MAX_SEED):
            raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
        if not (isinstance(count, int) and 1 <= count <= MAX_QUESTIONS):
            raise ValueError(f"questions must be from 1 to {MAX_QUESTIONS}, got {count!r}")
        if rest is None:
            from meshes.preparation import prepare
            from meshes.segment import build_segment

            rest = prepare(build_segment())
        self.seed, self.rest = seed, rest
        kinds = KINDS if kinds is None else kinds
        self.context = Context(measurer(rest), practice.load(), dermatomes.load()[0])
        rng = random.Random(seed)
        self.questions = tuple(ask(kinds[name], rng, self.context) for name in kind_order(rng, tuple(kinds), count))
        self.given: list[int | None] = [None] * count
        self.index = 0

    @property
    def question(self) -> Question | None:
        """The question being asked.

        Returns
        -------
        Question or None
            None once the session is over.
        """
        return self.questions[self.index] if self.index < len(self.questions) else None

    @property
    def answered(self) -> bool:
        """Whether the current question has been answered.

        Returns
        -------
        bool
            True once :meth:`answer` took a choice for it.
        """
        return self.question is not None and self.given[self.index] is not None

    @property
    def finished(self) -> bool:
        """Whether every question has been asked and passed.

        Returns
        -------
        bool
            True after :meth:`next` past the last one.
        """
        return self.index >= len(self.questions)

    def answer(self, choice: int) -> bool | None:
        """Take ``choice`` (0-3) as the answer to the current question; a second answer is ignored.

        Parameters
        ----------
        choice : int
            The index of the chosen choice.

        Returns
        -------
        bool or None
            Whether it was right; None when there is nothing to answer.
        """
        if self.question is None or self.answered or not 0 <= choice < len(self.question.choices):
            return None
        self.given[self.index] = choice
        return choice == self.question.answer

    def next(self) -> bool:
        """Move on after an answer.

        Returns
        -------
        bool
            True when it moved (the question was answered), else False.
        """
        if not self.answered:
            return False
        self.index += 1
        return True

    @property
    def score(self) -> tuple[int, int]:
        """Right answers and questions answered so far.

        Returns
        -------
        tuple of int
            ``(right, answered)``.
        """
        done = [(g, q) for g, q in zip(self.given, self.questions, strict=True) if g is not None]
        return sum(g == q.answer for g, q in done), len(done)
