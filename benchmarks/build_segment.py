"""How long building the default L5–S1 segment takes, in total and per stage.

    python benchmarks/build_segment.py [--repeat N]

Prints the median over N builds (after one warm-up build) and, for the last build,
the time spent in each stage. Compare figures from one run: the machine is noisy.
"""

from __future__ import annotations

import argparse
import statistics
import time

from meshes.anatomy import Anatomy
from meshes.segment import build_segment


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    anatomy = Anatomy()
    build_segment(anatomy)
    times = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        seg = build_segment(anatomy)
        times.append(time.perf_counter() - t0)
    print(f"build_segment: median {statistics.median(times):.3f} s, min {min(times):.3f} s over {len(times)} builds")
    for stage, seconds in seg.timings.items():
        print(f"  {stage:12s} {seconds:.3f} s")


if __name__ == "__main__":
    main()
