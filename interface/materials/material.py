"""Material and strain-curve objects (SI units) and their case-file schema."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from interface.errors import InputError
from interface.schema import spec


@dataclass(frozen=True)
class StrainCurve:
    """Volumetric strain dV/V versus lithium stoichiometry, relative to the first point's state.

    ``volumetric_strain`` is a fraction (case files may write "-6.53 %").  Values
    between the points are interpolated with a monotone cubic (PCHIP) or
    linearly; outside the tabulated range the curve is not extrapolated and an
    error names the stoichiometry.
    """

    stoichiometry: tuple[float, ...] = spec(
        "numbers", doc="lithium stoichiometry x of each point (dimensionless)", min_items=2)
    volumetric_strain: tuple[float, ...] = spec(
        "numbers", doc="volumetric strain dV/V at each point (fraction, or '%' strings)",
        min_items=2, gt=-1.0)
    interpolation: str = spec("choice", doc="interpolation between the points",
                              choices=("pchip", "linear"), default="pchip")
    source: str = spec("string", doc="where the data come from", default="user input")

    def validate(self, path: str) -> None:
        """Check equal lengths and strictly monotone stoichiometry."""
        if len(self.stoichiometry) != len(self.volumetric_strain):
            raise InputError(
                f"stoichiometry has {len(self.stoichiometry)} points but volumetric_strain has "
                f"{len(self.volumetric_strain)}", key=f"{path}.volumetric_strain")
        x = np.asarray(self.stoichiometry)
        d = np.diff(x)
        if not (np.all(d > 0) or np.all(d < 0)):
            raise InputError("stoichiometry must be strictly increasing or decreasing",
                             key=f"{path}.stoichiometry")

    @property
    def x_range(self) -> tuple[float, float]:
        """(min, max) tabulated stoichiometry."""
        return float(min(self.stoichiometry)), float(max(self.stoichiometry))

    def _interp(self):
        return self._interpolant

    @functools.cached_property
    def _interpolant(self):
        """The interpolating function, built once per curve."""
        from scipy.interpolate import PchipInterpolator

        x = np.asarray(self.stoichiometry, dtype=float)
        y = np.asarray(self.volumetric_strain, dtype=float)
        order = np.argsort(x)
        x, y = x[order], y[order]
        if self.interpolation == "linear":
            return lambda q: np.interp(q, x, y)
        return PchipInterpolator(x, y, extrapolate=False)

    def volumetric(self, x: float | np.ndarray) -> np.ndarray:
        """dV/V at stoichiometry ``x`` (fraction)."""
        lo, hi = self.x_range
        xa = np.asarray(x, dtype=float)
        tol = 1e-12 * max(1.0, hi - lo)
        if np.any(xa < lo - tol) or np.any(xa > hi + tol):
            raise InputError(f"stoichiometry {np.min(xa):.4g}..{np.max(xa):.4g} is outside the "
                             f"strain curve's range [{lo:.4g}, {hi:.4g}] ({self.source})")
        return np.asarray(self._interp()(np.clip(xa, lo, hi)), dtype=float)

    def linear_eigenstrain(self, x: float | np.ndarray, x_ref: float) -> np.ndarray:
        """Isotropic linear eigenstrain of the state ``x`` relative to ``x_ref``.

        The stretch ratio of a freely swelling body: ((1+θ(x)) / (1+θ(x_ref)))^(1/3) - 1,
        which equals θ/3 to first order and stays exact for a free body at large
        volume changes (Si).
        """
        return np.cbrt((1.0 + self.volumetric(x)) / (1.0 + self.volumetric(x_ref))) - 1.0


@dataclass(frozen=True)
class CreepLaw:
    """Power-law (Norton) creep: strain rate = A sigma^n exp(-Q/R (1/T - 1/T_ref))."""

    coefficient: float = spec("number", doc="A in 1/s when sigma is in Pa (Pa^-n s^-1)", gt=0)
    exponent: float = spec("number", doc="stress exponent n", gt=0)
    activation_energy: float = spec("quantity", unit="J/mol", doc="activation energy Q",
                                    default="0 J/mol", ge=0)
    reference_temperature: float = spec("quantity", unit="K", doc="temperature at which A holds",
                                        default="298.15 K", gt=0)
    source: str = spec("string", doc="where the data come from", default="user input")

    def strain_rate(self, stress_Pa: float | np.ndarray, temperature_K: float) -> np.ndarray:
        """Equivalent creep strain rate in 1/s at equivalent stress ``stress_Pa``."""
        r_gas = 8.314462618
        arr = np.exp(-self.activation_energy / r_gas
                     * (1.0 / temperature_K - 1.0 / self.reference_temperature))
        return self.coefficient * np.abs(stress_Pa) ** self.exponent * arr


@dataclass(frozen=True)
class CompactionLaw:
    """Powder compaction and the stiffness of the compact (Heckel law, porous modulus).

    Relative density on first loading: ln(1 / (1 - D)) = K P + B (Heckel, Trans. Metall.
    Soc. AIME 221, 671 (1961)); Young's modulus of the compact E(D) = E_dense D^m.
    """

    heckel_k: float = spec("quantity", unit="1/Pa", gt=0, doc="Heckel slope K (1 / yield "
                           "pressure)")
    heckel_b: float = spec("number", doc="Heckel intercept B (ln(1 / (1 - D)) at P = 0 of the "
                           "linear, plastic regime)")
    modulus_exponent: float = spec("number", ge=0, doc="m of E(D) = E_dense D^m")
    source: str = spec("string", doc="where the data come from", default="user input")

    def density(self, pressure: float) -> float:
        """Relative density of the compact pressed at ``pressure`` (Pa)."""
        import math

        return 1.0 - math.exp(-(self.heckel_k * max(pressure, 0.0) + self.heckel_b))


@dataclass(frozen=True)
class Material:
    """An isotropic material (SI units); cases may define their own in ``[materials.<name>]``."""

    # Bounds beyond any solid (soft gels ~1 kPa, diamond 1.2 TPa; aerogels ~1 kg/m^3,
    # osmium 22.6 g/cm^3): outside them products of moduli under- or overflow.
    youngs_modulus: float = spec("quantity", unit="Pa", doc="Young's modulus E", ge=1.0,
                                 le=1e13)
    poisson_ratio: float = spec("number", doc="Poisson's ratio nu", ge=0.0, lt=0.5)
    density: float = spec("quantity", unit="kg/m^3", doc="mass density", ge=1.0, le=1e5)
    thermal_expansion: float = spec("quantity", unit="1/K", doc="linear thermal expansion "
                                    "coefficient", default="0 1/K")
    volumetric_strain: StrainCurve | None = spec(
        "table", item=StrainCurve, default=None, doc="dV/V versus lithium stoichiometry")
    max_concentration: float | None = spec(
        "quantity", unit="mol/m^3", gt=0, default=None,
        doc="lithium concentration at stoichiometry x = 1 (active materials)")
    yield_stress: float | None = spec("quantity", unit="Pa", gt=0, default=None,
                                      doc="initial yield stress (plastic materials)")
    creep: CreepLaw | None = spec("table", item=CreepLaw, default=None,
                                  doc="power-law creep parameters")
    compaction: CompactionLaw | None = spec("table", item=CompactionLaw, default=None,
                                            doc="powder compaction (porous compacts)")
    alloy_volume_per_li: float | None = spec(
        "quantity", unit="m^3/mol", gt=0, default=None,
        doc="volume added per mole of Li alloyed (alloy anodes, e.g. In -> LiIn)")
    name: str = spec("string", doc="display name", default="")
    source: str = spec("string", doc="citation of the values", default="user input")

    # ------------------------------------------------------------ derived (SI)
    @property
    def shear_modulus(self) -> float:
        """G = E / (2 (1 + nu)) in Pa."""
        return self.youngs_modulus / (2.0 * (1.0 + self.poisson_ratio))

    @property
    def bulk_modulus(self) -> float:
        """K = E / (3 (1 - 2 nu)) in Pa."""
        return self.youngs_modulus / (3.0 * (1.0 - 2.0 * self.poisson_ratio))

    @property
    def lame_lambda(self) -> float:
        """Lame's first parameter in Pa."""
        e, nu = self.youngs_modulus, self.poisson_ratio
        return e * nu / ((1.0 + nu) * (1.0 - 2.0 * nu))

    @property
    def oedometric_modulus(self) -> float:
        """M = E (1 - nu) / ((1 + nu)(1 - 2 nu)) in Pa: laterally constrained stiffness."""
        return self.lame_lambda + 2.0 * self.shear_modulus

    @property
    def plane_strain_modulus(self) -> float:
        """E* = E / (1 - nu^2) in Pa."""
        return self.youngs_modulus / (1.0 - self.poisson_ratio**2)


def from_moduli(bulk: float, shear: float) -> tuple[float, float]:
    """(E, nu) from bulk and shear moduli in Pa."""
    e = 9.0 * bulk * shear / (3.0 * bulk + shear)
    nu = (3.0 * bulk - 2.0 * shear) / (2.0 * (3.0 * bulk + shear))
    return e, nu
