"""Field output for ParaView: one VTX (ADIOS2 .bp) file per group of functions."""

from __future__ import annotations

import shutil
from pathlib import Path

#: Writers whose ADIOS2 engine failed (a full disk): closing or destroying them would
#: throw from a C++ destructor and abort the process, so they are kept here until the
#: process ends through ``os._exit`` (see interface.cli.console).
UNCLOSABLE: list = []
#: Free space kept in reserve when writing fields, bytes.
RESERVE_BYTES = 1 << 20


class VTXFields:
    """Collects DOLFINx functions and writes them at each output time.

    Args:
        comm: the mesh communicator.
        folder: where the ``<name>.bp`` folders go.
    """

    def __init__(self, comm, folder: Path):
        self.comm = comm
        self.folder = Path(folder)
        self.writers = []
        self.names: list[str] = []

    def add(self, name: str, functions: list) -> None:
        """Register functions (same element, same mesh) under ``fields/<name>.bp``."""
        from interface.backend import dolfinx

        if not getattr(dolfinx.common, "has_adios2", False):
            return
        from interface.collective import on_rank0

        on_rank0(self.comm, self.folder.mkdir, parents=True, exist_ok=True)
        writer = dolfinx.io.VTXWriter(self.comm, str(self.folder / f"{name}.bp"), functions,
                                      engine="BP4")
        writer.functions = list(functions)  # sizes for the free-space check
        self.writers.append(writer)
        self.names.append(name)

    def write(self, t: float) -> None:
        """Write every registered group at time ``t``.

        Raises:
            ResourceError: not enough free space for this step (checked on rank 0
                before ADIOS2 writes, collectively: ADIOS2 aborts the process when a
                write fails), or a write that failed for lack of space.
        """
        from interface.errors import is_no_space, no_space

        if not self.writers:
            return
        self._check_space()
        try:
            for w in self.writers:
                w.write(t)
        except RuntimeError as exc:
            UNCLOSABLE.extend(self.writers)
            self.writers = []
            if is_no_space(exc):
                raise no_space(self.folder.parent) from None
            raise

    def _check_space(self) -> None:
        """Collective: raise ResourceError unless the disk holds two more steps of every group."""
        from interface.collective import on_rank0
        from interface.errors import no_space

        local = sum(f.x.array.nbytes + f.function_space.mesh.geometry.x.nbytes
                    for w in self.writers for f in getattr(w, "functions", ()))
        need = self.comm.allreduce(local) * 2 + RESERVE_BYTES

        def check() -> None:
            if shutil.disk_usage(self.folder).free < need:
                raise no_space(self.folder.parent)

        on_rank0(self.comm, check)

    def close(self) -> None:
        """Close the files."""
        writers, self.writers = self.writers, []
        for w in writers:
            w.close()
