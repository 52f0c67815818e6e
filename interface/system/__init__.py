"""System level: fixture hardware, its mass and volume, and energy density vs pressure.

The fixture holds the stack pressure; its mass and volume lower the energy density of
module and pack.

* :mod:`.plate`: Roark closed forms, the DOLFINx plate model, plate sizing (roark | fe).
* :mod:`.fixture`: end plates, tie rods / straps, springs, pads -> parts, mass, volume.
* :mod:`.energy`: cell / module / pack Wh/kg and Wh/L, trade-off and optimal pressure.
* :mod:`.pressure_window`: (P_min, P_max) of a Li-metal cell (voids vs shorts).
* :mod:`.verify`: verification benchmarks (``interface.verify`` rows).

SI units inside; W.h appears only in output names.
"""

from __future__ import annotations

from .energy import (
    CellDesign,
    CellLayer,
    EnergyDensity,
    Optimum,
    Packaging,
    Packing,
    TradeOff,
    default_cell,
    energy_density,
    energy_density_vs_pressure,
    fixture_for,
    optimal_pressure,
    optimise_pressure,
)
from .fixture import (
    Fixture,
    FixtureOptions,
    Part,
    SpringDesign,
    coil_spring,
    disc_spring_force,
    disc_spring_stack,
    fixture_parts_table,
    size_fixture,
)
from .plate import (
    PlateResult,
    PlateSizing,
    Rib,
    beam_plate,
    navier_coefficients,
    roark_coefficients,
    roark_plate,
    size_plate,
    solve_plate,
)
from .pressure_window import PressureWindow, pressure_window

__all__ = [
    "CellDesign", "CellLayer", "EnergyDensity", "Fixture", "FixtureOptions", "Optimum",
    "Packaging", "Packing", "Part", "PlateResult", "PlateSizing", "PressureWindow", "Rib",
    "SpringDesign", "pressure_window",
    "TradeOff", "beam_plate", "coil_spring", "default_cell", "disc_spring_force",
    "disc_spring_stack", "energy_density", "energy_density_vs_pressure", "fixture_for",
    "fixture_parts_table", "navier_coefficients", "optimal_pressure", "optimise_pressure",
    "roark_coefficients", "roark_plate", "size_fixture", "size_plate", "solve_plate",
]
