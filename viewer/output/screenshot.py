"""Offscreen screenshots of the scene: same actors and colours as the window, no display needed."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from viewer.output import files
from viewer.scene.style import VIEW_ZOOM

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


def render(rest, model, size: tuple[int, int], caption: str | None = None, zoom: float = VIEW_ZOOM,
           multi_samples: int = 8) -> np.ndarray:
    """``model``'s scene rendered offscreen: an (H, W, 3) uint8 image.

    The same scene adapter and frame pipeline as the window draw it: the pathology posed,
    visibility, opacity, cut, labels, palette, side and zone as the model holds them. The camera
    is the model's when it has one (the window's own framing), else its ``view`` preset
    (``zoom`` past the whole segment). The model is only read.
    """
    from viewer.scene.frame import FramePipeline
    from viewer.scene.view import SceneView

    model = model.snapshot()  # never bind an offscreen scene to a live window's model
    plotter = offscreen_plotter(size)
    scene = pipeline = None
    try:
        plotter.enable_anti_aliasing("msaa", multi_samples=multi_samples)
        scene = SceneView(plotter, rest)
        scene.bind(model)
        pipeline = FramePipeline(rest, model, scene)
        pipeline.frame()
        if model.camera is None:
            scene.set_view(model.view or "oblique", zoom)
        if caption:
            plotter.add_text(caption, position="upper_left", font_size=max(10, size[1] // 45), color="white")
        return plotter.screenshot(return_img=True)
    finally:
        if pipeline is not None:
            pipeline.close()
        if scene is not None:
            scene.close()
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
