"""SceneModel: the viewer's state in a plain, Qt-free object that others listen to.

Holds the pathology values, which structures are visible, what is selected and the
view. Setting a value that changes it notifies the listeners of that field; panels,
the scene adapter and the animator subscribe and never talk to each other directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from meshes.conditions import CONDITIONS, Condition
from meshes.pathology import SIDES, ZONES, Pathology

STATE_FIELDS = ("zone", "side", "selection", "view", "visible", "ghost_bones", "clip", "opacity", "labels",
                "axial_convention")
CLIPS = (None, "sagittal", "axial")
# How the axial view and cut are seen: "radiological" from the feet, as CT and MR slices are
# shown (the patient's right on the screen's left); "anatomical" from above, as anatomy
# atlases draw it (the patient's right on the screen's right).
AXIAL_CONVENTIONS = ("radiological", "anatomical")


class SceneModel:
    """Evented state of the scene. ``on(field, callback)`` subscribes; callbacks get the new value."""

    def __init__(self, structures: tuple[str, ...] = (), regions: tuple[str, ...] = (),
                 conditions: tuple[Condition, ...] = CONDITIONS) -> None:
        """``structures`` are the meshes; ``regions`` the named parts of the L5 (each can be hidden);
        ``conditions`` the animated conditions (the registry, ``meshes.conditions``)."""
        self._listeners: dict[str, list[Callable]] = defaultdict(list)
        self.structures = tuple(structures)
        self.regions = tuple(regions)
        self.conditions = tuple(conditions)
        self.fields = tuple(c.field for c in self.conditions) + STATE_FIELDS
        self._values = {
            **{c.field: c.minimum for c in self.conditions},
            "zone": "subarticular",
            "side": "left",
            "selection": None,
            "view": "oblique",
            "visible": {name: True for name in (*structures, *regions)},
            "ghost_bones": False,
            "clip": None,
            "opacity": {name: 1.0 for name in structures},
            "labels": True,
            "axial_convention": "radiological",
        }

    @classmethod
    def for_rest(cls, rest) -> SceneModel:
        """A model for a prepared segment: its structures and the L5's regions."""
        from meshes.vertebra_l5 import L5_REGIONS

        return cls(tuple(rest.segment.structures), L5_REGIONS)

    def on(self, field: str, callback: Callable) -> Callable[[], None]:
        """Call ``callback(value)`` whenever ``field`` changes; returns an unsubscribe function."""
        if field not in self.fields:
            raise KeyError(field)
        self._listeners[field].append(callback)
        return lambda: self._listeners[field].remove(callback)

    def get(self, field: str):
        return self._values[field]

    def set(self, field: str, value) -> None:
        value = self._check(field, value)
        if self._values[field] == value:
            return
        self._values[field] = value
        for callback in list(self._listeners[field]):
            callback(value)

    def _check(self, field: str, value):
        condition = next((c for c in self.conditions if c.field == field), None)
        if condition is not None:
            return condition.clamp(value)
        if field == "zone" and value not in ZONES:
            raise ValueError(f"zone must be one of {', '.join(ZONES)}")
        if field == "side" and value not in SIDES:
            raise ValueError(f"side must be one of {', '.join(SIDES)}")
        if field == "visible":
            return dict(value)
        if field == "clip" and value not in CLIPS:
            raise ValueError(f"clip must be one of {', '.join(str(c) for c in CLIPS)}")
        if field == "axial_convention" and value not in AXIAL_CONVENTIONS:
            raise ValueError(f"axial convention must be one of {', '.join(AXIAL_CONVENTIONS)}")
        if field == "opacity":
            return {name: min(max(float(v), 0.0), 1.0) for name, v in value.items()}
        return value

    def set_visible(self, name: str, visible: bool) -> None:
        shown = dict(self._values["visible"])
        shown[name] = bool(visible)
        self.set("visible", shown)

    def set_opacity(self, name: str, opacity: float) -> None:
        """Opacity of a structure (an L5 region sets the whole L5)."""
        target = "L5" if name in self.regions else name
        values = dict(self._values["opacity"])
        values[target] = opacity
        self.set("opacity", values)

    def isolate(self, name: str) -> None:
        """Show only ``name``: a structure, or one L5 region (with nothing else of the L5)."""
        if name in self.regions:
            shown = {n: n in ("L5", name) for n in (*self.structures, *self.regions)}
        else:
            shown = {n: n == name or n in self.regions for n in (*self.structures, *self.regions)}
        self.set("visible", shown)

    def show_all(self) -> None:
        self.set("visible", {n: True for n in (*self.structures, *self.regions)})

    @property
    def pathology(self) -> Pathology:
        """The posed state: every condition ``Pathology`` knows, with the zone and side."""
        values = {c.field: self._values[c.field] for c in self.conditions}
        return Pathology.of(values, self._values["zone"], self._values["side"])

    # Attribute access for the pathology values keeps call sites short.
    slip_percent = property(lambda self: self._values["slip_percent"], lambda self, v: self.set("slip_percent", v))
    herniation = property(lambda self: self._values["herniation"], lambda self, v: self.set("herniation", v))
    degeneration = property(lambda self: self._values["degeneration"], lambda self, v: self.set("degeneration", v))
