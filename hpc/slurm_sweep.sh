#!/bin/bash
#SBATCH --job-name=ssbi-sweep
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=64
#SBATCH --cpus-per-task=1
#SBATCH --time=04:00:00
#SBATCH --output=%x-%j.out
set -uo pipefail
cd "${SLURM_SUBMIT_DIR:-$PWD}"

# One thread per rank; the JIT cache on a shared file system (compiled once).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export PYBAMM_DISABLE_TELEMETRY=true
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}"
# PyPI wheels: the venv's MPICH mpiexec.  With a cluster MPI (mpi4py built against it)
# or conda-forge DOLFINx, activate that environment and replace MPIEXEC (e.g. srun).
VENV=".venv"
MPIEXEC="${MPIEXEC:-$VENV/bin/mpiexec}"

# Resumable: re-submitting the same script continues where it stopped.
# Exit code: 0 all cases ok, 1 some failed (the others ran), 2 invalid input.
status=0
$MPIEXEC -n 128 $VENV/bin/python -m interface sweep "cases/sweep_pressure_soc.toml" -o "$SCRATCH/ssbi/sweep_pressure_soc" --ranks-per-case 4 || status=$?
$VENV/bin/python -m interface status "$SCRATCH/ssbi/sweep_pressure_soc"
exit $status
