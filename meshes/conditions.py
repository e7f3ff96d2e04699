"""The condition registry: one entry per animated condition, read by everything that lists them.

Each :class:`Condition` says, once, what the model field is called, how it is labelled and
ranged, where its toggle takes it (the teaching target), how far a full animation swings, which
annotation explains it, where the camera follows it, and how the command line and lessons spell
it. The scene model, the pathology panel, the animator, the recorder, the command line, the
lesson reader, the explanation panel and the benchmark all read :data:`CONDITIONS`; nothing
restates it. Adding a condition is one entry here plus its posing code (a field of
``meshes.pathology.Pathology`` and what ``meshes.pose`` does with it).

Pure data and small pure functions: no Qt, no VTK.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Fardon 2014: a herniation is localised displacement of disc material, and a bulge is not
# one (it is generalised, and comes with degeneration). Herniation progress 0-1 passes these
# stages at fixed points; any herniation is at least a protrusion.
STAGES = {"none": 0.0, "protrusion": 1.0 / 3.0, "extrusion": 2.0 / 3.0, "sequestration": 1.0}


@dataclass(frozen=True)
class Follow:
    """Where camera-follow shows a condition: the views in turn, and the cut.

    ``views`` are ``(view, share)`` pairs: each view is taken once the condition has gone that
    share (0-1) of the way to its target; ``clip`` is the cut switched on with the first view
    (``None``, ``"sagittal"`` or ``"axial"``).
    """

    views: tuple[tuple[str, float], ...]
    clip: str | None = None


@dataclass(frozen=True)
class Condition:
    """One animated condition of the segment.

    Attributes
    ----------
    name : str
        Short name: the command line's option (``--slip``), a lesson step's key, the
        recorder's ``--animation`` choice.
    field : str
        The scene model's and :class:`meshes.pathology.Pathology`'s attribute.
    label, slider_label : str
        The toggle's text and the word beside its slider.
    minimum, maximum : float
        The range of the value, in ``unit``.
    unit : str
        Spelled out after a range in messages (``" percent"``), or empty.
    teaching : float
        Where the toggle takes the value: the state a class is shown.
    span : float
        The swing (in ``unit``) a toggle's animation covers in ``animation.DURATION_MS`` at
        speed 1; shorter moves take proportionally less time.
    steps_per_unit : float
        Slider resolution.
    annotation : str
        The annotation id that explains the condition (``annotations/content``).
    annotation_rank : int
        Which active condition the explanation panel explains first (lowest first).
    follow : callable
        ``follow(zone) -> Follow``: the views (and cut) that show it best.
    key : str
        The window's keyboard shortcut for the toggle.
    kind : str
        How a value is described in a range message ("a number").
    metavar, help : str
        The command line's metavar and help text.
    parse : callable or None
        Reads a command-line or lesson string (a stage name, say); ``None`` for plain numbers.
    recording : str
        What a recorded animation of the toggle shows, for help texts.
    neutral : float or None
        The value of the healthy, untouched segment, where the model starts, a toggle returns and
        an animation begins; None: ``minimum`` (a condition that grows from nothing). A condition
        that swings both ways from a middle (a posture from extension to flexion) names it.
    """

    name: str
    field: str
    label: str
    slider_label: str
    minimum: float
    maximum: float
    unit: str
    teaching: float
    span: float
    steps_per_unit: float
    annotation: str
    annotation_rank: int
    follow: Callable[[str], Follow]
    key: str
    metavar: str
    help: str
    kind: str = "a number"
    parse: Callable[[str], float] | None = None
    recording: str = ""
    neutral: float | None = None

    @property
    def rest(self) -> float:
        """The healthy segment's value: ``neutral`` when given, else ``minimum``.

        Returns
        -------
        float
            In the condition's ``unit``; a value away from it means the condition is present.
        """
        return self.minimum if self.neutral is None else float(self.neutral)

    def present(self, value: float) -> bool:
        """Whether ``value`` shows the condition at all (it is away from :attr:`rest`).

        Parameters
        ----------
        value : float
            The condition's value, in its ``unit``.

        Returns
        -------
        bool
            True when the value differs from the healthy one.
        """
        return value != self.rest

    def check(self, value) -> str | None:
        """Why ``value`` is not a valid value of this condition, or None when it is.

        Parameters
        ----------
        value : object
            The value to check, in the condition's ``unit``; a bool, a non-number or NaN is
            refused.

        Returns
        -------
        str or None
            A one-line message naming the condition and its range, or None.
        """
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return (f"{self.name} must be {self.kind} from {self.minimum:g} to {self.maximum:g}{self.unit}, "
                    f"got {value!r}")
        if not self.minimum <= value <= self.maximum:
            return f"{self.name} must be from {self.minimum:g} to {self.maximum:g}{self.unit}, got {value:g}"
        return None

    def clamp(self, value: float) -> float:
        """``value`` as a float held within the range.

        Parameters
        ----------
        value : float
            Any number, in the condition's ``unit``.

        Returns
        -------
        float
            ``value`` clipped to ``minimum``..``maximum``.
        """
        return min(max(float(value), self.minimum), self.maximum)

    def read(self, text: str) -> float:
        """A command-line string as a value; ValueError with one clear line otherwise.

        Parameters
        ----------
        text : str
            The option's or lesson step's text: a number in ``unit``, or what ``parse`` reads.

        Returns
        -------
        float
            The value, within the range.
        """
        if self.parse is not None:
            return self.parse(text)
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{self.name} must be {self.kind} from {self.minimum:g} to {self.maximum:g}, "
                             f"got {text!r}") from None
        problem = self.check(value)
        if problem:
            raise ValueError(problem)
        return value


def parse_herniation(text: str) -> float:
    """A stage name or a number 0-1 as herniation progress; ValueError otherwise.

    "bulge" is refused with a pointer to degeneration (a bulge is not a herniation).

    Parameters
    ----------
    text : str
        ``"none"``, ``"protrusion"``, ``"extrusion"``, ``"sequestration"`` (any case) or a
        number.

    Returns
    -------
    float
        Herniation progress, 0-1 (a stage's value from :data:`STAGES`).
    """
    key = text.strip().lower()
    if key == "bulge":
        raise ValueError("a bulge is not a herniation (Fardon 2014): it is part of disc degeneration; "
                         "use --degeneration 0.5 to show it")
    if key in STAGES:
        return STAGES[key]
    try:
        value = float(key)
    except ValueError:
        raise ValueError(
            f"herniation must be one of {', '.join(STAGES)} or a number from 0 to 1, got {text!r}"
        ) from None
    if not 0.0 <= value <= 1.0 or value != value:
        raise ValueError(f"herniation must be a number from 0 to 1, got {text!r}")
    return value


def _slip_follow(_zone: str) -> Follow:
    # From behind and to the side while the pars defect opens (the Scottie dog's collar, as on
    # an oblique radiograph), then from the side once the body has slid, as on a lateral one.
    return Follow((("posterior_oblique", 0.0), ("left", 1.0)))


def _herniation_follow(zone: str) -> Follow:
    # A central or subarticular herniation in an axial cut through the disc, as on an axial MRI;
    # a foraminal or extraforaminal one in the foramen close-up, which then looks at the
    # herniation and the L5 root side by side (``viewer.scene.camera.herniation_contact``).
    if zone in ("central", "subarticular"):
        return Follow((("axial", 0.0),), "axial")
    return Follow((("foramen", 0.0),))


def _degeneration_follow(_zone: str) -> Follow:
    # The lost height, the bulge and the spurs from the side, as on a lateral radiograph.
    return Follow((("left", 0.0),))


def _posture_follow(_zone: str) -> Follow:
    # From the side, as a flexion-extension radiograph is taken.
    return Follow((("left", 0.0),))


CONDITIONS: tuple[Condition, ...] = (
    Condition(
        name="slip", field="slip_percent", label="Spondylolisthesis", slider_label="Slip",
        minimum=0.0, maximum=150.0, unit=" percent", teaching=40.0, span=45.0, steps_per_unit=10.0,
        annotation="isthmic_spondylolisthesis", annotation_rank=1, follow=_slip_follow, key="S",
        metavar="PERCENT", help="L5 slip, 0-150 %% of S1 depth",
        recording="from healthy to a grade II slip (40%), a hold, and back"),
    Condition(
        name="herniation", field="herniation", label="Disc herniation", slider_label="Herniation",
        minimum=0.0, maximum=1.0, unit="", teaching=STAGES["extrusion"], span=STAGES["extrusion"],
        steps_per_unit=1000.0, annotation="disc_herniation", annotation_rank=0, follow=_herniation_follow,
        key="H", metavar="STAGE", kind="a stage name or a number", parse=parse_herniation,
        help="none|protrusion|extrusion|sequestration or 0-1 (a bulge is part of --degeneration)",
        recording="to an extrusion and back, in the view that shows its root best"),
    Condition(
        name="degeneration", field="degeneration", label="Disc degeneration", slider_label="Degeneration",
        minimum=0.0, maximum=1.0, unit="", teaching=1.0, span=1.0, steps_per_unit=1000.0,
        annotation="degenerative_disc_disease", annotation_rank=2, follow=_degeneration_follow, key="D",
        metavar="0..1", help="degenerative disc disease: height loss, dehydration, osteophytes",
        recording="to an advanced degenerated disc and back, from the side"),
    Condition(
        name="posture", field="posture", label="Flexion / extension", slider_label="Posture",
        minimum=-1.0, maximum=1.0, unit="", teaching=1.0, span=1.0, steps_per_unit=1000.0,
        annotation="flexion_extension", annotation_rank=3, follow=_posture_follow, key="F", metavar="-1..1",
        help="bending at L5-S1: -1 full extension (8 degrees), 0 neutral, +1 full flexion (10 degrees)",
        recording="from neutral to full flexion and back, from the side", neutral=0.0),
)


def by_field(field: str, conditions: Iterable[Condition] = CONDITIONS) -> Condition:
    """The condition whose model field is ``field`` (KeyError if none).

    Parameters
    ----------
    field : str
        A :class:`meshes.pathology.Pathology` attribute, e.g. ``"slip_percent"``.
    conditions : iterable of Condition, default CONDITIONS
        Where to look.

    Returns
    -------
    Condition
        The first one with that field.
    """
    return _first(conditions, "field", field)


def by_name(name: str, conditions: Iterable[Condition] = CONDITIONS) -> Condition:
    """The condition called ``name`` ("slip", "herniation", ...; KeyError if none).

    Parameters
    ----------
    name : str
        The short name, as on the command line and in lessons.
    conditions : iterable of Condition, default CONDITIONS
        The registry to search (a scene model's own, say).

    Returns
    -------
    Condition
        The first condition of that name; its ``field`` is what the model stores.
    """
    return _first(conditions, "name", name)


def _first(conditions: Iterable[Condition], attribute: str, value: str) -> Condition:
    """The first of ``conditions`` whose ``attribute`` is ``value``; KeyError(value) if none."""
    for condition in conditions:
        if getattr(condition, attribute) == value:
            return condition
    raise KeyError(value)


def teaching_targets(conditions: Iterable[Condition] = CONDITIONS) -> dict[str, float]:
    """Each condition's teaching target by model field.

    Parameters
    ----------
    conditions : iterable of Condition, default CONDITIONS
        The conditions to list.

    Returns
    -------
    dict of str to float
        Model field -> where the toggle takes it (in the condition's unit).
    """
    return {c.field: c.teaching for c in conditions}
