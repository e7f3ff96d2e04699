"""One cross-section of the sacrum: its parts, its parameters level by level, its 2D field.

At every distance ``t`` down the sacrum's centre line (:mod:`meshes.sacrum_sweep`) the
section square to it is made of the same few parts at every level:

- the vertebral body (the anterior column), a rounded box on the centre line;
- the lateral part on each side (ala at S1, lateral masses below), a rounded box that
  can be tilted;
- the dorsal roof (fused laminae and median crest) behind the canal;
- the sacral canal, cut out between body and roof.

Where the lateral part parts from the body or the roof, the section shows a gap: those
gaps are the sacral foramina, ventral and dorsal. The canal's roof stops above the apex,
leaving the sacral hiatus.

Section coordinates are those of the reference sacrum (VHM units, mm): ``x`` across,
+x right, and ``v`` from the centre line toward the back, both in the section's plane.
"""

from __future__ import annotations

import numpy as np

from meshes.sdf_primitives import smax

# Parameters of one section (mm, VHM units; v is measured from the centre line toward the
# back, x to the side). Exponents shape the rounded boxes: 2 is an ellipse, larger is boxier.
PARAMS = (
    "body_v", "body_half_width", "body_half_depth", "body_exponent",
    "wing_x", "wing_v", "wing_half_width", "wing_half_depth", "wing_exponent", "wing_tilt",
    "roof_v", "roof_half_width", "roof_half_depth", "roof_exponent",
    "canal_v", "canal_half_width", "canal_half_depth",
    "blend",
)
N_PARAMS = len(PARAMS)
LEVEL_STEP = 6.0

LEVELS = np.arange(-4.0, 137.0, LEVEL_STEP)
# Fitted to the Male Visible Human sacrum by tools/calibrate_sacrum.py; one row a level, in
# the order of PARAMS.
TABLE = np.array(
    [
        (-3.2, 3.0, 2.0, 2.0, 11.9, 14.6, 4.6, 4.0, 2.3, 0.0, 16.2, 10.6, 1.3, 5.0, 16.9, 24.6, 10.4, 7.9),
        (-1.8, 22.3, 10.8, 2.3, 22.5, 7.2, 5.9, 8.6, 3.4, -0.1, 14.4, 13.8, 2.1, 5.0, 27.1, 21.3, 12.4, 8.0),
        (3.4, 25.4, 14.9, 2.0, 26.4, 20.6, 12.2, 18.5, 4.5, -0.5, 23.6, 45.0, 3.9, 5.2, 31.4, 16.5, 12.9, 8.0),
        (6.4, 30.6, 14.7, 2.0, 30.7, 21.0, 14.9, 18.0, 3.9, 0.8, 26.9, 44.9, 3.4, 5.3, 34.3, 21.0, 15.0, 8.0),
        (6.6, 43.9, 12.3, 2.0, 38.4, 18.3, 12.2, 26.6, 2.2, 1.0, 38.4, 30.2, 3.2, 5.4, 37.5, 25.0, 12.9, 7.5),
        (6.8, 28.2, 11.9, 2.0, 39.3, 12.8, 14.9, 25.9, 2.0, 0.9, 36.9, 30.2, 3.2, 5.6, 35.6, 25.0, 12.4, 7.3),
        (7.4, 18.2, 12.5, 2.1, 41.1, 10.5, 12.0, 24.8, 2.0, 0.7, 29.4, 18.2, 3.5, 5.8, 45.0, 25.0, 11.3, 8.0),
        (7.9, 18.0, 11.5, 2.6, 42.0, 8.4, 9.3, 22.9, 2.0, 0.6, 28.7, 19.6, 4.2, 5.8, 45.0, 25.0, 11.2, 8.0),
        (7.8, 23.3, 9.9, 2.9, 40.4, 8.0, 8.6, 21.3, 2.0, 0.6, 27.8, 19.5, 5.0, 5.8, 45.0, 25.0, 11.4, 8.0),
        (6.4, 29.2, 8.3, 3.6, 33.1, 9.5, 9.1, 26.3, 2.0, 0.9, 37.4, 9.4, 12.1, 6.0, 45.0, 25.0, 11.2, 8.0),
        (5.5, 31.5, 8.0, 3.1, 30.6, 9.1, 8.5, 25.0, 2.0, 0.8, 38.0, 6.9, 13.7, 6.0, 43.1, 25.0, 11.7, 8.0),
        (5.2, 25.1, 8.0, 2.9, 30.5, 9.0, 8.0, 21.7, 2.0, 0.9, 35.0, 10.1, 13.6, 6.0, 39.4, 25.0, 12.0, 8.0),
        (5.1, 16.2, 8.4, 3.7, 32.6, 8.6, 7.0, 17.6, 2.0, 0.8, 13.2, 14.1, 13.2, 6.0, 38.5, 25.0, 10.9, 7.3),
        (4.4, 17.4, 7.0, 3.8, 26.5, 9.9, 7.8, 21.5, 2.0, 1.0, 30.8, 5.5, 11.4, 6.0, 38.4, 25.0, 9.8, 7.3),
        (3.8, 22.8, 6.3, 3.3, 26.9, 8.4, 8.0, 19.8, 2.0, 1.0, 28.3, 7.7, 10.6, 6.0, 33.9, 25.0, 9.4, 6.7),
        (2.1, 18.5, 6.1, 3.0, 27.8, 9.4, 5.3, 17.4, 2.5, 1.2, 25.7, 10.4, 9.9, 6.0, 30.3, 25.0, 9.3, 5.8),
        (1.6, 16.9, 6.9, 3.1, 23.5, 9.8, 3.2, 21.0, 3.7, 1.2, 25.2, 4.2, 9.3, 6.0, 30.4, 25.0, 9.5, 6.3),
        (1.3, 20.6, 6.1, 2.5, 21.1, 8.0, 3.7, 20.4, 3.7, 1.2, 25.6, 4.3, 9.2, 6.0, 30.4, 25.0, 11.0, 6.6),
        (1.7, 34.8, 5.5, 2.0, 17.2, 7.9, 2.2, 20.6, 3.7, 1.1, 22.8, 12.8, 7.5, 6.0, 26.6, 23.0, 12.1, 5.6),
        (1.1, 33.8, 5.1, 2.0, 15.3, 6.8, 2.0, 22.0, 3.9, 1.1, 16.3, 14.5, 5.0, 6.0, 23.8, 18.3, 14.1, 4.8),
        (0.0, 20.3, 5.6, 2.1, 13.9, 6.6, 2.9, 22.7, 4.0, 1.0, 14.1, 13.4, 3.9, 6.0, 20.9, 15.4, 14.7, 4.7),
        (-1.1, 20.6, 4.2, 2.2, 11.4, 3.9, 2.1, 19.9, 3.9, 1.1, 6.8, 16.8, 5.1, 6.0, 19.1, 15.1, 14.6, 4.8),
        (-1.3, 18.7, 3.0, 2.1, 5.4, 7.3, 2.0, 16.7, 3.9, 0.9, 4.8, 14.9, 5.5, 6.0, 18.9, 17.8, 14.4, 4.5),
        (-1.1, 16.4, 2.9, 2.1, 5.0, 21.7, 2.6, 13.2, 3.9, 1.0, 3.0, 14.3, 5.4, 6.0, 19.1, 19.7, 14.2, 4.3),
    ]
)


def superellipse(x: np.ndarray, y: np.ndarray, a: np.ndarray, b: np.ndarray, n) -> np.ndarray:
    """Approximate signed distance to the rounded box |x/a|^n + |y/b|^n = 1.

    Parameters
    ----------
    x, y : ndarray
        Points from the box's centre along its two axes (mm).
    a, b : ndarray
        The box's half-width along x and half-depth along y (mm), per point or one value.
    n : float or ndarray
        The exponent: 2 gives an ellipse (computed without logarithms when ``n`` is the
        scalar 2.0), larger values a boxier outline.

    Returns
    -------
    ndarray
        First-order signed distance (mm, negative inside): the implicit value divided by
        its gradient, exact on the outline and approximate away from it.
    """
    ax = np.abs(x) / a
    ax += 1e-9
    ay = np.abs(y) / b
    ay += 1e-9
    if np.isscalar(n) and n == 2.0:  # an ellipse: squares and a square root
        px = ax * ax
        py = ay * ay
        s = px + py
        r = np.sqrt(s)
    else:
        px = np.exp(n * np.log(ax))
        py = np.exp(n * np.log(ay))
        s = px + py
        r = np.exp(np.log(s) / n)
    # |grad r| from the implicit form: first-order distance (r - 1) / |grad r|.
    gx = px / (ax * a)
    gy = py / (ay * b)
    gx *= gx
    gy *= gy
    gx += gy
    grad = np.sqrt(gx, out=gx)
    grad *= r / s
    np.maximum(grad, 1e-6, out=grad)
    r -= 1.0
    r /= grad
    return r


def section_columns(P: np.ndarray | dict) -> dict[str, np.ndarray]:
    """Per-point section parameters by name, the wing's tilt also as its cosine and sine.

    Parameters
    ----------
    P : ndarray or dict
        Rows (N, N_PARAMS) in the order of :data:`PARAMS`, or a dict this function made
        before (returned as it is).

    Returns
    -------
    dict of str to ndarray
        Each of :data:`PARAMS` as an (N,) column (lengths in VHM mm), plus "wing_cos" and
        "wing_sin" of "wing_tilt" (radians).
    """
    if isinstance(P, dict):
        return P
    c = {name: P[:, i] for i, name in enumerate(PARAMS)}
    c["wing_cos"], c["wing_sin"] = np.cos(c["wing_tilt"]), np.sin(c["wing_tilt"])
    return c


def section_parts(x: np.ndarray, v: np.ndarray, P: np.ndarray | dict) -> dict[str, np.ndarray]:
    """Each part's own 2D field at points of the section.

    Parameters
    ----------
    x : ndarray
        (N,) distance across, from the midline (VHM mm, +x right); the two wings are mirror
        images, placed by ``|x|``.
    v : ndarray
        (N,) distance from the centre line toward the back (VHM mm).
    P : ndarray or dict
        The section's parameters at each point: rows (N, N_PARAMS) or
        :func:`section_columns`.

    Returns
    -------
    dict of str to ndarray
        "body", "wing" (both sides), "roof" and "canal": (N,) approximate signed distances
        (VHM mm, negative inside), before any blending.
    """
    c = section_columns(P)
    ax = np.abs(x)
    body = superellipse(x, v - c["body_v"], c["body_half_width"], c["body_half_depth"], c["body_exponent"])
    dx = ax - c["wing_x"]
    dv = v - c["wing_v"]
    cos, sin = c["wing_cos"], c["wing_sin"]
    wing = superellipse(cos * dx + sin * dv, cos * dv - sin * dx, c["wing_half_width"], c["wing_half_depth"],
                        c["wing_exponent"])
    roof = superellipse(x, v - c["roof_v"], c["roof_half_width"], c["roof_half_depth"], c["roof_exponent"])
    canal = superellipse(x, v - c["canal_v"], c["canal_half_width"], c["canal_half_depth"], 2.0)
    return {"body": body, "wing": wing, "roof": roof, "canal": canal}


def _blend(a: np.ndarray, b: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Smooth union with a per-point blend radius ``k`` (mm, > 0)."""
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b + (a - b) * h - k * h * (1.0 - h)


def section_field(x: np.ndarray, v: np.ndarray, P: np.ndarray | dict) -> np.ndarray:
    """The section's 2D signed distance: body, wings and roof blended, the canal cut out.

    Parameters
    ----------
    x, v : ndarray
        (N,) section coordinates (VHM mm): across from the midline (+x right), and from the
        centre line toward the back.
    P : ndarray or dict
        Per-point parameters, rows (N, N_PARAMS) or :func:`section_columns`; the "blend"
        column is the radius (mm, at least 0.001) of the smooth unions.

    Returns
    -------
    ndarray
        (N,) signed distance within the section's plane (VHM mm, negative in bone); the
        canal is cut with a 1 mm rounded edge.
    """
    c = section_columns(P)
    parts = section_parts(x, v, c)
    k = np.maximum(c["blend"], 1e-3)
    solid = _blend(_blend(parts["body"], parts["wing"], k), parts["roof"], k)
    return smax(solid, -parts["canal"], 1.0)


def interpolate(levels: np.ndarray, table: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Parameter rows between the tabulated levels, by a Catmull-Rom spline.

    Parameters
    ----------
    levels : ndarray
        (L,) evenly spaced places of the table's rows down the centre line (VHM mm).
    table : ndarray
        (L, K) one row of parameters a level.
    t : ndarray
        (N,) places down the centre line to read (VHM mm); those past the first or last
        level read that level's row.

    Returns
    -------
    ndarray
        (N, K) interpolated rows.
    """
    step = levels[1] - levels[0]
    u = np.clip((t - levels[0]) / step, 0.0, len(levels) - 1.000001)
    i = np.floor(u).astype(int)
    f = (u - i)[:, None]
    last = len(levels) - 1
    p0 = table[np.clip(i - 1, 0, last)]
    p1 = table[i]
    p2 = table[np.clip(i + 1, 0, last)]
    p3 = table[np.clip(i + 2, 0, last)]
    f2 = f * f
    f3 = f2 * f
    return 0.5 * ((2 * p1) + (-p0 + p2) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f2 + (-p0 + 3 * p1 - 3 * p2 + p3) * f3)
