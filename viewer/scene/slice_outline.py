"""The MRI slice's plane drawn in the 3D scene: a frame round the square the film shows.

While the imaging pane shows an MRI slice, the class sees where that slice cuts the segment: a
sky-blue frame (the colour the films' L5 marks use) round the field the image covers, and a faint
wash across it, unlit and never picked. Where a cut of the scene lies in the same plane (the
cut follows the slice, see ``SceneView.show_slice``) only the frame is drawn, so the wash does
not fight the cut faces.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

SLICE_COLOUR = "#6ebef0"
FRAME_WIDTH = 3.0
WASH_OPACITY = 0.12


class SliceOutline:
    """The frame and wash of one slice plane on ``plotter``; hidden until :meth:`show` gets corners."""

    def __init__(self, plotter: pv.Plotter) -> None:
        square = np.zeros((4, 3))
        self.wash_mesh = pv.PolyData(square.copy(), faces=np.array([4, 0, 1, 2, 3]))
        self.frame_mesh = pv.PolyData(square.copy(), lines=np.array([5, 0, 1, 2, 3, 0]))
        self.wash = plotter.add_mesh(self.wash_mesh, color=SLICE_COLOUR, opacity=WASH_OPACITY, lighting=False,
                                     pickable=False, name="mri_slice_wash")
        self.frame = plotter.add_mesh(self.frame_mesh, color=SLICE_COLOUR, line_width=FRAME_WIDTH, lighting=False,
                                      pickable=False, name="mri_slice_frame")
        self.shown: np.ndarray | None = None
        self.show(None)

    def show(self, corners: np.ndarray | None, wash: bool = True) -> None:
        """Draw the frame round ``corners`` ((4, 3), going round; world mm), with the wash when
        ``wash``; None hides both."""
        if corners is not None:
            corners = np.asarray(corners, dtype=float)
            if self.shown is None or not np.array_equal(corners, self.shown):
                for mesh in (self.wash_mesh, self.frame_mesh):
                    mesh.points[:] = corners
                    mesh.points.Modified()
                    mesh.Modified()
        self.shown = corners
        self.frame.SetVisibility(corners is not None)
        self.wash.SetVisibility(corners is not None and wash)
