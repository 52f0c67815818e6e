"""Electrochemistry case input: PyBaMM names and units, bad input -> one InputError with its key."""

import re

import numpy as np
import pytest

from interface.case import load_case
from interface.case.electrochem import pybamm_unit, pybamm_value
from interface.cli import main
from interface.errors import InputError
from tests.conftest import CASES, ROOT, write_case

CASE = CASES / "electrochem_pressure.toml"

MINIMAL = """
[case]
model = "electrochem"

[electrochem]
c_rates = [1.0]
pressures = ["2 MPa", "20 MPa"]
"""


def test_only_electrochem_imports_pybamm():
    pattern = re.compile(r"^\s*(import pybamm|from pybamm[\s.])", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "interface").rglob("*.py")
                 if "electrochem" not in p.relative_to(ROOT / "interface").parts[:1]
                 and pattern.search(p.read_text())]
    assert not offenders, offenders
    inside = [p for p in (ROOT / "interface" / "electrochem").rglob("*.py")
              if pattern.search(p.read_text())]
    assert [p.name for p in inside] == ["_pybamm.py"]  # the single import, telemetry off first


def test_pybamm_units():
    assert pybamm_unit("Positive particle diffusivity [m2.s-1]") == "m**2*s**-1"
    assert pybamm_unit("Nominal cell capacity [A.h]") == "A*hour"
    assert pybamm_unit("Contact resistance [Ohm]") == "ohm"
    assert pybamm_unit("Cation transference number") == "1"
    assert pybamm_value("Positive particle radius [m]", "4 um", "k") == pytest.approx(4e-6)
    assert pybamm_value("Positive particle radius [m]", 4e-6, "k") == 4e-6
    assert pybamm_value("Positive particle diffusivity [m2.s-1]", "1e-10 cm^2/s",
                        "k") == pytest.approx(1e-14)
    with pytest.raises(InputError, match="expected"):
        pybamm_value("Positive particle radius [m]", "4 MPa", "k")


def test_minimal_case_defaults(tmp_path):
    case = load_case(write_case(tmp_path, MINIMAL))
    assert case.model == "electrochem"
    assert case.electrochem.pressures == (2e6, 20e6)
    assert case.contact.cathode.map == "analytic"
    assert case.contact.lithium.spot_radius == pytest.approx(10e-6)
    assert case.stack is None and case.fixture is None


def _h5_map(path, pressures, stoich):
    """A results.h5 with a tabulated contact map (as the cathode-interface model writes)."""
    import h5py

    p, x = np.meshgrid(pressures, stoich, indexing="ij")
    with h5py.File(path, "w") as f:
        g = f.create_group("tables/contact_map")
        g["stack_pressure_Pa"] = p.ravel()
        g["stoichiometry"] = x.ravel()
        g["contact_fraction"] = (0.5 + 0.4 * p / (p + 5e6)).ravel()
        g["isolated_fraction"] = np.full(p.size, 0.01)
    return path


def _stack_tables() -> str:
    """The [stack] tables of the shipped case (without its [fixture])."""
    text = CASE.read_text()
    return text[text.index("\n[stack]\n"):text.index("\n[fixture]\n")] + "\n"


BAD = [
    ("unknown pybamm name", lambda t: t + '[electrochem.pybamm]\n'
     '"Positive particle radiuss [m]" = "5 um"\n',
     "electrochem.pybamm.Positive particle radiuss [m]", "did you mean"),
    ("pybamm name not read by the model", lambda t: t + '[electrochem.pybamm]\n'
     '"Negative particle radius [m]" = "5 um"\n',
     "electrochem.pybamm.Negative particle radius [m]", "unknown PyBaMM parameter"),
    ("controlled pybamm name", lambda t: t + '[electrochem.pybamm]\n'
     '"Current function [A]" = 1.0\n', "electrochem.pybamm.Current function [A]",
     "set by the model"),
    ("pybamm value with wrong unit", lambda t: t + '[electrochem.pybamm]\n'
     '"Positive particle radius [m]" = "5 MPa"\n',
     "electrochem.pybamm.Positive particle radius [m]", "expected"),
    ("C-rate zero", lambda t: t.replace("c_rates = [1.0]", "c_rates = [0.0]"),
     "electrochem.c_rates[0]", "must be > 0"),
    ("C-rate negative", lambda t: t.replace("c_rates = [1.0]", "c_rates = [1.0, -0.5]"),
     "electrochem.c_rates[1]", "must be > 0"),
    ("lower voltage below OCV range", lambda t: t + 'lower_voltage = "2.5 V"\n',
     "electrochem.lower_voltage", "outside the OCV range"),
    ("upper voltage above OCV range", lambda t: t + 'upper_voltage = "4.6 V"\n',
     "electrochem.upper_voltage", "outside the OCV range"),
    ("voltage not a voltage", lambda t: t + 'upper_voltage = "4.2 A"\n',
     "electrochem.upper_voltage", "expected a voltage"),
    ("negative pressure", lambda t: t.replace('"2 MPa"', '"-2 MPa"'),
     "electrochem.pressures[0]", ">= 0"),
    ("duplicate pressure", lambda t: t.replace('"20 MPa"', '"2 MPa"'),
     "electrochem.pressures[1]", "duplicate"),
    ("pressure outside the Li law", lambda t: t.replace('"20 MPa"', '"900 MPa"'),
     "electrochem.pressures[1]", "outside the cathode contact map"),
    ("unknown variant", lambda t: t + 'variant = "graphit"\n', "electrochem.variant",
     "did you mean 'graphite'"),
    ("tabulated without file", lambda t: t + '[contact.cathode]\nmap = "tabulated"\n',
     "contact.cathode.results", "needs results"),
    ("missing map file", lambda t: t + '[contact.cathode]\nmap = "tabulated"\n'
     'results = "nope/results.h5"\n', "contact.cathode.results", "no such contact-map file"),
    ("stack without fixture", lambda t: t + _stack_tables(), "fixture",
     "needs both [stack] and [fixture]"),
]


@pytest.mark.parametrize("desc, transform, key, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_input(tmp_path, desc, transform, key, fragment):
    p = write_case(tmp_path, transform(MINIMAL))
    with pytest.raises(InputError) as exc:
        load_case(p)
    msg = str(exc.value)
    assert msg.startswith(str(p)), msg
    assert f": {key}: " in msg, msg
    assert fragment in msg, msg
    assert "\n" not in msg


def test_tabulated_map_must_cover_the_pressures(tmp_path):
    _h5_map(tmp_path / "map.h5", [1e6, 5e6, 10e6], np.linspace(0.0, 1.0, 6))
    text = MINIMAL + '[contact.cathode]\nmap = "tabulated"\nresults = "map.h5"\n'
    with pytest.raises(InputError) as exc:
        load_case(write_case(tmp_path, text))
    assert ": electrochem.pressures[1]: " in str(exc.value)
    assert "outside the cathode contact map's range" in str(exc.value)
    case = load_case(write_case(tmp_path, text), overrides={"electrochem.pressures":
                                                            ["2 MPa", "8 MPa"]})
    assert case.contact.cathode.results == "map.h5"


def test_tabulated_map_must_cover_the_stoichiometry(tmp_path):
    _h5_map(tmp_path / "map.h5", [0.0, 50e6], np.linspace(0.5, 1.0, 6))
    text = MINIMAL + '[contact.cathode]\nmap = "tabulated"\nresults = "map.h5"\n'
    with pytest.raises(InputError, match=r"contact\.cathode: the contact map covers "
                                         r"stoichiometry 0\.5\.\.1"):
        load_case(write_case(tmp_path, text))


@pytest.mark.parametrize("overrides, key, fragment", [
    ({"electrochem.variant": "graphite"}, "electrochem.variant", "does not match the stack"),
    ({"electrochem.pybamm": {"Positive electrode thickness [m]": "70 um"}},
     "electrochem.pybamm.Positive electrode thickness [m]", "comes from the cathode layer"),
    ({"contact.cathode.map": "constant"}, None, None),
])
def test_stack_consistency(overrides, key, fragment):
    if key is None:  # a valid combination
        load_case(CASE, overrides=overrides)
        return
    with pytest.raises(InputError) as exc:
        load_case(CASE, overrides=overrides)
    assert f": {key}: " in str(exc.value) and fragment in str(exc.value), str(exc.value)


def test_coupled_pressure_outside_the_map(tmp_path):
    """The stack pressure of the two-way coupling must stay inside the contact map."""
    _h5_map(tmp_path / "map.h5", [0.0, 10e6], np.linspace(0.0, 1.0, 6))
    text = CASE.read_text().replace('map = "analytic"', 'map = "tabulated"\nresults = "map.h5"')
    text = text.replace('pressures = ["0.5 MPa", "1 MPa", "2 MPa", "5 MPa", "10 MPa", "20 MPa", '
                        '"50 MPa", "100 MPa"]', 'pressures = ["1 MPa"]')
    with pytest.raises(InputError) as exc:
        load_case(write_case(tmp_path, text))
    assert ": fixture.preload: " in str(exc.value), str(exc.value)
    assert "over the cycle" in str(exc.value)


def test_cli_bad_input_exit_2(tmp_path, capsys):
    bad = write_case(tmp_path, MINIMAL.replace("c_rates = [1.0]", "c_rates = [-1.0]"))
    out = tmp_path / "out"
    rc = main(["run", str(bad), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert len(err) == 1 and "electrochem.c_rates[0]" in err[0], err
    assert not out.exists()
