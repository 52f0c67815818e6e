"""Figures of the Li symmetric-cell model."""

from __future__ import annotations

from pathlib import Path

from interface.results.result import Result


def plot_li_symmetric(result: Result, folder: Path) -> list[Path]:
    """figures/li_symmetric.png: contact, ASR, critical stripping current, time to short vs P."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.tables["pressure_sweep"]
    if len(t) == 0:
        return []
    p = t["stack_pressure_Pa"] / 1e6
    lo, hi = (v / 1e6 for v in result.summary["pressure_window_Pa"])
    panels = [("li_contact_fraction", "Li contact fraction", 1.0, False),
              ("interfacial_asr_ohm_m2", "interfacial ASR [ohm cm^2]", 1e4, True),
              ("critical_stripping_current_A_per_m2", "critical stripping current [mA/cm^2]",
               0.1, True),
              ("time_to_short_s", "time to short [h]", 1 / 3600.0, True)]
    fig, axes = plt.subplots(1, 5, figsize=(21, 4), constrained_layout=True)
    for ax, (col, label, scale, logy) in zip(axes[:4], panels, strict=True):
        ax.plot(p, t[col] * scale, "o-")
        ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel("stack pressure [MPa]")
        ax.set_ylabel(label)
        if lo < hi:
            ax.axvspan(lo, hi, color="tab:green", alpha=0.15, label="pressure window")
    axes[2].axhline(result.summary["current_density_A_per_m2"] * 0.1, color="k", ls=":",
                    label="design current")
    axes[3].axhline(result.summary["service_life_s"] / 3600.0, color="k", ls=":",
                    label="service life")
    for ax in axes[2:4]:
        ax.legend(fontsize=7)
    pt = result.tables["pressure_path"]
    ax = axes[4]
    ax.plot(pt["stack_pressure_Pa"] / 1e6, pt["interfacial_asr_ohm_m2"] * 1e4, "o-")
    for i, (x, y) in enumerate(zip(pt["stack_pressure_Pa"] / 1e6,
                                   pt["interfacial_asr_ohm_m2"] * 1e4, strict=True)):
        ax.annotate(str(i), (x, y), fontsize=7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("stack pressure [MPa] (path, steps numbered)")
    ax.set_ylabel("interfacial ASR [ohm cm^2]")
    fig.suptitle(f"Li | electrolyte | Li at {result.summary['temperature_K'] - 273.15:.0f} C, "
                 f"{result.summary['current_density_A_per_m2'] / 10:.3g} mA/cm^2: window "
                 f"{lo:.3g}-{hi:.3g} MPa")
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "li_symmetric.png"
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return [out]
