"""The pressure / energy-density trade-off: how much stack pressure is enough, and what it costs.

For each preload P_0 of a log-spaced grid (with the bounds of the pressure window added):

1. **pressing architectures** (interface/system/architectures.py): tie rods + springs,
   foam pads between the cells, a rigid frame where creep relaxes the pressure, a
   pressurised enclosure, the pack's own structure (cell-to-pack).  Each is sized from
   physics for the module's stack (cells x repeat units of [stack]: the breathing of the
   stack model, its compliance) and the band the pressure must stay in (the Li-metal
   window), choosing its free sizes (spring band, pad grade and thickness, plate or wall
   material); each reports parts, mass, added volume, the pressure over the cycle, the
   face-pressure variation and feasibility with its reason.
2. **the window** (interface/system/pressure_window.py): P_min (stripping without voids at
   the design current) and P_max (no Li short within the service life) of the case's own
   Li anode and separator.
3. **energy** (interface/electrochem, built once per rank): the energy delivered at the
   C-rate with the pressure following the SOC in each architecture (two-way, the
   architecture's gain), times the cathode layers of a cell.
4. **capacity retention** after the case's cycles at the preload
   (:func:`capacity_retention`, the one place the cycling model is consumed).
5. **energy density** (interface/system/energy.py): cell, module and pack Wh/kg and Wh/L
   per architecture (module packing fractions; cell-to-pack fractions for the pack-level
   architecture), the optimum over architecture x preload under the constraints (hardware
   feasible, the pressure over the cycle inside the window, retention >= target), the
   Pareto front of pack Wh/kg against retention, and sensitivities.
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


def plan(case, window=None) -> Plan:
    """The grid and the studies of a case (smoke: a reduced set).

    ``window``: a :class:`WindowResult`; its bounds inside the grid's range are added to
    the grid so that an optimum at a bound of the window is a grid point.
    """
    t = case.tradeoff
    n = min(t.pressure_points, t.smoke_pressure_points) if case.smoke else t.pressure_points
    pressures = np.geomspace(t.pressure_min, t.pressure_max, n)
    if window is not None and window.band is not None:
        extra = [b for b in (window.band.low, window.band.high)
                 if t.pressure_min < b < t.pressure_max]
        if extra:
            pressures = np.unique(np.concatenate([pressures, extra]))
    if case.smoke:
        return Plan(pressures, min(t.cycles, t.smoke_cycles), tuple(t.c_rates[:1]),
                    tuple(t.interface_improvements[:2]), tuple(t.area_factors[:1]),
                    tuple(int(c) for c in t.cells_per_module[:1]), 5)
    return Plan(pressures, t.cycles, tuple(t.c_rates), tuple(t.interface_improvements),
                tuple(t.area_factors), tuple(int(c) for c in t.cells_per_module), 10)


# ------------------------------------------------------------------ cell construction
def unit_laminate(case):
    """One repeat unit of [stack] as a Laminate; double-sided: boundary collectors halved.

    In a double-sided cell the first and last layers of the repeat unit (the current
    collectors: cathode | Al | cathode, Li | Cu | Li) are shared by the neighbouring
    units, so one repeat unit owns half of each.
    """
    from interface.mechanics.laminate import Laminate
    from interface.models.stack import laminate_of

    lam = laminate_of(dataclasses.replace(case, stack=dataclasses.replace(case.stack,
                                                                           repeat_units=1)))
    if case.system.cell.construction != "double_sided":
        return lam
    layers = list(lam.layers)
    for k in (0, len(layers) - 1):
        layers[k] = dataclasses.replace(layers[k], thickness=0.5 * layers[k].thickness)
    return Laminate(tuple(layers), lam.reference_soc, lam.temperature_change)


def cell_design(case, area_factor: float = 1.0):
    """The pouch cell of the energy bookkeeping, from the [stack] repeat unit.

    single_sided: u repeat units, each with every layer.  double_sided: the first and
    last layers of the unit (the collectors) are shared, u + 1 of them in all,
    alternating (ceil((u+1)/2) of the first, floor((u+1)/2) of the last); the other
    layers u times.  An anode-free anode carries no mass or thickness when discharged
    (its Li comes from the cathode; its growth is in the stack's breathing).  The cell's
    volume is taken at its largest thickness over the cycle (``swelling``: u x the
    largest free growth of a repeat unit; the plated Li of a charged Li-metal cell).
    """
    from interface.mechanics.laminate import build_laminate
    from interface.system.energy import CellDesign, CellLayer, Packaging

    c = case.system.cell
    u = c.repeat_units
    lam = build_laminate(dataclasses.replace(case.stack, repeat_units=1), case.materials,
                         case.soc.reference)
    counts = [u] * len(lam.layers)
    if c.construction == "double_sided":
        counts[0] = (u + 2) // 2
        counts[-1] = (u + 1) // 2
    layers = tuple(CellLayer(la.base_name, la.thickness, la.thickness * la.density, n,
                             la.oedometric_modulus)
                   for la, n in zip(lam.layers, counts, strict=True)
                   if la.kind != "anode_free" and n > 0)
    s = math.sqrt(area_factor)
    dh_unit, _ = unit_breathing(case)
    return CellDesign(face_length=c.face_length * s, face_width=c.face_width * s,
                      layers=layers,
                      packaging=Packaging(pouch_areal_mass=c.pouch_areal_mass,
                                          pouch_thickness=c.pouch_thickness,
                                          seal_width=c.seal_width, tab_mass=c.tab_mass,
                                          tab_length=c.tab_length), name=case.name,
                      swelling=max(float(np.max(dh_unit)), 0.0) * u)


def soc_grid(case) -> np.ndarray:
    """SOCs at which the cycle's pressure extremes are taken."""
    socs, _ = case.soc.points()
    return np.unique(np.concatenate([socs, np.linspace(0.0, 1.0, 41)]))


def unit_breathing(case) -> tuple[np.ndarray, float]:
    """(free thickness change of one repeat unit at the SOCs of soc_grid, its compliance)."""
    lam = unit_laminate(case)
    return (np.array([lam.free_thickness_change(s) for s in soc_grid(case)]),
            lam.compliance())


def module_stack(case, cell, cells: int):
    """The :class:`~interface.system.architectures.ModuleStack` of the case's module.

    Breathing per cell = u x one repeat unit's (collectors do not breathe); the creeping
    metal layers of [stack] (``creep = true``) give the fixed-gap frame its column model:
    one repeat unit, squeeze-out over the equal-area disc of the cell face.
    """
    from interface.mechanics.column import Column, column_layers
    from interface.system.architectures import ModuleStack

    u = case.system.cell.repeat_units
    dh_unit, _ = unit_breathing(case)
    lam = unit_laminate(case)
    radius = math.sqrt(cell.face_length * cell.face_width / math.pi)
    creeping = any(getattr(la, "creep", False) or getattr(la, "fabrication_pressure", None)
                   for la in case.stack.layers)
    factory = None
    if creeping:
        import functools

        layers = [dataclasses.replace(la, eigenstrain=functools.lru_cache(maxsize=None)(
            la.eigenstrain)) for la in column_layers(case.stack.layers, lam, case.materials,
                                                     case.stack.temperature, radius,
                                                     case.stack.metal_interface)]

        def factory(compliance_per_unit: float, preload: float, layers=layers):
            return Column(layers, compliance_per_unit, preload, case.soc.reference)

    pr = case.system.pressing
    half = 3600.0 / case.tradeoff.c_rate
    k = pr.frame_steps_per_half_cycle
    up = np.linspace(0.0, 1.0, k + 1)[1:]
    socs = [case.soc.reference]
    for _ in range(pr.frame_cycles):
        socs += list(up) + list(1.0 - up)
    socs = np.array(socs)
    dts = np.concatenate([[0.0], np.full(len(socs) - 1, half / k)])
    return ModuleStack(cell=cell, cells=int(cells), breathing=u * dh_unit, socs=soc_grid(case),
                       cell_compliance=cell.compliance_m_per_Pa,
                       unit_breathing_max=float(max(np.max(dh_unit), 0.0)),
                       units_per_cell=u, column=factory, path=(socs, dts))


def pressing_options(case, cells: int | None = None):
    """PressingOptions of [system.fixture] and [system.pressing], materials resolved."""
    from interface.system.architectures import PressingOptions

    opts = dataclasses.replace(case.system.fixture.to_options(),
                               cells_per_module=int(cells or case.system.fixture
                                                    .cells_per_module))
    repl = {}
    for name in ("material", "rod_material", "pad_material"):
        value = getattr(opts, name)
        if isinstance(value, str) and value in case.materials:
            repl[name] = dataclasses.replace(case.materials[value], name=value)
    opts = dataclasses.replace(opts, **repl)
    pr = case.system.pressing
    mats = [dataclasses.replace(case.materials[m], name=m) if m in case.materials else m
            for m in pr.plate_materials or ()]
    return PressingOptions(fixture=opts, plate_materials=tuple(mats),
                           pad_grades=tuple(pr.pad_grades),
                           ctp_cells_per_row=case.system.pack.ctp_cells_per_row,
                           enclosure_clearance=pr.enclosure_clearance, min_wall=pr.min_wall,
                           temperature=case.electrochem.temperature,
                           pressure_band=pr.pressure_band,
                           spring_travel_per_cell=(opts.spring_travel_per_cell
                                                   if case.tradeoff.spring_travel == "fixture"
                                                   else None))


def packings(case) -> dict:
    """Packing fractions: module-based architectures and the cell-to-pack one."""
    from interface.system.energy import Packing

    pk = case.system.pack
    return {"module": Packing(pk.mass_fraction, pk.volume_fraction),
            "cell_to_pack": Packing(pk.ctp_mass_fraction, pk.ctp_volume_fraction)}


# --------------------------------------------------------------------------- window
@dataclass
class WindowResult:
    """The pressure window of the case (None band: no window applies)."""

    band: object | None
    info: dict


def _separator_layer(case):
    for la in case.stack.layers:
        if la.kind == "solid" and getattr(la, "role", None) is None and (
                "separator" in la.name.lower() or "electrolyte" in la.name.lower()):
            return la
    solids = [la for la in case.stack.layers if la.kind == "solid"]
    return solids[len(solids) // 2] if solids else None


def has_li_anode(case) -> bool:
    """True when [stack] has a Li-metal or anode-free anode."""
    return any(la.kind in ("lithium_metal", "anode_free") for la in case.stack.layers)


def li_metal_cell(case):
    """The LiMetalCell of the case's anode side ([tradeoff.window], [stack] separator)."""
    from types import SimpleNamespace

    from interface.case.li_symmetric import LiSymmetricCellSpec
    from interface.models.li_symmetric import cell_of
    from interface.schema import build

    w = case.tradeoff.window
    sep = _separator_layer(case)
    thickness = w.separator_thickness or (sep.thickness if sep is not None else None)
    porosity = w.separator_porosity
    if porosity is None:
        porosity = getattr(sep, "porosity", None) or 0.0
    if thickness is None:
        raise InputError("no separator layer in [stack]: give the separator thickness",
                         key="tradeoff.window.separator_thickness")
    electrolyte = getattr(sep, "material", "Li6PS5Cl") if sep is not None else "Li6PS5Cl"
    spec = build(LiSymmetricCellSpec, {"stack_pressures": ["1 MPa"]}, "tradeoff.window")
    spec = dataclasses.replace(spec, separator_thickness=thickness, separator_porosity=porosity,
                               grain_size=w.grain_size, pore_radius=w.pore_radius,
                               supply_factor=w.supply_factor, hold_time=w.hold_time,
                               electrolyte=electrolyte,
                               temperature=w.temperature or case.electrochem.temperature)
    try:
        return cell_of(SimpleNamespace(cell=spec, materials=case.materials)), spec
    except InputError as exc:
        raise InputError(exc.message, key="tradeoff.window") from None


def design_current_density(case) -> float:
    """The window's design current density: given, or C-rate x areal capacity, A/m^2."""
    w = case.tradeoff.window
    if w.current_density is not None:
        return w.current_density
    from interface.models import electrochem as ec_model

    d = ec_model.settings(case, two_way=False).design
    return case.tradeoff.c_rate * d.nominal_capacity() / d.area / 3600.0


def window_of(case) -> WindowResult:
    """The Li-metal pressure window of the case (fast laws; milliseconds)."""
    from interface.system.architectures import Band
    from interface.system.pressure_window import pressure_window

    w = case.tradeoff.window
    model = w.model
    if model == "auto":
        model = "li_metal" if has_li_anode(case) else "none"
    if model == "none":
        return WindowResult(None, {"model": "none"})
    cell, spec = li_metal_cell(case)
    i_design = design_current_density(case)
    T = spec.temperature
    win = pressure_window(cell, i_design, w.service_life, T, hold_time=w.hold_time)
    lo, hi = win.bounds
    from interface.electrochem.li_interface import time_to_short

    li = cell.interface_at(T)
    f1 = li.contact(1e6, w.hold_time).fraction
    t_short = time_to_short(li, cell.separator, 1e6, i_design, li.asr(f1), contact_fraction=f1,
                            t_max=100 * w.service_life).time
    info = {"model": "li_metal", "design_current_density_A_per_m2": i_design,
            "service_life_s": w.service_life, "temperature_K": T,
            "separator_thickness_m": cell.separator.thickness,
            "separator_porosity": cell.separator.porosity,
            "separator_pore_radius_m": cell.separator.pore_radius,
            "p_min_Pa": lo, "p_min_status": win.p_min.status, "p_min_driver": win.p_min.driver,
            "p_max_Pa": hi, "p_max_status": win.p_max.status, "p_max_driver": win.p_max.driver,
            "open": bool(win.open),
            "time_to_short_at_1_MPa_s": t_short if math.isfinite(t_short) else None}
    low = 0.0 if win.p_min.status == "below_range" else lo
    high = math.inf if win.p_max.status == "above_range" else hi
    src = "Li-metal window (interface.system.pressure_window)"
    return WindowResult(Band(low, high, src), info)


# ---------------------------------------------------------------------- retention
def capacity_retention(cellmodel, pressures, cycles: int, c_rate: float) -> dict:
    """Capacity retained after ``cycles`` at each constant stack pressure (the one seam).

    The trade-off consumes the cycling model only through this function: today
    :func:`interface.electrochem.protocols.cycle` of the contact maps of the case (the
    cathode issue replaces its per-cycle ratchet by the computed map f_c(P, x, N)).
    Returns {pressure: retention or a SolverError message}.
    """
    from interface.electrochem.protocols import cycle

    out: dict = {}
    for p in pressures:
        try:
            rec, _ = cycle(cellmodel, cycles, float(p), c_rate_charge=c_rate,
                           c_rate_discharge=c_rate)
            r = rec.retention
            out[float(p)] = float(r[-1]) if len(r) else 0.0
        except SolverError as exc:
            out[float(p)] = f"cycling at P = {float(p):.4g} Pa: {exc}"
    return out


# --------------------------------------------------------------------------- check
def check(case) -> None:
    """Validate: electrochemistry, map coverage, the hardware options, the window inputs."""
    from interface.models import electrochem as ec_model
    from interface.system.architectures import design

    s = ec_model.settings(case, two_way=False)
    cm = ec_model.contact_model(s)
    t = case.tradeoff
    p = plan(case)
    top = max(p.pressures.max(), t.pressure_free_target) * max(p.improvements, default=1.0)
    for value, key in ((p.pressures.min(), "tradeoff.pressure_min"),
                       (p.pressures.max(), "tradeoff.pressure_max"),
                       (t.pressure_free_target, "tradeoff.pressure_free_target"),
                       (t.reference_pressure or t.pressure_max, "tradeoff.reference_pressure"),
                       (top, "tradeoff.interface_improvements")):
        cm.check_pressure(float(value), key, s.design.half_cell)
    if case.system.fixture.plate_method == "fe":
        raise InputError("the trade-off sizes hundreds of candidate fixtures; an FE root solve "
                         "per plate (seconds each) is for one fixture (interface.system."
                         "size_fixture(..., plate_method='fe')): use 'roark' here",
                         key="system.fixture.plate_method")
    if case.system.fixture.deflection_limit is not None:
        raise InputError("the trade-off sizes the plates by the face-uniformity criterion "
                         "(pressure_variation, met and reported); remove deflection_limit",
                         key="system.fixture.deflection_limit")
    if case.system.cell.construction == "double_sided":
        ends = (case.stack.layers[0], case.stack.layers[-1])
        if len(case.stack.layers) < 3 or any(la.kind != "solid" for la in ends):
            raise InputError("double_sided shares the first and last layers of [stack] "
                             "(the current collectors): both must be solid layers",
                             key="system.cell.construction")
    cell = cell_design(case)
    stack = module_stack(case, cell, case.system.fixture.cells_per_module)
    for key in ("material", "rod_material", "pad_material"):
        v = getattr(case.system.fixture, key)
        if v is not None and isinstance(v, str) and v not in case.materials:
            from interface.system.fixture import resolve_material

            try:
                resolve_material(v, key, structural=key != "pad_material")
            except InputError as exc:
                raise InputError(exc.message, key=f"system.fixture.{key}") from None
    for i, m in enumerate(case.system.pressing.plate_materials or ()):
        if m not in case.materials:
            from interface.system.fixture import resolve_material

            try:
                resolve_material(m, "material")
            except InputError as exc:
                raise InputError(exc.message,
                                 key=f"system.pressing.plate_materials[{i}]") from None
    try:
        opts = pressing_options(case)
        opts.fixture.validate()
        design(t.architectures[0], stack, float(p.pressures.min()), None, opts)
    except InputError as exc:
        key = f"system.fixture.{exc.key}" if exc.key else "system.fixture"
        raise InputError(exc.message, key=key) from None
    window_of(case)


# --------------------------------------------------------------------------- run
def breathing_table(case, s) -> tuple[np.ndarray, np.ndarray]:
    """(x grid, h grid): free thickness change of one repeat unit vs mean NMC stoichiometry.

    From the laminate closed form of [stack] (equal to the 1D FE stack model), with the
    stack's SOC of x through the cathode layer's window (as StackPressureLaw).
    """
    from interface.materials import get_material

    lam = unit_laminate(case)
    x0, x1 = s.stoichiometry_soc
    cathode = [la for la in case.stack.layers if getattr(la, "role", "") == "cathode"][0]
    curve = get_material(cathode.active_material, case.materials).volumetric_strain
    lo = max(curve.x_range[0], min(x0, x1) - 0.05)
    hi = min(curve.x_range[1], max(x0, x1) + 0.05, 1.0)
    xg = np.linspace(lo, hi, 121)
    # outside the cycled window the SOC is held at its end (the anode's strain curve may
    # not extend beyond it)
    hg = np.array([lam.free_thickness_change(min(max((x - x0) / (x1 - x0), 0.0), 1.0))
                   for x in xg])
    return xg, hg


def _gain(case, d) -> float:
    """The two-way gain of a design (0 for one-way coupling or an infeasible design)."""
    if case.tradeoff.coupling == "one_way" or d is None or not d.feasible:
        return 0.0
    return float(d.gain)


def design_grid(case, stack, pressures, window, opts, architectures, comm=None) -> dict:
    """Every architecture at every preload: {(architecture, i): PressingDesign}.

    Deterministic; with ``comm`` the points are shared out over the ranks
    (:class:`interface.parallel.TaskFarm`) and gathered on every rank.
    """
    from interface.parallel import TaskFarm
    from interface.system.architectures import design

    jobs = [(a, i) for a in architectures for i in range(len(pressures))]

    def one(job):
        a, i = job
        d = design(a, stack, float(pressures[i]), window, opts)
        d.history = {key: np.asarray(v) for key, v in d.history.items()}
        return d

    if comm is None or comm.size == 1:
        return {job: one(job) for job in jobs}
    out = TaskFarm(comm).map(one, jobs)
    return dict(zip(jobs, out.results, strict=True))


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Run the trade-off (module docstring).  Discharges are distributed over the ranks."""
    del fields
    from interface.electrochem.protocols import breathing_discharges
    from interface.models import electrochem as ec_model

    t_start = time.perf_counter()
    t = case.tradeoff
    timings = {"mechanics_s": 0.0, "electrochemistry_s": 0.0, "system_s": 0.0}
    t0 = time.perf_counter()
    win = window_of(case)
    p = plan(case, win)
    P = p.pressures
    cells = case.system.fixture.cells_per_module
    cell = cell_design(case)
    stack = module_stack(case, cell, cells)
    opts = pressing_options(case)
    archs = list(t.architectures)
    designs = design_grid(case, stack, P, win.band, opts, archs, comm)
    timings["mechanics_s"] += time.perf_counter() - t0

    # ---------------------------------------------------------- electrochemistry
    s = ec_model.settings(case, two_way=False)
    cm = ec_model.contact_model(s)
    hi_map = cm.cathode.pressure_range[1]
    if s.design.half_cell:
        hi_map = min(hi_map, cm.lithium.pressure_range[1])
    base_jobs = [(t.c_rate, a, i, 1.0) for a in archs for i in range(len(P))
                 if designs[(a, i)].feasible]
    uncovered = [g for g in base_jobs if designs[(g[1], g[2])].pressure_max > hi_map]
    base_jobs = [g for g in base_jobs if g not in uncovered]
    cyc = list(range(len(P))) if p.cycles > 0 else []
    progress = progress or Progress(0, "tradeoff", comm, quiet=True)
    progress.reset(4)
    failures: list[str] = []
    t0 = time.perf_counter()
    cellmodel = ec_model.build_cell(s, case, pressures=tuple(P),
                                    stack_breathing=breathing_table(case, s))
    progress.step("PyBaMM model built")

    def discharge_batch(mine):
        """Records of this rank's jobs, one batched PyBaMM solve per C-rate."""
        records, fails = [None] * len(mine), []
        for rate in sorted({g[0] for g in mine}):
            pos = [k for k, g in enumerate(mine) if g[0] == rate]
            pts = [(float(P[mine[k][2]]), _gain(case, designs.get((mine[k][1], mine[k][2]))),
                    mine[k][3]) for k in pos]
            try:
                recs = breathing_discharges(cellmodel, pts, rate)
            except SolverError:
                recs = []  # one point failed: solve them one by one, keep the others
                for k, pt in zip(pos, pts, strict=True):
                    try:
                        recs.append(breathing_discharges(cellmodel, [pt], rate)[0])
                    except SolverError as exc:
                        fails.append((k, f"discharge at C-rate {rate:g}, P = {pt[0]:.4g} Pa, "
                                         f"K = {pt[1]:.3g} Pa/m, s = {pt[2]:g}: {exc}"))
                        recs.append(None)
            for k, rec in zip(pos, recs, strict=True):
                if rec is not None:
                    records[k] = {"energy": rec.energy / s.design.area,
                                  "cathode_contact": float(rec.curve.cathode_contact[0]),
                                  "li_contact": float(rec.li_contact),
                                  "p_discharge_max": float(np.max(rec.curve.pressure)),
                                  "p_discharge_min": float(np.min(rec.curve.pressure))}
        return records, fails

    def discharge(jobs):
        """{job: record dict} of every job (TaskFarm, batched per rank), and the failures."""
        out = farm.map_batched(discharge_batch, jobs)
        return ({g: r for g, r in zip(jobs, out.results, strict=True) if r is not None},
                [msg for _, msg in out.failures])

    from interface.parallel import TaskFarm

    farm = TaskFarm(comm)
    results, fails = discharge(base_jobs)
    failures += fails
    progress.step(f"{len(base_jobs)} discharges at {t.c_rate:g} C")
    kept = farm.map(lambda pp: capacity_retention(cellmodel, [pp], p.cycles,
                                                  t.c_rate)[pp],
                    [float(P[i]) for i in cyc])
    retention: dict = {}
    for i, v in zip(cyc, kept.results, strict=True):
        if isinstance(v, str):
            failures.append(v)
        elif v is not None:
            retention[float(P[i])] = v
    progress.step(f"{p.cycles} cycles at {len(cyc)} preloads")
    timings["electrochemistry_s"] += time.perf_counter() - t0

    # ------------------------------------------------------------- energy densities
    t0 = time.perf_counter()
    pk = packings(case)
    rows = _rows(case, P, archs, designs, results, retention, cell, pk, p.cycles)
    optima, verdict = _optimum(case, P, rows, p.cycles, win)
    opt = optima.get(t.objective)
    timings["system_s"] += time.perf_counter() - t0

    # --------------------------------------------------- the optimum, exactly
    t0 = time.perf_counter()
    exact = None
    if opt is not None and opt["method"] == "spline":
        exact = _evaluate_exact(case, comm, cellmodel, s, stack, opts, win, opt, cell, pk,
                                p.cycles)
        metric = opt["metric"]
        if exact is not None and _meets(exact, opt.get("relaxed", "")) and \
                exact[metric] >= opt["row"][metric]:
            opt = {**opt, "row": exact, "exact": True}
        else:
            opt = {**opt, "method": "grid", "exact": False,
                   "refinement_rejected": "spline optimum failed a constraint or fell below "
                                          "the best grid point on exact evaluation"}
    timings["electrochemistry_s"] += time.perf_counter() - t0

    # ------------------------------------------------------------ sensitivity
    t0 = time.perf_counter()
    sens, sens_fail = _sensitivity(case, comm, p, P, cell, designs, results, retention, pk,
                                   opt, win, opts, discharge)
    failures += sens_fail
    progress.step("sensitivity")
    free = _pressure_free(case, p, comm, cellmodel, s, cell, stack, opts, win, pk, opt)
    timings["system_s"] += time.perf_counter() - t0

    table, skipped = _tables(rows, failures)
    optima[t.objective] = opt
    summary = _summary(case, P, rows, optima, verdict, win, free, archs, p.cycles)
    info = {"mpi_ranks": comm.size, "discharges": len(base_jobs), "cycles": p.cycles,
            "skipped_outside_contact_range": [f"{g[1]}, P = {P[g[2]]:.4g} Pa"
                                              for g in uncovered],
            "coupling": t.coupling, "time_total_s": time.perf_counter() - t_start,
            **{f"time_{k}": comm.allreduce(v) for k, v in timings.items()}}
    if failures:
        info["failures"] = failures
    tables = {"tradeoff": table, "fixture_mass_breakdown": _breakdown(rows),
              "pressure_cycle": _pressure_cycle(rows, case), "pareto": _pareto_table(rows),
              "sensitivity": sens}
    if len(skipped):
        tables["skipped_points"] = skipped
    return Result(model="tradeoff", summary=summary, tables=tables,
                  status="failed" if failures else "ok",
                  message=failures[0] if failures else "", info=info)


# ---------------------------------------------------------------- bookkeeping
def _rows(case, P, archs, designs, results, retention, cell, pk, cycles) -> list[dict]:
    """One dict per (architecture, preload): the design, energy, densities, constraints."""
    from interface.system.energy import energy_density

    t = case.tradeoff
    u = case.system.cell.repeat_units
    out = []
    for a_id, a in enumerate(archs):
        for i, pp in enumerate(P):
            d = designs[(a, i)]
            rec = results.get((t.c_rate, a, i, 1.0))
            row = {"architecture": a, "architecture_id": a_id, "index": i, "preload": float(pp),
                   "design": d, "record": rec or {}, "retention": retention.get(float(pp))}
            reason = ""
            if not d.feasible:
                reason = f"infeasible: {d.reason}"
            elif rec is None:
                reason = ("no discharge (outside the contact laws' range or a failed solve)")
            row["reason"] = reason
            if not reason:
                e_cell = rec["energy"] * cell.face_area_m2 * u
                packing = pk["cell_to_pack" if d.packing == "cell_to_pack" else "module"]
                ed = energy_density(e_cell, cell, d.fixture, packing,
                                    cells_per_module=d.fixture.cells_per_module)
                row["density"] = ed
                row["energy_per_area"] = rec["energy"]
                row["pack_Wh_per_kg"] = ed.pack_Wh_per_kg
                row["pack_Wh_per_L"] = ed.pack_Wh_per_L
                row["balanced"] = math.sqrt(ed.pack_Wh_per_kg * ed.pack_Wh_per_L)
                checks = {"hardware": True, "window": d.in_band}
                if cycles > 0:
                    r = row["retention"]
                    checks["retention"] = r is not None and r >= t.retention_target
                checks["energy"] = rec["energy"] > 0
                row["checks"] = checks
                row["constraints_met"] = all(checks.values())
            out.append(row)
    return out


def _meets(row, relaxed: str = "") -> bool:
    """Every constraint but the relaxed ones ("window+retention")."""
    skip = set(relaxed.split("+")) if relaxed else set()
    return all(v for k, v in row["checks"].items() if k not in skip)


def _violations(row, case) -> list[str]:
    d = row["design"]
    why = []
    if not row["checks"]["window"]:
        why.append(f"window: {d.band_reason}")
    if "retention" in row["checks"] and not row["checks"]["retention"]:
        r = row["retention"]
        why.append(f"retention {r:.3g} < {case.tradeoff.retention_target:g}" if r is not None
                   else "retention: cycling failed")
    if not row["checks"]["energy"]:
        why.append("no energy delivered")
    return why


def _optimum(case, P, rows, cycles, win):
    """({metric: optimum dict} for the three metrics, verdict text).

    The pool is the designs meeting every constraint; if there are none, the constraints
    that cannot be met are relaxed in order (retention, then the window, then both) and
    the verdict says why, with the numbers.  The best grid point of the metric is refined
    on a spline through its architecture's contiguous feasible run (interior only).
    """
    from interface.system.energy import optimal_pressure

    ok = [r for r in rows if not r["reason"]]
    if not ok:
        return {}, "no architecture gives a feasible design with energy at any preload"
    for relaxed in ("", "retention", "window", "window+retention"):
        pool = [r for r in ok if _meets(r, relaxed) and r["checks"]["energy"]]
        if pool:
            break
    else:
        pool, relaxed = ok, "window+retention+energy"

    def refine(metric):
        best = max(pool, key=lambda r: r[metric])
        a = best["architecture"]
        seg = sorted((r for r in pool if r["architecture"] == a), key=lambda r: r["index"])
        idx = [r["index"] for r in seg]
        k = idx.index(best["index"])
        lo = k
        while lo > 0 and idx[lo - 1] == idx[lo] - 1:
            lo -= 1
        hi = k
        while hi < len(idx) - 1 and idx[hi + 1] == idx[hi] + 1:
            hi += 1
        run = seg[lo:hi + 1]
        res = {"row": best, "method": "grid", "interior": False, "exact": True,
               "metric": metric, "relaxed": relaxed}
        if len(run) >= 3:
            o = optimal_pressure([r["preload"] for r in run], [r[metric] for r in run])
            res.update(interior=bool(o.interior), method=o.method if o.interior else "grid",
                       refined_pressure=o.pressure_Pa, refined_value=o.value)
        res["at_boundary"] = ("lower end of its feasible range" if k == lo and best["index"] > 0
                              else "upper end of its feasible range"
                              if k == hi and best["index"] < len(P) - 1 else "")
        return res

    optima = {m: refine(m) for m in ("balanced", "pack_Wh_per_kg", "pack_Wh_per_L")}
    head = optima[case.tradeoff.objective]["row"]
    if not relaxed:
        verdict = (f"optimum ({case.tradeoff.objective}): {head['architecture']} at "
                   f"{head['preload'] / 1e6:.3g} MPa meets every constraint")
    else:
        verdict = _why_not(case, rows, cycles, win, relaxed)
    return optima, verdict


def _why_not(case, rows, cycles, win, relaxed) -> str:
    """Why no design meets every constraint, with the numbers."""
    parts = []
    info = win.info
    if info.get("model") == "li_metal":
        lo, hi = info["p_min_Pa"], info["p_max_Pa"]
        if not info["open"] or (info["p_max_status"] == "below_range"):
            i_ma = info["design_current_density_A_per_m2"] * 0.1
            rel = "< " if info["p_max_status"] == "below_range" else "= "
            ts = info.get("time_to_short_at_1_MPa_s")
            short = (f"; at 1 MPa Li filaments cross the {info['separator_thickness_m'] * 1e6:.3g}"
                     f" um separator ({info['separator_porosity']:.2g} porosity) in "
                     f"{ts / 3600:.3g} h" if ts is not None else "")
            parts.append(f"the Li-metal window is empty: P_min = {lo / 1e6:.3g} MPa "
                         f"({info['p_min_driver']}) at {i_ma:.3g} mA/cm^2, P_max {rel}"
                         f"{hi / 1e6:.3g} MPa ({info['p_max_driver']}, service life "
                         f"{info['service_life_s'] / 3600:.4g} h{short})")
    ok = [r for r in rows if not r["reason"]]
    inwin = [r for r in ok if r["checks"]["window"]]
    if ok and not inwin and not parts:
        parts.append("no architecture keeps the pressure over the cycle inside the window "
                     "at any preload")
    if cycles > 0:
        rets = [r["retention"] for r in ok if r["retention"] is not None]
        if rets:
            mx = max(rets)
            if mx < case.tradeoff.retention_target:
                parts.append(f"capacity retention after {cycles} cycles is at most {mx:.3g} "
                             f"(target {case.tradeoff.retention_target:g}) at any preload of "
                             "the grid")
    what = " and ".join(relaxed.split("+"))
    return ("no design meets every constraint: " + "; ".join(parts) +
            f". Reported: the best design with the {what} constraint relaxed.")


def _evaluate_exact(case, comm, cellmodel, s, stack, opts, win, opt, cell, pk, cycles):
    """The refined optimum re-evaluated exactly (design, discharge, retention) on rank 0."""
    from interface.electrochem.protocols import breathing_discharges
    from interface.system.architectures import design
    from interface.system.energy import energy_density

    res = None
    if comm.rank == 0:
        try:
            row0 = opt["row"]
            pp = float(opt["refined_pressure"])
            d = design(row0["architecture"], stack, pp, win.band, opts)
            if d.feasible:
                rec = breathing_discharges(cellmodel, [(pp, _gain(case, d), 1.0)],
                                           case.tradeoff.c_rate)[0]
                e_area = rec.energy / s.design.area
                packing = pk["cell_to_pack" if d.packing == "cell_to_pack" else "module"]
                ed = energy_density(e_area * cell.face_area_m2 * case.system.cell.repeat_units,
                                    cell, d.fixture, packing,
                                    cells_per_module=d.fixture.cells_per_module)
                ret = (capacity_retention(cellmodel, [pp], cycles, case.tradeoff.c_rate)[pp]
                       if cycles > 0 else None)
                if isinstance(ret, str):
                    ret = None
                checks = {"hardware": True, "window": d.in_band, "energy": e_area > 0}
                if cycles > 0:
                    checks["retention"] = ret is not None and \
                        ret >= case.tradeoff.retention_target
                res = {"architecture": row0["architecture"],
                       "architecture_id": row0["architecture_id"], "index": -1,
                       "preload": pp, "design": d,
                       "record": {"energy": e_area, "cathode_contact":
                                  float(rec.curve.cathode_contact[0]),
                                  "li_contact": float(rec.li_contact),
                                  "p_discharge_max": float(np.max(rec.curve.pressure)),
                                  "p_discharge_min": float(np.min(rec.curve.pressure))},
                       "retention": ret, "reason": "", "density": ed, "energy_per_area": e_area,
                       "pack_Wh_per_kg": ed.pack_Wh_per_kg, "pack_Wh_per_L": ed.pack_Wh_per_L,
                       "balanced": math.sqrt(ed.pack_Wh_per_kg * ed.pack_Wh_per_L),
                       "checks": checks, "constraints_met": all(checks.values())}
        except SolverError:
            res = None
    return comm.bcast(res, root=0)


def _row_summary(row, case) -> dict:
    d, ed = row["design"], row["density"]
    out = {"stack_pressure_Pa": row["preload"], "architecture": row["architecture"],
           "pack_specific_energy_Wh_per_kg": ed.pack_Wh_per_kg,
           "pack_energy_density_Wh_per_L": ed.pack_Wh_per_L,
           "module_specific_energy_Wh_per_kg": ed.module_Wh_per_kg,
           "module_energy_density_Wh_per_L": ed.module_Wh_per_L,
           "cell_specific_energy_Wh_per_kg": ed.cell_Wh_per_kg,
           "cell_energy_density_Wh_per_L": ed.cell_Wh_per_L,
           "pack_to_cell_mass_ratio": ed.pack_Wh_per_kg / ed.cell_Wh_per_kg,
           "pack_to_cell_volume_ratio": ed.pack_Wh_per_L / ed.cell_Wh_per_L,
           "fixture_mass_kg": d.mass_kg,
           "fixture_added_volume_m3": d.fixture.added_volume_m3,
           "cells_per_fixture": d.fixture.cells_per_module,
           "stack_pressure_min_in_cycle_Pa": d.pressure_min,
           "stack_pressure_max_in_cycle_Pa": d.pressure_max,
           "stack_pressure_min_end_of_life_Pa": d.pressure_min_end_of_life,
           "face_pressure_variation": d.face_pressure_variation,
           "free_sizes": _jsonable(d.free_sizes)}
    if row["retention"] is not None:
        out["capacity_retention"] = row["retention"]
    out["constraints_met"] = bool(row["constraints_met"])
    if not row["constraints_met"]:
        out["violated_constraints"] = _violations(row, case)
    return out


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


def _summary(case, P, rows, optima, verdict, win, free, archs, cycles) -> dict:
    t = case.tradeoff
    summary: dict = {"cells_per_module": case.system.fixture.cells_per_module,
                     "coupling": t.coupling, "cell_construction": case.system.cell.construction,
                     "architectures": list(archs)}
    if win.band is not None:
        summary["pressure_window_Pa"] = [win.info["p_min_Pa"], win.info["p_max_Pa"]]
    summary["pressure_window"] = _jsonable(win.info)
    summary["verdict"] = verdict
    for key, metric in (("optimum", case.tradeoff.objective),
                        ("optimum_gravimetric", "pack_Wh_per_kg"),
                        ("optimum_volumetric", "pack_Wh_per_L")):
        opt = optima.get(metric)
        if opt is None:
            continue
        o = _row_summary(opt["row"], case)
        o.update(objective=metric, interior=bool(opt["interior"]), method=opt["method"],
                 at_boundary=opt.get("at_boundary", ""),
                 evaluated_exactly=bool(opt.get("exact", True)))
        if opt.get("relaxed"):
            o["relaxed_constraint"] = opt["relaxed"]
        if "refinement_rejected" in opt:
            o["refinement_rejected"] = opt["refinement_rejected"]
        summary[key] = o
    per_arch = {}
    metric = case.tradeoff.objective
    for a in archs:
        ok = [r for r in rows if r["architecture"] == a and not r["reason"]]
        met = [r for r in ok if r["constraints_met"]]
        if met:
            b = max(met, key=lambda r: r[metric])
            per_arch[a] = {"status": "meets every constraint", **_row_summary(b, case)}
        elif ok:
            b = max(ok, key=lambda r: r[metric])
            per_arch[a] = {"status": "no point meets every constraint",
                           **_row_summary(b, case)}
        else:
            reasons = sorted({r["reason"] for r in rows if r["architecture"] == a})
            per_arch[a] = {"status": "infeasible at every preload", "reasons": reasons[:3]}
    summary["by_architecture"] = per_arch
    summary["pressure_free"] = free
    summary["retention_target"] = t.retention_target
    summary["pack_ratio_check"] = _ratio_check(case, rows, summary.get("optimum"))
    summary["cell_breathing_fraction"] = _breathing_share(case)
    _flat_keys(summary, rows, case)
    ok = [r for r in rows if not r["reason"]]
    if ok:
        summary["cell_Wh_per_kg_max"] = float(max(r["density"].cell_Wh_per_kg for r in ok))
    summary["points_completed"] = len(ok)
    summary["points_total"] = len(rows)
    return summary


def _story(row) -> str:
    """What a design adds per cell, and its largest parts."""
    d, ed = row["design"], row["density"]
    n = ed.cells_per_module
    parts = sorted(d.parts().items(), key=lambda kv: -kv[1][0])
    solid = sum(v[1] for v in d.parts().values())
    added = d.fixture.added_volume_m3
    top = ", ".join(f"{k} {v[0] / n * 1e3:.3g} g" for k, v in parts[:2])
    return (f"{row['architecture']} at {row['preload'] / 1e6:.3g} MPa adds "
            f"{d.mass_kg / n * 1e3:.3g} g ({top}) and {added / n * 1e3:.3g} L per cell "
            f"({solid / n * 1e3:.2g} L of it solid parts, the rest pads' and gas space "
            f"and the envelope's voids); the cell is {ed.cell_mass_kg * 1e3:.3g} g, "
            f"{ed.cell_volume_m3 * 1e3:.3g} L")


def _ratio_check(case, rows, optimum) -> dict:
    """The optimum's pack/cell ratios against the reference ratios of Li-ion packs."""
    t = case.tradeoff
    out = {"reference_mass_ratio": t.reference_mass_ratio,
           "reference_volume_ratio": t.reference_volume_ratio}
    if optimum is None:
        out["status"] = "no optimum"
        return out
    m, v = optimum["pack_to_cell_mass_ratio"], optimum["pack_to_cell_volume_ratio"]
    out["optimum_meets"] = bool(m >= t.reference_mass_ratio and v >= t.reference_volume_ratio)
    best = {}
    pool = [r for r in rows if not r["reason"] and r["checks"]["window"]] or \
        [r for r in rows if not r["reason"]]
    for a in t.architectures:
        mine = [r for r in pool if r["architecture"] == a]
        if mine:
            rm = max(mine, key=lambda r: r["pack_Wh_per_kg"] / r["density"].cell_Wh_per_kg)
            rv = max(mine, key=lambda r: r["pack_Wh_per_L"] / r["density"].cell_Wh_per_L)
            best[a] = {"max_mass_ratio": rm["pack_Wh_per_kg"] / rm["density"].cell_Wh_per_kg,
                       "at_mass_Pa": rm["preload"],
                       "max_volume_ratio": rv["pack_Wh_per_L"] / rv["density"].cell_Wh_per_L,
                       "at_volume_Pa": rv["preload"], "why": _story(rv)}
    out["by_architecture"] = best
    if not out["optimum_meets"]:
        any_m = any(b["max_mass_ratio"] >= t.reference_mass_ratio for b in best.values())
        any_v = any(b["max_volume_ratio"] >= t.reference_volume_ratio for b in best.values())
        why = []
        if not any_m:
            why.append(f"no architecture keeps pack/cell mass >= {t.reference_mass_ratio:g}")
        if not any_v:
            why.append(f"no architecture keeps pack/cell volume >= "
                       f"{t.reference_volume_ratio:g}")
        if why:
            out["reason"] = ("; ".join(why) + f": the cells breathe "
                             f"{_breathing_share(case):.1%} of their thickness over a cycle, "
                             "which pads, springs or gas must take up (each architecture's "
                             "best, in the window where any design is: see "
                             "by_architecture.why)")
        else:
            out["reason"] = ("an architecture reaches the reference ratios, but not the "
                             "optimum of the objective under the constraints")
    return out


def _breathing_share(case) -> float:
    """Largest free thickness growth of a cell over the cycle / its discharged thickness."""
    cell = cell_design(case)
    return cell.swelling / cell.thickness_m


def _flat_keys(summary, rows, case) -> None:
    """Flat copies of the headline numbers (validation datasets read flat summary keys)."""
    o = summary.get("optimum")
    if o is not None:
        for k in ("stack_pressure_Pa", "pack_to_cell_mass_ratio", "pack_to_cell_volume_ratio",
                  "pack_specific_energy_Wh_per_kg", "pack_energy_density_Wh_per_L",
                  "cell_specific_energy_Wh_per_kg", "fixture_mass_kg"):
            summary[f"optimum_{k}"] = o[k]
        if "capacity_retention" in o:
            summary["optimum_capacity_retention"] = o["capacity_retention"]
        summary["optimum_constraints_met"] = bool(o["constraints_met"])
    metric = case.tradeoff.objective
    for family, names in (("module_based", [a for a in case.tradeoff.architectures
                                            if a != "cell_to_pack"]),
                          ("cell_to_pack", ["cell_to_pack"])):
        pool = [r for r in rows if not r["reason"] and r["architecture"] in names
                and r["checks"]["window"]]
        if pool:
            b = max(pool, key=lambda r: r[metric])
            summary[f"{family}_best_stack_pressure_Pa"] = b["preload"]
            summary[f"{family}_best_pack_to_cell_mass_ratio"] = \
                b["pack_Wh_per_kg"] / b["density"].cell_Wh_per_kg
            summary[f"{family}_best_pack_to_cell_volume_ratio"] = \
                b["pack_Wh_per_L"] / b["density"].cell_Wh_per_L


# ------------------------------------------------------------------------ tables
def _tables(rows, failures) -> tuple[Table, Table]:
    """(the trade-off table: rows with every number defined, skipped points with reasons)."""
    ok = [r for r in rows if not r["reason"]]
    t = Table(description="energy density per architecture and preload (rows with every "
                          "number defined; the others are in skipped_points)")
    t.add("architecture", np.array([r["architecture"] for r in ok], dtype=object), "1")
    t.add("architecture_id", [r["architecture_id"] for r in ok], "1")
    t.add("stack_pressure_Pa", [r["preload"] for r in ok], "Pa")
    for col, attr in (("stack_pressure_min_Pa", "pressure_min"),
                      ("stack_pressure_max_Pa", "pressure_max"),
                      ("stack_pressure_min_end_of_life_Pa", "pressure_min_end_of_life")):
        t.add(col, [getattr(r["design"], attr) for r in ok], "Pa")
    t.add("face_pressure_variation", [r["design"].face_pressure_variation for r in ok], "1")
    t.add("two_way_gain_Pa_per_m", [r["design"].gain for r in ok], "Pa/m")
    t.add("in_window", [int(r["checks"]["window"]) for r in ok], "1")
    t.add("window_violation", np.array([r["design"].band_reason for r in ok], dtype=object),
          "1")
    t.add("energy_per_area_J_per_m2", [r["energy_per_area"] for r in ok], "J/m^2")
    t.add("cell_energy_J", [r["density"].energy_per_cell_J for r in ok], "J")
    for name, unit in (("cell_Wh_per_kg", "W*h/kg"), ("cell_Wh_per_L", "W*h/L"),
                       ("module_Wh_per_kg", "W*h/kg"), ("module_Wh_per_L", "W*h/L"),
                       ("pack_Wh_per_kg", "W*h/kg"), ("pack_Wh_per_L", "W*h/L"),
                       ("fixture_mass_kg", "kg"), ("fixture_added_volume_m3", "m^3"),
                       ("cell_mass_kg", "kg"), ("module_mass_kg", "kg")):
        t.add(name, [getattr(r["density"], name) for r in ok], unit)
    t.add("pack_to_cell_mass_ratio", [r["density"].pack_Wh_per_kg / r["density"].cell_Wh_per_kg
                                      for r in ok], "1")
    t.add("pack_to_cell_volume_ratio", [r["density"].pack_Wh_per_L / r["density"].cell_Wh_per_L
                                        for r in ok], "1")
    t.add("cells_per_fixture", [r["density"].cells_per_module for r in ok], "1")
    if ok and all(r["retention"] is not None for r in ok) and \
            any("retention" in r["checks"] for r in ok):
        t.add("capacity_retention", [r["retention"] for r in ok], "1")
    t.add("constraints_met", [int(r["constraints_met"]) for r in ok], "1")
    for col, key in (("cathode_contact_fraction", "cathode_contact"),
                     ("li_contact_fraction", "li_contact"),
                     ("discharge_pressure_max_Pa", "p_discharge_max"),
                     ("discharge_pressure_min_Pa", "p_discharge_min")):
        t.add(col, [r["record"][key] for r in ok], "Pa" if col.endswith("_Pa") else "1")
    bad = [r for r in rows if r["reason"]]
    sk = Table(description="architecture x preload points without an energy density, and why")
    sk.add("architecture", np.array([r["architecture"] for r in bad], dtype=object), "1")
    sk.add("architecture_id", [r["architecture_id"] for r in bad], "1")
    sk.add("stack_pressure_Pa", [r["preload"] for r in bad], "Pa")
    reasons = []
    for r in bad:
        why = [f for f in failures if f"P = {r['preload']:.4g} Pa" in f]
        reasons.append(r["reason"] + (f" ({why[0]})" if why and "no discharge" in r["reason"]
                                      else ""))
    sk.add("reason", np.array(reasons, dtype=object), "1")
    return t, sk


def _breakdown(rows) -> Table:
    """Mass and solid volume of every part, per feasible architecture x preload."""
    ok = [r for r in rows if not r["reason"]]
    t = Table(description="pressing hardware by part per module (or cell-to-pack row): mass "
                          "and volume (solid; pads as installed); fixture_added_volume_m3 is "
                          "the envelope it adds = the parts + envelope_other_volume_m3")
    t.add("architecture", np.array([r["architecture"] for r in ok], dtype=object), "1")
    t.add("architecture_id", [r["architecture_id"] for r in ok], "1")
    t.add("stack_pressure_Pa", [r["preload"] for r in ok], "Pa")
    names = sorted({n for r in ok for n in r["design"].parts()})
    for n in names:
        t.add(f"{n}_mass_kg", [r["design"].parts().get(n, (0.0, 0.0))[0] for r in ok], "kg")
        t.add(f"{n}_volume_m3", [r["design"].parts().get(n, (0.0, 0.0))[1] for r in ok], "m^3")
    t.add("fixture_mass_kg", [r["design"].mass_kg for r in ok], "kg")
    t.add("fixture_added_volume_m3", [r["design"].fixture.added_volume_m3 for r in ok], "m^3")
    # what the added envelope holds besides the parts' solid volume: gas, clearances, the
    # springs' stroke, the voids of a vessel's bounding box (parts + this = added volume)
    t.add("envelope_other_volume_m3",
          [r["design"].fixture.added_volume_m3
           - sum(v for _, v in r["design"].parts().values()) for r in ok], "m^3")
    t.add("cells_per_fixture", [r["design"].fixture.cells_per_module for r in ok], "1")
    return t


def _pressure_cycle(rows, case) -> Table:
    """The stack pressure over the cycle of every feasible design (start and end of life)."""
    half = 3600.0 / case.tradeoff.c_rate
    ids, pre, soc, tt, pres, eol = [], [], [], [], [], []
    for r in rows:
        d = r["design"]
        if not d.feasible or "stack_pressure_Pa" not in d.history:
            continue
        h = d.history
        n = len(h["stack_pressure_Pa"])
        times = h.get("time_s", np.asarray(h["soc"]) * half)
        for key, flag in (("stack_pressure_Pa", 0), ("stack_pressure_end_of_life_Pa", 1)):
            if key not in h:
                continue
            ids += [r["architecture_id"]] * n
            pre += [r["preload"]] * n
            soc += list(h["soc"])
            tt += list(times)
            pres += list(h[key])
            eol += [flag] * n
    t = Table(description="stack pressure over the cycle per architecture and preload "
                          "(end_of_life = 1: after the pads' compression set); the fixed-gap "
                          "frame over its marched cycles in time")
    t.add("architecture_id", ids, "1")
    t.add("preload_Pa", pre, "Pa")
    t.add("soc", soc, "1")
    t.add("time_s", tt, "s")
    t.add("stack_pressure_Pa", pres, "Pa")
    t.add("end_of_life", eol, "1")
    return t


def pareto_front(retention: np.ndarray, energy: np.ndarray) -> np.ndarray:
    """Indices of the non-dominated points (max retention, max energy), by retention."""
    idx = []
    for i in range(len(retention)):
        dominated = np.any((retention >= retention[i]) & (energy >= energy[i])
                           & ((retention > retention[i]) | (energy > energy[i])))
        if not dominated:
            idx.append(i)
    idx = np.array(idx, dtype=int)
    return idx[np.argsort(retention[idx])] if len(idx) else idx


def _pareto_table(rows) -> Table:
    """Pack Wh/kg against retention: the non-dominated designs among those in the window."""
    pool = [r for r in rows if not r["reason"] and r["checks"]["window"]
            and r["retention"] is not None]
    t = Table(description="Pareto front of pack Wh/kg against capacity retention (designs "
                          "whose pressure stays in the window)")
    if pool:
        ret = np.array([r["retention"] for r in pool])
        e = np.array([r["pack_Wh_per_kg"] for r in pool])
        front = [pool[i] for i in pareto_front(ret, e)]
    else:
        front = []
    t.add("architecture", np.array([r["architecture"] for r in front], dtype=object), "1")
    t.add("architecture_id", [r["architecture_id"] for r in front], "1")
    t.add("stack_pressure_Pa", [r["preload"] for r in front], "Pa")
    t.add("capacity_retention", [r["retention"] for r in front], "1")
    t.add("pack_Wh_per_kg", [r["pack_Wh_per_kg"] for r in front], "W*h/kg")
    t.add("pack_Wh_per_L", [r["pack_Wh_per_L"] for r in front], "W*h/L")
    return t


# ----------------------------------------------------------------------- studies
def _best_of(rows, metric: str) -> object | None:
    met = [r for r in rows if not r["reason"] and r["constraints_met"]]
    pool = met or [r for r in rows if not r["reason"]]
    return max(pool, key=lambda r: r[metric]) if pool else None


def _sensitivity(case, comm, p, P, cell, designs, results, retention, pk, opt, win, opts,
                 discharge):
    """The optimum when one input changes.

    Best architecture and preload under the constraints for another cell face area, cells
    per module, C-rate or interface improvement s.
    """
    t = case.tradeoff
    sens = Table(description="sensitivity of the optimum (pack Wh/kg over architecture x "
                             "preload under the constraints)")
    failures: list[str] = []
    if opt is None:
        for name, unit in (("parameter", "1"), ("value", "1"), ("architecture", "1"),
                           ("optimal_stack_pressure_Pa", "Pa"),
                           ("optimal_pack_Wh_per_kg", "W*h/kg"),
                           ("optimal_pack_Wh_per_L", "W*h/L"), ("constraints_met", "1")):
            sens.add(name, np.array([], dtype=object if unit == "1" and name in
                                    ("parameter", "architecture") else float), unit)
        return sens, failures
    archs = list(t.architectures)
    out = [("baseline", 1.0, opt["row"])]
    # the electrochemistry of the variants (C-rates, improvements): the optimum's
    # architecture (cell area and cells per module re-size every architecture)
    best_arch = opt["row"]["architecture"]
    jobs = [(c, best_arch, i, 1.0) for c in p.c_rates for i in range(len(P))
            if designs[(best_arch, i)].feasible]
    jobs += [(t.c_rate, best_arch, i, s) for s in p.improvements for i in range(len(P))
             if designs[(best_arch, i)].feasible]
    hi = _map_top(case)
    jobs = [g for g in jobs if g[3] * designs[(g[1], g[2])].pressure_max <= hi]
    extra, fails = discharge(jobs)
    failures += fails

    def best_with(results_v, rate, imp, cell_v=cell, designs_v=designs, archs_v=archs):
        res = {(t.c_rate, a, i, 1.0): v for (c, a, i, s), v in results_v.items()
               if c == rate and s == imp}
        rows = _rows(case, P, archs_v, designs_v, res, retention, cell_v, pk, p.cycles)
        return _best_of(rows, t.objective)

    for f in p.area_factors:
        c2 = cell_design(case, f)
        st2 = module_stack(case, c2, case.system.fixture.cells_per_module)
        d2 = design_grid(case, st2, P, win.band, opts, archs, comm)
        out.append(("area_factor", f, best_with(results, t.c_rate, 1.0, c2, d2)))
    for n in p.cells_per_module:
        st2 = module_stack(case, cell, n)
        o2 = pressing_options(case, n)
        d2 = design_grid(case, st2, P, win.band, o2, archs, comm)
        out.append(("cells_per_module", float(n), best_with(results, t.c_rate, 1.0, cell, d2)))
    for c in p.c_rates:
        out.append(("c_rate", c, best_with(extra, c, 1.0, archs_v=[best_arch])))
    for s in p.improvements:
        out.append(("interface_improvement", s, best_with(extra, t.c_rate, s,
                                                           archs_v=[best_arch])))
    out = [o for o in out if o[2] is not None]
    sens.add("parameter", np.array([o[0] for o in out], dtype=object), "1")
    sens.add("value", [o[1] for o in out], "1")
    sens.add("architecture", np.array([o[2]["architecture"] for o in out], dtype=object), "1")
    sens.add("optimal_stack_pressure_Pa", [o[2]["preload"] for o in out], "Pa")
    sens.add("optimal_pack_Wh_per_kg", [o[2]["pack_Wh_per_kg"] for o in out], "W*h/kg")
    sens.add("optimal_pack_Wh_per_L", [o[2]["pack_Wh_per_L"] for o in out], "W*h/L")
    sens.add("constraints_met", [int(o[2]["constraints_met"]) for o in out], "1")
    return sens, failures


def _map_top(case) -> float:
    from interface.models import electrochem as ec_model

    s = ec_model.settings(case, two_way=False)
    cm = ec_model.contact_model(s)
    hi = cm.cathode.pressure_range[1]
    if s.design.half_cell:
        hi = min(hi, cm.lithium.pressure_range[1])
    return hi


def _pressure_free(case, p, comm, cellmodel, s, cell, stack, opts, win, pk, opt) -> dict:
    """What a "pressure-free" design needs to match the lab pressure.

    The interface improvement s* with which a cell at P_target (<= 1 MPa) delivers the
    energy the baseline delivers at the lab pressure, in the optimum's architecture.
    Bisection in log s on rank 0 (the result is broadcast); each evaluation is one
    two-way discharge at the target preload with the contact laws seeing s P.
    """
    from interface.electrochem.protocols import breathing_discharges
    from interface.system.architectures import design
    from interface.system.energy import energy_density

    t = case.tradeoff
    target = t.pressure_free_target
    p_ref = t.reference_pressure or t.pressure_max
    out = {"target_stack_pressure_Pa": target, "reference_stack_pressure_Pa": p_ref}
    if opt is None:
        out["status"] = "no optimum to compare with"
        return out
    arch = opt["row"]["architecture"]
    out["architecture"] = arch
    from interface.collective import on_rank0

    def study() -> dict:  # rank 0 only; its result or error is broadcast (on_rank0)
        res = None
        d_t = design(arch, stack, target, win.band, opts)
        d_r = design(arch, stack, p_ref, win.band, opts)
        if not (d_t.feasible and d_r.feasible):
            res = {"status": "infeasible hardware: " + (d_t.reason or d_r.reason)}
        else:
            g_t, g_r = _gain(case, d_t), _gain(case, d_r)
            s_max = 0.5 * _map_top(case) / max(d_t.pressure_max, target)

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
                    packing = pk["cell_to_pack" if d_t.packing == "cell_to_pack" else "module"]
                    e_cell = energy(target, g_t, s_star) * cell.face_area_m2 \
                        * case.system.cell.repeat_units
                    res["pack_Wh_per_kg_at_target_improved"] = energy_density(
                        e_cell, cell, d_t.fixture, packing,
                        cells_per_module=d_t.fixture.cells_per_module).pack_Wh_per_kg
            except SolverError as exc:
                res = {"status": f"solver failure: {exc}"}
        return res

    res = on_rank0(comm, study)
    out.update(res or {"status": "not computed"})
    out["baseline_optimal_pack_Wh_per_kg"] = opt["row"]["pack_Wh_per_kg"]
    return out


def warm_up(case, comm) -> None:
    """Import PyBaMM and build the model (sweeps call this before the ensemble)."""
    from interface.models import electrochem as ec_model

    s = ec_model.settings(case, two_way=False)
    ec_model.build_cell(s, case, stack_breathing=breathing_table(case, s))


def plot(result: Result, folder: Path) -> list[Path]:
    """figures/tradeoff.png (headline), tradeoff_hardware.png and tradeoff_sensitivity.png."""
    from interface.plotting.tradeoff import plot_tradeoff

    return plot_tradeoff(result, folder)
