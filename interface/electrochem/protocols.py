"""Operating protocols on a built :class:`~interface.electrochem.cell.SSBCell`.

* :func:`discharge` - one-way coupling: CC discharge from the charged state at a
  constant stack pressure (a constant-load spring jig);
* :func:`coupled_discharge` - two-way coupling by stepping: PyBaMM advances one
  coupling step, the stack model gives the pressure at the new state of charge,
  the contact state is updated (docs/theory/electrochem.md, section 4);
* :func:`cycle` - CC charge / CC discharge cycles with contact loss carried from
  cycle to cycle, at constant pressure or with the pressure following the SOC.

All return plain data (numpy arrays in dataclasses, SI units); nothing here
writes files.  PyBaMM failures become :class:`~interface.errors.SolverError`
naming the step and the pressure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from interface.electrochem._pybamm import pybamm
from interface.electrochem.cell import MECHANICAL_PRESSURE, ContactState, SSBCell, solver_error
from interface.errors import SolverError

#: A stack-pressure law: mean NMC stoichiometry -> pressure, Pa.
PressureLaw = Callable[[float], float]

_NONPOSITIVE = "non-positive at initial conditions"
#: Below this connected (accessible) fraction of the active material the cathode holds
#: no capacity: the discharge delivers nothing, and the DAE (zero active area) is not
#: solved at all.
CONNECTED_MIN = 1e-6
_ISOLATED = "all active material isolated"


@dataclass
class Curve:
    """The history of one (dis)charge (SI units; time from the start of the curve).

    ``capacity`` and ``energy`` count discharge as positive (a charge has negative
    values); ``pressure`` is the stack pressure used at each point.
    """

    time: np.ndarray
    voltage: np.ndarray
    current: np.ndarray
    capacity: np.ndarray
    energy: np.ndarray
    cathode_contact: np.ndarray
    li_contact: np.ndarray
    stoichiometry: np.ndarray
    pressure: np.ndarray
    li_thickness: np.ndarray
    termination: str = ""
    steps: int = 1
    coupling: np.ndarray | None = None

    # ``coupling``: one row per coupling step (two-way runs only): start time of the
    # step (s, from the start of the curve), the mean NMC stoichiometry at which the
    # pressure was evaluated, and that pressure (Pa).

    @property
    def total_capacity(self) -> float:
        """Charge passed (discharge positive), C."""
        return float(self.capacity[-1] - self.capacity[0]) if len(self.capacity) else 0.0

    @property
    def total_energy(self) -> float:
        """Energy delivered (discharge positive), J."""
        return float(self.energy[-1] - self.energy[0]) if len(self.energy) else 0.0

    @property
    def duration(self) -> float:
        """Duration, s."""
        return float(self.time[-1] - self.time[0]) if len(self.time) else 0.0


@dataclass
class DischargeRecord:
    """One discharge at a stack pressure and C-rate (SI units).

    Attributes:
        pressure: stack pressure at the start, Pa.
        c_rate: C-rate (1C = the nominal capacity in one hour).
        current: discharge current, A.
        connected: connected NMC fraction during the discharge.
        li_contact, li_resistance: Li contact fraction and constriction ASR (Ohm m^2)
            at the start.
        curve: the history.
    """

    pressure: float
    c_rate: float
    current: float
    connected: float
    li_contact: float
    li_resistance: float
    curve: Curve

    @property
    def capacity(self) -> float:
        """Discharge capacity, C."""
        return self.curve.total_capacity

    @property
    def energy(self) -> float:
        """Discharge energy, J."""
        return self.curve.total_energy

    @property
    def mean_voltage(self) -> float:
        """Energy / capacity, V (0 for an empty discharge)."""
        return self.energy / self.capacity if self.capacity > 0 else 0.0

    @property
    def mean_power(self) -> float:
        """Energy / duration, W (0 for an empty discharge)."""
        d = self.curve.duration
        return self.energy / d if d > 0 else 0.0


@dataclass
class CyclingRecord:
    """Cycles at one fixture condition (SI units; one entry per cycle)."""

    pressure: float
    discharge_capacity: np.ndarray
    charge_capacity: np.ndarray
    discharge_energy: np.ndarray
    connected: np.ndarray
    min_stoichiometry: np.ndarray
    pressure_end_of_charge: np.ndarray
    li_inventory: np.ndarray
    dead_lithium: np.ndarray
    terminations: list[str] = field(default_factory=list)

    @property
    def retention(self) -> np.ndarray:
        """Discharge capacity relative to the first cycle."""
        q0 = self.discharge_capacity[0] if len(self.discharge_capacity) else 0.0
        return self.discharge_capacity / q0 if q0 > 0 else np.zeros_like(self.discharge_capacity)

    @property
    def coulombic_efficiency(self) -> np.ndarray:
        """Discharge / preceding charge capacity."""
        return np.divide(self.discharge_capacity, self.charge_capacity,
                         out=np.zeros_like(self.discharge_capacity),
                         where=self.charge_capacity > 0)


# ----------------------------------------------------------------------- helpers
def _entries(sol, name: str) -> np.ndarray:
    return np.asarray(sol[name].entries, float).ravel()


def _curve(cell: SSBCell, pieces: list[tuple], termination: str,
           coupling: list | None = None) -> Curve:
    """Concatenate solution pieces [(solution, pressure), ...] into a Curve."""
    cols: dict[str, list] = {k: [] for k in ("t", "v", "i", "q", "e", "fc", "fli", "x", "p",
                                             "h")}
    for sol, pressure in pieces:
        t = _entries(sol, "Time [s]")
        cols["t"].append(t)
        cols["v"].append(_entries(sol, "Voltage [V]"))
        cols["i"].append(_entries(sol, "Current [A]"))
        cols["q"].append(_entries(sol, "Discharge capacity [A.h]") * 3600.0)
        cols["e"].append(_entries(sol, "Discharge energy [W.h]") * 3600.0)
        cols["fc"].append(_entries(sol, "X-averaged cathode contact fraction"))
        cols["x"].append(_entries(sol, "Average positive particle stoichiometry"))
        if cell.breathing is not None:
            cols["p"].append(_entries(sol, MECHANICAL_PRESSURE))
        else:
            cols["p"].append(np.full(t.shape, float(pressure)))
        if cell.half_cell:
            cols["fli"].append(np.broadcast_to(_entries(sol, "Li contact fraction"), t.shape))
            cols["h"].append(_entries(sol, "Lithium anode thickness [m]"))
        else:
            cols["fli"].append(np.ones(t.shape))
            cols["h"].append(np.zeros(t.shape))
    cat = {k: np.concatenate(v) if v else np.zeros(0) for k, v in cols.items()}
    t0 = cat["t"][0] if len(cat["t"]) else 0.0
    return Curve(time=cat["t"] - t0, voltage=cat["v"], current=cat["i"], capacity=cat["q"],
                 energy=cat["e"], cathode_contact=cat["fc"], li_contact=cat["fli"],
                 stoichiometry=cat["x"], pressure=cat["p"], li_thickness=cat["h"],
                 termination=termination, steps=len(pieces),
                 coupling=None if coupling is None else np.array(coupling, float).reshape(-1, 3)
                 - np.array([t0, 0.0, 0.0]))


def _empty_curve(cell: SSBCell, pressure: float, x: float, termination: str) -> Curve:
    """A discharge that ends before it starts (the voltage is past a cut-off at t = 0)."""
    z = np.zeros(1)
    return Curve(time=z, voltage=np.full(1, cell.design.voltage_limits[0]), current=z.copy(),
                 capacity=z.copy(), energy=z.copy(), cathode_contact=np.full(1, np.nan),
                 li_contact=np.full(1, np.nan), stoichiometry=np.full(1, x),
                 pressure=np.full(1, pressure), li_thickness=z.copy(),
                 termination=termination, steps=0)


def _formation_connected(cell: SSBCell, pressure: float) -> float:
    """Connected fraction after the (OCV) formation charge to the charged stoichiometry."""
    return 1.0 - cell.contact.isolated(pressure, cell.x_charged)


# ------------------------------------------------------------------- one-way
def _discharge_setup(cell: SSBCell, pressure: float, c_rate: float, connected):
    """(current, connected, state, inputs, t_end) of a one-way discharge."""
    current = cell.current(c_rate)
    if connected is None:
        connected = _formation_connected(cell, pressure)
    state = cell.contact.state(pressure, connected, cell.half_cell)
    inputs = cell.inputs(state, current, cell.x_charged)
    # the horizon of a fully connected electrode: the same output times for every pressure
    t_end = cell.max_duration(current, cell.x_charged, 1.0)
    return current, connected, state, inputs, t_end


def _isolated_record(cell, pressure, c_rate, setup) -> DischargeRecord:
    """The record of a discharge with no connected active material: nothing delivered."""
    current, connected, state, _, _ = setup
    curve = _empty_curve(cell, pressure, cell.x_charged, _ISOLATED)
    curve.cathode_contact[:] = float(np.asarray(cell.contact.cathode.contact_fraction(
        state.pressure, cell.x_charged)).ravel()[0])
    curve.li_contact[:] = state.li_contact
    return DischargeRecord(pressure, c_rate, current, connected, state.li_contact,
                           state.li_resistance, curve)


def _discharge_record(cell, pressure, c_rate, setup, sol, exc=None) -> DischargeRecord:
    current, connected, state, _, _ = setup
    if exc is not None:
        if _NONPOSITIVE not in str(exc):
            raise solver_error(exc, "discharge", {"stack_pressure_Pa": pressure,
                                                  "c_rate": c_rate}) from None
        curve = _empty_curve(cell, pressure, cell.x_charged, "cut-off at start")
    else:
        curve = _curve(cell, [(sol, pressure)], sol.termination)
    return DischargeRecord(pressure, c_rate, current, connected, state.li_contact,
                           state.li_resistance, curve)


def discharge(cell: SSBCell, pressure: float, c_rate: float, *, points: int = 101,
              connected: float | None = None) -> DischargeRecord:
    """CC discharge from the charged state at constant stack pressure (one-way coupling).

    The isolated fraction of the formation charge, phi_iso(P, x_charged), is removed
    before the discharge (unless ``connected`` is given).  ``points``: output times
    (uniform over the longest possible discharge; the cut-off point is added).
    """
    setup = _discharge_setup(cell, pressure, c_rate, connected)
    t_end = setup[4]
    if setup[1] < CONNECTED_MIN:
        return _isolated_record(cell, pressure, c_rate, setup)
    try:
        sol = cell.solve(setup[3], t_end, t_interp=np.linspace(0.0, t_end, points))
    except pybamm.SolverError as exc:
        return _discharge_record(cell, pressure, c_rate, setup, None, exc)
    return _discharge_record(cell, pressure, c_rate, setup, sol)


def discharges(cell: SSBCell, pressures, c_rate: float, *,
               points: int = 101) -> list[DischargeRecord]:
    """:func:`discharge` at many pressures in one call of the solver (a batch of inputs).

    The built model and the solver are shared; the batch saves the per-call Python
    overhead of the solver.  If the batch fails (e.g. one pressure is past a cut-off
    at t = 0), the pressures are solved one by one, so every failure is attributed.
    """
    pressures = [float(p) for p in pressures]
    if not pressures:
        return []
    setups = [_discharge_setup(cell, p, c_rate, None) for p in pressures]
    live = [k for k, st in enumerate(setups) if st[1] >= CONNECTED_MIN]
    out = [_isolated_record(cell, p, c_rate, st) for p, st in zip(pressures, setups,
                                                                   strict=True)]
    if not live:
        return out
    t_end = setups[0][4]
    try:
        sols = cell.solve([setups[k][3] for k in live], t_end,
                          t_interp=np.linspace(0.0, t_end, points))
    except pybamm.SolverError:
        for k in live:
            out[k] = discharge(cell, pressures[k], c_rate, points=points)
        return out
    if not isinstance(sols, list):
        sols = [sols]
    for k, sol in zip(live, sols, strict=True):
        out[k] = _discharge_record(cell, pressures[k], c_rate, setups[k], sol)
    return out


def breathing_discharges(cell: SSBCell, points, c_rate: float, *,
                         points_per_curve: int = 101) -> list[DischargeRecord]:
    """Two-way discharges of a cell built with ``stack_breathing``, in one solver batch.

    ``points``: (preload Pa, pressure gain Pa/m, interface improvement s) per discharge.
    The stack pressure follows the mean stoichiometry inside the model (exact for an
    elastic stack; no coupling step).  The isolated fraction is that of the formation
    charge at the contact pressure of the charged state.  Falls back to one solve per
    point if the batch fails, so every failure is attributed.
    """
    if cell.breathing is None:
        raise ValueError("the cell was not built with stack_breathing")
    current = cell.current(c_rate)
    t_end = cell.max_duration(current, cell.x_charged, 1.0)
    t_interp = np.linspace(0.0, t_end, points_per_curve)
    setups = []
    for preload, gain, s in points:
        p_charged = cell.breathing_pressure(cell.x_charged, preload, gain)
        connected = _formation_connected(cell, s * p_charged)
        f = cell.contact.state(s * p_charged, connected, cell.half_cell)
        state = ContactState(float(preload), f.li_contact, f.li_resistance, connected)
        setups.append((current, connected, state,
                       cell.inputs(state, current, cell.x_charged, pressure_gain=gain,
                                   improvement=s), t_end))
    if not setups:
        return []
    live = [k for k, st in enumerate(setups) if st[1] >= CONNECTED_MIN]
    out = [_isolated_record(cell, pt[0], c_rate, st) for pt, st in zip(points, setups,
                                                                       strict=True)]
    if not live:
        return out
    try:
        sols = cell.solve([setups[k][3] for k in live], t_end, t_interp=t_interp)
        sols = sols if isinstance(sols, list) else [sols]
    except pybamm.SolverError:
        sols = []
        for k in live:
            try:
                sols.append(cell.solve(setups[k][3], t_end, t_interp=t_interp))
            except pybamm.SolverError as exc:
                sols.append(exc)
    for k, sol in zip(live, sols, strict=True):
        preload = points[k][0]
        if isinstance(sol, Exception):
            out[k] = _discharge_record(cell, preload, c_rate, setups[k], None, sol)
        else:
            out[k] = _discharge_record(cell, preload, c_rate, setups[k], sol)
    return out


# ------------------------------------------------------------------- two-way
def _run_half_cycle(cell: SSBCell, start, current: float, x_init: float, connected: float,
                    li0: float | None, pressure: float | PressureLaw, dt: float | None,
                    scheme: str, points_per_step: int, what: str):
    """One CC half-cycle from ``start``.

    Constant ``pressure``: one step to the cut-off.  A pressure law: coupling steps of
    ``dt`` s (explicit or midpoint, module :func:`coupled_discharge`).

    Returns:
        (pieces [(solution, P)], last solution, coupling rows [(t, x, P)] or None).
    """
    t_now = 0.0 if start is None else float(start.t[-1])
    x_now = x_init if start is None else float(_entries(start, "Average positive particle "
                                                               "stoichiometry")[-1])
    t_max = t_now + cell.max_duration(current, x_now, connected)
    law = pressure if callable(pressure) else None
    p_now = float(law(x_now)) if law else float(pressure)

    def advance(sol, p, step):
        state = cell.contact.state(p, connected, cell.half_cell)
        inputs = cell.inputs(state, current, x_init, li0)
        t_eval = np.linspace(0.0, step, points_per_step + 1)
        try:
            return cell.step(sol, inputs, step, t_eval=t_eval)
        except pybamm.SolverError as exc:
            raise solver_error(exc, what, {"stack_pressure_Pa": p, "time_s": t_now}) from None

    if law is None:
        piece = advance(start, p_now, t_max - t_now)
        return [(piece, p_now)], piece, None
    pieces, sol, rows = [], start, []
    while t_now < t_max - 1e-9:
        step = min(dt, t_max - t_now)
        piece = advance(sol, p_now, step)
        p_used, x_used = p_now, x_now
        if scheme == "midpoint":
            x_pred = float(_entries(piece, "Average positive particle stoichiometry")[-1])
            x_used = 0.5 * (x_now + x_pred)
            p_used = float(law(x_used))
            piece = advance(sol, p_used, step)
        pieces.append((piece, p_used))
        rows.append((t_now, x_used, p_used))
        sol = piece
        if piece.termination != "final time":
            break
        t_now = float(piece.t[-1])
        x_now = float(_entries(piece, "Average positive particle stoichiometry")[-1])
        p_now = float(law(x_now))
    return pieces, sol, rows


def coupled_discharge(cell: SSBCell, pressure_law: PressureLaw, c_rate: float, dt: float, *,
                      scheme: str = "midpoint", points_per_step: int = 4) -> DischargeRecord:
    """CC discharge from the charged state with the stack pressure following the SOC.

    Operator splitting over coupling steps of ``dt`` s on the one built model:

    * explicit (first order): P_n = P(x_n) from the state at t_n; the contact state
      at P_n (f_c(P_n, x) inside the model, f_Li(P_n), R_A) is passed as inputs and
      PyBaMM advances dt from the carried state;
    * midpoint (predictor-corrector, second order): a predictor step at P_n gives
      x*; the step is redone from the same state at P((x_n + x*) / 2).

    x is the mean NMC stoichiometry, from which the stack model's SOC follows.  The
    isolated fraction is that of the formation charge at the initial pressure, frozen
    during the discharge.  A constant pressure law reduces this to :func:`discharge`.
    """
    if scheme not in ("explicit", "midpoint"):
        raise ValueError(f"unknown coupling scheme {scheme!r}")
    current = cell.current(c_rate)
    x0 = cell.x_charged
    p0 = float(pressure_law(x0))
    connected = _formation_connected(cell, p0)
    state = cell.contact.state(p0, connected, cell.half_cell)
    try:
        pieces, sol, rows = _run_half_cycle(cell, None, current, x0, connected, None,
                                            pressure_law, dt, scheme, points_per_step,
                                            "coupled discharge")
    except SolverError as exc:
        if _NONPOSITIVE not in str(exc):
            raise
        curve = _empty_curve(cell, p0, x0, "cut-off at start")
    else:
        curve = _curve(cell, pieces, sol.termination, rows)
    return DischargeRecord(p0, c_rate, current, connected, state.li_contact,
                           state.li_resistance, curve)


# ------------------------------------------------------------------- cycling
def _start_half_cycle(cell, sol, current, x_start, connected, li0, pressure, dt, scheme,
                      points_per_step, what):
    """:func:`_run_half_cycle`, unless the half-cycle cannot start.

    Returns (its result, None), or (None, why): no connected active material, or the
    voltage past a cut-off at once.
    """
    if connected < CONNECTED_MIN:
        return None, _ISOLATED
    try:
        return _run_half_cycle(cell, sol, current, x_start, connected, li0, pressure, dt,
                               scheme, points_per_step, what), None
    except SolverError as exc:
        if _NONPOSITIVE not in str(exc):
            raise
        return None, "cut-off at start"


def _fill_dead(out: dict, n_left: int, *, qc: float, term: str, **state) -> None:
    """Rows of the ``n_left`` remaining cycles of a cell that can no longer cycle.

    Nothing is discharged; ``qc`` is the charge of the current cycle (0 after it);
    ``state`` (conn, xmin, pch, dead, inv) is frozen.
    """
    for k, v in {"qd": 0.0, "ed": 0.0, "term": term, **state}.items():
        out[k].extend([v] * n_left)
    out["qc"].extend([qc] + [0.0] * (n_left - 1))


def cycle(cell: SSBCell, n_cycles: int, pressure: float | PressureLaw, *,
          c_rate_charge: float, c_rate_discharge: float, dt: float | None = None,
          scheme: str = "midpoint", dead_lithium_fraction: float = 0.0,
          points_per_step: int = 4) -> tuple[CyclingRecord, list[Curve]]:
    """CC charge / CC discharge cycles from the discharged state, state carried throughout.

    Contact loss: at the end of each charge the fraction phi_iso(P, x_min) of the
    still-connected particles is isolated, c_{n+1} = c_n (1 - phi_iso(P, x_min)),
    with x_min the lowest particle-mean stoichiometry in the electrode and P the
    pressure at that moment: a particle that loses contact while shrunk cannot be
    relithiated, so it stays isolated (a ratchet).  Its Li stays trapped.  A
    fraction ``dead_lithium_fraction`` of the Li plated in each charge becomes dead
    Li (half cells).  The pressure is constant or follows the SOC by coupling steps
    of ``dt`` s.

    Returns the per-cycle record and the curves (charge, discharge, ...).
    """
    i_dis = cell.current(c_rate_discharge)
    i_ch = -cell.current(c_rate_charge)
    x_start = cell.x_discharged
    law = pressure if callable(pressure) else (lambda x, p=float(pressure): p)
    p_start = float(law(x_start))
    connected = 1.0
    li0 = None
    if cell.half_cell:
        li0 = (cell.design.lithium_foil_charge() / 3600.0 if cell.design.variant == "li_metal"
               else 0.0)
    out = {k: [] for k in ("qd", "qc", "ed", "conn", "xmin", "pch", "inv", "dead", "term")}
    curves: list[Curve] = []
    dead_total = 0.0
    sol = None
    coupled = callable(pressure)
    for n in range(int(n_cycles)):
        label = f"cycle {n + 1}"
        res, stop = _start_half_cycle(cell, sol, i_ch, x_start, connected, li0,
                                      law if coupled else p_start, dt, scheme,
                                      points_per_step, f"{label} charge")
        if res is None:  # cannot be charged: nothing delivered from here on
            _fill_dead(out, int(n_cycles) - n, qc=0.0, conn=connected, xmin=x_start,
                       pch=p_start, dead=dead_total, inv=(li0 or 0.0) * 3600.0, term=stop)
            break
        pieces, sol, rows = res
        charge = _curve(cell, pieces, sol.termination, rows)
        curves.append(charge)
        x_min = float(np.min(sol["R-averaged positive particle stoichiometry"].entries[:, -1]))
        p_end = float(law(float(charge.stoichiometry[-1])))
        qc = -charge.total_capacity
        dead = dead_lithium_fraction * qc if cell.half_cell else 0.0
        if cell.half_cell:
            li0 -= dead / 3600.0
            dead_total += dead
        connected *= 1.0 - cell.contact.isolated(p_end, x_min)
        res, stop = _start_half_cycle(cell, sol, i_dis, x_start, connected, li0,
                                      law if coupled else p_start, dt, scheme,
                                      points_per_step, f"{label} discharge")
        if res is None:  # cannot be discharged: this and every later cycle deliver nothing
            _fill_dead(out, int(n_cycles) - n, qc=qc, conn=connected, xmin=x_min, pch=p_end,
                       dead=dead_total, inv=(li0 or 0.0) * 3600.0, term=stop)
            break
        pieces, sol, rows = res
        dis = _curve(cell, pieces, sol.termination, rows)
        curves.append(dis)
        out["qd"].append(dis.total_capacity)
        out["qc"].append(qc)
        out["ed"].append(dis.total_energy)
        out["conn"].append(connected)
        out["xmin"].append(x_min)
        out["pch"].append(p_end)
        out["dead"].append(dead_total)
        out["term"].append(dis.termination)
        inv = (float(_entries(sol, "Anode lithium inventory [A.h]")[-1]) * 3600.0
               if cell.half_cell else 0.0)
        out["inv"].append(inv)
    rec = CyclingRecord(
        pressure=p_start, discharge_capacity=np.array(out["qd"]),
        charge_capacity=np.array(out["qc"]), discharge_energy=np.array(out["ed"]),
        connected=np.array(out["conn"]), min_stoichiometry=np.array(out["xmin"]),
        pressure_end_of_charge=np.array(out["pch"]), li_inventory=np.array(out["inv"]),
        dead_lithium=np.array(out["dead"]), terminations=out["term"])
    return rec, curves
