"""Exceptions with messages a user can act on.

`InputError` is raised for anything wrong with the user's input (case file,
override, command-line argument).  The CLI turns it into exit code 2 and a
single line on stderr that names the file, the key path and what was expected.

`SolverError` is raised when a computation does not succeed (a solver that does
not converge, a NaN).  The CLI turns it into exit code 1.

`ResourceError` is raised when the environment fails a run that was going well:
no space left on a device, a quota exceeded.  The CLI turns it into exit code 1
and one line (``no space left on <path>``); nothing half-written is kept and a
re-run resumes (sweeps never commit such a case as failed).
"""

from __future__ import annotations

import errno as _errno

#: errno values that mean "the device is full" (ENOSPC, EDQUOT).
NO_SPACE_ERRNOS = frozenset({_errno.ENOSPC, _errno.EDQUOT})


class SSBIError(Exception):
    """Base class of the errors the toolkit raises on purpose."""


class InputError(SSBIError, ValueError):
    """Invalid user input.

    Args:
        message: what is wrong and what was expected.
        key: dotted key path inside the case file (``"stack.layers.cathode.thickness"``).
        file: the file the value came from.
    """

    def __init__(self, message: str, *, key: str | None = None, file: str | None = None):
        self.message = message
        self.key = key
        self.file = file
        super().__init__(self.oneline())

    def oneline(self) -> str:
        """The one-line form: ``file: key: message``."""
        parts = [p for p in (self.file, self.key) if p]
        return ": ".join([*parts, self.message])

    def __str__(self) -> str:
        return self.oneline()

    def at(self, *, key: str | None = None, file: str | None = None) -> InputError:
        """Return a copy with the key path and/or file filled in where missing."""
        return InputError(self.message, key=self.key or key, file=self.file or file)

    def __reduce__(self):
        # keep key and file when the error crosses MPI ranks (pickled by bcast)
        return (_rebuild_input_error, (self.message, self.key, self.file))


def _rebuild_input_error(message: str, key: str | None, file: str | None) -> InputError:
    return InputError(message, key=key, file=file)


class SolverError(SSBIError, RuntimeError):
    """A computation that did not succeed.

    Args:
        message: what failed and why (e.g. the PETSc converged reason).
        point: the load point at which it failed, e.g. ``{"soc": 0.4}``.
    """

    def __init__(self, message: str, *, point: dict | None = None):
        self.message = message
        self.point = dict(point or {})
        super().__init__(str(self))

    def __str__(self) -> str:
        if not self.point:
            return self.message
        where = ", ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}"
                          for k, v in self.point.items())
        return f"{self.message} (at {where})"

    def __reduce__(self):
        return (_rebuild_solver_error, (self.message, self.point))


def _rebuild_solver_error(message: str, point: dict) -> SolverError:
    return SolverError(message, point=point)


class ResourceError(SSBIError, OSError):
    """The environment failed the run (a full disk or quota); exit code 1, one line.

    Args:
        message: what ran out, e.g. ``"no space left on out/run1"``.
        path: the folder or file concerned.
    """

    def __init__(self, message: str, *, path: str | None = None):
        self.message = message
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (_rebuild_resource_error, (self.message, self.path))


def _rebuild_resource_error(message: str, path: str | None) -> ResourceError:
    return ResourceError(message, path=path)


def is_no_space(exc: BaseException) -> bool:
    """True when ``exc`` reports a full device or an exceeded quota.

    Recognises OSError errno ENOSPC / EDQUOT (Python, h5py) and the text of
    ADIOS2 and HDF5 errors that carry ``errno = 28`` in their message.
    """
    if isinstance(exc, ResourceError):
        return True
    if isinstance(exc, OSError) and exc.errno in NO_SPACE_ERRNOS:
        return True
    text = str(exc)
    return any(s in text for s in ("No space left on device", "Disk quota exceeded",
                                   f"errno = {_errno.ENOSPC}", f"errno = {_errno.EDQUOT}"))


def no_space(path) -> ResourceError:
    """The ResourceError ``no space left on <path>``."""
    return ResourceError(f"no space left on {path}", path=str(path))
