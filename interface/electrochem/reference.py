"""A plain ``pybamm.Simulation`` of a parameter set, without the adapter (verification).

With perfect contact (f_c = 1, no isolated particles, f_Li = 1, no constriction
resistance) the adapter's model must reproduce this simulation of the same
parameter set: the coupling adds nothing when the contact is perfect.
"""

from __future__ import annotations

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
