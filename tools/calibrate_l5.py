"""Calibrate the L5 shape constants (meshes.l5_proportions.ARCH, body shape) on the CT mean L5.

A modelling aid, not part of the product: it reads the reference shape from the
project's shared folder, aligns the current model to it, then lets scipy's Powell
search move the posterior-element bars and body-shape constants to reduce the
two-way surface distance. It prints the new table to paste into the module.

    python tools/calibrate_l5.py PATH/TO/L5_mean_shape.vtp [--iterations N]
        [--regions lamina,pars] [--fixed-body] [--facets]

``--regions`` frees only the rows of those regions (the others keep their shape, e.g. a
process reshaped by hand); ``--facets`` trims the arch by the segment's facet joint planes
while fitting, as the displayed L5 is.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pprint

import numpy as np
import pyvista as pv
from scipy.ndimage import map_coordinates
from scipy.optimize import minimize

from meshes import vertebra_l5 as v
from meshes.anatomy import Anatomy
from meshes.fidelity import align, shape_distance
from meshes.implicit import Solid, sample
from meshes.l5_proportions import ARCH, L5Layout

BODY_KEYS = ("waist", "kidney", "cupping", "rim", "exponent", "posterior_flat")


def pack(table, body, free) -> np.ndarray:
    vals = []
    for row, moves in zip(table, free, strict=True):
        if moves:
            vals += [*row[3], *row[5], *row[6], *row[7]]
    if body is not None:
        vals += [getattr(body, k) for k in BODY_KEYS]
    return np.array(vals, float)


def unpack(x, table, free, fit_body=True):
    rows, i = [], 0
    for row, moves in zip(table, free, strict=True):
        if not moves:
            rows.append(row)
            continue
        oa, ob, w, h = x[i:i + 3], x[i + 3:i + 6], x[i + 6:i + 8], x[i + 8:i + 10]
        i += 10
        rows.append((row[0], row[1], row[2], tuple(oa), row[4], tuple(ob), tuple(np.abs(w)),
                     tuple(np.abs(h)), row[8], row[9]))
    body = dict(zip(BODY_KEYS, x[i:i + len(BODY_KEYS)], strict=False)) if fit_body else {}
    return rows, body


def canal_penalty(solid: Solid, lay, anatomy: Anatomy) -> float:
    """Cost of a canal narrower or shallower than the published means (ANATOMY.md): the
    fit may not buy closeness to one mean shape by closing the canal the roots live in."""
    xs = np.linspace(-25.0, 25.0, 201)
    mid = 0.5 * (lay.body_back + lay.lamina_front)
    across = np.c_[xs, np.full_like(xs, mid), np.full_like(xs, lay.pedicle_z)]
    ys = np.linspace(lay.body_back + 2.0, lay.lamina_front - 8.0, 201)
    along = np.c_[np.zeros_like(ys), ys, np.full_like(ys, lay.pedicle_z - 5.0)]
    cost = 0.0
    for points, step, wanted in ((across, xs[1] - xs[0], anatomy.l5_canal_width),
                                 (along, ys[0] - ys[1], anatomy.l5_canal_depth)):
        free = solid.evaluate(points) > 0.0
        c = len(points) // 2
        lo = next((i for i in range(c, -1, -1) if not free[i]), 0)
        hi = next((i for i in range(c, len(points)) if not free[i]), len(points) - 1)
        cost += max(0.0, wanted - 1.0 - (hi - lo - 1) * abs(step))
    return cost


def reference_in_model_frame(reference: pv.PolyData, model: pv.PolyData) -> pv.PolyData:
    matrix, _ = align(model, reference)
    return reference.transform(np.linalg.inv(matrix), inplace=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("--iterations", type=int, default=2)
    ap.add_argument("--maxfev", type=int, default=3000)
    ap.add_argument("--save", help="write the table as JSON after each pass")
    ap.add_argument("--regions", help="comma-separated regions whose rows may move (default: all)")
    ap.add_argument("--fixed-body", action="store_true", help="keep the body-shape constants")
    ap.add_argument("--facets", action="store_true", help="trim the arch by the segment's facet planes")
    args = ap.parse_args()
    if not os.path.isfile(args.reference):
        ap.error(f"no such reference file: {args.reference}")
    table0 = ARCH
    wanted = {r for r in args.regions.split(",") if r} if args.regions else None
    known = {row[0] for row in table0}
    if wanted is not None and not wanted <= known:
        ap.error(f"--regions: no row for {', '.join(sorted(wanted - known))} (rows: {', '.join(sorted(known))})")
    free = [wanted is None or row[0] in wanted for row in table0]
    fit_body = not args.fixed_body
    if not any(free) and not fit_body:
        ap.error("nothing to fit: every row is fixed and so is the body")
    anatomy = Anatomy()
    planes = None
    if args.facets:
        from meshes.facet_joint import JOINT_SPACE, facet_planes_s1, planes_in_l5
        from meshes.frames import placement

        place = placement(anatomy)
        planes = planes_in_l5(facet_planes_s1(anatomy, place), place, 0.5 * JOINT_SPACE)
    reference = pv.read(args.reference)
    ref = reference_in_model_frame(reference, v.build_l5(anatomy, facet_planes=planes))
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

    body0 = L5Layout.of(anatomy).body

    def objective(x):
        table, body_kw = unpack(x, table0, free, fit_body)
        try:
            body = dataclasses.replace(body0, **body_kw)
            front, back, lay = v.l5_solids(anatomy, table, body, facet_planes=planes)
        except (ValueError, ZeroDivisionError):
            return 1e3
        solid = Solid(front.primitives + back.primitives)
        f_ref = np.abs(solid.evaluate(ref_pts))
        g = sample(solid, 1.2, box=(lo, hi))
        near = np.abs(g["sdf"]) < 0.6
        if not near.any():
            return 1e3
        d_model = np.abs(ref_distance(g.points[near]))
        return (0.5 * (f_ref.mean() + d_model.mean()) + 0.1 * np.percentile(f_ref, 95)
                + canal_penalty(solid, lay, anatomy))

    x = pack(table0, body0 if fit_body else None, free)
    print("start", objective(x))
    for it in range(args.iterations):
        res = minimize(objective, x, method="Powell", options={"maxfev": args.maxfev, "xtol": 0.05, "ftol": 1e-4})
        x = res.x
        print("iteration", it, res.fun, flush=True)
        if args.save:
            table, body_kw = unpack(x, table0, free, fit_body)
            with open(args.save, "w") as fh:
                json.dump({"arch": table, "body": {k: float(v) for k, v in body_kw.items()}}, fh, indent=1,
                          default=float)
    table, body_kw = unpack(x, table0, free, fit_body)
    rounded = [
        (r[0], r[1], r[2], tuple(round(float(c), 1) for c in r[3]), r[4],
         tuple(round(float(c), 1) for c in r[5]), tuple(round(float(c), 1) for c in r[6]),
         tuple(round(float(c), 1) for c in r[7]), r[8], r[9]) for r in table
    ]
    pprint.pprint(rounded, width=110)
    print({k: round(float(val), 3) for k, val in body_kw.items()})
    body = dataclasses.replace(body0, **body_kw)
    model = v.build_l5(anatomy, arch_table=table, body=body, facet_planes=planes)
    print(shape_distance(model, reference))


if __name__ == "__main__":
    main()
