"""Two anatomies side by side with the same pathology (for the README), each captioned with its
title and what its S1 roots measure.

    python tools/shoot_anatomy_pair.py OUT.png [--left average-adult] [--right narrow-canal]
        [--herniation 0.2] [--zone central] [--view axial] [--clip axial] [--size 800x720]

Renders offscreen through the window's scene adapter and frame pipeline
(``viewer.output.screenshot.render``), labelled, with the orientation letters; the captions'
numbers are the readouts of that frame.
"""

from __future__ import annotations

import argparse

import numpy as np


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--left", default="average-adult")
    ap.add_argument("--right", default="narrow-canal")
    ap.add_argument("--herniation", type=float, default=0.2)
    ap.add_argument("--zone", default="central")
    ap.add_argument("--view", default="axial")
    ap.add_argument("--clip", default="axial")
    ap.add_argument("--size", default="800x720")
    args = ap.parse_args()

    from annotations.anatomy import resolve
    from meshes.pathology import Pathology
    from meshes.pose import pose, readouts
    from meshes.preparation import prepare
    from meshes.segment import build_segment
    from viewer.output.screenshot import parse_size, render, save_png
    from viewer.state.model import SceneModel

    size = parse_size(args.size)
    state = Pathology(herniation=args.herniation, zone=args.zone)
    halves = []
    for name in (args.left, args.right):
        chosen = resolve(name)
        rest = prepare(build_segment(chosen.anatomy))
        measured = readouts(rest, pose(rest, state), state)
        roots = measured["roots"]
        words = [f"dural sac {measured['dural_sac_area_mm2']:.0f} mm² at the disc"]
        for side in ("left", "right"):
            gap = roots[f"root_S1_{side}"]["clearance_mm"]
            words.append(f"S1 {side} {'pressed' if gap < 0 else 'clear'} {gap:+.1f} mm")
        model = SceneModel.for_rest(rest, state, view=args.view, clip=args.clip, labels=True)
        caption = f"{chosen.title}\nthe same small {args.zone} {state.stage}\n" + "\n".join(words)
        halves.append(render(rest, model, size, caption=caption))
    gap = np.full((size[1], 6, 3), 255, np.uint8)
    from pathlib import Path

    save_png(np.hstack([halves[0][:, :, :3], gap, halves[1][:, :, :3]]), Path(args.out))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
