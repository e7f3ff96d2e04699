"""Screenshot of the real viewer window, for the README and for looking at the program.

Run under a virtual screen the size of a projector:

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/shoot_window.py docs/window.png \
        --herniation 0.75 --zone foraminal --clip axial --select root_L5_left

It opens the same MainWindow as `make run`, applies the state, waits for animations and
the camera glide to settle, then grabs the X screen (what `import -window root` gives).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--slip", type=float, default=0.0)
    ap.add_argument("--herniation", type=float, default=0.0)
    ap.add_argument("--posture", type=float, default=0.0, help="-1 full extension to +1 full flexion")
    ap.add_argument("--zone", default="subarticular")
    ap.add_argument("--side", default="left")
    ap.add_argument("--view", default=None)
    ap.add_argument("--clip", default=None)
    ap.add_argument("--select", default=None)
    ap.add_argument("--ghost", action="store_true")
    ap.add_argument("--film", default=None, help="show the imaging pane with this film (xray-lateral, ...)")
    ap.add_argument("--slice", type=float, default=0.0, help="move the MRI film's slice (mm)")
    ap.add_argument("--lesson", default=None, help="open this lesson")
    ap.add_argument("--step", type=int, default=1, help="lesson step (from 1)")
    ap.add_argument("--presenter", action="store_true", help="presenter mode (fullscreen, overlays)")
    ap.add_argument("--anatomy", default=None, help="choose this anatomy preset in the Anatomy tab (shown)")
    ap.add_argument("--wait-ms", type=int, default=1000, help="after the animations and the camera settle")
    args = ap.parse_args()

    from PyQt6.QtCore import QTimer
    from PyQt6.QtWidgets import QApplication

    from meshes.preparation import prepare
    from meshes.segment import build_segment
    from viewer.qt.window import MainWindow
    from viewer.state.model import SceneModel

    app = QApplication(sys.argv[:1])
    rest = prepare(build_segment())
    model = SceneModel.for_rest(rest)
    window = MainWindow(rest, model)
    screen = app.primaryScreen().geometry()
    window.setGeometry(screen)
    window.show()
    model.set("zone", args.zone)
    model.set("side", args.side)
    if args.slip:
        window.animator.animate("slip_percent", args.slip)
    if args.herniation:
        window.animator.animate("herniation", args.herniation)
    if args.posture:
        window.animator.animate("posture", args.posture)
    if args.clip:
        window.set_clip(args.clip)
    if args.view:
        model.set("view", args.view)
    if args.select:
        model.set("selection", args.select)
    if args.ghost:
        model.set("ghost_bones", True)
    if args.film:
        model.set("film", args.film)
        model.set("slice_mm", args.slice)
    if args.lesson:
        window.lesson_dock.open_lesson(args.lesson)
        window.player.go(args.step - 1)
    if args.presenter:
        window.presenter.toggle(True)
    if args.anatomy:
        from viewer.state.anatomy_choice import preset

        window.anatomy_dock.raise_()
        model.anatomy = preset(args.anatomy)

    def shoot() -> None:
        if args.anatomy:
            window.anatomy_dock.raise_()  # (a pressed root brings "Where it hurts" forward)
        window.canvas.render()
        app.processEvents()
        app.primaryScreen().grabWindow(0).save(args.out)
        print(f"wrote {args.out}")
        window.close()
        app.quit()

    def settled() -> bool:
        gliding = window.director.animation.state() == window.director.animation.State.Running
        return (not window.animator.running() and not gliding and window.imaging.settled()
                and not window.rebuilder.busy)

    def shoot_when_settled() -> None:
        # A busy machine animates slowly: wait for the state asked for, not for a fixed time.
        if settled():
            QTimer.singleShot(args.wait_ms, shoot)
        else:
            QTimer.singleShot(100, shoot_when_settled)

    QTimer.singleShot(100, shoot_when_settled)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
