"""LessonDock: the open lesson's step, its text and the buttons that step through it.

The lesson player (``viewer.state.lesson_player``) sets the model to each step; this dock only shows
which step it is and its text, and hands the buttons to the player. Opening a lesson from a
path checks it first: a lesson with problems is not opened at all, and its problems are kept
for the dialog that reports them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from viewer.qt.panels.inert import InertBrowser
from viewer.state.lesson_player import LessonPlayer


class LessonDock(QDockWidget):
    """The lesson beside the scene; hidden while no lesson is open."""

    def __init__(self, player: LessonPlayer, status: Callable[..., None], parent: QWidget | None = None,
                 follow=lambda _url: None) -> None:
        super().__init__("Lesson", parent)
        self.setObjectName("lesson")
        self.player = player
        self._status = status  # the window's status bar: status(message, milliseconds=0)
        self.problems = ""  # the last lesson that failed to open: every problem, one per line
        self.step_label = QLabel()
        self.step_label.setTextFormat(Qt.TextFormat.RichText)
        self.step_label.setWordWrap(True)
        # Shared lessons are untrusted: links act in the app, images only from the lesson's folder.
        self.step_view = InertBrowser(follow)
        # Read-only text must not take the clicker's PageUp/PageDown for scrolling.
        self.step_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.clicked.connect(player.previous)
        self.next_button = QPushButton("Next ▶")
        self.next_button.clicked.connect(player.next)
        close = QPushButton("Close lesson")
        close.clicked.connect(self.close_lesson)
        holder = QWidget()
        lay = QVBoxLayout(holder)
        lay.addWidget(self.step_label)
        lay.addWidget(self.step_view, 1)
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.prev_button, self.next_button, close):
            buttons.addWidget(b)
        lay.addWidget(row)
        self.setWidget(holder)
        player.listeners.append(self.show_step)

    def open_lesson(self, lesson) -> bool:
        """Open a lesson (a Lesson, or a path to check first) at its first step."""
        from annotations.lessons import LessonError
        from viewer.state.lesson_player import read

        if not hasattr(lesson, "steps"):
            try:
                lesson = read(str(lesson))
            except LessonError as exc:
                self._status(f"Lesson not opened: {str(exc).splitlines()[0]}", 15000)
                self.problems = str(exc)
                return False
        self.step_view.folder = Path(lesson.path).parent if getattr(lesson, "path", "") else None
        self.show()
        self.player.open(lesson)
        return True

    def close_lesson(self) -> None:
        self.player.close()
        self.hide()

    def show_step(self, index: int) -> None:
        lesson, step = self.player.lesson, self.player.step
        if step is None:
            self.step_label.clear()
            self.step_view.clear()
            return
        self.setWindowTitle(f"Lesson: {lesson.title}")
        # The title is shown as text: a shared lesson's <img src="..."> would load a local file.
        self.step_label.setText(f"<b>Step {index + 1} of {len(lesson.steps)}</b> — {html.escape(step.title)}")
        self.step_view.setMarkdown(f"## {html.escape(step.title)}\n\n{step.text}\n")
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(lesson.steps) - 1)
        self._status(f"Step {index + 1} of {len(lesson.steps)}: {step.title}")
