"""Figures of the cathode-interface (RVE) model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from interface.results.result import Result


def plot_contact_map(result: Result, folder: Path) -> list[Path]:
    """figures/rve_contact_map.png: contact / isolated fraction and mean gap vs stoichiometry.

    One curve per stack pressure; the stoichiometry axis is reversed so that
    charge (delithiation, particle shrinkage) runs to the right, like SOC.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.tables["contact_map"]
    if len(t) == 0:
        return []
    p, x = t["stack_pressure_Pa"], t["stoichiometry"]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4), constrained_layout=True)
    for pv in np.unique(p):
        sel = p == pv
        order = np.argsort(x[sel])
        label = f"{pv / 1e6:.4g} MPa"
        axes[0].plot(x[sel][order], t["contact_fraction"][sel][order], "-o", ms=3, label=label)
        axes[1].plot(x[sel][order], t["isolated_fraction"][sel][order], "-o", ms=3, label=label)
        axes[2].plot(x[sel][order], t["mean_gap_m"][sel][order] * 1e9, "-o", ms=3, label=label)
    sp = result.tables.get("stack_path")
    if sp is not None and len(sp):
        label = (f"stack path ({sp['stack_pressure_Pa'].min() / 1e6:.3g}-"
                 f"{sp['stack_pressure_Pa'].max() / 1e6:.3g} MPa)")
        for ax, col, f in ((axes[0], "contact_fraction", 1.0), (axes[1], "isolated_fraction", 1.0),
                           (axes[2], "mean_gap_m", 1e9)):
            ax.plot(sp["stoichiometry"], sp[col] * f, "k--", marker="s", ms=3, lw=1.2,
                    label=label)
    for ax, name in zip(axes, ("contact area fraction", "isolated particle fraction",
                               "mean gap [nm]"), strict=True):
        ax.set_xlabel("active-material stoichiometry x  (charge -> )")
        ax.set_ylabel(name)
        ax.invert_xaxis()
        ax.grid(True, alpha=0.3)
    axes[0].set_ylim(-0.02, 1.02)
    axes[0].legend(title="stack pressure", fontsize=7)
    fig.suptitle("particle | electrolyte contact vs state of charge")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rve_contact_map.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [path]


def plot_fields(result: Result, folder: Path) -> list[Path]:
    """figures/rve_fields.png (2D only): interface gaps and electrolyte von Mises stress."""
    if "field_snapshot" not in result.tables:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    fs, cells = result.tables["field_snapshot"], result.tables["field_snapshot_cells"]
    seg = fs["interface_segment_m"].reshape(-1, 2, 2) * 1e6
    gap = fs["interface_vertex_gap_m"].mean(axis=1) * 1e9
    cen = cells["centroid_m"] * 1e6
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.2), constrained_layout=True)
    import matplotlib.tri as mtri

    vm = cells["von_mises_stress_Pa"] / 1e6
    tri = mtri.Triangulation(cen[:, 0], cen[:, 1])
    holes = [result.tables[k] for k in ("particles", "pores") if k in result.tables]
    if holes:  # hide the triangles that fall inside particles and pores
        pc = np.vstack([np.column_stack([t["centre_x_m"], t["centre_y_m"]]) for t in holes]) * 1e6
        pr = np.concatenate([t["radius_m"] for t in holes]) * 1e6
        mid = cen[tri.triangles].mean(axis=1)
        d = np.linalg.norm(mid[:, None, :] - pc[None, :, :], axis=2)
        tri.set_mask(np.any(d < pr[None, :], axis=1))
    sc = axes[0].tripcolor(tri, vm, shading="gouraud", cmap="viridis",
                           vmax=float(np.percentile(vm, 99.5)))
    fig.colorbar(sc, ax=axes[0], label="electrolyte von Mises stress [MPa] (99.5 % clip)")
    axes[0].add_collection(LineCollection(seg, colors="k", linewidths=0.4))
    lc = LineCollection(seg, array=np.maximum(gap, 0.0), cmap="magma_r", linewidths=2.0)
    axes[1].add_collection(lc)
    fig.colorbar(lc, ax=axes[1], label="interface gap [nm] (0: in contact)")
    for ax in axes:
        ax.set_aspect("equal")
        ax.set_xlim(cen[:, 0].min(), cen[:, 0].max())
        ax.set_ylim(cen[:, 1].min(), cen[:, 1].max())
        ax.set_xlabel("x [um]")
        ax.set_ylabel("y [um]")
    fig.suptitle(fs.description.split(":")[0])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rve_fields.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [path]
