"""Writing a Result: results.h5, summary.json, figures/, fields/ - atomically.

Layout (docs/results.md):

* ``results.h5`` - root attributes (provenance: package, dolfinx, petsc and
  pybamm versions, the full case text and its sha256, overrides, git commit,
  creation time, status); group ``summary`` (scalars as attributes); group
  ``info``; group ``tables/<table>/<column>`` (datasets with a ``unit``
  attribute; 2D columns also carry ``labels``).
* ``summary.json`` - the same headline scalars, SI units in the key names.
* ``figures/*.png``, ``fields/*.bp`` (VTX, for ParaView).

Everything is written into a hidden staging folder next to the target and
renamed into place at the end, so an interrupted run never leaves a
half-written output folder.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import subprocess
import time
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from interface.errors import InputError, SolverError, is_no_space, no_space
from interface.results.result import Result


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_commit() -> str:
    """The git commit of the package source, when it is a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False)
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if out.returncode != 0:
        return "unknown"
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def provenance(case) -> dict[str, Any]:
    """Root attributes of results.h5."""
    import platform

    from interface import __version__

    try:
        from interface.backend import versions

        v = versions()
    except ImportError:  # no DOLFINx: models that do not need it still record provenance
        v = {"dolfinx": "not installed", "petsc": "not installed"}
    return {
        "package": "ssb-interface",
        "package_version": __version__,
        "dolfinx_version": v.get("dolfinx", ""),
        "petsc_version": v.get("petsc", ""),
        "pybamm_version": _version("pybamm"),
        "python_version": platform.python_version(),
        "case_path": str(case.path),
        "case_text": case.text,
        "case_sha256": case.sha256,
        "overrides": json.dumps({k: str(v) for k, v in case.overrides.items()}),
        "smoke": bool(case.smoke),
        "git_commit": git_commit(),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _attr(value: Any) -> Any:
    if isinstance(value, dict | list | tuple):
        return json.dumps(_jsonable(value))
    if value is None:
        return "none"
    return value


def write_h5_bytes(path: Path, fill) -> None:
    """Build an HDF5 file in memory with ``fill(h5file)`` and write it to ``path`` in one go.

    HDF5 never writes to the disk itself: a full disk then fails the plain Python write
    with a clean OSError (ENOSPC) instead of leaving the HDF5 library with a file it
    cannot flush (which crashed the process at exit, issue 23).
    """
    import io

    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        fill(f)
    data = buf.getvalue()
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError:
        Path(path).unlink(missing_ok=True)
        raise


def write_h5(path: Path, result: Result, case) -> None:
    """Write results.h5 (serial h5py, built in memory; call on one rank)."""
    write_h5_bytes(path, lambda f: _fill_h5(f, result, case))


def _fill_h5(f, result: Result, case) -> None:
    import h5py

    for k, v in provenance(case).items():
        f.attrs[k] = v
    f.attrs["model"] = result.model
    f.attrs["status"] = result.status
    f.attrs["message"] = result.message
    g = f.create_group("summary")
    for k, v in result.summary.items():
        if isinstance(v, float | np.floating) and not np.isfinite(v):
            raise SolverError(f"non-finite summary value {k} = {v}: refusing to write it "
                              "as a result")
        g.attrs[k] = _attr(v)
    g = f.create_group("info")
    for k, v in result.info.items():
        g.attrs[k] = _attr(v)
    tg = f.create_group("tables")
    for name, table in result.tables.items():
        t = tg.create_group(name)
        t.attrs["description"] = table.description
        for col, values in table.columns.items():
            arr = np.asarray(values)
            if arr.dtype == object or arr.dtype.kind in "US":
                ds = t.create_dataset(col, data=np.array([str(x) for x in arr.ravel()],
                                                         dtype=h5py.string_dtype()))
            else:
                if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
                    raise SolverError(f"non-finite values in {name}/{col}: refusing to "
                                      "write them as a result")
                ds = t.create_dataset(col, data=arr)
            ds.attrs["unit"] = table.units.get(col, "1")
            if col in table.labels:
                ds.attrs["labels"] = table.labels[col]


def write_summary(path: Path, result: Result, case) -> None:
    """Write summary.json."""
    from interface import __version__

    data = {"model": result.model, "status": result.status, "message": result.message,
            "case_file": str(case.path), "case_sha256": case.sha256,
            "package_version": __version__, **_jsonable(result.summary)}
    path.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n")


#: Marker file of every output folder this tool writes (JSON: package, version, owner).
#: ``--force`` replaces only folders that carry it.
MARKER = ".ssbi-output"
#: A staging folder without a readable marker older than this (s) is abandoned.
ORPHAN_AGE_S = 3600.0


def is_output_folder(path: str | os.PathLike) -> bool:
    """True if ``path`` is an output folder written by this tool (marker, or an older layout).

    Sweep folders carry ``sweep.json``; folders written before the marker existed
    are recognised by their ``results.h5`` (root attribute ``package =
    "ssb-interface"``) or a sweep case's ``row.json``.
    """
    path = Path(path)
    if any((path / name).is_file() for name in (MARKER, "row.json", "sweep.json")):
        return True
    h5 = path / "results.h5"
    if not h5.is_file():
        return False
    try:
        import h5py

        with h5py.File(h5, "r") as f:
            return str(f.attrs.get("package", "")) == "ssb-interface"
    except (OSError, ValueError):
        return False


def check_replaceable(target: Path, force: bool, protect: tuple = ()) -> None:
    """Raise InputError unless an output folder may be written at ``target``.

    A new path is fine.  An existing one needs ``force``, must be an output folder of
    this tool (:func:`is_output_folder`) or empty, and must not be the current folder,
    a parent of it, or hold any of the ``protect`` paths (the case file).
    """
    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir():
        raise InputError("exists and is not a folder", key="--output", file=str(target))
    if not force:
        raise InputError("output folder exists; use --force to replace it", key="--output",
                         file=str(target))
    real = target.resolve()
    cwd = Path.cwd().resolve()
    if real == cwd or real in cwd.parents:
        raise InputError("--force would delete the current folder (or a folder holding it); "
                         "choose a new output folder", key="--output", file=str(target))
    for p in protect:
        rp = Path(p).resolve()
        if rp == real or real in rp.parents:
            raise InputError(f"--force would delete {p} (it is inside this folder); choose "
                             "another output folder", key="--output", file=str(target))
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        raise InputError(f"cannot list the folder: {exc.strerror or exc}", key="--output",
                         file=str(target)) from None
    if not empty and not is_output_folder(target):
        raise InputError(f"is not an output folder of ssbi (no {MARKER} marker): --force "
                         "replaces only those; remove it yourself or choose another folder",
                         key="--output", file=str(target))


def _owner_of(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text())
    except (OSError, ValueError):
        return None
    owner = data.get("owner") if isinstance(data, dict) else None
    return owner if isinstance(owner, dict) else None


def clean_stale_staging(target: Path) -> list[Path]:
    """Remove the staging folders ``.NAME.partial-*`` of ``target`` left by dead processes.

    A staging folder goes when its owner (marker) is provably dead, or when it has
    no readable marker and is older than :data:`ORPHAN_AGE_S`; ``.NAME.old-*``
    leftovers of an interrupted replacement go once ``target`` exists.  Staging
    folders of live processes, and of other hosts (nothing can be proved), stay.

    Returns:
        The folders removed.
    """
    from interface.owner import owner_alive

    parent = target.parent
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    partial, old = f".{target.name}.partial-", f".{target.name}.old-"
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith(partial):
            owner = _owner_of(path)
            if owner is not None:
                dead = owner_alive(owner) is False
            else:
                try:
                    dead = time.time() - path.stat().st_mtime > ORPHAN_AGE_S
                except OSError:
                    dead = False
        elif entry.name.startswith(old):
            dead = target.exists()
        else:
            continue
        if dead:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class OutputFolder:
    """A staging folder renamed into place on success (collective over ``comm``).

    Every file-system step runs on rank 0 and its outcome (or error) is broadcast,
    so a failure there (a read-only parent, a full disk) raises on every rank
    instead of leaving the others waiting in a collective.

    Args:
        target: the output folder the user asked for.
        comm: communicator of the run (rank 0 does the file-system work).
        force: replace an existing output folder of this tool (never another folder,
            the current folder or a parent of it, see :func:`check_replaceable`).
        protect: paths that must survive (the case file): refused if inside ``target``.

    Raises:
        InputError: the folder exists and force is False, it is not an output folder,
            it cannot be created.
        ResourceError: no space left to create it.
    """

    def __init__(self, target: str | os.PathLike, comm, force: bool = False,
                 protect: tuple = ()):
        from interface.collective import on_rank0

        self.target = Path(target)
        self.comm = comm
        self.staging = Path(on_rank0(comm, self._create, force, tuple(protect)))

    def _create(self, force: bool, protect: tuple) -> str:
        from interface import __version__
        from interface.owner import identity

        check_replaceable(self.target, force, protect)
        clean_stale_staging(self.target)
        staging = self.target.parent / f".{self.target.name}.partial-{uuid.uuid4().hex[:8]}"
        try:
            staging.mkdir(parents=True)
            (staging / MARKER).write_text(json.dumps(
                {"package": "ssb-interface", "package_version": __version__,
                 "owner": identity()}) + "\n")
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if is_no_space(exc):
                raise no_space(self.target) from None
            raise InputError(f"cannot create the output folder: {exc.strerror or exc}",
                             key="--output", file=str(self.target)) from None
        return str(staging)

    @property
    def figures(self) -> Path:
        """The staging figures folder."""
        return self.staging / "figures"

    @property
    def fields(self) -> Path:
        """The staging fields folder."""
        return self.staging / "fields"

    def commit(self) -> Path:
        """Move the staging folder into place (replacing an old one); collective."""
        from interface.collective import on_rank0

        self.comm.barrier()
        on_rank0(self.comm, self._commit)
        return self.target

    def _commit(self) -> None:
        try:
            if self.target.exists():
                trash = self.target.parent / f".{self.target.name}.old-{uuid.uuid4().hex[:8]}"
                os.replace(self.target, trash)
                os.replace(self.staging, self.target)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                os.replace(self.staging, self.target)
        except OSError as exc:
            if is_no_space(exc):
                raise no_space(self.target) from None
            raise

    def abort(self) -> None:
        """Remove the staging folder (rank 0; not collective)."""
        if self.comm.rank == 0:
            shutil.rmtree(self.staging, ignore_errors=True)

    def wait_removed(self, timeout: float) -> None:
        """Wait (at most ``timeout`` s, no MPI) until rank 0 has removed the staging folder.

        After an interrupt the ranks leave without a collective; the first rank out
        ends the job, so the others give rank 0 a moment to clean up.  Should rank 0
        be stuck elsewhere, its folder is left to the next run (owner provably dead).
        """
        deadline = time.monotonic() + timeout
        while self.staging.exists() and time.monotonic() < deadline:
            time.sleep(0.02)


def write_result(result: Result, case, folder: OutputFolder, *, figures: bool = True) -> None:
    """Write results.h5, summary.json and the figures into the staging folder (rank 0).

    Collective: an error on rank 0 is raised on every rank; a full disk raises
    ResourceError ``no space left on <output folder>``.
    """
    from interface.collective import on_rank0

    def write() -> None:
        try:
            write_h5(folder.staging / "results.h5", result, case)
            write_summary(folder.staging / "summary.json", result, case)
            if figures:
                from interface.models import model_module

                model_module(result.model).plot(result, folder.figures)
        except OSError as exc:
            if is_no_space(exc):
                raise no_space(folder.target) from None
            raise

    on_rank0(folder.comm, write)
