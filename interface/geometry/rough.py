"""Rough electrolyte surfaces: seeded self-affine and Gaussian, sinusoids, measured profiles.

Conventions: heights h in m with zero mean (unless stated).  A profile is
sampled on the periodic grid x_i = i L / N, i = 0..N-1 (x = L is x = 0); a
patch on the tensor grid of such points, ``h[i, j] = h(x_i, y_j)``.

Random surfaces use the random-phase spectral method (Persson et al., J. Phys.:
Condens. Matter 17, R1 (2005)): the amplitude of each Fourier mode is the square
root of the power spectral density, the phase is uniform random from a seeded
generator, and the result is scaled to the requested RMS height exactly.

* self-affine: PSD ~ q^-(1+2H) (profiles) or q^-2(1+H) (surfaces) between the
  roll-off wavenumber q_r = 2 pi / lambda_r (flat below) and the short-wavelength
  cut-off q_s = 2 pi / lambda_s (zero above), Hurst exponent 0 < H < 1;
* Gaussian: autocorrelation exp(-r^2 / l^2), PSD ~ exp(-q^2 l^2 / 4).

The only file input is :func:`load_profile_csv`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from interface.errors import InputError


# ------------------------------------------------------------------------ analytic
def sinusoid_profile(x, amplitude: float, wavelength: float, phase: float = 0.0) -> np.ndarray:
    """h(x) = g cos(2 pi x / lambda + phase) [m]; peak at x = 0 for phase = 0."""
    return amplitude * np.cos(2 * np.pi * np.asarray(x) / wavelength + phase)


def sinusoid_patch(x, y, amplitude: float, wavelength: float) -> np.ndarray:
    """Bi-sinusoid h = g cos(2 pi x / lambda) cos(2 pi y / lambda) [m] on the grid x by y."""
    xx, yy = np.meshgrid(np.asarray(x), np.asarray(y), indexing="ij")
    return amplitude * np.cos(2 * np.pi * xx / wavelength) * np.cos(2 * np.pi * yy / wavelength)


# ------------------------------------------------------------------------ checks
def _check(rms: float, length: float, n: int, hurst: float | None = None) -> None:
    if not (np.isfinite(rms) and rms > 0):
        raise InputError(f"RMS roughness must be > 0 m, got {rms:g} m", key="rms")
    if not (np.isfinite(length) and length > 0):
        raise InputError(f"surface length must be > 0 m, got {length:g} m", key="length")
    if n < 8:
        raise InputError(f"at least 8 samples are needed, got {n}", key="samples")
    if hurst is not None and not 0.0 < hurst < 1.0:
        raise InputError(f"Hurst exponent must be in (0, 1), got {hurst:g}", key="hurst")


def _spectral_amplitude(q, kind: str, dim: int, hurst=None, q_r=None, q_s=None, corr=None):
    """sqrt(PSD) (up to a constant) at wavenumber magnitudes q [1/m]."""
    q = np.asarray(q, dtype=float)
    if kind == "self_affine":
        expo = (1 + 2 * hurst) if dim == 1 else 2 * (1 + hurst)
        psd = (np.maximum(q, q_r) / q_r) ** (-expo)
        psd[q > q_s] = 0.0
    elif kind == "gaussian":
        psd = np.exp(-((q * corr) ** 2) / 4.0)
        if q_s is not None:
            psd[q > q_s] = 0.0
    else:  # pragma: no cover - internal
        raise ValueError(kind)
    psd[q == 0] = 0.0
    return np.sqrt(psd)


def _scale(h: np.ndarray, rms: float) -> np.ndarray:
    h = h - h.mean()
    s = np.sqrt(np.mean(h**2))
    if s == 0:
        raise InputError("the surface has no spectral content between the roll-off and the "
                         "cut-off wavelengths (increase the samples or the cut-off)",
                         key="cutoff_wavelength")
    return h * (rms / s)


# ------------------------------------------------------------------------ profiles
def self_affine_profile(n: int, length: float, rms: float, hurst: float = 0.8,
                        rolloff_wavelength: float | None = None,
                        cutoff_wavelength: float | None = None, seed: int = 0):
    """Periodic self-affine profile.

    Args:
        n: number of samples.
        length: period L [m].
        rms: RMS height [m].
        hurst: Hurst exponent H in (0, 1).
        rolloff_wavelength: lambda_r [m] (default L/4): PSD flat at longer wavelengths.
        cutoff_wavelength: lambda_s [m] (default 8 L/n): no content at shorter ones.
        seed: random seed (same seed, same surface).

    Returns:
        (x, h) arrays [m].
    """
    _check(rms, length, n, hurst)
    lam_r = length / 4 if rolloff_wavelength is None else rolloff_wavelength
    lam_s = 8 * length / n if cutoff_wavelength is None else cutoff_wavelength
    rng = np.random.default_rng(seed)
    k = np.fft.rfftfreq(n, d=length / n) * 2 * np.pi
    amp = _spectral_amplitude(k, "self_affine", 1, hurst, 2 * np.pi / lam_r, 2 * np.pi / lam_s)
    spec = amp * np.exp(2j * np.pi * rng.random(k.size))
    if n % 2 == 0:
        spec[-1] = spec[-1].real
    return np.arange(n) * length / n, _scale(np.fft.irfft(spec, n=n), rms)


def gaussian_profile(n: int, length: float, rms: float, corr_length: float, seed: int = 0,
                     cutoff_wavelength: float | None = None):
    """Periodic Gaussian-correlated profile (ACF exp(-r^2/l^2)), ``corr_length`` l [m].

    Returns (x, h) [m].
    """
    _check(rms, length, n)
    if not corr_length > 0:
        raise InputError(f"correlation length must be > 0 m, got {corr_length:g}",
                         key="correlation_length")
    rng = np.random.default_rng(seed)
    k = np.fft.rfftfreq(n, d=length / n) * 2 * np.pi
    q_s = None if cutoff_wavelength is None else 2 * np.pi / cutoff_wavelength
    amp = _spectral_amplitude(k, "gaussian", 1, q_s=q_s, corr=corr_length)
    spec = amp * np.exp(2j * np.pi * rng.random(k.size))
    if n % 2 == 0:
        spec[-1] = spec[-1].real
    return np.arange(n) * length / n, _scale(np.fft.irfft(spec, n=n), rms)


# ------------------------------------------------------------------------ patches
def _random_patch(n: int, length: float, rms: float, amp_fun: Callable, seed: int):
    rng = np.random.default_rng(seed)
    kx = np.fft.fftfreq(n, d=length / n) * 2 * np.pi
    ky = np.fft.rfftfreq(n, d=length / n) * 2 * np.pi
    kxx, kyy = np.meshgrid(kx, ky, indexing="ij")
    amp = amp_fun(np.sqrt(kxx**2 + kyy**2))
    spec = amp * np.exp(2j * np.pi * rng.random(amp.shape))
    h = np.fft.irfft2(spec, s=(n, n))  # irfft2 enforces the Hermitian symmetry
    x = np.arange(n) * length / n
    return x, x.copy(), _scale(h, rms)


def self_affine_patch(n: int, length: float, rms: float, hurst: float = 0.8,
                      rolloff_wavelength: float | None = None,
                      cutoff_wavelength: float | None = None, seed: int = 0):
    """Periodic isotropic self-affine n x n patch (arguments as :func:`self_affine_profile`).

    Returns (x, y, h[i, j]) [m].
    """
    _check(rms, length, n, hurst)
    lam_r = length / 4 if rolloff_wavelength is None else rolloff_wavelength
    lam_s = 8 * length / n if cutoff_wavelength is None else cutoff_wavelength

    def amp(q):
        return _spectral_amplitude(q, "self_affine", 2, hurst, 2 * np.pi / lam_r,
                                   2 * np.pi / lam_s)

    return _random_patch(n, length, rms, amp, seed)


def gaussian_patch(n: int, length: float, rms: float, corr_length: float, seed: int = 0):
    """Periodic Gaussian-correlated n x n patch.  Returns (x, y, h[i, j]) [m]."""
    _check(rms, length, n)
    if not corr_length > 0:
        raise InputError(f"correlation length must be > 0 m, got {corr_length:g}",
                         key="correlation_length")
    return _random_patch(n, length, rms,
                         lambda q: _spectral_amplitude(q, "gaussian", 2, corr=corr_length), seed)


# ------------------------------------------------------------------------ measured
def load_profile_csv(path: str | Path, unit: float = 1.0, spacing: float | None = None,
                     detrend: bool = True):
    """Read a measured height profile from a CSV file.

    Two columns (x, h) or one column of heights with a uniform ``spacing`` (in the
    file's unit).  Lines starting with '#' and a non-numeric header are skipped;
    ``unit`` converts the file's numbers to m (1e-6 for um).  ``detrend`` removes
    the least-squares line (form and tilt).

    Returns:
        (x, h) [m], x starting at 0, sorted.

    Raises:
        InputError: missing or unreadable file, fewer than 8 points, non-uniform
            data that cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such profile file", file=str(path))
    if path.is_dir():
        raise InputError("is a directory, expected a CSV profile file", file=str(path))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            data = np.genfromtxt(path, delimiter=",", comments="#", dtype=float)
        except ValueError as exc:  # UnicodeDecodeError included
            raise InputError(f"cannot read the profile: {exc}", file=str(path)) from None
        except OSError as exc:
            raise InputError(f"cannot read the profile: {exc.strerror or exc}",
                             file=str(path)) from None
    data = np.atleast_1d(data)
    if data.ndim == 1:
        data = data[:, None] if data.size else data.reshape(0, 1)
    data = data[~np.any(np.isnan(data), axis=1)]
    if not np.all(np.isfinite(data)):
        row = int(np.argmax(~np.all(np.isfinite(data), axis=1)))
        raise InputError(f"non-finite value (inf) in numeric row {row + 1} of the profile",
                         file=str(path))
    if data.shape[0] < 8:
        raise InputError(f"a profile needs at least 8 numeric rows, found {data.shape[0]}",
                         file=str(path))
    if data.shape[1] == 1:
        if spacing is None or not spacing > 0:
            raise InputError("a one-column profile needs a sample spacing", key="spacing",
                             file=str(path))
        h = data[:, 0] * unit
        x = np.arange(h.size) * spacing * unit
    else:
        order = np.argsort(data[:, 0])
        x = (data[order, 0] - data[order[0], 0]) * unit
        h = data[order, 1] * unit
        if np.any(np.diff(x) <= 0):
            raise InputError("profile x values must be distinct", file=str(path))
    with np.errstate(all="ignore"):
        if detrend:
            h = h - np.polyval(np.polyfit(x, h, 1), x)
        h = h - h.mean()
    if not (np.all(np.isfinite(h)) and np.all(np.isfinite(x))):
        raise InputError("the profile's numbers overflow once converted to metres",
                         file=str(path))
    if not np.any(h != 0.0) or x[-1] <= 0.0:
        raise InputError("the profile is flat (no roughness left after detrending) or has no "
                         "length", file=str(path))
    return x, h


def resample_periodic(x, h, n: int):
    """Resample a measured (non-periodic) profile on n uniform points of its length.

    The profile is made periodic by linear interpolation on [0, L) with L = x[-1]
    (the last sample is dropped as the image of the first).  Returns (x, h, L).
    """
    length = float(x[-1] - x[0])
    xs = np.arange(n) * length / n
    return xs, np.interp(xs, x - x[0], h), length


# ------------------------------------------------------------------------ helpers
def rms_height(h) -> float:
    """RMS height [m] about the mean."""
    h = np.asarray(h)
    return float(np.sqrt(np.mean((h - h.mean()) ** 2)))


def rms_slope_profile(x, h) -> float:
    """RMS slope of a periodic profile (spectral derivative)."""
    n = len(h)
    length = (x[1] - x[0]) * n
    k = np.fft.rfftfreq(n, d=length / n) * 2 * np.pi
    dh = np.fft.irfft(1j * k * np.fft.rfft(h), n=n)
    return float(np.sqrt(np.mean(dh**2)))


def profile_interpolator(x, h, period: float | None = None) -> Callable:
    """h(xq) by linear interpolation; periodic with ``period`` [m] if given."""
    x = np.asarray(x, float)
    h = np.asarray(h, float)
    if period is not None:
        xe = np.concatenate([x, [x[0] + period]])
        he = np.concatenate([h, [h[0]]])
        return lambda xq: np.interp(np.mod(np.asarray(xq), period), xe, he)
    return lambda xq: np.interp(np.asarray(xq), x, h)


def patch_interpolator(x, y, h, period: float | None = None) -> Callable:
    """h(xq, yq) by bilinear interpolation; periodic with ``period`` [m] if given."""
    from scipy.interpolate import RegularGridInterpolator

    x = np.asarray(x, float)
    y = np.asarray(y, float)
    h = np.asarray(h, float)
    if period is not None:
        x = np.concatenate([x, [x[0] + period]])
        y = np.concatenate([y, [y[0] + period]])
        h = np.concatenate([h, h[:1, :]], axis=0)
        h = np.concatenate([h, h[:, :1]], axis=1)
    rgi = RegularGridInterpolator((x, y), h, method="linear", bounds_error=False,
                                  fill_value=None)

    def f(xq, yq):
        xq = np.asarray(xq, float)
        yq = np.asarray(yq, float)
        if period is not None:
            xq, yq = np.mod(xq, period), np.mod(yq, period)
        return rgi(np.column_stack([xq.ravel(), yq.ravel()])).reshape(xq.shape)

    return f
