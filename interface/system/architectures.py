"""Pressing architectures: how a module (or pack) holds the stack pressure, sized from physics.

Every architecture takes the same inputs: the module's stack (N cells, their breathing
delta(SOC) per cell relative to assembly, their areal compliance), the preload P_0 set
at assembly (reference SOC), the band the pressure must stay in (the Li-metal pressure
window when the preload lies in it), and the hardware options.  It returns a
:class:`PressingDesign`: every part with mass and volume (a :class:`~.fixture.Fixture`),
the pressure over the cycle (start and end of life), the face-pressure variation from
plate bowing, the two-way gain for the electrochemistry, the free sizes it chose, and
whether it is feasible, with the reason.

* ``tie_rods_springs``: end plates, tie rods, disc (or coil) springs under the nuts.
  The springs' force band is the room the band leaves above the preload (not a fixed
  10 %); candidates band/1, /2, /4, the plate materials and the end interlayer (the
  elastic end pads of [system.fixture], or foam end pads of 2 or 5 mm that give the plates
  a compliant stack to press), disc or coil springs, are tried; the best by
  :func:`design_score` is kept.  P(SOC) = P_0 + N delta / (N C_c + C_f) (foam end pads:
  eq. 3 of :mod:`.pads`), sized by fixed point on the peak.
* ``compression_pads``: foam pads between the cells (:mod:`.pads`), end plates and
  tension members around a fixed length.  The pad grade and total thickness (eq. 4 of
  :mod:`.pads`) are the free sizes; compression set lowers the end-of-life pressure.
* ``fixed_gap_frame``: end plates and tie rods, no springs: the stack's breathing against
  the frame's own compliance, relaxed by creep of the metal layers where the stack model
  has them (:class:`interface.mechanics.column.Column` of one repeat unit with the
  module's compliance per unit, marched over cycles at the C-rate).
* ``pressurised_enclosure``: the module in a gas-filled thin-walled vessel
  (:mod:`.enclosure`); isostatic, so the face pressure is uniform; Boyle's law gives the
  pressure as the cells breathe.
* ``cell_to_pack``: no module: a row of cells with foam pads between two end walls of
  the pack (plate strips spanning the cell height between floor and lid), the lid and the
  floor carrying the force in tension; the walls are shared by a whole row
  (``ctp_cells_per_row``), interior cross members see the pressure from both sides and
  carry no net load.

**Face uniformity (one criterion for all).**  The plates bow by w (variation over the
face); the compliant stack between them (cells, pads) is compressed by
delta = P C_stack; the local pressure changes by dP/P = 2 w / delta (Winkler).  Plates
are sized so that dP/P <= ``pressure_variation`` (the stiffness thickness) unless
strength needs more; the achieved value is reported (``face_pressure_variation``).  The
enclosure is isostatic: 0.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from interface.errors import InputError, SolverError

from .energy import CellDesign
from .fixture import Fixture, FixtureOptions, Part, areal_compliance, resolve_material, size_fixture

ARCHITECTURES = ("tie_rods_springs", "compression_pads", "fixed_gap_frame",
                 "pressurised_enclosure", "cell_to_pack")

#: Architectures whose "module" is a row of cells in the pack (cell-to-pack packing).
PACK_LEVEL = ("cell_to_pack",)

#: Fixed-point tolerance on the design pressure and iteration cap.
FIXED_POINT_RTOL = 1e-5
FIXED_POINT_ITERATIONS = 60


@dataclass(frozen=True)
class Band:
    """The pressure band the stack must stay in (Pa).  ``source``: where it comes from."""

    low: float = 0.0
    high: float = math.inf
    source: str = ""

    def contains(self, pressure: float, rtol: float = 1e-9) -> bool:
        """True if low <= P <= high (to a relative tolerance)."""
        return (pressure >= self.low * (1 - rtol)) and (pressure <= self.high * (1 + rtol))


@dataclass(frozen=True)
class ModuleStack:
    """The stack the pressing hardware holds (SI units, per electrode-face area).

    Attributes:
        cell: the pouch cell.
        cells: N cells per module (cell_to_pack: see PressingOptions.ctp_cells_per_row).
        breathing: free thickness change of one cell at ``socs`` relative to assembly, m.
        socs: the SOCs of ``breathing``.
        cell_compliance: areal compliance of one cell, m/Pa (elastic layers).
        unit_breathing_max: largest free thickness change of one repeat unit, m (two-way
            gain: the electrochemistry sees P_0 + K h_unit).
        units_per_cell: repeat units in a cell.
        column: factory (compliance per repeat unit m/Pa, preload Pa) -> a Column of one
            repeat unit with creeping / porous layers; None: elastic stack only.
        path: (socs, time steps s) of the cycles the column is marched through.
    """

    cell: CellDesign
    cells: int
    breathing: np.ndarray
    socs: np.ndarray
    cell_compliance: float
    unit_breathing_max: float
    units_per_cell: int
    column: Callable | None = None
    path: tuple | None = None

    def with_cells(self, cells: int) -> ModuleStack:
        """The same stack with another number of cells."""
        return dataclasses.replace(self, cells=int(cells))

    @property
    def swing_per_cell(self) -> float:
        """Largest minus smallest breathing of one cell, m."""
        return float(np.max(self.breathing) - np.min(self.breathing))


@dataclass(frozen=True)
class PressingOptions:
    """Hardware choices shared by the architectures.

    Attributes:
        fixture: plates, tension members, springs, safety factor, face uniformity.
        plate_materials: plate / wall materials tried (the lightest feasible is kept).
        pad_grades: foam pad grades tried (:data:`.pads.FOAM_PADS`).
        spring_band_divisors: the spring force band is tried at band / d for each d.
        ctp_cells_per_row: cells between the two end walls of a cell-to-pack row.
        enclosure_clearance: gap between the stack and the vessel wall, m.
        min_wall: thinnest vessel wall / tension sheet, m.
        temperature: K (gas fill, creep).
        pressure_band: b of the band [P_0 / (1 + b), P_0 (1 + b)] used where no window
            applies.
        spring_travel_per_cell: travel per cell the springs are sized for, m (None: the
            stack's breathing swing).
    """

    fixture: FixtureOptions
    plate_materials: tuple = ()
    pad_grades: tuple[str, ...] = ("poron_4701_30_320", "poron_4701_30_400")
    spring_band_divisors: tuple[float, ...] = (1.0, 2.0, 4.0)
    ctp_cells_per_row: int = 100
    enclosure_clearance: float = 3e-3
    min_wall: float = 1e-3
    temperature: float = 298.15
    pressure_band: float = 1.0
    spring_travel_per_cell: float | None = None


@dataclass
class PressingDesign:
    """One architecture at one preload (SI units).

    ``feasible`` says whether the hardware can be built and holds the pressure (reason
    otherwise); ``in_band`` whether the pressure over the cycle stays in the band.
    """

    architecture: str
    preload: float
    feasible: bool
    reason: str = ""
    fixture: Fixture | None = None
    packing: str = "module"
    cells: int = 0
    pressure_min: float = math.nan
    pressure_max: float = math.nan
    pressure_min_end_of_life: float = math.nan
    face_pressure_variation: float = math.nan
    compliance: float = math.nan
    gain: float = 0.0
    in_band: bool = False
    band_reason: str = ""
    free_sizes: dict = field(default_factory=dict)
    history: dict = field(default_factory=dict)

    @property
    def mass_kg(self) -> float:
        """Pressing hardware mass per module (row), kg."""
        return self.fixture.mass_kg if self.fixture is not None else math.nan

    def parts(self) -> dict[str, tuple[float, float]]:
        """Part name -> (mass kg, solid volume m^3)."""
        if self.fixture is None:
            return {}
        return {p.name: (p.mass_kg, p.volume_m3) for p in self.fixture.parts}


# --------------------------------------------------------------------------- helpers
def design_score(d: PressingDesign, stack: ModuleStack) -> float:
    """(cells + hardware mass) x (cells + hardware volume) per cell^2: smaller is better.

    The free sizes of an architecture are chosen by this product (at equal energy it
    maximises pack Wh/kg x Wh/L: both count with equal relative weight).
    """
    n = d.fixture.cells_per_module
    m = n * stack.cell.mass_kg + d.fixture.mass_kg
    v = n * stack.cell.volume_m3 + d.fixture.added_volume_m3
    return m * v / n**2


def _better(best: PressingDesign | None, d: PressingDesign, stack: ModuleStack):
    """The feasible one of the two with the smaller :func:`design_score`."""
    if not d.feasible:
        return best
    if best is None or design_score(d, stack) < design_score(best, stack):
        return d
    return best

def sizing_band(window: Band | None, preload: float, fallback: float) -> Band:
    """The band the hardware is sized for at ``preload``.

    The window when it applies and contains the preload; otherwise (no window, or the
    preload outside it: the point violates the window anyway) the preload x (1 +- fallback)
    so that the hardware of every grid point is still sized and reported.
    """
    if window is not None and window.contains(preload) and window.high > preload:
        return window
    return Band(preload / (1.0 + fallback), preload * (1.0 + fallback),
                f"no window at this preload: +-{fallback:g} of the preload")


def _materials(opts: PressingOptions):
    names = list(opts.plate_materials) or [opts.fixture.material]
    out, seen = [], set()
    for m in names:
        mat = resolve_material(m, "material")
        if mat.name not in seen:
            seen.add(mat.name)
            out.append(m)
    return out


def _check_band(design: PressingDesign, band: Band, window: Band | None) -> None:
    """Set in_band / band_reason against the window (not the fallback sizing band)."""
    target = window if window is not None else Band()
    lo = min(design.pressure_min, design.pressure_min_end_of_life)
    hi = design.pressure_max
    why = []
    if not target.contains(design.preload):
        why.append(f"preload {design.preload / 1e6:.3g} MPa outside the window "
                   f"[{target.low / 1e6:.3g}, {target.high / 1e6:.3g}] MPa")
    else:
        if lo < target.low * (1 - 1e-9):
            why.append(f"pressure falls to {lo / 1e6:.3g} MPa < P_min "
                       f"{target.low / 1e6:.3g} MPa")
        if hi > target.high * (1 + 1e-9):
            why.append(f"pressure rises to {hi / 1e6:.3g} MPa > P_max "
                       f"{target.high / 1e6:.3g} MPa")
    design.in_band = not why
    design.band_reason = "; ".join(why)
    del band


def _gain(stack: ModuleStack, preload: float, p_max: float) -> float:
    """Secant two-way gain K (Pa per m of one repeat unit's free swelling)."""
    if stack.unit_breathing_max <= 0 or not math.isfinite(p_max):
        return 0.0
    return max(p_max - preload, 0.0) / stack.unit_breathing_max


def _frame(stack: ModuleStack, opts: FixtureOptions, p_design: float, *, cells: int,
           extra_thickness_per_cell: float = 0.0, stack_compliance_per_cell: float | None = None,
           pressing: str = "none", travel_per_cell: float | None = None,
           band: float | None = None, material=None) -> Fixture:
    """End plates + tension members (+ springs) of one module at ``p_design``.

    ``extra_thickness_per_cell``: what sits between the cells besides them (pads), m;
    ``stack_compliance_per_cell``: areal compliance per cell of what the plates press
    (cells + pads) for the uniformity criterion (default: the cell's).
    """
    cell = stack.cell
    c_stack = stack.cell_compliance if stack_compliance_per_cell is None \
        else stack_compliance_per_cell
    repl = dict(cells_per_module=int(cells), pressing=pressing, deflection_limit=None,
                cell_compliance=max(c_stack, 1e-30))
    if material is not None:
        repl["material"] = material
    if pressing != "none":
        repl["spring_travel_per_cell"] = max(travel_per_cell or 0.0, 1e-9)
        repl["spring_force_variation"] = band
    o = dataclasses.replace(opts, **repl)
    fix = size_fixture(p_design, cell.face_length, cell.face_width,
                       cell.thickness_m + extra_thickness_per_cell, o,
                       cell_footprint=cell.footprint_m)
    # the cells' own volume (the fixture's envelope holds cells and pads)
    return dataclasses.replace(fix, stack_volume_m3=fix.cells_per_module * cell.volume_m3)


def _linear_pressures(stack: ModuleStack, preload: float, compliance_total: float,
                      cells: int) -> np.ndarray:
    """P(SOC) = P_0 + N delta / C_total (elastic; lift-off at 0)."""
    p = preload + cells * stack.breathing / compliance_total
    return np.maximum(p, 0.0)


# --------------------------------------------------------------------------- springs
def _end_foam_pressures(stack: ModuleStack, pad, total: float, per_fix: int, frame_c: float,
                        preload: float, extremes: bool = False):
    """(BOL, EOL) pressures with foam of total thickness ``total`` in series (per fixture).

    ``extremes``: only at the smallest and largest breathing (P is monotone in it).
    """
    from .pads import PadStack

    ps = PadStack(pad, total, per_fix, stack.cell_compliance, frame_c, preload)
    b = stack.breathing
    if extremes:
        b = np.array([np.min(b), np.max(b)])
    bol = np.array([ps.pressure(float(x)) for x in b])
    eol = np.array([ps.pressure(float(x), aged=True) for x in b])
    return bol, eol


def _springs_one(stack: ModuleStack, preload: float, band: Band, opts: PressingOptions,
                 v: float, material, pressing: str, end: tuple) -> PressingDesign:
    """Tie rods + springs with force band v and end interlayer ``end`` (fixed point).

    ``end``: ("elastic",) the [system.fixture] end pads; ("foam", grade, t) a foam pad of
    thickness t at each end plate (compliance for the face uniformity, in series with
    the springs; compression set at end of life).
    """
    from .pads import get_pad

    fo = opts.fixture
    n = stack.cells
    per_fix = n if fo.level == "module" else 1
    n_fix = 1 if fo.level == "module" else n
    travel = opts.spring_travel_per_cell or stack.swing_per_cell
    c_stack = per_fix * stack.cell_compliance
    pad = get_pad(end[1], "pad_grades") if end[0] == "foam" else None
    free = {"spring_force_band": v, "plate_material": resolve_material(material,
                                                                       "material").name,
            "end_interlayer": _end_name(end, fo)}
    if pad is not None and preload >= pad.max_stress:
        return PressingDesign("tie_rods_springs", preload, False,
                              f"{end[1]} end pads hold at most {pad.max_stress / 1e6:.3g} MPa",
                              cells=n, free_sizes=free)
    p_design = preload
    eol = None
    it = 0
    while True:
        it += 1
        if it > FIXED_POINT_ITERATIONS:
            return PressingDesign("tie_rods_springs", preload, False,
                                  "the fixture sizing did not converge", cells=n,
                                  free_sizes=free)
        if pad is None:
            fix = _frame(stack, fo, p_design, cells=n, pressing=pressing,
                         travel_per_cell=travel, band=v, material=material)
        else:
            c_foam = 2 * end[2] * pad.strain(preload) / preload
            o = dataclasses.replace(fo, end_pad_thickness=0.0)
            fix = _frame(stack, o, p_design, cells=n, pressing=pressing, travel_per_cell=travel,
                         band=v, material=material,
                         extra_thickness_per_cell=2 * end[2] / per_fix,
                         stack_compliance_per_cell=stack.cell_compliance + c_foam / per_fix)
            fix = dataclasses.replace(fix, parts=fix.parts + [_pad_part(
                pad, 2 * end[2], stack.cell, 2, n_fix, name="end_foam_pads",
                preload=preload)])
        cf = areal_compliance(fix)
        if pad is None:
            p = _linear_pressures(stack, preload, c_stack + cf["total"], per_fix)
            eol = p
        else:  # the extremes only (P is monotone in the breathing); the cycle at the end
            p, eol = _end_foam_pressures(stack, pad, 2 * end[2], per_fix, cf["total"], preload,
                                         extremes=True)
        p_max = float(np.max(p))
        if not math.isfinite(p_max) or p_max > 1e3 * preload or p_max > 5e9:
            return PressingDesign("tie_rods_springs", preload, False,
                                  f"the pressure outgrows the hardware sized for it (swing "
                                  f"{per_fix * travel * 1e6:.4g} um per fixture)",
                                  cells=n, free_sizes=free)
        if abs(p_max - p_design) <= FIXED_POINT_RTOL * p_design:
            break
        p_design = max(p_max, preload)
    if pad is not None:
        p, eol = _end_foam_pressures(stack, pad, 2 * end[2], per_fix, cf["total"], preload)
        p_max = float(np.max(p))
    free.update(discs_or_turns=(fix.spring.count_detail if fix.spring else {}),
                fixed_point_iterations=it)
    hist = {"soc": stack.socs, "stack_pressure_Pa": p}
    if pad is not None:
        hist["stack_pressure_end_of_life_Pa"] = eol
    d = PressingDesign("tie_rods_springs", preload, True, fixture=fix, cells=n,
                       pressure_min=float(np.min(p)), pressure_max=p_max,
                       pressure_min_end_of_life=float(np.min(eol)),
                       face_pressure_variation=fix.pressure_nonuniformity,
                       compliance=cf["total"], gain=_gain(stack, preload, p_max),
                       free_sizes=free, history=hist)
    lo = min(float(np.min(p)), float(np.min(eol)))
    if not band.contains(p_max) or not band.contains(lo):
        d.feasible = False
        d.reason = (f"the pressure runs over [{lo / 1e6:.4g}, {p_max / 1e6:.4g}] MPa, "
                    "outside the band")
    elif pad is not None and pad.strain(p_max) > pad.max_strain:
        d.feasible = False
        d.reason = f"end foam strained beyond its working range {pad.max_strain:.2f}"
    return d


def _end_name(end: tuple, fo: FixtureOptions) -> str:
    if end[0] == "foam":
        return f"{end[1]} {end[2] * 1e3:g} mm"
    if fo.end_pad_thickness > 0:
        pad = resolve_material(fo.pad_material, "pad_material", structural=False)
        return f"{pad.name} {fo.end_pad_thickness * 1e3:g} mm"
    return "none"


#: Foam end-pad thicknesses tried by the spring design, m [assumed candidates].
END_FOAM_THICKNESSES = (2e-3, 5e-3)


def design_springs(stack: ModuleStack, preload: float, band: Band,
                   opts: PressingOptions) -> PressingDesign:
    """Tie rods + springs: the lightest feasible (band / d, plate material, end interlayer)."""
    fo = opts.fixture
    if fo.pressing == "none":
        return PressingDesign("tie_rods_springs", preload, False,
                              "pressing = 'none': no springs (the rigid frame is "
                              "fixed_gap_frame)", cells=stack.cells)
    if fo.tension != "rods":
        return PressingDesign("tie_rods_springs", preload, False,
                              "springs sit under tie-rod nuts: tension = 'straps' has none",
                              cells=stack.cells)
    room_up = band.high / preload - 1.0
    room_dn = 1.0 - band.low / preload
    lower = float(np.min(stack.breathing)) < 0.0
    v_max = min(room_up, room_dn if lower else math.inf, 0.9)
    if not v_max > 0:
        return PressingDesign("tie_rods_springs", preload, False,
                              "no room above the preload in the band", cells=stack.cells)
    ends = [("elastic",)] + [("foam", g, t) for g in opts.pad_grades
                             for t in END_FOAM_THICKNESSES]
    kinds = [fo.pressing] + [k for k in ("disc_springs", "coil_springs") if k != fo.pressing]
    best, last = None, None
    for kind in kinds:
        for mat in _materials(opts):
            for end in ends:
                for div in opts.spring_band_divisors:
                    try:
                        d = _springs_one(stack, preload, band, opts, v_max / div, mat, kind,
                                         end)
                    except InputError as exc:
                        d = PressingDesign("tie_rods_springs", preload, False,
                                           str(exc.message), cells=stack.cells)
                    d.free_sizes["springs"] = kind
                    last = d
                    best = _better(best, d, stack)
    return best or last


# --------------------------------------------------------------------------- rigid frame
def design_frame(stack: ModuleStack, preload: float, band: Band,
                 opts: PressingOptions) -> PressingDesign:
    """Tie rods + plates at a fixed length; creep of the metal layers relaxes the pressure."""
    fo = opts.fixture
    n = stack.cells
    per_fix = n if fo.level == "module" else 1
    units = per_fix * stack.units_per_cell
    best, last = None, None
    for mat in _materials(opts):
        p_design = preload
        d = None
        for it in range(1, FIXED_POINT_ITERATIONS + 1):
            try:
                fix = _frame(stack, fo, p_design, cells=n, material=mat)
            except InputError as exc:
                d = PressingDesign("fixed_gap_frame", preload, False, exc.message, cells=n)
                break
            cf = areal_compliance(fix)["total"]
            if stack.column is not None and stack.path is not None:
                try:
                    t, soc, p = _march_column(stack, cf / units, preload)
                except SolverError as exc:
                    d = PressingDesign("fixed_gap_frame", preload, False,
                                       f"stack column failed: {exc}", cells=n)
                    break
                hist = {"time_s": t, "soc": soc, "stack_pressure_Pa": p}
            else:
                p = _linear_pressures(stack, preload, per_fix * stack.cell_compliance + cf,
                                      per_fix)
                hist = {"soc": stack.socs, "stack_pressure_Pa": p}
            p_max = float(np.max(p))
            if p_max > 1e3 * preload or p_max > 5e9:
                d = PressingDesign("fixed_gap_frame", preload, False,
                                   f"the breathing ({per_fix * stack.swing_per_cell * 1e6:.4g} "
                                   f"um per fixture) in a rigid frame drives the pressure "
                                   f"beyond {min(p_max, 5e9) / 1e6:.4g} MPa: creep does not "
                                   "relax it and the frame grows with it", cells=n,
                                   pressure_max=p_max, history=hist)
                break
            if p_max > band.high * (1 + 1e-9):
                d = PressingDesign("fixed_gap_frame", preload, False,
                                   f"the breathing ({per_fix * stack.swing_per_cell * 1e6:.4g} "
                                   f"um per fixture) in a rigid frame drives the pressure to "
                                   f"{p_max / 1e6:.4g} MPa, above the band's "
                                   f"{band.high / 1e6:.4g} MPa (creep relaxes "
                                   f"{_relaxed(hist, p_max):.3g} MPa of it over the cycles)",
                                   cells=n, pressure_max=p_max, history=hist)
                break
            p_min = float(np.min(p))
            if p_min < band.low * (1 - 1e-9):
                lift = " (the stack lifts off the plates)" if p_min <= 0.0 else ""
                d = PressingDesign("fixed_gap_frame", preload, False,
                                   f"creep of the metal layers in the rigid frame lets the "
                                   f"pressure fall to {p_min / 1e6:.4g} MPa over the "
                                   f"cycles{lift}, below the band's {band.low / 1e6:.4g} MPa "
                                   f"(peak {p_max / 1e6:.4g} MPa)", cells=n,
                                   pressure_max=p_max, pressure_min=p_min, history=hist)
                break
            if abs(p_max - p_design) <= FIXED_POINT_RTOL * p_design:
                d = PressingDesign("fixed_gap_frame", preload, True, fixture=fix, cells=n,
                                   pressure_min=float(np.min(p)), pressure_max=p_max,
                                   pressure_min_end_of_life=float(np.min(p)),
                                   face_pressure_variation=fix.pressure_nonuniformity,
                                   compliance=cf, gain=_gain(stack, preload, p_max),
                                   free_sizes={"plate_material":
                                               resolve_material(mat, "material").name,
                                               "fixed_point_iterations": it},
                                   history=hist)
                break
            p_design = max(p_max, preload)
        if d is None:
            d = PressingDesign("fixed_gap_frame", preload, False,
                               "the frame sizing did not converge", cells=n)
        last = d
        best = _better(best, d, stack)
    return best or last


def _relaxed(hist: dict, p_max: float) -> float:
    """Pressure lost by creep between the peak and the end of the marched cycles, MPa."""
    p = np.asarray(hist.get("stack_pressure_Pa", []))
    if "time_s" not in hist or len(p) < 2:
        return 0.0
    socs = np.asarray(hist["soc"])
    top = np.isclose(socs, np.max(socs))
    return float(max(p[top][0] - p[top][-1], 0.0)) / 1e6 if top.sum() > 1 else 0.0


def _march_column(stack: ModuleStack, compliance_per_unit: float, preload: float):
    """(time, soc, pressure) of one repeat unit in the frame over the cycles of ``path``."""
    col = stack.column(compliance_per_unit, preload)
    socs, dts = stack.path
    t, out_t, out_s, out_p = 0.0, [0.0], [float(socs[0])], [preload]
    for s, dt in zip(socs[1:], dts[1:], strict=True):
        state = col.step(float(s), float(dt))
        t += float(dt)
        out_t.append(t)
        out_s.append(float(s))
        out_p.append(state.pressure)
    return np.array(out_t), np.array(out_s), np.array(out_p)


# --------------------------------------------------------------------------- pads
def _pad_part(pad, total: float, cell: CellDesign, count: int, fixtures: int = 1,
              name: str = "foam_pads", preload: float = 0.0) -> Part:
    """Foam pads of total free thickness ``total``; volume as installed (at the preload)."""
    area = cell.face_length * cell.face_width
    installed = total * (1.0 - pad.strain(preload))
    vol = installed * area * fixtures
    mass = total * area * fixtures * pad.density
    return Part(name, pad.name, count * fixtures,
                {"length": cell.face_length, "width": cell.face_width,
                 "thickness": total / max(count, 1)},
                mass, vol, extra={"total_thickness_m": total,
                                  "installed_thickness_m": installed})


def _pad_pressures(stack: ModuleStack, pad, total: float, cells: int, frame_c: float,
                   preload: float):
    """(BOL pressures over the SOCs, EOL pressures, pad strain max)."""
    from .pads import PadStack

    ps = PadStack(pad, total, cells, stack.cell_compliance, frame_c, preload)
    bol = np.array([ps.pressure(float(b)) for b in stack.breathing])
    eol = np.array([ps.pressure(float(b), aged=True) for b in stack.breathing])
    strain_max = pad.strain(float(np.max(bol))) if np.all(np.isfinite(bol)) else math.inf
    return bol, eol, strain_max


def _design_pads_one(stack: ModuleStack, preload: float, band: Band, opts: PressingOptions,
                     grade: str, frame_fn: Callable, name: str) -> PressingDesign:
    """Pads of one grade in a rigid frame.

    ``frame_fn(p_design, total) -> (Fixture with the pads, frame compliance)``.
    """
    from .pads import get_pad, pad_thickness_for_band

    pad = get_pad(grade, "pad_grades")
    n = stack.cells
    if preload >= pad.max_stress:
        return PressingDesign(name, preload, False,
                              f"{grade} holds at most {pad.max_stress / 1e6:.3g} MPa (strain "
                              f"{pad.max_strain:.2f}, 0.8 of densification)", cells=n,
                              free_sizes={"pad_grade": grade})
    p_hi = min(band.high, pad.max_stress)
    if not p_hi > preload:
        return PressingDesign(name, preload, False, "no room above the preload", cells=n)
    breath_max = max(float(np.max(stack.breathing)), 0.0)
    frame_c = 0.0
    total = 0.0
    fix = None
    it = 0
    while it < FIXED_POINT_ITERATIONS:
        it += 1
        total_new = pad_thickness_for_band(pad, n, breath_max, stack.cell_compliance,
                                           frame_c, preload, p_hi)
        # the pads must also not unload below the band at the thinnest state, at end of life
        total_new = max(total_new, 1e-4 * n)  # >= 0.1 mm per cell (manufacturable) [assumed]
        fix, frame_c_new = frame_fn(p_hi, total_new)
        if abs(total_new - total) <= 1e-6 * total_new and abs(frame_c_new - frame_c) <= \
                1e-6 * max(frame_c_new, 1e-30):
            total, frame_c = total_new, frame_c_new
            break
        total, frame_c = total_new, frame_c_new
    bol, eol, strain_max = _pad_pressures(stack, pad, total, n, frame_c, preload)
    pmin_eol = float(np.min(eol))
    d = PressingDesign(name, preload, True, fixture=fix, cells=n,
                       pressure_min=float(np.min(bol)), pressure_max=float(np.max(bol)),
                       pressure_min_end_of_life=pmin_eol,
                       face_pressure_variation=fix.pressure_nonuniformity,
                       compliance=frame_c + total * pad.strain(preload) / preload / 1.0,
                       gain=_gain(stack, preload, float(np.max(bol))),
                       free_sizes={"pad_grade": grade, "pad_total_thickness_m": total,
                                   "pad_thickness_per_cell_m": total / n,
                                   "pad_strain_assembly": pad.strain(preload),
                                   "pad_strain_max": strain_max, "fixed_point_iterations": it},
                       history={"soc": stack.socs, "stack_pressure_Pa": bol,
                                "stack_pressure_end_of_life_Pa": eol})
    if strain_max > pad.max_strain * (1 + 1e-9):
        d.feasible = False
        d.reason = f"pad strain {strain_max:.2f} beyond its working range {pad.max_strain:.2f}"
    elif pmin_eol < band.low * (1 - 1e-9):
        d.feasible = False
        d.reason = (f"compression set ({pad.compression_set:.0%}) drops the pressure to "
                    f"{pmin_eol / 1e6:.3g} MPa at end of life, below {band.low / 1e6:.3g} MPa")
    return d


def design_pads(stack: ModuleStack, preload: float, band: Band,
                opts: PressingOptions) -> PressingDesign:
    """Foam pads between the cells of a module, end plates and tension members.

    Always one frame per module (``level`` applies to the tie-rod architectures).
    """
    fo = dataclasses.replace(opts.fixture, level="module")
    n = stack.cells
    best, last = None, None
    for mat in _materials(opts):
        for grade in opts.pad_grades:
            def frame_fn(p_design, total, mat=mat, grade=grade):
                from .pads import get_pad

                pad = get_pad(grade, "pad_grades")
                c_pad = total * pad.strain(preload) / preload  # secant, per module
                o = dataclasses.replace(fo, end_pad_thickness=0.0)
                fix = _frame(stack, o, p_design, cells=n, extra_thickness_per_cell=total / n,
                             stack_compliance_per_cell=stack.cell_compliance + c_pad / n,
                             material=mat)
                fix = dataclasses.replace(fix, parts=fix.parts + [_pad_part(
                    pad, total, stack.cell, n + 1, fix.fixtures_per_module,
                    preload=preload)])
                return fix, areal_compliance(fix)["total"]

            try:
                d = _design_pads_one(stack, preload, band, opts, grade, frame_fn,
                                     "compression_pads")
            except InputError as exc:
                d = PressingDesign("compression_pads", preload, False, exc.message, cells=n)
            if d.fixture is not None:
                d.free_sizes["plate_material"] = resolve_material(mat, "material").name
            last = d
            best = _better(best, d, stack)
    return best or last


# --------------------------------------------------------------------------- cell to pack
def _ctp_frame(stack: ModuleStack, fo: FixtureOptions, p_design: float, cells: int,
               total_pad: float, c_pad: float, material, min_wall: float):
    """End walls + lid/floor tension sheets of a cell-to-pack row (Fixture, compliance)."""
    from .plate import size_plate

    cell = stack.cell
    mat = resolve_material(material, "material")
    s_allow = mat.yield_stress / fo.safety_factor
    fl, fw = cell.footprint_m
    c = fo.rod_clearance
    span = cell.face_width + 2 * c          # the wall spans the cell height, floor to lid
    length = fl                               # along the face length
    delta = p_design * (cells * stack.cell_compliance + c_pad)
    w_allow = fo.pressure_variation * delta / 2.0
    # a strip held on two edges (floor and lid): Roark Table 8.1 case 2e
    sizing = size_plate(p_design, length, span, mat, s_allow, w_allow, support="two_edges",
                        method="roark")
    t_w = max(sizing.thickness_m, min_wall)
    force = p_design * cell.face_length * cell.face_width
    t_t = max(force / (2.0 * s_allow * fl), min_wall)   # lid and floor, each F/2
    row = cells * cell.thickness_m + total_pad
    walls_vol = 2 * t_w * length * span
    sheets_vol = 2 * t_t * fl * (row + 2 * t_w)
    parts = [Part("end_wall", mat.name, 2, {"length": length, "height": span, "thickness": t_w},
                  walls_vol * mat.density, walls_vol),
             Part("lid_floor_tension", mat.name, 2,
                  {"length": row + 2 * t_w, "width": fl, "thickness": t_t},
                  sheets_vol * mat.density, sheets_vol,
                  extra={"force_N": force / 2})]
    env = (row + 2 * t_w, fl, span + 2 * t_t)
    nonuni = 2 * sizing.deflection_m / delta if delta > 0 else math.inf
    fix = Fixture(parts=parts, pressure_Pa=p_design, force_N=force, cells_per_module=cells,
                  fixtures_per_module=1, options=None, plate=sizing, spring=None,
                  allowable_stress_Pa=s_allow, allowable_deflection_m=w_allow,
                  stack_compression_m=delta, pressure_nonuniformity=nonuni, envelope_m=env,
                  stack_volume_m3=cells * cell.volume_m3)
    # compliance: both walls bow (mean deflection, beam: 0.64 of the peak), sheets stretch
    area = cell.face_length * cell.face_width
    c_walls = 2.0 * 0.64 * sizing.deflection_m / p_design
    c_sheets = area * (row + 2 * t_w) / (2.0 * mat.youngs_modulus * t_t * fl)
    return fix, c_walls + c_sheets


def design_cell_to_pack(stack: ModuleStack, preload: float, band: Band,
                        opts: PressingOptions) -> PressingDesign:
    """A pack row of cells with foam pads between end walls held by the lid and floor."""
    fo = opts.fixture
    row = stack.with_cells(opts.ctp_cells_per_row)
    best, last = None, None
    for mat in _materials(opts):
        for grade in opts.pad_grades:
            def frame_fn(p_design, total, mat=mat, grade=grade):
                from .pads import get_pad

                pad = get_pad(grade, "pad_grades")
                c_pad = total * pad.strain(preload) / preload
                fix, cf = _ctp_frame(row, fo, p_design, row.cells, total, c_pad, mat,
                                     opts.min_wall)
                fix = dataclasses.replace(fix, parts=fix.parts + [_pad_part(
                    pad, total, row.cell, row.cells + 1, preload=preload)])
                return fix, cf

            try:
                d = _design_pads_one(row, preload, band, opts, grade, frame_fn, "cell_to_pack")
            except InputError as exc:
                d = PressingDesign("cell_to_pack", preload, False, exc.message, cells=row.cells)
            d.packing = "cell_to_pack"
            if d.fixture is not None:
                d.free_sizes["wall_material"] = resolve_material(mat, "material").name
            last = d
            best = _better(best, d, stack)
    return best or last


# --------------------------------------------------------------------------- enclosure
def design_enclosure(stack: ModuleStack, preload: float, band: Band,
                     opts: PressingOptions) -> PressingDesign:
    """The module in a gas-filled cylinder with hemispherical heads (isostatic)."""
    from .enclosure import boyle_pressure, size_enclosure

    fo = opts.fixture
    cell = stack.cell
    n = stack.cells
    fl, fw = cell.footprint_m
    block = (fl, fw, n * (cell.thickness_m + max(float(np.max(stack.breathing)), 0.0)))
    area = cell.face_length * cell.face_width
    dv = n * area * stack.breathing
    dv_range = (float(np.min(dv)), float(np.max(dv)))
    best, last = None, None
    for m in _materials(opts):
        mat = resolve_material(m, "material")
        s_allow = mat.yield_stress / fo.safety_factor
        p_design = preload
        enc, p = None, None
        it = 0
        while it < FIXED_POINT_ITERATIONS:
            it += 1
            enc = size_enclosure(p_design, preload, block, n * cell.volume_m3, dv_range, mat,
                                 s_allow, band.high, band.low, temperature=opts.temperature,
                                 clearance=opts.enclosure_clearance, min_wall=opts.min_wall)
            p = np.array([boyle_pressure(preload, enc.gas_volume_m3, float(v)) for v in dv])
            p_max = float(np.max(p))
            if not math.isfinite(p_max):
                break
            if abs(p_max - p_design) <= FIXED_POINT_RTOL * p_design:
                break
            p_design = max(p_max, preload)
        if p is None or not np.all(np.isfinite(p)):
            d = PressingDesign("pressurised_enclosure", preload, False,
                               "the cells' breathing fills the gas volume", cells=n)
        else:
            r, t, th = enc.radius_m, enc.wall_m, enc.head_wall_m
            parts = [Part("vessel_shell", mat.name, 1,
                          {"radius": r, "length": enc.cylinder_length_m, "thickness": t},
                          enc.wall_mass_kg, enc.wall_mass_kg / mat.density,
                          extra={"axis": enc.axis}),
                     Part("vessel_heads", mat.name, 2, {"radius": r, "thickness": th},
                          enc.head_mass_kg, enc.head_mass_kg / mat.density),
                     Part("fill_gas", "N2", 1, {"volume": enc.gas_volume_m3},
                          enc.gas_mass_kg, 0.0)]
            if enc.reservoir_mass_kg > 0:
                parts.append(Part("gas_reservoir", mat.name, 1,
                                  {"radius": enc.reservoir_radius_m,
                                   "thickness": enc.reservoir_wall_m},
                                  enc.reservoir_mass_kg, enc.reservoir_mass_kg / mat.density))
            fix = Fixture(parts=parts, pressure_Pa=p_design, force_N=p_design * area,
                          cells_per_module=n, fixtures_per_module=1, options=None, plate=None,
                          spring=None, allowable_stress_Pa=s_allow,
                          allowable_deflection_m=math.inf, stack_compression_m=0.0,
                          pressure_nonuniformity=0.0, envelope_m=enc.envelope_m,
                          stack_volume_m3=n * cell.volume_m3)
            p_max = float(np.max(p))
            d = PressingDesign("pressurised_enclosure", preload, True, fixture=fix, cells=n,
                               pressure_min=float(np.min(p)), pressure_max=p_max,
                               pressure_min_end_of_life=float(np.min(p)),
                               face_pressure_variation=0.0,
                               compliance=enc.gas_volume_m3 / (preload * area),
                               gain=_gain(stack, preload, p_max),
                               free_sizes={"wall_material": mat.name, "axis": enc.axis,
                                           "gas_volume_m3": enc.gas_volume_m3,
                                           "wall_thickness_m": t,
                                           "reservoir_radius_m": enc.reservoir_radius_m,
                                           "fixed_point_iterations": it},
                               history={"soc": stack.socs, "stack_pressure_Pa": p})
            if not (band.contains(p_max) and band.contains(float(np.min(p)))):
                d.feasible = False
                d.reason = "the gas pressure leaves the band"
        last = d
        best = _better(best, d, stack)
    return best or last


DESIGNERS = {"tie_rods_springs": design_springs, "compression_pads": design_pads,
             "fixed_gap_frame": design_frame, "pressurised_enclosure": design_enclosure,
             "cell_to_pack": design_cell_to_pack}


def design(architecture: str, stack: ModuleStack, preload: float, window: Band | None,
           opts: PressingOptions) -> PressingDesign:
    """Size ``architecture`` at ``preload`` (module docstring); never raises on physics.

    Raises:
        InputError: an unknown architecture or invalid options.
    """
    if architecture not in DESIGNERS:
        from interface.schema import suggest

        raise InputError(f"unknown architecture '{architecture}'"
                         f"{suggest(architecture, list(DESIGNERS))}", key="architectures")
    if not (math.isfinite(preload) and preload > 0):
        raise InputError(f"the preload must be > 0 Pa, got {preload!r}", key="preload")
    band = sizing_band(window, preload, opts.pressure_band)
    d = DESIGNERS[architecture](stack, preload, band, opts)
    if d.feasible:
        _check_band(d, band, window)
    return d
