"""InertBrowser: a read-only Markdown pane that never opens or shows anything outside the viewer.

Lesson text is shared by e-mail and drives, so a link or an image in it is untrusted
(``annotations.links``). ``QTextBrowser`` follows links itself and loads any local file it is
pointed at; this pane does neither:

- a click is handed to ``follow(url)`` (the window's ``LinkActions``), never to Qt's navigation;
- an image is drawn only from ``folder`` (the lesson's own folder, or the bundled content) and
  below, by a relative path; nothing else is loaded, and nothing is fetched from a network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import QUrl
from PyQt6.QtGui import QImage, QTextDocument
from PyQt6.QtWidgets import QTextBrowser


class InertBrowser(QTextBrowser):
    """A Markdown pane whose links go to ``follow`` and whose images come only from ``folder``."""

    def __init__(self, follow: Callable[[QUrl], None] = lambda _url: None, folder: Path | None = None) -> None:
        super().__init__()
        self.setOpenLinks(False)  # Qt would load a file: or relative link into the pane itself
        self.setOpenExternalLinks(False)
        self.folder = folder
        self.refused: list[str] = []  # resources asked for and not given (for tests and the curious)
        self.anchorClicked.connect(follow)

    def loadResource(self, kind: int, name: QUrl):  # noqa: N802 (Qt name)
        """An image from ``folder`` by a relative path; nothing else, from anywhere."""
        from annotations.links import image_path

        address = name.toString()
        if kind == QTextDocument.ResourceType.ImageResource.value and self.folder is not None:
            path = image_path(address, self.folder)
            if path is not None:
                image = QImage(str(path))
                if not image.isNull():
                    return image
        self.refused.append(address)
        return None

    def doSetSource(self, url: QUrl, kind=None) -> None:  # noqa: N802 (Qt name)
        """Never navigate (Qt's own navigation ends here): the pane shows only the text it is given."""
        self.refused.append(url.toString())

    setSource = doSetSource
