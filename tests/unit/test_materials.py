import math

import numpy as np
import pytest

from interface.errors import InputError
from interface.materials import LIBRARY, get_material, li_plating_thickness_per_charge
from interface.materials.homogenisation import (
    Phase,
    levin_swelling,
    mori_tanaka,
    voigt_reuss_hill,
)
from interface.materials.library import masias_creep_fit


def test_li_plating_thickness():
    # 1 mAh/cm^2 = 36000 C/m^2 -> 4.850 um (REFERENCES.md, derived)
    h = li_plating_thickness_per_charge() * 36000.0
    assert h == pytest.approx(4.850e-6, abs=0.0005e-6)


def test_koerver_points_reproduced():
    c = LIBRARY["NMC811"].volumetric_strain
    for x, v in zip(c.stoichiometry, c.volumetric_strain, strict=True):
        assert float(c.volumetric(x)) == pytest.approx(v, abs=1e-14)
    assert float(c.volumetric(0.15)) == pytest.approx(-0.0653)


def test_strain_curve_monotone_between_points():
    c = LIBRARY["NMC811"].volumetric_strain
    x = np.linspace(0.15, 1.0, 400)
    assert np.all(np.diff(c.volumetric(x)) >= -1e-15)  # PCHIP keeps the data monotone


def test_strain_curve_out_of_range():
    with pytest.raises(InputError, match="outside"):
        LIBRARY["NMC811"].volumetric_strain.volumetric(0.05)


def test_linear_eigenstrain_is_cube_root():
    c = LIBRARY["Si"].volumetric_strain
    assert float(c.linear_eigenstrain(1.0, 0.0)) == pytest.approx(3.8 ** (1 / 3) - 1)


def test_nmc811_concentration():
    assert LIBRARY["NMC811"].max_concentration == pytest.approx(50060, rel=1e-3)


def test_lookup_aliases_and_errors():
    assert get_material("lpscl").name == "Li6PS5Cl"
    assert get_material("nmc811").name == "NMC811"
    with pytest.raises(InputError, match="did you mean 'NMC811'"):
        get_material("NMC812", key="stack.layers.cathode.active_material")


def test_masias_fit_within_factor():
    law = masias_creep_fit()
    for sig, rate in ((0.2e6, 2.0e-7), (0.6e6, 3.9e-4)):
        r = float(law.strain_rate(sig, 298.15))
        assert 1 / 1.3 < r / rate < 1.3


def test_mori_tanaka_limits():
    m = Phase(10e9, 5e9, 1.0)
    assert mori_tanaka(m, []) == pytest.approx((10e9, 5e9))
    # same material as inclusion -> unchanged
    k, g = mori_tanaka(Phase(10e9, 5e9, 0.4), [Phase(10e9, 5e9, 0.6)])
    assert k == pytest.approx(10e9) and g == pytest.approx(5e9)


def test_mori_tanaka_hashin_shtrikman_bulk():
    # For spherical inclusions in a stiffer... the MT bulk modulus equals the HS bound whose
    # reference is the matrix (Hashin & Shtrikman 1963, Weng 1984).
    km, gm, ki, gi, c = 20e9, 8e9, 100e9, 50e9, 0.4
    k, _ = mori_tanaka(Phase(km, gm, 1 - c), [Phase(ki, gi, c)])
    hs = km + c / (1 / (ki - km) + 3 * (1 - c) / (3 * km + 4 * gm))
    assert k == pytest.approx(hs, rel=1e-12)


def test_vrh_between_bounds():
    phases = [Phase(100e9, 50e9, 0.6), Phase(20e9, 8e9, 0.4)]
    k, g = voigt_reuss_hill(phases)
    kmt, gmt = mori_tanaka(phases[1], [phases[0]])
    assert 1 / (0.6 / 100e9 + 0.4 / 20e9) < k < 0.6 * 100e9 + 0.4 * 20e9
    assert 1 / (0.6 / 50e9 + 0.4 / 8e9) < g < 0.6 * 50e9 + 0.4 * 8e9
    assert kmt < k * 1.2 and gmt < g * 1.2


def test_levin_limits():
    # equal stiffness -> volume average; stiff inclusion in soft matrix -> more than average
    ka, km = 100e9, 20e9
    a = Phase(ka, 50e9, 0.6, 1.0)
    keff, _ = mori_tanaka(Phase(km, 8e9, 0.4), [Phase(ka, 50e9, 0.6)])
    f = levin_swelling(a, km, keff)
    assert 0.6 < f < 1.0
    # K_eff = K_a (all active) -> theta_eff = theta_a
    assert levin_swelling(a, km, ka) == pytest.approx(1.0)
    assert levin_swelling(a, km, km) == pytest.approx(0.0, abs=1e-15)


def test_library_values_positive_and_cited():
    for name, m in LIBRARY.items():
        assert m.youngs_modulus > 0 and 0 <= m.poisson_ratio < 0.5 and m.density > 0, name
        assert m.source and m.source != "user input", name
        assert math.isfinite(m.bulk_modulus)
