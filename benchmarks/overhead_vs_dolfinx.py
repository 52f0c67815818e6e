"""Overhead of the stack model's API over the same problem written directly in DOLFINx.

Both versions use the same layered 3D mesh, P1 elements, CG + GAMG with the
rigid-body near-nullspace and the same tolerances, and compute the plate
pressure at the same SOC points (one unit-plate solve plus one solve per
point).  Ours additionally computes per-layer stresses and the responses of
the other fixture types at every point.

    .venv/bin/python benchmarks/overhead_vs_dolfinx.py [--cells N] [--points K]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from interface.backend import MPI, PETSc, dolfinx, ufl
from interface.case import load_case
from interface.geometry.stack import BOTTOM, SIDE_X, SIDE_Y, SYM_X, SYM_Y, TOP, layered_mesh
from interface.mechanics.elasticity import linear_solver_options, rigid_body_modes
from interface.models.stack import laminate_of


def plain_dolfinx(comm, lam, socs, cpl, lat, width, depth, preload):
    """The same computation without the package's classes (fixed-gap fixture)."""
    t0 = time.perf_counter()
    geo = layered_mesh(comm, [la.thickness for la in lam.layers], 3, width=width, depth=depth,
                       cells_per_layer=cpl, lateral_cells=lat)
    mesh = geo.mesh
    V = dolfinx.fem.functionspace(mesh, ("Lagrange", 1, (3,)))
    Q = dolfinx.fem.functionspace(mesh, ("DG", 0))
    Qv = dolfinx.fem.functionspace(mesh, ("DG", 0, (3,)))
    lmb, mu, eig = dolfinx.fem.Function(Q), dolfinx.fem.Function(Q), dolfinx.fem.Function(Qv)
    cells = [geo.cell_tags.indices[geo.cell_tags.values == i + 1] for i in range(len(lam.layers))]
    for c, la in zip(cells, lam.layers, strict=True):
        lmb.x.array[c], mu.x.array[c] = la.lame

    def eps(w):
        return ufl.sym(ufl.grad(w))

    def sig(w):
        return lmb * ufl.tr(eps(w)) * ufl.Identity(3) + 2 * mu * eps(w)

    E = ufl.diag(eig)
    sig_star = lmb * ufl.tr(E) * ufl.Identity(3) + 2 * mu * E
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    a = dolfinx.fem.form(ufl.inner(sig(u), eps(v)) * ufl.dx)
    L = dolfinx.fem.form(ufl.inner(sig_star, eps(v)) * ufl.dx)
    ft = geo.facet_tags
    w = dolfinx.fem.Constant(mesh, 0.0)

    def dofs(i, tag):
        return dolfinx.fem.locate_dofs_topological(V.sub(i), 2, ft.find(tag))

    bcs = [dolfinx.fem.dirichletbc(0.0, dofs(2, BOTTOM), V.sub(2)),
           dolfinx.fem.dirichletbc(w, dofs(2, TOP), V.sub(2)),
           dolfinx.fem.dirichletbc(0.0, dofs(0, SYM_X), V.sub(0)),
           dolfinx.fem.dirichletbc(0.0, dofs(0, SIDE_X), V.sub(0)),
           dolfinx.fem.dirichletbc(0.0, dofs(1, SYM_Y), V.sub(1)),
           dolfinx.fem.dirichletbc(0.0, dofs(1, SIDE_Y), V.sub(1))]
    A = dolfinx.fem.petsc.assemble_matrix(a, bcs=bcs)
    A.assemble()
    A.setNearNullSpace(rigid_body_modes(V))
    ksp = PETSc.KSP().create(comm)
    ksp.setOptionsPrefix("plain_")
    opts = PETSc.Options()
    for k, val in linear_solver_options(3).items():
        opts[f"plain_{k}"] = val
    ksp.setFromOptions()
    ksp.setOperators(A)
    b = dolfinx.fem.petsc.create_vector(V)
    vt = dolfinx.fem.Function(V)
    dolfinx.fem.dirichletbc(1.0, dofs(2, TOP), V.sub(2)).set(vt.x.array)
    uh = dolfinx.fem.Function(V)
    R = dolfinx.fem.form(ufl.inner(sig(uh) - sig_star, eps(vt)) * ufl.dx)
    area = geo.half_width * geo.half_depth

    def solve(target):
        with b.localForm() as lb:
            lb.set(0.0)
        dolfinx.fem.petsc.assemble_vector(b, L)
        dolfinx.fem.petsc.apply_lifting(b, [a], bcs=[bcs])
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        dolfinx.fem.petsc.set_bc(b, bcs)
        ksp.solve(b, target.x.petsc_vec)
        assert ksp.getConvergedReason() > 0
        target.x.scatter_forward()
        uh.x.array[:] = target.x.array
        return -comm.allreduce(dolfinx.fem.assemble_scalar(R)) / area

    uB, uA = dolfinx.fem.Function(V), dolfinx.fem.Function(V)
    w.value = 1.0
    PB = solve(uB)
    w.value = 0.0
    wp = preload / PB
    pressures = []
    for soc in socs:
        for c, la in zip(cells, lam.layers, strict=True):
            eig.x.array.reshape(-1, 3)[c] = la.total_eigenstrain(soc, 0.0)
        PA = solve(uA)
        pressures.append(PA + wp * PB)
    ksp.destroy()
    A.destroy()
    return time.perf_counter() - t0, np.array(pressures), V.dofmap.index_map.size_global * 3


def ours(comm, case, socs):
    from interface.models.stack import build_problem

    t0 = time.perf_counter()
    prob = build_problem(case, comm)
    pressures = [prob.solve(float(s)).stack_pressure for s in socs]
    prob.destroy()
    return time.perf_counter() - t0, np.array(pressures), prob.num_dofs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lateral-cells", type=int, default=24)
    ap.add_argument("--cells-per-layer", type=int, default=6)
    ap.add_argument("--points", type=int, default=11)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    case = load_case("cases/stack_nmc811_lpscl_li.toml", overrides={
        "mesh.dimension": 3, "fixture.type": "fixed_gap", "fixture.stiffness": "none"}
        if False else {"mesh.dimension": 3, "mesh.cells_per_layer": args.cells_per_layer,
                       "mesh.lateral_cells": args.lateral_cells})
    # Same fixture in both: a fixed gap.
    import dataclasses

    case = dataclasses.replace(case, fixture=dataclasses.replace(case.fixture, type="fixed_gap",
                                                                 stiffness=None))
    lam = laminate_of(case)
    socs = np.linspace(0.0, 1.0, args.points)
    # Warm the JIT caches of both versions.
    ours(comm, case, socs[:1])
    plain_dolfinx(comm, lam, socs[:1], args.cells_per_layer, args.lateral_cells, case.stack.width,
                  case.stack.depth, case.fixture.preload)
    t_ours, t_plain = [], []
    for _ in range(args.repeat):
        t, p_ours, ndofs = ours(comm, case, socs)
        t_ours.append(t)
        t, p_plain, _ = plain_dolfinx(comm, lam, socs, args.cells_per_layer, args.lateral_cells,
                                      case.stack.width, case.stack.depth, case.fixture.preload)
        t_plain.append(t)
    rel = float(np.max(np.abs(p_ours - p_plain) / np.abs(p_plain)))
    ratio = min(t_ours) / min(t_plain)
    if comm.rank == 0:
        print(f"3D stack, {ndofs} DOFs, {args.points} SOC points, {comm.size} rank(s)")
        print(f"ours : best {min(t_ours):.3f} s of {args.repeat}")
        print(f"plain: best {min(t_plain):.3f} s of {args.repeat}")
        print(f"max relative difference of the pressures: {rel:.2e}")
        print(f"RESULT overhead_ratio = {ratio:.3f} (target <= 1.10)")
        print(f"RESULT pressure_agreement = {rel:.2e} (target <= 1e-8)")


if __name__ == "__main__":
    main()
