"""Calibration: fit case parameters to validation datasets (``ssbi calibrate``).

A calibration file names case keys to fit (dotted paths as in ``--set``, with bounds;
positive parameters are fitted in log space), the datasets to fit them on and optional
priors:

    [calibration]
    name = "jig_frame"
    description = "..."

    [[parameter]]
    key = "jig.frame_stiffness"
    initial = "3e7 N/m"
    bounds = ["1e6 N/m", "1e9 N/m"]
    datasets = ["koerver2018_fixed_gap_jig"]     # optional: where the key applies (default all)

    [[dataset]]
    file = "koerver2018_fixed_gap_jig.toml"      # next to this file, or a shipped dataset name

    [[prior]]                                    # optional, log-normal
    key = "jig.frame_stiffness"
    value = "3e7 N/m"
    factor = 10.0

The residual of an observation is its deviation in units of its band: ln(p/m)/ln(F)
for a factor band, (p - m)/(r |m|) for rel, (p - m)/a for abs; a censored band (min /
max) contributes 0 inside and ln(p/bound)/ln(2) outside (linear for bounds <= 0).
Trend observations of type ``monotone`` do not enter the fit.  scipy's least squares
(trust region reflective, bounds in the fitted space) minimises the sum of squares;
the standard errors and correlations come from the Jacobian at the optimum,
cov = (J^T J)^-1 s^2 with s^2 = chi^2 / (m - p) when m > p (else 1).  Leave-one-out
refits drop each dataset in turn and report the change of every parameter; a parameter
no remaining observation constrains is reported as undetermined.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from interface.errors import InputError
from interface.schema import suggest
from interface.validation.dataset import Dataset, load_dataset, shipped_datasets


@dataclass(frozen=True)
class Parameter:
    """One fitted case key (SI values)."""

    key: str
    initial: float
    lower: float
    upper: float
    log: bool
    unit: str
    datasets: tuple[str, ...] = ()

    def to_x(self, value: float) -> float:
        """Fitted-space coordinate of a value."""
        return math.log(value) if self.log else value

    def from_x(self, x: float) -> float:
        """Value of a fitted-space coordinate."""
        return math.exp(x) if self.log else x

    def as_override(self, value: float) -> Any:
        """The override value (a string with the SI unit, or a bare number)."""
        return value if self.unit in ("", "1") else f"{value!r} {self.unit}"


@dataclass(frozen=True)
class Prior:
    """A log-normal prior on a parameter: residual ln(p / value) / ln(factor)."""

    key: str
    value: float
    factor: float


@dataclass(frozen=True)
class Calibration:
    """A calibration file read and checked."""

    path: Path
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    datasets: tuple[Dataset, ...]
    priors: tuple[Prior, ...] = ()


@dataclass
class FitResult:
    """The outcome of a fit (SI values)."""

    values: dict[str, float]
    standard_errors: dict[str, float]        # in the fitted space (log: relative)
    correlation: np.ndarray
    residuals: list[dict] = field(default_factory=list)
    cost: float = 0.0
    evaluations: int = 0
    success: bool = True
    message: str = ""
    determined: dict[str, bool] = field(default_factory=dict)


# ----------------------------------------------------------------------- reading
def _case_unit(dataset: Dataset, key: str, file: str) -> str:
    """The SI unit of a case key, from the dataset's case schema."""
    from interface.validation import _case_of

    try:
        case = _case_of(dataset, False, None)
    except InputError as exc:
        raise InputError(f"dataset '{dataset.name}' cannot be built to look up '{key}': "
                         f"{exc.oneline()}", key="parameter.key", file=file) from None
    from interface.case.load import case_value

    try:
        value, unit = case_value(case, key)
    except InputError as exc:
        raise InputError(f"case of dataset '{dataset.name}' has no key '{key}' ({exc.message})",
                         key="parameter.key", file=file) from None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InputError(f"'{key}' is not a number in the case of dataset '{dataset.name}'",
                         key="parameter.key", file=file)
    return unit or "1"


def _quantity(value: Any, unit: str, key: str) -> float:
    from interface.validation.evaluate import to_output_unit

    return to_output_unit(value, unit, key)


def load_calibration(path: str | Path) -> Calibration:
    """Read and check a calibration file (InputError naming the file and key)."""
    p = Path(path)
    file = str(p)
    try:
        if not p.is_file():
            raise InputError("no such calibration file")
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read: {exc}") from None
        allowed = {"calibration", "parameter", "dataset", "prior"}
        for k in data:
            if k not in allowed:
                raise InputError(f"unknown table [{k}]{suggest(k, allowed)}", key=k)
        meta = data.get("calibration", {})
        if not isinstance(meta, dict) or not isinstance(meta.get("name"), str):
            raise InputError("missing [calibration] name", key="calibration.name")
        datasets = []
        shipped = {q.stem: q for q in shipped_datasets()}
        for i, d in enumerate(data.get("dataset", [])):
            if not isinstance(d, dict) or not isinstance(d.get("file"), str):
                raise InputError("expected file = \"...toml\"", key=f"dataset[{i}].file")
            f = Path(d["file"])
            cand = f if f.is_absolute() else p.parent / f
            if not cand.is_file():
                cand = shipped.get(f.stem, cand)
            if not Path(cand).is_file():
                raise InputError(f"dataset {d['file']} not found (next to the calibration file "
                                 "or among the shipped datasets)", key=f"dataset[{i}].file")
            datasets.append(load_dataset(cand))
        if not datasets:
            raise InputError("a calibration needs at least one [[dataset]]", key="dataset")
        names = {d.name: d for d in datasets}
        params = []
        for i, q in enumerate(data.get("parameter", [])):
            key = f"parameter[{i}]"
            if not isinstance(q, dict):
                raise InputError("expected a table", key=key)
            for k in q:
                if k not in ("key", "initial", "bounds", "log", "datasets"):
                    raise InputError(f"unknown key '{k}'", key=f"{key}.{k}")
            if not isinstance(q.get("key"), str):
                raise InputError("missing key (a dotted case key)", key=f"{key}.key")
            ds = tuple(q.get("datasets", list(names)))
            for name in ds:
                if name not in names:
                    raise InputError(f"no dataset named '{name}'{suggest(name, names)}",
                                     key=f"{key}.datasets")
            unit = _case_unit(names[ds[0]], q["key"], file)
            b = q.get("bounds")
            if not isinstance(b, list) or len(b) != 2:
                raise InputError("expected bounds = [lower, upper]", key=f"{key}.bounds")
            lo = _quantity(b[0], unit, f"{key}.bounds[0]")
            hi = _quantity(b[1], unit, f"{key}.bounds[1]")
            if "initial" not in q:
                raise InputError("missing initial value", key=f"{key}.initial")
            x0 = _quantity(q["initial"], unit, f"{key}.initial")
            if not lo < x0 < hi:
                raise InputError("initial must lie strictly inside the bounds",
                                 key=f"{key}.initial")
            log = q.get("log", lo > 0)
            if log and lo <= 0:
                raise InputError("a log-space parameter needs positive bounds",
                                 key=f"{key}.log")
            params.append(Parameter(q["key"], x0, lo, hi, bool(log), unit, ds))
        if not params:
            raise InputError("a calibration needs at least one [[parameter]]", key="parameter")
        priors = []
        for i, q in enumerate(data.get("prior", [])):
            key = f"prior[{i}]"
            match = [pp for pp in params if pp.key == q.get("key")]
            if not match:
                raise InputError("a prior must name a fitted parameter's key", key=f"{key}.key")
            f = q.get("factor")
            if not isinstance(f, int | float) or not f > 1:
                raise InputError("factor must be a number > 1", key=f"{key}.factor")
            priors.append(Prior(match[0].key, _quantity(q.get("value"), match[0].unit,
                                                        f"{key}.value"), float(f)))
        return Calibration(p, meta["name"], str(meta.get("description", "")), tuple(params),
                           tuple(datasets), tuple(priors))
    except InputError as exc:
        raise exc.at(file=file) from None


# ----------------------------------------------------------------------- fitting
def observation_residual(row) -> float | None:
    """Deviation of one validation row in units of its band (None: not in the fit)."""
    p, m, b = row.predicted_SI, row.measured_SI, row.band
    if row.type == "monotone" or p is None:
        return None
    if "factor" in b:
        if m is None or m <= 0:
            return None
        return math.log(max(p, 1e-300) / m) / math.log(b["factor"])
    if "rel" in b:
        return (p - m) / (b["rel"] * abs(m)) if m else None
    if "abs" in b:
        return (p - m) / b["abs"]
    for bound, outside in (("min", p < b.get("min", -math.inf)),
                           ("max", p > b.get("max", math.inf))):
        if outside:
            v = b[bound]
            if v > 0 and p > 0:
                return math.log(p / v) / math.log(2.0)
            return (p - v) / max(abs(v), 1e-300)
    return 0.0


def evaluate(cal: Calibration, values: dict[str, float], comm=None,
             exclude: tuple[str, ...] = ()) -> tuple[np.ndarray, list[dict]]:
    """Residual vector and a table of rows for parameter values (SI), datasets not excluded."""
    from interface.validation import run_dataset

    res, table = [], []
    for ds in cal.datasets:
        if ds.name in exclude:
            continue
        overrides = {p.key: p.as_override(values[p.key]) for p in cal.parameters
                     if ds.name in p.datasets}
        rec = run_dataset(ds, comm, overrides=overrides)
        for row in rec.rows:
            if row.status != "ok":
                raise InputError(f"dataset '{ds.name}' failed during the calibration: "
                                 f"{row.status}", key="dataset", file=str(cal.path))
            r = observation_residual(row)
            if r is None:
                continue
            res.append(r)
            table.append({"dataset": ds.name, "output": row.output, "where": row.where,
                          "measured_SI": row.measured_SI, "predicted_SI": row.predicted_SI,
                          "band": row.band, "residual": r, "within": row.within})
    for pr in cal.priors:
        res.append(math.log(values[pr.key] / pr.value) / math.log(pr.factor))
        table.append({"dataset": "prior", "output": pr.key, "where": {},
                      "measured_SI": pr.value, "predicted_SI": values[pr.key],
                      "band": {"factor": pr.factor}, "residual": res[-1], "within": True})
    return np.asarray(res, dtype=float), table


def fit(cal: Calibration, comm=None, *, exclude: tuple[str, ...] = (),
        progress=None) -> FitResult:
    """Least-squares fit of the calibration's parameters (see the module docstring)."""
    from scipy.optimize import least_squares

    params = [p for p in cal.parameters if any(d not in exclude for d in p.datasets)
              or any(pr.key == p.key for pr in cal.priors)]
    undetermined = {p.key: False for p in cal.parameters if p not in params}
    fixed = {p.key: p.initial for p in cal.parameters if p not in params}
    count = [0]

    def values_of(x):
        return {**fixed, **{p.key: p.from_x(xi) for p, xi in zip(params, x, strict=True)}}

    def fun(x):
        count[0] += 1
        r, _ = evaluate(cal, values_of(x), comm, exclude)
        if progress is not None:
            progress.message(f"evaluation {count[0]}: cost {0.5 * float(r @ r):.6g}")
        return r

    x0 = np.array([p.to_x(p.initial) for p in params])
    lb = np.array([p.to_x(p.lower) for p in params])
    ub = np.array([p.to_x(p.upper) for p in params])
    if not params:
        r, table = evaluate(cal, fixed, comm, exclude)
        return FitResult(dict(fixed), {}, np.zeros((0, 0)), table, 0.5 * float(r @ r), 1,
                         determined=undetermined)
    sol = least_squares(fun, x0, bounds=(lb, ub), method="trf", x_scale="jac",
                        diff_step=1e-4, xtol=1e-10, ftol=1e-12, gtol=1e-12, max_nfev=200)
    jac = sol.jac
    m, n = jac.shape
    jtj = jac.T @ jac
    determined = {p.key: bool(np.linalg.norm(jac[:, i]) > 1e-8) for i, p in enumerate(params)}
    determined.update(undetermined)
    s2 = float(sol.fun @ sol.fun) / (m - n) if m > n else 1.0
    try:
        cov = np.linalg.inv(jtj) * max(s2, 1e-300) if m > n else np.linalg.inv(jtj)
    except np.linalg.LinAlgError:
        cov = np.full((n, n), np.inf)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, np.inf))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(se, se)
    values = values_of(sol.x)
    _, table = evaluate(cal, values, comm, exclude)
    return FitResult(values, {p.key: float(se[i]) for i, p in enumerate(params)},
                     np.nan_to_num(corr, nan=0.0), table, float(sol.cost), count[0],
                     bool(sol.success), str(sol.message), determined)


def leave_one_out(cal: Calibration, comm=None) -> dict[str, FitResult]:
    """Refit with each dataset left out.

    A parameter that no remaining dataset (or prior) constrains keeps its initial value
    and is reported undetermined; with a single training dataset that is every parameter.
    """
    out = {}
    for d in cal.datasets:
        rest = [e for e in cal.datasets if e.name != d.name]
        if not rest and not cal.priors:
            out[d.name] = FitResult({p.key: p.initial for p in cal.parameters}, {},
                                    np.zeros((0, 0)), determined={p.key: False
                                                                  for p in cal.parameters})
        else:
            out[d.name] = fit(cal, comm, exclude=(d.name,))
    return out


def parameter_file_text(cal: Calibration, result: FitResult,
                        loo: dict[str, FitResult]) -> str:
    """The parameter-set TOML that cases include with ``[parameters] file = "..."``."""
    import datetime as dt

    lines = ["# Parameter set fitted by `ssbi calibrate` (interface/validation/calibrate.py).",
             f"# Calibration: {cal.path.name} ({cal.name}). {cal.description}".rstrip(),
             "", "[parameter_set]", f'name = "{cal.name}"',
             f'created = "{dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}"',
             f'calibration = "{cal.path.name}"', ""]
    for p in cal.parameters:
        v = result.values[p.key]
        value = repr(float(v)) if p.unit in ("", "1") else f'"{v:.6g} {p.unit}"'
        se = result.standard_errors.get(p.key, math.nan)
        what = "relative (log-space)" if p.log else f"absolute [{p.unit}]"
        lines += [f'[values."{p.key}"]', f"value = {value}",
                  f"standard_error = {se if math.isfinite(se) else 'nan'}"
                  f"  # {what}",
                  f"datasets = [{', '.join(repr(d) for d in p.datasets)}]".replace("'", '"')]
        for name, r in loo.items():
            if p.key in r.values and name in p.datasets:
                lines.append(f"# leave out {name}: {r.values[p.key]:.6g}"
                             + ("" if r.determined.get(p.key, False)
                                else " (undetermined without it)"))
        lines.append("")
    return "\n".join(lines)


def read_parameter_file(path: Path) -> dict[str, Any]:
    """Dotted key -> value (as written) of a parameter-set file (InputError if malformed)."""
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such parameter-set file", file=file) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise InputError(f"cannot read the parameter set: {exc}", file=file) from None
    values = data.get("values")
    if not isinstance(values, dict) or not values:
        raise InputError("a parameter set needs [values.\"<dotted key>\"] tables",
                         key="values", file=file)
    out = {}
    for key, entry in values.items():
        if not isinstance(entry, dict) or "value" not in entry:
            raise InputError("expected value = ...", key=f"values.{key}", file=file)
        out[key] = entry["value"]
    return out
