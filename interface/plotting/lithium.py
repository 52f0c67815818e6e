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
        out.append(_plot_stripping(result, st, folder, plt))
    return out


def _plot_stripping(result: Result, st, folder: Path, plt) -> Path:
    """Critical current vs pressure (censored values as arrows) and f during stripping."""
    p = np.asarray(st["stack_pressure_Pa"], float) / 1e6
    lo = np.asarray(st["critical_current_lower_A_per_m2"], float) / 10.0  # mA/cm^2
    hi = np.asarray(st["critical_current_upper_A_per_m2"], float) / 10.0
    ic = np.asarray(st["critical_current_density_A_per_m2"], float) / 10.0
    status = np.asarray(st["critical_current_status"]).astype(str)
    i_ref = np.asarray(st["refill_current_density_A_per_m2"], float) / 10.0
    hist = result.tables.get("stripping_history")
    ncol = 2 if hist is not None and len(hist) else 1
    fig, axes = plt.subplots(1, ncol, figsize=(5 * ncol, 4), constrained_layout=True,
                             squeeze=False)
    ax = axes[0, 0]
    br = status == "bracketed"
    if np.any(br):
        ax.errorbar(p[br], ic[br], yerr=[ic[br] - lo[br], hi[br] - ic[br]], fmt="o",
                    capsize=3, color="tab:blue", label="critical current (bisection bracket)")
    for sel, y, marker, color, label in (
            (status == "above_range", lo, "^", "tab:green", "contact kept at the top of the "
                                                            "range: i_c > value"),
            (status == "below_range", hi, "v", "tab:red", "contact lost at the bottom of the "
                                                          "range: i_c < value"),
            (status == "solver_failed", lo, "x", "tab:gray", "search stopped on a solver "
                                                             "failure: i_c > value")):
        if np.any(sel):
            ax.plot(p[sel], np.maximum(y[sel], 1e-3), marker, mfc="none", ms=9, color=color,
                    label=label)
            for x, yy in zip(p[sel], np.maximum(y[sel], 1e-3), strict=True):
                ax.annotate("", xy=(x, yy * (3.0 if marker != "v" else 1 / 3.0)),
                            xytext=(x, yy),
                            arrowprops=dict(arrowstyle="->", color=color))
    pos = i_ref > 0
    if np.any(pos):
        ax.plot(p[pos], i_ref[pos], "k--s", ms=4, lw=1,
                label="v(i) = mean-gap closure rate (pre-hold)")
    if "spot_creep_current_density_A_per_m2" in st.columns:
        i_sp = np.asarray(st["spot_creep_current_density_A_per_m2"], float) / 10.0
        sel = (i_sp > 0) & (np.asarray(st["contact_fraction_start"], float) < 1.0)
        if np.any(sel):
            ax.plot(p[sel], i_sp[sel], ":D", color="tab:purple", ms=4, lw=1,
                    label="v(i)/phi0 = spot creep rate x spot width")
        i_ref = np.concatenate([i_ref, i_sp[sel]])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ys = np.concatenate([v[v > 0] for v in (lo, hi, i_ref)])
    if ys.size:
        ax.set_ylim(ys.min() / 5, ys.max() * 5)  # room for the censoring arrows
    if p.size:
        ax.set_xlim(p.min() / 1.5, p.max() * 1.5)
    from matplotlib.ticker import FormatStrFormatter

    ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.xaxis.set_minor_formatter(FormatStrFormatter("%g"))
    ax.set_xlabel("stack pressure [MPa]")
    ax.set_ylabel("critical stripping current [mA/cm^2]")
    ax.legend(fontsize=7)
    if ncol == 2:
        ax = axes[0, 1]
        hp = np.asarray(hist["stack_pressure_Pa"], float)
        hc = np.asarray(hist["current_density_A_per_m2"], float)
        for pv in np.unique(hp):
            cur = np.unique(hc[hp == pv])
            for c in (cur.min(), cur.max()) if cur.size > 1 else (cur[0],):
                sel = (hp == pv) & (hc == c)
                ax.plot(np.asarray(hist["stripped_thickness_m"])[sel] * 1e6,
                        np.asarray(hist["contact_fraction"])[sel], lw=1,
                        label=f"{pv / 1e6:g} MPa, {c / 10:.3g} mA/cm^2")
        ax.set_xlabel("mean stripped Li thickness [um]")
        ax.set_ylabel("real contact area fraction")
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=7)
    path = folder / "lithium_stripping.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
