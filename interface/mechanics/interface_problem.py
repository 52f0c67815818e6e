"""Two-body interface mechanics on a conforming mesh (DOLFINx 0.11).

The parent mesh (from :mod:`interface.geometry`) is split into two
submeshes, the *particles* (all particle cell tags, body "+") and the
*matrix* (body "-"), each with its own vector Lagrange space, so that the
displacement can jump across the interface.  The bodies are coupled only
through interior-facet integrals over the interface facets of the parent
mesh; the integration entities are ordered so that the "+" restriction is
always the particle cell and the "-" restriction the matrix cell, and the
entity maps of both submeshes are passed to the form compiler.

Block residual (``kind="mpi"``, monolithic PETSc matrix -> MUMPS)::

    F_p(v_p) = int_{Omega_p} sigma_p(u_p) : eps(v_p) dx - int_Gamma t . v_p("+") dS
               + (pressure on particle boundaries)
    F_m(v_m) = int_{Omega_m} sigma_m(u_m) : eps(v_m) dx + int_Gamma t . v_m("-") dS
               + int_{Gamma_N} p n . v_m ds

with ``t`` the interface law (:mod:`.laws`) of the jump ``u_m("-") -
u_p("+")`` and ``sigma = lambda tr(eps) I + 2 mu eps - 3 K eps* I``
(isotropic eigenstrain eps*, plane strain in 2D: the eigenstrain also acts
out of plane and eps_zz = 0).  Solved with PETSc SNES (semi-smooth Newton,
``newtonls``) with load stepping, continuation and step cut-back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from interface.backend import dolfinx  # noqa: F401
from interface.errors import SolverError
from interface.mechanics.interface_laws import FrictionlessContact, InterfaceLaw
from interface.mechanics.isotropic import ElasticMaterial

__all__ = [
    "ContactSolverError", "DirichletSpec", "PressureSpec", "InterfaceProblem", "SolveReport",
    "default_petsc_options",
]

#: Converged reason used internally for a "converged" solution holding NaN / inf.
_NAN_REASON = -101


class ContactSolverError(SolverError):
    """Newton did not converge even after the allowed step cut-backs (exit code 1)."""


@dataclass(frozen=True)
class DirichletSpec:
    """Prescribed displacement component on tagged boundary facets.

    Attributes:
        tag: facet tag of the parent mesh (see :mod:`interface.geometry.tags`).
        component: displacement component (0=x, 1=y, 2=z).
        value: prescribed value (m).  If ``driven`` the value applied is
            ``value * displacement`` where ``displacement`` is the load
            parameter of :meth:`InterfaceProblem.solve` (so ``value=-1``
            with ``displacement=delta`` pushes by ``delta`` downwards).
        body: "particle", "matrix" or "both" (the body whose facets carry
            the tag).
    """

    tag: int
    component: int
    value: float = 0.0
    body: str = "both"
    driven: bool = False


@dataclass(frozen=True)
class PressureSpec:
    """Normal pressure ``factor * pressure`` on tagged exterior facets.

    Traction ``t = -factor * p * n`` (compression positive) where ``p`` is
    the load parameter ``pressure`` of :meth:`InterfaceProblem.solve`.
    """

    tag: int
    body: str = "matrix"
    factor: float = 1.0


@dataclass
class SolveReport:
    """Statistics of one :meth:`InterfaceProblem.solve` call."""

    steps: int = 0
    cutbacks: int = 0
    newton_iterations: int = 0
    linear_iterations: int = 0
    wall_time: float = 0.0
    reasons: list = field(default_factory=list)


def default_petsc_options(linear_solver: str = "mumps", line_search: str = "basic") -> dict:
    """SNES options: semi-smooth Newton with a line search, direct LU or GMRES + GAMG.

    Args:
        linear_solver: "mumps" (default), "superlu_dist" or "gamg" (GMRES +
            smoothed aggregation with the rigid-body near-nullspace).
        line_search: PETSc SNES line search: "basic" (full Newton steps, the
            default: the semi-smooth Newton of the penalty contact law converges
            in a few steps once the active set settles), "bt" (backtracking) or
            "l2" (secant on the residual norm).
    """
    opts = {
        "snes_type": "newtonls",
        "snes_linesearch_type": line_search,
        "snes_max_it": 40,
        "snes_rtol": 1e-9,
        "snes_stol": 0.0,
        # semi-smooth Newton may increase the residual when the active set
        # changes (closing contact): never declare divergence on that
        "snes_divergence_tolerance": 1e300,
    }
    if linear_solver in ("mumps", "superlu_dist"):
        opts.update({"ksp_type": "preonly", "pc_type": "lu",
                     "pc_factor_mat_solver_type": linear_solver})
    elif linear_solver == "gamg":
        opts.update({"ksp_type": "gmres", "ksp_rtol": 1e-10, "ksp_max_it": 2000,
                     "ksp_gmres_restart": 200, "pc_type": "gamg",
                     "pc_gamg_type": "agg", "pc_gamg_agg_nsmooths": 1,
                     "pc_gamg_threshold": 0.01, "mg_levels_ksp_type": "chebyshev",
                     "mg_levels_pc_type": "jacobi", "mg_levels_ksp_max_it": 4})
    else:
        raise ValueError(f"unknown linear solver {linear_solver!r}")
    return opts


def _reason_name(reason: int) -> str:
    from petsc4py import PETSc

    names = {v: k for k, v in vars(PETSc.SNES.ConvergedReason).items()
             if not k.startswith("_") and isinstance(v, int)}
    return names.get(int(reason), str(reason))


class InterfaceProblem:
    """Particles + matrix joined by an interface law, plane strain or 3D.

    Args:
        comm: MPI communicator (must be the mesh communicator).
        tagged: :class:`~interface.geometry.tags.TaggedMesh`.
        particle: material of all particles, or dict particle tag ->
            material.
        matrix: material of the matrix.
        law: interface law (default frictionless contact).
        dirichlet: list of :class:`DirichletSpec`.
        pressure: list of :class:`PressureSpec`.
        degree: Lagrange degree of the displacement (1 or 2).
        initial_gap: callable ``g0(x)`` (UFL and numpy) of the reference
            coordinates; default ``tagged.metadata.get('initial_gap')`` or 0.
        E_ref: modulus in the penalty ``k = gamma0 E_ref / h_F`` (default
            max of all moduli).
        petsc_options: SNES/KSP options (default
            :func:`default_petsc_options`).
        prefix: PETSc options prefix (default: unique ``ssbi_ifc<N>_``).
        near_nullspace: attach the rigid-body modes of both bodies to the
            matrix (for GAMG).
        normal: "nodal" (default; continuous vertex-averaged particle
            normal) or "facet" (piecewise-constant facet normal; locks
            frictionless sliding on faceted curved interfaces, see docs/theory/rve.md).
        interface_quadrature: "vertex" (default for P1: the interface law
            is evaluated at the facet vertices with lumped weights, i.e. a
            node-to-node law on the conforming interface) or "gauss".
        interface_quadrature_degree: degree for "gauss".
    """

    def __init__(self, comm, tagged, particle, matrix: ElasticMaterial,
                 law: InterfaceLaw | None = None, *, dirichlet=(), pressure=(), degree: int = 1,
                 initial_gap=None, E_ref: float | None = None, petsc_options: dict | None = None,
                 prefix: str | None = None, near_nullspace: bool = False,
                 normal: str = "nodal", interface_quadrature: str | None = None,
                 interface_quadrature_degree: int | None = None):
        import dolfinx.fem.petsc  # noqa: F401
        import ufl
        from dolfinx import fem
        from dolfinx import mesh as dmesh
        from mpi4py import MPI
        from petsc4py import PETSc

        t0 = time.perf_counter()
        msh = tagged.mesh
        if MPI.Comm.Compare(comm, msh.comm) not in (MPI.IDENT, MPI.CONGRUENT):
            raise ValueError("comm must be the communicator of the mesh")
        self.comm = comm
        self.tagged = tagged
        self.law = law if law is not None else FrictionlessContact()
        self.degree = degree
        tdim = msh.topology.dim
        gdim = msh.geometry.dim
        self.dim = tdim
        fdim = tdim - 1
        msh.topology.create_connectivity(fdim, tdim)
        msh.topology.create_connectivity(tdim, fdim)
        msh.topology.create_connectivity(fdim, 0)
        msh.topology.create_connectivity(0, tdim)
        ct, ft = tagged.cell_tags, tagged.facet_tags
        cmap = msh.topology.index_map(tdim)
        ncells = cmap.size_local + cmap.num_ghosts

        # --- materials per cell (DG0 on the parent mesh) -----------------
        coat = dict(getattr(tagged, "coating_tags", {}) or {})  # coating tag -> particle tag
        if isinstance(particle, ElasticMaterial):
            pmat = {t: particle for t in [*tagged.particle_tags, *coat]}
        else:
            pmat = dict(particle)
        self.materials = dict(pmat)
        for t in tagged.matrix_tags:
            self.materials[t] = matrix
        self.particle_material = pmat
        self.matrix_material = matrix
        tag_of_cell = np.full(ncells, -1, dtype=np.int64)
        tag_of_cell[ct.indices] = ct.values
        if np.any(tag_of_cell < 0):
            raise RuntimeError("every local cell (owned and ghost) must carry a cell tag")
        self._tag_of_cell = tag_of_cell
        is_core = np.isin(tag_of_cell, np.asarray(tagged.particle_tags))
        is_p = is_core | np.isin(tag_of_cell, np.asarray(list(coat), dtype=np.int64))
        is_m = np.isin(tag_of_cell, np.asarray(tagged.matrix_tags))
        if np.any(~(is_p | is_m)):
            raise RuntimeError("cell tags that are neither particle nor matrix")
        body = np.where(is_p, 1, 2).astype(np.int32)
        self._body = body
        cells_p = np.flatnonzero(is_p).astype(np.int32)
        cells_m = np.flatnonzero(is_m).astype(np.int32)

        Q0 = fem.functionspace(msh, ("DG", 0))
        self._Q0 = Q0
        lam, mu, K = fem.Function(Q0), fem.Function(Q0), fem.Function(Q0)
        for t, mat in self.materials.items():
            sel = tag_of_cell == t
            lam.x.array[sel] = mat.lmbda
            mu.x.array[sel] = mat.mu
            K.x.array[sel] = mat.K
        # eigenstrain pattern: 1 in particles (per-particle factor), 0 matrix and coatings
        self._eig_pattern = fem.Function(Q0)
        self._eig_pattern.x.array[:] = is_core.astype(float)
        hcell = fem.Function(Q0)
        hcell.x.array[:] = msh.h(tdim, np.arange(ncells, dtype=np.int32))
        self._hcell = hcell
        self.E_ref = float(max(m.E for m in self.materials.values())) if E_ref is None else E_ref

        # --- submeshes and spaces ---------------------------------------
        msh_p, emap_p, vmap_p, _ = dmesh.create_submesh(msh, tdim, cells_p)
        msh_m, emap_m, vmap_m, _ = dmesh.create_submesh(msh, tdim, cells_m)
        for s in (msh_p, msh_m):
            s.topology.create_connectivity(fdim, tdim)
            s.topology.create_connectivity(tdim, fdim)
        self.submeshes = (msh_p, msh_m)
        self.entity_maps = [emap_p, emap_m]
        self._vertex_maps = (vmap_p, vmap_m)
        V_p = fem.functionspace(msh_p, ("Lagrange", degree, (gdim,)))
        V_m = fem.functionspace(msh_m, ("Lagrange", degree, (gdim,)))
        self.V = (V_p, V_m)
        self.u_p = fem.Function(V_p, name="u_particle")
        self.u_m = fem.Function(V_m, name="u_matrix")
        v_p, v_m = ufl.TestFunction(V_p), ufl.TestFunction(V_m)

        # --- integration entities ---------------------------------------
        body_tags = dmesh.meshtags(msh, tdim, np.arange(ncells, dtype=np.int32), body)
        iface_tags = sorted(set(tagged.interface_tags.values()))
        ifacets = np.unique(np.concatenate([ft.find(t) for t in iface_tags]
                                           or [np.empty(0, np.int32)]))
        ents = fem.compute_integration_domains(
            fem.IntegralType.interior_facet, msh.topology, ifacets.astype(np.int32)).reshape(-1, 4)
        swap = body[ents[:, 0]] != 1
        ents[swap] = ents[swap][:, [2, 3, 0, 1]]
        if np.any(body[ents[:, 0]] != 1) or np.any(body[ents[:, 2]] != 2):
            raise RuntimeError("interface facets must separate a particle cell and a matrix cell")
        self._iface_entities = ents
        # facet index of every integration entity
        c2f = msh.topology.connectivity(tdim, fdim)
        self._iface_facets = np.array([c2f.links(c)[lf] for c, lf in ents[:, :2]], dtype=np.int32)

        if interface_quadrature is None:
            interface_quadrature = "vertex" if degree == 1 else "gauss"
        if interface_quadrature == "vertex":
            if degree != 1:
                raise ValueError("vertex quadrature on the interface requires degree 1")
            metadata = {"quadrature_rule": "vertex", "quadrature_degree": 1}
        elif interface_quadrature == "gauss":
            metadata = {} if interface_quadrature_degree is None else {
                "quadrature_degree": interface_quadrature_degree}
        else:
            raise ValueError("interface_quadrature must be 'vertex' or 'gauss'")
        self.interface_quadrature = interface_quadrature
        dx = ufl.Measure("dx", domain=msh, subdomain_data=body_tags)
        dS = ufl.Measure("dS", domain=msh, subdomain_data=[(1, ents.ravel())], metadata=metadata)
        dS_exact = ufl.Measure("dS", domain=msh, subdomain_data=[(1, ents.ravel())])
        # exterior facets split by the body of their cell: a pressure on a tag shared
        # by both bodies (body="both") integrates each body's own facets only (a
        # facet of the other body has no cell in this body's submesh)
        f2c = msh.topology.connectivity(fdim, tdim)
        fbody = np.array([body[f2c.links(f)[0]] for f in ft.indices], dtype=np.int32)
        ds_body = {}
        for b, name in ((1, "particle"), (2, "matrix")):
            sel = fbody == b
            ds_body[name] = ufl.Measure("ds", domain=msh, subdomain_data=dmesh.meshtags(
                msh, fdim, ft.indices[sel], ft.values[sel]))
        self._dS = dS

        # --- interface normal -------------------------------------------
        # nodal (vertex-averaged, facet-measure weighted) particle normal,
        # a continuous P1 field on the parent mesh: tangential nodal slip
        # then produces no normal gap at the nodes (no spurious locking of
        # frictionless sliding on faceted curved interfaces).
        self.normal_type = normal
        Vn = fem.functionspace(msh, ("Lagrange", 1, (gdim,)))
        self._nodal_normal = fem.Function(Vn, name="nodal_normal")
        if normal == "nodal":
            w = ufl.TestFunction(Vn)
            nvec = fem.petsc.assemble_vector(fem.form(
                ufl.dot(ufl.FacetNormal(msh)("+"), w("+")) * dS_exact(1)))
            nvec.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
            nvec.ghostUpdate(addv=PETSc.InsertMode.INSERT, mode=PETSc.ScatterMode.FORWARD)
            arr = self._nodal_normal.x.array
            nloc_n = Vn.dofmap.index_map.size_local * gdim
            arr[:nloc_n] = nvec.array_r[:nloc_n]
            nvec.destroy()
            self._nodal_normal.x.scatter_forward()
            blk = arr.reshape(-1, gdim)
            nrm = np.linalg.norm(blk, axis=1)
            nz = nrm > 0
            blk[nz] /= nrm[nz, None]
            n = self._nodal_normal("+")
        elif normal == "facet":
            n = ufl.FacetNormal(msh)("+")
        else:
            raise ValueError("normal must be 'nodal' or 'facet'")

        # --- loads ------------------------------------------------------
        self._gap_tol_const = fem.Constant(msh, 0.0)
        self._pressure = fem.Constant(msh, 0.0)
        self._eps = fem.Constant(msh, 0.0)
        self._disp = fem.Constant(msh, 0.0)
        self.loads = {"pressure": 0.0, "eps_star": 0.0, "displacement": 0.0}

        eye = ufl.Identity(gdim)
        eps_star = self._eps * self._eig_pattern

        def strain(u):
            return ufl.sym(ufl.grad(u))

        def stress(u, es):
            e = strain(u)
            return lam * ufl.tr(e) * eye + 2 * mu * e - 3 * K * es * eye

        self._stress = stress
        self._eps_star_expr = eps_star

        x = ufl.SpatialCoordinate(msh)
        g0fun = initial_gap if initial_gap is not None else tagged.metadata.get("initial_gap")
        self._g0fun = g0fun
        g0 = g0fun(x) if g0fun is not None else 0.0
        hF = 0.5 * (hcell("+") + hcell("-"))
        k = self.law.penalty * self.E_ref / hF
        jump = self.u_m("-") - self.u_p("+")
        g = g0 + ufl.dot(jump, n)
        self._history = None
        if self.law.has_history:
            self._history = fem.Function(Q0, name="delta_max")
        hist = self._history("+") if self._history is not None else None
        t = self.law.traction(jump, n, g, k, hist)
        self._ufl = {"g": g, "k": k, "n": n, "t": t, "jump": jump}

        F_p = (ufl.inner(stress(self.u_p, eps_star), strain(v_p)) * dx(1)
               - ufl.dot(t, v_p("+")) * dS(1))
        F_m = (ufl.inner(stress(self.u_m, eps_star), strain(v_m)) * dx(2)
               + ufl.dot(t, v_m("-")) * dS(1))
        nn = ufl.FacetNormal(msh)
        for ps in pressure:
            if ps.body in ("matrix", "both"):
                F_m += ps.factor * self._pressure * ufl.dot(nn, v_m) * ds_body["matrix"](ps.tag)
            if ps.body in ("particle", "both"):
                F_p += ps.factor * self._pressure * ufl.dot(nn, v_p) * ds_body["particle"](ps.tag)
        self.residual_forms = [F_p, F_m]

        # --- Dirichlet conditions ---------------------------------------
        self._bcs = []
        self._driven = []  # (Constant, base value)
        sub_ft = []
        for s, em, vm in ((msh_p, emap_p, vmap_p), (msh_m, emap_m, vmap_m)):
            sub_ft.append(dmesh.transfer_meshtags_to_submesh(ft, s, vm, em))
        self._sub_facet_tags = sub_ft
        for spec in dirichlet:
            for bi, name in enumerate(("particle", "matrix")):
                if spec.body not in (name, "both"):
                    continue
                V = self.V[bi]
                facets = sub_ft[bi].find(spec.tag)
                dofs = fem.locate_dofs_topological(V.sub(spec.component), fdim, facets)
                c = fem.Constant(self.submeshes[bi], 0.0 if spec.driven else float(spec.value))
                if spec.driven:
                    self._driven.append((c, float(spec.value)))
                self._bcs.append(fem.dirichletbc(c, dofs, V.sub(spec.component)))

        # --- nonlinear problem ------------------------------------------
        from interface.mechanics.elasticity import unique_prefix

        self.prefix = prefix if prefix is not None else unique_prefix("interface")
        self.petsc_options = (default_petsc_options() if petsc_options is None
                              else dict(petsc_options))
        from dolfinx.fem.petsc import NonlinearProblem

        self._problem = NonlinearProblem(
            self.residual_forms, [self.u_p, self.u_m], bcs=self._bcs, kind="mpi",
            petsc_options_prefix=self.prefix, petsc_options=None,
            entity_maps=self.entity_maps)
        # NonlinearProblem(petsc_options=...) deletes the options after
        # SNESSetFromOptions, but options of objects configured lazily at
        # PCSetUp (GAMG level smoothers, MUMPS ICNTL) must persist: keep them
        # in the database under this problem's unique prefix (removed in
        # close()/__del__).
        opts = PETSc.Options()
        self._opt_keys = []
        for key, val in self.petsc_options.items():
            opts[f"{self.prefix}{key}"] = val
            self._opt_keys.append(f"{self.prefix}{key}")
        self._problem.solver.setFromOptions()
        self._structure = {"dx": dx, "dS": dS, "trial": (ufl.TrialFunction(V_p),
                                                         ufl.TrialFunction(V_m)),
                           "test": (v_p, v_m)}
        self.jacobian_nonzeros = self._compact_jacobian()
        # absolute tolerance from a force scale: E_ref * L^(d-1) * 1e-12
        L = self._domain_size()
        self._atol = 1e-12 * self.E_ref * L ** (tdim - 1)
        self._problem.solver.setTolerances(atol=self._atol)
        if near_nullspace:
            self._attach_near_nullspace()

        from interface.mechanics.interface_metrics import InterfaceTopology

        self.topology = InterfaceTopology(self)
        self.setup_time = time.perf_counter() - t0

    # ------------------------------------------------------------------
    def _domain_size(self) -> float:
        """Largest bounding-box edge of the parent mesh (m)."""
        x = self.tagged.mesh.geometry.x
        ext = []
        for ax in range(3):
            lo = self.comm.allreduce(float(x[:, ax].min()) if len(x) else np.inf, op=_min_op())
            hi = self.comm.allreduce(float(x[:, ax].max()) if len(x) else -np.inf, op=_max_op())
            ext.append(hi - lo)
        return float(max(ext))

    def _compact_jacobian(self) -> dict:
        """Replace the Jacobian matrix by one with the true sparsity of the interface coupling.

        DOLFINx preallocates an interior-facet integral with all DOFs of the two
        adjacent cells coupled (for the particle|matrix blocks: 12 x 12 per facet
        in 3D P1), but the interface law only couples the DOFs that live on the
        facet (with vertex quadrature: the coincident particle and matrix nodes,
        3 x 3 each).  The stored zeros are not free: the direct solver factorises
        the stored structure, so the spurious couplings add fill-in (3D RVE,
        126k DOF: 4.1M of 9.4M stored entries were such zeros).  The exact
        structure is found once by assembling a *structure form* with the
        Jacobian's measures (a lumped, all-component mass form on each body and
        a tie form ``(sum_c [u]_c)(sum_d [v]_d)`` on the interface, whose entries
        are non-zero wherever a cell or interface-law entry can be), and a new
        AIJ matrix with only those entries replaces the one of the
        NonlinearProblem.  Zero values that the assembly inserts elsewhere are
        skipped (``MAT_IGNORE_ZERO_ENTRIES``); a non-zero outside the structure
        is an error (``MAT_NEW_NONZERO_ALLOCATION_ERR``), never a silent malloc.

        Returns:
            {"stored_before": int, "stored_after": int} (global counts).
        """
        import dolfinx.fem.petsc as fpetsc
        from dolfinx import fem
        from mpi4py import MPI
        from petsc4py import PETSc

        A = self._problem.A
        if A.getType() == PETSc.Mat.Type.NEST:  # pragma: no cover - kind="mpi" only
            return {}
        st = self._structure
        dx, dS = st["dx"], st["dS"]
        us, vs = st["trial"], st["test"]

        def ssum(w):
            return sum(w[c] for c in range(w.ufl_shape[0]))

        forms = [[None, None], [None, None]]
        for i in range(2):
            for j in range(2):
                sgn_u = -1.0 if j == 0 else 1.0
                sgn_v = -1.0 if i == 0 else 1.0
                side_u = "+" if j == 0 else "-"
                side_v = "+" if i == 0 else "-"
                a = sgn_u * sgn_v * ssum(us[j](side_u)) * ssum(vs[i](side_v)) * dS(1)
                if i == j:
                    a = a + ssum(us[i]) * ssum(vs[i]) * dx(i + 1)
                forms[i][j] = a
        S = fem.form(forms, entity_maps=self.entity_maps)
        A.zeroEntries()
        fpetsc.assemble_matrix(A, S, bcs=[], diag=1.0)
        A.assemble()
        ia, ja, va = A.getValuesCSR()
        r0, _ = A.getOwnershipRange()
        rows = np.repeat(np.arange(len(ia) - 1), np.diff(ia))
        keep = (va != 0.0) | (ja == rows + r0)
        nnz_row = np.bincount(rows[keep], minlength=len(ia) - 1)
        ia_c = np.concatenate([[0], np.cumsum(nnz_row)]).astype(PETSc.IntType)
        ja_c = ja[keep].astype(PETSc.IntType)
        B = PETSc.Mat().createAIJ(size=A.getSizes(), csr=(ia_c, ja_c), comm=A.getComm())
        B.setLGMap(*A.getLGMap())
        B.setOption(PETSc.Mat.Option.IGNORE_ZERO_ENTRIES, True)
        B.setOption(PETSc.Mat.Option.NEW_NONZERO_ALLOCATION_ERR, True)
        B.setOptionsPrefix(A.getOptionsPrefix())
        before = self.comm.allreduce(len(ja), op=MPI.SUM)
        after = self.comm.allreduce(len(ja_c), op=MPI.SUM)
        snes = self._problem.solver
        _, _, (fun, args, kargs) = snes.getJacobian()
        snes.setJacobian(fun, B, None, args=args, kargs=kargs)
        self._problem._A = B
        A.destroy()
        return {"stored_before": int(before), "stored_after": int(after)}

    def _attach_near_nullspace(self):
        """Rigid-body modes of each body as near-nullspace (for GAMG)."""
        from petsc4py import PETSc

        A = self._problem.A
        gdim = self.tagged.mesh.geometry.dim
        try:  # nodal aggregation needs the displacement block size
            A.setBlockSize(gdim)
        except Exception:  # pragma: no cover - PETSc refuses on set-up layouts
            pass
        nmodes = 3 if gdim == 2 else 6
        vecs = []
        offsets = []
        off = 0
        for V in self.V:
            im = V.dofmap.index_map
            offsets.append(off)
            off += im.size_local * V.dofmap.index_map_bs
        nloc = off
        # rigid modes of the union of the bodies (the same field on both
        # submeshes): aggregates lie inside one body and see the local rigid
        # modes; per-body modes (2x more vectors) make the coarse operators
        # needlessly dense (8 s vs 0.1 s Galerkin product in a 3k-DOF test)
        for m in range(nmodes):
            b = np.zeros(nloc)
            for bi, V in enumerate(self.V):
                xdof = V.tabulate_dof_coordinates()[: V.dofmap.index_map.size_local]
                bs = V.dofmap.index_map_bs
                blk = b[offsets[bi]: offsets[bi] + len(xdof) * bs].reshape(-1, bs)
                if m < gdim:
                    blk[:, m] = 1.0
                elif gdim == 2:
                    blk[:, 0], blk[:, 1] = -xdof[:, 1], xdof[:, 0]
                else:
                    i, j = [(0, 1), (1, 2), (2, 0)][m - 3]
                    blk[:, i], blk[:, j] = -xdof[:, j], xdof[:, i]
            v = A.createVecRight()
            v.array[:] = b
            vecs.append(v)
        # modified Gram-Schmidt (global dot products)
        for i, v in enumerate(vecs):
            for w in vecs[:i]:
                v.axpy(-v.dot(w), w)
            v.normalize()
        ns = PETSc.NullSpace().create(vectors=vecs, comm=self.comm)
        A.setNearNullSpace(ns)
        self._nullspace_vecs = vecs

    def close(self):
        """Remove this problem's options from the PETSc options database."""
        try:
            from petsc4py import PETSc

            opts = PETSc.Options()
            for key in getattr(self, "_opt_keys", []):
                if opts.hasName(key):
                    opts.delValue(key)
            self._opt_keys = []
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __del__(self):
        self.close()

    # ------------------------------------------------------------------
    @property
    def problem(self):
        """The underlying :class:`dolfinx.fem.petsc.NonlinearProblem`."""
        return self._problem

    def set_eigenstrain_pattern(self, factors: dict[int, float]):
        """Per-particle eigenstrain factors (particle tag -> factor).

        The eigenstrain in particle ``t`` is ``factors[t] * eps_star``
        (default factor 1).  Changing the pattern does not recompile forms.
        """
        arr = self._eig_pattern.x.array
        for t, f in factors.items():
            arr[self._tag_of_cell == t] = f

    def _set_loads(self, loads: dict):
        self._pressure.value = loads["pressure"]
        self._eps.value = loads["eps_star"]
        self._disp.value = loads["displacement"]
        for c, base in self._driven:
            c.value = base * loads["displacement"]
        self.loads = dict(loads)

    def snapshot(self):
        """Copy of the state (solution, loads, history) for :meth:`restore`."""
        h = None if self._history is None else self._history.x.array.copy()
        return (self.u_p.x.array.copy(), self.u_m.x.array.copy(), dict(self.loads), h)

    def restore(self, state):
        """Go back to a :meth:`snapshot`."""
        up, um, loads, h = state
        self.u_p.x.array[:] = up
        self.u_m.x.array[:] = um
        if h is not None:
            self._history.x.array[:] = h
        self._set_loads(loads)

    def reset(self):
        """Zero displacement, loads and history."""
        self.u_p.x.array[:] = 0.0
        self.u_m.x.array[:] = 0.0
        if self._history is not None:
            self._history.x.array[:] = 0.0
        self._set_loads({"pressure": 0.0, "eps_star": 0.0, "displacement": 0.0})

    def _newton(self):
        snes = self._problem.solver
        self._problem.solve()
        reason = snes.getConvergedReason()
        its = snes.getIterationNumber()
        lits = snes.getLinearSolveIterations()
        if reason > 0:
            from mpi4py import MPI

            finite = bool(np.isfinite(self.u_p.x.array).all()
                          and np.isfinite(self.u_m.x.array).all())
            if not self.comm.allreduce(finite, op=MPI.LAND):
                reason = _NAN_REASON
        return reason, its, lits

    def solve(self, *, pressure: float | None = None, eps_star: float | None = None,
              displacement: float | None = None, steps: int = 1, max_cutbacks: int = 10,
              grow: float = 1.5, report: SolveReport | None = None) -> SolveReport:
        """Continue the solution from the current loads to the target loads.

        Loads not given keep their current value.  The load path is the
        straight line between the current and the target load vector,
        split into ``steps`` increments; each increment starts Newton from
        the previous converged solution (continuation).  A failed
        increment is restored and halved (cut-back) up to ``max_cutbacks``
        times in total; after ``steps`` successful small increments the
        increment grows by ``grow``.

        Raises:
            ContactSolverError: with the SNES converged reason if Newton
                fails after all cut-backs.
        """
        t0 = time.perf_counter()
        rep = report if report is not None else SolveReport()
        start = dict(self.loads)
        target = dict(start)
        for key, val in (("pressure", pressure), ("eps_star", eps_star),
                         ("displacement", displacement)):
            if val is not None:
                target[key] = float(val)
        if self._history is None and all(v == 0.0 for v in target.values()):
            # unloaded and history-free: the solution is exactly zero (no round-off
            # remnant of the previous state, so serial and parallel agree exactly)
            self.reset()
            rep.steps += 1
            rep.wall_time += time.perf_counter() - t0
            return rep
        s, ds = 0.0, 1.0 / max(1, steps)
        cut = 0
        err = None
        while s < 1.0 - 1e-14:
            s_new = min(1.0, s + ds)
            state = self.snapshot()
            loads = {k: start[k] + s_new * (target[k] - start[k]) for k in start}
            self._set_loads(loads)
            try:
                reason, its, lits = self._newton()
            except Exception as exc:  # PETSc errors (e.g. zero pivot)
                reason, its, lits = -100, 0, 0
                err = exc
            rep.newton_iterations += its
            rep.linear_iterations += lits
            rep.reasons.append(int(reason))
            if reason > 0:
                if self._history is not None:
                    self.update_history()
                s = s_new
                rep.steps += 1
                if its <= 8:
                    ds = min(ds * grow, 1.0)
                continue
            self.restore(state)
            cut += 1
            rep.cutbacks += 1
            if cut > max_cutbacks:
                name = ("PETSc error: " + str(err) if reason == -100 else
                        "non-finite solution" if reason == _NAN_REASON else _reason_name(reason))
                raise ContactSolverError(
                    f"Newton failed ({name}, {its} iterations) at load fraction {s_new:.4g} of "
                    f"{start} -> {target} after {max_cutbacks} cut-backs")
            ds *= 0.5
        rep.wall_time += time.perf_counter() - t0
        return rep

    def update_history(self):
        """Store the largest effective opening per particle cell (cohesive)."""
        self.topology.update_history(self._history)

    # ------------------------------------------------------------------
    def metrics(self, **kwargs):
        """Interface and matrix-stress metrics, see :func:`postprocess.metrics`."""
        from interface.mechanics.interface_metrics import metrics

        return metrics(self, **kwargs)

    def num_dofs(self) -> int:
        """Global number of displacement DOFs (both bodies)."""
        return int(sum(V.dofmap.index_map.size_global * V.dofmap.index_map_bs for V in self.V))


def _min_op():
    from mpi4py import MPI

    return MPI.MIN


def _max_op():
    from mpi4py import MPI

    return MPI.MAX
