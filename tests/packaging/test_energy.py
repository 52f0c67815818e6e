"""Energy-density bookkeeping, trade-off versus pressure and the optimal pressure."""

import dataclasses
import math

import numpy as np
import pytest

from interface.errors import InputError
from interface.system.energy import (
    CellDesign,
    CellLayer,
    Packaging,
    Packing,
    default_cell,
    energy_density,
    energy_density_vs_pressure,
    fixture_for,
    optimal_pressure,
    optimise_pressure,
)
from interface.system.fixture import Fixture, FixtureOptions
from interface.system.verify import energy_bookkeeping_benchmark

E_CELL = 120e3  # J per cell (~33 Wh), a parameter here; PyBaMM provides it in the package


def test_bookkeeping_rows(comm):
    rows = energy_bookkeeping_benchmark(comm)
    assert rows and all(r.passed for r in rows)


def test_cell_from_parts():
    cell = CellDesign(0.1, 0.05, (CellLayer("cathode", 80e-6, 0.30, 4),
                                  CellLayer("separator", 30e-6, 0.05, 4),
                                  CellLayer("li", 20e-6, 0.011, 4),
                                  CellLayer("cc", 10e-6, 0.05, 3)),
                      Packaging(pouch_areal_mass=0.16, pouch_thickness=100e-6, seal_width=5e-3,
                                tab_mass=1e-3, tab_length=10e-3))
    parts = cell.mass_breakdown_kg()
    area = 0.1 * 0.05
    assert parts["cathode"] == pytest.approx(4 * 0.30 * area)
    assert parts["pouch"] == pytest.approx(2 * 0.16 * 0.11 * 0.06)
    assert parts["tabs"] == 1e-3
    m = math.fsum(parts.values())
    ed = energy_density(5000.0, cell)
    assert ed.cell_Wh_per_kg == pytest.approx(5000.0 / 3600.0 / m, rel=1e-14)
    h = 4 * 80e-6 + 4 * 30e-6 + 4 * 20e-6 + 3 * 10e-6 + 2 * 100e-6
    assert cell.thickness_m == pytest.approx(h)
    assert cell.volume_m3 == pytest.approx((0.1 + 0.01 + 0.01) * 0.06 * h)
    assert ed.cell_Wh_per_L == pytest.approx(5000.0 / 3600.0 / (cell.volume_m3 * 1e3))


def test_default_cell_is_plausible():
    cell = default_cell()
    ed = energy_density(E_CELL, cell)
    assert 0.05 < cell.mass_kg < 0.1
    assert 300 < ed.cell_Wh_per_kg < 600 and 700 < ed.cell_Wh_per_L < 1300
    assert cell.compliance_m_per_Pa > 0
    assert set(cell.mass_breakdown_kg()) == {"cathode_composite", "separator", "li_anode",
                                             "al_current_collector", "cu_current_collector",
                                             "pouch", "tabs"}


@pytest.mark.parametrize("n", [1, 7, 40])
def test_zero_fixture_pack_is_cell_times_packing(n):
    cell = default_cell()
    packing = Packing(mass_fraction=0.83, volume_fraction=0.61)
    ed = energy_density(E_CELL, cell, Fixture.none(n), packing)
    assert ed.module_Wh_per_kg == pytest.approx(ed.cell_Wh_per_kg, rel=1e-14)
    assert ed.pack_Wh_per_kg == pytest.approx(0.83 * ed.cell_Wh_per_kg, rel=1e-14)
    assert ed.pack_Wh_per_L == pytest.approx(0.61 * ed.cell_Wh_per_L, rel=1e-14)


def test_fixture_lowers_module_and_pack_values():
    cell = default_cell()
    fx = fixture_for(cell, 2e6, cells_per_module=20)
    ed = energy_density(E_CELL, cell, fx)
    assert ed.module_mass_kg == pytest.approx(20 * cell.mass_kg + fx.mass_kg)
    assert ed.module_volume_m3 == pytest.approx(20 * cell.volume_m3 + fx.added_volume_m3)
    assert ed.module_Wh_per_kg < ed.cell_Wh_per_kg
    assert ed.module_Wh_per_L < ed.cell_Wh_per_L
    assert ed.pack_Wh_per_kg == pytest.approx(0.85 * ed.module_Wh_per_kg)
    assert math.fsum(ed.mass_breakdown_kg.values()) == pytest.approx(ed.pack_mass_kg, rel=1e-14)
    assert fx.added_volume_m3 > 0


def test_energy_input_errors():
    cell = default_cell()
    with pytest.raises(InputError) as e:
        energy_density(-1.0, cell)
    assert e.value.key == "energy_per_cell"
    with pytest.raises(InputError) as e:
        Packing(mass_fraction=0.0)
    assert e.value.key == "mass_fraction"
    with pytest.raises(InputError) as e:
        CellDesign(0.0, 0.1, (CellLayer("a", 1e-5, 0.01),))
    assert e.value.key == "face_length"
    with pytest.raises(InputError) as e:
        CellDesign(0.1, 0.1, (CellLayer("a", -1e-5, 0.01),))
    assert e.value.key == "layers.a.thickness"
    with pytest.raises(InputError) as e:
        energy_density_vs_pressure([1e6, 5e5], [1.0, 2.0], cell)
    assert e.value.key == "pressures"
    with pytest.raises(InputError) as e:
        energy_density_vs_pressure([1e6, 2e6], [1.0], cell)
    assert e.value.key == "energy"


# ------------------------------------------------------------------ trade-off
def saturating(e_inf: float, p0: float):
    """E(P) = E_inf (1 - exp(-P / P0)), J per cell."""
    return lambda p: e_inf * (1.0 - math.exp(-p / p0))


OPTS = FixtureOptions(cells_per_module=20, deflection_limit=100e-6)


def test_tradeoff_arrays_and_callable_agree():
    cell = default_cell()
    p = np.geomspace(2e5, 2e7, 9)
    law = saturating(E_CELL, 1.5e6)
    a = energy_density_vs_pressure(p, law, cell, OPTS)
    b = energy_density_vs_pressure(p, [law(x) for x in p], cell, OPTS)
    assert np.allclose(a.pack_Wh_per_kg, b.pack_Wh_per_kg, rtol=1e-14)
    assert np.all(np.diff(a.fixture_mass_kg) > 0)          # heavier with pressure
    assert np.all(np.diff(a.cell_Wh_per_kg) > 0)           # the cell only sees E(P)


def test_interior_optimum_and_spline_close_to_exact():
    cell = default_cell()
    law = saturating(E_CELL, 1.5e6)
    opt, table = optimise_pressure(law, cell, OPTS, pressure_range=(1e5, 1e8), points=31)
    assert opt.interior and opt.method == "objective"
    assert table.pressure_Pa[0] < opt.pressure_Pa < table.pressure_Pa[-1]
    spl = table.optimum("pack_Wh_per_kg")
    assert spl.interior and spl.method == "spline"
    assert spl.pressure_Pa == pytest.approx(opt.pressure_Pa, rel=0.05)
    assert spl.value == pytest.approx(opt.value, rel=1e-3)
    assert opt.value >= table.pack_Wh_per_kg.max()


def test_optimum_moves_to_lower_pressure_with_heavier_fixture(steel):
    """Property: saturating E(P); scaling the fixture material's density up moves the optimum
    to a lower pressure (the marginal fixture mass per Pa grows, the energy gain does not)."""
    cell = default_cell()
    law = saturating(E_CELL, 1.5e6)
    optima = []
    for scale in (1.0, 2.0, 4.0):
        mat = dataclasses.replace(steel, density=scale * steel.density)
        opts = dataclasses.replace(OPTS, material=mat, pad_material="polymer_pad")
        opt, _ = optimise_pressure(law, cell, opts, pressure_range=(1e5, 1e8), points=31)
        assert opt.interior
        optima.append(opt)
    assert optima[0].pressure_Pa > optima[1].pressure_Pa > optima[2].pressure_Pa
    assert optima[0].value > optima[1].value > optima[2].value


def test_optimal_pressure_detects_boundaries():
    p = np.geomspace(1e5, 1e7, 11)
    up = optimal_pressure(p, np.log(p))
    assert not up.interior and up.pressure_Pa == p[-1] and up.index == 10
    down = optimal_pressure(p, -p)
    assert not down.interior and down.pressure_Pa == p[0]
    # a smooth interior peak between grid points, found by the spline
    x0 = math.log(2.2e6)
    v = -(np.log(p) - x0) ** 2
    opt = optimal_pressure(p, v)
    assert opt.interior and opt.pressure_Pa == pytest.approx(2.2e6, rel=1e-6)
    # three points: parabola
    opt3 = optimal_pressure([1.0, 2.0, 3.0], [0.0, 1.0, 0.5])
    assert opt3.interior and 1.0 < opt3.pressure_Pa < 3.0
