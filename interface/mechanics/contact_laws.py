"""The contract between the interface mechanics and the electrochemistry.

The cathode-interface model (RVE) produces a **cathode contact map**: the
fraction of the particle | electrolyte interface in contact, f_c(P, x), and the
fraction of electrochemically isolated particles, phi_iso(P, x), over a grid
of stack pressure P [Pa] and NMC stoichiometry x (Li content).  The Li-interface
model produces a **lithium contact law** f_Li(P, t, T): the fraction of the Li |
electrolyte interface in contact after a hold time t [s] at temperature T [K].

The electrochemistry consumes only these objects, so the data flow one way
(mechanics -> electrochemistry) and analytic stand-ins with the same interface
keep the coupling usable before (or without) the FE maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from interface.errors import InputError


@runtime_checkable
class CathodeContactMap(Protocol):
    """f_c(P, x) and phi_iso(P, x); P in Pa, x = Li stoichiometry of the active material."""

    pressure_range: tuple[float, float]
    stoichiometry_range: tuple[float, float]
    source: str

    def contact_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """Contact area fraction of the particle | electrolyte interface, in [0, 1]."""

    def isolated_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """Fraction of active particles electrochemically isolated, in [0, 1]."""


@runtime_checkable
class LithiumContactLaw(Protocol):
    """f_Li(P, t, T): Li | electrolyte contact fraction (P in Pa, t in s, T in K)."""

    pressure_range: tuple[float, float]
    source: str

    def contact_fraction(self, pressure, time=3600.0, temperature=298.15) -> np.ndarray:
        """Contact area fraction after holding ``pressure`` for ``time``."""


def _check_range(values, lo: float, hi: float, what: str, key: str | None) -> None:
    v = np.asarray(values, dtype=float)
    tol = 1e-9 * max(abs(lo), abs(hi), 1.0)
    if np.any(v < lo - tol) or np.any(v > hi + tol):
        raise InputError(f"{what} {np.min(v):.6g}..{np.max(v):.6g} is outside the contact "
                         f"map's range [{lo:.6g}, {hi:.6g}]", key=key)


@dataclass(frozen=True)
class TabulatedCathodeMap:
    """A cathode contact map tabulated on a (pressure x stoichiometry) grid.

    Bilinear interpolation; outside the grid it raises InputError (no extrapolation).

    Attributes:
        pressures: increasing grid of stack pressures, Pa.
        stoichiometries: increasing grid of stoichiometries.
        contact: f_c, shape (len(pressures), len(stoichiometries)).
        isolated: phi_iso, same shape.
        source: where the map comes from (file, model, case hash).
    """

    pressures: np.ndarray
    stoichiometries: np.ndarray
    contact: np.ndarray
    isolated: np.ndarray
    source: str = "tabulated"

    def __post_init__(self):
        p, x = np.asarray(self.pressures, float), np.asarray(self.stoichiometries, float)
        shape = (len(p), len(x))
        for name in ("contact", "isolated"):
            a = np.asarray(getattr(self, name), float)
            if a.shape != shape:
                raise InputError(f"contact map '{name}' has shape {a.shape}, expected {shape}")
            if not np.all(np.isfinite(a)) or np.any(a < -1e-12) or np.any(a > 1 + 1e-12):
                raise InputError(f"contact map '{name}' must be finite and within [0, 1]")
        if len(p) < 2 or len(x) < 2 or np.any(np.diff(p) <= 0) or np.any(np.diff(x) <= 0):
            raise InputError("contact map grids must be strictly increasing with >= 2 points")

    @property
    def pressure_range(self) -> tuple[float, float]:
        """(min, max) pressure in Pa."""
        return float(self.pressures[0]), float(self.pressures[-1])

    @property
    def stoichiometry_range(self) -> tuple[float, float]:
        """(min, max) stoichiometry."""
        return float(self.stoichiometries[0]), float(self.stoichiometries[-1])

    def _interp(self, table, pressure, stoichiometry, key=None):
        from scipy.interpolate import RegularGridInterpolator

        _check_range(pressure, *self.pressure_range, "stack pressure [Pa]", key)
        _check_range(stoichiometry, *self.stoichiometry_range, "stoichiometry", key)
        f = RegularGridInterpolator((self.pressures, self.stoichiometries), table)
        p, x = np.broadcast_arrays(np.asarray(pressure, float), np.asarray(stoichiometry, float))
        pts = np.stack([np.clip(p, *self.pressure_range), np.clip(x, *self.stoichiometry_range)],
                       axis=-1)
        return np.clip(f(pts), 0.0, 1.0)

    def contact_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """f_c(P, x) by bilinear interpolation."""
        return self._interp(np.asarray(self.contact, float), pressure, stoichiometry)

    def isolated_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """phi_iso(P, x) by bilinear interpolation."""
        return self._interp(np.asarray(self.isolated, float), pressure, stoichiometry)

    @classmethod
    def from_table(cls, columns: dict, source: str = "table") -> TabulatedCathodeMap:
        """Build from flat columns, one row per grid point.

        Columns: ``stack_pressure_Pa``, ``stoichiometry``, ``contact_fraction``,
        ``isolated_fraction``.
        """
        p = np.asarray(columns["stack_pressure_Pa"], float)
        x = np.asarray(columns["stoichiometry"], float)
        ps, xs = np.unique(p), np.unique(x)
        if len(p) != len(ps) * len(xs):
            raise InputError(f"contact map table is not a full grid ({len(p)} rows for "
                             f"{len(ps)} pressures x {len(xs)} stoichiometries)")
        ip, ix = np.searchsorted(ps, p), np.searchsorted(xs, x)
        out = {}
        for name in ("contact_fraction", "isolated_fraction"):
            a = np.full((len(ps), len(xs)), np.nan)
            a[ip, ix] = np.asarray(columns[name], float)
            if np.isnan(a).any():
                raise InputError(f"contact map column '{name}' has missing grid points")
            out[name] = a
        return cls(ps, xs, out["contact_fraction"], out["isolated_fraction"], source)

    @classmethod
    def from_results(cls, path: str | Path, table: str = "contact_map") -> TabulatedCathodeMap:
        """Load ``tables/<table>`` of a results.h5 written by the cathode-interface model."""
        cols, source = _read_results_table(path, table, "contact-map file", "")
        try:
            return cls.from_table(cols, source=source)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            if isinstance(exc, InputError):
                raise exc.at(file=str(path)) from None
            raise InputError(f"malformed tables/{table}: {type(exc).__name__}: {exc}",
                             file=str(path)) from None


@dataclass(frozen=True)
class AnalyticCathodeMap:
    """Analytic stand-in for the cathode contact map (same interface as the FE map).

    f_c(P, x) = clip((f0 + (1 - f0) P / (P + P_half)) (1 - k (1 - x)), 0, 1),
    phi_iso = phi_max (1 - f_c)^2.  Not physics from a model: a smooth law with the
    right trends (contact rises with pressure, falls as the particles shrink on
    delithiation) for use before a computed map exists.  [assumed]
    """

    f0: float = 0.6
    p_half: float = 5e6
    shrink_sensitivity: float = 0.5
    phi_max: float = 0.3
    pressure_range: tuple[float, float] = (0.0, 500e6)
    stoichiometry_range: tuple[float, float] = (0.0, 1.0)
    source: str = "analytic stand-in (AnalyticCathodeMap)"

    def contact_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """f_c(P, x)."""
        _check_range(pressure, *self.pressure_range, "stack pressure [Pa]", None)
        p = np.asarray(pressure, float)
        x = np.asarray(stoichiometry, float)
        f = (self.f0 + (1 - self.f0) * p / (p + self.p_half)) * (
            1 - self.shrink_sensitivity * (1 - x))
        return np.clip(f, 0.0, 1.0)

    def isolated_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """phi_iso(P, x)."""
        return self.phi_max * (1 - self.contact_fraction(pressure, stoichiometry)) ** 2


@dataclass(frozen=True)
class AnalyticLithiumLaw:
    """Analytic stand-in for the Li | electrolyte contact law.

    f_Li = 1 - exp(-(P / P0) (1 + (t / t_c)^q)), a law that rises with pressure and
    with hold time (creep).  [assumed]; the Li-interface model provides a fitted law.
    """

    p0: float = 1e6
    t_c: float = 3600.0
    q: float = 0.3
    pressure_range: tuple[float, float] = (0.0, 500e6)
    source: str = "analytic stand-in (AnalyticLithiumLaw)"

    def contact_fraction(self, pressure, time=3600.0, temperature=298.15) -> np.ndarray:
        """f_Li(P, t)."""
        del temperature
        _check_range(pressure, *self.pressure_range, "stack pressure [Pa]", None)
        p = np.asarray(pressure, float)
        t = np.asarray(time, float)
        return 1.0 - np.exp(-(p / self.p0) * (1.0 + (t / self.t_c) ** self.q))


@dataclass(frozen=True)
class ConstantCathodeMap:
    """A cathode contact map with the same f_c and phi_iso at every (P, x).

    For verification (f_c = 1, phi_iso = 0 is perfect contact) and for
    parameter studies at a fixed contact state.
    """

    contact: float = 1.0
    isolated: float = 0.0
    pressure_range: tuple[float, float] = (0.0, float("inf"))
    stoichiometry_range: tuple[float, float] = (0.0, 1.0)
    source: str = "constant (ConstantCathodeMap)"

    def __post_init__(self):
        for name in ("contact", "isolated"):
            v = getattr(self, name)
            if not (np.isfinite(v) and 0.0 <= v <= 1.0):
                raise InputError(f"constant contact map '{name}' must be within [0, 1], got {v}")

    def contact_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """f_c = contact everywhere."""
        p, x = np.broadcast_arrays(np.asarray(pressure, float), np.asarray(stoichiometry, float))
        return np.full(p.shape, float(self.contact))

    def isolated_fraction(self, pressure, stoichiometry) -> np.ndarray:
        """phi_iso = isolated everywhere."""
        p, x = np.broadcast_arrays(np.asarray(pressure, float), np.asarray(stoichiometry, float))
        return np.full(p.shape, float(self.isolated))


@dataclass(frozen=True)
class ConstantLithiumLaw:
    """A Li | electrolyte contact law with the same f_Li at every (P, t, T) (verification)."""

    contact: float = 1.0
    pressure_range: tuple[float, float] = (0.0, float("inf"))
    source: str = "constant (ConstantLithiumLaw)"

    def __post_init__(self):
        if not (np.isfinite(self.contact) and 0.0 <= self.contact <= 1.0):
            raise InputError(f"constant Li contact fraction must be within [0, 1], got "
                             f"{self.contact}")

    def contact_fraction(self, pressure, time=3600.0, temperature=298.15) -> np.ndarray:
        """f_Li = contact everywhere."""
        del time, temperature
        return np.full(np.shape(pressure), float(self.contact))


@dataclass(frozen=True)
class FittedLithiumLaw:
    """f_Li(P, t, T, R_q) fitted to the Li-interface FE model (docs/theory/lithium.md).

    f_Li = 1 - exp(-c (P/1 MPa)^a (a_T t/1 h)^b (R_q/R_q,ref)^(-m)),
    a_T = exp(-Q/R (1/T - 1/T_ref)).  Valid only inside the ranges of the FE data
    it was fitted to; outside them it raises InputError (no extrapolation).

    The defaults are the fit to the 2D FE sweep docs/studies/lithium_sweep_2d.csv
    (self-affine surface H = 0.8, L = 20 um, Masias 2019 Li, Q = 37 kJ/mol
    [assumed]; 240 points: rms error 0.038 (max 0.16); 40 held-out points: 0.031
    (max 0.088), absolute contact fraction;
    reproduced by tests/lithium/test_law.py).

    Attributes:
        coefficient, pressure_exponent, time_exponent, roughness_exponent: c, a, b, m.
        rms_reference: R_q,ref [m]; roughness: R_q [m] used by contact_fraction.
        activation_energy: Q [J/mol]; reference_temperature: T_ref [K].
        pressure_range [Pa], time_range [s], temperature_range [K], roughness_range [m]:
            the validity range.
        source: provenance.
    """

    coefficient: float = 1.8868
    pressure_exponent: float = 1.3186
    time_exponent: float = 0.16139
    roughness_exponent: float = 0.16788
    rms_reference: float = 0.25e-6
    activation_energy: float = 37.0e3
    reference_temperature: float = 298.0
    roughness: float = 0.25e-6
    pressure_range: tuple[float, float] = (0.1e6, 2.0e6)
    time_range: tuple[float, float] = (0.01, 3600.0)
    temperature_range: tuple[float, float] = (273.0, 333.0)
    roughness_range: tuple[float, float] = (0.25e-6, 0.5e-6)
    source: str = "fitted to the 2D FE sweep (docs/studies/lithium_sweep_2d.csv)"

    def __post_init__(self):
        vals = (self.coefficient, self.pressure_exponent, self.time_exponent)
        if not all(np.isfinite(v) and v > 0 for v in vals):
            raise InputError("fitted Li law: coefficient and exponents must be finite and > 0")
        _check_range(self.roughness, *self.roughness_range, "RMS roughness [m]", "roughness")

    def evaluate(self, pressure, time, temperature, roughness) -> np.ndarray:
        """f_Li at arrays of P [Pa], t [s], T [K], R_q [m], without the range check."""
        p, t, temp, rq = (np.asarray(v, float) for v in (pressure, time, temperature,
                                                          roughness))
        a_t = np.exp(-self.activation_energy / 8.314462618
                     * (1.0 / temp - 1.0 / self.reference_temperature))
        x = (self.coefficient * (p / 1e6) ** self.pressure_exponent
             * (a_t * t / 3600.0) ** self.time_exponent
             * (rq / self.rms_reference) ** (-self.roughness_exponent))
        return 1.0 - np.exp(-x)

    def contact_fraction(self, pressure, time=3600.0, temperature=298.15) -> np.ndarray:
        """f_Li(P, t, T) at the law's roughness; InputError outside the validity range."""
        _check_range(pressure, *self.pressure_range, "stack pressure [Pa]", None)
        _check_range(time, *self.time_range, "hold time [s]", None)
        _check_range(temperature, *self.temperature_range, "temperature [K]", None)
        return self.evaluate(pressure, time, temperature, self.roughness)

    def pressure_for(self, fraction: float, time: float = 3600.0,
                     temperature: float = 298.15) -> float:
        """The pressure [Pa] reaching contact ``fraction`` after ``time`` (closed form).

        Raises InputError if it lies outside the pressure range.
        """
        x = -np.log(1.0 - fraction)
        x1 = -np.log(1.0 - float(self.evaluate(1e6, time, temperature, self.roughness)))
        p = 1e6 * (x / x1) ** (1.0 / self.pressure_exponent)
        _check_range(p, *self.pressure_range, "required stack pressure [Pa]", None)
        return float(p)

    @classmethod
    def from_results(cls, path: str | Path, table: str = "lithium_law") -> FittedLithiumLaw:
        """The law fitted by the lithium model, from ``tables/<table>`` of its results.h5."""
        cols, source = _read_results_table(path, table, "results file", " (run a lithium case)")
        try:
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in cols["name"]]
            values = dict(zip(names, (float(v) for v in cols["value"]), strict=True))
            kw = {k: values[k] for k in ("coefficient", "pressure_exponent", "time_exponent",
                                         "roughness_exponent", "rms_reference",
                                         "activation_energy", "reference_temperature",
                                         "roughness")}
            for r in ("pressure", "time", "temperature", "roughness"):
                kw[f"{r}_range"] = (values[f"{r}_min"], values[f"{r}_max"])
            if not all(np.all(np.isfinite(v)) for v in kw.values()):
                raise ValueError("non-finite values")
            return cls(**kw, source=source)
        except InputError as exc:
            raise exc.at(file=str(path)) from None
        except (KeyError, ValueError, TypeError) as exc:
            what = f"no entry {exc}" if isinstance(exc, KeyError) else str(exc)
            raise InputError(f"malformed tables/{table} (columns name, value with every "
                             f"parameter of the law): {what}", file=str(path)) from None

    def as_table(self) -> dict[str, float]:
        """The law as name -> value (the layout of tables/lithium_law in results.h5)."""
        out = {k: float(getattr(self, k)) for k in (
            "coefficient", "pressure_exponent", "time_exponent", "roughness_exponent",
            "rms_reference", "activation_energy", "reference_temperature", "roughness")}
        for r in ("pressure", "time", "temperature", "roughness"):
            lo, hi = getattr(self, f"{r}_range")
            out[f"{r}_min"], out[f"{r}_max"] = float(lo), float(hi)
        return out


def _read_results_table(path: str | Path, table: str, what: str, hint: str) -> tuple[dict, str]:
    """(column name -> array, provenance) of ``tables/<table>`` in a results.h5.

    Raises:
        InputError: "no such <what>" or "no tables/<table> in this results file<hint>",
            naming the file.
    """
    import h5py

    path = Path(path)
    if not path.exists():
        raise InputError(f"no such {what}", file=str(path))
    if path.is_dir():
        raise InputError(f"is a directory, expected a {what} (results.h5)", file=str(path))
    try:
        with h5py.File(path, "r") as f:
            if f"tables/{table}" not in f or not isinstance(f[f"tables/{table}"], h5py.Group):
                raise InputError(f"no tables/{table} in this results file{hint}",
                                 file=str(path))
            g = f[f"tables/{table}"]
            cols = {k: g[k][()] for k in g if isinstance(g[k], h5py.Dataset)}
            sha = f.attrs.get("case_sha256", "")
    except OSError as exc:
        raise InputError(f"cannot read it as an HDF5 {what}: {exc}", file=str(path)) from None
    return cols, f"{path} (case sha256 {str(sha)[:12]})"
