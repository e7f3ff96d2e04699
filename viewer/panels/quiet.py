"""Set a widget from the model without emitting the signals that would set the model again."""

from __future__ import annotations


def set_quietly(widget, value) -> None:
    """A slider's value."""
    widget.blockSignals(True)
    widget.setValue(value)
    widget.blockSignals(False)


def text_quietly(box, text: str) -> None:
    """A combo box's current text."""
    box.blockSignals(True)
    box.setCurrentText(text)
    box.blockSignals(False)


def check_quietly(checkable, on: bool) -> None:
    """A button's or an action's checked state."""
    checkable.blockSignals(True)
    checkable.setChecked(bool(on))
    checkable.blockSignals(False)
