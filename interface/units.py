"""Units at the boundary: parse "5 MPa" once, work in SI floats afterwards.

Every physical quantity in a case file is a string with units.  This module is
the only place that touches pint; the rest of the package sees SI floats.
"""

from __future__ import annotations

import functools
import math
import re
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
    "delta_K": ("a temperature difference", "10 K"),
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


#: Unit of a temperature *difference* in a spec (converted to K).  An absolute
#: temperature ("K") may be written in degC or degF ("25 degC" = 298.15 K); a
#: difference must be written in K or delta_degC ("10 degC" would be 283.15 K).
TEMPERATURE_DIFFERENCE = "delta_K"

#: The longest quantity string read (a case value is a number and a unit).
MAX_LENGTH = 200
#: The largest exponent magnitude accepted after ** or ^ ("m^3", "1/(Pa^6.56 s)").
MAX_EXPONENT = 100.0

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_EXPONENT = re.compile(r"(\*\*|\^)\s*(?:(?P<num>[-+]?\s*" + _NUMBER + r")|\(\s*(?P<frac>[-+]?\s*"
                       + _NUMBER + r"(?:\s*/\s*" + _NUMBER + r")?)\s*\))")


@functools.cache
def registry():
    """The package's single pint UnitRegistry (created on first use).

    Offset units (degC, degF) are *not* converted implicitly inside products, so
    "2e-5 1/degC" is an error instead of 7.3e-8 1/K; "25 degC" alone is 298.15 K.
    """
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
    ureg.define("percent = 0.01 = %")
    return ureg


def _check_exponents(text: str, unit: str, key: str | None) -> None:
    """Refuse exponents pint would evaluate without bound ("10**10**10", "10**400 Pa")."""
    for m in re.finditer(r"\*\*|\^", text):
        e = _EXPONENT.match(text, m.start())
        bad = e is None
        if not bad:
            expo = (e.group("num") or e.group("frac")).replace(" ", "")
            num, _, den = expo.partition("/")
            value = float(num) / float(den) if den and float(den) else float(num)
            bad = bool(den) and not float(den)
            rest = text[e.end():].lstrip()
            bad = (bad or not math.isfinite(value) or abs(value) > MAX_EXPONENT
                   or rest.startswith(("**", "^")))
        if bad:
            raise InputError(f"cannot read '{text}' as {dimension_name(unit)}: an exponent "
                             f"after '{m.group()}' must be a plain number of magnitude <= "
                             f"{MAX_EXPONENT:g} (e.g. \"m^3\", \"1e7 Pa\")", key=key)


def _offset_units(q) -> list[str]:
    """Names of the non-multiplicative (offset) units of a quantity, e.g. ['degree_Celsius']."""
    ureg = registry()
    out = []
    for name in q._units:  # noqa: SLF001 - pint has no public accessor for this
        try:
            if not ureg._units[name].is_multiplicative:  # noqa: SLF001
                out.append(name)
        except (KeyError, AttributeError):
            continue
    return out


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
            number, NaN or infinity, an out-of-range exponent, an absolute
            temperature scale (degC, degF) where a temperature difference or a
            coefficient per kelvin is expected.
    """
    import pint

    difference = unit == TEMPERATURE_DIFFERENCE
    target = "K" if difference else unit
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
        try:
            result = float(value)
        except OverflowError:
            raise InputError(f"expected a finite value, got {value!r}", key=key) from None
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(f"expected {dimension_name(unit)}, got an empty string", key=key)
        if len(text) > MAX_LENGTH:
            raise InputError(f"expected {dimension_name(unit)} (e.g. \"{_example(unit)}\"), got "
                             f"a string of {len(text)} characters", key=key)
        _check_exponents(text, unit, key)
        ureg = registry()
        try:
            q = ureg.Quantity(text)
        except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError) as exc:
            raise InputError(f"cannot read '{text}' as {dimension_name(unit)}: {exc}",
                             key=key) from None
        except pint.errors.OffsetUnitCalculusError:
            raise InputError(f"cannot read '{text}' as {dimension_name(unit)}: degC and degF "
                             "are absolute temperature scales; per degree and temperature "
                             "differences are written in K or delta_degC (e.g. \"2e-5 1/K\")",
                             key=key) from None
        except Exception:  # tokenizer / syntax / overflow errors of many kinds inside pint
            raise InputError(f"cannot read '{text}' as {dimension_name(unit)} "
                             f"(expected e.g. \"{_example(unit)}\")", key=key) from None
        if not isinstance(q, pint.Quantity):  # a bare number inside a string: "0.3"
            try:
                q = ureg.Quantity(float(q), "")
            except (OverflowError, TypeError, ValueError):
                raise InputError(f"expected a finite value, got {value!r}", key=key) from None
        offset = _offset_units(q)
        if offset and target != "K":
            raise InputError(f"cannot read '{text}' as {dimension_name(unit)}: "
                             f"{', '.join(offset)} is an absolute temperature scale", key=key)
        if offset and difference:
            raise InputError(f"expected a temperature difference (e.g. \"10 K\" or "
                             f"\"10 delta_degC\"), got '{text}': degC and degF are absolute "
                             f"temperatures ('10 degC' is 283.15 K)", key=key)
        if unit == "K" and any(str(n).startswith("delta_") for n in q._units):  # noqa: SLF001
            raise InputError(f"expected an absolute temperature (e.g. \"298.15 K\" or "
                             f"\"25 degC\"), got the temperature difference '{text}'", key=key)
        try:
            result = float(q.to(target).magnitude)
        except pint.errors.DimensionalityError:
            got = "no units" if q.unitless else f"[{q.dimensionality}]"
            raise InputError(f"expected {dimension_name(unit)} (e.g. \"{_example(unit)}\"), got "
                             f"'{text}' ({got})", key=key) from None
        except (OverflowError, ArithmeticError, TypeError, ValueError):
            raise InputError(f"expected a finite value, got {value!r}", key=key) from None
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
