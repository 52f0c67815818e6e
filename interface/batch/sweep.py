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

import copy
import datetime as _dt
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from interface.errors import InputError, SSBIError

ROW = "row.json"
FAULT_ENV = "SSBI_SWEEP_FAULT"  # testing hook: "case=<id>,rank=<group rank>" raises there


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
               smoke: bool = False) -> SweepPlan:
    """Validate a case with a ``[sweep]`` table and list its points.

    Raises:
        InputError: invalid base case, no ``[sweep]`` table, or an axis whose key
            path or first value is invalid (the whole sweep would be wrong).
    """
    from interface.case import load_case
    from interface.case.load import build_case, parse_toml

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
class SweepDir:
    """The sweep folder (see the module docstring); file operations only, no MPI."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.cases = self.root / "cases"
        self.manifest = self.root / "sweep.json"
        self.table = self.root / "sweep.h5"

    def case_dir(self, i: int) -> Path:
        """Output folder of case i."""
        return self.cases / f"{i:06d}"

    def claim_path(self, i: int) -> Path:
        """Claim file of case i."""
        return self.cases / f"{i:06d}.claim"

    def is_done(self, i: int) -> bool:
        """Case i is committed (completed or failed)."""
        return (self.case_dir(i) / ROW).exists()

    def read_row(self, i: int) -> dict | None:
        """The committed row of case i, or None."""
        p = self.case_dir(i) / ROW
        if not p.exists():
            return None
        return json.loads(p.read_text())

    def committed(self) -> set[int]:
        """Ids of the committed cases."""
        if not self.cases.exists():
            return set()
        out = set()
        for entry in os.scandir(self.cases):
            if entry.is_dir() and entry.name.isdigit() and os.path.exists(
                    os.path.join(entry.path, ROW)):
                out.add(int(entry.name))
        return out

    def load_manifest(self) -> dict | None:
        """The manifest, or None."""
        if not self.manifest.exists():
            return None
        return json.loads(self.manifest.read_text())

    def prepare(self, plan: SweepPlan, force: bool) -> None:
        """Create the folder, or check that it belongs to the same sweep.

        Raises:
            InputError: the folder holds a different sweep (case file, overrides or
                axes changed) and ``force`` is not set.
        """
        old = self.load_manifest()
        if self.root.exists() and not self.root.is_dir():
            raise InputError("exists and is not a folder", key="--output", file=str(self.root))
        if old is not None and old.get("fingerprint") != plan.fingerprint:
            if not force:
                raise InputError(
                    "this folder holds a different sweep (the case file, its overrides or the "
                    "axes changed); use --force to discard its results and start over, or "
                    "choose another folder", key="--output", file=str(self.root))
            shutil.rmtree(self.root)
            old = None
        elif old is None and self.root.exists() and any(self.root.iterdir()):
            if not force:
                raise InputError("folder exists and is not a sweep folder; use --force to "
                                 "replace it", key="--output", file=str(self.root))
            shutil.rmtree(self.root)
        self.cases.mkdir(parents=True, exist_ok=True)
        if old is None:
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
            tmp = self.manifest.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(manifest, indent=1, default=str))
            os.replace(tmp, self.manifest)

    def clear_stale(self, ids: list[int]) -> None:
        """Remove claims and staging leftovers of the given (pending) cases."""
        for i in ids:
            self.claim_path(i).unlink(missing_ok=True)
        for entry in os.scandir(self.cases):
            if entry.name.startswith(".") and ".partial-" in entry.name:
                num = entry.name[1:].split(".", 1)[0]
                if num.isdigit() and int(num) in set(ids):
                    shutil.rmtree(entry.path, ignore_errors=True)

    def try_claim(self, i: int, run_id: str) -> bool:
        """Claim case i for this run (atomic); False if committed or claimed."""
        if self.is_done(i):
            return False
        try:
            fd = os.open(self.claim_path(i), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps({"run": run_id, "host": os.uname().nodename,
                                "pid": os.getpid(), "time": time.time()}))
        if self.is_done(i):  # committed between the check and the claim
            self.claim_path(i).unlink(missing_ok=True)
            return False
        return True


# --------------------------------------------------------------------------- rows
def _numeric(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return v if np.isfinite(v) else None
    return None


def make_row(plan: SweepPlan, i: int, status: str, message: str, wall: float, ranks: int,
             case=None, summary: dict | None = None) -> dict:
    """One table row: inputs (text and SI), outputs, status, wall time, message."""
    from interface.case.load import case_value

    inputs_text = {k: str(v) for k, v in plan.points[i].items()}
    inputs_si: dict[str, Any] = {}
    for k in plan.points[i]:
        if case is not None:
            try:
                value, unit = case_value(case, k)
                num = _numeric(value)
                if num is not None:
                    inputs_si[k] = {"value": num, "unit": unit or "1"}
            except InputError:
                pass
    outputs = {}
    outputs_text = {}
    for k, v in (summary or {}).items():
        num = _numeric(v)
        if num is not None:
            outputs[k] = num
        elif isinstance(v, str):
            outputs_text[k] = v
    return {"case_id": i, "status": status, "message": message, "wall_time_s": wall,
            "ranks": ranks, "inputs_text": inputs_text, "inputs": inputs_si,
            "outputs": outputs, "outputs_text": outputs_text}


def _write_row(folder: Path, row: dict) -> None:
    (folder / ROW).write_text(json.dumps(row, indent=1, allow_nan=False))


def _commit_row_only(sdir: SweepDir, i: int, row: dict, comm) -> None:
    """Commit a case folder holding only its row (invalid input, setup failure)."""
    from interface.results.writer import OutputFolder

    folder = OutputFolder(sdir.case_dir(i), comm, force=True)
    if comm.rank == 0:
        _write_row(folder.staging, row)
    folder.commit()


def _inject_fault(i: int, group_rank: int) -> None:
    spec = os.environ.get(FAULT_ENV, "")
    if not spec:
        return
    parts = dict(p.split("=") for p in spec.split(","))
    if int(parts.get("case", -1)) == i and int(parts.get("rank", 0)) == group_rank:
        raise RuntimeError(f"injected fault in case {i} on group rank {group_rank} "
                           f"({FAULT_ENV})")


def run_point(plan: SweepPlan, sdir: SweepDir, i: int, comm) -> dict:
    """Run case i on ``comm`` (its group) and commit its folder; returns the row."""
    from interface.runner import run

    t0 = time.perf_counter()
    try:
        case = build_point(plan, i)
    except InputError as exc:
        row = make_row(plan, i, "failed", f"invalid input: {exc.oneline()}",
                       time.perf_counter() - t0, comm.size)
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
    except SSBIError as exc:  # raised collectively: record and go on
        row = make_row(plan, i, "failed", str(exc), time.perf_counter() - t0, comm.size, case)
        _commit_row_only(sdir, i, row, comm)
        return row
    except Exception as exc:  # noqa: BLE001
        row = make_row(plan, i, "failed", f"{type(exc).__name__}: {exc}",
                       time.perf_counter() - t0, comm.size, case)
        if comm.size == 1:  # nobody can be waiting for us: record and go on
            _commit_row_only(sdir, i, row, comm)
            return row
        # Another rank of the group may be blocked in a collective: commit the row from
        # this rank alone and abort the job (a re-run resumes after this case).
        from interface.backend import MPI

        staging = sdir.cases / f".{i:06d}.partial-abort{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
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
    out_names = sorted({k for r in rows.values() for k in r["outputs"]})
    txt_names = sorted({k for r in rows.values() for k in r["outputs_text"]})
    cols: dict[str, Any] = {
        "case_id": np.arange(n),
        "status": [rows[i]["status"] if i in rows else "pending" for i in range(n)],
        "message": [rows[i]["message"] if i in rows else "" for i in range(n)],
        "wall_time_s": np.array([rows[i]["wall_time_s"] if i in rows else np.nan
                                 for i in range(n)]),
        "ranks": np.array([rows[i]["ranks"] if i in rows else 0 for i in range(n)]),
    }
    for k in keys:
        cols[f"inputs_text/{k}"] = [str(p[k]) for p in plan_manifest["points"]]
        vals, unit = [], "1"
        for i in range(n):
            entry = rows.get(i, {}).get("inputs", {}).get(k)
            vals.append(entry["value"] if entry else np.nan)
            unit = entry["unit"] if entry else unit
        cols[f"inputs/{k}"] = (np.array(vals), unit)
    for k in out_names:
        cols[f"outputs/{k}"] = (np.array([rows[i]["outputs"].get(k, np.nan) if i in rows
                                          else np.nan for i in range(n)]), unit_of(k))
    for k in txt_names:
        cols[f"outputs_text/{k}"] = [rows[i]["outputs_text"].get(k, "") if i in rows else ""
                                     for i in range(n)]
    return cols


def write_table(sdir: SweepDir, rows: dict[int, dict]) -> None:
    """(Re)write sweep.h5 from the rows, atomically (temporary file + rename)."""
    import h5py

    manifest = sdir.load_manifest()
    cols = table_columns(manifest, rows)
    tmp = sdir.root / f".sweep.h5.tmp-{os.getpid()}"
    with h5py.File(tmp, "w") as f:
        for k in ("package_version", "case_path", "case_text", "case_sha256", "mode",
                  "fingerprint", "created"):
            f.attrs[k] = str(manifest.get(k, ""))
        f.attrs["axes"] = json.dumps(manifest["axes"], default=str)
        f.attrs["base_overrides"] = json.dumps(manifest["base_overrides"], default=str)
        f.attrs["updated"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        f.attrs["note"] = ("one row per case; outputs of cases whose status is not 'ok' are "
                           "NaN (no result), never a result")
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
    os.replace(tmp, sdir.table)


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
    """Counts after a sweep (this run's slice)."""

    total: int
    ok: int
    failed: int
    pending: int
    failures: list = field(default_factory=list)


def sweep_status(root: str | os.PathLike, write: bool = False) -> SweepOutcome:
    """Done / failed / pending counts of a sweep folder, with the failures' reasons."""
    sdir = SweepDir(root)
    manifest = sdir.load_manifest()
    if manifest is None:
        raise InputError("not a sweep folder (no sweep.json)", file=str(root))
    n = len(manifest["points"])
    rows = {i: sdir.read_row(i) for i in sdir.committed() if i < n}
    ok = sum(1 for r in rows.values() if r["status"] == "ok")
    failures = [(i, r["message"]) for i, r in sorted(rows.items()) if r["status"] != "ok"]
    if write:
        write_table(sdir, rows)
    return SweepOutcome(total=n, ok=ok, failed=len(failures), pending=n - len(rows),
                        failures=failures)


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


def run_sweep(case_path: str | os.PathLike, output: str | os.PathLike, comm=None, *,
              ranks_per_case: int = 1, overrides: dict | None = None, smoke: bool = False,
              force: bool = False, quiet: bool = False, slice_: str | None = None,
              table_interval_s: float = 30.0) -> SweepOutcome:
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

    Returns:
        Counts for this run's cases (ok, failed, pending).
    """
    from interface.backend import MPI
    from interface.progress import Progress

    comm = comm or MPI.COMM_WORLD
    if ranks_per_case < 1 or comm.size % ranks_per_case:
        raise InputError(f"{comm.size} ranks cannot be split into groups of {ranks_per_case} "
                         "(the number of ranks must be a multiple of it)",
                         key="--ranks-per-case")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    plan = plan_sweep(case_path, overrides, smoke=smoke)
    sdir = SweepDir(output)
    ids = _parse_slice(slice_, len(plan.points))
    err = None
    if comm.rank == 0:
        try:
            sdir.prepare(plan, force)
            pending = [i for i in ids if not sdir.is_done(i)]
            sdir.clear_stale(pending)
        except InputError as exc:
            err = exc
    err = comm.bcast(err, root=0)
    if err is not None:
        raise err
    comm.barrier()
    pending = [i for i in ids if not sdir.is_done(i)]
    run_id = comm.bcast(os.urandom(6).hex() if comm.rank == 0 else None, root=0)

    # Compile the forms once, before the groups start (DOLFINx's JIT lock waits 10 s).
    if pending and comm.rank == 0:
        _warm_up(plan, pending[0])
    comm.barrier()

    group = comm.Split(color=comm.rank // ranks_per_case, key=comm.rank)
    progress = Progress(len(pending), "sweep", comm, quiet=quiet, min_interval=0.0)
    rows: dict[int, dict] = {}
    last_table = time.perf_counter()
    cursor = 0
    while True:
        i = -1
        if group.rank == 0:
            while cursor < len(pending):
                cand = pending[cursor]
                cursor += 1
                if sdir.try_claim(cand, run_id):
                    i = cand
                    break
        i = group.bcast(i, root=0)
        if i < 0:
            break
        row = run_point(plan, sdir, i, group)
        if group.rank == 0:
            sdir.claim_path(i).unlink(missing_ok=True)
        if comm.rank == 0:
            progress.update(len(set(pending) & sdir.committed()), f"case {i}: {row['status']}")
            if time.perf_counter() - last_table > table_interval_s:
                rows.update({j: sdir.read_row(j) for j in sdir.committed() - rows.keys()})
                write_table(sdir, rows)
                last_table = time.perf_counter()
    group.Free()
    comm.barrier()
    outcome = None
    if comm.rank == 0:
        rows.update({j: sdir.read_row(j) for j in sdir.committed() - rows.keys()})
        write_table(sdir, rows)
        mine = {i: rows[i] for i in ids if i in rows}
        failures = [(i, r["message"]) for i, r in sorted(mine.items()) if r["status"] != "ok"]
        outcome = SweepOutcome(total=len(ids), ok=len(mine) - len(failures),
                               failed=len(failures), pending=len(ids) - len(mine),
                               failures=failures)
    return comm.bcast(outcome, root=0)


def _warm_up(plan: SweepPlan, i: int) -> None:
    """Build case i's model at smoke size on this rank alone, to fill the JIT cache.

    Uses the model's ``warm_up(case, comm)`` when it has one, else runs the case at
    smoke size.
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
    except SSBIError:
        pass
