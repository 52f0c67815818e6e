"""Rough surfaces: seeded, exact RMS, spectral slope, CSV input."""

import numpy as np
import pytest

from interface.errors import InputError
from interface.geometry import rough


def test_self_affine_profile_seeded_rms_and_hurst():
    x, h = rough.self_affine_profile(4096, 20e-6, 0.3e-6, 0.7, rolloff_wavelength=5e-6,
                                     cutoff_wavelength=0.05e-6, seed=4)
    _, h2 = rough.self_affine_profile(4096, 20e-6, 0.3e-6, 0.7, rolloff_wavelength=5e-6,
                                      cutoff_wavelength=0.05e-6, seed=4)
    _, h3 = rough.self_affine_profile(4096, 20e-6, 0.3e-6, 0.7, rolloff_wavelength=5e-6,
                                      cutoff_wavelength=0.05e-6, seed=5)
    assert np.array_equal(h, h2) and not np.allclose(h, h3)
    assert rough.rms_height(h) == pytest.approx(0.3e-6, rel=1e-12)
    assert abs(h.mean()) < 1e-18
    # PSD ~ q^-(1 + 2H) between roll-off and cut-off (deterministic amplitudes)
    k = np.fft.rfftfreq(4096, d=20e-6 / 4096) * 2 * np.pi
    psd = np.abs(np.fft.rfft(h)) ** 2
    sel = (k > 2 * np.pi / 5e-6 * 1.5) & (k < 2 * np.pi / 0.05e-6 / 1.5)
    slope = np.polyfit(np.log(k[sel]), np.log(psd[sel]), 1)[0]
    assert slope == pytest.approx(-(1 + 2 * 0.7), abs=1e-6)


def test_patches_and_gaussian():
    x, y, h = rough.self_affine_patch(64, 10e-6, 0.2e-6, 0.8, seed=1)
    assert h.shape == (64, 64) and rough.rms_height(h) == pytest.approx(0.2e-6)
    x, y, h = rough.gaussian_patch(64, 10e-6, 0.2e-6, 1e-6, seed=1)
    assert rough.rms_height(h) == pytest.approx(0.2e-6)
    x, h = rough.gaussian_profile(512, 10e-6, 0.1e-6, 1e-6, seed=2)
    assert rough.rms_height(h) == pytest.approx(0.1e-6)
    f = rough.patch_interpolator(x, x, np.outer(h, h), period=10e-6)
    assert f(np.array([x[3]]), np.array([x[5]]))[0] == pytest.approx(h[3] * h[5])


def test_sinusoid():
    x = np.linspace(0, 10e-6, 101)
    h = rough.sinusoid_profile(x, 0.2e-6, 10e-6)
    assert h[0] == pytest.approx(0.2e-6) and h[50] == pytest.approx(-0.2e-6)
    assert rough.rms_slope_profile(x[:-1], h[:-1]) == pytest.approx(
        2 * np.pi / 10e-6 * 0.2e-6 / np.sqrt(2), rel=1e-9)


@pytest.mark.parametrize("kw, key", [(dict(rms=-1e-7), "rms"), (dict(hurst=1.0), "hurst"),
                                     (dict(hurst=0.0), "hurst"), (dict(length=0.0), "length")])
def test_bad_parameters(kw, key):
    args = dict(n=256, length=10e-6, rms=1e-7, hurst=0.8) | kw
    with pytest.raises(InputError) as exc:
        rough.self_affine_profile(**args)
    assert exc.value.key == key


def test_csv_two_and_one_column(tmp_path):
    x = np.linspace(0, 20, 201)  # um
    h = 0.3 * np.sin(2 * np.pi * x / 5) + 0.01 * x + 1.0  # with tilt and offset
    p = tmp_path / "prof.csv"
    np.savetxt(p, np.column_stack([x, h]), delimiter=",", header="x_um,h_um")
    xs, hs = rough.load_profile_csv(p, unit=1e-6)
    assert xs[-1] == pytest.approx(20e-6)
    assert abs(hs.mean()) < 1e-15
    assert rough.rms_height(hs) == pytest.approx(0.3e-6 / np.sqrt(2), rel=0.05)
    p1 = tmp_path / "one.csv"
    np.savetxt(p1, h)
    xs1, hs1 = rough.load_profile_csv(p1, unit=1e-6, spacing=0.1)
    assert np.allclose(hs1, hs) and xs1[-1] == pytest.approx(20e-6)
    with pytest.raises(InputError, match="spacing"):
        rough.load_profile_csv(p1, unit=1e-6)
    xr, hr, length = rough.resample_periodic(xs, hs, 128)
    assert length == pytest.approx(20e-6) and len(xr) == 128
