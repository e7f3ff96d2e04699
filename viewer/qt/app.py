"""Open the viewer window on a pathology state and run the Qt event loop."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import traceback

from meshes.pathology import Pathology

DEFAULT_SIZE = (1600, 900)


def display_problem() -> str | None:
    """Why Qt could not open a window here (one line), or None when a screen is reachable.

    Qt aborts the process with several lines when its X connection fails; asking libxcb
    first, as Qt's xcb platform would, lets the command say so in one line and exit 2.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # another platform (offscreen, vnc, ...) knows its own needs
    if os.environ.get("WAYLAND_DISPLAY") and not platform.startswith("xcb"):
        return None
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "no display to open the window on (DISPLAY is not set; try xvfb-run -a)"
    name = ctypes.util.find_library("xcb")
    if name is None:
        return None  # Qt will report the missing library itself
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = xcb.xcb_connection_has_error(connection) != 0
    finally:
        xcb.xcb_disconnect(connection)
    return f"cannot connect to the display {display!r}" if failed else None


def open_window(state: Pathology, render_scale: float = 1.0, lesson=None, axial_convention: str = "radiological",
                anatomy=None, rest=None):
    """Show the window on ``state`` (and ``lesson``), the axial view seen as ``axial_convention``
    says (see ``viewer.state.model``); a QApplication must exist.

    ``anatomy`` is the anatomy chosen (a ``meshes.anatomy_file.AnatomyFile``, its title shown;
    the average adult when None); ``rest`` its segment, built and prepared, when already made.
    """
    from meshes.preparation import prepare
    from meshes.segment import build_segment
    from viewer.qt.window import MainWindow
    from viewer.state.model import SceneModel

    if rest is None:
        rest = prepare(build_segment(None if anatomy is None else anatomy.anatomy))
    model = SceneModel.for_rest(rest, state, axial_convention=axial_convention)
    if anatomy is not None:
        model.anatomy = anatomy
    window = MainWindow(rest, model, render_scale)
    install_error_handler(window)
    # As large as asked, but never larger than the screen (a 1366x768 laptop, a projector).
    room = window.screen().availableGeometry()
    window.resize(min(DEFAULT_SIZE[0], room.width()), min(DEFAULT_SIZE[1], room.height()))
    window.show()
    if lesson is not None:
        window.lesson_dock.open_lesson(lesson)
    return window


def run(state: Pathology, render_scale: float = 1.0, lesson=None, closer=None,
        axial_convention: str = "radiological", anatomy=None, rest=None) -> int:
    """Open the window and run the event loop until it closes; returns the exit status.

    ``closer`` (a ``viewer.qt.signals.CloseOnSignal``) may have been installed earlier, so a
    Ctrl+C during start-up is not lost.
    """
    from PyQt6.QtWidgets import QApplication

    from viewer.qt.signals import CloseOnSignal

    closer = closer or CloseOnSignal()
    try:
        app = QApplication.instance() or QApplication(sys.argv)
        closer.watch(app)
        closer.attach(open_window(state, render_scale, lesson, axial_convention, anatomy, rest))
        return app.exec()
    finally:
        closer.restore()


def install_error_handler(window) -> None:
    """Errors inside Qt callbacks go to the status bar instead of aborting the program."""

    def hook(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb, file=sys.stderr)
        try:
            window.statusBar().showMessage(f"Error: {value}", 10000)
        except RuntimeError:
            pass

    sys.excepthook = hook
