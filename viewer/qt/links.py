"""What a link clicked in the window's text panes does (``viewer.qt.panels.inert``).

``#root_S1_left`` selects a structure or an L5 region, ``#herniation`` shows a condition at its
teaching target, ``#step-3`` goes to a lesson step; an ``http(s)`` link opens the system browser
only after the user has seen the address and agreed. Anything else is refused with one line in
the status bar (``annotations.links`` says why).
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtCore import QUrl
from PyQt6.QtGui import QDesktopServices
from PyQt6.QtWidgets import QMessageBox, QWidget

from annotations.links import STEP, WEB_SCHEMES, link_problem, scheme


class LinkActions:
    """Follows links for ``window`` (its model, animator and lesson player)."""

    def __init__(self, window: QWidget, tell: Callable[[str], None]) -> None:
        self.window, self.tell = window, tell
        self.opened: list[str] = []  # web addresses handed to the system browser

    def follow(self, url: QUrl) -> None:
        """Act on a clicked link, or refuse it in the status bar."""
        window = self.window
        model = window.model
        address = url.toString()
        known = set(model.structures) | set(model.regions) | {c.name for c in model.conditions}
        lesson = window.player.lesson
        problem = link_problem(address, known, len(lesson.steps) if lesson is not None else None)
        if problem is not None:
            self.tell(f"Link not opened: {problem}")
            return
        if scheme(address) in WEB_SCHEMES:
            if self.confirm(address):
                self.opened.append(address)
                QDesktopServices.openUrl(QUrl(address))
            return
        name = address[1:]
        step = STEP.fullmatch(name)
        condition = next((c for c in model.conditions if c.name == name), None)
        if step is not None:
            window.player.go(int(step.group(1)) - 1)
        elif condition is not None:
            window.animator.animate(condition.field, condition.teaching)
        else:
            model.selection = name

    def confirm(self, address: str) -> bool:
        """Ask before leaving the viewer, showing the whole address."""
        answer = QMessageBox.question(self.window, "Open in the web browser?",
                                      f"This link leads out of the viewer, to:\n\n{address}\n\n"
                                      "Open it in the web browser?")
        return answer == QMessageBox.StandardButton.Yes
