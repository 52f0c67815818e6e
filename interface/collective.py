"""MPI-safe error handling: a step that fails on one rank fails on every rank.

A rank-0-only step (creating a folder, writing a file) that raises while the
other ranks wait in the next collective deadlocks the job.  :func:`on_rank0`
runs such a step on rank 0 and broadcasts its result *or its exception*, so
every rank raises the same error; :func:`agree` runs a step on every rank and
raises on all of them when it failed on any (e.g. reading the case file, which
may be readable on one node and not on another).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it pickles (it must cross ranks), else a RuntimeError with its text."""
    try:
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - an exception holding e.g. a PETSc object
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def on_rank0[T](comm, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` on rank 0 of ``comm`` only; every rank returns its result or raises its error.

    Args:
        comm: communicator (collective over it).
        fn: the step, called on rank 0 only.
        *args: positional arguments of ``fn``.
        **kwargs: keyword arguments of ``fn``.

    Returns:
        ``fn``'s return value, broadcast to every rank (it must pickle).
    """
    result: Any = None
    err: BaseException | None = None
    if comm.rank == 0:
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
            if comm.size == 1:
                raise
            err = exc
    if comm.size == 1:
        return result
    shared, result = comm.bcast((None if err is None else _portable(err),
                                 result if err is None else None), root=0)
    if err is not None:  # rank 0: the original, with its traceback
        raise err
    if shared is not None:
        raise shared
    return result


def agree[T](comm, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` on every rank; if it raised on any rank, raise (the lowest such rank's error).

    Returns:
        This rank's return value of ``fn`` (not communicated).
    """
    if comm.size == 1:
        return fn(*args, **kwargs)
    result: Any = None
    err: BaseException | None = None
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
        err = exc
    errors = comm.allgather(None if err is None else _portable(err))
    for rank, e in enumerate(errors):
        if e is not None:
            if rank == comm.rank:
                raise err
            raise e
    return result


def world():
    """COMM_WORLD of mpi4py (imported lazily; no DOLFINx needed)."""
    from mpi4py import MPI

    return MPI.COMM_WORLD


def rank0_only[T](comm, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run ``fn`` on rank 0 and broadcast only its *error*; rank 0 gets the result, others None.

    For a rank-0 step whose result is large and not needed elsewhere (a mesh built on
    rank 0 and then distributed by a collective): every rank raises if it failed.

    Args:
        comm: communicator (collective over it).
        fn: the step, called on rank 0 only.
        *args: positional arguments of ``fn``.
        **kwargs: keyword arguments of ``fn``.
    """
    result: Any = None
    err: BaseException | None = None
    if comm.rank == 0:
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
            if comm.size == 1:
                raise
            err = exc
    if comm.size == 1:
        return result
    shared = comm.bcast(None if err is None else _portable(err), root=0)
    if err is not None:
        raise err
    if shared is not None:
        raise shared
    return result
