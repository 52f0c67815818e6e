"""Parameter sweeps: many cases over MPI sub-communicators, restartable, never losing results.

Layout of a sweep folder ``DIR``::

    DIR/sweep.json           manifest: base case text and hash, overrides, axes, points
    DIR/sweep.h5             the table: one row per case (rebuilt from the rows below)
    DIR/cases/000017/        one case's output folder (results.h5, summary.json, row.json)
    DIR/cases/000017.claim   the case is being computed (a claim of the current run)

How it runs.  ``mpiexec -n N`` ranks are split into N / K groups of K ranks
(``--ranks-per-case K``); each group runs one case at a time, its FE solves
domain-decomposed over the group.  Cases are handed out dynamically: a
group's leader claims the next pending case by creating its ``.claim`` file
with O_CREAT | O_EXCL (atomic on local and NFS file systems), so uneven case
costs still keep every group busy, and no rank is set aside as a master.

Why nothing is lost.  A case's output folder, including its ``row.json`` (inputs,
summary outputs, status, wall time, message), is written into a staging folder
and renamed into place: a case is either committed whole or not at all.  A
SIGKILL at any instant loses only the cases in flight; re-running the same
command removes stale claims and staging folders, skips committed cases and
ends with the same table as an uninterrupted run.  ``sweep.h5`` is rebuilt
from the committed rows (written to a temporary file and renamed).

Failures.  A case whose inputs are invalid for that combination, or whose solver
does not converge, is committed with status "failed" and its reason; the
others go on.  An unexpected exception on one rank of a multi-rank group cannot
be recovered without risking a deadlock (the group's other ranks may wait in a
collective): that rank commits the failure row and aborts the job; re-running
resumes after it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from interface.errors import (
    InputError,
    ResourceError,
    SolverError,
    SSBIError,
    is_no_space,
    no_space,
)

ROW = "row.json"
#: Testing hook: "case=<id>,rank=<group rank>" raises in that case on that rank;
#: "delay=<s>" makes every case take at least that long (overlap and kill tests).
FAULT_ENV = "SSBI_SWEEP_FAULT"


# --------------------------------------------------------------------------- plan
@dataclass
class SweepPlan:
    """What a sweep runs: the base case and one override dict per point."""

    case_path: str
    case_text: str
    base_overrides: dict
    points: list[dict]
    axes: list[dict]
    mode: str
    figures: bool
    fields: bool
    smoke: bool = False
    fingerprint: str = ""

    def overrides(self, i: int) -> dict:
        """All overrides of point i (base first, then the axes)."""
        return {**self.base_overrides, **self.points[i]}


def plan_sweep(case_path: str | os.PathLike, overrides: dict | None = None,
               smoke: bool = False, *, case=None) -> SweepPlan:
    """Validate a case with a ``[sweep]`` table and list its points.

    Args:
        case_path: the case file.
        overrides: dotted key path -> value, applied before the axes.
        smoke: coarse meshes for every case.
        case: the case already loaded from ``case_path`` with these overrides (saves
            loading it again, e.g. in `ssbi check`).

    Raises:
        InputError: invalid base case, no ``[sweep]`` table, or an axis whose key
            path or first value is invalid (the whole sweep would be wrong).
    """
    from interface.case import load_case
    from interface.case.load import build_case, parse_toml

    if case is None:
        case = load_case(case_path, overrides, smoke=smoke)
    if case.sweep is None:
        raise InputError("no [sweep] table: add one with [[sweep.axes]] key = ..., values = "
                         "[...]", key="sweep", file=str(case_path))
    spec = case.sweep
    data = parse_toml(case.text, str(case_path))
    data.pop("sweep")
    for i, axis in enumerate(spec.axes):
        try:
            build_case(copy.deepcopy(data), path=str(case_path), text=case.text,
                       overrides={**(overrides or {}), axis.key: axis.values[0]}, smoke=smoke)
        except InputError as exc:
            if exc.key and (exc.key == axis.key or exc.key.startswith(axis.key)):
                raise InputError(f"axis {i} ({axis.key} = {axis.values[0]!r}): {exc.message}",
                                 key=f"sweep.axes[{i}]", file=str(case_path)) from None
            raise exc.at(file=str(case_path)) from None
    points = spec.points()
    plan = SweepPlan(case_path=str(case_path), case_text=case.text,
                     base_overrides={k: v for k, v in (overrides or {}).items()},
                     points=points, axes=[{"key": a.key, "values": list(a.values)}
                                         for a in spec.axes],
                     mode=spec.mode, figures=spec.figures, fields=spec.fields, smoke=smoke)
    blob = json.dumps({"text": case.text, "base": {k: str(v) for k, v in
                                                   plan.base_overrides.items()},
                       "points": [{k: str(v) for k, v in p.items()} for p in points],
                       "smoke": smoke}, sort_keys=True)
    plan.fingerprint = hashlib.sha256(blob.encode()).hexdigest()
    return plan


def build_point(plan: SweepPlan, i: int):
    """The validated Case of point i (raises InputError for an invalid combination)."""
    from interface.case.load import build_case, parse_toml

    data = parse_toml(plan.case_text, plan.case_path)
    data.pop("sweep", None)
    return build_case(data, path=plan.case_path, text=plan.case_text,
                      overrides=plan.overrides(i), smoke=plan.smoke)


# ------------------------------------------------------------------------ folder
#: Row keys a committed row must have (anything else is a corrupt row: recomputed).
ROW_KEYS = {"case_id": int, "status": str, "message": str, "outputs": dict,
            "outputs_text": dict, "inputs": dict, "inputs_text": dict}
#: Manifest keys a sweep folder must have.
MANIFEST_KEYS = {"points": list, "axes": list, "fingerprint": str, "base_overrides": dict}


def _valid(data: Any, keys: dict) -> bool:
    return isinstance(data, dict) and all(isinstance(data.get(k), t) for k, t in keys.items())


class SweepDir:
    """The sweep folder (see the module docstring); file operations only, no MPI."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.cases = self.root / "cases"
        self.manifest = self.root / "sweep.json"
        self.table = self.root / "sweep.h5"
        self.lock = self.root / ".sweep.lock"

    def case_dir(self, i: int) -> Path:
        """Output folder of case i."""
        return self.cases / f"{i:06d}"

    def claim_path(self, i: int) -> Path:
        """Claim file of case i."""
        return self.cases / f"{i:06d}.claim"

    def is_done(self, i: int) -> bool:
        """Case i is committed (completed or failed) with a readable row."""
        return self.read_row(i) is not None

    def read_row(self, i: int) -> dict | None:
        """The committed row of case i, or None (not committed, or a corrupt row.json)."""
        p = self.case_dir(i) / ROW
        try:
            row = json.loads(p.read_text())
        except (OSError, ValueError):
            return None
        return row if _valid(row, ROW_KEYS) else None

    def row_identity(self, i: int) -> str | None:
        """An id of the row committed for case i (changes whenever it is recommitted)."""
        row = self.read_row(i)
        if row is None:
            return None
        if row.get("row_id"):
            return str(row["row_id"])
        try:
            return f"mtime:{(self.case_dir(i) / ROW).stat().st_mtime_ns}"
        except OSError:
            return None

    def committed(self) -> set[int]:
        """Ids of the cases whose folder holds a row.json (not checked for validity)."""
        if not self.cases.exists():
            return set()
        out = set()
        for entry in os.scandir(self.cases):
            if entry.is_dir() and entry.name.isdigit() and os.path.exists(
                    os.path.join(entry.path, ROW)):
                out.add(int(entry.name))
        return out

    def rows(self, n: int) -> tuple[dict[int, dict], list[str]]:
        """The valid committed rows of cases 0..n-1, and notes on corrupt ones."""
        rows, notes = {}, []
        for i in sorted(self.committed()):
            if i >= n:
                continue
            row = self.read_row(i)
            if row is None:
                notes.append(f"case {i}: {ROW} is unreadable or incomplete; it counts as "
                              "pending and is recomputed by the next run")
            else:
                rows[i] = row
        return rows, notes

    def load_manifest(self) -> dict | None:
        """The manifest, or None if there is none.

        Raises:
            InputError: the manifest is unreadable or incomplete (not resumable).
        """
        try:
            text = self.manifest.read_text()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise InputError(f"cannot read sweep.json: {exc.strerror or exc}",
                             file=str(self.root)) from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"sweep.json is corrupt ({exc}); this folder cannot be resumed: "
                             "use --force to start over, or another folder",
                             file=str(self.root)) from None
        if not _valid(data, MANIFEST_KEYS):
            raise InputError("sweep.json is incomplete (no points, axes or fingerprint); this "
                             "folder cannot be resumed: use --force to start over, or another "
                             "folder", file=str(self.root))
        return data

    def _entries(self) -> list[str]:
        """Names in the root, without our own temporary files and lock."""
        try:
            names = os.listdir(self.root)
        except OSError:
            return []
        return [n for n in names if not (n.startswith(".sweep.json.tmp-") or n == self.lock.name
                                         or n.startswith(".sweep.h5.tmp-"))]

    def prepare(self, plan: SweepPlan, force: bool, protect: tuple = ()) -> None:
        """Create the folder, or check that it belongs to the same sweep.

        Safe when many processes prepare the same fresh folder at once (job-array
        tasks starting together): the manifest is written under a per-process
        temporary name and linked into place with an exclusive create; whoever
        loses the race reads the winner's manifest and checks its fingerprint.

        Raises:
            InputError: the folder holds a different sweep (case file, overrides or
                axes changed) and ``force`` is not set; the folder is not a sweep
                folder; ``force`` would discard the current folder or the case file.
            ResourceError: no space left to create it.
        """
        try:
            self._prepare(plan, force, protect)
        except OSError as exc:
            if is_no_space(exc):
                raise no_space(self.root) from None
            if isinstance(exc, ResourceError):
                raise
            raise InputError(f"cannot create the sweep folder: {exc.strerror or exc}",
                             key="--output", file=str(self.root)) from None

    def _prepare(self, plan: SweepPlan, force: bool, protect: tuple) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise InputError("exists and is not a folder", key="--output", file=str(self.root))
        old = self.load_manifest() if self.root.exists() else None
        entries = self._entries() if old is None else []
        if old is None and entries:
            # the manifest is always the first thing in a sweep folder: read it again in
            # case another process (a job-array task) created both since the first read
            old = self.load_manifest()
        if old is not None and old.get("fingerprint") != plan.fingerprint:
            if not force:
                raise InputError(
                    "this folder holds a different sweep (the case file, its overrides or the "
                    "axes changed); use --force to discard its results and start over, or "
                    "choose another folder", key="--output", file=str(self.root))
            self._discard(protect)
            old = None
        elif old is None and entries:
            raise InputError("folder exists and is not a sweep folder (no sweep.json); choose "
                             "another folder (--force discards only sweep folders)",
                             key="--output", file=str(self.root))
        self.root.mkdir(parents=True, exist_ok=True)
        if old is None:
            self._write_manifest(plan)
        self.cases.mkdir(exist_ok=True)

    def _discard(self, protect: tuple) -> None:
        """Remove a sweep folder for --force (never the current folder or the case file)."""
        from interface.results.writer import check_replaceable

        check_replaceable(self.root, True, protect)
        trash = self.root.parent / f".{self.root.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(self.root, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def _write_manifest(self, plan: SweepPlan) -> None:
        from interface import __version__

        manifest = {
            "package_version": __version__, "case_path": plan.case_path,
            "case_text": plan.case_text,
            "case_sha256": hashlib.sha256(plan.case_text.encode()).hexdigest(),
            "base_overrides": {k: v for k, v in plan.base_overrides.items()},
            "axes": plan.axes, "mode": plan.mode, "smoke": plan.smoke,
            "points": plan.points, "fingerprint": plan.fingerprint,
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        }
        tmp = self.root / f".sweep.json.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.write_text(json.dumps(manifest, indent=1, default=str))
            try:
                os.link(tmp, self.manifest)  # exclusive: fails if another process won
            except FileExistsError:
                other = self.load_manifest()
                if other is None or other.get("fingerprint") != plan.fingerprint:
                    raise InputError("another process started a different sweep in this folder "
                                     "at the same time", key="--output",
                                     file=str(self.root)) from None
        finally:
            tmp.unlink(missing_ok=True)

    def clear_stale(self, ids: list[int]) -> list[int]:
        """Remove claims of dead owners and staging leftovers of the given (pending) cases.

        Claims of live processes (here or on other hosts, see
        :mod:`interface.batch.claims`) and their staging folders are left alone.

        Returns:
            The ids whose stale claim was removed.
        """
        from interface.batch import claims

        wanted = set(ids)
        removed = []
        for i in ids:
            path = self.claim_path(i)
            if path.exists() and claims.claim_state(path)[0] == claims.STALE:
                if claims.take_over(path, self.lock):
                    removed.append(i)
        try:
            entries = list(os.scandir(self.cases))
        except OSError:
            return removed
        for entry in entries:
            if entry.name.startswith(".") and ".partial-" in entry.name:
                num = entry.name[1:].split(".", 1)[0]
                if num.isdigit() and int(num) in wanted:
                    state = claims.claim_state(self.claim_path(int(num)))[0]
                    if state != claims.LIVE:
                        shutil.rmtree(entry.path, ignore_errors=True)
        return removed


# --------------------------------------------------------------------------- rows
#: Exceptions that say the environment failed, not the case: such a failed case is
#: retried by the next run (so are rows of older versions whose message names one).
ENVIRONMENT_ERRORS = ("OSError", "FileNotFoundError", "PermissionError", "IsADirectoryError",
                      "NotADirectoryError", "BlockingIOError", "InterruptedError",
                      "TimeoutError", "ConnectionError", "BrokenPipeError", "FileExistsError",
                      "MemoryError", "ResourceError")


def failure_kind(exc: BaseException) -> str:
    """How a case failed: input, solver, environment or error (a bug)."""
    if isinstance(exc, InputError):
        return "input"
    if isinstance(exc, SolverError):
        return "solver"
    if isinstance(exc, OSError | MemoryError):
        return "environment"
    return "error"


def retryable(row: dict, retry_failed: bool) -> bool:
    """A committed row the next run computes again.

    Environment failures always are; with ``retry_failed`` every failure is.
    """
    if row.get("status") == "ok":
        return False
    if retry_failed:
        return True
    kind = row.get("failure")
    if kind is None:  # a row of an older version: judge by the exception it names
        kind = "environment" if str(row.get("message", "")).startswith(
            tuple(f"{e}:" for e in ENVIRONMENT_ERRORS)) else ""
    return kind == "environment"


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return v if np.isfinite(v) else None
    return None


def make_row(plan: SweepPlan, i: int, status: str, message: str, wall: float, ranks: int,
             case=None, summary: dict | None = None, failure: str = "") -> dict:
    """One table row: inputs (text and SI), outputs, status, wall time, message.

    A case whose status is not "ok" keeps no outputs: its partial numbers stay in its
    own results.h5, never in the table (NaN there).
    """
    from interface.case.load import case_value

    inputs_text = {k: str(v) for k, v in plan.points[i].items()}
    inputs_si: dict[str, Any] = {}
    for k in plan.points[i]:
        if case is not None:
            try:
                value, unit = case_value(case, k)
                num = _numeric(value)
                if num is not None:  # a temperature difference is in K like any other
                    inputs_si[k] = {"value": num, "unit": "K" if unit == "delta_K"
                                    else unit or "1"}
            except InputError:
                pass
    outputs = {}
    outputs_text = {}
    for k, v in (summary or {}).items() if status == "ok" else ():
        num = _numeric(v)
        if num is not None:
            outputs[k] = num
        elif isinstance(v, str):
            outputs_text[k] = v
    if status != "ok" and not failure:
        failure = "solver"  # a model that returned status "failed" (its solver stopped)
    from interface.owner import host_id

    return {"case_id": i, "status": status, "message": message, "failure": failure,
            "wall_time_s": wall, "ranks": ranks, "inputs_text": inputs_text,
            "inputs": inputs_si, "outputs": outputs, "outputs_text": outputs_text,
            "row_id": uuid.uuid4().hex, "worker": f"{host_id()}:{os.getpid()}"}


def _write_row(folder: Path, row: dict) -> None:
    (folder / ROW).write_text(json.dumps(row, indent=1, allow_nan=False))


def _commit_row_only(sdir: SweepDir, i: int, row: dict, comm) -> None:
    """Commit a case folder holding only its row (invalid input, setup failure); collective."""
    from interface.collective import on_rank0
    from interface.results.writer import OutputFolder

    folder = OutputFolder(sdir.case_dir(i), comm, force=True)
    try:
        on_rank0(comm, _write_row, folder.staging, row)
        folder.commit()
    except BaseException as exc:
        folder.abort()
        if isinstance(exc, OSError) and is_no_space(exc):
            raise no_space(sdir.root) from None
        raise


def _inject_fault(i: int, group_rank: int) -> None:
    spec = os.environ.get(FAULT_ENV, "")
    if not spec:
        return
    parts = dict(p.split("=") for p in spec.split(","))
    if "delay" in parts:
        time.sleep(float(parts["delay"]))
    if int(parts.get("case", -1)) == i and int(parts.get("rank", 0)) == group_rank:
        raise RuntimeError(f"injected fault in case {i} on group rank {group_rank} "
                           f"({FAULT_ENV})")


def run_point(plan: SweepPlan, sdir: SweepDir, i: int, comm) -> dict:
    """Run case i on ``comm`` (its group) and commit its folder; returns the row.

    Raises:
        ResourceError: no space left (collectively): nothing is committed, the case
            stays pending for the next run.
    """
    from interface.runner import run

    t0 = time.perf_counter()
    try:
        case = build_point(plan, i)
    except InputError as exc:
        row = make_row(plan, i, "failed", f"invalid input: {exc.oneline()}",
                       time.perf_counter() - t0, comm.size, failure="input")
        _commit_row_only(sdir, i, row, comm)
        return row
    holder: dict = {}

    def add_row(result, staging: Path) -> None:
        row = make_row(plan, i, result.status, result.message, time.perf_counter() - t0,
                       comm.size, case, result.summary)
        _write_row(staging, row)
        holder["row"] = row

    try:
        _inject_fault(i, comm.rank)
        run(case, comm, output=sdir.case_dir(i), force=True, quiet=True,
            figures=plan.figures, fields=plan.fields, before_commit=add_row)
    except ResourceError:  # a full disk: commit nothing, the case stays pending
        raise no_space(sdir.root) from None
    except SSBIError as exc:  # raised collectively: record, go on
        _reraise_interrupt(exc)
        row = make_row(plan, i, "failed", _describe(exc), time.perf_counter() - t0,
                       comm.size, case, failure=failure_kind(exc))
        _commit_row_only(sdir, i, row, comm)
        return row
    except Exception as exc:  # noqa: BLE001
        _reraise_interrupt(exc)
        row = make_row(plan, i, "failed", _describe(exc), time.perf_counter() - t0,
                       comm.size, case, failure=failure_kind(exc))
        if comm.size == 1:  # nobody can be waiting for us: record and go on
            _commit_row_only(sdir, i, row, comm)
            return row
        # Another rank of the group may be blocked in a collective: commit the row from
        # this rank alone and abort the job (a re-run resumes after this case).
        from interface.backend import MPI
        from interface.owner import identity
        from interface.results.writer import MARKER

        staging = sdir.cases / f".{i:06d}.partial-abort{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        (staging / MARKER).write_text(json.dumps({"package": "ssb-interface",
                                                  "owner": identity()}) + "\n")
        _write_row(staging, row)
        target = sdir.case_dir(i)
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
        print(f"ssbi sweep: case {i} failed on one rank of its group ({row['message']}); "
              "aborting the job to avoid a deadlock - re-run the same command to resume",
              file=sys.stderr, flush=True)
        MPI.COMM_WORLD.Abort(1)
    if comm.rank == 0:
        row = holder["row"]
    else:
        row = None
    return comm.bcast(row, root=0)


def _reraise_interrupt(exc: BaseException) -> None:
    """A Ctrl-C or SIGTERM hidden behind a failure is not a failure of the case."""
    from interface import signals

    hidden = signals.interrupt_of(exc)
    if hidden is not None:
        raise hidden from None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SSBIError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# -------------------------------------------------------------------------- table
UNIT_SUFFIXES = [("_Pa", "Pa"), ("_m_per_Pa", "m/Pa"), ("_kg_per_m2", "kg/m^2"),
                 ("_Wh_per_kg", "W*h/kg"), ("_Wh_per_L", "W*h/L"), ("_Ah", "A*h"),
                 ("_Wh", "W*h"), ("_s", "s"), ("_m", "m"), ("_K", "K"), ("_V", "V"),
                 ("_W", "W"), ("_J", "J"), ("_kg", "kg")]


def unit_of(name: str) -> str:
    """The SI unit implied by an output name's suffix ("1" if none)."""
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix):
            return unit
    return "1"


def table_columns(plan_manifest: dict, rows: dict[int, dict]) -> dict[str, Any]:
    """Column arrays of the sweep table (all cases, pending ones included)."""
    n = len(plan_manifest["points"])
    keys = [a["key"] for a in plan_manifest["axes"]]
    ok_rows = [r for r in rows.values() if r["status"] == "ok"]
    out_names = sorted({k for r in ok_rows for k in r["outputs"]})
    txt_names = sorted({k for r in ok_rows for k in r["outputs_text"]})
    cols: dict[str, Any] = {
        "case_id": np.arange(n),
        "status": [rows[i]["status"] if i in rows else "pending" for i in range(n)],
        "message": [rows[i]["message"] if i in rows else "" for i in range(n)],
        "failure": [str(rows[i].get("failure", "")) if i in rows else "" for i in range(n)],
        "wall_time_s": np.array([float(rows[i].get("wall_time_s", np.nan)) if i in rows
                                 else np.nan for i in range(n)]),
        "ranks": np.array([int(rows[i].get("ranks", 0)) if i in rows else 0
                           for i in range(n)]),
    }
    for k in keys:
        cols[f"inputs_text/{k}"] = [str(p.get(k, "")) if isinstance(p, dict) else ""
                                    for p in plan_manifest["points"]]
        vals, unit = [], "1"
        for i in range(n):
            entry = rows.get(i, {}).get("inputs", {}).get(k)
            ok = isinstance(entry, dict) and _numeric(entry.get("value")) is not None
            vals.append(float(entry["value"]) if ok else np.nan)
            unit = str(entry.get("unit", unit)) if ok else unit
        cols[f"inputs/{k}"] = (np.array(vals, dtype=float), unit)
    def out(i: int, k: str) -> float:  # numbers of "ok" cases only: NaN is "no result"
        row = rows.get(i)
        if row is None or row["status"] != "ok":
            return np.nan
        v = _numeric(row["outputs"].get(k))
        return np.nan if v is None else v

    for k in out_names:
        cols[f"outputs/{k}"] = (np.array([out(i, k) for i in range(n)], dtype=float),
                                unit_of(k))
    for k in txt_names:
        cols[f"outputs_text/{k}"] = [str(rows[i]["outputs_text"].get(k, ""))
                                     if i in rows and rows[i]["status"] == "ok" else ""
                                     for i in range(n)]
    return cols


def write_table(sdir: SweepDir) -> dict[int, dict]:
    """(Re)build sweep.h5 from the committed rows, atomically; returns the rows written.

    The rows are read under the folder lock and the table is written to a
    per-process temporary file renamed into place, so of several processes (job-array
    tasks) the last writer always includes every row committed before it started;
    where the file system has no locks, the rows are read again after the rename and
    the table rebuilt until nothing new was committed meanwhile.

    Raises:
        ResourceError: no space left for the table (the old table stays).
    """
    import h5py

    from interface.batch.claims import folder_lock

    manifest = sdir.load_manifest()
    if manifest is None:
        raise InputError("not a sweep folder (no sweep.json)", file=str(sdir.root))
    n = len(manifest["points"])
    with folder_lock(sdir.lock):
        for _ in range(10):
            rows, _notes = sdir.rows(n)
            seen = {i: r.get("row_id") for i, r in rows.items()}
            _write_h5_table(sdir, manifest, rows, h5py)
            again, _ = sdir.rows(n)
            if {i: r.get("row_id") for i, r in again.items()} == seen:
                break
    return rows


def _write_h5_table(sdir: SweepDir, manifest: dict, rows: dict[int, dict], h5py) -> None:
    from interface.results.writer import write_h5_bytes

    cols = table_columns(manifest, rows)
    tmp = sdir.root / f".sweep.h5.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def fill(f) -> None:
        for k in ("package_version", "case_path", "case_text", "case_sha256", "mode",
                  "fingerprint", "created"):
            f.attrs[k] = str(manifest.get(k, ""))
        f.attrs["axes"] = json.dumps(manifest["axes"], default=str)
        f.attrs["base_overrides"] = json.dumps(manifest["base_overrides"], default=str)
        f.attrs["updated"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        f.attrs["note"] = ("one row per case; outputs of cases whose status is not 'ok' "
                           "are NaN (no result), never a result")
        g = f.create_group("cases")
        for name, value in cols.items():
            unit = None
            if isinstance(value, tuple):
                value, unit = value
            if isinstance(value, list):
                ds = g.create_dataset(name, data=np.array(value, dtype=h5py.string_dtype()))
            else:
                ds = g.create_dataset(name, data=value)
            ds.attrs["unit"] = unit or ("s" if name == "wall_time_s" else "1")

    try:
        write_h5_bytes(tmp, fill)
        os.replace(tmp, sdir.table)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if is_no_space(exc):
            raise no_space(sdir.root) from None
        raise


def read_table(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """sweep.h5 -> {column path: array} (strings decoded)."""
    import h5py

    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                arr = obj[()]
                if arr.dtype.kind == "O":
                    arr = np.array([a.decode() if isinstance(a, bytes) else a for a in arr])
                out[name.removeprefix("cases/")] = arr
        f.visititems(visit)
    return out


# ---------------------------------------------------------------------------- run
@dataclass
class SweepOutcome:
    """Counts after a sweep (this run's slice).

    Attributes:
        total, ok, failed, pending: case counts.
        failures: (case id, message) of the failed cases.
        retried: ids of failed cases this run computed again (environment failures,
            or all with ``retry_failed``).
        notes: things worth saying (corrupt rows, stale claims taken over).
        stopped: why the run stopped early ("no space left on ..."), else "".
    """

    total: int
    ok: int
    failed: int
    pending: int
    failures: list = field(default_factory=list)
    retried: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    stopped: str = ""


def sweep_status(root: str | os.PathLike, write: bool = False) -> SweepOutcome:
    """Done / failed / pending counts of a sweep folder, with the failures' reasons.

    Raises:
        InputError: not a sweep folder, or its manifest is corrupt.
    """
    sdir = SweepDir(root)
    if not sdir.root.is_dir():
        raise InputError("no such sweep folder", file=str(root))
    manifest = sdir.load_manifest()
    if manifest is None:
        raise InputError("not a sweep folder (no sweep.json)", file=str(root))
    n = len(manifest["points"])
    rows, notes = sdir.rows(n)
    ok = sum(1 for r in rows.values() if r["status"] == "ok")
    failures = [(i, _failure_text(r)) for i, r in sorted(rows.items()) if r["status"] != "ok"]
    if write:
        write_table(sdir)
    return SweepOutcome(total=n, ok=ok, failed=len(failures), pending=n - len(rows),
                        failures=failures, notes=notes)


def _failure_text(row: dict) -> str:
    text = str(row["message"])
    if retryable(row, retry_failed=False):
        text += " [environment: the next run retries it]"
    return text


def _parse_slice(text: str | None, n: int) -> list[int]:
    if not text:
        return list(range(n))
    try:
        k, m = (int(x) for x in text.split("/"))
        if not 0 <= k < m:
            raise ValueError
    except ValueError:
        raise InputError(f"expected I/N with 0 <= I < N, got '{text}'", key="--slice") from None
    return [i for i in range(n) if i % m == k]


@dataclass
class _Start:
    """What rank 0 found when it prepared the folder (broadcast to every rank)."""

    pending: list
    retry: dict
    notes: list


def _start(plan: SweepPlan, sdir: SweepDir, ids: list[int], force: bool,
           retry_failed: bool, protect: tuple) -> _Start:
    sdir.prepare(plan, force, protect)
    rows, notes = sdir.rows(len(plan.points))
    retry = {i: sdir.row_identity(i) for i in ids
             if i in rows and retryable(rows[i], retry_failed)}
    pending = [i for i in ids if i not in rows or i in retry]
    taken = sdir.clear_stale(pending)
    notes += [f"case {i}: the claim of a process that died was removed" for i in taken]
    return _Start(pending, retry, notes)


class _Claimer:
    """The group leader's view of the cases: claims the next one, waits for busy ones."""

    def __init__(self, sdir: SweepDir, pending: list[int], retry: dict, keeper,
                 poll_s: float = 0.5, announce: bool = False):
        self.sdir = sdir
        self.todo = list(pending)
        self.retry = retry
        self.keeper = keeper
        self.busy: list[int] = []
        self.poll_s = poll_s
        self.announce = announce

    def _try(self, i: int) -> str:
        """'mine', 'done' or 'busy'."""
        from interface.batch import claims

        sdir = self.sdir
        if self._done(i):
            return "done"
        path = sdir.claim_path(i)
        if not self.keeper.create(path, i):
            state, _ = claims.claim_state(path)
            if state == claims.STALE and claims.take_over(path, sdir.lock):
                sdir.clear_stale([i])
                return self._try(i)
            return "done" if self._done(i) else "busy"
        if self._done(i):  # committed between the check and the claim
            self.keeper.release(path)
            return "done"
        return "mine"

    def _done(self, i: int) -> bool:
        ident = self.sdir.row_identity(i)
        if ident is None:
            return False
        return self.retry.get(i) != ident  # a row to retry is "done" once recommitted

    def _announce(self) -> None:
        """Say once which other runs' processes this run waits for (not its own groups)."""
        from interface.batch import claims

        records = [claims.read_claim(self.sdir.claim_path(i)) or {} for i in self.busy]
        owners = sorted({f"{str(r.get('owner', {}).get('host', '?')).split('/')[0]}:"
                         f"{r.get('owner', {}).get('pid', '?')}"
                         for r in records if r and r.get("run") != self.keeper.run_id})
        if owners:
            print(f"[sweep] waiting for cases other runs are computing (process "
                  f"{', '.join(owners[:4])}); a case whose owner dies is taken over",
                  file=sys.stderr, flush=True)
        self.announce = False

    def next(self) -> int:
        """The next case this group computes, or -1 when every case is committed."""
        while self.todo:
            i = self.todo.pop(0)
            state = self._try(i)
            if state == "mine":
                return i
            if state == "busy":
                self.busy.append(i)
        delay = self.poll_s
        if self.busy and self.announce:
            self._announce()
        while self.busy:  # cases other live processes compute: wait, or take them over
            time.sleep(delay)
            delay = min(2 * delay, 5.0)
            still = []
            for i in self.busy:
                state = self._try(i)
                if state == "mine":
                    self.busy = still + self.busy[self.busy.index(i) + 1:]
                    return i
                if state == "busy":
                    still.append(i)
            self.busy = still
        return -1


def run_sweep(case_path: str | os.PathLike, output: str | os.PathLike, comm=None, *,
              ranks_per_case: int = 1, overrides: dict | None = None, smoke: bool = False,
              force: bool = False, quiet: bool = False, slice_: str | None = None,
              table_interval_s: float = 30.0, retry_failed: bool = False) -> SweepOutcome:
    """Run (or resume) a sweep; see the module docstring.

    Args:
        case_path: case file with a ``[sweep]`` table.
        output: the sweep folder.
        comm: all ranks of the ensemble (default COMM_WORLD).
        ranks_per_case: K, ranks per group (the size of ``comm`` must be a multiple).
        overrides: applied to every case before the axes.
        smoke: coarse meshes for every case.
        force: discard a folder that holds a different sweep.
        quiet: no progress lines.
        slice_: "I/N" runs only the cases with id % N == I (job arrays).
        table_interval_s: minimum seconds between rewrites of sweep.h5 while running.
        retry_failed: compute every failed case again (environment failures, e.g. a
            staging folder removed under a case, are always computed again).

    Returns:
        Counts for this run's cases (ok, failed, pending, retried).

    Raises:
        InputError: invalid case, axes or folder.
        ResourceError: the disk filled up; the cases being written were not committed
            and a re-run completes them once there is space.
    """
    from interface.backend import MPI
    from interface.batch.claims import ClaimKeeper
    from interface.collective import agree, on_rank0
    from interface.progress import Progress

    comm = comm or MPI.COMM_WORLD
    if ranks_per_case < 1 or comm.size % ranks_per_case:
        raise InputError(f"{comm.size} ranks cannot be split into groups of {ranks_per_case} "
                         "(the number of ranks must be a multiple of it)",
                         key="--ranks-per-case")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    # every rank reads the case; an error on any of them (a file one node cannot read)
    # stops all of them before the first collective
    plan = agree(comm, plan_sweep, case_path, overrides, smoke=smoke)
    sdir = SweepDir(output)
    ids = _parse_slice(slice_, len(plan.points))
    start = on_rank0(comm, _start, plan, sdir, ids, force, retry_failed, (str(case_path),))
    pending, retry = start.pending, start.retry
    if retry and comm.rank == 0 and not quiet:
        kinds = "failed" if retry_failed else "failed for environmental reasons"
        first = sdir.read_row(next(iter(retry))) or {}
        print(f"[sweep] retrying {len(retry)} case(s) that {kinds}: "
              f"{', '.join(str(i) for i in sorted(retry))} (e.g. {first.get('message', '')})",
              file=sys.stderr, flush=True)
    run_id = comm.bcast(os.urandom(6).hex() if comm.rank == 0 else None, root=0)

    # Compile the forms once, before the groups start (DOLFINx's JIT lock waits 10 s).
    if pending:
        on_rank0(comm, _warm_up, plan, pending[0])

    group = comm.Split(color=comm.rank // ranks_per_case, key=comm.rank)
    progress = Progress(len(pending), "sweep", comm, quiet=quiet, min_interval=0.0)
    keeper = ClaimKeeper(run_id)
    claimer = _Claimer(sdir, pending, retry, keeper, announce=comm.rank == 0 and not quiet)
    last_table = time.perf_counter()
    error: Exception | None = None  # what stopped this group (all groups meet below)
    try:
        while True:
            i, err = -1, None
            if group.rank == 0:
                try:
                    i = claimer.next()
                except Exception as exc:  # noqa: BLE001 - shared with the group below
                    i, err = -2, _as_resource_error(exc, sdir)
            i, err = group.bcast((i, err), root=0)
            if err is not None:
                raise err
            if i < 0:
                break
            try:
                row = run_point(plan, sdir, i, group)
            finally:
                if group.rank == 0:
                    keeper.release(sdir.claim_path(i))
            if comm.rank == 0:
                fresh = set(pending) - set(retry)
                redone = sum(1 for j in retry if sdir.row_identity(j) != retry[j])
                progress.update(len(fresh & sdir.committed()) + redone,
                                f"case {i}: {row['status']}")
                if time.perf_counter() - last_table > table_interval_s:
                    with contextlib.suppress(OSError, InputError):  # rebuilt at the end anyway
                        write_table(sdir)
                    last_table = time.perf_counter()
    except Exception as exc:  # noqa: BLE001 - e.g. a full disk: the other groups must not hang
        error = exc
    finally:
        keeper.release_all()
    group.Free()
    from interface.collective import _portable

    errors = [e for e in comm.allgather(None if error is None else _portable(error))
              if e is not None]

    def finish() -> SweepOutcome:
        rows, notes = sdir.rows(len(plan.points))
        stopped = [str(e) for e in errors if isinstance(e, ResourceError)]
        try:
            write_table(sdir)
        except ResourceError as exc:
            stopped.append(str(exc))
        mine = {i: rows[i] for i in ids if i in rows}
        failures = [(i, _failure_text(r)) for i, r in sorted(mine.items())
                    if r["status"] != "ok"]
        return SweepOutcome(total=len(ids), ok=len(mine) - len(failures),
                            failed=len(failures), pending=len(ids) - len(mine),
                            failures=failures, retried=sorted(retry),
                            notes=start.notes + notes, stopped=stopped[0] if stopped else "")

    outcome = on_rank0(comm, finish)
    others = [e for e in errors if not isinstance(e, ResourceError)]
    if others:
        raise error if error is not None and not isinstance(error, ResourceError) else others[0]
    if outcome.stopped:
        raise ResourceError(outcome.stopped, path=str(sdir.root))
    return outcome


def _as_resource_error(exc: Exception, sdir: SweepDir) -> Exception:
    """A full disk while claiming becomes ResourceError; other errors pass unchanged."""
    if isinstance(exc, OSError) and is_no_space(exc):
        return no_space(sdir.root)
    from interface.collective import _portable

    return _portable(exc)


def _warm_up(plan: SweepPlan, i: int) -> None:
    """Build case i's model at smoke size on this rank alone, to fill the JIT cache.

    Uses the model's ``warm_up(case, comm)`` when it has one, else runs the case at
    smoke size.  Failures are ignored (the case itself reports them).
    """
    import dataclasses

    from interface.backend import MPI
    from interface.models import model_module
    from interface.runner import run

    try:
        case = dataclasses.replace(build_point(plan, i), smoke=True)
    except InputError:
        return
    module = model_module(case.model)
    try:
        if hasattr(module, "warm_up"):
            module.warm_up(case, MPI.COMM_SELF)
        else:
            run(case, MPI.COMM_SELF, quiet=True)
    except (SSBIError, OSError):
        pass
