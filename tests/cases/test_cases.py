"""Cases are examples are tests: every file in cases/ runs at smoke size, serial and MPI."""

import json

import numpy as np
import pytest

from interface import load_case, run
from tests.conftest import CASES

ALL = sorted(CASES.glob("*.toml"))


def _smoke(path):
    return load_case(path, smoke=True, overrides={"soc.points_per_segment": 3}
                     if "[soc]" in path.read_text() else None)


@pytest.mark.mpi
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_case_runs(path, comm, shared_tmp):
    case = _smoke(path)
    out = shared_tmp / path.stem
    result = run(case, comm, output=out)
    assert result.ok, result.message
    comm.barrier()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "ok"
    assert (out / "results.h5").exists()


@pytest.mark.mpi
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_parallel_equals_serial(path, comm):
    """The summary on COMM_WORLD equals the summary on COMM_SELF (to solver tolerance)."""
    from interface.backend import MPI

    case = _smoke(path)
    par = run(case, comm, figures=False, fields=False)
    ser = run(case, MPI.COMM_SELF, figures=False, fields=False)
    for key, value in ser.summary.items():
        if isinstance(value, float):
            assert par.summary[key] == pytest.approx(value, rel=1e-7, abs=1e-12), key
    for name, table in ser.tables.items():
        for col, arr in table.columns.items():
            if np.asarray(arr).dtype.kind == "f":
                np.testing.assert_allclose(par.tables[name][col], arr, rtol=1e-7, atol=1e-9,
                                           err_msg=f"{name}/{col}")


SWEEPS = [p for p in ALL if "[sweep]" in p.read_text()]


@pytest.mark.mpi
@pytest.mark.parametrize("path", SWEEPS, ids=lambda p: p.stem)
def test_sweep_cases_run(path, comm, shared_tmp):
    """Sweep case files also run as sweeps (smoke size)."""
    from interface.batch import run_sweep

    out = run_sweep(path, shared_tmp / f"sweep_{path.stem}", comm, smoke=True, quiet=True,
                    overrides={"soc.points_per_segment": 2})
    assert out.failed == 0 and out.pending == 0 and out.ok == out.total
