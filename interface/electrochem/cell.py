"""The coupling adapter: a PyBaMM cell whose kinetics and capacity follow the contact state.

What maps to what (docs/theory/electrochem.md, section 3):

* cathode contact map f_c(P, x) -> the NMC811 exchange-current density at the
  **local** particle-surface stoichiometry, j0_eff = f_c(P, x_surf) j0(x_surf): the
  Butler-Volmer current a f_c j0 2 sinh(F eta / 2RT) is that of an active interface
  area f_c a.  The map enters as one 2-D ``pybamm.Interpolant`` over (P, x) whose
  pressure child is the input parameter "Stack pressure [Pa]": the model is
  discretised once and solved for any pressure;
* isolated-particle fraction phi_iso -> "Positive electrode active material volume
  fraction" = eps_AM c with the input c = "Connected active material fraction":
  isolated particles take their capacity and their interface area a = 3 eps / R
  with them (the electrolyte fraction is unchanged: they still fill space);
* Li contact law f_Li(P, t, T) -> PyBaMM's Li-metal "interface utilisation"
  (option "constant"), u = f_Li: j_Li = u j0 2 sinh(F eta / 2RT), an effective
  exchange current f_Li j0;
* constriction resistance R_A(f_Li, a_spot, kappa(T)) (:mod:`.constriction`) ->
  PyBaMM's "contact resistance" option, V = ... - I R_A / A.

f_Li and R_A are scalar inputs computed in Python from the contract objects at
each solve or coupling step.  For verification the pressure (and with it f_Li and
R_A) can instead be a function of the model's own mean stoichiometry
(``pressure_of_stoichiometry``): a fully implicit, monolithic two-way coupling.

Only this package imports PyBaMM.  ParameterValues are built from a fresh dict
every time (never modified in place).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from interface.electrochem._pybamm import pybamm
from interface.electrochem.constriction import constriction_asr
from interface.electrochem.parameters import (
    FARADAY,
    LI_MOLAR_VOLUME,
    CellDesign,
    lpscl_conductivity,
    parameter_set,
)
from interface.errors import InputError, SolverError
from interface.mechanics.contact_laws import CathodeContactMap, LithiumContactLaw

# Input parameters of the built model.
IN_PRESSURE = "Stack pressure [Pa]"
IN_CURRENT = "Current function [A]"
IN_X0 = "Initial cathode stoichiometry"
IN_Y0 = "Initial anode stoichiometry"
IN_CONNECTED = "Connected active material fraction"
IN_LI_CONTACT = "Li contact fraction"
IN_LI_RESISTANCE = "Li interface constriction resistance [Ohm]"
IN_LI0 = "Initial anode lithium inventory [A.h]"
IN_VMIN = "Lower voltage cut-off [V]"
IN_VMAX = "Upper voltage cut-off [V]"
IN_PRESSURE_GAIN = "Stack pressure gain [Pa.m-1]"
IN_IMPROVEMENT = "Interface improvement factor"
MECHANICAL_PRESSURE = "Mechanical stack pressure [Pa]"

#: Floor of the contact fractions handed to the model (j0 = 0 is singular).
F_MIN = 1e-6
#: Slack of the "Anode lithium exhausted" event, A.h.
LI_INVENTORY_TOL_AH = 1e-12
#: PyBaMM parameters the adapter sets itself (a case may not override them).
CONTROLLED = {
    "Current function [A]": "electrochem.c_rates",
    "Lower voltage cut-off [V]": "electrochem.lower_voltage",
    "Upper voltage cut-off [V]": "electrochem.upper_voltage",
    "Ambient temperature [K]": "electrochem.temperature",
    "Initial temperature [K]": "electrochem.temperature",
    "Contact resistance [Ohm]": "contact.lithium",
    "Initial negative electrode interface utilisation": "contact.lithium",
    "Initial concentration in positive electrode [mol.m-3]": "the protocol (charged state)",
    "Initial concentration in negative electrode [mol.m-3]": "the protocol (charged state)",
    "Nominal cell capacity [A.h]": "the voltage limits (it defines 1C)",
}
DEFAULT_VAR_PTS = {"x_n": 20, "x_s": 10, "x_p": 20, "r_n": 15, "r_p": 15}
#: States that count charge and energy: their absolute tolerance is set much tighter.
INTEGRAL_STATES = ("Discharge capacity [A.h]", "Throughput capacity [A.h]",
                   "Discharge energy [W.h]", "Throughput energy [W.h]")


def pybamm_options(design: CellDesign) -> dict:
    """The PyBaMM model options of a design."""
    opts = {"calculate discharge energy": "true"}
    if design.half_cell:
        opts.update({"working electrode": "positive", "contact resistance": "true",
                     "interface utilisation": ("constant", "full")})
    return opts


def make_model(design: CellDesign, model: str = "DFN", name: str = "") -> pybamm.BaseModel:
    """A new, unparameterised PyBaMM lithium-ion model of the design's cell."""
    cls = {"DFN": pybamm.lithium_ion.DFN, "SPMe": pybamm.lithium_ion.SPMe}[model]
    return cls(pybamm_options(design), name=name or f"SSB {design.variant} {model}")


def known_parameter_names(design: CellDesign, model: str = "DFN") -> set[str]:
    """Names of the parameters the model reads (what a case may override)."""
    return set(make_model(design, model).get_parameter_info().keys())


def set_state_atol(built_model, atol: float, integral_atol: float) -> None:
    """Per-state absolute tolerance: ``integral_atol`` for the A.h / W.h counters.

    The counters are ~1e-3 in size; a scalar atol = 1e-6 would give them only
    1e-3..1e-4 relative accuracy (IDAKLU reads ``built_model.atol``).
    """
    vec = np.full(built_model.len_rhs_and_alg, float(atol))
    for var, slices in built_model.y_slices.items():
        if var.name in INTEGRAL_STATES:
            for sl in slices:
                vec[sl] = integral_atol
    built_model.atol = vec


# ------------------------------------------------------------------- contact model
@dataclass(frozen=True)
class ContactState:
    """The contact state handed to the model at one pressure (SI units).

    Attributes:
        pressure: stack pressure, Pa.
        li_contact: Li | electrolyte contact fraction f_Li (1 for full cells).
        li_resistance: constriction resistance of the Li interface, Ohm m^2.
        connected: fraction of the NMC particles still connected.
    """

    pressure: float
    li_contact: float
    li_resistance: float
    connected: float


@dataclass(frozen=True)
class ContactModel:
    """The contract objects and the constriction model, as the adapter uses them.

    Attributes:
        cathode: the cathode contact map f_c(P, x), phi_iso(P, x).
        lithium: the Li contact law f_Li(P, t, T) (half cells; ignored for full cells).
        spot_radius: radius of the Li | electrolyte contact spots, m (constriction).
        constriction: include the constriction resistance.
        hold_time: time the Li interface has been held at pressure, s (f_Li(P, t, T)).
        temperature: cell temperature, K.
        kappa: electrolyte conductivity at ``temperature``, S/m.
    """

    cathode: CathodeContactMap
    lithium: LithiumContactLaw
    spot_radius: float = 10e-6
    constriction: bool = True
    hold_time: float = 3600.0
    temperature: float = 298.15
    kappa: float = 0.3

    def li_contact(self, pressure) -> np.ndarray:
        """f_Li at ``pressure`` after the hold time, floored at F_MIN."""
        f = np.asarray(self.lithium.contact_fraction(pressure, self.hold_time,
                                                     self.temperature), float)
        return np.maximum(f, F_MIN)

    def li_resistance(self, li_contact) -> np.ndarray:
        """Constriction resistance R_A(f_Li), Ohm m^2 (0 without constriction)."""
        f = np.asarray(li_contact, float)
        if not self.constriction:
            return np.zeros_like(f)
        return np.asarray(constriction_asr(f, self.kappa, self.spot_radius), float)

    def isolated(self, pressure: float, stoichiometry: float) -> float:
        """phi_iso(P, x)."""
        return float(np.asarray(self.cathode.isolated_fraction(pressure, stoichiometry)).ravel()[0])

    def state(self, pressure: float, connected: float, half_cell: bool = True) -> ContactState:
        """The contact state at ``pressure`` with the given connected fraction."""
        if half_cell:
            f = float(self.li_contact(pressure))
            r = float(self.li_resistance(f))
        else:
            f, r = 1.0, 0.0
        return ContactState(float(pressure), f, r, float(connected))

    def check_pressure(self, pressure: float, key: str | None, half_cell: bool = True) -> None:
        """Raise InputError if a contact object does not cover ``pressure``."""
        laws = [("cathode contact map", self.cathode)]
        if half_cell:
            laws.append(("Li contact law", self.lithium))
        if not math.isfinite(pressure):
            raise InputError(f"stack pressure must be finite, got {pressure!r}", key=key)
        for what, law in laws:
            lo, hi = law.pressure_range
            if not lo - 1e-9 * max(abs(lo), 1.0) <= pressure <= hi + 1e-9 * max(abs(hi), 1.0):
                raise InputError(f"stack pressure {pressure:.6g} Pa is outside the {what}'s "
                                 f"range [{lo:.6g}, {hi:.6g}] Pa ({law.source})", key=key)


def contact_model_for(design: CellDesign, cathode: CathodeContactMap, lithium: LithiumContactLaw,
                      **kwargs) -> ContactModel:
    """A ContactModel with the electrolyte conductivity at the design's temperature."""
    kappa = float(lpscl_conductivity(design.electrolyte_conductivity,
                                     design.electrolyte_activation_energy_eV,
                                     design.electrolyte_reference_temperature)(
        None, design.temperature))
    return ContactModel(cathode=cathode, lithium=lithium, temperature=design.temperature,
                        kappa=kappa, **kwargs)


# ------------------------------------------------------------------------- the cell
class SSBCell:
    """A sulfide solid-state cell in PyBaMM, built once, solved for many pressures.

    Args:
        design: geometry, materials and limits.
        contact: the contact model (maps, laws, constriction).
        model: "DFN" or "SPMe".
        overrides: PyBaMM parameter name -> value, applied to the parameter set
            (validated by the caller against :func:`known_parameter_names`).
        pressures: pressures that become exact nodes of the f_c table (the swept ones).
        n_pressure: size of the log-spaced pressure grid of an analytic map.
        var_pts: PyBaMM mesh points.
        rtol, atol: solver tolerances (the capacity and energy counters get
            min(atol, 1e-10)).
        pressure_of_stoichiometry: (x grid, P grid): make the stack pressure a
            function of the mean NMC stoichiometry inside the model (monolithic
            two-way coupling; verification).
        stack_breathing: (x grid, h grid): two-way coupling with an elastic stack inside
            the model: the mechanical stack pressure is
            P = max(P0 + K h(x_avg), 0), with P0 the preload (input "Stack pressure
            [Pa]"), K the stack's pressure gain (input "Stack pressure gain [Pa.m-1]",
            n / (n C_unit + C_f) for n repeat units of compliance C_unit in a fixture
            of compliance C_f) and h the free thickness change of one repeat unit at the
            mean NMC stoichiometry x_avg (the laminate closed form, equal to the 1D FE
            stack model); the contact laws see s P (input "Interface improvement
            factor" s).  Exact for an elastic stack (no coupling step); one model for
            every preload, fixture and s.
        fast_outputs: build a copy whose solver computes only the output variables
            (one-way solves; about 2x cheaper than a full solution); the copy with
            the full state (stepping) is then built on first use.
    """

    def __init__(self, design: CellDesign, contact: ContactModel, *, model: str = "DFN",
                 overrides: dict | None = None, pressures=(), n_pressure: int = 401,
                 n_stoichiometry: int = 21, var_pts: dict | None = None, rtol: float = 1e-6,
                 atol: float = 1e-6, pressure_of_stoichiometry=None, stack_breathing=None,
                 fast_outputs: bool = True):
        self.design = design
        self.contact = contact
        self.model_name = model
        self.overrides = dict(overrides or {})
        self.half_cell = design.half_cell
        self.var_pts = {**DEFAULT_VAR_PTS, **(var_pts or {})}
        self.rtol, self.atol = float(rtol), float(atol)
        self.integral_atol = min(self.atol, 1e-10)
        self.x_charged, self.x_discharged = design.stoichiometry_window()
        self.nominal_capacity = design.nominal_capacity()  # C
        self.monolithic = pressure_of_stoichiometry
        self.breathing = stack_breathing
        if self.monolithic is not None and self.breathing is not None:
            raise ValueError("pressure_of_stoichiometry and stack_breathing exclude each other")
        self._table(pressures, n_pressure, n_stoichiometry)
        self._build(fast_outputs)

    # ----------------------------------------------------------------- table
    def _table(self, pressures, n_pressure: int, n_stoichiometry: int) -> None:
        """Sample f_c on the (P, x) grid of the Interpolant."""
        cmap = self.contact.cathode
        grid_p = getattr(cmap, "pressures", None)
        grid_x = getattr(cmap, "stoichiometries", None)
        lo, hi = cmap.pressure_range
        if grid_p is None:
            hi_g = min(hi, 1e9)
            start = max(lo, 1e3)
            g = np.geomspace(start, hi_g, n_pressure - (1 if lo < start else 0))
            extra = [p for p in pressures if lo <= p <= hi]
            grid_p = np.unique(np.concatenate([[lo] if lo < start else [], g, extra]))
        if grid_x is None:
            grid_x = np.linspace(*cmap.stoichiometry_range, n_stoichiometry)
        self.table_pressures = np.asarray(grid_p, float)
        self.table_stoichiometries = np.asarray(grid_x, float)
        pp, xx = np.meshgrid(self.table_pressures, self.table_stoichiometries, indexing="ij")
        f = np.asarray(cmap.contact_fraction(pp, xx), float)
        self.table_contact = np.maximum(f, F_MIN)

    def _contact_expression(self, sto, pressure):
        """f_c(P, x_surf) as a PyBaMM expression (x clamped to the table's range)."""
        x_lo, x_hi = self.table_stoichiometries[0], self.table_stoichiometries[-1]
        if x_lo > 0.0 or x_hi < 1.0:
            sto = pybamm.maximum(pybamm.minimum(sto, x_hi), x_lo)
        if pressure.domain:
            pressure = pybamm.PrimaryBroadcast(pressure, sto.domain)
        else:
            pressure = pressure * pybamm.ones_like(sto)
        return pybamm.Interpolant((self.table_pressures, self.table_stoichiometries),
                                  self.table_contact, [pressure, sto],
                                  name="cathode_contact_map", interpolator="linear")

    # ----------------------------------------------------------------- model
    def _monolithic_symbols(self, x_avg):
        """P, f_Li, R_A as interpolants of the mean stoichiometry (monolithic mode)."""
        xg, pg = (np.asarray(a, float) for a in self.monolithic)
        fg = self.contact.li_contact(pg)
        rg = self.contact.li_resistance(fg)
        pressure = pybamm.Interpolant(xg, pg, x_avg, name="stack_pressure_of_x",
                                      interpolator="linear")
        f_li = pybamm.Interpolant(xg, fg, x_avg, name="li_contact_of_x", interpolator="linear")
        r_li = pybamm.Interpolant(xg, rg, x_avg, name="li_resistance_of_x",
                                  interpolator="linear")
        return pressure, f_li, r_li

    def _breathing_symbols(self, x_avg):
        """Contact pressure, f_Li, R_A and the mechanical pressure (stack_breathing mode)."""
        xg, hg = (np.asarray(a, float) for a in self.breathing)
        h = pybamm.Interpolant(xg, hg, x_avg, name="stack_breathing_of_x",
                               interpolator="linear")
        p_mech = pybamm.maximum(pybamm.InputParameter(IN_PRESSURE)
                                + pybamm.InputParameter(IN_PRESSURE_GAIN) * h, 0.0)
        pressure = pybamm.InputParameter(IN_IMPROVEMENT) * p_mech
        pg = self.table_pressures
        fg = self.contact.li_contact(pg)
        rg = self.contact.li_resistance(fg)
        f_li = pybamm.Interpolant(pg, fg, pressure, name="li_contact_of_p",
                                  interpolator="linear")
        r_li = pybamm.Interpolant(pg, rg, pressure, name="li_resistance_of_p",
                                  interpolator="linear")
        return pressure, f_li, r_li, p_mech

    def _make(self):
        """A new model with the coupling variables and events; returns (model, params)."""
        d = self.design
        model = make_model(d, self.model_name)
        x_avg = model.variables["Average positive particle stoichiometry"]
        if self.breathing is not None:
            pressure, f_li, r_li, p_mech = self._breathing_symbols(x_avg)
            model.variables[MECHANICAL_PRESSURE] = p_mech
        elif self.monolithic is None:
            pressure = pybamm.InputParameter(IN_PRESSURE)
            f_li = pybamm.InputParameter(IN_LI_CONTACT)
            r_li = pybamm.InputParameter(IN_LI_RESISTANCE)
        else:
            pressure, f_li, r_li = self._monolithic_symbols(x_avg)
        sto = model.variables["Positive particle surface stoichiometry"]
        fc = self._contact_expression(sto, pressure)
        model.variables["Cathode contact fraction"] = fc
        model.variables["X-averaged cathode contact fraction"] = pybamm.x_average(fc)
        model.variables["Stack pressure [Pa]"] = pressure
        if self.half_cell:
            q = model.variables["Discharge capacity [A.h]"]
            inventory = pybamm.InputParameter(IN_LI0) - q
            area = pybamm.Parameter("Electrode height [m]") * pybamm.Parameter(
                "Electrode width [m]")
            model.variables["Anode lithium inventory [A.h]"] = inventory
            model.variables["Lithium anode thickness [m]"] = (
                inventory * 3600.0 / FARADAY / area
                * pybamm.Parameter("Lithium metal partial molar volume [m3.mol-1]"))
            model.variables["Li contact fraction"] = f_li
            model.events.append(pybamm.Event("Anode lithium exhausted",
                                             inventory + LI_INVENTORY_TOL_AH))
        return model, self._parameter_values(pressure, f_li, r_li)

    def _parameter_values(self, pressure, f_li, r_li) -> pybamm.ParameterValues:
        d = self.design
        base = parameter_set(d)
        base.update(self.overrides)
        j0_base = base["Positive electrode exchange-current density [A.m-2]"]

        def j0_with_contact(c_e, c_s_surf, c_s_max, temperature):
            j0 = j0_base(c_e, c_s_surf, c_s_max, temperature) if callable(j0_base) else j0_base
            return j0 * self._contact_expression(c_s_surf / c_s_max, pressure)

        eps_am = base["Positive electrode active material volume fraction"]
        c_max = base["Maximum concentration in positive electrode [mol.m-3]"]
        base.update({
            "Positive electrode exchange-current density [A.m-2]": j0_with_contact,
            "Positive electrode active material volume fraction":
                eps_am * pybamm.InputParameter(IN_CONNECTED),
            "Initial concentration in positive electrode [mol.m-3]":
                c_max * pybamm.InputParameter(IN_X0),
            "Current function [A]": pybamm.InputParameter(IN_CURRENT),
            "Lower voltage cut-off [V]": pybamm.InputParameter(IN_VMIN),
            "Upper voltage cut-off [V]": pybamm.InputParameter(IN_VMAX),
        })
        area = d.area
        if self.half_cell:
            def contact_resistance(*args):  # a function: may depend on the model state
                return r_li / area

            base.update({"Initial negative electrode interface utilisation": f_li,
                         "Contact resistance [Ohm]": contact_resistance})
        else:
            c_n = base["Maximum concentration in negative electrode [mol.m-3]"]
            base["Initial concentration in negative electrode [mol.m-3]"] = (
                c_n * pybamm.InputParameter(IN_Y0))
        return pybamm.ParameterValues(base)

    def _simulation(self, output_variables=None) -> pybamm.Simulation:
        model, params = self._make()
        kw = {"rtol": self.rtol, "atol": self.atol, "on_extrapolation": "ignore"}
        if output_variables:
            kw["output_variables"] = list(output_variables)
        sim = pybamm.Simulation(model, parameter_values=params,
                                solver=pybamm.IDAKLUSolver(**kw), var_pts=self.var_pts)
        sim.build()
        set_state_atol(sim.built_model, self.atol, self.integral_atol)
        return sim

    def _build(self, fast_outputs: bool) -> None:
        self._sim = None
        self.fast_sim = self._simulation(self.output_variables) if fast_outputs else None
        if self.fast_sim is None:
            self._sim = self._simulation()

    @property
    def sim(self) -> pybamm.Simulation:
        """The built copy with the full state (stepping, cycling); built on first use."""
        if self._sim is None:
            self._sim = self._simulation()
        return self._sim

    @property
    def built_model(self):
        """The discretised model of :attr:`sim`."""
        return self.sim.built_model

    @property
    def solver(self):
        """The IDAKLU solver of :attr:`sim`."""
        return self.sim.solver

    @property
    def mesh(self):
        """The PyBaMM mesh."""
        return self.sim.mesh

    @property
    def output_variables(self) -> list[str]:
        """The variables a one-way solve returns."""
        names = ["Time [s]", "Voltage [V]", "Current [A]", "Discharge capacity [A.h]",
                 "Discharge energy [W.h]", "X-averaged cathode contact fraction",
                 "Average positive particle stoichiometry"]
        if self.half_cell:
            names += ["Lithium anode thickness [m]", "Li contact fraction"]
        if self.breathing is not None:
            names.append(MECHANICAL_PRESSURE)
        return names

    # ---------------------------------------------------------------- inputs
    def soc(self, x_avg):
        """Cell SOC from the mean NMC stoichiometry: (x_0 - x) / (x_0 - x_100)."""
        return (self.x_discharged - np.asarray(x_avg, float)) / (
            self.x_discharged - self.x_charged)

    def current(self, c_rate: float) -> float:
        """Current of a C-rate, A (1C = nominal capacity in one hour)."""
        if not (math.isfinite(c_rate) and c_rate > 0):
            raise InputError(f"C-rate must be > 0, got {c_rate!r}", key="electrochem.c_rates")
        return c_rate * self.nominal_capacity / 3600.0

    def initial_lithium(self) -> float:
        """Li inventory on the anode of the charged cell, A.h.

        The charge of a full (OCV) charge from the discharged to the charged
        stoichiometry, plated before any particle is isolated, plus (li_metal) the
        foil, whose thickness is that of the discharged cell.
        """
        d = self.design
        foil = d.lithium_foil_charge() if d.variant == "li_metal" else 0.0
        return (foil + self.nominal_capacity) / 3600.0

    def inputs(self, state: ContactState, current: float, x_init: float,
               li_inventory: float | None = None, pressure_gain: float = 0.0,
               improvement: float = 1.0) -> dict:
        """Input-parameter values of one solve or step (current in A, inventory in A.h).

        ``pressure_gain`` (Pa/m) and ``improvement`` are used in stack_breathing mode,
        where ``state.pressure`` is the preload.
        """
        lo, hi = self.design.voltage_limits
        inp = {IN_PRESSURE: float(state.pressure), IN_CURRENT: float(current),
               IN_X0: float(x_init), IN_CONNECTED: float(state.connected),
               IN_VMIN: float(lo), IN_VMAX: float(hi)}
        if self.half_cell:
            inp[IN_LI_CONTACT] = float(state.li_contact)
            inp[IN_LI_RESISTANCE] = float(state.li_resistance)
            inp[IN_LI0] = float(self.initial_lithium() if li_inventory is None else li_inventory)
        else:
            inp[IN_Y0] = self.design.anode_stoichiometry(x_init)
        if self.monolithic is not None:
            for k in (IN_PRESSURE, IN_LI_CONTACT, IN_LI_RESISTANCE):
                inp.pop(k, None)
        if self.breathing is not None:
            inp.pop(IN_LI_CONTACT, None)
            inp.pop(IN_LI_RESISTANCE, None)
            inp[IN_PRESSURE_GAIN] = float(pressure_gain)
            inp[IN_IMPROVEMENT] = float(improvement)
        return inp

    def breathing_pressure(self, x: float, preload: float, pressure_gain: float) -> float:
        """Mechanical stack pressure at mean stoichiometry x in stack_breathing mode, Pa."""
        xg, hg = self.breathing
        return max(preload + pressure_gain * float(np.interp(x, xg, hg)), 0.0)

    def max_duration(self, current: float, x_init: float, connected: float = 1.0) -> float:
        """Upper bound on a (dis)charge duration at ``current`` A, s (events end it first)."""
        dx = (1.0 - x_init) if current > 0 else x_init
        q = self.design.cathode_charge_per_stoichiometry(max(connected, 1e-3))
        return 1.05 * dx * q / abs(current) + 60.0

    # ---------------------------------------------------------------- solves
    def solve(self, inputs: dict | list[dict], t_end: float, t_interp=None, fast: bool = True):
        """One continuous solve from the initial state set by ``inputs`` (a list: a batch).

        With ``fast`` (default) only :attr:`output_variables` are computed, inside
        the solver.  Raises ``pybamm.SolverError`` as PyBaMM does.
        """
        sim = self.fast_sim if (fast and self.fast_sim is not None) else self.sim
        return sim.solver.solve(sim.built_model, [0.0, float(t_end)], inputs=inputs,
                                t_interp=t_interp)

    def step(self, start, inputs: dict, dt: float, t_eval=None):
        """Advance ``start`` (a Solution, or None for the initial state) by ``dt`` s.

        Returns the new piece only.  A solution that ended on an event (a cut-off) is
        continued from its last state with the new inputs.
        """
        if start is not None and start.termination != "final time":
            start = continue_from(start)
        return self.solver.step(start, self.built_model, float(dt), t_eval=t_eval,
                                inputs=inputs, save=False)


def continue_from(solution):
    """The last state of a solution, usable as the start of :meth:`SSBCell.step`."""
    last = copy.copy(solution.last_state)
    last.termination = "final time"
    return last


def solver_error(exc: Exception, step: str, point: dict) -> SolverError:
    """A package SolverError from a PyBaMM failure, naming the step and the pressure."""
    text = " ".join(str(exc).split())
    return SolverError(f"PyBaMM solver failed during {step}: {text[:300]}", point=point)


def li_plated_thickness(charge_per_area: float) -> float:
    """Li thickness of a plated charge per area (C/m^2), m: q V_Li / F."""
    return charge_per_area * LI_MOLAR_VOLUME / FARADAY
