"""Issue 23, item 6: under mpiexec -n 2 no error path hangs (every test has a timeout).

Each rank-0-only step before a collective broadcasts its outcome: the output folder,
the case read (checked on every rank and agreed), the mesh cache write, the sweep row
written before a case is committed, the results written by rank 0.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT, write_case
from tests.unit.test_case import MINIMAL

MPIEXEC = Path(sys.executable).parent / "mpiexec"
DRIVER = Path(__file__).with_name("mpi_driver.py")
TIMEOUT_S = 90

pytestmark = pytest.mark.skipif(not MPIEXEC.exists(), reason="no mpiexec next to the interpreter")


def _mpi(args, scenario="none", env=None, timeout=TIMEOUT_S):
    cmd = [str(MPIEXEC), "-n", "2", sys.executable, str(DRIVER), scenario, "--", *args]
    env = {**os.environ, "OMP_NUM_THREADS": "1", **(env or {})}
    try:
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mpiexec -n 2 hung (> {timeout} s): {' '.join(args)} [{scenario}]")


def _one_line(proc, code):
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == code, proc.stderr
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def test_output_parent_not_writable(tmp_path):
    """Rank 0 fails to create the staging folder; rank 1 used to wait at a barrier."""
    (tmp_path / "file").write_text("")
    case = write_case(tmp_path, MINIMAL)
    proc = _mpi(["run", str(case), "-o", str(tmp_path / "file" / "out"), "--quiet"])
    assert "--output" in _one_line(proc, 2)


def test_case_read_fails_on_one_rank(tmp_path):
    case = write_case(tmp_path, MINIMAL)
    proc = _mpi(["run", str(case), "-o", str(tmp_path / "out"), "--quiet"], "case-read-rank1")
    assert "cannot read" in _one_line(proc, 2)
    assert not (tmp_path / "out").exists()


def test_mesh_cache_not_writable(tmp_path):
    """The mesh is built on rank 0 and cached there: an unwritable cache costs nothing."""
    (tmp_path / "file").write_text("")
    proc = _mpi(["run", str(CASES / "interface_rve_2d.toml"), "--smoke", "-o",
                 str(tmp_path / "out"), "--quiet", "--no-figures", "--no-fields"],
                env={"SSBI_MESH_CACHE": str(tmp_path / "file" / "cache")})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "results.h5").exists()


def test_sweep_row_write_fails_on_rank0(tmp_path):
    """A two-rank group: rank 0 writes the row before the commit (a collective)."""
    from tests.batch.test_sweep import SWEEP

    case = write_case(tmp_path, SWEEP)
    out = tmp_path / "sw"
    proc = _mpi(["sweep", str(case), "-o", str(out), "--ranks-per-case", "2", "--quiet"],
                "row-enospc-rank0")
    assert f"no space left on {out}" in _one_line(proc, 1)
    assert not [p for p in (out / "cases").iterdir() if not p.name.startswith(".sweep")]


def test_results_write_fails_on_rank0(tmp_path):
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    proc = _mpi(["run", str(case), "-o", str(out), "--quiet"], "summary-error-rank0")
    assert proc.returncode != 0
    assert "injected failure on rank 0 only" in proc.stderr
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def _descendants(pid: int, name: str) -> list[int]:
    """Pids of the processes named ``name`` below ``pid`` (the ranks below mpiexec)."""
    table = [ln.split(None, 2) for ln in subprocess.run(
        ["ps", "-eo", "pid=,ppid=,comm="], capture_output=True, text=True,
        check=True).stdout.splitlines()]
    children: dict[int, list[tuple[int, str]]] = {}
    for p, pp, comm in table:
        children.setdefault(int(pp), []).append((int(p), comm))
    out, todo = [], [pid]
    while todo:
        for child, comm in children.get(todo.pop(), []):
            todo.append(child)
            if comm.startswith(name):
                out.append(child)
    return out


@pytest.mark.parametrize("sig, target, codes", [
    (signal.SIGINT, "group", (130,)),    # Ctrl-C in a terminal: every process gets it
    (signal.SIGTERM, "group", (143,)),   # a scheduler ending the job step
    (signal.SIGINT, "rank", (130, 143)),  # one rank only: the others must not hang
])
def test_signal_under_mpi(tmp_path, sig, target, codes):
    text = MINIMAL + "\n[mesh]\ndimension = 2\nlateral_cells = 40\ncells_per_layer = 8\n" \
        "degree = 2\n\n[soc]\npoints_per_segment = 400\n"
    case = write_case(tmp_path, text)
    cmd = [str(MPIEXEC), "-n", "2", sys.executable, "-m", "interface", "run", str(case), "-o",
           str(tmp_path / "out"), "--no-figures", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.time() + TIMEOUT_S
    while time.time() < deadline and not list(tmp_path.glob(".out.partial-*/fields")):
        time.sleep(0.05)
    time.sleep(1.0)
    assert proc.poll() is None, proc.communicate()
    if target == "group":
        os.killpg(proc.pid, sig)
    else:
        ranks = _descendants(proc.pid, "python")
        assert len(ranks) == 2, ranks
        os.kill(max(ranks), sig)
    try:
        _, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("mpiexec -n 2 hung after the signal")
    assert proc.returncode in codes, err
    assert "Traceback" not in err, err
    assert not (tmp_path / "out").exists()  # nothing committed
    # Rank 0 removes the staging folder unless mpiexec ended it first (it was inside a
    # blocking MPI call when the other rank left): then its owner is provably dead and
    # the next run writing this output removes it.
    from interface.results.writer import clean_stale_staging

    clean_stale_staging(tmp_path / "out")
    assert not list(tmp_path.glob(".out*"))
