"""Case files: parsing, overrides, and every kind of bad input -> one clear InputError."""

import dataclasses

import pytest

from interface.case import load_case, parse_override_value
from interface.errors import InputError
from tests.conftest import CASES, write_case

MINIMAL = """
[case]
model = "stack"

[stack]
[[stack.layers]]
name = "cathode"
kind = "composite_electrode"
role = "cathode"
thickness = "60 um"
active_material = "NMC811"
active_volume_fraction = 0.7
stoichiometry_soc0 = 0.95
stoichiometry_soc1 = 0.2

[[stack.layers]]
name = "sep"
kind = "solid"
material = "Li6PS5Cl"
thickness = "30 um"

[[stack.layers]]
name = "anode"
kind = "lithium_metal"
thickness = "30 um"

[fixture]
type = "spring"
preload = "2 MPa"
"""


def test_minimal_case_defaults(tmp_path):
    case = load_case(write_case(tmp_path, MINIMAL))
    assert case.model == "stack"
    assert case.fixture.preload == 2e6
    assert case.stack.layers[0].thickness == pytest.approx(60e-6)
    assert case.soc.path == (0.0, 1.0, 0.0)
    assert case.mesh.dimension == 1
    assert len(case.sha256) == 64
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.fixture.preload = 1.0


def test_overrides(tmp_path):
    p = write_case(tmp_path, MINIMAL)
    case = load_case(p, overrides={"fixture.preload": "3 MPa",
                                   "stack.layers.cathode.thickness": "70 um",
                                   "stack.layers.1.thickness": "25 um",
                                   "mesh.dimension": 2})
    assert case.fixture.preload == 3e6
    assert case.stack.layers[0].thickness == pytest.approx(70e-6)
    assert case.stack.layers[1].thickness == pytest.approx(25e-6)
    assert case.mesh.dimension == 2


def test_override_value_parsing():
    assert parse_override_value("2") == 2
    assert parse_override_value("0.5") == 0.5
    assert parse_override_value("false") is False
    assert parse_override_value("2MPa") == "2MPa"
    assert parse_override_value('"2 MPa"') == "2 MPa"
    assert parse_override_value("[0, 1]") == [0, 1]


def test_custom_material(tmp_path):
    text = MINIMAL.replace('material = "Li6PS5Cl"', 'material = "my_glass"') + """
[materials.my_glass]
youngs_modulus = "18 GPa"
poisson_ratio = 0.28
density = "1.9 g/cm^3"
"""
    case = load_case(write_case(tmp_path, text))
    assert case.materials["my_glass"].youngs_modulus == 18e9


BAD = [
    # (description, transform of the text, expected key path fragment, message fragment)
    ("unknown key", lambda t: t.replace('preload = "2 MPa"', 'prelaod = "2 MPa"'),
     "fixture.prelaod", "did you mean 'preload'"),
    ("wrong unit", lambda t: t.replace('preload = "2 MPa"', 'preload = "2 mm"'),
     "fixture.preload", "expected a pressure"),
    ("bare number", lambda t: t.replace('preload = "2 MPa"', "preload = 2"),
     "fixture.preload", "with units"),
    ("nan", lambda t: t.replace('preload = "2 MPa"', 'preload = "nan MPa"'),
     "fixture.preload", "finite"),
    ("inf", lambda t: t.replace('thickness = "30 um"\n\n[[stack.layers]]\nname = "anode"',
                                'thickness = "inf um"\n\n[[stack.layers]]\nname = "anode"'),
     "stack.layers.sep.thickness", "finite"),
    ("negative thickness", lambda t: t.replace('"60 um"', '"-60 um"'),
     "stack.layers.cathode.thickness", "must be > 0"),
    ("poisson out of range", lambda t: t + '[materials.x]\nyoungs_modulus = "1 GPa"\n'
     'poisson_ratio = 0.5\ndensity = "1 g/cm^3"\n', "materials.x.poisson_ratio", "< 0.5"),
    ("negative E", lambda t: t + '[materials.x]\nyoungs_modulus = "-1 GPa"\n'
     'poisson_ratio = 0.3\ndensity = "1 g/cm^3"\n', "materials.x.youngs_modulus", ">= 1 Pa"),
    ("soc out of range", lambda t: t + "[soc]\npath = [0.0, 1.2]\n", "soc.path[1]", "<= 1"),
    ("unknown material", lambda t: t.replace('"Li6PS5Cl"', '"Li6PS5Br"'),
     "stack.layers.sep.material", "unknown material"),
    ("unknown active material", lambda t: t.replace('"NMC811"', '"NMC911"'),
     "stack.layers.cathode.active_material", "did you mean"),
    ("unknown layer kind", lambda t: t.replace('kind = "solid"', 'kind = "soild"'),
     "stack.layers.sep.kind", "did you mean 'solid'"),
    ("unknown table", lambda t: t + "[fixtur]\n", "fixtur", "did you mean 'fixture'"),
    ("missing table", lambda t: t.replace("[fixture]", "[soc]").replace(
        'type = "spring"\npreload = "2 MPa"', ""), "fixture", "missing"),
    ("missing key", lambda t: t.replace('thickness = "60 um"\n', ""),
     "stack.layers.cathode.thickness", "missing required"),
    ("unknown model", lambda t: t.replace('model = "stack"', 'model = "stak"'),
     "case.model", "did you mean 'stack'"),
    ("bad choice", lambda t: t.replace('type = "spring"', 'type = "rigid"'),
     "fixture.type", "expected one of"),
    ("elastic without stiffness", lambda t: t.replace('type = "spring"', 'type = "elastic"'),
     "fixture.stiffness", "needs a stiffness"),
    ("stoichiometry outside curve", lambda t: t.replace("stoichiometry_soc1 = 0.2",
                                                        "stoichiometry_soc1 = 0.05"),
     "stack.layers.cathode.stoichiometry_soc1", "outside the strain curve"),
    ("fractions > 1", lambda t: t.replace("active_volume_fraction = 0.7",
                                          "active_volume_fraction = 0.7\nporosity = 0.4"),
     "stack.layers.cathode.porosity", "leaves no electrolyte"),
    ("duplicate layer", lambda t: t.replace('name = "sep"', 'name = "cathode"'),
     "stack.layers.cathode.name", "duplicate"),
    ("li stripped", lambda t: t.replace('thickness = "30 um"\n\n[fixture]',
                                        'thickness = "10 um"\n\n[soc]\nreference = 1.0\n\n'
                                        '[fixture]'), "stack.layers.anode.thickness",
     "stripped"),
    ("wrong type", lambda t: t.replace('type = "spring"', "type = 3"), "fixture.type",
     "expected one of"),
    ("too big mesh", lambda t: t + "[mesh]\ndimension = 3\ncells_per_layer = 400\n"
     "lateral_cells = 2000\n", "mesh.lateral_cells", "DOFs"),
]


@pytest.mark.parametrize("desc, transform, key, fragment", BAD, ids=[b[0] for b in BAD])
def test_bad_input(tmp_path, desc, transform, key, fragment):
    p = write_case(tmp_path, transform(MINIMAL))
    with pytest.raises(InputError) as exc:
        load_case(p)
    msg = str(exc.value)
    assert msg.startswith(str(p)), msg
    assert key in msg, msg
    assert fragment in msg, msg
    assert "\n" not in msg


def test_syntax_error_names_line(tmp_path):
    p = write_case(tmp_path, MINIMAL.replace('preload = "2 MPa"', "preload = 2 MPa"))
    with pytest.raises(InputError, match=r"line \d+"):
        load_case(p)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_case(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="directory"):
        load_case(tmp_path)
    with pytest.raises(InputError, match="empty file"):
        load_case(write_case(tmp_path, "  \n"))


def test_bad_override_path(tmp_path):
    p = write_case(tmp_path, MINIMAL)
    with pytest.raises(InputError, match="no entry named 'cathod'"):
        load_case(p, overrides={"stack.layers.cathod.thickness": "1 um"})
    with pytest.raises(InputError, match="unknown key 'preload2'"):
        load_case(p, overrides={"fixture.preload2": "1 MPa"})


@pytest.mark.parametrize("path", sorted(CASES.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_cases_are_valid(path):
    load_case(path)
    load_case(path, smoke=True)


def test_case_reference_is_current():
    from interface.case.reference import render
    from tests.conftest import ROOT

    committed = (ROOT / "docs" / "case-reference.md").read_text()
    hint = "regenerate: python -m interface.case.reference > docs/case-reference.md"
    assert committed == render(), hint


def test_nan_is_never_written_as_a_result(tmp_path):
    """A table with NaN is refused as a solver failure (exit 1), not written."""
    import numpy as np

    from interface.errors import SolverError
    from interface.results.result import Result, Table
    from interface.results.writer import write_h5

    t = Table()
    t.add("stack_pressure_Pa", [1.0, np.nan], "Pa")
    with pytest.raises(SolverError, match="non-finite values in t/stack_pressure_Pa"):
        write_h5(tmp_path / "results.h5", Result(model="stack", tables={"t": t}),
                 load_case(CASES / "stack_nmc811_lpscl_li.toml"))
