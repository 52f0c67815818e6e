"""`ssbi validate` on every shipped dataset: total time, full and smoke.

Issue targets (2-core machine): the whole shipped `ssbi validate` in under 15 minutes,
`--smoke` under 3 minutes.  Runs the command as a user does (a subprocess, so the
PyBaMM and DOLFINx start-up are counted) and reports the per-dataset times.

    .venv/bin/python benchmarks/validate_timing.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(smoke: bool) -> tuple[float, list, int]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        cmd = [sys.executable, "-m", "interface", "validate", "--json", str(out)]
        if smoke:
            cmd.append("--smoke")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        dt = time.perf_counter() - t0
        rows = json.loads(out.read_text()) if out.exists() else []
        for line in proc.stderr.splitlines():
            if line.startswith("[validate]"):
                print("   ", line)
        return dt, rows, proc.returncode


def main() -> None:
    for smoke, target in ((True, 180.0), (False, 900.0)):
        dt, rows, rc = run(smoke)
        n_in = sum(r["within"] for r in rows)
        label = "smoke" if smoke else "full"
        print(f"ssbi validate ({label}): {dt:.1f} s, exit {rc}, {n_in}/{len(rows)} within")
        print(f"RESULT validate_{label}_time = {dt:.1f} s (target < {target:.0f} s)")
        if not smoke:
            share = n_in / len(rows) if rows else 0.0
            print(f"RESULT validate_within_share = {share:.3f} (target >= 0.8)")


if __name__ == "__main__":
    main()
