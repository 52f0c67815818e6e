"""Case-file section of the material creep test: [creep_test]."""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec


@dataclass(frozen=True)
class CreepTestSpec:
    """The ``[creep_test]`` table: constant-stress creep tests of a metal at one material point.

    The material's elastic constants, yield stress and power-law creep law come from the
    library (``ssbi materials Li``) or ``[materials.<name>]``; each stress is held for
    ``duration`` (uniaxial tension, laterally free) and the steady inelastic strain rate
    is reported, as in a laboratory creep test.
    """

    material: str = spec("string", default="Li", doc="a material with yield_stress and creep")
    stresses: tuple[float, ...] = spec("quantities", unit="Pa", gt=0, min_items=1,
                                       doc="applied uniaxial stresses (one test each)")
    temperature: float = spec("quantity", unit="K", gt=0, default="298.15 K",
                              doc="test temperature")
    activation_energy: float | None = spec(
        "quantity", unit="J/mol", ge=0, default=None,
        doc="creep activation energy (default: the material's, or 37 kJ/mol for a material "
            "without one [assumed])")
    duration: float = spec("quantity", unit="s", gt=0, default="1 h",
                           doc="hold time of each test")
    steps: int = spec("integer", ge=10, le=100000, default=60,
                      doc="time steps per test (geometrically growing)")
    plasticity: bool = spec("boolean", default=True,
                            doc="include the rate-independent yield cap (Perzyna-regularised "
                                "above the yield stress)")

    def validate(self, path: str) -> None:
        """Distinct stresses."""
        for i, s in enumerate(self.stresses):
            if s in self.stresses[:i]:
                raise InputError(f"duplicate stress {s:g} Pa", key=f"{path}.stresses[{i}]")
