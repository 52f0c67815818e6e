"""Fixture end plates: Roark closed forms and a DOLFINx solid model, and plate sizing.

Closed forms (thin, small-deflection Kirchhoff plates, nu = 0.3)
-----------------------------------------------------------------
Rectangular plate a x b (a >= b), all edges simply supported, uniform pressure q
(Roark's Formulas for Stress and Strain, 7th ed., Table 11.4, case 1a; the same
case and values in the 8th ed.; Ref. 21 of the table, for nu = 0.3):

    sigma_max = beta q b^2 / t^2      (at the centre, bending stress along the short span)
    w_max     = alpha q b^4 / (E t^3) (at the centre)

with beta, alpha tabulated against a/b (1.0 ... 5.0, infinity):
square plate beta = 0.2874, alpha = 0.0444.  Between the tabulated points the
coefficients are interpolated (monotone cubic in b/a).  ``navier_coefficients``
gives the same quantities from the Navier double series of Kirchhoff theory
for any nu (Timoshenko & Woinowsky-Krieger, Theory of Plates and Shells, 2nd
ed., Sec. 30): it reproduces the table to 0.3 % and is used as a cross-check.

A plate held on two opposite edges only (straps along the long sides) bends as a
simply supported beam of span L (Roark 7th ed., Table 8.1, case 2e: uniform load,
both ends simply supported), per unit width: sigma = 0.75 q L^2 / t^2,
w = 5 q L^4 / (32 E t^3).  Using E (not E / (1 - nu^2)) is conservative for a wide
plate by (1 - nu^2) = 9 % in deflection.

FE model
--------
A 3D linear-elastic solid of the plate (hexahedra, Lagrange P2 by default,
``cells_through_thickness`` elements through the plate) with optional ribs
(extra solid below the plate, on the side away from the cell stack).
Coordinates: x in [0, Lx], y in [0, Ly]; the plate is z in [0, t], the
pressure acts downwards on the top face z = t (the face against the stack)
over the loaded region; ribs hang below, z in [-h_rib, 0].

"Simply supported" (``support_mode``):

* "hard" (default): u_z = 0 and zero tangential displacement on the supported side
  faces, normal displacement and rotation free (sigma_nn = 0).  This is the 3D
  counterpart of the Navier solution behind Roark's table (Srinivas & Rao, Int. J.
  Solids Struct. 6, 1463 (1970) use the same conditions for their exact 3D
  solution); the corners are held down.  It converges to Roark to O((t/a)^2):
  +0.1 % in deflection at a/t = 40.
* "soft": u_z = 0 on the side faces only (tangential displacement free): a
  boundary layer of width ~t softens the plate by O(t/a): +2 % at a/t = 40,
  +5 % at a/t = 20.
* "bottom_line": u_z = 0 on the bottom edge lines only.  A line support on a solid
  is a singular (Flamant-type) contact: the local indentation, and with it the
  deflection, grows logarithmically under mesh refinement (+2 % at a/t = 40 and
  rising).  Kept for sensitivity studies only.

The in-plane rigid-body modes are removed by symmetry planes (quarter model, used
when plate, load and ribs are symmetric) and, in the full model, by a statically
determinate set of point constraints.  Stresses are evaluated at a 3x3x3 grid of
points in every cell; points closer (in plane) than ``stress_exclusion`` to a
support face are skipped, because the load path into the support edge is a stress
singularity (a real bolt or strap spreads the load).
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from interface.errors import InputError, SolverError
from interface.materials import Material

# --------------------------------------------------------------------------- Roark data
#: Roark 7th ed., Table 11.4, case 1a (all edges simply supported, uniform load over
#: the entire plate), nu = 0.3: a/b, beta (sigma_max = beta q b^2/t^2), alpha
#: (y_max = alpha q b^4/(E t^3)), gamma (R_max = gamma q b at the centre of the long sides).
ROARK_11_4_1A = {
    "a_over_b": (1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 3.0, 4.0, 5.0, math.inf),
    "beta": (0.2874, 0.3762, 0.4530, 0.5172, 0.5688, 0.6102, 0.7134, 0.7410, 0.7476, 0.7500),
    "alpha": (0.0444, 0.0616, 0.0770, 0.0906, 0.1017, 0.1110, 0.1335, 0.1400, 0.1417, 0.1421),
    "gamma": (0.420, 0.455, 0.478, 0.491, 0.499, 0.503, 0.505, 0.502, 0.501, 0.500),
}
#: Shorter span / thickness below which the thin-plate (Kirchhoff) formulas are flagged.
THIN_PLATE_LIMIT = 5.0

ROARK_SOURCE = ("Roark's Formulas for Stress and Strain, 7th ed., Table 11.4 case 1a "
                "(nu = 0.3)")
BEAM_SOURCE = "Roark 7th ed., Table 8.1 case 2e (simply supported beam, uniform load)"


def roark_coefficients(a_over_b: float) -> tuple[float, float]:
    """(beta, alpha) of Roark Table 11.4 case 1a for aspect ratio a/b >= 1 (nu = 0.3).

    Interpolated with a monotone cubic (PCHIP) in b/a in [0, 1], so that
    a/b = infinity (b/a = 0) is an ordinary table point.
    """
    r = float(a_over_b)
    if not r >= 1.0:
        raise InputError(f"a/b must be >= 1 (a is the long side), got {r:g}", key="a_over_b")
    beta, alpha = _roark_interpolants()
    return float(beta(1.0 / r)), float(alpha(1.0 / r))


@functools.lru_cache(maxsize=1)
def _roark_interpolants():
    """PCHIP interpolants of beta and alpha in b/a (built once)."""
    from scipy.interpolate import PchipInterpolator

    x = np.array([1.0 / v for v in ROARK_11_4_1A["a_over_b"]])[::-1]  # b/a ascending, 0..1
    return (PchipInterpolator(x, np.array(ROARK_11_4_1A["beta"])[::-1]),
            PchipInterpolator(x, np.array(ROARK_11_4_1A["alpha"])[::-1]))


def navier_coefficients(a_over_b: float, nu: float = 0.3, terms: int = 201
                        ) -> tuple[float, float]:
    """(beta, alpha) of the simply supported rectangle from the Navier series (Kirchhoff).

    w = 16 q / (pi^6 D) sum_{m,n odd} sin(m pi x/a) sin(n pi y/b) / (m n (m^2/a^2 + n^2/b^2)^2),
    D = E t^3 / (12 (1 - nu^2)); evaluated at the centre.  beta is the bending stress
    6 M_b / t^2 of the moment about the long axis (stress along the short span b),
    normalised as in Roark: sigma = beta q b^2 / t^2, w = alpha q b^4 / (E t^3).
    (Timoshenko & Woinowsky-Krieger, Theory of Plates and Shells, Sec. 30.)
    """
    r = float(a_over_b)
    b = 1.0
    a = r * b
    m = np.arange(1, 2 * terms, 2, dtype=float)[:, None]
    n = np.arange(1, 2 * terms, 2, dtype=float)[None, :]
    sign = ((-1.0) ** ((m - 1) / 2)) * ((-1.0) ** ((n - 1) / 2))
    den = m * n * (m**2 / a**2 + n**2 / b**2) ** 2
    coef = 16.0 / math.pi**6 * sign / den                        # w_mn D / q at the centre
    w_d = coef.sum()                                             # w D / q
    curv = coef * math.pi**2 * (n**2 / b**2 + nu * m**2 / a**2)  # M_b / q
    m_b = curv.sum()
    alpha = w_d * 12.0 * (1.0 - nu**2) / b**4
    beta = 6.0 * m_b / b**2
    return float(beta), float(alpha)


def roark_plate(q: float, span_long: float, span_short: float, thickness: float,
                youngs_modulus: float) -> tuple[float, float]:
    """Roark Table 11.4 case 1a: (max bending stress Pa, max deflection m).

    Simply supported rectangular plate under uniform pressure ``q`` Pa; spans in m.
    """
    a, b = max(span_long, span_short), min(span_long, span_short)
    beta, alpha = roark_coefficients(a / b)
    return beta * q * b**2 / thickness**2, alpha * q * b**4 / (youngs_modulus * thickness**3)


def beam_plate(q: float, span: float, thickness: float, youngs_modulus: float
               ) -> tuple[float, float]:
    """Plate on two opposite simply supported edges as a beam of unit width.

    Returns (max bending stress Pa, max deflection m) = (0.75 q L^2/t^2, 5 q L^4/(32 E t^3)).
    """
    return (0.75 * q * span**2 / thickness**2,
            5.0 * q * span**4 / (32.0 * youngs_modulus * thickness**3))


# --------------------------------------------------------------------------- FE model
@dataclass(frozen=True)
class Rib:
    """A straight stiffening rib below the plate (on the side away from the stack).

    Attributes:
        axis: "x" (rib runs along x, at y = position) or "y" (runs along y, at x = position).
        position: coordinate of the rib centre line across the rib, m (or, if ``relative``,
            a fraction 0..1 of the plate's span across the rib).
        width: rib width, m.
        height: rib height below the plate, m.
        relative: ``position`` is a fraction of the span (useful when the span is only
            known after the rods are sized).
    """

    axis: str
    position: float
    width: float
    height: float
    relative: bool = False

    def absolute(self, lx: float, ly: float) -> Rib:
        """The rib with its position in metres."""
        if not self.relative:
            return self
        across = ly if self.axis == "x" else lx
        return Rib(self.axis, self.position * across, self.width, self.height)

    def check(self, lx: float, ly: float, key: str = "ribs") -> None:
        """Raise InputError if the rib is not inside the plate."""
        if self.axis not in ("x", "y"):
            raise InputError(f"rib axis must be 'x' or 'y', got {self.axis!r}", key=f"{key}.axis")
        if not (self.width > 0 and self.height > 0):
            raise InputError("rib width and height must be > 0", key=key)
        across = ly if self.axis == "x" else lx
        lo, hi = self.position - self.width / 2, self.position + self.width / 2
        if lo < -1e-12 or hi > across + 1e-12:
            raise InputError(f"rib at {self.position:g} m (width {self.width:g} m) lies outside "
                             f"the plate (0..{across:g} m)", key=f"{key}.position")


@dataclass
class PlateResult:
    """FE solution of a plate under uniform pressure (SI units).

    Attributes:
        length_x_m, length_y_m, thickness_m: plate size (support span) and thickness.
        pressure_Pa: applied pressure on the loaded region.
        max_deflection_m: largest deflection of the loaded face (away from the stack).
        min_deflection_m: smallest deflection of the loaded face within the loaded region.
        deflection_variation_m: max - min deflection over the loaded region (what makes the
            stack pressure non-uniform).
        max_von_mises_Pa: largest von Mises stress outside the support exclusion zone.
        max_principal_stress_Pa: largest principal stress outside the exclusion zone.
        volume_m3, mass_kg: solid volume and mass of plate + ribs.
        num_dofs: displacement degrees of freedom.
        quarter: True if the quarter (symmetry) model was used.
        timings_s: wall-clock seconds of mesh, setup (assembly + factorisation), solve, post.
    """

    length_x_m: float
    length_y_m: float
    thickness_m: float
    pressure_Pa: float
    max_deflection_m: float
    min_deflection_m: float
    deflection_variation_m: float
    max_von_mises_Pa: float
    max_principal_stress_Pa: float
    volume_m3: float
    mass_kg: float
    num_dofs: int
    quarter: bool
    support: str
    timings_s: dict = field(default_factory=dict)

    def pressure_nonuniformity(self, stack_compliance: float, n_plates: int = 2) -> float:
        """Relative stack-pressure variation dP/P = n_plates w_var / (P C).

        The bowing of ``n_plates`` such plates on a stack of areal compliance C (m/Pa), the
        stack treated as a Winkler foundation (see fixture.py).
        """
        if not stack_compliance > 0:
            raise InputError(f"must be > 0 m/Pa, got {stack_compliance!r}",
                             key="stack_compliance")
        return n_plates * self.deflection_variation_m / (self.pressure_Pa * stack_compliance)


def _breaks_to_grid(breaks: Sequence[float], h: float) -> np.ndarray:
    """Sorted unique break points, each interval split into equal cells of size <= h."""
    b = np.unique(np.round(np.asarray(breaks, dtype=float), 14))
    pts = [b[0]]
    for lo, hi in zip(b[:-1], b[1:], strict=True):
        if hi - lo < 1e-12:
            continue
        n = max(1, int(math.ceil((hi - lo) / h - 1e-9)))
        pts.extend(np.linspace(lo, hi, n + 1)[1:].tolist())
    return np.asarray(pts)


def _rib_symmetric(ribs: Sequence[Rib], lx: float, ly: float) -> bool:
    """True if the rib set is mirror symmetric about x = lx/2 and y = ly/2."""
    tol = 1e-9 * max(lx, ly)
    for r in ribs:
        across = ly if r.axis == "x" else lx
        mirror = across - r.position
        if not any(s.axis == r.axis and abs(s.position - mirror) < tol
                   and abs(s.width - r.width) < tol and abs(s.height - r.height) < tol
                   for s in ribs):
            return False
    return True


def plate_mesh_arrays(lx: float, ly: float, thickness: float, *, ribs: Sequence[Rib] = (),
                      loaded_region: tuple[float, float, float, float] | None = None,
                      cells: int = 24, cells_through_thickness: int = 2, quarter: bool = False
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Hexahedral mesh of plate + ribs as (node coordinates (n, 3), cells (m, 8)).

    A tensor-product grid whose lines include the plate edges, the loaded-region edges
    and the rib faces; cells below z = 0 are kept only inside a rib.  ``cells`` is the
    number of elements across the shorter full span (half of it in the quarter model).
    Vertex order is DOLFINx's tensor-product order.
    """
    mx, my = (lx / 2, ly / 2) if quarter else (lx, ly)
    h = min(lx, ly) / cells
    xb, yb = [0.0, mx], [0.0, my]
    if loaded_region is not None:
        x0, x1, y0, y1 = loaded_region
        xb += [v for v in (x0, x1) if 0 < v < mx]
        yb += [v for v in (y0, y1) if 0 < v < my]
    for r in ribs:
        lo, hi = r.position - r.width / 2, r.position + r.width / 2
        target = yb if r.axis == "x" else xb
        lim = my if r.axis == "x" else mx
        target += [v for v in (lo, hi) if 0 < v < lim]
    xs, ys = _breaks_to_grid(xb, h), _breaks_to_grid(yb, h)
    zs_plate = np.linspace(0.0, thickness, cells_through_thickness + 1)
    heights = sorted({r.height for r in ribs})
    zs = zs_plate
    if heights:
        hz = min(h, max(thickness / cells_through_thickness, heights[-1] / 8))
        zs = np.concatenate([_breaks_to_grid([-v for v in heights] + [0.0], hz)[:-1], zs_plate])
    nx, ny = len(xs) - 1, len(ys) - 1
    xc, yc, zc = 0.5 * (xs[1:] + xs[:-1]), 0.5 * (ys[1:] + ys[:-1]), 0.5 * (zs[1:] + zs[:-1])
    XC, YC, ZC = np.meshgrid(xc, yc, zc, indexing="ij")
    keep = ZC > 0
    for r in ribs:
        across = YC if r.axis == "x" else XC
        keep |= ((np.abs(across - r.position) < r.width / 2) & (ZC < 0) & (ZC > -r.height))
    ii, jj, kk = np.nonzero(keep)

    def nid(i, j, k):
        return (k * (ny + 1) + j) * (nx + 1) + i

    cells_arr = np.stack([nid(ii, jj, kk), nid(ii + 1, jj, kk), nid(ii, jj + 1, kk),
                          nid(ii + 1, jj + 1, kk), nid(ii, jj, kk + 1), nid(ii + 1, jj, kk + 1),
                          nid(ii, jj + 1, kk + 1), nid(ii + 1, jj + 1, kk + 1)], axis=1)
    used, inverse = np.unique(cells_arr, return_inverse=True)
    cells_arr = inverse.reshape(cells_arr.shape).astype(np.int64)
    k_, rem = np.divmod(used, (ny + 1) * (nx + 1))
    j_, i_ = np.divmod(rem, nx + 1)
    x = np.stack([xs[i_], ys[j_], zs[k_]], axis=1)
    return x, cells_arr


def solve_plate(comm, length_x: float, length_y: float, thickness: float,
                material: Material, pressure: float, *, ribs: Sequence[Rib] = (),
                support: str = "edges",
                loaded_region: tuple[float, float, float, float] | None = None,
                cells: int = 24, cells_through_thickness: int = 2, degree: int = 2,
                symmetry: str = "auto", stress_exclusion: float | None = None,
                linear_solver: str = "auto", support_mode: str = "hard") -> PlateResult:
    """Solve the plate (collective on ``comm``) and return deflections and stresses.

    Args:
        comm: MPI communicator.
        length_x: plate span along x between the supports, m.
        length_y: plate span along y, m.
        thickness: plate thickness, m (ribs come on top of it).
        material: plate material (E, nu, density).
        pressure: uniform pressure on the loaded region, Pa.
        ribs: stiffening ribs below the plate.
        support: "edges" (all four sides simply supported, Roark Table 11.4 case 1)
            or "two_edges" (sides y = 0 and y = Ly only: straps on the long sides).
        loaded_region: (x0, x1, y0, y1) in m, the cell footprint; default the whole face.
        cells: elements across the shorter full span.
        cells_through_thickness: elements through the plate.
        degree: Lagrange degree (2: 27-node hexahedra).
        symmetry: "auto" (quarter model if plate, load and ribs are symmetric), "quarter", "none".
        stress_exclusion: in-plane distance from the support lines within which stresses are
            not evaluated, m (default: plate thickness + tallest rib, at most 20 % of the
            shorter span).
        linear_solver: "auto", "direct" (MUMPS LU) or "iterative" (CG + GAMG).
        support_mode: "hard", "soft" or "bottom_line" (module docstring).

    Raises:
        InputError: bad geometry or options.
        SolverError: the linear solve fails or gives non-finite values.
    """
    import basix.ufl

    from interface.backend import MPI, PETSc, dolfinx, ufl
    from interface.mechanics.elasticity import choose_linear_solver
    from interface.mechanics.solvers import LinearSolver

    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    lx, ly, t = float(length_x), float(length_y), float(thickness)
    for key, v in (("length_x", lx), ("length_y", ly), ("thickness", t)):
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"must be > 0 m, got {v:g}", key=key)
    if not (math.isfinite(pressure) and pressure > 0):
        raise InputError(f"must be > 0 Pa, got {pressure:g}", key="pressure")
    if support not in ("edges", "two_edges"):
        raise InputError(f"expected 'edges' or 'two_edges', got {support!r}", key="support")
    if support_mode not in ("hard", "soft", "bottom_line"):
        raise InputError(f"expected 'hard', 'soft' or 'bottom_line', got {support_mode!r}",
                         key="support_mode")
    if symmetry not in ("auto", "quarter", "none"):
        raise InputError(f"expected 'auto', 'quarter' or 'none', got {symmetry!r}",
                         key="symmetry")
    if cells < 2 or cells_through_thickness < 1 or degree < 1:
        raise InputError("need cells >= 2, cells_through_thickness >= 1, degree >= 1",
                         key="cells")
    ribs = [r.absolute(lx, ly) for r in ribs]
    for i, r in enumerate(ribs):
        r.check(lx, ly, key=f"ribs[{i}]")
    if loaded_region is None:
        loaded_region = (0.0, lx, 0.0, ly)
    x0, x1, y0, y1 = (float(v) for v in loaded_region)
    if not (0 <= x0 < x1 <= lx * (1 + 1e-12) and 0 <= y0 < y1 <= ly * (1 + 1e-12)):
        raise InputError(f"loaded region {loaded_region} must lie inside the plate "
                         f"(0..{lx:g}, 0..{ly:g}) m", key="loaded_region")
    tol = 1e-9 * max(lx, ly)
    sym_ok = (abs(x0 + x1 - lx) < tol and abs(y0 + y1 - ly) < tol
              and _rib_symmetric(ribs, lx, ly))
    if symmetry == "quarter" and not sym_ok:
        raise InputError("the quarter model needs a centred loaded region and mirror-symmetric "
                         "ribs", key="symmetry")
    quarter = symmetry == "quarter" or (symmetry == "auto" and sym_ok)
    h_rib = max((r.height for r in ribs), default=0.0)
    excl = (min(t + h_rib, 0.2 * min(lx, ly)) if stress_exclusion is None
            else float(stress_exclusion))

    # ---- mesh (built on rank 0, distributed by the partitioner)
    from interface.collective import rank0_only  # an error on rank 0 raises on every rank

    arrays = rank0_only(comm, plate_mesh_arrays, lx, ly, t, ribs=ribs,
                        loaded_region=(x0, x1, y0, y1), cells=cells,
                        cells_through_thickness=cells_through_thickness, quarter=quarter)
    if comm.rank == 0:
        x, cells_arr = arrays
    else:
        x, cells_arr = np.zeros((0, 3)), np.zeros((0, 8), dtype=np.int64)
    coord_el = basix.ufl.element("Lagrange", "hexahedron", 1, shape=(3,))
    mesh = dolfinx.mesh.create_mesh(comm, cells_arr, coord_el, x)
    tdim = mesh.topology.dim
    for d in (0, 1, tdim - 1):
        mesh.topology.create_connectivity(d, tdim)
    timings["mesh"] = time.perf_counter() - t_start

    # ---- problem
    t0 = time.perf_counter()
    fem = dolfinx.fem
    V = fem.functionspace(mesh, ("Lagrange", degree, (3,)))
    E, nu = material.youngs_modulus, material.poisson_ratio
    lam = E * nu / ((1 + nu) * (1 - 2 * nu))
    mu = E / (2 * (1 + nu))

    def sigma(w):
        eps = ufl.sym(ufl.grad(w))
        return lam * ufl.tr(eps) * ufl.Identity(3) + 2 * mu * eps

    ztol = 1e-9 * max(lx, ly)
    mxm, mym = (lx / 2, ly / 2) if quarter else (lx, ly)

    def loaded(p):
        return ((np.abs(p[2] - t) < ztol) & (p[0] > x0 - ztol) & (p[0] < x1 + ztol)
                & (p[1] > y0 - ztol) & (p[1] < y1 + ztol))

    facets = dolfinx.mesh.locate_entities_boundary(mesh, tdim - 1, loaded)
    ft = dolfinx.mesh.meshtags(mesh, tdim - 1, np.sort(facets).astype(np.int32),
                               np.ones(len(facets), dtype=np.int32))
    ds = ufl.Measure("ds", domain=mesh, subdomain_data=ft)
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    p_c = fem.Constant(mesh, PETSc.ScalarType(pressure))
    a_form = fem.form(ufl.inner(sigma(u), ufl.sym(ufl.grad(v))) * ufl.dx)
    L_form = fem.form(-p_c * v[2] * ds(1))

    # supports: u_z = 0 on the bottom edge lines of the supported sides
    def near(a, b):
        return np.abs(a - b) < ztol

    # supported side faces: (normal component, coordinate value)
    sides = [(1, 0.0)] + ([] if quarter else [(1, ly)])
    if support == "edges":
        sides += [(0, 0.0)] + ([] if quarter else [(0, lx)])
    zero = PETSc.ScalarType(0.0)
    bcs = []
    for comp_n, val in sides:
        if support_mode == "bottom_line":
            ents = dolfinx.mesh.locate_entities_boundary(
                mesh, 1, lambda p, c=comp_n, v=val: near(p[2], 0.0) & near(p[c], v))
            dofs = fem.locate_dofs_topological(V.sub(2), 1, ents)
            bcs.append(fem.dirichletbc(zero, dofs, V.sub(2)))
            continue
        ents = dolfinx.mesh.locate_entities_boundary(
            mesh, tdim - 1, lambda p, c=comp_n, v=val: near(p[c], v))
        comps = (2,) if support_mode == "soft" else (2, 1 - comp_n)
        for c in comps:
            bcs.append(fem.dirichletbc(zero, fem.locate_dofs_topological(V.sub(c), tdim - 1, ents),
                                       V.sub(c)))
    if quarter:
        fx = dolfinx.mesh.locate_entities_boundary(mesh, tdim - 1, lambda p: near(p[0], lx / 2))
        fy = dolfinx.mesh.locate_entities_boundary(mesh, tdim - 1, lambda p: near(p[1], ly / 2))
        bcs.append(fem.dirichletbc(zero, fem.locate_dofs_topological(V.sub(0), tdim - 1, fx),
                                   V.sub(0)))
        bcs.append(fem.dirichletbc(zero, fem.locate_dofs_topological(V.sub(1), tdim - 1, fy),
                                   V.sub(1)))
    else:  # statically determinate in-plane constraints at two bottom corners
        p0 = dolfinx.mesh.locate_entities_boundary(
            mesh, 0, lambda p: near(p[0], 0.0) & near(p[1], 0.0) & near(p[2], 0.0))
        p1 = dolfinx.mesh.locate_entities_boundary(
            mesh, 0, lambda p: near(p[0], lx) & near(p[1], 0.0) & near(p[2], 0.0))
        for comp, verts in ((0, p0), (1, p0), (1, p1)):
            bcs.append(fem.dirichletbc(zero, fem.locate_dofs_topological(V.sub(comp), 0, verts),
                                       V.sub(comp)))

    petsc = dolfinx.fem.petsc
    ndofs = V.dofmap.index_map.size_global * V.dofmap.index_map_bs
    kind = choose_linear_solver(linear_solver, 3, ndofs)
    solver = LinearSolver(comm, a_form, bcs, name="plate", kind=kind, rtol=1e-10,
                          near_nullspace=V)
    b = petsc.assemble_vector(L_form)
    petsc.apply_lifting(b, [a_form], bcs=[bcs])
    b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
    petsc.set_bc(b, bcs)
    timings["setup"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    uh = fem.Function(V, name="displacement_m")
    try:
        solver.solve(b, uh.x.petsc_vec, "plate", point={"thickness_m": t})
    finally:
        solver.destroy()
        b.destroy()
    uh.x.scatter_forward()
    if not np.all(np.isfinite(uh.x.array)):
        raise SolverError("plate solve produced non-finite values", point={"thickness_m": t})
    timings["solve"] = time.perf_counter() - t0

    # ---- post-processing
    t0 = time.perf_counter()
    n_owned_cells = mesh.topology.index_map(tdim).size_local
    owned = np.arange(n_owned_cells, dtype=np.int32)
    g = np.linspace(0.0, 1.0, 3)
    X = np.array([[a_, b_, c_] for c_ in g for b_ in g for a_ in g])
    s_vals = fem.Expression(sigma(uh), X).eval(mesh, owned).reshape(n_owned_cells, len(X), 3, 3)
    x_vals = fem.Expression(ufl.SpatialCoordinate(mesh), X).eval(mesh, owned)
    x_vals = x_vals.reshape(n_owned_cells, len(X), 3)
    s_flat = s_vals.reshape(-1, 3, 3)
    xp = x_vals.reshape(-1, 3)
    dist = np.full(len(xp), np.inf)
    # distance to the support lines (in plane); symmetry planes are not supports
    dist = np.minimum(dist, xp[:, 1])
    if not quarter:
        dist = np.minimum(dist, ly - xp[:, 1])
    if support == "edges":
        dist = np.minimum(dist, xp[:, 0])
        if not quarter:
            dist = np.minimum(dist, lx - xp[:, 0])
    mask = dist >= excl - ztol
    vm_max, sp_max = -np.inf, -np.inf
    if np.any(mask):
        s = s_flat[mask]
        principal = np.linalg.eigvalsh(0.5 * (s + np.swapaxes(s, 1, 2)))
        dev = s - np.trace(s, axis1=1, axis2=2)[:, None, None] / 3.0 * np.eye(3)
        vm = np.sqrt(1.5 * np.einsum("nij,nij->n", dev, dev))
        vm_max, sp_max = float(vm.max()), float(principal[:, -1].max())
    vm_max = comm.allreduce(vm_max, op=MPI.MAX)
    sp_max = comm.allreduce(sp_max, op=MPI.MAX)
    if not (math.isfinite(vm_max) and math.isfinite(sp_max)):
        raise InputError(f"stress_exclusion = {excl:g} m leaves no point to evaluate the stress "
                         "(plate too small or exclusion too large)", key="stress_exclusion")

    n_owned_nodes = V.dofmap.index_map.size_local
    coords = V.tabulate_dof_coordinates()[:n_owned_nodes]
    uz = uh.x.array.reshape(-1, 3)[:n_owned_nodes, 2]
    on_face = loaded(coords.T)
    defl = -uz[on_face]
    dmax = comm.allreduce(float(defl.max()) if defl.size else -np.inf, op=MPI.MAX)
    dmin = comm.allreduce(float(defl.min()) if defl.size else np.inf, op=MPI.MIN)
    one = fem.Constant(mesh, PETSc.ScalarType(1.0))
    vol = comm.allreduce(fem.assemble_scalar(fem.form(one * ufl.dx)), op=MPI.SUM)
    if quarter:
        vol *= 4.0
    timings["post"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return PlateResult(length_x_m=lx, length_y_m=ly, thickness_m=t, pressure_Pa=float(pressure),
                       max_deflection_m=dmax, min_deflection_m=dmin,
                       deflection_variation_m=dmax - dmin, max_von_mises_Pa=vm_max,
                       max_principal_stress_Pa=sp_max, volume_m3=float(vol),
                       mass_kg=float(vol * material.density), num_dofs=int(ndofs),
                       quarter=quarter, support=support, timings_s=timings)


# --------------------------------------------------------------------------- sizing
@dataclass
class PlateSizing:
    """A plate sized for strength and stiffness (SI units).

    Attributes:
        method: "roark" (closed form) or "fe" (root solve on the FE model).
        support: "edges" (four edges, Roark Table 11.4 case 1a) or "two_edges" (beam).
        span_x_m, span_y_m: support spans.
        thickness_m: chosen thickness = max(strength, stiffness thickness).
        thickness_strength_m: smallest thickness with stress <= allowable.
        thickness_stiffness_m: smallest thickness with deflection <= allowable.
        governing: "strength", "stiffness" or "minimum" (FE with ribs: the minimum thickness
            already meets both criteria).
        stress_Pa, deflection_m: stress and deflection at the chosen thickness.
        allowable_stress_Pa, allowable_deflection_m: the limits used.
        fe: the FE result at the chosen thickness (method "fe").
        fe_evaluations: FE solves used by the root search.
        warnings: notes on the validity of the result (e.g. a thick plate sized by Roark).
    """

    method: str
    support: str
    span_x_m: float
    span_y_m: float
    thickness_m: float
    thickness_strength_m: float
    thickness_stiffness_m: float
    governing: str
    stress_Pa: float
    deflection_m: float
    allowable_stress_Pa: float
    allowable_deflection_m: float
    fe: PlateResult | None = None
    fe_evaluations: int = 0
    warnings: list = field(default_factory=list)

    @property
    def span_to_thickness(self) -> float:
        """Shorter span / thickness.

        Roark's thin-plate formulas need it >~ 10: at 2.5 the 3D solid needs a ~10 % thicker
        plate for the same deflection (shear deformation); use method "fe" there.
        """
        return min(self.span_x_m, self.span_y_m) / self.thickness_m


def size_plate(pressure: float, span_x: float, span_y: float, material: Material,
               allowable_stress: float, allowable_deflection: float, *,
               support: str = "edges", method: str = "roark", comm=None,
               ribs: Sequence[Rib] = (),
               loaded_region: tuple[float, float, float, float] | None = None,
               stress_measure: str = "von_mises", fe_options: dict | None = None,
               rtol: float = 2e-3, min_thickness: float = 1e-3) -> PlateSizing:
    """Thinnest plate with stress <= allowable_stress and deflection <= allowable_deflection.

    method "roark": closed form.  For support "edges" (Roark Table 11.4 case 1a, the load
    conservatively taken over the whole span): t_s = b sqrt(beta q / sigma_allow),
    t_d = (alpha q b^4 / (E w_allow))^(1/3); for "two_edges" (beam of span Ly):
    t_s = Ly sqrt(0.75 q / sigma_allow), t_d = (5 q Ly^4 / (32 E w_allow))^(1/3).

    method "fe": the thickness is the root of max(stress/sigma_allow, w/w_allow) = 1 found
    with Brent's method on log t, bracketed around the Roark thickness; each evaluation is
    one :func:`solve_plate`.  The deflection measure is the deflection variation over the
    loaded region; the stress measure is ``stress_measure`` ("von_mises" or
    "max_principal", the latter being what Roark's beta gives).  Ribs (fixed size) and a
    partial loaded region are only available with "fe".

    Args:
        pressure: uniform stack pressure q, Pa.
        span_x: support span along x, m.
        span_y: support span along y, m (the span of a "two_edges" plate).
        material: plate material.
        allowable_stress: stress limit, Pa (yield / safety factor).
        allowable_deflection: deflection limit, m.
        support: "edges" or "two_edges".
        method: "roark" or "fe".
        comm: MPI communicator (method "fe"; default COMM_WORLD).
        ribs: ribs (method "fe").
        loaded_region: (x0, x1, y0, y1) of the load, m (method "fe"; default the whole face).
        stress_measure: "von_mises" or "max_principal" (method "fe").
        fe_options: keyword arguments passed on to :func:`solve_plate` (cells, degree, ...).
        rtol: relative tolerance on the thickness (method "fe").
        min_thickness: smallest plate thickness the FE search returns, m (ribbed plates may
            meet both criteria with a very thin plate) [assumed 1 mm].
    """
    for key, v in (("pressure", pressure), ("span_x", span_x), ("span_y", span_y),
                   ("allowable_stress", allowable_stress),
                   ("allowable_deflection", allowable_deflection)):
        if not (math.isfinite(v) and v > 0):
            raise InputError(f"must be > 0, got {v:g}", key=key)
    if method not in ("roark", "fe"):
        raise InputError(f"expected 'roark' or 'fe', got {method!r}", key="method")
    if support not in ("edges", "two_edges"):
        raise InputError(f"expected 'edges' or 'two_edges', got {support!r}", key="support")
    if stress_measure not in ("von_mises", "max_principal"):
        raise InputError(f"expected 'von_mises' or 'max_principal', got {stress_measure!r}",
                         key="stress_measure")
    if method == "roark" and (ribs or loaded_region is not None):
        raise InputError("ribs and a partial loaded region need method = 'fe'", key="method")
    q, E = float(pressure), material.youngs_modulus
    if support == "edges":
        a, b = max(span_x, span_y), min(span_x, span_y)
        beta, alpha = roark_coefficients(a / b)
        ts = b * math.sqrt(beta * q / allowable_stress)
        td = (alpha * q * b**4 / (E * allowable_deflection)) ** (1.0 / 3.0)

        def closed(t):
            return roark_plate(q, a, b, t, E)
    else:
        ts = span_y * math.sqrt(0.75 * q / allowable_stress)
        td = (5.0 * q * span_y**4 / (32.0 * E * allowable_deflection)) ** (1.0 / 3.0)

        def closed(t):
            return beam_plate(q, span_y, t, E)
    t_roark = max(ts, td)
    if method == "roark":
        s, w = closed(t_roark)
        out = PlateSizing("roark", support, float(span_x), float(span_y), t_roark, ts, td,
                          "strength" if ts >= td else "stiffness", s, w,
                          float(allowable_stress), float(allowable_deflection))
        if out.span_to_thickness < THIN_PLATE_LIMIT:
            out.warnings.append(
                f"span/thickness = {out.span_to_thickness:.2g} < {THIN_PLATE_LIMIT:g}: a thick "
                "plate; Roark's thin-plate formulas underestimate its deflection (shear "
                "deformation), use method='fe'")
        return out

    # ---- FE root solve
    from scipy.optimize import brentq

    if comm is None:
        from interface.backend import MPI

        comm = MPI.COMM_WORLD
    opts = dict(fe_options or {})
    cache: dict[float, PlateResult] = {}

    def fe(t: float) -> PlateResult:
        key = round(t, 15)
        if key not in cache:
            cache[key] = solve_plate(comm, span_x, span_y, t, material, q, ribs=ribs,
                                     support=support, loaded_region=loaded_region, **opts)
        return cache[key]

    def ratios(t: float) -> tuple[float, float]:
        r = fe(t)
        s = r.max_von_mises_Pa if stress_measure == "von_mises" else r.max_principal_stress_Pa
        return s / allowable_stress, r.deflection_variation_m / allowable_deflection

    def root(which: int, t_guess: float) -> float:
        def f(logt):
            return math.log(ratios(math.exp(logt))[which])

        t_guess = max(t_guess, min_thickness * 1.25)
        lo, hi = math.log(t_guess / 1.25), math.log(t_guess * 1.25)
        log_min = math.log(min_thickness)
        flo, fhi = f(lo), f(hi)
        for _ in range(40):
            if flo > 0 > fhi:
                break
            if flo <= 0:  # already fine at lo: move down, not below the minimum thickness
                if lo <= log_min + 1e-12:
                    return min_thickness
                lo, hi, fhi = max(lo - math.log(1.6), log_min), lo, flo
                flo = f(lo)
            else:
                lo, flo, hi = hi, fhi, hi + math.log(1.6)
                fhi = f(hi)
        else:
            raise SolverError("could not bracket the FE plate thickness",
                              point={"pressure_Pa": q})
        return math.exp(brentq(f, lo, hi, xtol=rtol / 2, rtol=1e-12))

    ts_fe = root(0, ts)
    td_fe = root(1, td)
    t_fe = max(ts_fe, td_fe)
    res = fe(t_fe)
    s = res.max_von_mises_Pa if stress_measure == "von_mises" else res.max_principal_stress_Pa
    governing = "strength" if ts_fe >= td_fe else "stiffness"
    if t_fe <= min_thickness * (1 + 1e-12):
        governing = "minimum"
    return PlateSizing("fe", support, float(span_x), float(span_y), t_fe, ts_fe, td_fe,
                       governing, s,
                       res.deflection_variation_m, float(allowable_stress),
                       float(allowable_deflection), fe=res, fe_evaluations=len(cache))
