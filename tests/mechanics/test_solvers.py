"""The solver layer: options lifetime, linear and Newton solves, the step controller, the farm."""

import numpy as np
import pytest

from interface.errors import InputError, SolverError
from interface.mechanics.solvers import PetscOptions, Stepper, user_options
from interface.parallel import TaskFarm


def test_options_are_removed_in_one_place():
    from interface.backend import PETSc

    db = PETSc.Options()
    with PetscOptions("ssbi_test_1_", {"ksp_type": "cg", "pc_type": "jacobi"}) as opts:
        assert db.getString("ssbi_test_1_ksp_type") == "cg"
        assert opts.keys == ["ssbi_test_1_ksp_type", "ssbi_test_1_pc_type"]
    assert not db.hasName("ssbi_test_1_ksp_type") and not db.hasName("ssbi_test_1_pc_type")


def test_user_options_pass_through():
    assert user_options({"-ksp_type": "gmres", "snes_monitor": True}) == {
        "ksp_type": "gmres", "snes_monitor": "true"}


def _poisson(comm, n=8):
    import ufl
    from dolfinx import fem, mesh

    msh = mesh.create_unit_square(comm, n, n)
    V = fem.functionspace(msh, ("Lagrange", 1))
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    facets = mesh.locate_entities_boundary(msh, 1, lambda x: np.full(x.shape[1], True))
    bc = fem.dirichletbc(0.0, fem.locate_dofs_topological(V, 1, facets), V)
    return V, fem.form(ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx), fem.form(v * ufl.dx), bc


@pytest.mark.mpi
@pytest.mark.parametrize("kind", ["direct", "iterative"])
def test_linear_solver_assembles_once_solves_many(comm, kind):
    import dolfinx.fem.petsc as fpetsc
    from dolfinx import fem

    from interface.backend import PETSc
    from interface.mechanics.solvers import LinearSolver

    V, a, L, bc = _poisson(comm)
    solver = LinearSolver(comm, a, [bc], name="poisson", kind=kind, spd=True,
                          options={"pc_type": "gamg"} if kind == "iterative" else None)
    prefix = solver.prefix
    assert prefix.startswith("ssbi_poisson_")
    b = fpetsc.assemble_vector(L)
    fpetsc.apply_lifting(b, [a], bcs=[[bc]])
    b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
    fpetsc.set_bc(b, [bc])
    u1, u2 = fem.Function(V), fem.Function(V)
    solver.solve(b, u1.x.petsc_vec)
    b.scale(2.0)
    solver.solve(b, u2.x.petsc_vec)     # same matrix, second right-hand side
    np.testing.assert_allclose(u2.x.array, 2 * u1.x.array, rtol=1e-6, atol=1e-12)
    solver.destroy()
    assert not PETSc.Options().hasName(f"{prefix}ksp_type")


def test_linear_solver_reports_failure(comm):
    import dolfinx.fem.petsc as fpetsc
    from dolfinx import fem

    from interface.mechanics.solvers import LinearSolver

    V, a, L, bc = _poisson(comm)
    solver = LinearSolver(comm, a, [bc], name="poisson", kind="iterative",
                          options={"ksp_max_it": 1, "ksp_rtol": 1e-14})
    b = fpetsc.assemble_vector(L)
    u = fem.Function(V)   # keep the Function alive: its vector wraps its array
    with pytest.raises(SolverError, match="did not converge"):
        solver.solve(b, u.x.petsc_vec, "poisson")
    solver.destroy()


@pytest.mark.mpi
def test_variational_newton_converges_and_fails_cleanly(comm):
    import ufl
    from dolfinx import fem, mesh

    from interface.mechanics.solvers import VariationalNewton

    msh = mesh.create_unit_interval(comm, 16)
    V = fem.functionspace(msh, ("Lagrange", 1))
    u, v = fem.Function(V), ufl.TestFunction(V)
    facets = mesh.locate_entities_boundary(msh, 0, lambda x: np.full(x.shape[1], True))
    bc = fem.dirichletbc(0.0, fem.locate_dofs_topological(V, 0, facets), V)
    F = ((1 + u ** 2) * ufl.inner(ufl.grad(u), ufl.grad(v)) - v) * ufl.dx
    newton = VariationalNewton(comm, F, u, [bc], name="nl")
    assert newton.solve() <= 10 and np.all(np.isfinite(u.x.array))
    newton.destroy()
    bad = VariationalNewton(comm, F, u, [bc], name="nl", options={"snes_max_it": 1,
                                                                  "snes_rtol": 1e-14})
    u.x.array[:] = 50.0
    with pytest.raises(SolverError, match="SNES reason"):
        bad.solve("test")
    bad.destroy()


def test_stepper_grows_cuts_back_and_hits_milestones():
    st = Stepper(initial=0.1, growth=2.0, cutback=0.5, easy=3, milestones=[0.35])
    assert st.next(0.0, 1.0) == pytest.approx(0.1)
    st.accept(2)
    assert st.next(0.1, 1.0) == pytest.approx(0.2)
    assert st.next(0.2, 1.0) == pytest.approx(0.15)   # stops at the milestone 0.35
    st.accept(9)                                        # hard step: no growth
    assert st.step == pytest.approx(0.2)
    st.reject()
    assert st.step == pytest.approx(0.1)
    tries = []

    def solve(t, dt):
        tries.append(dt)
        if dt > 0.3:
            raise SolverError("too big")
        return 2

    st2 = Stepper(initial=1.0, growth=1.5, max_cutbacks=5)
    assert st2.march(0.0, 2.0, solve) >= 6
    assert max(d for d in tries if d <= 0.3) <= 0.3 and tries[0] == 1.0
    st3 = Stepper(initial=1.0, max_cutbacks=2)
    with pytest.raises(SolverError, match="cut-backs"):
        st3.march(0.0, 1.0, lambda t, dt: (_ for _ in ()).throw(SolverError("never")))


def _square(x):
    if x == 3:
        raise SolverError("task 3 diverged")
    return x * x


@pytest.mark.mpi
def test_task_farm_order_failures_and_setup(comm):
    farm = TaskFarm(comm)
    calls = []
    out = farm.map(lambda x, ctx: ctx + _square(x), list(range(7)),
                   setup=lambda: calls.append(1) or 100)
    assert out.results == [100, 101, 104, None, 116, 125, 136]
    assert out.failures == [(3, "task 3 diverged")]
    assert len(calls) == 1   # set up once on this rank
    assert sorted(k for r in comm.allgather(farm.mine(7)) for k in r) == list(range(7))


@pytest.mark.mpi
def test_task_farm_input_error_is_collective(comm):
    farm = TaskFarm(comm)

    def bad(x):
        if x == 1:
            raise InputError("no such material", key="stack.layers.x.material")
        return x

    with pytest.raises(InputError, match="no such material"):
        farm.map(bad, [0, 1, 2])
