"""Figures of the trade-off model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interface.results.result import Result


def plot_tradeoff(result: Result, folder: Path) -> list[Path]:
    """tradeoff.png (energy densities, Pareto, fixture mass) and tradeoff_sensitivity.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.tables["tradeoff"]
    p = t["stack_pressure_Pa"] / 1e6
    opt = result.summary.get("optimum", {})
    optv = result.summary.get("optimum_volumetric", {})
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    has_pareto = "capacity_retention" in t.columns
    ncol = 3 if has_pareto else 2
    fig, axes = plt.subplots(1, ncol, figsize=(5.2 * ncol, 4.3), constrained_layout=True)
    _levels(axes[0], p, t, "Wh_per_kg", "o-", "tab:blue", opt.get("stack_pressure_Pa"),
            opt.get("pack_specific_energy_Wh_per_kg"), "Wh/kg", "specific energy [Wh/kg]")
    ax2 = axes[0].twinx()
    ax2.loglog(p, t["fixture_mass_kg"], ":", color="tab:orange")
    ax2.set_ylabel("fixture mass per module [kg] (dotted)", color="tab:orange")
    _levels(axes[1], p, t, "Wh_per_L", "s-", "tab:green", optv.get("stack_pressure_Pa"),
            optv.get("pack_energy_density_Wh_per_L"), "Wh/L", "energy density [Wh/L]")

    if has_pareto:
        ax = axes[2]
        r = t["capacity_retention"]
        sc = ax.scatter(r * 100, t["pack_Wh_per_kg"], c=np.log10(p), cmap="viridis", s=30)
        ok = np.isfinite(r) & np.isfinite(t["pack_Wh_per_kg"])
        front = _pareto(r[ok], t["pack_Wh_per_kg"][ok])
        ax.plot(r[ok][front] * 100, t["pack_Wh_per_kg"][ok][front], "r-", lw=1,
                label="Pareto front")
        cb = fig.colorbar(sc, ax=ax)
        cb.set_label("log10 stack pressure [MPa]")
        ax.set_xlabel(f"capacity retained after {result.info.get('cycles', 'N')} cycles [%]"
                      if "cycles" in result.info else "capacity retained after N cycles [%]")
        ax.set_ylabel("pack specific energy [Wh/kg]")
        ax.legend(fontsize=8)
        ax.grid(True, alpha=0.3)
    fig.suptitle("stack pressure vs energy density: what the pressure costs")
    path = folder / "tradeoff.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    out.append(path)

    s = result.tables.get("sensitivity")
    if s is not None and len(s):
        fig, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
        labels = [f"{a} = {b:g}" if a != "baseline" else "baseline"
                  for a, b in zip(s["parameter"], s["value"], strict=True)]
        y = np.arange(len(labels))
        ax.barh(y, s["optimal_stack_pressure_Pa"] / 1e6, color="tab:blue")
        for yi, v in zip(y, s["optimal_pack_Wh_per_kg"], strict=True):
            if np.isfinite(v):
                ax.text(0.02, yi, f"{v:.0f} Wh/kg", va="center", fontsize=8, color="white",
                        transform=ax.get_yaxis_transform())
        ax.set_yticks(y, labels, fontsize=8)
        ax.set_xscale("log")
        ax.set_xlabel("optimal stack pressure [MPa] (label: pack Wh/kg there)")
        ax.invert_yaxis()
        fig.suptitle("sensitivity of the optimum")
        path = folder / "tradeoff_sensitivity.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        out.append(path)
    return out


def _pareto(retention: np.ndarray, energy: np.ndarray) -> np.ndarray:
    """Indices of the non-dominated points (max retention, max energy), sorted by retention."""
    idx = []
    for i in range(len(retention)):
        dominated = np.any((retention >= retention[i]) & (energy >= energy[i])
                           & ((retention > retention[i]) | (energy > energy[i])))
        if not dominated:
            idx.append(i)
    idx = np.array(idx, dtype=int)
    return idx[np.argsort(retention[idx])] if len(idx) else idx


def _levels(ax, p, t, metric, style, color, p_opt, v_opt, unit, ylabel) -> None:
    """Cell, module and pack ``metric`` vs preload [MPa], with the optimum starred."""
    ax.semilogx(p, t[f"cell_{metric}"], "k--", lw=1, label="cell")
    ax.semilogx(p, t[f"module_{metric}"], "-", color="tab:gray", lw=1, label="module")
    ax.semilogx(p, t[f"pack_{metric}"], style, color=color, ms=4, label="pack")
    if p_opt is not None:
        ax.plot(p_opt / 1e6, v_opt, "*", color="tab:red", ms=14,
                label=f"optimum {p_opt / 1e6:.3g} MPa, {v_opt:.0f} {unit}")
    ax.set_xlabel("stack pressure (preload) [MPa]")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
