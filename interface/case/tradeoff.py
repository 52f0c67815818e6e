"""Case-file sections of the trade-off model: [system] (cell, fixture, pack) and [tradeoff]."""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec
from interface.system.fixture import FixtureHardwareSpec


@dataclass(frozen=True)
class CellSpec:
    """The ``[system.cell]`` table: the pouch cell built from the stack's repeat unit."""

    face_length: float = spec("quantity", unit="m", gt=0, default="100 mm",
                              doc="electrode face length")
    face_width: float = spec("quantity", unit="m", gt=0, default="80 mm",
                             doc="electrode face width")
    repeat_units: int = spec("integer", ge=1, le=1000, default=10,
                             doc="repeat units of [stack] (Al | cathode | separator | anode "
                                 "| Cu) in one cell")
    pouch_areal_mass: float = spec("quantity", unit="kg/m^2", ge=0, default="0.16 kg/m^2",
                                   doc="one Al-laminate pouch sheet [assumed]")
    pouch_thickness: float = spec("quantity", unit="m", ge=0, default="113 um",
                                  doc="one pouch sheet")
    seal_width: float = spec("quantity", unit="m", ge=0, default="5 mm",
                             doc="seal margin around the face")
    tab_mass: float = spec("quantity", unit="kg", ge=0, default="1.4 g", doc="both tabs")
    tab_length: float = spec("quantity", unit="m", ge=0, default="15 mm",
                             doc="tab protrusion beyond the seal")
    construction: str = spec("choice", choices=("double_sided", "single_sided"),
                             default="double_sided",
                             doc="double_sided: electrodes coated on both sides of shared "
                                 "current collectors (cathode | Al | cathode, Li | Cu | Li), "
                                 "as multilayer pouch cells are built; single_sided: every "
                                 "repeat unit of [stack] with its own collectors")


@dataclass(frozen=True)
class PackSpec:
    """The ``[system.pack]`` table: modules as a fraction of the pack."""

    mass_fraction: float = spec("number", gt=0, le=1, default=0.85,
                                doc="module mass / pack mass [assumed]")
    volume_fraction: float = spec("number", gt=0, le=1, default=0.70,
                                  doc="module volume / pack volume [assumed]")
    ctp_mass_fraction: float = spec("number", gt=0, le=1, default=0.92,
                                    doc="cell-to-pack: (cells + pressing structure) mass / "
                                        "pack mass [assumed]")
    ctp_volume_fraction: float = spec("number", gt=0, le=1, default=0.80,
                                      doc="cell-to-pack: (cells + pressing structure) volume "
                                          "/ pack volume [assumed]")
    ctp_cells_per_row: int = spec("integer", ge=1, le=100000, default=100,
                                  doc="cell-to-pack: cells in a row between the two end walls "
                                      "of the pack [assumed]")


@dataclass(frozen=True)
class PressingSpec:
    """The ``[system.pressing]`` table: choices of the pressing architectures.

    The architectures and their physics are in interface/system/architectures.py; the
    hardware common to the tie-rod designs (plates, rods, springs, safety factor, face
    uniformity) is [system.fixture].
    """

    plate_materials: tuple | None = spec("values", default=None, min_items=1,
                                  doc="plate / wall / vessel materials tried, the lightest "
                                      "feasible kept (default: [system.fixture] material)")
    pad_grades: tuple = spec("values", min_items=1,
                             default=["poron_4701_30_320", "poron_4701_30_400"],
                             doc="foam pad grades tried (interface/system/pads.py FOAM_PADS)")
    min_wall: float = spec("quantity", unit="m", gt=0, default="1 mm",
                           doc="thinnest vessel wall / tension sheet / end wall [assumed]")
    enclosure_clearance: float = spec("quantity", unit="m", ge=0, default="3 mm",
                                      doc="gap between the stack and the vessel wall")
    pressure_band: float = spec("number", gt=0, default=1.0,
                                doc="where no window applies (window none, or a preload "
                                    "outside it) the hardware keeps the pressure in "
                                    "[P0 / (1 + b), P0 (1 + b)] [assumed]")
    frame_cycles: int = spec("integer", ge=1, le=1000, default=2,
                             doc="cycles the fixed-gap frame's stack column is marched through "
                                 "(creep relaxation)")
    frame_steps_per_half_cycle: int = spec("integer", ge=2, le=10000, default=20,
                                           doc="time steps per charge or discharge of the "
                                               "column")

    def validate(self, path: str) -> None:
        """Known pad grades, material names as strings."""
        from interface.system.pads import FOAM_PADS

        for i, g in enumerate(self.pad_grades):
            if g not in FOAM_PADS:
                from interface.schema import suggest

                raise InputError(f"unknown foam pad grade {g!r}{suggest(str(g), list(FOAM_PADS))}"
                                 f"; known: {', '.join(FOAM_PADS)}",
                                 key=f"{path}.pad_grades[{i}]")
        for i, m in enumerate(self.plate_materials or ()):
            if not isinstance(m, str):
                raise InputError(f"expected a material name, got {m!r}",
                                 key=f"{path}.plate_materials[{i}]")


@dataclass(frozen=True)
class SystemSpec:
    """The ``[system]`` table: cell, fixture hardware and pack."""

    cell: CellSpec = spec("table", item=CellSpec, default=dict, doc="the pouch cell")
    fixture: FixtureHardwareSpec = spec("table", item=FixtureHardwareSpec, default=dict,
                                        doc="the fixture hardware (interface/system/fixture.py)")
    pack: PackSpec = spec("table", item=PackSpec, default=dict, doc="module -> pack")
    pressing: PressingSpec = spec("table", item=PressingSpec, default=dict,
                                  doc="pressing architectures (pads, vessel, frame choices)")


@dataclass(frozen=True)
class WindowSpec:
    """The ``[tradeoff.window]`` table: the Li-metal pressure window the design must respect.

    (P_min, P_max) from :func:`interface.system.pressure_window`: P_min where the critical
    stripping current reaches the design current density (voids below it), P_max where
    Li filaments cross the separator within the service life (docs/theory/li_window.md).
    Defaults describe the anode side of the case's own cell; parameters not listed here
    take the defaults of the li_symmetric model's [cell] table.
    """

    model: str = spec("choice", choices=("auto", "li_metal", "none"), default="auto",
                      doc="auto: the Li-metal window when [stack] has a Li-metal or "
                          "anode-free anode, else none (no window)")
    current_density: float | None = spec(
        "quantity", unit="A/m^2", gt=0, default=None,
        doc="design stripping / plating current density (default: the trade-off C-rate x "
            "the cell's areal capacity)")
    service_life: float = spec("quantity", unit="s", gt=0, default="1000 h",
                               doc="required time to short when cycled at the design "
                                   "current [assumed]")
    temperature: float | None = spec("quantity", unit="K", gt=0, default=None,
                                     doc="cell temperature (default: [electrochem] "
                                         "temperature)")
    hold_time: float = spec("quantity", unit="s", ge=0, default="1 h",
                            doc="time at pressure before operation (contact creep)")
    separator_thickness: float | None = spec(
        "quantity", unit="m", gt=0, default=None,
        doc="separator thickness (default: the [stack] separator layer's)")
    separator_porosity: float | None = spec(
        "number", ge=0, lt=1, default=None,
        doc="separator porosity (default: the [stack] separator layer's porosity)")
    grain_size: float = spec("quantity", unit="m", gt=0, default="10 um",
                             doc="electrolyte grain size: asperity size of the surface and "
                                 "pore size of the separator [assumed]")
    pore_radius: float | None = spec("quantity", unit="m", gt=0, default=None,
                                     doc="separator pore radius (default: from grain size "
                                         "and porosity)")
    supply_factor: float = spec("number", gt=0, default=0.77,
                                doc="beta of the critical stripping current, fitted on "
                                    "Kasemchainan et al. 2019 (cases/parameters/"
                                    "li_stripping.toml)")


ARCHITECTURE_NAMES = ("tie_rods_springs", "compression_pads", "fixed_gap_frame",
                      "pressurised_enclosure", "cell_to_pack")


@dataclass(frozen=True)
class TradeoffSpec:
    """The ``[tradeoff]`` table: the pressure grid, the electrochemistry and the studies.

    The stack pressure of the grid is the preload set at assembly (reference SOC);
    with a fixture of finite stiffness the pressure then follows the SOC (stack
    model) and the hardware is sized for the largest pressure of the cycle.
    """

    pressure_min: float = spec("quantity", unit="Pa", ge=1.0, default="0.1 MPa",
                               doc="lowest preload of the grid")
    pressure_max: float = spec("quantity", unit="Pa", ge=1.0, default="50 MPa",
                               doc="highest preload of the grid")
    pressure_points: int = spec("integer", ge=3, le=500, default=17,
                                doc="grid points (log-spaced)")
    c_rate: float = spec("number", gt=0, default=0.5, doc="discharge C-rate")
    coupling: str = spec("choice", choices=("two_way", "one_way"), default="two_way",
                         doc="two_way: the pressure follows the SOC during the discharge "
                             "(the stack in its sized fixture); one_way: constant preload")
    cycles: int = spec("integer", ge=0, le=2000, default=20,
                       doc="cycles for the retained capacity (Pareto view; 0: none)")
    spring_travel: str = spec("choice", choices=("stack_model", "fixture"),
                              default="stack_model",
                              doc="springs sized for the breathing the stack model predicts, "
                                  "or for [system.fixture] spring_travel_per_cell")
    area_factors: tuple[float, ...] = spec("numbers", gt=0, default=[0.25, 4.0],
                                           doc="sensitivity: cell face area x factor")
    cells_per_module: tuple[float, ...] = spec("numbers", ge=1, default=[5, 50],
                                               doc="sensitivity: cells per module")
    c_rates: tuple[float, ...] = spec("numbers", gt=0, default=[0.2, 1.0],
                                      doc="sensitivity: discharge C-rates")
    interface_improvements: tuple[float, ...] = spec(
        "numbers", gt=1, default=[2.0, 5.0, 10.0],
        doc="sensitivity: the interface reaches at P the contact the baseline needs s x P "
            "for (compliant interlayer, better wetting)")
    pressure_free_target: float = spec("quantity", unit="Pa", ge=1.0, default="1 MPa",
                                       doc="the 'pressure-free' design pressure")
    reference_pressure: float | None = spec(
        "quantity", unit="Pa", ge=1.0, default=None,
        doc="the lab pressure whose delivered energy a pressure-free design must match "
            "(default: pressure_max)")
    smoke_pressure_points: int = spec("integer", ge=3, default=7,
                                      doc="--smoke: grid points")
    smoke_cycles: int = spec("integer", ge=0, default=2, doc="--smoke: cycles")
    architectures: tuple = spec("values", min_items=1, default=list(ARCHITECTURE_NAMES),
                                doc="pressing architectures compared at every preload: "
                                    + ", ".join(ARCHITECTURE_NAMES))
    objective: str = spec("choice", choices=("balanced", "pack_Wh_per_kg", "pack_Wh_per_L"),
                          default="balanced",
                          doc="what the optimum maximises: balanced = sqrt(pack Wh/kg x pack "
                              "Wh/L) (mass and volume with equal relative weight), or one of "
                              "them (both single-objective optima are reported too)")
    retention_target: float = spec("number", gt=0, le=1, default=0.8,
                                   doc="capacity retention after `cycles` the optimum must "
                                       "reach")
    reference_mass_ratio: float = spec("number", gt=0, le=1, default=0.55,
                                       doc="pack/cell mass ratio the report compares the "
                                           "optimum with (low end of current Li-ion packs: "
                                           "interface/validation/data/pack_level_ratios*)")
    reference_volume_ratio: float = spec("number", gt=0, le=1, default=0.40,
                                         doc="pack/cell volume ratio compared likewise "
                                             "(module-based Li-ion packs: 0.40-0.50)")
    window: WindowSpec = spec("table", item=WindowSpec, default=dict,
                              doc="the Li-metal pressure window (a constraint of the optimum)")

    def validate(self, path: str) -> None:
        """The grid must be increasing; integer cell counts; known architectures."""
        seen = set()
        for i, a in enumerate(self.architectures):
            if a not in ARCHITECTURE_NAMES:
                from interface.schema import suggest

                raise InputError(f"unknown architecture {a!r}"
                                 f"{suggest(str(a), list(ARCHITECTURE_NAMES))}; known: "
                                 f"{', '.join(ARCHITECTURE_NAMES)}",
                                 key=f"{path}.architectures[{i}]")
            if a in seen:
                raise InputError(f"architecture {a!r} listed twice",
                                 key=f"{path}.architectures[{i}]")
            seen.add(a)
        if self.pressure_max <= self.pressure_min:
            raise InputError(f"pressure_max ({self.pressure_max:g} Pa) must exceed "
                             f"pressure_min ({self.pressure_min:g} Pa)",
                             key=f"{path}.pressure_max")
        for i, n in enumerate(self.cells_per_module):
            if n != int(n):
                raise InputError(f"expected whole cells, got {n:g}",
                                 key=f"{path}.cells_per_module[{i}]")
