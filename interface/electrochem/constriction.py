"""Constriction resistance of a partially contacting interface (Holm; Cooper-Mikic-Yovanovich).

Current crossing an interface that touches only on spots has to crowd into
them.  One circular spot of radius a on a half-space of conductivity kappa has
the constriction resistance (Holm, *Electric Contacts*, 4th ed., Springer 1967)

    R_1 = 1 / (4 kappa a)          per side.

N spots per unit area in parallel, each of radius a, cover the contact fraction
f = N pi a^2.  Neighbouring constrictions interact; the correction of Cooper,
Mikic & Yovanovich (Int. J. Heat Mass Transfer 12, 279 (1969)) for a square
array, psi(eps) = (1 - eps)^1.5 with eps = sqrt(f), makes the resistance vanish
at full contact.  The area-specific resistance is then

    R_A = psi(sqrt f) / (4 kappa a N) = pi a (1 - sqrt f)^1.5 / (4 kappa f)     [Ohm m^2].

Here the spot radius a is the stated length scale (the contact law gives f, a
is a case input: the size of the contacts seen at the Li | electrolyte
interface).  Only the electrolyte side counts: Li metal (1.1e7 S/m) is six
orders of magnitude more conductive than Li6PS5Cl.

Works with floats, numpy arrays and PyBaMM expressions alike.
"""

from __future__ import annotations

import numpy as np


def interaction_factor(contact_fraction):
    """Cooper-Mikic-Yovanovich factor psi = (1 - sqrt f)^1.5 (1 at f -> 0, 0 at f = 1)."""
    return (1.0 - contact_fraction ** 0.5) ** 1.5


def holm_resistance(kappa: float, spot_radius: float) -> float:
    """R_1 = 1 / (4 kappa a): one circular spot on a half-space, Ohm (kappa S/m, a m)."""
    return 1.0 / (4.0 * kappa * spot_radius)


def constriction_asr(contact_fraction, kappa, spot_radius: float, interacting: bool = True):
    """Area-specific constriction resistance R_A of the interface, Ohm m^2.

    Args:
        contact_fraction: f in (0, 1] (float, array or PyBaMM expression).
        kappa: conductivity of the constricted side (the electrolyte), S/m.
        spot_radius: radius a of the contact spots, m.
        interacting: apply the Cooper-Mikic-Yovanovich factor (1 - sqrt f)^1.5.

    Returns:
        R_A = pi a psi / (4 kappa f) (psi = 1 without the interaction factor).
    """
    r = np.pi * spot_radius / (4.0 * kappa * contact_fraction)
    if interacting:
        r = r * interaction_factor(contact_fraction)
    return r


def spot_density(contact_fraction, spot_radius: float):
    """Number of spots per unit area N = f / (pi a^2), 1/m^2."""
    return contact_fraction / (np.pi * spot_radius ** 2)
