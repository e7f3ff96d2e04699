"""Rebuild the segment when the model's anatomy changes, on a worker thread, then swap it in.

The model's ``anatomy`` (``viewer.state.anatomy_choice``) is set by the Anatomy tab, a lesson
step or a test. The rebuilder waits for the value to settle (a slider being dragged asks many
times), builds and prepares the new segment on one worker thread and checks that it can be
drawn (``viewer.state.validity``). Then, on the GUI thread, the window swaps it in
(``MainWindow.use_rest``): the same actors take the new surfaces, and the conditions, camera,
cut and selection stay. The window keeps drawing and answering while it builds (the build holds
Python's lock for at most about 12 ms at a time; measured in ``benchmarks/rebuild.py``).

A combination that cannot be drawn is never shown: the model goes back to the anatomy in use
and the window says why in one line. Nothing is half-applied: the old segment stays on screen
until the new one is whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

# Wait this long (ms) after the last change before building: a dragged slider builds once.
SETTLE_MS = 250


def build_rest(anatomy):
    """The segment for ``anatomy`` built, prepared and checked: ``(rest, problems)``."""
    from meshes.preparation import prepare
    from meshes.segment import build_segment
    from viewer.state.validity import problems

    rest = prepare(build_segment(anatomy))
    return rest, problems(rest)


class _Delivery(QObject):
    """Carries a finished build from the worker thread to the GUI thread."""

    done = pyqtSignal(object, object, object, float)  # (choice, rest or None, problem text or None, seconds)


class Rebuilder(QObject):
    """Follows ``model.anatomy``; calls ``use_rest(rest)`` with each new segment built.

    Parameters
    ----------
    model : SceneModel
        Its ``anatomy`` field is followed (and set back when a choice cannot be built).
    use_rest : callable
        Takes the new prepared segment, on the GUI thread.
    tell : callable
        Shows one line to the user (the status bar).
    parent : QObject, optional
    """

    busy_changed = pyqtSignal(bool)

    def __init__(self, model, use_rest: Callable, tell: Callable[[str], None], parent=None) -> None:
        super().__init__(parent)
        self.model, self._use_rest, self._tell = model, use_rest, tell
        self.in_use = model.anatomy  # the anatomy the segment on screen was built for
        self.last_seconds: float | None = None  # the last build's time, build to swap
        self.builds = 0
        self._pending = None
        self._building = False
        self._closed = False
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild")
        self._delivery = _Delivery()
        self._delivery.done.connect(self._done)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._start)
        self._unsubscribe = model.on("anatomy", self._asked)

    @property
    def busy(self) -> bool:
        """Whether a build is waiting or running."""
        return self._building or self._pending is not None

    def _asked(self, choice) -> None:
        if self._closed:
            return
        if choice.anatomy == self.in_use.anatomy and not self._building:
            self.in_use = choice  # the same dimensions under another name: nothing to build
            self._pending = None
            self._settle.stop()
            self.busy_changed.emit(False)
            return
        self._pending = choice
        self._settle.start()
        self.busy_changed.emit(True)

    def _start(self) -> None:
        if self._building or self._pending is None or self._closed:
            return
        choice, self._pending = self._pending, None
        self._building = True
        self._tell(f"Building the segment for {choice.title}…")
        self._worker.submit(self._build, choice)

    def _build(self, choice) -> None:
        start = time.perf_counter()
        try:
            rest, found = build_rest(choice.anatomy)
            problem = "; ".join(found) if found else None
        except Exception as exc:  # noqa: BLE001 (said in the window, never lost on a thread)
            rest, problem = None, str(exc)
        self._delivery.done.emit(choice, None if problem else rest, problem, time.perf_counter() - start)

    def _done(self, choice, rest, problem, seconds: float) -> None:
        self._building = False
        if self._closed:
            return
        if problem is None:
            self._use_rest(rest)
            self.in_use = choice
            self.builds += 1
            self.last_seconds = seconds
            self._tell(f"Anatomy: {choice.title} (built in {seconds:.1f} s)")
        elif self._pending is None:
            self._tell(f"Cannot show {choice.title}: {problem}")
            self.model.anatomy = self.in_use  # back to what is drawn (_asked: nothing to build)
        if self._pending is not None and self._pending.anatomy != self.in_use.anatomy:
            self._start()
            return
        self._pending = None
        self.busy_changed.emit(False)

    def close(self) -> None:
        """Stop following the model; wait for a build under way (it is dropped)."""
        self._closed = True
        self._settle.stop()
        self._unsubscribe()
        self._worker.shutdown(wait=True, cancel_futures=True)
