"""Manufactured-solution convergence of elasticity with eigenstrain (1D, 2D, 3D; P1, P2).

The operator is built from the same functions the stack model uses
(:mod:`interface.mechanics.elasticity`), with spatially varying Lame
parameters and a spatially varying, anisotropic eigenstrain.  The body force is
f = -div(sigma(u_ex) - sigma*) computed symbolically by UFL; u = u_ex on the
boundary.  Expected rates on quasi-uniform meshes: ||e||_L2 ~ h^(p+1),
|e|_H1 ~ h^p (Ciarlet, The Finite Element Method for Elliptic Problems, 1978).
"""

from __future__ import annotations

import math

import numpy as np

from interface.verify import Row, benchmark

SOURCE = "a priori FE error estimates: L2 rate p+1, H1 rate p"


def mms_errors(comm, dim: int, degree: int, n: int) -> tuple[float, float, int]:
    """(L2 error, H1-seminorm error, global DOFs) on an n^dim mesh of the unit cube."""
    from interface.backend import dolfinx, ufl
    from interface.mechanics.elasticity import (
        displacement_space,
        eigen3,
        restrict,
        strain,
        strain3,
        stress3,
        unique_prefix,
    )

    ct = dolfinx.mesh.CellType
    if dim == 1:
        mesh = dolfinx.mesh.create_unit_interval(comm, n)
    elif dim == 2:
        mesh = dolfinx.mesh.create_unit_square(comm, n, n, ct.quadrilateral)
    else:
        mesh = dolfinx.mesh.create_unit_cube(comm, n, n, n, ct.hexahedron)
    x = ufl.SpatialCoordinate(mesh)
    pi = math.pi
    if dim == 1:
        u_ex = ufl.sin(pi * x[0]) + x[0] ** 2
    elif dim == 2:
        u_ex = ufl.as_vector([ufl.sin(pi * x[0]) * ufl.cos(pi * x[1]) + x[1] ** 2,
                              ufl.cos(pi * x[0]) * x[1] ** 3])
    else:
        u_ex = ufl.as_vector([ufl.sin(pi * x[0]) * x[1] * x[2],
                              ufl.cos(pi * x[1]) + x[0] ** 2 * x[2],
                              ufl.sin(pi * x[2]) * ufl.cos(x[0] * x[1])])
    lam = 2.0 + ufl.sin(x[0])
    mu = 1.0 + 0.5 * x[0] * x[dim - 1]
    eig = ufl.as_vector([0.01 * ufl.cos(x[0]), 0.02 * x[dim - 1], -0.015 * ufl.sin(x[0] + 1.0)])
    e3 = eigen3(eig)

    def sigma(w):
        return restrict(stress3(strain3(w, dim), lam, mu, e3), dim)

    sig_ex = sigma(u_ex)
    f = -ufl.div(sig_ex) if dim > 1 else -ufl.as_vector([sig_ex[0, 0].dx(0)])[0]
    V = displacement_space(mesh, degree)
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    sig_u = restrict(stress3(strain3(u, dim), lam, mu), dim)
    sig_star = restrict(stress3(0 * strain3(u, dim), lam, mu, e3), dim)  # = -sigma*
    dx = ufl.Measure("dx", domain=mesh, metadata={"quadrature_degree": 2 * degree + 4})
    a = ufl.inner(sig_u, strain(v, dim)) * dx
    L = ufl.inner(f, v) * dx - ufl.inner(sig_star, strain(v, dim)) * dx

    u_bc = dolfinx.fem.Function(V)
    expr = dolfinx.fem.Expression(u_ex, V.element.interpolation_points)
    u_bc.interpolate(expr)
    tdim = mesh.topology.dim
    mesh.topology.create_connectivity(tdim - 1, tdim)
    bfacets = dolfinx.mesh.exterior_facet_indices(mesh.topology)
    dofs = dolfinx.fem.locate_dofs_topological(V, tdim - 1, bfacets)
    bc = dolfinx.fem.dirichletbc(u_bc, dofs)
    problem = dolfinx.fem.petsc.LinearProblem(
        a, L, bcs=[bc], petsc_options_prefix=unique_prefix("mms"),
        petsc_options={"ksp_type": "preonly", "pc_type": "lu",
                       "pc_factor_mat_solver_type": "mumps"})
    uh = problem.solve()
    reason = problem.solver.getConvergedReason()
    if reason <= 0:
        from interface.errors import SolverError

        raise SolverError(f"MMS solve did not converge (KSP reason {reason})")
    err = uh - u_ex
    grad_err = ufl.grad(err)
    l2 = dolfinx.fem.assemble_scalar(dolfinx.fem.form(ufl.inner(err, err) * dx))
    h1 = dolfinx.fem.assemble_scalar(dolfinx.fem.form(ufl.inner(grad_err, grad_err) * dx))
    l2 = math.sqrt(comm.allreduce(l2))
    h1 = math.sqrt(comm.allreduce(h1))
    ndofs = V.dofmap.index_map.size_global * V.dofmap.index_map_bs
    return l2, h1, ndofs


#: (dim, degree) -> mesh sizes of the study (small enough for the test suite).
STUDIES = {(1, 1): (16, 32, 64), (1, 2): (8, 16, 32), (2, 1): (8, 16, 32), (2, 2): (4, 8, 16),
           (3, 1): (4, 8, 16), (3, 2): (2, 4, 8)}


def convergence(comm, dim: int, degree: int) -> dict:
    """Errors and observed rates over the study's meshes."""
    ns = STUDIES[(dim, degree)]
    res = [mms_errors(comm, dim, degree, n) for n in ns]
    l2 = np.array([r[0] for r in res])
    h1 = np.array([r[1] for r in res])
    hs = 1.0 / np.array(ns, dtype=float)
    rate_l2 = np.log(l2[1:] / l2[:-1]) / np.log(hs[1:] / hs[:-1])
    rate_h1 = np.log(h1[1:] / h1[:-1]) / np.log(hs[1:] / hs[:-1])
    return {"n": ns, "l2": l2, "h1": h1, "rate_l2": rate_l2, "rate_h1": rate_h1,
            "dofs": [r[2] for r in res]}


def _rows(comm, degree: int) -> list[Row]:
    rows = []
    for dim in (1, 2, 3):
        c = convergence(comm, dim, degree)
        name = f"elasticity.mms_p{degree}"
        rows.append(Row(name, f"L2 rate {dim}D", degree + 1.0, float(c["rate_l2"][-1]), 0.08,
                        SOURCE))
        rows.append(Row(name, f"H1 rate {dim}D", float(degree), float(c["rate_h1"][-1]), 0.08,
                        SOURCE))
    return rows


@benchmark("elasticity.mms_p1", "manufactured solution with eigenstrain, P1 rates", SOURCE)
def mms_p1(comm) -> list[Row]:
    """P1: L2 rate 2, H1 rate 1."""
    return _rows(comm, 1)


@benchmark("elasticity.mms_p2", "manufactured solution with eigenstrain, P2 rates", SOURCE)
def mms_p2(comm) -> list[Row]:
    """P2: L2 rate 3, H1 rate 2."""
    return _rows(comm, 2)
