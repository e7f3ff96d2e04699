"""Named dimensions of the adult L5–S1 segment, with published means as defaults.

Every length is in millimetres and every angle in degrees. The geometry builders read
nothing else, so changing one value here rescales the matching part of the model.
Sources are the morphometry tables collected in the project's anatomy notes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields

# Every dimension is a length in mm but these (see Anatomy.unit).
UNITS = {"facet_angle": "degrees", "sacral_slope": "degrees", "dural_sac_area": "mm²", "nucleus_fraction": ""}


def _dim(default: float, source: str, lo: float, hi: float, narrowed: str = "") -> float:
    return field(default=default, metadata={"source": source, "min": lo, "max": hi, "narrowed": narrowed})


@dataclass(frozen=True)
class Anatomy:
    """Dimensions of one adult L5–S1 motion segment (mm, degrees).

    Defaults are published adult means:

    - L5 body heights, endplate depths, pedicle and canal size: Cook & Baker 2021,
      Int J Spine Surg (CT, n=196).
    - L5 endplate width: Panjabi 1992 and the CT mean shape of Clouthier et al. 2023.
    - Facet orientation at L5–S1: Jentzsch 2013.
    - S1 body and alar width: dry-sacrum morphometry.
    - Disc heights: Onishi 2019 (MRI, n=300); nucleus share: Cheng 2024.
    - Foramen: Clin Anat 2012;25:218. Root diameters: Clin Anat 2018;31:782.
      Dorsal root ganglion width: Silverstein 2015.
    - Sacral slope: Vialle 2005.
    """

    l5_body_height_anterior: float = _dim(30.3, "Cook & Baker 2021", 24.5, 36,
                         "about 3 SD round the mean; past 44 mm the L5 root meets bone at rest (measured)")
    l5_body_height_posterior: float = _dim(26.3, "Cook & Baker 2021", 23.0, 32,
                         "under 22.6 mm the L5 root is pressed at rest (measured); 32 is about 3 SD up")
    l5_endplate_depth: float = _dim(35.5, "Cook & Baker 2021 (upper 35.7, lower 35.3)", 27, 46,
                         "under 23 mm the L5 root meets bone at rest alone, under 27 with the other "
                         "dimensions small; at 50 the annulus opens (measured)")
    l5_endplate_width: float = _dim(52.0, "Panjabi 1992; Clouthier 2023 CT mean shape", 43, 60,
                         "past 60.4 mm the L5 root meets bone at rest (measured); 43 is a small adult's")
    l5_pedicle_width: float = _dim(16.1, "Cook & Baker 2021", 10, 23,
                         "under 7 mm the L5 root meets bone at rest alone, under 10 with the other "
                         "dimensions small (measured)")
    l5_pedicle_height: float = _dim(12.9, "Cook & Baker 2021", 7.5, 18.5,
                         "about 3 SD round the mean")
    l5_canal_depth: float = _dim(15.6, "Cook & Baker 2021", 9.5, 22,
                         "about 3 SD round the mean")
    l5_canal_width: float = _dim(28.2, "Cook & Baker 2021", 21, 37,
                         "under 19 mm the L5 root meets bone at rest; at 38 a foraminal extrusion no longer "
                         "reaches the L5 root (measured)")
    l5_transverse_span: float = _dim(92.0, "Clouthier 2023 CT mean shape (about 94)", 75, 110,
                         "a small to a large adult's (the CT mean shape's 94 scaled by 0.8-1.2)")
    facet_angle: float = _dim(47.0, "Jentzsch 2013", 30, 65,
                         "at 20 degrees (nearly coronal) L5's lower facets pass 0.9 mm into S1's (measured)")
    s1_body_width: float = _dim(47.0, "dry-sacrum morphometry", 37, 62,
                         "2 SD under the mean to a little over the Visible Human Male's 58")
    s1_endplate_depth: float = _dim(32.0, "dry-sacrum morphometry (28-35)", 26, 38,
                         "the published 28-35 mm with a margin")
    sacral_width: float = _dim(108.4, "dry-sacrum morphometry", 92, 130,
                         "about 2.7 SD under the mean to a little over the Visible Human Male's 125")
    disc_height_anterior: float = _dim(12.4, "Onishi 2019", 8, 18,
                         "a thin to a tall healthy disc: a collapsed one is the degeneration condition's")
    disc_height_posterior: float = _dim(6.0, "Onishi 2019 (5-7)", 4.5, 10,
                         "a thin to a tall healthy disc: at 4 mm the L5 root meets bone at rest (measured); "
                         "a collapsed disc is the degeneration condition's")
    nucleus_fraction: float = _dim(0.40, "Cheng 2024 (38-46%)", 0.3, 0.5,
                         "the published 38-46% with a margin")
    root_diameter_l5: float = _dim(5.3, "Clin Anat 2018;31:782", 4.0, 6.0,
                         "about 1.5 SD down and 0.8 up: an L5 root over 6.2 mm is pressed in "
                         "the average foramen at rest (measured)")
    root_diameter_s1: float = _dim(5.4, "Clin Anat 2018;31:782", 4.3, 6.4,
                         "about 1.5 SD round the mean: "
                         "a 6.6 mm S1 root in a small sacrum meets bone at rest (measured)")
    ganglion_width_l5: float = _dim(6.5, "Silverstein 2015", 5.0, 8.0,
                         "about 1.5 mm round the mean width")
    dural_sac_area: float = _dim(150.0, "MRI series, 130-180 mm2", 80, 220,
                         "absolute stenosis to a roomy sac")
    sacral_slope: float = _dim(40.0, "Vialle 2005", 20, 60)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or value != value:
                raise ValueError(f"{f.name} must be a number, got {value!r}")
            lo, hi = f.metadata["min"], f.metadata["max"]
            if not lo <= value <= hi:
                raise ValueError(f"{f.name} = {value} is outside the plausible range {lo}–{hi}")
        if self.l5_body_height_posterior > self.l5_body_height_anterior + 2:
            raise ValueError("l5_body_height_posterior must not exceed the anterior height by >2 mm")
        if self.l5_body_height_posterior < self.l5_body_height_anterior - 8:
            raise ValueError("l5_body_height_posterior must be within 8 mm of the anterior height (an adult L5 is "
                             "wedged about 4 mm)")
        if self.disc_height_posterior > self.disc_height_anterior:
            raise ValueError("disc_height_posterior must not exceed disc_height_anterior")

    def replace(self, **changes: float) -> Anatomy:
        """Return a copy with some dimensions changed, validated as on construction.

        Parameters
        ----------
        **changes : float
            New values by dimension name, in that dimension's unit (mm, degrees, or a 0-1
            fraction for ``nucleus_fraction``).

        Returns
        -------
        Anatomy
            The changed copy.

        Raises
        ------
        ValueError
            If a value is not a number, is outside its plausible range, or the L5 body or
            disc heights contradict each other.
        """
        return dataclasses.replace(self, **changes)

    @staticmethod
    def names() -> list[str]:
        """Names of all dimensions, in declaration order.

        Returns
        -------
        list of str
            The field names, e.g. ``"l5_body_height_anterior"`` first.
        """
        return [f.name for f in fields(Anatomy)]

    @staticmethod
    def range(name: str) -> tuple[float, float]:
        """The values a dimension may take: its plausible range.

        Parameters
        ----------
        name : str
            A dimension's name, as in :meth:`names` (KeyError if unknown).

        Returns
        -------
        tuple of float
            ``(min, max)`` in the dimension's unit (:meth:`unit`).
        """
        f = {f.name: f for f in fields(Anatomy)}[name]
        return float(f.metadata["min"]), float(f.metadata["max"])

    @staticmethod
    def narrowed(name: str) -> str:
        """Why a dimension's range is narrower than the plausible one, or empty.

        Parameters
        ----------
        name : str
            A dimension's name, as in :meth:`names` (KeyError if unknown).

        Returns
        -------
        str
            What goes wrong past the range's ends (measured on the built segment), or ``""``.
        """
        return {f.name: f.metadata["narrowed"] for f in fields(Anatomy)}[name]

    @staticmethod
    def unit(name: str) -> str:
        """A dimension's unit, as printed after its values.

        Parameters
        ----------
        name : str
            A dimension's name, as in :meth:`names` (KeyError if unknown).

        Returns
        -------
        str
            ``"mm"``, ``"degrees"``, ``"mm²"``, or ``""`` for a share (``nucleus_fraction``).
        """
        if name not in Anatomy.names():
            raise KeyError(name)
        return UNITS.get(name, "mm")

    @staticmethod
    def default(name: str) -> float:
        """A dimension's default, the published adult mean.

        Parameters
        ----------
        name : str
            A dimension's name, as in :meth:`names` (KeyError if unknown).

        Returns
        -------
        float
            In the dimension's unit (:meth:`unit`).
        """
        return float({f.name: f.default for f in fields(Anatomy)}[name])

    @staticmethod
    def source(name: str) -> str:
        """The publication a default comes from.

        Parameters
        ----------
        name : str
            A dimension's name, as in :meth:`names` (KeyError if unknown).

        Returns
        -------
        str
            The source cited for its default, e.g. ``"Onishi 2019"``.
        """
        return {f.name: f.metadata["source"] for f in fields(Anatomy)}[name]

    @property
    def scale(self) -> float:
        """Overall size relative to the default adult (geometric mean of body size ratios).

        Returns
        -------
        float
            The square root of the product of the L5 endplate depth and width ratios to
            their defaults; 1.0 for the default adult.
        """
        d = Anatomy.__dataclass_fields__
        return (
            self.l5_endplate_depth
            / d["l5_endplate_depth"].default
            * self.l5_endplate_width
            / d["l5_endplate_width"].default
        ) ** 0.5
