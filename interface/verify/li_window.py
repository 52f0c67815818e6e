"""Benchmarks of the creeping stack column and of Li flow in pores (docs/validation.md).

* Norton layer (uniaxial creep) held in a rigid gap: sigma(t) = [sigma0^(1-n) + (n-1) M A
  t]^(1/(1-n)), and the first-order convergence of backward Euler towards it;
* a creeping layer under constant load creeps at eps_dot = A sigma^n;
* a layer squeezed between sticking plates at n = 1 obeys Stefan's law
  eps_dot = 2 P h^2 / (3 mu R^2);
* lift-off of an elastic stack that shrinks in a fixture of compliance C_f: the pressure
  P0 + sum(h e) / (sum(h/M) + C_f) until it reaches zero, then the gap
  -(sum(h e) + C_f P0) - P0 sum(h/M) ... evaluated from first principles below;
* power-law (Norton) flow through a cylindrical pore: the mean velocity of a finite-element
  solution of the radial momentum balance against K r (G r / 2)^n / (n + 3).
"""

from __future__ import annotations

import math

import numpy as np

from interface.verify import Row, benchmark

SRC_NORTON = "closed form: d sigma/dt = -M A sigma^n (docs/theory/stack.md)"


def _norton_layer(coefficient: float, n: float, modulus: float):
    from interface.mechanics.column import ColumnLayer, MetalFlow

    flow = MetalFlow(coefficient, n, yield_stress=1e12, radius=1.0, interface="slip")
    return ColumnLayer("metal", 50e-6, modulus, lambda soc: 0.0, metal=flow)


def _relax(steps: int, sigma0: float, modulus: float, coefficient: float, n: float,
           duration: float) -> tuple[np.ndarray, np.ndarray]:
    from interface.mechanics.column import Column

    col = Column([_norton_layer(coefficient, n, modulus)], 0.0, sigma0)
    times = np.linspace(0.0, duration, steps + 1)
    p = [col.step(0.0, times[k] - times[k - 1]).pressure for k in range(1, steps + 1)]
    return times[1:], np.array(p)


@benchmark("column.norton_relaxation", "Norton layer in a rigid gap: pressure relaxation",
           SRC_NORTON)
def norton_relaxation(comm) -> list[Row]:
    """Relaxation over ~3 relaxation times; backward Euler error and its order."""
    from interface.mechanics.column import norton_relaxation as closed

    del comm
    sigma0, modulus, n = 2.0e6, 10.0e9, 6.56
    coefficient = 4.0e-42
    tau = 1.0 / ((n - 1.0) * modulus * coefficient * sigma0 ** (n - 1.0))
    duration = 20.0 * tau
    errors = []
    for steps in (400, 800):
        t, p = _relax(steps, sigma0, modulus, coefficient, n, duration)
        errors.append(float(np.max(np.abs(p - closed(sigma0, modulus, coefficient, n, t))
                                    / sigma0)))
    t, p = _relax(3200, sigma0, modulus, coefficient, n, duration)
    ref = float(closed(sigma0, modulus, coefficient, n, duration))
    order = math.log(errors[0] / errors[1], 2.0)
    return [Row("column.norton_relaxation", "pressure after 20 tau [Pa]", ref, float(p[-1]),
                5e-3, SRC_NORTON),
            Row("column.norton_relaxation", "backward Euler order (dt halved)", 1.0, order,
                0.1, "first-order time integration")]


@benchmark("column.constant_load_creep", "creeping layer under constant load: A sigma^n",
           "Norton law")
def constant_load_creep(comm) -> list[Row]:
    """A layer in a nearly constant-load fixture creeps at A sigma^n."""
    from interface.mechanics.column import Column

    del comm
    coefficient, n, p0 = 4.0e-42, 6.56, 0.5e6
    col = Column([_norton_layer(coefficient, n, 8e9)], 1e6, p0)  # C_f huge: constant load
    s1 = col.step(0.0, 10.0)
    s2 = col.step(0.0, 10.0)
    rate = -(s2.layer_inelastic[0] - s1.layer_inelastic[0]) / 10.0
    return [Row("column.constant_load_creep", "thinning rate at 0.5 MPa [1/s]",
                coefficient * s2.pressure ** n, rate, 1e-9, "A sigma^n")]


@benchmark("column.squeeze_stefan", "metal layer squeezed between sticking plates, n = 1",
           "Stefan's law")
def squeeze_stefan(comm) -> list[Row]:
    """At n = 1 the power-law squeeze film of the column is Stefan's law."""
    from interface.mechanics.column import MetalFlow

    del comm
    a, h, r, p = 1e-9, 20e-6, 5e-3, 2e6
    flow = MetalFlow(a, 1.0, 1e12, r, "stick")
    mu = 1.0 / (3.0 * a)  # gamma_dot = K tau with K = sqrt(3)^2 A
    ref = 2.0 * p * h ** 2 / (3.0 * mu * r ** 2)
    return [Row("column.squeeze_stefan", "thinning rate [1/s]", ref, flow.creep_rate(p, h),
                1e-12, "Stefan (1874): F = 3 pi mu R^4 (-h_dot) / (2 h^3)")]


@benchmark("column.lift_off", "elastic stack shrinking in a fixture: pressure and lift-off gap",
           "closed form")
def lift_off(comm) -> list[Row]:
    """Two elastic layers shrink; below zero pressure the stack lifts off the plates."""
    from interface.mechanics.column import Column, ColumnLayer

    del comm
    spec = [(40e-6, 30e9, -0.004), (80e-6, 12e9, -0.010)]
    layers = [ColumnLayer(f"l{i}", h, m, lambda soc, e=e: e * soc)
              for i, (h, m, e) in enumerate(spec)]
    p0, cf = 0.6e6, 5e-13
    rows = []
    for soc in (0.3, 1.0):
        col = Column(layers, cf, p0)
        st = col.step(soc, 1.0)
        shrink = sum(h * e * soc for h, _, e in spec)
        comp = sum(h / m for h, m, _ in spec)
        p_ref = p0 + shrink / (comp + cf)
        if p_ref > 0:
            rows.append(Row("column.lift_off", f"pressure at SOC {soc} [Pa]", p_ref,
                            st.pressure, 1e-9, "P0 + sum(h e) / (sum(h/M) + C_f)"))
        else:
            gap = -(shrink + p0 * comp + cf * p0)
            rows.append(Row("column.lift_off", f"lift-off gap at SOC {soc} [m]", gap, st.gap,
                            1e-9, "-(sum(h e) + P0 sum(h/M) + C_f P0)"))
            rows.append(Row("column.lift_off", f"pressure after lift-off (SOC {soc}) [Pa]",
                            0.0, st.pressure, 1e-12, "no tension at the plates"))
    return rows


def pore_flow_fe(comm, cells: int, n: float, radius: float, gradient: float,
                 coefficient: float) -> float:
    """Mean velocity of Norton flow in a pore by FE (radial P2, regularised power law)."""
    import ufl
    from dolfinx import fem, mesh
    from dolfinx.fem.petsc import NonlinearProblem

    from interface.backend import MPI
    from interface.mechanics.elasticity import unique_prefix
    from interface.mechanics.pore_flow import shear_coefficient, velocity_profile

    k = shear_coefficient(coefficient, n)
    msh = mesh.create_interval(comm, cells, [0.0, radius])
    V = fem.functionspace(msh, ("Lagrange", 2))
    w, v = fem.Function(V), ufl.TestFunction(V)
    rho = ufl.SpatialCoordinate(msh)[0]
    # start from the closed-form profile's scale with a parabola (Newtonian shape)
    scale = float(velocity_profile(0.0, gradient, radius, coefficient, n))
    w.interpolate(lambda x: scale * (1.0 - (x[0] / radius) ** 2))
    gamma = w.dx(0)
    eps = 1e-6 * scale / radius
    tau = k ** (-1.0 / n) * (gamma ** 2 + eps ** 2) ** ((1.0 / n - 1.0) / 2.0) * gamma
    residual = (tau * v.dx(0) * rho - gradient * v * rho) * ufl.dx
    facets = mesh.locate_entities_boundary(msh, 0, lambda x: np.isclose(x[0], radius))
    bc = fem.dirichletbc(0.0, fem.locate_dofs_topological(V, 0, facets), V)
    opts = {"snes_type": "newtonls", "snes_linesearch_type": "bt", "snes_rtol": 1e-12,
            "snes_atol": 1e-30, "snes_max_it": 200, "ksp_type": "preonly", "pc_type": "lu"}
    problem = NonlinearProblem(residual, w, bcs=[bc], petsc_options_prefix=unique_prefix("pore"),
                               petsc_options=opts)
    problem.solve()
    if problem.solver.getConvergedReason() <= 0:
        from interface.errors import SolverError

        raise SolverError(f"pore-flow Newton did not converge (reason "
                          f"{problem.solver.getConvergedReason()})")
    q = fem.assemble_scalar(fem.form(w * rho * ufl.dx))
    return 2.0 * comm.allreduce(q, op=MPI.SUM) / radius ** 2


@benchmark("pore_flow.norton_tube", "Norton flow through a cylindrical pore: FE vs closed form",
           "power-law Hagen-Poiseuille")
def norton_tube(comm) -> list[Row]:
    """FE mean velocity at n = 6.56 and n = 3 vs K r (G r/2)^n / (n+3)."""
    from interface.mechanics.pore_flow import mean_velocity

    rows = []
    r, g = 1e-6, 2e12
    for n in (3.0, 6.56):
        a = 1e-3 * 1e6 ** -n  # 1e-3 1/s at 1 MPa
        ref = float(mean_velocity(g, r, a, n))
        fe = pore_flow_fe(comm, 64, n, r, g, a)
        rows.append(Row("pore_flow.norton_tube", f"mean velocity, n = {n:g} [m/s]", ref, fe,
                        2e-3, "K r (G r / 2)^n / (n + 3) (Bird, Armstrong & Hassager 1987)"))
    return rows
