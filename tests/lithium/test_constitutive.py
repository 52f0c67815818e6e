"""Return mapping: creep rate, yield cap, consistent tangent, Arrhenius, stripping rate."""

import numpy as np
import pytest

from interface.materials import get_material
from interface.mechanics.stripping import MA_PER_CM2, stripping_velocity
from interface.mechanics.viscoplastic import LithiumMaterial, return_mapping


def _uniaxial(sig, mat):
    """Mandel strain of a uniaxial elastic state sigma_xx = sig (3D)."""
    e = np.zeros((1, 6))
    e[0, 0] = sig / mat.E
    e[0, 1] = e[0, 2] = -mat.nu * sig / mat.E
    return e


def test_library_li_defaults_and_arrhenius():
    mat = LithiumMaterial.from_material(get_material("Li"), 298.15)
    assert mat.E == 7.82e9 and mat.sigma_y == 0.8e6 and mat.n == 6.56
    assert mat.A == pytest.approx(get_material("Li").creep.coefficient)
    hot = mat.with_(T=333.15)
    assert hot.A / mat.A == pytest.approx(np.exp(-37e3 / 8.314462618 * (1 / 333.15 - 1 / 298.15)))
    # Masias 2019 data points within the fit's factor 1.2
    for sig, rate in ((0.2e6, 2.0e-7), (0.6e6, 3.9e-4)):
        assert 1 / 1.25 < mat.creep_rate(sig) / rate < 1.25


def test_small_creep_step_rate():
    mat = LithiumMaterial(sigma_y=1e9)
    sig, dt = 0.4e6, 1e-3
    r = return_mapping(_uniaxial(sig, mat), np.zeros((1, 6)), np.zeros(1), dt, mat)
    # backward Euler: dp = dt A q^n at the end-of-step stress q (relaxed by 3 G dp)
    assert r["dp"][0] / dt == pytest.approx(mat.creep_rate(r["q"][0]), rel=1e-9)
    assert r["q"][0] == pytest.approx(sig - 3 * mat.G * r["dp"][0], rel=1e-12)
    assert r["dp"][0] / dt == pytest.approx(mat.creep_rate(sig), rel=5e-3)


def test_rate_independent_yield_cap():
    mat = LithiumMaterial(creep=False)
    r = return_mapping(_uniaxial(3e6, mat), np.zeros((1, 6)), np.zeros(1), 0.0, mat)
    assert r["q"][0] == pytest.approx(mat.sigma_y, rel=1e-12) and r["plastic"][0]


@pytest.mark.parametrize("dt, sig", [(1.0, 1.5e6), (0.0, 2e6), (10.0, 0.5e6)])
def test_consistent_tangent_matches_finite_differences(dt, sig):
    mat = LithiumMaterial()
    rng = np.random.default_rng(0)
    eps = _uniaxial(sig, mat) + 1e-6 * rng.standard_normal((1, 6))
    eps_in = 1e-5 * rng.standard_normal((1, 6))
    eps_in[0, :3] -= eps_in[0, :3].mean()
    kappa = np.zeros(1)
    r = return_mapping(eps, eps_in, kappa, dt, mat)
    h = 1e-10
    fd = np.zeros((6, 6))
    for j in range(6):
        e2 = eps.copy()
        e2[0, j] += h
        e1 = eps.copy()
        e1[0, j] -= h
        fd[:, j] = (return_mapping(e2, eps_in, kappa, dt, mat, compute_tangent=False)["sigma"][0]
                    - return_mapping(e1, eps_in, kappa, dt, mat,
                                     compute_tangent=False)["sigma"][0]) / (2 * h)
    assert np.allclose(r["C"][0], fd, rtol=1e-4, atol=1e-4 * np.abs(fd).max())


def test_stripping_velocity_485_um_per_mah_cm2():
    # 1 mAh/cm^2 = 36 000 C/m^2 stripped at 1 mA/cm^2 takes 3600 s
    v = stripping_velocity(1.0 * MA_PER_CM2)
    assert v * 3600.0 == pytest.approx(4.850e-6, rel=2e-3)
