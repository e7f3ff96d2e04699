"""CameraTour: the views a followed condition is shown from, in turn, as it animates. Qt-free.

Camera-follow sends the view where a condition shows best (``style.follow_tour``). Most
conditions have one such view; the slip has two: from behind and to the side while the
pars defect opens (the Scottie dog's collar), then from the side, as on a lateral
radiograph, once the body has slid forward. Each later view is set on the model when the
condition's value has travelled its share of the way to the target, so a paused or slowed
animation keeps its tour in step. Setting a view by hand, the animation stopping short or
another tour starting ends the tour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from viewer.model import SceneModel

FIELDS = ("slip_percent", "herniation", "degeneration")


class CameraTour:
    """Moves ``model``'s view through a tour while ``running(field)`` says the field animates."""

    def __init__(self, model: SceneModel, running: Callable[[str], bool]) -> None:
        self.model = model
        self.running = running
        self.field: str | None = None
        self._start = self._target = 0.0
        self._legs: list[tuple[str, float]] = []
        self._setting = False
        for field in FIELDS:
            model.on(field, lambda value, f=field: self._moved(f, value))
        model.on("view", self._view_set)

    def start(self, field: str, target: float, legs: Sequence[tuple[str, float]]) -> None:
        """Show the first leg's view now and each later (view, share) when ``field`` has gone
        that share of the way from its value now to ``target``."""
        self.stop()
        first, *rest = legs
        self._set_view(first[0])
        if rest:
            self.field, self._start, self._target = field, float(self.model.get(field)), float(target)
            self._legs = list(rest)

    def stop(self) -> None:
        self.field, self._legs = None, []

    @property
    def pending(self) -> list[str]:
        """The views still to come."""
        return [view for view, _share in self._legs]

    def _moved(self, field: str, value: float) -> None:
        if field != self.field:
            return
        if not self.running(field):  # a slider or a lesson moved it: not this tour's animation
            self.stop()
            return
        span = self._target - self._start
        progress = 1.0 if span == 0 else (value - self._start) / span
        while self._legs and progress >= self._legs[0][1] - 1e-9:
            view, _share = self._legs.pop(0)
            self._set_view(view)
        if not self._legs:
            self.stop()

    def _set_view(self, view: str) -> None:
        self._setting = True
        try:
            self.model.set("view", view)
        finally:
            self._setting = False

    def _view_set(self, _view: str) -> None:
        if not self._setting:
            self.stop()
