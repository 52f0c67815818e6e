"""Verification benchmarks: analytic solutions, convergence rates, conservation.

Each benchmark is a function ``f(comm) -> list[Row]`` registered with
:func:`benchmark`.  ``ssbi verify`` runs them and prints the table; the test
suite runs the same functions and asserts every row passes, so a number shown
in the table is a number under test.
"""

from __future__ import annotations

import fnmatch
import importlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

#: Modules that register benchmarks (imported on first use of the registry).
MODULES = ["interface.verify.stack", "interface.verify.mms", "interface.system.verify",
           "interface.verify.electrochem", "interface.verify.rve",
           "interface.verify.lithium", "interface.verify.li_window",
           "interface.verify.stack_inelastic"]


@dataclass
class Row:
    """One verified quantity.

    Attributes:
        benchmark: benchmark name.
        quantity: what is compared (with its unit).
        reference: the independent reference value.
        computed: the model's value.
        tolerance: allowed relative error |computed - reference| / |reference|.
        source: where the reference comes from.
    """

    benchmark: str
    quantity: str
    reference: float
    computed: float
    tolerance: float
    source: str = ""

    @property
    def error(self) -> float:
        """Relative error (absolute error when the reference is 0)."""
        if not (math.isfinite(self.computed) and math.isfinite(self.reference)):
            return math.inf
        scale = abs(self.reference) if self.reference != 0 else 1.0
        return abs(self.computed - self.reference) / scale

    @property
    def passed(self) -> bool:
        """Within tolerance."""
        return self.error <= self.tolerance


@dataclass
class Benchmark:
    """A registered benchmark."""

    name: str
    description: str
    func: Callable
    source: str = ""


_REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, description: str, source: str = "") -> Callable:
    """Register ``f(comm) -> list[Row]`` under ``name``."""

    def deco(func: Callable) -> Callable:
        _REGISTRY[name] = Benchmark(name, description, func, source)
        return func

    return deco


def registry() -> dict[str, Benchmark]:
    """All benchmarks, by name."""
    for mod in MODULES:
        importlib.import_module(mod)
    return dict(_REGISTRY)


def run_benchmark(name: str, comm=None) -> list[Row]:
    """Run one benchmark by name."""
    from interface.backend import MPI

    return registry()[name].func(comm or MPI.COMM_WORLD)


def run_benchmarks(patterns: list[str] | None = None, *, quiet: bool = False,
                   comm=None) -> list[Row]:
    """Run the benchmarks whose names match any pattern (substring or glob); all if None."""
    from interface.backend import MPI
    from interface.errors import InputError

    comm = comm or MPI.COMM_WORLD
    names = list(registry())
    if patterns:
        names = [n for n in names if any(p in n or fnmatch.fnmatch(n, p) for p in patterns)]
        if not names:
            raise InputError(f"no benchmark matches {', '.join(patterns)} (ssbi verify --list)",
                             key="--only")
    rows: list[Row] = []
    for i, name in enumerate(names):
        t0 = time.perf_counter()
        rows += registry()[name].func(comm)
        if not quiet and comm.rank == 0:
            import sys

            print(f"[verify] {i + 1}/{len(names)} {name} ({time.perf_counter() - t0:.1f} s)",
                  file=sys.stderr, flush=True)
    return rows


def format_table(rows: list[Row]) -> str:
    """The verification table (plain text, fixed width)."""
    head = (f"{'benchmark':34s} {'quantity':38s} {'reference':>13s} {'computed':>13s} "
            f"{'rel.error':>10s} {'tol':>8s}  result")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.benchmark:34s} {r.quantity:38s} {r.reference:13.6g} {r.computed:13.6g} "
                     f"{r.error:10.2e} {r.tolerance:8.1e}  {'pass' if r.passed else 'FAIL'}")
    n_pass = sum(r.passed for r in rows)
    lines.append("-" * len(head))
    lines.append(f"{n_pass}/{len(rows)} passed")
    return "\n".join(lines)
