"""Verification benchmarks of the system model (``f(comm) -> list[Row]``, registered).

* ``system.roark_plate``: the FE plate (3D solid, P2 hexahedra, hard simple support,
  a/t = 40) against Roark 7th ed. Table 11.4 case 1a, square and a/b = 2.
* ``system.roark_table``: Roark's tabulated alpha, beta against the Navier series.
* ``system.disc_spring``: Almen-Laszlo force against the DIN 2093 series A table.
* ``system.energy_bookkeeping``: cell Wh/kg from the parts; zero-fixture pack = f x cell.
"""

from __future__ import annotations

import math

from interface.verify import Row, benchmark

from .plate import ROARK_SOURCE, navier_coefficients, roark_coefficients, roark_plate, solve_plate

#: Default verification mesh of the FE plate: elements across the span (16: quarter model
#: with 8 x 8 x 2 P2 hexahedra), elements through the thickness, span / thickness.
PLATE_VERIFY_MESH = {"cells": 16, "cells_through_thickness": 2, "degree": 2}
PLATE_SPAN_OVER_THICKNESS = 40.0


def plate_rows(comm, *, a_over_b: float = 1.0, mesh: dict | None = None,
               tolerance: float = 0.02, name: str = "system.roark_plate") -> list[Row]:
    """FE max principal stress and max deflection against Roark for one aspect ratio."""
    from interface.materials import get_material

    steel = get_material("steel")
    b = 0.1
    a = a_over_b * b
    t = b / PLATE_SPAN_OVER_THICKNESS
    q = 1e6
    res = solve_plate(comm, a, b, t, steel, q, **(mesh or PLATE_VERIFY_MESH))
    s_ref, w_ref = roark_plate(q, a, b, t, steel.youngs_modulus)
    tag = f"a/b={a_over_b:g}, b/t={PLATE_SPAN_OVER_THICKNESS:g}"
    return [Row(name, f"max bending stress [Pa] ({tag})", s_ref, res.max_principal_stress_Pa,
                tolerance, ROARK_SOURCE),
            Row(name, f"max deflection [m] ({tag})", w_ref, res.max_deflection_m,
                tolerance, ROARK_SOURCE)]


@benchmark("system.roark_plate", "FE plate (3D solid) vs Roark Table 11.4 case 1a",
           ROARK_SOURCE)
def roark_plate_benchmark(comm) -> list[Row]:
    """Square plate and a/b = 2 at the default verification mesh, 2 % tolerance."""
    return plate_rows(comm, a_over_b=1.0) + plate_rows(comm, a_over_b=2.0)


@benchmark("system.roark_table", "Roark's alpha, beta vs the Navier double series",
           "Timoshenko & Woinowsky-Krieger, Theory of Plates and Shells, Sec. 30")
def roark_table_benchmark(comm) -> list[Row]:
    """The interpolated table against the Kirchhoff series (nu = 0.3), 0.5 %."""
    rows = []
    for r in (1.0, 1.5, 2.0, 3.0, 5.0):
        beta_n, alpha_n = navier_coefficients(r, 0.3)
        beta_r, alpha_r = roark_coefficients(r)
        src = "Navier series (Kirchhoff, nu = 0.3)"
        rows += [Row("system.roark_table", f"beta (a/b={r:g})", beta_n, beta_r, 5e-3, src),
                 Row("system.roark_table", f"alpha (a/b={r:g})", alpha_n, alpha_r, 5e-3, src)]
    return rows


@benchmark("system.disc_spring", "Almen-Laszlo disc-spring force vs DIN 2093 table",
           "DIN 2093 series A dimension table (A 20, A 25, A 31.5)")
def disc_spring_benchmark(comm) -> list[Row]:
    """Forces of three tabulated series-A discs at s ~ 0.75 h0, 1 %.

    Table values (De, Di, t, h0, s in mm -> F in N), DIN 2093 series A as listed by
    manufacturers: A 20: 20, 10.2, 1.1, 0.45, 0.34 -> 1530; A 25: 25, 12.2, 1.5, 0.55,
    0.41 -> 2910; A 31.5: 31.5, 16.3, 1.75, 0.7, 0.53 -> 3900.
    """
    from .fixture import disc_spring_force

    src = "DIN 2093 series A table (E = 206 GPa, mu = 0.3)"
    table = [("A 20", 20, 10.2, 1.1, 0.45, 0.34, 1530.0),
             ("A 25", 25, 12.2, 1.5, 0.55, 0.41, 2910.0),
             ("A 31.5", 31.5, 16.3, 1.75, 0.7, 0.53, 3900.0)]
    return [Row("system.disc_spring", f"force {n} at s = {s:g} mm [N]", ref,
                disc_spring_force(s * 1e-3, de * 1e-3, di * 1e-3, t * 1e-3, h0 * 1e-3),
                1e-2, src)
            for n, de, di, t, h0, s, ref in table]


@benchmark("system.energy_bookkeeping", "energy-density bookkeeping identities",
           "definitions (system/energy.py)")
def energy_bookkeeping_benchmark(comm) -> list[Row]:
    """Cell Wh/kg from the parts; zero fixture: module = cell, pack = f x cell; sums."""
    from .energy import Packing, default_cell, energy_density, fixture_for

    cell = default_cell()
    e = 120e3  # J per cell
    packing = Packing(mass_fraction=0.8, volume_fraction=0.6)
    ed = energy_density(e, cell, None, packing, cells_per_module=12)
    parts = cell.mass_breakdown_kg()
    src = "identity"
    name = "system.energy_bookkeeping"
    rows = [
        Row(name, "cell Wh/kg = E / sum(part masses)", e / 3600.0 / math.fsum(parts.values()),
            ed.cell_Wh_per_kg, 1e-12, src),
        Row(name, "cell Wh/L = E / V_cell", e / 3600.0 / (cell.volume_m3 * 1e3),
            ed.cell_Wh_per_L, 1e-12, src),
        Row(name, "pack Wh/kg (no fixture) = f_m cell Wh/kg", 0.8 * ed.cell_Wh_per_kg,
            ed.pack_Wh_per_kg, 1e-12, src),
        Row(name, "pack Wh/L (no fixture) = f_V cell Wh/L", 0.6 * ed.cell_Wh_per_L,
            ed.pack_Wh_per_L, 1e-12, src),
    ]
    fx = fixture_for(cell, 2e6, cells_per_module=12)
    ed2 = energy_density(e, cell, fx, packing)
    rows += [
        Row(name, "pack mass = sum of breakdown [kg]", ed2.pack_mass_kg,
            math.fsum(ed2.mass_breakdown_kg.values()), 1e-12, src),
        Row(name, "module mass = N m_cell + m_fixture [kg]", 12 * ed2.cell_mass_kg + fx.mass_kg,
            ed2.module_mass_kg, 1e-12, src),
    ]
    return rows


BENCHMARKS = ["system.roark_plate", "system.roark_table", "system.disc_spring",
              "system.energy_bookkeeping"]
