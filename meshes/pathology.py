"""The pathology state shared by the command line and the viewer.

``Pathology(slip_percent, herniation, zone, side)``: slip in percent of the S1
endplate depth (0–150), herniation progress 0–1 through the Fardon 2014 stages
(none, protrusion, extrusion, sequestration at fixed points; any herniation is at least a
protrusion), the zone and the
side of the herniation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Fardon 2014: a herniation is localised displacement of disc material, and a bulge is not
# one (it is generalised, and comes with degeneration: see ``degeneration``).
STAGES = {"none": 0.0, "protrusion": 1.0 / 3.0, "extrusion": 2.0 / 3.0, "sequestration": 1.0}
ZONES = ("central", "subarticular", "foraminal", "extraforaminal")
SIDES = ("left", "right")
MAX_SLIP = 150.0
# What the toggles (and recorded animations) show: a grade II slip, an extrusion, an
# advanced degenerated disc.
TEACHING = {"slip_percent": 40.0, "herniation": STAGES["extrusion"], "degeneration": 1.0}


@dataclass(frozen=True)
class Pathology:
    """A validated pathology state; the default is the healthy segment."""

    slip_percent: float = 0.0
    herniation: float = 0.0
    zone: str = "subarticular"
    side: str = "left"
    degeneration: float = 0.0  # degenerative disc disease, 0 (healthy) to 1 (advanced)

    def __post_init__(self) -> None:
        if not isinstance(self.degeneration, (int, float)) or not 0.0 <= self.degeneration <= 1.0:
            raise ValueError(f"degeneration must be a number from 0 to 1, got {self.degeneration!r}")
        if not isinstance(self.slip_percent, (int, float)) or not 0.0 <= self.slip_percent <= MAX_SLIP:
            raise ValueError(f"slip must be a number from 0 to {MAX_SLIP:g} percent, got {self.slip_percent!r}")
        if not isinstance(self.herniation, (int, float)) or not 0.0 <= self.herniation <= 1.0:
            raise ValueError(f"herniation must be a stage name or a number from 0 to 1, got {self.herniation!r}")
        if self.zone not in ZONES:
            raise ValueError(f"zone must be one of {', '.join(ZONES)}, got {self.zone!r}")
        if self.side not in SIDES:
            raise ValueError(f"side must be left or right, got {self.side!r}")

    @property
    def stage(self) -> str:
        """The last Fardon stage reached by the herniation progress."""
        if self.herniation <= 0.0:
            return "none"
        reached = [name for name, at in STAGES.items() if self.herniation >= at - 1e-9]
        return reached[-1] if reached[-1] != "none" else "protrusion"

    def as_dict(self) -> dict:
        return asdict(self)


def parse_herniation(text: str) -> float:
    """A stage name or a number 0–1 as herniation progress; ValueError otherwise."""
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
