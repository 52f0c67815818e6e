"""Issue 23 items 1-2 and issue 22 (start-up race): sweeps that overlap, die, fill the disk.

Acceptance: no valid case is ever committed as failed, and the final sweep.h5 holds the
same table as an undisturbed run (every column but wall time and ranks, exactly).
"""

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from interface.batch import claims
from interface.batch.sweep import SweepDir, read_table, run_sweep, sweep_status
from interface.cli import main
from interface.errors import ResourceError
from interface.owner import identity
from tests.batch.test_sweep import SWEEP
from tests.conftest import ROOT, write_case

#: Every case sleeps this long (SSBI_SWEEP_FAULT=delay=...), so that sweeps overlap and can
#: be killed mid-case without costing CPU.
DELAY_S = 0.5


def _table(path):
    t = read_table(path)
    return {k: v for k, v in t.items() if k not in ("wall_time_s", "ranks")}


def _same_table(a, b):
    assert set(a) == set(b)
    for k in a:
        if a[k].dtype.kind == "f":
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)  # bitwise, NaN == NaN
        else:
            assert list(a[k]) == list(b[k]), k


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An undisturbed run of SWEEP (6 cases)."""
    folder = tmp_path_factory.mktemp("ref")
    case = write_case(folder, SWEEP)
    out = run_sweep(case, folder / "sw", quiet=True)
    assert out.ok == 6
    return case, _table(folder / "sw" / "sweep.h5")


def _cli(args, env=None, **kw):
    env = {**os.environ, "OMP_NUM_THREADS": "1", **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "interface", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _rows(out: Path) -> dict[int, dict]:
    return {int(p.name): json.loads((p / "row.json").read_text())
            for p in (out / "cases").iterdir() if p.is_dir() and (p / "row.json").exists()}


# ------------------------------------------------------------------ 1: overlapping sweeps
def test_overlapping_sweeps(tmp_path, reference):
    """20 pairs: the second sweep starts 0-5 s after the first, into the same folder."""
    case, ref = reference
    env = {"SSBI_SWEEP_FAULT": f"delay={DELAY_S}"}
    delays = [5.0 * k / 19 for k in range(20)]
    both_worked = 0
    for batch in range(0, 20, 5):
        runs = []
        for k in range(batch, batch + 5):
            out = tmp_path / f"sw{k}"
            runs.append([k, out, _cli(["sweep", str(case), "-o", str(out), "--quiet"], env),
                         None, time.time() + delays[k]])
        while any(r[3] is None for r in runs):
            for r in runs:
                if r[3] is None and time.time() >= r[4]:
                    r[3] = _cli(["sweep", str(case), "-o", str(r[1]), "--quiet"], env)
            time.sleep(0.02)
        for k, out, first, second, _ in runs:
            for proc in (first, second):
                _, err = proc.communicate(timeout=300)
                assert proc.returncode == 0, f"pair {k} (delay {delays[k]:.2f} s): {err}"
            rows = _rows(out)
            assert sorted(rows) == list(range(6)), k
            assert all(r["status"] == "ok" for r in rows.values()), (k, rows)
            assert not list((out / "cases").glob("*.claim")), k
            assert not list((out / "cases").glob(".*partial*")), k
            _same_table(_table(out / "sweep.h5"), ref)
            both_worked += len({r["worker"] for r in rows.values()}) == 2
    assert both_worked >= 5  # the pairs really overlapped (both processes computed cases)


def test_live_claims_and_their_staging_are_not_cleared(tmp_path):
    """The first reported failure: a second sweep deleted the first's staging folder."""
    sdir = SweepDir(tmp_path)
    sdir.cases.mkdir(parents=True)
    keeper = claims.ClaimKeeper("run1")
    assert keeper.create(sdir.claim_path(3), 3)
    staging = sdir.cases / ".000003.partial-abcd1234"
    staging.mkdir()
    assert sdir.clear_stale([3]) == []
    assert sdir.claim_path(3).exists() and staging.exists()
    keeper.release_all()
    assert not sdir.claim_path(3).exists()


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _claim(path: Path, owner: dict | None, age_s: float = 0.0) -> None:
    path.write_text(json.dumps({"case": 0, "run": "x", "owner": owner}) if owner else "")
    t = time.time() - age_s
    os.utime(path, (t, t))


def test_claim_liveness(tmp_path, monkeypatch):
    me = identity()
    p = tmp_path / "c.claim"
    _claim(p, me)
    assert claims.claim_state(p)[0] == claims.LIVE
    _claim(p, {**me, "pid": _dead_pid()})
    assert claims.claim_state(p)[0] == claims.STALE  # provably dead: pid gone
    _claim(p, {**me, "start": "1"})
    assert claims.claim_state(p)[0] == claims.STALE  # pid reused by another process
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.time() + 30
    while time.time() < deadline:
        stat = Path(f"/proc/{zombie.pid}/stat")
        if not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.01)
    _claim(p, {**me, "pid": zombie.pid, "start": ""})
    assert claims.claim_state(p)[0] == claims.STALE  # a zombie is dead
    zombie.wait()
    remote = {**me, "host": "othernode/boot", "pid": 1}
    monkeypatch.setenv("SSBI_CLAIM_STALE_AFTER", "60")
    _claim(p, remote, age_s=5)
    assert claims.claim_state(p)[0] == claims.LIVE  # another host, fresh heartbeat
    _claim(p, remote, age_s=120)
    assert claims.claim_state(p)[0] == claims.STALE  # old heartbeat and no lock
    fd = os.open(p, os.O_RDWR)
    try:
        assert claims._flock(fd, exclusive=True)
        assert claims.claim_state(p)[0] == claims.LIVE  # the owner still holds the lock
    finally:
        os.close(fd)
    _claim(p, None, age_s=5)
    assert claims.claim_state(p)[0] == claims.LIVE  # empty: its creator may be writing it
    _claim(p, None, age_s=120)
    assert claims.claim_state(p)[0] == claims.STALE


def test_heartbeat_touches_held_claims(tmp_path):
    keeper = claims.ClaimKeeper("r", heartbeat_s=0.05)
    p = tmp_path / "c.claim"
    assert keeper.create(p, 0)
    past = time.time() - 1000
    os.utime(p, (past, past))
    time.sleep(0.3)
    assert time.time() - p.stat().st_mtime < 10
    assert not keeper.create(p, 0)  # exclusive
    keeper.release_all()


def test_stale_claim_is_taken_over_once(tmp_path):
    sdir = SweepDir(tmp_path)
    sdir.cases.mkdir(parents=True)
    dead = {**identity(), "pid": _dead_pid()}
    _claim(sdir.claim_path(0), dead)
    (sdir.cases / ".000000.partial-dead0000").mkdir()
    assert claims.take_over(sdir.claim_path(0), sdir.lock)
    assert not sdir.claim_path(0).exists()
    keeper = claims.ClaimKeeper("r")
    assert keeper.create(sdir.claim_path(0), 0)
    assert not claims.take_over(sdir.claim_path(0), sdir.lock)  # a live claim is kept
    assert sdir.claim_path(0).exists()
    keeper.release_all()


# ---------------------------------------------------------- 1: retries of failed cases
def test_environment_failures_are_retried_and_said(tmp_path, reference, capsys):
    case, ref = reference
    out = tmp_path / "sw"
    assert main(["sweep", str(case), "-o", str(out), "--quiet"]) == 0
    row_file = out / "cases" / "000004" / "row.json"
    row = json.loads(row_file.read_text())
    row.update(status="failed", failure="environment", outputs={}, outputs_text={},
               message="FileNotFoundError: [Errno 2] .000004.partial-x/results.h5")
    row_file.write_text(json.dumps(row))
    legacy = out / "cases" / "000001" / "row.json"
    old = json.loads(legacy.read_text())
    old.update(status="failed", outputs={}, outputs_text={},
               message="FileNotFoundError: [Errno 2] No such file or directory")
    old.pop("failure")
    legacy.write_text(json.dumps(old))  # a row of an older version: judged by its message
    capsys.readouterr()
    assert main(["status", str(out)]) == 0
    assert "the next run retries it" in capsys.readouterr().out
    assert main(["sweep", str(case), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "retrying 2 case(s)" in captured.err and "(2 retried)" in captured.out
    _same_table(_table(out / "sweep.h5"), ref)


def test_retry_failed_option(tmp_path, capsys):
    from tests.batch.test_sweep import FAILING

    case = write_case(tmp_path, FAILING)
    out = tmp_path / "sw"
    assert main(["sweep", str(case), "-o", str(out), "--quiet"]) == 1
    ids = {i: r["row_id"] for i, r in _rows(out).items()}
    assert main(["sweep", str(case), "-o", str(out), "--quiet"]) == 1  # input failures stay
    assert {i: r["row_id"] for i, r in _rows(out).items()} == ids
    assert main(["sweep", str(case), "-o", str(out), "--quiet", "--retry-failed"]) == 1
    after = {i: r["row_id"] for i, r in _rows(out).items()}
    failed = [i for i, r in _rows(out).items() if r["status"] != "ok"]
    assert failed and all(after[i] != ids[i] for i in failed)  # computed again
    assert all(after[i] == ids[i] for i in ids if i not in failed)  # the others kept


# ----------------------------------------------------------------- kill at random points
def test_kill_at_random_points(tmp_path, reference):
    case, ref = reference
    out = tmp_path / "sw"
    rng = random.Random(23)
    env = {"SSBI_SWEEP_FAULT": f"delay={DELAY_S / 2}"}
    for _ in range(3):
        proc = _cli(["sweep", str(case), "-o", str(out), "--quiet"], env,
                    start_new_session=True)
        time.sleep(rng.uniform(0.8, 2.5))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        assert all(r["status"] == "ok" for r in _rows(out).values())
    proc = _cli(["sweep", str(case), "-o", str(out), "--quiet"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert all(r["status"] == "ok" for r in _rows(out).values())
    assert not list((out / "cases").glob("*.claim"))
    assert not list((out / "cases").glob(".*partial*"))
    _same_table(_table(out / "sweep.h5"), ref)


def test_kill_mpi_sweep_and_resume(tmp_path, reference):
    """SIGKILL of a 2-rank sweep (the whole job, as a scheduler does), then resume."""
    mpiexec = Path(sys.executable).parent / "mpiexec"
    if not mpiexec.exists():
        pytest.skip("no mpiexec next to the interpreter")
    case, ref = reference
    out = tmp_path / "sw"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "SSBI_SWEEP_FAULT": f"delay={DELAY_S}"}
    cmd = [str(mpiexec), "-n", "2", sys.executable, "-m", "interface", "sweep", str(case),
           "-o", str(out), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(_rows(out) if (out / "cases").exists() else {}) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 2 <= len(_rows(out)) < 6
    env.pop("SSBI_SWEEP_FAULT")
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    _same_table(_table(out / "sweep.h5"), ref)


# -------------------------------------------------------------------- 2: disk full
def _fail_after(n: int, exc_factory):
    calls = {"n": 0}

    def maybe_fail():
        calls["n"] += 1
        if calls["n"] > n:
            raise exc_factory()

    return maybe_fail


def _enospc():
    return OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("point", ["results.h5", "summary.json", "row.json", "staging",
                                   "sweep.h5"])
def test_disk_full_mid_sweep_then_freed(tmp_path, reference, monkeypatch, point):
    import interface.batch.sweep as sweep_mod
    import interface.results.writer as writer

    case, ref = reference
    out = tmp_path / "sw"
    gate = _fail_after(2, _enospc)
    if point == "results.h5":
        real = writer.write_h5
        monkeypatch.setattr(writer, "write_h5", lambda *a, **k: (gate(), real(*a, **k))[1])
    elif point == "summary.json":
        real = writer.write_summary
        monkeypatch.setattr(writer, "write_summary", lambda *a, **k: (gate(), real(*a, **k))[1])
    elif point == "row.json":
        real = sweep_mod._write_row
        monkeypatch.setattr(sweep_mod, "_write_row", lambda *a, **k: (gate(), real(*a, **k))[1])
    elif point == "staging":  # the marker of a staging folder, and the claims' records
        import interface.owner as owner

        real = owner.identity
        monkeypatch.setattr(owner, "identity", lambda: (gate(), real())[1])
    else:  # the table: every write of it fails, the cases are all committed
        real = writer.write_h5_bytes

        def table_file(path, fill):
            if Path(path).name.startswith(".sweep.h5.tmp"):
                raise _enospc()
            return real(path, fill)

        monkeypatch.setattr(writer, "write_h5_bytes", table_file)
    with pytest.raises(ResourceError, match="no space left on"):
        run_sweep(case, out, quiet=True)
    rows = _rows(out)
    assert all(r["status"] == "ok" for r in rows.values())  # nothing committed as failed
    assert not list((out / "cases").glob("*.claim"))
    assert not list((out / "cases").glob(".*partial*"))
    assert not list(out.glob(".sweep.h5.tmp*"))
    monkeypatch.undo()  # space freed
    outcome = run_sweep(case, out, quiet=True)
    assert (outcome.ok, outcome.failed, outcome.pending) == (6, 0, 0)
    _same_table(_table(out / "sweep.h5"), ref)


def test_disk_full_cli_message(tmp_path, reference, monkeypatch, capsys):
    import interface.results.writer as writer

    case, _ = reference
    real = writer.write_summary
    gate = _fail_after(1, _enospc)
    monkeypatch.setattr(writer, "write_summary", lambda *a, **k: (gate(), real(*a, **k))[1])
    out = tmp_path / "sw"
    assert main(["sweep", str(case), "-o", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"no space left on {out}" in lines[0], err
    gate = _fail_after(0, _enospc)
    single = tmp_path / "one"
    assert main(["run", str(case), "-o", str(single), "--quiet", "--no-figures"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"no space left on {single}" in err, err
    assert not single.exists() and not list(tmp_path.glob(".one*"))


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0 or sys.platform != "linux":
        return False
    path.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       capture_output=True, check=False)
    return r.returncode == 0


@pytest.mark.parametrize("ranks", [1, 2])
def test_real_full_disk(tmp_path, reference, ranks):
    """A real 1 MB tmpfs (root only), filled before the sweep; freed; resumed.

    Was: exit 15 serially and 59 with 2 ranks (segfault / MPI_Abort in HDF5), the case
    being written committed as failed for good.
    """
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "1m"):
        pytest.skip("needs root and tmpfs (mount) to fill a real disk")
    mpiexec = Path(sys.executable).parent / "mpiexec"
    if ranks > 1 and not mpiexec.exists():
        pytest.skip("no mpiexec next to the interpreter")
    case, ref = reference
    try:
        out = disk / "sw"
        fill = disk / "fill"
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        fill.write_bytes(b"\0" * (free - 96 * 1024))  # room for about two cases
        args = ["sweep", str(case), "-o", str(out), "--quiet"]
        if ranks == 1:
            proc = _cli(args)
        else:
            proc = subprocess.Popen([str(mpiexec), "-n", str(ranks), sys.executable, "-m",
                                     "interface", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True,
                                    env={**os.environ, "OMP_NUM_THREADS": "1"})
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, err
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and "no space left on" in lines[0], err
        assert all(r["status"] == "ok" for r in _rows(out).values())
        assert len(_rows(out)) < 6
        fill.unlink()
        proc = _cli(["sweep", str(case), "-o", str(out), "--quiet"])
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        _same_table(_table(out / "sweep.h5"), ref)
        st = sweep_status(out)
        assert (st.ok, st.failed, st.pending) == (6, 0, 0)
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_real_full_disk_single_run_with_fields(tmp_path):
    """ssbi run with VTX fields on a full disk: exit 1, one line (ADIOS2 aborted before)."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "2m"):
        pytest.skip("needs root and tmpfs (mount) to fill a real disk")
    try:
        fill = disk / "fill"
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        fill.write_bytes(b"\0" * (free - 148 * 1024))
        case = ROOT / "cases" / "stack_nmc811_lpscl_li.toml"
        proc = _cli(["run", str(case), "--smoke", "-o", str(disk / "out"), "--quiet",
                     "--set", "stack.layers.anode.creep=false",  # the FE model writes fields
                     "--set", "mesh.dimension=2"])
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, err
        assert err.count("\n") == 1 and "no space left on" in err, err
        assert not list(disk.glob(".out*")) and not (disk / "out").exists()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
