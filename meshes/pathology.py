"""The pathology state shared by the command line and the viewer.

``Pathology(slip_percent, herniation, zone, side)``: slip in percent of the S1
endplate depth (0–150), herniation progress 0–1 through the Fardon 2014 stages
(none, protrusion, extrusion, sequestration at fixed points; any herniation is at least a
protrusion), the zone and the
side of the herniation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

from meshes.conditions import CONDITIONS, STAGES, by_field, parse_herniation, teaching_targets

__all__ = ["MAX_SLIP", "SIDES", "STAGES", "TEACHING", "ZONES", "Pathology", "parse_herniation"]

ZONES = ("central", "subarticular", "foraminal", "extraforaminal")
SIDES = ("left", "right")
MAX_SLIP = by_field("slip_percent").maximum
# What the toggles (and recorded animations) show: a grade II slip, an extrusion, an
# advanced degenerated disc (the registry's teaching targets).
TEACHING = teaching_targets()


@dataclass(frozen=True)
class Pathology:
    """A validated pathology state; the default is the healthy segment.

    Attributes
    ----------
    slip_percent : float
        L5's forward slip, percent of the S1 endplate's depth (0-150).
    herniation : float
        Herniation progress, 0-1 through the Fardon stages (see :data:`STAGES`).
    zone : str
        Where the herniation points, one of :data:`ZONES`.
    side : str
        ``"left"`` or ``"right"``.
    degeneration : float
        Degenerative disc disease, 0 (healthy) to 1 (advanced).
    posture : float
        Flexion and extension at L5–S1: -1 (full extension, 8°) through 0 (neutral) to +1
        (full flexion, 10°).

    Raises
    ------
    ValueError
        When a condition is outside its range, or the zone or side is unknown.
    """

    slip_percent: float = 0.0
    herniation: float = 0.0
    zone: str = "subarticular"
    side: str = "left"
    degeneration: float = 0.0  # degenerative disc disease, 0 (healthy) to 1 (advanced)
    posture: float = 0.0  # -1 full extension, 0 neutral, +1 full flexion

    def __post_init__(self) -> None:
        for condition in CONDITIONS:
            problem = condition.check(getattr(self, condition.field, condition.rest))
            if problem:
                raise ValueError(problem)
        if self.zone not in ZONES:
            raise ValueError(f"zone must be one of {', '.join(ZONES)}, got {self.zone!r}")
        if self.side not in SIDES:
            raise ValueError(f"side must be left or right, got {self.side!r}")

    @classmethod
    def of(cls, values: Mapping[str, float], zone: str = "subarticular", side: str = "left") -> Pathology:
        """The state for condition ``values`` keyed by model field; a condition the posing code
        does not know yet (a registry entry without a field here) is left out.

        Parameters
        ----------
        values : mapping of str to float
            Each condition's value by its field (``slip_percent`` in percent of the S1 endplate's
            depth, ``herniation`` 0-1 progress, ``degeneration`` 0-1).
        zone, side : str
            Where the herniation points.

        Returns
        -------
        Pathology
            The checked state (ValueError when a value is out of range).
        """
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known}, zone=zone, side=side)

    @property
    def stage(self) -> str:
        """The last Fardon stage reached by the herniation progress.

        Returns
        -------
        str
            ``"none"`` at 0, else a key of :data:`STAGES` past ``"none"`` (at least
            ``"protrusion"``).
        """
        if self.herniation <= 0.0:
            return "none"
        reached = [name for name, at in STAGES.items() if self.herniation >= at - 1e-9]
        return reached[-1] if reached[-1] != "none" else "protrusion"

    def as_dict(self) -> dict:
        """The state as plain values (for a manifest or a model).

        Returns
        -------
        dict
            Field name to value: the conditions (their units as above), ``zone`` and ``side``.
        """
        return asdict(self)

