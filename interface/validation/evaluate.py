"""Evaluating observations against a case's result: one Row per observation.

Pure computation: a :class:`~interface.results.result.Result` and a
:class:`~interface.validation.dataset.Dataset` in, rows out.  Values written
with units are converted to the unit of the output they are compared with (a
table column's ``unit``; for a summary key the unit its name ends with, e.g.
``_Pa``); a bare number is taken in that unit.  Every input problem that only
shows once the outputs are known (an output the case does not write, a
``where`` that matches no row, units of the wrong dimension) raises an
InputError naming the dataset file and key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from interface.errors import InputError
from interface.results.result import Result
from interface.validation.dataset import Band, Dataset, Observation

#: Summary-key suffix -> unit (longest suffix wins); keys without one are dimensionless.
SUFFIX_UNITS: dict[str, str] = {
    "_Pa": "Pa", "_m": "m", "_s": "s", "_K": "K", "_kg": "kg", "_J": "J", "_C": "C",
    "_V": "V", "_W": "W", "_A": "A", "_ohm": "ohm", "_h": "h", "_m2": "m^2", "_m3": "m^3",
    "_A_per_m2": "A/m^2", "_ohm_m2": "ohm*m^2", "_Wh": "W*h", "_Wh_per_kg": "W*h/kg",
    "_Wh_per_L": "W*h/L", "_A_h_per_kg": "A*h/kg", "_C_per_m2": "C/m^2", "_Pa_per_m": "Pa/m",
    "_N_per_m": "N/m", "_m_per_Pa": "m/Pa", "_kg_per_m2": "kg/m^2", "_per_s": "1/s",
    "_mAh_per_cm2": "mA*h/cm^2", "_J_per_m2": "J/m^2", "_W_per_kg": "W/kg", "_N": "N",
    "_kg_per_m3": "kg/m^3", "_L": "L",
}
#: Relative tolerance of a ``where`` match.
MATCH_RTOL = 1e-6


@dataclass
class Row:
    """One observation compared with its prediction (SI values; JSON keys of VALIDATION.md).

    Attributes:
        dataset: dataset name.
        output: the output compared.
        where: the row selection in SI ({} for a summary value; trends give x and range).
        type: observation type.
        measured_SI: the measured value in the output's unit (None: censored, monotone).
        predicted_SI: the toolkit's value (None when the case failed).
        band: the band in the output's unit.
        within: prediction inside the band.
        status: "ok" or "failed: <reason>".
        unit: the output's unit (not a JSON key; for reports).
        note: the observation's note (why it may fall outside; for reports).
        case_ran: False when the dataset's case could not be run (sets the exit code).
        curve: (x name, x values, y values) of the predicted column (reports and figures).
        points: [(x, measured, band lo, band hi)] for figures.
    """

    dataset: str
    output: str
    where: dict
    type: str
    measured_SI: float | None
    predicted_SI: float | None
    band: dict
    within: bool
    status: str = "ok"
    unit: str = "1"
    note: str = ""
    case_ran: bool = True
    curve: tuple | None = field(default=None, repr=False)
    points: list = field(default_factory=list, repr=False)

    def as_json(self) -> dict[str, Any]:
        """The JSON object of this row (exactly the keys of the format)."""
        return {"dataset": self.dataset, "output": self.output, "where": self.where,
                "type": self.type, "measured_SI": self.measured_SI,
                "predicted_SI": self.predicted_SI, "band": self.band, "within": self.within,
                "status": self.status}

    @property
    def deviation(self) -> str:
        """Ratio (factor bands), relative error (rel) or difference (abs), as text."""
        p, m = self.predicted_SI, self.measured_SI
        if p is None or m is None:
            return "-"
        if "factor" in self.band:
            return f"x{p / m:.3g}" if m != 0 else "-"
        if "rel" in self.band:
            return f"{(p - m) / m:+.2%}" if m != 0 else "-"
        return f"{p - m:+.4g}"


def unit_of_name(name: str) -> str:
    """The unit a summary key's suffix names ("stack_pressure_max_Pa" -> "Pa"); "1" if none."""
    best = ""
    for suffix in SUFFIX_UNITS:
        if name.endswith(suffix) and len(suffix) > len(best):
            best = suffix
    return SUFFIX_UNITS[best] if best else "1"


def to_output_unit(value: Any, unit: str, key: str) -> float:
    """A value as written, in ``unit``: a bare number is already in it."""
    from interface.units import parse_quantity

    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return parse_quantity(value, unit, key=key)


class _Outputs:
    """Access to a result's outputs with units and row selection."""

    def __init__(self, result: Result, dataset: Dataset):
        self.result = result
        self.file = str(dataset.path)

    def error(self, message: str, key: str) -> InputError:
        return InputError(message, key=key, file=self.file)

    def summary(self, name: str, key: str) -> tuple[float, str]:
        s = self.result.summary
        if name not in s:
            from interface.schema import suggest

            raise self.error(f"the case writes no summary key '{name}'{suggest(name, s)}", key)
        v = s[name]
        if isinstance(v, bool | np.bool_):
            return float(v), "1"  # true = 1, false = 0
        if not isinstance(v, int | float | np.number):
            raise self.error(f"summary key '{name}' is not a number ({v!r})", key)
        return float(v), unit_of_name(name)

    def table(self, name: str, key: str):
        t = self.result.tables
        if name not in t:
            from interface.schema import suggest

            raise self.error(f"the case writes no table '{name}'{suggest(name, t)} (tables: "
                             f"{', '.join(sorted(t)) or 'none'})", key)
        return t[name]

    def column(self, table: str, col: str, key: str) -> tuple[np.ndarray, str]:
        t = self.table(table, key)
        if col not in t.columns:
            from interface.schema import suggest

            raise self.error(f"table '{table}' has no column '{col}'{suggest(col, t.columns)}",
                             key)
        arr = np.asarray(t[col])
        if arr.ndim != 1 or arr.dtype.kind not in "fiub":
            raise self.error(f"column '{table}/{col}' is not a numeric column", key)
        return arr.astype(float), t.units.get(col, "1")

    def row(self, table: str, where: dict, key: str) -> int:
        """Index of the one row matching every column = value of ``where``."""
        t = self.table(table, key)
        mask = np.ones(len(t), dtype=bool)
        for col, val in where.items():
            arr, unit = self.column(table, col, f"{key}.{col}")
            v = to_output_unit(val, unit, f"{key}.{col}")
            mask &= np.abs(arr - v) <= MATCH_RTOL * max(abs(v), 1e-300)
        hits = np.flatnonzero(mask)
        if len(hits) == 0:
            text = ", ".join(f"{c} = {v}" for c, v in where.items())
            raise self.error(f"no row of table '{table}' has {text}", key)
        if len(hits) > 1:
            raise self.error(f"{len(hits)} rows of table '{table}' match; add columns to the "
                             "where so that it picks one row", key)
        return int(hits[0])

    def where_si(self, table: str, where: dict, key: str) -> dict[str, float]:
        out = {}
        for col, val in where.items():
            _, unit = self.column(table, col, f"{key}.{col}")
            out[col] = to_output_unit(val, unit, f"{key}.{col}")
        return out


def _band_si(band: Band, unit: str, key: str, slope: bool = False) -> dict[str, float]:
    u = "1" if slope else unit
    if band.factor is not None:
        return {"factor": band.factor}
    if band.rel is not None:
        return {"rel": band.rel}
    if band.abs is not None:
        a = to_output_unit(band.abs, u, f"{key}.band.abs")
        if not a > 0:
            raise InputError(f"abs must be > 0, got {band.abs!r}", key=f"{key}.band.abs")
        return {"abs": a}
    out = {}
    if band.min is not None:
        out["min"] = to_output_unit(band.min, u, f"{key}.band.min")
    if band.max is not None:
        out["max"] = to_output_unit(band.max, u, f"{key}.band.max")
    if "min" in out and "max" in out and out["min"] > out["max"]:
        raise InputError("min is above max", key=f"{key}.band")
    return out


#: Relative slack of the band edges (round-off of unit conversions, not a widening).
EDGE = 1e-12


def within(band: dict[str, float], predicted: float, measured: float | None) -> bool:
    """Whether a prediction lies inside a band (SI; edges included, to round-off)."""
    if predicted is None or not math.isfinite(predicted):
        return False
    if "factor" in band:
        f = band["factor"]
        return (measured is not None and measured > 0
                and measured / f * (1 - EDGE) <= predicted <= measured * f * (1 + EDGE))
    if "rel" in band:
        return (measured is not None
                and abs(predicted - measured) <= band["rel"] * abs(measured) * (1 + EDGE))
    if "abs" in band:
        scale = max(abs(predicted), abs(measured or 0.0), band["abs"])
        return (measured is not None
                and abs(predicted - measured) <= band["abs"] + EDGE * scale)
    lo, hi = band.get("min", -math.inf), band.get("max", math.inf)
    return lo - EDGE * abs(lo) <= predicted <= hi + EDGE * abs(hi)


def band_limits(band: dict[str, float], measured: float | None) -> tuple[float, float]:
    """(lo, hi) of a band around a measurement, for figures."""
    if "factor" in band and measured is not None:
        return measured / band["factor"], measured * band["factor"]
    if "rel" in band and measured is not None:
        d = band["rel"] * abs(measured)
        return measured - d, measured + d
    if "abs" in band and measured is not None:
        return measured - band["abs"], measured + band["abs"]
    return band.get("min", math.nan), band.get("max", math.nan)


def _curve(out: _Outputs, obs: Observation, x_name: str | None, key: str):
    """The predicted column against an abscissa (for figures), or None."""
    if not obs.table or not x_name:
        return None
    try:
        y, _ = out.column(obs.table, obs.column, key)
        x, xunit = out.column(obs.table, x_name, key)
    except InputError:
        return None
    mask = np.ones(len(x), dtype=bool)
    others = {c: v for c, v in obs.where.items() if c != x_name}
    for col, val in others.items():
        try:
            arr, unit = out.column(obs.table, col, key)
            v = to_output_unit(val, unit, key)
        except InputError:
            return None
        mask &= np.abs(arr - v) <= MATCH_RTOL * max(abs(v), 1e-300)
    order = np.argsort(x[mask], kind="stable")
    return (x_name, xunit, x[mask][order], y[mask][order])


def evaluate_observation(dataset: Dataset, result: Result, obs: Observation) -> Row:
    """Compare one observation with the result (raises InputError for a malformed one)."""
    out = _Outputs(result, dataset)
    key = obs.key
    try:
        if obs.type in ("loglog_slope", "monotone"):
            return _trend(dataset, out, obs, key)
        if obs.source == "summary":
            pred, unit = out.summary(obs.column, f"{key}.output")
            where_si: dict[str, Any] = {}
            ref = None
            if obs.type in ("difference", "ratio"):
                raise InputError(f"a {obs.type} compares two rows of a table",
                                 key=f"{key}.output")
        else:
            y, unit = out.column(obs.table, obs.column, f"{key}.output")
            i = out.row(obs.table, obs.where, f"{key}.where")
            pred = float(y[i])
            where_si = out.where_si(obs.table, obs.where, f"{key}.where")
            ref = None
            if obs.type in ("difference", "ratio"):
                j = out.row(obs.table, obs.minus, f"{key}.minus")
                ref = float(y[j])
                where_si = {**where_si, "minus": out.where_si(obs.table, obs.minus,
                                                              f"{key}.minus")}
        if obs.type == "ratio":
            if ref == 0:
                raise InputError("the reference row of the ratio is zero", key=f"{key}.minus")
            pred = pred / ref
            unit = "1"
        elif obs.type == "difference":
            pred = pred - ref
        measured = None if obs.value is None else to_output_unit(obs.value, unit,
                                                                 f"{key}.value")
        band = _band_si(obs.band, unit, key)
    except InputError as exc:
        raise exc.at(file=str(dataset.path)) from None
    row = Row(dataset=dataset.name, output=obs.output, where=where_si, type=obs.type,
              measured_SI=measured, predicted_SI=pred, band=band,
              within=within(band, pred, measured), unit=unit)
    x_name = next(iter(obs.where), None) if obs.type == "value" else None
    row.curve = _curve(out, obs, x_name, key)
    if row.curve is not None:
        lo, hi = band_limits(band, measured)
        row.points = [(where_si[x_name], measured, lo, hi)]
    return row


def _trend(dataset: Dataset, out: _Outputs, obs: Observation, key: str) -> Row:
    y, unit = out.column(obs.table, obs.column, f"{key}.output")
    x, xunit = out.column(obs.table, obs.x, f"{key}.x")
    mask = np.ones(len(x), dtype=bool)
    if obs.where:
        for col, val in obs.where.items():
            arr, cu = out.column(obs.table, col, f"{key}.where.{col}")
            v = to_output_unit(val, cu, f"{key}.where.{col}")
            mask &= np.abs(arr - v) <= MATCH_RTOL * max(abs(v), 1e-300)
    where_si: dict[str, Any] = {"x": obs.x}
    if obs.type == "loglog_slope":
        if obs.between is not None:
            lo = to_output_unit(obs.between[0], xunit, f"{key}.between[0]")
            hi = to_output_unit(obs.between[1], xunit, f"{key}.between[1]")
            if not 0 < lo < hi:
                raise InputError("between must be 0 < lo < hi", key=f"{key}.between")
            mask &= (x >= lo * (1 - MATCH_RTOL)) & (x <= hi * (1 + MATCH_RTOL))
            where_si["between"] = [lo, hi]
        xs, ys = x[mask], y[mask]
        if len(np.unique(xs)) < 2:
            raise InputError(f"fewer than two rows of '{obs.table}' lie in the range (a slope "
                             "needs two x values)", key=f"{key}.between")
        band = _band_si(obs.band, unit, key, slope=True)
        if np.any(xs <= 0) or np.any(ys <= 0):
            pred = math.nan
        else:
            pred = float(np.polyfit(np.log(xs), np.log(ys), 1)[0])
        measured = None if obs.value is None else float(obs.value)
        row = Row(dataset=dataset.name, output=obs.output, where=where_si, type=obs.type,
                  measured_SI=measured, predicted_SI=pred if math.isfinite(pred) else None,
                  band=band, within=within(band, pred, measured), unit="1")
    else:
        xs, ys = x[mask], y[mask]
        order = np.argsort(xs, kind="stable")
        d = np.diff(ys[order])
        if len(d) == 0:
            raise InputError(f"a trend needs at least two rows of '{obs.table}'", key=key)
        scale = max(float(np.max(np.abs(ys))), 1e-300)
        sign = 1.0 if obs.direction == "increasing" else -1.0
        ok_steps = np.sum(sign * d >= -1e-9 * scale)
        pred = float(ok_steps / len(d))
        where_si["direction"] = obs.direction
        row = Row(dataset=dataset.name, output=obs.output, where=where_si, type=obs.type,
                  measured_SI=None, predicted_SI=pred, band={"min": 1.0},
                  within=pred >= 1.0, unit="1")
    order = np.argsort(x[mask], kind="stable")
    row.curve = (obs.x, xunit, x[mask][order], y[mask][order])
    return row


def evaluate(dataset: Dataset, result: Result, *, smoke: bool = False) -> list[Row]:
    """Rows of every observation of a dataset against its case's result.

    ``smoke``: a smoke run computes fewer rows (pressures, cycles), so an observation
    that selects a row the run does not have is reported ``failed: not evaluated at smoke
    size`` instead of being an input error.
    """
    rows = []
    for obs in dataset.observations:
        try:
            row = evaluate_observation(dataset, result, obs)
        except InputError as exc:
            if not smoke:
                raise
            row = _failed_row(dataset, obs, f"not evaluated at smoke size: {exc.message}",
                              case_ran=True)
        row.note = obs.note
        rows.append(row)
    return rows


def _failed_row(dataset: Dataset, obs: Observation, reason: str, case_ran: bool) -> Row:
    measured = None
    if obs.value is not None and isinstance(obs.value, int | float):
        measured = float(obs.value)
    return Row(dataset=dataset.name, output=obs.output, where=dict(obs.where), type=obs.type,
               measured_SI=measured, predicted_SI=None, band={}, within=False,
               status=f"failed: {reason}", note=obs.note, case_ran=case_ran)


def failed_rows(dataset: Dataset, reason: str) -> list[Row]:
    """Rows for a dataset whose case did not run (status ``failed: <reason>``)."""
    return [_failed_row(dataset, obs, reason, case_ran=False) for obs in dataset.observations]
