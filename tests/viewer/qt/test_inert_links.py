"""Shared lessons are inert in a real window: clicking a file link shows nothing from the disk, an
in-app link acts in the app, a web link asks first, and images come only from beside the lesson.

The crafted lesson is built directly (``lesson check`` would refuse it), as if a checker had been
bypassed: the window's own panes must still hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PyQt6.QtCore import QPoint, Qt, QUrl
from PyQt6.QtGui import QImage, QTextDocument

from annotations.lessons import Lesson, Step

SECRET = "the teacher's grades: 17/20"


def _click_link(qtbot, browser, href: str) -> None:
    """Click the link to ``href`` where it is drawn in ``browser`` (found by looking, not assumed)."""
    view = browser.viewport()
    bar = browser.verticalScrollBar()
    bar.setValue(bar.minimum())
    while True:
        for y in range(2, view.height(), 3):
            for x in range(2, view.width(), 3):
                if browser.anchorAt(QPoint(x, y)) == href:
                    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
                    return
        if bar.value() >= bar.maximum():
            pytest.fail(f"no link to {href!r} is drawn")
        bar.setValue(bar.value() + bar.pageStep())


@pytest.fixture
def crafted(tmp_path) -> Lesson:
    secret = tmp_path / "private" / "grades.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    QImage(8, 8, QImage.Format.Format_RGB32).save(str(tmp_path / "private" / "key.png"))
    folder = tmp_path / "shared"
    folder.mkdir()
    QImage(8, 8, QImage.Format.Format_RGB32).save(str(folder / "figure.png"))
    text = (f"[Next]({secret.as_uri()}) · [Up](../private/grades.txt) · [Web](https://example.org/fardon) · "
            "[Root](#root_S1_left) · [Two](#step-2) · [Script](javascript:alert(1))\n\n"
            f"![a]({(tmp_path / 'private' / 'key.png').as_uri()}) ![b](../private/key.png) ![c](figure.png)")
    title = f"One <img src='{(tmp_path / 'private' / 'key.png').as_uri()}'>"
    steps = (Step(title, text), Step("Two", "The second step."))
    return Lesson("Crafted", "anyone", ("none",), steps, str(folder / "shared.toml"))


def test_a_crafted_lesson_cannot_show_a_local_file(qtbot, window, crafted, monkeypatch):
    import viewer.qt.links

    opened = []
    monkeypatch.setattr(viewer.qt.links.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    asked = []
    monkeypatch.setattr(window.links, "confirm", lambda address: asked.append(address) or False)
    assert window.lesson_dock.open_lesson(crafted)
    view = window.lesson_dock.step_view
    qtbot.waitUntil(lambda: "Next" in view.toPlainText(), timeout=3000)
    for href in (Path(crafted.path).parent.parent.joinpath("private", "grades.txt").as_uri(),
                 "../private/grades.txt", "javascript:alert(1)"):
        _click_link(qtbot, view, href)
        assert "Link not opened" in window.statusBar().currentMessage(), href
        assert SECRET not in view.toPlainText() and view.source().isEmpty(), href
        assert window.player.index == 0, "still on the step"
    # A web link asks, showing the address; refused, nothing opens; agreed, the browser gets it.
    _click_link(qtbot, view, "https://example.org/fardon")
    assert asked == ["https://example.org/fardon"] and opened == []
    monkeypatch.setattr(window.links, "confirm", lambda address: True)
    _click_link(qtbot, view, "https://example.org/fardon")
    assert opened == ["https://example.org/fardon"]
    # In-app links act in the app.
    _click_link(qtbot, view, "#root_S1_left")
    assert window.model.selection == "root_S1_left"
    _click_link(qtbot, view, "#step-2")
    assert window.player.index == 1
    window.lesson_dock.close_lesson()


def test_images_come_only_from_beside_the_lesson(qtbot, window, crafted):
    assert window.lesson_dock.open_lesson(crafted)
    view = window.lesson_dock.step_view
    qtbot.waitUntil(lambda: "Next" in view.toPlainText(), timeout=3000)
    document = view.document()
    image = QTextDocument.ResourceType.ImageResource.value
    beside = document.resource(image, QUrl("figure.png"))  # drawn: the document holds it
    assert isinstance(beside, QImage) and not beside.isNull()
    assert "../private/key.png" in view.refused
    assert any(address.startswith("file:") and address.endswith("key.png") for address in view.refused)
    assert "figure.png" not in view.refused
    # The step's title, shown above the text, is text: its <img> is written out, not drawn.
    assert "&lt;img src=" in window.lesson_dock.step_label.text()
    window.lesson_dock.close_lesson()


def test_a_shared_lesson_with_an_outside_link_is_checked_first_and_not_half_applied(qtbot, window, tmp_path,
                                                                                    monkeypatch):
    """File > Open lesson on a file whose step links to a local file: nothing of it is applied (the
    open lesson and the scene stay), and the dialog lists each problem as FILE:LINE: message."""
    import viewer.qt.dialogs
    from annotations.lessons import bundled

    assert window.lesson_dock.open_lesson(str(bundled()[0]))
    window.player.go(3)
    before = {name: window.model.get(name) for name in window.model.fields}
    shared = tmp_path / "shared.toml"
    shared.write_text('[lesson]\ntitle = "Shared"\naudience = "any"\nsources = ["x"]\n\n[[step]]\n'
                      'title = "One"\nslip = 80\ntext = "[Next](file:///etc/hostname)"\n')
    shown = []
    monkeypatch.setattr(viewer.qt.dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(shared), ""))
    monkeypatch.setattr(viewer.qt.dialogs.QMessageBox, "warning", lambda _w, title, text: shown.append(text))
    window.dialogs.open_lesson_dialog()
    assert shown and shown[0].splitlines() == [f"{shared}:9: link 'file:///etc/hostname': file: links are not "
                                               "opened (only #id, #step-N and http(s) links)"]
    assert window.player.lesson.path == str(bundled()[0]) and window.player.index == 3
    assert {name: window.model.get(name) for name in window.model.fields} == before
    window.lesson_dock.close_lesson()
