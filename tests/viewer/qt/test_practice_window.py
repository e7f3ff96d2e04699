"""The practice window driven by the keys a clicker and a keyboard send: 1-4 answer and reveal,
next moves on only after an answer, the score at the end; large text when full screen; and
File > Practice in the main window."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PyQt6.QtCore import Qt  # noqa: E402
from PyQt6.QtGui import QFontMetrics  # noqa: E402
from PyQt6.QtTest import QTest  # noqa: E402

from viewer.qt.practice import PracticeWindow  # noqa: E402
from viewer.state.practice import PracticeSession  # noqa: E402

NUMBER_KEYS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)
NEXT_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space)


@pytest.fixture
def practice(qtbot, rest):
    w = PracticeWindow(PracticeSession(21, 5, rest))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitActive(w):
        w.activateWindow()
    yield w
    w.close()


def test_keys_answer_reveal_move_on_and_score(practice):
    session = practice.session
    right_ones = 0
    for n, q in enumerate(session.questions):
        assert practice.prompt.text() == q.prompt and not practice.reveal.text()
        assert [b.text().split(maxsplit=1)[1] for b in practice.buttons] == list(q.choices)
        QTest.keyClick(practice, NEXT_KEYS[n % 3])
        assert session.index == n, "no moving on before an answer"
        choice = q.answer if n % 2 == 0 else (q.answer + 1) % 4
        right_ones += choice == q.answer
        QTest.keyClick(practice, NUMBER_KEYS[choice])
        assert session.given[n] == choice
        reveal = practice.reveal.text()
        assert q.truth in reveal and all(q.why_not[i] in reveal for i in range(4) if i != q.answer)
        assert practice.verdict.text().startswith("Right" if choice == q.answer else "Not quite")
        if q.picture is not None:
            assert practice.picture.pixmap() is not None and not practice.picture.pixmap().isNull()
        QTest.keyClick(practice, NUMBER_KEYS[(choice + 1) % 4])
        assert session.given[n] == choice, "a second key does not change the answer"
        QTest.keyClick(practice, NEXT_KEYS[n % 3])
    assert session.finished
    assert practice.prompt.text() == f"Score: {right_ones} of {len(session.questions)}"
    assert not any(b.isVisible() for b in practice.buttons)


def test_a_click_answers_too(qtbot, practice):
    q = practice.session.question
    qtbot.mouseClick(practice.buttons[q.answer], Qt.MouseButton.LeftButton)
    assert practice.session.score == (1, 1) and practice.verdict.text() == "Right."


def test_full_screen_text_is_as_large_as_presenter_mode_s(qtbot, practice):
    QTest.keyClick(practice, Qt.Key.Key_F5)
    screen = practice.screen().geometry()
    qtbot.waitUntil(lambda: practice.height() >= 0.95 * screen.height(), timeout=3000)
    # Presenter mode's caption is over 4% of the screen's height; the choices its readouts' 3%.
    assert practice.prompt.font().pixelSize() >= 0.04 * screen.height()
    assert QFontMetrics(practice.prompt.font()).height() >= 0.04 * screen.height()
    assert practice.buttons[0].font().pixelSize() >= 0.03 * screen.height()
    QTest.keyClick(practice, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not practice.isFullScreen(), timeout=3000)
    assert practice.prompt.font().pixelSize() < 0.04 * screen.height()


def test_file_practice_opens_a_quiz_on_the_window_s_segment(qtbot, window):
    action = next(a for a in window.actions() if a.text() == "Practice…")
    action.trigger()
    practice = window.practice
    assert practice.isVisible() and practice.session.rest is window.rest
    assert len(practice.session.questions) == 10 and f"seed {practice.session.seed}" in practice.windowTitle()
    window.close()
    assert not practice.isVisible()
