"""Electrochemistry benchmarks: the PyBaMM adapter against plain PyBaMM and hand calculations.

References (docs/validation.md, docs/theory/electrochem.md):

* perfect contact (f_c = 1, phi_iso = 0, f_Li = 1, R_A = 0) reproduces a plain
  ``pybamm.Simulation`` of the same parameter set (capacity, voltage);
* Li metal plated / stripped per charge: h = q M_Li / (F rho_Li) = 4.850 um per
  mAh/cm^2;
* conservation: Li in NMC + electrolyte + anode constant; the interfacial currents
  integrate to the applied current; the single-ion electrolyte keeps c uniform;
* contact 1 -> 0.5 at small current (C/20, t = 1 s):
  Li interface, symmetric Butler-Volmer i = 2 f j0 sinh(F eta / 2RT) plus the Holm
  constriction drop: dV = -[2RT/F (asinh(i / j0) - asinh(i / 2 j0)) + i R_A(0.5)];
  composite cathode, linear kinetics k = a f j0 F / RT in a porous electrode
  (Newman & Tobias, J. Electrochem. Soc. 109, 1183 (1962)):
  eta = i L / (kappa + sigma) [1 + (2 + (sigma/kappa + kappa/sigma) cosh nu) / (nu sinh nu)],
  nu = L sqrt(k (1/kappa + 1/sigma)).

The cells are built once per process (cached); each benchmark runs in about a
second.  The communicator is not used: the electrochemistry is serial per rank.
"""

from __future__ import annotations

import functools

import numpy as np

from interface.verify import Row, benchmark

SRC_PLAIN = "plain pybamm.Simulation of the same parameter set"
SRC_LI = "h = q M_Li / (F rho_Li) (docs/theory/stack.md)"
SRC_BV = "symmetric Butler-Volmer + Holm constriction (docs/theory/electrochem.md)"
SRC_NT = "Newman & Tobias, J. Electrochem. Soc. 109, 1183 (1962)"
C_RATE_SMALL = 0.05


@functools.cache
def _cell(variant: str = "li_metal"):
    """A tightly solved cell whose cathode contact is f_c = 0.5 at P = 0 and 1 at P = 1 Pa."""
    from interface.electrochem.cell import SSBCell, contact_model_for
    from interface.electrochem.parameters import CellDesign
    from interface.mechanics.contact_laws import ConstantLithiumLaw, TabulatedCathodeMap

    design = CellDesign(variant=variant)
    cmap = TabulatedCathodeMap(np.array([0.0, 1.0]), np.array([0.0, 1.0]),
                               np.array([[0.5, 0.5], [1.0, 1.0]]), np.zeros((2, 2)),
                               source="verification: f_c = 0.5 at 0 Pa, 1 at 1 Pa")
    contact = contact_model_for(design, cmap, ConstantLithiumLaw(1.0), spot_radius=10e-6)
    return SSBCell(design, contact, rtol=1e-9, atol=1e-11, fast_outputs=False)


def _state(cell, fc: float, fli: float):
    """ContactState with f_c = fc (through the pressure) and f_Li = fli (with its R_A)."""
    from interface.electrochem.cell import ContactState

    r = float(cell.contact.li_resistance(fli)) if fli < 1.0 else 0.0
    return ContactState(pressure=1.0 if fc == 1.0 else 0.0, li_contact=fli, li_resistance=r,
                        connected=1.0)


def _discharge(cell, c_rate: float, fc: float = 1.0, fli: float = 1.0, t_end=None,
               t_interp=None):
    current = cell.current(c_rate)
    inputs = cell.inputs(_state(cell, fc, fli), current, cell.x_charged)
    t_end = t_end or cell.max_duration(current, cell.x_charged)
    return cell.solve(inputs, t_end, t_interp=t_interp, fast=False), current, t_end


@benchmark("electrochem.perfect_contact", "f = 1, R = 0 reproduces plain PyBaMM", SRC_PLAIN)
def perfect_contact(comm) -> list[Row]:
    """Capacity and voltage of the coupled model with perfect contact vs plain PyBaMM."""
    from interface.electrochem.reference import plain_simulation

    rows = []
    for variant in ("li_metal", "graphite"):
        cell = _cell(variant)
        ours, current, t_end = _discharge(cell, 0.5)
        ref = plain_simulation(cell.design, current, t_end)
        q1 = float(ours["Discharge capacity [A.h]"].entries[-1])
        q2 = float(ref["Discharge capacity [A.h]"].entries[-1])
        t = np.linspace(0.0, 0.995 * min(ours.t[-1], ref.t[-1]), 200)
        v1, v2 = ours["Voltage [V]"](t), ref["Voltage [V]"](t)
        name = "electrochem.perfect_contact"
        rows.append(Row(name, f"{variant}: capacity at C/2 [A.h]", q2, q1, 1e-6, SRC_PLAIN))
        worst = int(np.argmax(np.abs(v1 - v2) / v2))
        rows.append(Row(name, f"{variant}: voltage, worst point [V]", float(v2[worst]),
                        float(v1[worst]), 1e-6, SRC_PLAIN))
    return rows


def _charge(t, i) -> float:
    """Charge passed, C: trapezoidal integral of the current (exact for constant current)."""
    t, i = np.asarray(t, float), np.asarray(i, float)
    return float(np.sum(np.diff(t) * 0.5 * (i[1:] + i[:-1])))


@benchmark("electrochem.li_plating", "Li thickness per charge: 4.850 um per mAh/cm^2", SRC_LI)
def li_plating(comm) -> list[Row]:
    """Stripped (Li metal) and plated (anode-free) thickness per areal charge."""
    from interface.electrochem.cell import ContactState
    from interface.electrochem.parameters import li_thickness_per_charge

    rows = [Row("electrochem.li_plating", "formula [um per mAh/cm^2]", 4.850,
                li_thickness_per_charge() * 3.6e4 * 1e6, 1e-3, SRC_LI)]
    cell = _cell("li_metal")
    sol, _, _ = _discharge(cell, 0.5)
    h = sol["Lithium anode thickness [m]"].entries
    t, i = sol["Time [s]"].entries, sol["Current [A]"].entries
    q = _charge(t, i) / cell.design.area  # C/m^2
    rows.append(Row("electrochem.li_plating", "Li metal stripped [um per mAh/cm^2]", 4.850,
                    float(h[0] - h[-1]) / q * 3.6e4 * 1e6, 1e-3, SRC_LI))
    af = _cell("anode_free")
    current = af.current(0.5)
    inputs = af.inputs(ContactState(1.0, 1.0, 0.0, 1.0), -current, af.x_discharged, 0.0)
    sol = af.step(None, inputs, af.max_duration(-current, af.x_discharged))
    h = sol["Lithium anode thickness [m]"].entries
    t, i = sol["Time [s]"].entries, sol["Current [A]"].entries
    q = -_charge(t, i) / af.design.area
    rows.append(Row("electrochem.li_plating", "anode-free plated [um per mAh/cm^2]", 4.850,
                    float(h[-1] - h[0]) / q * 3.6e4 * 1e6, 1e-3, SRC_LI))
    return rows


@benchmark("electrochem.conservation", "Li and charge conservation, single-ion electrolyte",
           "conservation laws")
def conservation(comm) -> list[Row]:
    """Li inventory drift, interfacial current balances, uniform electrolyte at 1C."""
    from interface.electrochem.parameters import FARADAY

    cell = _cell("li_metal")
    sol, current, _ = _discharge(cell, 1.0)
    q = sol["Discharge capacity [A.h]"].entries * 3600.0
    n_p = sol["Total lithium in positive electrode [mol]"].entries
    n_e = sol["Total lithium in electrolyte [mol]"].entries
    n_li = sol["Anode lithium inventory [A.h]"].entries * 3600.0 / FARADAY
    total = n_p + n_e + n_li
    through = q[-1] / FARADAY
    area = cell.design.area
    aj = sol["Positive electrode volumetric interfacial current density [A.m-3]"].entries
    dx = cell.mesh["positive electrode"].d_edges
    i_cat = -(dx[:, None] * aj).sum(axis=0) * area
    j_li = sol["Lithium metal total interfacial current density [A.m-2]"].entries * area
    c_e = sol["Electrolyte concentration [mol.m-3]"].entries
    c0 = cell.design.electrolyte_concentration
    src = "conservation laws"
    return [
        Row("electrochem.conservation", "Li drift / throughput", 0.0,
            float(np.max(np.abs(total - total[0])) / through), 1e-8, src),
        Row("electrochem.conservation", "Li into NMC - charge / F [mol]", 0.0,
            float(np.max(np.abs((n_p - n_p[0]) - q / FARADAY)) / through), 1e-8, src),
        Row("electrochem.conservation", "Li-metal interface current [A]", current,
            float(j_li[np.argmax(np.abs(j_li - current))]), 1e-8, src),
        Row("electrochem.conservation", "cathode: integral of a j [A]", current,
            float(i_cat[np.argmax(np.abs(i_cat - current))]), 1e-6, src),
        Row("electrochem.conservation", "electrolyte: max |c - c0| / c0", 0.0,
            float(np.max(np.abs(c_e - c0)) / c0), 1e-8, "t+ = 1: no concentration gradient"),
    ]


def _v_start(cell, fc: float, fli: float) -> float:
    sol, _, _ = _discharge(cell, C_RATE_SMALL, fc, fli, t_end=1.0,
                           t_interp=np.array([0.0, 1.0]))
    return float(sol["Voltage [V]"].entries[-1])


@benchmark("electrochem.contact_overpotential",
           "contact 1 -> 0.5 at C/20: voltage change vs Butler-Volmer / Newman-Tobias",
           f"{SRC_BV}; {SRC_NT}")
def contact_overpotential(comm) -> list[Row]:
    """Halving the Li or the cathode contact against hand calculations."""
    from interface.electrochem.parameters import FARADAY, GAS_CONSTANT

    cell = _cell("li_metal")
    d = cell.design
    rt_f = GAS_CONSTANT * d.temperature / FARADAY
    i = cell.current(C_RATE_SMALL) / d.area
    v11, v1h, vh1 = _v_start(cell, 1.0, 1.0), _v_start(cell, 1.0, 0.5), _v_start(cell, 0.5, 1.0)
    # Li interface: exact symmetric Butler-Volmer plus the constriction drop.
    j0 = d.lithium_exchange_current
    r_a = float(cell.contact.li_resistance(0.5))
    dv_li = -(2 * rt_f * (np.arcsinh(i / (2 * 0.5 * j0)) - np.arcsinh(i / (2 * j0))) + i * r_a)
    # Cathode: Newman-Tobias with linear kinetics at the uniform charged stoichiometry.
    c = cell.x_charged * d.max_concentration
    j0c = 3.42e-6 * np.sqrt(d.electrolyte_concentration * c * (d.max_concentration - c))
    a = 3 * d.cathode_active_fraction / d.particle_radius
    kappa = d.electrolyte_conductivity * d.cathode_electrolyte_fraction ** d.cathode_bruggeman
    sigma = d.cathode_conductivity
    k1 = a * j0c / rt_f

    def eta(k):
        nu = d.cathode_thickness * np.sqrt(k * (1 / kappa + 1 / sigma))
        return i * d.cathode_thickness / (kappa + sigma) * (
            1 + (2 + (sigma / kappa + kappa / sigma) * np.cosh(nu)) / (nu * np.sinh(nu)))

    dv_c = -(eta(0.5 * k1) - eta(k1))
    name = "electrochem.contact_overpotential"
    return [
        Row(name, "Li f 1 -> 0.5: dV [V]", float(dv_li), v1h - v11, 1e-6, SRC_BV),
        Row(name, "cathode f 1 -> 0.5: dV [V]", float(dv_c), vh1 - v11, 3e-2, SRC_NT),
    ]
