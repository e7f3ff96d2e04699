"""Recording videos (MP4) and animated GIFs offscreen, at a fixed frame rate.

Every frame is posed and rendered for its own time stamp, so the video plays smoothly
whatever the machine's speed. Frames go to ffmpeg through imageio-ffmpeg (which ships
its own ffmpeg binary). The file is written under a temporary name in the target folder
and renamed at the end, so a failed or cancelled recording leaves nothing behind.

Timelines:
- a condition of the registry (``meshes.conditions``: ``slip``, ``herniation``, ``degeneration``):
  from healthy to its teaching target, a hold, and back, the camera following it as camera-follow
  does in the window (``Condition.follow``).
- a lesson: each step for its duration (scaled to ``seconds`` when given), the pathology
  easing over the step's first 2 s and the camera over its first 0.6 s, the step's title
  burnt in as a caption.

Either timeline can be recorded as the 3D scene or as one film of it (``record(film=...)``): the
radiograph or T2 slice the imaging pane would show of each frame's state (``viewer.output.film``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from meshes.conditions import CONDITIONS, Condition, by_name
from meshes.pathology import Pathology
from viewer.output import files
from viewer.scene.style import FOLLOW_HOLD_S

SUFFIXES = (".mp4", ".gif")
PATHOLOGY_EASE_S = 2.0
CAMERA_EASE_S = 0.6
# One palette for the whole GIF and ordered (Bayer) dithering: the pattern stays put from
# frame to frame, so still areas do not shimmer.
GIF_FILTER = "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer:bayer_scale=4"


class RecordError(ValueError):
    """Bad recording request or a failed write: one line for the user."""


@dataclass(frozen=True)
class Frame:
    """What one frame shows."""

    state: Pathology
    view: str | dict
    clip: str | None
    caption: str | None
    camera_t: float  # 0..1 of the way from the previous view to this one
    previous_view: str | dict | None
    anatomy: object = None  # the dimensions (an ``Anatomy``) a lesson step asks for; None: the rest's


def check_target(path: str) -> Path:
    """The MP4 or GIF file to write: its folder must exist and be writable."""
    return files.check_target(path, SUFFIXES, "recording", RecordError)


def _ease(t: float) -> float:
    """InOutCubic, like the window's animations."""
    t = min(max(t, 0.0), 1.0)
    return 4 * t**3 if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2


def animation_frames(kind: str, fps: int, seconds: float, zone: str, side: str,
                     conditions: tuple[Condition, ...] = CONDITIONS) -> list[Frame]:
    """The frames of a toggle's animation: ease to the teaching target, hold, ease back.

    ``kind`` is a condition's name in the registry (``conditions``).
    """
    condition = by_name(kind, conditions)
    n = max(1, round(fps * seconds))
    follow = condition.follow(zone)
    clip = follow.clip
    # The camera's tour, as camera-follow in the window: each view once the condition has gone
    # its share of the way up and been held there FOLLOW_HOLD_S (at most until the way back),
    # the camera gliding there over CAMERA_EASE_S.
    (view, _share), *legs = follow.views
    previous, since, reached = None, 0, None
    frames = []
    for i in range(n):
        t = i / max(n - 1, 1)
        amount = _ease(t / 0.4) if t < 0.4 else 1.0 if t < 0.6 else _ease((1.0 - t) / 0.4)
        if legs and reached is None and t < 0.6 and amount >= legs[0][1] - 1e-9:
            reached = i
        if legs and reached is not None and ((i - reached) / fps >= FOLLOW_HOLD_S or t + 1 / n >= 0.6):
            previous, since, reached = view, i, None
            view = legs.pop(0)[0]
        value = condition.rest + (condition.teaching - condition.rest) * amount
        state = Pathology.of({condition.field: value}, zone, side)
        camera_t = 1.0 if previous is None else _ease((i - since) / fps / CAMERA_EASE_S)
        frames.append(Frame(state, view, clip, None, camera_t, previous))
    return frames


def lesson_frames(lesson, fps: int, seconds: float | None) -> list[Frame]:
    """The frames of a lesson, step by step."""
    total = sum(step.duration for step in lesson.steps)
    scale = (seconds / total) if seconds else 1.0
    frames = []
    previous = None
    for number, step in enumerate(lesson.steps, start=1):
        n = max(1, round(fps * step.duration * scale))
        start = previous.state if previous else Pathology(0.0, 0.0, step.zone, step.side)
        # The pathology arrives within the step even when the step is short.
        ease_s = min(PATHOLOGY_EASE_S, 0.75 * (n - 1) / fps) or 1.0 / fps
        for i in range(n):
            elapsed = i / fps
            k = _ease(elapsed / ease_s)
            was = start.as_dict()
            values = {}
            for c in CONDITIONS:
                begin = was.get(c.field, c.rest)
                values[c.field] = begin + k * (step.value(c.field) - begin)
            state = Pathology.of(values, step.zone, step.side)
            frames.append(Frame(state, step.view, step.clip, f"{number}. {step.title}",
                                _ease(elapsed / CAMERA_EASE_S), previous.view if previous else None,
                                None if step.anatomy is None else step.anatomy.anatomy))
        previous = frames[-1]
    return frames


def record(path: str, frames: list[Frame], fps: int, size: tuple[int, int], rest=None,
           progress: Callable[[int, int], bool] | None = None, model=None, film: str | None = None,
           overlay: bool = True, slice_mm: float = 0.0) -> Path:
    """Render ``frames`` offscreen into ``path`` (MP4 or GIF): the 3D scene through the window's
    frame pipeline, or with ``film`` the film the imaging pane would show of each frame's state.

    ``model`` gives what the frames do not set (visibility, opacity, palette, the axial
    convention: from the feet or from above); it is only read. ``film`` is a modality of
    ``meshes.modalities`` (``overlay``: the lateral film's measurement; ``slice_mm``: an MRI
    slice's place). ``progress(done, total)`` returning False cancels (RecordError). Returns
    the written file.
    """
    import imageio_ffmpeg

    from meshes.preparation import prepare
    from meshes.segment import build_segment

    target = check_target(path)
    gif = target.suffix.lower() == ".gif"
    if not gif and (size[0] % 2 or size[1] % 2):
        raise RecordError(f"an MP4 needs an even width and height, got {size[0]}x{size[1]}")
    rest = rest or prepare(build_segment())
    try:
        tmp = files.temporary_beside(target)
    except OSError as exc:
        raise RecordError(f"cannot write in {target.parent}: {exc.strerror or exc}") from None
    source = writer = None
    try:
        source = (_FilmFrames(rest, film, size, overlay, slice_mm) if film is not None
                  else _SceneFrames(rest, model, size))
        options = dict(fps=fps, macro_block_size=1, ffmpeg_log_level="error")
        if gif:
            options.update(codec="gif", pix_fmt_out="pal8",
                           output_params=["-vf", GIF_FILTER, "-loop", "0"])
        else:
            options.update(codec="libx264", quality=7)
        writer = imageio_ffmpeg.write_frames(tmp, size, **options)
        writer.send(None)
        for i, frame in enumerate(frames):
            writer.send(np.ascontiguousarray(source.image(frame)[:, :, :3]).tobytes())
            if progress is not None and progress(i + 1, len(frames)) is False:
                raise RecordError("recording cancelled")
        writer.close()
        writer = None
        files.publish(tmp, target)
    except OSError as exc:
        raise RecordError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if writer is not None:
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - the file is discarded anyway
                pass
        if source is not None:
            source.close()
        Path(tmp).unlink(missing_ok=True)
    return target


class _Segments:
    """The prepared segment of each anatomy the frames ask for, built once each; an anatomy that
    cannot be drawn (``viewer.state.validity``) stops the recording with one line."""

    def __init__(self, rest) -> None:
        self.rest = rest
        self._built = {rest.segment.anatomy: rest}

    def of(self, frame: Frame):
        anatomy = frame.anatomy if frame.anatomy is not None else self.rest.segment.anatomy
        if anatomy not in self._built:
            from meshes.preparation import prepare
            from meshes.segment import build_segment
            from viewer.state.validity import problems

            rest = prepare(build_segment(anatomy))
            found = problems(rest)
            if found:
                raise RecordError(f"a step's anatomy cannot be drawn: {'; '.join(found)}")
            self._built[anatomy] = rest
        return self._built[anatomy]


class _SceneFrames:
    """Frames of the 3D scene: an offscreen plotter drawn through the window's frame pipeline."""

    def __init__(self, rest, model, size: tuple[int, int]) -> None:
        from viewer.output.screenshot import offscreen_plotter
        from viewer.scene.frame import FramePipeline
        from viewer.scene.view import SceneView
        from viewer.state.model import SceneModel

        self.size = size
        self.model = model.snapshot() if model is not None else SceneModel.for_rest(rest)
        self.model.labels, self.model.camera = False, None
        self.plotter = offscreen_plotter(size)
        self.scene = self.pipeline = None
        self.plotter.enable_anti_aliasing("msaa", multi_samples=4)
        self.scene = SceneView(self.plotter, rest)
        self.scene.bind(self.model)
        self.pipeline = FramePipeline(rest, self.model, self.scene)
        self.caption, self.caption_text = None, None
        self.presets: dict = {}
        self.segments = _Segments(rest)

    def image(self, frame: Frame) -> np.ndarray:
        rest = self.segments.of(frame)
        if rest is not self.pipeline.rest:  # a lesson step's anatomy: the same actors, new surfaces
            self.scene.use(rest)
            self.pipeline.rest = rest
            self.presets.clear()
        self.model.set_pathology(frame.state)
        self.model.clip = frame.clip
        self.pipeline.frame()
        self.model.camera = _camera(self.scene, frame, self.presets)
        if frame.caption != self.caption_text:
            if self.caption is not None:
                self.plotter.remove_actor(self.caption)
            self.caption, self.caption_text = None, frame.caption
            if frame.caption:
                self.caption = self.plotter.add_text(frame.caption, position="upper_edge",
                                                     font_size=max(10, self.size[1] // 40), color="white",
                                                     shadow=True)
        # pyvista's screenshot() renders only the first time on a plotter never shown: render here.
        self.plotter.render_window.Render()
        return self.plotter.screenshot(return_img=True)

    def close(self) -> None:
        if self.pipeline is not None:
            self.pipeline.close()
        if self.scene is not None:
            self.scene.close()
        self.plotter.close()


class _FilmFrames:
    """Frames of one film (``viewer.output.film``): each frame's state posed and filmed, the
    lesson step's title along the foot; a state held still is filmed once."""

    def __init__(self, rest, film: str, size: tuple[int, int], overlay: bool, slice_mm: float) -> None:
        from viewer.output.film import check_film_size

        self.film, self.overlay, self.slice_mm = film, overlay, slice_mm
        self.segments = _Segments(rest)
        self.size = check_film_size(size)
        self.last: tuple | None = None

    def image(self, frame: Frame) -> np.ndarray:
        from meshes.pose import pose
        from viewer.output.film import film_image

        rest = self.segments.of(frame)
        key = (frame.state, frame.caption, rest.segment.anatomy)
        if self.last is None or self.last[0] != key:
            image = film_image(rest, pose(rest, frame.state), frame.state, self.film, self.size,
                               self.overlay, slice_mm=self.slice_mm, caption=frame.caption)
            self.last = (key, image)
        return self.last[1]

    def close(self) -> None:
        self.last = None


def _camera(scene, frame: Frame, presets: dict):
    """The frame's camera: its view, part of the way from the previous one while the camera glides.

    A preset's pose is worked out once per view, side and zone (``presets`` caches it), where
    the condition has got to when it is first shown.
    """
    from viewer.scene.camera import between
    from viewer.state.model import CameraPose

    def pose_of(view) -> CameraPose:
        if isinstance(view, dict):
            return CameraPose.of(view["position"], view["focal_point"], view["up"])
        key = (view, scene.side, scene.zone)
        if key not in presets:
            presets[key] = scene.preset_camera(view)
        return presets[key]

    end = pose_of(frame.view)
    if frame.previous_view is not None and frame.camera_t < 1.0:
        return between(pose_of(frame.previous_view), end, frame.camera_t)
    return end
