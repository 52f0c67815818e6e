"""Regenerate docs/studies/lithium_sweep_2d.csv: the 2D FE sweep the fast Li law is fitted to.

The shipped CSV was produced by the prototype of interface/mechanics/lithium.py (the same
code, rigid counter-body, T_ref = 298 K); this script reruns it with the package (serial,
about 25 min on one core).  Usage: python docs/studies/lithium_sweep_2d.py > sweep.csv
"""

import numpy as np

from interface.backend import MPI
from interface.geometry.rough import profile_interpolator, self_affine_profile
from interface.mechanics.lithium import LiContactModel
from interface.mechanics.viscoplastic import LithiumMaterial

L = 20e-6
TIMES = [1e-2, 0.1, 1.0, 10.0, 60.0, 300.0, 1200.0, 3600.0]
FIT = [(p, t, r, 3) for r in (0.25e-6, 0.5e-6) for t in (273.0, 298.0, 333.0)
       for p in (0.1e6, 0.2e6, 0.5e6, 1e6, 2e6)]
HELDOUT = [(0.3e6, 298.0, 0.35e-6, 5), (0.7e6, 298.0, 0.35e-6, 5), (0.15e6, 313.0, 0.25e-6, 5),
           (1.5e6, 283.0, 0.5e-6, 5), (0.4e6, 323.0, 0.5e-6, 5)]


def run(comm, p, temp, rms, seed):
    """Contact fraction and mean gap [m] at TIMES for one (P [Pa], T [K], R_q [m], seed)."""
    x, h = self_affine_profile(1024, L, rms, 0.8, rolloff_wavelength=L / 2,
                               cutoff_wavelength=L / 8, seed=seed)
    m = LiContactModel(comm, profile_interpolator(x, h, period=L), L, L, 32, 12,
                       LithiumMaterial(T=temp, T_ref=298.0))
    m.press(p, TIMES[-1], times_out=TIMES)
    f, g = m.history_at(TIMES, "frac"), m.history_at(TIMES, "gap")
    m.destroy()
    return f, g


if __name__ == "__main__":
    comm = MPI.COMM_WORLD
    print("set,stack_pressure_Pa,hold_time_s,temperature_K,rms_roughness_m,contact_fraction,"
          "mean_gap_m")
    for name, cases in (("fit", FIT), ("heldout", HELDOUT)):
        for p, temp, rms, seed in cases:
            f, g = run(comm, p, temp, rms, seed)
            for t, fi, gi in zip(TIMES, f, g, strict=True):
                print(f"{name},{p:.6g},{t:.6g},{temp:.6g},{rms:.6g},{fi:.6f},{np.float64(gi):.6e}",
                      flush=True)
