"""Orientation letters: which way is the patient's right, front and head, whatever the view.

Radiology images carry letters at their edges (R, L, A, P, S, I) because a turned or cut
view is easily read the wrong way round. The axial view is seen from the feet, as axial CT
and MR slices are shown (radiological convention): anterior at the top, so the patient's
right is on the screen's left (R left, L right). For anatomy classes, View > "Axial view
from above" (or ``--axial anatomical``) looks down from the head instead, and the patient's
right is then on the screen's right. A small compass in the scene's lower right corner
names the body direction that points to each side of the screen, read from the camera at
every render, so it is right in either convention and after any turn of the mouse. Each
letter is the body axis nearest that screen direction, with a second letter when the
direction lies nearly halfway between two (as DICOM viewers write "LA")."""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkTextActor

# The project's frame is RAS: +x the patient's right, +y anterior, +z superior.
AXIS_LETTERS = (("R", "L"), ("A", "P"), ("S", "I"))
# A second letter only near a diagonal (the next axis at least this share of the first, 42
# degrees off the first): the axial view, tilted 40 degrees with the S1 endplate like an angled
# CT slice, keeps the plain A and P a reader expects there.
SECOND = 0.9
EDGES = ("right", "left", "up", "down")
FONT_SHARE = 0.024  # letter height, share of the render height
COLOUR = (0.78, 0.82, 0.88)


def letters_for(direction: np.ndarray) -> str:
    """Body direction(s) a unit world vector points to: "R", "LA", "S"..."""
    order = np.argsort(-np.abs(direction))
    first, second = order[0], order[1]
    text = AXIS_LETTERS[first][0 if direction[first] > 0 else 1]
    if abs(direction[second]) >= SECOND * abs(direction[first]):
        text += AXIS_LETTERS[second][0 if direction[second] > 0 else 1]
    return text


def edge_letters(direction_of_projection, view_up) -> dict[str, str]:
    """For a camera looking along ``direction_of_projection`` with ``view_up``: the letters
    for the screen's right, left, up and down."""
    d = np.asarray(direction_of_projection, float)
    d /= np.linalg.norm(d)
    up = np.asarray(view_up, float)
    up = up - (up @ d) * d
    up /= np.linalg.norm(up)
    right = np.cross(d, up)
    screen = {"right": right, "left": -right, "up": up, "down": -up}
    return {edge: letters_for(vector) for edge, vector in screen.items()}


class OrientationCompass:
    """Four letters around a point near the scene's lower right corner."""

    def __init__(self, renderer) -> None:
        self.renderer = renderer
        self.actors: dict[str, vtkTextActor] = {}
        for edge in EDGES:
            actor = vtkTextActor()
            prop = actor.GetTextProperty()
            prop.SetColor(*COLOUR)
            prop.BoldOn()
            prop.ShadowOn()
            prop.SetFontFamilyToArial()
            prop.SetJustificationToCentered()
            prop.SetVerticalJustificationToCentered()
            actor.SetTextScaleModeToNone()
            actor.SetPickable(False)
            actor.SetVisibility(False)
            renderer.AddViewProp(actor)
            self.actors[edge] = actor
        self.visible = False

    def set_visible(self, on: bool) -> None:
        self.visible = bool(on)
        for actor in self.actors.values():
            actor.SetVisibility(self.visible)

    def text(self) -> dict[str, str]:
        """What each letter says now."""
        return {edge: actor.GetInput() or "" for edge, actor in self.actors.items()}

    def update(self, scale: float = 1.0) -> None:
        """Re-letter and place the compass for the current camera; ``scale`` sizes the text
        (the window's bigger or smaller text, as for the labels)."""
        if not self.visible:
            return
        cam = self.renderer.GetActiveCamera()
        letters = edge_letters(cam.GetDirectionOfProjection(), cam.GetViewUp())
        width, height = self.renderer.GetRenderWindow().GetSize()
        font = max(12, int(FONT_SHARE * scale * height))
        reach = 1.3 * font  # from the compass's centre to each letter
        cx, cy = width - 2.4 * font, 2.4 * font
        offsets = {"right": (reach, 0.0), "left": (-reach, 0.0), "up": (0.0, reach), "down": (0.0, -reach)}
        for edge, actor in self.actors.items():
            actor.SetInput(letters[edge])
            actor.GetTextProperty().SetFontSize(font)
            dx, dy = offsets[edge]
            actor.SetDisplayPosition(int(cx + dx), int(cy + dy))
