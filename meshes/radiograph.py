"""Radiographs computed from the posed geometry (digitally reconstructed, parallel rays).

Each pixel's brightness follows the X-ray attenuation along its ray (Beer–Lambert):
``1 - exp(-sum(mu * length))`` over the tissues the ray crosses, shown as on film: bone
white on black. The tissues and their linear attenuation in excess of the water-like soft
tissue around them (mm⁻¹, about 60 keV; water 0.02, cortical bone about 0.057,
cancellous vertebral bone about 0.027, intervertebral disc about water):

- cortical shell of the bones: the outer surface's path length minus that of the surface
  moved :data:`CORTEX_MM` inward along its normals, so the endplates and the tangential
  walls draw the bright lines of a real film;
- cancellous interior: the inner surface's path length;
- nothing for the disc, the dural sac, the roots, the cartilage or the scar: they are water-like,
  as the body around them is, so on a film they are not seen and the disc space reads as a dark
  gap between the bodies.

The projections are those of the radiographs clinicians read of L5–S1 (patient standing,
world frame RAS, mm): lateral (patient facing the image's left), anteroposterior (the
patient's right on the image's left) and the two posterior obliques, which show the
"Scottie dog" of the side nearer the film (its neck the pars, its collar a pars defect). The
AP and the obliques are read as facing the patient, the lateral from the film's side. The
obliques are turned :data:`OBLIQUE_DEG` from the AP and processed for fine detail
(:func:`processed`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pyvista as pv

from meshes.modalities import XRAY
from meshes.rasterise import compiled, path_length

# Attenuation in excess of soft tissue, per mm of path (see the module docstring).
MU_CORTEX = 0.037
# Physically about 0.007; drawn at 40% of the cortex's so that a body reads as bone on a
# projector, as on a film whose contrast has been set for the spine (the radiologist's review).
MU_CANCELLOUS = 0.015
# The cortical shell's thickness (vertebral body walls about 0.4 mm, endplates 0.5-1 mm,
# posterior elements thicker): one figure for all, a little over a pixel at 512 px.
CORTEX_MM = 0.8
# How dark an unexposed film is, and how fast it whitens with attenuation.
FILM_GAIN = 1.6
BONES = ("L5", "S1", "sacrum")
# The field of view (mm): L5, S1 and the top of the sacrum, as on a coned lumbosacral view,
# centred this far behind S1's endplate centre (the arch and the sacrum's back are in view)
# and this far above it.
FIELD_MM = 150.0
CENTRE_BEHIND_MM = 15.0
CENTRE_ABOVE_MM = 8.0
# An oblique film looks at one Scottie dog: centred on that side's L5 pars, closer in.
OBLIQUE_FIELD_MM = 80.0
PARS_BEHIND_PEDICLE_MM = 8.0
# Its beam is turned this far (degrees) from the anteroposterior about the vertical. The
# textbook turn is 45 degrees; this L5's pedicles run nearly straight back and its transverse
# processes spring from a root as deep as the pedicle, so at 45 degrees the pedicle and that root
# make one large oval "eye" (25 mm across) with no "nose" past it (1 mm). At 35 degrees the eye
# is 22 mm across and the nose reaches 6 mm past it; the eye still lies over the body, two
# thirds of the way forward, and the pars gap of a 30% slip darkens the neck as much or more.
OBLIQUE_DEG = 35.0
# How a digital radiograph is processed for the spine's fine detail (unsharp masking): the film
# plus ``OBLIQUE_DETAIL`` times its difference from itself blurred over ``DETAIL_SIGMA_MM``. It
# lifts thin structures (a cortex, the pedicle's ring, the gap of a pars defect) out of the broad
# density of the vertebral body they lie over; applied to the obliques, whose dog lies over it.
OBLIQUE_DETAIL = 0.8
DETAIL_SIGMA_MM = 3.0
MODALITIES = XRAY


@dataclass(frozen=True)
class Projection:
    """A parallel projection onto a film.

    Attributes
    ----------
    name : str
        One of :data:`MODALITIES`.
    right, up, direction : (3,) ndarray
        Unit vectors, world frame RAS: the image's rightward and upward directions, and the
        rays' direction (from the tube to the film).
    centre : (3,) ndarray
        The world point at the image's centre, mm.
    field_mm : float
        The width (and height) of the field of view, mm.
    detail : float
        How much of the film's fine detail its processing adds back (unsharp masking, see
        :data:`OBLIQUE_DETAIL`); 0 for none.
    """

    name: str
    right: np.ndarray
    up: np.ndarray
    direction: np.ndarray
    centre: np.ndarray
    field_mm: float = FIELD_MM
    detail: float = 0.0

    def to_pixel(self, points, size: tuple[int, int]) -> np.ndarray:
        """Where world points fall on the film.

        Parameters
        ----------
        points : (n, 3) array_like
            World points, RAS, mm.
        size : tuple of int
            The image's ``(width, height)`` in pixels.

        Returns
        -------
        (n, 2) ndarray
            ``(column, row)`` in pixels from the top-left corner (fractional; a pixel's centre
            at ``+0.5``).
        """
        width, height = size
        scale = width / self.field_mm
        d = np.atleast_2d(np.asarray(points, float)) - self.centre
        return np.column_stack((d @ self.right * scale + 0.5 * width, -(d @ self.up) * scale + 0.5 * height))


def projection(name: str, marks: dict[str, np.ndarray]) -> Projection:
    """The projection of radiograph ``name`` centred on the posed segment.

    Parameters
    ----------
    name : str
        One of :data:`MODALITIES`.
    marks : dict of str to ndarray
        Posed landmarks (world RAS, mm): the film is centred a little above S1's endplate centre
        (a lateral one behind it, an oblique one on that side's L5 pars).

    Returns
    -------
    Projection
        Unit vectors and centre of that film.
    """
    if name not in MODALITIES:
        raise ValueError(f"unknown radiograph {name!r}; choose from {', '.join(MODALITIES)}")
    if name.startswith("xray-oblique"):
        return _oblique(name, marks)
    up = np.array([0.0, 0.0, 1.0])
    posterior = np.array([0.0, -1.0, 0.0])
    centre = np.asarray(marks["S1_endplate_center"], float) + CENTRE_ABOVE_MM * up
    if name == "xray-lateral":
        # From the patient's right to left, read from the film's side (the left): the patient
        # faces the image's left, posterior on the right.
        direction, right = np.array([-1.0, 0.0, 0.0]), posterior
        centre = centre + CENTRE_BEHIND_MM * posterior
    else:
        # Anterior to posterior, read as facing the patient (looking along the rays): the
        # patient's right on the image's left.
        direction = posterior
        right = np.cross(direction, up)
    return Projection(name, right, up, direction, centre)


def _oblique(name: str, marks: dict[str, np.ndarray]) -> Projection:
    """A posterior oblique: the side named lies against the film, the beam enters in front on
    the other side and leaves behind on this one, turned :data:`OBLIQUE_DEG` from the AP about
    the vertical, and the film is read as an AP one (facing the patient, looking along the
    rays: the patient's right on the image's left). So the dog of the side nearer the film faces
    the image's side where the patient's front is: the right for the left posterior oblique,
    the left for the right one."""
    side = name.rsplit("-", 1)[1]
    lateral = np.array([-1.0 if side == "left" else 1.0, 0.0, 0.0])
    up, forward = np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0])
    turn = np.radians(OBLIQUE_DEG)
    direction = -np.cos(turn) * forward + np.sin(turn) * lateral
    right = np.cross(direction, up)
    centre = np.asarray(marks[f"L5_pedicle_inferior_{side}"], float) - PARS_BEHIND_PEDICLE_MM * forward
    return Projection(name, right, up, direction, centre, OBLIQUE_FIELD_MM, OBLIQUE_DETAIL)


def radiograph(rest, structures: dict[str, pv.PolyData], film: Projection,
               size: tuple[int, int] = (512, 512)) -> np.ndarray:
    """The radiograph of the posed structures on ``film``.

    Parameters
    ----------
    rest : Rest
        The prepared segment: where S1 and the sacrum were cut apart and capped (their
        ``cap`` cells), so that the join is not drawn as a cortex.
    structures : dict of str to pyvista.PolyData
        Closed, outward-wound posed surfaces (world RAS, mm), as drawn: the bones
        (:data:`BONES`) are filmed; the soft tissues are not seen on a film and are ignored.
    film : Projection
        Where the rays go and the field of view.
    size : tuple of int
        ``(width, height)`` in pixels.

    Returns
    -------
    (height, width) ndarray of float32
        Brightness 0 (black, no attenuation) to 1 (white).
    """
    width, height = _checked(size)
    points, triangles, weights = [], [], []
    offset = 0

    def add(p: np.ndarray, t: np.ndarray, mu: float) -> None:
        """Append one closed surface, attenuating ``mu`` per mm (mm⁻¹), to the film's list.

        Parameters
        ----------
        p : (n, 3) ndarray
            Its posed points, world RAS, mm.
        t : (m, 3) ndarray
            Its triangles (indices into ``p``).
        mu : float
            Its weight, mm⁻¹.
        """
        nonlocal offset
        points.append(p)
        triangles.append(t + offset)
        weights.append(np.full(len(t), mu, np.float32))
        offset += len(p)

    for name, mesh in structures.items():
        if name not in BONES:
            continue
        source = rest.segment.structures.get(name, mesh)
        p, t = np.asarray(mesh.points, float), _triangles(source)
        # The cortex is the outer surface's path less the inner one's: mu_cortex * outer
        # + (mu_cancellous - mu_cortex) * inner.
        add(p, t, MU_CORTEX)
        add(p - CORTEX_MM * _inward_free(p, source), t, MU_CANCELLOUS - MU_CORTEX)
    if not points:
        return np.zeros((height, width), np.float32)
    p = np.concatenate(points)
    pixels = film.to_pixel(p, (width, height))
    # The splatter sums depths over triangles wound counter-clockwise in the frame (column, row,
    # ray); a film read from the tube's side (AP, obliques) turns that frame over, and with it
    # every triangle's sign: the depth turns over too, so the sum stays the positive path.
    depth = (p - film.centre) @ film.direction * _handedness(film)
    attenuation = path_length(pixels[:, 0], pixels[:, 1], depth, np.concatenate(triangles), (height, width),
                              np.concatenate(weights))
    film_grey = 1.0 - np.exp(-FILM_GAIN * np.maximum(attenuation, 0.0))
    if film.detail:
        film_grey = processed(film_grey, film.detail, DETAIL_SIGMA_MM * width / film.field_mm)
    return film_grey.astype(np.float32)


# A blur this many times wider than a pixel is worked out on a film shrunk this many times.
BLUR_SHRINK = 4


def processed(image: np.ndarray, detail: float, sigma_px: float) -> np.ndarray:
    """A film with its fine detail lifted, as a digital radiograph's processing does
    (unsharp masking).

    Parameters
    ----------
    image : (height, width) ndarray
        Brightness, 0 to 1.
    detail : float
        How much of the difference from the blurred film is added back (0: none).
    sigma_px : float
        The blur's standard deviation, pixels: detail finer than about this is lifted.

    Returns
    -------
    (height, width) ndarray
        ``image + detail * (image - blurred)``, clipped to 0 to 1. A film with no tissue stays
        black.
    """
    from scipy.ndimage import gaussian_filter, zoom

    height, width = image.shape
    k = BLUR_SHRINK if sigma_px >= 2 * BLUR_SHRINK and height % BLUR_SHRINK == 0 and width % BLUR_SHRINK == 0 else 1
    if k > 1:  # a wide blur, done on a film shrunk k times and stretched back (0.02 at most off the full one)
        small = image.reshape(height // k, k, width // k, k).mean(axis=(1, 3))
        blurred = zoom(gaussian_filter(small, sigma_px / k, mode="nearest"), k, order=1, mode="nearest",
                       grid_mode=True)
    else:
        blurred = gaussian_filter(image, sigma_px, mode="nearest")
    return np.clip(image + detail * (image - blurred), 0.0, 1.0)


def _handedness(film: Projection) -> float:
    """+1 for a film read from its own side, facing the tube (``right x up`` along the rays:
    the lateral), -1 for one read looking along the rays, as facing the patient (the AP and
    the obliques)."""
    return 1.0 if np.dot(np.cross(film.right, film.up), film.direction) > 0 else -1.0


def _triangles(mesh: pv.PolyData) -> np.ndarray:
    return _topology(mesh)[0]


# Each rest surface's triangles and cap vertices, worked out once: posing moves points only.
# (By identity, with a weak reference to tell a recycled id: pyvista meshes are not hashable.)
_TOPOLOGY: dict[int, tuple] = {}


def _topology(source: pv.PolyData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    known = _TOPOLOGY.get(id(source))
    if known is None or known[0]() is not source:
        t = np.asarray(source.faces).reshape(-1, 4)[:, 1:].astype(np.int64)
        cap = np.asarray(source.cell_data["cap"], bool) if "cap" in source.cell_data else np.zeros(len(t), bool)
        key = id(source)
        known = (weakref.ref(source, lambda _ref: _TOPOLOGY.pop(key, None)), t, np.nonzero(cap)[0], np.unique(t[cap]))
        _TOPOLOGY[key] = known
    return known[1:]


def _inward_free(p: np.ndarray, source: pv.PolyData) -> np.ndarray:
    """Outward unit vertex normals of a closed mesh, with the part across a cut's cap removed on
    the cap's vertices: S1 and the sacrum are one bone cut apart, and their join has no cortex."""
    t, cap_cells, on_cap = _topology(source)
    n = np.zeros_like(p)
    _normals(p, t, n)
    if len(cap_cells):
        a, b, c = (p[t[cap_cells, k]] for k in range(3))
        axis = np.cross(b - a, c - a).sum(axis=0)
        axis /= np.linalg.norm(axis)
        n[on_cap] -= np.outer(n[on_cap] @ axis, axis)  # slides along the cap, never across it
    return n


def _normals_python(p, t, n):  # pragma: no cover (compiled)
    """Area-weighted vertex normals, normalised, into ``n``."""
    for f in range(t.shape[0]):
        i, j, k = t[f, 0], t[f, 1], t[f, 2]
        ux, uy, uz = p[j, 0] - p[i, 0], p[j, 1] - p[i, 1], p[j, 2] - p[i, 2]
        vx, vy, vz = p[k, 0] - p[i, 0], p[k, 1] - p[i, 1], p[k, 2] - p[i, 2]
        nx, ny, nz = uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx
        for v in (i, j, k):
            n[v, 0] += nx
            n[v, 1] += ny
            n[v, 2] += nz
    for v in range(n.shape[0]):
        length = (n[v, 0] ** 2 + n[v, 1] ** 2 + n[v, 2] ** 2) ** 0.5
        if length > 1e-12:
            n[v, 0] /= length
            n[v, 1] /= length
            n[v, 2] /= length


def _checked(size) -> tuple[int, int]:
    width, height = (int(v) for v in size)
    if width < 16 or height < 16 or width > 4096 or height > 4096:
        raise ValueError(f"a radiograph is 16 to 4096 pixels a side, got {width}x{height}")
    return width, height


_normals = compiled(_normals_python)
