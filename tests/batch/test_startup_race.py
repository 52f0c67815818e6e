"""Issue 22: many job-array tasks starting together on a fresh sweep folder.

Every task prepares the folder (manifest by exclusive link, per-process temporary name),
commits one case and rebuilds sweep.h5; the last writer must never miss a committed row.
"""

import json
import multiprocessing
import time

from interface.batch import plan_sweep
from tests.batch.race_worker import case_ids, prepare_commit_table
from tests.batch.test_sweep import SWEEP
from tests.conftest import write_case

PROCESSES = 8
REPETITIONS = 100


def test_many_tasks_prepare_the_same_fresh_folder(tmp_path):
    plan = plan_sweep(write_case(tmp_path, SWEEP.replace(
        'values = ["30 um", "5 um", "40 um"]', 'values = ["30 um", "35 um", "40 um", "45 um"]')))
    assert len(plan.points) == PROCESSES
    ctx = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    with ctx.Manager() as manager, ctx.Pool(PROCESSES) as pool:
        barrier = manager.Barrier(PROCESSES)  # reusable: all tasks of a repetition start together
        for rep in range(REPETITIONS):
            root = tmp_path / f"sw{rep}"
            errors = pool.map(prepare_commit_table,
                              [(plan, str(root), i, barrier) for i in range(PROCESSES)],
                              chunksize=1)
            assert errors == [""] * PROCESSES, f"repetition {rep}:\n" + "\n".join(errors)
            manifest = json.loads((root / "sweep.json").read_text())
            assert manifest["fingerprint"] == plan.fingerprint
            assert case_ids(root) == list(range(PROCESSES)), f"repetition {rep}"
            leftovers = [p.name for p in root.iterdir() if p.name.startswith(".sweep.")]
            assert leftovers in ([], [".sweep.lock"]), leftovers
    print(f"{REPETITIONS} repetitions x {PROCESSES} processes: "
          f"{time.perf_counter() - t0:.1f} s")
