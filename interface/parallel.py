"""One task farm for every model: independent tasks distributed over the ranks of a communicator.

    farm = TaskFarm(comm)
    out = farm.map(solve_one, tasks, setup=build_model_once)
    out.results      # in task order, on every rank (None where a task failed)
    out.failures     # [(task index, message)] of the tasks that failed to solve

``map_batched`` hands each rank its whole share at once (a PyBaMM model solves a batch of
inputs in one call): ``fn(my_tasks) -> (results, failures)`` with the failures as
(position in my_tasks, message).

Tasks are dealt round-robin (task k to rank k mod size), so the assignment is the same
on every rank and in every run.  ``setup`` runs once on each rank that has at least one
task (build a PyBaMM model, compile forms) and its value is passed to every call of the
task function on that rank.  A :class:`~interface.errors.SolverError` marks its task
failed and the others go on; an :class:`~interface.errors.InputError` on any rank is
raised on every rank after the exchange (collectively: no rank is left waiting), as is any
other exception.  Results are gathered with one ``allgather``: they must be picklable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from interface.errors import InputError, SolverError


@dataclass
class FarmResult:
    """Results in task order (None for a failed task) and the failures."""

    results: list[Any]
    failures: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no task failed."""
        return not self.failures


class TaskFarm:
    """Round-robin distribution of independent tasks over ``comm`` (see the module doc)."""

    def __init__(self, comm):
        self.comm = comm

    def mine(self, n: int) -> list[int]:
        """Indices of the tasks this rank runs."""
        return [k for k in range(n) if k % self.comm.size == self.comm.rank]

    def map_batched(self, fn: Callable[[list], tuple[list, list[tuple[int, str]]]],
                    tasks: Sequence[Any]) -> FarmResult:
        """Run ``fn`` once per rank on this rank's share of the tasks (see the module doc)."""
        mine = self.mine(len(tasks))
        local: dict[int, tuple[str, Any]] = {}
        try:
            if mine:
                results, failures = fn([tasks[k] for k in mine])
                failed = dict(failures)
                for pos, k in enumerate(mine):
                    local[k] = (("failed", failed[pos]) if pos in failed
                                else ("ok", results[pos]))
        except InputError as exc:
            local[-1] = ("input", (exc.message, exc.key, exc.file))
        except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
            local[-1] = ("error", f"{type(exc).__name__}: {exc}")
        return self._gather(local, len(tasks))

    def map(self, fn: Callable[..., Any], tasks: Sequence[Any], *,
            setup: Callable[[], Any] | None = None, progress=None) -> FarmResult:
        """Run ``fn(task)`` (or ``fn(task, context)`` with a setup) on every task.

        Args:
            fn: the task function.
            tasks: the tasks (any objects; only the results travel between ranks).
            setup: called once per rank with tasks; its value is fn's second argument.
            progress: a :class:`~interface.progress.Progress`; ``step`` after each task.
        """
        local: dict[int, tuple[str, Any]] = {}
        context = None
        mine = self.mine(len(tasks))
        try:
            if mine and setup is not None:
                context = setup()
            for k in mine:
                try:
                    value = fn(tasks[k], context) if setup is not None else fn(tasks[k])
                    local[k] = ("ok", value)
                except SolverError as exc:
                    local[k] = ("failed", str(exc))
                if progress is not None:
                    progress.step()
        except InputError as exc:
            local[-1] = ("input", (exc.message, exc.key, exc.file))
        except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
            local[-1] = ("error", f"{type(exc).__name__}: {exc}")
        return self._gather(local, len(tasks))

    def _gather(self, local: dict, n: int) -> FarmResult:
        merged: dict[int, tuple[str, Any]] = {}
        for part in self.comm.allgather(local):
            merged.update(part)
        if -1 in merged:
            kind, payload = merged[-1]
            if kind == "input":
                raise InputError(payload[0], key=payload[1], file=payload[2])
            raise RuntimeError(f"a task failed on another rank: {payload}")
        results: list[Any] = [None] * n
        failures: list[tuple[int, str]] = []
        for k in range(n):
            status, value = merged[k]
            if status == "ok":
                results[k] = value
            else:
                failures.append((k, value))
        return FarmResult(results, failures)
