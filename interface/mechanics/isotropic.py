"""Isotropic linear-elastic constants of the interface models (SI units, Pa).

:func:`from_material` takes a package :class:`~interface.materials.material.Material`
(library or case file); the constants below are only used by the verification
benchmarks, whose references are computed from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LPSCL", "NMC811", "ElasticMaterial", "from_material", "plane_strain_modulus"]


@dataclass(frozen=True)
class ElasticMaterial:
    """Isotropic linear elasticity.

    Attributes:
        E: Young's modulus (Pa).
        nu: Poisson's ratio (-).
        name: label used in reports.
    """

    E: float
    nu: float
    name: str = ""

    def __post_init__(self):
        if self.E <= 0:
            raise ValueError("Young's modulus must be positive")
        if not -1.0 < self.nu < 0.5:
            raise ValueError("Poisson's ratio must lie in (-1, 0.5)")

    @property
    def lmbda(self) -> float:
        """First Lame parameter (3D value; also used in plane strain)."""
        return self.E * self.nu / ((1.0 + self.nu) * (1.0 - 2.0 * self.nu))

    @property
    def mu(self) -> float:
        """Shear modulus."""
        return self.E / (2.0 * (1.0 + self.nu))

    @property
    def K(self) -> float:
        """3D bulk modulus lambda + 2 mu / 3."""
        return self.lmbda + 2.0 * self.mu / 3.0

    @property
    def E_plane_strain(self) -> float:
        """E / (1 - nu^2)."""
        return self.E / (1.0 - self.nu**2)


def plane_strain_modulus(m1: ElasticMaterial, m2: ElasticMaterial) -> float:
    """Hertz contact modulus E* with 1/E* = (1-nu1^2)/E1 + (1-nu2^2)/E2."""
    return 1.0 / ((1.0 - m1.nu**2) / m1.E + (1.0 - m2.nu**2) / m2.E)


def from_material(material) -> ElasticMaterial:
    """The elastic constants of a package Material (youngs_modulus, poisson_ratio)."""
    return ElasticMaterial(float(material.youngs_modulus), float(material.poisson_ratio),
                           getattr(material, "name", ""))


# Verification constants (the benchmarks only need a realistic stiffness contrast):
# NMC811 E 199 GPa, nu 0.30 and Li6PS5Cl E 22 GPa, nu 0.37, typical literature values.
# The RVE model takes its materials from the library / case file instead.
NMC811 = ElasticMaterial(199e9, 0.30, "NMC811")
LPSCL = ElasticMaterial(22e9, 0.37, "Li6PS5Cl")
