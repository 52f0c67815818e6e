"""Periodic packing (cut particles), coating shells and the three-phase Lame solution."""

import numpy as np
import pytest

from interface.geometry import particle_tags as T
from interface.geometry.packing import (
    PackingError,
    check_packing,
    face_margin,
    pack_particles,
    periodic_images,
)


def test_periodic_packing_3d_beyond_the_walled_limit():
    """55 % in 3D (walled packing stops at 40-45 %): gaps and face margins hold."""
    pk = pack_particles([[0, 0, 0], [6.0, 6.0, 6.0]], 0.55, 1.0, 0.2, seed=1, periodic=True)
    assert pk.periodic
    assert pk.volume_fraction == pytest.approx(0.55, rel=1e-12)
    clear, wall = check_packing(pk.centres, pk.radii, pk.box, periodic=True)
    assert clear >= 0.05 * (1 - 1e-9) and wall == np.inf
    assert face_margin(pk.centres, pk.radii, pk.box) >= 0.025 * (1 - 1e-9)
    # some particles really are cut by the faces (more images than particles)
    own, _ = periodic_images(pk.centres, pk.radii, pk.box)
    assert len(own) > len(pk.radii)


def test_periodic_packing_2d_reproducible_and_dense():
    a = pack_particles([[0, 0], [12.0, 12.0]], 0.75, 1.0, 0.25, seed=3, periodic=True)
    b = pack_particles([[0, 0], [12.0, 12.0]], 0.75, 1.0, 0.25, seed=3, periodic=True)
    np.testing.assert_array_equal(a.centres, b.centres)
    assert check_packing(a.centres, a.radii, a.box, periodic=True)[0] >= 0.05 * (1 - 1e-9)


def test_minimum_image_clearance_sees_the_neighbour_across_the_face():
    """Two discs touching through the periodic boundary overlap, though far apart in the box."""
    centres, radii, box = [[0.5, 5.0], [9.4, 5.0]], [1.0, 1.0], [[0, 0], [10.0, 10.0]]
    assert check_packing(centres, radii, box)[0] > 6.0
    assert check_packing(centres, radii, box, periodic=True)[0] == pytest.approx(-0.9)


def test_periodic_packing_too_large_particle_raises():
    with pytest.raises(PackingError, match="half the edge"):
        pack_particles([[0, 0], [3.0, 3.0]], 0.78, 1.0, 0.2, n_particles=1, periodic=True)


def _volumes(tm):
    """Global measure of each cell tag."""
    import ufl
    from dolfinx import fem

    dx = ufl.Measure("dx", domain=tm.mesh, subdomain_data=tm.cell_tags)
    one = fem.Constant(tm.mesh, 1.0)
    tags = np.unique(np.concatenate(tm.comm.allgather(np.unique(tm.cell_tags.values))))
    return {int(t): tm.comm.allreduce(fem.assemble_scalar(fem.form(one * dx(int(t)))))
            for t in tags}


def _facet_measure(tm, tag):
    import ufl
    from dolfinx import fem

    dS = ufl.Measure("dS", domain=tm.mesh, subdomain_data=tm.facet_tags)
    one = fem.Constant(tm.mesh, 1.0)
    return tm.comm.allreduce(fem.assemble_scalar(fem.form(one("+") * dS(tag))))


def test_periodic_coated_rve_tags_and_volumes_2d(comm):
    """Cut, coated discs: core and coating areas of every particle (all its pieces) and the
    interface on the coating's outer circle, within the mesh tolerance."""
    from interface.geometry.rve import rve_mesh

    t = 0.15e-6
    pk = pack_particles([[0, 0], [12e-6, 12e-6]], 0.5, 2e-6, 0.2, seed=4, periodic=True,
                        min_gap=0.2e-6 + 2 * t, shells=(0.0, t), face_gap=0.1e-6)
    own, _ = periodic_images(pk.centres, pk.radii, pk.box, pad=t)
    assert len(own) > len(pk.radii)  # some particles are cut by the faces
    tm = rve_mesh(comm, pk.box, pk, 0.8e-6, coating=t, coating_elements=1.5)
    n = len(pk.radii)
    vol = _volumes(tm)
    assert set(vol) == {T.MATRIX, *[T.particle_tag(i) for i in range(n)],
                        *[T.coating_tag(i) for i in range(n)]}
    assert tm.coating_tags == {T.coating_tag(i): T.particle_tag(i) for i in range(n)}
    r = pk.radii
    for i in range(n):
        assert vol[T.particle_tag(i)] == pytest.approx(np.pi * r[i] ** 2, rel=3e-3)
        assert vol[T.coating_tag(i)] == pytest.approx(np.pi * ((r[i] + t) ** 2 - r[i] ** 2),
                                                      rel=2e-2)
        # the interface is the coating's outer circle (cut at the faces: full length
        # over all the pieces of the periodic images)
        assert _facet_measure(tm, T.particle_tag(i)) == pytest.approx(
            2 * np.pi * (r[i] + t), rel=3e-3)
    assert sum(vol.values()) == pytest.approx(144e-12, rel=1e-9)
    # box-face facets: matrix pieces 1..4, particle pieces 11..14, each on its own body
    msh, ft, ct = tm.mesh, tm.facet_tags, tm.cell_tags
    f2c = msh.topology.connectivity(1, 2)
    cell_tag = np.full(msh.topology.index_map(2).size_local
                       + msh.topology.index_map(2).num_ghosts, -1)
    cell_tag[ct.indices] = ct.values
    found = set()
    for side in (T.LEFT, T.RIGHT, T.BOTTOM, T.TOP):
        for tag, in_particle in ((side, False), (side + T.PIECE_OFFSET, True)):
            facets = ft.find(tag)
            cells = np.array([f2c.links(f)[0] for f in facets], dtype=int)
            assert np.all((cell_tag[cells] != T.MATRIX) == in_particle)
            if len(facets):
                found.add(tag)
    found = set().union(*comm.allgather(found))
    assert {T.LEFT, T.RIGHT, T.BOTTOM, T.TOP} <= found
    assert found & {t + T.PIECE_OFFSET for t in (T.LEFT, T.RIGHT, T.BOTTOM, T.TOP)}


def test_coated_sphere_volume_3d(comm):
    """3D coating shell: volume 4/3 pi ((r+t)^3 - r^3) within the mesh tolerance."""
    from interface.geometry.rve import rve_mesh

    r, t = 1e-6, 0.2e-6
    tm = rve_mesh(comm, [[0, 0, 0], [3e-6, 3e-6, 3e-6]], ([[1.5e-6, 1.5e-6, 1.5e-6]], [r]),
                  0.5e-6, coating=t, coating_elements=1.0, min_elements_per_circle=16)
    vol = _volumes(tm)
    assert set(vol) == {T.MATRIX, T.particle_tag(0), T.coating_tag(0)}
    assert vol[T.coating_tag(0)] == pytest.approx(4 / 3 * np.pi * ((r + t) ** 3 - r**3),
                                                  rel=0.03)
    assert vol[T.particle_tag(0)] == pytest.approx(4 / 3 * np.pi * r**3, rel=0.03)


def test_layered_lame_reduces_to_two_phases():
    """The n-layer Lame solution: a coating of the core's own material is no coating."""
    from interface.mechanics.contact_analytic import (
        layered_misfit_pressures,
        misfit_interface_pressure,
    )
    from interface.mechanics.isotropic import LPSCL, NMC811

    for dim in (2, 3):
        q2 = misfit_interface_pressure(dim, 1e-6, 4e-6, NMC811, LPSCL, -0.01, 1e8)
        qn = layered_misfit_pressures(dim, [1e-6, 4e-6], [NMC811, LPSCL], [-0.01, 0.0], 1e8)
        assert qn[0] == pytest.approx(q2, rel=1e-10)
        q3 = layered_misfit_pressures(dim, [1e-6, 1.1e-6, 4e-6], [NMC811, NMC811, LPSCL],
                                      [-0.01, -0.01, 0.0], 1e8)
        assert q3[1] == pytest.approx(
            misfit_interface_pressure(dim, 1.1e-6, 4e-6, NMC811, LPSCL, -0.01, 1e8), rel=1e-10)


@pytest.mark.mpi
def test_coated_cylinder_matches_three_phase_lame(comm):
    """Bonded coated cylinder with a shrinking core: coating | matrix pressure within 2 %
    of the three-phase Lame solution; a coating that shrank with the core (eigenstrain
    pattern 1 in the coating cells) would be 19 % off."""
    from interface.verify.rve import misfit_coated

    res = misfit_coated(comm, 2, eps_star=-0.01, P=0.0, thickness=0.5e-6, a=5e-6)
    assert abs(res.rel_error) < 0.02, res
    assert res.passed
