"""Reproduce the numbers quoted in docs/theory/system.md (serial; ~1-2 min on 2 cores)."""

import dataclasses
import math
import time

from interface.backend import MPI
from interface.materials import get_material
from interface.system.energy import default_cell, energy_density, fixture_for, optimise_pressure
from interface.system.fixture import FixtureOptions
from interface.system.plate import Rib, beam_plate, roark_plate, size_plate, solve_plate

comm = MPI.COMM_WORLD
steel = get_material("steel")
# a softer elastomer pad [assumed E = 5 MPa, nu = 0.45, 1.2 g/cm^3]
SOFT = dataclasses.replace(get_material("polymer_pad"), youngs_modulus=5e6, name="soft_pad")


def plate_table():
    print("## FE plate vs Roark (square, b/t = 40, q = 1 MPa, steel), P2 hex, 2 through t")
    print("cells(span) dofs  stress_err  defl_err  vonMises/Roark  time_s")
    b, t, q = 0.1, 0.1 / 40, 1e6
    s_r, w_r = roark_plate(q, b, b, t, steel.youngs_modulus)
    for n in (4, 8, 16, 32, 48):
        t0 = time.perf_counter()
        r = solve_plate(comm, b, b, t, steel, q, cells=n)
        dt = time.perf_counter() - t0
        print(f"{n:4d} {r.num_dofs:7d} {r.max_principal_stress_Pa / s_r - 1:+.4%} "
              f"{r.max_deflection_m / w_r - 1:+.4%} {r.max_von_mises_Pa / s_r:.3f} {dt:.2f} "
              f"{ {k: round(v, 3) for k, v in r.timings_s.items()} }")
    print("## support modes (cells 16 / 32), b/t = 20 and 40: deflection error")
    for mode in ("hard", "soft", "bottom_line"):
        for ratio in (20, 40):
            tt = b / ratio
            s_r, w_r = roark_plate(q, b, b, tt, steel.youngs_modulus)
            errs = []
            for n in (16, 32):
                r = solve_plate(comm, b, b, tt, steel, q, cells=n, support_mode=mode)
                errs.append(f"{r.max_deflection_m / w_r - 1:+.3%}")
            print(mode, ratio, errs)
    print("## a/b = 2, 1.5, 3 at cells 16")
    for ar in (1.5, 2.0, 3.0):
        s_r, w_r = roark_plate(q, ar * b, b, b / 40, steel.youngs_modulus)
        r = solve_plate(comm, ar * b, b, b / 40, steel, q, cells=16)
        print(ar, r.num_dofs, f"{r.max_principal_stress_Pa / s_r - 1:+.3%} "
              f"{r.max_deflection_m / w_r - 1:+.3%}")
    print("## two edges (straps) vs beam, b/t = 40, cells 12")
    for ar in (1.0, 2.0, 3.0):
        s_b, w_b = beam_plate(q, b, b / 40, steel.youngs_modulus)
        r = solve_plate(comm, ar * b, b, b / 40, steel, q, cells=12, support="two_edges")
        print(ar, round(r.max_deflection_m / w_b, 4), round(r.max_principal_stress_Pa / s_b, 4))
    print("## ribs: 100 mm square, t = 2.5 mm, cells 16")
    for ribs in ([], [Rib("x", 0.05, 0.004, 0.01), Rib("y", 0.05, 0.004, 0.01)]):
        r = solve_plate(comm, b, b, 0.0025, steel, q, cells=16, ribs=ribs)
        print(len(ribs), r.num_dofs, f"w={r.max_deflection_m * 1e6:.1f} um "
              f"vm={r.max_von_mises_Pa / 1e6:.0f} MPa m={r.mass_kg * 1e3:.1f} g "
              f"t={r.timings_s['total']:.2f}s")
    print("## FE sizing vs Roark")
    for p, w in ((2e5, 1.0), (2e5, 2e-4), (2e6, 2e-5)):
        ro = size_plate(p, b, b, steel, 125e6, w)
        t0 = time.perf_counter()
        fe = size_plate(p, b, b, steel, 125e6, w, method="fe", stress_measure="max_principal",
                        fe_options={"cells": 8})
        print(p, w, ro.governing, f"b/t={b / ro.thickness_m:.1f} fe/roark="
              f"{fe.thickness_m / ro.thickness_m:.4f} evals={fe.fe_evaluations} "
              f"{time.perf_counter() - t0:.1f}s")
    vm = size_plate(2e5, b, b, steel, 125e6, 1.0, method="fe", fe_options={"cells": 8})
    ro = size_plate(2e5, b, b, steel, 125e6, 1.0)
    print("von Mises / Roark thickness", round(vm.thickness_m / ro.thickness_m, 4))


def fixture_table():
    cell = default_cell()
    e = 120e3
    print(f"## default cell: {cell.name}, m={cell.mass_kg * 1e3:.1f} g, "
          f"h={cell.thickness_m * 1e3:.3f} mm, V={cell.volume_m3 * 1e6:.2f} cm3, "
          f"C={cell.compliance_m_per_Pa:.3g} m/Pa, footprint={cell.footprint_m}")
    ed = energy_density(e, cell)
    print(f"cell {ed.cell_Wh_per_kg:.0f} Wh/kg {ed.cell_Wh_per_L:.0f} Wh/L at E = {e:g} J")
    variants = {
        "rods, steel, 2 mm pad, 5 %": {},
        "rods, aluminium": {"material": "aluminium"},
        "rods, 5 mm pad": {"end_pad_thickness": 5e-3},
        "rods, 5 mm soft pad (E 5 MPa)": {"end_pad_thickness": 5e-3, "pad_material": SOFT},
        "rods, 10 % uniformity": {"pressure_variation": 0.10},
        "rods, deflection_limit 100 um": {"deflection_limit": 100e-6},
        "rods + disc springs": {"pressing": "disc_springs"},
        "rods + coil springs": {"pressing": "coil_springs"},
        "straps": {"tension": "straps"},
        "cell-level fixtures": {"level": "cell"},
        "rods, FE plates": {"plate_method": "fe", "plate_fe_options": {"cells": 12}},
        "rods, FE plates + 2x2 ribs 8 x 50 mm": {
            "plate_method": "fe", "plate_fe_options": {"cells": 12},
            "plate_ribs": tuple(Rib(ax, f, 0.008, 0.05, relative=True)
                                for ax in "xy" for f in (1 / 3, 2 / 3))},
    }
    print("## 20 cells/module, P = 2 MPa")
    print("variant | plate t mm (governs) | fixture kg | added L | module Wh/kg | "
          "module Wh/L | pack Wh/kg | pack Wh/L")
    for name, kw in variants.items():
        fx = fixture_for(cell, 2e6, cells_per_module=20, **kw)
        ed = energy_density(e, cell, fx)
        print(f"{name} | {fx.plate.thickness_m * 1e3:.1f} ({fx.plate.governing}, "
              f"b/t {fx.plate.span_to_thickness:.1f}) | "
              f"{fx.mass_kg:.2f} | {fx.added_volume_m3 * 1e3:.2f} | {ed.module_Wh_per_kg:.0f} | "
              f"{ed.module_Wh_per_L:.0f} | {ed.pack_Wh_per_kg:.0f} | {ed.pack_Wh_per_L:.0f}")
    print("## optimum, E(P) = E_inf (1 - exp(-P/1.5 MPa)), 20 cells")
    law = lambda p: e * (1 - math.exp(-p / 1.5e6))  # noqa: E731
    for label, opts in (("deflection_limit 100 um", FixtureOptions(cells_per_module=20,
                                                                    deflection_limit=100e-6)),
                        ("5 % uniformity (default)", FixtureOptions(cells_per_module=20))):
        for scale in (1.0, 2.0, 4.0):
            mat = dataclasses.replace(steel, density=scale * steel.density)
            o = dataclasses.replace(opts, material=mat)
            opt, tab = optimise_pressure(law, cell, o, pressure_range=(1e5, 1e8), points=31)
            print(label, scale, f"P_opt={opt.pressure_Pa / 1e6:.3f} MPa "
                  f"pack={opt.value:.1f} Wh/kg interior={opt.interior}")


if __name__ == "__main__":
    plate_table()
    fixture_table()
