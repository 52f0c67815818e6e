"""Case-file sections of the lab-jig pellet cell: [jig] and [cell] (model jig).

``cell.variant`` chooses the electrodes of a sulfide pellet cell with the defaults a lab
would use (every thickness and loading is documented in docs/theory/stack.md, "Pellet
cells in lab jigs"); the other [cell] keys change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec

VARIANTS = ("graphite_lpscl_nmc811", "lto_lpscl_nmc811", "in_lpscl_nmc811", "in_lpscl_lco",
            "li_lpscl_nmc811")


@dataclass(frozen=True)
class JigSpec:
    """The ``[jig]`` table: the frame that holds the pellet cell, with its load cell.

    ``fixed_gap``: a bolted steel frame of finite stiffness (load cell, bolts, plates and
    stamps in series); ``spring``: a constant-load spring of finite rate in series with the
    frame.  The stack pressure is read by the load cell.
    """

    type: str = spec("choice", choices=("fixed_gap", "spring"), default="fixed_gap",
                     doc="fixed_gap (stiff frame) or spring (constant-load spring)")
    frame_stiffness: float = spec("quantity", unit="N/m", gt=0, default="3e7 N/m",
                                  doc="axial stiffness of the frame (load cell, bolts, plates, "
                                      "stamps in series) [derived estimate, "
                                      "docs/theory/stack.md]")
    spring_rate: float = spec("quantity", unit="N/m", gt=0, default="2e5 N/m",
                              doc="spring: rate of the load spring (preload reached after "
                                  "~2 mm of travel at 5 MPa on 10 mm) [assumed]")
    metal_interface: str = spec("choice", choices=("stick", "slip"), default="stick",
                                doc="metal foils against stamp and pellet: stick (squeeze "
                                    "flow with no slip) or slip (frictionless)")


@dataclass(frozen=True)
class JigCellSpec:
    """The ``[cell]`` table of the jig model: a sulfide pellet cell and its cycling."""

    variant: str = spec("choice", choices=VARIANTS,
                        doc="electrodes: counter electrode _ electrolyte _ cathode")
    stack_pressure: float = spec("quantity", unit="Pa", gt=0, default="50 MPa",
                                 doc="stack pressure set at assembly (discharged)")
    pellet_diameter: float = spec("quantity", unit="m", gt=0, default="10 mm",
                                  doc="pellet (and electrode) diameter")
    separator_thickness: float = spec("quantity", unit="m", gt=0, default="400 um",
                                      doc="Li6PS5Cl pellet separator thickness")
    fabrication_pressure: float = spec("quantity", unit="Pa", gt=0, default="370 MPa",
                                       doc="pressure the pellet stack was pressed at")
    cathode_loading: float = spec("quantity", unit="kg/m^2", gt=0, default="12 mg/cm^2",
                                  doc="cathode active-material loading")
    cathode_active_fraction: float = spec("number", gt=0, lt=1, default=0.7,
                                          doc="cathode active-material mass fraction (rest: "
                                              "Li6PS5Cl)")
    anode_active_fraction: float = spec("number", gt=0, lt=1, default=0.6,
                                        doc="graphite / LTO mass fraction of the composite "
                                            "anode (rest: Li6PS5Cl)")
    composite_porosity: float = spec("number", ge=0, lt=0.5, default=0.15,
                                     doc="porosity of the composite electrodes")
    n_to_p: float = spec("number", gt=0, default=1.2,
                         doc="negative-to-positive capacity ratio of composite anodes")
    indium_thickness: float = spec("quantity", unit="m", gt=0, default="100 um",
                                   doc="In foil thickness (In variants)")
    lithium_thickness: float = spec("quantity", unit="m", gt=0, default="50 um",
                                    doc="Li foil thickness at assembly (Li variant)")
    temperature: float = spec("quantity", unit="K", gt=0, default="298.15 K",
                              doc="cell temperature")
    c_rate: float = spec("number", gt=0, default=0.1,
                         doc="C-rate of charge and discharge (1C: the nominal capacity in 1 h)")
    cycles: int = spec("integer", ge=1, le=1000, default=2,
                       doc="full cycles (charge + discharge); the swing is taken over the "
                           "last one")
    rest_time: float = spec("quantity", unit="s", ge=0, default="0 s",
                            doc="rest after each charge and each discharge")
    points_per_half_cycle: int = spec("integer", ge=4, le=100000, default=40,
                                      doc="time steps per charge or discharge")

    def validate(self, path: str) -> None:
        """The stack pressure must not exceed the fabrication pressure by much of nothing."""
        if self.stack_pressure > self.fabrication_pressure:
            raise InputError(f"stack pressure {self.stack_pressure:g} Pa above the "
                             f"fabrication pressure {self.fabrication_pressure:g} Pa: the "
                             "pellets would compact further (raise fabrication_pressure)",
                             key=f"{path}.stack_pressure")
