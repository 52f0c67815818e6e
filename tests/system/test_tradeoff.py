"""The trade-off: interior optimum, heavier fixture -> lower optimum, in-model two-way
coupling vs the stepped FE coupling, fixture compliance limits."""

import numpy as np
import pytest

from interface import load_case, run
from interface.system.fixture import plate_mean_to_max_deflection
from tests.conftest import CASES

CASE = CASES / "tradeoff_nmc811_lpscl_li.toml"
LEAN = {"tradeoff.cycles": 0, "tradeoff.area_factors": [], "tradeoff.cells_per_module": [],
        "tradeoff.c_rates": [], "tradeoff.interface_improvements": [2.0]}


@pytest.fixture(scope="module")
def baseline():
    from interface.backend import MPI

    return run(load_case(CASE, overrides=LEAN, smoke=True), MPI.COMM_SELF)


def test_default_optimum_is_interior(baseline):
    opt = baseline.summary["optimum"]
    assert opt["interior"], opt
    t = baseline.tables["tradeoff"]
    assert t["stack_pressure_Pa"][0] < opt["stack_pressure_Pa"] < t["stack_pressure_Pa"][-1]
    # the pack value at the optimum is not below any grid point
    assert opt["pack_specific_energy_Wh_per_kg"] >= np.nanmax(t["pack_Wh_per_kg"]) - 1e-9


def test_heavier_fixture_lowers_the_optimum(baseline):
    from interface.backend import MPI

    heavy = {**LEAN, "materials.heavy_steel.youngs_modulus": "200 GPa",
             "materials.heavy_steel.poisson_ratio": 0.3,
             "materials.heavy_steel.density": "31.4 g/cm^3",
             "materials.heavy_steel.yield_stress": "250 MPa",
             "system.fixture.material": "heavy_steel"}
    res = run(load_case(CASE, overrides=heavy, smoke=True), MPI.COMM_SELF)
    assert res.summary["optimum"]["stack_pressure_Pa"] < \
        baseline.summary["optimum"]["stack_pressure_Pa"]
    assert res.summary["optimum"]["pack_specific_energy_Wh_per_kg"] < \
        baseline.summary["optimum"]["pack_specific_energy_Wh_per_kg"]


def test_energy_rises_with_pressure_and_fixture_mass_too(baseline):
    t = baseline.tables["tradeoff"]
    e = t["energy_per_area_J_per_m2"]
    assert np.all(np.diff(e) > 0)
    assert np.all(np.diff(t["fixture_mass_kg"][2:]) > 0)


def test_in_model_coupling_equals_stepped_fe_coupling():
    """The stack_breathing (in-model) two-way discharge equals the FE stack model coupled by
    stepping, as the coupling step shrinks (midpoint scheme, 2nd order)."""
    import dataclasses

    from interface.case.stack import FixtureSpec
    from interface.electrochem.protocols import breathing_discharges, coupled_discharge
    from interface.models import electrochem as ec_model
    from interface.models import tradeoff as tm

    case = load_case(CASE, overrides=LEAN, smoke=True)
    s = ec_model.settings(case, two_way=False)
    cell = ec_model.build_cell(s, case, stack_breathing=tm.breathing_table(case, s))
    # a low preload in a stiff fixture: the pressure swings 0.04 -> 0.39 MPa, where the
    # contact is pressure sensitive
    n, k_areal = 1, 2e10   # repeat units, fixture stiffness per area (Pa/m)
    c_unit = tm.unit_breathing(case)[1]
    gain = n / (n * c_unit + 1.0 / k_areal)
    p0 = 3e4
    rec = breathing_discharges(cell, [(p0, gain, 1.0)], 0.5)[0]
    const = breathing_discharges(cell, [(p0, 0.0, 1.0)], 0.5)[0]
    assert rec.curve.pressure.max() > 5 * p0
    assert rec.energy > 1.05 * const.energy   # the coupling matters here
    fcase = dataclasses.replace(
        case, stack=dataclasses.replace(case.stack, repeat_units=n),
        fixture=FixtureSpec(type="elastic", preload=p0, stiffness=k_areal * case.stack.area))
    law = ec_model.StackPressureLaw(fcase, s.stoichiometry_soc, None, True)
    errs = []
    for dt in (1600.0, 400.0):
        stepped = coupled_discharge(cell, law, 0.5, dt, scheme="explicit")
        errs.append(abs(stepped.energy - rec.energy) / rec.energy)
    law.destroy()
    assert errs[1] < 0.6 * errs[0], errs   # first order: x0.25 ideally
    assert errs[1] < 1e-3, errs


def test_plate_mean_deflection_limits():
    # square: Navier series; a long strip tends to the beam's 0.64 (q L^4/120EI / 5qL^4/384EI)
    assert plate_mean_to_max_deflection(1, 1) == pytest.approx(0.419, abs=1e-3)
    ratios = [plate_mean_to_max_deflection(a, 1, terms=201) for a in (2, 5, 20, 50)]
    assert np.all(np.diff(ratios) > 0)
    assert ratios[-1] == pytest.approx(0.64, rel=0.025)  # end effects ~ b/a
    assert plate_mean_to_max_deflection(1, 1, "two_edges") == 0.64


@pytest.mark.parametrize("override, key", [
    ({"system.cell.face_length": "0 mm"}, "system.cell.face_length"),
    ({"system.cell.face_width": "-10 mm"}, "system.cell.face_width"),
    ({"system.fixture.safety_factor": 0.8}, "system.fixture.safety_factor"),
    ({"system.fixture.deflection_limit": "0 um"}, "system.fixture.deflection_limit"),
    ({"system.fixture.material": "unobtainium"}, "system.fixture.material"),
    ({"tradeoff.pressure_max": "0.001 MPa"}, "tradeoff.pressure_max"),
    ({"tradeoff.c_rate": 0}, "tradeoff.c_rate"),
])
def test_bad_input_names_the_key(override, key):
    from interface.errors import InputError

    with pytest.raises(InputError) as exc:
        load_case(CASE, overrides=override)
    assert exc.value.key == key, str(exc.value)


def test_points_without_energy_go_to_skipped_points_not_nan():
    """Results never hold NaN: a preload without an energy density is listed with its reason."""
    from interface.models.tradeoff import _split_rows
    from interface.results.result import Table

    t = Table()
    t.add("stack_pressure_Pa", [1e5, 1e6, 1e7], "Pa")
    t.add("feasible", np.array(["True", "False", "True"], dtype=object), "1")
    t.add("infeasible_reason", np.array(["", "plate too thick", ""], dtype=object), "1")
    t.add("pack_Wh_per_kg", [100.0, np.nan, np.nan], "W*h/kg")
    good, skipped = _split_rows(t, ["discharge at C-rate 0.5, P = 1e+07 Pa, s = 1: boom"])
    assert list(good["stack_pressure_Pa"]) == [1e5]
    assert list(skipped["stack_pressure_Pa"]) == [1e6, 1e7]
    assert "plate too thick" in skipped["reason"][0]
    assert "boom" in skipped["reason"][1]
