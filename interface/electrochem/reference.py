"""A plain ``pybamm.Simulation`` of a parameter set, without the adapter (verification).

With perfect contact (f_c = 1, no isolated particles, f_Li = 1, no constriction
resistance) the adapter's model must reproduce this simulation of the same
parameter set: the coupling adds nothing when the contact is perfect.
"""

from __future__ import annotations

import numpy as np

from interface.electrochem._pybamm import pybamm
from interface.electrochem.cell import DEFAULT_VAR_PTS
from interface.electrochem.parameters import CellDesign, parameter_set


def plain_simulation(design: CellDesign, current: float, t_end: float, *,
                     overrides: dict | None = None, model: str = "DFN",
                     var_pts: dict | None = None, rtol: float = 1e-9, atol: float = 1e-11,
                     t_interp=None):
    """Solve the parameter set of ``design`` as a user would with plain PyBaMM.

    A new model with PyBaMM's plain options (the half-cell DFN has no contact
    resistance and no interface-utilisation option), new ParameterValues from
    :func:`parameter_set` (plus ``overrides``) with the current ``current`` A, solved
    from the charged state over [0, t_end] s.  Returns the pybamm Solution.
    """
    options = {"calculate discharge energy": "true"}
    if design.half_cell:
        options["working electrode"] = "positive"
    cls = {"DFN": pybamm.lithium_ion.DFN, "SPMe": pybamm.lithium_ion.SPMe}[model]
    values = parameter_set(design)
    values.update(overrides or {})
    values["Current function [A]"] = float(current)
    sim = pybamm.Simulation(cls(options, name="plain reference"),
                            parameter_values=pybamm.ParameterValues(values),
                            solver=pybamm.IDAKLUSolver(rtol=rtol, atol=atol),
                            var_pts={**DEFAULT_VAR_PTS, **(var_pts or {})})
    return sim.solve([0.0, float(t_end)], t_interp=t_interp)


def rebuilt_discharge(cell, pressure: float, c_rate: float, *, model=None,
                      output_variables=None, t_interp=None) -> dict:
    """One discharge the way a user without the adapter would compute it (benchmarks).

    The contact state at ``pressure`` is baked into new ParameterValues as numbers
    (f_c(x) at this pressure as a 1-D interpolant of the surface stoichiometry in the
    exchange current, the connected fraction in the active-material fraction, f_Li
    and the constriction resistance as constants), then a new ``pybamm.Simulation``
    is built and solved.  The same mesh, tolerances (including the per-state
    tolerance of the counters) and model options as ``cell``; ``model`` reuses an
    unparameterised model object (``make_model``), which favours this path.

    Returns:
        capacity (C), energy (J), time (s) and voltage (V) arrays, termination.
    """
    from interface.electrochem.cell import make_model, set_state_atol

    d = cell.design
    connected = 1.0 - cell.contact.isolated(pressure, cell.x_charged)
    state = cell.contact.state(pressure, connected, cell.half_cell)
    xs = cell.table_stoichiometries
    fc = np.maximum(np.asarray(cell.contact.cathode.contact_fraction(
        np.full(xs.shape, float(pressure)), xs), float).ravel(), 1e-6)
    values = parameter_set(d)
    values.update(cell.overrides)
    j0 = values["Positive electrode exchange-current density [A.m-2]"]

    def j0_at_pressure(c_e, c_s_surf, c_s_max, temperature):
        sto = c_s_surf / c_s_max
        return j0(c_e, c_s_surf, c_s_max, temperature) * pybamm.Interpolant(
            xs, fc, sto, name="f_c_at_P", interpolator="linear")

    current = cell.current(c_rate)
    values.update({
        "Positive electrode exchange-current density [A.m-2]": j0_at_pressure,
        "Positive electrode active material volume fraction":
            values["Positive electrode active material volume fraction"] * connected,
        "Current function [A]": current,
    })
    if cell.half_cell:
        values["Initial negative electrode interface utilisation"] = state.li_contact
        values["Contact resistance [Ohm]"] = state.li_resistance / d.area
    kw = {"rtol": cell.rtol, "atol": cell.atol}
    if output_variables:
        kw["output_variables"] = list(output_variables)
    sim = pybamm.Simulation(model if model is not None else make_model(d, cell.model_name),
                            parameter_values=pybamm.ParameterValues(values),
                            solver=pybamm.IDAKLUSolver(**kw), var_pts=cell.var_pts)
    sim.build()
    set_state_atol(sim.built_model, cell.atol, cell.integral_atol)
    t_end = cell.max_duration(current, cell.x_charged, connected)
    sol = sim.solve([0.0, t_end], t_interp=t_interp)
    q = sol["Discharge capacity [A.h]"].entries * 3600.0
    e = sol["Discharge energy [W.h]"].entries * 3600.0
    return {"capacity": float(q[-1] - q[0]), "energy": float(e[-1] - e[0]),
            "time": np.asarray(sol["Time [s]"].entries), "termination": sol.termination,
            "voltage": np.asarray(sol["Voltage [V]"].entries)}
