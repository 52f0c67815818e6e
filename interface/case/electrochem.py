"""Case-file sections of the electrochemistry model: [electrochem], [contact].

The cell stack and its fixture, for the two-way coupling, are the stack model's
``[stack]``, ``[fixture]`` and ``[soc]`` tables (interface/case/stack.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec


@dataclass(frozen=True)
class ElectrochemSpec:
    """The ``[electrochem]`` table: the cell, the operating conditions and the coupling.

    Physical parameters of the cell come from a cited parameter set
    (interface/electrochem/parameters.py); any PyBaMM parameter the model reads can
    be changed in ``[electrochem.pybamm]`` with PyBaMM's own name, e.g.
    ``"Positive particle radius [m]" = "4 um"`` (a bare number is read in the unit
    named in brackets).  With a ``[stack]`` table the geometry comes from the stack.
    (``--set`` splits key paths at dots, so it cannot reach a name whose unit has a
    dot, such as "[m2.s-1]": change those in the case file.)
    """

    variant: str = spec("choice", choices=("li_metal", "anode_free", "graphite"),
                        default="li_metal",
                        doc="NMC811 | Li6PS5Cl | Li metal, anode-free, or graphite composite "
                            "anode")
    model: str = spec("choice", choices=("DFN", "SPMe"), default="DFN",
                      doc="PyBaMM model (Doyle-Fuller-Newman or single particle with "
                          "electrolyte)")
    c_rates: tuple[float, ...] = spec("numbers", gt=0, min_items=1, default=[0.5],
                                      doc="discharge C-rates (1C: the nominal capacity in "
                                          "one hour)")
    pressures: tuple[float, ...] = spec("quantities", unit="Pa", ge=0, min_items=1,
                                        default=["5 MPa"],
                                        doc="stack pressures of the one-way sweep "
                                            "(constant load)")
    temperature: float = spec("quantity", unit="K", gt=0, default="298.15 K",
                              doc="cell temperature (isothermal; a new temperature "
                                  "rebuilds the model)")
    lower_voltage: float | None = spec("quantity", unit="V", gt=0, default=None,
                                       doc="lower cut-off (default 3.0 V half cell, 2.8 V "
                                           "graphite)")
    upper_voltage: float | None = spec("quantity", unit="V", gt=0, default=None,
                                       doc="upper cut-off (default 4.3 V half cell, 4.25 V "
                                           "graphite)")
    cycles: int = spec("integer", ge=0, le=2000, default=0,
                       doc="CC charge / discharge cycles at each pressure (0: none)")
    cycle_c_rate: float = spec("number", gt=0, default=0.5,
                               doc="C-rate of the cycling (charge and discharge)")
    dead_lithium_fraction: float = spec("number", ge=0, lt=1, default=0.0,
                                        doc="fraction of the Li plated per charge that "
                                            "becomes dead Li (half cells) [assumed]")
    coupling_step: float = spec("quantity", unit="s", gt=0, default="5 min",
                                doc="coupling step of the two-way (stack) coupling")
    coupling_scheme: str = spec("choice", choices=("midpoint", "explicit"),
                                default="midpoint",
                                doc="midpoint (predictor-corrector, 2nd order) or explicit "
                                    "(lagged pressure, 1st order)")
    curve_points: int = spec("integer", ge=11, le=100000, default=101,
                             doc="output points of each one-way voltage curve")
    rtol: float = spec("number", gt=0, lt=1, default=1e-6,
                       doc="relative tolerance of the PyBaMM solver (IDAKLU)")
    atol: float = spec("number", gt=0, lt=1, default=1e-6,
                       doc="absolute tolerance (the capacity / energy counters get "
                           "min(atol, 1e-10))")
    smoke_pressures: int = spec("integer", ge=1, default=2,
                                doc="--smoke: at most this many pressures (first and last "
                                    "kept); the two-way coupling runs at the highest C-rate "
                                    "only, without cycles")
    smoke_cycles: int = spec("integer", ge=0, default=2, doc="--smoke: at most this many "
                                                             "cycles")
    pybamm: dict = spec("raw", default=dict,
                        doc="PyBaMM parameter overrides: \"Name [unit]\" = value (validated "
                            "against the names the model reads)")

    def validate(self, path: str) -> None:
        """Distinct pressures and C-rates; lower below upper cut-off."""
        for name in ("pressures", "c_rates"):
            values = getattr(self, name)
            for i, v in enumerate(values):
                if v in values[:i]:
                    raise InputError(f"duplicate value {v:g}", key=f"{path}.{name}[{i}]")
        if (self.lower_voltage is not None and self.upper_voltage is not None
                and self.lower_voltage >= self.upper_voltage):
            raise InputError(f"lower_voltage {self.lower_voltage:g} V must be below "
                             f"upper_voltage {self.upper_voltage:g} V",
                             key=f"{path}.lower_voltage")


@dataclass(frozen=True)
class CathodeContactSpec:
    """The ``[contact.cathode]`` table: the cathode contact map f_c(P, x), phi_iso(P, x).

    ``analytic``: the stand-in AnalyticCathodeMap (f0, p_half, shrink_sensitivity,
    phi_max); ``tabulated``: the map computed by the cathode-interface model
    (``results``: a results.h5 with tables/contact_map); ``constant``: the same f_c
    and phi_iso everywhere (contact_fraction, isolated_fraction).
    """

    map: str = spec("choice", choices=("analytic", "tabulated", "constant"),
                    default="analytic", doc="which contact map")
    results: str = spec("string", default="",
                        doc="tabulated: results.h5 of the cathode-interface model (relative "
                            "to the case file)")
    table: str = spec("string", default="contact_map",
                      doc="tabulated: the table inside results.h5")
    f0: float = spec("number", ge=0, le=1, default=0.6,
                     doc="analytic: contact fraction at zero pressure")
    p_half: float = spec("quantity", unit="Pa", gt=0, default="5 MPa",
                         doc="analytic: pressure recovering half of the missing contact")
    shrink_sensitivity: float = spec("number", ge=0, le=1, default=0.5,
                                     doc="analytic: contact lost per unit delithiation")
    phi_max: float = spec("number", ge=0, le=1, default=0.3,
                          doc="analytic: isolated fraction at zero contact")
    contact_fraction: float = spec("number", gt=0, le=1, default=1.0,
                                   doc="constant: f_c")
    isolated_fraction: float = spec("number", ge=0, lt=1, default=0.0,
                                    doc="constant: phi_iso")

    def validate(self, path: str) -> None:
        """A tabulated map needs its results file."""
        if self.map == "tabulated" and not self.results:
            raise InputError("map = \"tabulated\" needs results = \"path/to/results.h5\"",
                             key=f"{path}.results")
        if self.map != "tabulated" and self.results:
            raise InputError(f"results is only used by map = \"tabulated\" (map is "
                             f"\"{self.map}\")", key=f"{path}.results")


@dataclass(frozen=True)
class LithiumContactSpec:
    """The ``[contact.lithium]`` table: the Li | electrolyte contact law and constriction.

    ``analytic``: the stand-in AnalyticLithiumLaw f_Li = 1 - exp(-(P/p0)(1 + (t/t_c)^q));
    ``constant``: f_Li = contact_fraction; ``fitted``: the FittedLithiumLaw fitted to the
    Li-interface FE model (docs/theory/lithium.md) at RMS roughness ``roughness``;
    ``results``: the law fitted by a lithium-model run (``results``: its results.h5).
    The fitted laws refuse pressures, hold times and temperatures outside their range.
    The constriction resistance is Holm's
    with the Cooper-Mikic-Yovanovich interaction factor for spots of radius
    ``spot_radius`` (docs/theory/electrochem.md).
    """

    law: str = spec("choice", choices=("analytic", "constant", "fitted", "results"),
                    default="analytic", doc="which contact law")
    roughness: float = spec("quantity", unit="m", gt=0, default="0.25 um",
                            doc="fitted: RMS roughness of the electrolyte surface")
    results: str = spec("string", default="",
                        doc="results: results.h5 of a lithium-model run (relative to the "
                            "case file)")
    p0: float = spec("quantity", unit="Pa", gt=0, default="1 MPa",
                     doc="analytic: pressure scale")
    creep_time: float = spec("quantity", unit="s", gt=0, default="1 h",
                             doc="analytic: creep time scale t_c")
    creep_exponent: float = spec("number", ge=0, default=0.3, doc="analytic: exponent q")
    contact_fraction: float = spec("number", gt=0, le=1, default=1.0,
                                   doc="constant: f_Li")
    hold_time: float = spec("quantity", unit="s", ge=0, default="1 h",
                            doc="time at pressure before the test (f_Li(P, t, T))")
    spot_radius: float = spec("quantity", unit="m", gt=0, default="10 um",
                              doc="radius of the contact spots (constriction resistance)")
    constriction: bool = spec("boolean", default=True,
                              doc="include the constriction resistance")

    def validate(self, path: str) -> None:
        """A "results" law needs its results file (and only it uses one)."""
        if self.law == "results" and not self.results:
            raise InputError("law = \"results\" needs results = \"path/to/results.h5\"",
                             key=f"{path}.results")
        if self.law != "results" and self.results:
            raise InputError(f"results is only used by law = \"results\" (law is "
                             f"\"{self.law}\")", key=f"{path}.results")


@dataclass(frozen=True)
class ContactSpec:
    """The ``[contact]`` table: which contact map and law feed the electrochemistry."""

    cathode: CathodeContactSpec = spec("table", item=CathodeContactSpec, default=dict,
                                       doc="the cathode contact map")
    lithium: LithiumContactSpec = spec("table", item=LithiumContactSpec, default=dict,
                                       doc="the Li | electrolyte contact law (half cells)")


# ----------------------------------------------------------- PyBaMM parameter values
_TOKEN = re.compile(r"^([A-Za-z]+)(-?\d+)?$")
_PINT_NAMES = {"Ohm": "ohm", "h": "hour"}


def pybamm_unit(name: str) -> str:
    """The pint unit of a PyBaMM parameter name: "... [m2.s-1]" -> "m**2*s**-1" ("1" if none)."""
    m = re.search(r"\[([^\]]+)\]\s*$", name)
    if not m:
        return "1"
    parts = []
    for token in m.group(1).split("."):
        t = _TOKEN.match(token.strip())
        if not t:
            return m.group(1)
        sym = _PINT_NAMES.get(t.group(1), t.group(1))
        parts.append(sym if t.group(2) is None else f"{sym}**{t.group(2)}")
    return "*".join(parts)


def pybamm_value(name: str, value, key: str) -> float:
    """A case value of PyBaMM parameter ``name`` in PyBaMM's unit (the one in brackets).

    A bare number is taken in that unit; a string with units is converted to it.
    """
    from interface.units import parse_quantity

    if isinstance(value, bool):
        raise InputError(f"expected a number, got {value!r}", key=key)
    if isinstance(value, int | float):
        try:
            v = float(value)
        except OverflowError:
            v = float("inf")
        if v != v or v in (float("inf"), float("-inf")):
            raise InputError(f"expected a finite value, got {value!r}", key=key)
    elif isinstance(value, str):
        v = parse_quantity(value, pybamm_unit(name), key=key)
    else:
        raise InputError(f"expected a number or a string with units, got {value!r}", key=key)
    _check_pybamm_range(name, v, key)
    return v


#: PyBaMM parameters that may be zero or negative: voltages and their temperature slopes.
_SIGNED_UNITS = ("[V]", "[V.K-1]")
#: Name fragments of PyBaMM parameters that are fractions, in (0, 1].
_FRACTIONS = ("porosity", "volume fraction", "transference number")


def _check_pybamm_range(name: str, value: float, key: str) -> None:
    """Sizes, concentrations, rates and fractions are > 0 (a fraction also <= 1)."""
    if name.rstrip().endswith(_SIGNED_UNITS):
        return
    if not value > 0:
        raise InputError(f"must be > 0, got {value:g}", key=key)
    if any(f in name.lower() for f in _FRACTIONS) and value > 1:
        raise InputError(f"a fraction must be <= 1, got {value:g}", key=key)
