"""Open the viewer window on a pathology state and run the Qt event loop."""

from __future__ import annotations

import sys

from meshes.pathology import Pathology


def run(state: Pathology, render_scale: float = 1.0, lesson=None) -> int:
    from PyQt6.QtWidgets import QApplication

    from meshes.pose import prepare
    from meshes.segment import build_segment
    from viewer.model import SceneModel
    from viewer.window import MainWindow, install_error_handler

    app = QApplication.instance() or QApplication(sys.argv)
    rest = prepare(build_segment())
    model = SceneModel.for_rest(rest)
    for field, value in (("slip_percent", state.slip_percent), ("herniation", state.herniation),
                         ("zone", state.zone), ("side", state.side)):
        model.set(field, value)
    window = MainWindow(rest, model, render_scale)
    install_error_handler(window)
    window.resize(1600, 900)
    window.show()
    if lesson is not None:
        window.open_lesson(lesson)
    return app.exec()
