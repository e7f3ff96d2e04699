"""A minimal window that shows the posed segment (the full viewer is built on top of it)."""

from __future__ import annotations

import sys

from meshes.pathology import Pathology


def run(state: Pathology) -> int:
    from PyQt6.QtWidgets import QApplication, QMainWindow
    from pyvistaqt import QtInteractor

    from meshes.pose import pose, prepare
    from meshes.segment import build_segment
    from viewer.scene import SceneView

    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("L5–S1 viewer")
    plotter = QtInteractor(window, auto_update=False)
    window.setCentralWidget(plotter)
    rest = prepare(build_segment())
    scene = SceneView(plotter, rest)
    scene.show(pose(rest, state))
    scene.set_view("oblique")
    window.resize(1280, 800)
    window.show()
    code = app.exec()
    plotter.close()
    return code
