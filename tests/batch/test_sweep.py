"""Sweeps: identical tables for 1 and 2 ranks, SIGKILL + resume, failure isolation."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from interface.batch import run_sweep, sweep_status
from interface.batch.jobscript import JobSpec, render
from interface.batch.sweep import read_table
from interface.cli import main
from interface.errors import InputError
from tests.conftest import CASES, ROOT, write_case
from tests.unit.test_case import MINIMAL

SWEEP = MINIMAL + """
[soc]
points_per_segment = 3

[sweep]
mode = "grid"

[[sweep.axes]]
key = "fixture.preload"
values = ["1 MPa", "3 MPa"]

[[sweep.axes]]
key = "stack.layers.anode.thickness"
values = ["30 um", "5 um", "40 um"]
"""
# The 5 um foil cannot supply the cathode's charge with soc.reference = 0... it can (Li is
# plated on charge); make the failing point explicit instead: reference SOC 1 strips 19 um.
FAILING = SWEEP.replace("[soc]\n", "[soc]\nreference = 1.0\n")

# An elastic anode (creep = false): a few seconds per case, not minutes of time marching.
SLOW = MINIMAL.replace('kind = "lithium_metal"', 'kind = "lithium_metal"\ncreep = false') + """
[mesh]
dimension = 2
lateral_cells = 24
cells_per_layer = 6
degree = 2

[soc]
points_per_segment = 6

[sweep]
[[sweep.axes]]
key = "fixture.preload"
values = ["1 MPa", "2 MPa", "3 MPa", "4 MPa", "5 MPa", "6 MPa", "7 MPa", "8 MPa"]
"""

# 2D: builds the rigid-body near-nullspace on the group's communicator (a PETSc object
# created on COMM_WORLD inside a K = 1 group deadlocked the ensemble once).
SWEEP_2D = MINIMAL + """
[mesh]
dimension = 2
lateral_cells = 6
cells_per_layer = 2

[soc]
points_per_segment = 2

[sweep]
[[sweep.axes]]
key = "fixture.preload"
values = ["1 MPa", "2 MPa", "3 MPa"]
"""


def _compare(t1, t2):
    assert set(t1) == set(t2)
    for k in t1:
        if k in ("wall_time_s", "ranks"):
            continue
        a, b = t1[k], t2[k]
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=0, equal_nan=True, err_msg=k)
        else:
            assert list(a) == list(b), k


@pytest.mark.mpi
@pytest.mark.parametrize("text, n", [(SWEEP, 6), (SWEEP_2D, 3)], ids=["1d", "2d"])
def test_one_vs_two_ranks_identical(comm, shared_tmp, text, n):
    from interface.backend import MPI

    name = f"c{n}.toml"
    case = write_case(shared_tmp, text, name) if comm.rank == 0 else shared_tmp / name
    comm.barrier()
    out = run_sweep(case, shared_tmp / f"par{n}", comm, ranks_per_case=1, quiet=True)
    assert out.ok == n and out.failed == 0
    if comm.rank == 0:
        run_sweep(case, shared_tmp / f"ser{n}", MPI.COMM_SELF, quiet=True)
        _compare(read_table(shared_tmp / f"par{n}" / "sweep.h5"),
                 read_table(shared_tmp / f"ser{n}" / "sweep.h5"))
    comm.barrier()


@pytest.mark.mpi
def test_groups_of_two(comm, shared_tmp):
    """With K = 2 every case is decomposed over the whole (2-rank) world."""
    case = write_case(shared_tmp, SWEEP, "k2.toml") if comm.rank == 0 else shared_tmp / "k2.toml"
    comm.barrier()
    if comm.size % 2:
        with pytest.raises(InputError, match="multiple"):
            run_sweep(case, shared_tmp / "k2", comm, ranks_per_case=2, quiet=True)
        return
    out = run_sweep(case, shared_tmp / "k2", comm, ranks_per_case=2, quiet=True)
    assert out.ok == 6
    t = read_table(shared_tmp / "k2" / "sweep.h5")
    assert set(t["ranks"]) == {2}


def test_failure_isolated_and_recorded(tmp_path):
    case = write_case(tmp_path, FAILING)
    out = run_sweep(case, tmp_path / "sw", quiet=True)
    assert out.failed == 2 and out.ok == 4 and out.pending == 0
    t = read_table(tmp_path / "sw" / "sweep.h5")
    failed = [i for i, s in enumerate(t["status"]) if s == "failed"]
    assert failed == [1, 4]  # the 5 um foil at both preloads
    assert all("stripped" in t["message"][i] for i in failed)
    ok = [i for i, s in enumerate(t["status"]) if s == "ok"]
    assert np.all(np.isfinite(t["outputs/stack_pressure_max_Pa"][ok]))
    assert np.all(np.isnan(t["outputs/stack_pressure_max_Pa"][failed]))
    # inputs in SI next to their text
    assert t["inputs/fixture.preload"][0] == pytest.approx(1e6)
    assert t["inputs_text/stack.layers.anode.thickness"][1] == "5 um"
    st = sweep_status(tmp_path / "sw")
    assert (st.ok, st.failed, st.pending) == (4, 2, 0)
    # CLI: exit 1 when a case failed, after all others ran
    assert main(["sweep", str(case), "-o", str(tmp_path / "sw"), "--quiet"]) == 1


def test_changed_case_refused(tmp_path, capsys):
    case = write_case(tmp_path, SWEEP)
    run_sweep(case, tmp_path / "sw", quiet=True)
    write_case(tmp_path, SWEEP.replace('"3 MPa"', '"4 MPa"'))
    assert main(["sweep", str(case), "-o", str(tmp_path / "sw"), "--quiet"]) == 2
    assert "different sweep" in capsys.readouterr().err
    assert main(["sweep", str(case), "-o", str(tmp_path / "sw"), "--quiet", "--force"]) == 0
    t = read_table(tmp_path / "sw" / "sweep.h5")
    assert list(t["inputs_text/fixture.preload"][:3]) == ["1 MPa"] * 3


def test_bad_sweep_input(tmp_path, capsys):
    bad = write_case(tmp_path, SWEEP.replace('key = "fixture.preload"', 'key = "fixture.prelod"'))
    assert main(["sweep", str(bad), "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "sweep.axes[0]" in err and "did you mean 'preload'" in err
    assert not (tmp_path / "x").exists()
    nosweep = write_case(tmp_path, MINIMAL, "nosweep.toml")
    assert main(["sweep", str(nosweep), "-o", str(tmp_path / "y")]) == 2
    assert "no [sweep] table" in capsys.readouterr().err


def test_dry_run_and_jobscripts(capsys):
    case = str(CASES / "sweep_pressure_soc.toml")
    assert main(["sweep", case, "-o", "unused", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "27 cases (grid)" in out and "fixture.preload=0.5 MPa" in out
    s = render(JobSpec("slurm", case, "/scratch/sw", nodes=2, ranks_per_node=64,
                       ranks_per_case=4, array=0))
    assert "#SBATCH --nodes=2" in s and "-n 128" in s and "--ranks-per-case 4" in s
    s = render(JobSpec("pbs", case, "/scratch/sw", nodes=1, ranks_per_node=8, array=4))
    assert "#PBS -J 0-3" in s and '--slice "${PBS_ARRAY_INDEX}/4"' in s
    with pytest.raises(InputError, match="groups of 3"):
        render(JobSpec("slurm", case, "x", nodes=1, ranks_per_node=8, ranks_per_case=3))
    assert main(["jobscript", case, "-o", "/scratch/sw", "--nodes", "2", "--ranks-per-node",
                 "4", "--array", "3"]) == 0
    assert '--slice "${SLURM_ARRAY_TASK_ID}/3"' in capsys.readouterr().out


def _run_cli(args):
    env = {**os.environ, "PYBAMM_DISABLE_TELEMETRY": "true", "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "interface", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _committed(out):
    if not (out / "cases").exists():
        return []
    return [p for p in (out / "cases").iterdir() if p.is_dir() and (p / "row.json").exists()]


def test_sigkill_and_resume(tmp_path):
    case = write_case(tmp_path, SLOW)
    ref = tmp_path / "ref"
    assert _run_cli(["sweep", str(case), "-o", str(ref), "--quiet"]).wait(600) == 0
    out = tmp_path / "killed"
    proc = _run_cli(["sweep", str(case), "-o", str(out), "--quiet"])
    deadline = time.time() + 300
    while time.time() < deadline:
        if len(_committed(out)) >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = {p.name for p in _committed(out)}
    assert 2 <= len(done_before) < 8, "the sweep finished before it could be killed"
    mtimes = {n: (out / "cases" / n / "row.json").stat().st_mtime_ns for n in done_before}
    assert _run_cli(["sweep", str(case), "-o", str(out), "--quiet"]).wait(600) == 0
    # committed cases were not recomputed; every case is there exactly once
    for n, m in mtimes.items():
        assert (out / "cases" / n / "row.json").stat().st_mtime_ns == m
    names = sorted(p.name for p in (out / "cases").iterdir())
    assert names == [f"{i:06d}" for i in range(8)], names
    _compare(read_table(out / "sweep.h5"), read_table(ref / "sweep.h5"))


def test_rank_fault_aborts_without_deadlock(tmp_path):
    """One rank of a 2-rank group raises: the job aborts (no hang), the failure is
    recorded, and a re-run completes the others."""
    mpiexec = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    if not os.path.exists(mpiexec):
        pytest.skip("no mpiexec next to the interpreter")
    case = write_case(tmp_path, SWEEP)
    out = tmp_path / "sw"
    env = {**os.environ, "SSBI_SWEEP_FAULT": "case=2,rank=1", "OMP_NUM_THREADS": "1"}
    cmd = [mpiexec, "-n", "2", sys.executable, "-m", "interface", "sweep", str(case), "-o",
           str(out), "--ranks-per-case", "2", "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode != 0
    row = json.loads((out / "cases" / "000002" / "row.json").read_text())
    assert row["status"] == "failed" and "injected fault" in row["message"]
    env.pop("SSBI_SWEEP_FAULT")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 1, proc.stderr  # one case failed, all others ran
    st = sweep_status(out)
    assert (st.ok, st.failed, st.pending) == (5, 1, 0)


def test_hpc_scripts_are_current(tmp_path):
    env = {**os.environ, "SSBI": f"{sys.executable} -m interface"}
    subprocess.run(["bash", "hpc/generate.sh", str(tmp_path)], cwd=ROOT, env=env, check=True)
    for script in tmp_path.iterdir():
        committed = (ROOT / "hpc" / script.name).read_text()
        assert committed == script.read_text(), f"hpc/{script.name} is stale: run hpc/generate.sh"
        subprocess.run(["bash", "-n", str(script)], check=True)
