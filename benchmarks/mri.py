"""How long one MRI-like T2 slice of a posed state takes, per slice.

    python benchmarks/mri.py [--repeats N] [--size WxH]

Poses a grade II slip with a degenerated disc and a left subarticular extrusion, and times
``t2_slice`` for each of the four planes (``posed_structures`` is done once, as the imaging
pane does once a frame for every slice it shows), printing the median and 95th percentile
in milliseconds. The target is a median of 30 ms or less at 512x512. Compare figures from
one run: the machine is noisy.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from meshes.mri import t2_slice
from meshes.pathology import STAGES, Pathology
from meshes.pose import pose, posed_structures
from meshes.preparation import prepare
from meshes.segment import build_segment
from meshes.slice_planes import slice_planes


def milliseconds(run, repeats: int) -> list[float]:
    """Wall time of ``run()`` (ms), ``repeats`` times after one warm-up call."""
    run()
    out = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        run()
        out.append(1000.0 * (time.perf_counter() - start))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--size", default="512x512")
    args = ap.parse_args()
    size = tuple(int(s) for s in args.size.lower().split("x"))
    rest = prepare(build_segment())
    state = Pathology(slip_percent=40.0, herniation=STAGES["extrusion"] + 0.05, zone="subarticular", side="left",
                      degeneration=0.6)
    posed = pose(rest, state)
    once = milliseconds(lambda: posed_structures(rest, posed), args.repeats)
    print(f"{'posed_structures (once a frame)':34s} median {np.median(once):6.2f} ms")
    structures = posed_structures(rest, posed)
    rows = {name: milliseconds(lambda plane=plane: t2_slice(rest, posed, structures, plane, size=size), args.repeats)
            for name, plane in slice_planes(rest, posed).items()}
    rows["all slices"] = [t for times in rows.values() for t in times]
    for name, times in rows.items():
        print(f"{name:34s} median {np.median(times):6.2f} ms  p95 {np.percentile(times, 95):6.2f} ms")
    print(f"target: median <= 30 ms a slice at 512x512 (this run: {args.size})")


if __name__ == "__main__":
    main()
