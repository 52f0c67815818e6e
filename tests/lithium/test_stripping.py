"""Stripping on the smoke mesh of the shipped case: kept at a small current, lost at a large
one, i_c(1 MPa) >= i_c(0.5 MPa), full contact recedes uniformly, Faraday mass balance."""

import numpy as np
import pytest

from interface import load_case
from interface.models import lithium as L
from tests.conftest import CASES

KEEP = 0.8


@pytest.fixture(scope="module")
def make():
    from interface.backend import MPI

    case = load_case(CASES / "lithium_interface.toml", smoke=True)  # 8 x 3 cells
    mat, _ = L.materials(case)
    surf = L.surface(case)

    def new(comm=MPI.COMM_WORLD):
        return L._new_model(comm, case, surf, mat)

    return new


@pytest.fixture(scope="module")
def searches(make):
    from interface.mechanics.stripping import critical_current

    # 10 min at the pressure (creep raises the contact above the rate-independent,
    # hardness-limited value), then strip 0.1 um between 0.1 and 100 mA/cm^2
    return {p: critical_current(make, p, 0.1e-6, 600.0, lo=1.0, hi=1000.0, bisections=2,
                                keep=KEEP, first_step=1e-3) for p in (0.5e6, 1e6)}


def test_small_current_keeps_and_large_current_loses_contact(searches):
    runs = {r.current_density: r for r in searches[0.5e6].runs}
    small, large = runs[1.0], runs[1000.0]
    assert small.outcome == "kept" and large.outcome == "lost"
    # slow stripping: creep refills and the eroded spots conform: contact grows
    assert small.end_ratio > 1.0 and small.min_ratio >= 1.0
    # fast stripping: no time for creep, the contact falls towards the hardness value
    assert large.min_ratio < KEEP
    assert not any(r.solver_failed for s in searches.values() for r in s.runs)


def test_critical_current_does_not_fall_with_pressure(searches):
    lo, hi = searches[0.5e6], searches[1e6]
    assert lo.status == "bracketed" and 1.0 <= lo.lower < lo.upper <= 1000.0
    # at 1 MPa the creep-relaxed contact is already near the rate-independent one
    assert hi.status in ("bracketed", "above_range")
    assert hi.lower >= lo.lower and hi.upper >= lo.upper
    assert hi.phi0 > lo.phi0
    for s in (lo, hi):  # spots narrower than the period; creep estimate from the spot stress
        assert 0 < s.spot_width < s.phi0 * 20e-6 + 1e-12
        assert s.spot_creep_current > 0


def test_full_contact_recedes_uniformly_with_faraday_mass_balance(make):
    from interface.mechanics.stripping import PreHeld, strip_from, stripping_velocity

    pre = PreHeld(make, 5e6, 5.0, 1e-3)
    try:
        r = strip_from(pre, 1000.0, 0.05e-6, keep=KEEP)
        # one spot over the whole face, at the stack pressure
        mat, length = pre.model.mat, pre.model.L
        assert pre.spot_width == pytest.approx(length)
        assert pre.spot_creep_velocity == pytest.approx(mat.A * 5e6 ** mat.n * length)
    finally:
        pre.destroy()
    assert r.phi0 == pytest.approx(1.0)
    assert r.outcome == "kept"
    assert np.all(np.asarray(r.phi) == pytest.approx(1.0))
    # mean stripped thickness = v t (the local rate v/phi over the contact area phi)
    t, s = np.asarray(r.time), np.asarray(r.stripped)
    np.testing.assert_allclose(s, stripping_velocity(1000.0) * t, rtol=1e-9, atol=1e-15)
    assert s[-1] == pytest.approx(0.05e-6, rel=1e-9)


@pytest.mark.mpi
def test_stripping_run_parallel_equals_serial(make, comm):
    from interface.backend import MPI
    from interface.mechanics.stripping import strip

    def go(c):
        r = strip(lambda: make(c), 0.5e6, 1000.0, 0.05e-6, 60.0, keep=KEEP, first_step=1e-3)
        return np.array([r.phi0, r.min_ratio, r.end_ratio, r.steps]), r.outcome

    par, out_p = go(comm)
    ser, out_s = go(MPI.COMM_SELF)
    assert out_p == out_s
    np.testing.assert_allclose(par, ser, rtol=1e-6, atol=1e-9)
