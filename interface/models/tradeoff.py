"""The pressure / energy-density trade-off: how much stack pressure is worth its cost.

For each preload P of a log-spaced grid:

1. **fixture** (interface/system): the module's hardware (end plates, tie rods or
   straps, springs, pads) is sized for the largest stack pressure of the cycle,
   P_max.  P_max follows from the stack model: the module's stack (cells x repeat
   units of [stack]) breathes with the SOC (cathode shrinkage, Li plating) against
   the fixture's own compliance C_f (pads + plate bowing + rod stretch + springs,
   :func:`interface.system.fixture.areal_compliance`), so P_max = P + dP(C_f) with the
   laminate closed form (equal to the 1D FE stack model to round-off, see
   docs/validation.md); C_f depends on the hardware sized for P_max, so this is a
   fixed point, iterated to 1e-6.  Springs are sized for the breathing the stack
   model predicts.  A fixture without enough compliance cannot hold a breathing
   Li-metal stack (the pressure rise grows faster than the hardware): such points
   are reported infeasible, with the reason.
2. **energy** (interface/electrochem, built once per rank): the energy delivered at
   the C-rate, one-way at the constant preload or two-way with the pressure
   following the SOC through the FE stack model of the module in its sized fixture
   (StackPressureLaw), times the repeat units of a cell.
3. **energy density** (interface/system/energy.py): cell, module and pack Wh/kg and
   Wh/L; the optimum preload for each (interior maximum refined on a cubic spline).
4. **retained capacity** after N cycles at the preload (contact loss ratchet of
   the electrochemistry), for the Pareto view.
5. **sensitivity** of the optimum to cell area, cells per module, C-rate and an
   interface improvement s (the contact reached at P equals the baseline's at s P:
   a compliant interlayer or better wetting), and the improvement a "pressure-free"
   design (P <= 1 MPa) needs to match the baseline's optimal pack Wh/kg.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from interface.errors import InputError, SolverError
from interface.progress import Progress
from interface.results.result import Result, Table

J_PER_WH = 3600.0


# ------------------------------------------------------------------------- setup
@dataclass
class Plan:
    """Everything the run needs that does not need PyBaMM (SI units)."""

    pressures: np.ndarray
    cycles: int
    c_rates: tuple[float, ...]
    improvements: tuple[float, ...]
    area_factors: tuple[float, ...]
    cells_per_module: tuple[int, ...]
    bisection_steps: int
    notes: list = field(default_factory=list)


def plan(case) -> Plan:
    """The grid and the studies of a case (smoke: a reduced set)."""
    t = case.tradeoff
    n = min(t.pressure_points, t.smoke_pressure_points) if case.smoke else t.pressure_points
    pressures = np.geomspace(t.pressure_min, t.pressure_max, n)
    if case.smoke:
        return Plan(pressures, min(t.cycles, t.smoke_cycles), tuple(t.c_rates[:1]),
                    tuple(t.interface_improvements[:2]), tuple(t.area_factors[:1]),
                    tuple(int(c) for c in t.cells_per_module[:1]), 5)
    return Plan(pressures, t.cycles, tuple(t.c_rates), tuple(t.interface_improvements),
                tuple(t.area_factors), tuple(int(c) for c in t.cells_per_module), 10)


def cell_design(case, area_factor: float = 1.0):
    """The pouch cell of the energy bookkeeping, from the [stack] repeat unit."""
    from interface.mechanics.laminate import build_laminate
    from interface.system.energy import CellDesign, CellLayer, Packaging

    c = case.system.cell
    lam = build_laminate(dataclasses.replace(case.stack, repeat_units=1), case.materials,
                         case.soc.reference)
    layers = tuple(CellLayer(la.base_name, la.thickness, la.thickness * la.density,
                             c.repeat_units, la.oedometric_modulus) for la in lam.layers)
    s = math.sqrt(area_factor)
    return CellDesign(face_length=c.face_length * s, face_width=c.face_width * s,
                      layers=layers,
                      packaging=Packaging(pouch_areal_mass=c.pouch_areal_mass,
                                          pouch_thickness=c.pouch_thickness,
                                          seal_width=c.seal_width, tab_mass=c.tab_mass,
                                          tab_length=c.tab_length), name=case.name)


def unit_laminate(case):
    """One repeat unit of [stack] as a Laminate (the module stacks identical units)."""
    from interface.models.stack import laminate_of

    return laminate_of(dataclasses.replace(case, stack=dataclasses.replace(case.stack,
                                                                            repeat_units=1)))


def soc_grid(case) -> np.ndarray:
    """SOCs at which the cycle's pressure extremes are taken."""
    socs, _ = case.soc.points()
    return np.unique(np.concatenate([socs, np.linspace(0.0, 1.0, 41)]))


@dataclass
class FixturePoint:
    """The module fixture at one preload (SI units)."""

    preload: float
    feasible: bool
    reason: str = ""
    fixture: object = None
    compliance: float = math.nan          # m/Pa per face area
    compliance_parts: dict = field(default_factory=dict)
    pressure_max: float = math.nan
    pressure_min: float = math.nan
    iterations: int = 0


def fixture_options(case, cells: int):
    """FixtureOptions of [system.fixture], with the case's own materials resolved."""
    opts = dataclasses.replace(case.system.fixture.to_options(), cells_per_module=cells)
    repl = {}
    for name in ("material", "rod_material", "pad_material"):
        value = getattr(opts, name)
        if isinstance(value, str) and value in case.materials:
            repl[name] = dataclasses.replace(case.materials[value], name=value)
    return dataclasses.replace(opts, **repl)


def unit_breathing(case) -> tuple[np.ndarray, float]:
    """(free thickness change of one repeat unit at the SOCs of soc_grid, its compliance)."""
    lam = unit_laminate(case)
    return (np.array([lam.free_thickness_change(s) for s in soc_grid(case)]),
            lam.compliance())


def size_module_fixture(case, cell, preload: float, cells: int, unit=None,
                        travel_per_cell: float | None = None) -> FixturePoint:
    """Fixture sized for the cycle's largest pressure (fixed point, module docstring).

    ``unit``: :func:`unit_breathing` of the case (computed if None); the module's stack
    is cells x repeat units of identical units, so its free swelling and compliance
    are those of one unit times their number.
    """
    from interface.system.energy import fixture_for
    from interface.system.fixture import areal_compliance

    opts = fixture_options(case, cells)
    if travel_per_cell is not None and opts.pressing != "none":
        opts = dataclasses.replace(opts, spring_travel_per_cell=max(travel_per_cell, 1e-9))
    dh_unit, c_unit = unit if unit is not None else unit_breathing(case)
    n = cells * case.system.cell.repeat_units
    c_stack = n * c_unit
    dh = n * dh_unit
    p_design = preload
    for it in range(1, 61):
        fix = fixture_for(cell, p_design, opts)
        parts = areal_compliance(fix)
        cf = parts["total"]
        dp = dh / (c_stack + cf)
        p_max = preload + float(dp.max())
        p_min = preload + float(dp.min())
        if p_max > 1e3 * preload or p_max > 5e9:
            return FixturePoint(preload, False,
                                f"the fixture cannot hold the stack's breathing: the pressure "
                                f"rises faster than the hardware sized for it (stack swing "
                                f"{(dh.max() - dh.min()) * 1e6:.3g} um; add springs or pads)",
                                iterations=it)
        if abs(p_max - p_design) <= 1e-5 * p_design:
            return FixturePoint(preload, True, "", fix, cf, parts, p_max, p_min, it)
        p_design = max(p_max, preload)
    return FixturePoint(preload, False, "the fixture sizing did not converge (60 iterations)",
                        iterations=60)


def check(case) -> None:
    """Validate: electrochemistry settings, map coverage, the fixture at the grid's ends."""
    from interface.models import electrochem as ec_model

    s = ec_model.settings(case, two_way=False)
    cm = ec_model.contact_model(s)
    p = plan(case)
    t = case.tradeoff
    top = max(p.pressures.max(), t.pressure_free_target) * max(p.improvements, default=1.0)
    for value, key in ((p.pressures.min(), "tradeoff.pressure_min"),
                       (p.pressures.max(), "tradeoff.pressure_max"),
                       (t.pressure_free_target, "tradeoff.pressure_free_target"),
                       (t.reference_pressure or t.pressure_max, "tradeoff.reference_pressure"),
                       (top, "tradeoff.interface_improvements")):
        cm.check_pressure(float(value), key, s.design.half_cell)
    cell = cell_design(case)
    from interface.system.energy import fixture_for

    try:
        opts = fixture_options(case, case.system.fixture.cells_per_module)
        opts.validate()
        fixture_for(cell, float(p.pressures.min()), opts)
    except InputError as exc:
        key = f"system.fixture.{exc.key}" if exc.key else "system.fixture"
        raise InputError(exc.message, key=key) from None


# --------------------------------------------------------------------------- run
def breathing_table(case, s) -> tuple[np.ndarray, np.ndarray]:
    """(x grid, h grid): free thickness change of one repeat unit vs mean NMC stoichiometry.

    From the laminate closed form of [stack] (equal to the 1D FE stack model), with the
    stack's SOC of x through the cathode layer's window (as StackPressureLaw).
    """
    lam = unit_laminate(case)
    x0, x1 = s.stoichiometry_soc
    cathode = [la for la in case.stack.layers if getattr(la, "role", "") == "cathode"][0]
    from interface.materials import get_material

    curve = get_material(cathode.active_material, case.materials).volumetric_strain
    lo = max(curve.x_range[0], min(x0, x1) - 0.05)
    hi = min(curve.x_range[1], max(x0, x1) + 0.05, 1.0)
    xg = np.linspace(lo, hi, 121)
    hg = np.array([lam.free_thickness_change((x - x0) / (x1 - x0)) for x in xg])
    return xg, hg


def pressure_gain(case, fp: FixturePoint, cells: int) -> float:
    """K = n / (n C_unit + C_f), Pa per m of one repeat unit's free swelling."""
    if case.tradeoff.coupling == "one_way" or not fp.feasible:
        return 0.0
    n = cells * case.system.cell.repeat_units
    c_unit = unit_breathing(case)[1]
    return n / (n * c_unit + fp.compliance)


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Run the trade-off (module docstring).  Discharges are distributed over the ranks."""
    del fields
    from interface.electrochem.protocols import breathing_discharges, cycle
    from interface.models import electrochem as ec_model
    from interface.system.energy import Packing

    t_start = time.perf_counter()
    t = case.tradeoff
    p = plan(case)
    P = p.pressures
    cells = case.system.fixture.cells_per_module
    cell = cell_design(case)
    packing = Packing(case.system.pack.mass_fraction, case.system.pack.volume_fraction)
    unit = unit_breathing(case)
    dh_cell = unit[0] * case.system.cell.repeat_units
    travel = (float(dh_cell.max() - dh_cell.min()) if t.spring_travel == "stack_model"
              else None)

    timings = {"mechanics_s": 0.0, "electrochemistry_s": 0.0, "system_s": 0.0}
    t0 = time.perf_counter()
    fixtures = {float(pp): size_module_fixture(case, cell, float(pp), cells, unit, travel)
                for pp in P}
    timings["mechanics_s"] += time.perf_counter() - t0

    s = ec_model.settings(case, two_way=False)
    # discharges: (group C-rate, preload index, improvement s); cycling at the preload
    groups = [(t.c_rate, i, 1.0) for i in range(len(P))]
    groups += [(t.c_rate, i, imp) for imp in p.improvements for i in range(len(P))]
    groups += [(c, i, 1.0) for c in p.c_rates for i in range(len(P))]
    cm = ec_model.contact_model(s)
    hi_map = cm.cathode.pressure_range[1]
    if s.design.half_cell:
        hi_map = min(hi_map, cm.lithium.pressure_range[1])

    def covered(g) -> bool:  # the contact laws must cover the contact pressure s P_max
        fp = fixtures[float(P[g[1]])]
        return fp.feasible and g[2] * fp.pressure_max <= hi_map

    uncovered = [g for g in groups if fixtures[float(P[g[1]])].feasible and not covered(g)]
    groups = [g for g in groups if covered(g)]
    cyc = [i for i in range(len(P)) if p.cycles > 0 and fixtures[float(P[i])].feasible]
    mine = [g for k, g in enumerate(groups) if k % comm.size == comm.rank]
    mine_cyc = [i for k, i in enumerate(cyc) if (k + len(groups)) % comm.size == comm.rank]
    progress = progress or Progress(0, "tradeoff", comm, quiet=True)
    rates = sorted({g[0] for g in mine})
    progress.reset(len(rates) + len(mine_cyc) + 1)
    local: dict = {}
    cellmodel = None
    failures: list[str] = []
    if mine or mine_cyc or comm.rank == 0:
        t0 = time.perf_counter()
        cellmodel = ec_model.build_cell(s, case, pressures=tuple(P),
                                        stack_breathing=breathing_table(case, s))
        progress.step("PyBaMM model built")
        for rate in rates:
            batch = [g for g in mine if g[0] == rate]
            pts = [(float(P[i]), pressure_gain(case, fixtures[float(P[i])], cells), imp)
                   for _, i, imp in batch]
            try:
                recs = breathing_discharges(cellmodel, pts, rate)
            except SolverError:
                recs = []  # one point failed: solve them one by one, keep the others
                for pt in pts:
                    try:
                        recs.append(breathing_discharges(cellmodel, [pt], rate)[0])
                    except SolverError as exc:
                        failures.append(f"discharge at C-rate {rate:g}, P = {pt[0]:.4g} "
                                        f"Pa, s = {pt[2]:g}: {exc}")
                        recs.append(None)
            for g, rec in zip(batch, recs, strict=True):
                if rec is None:
                    continue
                local[g] = {"energy": rec.energy / s.design.area,
                            "cathode_contact": float(rec.curve.cathode_contact[0]),
                            "li_contact": float(rec.li_contact),
                            "p_discharge_max": float(np.max(rec.curve.pressure)),
                            "p_discharge_min": float(np.min(rec.curve.pressure))}
            progress.step(f"{len(batch)} discharges at {rate:g} C")
        for i in mine_cyc:
            try:
                rec, _ = cycle(cellmodel, p.cycles, float(P[i]), c_rate_charge=t.c_rate,
                               c_rate_discharge=t.c_rate)
                local[("cycles", i)] = {"retention": float(rec.retention[-1])}
            except SolverError as exc:
                failures.append(f"cycling at P = {P[i]:.4g} Pa: {exc}")
            progress.step(f"{p.cycles} cycles at {P[i] / 1e6:.3g} MPa")
        timings["electrochemistry_s"] += time.perf_counter() - t0
    results: dict = {}
    for part in comm.allgather(local):
        results.update(part)
    failures = [f for part in comm.allgather(failures) for f in part]

    # ------------------------------------------------------------- energy densities
    t0 = time.perf_counter()
    area_cell = cell.face_area_m2 * case.system.cell.repeat_units

    def series(rate: float, imp: float) -> np.ndarray:
        return np.array([results.get((rate, i, imp), {}).get("energy", np.nan)
                         for i in range(len(P))])

    base_e = series(t.c_rate, 1.0)
    base = _densities(case, P, base_e, cell, cells, fixtures, packing)
    table = _tradeoff_table(P, fixtures, base_e, base,
                            [results.get((t.c_rate, i, 1.0), {}) for i in range(len(P))],
                            area_cell)
    if p.cycles > 0:
        table.add("capacity_retention", [results.get(("cycles", i), {}).get("retention",
                                                                             np.nan)
                                         for i in range(len(P))], "1")
    opt_kg, opt_l = _optima(P, base)
    rows: list[tuple] = [("baseline", 1.0, opt_kg)]
    for f in p.area_factors:
        c2 = cell_design(case, f)
        fx = {float(pp): size_module_fixture(case, c2, float(pp), cells, unit, travel)
              for pp in P}
        rows.append(("area_factor", f, _optima(P, _densities(case, P, base_e, c2, cells, fx,
                                                             packing))[0]))
    for n in p.cells_per_module:
        fx = {float(pp): size_module_fixture(case, cell, float(pp), n, unit, travel)
              for pp in P}
        rows.append(("cells_per_module", float(n),
                     _optima(P, _densities(case, P, base_e, cell, n, fx, packing))[0]))
    for c in p.c_rates:
        rows.append(("c_rate", c, _optima(P, _densities(case, P, series(c, 1.0), cell, cells,
                                                        fixtures, packing))[0]))
    for imp in p.improvements:
        rows.append(("interface_improvement", imp,
                     _optima(P, _densities(case, P, series(t.c_rate, imp), cell, cells,
                                           fixtures, packing))[0]))
    sens = Table(description="sensitivity of the optimal preload (pack Wh/kg)")
    sens.add("parameter", np.array([r[0] for r in rows], dtype=object), "1")
    sens.add("value", [r[1] for r in rows], "1")
    sens.add("optimal_stack_pressure_Pa", [r[2].pressure_Pa if r[2] else np.nan for r in rows],
             "Pa")
    sens.add("optimal_pack_Wh_per_kg", [r[2].value if r[2] else np.nan for r in rows],
             "W*h/kg")
    sens.add("interior", np.array([str(bool(r[2] and r[2].interior)) for r in rows],
                                  dtype=object), "1")
    timings["system_s"] += time.perf_counter() - t0

    # ------------------------------------------------------- pressure-free design
    t0 = time.perf_counter()
    free = _pressure_free(case, p, comm, cellmodel, s, cell, cells, unit, travel, packing,
                          opt_kg)
    timings["electrochemistry_s"] += time.perf_counter() - t0

    summary = _summary(case, P, base, opt_kg, opt_l, fixtures, free, table)
    summary["points_completed"] = int(sum(b is not None for b in base))
    summary["points_total"] = len(P)
    info = {"mpi_ranks": comm.size, "discharges": len(groups), "cycles": p.cycles,
            "skipped_outside_contact_range": [f"C-rate {g[0]:g}, P = {P[g[1]]:.4g} Pa, "
                                              f"s = {g[2]:g}" for g in uncovered],
            "coupling": t.coupling, "time_total_s": time.perf_counter() - t_start,
            **{f"time_{k}": comm.allreduce(v) for k, v in timings.items()}}
    if failures:
        info["failures"] = failures
    table, skipped = _split_rows(table, failures)
    sens_ok = np.isfinite(sens["optimal_stack_pressure_Pa"])
    if not sens_ok.all():
        info["sensitivity_without_optimum"] = [
            f"{a}={b:g}" for a, b, ok in zip(sens["parameter"], sens["value"], sens_ok,
                                             strict=True) if not ok]
        sens = _select(sens, sens_ok)
    tables = {"tradeoff": table, "sensitivity": sens,
              "fixture_mass_breakdown": _breakdown(P, fixtures)}
    if len(skipped):
        tables["skipped_points"] = skipped
    return Result(model="tradeoff", summary=summary, tables=tables,
                  status="failed" if failures else "ok",
                  message=failures[0] if failures else "", info=info)


def _select(table: Table, mask) -> Table:
    """The rows of ``table`` where ``mask`` is true."""
    out = Table(description=table.description)
    for name, values in table.columns.items():
        out.add(name, np.asarray(values)[np.asarray(mask, bool)], table.units[name],
                table.labels.get(name))
    return out


def _split_rows(table: Table, failures: list[str]) -> tuple[Table, Table]:
    """(rows with every number defined, the other preloads with the reason).

    A preload whose fixture is infeasible, whose discharge failed or fell outside the
    contact laws' range has no energy density: it goes to ``skipped_points`` with its
    reason instead of a row of NaN (results never hold NaN).
    """
    numeric = [k for k, v in table.columns.items() if np.asarray(v).dtype.kind == "f"]
    good = np.all([np.isfinite(np.asarray(table[k], float)) for k in numeric], axis=0)
    reasons = []
    for i in np.flatnonzero(~good):
        if table["feasible"][i] != "True":
            reasons.append(f"fixture infeasible: {table['infeasible_reason'][i]}")
            continue
        missing = [k for k in numeric if not np.isfinite(table[k][i])]
        p = table["stack_pressure_Pa"][i]
        why = [f for f in failures if f"P = {p:.4g} Pa" in f or f"P = {p:.4g} " in f]
        reasons.append(("failed: " + why[0]) if why else
                       "no value for " + ", ".join(missing[:3]) +
                       " (outside the contact laws' range or a failed solve)")
    skipped = Table(description="preloads without an energy density, and why")
    skipped.add("stack_pressure_Pa", np.asarray(table["stack_pressure_Pa"])[~good], "Pa")
    skipped.add("reason", np.array(reasons, dtype=object), "1")
    return _select(table, good), skipped


def _densities(case, P, e_area, cell, cells, fixtures, packing) -> list:
    """EnergyDensity per grid point (None where infeasible or no energy)."""
    from interface.system.energy import energy_density

    out = []
    for i, pp in enumerate(P):
        fp = fixtures[float(pp)]
        if not (fp.feasible and np.isfinite(e_area[i])):
            out.append(None)
            continue
        e_cell = e_area[i] * cell.face_area_m2 * case.system.cell.repeat_units
        out.append(energy_density(e_cell, cell, fp.fixture, packing, cells_per_module=cells))
    return out


def _tradeoff_table(P, fixtures, base_e, base, records: list[dict], area_cell) -> Table:
    t = Table(description="energy density versus preload (one row per grid point)")
    t.add("stack_pressure_Pa", P, "Pa")
    t.add("feasible", np.array([str(fixtures[float(p)].feasible) for p in P], dtype=object), "1")
    t.add("infeasible_reason", np.array([fixtures[float(p)].reason for p in P], dtype=object),
          "1")
    t.add("stack_pressure_max_Pa", [fixtures[float(p)].pressure_max for p in P], "Pa")
    t.add("stack_pressure_min_Pa", [fixtures[float(p)].pressure_min for p in P], "Pa")
    t.add("fixture_compliance_m_per_Pa", [fixtures[float(p)].compliance for p in P], "m/Pa")
    t.add("energy_per_area_J_per_m2", base_e, "J/m^2")
    t.add("cell_energy_J", base_e * area_cell, "J")
    for name, unit in (("cell_Wh_per_kg", "W*h/kg"), ("cell_Wh_per_L", "W*h/L"),
                       ("module_Wh_per_kg", "W*h/kg"), ("module_Wh_per_L", "W*h/L"),
                       ("pack_Wh_per_kg", "W*h/kg"), ("pack_Wh_per_L", "W*h/L"),
                       ("fixture_mass_kg", "kg"), ("fixture_added_volume_m3", "m^3"),
                       ("cell_mass_kg", "kg"), ("module_mass_kg", "kg")):
        t.add(name, [getattr(b, name) if b is not None else np.nan for b in base], unit)
    t.add("plate_thickness_m", [fixtures[float(p)].fixture.plate.thickness_m
                                if fixtures[float(p)].feasible else np.nan for p in P], "m")
    t.add("plate_governing", np.array([fixtures[float(p)].fixture.plate.governing
                                       if fixtures[float(p)].feasible else "" for p in P],
                                      dtype=object), "1")
    for col, key in (("cathode_contact_fraction", "cathode_contact"),
                     ("li_contact_fraction", "li_contact"),
                     ("discharge_pressure_max_Pa", "p_discharge_max"),
                     ("discharge_pressure_min_Pa", "p_discharge_min")):
        t.add(col, [r.get(key, np.nan) for r in records], "Pa" if col.endswith("_Pa") else "1")
    return t


def _optima(P, dens):
    """Optimum of pack Wh/kg and of pack Wh/L over the feasible grid (None if < 3 points)."""
    from interface.system.energy import optimal_pressure

    ok = [i for i, d in enumerate(dens) if d is not None]
    if len(ok) < 3:
        return None, None
    pp = np.asarray(P)[ok]
    out = []
    for metric in ("pack_Wh_per_kg", "pack_Wh_per_L"):
        out.append(optimal_pressure(pp, [getattr(dens[i], metric) for i in ok]))
    return tuple(out)


def _pressure_free(case, p, comm, cellmodel, s, cell, cells, unit, travel, packing,
                   opt_kg) -> dict:
    """What a "pressure-free" design needs to match the lab pressure.

    The interface improvement s* with which a cell at P_target (<= 1 MPa) delivers the
    energy the baseline delivers at the lab pressure.

    Bisection in log s on rank 0 (the result is broadcast); each evaluation is one
    two-way discharge at the target preload with the contact laws seeing s P.  Also
    reported: the pack Wh/kg of that design against the baseline's optimum.
    """
    from interface.electrochem.protocols import breathing_discharges
    from interface.system.energy import energy_density

    t = case.tradeoff
    target = t.pressure_free_target
    p_ref = t.reference_pressure or t.pressure_max
    out = {"target_stack_pressure_Pa": target, "reference_stack_pressure_Pa": p_ref}
    from interface.collective import on_rank0

    def study() -> dict:  # rank 0 only; its result or error is broadcast (on_rank0)
        res = None
        fp_t = size_module_fixture(case, cell, target, cells, unit, travel)
        fp_r = size_module_fixture(case, cell, p_ref, cells, unit, travel)
        if not (fp_t.feasible and fp_r.feasible):
            res = {"status": "infeasible fixture: " + (fp_t.reason or fp_r.reason)}
        else:
            g_t, g_r = pressure_gain(case, fp_t, cells), pressure_gain(case, fp_r, cells)
            hi_map = cellmodel.contact.cathode.pressure_range[1]
            if s.design.half_cell:
                hi_map = min(hi_map, cellmodel.contact.lithium.pressure_range[1])
            s_max = 0.5 * hi_map / max(fp_t.pressure_max, target)

            def energy(preload: float, gain: float, imp: float) -> float:
                rec = breathing_discharges(cellmodel, [(preload, gain, imp)], t.c_rate)[0]
                return rec.energy / s.design.area

            try:
                goal = energy(p_ref, g_r, 1.0)
                e1 = energy(target, g_t, 1.0)
                res = {"delivered_energy_at_reference_J_per_m2": goal,
                       "delivered_energy_at_target_J_per_m2": e1}
                if e1 >= goal:
                    res.update(status="already matched", required_interface_improvement=1.0)
                    s_star = 1.0
                elif energy(target, g_t, s_max) < goal:
                    res.update(status=f"not reachable with s <= {s_max:.3g} (the contact "
                                      "laws' pressure range)")
                    s_star = None
                else:
                    lo, hi = 0.0, math.log(s_max)
                    for _ in range(p.bisection_steps + 10):
                        mid = 0.5 * (lo + hi)
                        if energy(target, g_t, math.exp(mid)) >= goal:
                            hi = mid
                        else:
                            lo = mid
                    s_star = math.exp(hi)
                    res.update(status="ok", required_interface_improvement=s_star,
                               bisection_bracket=[math.exp(lo), math.exp(hi)])
                if s_star is not None:
                    e_cell = energy(target, g_t, s_star) * cell.face_area_m2 \
                        * case.system.cell.repeat_units
                    res["pack_Wh_per_kg_at_target_improved"] = energy_density(
                        e_cell, cell, fp_t.fixture, packing,
                        cells_per_module=cells).pack_Wh_per_kg
            except SolverError as exc:
                res = {"status": f"solver failure: {exc}"}
        return res

    res = on_rank0(comm, study)
    out.update(res or {"status": "not computed"})
    if opt_kg is not None:
        out["baseline_optimal_pack_Wh_per_kg"] = opt_kg.value
    return out


def _breakdown(P, fixtures) -> Table:
    t = Table(description="fixture mass by part versus preload (kg)")
    t.add("stack_pressure_Pa", P, "Pa")
    names = sorted({n for fp in fixtures.values() if fp.feasible
                    for n in fp.fixture.mass_by_part()})
    for n in names:
        t.add(f"{n}_mass_kg", [fixtures[float(p)].fixture.mass_by_part().get(n, 0.0)
                               if fixtures[float(p)].feasible else np.nan for p in P], "kg")
    return t


def _summary(case, P, base, opt_kg, opt_l, fixtures, free, table) -> dict:
    summary: dict = {"cells_per_module": case.system.fixture.cells_per_module,
                     "coupling": case.tradeoff.coupling}
    if opt_kg is not None:
        valid = np.flatnonzero(np.isfinite(table["pack_Wh_per_kg"])
                               & np.isfinite(table["pack_Wh_per_L"]))
        i = int(valid[np.argmin(np.abs(np.log(P[valid]) - np.log(opt_kg.pressure_Pa)))])
        summary["optimum"] = {
            "stack_pressure_Pa": opt_kg.pressure_Pa,
            "pack_specific_energy_Wh_per_kg": opt_kg.value,
            "pack_energy_density_Wh_per_L": float(np.interp(np.log(opt_kg.pressure_Pa),
                                                            np.log(P[valid]),
                                                            table["pack_Wh_per_L"][valid])),
            "interior": bool(opt_kg.interior),
            "method": opt_kg.method,
            "nearest_grid_stack_pressure_Pa": float(P[i]),
            "stack_pressure_max_in_cycle_Pa": fixtures[float(P[i])].pressure_max,
            "fixture_mass_kg": float(table["fixture_mass_kg"][i]),
            "cell_Wh_per_kg": float(table["cell_Wh_per_kg"][i]),
        }
        summary["optimum_volumetric"] = {
            "stack_pressure_Pa": opt_l.pressure_Pa,
            "pack_energy_density_Wh_per_L": opt_l.value,
            "interior": bool(opt_l.interior),
        }
    summary["pressure_free"] = free
    ok = [b for b in base if b is not None]
    if ok:
        summary["cell_Wh_per_kg_max"] = float(max(b.cell_Wh_per_kg for b in ok))
        summary["pack_Wh_per_kg_without_fixture_max"] = float(
            max(b.cell_Wh_per_kg for b in ok) * case.system.pack.mass_fraction)
    return summary


def warm_up(case, comm) -> None:
    """Import PyBaMM and build the model (sweeps call this before the ensemble)."""
    from interface.models import electrochem as ec_model

    s = ec_model.settings(case, two_way=False)
    ec_model.build_cell(s, case, stack_breathing=breathing_table(case, s))


def plot(result: Result, folder: Path) -> list[Path]:
    """figures/tradeoff.png and figures/tradeoff_sensitivity.png."""
    from interface.plotting.tradeoff import plot_tradeoff

    return plot_tradeoff(result, folder)
