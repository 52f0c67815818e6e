"""The cathode-interface model: particles | electrolyte contact map f_c(P, x) from an FE RVE.

A seeded random packing of active particles in a box of solid electrolyte is
meshed (conforming, cached), split into two bodies joined by the interface law
of ``[rve.interface]`` and loaded by the stack pressure on the top face and the
particle eigenstrain of each stoichiometry (the active material's volumetric
strain curve, NMC811 from Koerver et al. 2018).  The grid of ``[rve.map]`` is
traversed with continuation on one problem (see
:func:`interface.mechanics.rve.contact_map`).  Output: table ``contact_map``
(the contract read by :class:`~interface.mechanics.contact_laws.TabulatedCathodeMap`),
``particle_contact``, ``particles`` and, in 2D, ``field_snapshot`` (for the picture).
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import numpy as np

from interface.errors import InputError
from interface.progress import Progress
from interface.results.result import Result, Table

#: Refuse meshes above this many displacement DOFs (MUMPS memory on one node).
MAX_DOFS = 3_000_000


# ------------------------------------------------------------------------ settings
def _subset(values, k: int) -> tuple[float, ...]:
    """At most ``k`` values, evenly picked, ends kept."""
    values = tuple(values)
    if len(values) <= k:
        return values
    idx = np.unique(np.round(np.linspace(0, len(values) - 1, k)).astype(int))
    return tuple(values[i] for i in idx)


def grid(case) -> tuple[np.ndarray, np.ndarray]:
    """(pressures Pa, stoichiometries), sorted ascending; reduced by --smoke."""
    m = case.rve.map
    p, x = m.pressures, m.stoichiometries
    if case.smoke:
        p = _subset(sorted(p), m.smoke_pressures)
        x = _subset(sorted(x), m.smoke_stoichiometries)
    return np.sort(np.asarray(p, float)), np.sort(np.asarray(x, float))


def mesh_size(case) -> tuple[float, int]:
    """(largest element size m, elements per circumference) after --smoke."""
    r = case.rve
    h = r.mesh_size if r.mesh_size is not None else r.mean_radius / 2.5
    epc = r.elements_per_circle
    if case.smoke:
        f = case.mesh.smoke_factor
        h = min(h / f, r.mean_radius)
        epc = max(8, round(epc * f * 2))
    return h, epc


def box_size(case) -> float:
    """Edge of the RVE box, m; --smoke shrinks it to about ``smoke_particles`` particles."""
    r = case.rve
    if not case.smoke:
        return r.box_size
    measure = np.pi * r.mean_radius**2 if r.dimension == 2 else 4 / 3 * np.pi * r.mean_radius**3
    size = (r.smoke_particles * measure / (volume_fraction(case) + r.porosity)) \
        ** (1 / r.dimension)
    return float(min(r.box_size, size))


def volume_fraction(case) -> float:
    """Target particle volume fraction (``smoke_volume_fraction`` under --smoke)."""
    r = case.rve
    if case.smoke and r.smoke_volume_fraction is not None:
        return r.smoke_volume_fraction
    return r.volume_fraction


def gap_tolerance(case) -> float:
    """Gap below which the interface counts as closed, m."""
    r = case.rve
    return r.gap_tolerance if r.gap_tolerance is not None else 1e-4 * r.mean_radius


def min_gap(case) -> float:
    """Smallest clearance of the packing, m."""
    r = case.rve
    return r.min_gap if r.min_gap is not None else 0.05 * r.mean_radius


@functools.lru_cache(maxsize=32)
def _packing(dim, box_size, phi, r_mean, cv, gap, seed, porosity=0.0, periodic=False,
             coating=0.0, r_min_factor=0.4):
    """(particles Packing, pores (centres, radii)): packed together, then split (seeded).

    With a coating of thickness t the cores are packed with the clearance
    ``gap + 2 t`` (wall clearance ``gap + t``), so the coated surfaces keep ``gap``.
    """
    from interface.geometry.packing import Packing, PackingError, pack_particles

    box = np.array([[0.0] * dim, [box_size] * dim])
    try:
        pk = pack_particles(box, phi + porosity, r_mean, cv, min_gap=gap + 2.0 * coating,
                            wall_gap=gap + coating, seed=seed, periodic=periodic,
                            face_gap=0.5 * gap, shells=(0.0, coating) if coating else (0.0,),
                            r_min_factor=r_min_factor)
        if porosity <= 0:
            return pk, (np.zeros((0, dim)), np.zeros(0))
        measure = np.pi * pk.radii**2 if dim == 2 else 4 / 3 * np.pi * pk.radii**3
        target = porosity * box_size**dim
        is_pore = np.zeros(len(pk.radii), bool)
        total = 0.0
        for i in np.random.default_rng(seed + 7919).permutation(len(pk.radii)):
            if total + 0.5 * measure[i] <= target:
                is_pore[i] = True
                total += measure[i]
        if is_pore.all():
            raise PackingError("every packed disc would be a pore")
        particles = Packing(pk.centres[~is_pore], pk.radii[~is_pore], pk.box, pk.min_gap,
                            pk.wall_gap, pk.seed, dict(pk.info), periodic=pk.periodic)
        return particles, (pk.centres[is_pore], pk.radii[is_pore])
    except PackingError as exc:
        hint = ("raise radius_cv, enlarge the box or reduce min_gap" if periodic else
                "enlarge the box, reduce min_gap or use packing = 'periodic'")
        raise InputError(f"the packing cannot reach this volume fraction ({exc}); lower it, "
                         f"{hint}", key="rve.volume_fraction") from None
    except ValueError as exc:
        raise InputError(str(exc), key="rve.mean_radius") from None


def packing_of(case):
    """The seeded particle packing of a case (cached per process)."""
    return _packing_and_pores(case)[0]


def pores_of(case):
    """(centres, radii) of the pores of a case, m (empty without porosity)."""
    return _packing_and_pores(case)[1]


def _packing_and_pores(case):
    r = case.rve
    return _packing(r.dimension, box_size(case), volume_fraction(case), r.mean_radius,
                    r.radius_cv, min_gap(case), r.seed, r.porosity, r.packing == "periodic",
                    r.coating.thickness, r.min_radius_factor)


def estimate_dofs(case) -> int:
    """Rough displacement-DOF count of the RVE mesh (vertices x dimension, interface doubled)."""
    r = case.rve
    h, _ = mesh_size(case)
    d = r.dimension
    vertices = (box_size(case) / h) ** d * (1.2 if d == 2 else 1.4)
    t = r.coating.thickness
    if t > 0:
        # vertices in the coating shells: shell measure / (element size)^d, element
        # size t / elements_through_thickness, about smoke_particles / the packed count
        hc = t / r.coating.elements_through_thickness
        n = (volume_fraction(case) * box_size(case) ** d
             / (np.pi * r.mean_radius**2 if d == 2 else 4 / 3 * np.pi * r.mean_radius**3))
        shell = (2 * np.pi * r.mean_radius * t if d == 2 else 4 * np.pi * r.mean_radius**2 * t)
        vertices += n * shell / hc**d * (2.0 if d == 2 else 6.0)
    return int(d * vertices * 1.3)


def materials_of(case):
    """(particle Material, electrolyte Material)."""
    from interface.materials import get_material

    r = case.rve
    return (get_material(r.active_material, case.materials, key="rve.active_material"),
            get_material(r.electrolyte, case.materials, key="rve.electrolyte"))


def coating_material_of(case):
    """The coating Material, or None without a coating."""
    from interface.materials import get_material

    r = case.rve
    if r.coating.thickness <= 0:
        return None
    return get_material(r.coating.material, case.materials, key="rve.coating.material")


def eigenstrains(case, stoichiometries) -> np.ndarray:
    """Linear particle eigenstrain at each stoichiometry, relative to the reference one."""
    active, _ = materials_of(case)
    return np.asarray(active.volumetric_strain.linear_eigenstrain(
        np.asarray(stoichiometries, float), case.rve.reference_stoichiometry), float)


def check(case) -> None:
    """Materials, strain-curve range, the packing and the mesh size."""
    r = case.rve
    active, _ = materials_of(case)
    curve = active.volumetric_strain
    if curve is None:
        raise InputError(f"material '{r.active_material}' has no volumetric strain curve",
                         key="rve.active_material")
    lo, hi = curve.x_range
    xs = np.asarray(r.map.stoichiometries)
    if xs.min() < lo - 1e-12 or xs.max() > hi + 1e-12:
        raise InputError(f"stoichiometries {xs.min():.4g}..{xs.max():.4g} leave the strain "
                         f"curve's range [{lo:.4g}, {hi:.4g}] of {r.active_material}",
                         key="rve.map.stoichiometries")
    if not lo - 1e-12 <= r.reference_stoichiometry <= hi + 1e-12:
        raise InputError(f"outside the strain curve's range [{lo:.4g}, {hi:.4g}]",
                         key="rve.reference_stoichiometry")
    stack_case_of(case)
    from interface.materials import get_material

    get_material(r.coating.material, case.materials, key="rve.coating.material")  # a typo
    # is refused even while the coating is off (thickness 0)
    dofs = estimate_dofs(case)
    if dofs > MAX_DOFS:
        key = "rve.coating.thickness" if r.coating.thickness > 0 else "rve.mesh_size"
        raise InputError(f"the mesh would have about {dofs:.3g} DOFs (limit {MAX_DOFS:.0e}, "
                         "memory); increase mesh_size or the coating thickness, or reduce the "
                         "box", key=key)
    pk = packing_of(case)
    t = r.coating.thickness
    if t > 0 and t >= 0.25 * float(pk.radii.min()):
        raise InputError(f"coating of {t:.4g} m is not thin compared with the smallest "
                         f"particle radius of the packing ({pk.radii.min():.4g} m): it must "
                         "stay below a quarter of it", key="rve.coating.thickness")


# ----------------------------------------------------------------------- stack path
def _expect_stack_case(path: Path) -> None:
    """Raise InputError (key ``rve.stack.case``) unless ``path`` is a TOML case of model stack."""
    from interface.case.load import parse_toml, read_case_text

    try:
        data = parse_toml(read_case_text(path), str(path))
    except InputError as exc:
        raise InputError(f"{path}: {exc.message}", key="rve.stack.case") from None
    meta = data.get("case")
    model = meta.get("model") if isinstance(meta, dict) else None
    if model != "stack":
        raise InputError(f"{path} is a '{model}' case, expected a 'stack' case",
                         key="rve.stack.case")


def stack_case_of(case):
    """The stack case of ``[rve.stack]`` and its electrode layer, or None (no stack path).

    Raises:
        InputError: missing or invalid stack case, not a stack model, no (or no unique)
            composite electrode with this RVE's active material, stoichiometries outside
            the strain curve (key path ``rve.stack.*``).
    """
    from interface.case import load_case

    st = case.rve.stack
    if not st.case:
        return None
    base = Path(case.path).resolve().parent if case.path else Path.cwd()
    path = base / st.case
    if not path.is_file():
        raise InputError(f"stack case file {path} does not exist", key="rve.stack.case")
    _expect_stack_case(path)  # before loading it: an RVE case here would recurse (A -> B -> A)
    stack_case = load_case(path, smoke=case.smoke)
    if stack_case.meta.model != "stack":
        raise InputError(f"{path} is a '{stack_case.meta.model}' case, expected a 'stack' "
                         "case", key="rve.stack.case")
    layers = [la for la in stack_case.stack.layers if la.kind == "composite_electrode"]
    if st.electrode:
        layers = [la for la in layers if la.name == st.electrode]
        if not layers:
            raise InputError(f"no composite-electrode layer named '{st.electrode}' in {path}",
                             key="rve.stack.electrode")
    else:
        layers = [la for la in layers if la.active_material == case.rve.active_material]
        if len(layers) != 1:
            raise InputError(f"{len(layers)} composite-electrode layers of "
                             f"{case.rve.active_material} in {path}; name one",
                             key="rve.stack.electrode")
    layer = layers[0]
    if layer.active_material != case.rve.active_material:
        raise InputError(f"layer '{layer.name}' holds {layer.active_material}, the RVE "
                         f"particles are {case.rve.active_material}", key="rve.stack.electrode")
    lo, hi = materials_of(case)[0].volumetric_strain.x_range
    for x in (layer.stoichiometry_soc0, layer.stoichiometry_soc1):
        if not lo - 1e-12 <= x <= hi + 1e-12:
            raise InputError(f"stoichiometry {x:.4g} of layer '{layer.name}' leaves the strain "
                             f"curve's range [{lo:.4g}, {hi:.4g}]", key="rve.stack.electrode")
    return stack_case, layer


def stack_path(case, comm):
    """(soc, stoichiometry, stack pressure [Pa], stack Result) along the stack case's path.

    Runs the stack model (FE, the stack case's own mesh and fixture) on ``comm``.
    Returns None without ``[rve.stack] case``.

    Raises:
        SolverError: the stack model did not complete its path.
    """
    from interface.errors import SolverError
    from interface.models import stack as stack_model

    found = stack_case_of(case)
    if found is None:
        return None
    stack_case, layer = found
    res = stack_model.run(stack_case, comm)
    if res.status != "ok":
        raise SolverError(f"the stack model of rve.stack.case failed: {res.message}")
    path = res.tables["soc_path"]
    soc = np.asarray(path["soc"], float)
    x = layer.stoichiometry_soc0 + (layer.stoichiometry_soc1 - layer.stoichiometry_soc0) * soc
    return soc, x, np.asarray(path["stack_pressure_Pa"], float), res


# ---------------------------------------------------------------------------- build
def build_problem(case, comm):
    """The mesh (cached) and the InterfaceProblem of a case."""
    from interface.geometry.rve import rve_mesh
    from interface.mechanics.interface_laws import Bonded, CohesiveZone, FrictionlessContact
    from interface.mechanics.interface_problem import default_petsc_options
    from interface.mechanics.isotropic import from_material
    from interface.mechanics.rve import rve_problem

    r, il = case.rve, case.rve.interface
    pk = packing_of(case)
    h, epc = mesh_size(case)
    # --smoke: no refinement of narrow gaps (coarse, fast; accuracy is not the point)
    hmin = r.min_mesh_size if r.min_mesh_size is not None else h / 50
    tagged = rve_mesh(comm, pk.box, pk, h, pores=pores_of(case), min_elements_per_circle=epc,
                      refine_gaps=not case.smoke, min_size=min(hmin, h),
                      coating=r.coating.thickness,
                      coating_elements=r.coating.elements_through_thickness)
    if il.law == "contact":
        law = FrictionlessContact(penalty=il.penalty, regularisation=il.regularisation)
    elif il.law == "bonded":
        law = Bonded(penalty=il.penalty)
    else:
        law = CohesiveZone(penalty=il.penalty, strength=il.strength,
                           fracture_energy=il.fracture_energy, shape=il.cohesive_shape)
    active, electrolyte = materials_of(case)
    particle = from_material(active)
    coat = coating_material_of(case)
    if coat is not None:
        cmat = from_material(coat)
        particle = {**{t: particle for t in tagged.particle_tags},
                    **{t: cmat for t in tagged.coating_tags}}
    opts = default_petsc_options(il.linear_solver, il.line_search)
    return rve_problem(comm, tagged, particle, from_material(electrolyte), law,
                       lateral=r.lateral_bc, petsc_options=opts,
                       near_nullspace=il.linear_solver == "gamg")


def warm_up(case, comm) -> None:
    """Mesh (cache) and compile the forms once."""
    build_problem(case, comm).close()


def _snapshot(problem) -> dict:
    """Interface vertex gaps and electrolyte von Mises per cell, gathered and sorted (2D)."""
    import ufl
    from dolfinx import fem

    comm = problem.comm
    top = problem.topology
    g = top.vertex_gap()
    seg = top.coords.reshape(len(g), -1)  # x0 y0 x1 y1
    msh_m = problem.submeshes[1]
    mat = problem.matrix_material
    Q = fem.functionspace(msh_m, ("DG", 0))
    e = ufl.sym(ufl.grad(problem.u_m))
    s = mat.lmbda * ufl.tr(e) * ufl.Identity(2) + 2 * mat.mu * e
    szz = mat.lmbda * ufl.tr(e)
    dev = ufl.dev(ufl.as_matrix([[s[0, 0], s[0, 1], 0], [s[1, 0], s[1, 1], 0], [0, 0, szz]]))
    vm = fem.Function(Q)
    vm.interpolate(fem.Expression(ufl.sqrt(1.5 * ufl.inner(dev, dev)),
                                  Q.element.interpolation_points))
    nloc = msh_m.topology.index_map(2).size_local
    gdm = msh_m.geometry.dofmaps[0][:nloc]
    cen = msh_m.geometry.x[gdm, :2].mean(axis=1)
    iface = np.column_stack([seg, g]) if len(g) else np.zeros((0, 6))
    cells = np.column_stack([cen, vm.x.array[:nloc]])
    # canonical vertex order in each segment (the local facet orientation depends on
    # the partition), then a global sort: identical tables on any number of ranks
    swap = (iface[:, 0] > iface[:, 2]) | ((iface[:, 0] == iface[:, 2])
                                          & (iface[:, 1] > iface[:, 3]))
    iface[swap] = iface[swap][:, [2, 3, 0, 1, 5, 4]]
    iface = np.vstack(comm.allgather(iface))
    cells = np.vstack(comm.allgather(cells))
    iface = iface[np.lexsort((iface[:, 1], iface[:, 0], iface[:, 3], iface[:, 2]))]
    cells = cells[np.lexsort((cells[:, 1], cells[:, 0]))]
    return {"iface": iface, "cells": cells}


# ------------------------------------------------------------------------------ run
def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Compute the contact map of a case.

    Returns:
        Result with tables ``contact_map`` (one row per completed grid point),
        ``particle_contact``, ``particles`` and (2D) ``field_snapshot``; on a
        diverging point the completed points are kept, status "failed" and the
        message names the point (P, x).
    """
    from interface.mechanics.rve import METRICS, contact_map

    t_start = time.perf_counter()
    r = case.rve
    pressures, xs = grid(case)
    eps = eigenstrains(case, xs)
    problem = build_problem(case, comm)
    t_setup = time.perf_counter() - t_start
    t0 = time.perf_counter()
    spath = stack_path(case, comm)
    t_stack = time.perf_counter() - t0
    progress = progress or Progress(0, "rve", comm, quiet=True)
    progress.reset(len(pressures) * len(xs) + (len(spath[0]) if spath else 0))
    if fields is not None:
        fields.add("displacement_particles", [problem.u_p])
        fields.add("displacement_electrolyte", [problem.u_m])
    snap_at = (len(xs) // 2 if len(xs) > 2 else 0, len(pressures) // 2)
    snap: dict = {}
    counter = [0]

    def on_point(i, j, m):
        counter[0] += 1
        if fields is not None:
            fields.write(float(counter[0]))
        if r.dimension == 2 and (i, j) == snap_at:
            snap.update(_snapshot(problem))
        progress.step(f"P = {pressures[j] / 1e6:.4g} MPa, x = {xs[i]:.3f}: contact "
                      f"{m.contact_fraction:.4f}, isolated {m.isolated_fraction:.3f}")

    cm = contact_map(problem, pressures, eps, steps=r.interface.load_steps,
                     precompression=r.precompression or None,
                     isolated_threshold=r.isolated_threshold, gap_tol=gap_tolerance(case),
                     max_cutbacks=r.interface.max_cutbacks, on_point=on_point)
    status, message = "ok", ""
    if cm.failure:
        status = "failed"
        where = ""
        if cm.failed_point is not None:
            i, j = cm.failed_point
            where = f" (at stack_pressure_Pa={pressures[j]:.6g}, stoichiometry={xs[i]:.6g})"
        message = f"contact solve failed{where}: {cm.failure}"
    path_table = None
    if spath is not None and status == "ok":
        path_table, status, message = _stack_path_table(case, problem, spath, progress)

    # flat table, pressure-major: one row per completed (P, x)
    ip, ix = np.meshgrid(np.arange(len(pressures)), np.arange(len(xs)), indexing="ij")
    ip, ix = ip.ravel(), ix.ravel()
    ok = cm.done[ix, ip]
    ip, ix = ip[ok], ix[ok]
    table = Table(description="contact map on the (stack pressure x stoichiometry) grid; read "
                              "by TabulatedCathodeMap.from_results")
    table.add("stack_pressure_Pa", pressures[ip], "Pa")
    table.add("stoichiometry", xs[ix], "1")
    table.add("particle_eigenstrain", eps[ix], "1")
    for key, (col, unit) in METRICS.items():
        table.add(col, cm.values[key][ix, ip], unit)
    table.add("newton_iterations", cm.newton_iterations[ix, ip], "1")
    pk = packing_of(case)
    pc = Table(description="contact fraction of each particle at each grid point (rows as in "
                           "contact_map)")
    pc.add("stack_pressure_Pa", pressures[ip], "Pa")
    pc.add("stoichiometry", xs[ix], "1")
    labels = [f"particle_{k}" for k in range(len(pk.radii))]
    pc.add("particle_contact_fraction", cm.particle_contact_fraction[ix, ip], "1", labels=labels)
    parts = Table(description="particles of the packing")
    for a, name in enumerate("xyz"[: r.dimension]):
        parts.add(f"centre_{name}_m", pk.centres[:, a], "m")
    parts.add("radius_m", pk.radii, "m")
    tables = {"contact_map": table, "particle_contact": pc, "particles": parts}
    if path_table is not None:
        tables["stack_path"] = path_table
    pore_c, pore_r = pores_of(case)
    if len(pore_r):
        pores = Table(description="pores (empty voids in the electrolyte)")
        for a, name in enumerate("xyz"[: r.dimension]):
            pores.add(f"centre_{name}_m", pore_c[:, a], "m")
        pores.add("radius_m", pore_r, "m")
        tables["pores"] = pores
    if snap:
        fs = Table(description=f"2D fields at P = {pressures[snap_at[1]]:.6g} Pa, x = "
                               f"{xs[snap_at[0]]:.6g}: interface segments with vertex gaps, "
                               "electrolyte cell centroids with von Mises stress")
        fs.add("interface_segment_m", snap["iface"][:, :4], "m",
               labels=["x0", "y0", "x1", "y1"])
        fs.add("interface_vertex_gap_m", snap["iface"][:, 4:], "m", labels=["g0", "g1"])
        tables["field_snapshot"] = fs
        cells = Table(description="electrolyte cells of the field snapshot")
        cells.add("centroid_m", snap["cells"][:, :2], "m", labels=["x", "y"])
        cells.add("von_mises_stress_Pa", snap["cells"][:, 2], "Pa")
        tables["field_snapshot_cells"] = cells

    cf = table["contact_fraction"]
    summary = {
        "points_completed": int(ok.sum()),
        "points_total": int(len(pressures) * len(xs)),
        "particles": int(len(pk.radii)),
        "volume_fraction": float(pk.volume_fraction),
        "porosity": float(problem.tagged.metadata["porosity"]),
        "packing": r.packing,
        "coating_thickness_m": float(r.coating.thickness),
        "coating_fraction": float(problem.tagged.metadata["coating_fraction"]),
        "pores": int(len(pores_of(case)[1])),
        "interface_law": r.interface.law,
        "dofs": int(problem.num_dofs()),
    }
    if len(cf):
        summary.update({
            "contact_fraction_min": float(cf.min()),
            "contact_fraction_max": float(cf.max()),
            "isolated_fraction_max": float(table["isolated_fraction"].max()),
            "max_gap_max_m": float(table["max_gap_m"].max()),
            "peak_interface_normal_stress_max_Pa":
                float(table["peak_interface_normal_stress_Pa"].max()),
            "electrolyte_max_von_mises_stress_max_Pa":
                float(table["electrolyte_max_von_mises_stress_Pa"].max()),
        })
    if path_table is not None and len(path_table["contact_fraction"]):
        summary.update({
            "stack_path_points": int(len(path_table["contact_fraction"])),
            "stack_path_contact_fraction_min": float(path_table["contact_fraction"].min()),
            "stack_path_isolated_fraction_max": float(path_table["isolated_fraction"].max()),
            "stack_path_pressure_min_Pa": float(path_table["stack_pressure_Pa"].min()),
            "stack_path_pressure_max_Pa": float(path_table["stack_pressure_Pa"].max()),
        })
    info = {
        "dofs": problem.num_dofs(), "mpi_ranks": comm.size, "dimension": r.dimension,
        "mesh_size_m": mesh_size(case)[0], "mesh_cache_file": problem.tagged.metadata["cache_file"],
        "mesh_cache_hit": problem.tagged.metadata["cache_hit"],
        "newton_iterations_total": int(cm.newton_iterations.sum()),
        "linear_iterations_total": int(cm.linear_iterations.sum()),
        "time_setup_s": t_setup, "time_map_s": cm.wall_time, "time_stack_model_s": t_stack,
        "time_total_s": time.perf_counter() - t_start,
    }
    problem.close()
    return Result(model="rve", summary=summary, tables=tables, status=status, message=message,
                  info=info)


def _stack_path_table(case, problem, spath, progress):
    """Contact metrics along the stack model's (P(SOC), x(SOC)) path: (Table, status, msg)."""
    from interface.mechanics.rve import METRICS, contact_path

    r = case.rve
    soc, x, P, _ = spath
    eps = eigenstrains(case, x)

    def on_point(_, k, m):
        progress.step(f"stack path SOC {soc[k]:.3f}: P = {P[k] / 1e6:.4g} MPa, x = "
                      f"{x[k]:.3f}: contact {m.contact_fraction:.4f}")

    cp = contact_path(problem, P, eps, steps=r.interface.load_steps,
                      isolated_threshold=r.isolated_threshold, gap_tol=gap_tolerance(case),
                      max_cutbacks=r.interface.max_cutbacks, on_point=on_point)
    status, message = "ok", ""
    if cp.failure:
        k = cp.failed_point[1]
        status = "failed"
        message = (f"contact solve failed on the stack path (at soc={soc[k]:.6g}, "
                   f"stack_pressure_Pa={P[k]:.6g}, stoichiometry={x[k]:.6g}): {cp.failure}")
    ok = cp.done[0]
    t = Table(description="contact metrics along the stack model's SOC path (stack pressure "
                          f"from {r.stack.case}, stoichiometry of its electrode)")
    t.add("soc", soc[ok], "1")
    t.add("stoichiometry", x[ok], "1")
    t.add("stack_pressure_Pa", P[ok], "Pa")
    t.add("particle_eigenstrain", eps[ok], "1")
    for key, (col, unit) in METRICS.items():
        t.add(col, cp.values[key][0, ok], unit)
    t.add("newton_iterations", cp.newton_iterations[0, ok], "1")
    return t, status, message


def plot(result: Result, folder: Path) -> list[Path]:
    """Contact fraction vs SOC at several pressures; the 2D gap and stress picture."""
    from interface.plotting.rve import plot_contact_map, plot_fields

    return plot_contact_map(result, folder) + plot_fields(result, folder)
