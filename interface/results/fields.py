"""Field output for ParaView: one VTX (ADIOS2 .bp) file per group of functions."""

from __future__ import annotations

from pathlib import Path


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
        if self.comm.rank == 0:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.comm.barrier()
        writer = dolfinx.io.VTXWriter(self.comm, str(self.folder / f"{name}.bp"), functions,
                                      engine="BP4")
        self.writers.append(writer)
        self.names.append(name)

    def write(self, t: float) -> None:
        """Write every registered group at time ``t``."""
        for w in self.writers:
            w.write(t)

    def close(self) -> None:
        """Close the files."""
        for w in self.writers:
            w.close()
        self.writers = []
