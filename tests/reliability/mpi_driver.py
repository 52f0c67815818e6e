"""Run `ssbi` under mpiexec with a failure injected on one rank (tests/reliability/test_mpi.py).

    mpiexec -n 2 python tests/reliability/mpi_driver.py SCENARIO -- ssbi arguments...

Scenarios: ``none``; ``case-read-rank1`` (reading the case file fails on rank 1 only);
``row-enospc-rank0`` (writing a sweep row fails with ENOSPC on rank 0 only);
``summary-error-rank0`` (writing summary.json raises a plain error on rank 0 only).
"""

from __future__ import annotations

import errno
import sys


def main() -> int:
    scenario = sys.argv[1]
    args = sys.argv[sys.argv.index("--") + 1:]
    from mpi4py import MPI

    rank = MPI.COMM_WORLD.rank
    if scenario == "case-read-rank1" and rank == 1:
        import interface.case.load as load

        def unreadable(path):
            raise OSError(errno.EIO, "Input/output error", str(path))

        real = load.read_case_text

        def read(path):
            try:
                unreadable(path)
            except OSError as exc:
                from interface.errors import InputError

                raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
            return real(path)

        load.read_case_text = read
    if scenario == "row-enospc-rank0" and rank == 0:
        import interface.batch.sweep as sweep

        def full(folder, row):
            raise OSError(errno.ENOSPC, "No space left on device", str(folder))

        sweep._write_row = full
    if scenario == "summary-error-rank0" and rank == 0:
        import interface.results.writer as writer

        def broken(path, result, case):
            raise RuntimeError("injected failure on rank 0 only")

        writer.write_summary = broken
    from interface.cli import main as ssbi

    return ssbi(args)


if __name__ == "__main__":
    sys.exit(main())
