"""Closed-form contact of wavy and rough surfaces (references for the Li model).

* Westergaard (1939), 2D sinusoid h = g cos(2 pi x / lambda) on an elastic
  half-plane, frictionless: full-contact pressure p* = pi E* g / lambda and
  contact fraction 2a/lambda with p/p* = sin^2(pi a / lambda).
  (H. M. Westergaard, J. Appl. Mech. 6, A49 (1939); Johnson, Contact Mechanics,
  Cambridge 1985, sec. 13.2.)
* Johnson, Greenwood & Higginson (1985), bi-sinusoid h = D cos(kx) cos(ky):
  p* = sqrt(2) pi E* D / lambda; low-load Hertz asymptote for the contact
  fraction (Int. J. Mech. Sci. 27, 383 (1985)).
* Rigid-plastic indentation: a flat punch on a perfectly plastic (von Mises)
  half-space yields at the Prandtl pressure (2 + pi) k, k = sigma_y/sqrt(3), i.e.
  2.97 sigma_y; the hardness of metals is ~3 sigma_y (Tabor, The Hardness of
  Metals, Oxford 1951).  A fully plastic rough contact carries p = phi H.
"""

from __future__ import annotations

import numpy as np

PRANDTL_VON_MISES = (2.0 + np.pi) / np.sqrt(3.0)  # 2.968: mean punch pressure / sigma_y


def westergaard_pstar(e_star: float, amplitude: float, wavelength: float) -> float:
    """Full-contact mean pressure p* = pi E* g / lambda [Pa] of a 2D sinusoid."""
    return np.pi * e_star * amplitude / wavelength


def westergaard_fraction(pressure, pstar: float) -> np.ndarray:
    """Contact fraction 2a/lambda of a 2D sinusoid: p/p* = sin^2(pi a/lambda)."""
    r = np.clip(np.asarray(pressure, float) / pstar, 0.0, 1.0)
    return 2.0 / np.pi * np.arcsin(np.sqrt(r))


def jgh_pstar(e_star: float, amplitude: float, wavelength: float) -> float:
    """Full-contact pressure sqrt(2) pi E* D / lambda [Pa] of h = D cos(kx) cos(ky) (JGH 1985)."""
    return np.sqrt(2.0) * np.pi * e_star * amplitude / wavelength


def jgh_fraction_hertz(pressure, e_star: float, amplitude: float, wavelength: float):
    """Low-load (Hertz) asymptote of JGH for h = D cos(kx) cos(ky).

    Two peaks per lambda^2 cell, radius R = lambda^2/(4 pi^2 D), force per peak
    p lambda^2/2, a^3 = 3 F R/(4 E*), fraction 2 pi a^2 / lambda^2 (JGH: accurate
    to area fractions of about 0.1).
    """
    radius = wavelength**2 / (4 * np.pi**2 * amplitude)
    force = np.asarray(pressure, float) * wavelength**2 / 2.0
    a = (3 * force * radius / (4 * e_star)) ** (1.0 / 3.0)
    return 2 * np.pi * a**2 / wavelength**2


def hardness_fraction(pressure, yield_stress: float, c: float = PRANDTL_VON_MISES):
    """Rigid-plastic estimate phi = p / (c sigma_y) (capped at 1)."""
    return np.minimum(np.asarray(pressure, float) / (c * yield_stress), 1.0)
