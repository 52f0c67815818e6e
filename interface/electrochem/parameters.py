"""Parameter sets for sulfide all-solid-state cells (PyBaMM ships none).

Three cells share one composite cathode and one electrolyte:

* ``li_metal`` (default): NMC811 + Li6PS5Cl composite cathode | Li6PS5Cl separator |
  Li-metal foil (PyBaMM half-cell DFN, ``"working electrode": "positive"``);
* ``anode_free``: the same, with no Li on the anode current collector at
  assembly; Li is plated from the cathode on the first charge;
* ``graphite``: NMC811 composite | Li6PS5Cl | graphite + Li6PS5Cl composite anode
  (full-cell DFN).

Every number is given next to its source, or marked [assumed] (a choice to be
calibrated, not taken from a source) or [derived] (computed from the stated
inputs).  docs/theory/electrochem_parameters.md holds the same tables.

**The electrolyte as a single-ion conductor.**  Li6PS5Cl conducts Li+ only; the
anion framework is immobile.  PyBaMM's electrolyte equations are those of a
binary liquid electrolyte (concentrated-solution theory):

    eps dc/dt = div(eps^b D grad c) + (1 - t+) a j / F,
    i_e = kappa eps^b (-grad phi_e + 2 (1 - t+) (RT/F) grad ln c).

With the cation transference number t+ = 1 both the reaction source in the
concentration equation and the diffusion potential vanish: c stays at its
initial (nominal) value and the electrolyte is purely ohmic, i_e = -kappa_eff
grad phi_e, as in a single-ion conductor.  The conductivity is the measured
pellet value with an Arrhenius temperature dependence, independent of c; the
effective conductivity in the composite follows Bruggeman, kappa_eff =
kappa eps_SE^b, with eps_SE the electrolyte volume fraction (PyBaMM's
"porosity") and b the Bruggeman exponent (tortuosity tau = eps^(1 - b)).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from interface.errors import InputError
from interface.materials.library import FARADAY, GAS_CONSTANT, LI_DENSITY, LI_MOLAR_MASS

#: Boltzmann constant in eV/K (CODATA 2018).
BOLTZMANN_EV = 8.617333262e-5
#: Molar volume of Li metal, m^3/mol [derived]: M_Li / rho_Li = 1.2998e-5 (PyBaMM Xu2019: 1.3e-5).
LI_MOLAR_VOLUME = LI_MOLAR_MASS / LI_DENSITY

CHEN_2020 = ("Chen, Brosa Planella, O'Regan, Gastol, Widanage, Kendrick, 'Development of "
             "experimental techniques for parameterization of multi-scale lithium-ion battery "
             "models', J. Electrochem. Soc. 167, 080534 (2020)")
MOHTAT_2020 = ("Mohtat, Lee, Siegel, Stefanopoulou, 'Towards better estimability of "
               "electrode-specific state of health', J. Electrochem. Soc. 167, 110561 (2020) "
               "(PyBaMM Mohtat2020 / Xu2019 NMC OCP)")
XU_2019 = ("Xu, Chen, Dasgupta, Siegel, Stefanopoulou, 'Evolution of dead lithium growth in "
           "lithium metal batteries', J. Electrochem. Soc. 166, A3456 (2019)")

VARIANTS = ("li_metal", "anode_free", "graphite")


# ------------------------------------------------------------------ material functions
def nmc811_ocp(sto):
    """NMC811 open-circuit potential vs Li/Li+ in V, x = Li stoichiometry.

    The Chen et al. (2020) LG M50 NMC811 fit plus the end-of-lithiation term
    -0.5623e-4 exp(109.451 x - 100.006) of Mohtat et al. (2020).  Without it the Chen
    fit flattens at 3.49 V as x -> 1 and a half cell has no OCV-defined end of
    discharge; the term adds < 3 mV below x = 0.93; U(1) = 2.776 V.  Combining
    the two fits is [assumed].  Works on floats, arrays and PyBaMM expressions.
    """
    return (-0.8090 * sto + 4.4875
            - 0.0428 * np.tanh(18.5138 * (sto - 0.5542))
            - 17.7326 * np.tanh(15.7890 * (sto - 0.3117))
            + 17.5842 * np.tanh(15.9308 * (sto - 0.3120))
            - 0.5623e-4 * np.exp(109.451 * sto - 100.006))


def nmc811_exchange_current_density(c_e, c_s_surf, c_s_max, temperature):
    """NMC811 | electrolyte exchange-current density at full contact, A/m^2.

    j0 = m_ref exp(E_r/R (1/298.15 - 1/T)) c_e^0.5 c_s^0.5 (c_s,max - c_s)^0.5 with
    m_ref = 3.42e-6 (A/m^2)(m^3/mol)^1.5 and E_r = 17.8 kJ/mol (Chen et al. 2020).
    Chen measured it against a liquid electrolyte: using it for NMC811 | Li6PS5Cl
    is [assumed].  c_e is the constant nominal concentration (t+ = 1).
    """
    arrhenius = np.exp(17800.0 / GAS_CONSTANT * (1.0 / 298.15 - 1.0 / temperature))
    return 3.42e-6 * arrhenius * c_e ** 0.5 * c_s_surf ** 0.5 * (c_s_max - c_s_surf) ** 0.5


def graphite_ocp(sto):
    """Graphite open-circuit potential vs Li/Li+ in V (Chen et al. 2020, LG M50 fit)."""
    return (1.9793 * np.exp(-39.3631 * sto) + 0.2482
            - 0.0909 * np.tanh(29.8538 * (sto - 0.1234))
            - 0.04478 * np.tanh(14.9159 * (sto - 0.2769))
            - 0.0205 * np.tanh(30.4444 * (sto - 0.6103)))


def graphite_exchange_current_density(c_e, c_s_surf, c_s_max, temperature):
    """Graphite | electrolyte exchange-current density, A/m^2.

    Chen et al. (2020): m_ref = 6.48e-7, E_r = 35 kJ/mol.  Measured in liquid
    electrolyte: [assumed] for graphite | Li6PS5Cl.
    """
    arrhenius = np.exp(35000.0 / GAS_CONSTANT * (1.0 / 298.15 - 1.0 / temperature))
    return 6.48e-7 * arrhenius * c_e ** 0.5 * c_s_surf ** 0.5 * (c_s_max - c_s_surf) ** 0.5


def lpscl_conductivity(kappa_ref: float, activation_energy_eV: float,
                       reference_temperature: float) -> Callable:
    """Arrhenius conductivity of Li6PS5Cl, kappa(c, T) = kappa_ref exp(-E_a/k_B (1/T - 1/T_ref)).

    Independent of the (nominal, constant) concentration c: a single-ion conductor.
    """

    def electrolyte_conductivity(c_e, temperature):
        return kappa_ref * np.exp(-activation_energy_eV / BOLTZMANN_EV
                                  * (1.0 / temperature - 1.0 / reference_temperature))

    return electrolyte_conductivity


def lpscl_diffusivity(conductivity: Callable, concentration: float) -> Callable:
    """Nernst-Einstein diffusivity of the mobile Li+, D = kappa R T / (F^2 c0) [derived].

    With t+ = 1 it multiplies grad c, which stays zero, so it does not change any
    result; it is chosen consistent with the conductivity rather than arbitrary.
    """

    def electrolyte_diffusivity(c_e, temperature):
        return (conductivity(c_e, temperature) * GAS_CONSTANT * temperature
                / (FARADAY ** 2 * concentration))

    return electrolyte_diffusivity


def constant_exchange_current(value: float) -> Callable:
    """A constant exchange-current density (a PyBaMM parameter function)."""

    def lithium_metal_exchange_current_density(c_e, c_Li, temperature):
        return value + 0.0 * temperature

    return lithium_metal_exchange_current_density


def li_thickness_per_charge() -> float:
    """Li-metal thickness per plated charge, m per (C/m^2): M_Li / (F rho_Li) [derived].

    1 mAh/cm^2 = 36 C/cm^2 = 3.6e4 C/m^2 -> 4.850 um.
    """
    return LI_MOLAR_VOLUME / FARADAY


# ---------------------------------------------------------------------------- design
@dataclass(frozen=True)
class CellDesign:
    """Geometry, materials and operating limits of one cell (SI units).

    Defaults describe the NMC811 | Li6PS5Cl | Li lab cell; the case file (or a
    ``[stack]`` table) replaces the geometry.  Sources and assumptions are listed
    in docs/theory/electrochem_parameters.md and next to each field below.
    """

    variant: str = "li_metal"
    #: electrode area, m^2 (1 cm^2 pellet cell) [assumed]
    area: float = 1e-4
    #: composite cathode thickness, m [assumed]
    cathode_thickness: float = 60e-6
    #: NMC811 volume fraction in the composite [assumed; typical 0.6-0.75]
    cathode_active_fraction: float = 0.60
    #: Li6PS5Cl volume fraction in the composite (PyBaMM "porosity"); 0.10 is void [assumed]
    cathode_electrolyte_fraction: float = 0.30
    #: Bruggeman exponent of the electrolyte in the composite (tau = eps^-0.5) [assumed]
    cathode_bruggeman: float = 1.5
    #: effective electronic conductivity of the carbon-free composite, S/m [assumed]
    cathode_conductivity: float = 1.0
    #: pressed Li6PS5Cl separator thickness, m [assumed; 30-100 um in lab cells]
    separator_thickness: float = 50e-6
    #: electrolyte fraction of the separator: 1, the conductivity is already a pellet value
    separator_electrolyte_fraction: float = 1.0
    #: Bruggeman exponent of the separator (inactive at fraction 1)
    separator_bruggeman: float = 1.5
    #: Li foil thickness at assembly (li_metal), m [assumed]; anode_free: None -> 1 um
    lithium_thickness: float | None = None
    #: NMC811 particle radius, m (Chen et al. 2020)
    particle_radius: float = 5.22e-6
    #: NMC811 Li diffusivity, m^2/s (Chen et al. 2020)
    particle_diffusivity: float = 4.0e-15
    #: NMC811 maximum Li concentration, mol/m^3 [derived: rho / M = 4870 / 0.09728]
    max_concentration: float = 4870.0 / 97.28e-3
    #: Li6PS5Cl conductivity at the reference temperature, S/m (3 mS/cm; pellets 1-4 mS/cm)
    electrolyte_conductivity: float = 0.3
    #: activation energy of the conductivity, eV [assumed within the reported 0.3-0.4 eV]
    electrolyte_activation_energy_eV: float = 0.35
    #: reference temperature of the conductivity, K
    electrolyte_reference_temperature: float = 298.15
    #: nominal Li+ concentration, mol/m^3; constant (t+ = 1); enters only j0's c_e^0.5 [assumed]
    electrolyte_concentration: float = 1000.0
    #: Li | Li6PS5Cl exchange-current density at full contact, A/m^2 (R_ct = 5.1 Ohm cm^2)
    #: [assumed; reported Li | argyrodite interface resistances are a few to tens of Ohm cm^2]
    lithium_exchange_current: float = 50.0
    #: Li metal conductivity, S/m (PyBaMM Xu2019)
    lithium_conductivity: float = 1.0776e7
    #: cell temperature, K (isothermal)
    temperature: float = 298.15
    #: voltage cut-offs, V (None: 3.0 / 4.3 V vs Li for half cells, 2.8 / 4.25 V full cell)
    lower_voltage: float | None = None
    upper_voltage: float | None = None
    #: full cell: the Li inventory is that of NMC811 at the first potential (V vs Li) with
    #: the graphite at anode_min_stoichiometry [assumed]
    cathode_window_potentials: tuple[float, float] = (3.0, 4.3)
    #: stoichiometry range over which the OCP fits are trusted (input checks) [assumed]
    ocp_valid_range: tuple[float, float] = (0.2, 1.0)
    #: graphite composite anode (variant graphite), all [assumed] unless marked
    anode_thickness: float = 75e-6
    anode_active_fraction: float = 0.60
    anode_electrolyte_fraction: float = 0.30
    anode_bruggeman: float = 1.5
    #: graphite conductivity, S/m (Chen et al. 2020)
    anode_conductivity: float = 215.0
    #: graphite max concentration, mol/m^3 (Chen et al. 2020)
    anode_max_concentration: float = 33133.0
    #: graphite diffusivity, m^2/s (Chen et al. 2020)
    anode_particle_diffusivity: float = 3.3e-14
    #: graphite particle radius, m (Chen et al. 2020)
    anode_particle_radius: float = 5.86e-6
    #: graphite stoichiometry of the discharged cell [assumed]
    anode_min_stoichiometry: float = 0.03

    def __post_init__(self):
        if self.variant not in VARIANTS:
            raise InputError(f"unknown cell variant '{self.variant}' (expected one of "
                             f"{', '.join(VARIANTS)})", key="electrochem.variant")

    # ------------------------------------------------------------------ derived
    @property
    def half_cell(self) -> bool:
        """Li-metal counter electrode (li_metal, anode_free)."""
        return self.variant in ("li_metal", "anode_free")

    @property
    def li_thickness(self) -> float:
        """Li layer thickness seen by PyBaMM's Li-metal ohmic drop, m.

        li_metal: the foil (default 50 um [assumed]); anode_free: 1 um [assumed]:
        it only enters the ohmic drop through Li (i L / sigma_Li ~ 1e-10 V).
        """
        if self.lithium_thickness is not None:
            return self.lithium_thickness
        return 50e-6 if self.variant == "li_metal" else 1e-6

    @property
    def voltage_limits(self) -> tuple[float, float]:
        """(lower, upper) cut-off voltages, V."""
        lo, hi = (3.0, 4.3) if self.half_cell else (2.8, 4.25)
        return (lo if self.lower_voltage is None else self.lower_voltage,
                hi if self.upper_voltage is None else self.upper_voltage)

    def ocv(self, x: float) -> float:
        """Open-circuit voltage of the cell at NMC811 stoichiometry x, V.

        Half cells: U_p(x); full cells: U_p(x) - U_n(y(x)) on the Li-balance line.
        """
        if self.half_cell:
            return float(nmc811_ocp(x))
        return float(nmc811_ocp(x) - graphite_ocp(self.anode_stoichiometry(x)))

    def _x_range(self) -> tuple[float, float]:
        """Stoichiometries over which the OCV is trusted (full cell: graphite y <= 0.99 too)."""
        lo, hi = self.ocp_valid_range
        if self.half_cell:
            return lo, hi
        x_ref = self.stoichiometry_at_potential(self.cathode_window_potentials[0])
        return max(lo, x_ref - (0.99 - self.anode_min_stoichiometry) / self._ratio()), x_ref

    def ocv_range(self) -> tuple[float, float]:
        """The cell's OCV range over the trusted stoichiometry range, V."""
        lo, hi = self._x_range()
        return self.ocv(hi), self.ocv(lo)

    def stoichiometry_at_potential(self, potential: float) -> float:
        """NMC811 stoichiometry at which the OCP equals ``potential`` (V vs Li)."""
        from scipy.optimize import brentq

        lo, hi = self.ocp_valid_range
        return float(brentq(lambda x: float(nmc811_ocp(x)) - potential, lo, hi - 1e-12,
                            xtol=1e-14))

    def stoichiometry_at_voltage(self, voltage: float) -> float:
        """NMC811 stoichiometry at which the cell's OCV equals ``voltage``, V."""
        from scipy.optimize import brentq

        lo, hi = self._x_range()
        return float(brentq(lambda x: self.ocv(x) - voltage, lo, hi - 1e-12, xtol=1e-14))

    def stoichiometry_window(self) -> tuple[float, float]:
        """(x_charged, x_discharged): NMC811 stoichiometry at the upper / lower cut-off OCV."""
        lo, hi = self.voltage_limits
        return self.stoichiometry_at_voltage(hi), self.stoichiometry_at_voltage(lo)

    def cathode_charge_per_stoichiometry(self, connected: float = 1.0) -> float:
        """Charge of the (connected) NMC811 for x from 0 to 1, C."""
        return (self.cathode_active_fraction * connected * self.cathode_thickness * self.area
                * self.max_concentration * FARADAY)

    def nominal_capacity(self) -> float:
        """Capacity between the charged and discharged stoichiometry, C (defines 1C)."""
        x1, x0 = self.stoichiometry_window()
        return self.cathode_charge_per_stoichiometry() * (x0 - x1)

    def lithium_foil_charge(self) -> float:
        """Li inventory of the foil (li_metal), C."""
        return self.li_thickness * self.area / LI_MOLAR_VOLUME * FARADAY

    def anode_charge_per_stoichiometry(self) -> float:
        """Graphite charge for y from 0 to 1, C."""
        return (self.anode_active_fraction * self.anode_thickness * self.area
                * self.anode_max_concentration * FARADAY)

    def _ratio(self) -> float:
        return self.cathode_charge_per_stoichiometry() / self.anode_charge_per_stoichiometry()

    def anode_stoichiometry(self, x: float) -> float:
        """Graphite stoichiometry holding the Li the NMC lacks (full-cell Li balance).

        y(x) = y_min + (x_ref - x) Q_p / Q_n with x_ref the NMC stoichiometry at the
        lower cathode window potential (3.0 V vs Li): the cyclable Li is that of a
        cathode at 3.0 V vs Li with the graphite at y_min [assumed].
        """
        x_ref = self.stoichiometry_at_potential(self.cathode_window_potentials[0])
        return float(self.anode_min_stoichiometry + (x_ref - x) * self._ratio())

    def replace(self, **changes) -> CellDesign:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


# ------------------------------------------------------------------ parameter sets
def _common(design: CellDesign) -> dict:
    """Cathode, separator, electrolyte, thermal and electrical entries of every variant."""
    kappa = lpscl_conductivity(design.electrolyte_conductivity,
                               design.electrolyte_activation_energy_eV,
                               design.electrolyte_reference_temperature)
    x_charged, _ = design.stoichiometry_window()
    lo, hi = design.voltage_limits
    side = float(np.sqrt(design.area))
    return {
        "chemistry": "lithium_ion",
        # cell
        "Electrode height [m]": side,
        "Electrode width [m]": side,
        "Number of electrodes connected in parallel to make a cell": 1.0,
        "Number of cells connected in series to make a battery": 1.0,
        "Nominal cell capacity [A.h]": design.nominal_capacity() / 3600.0,
        "Current function [A]": design.nominal_capacity() / 3600.0 / 10.0,
        "Lower voltage cut-off [V]": lo,
        "Upper voltage cut-off [V]": hi,
        # composite cathode: NMC811 + Li6PS5Cl
        "Positive electrode thickness [m]": design.cathode_thickness,
        "Positive electrode active material volume fraction": design.cathode_active_fraction,
        "Positive electrode porosity": design.cathode_electrolyte_fraction,
        "Positive electrode Bruggeman coefficient (electrolyte)": design.cathode_bruggeman,
        "Positive electrode Bruggeman coefficient (electrode)": 0.0,
        "Positive electrode conductivity [S.m-1]": design.cathode_conductivity,
        "Maximum concentration in positive electrode [mol.m-3]": design.max_concentration,
        "Positive particle diffusivity [m2.s-1]": design.particle_diffusivity,
        "Positive particle radius [m]": design.particle_radius,
        "Positive electrode OCP [V]": nmc811_ocp,
        "Positive electrode OCP entropic change [V.K-1]": 0.0,
        "Positive electrode exchange-current density [A.m-2]": nmc811_exchange_current_density,
        "Initial concentration in positive electrode [mol.m-3]":
            x_charged * design.max_concentration,
        # Li6PS5Cl separator
        "Separator thickness [m]": design.separator_thickness,
        "Separator porosity": design.separator_electrolyte_fraction,
        "Separator Bruggeman coefficient (electrolyte)": design.separator_bruggeman,
        # Li6PS5Cl as a single-ion conductor (module docstring)
        "Cation transference number": 1.0,
        "Thermodynamic factor": 1.0,
        "Initial concentration in electrolyte [mol.m-3]": design.electrolyte_concentration,
        "Electrolyte conductivity [S.m-1]": kappa,
        "Electrolyte diffusivity [m2.s-1]": lpscl_diffusivity(kappa,
                                                              design.electrolyte_concentration),
        # isothermal
        "Reference temperature [K]": 298.15,
        "Ambient temperature [K]": design.temperature,
        "Initial temperature [K]": design.temperature,
        # contact (the adapter replaces these by the contact state)
        "Contact resistance [Ohm]": 0.0,
        "Initial negative electrode interface utilisation": 1.0,
    }


def nmc811_lpscl_li(design: CellDesign | None = None) -> dict:
    """PyBaMM parameters of NMC811 composite | Li6PS5Cl | Li metal (half-cell DFN).

    Sources: NMC811 OCP, j0, diffusivity and radius Chen et al. (2020) with the OCP
    tail of Mohtat et al. (2020); Li6PS5Cl 3 mS/cm at 25 C, E_a 0.35 eV [assumed],
    t+ = 1 (single-ion conductor); Li conductivity Xu et al. (2019); Li | Li6PS5Cl
    j0 = 50 A/m^2 [assumed]; geometry [assumed] (see :class:`CellDesign`).
    """
    design = design or CellDesign()
    if design.variant != "li_metal":
        design = design.replace(variant="li_metal")
    return _half_cell(design)


def nmc811_lpscl_anode_free(design: CellDesign | None = None) -> dict:
    """PyBaMM parameters of the anode-free NMC811 composite | Li6PS5Cl | Cu cell.

    The same half-cell model as :func:`nmc811_lpscl_li`: the Li inventory on the
    anode side starts at zero (a protocol input) and is plated from the cathode.
    """
    design = design or CellDesign(variant="anode_free")
    if design.variant != "anode_free":
        design = design.replace(variant="anode_free")
    return _half_cell(design)


def _half_cell(design: CellDesign) -> dict:
    p = _common(design)
    p.update({
        "Negative electrode thickness [m]": design.li_thickness,
        "Negative electrode conductivity [S.m-1]": design.lithium_conductivity,
        "Exchange-current density for lithium metal electrode [A.m-2]":
            constant_exchange_current(design.lithium_exchange_current),
        "Lithium metal partial molar volume [m3.mol-1]": LI_MOLAR_VOLUME,
    })
    return p


def nmc811_lpscl_graphite(design: CellDesign | None = None) -> dict:
    """PyBaMM parameters of NMC811 composite | Li6PS5Cl | graphite composite (full-cell DFN).

    Graphite OCP, j0, conductivity, c_max, diffusivity and radius: Chen et al. (2020);
    anode geometry and volume fractions [assumed] (N/P ~ 1.15 at the default design);
    the anode electrolyte is Li6PS5Cl (Bruggeman 1.5) [assumed].
    """
    design = design or CellDesign(variant="graphite")
    if design.variant != "graphite":
        design = design.replace(variant="graphite")
    p = _common(design)
    x_charged, _ = design.stoichiometry_window()
    p.update({
        "Negative electrode thickness [m]": design.anode_thickness,
        "Negative electrode active material volume fraction": design.anode_active_fraction,
        "Negative electrode porosity": design.anode_electrolyte_fraction,
        "Negative electrode Bruggeman coefficient (electrolyte)": design.anode_bruggeman,
        "Negative electrode Bruggeman coefficient (electrode)": 0.0,
        "Negative electrode conductivity [S.m-1]": design.anode_conductivity,
        "Maximum concentration in negative electrode [mol.m-3]": design.anode_max_concentration,
        "Negative particle diffusivity [m2.s-1]": design.anode_particle_diffusivity,
        "Negative particle radius [m]": design.anode_particle_radius,
        "Negative electrode OCP [V]": graphite_ocp,
        "Negative electrode OCP entropic change [V.K-1]": 0.0,
        "Negative electrode exchange-current density [A.m-2]":
            graphite_exchange_current_density,
        "Initial concentration in negative electrode [mol.m-3]":
            design.anode_stoichiometry(x_charged) * design.anode_max_concentration,
    })
    return p


#: variant -> parameter-set function.
PARAMETER_SETS: dict[str, Callable[[CellDesign | None], dict]] = {
    "li_metal": nmc811_lpscl_li,
    "anode_free": nmc811_lpscl_anode_free,
    "graphite": nmc811_lpscl_graphite,
}


def parameter_set(design: CellDesign) -> dict:
    """The PyBaMM parameter dictionary of ``design`` (a new dict every call)."""
    return PARAMETER_SETS[design.variant](design)
