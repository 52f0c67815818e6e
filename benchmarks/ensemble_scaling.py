"""Ensemble scaling of `ssbi sweep`: 8 equal cases on 2 ranks (K = 1) vs 1 rank.

Speedup measured on run_sweep inside the job (imports and MPI start-up excluded,
they are a fixed cost per job, not per case) and on the whole mpiexec job.
Also the per-case overhead of the sweep machinery (claims, per-case folders,
rows, table) against a bare run of the same case in the same process.

    .venv/bin/python benchmarks/ensemble_scaling.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CASE = (ROOT / "cases" / "stack_nmc811_lpscl_li.toml").read_text().replace(
    "[mesh]\ndimension = 1\ndegree = 1\ncells_per_layer = 4",
    "[mesh]\ndimension = 2\ndegree = 2\ncells_per_layer = 8\nlateral_cells = 120") + """
[sweep]
[[sweep.axes]]
key = "fixture.preload"
values = ["1 MPa", "2 MPa", "3 MPa", "4 MPa", "5 MPa", "6 MPa", "7 MPa", "8 MPa"]
"""


def sweep_wall(case: Path, out: Path, ranks: int) -> tuple[float, float]:
    """(wall of the whole mpiexec job, wall of run_sweep inside it after the imports)."""
    mpiexec = Path(sys.executable).parent / "mpiexec"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYBAMM_DISABLE_TELEMETRY": "true"}
    t0 = time.perf_counter()
    proc = subprocess.run([str(mpiexec), "-n", str(ranks), sys.executable, __file__, "--worker",
                           str(case), str(out)], check=True, env=env, cwd=ROOT,
                          capture_output=True, text=True)
    total = time.perf_counter() - t0
    inner = float(proc.stdout.split("SWEEP_WALL")[1].split()[0])
    return total, inner


def worker(case: str, out: str) -> None:
    """Run under mpiexec: time run_sweep itself (imports and MPI start-up excluded)."""
    from interface.backend import MPI
    from interface.batch import run_sweep

    comm = MPI.COMM_WORLD
    comm.barrier()
    t0 = time.perf_counter()
    run_sweep(case, out, comm, quiet=True)
    comm.barrier()
    if comm.rank == 0:
        print(f"SWEEP_WALL {time.perf_counter() - t0:.6f}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        case = tmp / "ensemble.toml"
        case.write_text(CASE)
        sweep_wall(case, tmp / "warm", 1)  # JIT cache
        t1, s1 = sweep_wall(case, tmp / "one", 1)
        t2, s2 = sweep_wall(case, tmp / "two", 2)
        from interface.batch.sweep import read_table

        c1 = read_table(tmp / "one" / "sweep.h5")["wall_time_s"]
        c2 = read_table(tmp / "two" / "sweep.h5")["wall_time_s"]

        # Per-case overhead, in one process: bare run vs sweep of the same 8 cases.
        from interface import load_case, run
        from interface.backend import MPI
        from interface.batch import run_sweep

        bare = []
        for i in range(8):
            c = load_case(case, overrides={"fixture.preload": f"{i + 1} MPa"})
            t0 = time.perf_counter()
            run(c, MPI.COMM_SELF, output=tmp / f"bare{i}", figures=False, fields=False)
            bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_sweep(case, tmp / "inproc", MPI.COMM_SELF, quiet=True)
        t_sweep = time.perf_counter() - t0
    t_bare = sum(bare) / len(bare)
    overhead = t_sweep / 8 - t_bare
    print(f"8 cases, whole mpiexec job: 1 rank {t1:.2f} s, 2 ranks {t2:.2f} s "
          f"(speedup {t1 / t2:.2f}, Python/DOLFINx import and MPI start-up included)")
    print(f"8 cases, run_sweep (JIT warm-up, claims, runs, table): 1 rank {s1:.2f} s, "
          f"2 ranks {s2:.2f} s")
    print(f"per-case wall: 1 rank {c1.mean():.3f} s, 2 ranks {c2.mean():.3f} s (ratio "
          f"{c2.mean() / c1.mean():.2f}: > 1 means the two ranks slow each other down, "
          f"memory bandwidth or other load; ideal speedup given it "
          f"{2 * c1.mean() / c2.mean():.2f})")
    print(f"bare run {t_bare:.3f} s/case; in-process sweep {t_sweep / 8:.3f} s/case")
    print(f"RESULT ensemble_speedup_2_ranks = {s1 / s2:.2f} (target >= 1.7)")
    print(f"RESULT ensemble_speedup_2_ranks_whole_job = {t1 / t2:.2f} (target >= 1.7)")
    print(f"RESULT sweep_overhead_per_case = {overhead:.3f} s (target <= 0.1)")
    print(f"RESULT sweep_overhead_fraction = {overhead / t_bare:.3f} (target <= 0.1)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        main()
