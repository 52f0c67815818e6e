"""The Li-window cases: the symmetric-cell sweep over 8 pressures and the jig case.

Issue targets: the symmetric-cell sweep (fast laws, window included) in under 2 minutes
and the jig pellet cell (2 cycles) in under 1 minute on a 2-core machine; measured
through the public API as a user runs them (case read, run, no output folder).

    .venv/bin/python benchmarks/li_window_timing.py
"""

from __future__ import annotations

import time

from interface import load_case, run
from interface.backend import MPI


def timed(path: str, overrides: dict | None = None, repeat: int = 3) -> tuple[float, object]:
    best, res = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = run(load_case(path, overrides=overrides), MPI.COMM_SELF, figures=False,
                  fields=False)
        best = min(best, time.perf_counter() - t0)
    return best, res


def main() -> None:
    pressures = [f"{p} MPa" for p in (0.5, 1, 2, 5, 10, 20, 30, 50)]
    t_sym, r = timed("cases/li_symmetric_lpscl.toml", {"cell.stack_pressures": pressures})
    lo, hi = r.summary["pressure_window_Pa"]
    print(f"symmetric cell, 8 pressures + window: {t_sym:.3f} s "
          f"(window {lo / 1e6:.3g}-{hi / 1e6:.3g} MPa)")
    t_jig, r = timed("cases/jig_pellet_cell.toml")
    print(f"jig pellet cell, {r.summary['points_total']} steps: {t_jig:.3f} s "
          f"(swing {r.summary['stack_pressure_swing_Pa'] / 1e6:.3g} MPa)")
    t_all = 0.0
    for variant in ("graphite_lpscl_nmc811", "lto_lpscl_nmc811", "in_lpscl_nmc811",
                    "in_lpscl_lco", "li_lpscl_nmc811"):
        t, _ = timed("cases/jig_pellet_cell.toml", {"cell.variant": variant}, repeat=1)
        t_all += t
    print(f"jig, all five variants: {t_all:.3f} s")
    print(f"RESULT li_symmetric_sweep_8_pressures = {t_sym:.3f} s (target < 120 s)")
    print(f"RESULT jig_pellet_cell = {t_jig:.3f} s (target < 60 s)")


if __name__ == "__main__":
    main()
