"""How long one animation frame of pathology takes: pose plus every readout.

    python benchmarks/pose.py [--frames N]

Plays what the viewer's toggles play (the slip to grade II, an extrusion in each zone,
both together, sequestration, flexion to extension healthy and at grade II) as N frames
each and prints, per animation and over all
frames, the median and 95th percentile of ``pose`` + ``readouts`` in milliseconds.
The target is a median of 5 ms or less. Compare figures from one run: the machine is
noisy.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from meshes.conditions import by_field
from meshes.pathology import STAGES, Pathology
from meshes.pose import pose, readouts
from meshes.preparation import prepare
from meshes.segment import build_segment


def animations(frames: int) -> dict[str, list[Pathology]]:
    ramp = np.linspace(0.0, 1.0, frames)
    slip = by_field("slip_percent").span  # the slip toggle's full swing
    out = {f"slip to grade II (0-{slip:g}%)": [Pathology(slip_percent=slip * f) for f in ramp]}
    for zone in ("central", "subarticular", "foraminal", "extraforaminal"):
        out[f"{zone} extrusion"] = [Pathology(herniation=STAGES["extrusion"] * f, zone=zone) for f in ramp]
    out["slip + subarticular extrusion"] = [
        Pathology(slip_percent=slip * f, herniation=STAGES["extrusion"] * f, zone="subarticular") for f in ramp
    ]
    out["sequestration (extrusion to fragment)"] = [
        Pathology(herniation=STAGES["extrusion"] + (1.0 - STAGES["extrusion"]) * f, zone="foraminal") for f in ramp
    ]
    out["flexion to extension (+1 to -1)"] = [Pathology(posture=1.0 - 2.0 * f) for f in ramp]
    out["bending at grade II"] = [Pathology(slip_percent=40.0, posture=1.0 - 2.0 * f) for f in ramp]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=60)
    args = ap.parse_args()
    rest = prepare(build_segment())
    every = []
    for name, states in animations(max(2, args.frames)).items():
        for state in states[:3]:  # warm the caches of this zone
            readouts(rest, pose(rest, state), state)
        times = []
        for state in states:
            t0 = time.perf_counter()
            readouts(rest, pose(rest, state), state)
            times.append(1000.0 * (time.perf_counter() - t0))
        every += times
        print(f"{name:40s} median {np.median(times):5.2f} ms  p95 {np.percentile(times, 95):5.2f} ms")
    print(f"{'all frames':40s} median {np.median(every):5.2f} ms  p95 {np.percentile(every, 95):5.2f} ms"
          f"  (target: median <= 5 ms)")


if __name__ == "__main__":
    main()
