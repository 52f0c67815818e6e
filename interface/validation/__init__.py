"""Validation against published measurements: ``ssbi validate`` and ``interface.validate``.

Verification (``ssbi verify``) asks whether the equations are solved right;
validation asks whether they are the right equations.  A dataset is a case
plus observations of its outputs with bands (docs/validation-experiments.md);
:func:`validate` runs each dataset's case once and compares.

    import interface
    rows = interface.validate()                    # the shipped datasets
    [r.as_json() for r in rows if not r.within]
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from interface.errors import InputError, SolverError
from interface.validation.dataset import Dataset, dataset_files, load_dataset, shipped_datasets
from interface.validation.evaluate import Row, evaluate, failed_rows

__all__ = ["Dataset", "Row", "RunRecord", "load_dataset", "run_dataset", "shipped_datasets",
           "validate"]


@dataclass
class RunRecord:
    """A dataset, its rows and the result of its case (for reports and figures)."""

    dataset: Dataset
    rows: list[Row]
    result: object = None
    seconds: float = 0.0


def _case_of(dataset: Dataset, smoke: bool, extra: dict | None):
    from interface.case import load_case
    from interface.case.load import build_case

    overrides = dict(dataset.overrides)
    if smoke:
        overrides.update(dataset.smoke_overrides)
    overrides.update(extra or {})
    if dataset.case_inline is not None:
        text = "# inline case of dataset " + dataset.name + "\n"
        try:
            return build_case(dict(dataset.case_inline), path=str(dataset.path), text=text,
                              overrides=overrides, smoke=smoke)
        except InputError as exc:
            raise exc.at(file=f"{dataset.path} [dataset.case.inline]") from None
    return load_case(dataset.case_file, overrides, smoke=smoke)


def run_dataset(dataset: Dataset, comm=None, *, smoke: bool = False, out: Path | None = None,
                overrides: dict | None = None, quiet: bool = True) -> RunRecord:
    """Run one dataset's case and evaluate its observations.

    A case that cannot be built (missing file, a key the case does not have yet) or
    that fails to solve gives rows with status ``failed: <reason>``; a malformed
    observation raises InputError (exit 2 in the CLI).

    Args:
        dataset: from :func:`load_dataset`.
        comm: communicator of the case run (default COMM_WORLD).
        smoke: run the case at smoke size (applies ``smoke_overrides`` too).
        out: output folder of the case run (None: nothing written).
        overrides: extra dotted-key overrides on top of the dataset's (calibration).
        quiet: no progress lines from the case.
    """
    import time

    from interface.runner import run

    t0 = time.perf_counter()
    if dataset.missing_case:
        return RunRecord(dataset, failed_rows(dataset, dataset.missing_case))
    try:
        case = _case_of(dataset, smoke, overrides)
    except InputError as exc:
        return RunRecord(dataset, failed_rows(dataset, f"case not runnable: {exc.oneline()}"))
    try:
        result = run(case, comm, output=out, force=True, quiet=quiet, figures=False,
                     fields=False)
    except SolverError as exc:
        return RunRecord(dataset, failed_rows(dataset, f"solver: {exc}"),
                         seconds=time.perf_counter() - t0)
    if not result.ok:
        return RunRecord(dataset, failed_rows(dataset, f"run failed: {result.message}"),
                         result, time.perf_counter() - t0)
    return RunRecord(dataset, evaluate(dataset, result, smoke=smoke), result,
                     time.perf_counter() - t0)


def validate(paths: Sequence[str | os.PathLike] | None = None, comm=None, *,
             smoke: bool = False, out: str | os.PathLike | None = None, quiet: bool = True,
             records: list | None = None) -> list[Row]:
    """Run validation datasets and return one Row per observation.

    Args:
        paths: dataset files or folders (None: the datasets shipped with the package).
        comm: communicator (every case runs on all of it).
        smoke: smoke-size cases.
        out: folder for the case outputs, one subfolder per dataset (None: a temporary
            folder, removed afterwards).
        quiet: no progress lines.
        records: if a list is given, the RunRecords are appended to it (reports).

    Raises:
        InputError: a malformed dataset (before any case runs) or an observation that
            does not fit its case's outputs.
    """
    from interface.backend import MPI
    from interface.progress import Progress

    comm = comm or MPI.COMM_WORLD
    datasets = [load_dataset(p) for p in dataset_files(list(paths) if paths else None)]
    names: dict[str, Path] = {}
    for d in datasets:
        if d.name in names:
            raise InputError(f"dataset name '{d.name}' is also used by {names[d.name]}",
                             key="dataset.name", file=str(d.path))
        names[d.name] = d.path
    tmp = None
    if out is None:
        tmp = tempfile.mkdtemp(prefix="ssbi-validate-") if comm.rank == 0 else None
        tmp = comm.bcast(tmp, root=0)
        base = Path(tmp)
    else:
        base = Path(out)
    progress = Progress(len(datasets), "validate", comm, quiet=quiet, min_interval=0.0)
    rows: list[Row] = []
    try:
        for d in datasets:
            rec = run_dataset(d, comm, smoke=smoke, out=base / d.name, quiet=True)
            rows += rec.rows
            if records is not None:
                records.append(rec)
            n_in = sum(r.within for r in rec.rows)
            state = "ok" if all(r.status == "ok" for r in rec.rows) else "failed"
            progress.step(f"{d.name}: {n_in}/{len(rec.rows)} within ({state}, "
                          f"{rec.seconds:.1f} s)")
    finally:
        if tmp is not None and comm.rank == 0:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return rows
