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
    "misfit_open_gap", "layered_misfit_pressures",
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


def layered_misfit_pressures(dim: int, radii, materials, eigenstrains, P: float = 0.0):
    """Interface pressures of concentric bonded layers (Lame, n phases).

    A core (layer 0, radius ``radii[0]``) in shells ``radii[k-1] < r < radii[k]``,
    the last radius being the outer surface loaded by the external pressure
    ``P``.  Layer ``k`` has the material ``materials[k]`` and the isotropic
    eigenstrain ``eigenstrains[k]`` (in 2D plane strain it also acts along z,
    as in :func:`misfit_interface_pressure`).  In each layer
    u = A r + B / r (2D) or A r + B / r^2 (3D) with B = 0 in the core, and

        2D: sigma_rr = 2 (lambda + mu) A - 2 mu B / r^2 - 3 K eps*
        3D: sigma_rr = 3 K A - 4 mu B / r^3 - 3 K eps*

    u and sigma_rr are continuous at every interface, sigma_rr(b) = -P.
    With two layers this is :func:`misfit_interface_pressure` (cross-checked
    in the tests); with three it is the coated particle (core, coating,
    matrix; derivation in docs/theory/rve.md).

    Returns:
        array of the pressures -sigma_rr at ``radii[0..n-2]`` (the interfaces),
        Pa, positive in compression.
    """
    r = np.asarray(radii, float)
    n = len(r)
    if dim not in (2, 3):
        raise ValueError("dim must be 2 or 3")
    if n < 2 or len(materials) != n or len(eigenstrains) != n or np.any(np.diff(r) <= 0):
        raise ValueError("need n >= 2 increasing radii, one material and eigenstrain per layer")

    def u_row(k, rr):  # coefficients of (A_k, B_k) in u(rr)
        return np.array([rr, 1.0 / rr if dim == 2 else 1.0 / rr**2])

    def s_row(k, rr):  # coefficients of (A_k, B_k) in sigma_rr(rr), and the eigen term
        m = materials[k]
        if dim == 2:
            row = np.array([2.0 * (m.lmbda + m.mu), -2.0 * m.mu / rr**2])
        else:
            row = np.array([3.0 * m.K, -4.0 * m.mu / rr**3])
        return row, -3.0 * m.K * eigenstrains[k]

    # unknowns: A_0, then (A_k, B_k) for k >= 1
    def cols(k):
        return [0] if k == 0 else [2 * k - 1, 2 * k]

    N = 2 * n - 1
    M = np.zeros((N, N))
    rhs = np.zeros(N)
    eq = 0
    for k in range(n - 1):
        rr = r[k]
        for kk, sgn in ((k, 1.0), (k + 1, -1.0)):
            c = cols(kk)
            M[eq, c] += sgn * u_row(kk, rr)[: len(c)]
            srow, s0 = s_row(kk, rr)
            M[eq + 1, c] += sgn * srow[: len(c)]
            rhs[eq + 1] -= sgn * s0
        eq += 2
    srow, s0 = s_row(n - 1, r[-1])
    M[eq, cols(n - 1)] = srow[: len(cols(n - 1))]
    rhs[eq] = -P - s0
    coef = np.linalg.solve(M, rhs)
    out = []
    for k in range(n - 1):
        srow, s0 = s_row(k, r[k])
        out.append(-(srow[: len(cols(k))] @ coef[cols(k)] + s0))
    return np.asarray(out, float)
