"""Animator: eases a model value toward a target over time, reversible from wherever it is.

Each field has one QVariantAnimation parented to the window, so closing the window
stops it. Asking for a new target mid-way stops the running one and starts from the
current value, over a time proportional to the distance left.
"""

from __future__ import annotations

from PyQt6.QtCore import QEasingCurve, QObject, QVariantAnimation, pyqtSignal

from viewer.model import SceneModel

# Full swing of each animated field and how long it takes at speed 1.
SPAN = {"slip_percent": 45.0, "herniation": 0.75, "degeneration": 1.0}
DURATION_MS = 2000


class Animator(QObject):
    finished = pyqtSignal(str)  # a field's animation reached its target

    def __init__(self, model: SceneModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.speed = 1.0
        self._running: dict[str, QVariantAnimation] = {}

    def animate(self, field: str, target: float) -> None:
        self.stop(field)
        start = float(self.model.get(field))
        distance = abs(target - start) / SPAN[field]
        if distance < 1e-6:
            self.model.set(field, target)
            return
        anim = QVariantAnimation(self)
        anim.setStartValue(float(start))
        anim.setEndValue(float(target))
        anim.setDuration(max(1, int(DURATION_MS * min(distance, 1.5) / self.speed)))
        anim.setEasingCurve(QEasingCurve.Type.InOutCubic)
        anim.valueChanged.connect(lambda value, f=field: self.model.set(f, float(value)))
        anim.finished.connect(lambda f=field, a=anim: self._finished(f, a))
        self._running[field] = anim
        anim.start()

    def _finished(self, field: str, anim: QVariantAnimation) -> None:
        if self._running.get(field) is anim:
            del self._running[field]
            self.finished.emit(field)
        anim.deleteLater()

    def stop(self, field: str | None = None) -> None:
        for f in [field] if field else list(self._running):
            anim = self._running.pop(f, None)
            if anim is not None:
                anim.stop()
                anim.deleteLater()

    def pause(self, paused: bool) -> None:
        for anim in self._running.values():
            anim.setPaused(paused)

    def running(self, field: str | None = None) -> bool:
        return bool(self._running) if field is None else field in self._running
