"""Power-law (Norton) flow of Li through the pores of a separator.

Li creeping into a cylindrical pore of radius r under a pressure gradient G = dp/dz
flows like a power-law fluid.  With the J2 creep law eps_dot = A sigma_eq^n, simple
shear gives gamma_dot = K tau^n with K = sqrt(3)^(n+1) A.  Axial equilibrium gives
the shear stress tau(rho) = G rho / 2, so with no slip at the wall

    w(rho) = K (G/2)^n (r^(n+1) - rho^(n+1)) / (n + 1),
    mean velocity  v = K r (G r / 2)^n / (n + 3)                            (1)

(the power-law Hagen-Poiseuille law; Bird, Armstrong & Hassager, Dynamics of
Polymeric Liquids, Vol. 1, Wiley 1987, sec. 4.2).  The verification row solves the
same flow with finite elements and compares with (1).

Intrusion of a pore from a reservoir at pressure p (the stack pressure carried by the
Li) against a traction-free front: G = p / z at depth z, and dz/dt = v(p/z) integrates
to

    z(t) = [ (n + 1) K r (p r / 2)^n t / (n + 3) + z0^(n+1) ]^(1/(n+1)).          (2)
"""

from __future__ import annotations

import numpy as np


def shear_coefficient(creep_coefficient: float, n: float) -> float:
    """K of gamma_dot = K tau^n for J2 creep eps_dot = A sigma_eq^n: K = sqrt(3)^(n+1) A."""
    return float(np.sqrt(3.0) ** (n + 1.0) * creep_coefficient)


def mean_velocity(gradient, radius: float, creep_coefficient: float, n: float):
    """Mean axial velocity (m/s) of Norton flow in a pore of ``radius`` under dp/dz (Pa/m)."""
    k = shear_coefficient(creep_coefficient, n)
    g = np.asarray(gradient, dtype=float)
    return k * radius * (np.abs(g) * radius / 2.0) ** n / (n + 3.0) * np.sign(g)


def velocity_profile(rho, gradient: float, radius: float, creep_coefficient: float,
                     n: float):
    """Axial velocity w(rho) (m/s) across the pore, eq. (1) of the module."""
    k = shear_coefficient(creep_coefficient, n)
    rho = np.asarray(rho, dtype=float)
    return k * (gradient / 2.0) ** n * (radius ** (n + 1) - rho ** (n + 1)) / (n + 1.0)


def intrusion_depth(pressure, time, radius: float, creep_coefficient: float, n: float,
                    initial_depth: float = 0.0):
    """Depth (m) reached by Li pushed into a pore by ``pressure`` (Pa) after ``time`` (s).

    Eq. (2) of the module, from ``initial_depth`` (m).
    """
    k = shear_coefficient(creep_coefficient, n)
    p = np.maximum(np.asarray(pressure, dtype=float), 0.0)
    t = np.maximum(np.asarray(time, dtype=float), 0.0)
    rate = (n + 1.0) * k * radius * (p * radius / 2.0) ** n / (n + 3.0)
    return (rate * t + initial_depth ** (n + 1.0)) ** (1.0 / (n + 1.0))


def intrusion_time(pressure, depth, radius: float, creep_coefficient: float, n: float):
    """Time (s) for the intrusion front of eq. (2) to reach ``depth`` (m); inf at zero pressure."""
    k = shear_coefficient(creep_coefficient, n)
    p = np.asarray(pressure, dtype=float)
    rate = (n + 1.0) * k * radius * (np.maximum(p, 0.0) * radius / 2.0) ** n / (n + 3.0)
    with np.errstate(divide="ignore"):
        return np.where(rate > 0, np.asarray(depth, float) ** (n + 1.0) / rate, np.inf)
