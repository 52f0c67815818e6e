"""FE model of a stack with creeping metal layers in its fixture, in time (2D plane strain, 3D).

The layered mesh of :mod:`interface.geometry.stack` carries, per layer, one of

* elastic (current collectors, dense layers, composite electrodes: isotropic, with the
  layer's swelling / growth eigenstrain e*(SOC));
* porous compact (a pressed pellet): elastic with the modulus of the compact at its
  fabricated density, E(D) = E_dense D^m; the model refuses a layer pressure above the
  fabrication pressure (further compaction is the 1D column's job,
  :mod:`interface.mechanics.column`);
* metal (Li, In): J2 plasticity with power-law creep, Perzyna-regularised yield
  (:mod:`interface.mechanics.viscoplastic`), integrated by the implicit return mapping at
  the quadrature points.  With free lateral edges the metal squeezes out sideways.

Equilibrium, int sigma(eps(u) - e*) : eps(v) dx = 0, is solved by Newton (PETSc SNES,
consistent tangent, MUMPS) at every time step.  The top plate displacement w closes the
fixture, w - w_asm = C_f (P(w) - P0) with the plate pressure P from the consistent
reaction; it is found by the secant method (each evaluation a Newton solve from the
state at the start of the step).  If the balance needs P < 0 the plate lifts off: the top
face is then traction free and the gap between plate and stack is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from interface.backend import MPI, PETSc, ufl
from interface.errors import SolverError
from interface.geometry.stack import BOTTOM, SIDE_X, SIDE_Y, SYM_X, SYM_Y, TOP, layered_mesh
from interface.mechanics.solvers import NewtonSolver
from interface.mechanics.viscoplastic import SQ2, LithiumMaterial, return_mapping

_INSERT, _ADD = PETSc.InsertMode.INSERT, PETSc.InsertMode.ADD
_FWD, _REV = PETSc.ScatterMode.FORWARD, PETSc.ScatterMode.REVERSE


@dataclass(frozen=True)
class FELayer:
    """One layer of the FE stack.

    Attributes:
        name: layer name.
        thickness: m.
        law: LithiumMaterial-like law (E, nu, yield, creep); elastic layers have creep and
            plasticity switched off.
        eigenstrain: SOC -> (xx, yy, zz) eigenstrain.
        fabrication_pressure: porous compacts: the largest pressure they may carry, Pa
            (None: no limit).
    """

    name: str
    thickness: float
    law: LithiumMaterial
    eigenstrain: object
    fabrication_pressure: float | None = None

    @property
    def inelastic(self) -> bool:
        """True for a creeping / yielding layer."""
        return bool(self.law.creep or self.law.plastic)


def elastic_law(youngs_modulus: float, poisson_ratio: float) -> LithiumMaterial:
    """A LithiumMaterial that stays elastic (creep and plasticity off)."""
    return LithiumMaterial(E=youngs_modulus, nu=poisson_ratio, creep=False, plastic=False)


@dataclass
class FEState:
    """The stack at one time (SI units)."""

    time: float
    soc: float
    pressure: float
    plate_displacement: float
    thickness_change: float
    gap: float
    lift_off: bool
    newton_iterations: int
    layer_stress_zz: np.ndarray


class InelasticStackProblem:
    """The 2D / 3D stack with creeping layers in a fixture (see the module docstring).

    Args:
        comm: communicator.
        layers: FELayer list, bottom to top.
        dim: 2 (plane strain) or 3.
        compliance: fixture compliance per area C_f = A / k, m/Pa.
        preload: P0, Pa.
        width, depth: modelled section (quarter symmetry in 3D, half in 2D), m.
        cells_per_layer, lateral_cells, degree: mesh.
        lateral_bc: "free" or "constrained" lateral faces.
        plate_contact: "frictionless" or "bonded".
    """

    def __init__(self, comm, layers: list[FELayer], *, dim: int, compliance: float,
                 preload: float, width: float, depth: float, cells_per_layer: int = 4,
                 lateral_cells: int = 8, degree: int = 1, lateral_bc: str = "free",
                 plate_contact: str = "frictionless"):
        import basix.ufl
        import dolfinx.fem.petsc as fpetsc
        from dolfinx import fem

        if dim not in (2, 3):
            raise ValueError("the FE inelastic stack is 2D or 3D (1D: the column model)")
        self.comm, self.dim, self.layers = comm, dim, list(layers)
        self.compliance, self.preload = float(compliance), float(preload)
        self.geometry = layered_mesh(comm, [la.thickness for la in layers], dim, width=width,
                                     depth=depth, cells_per_layer=cells_per_layer,
                                     lateral_cells=lateral_cells)
        msh = self.geometry.mesh
        self.m = 4 if dim == 2 else 6
        self.V = fem.functionspace(msh, ("Lagrange", degree, (dim,)))
        self.u = fem.Function(self.V, name="displacement_m")
        qdeg = 1 if degree == 1 else 2
        cell = msh.topology.cell_name()
        self.Qv = fem.functionspace(msh, basix.ufl.quadrature_element(
            cell, value_shape=(self.m,), degree=qdeg))
        Qt = fem.functionspace(msh, basix.ufl.quadrature_element(
            cell, value_shape=(self.m, self.m), degree=qdeg))
        self.sig, self.Ct = fem.Function(self.Qv), fem.Function(Qt)
        self.eps_q = fem.Function(self.Qv)
        self.eps_expr = fem.Expression(self._eps_m(self.u), self.Qv.element.interpolation_points)
        nq = self.sig.x.array.size // self.m
        ncells = msh.topology.index_map(dim).size_local + msh.topology.index_map(dim).num_ghosts
        self.nqp = nq // ncells
        tags = self.geometry.cell_tags
        cell_layer = np.full(ncells, -1, dtype=np.int64)
        cell_layer[tags.indices] = tags.values - 1
        self.point_layer = np.repeat(cell_layer, self.nqp)
        self.eps_in = np.zeros((nq, self.m))
        self.kappa = np.zeros(nq)
        self.eps_in_new, self.kappa_new = self.eps_in.copy(), self.kappa.copy()
        self.eig_points = np.zeros((nq, self.m))
        self.dt = 0.0

        dxq = ufl.Measure("dx", domain=msh, metadata={"quadrature_degree": qdeg,
                                                       "quadrature_scheme": "default"})
        v, du = ufl.TestFunction(self.V), ufl.TrialFunction(self.V)
        ev = self._eps_m(v)
        self.F_form = fem.form(ufl.inner(self.sig, ev) * dxq)
        self.J_form = fem.form(ufl.inner(ufl.dot(self.Ct, self._eps_m(du)), ev) * dxq)

        fdim = dim - 1
        ft = self.geometry.facet_tags
        ax = dim - 1

        def dofs(i, tag):
            return fem.locate_dofs_topological(self.V.sub(i), fdim, ft.find(tag))

        zero = PETSc.ScalarType(0.0)
        self.w = fem.Constant(msh, PETSc.ScalarType(0.0))
        base = [fem.dirichletbc(zero, dofs(ax, BOTTOM), self.V.sub(ax)),
                fem.dirichletbc(zero, dofs(0, SYM_X), self.V.sub(0))]
        if dim == 3:
            base.append(fem.dirichletbc(zero, dofs(1, SYM_Y), self.V.sub(1)))
        if lateral_bc == "constrained":
            base.append(fem.dirichletbc(zero, dofs(0, SIDE_X), self.V.sub(0)))
            if dim == 3:
                base.append(fem.dirichletbc(zero, dofs(1, SIDE_Y), self.V.sub(1)))
        top = [fem.dirichletbc(self.w, dofs(ax, TOP), self.V.sub(ax))]
        if plate_contact == "bonded":
            for i in range(dim - 1):
                base.append(fem.dirichletbc(zero, dofs(i, BOTTOM), self.V.sub(i)))
                top.append(fem.dirichletbc(zero, dofs(i, TOP), self.V.sub(i)))
        self.bcs_plate, self.bcs_free = base + top, base
        self.bcs = self.bcs_plate
        # consistent reaction on the top plate and the mean top displacement
        self.v_top = fem.Function(self.V)
        one = fem.dirichletbc(PETSc.ScalarType(1.0), dofs(ax, TOP), self.V.sub(ax))
        one.set(self.v_top.x.array)
        self._reaction = fem.form(ufl.inner(self.sig, self._eps_m(self.v_top)) * dxq)
        ds = ufl.Measure("ds", domain=msh, subdomain_data=ft)
        self._top_u = fem.form(self.u[ax] * ds(TOP))
        self.area = self.geometry.top_area
        self.height = float(sum(la.thickness for la in layers))

        self.A = fpetsc.create_matrix(self.J_form)
        self.b = fpetsc.create_vector(self.V)
        self.x = self.u.x.petsc_vec.copy()
        self.newton = NewtonSolver(comm, self._residual, self._jacobian, self.b, self.A,
                                   name="stack_inelastic", finite=lambda: self.x.array_r)
        self.newton.set_atol(1e-12 * max(self.preload, 1e5) * self.area)
        self.time, self.soc, self.pressure = 0.0, 0.0, self.preload
        self.w_asm = 0.0
        self.history: dict = {}

    # --------------------------------------------------------------- helpers
    def _eps_m(self, w):
        e = ufl.sym(ufl.grad(w))
        if self.dim == 2:
            return ufl.as_vector([e[0, 0], e[1, 1], 0.0, SQ2 * e[0, 1]])
        return ufl.as_vector([e[0, 0], e[1, 1], e[2, 2], SQ2 * e[1, 2], SQ2 * e[0, 2],
                              SQ2 * e[0, 1]])

    def _set_eigenstrain(self, soc: float) -> None:
        """Eigenstrain (Mandel, normal components) per quadrature point; z = last axis."""
        perm = (0, 2, 1) if self.dim == 2 else (0, 1, 2)  # (xx, yy, zz) -> model order
        self.eig_points[:] = 0.0
        for i, la in enumerate(self.layers):
            e = np.asarray(la.eigenstrain(soc), float)
            sel = self.point_layer == i
            for k in range(3):
                self.eig_points[sel, perm[k]] = e[k]

    def _update(self, tangent: bool) -> None:
        from dolfinx import fem  # noqa: F401

        self.eps_q.interpolate(self.eps_expr)
        eps = self.eps_q.x.array.reshape(-1, self.m) - self.eig_points
        sig = np.zeros_like(eps)
        C = np.zeros((eps.shape[0], self.m, self.m)) if tangent else None
        for i, la in enumerate(self.layers):
            sel = np.flatnonzero(self.point_layer == i)
            if sel.size == 0:
                continue
            r = return_mapping(eps[sel], self.eps_in[sel], self.kappa[sel], self.dt, la.law,
                               compute_tangent=tangent)
            sig[sel] = r["sigma"]
            self.eps_in_new[sel], self.kappa_new[sel] = r["eps_in"], r["kappa"]
            if tangent:
                C[sel] = r["C"]
        self.sig.x.array[:] = sig.ravel()
        if tangent:
            self.Ct.x.array[:] = C.ravel()

    def _residual(self, x, b):
        import dolfinx.fem.petsc as fpetsc

        x.ghostUpdate(addv=_INSERT, mode=_FWD)
        fpetsc.assign(x, self.u)
        self._update(tangent=False)
        with b.localForm() as bl:
            bl.set(0.0)
        fpetsc.assemble_vector(b, self.F_form)
        b.ghostUpdate(addv=_ADD, mode=_REV)
        fpetsc.set_bc(b, self.bcs, x0=x, alpha=-1.0)

    def _jacobian(self, x, A):
        import dolfinx.fem.petsc as fpetsc

        x.ghostUpdate(addv=_INSERT, mode=_FWD)
        fpetsc.assign(x, self.u)
        self._update(tangent=True)
        A.zeroEntries()
        fpetsc.assemble_matrix(A, self.J_form, bcs=self.bcs, diag=1.0)
        A.assemble()

    def _newton(self, point: dict) -> int:
        """Solve equilibrium from the current u (boundary values applied first)."""
        import dolfinx.fem.petsc as fpetsc

        fpetsc.assign(self.u, self.x)
        fpetsc.set_bc(self.x, self.bcs)
        its = self.newton.solve(self.x, "inelastic stack", point)
        fpetsc.assign(self.x, self.u)
        self.u.x.scatter_forward()
        self._update(tangent=False)
        return its

    def _plate_pressure(self) -> float:
        from dolfinx import fem

        r = self.comm.allreduce(fem.assemble_scalar(self._reaction), op=MPI.SUM)
        return -float(r) / self.area

    def _top_displacement(self) -> float:
        from dolfinx import fem

        return float(self.comm.allreduce(fem.assemble_scalar(self._top_u), op=MPI.SUM)
                     / self.area)

    def _solve_at(self, w: float, u0: np.ndarray, point: dict) -> tuple[float, int]:
        self.bcs = self.bcs_plate
        self.w.value = w
        self.u.x.array[:] = u0
        its = self._newton(point)
        return self._plate_pressure(), its

    # ------------------------------------------------------------------- march
    def assemble(self) -> FEState:
        """Apply the preload at the reference state (SOC 0, instantaneous, t = 0)."""
        self.dt = 0.0
        self._set_eigenstrain(0.0)
        u0 = self.u.x.array.copy()
        # elastic estimate of the plate displacement, then secant on P(w) = P0
        w1 = -self.preload * self.height / self.layers[0].law.E
        p1, _ = self._solve_at(w1, u0, {"stage": "assembly"})
        w0, p0 = 0.0, 0.0
        its_total = 0
        for _ in range(60):
            if abs(p1 - self.preload) <= 1e-9 * max(self.preload, 1.0):
                break
            w2 = w1 + (self.preload - p1) * (w1 - w0) / (p1 - p0)
            w0, p0 = w1, p1
            w1 = w2
            p1, its = self._solve_at(w1, u0, {"stage": "assembly"})
            its_total += its
        else:
            raise SolverError("inelastic stack: the preload could not be balanced")
        self.w_asm = w1
        self._commit()
        self.pressure = p1
        return self._state(0.0, 0.0, p1, w1, False, 0.0, its_total)

    def _commit(self) -> None:
        self.eps_in[:], self.kappa[:] = self.eps_in_new, self.kappa_new

    def step(self, soc: float, dt: float) -> FEState:
        """Advance by dt to ``soc``; the plate follows the fixture (secant on w)."""
        self.dt = float(dt)
        self._set_eigenstrain(soc)
        u0 = self.u.x.array.copy()
        point = {"soc": soc, "time": self.time + dt}
        cf = self.compliance

        def balance(w: float) -> tuple[float, float, int]:
            p, its = self._solve_at(w, u0, point)
            return (w - self.w_asm) - cf * (p - self.preload), p, its

        w_prev = float(self.w.value)
        its_total = 0
        if cf == 0.0:
            p, its = self._solve_at(self.w_asm, u0, point)
            w, its_total = self.w_asm, its
        else:
            g0, p0, its = balance(w_prev)
            its_total += its
            c_stack = sum(la.thickness / la.law.E for la in self.layers)
            w1 = w_prev - g0 / (1.0 + cf / c_stack)  # first step: elastic slope estimate
            g1, p1, its = balance(w1)
            its_total += its
            w0 = w_prev
            # g in pressure units: |g| / (C_f + C_stack) is the force imbalance per area
            tol = 1e-10 * max(self.preload, 1e3) * (cf + c_stack)
            for _ in range(50):
                if abs(g1) <= tol or g1 == g0:
                    break
                w2 = w1 - g1 * (w1 - w0) / (g1 - g0)
                w0, g0 = w1, g1
                w1 = w2
                g1, p1, its = balance(w1)
                its_total += its
            else:
                raise SolverError("inelastic stack: fixture balance did not converge",
                                  point=point)
            w, p = w1, p1
        lift, gap = False, 0.0
        if p < 0.0:
            # the plate would pull: it lifts off, the top face is free
            self.bcs = self.bcs_free
            self.u.x.array[:] = u0
            its_total += self._newton(point)
            p = 0.0
            w = self.w_asm - cf * self.preload  # the frame relaxes fully
            gap = max(w - self._top_displacement(), 0.0)
            lift = True
        self._check_porous(point)
        self._commit()
        self.time += dt
        self.soc, self.pressure = soc, p
        return self._state(self.time, soc, p, w, lift, gap, its_total)

    def _layer_stress_zz(self) -> np.ndarray:
        zz = 1 if self.dim == 2 else 2
        s = self.sig.x.array.reshape(-1, self.m)[:, zz]
        out = np.zeros(len(self.layers))
        cnt = np.zeros(len(self.layers))
        n_owned = self.geometry.mesh.topology.index_map(self.dim).size_local * self.nqp
        for i in range(len(self.layers)):
            sel = self.point_layer[:n_owned] == i
            out[i] = s[:n_owned][sel].sum()
            cnt[i] = sel.sum()
        self.comm.Allreduce(MPI.IN_PLACE, out, op=MPI.SUM)
        self.comm.Allreduce(MPI.IN_PLACE, cnt, op=MPI.SUM)
        return out / np.maximum(cnt, 1)

    def _check_porous(self, point: dict) -> None:
        szz = self._layer_stress_zz()
        for la, s in zip(self.layers, szz, strict=True):
            if la.fabrication_pressure is not None and -s > la.fabrication_pressure:
                raise SolverError(f"layer {la.name}: pressure {-s / 1e6:.4g} MPa exceeds its "
                                  f"fabrication pressure {la.fabrication_pressure / 1e6:.4g} "
                                  "MPa (the compact would densify further; use the 1D model)",
                                  point=point)

    def _state(self, t, soc, p, w, lift, gap, its) -> FEState:
        top = self._top_displacement()
        return FEState(time=t, soc=soc, pressure=float(p), plate_displacement=float(w),
                       thickness_change=float(top - self.w_asm), gap=float(gap),
                       lift_off=bool(lift), newton_iterations=int(its),
                       layer_stress_zz=self._layer_stress_zz())

    @property
    def num_dofs(self) -> int:
        """Global displacement DOFs."""
        im = self.V.dofmap.index_map
        return im.size_global * self.V.dofmap.index_map_bs

    def destroy(self) -> None:
        """Free PETSc objects and options."""
        self.newton.destroy()
        for obj in (self.A, self.b, self.x):
            obj.destroy()


def norton_relaxation_uniaxial(sigma0: float, youngs_modulus: float, coefficient: float,
                               n: float, t) -> np.ndarray:
    """sigma(t) of a uniaxially stressed Norton solid held at fixed length (Pa)."""
    t = np.asarray(t, dtype=float)
    return (sigma0 ** (1.0 - n) + (n - 1.0) * youngs_modulus * coefficient * t) ** (
        1.0 / (1.0 - n))

