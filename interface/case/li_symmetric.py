"""Case-file section of the Li | electrolyte | Li symmetric cell: [cell] (model li_symmetric)."""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec


@dataclass(frozen=True)
class LiSymmetricCellSpec:
    """The ``[cell]`` table of a Li | solid electrolyte | Li symmetric cell.

    Every stack pressure of ``stack_pressures`` is applied to a fresh cell and held for
    ``hold_time`` before the interface is characterised (contact, ASR, critical
    stripping current) and cycled at ``current_density`` (time to short).  Defaults
    describe a cold-pressed Li6PS5Cl pellet cell at 25 C (docs/theory/li_window.md
    gives every source).
    """

    stack_pressures: tuple[float, ...] = spec("quantities", unit="Pa", gt=0, min_items=1,
                                              doc="stack pressures of the sweep")
    current_density: float = spec("quantity", unit="A/m^2", gt=0, default="0.1 mA/cm^2",
                                  doc="cycling (and design) current density")
    half_cycle_time: float = spec("quantity", unit="s", gt=0, default="1 h",
                                  doc="duration of each plating / stripping half cycle")
    temperature: float = spec("quantity", unit="K", gt=0, default="298.15 K",
                              doc="cell temperature")
    hold_time: float = spec("quantity", unit="s", ge=0, default="1 h",
                            doc="time at each pressure before the interface is measured")
    separator_thickness: float = spec("quantity", unit="m", gt=0, default="1 mm",
                                      doc="solid-electrolyte pellet (separator) thickness "
                                          "(Doux et al. 2020: ~1 mm)")
    separator_porosity: float = spec("number", ge=0, lt=1, default=0.18,
                                     doc="pellet porosity (Doux et al. 2020: 18 % after "
                                         "370 MPa cold pressing)")
    grain_size: float = spec("quantity", unit="m", gt=0, default="10 um",
                             doc="electrolyte grain size: the asperity size of the pellet "
                                 "surface [assumed]")
    pore_radius: float | None = spec("quantity", unit="m", gt=0, default=None,
                                     doc="pore radius of the pellet (default: twice the "
                                         "hydraulic radius, porosity d / (3 (1 - porosity)))")
    electrolyte: str = spec("string", default="Li6PS5Cl", doc="electrolyte material")
    li_material: str = spec("string", default="Li",
                            doc="Li material (yield stress and creep law)")
    li_creep_activation_energy: float | None = spec(
        "quantity", unit="J/mol", ge=0, default=None,
        doc="Li creep activation energy (default: the material's, or 37 kJ/mol [assumed])")
    charge_transfer_asr: float = spec("quantity", unit="ohm*m^2", gt=0,
                                      default="11.3 ohm*cm^2",
                                      doc="Li | electrolyte charge-transfer ASR at full "
                                          "contact and 25 C (Shi et al. via Song et al. "
                                          "2025 [secondary])")
    electrolyte_conductivity: float = spec("quantity", unit="S/m", gt=0,
                                           default="2.25 mS/cm",
                                           doc="pellet ionic conductivity at 25 C (Doux et "
                                               "al. 2020: 2-2.5 mS/cm)")
    conductivity_activation_energy: float = spec(
        "quantity", unit="J/mol", ge=0, default="35 kJ/mol",
        doc="activation energy of the conductivity (Singh et al. 2022: 0.35-0.37 eV)")
    asr_activation_energy: float = spec("quantity", unit="J/mol", ge=0, default="35 kJ/mol",
                                        doc="activation energy of the charge-transfer ASR "
                                            "[assumed equal to the conductivity's]")
    self_diffusivity: float = spec("quantity", unit="m^2/s", gt=0, default="8e-15 m^2/s",
                                   doc="Li self-diffusivity at 25 C (Messer & Noack 1975, "
                                       "via Roy et al. 2021)")
    diffusion_activation_energy: float = spec("quantity", unit="J/mol", ge=0,
                                              default="53 kJ/mol",
                                              doc="activation energy of Li self-diffusion "
                                                  "[assumed, ~0.55 eV]")
    supply_factor: float = spec("number", gt=0, default=1.0,
                                doc="beta: geometric factor of the creep and diffusion supply "
                                    "of the contact spots (critical stripping current) "
                                    "[order 1; calibrated: cases/parameters]")
    service_life: float = spec("quantity", unit="s", gt=0, default="1000 h",
                               doc="required time to short (upper bound of the window)")
    pressure_path: tuple[float, ...] = spec(
        "quantities", unit="Pa", ge=0, min_items=2,
        default=["1 MPa", "5 MPa", "25 MPa", "5 MPa", "1 MPa"],
        doc="pressure path of the hysteresis table (each step held for hold_time)")

    def validate(self, path: str) -> None:
        """Distinct, strictly increasing sweep pressures."""
        p = self.stack_pressures
        for i in range(1, len(p)):
            if not p[i] > p[i - 1]:
                raise InputError(f"stack pressures must be strictly increasing "
                                 f"({p[i - 1]:g} Pa then {p[i]:g} Pa)",
                                 key=f"{path}.stack_pressures[{i}]")
