"""`interface.run`: run a case (library entry point used by the CLI and by sweeps)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from interface.case import Case
from interface.progress import Progress
from interface.results.result import Result


def run(case: Case, comm=None, *, output: str | os.PathLike | None = None, force: bool = False,
        quiet: bool = True, figures: bool | None = None, fields: bool | None = None,
        before_commit: Callable[[Result, Path], None] | None = None) -> Result:
    """Run a validated case.

    Args:
        case: from :func:`interface.load_case`.
        comm: MPI communicator (default: COMM_WORLD).
        output: output folder; None computes without writing anything.
        force: replace an existing output folder.
        quiet: no progress lines.
        figures: write figures (default: ``[output] figures`` of the case).
        fields: write VTX fields (default: ``[output] fields`` of the case).
        before_commit: called on rank 0 with the result and the staging folder just
            before the output folder is renamed into place (sweeps add their row); an
            error there is raised on every rank.

    Returns:
        The Result (also written to ``output`` when given).  A failed solve
        returns status "failed" with the completed points; the output folder is
        still written so nothing computed is lost.

    Raises:
        InputError: the output folder cannot be used (exists without ``force``, is
            not an output folder of this tool, holds the case file).
        ResourceError: no space left on the output's device (nothing is kept).
    """
    from interface import signals
    from interface.backend import MPI
    from interface.collective import on_rank0
    from interface.models import model_module

    comm = comm or MPI.COMM_WORLD
    module = model_module(case.model)
    want_figures = case.output.figures if figures is None else figures
    want_fields = case.output.fields if fields is None else fields
    folder = sink = None
    if output is not None:
        from interface.results.writer import OutputFolder

        protect = (case.path,) if case.path else ()
        folder = OutputFolder(Path(output), comm, force=force, protect=protect)
        if want_fields:
            from interface.results.fields import VTXFields

            sink = VTXFields(comm, folder.fields)
    progress = Progress(0, case.model, comm, quiet=quiet)
    seen = len(signals.received)
    try:
        try:
            result = module.run(case, comm, progress=progress, fields=sink)
            signals.check(seen)  # a Ctrl-C a model turned into a failed solve is a Ctrl-C
            if sink is not None:
                sink.close()
            if folder is not None:
                from interface.results.writer import write_result

                write_result(result, case, folder, figures=want_figures)
                if before_commit is not None:
                    on_rank0(comm, before_commit, result, folder.staging)
                folder.commit()
        except OSError as exc:
            from interface.errors import is_no_space, no_space

            if folder is not None and is_no_space(exc):
                raise no_space(folder.target) from None
            raise
    except BaseException as exc:
        # a signal, possibly wrapped by a PETSc callback or turned into a failed solve
        interrupted = signals.interrupt_of(exc) is not None or len(signals.received) > seen
        if sink is not None:
            if comm.size > 1 and interrupted:
                # another rank may not have been interrupted: closing the files is
                # collective and would wait for it forever (the CLI leaves with os._exit)
                from interface.results.fields import UNCLOSABLE

                UNCLOSABLE.extend(sink.writers)
                sink.writers = []
            else:
                try:
                    sink.close()
                except Exception:  # noqa: BLE001 - the first error is the one to report
                    pass
        if folder is not None:
            folder.abort()
            if comm.size > 1 and interrupted:
                folder.wait_removed(timeout=3.0)  # let rank 0 clean up before we all leave
        raise
    return result
