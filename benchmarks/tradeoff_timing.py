"""The full trade-off (17 preloads): time split and the gain of building things once.

Runs cases/tradeoff_nmc811_lpscl_li.toml at full size and reports where the time
goes (mechanics: fixture sizing with the stack model; electrochemistry: PyBaMM;
system: the bookkeeping and sensitivity).  Then the naive alternative for the
same baseline curve: for each preload, recompute the contact map table and
rebuild the PyBaMM model (what a script without the adapter does), and solve.

    .venv/bin/python benchmarks/tradeoff_timing.py
"""

from __future__ import annotations

import time

import numpy as np

from interface import load_case, run
from interface.backend import MPI

CASE = "cases/tradeoff_nmc811_lpscl_li.toml"


def main():
    comm = MPI.COMM_SELF
    case = load_case(CASE)
    t0 = time.perf_counter()
    res = run(case, comm)
    t_full = time.perf_counter() - t0
    info = res.info
    P = res.tables["tradeoff"]["stack_pressure_Pa"]
    e_once = res.tables["tradeoff"]["energy_per_area_J_per_m2"]
    print(f"full trade-off: {len(P)} preloads, {info['discharges']} discharges, "
          f"{info['cycles']} cycles each, total {t_full:.1f} s")
    for k in ("mechanics_s", "electrochemistry_s", "system_s"):
        print(f"  {k[:-2]:18s} {info['time_' + k]:8.2f} s")

    # All discharges of the trade-off, built once (one model, batched per C-rate) vs the
    # naive path: per discharge, re-read the maps and laws and rebuild the PyBaMM model.
    from interface.electrochem.protocols import breathing_discharges
    from interface.models import electrochem as ec_model
    from interface.models import tradeoff as tm

    t = case.tradeoff
    s = ec_model.settings(case, two_way=False)
    cell0 = tm.cell_design(case)
    unit = tm.unit_breathing(case)
    travel = float(np.ptp(unit[0]) * case.system.cell.repeat_units)
    cells = case.system.fixture.cells_per_module
    fixtures = [tm.size_module_fixture(case, cell0, float(p), cells, unit, travel) for p in P]
    hi = 0.999 * min(ec_model.contact_model(s).cathode.pressure_range[1],
                     ec_model.contact_model(s).lithium.pressure_range[1])
    jobs = [(t.c_rate, 1.0)] + [(t.c_rate, x) for x in t.interface_improvements] + \
        [(c, 1.0) for c in t.c_rates]
    work = [(c, (float(p), tm.pressure_gain(case, f, cells), imp))
            for c, imp in jobs for p, f in zip(P, fixtures, strict=True)
            if imp * f.pressure_max <= hi]
    t0 = time.perf_counter()
    cell = ec_model.build_cell(s, case, pressures=tuple(P),
                               stack_breathing=tm.breathing_table(case, s))
    e_once = {}
    for c in sorted({c for c, _ in work}):
        pts = [pt for cc, pt in work if cc == c]
        for pt, rec in zip(pts, breathing_discharges(cell, pts, c), strict=True):
            e_once[(c, pt)] = rec.energy
    t_once = time.perf_counter() - t0
    t0 = time.perf_counter()
    worst = 0.0
    for c, pt in work:
        s_k = ec_model.settings(case, two_way=False)
        cell_k = ec_model.build_cell(s_k, case, pressures=(pt[0],),
                                     stack_breathing=tm.breathing_table(case, s_k))
        e = breathing_discharges(cell_k, [pt], c)[0].energy
        worst = max(worst, abs(e - e_once[(c, pt)]) / e_once[(c, pt)])
    t_naive = time.perf_counter() - t0
    print(f"{len(work)} discharges: built once {t_once:.2f} s ({t_once / len(work) * 1e3:.1f} ms "
          f"each incl. the build), rebuilt per discharge {t_naive:.1f} s "
          f"({t_naive / len(work):.2f} s each); energies agree to {worst:.1e}")
    print(f"RESULT tradeoff_total_time = {t_full:.1f} s (target <= 600)")
    print(f"RESULT built_once_speedup = {t_naive / t_once:.1f} (target >= 10)")
    print(f"RESULT electrochemistry_fraction = "
          f"{info['time_electrochemistry_s'] / t_full:.2f} (target <= 1)")


if __name__ == "__main__":
    main()
