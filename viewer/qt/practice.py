"""The practice window: a seeded quiz a teacher can run with a class, from a clicker.

It shows the current question of a :class:`viewer.state.practice.PracticeSession` (its film or
scene, its vignette), four numbered choices answered by a click or the keys 1-4, then the
measured truth, the reveal's picture (the lateral film with its Meyerding overlay) and why each
other choice is wrong; the clicker's next key (PageDown, Right or Space, as the lesson player
uses) moves on, and the score closes the session. F5 makes it full screen (Esc leaves), and the
text follows presenter mode's sizes (``viewer.qt.presenter``): shares of the window's height,
so it reads from the back of a room at any projector resolution.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QFont, QImage, QKeySequence, QPixmap, QShortcut
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from viewer.qt.presenter import CAPTION_SHARE, READOUT_SHARE
from viewer.scene.style import BACKGROUND
from viewer.state.practice import PracticeSession

NEXT_KEYS = ("PgDown", "Right", "Space")  # the lesson player's next step, as a clicker sends it
PICTURE_PX = 720  # the pictures are drawn this big and scaled to the window
# Calm on the scene's dark blue-grey: a muted green for the right answer, a muted red for a wrong one.
RIGHT, WRONG, QUIET = "#5fae7a", "#d0705c", "#9aa6b8"
REVEAL_SHARE = 0.8 * READOUT_SHARE


class PracticeWindow(QWidget):
    """The quiz: picture on the left, question, choices and the reveal on the right."""

    def __init__(self, session: PracticeSession, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.setWindowTitle(f"Practice: seed {session.seed}, {len(session.questions)} questions")
        self.setStyleSheet(f"background: {BACKGROUND}; color: white;")
        self.presenting = False
        self._pictures: dict[tuple[int, bool], QPixmap | None] = {}
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.progress = QLabel()
        self.prompt = QLabel()
        self.vignette = QLabel()
        self.buttons = []
        for i in range(4):
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the window
            button.clicked.connect(lambda _checked=False, k=i: self.choose(k))
            self.buttons.append(button)
        self.verdict = QLabel()
        self.reveal = QLabel()
        self.hint = QLabel()
        for label in (self.progress, self.prompt, self.vignette, self.verdict, self.reveal, self.hint):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        column = QVBoxLayout()
        for widget in (self.progress, self.prompt, self.vignette, *self.buttons, self.verdict, self.reveal):
            column.addWidget(widget)
        column.addStretch(1)
        column.addWidget(self.hint)
        row = QHBoxLayout(self)
        row.addWidget(self.picture, 5)
        row.addLayout(column, 6)
        self._keys = []
        for i in range(4):
            self._key(str(i + 1), lambda k=i: self.choose(k))
        for key in NEXT_KEYS:
            self._key(key, self.next)
        self._key("F5", self.toggle_presenting)
        self._key("Esc", lambda: self.presenting and self.toggle_presenting())
        self.show_question()

    def _key(self, key: str, slot) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.activated.connect(slot)
        self._keys.append(shortcut)

    # ----- sizes ---------------------------------------------------------------------------------
    def prompt_px(self) -> int:
        """The question's text height: presenter mode's caption share of the window's height."""
        return max(18, round(CAPTION_SHARE * self.height()))

    def choice_px(self) -> int:
        """The choices' text height: presenter mode's readout share."""
        return max(14, round(READOUT_SHARE * self.height()))

    def _fonts(self) -> None:
        sizes = {self.prompt: (self.prompt_px(), True), self.progress: (self.choice_px() * 0.8, False),
                 self.vignette: (self.choice_px(), False), self.verdict: (self.choice_px(), True),
                 self.reveal: (max(12, REVEAL_SHARE * self.height()), False),
                 self.hint: (max(12, 0.7 * self.choice_px()), False)}
        for widget, (px, bold) in sizes.items():
            font = QFont(self.font())
            font.setPixelSize(round(px))
            font.setBold(bold)
            widget.setFont(font)
        for button in self.buttons:
            font = QFont(self.font())
            font.setPixelSize(self.choice_px())
            button.setFont(font)
            button.setMinimumHeight(round(1.7 * self.choice_px()))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fonts()
        self._show_picture()

    def toggle_presenting(self) -> None:
        """F5: full screen for a class (Esc leaves); the text grows with the window."""
        self.presenting = not self.presenting
        if self.presenting:
            self._normal = self.saveGeometry()
            self.setGeometry(self.screen().geometry())  # no window manager (a kiosk, Xvfb) resizes it
            self.showFullScreen()
        else:
            self.showNormal()
            self.restoreGeometry(self._normal)

    # ----- the quiz ------------------------------------------------------------------------------
    def show_question(self) -> None:
        """Show the current question, or the score when the session is over."""
        session, q = self.session, self.session.question
        if q is None:
            right, asked = session.score
            self.progress.setText("Finished")
            self.prompt.setText(f"Score: {right} of {asked}")
            self.vignette.setText(f"{round(100 * right / asked)}% right." if asked else "")
            for button in self.buttons:
                button.hide()
            self.verdict.setText("")
            self.reveal.setText("")
            self.hint.setText("Close the window to end.")
            self.picture.clear()
            return
        right, asked = session.score
        self.progress.setText(f"Question {session.index + 1} of {len(session.questions)}   ·   score {right}/{asked}")
        self.prompt.setText(q.prompt)
        self.vignette.setText(q.text)
        self.vignette.setVisible(bool(q.text))
        for i, (button, choice) in enumerate(zip(self.buttons, q.choices, strict=True)):
            button.setText(f"{i + 1}   {choice}")
            button.setEnabled(True)
            button.setStyleSheet(_button_style(QUIET))
            button.show()
        self.verdict.setText("")
        self.reveal.setText("")
        self.hint.setText("Answer with 1-4")
        self._show_picture()

    def choose(self, choice: int) -> None:
        """Answer the current question with choice ``choice`` (0-3) and reveal the truth."""
        q = self.session.question
        right = self.session.answer(choice)
        if right is None:
            return
        for i, button in enumerate(self.buttons):
            button.setEnabled(False)
            colour = RIGHT if i == q.answer else WRONG if i == choice else QUIET
            button.setStyleSheet(_button_style(colour, chosen=i in (choice, q.answer)))
        self.verdict.setText("Right." if right else f"Not quite: the answer is {q.answer + 1}, {q.choices[q.answer]}.")
        self.verdict.setStyleSheet(f"color: {RIGHT if right else WRONG};")
        why = [f"{i + 1}  {q.why_not[i]}" for i in range(len(q.choices)) if i != q.answer]
        self.reveal.setText("\n".join([q.truth, *why]))
        last = self.session.index == len(self.session.questions) - 1
        self.hint.setText("PageDown / → / Space: " + ("the score" if last else "next question"))
        self._show_picture()

    def next(self) -> None:
        """The clicker's next: on to the next question once this one is answered."""
        if self.session.next():
            self.show_question()

    @property
    def revealed(self) -> bool:
        """Whether the current question's answer is shown."""
        return self.session.answered

    def _show_picture(self) -> None:
        q = self.session.question
        if q is None:
            return
        pixmap = self._pixmap(self.session.index, self.revealed)
        if pixmap is None:
            self.picture.clear()
            return
        side = min(self.picture.width(), self.picture.height())
        self.picture.setPixmap(pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def _pixmap(self, index: int, reveal: bool) -> QPixmap | None:
        key = (index, reveal)
        if key not in self._pictures:
            from viewer.output.practice import picture_image

            image = picture_image(self.session.rest, self.session.questions[index], (PICTURE_PX, PICTURE_PX), reveal)
            self._pictures[key] = None if image is None else _pixmap(image)
        return self._pictures[key]


def _pixmap(image: np.ndarray) -> QPixmap:
    image = np.ascontiguousarray(image)
    height, width, _ = image.shape
    return QPixmap.fromImage(QImage(image.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy())


def _button_style(colour: str, chosen: bool = False) -> str:
    weight = "bold" if chosen else "normal"
    return (f"QPushButton {{ text-align: left; padding: 0.2em 0.6em; color: white; font-weight: {weight}; "
            f"background: #28303d; border: 3px solid {colour}; border-radius: 10px; }}"
            f"QPushButton:disabled {{ color: {'white' if chosen else QUIET}; }}")
