"""The jig model: a sulfide pellet cell in a lab jig, its stack pressure over cycles.

``[cell] variant`` builds the layers of a pellet cell with lab defaults (composite
cathode | Li6PS5Cl pellet | counter electrode; docs/theory/stack.md, "Pellet cells in
lab jigs"), the laminate gives each layer's free swelling or growth with the state of
charge, and the column model (:mod:`interface.mechanics.column`) marches the cell in
time through its cycles: the pellet separator is a porous compact fabricated at
``fabrication_pressure`` (nonlinear on first loading, elastic on unloading), metal foils
(In, Li) creep and squeeze out, the jig's frame (and spring) closes the problem, and the
cell may lift off the stamps.  The load cell reads the stack pressure.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np

from interface.errors import InputError, SolverError
from interface.progress import Progress
from interface.results.result import Result, Table

#: Active materials of the variants (cathode, counter electrode).
_ELECTRODES = {
    "graphite_lpscl_nmc811": ("NMC811", "graphite"),
    "lto_lpscl_nmc811": ("NMC811", "LTO"),
    "in_lpscl_nmc811": ("NMC811", "In"),
    "in_lpscl_lco": ("LCO", "In"),
    "li_lpscl_nmc811": ("NMC811", "Li"),
}
#: Cathode stoichiometry window (discharged, charged): NMC811 0.95 -> 0.25 (~190 mAh/g);
#: LiCoO2 1.0 -> 0.5 (137 mAh/g, the classical 4.2 V window) [assumed, common practice].
_CATHODE_WINDOW = {"NMC811": (0.95, 0.25), "LCO": (1.0, 0.5)}
#: Stoichiometry of a composite anode at SOC 0 (graphite slightly lithiated, LTO empty).
_ANODE_START = {"graphite": 0.01, "LTO": 0.0}
ELECTROLYTE = "Li6PS5Cl"


def _volume_fraction(mass_fraction: float, rho_active: float, rho_electrolyte: float,
                     porosity: float) -> float:
    va = mass_fraction / rho_active
    ve = (1.0 - mass_fraction) / rho_electrolyte
    return va / (va + ve) * (1.0 - porosity)


def stack_table(case) -> dict:
    """The ``[stack]`` table (TOML-like dict) of the variant's pellet cell."""
    from interface.materials import get_material
    from interface.materials.library import FARADAY

    c = case.cell
    cat_name, counter = _ELECTRODES[c.variant]
    cat = get_material(cat_name, case.materials)
    ely = get_material(ELECTROLYTE, case.materials)
    x0, x1 = _CATHODE_WINDOW[cat_name]
    # cathode: active loading -> active volume -> composite thickness
    v_act = c.cathode_loading / cat.density
    phi_c = _volume_fraction(c.cathode_active_fraction, cat.density, ely.density,
                             c.composite_porosity)
    cap = v_act * cat.max_concentration * FARADAY * abs(x1 - x0)  # C/m^2
    layers = [{"name": "cathode", "kind": "composite_electrode", "role": "cathode",
               "thickness": f"{v_act / phi_c!r} m", "active_material": cat_name,
               "electrolyte": ELECTROLYTE, "active_volume_fraction": phi_c,
               "porosity": c.composite_porosity, "stoichiometry_soc0": x0,
               "stoichiometry_soc1": x1}]
    layers.append({"name": "separator", "kind": "solid", "material": ELECTROLYTE,
                   "thickness": f"{c.separator_thickness!r} m",
                   "fabrication_pressure": f"{c.fabrication_pressure!r} Pa"})
    if counter in _ANODE_START:
        an = get_material(counter, case.materials)
        v_an = cap * c.n_to_p / (an.max_concentration * FARADAY)
        phi_a = _volume_fraction(c.anode_active_fraction, an.density, ely.density,
                                 c.composite_porosity)
        s0 = _ANODE_START[counter]
        layers.append({"name": "anode", "kind": "composite_electrode", "role": "anode",
                       "thickness": f"{v_an / phi_a!r} m", "active_material": counter,
                       "electrolyte": ELECTROLYTE, "active_volume_fraction": phi_a,
                       "porosity": c.composite_porosity, "stoichiometry_soc0": s0,
                       "stoichiometry_soc1": s0 + 1.0 / c.n_to_p})
    elif counter == "In":
        layers.append({"name": "anode", "kind": "alloy_anode", "material": "In",
                       "thickness": f"{c.indium_thickness!r} m"})
    else:
        layers.append({"name": "anode", "kind": "lithium_metal",
                       "thickness": f"{c.lithium_thickness!r} m"})
    area = math.pi * c.pellet_diameter ** 2 / 4.0
    return {"layers": layers, "area": f"{area!r} m^2"}


def laminate_of(case):
    """The laminate (effective properties, eigenstrain vs SOC) of the variant's cell."""
    from interface.case.stack import StackSpec
    from interface.mechanics.laminate import build_laminate
    from interface.schema import build

    try:
        spec = build(StackSpec, stack_table(case), "stack")
        return spec, build_laminate(spec, case.materials, 0.0, soc_values=(0.0, 1.0))
    except InputError as exc:
        raise InputError(f"variant '{case.cell.variant}': {exc.message}",
                         key="cell.variant") from None


def column_of(case):
    """The Column (layers, fixture compliance, preload) of a jig case."""
    from interface.mechanics.column import Column, column_layers

    c, jig = case.cell, case.jig
    spec, lam = laminate_of(case)
    radius = c.pellet_diameter / 2.0
    layers = column_layers(spec.layers, lam, case.materials, c.temperature, radius,
                           jig.metal_interface)
    area = math.pi * radius ** 2
    compliance = area / jig.frame_stiffness
    if jig.type == "spring":
        compliance += area / jig.spring_rate
    return Column(layers, compliance, c.stack_pressure), lam, area


def check(case) -> None:
    """The variant's layers build; every metal has a creep law and a yield stress."""
    from interface.materials import get_material

    spec, _ = laminate_of(case)
    for base in spec.layers:
        if base.kind in ("lithium_metal", "alloy_anode"):
            mat = get_material(base.material, case.materials)
            if mat.creep is None or mat.yield_stress is None:
                raise InputError(f"material '{base.material}' needs a creep law and a yield "
                                 "stress for the jig model", key="cell.variant")


def schedule(case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(time s, SOC, cycle index) of every step end: charge, rest, discharge, rest per cycle."""
    c = case.cell
    n = max(4, c.points_per_half_cycle // (4 if case.smoke else 1))
    half = 3600.0 / c.c_rate
    times, socs, cyc = [], [], []
    t = 0.0
    for k in range(c.cycles):
        for s0, s1 in ((0.0, 1.0), (1.0, 0.0)):
            for j in range(1, n + 1):
                times.append(t + half * j / n)
                socs.append(s0 + (s1 - s0) * j / n)
                cyc.append(k)
            t += half
            if c.rest_time > 0:
                m = max(2, n // 4)
                for j in range(1, m + 1):
                    times.append(t + c.rest_time * j / m)
                    socs.append(s1)
                    cyc.append(k)
                t += c.rest_time
    return np.array(times), np.array(socs), np.array(cyc)


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """March the pellet cell through its cycles (1D column; cheap, every rank computes)."""
    del fields, comm
    t0 = time.perf_counter()
    column, lam, area = column_of(case)
    times, socs, cycles = schedule(case)
    progress = progress or Progress(0, "jig", quiet=True)
    progress.reset(len(times))
    states = []
    status, message = "ok", ""
    t_prev = 0.0
    for t, soc in zip(times, socs, strict=True):
        try:
            states.append(column.step(float(soc), float(t - t_prev)))
        except SolverError as exc:
            status, message = "failed", str(exc)
            break
        t_prev = t
        progress.step(f"t = {t / 3600:.2f} h, SOC {soc:.2f}: P = "
                      f"{states[-1].pressure / 1e6:.4g} MPa")
    n = len(states)
    names = [la.name for la in column.layers]
    hist = Table(description="the cell along its cycles (charge, rest, discharge, rest)")
    hist.add("time_s", times[:n], "s")
    hist.add("soc", socs[:n], "1")
    hist.add("cycle", cycles[:n] + 1, "1")
    hist.add("stack_pressure_Pa", [s.pressure for s in states], "Pa")
    hist.add("thickness_change_m", [s.thickness_change for s in states], "m")
    hist.add("gap_m", [s.gap for s in states], "m")
    hist.add("lift_off", [int(s.lift_off) for s in states], "1")
    hist.add("layer_inelastic_strain", np.array([s.layer_inelastic for s in states])
             .reshape(n, len(names)), "1", labels=names)
    layers = Table(description="layers of the pellet cell (bottom to top)")
    layers.add("name", np.array(names, dtype=object), "1")
    layers.add("behaviour", np.array([la.kind for la in column.layers], dtype=object), "1")
    layers.add("thickness_m", [la.thickness for la in column.layers], "m")
    layers.add("constrained_modulus_Pa",
               [la.compaction.constrained_modulus(st.density) if la.compaction else la.modulus
                for la, st in zip(column.layers, column.states, strict=True)], "Pa")
    layers.add("areal_capacity_C_per_m2", [la.areal_capacity for la in lam.layers], "C/m^2")
    summary = {"variant": case.cell.variant, "jig_type": case.jig.type,
               "stack_pressure_initial_Pa": case.cell.stack_pressure,
               "fixture_compliance_m_per_Pa": column.compliance,
               "points_completed": n, "points_total": len(times)}
    if n:
        p = hist["stack_pressure_Pa"]
        last = hist["cycle"] == hist["cycle"][-1]
        summary.update({
            "stack_pressure_swing_Pa": float(p[last].max() - p[last].min()),
            "stack_pressure_max_Pa": float(p.max()),
            "stack_pressure_min_Pa": float(p.min()),
            "stack_pressure_end_Pa": float(p[-1]),
            "lift_off": bool(np.any(hist["lift_off"])),
            "gap_max_m": float(hist["gap_m"].max()),
            "thickness_change_max_m": float(hist["thickness_change_m"].max()),
            "thickness_change_min_m": float(hist["thickness_change_m"].min()),
            "areal_capacity_C_per_m2": float(max(la.areal_capacity for la in lam.layers)),
        })
    info = {"time_total_s": time.perf_counter() - t0, "area_m2": area}
    return Result(model="jig", summary=summary, tables={"history": hist, "layers": layers},
                  status=status, message=message, info=info)


def plot(result: Result, folder: Path) -> list[Path]:
    """Stack pressure and thickness change vs time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    h = result.tables["history"]
    if len(h) == 0:
        return []
    fig, axes = plt.subplots(2, 1, figsize=(8, 6), sharex=True, constrained_layout=True)
    t = h["time_s"] / 3600.0
    axes[0].plot(t, h["stack_pressure_Pa"] / 1e6)
    axes[0].set_ylabel("stack pressure [MPa]")
    axes[1].plot(t, h["thickness_change_m"] * 1e6)
    axes[1].set_ylabel("cell thickness change [um]")
    axes[1].set_xlabel("time [h]")
    lift = h["lift_off"] > 0
    if lift.any():
        axes[0].plot(t[lift], np.zeros(lift.sum()), "r.", label="lift-off")
        axes[0].legend()
    s = result.summary
    fig.suptitle(f"{s['variant']} in a {s['jig_type'].replace('_', ' ')} jig: swing "
                 f"{s.get('stack_pressure_swing_Pa', 0) / 1e6:.3g} MPa")
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "jig_pressure.png"
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return [out]
