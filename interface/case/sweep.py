"""The ``[sweep]`` table: a grid or a list of cases over any case key path."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec


@dataclass(frozen=True)
class SweepAxis:
    """One swept key: ``[[sweep.axes]]`` with ``key`` and ``values``."""

    key: str = spec("string", doc="dotted key path, as for --set (e.g. fixture.preload)")
    values: tuple = spec("values", min_items=1,
                         doc="values, written as in the case file (\"2 MPa\", 0.5, 3)")


@dataclass(frozen=True)
class SweepSpec:
    """The ``[sweep]`` table: which cases `ssbi sweep` runs.

    ``grid`` runs every combination of the axes (the first axis varies slowest);
    ``zip`` pairs the i-th values of all axes (equal lengths).  Microstructure
    seeds are an axis like any other (e.g. ``key = "rve.seed"``).
    """

    axes: tuple[SweepAxis, ...] = spec("tables", item=SweepAxis, min_items=1,
                                       doc="the swept keys and their values")
    mode: str = spec("choice", choices=("grid", "zip"), default="grid",
                     doc="grid: all combinations; zip: the i-th values together")
    figures: bool = spec("boolean", default=False, doc="write figures for every case")
    fields: bool = spec("boolean", default=False, doc="write VTX fields for every case")

    def validate(self, path: str) -> None:
        """Unique keys; equal lengths in zip mode."""
        keys = [a.key for a in self.axes]
        for i, k in enumerate(keys):
            if k in keys[:i]:
                raise InputError(f"key '{k}' is swept twice", key=f"{path}.axes[{i}].key")
            if k.split(".")[0] == "sweep":
                raise InputError("the sweep cannot sweep itself", key=f"{path}.axes[{i}].key")
        if self.mode == "zip":
            n = len(self.axes[0].values)
            for i, a in enumerate(self.axes):
                if len(a.values) != n:
                    raise InputError(f"zip mode needs equal lengths: axis 0 has {n} values, "
                                     f"axis {i} has {len(a.values)}",
                                     key=f"{path}.axes[{i}].values")

    def points(self) -> list[dict]:
        """The cases as override dicts, in case-id order."""
        keys = [a.key for a in self.axes]
        if self.mode == "zip":
            combos = zip(*(a.values for a in self.axes), strict=True)
        else:
            combos = itertools.product(*(a.values for a in self.axes))
        return [dict(zip(keys, c, strict=True)) for c in combos]
