"""The stack model: stack pressure and thickness of the stack in its fixture along an SOC path."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from interface.errors import InputError, SolverError
from interface.mechanics.laminate import Laminate, build_laminate, fixture_compliance
from interface.progress import Progress
from interface.results.result import Result, Table

#: Refuse meshes above this many displacement DOFs (memory: ~1-2 kB per DOF with AMG).
MAX_DOFS = 20_000_000


def mesh_counts(case) -> tuple[int, int]:
    """(cells_per_layer, lateral_cells) after the smoke factor."""
    m = case.mesh
    f = m.smoke_factor if case.smoke else 1.0
    return max(1, round(m.cells_per_layer * f)), max(1, round(m.lateral_cells * f))


def laminate_of(case) -> Laminate:
    """The physical layers of a stack case."""
    socs, _ = case.soc.points()
    return build_laminate(case.stack, case.materials, case.soc.reference,
                          soc_values=[*socs, case.soc.reference])


def estimate_dofs(case, n_layers: int) -> int:
    """Displacement DOFs the mesh will have."""
    cpl, lat = mesh_counts(case)
    d, p = case.mesh.dimension, case.mesh.degree
    nz = n_layers * cpl * p + 1
    nx = lat * p + 1
    return {1: nz, 2: 2 * nz * nx, 3: 3 * nz * nx * nx}[d]


def check(case) -> None:
    """Validate what the schema cannot: materials, stoichiometry windows, Li inventory, size."""
    lam = laminate_of(case)
    dofs = estimate_dofs(case, len(lam.layers))
    if dofs > MAX_DOFS:
        raise InputError(f"the mesh would have {dofs:.3g} DOFs (limit {MAX_DOFS:.0e}); reduce "
                         "cells_per_layer / lateral_cells or the repeat units",
                         key="mesh.lateral_cells")
    if case.fixture.type == "elastic" and case.mesh.dimension == 1 and case.stack.area <= 0:
        raise InputError("area must be positive", key="stack.area")


def build_problem(case, comm):
    """The FE StackProblem of a case (mesh, spaces, matrix and solver set up once)."""
    from interface.mechanics.stack import StackProblem

    lam = laminate_of(case)
    cpl, lat = mesh_counts(case)
    st, fx = case.stack, case.fixture
    kf = fx.stiffness / st.area if fx.type == "elastic" else None
    return StackProblem(comm, lam, dim=case.mesh.dimension, degree=case.mesh.degree,
                        cells_per_layer=cpl, lateral_cells=lat, width=st.width, depth=st.depth,
                        lateral_bc=st.lateral_bc, plate_contact=st.plate_contact,
                        fixture_type=fx.type, preload=fx.preload, fixture_areal_stiffness=kf,
                        linear_solver=case.solver.linear_solver, rtol=case.solver.rtol,
                        direct_max_dofs=case.solver.direct_max_dofs)


def is_inelastic(case) -> bool:
    """True when a layer creeps (metal with creep on) or is a compact: the time-marched model."""
    for la in case.stack.layers:
        if la.kind in ("lithium_metal", "alloy_anode") and la.creep:
            return True
        if la.kind == "solid" and la.fabrication_pressure is not None:
            return True
    return False


def _compliance(case) -> float:
    """Area-specific fixture compliance C_f (m/Pa); a constant load is a very soft spring."""
    fx = case.fixture
    if fx.type == "fixed_gap":
        return 0.0
    if fx.type == "spring":
        return 1e3  # 1 mPa per um of breathing: a constant load to round-off
    return case.stack.area / fx.stiffness


def run_inelastic(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """The stack with creeping metals and compacts, marched in time along the SOC path.

    1D: the column model (:mod:`interface.mechanics.column`, squeeze-out of the metal
    foils, compaction); 2D/3D: the FE model (:mod:`interface.mechanics.stack_inelastic`,
    J2 + power-law creep of the metal, free or constrained lateral edges).
    """
    import math

    from interface.materials import get_material
    from interface.mechanics.column import Column, column_layers

    t_start = time.perf_counter()
    st, fx = case.stack, case.fixture
    lam = laminate_of(case)
    socs, coords, times = case.soc.times()
    progress = progress or Progress(0, "stack", comm, quiet=True)
    progress.reset(len(socs))
    dim = case.mesh.dimension
    names = [la.name for la in lam.layers]
    states, status, message = [], "ok", ""
    if dim == 1:
        radius = math.sqrt(st.area / math.pi)
        model = Column(column_layers(st.layers, lam, case.materials, st.temperature, radius,
                                     st.metal_interface), _compliance(case), fx.preload,
                       case.soc.reference)
        kind, dofs = "column", len(names)
    else:
        from interface.mechanics.stack_inelastic import FELayer, InelasticStackProblem, elastic_law
        from interface.mechanics.viscoplastic import LithiumMaterial

        by_name = {la.name: la for la in st.layers}
        fe_layers = []
        for la in lam.layers:
            base = by_name[la.base_name]
            law = elastic_law(la.youngs_modulus, la.poisson_ratio)
            if base.kind in ("lithium_metal", "alloy_anode") and base.creep:
                law = LithiumMaterial.from_material(get_material(base.material, case.materials),
                                                    temperature=st.temperature)
            fe_layers.append(FELayer(la.name, la.thickness, law,
                                     lambda soc, la=la: la.total_eigenstrain(
                                         soc, lam.temperature_change),
                                     getattr(base, "fabrication_pressure", None)))
        cpl, lat = mesh_counts(case)
        model = InelasticStackProblem(comm, fe_layers, dim=dim, compliance=_compliance(case),
                                      preload=fx.preload, width=st.width, depth=st.depth,
                                      cells_per_layer=cpl, lateral_cells=lat,
                                      degree=case.mesh.degree, lateral_bc=st.lateral_bc,
                                      plate_contact=st.plate_contact)
        kind, dofs = "fe_inelastic", model.num_dofs
        if fields is not None:
            fields.add("displacement", [model.u])
    try:
        if dim > 1:
            model.assemble()
        t_prev = 0.0
        for soc, t in zip(socs, times, strict=True):
            state = model.step(float(soc), float(t - t_prev))
            t_prev = t
            states.append(state)
            if fields is not None and dim > 1:
                fields.write(float(t))
            progress.step(f"t = {t / 3600:.3g} h, SOC {soc:.3f}: P = "
                          f"{state.pressure / 1e6:.4g} MPa")
    except SolverError as exc:
        status, message = "failed", str(exc)
    finally:
        if dim > 1:
            model.destroy()
    n = len(states)
    path = Table(description="stack state along the SOC path in time (creeping / porous "
                             "layers)")
    path.add("path_coordinate", coords[:n], "1")
    path.add("soc", socs[:n], "1")
    path.add("time_s", times[:n], "s")
    path.add("stack_pressure_Pa", [s.pressure for s in states], "Pa")
    path.add("thickness_change_m", [s.thickness_change for s in states], "m")
    path.add("lift_off", [int(s.lift_off) for s in states], "1")
    path.add("gap_m", [s.gap for s in states], "m")
    if dim == 1:
        path.add("layer_inelastic_strain", np.array([s.layer_inelastic for s in states])
                 .reshape(n, len(names)), "1", labels=names)
    else:
        path.add("layer_stress_zz_Pa", np.array([s.layer_stress_zz for s in states])
                 .reshape(n, len(names)), "Pa", labels=names)
        path.add("newton_iterations", [s.newton_iterations for s in states], "1")
    summary = {"points_completed": n, "points_total": len(socs), "fixture_type": fx.type,
               "stack_model": kind, "stack_pressure_initial_Pa": float(fx.preload)}
    if n:
        p, dh = path["stack_pressure_Pa"], path["thickness_change_m"]
        summary.update({
            "stack_pressure_max_Pa": float(p.max()), "stack_pressure_min_Pa": float(p.min()),
            "stack_pressure_swing_Pa": float(p.max() - p.min()),
            "stack_pressure_end_Pa": float(p[-1]),
            "thickness_change_max_m": float(dh.max()), "thickness_change_min_m": float(dh.min()),
            "soc_at_stack_pressure_max": float(path["soc"][int(np.argmax(p))]),
            "lift_off": bool(np.any(path["lift_off"])), "gap_max_m": float(path["gap_m"].max()),
        })
    summary.update({"stack_thickness_m": lam.thickness,
                    "stack_mass_per_area_kg_per_m2": lam.mass_per_area})
    info = {"dofs": dofs, "dimension": dim, "mpi_ranks": comm.size,
            "time_total_s": time.perf_counter() - t_start}
    return Result(model="stack", summary=summary, tables={"soc_path": path}, status=status,
                  message=message, info=info)


def warm_up(case, comm) -> None:
    """Compile the model's forms (sweeps call this once before the ensemble)."""
    build_problem(case, comm).destroy()


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Solve the stack along the SOC path.

    Returns:
        Result with table ``soc_path`` (one row per SOC point), table ``layers``
        (effective properties) and the summary scalars.  If a solve fails, the
        completed points are kept and ``status`` is "failed".
    """
    if is_inelastic(case):
        return run_inelastic(case, comm, progress, fields)
    t_start = time.perf_counter()
    problem = build_problem(case, comm)
    lam = problem.laminate
    socs, coords = case.soc.points()
    progress = progress or Progress(0, "stack", comm, quiet=True)
    progress.reset(len(socs))
    if fields is not None:
        fields.add("displacement", [problem.u])
        fields.add("stress", [problem.stress])
    states = []
    status, message = "ok", ""
    for soc in socs:
        try:
            state = problem.solve(float(soc))
        except SolverError as exc:
            status, message = "failed", str(exc)
            break
        states.append(state)
        if fields is not None:
            fields.write(float(coords[len(states) - 1]))
        progress.step(f"SOC {soc:.3f}: P = {state.stack_pressure / 1e6:.4g} MPa")

    names = [la.name for la in lam.layers]
    n = len(states)
    path = Table(description="stack state along the SOC path (charge and discharge)")
    path.add("path_coordinate", coords[:n], "1")
    path.add("soc", socs[:n], "1")
    path.add("stack_pressure_Pa", [s.stack_pressure for s in states], "Pa")
    path.add("thickness_change_m", [s.thickness_change for s in states], "m")
    path.add("plate_displacement_m", [s.plate_displacement for s in states], "m")
    path.add("ksp_iterations", [s.ksp_iterations for s in states], "1")
    path.add("lift_off", [int(s.lift_off) for s in states], "1")
    path.add("gap_m", [s.gap for s in states], "m")
    for other in ("spring", "fixed_gap"):
        path.add(f"stack_pressure_{other}_Pa", [s.other_fixtures[other][0] for s in states],
                 "Pa")
        path.add(f"thickness_change_{other}_m", [s.other_fixtures[other][1] for s in states],
                 "m")
    for attr, unit in (("layer_stress_zz", "Pa"), ("layer_stress_inplane", "Pa"),
                       ("layer_von_mises_mean", "Pa"), ("layer_von_mises_max", "Pa")):
        arr = np.array([getattr(s, attr) for s in states]).reshape(n, len(names))
        path.add(f"{attr}_{unit}", arr, unit, labels=names)
    eig = np.array([[la.total_eigenstrain(s, lam.temperature_change)[2] for la in lam.layers]
                    for s in socs[:n]]).reshape(n, len(names))
    path.add("layer_eigenstrain_zz", eig, "1", labels=names)
    closed = np.array([case.fixture.preload + lam.pressure_change(
        s, fixture_compliance(case.fixture.type, case.fixture.stiffness, case.stack.area))
        for s in socs[:n]])
    path.add("stack_pressure_laminate_estimate_Pa", closed, "Pa")

    layers = Table(description="physical layers, bottom to top (effective properties)")
    layers.add("name", np.array(names, dtype=object), "1")
    layers.add("kind", np.array([la.kind for la in lam.layers], dtype=object), "1")
    layers.add("thickness_m", [la.thickness for la in lam.layers], "m")
    layers.add("youngs_modulus_Pa", [la.youngs_modulus for la in lam.layers], "Pa")
    layers.add("poisson_ratio", [la.poisson_ratio for la in lam.layers], "1")
    layers.add("oedometric_modulus_Pa", [la.oedometric_modulus for la in lam.layers], "Pa")
    layers.add("density_kg_per_m3", [la.density for la in lam.layers], "kg/m^3")
    layers.add("areal_capacity_C_per_m2", [la.areal_capacity for la in lam.layers], "C/m^2")

    p = path["stack_pressure_Pa"]
    dh = path["thickness_change_m"]
    summary = {
        "points_completed": n,
        "points_total": len(socs),
        "fixture_type": case.fixture.type,
        "stack_pressure_initial_Pa": float(case.fixture.preload),
    }
    if n:
        summary.update({
            "stack_pressure_max_Pa": float(p.max()),
            "stack_pressure_min_Pa": float(p.min()),
            "stack_pressure_swing_Pa": float(p.max() - p.min()),
            "thickness_change_max_m": float(dh.max()),
            "thickness_change_min_m": float(dh.min()),
            "soc_at_stack_pressure_max": float(path["soc"][int(np.argmax(p))]),
            "stack_pressure_max_fixed_gap_Pa": float(path["stack_pressure_fixed_gap_Pa"].max()),
            "lift_off": bool(np.any(path["lift_off"])),
            "gap_max_m": float(path["gap_m"].max()),
            "thickness_change_max_spring_m": float(path["thickness_change_spring_m"].max()),
        })
    summary.update({
        "stack_thickness_m": lam.thickness,
        "stack_mass_per_area_kg_per_m2": lam.mass_per_area,
        "stack_compliance_m_per_Pa": lam.compliance(),
    })
    info = {
        "dofs": problem.num_dofs, "dimension": case.mesh.dimension, "degree": case.mesh.degree,
        "mpi_ranks": comm.size, "linear_solver": problem.linear_solver,
        "ksp_iterations_total": int(path["ksp_iterations"].sum()) if n else 0,
        "time_mesh_s": problem.timings.mesh, "time_setup_s": problem.timings.setup,
        "time_solve_s": problem.timings.solve, "time_post_s": problem.timings.post,
        "time_total_s": time.perf_counter() - t_start,
    }
    problem.destroy()
    return Result(model="stack", summary=summary, tables={"soc_path": path, "layers": layers},
                  status=status, message=message, info=info)


def plot(result: Result, folder: Path) -> list[Path]:
    """Stack pressure and thickness change versus SOC (charge and discharge)."""
    from interface.plotting.stack import plot_soc_path

    return plot_soc_path(result, folder)
