"""Reading a case file: TOML -> overrides -> validated, frozen, SI `Case`."""

from __future__ import annotations

import copy
import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interface.case.common import (
    CaseMeta,
    MeshSettings,
    OutputSettings,
    ParametersSpec,
    SolverSettings,
)
from interface.case.creep_test import CreepTestSpec
from interface.case.electrochem import ContactSpec, ElectrochemSpec
from interface.case.jig import JigCellSpec, JigSpec
from interface.case.li_symmetric import LiSymmetricCellSpec
from interface.case.lithium import LithiumSpec
from interface.case.rve import RVESpec
from interface.case.stack import FixtureSpec, SOCPath, StackSpec
from interface.case.sweep import SweepSpec
from interface.case.tradeoff import SystemSpec, TradeoffSpec
from interface.errors import InputError
from interface.materials.material import Material
from interface.schema import build, join, suggest

#: Top-level table -> its schema class ("materials" is a name -> Material mapping).
SECTIONS: dict[str, type] = {
    "case": CaseMeta,
    "materials": Material,
    "mesh": MeshSettings,
    "solver": SolverSettings,
    "output": OutputSettings,
    "stack": StackSpec,
    "fixture": FixtureSpec,
    "soc": SOCPath,
    "sweep": SweepSpec,
    "electrochem": ElectrochemSpec,
    "contact": ContactSpec,
    "system": SystemSpec,
    "tradeoff": TradeoffSpec,
    "rve": RVESpec,
    "lithium": LithiumSpec,
    "creep_test": CreepTestSpec,
    "parameters": ParametersSpec,
}

#: Tables whose schema depends on the model (the same table name, another meaning).
MODEL_TABLES: dict[str, dict[str, type]] = {
    "li_symmetric": {"cell": LiSymmetricCellSpec},
    "jig": {"cell": JigCellSpec, "jig": JigSpec},
}

#: Tables every model accepts.
COMMON_OPTIONAL = {"materials", "mesh", "solver", "output", "sweep", "parameters"}
#: Tables built from their defaults when absent.
DEFAULTED = ("mesh", "solver", "output", "soc", "contact", "jig")

#: Model -> (required sections, optional sections).  `case` is always required.
MODEL_SECTIONS: dict[str, tuple[set[str], set[str]]] = {
    "stack": ({"stack", "fixture"}, {"soc"}),
    "electrochem": ({"electrochem"}, {"contact", "stack", "fixture", "soc"}),
    "tradeoff": ({"electrochem", "stack", "system", "tradeoff"}, {"contact", "soc"}),
    "rve": ({"rve"}, set()),
    "lithium": ({"lithium"}, set()),
    "creep_test": ({"creep_test"}, set()),
    "li_symmetric": ({"cell"}, set()),
    "jig": ({"cell"}, {"jig"}),
}


@dataclass(frozen=True)
class Case:
    """A validated case: every quantity in SI units.

    Attributes:
        meta: the ``[case]`` table (model, title).
        materials: the case's own materials (name -> Material).
        mesh, solver, output, stack, fixture, soc, sweep, electrochem, contact, system,
            tradeoff, rve, lithium, creep_test: sections
            (None when absent and optional).
        cell: the model's own ``[cell]`` table (its schema depends on the model:
            MODEL_TABLES)
            (None when absent and optional).
        path: the case file; text: its exact text; sha256: hash of the text.
        overrides: the dotted-path overrides applied on top of the file.
    """

    meta: CaseMeta
    materials: dict[str, Material]
    mesh: MeshSettings
    solver: SolverSettings
    output: OutputSettings
    stack: StackSpec | None = None
    fixture: FixtureSpec | None = None
    soc: SOCPath | None = None
    sweep: SweepSpec | None = None
    electrochem: ElectrochemSpec | None = None
    contact: ContactSpec | None = None
    system: SystemSpec | None = None
    tradeoff: TradeoffSpec | None = None
    rve: RVESpec | None = None
    lithium: LithiumSpec | None = None
    creep_test: CreepTestSpec | None = None
    cell: Any = None
    jig: Any = None
    parameters: ParametersSpec | None = None
    parameter_values: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    text: str = ""
    sha256: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)
    smoke: bool = False

    @property
    def model(self) -> str:
        """The model name from ``[case] model``."""
        return self.meta.model

    @property
    def name(self) -> str:
        """The case name: the file stem."""
        return Path(self.path).stem if self.path else "case"


# ----------------------------------------------------------------------- overrides
def parse_override_value(text: str) -> Any:
    """Interpret a command-line override value: TOML literal if it is one, else a string.

    ``2`` -> 2, ``0.5`` -> 0.5, ``false`` -> False, ``[0, 1]`` -> [0, 1],
    ``2MPa`` / ``"2 MPa"`` -> "2MPa" / "2 MPa", ``free`` -> "free".
    """
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_override(data: dict, dotted: str, value: Any) -> None:
    """Set ``value`` at the dotted path inside the raw TOML dict (in place).

    Path segments into a list of tables select the element by its ``name``
    (``stack.layers.cathode.thickness``) or by index (``stack.layers.1.thickness``).
    """
    parts = [p for p in dotted.strip().split(".")]
    if not dotted.strip() or any(not p for p in parts):
        raise InputError(f"invalid override key '{dotted}' (expected a dotted path such as "
                         "fixture.preload)", key=dotted)
    node: Any = data
    walked = ""
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            match = None
            if part.isdigit() and int(part) < len(node):
                match = node[int(part)]
            else:
                for item in node:
                    if isinstance(item, Mapping) and item.get("name") == part:
                        match = item
            if match is None:
                names = [str(it.get("name")) for it in node if isinstance(it, Mapping)]
                raise InputError(f"no entry named '{part}'{suggest(part, names)} in "
                                 f"{walked} (entries: {', '.join(names)})", key=dotted)
            if last:
                raise InputError("an override must name a key inside the entry, e.g. "
                                 f"{dotted}.thickness", key=dotted)
            node = match
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                if part not in node or not isinstance(node[part], dict | list):
                    node[part] = {}
                node = node[part]
        else:
            raise InputError(f"'{walked}' is a value, not a table", key=dotted)
        walked = join(walked, part)


def _check_overrides(overrides: Any) -> None:
    """Overrides are a mapping of dotted key paths (strings) to values."""
    if overrides is None:
        return
    if not isinstance(overrides, Mapping):
        raise InputError("expected a mapping of dotted key paths to values, e.g. "
                         "{'fixture.preload': '2 MPa'}, got "
                         f"{type(overrides).__name__} {str(overrides)[:60]!r}", key="overrides")
    for k in overrides:
        if not isinstance(k, str):
            raise InputError(f"expected a dotted key path (a string) such as 'fixture.preload', "
                             f"got {type(k).__name__} {k!r}", key="overrides")


# ---------------------------------------------------------------------------- load
def read_case_text(path: Path) -> str:
    """The text of a case file (InputError naming the file when it cannot be read)."""
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if path.is_dir():
        raise InputError("is a directory, expected a case file (.toml)", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    if not text.strip():
        raise InputError("empty file, expected a TOML case file with a [case] table",
                         file=str(path))
    return text


def parse_toml(text: str, file: str) -> dict:
    """Parse TOML text; a syntax error becomes an InputError naming the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        raise InputError(f"TOML syntax error: {msg}", file=file) from None


def _parameter_set(data: dict, path: str, overrides: Mapping | None) -> dict[str, Any]:
    """The values of the case's ``[parameters] file`` (after the user's overrides chose it)."""
    probe = copy.deepcopy(data)
    for key, value in (overrides or {}).items():
        if key.startswith("parameters."):
            apply_override(probe, key, value)
    table = probe.get("parameters")
    if table is None:
        return {}
    if not isinstance(table, Mapping) or not isinstance(table.get("file"), str):
        raise InputError("expected file = \"<parameter-set>.toml\"", key="parameters.file")
    from interface.validation.calibrate import read_parameter_file
    from interface.validation.dataset import examples_root

    name = Path(table["file"])
    candidates = [name] if name.is_absolute() else [
        Path(path).resolve().parent / name if path else Path.cwd() / name]
    root = examples_root()
    if root is not None and not name.is_absolute():
        candidates.append(root / "cases" / name)
    for cand in candidates:
        if cand.is_file():
            try:
                return read_parameter_file(cand)
            except InputError as exc:
                raise InputError(exc.oneline(), key="parameters.file") from None
    raise InputError(f"parameter-set file {table['file']} not found (next to the case file)",
                     key="parameters.file")


def build_case(data: dict, *, path: str = "", text: str = "", overrides: Mapping | None = None,
               smoke: bool = False) -> Case:
    """Validate a raw TOML dict (parameter set, then overrides) and build the frozen Case."""
    _check_overrides(overrides)
    data = copy.deepcopy(data)
    params = _parameter_set(data, path, overrides)
    for key, value in params.items():
        try:
            apply_override(data, key, value)
        except InputError as exc:
            raise InputError(f"parameter set: {exc.message}", key="parameters.file") from None
    for key, value in (overrides or {}).items():
        apply_override(data, key, value)
    known = {*SECTIONS, *(n for tables in MODEL_TABLES.values() for n in tables)}
    for name in data:
        if name not in known:
            raise InputError(f"unknown table [{name}]{suggest(name, known)}; allowed: "
                             f"{', '.join(sorted(known))}", key=name)
    if "case" not in data:
        raise InputError("missing the [case] table (it says which model to run, e.g. "
                         "model = \"stack\")", key="case")
    meta = build(CaseMeta, data["case"], "case")
    required, optional = MODEL_SECTIONS[meta.model]
    optional = optional | COMMON_OPTIONAL
    for name in data:
        if name != "case" and name not in required | optional:
            raise InputError(f"table [{name}] is not used by model '{meta.model}' (it uses "
                             f"{', '.join(sorted(required | optional))})", key=name)
    for name in sorted(required):
        if name not in data:
            raise InputError(f"missing the [{name}] table required by model '{meta.model}'",
                             key=name)
    materials = data.get("materials", {})
    if not isinstance(materials, Mapping):
        raise InputError("expected a table of materials ([materials.<name>])", key="materials")
    kwargs: dict[str, Any] = {
        "meta": meta,
        "materials": {n: build(Material, m, f"materials.{n}") for n, m in materials.items()},
    }
    sections = {**SECTIONS, **MODEL_TABLES.get(meta.model, {})}
    for name, cls in sections.items():
        if name in ("case", "materials"):
            continue
        if name in data:
            kwargs[name] = build(cls, data[name], name)
        elif name in optional and name in DEFAULTED:
            kwargs[name] = build(cls, {}, name)
    digest = hashlib.sha256(text.encode()).hexdigest() if text else ""
    case = Case(**kwargs, path=path, text=text, sha256=digest, overrides=dict(overrides or {}),
                smoke=smoke, parameter_values=dict(params))
    from interface.models import check_model

    check_model(case)
    return case


def load_case(path: str | os.PathLike, overrides: Mapping[str, Any] | None = None, *,
              smoke: bool = False) -> Case:
    """Read, override and validate a case file.

    Args:
        path: the TOML case file.
        overrides: dotted key path -> value, e.g. ``{"fixture.preload": "2 MPa"}``;
            the same syntax as ``--set`` on the command line and sweep axes.
        smoke: coarsen the meshes by ``[mesh] smoke_factor`` (quick runs, tests).

    Returns:
        The validated `Case` (frozen dataclasses, SI units).

    Raises:
        InputError: anything invalid, with the file and key path in the message.
    """
    p = Path(path)
    text = read_case_text(p)
    try:
        data = parse_toml(text, str(p))
        return build_case(data, path=str(p), text=text, overrides=overrides, smoke=smoke)
    except InputError as exc:
        raise exc.at(file=str(p)) from None


# ----------------------------------------------------------------------- key paths
def case_value(case: Case, dotted: str) -> tuple[Any, str]:
    """The value at a dotted key path of a built case, and its SI unit ("" if not physical).

    List entries are addressed by name or index, as in overrides.
    """
    import dataclasses

    node: Any = case
    unit = ""
    for part in dotted.split("."):
        if isinstance(node, tuple | list):
            match = [x for x in node if getattr(x, "name", None) == part]
            if not match and part.isdigit() and int(part) < len(node):
                match = [node[int(part)]]
            if not match:
                raise InputError(f"no entry named '{part}'", key=dotted)
            node = match[0]
            continue
        if isinstance(node, dict):
            if part not in node:
                raise InputError(f"no key '{part}'", key=dotted)
            node = node[part]
            continue
        if not dataclasses.is_dataclass(node):
            raise InputError(f"'{part}' is inside a value", key=dotted)
        fields = {f.name: f for f in dataclasses.fields(node)}
        if part == "case" and node is case:
            node = case.meta
            continue
        if part not in fields:
            raise InputError(f"no key '{part}'", key=dotted)
        meta = fields[part].metadata.get("spec", {})
        unit = meta.get("unit") or ("1" if meta.get("kind") in ("number", "integer") else "")
        node = getattr(node, part)
    return node, unit
