"""SceneModel: the viewer's whole state in one evented, Qt-free dataclass.

It holds each condition's value (one field per entry of the registry, ``meshes.conditions``),
the herniation's zone and side, what is visible and how opaque, the selection, the cut, the
labels, the palette, the axial convention, the view preset and the camera pose. Setting a field
to a new value emits ``model.events.<field>`` once (psygnal's evented dataclass, the pattern of
napari's ``ViewerModel``); setting the same value emits nothing. Panels, the scene adapter, the
frame pipeline and the animator subscribe; none of them talk to each other directly, and each
releases its subscriptions when it closes.

Values are checked as they are set: a condition is held within its range, a zone, side, cut or
convention outside its choices raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, make_dataclass
from functools import cache

from psygnal import evented

from meshes.conditions import CONDITIONS, Condition
from meshes.pathology import SIDES, ZONES, Pathology

CLIPS = (None, "sagittal", "axial")
# How the axial view and cut are seen: "radiological" from the feet, as CT and MR slices are
# shown (the patient's right on the screen's left); "anatomical" from above, as anatomy
# atlases draw it (the patient's right on the screen's right).
AXIAL_CONVENTIONS = ("radiological", "anatomical")
PALETTE_NAMES = ("standard", "colour-blind")
# The camera's view presets, in the View menu's order (keys 1-9); ``viewer.scene.style.VIEWS``
# says where each looks from.
VIEW_NAMES = ("anterior", "posterior", "left", "right", "superior", "oblique", "posterior_oblique", "foramen",
              "axial")


@dataclass(frozen=True)
class CameraPose:
    """Where the camera is: RAS world frame (+x right, +y anterior, +z superior), mm.

    ``view_angle`` is the vertical field of view in degrees.
    """

    position: tuple[float, float, float]
    focal_point: tuple[float, float, float]
    up: tuple[float, float, float]
    view_angle: float = 30.0

    @classmethod
    def of(cls, position, focal_point, up, view_angle: float = 30.0) -> CameraPose:
        """A pose from any three-vectors (numpy arrays, lists), as plain float tuples.

        Parameters
        ----------
        position, focal_point : sequence of float
            The camera and the point it looks at, RAS world frame, mm.
        up : sequence of float
            The screen's up direction (any length).
        view_angle : float
            Vertical field of view, degrees.
        """
        return cls(*(tuple(float(x) for x in v) for v in (position, focal_point, up)), float(view_angle))


def _one_of(name: str, choices: tuple) -> Callable:
    def check(value):
        if value not in choices:
            raise ValueError(f"{name} must be one of {', '.join(str(c) for c in choices)}")
        return value

    return check


def _unit_interval(values: dict) -> dict:
    return {name: min(max(float(v), 0.0), 1.0) for name, v in values.items()}


# How each non-condition field is checked (and normalised) as it is set.
_CHECKS: dict[str, Callable] = {
    "zone": _one_of("zone", ZONES),
    "side": _one_of("side", SIDES),
    "clip": _one_of("clip", CLIPS),
    "axial_convention": _one_of("axial convention", AXIAL_CONVENTIONS),
    "palette": _one_of("palette", PALETTE_NAMES),
    "view": _one_of("view", (*VIEW_NAMES, None)),
    "visible": lambda value: {name: bool(shown) for name, shown in dict(value).items()},
    "opacity": lambda value: _unit_interval(dict(value)),
    "camera": lambda value: value if value is None or isinstance(value, CameraPose) else CameraPose.of(*value),
}


@dataclass(eq=False)
class _SceneState:
    """The fields every scene model has; the conditions' fields are added from the registry."""

    structures: tuple[str, ...] = ()  # the meshes, by id
    regions: tuple[str, ...] = ()  # the named parts of the L5, each of which can be hidden
    zone: str = "subarticular"
    side: str = "left"
    selection: str | None = None
    view: str | None = "oblique"  # the preset the camera shows; None once the user has moved it
    camera: CameraPose | None = None  # None until a view has placed it
    visible: dict = field(default_factory=dict)
    ghost_bones: bool = False
    clip: str | None = None
    opacity: dict = field(default_factory=dict)
    labels: bool = True
    axial_convention: str = "radiological"
    palette: str = "standard"
    high_contrast: bool = False

    def __post_init__(self) -> None:
        names = (*self.structures, *self.regions)
        self.visible = {name: True for name in names} | dict(self.visible)
        self.opacity = {name: 1.0 for name in self.structures} | dict(self.opacity)

    def __setattr__(self, name: str, value) -> None:
        condition = self._conditions_by_field.get(name)
        if condition is not None:
            value = condition.clamp(value)
        elif name in _CHECKS:
            value = _CHECKS[name](value)
        super().__setattr__(name, value)

    # ----- access by field name (registry-driven code, lessons) --------------------------------
    @property
    def fields(self) -> tuple[str, ...]:
        """Every evented field's name."""
        return tuple(f.name for f in fields(self))

    def get(self, name: str):
        """The value of field ``name`` (KeyError for an unknown field)."""
        if name not in self.fields:
            raise KeyError(name)
        return getattr(self, name)

    def set(self, name: str, value) -> None:
        """Set field ``name``; emits ``events.<name>`` when the value changes."""
        if name not in self.fields:
            raise KeyError(name)
        setattr(self, name, value)

    def on(self, name: str, callback: Callable) -> Callable[[], None]:
        """Call ``callback(value)`` with the new value on each change of ``name``; returns the
        function that disconnects it. (psygnal hands a callback as many of (new, old) as it takes,
        so a ``lambda v, c=c:`` would get the old value as ``c``: here it gets the new one only.)"""
        signal = getattr(self.events, name)

        def deliver(new, *_old) -> None:
            callback(new)

        signal.connect(deliver)
        return lambda: signal.disconnect(deliver)

    def subscriptions(self) -> int:
        """How many callbacks listen to the model (0 once every listener has closed)."""
        return sum(len(getattr(self.events, name)) for name in self.fields)

    # ----- derived state and helpers -------------------------------------------------------------
    @property
    def pathology(self) -> Pathology:
        """The posed state: every condition ``Pathology`` knows, with the zone and side."""
        return Pathology.of({c.field: getattr(self, c.field) for c in self.conditions}, self.zone, self.side)

    def set_pathology(self, state: Pathology) -> None:
        """Take each condition's value, the zone and the side from ``state``."""
        values = state.as_dict()
        for c in self.conditions:
            if c.field in values:
                setattr(self, c.field, values[c.field])
        self.zone, self.side = state.zone, state.side

    def hide(self, names) -> None:
        """Hide these structures (or L5 regions), leaving the rest as they are."""
        self.visible = self.visible | {name: False for name in names}

    def set_visible(self, name: str, visible: bool) -> None:
        self.visible = self.visible | {name: bool(visible)}

    def set_opacity(self, name: str, opacity: float) -> None:
        """Set the opacity of a structure (an L5 region sets the whole L5).

        Parameters
        ----------
        name : str
            A structure id (``"sacrum"``) or an L5 region (``"pars_left"``).
        opacity : float
            0 (invisible) to 1 (opaque); held in that range.
        """
        target = "L5" if name in self.regions else name
        self.opacity = self.opacity | {target: opacity}

    def isolate(self, name: str) -> None:
        """Show only ``name``: a structure, or one L5 region (with nothing else of the L5)."""
        names = (*self.structures, *self.regions)
        if name in self.regions:
            self.visible = {n: n in ("L5", name) for n in names}
        else:
            self.visible = {n: n == name or n in self.regions for n in names}

    def show_all(self) -> None:
        self.visible = {n: True for n in (*self.structures, *self.regions)}

    def drawn_opacity(self) -> dict[str, float]:
        """Each structure's opacity as drawn: ghosting caps the bones at 25%."""
        bones = ("L5", "S1", "sacrum")
        return {n: (min(v, 0.25) if self.ghost_bones and n in bones else v) for n, v in self.opacity.items()}

    def snapshot(self) -> _SceneState:
        """A new model with the same values and no listeners (for offscreen renders)."""
        copy = model_type(self.conditions)(structures=self.structures, regions=self.regions)
        for name in self.fields:
            setattr(copy, name, getattr(self, name))
        return copy

    @classmethod
    def for_rest(cls, rest, state: Pathology | None = None, **values) -> _SceneState:
        """A model for a prepared segment: its structures and the L5's regions.

        Parameters
        ----------
        rest : Rest
            The prepared segment (``meshes.pose.prepare``).
        state : Pathology, optional
            Each condition's value, the zone and the side (healthy when left out).
        **values
            Any other field by name (``view="foramen"``, ``labels=False``).
        """
        from meshes.vertebra_l5 import L5_REGIONS

        model = cls(structures=tuple(rest.segment.structures), regions=L5_REGIONS)
        if state is not None:
            model.set_pathology(state)
        for name, value in values.items():
            model.set(name, value)
        return model


@cache
def model_type(conditions: tuple[Condition, ...] = CONDITIONS) -> type:
    """The evented scene-model class for a set of conditions.

    Parameters
    ----------
    conditions : tuple of Condition
        The registry's entries (``meshes.conditions.CONDITIONS`` by default): each becomes a
        float field named by its ``field``, starting at its minimum and held within its range.

    Returns
    -------
    type
        A psygnal evented dataclass with the scene's own fields and the conditions' (cached per
        set of conditions).
    """
    condition_fields = [(c.field, float, field(default=c.minimum)) for c in conditions]
    kind = make_dataclass("SceneModel", condition_fields, bases=(_SceneState,), eq=False,
                          namespace={"conditions": tuple(conditions),
                                     "_conditions_by_field": {c.field: c for c in conditions}})
    kind.__module__ = __name__
    kind.__doc__ = __doc__.split("\n\n")[0]
    return evented(kind)


# The scene model of the registry's conditions: ``SceneModel(structures, regions)`` or
# ``SceneModel.for_rest(rest)``; ``model_type(conditions)`` gives it for another set.
SceneModel = model_type(CONDITIONS)
