"""Compression pads between cells: a microcellular foam with a nonlinear stress-strain law.

EV modules of pouch cells put foam pads (microcellular polyurethane, silicone foams)
between the cells: the pads hold the stack pressure and absorb the cells' breathing.

**Stress-strain law.**  An open-cell elastomeric foam stiffens as its cells collapse
and it approaches densification at the strain (Gibson & Ashby, Cellular Solids, 2nd
ed., Cambridge University Press (1997), ch. 5)

    eps_D = 1 - 1.4 rho* / rho_s                                               (1)

(rho* / rho_s the relative density).  We take the one-parameter secant law

    sigma(eps) = c eps / (1 - eps / eps_D),   c = sigma_25 (1 - 0.25 / eps_D) / 0.25     (2)

which is linear at small strain (modulus c), diverges at eps_D and passes exactly through
the datasheet point, the compression force deflection at 25 % (sigma_25, ASTM D3574).
The shape (2) is [assumed]: a smooth stand-in for the measured curve through the two
cited numbers (the CFD point and eps_D from the density); it is invertible in closed
form, eps(sigma) = sigma eps_D / (c eps_D + sigma).

**Compression set.**  A pad held compressed loses part of its thickness for good: ASTM
D3574 Test D (50 % compression, 22 h) reports the loss as a fraction of the original
thickness, C_t = (t_0 - t_f) / t_0.  At the end of life the pad's free thickness is
t_0 (1 - C_t): in a module of fixed length the pad is then compressed less and the
pressure falls (:meth:`PadStack.pressure`).

**Working range.**  A pad is used up to ``max_strain_fraction`` eps_D (default 0.8
[assumed]: out of densification, where the pad no longer gives compliance and creeps).

Pads in series with the cells (sum of pad thicknesses T, N cells of compliance C_c each,
frame compliance C_f, all per face area) between end plates at a fixed distance: the
stack pressure P at a cell breathing delta (per cell, relative to assembly) solves

    T_f (1 - eps(P)) + N (delta - C_c P) = T_0 (1 - eps_0) - N C_c P_0 + C_f (P - P_0)   (3)

(T_f = T_0 at the start of life, T_0 (1 - C_t) at its end; eps_0 = eps(P_0)), a monotone
equation in P.  Sizing: the smallest T_0 that keeps P <= P_hi at the largest breathing
delta_max is, from (3) at the start of life,

    T_0 = [N delta_max - (N C_c + C_f)(P_hi - P_0)] / (eps(P_hi) - eps_0).          (4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from interface.errors import InputError, SolverError

#: Compression at which the datasheet value of the compression force deflection is given.
CFD_STRAIN = 0.25

ROGERS_4701_30 = ("Rogers Corp., PORON 4701-30 Very Soft Supported, typical product "
                  "properties (datasheet): CFD at 25 %, 0.2 in/min, ASTM D3574; compression "
                  "set ASTM D3574 Test D")


@dataclass(frozen=True)
class FoamPad:
    """A foam pad material (SI units).

    Attributes:
        name: grade name.
        density: foam density rho*, kg/m^3.
        solid_density: density of the solid polymer rho_s, kg/m^3.
        cfd_25: compression stress at 25 % strain (datasheet, typical), Pa.
        compression_set: permanent loss of thickness after long compression, a fraction of
            the original thickness (ASTM D3574 Test D).
        max_strain_fraction: usable strain as a fraction of eps_D.
        source: where the numbers come from.
    """

    name: str
    density: float
    solid_density: float
    cfd_25: float
    compression_set: float
    max_strain_fraction: float = 0.8
    source: str = ""

    def __post_init__(self) -> None:
        if not (0 < self.density < self.solid_density):
            raise InputError(f"pad density must be in (0, solid density), got {self.density!r}",
                             key="pad.density")
        if not self.cfd_25 > 0:
            raise InputError(f"must be > 0 Pa, got {self.cfd_25!r}", key="pad.cfd_25")
        if not 0 <= self.compression_set < 1:
            raise InputError(f"must be in [0, 1), got {self.compression_set!r}",
                             key="pad.compression_set")
        if not 0 < self.max_strain_fraction < 1:
            raise InputError(f"must be in (0, 1), got {self.max_strain_fraction!r}",
                             key="pad.max_strain_fraction")
        if self.densification_strain <= CFD_STRAIN:
            raise InputError(f"densification strain {self.densification_strain:.3g} <= 0.25: "
                             "the datasheet point lies beyond densification",
                             key="pad.density")

    @property
    def relative_density(self) -> float:
        """rho* / rho_s."""
        return self.density / self.solid_density

    @property
    def densification_strain(self) -> float:
        """eps_D = 1 - 1.4 rho*/rho_s (Gibson & Ashby 1997), eq. (1)."""
        return 1.0 - 1.4 * self.relative_density

    @property
    def modulus(self) -> float:
        """Small-strain modulus c of eq. (2), Pa."""
        ed = self.densification_strain
        return self.cfd_25 * (1.0 - CFD_STRAIN / ed) / CFD_STRAIN

    @property
    def max_strain(self) -> float:
        """Largest working strain, max_strain_fraction eps_D."""
        return self.max_strain_fraction * self.densification_strain

    @property
    def max_stress(self) -> float:
        """Stress at the largest working strain, Pa."""
        return self.stress(self.max_strain)

    def stress(self, strain: float) -> float:
        """sigma(eps), eq. (2), Pa (compression positive)."""
        ed = self.densification_strain
        e = max(float(strain), 0.0)
        if e >= ed:
            return math.inf
        return self.modulus * e / (1.0 - e / ed)

    def strain(self, stress: float) -> float:
        """eps(sigma), the inverse of eq. (2)."""
        s = max(float(stress), 0.0)
        ed = self.densification_strain
        return s * ed / (self.modulus * ed + s)

    def tangent(self, strain: float) -> float:
        """Tangent modulus d sigma / d eps at ``strain``, Pa."""
        ed = self.densification_strain
        return self.modulus / (1.0 - strain / ed) ** 2


def _grade(name: str, density: float, cfd_25: float, compression_set: float) -> FoamPad:
    return FoamPad(name=name, density=density, solid_density=1200.0, cfd_25=cfd_25,
                   compression_set=compression_set, source=ROGERS_4701_30)


#: Foam pad grades.  PORON 4701-30 "Very Soft" datasheet (Rogers Corp.): 20 pcf (320 kg/m^3)
#: CFD at 25 % 21-55 kPa, typical 34 kPa; 25 pcf (400 kg/m^3) 35-83 kPa, typical 58 kPa;
#: compression set <= 4 % at 23 C (ASTM D1667 Test D) and <= 10 % at 70 C (ASTM D3574
#: Test D) [datasheet, via a distributor's mirror: secondary].  Solid polyurethane
#: 1200 kg/m^3 [assumed; PU elastomers 1.1-1.25 g/cm^3].  The 70 C compression set is used
#: (conservative for a pack that sees 45-60 C).
FOAM_PADS: dict[str, FoamPad] = {
    "poron_4701_30_320": _grade("poron_4701_30_320", 320.0, 34e3, 0.10),
    "poron_4701_30_400": _grade("poron_4701_30_400", 400.0, 58e3, 0.10),
}


def get_pad(name: str, key: str = "pad") -> FoamPad:
    """A foam pad grade by name (InputError naming ``key`` if unknown)."""
    if name not in FOAM_PADS:
        from interface.schema import suggest

        raise InputError(f"unknown foam pad '{name}'{suggest(name, list(FOAM_PADS))}; "
                         f"known: {', '.join(FOAM_PADS)}", key=key)
    return FOAM_PADS[name]


@dataclass(frozen=True)
class PadStack:
    """N cells and foam pads of total free thickness T_0 between end plates (per face area).

    Attributes:
        pad: the foam.
        total_thickness: T_0, the sum of the pad thicknesses at assembly (free), m.
        cells: N.
        cell_compliance: C_c of one cell, m/Pa.
        frame_compliance: C_f of the end plates and tension members, m/Pa.
        preload: P_0 at assembly (reference SOC), Pa.
    """

    pad: FoamPad
    total_thickness: float
    cells: int
    cell_compliance: float
    frame_compliance: float
    preload: float

    @property
    def assembly_strain(self) -> float:
        """eps_0 = eps(P_0)."""
        return self.pad.strain(self.preload)

    def residual(self, pressure: float, breathing: float, aged: bool) -> float:
        """Left minus right side of eq. (3), m (increasing in P)."""
        t0 = self.total_thickness
        tf = t0 * (1.0 - self.pad.compression_set) if aged else t0
        p0 = self.preload
        n = self.cells
        lhs = tf * (1.0 - self.pad.strain(pressure)) + n * (breathing - self.cell_compliance
                                                             * pressure)
        rhs = (t0 * (1.0 - self.assembly_strain) - n * self.cell_compliance * p0
               + self.frame_compliance * (pressure - p0))
        return -(lhs - rhs)

    def pressure(self, breathing: float, aged: bool = False) -> float:
        """Stack pressure at a cell breathing ``breathing`` (m per cell), eq. (3), Pa.

        0 when the stack lifts off the pads (the pads are then unloaded).
        """
        from scipy.optimize import brentq

        if self.residual(0.0, breathing, aged) >= 0.0:
            return 0.0
        hi = max(self.preload, 1.0)
        # the foam stress diverges at eps_D: stay below the pressure of strain 0.999 eps_D
        cap = self.pad.stress(0.999 * self.pad.densification_strain)
        while self.residual(hi, breathing, aged) < 0.0:
            if hi >= cap:
                return math.inf  # the pads are crushed solid: no compliance left
            hi = min(hi * 2.0, cap)
        p = brentq(lambda q: self.residual(q, breathing, aged), 0.0, hi, xtol=1e-12 * hi,
                   rtol=1e-13, maxiter=200)
        if not math.isfinite(p):
            raise SolverError("pad stack: no pressure balances the gap",
                              point={"breathing": breathing})
        return float(p)


def pad_thickness_for_band(pad: FoamPad, cells: int, breathing_max: float,
                           cell_compliance: float, frame_compliance: float, preload: float,
                           pressure_high: float) -> float:
    """Smallest total free pad thickness T_0 keeping P <= ``pressure_high``, eq. (4), m.

    Raises:
        InputError: ``pressure_high`` not above the preload, or beyond the pad's range.
    """
    if not pressure_high > preload:
        raise InputError(f"the upper pressure {pressure_high:g} Pa must exceed the preload "
                         f"{preload:g} Pa", key="pressure_high")
    e0 = pad.strain(preload)
    e_hi = pad.strain(pressure_high)
    num = cells * breathing_max - (cells * cell_compliance + frame_compliance) * (
        pressure_high - preload)
    return max(num, 0.0) / (e_hi - e0)
