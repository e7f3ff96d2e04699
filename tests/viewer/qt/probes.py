"""Probes for window tests: pixels read from the canvas, world points projected to the screen, waits."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QPoint
from PyQt6.QtGui import QImage
from PyQt6.QtWidgets import QApplication

from viewer.scene.style import BACKGROUND, rgb


def _scene_pixels(w) -> np.ndarray:
    """What the window shows in its scene widget, read from the widget itself (RGB, top row first)."""
    QApplication.processEvents()
    image = w.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
    return rows.reshape(image.height(), image.bytesPerLine())[:, : 3 * image.width()].reshape(
        image.height(), image.width(), 3)


def _projected(w, point) -> QPoint:
    """Widget position where world ``point`` is drawn."""
    renderer = w.plotter.renderer
    renderer.SetWorldPoint(*point, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return w.canvas.to_widget(x, y).toPoint()


def _l5_body_front(w) -> np.ndarray:
    body = w.scene.meshes["L5"]
    region = w.rest.segment.structures["L5"].cell_data["region"]
    centres = body.cell_centers().points
    front = np.flatnonzero(region == 0)
    return centres[front[np.argmax(centres[front, 1])]]


def _opengl_renderer_seen_by_qt() -> str:
    """GL_RENDERER from a context Qt makes itself: a second opinion beside VTK's report."""
    from PyQt6.QtGui import QOffscreenSurface, QOpenGLContext
    from PyQt6.QtOpenGL import QOpenGLVersionFunctionsFactory, QOpenGLVersionProfile

    context, surface = QOpenGLContext(), QOffscreenSurface()
    surface.create()
    assert context.create() and context.makeCurrent(surface)
    profile = QOpenGLVersionProfile()
    profile.setVersion(2, 0)
    try:
        return QOpenGLVersionFunctionsFactory.get(profile, context).glGetString(0x1F01)  # GL_RENDERER
    finally:
        context.doneCurrent()
        surface.destroy()


def _settle_camera(qtbot, w) -> None:
    if w.director.animation is not None:
        qtbot.waitUntil(lambda: w.director.animation.state() != w.director.animation.State.Running, timeout=2000)


def _background_share(image: np.ndarray) -> float:
    return float((np.abs(image[..., :3].astype(int) - 255 * rgb(BACKGROUND)).max(axis=-1) < 6).mean())


def _colour_distance(pixel: np.ndarray, hex_colour: str) -> float:
    return float(np.abs(pixel.astype(float) - 255 * rgb(hex_colour)).max())


def _region_centre(w, region: str) -> np.ndarray:
    from meshes.vertebra_l5 import L5_REGIONS

    l5 = w.rest.segment.structures["L5"]
    cells = np.flatnonzero(np.asarray(l5.cell_data["region"]) == L5_REGIONS.index(region))
    return np.asarray(l5.cell_centers().points)[cells].mean(axis=0)


LABELLED = {"L5": ("L5", "body", "pedicle", "transverse", "superior_articular", "inferior_articular", "lamina",
                   "spinous", "pars"),
            "S1": ("S1",), "Sacrum": ("sacrum",), "L5–S1 disc": ("disc_",), "Dural sac": ("dural_sac",),
            "L5 root": ("root_L5",), "S1 root": ("root_S1",), "Pars": ("pars",)}


def _axial_screen_sides(w) -> dict[str, str]:
    """Which screen half (left or right) the patient's right and left are drawn on, measured by
    projecting two points 20 mm either side of the disc's centre through the real camera."""
    centre = np.asarray(w.rest.disc_centre, float)
    right, left = (_projected(w, centre + np.array([dx, 0.0, 0.0])) for dx in (20.0, -20.0))
    return {"patient_right": "left" if right.x() < left.x() else "right",
            "patient_left": "left" if left.x() < right.x() else "right"}


def _blocked(start: np.ndarray, end: np.ndarray, meshes) -> list[str]:
    """Names of the meshes the straight segment from ``start`` to ``end`` passes through."""
    from vtkmodules.vtkCommonCore import vtkPoints
    from vtkmodules.vtkFiltersGeneral import vtkOBBTree

    hits = []
    for name, mesh in meshes.items():
        tree = vtkOBBTree()
        tree.SetDataSet(mesh)
        tree.BuildLocator()
        points = vtkPoints()
        tree.IntersectWithLine(tuple(start), tuple(end), points, None)
        if points.GetNumberOfPoints():
            hits.append(name)
    return hits


def _exposed_axis(w, h, root: str) -> np.ndarray:
    """Points 0.05 mm apart on the stretch of the herniation's axis (the line along ``h.n``
    through its apex) that lies bare: out of the annulus, before it enters the root. (The apex
    itself is buried in the root: the root yields less than the herniation pushes.)"""
    import pyvista as pv

    nucleus = np.asarray(w.pipeline.posed.points["disc_nucleus"])
    apex = nucleus[np.argmax((nucleus - h.centre) @ h.n)]
    line = apex - np.outer(np.arange(0.0, 8.0, 0.05), h.n)

    def distance(name):
        return np.asarray(pv.PolyData(line).compute_implicit_distance(w.scene.meshes[name])["implicit_distance"])

    return line[(distance("disc_nucleus") < 0.0) & (distance(root) > 0.1) & (distance("disc_annulus") > 0.1)]


def _seen_share(w, points: np.ndarray, in_the_way: dict) -> float:
    """Share of ``points`` the camera sees: the straight line from the camera to each crosses
    no mesh of ``in_the_way``, and picking at its pixel finds the disc's nucleus."""
    renderer = w.plotter.renderer
    eye = np.array(w.plotter.camera.position)
    seen = 0
    for point in points:
        toward_eye = (eye - point) / np.linalg.norm(eye - point)
        renderer.SetWorldPoint(*point, 1.0)
        renderer.WorldToDisplay()
        x, y, _ = renderer.GetDisplayPoint()
        seen += not _blocked(eye, point + 0.05 * toward_eye, in_the_way) and w.scene.pick(x, y) == "disc_nucleus"
    return seen / len(points)


def _angle_deg(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.degrees(np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1.0, 1.0))))
