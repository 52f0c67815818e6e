"""Batch runs: parameter sweeps as MPI ensembles over sub-communicators."""

from interface.batch.sweep import SweepDir, plan_sweep, run_sweep, sweep_status

__all__ = ["SweepDir", "plan_sweep", "run_sweep", "sweep_status"]
