"""Screenshot the practice window at one question, asked or answered (for the README).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tools/shoot_practice.py OUT.png --seed N
        [--kind unstable] [--answer K] [--presenter]

Opens a session of the seed, moves to the first question of ``--kind`` (answering each question
before it with its right choice), optionally answers it with choice ``K`` (1-4), and grabs the
screen.
"""

from __future__ import annotations

import argparse
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--kind", default=None, help="grade, root, signs, structure or unstable")
    ap.add_argument("--answer", type=int, default=0, help="answer with this choice (1-4); 0: leave it asked")
    ap.add_argument("--presenter", action="store_true")
    args = ap.parse_args()

    from PyQt6.QtCore import QTimer
    from PyQt6.QtWidgets import QApplication

    from viewer.qt.practice import PracticeWindow
    from viewer.state.practice import PracticeSession

    app = QApplication(sys.argv[:1])
    session = PracticeSession(args.seed, args.questions)
    window = PracticeWindow(session)
    window.setGeometry(app.primaryScreen().geometry())
    window.show()
    if args.presenter:
        window.toggle_presenting()
    while args.kind and session.question is not None and session.question.kind != args.kind:
        window.choose(session.question.answer)
        window.next()
    if session.question is None:
        print(f"no {args.kind} question in seed {args.seed}", file=sys.stderr)
        return 2
    if args.answer:
        window.choose(args.answer - 1)

    def shoot() -> None:
        app.processEvents()
        app.primaryScreen().grabWindow(0).save(args.out)
        print(f"wrote {args.out}")
        window.close()
        app.quit()

    QTimer.singleShot(1500, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
