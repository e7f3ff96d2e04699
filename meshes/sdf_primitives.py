"""Signed-distance building blocks: smooth blends and the primitive shapes bones are made of.

A bone is a list of primitives (:class:`Capsule` bars with elliptical sections,
:class:`Ellipsoid` blobs, or any ``points -> mm`` field) blended with a smooth minimum
(:func:`smin`) so that pedicles, processes and bodies meet with organic fillets; cuts use the
smooth maximum (:func:`smax`). :func:`smoothstep` is the smooth 0-to-1 ramp used throughout
the package. Negative values are inside; coordinates are in millimetres, in whatever frame
the caller builds in. Solids and their surfaces are :mod:`meshes.implicit`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Field = Callable[[np.ndarray], np.ndarray]

FAR = 1.0e3


def last_answer(fn: Field) -> Field:
    """``fn`` of points remembering its last answer.

    Asking again at the same points (two solids that share a term, sampled on one grid) does
    not compute it twice; the answer is read-only, as both askers share it.

    Parameters
    ----------
    fn : callable
        ``points (n, 3) -> (n,)`` values (mm).

    Returns
    -------
    callable
        The same field, remembering its last points and answer.
    """
    last: list = []

    def remembered(p: np.ndarray) -> np.ndarray:
        """``fn(p)``, or the last answer again when ``p`` equals the last points.

        Parameters
        ----------
        p : (n, 3) ndarray
            Points, in ``fn``'s frame (mm).

        Returns
        -------
        (n,) ndarray
            ``fn``'s read-only values (mm).
        """
        if last and last[0].shape == p.shape and np.array_equal(last[0], p):
            return last[1]
        value = fn(p)
        value.flags.writeable = False  # shared by both askers
        last[:] = [np.array(p, copy=True), value]
        return value

    return remembered


def smin(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Polynomial smooth minimum (a rounded union).

    Within ``k`` of each other the two fields are blended by a quadratic, which fills the
    crease where two solids meet with a fillet; farther apart it is the plain minimum.

    Parameters
    ----------
    a, b : ndarray
        The two solids' signed distances (mm, negative inside), at the same points.
    k : float
        Fillet radius (mm); 0 or less: the plain minimum, a sharp crease.

    Returns
    -------
    ndarray
        The union's signed distance (mm), at most ``k / 4`` below the plain minimum.
    """
    if k <= 0:
        return np.minimum(a, b)
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b + (a - b) * h - k * h * (1.0 - h)


def smax(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Smooth maximum (a rounded intersection, or a rounded cut with a negated field).

    :func:`smin` of the negated fields, negated: ``smax(solid, -hole, k)`` cuts the hole out
    of the solid with a rounded edge.

    Parameters
    ----------
    a : ndarray
        The solid kept (signed distance, mm, negative inside).
    b : ndarray
        The solid it is intersected with, at the same points; a negated field to cut.
    k : float
        Radius (mm) of the rounded edge; 0 or less: the plain maximum.

    Returns
    -------
    ndarray
        The intersection's signed distance (mm), at most ``k / 4`` above the plain maximum.
    """
    return -smin(-a, -b, k)


def smoothstep(a: float, b: float, x) -> np.ndarray:
    """A smooth ramp: 0 below ``a``, 1 above ``b``, a smooth cubic in between.

    Parameters
    ----------
    a, b : float
        Where the ramp starts and ends (in ``x``'s units: mm, a fraction, a ring index...);
        ``b < a`` gives a falling ramp.
    x : float or array_like
        Where to read it.

    Returns
    -------
    ndarray
        0..1 at each ``x`` (a 0-d array for a number).
    """
    # np.minimum/np.maximum: np.clip's checks cost more than the sum on small arrays.
    t = np.minimum(np.maximum((np.asarray(x, float) - a) / (b - a), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def frame(axis: Sequence[float], up: Sequence[float] = (0.0, 0.0, 1.0)) -> np.ndarray:
    """An orthonormal frame about an axis.

    Parameters
    ----------
    axis : sequence of 3 floats
        The third axis's direction (need not be unit).
    up : sequence of 3 floats, default (0, 0, 1)
        The direction the second axis keeps as close to as it can (+z: superior in the world
        frame).

    Returns
    -------
    (3, 3) ndarray
        Orthonormal rows (e1, e2, axis) with e2 as close to ``up`` as possible.
    """
    w = np.asarray(axis, float)
    w = w / np.linalg.norm(w)
    u = np.asarray(up, float) - np.dot(up, w) * w
    if np.linalg.norm(u) < 1e-6:
        u = np.array([1.0, 0.0, 0.0]) - w[0] * w
    u = u / np.linalg.norm(u)
    e1 = np.cross(u, w)
    return np.array([e1, u, w])


def _local(p: np.ndarray, origin: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates of points (N,3) along the three ``rows`` (unit axes) from ``origin``, as
    three columns (summed one by one: cheaper than a thin matrix product)."""
    d = [p[:, k] - origin[k] for k in range(3)]
    out = []
    for a, b, c in rows:
        col = d[0] * a
        col += d[1] * b
        col += d[2] * c
        out.append(col)
    return out[0], out[1], out[2]


def ellipsoid_distance(q: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Approximate signed distance of local points to an ellipsoid.

    Inigo Quilez's bound: exact on the axes, close elsewhere for moderate eccentricity.

    Parameters
    ----------
    q : (n, 3) ndarray
        Points in the ellipsoid's own frame (centre at the origin, axes along x, y, z; mm).
    radii : (3,) or (n, 3) ndarray
        Semi-axes (mm), for all points or per point.

    Returns
    -------
    (n,) ndarray
        Signed distance (mm, negative inside).
    """
    k0 = np.linalg.norm(q / radii, axis=-1)
    k1 = np.linalg.norm(q / (radii * radii), axis=-1)
    return np.where(k1 > 1e-9, k0 * (k0 - 1.0) / np.maximum(k1, 1e-9), -np.min(radii, axis=-1))


@dataclass(frozen=True)
class Capsule:
    """A bar from ``a`` to ``b`` with an elliptical section and rounded ends.

    ``width`` and ``height`` are the section's full diameters at ``a`` and ``b``
    (linearly interpolated); ``height`` is measured along ``up`` projected off the axis.
    """

    a: tuple[float, float, float]
    b: tuple[float, float, float]
    width: tuple[float, float]
    height: tuple[float, float]
    up: tuple[float, float, float] = (0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        a = np.asarray(self.a, float)
        b = np.asarray(self.b, float)
        object.__setattr__(self, "_origin", a)
        object.__setattr__(self, "_length", float(np.linalg.norm(b - a)))
        object.__setattr__(self, "_rot", frame(b - a, self.up))

    def __call__(self, p: np.ndarray) -> np.ndarray:
        length = self._length
        x, y, s = _local(p, self._origin, self._rot)
        t = np.clip(s * (1.0 / length), 0.0, 1.0)
        rw = 0.5 * self.width[0] + (0.5 * (self.width[1] - self.width[0])) * t
        rh = 0.5 * self.height[0] + (0.5 * (self.height[1] - self.height[0])) * t
        over = s - np.clip(s, 0.0, length)
        re = np.minimum(rw, rh)
        # Inigo Quilez's ellipsoid bound, written out for speed (see ellipsoid_distance).
        qx, qy, qz = x / rw, y / rh, over / re
        k0 = np.sqrt(qx * qx + qy * qy + qz * qz)
        qx /= rw
        qy /= rh
        qz /= re
        k1 = np.sqrt(qx * qx + qy * qy + qz * qz)
        return np.where(k1 > 1e-9, k0 * (k0 - 1.0) / np.maximum(k1, 1e-9), -re)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """A box holding the capsule: its end points grown by its largest radius.

        Returns
        -------
        lo, hi : (3,) ndarray
            The box's corners (mm, the frame ``a`` and ``b`` are in).
        """
        r = 0.5 * max(*self.width, *self.height)
        pts = np.array([self.a, self.b], float)
        return pts.min(0) - r, pts.max(0) + r


@dataclass(frozen=True)
class Ellipsoid:
    """An ellipsoid with semi-axes ``radii`` along the rows of ``axes`` (identity if omitted)."""

    center: tuple[float, float, float]
    radii: tuple[float, float, float]
    axes: tuple[tuple[float, float, float], ...] = ((1, 0, 0), (0, 1, 0), (0, 0, 1))

    def __call__(self, p: np.ndarray) -> np.ndarray:
        q = np.column_stack(_local(p, np.asarray(self.center, float), np.asarray(self.axes, float)))
        return ellipsoid_distance(q, np.asarray(self.radii, float))

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """A cube about the centre, as wide as the longest semi-axis each way.

        Returns
        -------
        lo, hi : (3,) ndarray
            The cube's corners (mm, the frame ``center`` is in).
        """
        r = max(self.radii)
        c = np.asarray(self.center, float)
        return c - r, c + r

