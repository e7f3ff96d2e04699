"""How the scene looks: colours, background, camera views. Shared by the window and screenshots.

Calm colours that survive a projector: ivory bone, blue-grey annulus, rose nucleus,
pale blue dural sac, yellow roots on a dark slate background. A compressed root turns
red in proportion to how much it is squeezed; the inflamed area glows orange.
"""

from __future__ import annotations

import numpy as np

COLOURS = {
    "L5": "#f2ead8",
    "S1": "#f2ead8",
    "sacrum": "#ebe2cc",
    "facet_cartilage_left": "#bfe3f0",
    "facet_cartilage_right": "#bfe3f0",
    "disc_annulus": "#8fb8c9",
    "disc_nucleus": "#d9a5b3",
    "dural_sac": "#b8c9e0",
    "root_L5_left": "#f2c230",
    "root_L5_right": "#f2c230",
    "root_S1_left": "#f2c230",
    "root_S1_right": "#f2c230",
    "herniation_fragment": "#d9a5b3",
    # Fibrocartilage: pale grey-green, told apart from bone, cartilage and disc.
    "pars_scar_left": "#b9c7a8",
    "pars_scar_right": "#b9c7a8",
}
# Cut faces (clipping caps): cancellous bone warmer than cortex, a darker annulus, a deeper
# yellow root cross-section; each distinct from its surface so the cut reads as a cut.
CUT_FACES = {
    "L5": "#d8b48c",
    "S1": "#d8b48c",
    "sacrum": "#d8b48c",
    "facet_cartilage_left": "#8fc3d8",
    "facet_cartilage_right": "#8fc3d8",
    "disc_annulus": "#5f8fa3",
    "disc_nucleus": "#c27b8f",
    "dural_sac": "#8fa6c4",
    "root_L5_left": "#d49a10",
    "root_L5_right": "#d49a10",
    "root_S1_left": "#d49a10",
    "root_S1_right": "#d49a10",
    "herniation_fragment": "#c27b8f",
    "pars_scar_left": "#94a383",
    "pars_scar_right": "#94a383",
}
# A fully degenerated (dehydrated) disc: darker and greyer.
DEGENERATED = {"disc_annulus": "#56656d", "disc_nucleus": "#7d6b70", "herniation_fragment": "#7d6b70"}
# Their cut faces: the dried nucleus loses its pink in the cut too.
DEGENERATED_CUT = {"disc_annulus": "#46545b", "disc_nucleus": "#62565a", "herniation_fragment": "#62565a"}
BACKGROUND = "#1d2430"
COMPRESSED = "#d7301f"
INFLAMED = "#ff8c3a"
# Compression (mm of flattening) at which a root is drawn in the compressed hue itself.
FULL_RED_MM = 1.5
TOUCH_MM = 0.1  # flattened this much (mm): fully the compressed hue
PALER = 0.35  # how far toward white the hue is for the slightest compression

# How far a view preset zooms in past the whole scene's bounding sphere: the sacrum down to
# its apex stays in the frame.
VIEW_ZOOM = 1.15
# View presets: (direction from the focus to the camera, view-up), RAS frame.
VIEWS = {
    "anterior": ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "posterior": ((0.0, -1.0, 0.0), (0.0, 0.0, 1.0)),
    "left": ((-1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "right": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "superior": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
    "oblique": ((-1.0, 0.6, 0.15), (0.0, 0.0, 1.0)),
    # From behind and to the left at 40 degrees, nearly square to L5's long axis (tilted 26
    # degrees forward by the lordosis), on the left pars: the "Scottie dog" of an oblique radiograph.
    "posterior_oblique": ((-0.8, -1.0, 0.35), (0.0, 0.0, 1.0)),
    "foramen": ((-1.0, -0.15, 0.05), (0.0, 0.0, 1.0)),
    # Along the L5-S1 disc's normal like an angled axial CT slice, from the feet (radiological
    # convention; or from above, see scene.axial_camera); the scene replaces these placeholder
    # vectors with the segment's own disc axes.
    "axial": ((0.0, -0.64, -0.77), (0.0, 0.77, -0.64)),
}


def rgb(hex_colour: str) -> np.ndarray:
    """'#rrggbb' as floats 0-1."""
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255.0 for i in (0, 2, 4)])


# Root colours. "standard": yellow, red, orange. "colour-blind": from the Okabe–Ito palette,
# chosen so a healthy, a compressed and an inflamed root stay apart for deuteranopes and
# protanopes (yellow, blue, vermillion differ in lightness and on the blue-yellow axis).
PALETTES = {
    "standard": {"root": COLOURS["root_L5_left"], "compressed": COMPRESSED, "inflamed": INFLAMED,
                 "text": "#e0402a"},
    "colour-blind": {"root": "#f0e442", "compressed": "#0072b2", "inflamed": "#d55e00", "text": "#0072b2"},
}
HIGH_CONTRAST_BACKGROUND = "#000000"


def root_colours(compression: np.ndarray, inflamed: np.ndarray, palette: str = "standard") -> np.ndarray:
    """Per-vertex RGB (uint8) of a root: its base colour, the compressed colour where squeezed,
    the inflamed colour glowing where the nucleus irritates it."""
    colours = PALETTES[palette]
    base = rgb(colours["root"])
    compression = np.asarray(compression, float)
    # Any contact is plainly the compressed hue (a blend with the root's yellow read as the
    # irritation's orange); shallow compression is a paler shade of it, full depth the hue itself.
    red = np.clip(compression / TOUCH_MM, 0.0, 1.0)[:, None]
    deep = np.clip(compression / FULL_RED_MM, 0.0, 1.0)[:, None]
    glow = 0.8 * np.clip(np.asarray(inflamed), 0.0, 1.0)[:, None]
    colour = base * (1 - glow) + rgb(colours["inflamed"]) * glow
    hue = rgb(colours["compressed"])
    shade = hue + (1.0 - hue) * PALER * (1.0 - deep)
    colour = colour * (1 - red) + shade * red
    return (255.0 * colour).astype(np.uint8)


def disc_colour(name: str, degeneration: float) -> np.ndarray:
    """A disc part's RGB (0-1): dehydration darkens and greys it, as on MRI (the 'black disc')."""
    return (1 - degeneration) * rgb(COLOURS[name]) + degeneration * rgb(DEGENERATED[name])


def disc_cut_colour(name: str, degeneration: float) -> np.ndarray:
    """A disc part's cut face (RGB 0-1), darkened and greyed with dehydration like its surface."""
    return (1 - degeneration) * rgb(CUT_FACES[name]) + degeneration * rgb(DEGENERATED_CUT[name])


def hex_colour(colour: np.ndarray) -> str:
    """RGB floats 0-1 as '#rrggbb'."""
    return "#" + "".join(f"{round(255 * float(c)):02x}" for c in colour)


def structure_colours(structures: dict, degeneration: float, palette: str = "standard") -> dict:
    """Each structure's colour as the viewer draws it: '#rrggbb', or per-vertex RGB (uint8)
    for the roots (squeezed and inflamed parts), from the posed meshes' point data."""
    colours: dict = {}
    for name, mesh in structures.items():
        if name in DEGENERATED:
            colours[name] = hex_colour(disc_colour(name, degeneration))
        elif name.startswith("root_") and "compression" in mesh.point_data:
            inflamed = mesh.point_data["inflamed"] if "inflamed" in mesh.point_data else np.zeros(mesh.n_points)
            colours[name] = root_colours(mesh.point_data["compression"], inflamed, palette)
        elif name in COLOURS:
            colours[name] = COLOURS[name]
    return colours


# How long a followed condition's first view is held once the condition has arrived, before the
# camera turns to the next (seconds): the pars gap is widest then. The views themselves are the
# registry's (``Condition.follow`` in ``meshes.conditions``).
FOLLOW_HOLD_S = 1.0
