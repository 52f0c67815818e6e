"""3D pieces of the Li model: sub-grid spot area, lateral grading, AMG = LU, predictor."""

import numpy as np
import pytest


def _hertz_gap(r, a):
    """Hertz gap outside a spot of radius a, in units of a^2/(2R) (Johnson 1985, 3.42)."""
    rho = np.maximum(r / a, 1.0)
    return rho**2 - 2 + 2 / np.pi * ((2 - rho**2) * np.arcsin(1 / rho) + np.sqrt(rho**2 - 1))


@pytest.mark.parametrize("nodes_per_radius, tol", [(4, 0.02), (16, 0.004)])
def test_corner_spot_area_on_the_exact_hertz_gap(nodes_per_radius, tol):
    """The sub-grid estimator recovers pi a^2/4 from the nodal gap of an exact Hertz spot.

    (A nodal indicator with trapezoid weights is off by O(h/a): up to ~10 % at 4 nodes.)
    """
    from interface.verify.lithium import _corner_spot_area

    h = 1.0 / nodes_per_radius
    xs = np.arange(0.0, 3.0, h)
    errs = []
    for a in 1.0 + h * np.linspace(0.0, 0.9, 7):  # spot edges at all positions in a cell
        X, Y = np.meshgrid(xs, xs, indexing="ij")
        gap = _hertz_gap(np.hypot(X, Y), a)
        errs.append(_corner_spot_area(xs, xs, gap, gap <= 1e-14) / (np.pi * a**2 / 4) - 1)
    assert np.max(np.abs(errs)) < tol


def test_lateral_grading_refines_the_faces():
    from interface.backend import MPI
    from interface.mechanics.lithium import create_slab_mesh

    msh = create_slab_mesh(MPI.COMM_SELF, 2, 1.0, 1.0, 10, 2, lateral_grading=0.5)
    x = np.unique(np.round(msh.geometry.x[:, 0], 12))
    dx = np.diff(x)
    assert x[0] == 0.0 and x[-1] == pytest.approx(1.0)
    assert dx[0] == pytest.approx(0.1 - 0.5 * np.sin(0.2 * np.pi) / (2 * np.pi), rel=1e-12)
    assert dx[len(dx) // 2] > 1.4 * 0.1  # ~(1 + c) L/n in the middle
    with pytest.raises(ValueError, match="lateral_grading"):
        create_slab_mesh(MPI.COMM_SELF, 2, 1.0, 1.0, 10, 2, lateral_grading=1.0)


@pytest.mark.mpi
def test_amg_reduced_space_solve_equals_lu(comm):
    """CG + full-space GAMG inside vinewtonrsls gives the MUMPS answer (3D, contact)."""
    from interface.verify.lithium import AMP, _bisinusoid_model, jgh_pressure_for_fraction

    out = {}
    for solver in ("lu", "amg"):
        m, mat = _bisinusoid_model(comm, 6, 4, grading=0.5, linear_solver=solver, degree=1)
        m.load_pressure(jgh_pressure_for_fraction(0.2, mat.E_star), n_steps=1)
        out[solver] = (m.contact_fraction(), m.mean_gap(), m.reaction_pressure())
        m.destroy()
    assert out["lu"][0] > 0.05
    np.testing.assert_allclose(out["amg"], out["lu"], rtol=1e-6, atol=1e-9 * AMP)


@pytest.mark.mpi
def test_pmg_and_lagged_lu_creep_steps_equal_lu(comm, monkeypatch):
    """P2 -> P1 multigrid and lagged LU factors (inside vinewtonrsls) give the MUMPS answer.

    A pressure step with plasticity and creep, then two creep steps: the lagged
    factorisation is reused across Newton iterations and time steps, so the
    Krylov solves really run with out-of-date factors and active sets.  The
    multigrid runs with both coarse solves (GAMG cycles, the default, and Cholesky).
    """
    from interface.mechanics.lithium import FullSpacePMG, LiContactModel
    from interface.mechanics.viscoplastic import LithiumMaterial
    from interface.verify.lithium import AMP, LAM, _bisinusoid

    out, setups, coarse = {}, {}, {}
    for solver in ("lu", "pmg", "pmg-cholesky", "lagged-lu"):
        monkeypatch.setattr(FullSpacePMG, "coarse_solver",
                            "cholesky" if solver == "pmg-cholesky" else "amg")
        kind = solver.removesuffix("-cholesky")
        m = LiContactModel(comm, _bisinusoid, LAM / 2, LAM, 4, 3, LithiumMaterial(), dim=3,
                           degree=2, lateral_grading=0.5, linear_solver=kind,
                           petsc_options={"ksp_rtol": 1e-10} if solver != "lu" else None)
        m.initial_guess()
        for dt in (1e-2, 1e-1, 1.0):
            info = m.solve_step(dt, p=0.5e6)
            assert info.converged
            m.commit(dt)
        out[solver] = (m.contact_fraction(), m.mean_gap(), m.reaction_pressure())
        if solver.startswith("pmg"):
            coarse[solver] = m.fullspace_pc.inner.getMGCoarseSolve().getPC().getType()
        if m.fullspace_pc is not None:
            setups[solver] = (m.fullspace_pc.setups, m.fullspace_pc.calls)
        m.destroy()
    assert 0.05 < out["lu"][0] < 0.95
    assert coarse == {"pmg": "gamg", "pmg-cholesky": "cholesky"}
    for solver in ("pmg", "pmg-cholesky", "lagged-lu"):
        np.testing.assert_allclose(out[solver], out["lu"], rtol=1e-5, atol=1e-8 * AMP)
    assert setups["pmg"][0] == setups["pmg"][1]  # rebuilt every Newton iteration
    assert setups["lagged-lu"][0] < setups["lagged-lu"][1]  # factors reused


@pytest.mark.mpi
def test_pmg_block_copy_of_the_fine_level_changes_nothing(comm, monkeypatch):
    """Block (BAIJ) Jacobian and P2-level copy: the AIJ run's Newton and CG work and answer.

    Same operators in another storage, so the same work up to rounding (a level
    operator left over from an earlier set-up: 11/15/14 against 14/17/29 Newton
    iterations in these steps).
    """
    from interface.mechanics.lithium import FullSpacePMG, LiContactModel
    from interface.mechanics.viscoplastic import LithiumMaterial
    from interface.verify.lithium import LAM, _bisinusoid

    out = {}
    for blocked in (True, False):
        monkeypatch.setattr(FullSpacePMG, "blocked", blocked)
        m = LiContactModel(comm, _bisinusoid, LAM / 2, LAM, 4, 3, LithiumMaterial(), dim=3,
                           degree=2, lateral_grading=0.5, linear_solver="pmg",
                           petsc_options={"ksp_rtol": 1e-6})
        m.initial_guess()
        hist = []
        for dt in (1e-2, 1e-1, 1.0):
            info = m.solve_step(dt, p=0.5e6)
            assert info.converged
            m.commit(dt)
            hist.append((info.its, info.lin_its))
        kinds = (m.A.getType(), m.fullspace_pc.inner.getOperators()[0].getType(),
                 m.fullspace_pc.inner.getMGSmoother(1).getOperators()[0].getType())
        out[blocked] = (np.array(hist), m.contact_fraction(), m.mean_gap(), kinds)
        m.destroy()
    assert "baij" not in out[True][3][0]  # the AIJ copy for the Galerkin coarse product
    assert "baij" in out[True][3][1] and "baij" in out[True][3][2]
    assert "baij" not in out[False][3][1]
    (newton_b, cg_b), (newton_a, cg_a) = out[True][0].T, out[False][0].T
    assert cg_a.sum() > 0  # the Krylov solver ran
    assert np.all(np.abs(newton_b - newton_a) <= 1)
    assert abs(cg_b.sum() / cg_a.sum() - 1) < 0.1
    np.testing.assert_allclose(out[True][1:3], out[False][1:3], rtol=1e-6)


@pytest.mark.mpi
def test_matrix_free_inactive_block_equals_the_aij_submatrix(comm):
    """The VI solver's J_II with the block Jacobian (products through BAIJ) = AIJ J_II.

    ``vinewtonrsls`` asks its Jacobian for the inactive-set submatrix each Newton
    iteration; with ``pmg`` that is a matrix-free operator (scatter, block product,
    scatter) instead of an AIJ extraction.  Checked at a converged creep state against
    the extracted AIJ submatrix, with the contact DOFs in contact removed.
    """
    from interface.backend import PETSc
    from interface.mechanics.lithium import LiContactModel
    from interface.mechanics.viscoplastic import LithiumMaterial
    from interface.verify.lithium import LAM, _bisinusoid

    m = LiContactModel(comm, _bisinusoid, LAM / 2, LAM, 4, 3, LithiumMaterial(), dim=3,
                       degree=2, lateral_grading=0.5, linear_solver="pmg",
                       petsc_options={"ksp_rtol": 1e-6})
    m.initial_guess()
    assert m.solve_step(1e-2, p=0.5e6).converged
    m._jacobian(m.snes, m.x, m.J_vi, m.J_vi)
    assert m.J_vi.getType() == "python" and m.J_vi is not m.A
    rstart, rend = m.A.getOwnershipRange()
    active = rstart + m.cdofs[m.contact_mask()]
    assert comm.allreduce(active.size) > 0
    inactive = np.setdiff1d(np.arange(rstart, rend), active).astype(PETSc.IntType)
    iset = PETSc.IS().createGeneral(inactive, comm=comm)
    mats = (m.J_vi.createSubMatrix(iset, iset), m.A.createSubMatrix(iset, iset))
    for op in (mats, (m.J_vi, m.A)):  # the reduced and the full products
        x = op[1].createVecRight()
        x.setRandom()
        y_free, y_aij = op[1].createVecLeft(), op[1].createVecLeft()
        op[0].mult(x, y_free)
        op[1].mult(x, y_aij)
        ref = y_aij.norm()
        y_free.axpy(-1.0, y_aij)
        assert y_free.norm() <= 1e-12 * ref
    for obj in (*mats, iset):
        obj.destroy()
    m.destroy()


def test_solver_choice_errors():
    from interface.backend import MPI
    from interface.mechanics.lithium import LiContactModel
    from interface.verify.lithium import LAM, _bisinusoid

    with pytest.raises(ValueError, match="degree 2"):
        LiContactModel(MPI.COMM_SELF, _bisinusoid, LAM / 2, LAM, 2, 2, dim=3, degree=1,
                       linear_solver="pmg")
    with pytest.raises(ValueError, match="linear_solver"):
        LiContactModel(MPI.COMM_SELF, _bisinusoid, LAM / 2, LAM, 2, 2, dim=3,
                       linear_solver="cholesky")
    with pytest.raises(ValueError, match="pc_options"):
        LiContactModel(MPI.COMM_SELF, _bisinusoid, LAM / 2, LAM, 2, 2, dim=3,
                       pc_options={"pc_type": "jacobi"})


def test_inexact_newton_forcing_follows_the_residual():
    """Loose Krylov tolerance while |F| > far_ratio |F_0|, the tight one below (raised to
    0.25 atol/|F| when looser: the last iteration); not with LU."""
    from interface.backend import MPI, PETSc
    from interface.mechanics.lithium import LiContactModel
    from interface.verify.lithium import LAM, _bisinusoid

    m = LiContactModel(MPI.COMM_SELF, _bisinusoid, LAM / 2, LAM, 2, 2, dim=3,
                       linear_solver="pmg", petsc_options={"ksp_rtol": 1e-6})
    ksp = m.snes.getKSP()
    m.snes.setTolerances(atol=1e-15)  # far below these residuals: the last-step rule is idle
    for it, fnorm, rtol in ((0, 1.0, 1e-2), (3, 2e-3, 1e-2), (4, 5e-4, 1e-6), (0, 1e-4, 1e-2),
                            (1, 0.9e-7, 1e-6)):
        m._forcing(m.snes, it, fnorm)
        assert ksp.getTolerances()[0] == rtol, (it, fnorm)
    # near the end the tolerance only has to bring |F| to atol (safety 0.25), capped at 1e-2
    m.snes.setTolerances(atol=1e-12)
    for it, fnorm, rtol in ((2, 5e-8, 5e-6), (3, 1e-9, 2.5e-4), (4, 1e-11, 1e-2), (5, 1e-13, 1e-2)):
        m._forcing(m.snes, it, fnorm)
        assert ksp.getTolerances()[0] == pytest.approx(rtol, rel=1e-12), (it, fnorm)
    m._forcing(m.snes, 6, 0.0)  # an exact zero residual: no division
    assert ksp.getTolerances()[0] == 1e-6
    m.last_step_safety = 0.0  # off: the tight tolerance below the switch
    m._forcing(m.snes, 6, 1e-11)
    assert ksp.getTolerances()[0] == 1e-6
    prefix = m.prefix
    m.destroy()  # never set up: its preconditioner options leave the database as well
    assert not [k for k in PETSc.Options().getAll() if k.startswith(prefix)]
    m = LiContactModel(MPI.COMM_SELF, _bisinusoid, LAM / 2, LAM, 2, 2, dim=3,
                       linear_solver="pmg", ksp_rtol_far=None)
    assert m.ksp_rtol_far is None and m.snes.getKSP().getTolerances()[0] == 1e-8
    m.destroy()
    m = LiContactModel(MPI.COMM_SELF, _bisinusoid, LAM / 2, LAM, 2, 2, dim=3)
    assert m.ksp_rtol_far is None  # LU: exact solves
    m.destroy()


def test_predictor_does_not_change_the_converged_creep_state():
    """The 'previous increment' Newton predictor changes the path, not the answer."""
    from interface.backend import MPI
    from interface.geometry.rough import profile_interpolator, self_affine_profile
    from interface.mechanics.lithium import LiContactModel
    from interface.mechanics.viscoplastic import LithiumMaterial

    length = 20e-6
    x, h = self_affine_profile(256, length, 0.25e-6, 0.8, rolloff_wavelength=length / 2,
                               cutoff_wavelength=length / 8, seed=7)
    res = {}
    for pred in (None, "previous"):
        m = LiContactModel(MPI.COMM_SELF, profile_interpolator(x, h, period=length), length,
                           length, 12, 4, LithiumMaterial())
        m.predictor = pred
        st = m.press(0.5e6, 10.0, dt0=1e-3, grow=2.0)
        res[pred] = (m.contact_fraction(), m.mean_gap() / 1e-7, sum(st["its"]), st["steps"])
        m.destroy()
    assert res[None][3] == res["previous"][3]  # same step sequence (both converge fast)
    assert res["previous"][0] == pytest.approx(res[None][0], abs=1e-12)
    # mean gap to 1e-4 (2e-12 m of 2.4e-7 m: the plastic slab's displacement is only
    # determined to ~ residual tolerance / (small plastic tangent))
    assert res["previous"][1] == pytest.approx(res[None][1], rel=1e-4)
    assert res["previous"][2] <= res[None][2]  # and no more Newton iterations
