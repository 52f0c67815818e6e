"""The built-in materials, each value with its source.

Labels follow docs/theory/materials.md: [paper] read in the cited work;
[secondary] taken from a secondary transcription of the paper; [derived]
computed from the stated inputs; [assumed] an engineering value with no single
source.  Units are SI.
"""

from __future__ import annotations

import math

from interface.materials.material import CompactionLaw, CreepLaw, Material, StrainCurve

FARADAY = 96485.33212  # C/mol, CODATA 2018 (exact since the 2019 SI)
GAS_CONSTANT = 8.314462618  # J/(mol K)
LI_MOLAR_MASS = 6.941e-3  # kg/mol, IUPAC standard atomic weight (abridged)
LI_DENSITY = 534.0  # kg/m^3 at 25 C (Masias et al. 2019; handbook)

GPa = 1e9
MPa = 1e6
g_per_cm3 = 1000.0


# --------------------------------------------------------------------- strain curves
KOERVER_2018 = ("Koerver et al., 'Chemo-mechanical expansion of lithium electrode materials - "
                "on the route to mechanically optimized all-solid-state batteries', "
                "Energy Environ. Sci. 11, 2142 (2018)")
SCHWEIDLER_2018 = ("Schweidler et al., 'Volume changes of graphite anodes revisited: a combined "
                   "operando X-ray diffraction and in situ pressure analysis study', "
                   "J. Phys. Chem. C 122, 8829 (2018)")

NMC811_STRAIN = StrainCurve(
    # x = Li content in Li_x MO2; dV/V relative to the discharged state (x = 1).
    stoichiometry=(1.00, 0.79, 0.70, 0.61, 0.52, 0.43, 0.34, 0.27, 0.21, 0.15),
    volumetric_strain=tuple(v / 100.0 for v in
                            (0.0, -0.29, -0.50, -0.71, -1.11, -1.51, -2.11, -3.12, -4.82, -6.53)),
    interpolation="pchip",
    source=KOERVER_2018 + " [secondary transcription]",
)

NMC111_STRAIN = StrainCurve(
    stoichiometry=(1.00, 0.75, 0.50, 0.33, 0.24),
    volumetric_strain=tuple(v / 100.0 for v in (0.0, -0.38, -0.71, -1.24, -2.02)),
    interpolation="pchip",
    source=KOERVER_2018 + " [secondary transcription]",
)

GRAPHITE_STRAIN = StrainCurve(
    # x in Li_x C6.  The point (0, 0) is the pristine reference [assumed].
    stoichiometry=(0.0, 0.06, 0.24, 0.48, 0.69, 0.85, 0.95),
    volumetric_strain=tuple(v / 100.0 for v in (0.0, 1.27, 4.45, 6.10, 9.45, 12.2, 13.2)),
    interpolation="pchip",
    source=SCHWEIDLER_2018 + " [secondary transcription]",
)

SI_STRAIN = StrainCurve(
    # x = Li/Li_max with Li_max = 3.75 Li per Si (Li15Si4); volume grows linearly with
    # Li content (Obrovac & Christensen, Electrochem. Solid-State Lett. 7, A93 (2004);
    # Beaulieu et al., J. Electrochem. Soc. 150, A1457 (2003)); 280 % at x = 1 [secondary].
    stoichiometry=(0.0, 1.0),
    volumetric_strain=(0.0, 2.80),
    interpolation="linear",
    source="Obrovac & Christensen 2004; Beaulieu et al. 2003 (about +280 % at Li15Si4) [secondary]",
)


LCO_STRAIN = StrainCurve(
    # dV/V = Omega c_max (x - 1) with the partial molar volume Omega = -7.28e-7 m^3/mol and
    # c_max = 49943 mol/m^3 of PyBaMM's Ai2020 set (Ai et al., J. Electrochem. Soc. 167,
    # 013512 (2020); after Rieger et al., J. Electrochem. Soc. 163, A1566 (2016)): LiCoO2
    # expands on delithiation, +1.82 % at x = 0.5 [code, secondary].
    stoichiometry=(0.4, 1.0),
    volumetric_strain=(0.0364 * 0.6, 0.0),
    interpolation="linear",
    source="Ai et al., J. Electrochem. Soc. 167, 013512 (2020), PyBaMM Ai2020 partial molar "
           "volume [code]",
)

LTO_STRAIN = StrainCurve(
    # x in Li(4+3x)Ti5O12 (x = 0: Li4Ti5O12, x = 1: Li7Ti5O12): the "zero-strain" spinel
    # shrinks by about 0.2 % in volume on full lithiation (lattice constant 8.3595 ->
    # 8.3538 A; Ohzuku, Ueda & Yamamoto, J. Electrochem. Soc. 142, 1431 (1995)) [secondary,
    # value recalled, uncertain].
    stoichiometry=(0.0, 1.0),
    volumetric_strain=(0.0, -0.0020),
    interpolation="linear",
    source="Ohzuku et al., J. Electrochem. Soc. 142, 1431 (1995): about -0.2 % [secondary, "
           "uncertain]",
)

#: Indium: power-law creep from indentation creep (Lucas & Oliver, Metall. Mater. Trans. A 30,
#: 601 (1999): activation energy 78 kJ/mol [paper, abstract]); stress exponent 4.5 of pure In
#: in tension (Weertman & Breen, Trans. AIME 1961, "Creep of indium, lead and some of their
#: alloys" [paper, abstract]); A set so that eps_dot = 4.5e-3 1/s at 3 MPa, the uniaxial
#: equivalent of an indentation hardness of about 9 MPa at indentation strain rate 0.05 1/s
#: [assumed, order of magnitude].
INDIUM_CREEP = CreepLaw(coefficient=4.5e-3 / (3.0e6) ** 4.5, exponent=4.5,
                        activation_energy=78.0e3, reference_temperature=298.15,
                        source="n: Weertman & Breen 1961; Q: Lucas & Oliver 1999; A [assumed]")

#: Molar volumes: In 114.82 g/mol / 7.31 g/cm^3 = 15.71 cm^3/mol; LiIn (NaTl type, a = 6.78 A,
#: 8 formula units per cell) 23.46 cm^3/mol [derived; lattice constant recalled]: alloying
#: adds 7.75 cm^3 per mole of Li (In -> LiIn +49 %).
LIIN_VOLUME_PER_LI = 7.75e-6


# ------------------------------------------------------------------- Li creep fit
def masias_creep_fit() -> CreepLaw:
    """Power-law creep of Li metal fitted to Masias et al. (2019).

    Masias, Felten, Garcia-Mendez, Wolfenstine, Sakamoto, 'Elastic, plastic, and
    creep mechanical properties of lithium metal', J. Mater. Sci. 54, 2585 (2019):
    n = 6.56; strain rates 2.0e-7 1/s at 0.2 MPa and 3.9e-4 1/s at 0.6 MPa.  With
    n fixed, A is the least-squares fit of ln(rate) - n ln(sigma) over the two
    points (sigma in Pa): A = 3.9e-42 Pa^-6.56 s^-1.  The two points alone imply
    n = 6.9, so the fit is within a factor 1.2 of each point [derived].  The
    activation energy Q = 0 by default (no temperature data in the fit; set it
    in a case to use temperature) [assumed].
    """
    n = 6.56
    pts = ((0.2 * MPa, 2.0e-7), (0.6 * MPa, 3.9e-4))
    ln_a = sum(math.log(rate) - n * math.log(sig) for sig, rate in pts) / len(pts)
    return CreepLaw(coefficient=math.exp(ln_a), exponent=n, activation_energy=0.0,
                    reference_temperature=298.15,
                    source="Masias et al., J. Mater. Sci. 54, 2585 (2019); A fitted [derived]")


# ------------------------------------------------------------------------- library
def _lib() -> dict[str, Material]:
    m = {}

    def add(key: str, **kw) -> None:
        kw.setdefault("thermal_expansion", 0.0)
        m[key] = Material(name=key, **kw)

    # Solid electrolytes
    add("Li6PS5Cl", youngs_modulus=22 * GPa, poisson_ratio=0.30, density=1.64 * g_per_cm3,
        compaction=CompactionLaw(
            # Heckel slope of Li2S-P2S5 glass (0.85 at 300 MPa, 0.98 at 600 MPa: Sakuda et al.
            # Sci. Rep. 3, 2261 (2013), as digitised by So et al., J. Power Sources 508,
            # 230344 (2021)) [secondary]; intercept through 82 % at 370 MPa for Li6PS5Cl (Doux
            # et al., Adv. Energy Mater. 10, 1903253 (2020), SI Table S2) [secondary];
            # E(D) = 22 GPa D^11.1 through 4.7 GPa at 87 % (Song et al., ACS Appl. Energy
            # Mater. 8, 5636 (2025)) [derived from secondary].
            heckel_k=6.7e-9, heckel_b=-0.76, modulus_exponent=11.1,
            source="Heckel K: Sakuda 2013 via So 2021; B: Doux 2020; m: Song 2025 "
                   "[secondary]"),
        source="E 22 GPa (measured sulfides 18-25 GPa) [secondary]; nu 0.3 [assumed]; "
               "density 1.64 g/cm^3 [assumed]")
    add("Li3PS4", youngs_modulus=18.5 * GPa, poisson_ratio=0.30, density=1.9 * g_per_cm3,
        compaction=CompactionLaw(
            # Sakuda 2013 density curve (via So 2021, digitised) [secondary]; E(D) = E D^3.0
            # through the ultrasonic moduli 3.49 / 9.80 GPa at 58 / 80 % of Baranowski et al.,
            # ACS Appl. Mater. Interfaces 8, 29573 (2016) [secondary, via Song 2025].
            heckel_k=6.7e-9, heckel_b=-0.118, modulus_exponent=3.0,
            source="Sakuda 2013 via So 2021; Baranowski 2016 [secondary]"),
        source="75Li2S-25P2S5 glass: Sakuda et al., Sci. Rep. 3, 2261 (2013) [secondary]")
    # Cathode coatings (no (de)lithiation strain)
    add("LiNbO3", youngs_modulus=170 * GPa, poisson_ratio=0.26, density=4.64 * g_per_cm3,
        # Voigt-Reuss-Hill average of the single-crystal constants (1e11 Pa) c11 2.03,
        # c12 0.53, c13 0.75, c14 0.09, c33 2.45, c44 0.60 of Smith & Welsh, 'Temperature
        # dependence of the elastic, piezoelectric, and dielectric constants of lithium
        # tantalate and lithium niobate', J. Appl. Phys. 42, 2219 (1971): K 116 GPa,
        # G 68 GPa -> E 170 GPa, nu 0.26 [derived].  Amorphous sol-gel / ALD coatings
        # are likely softer [assumed].
        source="E, nu: VRH average of the crystal constants of Smith & Welsh, J. Appl. Phys. "
               "42, 2219 (1971) [derived from secondary]; density 4.64 g/cm^3 (crystal, "
               "handbook) [secondary]")
    # Cathode active materials
    add("NMC811", youngs_modulus=140 * GPa, poisson_ratio=0.30, density=4.87 * g_per_cm3,
        volumetric_strain=NMC811_STRAIN,
        max_concentration=4870.0 / 97.28e-3,  # rho / M(LiNi0.8Mn0.1Co0.1O2) [derived]
        source="E 140 GPa (120-200 reported) [secondary]; nu 0.3 [assumed]; strain: "
               + KOERVER_2018)
    add("NMC111", youngs_modulus=78 * GPa, poisson_ratio=0.25, density=4.7 * g_per_cm3,
        volumetric_strain=NMC111_STRAIN,
        max_concentration=4700.0 / 96.46e-3,  # rho / M(LiNi1/3Mn1/3Co1/3O2) [derived]
        source="Cheng et al., J. Eur. Ceram. Soc. 37, 3213 (2017); strain: " + KOERVER_2018)
    add("LCO", youngs_modulus=174 * GPa, poisson_ratio=0.25, density=5.05 * g_per_cm3,
        volumetric_strain=LCO_STRAIN, max_concentration=51410.0,
        source="LiCoO2: E 174 GPa, nu 0.25 [assumed: within the 150-190 GPa of "
               "nanoindentation reports]; density 5.05 g/cm^3 (crystal) [secondary]; c_max "
               "= rho / M (97.87 g/mol) [derived]; strain: " + LCO_STRAIN.source)
    # Anode active materials
    add("LTO", youngs_modulus=183 * GPa, poisson_ratio=0.25, density=3.48 * g_per_cm3,
        volumetric_strain=LTO_STRAIN, max_concentration=3 * 3480.0 / 459.09e-3,
        source="Li4Ti5O12: E 183 GPa, nu 0.25 [assumed]; density 3.48 g/cm^3 [secondary]; "
               "3 Li per formula unit (459.09 g/mol) cycled [derived]; strain: "
               + LTO_STRAIN.source)
    add("In", youngs_modulus=10.6 * GPa, poisson_ratio=0.45, density=7.31 * g_per_cm3,
        thermal_expansion=32e-6, yield_stress=1.0 * MPa, creep=INDIUM_CREEP,
        alloy_volume_per_li=LIIN_VOLUME_PER_LI,
        source="indium: E 10.6 GPa [secondary, handbook]; nu 0.45 (Kim & Ledbetter, Mater. "
               "Sci. Eng. A 252, 139 (1998)) [paper]; density 7.31 g/cm^3, alpha 32e-6 1/K "
               "[handbook]; yield 1 MPa [assumed: tensile strength 1-4 MPa]; creep: "
               + INDIUM_CREEP.source + "; alloying volume: In -> LiIn [derived]")
    add("LiIn", youngs_modulus=30 * GPa, poisson_ratio=0.30, density=5.19 * g_per_cm3,
        yield_stress=10.0 * MPa,
        creep=CreepLaw(coefficient=INDIUM_CREEP.coefficient / 10.0 ** 4.5, exponent=4.5,
                       activation_energy=78.0e3,
                       source="In law with ten times the stress [assumed]"),
        source="LiIn intermetallic: E 30 GPa, nu 0.3, yield 10 MPa and creep ten times "
               "stronger than In [assumed: no measured data found]; density 121.76 g/mol / "
               "23.46 cm^3/mol [derived]")
    add("graphite", youngs_modulus=32.5 * GPa, poisson_ratio=0.30, density=2.30 * g_per_cm3,
        volumetric_strain=GRAPHITE_STRAIN,
        max_concentration=2260.0 / 72.06e-3,  # LiC6: rho(C) / M(C6) [derived]
        source="E 32.5 GPa at x = 0 (108.7 GPa at x = 1; the stack model uses the reference-"
               "state value), Qi et al., J. Electrochem. Soc. 157, A558 (2010); nu 0.3 within the "
               "reported 0.24-0.39 [assumed]; strain: " + SCHWEIDLER_2018)
    add("Si", youngs_modulus=50 * GPa, poisson_ratio=0.22, density=2.33 * g_per_cm3,
        volumetric_strain=SI_STRAIN,
        max_concentration=3.75 * 2330.0 / 28.0855e-3,  # Li15Si4 [derived]
        source="E 50 GPa as PyBaMM Chen2020_composite (lithiated a-Si 35-40 GPa) [secondary]; "
               "nu 0.22; strain: Obrovac & Christensen 2004 [secondary]")
    # Lithium metal
    add("Li", youngs_modulus=7.82 * GPa, poisson_ratio=0.381, density=LI_DENSITY,
        thermal_expansion=46e-6, yield_stress=0.8 * MPa, creep=masias_creep_fit(),
        source="Masias et al., J. Mater. Sci. 54, 2585 (2019): E 7.82 GPa, nu 0.381, yield "
               "0.73-0.81 MPa, creep n 6.56; alpha 46e-6 1/K handbook")
    # Current collectors (handbook values)
    add("aluminium", youngs_modulus=70 * GPa, poisson_ratio=0.33, density=2.70 * g_per_cm3,
        thermal_expansion=23.1e-6, source="handbook (pure Al foil)")
    add("copper", youngs_modulus=117 * GPa, poisson_ratio=0.34, density=8.96 * g_per_cm3,
        thermal_expansion=16.5e-6, source="handbook (Cu foil)")
    # Fixture materials
    add("steel", youngs_modulus=200 * GPa, poisson_ratio=0.30, density=7.85 * g_per_cm3,
        thermal_expansion=12e-6, yield_stress=250 * MPa,
        source="handbook structural steel; allowable stress 250 MPa [assumed]")
    add("aluminium_6061_t6", youngs_modulus=69 * GPa, poisson_ratio=0.33,
        density=2.70 * g_per_cm3, thermal_expansion=23.6e-6, yield_stress=276 * MPa,
        source="handbook Al 6061-T6: E 69 GPa, yield 276 MPa")
    # Compliant interlayer
    add("polymer_pad", youngs_modulus=50 * MPa, poisson_ratio=0.45, density=1.2 * g_per_cm3,
        source="generic compliant polymer interlayer (e.g. PU foam pad) [assumed]")
    return m


LIBRARY: dict[str, Material] = _lib()

#: Accepted alternative spellings -> library key.
ALIASES = {
    "lpscl": "Li6PS5Cl", "argyrodite": "Li6PS5Cl", "lps": "Li3PS4", "li3ps4_glass": "Li3PS4",
    "nmc": "NMC811", "ncm811": "NMC811", "ncm111": "NMC111", "lithium": "Li", "li_metal": "Li",
    "indium": "In", "li4ti5o12": "LTO", "licoo2": "LCO", "lco": "LCO", "lto": "LTO",
    "al": "aluminium", "aluminum": "aluminium", "cu": "copper", "si": "Si", "silicon": "Si",
    "c": "graphite", "al6061": "aluminium_6061_t6", "aluminium_6061": "aluminium_6061_t6",
}


def li_plating_thickness_per_charge() -> float:
    """Thickness of Li metal plated per areal charge, m per (C/m^2).

    h = Q M_Li / (F rho_Li); 1 mAh/cm^2 = 36000 C/m^2 gives 4.850 um [derived].
    """
    return LI_MOLAR_MASS / (FARADAY * LI_DENSITY)
