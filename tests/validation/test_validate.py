"""`ssbi validate`: dataset format, observation types, bands, bad input, JSON rows."""

import json
import math

import pytest

from interface.cli import main
from interface.validation import load_dataset, shipped_datasets, validate
from interface.validation.evaluate import unit_of_name, within

#: An inline creep-test case: fast (material point, no FE), known closed form A sigma^n.
CASE = """
[dataset.case.inline.case]
model = "creep_test"
[dataset.case.inline.creep_test]
material = "Li"
stresses = ["0.2 MPa", "0.4 MPa", "0.6 MPa"]
duration = "10 min"
steps = 20
"""
HEAD = """
[dataset]
name = "{name}"
citation = "synthetic"
"""
JSON_KEYS = {"dataset", "output", "where", "type", "measured_SI", "predicted_SI", "band",
             "within", "status"}


def _a_sigma_n(stress):
    from interface.materials import get_material
    from interface.mechanics.viscoplastic import LithiumMaterial

    law = LithiumMaterial.from_material(get_material("Li"))
    return float(law.creep_rate(stress))


def write(tmp_path, body, name="synthetic", case=CASE):
    p = tmp_path / f"{name}.toml"
    p.write_text(HEAD.format(name=name) + case + body)
    return p


def rows_of(tmp_path, body, **kw):
    return validate([write(tmp_path, body, **kw)], quiet=True)


def test_value_bands_and_units(tmp_path):
    rate = _a_sigma_n(0.4e6)
    body = f"""
[[observation]]
output = "tables/creep/strain_rate_per_s"
where = {{ stress_Pa = "0.4 MPa" }}
value = {rate * 1.4}
band = {{ factor = 1.5 }}

[[observation]]
output = "tables/creep/strain_rate_per_s"
where = {{ stress_Pa = "400 kPa" }}
value = "{rate * 1.6 * 3600} 1/h"
band = {{ factor = 1.5 }}

[[observation]]
output = "tables/creep/strain_rate_per_s"
where = {{ stress_Pa = "0.4 MPa" }}
value = {rate * 1.05}
band = {{ rel = 0.1 }}

[[observation]]
output = "tables/creep/strain_rate_per_s"
where = {{ stress_Pa = "0.4 MPa" }}
value = {rate}
band = {{ abs = "{rate * 3600 * 0.01} 1/h" }}

[[observation]]
output = "tables/creep/strain_rate_per_s"
where = {{ stress_Pa = "0.4 MPa" }}
band = {{ min = {rate * 2} }}

[[observation]]
output = "summary/yield_stress_Pa"
value = "0.8 MPa"
band = {{ rel = 1e-9 }}
"""
    rows = rows_of(tmp_path, body)
    assert [r.within for r in rows] == [True, False, True, True, False, True]
    assert rows[1].measured_SI == pytest.approx(rate * 1.6)  # 1/h converted to 1/s
    assert rows[0].predicted_SI == pytest.approx(rate, rel=1e-9)
    assert rows[4].measured_SI is None and rows[4].band == {"min": pytest.approx(rate * 2)}
    for r in rows:
        assert set(r.as_json()) == JSON_KEYS and r.status == "ok"


def test_trends_difference_ratio(tmp_path):
    r2, r6 = _a_sigma_n(0.2e6), _a_sigma_n(0.6e6)
    body = f"""
[[observation]]
type = "loglog_slope"
output = "tables/creep/strain_rate_per_s"
x = "stress_Pa"
between = ["0.2 MPa", "0.6 MPa"]
value = 6.56
band = {{ abs = 0.01 }}

[[observation]]
type = "loglog_slope"
output = "tables/creep/strain_rate_per_s"
x = "stress_Pa"
value = 5.0
band = {{ abs = 0.5 }}

[[observation]]
type = "monotone"
output = "tables/creep/strain_rate_per_s"
x = "stress_Pa"
direction = "increasing"

[[observation]]
type = "monotone"
output = "tables/creep/strain_rate_per_s"
x = "stress_Pa"
direction = "decreasing"

[[observation]]
type = "difference"
output = "tables/creep/strain_rate_per_s"
where = {{ stress_Pa = "0.6 MPa" }}
minus = {{ stress_Pa = "0.2 MPa" }}
value = {r6 - r2}
band = {{ rel = 1e-6 }}

[[observation]]
type = "ratio"
output = "tables/creep/strain_rate_per_s"
where = {{ stress_Pa = "0.6 MPa" }}
minus = {{ stress_Pa = "0.2 MPa" }}
value = {3.0 ** 6.56}
band = {{ rel = 1e-6 }}
"""
    rows = rows_of(tmp_path, body)
    assert [r.within for r in rows] == [True, False, True, False, True, True]
    assert rows[0].predicted_SI == pytest.approx(6.56, abs=1e-6)
    assert rows[2].predicted_SI == 1.0 and rows[3].predicted_SI == 0.0
    assert rows[5].where["minus"] == {"stress_Pa": pytest.approx(0.2e6)}


def test_within_band_edges():
    assert within({"factor": 2.0}, 2.0, 1.0) and not within({"factor": 2.0}, 2.0001, 1.0)
    assert within({"abs": 0.1}, 1.1, 1.0) and not within({"abs": 0.1}, 0.89, 1.0)
    assert within({"min": 1.0}, 1.0, None) and not within({"max": 1.0}, 1.01, None)
    assert not within({"factor": 2.0}, -1.0, 1.0) and not within({"rel": 0.5}, math.nan, 1.0)


def test_unit_of_name():
    assert unit_of_name("stack_pressure_swing_Pa") == "Pa"
    assert unit_of_name("critical_stripping_current_A_per_m2") == "A/m^2"
    assert unit_of_name("interfacial_asr_ohm_m2") == "ohm*m^2"
    assert unit_of_name("capacity_retention") == "1"


BAD = [
    ("unknown_key", "[[observation]]\noutput = \"summary/yield_stress_Pa\"\nvalue = 1\n"
                    "band = { factor = 2.0 }\ncolour = \"red\"\n", "observation[0].colour"),
    ("no_band", "[[observation]]\noutput = \"summary/yield_stress_Pa\"\nvalue = 1\n",
     "observation[0].band"),
    ("empty_band", "[[observation]]\noutput = \"summary/yield_stress_Pa\"\nvalue = 1\n"
                   "band = {}\n", "observation[0].band"),
    ("bad_factor", "[[observation]]\noutput = \"summary/yield_stress_Pa\"\nvalue = 1\n"
                   "band = { factor = 0.5 }\n", "observation[0].band.factor"),
    ("bad_type", "[[observation]]\ntype = \"slope\"\noutput = \"summary/yield_stress_Pa\"\n",
     "observation[0].type"),
    ("bad_output", "[[observation]]\noutput = \"yield_stress_Pa\"\nvalue = 1\n"
                   "band = { factor = 2.0 }\n", "observation[0].output"),
    ("bad_quantity", "[[observation]]\noutput = \"summary/yield_stress_Pa\"\n"
                     "value = \"3 bananas\"\nband = { factor = 2.0 }\n", "observation[0].value"),
]


@pytest.mark.parametrize("name, body, key", BAD, ids=[b[0] for b in BAD])
def test_malformed_dataset_exit_2(tmp_path, capsys, name, body, key):
    p = write(tmp_path, body, name=name)
    out = tmp_path / "rows.json"
    rc = main(["validate", str(p), "--quiet", "--json", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert str(p) in err[0] and key in err[0] and "Traceback" not in err[0]
    assert not out.exists()


AFTER_RUN = [
    ("missing_output", "[[observation]]\noutput = \"summary/no_such_key_Pa\"\nvalue = \"1 Pa\"\n"
                       "band = { factor = 2.0 }\n", "observation[0].output"),
    ("missing_column", "[[observation]]\noutput = \"tables/creep/nope\"\n"
                       "where = { stress_Pa = \"0.2 MPa\" }\nvalue = 1\nband = { factor = 2.0 }\n",
     "observation[0].output"),
    ("where_no_row", "[[observation]]\noutput = \"tables/creep/strain_rate_per_s\"\n"
                     "where = { stress_Pa = \"0.25 MPa\" }\nvalue = 1e-7\n"
                     "band = { factor = 2.0 }\n", "observation[0].where"),
    ("wrong_dimension", "[[observation]]\noutput = \"tables/creep/strain_rate_per_s\"\n"
                        "where = { stress_Pa = \"0.2 MPa\" }\nvalue = \"3 m\"\n"
                        "band = { factor = 2.0 }\n", "observation[0].value"),
    ("where_dimension", "[[observation]]\noutput = \"tables/creep/strain_rate_per_s\"\n"
                        "where = { stress_Pa = \"0.2 m\" }\nvalue = 1e-7\n"
                        "band = { factor = 2.0 }\n", "observation[0].where.stress_Pa"),
]


@pytest.mark.parametrize("name, body, key", AFTER_RUN, ids=[b[0] for b in AFTER_RUN])
def test_observation_that_does_not_fit_the_case_exit_2(tmp_path, capsys, name, body, key):
    p = write(tmp_path, body, name=name)
    rc = main(["validate", str(p), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert str(p) in err[0] and key in err[0]


def test_missing_case_is_failed_row_exit_1(tmp_path, capsys):
    body = ("[dataset.case]\nfile = \"cases/not_there.toml\"\n[[observation]]\n"
            "output = \"summary/x_Pa\"\nvalue = \"1 MPa\"\nband = { factor = 2.0 }\n")
    p = tmp_path / "missing.toml"
    p.write_text(HEAD.format(name="missing") + body)
    out = tmp_path / "rows.json"
    rc = main(["validate", str(p), "--quiet", "--json", str(out)])
    assert rc == 1
    rows = json.loads(out.read_text())
    assert rows[0]["status"].startswith("failed: case file cases/not_there.toml not found")
    assert rows[0]["within"] is False and set(rows[0]) == JSON_KEYS


def test_case_override_error_is_failed_row(tmp_path):
    case = CASE.replace("[dataset.case.inline.case]",
                        "[dataset.case]\noverrides = { \"creep_test.bogus\" = 1 }\n"
                        "[dataset.case.inline.case]")
    body = ("[[observation]]\noutput = \"summary/yield_stress_Pa\"\nvalue = \"0.8 MPa\"\n"
            "band = { factor = 2.0 }\n")
    rows = rows_of(tmp_path, body, case=case)
    assert rows[0].status.startswith("failed: case not runnable") and "bogus" in rows[0].status


def test_shipped_datasets_parse_and_keep_their_numbers():
    import tomllib

    from tests.conftest import ROOT

    shipped = {p.name: p for p in shipped_datasets()}
    for name in ("kasemchainan2019_critical_stripping_current", "koerver2018_fixed_gap_jig",
                 "lee2020_low_pressure_after_wip", "masias2019_li_creep",
                 "sakka2022_densification", "zhou2025_operating_pressure"):
        ds = load_dataset(shipped[f"{name}.toml"])
        assert ds.name == name and ds.is_training == (name != "masias2019_li_creep")
        training = ROOT.parent / "shared" / "validation" / f"{name}.toml"
        if training.exists():  # the numbers exactly as given
            mine = tomllib.loads(shipped[f"{name}.toml"].read_text())
            given = tomllib.loads(training.read_text())
            assert mine["observation"] == given["observation"]
            assert mine["dataset"]["case"] == given["dataset"]["case"]


def test_validate_cli_json_and_docs(tmp_path, capsys):
    body = ("[[observation]]\noutput = \"tables/creep/strain_rate_per_s\"\n"
            "where = { stress_Pa = \"0.2 MPa\" }\nvalue = 2.0e-7\nband = { factor = 1.5 }\n")
    p = write(tmp_path, body, name="docs_check")
    out = tmp_path / "rows.json"
    rc = main(["validate", str(p), "--quiet", "--json", str(out), "--docs", str(tmp_path)])
    assert rc == 0
    text = capsys.readouterr().out
    assert "docs_check" in text and "1/1 observations within" in text
    rows = json.loads(out.read_text())
    assert len(rows) == 1 and set(rows[0]) == JSON_KEYS and rows[0]["within"] is True
    md = (tmp_path / "validation-experiments.md").read_text()
    assert "docs_check" in md and (tmp_path / "figures/validation/docs_check.png").exists()


def test_smoke_run_missing_row_is_not_an_input_error(tmp_path, capsys):
    """At smoke size a case computes fewer rows: reported, exit 0; at full size: exit 2."""
    body = ("[[observation]]\noutput = \"tables/creep/strain_rate_per_s\"\n"
            "where = { stress_Pa = \"0.25 MPa\" }\nvalue = 1e-7\nband = { factor = 2.0 }\n")
    p = write(tmp_path, body, name="smoke_rows")
    out = tmp_path / "rows.json"
    assert main(["validate", str(p), "--quiet", "--smoke", "--json", str(out)]) == 0
    row = json.loads(out.read_text())[0]
    assert row["status"].startswith("failed: not evaluated at smoke size")
    assert main(["validate", str(p), "--quiet"]) == 2
