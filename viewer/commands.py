"""The command line's commands: export, measure, screenshot, image, benchmark, lesson, record, run,
practice, worksheet.

Each command takes the parsed arguments and returns the exit status. Bad input raises
:class:`UsageError` (one line for the user) or ``LessonError`` (one ``FILE:LINE: message`` per
problem); ``viewer.cli.main`` prints either and exits with status 2, the one usage-error path.
Nothing is written before the input has been checked.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager

from meshes.conditions import CONDITIONS
from meshes.modalities import OVERLAID
from meshes.pathology import Pathology


class UsageError(ValueError):
    """Bad input to a command: the message is one line for the user."""


@contextmanager
def usage_errors(*kinds: type[Exception]) -> Iterator[None]:
    """Turn a library's own errors for bad input (a bad size, path or format) into a UsageError."""
    try:
        yield
    except kinds as exc:
        raise UsageError(str(exc)) from None


def pathology_of(args: argparse.Namespace) -> Pathology:
    return Pathology.of({c.field: getattr(args, c.name) for c in CONDITIONS}, args.zone, args.side)


def anatomy_of(args: argparse.Namespace):
    """The dimensions asked for: the defaults, then ``--anatomy FILE``, then each ``--set``.

    Returns ``(anatomy, file)``: the :class:`meshes.anatomy.Anatomy` and the
    :class:`meshes.anatomy_file.AnatomyFile` read (None without one). A file's problems raise
    ``AnatomyFileError`` (every one, ``FILE:LINE: message``); a bad ``--set`` a one-line
    :class:`UsageError`.
    """
    from annotations.anatomy import resolve
    from meshes.anatomy import Anatomy
    from meshes.anatomy_file import apply_settings

    file = resolve(args.anatomy) if getattr(args, "anatomy", None) else None
    anatomy = file.anatomy if file is not None else Anatomy()
    with usage_errors(ValueError):
        anatomy = apply_settings(anatomy, getattr(args, "set", None) or [])
    return anatomy, file


def anatomy_record(anatomy, file) -> dict:
    """The anatomy used, as the export manifest and ``measure --json`` record it
    (``anatomy_choice.record``): a file's title (", adjusted" after ``--set``) and sources, or the
    defaults' ("Average adult", "Custom anatomy"), what was changed, and every dimension."""
    from viewer.state.anatomy_choice import record

    return record(choice_of(anatomy, file))


def choice_of(anatomy, file):
    """The anatomy as the window's model holds it (``viewer.state.anatomy_choice``): the file as
    read, or, after ``--set``, the dimensions titled as the file's adjusted."""
    from viewer.state.anatomy_choice import ADJUSTED, described

    if file is not None and file.anatomy == anatomy:
        return file
    return described(anatomy, None if file is None else file.title + ADJUSTED, () if file is None else file.sources)


def _rest(args: argparse.Namespace):
    """The segment built with the dimensions asked for, and prepared for posing; one that cannot
    be shown (``viewer.state.validity``: a root in bone at rest, surfaces through each other) is refused
    in one line."""
    from meshes.preparation import prepare
    from meshes.segment import build_segment
    from viewer.state.validity import problems

    anatomy, file = anatomy_of(args)
    rest = prepare(build_segment(anatomy))
    found = problems(rest)
    if found:
        what = f"the anatomy {file.title!r}" if file is not None else "these dimensions"
        raise UsageError(f"{what} cannot be built as a healthy segment: {'; '.join(found)}")
    return rest


def _posed(state: Pathology, args: argparse.Namespace):
    """(structures, landmarks, posed, rest) for the state: the segment built and posed."""
    from meshes.pose import pose, posed_structures

    rest = _rest(args)
    posed = pose(rest, state)
    return posed_structures(rest, posed), posed.landmarks, posed, rest


def cmd_export(args: argparse.Namespace) -> int:
    from meshes.export import ExportError, export
    from meshes.segment import REGIONS
    from viewer.scene.style import structure_colours

    state = pathology_of(args)
    anatomy, file = anatomy_of(args)
    structures, marks, _, _ = _posed(state, args)
    colours = structure_colours(structures, state.degeneration)
    with usage_errors(ExportError):
        out = export(args.directory, structures, REGIONS, marks, state.as_dict(), args.format, colours,
                     anatomy_record(anatomy, file))
    print(f"wrote {len(structures)} structures to {out}")
    return 0


def disc_height(mm: float | None) -> str:
    """A disc height as read out: mm, or why there is none (a grade III slip puts L5's front
    corner past S1's front while its back corner still stands on the disc)."""
    return "none (this corner of L5 is past the front of S1)" if mm is None else f"{mm:.1f} mm"


def format_readouts(r: dict, degeneration: float = 0.0) -> str:
    lines = [
        f"Slip                 {r['slip_percent']:6.1f} %   (Meyerding {r['meyerding_grade']})",
        f"Slip angle           {r['slip_angle_deg']:6.1f} deg",
        f"Sacral slope         {r['sacral_slope_deg']:6.1f} deg  (shear share {r['endplate_shear_share']:.2f})",
        f"Dural sac            {r['dural_sac_area_mm2']:6.0f} mm2 at the disc",
        f"Disc height          {disc_height(r['disc_height_anterior_mm'])} anterior, "
        f"{disc_height(r['disc_height_posterior_mm'])} posterior",
    ]
    for side in ("left", "right"):
        f = r["foramen"][side]
        if f["closed"]:
            lines.append(f"Foramen {side:5s}        {f['height_mm']:6.1f} mm high, {f['width_mm']:.1f} mm narrowest, "
                         f"{f['area_mm2']:.0f} mm²")
        else:  # the section's opening runs out behind (a slip's pars defect): not a foramen's size
            lines.append(f"Foramen {side:5s}          open behind, no closed outline to measure")
    if r.get("facet_angle_deg"):
        f = r["facet_angle_deg"]
        lines.append(f"Facet joints         {f['left']:6.1f} deg left, {f['right']:.1f} deg right (from sagittal)")
    for root, v in r["roots"].items():
        flag = "COMPRESSED" if v["compressed"] else "clear"
        lines.append(f"{root:20s} {v['clearance_mm']:6.2f} mm   {flag}")
    p = r.get("posture")
    if p is not None:
        lines.append(f"Segmental angle      {p['segmental_angle_deg']:6.1f} deg ({_posture(p)})")
        fe = p["flexion_extension"]
        limits = fe["limits"]
        verdict = ("UNSTABLE: " + ", ".join(fe["reasons"]) if fe["unstable"]
                   else f"stable (limits {limits['translation_mm']:g} mm, {limits['angulation_deg']:g} deg)")
        lines.append(f"Flexion-extension    {fe['translation_mm']:6.1f} mm, {fe['angulation_deg']:.1f} deg   {verdict}")
    h = r["herniation"]
    behind = f"disc {h['extent_mm']:.1f} mm behind S1's rim"
    if h["stage"] == "none":
        # Not a herniation (Fardon 2014): the healthy disc's margin, or a degenerated one's bulge.
        bulge = " (a degenerative bulge, not a herniation)" if degeneration > 0.0 else ""
        lines.append(f"Herniation           none; {behind}{bulge}")
    else:
        lines.append(f"Herniation           {h['stage']} ({h['zone']}, {h['side']}), {behind}")
    return "\n".join(lines)


def _posture(p: dict) -> str:
    """Where the posture stands against neutral, in words and numbers."""
    if p["posture"] == 0.0:
        return "neutral"
    word = "flexion" if p["posture"] > 0.0 else "extension"
    return (f"{word} {abs(p['flexion_from_neutral_deg']):.1f} deg, "
            f"{p['translation_from_neutral_mm']:+.1f} mm against neutral")


def cmd_measure(args: argparse.Namespace) -> int:
    from meshes.pose import readouts

    state = pathology_of(args)
    anatomy, file = anatomy_of(args)
    _, _, posed, rest = _posed(state, args)
    # The same measurement the viewer's readouts show.
    r = readouts(rest, posed, state)
    r["anatomy"] = anatomy_record(anatomy, file)
    print(json.dumps(r, indent=2) if args.json else format_readouts(r, state.degeneration))
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from viewer.output.screenshot import ScreenshotError, check_target, parse_size, render

    with usage_errors(ScreenshotError):
        size = parse_size(args.size)
        target = check_target(args.file)
    if "axial" in args.given and "axial" not in (args.view, args.clip):
        raise UsageError("--axial applies to the axial view or cut: add --view axial or --clip axial")
    from viewer.state.model import SceneModel

    rest = _rest(args)
    model = SceneModel.for_rest(rest, pathology_of(args), view=args.view, labels=args.labels, clip=args.clip,
                                axial_convention=args.axial)
    return _write_png(render(rest, model, size), target, f"{size[0]}x{size[1]}, {args.view} view")


def _write_png(image, target, what: str) -> int:
    """Write ``image`` to ``target`` atomically and say so; a refusal is one usage line."""
    from viewer.output.screenshot import save_png

    try:
        save_png(image, target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    print(f"wrote {target} ({what})")
    return 0


def cmd_image(args: argparse.Namespace) -> int:
    from viewer.output.film import FilmError, check_film_size, film_image
    from viewer.output.screenshot import ScreenshotError, check_target, parse_size

    with usage_errors(ScreenshotError, FilmError):
        size = check_film_size(parse_size(args.size))
        target = check_target(args.file)
    _check_overlay(args.modality, args.overlay, "")
    slice_mm = _slice_of(args.modality, args.slice_mm)
    state = pathology_of(args)
    _, _, posed, rest = _posed(state, args)
    with usage_errors(FilmError):
        image = film_image(rest, posed, state, args.modality, size, overlay=args.overlay is not False,
                           slice_mm=slice_mm)
    return _write_png(image, target, f"{size[0]}x{size[1]}, {args.modality}")


def _check_overlay(modality: str | None, overlay: bool | None, doing: str) -> None:
    """A usage error for ``--overlay``/``--no-overlay`` given with a film that has no overlay
    (``meshes.modalities.OVERLAID``); ``doing`` words the message ("recording ")."""
    if overlay is not None and modality not in OVERLAID:
        raise UsageError(f"--{'' if overlay else 'no-'}overlay applies to {doing}the {', '.join(OVERLAID[:-1])} "
                         f"and {OVERLAID[-1]} films only")


def _slice_of(modality: str | None, slice_mm: float | None) -> float:
    """The ``--slice`` given for ``modality``, 0 when none; a usage error for a radiograph or
    beyond that slice's travel (``meshes.modalities.SLICE_TRAVEL_MM``)."""
    from meshes.modalities import SLICE_TRAVEL_MM

    if slice_mm is None:
        return 0.0
    if modality not in SLICE_TRAVEL_MM:
        raise UsageError(f"--slice moves an MRI slice; {modality or 'the 3D scene'} has none")
    travel = SLICE_TRAVEL_MM[modality]
    if abs(slice_mm) > travel:
        raise UsageError(f"--slice for {modality} must be from {-travel:g} to {travel:g} mm, got {slice_mm:g}")
    return slice_mm


def cmd_benchmark(args: argparse.Namespace) -> int:
    from viewer.output.screenshot import ScreenshotError, parse_size

    with usage_errors(ScreenshotError):
        size = parse_size(args.size)
    from viewer.qt.app import display_problem

    problem = display_problem()
    if problem:
        raise UsageError(f"benchmark opens the real window: {problem}")
    from viewer.qt.benchmark import run

    return run(size, args.cycles, args.json, args.render_scale, args.film)


def cmd_lesson(args: argparse.Namespace) -> int:
    from annotations.lessons import bundled
    from viewer.state.lesson_player import read as read_lesson

    if args.lesson_command == "list":
        for path in bundled():
            lesson = read_lesson(str(path))
            print(f"{path.stem:28s} {len(lesson.steps):3d} steps  {lesson.title}")
        return 0
    lesson = read_lesson(args.file)  # LessonError: every problem, FILE:LINE: message
    print(f"{args.file}: ok, {len(lesson.steps)} steps, {lesson.title!r}")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from viewer.output.film import FilmError, check_film_size
    from viewer.output.recorder import RecordError, animation_frames, check_target, lesson_frames, record
    from viewer.output.screenshot import ScreenshotError, parse_size
    from viewer.state.lesson_player import read as read_lesson

    with usage_errors(ScreenshotError, RecordError, FilmError):
        size = parse_size(args.size or ("720x720" if args.modality else "1280x720"))
        if args.modality:
            check_film_size(size)
        check_target(args.file)
    _check_overlay(args.modality, args.overlay, "recording ")
    slice_mm = _slice_of(args.modality, args.slice_mm)
    if args.record_lesson:
        if args.given & {"zone", "side"}:
            raise UsageError("--zone and --side choose an animation's herniation; a lesson sets its own")
        frames = lesson_frames(read_lesson(args.record_lesson), args.fps, args.seconds)
    else:
        if args.animation != "herniation" and args.given & {"zone", "side"}:
            raise UsageError(f"--zone and --side choose the herniation animation's herniation; the "
                             f"{args.animation} animation has none")
        frames = animation_frames(args.animation, args.fps, args.seconds or 6.0, args.zone, args.side)
    if "axial" in args.given and args.modality:
        raise UsageError("--axial sets how the 3D scene's axial view is seen; a film has its own convention")
    if "axial" in args.given and not any("axial" in (f.view, f.clip) for f in frames):
        what = "the lesson" if args.record_lesson else f"the {args.animation} animation"
        raise UsageError(f"--axial applies to the axial view or cut, which {what} does not show")
    from viewer.state.model import SceneModel

    rest = _rest(args)
    model = SceneModel.for_rest(rest, axial_convention=args.axial)
    with usage_errors(RecordError, FilmError):
        out = record(args.file, frames, args.fps, size, rest, model=model, film=args.modality,
                     overlay=args.overlay is not False, slice_mm=slice_mm)
    what = f", {args.modality}" if args.modality else ""
    print(f"wrote {out} ({len(frames)} frames, {size[0]}x{size[1]}, {args.fps} fps{what})")
    return 0


def cmd_run(args: argparse.Namespace, closer=None) -> int:
    from viewer.qt.app import display_problem, run
    from viewer.state.lesson_player import read as read_lesson

    lesson = read_lesson(args.lesson) if args.lesson else None  # LessonError: every problem
    anatomy, file = anatomy_of(args)  # checked before any window opens
    problem = display_problem()
    if problem:
        raise UsageError(problem)
    rest = _rest(args)  # a combination that cannot be drawn is refused before the window opens
    return run(pathology_of(args), args.render_scale, lesson, closer, args.axial, choice_of(anatomy, file), rest)


def _seed(args: argparse.Namespace) -> int:
    """The practice draw's seed: the one given, else a new one (said, so the draw can be repeated)."""
    import random

    from viewer.state.practice import MAX_SEED

    return random.SystemRandom().randint(0, MAX_SEED) if args.seed is None else args.seed


def cmd_practice(args: argparse.Namespace, closer=None) -> int:
    from viewer.qt.app import display_problem

    problem = display_problem()
    if problem:
        raise UsageError(f"practice opens a window: {problem}")
    import sys

    from PyQt6.QtWidgets import QApplication

    from viewer.qt.app import install_error_handler
    from viewer.qt.practice import PracticeWindow
    from viewer.qt.signals import CloseOnSignal
    from viewer.state.practice import PracticeSession

    closer = closer or CloseOnSignal()
    try:
        app = QApplication.instance() or QApplication(sys.argv)
        closer.watch(app)
        seed = _seed(args)
        window = PracticeWindow(PracticeSession(seed, args.questions, _rest(args)))
        install_error_handler(window)
        room = window.screen().availableGeometry()
        window.resize(min(1600, room.width()), min(900, room.height()))
        window.show()
        closer.attach(window)
        return app.exec()
    finally:
        closer.restore()


def cmd_worksheet(args: argparse.Namespace) -> int:
    import os
    import sys

    from viewer.output import files

    target = files.check_target(args.file, (".pdf",), "worksheet", UsageError)
    rest = _rest(args)  # a bad anatomy is refused before anything is written
    try:  # a folder that refuses a new file refuses it now, before the cases are drawn
        os.unlink(files.temporary_beside(target))
    except OSError as exc:
        raise UsageError(f"cannot write in {target.parent}: {exc.strerror or exc}") from None
    from PyQt6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a file, not a window: no display needed
        app = QGuiApplication(sys.argv[:1])  # noqa: F841 (kept alive while the PDF is drawn)
    from viewer.qt.worksheet import write_worksheet
    from viewer.state.practice import PracticeSession

    seed = _seed(args)
    try:
        pages = write_worksheet(PracticeSession(seed, args.questions, rest), target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    print(f"wrote {target} ({args.questions} questions, {pages} pages, seed {seed})")
    return 0


def cmd_anatomy(args: argparse.Namespace) -> int:
    from annotations.anatomy import presets
    from meshes.anatomy import Anatomy
    from meshes.anatomy_file import read

    if args.anatomy_command == "list":
        print(f"{'dimension':26s} {'default':>8s} {'range':>13s}  {'unit':8s} source")
        for name in Anatomy.names():
            lo, hi = Anatomy.range(name)
            print(f"{name:26s} {Anatomy.default(name):8g} {f'{lo:g}-{hi:g}':>13s}  {Anatomy.unit(name) or 'share':8s} "
                  f"{Anatomy.source(name)}")
        print("\npresets (--anatomy NAME):")
        for name, path in presets().items():
            print(f"  {name:24s} {read(path).title}")
        return 0
    file = read(args.file)  # AnatomyFileError: every problem, FILE:LINE: message
    print(f"{args.file}: ok, {len(file.values)} dimensions, {file.title!r}")
    return 0


COMMANDS = {"anatomy": cmd_anatomy, "worksheet": cmd_worksheet, "export": cmd_export,
            "measure": cmd_measure, "screenshot": cmd_screenshot, "image": cmd_image,
            "benchmark": cmd_benchmark, "lesson": cmd_lesson, "record": cmd_record}
