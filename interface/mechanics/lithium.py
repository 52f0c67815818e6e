"""Li metal pressed onto a rough electrolyte: elastic-plastic-creep body, unilateral contact.

Geometry (reference configuration): slab [0, L]^(d-1) x [0, T]; the contact face
is X_d = 0, the stack pressure p acts on X_d = T (traction -p e_d).  The
electrolyte is a rigid obstacle occupying X_d <= g(X'), g = h - max(h) (the
highest asperity touches the undeformed slab).  The elastic compliance of the
electrolyte is included exactly in the elastic regime by giving Li the pair's
contact modulus E* (:func:`interface.mechanics.viscoplastic.equivalent_rigid_pair`;
Li6PS5Cl is 3x stiffer than Li, so its own plastic/creep deformation is nil and
its elastic deflection at 1 MPa over a 10 um wavelength is ~0.1 nm, docs/theory/lithium.md).

Frictionless unilateral contact is enforced exactly at the contact-face nodes of
the P2 displacement by bounds on the normal displacement, solved with PETSc SNES
VI (``vinewtonrsls``)::

    u_d(X', 0) >= l(X') = g(X') - s(X'),   s = stripped Li thickness (0 without stripping)

Lateral faces: rollers (u . n = 0): the surface is the mirror-symmetric extension
of h (exact for cosine test surfaces).  Constitutive law: the return mapping of
:mod:`interface.mechanics.viscoplastic` at quadrature points (degree 2), with the
stress and consistent tangent stored in quadrature spaces.  Time integration:
backward Euler with adaptive steps (grow after fast Newton convergence, cut and
retry after a failure; every step checks the SNES converged reason).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import basix.ufl  # noqa: E402,I001  (after the backend, which orders the DOLFINx imports)
import numpy as np

from interface.backend import KERNEL_JIT_OPTIONS, MPI, PETSc, dolfinx, ufl
from interface.errors import SolverError
from interface.mechanics.elasticity import rigid_body_modes, unique_prefix
from interface.mechanics.viscoplastic import SQ2, LithiumMaterial, return_mapping

fem = dolfinx.fem
fpetsc = dolfinx.fem.petsc
dmesh = dolfinx.mesh

_INSERT, _ADD = PETSc.InsertMode.INSERT, PETSc.InsertMode.ADD
_FWD, _REV = PETSc.ScatterMode.FORWARD, PETSc.ScatterMode.REVERSE


# ----------------------------------------------------------------------------- mesh
def _solve_grading_beta(n, ratio):
    """Beta such that (exp(beta/n)-1)/(exp(beta)-1) = ratio (ratio < 1/n)."""
    if ratio >= 1.0 / n:
        return 0.0
    lo, hi = 1e-8, 200.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        r = np.expm1(mid / n) / np.expm1(mid)
        lo, hi = (mid, hi) if r > ratio else (lo, mid)
    return 0.5 * (lo + hi)


def create_slab_mesh(
    comm,
    dim: int,
    length: float,
    thickness: float,
    n_lateral: int,
    n_normal: int,
    first_height: float | None = None,
    diagonal="right",
    lateral_grading: float = 0.0,
):
    """Structured simplex mesh of the slab, graded towards the contact face X_d = 0.

    ``first_height``: height of the first element layer (default: lateral size L/n).
    ``lateral_grading`` c in [0, 1): lateral coordinates X = L (xi - c sin(2 pi xi)/(2 pi)),
    spacing (1 - c cos 2 pi xi) L/n (finer at the lateral faces).
    """
    if not 0.0 <= lateral_grading < 1.0:
        raise ValueError(f"lateral_grading must lie in [0, 1), got {lateral_grading}")
    if dim == 2:
        msh = dmesh.create_rectangle(
            comm,
            [np.array([0.0, 0.0]), np.array([length, 1.0])],
            [n_lateral, n_normal],
            dmesh.CellType.triangle,
            diagonal=getattr(dmesh.DiagonalType, diagonal),
        )
    else:
        msh = dmesh.create_box(
            comm,
            [np.array([0.0, 0.0, 0.0]), np.array([length, length, 1.0])],
            [n_lateral, n_lateral, n_normal],
            dmesh.CellType.tetrahedron,
        )
    h0 = length / n_lateral if first_height is None else first_height
    beta = _solve_grading_beta(n_normal, h0 / thickness)
    xg = msh.geometry.x
    xi = xg[:, dim - 1].copy()
    xg[:, dim - 1] = thickness * (xi if beta == 0 else np.expm1(beta * xi) / np.expm1(beta))
    if lateral_grading > 0.0:
        for ax in range(dim - 1):
            xi = xg[:, ax] / length
            xg[:, ax] = length * (xi - lateral_grading * np.sin(2 * np.pi * xi) / (2 * np.pi))
    return msh


def _lattice_weights(c, tol):
    """Trapezoidal weights for (possibly repeated) 1D lattice coordinates c."""
    key = np.round(c / tol).astype(np.int64)
    uk, inv = np.unique(key, return_inverse=True)
    xs = uk * tol
    w = np.zeros(xs.size)
    if xs.size > 1:
        d = np.diff(xs)
        w[:-1] += 0.5 * d
        w[1:] += 0.5 * d
    else:
        w[:] = 1.0
    return w[inv]


# ----------------------------------------------------------------------------- solver
class _InactiveBlock:
    """Matrix-free J_II (petsc4py python context): y = (J [x; 0])_I with a block matrix J.

    The reduced-space VI solver multiplies by the submatrix of its Jacobian on the
    inactive set I once per Krylov iteration.  As an AIJ submatrix that product costs
    ~3x a product with the block (BAIJ) matrix it came from (3D P2, 106k DOFs); here it
    is a product with the block matrix between two local scatters.
    """

    def __init__(self, J, inactive):
        self.J = J
        self.full_in, self.full_out = J.createVecs()
        self.full_in.set(0.0)  # the active entries stay zero: the scatter inserts I only
        xr = PETSc.Vec().createMPI((inactive.getLocalSize(), PETSc.DECIDE), comm=J.getComm())
        self.scatter = PETSc.Scatter().create(self.full_in, inactive, xr, None)
        xr.destroy()

    def mult(self, mat, x, y):
        self.scatter.scatter(x, self.full_in, addv=_INSERT, mode=PETSc.ScatterMode.REVERSE)
        self.J.mult(self.full_in, self.full_out)
        self.scatter.scatter(self.full_out, y, addv=_INSERT, mode=PETSc.ScatterMode.FORWARD)

    def destroy(self, mat=None):
        for obj in (self.full_in, self.full_out, self.scatter):
            obj.destroy()


class _BlockJacobian:
    """The Jacobian as the VI solver sees it (python context around the BAIJ matrix).

    Products go to the block matrix; the inactive-set submatrix the solver asks for
    each Newton iteration is a :class:`_InactiveBlock` operator instead of an AIJ copy
    (no submatrix extraction, a ~3x cheaper product).  Only for a full-space
    preconditioner (which builds its own matrices from the model's).
    """

    def __init__(self, J):
        self.J = J

    def mult(self, mat, x, y):
        self.J.mult(x, y)

    def multTranspose(self, mat, x, y):  # noqa: N802  (petsc4py callback name)
        self.J.multTranspose(x, y)

    def createSubMatrix(self, mat, isrow, iscol, submat=None):  # noqa: N802
        if submat is not None:  # vinewtonrsls asks for a new submatrix every iteration
            raise NotImplementedError("_BlockJacobian: MAT_REUSE_MATRIX submatrices")
        n = isrow.getLocalSize()
        sub = PETSc.Mat().createPython(((n, PETSc.DECIDE), (n, PETSc.DECIDE)),
                                       context=_InactiveBlock(self.J, isrow), comm=mat.getComm())
        sub.setUp()
        return sub


class FullSpacePC:
    """Preconditioner of the reduced-space VI Newton system, built on the full space.

    ``vinewtonrsls`` solves J_II y_I = -F_I on the inactive set I (the contact DOFs
    that sit on the obstacle are removed).  The submatrix J_II changes size whenever
    the contact set changes and has lost the block structure and the rigid-body
    near-nullspace.  This PC (a petsc4py python context) works on the full-space
    matrix with the active rows and columns replaced by a diagonal,

        A_mod = [[J_II, 0], [0, D_AA]],   so   A_mod^-1 restricted to I = J_II^-1

    (D_AA: J's diagonal on the active rows), and applies an inner preconditioner of
    A_mod to [x; 0], keeping the I part.  Subclasses choose the inner preconditioner
    (:class:`FullSpaceAMG`, :class:`FullSpacePMG`, :class:`LaggedFullSpaceLU`); the
    class attribute ``max_its`` chooses when it is rebuilt (:meth:`needs_rebuild`).
    """

    inner_prefix = "inner_"

    def __init__(self, model, base: dict, options: dict):
        self.model = model
        self.Am = None
        self.inner = PETSc.PC().create(model.comm)
        pre = model.prefix + self.inner_prefix
        self.inner.setOptionsPrefix(pre)
        opts = PETSc.Options()
        base = dict(base) | dict(options)
        for k, v in base.items():
            opts[pre + k] = v
        self.inner.setFromOptions()
        # the options stay in the database until the first set-up (the levels of a
        # multigrid PC read theirs there) and are removed after it
        self._option_keys = [pre + k for k in base]
        self.full_in = model.x.duplicate()
        self.full_out = model.x.duplicate()
        self.scatter = None
        self.setups = 0  # inner preconditioner set-ups (factorisations / AMG hierarchies)
        self.calls = 0  # PC set-ups requested by the Krylov solver (one per Newton iteration)

    #: None: rebuild the inner preconditioner every Newton iteration; an integer:
    #: keep it until a Krylov solve needs more than ``max_its`` iterations or fails
    max_its: int | None = None

    def needs_rebuild(self) -> bool:
        """Whether the inner preconditioner is rebuilt for the current Newton iterate."""
        if self.max_its is None:
            return True
        ksp = self.model.snes.getKSP()
        return ksp.getConvergedReason() < 0 or ksp.getIterationNumber() > self.max_its

    def _prepare_matrix(self, Am):
        """Hook: attach data (near-nullspace) to the full-space matrix on creation."""

    def setUp(self, pc):  # noqa: N802  (petsc4py callback name)
        """Map the current inactive set; rebuild A_mod and the inner PC when asked."""
        m = self.model
        inact = m.snes.getVIInactiveSet()
        self.calls += 1
        if self.Am is None or self.needs_rebuild():
            rstart, rend = m.A.getOwnershipRange()
            act = inact.complement(rstart, rend)
            if self.Am is None:
                self._diag = m.A.createVecLeft()
            m.A.getDiagonal(self._diag)
            self.Am = self._modified(m.A, self.Am, act)
            self._set_operators(act)
            act.destroy()
            self.inner.setUp()
            self.setups += 1
            self._forget_options()
        op, _ = pc.getOperators()
        xr = op.createVecRight()
        if self.scatter is not None:
            self.scatter.destroy()
        self.scatter = PETSc.Scatter().create(self.full_in, inact, xr, None)
        xr.destroy()

    def _modified(self, J, Am, act):
        """A_mod of the Jacobian J (any matrix type) in Am (created on the first call).

        Active rows/columns become diagonal rows that keep J's own diagonal (scaled
        like their neighbours: coarse levels see an active node as stiffly held, not
        as a unit spring); A_mod^-1 on I is unchanged.
        """
        if Am is None:
            Am = J.duplicate(copy=True)
            self._prepare_matrix(Am)
        else:
            J.copy(Am, structure=PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
        Am.zeroRowsColumns(act, diag=1.0)
        Am.setDiagonal(self._diag, addv=_INSERT)
        return Am

    def _set_operators(self, act):
        """Hook: hand the rebuilt A_mod to the inner preconditioner."""
        self.inner.setOperators(self.Am, self.Am)

    def apply(self, pc, x, y):
        """Apply the inner preconditioner of A_mod to [x; 0] and keep the inactive part."""
        self.full_in.set(0.0)
        self.scatter.scatter(x, self.full_in, addv=_INSERT, mode=PETSc.ScatterMode.REVERSE)
        self.inner.apply(self.full_in, self.full_out)
        self.scatter.scatter(self.full_out, y, addv=_INSERT, mode=PETSc.ScatterMode.FORWARD)

    def _forget_options(self):
        """Remove this PC's options from the database (after the first set-up, or unused)."""
        opts = PETSc.Options()
        for k in self._option_keys:
            opts.delValue(k)
        self._option_keys = []

    def destroy(self, pc=None):
        """Free the PETSc objects (and the options of a PC that was never set up)."""
        self._forget_options()
        for obj in (self.inner, self.Am, self.full_in, self.full_out, self.scatter,
                    getattr(self, "_diag", None)):
            if obj is not None:
                obj.destroy()


class FullSpaceAMG(FullSpacePC):
    """GAMG with the rigid-body modes on the full-space matrix, rebuilt every Newton iteration.

    GAMG on J_II itself fails once the slab is pressure controlled (the vertical
    translation is held by a few contact nodes and the weak k_reg term only); A_mod
    keeps the block size and the rigid-body modes.  The interpolation is reused
    across set-ups (same pattern, ``pc_gamg_reuse_interpolation``).
    """

    inner_prefix = "amg_"

    def __init__(self, model, options: dict):
        base = {"pc_type": "gamg", "pc_gamg_reuse_interpolation": True,
                "pc_gamg_threshold": 0.01, "mg_levels_ksp_type": "chebyshev",
                "mg_levels_pc_type": "jacobi"}
        self.nullspace = rigid_body_modes(model.V)
        super().__init__(model, base, options)

    def _prepare_matrix(self, Am):
        Am.setNearNullSpace(self.nullspace)


class LaggedFullSpaceLU(FullSpacePC):
    """An LU factorisation (MUMPS) of A_mod, kept across Newton iterations and time steps.

    The factorisation of an earlier A_mod preconditions the Krylov solve of the
    current J_II; it is refactorised when the previous Krylov solve needed more
    than ``max_its`` iterations or did not converge.  Between refactorisations a
    Newton iteration costs one Jacobian assembly and a few triangular solves instead
    of a factorisation (3D P2, 106k DOFs: 11 s per factorisation, 0.15 s per solve,
    1 rank).
    """

    inner_prefix = "lu_"

    def __init__(self, model, options: dict, max_its: int = 25):
        base = {"pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}
        self.max_its = int(max_its)
        super().__init__(model, base, options)


class FullSpacePMG(FullSpacePC):
    """Two-level p-multigrid on the full-space matrix: P2 smoother, P1 Galerkin coarse solve.

    The coarse space is the P1 vector space on the same mesh (interpolation matrix
    P1 -> P2); the coarse operator P^T A_mod P is formed by Galerkin products (about 1/7
    of the DOFs in 3D); the P2 level is smoothed by Chebyshev-Jacobi.  Rebuilt every
    Newton iteration (the symbolic products are reused).

    ``coarse_solver`` (class attribute) chooses the coarse solve: ``"amg"`` (default)
    three V-cycles (Richardson) of smoothed-aggregation AMG (GAMG, the P1 rigid-body
    modes as near-nullspace, its interpolation built once and reused); ``"cholesky"``
    a MUMPS Cholesky factorisation (an exact coarse solve).  The AMG cycles are a fixed
    symmetric operator, so CG stays valid.  Measured on the 106k-DOF benchmark (2 ranks,
    the same 22 time steps): the set-up per Newton iteration 0.24 -> 0.11 s (no
    factorisation), 9 % more CG iterations, 260 -> 233 Newton iterations and
    312.8 -> 263.6 s for the same contact fraction.

    With ``blocked`` (default) the model assembles its Jacobian in block format
    (``model.A_blocked``, BAIJ 3 x 3), the P2 level (smoother and residual) multiplies
    by a block copy of A_mod and the VI solver's J_II products go through the block
    matrix too (:class:`_BlockJacobian`): a block product is ~3x faster than the AIJ
    one (3D P2, 106k DOFs: 2.1 vs 6.3 ms on 2 ranks, 3.3 vs 12.6 ms on 1).  Only the
    Galerkin product P^T A_mod P needs AIJ (PETSc has none for BAIJ): it is formed
    from the model's AIJ conversion ``model.A``.  The coarse operator is SPD (as CG
    needs A_mod to be).
    """

    inner_prefix = "pmg_"

    #: read by :class:`LiContactModel` on construction: assemble the Jacobian in block
    #: format and multiply by a block copy of A_mod on the P2 level (False: AIJ only)
    blocked: bool = True

    #: the coarse solve: "amg" (3 GAMG V-cycles) or "cholesky" (MUMPS factorisation)
    coarse_solver: str = "amg"

    #: PETSc options of the coarse level for each ``coarse_solver``
    COARSE_OPTIONS = {
        "amg": {"mg_coarse_ksp_type": "richardson", "mg_coarse_ksp_max_it": 3,
                "mg_coarse_ksp_norm_type": "none", "mg_coarse_pc_type": "gamg",
                "mg_coarse_pc_gamg_reuse_interpolation": True,
                "mg_coarse_pc_gamg_threshold": 0.01,
                "mg_coarse_mg_levels_ksp_type": "chebyshev",
                "mg_coarse_mg_levels_pc_type": "jacobi"},
        "cholesky": {"mg_coarse_ksp_type": "preonly", "mg_coarse_pc_type": "cholesky",
                     "mg_coarse_pc_factor_mat_solver_type": "mumps"},
    }

    def __init__(self, model, options: dict):
        self.blocked = model.A_blocked is not None
        self.Ab, self.Ac = None, None
        if self.coarse_solver not in self.COARSE_OPTIONS:
            raise ValueError(f"FullSpacePMG.coarse_solver must be one of "
                             f"{sorted(self.COARSE_OPTIONS)}, not {self.coarse_solver!r}")
        # the levels get their operators explicitly (the coarse one carries the
        # near-nullspace GAMG needs)
        base = {"pc_type": "mg", "pc_mg_levels": 2, "pc_mg_galerkin": "none",
                "pc_mg_type": "multiplicative", "pc_mg_cycle_type": "v",
                "mg_levels_ksp_type": "chebyshev", "mg_levels_pc_type": "jacobi",
                "mg_levels_ksp_max_it": 2} | self.COARSE_OPTIONS[self.coarse_solver]
        d = model.dim
        if model.V.ufl_element().basix_element.degree != 2:
            raise ValueError("linear_solver='pmg' needs degree 2 (P2 -> P1 levels)")
        V1 = fem.functionspace(model.msh, ("Lagrange", 1, (d,)))
        self.P = fpetsc.interpolation_matrix(V1, model.V)
        self.P.assemble()
        self.coarse_nullspace = rigid_body_modes(V1)
        super().__init__(model, base, options)
        self.inner.setMGInterpolation(1, self.P)

    def _set_operators(self, act):
        fine = self.Am
        if self.blocked:
            self.Ab = self._modified(self.model.A_blocked, self.Ab, act)
            fine = self.Ab
        first = self.Ac is None
        self.Ac = self.Am.ptap(self.P, result=self.Ac)
        if first:
            self.Ac.setNearNullSpace(self.coarse_nullspace)
        # SPD (as CG needs A_mod to be): the Cholesky coarse solve factorises it LL^T
        # (14% faster than LU on the 14.5k-DOF coarse level of the 106k benchmark)
        self.Ac.setOption(PETSc.Mat.Option.SPD, True)
        self.inner.setOperators(fine, fine)
        self.inner.getMGCoarseSolve().setOperators(self.Ac, self.Ac)

    def destroy(self, pc=None):
        """Free the PETSc objects."""
        super().destroy(pc)
        for obj in (self.P, self.Ab, self.Ac, self.coarse_nullspace):
            if obj is not None:
                obj.destroy()


_CG = {"ksp_type": "cg", "ksp_rtol": 1e-8, "ksp_max_it": 1000}
#: linear_solver -> (full-space preconditioner class or None, KSP options)
LINEAR_SOLVERS = {
    "lu": (None, {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}),
    "amg": (FullSpaceAMG, _CG),
    "pmg": (FullSpacePMG, _CG),
    # a failed inner solve (lagged factors too far off) is not fatal: the Newton
    # step takes the approximate direction and the factors are renewed
    "lagged-lu": (LaggedFullSpaceLU, {"ksp_type": "gmres", "ksp_gmres_restart": 60,
                                      "ksp_rtol": 1e-8, "ksp_max_it": 60,
                                      "snes_max_linear_solve_fail": 10**6}),
}


# ----------------------------------------------------------------------------- model
@dataclass
class StepInfo:
    """Outcome of one nonlinear step."""

    converged: bool
    its: int
    reason: int
    wall: float
    lin_its: int = 0


@dataclass
class History:
    """Time histories of a run (time, pressure, contact fraction, mean gap, ...)."""

    t: list = field(default_factory=list)
    p: list = field(default_factory=list)
    frac: list = field(default_factory=list)
    gap: list = field(default_factory=list)
    its: list = field(default_factory=list)
    dt: list = field(default_factory=list)
    stripped: list = field(default_factory=list)

    def append(self, **kw):
        """Append one value to each named history."""
        for k, v in kw.items():
            getattr(self, k).append(v)

    def as_dict(self):
        """The histories as lists."""
        return {k: list(v) for k, v in self.__dict__.items()}


class LiContactModel:
    """Li slab on a rigid rough electrolyte surface, pressure controlled.

    Args:
        comm: MPI communicator.
        surface: callable h(x) (dim 2, x: (n,) array) or h(x, y) (dim 3), heights [m].
        length: lateral period/size L [m]; thickness: slab thickness T [m].
        n_lateral, n_normal: elements along L and T.
        material: LithiumMaterial.
        dim: 2 (plane strain) or 3.
        first_height: first layer height (default L/n_lateral).
        prefix: unique PETSc options prefix for this solver.
        k_reg: relative weight of a weak viscous regularisation k (u - u_n).v with
            k = k_reg * E / T^2 (keeps the pressure-controlled problem non-singular
            before contact; its force is ~k_reg*E*|du|/T per area, negligible).
        petsc_options: extra SNES/KSP options.
        linear_solver: "lu" (MUMPS every Newton iteration, default); for large 3D
            patches a Krylov method with a full-space preconditioner
            (:class:`FullSpacePC`): "pmg" (CG + :class:`FullSpacePMG`, P2 -> P1
            two-level multigrid; degree 2 only), "amg" (CG + :class:`FullSpaceAMG`,
            GAMG with the rigid-body modes) or "lagged-lu" (GMRES +
            :class:`LaggedFullSpaceLU`, MUMPS factors reused across iterations and
            steps).  Krylov tolerances through ``petsc_options`` (``ksp_rtol``).
        lateral_grading: c in [0, 1): lateral node spacing (1 - c cos(2 pi X/L)) L/n,
            i.e. refined by 1 - c at the lateral faces (the peaks and valleys of a
            cosine surface) and coarsened by 1 + c in the middle.
        atol_rel: Newton absolute residual tolerance per unit load, atol = atol_rel p L^(d-1).
        pc_options: options of the inner preconditioner of a full-space PC (e.g.
            ``{"mg_levels_ksp_max_it": 3}``).
        lateral: "rollers" (u.n = 0 on all lateral faces; default) or "symmetry"
            (u.n = 0 on the faces X_i = 0 only, the opposite faces traction free).
        ksp_rtol_far: inexact Newton for the Krylov solvers: the Krylov tolerance while
            the Newton residual is above ``far_ratio`` (1e-3) times its value at the
            start of the step (the contact set is still settling, an accurate
            direction is wasted); below it the tolerance from ``petsc_options``, raised
            to ``last_step_safety`` (0.25) x atol/|F| where that is looser (the last
            Newton iteration only has to reach atol).  None: one tolerance throughout.
            Ignored with "lu".
    """

    def __init__(
        self,
        comm,
        surface,
        length,
        thickness,
        n_lateral,
        n_normal,
        material: LithiumMaterial | None = None,
        dim=2,
        degree=2,
        first_height=None,
        prefix=None,
        k_reg=1e-9,
        petsc_options=None,
        linesearch="l2",
        lateral="rollers",
        linear_solver="lu",
        lateral_grading=0.0,
        atol_rel=1e-10,
        pc_options=None,
        ksp_rtol_far=1e-2,
    ):
        if linear_solver not in LINEAR_SOLVERS:
            raise ValueError(f"linear_solver: one of {', '.join(map(repr, LINEAR_SOLVERS))}, "
                             f"got {linear_solver!r}")
        if pc_options and LINEAR_SOLVERS[linear_solver][0] is None:
            raise ValueError(f"pc_options need a full-space preconditioner, not {linear_solver!r}")
        self.comm = comm
        self.dim = d = dim
        self.L, self.T = float(length), float(thickness)
        self.mat = material if material is not None else LithiumMaterial()
        self.msh = create_slab_mesh(comm, dim, length, thickness, n_lateral, n_normal, first_height,
                                    lateral_grading=lateral_grading)
        self.atol_rel = float(atol_rel)
        self.m = 4 if d == 2 else 6
        self.prefix = prefix = prefix or unique_prefix("lithium")
        msh = self.msh
        fdim = d - 1
        msh.topology.create_connectivity(fdim, d)

        self.V = fem.functionspace(msh, ("Lagrange", degree, (d,)))
        self.u = fem.Function(self.V, name="u")
        self.u_old = fem.Function(self.V)
        qdeg = 2 if degree == 2 else 1
        cell = msh.topology.cell_name()
        Qv = fem.functionspace(
            msh, basix.ufl.quadrature_element(cell, value_shape=(self.m,), degree=qdeg)
        )
        Qt = fem.functionspace(
            msh, basix.ufl.quadrature_element(cell, value_shape=(self.m, self.m), degree=qdeg)
        )
        self.Qv = Qv
        self.sig = fem.Function(Qv)
        self.Ct = fem.Function(Qt)
        self.eps_q = fem.Function(Qv)
        self.eps_expr = fem.Expression(self._eps_m(self.u), Qv.element.interpolation_points)
        nq = self.sig.x.array.size // self.m
        self.nq = nq
        self.eps_in = np.zeros((nq, self.m))
        self.kappa = np.zeros(nq)
        self.eps_in_new = self.eps_in.copy()
        self.kappa_new = self.kappa.copy()
        self.q_eq = np.zeros(nq)
        self.dt = 0.0
        self.n_residuals = 0  # residual evaluations (line searches included), for profiling
        #: Newton predictor of the adaptive time steps: None (start from the last state)
        #: or "previous" (add the last accepted step's displacement increment, scaled
        #: by min(1, dt/dt_last); skipped after a pressure change and when stripping)
        self.predictor = None
        self._du_last, self._p_last, self._du_last_ok = None, None, False
        self.tangent_type = "consistent"
        self.tangent_blend = 0.0

        # boundary facets
        tol = 1e-9 * self.T
        bottom = dmesh.locate_entities_boundary(
            msh, fdim, lambda x: np.isclose(x[d - 1], 0.0, atol=tol)
        )
        top = dmesh.locate_entities_boundary(
            msh, fdim, lambda x: np.isclose(x[d - 1], self.T, atol=tol)
        )
        mt = dmesh.meshtags(
            msh,
            fdim,
            np.concatenate([bottom, top]).astype(np.int32),
            np.concatenate([np.full(bottom.size, 1, np.int32), np.full(top.size, 2, np.int32)]),
        )
        order = np.argsort(mt.indices)
        mt = dmesh.meshtags(msh, fdim, mt.indices[order], mt.values[order])
        ds = ufl.Measure("ds", domain=msh, subdomain_data=mt)
        self.ds = ds

        # rollers on lateral faces
        bcs = []
        for ax in range(d - 1):
            ltol = 1e-9 * self.L
            if lateral == "rollers":  # u.n = 0 on both lateral faces of each axis

                def mark(x, ax=ax, ltol=ltol):
                    return np.isclose(x[ax], 0.0, atol=ltol) | np.isclose(x[ax], self.L, atol=ltol)
            elif lateral == "symmetry":  # u.n = 0 on X_ax = 0 only, other face traction-free

                def mark(x, ax=ax, ltol=ltol):
                    return np.isclose(x[ax], 0.0, atol=ltol)
            else:
                raise ValueError(lateral)
            fac = dmesh.locate_entities_boundary(msh, fdim, mark)
            dofs = fem.locate_dofs_topological(self.V.sub(ax), fdim, fac)
            bcs.append(fem.dirichletbc(np.float64(0.0), dofs, self.V.sub(ax)))
        self.bcs_lateral = bcs
        # optional rigid-platen displacement control of the loaded face (loading phase)
        self.U_top = fem.Constant(msh, PETSc.ScalarType(0.0))
        self.top_dofs = fem.locate_dofs_topological(self.V.sub(d - 1), fdim, top)
        self.bc_top = fem.dirichletbc(self.U_top, self.top_dofs, self.V.sub(d - 1))
        self.bcs = bcs  # active list (pressure control by default)

        # forms
        v = ufl.TestFunction(self.V)
        du = ufl.TrialFunction(self.V)
        dxq = ufl.Measure(
            "dx", domain=msh, metadata={"quadrature_degree": qdeg, "quadrature_scheme": "default"}
        )
        self.p = fem.Constant(msh, PETSc.ScalarType(0.0))
        self.k = fem.Constant(msh, PETSc.ScalarType(k_reg * self.mat.E / self.T**2))
        ev = self._eps_m(v)
        F = (
            ufl.inner(self.sig, ev) * dxq
            + self.p * v[d - 1] * ds(2)
            + self.k * ufl.inner(self.u - self.u_old, v) * dxq
        )
        J = ufl.inner(ufl.dot(self.Ct, self._eps_m(du)), ev) * dxq + self.k * ufl.inner(du, v) * dxq
        self.F_form = fem.form(F, jit_options=KERNEL_JIT_OPTIONS)
        self.J_form = fem.form(J, jit_options=KERNEL_JIT_OPTIONS)
        #: for a full-space preconditioner that asks for it (class attribute ``blocked``,
        #: :class:`FullSpacePMG`) the Jacobian is assembled in block format (BAIJ, 3 x 3:
        #: one index search per block); the VI solver multiplies through it (``J_vi``,
        #: :class:`_BlockJacobian`) and its AIJ conversion ``A`` feeds the preconditioner
        #: (PETSc has no Galerkin product for BAIJ)
        self.A_blocked = None
        if getattr(LINEAR_SOLVERS[linear_solver][0], "blocked", False):
            self.A_blocked = fpetsc.create_matrix(self.J_form, "baij")
            self._assemble_jacobian(self.A_blocked)  # the pattern (values: Ct = 0)
            self.A = PETSc.Mat()
            self.A_blocked.convert(PETSc.Mat.Type.AIJ, self.A)
        else:
            self.A = fpetsc.create_matrix(self.J_form)
        self.b = fpetsc.create_vector(self.V)
        self.x = fpetsc.create_vector(self.V)
        self._r = fpetsc.create_vector(self.V)
        n_own_b = self.V.dofmap.index_map.size_local * self.V.dofmap.index_map_bs
        self._top_owned = self.top_dofs[self.top_dofs < n_own_b]

        # contact DOFs (owned, vertical component, contact face)
        bs = self.V.dofmap.index_map_bs
        n_own = self.V.dofmap.index_map.size_local * bs
        cdofs = fem.locate_dofs_topological(self.V.sub(d - 1), fdim, bottom)
        cdofs = np.sort(cdofs[cdofs < n_own])
        self.cdofs = cdofs
        X = self.V.tabulate_dof_coordinates()[cdofs // bs][:, : d - 1]
        self.cX = X
        hX = np.asarray(
            surface(X[:, 0]) if d == 2 else surface(X[:, 0], X[:, 1]), dtype=float
        ).ravel()
        hmax = comm.allreduce(hX.max() if hX.size else -np.inf, op=MPI.MAX)
        self.g = hX - hmax  # obstacle (<= 0)
        self.s = np.zeros_like(self.g)  # stripped thickness
        # lattice weights (global trapezoid) for area integrals over the contact face
        self._setup_weights()

        self.xl = self.x.duplicate()
        self.xu = self.x.duplicate()
        self.xl.set(PETSc.NINFINITY)
        self.xu.set(PETSc.INFINITY)

        # SNES
        snes = PETSc.SNES().create(comm)
        snes.setOptionsPrefix(prefix)
        snes.setFunction(self._residual, self.b)
        # with the block Jacobian the VI solver multiplies through it (matrix-free J_II)
        self.J_vi = self.A
        if self.A_blocked is not None:
            self.J_vi = PETSc.Mat().createPython(self.A.getSizes(),
                                                 context=_BlockJacobian(self.A_blocked), comm=comm)
            self.J_vi.setUp()
        snes.setJacobian(self._jacobian, self.J_vi)
        opts = PETSc.Options()
        base = {
            "snes_type": "vinewtonrsls",
            "snes_linesearch_type": linesearch,
            "snes_max_it": 30,
            "snes_rtol": 1e-9,
            "snes_stol": 0.0,
            "snes_vi_zero_tolerance": 1e-14,
        }
        pc_class, ksp_options = LINEAR_SOLVERS[linear_solver]
        base |= ksp_options
        if petsc_options:
            base.update(petsc_options)
        for k_, v_ in base.items():
            opts[prefix + k_] = v_
        snes.setFromOptions()
        for k_ in base:  # keep the global options database clean
            opts.delValue(prefix + k_)
        self.snes = snes
        self.fullspace_pc = None
        if pc_class is not None:
            self.fullspace_pc = pc_class(self, dict(pc_options or {}))
            pc = snes.getKSP().getPC()
            pc.setType(PETSc.PC.Type.PYTHON)
            pc.setPythonContext(self.fullspace_pc)
        self.ksp_rtol_far = ksp_rtol_far if pc_class is not None else None
        self._ksp_rtol = snes.getKSP().getTolerances()[0]
        self._f0 = 0.0
        if self.ksp_rtol_far is not None:
            snes.setMonitor(self._forcing)
        self.A.setOptionsPrefix(prefix + "A_")
        self.set_tolerances()
        self.history = History()
        self.time = 0.0
        self._update_bounds()

    # ------------------------------------------------------------------ helpers
    def _eps_m(self, w):
        e = ufl.sym(ufl.grad(w))
        if self.dim == 2:
            return ufl.as_vector([e[0, 0], e[1, 1], 0.0, SQ2 * e[0, 1]])
        return ufl.as_vector(
            [e[0, 0], e[1, 1], e[2, 2], SQ2 * e[1, 2], SQ2 * e[0, 2], SQ2 * e[0, 1]]
        )

    #: residual ratio |F|/|F_0| below which the tight Krylov tolerance is used
    far_ratio = 1e-3
    #: below it, the Krylov rtol is raised to safety * atol/|F| (capped at ksp_rtol_far)
    #: when that is looser: the last Newton iteration only has to reach atol (0.25: 24k
    #: DOF 1 h benchmark, 5 597 -> 4 882 CG iterations, same steps and contact fraction;
    #: 0.075: 5 065; 0.75: an extra step)
    last_step_safety = 0.25

    def _forcing(self, snes, it, fnorm):
        """SNES monitor: Krylov tolerance for the next Newton iteration (``ksp_rtol_far``)."""
        if it == 0:
            self._f0 = fnorm
        far = fnorm > self.far_ratio * self._f0
        rtol = max(self.ksp_rtol_far, self._ksp_rtol) if far else self._ksp_rtol
        if not far and self.last_step_safety and fnorm > 0.0:
            # the last Newton iteration needs the residual reduced to atol only
            atol = snes.getTolerances()[1]  # (rtol, atol, stol, max_it)
            rtol = max(rtol, min(self.ksp_rtol_far, self.last_step_safety * atol / fnorm))
        snes.getKSP().setTolerances(rtol=rtol)

    def set_tolerances(self, p_ref=None):
        """Absolute residual tolerance scaled with the load: atol_rel p L^(d-1)."""
        p_ref = max(abs(float(self.p.value)), 1e3) if p_ref is None else p_ref
        atol = self.atol_rel * p_ref * self.L ** (self.dim - 1)
        self.snes.setTolerances(atol=atol)

    def _setup_weights(self):
        allX = self.comm.allgather(self.cX)
        Xg = np.concatenate(allX) if allX else self.cX
        counts = [a.shape[0] for a in allX]
        self._offsets = np.concatenate([[0], np.cumsum(counts)])
        tol = 1e-7 * self.L
        w = np.ones(Xg.shape[0])
        for ax in range(self.dim - 1):
            w = w * _lattice_weights(Xg[:, ax], tol)
        area = self.L ** (self.dim - 1)
        r = self.comm.rank
        self.w = w[self._offsets[r] : self._offsets[r + 1]] / area  # sums to 1 globally
        s = self.comm.allreduce(self.w.sum(), op=MPI.SUM)
        if abs(s - 1.0) > 1e-8:
            raise RuntimeError(f"contact-face weights sum to {s}, expected 1")

    def _update_bounds(self):
        lo = self.xl.getArray()  # owned part
        lo[self.cdofs] = self.g - self.s
        self.xl.setArray(lo)
        if self.snes.getType().startswith("vi"):
            self.snes.setVariableBounds(self.xl, self.xu)

    def _update_constitutive(self, tangent: bool):
        self.eps_q.interpolate(self.eps_expr)
        eps = self.eps_q.x.array.reshape(-1, self.m)
        r = return_mapping(
            eps,
            self.eps_in,
            self.kappa,
            self.dt,
            self.mat,
            compute_tangent=tangent,
            tangent=self.tangent_type,
        )
        self.sig.x.array[:] = r["sigma"].ravel()
        if tangent:
            C = r["C"]
            if self.tangent_blend > 0.0:
                # modified Newton: keep a fraction of the elastic stiffness so that
                # strongly plastic (theta -> 0) regions do not make J singular
                from interface.mechanics.viscoplastic import elastic_tangent

                Ce = elastic_tangent(self.m, self.mat.lmbda, self.mat.G)
                C = (1.0 - self.tangent_blend) * C + self.tangent_blend * Ce[None]
            self.Ct.x.array[:] = C.ravel()
        self.eps_in_new, self.kappa_new, self.q_eq = r["eps_in"], r["kappa"], r["q"]
        self._last_plastic = r["plastic"]

    def _residual(self, snes, x, b):
        # The iterate satisfies the Dirichlet conditions (solve_step sets them and the
        # Newton updates vanish there), so no lifting is needed: F(u) is assembled with
        # the prescribed values in u, and the Dirichlet rows read x - g.  The tangent is
        # not computed here (line searches evaluate F several times per Jacobian).
        x.ghostUpdate(addv=_INSERT, mode=_FWD)
        fpetsc.assign(x, self.u)
        self._update_constitutive(tangent=False)
        self.n_residuals += 1
        with b.localForm() as bl:
            bl.set(0.0)
        fpetsc.assemble_vector(b, self.F_form)
        b.ghostUpdate(addv=_ADD, mode=_REV)
        fpetsc.set_bc(b, self.bcs, x0=x, alpha=-1.0)

    def _jacobian(self, snes, x, A, P):
        x.ghostUpdate(addv=_INSERT, mode=_FWD)
        fpetsc.assign(x, self.u)
        self._update_constitutive(tangent=True)
        if self.A_blocked is None:
            self._assemble_jacobian(A)
            return
        self._assemble_jacobian(self.A_blocked)
        # the AIJ copy (for the preconditioner's Galerkin product): a fresh conversion, its
        # values copied into self.A (same layout: a conversion too); PETSc 3.25's MAT_REUSE
        # conversion replaces A's header (or, MPIBAIJ, leaves it unusable for PtAP)
        tmp = PETSc.Mat()
        self.A_blocked.convert(PETSc.Mat.Type.AIJ, tmp)
        tmp.copy(self.A, structure=PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
        tmp.destroy()

    def _assemble_jacobian(self, A):
        A.zeroEntries()
        fpetsc.assemble_matrix(A, self.J_form, bcs=self.bcs, diag=1.0)
        A.assemble()

    # ------------------------------------------------------------------ state
    def initial_guess(self, penetration_quantile=0.98):
        """Rigid shift of the slab as a start (avoids the singular no-contact state).

        The highest ~2 % of the contact nodes touch (projected onto the bounds).
        """
        lb = self.g - self.s
        allg = np.concatenate(self.comm.allgather(lb))
        # at least a tiny uniform pre-compression so that the contact rows start active
        delta = max(-np.quantile(allg, penetration_quantile), 1e-7 * self.T)
        arr = self.u.x.array.reshape(-1, self.dim)
        arr[:, self.dim - 1] = (
            np.minimum(arr[:, self.dim - 1], -delta) if np.all(arr == 0) else arr[:, self.dim - 1]
        )
        self.u.x.scatter_forward()
        fpetsc.assign(self.u, self.x)
        xa = self.x.getArray()
        xa[self.cdofs] = np.maximum(xa[self.cdofs], lb)
        self.x.setArray(xa)
        self.x.ghostUpdate(addv=_INSERT, mode=_FWD)
        fpetsc.assign(self.x, self.u)
        self.u_old.x.array[:] = self.u.x.array

    def solve_step(self, dt: float, p: float | None = None, U: float | None = None) -> StepInfo:
        """One implicit step of size dt [s] (not committed).

        Either pressure control
        (traction -p on the loaded face) or rigid-platen displacement control
        (u_d = U on the loaded face, p = 0).
        """
        t0 = time.perf_counter()
        self.dt = float(dt)
        if U is None:
            self.p.value = p
            self.bcs = self.bcs_lateral
            self.set_tolerances(p)
        else:
            self.p.value = 0.0
            self.U_top.value = U
            self.bcs = self.bcs_lateral + [self.bc_top]
            self.set_tolerances(max(self.reaction_pressure_last, 1e3))
        self._update_bounds()
        if U is not None:
            # predictor: rigid translation of the body to the new platen position
            # (setting only the Dirichlet values would strain the top layer far
            # beyond yield and derail Newton)
            dU = U - self.top_displacement()
            arr = self.u.x.array.reshape(-1, self.dim)
            arr[:, self.dim - 1] += dU
        fpetsc.assign(self.u, self.x)
        xa = self.x.getArray()
        lb = self.g - self.s
        xa[self.cdofs] = np.maximum(xa[self.cdofs], lb)
        self.x.setArray(xa)
        fpetsc.set_bc(self.x, self.bcs)  # the iterates satisfy the Dirichlet conditions
        self.snes.solve(None, self.x)
        reason = self.snes.getConvergedReason()
        its = self.snes.getIterationNumber()
        lin_its = self.snes.getLinearSolveIterations()
        self.x.ghostUpdate(addv=_INSERT, mode=_FWD)
        fpetsc.assign(self.x, self.u)
        ok = reason > 0
        if ok:
            # make the state consistent with the converged u
            self._update_constitutive(tangent=False)
        return StepInfo(ok, its, reason, time.perf_counter() - t0, lin_its)

    def commit(self, dt):
        """Accept the step: internal variables and time advance by dt [s]."""
        self.eps_in = self.eps_in_new.copy()
        self.kappa = self.kappa_new.copy()
        self._du_last = self.u.x.array - self.u_old.x.array
        p_now = float(self.p.value)
        self._du_last_ok = dt > 0 and self._p_last == p_now  # creep-only increment
        self._p_last = p_now
        self.u_old.x.array[:] = self.u.x.array
        self.time += dt

    def rollback(self):
        """Reject the step: restore the last accepted displacement."""
        self.u.x.array[:] = self.u_old.x.array

    # ------------------------------------------------------------------ outputs
    def gap(self):
        """Gap at the owned contact-face nodes (>= 0), from the current u."""
        return self.u.x.array[self.cdofs] - (self.g - self.s)

    def contact_fraction(self, tol=None):
        """Real contact area fraction (global).

        Trapezoidal lattice integral of the indicator gap <= tol over the contact
        face (tol default 1e-9 of the roughness range).
        """
        gp = self.gap()
        if tol is None:
            tol = 1e-9 * max(self.roughness_range(), 1e-12)
        return self.comm.allreduce(float(np.sum(self.w * (gp <= tol))), op=MPI.SUM)

    def mean_gap(self):
        """Void volume per unit area [m]."""
        gp = self.gap()
        return self.comm.allreduce(float(np.sum(self.w * np.maximum(gp, 0.0))), op=MPI.SUM)

    def contact_mask(self, tol=None):
        """Owned contact-face nodes in contact (gap <= tol)."""
        gp = self.gap()
        if tol is None:
            tol = 1e-9 * max(self.roughness_range(), 1e-12)
        return gp <= tol

    def record(self, its=0, dt=0.0):
        """Append the current state to the history."""
        self.history.append(
            t=self.time,
            p=float(self.p.value),
            frac=self.contact_fraction(),
            gap=self.mean_gap(),
            its=its,
            dt=dt,
            stripped=self.comm.allreduce(float(np.sum(self.w * self.s)), op=MPI.SUM),
        )

    def roughness_range(self):
        """Peak-to-valley height of the obstacle at the contact nodes [m] (global)."""
        return self.comm.allreduce(float(-self.g.min()) if self.g.size else 0.0, op=MPI.MAX)

    def _platen_step(self):
        """First platen increment of :meth:`load` [m]: 5e-4 of the roughness range."""
        return 5e-4 * max(self.roughness_range(), 1e-3 * self.T)

    def top_displacement(self):
        """Mean normal displacement of the loaded face (global)."""
        arr = self.u.x.array.reshape(-1, self.dim)
        n_own = self.V.dofmap.index_map.size_local
        X = self.V.tabulate_dof_coordinates()[:n_own]
        sel = np.isclose(X[:, self.dim - 1], self.T, atol=1e-9 * self.T)
        s = self.comm.allreduce(float(arr[:n_own][sel, self.dim - 1].sum()), op=MPI.SUM)
        c = self.comm.allreduce(int(sel.sum()), op=MPI.SUM)
        return s / c

    reaction_pressure_last = 0.0

    def reaction_pressure(self):
        """Mean compressive pressure [Pa] transmitted through the loaded face.

        From the internal-force vector at its normal DOFs: p = -sum f_int / L^(d-1).
        """
        with self._r.localForm() as rl:
            rl.set(0.0)
        p_save = float(self.p.value)
        self.p.value = 0.0
        fpetsc.assemble_vector(self._r, self.F_form)
        self.p.value = p_save
        self._r.ghostUpdate(addv=_ADD, mode=_REV)
        f = float(self._r.getArray(readonly=True)[self._top_owned].sum())
        f = self.comm.allreduce(f, op=MPI.SUM)
        return -f / self.L ** (self.dim - 1)

    def destroy(self) -> None:
        """Free the PETSc objects (collective)."""
        for obj in (self.snes, self.A, self.b, self.x, self._r, self.xl, self.xu, self.A_blocked,
                    self.J_vi if self.J_vi is not self.A else None):
            if obj is not None:
                obj.destroy()
        if self.fullspace_pc is not None:
            self.fullspace_pc.destroy()

    def num_dofs(self):
        """Global number of displacement DOFs."""
        im = self.V.dofmap.index_map
        return im.size_global * self.V.dofmap.index_map_bs

    # ------------------------------------------------------------------ drivers
    def load_pressure(self, p_target, n_steps=3, verbose=False):
        """Pressure-controlled instantaneous loading in n_steps equal increments.

        dt = 0.  Robust for elastic (or elastic-dominated) responses only; use
        :meth:`load` when asperities yield.
        """
        if float(self.p.value) == 0.0 and np.allclose(self.u.x.array, 0.0):
            self.initial_guess()
        p0 = float(self.p.value)
        total = 0
        for k in range(1, n_steps + 1):
            p = p0 + (p_target - p0) * k / n_steps
            info = self.solve_step(0.0, p=p)
            if verbose and self.comm.rank == 0:
                print(f"  load_pressure p={p:.4e} its={info.its} reason={info.reason}", flush=True)
            if not info.converged:
                raise SolverError(f"pressure-controlled load failed at p={p} ({info.reason})")
            self.commit(0.0)
            total += info.its
        self.record(its=total, dt=0.0)
        return total

    def load(self, p_target, rel_tol=1e-2, dU0=None, max_cuts=25, grow=1.6, verbose=False):
        """Instantaneous loading to the mean pressure p_target [Pa] (plasticity, no creep).

        The loaded face is driven as a rigid platen (displacement control with
        adaptive increments, secant-limited near the target) until the transmitted
        pressure p lies in [p_target, (1 + rel_tol) p_target]; the face is then
        switched to pressure control (traction -p_target) and re-equilibrated
        (elastic unloading of the small overshoot).  Pure pressure control fails
        for perfectly plastic asperity contacts: a fully plastic contact spot has
        (nearly) zero tangent stiffness, so the force-controlled Newton system is
        singular.  Returns the total number of Newton iterations.
        """
        if float(self.p.value) == 0.0 and np.allclose(self.u.x.array, 0.0):
            self.initial_guess(1.0)
        total = 0
        U = self.top_displacement()
        p_lo = self.reaction_pressure() if (self.time > 0 or float(self.p.value) > 0) else 0.0
        if p_lo >= p_target:
            raise ValueError("load() only increases the pressure")
        if dU0 is None:
            dU0 = self._platen_step()
        dU = dU0
        cuts = 0
        slope = None
        while True:
            Ut = U - dU
            info = self.solve_step(0.0, U=Ut)
            total += info.its
            if not info.converged:
                self.rollback()
                dU *= 0.3
                cuts += 1
                if cuts > max_cuts:
                    raise SolverError(f"displacement-controlled loading failed at U={Ut}")
                continue
            pt = self.reaction_pressure()
            self.reaction_pressure_last = pt
            if verbose and self.comm.rank == 0:
                print(f"  load U={Ut:.4e} p={pt:.4e} its={info.its}", flush=True)
            if pt > (1.0 + rel_tol) * p_target:  # overshoot: shorten the increment
                self.rollback()
                frac = (p_target * (1 + 0.5 * rel_tol) - p_lo) / max(pt - p_lo, 1e-300)
                dU *= min(max(frac, 0.05), 0.7)
                continue
            self.commit(0.0)
            new_slope = (pt - p_lo) / max(U - Ut, 1e-300)
            U, p_lo = Ut, pt
            if pt >= p_target:
                break
            if info.its <= 12:
                dU *= grow
            elif info.its >= 20:
                dU *= 0.6
            slope = new_slope if slope is None else max(new_slope, 0.5 * slope)
            if slope > 0:
                dU = min(dU, max(1.5, 1.0 + rel_tol) * (p_target - pt) / slope + 1e-3 * dU0)
        # switch to pressure control
        info = self.solve_step(0.0, p=p_target)
        total += info.its
        if not info.converged:
            raise SolverError(f"switch to pressure control failed (reason {info.reason})")
        self.commit(0.0)
        self.record(its=info.its, dt=0.0)
        return total

    def press(self, P, t_end, p_seat=2e4, dt0=1e-6, times_out=None, on_step=None, verbose=False,
              fast_seat=False, **hold_kw):
        """Seat at p_seat, step to P [Pa] at t = 0 and hold it t_end [s] (creep on).

        The slab is seated with the rate-independent, displacement-controlled
        :meth:`load`, then the stack
        pressure P as a step at t = 0 and hold it for t_end seconds (creep +
        Perzyna-regularised yield, adaptive backward Euler starting at dt0).
        The contact at t ~ 1e-2 s is the 'instantaneous' elastic-plastic response
        (the Perzyna over-stress relaxes in ~tau_p sigma_y/(3G) ~ 1e-4 s and creep
        strain in 1e-2 s is < 1e-4).  Returns the hold statistics; the time history
        (relative to the step) is in self.history.

        ``p_seat=None``: no seating; the first creep step regularises the first contact.
        ``fast_seat``: the seating pressure only has to create a contact (P steps from
        it at t = 0), so accept any seat in [p_s, 2 p_s], p_s = min(p_seat, P/3), with
        10x larger first platen increment growing x3 (default: within 1 % of
        min(p_seat, P/2), increments growing x1.6).
        """
        if p_seat is None and float(self.p.value) == 0.0 and np.allclose(self.u.x.array, 0.0):
            self.initial_guess()  # no seating: the creep step regularises the first contact
        elif p_seat is not None and float(self.p.value) == 0.0:
            if fast_seat:
                self.load(min(p_seat, P / 3.0), rel_tol=1.0, grow=3.0,
                          dU0=10.0 * self._platen_step(), verbose=verbose)
            else:
                self.load(min(p_seat, 0.5 * P), verbose=verbose)
        self.time = 0.0
        self.history = History()
        self.p.value = P
        return self.hold(t_end, dt0=dt0, times_out=times_out, on_step=on_step, verbose=verbose,
                         **hold_kw)

    def history_at(self, times, key="frac"):
        """Interpolate a recorded history quantity (linear in log t) at given times."""
        t = np.asarray(self.history.t)
        v = np.asarray(getattr(self.history, key))
        ok = t > 0
        return np.interp(np.log(np.asarray(times, float)), np.log(t[ok]), v[ok])

    def ramp(
        self,
        p_target,
        t_ramp,
        dt0=None,
        grow=1.5,
        shrink=0.35,
        fast_its=12,
        slow_its=20,
        max_fail=25,
        on_step=None,
        verbose=False,
    ):
        """Linear pressure ramp to p_target [Pa] over t_ramp [s] (creep and yield on).

        Over t_ramp seconds with creep (and the rate-independent yield cap) active.

        This is the robust way to apply the stack pressure: the creep viscosity
        regularises the contact-spot plasticity that makes rate-independent
        pressure control singular.  Requires an existing contact (use
        :meth:`load` first for a small seating pressure).
        """
        p0 = float(self.p.value)
        t_start = self.time
        t_end = t_start + t_ramp
        if t_end <= 0:
            return dict(steps=0, its=[], failures=0)

        def pressure(t):
            return p0 + (p_target - p0) * (t - t_start) / t_ramp

        dt = t_ramp / 50 if dt0 is None else dt0
        return self._march("ramp", t_end, dt, pressure, grow, shrink, fast_its, slow_its,
                           max_fail, on_step, verbose)

    def _march(self, label, t_end, dt, pressure, grow, shrink, fast_its, slow_its, max_fail,
               on_step, verbose, dt_max=np.inf, times_out=()):
        """Adaptive backward-Euler steps up to ``t_end`` [s] at ``pressure(t)`` [Pa].

        Steps are capped by ``dt_max`` and end exactly at each of ``times_out``; more
        than ``max_fail`` failed steps raise SolverError.  Returns dict with steps,
        its list, failures.
        """
        out = sorted(times_out)
        its_list, nfail = [], 0
        while self.time < t_end * (1 - 1e-12):
            dt = min(dt, dt_max, t_end - self.time)
            for to in out:
                if self.time < to < self.time + dt:
                    dt = to - self.time
                    break
            info, dt = self._adaptive_step(dt, pressure(self.time + dt), grow, shrink,
                                           fast_its, slow_its, on_step, verbose, label + " ")
            if info.converged:
                its_list.append(info.its)
            else:
                nfail += 1
                if nfail > max_fail:
                    raise SolverError(f"{label} failed at t={self.time}, reason {info.reason}")
        return dict(steps=len(its_list), its=its_list, failures=nfail)

    def _adaptive_step(self, dt, p, grow, shrink, fast_its, slow_its, on_step, verbose,
                       label="", predict=True):
        """One backward-Euler step of ``dt`` at pressure ``p`` with step-size control.

        A converged step is committed and recorded (and ``on_step`` called); the next
        step grows by ``grow`` after at most ``fast_its`` Newton iterations and shrinks
        by 0.7 after ``slow_its`` or more.  A failed step is rolled back and retried
        with ``dt * shrink``.  Returns (StepInfo, next dt).
        """
        if (predict and self.predictor == "previous" and self._du_last_ok
                and self._p_last == p and self.history.dt and self.history.dt[-1] > 0):
            scale = min(1.0, dt / self.history.dt[-1])
            self.u.x.array[:] += scale * self._du_last
        info = self.solve_step(dt, p)
        if verbose and self.comm.rank == 0:
            print(f"  {label}t={self.time:.4g} dt={dt:.3g} p={p:.4g} its={info.its} "
                  f"reason={info.reason}", flush=True)
        if not info.converged:
            self.rollback()
            return info, dt * shrink
        self.commit(dt)
        self.record(its=info.its, dt=dt)
        if on_step is not None:
            on_step(self)
        if info.its <= fast_its:
            dt *= grow
        elif info.its >= slow_its:
            dt *= 0.7
        return info, dt

    def hold(
        self,
        t_hold,
        dt0=1e-2,
        dt_max=None,
        grow=1.5,
        shrink=0.35,
        fast_its=12,
        slow_its=20,
        max_fail=25,
        times_out=None,
        on_step=None,
        verbose=False,
    ):
        """Hold the current pressure for t_hold seconds with adaptive backward Euler.

        (Stripping has its own step loop: :mod:`interface.mechanics.stripping`.)
        Returns dict with steps, its list, failures.
        """
        p = float(self.p.value)
        return self._march("hold", self.time + t_hold, dt0, lambda t: p, grow, shrink,
                           fast_its, slow_its, max_fail, on_step, verbose,
                           dt_max=t_hold if dt_max is None else dt_max,
                           times_out=times_out if times_out is not None else ())
