"""Property tests of the contact formulation on a small 2D RVE (frictionless contact)."""

import numpy as np
import pytest

from tests.rve.conftest import build_small_rve


@pytest.fixture(scope="module")
def rve():
    from interface.backend import MPI

    prob = build_small_rve(MPI.COMM_WORLD)
    yield prob
    prob.close()


@pytest.fixture(autouse=True)
def mesh_cache():
    """The module-scoped problem above builds its mesh with the default cache settings."""


def test_full_contact_without_shrinkage(rve):
    rve.reset()
    for p in (0.0, 20e6, 100e6, 400e6):
        rve.solve(eps_star=0.0, pressure=p, steps=2)
        m = rve.metrics()
        assert m.contact_fraction == 1.0
        assert m.isolated_fraction == 0.0
        assert np.all(m.particle_contact_fraction == 1.0)


def test_contact_falls_with_shrinkage(rve):
    rve.reset()
    cf = []
    for eps in (0.0, -0.0025, -0.005, -0.01, -0.02):
        rve.solve(eps_star=eps, pressure=100e6, steps=2)
        cf.append(rve.metrics().contact_fraction)
    assert cf[0] == 1.0
    assert np.all(np.diff(cf) <= 1e-12) and cf[-1] < 0.5 * cf[1]


def test_contact_rises_with_pressure(rve):
    rve.reset()
    cf, gap = [], []
    for p in (0.0, 50e6, 100e6, 200e6, 400e6):
        rve.solve(eps_star=-0.01, pressure=p, steps=2)
        m = rve.metrics()
        cf.append(m.contact_fraction)
        gap.append(m.mean_gap)
    assert cf[0] == 0.0
    assert np.all(np.diff(cf) >= -1e-12) and cf[-1] > cf[1]
    assert np.all(np.diff(gap) <= 0.0)


def test_homogeneity_of_degree_one(rve):
    """Scaling all loads by 2 scales gaps and pressures by 2 with the same active set."""
    rve.reset()
    rve.solve(eps_star=-0.005, pressure=50e6, steps=2)
    m1 = rve.metrics()
    rve.solve(eps_star=-0.01, pressure=100e6, steps=2)
    m2 = rve.metrics()
    assert m2.contact_fraction == pytest.approx(m1.contact_fraction, abs=1e-9)
    assert m2.mean_gap == pytest.approx(2 * m1.mean_gap, rel=1e-6)
    assert m2.peak_pressure == pytest.approx(2 * m1.peak_pressure, rel=1e-6)


def test_contact_map_reuse_matches_rebuild(comm):
    """Continuation on one problem gives the rebuilt-per-point answers (and is not slower)."""
    from interface.mechanics.rve import contact_map, rebuild_baseline

    P = np.linspace(0.0, 300e6, 3)
    E = np.linspace(0.0, -0.02, 3)
    prob = build_small_rve(comm)
    cm = contact_map(prob, P, E)
    base = rebuild_baseline(comm, build_small_rve, P, E)
    assert cm.done.all() and not cm.failure
    np.testing.assert_allclose(cm["contact_fraction"], base["contact_fraction"], atol=1e-8)
    assert np.all(cm["contact_fraction"][0] == 1.0)
    assert base["wall_time"] > cm.wall_time
