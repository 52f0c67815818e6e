#!/usr/bin/env bash
# Regenerates the example job scripts in this folder from `ssbi jobscript`
# (a test checks they are current, and runs them with SCRATCH unset).  Run from the
# repository root.  The scripts expect to be submitted from the repository root
# (or SSBI_HOME set to it); results go to ${SCRATCH:-$HOME/scratch}/ssbi/...
set -euo pipefail
SSBI="${SSBI:-.venv/bin/python -m interface}"
DEST="${1:-hpc}"
# Single quotes: these stay variables, expanded by the job's shell.
# shellcheck disable=SC2016
CASE='${SSBI_HOME:-$PWD}/cases/sweep_pressure_soc.toml'
# shellcheck disable=SC2016
VENV='${SSBI_HOME:-$PWD}/.venv'
# shellcheck disable=SC2016
OUT='${SCRATCH:-$HOME/scratch}/ssbi/sweep_pressure_soc'
common=(--venv "$VENV" --no-check --no-header)
$SSBI jobscript "$CASE" -o "$OUT" --scheduler slurm --nodes 2 --ranks-per-node 64 --ranks-per-case 4 --time 04:00:00 "${common[@]}" > "$DEST"/slurm_sweep.sh
$SSBI jobscript "$CASE" -o "$OUT" --scheduler slurm --nodes 1 --ranks-per-node 32 --ranks-per-case 1 --time 02:00:00 --array 8 "${common[@]}" > "$DEST"/slurm_array.sh
$SSBI jobscript "$CASE" -o "$OUT" --scheduler slurm --nodes 2 --ranks-per-node 64 --ranks-per-case 4 --time 04:00:00 --launcher srun-pmi2 "${common[@]}" > "$DEST"/slurm_srun.sh
$SSBI jobscript "$CASE" -o "$OUT" --scheduler pbs --nodes 2 --ranks-per-node 64 --ranks-per-case 4 --time 04:00:00 "${common[@]}" > "$DEST"/pbs_sweep.sh
$SSBI jobscript "$CASE" -o "$OUT" --scheduler pbs --nodes 1 --ranks-per-node 32 --ranks-per-case 1 --time 02:00:00 --array 8 "${common[@]}" > "$DEST"/pbs_array.sh
