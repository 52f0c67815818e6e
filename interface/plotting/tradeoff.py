"""Figures of the trade-off model (from the Result's tables and summary only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interface.results.result import Result

COLORS = {"tie_rods_springs": "tab:blue", "compression_pads": "tab:orange",
          "fixed_gap_frame": "tab:gray", "pressurised_enclosure": "tab:green",
          "cell_to_pack": "tab:purple"}
LABELS = {"tie_rods_springs": "tie rods + springs", "compression_pads": "foam pads",
          "fixed_gap_frame": "rigid frame (creep)", "pressurised_enclosure": "gas enclosure",
          "cell_to_pack": "cell-to-pack"}


def plot_tradeoff(result: Result, folder: Path) -> list[Path]:
    """tradeoff.png (headline), tradeoff_hardware.png, tradeoff_sensitivity.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    out = [_headline(result, folder, plt)]
    hw = _hardware(result, folder, plt)
    if hw is not None:
        out.append(hw)
    s = result.tables.get("sensitivity")
    if s is not None and len(s):
        out.append(_sensitivity(s, folder, plt))
    return out


def _archs(result: Result) -> list[str]:
    return list(result.summary.get("architectures", []))


def _window(ax, summary, p_lo_grid, p_hi_grid) -> None:
    """Shade the Li-metal pressure window (or say that it is empty)."""
    w = summary.get("pressure_window_Pa")
    if not w:
        return
    lo, hi = w[0] / 1e6, w[1] / 1e6
    if lo < hi:
        ax.axvspan(max(lo, p_lo_grid), min(hi, p_hi_grid), color="tab:green", alpha=0.10,
                   label="Li-metal pressure window")
    else:
        ax.axvspan(p_lo_grid, p_hi_grid, facecolor="none", hatch="//", edgecolor="tab:red",
                   alpha=0.35, lw=0, label=f"window empty (P_min {lo:.3g} > P_max {hi:.3g} MPa)")
        if p_lo_grid <= lo <= p_hi_grid:
            ax.axvline(lo, color="tab:red", lw=1, ls="--")


def _retention_line(ax, t, target) -> None:
    """Dotted line where the retention crosses its target (life constraint)."""
    if "capacity_retention" not in t.columns:
        return
    p = np.asarray(t["stack_pressure_Pa"], float)
    r = np.asarray(t["capacity_retention"], float)
    order = np.argsort(p)
    p, r = p[order], r[order]
    ok = r >= target
    if ok.any() and not ok.all():
        i = int(np.argmax(ok))
        if i > 0:
            x = np.exp(np.interp(target, [r[i - 1], r[i]],
                                 [np.log(p[i - 1]), np.log(p[i])])) / 1e6
            ax.axvline(x, color="k", ls=":", lw=1.2,
                       label=f"retention >= {target:g} above this")
    elif not ok.any():
        ax.text(0.02, 0.02, f"retention < {target:g} at every preload", fontsize=7,
                transform=ax.transAxes, color="k")


def _headline(result: Result, folder: Path, plt) -> Path:
    t = result.tables["tradeoff"]
    s = result.summary
    opt = s.get("optimum", {})
    target = float(opt.get("retention_target", s.get("retention_target", 0.8)))
    fig, axes = plt.subplots(2, 2, figsize=(12.5, 9.0), constrained_layout=True)
    p_all = np.asarray(t["stack_pressure_Pa"], float) / 1e6 if len(t) else np.array([1.0])
    skipped = result.tables.get("skipped_points")
    grid = np.concatenate([p_all, np.asarray(skipped["stack_pressure_Pa"], float) / 1e6]) \
        if skipped is not None and len(skipped) else p_all
    lo_g, hi_g = float(grid.min()), float(grid.max())
    panels = ((axes[0, 0], "pack_Wh_per_kg", "pack specific energy [Wh/kg]"),
              (axes[0, 1], "pack_Wh_per_L", "pack energy density [Wh/L]"))
    for ax, col, ylabel in panels:
        _window(ax, s, lo_g, hi_g)
        for a in _archs(result):
            m = np.asarray(t["architecture"]) == a
            if not m.any():
                ax.plot([], [], "-", color=COLORS.get(a),
                        label=f"{LABELS.get(a, a)}: infeasible at every preload")
                continue
            p = np.asarray(t["stack_pressure_Pa"], float)[m] / 1e6
            v = np.asarray(t[col], float)[m]
            met = np.asarray(t["constraints_met"])[m].astype(bool)
            o = np.argsort(p)
            ax.semilogx(p[o], v[o], "-", color=COLORS.get(a), lw=1.4, label=LABELS.get(a, a))
            ax.plot(p[met], v[met], "o", color=COLORS.get(a), ms=6)
            ax.plot(p[~met], v[~met], "o", mfc="none", color=COLORS.get(a), ms=5)
        cell_col = "cell_" + col.split("_", 1)[1]
        if len(t):
            o = np.argsort(p_all)
            ax.semilogx(p_all[o], np.asarray(t[cell_col], float)[o], "k--", lw=0.8,
                        label="cell")
        _retention_line(ax, t, target)
        key = {"pack_Wh_per_kg": "pack_specific_energy_Wh_per_kg",
               "pack_Wh_per_L": "pack_energy_density_Wh_per_L"}[col]
        if opt:
            met = opt.get("constraints_met", False)
            ax.plot(opt["stack_pressure_Pa"] / 1e6, opt[key], "*", color="tab:red", ms=16,
                    label=(f"optimum ({LABELS.get(opt['architecture'], opt['architecture'])}, "
                           f"{opt['stack_pressure_Pa'] / 1e6:.3g} MPa)"
                           + ("" if met else " - constraints relaxed")))
        ax.set_xlabel("preload (stack pressure at assembly) [MPa]")
        ax.set_ylabel(ylabel)
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
    axes[0, 0].legend(fontsize=7, loc="lower left")
    # retention and the Pareto front
    ax = axes[1, 0]
    if "capacity_retention" in t.columns and len(t):
        pr = result.tables.get("pareto")
        for a in _archs(result):
            m = np.asarray(t["architecture"]) == a
            if m.any():
                ax.plot(np.asarray(t["capacity_retention"])[m] * 100,
                        np.asarray(t["pack_Wh_per_kg"])[m], "o", color=COLORS.get(a), ms=4,
                        label=LABELS.get(a, a))
        if pr is not None and len(pr):
            ax.plot(np.asarray(pr["capacity_retention"]) * 100, pr["pack_Wh_per_kg"], "r-",
                    lw=1.2, label="Pareto front (in the window)")
        ax.axvline(target * 100, color="k", ls=":", lw=1.2, label="retention target")
        cyc = result.info.get("cycles", "N")
        ax.set_xlabel(f"capacity retained after {cyc} cycles [%]")
        ax.set_ylabel("pack specific energy [Wh/kg]")
        ax.legend(fontsize=7)
    ax.grid(True, alpha=0.3)
    ax.set_title("cycle life against pack Wh/kg", fontsize=9)
    # pack-to-cell ratios
    ax = axes[1, 1]
    for a in _archs(result):
        m = np.asarray(t["architecture"]) == a
        if not m.any():
            continue
        p = np.asarray(t["stack_pressure_Pa"], float)[m] / 1e6
        o = np.argsort(p)
        ax.semilogx(p[o], np.asarray(t["pack_to_cell_mass_ratio"])[m][o], "-",
                    color=COLORS.get(a), lw=1.4)
        ax.semilogx(p[o], np.asarray(t["pack_to_cell_volume_ratio"])[m][o], "--",
                    color=COLORS.get(a), lw=1.4)
    ref = s.get("pack_ratio_check", {})
    if ref:
        ax.axhline(ref.get("reference_mass_ratio", 0.55), color="k", lw=0.8)
        ax.axhline(ref.get("reference_volume_ratio", 0.40), color="k", lw=0.8, ls="--")
    ax.set_xlabel("preload [MPa]")
    ax.set_ylabel("pack / cell: mass (solid), volume (dashed)")
    ax.set_ylim(0, 1)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title("what the pack keeps of the cell (black: reference ratios of Li-ion packs)",
                 fontsize=9)
    fig.suptitle("how much stack pressure, and what it costs: every pressing architecture "
                 "(filled: meets every constraint)")
    path = folder / "tradeoff.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _hardware(result: Result, folder: Path, plt) -> Path | None:
    """Parts of each architecture's best design and its pressure over the cycle."""
    b = result.tables.get("fixture_mass_breakdown")
    pc = result.tables.get("pressure_cycle")
    s = result.summary
    best = s.get("by_architecture", {})
    if b is None or not len(b):
        return None
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), constrained_layout=True)
    ax = axes[0]
    parts = [c[:-8] for c in b.columns if c.endswith("_mass_kg") and c != "fixture_mass_kg"]
    names, rows = [], []
    for a, info in best.items():
        if "stack_pressure_Pa" not in info:
            continue
        m = (np.asarray(b["architecture"]) == a) & np.isclose(
            np.asarray(b["stack_pressure_Pa"], float), info["stack_pressure_Pa"], rtol=1e-9)
        if not m.any():
            continue
        i = int(np.flatnonzero(m)[0])
        per_cell = 1.0 / float(b["cells_per_fixture"][i])
        rows.append([float(b[f"{q}_mass_kg"][i]) * per_cell * 1e3 for q in parts])
        names.append(f"{LABELS.get(a, a)}\n{info['stack_pressure_Pa'] / 1e6:.3g} MPa")
    if rows:
        rows = np.array(rows)
        left = np.zeros(len(names))
        cmap = plt.get_cmap("tab20")
        for k, q in enumerate(parts):
            if np.any(rows[:, k] > 0):
                ax.barh(names, rows[:, k], left=left, color=cmap(k % 20), label=q)
                left += rows[:, k]
        ax.set_xlabel("pressing hardware per cell [g] (each architecture's best design)")
        ax.legend(fontsize=6, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    ax = axes[1]
    if pc is not None and len(pc):
        ids = np.asarray(pc["architecture_id"])
        archs = _archs(result)
        for a, info in best.items():
            if "stack_pressure_Pa" not in info or a not in archs:
                continue
            k = archs.index(a)
            m = (ids == k) & np.isclose(np.asarray(pc["preload_Pa"], float),
                                        info["stack_pressure_Pa"], rtol=1e-9)
            for eol, ls in ((0, "-"), (1, ":")):
                mm = m & (np.asarray(pc["end_of_life"]) == eol)
                if mm.any():
                    x = np.asarray(pc["time_s"], float)[mm] / 3600
                    y = np.asarray(pc["stack_pressure_Pa"], float)[mm] / info["stack_pressure_Pa"]
                    ax.plot(x, y, ls, color=COLORS.get(a),
                            label=LABELS.get(a, a) + (" (end of life)" if eol else ""))
        ax.set_xlabel("time on charge (SOC 0 -> 1 at the C-rate) [h]")
        ax.set_ylabel("stack pressure / preload")
        ax.legend(fontsize=7)
        ax.grid(True, alpha=0.3)
    fig.suptitle("pressing hardware and the pressure over the cycle (best design of each "
                 "architecture)")
    path = folder / "tradeoff_hardware.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _sensitivity(s, folder: Path, plt) -> Path:
    fig, ax = plt.subplots(figsize=(7.5, 4), constrained_layout=True)
    labels = [f"{a} = {b:g}" if a != "baseline" else "baseline"
              for a, b in zip(s["parameter"], s["value"], strict=True)]
    y = np.arange(len(labels))
    ax.barh(y, np.asarray(s["optimal_stack_pressure_Pa"], float) / 1e6, color="tab:blue")
    for yi, v, a in zip(y, s["optimal_pack_Wh_per_kg"], s["architecture"], strict=True):
        ax.text(0.02, yi, f"{v:.0f} Wh/kg, {LABELS.get(a, a)}", va="center", fontsize=7,
                color="white", transform=ax.get_yaxis_transform())
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("optimal preload [MPa] (label: pack Wh/kg and architecture there)")
    ax.invert_yaxis()
    fig.suptitle("sensitivity of the optimum")
    path = folder / "tradeoff_sensitivity.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
