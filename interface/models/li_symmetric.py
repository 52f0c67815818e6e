"""The Li | electrolyte | Li symmetric cell: contact, ASR, critical stripping current, shorts.

For every stack pressure of ``[cell] stack_pressures`` a fresh cell is pressed and held
(``hold_time``), then characterised with the fast laws of
:mod:`interface.electrochem.li_interface`: the Li contact fraction, the interfacial ASR,
the critical stripping current (voids) and the time for Li filaments to cross the
separator when cycled at ``current_density`` (shorts).  ``tables/pressure_path`` follows
``pressure_path`` on one cell (the contact made at high pressure is partly kept on
unloading), and the summary gives the pressure window (:func:`interface.system.
pressure_window`) for the cycling current and ``service_life``.
"""

from __future__ import annotations

import time
from pathlib import Path

from interface.errors import InputError
from interface.progress import Progress
from interface.results.result import Result, Table


def cell_of(case):
    """The LiMetalCell of a case (SI, values at 25 C)."""
    from interface.electrochem.li_interface import LiMetalCell, PoreNetwork
    from interface.materials import get_material
    from interface.mechanics.viscoplastic import LithiumMaterial

    c = case.cell
    get_material(c.electrolyte, case.materials, key="cell.electrolyte")
    li = get_material(c.li_material, case.materials, key="cell.li_material")
    try:
        law = LithiumMaterial.from_material(li, activation_energy=c.li_creep_activation_energy)
    except InputError as exc:
        raise InputError(exc.message, key="cell.li_material") from None
    phi = c.separator_porosity
    radius = c.pore_radius
    if radius is None:
        radius = phi * c.grain_size / (3.0 * (1.0 - phi)) if phi > 0 else c.grain_size
    network = PoreNetwork(thickness=c.separator_thickness, porosity=phi, pore_radius=radius)
    return LiMetalCell(
        li_law=law, asperity_size=c.grain_size, charge_transfer_asr=c.charge_transfer_asr,
        conductivity=c.electrolyte_conductivity, self_diffusivity=c.self_diffusivity,
        separator=network, conductivity_activation=c.conductivity_activation_energy,
        asr_activation=c.asr_activation_energy,
        diffusion_activation=c.diffusion_activation_energy, supply_factor=c.supply_factor)


def check(case) -> None:
    """Materials exist; a pore radius not larger than the separator."""
    cell = cell_of(case)
    if cell.separator.pore_radius >= case.cell.separator_thickness:
        raise InputError("the pore radius must be smaller than the separator thickness",
                         key="cell.pore_radius")
    for i, p in enumerate(case.cell.pressure_path):
        if p <= 0:
            raise InputError("a zero pressure leaves no contact (infinite ASR); the path "
                             "must stay above 0", key=f"cell.pressure_path[{i}]")


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Sweep the stack pressures (fast laws: every rank computes, no communication)."""
    from interface.electrochem.li_interface import time_to_short
    from interface.system.pressure_window import pressure_window

    del fields, comm
    t0 = time.perf_counter()
    c = case.cell
    cell = cell_of(case)
    li = cell.interface_at(c.temperature)
    progress = progress or Progress(0, "li_symmetric", quiet=True)
    progress.reset(len(c.stack_pressures) + 1)
    rows = []
    horizon = max(100.0 * c.service_life, 3.15e8)
    for p in c.stack_pressures:
        state = li.contact(p, c.hold_time)
        f = state.fraction
        asr = li.asr(f)
        short = time_to_short(li, cell.separator, p, c.current_density, asr, t_max=horizon)
        rows.append(dict(p=p, f=f, asr=asr, ic=li.critical_stripping_current(state),
                         ts=min(short.time, horizon), censored=int(short.time > horizon),
                         k=short.focusing, creep=short.creep_share,
                         mech=int(short.mechanical),
                         a=li.spot_radius(f)))
        progress.step(f"{p / 1e6:.4g} MPa: f = {f:.3f}, ASR = {asr * 1e4:.3g} ohm cm^2")
    sweep = Table(description="one fresh cell per stack pressure, held hold_time, then "
                              "characterised and cycled")
    sweep.add("stack_pressure_Pa", [r["p"] for r in rows], "Pa")
    sweep.add("li_contact_fraction", [r["f"] for r in rows], "1")
    sweep.add("interfacial_asr_ohm_m2", [r["asr"] for r in rows], "ohm*m^2")
    sweep.add("critical_stripping_current_A_per_m2", [r["ic"] for r in rows], "A/m^2")
    sweep.add("time_to_short_s", [r["ts"] for r in rows], "s")
    sweep.add("time_to_short_censored", [r["censored"] for r in rows], "1")
    sweep.add("spot_radius_m", [r["a"] for r in rows], "m")
    sweep.add("tip_current_focusing", [r["k"] for r in rows], "1")
    sweep.add("short_creep_share", [r["creep"] for r in rows], "1")
    sweep.add("mechanical_short", [r["mech"] for r in rows], "1")

    path = Table(description="one cell along pressure_path (each step held hold_time): the "
                             "contact made at high pressure is partly kept on unloading")
    state = None
    prows = []
    for i, p in enumerate(c.pressure_path):
        loading = state is None or p >= state.p_max
        state = li.load(state, p, c.hold_time)
        f = state.fraction
        prows.append((i, p, f, li.asr(f), int(loading)))
    path.add("step", [r[0] for r in prows], "1")
    path.add("stack_pressure_Pa", [r[1] for r in prows], "Pa")
    path.add("li_contact_fraction", [r[2] for r in prows], "1")
    path.add("interfacial_asr_ohm_m2", [r[3] for r in prows], "ohm*m^2")
    path.add("loading", [r[4] for r in prows], "1")

    window = pressure_window(cell, c.current_density, c.service_life, c.temperature,
                             hold_time=c.hold_time, half_cycle_time=c.half_cycle_time)
    progress.step("pressure window")
    lo, hi = window.bounds
    summary = {
        "pressure_window_Pa": [lo, hi],
        "pressure_window_min_Pa": lo,
        "pressure_window_max_Pa": hi,
        "pressure_window_open": bool(window.open),
        "pressure_window_min_driver": window.p_min.driver,
        "pressure_window_max_driver": window.p_max.driver,
        "pressure_window_min_status": window.p_min.status,
        "pressure_window_max_status": window.p_max.status,
        "current_density_A_per_m2": c.current_density,
        "service_life_s": c.service_life,
        "temperature_K": c.temperature,
        "li_hardness_at_asperities_Pa": li.hardness,
        "li_extrusion_pressure_Pa": li.extrusion_pressure(cell.separator.pore_radius),
        "interface_conductivity_S_per_m": li.conductivity,
        "charge_transfer_asr_ohm_m2": li.charge_transfer_asr,
        "pore_radius_m": cell.separator.pore_radius,
        "points_completed": len(rows),
        "points_total": len(c.stack_pressures),
    }
    info = {"time_total_s": time.perf_counter() - t0, "horizon_s": horizon}
    return Result(model="li_symmetric", summary=summary,
                  tables={"pressure_sweep": sweep, "pressure_path": path}, info=info)


def plot(result: Result, folder: Path) -> list[Path]:
    """Each quantity of the sweep vs stack pressure (window shaded), and the pressure path."""
    from interface.plotting.li_symmetric import plot_li_symmetric

    return plot_li_symmetric(result, folder)


def window_text(result: Result) -> str:
    """One line describing the window (for the CLI and docs)."""
    lo, hi = result.summary["pressure_window_Pa"]
    state = "open" if result.summary["pressure_window_open"] else "EMPTY"
    return (f"pressure window {lo / 1e6:.3g}-{hi / 1e6:.3g} MPa ({state}); "
            f"min: {result.summary['pressure_window_min_driver']}; "
            f"max: {result.summary['pressure_window_max_driver']}")

