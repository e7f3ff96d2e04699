"""CameraTour: the views a followed condition is shown from, in turn, as it animates. Qt-free.

Camera-follow sends the view where a condition shows best (``Condition.follow`` in ``meshes.conditions``). Most
conditions have one such view; the slip has two: from behind and to the side while the
pars defect opens (the Scottie dog's collar), then from the side, as on a lateral
radiograph, once the body has slid forward. A later view is due when the condition's value
has travelled its share of the way to the target, so a paused or slowed animation keeps its
tour in step; it is then taken after a hold (``style.FOLLOW_HOLD_S``) if the owner gives a
timer (``later``), so the class sees the first view's point at its fullest. Setting a view
by hand, the value moving other than by this animation, or another tour starting ends it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from viewer.state.model import SceneModel


class CameraTour:
    """Moves ``model``'s view through a tour while ``running(field)`` says the field animates.

    It listens to the model from the start (each condition and the view) until :meth:`close`.

    Parameters
    ----------
    model : SceneModel
        The scene model whose ``view`` it sets and whose conditions it follows.
    running : callable
        ``running(field) -> bool``: given a condition's field name, whether the owner's
        animation is moving it now (a change while it is not ends the tour).
    later : callable, optional
        ``later(seconds)``: asks the owner to call :meth:`due` after that many seconds. Without
        it a due view is taken at once.
    cancel : callable, optional
        ``cancel()``: takes nothing, and asks the owner to forget the call ``later`` asked for.
    """

    def __init__(self, model: SceneModel, running: Callable[[str], bool],
                 later: Callable[[float], None] | None = None, cancel: Callable[[], None] | None = None) -> None:
        self.model = model
        self._unsubscribe: list[Callable[[], None]] = []
        self.running = running
        self._later, self._cancel = later, cancel
        self.field: str | None = None
        self._start = self._target = self._hold = 0.0
        self._reached = 0.0  # the share of the way the value has come
        self._legs: list[tuple[str, float]] = []
        self._waiting: str | None = None  # a view due once the hold is over
        self._setting = False
        for field in (c.field for c in model.conditions):
            self._unsubscribe.append(model.on(field, lambda value, f=field: self._moved(f, value)))
        self._unsubscribe.append(model.on("view", self._view_set))

    def start(self, field: str, target: float, legs: Sequence[tuple[str, float]], hold_s: float = 0.0) -> None:
        """Show the first leg's view now, and each later one once ``field`` has gone its share of
        the way to ``target``.

        Parameters
        ----------
        field : str
            The condition's model field being animated.
        target : float
            Where the animation takes it (in the condition's unit).
        legs : sequence of (str, float)
            (view, share of the way 0-1) in turn; the first is shown at once.
        hold_s : float
            Seconds a due view waits (for the owner's timer) before it is taken.
        """
        self.stop()
        first, *rest = legs
        self._set_view(first[0])
        if rest:
            self.field, self._start, self._target = field, float(self.model.get(field)), float(target)
            self._legs, self._hold, self._reached = list(rest), float(hold_s), 0.0

    def stop(self) -> None:
        """End the tour: no later view is taken, and a waiting one is cancelled with the owner."""
        self.field, self._legs = None, []
        if self._waiting is not None and self._cancel is not None:
            self._cancel()
        self._waiting = None

    def close(self) -> None:
        """End any tour and stop listening to the model."""
        self.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()

    @property
    def pending(self) -> list[str]:
        """The views still to come.

        Returns
        -------
        list of str
            View preset names in the order they will be shown, one waiting for its hold first.
        """
        return ([self._waiting] if self._waiting else []) + [view for view, _share in self._legs]

    def due(self) -> None:
        """The hold is over: take the view that waited for it."""
        view, self._waiting = self._waiting, None
        if view is not None:
            self._set_view(view)
        if not self._legs:
            self.stop()

    def _moved(self, field: str, value: float) -> None:
        if field != self.field:
            return
        span = self._target - self._start
        progress = 1.0 if span == 0 else (value - self._start) / span
        if not self.running(field) or progress < self._reached - 1e-9:
            # Moved by a slider or a lesson, or turned back: not this tour's animation any more.
            self.stop()
            return
        self._reached = progress
        if self._legs and progress >= self._legs[0][1] - 1e-9:
            view, _share = self._legs.pop(0)
            if self._hold > 0.0 and self._later is not None:
                self._waiting = view
                self._later(self._hold)
            else:
                self._set_view(view)
                self._moved(field, value)  # a next leg due at the same point
        if not self._legs and self._waiting is None:
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
