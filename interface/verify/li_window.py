"""Benchmarks of Li flow in the pores of a separator (docs/validation.md).

Power-law (Norton) flow through a cylindrical pore: the mean velocity of a finite-element
solution of the radial momentum balance against K r (G r / 2)^n / (n + 3).
"""

from __future__ import annotations

import numpy as np

from interface.verify import Row, benchmark


def pore_flow_fe(comm, cells: int, n: float, radius: float, gradient: float,
                 coefficient: float) -> float:
    """Mean velocity of Norton flow in a pore by FE (radial P2, regularised power law)."""
    import ufl
    from dolfinx import fem, mesh

    from interface.backend import MPI
    from interface.mechanics.pore_flow import shear_coefficient, velocity_profile
    from interface.mechanics.solvers import VariationalNewton

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
    newton = VariationalNewton(comm, residual, w, [bc], name="pore_flow",
                               options={"snes_linesearch_type": "bt", "snes_rtol": 1e-12,
                                        "snes_atol": 1e-30, "snes_stol": 1e-10,
                                        "snes_max_it": 200})
    newton.solve("Norton pore flow")
    newton.destroy()
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
