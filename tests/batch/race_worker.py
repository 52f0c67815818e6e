"""Worker of the start-up race stress test (a module: spawned processes import it)."""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path


def prepare_commit_table(args) -> str:
    """Prepare the sweep folder, commit case ``i`` (a row only) and rebuild the table.

    What a job-array task does at start-up and at the end, without the solve.
    Returns "" or the traceback of what went wrong.
    """
    plan, root, i, barrier = args
    from interface.batch.sweep import ROW, SweepDir, make_row, write_table
    from interface.results.writer import MARKER

    try:
        barrier.wait(timeout=60)
        sdir = SweepDir(root)
        sdir.prepare(plan, force=False)
        staging = sdir.cases / f".{i:06d}.partial-race{os.getpid()}"
        staging.mkdir()
        (staging / MARKER).write_text("{}")
        row = make_row(plan, i, "ok", "", 0.0, 1, summary={"value_Pa": float(i)})
        (staging / ROW).write_text(json.dumps(row))
        os.replace(staging, sdir.case_dir(i))
        write_table(sdir)
        return ""
    except Exception:  # noqa: BLE001 - reported to the test
        return traceback.format_exc()


def case_ids(root: str | Path) -> list[int]:
    """The committed case ids found in a folder's sweep.h5 with status ok."""
    from interface.batch.sweep import read_table

    t = read_table(Path(root) / "sweep.h5")
    return [int(c) for c, s in zip(t["case_id"], t["status"], strict=True) if s == "ok"]
