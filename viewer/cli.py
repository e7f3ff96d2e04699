"""Command line: open the viewer, export meshes, print measurements.

Every command accepts the pathology state options. Bad input produces one line on
stderr and exit status 2, never a traceback or a partial file.
"""

from __future__ import annotations

import argparse
import json
import sys

from meshes.pathology import SIDES, ZONES, Pathology, parse_herniation
from viewer.style import VIEWS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _ranged(name: str, convert, kind: str, lo, hi, unit: str = ""):
    """An argparse type: ``convert(text)`` within [lo, hi], one clear message otherwise."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be {kind} from {lo} to {hi}, got {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{name} must be from {lo} to {hi}{unit}, got {text}")
        return value

    return parse


_slip = _ranged("slip", float, "a number", 0, 150, " percent")
_cycles = _ranged("cycles", int, "a whole number", 1, 1000)
_degeneration = _ranged("degeneration", float, "a number", 0.0, 1.0)
_fps = _ranged("fps", int, "a whole number", 1, 60)
_seconds = _ranged("seconds", float, "a number", 0.5, 3600)
_render_scale = _ranged("render scale", float, "a number", 0.25, 1.0)


def _herniation(text: str) -> float:
    try:
        return parse_herniation(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _state_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("pathology state")
    g.add_argument("--slip", type=_slip, default=0.0, metavar="PERCENT", help="L5 slip, 0-150 %% of S1 depth")
    g.add_argument("--herniation", type=_herniation, default=0.0, metavar="STAGE",
                   help="none|bulge|protrusion|extrusion|sequestration or 0-1")
    g.add_argument("--degeneration", type=_degeneration, default=0.0, metavar="0..1",
                   help="degenerative disc disease: height loss, dehydration, osteophytes")
    g.add_argument("--zone", choices=ZONES, default="subarticular")
    g.add_argument("--side", choices=SIDES, default="left")


def _window_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lesson", metavar="FILE", default=None, help="open the viewer on a lesson (TOML)")
    p.add_argument("--render-scale", type=_render_scale, default=1.0, metavar="S",
                   help="render at S x the window's pixels and scale up, 0.25-1 (0.67 helps slow "
                        "machines on big projectors)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="l5s1-viewer", description="Teach the L5–S1 segment in 3D.")
    _state_options(parser)
    _window_options(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    run = sub.add_parser("run", help="open the viewer (the default)")
    _state_options(run)
    _window_options(run)
    ex = sub.add_parser("export", help="write one mesh file per structure and manifest.json")
    ex.add_argument("directory")
    ex.add_argument("--format", choices=("vtp", "stl", "ply", "obj", "glb"), default="vtp")
    _state_options(ex)
    sh = sub.add_parser("screenshot", help="render the scene offscreen to a PNG (no display needed)")
    sh.add_argument("file", metavar="FILE.png")
    sh.add_argument("--size", default="1920x1080", metavar="WxH", help="pixels, up to 8192x8192")
    sh.add_argument("--view", choices=tuple(VIEWS), default="oblique")
    sh.add_argument("--clip", choices=("sagittal", "axial"), default=None, help="cut the scene, capped")
    sh.add_argument("--labels", action="store_true", help="name the structures, with leader lines")
    _state_options(sh)
    be = sub.add_parser("benchmark", help="time the real window playing both toggles (needs a display)")
    be.add_argument("--size", default="1920x1080", metavar="WxH")
    be.add_argument("--cycles", type=_cycles, default=10, metavar="N")
    be.add_argument("--json", action="store_true", help="print JSON")
    _window_options(be)
    rec = sub.add_parser("record", help="record an animation or a lesson to MP4 or GIF (no display needed)")
    rec.add_argument("file", metavar="FILE.mp4|FILE.gif")
    what = rec.add_mutually_exclusive_group(required=True)
    what.add_argument("--animation", choices=("slip", "herniation", "degeneration"))
    what.add_argument("--lesson", metavar="FILE")
    rec.add_argument("--fps", type=_fps, default=25, metavar="N", help="frames per second, 1-60")
    rec.add_argument("--seconds", type=_seconds, default=None, metavar="S",
                     help="length (default: 6 s for an animation, the lesson's own durations)")
    rec.add_argument("--size", default="1280x720", metavar="WxH")
    rec.add_argument("--zone", choices=ZONES, default="subarticular")
    rec.add_argument("--side", choices=SIDES, default="left")
    le = sub.add_parser("lesson", help="list the bundled lessons, or check a lesson file")
    lesson_sub = le.add_subparsers(dest="lesson_command", parser_class=_Parser, required=True)
    lesson_sub.add_parser("list", help="the lessons that ship with the viewer")
    lc = lesson_sub.add_parser("check", help="validate a lesson: FILE:LINE: message for each problem")
    lc.add_argument("file", metavar="FILE")
    me = sub.add_parser("measure", help="print measurements taken from the geometry")
    me.add_argument("--json", action="store_true", help="print JSON")
    _state_options(me)
    return parser


def _pathology(args: argparse.Namespace) -> Pathology:
    return Pathology(args.slip, args.herniation, args.zone, args.side, args.degeneration)


def _posed(state: Pathology):
    """(structures, landmarks, posed, rest) for the state: the segment built and posed."""
    from meshes.pose import pose, posed_structures, prepare
    from meshes.segment import build_segment

    rest = prepare(build_segment())
    posed = pose(rest, state)
    return posed_structures(rest, posed), posed.landmarks, posed, rest


def cmd_export(args: argparse.Namespace) -> int:
    from meshes.export import ExportError, export
    from meshes.segment import REGIONS

    state = _pathology(args)
    structures, marks, _, _ = _posed(state)
    try:
        out = export(args.directory, structures, REGIONS, marks, state.as_dict(), args.format)
    except ExportError as exc:
        print(f"l5s1-viewer: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(structures)} structures to {out}")
    return 0


def format_readouts(r: dict) -> str:
    lines = [
        f"Slip                 {r['slip_percent']:6.1f} %   (Meyerding {r['meyerding_grade']})",
        f"Slip angle           {r['slip_angle_deg']:6.1f} deg",
        f"Disc height          {r['disc_height_anterior_mm']:6.1f} mm anterior, "
        f"{r['disc_height_posterior_mm']:.1f} mm posterior",
    ]
    for side in ("left", "right"):
        f = r["foramen"][side]
        lines.append(f"Foramen {side:5s}        {f['height_mm']:6.1f} mm high, {f['area_mm2']:.0f} mm²")
    for root, v in r["roots"].items():
        flag = "COMPRESSED" if v["compressed"] else "clear"
        lines.append(f"{root:20s} {v['clearance_mm']:6.2f} mm   {flag}")
    h = r["herniation"]
    lines.append(f"Herniation           {h['stage']} ({h['zone']}, {h['side']}), extent {h['extent_mm']:.1f} mm")
    return "\n".join(lines)


def cmd_measure(args: argparse.Namespace) -> int:
    from meshes.pose import readouts

    state = _pathology(args)
    _, _, posed, rest = _posed(state)
    # The same measurement the viewer's readouts show.
    r = readouts(rest, posed, state)
    print(json.dumps(r, indent=2) if args.json else format_readouts(r))
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from viewer.screenshot import ScreenshotError, check_target, parse_size, render, save_png

    try:
        size = parse_size(args.size)
        target = check_target(args.file)
    except ScreenshotError as exc:
        print(f"l5s1-viewer: error: {exc}", file=sys.stderr)
        return 2
    state = _pathology(args)
    _, _, posed, rest = _posed(state)
    image = render(rest, posed, size, args.view, labels=args.labels, clip=args.clip,
                   side=args.side)
    try:
        save_png(image, target)
    except OSError as exc:
        print(f"l5s1-viewer: error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {target} ({size[0]}x{size[1]}, {args.view} view)")
    return 0


def cmd_benchmark(args: argparse.Namespace) -> int:
    from viewer.screenshot import ScreenshotError, parse_size

    try:
        size = parse_size(args.size)
    except ScreenshotError as exc:
        print(f"l5s1-viewer: error: {exc}", file=sys.stderr)
        return 2
    from viewer.app import display_problem

    problem = display_problem()
    if problem:
        print(f"l5s1-viewer: error: benchmark opens the real window: {problem}", file=sys.stderr)
        return 2
    from viewer.benchmark import run

    return run(size, args.cycles, args.json, args.render_scale)


def cmd_lesson(args: argparse.Namespace) -> int:
    from annotations.lessons import LessonError, bundled
    from viewer.lesson_player import read as read_lesson

    if args.lesson_command == "list":
        for path in bundled():
            lesson = read_lesson(str(path))
            print(f"{path.stem:28s} {len(lesson.steps):3d} steps  {lesson.title}")
        return 0
    try:
        lesson = read_lesson(args.file)
    except LessonError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"{args.file}: ok, {len(lesson.steps)} steps, {lesson.title!r}")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from annotations.lessons import LessonError
    from viewer.lesson_player import read as read_lesson
    from viewer.recorder import RecordError, animation_frames, check_target, lesson_frames, record
    from viewer.screenshot import ScreenshotError, parse_size

    try:
        size = parse_size(args.size)
        check_target(args.file)
        if args.lesson:
            frames = lesson_frames(read_lesson(args.lesson), args.fps, args.seconds)
        else:
            frames = animation_frames(args.animation, args.fps, args.seconds or 6.0, args.zone, args.side)
        out = record(args.file, frames, args.fps, size)
    except LessonError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (ScreenshotError, RecordError) as exc:
        print(f"l5s1-viewer: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(frames)} frames, {size[0]}x{size[1]}, {args.fps} fps)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from annotations.lessons import LessonError
    from viewer.app import display_problem, run
    from viewer.lesson_player import read as read_lesson

    lesson = None
    if args.lesson:
        try:
            lesson = read_lesson(args.lesson)
        except LessonError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    problem = display_problem()
    if problem:
        print(f"l5s1-viewer: error: {problem}", file=sys.stderr)
        return 2
    return run(_pathology(args), args.render_scale, lesson)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "run"
    try:
        commands = {"export": cmd_export, "measure": cmd_measure, "screenshot": cmd_screenshot,
                    "benchmark": cmd_benchmark, "run": cmd_run, "lesson": cmd_lesson,
                    "record": cmd_record}
        return commands[command](args)
    except KeyboardInterrupt:
        return 130
