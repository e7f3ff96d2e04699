"""Command line: open the viewer, export meshes, print measurements.

Every command accepts the pathology state options. Bad input produces one line on
stderr and exit status 2, never a traceback or a partial file.
"""

from __future__ import annotations

import argparse
import sys

from meshes.conditions import CONDITIONS, Condition
from meshes.modalities import FILMS as FILM_MODALITIES
from meshes.pathology import SIDES, ZONES
from viewer.qt.signals import CloseOnSignal
from viewer.state.model import AXIAL_CONVENTIONS


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


_cycles = _ranged("cycles", int, "a whole number", 1, 1000)
_fps = _ranged("fps", int, "a whole number", 1, 60)
_seconds = _ranged("seconds", float, "a number", 0.5, 3600)
_render_scale = _ranged("render scale", float, "a number", 0.25, 1.0)
_slice_mm = _ranged("slice", float, "a number of mm", -35.0, 35.0, " mm")
# As viewer.state.practice's MAX_SEED and MAX_QUESTIONS (not imported here: the command line starts light).
_seed = _ranged("seed", int, "a whole number", 0, 2**32 - 1)
_questions = _ranged("questions", int, "a whole number", 1, 50)


def _condition_value(condition: Condition):
    """An argparse type reading a condition's value (``Condition.read``), one line on error."""

    def parse(text: str) -> float:
        try:
            return condition.read(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


# Options a subcommand may also take before its name (``l5s1-viewer --slip 30 measure``):
# name -> default. Each command states which of them it accepts; one given before a command
# that does not accept it, or given both before and after, is an error, never ignored.
# The conditions' options come from the registry (``meshes.conditions``), one per entry.
SHARED_DEFAULTS = {**{c.name: c.rest for c in CONDITIONS}, "zone": "subarticular", "side": "left",
                   "lesson": None, "render_scale": 1.0, "axial": "radiological", "anatomy": None, "set": []}
STATE = (*(c.name for c in CONDITIONS), "zone", "side")
ANATOMY = ("anatomy", "set")  # the segment's dimensions: a file, then single values
WINDOW = ("lesson", "render_scale")
VIEW = ("axial",)  # how the pictures are seen
BEFORE = "before_"  # dest prefix of the options given before the subcommand
# The shared options each command accepts.
ACCEPTS = {
    "run": STATE + WINDOW + VIEW + ANATOMY,
    "export": STATE + ANATOMY,
    "measure": STATE + ANATOMY,
    "screenshot": STATE + VIEW + ANATOMY,
    "image": STATE + ANATOMY,
    "record": ("zone", "side") + VIEW + ANATOMY,
    "benchmark": ("render_scale",),
    "lesson": (),
    "practice": ANATOMY,
    "worksheet": ANATOMY,
    "anatomy": (),
}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _shared_specs() -> dict[str, dict]:
    return {
        **{c.name: {"type": _condition_value(c), "metavar": c.metavar, "help": c.help} for c in CONDITIONS},
        "zone": {"choices": ZONES, "help": "where the herniation points (default subarticular)"},
        "side": {"choices": SIDES, "help": "the herniation's side (default left)"},
        "lesson": {"metavar": "FILE", "help": "open the viewer on a lesson (TOML)"},
        "axial": {"choices": AXIAL_CONVENTIONS,
                  "help": "the axial view and cut seen from the feet, the patient's right on the screen's left, as "
                          "CT and MR slices are (radiological, the default), or from above, as in anatomy atlases "
                          "(anatomical)"},
        "anatomy": {"metavar": "PRESET|FILE.toml",
                    "help": "build the segment with these dimensions: a bundled preset (narrow-canal, small-adult, "
                            "...) or a TOML file; `anatomy list` names them"},
        "set": {"action": "append", "metavar": "NAME=VALUE",
                "help": "set one dimension, after any --anatomy file (repeatable): --set l5_canal_depth=11"},
        "render_scale": {"type": _render_scale, "metavar": "S",
                         "help": "render at S x the window's pixels and scale up, 0.25-1 (0.67 helps slow "
                                 "machines on big projectors)"},
    }


def _shared_options(p: argparse.ArgumentParser, names, prefix: str = "") -> None:
    """Add the shared options ``names``; unset ones stay absent, so a merge can tell."""
    specs = _shared_specs()
    state = p.add_argument_group("pathology state")
    anatomy = p.add_argument_group("anatomy") if any(n in ANATOMY for n in names) else None
    for name in names:
        group = state if name in STATE else anatomy if name in ANATOMY else p
        group.add_argument(_flag(name), dest=prefix + name, default=argparse.SUPPRESS, **specs[name])


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("l5s1-viewer")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    from viewer.scene.style import VIEWS

    parser = _Parser(prog="l5s1-viewer", description="Teach the L5–S1 segment in 3D.",
                     epilog="The pathology and window options may also come before the command's name.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    _shared_options(parser, SHARED_DEFAULTS, prefix=BEFORE)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    run = sub.add_parser("run", help="open the viewer (the default)")
    _shared_options(run, ACCEPTS["run"])
    ex = sub.add_parser("export", help="write one mesh file per structure and manifest.json "
                                       "(glb: also segment.glb, the whole scene)")
    ex.add_argument("directory")
    ex.add_argument("--format", choices=("vtp", "stl", "ply", "obj", "glb"), default="vtp")
    _shared_options(ex, ACCEPTS["export"])
    sh = sub.add_parser("screenshot", help="render the scene offscreen to a PNG (no display needed)")
    sh.add_argument("file", metavar="FILE.png")
    sh.add_argument("--size", default="1920x1080", metavar="WxH", help="pixels, up to 8192x8192")
    sh.add_argument("--view", choices=tuple(VIEWS), default="oblique")
    sh.add_argument("--clip", choices=("sagittal", "axial"), default=None, help="cut the scene, capped")
    sh.add_argument("--labels", action="store_true", help="name the structures, with leader lines")
    _shared_options(sh, ACCEPTS["screenshot"])
    im = sub.add_parser("image", help="a computed radiograph of the state to a PNG (no display needed)")
    im.add_argument("file", metavar="FILE.png")
    im.add_argument("--modality", choices=FILM_MODALITIES, required=True)
    im.add_argument("--overlay", action=argparse.BooleanOptionalAction, default=None,
                    help="draw Meyerding's quarters, the slip and the slip angle on the lateral film, or name the "
                         "Scottie dog's parts on an oblique (the default); --no-overlay leaves them for the students")
    im.add_argument("--size", default="768x768", metavar="WxH", help="pixels, 16 to 4096 a side")
    im.add_argument("--slice", type=_slice_mm, default=None, metavar="MM", dest="slice_mm",
                    help="move an MRI slice MM from its standard plane: a sagittal or foraminal one toward the "
                         "patient's right (negative: left), the axial one toward the head (negative: the feet)")
    _shared_options(im, ACCEPTS["image"])
    be = sub.add_parser("benchmark", help="time the real window playing both toggles (needs a display)")
    be.add_argument("--size", default="1920x1080", metavar="WxH")
    be.add_argument("--cycles", type=_cycles, default=10, metavar="N")
    be.add_argument("--json", action="store_true", help="print JSON")
    be.add_argument("--film", choices=FILM_MODALITIES, default=None,
                    help="also time the window with the imaging pane open on this film, and give the ratio")
    _shared_options(be, ACCEPTS["benchmark"])
    rec = sub.add_parser("record", help="record an animation or a lesson to MP4 or GIF (no display needed)")
    rec.add_argument("file", metavar="FILE.mp4|FILE.gif")
    what = rec.add_mutually_exclusive_group(required=True)
    what.add_argument("--animation", choices=tuple(c.name for c in CONDITIONS))
    what.add_argument("--lesson", metavar="FILE", dest="record_lesson")
    rec.add_argument("--fps", type=_fps, default=25, metavar="N", help="frames per second, 1-60")
    rec.add_argument("--seconds", type=_seconds, default=None, metavar="S",
                     help="length (default: 6 s for an animation, the lesson's own durations)")
    rec.add_argument("--size", default=None, metavar="WxH", help="pixels (default 1280x720, a film 720x720)")
    rec.add_argument("--modality", choices=FILM_MODALITIES, default=None,
                     help="record this film of each frame (a radiograph or T2 slice) instead of the 3D scene")
    rec.add_argument("--overlay", action=argparse.BooleanOptionalAction, default=None,
                     help="with --modality xray-lateral or an oblique: draw the overlay (the default) or not")
    rec.add_argument("--slice", type=_slice_mm, default=None, metavar="MM", dest="slice_mm",
                     help="with an MRI --modality: the slice's place, as for 'image'")
    _shared_options(rec, ACCEPTS["record"])
    le = sub.add_parser("lesson", help="list the bundled lessons, or check a lesson file")
    lesson_sub = le.add_subparsers(dest="lesson_command", parser_class=_Parser, required=True)
    lesson_sub.add_parser("list", help="the lessons that ship with the viewer")
    lc = lesson_sub.add_parser("check", help="validate a lesson: FILE:LINE: message for each problem")
    lc.add_argument("file", metavar="FILE")
    pr = sub.add_parser("practice", help="a practice quiz of random cases: keys 1-4 answer, PageDown moves on "
                                         "(needs a display)")
    ws = sub.add_parser("worksheet", help="print a practice quiz to a PDF with an answer key (no display needed)")
    ws.add_argument("file", metavar="OUT.pdf")
    for p in (pr, ws):
        p.add_argument("--seed", type=_seed, default=None, metavar="N",
                       help="draw the same questions again (default: a new draw, shown)")
        p.add_argument("--questions", type=_questions, default=10, metavar="K", help="how many, 1-50 (default 10)")
    an = sub.add_parser("anatomy", help="list the segment's dimensions, or check an anatomy file")
    anatomy_sub = an.add_subparsers(dest="anatomy_command", parser_class=_Parser, required=True)
    anatomy_sub.add_parser("list", help="each dimension with its default, range, unit and source")
    ac = anatomy_sub.add_parser("check", help="validate an anatomy file: FILE:LINE: message for each problem")
    ac.add_argument("file", metavar="FILE")
    me = sub.add_parser("measure", help="print measurements taken from the geometry")
    me.add_argument("--json", action="store_true", help="print JSON")
    _shared_options(me, ACCEPTS["measure"])
    return parser


def resolve_shared(args: argparse.Namespace, command: str) -> str | None:
    """Merge the shared options given before the command into ``args``; fill the defaults.

    Records the names given explicitly (either place) in ``args.given``. Returns a one-line
    problem, or None.
    """
    args.given = set()
    for name, default in SHARED_DEFAULTS.items():
        before = getattr(args, BEFORE + name, argparse.SUPPRESS)
        after = getattr(args, name, argparse.SUPPRESS)
        if hasattr(args, BEFORE + name):
            delattr(args, BEFORE + name)
        given_before = before is not argparse.SUPPRESS
        given_after = after is not argparse.SUPPRESS
        if given_before and name not in ACCEPTS[command]:
            return f"{_flag(name)} does not apply to '{command}'"
        if given_before and given_after:
            return f"{_flag(name)} is given both before and after '{command}'; give it once"
        if given_before or given_after:
            args.given.add(name)
        setattr(args, name, after if given_after else before if given_before else default)
    return None


def main(argv: list[str] | None = None) -> int:
    # Before numpy, VTK or Qt load: a Ctrl+C while the viewer starts closes it cleanly.
    closer = CloseOnSignal()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        command = args.command or "run"
        problem = resolve_shared(args, command)
        if problem:
            parser.error(problem)
        from annotations.lessons import LessonError
        from meshes.anatomy_file import AnatomyFileError
        from viewer.commands import COMMANDS, UsageError, cmd_practice, cmd_run

        try:
            if command == "run":
                return cmd_run(args, closer)
            if command == "practice":
                return cmd_practice(args, closer)
            closer.restore()  # the other commands stop at Ctrl+C like any command
            if closer.requested:
                return 130
            return COMMANDS[command](args)
        except (LessonError, AnatomyFileError) as exc:  # every problem of the file, FILE:LINE: message a line
            print(str(exc), file=sys.stderr)
            return 2
        except UsageError as exc:  # the one usage-error path: one line, status 2, nothing written
            print(f"l5s1-viewer: error: {exc}", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`measure | head`): stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        closer.restore()
