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


#: The window opened: a design current the interface carries at low pressure, a dense
#: separator (no pores for Li filaments), so that every constraint can be met.
OPEN = {**LEAN, "tradeoff.cycles": 2, "tradeoff.window.current_density": "0.02 mA/cm^2",
        "tradeoff.window.separator_porosity": 0.0}


@pytest.fixture(scope="module")
def opened():
    from interface.backend import MPI

    return run(load_case(CASE, overrides=OPEN, smoke=True), MPI.COMM_SELF)


REQUIRED = ("stack_pressure_Pa", "architecture", "pack_specific_energy_Wh_per_kg",
            "pack_energy_density_Wh_per_L", "cell_specific_energy_Wh_per_kg",
            "cell_energy_density_Wh_per_L", "pack_to_cell_mass_ratio",
            "pack_to_cell_volume_ratio", "fixture_mass_kg")


def _no_nan(result):
    for name, table in result.tables.items():
        for col, arr in table.columns.items():
            a = np.asarray(arr)
            if a.dtype.kind == "f":
                assert np.all(np.isfinite(a)), f"{name}/{col}"


def test_every_architecture_at_every_preload_is_reported(baseline):
    t, sk = baseline.tables["tradeoff"], baseline.tables.get("skipped_points")
    n_p = len(np.unique(np.concatenate([t["stack_pressure_Pa"],
                                        sk["stack_pressure_Pa"] if sk else []])))
    archs = baseline.summary["architectures"]
    assert len(t) + (len(sk) if sk else 0) == n_p * len(archs)
    if sk:
        assert all(r for r in sk["reason"])
    _no_nan(baseline)


def test_summary_has_the_optimum_and_the_window(baseline):
    s = baseline.summary
    assert len(s["pressure_window_Pa"]) == 2
    opt = s["optimum"]
    for key in REQUIRED:
        assert key in opt, key
    assert 0 < opt["pack_to_cell_mass_ratio"] < 1 and 0 < opt["pack_to_cell_volume_ratio"] < 1
    assert opt["pack_to_cell_mass_ratio"] == pytest.approx(
        opt["pack_specific_energy_Wh_per_kg"] / opt["cell_specific_energy_Wh_per_kg"])
    if not opt["constraints_met"]:  # the run says why, with the numbers
        assert opt["violated_constraints"]
        assert s["verdict"].startswith("no design meets every constraint")


def test_open_window_optimum_meets_every_constraint(opened):
    s = opened.summary
    opt = s["optimum"]
    lo, hi = s["pressure_window_Pa"]
    assert opt["constraints_met"], s["verdict"]
    assert lo <= opt["stack_pressure_Pa"] <= hi
    assert opt["stack_pressure_min_in_cycle_Pa"] >= lo * (1 - 1e-9)
    assert opt["stack_pressure_min_end_of_life_Pa"] >= lo * (1 - 1e-9)
    assert opt["stack_pressure_max_in_cycle_Pa"] <= hi * (1 + 1e-9)
    assert opt["capacity_retention"] >= s["retention_target"]
    # the optimum is the best of the table under the constraints (objective: balanced)
    t = opened.tables["tradeoff"]
    met = t["constraints_met"].astype(bool)
    best = np.max(np.sqrt(t["pack_Wh_per_kg"][met] * t["pack_Wh_per_L"][met]))
    value = np.sqrt(opt["pack_specific_energy_Wh_per_kg"] * opt["pack_energy_density_Wh_per_L"])
    assert value >= best * (1 - 1e-12)
    _no_nan(opened)


def test_breakdown_sums_to_the_fixture_mass(baseline):
    b = baseline.tables["fixture_mass_breakdown"]
    parts = [c for c in b.columns if c.endswith("_mass_kg") and c != "fixture_mass_kg"]
    total = np.sum([b[c] for c in parts], axis=0)
    np.testing.assert_allclose(total, b["fixture_mass_kg"], rtol=1e-12)
    t = baseline.tables["tradeoff"]
    np.testing.assert_allclose(np.sort(b["fixture_mass_kg"]), np.sort(t["fixture_mass_kg"]))
    # the added envelope is the parts' volume plus what else it holds, per part
    vols = [c for c in b.columns if c.endswith("_volume_m3") and c not in
            ("fixture_added_volume_m3", "envelope_other_volume_m3")]
    np.testing.assert_allclose(np.sum([b[c] for c in vols], axis=0)
                               + b["envelope_other_volume_m3"], b["fixture_added_volume_m3"],
                               rtol=1e-12, atol=1e-15)


def test_face_uniformity_is_met_and_reported(baseline):
    t = baseline.tables["tradeoff"]
    assert np.all(t["face_pressure_variation"] <= 0.05 * (1 + 1e-6))
    enc = t["architecture"] == "pressurised_enclosure"
    assert np.all(t["face_pressure_variation"][enc] == 0.0)


def test_compression_set_lowers_the_end_of_life_pressure(baseline):
    t = baseline.tables["tradeoff"]
    pads = np.isin(t["architecture"], ["compression_pads", "cell_to_pack"])
    assert pads.any()
    assert np.all(t["stack_pressure_min_end_of_life_Pa"][pads] < t["stack_pressure_min_Pa"][pads])


def test_double_sided_construction_shares_collectors():
    import dataclasses

    from interface.models.tradeoff import cell_design

    case = load_case(CASE, overrides=LEAN, smoke=True)
    single = load_case(CASE, overrides={**LEAN, "system.cell.construction": "single_sided"},
                       smoke=True)
    u = case.system.cell.repeat_units
    d, s = cell_design(case), cell_design(single)
    counts = {la.name: la.count for la in d.layers}
    assert counts["cathode_cc"] == (u + 2) // 2 and counts["anode_cc"] == (u + 1) // 2
    assert counts["cathode"] == u and {la.name: la.count for la in s.layers}["cathode_cc"] == u
    th = {la.name: la.thickness for la in d.layers}
    saved = (u - counts["cathode_cc"]) * th["cathode_cc"] + (u - counts["anode_cc"]) * \
        th["anode_cc"]
    assert s.thickness_m - d.thickness_m == pytest.approx(saved, rel=1e-12)
    assert d.mass_kg < s.mass_kg
    # the cell's volume is taken at its charged thickness (plated Li)
    assert d.swelling > 0
    assert d.volume_m3 == pytest.approx(dataclasses.replace(d, swelling=0.0).volume_m3
                                        * (1 + d.swelling / d.thickness_m), rel=1e-12)


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
    ({"tradeoff.architectures": ["bladder"]}, "tradeoff.architectures[0]"),
    ({"system.pressing.pad_grades": ["sponge"]}, "system.pressing.pad_grades[0]"),
    ({"system.pressing.plate_materials": ["cheese"]}, "system.pressing.plate_materials[0]"),
    ({"system.fixture.deflection_limit": "100 um"}, "system.fixture.deflection_limit"),
    ({"system.fixture.plate_method": "fe"}, "system.fixture.plate_method"),
    ({"tradeoff.window.separator_porosity": 1.2}, "tradeoff.window.separator_porosity"),
    ({"tradeoff.window.current_density": "-1 mA/cm^2"}, "tradeoff.window.current_density"),
    ({"tradeoff.retention_target": 0}, "tradeoff.retention_target"),
])
def test_bad_input_names_the_key(override, key):
    from interface.errors import InputError

    with pytest.raises(InputError) as exc:
        load_case(CASE, overrides=override)
    assert exc.value.key == key, str(exc.value)


def test_points_without_energy_go_to_skipped_points_not_nan(baseline):
    """Results never hold NaN: a point without an energy density is listed with its reason."""
    sk = baseline.tables["skipped_points"]
    assert len(sk) and all(isinstance(r, str) and r for r in sk["reason"])
    assert "fixed_gap_frame" in set(sk["architecture"])  # Li plating in a rigid frame
