"""Figures of validation datasets: measured points with their bands against the prediction."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np


def _label(name: str, unit: str) -> str:
    return name if unit in ("1", "") else f"{name}"


def plot_dataset(record, folder: Path) -> Path | None:
    """One figure per dataset (one panel per observation); None if nothing to draw."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in record.rows if r.status == "ok"]
    if not rows:
        return None
    n = len(rows)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 3.4), squeeze=False)
    for ax, r in zip(axes[0], rows, strict=True):
        colour = "tab:green" if r.within else "tab:red"
        if r.curve is not None and r.type in ("value", "loglog_slope", "monotone"):
            xname, _xunit, x, y = r.curve
            ax.plot(x, y, "o-", color="tab:blue", label="predicted")
            if r.type == "loglog_slope":
                ax.set_xscale("log")
                if np.all(y > 0):
                    ax.set_yscale("log")
                rng = r.where.get("between")
                if rng and r.measured_SI is not None and r.predicted_SI is not None:
                    sel = (x >= rng[0]) & (x <= rng[1]) & (y > 0)
                    if sel.sum() >= 2:
                        x0 = math.exp(np.mean(np.log(x[sel])))
                        y0 = math.exp(np.mean(np.log(y[sel])))
                        xs = np.geomspace(rng[0], rng[1], 20)
                        lo, hi = _slope_band(r)
                        ax.fill_between(xs, y0 * (xs / x0) ** lo, y0 * (xs / x0) ** hi,
                                        color="0.8", label="measured slope band")
                        ax.plot(xs, y0 * (xs / x0) ** r.measured_SI, "k--",
                                label=f"measured slope {r.measured_SI:.2g}")
            for px, m, lo, hi in r.points:
                if m is not None and math.isfinite(m):
                    ax.errorbar([px], [m], yerr=[[m - lo], [hi - m]] if math.isfinite(lo)
                                else None, fmt="s", color="k", capsize=4, label="measured")
                elif math.isfinite(lo) or math.isfinite(hi):
                    ax.axhspan(lo if math.isfinite(lo) else ax.get_ylim()[0],
                               hi if math.isfinite(hi) else ax.get_ylim()[1], color="0.85",
                               label="measured range")
            ax.set_xlabel(xname)
            if r.type == "value" and len(x) > 1 and np.all(x > 0) and x.max() / x.min() > 20:
                ax.set_xscale("log")
        else:
            lo, hi = _bar_band(r)
            ax.bar([0], [r.predicted_SI], color="tab:blue", width=0.5, label="predicted")
            if r.measured_SI is not None:
                ax.bar([1], [r.measured_SI], color="0.6", width=0.5, label="measured")
            if math.isfinite(lo) or math.isfinite(hi):
                ax.errorbar([1], [r.measured_SI if r.measured_SI is not None
                                  else 0.5 * (lo + hi)],
                            yerr=None if not (math.isfinite(lo) and math.isfinite(hi)) else
                            [[(r.measured_SI or 0.5 * (lo + hi)) - lo],
                             [hi - (r.measured_SI or 0.5 * (lo + hi))]],
                            fmt="none", color="k", capsize=6)
                for v in (lo, hi):
                    if math.isfinite(v):
                        ax.axhline(v, color="k", lw=0.8, ls=":")
            ax.set_xticks([0, 1], ["predicted", "measured"])
        ax.set_ylabel(_label(r.output.split("/")[-1], r.unit), fontsize=8)
        title = r.output.split("/")[-1] + ("" if r.type == "value" else f" ({r.type})")
        ax.set_title(title, fontsize=8, color=colour)
        ax.legend(fontsize=6)
    fig.suptitle(record.dataset.name, fontsize=9)
    fig.tight_layout()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record.dataset.name}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _slope_band(r) -> tuple[float, float]:
    m = r.measured_SI
    if "abs" in r.band:
        return m - r.band["abs"], m + r.band["abs"]
    if "rel" in r.band:
        return m - abs(m) * r.band["rel"], m + abs(m) * r.band["rel"]
    return r.band.get("min", m), r.band.get("max", m)


def _bar_band(r) -> tuple[float, float]:
    from interface.validation.evaluate import band_limits

    return band_limits(r.band, r.measured_SI)
