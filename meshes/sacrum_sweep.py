"""The reference sacrum (the Male Visible Human's, VHM units): its section swept down its centre line.

The centre line runs down the middle of the fused bodies in the mid-sagittal plane; every
point near the sacrum takes its place ``t`` down that line (arc length from the S1
endplate's centre, mm) and its distance ``v`` from it toward the back, and there reads the
section of :mod:`meshes.sacrum_section`. The warp onto a patient's dimensions is
:mod:`meshes.sacrum`.

Coordinates are the reference's S1 frame (mm): origin at the centre of its S1 superior
endplate, +z along the endplate's normal, +y anterior, +x right.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from meshes.sacrum_section import LEVELS, TABLE, interpolate, section_columns, section_field
from meshes.sdf_primitives import smax

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


def dense_axis(axis: np.ndarray, spacing: float = 1.0, extend: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """The centre line resampled evenly along its length, and straight on past both ends.

    Parameters
    ----------
    axis : ndarray
        (n, 2) control points (y, z) of the line, top first (reference S1 frame, VHM mm);
        the line passes through them as a Catmull-Rom spline.
    spacing : float
        Distance between the returned points along the line (mm).
    extend : float
        How far (mm) the line goes on straight, along its end tangents, above the first
        point and below the last.

    Returns
    -------
    points : ndarray
        (m, 2) points (y, z) on the line, VHM mm.
    arc_length : ndarray
        (m,) each point's distance along the line (mm): 0 at the first control point,
        negative above it.
    """
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


def axis_point(t: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the reference's centre line is, and which way it runs, at one place along it.

    Parameters
    ----------
    t : float
        Arc length down :data:`AXIS` from the S1 endplate's centre (VHM mm).

    Returns
    -------
    point : ndarray
        (2,) the line's (y, z) there, reference S1 frame, VHM mm.
    tangent : ndarray
        (2,) unit (y, z) direction of increasing ``t``, down the sacrum.
    """
    line, s = dense_axis(AXIS, 0.5)
    k = int(np.clip(np.searchsorted(s, t), 1, len(s) - 1))
    f = (t - s[k - 1]) / (s[k] - s[k - 1])
    tangent = line[k] - line[k - 1]
    return line[k - 1] + f * tangent, tangent / np.linalg.norm(tangent)


@dataclass
class AxisFrame:
    """(t, v) of points in the mid-sagittal plane, looked up on a precomputed grid.

    ``t`` is the arc length along the centre line from the S1 endplate's centre, ``v`` the
    signed distance from it toward the back (both VHM mm). Calling the frame with arrays
    ``y`` and ``z`` (reference S1 frame, mm) gives ``(t, v)`` read bilinearly off the grid;
    points off the grid read its nearest edge.

    Attributes
    ----------
    origin : ndarray
        (y0, z0) of the grid's first node (mm).
    spacing : float
        The grid's step (mm).
    t, v : ndarray
        (ny, nz) the two coordinates at the grid's nodes (mm).
    """

    origin: np.ndarray  # (y0, z0)
    spacing: float
    t: np.ndarray  # (ny, nz)
    v: np.ndarray

    @staticmethod
    def of(axis: np.ndarray, lo: np.ndarray, hi: np.ndarray, spacing: float = 2.5) -> AxisFrame:
        """Tabulate the frame of a centre line over a box of the mid-sagittal plane.

        Each node takes the nearest point of the line (resampled every 2 mm and extended
        past its ends, :func:`dense_axis`).

        Parameters
        ----------
        axis : ndarray
            (n, 2) the line's control points (y, z), VHM mm.
        lo, hi : ndarray
            (2,) the box's lowest and highest (y, z) corners, reference S1 frame, mm.
        spacing : float
            The grid's step (mm).

        Returns
        -------
        AxisFrame
            The grid of ``t`` and ``v`` over the box.
        """
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
            """Grid values ``a`` (ny, nz) read at the call's points (bilinear weights).

            Parameters
            ----------
            a : ndarray
                :attr:`t` or :attr:`v`.

            Returns
            -------
            ndarray
                (N,) the interpolated values (mm).
            """
            return ((a[i, j] * (1 - fu) + a[i + 1, j] * fu) * (1 - fw)
                    + (a[i, j + 1] * (1 - fu) + a[i + 1, j + 1] * fu) * fw)

        return bilinear(self.t), bilinear(self.v)


@dataclass
class SacrumShape:
    """The sacrum's field in VHM units, before the anatomy's warp.

    Calling the shape with (N, 3) points of the reference S1 frame (mm) gives their signed
    distance (VHM mm, negative in bone), closed above the first level and rounded off
    below the last (the apex).

    Attributes
    ----------
    frame : AxisFrame
        Places points along and behind the centre line.
    levels : ndarray
        (L,) places of the table's rows down the centre line (mm).
    table : ndarray
        (L, N_PARAMS) section parameters a level (:data:`meshes.sacrum_section.PARAMS`).
    fine_step : float
        Spacing (mm) of the sections tabulated between the levels.
    """

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
        """The shape fitted to the Male Visible Human sacrum (built once, then shared).

        Returns
        -------
        SacrumShape
            :data:`AXIS`, :data:`~meshes.sacrum_section.LEVELS` and
            :data:`~meshes.sacrum_section.TABLE`, its frame tabulated over y -80 to 60 mm
            and z -175 to 25 mm.
        """
        return _vhm_shape()

    def _index(self, t: np.ndarray) -> np.ndarray:
        i = np.rint((t - self._fine_t[0]) / self.fine_step).astype(int)
        return np.clip(i, 0, len(self._fine_t) - 1)

    def rows(self, t: np.ndarray) -> np.ndarray:
        """The tabulated sections nearest to places down the centre line.

        Parameters
        ----------
        t : ndarray
            (N,) places down the centre line (VHM mm); past either end, the end section.

        Returns
        -------
        ndarray
            (N, N_PARAMS) one row of section parameters a place.
        """
        return self._fine[self._index(t)]

    def section(self, t: np.ndarray) -> dict[str, np.ndarray]:
        """The sections at ``t`` as :func:`~meshes.sacrum_section.section_columns`.

        Parameters
        ----------
        t : ndarray
            (N,) places down the centre line (VHM mm), read as :meth:`rows` reads them.

        Returns
        -------
        dict of str to ndarray
            What :meth:`rows` gives, by parameter name, with the wing tilt's cosine and sine.
        """
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
