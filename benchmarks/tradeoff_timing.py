"""The full trade-off (17 preloads): time split and the gain of building things once.

1. cases/tradeoff_nmc811_lpscl_li.toml at full size with its analytic contact
   stand-ins: where the time goes (mechanics: fixture sizing with the stack
   model; electrochemistry: PyBaMM; system: the bookkeeping and sensitivity), and
   the naive alternative for all its discharges: rebuild the PyBaMM model per
   discharge.
2. The same trade-off with the computed cathode contact map: the 2D RVE
   (cases/interface_rve_2d.toml, 8 pressures x 10 stoichiometries, contact
   continuation) computed once and read through ``map = "tabulated"``, against
   recomputing the map for each of the 17 preloads (an RVE run at that pressure
   over the same stoichiometries, what a script coupling the FE model directly
   would do).

    .venv/bin/python benchmarks/tradeoff_timing.py
"""

from __future__ import annotations

import time

import numpy as np

from interface import load_case, run
from interface.backend import MPI

CASE = "cases/tradeoff_nmc811_lpscl_li.toml"


def main():
    import sys

    if "--maps-only" in sys.argv:
        from interface.models.tradeoff import plan

        with_contact_map(plan(load_case(CASE)).pressures)
        return
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
    t_map, t_maps, t_full_map, info_map = with_contact_map(P)
    print(f"RESULT tradeoff_total_time = {t_full:.1f} s (target <= 600)")
    print(f"RESULT tradeoff_with_rve_map_total_time = {t_map + t_full_map:.1f} s "
          f"(target <= 600)")
    print(f"RESULT map_once_vs_per_pressure_speedup = "
          f"{(t_maps + t_full_map) / (t_map + t_full_map):.1f} (target >= 2)")
    print(f"RESULT built_once_speedup = {t_naive / t_once:.1f} (target >= 10)")
    print(f"RESULT electrochemistry_fraction = "
          f"{info['time_electrochemistry_s'] / t_full:.2f} (target <= 1)")


def with_contact_map(P):
    """Time the RVE contact map once vs per preload, and the trade-off that reads it."""
    import tempfile
    from pathlib import Path

    from interface import load_case, run
    from interface.backend import MPI

    comm = MPI.COMM_SELF
    rve_case = "cases/interface_rve_2d.toml"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rve"
        t0 = time.perf_counter()
        rve = run(load_case(rve_case), comm, output=out, figures=False, fields=False)
        t_map = time.perf_counter() - t0
        assert rve.ok, rve.message
        # the map covers 0-400 MPa: improvement factors up to 5 on the 50 MPa grid end
        case = load_case(CASE, overrides={"contact.cathode.map": "tabulated",
                                          "contact.cathode.results": str(out / "results.h5"),
                                          "tradeoff.interface_improvements": [2.0, 5.0]})
        t0 = time.perf_counter()
        res = run(case, comm)
        t_full_map = time.perf_counter() - t0
        # per preload: the RVE problem built and solved at that pressure only, over the
        # same stoichiometries (mesh from the cache, same solver settings)
        from interface.mechanics.rve import contact_map
        from interface.models import rve as rve_model

        c = load_case(rve_case)
        r = c.rve
        xs = rve_model.grid(c)[1]
        eps = rve_model.eigenstrains(c, xs)
        t_maps = 0.0
        for p in P:
            t0 = time.perf_counter()
            problem = rve_model.build_problem(c, comm)
            cm = contact_map(problem, np.array([float(p)]), eps,
                             steps=r.interface.load_steps,
                             precompression=r.precompression or None,
                             isolated_threshold=r.isolated_threshold,
                             gap_tol=rve_model.gap_tolerance(c),
                             max_cutbacks=r.interface.max_cutbacks)
            t_maps += time.perf_counter() - t0
            assert not cm.failure, cm.failure
    info = res.info
    print(f"RVE contact map once (8 x 10 points): {t_map:.1f} s; recomputed per preload "
          f"({len(P)} x 10 points): {t_maps:.1f} s")
    print(f"trade-off with the RVE map: {t_full_map:.1f} s (mechanics "
          f"{info['time_mechanics_s'] + t_map:.2f} s incl. the map, electrochemistry "
          f"{info['time_electrochemistry_s']:.2f} s, system {info['time_system_s']:.2f} s); "
          f"status {res.status}; preloads with an energy density: "
          f"{len(res.tables['tradeoff'])} of {len(P)}")
    opt = res.summary.get("optimum")
    if opt:
        print(f"  optimum with the RVE map: {opt['stack_pressure_Pa'] / 1e6:.3g} MPa, "
              f"{opt['pack_specific_energy_Wh_per_kg']:.3g} Wh/kg (pack)")
    return t_map, t_maps, t_full_map, info


if __name__ == "__main__":
    main()
