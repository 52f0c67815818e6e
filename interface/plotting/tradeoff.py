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
    ax = axes[0]
    ax.semilogx(p, t["cell_Wh_per_kg"], "k--", lw=1, label="cell")
    ax.semilogx(p, t["module_Wh_per_kg"], "-", color="tab:gray", lw=1, label="module")
    ax.semilogx(p, t["pack_Wh_per_kg"], "o-", color="tab:blue", ms=4, label="pack")
    if opt:
        ax.plot(opt["stack_pressure_Pa"] / 1e6, opt["pack_specific_energy_Wh_per_kg"], "*",
                color="tab:red", ms=14,
                label=f"optimum {opt['stack_pressure_Pa'] / 1e6:.3g} MPa, "
                      f"{opt['pack_specific_energy_Wh_per_kg']:.0f} Wh/kg")
    ax.set_xlabel("stack pressure (preload) [MPa]")
    ax.set_ylabel("specific energy [Wh/kg]")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    ax2 = ax.twinx()
    ax2.loglog(p, t["fixture_mass_kg"], ":", color="tab:orange")
    ax2.set_ylabel("fixture mass per module [kg] (dotted)", color="tab:orange")

    ax = axes[1]
    ax.semilogx(p, t["cell_Wh_per_L"], "k--", lw=1, label="cell")
    ax.semilogx(p, t["module_Wh_per_L"], "-", color="tab:gray", lw=1, label="module")
    ax.semilogx(p, t["pack_Wh_per_L"], "s-", color="tab:green", ms=4, label="pack")
    if optv:
        ax.plot(optv["stack_pressure_Pa"] / 1e6, optv["pack_energy_density_Wh_per_L"], "*",
                color="tab:red", ms=14,
                label=f"optimum {optv['stack_pressure_Pa'] / 1e6:.3g} MPa, "
                      f"{optv['pack_energy_density_Wh_per_L']:.0f} Wh/L")
    ax.set_xlabel("stack pressure (preload) [MPa]")
    ax.set_ylabel("energy density [Wh/L]")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)

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
