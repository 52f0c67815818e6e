"""Units at the boundary: parse "5 MPa" once, work in SI floats afterwards.

Every physical quantity in a case file is a string with units.  This module is
the only place that touches pint; the rest of the package sees SI floats.
"""

from __future__ import annotations

import functools
import math
from numbers import Real

from interface.errors import InputError

#: SI unit -> a human name of the physical dimension, used in error messages.
DIMENSION_NAMES: dict[str, tuple[str, str]] = {
    "Pa": ("a pressure or stress", "5 MPa"),
    "m": ("a length", "60 um"),
    "m^2": ("an area", "10 cm^2"),
    "m^3": ("a volume", "1 cm^3"),
    "kg": ("a mass", "12 g"),
    "kg/m^3": ("a density", "4.87 g/cm^3"),
    "K": ("a temperature", "298.15 K"),
    "s": ("a time", "1 h"),
    "N/m": ("a stiffness (force per displacement)", "5e7 N/m"),
    "Pa/m": ("an areal stiffness (pressure per displacement)", "1 MPa/um"),
    "1/K": ("a thermal expansion coefficient", "2e-5 1/K"),
    "1/s": ("a rate", "1e-4 1/s"),
    "J/m^2": ("an energy per area", "1 J/m^2"),
    "J/mol": ("a molar energy", "30 kJ/mol"),
    "A/m^2": ("a current density", "1 mA/cm^2"),
    "C/m^2": ("an areal charge", "3 mAh/cm^2"),
    "S/m": ("a conductivity", "3 mS/cm"),
    "mol/m^3": ("a concentration", "50 mol/L"),
    "kg/mol": ("a molar mass", "6.94 g/mol"),
    "V": ("a voltage", "4.2 V"),
    "A": ("a current", "1 A"),
    "W": ("a power", "1 W"),
    "J": ("an energy", "1 Wh"),
    "m/s": ("a velocity", "1 um/h"),
    "1/Pa": ("a compliance per pressure", "1/GPa"),
    "Pa^-n/s": ("a creep coefficient", "1e-40 1/(Pa^6.56 s)"),
    "1": ("a dimensionless number", "0.3"),
}


@functools.cache
def registry():
    """The package's single pint UnitRegistry (created on first use)."""
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("percent = 0.01 = %")
    return ureg


def dimension_name(unit: str) -> str:
    """Human name of the dimension of an SI unit string ("Pa" -> "a pressure or stress")."""
    return DIMENSION_NAMES.get(unit, (f"a quantity in {unit}", f"1 {unit}"))[0]


def _example(unit: str) -> str:
    return DIMENSION_NAMES.get(unit, ("", f"1 {unit}"))[1]


def parse_quantity(value: object, unit: str, *, key: str | None = None) -> float:
    """Convert a case-file value to a float in the SI unit ``unit``.

    Args:
        value: a string with units ("5 MPa"), or a bare number when ``unit`` is
            dimensionless ("1"); strings such as "70 %" are accepted for
            dimensionless values too.
        unit: the SI unit the value is converted to ("Pa", "m", "kg/m^3", "1").
        key: the key path, for the error message.

    Returns:
        The magnitude in ``unit`` (a finite float).

    Raises:
        InputError: no units where units are needed, wrong dimension, not a
            number, NaN or infinity.
    """
    import pint

    dimensionless = unit == "1"
    if isinstance(value, bool):
        raise InputError(f"expected {dimension_name(unit)}, got a boolean ({value})", key=key)
    if isinstance(value, Real):
        if not dimensionless:
            raise InputError(
                f"expected {dimension_name(unit)} with units as a string (e.g. "
                f"\"{_example(unit)}\"), got the bare number {value}",
                key=key,
            )
        result = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(f"expected {dimension_name(unit)}, got an empty string", key=key)
        ureg = registry()
        try:
            q = ureg.Quantity(text)
        except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as exc:
            raise InputError(f"cannot read '{text}' as {dimension_name(unit)}: {exc}",
                             key=key) from None
        except Exception:  # tokenizer / syntax errors of many kinds inside pint
            raise InputError(f"cannot read '{text}' as {dimension_name(unit)} "
                             f"(expected e.g. \"{_example(unit)}\")", key=key) from None
        if not isinstance(q, pint.Quantity):  # a bare number inside a string: "0.3"
            q = ureg.Quantity(float(q), "")
        if not dimensionless and q.dimensionless and not q.unitless:
            pass  # e.g. "5 %" where a pressure is wanted: falls through to the error below
        try:
            result = float(q.to(unit).magnitude)
        except pint.errors.DimensionalityError:
            got = "no units" if q.unitless else f"[{q.dimensionality}]"
            raise InputError(f"expected {dimension_name(unit)} (e.g. \"{_example(unit)}\"), got "
                             f"'{text}' ({got})", key=key) from None
    else:
        raise InputError(f"expected {dimension_name(unit)}, got {type(value).__name__} "
                         f"{value!r}", key=key)
    if not math.isfinite(result):
        raise InputError(f"expected a finite value, got {value!r}", key=key)
    return result


def to_unit(value_si: float, si_unit: str, unit: str) -> float:
    """Convert an SI magnitude to another unit, for reports (2e6 Pa -> 2 MPa)."""
    ureg = registry()
    return float(ureg.Quantity(value_si, si_unit).to(unit).magnitude)


def format_quantity(value_si: float, si_unit: str, unit: str | None = None, digits: int = 4) -> str:
    """Format an SI value for humans, optionally in another unit: "2 MPa"."""
    if unit is None:
        return f"{value_si:.{digits}g} {si_unit}"
    return f"{to_unit(value_si, si_unit, unit):.{digits}g} {unit}"
