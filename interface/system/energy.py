"""Energy-density bookkeeping: cell, module (cells + fixture), pack; trade-off against pressure.

Definitions (SI inside; W.h only in output names; 1 Wh = 3600 J, 1 L = 1e-3 m^3):

* cell: mass m_cell = sum of its parts (every layer: count x areal mass x face
  area; pouch: two sheets over the sealed outline; tabs); volume
  V_cell = footprint x thickness with footprint (a + 2 seal + tab length) x
  (b + 2 seal) and thickness sum(count x h) + 2 pouch sheets.
  cell_Wh_per_kg = E / 3600 / m_cell, cell_Wh_per_L = E / 3600 / (1000 V_cell),
  with E the delivered energy per cell (J) at the stack pressure considered (an
  input: it comes from the electrochemistry).
* module: N cells + the fixture of :mod:`fixture`: m_mod = N m_cell + m_fix,
  V_mod = N V_cell + V_fix,add (the fixture's added envelope volume).
* pack: the modules make up a stated fraction of the pack's mass and volume
  (``Packing``): m_pack = m_mod / f_m, V_pack = V_mod / f_V per module, so
  pack_Wh_per_kg = f_m x module_Wh_per_kg.  With a zero fixture the pack value is
  exactly f x the cell value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from interface.errors import InputError

from .fixture import Fixture, FixtureOptions, size_fixture

J_PER_WH = 3600.0
M3_PER_L = 1e-3


# --------------------------------------------------------------------------- cell
@dataclass(frozen=True)
class CellLayer:
    """One kind of layer in the cell's electrode stack.

    Attributes:
        name: layer name (unique in the cell).
        thickness: thickness of one layer, m.
        areal_mass: mass per face area of one layer, kg/m^2.
        count: how many such layers the cell contains.
        oedometric_modulus: uniaxial-strain modulus M, Pa (optional; for the cell's compliance).
    """

    name: str
    thickness: float
    areal_mass: float
    count: int = 1
    oedometric_modulus: float | None = None

    @classmethod
    def from_density(cls, name: str, thickness: float, density: float, count: int = 1,
                     oedometric_modulus: float | None = None) -> CellLayer:
        """Layer of given thickness (m) and (effective) density (kg/m^3)."""
        return cls(name, thickness, thickness * density, count, oedometric_modulus)


@dataclass(frozen=True)
class Packaging:
    """Pouch packaging of one cell (defaults [assumed], see NOTES.md).

    Attributes:
        pouch_areal_mass: areal mass of one Al-laminate sheet, kg/m^2 (0.16: ~113 um film).
        pouch_thickness: thickness of one sheet, m.
        seal_width: seal margin around the electrode face, m.
        tab_mass: mass of both tabs, kg.
        tab_length: tab protrusion beyond the seal (adds to the cell's footprint length), m.
    """

    pouch_areal_mass: float = 0.16
    pouch_thickness: float = 113e-6
    seal_width: float = 5e-3
    tab_mass: float = 1.4e-3
    tab_length: float = 15e-3


@dataclass(frozen=True)
class CellDesign:
    """A pouch cell: electrode face a x b, its layers, its packaging (SI units).

    ``swelling``: the largest free thickness increase over the cycle (e.g. plated Li of a
    charged Li-metal cell), m; the cell's volume is taken at its largest thickness, as it
    must be packaged (0: the layers' thickness).
    """

    face_length: float
    face_width: float
    layers: tuple[CellLayer, ...]
    packaging: Packaging = field(default_factory=Packaging)
    name: str = "cell"
    swelling: float = 0.0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise InputError naming the parameter."""
        for key in ("face_length", "face_width"):
            v = getattr(self, key)
            if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
                raise InputError(f"must be > 0 m, got {v!r}", key=key)
        if not self.layers:
            raise InputError("a cell needs at least one layer", key="layers")
        seen = set()
        for la in self.layers:
            key = f"layers.{la.name}"
            if la.name in seen:
                raise InputError(f"duplicate layer name '{la.name}'", key=key)
            seen.add(la.name)
            if not (la.thickness > 0):
                raise InputError(f"thickness must be > 0 m, got {la.thickness!r}",
                                 key=f"{key}.thickness")
            if not (la.areal_mass >= 0 and math.isfinite(la.areal_mass)):
                raise InputError(f"areal_mass must be >= 0 kg/m^2, got {la.areal_mass!r}",
                                 key=f"{key}.areal_mass")
            if isinstance(la.count, bool) or not isinstance(la.count, int) or la.count < 1:
                raise InputError(f"count must be an integer >= 1, got {la.count!r}",
                                 key=f"{key}.count")
        if not (math.isfinite(self.swelling) and self.swelling >= 0):
            raise InputError(f"must be >= 0 m, got {self.swelling!r}", key="swelling")
        p = self.packaging
        for key in ("pouch_areal_mass", "pouch_thickness", "seal_width", "tab_mass",
                    "tab_length"):
            v = getattr(p, key)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"must be >= 0, got {v!r}", key=f"packaging.{key}")

    @property
    def face_area_m2(self) -> float:
        """Electrode face area a b, m^2."""
        return self.face_length * self.face_width

    @property
    def footprint_m(self) -> tuple[float, float]:
        """Outline (length with tabs, width), m."""
        p = self.packaging
        return (self.face_length + 2 * p.seal_width + p.tab_length,
                self.face_width + 2 * p.seal_width)

    @property
    def thickness_m(self) -> float:
        """Cell thickness: layers + two pouch sheets, m."""
        return (sum(la.count * la.thickness for la in self.layers)
                + 2 * self.packaging.pouch_thickness)

    def mass_breakdown_kg(self) -> dict[str, float]:
        """Part name -> mass in kg; the parts are the cell."""
        a = self.face_area_m2
        out = {la.name: la.count * la.areal_mass * a for la in self.layers}
        p = self.packaging
        sealed = (self.face_length + 2 * p.seal_width) * (self.face_width + 2 * p.seal_width)
        out["pouch"] = 2 * p.pouch_areal_mass * sealed
        out["tabs"] = p.tab_mass
        return out

    @property
    def mass_kg(self) -> float:
        """Cell mass = sum of the parts, kg."""
        return float(sum(self.mass_breakdown_kg().values()))

    @property
    def volume_m3(self) -> float:
        """Cell envelope volume = footprint x largest thickness (layers + swelling), m^3."""
        fl, fw = self.footprint_m
        return fl * fw * (self.thickness_m + self.swelling)

    @property
    def compliance_m_per_Pa(self) -> float:
        """Areal compliance sum(count h / M) of the layers with a modulus, m/Pa."""
        return float(sum(la.count * la.thickness / la.oedometric_modulus for la in self.layers
                         if la.oedometric_modulus))


def default_cell(face_length: float = 0.10, face_width: float = 0.08, bilayers: int = 10, *,
                 cathode_thickness: float = 80e-6, active_fraction: float = 0.70,
                 electrolyte_fraction: float = 0.25, separator_thickness: float = 30e-6,
                 lithium_thickness: float = 20e-6, al_thickness: float = 12e-6,
                 cu_thickness: float = 8e-6, packaging: Packaging | None = None) -> CellDesign:
    """An NMC811 | Li6PS5Cl | Li-metal pouch cell [assumed design, see NOTES.md].

    ``bilayers`` double-coated cathodes on Al foil, each facing a separator and a Li
    foil on both sides; Li on both faces of the Cu foils (bilayers + 1 Cu foils, the
    outer ones single-used).  Densities and moduli from the materials library:
    NMC811 4.87, Li6PS5Cl 1.64, Li 0.534, Al 2.70, Cu 8.96 g/cm^3.  The composite
    cathode's modulus is Mori-Tanaka (electrolyte matrix, NMC and pore inclusions).
    """
    from interface.materials import get_material
    from interface.materials.homogenisation import Phase, mori_tanaka
    from interface.materials.material import from_moduli

    nmc, se, li = get_material("NMC811"), get_material("Li6PS5Cl"), get_material("Li")
    al, cu = get_material("aluminium"), get_material("copper")
    porosity = 1.0 - active_fraction - electrolyte_fraction
    if porosity < 0:
        raise InputError("active_fraction + electrolyte_fraction must be <= 1",
                         key="electrolyte_fraction")
    rho_cat = active_fraction * nmc.density + electrolyte_fraction * se.density
    k, g = mori_tanaka(Phase(se.bulk_modulus, se.shear_modulus, electrolyte_fraction),
                       [Phase(nmc.bulk_modulus, nmc.shear_modulus, active_fraction),
                        Phase(0.0, 0.0, porosity)])
    e, nu = from_moduli(k, g)
    m_cat = e * (1 - nu) / ((1 + nu) * (1 - 2 * nu))
    n = int(bilayers)
    if n < 1:
        raise InputError(f"must be >= 1, got {bilayers!r}", key="bilayers")
    layers = (
        CellLayer.from_density("cathode_composite", cathode_thickness, rho_cat, 2 * n, m_cat),
        CellLayer.from_density("separator", separator_thickness, se.density, 2 * n,
                               se.oedometric_modulus),
        CellLayer.from_density("li_anode", lithium_thickness, li.density, 2 * n,
                               li.oedometric_modulus),
        CellLayer.from_density("al_current_collector", al_thickness, al.density, n,
                               al.oedometric_modulus),
        CellLayer.from_density("cu_current_collector", cu_thickness, cu.density, n + 1,
                               cu.oedometric_modulus),
    )
    return CellDesign(face_length, face_width, layers, packaging or Packaging(),
                      name=f"NMC811|Li6PS5Cl|Li x{n}")


# --------------------------------------------------------------------------- pack
@dataclass(frozen=True)
class Packing:
    """Module -> pack packing fractions [assumed, see NOTES.md].

    Attributes:
        mass_fraction: module mass / pack mass (housing, cooling, BMS, wiring make the rest).
        volume_fraction: module volume / pack volume.
    """

    mass_fraction: float = 0.85
    volume_fraction: float = 0.70

    def __post_init__(self) -> None:
        for key in ("mass_fraction", "volume_fraction"):
            v = getattr(self, key)
            if not (isinstance(v, int | float) and 0 < v <= 1):
                raise InputError(f"must be in (0, 1], got {v!r}", key=key)


@dataclass
class EnergyDensity:
    """Energy densities at one stack pressure (names carry units).

    ``mass_breakdown_kg`` lists every mass of one pack unit (one module and its share of
    the pack): ``cell:<part>`` (N cells), ``fixture:<part>``, ``pack_other``; it sums to
    ``pack_mass_kg`` exactly.
    """

    energy_per_cell_J: float
    cells_per_module: int
    cell_mass_kg: float
    cell_volume_m3: float
    cell_Wh_per_kg: float
    cell_Wh_per_L: float
    fixture_mass_kg: float
    fixture_added_volume_m3: float
    module_mass_kg: float
    module_volume_m3: float
    module_Wh_per_kg: float
    module_Wh_per_L: float
    pack_mass_kg: float
    pack_volume_m3: float
    pack_Wh_per_kg: float
    pack_Wh_per_L: float
    mass_breakdown_kg: dict = field(default_factory=dict)


def energy_density(energy_per_cell: float, cell: CellDesign, fixture: Fixture | None = None,
                   packing: Packing | None = None, *, cells_per_module: int | None = None
                   ) -> EnergyDensity:
    """Cell, module and pack Wh/kg and Wh/L.

    Args:
        energy_per_cell: delivered energy of one cell at the pressure considered, J.
        cell: the cell.
        fixture: the module's fixture (from :func:`fixture.size_fixture`); None: no fixture.
        packing: module -> pack fractions.
        cells_per_module: N (default: the fixture's; 1 without a fixture).
    """
    packing = packing or Packing()
    if not (isinstance(energy_per_cell, int | float | np.floating)
            and math.isfinite(energy_per_cell) and energy_per_cell >= 0):
        raise InputError(f"must be >= 0 J, got {energy_per_cell!r}", key="energy_per_cell")
    if fixture is None:
        fixture = Fixture.none(cells_per_module or 1)
    n = cells_per_module or fixture.cells_per_module
    if fixture.fixtures_per_module and n != fixture.cells_per_module:
        raise InputError(f"cells_per_module {n} differs from the fixture's "
                         f"{fixture.cells_per_module}", key="cells_per_module")
    e_wh = float(energy_per_cell) / J_PER_WH
    cell_parts = cell.mass_breakdown_kg()
    m_cell = float(sum(cell_parts.values()))
    v_cell = cell.volume_m3
    m_fix = fixture.mass_kg
    v_fix = fixture.added_volume_m3
    m_mod = n * m_cell + m_fix
    v_mod = n * v_cell + v_fix
    m_pack = m_mod / packing.mass_fraction
    v_pack = v_mod / packing.volume_fraction
    breakdown = {f"cell:{k}": n * v for k, v in cell_parts.items()}
    breakdown.update({f"fixture:{p.name}": p.mass_kg for p in fixture.parts})
    breakdown["pack_other"] = m_pack - m_mod
    return EnergyDensity(
        energy_per_cell_J=float(energy_per_cell), cells_per_module=n, cell_mass_kg=m_cell,
        cell_volume_m3=v_cell, cell_Wh_per_kg=e_wh / m_cell,
        cell_Wh_per_L=e_wh / (v_cell / M3_PER_L), fixture_mass_kg=m_fix,
        fixture_added_volume_m3=v_fix, module_mass_kg=m_mod, module_volume_m3=v_mod,
        module_Wh_per_kg=n * e_wh / m_mod, module_Wh_per_L=n * e_wh / (v_mod / M3_PER_L),
        pack_mass_kg=m_pack, pack_volume_m3=v_pack, pack_Wh_per_kg=n * e_wh / m_pack,
        pack_Wh_per_L=n * e_wh / (v_pack / M3_PER_L), mass_breakdown_kg=breakdown)


def fixture_for(cell: CellDesign, pressure: float, options: FixtureOptions | None = None, *,
                comm=None, **overrides) -> Fixture:
    """The fixture of a module of ``cell`` at ``pressure`` Pa.

    Face, thickness and footprint are taken from the cell; ``options`` and ``overrides`` as
    in :func:`fixture.size_fixture`.
    """
    return size_fixture(pressure, cell.face_length, cell.face_width, cell.thickness_m,
                        options, cell_footprint=cell.footprint_m, comm=comm, **overrides)


# --------------------------------------------------------------------------- trade-off
@dataclass
class TradeOff:
    """Energy densities versus stack pressure (arrays over ``pressure_Pa``)."""

    pressure_Pa: np.ndarray
    energy_per_cell_J: np.ndarray
    cell_Wh_per_kg: np.ndarray
    cell_Wh_per_L: np.ndarray
    module_Wh_per_kg: np.ndarray
    module_Wh_per_L: np.ndarray
    pack_Wh_per_kg: np.ndarray
    pack_Wh_per_L: np.ndarray
    fixture_mass_kg: np.ndarray
    fixture_added_volume_m3: np.ndarray
    plate_thickness_m: np.ndarray
    plate_governing: list = field(default_factory=list)
    points: list = field(default_factory=list)

    def optimum(self, metric: str = "pack_Wh_per_kg", objective: Callable | None = None
                ) -> Optimum:
        """Optimal pressure for ``metric`` (see :func:`optimal_pressure`)."""
        if metric not in ("cell_Wh_per_kg", "cell_Wh_per_L", "module_Wh_per_kg",
                          "module_Wh_per_L", "pack_Wh_per_kg", "pack_Wh_per_L"):
            raise InputError(f"unknown metric {metric!r}", key="metric")
        return optimal_pressure(self.pressure_Pa, getattr(self, metric), objective=objective)


@dataclass
class Optimum:
    """An optimal pressure.

    Attributes:
        pressure_Pa: the optimum.
        value: the metric there.
        interior: False if the maximum of the grid is at its first or last point (then
            ``pressure_Pa`` is that end point: widen the grid).
        index: grid index of the best grid point.
        method: "grid" (end point), "spline" (cubic-spline interpolation of the grid values)
            or "objective" (Brent's method on the exact objective in the bracketing interval).
    """

    pressure_Pa: float
    value: float
    interior: bool
    index: int
    method: str


def _energy_values(pressures: np.ndarray, energy) -> np.ndarray:
    if callable(energy):
        return np.array([float(energy(p)) for p in pressures])
    e = np.asarray(energy, dtype=float)
    if e.shape != pressures.shape:
        raise InputError(f"energy has {e.size} values for {pressures.size} pressures",
                         key="energy")
    return e


def _check_pressures(pressures) -> np.ndarray:
    p = np.asarray(pressures, dtype=float).ravel()
    if p.size < 1 or not np.all(np.isfinite(p)) or np.any(p <= 0):
        raise InputError("pressures must be finite and > 0 Pa", key="pressures")
    if p.size > 1 and np.any(np.diff(p) <= 0):
        raise InputError("pressures must be strictly increasing", key="pressures")
    return p


def energy_density_vs_pressure(pressures: Sequence[float], energy, cell: CellDesign,
                               options: FixtureOptions | None = None,
                               packing: Packing | None = None, *, comm=None,
                               **overrides) -> TradeOff:
    """Cell, module and pack energy densities over a pressure grid.

    Args:
        pressures: increasing stack pressures, Pa.
        energy: delivered energy per cell at each pressure (J; array), or a callable
            E(P) -> J.
        cell: the cell.
        options: fixture options (see :func:`fixture.size_fixture`).
        packing: module -> pack fractions.
        comm: MPI communicator (plate_method "fe").
        **overrides: fields of ``options`` to replace.
    """
    p = _check_pressures(pressures)
    e = _energy_values(p, energy)
    pts, fixtures = [], []
    for pi, ei in zip(p, e, strict=True):
        fx = fixture_for(cell, float(pi), options, comm=comm, **overrides)
        fixtures.append(fx)
        pts.append(energy_density(float(ei), cell, fx, packing))

    def col(name):
        return np.array([getattr(q, name) for q in pts])

    return TradeOff(pressure_Pa=p, energy_per_cell_J=e, cell_Wh_per_kg=col("cell_Wh_per_kg"),
                    cell_Wh_per_L=col("cell_Wh_per_L"), module_Wh_per_kg=col("module_Wh_per_kg"),
                    module_Wh_per_L=col("module_Wh_per_L"), pack_Wh_per_kg=col("pack_Wh_per_kg"),
                    pack_Wh_per_L=col("pack_Wh_per_L"),
                    fixture_mass_kg=np.array([f.mass_kg for f in fixtures]),
                    fixture_added_volume_m3=np.array([f.added_volume_m3 for f in fixtures]),
                    plate_thickness_m=np.array([f.plate.thickness_m for f in fixtures]),
                    plate_governing=[f.plate.governing for f in fixtures], points=pts)


def optimal_pressure(pressures: Sequence[float], values: Sequence[float], *,
                     objective: Callable[[float], float] | None = None) -> Optimum:
    """Maximum of ``values`` over ``pressures``, refined between grid points.

    The best grid point i is located; if it is the first or last point the optimum is
    not interior and that point is returned.  Otherwise the maximum is refined in
    [P_(i-1), P_(i+1)]: by Brent's bounded method on ``objective`` if given (the exact
    metric as a function of P), else on a not-a-knot cubic spline through the grid values
    (in log P when the grid spans more than a decade).
    """
    from scipy.interpolate import CubicSpline
    from scipy.optimize import minimize_scalar

    p = _check_pressures(pressures)
    v = np.asarray(values, dtype=float)
    if v.shape != p.shape or not np.all(np.isfinite(v)):
        raise InputError("values must be finite, one per pressure", key="values")
    i = int(np.argmax(v))
    if i == 0 or i == p.size - 1:
        return Optimum(float(p[i]), float(v[i]), False, i, "grid")
    if objective is not None:
        res = minimize_scalar(lambda x: -float(objective(x)), bounds=(p[i - 1], p[i + 1]),
                              method="bounded",
                              options={"xatol": 1e-6 * (p[i + 1] - p[i - 1])})
        best = (float(res.x), -float(res.fun))
        if best[1] < v[i]:  # never worse than the grid
            best = (float(p[i]), float(v[i]))
        return Optimum(best[0], best[1], True, i, "objective")
    use_log = p[-1] / p[0] > 10.0
    x = np.log(p) if use_log else p
    if p.size >= 4:
        spl = CubicSpline(x, v, bc_type="not-a-knot")
    else:  # three points: the parabola through them
        coef = np.polyfit(x, v, 2)
        spl = np.poly1d(coef)
    res = minimize_scalar(lambda s: -float(spl(s)), bounds=(x[i - 1], x[i + 1]),
                          method="bounded", options={"xatol": 1e-9 * abs(x[i + 1] - x[i - 1])})
    xs, vs = float(res.x), -float(res.fun)
    if vs < v[i]:
        xs, vs = float(x[i]), float(v[i])
    return Optimum(float(np.exp(xs)) if use_log else xs, vs, True, i, "spline")


def optimise_pressure(energy: Callable[[float], float], cell: CellDesign,
                      options: FixtureOptions | None = None, packing: Packing | None = None, *,
                      pressure_range: tuple[float, float] = (1e5, 5e7), points: int = 25,
                      metric: str = "pack_Wh_per_kg", comm=None, **overrides
                      ) -> tuple[Optimum, TradeOff]:
    """Optimal stack pressure for an energy law E(P) (J per cell).

    A log-spaced grid of ``points`` over ``pressure_range`` (Pa), then Brent's method on the
    exact ``metric`` around the best grid point.  Returns the optimum and the grid table.
    """
    lo, hi = pressure_range
    if not (0 < lo < hi):
        raise InputError(f"need 0 < low < high, got {pressure_range}", key="pressure_range")
    grid = np.geomspace(lo, hi, points)
    table = energy_density_vs_pressure(grid, energy, cell, options, packing, comm=comm,
                                       **overrides)

    def objective(pv: float) -> float:
        fx = fixture_for(cell, pv, options, comm=comm, **overrides)
        return getattr(energy_density(float(energy(pv)), cell, fx, packing), metric)

    return table.optimum(metric, objective=objective), table
