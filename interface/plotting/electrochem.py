"""Figures of the electrochemistry model (from the Result tables only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interface.results.result import Result


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    fig.savefig(out, dpi=120)
    _plt().close(fig)
    return out


def plot_voltage_curves(result: Result, folder: Path) -> Path | None:
    """figures/voltage_curves.png: voltage vs areal capacity, one panel per C-rate."""
    t = result.tables.get("voltage_curves")
    sw = result.tables.get("pressure_sweep")
    if t is None or sw is None or len(sw) == 0:
        return None
    plt = _plt()
    rates = sorted(set(np.asarray(sw["c_rate"]).tolist()))
    pressures = np.asarray(sw["stack_pressure_Pa"])
    cmap = plt.get_cmap("viridis")
    p_all = sorted(set(pressures.tolist()))
    area = _area(result)
    fig, axes = plt.subplots(1, len(rates), figsize=(4.5 * len(rates), 4), squeeze=False,
                             constrained_layout=True)
    for ax, c in zip(axes[0], rates, strict=True):
        for row in np.flatnonzero(np.asarray(sw["c_rate"]) == c):
            sel = np.asarray(t["curve"]) == row
            k = p_all.index(pressures[row])
            color = cmap(k / max(len(p_all) - 1, 1))
            ax.plot(t["capacity_C"][sel] / area / 3.6e4, t["voltage_V"][sel], color=color,
                    label=f"{pressures[row] / 1e6:.3g} MPa")
        ax.set_xlabel("discharge capacity [mAh/cm$^2$]")
        ax.set_ylabel("voltage [V]")
        ax.set_title(f"{c:g}C discharge")
        ax.legend(fontsize=7, title="stack pressure", title_fontsize=7)
    return _save(fig, folder, "voltage_curves.png")


def _area(result: Result) -> float:
    s = result.summary
    if s.get("nominal_capacity_C_per_m2"):
        return s["nominal_capacity_C"] / s["nominal_capacity_C_per_m2"]
    return 1e-4


def plot_capacity_vs_pressure(result: Result, folder: Path) -> Path | None:
    """figures/capacity_vs_pressure.png: capacity, energy, mean voltage vs stack pressure."""
    sw = result.tables.get("pressure_sweep")
    if sw is None or len(sw) == 0:
        return None
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    rates = sorted(set(np.asarray(sw["c_rate"]).tolist()))
    for c in rates:
        sel = np.asarray(sw["c_rate"]) == c
        p = np.asarray(sw["stack_pressure_Pa"])[sel] / 1e6
        order = np.argsort(p)
        kw = dict(marker="o", label=f"{c:g}C")
        axes[0].plot(p[order], np.asarray(sw["discharge_capacity_mAh_per_cm2"])[sel][order],
                     **kw)
        axes[1].plot(p[order], np.asarray(sw["discharge_energy_J_per_m2"])[sel][order]
                     / 3.6e4, **kw)
        axes[2].plot(p[order], np.asarray(sw["mean_voltage_V"])[sel][order], **kw)
    if "cycling" in result.tables:
        cy = result.tables["cycling"]
        last = (np.asarray(cy["cycle"]) == np.max(cy["cycle"])) & (np.asarray(cy["coupled"]) == 0)
        if last.any():
            ax2 = axes[0].twinx()
            ax2.plot(np.asarray(cy["stack_pressure_Pa"])[last] / 1e6,
                     np.asarray(cy["retention"])[last], "k--", marker="s", ms=3,
                     label=f"retention after {int(np.max(cy['cycle']))} cycles")
            ax2.set_ylabel("capacity retention")
            ax2.legend(loc="lower right", fontsize=7)
    for ax, label in zip(axes, ("discharge capacity [mAh/cm$^2$]",
                                "discharge energy [mWh/cm$^2$]", "mean voltage [V]"),
                         strict=True):
        ax.set_xscale("log")
        ax.set_xlabel("stack pressure [MPa]")
        ax.set_ylabel(label)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("one-way coupling (constant load): discharge vs stack pressure")
    return _save(fig, folder, "capacity_vs_pressure.png")


def plot_coupled(result: Result, folder: Path) -> Path | None:
    """figures/coupled_history.png: pressure, contact and voltage of the coupled discharges."""
    h = result.tables.get("coupled_history")
    cd = result.tables.get("coupled_discharge")
    if h is None or cd is None or len(cd) == 0:
        return None
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    area = _area(result)
    for i, c in enumerate(np.asarray(cd["c_rate"])):
        sel = np.asarray(h["curve"]) == i
        q = np.asarray(h["capacity_C"])[sel] / area / 3.6e4
        axes[0].plot(q, np.asarray(h["stack_pressure_Pa"])[sel] / 1e6, label=f"{c:g}C")
        axes[1].plot(q, np.asarray(h["cathode_contact_fraction"])[sel], label=f"f_c, {c:g}C")
        if np.any(np.asarray(h["li_contact_fraction"])[sel] < 1):
            axes[1].plot(q, np.asarray(h["li_contact_fraction"])[sel], ls="--",
                         label=f"f_Li, {c:g}C")
        axes[2].plot(q, np.asarray(h["voltage_V"])[sel], label=f"coupled {c:g}C")
    axes[0].set_ylabel("stack pressure [MPa]")
    axes[1].set_ylabel("contact fraction")
    axes[2].set_ylabel("voltage [V]")
    for ax in axes:
        ax.set_xlabel("discharge capacity [mAh/cm$^2$]")
        ax.legend(fontsize=7)
    fig.suptitle("two-way coupling: the stack pressure follows the state of charge")
    return _save(fig, folder, "coupled_history.png")


def plot_cycling(result: Result, folder: Path) -> Path | None:
    """figures/cycling.png: capacity retention and connected fraction per cycle."""
    cy = result.tables.get("cycling")
    if cy is None or len(cy) == 0:
        return None
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for k in np.unique(cy["condition"]):
        sel = np.asarray(cy["condition"]) == k
        coupled = int(np.asarray(cy["coupled"])[sel][0])
        p = np.asarray(cy["stack_pressure_Pa"])[sel][0] / 1e6
        label = f"fixture (from {p:.3g} MPa)" if coupled else f"{p:.3g} MPa"
        style = "k--" if coupled else "-"
        axes[0].plot(cy["cycle"][sel], cy["retention"][sel], style, marker="o", ms=3,
                     label=label)
        axes[1].plot(cy["cycle"][sel], cy["connected_fraction"][sel], style, marker="o", ms=3,
                     label=label)
    axes[0].set_ylabel("capacity retention")
    axes[1].set_ylabel("connected NMC fraction")
    for ax in axes:
        ax.set_xlabel("cycle")
        ax.legend(fontsize=7)
    return _save(fig, folder, "cycling.png")


def plot_all(result: Result, folder: Path) -> list[Path]:
    """Every figure the result has data for."""
    outs = [plot_voltage_curves(result, folder), plot_capacity_vs_pressure(result, folder),
            plot_coupled(result, folder), plot_cycling(result, folder)]
    return [p for p in outs if p is not None]
