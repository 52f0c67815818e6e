"""Typed result objects: what a model returns (SI units, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Table:
    """Named columns of equal length, each with its unit ("1" for dimensionless).

    Column names carry their unit suffix (``stack_pressure_Pa``) so a column
    read without its metadata is still unambiguous.
    """

    columns: dict[str, np.ndarray] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    description: str = ""
    labels: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, values: Any, unit: str, labels: list[str] | None = None) -> None:
        """Add a column; 2D columns (points x items) may name their items in ``labels``."""
        self.columns[name] = np.asarray(values)
        self.units[name] = unit
        if labels is not None:
            self.labels[name] = list(labels)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]


@dataclass
class Result:
    """What `interface.run` returns.

    Attributes:
        model: the model name.
        summary: headline scalars; SI unit in every key (``stack_pressure_max_Pa``).
        tables: named tables (e.g. ``soc_path``).
        status: "ok" or "failed" (completed points are kept on failure).
        message: the failure reason when status is "failed".
        info: run information (DOFs, ranks, timings, solver iterations).
    """

    model: str
    summary: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    status: str = "ok"
    message: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True if the run completed."""
        return self.status == "ok"
