"""FramePipeline: one state of the model drawn as one frame. Qt-free.

pose (``meshes.pose``) → write the posed points into the scene's actors (``SceneView.show``) →
place the MRI slice the imaging pane shows (``SceneView.show_slice``) → measure
(``meshes.pose.readouts``) → tell the readout listeners → ask for one render, in which the
labels place themselves. The window, ``screenshot``, ``record`` and ``benchmark`` all draw
through it. A condition's value, the herniation's zone or its side changing marks the frame
stale and asks ``schedule`` for it (the window coalesces: several fields changing in one tick
give one frame and one render); without ``schedule`` the owner calls :meth:`frame` itself.
"""

from __future__ import annotations

from collections.abc import Callable

from meshes.modalities import MRI
from meshes.pose import pose, readouts
from meshes.rest import Posed
from meshes.slice_planes import slice_plane

# While a condition animates, labels choose their anchors every third frame.
LABEL_EVERY_ANIMATED = 3


class FramePipeline:
    """Draws ``model``'s pathology on ``scene`` (a bound ``SceneView``) for ``rest``."""

    def __init__(self, rest, model, scene, schedule: Callable[[], None] | None = None,
                 request_render: Callable[[], None] = lambda: None,
                 animating: Callable[[], bool] = lambda: False) -> None:
        self.rest, self.model, self.scene = rest, model, scene
        self._schedule, self._request_render, self._animating = schedule, request_render, animating
        self.posed: Posed | None = None
        self.readouts: dict = {}
        self.listeners: list[Callable[[dict], None]] = []  # called with each frame's readouts
        self.stale = True
        watched = (*(c.field for c in model.conditions), "zone", "side")
        self._unsubscribe = [model.on(name, lambda _v: self.invalidate()) for name in watched]
        self._unsubscribe += [model.on(name, lambda _v: self._slice_moved()) for name in ("film", "slice_mm")]

    def invalidate(self) -> None:
        """The pathology changed: the frame is stale, and scheduled when there is a scheduler."""
        self.stale = True
        if self._schedule is not None:
            self._schedule()

    def frame(self) -> dict:
        """Pose, draw, measure and ask for a render; returns the readouts."""
        state = self.model.pathology
        self.scene.labels.every = LABEL_EVERY_ANIMATED if self._animating() else 1
        self.posed = pose(self.rest, state)
        self.scene.show(self.posed)
        self._place_slice()
        self.readouts = readouts(self.rest, self.posed, state)
        self.stale = False
        for listener in list(self.listeners):
            listener(self.readouts)
        self._request_render()
        return self.readouts

    def _place_slice(self) -> None:
        """Show the MRI slice of ``model.film`` at ``model.slice_mm`` in the scene (none for a radiograph)."""
        film = self.model.film
        plane = None
        if film in MRI and self.posed is not None:
            plane = slice_plane(self.rest, self.posed, film, self.model.slice_mm)
        self.scene.show_slice(plane)

    def _slice_moved(self) -> None:
        self._place_slice()
        self._request_render()

    def current(self) -> dict:
        """The readouts of the model as it is now (drawing a frame first if it is stale)."""
        return self.frame() if self.stale else self.readouts

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.listeners.clear()
