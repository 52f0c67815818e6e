"""3D rough Li | electrolyte patch: 1 h of creep at 1 MPa (wall time, steps, Newton, ranks).

Target of the Li-interface issue: a patch with >= 100k DOFs in under 5 minutes.
The script runs one size on the current communicator and prints RESULT lines; run
it once per rank count with the same ``--record`` file and the second run prints
the contact-fraction difference between the two rank counts:

    python benchmarks/lithium_creep.py --record /tmp/li.json              # 106k DOFs, P2
    mpiexec -n 2 python benchmarks/lithium_creep.py --record /tmp/li.json
    python benchmarks/lithium_creep.py --small                            # 3.5k DOFs, P2, LU

Default (large) run: P2 tetrahedra, 20 x 20 x 10 cells (105 903 DOFs); the
reduced-space VI Newton solver with CG preconditioned by the two-level P2 -> P1
multigrid on the full-space matrix (:class:`interface.mechanics.lithium.FullSpacePMG`;
its P1 coarse level solved by three GAMG V-cycles),
inexact Newton (CG rtol 1e-2 while the residual is above 1e-3 of its start value,
1e-4 below); no seating (the first creep step of 3e-3 s regularises the first
contact), step growth x3 after <= 12 Newton iterations, x0.7 after >= 16, Newton
predictor from the previous increment, atol 1e-6 p L^2.
``--solver`` also offers ``lu`` (MUMPS every Newton iteration), ``lagged-lu`` (MUMPS
factors kept until GMRES needs > 25 iterations) and ``amg`` (full-space GAMG).
``--small`` is the earlier configuration (P2, 6 x 6 x 3 cells, MUMPS, seated at 20 kPa,
the model defaults).  P1 at the same DOFs (``--degree 1 --cells 46 --layers 16``) is
~3x cheaper per Newton iteration but its tetrahedra lock under isochoric creep/plastic
flow: at 3.5k DOFs the 1 h contact fraction is 0.215 (P1, 12 x 12 x 6) against 0.616
(P2, 6 x 6 x 3).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

# one BLAS thread per MPI rank (as `make bench` sets; set before numpy and PETSc load,
# hence their imports in main): threaded BLAS under MUMPS and numpy oversubscribes the
# cores (106k DOFs, 2 ranks on 2 cores: 443.8 s vs 384.0 s)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def n_solves(lin):
    """Newton iterations in the recorded (iterations, linear iterations) pairs."""
    return sum(v[0] for v in lin)


def main():
    import numpy as np

    from interface.backend import MPI
    from interface.geometry.rough import patch_interpolator, self_affine_patch
    from interface.materials import get_material
    from interface.mechanics.lithium import LiContactModel
    from interface.mechanics.viscoplastic import LithiumMaterial, equivalent_rigid_pair

    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true", help="3.5k DOFs, P2, LU, model defaults")
    ap.add_argument("--cells", type=int, default=20, help="lateral cells per side")
    ap.add_argument("--layers", type=int, default=10, help="cells through the thickness")
    ap.add_argument("--degree", type=int, default=2, help="Lagrange degree (1 or 2)")
    ap.add_argument("--solver", default="pmg", choices=("pmg", "lu", "lagged-lu", "amg"))
    ap.add_argument("--ksp-rtol", type=float, default=1e-4, help="Krylov rtol (iterative)")
    ap.add_argument("--seat", type=float, default=0.0,
                    help="seating pressure [Pa] before the step to --pressure (0: none; "
                    "fast seating within 2x, except with --small)")
    ap.add_argument("--pressure", type=float, default=1e6, help="Pa")
    ap.add_argument("--hold", type=float, default=3600.0, help="s")
    ap.add_argument("--dt0", type=float, default=3e-3, help="first creep step [s]")
    ap.add_argument("--grow", type=float, default=3.0, help="step growth after a fast step")
    ap.add_argument("--fast-its", type=int, default=12,
                    help="steps with at most this many Newton iterations grow the next step")
    ap.add_argument("--slow-its", type=int, default=16,
                    help="steps with this many Newton iterations shrink the next step x0.7")
    ap.add_argument("--atol-rel", type=float, default=1e-6, help="Newton atol / (p L^2)")
    ap.add_argument("--no-predictor", action="store_true")
    ap.add_argument("--record", default=None, help="JSON file to compare rank counts")
    ap.add_argument("--verbose", action="store_true", help="print every step")
    args = ap.parse_args()
    if args.small:
        args.cells, args.layers, args.degree, args.solver = 6, 3, 2, "lu"
        args.dt0, args.grow, args.fast_its, args.atol_rel = 1e-6, 1.5, 12, 1e-10
        args.no_predictor, args.seat, args.slow_its = True, 2e4, 20
    comm = MPI.COMM_WORLD
    length = 20e-6
    x, y, h = self_affine_patch(128, length, 0.25e-6, 0.8, rolloff_wavelength=length / 2,
                                cutoff_wavelength=length / 8, seed=3)
    se = get_material("Li6PS5Cl")
    mat = equivalent_rigid_pair(LithiumMaterial.from_material(get_material("Li")),
                                se.youngs_modulus, se.poisson_ratio)
    t0 = time.perf_counter()
    m = LiContactModel(comm, patch_interpolator(x, y, h, period=length), length, length,
                       args.cells, args.layers, mat, dim=3, degree=args.degree,
                       linear_solver=args.solver, atol_rel=args.atol_rel,
                       petsc_options=({"ksp_rtol": args.ksp_rtol} if args.solver != "lu" else None))
    m.predictor = None if args.no_predictor else "previous"
    t_setup = time.perf_counter() - t0
    lin, nres0 = [], m.n_residuals
    solve = m.solve_step

    def counted(*a, **kw):
        info = solve(*a, **kw)
        lin.append((info.its, info.lin_its))
        return info

    m.solve_step = counted
    t0 = time.perf_counter()
    st = m.press(args.pressure, args.hold, p_seat=args.seat or None, dt0=args.dt0, grow=args.grow,
                 fast_its=args.fast_its, slow_its=args.slow_its, fast_seat=not args.small,
                 verbose=args.verbose)
    wall = time.perf_counter() - t0
    f, g = m.contact_fraction(), m.mean_gap()
    n = m.num_dofs()
    nres = m.n_residuals - nres0
    pc_setups = m.fullspace_pc.setups if m.fullspace_pc is not None else n_solves(lin)
    m.destroy()
    if comm.rank != 0:
        return
    its = np.asarray(st["its"])
    tag = (f"{n} DOFs P{args.degree} {args.solver} dt0 {args.dt0:g} grow {args.grow:g} "
           f"atol {args.atol_rel:g} pred {not args.no_predictor} seat {args.seat:g}")
    print(f"{tag}; ranks {comm.size}; setup {t_setup:.1f} s")
    print(f"contact fraction after {args.hold:g} s at {args.pressure / 1e6:g} MPa: {f:.6f}, "
          f"mean gap {g * 1e9:.3f} nm")
    n_newton, n_lin = n_solves(lin), sum(v[1] for v in lin)
    print(f"all nonlinear solves (seating and rejected steps included): {len(lin)} solves, "
          f"{n_newton} Newton its, {nres} residual evaluations, {n_lin} linear its "
          f"({n_lin / max(n_newton, 1):.1f} per Newton it), {pc_setups} preconditioner set-ups")
    r = comm.size
    print(f"RESULT lithium_creep_dofs = {n} (target >= 100000)")
    print(f"RESULT lithium_creep_wall_{r}rank = {wall:.1f} s (target < 300)")
    print(f"RESULT lithium_creep_time_steps_{r}rank = {st['steps']} "
          f"(failed {st['failures']}) (target <= 40)")
    print(f"RESULT lithium_creep_newton_per_step_{r}rank = {its.mean():.2f} (max {its.max()})")
    print(f"RESULT lithium_creep_s_per_newton_{r}rank = {wall / max(n_newton, 1):.2f} s")
    print(f"RESULT lithium_creep_contact_fraction_{r}rank = {f:.6f}")
    if args.record:
        path = Path(args.record)
        rec = json.loads(path.read_text()) if path.exists() else {}
        for key, val in rec.items():
            if key.startswith(tag + " | ranks ") and key != f"{tag} | ranks {r}":
                print(f"RESULT lithium_creep_fraction_difference = {abs(f - val):.2e} "
                      f"({key.split('|')[1].strip()} vs ranks {r}) (target < 1e-6)")
        rec[f"{tag} | ranks {r}"] = f
        path.write_text(json.dumps(rec, indent=1))


if __name__ == "__main__":
    main()
