"""The Li contact model on 2 ranks gives the serial answer (run under mpiexec -n 2)."""

import numpy as np
import pytest


def _rough_creep(comm):
    from interface.geometry.rough import profile_interpolator, self_affine_profile
    from interface.mechanics.lithium import LiContactModel
    from interface.mechanics.viscoplastic import LithiumMaterial

    length = 20e-6
    x, h = self_affine_profile(512, length, 0.25e-6, 0.8, rolloff_wavelength=length / 2,
                               cutoff_wavelength=length / 8, seed=7)
    m = LiContactModel(comm, profile_interpolator(x, h, period=length), length, length, 12, 4,
                       LithiumMaterial())
    m.load(2e4)
    f_seat = m.contact_fraction()
    m.ramp(0.5e6, 1.0)
    f_ramp = m.contact_fraction()
    m.hold(10.0, dt0=0.5)
    out = np.array([f_seat, f_ramp, m.contact_fraction(), m.mean_gap() / 1e-7])
    m.destroy()
    return out


@pytest.mark.mpi
def test_contact_model_parallel_equals_serial(comm):
    from interface.backend import MPI

    par = _rough_creep(comm)
    ser = _rough_creep(MPI.COMM_SELF)
    assert par[2] > par[0]
    np.testing.assert_allclose(par, ser, rtol=1e-6, atol=1e-6)
