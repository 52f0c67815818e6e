"""The fitted Li contact law drives the electrochemistry model (law = "fitted" / "results")."""

import h5py
import pytest

from interface import load_case, run
from interface.errors import InputError
from interface.mechanics.contact_laws import FittedLithiumLaw
from tests.conftest import write_case

BASE = ('[case]\nmodel = "electrochem"\n[electrochem]\nc_rates = [1.0]\n'
        'pressures = ["0.5 MPa", "1.5 MPa"]\n[contact.lithium]\n')


def test_electrochem_runs_with_the_fitted_law(tmp_path):
    text = BASE + 'law = "fitted"\nroughness = "0.3 um"\nhold_time = "1 h"\n'
    result = run(load_case(write_case(tmp_path, text)), figures=False)
    assert result.ok, result.message
    sw = result.tables["pressure_sweep"]
    law = FittedLithiumLaw(roughness=0.3e-6)
    expect = law.contact_fraction([0.5e6, 1.5e6], 3600.0, 298.15)
    assert sw["li_contact_fraction"] == pytest.approx(expect, rel=1e-9)
    assert sw["li_contact_fraction"][1] > sw["li_contact_fraction"][0]


def test_results_law_reads_a_lithium_results_file(tmp_path):
    law = FittedLithiumLaw(coefficient=1.2, pressure_exponent=1.1, time_exponent=0.2)
    with h5py.File(tmp_path / "li.h5", "w") as f:
        g = f.create_group("tables/lithium_law")
        tab = law.as_table()
        g["name"] = list(tab)
        g["value"] = list(tab.values())
    text = BASE + 'law = "results"\nresults = "li.h5"\n'
    case = load_case(write_case(tmp_path, text))
    from interface.models.electrochem import lithium_law

    got = lithium_law(case)
    assert got.coefficient == 1.2 and got.pressure_range == law.pressure_range


def test_fitted_law_range_is_checked_at_load(tmp_path):
    text = BASE.replace('"1.5 MPa"', '"5 MPa"') + 'law = "fitted"\n'
    with pytest.raises(InputError, match="outside") as exc:
        load_case(write_case(tmp_path, text))
    assert "electrochem.pressures[1]" in str(exc.value)
    text = BASE + 'law = "fitted"\nhold_time = "3 h"\n'
    with pytest.raises(InputError, match="contact.lithium.hold_time"):
        load_case(write_case(tmp_path, text))
    text = BASE + 'law = "results"\n'
    with pytest.raises(InputError, match="contact.lithium.results"):
        load_case(write_case(tmp_path, text))
