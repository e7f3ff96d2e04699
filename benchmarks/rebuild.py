"""How long the window's anatomy rebuild takes, stage by stage, and how long it holds the GUI back.

    PYTHONPATH=. python benchmarks/rebuild.py [--repeat N]

For each bundled preset (after one warm-up build): the median over N rebuilds of building the
segment (``meshes.segment.build_segment``), preparing it for posing (``meshes.preparation``),
checking it can be drawn (``viewer.state.validity``), and posing and measuring one frame, the
sum being what ``viewer.qt.rebuild`` does before the swap. Then one rebuild runs on a worker
thread, as in the window, while the main thread wakes every 5 ms: the longest it waited is how
long the window could not answer. Compare figures from one run: the machine is noisy.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from annotations.anatomy import presets, resolve
from meshes.pathology import Pathology
from meshes.pose import pose, readouts
from meshes.preparation import prepare
from meshes.segment import build_segment
from viewer.state.validity import problems


def stages(anatomy) -> dict[str, float]:
    """Seconds spent in each stage of one rebuild."""
    out = {}
    t = time.perf_counter()
    segment = build_segment(anatomy)
    out["build"] = time.perf_counter() - t
    t = time.perf_counter()
    rest = prepare(segment)
    out["prepare"] = time.perf_counter() - t
    t = time.perf_counter()
    problems(rest)
    out["check"] = time.perf_counter() - t
    t = time.perf_counter()
    state = Pathology(herniation=0.5)
    readouts(rest, pose(rest, state), state)
    out["pose+readouts"] = time.perf_counter() - t
    out["total"] = sum(out.values())
    return out


def longest_wait(anatomy) -> tuple[float, float]:
    """(seconds the rebuild took on a worker thread, longest gap between the main thread's 5 ms wakes)."""
    done = threading.Event()
    took = []

    def work() -> None:
        took.append(stages(anatomy)["total"])
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    gaps, last = [], time.perf_counter()
    while not done.is_set():
        time.sleep(0.005)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    return took[0], max(gaps)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    stages(resolve("average-adult").anatomy)
    print(f"{'preset':24s} {'build':>7s} {'prepare':>8s} {'check':>7s} {'pose+read':>10s} {'total':>7s}  (s, median)")
    for name in presets():
        anatomy = resolve(name).anatomy
        runs = [stages(anatomy) for _ in range(max(1, args.repeat))]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{name:24s} {med['build']:7.3f} {med['prepare']:8.3f} {med['check']:7.3f} "
              f"{med['pose+readouts']:10.3f} {med['total']:7.3f}")
    took, gap = longest_wait(resolve("narrow-canal").anatomy)
    print(f"on a worker thread: rebuild {took:.3f} s; the main thread waited at most {1000 * gap:.0f} ms")


if __name__ == "__main__":
    main()
