"""Calibrate the L5 shape constants (meshes.vertebra_l5.ARCH, body shape) on the CT mean L5.

A modelling aid, not part of the product: it reads the reference shape from the
project's shared folder, aligns the current model to it, then lets scipy's Powell
search move the posterior-element bars and body-shape constants to reduce the
two-way surface distance. It prints the new table to paste into the module.

    python tools/calibrate_l5.py PATH/TO/L5_mean_shape.vtp [--iterations N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pprint

import numpy as np
import pyvista as pv
from scipy.ndimage import map_coordinates
from scipy.optimize import minimize

from meshes import vertebra_l5 as v
from meshes.anatomy import Anatomy
from meshes.fidelity import align, shape_distance
from meshes.implicit import Solid, sample

BODY_KEYS = ("waist", "kidney", "cupping", "rim", "exponent", "posterior_flat")


def pack(table, body) -> np.ndarray:
    vals = []
    for row in table:
        vals += [*row[3], *row[5], *row[6], *row[7]]
    vals += [getattr(body, k) for k in BODY_KEYS]
    return np.array(vals, float)


def unpack(x, table):
    rows, i = [], 0
    for row in table:
        oa, ob, w, h = x[i:i + 3], x[i + 3:i + 6], x[i + 6:i + 8], x[i + 8:i + 10]
        i += 10
        rows.append((row[0], row[1], row[2], tuple(oa), row[4], tuple(ob), tuple(np.abs(w)),
                     tuple(np.abs(h)), row[8], row[9]))
    body = dict(zip(BODY_KEYS, x[i:i + len(BODY_KEYS)], strict=False))
    return rows, body


def reference_in_model_frame(reference: pv.PolyData, model: pv.PolyData) -> pv.PolyData:
    matrix, _ = align(model, reference)
    return reference.transform(np.linalg.inv(matrix), inplace=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("--iterations", type=int, default=2)
    ap.add_argument("--maxfev", type=int, default=3000)
    ap.add_argument("--save", help="write the table as JSON after each pass")
    args = ap.parse_args()
    anatomy = Anatomy()
    reference = pv.read(args.reference)
    ref = reference_in_model_frame(reference, v.build_l5(anatomy))
    lo = np.array(ref.bounds[::2]) - 12
    hi = np.array(ref.bounds[1::2]) + 12
    step = 1.0
    dims = np.ceil((hi - lo) / step).astype(int) + 1
    grid = pv.ImageData(dimensions=dims, spacing=(step,) * 3, origin=lo)
    grid = grid.compute_implicit_distance(ref)
    ref_sdf = grid["implicit_distance"].reshape(dims[::-1]).transpose(2, 1, 0)
    ref_pts = ref.points

    def ref_distance(p):
        idx = ((p - lo) / step).T
        return map_coordinates(ref_sdf, idx, order=1, mode="nearest")

    table0 = v.ARCH
    body0 = v.L5Layout.of(anatomy).body

    def objective(x):
        table, body_kw = unpack(x, table0)
        try:
            body = dataclasses.replace(body0, **body_kw)
            front, back, lay = v.l5_solids(anatomy, table, body)
        except (ValueError, ZeroDivisionError):
            return 1e3
        solid = Solid(front.primitives + back.primitives)
        f_ref = np.abs(solid.evaluate(ref_pts))
        g = sample(solid, 1.2, box=(lo, hi))
        near = np.abs(g["sdf"]) < 0.6
        if not near.any():
            return 1e3
        d_model = np.abs(ref_distance(g.points[near]))
        return 0.5 * (f_ref.mean() + d_model.mean()) + 0.1 * np.percentile(f_ref, 95)

    x = pack(table0, body0)
    print("start", objective(x))
    for it in range(args.iterations):
        res = minimize(objective, x, method="Powell", options={"maxfev": args.maxfev, "xtol": 0.05, "ftol": 1e-4})
        x = res.x
        print("iteration", it, res.fun, flush=True)
        if args.save:
            table, body_kw = unpack(x, table0)
            with open(args.save, "w") as fh:
                json.dump({"arch": table, "body": {k: float(v) for k, v in body_kw.items()}}, fh, indent=1,
                          default=float)
    table, body_kw = unpack(x, table0)
    rounded = [
        (r[0], r[1], r[2], tuple(round(float(c), 1) for c in r[3]), r[4],
         tuple(round(float(c), 1) for c in r[5]), tuple(round(float(c), 1) for c in r[6]),
         tuple(round(float(c), 1) for c in r[7]), r[8], r[9]) for r in table
    ]
    pprint.pprint(rounded, width=110)
    print({k: round(float(val), 3) for k, val in body_kw.items()})
    body = dataclasses.replace(body0, **body_kw)
    model = v.build_l5(anatomy, arch_table=table, body=body)
    print(shape_distance(model, reference))


if __name__ == "__main__":
    main()
