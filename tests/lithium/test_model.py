"""The lithium model at smoke size: tables, units, the fitted law round trip, failures."""

import json

import numpy as np
import pytest

from interface import load_case, run
from interface.mechanics.contact_laws import FittedLithiumLaw
from tests.conftest import CASES, write_case

CASE = CASES / "lithium_interface.toml"


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("li") / "out"
    result = run(load_case(CASE, smoke=True), output=out, fields=False)
    return result, out


def test_tables_and_summary(smoke):
    result, out = smoke
    assert result.ok, result.message
    sw, ins = result.tables["pressure_sweep"], result.tables["instantaneous"]
    assert list(sw["stack_pressure_Pa"]) == [0.2e6, 2e6]
    assert list(ins["stack_pressure_Pa"]) == [0.2e6, 2e6]
    for t, col in ((ins, "contact_fraction_elastic"), (ins, "contact_fraction_plastic"),
                   (sw, "contact_fraction_creep")):
        assert np.all((t[col] > 0) & (t[col] <= 1)) and np.all(np.diff(t[col]) >= 0), col
    assert np.all(np.diff(sw["contact_fraction_creep"]) > 0)
    # creep adds contact to the instantaneous elastic-plastic state, which exceeds elastic
    assert np.all(sw["contact_fraction_creep"] >= ins["contact_fraction_plastic"] - 1e-12)
    assert np.all(ins["contact_fraction_plastic"] > ins["contact_fraction_elastic"])
    assert np.all(sw["mean_gap_creep_m"] <= ins["mean_gap_plastic_m"])
    h = result.tables["creep_history"]
    for p in sw["stack_pressure_Pa"]:
        f = h["contact_fraction"][h["stack_pressure_Pa"] == p]
        assert np.all(np.diff(f) >= 0)
    st = result.tables["stripping"]
    assert st["critical_current_lower_A_per_m2"][0] <= st["critical_current_density_A_per_m2"][0]
    # smoke: the last stripping pressure (5 MPa) only; the search starts at current_max
    assert list(st["stack_pressure_Pa"]) == [5e6]
    status = str(st["critical_current_status"][0])
    flags = {k: int(st[k][0]) for k in ("above_current_range", "below_current_range",
                                         "solver_failed")}
    assert status in ("bracketed", "above_range", "below_range", "solver_failed")
    assert flags == {"above_current_range": int(status == "above_range"),
                     "below_current_range": int(status == "below_range"),
                     "solver_failed": int(status == "solver_failed")}
    runs = result.tables["stripping_runs"]
    assert runs["current_density_A_per_m2"][0] == pytest.approx(1000.0)  # 100 mA/cm^2
    assert st["refill_current_density_A_per_m2"][0] == pytest.approx(
        st["creep_refill_velocity_m_per_s"][0] / 4.850e-6 * 3.6e4, rel=1e-3)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "ok"
    assert "pressure_for_target_fraction_Pa" in summary
    assert (out / "figures" / "lithium_contact.png").exists()
    assert (out / "figures" / "lithium_stripping.png").exists()


def test_fitted_law_round_trip_into_electrochem(smoke, tmp_path):
    result, out = smoke
    law = FittedLithiumLaw.from_results(out / "results.h5")
    assert law.coefficient == pytest.approx(result.summary["law_coefficient"])
    assert law.pressure_range == (0.2e6, 2e6)
    h = result.tables["creep_history"]
    err = law.contact_fraction(h["stack_pressure_Pa"], h["hold_time_s"], 298.15) - \
        h["contact_fraction"]
    assert np.sqrt(np.mean(err**2)) == pytest.approx(result.summary["law_rms_error_fit"])
    text = ('[case]\nmodel = "electrochem"\n[electrochem]\nc_rates = [1.0]\n'
            'pressures = ["1 MPa"]\n[contact.lithium]\nlaw = "results"\n'
            f'results = "{out / "results.h5"}"\nhold_time = "5 s"\n')
    from interface.models.electrochem import lithium_law

    got = lithium_law(load_case(write_case(tmp_path, text)))
    assert got.contact_fraction(1e6, 5.0) == pytest.approx(law.contact_fraction(1e6, 5.0))


@pytest.mark.parametrize("overrides, expected", [
    ({"solver.linear_solver": "direct"}, ("lu", None)),
    ({"solver.linear_solver": "iterative", "solver.rtol": "1e-4"}, ("pmg", {"ksp_rtol": 1e-4})),
    ({"mesh.dimension": "3", "mesh.lateral_cells": "8"}, ("lu", None)),  # auto, 3D, small
    ({"mesh.dimension": "3", "mesh.lateral_cells": "40"}, ("pmg", {"ksp_rtol": 1e-9})),
])
def test_linear_solver_follows_the_solver_table(overrides, expected):
    """[solver] picks MUMPS or CG + P2 -> P1 multigrid ("auto": by the DOF count)."""
    from interface.models.lithium import estimate_dofs, linear_solver

    case = load_case(CASE, overrides=overrides)
    assert linear_solver(case) == expected
    if overrides.get("mesh.lateral_cells") == "40":
        assert estimate_dofs(case) > case.solver.direct_max_dofs // 2
