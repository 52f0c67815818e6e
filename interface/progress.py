"""Progress lines on rank 0 (points done, ETA); silent with --quiet."""

from __future__ import annotations

import sys
import time


class Progress:
    """Report ``label: k/n points, elapsed, ETA`` on stderr from rank 0.

    Args:
        total: number of points.
        label: what is being computed.
        comm: communicator (only its rank 0 prints); None for serial.
        quiet: print nothing.
        min_interval: seconds between lines (the last point is always printed).
    """

    def __init__(self, total: int, label: str, comm=None, quiet: bool = False,
                 min_interval: float = 1.0, stream=None):
        self.total = max(int(total), 1)
        self.label = label
        self.enabled = not quiet and (comm is None or comm.rank == 0)
        self.min_interval = min_interval
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self._last = -1e9
        self.done = 0

    def reset(self, total: int, label: str | None = None) -> None:
        """Start counting ``total`` points (restarts the clock)."""
        self.total = max(int(total), 1)
        self.label = label or self.label
        self.start = time.perf_counter()
        self.done = 0

    def step(self, note: str = "") -> None:
        """One more point done."""
        self.update(self.done + 1, note)

    def update(self, done: int, note: str = "") -> None:
        """``done`` points are done (may jump, e.g. when other ranks finished some)."""
        self.done = done
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last < self.min_interval and self.done < self.total:
            return
        self._last = now
        elapsed = now - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else float("nan")
        extra = f"  {note}" if note else ""
        print(f"[{self.label}] {self.done}/{self.total} points, {elapsed:.1f} s elapsed, "
              f"ETA {eta:.1f} s{extra}", file=self.stream, flush=True)

    def message(self, text: str) -> None:
        """A free-form line."""
        if self.enabled:
            print(f"[{self.label}] {text}", file=self.stream, flush=True)


class Silent(Progress):
    """A Progress that never prints."""

    def __init__(self):
        super().__init__(1, "", quiet=True)
