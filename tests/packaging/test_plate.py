"""FE plate against Roark; refinement; non-square, ribbed, partial load; plate sizing."""

import math

import pytest

from interface.errors import InputError
from interface.system.plate import (
    Rib,
    beam_plate,
    navier_coefficients,
    roark_coefficients,
    roark_plate,
    size_plate,
    solve_plate,
)
from interface.system.verify import plate_rows, roark_plate_benchmark, roark_table_benchmark


def _assert_rows(rows):
    bad = [f"{r.quantity}: ref {r.reference:.6g} got {r.computed:.6g} err {r.error:.2e}"
           for r in rows if not r.passed]
    assert rows and not bad, "\n".join(bad)


def test_roark_square_values():
    assert roark_coefficients(1.0) == pytest.approx((0.2874, 0.0444))
    beta, alpha = roark_coefficients(1e9)
    assert beta == pytest.approx(0.75, rel=1e-3) and alpha == pytest.approx(0.1421, rel=1e-3)
    s, w = roark_plate(1e6, 0.1, 0.1, 0.005, 200e9)
    assert s == pytest.approx(0.2874 * 1e6 * 400)
    assert w == pytest.approx(0.0444 * 1e6 * 1e-4 / (200e9 * 0.005**3))


def test_roark_table_matches_navier(comm):
    _assert_rows(roark_table_benchmark(comm))
    # nu enters Navier: beta grows ~ (1 + nu), alpha ~ (1 - nu^2) for the square
    b30, a30 = navier_coefficients(1.0, 0.30)
    b33, a33 = navier_coefficients(1.0, 0.33)
    assert b33 / b30 == pytest.approx(1.33 / 1.30, rel=1e-6)
    assert a33 / a30 == pytest.approx((1 - 0.33**2) / (1 - 0.30**2), rel=1e-6)


@pytest.mark.mpi
def test_fe_plate_vs_roark_default_mesh(comm):
    """Square and a/b = 2: max stress and deflection within 2 % (default verification mesh)."""
    _assert_rows(roark_plate_benchmark(comm))


@pytest.mark.mpi
def test_fe_plate_error_falls_under_refinement(comm):
    errs = []
    for cells in (4, 8, 16):
        rows = plate_rows(comm, mesh={"cells": cells, "cells_through_thickness": 2, "degree": 2})
        errs.append([r.error for r in rows])
    s_err = [e[0] for e in errs]
    w_err = [e[1] for e in errs]
    assert s_err[2] < s_err[1] < s_err[0]
    assert w_err[2] < w_err[0] and w_err[1] < w_err[0]
    assert max(s_err[2], w_err[2]) < 5e-3


def test_quarter_equals_full_model(comm, steel):
    q = solve_plate(comm, 0.12, 0.08, 0.003, steel, 1e6, cells=8, symmetry="quarter")
    f = solve_plate(comm, 0.12, 0.08, 0.003, steel, 1e6, cells=8, symmetry="none")
    assert q.quarter and not f.quarter
    assert f.max_deflection_m == pytest.approx(q.max_deflection_m, rel=1e-8)
    assert f.max_principal_stress_Pa == pytest.approx(q.max_principal_stress_Pa, rel=1e-6)
    assert f.volume_m3 == pytest.approx(0.12 * 0.08 * 0.003, rel=1e-12)


def test_ribs_stiffen_and_add_volume(comm, steel):
    t, a = 0.0025, 0.1
    bare = solve_plate(comm, a, a, t, steel, 1e6, cells=8)
    ribs = [Rib("x", 0.05, 0.004, 0.01), Rib("y", 0.05, 0.004, 0.01)]
    ribbed = solve_plate(comm, a, a, t, steel, 1e6, cells=8, ribs=ribs)
    assert ribbed.quarter
    assert ribbed.max_deflection_m < 0.3 * bare.max_deflection_m
    rib_vol = 2 * 0.004 * 0.01 * a - 0.004 * 0.004 * 0.01  # the crossing counted once
    assert ribbed.volume_m3 == pytest.approx(a * a * t + rib_vol, rel=1e-9)
    # an off-centre rib: full model, still stiffer than the bare plate
    off = solve_plate(comm, a, a, t, steel, 1e6, cells=8, ribs=[Rib("x", 0.03, 0.004, 0.01)])
    assert not off.quarter
    assert off.max_deflection_m < bare.max_deflection_m


def test_partial_load_nonuniformity(comm, steel):
    """Load on a central 100 x 100 mm face of a 120 mm span: the variation over the loaded
    area is less than the maximum deflection (its edge is not at the support)."""
    r = solve_plate(comm, 0.12, 0.12, 0.003, steel, 1e6, cells=12,
                    loaded_region=(0.01, 0.11, 0.01, 0.11))
    assert r.quarter
    assert 0 < r.min_deflection_m < r.max_deflection_m
    assert r.deflection_variation_m == pytest.approx(r.max_deflection_m - r.min_deflection_m)
    c = 2e-11  # m/Pa: two 2 mm polymer pads
    assert r.pressure_nonuniformity(c) == pytest.approx(2 * r.deflection_variation_m / (1e6 * c))
    with pytest.raises(InputError):
        r.pressure_nonuniformity(0.0)


def test_two_edge_support_close_to_beam(comm, steel):
    from interface.system.fixture import STRAP_PLATE_FACTOR

    s_b, w_b = beam_plate(1e6, 0.1, 0.0025, steel.youngs_modulus)
    r = solve_plate(comm, 0.2, 0.1, 0.0025, steel, 1e6, cells=8, support="two_edges")
    assert 1.0 < r.max_deflection_m / w_b < STRAP_PLATE_FACTOR
    assert 1.0 < r.max_principal_stress_Pa / s_b < STRAP_PLATE_FACTOR


def test_solve_plate_input_errors(comm, steel):
    with pytest.raises(InputError) as e:
        solve_plate(comm, 0.1, -0.1, 0.003, steel, 1e6)
    assert e.value.key == "length_y"
    with pytest.raises(InputError) as e:
        solve_plate(comm, 0.1, 0.1, 0.003, steel, 0.0)
    assert e.value.key == "pressure"
    with pytest.raises(InputError) as e:
        solve_plate(comm, 0.1, 0.1, 0.003, steel, 1e6, support="corners")
    assert e.value.key == "support"
    with pytest.raises(InputError) as e:
        solve_plate(comm, 0.1, 0.1, 0.003, steel, 1e6, ribs=[Rib("x", 0.2, 0.01, 0.01)])
    assert e.value.key.startswith("ribs[0]")
    with pytest.raises(InputError) as e:
        solve_plate(comm, 0.1, 0.1, 0.003, steel, 1e6, symmetry="quarter",
                    ribs=[Rib("x", 0.03, 0.01, 0.01)])
    assert e.value.key == "symmetry"


def test_size_plate_roark_meets_both_criteria(steel):
    s_allow, w_allow = 125e6, 50e-6
    for p in (1e5, 1e6, 1e7, 5e7):
        ps = size_plate(p, 0.12, 0.1, steel, s_allow, w_allow)
        s, w = roark_plate(p, 0.12, 0.1, ps.thickness_m, steel.youngs_modulus)
        assert s <= s_allow * (1 + 1e-12) and w <= w_allow * (1 + 1e-12)
        # the governing criterion is active
        if ps.governing == "strength":
            assert s == pytest.approx(s_allow, rel=1e-12)
        else:
            assert w == pytest.approx(w_allow, rel=1e-12)
    # strength thickness ~ sqrt(P), stiffness thickness ~ P^(1/3)
    a = size_plate(1e6, 0.1, 0.1, steel, s_allow, w_allow)
    b = size_plate(4e6, 0.1, 0.1, steel, s_allow, w_allow)
    assert b.thickness_strength_m / a.thickness_strength_m == pytest.approx(2.0)
    assert b.thickness_stiffness_m / a.thickness_stiffness_m == pytest.approx(4 ** (1 / 3))


@pytest.mark.mpi
def test_size_plate_fe_agrees_with_roark(comm, steel):
    """The FE root solve (max principal stress) lands within 1 % of the closed form for
    both the strength-governed and the stiffness-governed thin (a/t ~ 40) square plate."""
    fe_opts = {"cells": 8}
    for w_allow in (1.0, 2e-4):  # strength governs, stiffness governs
        ro = size_plate(2e5, 0.1, 0.1, steel, 125e6, w_allow)
        assert 30 < 0.1 / ro.thickness_m < 50
        fe = size_plate(2e5, 0.1, 0.1, steel, 125e6, w_allow, method="fe", comm=comm,
                        stress_measure="max_principal", fe_options=fe_opts)
        assert fe.governing == ro.governing
        assert fe.thickness_m == pytest.approx(ro.thickness_m, rel=0.01)
        assert fe.fe is not None and fe.fe_evaluations <= 20
    # von Mises adds the corner twist (0.338 vs 0.287 q a^2/t^2 in Kirchhoff theory)
    ro = size_plate(2e5, 0.1, 0.1, steel, 125e6, 1.0)
    vm = size_plate(2e5, 0.1, 0.1, steel, 125e6, 1.0, method="fe", comm=comm,
                    fe_options=fe_opts)
    assert vm.thickness_m > ro.thickness_m * 1.03


def test_size_plate_input_errors(steel):
    with pytest.raises(InputError) as e:
        size_plate(1e6, 0.1, 0.1, steel, 125e6, 0.0)
    assert e.value.key == "allowable_deflection"
    with pytest.raises(InputError) as e:
        size_plate(1e6, 0.0, 0.1, steel, 125e6, 1e-5)
    assert e.value.key == "span_x"
    with pytest.raises(InputError) as e:
        size_plate(1e6, 0.1, 0.1, steel, 125e6, 1e-5, method="magic")
    assert e.value.key == "method"
    with pytest.raises(InputError) as e:
        size_plate(1e6, 0.1, 0.1, steel, 125e6, 1e-5, ribs=[Rib("x", 0.05, 0.01, 0.01)])
    assert e.value.key == "method"
    assert math.isfinite(size_plate(1e6, 0.1, 0.1, steel, 125e6, 1e-5).thickness_m)


def test_size_plate_fe_with_relative_ribs_and_minimum_thickness(comm, steel):
    """Tall relative-position ribs carry a light load alone: the FE search stops at the
    minimum thickness and says so."""
    ribs = (Rib("x", 0.5, 0.006, 0.03, relative=True), Rib("y", 0.5, 0.006, 0.03, relative=True))
    ps = size_plate(2e4, 0.1, 0.1, steel, 125e6, 2e-4, method="fe", comm=comm, ribs=ribs,
                    fe_options={"cells": 8}, min_thickness=1e-3)
    assert ps.governing == "minimum" and ps.thickness_m == 1e-3
    assert ps.fe.deflection_variation_m <= 2e-4 and ps.fe.max_von_mises_Pa <= 125e6
    assert ps.span_to_thickness == pytest.approx(100.0)
