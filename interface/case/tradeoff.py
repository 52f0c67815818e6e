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


@dataclass(frozen=True)
class PackSpec:
    """The ``[system.pack]`` table: modules as a fraction of the pack."""

    mass_fraction: float = spec("number", gt=0, le=1, default=0.85,
                                doc="module mass / pack mass [assumed]")
    volume_fraction: float = spec("number", gt=0, le=1, default=0.70,
                                  doc="module volume / pack volume [assumed]")


@dataclass(frozen=True)
class SystemSpec:
    """The ``[system]`` table: cell, fixture hardware and pack."""

    cell: CellSpec = spec("table", item=CellSpec, default=dict, doc="the pouch cell")
    fixture: FixtureHardwareSpec = spec("table", item=FixtureHardwareSpec, default=dict,
                                        doc="the fixture hardware (interface/system/fixture.py)")
    pack: PackSpec = spec("table", item=PackSpec, default=dict, doc="module -> pack")


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

    def validate(self, path: str) -> None:
        """The grid must be increasing; integer cell counts."""
        if self.pressure_max <= self.pressure_min:
            raise InputError(f"pressure_max ({self.pressure_max:g} Pa) must exceed "
                             f"pressure_min ({self.pressure_min:g} Pa)",
                             key=f"{path}.pressure_max")
        for i, n in enumerate(self.cells_per_module):
            if n != int(n):
                raise InputError(f"expected whole cells, got {n:g}",
                                 key=f"{path}.cells_per_module[{i}]")
