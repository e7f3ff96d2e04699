"""The printed worksheet: a practice session's questions as a PDF to hand out, two to a page, with
their pictures and numbered choices, and an answer key on pages of its own at the end.

Drawn with Qt's PDF writer (``QPdfWriter`` and ``QPainter``), which needs a Qt application but
no display (``l5s1-viewer worksheet`` runs Qt's offscreen platform). Written under a temporary
name beside the target and renamed when done (``viewer.output.files``), so a failure leaves
no half-written file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PyQt6.QtCore import QMarginsF, QRectF, Qt
from PyQt6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from viewer.output import files
from viewer.state.practice import PracticeSession

DPI = 150
PER_PAGE = 2
PICTURE_PX = 600  # drawn this big, printed about 8 cm wide
MARGIN_MM = 15.0
TITLE = "L5–S1 practice worksheet"


def write_worksheet(session: PracticeSession, target: Path, picture=None) -> int:
    """Write ``session``'s questions and answer key to the PDF ``target``; returns the page count.

    ``picture(question) -> RGB array or None`` draws a question's picture (default:
    ``viewer.output.practice.picture_image`` on the session's segment).
    """
    if picture is None:
        from viewer.output.practice import picture_image

        def picture(question):
            return picture_image(session.rest, question, (PICTURE_PX, PICTURE_PX))

    tmp = files.temporary_beside(target)
    try:
        pages = _draw(session, tmp, picture)
        files.publish(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages


def _draw(session: PracticeSession, path: str, picture) -> int:
    writer = QPdfWriter(path)
    writer.setResolution(DPI)
    writer.setTitle(f"{TITLE} (seed {session.seed})")
    writer.setCreator("l5s1-viewer")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    page = painter.viewport()
    width, height = page.width(), page.height()
    pages = 1
    questions = session.questions
    for i, question in enumerate(questions):
        if i and i % PER_PAGE == 0:
            writer.newPage()
            pages += 1
        top = (i % PER_PAGE) * height / PER_PAGE
        if i % PER_PAGE == 0:
            _text(painter, QRectF(0, 0, width, 40), f"{TITLE}   ·   seed {session.seed}   ·   name: ______________",
                  8, colour="#555555")
        _question(painter, QRectF(0, top + 50, width, height / PER_PAGE - 70), i + 1, question, picture(question))
    writer.newPage()
    pages += 1
    pages += _answer_key(painter, writer, session, width, height)
    if not painter.end():
        raise OSError(f"cannot finish {path}")
    return pages


def _question(painter: QPainter, box: QRectF, number: int, question, image: np.ndarray | None) -> None:
    y = box.top()
    y += _text(painter, QRectF(box.left(), y, box.width(), box.height()), f"{number}.  {question.prompt}", 14,
               bold=True) + 12
    if question.text:
        y += _text(painter, QRectF(box.left(), y, box.width(), box.height()), question.text, 11) + 16
    left = box.left()
    if image is not None:  # at most half the width and the room left, its own proportions kept
        aspect = image.shape[1] / image.shape[0]
        tall = min(box.bottom() - y, 0.5 * box.width() / aspect)
        painter.drawImage(QRectF(left, y, tall * aspect, tall), _qimage(image))
        left += tall * aspect + 30
    for k, choice in enumerate(question.choices):
        y += _text(painter, QRectF(left, y, box.right() - left, box.height()), f"{k + 1}   ☐  {choice}", 12) + 14


def _answer_key(painter: QPainter, writer: QPdfWriter, session: PracticeSession, width: float,
                height: float) -> int:
    """The answer key from the top of the current page; returns the pages it added past its first."""
    y = _text(painter, QRectF(0, 0, width, 100), f"Answer key   ·   seed {session.seed}", 16, bold=True) + 24
    added = 0
    for n, q in enumerate(session.questions, start=1):
        line = f"{n}.  {q.answer + 1}   {q.choices[q.answer]}   —   {q.truth}"
        need = _text(painter, QRectF(0, 0, width, height), line, 10, measure_only=True)
        if y + need > height:
            writer.newPage()
            added += 1
            y = 0.0
        y += _text(painter, QRectF(0, y, width, height), line, 10) + 10
    return added


def _text(painter: QPainter, box: QRectF, text: str, points: float, bold: bool = False, colour: str = "black",
          measure_only: bool = False) -> float:
    """Draw wrapped ``text`` at the top of ``box``; returns the height it took."""
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black if colour == "black" else _colour(colour))
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    used = painter.boundingRect(box, flags, text)
    if not measure_only:
        painter.drawText(box, flags, text)
    return used.height()


def _colour(name: str):
    from PyQt6.QtGui import QColor

    return QColor(name)


def _qimage(image: np.ndarray) -> QImage:
    image = np.ascontiguousarray(image)
    height, width, _ = image.shape
    return QImage(image.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
