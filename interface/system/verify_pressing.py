"""Verification benchmarks of the pressing architectures (``f(comm) -> list[Row]``, registered).

* ``system.enclosure_shell``: the thin-shell walls of the pressurised enclosure against the
  exact Lame thick-walled cylinder and sphere (difference of order P / sigma), and the
  vessel's wall mass against the shell volumes.
* ``system.gas_spring``: the enclosure's cycle pressure against Boyle's law, and the
  reservoir sizing that puts the peak pressure exactly on the band's top.
* ``system.foam_pad``: the pad law through its datasheet point and its closed-form inverse;
  the pad thickness of eq. (4) against the numerical gap balance (the pressure at the
  largest breathing is the band's top); the end-of-life pressure after compression set.
* ``system.frame_column``: one repeat unit with compliance C_f / n marches exactly like n
  units with C_f (the scaling the fixed-gap frame relies on), creep included.
"""

from __future__ import annotations

import math

import numpy as np

from interface.verify import Row, benchmark

from .enclosure import (
    ROARK_SHELLS,
    boyle_pressure,
    cylinder_wall,
    lame_cylinder_wall,
    size_enclosure,
    sphere_wall,
)
from .pads import FOAM_PADS, PadStack, pad_thickness_for_band


def lame_sphere_wall(pressure: float, radius: float, allowable_stress: float) -> float:
    """Wall of a thick sphere whose peak hoop stress (inner face, Lame) is the allowable.

    sigma_theta(a) = P (b^3 + 2 a^3) / (2 (b^3 - a^3))  ->  b^3 = a^3 (2 s + 2 P) / (2 s - P).
    """
    s = allowable_stress
    return radius * (((2 * s + 2 * pressure) / (2 * s - pressure)) ** (1.0 / 3.0) - 1.0)


@benchmark("system.enclosure_shell", "thin-shell vessel walls vs the exact Lame solutions",
           ROARK_SHELLS + "; Lame (Timoshenko & Goodier, Theory of Elasticity, sec. 33, 138)")
def enclosure_shell_benchmark(comm) -> list[Row]:
    """Wall thickness: thin shell vs Lame, tolerance P / sigma (the thin-shell error ~ P/2s)."""
    rows = []
    src = "Lame thick-walled cylinder / sphere (exact elasticity)"
    for ratio in (1e-3, 1e-2, 5e-2):
        s, r = 125e6, 0.1
        p = ratio * s
        rows.append(Row("system.enclosure_shell", f"cylinder wall [m] (P/sigma = {ratio:g})",
                        lame_cylinder_wall(p, r, s), cylinder_wall(p, r, s), ratio, src))
        rows.append(Row("system.enclosure_shell", f"sphere wall [m] (P/sigma = {ratio:g})",
                        lame_sphere_wall(p, r, s), sphere_wall(p, r, s), ratio, src))
    from interface.materials import get_material

    steel = get_material("steel")
    enc = size_enclosure(5e6, 5e6, (0.2, 0.1, 0.08), 0.2 * 0.1 * 0.08, (0.0, 1e-5), steel,
                         125e6, math.inf, 0.0, min_wall=1e-4)
    r, t, th, length = enc.radius_m, enc.wall_m, enc.head_wall_m, enc.cylinder_length_m
    shell = steel.density * math.pi * ((r + t) ** 2 - r**2) * length
    heads = steel.density * 4.0 / 3.0 * math.pi * ((r + th) ** 3 - r**3)
    rows.append(Row("system.enclosure_shell", "cylinder shell mass [kg] = rho pi ((r+t)^2 - r^2) L",
                    shell, enc.wall_mass_kg, 1e-12, "shell volume"))
    rows.append(Row("system.enclosure_shell", "two hemispherical heads [kg] = rho 4/3 pi "
                    "((r+t)^3 - r^3)", heads, enc.head_mass_kg, 1e-12, "shell volume"))
    return rows


@benchmark("system.gas_spring", "enclosure gas pressure vs Boyle's law",
           "Boyle's law, isothermal ideal gas")
def gas_spring_benchmark(comm) -> list[Row]:
    """Boyle's law of the cycle, and the reservoir that puts P_max on the band's top."""
    from interface.materials import get_material

    steel = get_material("steel")
    p0, dv, v_g = 1e6, 2e-4, 3e-3
    rows = [Row("system.gas_spring", "P after dV [Pa] = P0 Vg / (Vg - dV)",
                p0 * v_g / (v_g - dv), boyle_pressure(p0, v_g, dv), 1e-12, "Boyle")]
    block = (0.2, 0.1, 0.08)
    p_hi = 1.02 * p0  # a 2 % band: the vessel's own gas is not enough, a reservoir is added
    enc = size_enclosure(p_hi, p0, block, 0.9 * 0.2 * 0.1 * 0.08, (0.0, dv), steel, 125e6,
                         p_hi, 0.0)
    rows.append(Row("system.gas_spring", "peak pressure with the sized reservoir [Pa] = band top",
                    p_hi, boyle_pressure(p0, enc.gas_volume_m3, dv), 1e-12,
                    "V_g = dV P_hi / (P_hi - P0)"))
    return rows


@benchmark("system.foam_pad", "foam pad law, pad sizing and compression set",
           "interface/system/pads.py eqs. (1)-(4); Rogers PORON 4701-30 datasheet")
def foam_pad_benchmark(comm) -> list[Row]:
    """Datasheet point, inverse, eq. (4) vs the gap balance, end-of-life closed form."""
    rows = []
    for name, pad in FOAM_PADS.items():
        rows.append(Row("system.foam_pad", f"{name}: sigma(25 %) [Pa] = datasheet CFD",
                        pad.cfd_25, pad.stress(0.25), 1e-12, pad.source))
        e = 0.37
        rows.append(Row("system.foam_pad", f"{name}: eps(sigma(eps)) = eps", e,
                        pad.strain(pad.stress(e)), 1e-12, "closed-form inverse"))
        # eq. (4): 20 cells breathing 0.5 mm each, preload 0.05 MPa, band top 0.15 MPa
        n, breath, c_c, c_f, p0, p_hi = 20, 0.5e-3, 1e-13, 2e-11, 5e4, 1.5e5
        total = pad_thickness_for_band(pad, n, breath, c_c, c_f, p0, p_hi)
        ps = PadStack(pad, total, n, c_c, c_f, p0)
        rows.append(Row("system.foam_pad", f"{name}: P at the largest breathing with the "
                        "eq. (4) thickness [Pa] = band top", p_hi, ps.pressure(breath), 1e-9,
                        "gap balance eq. (3), solved numerically"))
        # compression set with rigid cells and frame: eps' = 1 - (1 - eps0) / (1 - C_t)
        rigid = PadStack(pad, total, n, 0.0, 0.0, p0)
        e0 = pad.strain(p0)
        e_aged = 1.0 - (1.0 - e0) / (1.0 - pad.compression_set)
        rows.append(Row("system.foam_pad", f"{name}: end-of-life pressure [Pa] = "
                        "sigma(1 - (1 - eps0)/(1 - C_t))", pad.stress(max(e_aged, 0.0)),
                        rigid.pressure(0.0, aged=True), 1e-9, "compression set, ASTM D3574 "
                        "Test D definition"))
    return rows


@benchmark("system.frame_column", "frame column: one unit with C_f/n = n units with C_f",
           "column balance eq. (1) of interface/mechanics/column.py (identical units)")
def frame_column_benchmark(comm) -> list[Row]:
    """A creeping Li layer between elastic layers, 3 units, a short charge in a frame."""
    from interface.mechanics.column import Column, ColumnLayer, MetalFlow

    # uniaxial (slip) creep fast enough to relax a visible part of the pressure
    flow = MetalFlow(creep_coefficient=3e-48, creep_exponent=6.56, yield_stress=50e6,
                     radius=2e-3, interface="slip")

    def unit(k):
        return [ColumnLayer(f"el{k}", 60e-6, 40e9, lambda s: -0.005 * s),
                ColumnLayer(f"li{k}", 20e-6, 15e9, lambda s: 0.9 * s, metal=flow)]

    n, c_f, p0 = 3, 3e-12, 1e6
    one = Column(unit(0), c_f / n, p0)
    many = Column([la for k in range(n) for la in unit(k)], c_f, p0)
    socs = np.linspace(0.0, 1.0, 9)[1:]
    p1 = [one.step(float(s), 600.0).pressure for s in socs]
    pn = [many.step(float(s), 600.0).pressure for s in socs]
    elastic = Column([ColumnLayer("el", 60e-6, 40e9, lambda s: -0.005 * s),
                      ColumnLayer("li", 20e-6, 15e9, lambda s: 0.9 * s)], c_f / n, p0)
    p_el = elastic.step(1.0, 0.0).pressure
    rows = [Row("system.frame_column", f"pressure at SOC {s:.3g} [Pa]", b, a, 1e-9,
                "n-unit column") for s, a, b in zip(socs[::4], p1[::4], pn[::4], strict=True)]
    # creep matters here: the crept pressure at SOC 1 is well below the elastic one
    rows.append(Row("system.frame_column", "crept / elastic pressure at SOC 1 (< 0.9: creep "
                    "is exercised)", 0.0, max(p1[-1] / p_el - 0.9, 0.0), 0.0,
                    "must be below 0.9"))
    return rows


BENCHMARKS = ["system.enclosure_shell", "system.gas_spring", "system.foam_pad",
              "system.frame_column"]
