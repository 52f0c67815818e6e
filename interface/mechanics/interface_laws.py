"""Interface laws between particle ("+") and matrix ("-") bodies.

Kinematics (small deformation, small sliding; conforming mesh so that
every interface point X has a particle copy and a matrix copy):

    [u](X) = u_m(X) - u_p(X)            displacement jump
    n      = outward unit normal of the particle (reference configuration)
    g      = g0(X) + [u] . n             normal gap (> 0 open, < 0 penetration)
    [u]_t  = [u] - ([u] . n) n           tangential slip

Every law returns the traction ``t`` exerted *on the particle* by the
matrix (the matrix receives ``-t``); the interface normal pressure is
``p = -t . n`` (compression positive).  The weak form is

    sum_b  int_{Omega_b} sigma_b(u_b) : eps(v_b) dx
      - int_Gamma t . (v_p - v_m) dS  - (external loads) = 0.

All laws are regularised by a penalty ``k = gamma0 * E_ref / h_F`` where
``h_F`` is the mean diameter of the two cells at the facet (set by the
solver).  The penalty error (normal compliance h_F / (gamma0 E_ref)) is
discussed in docs/theory/rve.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["InterfaceLaw", "FrictionlessContact", "Bonded", "CohesiveZone"]


@dataclass
class InterfaceLaw:
    """Base class. ``penalty`` is the dimensionless gamma0."""

    penalty: float = 1.0e3

    #: True if the law has a history variable (irreversible damage)
    has_history = False
    #: True if contact can open (unilateral)
    unilateral = False

    def traction(self, jump, n, g, k, history=None):  # pragma: no cover - abstract
        """UFL traction on the particle."""
        raise NotImplementedError

    def normal_pressure(self, g, k, history=None):  # pragma: no cover - abstract
        """Numpy: interface normal pressure p = -t.n at gap values ``g``."""
        raise NotImplementedError


@dataclass
class FrictionlessContact(InterfaceLaw):
    """Frictionless unilateral (Signorini) contact, penalty regularised.

    ``t = k min(g, 0) n + eps_reg k [u]``.  The active set is
    ``g <= 0`` (the derivative at g = 0 is taken on the active side so that
    a closed, unloaded interface starts Newton with contact stiffness).

    ``regularisation`` (eps_reg, default 1e-8) is a weak isotropic spring
    that removes the rigid-body modes of particles that are completely
    detached or (for circles) free to rotate in frictionless contact.  It
    transmits a spurious traction of order eps_reg*gamma0*(r/h)*E*strain,
    i.e. ~1e-4 of the contact pressure scale for the defaults; set it to 0
    when the boundary conditions already fix every body (Hertz benchmark,
    symmetric inclusion).
    """

    regularisation: float = 1.0e-8
    unilateral = True

    def traction(self, jump, n, g, k, history=None):
        """UFL traction on the particle."""
        import ufl

        tn = k * ufl.conditional(ufl.le(g, 0.0), g, 0.0)
        t = tn * n
        if self.regularisation > 0.0:
            t = t + self.regularisation * k * jump
        return t

    def normal_pressure(self, g, k, history=None):
        """Numpy: interface normal pressure at gap values ``g``."""
        return k * np.maximum(-np.asarray(g), 0.0)


@dataclass
class Bonded(InterfaceLaw):
    """Perfect bonding (tie), penalty regularised: ``t = k ([u] + g0 n)``."""

    def traction(self, jump, n, g, k, history=None):
        """UFL traction on the particle."""
        gt = jump - (jump[0] * n[0] + sum(jump[i] * n[i] for i in range(1, len(n)))) * n
        return k * (g * n + gt)

    def normal_pressure(self, g, k, history=None):
        """Numpy: interface normal pressure at gap values ``g``."""
        return -k * np.asarray(g)


@dataclass
class CohesiveZone(InterfaceLaw):
    """Bilinear or exponential cohesive law with contact in compression.

    Effective opening (mixed mode)

        delta = sqrt(<g>_+^2 + beta^2 |[u]_t|^2)

    Traction (on the particle)

        t = T(delta_max)/delta_max * ( <g>_+ n + beta^2 [u]_t )   (if open)
          + k min(g, 0) n                                       (contact)

    i.e. the secant stiffness of the envelope at the largest opening
    reached (``delta_max``, history; unloading is linear to the origin:
    damage) and penalty contact in compression.  The envelope ``T``:

    * ``"bilinear"``: T = K delta up to delta_0 = sigma_c / K, then linear
      softening to zero at delta_f = 2 G_c / sigma_c.  K = k (penalty
      stiffness) so that the bonded response is recovered until failure.
    * ``"exponential"`` (Xu-Needleman-like): T = e sigma_c (delta/delta_c)
      exp(-delta/delta_c) with delta_c = G_c / (e sigma_c); the initial
      stiffness e sigma_c / delta_c is material, not the penalty.

    The fracture energy is int_0^inf T d delta = G_c for both shapes.

    History ``delta_max`` is stored per interface facet (DG0 on the parent
    mesh restricted to the particle cell) and updated after each converged
    load step by the solver (``InterfaceProblem.update_history``).
    """

    strength: float = 50e6
    fracture_energy: float = 1.0
    shape: str = "bilinear"
    beta: float = 1.0
    has_history = True
    unilateral = True

    def _envelope(self, d, k, lib):
        sc, gc = self.strength, self.fracture_energy
        if self.shape == "bilinear":
            d0 = sc / k
            df = 2.0 * gc / sc
            if lib is np:
                return np.where(d <= d0, k * d, np.where(d < df, sc * (df - d) / (df - d0), 0.0))
            import ufl

            return ufl.conditional(
                ufl.le(d, d0), k * d,
                ufl.conditional(ufl.lt(d, df), sc * (df - d) / (df - d0), 0.0))
        if self.shape == "exponential":
            dc = gc / (np.e * sc)
            return np.e * sc * d / dc * lib.exp(-d / dc)
        raise ValueError(f"unknown cohesive shape {self.shape!r}")

    def secant(self, dmax, k, lib):
        """Secant stiffness T(dmax)/dmax of the envelope (k at dmax=0)."""
        sc, gc = self.strength, self.fracture_energy
        if self.shape == "bilinear":
            d0 = sc / k
            if lib is np:
                dm = np.maximum(dmax, d0)
                return self._envelope(dm, k, np) / dm
            import ufl

            dm = ufl.max_value(dmax, d0)
            return self._envelope(dm, k, ufl) / dm
        dc = gc / (np.e * sc)
        return np.e * sc / dc * lib.exp(-dmax / dc)

    def traction(self, jump, n, g, k, history=None):
        """UFL traction on the particle."""
        import ufl

        gt = jump - ufl.dot(jump, n) * n
        gp = ufl.conditional(ufl.gt(g, 0.0), g, 0.0)
        delta = ufl.sqrt(gp**2 + self.beta**2 * ufl.dot(gt, gt) + 1e-300)
        dmax = delta if history is None else ufl.max_value(delta, history)
        s = self.secant(dmax, k, ufl)
        t_open = s * (gp * n + self.beta**2 * gt)
        t_contact = k * ufl.conditional(ufl.le(g, 0.0), g, 0.0) * n
        return t_open + t_contact

    def normal_pressure(self, g, k, history=None):
        """Numpy: interface normal pressure at gap values ``g``."""
        g = np.asarray(g)
        dmax = np.maximum(np.maximum(g, 0.0), 0.0 if history is None else history)
        s = self.secant(dmax, k, np)
        return np.where(g <= 0.0, -k * g, -s * g)
