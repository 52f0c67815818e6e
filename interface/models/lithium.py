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


def _new_model(comm, case, surf: Surface, mat):
    from interface.mechanics.lithium import LiContactModel

    nx, nz = mesh_counts(case)
    thick = case.lithium.thickness or surf.length
    return LiContactModel(comm, surf.height, surf.length, thick, nx, nz, mat,
                          dim=case.mesh.dimension)


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Elastic, plastic and creep contact vs pressure; the fast law; stripping.

    Returns:
        Result with tables ``instantaneous``, ``pressure_sweep``, ``creep_history``,
        ``lithium_law``,
        ``stripping`` and ``stripping_runs``; on a SolverError the completed points
        are kept and ``status`` is "failed".
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
        rep = fit_law(data, activation_energy=li_bare.Q, reference_temperature=li_bare.T_ref,
                      roughness=surf.rms, roughness_exponent=FittedLithiumLaw.roughness_exponent,
                      rms_reference=surf.rms, source=f"lithium model, case {case.name}")
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
        st_tab = {k: [] for k in ("p", "ic", "lo", "hi", "phi0", "refill")}
        runs = {k: [] for k in ("p", "i", "ratio", "lost", "failed", "phi0")}

        def make():
            return _new_model(comm, case, surf, mat)

        for p in pl.strip_pressures:
            try:
                ic, (lo, hi), rr = critical_current(
                    make, p, pl.strip_thickness, pl.pre_hold,
                    lo=pl.current_bracket[0], hi=pl.current_bracket[1],
                    bisections=pl.bisections, keep=li.stripping.keep, max_fail=pl.max_fail,
                    first_step=pl.first_step)
            except SolverError as exc:
                status, message = "failed", f"stripping at {p:g} Pa: {exc}"
                break
            for k, v in (("p", p), ("ic", ic), ("lo", lo), ("hi", hi), ("phi0", rr[0].phi0),
                         ("refill", rr[0].refill_velocity)):
                st_tab[k].append(v)
            for r in rr:
                for k, v in (("p", p), ("i", r.current_density), ("ratio", r.min_ratio),
                             ("lost", int(r.contact_lost)), ("failed", int(r.solver_failed)),
                             ("phi0", r.phi0)):
                    runs[k].append(v)
            progress.step(f"stripping at {p / 1e6:.4g} MPa: i_c = {ic / 10:.3g} mA/cm^2")
        t = Table(description="critical stripping current density vs stack pressure")
        t.add("stack_pressure_Pa", st_tab["p"], "Pa")
        t.add("critical_current_density_A_per_m2", st_tab["ic"], "A/m^2")
        t.add("critical_current_lower_A_per_m2", st_tab["lo"], "A/m^2")
        t.add("critical_current_upper_A_per_m2", st_tab["hi"], "A/m^2")
        t.add("contact_fraction_start", st_tab["phi0"], "1")
        t.add("creep_refill_velocity_m_per_s", st_tab["refill"], "m/s")
        lo_arr, hi_arr = np.asarray(st_tab["lo"]), np.asarray(st_tab["hi"])
        t.add("below_current_range", (lo_arr == 0).astype(np.int64), "1")
        t.add("above_current_range", ((lo_arr == hi_arr) & (lo_arr > 0)).astype(np.int64),
              "1")
        tables["stripping"] = t
        r = Table(description="stripping runs of the bisection")
        r.add("stack_pressure_Pa", runs["p"], "Pa")
        r.add("current_density_A_per_m2", runs["i"], "A/m^2")
        r.add("min_contact_ratio", runs["ratio"], "1")
        r.add("contact_lost", np.asarray(runs["lost"], dtype=np.int64), "1")
        r.add("solver_failed", np.asarray(runs["failed"], dtype=np.int64), "1")
        r.add("contact_fraction_start", runs["phi0"], "1")
        tables["stripping_runs"] = r
        if st_tab["ic"]:
            summary["critical_current_density_max_A_per_m2"] = float(max(st_tab["ic"]))
            summary["critical_current_density_min_A_per_m2"] = float(min(st_tab["ic"]))
    timings["time_stripping_s"] = time.perf_counter() - t0

    info = {"dofs": ndofs, "dimension": case.mesh.dimension, "mpi_ranks": comm.size,
            "surface": surf.description, "counter_body": li.counter_body,
            "time_steps_total": int(np.sum(steps)) if steps else 0,
            "newton_iterations_total": int(np.sum(newton)) if newton else 0,
            **timings, "time_total_s": time.perf_counter() - t_start}
    return Result(model="lithium", summary=summary, tables=tables, status=status,
                  message=message, info=info)


def plot(result: Result, folder: Path) -> list[Path]:
    """Contact fraction vs pressure and vs time; critical stripping current vs pressure."""
    from interface.plotting.lithium import plot_lithium

    return plot_lithium(result, folder)
