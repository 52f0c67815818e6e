"""ssb-interface: physics of the solid-solid interfaces of all-solid-state batteries.

Stack pressure and swelling of the cell stack in its fixture, contact at the
cathode-particle | sulfide-electrolyte and Li-metal | electrolyte interfaces,
their effect on the electrochemistry (PyBaMM), and what the pressure costs in
energy density.  SI units throughout; units are parsed once, from the case file.

    import interface
    case = interface.load_case("cases/stack_nmc811_lpscl_li.toml",
                               overrides={"fixture.preload": "2 MPa"})
    result = interface.run(case)
    result.summary["stack_pressure_max_Pa"]
"""

from __future__ import annotations

__version__ = "0.1.0"

from interface.case import Case, load_case  # noqa: E402
from interface.errors import InputError, SolverError  # noqa: E402


def run(case, comm=None, **kwargs):
    """Run a case; see :func:`interface.runner.run` (imported lazily: it loads DOLFINx)."""
    from interface.runner import run as _run

    return _run(case, comm, **kwargs)


def validate(paths=None, comm=None, **kwargs):
    """Run validation datasets; see :func:`interface.validation.validate`."""
    from interface.validation import validate as _validate

    return _validate(paths, comm, **kwargs)


__all__ = ["Case", "InputError", "SolverError", "__version__", "load_case", "run", "validate"]
