"""Where the parts sit: rigid transforms between the L5 frame, the S1 frame and the world.

World frame: RAS in mm (+x patient's right, +y anterior, +z superior), origin at the
centre of the S1 superior endplate. The S1 frame shares that origin but its z axis is
the endplate's normal, so the sacrum is modelled upright and then tilted forward by
the sacral slope. The L5 frame has its origin at the centre of the L5 body.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshes.anatomy import Anatomy

S1_CUPPING = 1.0
RIM_ALLOWANCE = 2.1


def rotation_x(degrees: float) -> np.ndarray:
    """Homogeneous rotation about the +x axis through the origin.

    Parameters
    ----------
    degrees : float
        Angle in degrees; positive turns +y toward +z.

    Returns
    -------
    (4, 4) ndarray
        The rotation matrix, for points as columns.
    """
    t = np.radians(degrees)
    m = np.eye(4)
    m[1:3, 1:3] = [[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]
    return m


def translation(v) -> np.ndarray:
    """Homogeneous translation by a vector.

    Parameters
    ----------
    v : array_like, (3,)
        The shift (mm), in whatever frame the matrix will be applied in.

    Returns
    -------
    (4, 4) ndarray
        The translation matrix.
    """
    m = np.eye(4)
    m[:3, 3] = v
    return m


# From this many points on, transforms are summed column by column: a matrix product
# this thin goes to the threaded BLAS, which is slower, and far slower on a busy machine.
BLAS_BELOW = 4096


def apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Apply a homogeneous transform to points.

    From BLAS_BELOW points on, the product is summed column by column, without the
    threaded BLAS.

    Parameters
    ----------
    matrix : (4, 4) ndarray
        The transform, from the points' frame to the frame wanted.
    points : array_like, (n, 3)
        The points (mm); a single (3,) point also works.

    Returns
    -------
    ndarray
        The transformed points, shaped like ``points``.
    """
    pts = np.asarray(points, float)
    if pts.ndim != 2 or len(pts) < BLAS_BELOW:
        return pts @ matrix[:3, :3].T + matrix[:3, 3]
    x, y, z = pts[:, 0], pts[:, 1], pts[:, 2]
    out = np.empty_like(pts)
    for i, (a, b, c, d) in enumerate(matrix[:3]):
        col = x * a
        col += y * b
        col += z * c
        col += d
        out[:, i] = col
    return out


@dataclass(frozen=True)
class Placement:
    """Transforms from each part's modelling frame to the S1 frame and to the world."""

    l5_to_s1: np.ndarray
    s1_to_world: np.ndarray

    @property
    def l5_to_world(self) -> np.ndarray:
        """From L5's local frame to the world frame RAS (+x right, +y anterior, +z superior).

        Returns
        -------
        (4, 4) ndarray
            ``s1_to_world @ l5_to_s1``.
        """
        return self.s1_to_world @ self.l5_to_s1

    @property
    def s1_to_l5(self) -> np.ndarray:
        """From S1's local frame to L5's local frame.

        Returns
        -------
        (4, 4) ndarray
            The inverse of ``l5_to_s1``.
        """
        return np.linalg.inv(self.l5_to_s1)


def disc_wedge_deg(anatomy: Anatomy) -> float:
    """Lordotic wedge angle of the disc between its endplate rims.

    Parameters
    ----------
    anatomy : Anatomy
        Gives the anterior and posterior disc heights and the two endplate depths (mm).

    Returns
    -------
    float
        The angle (degrees) whose tangent is the height difference over the mean depth.
    """
    depth = 0.5 * (anatomy.l5_endplate_depth + anatomy.s1_endplate_depth)
    return float(np.degrees(np.arctan2(anatomy.disc_height_anterior - anatomy.disc_height_posterior, depth)))


def placement(anatomy: Anatomy) -> Placement:
    """Seat L5 on the disc above S1 and tilt the whole segment by the sacral slope.

    The L5 inferior endplate's centre sits at the mean disc height above the S1
    endplate's centre, turned by the disc's wedge angle (anterior side taller), then
    moved along y so that L5's posterior-inferior corner lines up with S1's posterior wall.

    Parameters
    ----------
    anatomy : Anatomy
        The segment's dimensions: disc heights, endplate depths, L5 body heights and the
        sacral slope (degrees).

    Returns
    -------
    Placement
        ``l5_to_s1`` seats L5 on the disc in S1's local frame; ``s1_to_world`` tilts the
        segment forward by the sacral slope (minus the slope about +x) into the world frame
        of the rest pose.
    """
    from meshes.l5_proportions import L5Layout

    body = L5Layout.of(anatomy).body
    half_ant = 0.5 * body.height_anterior
    half_post = 0.5 * body.height_posterior
    # The L5 body is a symmetric wedge about its own mid-plane, so its inferior
    # endplate is already tilted by half the body's wedge angle in the L5 frame.
    body_half_wedge = np.degrees(np.arctan2(half_ant - half_post, anatomy.l5_endplate_depth))
    # George's line: the posterior walls of L5 and S1 line up, so the larger L5
    # endplate overhangs S1 in front, as in a normal lateral radiograph.
    forward = 0.5 * (anatomy.l5_endplate_depth - anatomy.s1_endplate_depth)
    inferior_centre = np.array([0.0, -forward, -0.5 * (half_ant + half_post)])
    mean_disc = 0.5 * (anatomy.disc_height_anterior + anatomy.disc_height_posterior)
    # The S1 endplate is cupped: its rim stands this far above its centre (the origin).
    # Both rims are rounded, so the surface corners where disc height is measured sit
    # lower (S1) and higher (L5) than the nominal corners: allow for that.
    s1_rim = S1_CUPPING - RIM_ALLOWANCE
    l5_to_s1 = (
        translation([0.0, 0.0, mean_disc + s1_rim])
        @ rotation_x(disc_wedge_deg(anatomy) + body_half_wedge)
        @ translation(-inferior_centre)
    )
    # Turning about the endplate's centre carries the posterior corner along a little:
    # bring it back onto S1's, so that the walls line up at the corners themselves.
    corner = (l5_to_s1 @ np.array([0.0, -0.5 * anatomy.l5_endplate_depth, -half_post, 1.0]))[1]
    l5_to_s1 = translation([0.0, -0.5 * anatomy.s1_endplate_depth - corner, 0.0]) @ l5_to_s1
    return Placement(l5_to_s1=l5_to_s1, s1_to_world=rotation_x(-anatomy.sacral_slope))


def s1_axes(marks: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, float]:
    """The S1 endplate's axes, from its landmarks.

    Parameters
    ----------
    marks : dict of str to ndarray
        Landmarks with ``S1_endplate_anterior`` and ``S1_endplate_posterior``, world frame RAS
        (+x right, +y anterior, +z superior), mm.

    Returns
    -------
    u : (3,) ndarray
        Unit vector forward along the S1 endplate (posterior to anterior corner).
    w : (3,) ndarray
        Its normal (x cross u: up, toward L5).
    depth : float
        The endplate's depth (mm), posterior to anterior corner.
    """
    ant = marks["S1_endplate_anterior"] - marks["S1_endplate_posterior"]
    depth = float(np.sqrt(ant @ ant))
    u = ant / depth
    normal = np.array([0.0, -u[2], u[1]])  # x cross u
    return u, normal / np.sqrt(normal @ normal), depth

