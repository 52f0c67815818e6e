"""Shared fixtures.  The MPI-marked tests are re-run under mpiexec -n 2 by `make test`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"


@pytest.fixture
def comm():
    """COMM_WORLD (1 rank under plain pytest, 2 under mpiexec -n 2)."""
    from interface.backend import MPI

    return MPI.COMM_WORLD


@pytest.fixture
def shared_tmp(tmp_path, comm):
    """A temporary folder that is the same on every rank."""
    path = comm.bcast(str(tmp_path), root=0)
    return Path(path)


def write_case(folder: Path, text: str, name: str = "case.toml") -> Path:
    """Write a case file and return its path."""
    p = folder / name
    p.write_text(text)
    return p
