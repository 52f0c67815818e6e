"""Cathode-interface (RVE) benchmarks: Hertz line contact, misfitting inclusion, cohesive law.

The study functions return :class:`VerificationResult` objects (reference,
computed, details); the registered benchmarks at the end turn them into
``ssbi verify`` rows (each also a test, tests/system/test_verify.py).
References (docs/theory/rve.md): Hertz line contact (Johnson, Contact
Mechanics, 1985, sec. 4.2 / 5.3), Lame thick cylinder / sphere with an
eigenstrain (Timoshenko & Goodier, Theory of Elasticity, 1970, sec. 28 / 135),
the work of separation of the cohesive envelopes (Camacho & Ortiz 1996
bilinear, Xu & Needleman 1994 exponential).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from interface.geometry import particle_tags as T
from interface.geometry.benchmark_meshes import cylinder_on_flat, single_inclusion
from interface.mechanics import contact_analytic as analytic
from interface.mechanics.interface_laws import Bonded, FrictionlessContact
from interface.mechanics.interface_problem import DirichletSpec, InterfaceProblem, PressureSpec
from interface.mechanics.isotropic import LPSCL, NMC811, ElasticMaterial, plane_strain_modulus
from interface.verify import Row, benchmark

__all__ = [
    "VerificationResult", "cohesive_inclusion", "hertz", "hertz_convergence", "misfit_bonded",
    "misfit_coated", "misfit_contact_closing",
]

SOURCES = {
    "hertz": "Hertz line contact: Johnson, Contact Mechanics (1985) sec. 4.2",
    "misfit": "Lame cylinder/sphere with eigenstrain: Timoshenko & Goodier (1970); "
              "docs/theory/rve.md",
    "cohesive": "envelope integral = G_c: Camacho & Ortiz (1996), Xu & Needleman (1994)",
}


@dataclass
class VerificationResult:
    """One row of a verification table (SI units)."""

    name: str
    quantity: str
    reference: float
    computed: float
    tolerance: float  # relative
    unit: str = ""
    details: dict = field(default_factory=dict)

    @property
    def rel_error(self) -> float:
        """Signed relative error."""
        return float((self.computed - self.reference) / abs(self.reference))

    @property
    def passed(self) -> bool:
        """Within tolerance."""
        return bool(abs(self.rel_error) <= self.tolerance)

    def __iter__(self):
        yield self.reference
        yield self.computed

    def row(self) -> Row:
        """The ``ssbi verify`` row."""
        unit = f" [{self.unit}]" if self.unit else ""
        return Row("rve." + self.name, self.quantity + unit, self.reference, self.computed,
                   self.tolerance, SOURCES.get(self.name.split("_")[0], ""))

    def as_dict(self) -> dict:
        """Plain dict of the row."""
        return {"name": self.name, "quantity": self.quantity, "unit": self.unit,
                "reference": self.reference, "computed": self.computed,
                "rel_error": self.rel_error, "tolerance": self.tolerance,
                "passed": self.passed}


# ---------------------------------------------------------------------------
# Hertz
# ---------------------------------------------------------------------------
def _hertz_problem(comm, R, b_est, b_over_h, particle, matrix, penalty, h_far, grading):
    tm = cylinder_on_flat(comm, R, h_far * R, contact_size=b_est / b_over_h,
                          flat_halfwidth=2.0 * b_est, refine_radius=1.3 * b_est,
                          grading=grading)
    bcs = [DirichletSpec(T.LEFT, 0), DirichletSpec(T.BOTTOM, 1, body="matrix")]
    prs = [PressureSpec(T.TOP, body="particle")]
    return InterfaceProblem(comm, tm, particle, matrix,
                            FrictionlessContact(penalty=penalty, regularisation=0.0),
                            dirichlet=bcs, pressure=prs)


def hertz(comm, *, R: float = 5e-6, b_over_R: float = 0.05, b_over_h: float = 40.0,
          particle: ElasticMaterial = NMC811, matrix: ElasticMaterial = LPSCL,
          penalty: float = 1e3, h_far: float = 0.2, grading: float = 0.2,
          tolerance: float = 0.03) -> dict:
    """Hertz cylinder (particle material) on a flat block (matrix material).

    Plane strain, half model, frictionless penalty contact.  The top of the
    half-cylinder carries the uniform pressure P'/(2R) (force per unit
    length P'), chosen so that the Hertz half-width is ``b_over_R * R``;
    the element size in the contact zone is ``b / b_over_h``.

    The computed half-width is the measure of the closed part of the
    interface (g <= 0), the computed peak pressure the nodal pressure at
    the initial contact point x = 0 (Hertz p0 = p(0)).  The references use
    the *computed* contact force (equal to P' to solver tolerance).

    Returns ``{"b": VerificationResult, "p0": VerificationResult}``;
    ``details`` has the maximum nodal pressure (noisy, see NOTES.md), the
    force balance, DOFs and timings.
    """
    from interface.backend import MPI

    t0 = time.perf_counter()
    Es = plane_strain_modulus(particle, matrix)
    b_est = b_over_R * R
    P_line = b_est**2 * np.pi * Es / (4.0 * R)
    prob = _hertz_problem(comm, R, b_est, b_over_h, particle, matrix, penalty, h_far, grading)
    t1 = time.perf_counter()
    rep = prob.solve(pressure=P_line / (2.0 * R))
    t2 = time.perf_counter()
    m = prob.metrics(stresses=False)
    P_num = 2.0 * m.normal_force
    b_ref, p0_ref = analytic.hertz_line_contact(P_num, R, particle, matrix)
    b_num = m.closed_measure
    top = prob.topology
    x = top.coords[:, :, 0].ravel()
    pv = (top.k[:, None] * np.maximum(-top.vertex_gap(), 0.0)).ravel()
    at0 = np.abs(x) <= 1e-9 * R
    p_at_0 = comm.allreduce(float(pv[at0].max()) if np.any(at0) else -np.inf, op=MPI.MAX)
    details = {"P_line_applied": P_line, "P_line_contact": P_num, "ndofs": prob.num_dofs(),
               "b_over_h": b_over_h, "h_contact": b_est / b_over_h, "penalty": penalty,
               "peak_nodal_pressure": m.peak_pressure, "newton_iterations": rep.newton_iterations,
               "setup_time": t1 - t0, "solve_time": t2 - t1, "R": R}
    name = "hertz_cylinder_on_flat"
    return {
        "b": VerificationResult(name, "contact half-width b", b_ref, b_num, tolerance, "m",
                                dict(details)),
        "p0": VerificationResult(name, "peak pressure p0 = p(0)", p0_ref, p_at_0, tolerance,
                                 "Pa", dict(details)),
    }


def hertz_convergence(comm, levels=(10, 20, 40, 80), **kwargs) -> dict:
    """Hertz errors under uniform refinement of the contact zone.

    Returns arrays ``b_over_h``, ``h``, ``err_b``, ``err_p0``,
    ``err_pmax``, ``ndofs``, ``time`` and least-squares rates
    ``rate_b``, ``rate_p0`` (slopes of log|err| vs log h).
    """
    out = {k: [] for k in ("b_over_h", "h", "err_b", "err_p0", "err_pmax", "ndofs", "time")}
    for lev in levels:
        t = time.perf_counter()
        r = hertz(comm, b_over_h=lev, **kwargs)
        out["b_over_h"].append(lev)
        out["h"].append(r["b"].details["h_contact"])
        out["err_b"].append(r["b"].rel_error)
        out["err_p0"].append(r["p0"].rel_error)
        out["err_pmax"].append(r["p0"].details["peak_nodal_pressure"] / r["p0"].reference - 1.0)
        out["ndofs"].append(r["b"].details["ndofs"])
        out["time"].append(time.perf_counter() - t)
    out = {k: np.asarray(v) for k, v in out.items()}
    lh = np.log(out["h"])
    for key in ("b", "p0"):
        e = np.abs(out[f"err_{key}"])
        out[f"rate_{key}"] = float(np.polyfit(lh, np.log(np.maximum(e, 1e-300)), 1)[0])
    return out


# ---------------------------------------------------------------------------
# Misfitting inclusion
# ---------------------------------------------------------------------------
def _inclusion_problem(comm, dim, a, b_ratio, law, particle, matrix, h_interface, h_outer,
                       degree):
    tm = single_inclusion(comm, dim, a, b_ratio * a, h_outer, interface_size=h_interface)
    bcs = [DirichletSpec(T.LEFT, 0), DirichletSpec(T.BOTTOM, 1)]
    if dim == 3:
        bcs.append(DirichletSpec(T.BACK, 2))
    return InterfaceProblem(comm, tm, particle, matrix, law, dirichlet=bcs,
                            pressure=[PressureSpec(T.OUTER)], degree=degree)


def _inclusion_defaults(dim, contact=False):
    # (interface size / a, outer size / a, degree).  3D bonded: P2 (P1 tets
    # need h ~ a/16 for 2 %); 3D contact: P1 with vertex quadrature (P2 with
    # Gauss quadrature locks, see NOTES.md).
    if dim == 2:
        return (1 / 20, 1 / 4, 1)
    return (1 / 12, 1 / 4, 1) if contact else (1 / 5, 1 / 1.5, 2)


def misfit_bonded(comm, dim: int = 2, *, eps_star: float = -0.01, P: float = 0.0,
                  a: float = 5e-6, b_ratio: float = 4.0, particle=NMC811, matrix=LPSCL,
                  penalty: float = 1e3, h_interface: float | None = None,
                  h_outer: float | None = None, degree: int | None = None,
                  tolerance: float = 0.02) -> VerificationResult:
    """Bonded misfitting cylinder (2D) / sphere (3D) vs the Lame solution.

    Computed: mean interface normal pressure (int p dS / |Gamma|).
    Defaults: 2D P1 with h = a/20 at the interface, 3D P2 octant with
    h = a/5 (quadratic displacement, straight-sided tetrahedra).
    """
    hi, ho, deg = _inclusion_defaults(dim)
    hi = hi * a if h_interface is None else h_interface
    ho = ho * a if h_outer is None else h_outer
    deg = deg if degree is None else degree
    t0 = time.perf_counter()
    prob = _inclusion_problem(comm, dim, a, b_ratio, Bonded(penalty=penalty), particle, matrix,
                              hi, ho, deg)
    prob.solve(eps_star=eps_star, pressure=P)
    m = prob.metrics(stresses=False)
    q_ref = analytic.misfit_interface_pressure(dim, a, b_ratio * a, particle, matrix, eps_star, P)
    return VerificationResult(
        f"misfit_bonded_{dim}d", f"interface pressure (eps*={eps_star:g}, P={P:.3g} Pa)",
        q_ref, m.mean_pressure, tolerance, "Pa",
        {"ndofs": prob.num_dofs(), "degree": deg, "h_interface": hi,
         "time": time.perf_counter() - t0})


def misfit_coated(comm, dim: int = 2, *, eps_star: float = -0.01, P: float = 0.0,
                  a: float = 5e-6, thickness: float = 0.5e-6, b_ratio: float = 4.0,
                  particle=NMC811, coating=None, matrix=LPSCL, penalty: float = 1e3,
                  h_interface: float | None = None, h_outer: float | None = None,
                  tolerance: float = 0.02) -> VerificationResult:
    """Bonded misfitting cylinder with a coating shell vs the three-phase Lame solution.

    Core (radius a, eigenstrain eps*) | coating (a < r < a + t, no eigenstrain,
    bonded to the core: same body, conforming mesh) | matrix (to b), the
    coating | matrix interface joined by the bonded penalty law.  Computed:
    mean interface normal pressure on the coating's outer surface.  Default
    coating LiNbO3 from the materials library; 2D P1 with h = t / 2 at the
    interface (2 elements through the coating).
    """
    from interface.materials import get_material
    from interface.mechanics.isotropic import from_material

    coat = from_material(get_material("LiNbO3")) if coating is None else coating
    hi = 0.5 * thickness if h_interface is None else h_interface
    ho = a / 4 if h_outer is None else h_outer
    t0 = time.perf_counter()
    tm = single_inclusion(comm, dim, a, b_ratio * a, ho, interface_size=hi, coating=thickness)
    bcs = [DirichletSpec(T.LEFT, 0), DirichletSpec(T.BOTTOM, 1)]
    if dim == 3:
        bcs.append(DirichletSpec(T.BACK, 2))
    prob = InterfaceProblem(comm, tm, {T.particle_tag(0): particle, T.coating_tag(0): coat},
                            matrix, Bonded(penalty=penalty), dirichlet=bcs,
                            pressure=[PressureSpec(T.OUTER)])
    prob.solve(eps_star=eps_star, pressure=P)
    m = prob.metrics(stresses=False)
    q = analytic.layered_misfit_pressures(dim, [a, a + thickness, b_ratio * a],
                                          [particle, coat, matrix], [eps_star, 0.0, 0.0], P)
    ndofs = prob.num_dofs()
    prob.close()
    return VerificationResult(
        f"misfit_coated_{dim}d", f"coating|matrix interface pressure (t/a={thickness / a:g}, "
        f"eps*={eps_star:g}, P={P:.3g} Pa)", float(q[1]), m.mean_pressure, tolerance, "Pa",
        {"ndofs": ndofs, "h_interface": hi, "core_coating_pressure_ref": float(q[0]),
         "time": time.perf_counter() - t0})


def misfit_contact_closing(comm, dim: int = 2, *, eps_star: float = -0.01, a: float = 5e-6,
                           b_ratio: float = 4.0, particle=NMC811, matrix=LPSCL,
                           penalty: float = 1e3, h_interface: float | None = None,
                           h_outer: float | None = None, degree: int | None = None,
                           n_sweep: int = 10, tolerance: float = 0.03) -> dict:
    """Shrunk particle in frictionless contact: closing / reopening pressure.

    Loading sweep P = 0 .. 2 P_ref in ``n_sweep`` steps (continuation),
    then unloading back to 0.  Closing pressure: zero of the linear
    extrapolation of the mean gap of the last two *fully open* states
    (contact fraction 0) on loading.  Reopening pressure: zero of the
    extrapolated mean contact pressure of the last two *fully closed*
    states (contact fraction 1) on unloading.  Both are exact for the
    discrete problem when the closure is sharp (2D); on a coarse faceted
    3D interface the closure is spread over a few % of P.  ``details``
    also holds the contact fraction at 0.97 and 1.03 P_ref on loading
    and unloading.
    """
    hi, ho, deg = _inclusion_defaults(dim, contact=True)
    hi = hi * a if h_interface is None else h_interface
    ho = ho * a if h_outer is None else h_outer
    deg = deg if degree is None else degree
    t0 = time.perf_counter()
    prob = _inclusion_problem(comm, dim, a, b_ratio,
                              FrictionlessContact(penalty=penalty, regularisation=0.0),
                              particle, matrix, hi, ho, deg)
    P_ref = analytic.misfit_closing_pressure(dim, a, b_ratio * a, particle, matrix, eps_star)
    prob.solve(eps_star=eps_star)
    Ps = np.linspace(0.0, 2.0 * P_ref, n_sweep + 1)
    hist = []
    for P in list(Ps) + list(Ps[::-1][1:]):
        prob.solve(pressure=P)
        m = prob.metrics(stresses=False)
        hist.append((P, m.contact_fraction, m.mean_gap, m.mean_pressure))
    hist = np.array(hist)
    nl = n_sweep + 1
    load, unload = hist[:nl], hist[nl - 1:]
    # fully open states are linear in P (no contact): extrapolate the mean
    # gap of the last two of them on loading to zero
    i = int(np.argmax(load[:, 1] > 0.0))
    if i < 2:
        raise RuntimeError("interface closed too early in the sweep; increase n_sweep")
    (P1, _, g1, _), (P2, _, g2, _) = load[i - 2], load[i - 1]
    P_close = P1 - g1 * (P2 - P1) / (g2 - g1)
    # fully closed states are linear in P (bonded-like, no slip by
    # symmetry): extrapolate the mean pressure of the last two on
    # unloading to zero
    j = int(np.argmax(unload[:, 1] < 1.0))
    if j < 2:
        raise RuntimeError("interface not fully closed at 2 P_ref; increase the range")
    (P1, _, _, q1), (P2, _, _, q2) = unload[j - 2], unload[j - 1]
    P_reopen = P1 - q1 * (P2 - P1) / (q2 - q1)
    bracket = {}
    for tag, seq in (("loading", (0.97, 1.03)), ("unloading", (1.03, 0.97))):
        prob.solve(pressure=0.0 if tag == "loading" else 2.0 * P_ref)
        for f in seq:
            prob.solve(pressure=f * P_ref)
            bracket[f"{tag}_{f:g}"] = prob.metrics(stresses=False).contact_fraction
    det = {"sweep": hist, "bracket_contact_fraction": bracket, "ndofs": prob.num_dofs(),
           "degree": deg, "h_interface": hi, "time": time.perf_counter() - t0,
           "open_gap_ref_P0": analytic.misfit_open_gap(dim, a, b_ratio * a, particle, matrix,
                                                       eps_star, 0.0),
           "open_gap_num_P0": load[0, 2]}
    name = f"misfit_contact_{dim}d"
    return {
        "closing": VerificationResult(name, f"closing pressure (eps*={eps_star:g})", P_ref,
                                      float(P_close), tolerance, "Pa", det),
        "reopening": VerificationResult(name, f"reopening pressure (eps*={eps_star:g})", P_ref,
                                        float(P_reopen), tolerance, "Pa", det),
    }


# ---------------------------------------------------------------------------
# Cohesive law
# ---------------------------------------------------------------------------
def cohesive_inclusion(comm, *, shape: str = "bilinear", strength: float = 50e6,
                       fracture_energy: float = 1.0, eps_final: float = -0.01, n_steps: int = 40,
                       a: float = 5e-6, b_ratio: float = 4.0, particle=NMC811, matrix=LPSCL,
                       tolerance: float = 0.01) -> dict:
    """Debonding of a shrinking cylinder (2D) with a cohesive interface.

    The opening is uniform (axisymmetric), so the mean interface traction
    vs mean opening must follow the prescribed envelope, and the work of
    separation int t d(delta) must equal G_c (minus the tail beyond the
    final opening for the exponential law).  After reaching ``eps_final``
    the eigenstrain is halved: the unloading must follow the secant of the
    damaged interface (history), checked in ``details['unloading_error']``.

    Returns rows for the fracture energy and the peak traction (strength).
    """
    from interface.mechanics.interface_laws import CohesiveZone

    law = CohesiveZone(strength=strength, fracture_energy=fracture_energy, shape=shape)
    hi, ho, deg = _inclusion_defaults(2)
    prob = _inclusion_problem(comm, 2, a, b_ratio, law, particle, matrix, hi * a, ho * a, deg)
    path = []
    for e in np.linspace(0.0, eps_final, n_steps + 1)[1:]:
        prob.solve(eps_star=e)
        m = prob.metrics(stresses=False)
        path.append((e, m.mean_gap, -m.mean_pressure))
    path = np.array(path)
    k = float(comm.allreduce(prob.topology.k.sum()) / comm.allreduce(len(prob.topology.k)))
    dmax = path[-1, 1]
    W = float(np.trapezoid(np.r_[0.0, path[:, 2]], np.r_[0.0, path[:, 1]]))
    if shape == "exponential":
        dc = fracture_energy / (np.e * strength)
        W_ref = fracture_energy * (1.0 - np.exp(-dmax / dc) * (1.0 + dmax / dc))
    else:
        W_ref = fracture_energy if dmax >= 2 * fracture_energy / strength else float("nan")
    # peak: refine the sampling around the maximum of the envelope
    env_err = float(np.max(np.abs(path[:, 2] - law._envelope(np.maximum(path[:, 1], 0), k, np)))
                    / strength)
    # unloading from a partially damaged state must follow the secant
    ipk = int(np.argmax(path[:, 2]))
    soft = [i for i in range(ipk, len(path)) if 0.2 < path[i, 2] / strength < 0.8]
    unload_err = float("nan")
    if soft:
        i = soft[len(soft) // 2]
        prob.reset()
        prob.solve(eps_star=path[i, 0], steps=i + 1)
        d_i = prob.metrics(stresses=False).mean_gap
        prob.solve(eps_star=0.6 * path[i, 0])
        m = prob.metrics(stresses=False)
        t_secant = float(law.secant(d_i, k, np) * m.mean_gap)
        unload_err = abs(-m.mean_pressure - t_secant) / strength
        unload = (path[i, 0], d_i, m.mean_gap, -m.mean_pressure, t_secant)
    det = {"path": path, "envelope_error": env_err, "unloading_error": unload_err,
           "unloading_state": unload if soft else None, "ndofs": prob.num_dofs(), "k": k}
    name = f"cohesive_{shape}_2d"
    return {
        "energy": VerificationResult(name, "work of separation", W_ref, W, tolerance, "J/m^2",
                                     det),
        "strength": VerificationResult(name, "peak traction (sampled)", strength,
                                       float(path[:, 2].max()), 0.05, "Pa", det),
    }


# ---------------------------------------------------------------------------
# Registered benchmarks (rows of `ssbi verify`)
# ---------------------------------------------------------------------------
#: Contact-zone refinement of the Hertz convergence study (b / h).
HERTZ_LEVELS = (10, 20, 40)


@benchmark("rve.hertz_cylinder_on_flat", "plane-strain cylinder on a flat, frictionless "
           "penalty contact: half-width and peak pressure at b/h = 40", SOURCES["hertz"])
def bench_hertz(comm) -> list[Row]:
    """Hertz at the default verification mesh (b/h = 40), 3 %."""
    r = hertz(comm)
    return [r["b"].row(), r["p0"].row()]


@benchmark("rve.hertz_convergence", "Hertz errors under refinement of the contact zone "
           "(b/h = 10, 20, 40): the errors fall", SOURCES["hertz"])
def bench_hertz_convergence(comm) -> list[Row]:
    """Least-squares rates of |error| vs h: b about first order, p0 about second order."""
    c = hertz_convergence(comm, HERTZ_LEVELS)
    src = SOURCES["hertz"]
    rows = [Row("rve.hertz_convergence", "half-width error rate (LS slope of log|err| vs log h)",
                1.0, c["rate_b"], 0.6, src),
            Row("rve.hertz_convergence", "p(0) error rate (LS slope of log|err| vs log h)",
                2.0, c["rate_p0"], 0.5, src)]
    for lev, eb, ep in zip(c["b_over_h"], c["err_b"], c["err_p0"], strict=True):
        rows.append(Row("rve.hertz_convergence", f"half-width error at b/h = {lev} [m/m]",
                        0.0, abs(eb), 0.05, src))
        rows.append(Row("rve.hertz_convergence", f"p(0) error at b/h = {lev} [Pa/Pa]",
                        0.0, abs(ep), 0.05, src))
    return rows


@benchmark("rve.misfit_bonded_2d", "bonded misfitting cylinder (plane strain) in a finite "
           "matrix vs Lame, with and without external pressure", SOURCES["misfit"])
def bench_misfit_bonded_2d(comm) -> list[Row]:
    """Mean interface pressure, 2 %."""
    return [misfit_bonded(comm, 2, eps_star=-0.01, P=0.0).row(),
            misfit_bonded(comm, 2, eps_star=-0.01, P=200e6).row()]


@benchmark("rve.misfit_bonded_3d", "bonded misfitting sphere (P2 octant) in a finite matrix vs "
           "Lame", SOURCES["misfit"])
def bench_misfit_bonded_3d(comm) -> list[Row]:
    """Mean interface pressure, 2 %."""
    return [misfit_bonded(comm, 3, eps_star=-0.01, P=0.0).row(),
            misfit_bonded(comm, 3, eps_star=-0.01, P=200e6).row()]


@benchmark("rve.misfit_coated_2d", "bonded misfitting cylinder with a LiNbO3 coating shell "
           "(plane strain) vs the three-phase Lame solution", SOURCES["misfit"])
def bench_misfit_coated_2d(comm) -> list[Row]:
    """Mean coating | matrix interface pressure, 2 %."""
    return [misfit_coated(comm, 2, eps_star=-0.01, P=0.0).row(),
            misfit_coated(comm, 2, eps_star=-0.01, P=200e6).row()]


@benchmark("rve.misfit_contact_2d", "shrunk cylinder in unilateral contact: external pressure "
           "that closes / reopens the interface vs the closed form", SOURCES["misfit"])
def bench_misfit_contact_2d(comm) -> list[Row]:
    """Closing and reopening pressure, 3 %."""
    r = misfit_contact_closing(comm, 2)
    return [r["closing"].row(), r["reopening"].row()]


@benchmark("rve.misfit_contact_3d", "shrunk sphere (P1 octant, h = a/12) in unilateral contact: "
           "closing / reopening pressure", SOURCES["misfit"])
def bench_misfit_contact_3d(comm) -> list[Row]:
    """Closing and reopening pressure, 3 %."""
    r = misfit_contact_closing(comm, 3, n_sweep=5)
    return [r["closing"].row(), r["reopening"].row()]


@benchmark("rve.cohesive_2d", "debonding of a shrinking cylinder with a cohesive interface: "
           "work of separation and peak traction", SOURCES["cohesive"])
def bench_cohesive(comm) -> list[Row]:
    """Bilinear and exponential envelopes: G_c within 1 %, strength within 5 %."""
    rows = []
    for shape in ("bilinear", "exponential"):
        r = cohesive_inclusion(comm, shape=shape)
        rows += [r["energy"].row(), r["strength"].row()]
    return rows
