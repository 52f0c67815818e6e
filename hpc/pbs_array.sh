#!/bin/bash
#PBS -N ssbi-sweep
#PBS -l select=1:ncpus=32:mpiprocs=32
#PBS -l walltime=02:00:00
#PBS -j oe
#PBS -J 0-7
set -uo pipefail
cd "${PBS_O_WORKDIR:-$PWD}"

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
$MPIEXEC -n 32 -f $PBS_NODEFILE $VENV/bin/python -m interface sweep "cases/sweep_pressure_soc.toml" -o "$SCRATCH/ssbi/sweep_pressure_soc" --ranks-per-case 1 --slice ${PBS_ARRAY_INDEX}/8 || status=$?
$VENV/bin/python -m interface status "$SCRATCH/ssbi/sweep_pressure_soc"
exit $status
