"""A small 2D RVE shared by the property, MPI and contact-map tests (about 6.6k DOFs)."""

from __future__ import annotations

import pytest

L = 20e-6
R_MEAN = 2.5e-6
MESH_SIZE = 1.0e-6


@pytest.fixture(autouse=True)
def mesh_cache(tmp_path_factory, monkeypatch, comm):
    """Mesh cache in a temporary folder shared by the ranks (no files in the worktree)."""
    path = comm.bcast(str(tmp_path_factory.getbasetemp() / "mesh_cache"), root=0)
    monkeypatch.setenv("SSBI_MESH_CACHE", path)
    return path


def small_packing():
    """10 discs at 50 % in a 20 um square (seed 2)."""
    from interface.geometry.packing import pack_particles

    return pack_particles([[0, 0], [L, L]], 0.5, R_MEAN, 0.2, seed=2, min_gap=0.3e-6)


def build_small_rve(comm, **kwargs):
    """The frictionless-contact InterfaceProblem of the small RVE."""
    from interface.geometry.rve import rve_mesh
    from interface.mechanics.isotropic import LPSCL, NMC811
    from interface.mechanics.rve import rve_problem

    pk = small_packing()
    return rve_problem(comm, rve_mesh(comm, pk.box, pk, MESH_SIZE), NMC811, LPSCL, **kwargs)
