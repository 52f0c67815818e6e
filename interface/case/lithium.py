"""Case-file sections of the Li-interface model: [lithium], [lithium.surface], [.stripping]."""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec


@dataclass(frozen=True)
class SurfaceSpec:
    """The ``[lithium.surface]`` table: the rough electrolyte surface.

    ``self_affine`` and ``gaussian`` are seeded random surfaces (random-phase
    spectral method); ``sinusoid`` is h = sqrt(2) R_q cos(2 pi x / wavelength)
    (verification); ``csv`` reads a measured profile (x, h columns or one column
    of heights with ``spacing``), detrended and made periodic over its length.
    """

    kind: str = spec("choice", choices=("self_affine", "gaussian", "sinusoid", "csv"),
                     default="self_affine", doc="surface type")
    rms: float = spec("quantity", unit="m", gt=0, default="0.25 um",
                      doc="RMS roughness R_q (the CSV profile is rescaled to it unless "
                          "keep_csv_rms)")
    length: float = spec("quantity", unit="m", gt=0, default="20 um",
                         doc="lateral period of the modelled patch (csv: the profile's length)")
    hurst: float = spec("number", gt=0, lt=1, default=0.8,
                        doc="self_affine: Hurst exponent H, 0 < H < 1")
    rolloff_wavelength: float | None = spec(
        "quantity", unit="m", gt=0, default=None,
        doc="self_affine: roll-off wavelength (PSD flat above it; default length/2)")
    cutoff_wavelength: float | None = spec(
        "quantity", unit="m", gt=0, default=None,
        doc="self_affine: shortest wavelength (default length/8)")
    correlation_length: float = spec("quantity", unit="m", gt=0, default="2 um",
                                     doc="gaussian: correlation length l (ACF exp(-r^2/l^2))")
    wavelength: float | None = spec("quantity", unit="m", gt=0, default=None,
                                    doc="sinusoid: wavelength (default: length)")
    samples: int = spec("integer", ge=8, le=1_000_000, default=1024,
                        doc="samples of the synthetic profile (or patch side)")
    seed: int = spec("integer", ge=0, default=3, doc="random seed (same seed, same surface)")
    file: str = spec("string", default="", doc="csv: profile file (relative to the case file)")
    file_unit: float = spec("quantity", unit="m", gt=0, default="1 um",
                            doc="csv: the length one unit in the file stands for")
    spacing: float | None = spec("number", gt=0, default=None,
                                 doc="csv: sample spacing (file units) of a one-column file")
    keep_csv_rms: bool = spec("boolean", default=True,
                              doc="csv: keep the measured R_q (false: rescale to rms)")

    def validate(self, path: str) -> None:
        """Wavelengths fit in the patch; a csv surface needs its file."""
        if self.kind == "csv" and not self.file:
            raise InputError("kind = \"csv\" needs file = \"profile.csv\"", key=f"{path}.file")
        if self.kind != "csv" and self.file:
            raise InputError(f"file is only used by kind = \"csv\" (kind is \"{self.kind}\")",
                             key=f"{path}.file")
        for name in ("rolloff_wavelength", "cutoff_wavelength", "wavelength"):
            v = getattr(self, name)
            if v is not None and v > self.length * (1 + 1e-12):
                raise InputError(f"{name} {v:g} m exceeds the patch length {self.length:g} m",
                                 key=f"{path}.{name}")
        if (self.cutoff_wavelength is not None and self.rolloff_wavelength is not None
                and self.cutoff_wavelength >= self.rolloff_wavelength):
            raise InputError("cutoff_wavelength must be shorter than rolloff_wavelength",
                             key=f"{path}.cutoff_wavelength")


@dataclass(frozen=True)
class StrippingSpec:
    """The ``[lithium.stripping]`` table: critical stripping current vs pressure."""

    enabled: bool = spec("boolean", default=True, doc="compute the critical current")
    pressures: tuple[float, ...] = spec("quantities", unit="Pa", gt=0, min_items=1,
                                        default=["0.5 MPa", "1 MPa", "2 MPa"],
                                        doc="stack pressures of the critical-current study")
    thickness: float = spec("quantity", unit="m", gt=0, default="0.5 um",
                            doc="Li thickness stripped in the step (4.85 um per mAh/cm^2)")
    pre_hold: float = spec("quantity", unit="s", gt=0, default="10 min",
                           doc="hold at pressure before stripping")
    current_min: float = spec("quantity", unit="A/m^2", gt=0, default="0.1 mA/cm^2",
                              doc="lower end of the critical-current bracket")
    current_max: float = spec("quantity", unit="A/m^2", gt=0, default="100 mA/cm^2",
                              doc="upper end of the critical-current bracket")
    bisections: int = spec("integer", ge=1, le=20, default=5,
                           doc="bisections in log(current)")
    keep: float = spec("number", gt=0, lt=1, default=0.8,
                       doc="contact is lost when f (averaged over each tenth of the stripped "
                           "thickness) falls below keep x its start value; must exceed the "
                           "fast-stripping (rate-independent) contact ratio, ~0.7 at 0.5 MPa")

    def validate(self, path: str) -> None:
        """The bracket must be ordered."""
        if self.current_min >= self.current_max:
            raise InputError("current_min must be below current_max", key=f"{path}.current_min")


@dataclass(frozen=True)
class LithiumSpec:
    """The ``[lithium]`` table: Li metal pressed on a rough electrolyte under stack pressure.

    Li is elastic-plastic with power-law creep (material ``material``: E, nu,
    yield_stress, creep; the library's Li is Masias et al. 2019); the electrolyte
    is elastic (``counter_body = "elastic"``: its compliance enters through the
    contact modulus E*) or rigid.  For every pressure: elastic, elastic-plastic
    (instantaneous) and creep (hold_time) contact fraction; the pressure reaching
    ``target_fraction`` within ``target_time``; the fast law fitted to the run.
    """

    material: str = spec("string", default="Li", doc="Li material (library or [materials])")
    electrolyte: str = spec("string", default="Li6PS5Cl", doc="electrolyte material")
    counter_body: str = spec("choice", choices=("elastic", "rigid"), default="elastic",
                             doc="electrolyte: elastic (through E*) or rigid")
    temperature: float = spec("quantity", unit="K", gt=0, default="298.15 K",
                              doc="temperature (creep rate via Arrhenius)")
    activation_energy: float = spec("quantity", unit="J/mol", ge=0, default="37 kJ/mol",
                                    doc="creep activation energy Q (LePage et al. 2019) "
                                        "[assumed]")
    thickness: float | None = spec("quantity", unit="m", gt=0, default=None,
                                   doc="modelled Li thickness (default: the surface length)")
    pressures: tuple[float, ...] = spec("quantities", unit="Pa", gt=0, min_items=1,
                                        default=["0.2 MPa", "0.5 MPa", "1 MPa", "2 MPa"],
                                        doc="stack pressures (increasing)")
    hold_time: float = spec("quantity", unit="s", gt=0, default="1 h",
                            doc="hold time at each pressure (creep)")
    time_step: float = spec("quantity", unit="s", gt=0, default="1 us",
                            doc="first time step of the adaptive creep integration")
    output_times: tuple[float, ...] = spec(
        "quantities", unit="s", gt=0, min_items=1,
        default=["0.01 s", "0.1 s", "1 s", "10 s", "1 min", "5 min", "20 min", "1 h"],
        doc="times at which f and the mean gap are tabulated (<= hold_time)")
    seat_pressure: float = spec("quantity", unit="Pa", gt=0, default="20 kPa",
                                doc="seating pressure before the pressure step")
    target_fraction: float = spec("number", gt=0, lt=1, default=0.9,
                                  doc="contact fraction whose required pressure is reported")
    target_time: float | None = spec("quantity", unit="s", gt=0, default=None,
                                     doc="... within this time (default hold_time)")
    smoke_pressures: int = spec("integer", ge=1, default=2,
                                doc="--smoke: at most this many pressures (first and last)")
    smoke_hold_time: float = spec("quantity", unit="s", gt=0, default="5 s",
                                  doc="--smoke: hold time")
    surface: SurfaceSpec = spec("table", item=SurfaceSpec, default=dict,
                                doc="the rough electrolyte surface")
    stripping: StrippingSpec = spec("table", item=StrippingSpec, default=dict,
                                    doc="critical stripping current")

    def validate(self, path: str) -> None:
        """Pressures increasing; time step, output and target times within the hold."""
        p = self.pressures
        for i in range(1, len(p)):
            if p[i] <= p[i - 1]:
                raise InputError("pressures must be strictly increasing",
                                 key=f"{path}.pressures[{i}]")
        if self.time_step > self.hold_time:
            raise InputError(f"time_step {self.time_step:g} s is larger than hold_time "
                             f"{self.hold_time:g} s", key=f"{path}.time_step")
        for i, t in enumerate(self.output_times):
            if t > self.hold_time * (1 + 1e-12):
                raise InputError(f"output time {t:g} s is after hold_time {self.hold_time:g} s",
                                 key=f"{path}.output_times[{i}]")
            if i and t <= self.output_times[i - 1]:
                raise InputError("output_times must be strictly increasing",
                                 key=f"{path}.output_times[{i}]")
        if self.target_time is not None and self.target_time > self.hold_time * (1 + 1e-12):
            raise InputError(f"target_time {self.target_time:g} s is after hold_time",
                             key=f"{path}.target_time")
        if self.seat_pressure >= p[0]:
            raise InputError("seat_pressure must be below the first pressure",
                             key=f"{path}.seat_pressure")
