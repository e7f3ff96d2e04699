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
from meshes.modalities import FILMS, SLICE_TRAVEL_MM
from meshes.pathology import SIDES, ZONES, Pathology
from viewer.state.visibility import Visibility

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

        Returns
        -------
        CameraPose
            The same pose with every coordinate a Python float.
        """
        return cls(*(tuple(float(x) for x in v) for v in (position, focal_point, up)), float(view_angle))


def _one_of(name: str, choices: tuple) -> Callable:
    def _check(value):
        if value not in choices:
            raise ValueError(f"{name} must be one of {', '.join(str(c) for c in choices)}")
        return value

    return _check


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
    "film": _one_of("film", (*FILMS, None)),
}


@dataclass(eq=False)
class _SceneState(Visibility):
    """The fields every scene model has; the conditions' fields are added from the registry.

    The show, hide and opacity methods come from :class:`~viewer.state.visibility.Visibility`.
    """

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
    film: str | None = None  # the imaging pane's modality (``meshes.modalities``); None: no pane
    film_overlay: bool = True  # the lateral film's measurement drawn on it
    # An MRI film's slice, moved this far from its standard plane (mm; ``meshes.slice_planes.slice_plane``):
    # held within that film's travel, 0 for a radiograph, and back to 0 when another film is chosen.
    slice_mm: float = 0.0
    # The dimensions drawn (a ``meshes.anatomy_file.AnatomyFile``: a preset, a file or one adjusted in
    # the Anatomy tab; ``viewer.state.anatomy_choice``). The window rebuilds the segment when it changes.
    anatomy: object = None

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
        elif name == "slice_mm":
            travel = SLICE_TRAVEL_MM.get(getattr(self, "film", None), 0.0)
            value = min(max(float(value), -travel), travel)
        if name == "film" and "slice_mm" in self.__dict__ and value != self.film:
            self.slice_mm = 0.0  # each film starts at its standard plane (and says so: evented)
        super().__setattr__(name, value)

    # ----- access by field name (registry-driven code, lessons) --------------------------------
    @property
    def fields(self) -> tuple[str, ...]:
        """Every evented field's name, in declaration order (the conditions' last).

        Returns
        -------
        tuple of str
            The names :meth:`get`, :meth:`set` and :meth:`on` accept.
        """
        return tuple(f.name for f in fields(self))

    def get(self, name: str):
        """The current value of one field, looked up by name.

        Parameters
        ----------
        name : str
            A field name from :attr:`fields` (``"slip_percent"``, ``"zone"``, ``"visible"``).

        Returns
        -------
        object
            The field's value, in its own unit (a condition's value in the registry's unit).

        Raises
        ------
        KeyError
            When ``name`` is not a field.
        """
        if name not in self.fields:
            raise KeyError(name)
        return getattr(self, name)

    def set(self, name: str, value) -> None:
        """Set one field by name; ``events.<name>`` fires only when the value changes.

        Parameters
        ----------
        name : str
            A field name from :attr:`fields`.
        value : object
            The new value: a condition's is clamped into its range, a choice field (zone,
            side, clip, view, palette, axial convention) must be one of its choices.

        Raises
        ------
        KeyError
            When ``name`` is not a field.
        ValueError
            When a choice field gets a value outside its choices.
        """
        if name not in self.fields:
            raise KeyError(name)
        setattr(self, name, value)

    def on(self, name: str, callback: Callable) -> Callable[[], None]:
        """Subscribe to one field's changes.

        psygnal hands a callback as many of (new, old) as it takes, so a ``lambda v, c=c:``
        would get the old value as ``c``; a callback subscribed here gets the new value only.

        Parameters
        ----------
        name : str
            A field name from :attr:`fields`.
        callback : callable
            ``callback(value)``, called with the field's new value after each change (not
            when a field is set to the value it already has).

        Returns
        -------
        callable
            ``unsubscribe()``: takes no argument and disconnects ``callback``.
        """
        signal = getattr(self.events, name)

        def _deliver(new, *_old) -> None:
            callback(new)

        signal.connect(_deliver)
        return lambda: signal.disconnect(_deliver)

    def subscriptions(self) -> int:
        """Count the callbacks connected to the model's events.

        Returns
        -------
        int
            Callbacks over all fields; 0 once every listener has closed.
        """
        return sum(len(getattr(self.events, name)) for name in self.fields)

    # ----- derived state and helpers -------------------------------------------------------------
    @property
    def pathology(self) -> Pathology:
        """The model's condition values, zone and side as a pathology state.

        Returns
        -------
        Pathology
            Every condition ``Pathology`` has a field for (others are left out), with the
            herniation's zone and side.
        """
        return Pathology.of({c.field: getattr(self, c.field) for c in self.conditions}, self.zone, self.side)

    def set_pathology(self, state: Pathology) -> None:
        """Take each condition's value, the zone and the side from a pathology state.

        Parameters
        ----------
        state : Pathology
            The values to set; a condition the model has but ``state`` lacks keeps its value.
        """
        values = state.as_dict()
        for c in self.conditions:
            if c.field in values:
                setattr(self, c.field, values[c.field])
        self.zone, self.side = state.zone, state.side

    def snapshot(self) -> _SceneState:
        """Copy the model's values into a fresh model (for offscreen renders).

        Returns
        -------
        SceneModel
            A model of the same conditions with every field equal and no listeners.
        """
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

        Returns
        -------
        SceneModel
            A new model, everything visible and opaque unless ``values`` says otherwise.
        """
        from meshes.vertebra_l5 import L5_REGIONS
        from viewer.state.anatomy_choice import described

        model = cls(structures=tuple(rest.segment.structures), regions=L5_REGIONS,
                    anatomy=described(rest.segment.anatomy))
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
        float field named by its ``field``, starting at its rest value (``Condition.rest``) and held within its range.

    Returns
    -------
    type
        A psygnal evented dataclass named ``SceneModel`` (cached per set of conditions). It has
        the scene's own fields and one per condition, the class attribute ``conditions``, the
        methods above (:meth:`~_SceneState.on`, :meth:`~_SceneState.set`, ...) and an
        ``events`` group with one signal per field, which emits ``(new, old)`` on a change;
        construct it as ``SceneModel(structures=..., regions=...)`` or with ``for_rest``.
    """
    condition_fields = [(c.field, float, field(default=c.rest)) for c in conditions]
    kind = make_dataclass("SceneModel", condition_fields, bases=(_SceneState,), eq=False,
                          namespace={"conditions": tuple(conditions),
                                     "_conditions_by_field": {c.field: c for c in conditions}})
    kind.__module__ = __name__
    kind.__doc__ = __doc__.split("\n\n")[0]
    return evented(kind)


# The scene model of the registry's conditions: ``SceneModel(structures, regions)`` or
# ``SceneModel.for_rest(rest)``; ``model_type(conditions)`` gives it for another set.
SceneModel = model_type(CONDITIONS)
