"""Job scripts for Slurm and PBS: one job running a whole ensemble, or a job array.

`ssbi jobscript` prints a script for given nodes, ranks and ranks per case; the
templates in hpc/ are the same scripts with placeholders documented.
"""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError


@dataclass(frozen=True)
class JobSpec:
    """What the job needs."""

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
    venv: str = ".venv"
    job_name: str = "ssbi-sweep"
    extra_args: str = ""

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


ENV_BLOCK = """\
# One thread per rank; the JIT cache on a shared file system (compiled once).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export PYBAMM_DISABLE_TELEMETRY=true
export XDG_CACHE_HOME="${{XDG_CACHE_HOME:-$HOME/.cache}}"
# PyPI wheels: the venv's MPICH mpiexec.  With a cluster MPI (mpi4py built against it)
# or conda-forge DOLFINx, activate that environment and replace MPIEXEC (e.g. srun).
VENV={venv}
MPIEXEC="${{MPIEXEC:-$VENV/bin/mpiexec}}"
"""


def _quote(text: str) -> str:
    """Double-quote for the shell, keeping $VARIABLES (e.g. $SCRATCH) expandable."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'


def render(spec: JobSpec) -> str:
    """The job script text."""
    spec.check()
    ntasks = spec.nodes * spec.ranks_per_node
    slice_arg = ""
    lines = ["#!/bin/bash"]
    if spec.scheduler == "slurm":
        lines += [f"#SBATCH --job-name={spec.job_name}", f"#SBATCH --nodes={spec.nodes}",
                  f"#SBATCH --ntasks-per-node={spec.ranks_per_node}",
                  "#SBATCH --cpus-per-task=1", f"#SBATCH --time={spec.walltime}",
                  "#SBATCH --output=%x-%j.out"]
        if spec.account:
            lines.append(f"#SBATCH --account={spec.account}")
        if spec.partition:
            lines.append(f"#SBATCH --partition={spec.partition}")
        if spec.array:
            lines.append(f"#SBATCH --array=0-{spec.array - 1}")
            slice_arg = f" --slice ${{SLURM_ARRAY_TASK_ID}}/{spec.array}"
        launch = "$MPIEXEC -n {n}"
        workdir = 'cd "${SLURM_SUBMIT_DIR:-$PWD}"'
    else:
        lines += [f"#PBS -N {spec.job_name}",
                  f"#PBS -l select={spec.nodes}:ncpus={spec.ranks_per_node}:"
                  f"mpiprocs={spec.ranks_per_node}", f"#PBS -l walltime={spec.walltime}",
                  "#PBS -j oe"]
        if spec.account:
            lines.append(f"#PBS -A {spec.account}")
        if spec.partition:
            lines.append(f"#PBS -q {spec.partition}")
        if spec.array:
            lines.append(f"#PBS -J 0-{spec.array - 1}")
            slice_arg = f" --slice ${{PBS_ARRAY_INDEX}}/{spec.array}"
        launch = "$MPIEXEC -n {n} -f $PBS_NODEFILE"
        workdir = 'cd "${PBS_O_WORKDIR:-$PWD}"'
    lines += ["set -uo pipefail", workdir, "", ENV_BLOCK.format(venv=_quote(spec.venv))]
    cmd = (f"{launch.format(n=ntasks)} $VENV/bin/python -m interface sweep "
           f"{_quote(spec.case)} -o {_quote(spec.output)} "
           f"--ranks-per-case {spec.ranks_per_case}{slice_arg}")
    if spec.extra_args:
        cmd += f" {spec.extra_args}"
    lines += ["# Resumable: re-submitting the same script continues where it stopped.",
              "# Exit code: 0 all cases ok, 1 some failed (the others ran), 2 invalid input.",
              "status=0",
              f"{cmd} || status=$?",
              f"$VENV/bin/python -m interface status {_quote(spec.output)}",
              "exit $status", ""]
    return "\n".join(lines)
