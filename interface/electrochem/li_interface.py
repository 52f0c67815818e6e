"""The Li metal | sulfide electrolyte interface of a cell: contact, resistance, voids, shorts.

Fast laws for the three quantities that bound the stack pressure of a Li-metal cell
(docs/theory/li_window.md has the derivations and sources):

**Contact.**  The electrolyte surface presses its grains (asperities of size d_a)
into the Li.  Li at that scale is strong (:mod:`interface.mechanics.li_strength`,
size factor S(d_a)), so the instantaneous contact is the plastic, hardness-limited
one of Bowden and Tabor, and it grows during a hold by indentation creep of the
spots (mean spot pressure P/f, strain rate (1/2f) df/dt = A_a (P/(c f))^n):

    y_pl = P / H_a,   H_a = c S(d_a) sigma_y,
    y^n  = max(y_pl, y_prev)^n + 2 n A_a (P/c)^n t,    A_a = A / S(d_a)^n,
    f    = 1 - exp(-y)                                                     (1)

(f ~ y while sparse; full contact is approached smoothly).  On unloading from the
largest pressure P_max the flattened spots recover elastically, the contact area of
each shrinking as load^(2/3) (Hertzian unloading of a plastically flattened contact,
Johnson, Contact Mechanics, CUP 1985, ch. 6): y = y_max (P/P_max)^(2/3); the
contact made at high pressure is partly kept (hysteresis).

**Interfacial ASR.**  Charge transfer over the real contact area plus the
constriction of the current into the spots (Holm, with the Cooper-Mikic-Yovanovich
interaction factor; :mod:`interface.electrochem.constriction`):

    ASR = Z_0 / f + pi a_s (1 - sqrt f)^1.5 / (4 kappa f),   a_s = d_a sqrt(f / pi)   (2)

with Z_0 the area-specific charge-transfer (and interphase) resistance of full contact
and a_s the radius of the spots (one per asperity of spacing d_a).

**Critical stripping current.**  Stripping removes Li at the spots at velocity
i V_m / (F f).  Li is supplied to the spots by creep of the Li under the spot pressure
(a flat punch indenting a power-law creeping solid advances at v ~ a_s eps_dot; Bower,
Fleck, Needleman & Ogbonna, Proc. R. Soc. A 441, 97 (1993)) and by self-diffusion of Li
carrying the vacancies away over the spot size (D_Li / a_s; Krauskopf et al., ACS Appl.
Mater. Interfaces 11, 14463 (2019)).  As the spots are consumed faster than they are fed
the contact shrinks and the spot pressure rises, but only up to the hardness: there the
spots hold the plastic-limit contact f_pl = 1 - exp(-P / H_a) and creep at the rate of Li
at its yield stress, A_a (H_a / c)^n = A sigma_y^n (the size factor cancels).  Beyond the
current this supply carries, voids grow (the balance of Kasemchainan et al., Nat. Mater.
18, 1105 (2019)):

    i_c = beta (F / V_m) f_pl [ a_s A sigma_y^n + D_Li / a_s ],  a_s = d_a sqrt(f_pl / pi)  (3)

with beta, of order one, the geometry of both supply paths.  i_c rises with pressure
through the contact and the size of the spots (between P^0.5 and P^1.5).

**Time to short.**  Li filaments grow through the separator's pore network (path
L tau, tortuosity tau = porosity^-1/2) from the Li already pushed into the pores by
the stack pressure (Norton flow, :mod:`interface.mechanics.pore_flow`, at the pore
scale) by plating, which the tip attracts in proportion to its lower resistance
(a hemispherical tip of radius r in an electrolyte of conductivity kappa against the
flat interface):

    dz/dt = v_creep(P, z) + duty * k * i V_m / F,
    k = (2 Z kappa + L) / (Z kappa + r / 2)                                       (4)

with Z the interfacial ASR at the tip (the cell's ASR at the pressure) and duty the
fraction of time the electrode plates (1/2 in a symmetric cell).  Above the pressure at
which Li extrudes plastically into the pores, P_e = c S(2r) sigma_y (the constrained flow
stress of Li at the pore scale), the stack pressure alone pushes Li through the
separator: the cell shorts on pressing (time 0; Doux et al. 2020 report this at 75 MPa).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from interface.electrochem.constriction import interaction_factor
from interface.materials.library import FARADAY, GAS_CONSTANT, LI_DENSITY, LI_MOLAR_MASS
from interface.mechanics.li_strength import CONSTRAINT_FACTOR, LiFlow
from interface.mechanics.pore_flow import intrusion_depth

#: Molar volume of Li, m^3/mol (M / rho) [derived].
LI_MOLAR_VOLUME = LI_MOLAR_MASS / LI_DENSITY
#: Hertzian unloading exponent of a spot's contact area with load (Johnson 1985, ch. 6).
UNLOAD_EXPONENT = 2.0 / 3.0


def arrhenius(value_ref: float, activation_energy: float, temperature: float,
              reference: float = 298.15) -> float:
    """value_ref exp(-Q/R (1/T - 1/T_ref)): a rate-like quantity at T."""
    return float(value_ref * math.exp(-activation_energy / GAS_CONSTANT
                                      * (1.0 / temperature - 1.0 / reference)))


@dataclass(frozen=True)
class ContactState:
    """The Li | electrolyte contact at one point of a pressure path.

    Attributes:
        pressure: stack pressure, Pa.
        y: contact variable of eq. (1) (f = 1 - exp(-y)).
        y_max, p_max: the largest y and pressure reached (the history variable).
    """

    pressure: float
    y: float
    y_max: float
    p_max: float

    @property
    def fraction(self) -> float:
        """Contact fraction f."""
        return float(1.0 - math.exp(-self.y))


@dataclass(frozen=True)
class LiInterface:
    """Li | electrolyte interface of a cell at temperature T (SI units).

    Attributes:
        flow: Li flow (yield, creep at T, size effect).
        asperity_size: d_a, the grain size of the electrolyte surface, m.
        charge_transfer_asr: Z_0 at T, Ohm m^2.
        conductivity: electrolyte ionic conductivity at T, S/m.
        self_diffusivity: Li self-diffusivity at T, m^2/s.
        supply_factor: beta of eq. (3).
    """

    flow: LiFlow
    asperity_size: float
    charge_transfer_asr: float
    conductivity: float
    self_diffusivity: float
    supply_factor: float = 1.0

    # ------------------------------------------------------------------ contact
    @property
    def hardness(self) -> float:
        """H_a = c S(d_a) sigma_y, Pa."""
        return float(CONSTRAINT_FACTOR * self.flow.yield_at(self.asperity_size))

    @property
    def creep_coefficient(self) -> float:
        """A_a = A / S(d_a)^n, Pa^-n s^-1."""
        return float(self.flow.creep_at(self.asperity_size))

    def load(self, state: ContactState | None, pressure: float, hold: float) -> ContactState:
        """The contact after holding ``pressure`` for ``hold`` s from ``state`` (None: fresh)."""
        n = self.flow.creep_exponent
        p = max(float(pressure), 0.0)
        if state is None:
            state = ContactState(0.0, 0.0, 0.0, 0.0)
        if p < state.p_max:
            y_el = state.y_max * (p / state.p_max) ** UNLOAD_EXPONENT
            y0 = max(y_el, p / self.hardness)
        else:
            y0 = max(p / self.hardness, state.y)
        creep = 2.0 * n * self.creep_coefficient * (p / CONSTRAINT_FACTOR) ** n * max(hold, 0.0)
        y = (y0 ** n + creep) ** (1.0 / n) if (y0 > 0 or creep > 0) else 0.0
        if p < state.p_max and y <= state.y_max * (p / state.p_max) ** UNLOAD_EXPONENT * \
                (1 + 1e-12):
            return ContactState(p, y, state.y_max, state.p_max)
        return ContactState(p, y, max(y, state.y_max), max(p, state.p_max))

    def contact(self, pressure: float, hold: float) -> ContactState:
        """Contact after a monotonic loading to ``pressure`` held for ``hold`` s."""
        return self.load(None, pressure, hold)

    # ---------------------------------------------------------------- resistance
    def spot_radius(self, fraction: float) -> float:
        """a_s = d_a sqrt(f / pi), m."""
        return float(self.asperity_size * math.sqrt(max(fraction, 0.0) / math.pi))

    def asr(self, fraction: float) -> float:
        """Interfacial ASR of eq. (2), Ohm m^2 (inf without contact)."""
        f = float(fraction)
        if f <= 0.0:
            return math.inf
        a = self.spot_radius(f)
        constriction = math.pi * a * float(interaction_factor(min(f, 1.0))) / (
            4.0 * self.conductivity * f)
        return self.charge_transfer_asr / f + constriction

    def extrusion_pressure(self, pore_radius: float) -> float:
        """P_e = c S(2r) sigma_y: Li extrudes plastically into pores of radius r, Pa."""
        return float(CONSTRAINT_FACTOR * self.flow.yield_at(2.0 * pore_radius))

    # ------------------------------------------------------------- stripping
    def critical_stripping_current(self, state: ContactState) -> float:
        """i_c of eq. (3) at the state's pressure, A/m^2."""
        if state.pressure <= 0.0:
            return 0.0
        f = 1.0 - math.exp(-state.pressure / self.hardness)
        a = self.spot_radius(f)
        creep = a * self.flow.rate_at_yield
        diffusion = self.self_diffusivity / a
        return float(self.supply_factor * FARADAY / LI_MOLAR_VOLUME * f * (creep + diffusion))

    def with_(self, **kw) -> LiInterface:
        """A copy with fields replaced."""
        return replace(self, **kw)


@dataclass(frozen=True)
class PoreNetwork:
    """The separator as a pore network for Li filaments (SI units).

    Attributes:
        thickness: separator thickness L, m.
        porosity: pore volume fraction.
        pore_radius: radius r of the pores (and of a filament), m.
    """

    thickness: float
    porosity: float
    pore_radius: float

    @property
    def tortuosity(self) -> float:
        """Tau = porosity^(-1/2) (Bruggeman)."""
        return float(self.porosity ** -0.5) if self.porosity > 0 else math.inf

    @property
    def path_length(self) -> float:
        """L tau, m."""
        return float(self.thickness * self.tortuosity)


@dataclass
class ShortResult:
    """Time to short and what drove it."""

    time: float
    creep_depth_at_short: float
    focusing: float
    plating_velocity: float
    creep_share: float
    mechanical: bool = False


def focusing_factor(asr: float, conductivity: float, thickness: float, tip_radius: float) -> float:
    """K of eq. (4): tip over mean current density."""
    zk = asr * conductivity
    return float((2.0 * zk + thickness) / (zk + 0.5 * tip_radius))


def time_to_short(interface: LiInterface, network: PoreNetwork, pressure: float,
                  current_density: float, asr: float, duty: float = 0.5,
                  t_max: float = 3.15e8, steps_per_decade: int = 200) -> ShortResult:
    """Integrate eq. (4) until the filament crosses the separator (inf if not within t_max).

    Args:
        interface: the Li interface (flow, conductivity).
        network: the separator's pore network.
        pressure: stack pressure, Pa.
        current_density: |i| of the plating half cycles, A/m^2.
        asr: interfacial ASR at the filament tip, Ohm m^2.
        duty: fraction of the time the electrode plates.
        t_max: give up (return inf) after this many seconds (default 10 years).
        steps_per_decade: log-time integration resolution.
    """
    if network.porosity <= 0.0:
        return ShortResult(math.inf, 0.0, 0.0, 0.0, 0.0)
    flow = interface.flow
    n = flow.creep_exponent
    r = network.pore_radius
    if pressure >= interface.extrusion_pressure(r):
        return ShortResult(0.0, network.path_length, 0.0, 0.0, 1.0, mechanical=True)
    a_pore = float(flow.creep_at(2.0 * r))
    k = focusing_factor(asr, interface.conductivity, network.thickness, r)
    v_plate = duty * k * abs(current_density) * LI_MOLAR_VOLUME / FARADAY
    length = network.path_length
    z = float(r)
    t = 0.0
    dt = 1.0
    creep_part = 0.0
    growth = 10 ** (1.0 / steps_per_decade)
    while z < length and t < t_max:
        # creep over the step exactly (eq. 2 of pore_flow), plating at constant velocity
        z_c = float(intrusion_depth(pressure, dt, r, a_pore, n, initial_depth=z)) - z
        dz = z_c + v_plate * dt
        if z + dz >= length:
            frac = (length - z) / dz
            creep_part += z_c * frac
            t += dt * frac
            z = length
            break
        creep_part += z_c
        z += dz
        t += dt
        dt *= growth
    if z < length:
        return ShortResult(math.inf, creep_part, k, v_plate, creep_part / max(z, 1e-300))
    return ShortResult(t, creep_part, k, v_plate, creep_part / length)


@dataclass(frozen=True)
class LiMetalCell:
    """A Li-metal cell's anode side: Li, electrolyte and separator (SI, values at T_ref).

    Temperature enters through Arrhenius factors: Li creep (its activation energy),
    the electrolyte conductivity, the charge-transfer ASR and the Li self-diffusivity.

    Attributes:
        li_law: the Li viscoplastic law (:class:`~interface.mechanics.viscoplastic.
            LithiumMaterial`) at T_ref.
        asperity_size: grain size of the electrolyte surface, m.
        charge_transfer_asr: Z_0 at T_ref, Ohm m^2.
        conductivity: electrolyte conductivity at T_ref, S/m.
        self_diffusivity: Li self-diffusivity at T_ref, m^2/s.
        separator: the separator's pore network.
        conductivity_activation, asr_activation, diffusion_activation: J/mol.
        supply_factor: beta of the stripping supply, eq. (3).
        reference_temperature: K.
    """

    li_law: object
    asperity_size: float
    charge_transfer_asr: float
    conductivity: float
    self_diffusivity: float
    separator: PoreNetwork
    conductivity_activation: float
    asr_activation: float
    diffusion_activation: float
    supply_factor: float = 1.0
    reference_temperature: float = 298.15

    def interface_at(self, temperature: float) -> LiInterface:
        """The LiInterface at temperature T (K)."""
        law = self.li_law.with_(T=temperature)
        t_ref = self.reference_temperature
        return LiInterface(
            flow=LiFlow.from_law(law), asperity_size=self.asperity_size,
            charge_transfer_asr=1.0 / arrhenius(1.0 / self.charge_transfer_asr,
                                                self.asr_activation, temperature, t_ref),
            conductivity=arrhenius(self.conductivity, self.conductivity_activation,
                                   temperature, t_ref),
            self_diffusivity=arrhenius(self.self_diffusivity, self.diffusion_activation,
                                       temperature, t_ref),
            supply_factor=self.supply_factor)
