"""Serial and 2-rank runs of the small RVE give the same interface metrics."""

import numpy as np
import pytest

from tests.rve.conftest import build_small_rve

PATH = [(0.0, 100e6), (-0.01, 100e6), (-0.01, 300e6), (-0.02, 100e6)]


def _path(comm):
    prob = build_small_rve(comm)
    out = []
    for eps, p in PATH:
        prob.solve(eps_star=eps, pressure=p, steps=2)
        m = prob.metrics()
        out.append([m.contact_fraction, m.isolated_fraction, m.mean_gap, m.max_gap,
                    m.peak_pressure, m.matrix_max_von_mises, m.matrix_max_principal])
    prob.close()
    return np.array(out)


@pytest.mark.mpi
def test_parallel_equals_serial(comm):
    from interface.backend import MPI

    par = _path(comm)
    ser = _path(MPI.COMM_SELF)
    np.testing.assert_allclose(par[:, :2], ser[:, :2], rtol=0, atol=1e-9)
    np.testing.assert_allclose(par[:, 2:], ser[:, 2:], rtol=1e-7)
    assert par[0, 0] == 1.0 and par[-1, 0] < par[2, 0]
