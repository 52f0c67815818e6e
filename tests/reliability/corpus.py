"""A corpus of malformed case variants, generated from the schema (no hand-kept list).

Every key the schema declares for the tables a case file uses (present in the file
or left at its default) gets values that are invalid for *that* key, written as on
the command line (``--set KEY=VALUE``): text where a number is wanted, a number
without units, the wrong dimension, an absolute temperature where a difference is
wanted, unbounded or overflowing exponents, NaN and infinity, superscript digits,
values just outside the declared range, unknown keys, a scalar where a table is
wanted.  Each variant carries the key path the error must name.

File-level variants (syntax errors, a missing [case] table, bytes that are not
UTF-8, an empty or binary file) must name the file.
"""

from __future__ import annotations

import dataclasses
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from interface.case.load import SECTIONS
from interface.materials.material import Material

#: A unit of another dimension for each SI unit (wrong-dimension variants).
OTHER_UNIT = {"m": "kg", "kg": "m", "Pa": "m", "s": "Pa", "K": "m", "delta_K": "Pa"}


@dataclass(frozen=True)
class Variant:
    """One malformed variant: ``--set`` arguments and the key path the error must name."""

    name: str
    sets: tuple[str, ...]
    key: str


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _outside(meta: dict) -> list[float]:
    """Values just outside the declared bounds (in SI)."""
    out = []
    for op in ("gt", "ge"):
        if meta[op] is not None:
            b = float(meta[op])
            out.append(b if op == "gt" else b - max(1.0, abs(b)) * 0.5)
    for op in ("lt", "le"):
        if meta[op] is not None:
            b = float(meta[op])
            out.append(b if op == "lt" else b + max(1.0, abs(b)) * 0.5)
    return out


def _outside_integer(meta: dict) -> list[int]:
    """Integers just outside the declared bounds."""
    out = []
    if meta["gt"] is not None:
        out.append(int(meta["gt"]))
    if meta["ge"] is not None:
        out.append(int(meta["ge"]) - 1)
    if meta["lt"] is not None:
        out.append(int(meta["lt"]))
    if meta["le"] is not None:
        out.append(int(meta["le"]) + 1)
    return out


def _quantity(unit: str, v: float) -> str:
    u = "K" if unit == "delta_K" else unit
    return f'"{_fmt(v)} {u}"'


def leaf_values(meta: dict) -> list[tuple[str, str]]:
    """(label, TOML literal) of values invalid for a field declared with ``meta``."""
    kind, unit = meta["kind"], meta["unit"]
    vals: list[tuple[str, str]] = []
    if kind == "quantity":
        u = "K" if unit == "delta_K" else unit
        vals += [("text", '"abc"'), ("bool", "true"), ("empty", '""'),
                 ("bare", "5"), ("unbounded-exponent", f'"10**10**10 {u}"'),
                 ("overflow", f'"10**400 {u}"'), ("inf", f'"1e999 {u}"'),
                 ("nan", f'"nan {u}"'), ("superscript", '"5 m²"' if u != "m^2" else '"5 m³"'),
                 ("list", f'["1 {u}"]')]
        if unit in OTHER_UNIT:
            vals.append(("dimension", f'"5 {OTHER_UNIT[unit]}"'))
        if unit == "delta_K":
            vals.append(("offset-temperature", '"10 degC"'))
        if unit == "K":
            vals.append(("temperature-difference", '"25 delta_degC"'))
        if unit == "1/K":
            vals.append(("per-degC", '"2e-5 1/degC"'))
        vals += [("range", _quantity(unit, v)) for v in _outside(meta)]
    elif kind == "number":
        vals += [("text", '"abc"'), ("bool", "true"), ("dimension", '"5 m"'),
                 ("inf", '"1e999"'), ("unbounded-exponent", '"10**10**10"'),
                 ("superscript", '"²"')]
        vals += [("range", _fmt(v)) for v in _outside(meta)]
    elif kind == "integer":
        vals += [("superscript", '"²"'), ("fraction", "1.5"), ("text", '"abc"'),
                 ("bool", "true"), ("huge", "1e300")]
        vals += [("range", str(v)) for v in _outside_integer(meta)]
    elif kind == "boolean":
        vals += [("text", '"maybe"'), ("number", "3")]
    elif kind == "choice":
        vals += [("unknown-choice", '"zz_not_a_choice"'), ("number", "5")]
    elif kind in ("numbers", "quantities"):
        vals += [("scalar-text", '"abc"'), ("item-text", '["abc"]')]
        if meta["min_items"] > 0:
            vals.append(("empty-list", "[]"))
    elif kind == "values":
        vals += [("scalar-text", '"abc"'), ("empty-list", "[]")]
    return vals


def _walk(cls: type, data: dict, path: str, addr: str, out: list[Variant]) -> None:
    from interface.schema import _spec_fields

    out.append(Variant(f"{path}.zz_unknown", (f"{addr}.zz_unknown=1",), f"{path}.zz_unknown"))
    for name, meta in _spec_fields(cls).items():
        kpath, kaddr = f"{path}.{name}", f"{addr}.{name}"
        kind = meta["kind"]
        here = data.get(name) if isinstance(data, dict) else None
        if kind == "table":
            out.append(Variant(f"{kpath}:scalar", (f"{kaddr}=5",), kpath))
            _walk(meta["item"], here if isinstance(here, dict) else {}, kpath, kaddr, out)
        elif kind == "tables":
            for i, item in enumerate(here or []):
                if not isinstance(item, dict):
                    continue
                named = isinstance(item.get("name"), str)
                ipath = f"{kpath}.{item['name']}" if named else f"{kpath}[{i}]"
                iaddr = f"{kaddr}.{item['name']}" if named else f"{kaddr}.{i}"
                icls = meta["item"]
                if meta["variants"]:
                    icls = meta["variants"].get(item.get("kind"), icls)
                    out.append(Variant(f"{ipath}.kind:unknown", (f'{iaddr}.kind="zz_kind"',),
                                       f"{ipath}.kind"))
                if icls is not None and dataclasses.is_dataclass(icls):
                    _walk(icls, item, ipath, iaddr, out)
        elif kind == "raw":
            for pname in (here or {}):
                if "." not in pname and "=" not in pname:
                    out.append(Variant(f"{kpath}.{pname}:text",
                                       (f'{kaddr}.{pname}="abc"',), f"{kpath}.{pname}"))
        elif kind == "string":
            if name.endswith("material") or name == "electrolyte":
                out.append(Variant(f"{kpath}:unknown-material",
                                   (f'{kaddr}="zz_no_such_material"',), kpath))
        elif kind != "mapping":
            for label, literal in leaf_values(meta):
                out.append(Variant(f"{kpath}:{label}", (f"{kaddr}={literal}",), kpath))


def _material_variants(out: list[Variant]) -> None:
    """A complete user material with one bad field (the others valid)."""
    from interface.schema import _spec_fields

    good = {"youngs_modulus": '"10 GPa"', "poisson_ratio": "0.3", "density": '"2 g/cm^3"'}
    for name, meta in _spec_fields(Material).items():
        if meta["kind"] not in ("quantity", "number"):
            continue
        for label, literal in leaf_values(meta):
            fields = dict(good)
            fields[name] = literal
            table = "{" + ", ".join(f"{k} = {v}" for k, v in fields.items()) + "}"
            out.append(Variant(f"materials.zz_user.{name}:{label}",
                               (f"materials.zz_user={table}",),
                               f"materials.zz_user.{name}"))


def override_variants(case_path: Path) -> list[Variant]:
    """Every schema-derived malformed override of a case file (see the module docstring)."""
    from interface.case import load as load_module

    data = tomllib.loads(case_path.read_text())
    model = data.get("case", {}).get("model", "")
    sections = {**SECTIONS, **getattr(load_module, "MODEL_TABLES", {}).get(model, {})}
    out: list[Variant] = []
    for table, body in data.items():
        if table in ("case", "materials"):
            continue
        out.append(Variant(f"{table}:scalar", (f"{table}=5",), table))
        _walk(sections[table], body, table, table, out)
    out.append(Variant("case.model:unknown", ('case.model="zz_model"',), "case.model"))
    out.append(Variant("zz_table:unknown", ("zz_table.x=1",), "zz_table"))
    _material_variants(out)
    return out


def file_variants(text: str, seed: int = 0) -> list[tuple[str, bytes]]:
    """(name, file bytes) of broken files; each must be refused naming the file."""
    rng = random.Random(seed)
    lines = text.splitlines(keepends=True)
    values = [i for i, ln in enumerate(lines) if "=" in ln and not ln.lstrip().startswith("#")]
    out = [("empty", b""), ("whitespace", b" \n\t\n"), ("binary", bytes(range(256)) * 4),
           ("no-case-table", "".join(ln for ln in lines if ln.strip() != "[case]").encode())]
    for k in rng.sample(values, min(3, len(values))):
        dup = lines[:k + 1] + [lines[k]] + lines[k + 1:]
        out.append((f"duplicate-line-{k}", "".join(dup).encode()))
        cut = lines[:k] + [lines[k].replace('"', "", 1)] + lines[k + 1:]
        if cut != lines:
            out.append((f"unbalanced-quote-{k}", "".join(cut).encode()))
        bad = "".join(lines[:k]).encode() + b"\xff\xfe" + "".join(lines[k:]).encode()
        out.append((f"not-utf8-{k}", bad))
    out.append(("garbage-tail", text.encode() + b"\n]]] = = [\n"))
    return out
