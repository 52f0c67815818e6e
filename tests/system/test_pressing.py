"""The pressing architectures without PyBaMM: bands, sizing rules, monotone trends, errors."""

import math

import numpy as np
import pytest

from interface.errors import InputError
from interface.system.architectures import (
    ARCHITECTURES,
    Band,
    ModuleStack,
    PressingOptions,
    design,
    design_score,
)
from interface.system.energy import default_cell
from interface.system.fixture import FixtureOptions, areal_compliance
from interface.system.pads import FOAM_PADS, PadStack, get_pad


def _stack(cells=20, breathing=0.5e-3, column=None):
    cell = default_cell(0.2, 0.1, 15)
    socs = np.linspace(0.0, 1.0, 21)
    return ModuleStack(cell, cells, breathing * socs, socs, cell.compliance_m_per_Pa,
                       breathing / 30, 30, column=column)


def _opts(**kw):
    fo = FixtureOptions(pressing="disc_springs", cell_compliance=1e-13)
    return PressingOptions(fo, plate_materials=("steel", "aluminium_6061_t6"), **kw)


@pytest.mark.parametrize("arch", ARCHITECTURES)
@pytest.mark.parametrize("preload", [0.02e6, 0.1e6, 2e6])
def test_design_is_feasible_in_band_or_says_why(arch, preload):
    d = design(arch, _stack(), preload, Band(0.5 * preload, 3 * preload), _opts())
    if not d.feasible:
        assert d.reason
        return
    assert d.in_band, d.band_reason
    assert 0.5 * preload * (1 - 1e-9) <= min(d.pressure_min, d.pressure_min_end_of_life)
    assert d.pressure_max <= 3 * preload * (1 + 1e-9)
    assert d.fixture.mass_kg > 0 and d.fixture.added_volume_m3 >= 0
    assert math.isfinite(design_score(d, _stack()))
    # one face-uniformity criterion, met (0 for the isostatic enclosure)
    assert d.face_pressure_variation <= 0.05 * (1 + 1e-6)
    for m, v in d.parts().values():
        assert m >= 0 and v >= 0


def test_springs_band_comes_from_the_window():
    """The spring force band is the room the band leaves above the preload."""
    p0 = 1e6
    wide = design("tie_rods_springs", _stack(), p0, Band(0.5 * p0, 1.8 * p0), _opts())
    tight = design("tie_rods_springs", _stack(), p0, Band(0.5 * p0, 1.1 * p0), _opts())
    assert wide.feasible and tight.feasible
    assert wide.free_sizes["spring_force_band"] <= 0.8 + 1e-12
    assert tight.free_sizes["spring_force_band"] <= 0.1 + 1e-12
    assert tight.pressure_max <= 1.1 * p0 * (1 + 1e-9)
    # a tighter band needs softer springs: more compliance
    assert tight.compliance > wide.compliance


def test_pads_pressure_follows_eq3_and_compression_set_lowers_it():
    p0 = 0.05e6
    d = design("compression_pads", _stack(), p0, Band(0.02e6, 0.15e6), _opts())
    assert d.feasible, d.reason
    h = d.history
    assert np.all(np.diff(h["stack_pressure_Pa"]) >= -1e-9)  # breathing grows with SOC
    assert np.all(h["stack_pressure_end_of_life_Pa"] < h["stack_pressure_Pa"])
    assert d.pressure_max == pytest.approx(0.15e6, rel=1e-6)  # eq. (4) puts it on the top
    pad = get_pad(d.free_sizes["pad_grade"])
    assert d.free_sizes["pad_strain_max"] <= pad.max_strain


def test_pads_cannot_hold_mpa():
    d = design("compression_pads", _stack(), 1e6, Band(0.5e6, 2e6), _opts())
    assert not d.feasible and "holds at most" in d.reason


def test_narrower_band_needs_thicker_pads():
    from interface.system.pads import pad_thickness_for_band

    pad = FOAM_PADS["poron_4701_30_320"]
    t = [pad_thickness_for_band(pad, 20, 0.5e-3, 1e-13, 1e-11, 5e4, hi)
         for hi in (0.2e6, 0.1e6, 0.07e6)]
    assert t[0] < t[1] < t[2]


def test_padstack_lifts_off_instead_of_pulling():
    pad = FOAM_PADS["poron_4701_30_320"]
    ps = PadStack(pad, 5e-3, 10, 1e-13, 1e-11, 2e4)
    assert ps.pressure(-2e-3) == 0.0
    assert ps.pressure(0.0) == pytest.approx(2e4, rel=1e-9)


def test_enclosure_is_isostatic_and_boyle():
    p0 = 2e6
    st = _stack()
    d = design("pressurised_enclosure", st, p0, Band(0.5 * p0, 1.5 * p0), _opts())
    assert d.feasible
    assert d.face_pressure_variation == 0.0
    v_g = d.free_sizes["gas_volume_m3"]
    dv = st.cells * st.cell.face_length * st.cell.face_width * st.breathing
    np.testing.assert_allclose(d.history["stack_pressure_Pa"], p0 * v_g / (v_g - dv),
                               rtol=1e-12)
    # the walls grow with the pressure once above the minimum wall
    heavy = design("pressurised_enclosure", st, 20e6, Band(10e6, 30e6), _opts())
    assert heavy.mass_kg > 2 * d.mass_kg


def test_cell_to_pack_shares_its_walls():
    """More cells per row between the two end walls: less hardware per cell."""
    per_cell = []
    for n in (25, 100, 400):
        d = design("cell_to_pack", _stack(), 0.05e6, Band(0.02e6, 0.15e6),
                   _opts(ctp_cells_per_row=n))
        assert d.feasible, d.reason
        walls = d.parts()["end_wall"][0]
        per_cell.append(walls / n)
    assert per_cell[0] > per_cell[1] > per_cell[2]


def test_frame_elastic_is_the_laminate_closed_form():
    st = _stack(breathing=2e-6)
    p0 = 1e6
    d = design("fixed_gap_frame", st, p0, Band(0.1 * p0, 100 * p0), _opts())
    assert d.feasible, d.reason
    c = st.cells * st.cell_compliance + d.compliance
    expected = p0 + st.cells * st.breathing / c
    np.testing.assert_allclose(d.history["stack_pressure_Pa"], expected, rtol=1e-12)


def test_frame_with_li_metal_breathing_is_infeasible():
    d = design("fixed_gap_frame", _stack(breathing=0.5e-3), 1e6, Band(0.5e6, 3e6), _opts())
    assert not d.feasible and "rigid frame" in d.reason


def test_springs_need_rods_and_springs():
    from dataclasses import replace

    o = _opts()
    none = design("tie_rods_springs", _stack(), 1e6, None,
                  replace(o, fixture=replace(o.fixture, pressing="none")))
    assert not none.feasible and "pressing = 'none'" in none.reason
    straps = design("tie_rods_springs", _stack(), 1e6, None,
                    replace(o, fixture=replace(o.fixture, tension="straps", pressing="none")))
    assert not straps.feasible


def test_cell_level_fixtures_run():
    from dataclasses import replace

    o = _opts()
    o = replace(o, fixture=replace(o.fixture, level="cell"))
    d = design("tie_rods_springs", _stack(cells=4), 0.5e6, Band(0.25e6, 1e6), o)
    assert d.feasible, d.reason
    assert d.fixture.fixtures_per_module == 4
    assert areal_compliance(d.fixture)["total"] > 0


def test_bad_architecture_and_preload_name_the_key():
    with pytest.raises(InputError) as exc:
        design("bladder", _stack(), 1e6, None, _opts())
    assert exc.value.key == "architectures"
    with pytest.raises(InputError) as exc:
        design("compression_pads", _stack(), -1.0, None, _opts())
    assert exc.value.key == "preload"


@pytest.mark.parametrize("interface_, phrase", [("stick", "drives the pressure to"),
                                                ("slip", "lifts off")])
def test_frame_creep_relaxes_nothing_when_stuck_and_ratchets_to_lift_off_when_slipping(
        interface_, phrase):
    """The frame's pressure history is the creeping stack column of the case's repeat unit:
    Li stuck to its neighbours cannot squeeze out over the 80 mm face (the plating drives
    the pressure up); Li on frictionless faces creeps out while plating and leaves a gap
    when stripped."""
    from interface import load_case
    from interface.models import tradeoff as tm
    from tests.conftest import CASES

    case = load_case(CASES / "tradeoff_nmc811_lpscl_li.toml",
                     overrides={"stack.metal_interface": interface_,
                                "system.pressing.frame_cycles": 1})
    cell = tm.cell_design(case)
    st = tm.module_stack(case, cell, 20)
    assert st.column is not None
    d = design("fixed_gap_frame", st, 1e6, None, tm.pressing_options(case))
    assert not d.feasible and phrase in d.reason, d.reason
    p = np.asarray(d.history["stack_pressure_Pa"])
    assert len(d.history["time_s"]) == len(p) > 10
    if interface_ == "slip":
        assert p.min() == 0.0
    else:
        assert p.max() > 10e6
