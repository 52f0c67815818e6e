"""Validation datasets: a case plus observations of its outputs, with bands.

The format is fixed in docs/validation-experiments.md ("The dataset format"):
one TOML file per dataset with a ``[dataset]`` table (name, citation, doi,
source, notes), a ``[dataset.case]`` table (``file`` or ``inline``, optional
``overrides``), any number of ``[[observation]]`` tables and optional
``[[calibrate]]`` tables.  Reading a dataset checks everything that can be
checked without running its case: keys, observation types, bands, units of
the bounds.  What needs the case's outputs (the unit of an output, a ``where``
that matches a row) is checked by :mod:`interface.validation.evaluate`.

Values are kept as written (strings with units or numbers) until the unit of
the output they compare with is known; a bare number is read in the output's
own unit (the one in its name, e.g. ``strain_rate_per_s``).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interface.errors import InputError
from interface.schema import suggest

#: Observation types and the keys each accepts (besides ``type`` and ``output``).
TYPES: dict[str, set[str]] = {
    "value": {"where", "value", "band", "note"},
    "loglog_slope": {"x", "between", "value", "band", "where", "note"},
    "monotone": {"x", "direction", "where", "note"},
    "difference": {"where", "minus", "value", "band", "note"},
    "ratio": {"where", "minus", "value", "band", "note"},
}
#: Band keys.
BAND_KEYS = ("factor", "rel", "abs", "min", "max")
DATASET_KEYS = {"name", "citation", "doi", "source", "notes", "case", "digitised"}
CASE_KEYS = {"file", "inline", "overrides", "smoke_overrides"}
TOP_KEYS = {"dataset", "observation", "calibrate"}


@dataclass(frozen=True)
class Band:
    """How close a prediction must come (values as written; converted when evaluated).

    Exactly one of ``factor``, ``rel``, ``abs``, or one or both of ``min``/``max``.
    """

    factor: float | None = None
    rel: float | None = None
    abs: Any = None
    min: Any = None
    max: Any = None

    @property
    def kind(self) -> str:
        """"factor", "rel", "abs" or "bounds"."""
        for k in ("factor", "rel", "abs"):
            if getattr(self, k) is not None:
                return k
        return "bounds"


@dataclass(frozen=True)
class Observation:
    """One measured quantity (or trend) of a dataset.

    Attributes:
        index: position in the file (0-based), for key paths ``observation[i]``.
        type: value | loglog_slope | monotone | difference | ratio.
        output: ``summary/<key>`` or ``tables/<table>/<column>``.
        where, minus: row selectors (column -> value as written).
        value: the measured value as written (None for censored bounds / monotone).
        band: the band (None for monotone).
        x: the abscissa column of trends.
        between: (lo, hi) of x as written (loglog_slope).
        direction: increasing | decreasing (monotone).
    """

    index: int
    type: str
    output: str
    where: dict[str, Any] = field(default_factory=dict)
    minus: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    band: Band | None = None
    x: str = ""
    between: tuple[Any, Any] | None = None
    direction: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        """Key path of this observation in its file."""
        return f"observation[{self.index}]"

    @property
    def source(self) -> str:
        """"summary" or "tables"."""
        return self.output.split("/", 1)[0]

    @property
    def table(self) -> str:
        """The table of a ``tables/<table>/<column>`` output ("" for summary)."""
        parts = self.output.split("/")
        return parts[1] if parts[0] == "tables" else ""

    @property
    def column(self) -> str:
        """The summary key or the table column."""
        return self.output.split("/")[-1]


@dataclass(frozen=True)
class Dataset:
    """A validation dataset read from its TOML file.

    Attributes:
        path: the dataset file.
        name, citation, doi, source, notes: the ``[dataset]`` table.
        case_file: the resolved case file (None for an inline case or when not found).
        case_name: the case file as written (or "inline").
        case_inline: the inline case tables (or None).
        overrides: dotted key -> value applied to the case.
        observations: the observations, in file order.
        calibrate: the ``[[calibrate]]`` tables (training data for ``ssbi calibrate``).
        missing_case: why the case file could not be found ("" when found).
    """

    path: Path
    name: str
    citation: str
    doi: str
    source: str
    notes: str
    case_file: Path | None
    case_name: str
    case_inline: dict | None
    overrides: dict[str, Any]
    observations: tuple[Observation, ...]
    calibrate: tuple[dict, ...] = ()
    missing_case: str = ""
    smoke_overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def is_training(self) -> bool:
        """True when the dataset carries a ``[[calibrate]]`` table."""
        return bool(self.calibrate)


# ------------------------------------------------------------------------- paths
def examples_root() -> Path | None:
    """The folder holding the shipped ``cases/`` (installed package data, else the checkout)."""
    here = Path(__file__).resolve().parent.parent
    for root in (here / "examples", here.parent):
        if (root / "cases").is_dir():
            return root
    return None


def resolve_case(name: str, dataset_dir: Path) -> Path | None:
    """A dataset's case file: relative to the dataset's folder, the cwd, then the examples."""
    p = Path(name)
    if p.is_absolute():
        return p if p.is_file() else None
    roots = [dataset_dir, Path.cwd()]
    ex = examples_root()
    if ex is not None:
        roots.append(ex)
    for root in roots:
        cand = root / p
        if cand.is_file():
            return cand.resolve()
    return None


# ------------------------------------------------------------------------ parsing
def _check_keys(table: Mapping, allowed: set[str], path: str) -> None:
    for k in table:
        if k not in allowed:
            raise InputError(f"unknown key '{k}'{suggest(k, allowed)}; allowed: "
                             f"{', '.join(sorted(allowed))}", key=f"{path}.{k}" if path else k)


def _string(table: Mapping, key: str, path: str, required: bool = False) -> str:
    v = table.get(key, "")
    if required and key not in table:
        raise InputError("missing required key", key=f"{path}.{key}")
    if not isinstance(v, str):
        raise InputError(f"expected a string, got {v!r}", key=f"{path}.{key}")
    return v


def _scalar(v: Any, key: str) -> Any:
    """A value as written: a finite number or a non-empty string (checked later for units)."""
    if isinstance(v, bool):
        raise InputError(f"expected a number or a string with units, got {v!r}", key=key)
    if isinstance(v, int | float):
        if not math.isfinite(v):
            raise InputError(f"expected a finite number, got {v!r}", key=key)
        return v
    if isinstance(v, str) and v.strip():
        _parse_any(v, key)
        return v
    raise InputError(f"expected a number or a string with units, got {v!r}", key=key)


def _parse_any(text: str, key: str):
    """Parse a string as a pint quantity (any dimension); InputError if it is not one."""
    from interface.units import registry

    try:
        q = registry().Quantity(text.strip())
    except Exception:  # noqa: BLE001 - pint raises many kinds of syntax errors
        raise InputError(f"cannot read '{text}' as a quantity (expected e.g. \"3 MPa\")",
                         key=key) from None
    mag = float(getattr(q, "magnitude", q))
    if not math.isfinite(mag):
        raise InputError(f"expected a finite value, got '{text}'", key=key)
    return q


def _selector(v: Any, key: str) -> dict[str, Any]:
    if not isinstance(v, Mapping) or not v:
        raise InputError("expected a table of column = value (e.g. { stack_pressure_Pa = "
                         "\"3 MPa\" })", key=key)
    out = {}
    for col, val in v.items():
        if isinstance(val, list):
            raise InputError("expected one value per column (a where picks one row)",
                             key=f"{key}.{col}")
        out[str(col)] = _scalar(val, f"{key}.{col}")
    return out


def _band(v: Any, key: str) -> Band:
    if not isinstance(v, Mapping):
        raise InputError("expected a table such as { factor = 2.0 }, { rel = 0.2 }, "
                         "{ abs = \"0.1 MPa\" } or { min = ..., max = ... }", key=key)
    _check_keys(v, set(BAND_KEYS), key)
    if not v:
        raise InputError("a band needs bounds: factor, rel, abs, or min and/or max", key=key)
    kinds = [k for k in ("factor", "rel", "abs") if k in v]
    if len(kinds) > 1 or (kinds and ("min" in v or "max" in v)):
        raise InputError("give one of factor, rel, abs, or min/max", key=key)
    if "factor" in v:
        f = v["factor"]
        if isinstance(f, bool) or not isinstance(f, int | float) or not f > 1.0 \
                or not math.isfinite(f):
            raise InputError(f"factor must be a number > 1, got {f!r}", key=f"{key}.factor")
        return Band(factor=float(f))
    if "rel" in v:
        r = v["rel"]
        if isinstance(r, bool) or not isinstance(r, int | float) or not r > 0 \
                or not math.isfinite(r):
            raise InputError(f"rel must be a number > 0, got {r!r}", key=f"{key}.rel")
        return Band(rel=float(r))
    if "abs" in v:
        a = _scalar(v["abs"], f"{key}.abs")
        if isinstance(a, int | float) and not a > 0:
            raise InputError(f"abs must be > 0, got {a!r}", key=f"{key}.abs")
        return Band(abs=a)
    return Band(min=_scalar(v["min"], f"{key}.min") if "min" in v else None,
                max=_scalar(v["max"], f"{key}.max") if "max" in v else None)


def _output(v: Any, key: str) -> str:
    if not isinstance(v, str):
        raise InputError("expected 'summary/<key>' or 'tables/<table>/<column>'", key=key)
    parts = v.split("/")
    ok = ((len(parts) == 2 and parts[0] == "summary") or
          (len(parts) == 3 and parts[0] == "tables")) and all(parts)
    if not ok:
        raise InputError(f"expected 'summary/<key>' or 'tables/<table>/<column>', got '{v}'",
                         key=key)
    return v


def _observation(i: int, obs: Any) -> Observation:
    key = f"observation[{i}]"
    if not isinstance(obs, Mapping):
        raise InputError("expected a table ([[observation]])", key=key)
    typ = obs.get("type", "value")
    if typ not in TYPES:
        raise InputError(f"unknown type '{typ}'{suggest(str(typ), TYPES)}; expected one of "
                         f"{', '.join(TYPES)}", key=f"{key}.type")
    _check_keys(obs, TYPES[typ] | {"type", "output"}, key)
    if "output" not in obs:
        raise InputError("missing required key (the output compared)", key=f"{key}.output")
    output = _output(obs["output"], f"{key}.output")
    kw: dict[str, Any] = {"index": i, "type": typ, "output": output,
                          "note": _string(obs, "note", key)}
    if "where" in obs:
        kw["where"] = _selector(obs["where"], f"{key}.where")
    if "value" in obs:
        kw["value"] = _scalar(obs["value"], f"{key}.value")
    if "band" in obs:
        kw["band"] = _band(obs["band"], f"{key}.band")
    if typ in ("value", "difference", "ratio", "loglog_slope"):
        band = kw.get("band")
        if band is None:
            raise InputError("missing band (e.g. band = { factor = 2.0 })", key=f"{key}.band")
        if band.kind != "bounds" and kw.get("value") is None:
            raise InputError(f"a {band.kind} band needs a value", key=f"{key}.value")
        if band.kind == "factor" and isinstance(kw.get("value"), int | float) \
                and not kw["value"] > 0:
            raise InputError("a factor band needs a positive value", key=f"{key}.value")
    if typ == "value" and output.startswith("tables/") and "where" not in kw:
        raise InputError("a table output needs a where (the row it reads)", key=f"{key}.where")
    if typ == "value" and output.startswith("summary/") and "where" in kw:
        raise InputError("a summary value has no rows to select", key=f"{key}.where")
    if typ in ("difference", "ratio"):
        if "minus" not in obs:
            raise InputError(f"a {typ} needs minus = {{...}} (the row it is compared with)",
                             key=f"{key}.minus")
        kw["minus"] = _selector(obs["minus"], f"{key}.minus")
        if output.startswith("tables/") and "where" not in kw:
            raise InputError(f"a {typ} needs where = {{...}}", key=f"{key}.where")
    if typ in ("loglog_slope", "monotone"):
        if not output.startswith("tables/"):
            raise InputError(f"a {typ} compares a table column", key=f"{key}.output")
        x = obs.get("x")
        if not isinstance(x, str) or not x:
            raise InputError("missing x (the abscissa column)", key=f"{key}.x")
        kw["x"] = x
    if typ == "loglog_slope":
        b = obs.get("between")
        if b is not None:
            if not isinstance(b, list) or len(b) != 2:
                raise InputError("expected [lo, hi]", key=f"{key}.between")
            kw["between"] = (_scalar(b[0], f"{key}.between[0]"),
                             _scalar(b[1], f"{key}.between[1]"))
        v = kw.get("value")
        if v is not None and not isinstance(v, int | float):
            raise InputError("a log-log slope is a bare number", key=f"{key}.value")
    if typ == "monotone":
        d = obs.get("direction")
        if d not in ("increasing", "decreasing"):
            raise InputError(f"expected 'increasing' or 'decreasing', got {d!r}",
                             key=f"{key}.direction")
        kw["direction"] = d
    return Observation(**kw)


def load_dataset(path: str | Path) -> Dataset:
    """Read and check a dataset file (raises InputError naming the file and key)."""
    p = Path(path)
    try:
        if not p.is_file():
            raise InputError("no such dataset file" if not p.exists() else
                             "not a file (expected a dataset .toml)")
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise InputError("not a UTF-8 text file") from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"TOML syntax error: {exc}") from None
        return _build(p, data)
    except InputError as exc:
        raise exc.at(file=str(p)) from None


def _build(p: Path, data: dict) -> Dataset:
    _check_keys(data, TOP_KEYS, "")
    ds = data.get("dataset")
    if not isinstance(ds, Mapping):
        raise InputError("missing the [dataset] table", key="dataset")
    _check_keys(ds, DATASET_KEYS, "dataset")
    name = _string(ds, "name", "dataset", required=True)
    if not name or not name.replace("_", "").isalnum() or name.lower() != name:
        raise InputError(f"expected a snake_case name, got {name!r}", key="dataset.name")
    citation = _string(ds, "citation", "dataset", required=True)
    case = ds.get("case")
    if not isinstance(case, Mapping):
        raise InputError("missing the [dataset.case] table (file = \"cases/...toml\")",
                         key="dataset.case")
    _check_keys(case, CASE_KEYS, "dataset.case")
    if ("file" in case) == ("inline" in case):
        raise InputError("give exactly one of file or inline", key="dataset.case")
    overrides = {}
    for kind in ("overrides", "smoke_overrides"):
        ov = case.get(kind, {})
        if not isinstance(ov, Mapping):
            raise InputError("expected a table of dotted key = value",
                             key=f"dataset.case.{kind}")
        overrides[kind] = dict(ov)
    case_file, inline, missing = None, None, ""
    if "file" in case:
        case_name = _string(case, "file", "dataset.case")
        case_file = resolve_case(case_name, p.parent)
        if case_file is None:
            missing = (f"case file {case_name} not found (looked next to the dataset, in the "
                       "working folder and in the shipped examples)")
    else:
        inline = case["inline"]
        if not isinstance(inline, Mapping):
            raise InputError("expected the case tables ([dataset.case.inline.case] ...)",
                             key="dataset.case.inline")
        inline = dict(inline)
        case_name = "inline"
    obs = data.get("observation", [])
    if not isinstance(obs, list) or not obs:
        raise InputError("a dataset needs at least one [[observation]]", key="observation")
    observations = tuple(_observation(i, o) for i, o in enumerate(obs))
    cal = data.get("calibrate", [])
    if not isinstance(cal, list) or not all(isinstance(c, Mapping) for c in cal):
        raise InputError("expected [[calibrate]] tables", key="calibrate")
    return Dataset(path=p, name=name, citation=citation, doi=_string(ds, "doi", "dataset"),
                   source=_string(ds, "source", "dataset"), notes=_string(ds, "notes", "dataset"),
                   case_file=case_file, case_name=case_name, case_inline=inline,
                   overrides=overrides["overrides"], observations=observations,
                   calibrate=tuple(dict(c) for c in cal), missing_case=missing,
                   smoke_overrides=overrides["smoke_overrides"])


def dataset_files(paths: list[str | Path] | None) -> list[Path]:
    """Dataset files of the arguments (files, or folders searched for *.toml); None: shipped."""
    if not paths:
        return shipped_datasets()
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            found = sorted(p.glob("*.toml"))
            if not found:
                raise InputError("no dataset files (*.toml) in this folder", file=str(p))
            out += found
        else:
            out.append(p)
    return out


def shipped_datasets() -> list[Path]:
    """The datasets shipped with the package (interface/validation/data/*.toml)."""
    return sorted((Path(__file__).resolve().parent / "data").glob("*.toml"))
