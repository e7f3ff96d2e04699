"""Animator: eases a model value toward a target over time, reversible from wherever it is.

Each field has one QVariantAnimation, parented to the animator (and so to the window),
made on first use and reused for every later toggle: hours of toggling in class create
no new objects. Asking for a new target mid-way stops the running animation and starts
again from the current value, over a time proportional to the distance left.
"""

from __future__ import annotations

from PyQt6.QtCore import QAbstractAnimation, QEasingCurve, QObject, QVariantAnimation, pyqtSignal

from meshes.conditions import by_field
from viewer.state.model import SceneModel

# How long a condition's full swing (its ``span`` in the registry) takes at speed 1.
DURATION_MS = 2000
_STOPPED = QAbstractAnimation.State.Stopped


class Animator(QObject):
    finished = pyqtSignal(str)  # a field's animation reached its target

    def __init__(self, model: SceneModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.speed = 1.0
        self._animations: dict[str, QVariantAnimation] = {}

    def _animation(self, field: str) -> QVariantAnimation:
        anim = self._animations.get(field)
        if anim is None:
            anim = QVariantAnimation(self)
            anim.setEasingCurve(QEasingCurve.Type.InOutCubic)
            anim.valueChanged.connect(lambda value, f=field: self.model.set(f, float(value)))
            anim.finished.connect(lambda f=field: self.finished.emit(f))
            self._animations[field] = anim
        return anim

    def animate(self, field: str, target: float) -> None:
        self.stop(field)
        start = float(self.model.get(field))
        distance = abs(target - start) / by_field(field, self.model.conditions).span
        if distance < 1e-6:
            self.model.set(field, target)
            return
        anim = self._animation(field)
        anim.setStartValue(float(start))
        anim.setEndValue(float(target))
        anim.setDuration(max(1, int(DURATION_MS * min(distance, 1.5) / self.speed)))
        anim.start()

    def stop(self, field: str | None = None) -> None:
        for f in [field] if field else list(self._animations):
            anim = self._animations.get(f)
            if anim is not None:
                anim.stop()

    def pause(self, paused: bool) -> None:
        for anim in self._animations.values():
            if anim.state() != _STOPPED:
                anim.setPaused(paused)

    def running(self, field: str | None = None) -> bool:
        """True while ``field`` (or any field) is animating, paused included."""
        fields = [field] if field is not None else list(self._animations)
        return any(f in self._animations and self._animations[f].state() != _STOPPED for f in fields)
