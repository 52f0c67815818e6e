"""The electrochemistry model: discharge, cycling and two-way stack coupling vs stack pressure.

A sulfide solid-state cell (PyBaMM, :mod:`interface.electrochem`) whose cathode
kinetics and capacity follow the cathode contact map and whose Li interface
follows the Li contact law.  The model is built once per rank and solved for

* every (stack pressure, C-rate) of ``[electrochem]`` (one-way: constant load);
* ``cycles`` CC cycles at every pressure, contact loss carried from cycle to cycle;
* with ``[stack]`` + ``[fixture]``: a discharge at every C-rate (and the cycles)
  with the stack pressure following the state of charge through the FE stack
  model (built once, ``solve(soc)`` per coupling step).

MPI: the pressures (and the coupled runs) are distributed over the ranks, each
rank builds its own PyBaMM model once, the results are gathered on every rank;
the tables equal the serial ones.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from interface.errors import InputError, SolverError
from interface.mechanics.contact_laws import (
    AnalyticCathodeMap,
    AnalyticLithiumLaw,
    ConstantCathodeMap,
    ConstantLithiumLaw,
    FittedLithiumLaw,
    TabulatedCathodeMap,
)
from interface.progress import Progress
from interface.results.result import Result, Table

#: PyBaMM parameter name -> CellDesign field: overrides that the design's derived
#: quantities (capacity, 1C, stoichiometry window, Li inventory) must see.
DESIGN_FIELDS = {
    "Positive electrode thickness [m]": "cathode_thickness",
    "Positive electrode active material volume fraction": "cathode_active_fraction",
    "Positive electrode porosity": "cathode_electrolyte_fraction",
    "Positive electrode Bruggeman coefficient (electrolyte)": "cathode_bruggeman",
    "Positive electrode conductivity [S.m-1]": "cathode_conductivity",
    "Maximum concentration in positive electrode [mol.m-3]": "max_concentration",
    "Positive particle radius [m]": "particle_radius",
    "Positive particle diffusivity [m2.s-1]": "particle_diffusivity",
    "Separator thickness [m]": "separator_thickness",
    "Separator porosity": "separator_electrolyte_fraction",
    "Separator Bruggeman coefficient (electrolyte)": "separator_bruggeman",
    "Initial concentration in electrolyte [mol.m-3]": "electrolyte_concentration",
    "Exchange-current density for lithium metal electrode [A.m-2]":
        "lithium_exchange_current",
    "Negative electrode active material volume fraction": "anode_active_fraction",
    "Negative electrode porosity": "anode_electrolyte_fraction",
    "Negative electrode Bruggeman coefficient (electrolyte)": "anode_bruggeman",
    "Maximum concentration in negative electrode [mol.m-3]": "anode_max_concentration",
    "Negative particle radius [m]": "anode_particle_radius",
    "Negative particle diffusivity [m2.s-1]": "anode_particle_diffusivity",
}
#: Parameters whose function cannot be replaced by a number (the stoichiometry window
#: and the input checks use the functions).
FUNCTIONS_ONLY = ("Positive electrode OCP [V]", "Negative electrode OCP [V]")
#: PyBaMM parameters that come from [stack] when the case has one.
STACK_GEOMETRY = {
    "Electrode height [m]": "stack.area", "Electrode width [m]": "stack.area",
    "Positive electrode thickness [m]": "the cathode layer's thickness",
    "Positive electrode active material volume fraction":
        "the cathode layer's active_volume_fraction",
    "Positive electrode porosity": "the cathode layer's active_volume_fraction and porosity",
    "Separator thickness [m]": "the separator layers' thickness",
    "Negative electrode thickness [m]": "the anode layer's thickness",
    "Negative electrode active material volume fraction": "the anode layer",
    "Negative electrode porosity": "the anode layer",
}


# ------------------------------------------------------------------------ settings
@dataclass
class Settings:
    """Everything a run needs, resolved from the case (SI units, no PyBaMM objects)."""

    design: Any
    cathode: Any
    lithium: Any
    contact_kwargs: dict
    overrides: dict
    pressures: tuple[float, ...]
    c_rates: tuple[float, ...]
    cycles: int
    coupled: bool
    coupled_c_rates: tuple[float, ...] = ()
    coupled_cycles: int = 0
    stoichiometry_soc: tuple[float, float] = (0.0, 1.0)
    notes: list[str] = field(default_factory=list)


def _case_dir(case) -> Path:
    return Path(case.path).resolve().parent if case.path else Path.cwd()


def cathode_map(case):
    """The cathode contact map of a case (the contract object)."""
    c = case.contact.cathode
    if c.map == "analytic":
        return AnalyticCathodeMap(f0=c.f0, p_half=c.p_half,
                                  shrink_sensitivity=c.shrink_sensitivity, phi_max=c.phi_max)
    if c.map == "constant":
        return ConstantCathodeMap(contact=c.contact_fraction, isolated=c.isolated_fraction)
    path = Path(c.results)
    if not path.is_absolute():
        path = _case_dir(case) / path
    try:
        return TabulatedCathodeMap.from_results(path, table=c.table)
    except InputError as exc:
        raise InputError(f"{exc.message} ({path})", key="contact.cathode.results") from None
    except OSError as exc:
        raise InputError(f"cannot read the contact map {path}: {exc}",
                         key="contact.cathode.results") from None


def lithium_law(case):
    """The Li contact law of a case (the contract object)."""
    li = case.contact.lithium
    if li.law == "analytic":
        return AnalyticLithiumLaw(p0=li.p0, t_c=li.creep_time, q=li.creep_exponent)
    if li.law == "fitted":
        try:
            return FittedLithiumLaw(roughness=li.roughness)
        except InputError as exc:
            raise InputError(exc.message, key="contact.lithium.roughness") from None
    if li.law == "results":
        path = Path(li.results)
        if not path.is_absolute():
            path = _case_dir(case) / path
        try:
            return FittedLithiumLaw.from_results(path)
        except InputError as exc:
            raise InputError(f"{exc.message} ({path})", key="contact.lithium.results") from None
        except (OSError, KeyError) as exc:
            raise InputError(f"cannot read the Li contact law from {path}: {exc}",
                             key="contact.lithium.results") from None
    return ConstantLithiumLaw(contact=li.contact_fraction)


def _stack_layers(case):
    """(cathode, separators, anode) layers of the stack's repeat unit."""
    from interface.case.stack import (
        AnodeFreeLayer,
        CompositeElectrodeLayer,
        LithiumMetalLayer,
        SolidLayer,
    )

    layers = case.stack.layers
    cat = [i for i, la in enumerate(layers)
           if isinstance(la, CompositeElectrodeLayer) and la.role == "cathode"]
    an = [i for i, la in enumerate(layers)
          if isinstance(la, LithiumMetalLayer | AnodeFreeLayer)
          or (isinstance(la, CompositeElectrodeLayer) and la.role == "anode")]
    if len(cat) != 1 or len(an) != 1:
        raise InputError(f"the electrochemistry needs exactly one cathode and one anode layer "
                         f"in the repeat unit (found {len(cat)} and {len(an)})",
                         key="stack.layers")
    i, j = cat[0], an[0]
    seps = [la for la in layers[min(i, j) + 1:max(i, j)] if isinstance(la, SolidLayer)]
    if not seps:
        raise InputError("no separator layer between the cathode and the anode",
                         key="stack.layers")
    return layers[i], seps, layers[j]


def design_from_case(case):
    """The CellDesign of a case: parameter-set defaults, [stack] geometry, PyBaMM overrides."""
    from interface.case.electrochem import pybamm_value
    from interface.case.stack import AnodeFreeLayer, CompositeElectrodeLayer, LithiumMetalLayer
    from interface.electrochem.parameters import CellDesign
    from interface.materials import get_material

    ec = case.electrochem
    kw: dict[str, Any] = {"variant": ec.variant, "temperature": ec.temperature,
                          "lower_voltage": ec.lower_voltage, "upper_voltage": ec.upper_voltage}
    stoich = (0.0, 1.0)
    if case.stack is not None:
        cathode, seps, anode = _stack_layers(case)
        ck = f"stack.layers.{cathode.name}"
        if get_material(cathode.active_material, case.materials,
                        key=f"{ck}.active_material").name != "NMC811":
            raise InputError(f"the electrochemistry parameter sets are for NMC811, got "
                             f"'{cathode.active_material}'", key=f"{ck}.active_material")
        expected = ("li_metal" if isinstance(anode, LithiumMetalLayer) else "anode_free"
                    if isinstance(anode, AnodeFreeLayer) else "graphite")
        if expected != ec.variant:
            raise InputError(f"variant '{ec.variant}' does not match the stack's anode layer "
                             f"'{anode.name}' ({anode.kind}; use variant = \"{expected}\")",
                             key="electrochem.variant")
        kw.update(area=case.stack.area, cathode_thickness=cathode.thickness,
                  cathode_active_fraction=cathode.active_volume_fraction,
                  cathode_electrolyte_fraction=1.0 - cathode.active_volume_fraction
                  - cathode.porosity,
                  separator_thickness=float(sum(s.thickness for s in seps)))
        if isinstance(anode, LithiumMetalLayer):
            kw["lithium_thickness"] = anode.thickness
        elif isinstance(anode, CompositeElectrodeLayer):
            ak = f"stack.layers.{anode.name}"
            if get_material(anode.active_material, case.materials,
                            key=f"{ak}.active_material").name != "graphite":
                raise InputError(f"the composite-anode parameter set is for graphite, got "
                                 f"'{anode.active_material}'", key=f"{ak}.active_material")
            kw.update(anode_thickness=anode.thickness,
                      anode_active_fraction=anode.active_volume_fraction,
                      anode_electrolyte_fraction=1.0 - anode.active_volume_fraction
                      - anode.porosity)
        stoich = (cathode.stoichiometry_soc0, cathode.stoichiometry_soc1)
    overrides = {}
    for name, value in ec.pybamm.items():
        key = f"electrochem.pybamm.{name}"
        v = pybamm_value(name, value, key)
        if case.stack is not None and name in STACK_GEOMETRY:
            raise InputError(f"with a [stack] table this parameter comes from "
                             f"{STACK_GEOMETRY[name]}; change it there", key=key)
        if name in FUNCTIONS_ONLY:
            raise InputError("the OCP function belongs to the parameter set (the "
                             "stoichiometry window and the input checks use it); it cannot be "
                             "replaced by a number", key=key)
        attr = DESIGN_FIELDS.get(name)
        if name == "Negative electrode thickness [m]":
            attr = "anode_thickness" if ec.variant == "graphite" else "lithium_thickness"
        elif name == "Negative electrode conductivity [S.m-1]":
            attr = "anode_conductivity" if ec.variant == "graphite" else "lithium_conductivity"
        elif name == "Electrolyte conductivity [S.m-1]":
            kw.update(electrolyte_conductivity=v, electrolyte_activation_energy_eV=0.0)
            continue
        if attr is not None:
            kw[attr] = v
        else:
            overrides[name] = v
    if "Electrode height [m]" in overrides or "Electrode width [m]" in overrides:
        h = overrides.pop("Electrode height [m]", 1e-2)
        w = overrides.pop("Electrode width [m]", 1e-2)
        kw["area"] = h * w
    design = CellDesign(**kw)
    for name in ("cathode_electrolyte_fraction", "anode_electrolyte_fraction"):
        if not 0.0 < getattr(design, name) <= 1.0:
            raise InputError(f"{name} = {getattr(design, name):.4g} must be in (0, 1]",
                             key="electrochem.pybamm")
    return design, overrides, stoich


@functools.cache
def _known_names(variant: str, model: str) -> frozenset[str]:
    from interface.electrochem.cell import known_parameter_names
    from interface.electrochem.parameters import CellDesign

    return frozenset(known_parameter_names(CellDesign(variant=variant), model))


def _check_pybamm_names(case) -> None:
    from interface.electrochem.cell import CONTROLLED
    from interface.schema import suggest

    ec = case.electrochem
    known = _known_names(ec.variant, ec.model)
    for name in ec.pybamm:
        key = f"electrochem.pybamm.{name}"
        if name in CONTROLLED:
            raise InputError(f"set by the model from {CONTROLLED[name]}; not a free "
                             "parameter", key=key)
        if name not in known:
            raise InputError(f"unknown PyBaMM parameter '{name}'{suggest(name, known)} (the "
                             f"{ec.variant} {ec.model} model reads {len(known)} parameters; "
                             "see docs/theory/electrochem_parameters.md)", key=key)


def _smoke_subset(values: tuple, n: int) -> tuple:
    if len(values) <= n:
        return tuple(values)
    idx = np.unique(np.round(np.linspace(0, len(values) - 1, n)).astype(int))
    return tuple(values[i] for i in idx)


def settings(case, *, two_way: bool | None = None) -> Settings:
    """Resolve a case into run settings (raises InputError for anything invalid).

    ``two_way``: None (the electrochem model) requires [stack] and [fixture] together;
    False (models that hold the fixture themselves, e.g. the trade-off) takes the
    geometry from [stack] and runs no two-way tasks.
    """
    ec = case.electrochem
    if two_way is None and (case.stack is None) != (case.fixture is None):
        missing = "fixture" if case.fixture is None else "stack"
        raise InputError(f"the two-way coupling needs both [stack] and [fixture]; [{missing}] "
                         "is missing", key=missing)
    _check_pybamm_names(case)
    design, overrides, stoich = design_from_case(case)
    lo, hi = design.ocv_range()
    v_lo, v_hi = design.voltage_limits
    for name, v in (("lower_voltage", v_lo), ("upper_voltage", v_hi)):
        if not lo < v < hi:
            raise InputError(f"{v:g} V is outside the OCV range ({lo:.4f}, {hi:.4f}) V of the "
                             f"{design.variant} cell", key=f"electrochem.{name}")
    if v_lo >= v_hi:
        raise InputError(f"lower cut-off {v_lo:g} V must be below the upper cut-off "
                         f"{v_hi:g} V", key="electrochem.lower_voltage")
    pressures = tuple(sorted(ec.pressures))
    cycles = coupled_cycles = ec.cycles
    coupled = case.stack is not None and two_way is not False
    coupled_rates = tuple(ec.c_rates) if coupled else ()
    if case.smoke:
        pressures = _smoke_subset(pressures, ec.smoke_pressures)
        cycles = min(cycles, ec.smoke_cycles)
        coupled_cycles = 0
        coupled_rates = coupled_rates and (max(coupled_rates),)
    li = case.contact.lithium
    return Settings(design=design, cathode=cathode_map(case), lithium=lithium_law(case),
                    contact_kwargs={"spot_radius": li.spot_radius,
                                    "constriction": li.constriction,
                                    "hold_time": li.hold_time},
                    overrides=overrides, pressures=pressures, c_rates=tuple(ec.c_rates),
                    cycles=cycles, coupled=coupled,
                    coupled_c_rates=coupled_rates, coupled_cycles=coupled_cycles,
                    stoichiometry_soc=stoich)


def contact_model(s: Settings):
    """The adapter's ContactModel of the settings."""
    from interface.electrochem.cell import contact_model_for

    return contact_model_for(s.design, s.cathode, s.lithium, **s.contact_kwargs)


def _closed_form_pressure_range(case, s: Settings, cell_window) -> tuple[float, float]:
    """Stack-pressure range over the operating window from the laminate closed form."""
    from interface.mechanics.laminate import fixture_compliance
    from interface.models.stack import laminate_of

    lam = laminate_of(case)
    cf = fixture_compliance(case.fixture.type, case.fixture.stiffness, case.stack.area)
    x0, x1 = s.stoichiometry_soc
    xs = np.linspace(*cell_window, 21)
    p = [case.fixture.preload + lam.pressure_change((x - x0) / (x1 - x0), cf) for x in xs]
    return max(min(p), 0.0), max(max(p), 0.0)


def check(case) -> None:
    """Validate what the schema cannot: PyBaMM names, voltage limits, map coverage, stack."""
    s = settings(case)
    cm = contact_model(s)
    half = s.design.half_cell
    for i, p in enumerate(s.pressures):
        cm.check_pressure(p, f"electrochem.pressures[{i}]", half)
    if half and isinstance(s.lithium, FittedLithiumLaw):
        lo, hi = s.lithium.time_range
        if not lo <= case.contact.lithium.hold_time <= hi:
            raise InputError(f"hold time {case.contact.lithium.hold_time:g} s is outside the "
                             f"fitted Li law's range [{lo:g}, {hi:g}] s",
                             key="contact.lithium.hold_time")
        lo, hi = s.lithium.temperature_range
        if not lo <= case.electrochem.temperature <= hi:
            raise InputError(f"temperature {case.electrochem.temperature:g} K is outside the "
                             f"fitted Li law's range [{lo:g}, {hi:g}] K",
                             key="electrochem.temperature")
    x_charged, x_discharged = s.design.stoichiometry_window()
    xr = s.cathode.stoichiometry_range
    if not (xr[0] <= x_charged + 1e-9 and x_discharged <= xr[1] + 1e-9):
        raise InputError(f"the contact map covers stoichiometry {xr[0]:g}..{xr[1]:g}, the cell "
                         f"runs over {x_charged:.4g}..{x_discharged:.4g}",
                         key="contact.cathode")
    if s.coupled:
        from interface.models.stack import check as stack_check

        stack_check(case)
        x0, x1 = s.stoichiometry_soc
        if x0 == x1:
            raise InputError("the cathode layer stores no charge", key="stack.layers")
        p_lo, p_hi = _closed_form_pressure_range(case, s, (x_charged, x_discharged))
        for p in (p_lo, p_hi):
            try:
                cm.check_pressure(p, "fixture.preload", half)
            except InputError as exc:
                raise InputError(f"{exc.message} (the stack pressure reaches "
                                 f"{p_lo / 1e6:.4g}..{p_hi / 1e6:.4g} MPa over the cycle, "
                                 "laminate estimate)", key="fixture.preload") from None


# -------------------------------------------------------------------- stack coupling
class StackPressureLaw:
    """P(x): stack pressure at mean NMC stoichiometry x from the FE stack model.

    The stack model is built once (on COMM_SELF: each rank runs its own coupled
    histories) and solved at the stack SOC that corresponds to x through the
    cathode layer's window, soc = (x - x_soc0) / (x_soc1 - x_soc0): the cathode's
    swelling and the plated Li then match the electrochemistry's state.  Negative
    pressures (plates lifting off) are clipped to 0.  States are memoised.
    """

    def __init__(self, case, stoichiometry_soc: tuple[float, float], contact=None,
                 half_cell: bool = True):
        from interface.backend import MPI
        from interface.models.stack import build_problem

        self.problem = build_problem(case, MPI.COMM_SELF)
        self.x0, self.x1 = stoichiometry_soc
        self.contact = contact
        self.half_cell = half_cell
        self.states: dict[float, Any] = {}

    def soc(self, x: float) -> float:
        """Stack-model SOC of mean stoichiometry x."""
        return (x - self.x0) / (self.x1 - self.x0)

    def state(self, x: float):
        """The StackState at mean stoichiometry x (memoised)."""
        x = float(x)
        if x not in self.states:
            self.states[x] = self.problem.solve(self.soc(x))
        return self.states[x]

    def __call__(self, x: float) -> float:
        """Stack pressure at x, Pa (>= 0; checked against the contact objects)."""
        p = max(float(self.state(x).stack_pressure), 0.0)
        if self.contact is not None:
            self.contact.check_pressure(p, "fixture.preload", self.half_cell)
        return p

    def destroy(self) -> None:
        """Free the FE solver."""
        self.problem.destroy()


# ----------------------------------------------------------------------------- run
def build_cell(s: Settings, case, **kwargs):
    """The SSBCell of the settings (PyBaMM model built once)."""
    from interface.electrochem.cell import SSBCell

    ec = case.electrochem
    kwargs = {"rtol": ec.rtol, "atol": ec.atol, "pressures": s.pressures, **kwargs}
    return SSBCell(s.design, contact_model(s), model=ec.model, overrides=s.overrides, **kwargs)


def warm_up(case, comm) -> None:
    """Import PyBaMM and build the model once (sweeps call this before the ensemble)."""
    s = settings(case)
    build_cell(s, case, fast_outputs=False)


@dataclass
class _Tasks:
    """The work of one run, in a fixed order (distributed round-robin over the ranks)."""

    items: list[tuple[str, int]]

    @classmethod
    def plan(cls, s: Settings) -> _Tasks:
        items = [("pressure", i) for i in range(len(s.pressures))]
        if s.coupled:
            items += [("coupled", j) for j in range(len(s.coupled_c_rates))]
            if s.coupled_cycles > 0:
                items.append(("coupled_cycling", 0))
        return cls(items)


def _solves_of(kind: str, s: Settings) -> int:
    if kind == "pressure":
        return len(s.c_rates) + (1 if s.cycles > 0 else 0)
    return 2 if kind == "coupled" else 1


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Run the electrochemistry of a case.

    Returns:
        Result with tables ``pressure_sweep``, ``voltage_curves`` and, as configured,
        ``cycling``, ``coupled_discharge``, ``coupled_history``, ``coupled_steps``.  A
        PyBaMM failure keeps every completed point and sets status "failed" with the
        step and the pressure in the message.
    """
    del fields  # no spatial fields: the electrochemistry is 1D per cell
    t_start = time.perf_counter()
    s = settings(case)
    ec = case.electrochem
    tasks = _Tasks.plan(s).items
    mine = [t for k, t in enumerate(tasks) if k % comm.size == comm.rank]
    progress = progress or Progress(0, "electrochem", comm, quiet=True)
    progress.reset(sum(_solves_of(kind, s) for kind, _ in mine))
    local: dict[tuple[str, int], dict] = {task: {"failures": []} for task in mine}
    cell = law = None
    t_build = 0.0
    if mine:
        t0 = time.perf_counter()
        cell = build_cell(s, case)
        t_build = time.perf_counter() - t0
        try:
            _sweep(cell, s, ec, [idx for kind, idx in mine if kind == "pressure"], local,
                   progress)
        except InputError as exc:
            for out in local.values():
                out["input_error"] = (exc.message, exc.key, exc.file)
    for kind, idx in mine:
        out = local[(kind, idx)]
        if "input_error" in out:
            continue
        try:
            if kind == "pressure":
                _cycling_task(cell, s, ec, idx, out, progress)
            else:
                if law is None:
                    law = StackPressureLaw(case, s.stoichiometry_soc, cell.contact,
                                           s.design.half_cell)
                if kind == "coupled":
                    _coupled_task(cell, law, s, ec, idx, out, progress)
                else:
                    _coupled_cycling_task(cell, law, s, ec, out, progress)
        except InputError as exc:
            out["input_error"] = (exc.message, exc.key, exc.file)
    if law is not None:
        law.destroy()
    parts = comm.allgather(local)
    results: dict[tuple[str, int], dict] = {}
    for part in parts:
        results.update(part)
    for task in tasks:
        err = results[task].get("input_error")
        if err is not None:
            raise InputError(err[0], key=err[1], file=err[2])
    failures = [f for task in tasks for f in results[task]["failures"]]
    result = _assemble(case, s, tasks, results)
    if failures:
        result.status = "failed"
        result.message = failures[0] + (f" (+{len(failures) - 1} more failures)"
                                        if len(failures) > 1 else "")
        result.info["failures"] = failures
    result.info.update({
        "mpi_ranks": comm.size, "pybamm_model": ec.model,
        "tasks": [f"{kind} {idx}" for kind, idx in tasks],
        "task_ranks": [k % comm.size for k in range(len(tasks))],
        "time_build_s": comm.allreduce(t_build, op=_max_op()),
        "time_total_s": time.perf_counter() - t_start,
    })
    return result


def _max_op():
    from interface.backend import MPI

    return MPI.MAX


def _sweep(cell, s, ec, mine: list[int], local: dict, progress) -> None:
    """One-way discharges at this rank's pressures, one solver batch per C-rate.

    If a batch fails, its pressures are solved one by one so that each failure is
    recorded against its pressure and the others are kept.
    """
    from interface.electrochem import protocols

    for i in mine:
        local[("pressure", i)]["discharges"] = []
    for c in s.c_rates:
        ps = [s.pressures[i] for i in mine]
        try:
            recs = protocols.discharges(cell, ps, c, points=ec.curve_points)
        except SolverError:
            recs = []
            for i, p in zip(mine, ps, strict=True):
                try:
                    recs.append(protocols.discharge(cell, p, c, points=ec.curve_points))
                except SolverError as exc:
                    local[("pressure", i)]["failures"].append(str(exc))
                    recs.append(None)
        for i, p, rec in zip(mine, ps, recs, strict=True):
            local[("pressure", i)]["discharges"].append(rec)
            progress.step(f"P = {p / 1e6:.4g} MPa, {c:g}C" + (
                f": {rec.capacity / 3.6:.4g} mAh" if rec is not None else ": failed"))


def _cycling_task(cell, s, ec, idx, out, progress) -> None:
    """The cycles at pressure s.pressures[idx] (constant load)."""
    from interface.electrochem import protocols

    if s.cycles <= 0:
        return
    p = s.pressures[idx]
    try:
        out["cycling"] = protocols.cycle(
            cell, s.cycles, p, c_rate_charge=ec.cycle_c_rate,
            c_rate_discharge=ec.cycle_c_rate,
            dead_lithium_fraction=ec.dead_lithium_fraction)[0]
    except SolverError as exc:
        out["failures"].append(str(exc))
    progress.step(f"P = {p / 1e6:.4g} MPa: {s.cycles} cycles")


def _coupled_task(cell, law, s, ec, idx, out, progress) -> None:
    """The two-way coupled discharge at C-rate s.c_rates[idx] and its one-way twin."""
    from interface.electrochem import protocols

    c = s.coupled_c_rates[idx]
    try:
        rec = protocols.coupled_discharge(cell, law, c, ec.coupling_step,
                                          scheme=ec.coupling_scheme)
        out["coupled"] = rec
        if rec.curve.coupling is not None and len(rec.curve.coupling):
            out["thickness"] = np.array([law.state(x).thickness_change
                                         for x in rec.curve.coupling[:, 1]])
        out["one_way"] = protocols.discharge(cell, rec.pressure, c, points=ec.curve_points)
    except SolverError as exc:
        out["failures"].append(str(exc))
    progress.step(f"coupled discharge {c:g}C")
    progress.step()


def _coupled_cycling_task(cell, law, s, ec, out, progress) -> None:
    from interface.electrochem import protocols

    try:
        out["cycling"] = protocols.cycle(
            cell, s.coupled_cycles, law, c_rate_charge=ec.cycle_c_rate,
            c_rate_discharge=ec.cycle_c_rate, dt=ec.coupling_step, scheme=ec.coupling_scheme,
            dead_lithium_fraction=ec.dead_lithium_fraction)[0]
    except SolverError as exc:
        out["failures"].append(str(exc))
    progress.step(f"coupled cycling, {s.coupled_cycles} cycles")


# ------------------------------------------------------------------------ results
def _assemble(case, s: Settings, tasks, results) -> Result:
    """Tables and summary from the gathered task results (same order on every rank)."""
    d = s.design
    area = d.area
    sweep_rows: list = []
    for kind, idx in tasks:
        if kind == "pressure":
            for rec in results[(kind, idx)].get("discharges", []):
                if rec is not None:
                    sweep_rows.append(rec)
    tables: dict[str, Table] = {}
    sw = Table(description="one-way discharges: one row per (stack pressure, C-rate), "
                           "constant load")
    sw.add("stack_pressure_Pa", [r.pressure for r in sweep_rows], "Pa")
    sw.add("c_rate", [r.c_rate for r in sweep_rows], "1")
    sw.add("current_A", [r.current for r in sweep_rows], "A")
    sw.add("current_density_A_per_m2", [r.current / area for r in sweep_rows], "A/m^2")
    _add_performance(sw, sweep_rows, area)
    sw.add("connected_fraction", [r.connected for r in sweep_rows], "1")
    sw.add("li_contact_fraction", [r.li_contact for r in sweep_rows], "1")
    sw.add("li_constriction_resistance_ohm_m2", [r.li_resistance for r in sweep_rows],
           "ohm*m^2")
    sw.add("cathode_contact_fraction_start",
           [_first(r.curve.cathode_contact) for r in sweep_rows], "1")
    sw.add("cathode_contact_fraction_end",
           [_last(r.curve.cathode_contact) for r in sweep_rows], "1")
    sw.add("li_thickness_change_m",
           [float(r.curve.li_thickness[-1] - r.curve.li_thickness[0]) for r in sweep_rows], "m")
    sw.add("termination", np.array([r.curve.termination for r in sweep_rows], dtype=object),
           "1")
    tables["pressure_sweep"] = sw

    vc = Table(description="voltage curves of the one-way discharges (long format: 'curve' "
                           "is the row of pressure_sweep)")
    _add_curves(vc, [(i, r.curve, {"c_rate": r.c_rate})
                     for i, r in enumerate(sweep_rows)])
    tables["voltage_curves"] = vc

    cyc = []
    for kind, idx in tasks:
        rec = results[(kind, idx)].get("cycling")
        if rec is not None:
            cyc.append((kind == "coupled_cycling", rec))
    if cyc:
        tables["cycling"] = _cycling_table(cyc)

    coupled = [(s.coupled_c_rates[idx], results[(kind, idx)]) for kind, idx in tasks
               if kind == "coupled" and "coupled" in results[(kind, idx)]]
    if coupled:
        tables.update(_coupled_tables(coupled, area, d))

    total = (len(s.pressures) * len(s.c_rates) + (len(s.pressures) if s.cycles else 0)
             + len(s.coupled_c_rates) + (1 if s.coupled and s.coupled_cycles else 0))
    done = len(sweep_rows) + len(cyc) + len(coupled)
    summary = _summary(s, sw, tables, done, total)
    info = {"pressures_Pa": list(s.pressures), "c_rates": list(s.c_rates),
            "cathode_map": s.cathode.source, "lithium_law": s.lithium.source,
            "parameter_overrides": {k: float(v) for k, v in s.overrides.items()}}
    return Result(model="electrochem", summary=summary, tables=tables, info=info)


def _first(a) -> float:
    a = np.asarray(a, float)
    return float(a[0]) if len(a) and np.isfinite(a[0]) else 0.0


def _last(a) -> float:
    a = np.asarray(a, float)
    return float(a[-1]) if len(a) and np.isfinite(a[-1]) else 0.0


def _add_performance(t: Table, recs, area: float) -> None:
    q = np.array([r.capacity for r in recs], float)
    e = np.array([r.energy for r in recs], float)
    t.add("discharge_capacity_C", q, "C")
    t.add("discharge_capacity_C_per_m2", q / area, "C/m^2")
    t.add("discharge_capacity_mAh_per_cm2", q / area / 3.6e4, "mA*h/cm^2")
    t.add("discharge_energy_J", e, "J")
    t.add("discharge_energy_Wh", e / 3600.0, "W*h")
    t.add("discharge_energy_J_per_m2", e / area, "J/m^2")
    t.add("mean_voltage_V", [r.mean_voltage for r in recs], "V")
    t.add("mean_power_W", [r.mean_power for r in recs], "W")
    t.add("mean_power_W_per_m2", [r.mean_power / area for r in recs], "W/m^2")
    t.add("duration_s", [r.curve.duration for r in recs], "s")


def _add_curves(t: Table, curves) -> None:
    """Long-format curve columns: (index, Curve, {extra column: value})."""
    cols: dict[str, list] = {k: [] for k in ("curve", "time_s", "voltage_V", "capacity_C",
                                             "energy_J", "cathode_contact_fraction",
                                             "li_contact_fraction", "stoichiometry",
                                             "stack_pressure_Pa")}
    extra_names = list(curves[0][2]) if curves else ["c_rate"]
    extras: dict[str, list] = {k: [] for k in extra_names}
    for i, c, extra in curves:
        n = len(c.time)
        cols["curve"].append(np.full(n, i))
        cols["time_s"].append(c.time)
        cols["voltage_V"].append(c.voltage)
        cols["capacity_C"].append(c.capacity - c.capacity[0])
        cols["energy_J"].append(c.energy - c.energy[0])
        cols["cathode_contact_fraction"].append(np.nan_to_num(c.cathode_contact, nan=0.0))
        cols["li_contact_fraction"].append(np.nan_to_num(c.li_contact, nan=0.0))
        cols["stoichiometry"].append(c.stoichiometry)
        cols["stack_pressure_Pa"].append(c.pressure)
        for k in extra_names:
            extras[k].append(np.full(n, extra[k]))
    units = {"curve": "1", "time_s": "s", "voltage_V": "V", "capacity_C": "C", "energy_J": "J",
             "cathode_contact_fraction": "1", "li_contact_fraction": "1", "stoichiometry": "1",
             "stack_pressure_Pa": "Pa"}
    for k in extra_names:
        t.add(k, np.concatenate(extras[k]) if extras[k] else np.zeros(0), "1")
    for k, v in cols.items():
        arr = np.concatenate(v) if v else np.zeros(0)
        t.add(k, arr.astype(int) if k == "curve" else arr, units[k])


def _cycling_table(cyc) -> Table:
    t = Table(description="cycling: one row per (condition, cycle); contact loss carried "
                          "from cycle to cycle")
    cols: dict[str, list] = {k: [] for k in (
        "condition", "coupled", "stack_pressure_Pa", "cycle", "discharge_capacity_C",
        "charge_capacity_C", "discharge_energy_J", "retention", "coulombic_efficiency",
        "connected_fraction", "min_stoichiometry", "stack_pressure_end_of_charge_Pa",
        "li_inventory_C", "dead_lithium_C")}
    for k, (coupled, rec) in enumerate(cyc):
        n = len(rec.discharge_capacity)
        cols["condition"].append(np.full(n, k))
        cols["coupled"].append(np.full(n, int(coupled)))
        cols["stack_pressure_Pa"].append(np.full(n, rec.pressure))
        cols["cycle"].append(np.arange(1, n + 1))
        cols["discharge_capacity_C"].append(rec.discharge_capacity)
        cols["charge_capacity_C"].append(rec.charge_capacity)
        cols["discharge_energy_J"].append(rec.discharge_energy)
        cols["retention"].append(rec.retention)
        cols["coulombic_efficiency"].append(rec.coulombic_efficiency)
        cols["connected_fraction"].append(rec.connected)
        cols["min_stoichiometry"].append(rec.min_stoichiometry)
        cols["stack_pressure_end_of_charge_Pa"].append(rec.pressure_end_of_charge)
        cols["li_inventory_C"].append(rec.li_inventory)
        cols["dead_lithium_C"].append(rec.dead_lithium)
    units = {"stack_pressure_Pa": "Pa", "discharge_capacity_C": "C", "charge_capacity_C": "C",
             "discharge_energy_J": "J", "stack_pressure_end_of_charge_Pa": "Pa",
             "li_inventory_C": "C", "dead_lithium_C": "C"}
    for k, v in cols.items():
        t.add(k, np.concatenate(v), units.get(k, "1"))
    return t


def _coupled_tables(coupled, area: float, design) -> dict[str, Table]:
    recs = [r["coupled"] for _, r in coupled]
    one = [r["one_way"] for _, r in coupled]
    cd = Table(description="two-way coupled discharges (stack pressure follows the SOC), one "
                           "row per C-rate, with the one-way discharge at the initial pressure")
    cd.add("c_rate", [c for c, _ in coupled], "1")
    cd.add("current_A", [r.current for r in recs], "A")
    _add_performance(cd, recs, area)
    cd.add("connected_fraction", [r.connected for r in recs], "1")
    cd.add("stack_pressure_start_Pa", [r.pressure for r in recs], "Pa")
    cd.add("stack_pressure_end_Pa", [r.curve.pressure[-1] for r in recs], "Pa")
    cd.add("stack_pressure_min_Pa", [r.curve.pressure.min() for r in recs], "Pa")
    cd.add("stack_pressure_max_Pa", [r.curve.pressure.max() for r in recs], "Pa")
    cd.add("coupling_steps", [r.curve.steps for r in recs], "1")
    cd.add("one_way_discharge_capacity_C", [r.capacity for r in one], "C")
    cd.add("one_way_discharge_energy_J", [r.energy for r in one], "J")
    cd.add("termination", np.array([r.curve.termination for r in recs], dtype=object), "1")
    hist = Table(description="histories of the coupled discharges (long format: 'curve' is "
                             "the row of coupled_discharge)")
    _add_curves(hist, [(i, r.curve, {"c_rate": c})
                       for i, ((c, _), r) in enumerate(zip(coupled, recs, strict=True))])
    steps = Table(description="coupling steps of the coupled discharges: the state at which "
                              "the stack model gave the pressure of the step")
    cols: dict[str, list] = {k: [] for k in ("curve", "step", "time_s", "stoichiometry",
                                             "soc", "stack_pressure_Pa", "thickness_change_m")}
    x1, x0 = design.stoichiometry_window()
    for i, (_, r) in enumerate(coupled):
        rows = r["coupled"].curve.coupling
        if rows is None or not len(rows):
            continue
        n = len(rows)
        cols["curve"].append(np.full(n, i))
        cols["step"].append(np.arange(n))
        cols["time_s"].append(rows[:, 0])
        cols["stoichiometry"].append(rows[:, 1])
        cols["soc"].append((x0 - rows[:, 1]) / (x0 - x1))
        cols["stack_pressure_Pa"].append(rows[:, 2])
        cols["thickness_change_m"].append(r.get("thickness", np.zeros(n)))
    units = {"time_s": "s", "stack_pressure_Pa": "Pa", "thickness_change_m": "m"}
    for k, v in cols.items():
        steps.add(k, np.concatenate(v) if v else np.zeros(0), units.get(k, "1"))
    return {"coupled_discharge": cd, "coupled_history": hist, "coupled_steps": steps}


def _summary(s: Settings, sw: Table, tables: dict, done: int, total: int) -> dict:
    d = s.design
    x1, x0 = d.stoichiometry_window()
    q_nom = d.nominal_capacity()
    out: dict[str, Any] = {
        "variant": d.variant,
        "points_completed": done,
        "points_total": total,
        "temperature_K": d.temperature,
        "nominal_capacity_C": q_nom,
        "nominal_capacity_C_per_m2": q_nom / d.area,
        "stoichiometry_charged": x1,
        "stoichiometry_discharged": x0,
        "lower_voltage_V": d.voltage_limits[0],
        "upper_voltage_V": d.voltage_limits[1],
    }
    if len(sw):
        c0 = s.c_rates[0]
        sel = np.asarray(sw["c_rate"]) == c0
        if sel.any():
            p = np.asarray(sw["stack_pressure_Pa"])[sel]
            q = np.asarray(sw["discharge_capacity_C"])[sel]
            e = np.asarray(sw["discharge_energy_J"])[sel]
            lo, hi = int(np.argmin(p)), int(np.argmax(p))
            out.update({
                "reference_c_rate": c0,
                "stack_pressure_min_Pa": float(p[lo]),
                "stack_pressure_max_Pa": float(p[hi]),
                "discharge_capacity_at_min_pressure_C": float(q[lo]),
                "discharge_capacity_at_max_pressure_C": float(q[hi]),
                "discharge_energy_at_min_pressure_J": float(e[lo]),
                "discharge_energy_at_max_pressure_J": float(e[hi]),
                "discharge_energy_at_min_pressure_Wh": float(e[lo]) / 3600.0,
                "discharge_energy_at_max_pressure_Wh": float(e[hi]) / 3600.0,
                "capacity_gain_max_vs_min_pressure":
                    float(q[hi] / q[lo] - 1.0) if q[lo] > 0 else 0.0,
            })
        v = np.asarray(sw["mean_voltage_V"])
        out.update({"mean_voltage_min_V": float(v.min()), "mean_voltage_max_V": float(v.max()),
                    "discharge_capacity_max_C": float(np.max(sw["discharge_capacity_C"])),
                    "discharge_energy_max_J": float(np.max(sw["discharge_energy_J"]))})
    if "cycling" in tables:
        cy = tables["cycling"]
        last = np.asarray(cy["cycle"]) == np.max(cy["cycle"])
        r = np.asarray(cy["retention"])[last]
        out.update({"cycles": int(np.max(cy["cycle"])),
                    "retention_final_min": float(r.min()),
                    "retention_final_max": float(r.max())})
    if "coupled_discharge" in tables:
        cd = tables["coupled_discharge"]
        q, q1 = float(cd["discharge_capacity_C"][0]), float(cd["one_way_discharge_capacity_C"][0])
        out.update({
            "coupled_discharge_capacity_C": q,
            "coupled_discharge_energy_J": float(cd["discharge_energy_J"][0]),
            "coupled_stack_pressure_start_Pa": float(cd["stack_pressure_start_Pa"][0]),
            "coupled_stack_pressure_end_Pa": float(cd["stack_pressure_end_Pa"][0]),
            "coupled_vs_one_way_capacity_change": q / q1 - 1.0 if q1 > 0 else 0.0,
        })
    return {k: (float(v) if isinstance(v, np.floating) else v) for k, v in out.items()
            if not (isinstance(v, float) and not math.isfinite(v))}


def plot(result: Result, folder: Path) -> list[Path]:
    """Voltage curves, capacity vs pressure, coupled histories, retention."""
    from interface.plotting.electrochem import plot_all

    return plot_all(result, folder)
