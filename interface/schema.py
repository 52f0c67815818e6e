"""A small declarative schema: frozen dataclasses whose fields say their units.

A case-file section is a frozen dataclass whose fields are declared with
:func:`spec`.  :func:`build` turns a TOML table into an instance: it rejects
unknown keys (with a did-you-mean), converts quantities to SI with
:mod:`interface.units`, checks ranges and choices, fills defaults (defaults are
written like user input, e.g. ``"0 K"``, and go through the same conversion),
then calls the optional ``validate(path)`` hook of the class for cross-field
checks.  :func:`describe` renders the same declarations as the case-file
reference in docs/, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from interface.errors import InputError
from interface.units import dimension_name, parse_quantity

#: An integer written as a string ("3"): ASCII digits only ("²" is a digit to str.isdigit).
_INTEGER = re.compile(r"[-+]?[0-9]{1,18}")

_KINDS = {
    "quantity", "number", "integer", "string", "choice", "boolean", "table", "tables",
    "numbers", "quantities", "mapping", "raw", "values",
}


def spec(
    kind: str,
    *,
    doc: str,
    unit: str | None = None,
    default: Any = dataclasses.MISSING,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    choices: tuple[str, ...] | None = None,
    item: Any = None,
    variants: Mapping[str, type] | None = None,
    min_items: int = 0,
) -> Any:
    """Declare a case-file field.

    Args:
        kind: one of quantity, number, integer, string, choice, boolean,
            table (a nested section), tables (a list of sections, optionally
            discriminated by their ``kind`` key through ``variants``), numbers,
            quantities, mapping (name -> section), raw (a free table, checked
            by the owner).
        doc: one-line description for the case-file reference.
        unit: SI unit of a quantity ("Pa", "m", ...).
        default: default written as in a case file ("0 K", 0.3, "spring"),
            or a callable for tables. Missing means required.
        gt: exclusive lower bound, in SI.
        ge: inclusive lower bound, in SI.
        lt: exclusive upper bound, in SI.
        le: inclusive upper bound, in SI.
        choices: allowed strings for a choice.
        item: the dataclass of a table/tables/mapping.
        variants: for tables, the ``kind`` value -> dataclass.
        min_items: minimum list length.
        gt, ge, lt, le: exclusive / inclusive bounds in SI units.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown spec kind {kind}")
    meta = dict(kind=kind, doc=doc, unit=unit, default=default, gt=gt, ge=ge, lt=lt, le=le,
                choices=choices, item=item, variants=variants, min_items=min_items)
    # Optional fields get a placeholder default so dataclass field order is free;
    # build() always passes every field explicitly.
    return dataclasses.field(default=None, metadata={"spec": meta})


def _spec_fields(cls: type) -> dict[str, dict]:
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}


def suggest(word: str, options: list[str] | set[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' or ''."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def join(path: str, key: str) -> str:
    """Join two parts of a key path with a dot (an empty path gives the key alone)."""
    return f"{path}.{key}" if path else key


def _check_bounds(value: float, meta: dict, key: str) -> None:
    unit = meta["unit"] or ""
    u = "" if unit in ("", "1") else f" {unit}"
    if meta["gt"] is not None and not value > meta["gt"]:
        raise InputError(f"must be > {meta['gt']:g}{u}, got {value:g}{u}", key=key)
    if meta["ge"] is not None and not value >= meta["ge"]:
        raise InputError(f"must be >= {meta['ge']:g}{u}, got {value:g}{u}", key=key)
    if meta["lt"] is not None and not value < meta["lt"]:
        raise InputError(f"must be < {meta['lt']:g}{u}, got {value:g}{u}", key=key)
    if meta["le"] is not None and not value <= meta["le"]:
        raise InputError(f"must be <= {meta['le']:g}{u}, got {value:g}{u}", key=key)


def _convert(value: Any, meta: dict, key: str) -> Any:
    kind = meta["kind"]
    if kind == "quantity":
        v = parse_quantity(value, meta["unit"], key=key)
        _check_bounds(v, meta, key)
        return v
    if kind == "number":
        v = parse_quantity(value, "1", key=key)
        _check_bounds(v, meta, key)
        return v
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
                value = int(value.strip())
            else:
                raise InputError(f"expected an integer, got {value!r}", key=key)
        if abs(value) >= 2**63:
            raise InputError(f"expected an integer of magnitude below 2^63, got {value:.3e}",
                             key=key)
        _check_bounds(value, meta, key)
        return int(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise InputError(f"expected true or false, got {value!r}", key=key)
    if kind == "string":
        if not isinstance(value, str):
            raise InputError(f"expected a string, got {value!r}", key=key)
        return value
    if kind == "choice":
        if not isinstance(value, str) or value not in meta["choices"]:
            opts = ", ".join(f"'{c}'" for c in meta["choices"])
            hint = suggest(str(value), meta["choices"]) if isinstance(value, str) else ""
            raise InputError(f"expected one of {opts}, got {value!r}{hint}", key=key)
        return value
    if kind in ("numbers", "quantities"):
        if not isinstance(value, list | tuple):
            raise InputError(f"expected a list, got {value!r}", key=key)
        if len(value) < meta["min_items"]:
            raise InputError(f"expected at least {meta['min_items']} values, got {len(value)}",
                             key=key)
        unit = meta["unit"] if kind == "quantities" else "1"
        out = []
        for i, item in enumerate(value):
            v = parse_quantity(item, unit, key=f"{key}[{i}]")
            _check_bounds(v, {**meta, "unit": unit}, f"{key}[{i}]")
            out.append(v)
        return tuple(out)
    if kind == "table":
        return build(meta["item"], value, key)
    if kind == "tables":
        if not isinstance(value, list | tuple):
            raise InputError("expected a list of tables ([[...]] in TOML)", key=key)
        if len(value) < meta["min_items"]:
            raise InputError(f"expected at least {meta['min_items']} entries, got {len(value)}",
                             key=key)
        out = []
        for i, item in enumerate(value):
            ikey = f"{key}[{i}]"
            if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                ikey = f"{key}.{item['name']}"
            cls = meta["item"]
            if meta["variants"]:
                if not isinstance(item, Mapping):
                    raise InputError("expected a table", key=ikey)
                kind_value = item.get("kind")
                if kind_value not in meta["variants"]:
                    opts = ", ".join(f"'{k}'" for k in meta["variants"])
                    hint = suggest(str(kind_value), list(meta["variants"]))
                    what = ("missing 'kind'" if kind_value is None
                            else f"unknown kind {kind_value!r}")
                    raise InputError(f"{what}: expected one of {opts}{hint}",
                                     key=join(ikey, "kind"))
                cls = meta["variants"][kind_value]
            out.append(build(cls, item, ikey))
        return tuple(out)
    if kind == "mapping":
        if not isinstance(value, Mapping):
            raise InputError("expected a table", key=key)
        return {name: build(meta["item"], item, join(key, name)) for name, item in value.items()}
    if kind == "values":
        if not isinstance(value, list | tuple):
            raise InputError(f"expected a list, got {value!r}", key=key)
        if len(value) < meta["min_items"]:
            raise InputError(f"expected at least {meta['min_items']} values, got {len(value)}",
                             key=key)
        for i, item in enumerate(value):
            if not isinstance(item, str | int | float | bool):
                raise InputError(f"expected a number, string or boolean, got {item!r}",
                                 key=f"{key}[{i}]")
        return tuple(value)
    if kind == "raw":
        if not isinstance(value, Mapping):
            raise InputError("expected a table", key=key)
        return dict(value)
    raise AssertionError(kind)


def build(cls: type, data: Any, path: str = "") -> Any:
    """Build a frozen dataclass instance from a TOML table (see module docstring)."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InputError(f"expected a table, got {data!r}", key=path or None)
    specs = _spec_fields(cls)
    for k in data:
        if k not in specs:
            raise InputError(f"unknown key '{k}'{suggest(k, specs)}; allowed: "
                             f"{', '.join(sorted(specs))}", key=join(path, k))
    kwargs = {}
    for name, meta in specs.items():
        key = join(path, name)
        if name in data:
            kwargs[name] = _convert(data[name], meta, key)
        elif meta["default"] is dataclasses.MISSING:
            what = meta["doc"].rstrip(".")
            raise InputError(f"missing required key ({what})", key=key)
        elif meta["default"] is None:
            kwargs[name] = None
        elif callable(meta["default"]):
            kwargs[name] = (build(meta["item"], {}, key) if meta["kind"] == "table"
                            else meta["default"]())
        else:
            kwargs[name] = _convert(meta["default"], meta, key)
    obj = cls(**kwargs)
    validate: Callable | None = getattr(obj, "validate", None)
    if validate is not None:
        validate(path)
    return obj


def finite(value: float) -> bool:
    """True for a finite float."""
    return math.isfinite(value)


# ---------------------------------------------------------------- documentation
def describe(cls: type, title: str, _seen: set | None = None) -> list[str]:
    """Markdown reference of a section (``title`` is its TOML header) and its nested sections."""
    seen = set() if _seen is None else _seen
    lines = [f"### `{title}`", ""]
    if cls.__doc__:
        lines += [" ".join(cls.__doc__.strip().split("\n\n")[0].split()).replace("``", "`"), ""]
    lines += ["| key | type | unit | default | range / choices | meaning |",
              "|---|---|---|---|---|---|"]
    nested: list[tuple[type, str]] = []
    base = title.strip("[]")
    for name, meta in _spec_fields(cls).items():
        kind = meta["kind"]
        unit = meta["unit"] if kind in ("quantity", "quantities") else (
            "1" if kind in ("number", "numbers") else "")
        if meta["default"] is dataclasses.MISSING:
            default = "**required**"
        elif meta["default"] is None:
            default = "(none)"
        elif callable(meta["default"]):
            default = "(table defaults)"
        else:
            default = "`" + repr(meta["default"]).replace("'", '"') + "`"
        rng = []
        for op, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
            if meta[op] is not None:
                rng.append(f"{sym} {meta[op]:g}")
        if meta["choices"]:
            rng.append(", ".join(f"`{c}`" for c in meta["choices"]))
        tname = kind
        if kind == "quantity":
            tname = f"quantity ({dimension_name(meta['unit'])})"
        elif kind == "tables" and meta["variants"]:
            tname = "list of tables, by `kind`"
        lines.append(f"| `{name}` | {tname} | {unit} | {default} | {'; '.join(rng)} | "
                     f"{meta['doc']} |")
        if kind == "table":
            nested.append((meta["item"], f"[{join(base, name)}]"))
        elif kind == "tables":
            if meta["variants"]:
                for kname, vcls in meta["variants"].items():
                    nested.append((vcls, f'[[{join(base, name)}]] kind = "{kname}"'))
            else:
                nested.append((meta["item"], f"[[{join(base, name)}]]"))
        elif kind == "mapping":
            nested.append((meta["item"], f"[{join(base, name)}.<name>]"))
    lines.append("")
    for ncls, ntitle in nested:
        if (ncls, ntitle) in seen:
            continue
        seen.add((ncls, ntitle))
        lines += describe(ncls, ntitle, seen)
    return lines
