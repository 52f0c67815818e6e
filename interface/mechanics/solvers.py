"""The solver layer every FE model uses: PETSc options, linear and Newton solves, time steps.

* :class:`PetscOptions`: options set under a solver's prefix (``ssbi_<model>_<n>_``) and
  removed in one place (``close()`` or the end of a ``with`` block).  Users add their own
  through the case's ``[solver.petsc]`` table (:func:`user_options`), passed straight on.
* :class:`LinearSolver`: a bilinear form assembled and factorised (or AMG set up) once,
  solved for many right-hand sides; direct (MUMPS) or CG + GAMG with the rigid-body
  near-nullspace; the converged reason checked on every solve.
* :class:`VariationalNewton`: DOLFINx's ``NonlinearProblem`` (SNES) under the model's
  prefix, for residuals written in UFL; convergence and finiteness checked.
* :class:`NewtonSolver`: PETSc SNES with residual and Jacobian callbacks, for models whose
  stress lives at quadrature points (return mappings); convergence and finiteness checked.
* :class:`Stepper`: the one load / time-step controller (growth after easy steps, cut-back
  after failures, exact stops at milestones), after FESTIM's ``Stepsize``.

Every solve raises :class:`~interface.errors.SolverError` (collectively) when it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from interface.backend import MPI, PETSc
from interface.errors import SolverError
from interface.mechanics.elasticity import rigid_body_modes, unique_prefix

__all__ = ["LinearSolver", "NewtonSolver", "PetscOptions", "Stepper", "VariationalNewton",
           "direct_options", "iterative_options", "model_prefix", "rigid_body_modes",
           "user_options"]


def model_prefix(model: str) -> str:
    """A PETSc options prefix unique within the programme: ``ssbi_<model>_<n>_``."""
    return unique_prefix(model)


def direct_options() -> dict[str, str]:
    """KSP options of a direct solve (MUMPS LU)."""
    return {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}


def iterative_options(rtol: float = 1e-9) -> dict:
    """KSP options of CG + smoothed-aggregation AMG (needs the rigid-body near-nullspace)."""
    return {"ksp_type": "cg", "ksp_rtol": rtol, "ksp_atol": 1e-30, "ksp_max_it": 2000,
            "pc_type": "gamg", "pc_gamg_type": "agg", "pc_gamg_coarse_eq_limit": 1000,
            "mg_levels_ksp_type": "chebyshev", "mg_levels_pc_type": "jacobi",
            "mg_levels_ksp_chebyshev_esteig_steps": 10}


def user_options(table: Mapping | None) -> dict[str, str]:
    """The ``[solver.petsc]`` table of a case as PETSc options (values as strings)."""
    out = {}
    for key, value in (table or {}).items():
        name = str(key).lstrip("-")
        out[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


class PetscOptions:
    """PETSc options under one prefix, set now and removed by :meth:`close`.

    Options of objects configured lazily (MUMPS ICNTL at factorisation, GAMG level
    smoothers at PCSetUp) must stay in the database while the solver lives, so the
    options are kept until the owner closes them, not deleted after ``setFromOptions``.
    """

    def __init__(self, prefix: str, options: Mapping[str, object]):
        self.prefix = prefix
        self.keys: list[str] = []
        db = PETSc.Options()
        for key, value in options.items():
            db[f"{prefix}{key}"] = value
            self.keys.append(f"{prefix}{key}")

    def close(self) -> None:
        """Remove the options from the database (idempotent)."""
        db = PETSc.Options()
        for key in self.keys:
            if db.hasName(key):
                db.delValue(key)
        self.keys = []

    def __enter__(self) -> PetscOptions:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LinearSolver:
    """A linear system assembled once and solved for many right-hand sides.

    Args:
        comm: communicator.
        a: compiled bilinear form (``dolfinx.fem.form``).
        bcs: Dirichlet conditions of the matrix.
        name: model name (prefix ``ssbi_<name>_<n>_``).
        kind: "direct" or "iterative".
        rtol: relative tolerance of the iterative solver.
        near_nullspace: the function space whose rigid-body modes precondition GAMG
            (iterative, 2D/3D), or None.
        spd: flag the matrix symmetric positive definite.
        options: extra PETSc options (a case's ``[solver.petsc]``), applied last.
    """

    def __init__(self, comm, a, bcs, *, name: str, kind: str = "direct", rtol: float = 1e-9,
                 near_nullspace=None, spd: bool = True, options: Mapping | None = None):
        import dolfinx.fem.petsc as fpetsc

        self.comm, self.a, self.bcs, self.kind = comm, a, list(bcs), kind
        self.A = fpetsc.assemble_matrix(a, bcs=self.bcs)
        self.A.assemble()
        self._nullspace = None
        if near_nullspace is not None and kind == "iterative":
            self._nullspace = rigid_body_modes(near_nullspace)
            self.A.setNearNullSpace(self._nullspace)
        if spd:
            self.A.setOption(PETSc.Mat.Option.SPD, True)
        self.prefix = model_prefix(name)
        base = direct_options() if kind == "direct" else iterative_options(rtol)
        self.options = PetscOptions(self.prefix, {**base, **dict(options or {})})
        self.ksp = PETSc.KSP().create(comm)
        self.ksp.setOptionsPrefix(self.prefix)
        self.ksp.setFromOptions()
        self.ksp.setOperators(self.A)
        self.ksp.setUp()
        self.iterations = 0

    def solve(self, b, x, what: str = "", point: dict | None = None) -> int:
        """Solve A x = b (b already lifted and with boundary values); return the iterations."""
        self.ksp.setInitialGuessNonzero(self.ksp.getType() != "preonly")
        self.ksp.solve(b, x)
        reason = self.ksp.getConvergedReason()
        its = self.ksp.getIterationNumber()
        if reason <= 0:
            raise SolverError(f"linear solve{' (' + what + ')' if what else ''} did not "
                              f"converge: KSP reason {reason} after {its} iterations",
                              point=point)
        self.iterations += its
        return its

    def destroy(self) -> None:
        """Free the PETSc objects and remove the options."""
        self.options.close()
        for obj in (self.ksp, self.A):
            obj.destroy()


class NewtonSolver:
    """PETSc SNES driven by residual / Jacobian callbacks (quadrature-point models).

    Args:
        comm: communicator.
        residual: ``f(x, b)``: assemble F(x) into b (x ghost-updated by the caller's
            callback wrapper here).
        jacobian: ``f(x, A)``: assemble J(x) into A.
        b, A: the residual vector and Jacobian matrix.
        name: model name (prefix ``ssbi_<name>_<n>_``).
        options: SNES / KSP options (defaults: Newton, basic line search, MUMPS).
        finite: a callable returning the local solution array, checked for finiteness.
    """

    DEFAULTS = {"snes_type": "newtonls", "snes_linesearch_type": "basic", "snes_max_it": 30,
                "snes_rtol": 1e-10, "snes_stol": 0.0, **direct_options()}

    def __init__(self, comm, residual: Callable, jacobian: Callable, b, A, *, name: str,
                 options: Mapping | None = None, finite: Callable | None = None):
        self.comm = comm
        self.prefix = model_prefix(name)
        self.options = PetscOptions(self.prefix, {**self.DEFAULTS, **dict(options or {})})
        self.snes = PETSc.SNES().create(comm)
        self.snes.setOptionsPrefix(self.prefix)
        self.snes.setFromOptions()
        self.snes.setFunction(lambda snes, x, f: residual(x, f), b)
        self.snes.setJacobian(lambda snes, x, J, P: jacobian(x, J), A)
        self._finite = finite
        self.iterations = 0

    def set_atol(self, atol: float) -> None:
        """Absolute residual tolerance (in the units of the residual)."""
        self.snes.setTolerances(atol=atol)

    def solve(self, x, what: str = "", point: dict | None = None) -> int:
        """Solve F(x) = 0 from x; return the Newton iterations (SolverError on failure)."""
        self.snes.solve(None, x)
        reason = self.snes.getConvergedReason()
        its = self.snes.getIterationNumber()
        ok = reason > 0
        if self._finite is not None:
            ok = ok and bool(np.all(np.isfinite(self._finite())))
        if not self.comm.allreduce(ok, op=MPI.LAND):
            raise SolverError(f"Newton{' (' + what + ')' if what else ''} did not converge: "
                              f"SNES reason {reason} after {its} iterations", point=point)
        self.iterations += its
        return its

    def destroy(self) -> None:
        """Free the SNES and remove the options."""
        self.options.close()
        self.snes.destroy()


class VariationalNewton:
    """DOLFINx ``NonlinearProblem`` under a model prefix, with checked convergence.

    Args:
        comm: communicator.
        F: residual form(s) (UFL); u: unknown Function(s); bcs: Dirichlet conditions.
        name: model name (prefix ``ssbi_<name>_<n>_``).
        options: SNES / KSP options (defaults as :class:`NewtonSolver`).
        J, kind, entity_maps: passed to ``NonlinearProblem``.
    """

    def __init__(self, comm, F, u, bcs=(), *, name: str, options: Mapping | None = None,
                 J=None, kind=None, entity_maps=None):
        from dolfinx.fem.petsc import NonlinearProblem

        self.comm, self.u = comm, u
        self.prefix = model_prefix(name)
        self.options = PetscOptions(self.prefix, {**NewtonSolver.DEFAULTS,
                                                  **dict(options or {})})
        self.problem = NonlinearProblem(F, u, bcs=list(bcs), J=J, kind=kind,
                                        petsc_options_prefix=self.prefix, petsc_options=None,
                                        entity_maps=entity_maps)
        self.problem.solver.setFromOptions()

    @property
    def snes(self):
        """The underlying SNES."""
        return self.problem.solver

    def solve(self, what: str = "", point: dict | None = None) -> int:
        """Solve from the current u; return the Newton iterations (SolverError on failure)."""
        self.problem.solve()
        reason = self.snes.getConvergedReason()
        its = self.snes.getIterationNumber()
        us = self.u if isinstance(self.u, list | tuple) else [self.u]
        ok = reason > 0 and all(bool(np.all(np.isfinite(w.x.array))) for w in us)
        if not self.comm.allreduce(ok, op=MPI.LAND):
            raise SolverError(f"Newton{' (' + what + ')' if what else ''} did not converge: "
                              f"SNES reason {reason} after {its} iterations", point=point)
        return its

    def destroy(self) -> None:
        """Remove the options (the NonlinearProblem frees its own PETSc objects)."""
        self.options.close()


@dataclass
class Stepper:
    """Adaptive step control for load and time marching.

    After a step that converged in at most ``easy`` iterations the next step grows by
    ``growth``; after a failure the step is cut by ``cutback`` and retried, at most
    ``max_cutbacks`` times in a row and never below ``min_step``.  ``milestones`` are
    hit exactly (the step is shortened to land on them).

    Args:
        initial: first step.
        growth, cutback: factors (> 1, < 1).
        easy: iterations at or below which the step grows.
        max_step, min_step: bounds of the step.
        max_cutbacks: consecutive cut-backs allowed before giving up.
        milestones: values of the marched variable to stop at exactly.
    """

    initial: float
    growth: float = 1.5
    cutback: float = 0.5
    easy: int = 8
    max_step: float = float("inf")
    min_step: float = 0.0
    max_cutbacks: int = 10
    milestones: Iterable[float] = ()
    step: float = field(init=False)
    _cuts: int = field(init=False, default=0)

    def __post_init__(self):
        if not (self.growth >= 1.0 and 0.0 < self.cutback < 1.0 and self.initial > 0):
            raise ValueError("Stepper needs growth >= 1, 0 < cutback < 1, initial > 0")
        self.step = float(self.initial)
        self.milestones = sorted(float(m) for m in self.milestones)

    def next(self, current: float, end: float) -> float:
        """The size of the next step from ``current`` (shortened to a milestone / the end)."""
        dt = min(self.step, self.max_step, end - current)
        for m in self.milestones:
            if current < m < current + dt:
                dt = m - current
                break
        return dt

    def accept(self, iterations: int) -> None:
        """A step converged in ``iterations``: grow the next one if it was easy."""
        self._cuts = 0
        if iterations <= self.easy:
            self.step = min(self.step * self.growth, self.max_step)

    def reject(self, reason: str = "", point: dict | None = None) -> None:
        """A step failed: cut back, or raise SolverError when no cut-back is left."""
        self._cuts += 1
        self.step *= self.cutback
        if self._cuts > self.max_cutbacks or self.step < self.min_step:
            raise SolverError(f"step failed after {self._cuts - 1} cut-backs"
                              + (f": {reason}" if reason else ""), point=point)

    def march(self, start: float, end: float, solve: Callable[[float, float], int],
              snapshot: Callable[[], object] | None = None,
              restore: Callable[[object], None] | None = None) -> int:
        """March from start to end: ``solve(t, dt) -> iterations`` (SolverError = retry).

        ``snapshot`` / ``restore`` save and roll back the state around a failed attempt.
        Returns the number of accepted steps.
        """
        t, steps = float(start), 0
        while t < end - 1e-12 * max(abs(end), 1.0):
            dt = self.next(t, end)
            state = snapshot() if snapshot is not None else None
            try:
                its = solve(t, dt)
            except SolverError as exc:
                if restore is not None:
                    restore(state)
                self.reject(str(exc), {"t": t, "dt": dt})
                continue
            self.accept(its)
            t += dt
            steps += 1
        return steps
