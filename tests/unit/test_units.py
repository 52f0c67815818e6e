import math

import pytest

from interface.errors import InputError
from interface.units import parse_quantity, to_unit


@pytest.mark.parametrize("text, unit, expected", [
    ("5 MPa", "Pa", 5e6),
    ("60 um", "m", 60e-6),
    ("60 µm", "m", 60e-6),
    ("4.87 g/cm^3", "kg/m^3", 4870.0),
    ("1 mAh/cm^2", "C/m^2", 36000.0),
    ("25 degC", "K", 298.15),
    ("0.5 MPa/um", "Pa/m", 0.5e12),
    ("2e8 N/m", "N/m", 2e8),
    ("70 %", "1", 0.7),
    (0.3, "1", 0.3),
    ("3 mS/cm", "S/m", 0.3),
])
def test_parse(text, unit, expected):
    assert math.isclose(parse_quantity(text, unit), expected, rel_tol=1e-12)


@pytest.mark.parametrize("value, unit, fragment", [
    (5, "Pa", "with units as a string"),
    ("5 m", "Pa", "expected a pressure or stress"),
    ("5 bananas", "Pa", "cannot read"),
    ("nan MPa", "Pa", "finite"),
    ("inf um", "m", "finite"),
    (True, "1", "boolean"),
    ("", "m", "empty"),
    ([1, 2], "m", "expected a length"),
])
def test_reject(value, unit, fragment):
    with pytest.raises(InputError, match=fragment):
        parse_quantity(value, unit, key="a.b")


def test_error_names_key():
    with pytest.raises(InputError) as exc:
        parse_quantity("5 m", "Pa", key="fixture.preload")
    assert "fixture.preload" in str(exc.value)
    assert "[length]" in str(exc.value)


def test_to_unit():
    assert math.isclose(to_unit(2e6, "Pa", "MPa"), 2.0)
