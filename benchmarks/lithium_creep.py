"""3D rough Li | electrolyte patch: 1 h of creep at 1 MPa (wall time, steps, Newton, ranks).

Target of the Li-interface issue: a patch with >= 100k DOFs in under 5 minutes.
The script runs one size on the current communicator and prints RESULT lines; run
it once per rank count and compare:

    python benchmarks/lithium_creep.py --cells 20 --layers 10          # 105 903 DOFs
    mpiexec -n 2 python benchmarks/lithium_creep.py --cells 20 --layers 10

Linear solver: MUMPS LU (default) or GMRES + GAMG (--iterative) inside the
semismooth-Newton VI solver (vinewtonrsls).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from interface.backend import MPI
from interface.geometry.rough import patch_interpolator, self_affine_patch
from interface.materials import get_material
from interface.mechanics.lithium import LiContactModel
from interface.mechanics.viscoplastic import LithiumMaterial, equivalent_rigid_pair


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, default=20, help="lateral cells per side")
    ap.add_argument("--layers", type=int, default=10, help="cells through the thickness")
    ap.add_argument("--pressure", type=float, default=1e6, help="Pa")
    ap.add_argument("--hold", type=float, default=3600.0, help="s")
    ap.add_argument("--iterative", action="store_true", help="GMRES + GAMG instead of LU")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    length = 20e-6
    x, y, h = self_affine_patch(128, length, 0.25e-6, 0.8, rolloff_wavelength=length / 2,
                                cutoff_wavelength=length / 8, seed=3)
    se = get_material("Li6PS5Cl")
    mat = equivalent_rigid_pair(LithiumMaterial.from_material(get_material("Li")),
                                se.youngs_modulus, se.poisson_ratio)
    opts = None
    if args.iterative:
        opts = {"ksp_type": "gmres", "pc_type": "gamg", "ksp_rtol": 1e-10,
                "ksp_max_it": 500}
    t0 = time.perf_counter()
    m = LiContactModel(comm, patch_interpolator(x, y, h, period=length), length, length,
                       args.cells, args.layers, mat, dim=3, petsc_options=opts)
    t_setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    st = m.press(args.pressure, args.hold)
    wall = time.perf_counter() - t0
    f, g = m.contact_fraction(), m.mean_gap()
    n = m.num_dofs()
    m.destroy()
    if comm.rank == 0:
        its = np.asarray(st["its"])
        print(f"dofs {n}, ranks {comm.size}, setup {t_setup:.1f} s, solver "
              f"{'gmres+gamg' if args.iterative else 'mumps lu'}")
        print(f"contact fraction after {args.hold:g} s at {args.pressure / 1e6:g} MPa: {f:.4f}, "
              f"mean gap {g * 1e9:.2f} nm")
        print(f"RESULT lithium_creep_dofs = {n} (target >= 100000)")
        print(f"RESULT lithium_creep_ranks = {comm.size}")
        print(f"RESULT lithium_creep_wall = {wall:.1f} s (target < 300)")
        print(f"RESULT lithium_creep_time_steps = {st['steps']} (failed steps {st['failures']})")
        print(f"RESULT lithium_creep_newton_per_step = {its.mean():.2f} (max {its.max()})")


if __name__ == "__main__":
    main()
