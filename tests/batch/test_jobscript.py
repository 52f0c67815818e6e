"""Issue 22, clusters: job scripts pass the sweep's options through, name their launcher,
use absolute paths, pass `bash -n` and shellcheck, and run (also with SCRATCH unset)."""

import itertools
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from interface.batch.jobscript import LAUNCHERS, JobSpec, render
from interface.cli import main
from interface.errors import InputError
from tests.batch.test_sweep import SWEEP
from tests.conftest import CASES, ROOT, write_case

CASE = str(CASES / "sweep_pressure_soc.toml")


def _matrix():
    """A spread of job scripts: every scheduler, launcher and hook, arrays or not."""
    hooks = [dict(),
             dict(smoke=True, sets=("fixture.preload=2 MPa", "soc.points_per_segment=3"),
                  modules=("gcc/12", "openmpi/4.1"), setup=("source \"$HOME/env.sh\"",),
                  mem="64G", account="proj-1", partition="standard",
                  directives=("--constraint=cpu",), retry_failed=True)]
    for sched, array, hook in itertools.product(("slurm", "pbs"), (0, 8), hooks):
        for launcher, (schedulers, _) in LAUNCHERS.items():
            if sched not in schedulers:
                continue
            extra = dict(hook)
            if sched == "slurm" and extra:
                extra["qos"] = "normal"
            if sched == "pbs" and extra:
                extra["directives"] = ("-l place=scatter",)
            yield JobSpec(sched, CASE, "${SCRATCH:-$HOME/scratch}/sw" if array else "/tmp/sw",
                          nodes=2, ranks_per_node=4, ranks_per_case=2, array=array,
                          launcher=launcher, **extra)


def _write_all(folder: Path) -> list[Path]:
    paths = []
    for k, spec in enumerate(_matrix()):
        p = folder / f"job{k}_{spec.scheduler}_{spec.launcher}.sh"
        p.write_text(render(spec, "ssbi jobscript ..."))
        paths.append(p)
    assert len(paths) >= 12
    return paths


def test_generated_scripts_pass_bash_n(tmp_path):
    for p in _write_all(tmp_path):
        proc = subprocess.run(["bash", "-n", str(p)], capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0, f"{p.name}: {proc.stderr}"


def test_generated_and_shipped_scripts_are_shellcheck_clean(tmp_path):
    """The repository's rule: shellcheck clean at its default severity (style included)."""
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    scripts = _write_all(tmp_path) + sorted((ROOT / "hpc").glob("*.sh"))
    proc = subprocess.run(["shellcheck", "--shell=bash", *map(str, scripts)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_options_pass_through_and_paths_are_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rel_case = os.path.relpath(CASE, tmp_path)
    s = render(JobSpec("slurm", rel_case, "out/sw", nodes=1, ranks_per_node=8,
                       ranks_per_case=4, array=3, venv=".venv", smoke=True,
                       sets=("fixture.preload=2 MPa",), modules=("gcc/12",), mem="4G",
                       qos="long", directives=("--constraint=cpu",)))
    assert f"CASE={CASE}" in s
    assert f"VENV={tmp_path / '.venv'}" in s and f"OUT={tmp_path / 'out/sw'}" in s
    assert "--ranks-per-case 4" in s and "--smoke" in s
    assert "--set 'fixture.preload=2 MPa'" in s
    assert '--slice "${SLURM_ARRAY_TASK_ID}/3"' in s
    assert "#SBATCH --output=%x-%A_%a.out" in s and "#SBATCH --array=0-2" in s
    assert "module load gcc/12" in s and "#SBATCH --mem=4G" in s
    assert "#SBATCH --qos=long" in s and "#SBATCH --constraint=cpu" in s
    assert 'LAUNCH=("$VENV/bin/mpiexec" -n 8)' in s
    one = render(JobSpec("slurm", CASE, "/o", launcher="srun-pmi2"))
    assert "LAUNCH=(srun --mpi=pmi2 -n 32)" in one and "singletons" in one
    assert "#SBATCH --output=%x-%j.out" in one
    pbs = render(JobSpec("pbs", CASE, "/o", mem="4G", array=2))
    assert ":mem=4gb" in pbs and '-f "$PBS_NODEFILE"' in pbs and "#PBS -J 0-1" in pbs


@pytest.mark.parametrize("kw, key", [
    (dict(scheduler="pbs", launcher="srun-pmi2"), "--launcher"),
    (dict(scheduler="pbs", qos="normal"), "--qos"),
    (dict(launcher="srun"), "--launcher"),
    (dict(mem="lots"), "--mem"),
    (dict(modules=("gcc\nrm -rf ~",)), "--module"),
    (dict(account="a b"), "--account"),
    (dict(sets=("no-equals",)), "--set"),
])
def test_impossible_requests(kw, key):
    kw = {"scheduler": "slurm", **kw}
    with pytest.raises(InputError) as exc:
        render(JobSpec(case=CASE, output="/o", **kw))
    assert exc.value.key == key


def test_cli_jobscript_validates_with_the_overrides(capsys):
    assert main(["jobscript", CASE, "-o", "/o", "--set", "fixture.preload=3 bananas"]) == 2
    assert "fixture.preload" in capsys.readouterr().err
    assert main(["jobscript", CASE, "-o", "/o", "--smoke", "--set", "fixture.preload=3 MPa",
                 "--launcher", "srun-pmix", "--module", "gcc/12"]) == 0
    out = capsys.readouterr().out
    assert "--set 'fixture.preload=3 MPa'" in out and "srun --mpi=pmix" in out
    assert "ssbi jobscript" in out  # the generating command is recorded in the header


def _stub(folder: Path, name: str, body: str) -> None:
    p = folder / name
    p.write_text("#!/bin/bash\n" + body)
    p.chmod(p.stat().st_mode | stat.S_IEXEC)


def test_shipped_scripts_run_with_scratch_unset(tmp_path):
    """hpc/*.sh died on `set -u` ($SCRATCH unbound) or wrote to /ssbi; now they use
    ${SCRATCH:-$HOME/scratch} (launcher and python stubbed: no scheduler, no 128 ranks)."""
    home = tmp_path / "home"
    fake = tmp_path / "repo"
    (fake / ".venv" / "bin").mkdir(parents=True)
    home.mkdir()
    log = tmp_path / "calls.log"
    record = f'echo "$(basename "$0") $*" >> {log}\n'
    _stub(fake / ".venv" / "bin", "mpiexec", record)
    _stub(fake / ".venv" / "bin", "python", record)
    _stub(tmp_path, "srun", record)
    (tmp_path / "nodes").write_text("localhost\n")
    env = {k: v for k, v in os.environ.items() if k != "SCRATCH" and not k.startswith(
        ("SLURM_", "PBS_"))}
    env.update(HOME=str(home), SSBI_HOME=str(fake), PATH=f"{tmp_path}:{env['PATH']}",
               SLURM_ARRAY_TASK_ID="3", PBS_ARRAY_INDEX="3", PBS_NODEFILE=str(tmp_path / "nodes"))
    scripts = sorted((ROOT / "hpc").glob("*.sh"))
    assert {p.name for p in scripts} >= {"slurm_sweep.sh", "slurm_array.sh", "pbs_sweep.sh",
                                         "pbs_array.sh", "slurm_srun.sh"}
    for script in scripts:
        if script.name == "generate.sh":
            continue
        log.write_text("")
        proc = subprocess.run(["bash", str(script)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 0, f"{script.name}: {proc.stderr}"
        calls = log.read_text().splitlines()
        out = f"{home}/scratch/ssbi/sweep_pressure_soc"
        assert any(f"-m interface sweep {fake}/cases/sweep_pressure_soc.toml -o {out}" in c
                   for c in calls), (script.name, calls)
        assert calls[-1] == f"python -m interface status {out}", calls
        if "array" in script.name:
            assert any("--slice 3/8" in c for c in calls), calls


def test_generated_script_runs_a_sweep(tmp_path):
    """A generated script run by bash (no scheduler): the venv's mpiexec, 2 ranks."""
    if not (Path(sys.prefix) / "bin" / "mpiexec").exists():
        pytest.skip("no mpiexec in the environment")
    case = write_case(tmp_path, SWEEP)
    script = tmp_path / "job.sh"
    script.write_text(render(JobSpec("slurm", str(case), str(tmp_path / "sw"), nodes=1,
                                     ranks_per_node=2, ranks_per_case=1, smoke=True,
                                     sets=("soc.points_per_segment=2",))))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
    env["OMP_NUM_THREADS"] = "1"
    proc = subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 done, 0 failed, 0 pending" in proc.stdout
    from interface.batch.sweep import read_table

    t = read_table(tmp_path / "sw" / "sweep.h5")
    assert set(t["ranks"]) == {1} and list(t["status"]) == ["ok"] * 6
