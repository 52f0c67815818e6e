"""Job scripts for Slurm and PBS: one job running a whole ensemble, or a job array.

`ssbi jobscript` prints a script for given nodes, ranks and ranks per case; the
examples in hpc/ are the same scripts (``hpc/generate.sh``; a test keeps them current
and runs every generated script through ``bash -n`` and shellcheck).

What a script does not leave to chance:

* paths: the venv and the case file are absolute (resolved when the script is
  generated), so the job runs from any folder; a path holding ``$`` (``$SCRATCH``)
  is left to the shell, with a default when the variable is unset;
* the launcher is named: ``mpiexec`` of the venv (MPICH Hydra, which reads the
  Slurm or PBS allocation), or ``srun --mpi=pmi2`` / ``srun --mpi=pmix`` on Slurm.
  Plain ``srun`` without the ``--mpi`` plugin the MPI library speaks starts N
  singletons: N one-rank jobs that each run the whole sweep (they do not corrupt it
  - claims keep them apart - but nothing is decomposed and every rank loads
  everything);
* the sweep's options (``--smoke``, ``--set``, ``--ranks-per-case``, ``--slice`` of an
  array task) are passed through; array logs are ``%x-%A_%a.out`` (one per task);
* site hooks: ``module load`` lines, set-up lines, ``--mem``, ``--qos``,
  ``--account``, ``--partition`` and extra scheduler directives.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from interface.errors import InputError

#: Launchers by name: (schedulers, shell words before the program; {n} = ranks).
LAUNCHERS = {
    "mpiexec": (("slurm", "pbs"), '"$VENV/bin/mpiexec" -n {n}'),
    "srun-pmi2": (("slurm",), "srun --mpi=pmi2 -n {n}"),
    "srun-pmix": (("slurm",), "srun --mpi=pmix -n {n}"),
}

LAUNCHER_NOTES = {
    "mpiexec": "the venv's mpiexec (MPICH Hydra from the PyPI wheels): it reads the "
               "scheduler's allocation and starts the ranks itself",
    "srun-pmi2": "srun with the PMI-2 plugin, which the MPICH of the PyPI wheels speaks "
                 "(plain srun would start singletons: one-rank jobs)",
    "srun-pmix": "srun with the PMIx plugin, for an MPI built with PMIx (cluster Open MPI, "
                 "conda-forge/Spack MPICH with PMIx); plain srun would start singletons",
}


@dataclass(frozen=True)
class JobSpec:
    """What the job needs (see the module docstring)."""

    scheduler: str            # "slurm" or "pbs"
    case: str
    output: str
    nodes: int = 1
    ranks_per_node: int = 32
    ranks_per_case: int = 1
    walltime: str = "02:00:00"
    array: int = 0            # > 0: a job array of this many tasks, each a slice
    account: str = ""
    partition: str = ""
    venv: str = field(default_factory=lambda: sys.prefix)
    job_name: str = "ssbi-sweep"
    extra_args: str = ""
    smoke: bool = False
    sets: tuple[str, ...] = ()
    launcher: str = "mpiexec"
    modules: tuple[str, ...] = ()
    setup: tuple[str, ...] = ()
    mem: str = ""
    qos: str = ""
    directives: tuple[str, ...] = ()
    retry_failed: bool = False

    def check(self) -> None:
        """Raise InputError for impossible requests."""
        if self.scheduler not in ("slurm", "pbs"):
            raise InputError(f"unknown scheduler '{self.scheduler}' (slurm or pbs)",
                             key="--scheduler")
        for name in ("nodes", "ranks_per_node", "ranks_per_case"):
            if getattr(self, name) < 1:
                raise InputError("must be >= 1", key=f"--{name.replace('_', '-')}")
        if (self.nodes * self.ranks_per_node) % self.ranks_per_case:
            raise InputError(f"{self.nodes * self.ranks_per_node} ranks cannot be split into "
                             f"groups of {self.ranks_per_case}", key="--ranks-per-case")
        if self.array < 0:
            raise InputError("must be >= 0", key="--array")
        parts = self.walltime.split(":")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise InputError(f"expected HH:MM:SS, got '{self.walltime}'", key="--time")
        if self.launcher not in LAUNCHERS:
            raise InputError(f"unknown launcher '{self.launcher}' (one of "
                             f"{', '.join(LAUNCHERS)})", key="--launcher")
        if self.scheduler not in LAUNCHERS[self.launcher][0]:
            raise InputError(f"the {self.launcher} launcher needs Slurm; with PBS use mpiexec",
                             key="--launcher")
        if self.qos and self.scheduler != "slurm":
            raise InputError("a quality of service is a Slurm option (PBS: use --directive)",
                             key="--qos")
        if self.mem and not re.fullmatch(r"[0-9]+[KMGTkmgt]?[Bb]?", self.mem):
            raise InputError(f"expected a memory size such as 4G or 4000M, got '{self.mem}'",
                             key="--mem")
        for key, value in (("--job-name", self.job_name), ("--account", self.account),
                           ("--partition", self.partition), ("--qos", self.qos)):
            if value and not re.fullmatch(r"[A-Za-z0-9_.+-]+", value):
                raise InputError(f"'{value}' is not a plain name (letters, digits, _ . + -)",
                                 key=key)
        for key, values in (("--directive", self.directives), ("--module", self.modules),
                            ("--setup", self.setup), ("--set", self.sets)):
            for v in values:
                if "\n" in v or "\r" in v:
                    raise InputError(f"'{v!r}' spans several lines", key=key)
        for s in self.sets:
            if "=" not in s:
                raise InputError(f"expected KEY=VALUE, got '{s}'", key="--set")


def _shell_path(path: str) -> str:
    """A path for the script: absolute (resolved now) unless it holds a $VARIABLE."""
    if "$" in path:  # expanded by the job's shell, e.g. ${SCRATCH:-$HOME/scratch}/sweep
        return '"' + path.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'
    return shlex.quote(str(Path(path).expanduser().resolve()))


def render(spec: JobSpec, command_line: str = "") -> str:
    """The job script text."""
    from interface import __version__

    spec.check()
    ntasks = spec.nodes * spec.ranks_per_node
    d: list[str] = []
    if spec.scheduler == "slurm":
        d += [f"--job-name={spec.job_name}", f"--nodes={spec.nodes}",
              f"--ntasks-per-node={spec.ranks_per_node}", "--cpus-per-task=1",
              f"--time={spec.walltime}",
              "--output=%x-%A_%a.out" if spec.array else "--output=%x-%j.out"]
        d += [f"--account={spec.account}"] if spec.account else []
        d += [f"--partition={spec.partition}"] if spec.partition else []
        d += [f"--qos={spec.qos}"] if spec.qos else []
        d += [f"--mem={spec.mem}"] if spec.mem else []
        d += list(spec.directives)
        d += [f"--array=0-{spec.array - 1}"] if spec.array else []
        head = ["#!/bin/bash"] + [f"#SBATCH {x}" for x in d]
        workdir = 'cd "${SLURM_SUBMIT_DIR:-$PWD}" || exit 2'
        task = "SLURM_ARRAY_TASK_ID"
    else:
        mem = f":mem={spec.mem.lower().rstrip('b')}b" if spec.mem else ""
        d += [f"-N {spec.job_name}",
              f"-l select={spec.nodes}:ncpus={spec.ranks_per_node}:"
              f"mpiprocs={spec.ranks_per_node}{mem}",
              f"-l walltime={spec.walltime}", "-j oe"]
        d += [f"-A {spec.account}"] if spec.account else []
        d += [f"-q {spec.partition}"] if spec.partition else []
        d += list(spec.directives)
        d += [f"-J 0-{spec.array - 1}"] if spec.array else []
        head = ["#!/bin/bash"] + [f"#PBS {x}" for x in d]
        workdir = 'cd "${PBS_O_WORKDIR:-$PWD}" || exit 2'
        task = "PBS_ARRAY_INDEX"
    lines = head + [f"# Generated by `ssbi jobscript` (ssb-interface {__version__})."]
    if command_line:
        lines.append(f"#   {command_line}")
    if spec.setup:  # files sourced by set-up lines live on the cluster, not here
        lines.append("# shellcheck disable=SC1090,SC1091")
    lines += ["set -uo pipefail", workdir, ""]
    if spec.modules or spec.setup:
        lines.append("# Site set-up")
        lines += [f"module load {m}" for m in spec.modules]
        lines += list(spec.setup)
        lines.append("")
    launch = LAUNCHERS[spec.launcher][1].format(n=ntasks)
    if spec.scheduler == "pbs":
        launch += ' -f "$PBS_NODEFILE"'
    lines += [
        "# One thread per rank; the JIT cache on a shared file system (compiled once).",
        "export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1",
        "export PYBAMM_DISABLE_TELEMETRY=true",
        'export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}"',
        f"VENV={_shell_path(spec.venv)}",
        f"CASE={_shell_path(spec.case)}",
        f"OUT={_shell_path(spec.output)}",
        f"# Launcher: {LAUNCHER_NOTES[spec.launcher]}.",
        f"LAUNCH=({launch})",
        "",
    ]
    args = [f"--ranks-per-case {spec.ranks_per_case}"]
    if spec.array:
        args.append(f'--slice "${{{task}}}/{spec.array}"')
    if spec.smoke:
        args.append("--smoke")
    if spec.retry_failed:
        args.append("--retry-failed")
    args += [f"--set {shlex.quote(s)}" for s in spec.sets]
    if spec.extra_args:
        args.append(spec.extra_args)
    lines += [
        "# Resumable: re-submitting the same script continues where it stopped; array",
        "# tasks may start together (the sweep folder is prepared safely by each of them).",
        "# Exit code: 0 all cases ok, 1 some failed (the others ran), 2 invalid input.",
        "status=0",
        f'"${{LAUNCH[@]}}" "$VENV/bin/python" -m interface sweep "$CASE" -o "$OUT" '
        f'{" ".join(args)} || status=$?',
        '"$VENV/bin/python" -m interface status "$OUT"',
        'exit "$status"',
        "",
    ]
    return "\n".join(lines)


def command_line(argv: list[str]) -> str:
    """The `ssbi jobscript` command line, for the script's header."""
    return "ssbi " + " ".join(shlex.quote(a) for a in argv)


__all__ = ["LAUNCHERS", "JobSpec", "command_line", "render"]
