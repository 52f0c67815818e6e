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
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from interface.errors import InputError, SolverError
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


def write_h5(path: Path, result: Result, case) -> None:
    """Write results.h5 (serial h5py; call on one rank)."""
    import h5py

    with h5py.File(path, "w") as f:
        for k, v in provenance(case).items():
            f.attrs[k] = v
        f.attrs["model"] = result.model
        f.attrs["status"] = result.status
        f.attrs["message"] = result.message
        g = f.create_group("summary")
        for k, v in result.summary.items():
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


class OutputFolder:
    """A staging folder renamed into place on success (collective over ``comm``).

    Args:
        target: the output folder the user asked for.
        comm: communicator of the run (rank 0 does the file-system work).
        force: replace an existing folder.

    Raises:
        InputError: the folder exists and force is False, or it is a file.
    """

    def __init__(self, target: str | os.PathLike, comm, force: bool = False):
        self.target = Path(target)
        self.comm = comm
        if self.target.exists() and not self.target.is_dir():
            raise InputError("exists and is not a folder", key="--output",
                             file=str(self.target))
        if self.target.exists() and not force:
            raise InputError("output folder exists; use --force to replace it", key="--output",
                             file=str(self.target))
        token = uuid.uuid4().hex[:8] if comm.rank == 0 else None
        token = comm.bcast(token, root=0)
        self.staging = self.target.parent / f".{self.target.name}.partial-{token}"
        if comm.rank == 0:
            self.staging.mkdir(parents=True)
        comm.barrier()

    @property
    def figures(self) -> Path:
        """The staging figures folder."""
        return self.staging / "figures"

    @property
    def fields(self) -> Path:
        """The staging fields folder."""
        return self.staging / "fields"

    def commit(self) -> Path:
        """Move the staging folder into place (replacing an old one)."""
        self.comm.barrier()
        if self.comm.rank == 0:
            if self.target.exists():
                trash = self.target.parent / f".{self.target.name}.old-{uuid.uuid4().hex[:8]}"
                os.replace(self.target, trash)
                os.replace(self.staging, self.target)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                os.replace(self.staging, self.target)
        self.comm.barrier()
        return self.target

    def abort(self) -> None:
        """Remove the staging folder."""
        if self.comm.rank == 0:
            shutil.rmtree(self.staging, ignore_errors=True)


def write_result(result: Result, case, folder: OutputFolder, *, figures: bool = True) -> None:
    """Write results.h5, summary.json and the figures into the staging folder (rank 0)."""
    err = None
    if folder.comm.rank == 0:
        try:
            write_h5(folder.staging / "results.h5", result, case)
            write_summary(folder.staging / "summary.json", result, case)
            if figures:
                from interface.models import model_module

                model_module(result.model).plot(result, folder.figures)
        except Exception as exc:  # noqa: BLE001 - re-raised collectively below
            err = exc
    err = folder.comm.bcast(err, root=0)
    if err is not None:
        raise err
