"""Closed-form reference solutions (derivations in docs/theory/rve.md).

All functions use SI units and the sign conventions of the package:
interface pressure ``q`` > 0 in compression, eigenstrain ``eps_star`` < 0
for shrinkage, external pressure ``P`` > 0 in compression.
"""

from __future__ import annotations

import numpy as np

from interface.mechanics.isotropic import ElasticMaterial, plane_strain_modulus

__all__ = [
    "hertz_line_contact", "misfit_interface_pressure", "misfit_closing_pressure",
    "misfit_open_gap",
]


def hertz_line_contact(P_line: float, R: float, m1: ElasticMaterial, m2: ElasticMaterial):
    """Hertz 2D (plane strain) cylinder on flat.

    Returns ``(b, p0)``: contact half-width b = sqrt(4 P' R / (pi E*)) and
    peak pressure p0 = 2 P' / (pi b), P' = force per unit length (N/m).
    """
    Es = plane_strain_modulus(m1, m2)
    b = np.sqrt(4.0 * P_line * R / (np.pi * Es))
    return float(b), float(2.0 * P_line / (np.pi * b))


def _coeffs(dim: int, a: float, b: float, mp: ElasticMaterial, mm: ElasticMaterial):
    """Return (Cq, Ceps, CP) with Cq q = Ceps eps* + CP P (bonded/closed).

    2D (plane strain, kappa = lambda + mu):
        q [1/kp + (c/km + 1/mum)/(1-c)] = 3 Kp eps*/kp + P (1/km + 1/mum)/(1-c),
        c = a^2/b^2
    3D:
        q [1/(3Kp) + (c/(3Km) + 1/(4mum))/(1-c)] = eps* + P (1/(3Km) + 1/(4mum))/(1-c),
        c = a^3/b^3
    """
    if dim == 2:
        c = (a / b) ** 2
        kp = mp.lmbda + mp.mu
        km = mm.lmbda + mm.mu
        Cq = 1.0 / kp + (c / km + 1.0 / mm.mu) / (1.0 - c)
        Ce = 3.0 * mp.K / kp
        CP = (1.0 / km + 1.0 / mm.mu) / (1.0 - c)
    elif dim == 3:
        c = (a / b) ** 3
        Cq = 1.0 / (3.0 * mp.K) + (c / (3.0 * mm.K) + 1.0 / (4.0 * mm.mu)) / (1.0 - c)
        Ce = 1.0
        CP = (1.0 / (3.0 * mm.K) + 1.0 / (4.0 * mm.mu)) / (1.0 - c)
    else:
        raise ValueError("dim must be 2 or 3")
    return Cq, Ce, CP


def misfit_interface_pressure(dim: int, a: float, b: float, particle: ElasticMaterial,
                              matrix: ElasticMaterial, eps_star: float, P: float = 0.0) -> float:
    """Interface pressure of a *bonded* misfitting inclusion (Lame).

    Cylinder (dim=2, plane strain, the eigenstrain also acts along z) or
    sphere (dim=3) of radius ``a`` in a concentric matrix of outer radius
    ``b`` loaded by the external pressure ``P``.  Positive = compression.
    """
    Cq, Ce, CP = _coeffs(dim, a, b, particle, matrix)
    return float((Ce * eps_star + CP * P) / Cq)


def misfit_closing_pressure(dim: int, a: float, b: float, particle: ElasticMaterial,
                            matrix: ElasticMaterial, eps_star: float) -> float:
    """External pressure at which a shrunk particle (eps* < 0) regains contact.

    For frictionless unilateral contact the closed state coincides with
    the bonded state (no interface shear by symmetry), so contact closes
    where the bonded pressure vanishes: P_c = -Ce eps* / CP.
    """
    _, Ce, CP = _coeffs(dim, a, b, particle, matrix)
    return float(-Ce * eps_star / CP)


def misfit_open_gap(dim: int, a: float, b: float, particle: ElasticMaterial,
                    matrix: ElasticMaterial, eps_star: float, P: float = 0.0) -> float:
    """Radial gap u_m(a) - u_p(a) when the interface is open (q = 0)."""
    Cq, Ce, CP = _coeffs(dim, a, b, particle, matrix)
    # u_p/a - u_m/a at q = 0 equals (Ce eps* + CP P)/2 (2D) or (Ce eps* + CP P) (3D)
    fac = 0.5 if dim == 2 else 1.0
    return float(-a * fac * (Ce * eps_star + CP * P))
