"""Li stripping at the rough interface: recession rate and creep refill.

Stripping removes Li at the contact spots.  The mean recession velocity of the
Li surface for a current density i is (Faraday)::

    v = i M_Li / (F rho_Li)          (4.850 um per mAh/cm^2, 1.347 nm/s per mA/cm^2)

Locally the current flows only through the contact spots (fraction phi), so the
contact spots recede at v / phi (explicit in the contact set over a time step).
Creep of Li under the stack pressure pushes Li back into the interface; contact
is lost when the removal outruns the refill.  The critical current density
i_c(P) is the largest current for which the contact fraction stays above a
fraction (``keep``) of its value at the start of stripping during the stripping
of a given Li thickness (bisection in log i).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from interface.errors import SolverError
from interface.materials.library import li_plating_thickness_per_charge

#: A/m^2 per mA/cm^2.
MA_PER_CM2 = 10.0


def stripping_velocity(current_density: float) -> float:
    """Mean recession velocity v = i M_Li/(F rho_Li) [m/s] of Li for i [A/m^2]."""
    return float(current_density) * li_plating_thickness_per_charge()


@dataclass
class StrippingRun:
    """One stripping step at constant pressure and current.

    Attributes:
        pressure: stack pressure [Pa]; current_density: [A/m^2].
        phi0: contact fraction at the start of stripping; gap0: mean gap then [m].
        time, phi, gap, stripped: histories during stripping [s, 1, m, m].
        min_ratio: min(phi)/phi0 over the step (0 if contact was lost).
        refill_velocity: creep closure rate of the mean gap before stripping [m/s].
        removal_velocity: v(i) [m/s].
        contact_lost: contact vanished or the solver could not continue.
        solver_failed: the step sequence stopped on repeated non-convergence (counted
            as contact not kept: the failures occur as spots detach faster than creep
            refills them; docs/theory/lithium.md discusses this limitation).
    """

    pressure: float
    current_density: float
    phi0: float
    gap0: float
    time: list
    phi: list
    gap: list
    stripped: list
    min_ratio: float
    refill_velocity: float
    removal_velocity: float
    contact_lost: bool
    solver_failed: bool = False


def strip(make_model, pressure: float, current_density: float, thickness: float,
          pre_hold: float, max_fail: int = 8, first_step: float = 1e-6) -> StrippingRun:
    """Press at ``pressure`` for ``pre_hold`` [s], then strip ``thickness`` [m] of Li.

    Args:
        make_model: callable () -> a fresh LiContactModel (collective).
        pressure: stack pressure [Pa].
        current_density: stripping current density [A/m^2].
        thickness: Li thickness stripped [m] (duration thickness / v).
        pre_hold: hold time at pressure before stripping [s].
        max_fail: step failures tolerated during stripping before giving up.
        first_step: first time step of the pre-hold [s].
    """
    m = make_model()
    m.press(pressure, pre_hold, dt0=first_step)
    phi0, gap0 = m.contact_fraction(), m.mean_gap()
    t = np.array(m.history.t)
    g = np.array(m.history.gap)
    k = max(len(t) - 4, 0)
    v_refill = -(g[-1] - g[k]) / (t[-1] - t[k]) if t[-1] > t[k] else 0.0
    v = stripping_velocity(current_density)
    t_strip = thickness / v
    n0 = len(m.history.t)
    t0 = m.history.t[-1]
    lost = failed = False
    try:
        m.hold(t_strip, dt0=min(1.0, t_strip / 50), dt_max=t_strip / 20,
               stripping_current=current_density, max_fail=max_fail)
    except SolverError as exc:
        lost = True
        failed = "no contact left" not in str(exc)
    ph = np.array(m.history.frac[n0:])
    ratio = 0.0 if (lost or ph.size == 0 or phi0 <= 0) else float(ph.min() / phi0)
    run = StrippingRun(pressure, current_density, phi0, gap0,
                       [x - t0 for x in m.history.t[n0:]], list(ph), list(m.history.gap[n0:]),
                       list(m.history.stripped[n0:]), ratio, float(v_refill), v, lost, failed)
    m.destroy()
    return run


def critical_current(make_model, pressure: float, thickness: float, pre_hold: float,
                     lo: float = 1.0, hi: float = 1000.0, bisections: int = 4,
                     keep: float = 0.5, max_fail: int = 8, first_step: float = 1e-6):
    """Critical stripping current density i_c(P) [A/m^2] by bisection in log i.

    i_c is bracketed in [lo, hi] (A/m^2): at i < i_c the contact fraction stays
    >= keep * phi0 while ``thickness`` is stripped.  Returns (i_c, (lo, hi), runs);
    i_c is the geometric mean of the final bracket (the bracket is the honest
    uncertainty); ``max_fail``, ``first_step`` as in :func:`strip`.  If no run keeps contact, i_c is
    below the bracket: returns (lo, (0, lo)); if every run keeps it, i_c is above:
    returns (hi, (hi, hi)) (the bracket's lower end is the information).
    """
    runs = []
    lo0, hi0 = lo, hi
    for _ in range(bisections):
        mid = float(np.sqrt(lo * hi))
        r = strip(make_model, pressure, mid, thickness, pre_hold, max_fail, first_step)
        runs.append(r)
        if r.min_ratio >= keep:
            lo = mid
        else:
            hi = mid
    if lo == lo0:  # no run kept contact: i_c is below the bracket
        return float(lo0), (0.0, float(lo)), runs
    if hi == hi0:  # every run kept contact: i_c is above the bracket
        return float(hi0), (float(hi), float(hi)), runs
    return float(np.sqrt(lo * hi)), (float(lo), float(hi)), runs
