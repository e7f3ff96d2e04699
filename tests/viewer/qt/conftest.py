"""GUI test fixtures: a real window under Xvfb, and a leak check after every GUI test.

The check runs after the test's own fixtures have closed their widgets: no pyvista plotter
left open, no timer still running in any of our windows, no animation running, and no
callback left subscribed to a window's model.
"""

from __future__ import annotations

import gc

import pytest

pytest.importorskip("pytestqt")

import pyvista.plotting.plotter as pyvista_plotter  # noqa: E402
from PyQt6.QtCore import QAbstractAnimation, QTimer  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from viewer.qt.window import MainWindow  # noqa: E402


@pytest.fixture
def window(qtbot, rest):
    w = MainWindow(rest)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    QApplication.processEvents()
    # The window's own parts: no render window or interactor left.
    assert w.canvas.plotter.render_window is None and w.canvas.plotter.iren is None


@pytest.fixture(autouse=True)
def nothing_outlives_the_test(qapp):
    """After every GUI test: no live plotter, running timer or animation, or model subscription."""
    yield
    QApplication.processEvents()
    gc.collect()
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    for w in windows:
        assert not w.isVisible(), "a window was left open"
        assert not [t for t in w.findChildren(QTimer) if t.isActive()], "a timer still runs"
        assert not [a for a in w.findChildren(QAbstractAnimation)
                    if a.state() == QAbstractAnimation.State.Running], "an animation still runs"
        assert w.model.subscriptions() == 0, "a callback is still subscribed to the model"
    open_plotters = [p for p in pyvista_plotter._ALL_PLOTTERS.values() if getattr(p, "render_window", None)]
    assert not open_plotters, f"{len(open_plotters)} pyvista plotter(s) left open"
    for w in windows:
        w.deleteLater()
    QApplication.processEvents()
