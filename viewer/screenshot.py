"""Offscreen screenshots of the scene: same actors and colours as the window, no display needed."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from viewer import files
from viewer.style import VIEW_ZOOM

MAX_SIDE = 8192


class ScreenshotError(ValueError):
    """Bad screenshot request: the message is one line for the user."""


def parse_size(text: str) -> tuple[int, int]:
    """'WxH' -> (W, H), each 1..8192 pixels."""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text or "")
    if not m:
        raise ScreenshotError(f"size must look like 1920x1080, got {text!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if not (1 <= w <= MAX_SIDE and 1 <= h <= MAX_SIDE):
        raise ScreenshotError(f"size must be from 1x1 to {MAX_SIDE}x{MAX_SIDE} pixels, got {w}x{h}")
    return w, h


def check_target(path: str) -> Path:
    """The PNG file to write: its folder must exist and be writable."""
    return files.check_target(path, (".png",), "screenshot", ScreenshotError)


def offscreen_plotter(size: tuple[int, int]):
    """An offscreen pyvista plotter of ``size`` pixels, with or without a display.

    With no X display VTK tries X first, prints a "bad X server connection" warning, and
    falls back to EGL: a headless command that works should not print a warning, so VTK's
    messages below errors are kept off the terminal then.
    """
    import os

    import pyvista as pv

    if not os.environ.get("DISPLAY"):
        from vtkmodules.vtkCommonCore import vtkLogger

        vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_ERROR)
    return pv.Plotter(off_screen=True, window_size=size)


def render(
    rest,
    posed,
    size: tuple[int, int],
    view: str,
    caption: str | None = None,
    hidden: tuple[str, ...] = (),
    zoom: float = VIEW_ZOOM,
    labels: bool = False,
    clip: str | None = None,
    camera: tuple | None = None,
    visible: dict | None = None,
    opacity: dict | None = None,
    side: str = "left",
    zone: str = "subarticular",
    axial_convention: str = "radiological",
) -> np.ndarray:
    """The scene for ``posed`` rendered offscreen: an (H, W, 3) uint8 image.

    ``hidden`` structures are left out; ``visible``/``opacity``/``clip``/``labels`` are the
    window's settings, and ``camera`` (position, focal point, view up, view angle) replaces
    the preset ``view`` so the window's own framing is kept. ``side`` and ``zone`` aim the
    foramen close-up (a foraminal or extraforaminal zone: at its herniation's contact with the
    L5 root, see ``SceneView.set_view``). ``axial_convention`` sees the
    axial view and cut from the feet ("radiological") or from above ("anatomical").
    """
    from viewer.scene import SceneView

    plotter = offscreen_plotter(size)
    try:
        plotter.enable_anti_aliasing("msaa", multi_samples=8)
        scene = SceneView(plotter, rest)
        scene.show(posed)
        shown = dict(visible or {})
        shown.update({name: False for name in hidden})
        if shown:
            scene.set_visible(shown)
        for name, value in (opacity or {}).items():
            scene.set_opacity(name, value)
        scene.set_axial_convention(axial_convention)
        scene.set_clip(clip)
        scene.side, scene.zone = side, zone
        scene.set_view(view, zoom)
        if camera is not None:
            cam = plotter.camera
            cam.position, cam.focal_point, cam.up = camera[0], camera[1], camera[2]
            cam.view_angle = camera[3]
            plotter.renderer.ResetCameraClippingRange()
        scene.labels.set_visible(labels)
        if caption:
            plotter.add_text(caption, position="upper_left", font_size=max(10, size[1] // 45), color="white")
        return plotter.screenshot(return_img=True)
    finally:
        plotter.close()


def save_png(image: np.ndarray, target: Path) -> None:
    """Write ``image`` to ``target`` atomically: a temporary file in the same folder, then a rename."""
    from PIL import Image  # pillow comes with pyvista

    tmp = files.temporary_beside(target)
    try:
        Image.fromarray(np.ascontiguousarray(image)).save(tmp, format="PNG")
        files.publish(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
