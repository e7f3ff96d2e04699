"""How long one computed radiograph of a posed state takes, per film, at 512 x 512.

    python benchmarks/radiograph.py [--repeat N] [--size PX]

Poses the segment along the slip toggle's swing and, for each film (lateral, AP, both
obliques), times ``radiograph`` (the posed surfaces rasterised and attenuated) over N states,
after one warm-up call that compiles the rasteriser. Prints the median and 95th percentile
in milliseconds; the target is a median of 60 ms or less at 512 x 512. The posing itself is
not counted (the frame pipeline has done it for the 3D scene already). Compare figures from
one run: the machine is noisy.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from meshes.conditions import by_field
from meshes.pathology import Pathology
from meshes.pose import pose, posed_structures
from meshes.preparation import prepare
from meshes.radiograph import MODALITIES, projection, radiograph
from meshes.segment import build_segment


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="posed states per film (default 20)")
    ap.add_argument("--size", type=int, default=512, help="film side in pixels (default 512)")
    args = ap.parse_args()
    rest = prepare(build_segment())
    slip = by_field("slip_percent").span
    states = []
    for f in np.linspace(0.0, 1.0, max(2, args.repeat)):
        posed = pose(rest, Pathology(slip_percent=slip * f))
        states.append((posed, posed_structures(rest, posed)))
    size = (args.size, args.size)
    radiograph(rest, states[0][1], projection("xray-lateral", states[0][0].landmarks), size)  # compile
    print(f"{'film':22s} {'median ms':>10s} {'p95 ms':>8s}")
    for name in MODALITIES:
        times = []
        for posed, structures in states:
            film = projection(name, posed.landmarks)
            t0 = time.perf_counter()
            radiograph(rest, structures, film, size)
            times.append(1000.0 * (time.perf_counter() - t0))
        print(f"{name:22s} {np.median(times):10.1f} {np.percentile(times, 95):8.1f}")


if __name__ == "__main__":
    main()
