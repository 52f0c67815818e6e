"""FE model of the cell stack between two fixture plates.

The stack (a :class:`~interface.mechanics.laminate.Laminate`) sits on a rigid,
fixed bottom plate; the top plate is rigid and moves by ``w`` along the
stacking axis.  Both faces are frictionless (or bonded).  Because the problem is
linear, the displacement for any plate position is the superposition

    u = u_A(e*) + w u_B,

with u_A the response to the eigenstrain with the plate held at w = 0 and u_B
the response to a unit plate displacement without eigenstrain.  Both use the
same matrix (same Dirichlet set), which is assembled and factorised /
AMG-set-up once; each SOC point then costs one right-hand side and one solve.
The plate force follows from the consistent reaction functional, so the stack
pressure is P(w) = P_A + w P_B, and the fixture closes the problem:

    spring (constant load):    P = P0
    fixed gap:                 w = w_p          (w_p: plate position after preload)
    elastic (stiffness k_f):   P = P0 + (k_f / A) (w - w_p)

with P0 the preload applied at the reference SOC.  The fixed gap and the
constant load are the limits k_f -> inf and k_f -> 0.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from interface.backend import MPI, PETSc, dolfinx, ufl
from interface.errors import SolverError
from interface.geometry.stack import BOTTOM, SIDE_X, SIDE_Y, SYM_X, SYM_Y, TOP, layered_mesh
from interface.mechanics.elasticity import (
    cell_volumes,
    choose_linear_solver,
    component,
    displacement_space,
    eigen3,
    restrict,
    strain,
    strain3,
    stress3,
    von_mises,
)
from interface.mechanics.laminate import Laminate
from interface.mechanics.solvers import LinearSolver

#: Position of (in-plane 1, in-plane 2, through-thickness) in the model's 3x3 index order.
_AXES = {1: (1, 2, 0), 2: (0, 2, 1), 3: (0, 1, 2)}


@dataclass
class StackState:
    """The stack at one SOC (SI units).

    Attributes:
        soc: state of charge.
        stack_pressure: mean pressure on the plates, Pa (compression positive).
        plate_displacement: top-plate position w relative to the stress-free stack, m.
        thickness_change: w - w_p, stack height change since assembly (after preload), m.
        layer_stress_zz: per-layer mean through-thickness stress, Pa (tension positive).
        layer_stress_inplane: per-layer mean in-plane stress (x direction), Pa.
        layer_von_mises_mean / layer_von_mises_max: per-layer von Mises stress, Pa.
        ksp_iterations: linear iterations of this point's solve.
        lift_off: the stack would pull on the plate: it has lifted off (pressure 0).
        gap: plate-to-stack gap after lift-off, m.
        other_fixtures: fixture type -> (stack pressure Pa, thickness change m) of the
            same stack in the other fixtures (free by superposition; see the module doc).
    """

    soc: float
    stack_pressure: float
    plate_displacement: float
    thickness_change: float
    layer_stress_zz: np.ndarray
    layer_stress_inplane: np.ndarray
    layer_von_mises_mean: np.ndarray
    layer_von_mises_max: np.ndarray
    ksp_iterations: int = 0
    other_fixtures: dict = field(default_factory=dict)
    lift_off: bool = False
    gap: float = 0.0


@dataclass
class StackTimings:
    """Wall-clock seconds spent in each phase (rank 0's clock)."""

    mesh: float = 0.0
    setup: float = 0.0
    solve: float = 0.0
    post: float = 0.0
    extra: dict = field(default_factory=dict)


class StackProblem:
    """Elasticity of the layered stack in a fixture; built once, solved for many SOCs.

    Args:
        comm: communicator the mesh and solver live on.
        laminate: the physical layers (effective properties, eigenstrain(SOC)).
        dim: 1 (laterally constrained column), 2 (plane strain), 3.
        degree: Lagrange degree of the displacement.
        cells_per_layer, lateral_cells: mesh resolution.
        width, depth: cross-section size (2D/3D), m.
        lateral_bc: "constrained" (rollers) or "free" lateral edges (2D/3D).
        plate_contact: "frictionless" or "bonded" faces against the plates.
        fixture_type: "spring", "fixed_gap" or "elastic".
        preload: stack pressure at the reference SOC, Pa.
        fixture_areal_stiffness: k_f / A in Pa/m (elastic fixture).
        linear_solver: "auto" (LU for 1D and small meshes, CG+GAMG otherwise), "direct" or
            "iterative".
        rtol: relative tolerance of the iterative solver.
        direct_max_dofs: size limit of "auto" for LU (see ``choose_linear_solver``).
    """

    def __init__(self, comm: MPI.Comm, laminate: Laminate, *, dim: int = 1, degree: int = 1,
                 cells_per_layer: int = 4, lateral_cells: int = 16, width: float = 2e-3,
                 depth: float = 2e-3, lateral_bc: str = "constrained",
                 plate_contact: str = "frictionless", fixture_type: str = "spring",
                 preload: float = 0.0, fixture_areal_stiffness: float | None = None,
                 linear_solver: str = "auto", rtol: float = 1e-9,
                 direct_max_dofs: int = 200000):
        t0 = time.perf_counter()
        self.comm = comm
        self.laminate = laminate
        self.dim = dim
        self.fixture_type = fixture_type
        self.preload = float(preload)
        self.k_f = float(fixture_areal_stiffness or 0.0)
        if fixture_type == "elastic" and not self.k_f > 0:
            raise ValueError("an elastic fixture needs a positive areal stiffness")
        self.timings = StackTimings()

        self.geometry = layered_mesh(comm, [la.thickness for la in laminate.layers], dim,
                                     width=width, depth=depth, cells_per_layer=cells_per_layer,
                                     lateral_cells=lateral_cells)
        mesh = self.geometry.mesh
        self.mesh = mesh
        self.timings.mesh = time.perf_counter() - t0
        t0 = time.perf_counter()
        gdim = mesh.geometry.dim
        fem = dolfinx.fem
        self.V = displacement_space(mesh, degree)
        self.Q0 = fem.functionspace(mesh, ("DG", 0))
        self.E0 = fem.functionspace(mesh, ("DG", 0, (3,)))

        # Per-cell material data and eigenstrain (DG0), filled by layer.
        self.lam = fem.Function(self.Q0, name="lambda_Pa")
        self.mu = fem.Function(self.Q0, name="mu_Pa")
        self.eig = fem.Function(self.E0, name="eigenstrain")
        tags = self.geometry.cell_tags
        self._layer_cells = [tags.indices[tags.values == i + 1]
                             for i in range(len(laminate.layers))]
        for cells, layer in zip(self._layer_cells, laminate.layers, strict=True):
            lam, mu = layer.lame
            self.lam.x.array[cells] = lam
            self.mu.x.array[cells] = mu
        self.lam.x.scatter_forward()
        self.mu.x.scatter_forward()

        u, v = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        e3 = eigen3(self.eig)
        sig_u = restrict(stress3(strain3(u, gdim), self.lam, self.mu), gdim)
        sig_eig = restrict(stress3(-e3, self.lam, self.mu), gdim)  # = -(lam tr e* I + 2 mu e*)
        eps_v = strain(v, gdim)
        self.a = fem.form(ufl.inner(sig_u, eps_v) * ufl.dx)
        self.L = fem.form(-ufl.inner(sig_eig, eps_v) * ufl.dx)

        # Dirichlet conditions: bottom u_z = 0, top u_z = w, symmetry and lateral planes.
        ax = gdim - 1
        fdim = mesh.topology.dim - 1
        ft = self.geometry.facet_tags
        self.w = fem.Constant(mesh, PETSc.ScalarType(0.0))
        zero = PETSc.ScalarType(0.0)

        def sub_dofs(i: int, tag: int):
            return fem.locate_dofs_topological(component(self.V, i), fdim, ft.find(tag))

        bcs = [fem.dirichletbc(zero, sub_dofs(ax, BOTTOM), component(self.V, ax)),
               fem.dirichletbc(self.w, sub_dofs(ax, TOP), component(self.V, ax))]
        if plate_contact == "bonded":
            for i in range(gdim - 1):
                bcs += [fem.dirichletbc(zero, sub_dofs(i, BOTTOM), component(self.V, i)),
                        fem.dirichletbc(zero, sub_dofs(i, TOP), component(self.V, i))]
        if gdim >= 2:
            bcs.append(fem.dirichletbc(zero, sub_dofs(0, SYM_X), component(self.V, 0)))
            if lateral_bc == "constrained":
                bcs.append(fem.dirichletbc(zero, sub_dofs(0, SIDE_X), component(self.V, 0)))
        if gdim == 3:
            bcs.append(fem.dirichletbc(zero, sub_dofs(1, SYM_Y), component(self.V, 1)))
            if lateral_bc == "constrained":
                bcs.append(fem.dirichletbc(zero, sub_dofs(1, SIDE_Y), component(self.V, 1)))
        self.bcs = bcs

        # Matrix and solver: built once (the solver layer).
        petsc = dolfinx.fem.petsc
        self.linear_solver = choose_linear_solver(linear_solver, gdim, self.num_dofs,
                                                  direct_max_dofs)
        self.solver = LinearSolver(comm, self.a, bcs, name="stack", kind=self.linear_solver,
                                   rtol=rtol, near_nullspace=self.V if gdim > 1 else None)
        self.A, self.prefix = self.solver.A, self.solver.prefix
        self.b = petsc.create_vector(self.V)

        # Solutions of the two unit problems and the combined field.
        self.uA = fem.Function(self.V, name="u_eigenstrain")
        self.uB = fem.Function(self.V, name="u_unit_plate")
        self.u = fem.Function(self.V, name="displacement_m")

        # Consistent reaction on the top plate: R = a(u, v_top) - L(v_top).
        self.v_top = fem.Function(self.V)
        top_dofs = sub_dofs(ax, TOP)
        v_top_sub = fem.Function(self.V)
        v_top_sub.x.array[:] = 0.0
        bc_one = fem.dirichletbc(PETSc.ScalarType(1.0), top_dofs, component(self.V, ax))
        bc_one.set(v_top_sub.x.array)
        self.v_top.x.array[:] = v_top_sub.x.array
        eps_top = strain(self.v_top, gdim)
        self._uh = fem.Function(self.V)
        sig_h = restrict(stress3(strain3(self._uh, gdim), self.lam, self.mu, e3), gdim)
        self._reaction = fem.form(ufl.inner(sig_h, eps_top) * ufl.dx)
        self.area = self.geometry.top_area

        # Cell-average stresses (through-thickness, in-plane x, in-plane y, von Mises).
        s3 = stress3(strain3(self.u, gdim), self.lam, self.mu, e3)
        i1, i2, iz = _AXES[gdim]
        self.S0 = fem.functionspace(mesh, ("DG", 0, (4,)))
        q = ufl.TestFunction(self.S0)
        self._stress_form = fem.form(
            ufl.inner(ufl.as_vector([s3[iz, iz], s3[i1, i1], s3[i2, i2], von_mises(s3)]), q)
            * ufl.dx)
        self._vol = cell_volumes(self.Q0)
        self.stress = fem.Function(self.S0, name="stress_zz_xx_yy_vm_Pa")
        n_owned = mesh.topology.index_map(mesh.topology.dim).size_local
        self._owned_layer_cells = [c[c < n_owned] for c in self._layer_cells]
        self._layer_volume = np.array([self._vol[c].sum() for c in self._owned_layer_cells])
        comm.Allreduce(MPI.IN_PLACE, self._layer_volume, op=MPI.SUM)

        self.timings.setup = time.perf_counter() - t0
        self._solve_unit_plate()
        self.w_preload = self.preload / self.P_B

    # ------------------------------------------------------------------ helpers
    @property
    def num_dofs(self) -> int:
        """Global number of displacement degrees of freedom."""
        im = self.V.dofmap.index_map
        return im.size_global * self.V.dofmap.index_map_bs

    def _solve(self, target: dolfinx.fem.Function, what: str, point: dict) -> int:
        petsc = dolfinx.fem.petsc
        with self.b.localForm() as loc:
            loc.set(0.0)
        petsc.assemble_vector(self.b, self.L)
        petsc.apply_lifting(self.b, [self.a], bcs=[self.bcs])
        self.b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        petsc.set_bc(self.b, self.bcs)
        its = self.solver.solve(self.b, target.x.petsc_vec, f"stack, {what}", point)
        target.x.scatter_forward()
        if not np.all(np.isfinite(target.x.array)):
            raise SolverError(f"stack solve ({what}) produced non-finite values", point=point)
        return its

    def _reaction_pressure(self, u_array: np.ndarray) -> float:
        self._uh.x.array[:] = u_array
        r = dolfinx.fem.assemble_scalar(self._reaction)
        return -self.comm.allreduce(r, op=MPI.SUM) / self.area

    def _set_eigenstrain(self, soc: float | None) -> None:
        perm = _AXES[self.dim]
        arr = self.eig.x.array.reshape(-1, 3)
        arr[:] = 0.0
        if soc is not None:
            for cells, layer in zip(self._layer_cells, self.laminate.layers, strict=True):
                e = layer.total_eigenstrain(soc, self.laminate.temperature_change)
                arr[np.ix_(cells, list(perm))] = e  # (in1, in2, zz) -> model index order

    def _solve_unit_plate(self) -> None:
        t0 = time.perf_counter()
        self._set_eigenstrain(None)
        self.w.value = 1.0
        self._iters_B = self._solve(self.uB, "unit plate displacement", {})
        self.w.value = 0.0
        self.P_B = self._reaction_pressure(self.uB.x.array)  # Pa per m of plate lift (< 0)
        self.timings.solve += time.perf_counter() - t0

    # ------------------------------------------------------------------- solve
    def plate_position(self, P_A: float) -> float:
        """Plate displacement w that balances the fixture (module docstring)."""
        if self.fixture_type == "spring":
            return (self.preload - P_A) / self.P_B
        if self.fixture_type == "fixed_gap":
            return self.w_preload
        return (self.preload - self.k_f * self.w_preload - P_A) / (self.P_B - self.k_f)

    def plate_at_zero_load(self) -> float:
        """Plate position when the fixture carries no load (after a lift-off), m."""
        if self.fixture_type == "elastic":
            return self.w_preload - self.preload / self.k_f
        return self.w_preload

    def fixture_responses(self, P_A: float) -> dict[str, tuple[float, float]]:
        """(pressure Pa, thickness change m) in a constant-load and a rigid fixture.

        Both follow from the same unit solutions, so comparing fixtures costs nothing.
        The plates touch the stack unilaterally: a rigid gap that would pull on the stack
        reports zero pressure and the stack's own (free) thickness change.
        """
        w_spring = (self.preload - P_A) / self.P_B
        p_fixed = P_A + self.w_preload * self.P_B
        fixed = (p_fixed, 0.0) if p_fixed >= 0.0 else (0.0, -P_A / self.P_B - self.w_preload)
        return {"spring": (self.preload, w_spring - self.w_preload), "fixed_gap": fixed}

    def solve(self, soc: float) -> StackState:
        """Solve the stack at one SOC and return its state (collective)."""
        t0 = time.perf_counter()
        self._set_eigenstrain(soc)
        iters = self._solve(self.uA, "eigenstrain load", {"soc": soc})
        P_A = self._reaction_pressure(self.uA.x.array)
        w = self.plate_position(P_A)
        pressure = P_A + w * self.P_B
        lift, gap = False, 0.0
        if pressure < 0.0:
            # the plates touch the stack unilaterally: it lifts off, its top is free
            w = -P_A / self.P_B
            lift, gap, pressure = True, self.plate_at_zero_load() - w, 0.0
        self.u.x.array[:] = self.uA.x.array + w * self.uB.x.array
        t1 = time.perf_counter()
        self.timings.solve += t1 - t0
        state = self._post(soc, pressure, w, iters)
        state.other_fixtures = self.fixture_responses(P_A)
        state.lift_off, state.gap = lift, float(gap)
        self.timings.post += time.perf_counter() - t1
        if not np.isfinite(pressure):
            raise SolverError("stack pressure is not finite", point={"soc": soc})
        return state

    def _post(self, soc: float, pressure: float, w: float, iters: int) -> StackState:
        vec = self.stress.x.petsc_vec
        with vec.localForm() as loc:
            loc.set(0.0)
        dolfinx.fem.petsc.assemble_vector(vec, self._stress_form)
        vec.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        self.stress.x.scatter_forward()
        s = self.stress.x.array.reshape(-1, 4)  # integrals over each cell
        nl = len(self.laminate.layers)
        sums = np.zeros((nl, 4))
        vmax = np.full(nl, -np.inf)
        for i, cells in enumerate(self._owned_layer_cells):
            sums[i] = s[cells].sum(axis=0)
            if len(cells):
                vmax[i] = np.max(s[cells, 3] / self._vol[cells])
        self.comm.Allreduce(MPI.IN_PLACE, sums, op=MPI.SUM)
        self.comm.Allreduce(MPI.IN_PLACE, vmax, op=MPI.MAX)
        mean = sums / self._layer_volume[:, None]
        # Store cell averages in the field (for output).
        s /= np.maximum(self._vol, 1e-300)[:, None]
        return StackState(soc=float(soc), stack_pressure=float(pressure),
                          plate_displacement=float(w),
                          thickness_change=float(w - self.w_preload),
                          layer_stress_zz=mean[:, 0], layer_stress_inplane=mean[:, 1],
                          layer_von_mises_mean=mean[:, 3], layer_von_mises_max=vmax,
                          ksp_iterations=int(iters))

    def destroy(self) -> None:
        """Free the PETSc objects."""
        self.solver.destroy()
        self.b.destroy()
