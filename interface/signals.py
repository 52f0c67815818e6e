"""Interrupts that end a run cleanly: Ctrl-C (exit 130) and SIGTERM/SIGHUP (128 + signal).

The CLI installs :func:`install` before PETSc is imported.  PETSc's own signal
handler is switched off (``-no_signal_handler`` in ``PETSC_OPTIONS``), so a
signal reaches Python: SIGINT raises KeyboardInterrupt and SIGTERM/SIGHUP raise
:class:`Terminated`, which unwind through the ``finally`` blocks that remove
staging folders and claims.

A signal that arrives inside a PETSc callback (a SNES residual written in Python)
comes back as a ``PETSc.Error`` whose cause is the interrupt, and a model may turn
that into a failed solve.  So every signal is also *recorded*: :func:`check`
re-raises it where a result would otherwise be committed, and :func:`interrupt_of`
finds it behind any exception.
"""

from __future__ import annotations

import os
import signal

#: Signals received by this process (numbers), in order.
received: list[int] = []


class Terminated(BaseException):
    """SIGTERM or SIGHUP received (unwinds like KeyboardInterrupt)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signum)


def _on_signal(signum, frame) -> None:
    received.append(signum)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def install() -> None:
    """Handle SIGINT, SIGTERM and SIGHUP in Python (call before PETSc is initialised).

    Forgets the signals of earlier commands run in the same process.
    """
    received.clear()
    opts = os.environ.get("PETSC_OPTIONS", "")
    if "-no_signal_handler" not in opts.split():
        os.environ["PETSC_OPTIONS"] = f"{opts} -no_signal_handler".strip()
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            signal.signal(sig, _on_signal)
        except ValueError:  # not the main thread (embedded use): leave it as it is
            pass


def interrupt_of(exc: BaseException | None) -> BaseException | None:
    """The KeyboardInterrupt or Terminated behind ``exc`` (its cause chain), else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt | Terminated):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def check(since: int = 0) -> None:
    """Raise the interrupt if a signal was received (e.g. swallowed by a PETSc callback).

    Args:
        since: only signals after the first ``since`` ones count (``len(received)``
            when the run started), so an old Ctrl-C does not end a later run.
    """
    if len(received) > since:
        signum = received[-1]
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Terminated(signum)
