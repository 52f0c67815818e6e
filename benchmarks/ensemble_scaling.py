"""Ensemble scaling of `ssbi sweep`: 8 equal cases on 2 ranks (K = 1) vs 1 rank.

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


def sweep_wall(case: Path, out: Path, ranks: int) -> float:
    mpiexec = Path(sys.executable).parent / "mpiexec"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYBAMM_DISABLE_TELEMETRY": "true"}
    t0 = time.perf_counter()
    subprocess.run([str(mpiexec), "-n", str(ranks), sys.executable, "-m", "interface", "sweep",
                    str(case), "-o", str(out), "--quiet"], check=True, env=env, cwd=ROOT)
    return time.perf_counter() - t0


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        case = tmp / "ensemble.toml"
        case.write_text(CASE)
        sweep_wall(case, tmp / "warm", 1)  # JIT cache
        t1 = sweep_wall(case, tmp / "one", 1)
        t2 = sweep_wall(case, tmp / "two", 2)

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
    print(f"8 cases: 1 rank {t1:.2f} s, 2 ranks {t2:.2f} s (wall, process start included)")
    print(f"bare run {t_bare:.3f} s/case; in-process sweep {t_sweep / 8:.3f} s/case")
    print(f"RESULT ensemble_speedup_2_ranks = {t1 / t2:.2f} (target >= 1.7)")
    print(f"RESULT sweep_overhead_per_case = {overhead:.3f} s (target <= 0.1)")
    print(f"RESULT sweep_overhead_fraction = {overhead / t_bare:.3f} (target <= 0.1)")


if __name__ == "__main__":
    main()
