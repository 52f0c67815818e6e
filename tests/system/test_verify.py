"""Every `ssbi verify` benchmark is a test: each row must pass."""

import pytest

from interface.verify import registry, run_benchmark

NAMES = sorted(registry())
FAST = [n for n in NAMES if n.startswith(("stack.", "stack_fe.", "column.", "pore_flow."))]


def _assert_rows(rows):
    assert rows
    bad = [f"{r.quantity}: ref {r.reference:.6g}, got {r.computed:.6g}, err {r.error:.2e} > "
           f"{r.tolerance:.1e}" for r in rows if not r.passed]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", NAMES)
def test_benchmark(name, comm):
    _assert_rows(run_benchmark(name, comm))


@pytest.mark.mpi
@pytest.mark.parametrize("name", FAST)
def test_benchmark_mpi(name, comm):
    """The same benchmarks on the current communicator (2 ranks under mpiexec)."""
    _assert_rows(run_benchmark(name, comm))
