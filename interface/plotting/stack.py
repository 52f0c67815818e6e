"""Figures of the stack model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interface.results.result import Result


def _segments(coord: np.ndarray):
    """Split the path into its monotone segments (charge / discharge)."""
    seg = np.floor(np.maximum(coord - 1e-9, 0)).astype(int)
    return [np.flatnonzero(seg == k) for k in np.unique(seg)]


def plot_soc_path(result: Result, folder: Path) -> list[Path]:
    """figures/stack_soc.png: stack pressure and thickness change vs SOC."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.tables["soc_path"]
    if len(t) == 0:
        return []
    soc, coord = t["soc"], t["path_coordinate"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for idx in _segments(coord):
        # include the previous point so segments join
        j = np.concatenate([[max(idx[0] - 1, 0)], idx])
        rising = soc[j[-1]] >= soc[j[0]]
        style = dict(ls="-", marker="o", ms=3) if rising else dict(ls="--", marker="s", ms=3)
        label = "charge" if rising else "discharge"
        axes[0].plot(soc[j], t["stack_pressure_Pa"][j] / 1e6, label=label, **style)
        axes[1].plot(soc[j], t["thickness_change_m"][j] * 1e6, label=label, **style)
    if "stack_pressure_laminate_estimate_Pa" in t.columns:
        axes[0].plot(soc, t["stack_pressure_laminate_estimate_Pa"] / 1e6, "k:", lw=1,
                     label="1D laminate closed form")
    ftype = result.summary.get("fixture_type", "")
    for other, color in (("spring", "tab:green"), ("fixed_gap", "tab:red")):
        if other != ftype and f"stack_pressure_{other}_Pa" in t.columns:
            axes[0].plot(soc, t[f"stack_pressure_{other}_Pa"] / 1e6, color=color, lw=1, alpha=0.7,
                         label=f"same stack, {other.replace('_', ' ')} fixture")
            axes[1].plot(soc, t[f"thickness_change_{other}_m"] * 1e6, color=color, lw=1,
                         alpha=0.7, label=f"{other.replace('_', ' ')} fixture")
    axes[0].set_yscale("symlog", linthresh=1.0)
    axes[0].set_xlabel("state of charge")
    axes[0].set_ylabel("stack pressure [MPa]")
    axes[1].set_xlabel("state of charge")
    axes[1].set_ylabel("stack thickness change [um]")
    handles, labels = axes[0].get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=True))
    axes[0].legend(uniq.values(), uniq.keys(), fontsize=8)
    axes[1].legend(*axes[1].get_legend_handles_labels()[::-1][::-1], fontsize=8)
    fig.suptitle(f"stack in a {ftype.replace('_', ' ')} fixture (solid/dashed: charge/discharge)")
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "stack_soc.png"
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return [out]
