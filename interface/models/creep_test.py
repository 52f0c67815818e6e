"""The creep-test model: constant-stress creep tests of a metal at one material point.

Runs the package's viscoplastic law (J2 yield + power-law creep, Arrhenius in T;
:mod:`interface.mechanics.viscoplastic`) through the material-point driver
(:mod:`interface.mechanics.material_point`) as a laboratory creep test: each stress
is applied at t = 0 and held; the table ``creep`` gives the steady strain rate, the
quantity creep measurements report (Masias et al. 2019 for Li).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from interface.errors import InputError, SolverError
from interface.progress import Progress
from interface.results.result import Result, Table


def material_law(case):
    """The LithiumMaterial (viscoplastic law) of a creep-test case."""
    from interface.materials import get_material
    from interface.mechanics.viscoplastic import LithiumMaterial

    ct = case.creep_test
    mat = get_material(ct.material, case.materials, key="creep_test.material")
    try:
        law = LithiumMaterial.from_material(mat, temperature=ct.temperature,
                                            activation_energy=ct.activation_energy)
    except InputError as exc:
        raise InputError(exc.message, key="creep_test.material") from None
    return law.with_(plastic=ct.plasticity)


def check(case) -> None:
    """The material must have a yield stress and a creep law."""
    material_law(case)


def run(case, comm, progress: Progress | None = None, fields=None) -> Result:
    """Run one creep test per stress (cheap: every rank computes all, no communication)."""
    from interface.mechanics.material_point import creep_test

    del fields, comm
    t0 = time.perf_counter()
    ct = case.creep_test
    law = material_law(case)
    steps = max(10, ct.steps // 3) if case.smoke else ct.steps
    progress = progress or Progress(0, "creep_test", quiet=True)
    progress.reset(len(ct.stresses))
    rows, histories = [], []
    status, message = "ok", ""
    for s in sorted(ct.stresses):
        try:
            h = creep_test(law, s, ct.duration, steps)
        except SolverError as exc:
            status, message = "failed", str(exc)
            break
        rows.append((s, h))
        histories.append(h)
        progress.step(f"{s / 1e6:.4g} MPa: {h.steady_rate:.3g} 1/s")
    creep = Table(description="constant-stress creep tests: steady (end-of-hold) inelastic "
                              "strain rate per applied stress")
    creep.add("stress_Pa", [s for s, _ in rows], "Pa")
    creep.add("strain_rate_per_s", [h.steady_rate for _, h in rows], "1/s")
    creep.add("norton_strain_rate_per_s", [float(law.creep_rate(s)) for s, _ in rows], "1/s")
    creep.add("strain_at_end", [h.strain[-1] for _, h in rows], "1")
    creep.add("above_yield", [int(s >= law.yield_stress) for s, _ in rows], "1")
    hist = Table(description="strain histories (long format: 'test' is the row of creep)")
    hist.add("test", np.concatenate([np.full(len(h.time), i) for i, (_, h) in enumerate(rows)])
             if rows else np.zeros(0, int), "1")
    for col, attr, unit in (("time_s", "time", "s"), ("strain", "strain", "1"),
                            ("stress_Pa", "stress", "Pa"),
                            ("strain_rate_per_s", "rate", "1/s")):
        hist.add(col, np.concatenate([getattr(h, attr) for _, h in rows]) if rows
                 else np.zeros(0), unit)
    summary = {
        "material": ct.material,
        "temperature_K": ct.temperature,
        "creep_exponent": law.n,
        "creep_coefficient_at_T_Pa_n_per_s": law.A,
        "activation_energy_J_per_mol": law.Q,
        "yield_stress_Pa": law.sigma_y,
        "points_completed": len(rows),
        "points_total": len(ct.stresses),
    }
    info = {"steps_per_test": steps, "time_total_s": time.perf_counter() - t0}
    return Result(model="creep_test", summary=summary, tables={"creep": creep, "history": hist},
                  status=status, message=message, info=info)


def plot(result: Result, folder: Path) -> list[Path]:
    """Strain vs time of each test and the steady rate vs stress."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    c, h = result.tables["creep"], result.tables["history"]
    if len(c) == 0:
        return []
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for i, s in enumerate(c["stress_Pa"]):
        sel = h["test"] == i
        t = h["time_s"][sel]
        axes[0].plot(t[1:], h["strain"][sel][1:], label=f"{s / 1e6:.3g} MPa")
    axes[0].set_xscale("log")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("time [s]")
    axes[0].set_ylabel("strain")
    axes[0].legend(fontsize=8)
    axes[1].loglog(c["stress_Pa"] / 1e6, c["strain_rate_per_s"], "o", label="creep test")
    axes[1].loglog(c["stress_Pa"] / 1e6, c["norton_strain_rate_per_s"], "k--",
                   label="A(T) sigma^n")
    axes[1].set_xlabel("stress [MPa]")
    axes[1].set_ylabel("steady strain rate [1/s]")
    axes[1].legend(fontsize=8)
    fig.suptitle(f"creep tests of {result.summary.get('material', '')} at "
                 f"{result.summary.get('temperature_K', 0):.1f} K")
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "creep_test.png"
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return [out]
