"""Effective elastic constants and swelling of composite layers.

Phases are isotropic; inclusions are spherical.  Pores are phases with zero
moduli.  Sources:

* Mori-Tanaka, multi-phase form: Benveniste, 'A new approach to the application
  of Mori-Tanaka's theory in composite materials', Mech. Mater. 6, 147 (1987).
* Voigt-Reuss-Hill: Hill, Proc. Phys. Soc. A 65, 349 (1952).
* Effective eigenstrain of a two-phase composite (exact given its effective bulk
  modulus): Levin, Mech. Solids 2, 88 (1967); Rosen & Hashin, Int. J. Eng. Sci. 8,
  157 (1970).
"""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError


@dataclass(frozen=True)
class Phase:
    """One phase: bulk and shear moduli (Pa), volume fraction, volumetric eigenstrain (fraction)."""

    bulk: float
    shear: float
    fraction: float
    volumetric_strain: float = 0.0


def _check(phases: list[Phase]) -> None:
    total = sum(p.fraction for p in phases)
    if abs(total - 1.0) > 1e-9:
        raise InputError(f"phase volume fractions add up to {total:.6g}, expected 1")
    if any(p.fraction < 0 for p in phases):
        raise InputError("a phase volume fraction is negative")


def mori_tanaka(matrix: Phase, inclusions: list[Phase]) -> tuple[float, float]:
    """Effective (bulk, shear) moduli in Pa, Mori-Tanaka with spherical inclusions.

    K = (c_m K_m + sum c_i K_i A_i) / (c_m + sum c_i A_i), A_i = (K_m + K*) / (K_i + K*),
    K* = 4/3 G_m; likewise for G with G* = G_m (9 K_m + 8 G_m) / (6 (K_m + 2 G_m)).
    """
    _check([matrix, *inclusions])
    km, gm = matrix.bulk, matrix.shear
    k_star = 4.0 / 3.0 * gm
    g_star = gm * (9.0 * km + 8.0 * gm) / (6.0 * (km + 2.0 * gm))
    num_k, den_k = matrix.fraction * km, matrix.fraction
    num_g, den_g = matrix.fraction * gm, matrix.fraction
    for p in inclusions:
        ak = (km + k_star) / (p.bulk + k_star)
        ag = (gm + g_star) / (p.shear + g_star)
        num_k += p.fraction * p.bulk * ak
        den_k += p.fraction * ak
        num_g += p.fraction * p.shear * ag
        den_g += p.fraction * ag
    return num_k / den_k, num_g / den_g


def voigt_reuss_hill(phases: list[Phase]) -> tuple[float, float]:
    """Effective (bulk, shear) in Pa: the mean of the Voigt and Reuss bounds (Hill)."""
    _check(phases)
    kv = sum(p.fraction * p.bulk for p in phases)
    gv = sum(p.fraction * p.shear for p in phases)
    if any(p.fraction > 0 and (p.bulk <= 0 or p.shear <= 0) for p in phases):
        kr = gr = 0.0  # a phase of zero stiffness (pores) makes the Reuss bound zero
    else:
        kr = 1.0 / sum(p.fraction / p.bulk for p in phases if p.fraction > 0)
        gr = 1.0 / sum(p.fraction / p.shear for p in phases if p.fraction > 0)
    return 0.5 * (kv + kr), 0.5 * (gv + gr)


def volume_average_swelling(phases: list[Phase]) -> float:
    """Volumetric eigenstrain sum(c_i theta_i) (pores do not swell)."""
    return sum(p.fraction * p.volumetric_strain for p in phases)


def levin_swelling(active: Phase, matrix_bulk: float, effective_bulk: float) -> float:
    """Effective volumetric eigenstrain of a swelling phase in a non-swelling matrix (Levin).

    theta_eff = theta_a (1/K_eff - 1/K_m) / (1/K_a - 1/K_m), exact for two isotropic
    phases given the effective bulk modulus K_eff.  Here the matrix is the
    (possibly porous) electrolyte with its own effective bulk modulus K_m.
    """
    ka, km, keff = active.bulk, matrix_bulk, effective_bulk
    if abs(1.0 / ka - 1.0 / km) < 1e-30:
        return active.fraction * active.volumetric_strain
    return active.volumetric_strain * (1.0 / keff - 1.0 / km) / (1.0 / ka - 1.0 / km)
