"""CameraDirector: the one piece of code that moves the window's camera, by setting the model.

The camera pose is state (``SceneModel.camera``); the scene adapter applies it and the frame's
render coalescer draws it. The director glides it (0.6 s, eased, on one reused
``QVariantAnimation``) to the preset ``model.view`` names whenever that changes, to the preset
again when the herniation's side or zone or the axial convention re-aims it, and to an explicit
pose for a lesson step. The mouse moving the camera makes the view free (``model.view`` None),
so choosing any preset afterwards glides back to it. The poses themselves are pure functions
(``viewer.scene.camera``).
"""

from __future__ import annotations

from PyQt6.QtCore import QEasingCurve, QObject, QVariantAnimation

from viewer.scene.camera import between, turned
from viewer.state.model import CameraPose, SceneModel

GLIDE_MS = 600
# The presets each of these fields re-aims: the close-ups follow the side (and a lateral
# herniation's zone), the axial view looks from the feet or from above.
REAIMS = {"side": ("foramen", "posterior_oblique"), "zone": ("foramen",), "axial_convention": ("axial",)}


class CameraDirector(QObject):
    """Moves ``model.camera`` to what ``model.view`` asks for; ``scene.preset_camera`` says where."""

    def __init__(self, model: SceneModel, scene, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.scene = scene
        self._start = self._end = None
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setDuration(GLIDE_MS)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self.animation.valueChanged.connect(self._step)
        self._unsubscribe = [model.on("view", self._view_chosen)]
        for name, presets in REAIMS.items():
            self._unsubscribe.append(model.on(name, lambda _v, presets=presets: self._reaim(presets)))
        if model.camera is None and model.view is not None:
            model.camera = scene.preset_camera(model.view)

    def show(self, view: str | dict) -> None:
        """A lesson step's view: a preset name, or a camera table (position, focal_point, up)."""
        if isinstance(view, dict):
            self.model.view = None
            self.glide_to(CameraPose.of(view["position"], view["focal_point"], view["up"],
                                        self.model.camera.view_angle if self.model.camera else 30.0))
        elif view == self.model.view:
            self.glide_to(self.scene.preset_camera(view))  # it may have moved on since (a slip)
        else:
            self.model.view = view

    def glide_to(self, pose: CameraPose) -> None:
        """Move the camera smoothly from where it is to ``pose``."""
        self.animation.stop()
        start = self.model.camera or pose
        if start == pose:
            self.model.camera = pose
            return
        self._start, self._end = start, pose
        self.animation.start()

    def moved_by_hand(self) -> None:
        """The mouse has turned, panned or zoomed the camera: keep where it is, leave the preset."""
        pose = self.scene.camera_pose()
        if pose != self.model.camera:
            self.animation.stop()
            self.model.view = None
            self.model.camera = pose

    def turn(self, degrees: float) -> None:
        """Turn the camera about its view-up axis (the turntable)."""
        if self.model.camera is not None:
            self.animation.stop()
            self.model.view = None
            self.model.camera = turned(self.model.camera, degrees)

    def gliding(self) -> bool:
        return self.animation.state() == QVariantAnimation.State.Running

    def stop(self) -> None:
        self.animation.stop()

    def close(self) -> None:
        self.animation.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()

    def _view_chosen(self, view: str | None) -> None:
        if view is not None:
            self.glide_to(self.scene.preset_camera(view))

    def _reaim(self, presets: tuple[str, ...]) -> None:
        if self.model.view in presets:
            self.glide_to(self.scene.preset_camera(self.model.view))

    def _step(self, t) -> None:
        if self._start is not None:
            self.model.camera = between(self._start, self._end, float(t))
