"""Interface and stress metrics (all global values MPI-reduced).

The interface quantities are evaluated from the *vertex* values of the two
displacement fields on every owned interface facet (exact for P1: the
normal gap is linear on each straight facet; for P2 only the vertex values
are used).  Per facet the gap ``g`` is linear, so

* closed measure  = measure of {g <= gap_tol} on the facet (exact clipping
  of a linear function on a segment / triangle),
* int <g>_+ and int p (penalty laws: p = k <-g>_+ or -k g) are integrated
  exactly.

Matrix stresses are evaluated cell-wise from a DG(degree-1) interpolation
of the stress of the matrix displacement (plane strain: sigma_zz = lambda
tr(eps) is included in the principal stresses and von Mises).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np

from interface.backend import dolfinx  # noqa: F401
from interface.mechanics.interface_laws import Bonded, FrictionlessContact

__all__ = ["InterfaceTopology", "Metrics", "metrics", "clip_fraction", "integrate_positive"]


def clip_fraction(f: np.ndarray) -> np.ndarray:
    """Fraction of each simplex facet where the linear function f <= 0.

    ``f``: (nf, 2) vertex values on segments or (nf, 3) on triangles.
    """
    f = np.asarray(f, float)
    if f.shape[1] == 2:
        lo, hi = f.min(axis=1), f.max(axis=1)
        out = np.where(hi <= 0.0, 1.0, 0.0)
        mixed = (lo <= 0.0) & (hi > 0.0)
        out[mixed] = -lo[mixed] / (hi[mixed] - lo[mixed])
        return out
    if f.shape[1] == 3:
        a, b, c = np.sort(f, axis=1).T
        out = np.where(c <= 0.0, 1.0, 0.0)
        m1 = (a <= 0.0) & (b > 0.0)
        out[m1] = a[m1] ** 2 / ((b[m1] - a[m1]) * (c[m1] - a[m1]))
        m2 = (b <= 0.0) & (c > 0.0)
        out[m2] = 1.0 - c[m2] ** 2 / ((c[m2] - a[m2]) * (c[m2] - b[m2]))
        return out
    raise ValueError("facets must be segments or triangles")


def integrate_positive(f: np.ndarray, measure: np.ndarray) -> np.ndarray:
    """Exact integral of max(f, 0) for f linear on each segment/triangle."""
    f = np.asarray(f, float)
    if f.shape[1] == 2:
        lo, hi = f.min(axis=1), f.max(axis=1)
        out = np.where(lo >= 0.0, 0.5 * (lo + hi), 0.0)
        mixed = (lo < 0.0) & (hi > 0.0)
        out[mixed] = hi[mixed] ** 2 / (2.0 * (hi[mixed] - lo[mixed]))
        return out * measure
    a, b, c = np.sort(f, axis=1).T
    out = np.where(a >= 0.0, (a + b + c) / 3.0, 0.0)
    m1 = (a < 0.0) & (b >= 0.0)
    alpha = a[m1] ** 2 / ((b[m1] - a[m1]) * (c[m1] - a[m1]))
    out[m1] = (a[m1] + b[m1] + c[m1]) / 3.0 - alpha * a[m1] / 3.0
    m2 = (b < 0.0) & (c > 0.0)
    beta = c[m2] ** 2 / ((c[m2] - a[m2]) * (c[m2] - b[m2]))
    out[m2] = beta * c[m2] / 3.0
    return out * measure


class InterfaceTopology:
    """Owned interface facets with vertex -> (particle dof, matrix dof) pairs.

    Built once per :class:`~.solver.InterfaceProblem`; holds numpy arrays
    only (no forms), so evaluating the metrics costs O(#interface facets).
    """

    def __init__(self, problem):
        from dolfinx import mesh as dmesh

        msh = problem.tagged.mesh
        tdim = msh.topology.dim
        fdim = tdim - 1
        gdim = msh.geometry.dim
        ents = problem._iface_entities
        facets = problem._iface_facets
        nf = len(facets)
        f2v = msh.topology.connectivity(fdim, 0)
        fv = np.array([f2v.links(f) for f in facets], dtype=np.int32).reshape(nf, tdim)
        # coordinates of facet vertices
        geo = (dmesh.entities_to_geometry(msh, 0, fv.ravel()).ravel() if nf
               else np.empty(0, np.int32))
        X = msh.geometry.x[geo, :gdim].reshape(nf, tdim, gdim)
        # particle cell centroids for orientation
        gdm = msh.geometry.dofmaps[0]
        cp = ents[:, 0]
        cm = ents[:, 2]
        cen = msh.geometry.x[gdm[cp], :gdim].mean(axis=1) if nf else np.empty((0, gdim))
        if tdim == 2:
            t = X[:, 1] - X[:, 0]
            meas = np.linalg.norm(t, axis=1)
            nrm = np.stack([t[:, 1], -t[:, 0]], axis=1) / np.maximum(meas, 1e-300)[:, None]
        else:
            cr = np.cross(X[:, 1] - X[:, 0], X[:, 2] - X[:, 0])
            a2 = np.linalg.norm(cr, axis=1)
            meas = 0.5 * a2
            nrm = cr / np.maximum(a2, 1e-300)[:, None]
        mid = X.mean(axis=1)
        flip = np.einsum("ij,ij->i", nrm, mid - cen) < 0
        nrm[flip] *= -1.0
        self.normal = nrm
        self.measure = meas
        self.coords = X
        self.facets = facets
        self.cells_p = cp
        self.cells_m = cm
        # vertex -> dof maps in both submeshes
        self.dofs = []
        for bi in range(2):
            sub = problem.submeshes[bi]
            V = problem.V[bi]
            vm = problem._vertex_maps[bi]
            sub_v = np.asarray(vm.sub_topology_to_topology(fv.ravel(), True), dtype=np.int64)
            if np.any(sub_v < 0):
                raise RuntimeError("interface vertex missing from a submesh")
            c2v = sub.topology.connectivity(tdim, 0)
            nvc = tdim + 1
            cell_v = c2v.array.reshape(-1, nvc)
            cell_d = V.dofmap.list[:, :nvc]
            nv_sub = sub.topology.index_map(0).size_local + sub.topology.index_map(0).num_ghosts
            v2d = np.full(nv_sub, -1, dtype=np.int64)
            v2d[cell_v.ravel()] = cell_d.ravel()
            d = v2d[sub_v]
            if np.any(d < 0):
                raise RuntimeError("no dof at an interface vertex")
            self.dofs.append(d.reshape(nf, tdim))
        h = problem._hcell.x.array
        self.k = problem.law.penalty * problem.E_ref / (0.5 * (h[cp] + h[cm]))
        ptags = np.asarray(problem.tagged.particle_tags)
        order = {int(t): i for i, t in enumerate(ptags)}
        coat = getattr(problem.tagged, "coating_tags", {}) or {}
        self.particle_index = np.array([order[int(coat.get(int(t), t))]
                                        for t in problem._tag_of_cell[cp]], dtype=np.int64)
        self.n_particles = len(ptags)
        g0f = problem._g0fun
        if g0f is not None and nf:
            xx = X.reshape(-1, gdim).T
            self.g0 = np.asarray(g0f(np.vstack([xx, np.zeros((3 - gdim, xx.shape[1]))])),
                                 float).reshape(nf, tdim)
        else:
            self.g0 = np.zeros((nf, tdim))
        # normal used in the law at every facet vertex
        if problem.normal_type == "nodal":
            Vn = problem._nodal_normal.function_space
            c2v = msh.topology.connectivity(tdim, 0)
            nvp = msh.topology.index_map(0).size_local + msh.topology.index_map(0).num_ghosts
            v2d = np.full(nvp, -1, dtype=np.int64)
            v2d[c2v.array.reshape(-1, tdim + 1).ravel()] = Vn.dofmap.list[:, : tdim + 1].ravel()
            N = problem._nodal_normal.x.array.reshape(-1, gdim)
            self.vertex_normal = N[v2d[fv]]
        else:
            self.vertex_normal = np.repeat(nrm[:, None, :], tdim, axis=1)
        # weak reference: a strong one would create a problem <-> topology
        # reference cycle, collected by the cyclic GC at *different times on
        # different ranks*; the collective PETSc destroy in
        # NonlinearProblem.__del__ then deadlocks (seen with pytest + MPI)
        self._problem_ref = weakref.ref(problem)
        self.comm = problem.comm

    @property
    def problem(self):
        """The InterfaceProblem (held by a weak reference)."""
        p = self._problem_ref()
        if p is None:
            raise RuntimeError("the InterfaceProblem of this topology no longer exists")
        return p

    # ------------------------------------------------------------------
    def vertex_jump(self):
        """(nf, nv, gdim) displacement jump u_m - u_p at facet vertices."""
        p = self.problem
        gdim = p.tagged.mesh.geometry.dim
        up = p.u_p.x.array.reshape(-1, gdim)
        um = p.u_m.x.array.reshape(-1, gdim)
        return um[self.dofs[1]] - up[self.dofs[0]]

    def vertex_gap(self):
        """(nf, nv) normal gap g = g0 + [u].n at facet vertices."""
        j = self.vertex_jump()
        return self.g0 + np.einsum("fvi,fvi->fv", j, self.vertex_normal)

    def vertex_slip(self):
        """(nf, nv, gdim) tangential part of the jump at facet vertices."""
        j = self.vertex_jump()
        jn = np.einsum("fvi,fvi->fv", j, self.vertex_normal)
        return j - jn[..., None] * self.vertex_normal

    def facet_history(self):
        """Cohesive history (largest opening) of each facet's particle cell, or None."""
        h = self.problem._history
        if h is None:
            return None
        return h.x.array[self.cells_p]

    def update_history(self, hist_fun):
        """Raise the history of each particle cell to the current effective opening."""
        law = self.problem.law
        g = self.vertex_gap()
        gt = self.vertex_slip()
        delta = np.sqrt(np.maximum(g, 0.0) ** 2 + law.beta**2 * np.sum(gt**2, axis=2))
        dmax = delta.max(axis=1)
        arr = hist_fun.x.array
        np.maximum.at(arr, self.cells_p, dmax)
        hist_fun.x.scatter_forward()


@dataclass
class Metrics:
    """Global interface/stress metrics (identical on all ranks, SI units)."""

    contact_fraction: float
    interface_measure: float
    closed_measure: float
    mean_gap: float
    max_gap: float
    peak_pressure: float
    mean_pressure: float
    normal_force: float
    isolated_fraction: float
    particle_contact_fraction: np.ndarray
    particle_interface_measure: np.ndarray
    matrix_max_principal: float = float("nan")
    matrix_max_von_mises: float = float("nan")
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The metrics as a flat dict."""
        d = {k: v for k, v in self.__dict__.items() if k != "extra"}
        d.update(self.extra)
        return d


def _matrix_stress_extrema(problem):
    import ufl
    from dolfinx import fem
    from mpi4py import MPI

    msh_m = problem.submeshes[1]
    gdim = msh_m.geometry.dim
    mat = problem.matrix_material
    cache = getattr(problem, "_stress_cache", None)
    if cache is None:
        deg = max(problem.degree - 1, 0)
        W = fem.functionspace(msh_m, ("DG", deg, (gdim, gdim)))
        e = ufl.sym(ufl.grad(problem.u_m))
        sig = mat.lmbda * ufl.tr(e) * ufl.Identity(gdim) + 2 * mat.mu * e
        expr = fem.Expression(sig, W.element.interpolation_points)
        ezz = None
        if gdim == 2:
            Wz = fem.functionspace(msh_m, ("DG", deg))
            ezz = (fem.Expression(mat.lmbda * ufl.tr(e), Wz.element.interpolation_points),
                   fem.Function(Wz))
        cache = (W, fem.Function(W), expr, ezz)
        problem._stress_cache = cache
    W, sfun, expr, ezz = cache
    sfun.interpolate(expr)
    nloc = W.dofmap.index_map.size_local  # owned DG dofs (owned cells)
    s = sfun.x.array.reshape(-1, gdim, gdim)[:nloc]
    if gdim == 2:
        ezz[1].interpolate(ezz[0])
        szz = ezz[1].x.array[:nloc]
        S = np.zeros((len(s), 3, 3))
        S[:, :2, :2] = s
        S[:, 2, 2] = szz
    else:
        S = s
    if len(S):
        ev = np.linalg.eigvalsh(0.5 * (S + np.transpose(S, (0, 2, 1))))
        smax = float(ev[:, -1].max())
        dev = S - np.trace(S, axis1=1, axis2=2)[:, None, None] / 3.0 * np.eye(3)
        vm = float(np.sqrt(1.5 * np.einsum("kij,kij->k", dev, dev)).max())
    else:
        smax = vm = -np.inf
    comm = problem.comm
    return comm.allreduce(smax, op=MPI.MAX), comm.allreduce(vm, op=MPI.MAX)


def _quadrature_facet_integrals(problem, gap_tol, degree=8):
    """Per owned interface facet: int p dS and int [g <= gap_tol] dS."""
    import ufl
    from dolfinx import fem

    cache = getattr(problem, "_facet_integral_cache", None)
    if cache is None:
        msh = problem.tagged.mesh
        Q0 = problem._Q0
        w = ufl.TestFunction(Q0)
        d = problem._ufl
        ents = problem._iface_entities.ravel()
        dS = ufl.Measure("dS", domain=msh, subdomain_data=[(1, ents)],
                         metadata={"quadrature_degree": degree})
        p = -ufl.dot(d["t"], d["n"])
        closed = ufl.conditional(ufl.le(d["g"], problem._gap_tol_const), 1.0, 0.0)
        forms = [fem.form(p * w("+") * dS(1), entity_maps=problem.entity_maps),
                 fem.form(closed * w("+") * dS(1), entity_maps=problem.entity_maps)]
        cache = forms
        problem._facet_integral_cache = cache
    problem._gap_tol_const.value = gap_tol
    out = []
    cells = problem.topology.cells_p
    for f in cache:
        b = fem.assemble_vector(f)
        # values stay on the local particle cell of each facet (no scatter:
        # every owned interface facet is integrated on its own rank)
        out.append(b.array[cells].copy())
    # a particle cell with several interface facets holds their sum: split
    # it over the facets in proportion to their measure
    top = problem.topology
    _, inv = np.unique(cells, return_inverse=True)
    msum = np.bincount(inv, weights=top.measure)
    share = top.measure / msum[inv]
    return out[0] * share, out[1] * share


def metrics(problem, *, gap_tol: float = 0.0, isolated_threshold: float = 0.05,
            stresses: bool = True) -> Metrics:
    """Compute the interface metrics of the current solution.

    Args:
        problem: the InterfaceProblem (its current solution is evaluated).
        gap_tol: the interface is *closed* where ``g <= gap_tol`` (m).  With
            the penalty law the active set is exactly ``g <= 0``.
        isolated_threshold: a particle is *isolated* if its contact
            fraction is below this value.
        stresses: also compute the matrix stress extrema.
    """
    from mpi4py import MPI

    top = problem.topology
    comm = top.comm
    g = top.vertex_gap()
    meas = top.measure
    frac = clip_fraction(g - gap_tol) if len(g) else np.zeros(0)
    closed = frac * meas
    law = problem.law
    k = top.k[:, None]
    hist = top.facet_history()
    vertex_rule = problem.interface_quadrature == "vertex"
    if isinstance(law, (FrictionlessContact, Bonded)):
        pv = law.normal_pressure(g, k)
    else:
        pv = law.normal_pressure(g, k, None if hist is None else hist[:, None])
    # integrate p with the rule used in the weak form, so that the normal
    # force equals the force transmitted by the discrete interface law
    if vertex_rule or not isinstance(law, FrictionlessContact):
        p_int = pv.mean(axis=1) * meas if len(g) else np.zeros(0)
    else:
        p_int = top.k * integrate_positive(-g, meas) if len(g) else np.zeros(0)
    gpos_int = integrate_positive(g, meas) if len(g) else np.zeros(0)

    if problem.degree > 1:
        # vertex values do not represent P2 interface fields (the P2
        # vertex shape functions of a triangle integrate to zero):
        # integrate the law and the closed indicator with quadrature
        p_int, closed = _quadrature_facet_integrals(problem, gap_tol)
        pv = np.asarray(pv)

    n = top.n_particles
    loc = np.zeros((3, n))
    if len(g):
        loc[0] = np.bincount(top.particle_index, weights=meas, minlength=n)
        loc[1] = np.bincount(top.particle_index, weights=closed, minlength=n)
    glob = np.zeros_like(loc)
    comm.Allreduce(loc, glob, op=MPI.SUM)
    pm, pc = glob[0], glob[1]
    sums = np.array([meas.sum(), closed.sum(), gpos_int.sum(), p_int.sum()])
    gs = np.zeros_like(sums)
    comm.Allreduce(sums, gs, op=MPI.SUM)
    gmax = comm.allreduce(float(g.max()) if len(g) else -np.inf, op=MPI.MAX)
    pmax = comm.allreduce(float(pv.max()) if len(g) else -np.inf, op=MPI.MAX)
    with np.errstate(invalid="ignore", divide="ignore"):
        pfrac = np.where(pm > 0, pc / pm, np.nan)
    iso = float(np.mean(pfrac < isolated_threshold)) if n else float("nan")
    m = Metrics(
        contact_fraction=float(gs[1] / gs[0]) if gs[0] > 0 else float("nan"),
        interface_measure=float(gs[0]), closed_measure=float(gs[1]),
        mean_gap=float(gs[2] / gs[0]) if gs[0] > 0 else float("nan"),
        max_gap=max(gmax, 0.0), peak_pressure=pmax,
        mean_pressure=float(gs[3] / gs[0]) if gs[0] > 0 else float("nan"),
        normal_force=float(gs[3]), isolated_fraction=iso,
        particle_contact_fraction=pfrac, particle_interface_measure=pm,
    )
    if stresses:
        m.matrix_max_principal, m.matrix_max_von_mises = _matrix_stress_extrema(problem)
    return m
