"""The Li-interface model: contact of Li metal with a rough electrolyte under stack pressure.

For each stack pressure: the elastic and the elastic-plastic (instantaneous)
contact fraction, and the contact fraction and mean gap during a creep hold;
the pressure reaching a target contact fraction within a time; the fast law
f_Li(P, t, T, R_q) fitted to the run (tables/lithium_law, read by the
electrochemistry with ``[contact.lithium] law = "results"``); the critical
stripping current density vs pressure.  Theory: docs/theory/lithium.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from interface.errors import InputError, SolverError
from interface.progress import Progress
from interface.results.result import Result, Table

#: Refuse meshes above this many displacement DOFs (direct solver, dense contact rows).
MAX_DOFS = 2_000_000
#: Relaxation hold [s] of the instantaneous elastic-plastic state (10 x tau_p, no creep).
PLASTIC_RELAX_TIME = 10.0
#: Patch side (samples) of a synthetic 3D surface at most.
MAX_PATCH_SAMPLES = 256


@dataclass
class Surface:
    """The electrolyte surface of a case: h(x) [m] (or h(x, y)), its period and statistics."""

    height: object
    length: float
    rms: float
    rms_slope: float
    description: str


@dataclass
class Plan:
    """What a run computes (smoke: a reduced set)."""

    pressures: tuple[float, ...]
    hold_time: float
    output_times: tuple[float, ...]
    target_time: float
    strip_pressures: tuple[float, ...]
    bisections: int
    pre_hold: float
    strip_thickness: float
    current_bracket: tuple[float, float]
    max_fail: int
    first_step: float
    relax_time: float


def _case_dir(case) -> Path:
    return Path(case.path).resolve().parent if case.path else Path.cwd()


def _subset(values: tuple, n: int) -> tuple:
    if len(values) <= n:
        return tuple(values)
    if n == 1:
        return (values[-1],)
    idx = np.unique(np.round(np.linspace(0, len(values) - 1, n)).astype(int))
    return tuple(values[i] for i in idx)


def plan(case) -> Plan:
    """The pressures, times and stripping study of a case."""
    li = case.lithium
    hold = li.hold_time
    pressures = li.pressures
    strip = li.stripping.pressures if li.stripping.enabled else ()
    bis = li.stripping.bisections
    pre = li.stripping.pre_hold
    thick = li.stripping.thickness
    bracket = (li.stripping.current_min, li.stripping.current_max)
    max_fail = 8
    first_step, relax = li.time_step, PLASTIC_RELAX_TIME
    if case.smoke:
        hold = min(hold, li.smoke_hold_time)
        pressures = _subset(pressures, li.smoke_pressures)
        strip = _subset(strip, 1)
        bis = 1
        pre = min(pre, li.smoke_hold_time)
        thick = thick / 10
        max_fail = 3
        first_step = max(first_step, min(1e-3, hold / 100))
        relax = min(relax, hold)
    times = tuple(t for t in li.output_times if t <= hold * (1 + 1e-12))
    if not times or times[-1] < hold * (1 - 1e-12):
        times = (*times, hold)
    target = min(li.target_time or hold, hold)
    return Plan(tuple(pressures), hold, times, target, tuple(strip), bis, pre, thick, bracket,
                max_fail, first_step, relax)


def mesh_counts(case) -> tuple[int, int]:
    """(lateral cells, cells through the Li thickness) after the smoke factor."""
    m = case.mesh
    f = m.smoke_factor if case.smoke else 1.0
    return max(4, round(m.lateral_cells * f)), max(3, round(m.cells_per_layer * f))


def estimate_dofs(case) -> int:
    """P2 displacement DOFs of the slab mesh."""
    nx, nz = mesh_counts(case)
    d = case.mesh.dimension
    return 2 * (2 * nx + 1) * (2 * nz + 1) if d == 2 else 3 * (2 * nx + 1) ** 2 * (2 * nz + 1)


def materials(case):
    """(Li material for the FE model with the electrolyte's compliance folded in, the Li as is)."""
    from interface.materials import get_material
    from interface.mechanics.viscoplastic import LithiumMaterial, equivalent_rigid_pair

    li = case.lithium
    try:
        m = get_material(li.material, case.materials)
    except InputError as exc:
        raise InputError(exc.message, key="lithium.material") from None
    try:
        se = get_material(li.electrolyte, case.materials)
    except InputError as exc:
        raise InputError(exc.message, key="lithium.electrolyte") from None
    base = LithiumMaterial.from_material(m, li.temperature, li.activation_energy)
    if li.counter_body == "elastic":
        return equivalent_rigid_pair(base, se.youngs_modulus, se.poisson_ratio), base
    return base, base


def surface(case) -> Surface:
    """The electrolyte surface (2D profile or 3D patch) of a case."""
    from interface.geometry import rough

    s = case.lithium.surface
    dim = case.mesh.dimension
    key = "lithium.surface"
    lam_r = s.rolloff_wavelength or s.length / 2
    lam_s = s.cutoff_wavelength or s.length / 8
    try:
        if s.kind == "sinusoid":
            lam = s.wavelength or s.length
            amp = np.sqrt(2.0) * s.rms if dim == 2 else 2.0 * s.rms
            if dim == 2:
                def height(x):
                    return rough.sinusoid_profile(x, amp, lam)
                slope = 2 * np.pi / lam * s.rms
            else:
                def height(x, y):
                    return amp * np.cos(2 * np.pi * x / lam) * np.cos(2 * np.pi * y / lam)
                slope = 2 * np.pi / lam * s.rms * np.sqrt(2.0)
            return Surface(height, s.length, s.rms, float(slope),
                           f"sinusoid amplitude {amp:.4g} m, wavelength {lam:.4g} m")
        if s.kind == "csv":
            if dim != 2:
                raise InputError("a csv profile is a 2D surface: use [mesh] dimension = 2",
                                 key="mesh.dimension")
            path = Path(s.file)
            if not path.is_absolute():
                path = _case_dir(case) / path
            x, h = rough.load_profile_csv(path, unit=s.file_unit, spacing=s.spacing)
            n = max(8, min(s.samples, len(x)))
            x, h, length = rough.resample_periodic(x, h, n)
            if not s.keep_csv_rms:
                h = h * s.rms / rough.rms_height(h)
            return Surface(rough.profile_interpolator(x, h, period=length), length,
                           rough.rms_height(h), rough.rms_slope_profile(x, h),
                           f"measured profile {path.name} ({len(x)} points)")
        if dim == 2:
            if s.kind == "self_affine":
                x, h = rough.self_affine_profile(s.samples, s.length, s.rms, s.hurst, lam_r,
                                                 lam_s, s.seed)
            else:
                x, h = rough.gaussian_profile(s.samples, s.length, s.rms, s.correlation_length,
                                              s.seed)
            return Surface(rough.profile_interpolator(x, h, period=s.length), s.length,
                           rough.rms_height(h), rough.rms_slope_profile(x, h),
                           f"{s.kind} profile, seed {s.seed}")
        n = min(s.samples, MAX_PATCH_SAMPLES)
        if s.kind == "self_affine":
            x, y, h = rough.self_affine_patch(n, s.length, s.rms, s.hurst, lam_r, lam_s, s.seed)
        else:
            x, y, h = rough.gaussian_patch(n, s.length, s.rms, s.correlation_length, s.seed)
        gx, gy = np.gradient(h, s.length / n, s.length / n)
        return Surface(rough.patch_interpolator(x, y, h, period=s.length), s.length,
                       rough.rms_height(h), float(np.sqrt(np.mean(gx**2 + gy**2))),
                       f"{s.kind} patch {n} x {n}, seed {s.seed}")
    except InputError as exc:
        if exc.file:
            raise InputError(exc.message, key=f"{key}.file", file=exc.file) from None
        k = exc.key or ""
        if not k.startswith(("lithium", "mesh")):
            k = f"{key}.{k}" if k else key
        raise InputError(exc.message, key=k) from None


def check(case) -> None:
    """Validate what the schema cannot: dimension, element, materials, surface, size."""
    if case.mesh.dimension not in (2, 3):
        raise InputError("the Li-interface model is 2D (plane strain) or 3D; set dimension = 2 "
                         "or 3", key="mesh.dimension")
    if case.mesh.degree != 2:
        raise InputError("the Li-interface model uses P2 elements (contact at the P2 nodes, "
                         "quadrature-point plasticity): set degree = 2", key="mesh.degree")
    dofs = estimate_dofs(case)
    if dofs > MAX_DOFS:
        raise InputError(f"the mesh would have {dofs:.3g} DOFs (limit {MAX_DOFS:.0e})",
                         key="mesh.lateral_cells")
    materials(case)
    surface(case)


def linear_solver(case) -> tuple[str, dict | None]:
    """The Li model's linear solver and its options from the case's ``[solver]`` table.

    "direct" (and "auto" up to ``direct_max_dofs``, half of it in 3D): MUMPS LU every
    Newton iteration; "iterative": CG (rtol ``solver.rtol``; 1e-2 while the contact set
    settles, ``LiContactModel(ksp_rtol_far=...)``) preconditioned by the full-space
    P2 -> P1 multigrid (:class:`interface.mechanics.lithium.FullSpacePMG`).
    """
    from interface.mechanics.elasticity import choose_linear_solver

    sv = case.solver
    kind = choose_linear_solver(sv.linear_solver, case.mesh.dimension, estimate_dofs(case),
                                sv.direct_max_dofs)
    if kind == "direct":
        return "lu", None
    return "pmg", {"ksp_rtol": sv.rtol}


def _new_model(comm, case, surf: Surface, mat):
    from interface.mechanics.lithium import LiContactModel

    nx, nz = mesh_counts(case)
    thick = case.lithium.thickness or surf.length
    solver, options = linear_solver(case)
    return LiContactModel(comm, surf.height, surf.length, thick, nx, nz, mat,
                          dim=case.mesh.dimension, linear_solver=solver, petsc_options=options)


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Elastic, plastic and creep contact vs pressure; the fast law; stripping.

    Returns:
        Result with tables ``instantaneous``, ``pressure_sweep``, ``creep_history``,
        ``lithium_law``, ``stripping``, ``stripping_runs`` and ``stripping_history``;
        on a SolverError the completed points are kept and ``status`` is "failed".
    """
    del fields  # no field output: each pressure has its own mesh
    from interface.mechanics.lithium_law import fit_law
    from interface.mechanics.rough_contact import hardness_fraction
    from interface.mechanics.stripping import critical_current

    t_start = time.perf_counter()
    li = case.lithium
    pl = plan(case)
    mat, li_bare = materials(case)
    surf = surface(case)
    progress = progress or Progress(0, "lithium", comm, quiet=True)
    progress.reset(2 + len(pl.pressures) + len(pl.strip_pressures))
    status, message = "ok", ""
    timings: dict[str, float] = {}

    # --- elastic and elastic-plastic (instantaneous) contact, increasing pressure.  A
    # rate-independent loading that does not converge ends that curve (noted in the
    # summary) but not the run: the creep holds below are independent of it.
    el_f, el_g, pl_f, pl_g = [], [], [], []
    inst_note = ""
    t0 = time.perf_counter()
    try:
        m = _new_model(comm, case, surf, mat.with_(creep=False, plastic=False))
        for p in pl.pressures:
            m.load_pressure(p, n_steps=2)
            el_f.append(m.contact_fraction())
            el_g.append(m.mean_gap())
        m.destroy()
        progress.step("elastic contact")
        for p in pl.pressures:
            # no creep: seat, step to p and let the Perzyna over-stress relax (tau_p = 1 s)
            m = _new_model(comm, case, surf, mat.with_(creep=False))
            m.press(p, pl.relax_time, p_seat=li.seat_pressure, dt0=pl.first_step)
            pl_f.append(m.contact_fraction())
            pl_g.append(m.mean_gap())
            m.destroy()
        progress.step("elastic-plastic contact")
    except SolverError as exc:
        inst_note = f"instantaneous loading stopped at {p:g} Pa: {exc}"
    timings["time_instantaneous_s"] = time.perf_counter() - t0

    # --- creep hold at each pressure
    hist_p, hist_t, hist_f, hist_g = [], [], [], []
    creep_f, creep_g, steps, newton, fails, ndofs = [], [], [], [], [], 0
    t0 = time.perf_counter()
    if status == "ok":
        for p in pl.pressures:
            try:
                m = _new_model(comm, case, surf, mat)
                ndofs = m.num_dofs()
                st = m.press(p, pl.hold_time, p_seat=li.seat_pressure, dt0=pl.first_step,
                             times_out=pl.output_times)
            except SolverError as exc:
                status, message = "failed", f"creep hold at {p:g} Pa: {exc}"
                break
            fr = m.history_at(pl.output_times, "frac")
            gp = m.history_at(pl.output_times, "gap")
            m.destroy()
            hist_p += [p] * len(pl.output_times)
            hist_t += list(pl.output_times)
            hist_f += [float(v) for v in fr]
            hist_g += [float(v) for v in gp]
            creep_f.append(float(fr[-1]))
            creep_g.append(float(gp[-1]))
            steps.append(st["steps"])
            newton.append(int(np.sum(st["its"])))
            fails.append(st["failures"])
            progress.step(f"P = {p / 1e6:.4g} MPa: f = {fr[-1]:.3f} after {pl.hold_time:g} s")
    timings["time_creep_s"] = time.perf_counter() - t0

    n = len(creep_f)
    ps = np.asarray(pl.pressures[:n])
    k = min(len(el_f), len(pl_f))
    pi = np.asarray(pl.pressures[:k])
    inst = Table(description="instantaneous contact vs stack pressure: elastic and "
                             "elastic-plastic (rate independent, monotonic loading)")
    inst.add("stack_pressure_Pa", pi, "Pa")
    inst.add("contact_fraction_elastic", el_f[:k], "1")
    inst.add("contact_fraction_plastic", pl_f[:k], "1")
    inst.add("mean_gap_elastic_m", el_g[:k], "m")
    inst.add("mean_gap_plastic_m", pl_g[:k], "m")
    inst.add("contact_fraction_hardness_estimate", hardness_fraction(pi, li_bare.sigma_y), "1")
    sweep = Table(description="contact after the creep hold vs stack pressure")
    sweep.add("stack_pressure_Pa", ps, "Pa")
    sweep.add("contact_fraction_creep", creep_f, "1")
    sweep.add("mean_gap_creep_m", creep_g, "m")
    sweep.add("time_steps", np.asarray(steps, dtype=np.int64), "1")
    sweep.add("newton_iterations", np.asarray(newton, dtype=np.int64), "1")
    sweep.add("step_failures", np.asarray(fails, dtype=np.int64), "1")

    hist = Table(description="contact fraction and mean gap during the creep hold")
    hist.add("stack_pressure_Pa", hist_p, "Pa")
    hist.add("hold_time_s", hist_t, "s")
    hist.add("contact_fraction", hist_f, "1")
    hist.add("mean_gap_m", hist_g, "m")

    summary: dict = {"points_completed": n, "points_total": len(pl.pressures),
                     "temperature_K": li.temperature, "rms_roughness_m": surf.rms,
                     "rms_slope": surf.rms_slope, "hold_time_s": pl.hold_time,
                     "target_contact_fraction": li.target_fraction,
                     "target_time_s": pl.target_time}
    tables = {"instantaneous": inst, "pressure_sweep": sweep, "creep_history": hist}
    if inst_note:
        summary["instantaneous_note"] = inst_note
    if n:
        summary.update({
            "contact_fraction_creep_max": float(np.max(creep_f)),
            "contact_fraction_creep_min": float(np.min(creep_f)),
        })
    if k:
        summary["contact_fraction_plastic_max"] = float(np.max(pl_f[:k]))
        summary["contact_fraction_elastic_max"] = float(np.max(el_f[:k]))
        # pressure reaching the target fraction within target_time (log-linear in P)
        ft = []
        for p in ps:
            sel = np.asarray(hist_p) == p
            tt, ff = np.asarray(hist_t)[sel], np.asarray(hist_f)[sel]
            ft.append(float(np.interp(np.log(pl.target_time), np.log(tt), ff)))
        ft = np.maximum.accumulate(np.asarray(ft))
        req = None
        if ft[0] >= li.target_fraction:
            req = float(ps[0])
            summary["pressure_for_target_note"] = "reached at the lowest pressure (upper bound)"
        elif ft[-1] >= li.target_fraction:
            k = int(np.argmax(ft >= li.target_fraction))
            req = float(np.exp(np.interp(li.target_fraction, ft[k - 1:k + 1],
                                         np.log(ps[k - 1:k + 1]))))
        else:
            summary["pressure_for_target_note"] = "not reached within the pressures run"
        summary["pressure_for_target_fraction_Pa"] = req

    # --- the fast law fitted to this run (roughness exponent from the 2D sweep)
    if n >= 2:
        from interface.mechanics.contact_laws import FittedLithiumLaw

        data = np.column_stack([hist_p, hist_t, np.full(len(hist_p), li.temperature),
                                np.full(len(hist_p), surf.rms), hist_f])
        try:
            rep = fit_law(data, activation_energy=li_bare.Q, reference_temperature=li_bare.T_ref,
                          roughness=surf.rms,
                          roughness_exponent=FittedLithiumLaw.roughness_exponent,
                          rms_reference=surf.rms, source=f"lithium model, case {case.name}")
        except SolverError as exc:
            rep = None
            status, message = "failed", f"fitting the fast law f_Li to the creep holds: {exc}"
    else:
        rep = None
    if rep is not None:
        tab = rep.law.as_table()
        law = Table(description="fast law f_Li = 1 - exp(-c (P/1 MPa)^a (a_T t/1 h)^b "
                                "(R_q/R_q,ref)^-m) fitted to this run (m fixed)")
        law.add("name", np.array(list(tab), dtype=object), "1")
        law.add("value", np.array(list(tab.values())), "1")
        tables["lithium_law"] = law
        summary.update({"law_coefficient": rep.law.coefficient,
                        "law_pressure_exponent": rep.law.pressure_exponent,
                        "law_time_exponent": rep.law.time_exponent,
                        "law_rms_error_fit": rep.rms_error_fit,
                        "law_max_error_fit": rep.max_error_fit})

    # --- stripping: critical current density vs pressure
    t0 = time.perf_counter()
    if status == "ok" and pl.strip_pressures:
        results = []

        def make():
            return _new_model(comm, case, surf, mat)

        for p in pl.strip_pressures:
            try:
                cc = critical_current(
                    make, p, pl.strip_thickness, pl.pre_hold,
                    lo=pl.current_bracket[0], hi=pl.current_bracket[1],
                    bisections=pl.bisections, keep=li.stripping.keep, max_fail=pl.max_fail,
                    first_step=pl.first_step)
            except SolverError as exc:
                status, message = "failed", str(exc)
                break
            results.append(cc)
            progress.step(f"stripping at {p / 1e6:.4g} MPa: {_ic_text(cc)}")
        tables.update(stripping_tables(results))
        if results:
            summary["critical_current_status"] = ", ".join(
                f"{r.pressure / 1e6:g} MPa: {_ic_text(r)}" for r in results)
            summary["stripping_solver_failures"] = int(sum(r.status == "solver_failed"
                                                           for r in results))
    timings["time_stripping_s"] = time.perf_counter() - t0

    info = {"dofs": ndofs, "dimension": case.mesh.dimension, "mpi_ranks": comm.size,
            "surface": surf.description, "counter_body": li.counter_body,
            "time_steps_total": int(np.sum(steps)) if steps else 0,
            "newton_iterations_total": int(np.sum(newton)) if newton else 0,
            **timings, "time_total_s": time.perf_counter() - t_start}
    return Result(model="lithium", summary=summary, tables=tables, status=status,
                  message=message, info=info)


def _ic_text(cc) -> str:
    """The critical current of one pressure as text [mA/cm^2] (censoring spelled out)."""
    from interface.mechanics.stripping import MA_PER_CM2

    ma = 1.0 / MA_PER_CM2
    if cc.status == "bracketed":
        return f"i_c = {cc.value * ma:.3g} mA/cm^2 ({cc.lower * ma:.3g}-{cc.upper * ma:.3g})"
    if cc.status == "above_range":
        return f"i_c > {cc.lower * ma:.3g} mA/cm^2 (contact kept at the top of the range)"
    if cc.status == "below_range":
        return f"i_c < {cc.upper * ma:.3g} mA/cm^2 (contact lost at the bottom of the range)"
    return (f"solver failed; i_c > {cc.lower * ma:.3g} mA/cm^2 (not a critical current)")


def stripping_tables(results) -> dict[str, Table]:
    """Tables ``stripping`` (one row per pressure), ``stripping_runs`` and ``stripping_history``.

    ``results``: list of :class:`interface.mechanics.stripping.CriticalCurrent`.
    """
    from interface.mechanics.stripping import refill_current_density, stripping_velocity

    t = Table(description="critical stripping current density vs stack pressure: bracket, "
                          "censoring (status: bracketed | above_range | below_range | "
                          "solver_failed) and the creep-refill estimate")
    col = {k: [] for k in ("p", "ic", "lo", "hi", "st", "phi0", "gap0", "refill", "i_refill",
                           "ratio_lo", "end_lo")}
    for r in results:
        kept = [x for x in r.runs if x.outcome == "kept"]
        best = max(kept, key=lambda x: x.current_density) if kept else None
        for k, v in (("p", r.pressure), ("ic", r.value), ("lo", r.lower), ("hi", r.upper),
                     ("st", r.status), ("phi0", r.phi0), ("gap0", r.gap0),
                     ("refill", r.refill_velocity),
                     ("i_refill", refill_current_density(r.refill_velocity)),
                     ("ratio_lo", stripping_velocity(r.lower) / r.refill_velocity
                      if r.refill_velocity > 0 else 0.0),
                     ("end_lo", best.end_ratio if best else 0.0)):
            col[k].append(v)
    st = np.array(col["st"], dtype=object)
    t.add("stack_pressure_Pa", col["p"], "Pa")
    t.add("critical_current_density_A_per_m2", col["ic"], "A/m^2")
    t.add("critical_current_lower_A_per_m2", col["lo"], "A/m^2")
    t.add("critical_current_upper_A_per_m2", col["hi"], "A/m^2")
    t.add("critical_current_status", st, "1")
    t.add("above_current_range", (st == "above_range").astype(np.int64), "1")
    t.add("below_current_range", (st == "below_range").astype(np.int64), "1")
    t.add("solver_failed", (st == "solver_failed").astype(np.int64), "1")
    t.add("contact_fraction_start", col["phi0"], "1")
    t.add("mean_gap_start_m", col["gap0"], "m")
    t.add("creep_refill_velocity_m_per_s", col["refill"], "m/s")
    t.add("refill_current_density_A_per_m2", col["i_refill"], "A/m^2")
    t.add("removal_over_refill_at_lower", col["ratio_lo"], "1")
    t.add("spot_width_m", [r.spot_width for r in results], "m")
    t.add("spot_creep_velocity_m_per_s", [r.spot_creep_velocity for r in results], "m/s")
    t.add("spot_creep_current_density_A_per_m2", [r.spot_creep_current for r in results],
          "A/m^2")
    t.add("contact_ratio_end_at_lower", col["end_lo"], "1")
    runs = [x for r in results for x in r.runs]
    rt = Table(description="stripping runs of the critical-current search (outcome: kept | "
                           "lost | solver_failed)")
    rt.add("stack_pressure_Pa", [x.pressure for x in runs], "Pa")
    rt.add("current_density_A_per_m2", [x.current_density for x in runs], "A/m^2")
    rt.add("outcome", np.array([x.outcome for x in runs], dtype=object), "1")
    rt.add("min_window_contact_ratio", [x.min_ratio for x in runs], "1")
    rt.add("end_contact_ratio", [x.end_ratio for x in runs], "1")
    rt.add("contact_lost", np.array([x.contact_lost for x in runs], dtype=np.int64), "1")
    rt.add("solver_failed", np.array([x.solver_failed for x in runs], dtype=np.int64), "1")
    rt.add("contact_fraction_start", [x.phi0 for x in runs], "1")
    rt.add("removal_velocity_m_per_s", [x.removal_velocity for x in runs], "m/s")
    rt.add("time_steps", np.array([x.steps for x in runs], dtype=np.int64), "1")
    rt.add("step_failures", np.array([x.failures for x in runs], dtype=np.int64), "1")
    ht = Table(description="contact fraction during each stripping run")
    ht.add("stack_pressure_Pa", [x.pressure for x in runs for _ in x.phi], "Pa")
    ht.add("current_density_A_per_m2", [x.current_density for x in runs for _ in x.phi],
           "A/m^2")
    ht.add("stripped_thickness_m", [v for x in runs for v in x.stripped], "m")
    ht.add("contact_fraction", [v for x in runs for v in x.phi], "1")
    out = {"stripping": t, "stripping_runs": rt}
    if len(ht):
        out["stripping_history"] = ht
    return out


def plot(result: Result, folder: Path) -> list[Path]:
    """Contact fraction vs pressure and vs time; critical stripping current vs pressure."""
    from interface.plotting.lithium import plot_lithium

    return plot_lithium(result, folder)
