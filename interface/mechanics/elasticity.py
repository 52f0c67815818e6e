"""Small-strain isotropic elasticity with eigenstrain, shared by the FE models.

The constitutive law is written in 3D and restricted to the modelled
dimension d: the displacement has d components and the out-of-model strains
are zero, so d = 1 is a laterally constrained (uniaxial-strain) column, d = 2 is
plane strain and d = 3 is the full solid:

    eps3 = [[grad_s u, 0], [0, 0]],   sigma3 = lambda tr(eps3 - e*) I + 2 mu (eps3 - e*),

with e* the 3x3 eigenstrain (diagonal here: swelling, growth, thermal).  The
weak form is int sigma3[:d, :d] : grad_s v dx = int t . v ds.
"""

from __future__ import annotations

import numpy as np

from interface.backend import PETSc, dolfinx, ufl


def strain(u, gdim: int):
    """D x d small-strain tensor; in 1D the displacement is a scalar field."""
    if gdim == 1:
        return ufl.as_matrix([[u.dx(0)]])
    return ufl.sym(ufl.grad(u))


def strain3(u, gdim: int):
    """3x3 small-strain tensor of a d-component displacement (zeros out of the model)."""
    e = strain(u, gdim)
    rows = [[e[i, j] if (i < gdim and j < gdim) else 0 for j in range(3)] for i in range(3)]
    return ufl.as_matrix(rows)


def eigen3(eig):
    """Diagonal 3x3 eigenstrain from a 3-vector (xx, yy, zz) coefficient."""
    return ufl.as_matrix([[eig[0], 0, 0], [0, eig[1], 0], [0, 0, eig[2]]])


def stress3(eps3, lam, mu, eig3=None):
    """Cauchy stress lambda tr(eps - e*) I + 2 mu (eps - e*) (3x3)."""
    el = eps3 - eig3 if eig3 is not None else eps3
    return lam * ufl.tr(el) * ufl.Identity(3) + 2 * mu * el


def restrict(t3, gdim: int):
    """The in-model d x d block of a 3x3 tensor."""
    return ufl.as_matrix([[t3[i, j] for j in range(gdim)] for i in range(gdim)])


def von_mises(s3):
    """Von Mises equivalent stress of a 3x3 stress tensor."""
    dev = s3 - ufl.tr(s3) / 3 * ufl.Identity(3)
    return ufl.sqrt(1.5 * ufl.inner(dev, dev))


def displacement_space(mesh: dolfinx.mesh.Mesh, degree: int) -> dolfinx.fem.FunctionSpace:
    """Lagrange displacement space: scalar in 1D, vector otherwise."""
    gdim = mesh.geometry.dim
    shape = () if gdim == 1 else (gdim,)
    return dolfinx.fem.functionspace(mesh, ("Lagrange", degree, shape))


def component(V: dolfinx.fem.FunctionSpace, i: int) -> dolfinx.fem.FunctionSpace:
    """Component i of a displacement space (the space itself in 1D)."""
    return V if V.mesh.geometry.dim == 1 else V.sub(i)


def rigid_body_modes(V: dolfinx.fem.FunctionSpace) -> PETSc.NullSpace:
    """Near-nullspace of elasticity (translations and rotations) for AMG.

    1D: 1 mode, 2D: 3, 3D: 6; orthonormalised.  Follows DOLFINx's
    demo_elasticity.py.
    """
    from dolfinx import la

    gdim = V.mesh.geometry.dim
    if gdim == 1:
        raise ValueError("no near-nullspace is needed (or built) for 1D")
    bs = V.dofmap.index_map_bs
    n0 = V.dofmap.index_map.size_local
    nmodes = {1: 1, 2: 3, 3: 6}[gdim]
    basis = [la.vector(V.dofmap.index_map, bs=bs, dtype=PETSc.ScalarType) for _ in range(nmodes)]
    b = [v.array for v in basis]
    dofs = [V.sub(i).dofmap.list.flatten() for i in range(gdim)]
    for i in range(gdim):
        b[i][dofs[i]] = 1.0
    x = V.tabulate_dof_coordinates()
    blocks = V.dofmap.list.flatten()
    if gdim == 2:
        b[2][dofs[0]] = -x[blocks, 1]
        b[2][dofs[1]] = x[blocks, 0]
    elif gdim == 3:
        x0, x1, x2 = x[blocks, 0], x[blocks, 1], x[blocks, 2]
        b[3][dofs[0]] = -x1
        b[3][dofs[1]] = x0
        b[4][dofs[0]] = x2
        b[4][dofs[2]] = -x0
        b[5][dofs[2]] = x1
        b[5][dofs[1]] = -x2
    la.orthonormalize(basis)
    vecs = [PETSc.Vec().createWithArray(v[: bs * n0], bsize=bs, comm=V.mesh.comm) for v in b]
    return PETSc.NullSpace().create(vectors=vecs, comm=V.mesh.comm)


def choose_linear_solver(kind: str, gdim: int, ndofs: int, direct_max_dofs: int = 200000) -> str:
    """Resolve "auto" into "direct" or "iterative".

    Direct for 1D and for meshes up to ``direct_max_dofs`` (2D; half of it in 3D,
    where fill-in grows faster), iterative above.
    """
    if kind != "auto":
        return kind
    if gdim == 1:
        return "direct"
    limit = direct_max_dofs if gdim == 2 else direct_max_dofs // 2
    return "direct" if ndofs <= limit else "iterative"


def linear_solver_options(gdim: int, kind: str = "iterative", rtol: float = 1e-9) -> dict:
    """PETSc KSP options: LU (MUMPS) for "direct", CG + GAMG for "iterative"."""
    if kind == "direct" or gdim == 1:
        return {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}
    return {
        "ksp_type": "cg",
        "ksp_rtol": rtol,
        "ksp_atol": 1e-30,
        "ksp_max_it": 2000,
        "pc_type": "gamg",
        "pc_gamg_type": "agg",
        "pc_gamg_coarse_eq_limit": 1000,
        "mg_levels_ksp_type": "chebyshev",
        "mg_levels_pc_type": "jacobi",
        "mg_levels_ksp_chebyshev_esteig_steps": 10,
    }


_prefix_counter = [0]


def unique_prefix(stem: str) -> str:
    """A PETSc options prefix unique within the programme: ``ssbi_<stem>_<n>_``.

    The counter advances identically on every rank because solvers are created
    collectively.
    """
    _prefix_counter[0] += 1
    return f"ssbi_{stem}_{_prefix_counter[0]}_"


def cell_volumes(V0: dolfinx.fem.FunctionSpace) -> np.ndarray:
    """Volume (area, length) of each local cell (owned + ghost), from a DG0 space."""
    v = ufl.TestFunction(V0)
    vec = dolfinx.fem.assemble_vector(dolfinx.fem.form(v * ufl.dx))
    vec.scatter_forward()
    return vec.array.copy()
