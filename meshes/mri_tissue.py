"""Which tissue each pixel of an MRI-like slice shows, worked out from the posed surfaces.

Each posed surface is cut by the slice plane and its cross-section filled on the pixel grid
(:mod:`meshes.cross_section`); the filled masks are painted in :data:`PAINT_ORDER`, later
tissues over earlier ones, into a label image (label ``i`` is ``TISSUES[i]``). Then thin
rims (:func:`tissue_labels`): bone gets a dark cortex :data:`CORTEX_MM` thick inside its
outline, the dural sac a wall :data:`DURA_MM` thick, and nucleus pushed out of the disc a
cover of outer annulus. Free pixels (inside no structure) within :data:`FAT_MM` of the sac
or a root, reached from them without crossing a structure, are epidural and foraminal fat;
every other free pixel is muscle and other soft tissue. So when bone, disc or an extrusion
comes up against a root, the fat around it is gone. :data:`T2` gives each tissue's
T2-weighted intensity, in one table. World frame RAS (+x right, +y anterior, +z superior),
mm; pixel (column, row), row 0 at the top.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv
from scipy import ndimage

from meshes.cross_section import fill_even_odd, section_segments
from meshes.mask_growth import grow_within, inner_rim
from meshes.slice_planes import SLICE_FIELD_MM, SlicePlane

# The tissue label image's values: label i is TISSUES[i].
TISSUES = ("soft_tissue", "fat", "csf", "dura", "root", "annulus", "nucleus", "fragment", "cartilage", "scar",
           "marrow", "cortex")
# T2 intensity (0 black to 1 white) of each tissue: (healthy disc, fully degenerated disc).
# Only the nucleus and its herniated fragment change with degeneration (Pfirrmann I bright
# and homogeneous to V black); the others are fixed.
T2 = {
    "soft_tissue": (0.24, 0.24),  # muscle: intermediate-dark
    "fat": (0.84, 0.84),  # epidural and foraminal fat: bright
    "csf": (0.96, 0.96),  # brightest
    "dura": (0.16, 0.16),  # the dural sac's wall: a thin dark line between CSF and fat
    "root": (0.30, 0.30),  # dark grey within the CSF and the fat
    "annulus": (0.10, 0.10),  # dark
    "nucleus": (0.90, 0.08),  # hydrated: bright; "black disc" when degenerated
    "fragment": (0.90, 0.08),  # herniated nucleus material: like the nucleus it came from
    "cartilage": (0.46, 0.46),  # facet cartilage: intermediate
    "scar": (0.14, 0.14),  # fibrous pars scar: dark
    "marrow": (0.56, 0.56),  # cancellous bone: intermediate
    "cortex": (0.05, 0.05),  # cortical bone and endplates: dark
}
# Which tissue each structure is; painted in this order, a later one over an earlier.
PAINT_ORDER = (
    ("dural_sac", "csf"),
    ("root_L5_left", "root"),
    ("root_L5_right", "root"),
    ("root_S1_left", "root"),
    ("root_S1_right", "root"),
    ("disc_annulus", "annulus"),
    ("disc_nucleus", "nucleus"),
    ("herniation_fragment", "fragment"),
    ("facet_cartilage_left", "cartilage"),
    ("facet_cartilage_right", "cartilage"),
    ("pars_scar_left", "scar"),
    ("pars_scar_right", "scar"),
    ("L5", "marrow"),
    ("S1", "marrow"),
    ("sacrum", "marrow"),
)
# The cortical rim's thickness inside every bone outline (mm).
CORTEX_MM = 1.0
# The dural sac's wall (mm): drawn at least a pixel thick.
DURA_MM = 0.4
# How far fat reaches from the dural sac and the roots (mm).
FAT_MM = 5.5


_LABEL = {name: i for i, name in enumerate(TISSUES)}
_NEURAL = (_LABEL["csf"], _LABEL["root"])



def _checked_size(size, field_mm: float) -> tuple[int, int]:
    try:
        width, height = (int(s) for s in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be two whole numbers (width, height) in pixels, got {size!r}") from None
    if width <= 0 or height <= 0 or (width, height) != tuple(size):
        raise ValueError(f"size must be two positive whole numbers (width, height) in pixels, got {size!r}")
    if not np.isfinite(field_mm) or field_mm <= 0.0:
        raise ValueError(f"field_mm must be a positive number of mm, got {field_mm!r}")
    return width, height


def _crossed(mesh: pv.PolyData, plane: SlicePlane, normal: np.ndarray) -> bool:
    """Whether the plane passes through the mesh's bounding box."""
    lo, hi = np.array(mesh.bounds[::2]), np.array(mesh.bounds[1::2])
    reach = np.abs(normal) @ (0.5 * (hi - lo))
    return abs((0.5 * (lo + hi) - plane.origin) @ normal) <= reach


def tissue_labels(structures: dict[str, pv.PolyData], plane: SlicePlane, size=(512, 512),
                  field_mm: float = SLICE_FIELD_MM) -> tuple[np.ndarray, float]:
    """The tissue label image of a slice.

    Parameters
    ----------
    structures : dict of str to pyvista.PolyData
        Closed, outward-wound surfaces by name (:func:`meshes.pose.posed_structures`), world
        frame RAS (+x right, +y anterior, +z superior), mm; those of :data:`PAINT_ORDER`
        present are cut, others ignored.
    plane : SlicePlane
        The plane and the image's axes.
    size : (int, int), default (512, 512)
        The image's (width, height) in pixels.
    field_mm : float, default :data:`meshes.slice_planes.SLICE_FIELD_MM` (110)
        The width of the field of view (mm); pixels are square.

    Returns
    -------
    tissue : (height, width) ndarray of uint8
        Each pixel's label: ``i`` is ``TISSUES[i]``; row 0 at the top.
    pixel_mm : float
        A pixel's side (mm).

    Raises
    ------
    ValueError
        When the size is not two positive whole numbers or the field is not a positive length.
    """
    width, height = _checked_size(size, field_mm)
    pixel_mm = float(field_mm) / width
    shape = (height, width)
    normal = plane.normal
    tissue = np.zeros(shape, dtype=np.uint8)
    for name, kind in PAINT_ORDER:
        mesh = structures.get(name)
        if mesh is None or mesh.n_points == 0 or not _crossed(mesh, plane, normal):
            continue
        segments = section_segments(mesh, plane.origin, normal)
        if len(segments):
            tissue[fill_even_odd(plane.pixels(segments, pixel_mm, shape), shape)] = _LABEL[kind]
    _rims(tissue, pixel_mm)
    _fat(tissue, pixel_mm)
    return tissue, pixel_mm


def _box(mask: np.ndarray, pad: int) -> tuple[slice, slice] | None:
    """The rows and columns around a mask's pixels, ``pad`` more each way (within the image)."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask[rows[0]:rows[-1] + 1].any(axis=0))
    h, w = mask.shape
    return (slice(max(rows[0] - pad, 0), min(rows[-1] + 1 + pad, h)),
            slice(max(cols[0] - pad, 0), min(cols[-1] + 1 + pad, w)))


def _rims(tissue: np.ndarray, pixel_mm: float) -> None:
    """Relabel bone near its outline as cortex, CSF at the sac's outline as dura, and nucleus
    at the disc's outline as annulus (in place).

    The image's edge is not an outline: bone or sac cut off by it has no rim there.
    """
    # (the tissues whose outline counts, those that turn, what they turn into, how thick, mm)
    rims = ((("marrow",), ("marrow",), "cortex", CORTEX_MM),
            # The sac's wall: a root crossing it stays a root.
            (("csf", "root"), ("csf",), "dura", DURA_MM),
            # Nucleus pushed out of the disc stays covered by stretched outer annulus and ligament.
            (("annulus", "nucleus", "fragment"), ("nucleus", "fragment"), "annulus", DURA_MM))
    for inside, turning, rim, mm in rims:
        mask = np.isin(tissue, [_LABEL[t] for t in inside])
        box = _box(mask, 1)
        if box is None:
            continue
        crop = tissue[box]
        turns = np.isin(crop, [_LABEL[t] for t in turning])
        crop[inner_rim(mask[box], max(1, round(mm / pixel_mm))) & turns] = _LABEL[rim]


def _fat(tissue: np.ndarray, pixel_mm: float) -> None:
    """Relabel free pixels within :data:`FAT_MM` of the sac and roots, reached from them
    without crossing any structure, as fat (in place).

    The growth round obstacles is octagonal; in open tissue a Euclidean distance on a grid
    twice as coarse rounds the fat's outer border into a circle.
    """
    neural = np.isin(tissue, _NEURAL + (_LABEL["dura"],))
    reach_px = FAT_MM / pixel_mm
    # An octagonal growth of n steps reaches at least 0.949 n every way: enough to cover the circle.
    steps = int(np.ceil(reach_px / 0.949)) + 1
    box = _box(neural, steps + 1)
    if box is None:
        return
    crop = tissue[box]
    free = crop == _LABEL["soft_tissue"]
    seed = neural[box]
    reached = grow_within(seed, free, steps) & free
    h, w = seed.shape
    coarse = np.pad(seed, ((0, h % 2), (0, w % 2))).reshape((h + 1) // 2, 2, (w + 1) // 2, 2).any(axis=(1, 3))
    far = 2.0 * ndimage.distance_transform_edt(~coarse)
    near = np.repeat(np.repeat(far, 2, axis=0), 2, axis=1)[:h, :w] <= reach_px
    crop[reached & near] = _LABEL["fat"]
