"""Issue 23, items 4, 5 and 8: what --force may delete, NaN never written, stale staging."""

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from interface.cli import main
from interface.errors import SolverError
from interface.results.result import Result
from interface.results.writer import MARKER, OutputFolder, clean_stale_staging, write_h5
from tests.conftest import CASES, ROOT, write_case
from tests.unit.test_case import MINIMAL

QUICK = ["--smoke", "--quiet", "--no-figures", "--no-fields", "--set",
         "soc.points_per_segment=2"]


def _err(capsys, rc, code=2):
    out = capsys.readouterr()
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert rc == code and len(lines) == 1 and "Traceback" not in out.err, out.err
    return lines[0]


# -------------------------------------------------------------------------- 4: --force
def test_force_never_deletes_a_parent_of_the_case(tmp_path, capsys, monkeypatch):
    """`ssbi run case.toml -o ../proj --force` from inside proj deleted the case file."""
    proj = tmp_path / "proj"
    proj.mkdir()
    case = write_case(proj, MINIMAL)
    (proj / "notes.txt").write_text("the user's data")
    monkeypatch.chdir(proj)
    line = _err(capsys, main(["run", "case.toml", "-o", "../proj", "--force", *QUICK]))
    assert "--force" in line and "current folder" in line
    monkeypatch.chdir(tmp_path)
    line = _err(capsys, main(["run", str(case), "-o", str(proj), "--force", *QUICK]))
    assert "case.toml" in line
    assert case.exists() and (proj / "notes.txt").read_text() == "the user's data"


def test_force_refuses_a_folder_that_is_not_ours(tmp_path, capsys):
    case = write_case(tmp_path, MINIMAL)
    data = tmp_path / "data"
    data.mkdir()
    (data / "thesis.tex").write_text("years of work")
    line = _err(capsys, main(["run", str(case), "-o", str(data), "--force", *QUICK]))
    assert MARKER in line
    assert (data / "thesis.tex").exists()


def test_force_replaces_our_output_folder(tmp_path, capsys):
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    assert main(["run", str(case), "-o", str(out), *QUICK]) == 0
    assert (out / MARKER).is_file()
    first = json.loads((out / MARKER).read_text())
    assert first["package"] == "ssb-interface" and first["owner"]["pid"] == os.getpid()
    assert main(["run", str(case), "-o", str(out), "--force", *QUICK]) == 0
    assert json.loads((out / "summary.json").read_text())["status"] == "ok"
    assert not list(tmp_path.glob(".out*"))
    empty = tmp_path / "empty"
    empty.mkdir()  # an empty folder holds nothing to lose
    assert main(["run", str(case), "-o", str(empty), "--force", *QUICK]) == 0


def test_force_sweep_refuses_other_folders(tmp_path, capsys, monkeypatch):
    from tests.batch.test_sweep import SWEEP

    case = write_case(tmp_path, SWEEP)
    (tmp_path / "keep.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    line = _err(capsys, main(["sweep", "case.toml", "-o", ".", "--force", "--quiet"]))
    assert "not a sweep folder" in line
    assert case.exists() and (tmp_path / "keep.txt").exists()


# ------------------------------------------------------- 5: no NaN written as a result
def test_summary_nan_is_refused(tmp_path):
    case = __import__("interface").load_case(write_case(tmp_path, MINIMAL))
    for bad in (float("nan"), float("inf"), np.float64("-inf")):
        with pytest.raises(SolverError, match="rms_roughness_m"):
            write_h5(tmp_path / "r.h5", Result("stack", summary={"rms_roughness_m": bad}), case)


def test_failed_sweep_case_keeps_no_numbers(tmp_path):
    from interface.batch import run_sweep
    from interface.batch.sweep import read_table
    from tests.batch.test_sweep import FAILING

    case = write_case(tmp_path, FAILING)
    run_sweep(case, tmp_path / "sw", quiet=True)
    t = read_table(tmp_path / "sw" / "sweep.h5")
    failed = [i for i, s in enumerate(t["status"]) if s != "ok"]
    assert failed
    for name, col in t.items():
        if name.startswith("outputs/"):
            assert np.all(np.isnan(col[failed])), name
        if name.startswith("outputs_text/"):
            assert all(col[i] == "" for i in failed), name
    for i in failed:
        row = json.loads((tmp_path / "sw" / "cases" / f"{i:06d}" / "row.json").read_text())
        assert row["outputs"] == {} and row["outputs_text"] == {}
        assert row["failure"] == "input"  # the foil is stripped: an impossible combination


def test_failed_result_keeps_no_numbers_in_row_or_table():
    """A model that returns status "failed" with a partial summary (issue 23: 28 of 31
    outputs kept), and rows of older versions that still carry numbers: NaN in the table."""
    from interface.batch.sweep import SweepPlan, make_row, table_columns

    plan = SweepPlan("c.toml", "", {}, [{"a": 1}, {"a": 2}], [{"key": "a", "values": [1, 2]}],
                     "grid", False, False)
    summary = {"stack_pressure_max_Pa": 2e6, "note": "partial"}
    failed = make_row(plan, 0, "failed", "diverged at SOC 0.4", 1.0, 1, summary=summary)
    assert failed["outputs"] == {} and failed["outputs_text"] == {}
    assert failed["failure"] == "solver"
    ok = make_row(plan, 1, "ok", "", 1.0, 1, summary=summary)
    assert ok["outputs"] == {"stack_pressure_max_Pa": 2e6}
    legacy = {**failed, "outputs": {"stack_pressure_max_Pa": 1.5e6}}
    legacy.pop("failure")
    manifest = {"points": plan.points, "axes": plan.axes}
    cols = table_columns(manifest, {0: legacy, 1: ok})
    values, unit = cols["outputs/stack_pressure_max_Pa"]
    assert np.isnan(values[0]) and values[1] == 2e6 and unit == "Pa"
    assert cols["outputs_text/note"] == ["", "partial"]


# -------------------------------------------------------------- 8: stale staging folders
def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _staging(parent, name, owner):
    p = parent / f".{name}.partial-{os.urandom(4).hex()}"
    p.mkdir()
    (p / "results.h5").write_bytes(b"half")
    if owner is not None:
        (p / MARKER).write_text(json.dumps({"package": "ssb-interface", "owner": owner}))
    return p


def test_stale_staging_of_dead_processes_is_cleaned(tmp_path):
    from interface.owner import identity

    me = identity()
    dead = {**me, "pid": _dead_pid()}
    other_host = {**me, "host": "elsewhere/0", "pid": 1}
    gone = _staging(tmp_path, "out", dead)
    live = _staging(tmp_path, "out", me)
    remote = _staging(tmp_path, "out", other_host)
    fresh_orphan = _staging(tmp_path, "out", None)
    old_orphan = _staging(tmp_path, "out", None)
    past = time.time() - 7200
    os.utime(old_orphan, (past, past))
    unrelated = _staging(tmp_path, "other", dead)
    removed = clean_stale_staging(tmp_path / "out")
    assert set(removed) == {gone, old_orphan}
    for p in (live, remote, fresh_orphan, unrelated):
        assert p.exists()


def test_run_cleans_staging_left_by_a_killed_run(tmp_path):
    from interface.owner import identity

    case = write_case(tmp_path, MINIMAL)
    left = _staging(tmp_path, "out", {**identity(), "pid": _dead_pid()})
    assert main(["run", str(case), "-o", str(tmp_path / "out"), *QUICK]) == 0
    assert not left.exists()


SLOW_STACK = MINIMAL + "\n[mesh]\ndimension = 2\nlateral_cells = 40\ncells_per_layer = 8\n" \
    "degree = 2\n\n[soc]\npoints_per_segment = 400\n"


@pytest.mark.parametrize("model, sig, code", [
    ("stack", "SIGTERM", 143),  # PETSc's handler: MPI_Abort, exit 59 / 15, staging left
    # a SNES residual written in Python: the interrupt came back as a PETSc.Error (exit 1)
    ("lithium", "SIGINT", 130)])
def test_signal_exits_cleanly(tmp_path, model, sig, code):
    """Ctrl-C: exit 130, one line; SIGTERM: exit 143 (was MPI_Abort 59); no staging left."""
    import signal

    if model == "stack":
        case, extra = write_case(tmp_path, SLOW_STACK), []
    else:
        case, extra = CASES / "lithium_interface.toml", ["--smoke"]
    out = tmp_path / "out"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "interface", "run", str(case), "-o", str(out),
                             "--no-figures", "--quiet", *extra], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not list(tmp_path.glob(".out.partial-*")):
        time.sleep(0.05)
    time.sleep(2.5)  # well inside the solve loop
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err and "PETSC" not in err, err
    assert not out.exists() and not list(tmp_path.glob(".out*")), list(tmp_path.iterdir())


def test_output_parent_is_a_file(tmp_path, capsys):
    (tmp_path / "f").write_text("")
    case = write_case(tmp_path, MINIMAL)
    line = _err(capsys, main(["run", str(case), "-o", str(tmp_path / "f" / "out"), *QUICK]))
    assert "--output" in line


def test_output_folder_object_is_collective_on_one_rank(tmp_path):
    from interface.backend import MPI

    f = OutputFolder(tmp_path / "o", MPI.COMM_SELF)
    assert f.staging.exists() and (f.staging / MARKER).exists()
    f.commit()
    assert (tmp_path / "o" / MARKER).exists()


def test_cases_run_from_case_dir(tmp_path, capsys, monkeypatch):
    """A shipped case writes fine into a new folder next to it (the common use)."""
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(CASES / "stack_nmc811_lpscl_li.toml"), "-o", "o", *QUICK]) == 0


def test_an_old_signal_does_not_end_a_later_run(tmp_path, capsys):
    """main() run twice in one process (a notebook): a Ctrl-C of the first is forgotten."""
    import signal

    from interface import signals

    signals.received.append(signal.SIGINT)  # as if the previous command was interrupted
    case = write_case(tmp_path, MINIMAL)
    assert main(["run", str(case), "-o", str(tmp_path / "out"), *QUICK]) == 0
    with pytest.raises(KeyboardInterrupt):
        signals.received.append(signal.SIGINT)
        signals.check(since=0)
    signals.received.clear()
