"""Packing (seeded, exact fraction, impossible fractions) and the cached RVE meshes."""

import numpy as np
import pytest

from interface.geometry import particle_tags as T
from interface.geometry.packing import PackingError, check_packing, pack_particles


@pytest.mark.parametrize("phi, size", [(0.4, 12.0), (0.6, 12.0), (0.75, 20.0)])
def test_packing_2d_reaches_fraction(phi, size):
    """2D reaches the 40-75 % the issue asks for (75 % needs a box of 20 radii)."""
    pk = pack_particles([[0, 0], [size, size]], phi, 1.0, 0.25, seed=3)
    assert pk.volume_fraction == pytest.approx(phi, rel=1e-12)
    clear, wall = check_packing(pk.centres, pk.radii, pk.box)
    assert clear >= 0.05 * (1 - 1e-9) and wall >= 0.05 * (1 - 1e-9)


def test_packing_3d_reaches_fraction():
    pk = pack_particles([[0, 0, 0], [7.0, 7.0, 7.0]], 0.40, 1.0, 0.2, seed=0)
    assert pk.volume_fraction == pytest.approx(0.40, rel=1e-12)
    assert len(pk.radii) >= 20
    assert check_packing(pk.centres, pk.radii, pk.box)[0] > 0


def test_packing_reproducible_by_seed():
    a = pack_particles([[0, 0], [12e-6, 12e-6]], 0.6, 1e-6, 0.2, seed=7)
    b = pack_particles([[0, 0], [12e-6, 12e-6]], 0.6, 1e-6, 0.2, seed=7)
    c = pack_particles([[0, 0], [12e-6, 12e-6]], 0.6, 1e-6, 0.2, seed=8)
    np.testing.assert_array_equal(a.centres, b.centres)
    np.testing.assert_array_equal(a.radii, b.radii)
    assert a.centres.shape != c.centres.shape or not np.allclose(a.centres, c.centres)


def test_impossible_packing_raises():
    with pytest.raises(PackingError):
        pack_particles([[0, 0], [8.0, 8.0]], 0.85, 1.0, 0.25, seed=0, max_restarts=2,
                       n_stages=4, stage_shakes=1)


def test_rve_mesh_tags_and_cache(comm, monkeypatch):
    """Every particle and interface is tagged; the second call reads the cache, no meshing."""
    import gmsh

    from interface.geometry import gmsh_mesh
    from interface.geometry.rve import rve_mesh
    from tests.rve.conftest import MESH_SIZE, small_packing

    pk = small_packing()
    first = rve_mesh(comm, pk.box, pk, MESH_SIZE)
    n = len(pk.radii)
    cells = set(np.unique(comm.allreduce(list(np.unique(first.cell_tags.values)))))
    assert cells == {T.MATRIX, *[T.particle_tag(i) for i in range(n)]}
    facets = set(comm.allreduce(list(np.unique(first.facet_tags.values))))
    assert {T.particle_tag(i) for i in range(n)} | {T.LEFT, T.RIGHT, T.BOTTOM, T.TOP} <= facets
    assert first.metadata["volume_fraction"] == pytest.approx(0.5)

    def no_meshing(*args, **kwargs):
        raise AssertionError("gmsh meshed although the cache is valid")

    monkeypatch.setattr(gmsh.model.mesh, "generate", no_meshing)
    count = gmsh_mesh.generated["count"]
    second = rve_mesh(comm, pk.box, pk, MESH_SIZE)
    assert second.metadata["cache_hit"]
    assert gmsh_mesh.generated["count"] == count
    assert second.metadata["cache_file"].endswith(".msh")
    assert second.mesh.topology.index_map(2).size_global == \
        first.mesh.topology.index_map(2).size_global
    # a different geometry is a cache miss (and would mesh)
    with pytest.raises(AssertionError, match="meshed although"):
        rve_mesh(comm, pk.box, pk, 0.9 * MESH_SIZE)


def test_corrupt_cache_file_is_regenerated(comm, mesh_cache):
    from pathlib import Path

    from interface.geometry.benchmark_meshes import single_inclusion

    a = single_inclusion(comm, 2, 1e-6, 3e-6, 0.5e-6)
    if comm.rank == 0:
        Path(a.metadata["cache_file"]).write_text("garbage")
    comm.barrier()
    b = single_inclusion(comm, 2, 1e-6, 3e-6, 0.5e-6)
    assert not b.metadata["cache_hit"]
    assert b.mesh.topology.index_map(2).size_global == a.mesh.topology.index_map(2).size_global


def test_particles_must_lie_inside_the_box(comm):
    from interface.geometry.rve import rve_mesh

    with pytest.raises(ValueError, match="strictly inside"):
        rve_mesh(comm, [[0, 0], [10e-6, 10e-6]], ([[1e-6, 5e-6]], [2e-6]), 1e-6)
