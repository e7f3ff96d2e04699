"""How the scene adapter follows the model: which field drives which of its setters.

:func:`follow_model` draws the model's current state on a ``SceneView`` and subscribes the
scene to every field it shows; each change then asks for one render through the owner's
coalescer. The posed geometry is not here: the frame pipeline (``viewer.scene.frame``) poses.
"""

from __future__ import annotations

from collections.abc import Callable


def follow_model(scene, model, request_render: Callable[[], None]) -> list[Callable[[], None]]:
    """Apply ``model``'s fields to ``scene`` now and on every change; returns the disconnects."""

    def opacity(_value) -> None:
        scene.apply_opacity(model.drawn_opacity())

    handlers = {
        "side": lambda v: setattr(scene, "side", v),
        "zone": lambda v: setattr(scene, "zone", v),
        "axial_convention": scene.set_axial_convention,
        "visible": scene.set_visible,
        "opacity": opacity,
        "ghost_bones": opacity,
        "clip": scene.set_clip,
        "selection": scene.highlight,
        "labels": scene.labels.set_visible,
        "palette": scene.set_palette,
        "high_contrast": scene.set_high_contrast,
        "camera": scene.apply_camera,
    }
    disconnects = []
    for name, handler in handlers.items():
        handler(model.get(name))
        disconnects.append(model.on(name, _then(handler, request_render)))
    return disconnects


def _then(handler: Callable, request_render: Callable[[], None]) -> Callable:
    def changed(value) -> None:
        handler(value)
        request_render()

    return changed
