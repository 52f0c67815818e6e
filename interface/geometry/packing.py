"""Seeded random packing of polydisperse discs (2D) / spheres (3D) in a box.

Algorithm ("grow and relax", a soft-particle collective-rearrangement
variant of Lubachevsky-Stillinger growth)
------------------------------------------------------------------------
1. Draw ``N`` radii from a log-normal distribution (mean ``r_mean``,
   coefficient of variation ``cv``), ``N`` chosen so that the expected
   solid fraction equals the target, then rescale all radii so that the
   *exact* fraction equals the target.  All particles lie completely
   inside the box (they are never cut by its faces).
2. Place centres uniformly at random, start with radii shrunk by a factor
   ``s0`` and grow them to full size in ``n_stages`` stages.  After each
   growth stage the overlap energy

       E = sum_{i<j} <r_i + r_j + g - d_ij>_+^2
           + sum_i sum_faces <r_i + m - dist(x_i, face)>_+^2

   (``g`` = minimum particle-particle gap, ``m`` = minimum wall gap) is
   minimised over the centres with L-BFGS (analytic gradient, neighbour
   lists from ``scipy.spatial.cKDTree``).  This is an overdamped
   relaxation of soft particles: below jamming a zero-energy state (no
   overlap, all gaps >= g) exists and is found quickly.
3. At full size the minimisation is repeated (with random "shaking"
   restarts) until the minimum clearance is >= g.  If that fails after
   ``max_restarts`` attempts, :class:`PackingError` is raised.

Random sequential addition jams at ~55 % (2D) / ~38 % (3D); the relaxation
reaches 75 % in 2D (polydisperse, moderate gaps) and ~60 % in 3D.

Periodic mode (``periodic=True``)
---------------------------------
The box is a periodic cell: particle distances are minimum-image distances
over the ``3**dim`` periodic images, there are no walls (no wall effect, the
packing is statistically homogeneous up to the box faces) and the particles
are later *cut* by the box faces (:func:`interface.geometry.rve.rve_mesh`
meshes every image piece inside the box as part of the same particle).  The
wall term of the energy is replaced by a face-tangency term

    sum_i sum_s sum_{A} <f - | d_A(x_i) - (r_i + s) |>_+^2

over the codimension-1..dim "flats" A of the box (faces, edges, corners),
d_A = distance of the centre to the nearest flat of that kind and
``s`` in ``shells`` (0 and the coating thickness): no sphere surface is
within ``f`` (``face_gap``) of touching a face, an edge or a corner, so the
boolean cut with the box has no slivers and no near-tangent caps.  The
achievable fractions are those of polydisperse random packings with the
minimum gap acting as an extra shell: 3D 55 % with cv 0.2, 65 % with cv 0.5,
75 % with cv 0.8, ``r_min_factor`` 0.15 and gap 0.03 r_mean (measured numbers:
docs/theory/rve.md).  At full size, jammed periodic packings get radius swaps,
relocation of overlapping particles into the largest voids and kicks of the
overlapping particles only.  The relaxation uses Verlet neighbour lists (cut-off
plus a skin of 0.3 r_mean, rebuilt after moves of half the skin).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize
from scipy.spatial import cKDTree

__all__ = ["Packing", "PackingError", "pack_particles", "check_packing", "face_margin",
           "periodic_images"]


class PackingError(RuntimeError):
    """Raised when the requested solid fraction cannot be reached."""


@dataclass
class Packing:
    """Result of :func:`pack_particles` (SI units, m)."""

    centres: np.ndarray  # (N, dim)
    radii: np.ndarray  # (N,)
    box: np.ndarray  # (2, dim): lower and upper corner
    min_gap: float
    wall_gap: float
    seed: int
    info: dict = field(default_factory=dict)
    periodic: bool = False

    @property
    def dim(self) -> int:
        """2 (discs) or 3 (spheres)."""
        return self.centres.shape[1]

    @property
    def volume_fraction(self) -> float:
        """Solid area (2D) or volume (3D) fraction of the box."""
        vol = np.prod(self.box[1] - self.box[0])
        return float(_ball_measure(self.radii, self.dim).sum() / vol)


def _ball_measure(r: np.ndarray, dim: int) -> np.ndarray:
    return np.pi * r**2 if dim == 2 else 4.0 / 3.0 * np.pi * r**3


def _shifts(dim: int) -> np.ndarray:
    """The 3**dim integer image shifts, (0, ..., 0) first."""
    g = np.array(np.meshgrid(*[[0, -1, 1]] * dim, indexing="ij")).reshape(dim, -1).T
    return g.astype(float)


def _pairs(x, radii, cut, size):
    """(i, j, dvec = x_i - x_j(image)) of all pairs (and periodic images) closer than ``cut``.

    ``size`` None: plain distances; otherwise the box edges of a periodic cell
    (every image of j counts, each physical pair once, self-images excluded).
    """
    n = len(radii)
    if size is None:
        if n < 2:
            return np.zeros(0, int), np.zeros(0, int), np.zeros((0, x.shape[1]))
        pairs = cKDTree(x).query_pairs(cut, output_type="ndarray")
        if len(pairs) == 0:
            return np.zeros(0, int), np.zeros(0, int), np.zeros((0, x.shape[1]))
        i, j = pairs[:, 0], pairs[:, 1]
        return i, j, x[i] - x[j]
    sh = _shifts(x.shape[1]) * size[None, :]
    allx = (x[None, :, :] + sh[:, None, :]).reshape(-1, x.shape[1])
    pairs = cKDTree(allx).query_pairs(cut, output_type="ndarray")
    if len(pairs) == 0:
        return np.zeros(0, int), np.zeros(0, int), np.zeros((0, x.shape[1]))
    a, b = pairs[:, 0], pairs[:, 1]  # a < b
    keep = (a < n) & (b % n > a)
    a, b = a[keep], b[keep]
    return a, b % n, x[a] - allx[b]


def _pair_list(x, radii, cut, size):
    """Verlet list (i, j, offset) with x_i - x_j - offset the pair vector (periodic image).

    Pairs closer than ``cut``; ``size`` None: no images (offset 0).
    """
    n, dim = x.shape
    empty = (np.zeros(0, int), np.zeros(0, int), np.zeros((0, dim)))
    if size is None:
        if n < 2:
            return empty
        pairs = cKDTree(x).query_pairs(cut, output_type="ndarray")
        if len(pairs) == 0:
            return empty
        return pairs[:, 0], pairs[:, 1], np.zeros((len(pairs), dim))
    sh = _shifts(dim) * size[None, :]
    allx = (x[None, :, :] + sh[:, None, :]).reshape(-1, dim)
    pairs = cKDTree(allx).query_pairs(cut, output_type="ndarray")
    if len(pairs) == 0:
        return empty
    a, b = pairs[:, 0], pairs[:, 1]
    keep = (a < n) & (b % n > a)
    a, b = a[keep], b[keep]
    return a, b % n, sh[b // n]


def _face_terms(x, radii, lo, hi, f, shells):
    """Energy and gradient of the face-tangency penalty (periodic mode)."""
    dim = x.shape[1]
    dl, dh = x - lo[None, :], hi[None, :] - x
    m = np.minimum(dl, dh)  # distance to the nearest face plane per axis
    sgn = np.where(dl <= dh, 1.0, -1.0)  # d m / d x
    e = 0.0
    grad = np.zeros_like(x)
    for k in range(1, dim + 1):
        for axes in _combinations(dim, k):
            d = np.sqrt(np.sum(m[:, axes] ** 2, axis=1))
            dsafe = np.maximum(d, 1e-300)
            for s in shells:
                u = d - (radii + s)
                ov = f - np.abs(u)
                sel = ov > 0
                if not np.any(sel):
                    continue
                e += np.sum(ov[sel] ** 2)
                # d(ov^2)/dx = -2 ov sign(u) dd/dx, dd/dx_a = m_a sgn_a / d
                coef = np.where(sel, -2.0 * ov * np.where(u >= 0, 1.0, -1.0) / dsafe, 0.0)
                for a in axes:
                    grad[:, a] += coef * m[:, a] * sgn[:, a]
    return e, grad


def _combinations(dim, k):
    from itertools import combinations

    return [list(c) for c in combinations(range(dim), k)]


def _energy(flat_x, radii, lo, hi, gap, wall, dim, periodic=False, face=0.0, shells=(0.0,),
            plist=None):
    """Overlap energy and its gradient.

    ``plist``: a Verlet list from :func:`_pair_list` built at a nearby
    (unwrapped) configuration; None: exact neighbour search.
    """
    x = flat_x.reshape(-1, dim)
    grad = np.zeros_like(x)
    e = 0.0
    size = (hi - lo) if periodic else None
    # particle-particle
    if plist is None:
        if periodic:
            x = lo + np.mod(x - lo, size)
        i, j, dvec = _pairs(x, radii, 2.0 * radii.max() + gap, size)
    else:
        i, j, off = plist
        dvec = x[i] - x[j] - off
        if periodic:
            x = lo + np.mod(x - lo, size)
    if len(i) > 0:
        d = np.linalg.norm(dvec, axis=1)
        ov = radii[i] + radii[j] + gap - d
        m = ov > 0.0
        if np.any(m):
            i, j, dvec, d, ov = i[m], j[m], dvec[m], d[m], ov[m]
            e += np.sum(ov**2)
            dsafe = np.maximum(d, 1e-300)
            gvec = (-2.0 * ov / dsafe)[:, None] * dvec
            np.add.at(grad, i, gvec)
            np.add.at(grad, j, -gvec)
    if periodic:
        if face > 0:
            ef, gf = _face_terms(x, radii, lo, hi, face, shells)
            e += ef
            grad += gf
        return e, grad.ravel()
    # walls
    rl = radii[:, None] + wall
    ovl = rl - (x - lo[None, :])
    ovh = rl - (hi[None, :] - x)
    ml = ovl > 0
    mh = ovh > 0
    e += np.sum(ovl[ml] ** 2) + np.sum(ovh[mh] ** 2)
    grad += np.where(ml, -2.0 * ovl, 0.0) + np.where(mh, 2.0 * ovh, 0.0)
    return e, grad.ravel()


def _swap_radii(x, radii, s, e, lo, hi, gap, wall, dim, rng, attempts, extra=()):
    """Swap Monte Carlo on the radii (accept swaps that lower the overlap).

    Exchanging the sizes of two particles is a non-local move that relaxes
    jammed polydisperse packings much faster than displacements alone.
    """
    radii = radii.copy()
    n = len(radii)
    periodic = bool(extra[0]) if extra else False
    # positions are fixed during the swaps: one exact neighbour list (swaps keep max r)
    plist = _pair_list(x, radii * s, 2.0 * radii.max() * s + gap,
                       (hi - lo) if periodic else None)
    for _ in range(attempts):
        i, j = rng.integers(n, size=2)
        if i == j or radii[i] == radii[j]:
            continue
        radii[i], radii[j] = radii[j], radii[i]
        e_new, _ = _energy(x.ravel(), radii * s, lo, hi, gap, wall, dim,
                           *(extra or (False, 0.0, (0.0,))), plist)
        if e_new < e:
            e = e_new
        else:
            radii[i], radii[j] = radii[j], radii[i]
    return x, radii, e


def _overlapping(x, radii, box, gap):
    """Mask of the particles of a periodic packing with a clearance below ``gap``."""
    size = box[1] - box[0]
    i, j, dvec = _pairs(x, radii, 2.0 * radii.max() + gap, size)
    bad = np.zeros(len(radii), bool)
    if len(i):
        sel = np.linalg.norm(dvec, axis=1) - radii[i] - radii[j] < gap
        bad[i[sel]] = True
        bad[j[sel]] = True
    return bad


def _relocate_into_voids(x, radii, box, gap, which, rng, samples_per_particle=400):
    """Move the flagged particles of a periodic packing into the largest free voids.

    For each flagged particle (smallest first) random points are sampled in the
    box; the point farthest from every other particle surface (minimum image)
    becomes its new centre if the particle fits there with the gap.  A non-local
    move: small particles leave jammed contacts for the holes of the packing.
    Returns (x, moved mask).
    """
    x = x.copy()
    lo, hi = box
    size = hi - lo
    dim = x.shape[1]
    n = len(radii)
    moved = np.zeros(n, bool)
    sh = _shifts(dim) * size[None, :]
    for i in np.flatnonzero(which)[np.argsort(radii[which])]:
        others = np.flatnonzero(np.arange(n) != i)
        if len(others) == 0:
            continue
        allx = (x[others][None, :, :] + sh[:, None, :]).reshape(-1, dim)
        allr = np.tile(radii[others], len(sh))
        tree = cKDTree(allx)
        pts = lo + rng.random((samples_per_particle, dim)) * size
        k = min(len(allx), 16)
        d, j = tree.query(pts, k=k)
        d, j = np.atleast_2d(d), np.atleast_2d(j)
        clear = np.min(d - allr[j], axis=1)
        best = int(np.argmax(clear))
        if clear[best] >= radii[i] + gap:
            x[i] = pts[best]
            moved[i] = True
    return x, moved


def periodic_images(centres, radii, box, pad=0.0):
    """Periodic images of the particles that reach into the box.

    Returns ``(index, centres)``: for every image (the particle itself
    included) whose ball of radius ``r + pad`` intersects the box, the
    particle index and the image centre (m).
    """
    centres = np.asarray(centres, float)
    radii = np.asarray(radii, float)
    box = np.asarray(box, float)
    lo, hi = box
    size = hi - lo
    idx, cen = [], []
    for sh in _shifts(centres.shape[1]):
        c = centres + sh[None, :] * size[None, :]
        # distance from the centre to the box (0 inside)
        d = np.linalg.norm(np.maximum(0.0, np.maximum(lo - c, c - hi)), axis=1)
        sel = np.flatnonzero(d < radii + pad)
        idx.append(sel)
        cen.append(c[sel])
    idx = np.concatenate(idx)
    cen = np.vstack(cen)
    order = np.lexsort((np.arange(len(idx)), idx))
    return idx[order], cen[order]


def face_margin(centres, radii, box, shells=(0.0,)) -> float:
    """Smallest | distance to a box face / edge / corner - (r + s) | (periodic mode).

    Zero means a sphere (or coating, ``s`` > 0) surface touches a face, an
    edge or a corner of the box tangentially: the cut would make a sliver.
    """
    centres = np.asarray(centres, float)
    radii = np.asarray(radii, float)
    lo, hi = np.asarray(box, float)
    x = lo + np.mod(centres - lo, hi - lo)
    m = np.minimum(x - lo, hi - x)
    best = np.inf
    dim = centres.shape[1]
    for k in range(1, dim + 1):
        for axes in _combinations(dim, k):
            d = np.sqrt(np.sum(m[:, axes] ** 2, axis=1))
            for s in shells:
                best = min(best, float(np.min(np.abs(d - radii - s))))
    return best


def check_packing(centres, radii, box, min_gap=0.0, wall_gap=0.0, periodic=False):
    """Return (min particle-particle clearance, min wall clearance).

    Clearance of a pair = d_ij - r_i - r_j (surface-to-surface distance);
    with ``periodic`` the minimum-image clearance (periodic images
    included) and the wall clearance is ``inf`` (no walls).
    """
    centres = np.asarray(centres, float)
    radii = np.asarray(radii, float)
    box = np.asarray(box, float)
    n = len(radii)
    size = (box[1] - box[0]) if periodic else None
    if periodic:
        centres = box[0] + np.mod(centres - box[0], size)
    cl = np.inf
    if n > 1 or (periodic and n > 0):
        cut = 2.0 * radii.max() + 2.0 * max(min_gap, 0.0) + 1e-12 * radii.max()
        i, j, dvec = _pairs(centres, radii, cut, size)
        if len(i) > 0:
            cl = float(np.min(np.linalg.norm(dvec, axis=1) - radii[i] - radii[j]))
    if periodic:
        return cl, np.inf
    wl = np.min(np.concatenate([(centres - box[0]) - radii[:, None],
                                (box[1] - centres) - radii[:, None]]))
    return cl, float(wl)


def pack_particles(
    box,
    target_fraction: float,
    r_mean: float,
    cv: float = 0.2,
    *,
    min_gap: float | None = None,
    wall_gap: float | None = None,
    seed: int = 0,
    n_particles: int | None = None,
    radii: np.ndarray | None = None,
    n_stages: int = 12,
    s0: float = 0.5,
    max_restarts: int = 20,
    r_min_factor: float = 0.4,
    stage_shakes: int = 5,
    swap_attempts: int = 200,
    periodic: bool = False,
    face_gap: float | None = None,
    shells=(0.0,),
) -> Packing:
    """Random packing of polydisperse discs/spheres inside ``box``.

    Args:
        box: ``[[xmin, ymin(, zmin)], [xmax, ymax(, zmax)]]`` (m); its
            dimension (2 or 3) selects discs or spheres.
        target_fraction: requested solid area/volume fraction (0-0.8).
        r_mean: mean radius of the log-normal size distribution (m).
        cv: coefficient of variation of the radii (0 = monodisperse).
        min_gap: minimum surface-to-surface clearance between particles
            (default ``0.05 r_mean``); keeps the conforming mesh valid.
        wall_gap: minimum clearance between particles and box faces
            (default ``min_gap``; walled mode only).
        seed: seed of the ``numpy.random.default_rng`` generator; the
            packing is a deterministic function of all arguments.
        n_particles: override the number of particles (otherwise
            ``round(phi |box| / E[particle measure])``, at least 1).
        radii: explicit radii (overrides ``r_mean``/``cv``/``n_particles``);
            they are rescaled to hit ``target_fraction``.
        n_stages: number of growth stages.
        s0: initial radius factor of the growth schedule.
        stage_shakes: shake-and-relax attempts per growth stage when the
            relaxed state still has overlaps (jammed).
        swap_attempts: radius-swap Monte Carlo trials per jammed stage.
        max_restarts: number of shake-and-relax attempts at full size.
        r_min_factor: radii are clipped below at ``r_min_factor * r_mean``.
        periodic: periodic cell (minimum-image distances, no walls; the
            particles are cut by the box faces when meshed).
        face_gap: periodic mode: smallest distance of every sphere surface
            (radius ``r + s`` for ``s`` in ``shells``) from tangency with a
            box face, edge or corner, m (default ``min_gap / 2``).
        shells: periodic mode: radius offsets whose surfaces are kept
            ``face_gap`` away from tangency (e.g. ``(0, t)`` with a coating
            of thickness ``t``), m.

    Raises:
        PackingError: if no overlap-free configuration with the requested
            gaps was found (fraction too high for the gaps / box size / cv).
    """
    box = np.asarray(box, dtype=float)
    if box.shape[0] != 2 or box.shape[1] not in (2, 3):
        raise ValueError("box must be [[lower corner], [upper corner]] in 2D or 3D")
    if r_mean <= 0:
        raise ValueError("r_mean must be positive")
    # work in units of r_mean (the optimiser tolerances are absolute)
    scale = float(r_mean)
    res = _pack_scaled(
        box / scale, target_fraction, cv, None if min_gap is None else min_gap / scale,
        None if wall_gap is None else wall_gap / scale, seed, n_particles,
        None if radii is None else np.asarray(radii, float) / scale, n_stages, s0,
        max_restarts, r_min_factor, stage_shakes, swap_attempts, periodic,
        None if face_gap is None else face_gap / scale,
        tuple(float(v) / scale for v in shells))
    res.centres *= scale
    res.radii *= scale
    res.box = box
    res.min_gap *= scale
    res.wall_gap *= scale
    res.info["min_clearance"] *= scale
    res.info["min_wall_clearance"] *= scale
    if periodic:
        res.info["face_gap"] *= scale
        res.info["face_margin"] *= scale
    return res


def _pack_scaled(box, target_fraction, cv, min_gap, wall_gap, seed, n_particles, radii,
                 n_stages, s0, max_restarts, r_min_factor, stage_shakes, swap_attempts,
                 periodic=False, face_gap=None, shells=(0.0,)):
    r_mean = 1.0
    dim = box.shape[1]
    lo, hi = box[0], box[1]
    size = hi - lo
    if np.any(size <= 0):
        raise ValueError("box must have positive extent")
    if not 0.0 < target_fraction < 1.0:
        raise ValueError("target_fraction must lie in (0, 1)")
    densest = np.pi / (2.0 * np.sqrt(3.0)) if dim == 2 else np.pi / (3.0 * np.sqrt(2.0))
    if target_fraction > densest and not (periodic and cv > 0):
        # polydisperse packings can exceed the densest monodisperse one in principle,
        # but not with this algorithm, walls and a minimum gap: fail at once, not after
        # minutes
        raise PackingError(f"solid fraction {target_fraction:.3f} exceeds the densest "
                           f"packing of equal {'discs' if dim == 2 else 'spheres'} "
                           f"({densest:.4f})" + ("" if periodic else " (walled packing)"))
    gap = 0.05 * r_mean if min_gap is None else float(min_gap)
    wall = gap if wall_gap is None else float(wall_gap)
    face = 0.5 * gap if face_gap is None else float(face_gap)
    shells = tuple(shells) if periodic else (0.0,)
    vol = float(np.prod(size))
    rng = np.random.default_rng(seed)

    if radii is None:
        if cv > 0:
            sig2 = np.log(1.0 + cv**2)
            mu = np.log(r_mean) - 0.5 * sig2

            def draw(n):
                return np.maximum(rng.lognormal(mu, np.sqrt(sig2), n), r_min_factor * r_mean)
        else:

            def draw(n):
                return np.full(n, r_mean)

        if n_particles is None:
            sample = draw(20000)
            mean_measure = _ball_measure(sample, dim).mean()
            n_particles = max(1, int(round(target_fraction * vol / mean_measure)))
        radii = draw(n_particles)
    radii = np.sort(np.asarray(radii, dtype=float))[::-1].copy()
    # rescale to the exact target fraction
    scale = (target_fraction * vol / _ball_measure(radii, dim).sum()) ** (1.0 / dim)
    radii *= scale
    if periodic:
        # a particle must not reach its own image, and its surfaces (with the
        # face margin) must fit in half a box edge (one nearest flat per axis)
        if np.any(2.0 * radii.max() + gap > size) or \
                np.any(radii.max() + max(shells) + face >= 0.5 * size):
            raise PackingError(
                f"largest particle (r={radii.max():.3e} r_mean) is too large for the periodic "
                f"box (edge {size.min():.3e} r_mean): it must stay below half the edge")
    elif np.any(2 * (radii.max() + wall) > size):
        raise PackingError(
            f"largest particle (r={radii.max():.3e}) does not fit in the box with wall gap "
            f"{wall:.3e}"
        )
    shell_fraction = float(_ball_measure(radii + 0.5 * gap, dim).sum()) / vol
    if shell_fraction >= 1.0:
        # the balls of radius r + g/2 cannot overlap: a rigorous bound, fail at once
        raise PackingError(f"solid fraction {target_fraction:.3f} with the minimum gap "
                           f"{gap:.3e} r_mean would need {shell_fraction:.3f} of the box for "
                           "the particles and half gaps")
    n = len(radii)
    # slightly inflated gaps in the optimisation so the final check passes
    gap_opt, wall_opt = gap * 1.02 + 1e-12 * r_mean, wall * 1.02 + 1e-12 * r_mean
    face_opt = face * 1.02 + 1e-12 * r_mean
    extra = (periodic, face_opt, shells)
    x = lo + rng.random((n, dim)) * size
    tol_e = (1e-6 * gap) ** 2 if gap > 0 else (1e-9 * r_mean) ** 2
    history = []

    def wrap(x):
        return lo + np.mod(x - lo, size) if periodic else x

    skin = 0.3 * r_mean
    cell = size if periodic else None

    def relax(x, r, maxiter):
        # L-BFGS on a Verlet list (cut-off + skin), rebuilt when a particle moved
        # more than half the skin; the returned energy is exact
        x = wrap(x)
        left = maxiter
        while True:
            plist = _pair_list(x, r, 2.0 * r.max() + gap_opt + skin, cell)
            res = minimize(
                _energy, x.ravel(), args=(r, lo, hi, gap_opt, wall_opt, dim, *extra, plist),
                jac=True, method="L-BFGS-B",
                options={"maxiter": left, "gtol": 1e-14, "ftol": 1e-16, "maxcor": 30},
            )
            xn = res.x.reshape(-1, dim)
            moved = float(np.max(np.linalg.norm(xn - x, axis=1))) if len(x) else 0.0
            left -= max(int(res.nit), 1)
            x = wrap(xn)
            if moved < 0.5 * skin or left <= 0:
                e, _ = _energy(x.ravel(), r, lo, hi, gap_opt, wall_opt, dim, *extra)
                return x, float(e)

    def accepted(x):
        cl, wl = check_packing(x, radii, box, gap, wall, periodic)
        fm = face_margin(x, radii, box, shells) if periodic else np.inf
        ok = cl >= gap * (1 - 1e-9) and wl >= wall * (1 - 1e-9) and fm >= face * (1 - 1e-9)
        return ok, cl, wl, fm

    for k in range(n_stages + 1):
        s = s0 + (1.0 - s0) * k / n_stages
        x, e = relax(x, radii * s, 500)
        # jammed at this size: shake (random kicks of the order of the
        # residual overlap) and relax again; this lets the packing
        # rearrange instead of freezing in the first jammed state
        if e > tol_e and swap_attempts > 0 and np.ptp(radii) > 0:
            x, radii, e = _swap_radii(x, radii, s, e, lo, hi, gap_opt, wall_opt, dim, rng,
                                      swap_attempts, extra)
            x, e = relax(x, radii * s, 500)
        for _ in range(stage_shakes):
            if e <= tol_e:
                break
            amp = 0.1 * r_mean * min(1.0, np.sqrt(e / n) / r_mean * 10 + 0.05)
            xt = x + rng.normal(scale=amp, size=x.shape)
            xt, et = relax(xt, radii * s, 500)
            if et < e:
                x, e = xt, et
        history.append((s, e))
    ok = False
    attempt = 0
    cl = wl = fm = np.nan
    for attempt in range(max_restarts + 1):  # noqa: B007
        x, e = relax(x, radii, 5000)
        ok, cl, wl, fm = accepted(x)
        if ok and e <= tol_e * 1e6:
            break
        ok = False
        if periodic:
            # local moves: swap sizes, then kick only the particles that still
            # overlap (a global shake would undo the rearrangement found so far)
            if swap_attempts > 0 and np.ptp(radii) > 0:
                x, radii, e = _swap_radii(x, radii, 1.0, e, lo, hi, gap_opt, wall_opt, dim,
                                          rng, swap_attempts, extra)
            bad = _overlapping(x, radii, box, gap_opt)
            # move overlapping particles into the largest voids where they fit,
            # kick the others
            x, moved = _relocate_into_voids(x, radii, box, gap_opt, bad, rng)
            kick = np.zeros_like(x)
            rest = bad & ~moved
            kick[rest] = rng.normal(scale=0.2 * r_mean, size=(int(rest.sum()), dim))
            x = wrap(x + kick + rng.normal(scale=0.005 * r_mean, size=x.shape))
            continue
        # shake: random displacement proportional to the residual overlap
        x = x + rng.normal(scale=0.05 * r_mean, size=x.shape)
        x = np.clip(x, lo + radii[:, None], hi - radii[:, None])
    if not ok:
        where = (f"face gap {face:.3e}, cv {cv:.3g}" if periodic else f"wall gap {wall:.3e}")
        raise PackingError(
            f"could not reach solid fraction {target_fraction:.3f} with {n} particles, "
            f"min gap {gap:.3e} and {where} (in units of r_mean; best clearance "
            f"{cl:.3e}, wall clearance {wl:.3e}, face margin {fm:.3e}) after {max_restarts} "
            "restarts"
        )
    info = {"n_particles": n, "restarts": attempt, "growth_history": history,
            "min_clearance": cl, "min_wall_clearance": wl}
    if periodic:
        info.update({"face_gap": face, "face_margin": fm})
    return Packing(
        centres=x, radii=radii, box=box, min_gap=gap, wall_gap=wall if not periodic else 0.0,
        seed=seed, info=info, periodic=periodic,
    )
