"""Figures of the Li-interface model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interface.results.result import Result


def plot_lithium(result: Result, folder: Path) -> list[Path]:
    """figures/lithium_contact.png and figures/lithium_stripping.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    folder.mkdir(parents=True, exist_ok=True)
    sw = result.tables.get("pressure_sweep")
    if sw is not None and len(sw):
        p = sw["stack_pressure_Pa"] / 1e6
        fig, axes = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
        ax = axes[0]
        ins = result.tables.get("instantaneous")
        if ins is not None and len(ins):
            pi = ins["stack_pressure_Pa"] / 1e6
            ax.plot(pi, ins["contact_fraction_elastic"], "-o", label="elastic")
            ax.plot(pi, ins["contact_fraction_plastic"], "-s",
                    label="elastic-plastic (instant)")
            ax.plot(pi, ins["contact_fraction_hardness_estimate"], "k:", lw=1,
                    label="P / (2.97 sigma_y)")
        t_hold = result.summary.get("hold_time_s", 0.0)
        ax.plot(p, sw["contact_fraction_creep"], "-^", label=f"creep, after {t_hold:g} s")
        ax.set_xscale("log")
        ax.set_xlabel("stack pressure [MPa]")
        ax.set_ylabel("real contact area fraction")
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=8)
        h = result.tables["creep_history"]
        ax = axes[1]
        for pv in np.unique(h["stack_pressure_Pa"]):
            sel = h["stack_pressure_Pa"] == pv
            ax.semilogx(h["hold_time_s"][sel], h["contact_fraction"][sel], "-o", ms=3,
                        label=f"{pv / 1e6:g} MPa")
        ax.set_xlabel("hold time [s]")
        ax.set_ylabel("real contact area fraction")
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=8, title="stack pressure")
        fig.suptitle(f"Li | electrolyte contact ({result.info.get('surface', '')})")
        path = folder / "lithium_contact.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        out.append(path)
    st = result.tables.get("stripping")
    if st is not None and len(st):
        p = st["stack_pressure_Pa"] / 1e6
        ic = st["critical_current_density_A_per_m2"] / 10.0  # mA/cm^2
        lo = st["critical_current_lower_A_per_m2"] / 10.0
        hi = st["critical_current_upper_A_per_m2"] / 10.0
        fig, ax = plt.subplots(figsize=(5, 4), constrained_layout=True)
        above = (lo == hi) & (lo > 0)
        inside = (lo > 0) & ~above
        if np.any(above):
            ax.plot(p[above], lo[above], "^", color="tab:green",
                    label="above the current range (lower bound)")
        if np.any(inside):
            ax.errorbar(p[inside], ic[inside], yerr=[ic[inside] - lo[inside],
                                                     hi[inside] - ic[inside]],
                        fmt="-o", capsize=3, label="critical current (bisection bracket)")
        if np.any(~inside):
            ax.plot(p[~inside], hi[~inside], "v", color="tab:red",
                    label="below the current range (upper bound)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("stack pressure [MPa]")
        ax.set_ylabel("critical stripping current [mA/cm^2]")
        ax.legend(fontsize=8)
        path = folder / "lithium_stripping.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        out.append(path)
    return out
