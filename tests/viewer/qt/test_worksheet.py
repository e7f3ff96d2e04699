"""The printed worksheet, written by the command line with no display and read back with pypdf:
two questions a page with their pictures and numbered choices, then the answer key."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import unicodedata

import pypdf

from viewer.state.practice import PracticeSession

SEED, COUNT = 5, 5


def _words(text: str) -> str:
    """Text as read from the PDF, ligatures undone and each run of spaces one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_the_worksheet_has_the_questions_two_a_page_their_pictures_and_an_answer_key(rest, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "quiz.pdf"
    r = subprocess.run([sys.executable, "-m", "viewer", "worksheet", str(out), "--seed", str(SEED), "--questions",
                        str(COUNT)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["quiz.pdf"], "no temporary file is left"
    session = PracticeSession(SEED, COUNT, rest)  # the same seed: the same questions
    pages = pypdf.PdfReader(out).pages
    question_pages = math.ceil(COUNT / 2)
    assert len(pages) == question_pages + 1
    texts = [_words(p.extract_text()) for p in pages]
    for n, q in enumerate(session.questions, start=1):
        page = texts[(n - 1) // 2]
        assert f"{n}. {_words(q.prompt)}" in page
        if q.text:
            assert _words(q.text) in page
        for k, choice in enumerate(q.choices, start=1):
            assert re.search(rf"{k} \S* ?{re.escape(choice)}", page), (n, choice)
    for index in range(question_pages):
        assert "Measured" not in texts[index] and "Highlighted" not in texts[index], "no answer on a question page"
        pictured = [q for q in session.questions[2 * index: 2 * index + 2] if q.picture is not None]
        assert len(pages[index].images) == len(pictured)
    key = texts[-1]
    assert key.startswith("Answer key") and not pages[-1].images
    for n, q in enumerate(session.questions, start=1):
        assert f"{n}. {q.answer + 1} {q.choices[q.answer]} — {_words(q.truth)}" in key
