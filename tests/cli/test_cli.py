"""The command line: exit codes, one-line errors, no half-written output."""

import json
import subprocess
import sys

import pytest

from interface.cli import main
from tests.conftest import CASES, ROOT, write_case
from tests.unit.test_case import MINIMAL

STACK = str(CASES / "stack_nmc811_lpscl_li.toml")


def _one_line_error(capsys, rc, expect_code=2):
    out = capsys.readouterr()
    assert rc == expect_code
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert len(lines) == 1, out.err
    assert "Traceback" not in out.err
    return lines[0]


def test_check_ok(capsys):
    assert main(["check", STACK]) == 0
    assert "ok" in capsys.readouterr().out


@pytest.mark.parametrize("args, fragment", [
    (["check", "missing.toml"], "no such file"),
    (["check", str(CASES)], "is a directory"),
    (["check", STACK, "--set", "fixture.preload=3 bananas"], "fixture.preload"),
    (["check", STACK, "--set", "fixture.preload"], "KEY=VALUE"),
    (["check", STACK, "--set", "stack.layers.nope.thickness=1um"], "no entry named 'nope'"),
    (["bogus"], "invalid choice"),
])
def test_errors_exit_2(capsys, args, fragment):
    line = _one_line_error(capsys, main(args))
    assert fragment in line


def test_run_invalid_writes_nothing(tmp_path, capsys):
    bad = write_case(tmp_path, MINIMAL.replace('"2 MPa"', '"2 m"'))
    out = tmp_path / "out"
    line = _one_line_error(capsys, main(["run", str(bad), "-o", str(out)]))
    assert "fixture.preload" in line
    assert not out.exists()
    assert not list(tmp_path.glob(".out*"))


def test_run_refuses_existing_folder(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    line = _one_line_error(capsys, main(["run", STACK, "-o", str(out), "--smoke"]))
    assert "--force" in line


def test_run_smoke_and_force(tmp_path, capsys):
    out = tmp_path / "out"
    args = ["run", STACK, "-o", str(out), "--smoke", "--quiet", "--set", "soc.points_per_segment=4"]
    assert main(args) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "ok"
    assert summary["points_completed"] == 9
    assert main([*args, "--force"]) == 0
    assert (out / "figures" / "stack_soc.png").exists()
    assert not list(tmp_path.glob(".out*"))


def test_subprocess_exit_code_and_no_traceback(tmp_path):
    bad = write_case(tmp_path, MINIMAL.replace('kind = "solid"', 'kind = "soild"'))
    proc = subprocess.run([sys.executable, "-m", "interface", "check", str(bad)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "stack.layers.sep.kind" in proc.stderr


def test_materials_listing(capsys):
    assert main(["materials"]) == 0
    assert "NMC811" in capsys.readouterr().out
    assert main(["materials", "Li"]) == 0
    assert "Masias" in capsys.readouterr().out
