"""Exceptions with messages a user can act on.

`InputError` is raised for anything wrong with the user's input (case file,
override, command-line argument).  The CLI turns it into exit code 2 and a
single line on stderr that names the file, the key path and what was expected.

`SolverError` is raised when a computation does not succeed (a solver that does
not converge, a NaN).  The CLI turns it into exit code 1.
"""

from __future__ import annotations


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
