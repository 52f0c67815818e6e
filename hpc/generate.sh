#!/usr/bin/env bash
# Regenerates the example job scripts in this folder from `ssbi jobscript`
# (a test checks they are current).  Run from the repository root.
set -euo pipefail
SSBI="${SSBI:-.venv/bin/python -m interface}"
DEST="${1:-hpc}"
CASE=cases/sweep_pressure_soc.toml
OUT='$SCRATCH/ssbi/sweep_pressure_soc'
$SSBI jobscript $CASE -o "$OUT" --scheduler slurm --nodes 2 --ranks-per-node 64 --ranks-per-case 4 --time 04:00:00 --no-check > "$DEST"/slurm_sweep.sh
$SSBI jobscript $CASE -o "$OUT" --scheduler slurm --nodes 1 --ranks-per-node 32 --ranks-per-case 1 --time 02:00:00 --array 8 --no-check > "$DEST"/slurm_array.sh
$SSBI jobscript $CASE -o "$OUT" --scheduler pbs --nodes 2 --ranks-per-node 64 --ranks-per-case 4 --time 04:00:00 --no-check > "$DEST"/pbs_sweep.sh
$SSBI jobscript $CASE -o "$OUT" --scheduler pbs --nodes 1 --ranks-per-node 32 --ranks-per-case 1 --time 02:00:00 --array 8 --no-check > "$DEST"/pbs_array.sh
