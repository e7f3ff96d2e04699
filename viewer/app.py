"""A minimal window that shows the segment (the full viewer is built on top of it)."""

from __future__ import annotations

import sys

from meshes.pathology import Pathology

COLOURS = {
    "L5": "#f2ead8",
    "S1": "#f2ead8",
    "disc_annulus": "#8fb8c9",
    "disc_nucleus": "#d9a5b3",
    "dural_sac": "#b8c9e0",
    "root_L5_left": "#f2c230",
    "root_L5_right": "#f2c230",
    "root_S1_left": "#f2c230",
    "root_S1_right": "#f2c230",
}
BACKGROUND = "#1d2430"


def run(state: Pathology) -> int:
    from PyQt6.QtWidgets import QApplication, QMainWindow
    from pyvistaqt import QtInteractor

    from meshes.segment import build_segment

    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("L5–S1 viewer")
    plotter = QtInteractor(window, auto_update=False)
    window.setCentralWidget(plotter)
    plotter.set_background(BACKGROUND)
    for name, mesh in build_segment().structures.items():
        plotter.add_mesh(mesh, color=COLOURS[name], smooth_shading=True, specular=0.2, name=name)
    # Left anterior oblique: body, disc, foramen and exiting root all in view.
    plotter.view_vector((-1.0, 0.6, 0.15), viewup=(0, 0, 1))
    plotter.reset_camera()
    plotter.camera.zoom(1.5)
    window.resize(1280, 800)
    window.show()
    code = app.exec()
    plotter.close()
    return code
