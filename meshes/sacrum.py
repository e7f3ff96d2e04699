"""The whole sacrum as one implicit solid: a swept section along the curved body column.

The sacrum is five fused vertebrae. Its shape changes steadily from the broad S1 level
(body, alae, superior articular processes) down to the narrow apex, and it curves forward
below S3. It is described the way a sectional atlas shows it: a centre line down the
middle of the fused bodies (in the mid-sagittal plane), and at every distance ``t`` along
it a cross-section perpendicular to it, made of the same few parts at every level:

- the vertebral body (the anterior column), a rounded box on the centre line;
- the lateral part on each side (ala at S1, lateral masses below), a rounded box that
  can be tilted;
- the dorsal roof (fused laminae and median crest) behind the canal;
- the sacral canal, cut out between body and roof.

Where the lateral part parts from the body or the roof, the section shows a gap: those
gaps are the sacral foramina, ventral and dorsal. The canal's roof stops above the apex,
leaving the sacral hiatus.

The table of sections was fitted (``tools/calibrate_sacrum.py``) to one real adult sacrum,
the Male Visible Human (Remus et al., PLoS ONE 2021; BSD-3-Clause), whose S1 endplate is
58 mm wide and 28.4 mm deep and whose greatest width is 125 mm. A patient's sacrum is that
shape warped to the anatomy's dimensions: across the body by ``s1_body_width / 58``,
across the alae to ``sacral_width`` (greatest width; Anatolian dry sacra 108.4 ± 6.1 mm,
body 47.0 ± 5.0 mm wide), and in depth and length by the overall scale.

Coordinates are the S1 frame (mm): origin at the centre of the S1 superior endplate, +z
along its normal, +y anterior, +x right.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from meshes.anatomy import Anatomy
from meshes.implicit import smax

# The reference sacrum's own dimensions (mm), the calibration's units.
VHM_BODY_HALF_WIDTH = 29.0
VHM_HALF_WIDTH = 62.6
VHM_ENDPLATE_DEPTH = 28.4

# Centre line of the fused bodies in the S1 frame's (y, z) plane, VHM units: down from the
# endplate's centre, drifting back to S3, then curving forward to the apex. It bends
# gently (radius over 100 mm where the sections reach far behind it), so that every point
# near the sacrum has one nearest point on it.
AXIS = np.array(
    [
        (0.0, 0.0),
        (-1.0, -15.0),
        (-4.0, -30.0),
        (-9.0, -45.0),
        (-15.0, -60.0),
        (-20.0, -75.0),
        (-23.0, -90.0),
        (-23.0, -105.0),
        (-19.0, -118.0),
        (-12.0, -129.0),
    ]
)

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
    """Approximate signed distance (mm) to the rounded box |x/a|^n + |y/b|^n = 1."""
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
    """Per-point section parameters by name, from rows ``P`` (N, N_PARAMS) or as given, with
    the wing's tilt as its cosine and sine ("wing_cos", "wing_sin")."""
    if isinstance(P, dict):
        return P
    c = {name: P[:, i] for i, name in enumerate(PARAMS)}
    c["wing_cos"], c["wing_sin"] = np.cos(c["wing_tilt"]), np.sin(c["wing_tilt"])
    return c


def section_parts(x: np.ndarray, v: np.ndarray, P: np.ndarray | dict) -> dict[str, np.ndarray]:
    """Each part's 2D field at section points (x, v), with per-point parameters ``P``: rows
    (N, N_PARAMS) or :func:`section_columns`."""
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
    """The section's 2D signed distance: body, wings and roof blended, the canal cut out."""
    c = section_columns(P)
    parts = section_parts(x, v, c)
    k = np.maximum(c["blend"], 1e-3)
    solid = _blend(_blend(parts["body"], parts["wing"], k), parts["roof"], k)
    return smax(solid, -parts["canal"], 1.0)


def interpolate(levels: np.ndarray, table: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Parameter rows at distances ``t``: Catmull-Rom through the levels, clamped at the ends."""
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


def dense_axis(axis: np.ndarray, spacing: float = 1.0, extend: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """The centre line resampled every ``spacing`` mm (Catmull-Rom), straight-extended by
    ``extend`` mm past both ends; returns (points (n, 2), arc length of each, 0 at the top)."""
    pts = np.asarray(axis, float)
    fine = []
    for k in range(len(pts) - 1):
        p0, p1 = pts[max(k - 1, 0)], pts[k]
        p2, p3 = pts[k + 1], pts[min(k + 2, len(pts) - 1)]
        n = max(2, int(np.ceil(np.linalg.norm(p2 - p1) / (0.25 * spacing))))
        f = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
        fine.append(0.5 * (2 * p1 + (-p0 + p2) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f**2
                           + (-p0 + 3 * p1 - 3 * p2 + p3) * f**3))
    fine.append(pts[-1:])
    fine = np.concatenate(fine)
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(fine, axis=0), axis=1))])
    targets = np.arange(-extend, s[-1] + extend + 1e-9, spacing)
    inside = np.clip(targets, 0.0, s[-1])
    out = np.column_stack([np.interp(inside, s, fine[:, 0]), np.interp(inside, s, fine[:, 1])])
    head = (fine[1] - fine[0]) / np.linalg.norm(fine[1] - fine[0])
    tail = (fine[-1] - fine[-2]) / np.linalg.norm(fine[-1] - fine[-2])
    before = targets < 0
    after = targets > s[-1]
    out[before] = fine[0] + head * targets[before, None]
    out[after] = fine[-1] + tail * (targets[after, None] - s[-1])
    return out, targets


@dataclass
class AxisFrame:
    """(t, v) of points in the mid-sagittal plane, looked up on a precomputed grid.

    ``t`` is the arc length along the centre line from the S1 endplate's centre, ``v`` the
    signed distance from it toward the back.
    """

    origin: np.ndarray  # (y0, z0)
    spacing: float
    t: np.ndarray  # (ny, nz)
    v: np.ndarray

    @staticmethod
    def of(axis: np.ndarray, lo: np.ndarray, hi: np.ndarray, spacing: float = 2.5) -> AxisFrame:
        line, s = dense_axis(axis, 2.0)
        seg = np.diff(line, axis=0)
        length = np.linalg.norm(seg, axis=1)
        tangent = seg / length[:, None]
        ys = np.arange(lo[0], hi[0] + spacing, spacing)
        zs = np.arange(lo[1], hi[1] + spacing, spacing)
        gy, gz = np.meshgrid(ys, zs, indexing="ij")
        q = np.column_stack([gy.ravel(), gz.ravel()])
        # Every cell against every segment at once: (cells, segments).
        d = q[:, None, :] - line[None, :-1, :]
        f = np.clip(np.einsum("csk,sk->cs", d, tangent), 0.0, length[None, :])
        foot = d - f[..., None] * tangent[None, :, :]
        dist2 = np.einsum("csk,csk->cs", foot, foot)
        k = np.argmin(dist2, axis=1)
        rows = np.arange(len(q))
        t = s[k] + f[rows, k]
        # The back is to the left of the downward tangent: normal (tz, -ty).
        v = foot[rows, k, 0] * tangent[k, 1] - foot[rows, k, 1] * tangent[k, 0]
        shape = gy.shape
        return AxisFrame(np.array([lo[0], lo[1]], float), spacing, t.reshape(shape), v.reshape(shape))

    def __call__(self, y: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = np.clip((y - self.origin[0]) / self.spacing, 0.0, self.t.shape[0] - 1.000001)
        w = np.clip((z - self.origin[1]) / self.spacing, 0.0, self.t.shape[1] - 1.000001)
        i = u.astype(int)
        j = w.astype(int)
        fu = u - i
        fw = w - j

        def bilinear(a: np.ndarray) -> np.ndarray:
            return ((a[i, j] * (1 - fu) + a[i + 1, j] * fu) * (1 - fw)
                    + (a[i, j + 1] * (1 - fu) + a[i + 1, j + 1] * fu) * fw)

        return bilinear(self.t), bilinear(self.v)


@dataclass
class SacrumShape:
    """The sacrum's field in VHM units, before the anatomy's warp."""

    frame: AxisFrame
    levels: np.ndarray
    table: np.ndarray
    fine_step: float = 0.25

    def __post_init__(self) -> None:
        # Sections tabulated every quarter millimetre: a point takes the nearest one, a
        # single look-up instead of a Catmull-Rom over four levels.
        self._fine_t = np.arange(self.levels[0], self.levels[-1] + self.fine_step, self.fine_step)
        self._fine = interpolate(self.levels, self.table, self._fine_t)
        # The same table by parameter, one contiguous column each (cheaper to look up).
        self._columns = {k: np.ascontiguousarray(v) for k, v in section_columns(self._fine).items()}

    @staticmethod
    def default() -> SacrumShape:
        return _vhm_shape()

    def _index(self, t: np.ndarray) -> np.ndarray:
        i = np.rint((t - self._fine_t[0]) / self.fine_step).astype(int)
        return np.clip(i, 0, len(self._fine_t) - 1)

    def rows(self, t: np.ndarray) -> np.ndarray:
        return self._fine[self._index(t)]

    def section(self, t: np.ndarray) -> dict[str, np.ndarray]:
        """The sections at ``t`` as :func:`section_columns` (what :meth:`rows` gives, by name)."""
        i = self._index(t)
        return {k: v[i] for k, v in self._columns.items()}

    def __call__(self, p: np.ndarray) -> np.ndarray:
        # In blocks: the many temporaries of a block stay in the processor's cache.
        block = 8192
        if len(p) > block:
            return np.concatenate([self(p[i:i + block]) for i in range(0, len(p), block)])
        t, v = self.frame(p[:, 1], p[:, 2])
        top, bottom = self.levels[0], self.levels[-1]
        x = p[:, 0]
        f = section_field(x, v, self.section(t))
        # The section's field is a distance within its own plane; where the section changes
        # fast along the centre line (the tops of the alae face along it) the true distance
        # is shorter: divide by the slope along t as well.
        h = 0.5
        slope_t = (section_field(x, v, self.section(t + h)) - section_field(x, v, self.section(t - h))) / (2 * h)
        f = f / np.sqrt(1.0 + slope_t * slope_t)
        # Closed above the first section and rounded off below the last one (the apex).
        return smax(smax(f, top - t, 2.0), t - bottom, 4.0)


@lru_cache(maxsize=1)
def _vhm_shape() -> SacrumShape:
    return SacrumShape(AxisFrame.of(AXIS, np.array([-80.0, -175.0]), np.array([60.0, 25.0])), LEVELS, TABLE)


def lateral_warp(anatomy: Anatomy) -> tuple[float, float]:
    """(scale across the body, scale across the alae) from VHM units to the anatomy's."""
    body = anatomy.s1_body_width / (2.0 * VHM_BODY_HALF_WIDTH)
    wings = (0.5 * anatomy.sacral_width - VHM_BODY_HALF_WIDTH * body) / (VHM_HALF_WIDTH - VHM_BODY_HALF_WIDTH)
    return body, wings


def to_vhm(anatomy: Anatomy, p: np.ndarray) -> np.ndarray:
    """Points of the anatomy's S1 frame mapped back into the reference shape's units."""
    body, wings = lateral_warp(anatomy)
    s = anatomy.scale
    x = np.abs(p[:, 0])
    edge = VHM_BODY_HALF_WIDTH * body
    xv = np.where(x <= edge, x / body, VHM_BODY_HALF_WIDTH + (x - edge) / wings)
    return np.column_stack([np.sign(p[:, 0]) * xv, p[:, 1] / s, p[:, 2] / s])


def sacrum_field(anatomy: Anatomy):
    """The whole sacrum's signed distance (mm, approximate) in the anatomy's S1 frame, and
    the (lo, hi) box that holds it."""
    shape = SacrumShape.default()
    s = anatomy.scale
    body, wings = lateral_warp(anatomy)
    squeeze = min(body, wings, 1.0) * s  # distances shrink at most by the tightest warp

    def field(p: np.ndarray) -> np.ndarray:
        return shape(to_vhm(anatomy, p)) * squeeze

    half = 0.5 * anatomy.sacral_width + 4.0
    lo = np.array([-half, -62.0 * s, -(shape.levels[-1] + 6.0) * s])
    hi = np.array([half, 42.0 * s, 8.0 * s])
    return field, lo, hi


def covered(anatomy: Anatomy, p: np.ndarray) -> np.ndarray:
    """Which points (S1 frame) lie within the sacrum's modelled length, above its apex."""
    shape = SacrumShape.default()
    q = to_vhm(anatomy, p)
    t, _ = shape.frame(q[:, 1], q[:, 2])
    return t <= shape.levels[-1]


# Where S1 ends and the rest of the sacrum begins (VHM mm along the centre line): below
# the first sacral foramina, above the second.
SPLIT_T = 50.0
PARTS = ("body", "wing_right", "wing_left", "roof")


def axis_point(t: float) -> tuple[np.ndarray, np.ndarray]:
    """The centre line's point (y, z) and unit tangent at arc length ``t`` (VHM mm)."""
    line, s = dense_axis(AXIS, 0.5)
    k = int(np.clip(np.searchsorted(s, t), 1, len(s) - 1))
    f = (t - s[k - 1]) / (s[k] - s[k - 1])
    tangent = line[k] - line[k - 1]
    return line[k - 1] + f * tangent, tangent / np.linalg.norm(tangent)


def from_vhm(anatomy: Anatomy, x: float, t: float, v: float) -> np.ndarray:
    """The anatomy's S1-frame point at section coordinates (x, t, v) of the reference shape."""
    body, wings = lateral_warp(anatomy)
    point, tangent = axis_point(t)
    yz = point + v * np.array([tangent[1], -tangent[0]])
    ax = abs(x)
    xa = ax * body if ax <= VHM_BODY_HALF_WIDTH else VHM_BODY_HALF_WIDTH * body + (ax - VHM_BODY_HALF_WIDTH) * wings
    return np.array([np.sign(x) * xa, yz[0] * anatomy.scale, yz[1] * anatomy.scale])


def split_plane(anatomy: Anatomy) -> tuple[np.ndarray, np.ndarray]:
    """(point, unit normal) of the S1/S2 boundary in the S1 frame; the normal points down
    the sacrum."""
    point, tangent = axis_point(SPLIT_T)
    return (np.array([0.0, point[0] * anatomy.scale, point[1] * anatomy.scale]),
            np.array([0.0, tangent[0], tangent[1]]))


def part_labeller(anatomy: Anatomy):
    """``p -> index into PARTS``: which part of the section each point belongs to."""
    shape = SacrumShape.default()

    def label(p: np.ndarray) -> np.ndarray:
        q = to_vhm(anatomy, p)
        t, v = shape.frame(q[:, 1], q[:, 2])
        parts = section_parts(q[:, 0], v, shape.section(t))
        which = np.argmin(np.stack([parts["body"], parts["wing"], parts["roof"]]), axis=0)
        out = np.where(which == 0, 0, np.where(which == 2, 3, np.where(p[:, 0] >= 0, 1, 2)))
        return out.astype(np.int32)

    return label


def through(anatomy: Anatomy, x: float, t: float, beyond: float) -> tuple[np.ndarray, np.ndarray]:
    """S1-frame points ``beyond`` mm in front of the pelvic surface and behind the dorsal
    surface at section coordinates (x, t) of the reference shape: the ends of a tunnel
    straight through the bone there."""
    shape = SacrumShape.default()
    v = np.arange(-45.0, 45.0, 0.25)
    inside = np.flatnonzero(section_field(np.full(len(v), x), v, shape.rows(np.full(len(v), t))) < 0.0)
    front, back = (v[inside[0]], v[inside[-1]]) if inside.size else (0.0, 0.0)
    return from_vhm(anatomy, x, t, front - beyond), from_vhm(anatomy, x, t, back + beyond)


def in_front(anatomy: Anatomy, x: float, t: float, clearance: float) -> np.ndarray:
    """The S1-frame point ``clearance`` mm in front of the sacrum's pelvic (anterior) surface
    at section coordinates (x, t) of the reference shape: where a nerve lies on the bone."""
    shape = SacrumShape.default()
    v = np.arange(-45.0, 40.0, 0.25)
    rows = shape.rows(np.full(len(v), t))
    inside = np.flatnonzero(section_field(np.full(len(v), x), v, rows) < 0.0)
    front = v[inside[0]] if inside.size else 0.0
    return from_vhm(anatomy, x, t, front - clearance / anatomy.scale)
