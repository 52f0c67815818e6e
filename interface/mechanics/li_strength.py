"""Li metal at the length scales of an interface: size-dependent flow strength.

Bulk Li yields at 0.73-0.81 MPa and creeps as eps_dot = A sigma^n (Masias et al.,
J. Mater. Sci. 54, 2585 (2019)).  Small volumes of Li are far stronger: micro-pillars
of 1.39 um diameter yield at 105 MPa, and the strength falls with diameter d as a
power law with exponent about -0.68 at room temperature (Xu, Ahmad, Feng, Gu, Qi,
Wang, Greer, Liu, Cui, Proc. Natl. Acad. Sci. USA 114, 57 (2017) [secondary: values as
quoted by Singh et al., Cell Rep. Phys. Sci. 3, 101043 (2022)]).  Contact spots,
asperities and the pores of a sulfide pellet are micrometre-sized, so the Li that
flows into them is in this regime:

    S(d) = max(1, sigma_1 (d / 1 um)^(-m) / sigma_y,bulk),   sigma_1 = 131 MPa, m = 0.68

(sigma_1 = 105 MPa x 1.39^0.68 [derived]).  The size factor S multiplies every
flow stress of Li at scale d: the rate-independent yield stress S sigma_y and the
stress for a given creep rate, i.e. the creep coefficient becomes A / S^n.  The
creep rate *at* the scaled yield stress, A (S sigma_y)^n / S^n = A sigma_y^n, is
therefore scale independent: a property of bulk Li (about 2e-3 1/s with the
library values).  At d ~ 1 mm, S -> 1 (bulk).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Xu et al. 2017 (PNAS 114, 57), quoted by Singh et al. 2022 [secondary]: 105 MPa at 1.39 um.
SIGMA_1UM = 105.0e6 * 1.39 ** 0.68
#: Size-effect exponent of the Li micro-pillar strength at room temperature (Xu 2017) [secondary].
SIZE_EXPONENT = 0.68
#: Hardness / yield stress of a fully plastic, constrained contact (Tabor, The Hardness of
#: Metals, Oxford 1951): H = 3 sigma_y; the FE Li contact model reproduces 2.97
#: (docs/theory/lithium.md).
CONSTRAINT_FACTOR = 3.0


@dataclass(frozen=True)
class LiFlow:
    """Flow of Li at a length scale: yield, creep and the size factor (SI units).

    Attributes:
        yield_stress: bulk yield stress, Pa.
        creep_coefficient: bulk A at the temperature of use, Pa^-n s^-1.
        creep_exponent: n.
        sigma_1um: size-effect strength at 1 um, Pa.
        size_exponent: m.
    """

    yield_stress: float
    creep_coefficient: float
    creep_exponent: float
    sigma_1um: float = SIGMA_1UM
    size_exponent: float = SIZE_EXPONENT

    @classmethod
    def from_law(cls, law, **kw) -> LiFlow:
        """From a :class:`~interface.mechanics.viscoplastic.LithiumMaterial` (A at its T)."""
        return cls(yield_stress=law.sigma_y, creep_coefficient=law.A, creep_exponent=law.n,
                   **kw)

    def size_factor(self, d) -> np.ndarray:
        """S(d) >= 1 for a feature size d (m)."""
        d = np.asarray(d, dtype=float)
        s = self.sigma_1um * (d / 1e-6) ** (-self.size_exponent) / self.yield_stress
        return np.maximum(s, 1.0)

    def yield_at(self, d) -> np.ndarray:
        """Rate-independent yield stress at scale d, Pa."""
        return self.yield_stress * self.size_factor(d)

    def creep_at(self, d) -> np.ndarray:
        """Creep coefficient at scale d, A / S(d)^n (Pa^-n s^-1)."""
        return self.creep_coefficient / self.size_factor(d) ** self.creep_exponent

    def strain_rate(self, stress, d) -> np.ndarray:
        """Creep strain rate at equivalent stress ``stress`` (Pa) and scale d (m), 1/s."""
        return self.creep_at(d) * np.abs(np.asarray(stress, float)) ** self.creep_exponent

    @property
    def rate_at_yield(self) -> float:
        """Creep rate at the (scaled) yield stress, A sigma_y^n, 1/s: scale independent."""
        return float(self.creep_coefficient * self.yield_stress ** self.creep_exponent)
