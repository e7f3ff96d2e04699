"""Set a widget from the model without emitting the signals that would set the model again,
and keep a widget's model subscriptions together so that closing releases them all."""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import QSignalBlocker


def set_quietly(widget, value) -> None:
    """A slider's value."""
    with QSignalBlocker(widget):
        widget.setValue(value)


def text_quietly(box, text: str) -> None:
    """A combo box's current text."""
    with QSignalBlocker(box):
        box.setCurrentText(text)


def check_quietly(checkable, on: bool) -> None:
    """A button's or an action's checked state."""
    with QSignalBlocker(checkable):
        checkable.setChecked(bool(on))


class Bindings:
    """One owner's subscriptions to the model (``model.on``), released together by :meth:`release`."""

    def __init__(self, model) -> None:
        self.model = model
        self._off: list[Callable[[], None]] = []

    def on(self, name: str, callback: Callable) -> None:
        self._off.append(self.model.on(name, callback))

    def release(self) -> None:
        for off in self._off:
            off()
        self._off.clear()
