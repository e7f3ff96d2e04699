"""LessonPlayer: walks a lesson's steps and sets the scene model to each one. Qt-free.

A step is a whole state (see ``annotations.lessons``), so going to step 5 from step 4
or from step 9 lands on the same model values. The pathology values go through
``animate(field, value)`` (the window's animator: smooth), everything else is set at once;
the window glides the camera when the view changes.
"""

from __future__ import annotations

from collections.abc import Callable

from annotations.lessons import Lesson, Step
from viewer.state.model import SceneModel
from viewer.state.visibility import GHOST_OPACITY


def state_of(model: SceneModel, step: Step) -> dict:
    """The model values a step stands for.

    Parameters
    ----------
    model : SceneModel
        Gives the structures, regions and conditions the values cover.
    step : Step
        A lesson step: what it shows, hides and ghosts, its cut, selection, zone and side, and
        each condition's value (slip in percent of the S1 endplate's depth, herniation 0-1
        progress, degeneration 0-1); a condition it leaves out is at its rest value (healthy).

    Returns
    -------
    dict
        Field name to value, for every field a step sets (the view is shown apart: it glides);
        ``anatomy`` only when the step's lesson names anatomies.
    """
    names = (*model.structures, *model.regions)
    if step.show:
        shown = set(step.show)
        if "L5" in shown:
            shown |= set(model.regions)  # the whole L5 unless parts are hidden
        if shown & set(model.regions):
            shown.add("L5")
        visible = {n: n in shown for n in names}
    else:
        visible = dict.fromkeys(names, True)
    for name in step.hide:
        visible[name] = False
    opacity = {n: (GHOST_OPACITY if n in step.ghost else 1.0) for n in model.structures}
    anatomy = {} if step.anatomy is None else {"anatomy": step.anatomy}
    return {
        **anatomy,
        "visible": visible,
        "opacity": opacity,
        "ghost_bones": False,
        "selection": step.highlight,
        "clip": step.clip,
        "zone": step.zone,
        "side": step.side,
        "film": step.image,
        **{c.field: step.value(c.field) for c in model.conditions},
    }


def read(path: str) -> Lesson:
    """The lesson at ``path``, checked against the scene's structure ids, L5 regions and views.

    Parameters
    ----------
    path : str
        The lesson file (TOML, see ``annotations.lessons``).

    Returns
    -------
    Lesson
        The parsed lesson, its steps in order.

    Raises
    ------
    annotations.lessons.LessonError
        With every problem as ``FILE:LINE: message``.
    """
    from annotations.lessons import parse
    from meshes.segment import STRUCTURES
    from meshes.vertebra_l5 import L5_REGIONS
    from viewer.state.model import VIEW_NAMES

    return parse(path, STRUCTURES, L5_REGIONS, VIEW_NAMES)


class LessonPlayer:
    """The current lesson and step; :meth:`go` applies a step to the model.

    Parameters
    ----------
    model : SceneModel
        The scene model the steps are set on.
    animate : callable, optional
        ``animate(field, value)``: takes a condition's field name and its target value (the
        condition's unit) and moves the model there, smoothly in the window; by default
        ``model.set`` (at once).
    show_view : callable, optional
        ``show_view(view)``: takes a step's view, a preset name or a camera table (``position``,
        ``focal_point``, ``up``; RAS world frame, mm); by default a preset is set on the model
        and a camera table is ignored.

    Attributes
    ----------
    listeners : list of callable
        Each is called as ``listener(index)`` after a step is shown (its index, from 0) and
        with -1 when the lesson closes.
    """

    def __init__(self, model: SceneModel, animate: Callable[[str, float], None] | None = None,
                 show_view: Callable[[str | dict], None] | None = None) -> None:
        self.model = model
        self.animate = animate or model.set
        # Shows a step's view: a preset name or an explicit camera (the window glides to it).
        self.show_view = show_view or (lambda v: isinstance(v, str) and model.set("view", v))
        self.lesson: Lesson | None = None
        self.index = -1
        self.listeners: list[Callable[[int], None]] = []

    def open(self, lesson: Lesson) -> None:
        """Start ``lesson`` at its first step (shown on the model at once).

        Parameters
        ----------
        lesson : Lesson
            A lesson from :func:`read`.
        """
        self.lesson = lesson
        self.index = -1
        self.go(0)

    def close(self) -> None:
        """Leave the lesson (the model keeps its last step's values) and tell the listeners -1."""
        self.lesson = None
        self.index = -1
        for listener in list(self.listeners):
            listener(-1)

    @property
    def step(self) -> Step | None:
        """The step now shown.

        Returns
        -------
        Step or None
            None without a lesson, or before its first step is shown.
        """
        return None if self.lesson is None or self.index < 0 else self.lesson.steps[self.index]

    def next(self) -> bool:
        """Show the step after the current one.

        Returns
        -------
        bool
            False, and nothing changes, on the last step.
        """
        return self.go(self.index + 1)

    def previous(self) -> bool:
        """Show the step before the current one.

        Returns
        -------
        bool
            False, and nothing changes, on the first step.
        """
        return self.go(self.index - 1)

    def go(self, index: int) -> bool:
        """Show step ``index`` (from 0): its state set on the model, its condition values animated,
        its view shown; then each listener gets ``index``.

        Parameters
        ----------
        index : int
            The step's position in the lesson, from 0.

        Returns
        -------
        bool
            False, and nothing changes, when ``index`` lies outside the lesson.
        """
        if self.lesson is None or not 0 <= index < len(self.lesson.steps):
            return False
        self.index = index
        step = self.lesson.steps[index]
        state = state_of(self.model, step)
        for field in ("anatomy", "visible", "opacity", "ghost_bones", "clip", "zone", "side", "selection", "film"):
            if field in state:
                self.model.set(field, state[field])
        for condition in self.model.conditions:
            self.animate(condition.field, state[condition.field])
        self.show_view(step.view)
        for listener in list(self.listeners):
            listener(index)
        return True
