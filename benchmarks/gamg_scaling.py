"""CG + GAMG on the 3D stack: iterations under mesh refinement and time per DOF near 1M DOFs.

The NMC811 | Li6PS5Cl | Li stack case in 3D, refined uniformly (the element
aspect ratio is kept), solved with CG + GAMG and the rigid-body near-nullspace
at rtol 1e-9.  Reports, per level: DOFs, GAMG set-up time, iterations and time
of one SOC solve, time per DOF.

    .venv/bin/python benchmarks/gamg_scaling.py            # up to ~1M DOFs
    .venv/bin/mpiexec -n 2 .venv/bin/python benchmarks/gamg_scaling.py
"""

from __future__ import annotations

import argparse
import time

from interface.backend import MPI
from interface.case import load_case
from interface.models.stack import build_problem

LEVELS = [(1, 10), (2, 20), (4, 40), (9, 90)]  # (cells per layer, lateral cells)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", type=int, default=len(LEVELS))
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    rows = []
    for cpl, lat in LEVELS[: args.levels]:
        case = load_case("cases/stack_nmc811_lpscl_li.toml", overrides={
            "mesh.dimension": 3, "mesh.cells_per_layer": cpl, "mesh.lateral_cells": lat,
            "solver.linear_solver": "iterative"})
        t0 = time.perf_counter()
        prob = build_problem(case, comm)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        state = prob.solve(1.0)
        t_solve = time.perf_counter() - t0
        rows.append((prob.num_dofs, t_build, prob._iters_B, state.ksp_iterations, t_solve))
        prob.destroy()
        if comm.rank == 0:
            n, tb, itb, its, ts = rows[-1]
            print(f"level cpl={cpl:2d} lat={lat:3d}: {n:9d} DOFs, build+unit solve {tb:7.2f} s, "
                  f"unit-plate its {itb:3d}, SOC solve its {its:3d} in {ts:7.2f} s "
                  f"({ts / n * 1e6:.2f} us/DOF)", flush=True)
    if comm.rank == 0:
        its = [r[3] for r in rows]
        n, *_, ts = rows[-1]
        print(f"RESULT gamg_iterations_growth = {its[-1] / its[0]:.2f} (target <= 1.6)")
        print(f"RESULT time_per_dof_largest = {ts / n * 1e6:.3f} us (target <= 50)")
        print(f"RESULT dofs_largest = {n} (target >= 1000000)")


if __name__ == "__main__":
    main()
