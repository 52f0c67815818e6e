"""Fixture hardware that holds the stack pressure: end plates, tie rods or straps, springs.

Given the stack pressure P over the electrode face a x b, the fixture carries the
force F = P a b (per fixture) from one end plate to the other.  Sizing, all SI:

End plates (two per fixture), thickness t = max(t_strength, t_stiffness):

* rods (``tension = "rods"``): the rods stand around the cell footprint, so the
  plate is a rectangle simply supported on four edges with span
  L = footprint + 2 (clearance + d_rod/2) in each direction (Roark 7th ed.,
  Table 11.4 case 1a; see :mod:`plate`), loaded conservatively by q = P over the
  whole span: sigma = beta q b^2/t^2, w = alpha q b^4/(E t^3);
* straps (``tension = "straps"``): two straps along the long sides hold the plate
  on two opposite edges: a beam of span L = footprint width + 2 clearance (Roark
  Table 8.1 case 2e) times ``STRAP_PLATE_FACTOR`` = 1.07 for the free edges (the FE
  model of :mod:`plate` gives 1.050-1.066 x the beam values for Lx/Ly = 1-3).

  Strength: sigma_max <= sigma_allow = yield / safety_factor.
  Stiffness: the plates bow by w (centre relative to the supports); the stack
  (N cells of areal compliance C_cell plus the two end pads of compliance
  h_pad / M_pad, M the oedometric modulus) is compressed by
  delta = P (N C_cell + 2 h_pad / M_pad).  Treating the stack as a Winkler
  foundation, the two bowing plates change the local pressure by
  dP = 2 w / (N C_cell + 2 h_pad / M_pad), so

      dP / P = 2 w / delta <= pressure_variation   <=>   w <= pressure_variation delta / 2.

  ``deflection_limit`` replaces the right-hand side by a fixed number.  Because w
  and delta both scale with P, the stiffness thickness does not depend on P.

Tie rods: F_rod = F / n_rods <= sigma_allow A_s, A_s the tensile stress area;
nominal diameter d = sqrt(4 A_s / (0.76 pi)) (ISO 898-1 stress areas of M8-M24
coarse threads are 0.73-0.78 of pi d^2/4).  Two nuts (ISO 4032 proportions
m = 0.8 d, s = 1.6 d) and two washers (ISO 7089: OD 2 d, h = 0.2 d [rounded])
per rod.

Straps: two, each carrying F/2: cross-section F / (2 sigma_allow), thickness
``strap_thickness``; length = stack + pads + plates (+ 2 t_plate overlap for the joint).

Springs (``pressing``): one unit under each rod's nut, carrying F/n_rods, sized to
take the stack breathing ``travel = N spring_travel_per_cell`` with a force change
<= ``spring_force_variation`` (so the stack pressure stays within that band):

* coil springs: helical compression spring (Shigley's Mechanical Engineering
  Design, 10th ed., Ch. 10): tau = K_B 8 F D / (pi d^3), Bergstraesser
  K_B = (4C + 2)/(4C - 3), rate k = G d / (8 C^3 N_a), squared-and-ground ends
  (N_t = N_a + 2, solid length d N_t), clash allowance 15 % of the maximum
  deflection, mass rho pi^2 d^2 D N_t / 4.  Spring index C = 7, at least 3 active
  turns [assumed]; chrome-silicon wire, tau_allow = 0.5 S_ut (Shigley Table 10-6,
  hardened and tempered low-alloy steel, static), S_ut = 1600 MPa [assumed; Shigley
  Table 10-4 gives ~1500-1800 MPa for 2-10 mm A401 wire], G = 77.2 GPa (Table 10-5).
* disc springs: Almen-Laszlo (DIN EN 16983 / former DIN 2092) force
  F(s) = 4E/(1 - mu^2) t^4/(K1 De^2) (s/t) [(h0/t - s/t)(h0/t - s/(2t)) + 1],
  K1 = (1/pi) ((delta-1)/delta)^2 / ((delta+1)/(delta-1) - 2/ln delta), delta = De/Di,
  with DIN 2093 series A proportions (De/t = 18, h0/t = 0.4, De/Di = 2.0), whose
  stresses at s = 0.75 h0 are within that standard's static limits (not re-checked
  here).  De is scaled so that F(0.75 h0) = F_max = F (1 + variation) (and so that
  Di clears the rod); n discs in series such that k(s_w) travel / n <= variation F.

Pads: optional compliant interlayers between the end plates and the stack
(default 2 mm of ``polymer_pad``), counted with the fixture.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from interface.errors import InputError
from interface.materials import Material, get_material
from interface.schema import spec

#: Deflection and stress factor applied to the beam formula of a strap-held plate
#: (two opposite edges simply supported, two free): the free edges bend anticlastically.
#: FE (plate.solve_plate, support "two_edges"): 1.050 (Lx/Ly = 1), 1.064 (2), 1.065 (3).
STRAP_PLATE_FACTOR = 1.07

#: Tensile stress area / (pi d^2 / 4) of metric coarse threads (ISO 898-1, M8-M24: 0.73-0.78).
THREAD_STRESS_AREA_RATIO = 0.76

#: Aliases that mean the structural alloy when used as a fixture material.
FIXTURE_ALIASES = {"aluminium": "aluminium_6061_t6", "aluminum": "aluminium_6061_t6",
                   "al": "aluminium_6061_t6"}


@dataclass(frozen=True)
class SpringSteel:
    """Spring-wire / disc-spring steel constants (SI)."""

    youngs_modulus: float = 206e9      # DIN 2093 (disc springs)
    poisson_ratio: float = 0.30        # DIN 2093
    shear_modulus: float = 77.2e9      # Shigley Table 10-5, chrome-silicon A401
    density: float = 7850.0            # handbook steel
    ultimate_strength: float = 1600e6  # [assumed], Shigley Table 10-4 range for A401 wire
    allowable_shear_fraction: float = 0.50  # Shigley Table 10-6 (static, H&T low-alloy)

    @property
    def allowable_shear(self) -> float:
        """tau_allow in Pa."""
        return self.allowable_shear_fraction * self.ultimate_strength


SPRING_STEEL = SpringSteel()


# --------------------------------------------------------------------------- options
@dataclass(frozen=True)
class FixtureOptions:
    """How the stack pressure is held (SI units; defaults marked [assumed] in NOTES.md).

    Attributes:
        cells_per_module: N cells stacked in one module.
        level: "module" (one pair of end plates per module) or "cell" (every cell in its
            own fixture).
        material: end-plate material (name or Material; "aluminium" means 6061-T6).
        rod_material: tie-rod / strap material (default: ``material``).
        safety_factor: allowable stress = yield / safety_factor (>= 1).
        tension: "rods" (tie rods around the footprint) or "straps" (two side straps).
        n_rods: number of tie rods (>= 4).
        pressing: "none" (rigid: nuts only), "coil_springs" or "disc_springs" (under the nuts).
        pressure_variation: allowed relative stack-pressure variation from plate bowing.
        cell_compliance: areal compliance of one cell, m/Pa (sum h_i / M_i of its layers);
            0 (default) treats the cells as rigid, which is conservative.
        end_pad_thickness: compliant pad between each end plate and the stack, m (0: none).
        pad_material: pad material name or Material.
        deflection_limit: fixed plate deflection limit, m; overrides the pressure-variation
            criterion when given.
        rod_clearance: gap between the cell footprint and the rods / straps, m.
        strap_thickness: strap thickness, m.
        spring_travel_per_cell: stack breathing per cell the springs must absorb, m.
        spring_force_variation: allowed relative force change of the springs over the travel.
        plate_method: "roark" (closed form) or "fe" (DOLFINx solid, root solve).
        plate_fe_options: keyword arguments for plate.solve_plate (method "fe").
        plate_ribs: ribs on the end plates (method "fe"), in plate span coordinates.
        plate_stress_measure: "max_principal" (what Roark's beta is) or "von_mises" (FE only).
    """

    cells_per_module: int = 1
    level: str = "module"
    material: str | Material = "steel"
    rod_material: str | Material | None = None
    safety_factor: float = 2.0
    tension: str = "rods"
    n_rods: int = 8
    pressing: str = "none"
    pressure_variation: float = 0.05
    cell_compliance: float = 0.0
    end_pad_thickness: float = 2e-3
    pad_material: str | Material = "polymer_pad"
    deflection_limit: float | None = None
    rod_clearance: float = 3e-3
    strap_thickness: float = 1.5e-3
    spring_travel_per_cell: float = 20e-6
    spring_force_variation: float = 0.10
    plate_method: str = "roark"
    plate_fe_options: dict | None = None
    plate_ribs: tuple = ()
    plate_stress_measure: str = "max_principal"

    def validate(self) -> None:
        """Raise InputError naming the offending field."""
        def positive(key, v, *, allow_zero=False):
            ok = math.isfinite(v) and (v >= 0 if allow_zero else v > 0)
            if not ok:
                raise InputError(f"must be {'>= 0' if allow_zero else '> 0'}, got {v!r}",
                                 key=key)

        if isinstance(self.cells_per_module, bool) or not isinstance(self.cells_per_module, int) \
                or self.cells_per_module < 1:
            raise InputError(f"must be an integer >= 1, got {self.cells_per_module!r}",
                             key="cells_per_module")
        choices = {"level": ("module", "cell"), "tension": ("rods", "straps"),
                   "pressing": ("none", "coil_springs", "disc_springs"),
                   "plate_method": ("roark", "fe"),
                   "plate_stress_measure": ("max_principal", "von_mises")}
        for key, opts in choices.items():
            if getattr(self, key) not in opts:
                raise InputError(f"expected one of {', '.join(opts)}, got "
                                 f"{getattr(self, key)!r}", key=key)
        if not (math.isfinite(self.safety_factor) and self.safety_factor >= 1.0):
            raise InputError(f"must be >= 1, got {self.safety_factor!r}", key="safety_factor")
        if isinstance(self.n_rods, bool) or not isinstance(self.n_rods, int) or self.n_rods < 4:
            raise InputError(f"need an integer >= 4 rods, got {self.n_rods!r}", key="n_rods")
        if not (0 < self.pressure_variation < 1):
            raise InputError(f"must be in (0, 1), got {self.pressure_variation!r}",
                             key="pressure_variation")
        positive("cell_compliance", self.cell_compliance, allow_zero=True)
        positive("end_pad_thickness", self.end_pad_thickness, allow_zero=True)
        if self.deflection_limit is not None:
            positive("deflection_limit", self.deflection_limit)
        positive("rod_clearance", self.rod_clearance, allow_zero=True)
        positive("strap_thickness", self.strap_thickness)
        positive("spring_travel_per_cell", self.spring_travel_per_cell)
        if not (0 < self.spring_force_variation < 1):
            raise InputError(f"must be in (0, 1), got {self.spring_force_variation!r}",
                             key="spring_force_variation")
        if self.tension == "straps" and self.pressing != "none":
            raise InputError("springs sit under the rod nuts: use tension = 'rods' with "
                             f"pressing = '{self.pressing}'", key="pressing")
        if self.plate_method == "roark" and self.plate_ribs:
            raise InputError("plate_ribs need plate_method = 'fe'", key="plate_ribs")
        if self.plate_method == "roark" and self.plate_stress_measure != "max_principal":
            raise InputError("Roark's tables give the maximum principal (bending) stress; "
                             "von_mises needs plate_method = 'fe'", key="plate_stress_measure")
        if (self.deflection_limit is None and self.cell_compliance == 0
                and self.end_pad_thickness == 0):
            raise InputError("rigid cells and no pad give a zero deflection limit: set "
                             "cell_compliance, end_pad_thickness or deflection_limit",
                             key="deflection_limit")
        resolve_material(self.material, "material")
        if self.rod_material is not None:
            resolve_material(self.rod_material, "rod_material")
        if self.end_pad_thickness > 0:
            resolve_material(self.pad_material, "pad_material", structural=False)


def resolve_material(m: str | Material, key: str, *, structural: bool = True) -> Material:
    """A Material from a name (library, with fixture aliases) or a Material.

    Raises:
        InputError: unknown name, or a structural material without a yield stress.
    """
    if isinstance(m, Material):
        mat = m
    elif isinstance(m, str):
        mat = get_material(FIXTURE_ALIASES.get(m.lower(), m), key=key)
    else:
        raise InputError(f"expected a material name or Material, got {m!r}", key=key)
    if structural and not mat.yield_stress:
        raise InputError(f"material '{mat.name or m}' has no yield_stress: not a structural "
                         "fixture material (e.g. steel, aluminium_6061_t6)", key=key)
    return mat


# --------------------------------------------------------------------------- springs
@dataclass
class SpringDesign:
    """One spring unit (per rod), SI units.

    Attributes:
        kind: "coil" or "disc".
        force_N: working force; force_max_N: force at the end of the travel.
        travel_m: stack breathing the unit absorbs; rate_N_per_m: stiffness at work.
        force_change: rate * travel / force (<= the requested variation).
        dimensions_m: geometry (coil: wire d, mean D, free/working length; disc: De, Di, t, h0,
            discs in series).
        mass_kg: mass of one unit; envelope_volume_m3: its cylinder envelope at work.
        length_m: installed (working) length along the rod.
        outer_diameter_m: envelope diameter.
        count_detail: dimensionless counts (coil: active and total turns; disc: discs in
            series).
    """

    kind: str
    force_N: float
    force_max_N: float
    travel_m: float
    rate_N_per_m: float
    force_change: float
    dimensions_m: dict
    mass_kg: float
    envelope_volume_m3: float
    length_m: float
    outer_diameter_m: float
    count_detail: dict = field(default_factory=dict)


def coil_spring(force: float, travel: float, force_variation: float, *,
                steel: SpringSteel = SPRING_STEEL, index: float = 7.0,
                min_active_turns: float = 3.0, min_inner_diameter: float = 0.0) -> SpringDesign:
    """Helical compression spring delivering ``force`` N over ``travel`` m (Shigley Ch. 10).

    The wire is sized at F_max = force (1 + force_variation) to tau_allow; the number of
    active turns makes the rate k <= force_variation force / travel (at least
    ``min_active_turns``); the inner diameter D - d is at least ``min_inner_diameter``.
    """
    if not (force > 0 and travel > 0 and 0 < force_variation < 1):
        raise InputError("coil spring needs force > 0, travel > 0, 0 < variation < 1",
                         key="spring")
    fmax = force * (1.0 + force_variation)
    c = index
    kb = (4 * c + 2) / (4 * c - 3)
    d = math.sqrt(8 * kb * fmax * c / (math.pi * steel.allowable_shear))
    d = max(d, min_inner_diameter / (c - 1.0))
    D = c * d
    k_max = force_variation * force / travel
    na = max(min_active_turns, steel.shear_modulus * d / (8 * c**3 * k_max))
    k = steel.shear_modulus * d / (8 * c**3 * na)
    nt = na + 2.0
    y_max = fmax / k
    l_solid = d * nt
    l_free = l_solid + 1.15 * y_max
    l_work = l_free - force / k
    mass = steel.density * math.pi**2 * d**2 * D * nt / 4.0
    od = D + d
    env = math.pi * od**2 / 4 * l_work
    return SpringDesign("coil", force, fmax, travel, k, k * travel / force,
                        {"wire_diameter": d, "mean_diameter": D, "free_length": l_free,
                         "working_length": l_work, "solid_length": l_solid},
                        mass, env, l_work, od,
                        count_detail={"active_turns": na, "total_turns": nt})


def _k1(delta: float) -> float:
    """Almen-Laszlo K1 of a disc spring with diameter ratio delta = De/Di."""
    return ((delta - 1) / delta) ** 2 / ((delta + 1) / (delta - 1) - 2 / math.log(delta)) / math.pi


def disc_spring_force(s: float, outer_diameter: float, inner_diameter: float,
                      thickness: float, free_height: float, *,
                      youngs_modulus: float = 206e9, poisson_ratio: float = 0.30) -> float:
    """Almen-Laszlo force (N) of one disc spring at deflection ``s`` (DIN EN 16983, no flats)."""
    t, h0 = thickness, free_height
    k1 = _k1(outer_diameter / inner_diameter)
    pre = 4 * youngs_modulus / (1 - poisson_ratio**2) * t**4 / (k1 * outer_diameter**2)
    return pre * (s / t) * ((h0 / t - s / t) * (h0 / t - s / (2 * t)) + 1.0)


def disc_spring_rate(s: float, outer_diameter: float, inner_diameter: float,
                     thickness: float, free_height: float, *,
                     youngs_modulus: float = 206e9, poisson_ratio: float = 0.30) -> float:
    """dF/ds (N/m) of one disc spring at deflection ``s`` (derivative of the Almen-Laszlo force)."""
    t, h0 = thickness, free_height
    k1 = _k1(outer_diameter / inner_diameter)
    pre = 4 * youngs_modulus / (1 - poisson_ratio**2) * t**4 / (k1 * outer_diameter**2)
    u, h = s / t, h0 / t
    return pre / t * ((h - u) * (h - u / 2) + 1.0 - u * (1.5 * h - u))


#: DIN 2093 series A proportions.
DISC_SERIES_A = {"De_over_t": 18.0, "h0_over_t": 0.4, "De_over_Di": 2.0}


def disc_spring_stack(force: float, travel: float, force_variation: float, *,
                      steel: SpringSteel = SPRING_STEEL, min_inner_diameter: float = 0.0
                      ) -> SpringDesign:
    """Stack of identical disc springs in series (DIN 2093 series A proportions).

    De is chosen so that one disc gives F_max = force (1 + force_variation) at s = 0.75 h0
    (or larger, if Di must clear ``min_inner_diameter``); the working deflection s_w solves
    F(s_w) = force; n discs in series make k(s_w) travel / n <= force_variation force.
    """
    from scipy.optimize import brentq

    if not (force > 0 and travel > 0 and 0 < force_variation < 1):
        raise InputError("disc spring needs force > 0, travel > 0, 0 < variation < 1",
                         key="spring")
    p = DISC_SERIES_A
    fmax = force * (1.0 + force_variation)
    kw = {"youngs_modulus": steel.youngs_modulus, "poisson_ratio": steel.poisson_ratio}

    def geom(de):
        t = de / p["De_over_t"]
        return de, de / p["De_over_Di"], t, p["h0_over_t"] * t

    de1, di1, t1, h01 = geom(1.0)
    f_unit = disc_spring_force(0.75 * h01, de1, di1, t1, h01, **kw)  # F at De = 1 m (scales De^2)
    de = max(math.sqrt(fmax / f_unit), 1.05 * min_inner_diameter * p["De_over_Di"])
    de, di, t, h0 = geom(de)
    lo = 1e-9 * h0
    if not disc_spring_force(lo, de, di, t, h0, **kw) < force:
        raise InputError(f"a spring force of {force:.4g} N is below what the smallest disc "
                         f"spring (De = {de:.4g} m) carries at any working deflection",
                         key="spring")
    s_w = brentq(lambda s: disc_spring_force(s, de, di, t, h0, **kw) - force, lo, 0.75 * h0)
    k1 = disc_spring_rate(s_w, de, di, t, h0, **kw)
    n = max(1, math.ceil(k1 * travel / (force_variation * force) - 1e-12))
    if s_w + travel / n > 0.75 * h0:  # stay within the standard's working range
        n = max(n, math.ceil(travel / (0.75 * h0 - s_w)))
    k = k1 / n
    disc_mass = steel.density * math.pi / 4 * (de**2 - di**2) * t
    length = n * (t + h0 - s_w)
    env = math.pi * de**2 / 4 * length
    return SpringDesign("disc", force, fmax, travel, k, k * travel / force,
                        {"outer_diameter": de, "inner_diameter": di, "thickness": t,
                         "free_height": h0, "working_deflection_per_disc": s_w},
                        n * disc_mass, env, length, de, count_detail={"discs_in_series": n})


# --------------------------------------------------------------------------- results
@dataclass
class Part:
    """One kind of part in the fixture of a module (SI units).

    Attributes:
        name: part name.
        material: material name.
        count: number of pieces in the module.
        dimensions_m: dimensions of one piece, m.
        mass_kg: mass of all pieces; volume_m3: solid volume of all pieces.
        extra: other data of one piece, the unit in the key (e.g. ``stress_area_m2``,
            spring ``active_turns``).
    """

    name: str
    material: str
    count: int
    dimensions_m: dict
    mass_kg: float
    volume_m3: float
    extra: dict = field(default_factory=dict)


@dataclass
class Fixture:
    """The fixture hardware of one module (SI units).

    Attributes:
        parts: every part with its dimensions, mass, volume.
        pressure_Pa: stack pressure held; force_N: force per fixture (P a b).
        cells_per_module, fixtures_per_module: N and 1 (module level) or N (cell level).
        options: the options used.
        plate: the end-plate sizing (thicknesses, governing criterion, stresses).
        spring: the spring unit per rod (or None).
        allowable_stress_Pa, allowable_deflection_m: limits used for the plates.
        stack_compression_m: elastic compression delta of the pressed stack (cells + pads).
        pressure_nonuniformity: 2 w / delta at the chosen plates (<= pressure_variation).
        envelope_m: module bounding box (x, y, z), m.
        stack_volume_m3: volume of the cells alone (N x cell envelope).
        mass_kg: total fixture mass per module; material_volume_m3: solid volume;
        added_volume_m3: envelope volume the fixture adds to the cells' volume.
    """

    parts: list[Part]
    pressure_Pa: float
    force_N: float
    cells_per_module: int
    fixtures_per_module: int
    options: FixtureOptions | None
    plate: object | None
    spring: SpringDesign | None
    allowable_stress_Pa: float
    allowable_deflection_m: float
    stack_compression_m: float
    pressure_nonuniformity: float
    envelope_m: tuple[float, float, float]
    stack_volume_m3: float

    @property
    def mass_kg(self) -> float:
        """Total fixture mass per module, kg."""
        return float(sum(p.mass_kg for p in self.parts))

    @property
    def material_volume_m3(self) -> float:
        """Solid volume of all parts, m^3."""
        return float(sum(p.volume_m3 for p in self.parts))

    @property
    def envelope_volume_m3(self) -> float:
        """Module bounding-box volume, m^3."""
        x, y, z = self.envelope_m
        return x * y * z

    @property
    def added_volume_m3(self) -> float:
        """Module envelope minus the cells' own volume, m^3 (what the fixture costs in Wh/L)."""
        return max(0.0, self.envelope_volume_m3 - self.stack_volume_m3)

    def mass_by_part(self) -> dict[str, float]:
        """Part name -> mass in kg."""
        return {p.name: p.mass_kg for p in self.parts}

    @classmethod
    def none(cls, cells_per_module: int = 1) -> Fixture:
        """A zero-mass, zero-volume fixture (for bookkeeping identities and references)."""
        return cls(parts=[], pressure_Pa=0.0, force_N=0.0, cells_per_module=cells_per_module,
                   fixtures_per_module=0, options=None, plate=None, spring=None,
                   allowable_stress_Pa=math.inf, allowable_deflection_m=math.inf,
                   stack_compression_m=0.0, pressure_nonuniformity=0.0,
                   envelope_m=(0.0, 0.0, 0.0), stack_volume_m3=0.0)


# --------------------------------------------------------------------------- sizing
def _oedometric(m: Material) -> float:
    return m.oedometric_modulus


def size_fixture(pressure: float, face_length: float, face_width: float,
                 cell_thickness: float, options: FixtureOptions | None = None, *,
                 cell_footprint: tuple[float, float] | None = None, comm=None,
                 **overrides) -> Fixture:
    """Size the fixture of one module that holds ``pressure`` over the cells' faces.

    Args:
        pressure: stack pressure P, Pa.
        face_length: electrode face length a (carries P), m.
        face_width: electrode face width b, m.
        cell_thickness: thickness of one cell, m.
        options: :class:`FixtureOptions` (default: the defaults).
        cell_footprint: (length, width) of the cell outline (pouch seal, tabs), m; the
            rods / straps stand outside it.  Default: the electrode face.
        comm: MPI communicator for plate_method "fe".
        **overrides: fields of ``options`` to replace (e.g. ``material="aluminium"``).

    Returns:
        The :class:`Fixture` of one module (N cells), every part with mass and volume.

    Raises:
        InputError: a non-positive pressure or dimension, or invalid options (naming the key).
    """
    opts = options or FixtureOptions()
    if overrides:
        names = {f.name for f in dataclasses.fields(FixtureOptions)}
        for k in overrides:
            if k not in names:
                from interface.schema import suggest

                raise InputError(f"unknown fixture option '{k}'{suggest(k, names)}", key=k)
        opts = dataclasses.replace(opts, **overrides)
    opts.validate()
    for key, v in (("pressure", pressure), ("face_length", face_length),
                   ("face_width", face_width), ("cell_thickness", cell_thickness)):
        if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
            raise InputError(f"must be > 0, got {v!r}", key=key)
    if cell_footprint is None:
        cell_footprint = (face_length, face_width)
    fl, fw = (float(v) for v in cell_footprint)
    if not (fl >= face_length * (1 - 1e-12) and fw >= face_width * (1 - 1e-12)):
        raise InputError(f"cell footprint {fl:g} x {fw:g} m is smaller than the face "
                         f"{face_length:g} x {face_width:g} m", key="cell_footprint")

    plate_mat = resolve_material(opts.material, "material")
    rod_mat = resolve_material(opts.rod_material or opts.material, "rod_material")
    n_cells = opts.cells_per_module
    per_fixture_cells = n_cells if opts.level == "module" else 1
    n_fix = 1 if opts.level == "module" else n_cells
    P = float(pressure)
    force = P * face_length * face_width
    s_plate = plate_mat.yield_stress / opts.safety_factor
    s_rod = rod_mat.yield_stress / opts.safety_factor
    c = opts.rod_clearance
    parts: list[Part] = []

    # ---- pads and the stiffness criterion
    h_pad = opts.end_pad_thickness
    pad_compliance = 0.0
    if h_pad > 0:
        pad_mat = resolve_material(opts.pad_material, "pad_material", structural=False)
        pad_compliance = h_pad / _oedometric(pad_mat)
        v = face_length * face_width * h_pad
        parts.append(Part("end_pad", pad_mat.name or str(opts.pad_material), 2 * n_fix,
                          {"length": face_length, "width": face_width, "thickness": h_pad},
                          2 * n_fix * v * pad_mat.density, 2 * n_fix * v))
    compliance = per_fixture_cells * opts.cell_compliance + 2 * pad_compliance  # m/Pa
    delta = P * compliance
    w_allow = (opts.deflection_limit if opts.deflection_limit is not None
               else opts.pressure_variation * delta / 2.0)

    # ---- tension members and plate spans
    stack_h = per_fixture_cells * cell_thickness + 2 * h_pad
    if opts.tension == "rods":
        f_rod = force / opts.n_rods
        a_s = f_rod / s_rod
        d = max(math.sqrt(4 * a_s / (THREAD_STRESS_AREA_RATIO * math.pi)), 3e-3)  # >= M3
        span_x, span_y = fl + 2 * (c + d / 2), fw + 2 * (c + d / 2)
        edge = 1.5 * d  # hole edge distance [assumed, >= 1.2 d0 of EN 1993-1-8 Table 3.3]
        plate_x, plate_y = span_x + 2 * edge, span_y + 2 * edge
        support = "edges"
    else:
        d = 0.0
        if fw > fl:  # x is the long side: the straps run along it, the plate spans the short side
            fl, fw = fw, fl
            face_length, face_width = face_width, face_length
        span_x, span_y = fl, fw + 2 * c
        plate_x, plate_y = span_x, span_y
        support = "two_edges"

    # ---- end plates
    from .plate import PlateSizing, size_plate

    loaded = None
    fe_opts = dict(opts.plate_fe_options or {})
    if opts.plate_method == "fe":
        x0, y0 = (span_x - face_length) / 2, (span_y - face_width) / 2
        loaded = (x0, x0 + face_length, y0, y0 + face_width)
    if support == "two_edges" and opts.plate_method == "roark":
        base = size_plate(P, span_x, span_y, plate_mat, s_plate / STRAP_PLATE_FACTOR,
                          w_allow / STRAP_PLATE_FACTOR, support=support, method="roark")
        sizing = PlateSizing("roark", support, span_x, span_y, base.thickness_m,
                             base.thickness_strength_m, base.thickness_stiffness_m,
                             base.governing, base.stress_Pa * STRAP_PLATE_FACTOR,
                             base.deflection_m * STRAP_PLATE_FACTOR, s_plate, w_allow,
                             warnings=list(base.warnings))
    else:
        sizing = size_plate(P, span_x, span_y, plate_mat, s_plate, w_allow, support=support,
                            method=opts.plate_method, comm=comm, ribs=tuple(opts.plate_ribs),
                            loaded_region=loaded, stress_measure=opts.plate_stress_measure,
                            fe_options=fe_opts)
    t_p = sizing.thickness_m
    plate_vol = plate_x * plate_y * t_p
    rib_vol = 0.0
    if sizing.fe is not None and opts.plate_ribs:
        rib_vol = max(0.0, sizing.fe.volume_m3 - span_x * span_y * t_p)
    parts.append(Part("end_plate", plate_mat.name, 2 * n_fix,
                      {"length": plate_x, "width": plate_y, "thickness": t_p,
                       "span_x": span_x, "span_y": span_y},
                      2 * n_fix * (plate_vol + rib_vol) * plate_mat.density,
                      2 * n_fix * (plate_vol + rib_vol)))
    rib_h = max((r.height for r in opts.plate_ribs), default=0.0)

    # ---- springs
    spring = None
    travel = per_fixture_cells * opts.spring_travel_per_cell
    if opts.pressing != "none":
        f_unit = force / opts.n_rods
        if opts.pressing == "coil_springs":
            spring = coil_spring(f_unit, travel, opts.spring_force_variation,
                                 min_inner_diameter=1.1 * d)
        else:
            spring = disc_spring_stack(f_unit, travel, opts.spring_force_variation,
                                       min_inner_diameter=1.05 * d)
        parts.append(Part(f"{spring.kind}_spring", "spring_steel", opts.n_rods * n_fix,
                          dict(spring.dimensions_m), opts.n_rods * n_fix * spring.mass_kg,
                          opts.n_rods * n_fix * spring.mass_kg / SPRING_STEEL.density,
                          extra=dict(spring.count_detail)))
    spring_len = spring.length_m if spring else 0.0

    # ---- rods / straps and the envelope
    if opts.tension == "rods":
        nut_h, nut_s = 0.8 * d, 1.6 * d
        nut_vol = nut_h * (math.sqrt(3) / 2 * nut_s**2 - math.pi * d**2 / 4)
        wash_h = 0.2 * d
        wash_vol = wash_h * math.pi / 4 * ((2 * d) ** 2 - (1.05 * d) ** 2)
        grip = stack_h + 2 * t_p + spring_len + 2 * wash_h
        protrusion = nut_h + 0.5 * d  # nut + thread end, each side
        rod_len = grip + 2 * protrusion
        rod_vol = math.pi * d**2 / 4 * rod_len
        n = opts.n_rods * n_fix
        parts.append(Part("tie_rod", rod_mat.name, n,
                          {"diameter": d, "length": rod_len},
                          n * rod_vol * rod_mat.density, n * rod_vol,
                          extra={"stress_area_m2": a_s, "force_N": f_rod}))
        parts.append(Part("nut", rod_mat.name, 2 * n, {"height": nut_h, "across_flats": nut_s},
                          2 * n * nut_vol * rod_mat.density, 2 * n * nut_vol))
        parts.append(Part("washer", rod_mat.name, 2 * n,
                          {"outer_diameter": 2 * d, "thickness": wash_h},
                          2 * n * wash_vol * rod_mat.density, 2 * n * wash_vol))
        env_x, env_y = plate_x, plate_y
        env_z_one = grip + 2 * max(protrusion, rib_h)
    else:
        area = force / (2 * s_rod)
        t_s = opts.strap_thickness
        strap_len = stack_h + 4 * t_p  # over the stack and plates, + joint overlap [assumed]
        vol = area * strap_len
        n = 2 * n_fix
        parts.append(Part("strap", rod_mat.name, n,
                          {"width": area / t_s, "thickness": t_s, "length": strap_len},
                          n * vol * rod_mat.density, n * vol))
        env_x, env_y = plate_x, plate_y + 2 * t_s
        env_z_one = stack_h + 2 * t_p + 2 * rib_h
    env_z = env_z_one * n_fix
    stack_vol = n_cells * fl * fw * cell_thickness
    env = (max(env_x, fl), max(env_y, fw), env_z)

    # ---- achieved non-uniformity (estimate from the sizing's deflection)
    nonuni = 2 * sizing.deflection_m / delta if delta > 0 else math.inf
    return Fixture(parts=parts, pressure_Pa=P, force_N=force, cells_per_module=n_cells,
                   fixtures_per_module=n_fix, options=opts, plate=sizing, spring=spring,
                   allowable_stress_Pa=s_plate, allowable_deflection_m=w_allow,
                   stack_compression_m=delta, pressure_nonuniformity=nonuni,
                   envelope_m=env, stack_volume_m3=stack_vol)


# --------------------------------------------------------------------------- case file
@dataclass(frozen=True)
class FixtureHardwareSpec:
    """The ``[system.fixture]`` table: the hardware that holds the stack pressure.

    Mirrors :class:`FixtureOptions` (quantities with units); ``to_options()`` converts.
    """

    cells_per_module: int = spec("integer", ge=1, le=100000, default=1,
                                 doc="cells stacked in one module")
    level: str = spec("choice", choices=("module", "cell"), default="module",
                      doc="one pair of end plates per module, or per cell")
    material: str = spec("string", default="steel",
                         doc="end-plate material (steel, aluminium = 6061-T6, or [materials])")
    rod_material: str | None = spec("string", default=None,
                                    doc="tie-rod / strap material (default: material)")
    safety_factor: float = spec("number", ge=1.0, default=2.0,
                                doc="allowable stress = yield / safety_factor")
    tension: str = spec("choice", choices=("rods", "straps"), default="rods",
                        doc="tie rods around the cells, or two side straps")
    n_rods: int = spec("integer", ge=4, le=1000, default=8, doc="number of tie rods")
    pressing: str = spec("choice", choices=("none", "coil_springs", "disc_springs"),
                         default="none", doc="springs under the rod nuts")
    pressure_variation: float = spec("number", gt=0.0, lt=1.0, default=0.05,
                                     doc="allowed stack-pressure variation from plate bowing")
    cell_compliance: float = spec("quantity", unit="m/Pa", ge=0.0, default="0 m/Pa",
                                  doc="areal compliance of one cell (0: rigid, conservative)")
    end_pad_thickness: float = spec("quantity", unit="m", ge=0.0, default="2 mm",
                                    doc="compliant pad between each end plate and the stack")
    pad_material: str = spec("string", default="polymer_pad", doc="pad material")
    deflection_limit: float | None = spec("quantity", unit="m", gt=0.0, default=None,
                                          doc="fixed plate deflection limit (overrides "
                                              "pressure_variation)")
    rod_clearance: float = spec("quantity", unit="m", ge=0.0, default="3 mm",
                                doc="gap between the cell outline and the rods / straps")
    strap_thickness: float = spec("quantity", unit="m", gt=0.0, default="1.5 mm",
                                  doc="strap thickness")
    spring_travel_per_cell: float = spec("quantity", unit="m", gt=0.0, default="20 um",
                                         doc="stack breathing per cell the springs absorb")
    spring_force_variation: float = spec("number", gt=0.0, lt=1.0, default=0.10,
                                         doc="allowed spring force change over the travel")
    plate_method: str = spec("choice", choices=("roark", "fe"), default="roark",
                             doc="end-plate sizing: Roark closed form or FE root solve")
    plate_stress_measure: str = spec("choice", choices=("max_principal", "von_mises"),
                                     default="max_principal",
                                     doc="stress compared with the allowable (von_mises: fe)")

    def to_options(self) -> FixtureOptions:
        """The equivalent :class:`FixtureOptions`."""
        return FixtureOptions(**{f.name: getattr(self, f.name)
                                 for f in dataclasses.fields(FixtureHardwareSpec)})

    def validate(self, path: str) -> None:
        """Cross-field checks of :meth:`FixtureOptions.validate`, with the key path.

        Material names are checked by the model (which knows the case's own
        ``[materials]``), not here.
        """
        try:
            dataclasses.replace(self.to_options(), material="steel", rod_material=None,
                                pad_material="polymer_pad").validate()
        except InputError as exc:
            key = f"{path}.{exc.key}" if path and exc.key else (exc.key or path)
            raise InputError(exc.message, key=key) from None


def fixture_parts_table(fixture: Fixture) -> list[dict]:
    """Rows (dicts) of part, material, count, mass_kg, volume_m3 and dimensions, for reports."""
    return [{"part": p.name, "material": p.material, "count": p.count, "mass_kg": p.mass_kg,
             "volume_m3": p.volume_m3, **{f"{k}_m": v for k, v in p.dimensions_m.items()},
             **p.extra}
            for p in fixture.parts]


__all__: Sequence[str] = [
    "FixtureOptions", "Fixture", "Part", "SpringDesign", "SpringSteel", "SPRING_STEEL",
    "coil_spring", "disc_spring_force", "disc_spring_rate", "disc_spring_stack",
    "resolve_material", "size_fixture", "fixture_parts_table", "STRAP_PLATE_FACTOR",
    "FixtureHardwareSpec",
]


# --------------------------------------------------------------------------- compliance
@functools.lru_cache(maxsize=4096)
def plate_mean_to_max_deflection(span_x: float, span_y: float, support: str = "edges",
                                 terms: int = 61) -> float:
    """Mean / maximum deflection of a uniformly loaded, simply supported plate.

    Four edges: Navier double series of Kirchhoff theory (Timoshenko &
    Woinowsky-Krieger, Theory of Plates and Shells, Sec. 30),
    w = sum_{m,n odd} 16 q / (pi^6 D m n (m^2/a^2 + n^2/b^2)^2) sin(m pi x/a) sin(n pi y/b);
    the mean of sin(m pi x / a) over the span is 2 / (m pi).  Square plate: 0.419.
    Two edges (a beam): (q L^4 / 120 EI) / (5 q L^4 / 384 EI) = 0.64.
    """
    if support == "two_edges":
        return 0.64
    a, b = float(span_x), float(span_y)
    k = np.arange(1, terms + 1, 2, dtype=float)
    m, n = np.meshgrid(k, k, indexing="ij")
    c = 1.0 / (m * n * (m**2 / a**2 + n**2 / b**2) ** 2)
    mean = float(np.sum(c * 4.0 / (m * n * math.pi**2)))
    sign = (-1.0) ** (((m - 1) // 2) + ((n - 1) // 2))
    peak = float(np.sum(c * sign))
    return mean / peak


def areal_compliance(fixture: Fixture) -> dict[str, float]:
    """Compliance of the fixture per unit electrode-face area, m/Pa, by part (and "total").

    What the stack sees when it swells: a change dP of the stack pressure moves the
    end plates apart by C dP with C = sum of

    * pads: 2 h_pad / M_pad (both ends);
    * plates: 2 w_mean / P (both plates bow; the mean deflection over the span, from the
      sized plate's maximum deflection and :func:`plate_mean_to_max_deflection`);
    * rods: A L / (n E A_s) (their elastic stretch; straps: A L / (2 E A_strap));
    * springs: A / (n k) (the spring units in series with the rods).

    Linear elastic, per fixture (module level: all N cells share it).
    """
    if fixture.options is None or fixture.pressure_Pa <= 0:
        return {"total": 0.0}
    opts = fixture.options
    p = fixture.pressure_Pa
    area = fixture.force_N / p
    out: dict[str, float] = {}
    pads = [q for q in fixture.parts if q.name == "end_pad"]
    if pads:
        pad_mat = resolve_material(opts.pad_material, "pad_material", structural=False)
        out["pads"] = 2.0 * pads[0].dimensions_m["thickness"] / _oedometric(pad_mat)
    sizing = fixture.plate
    if sizing is not None:
        ratio = plate_mean_to_max_deflection(sizing.span_x_m, sizing.span_y_m, sizing.support)
        out["plates"] = 2.0 * ratio * sizing.deflection_m / p
    rod_mat = resolve_material(opts.rod_material or opts.material, "rod_material")
    rods = [q for q in fixture.parts if q.name == "tie_rod"]
    if rods:
        r = rods[0]
        n = r.count // max(fixture.fixtures_per_module, 1)
        a_s = r.extra["stress_area_m2"]
        out["rods"] = area * r.dimensions_m["length"] / (n * rod_mat.youngs_modulus * a_s)
    straps = [q for q in fixture.parts if q.name == "strap"]
    if straps:
        s = straps[0]
        a_strap = s.dimensions_m["width"] * s.dimensions_m["thickness"]
        out["straps"] = area * s.dimensions_m["length"] / (2 * rod_mat.youngs_modulus * a_strap)
    if fixture.spring is not None:
        out["springs"] = area / (opts.n_rods * fixture.spring.rate_N_per_m)
    out["total"] = float(sum(out.values()))
    return out
