"""Fit the sacrum's section table (meshes.sacrum_section) to a real sacrum.

A modelling aid, not part of the product. It reads the reference sacrum (mm, RAS, origin
at its S1 endplate centre, standing at ``--slope`` degrees of sacral slope), turns it into
the S1 frame, samples its signed distance on a grid, and gives every grid point its place
along the body column (``t``) and from it (``v``). For each level of the table, the points
in that level's slab fix the section: scipy's Powell search moves the section's parts until
their soft occupancy matches the reference's. Each level starts from the one above it, so
neighbouring sections stay alike. Prints the table to paste into the module, and the
surface distance of the result both ways.

    python tools/calibrate_sacrum.py PATH/TO/sacrum_VHM.vtp [--levels-only 0:5] [--save FILE]
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pyvista as pv
from scipy.optimize import minimize

from meshes.frames import rotation_x
from meshes.sacrum_section import LEVEL_STEP, N_PARAMS, section_field
from meshes.sacrum_sweep import SacrumShape

TAU = 0.6  # mm: softness of the occupancy compared


def reference_in_s1_frame(path: str, slope: float) -> pv.PolyData:
    return pv.read(path).transform(rotation_x(slope), inplace=False)


def sampled_reference(ref: pv.PolyData, spacing: float = 1.0):
    lo = np.array(ref.bounds[::2]) - 10.0
    hi = np.array(ref.bounds[1::2]) + 10.0
    dims = np.ceil((hi - lo) / spacing).astype(int) + 1
    grid = pv.ImageData(dimensions=dims, spacing=(spacing,) * 3, origin=lo)
    grid = grid.compute_implicit_distance(ref)
    return np.asarray(grid.points), np.asarray(grid["implicit_distance"])


def soft(d: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(np.clip(d / TAU, -40, 40)))


def fit_level(x, v, sdf, start, bounds, maxfev, previous=None, stiffness=0.0):
    target = soft(sdf)
    span = bounds[:, 1] - bounds[:, 0]

    def loss(params):
        params = np.clip(params, bounds[:, 0], bounds[:, 1])
        rows = np.broadcast_to(params, (len(x), N_PARAMS))
        f = section_field(x, v, rows)
        fit = float(np.mean((soft(f) - target) ** 2))
        if previous is not None:
            fit += stiffness * float(np.mean(((params - previous) / span) ** 2))
        return fit

    res = minimize(loss, start, method="Powell", bounds=bounds,
                   options={"maxfev": maxfev, "xtol": 0.02, "ftol": 1e-6})
    return np.clip(res.x, bounds[:, 0], bounds[:, 1]), res.fun


BOUNDS = np.array([
    (-15, 15), (3, 45), (2, 25), (2, 6),          # body
    (5, 70), (-20, 40), (2, 40), (2, 30), (2, 6), (-1.2, 1.2),  # wing
    (0, 55), (2, 45), (1, 15), (2, 6),            # roof
    (-5, 45), (0.5, 25), (0.5, 15),               # canal
    (0.5, 8),                                     # blend
], float)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("--slope", type=float, default=39.0)
    ap.add_argument("--maxfev", type=int, default=4000)
    ap.add_argument("--save", default="/tmp/sacrum_table.json")
    ap.add_argument("--start", help="a saved table to start from")
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--stiffness", type=float, default=0.02, help="pull toward the level above")
    args = ap.parse_args()
    ref = reference_in_s1_frame(args.reference, args.slope)
    pts, sdf = sampled_reference(ref)
    shape = SacrumShape.default()
    t, v = shape.frame(pts[:, 1], pts[:, 2])
    levels = shape.levels
    table = np.array(shape.table)
    if args.start:
        table = np.array(json.load(open(args.start))["table"])
    half = 0.5 * LEVEL_STEP
    for _ in range(args.passes):
        for k, level in enumerate(levels):
            near = (np.abs(t - level) < half) & (pts[:, 0] >= 0) & (v > -40) & (v < 65)
            start = table[k] if args.start or k == 0 else table[k - 1]
            if args.start or _ > 0:  # later passes: pulled toward both neighbours
                previous = 0.5 * (table[max(k - 1, 0)] + table[min(k + 1, len(levels) - 1)])
            else:
                previous = None if k == 0 else table[k - 1]
            params, err = fit_level(pts[near, 0], v[near], sdf[near], start, BOUNDS, args.maxfev, previous,
                                    args.stiffness)
            table[k] = params
            print(f"level {level:6.1f}: loss {err:.4f}", flush=True)
            json.dump({"levels": levels.tolist(), "table": table.tolist()}, open(args.save, "w"))
    np.set_printoptions(precision=2, suppress=True, linewidth=200)
    print(repr(np.round(table, 2)))


if __name__ == "__main__":
    main()
