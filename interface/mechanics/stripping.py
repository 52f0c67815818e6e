"""Li stripping at the rough interface: recession rate, creep refill, critical current.

Stripping removes Li at the contact spots.  The mean recession velocity of the
Li surface for a current density i is (Faraday)::

    v = i M_Li / (F rho_Li)          (4.850 um per mAh/cm^2, 1.347 nm/s per mA/cm^2)

Locally the current flows only through the contact spots (fraction phi, uniformly
over them), so the contact-face nodes in contact recede at v / phi (explicit in the
contact set over a time step).  Creep of Li under the stack pressure pushes Li into
the interface.  A stripping run is classified as

* ``kept``: the contact fraction, averaged over each tenth of the stripped thickness
  (the contact set of a discrete mesh flickers by a few nodes from step to step),
  stays >= ``keep`` x its value at the start of stripping;
* ``lost``: a window average falls below that (physics; the run stops there);
* ``solver_failed``: the step sequence could not continue (numerics, not physics:
  never counted as a loss of contact).

The critical current density i_c(P) is bracketed by bisection in log i between the
largest current that kept contact and the smallest that lost it; a censored result
(contact kept at ``current_max``, lost at ``current_min``) or a bracket cut short by
a solver failure is reported as such (:class:`CriticalCurrent`), never as a number
that is not a measured critical current.

Numerics of a stripping step (docs/theory/lithium.md, "Stripping"):

* the local recession per step is limited to ``step_recession`` (default 0.1 x rms
  slope x contact-node spacing: about a tenth of the height difference between
  neighbouring nodes, so the contact set changes by at most ~one node per spot edge
  per step);
* predictor: the body translated with the receding spots (otherwise every contact
  opens at once and the pressure-controlled system is singular);
* a failed step is retried first with a modified Newton tangent (5 % elastic
  stiffness blended in: at short steps the spots are near rate-independent yield and
  the consistent tangent is near-singular), then with the step cut by 0.35; the run is
  ``solver_failed`` only after ``max_fail`` consecutive failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from interface.backend import MPI
from interface.errors import SolverError
from interface.materials.library import li_plating_thickness_per_charge

#: A/m^2 per mA/cm^2.
MA_PER_CM2 = 10.0
#: Windows (equal stripped thickness) over which the contact fraction is averaged.
WINDOWS = 10
#: Elastic-stiffness fraction of the modified Newton tangent of a retried step.
RETRY_TANGENT_BLEND = 0.05
#: Local recession per step as a fraction of (rms slope x contact-node spacing).
STEP_RECESSION_FRACTION = 0.1


def stripping_velocity(current_density: float) -> float:
    """Mean recession velocity v = i M_Li/(F rho_Li) [m/s] of Li for i [A/m^2]."""
    return float(current_density) * li_plating_thickness_per_charge()


def refill_current_density(refill_velocity: float) -> float:
    """Current density [A/m^2] whose mean removal velocity equals ``refill_velocity`` [m/s]."""
    return float(refill_velocity) / li_plating_thickness_per_charge()


def default_step_recession(model) -> float:
    """0.1 x rms slope x contact-node spacing [m] of a LiContactModel (see module doc)."""
    X = np.concatenate(model.comm.allgather(model.cX[:, 0]))
    h = np.concatenate(model.comm.allgather(model.g))
    order = np.argsort(X, kind="stable")
    xs, hs = X[order], h[order]
    keep = np.concatenate([[True], np.diff(xs) > 1e-9 * model.L])
    xs, hs = xs[keep], hs[keep]
    dx = np.diff(xs)
    slope = np.sqrt(np.mean((np.diff(hs) / dx) ** 2)) if dx.size else 0.0
    spacing = float(np.mean(dx)) if dx.size else model.L
    rng = float(hs.max() - hs.min()) if hs.size else 0.0
    ds = STEP_RECESSION_FRACTION * slope * spacing
    return ds if ds > 0 else max(1e-3 * rng, 1e-3 * spacing)


def spot_width(model) -> float:
    """Mean width [m] of the contact spots of a LiContactModel in its current state.

    2D: contact length per contiguous run of contact nodes along x; 3D: sqrt(contact area
    per 4-connected cluster of contact nodes on the nodal lattice).  0 without contact.
    """
    d = model.dim
    X = np.concatenate(model.comm.allgather(model.cX))
    on = np.concatenate(model.comm.allgather(model.contact_mask()))
    phi = model.contact_fraction()
    if not on.any():
        return 0.0
    idx = []
    for ax in range(d - 1):
        key = np.round(X[:, ax] / (1e-7 * model.L)).astype(np.int64)
        idx.append(np.unique(key, return_inverse=True)[1])
    if d == 2:
        grid = np.zeros(idx[0].max() + 1, dtype=bool)
        grid[idx[0]] = on
        n = int(np.sum(grid[1:] & ~grid[:-1]) + grid[0])
        return phi * model.L / n
    from scipy import ndimage

    grid = np.zeros((idx[0].max() + 1, idx[1].max() + 1), dtype=bool)
    grid[idx[0], idx[1]] = on
    n = int(ndimage.label(grid)[1])
    return model.L * np.sqrt(phi / n)


@dataclass
class StrippingRun:
    """One stripping step at constant pressure and current.

    Attributes:
        pressure: stack pressure [Pa]; current_density: [A/m^2].
        phi0: contact fraction at the start of stripping; gap0: mean gap then [m].
        time, phi, gap, stripped: histories during stripping [s, 1, m, m].
        window_phi: contact fraction averaged over each completed window (tenth of
            the stripped thickness).
        min_ratio: min(window_phi)/phi0 (the loss criterion; 0 if no window completed).
        end_ratio: contact fraction at the end of the run / phi0.
        refill_velocity: creep closure rate of the mean gap at the end of the pre-hold [m/s].
        removal_velocity: v(i) [m/s].
        outcome: "kept", "lost" or "solver_failed".
        steps, failures: accepted steps, rejected step attempts.
    """

    pressure: float
    current_density: float
    phi0: float
    gap0: float
    time: list
    phi: list
    gap: list
    stripped: list
    window_phi: list
    min_ratio: float
    end_ratio: float
    refill_velocity: float
    removal_velocity: float
    outcome: str
    steps: int = 0
    failures: int = 0
    message: str = ""

    @property
    def contact_lost(self) -> bool:
        """Contact fell below keep x phi0 (physics)."""
        return self.outcome == "lost"

    @property
    def solver_failed(self) -> bool:
        """The run stopped on repeated non-convergence (numerics)."""
        return self.outcome == "solver_failed"


class PreHeld:
    """A model pressed at P for the pre-hold, and its state to restart each stripping run from.

    Every current of a bisection starts from the same pre-held state (saved once),
    so the pre-hold is computed once per pressure.
    """

    def __init__(self, make_model, pressure: float, pre_hold: float, first_step: float = 1e-6):
        self.model = m = make_model()
        self.pressure = float(pressure)
        try:
            m.press(pressure, pre_hold, dt0=first_step)
        except SolverError:
            m.destroy()
            raise
        self.phi0, self.gap0 = m.contact_fraction(), m.mean_gap()
        t = np.array(m.history.t)
        g = np.array(m.history.gap)
        k = max(len(t) - 4, 0)
        v = float(-(g[-1] - g[k]) / (t[-1] - t[k])) if t[-1] > t[k] else 0.0
        self.refill_velocity = v + 0.0  # full contact: 0, not -0
        # creep estimate of the refill: a spot of width w under the mean spot stress P/phi0
        # creeps at eps_dot = A (P/phi0)^n; its surface can follow a recession at ~eps_dot w
        self.spot_width = spot_width(m)
        self.spot_creep_velocity = (m.mat.A * (pressure / self.phi0) ** m.mat.n * self.spot_width
                                    if self.phi0 > 0 else 0.0)
        self._state = (m.u.x.array.copy(), m.u_old.x.array.copy(), m.eps_in.copy(),
                       m.kappa.copy(), m.s.copy(), float(m.time))

    def restore(self):
        """Put the model back into the pre-held state; returns it."""
        m = self.model
        u, u_old, eps_in, kappa, s, t = self._state
        m.u.x.array[:] = u
        m.u_old.x.array[:] = u_old
        m.eps_in, m.kappa, m.s, m.time = eps_in.copy(), kappa.copy(), s.copy(), t
        m.eps_in_new, m.kappa_new = eps_in.copy(), kappa.copy()
        m.tangent_blend = 0.0
        m.p.value = self.pressure
        return m

    def destroy(self):
        """Free the model (collective)."""
        self.model.destroy()


def _strip_steps(m, pressure, current_density, thickness, phi0, keep, max_fail, step_recession,
                 grow=1.5, fast_its=12):
    """Strip ``thickness`` at ``current_density`` from the model's state; returns the record."""
    v = stripping_velocity(current_density)
    t_strip = thickness / v
    t_window = t_strip / WINDOWS
    ds = default_step_recession(m) if step_recession is None else float(step_recession)
    rec = dict(t=[0.0], phi=[phi0], gap=[m.mean_gap()], stripped=[0.0], windows=[])
    t, dt = 0.0, min(t_strip / 50, ds * max(phi0, 1e-3) / v)
    w_int, w_end = 0.0, t_window
    consec = steps = fails = 0
    outcome, msg = "kept", ""
    phi_old = phi0
    while t < t_strip * (1 - 1e-12):
        mask = m.contact_mask()
        phi = m.contact_fraction()
        if phi <= 0:  # the pressure would be carried by the k_reg regularisation alone
            outcome, msg = "solver_failed", "no contact node left (not an equilibrium state)"
            break
        dt = min(dt, ds * phi / v, t_strip - t, w_end - t if w_end > t * (1 + 1e-12) else dt)
        s_backup = m.s.copy()
        m.s = m.s + np.where(mask, v / phi * dt, 0.0)
        # predictor: translate the body with the receding spots
        arr = m.u.x.array.reshape(-1, m.dim)
        arr[:, m.dim - 1] -= v / phi * dt
        info = m.solve_step(dt, pressure)
        if not info.converged:
            m.rollback()
            m.s = s_backup
            fails += 1
            consec += 1
            if consec > max_fail or dt < 1e-9 * t_strip:
                outcome = "solver_failed"
                msg = (f"{consec} consecutive step failures at t = {t:.4g} s of {t_strip:.4g} s "
                       f"(dt = {dt:.3g} s, SNES reason {info.reason})")
                break
            if m.tangent_blend == 0.0:
                m.tangent_blend = RETRY_TANGENT_BLEND
            else:
                dt *= 0.35
            continue
        m.commit(dt)
        m.tangent_blend = 0.0
        consec = 0
        steps += 1
        t += dt
        phi_new = m.contact_fraction()
        w_int += 0.5 * (phi_old + phi_new) * dt
        phi_old = phi_new
        rec["t"].append(t)
        rec["phi"].append(phi_new)
        rec["gap"].append(m.mean_gap())
        rec["stripped"].append(m.comm.allreduce(float(np.sum(m.w * m.s)), op=MPI.SUM))
        if t >= w_end * (1 - 1e-9):
            rec["windows"].append(w_int / t_window)
            w_int, w_end = 0.0, w_end + t_window
            if rec["windows"][-1] < keep * phi0:
                outcome = "lost"
                break
        if info.its <= fast_its:
            dt *= grow
    return rec, outcome, msg, steps, fails


def strip_from(pre: PreHeld, current_density: float, thickness: float, keep: float = 0.5,
               max_fail: int = 8, step_recession: float | None = None) -> StrippingRun:
    """Strip ``thickness`` [m] at ``current_density`` [A/m^2] from the pre-held state.

    ``keep``: contact is lost when a window average of the contact fraction falls below
    keep x phi0; ``max_fail``: consecutive step failures before ``solver_failed``;
    ``step_recession``: maximum local recession per step [m] (default
    :func:`default_step_recession`).
    """
    m = pre.restore()
    rec, outcome, msg, steps, fails = _strip_steps(
        m, pre.pressure, current_density, thickness, pre.phi0, keep, max_fail, step_recession)
    wins = rec["windows"]
    ratio = float(min(wins) / pre.phi0) if (wins and pre.phi0 > 0) else 0.0
    end = float(rec["phi"][-1] / pre.phi0) if pre.phi0 > 0 else 0.0
    return StrippingRun(pre.pressure, float(current_density), pre.phi0, pre.gap0, rec["t"],
                        rec["phi"], rec["gap"], rec["stripped"], list(wins), ratio, end,
                        pre.refill_velocity, stripping_velocity(current_density), outcome,
                        steps, fails, msg)


def strip(make_model, pressure: float, current_density: float, thickness: float,
          pre_hold: float, keep: float = 0.5, max_fail: int = 8, first_step: float = 1e-6,
          step_recession: float | None = None) -> StrippingRun:
    """Press at ``pressure`` for ``pre_hold`` [s], then strip ``thickness`` [m] of Li.

    ``make_model``: callable () -> a fresh LiContactModel (collective); the other
    arguments as in :func:`strip_from` and :class:`PreHeld`.
    """
    pre = PreHeld(make_model, pressure, pre_hold, first_step)
    try:
        return strip_from(pre, current_density, thickness, keep, max_fail, step_recession)
    finally:
        pre.destroy()


@dataclass
class CriticalCurrent:
    """The critical stripping current density at one pressure.

    Attributes:
        pressure: [Pa].
        status: "bracketed" (lower < i_c < upper), "above_range" (contact kept at
            current_max: i_c > lower = current_max), "below_range" (lost at current_min:
            i_c < upper = current_min), "solver_failed" (the search stopped on a run
            that could not be classified: i_c > lower, upper is the smallest current
            that lost contact, or current_max if none did).
        lower, upper: bounds [A/m^2] (lower 0 if no run kept contact).
        value: geometric mean of the bracket when bracketed; otherwise the bound
            that is known (lower for above_range and solver_failed, upper for
            below_range), to be read with ``status``.
        runs: the stripping runs, in the order computed.
    """

    pressure: float
    status: str
    lower: float
    upper: float
    value: float
    phi0: float
    gap0: float
    refill_velocity: float
    runs: list = field(default_factory=list)
    spot_width: float = 0.0
    spot_creep_velocity: float = 0.0

    @property
    def refill_current(self) -> float:
        """Current density whose mean removal velocity equals the creep refill velocity."""
        return refill_current_density(self.refill_velocity)

    @property
    def spot_creep_current(self) -> float:
        """Current density whose local removal velocity v/phi0 equals the spot creep velocity."""
        return refill_current_density(self.phi0 * self.spot_creep_velocity)


def critical_current(make_model, pressure: float, thickness: float, pre_hold: float,
                     lo: float = 1.0, hi: float = 1000.0, bisections: int = 4,
                     keep: float = 0.5, max_fail: int = 8, first_step: float = 1e-6,
                     step_recession: float | None = None) -> CriticalCurrent:
    """Critical stripping current density i_c(P) by bisection in log i over [lo, hi] [A/m^2].

    Runs ``hi`` first (kept: i_c is above the range, done), then ``lo`` (lost: below
    the range, done), then ``bisections`` bisections.  A solver failure stops the
    search with status "solver_failed" and the bracket established so far.
    """
    pre = PreHeld(make_model, pressure, pre_hold, first_step)
    runs = []

    def run(i):
        r = strip_from(pre, i, thickness, keep, max_fail, step_recession)
        runs.append(r)
        return r.outcome

    def result(status, lower, upper, value):
        return CriticalCurrent(float(pressure), status, float(lower), float(upper),
                               float(value), pre.phi0, pre.gap0, pre.refill_velocity, runs,
                               float(getattr(pre, "spot_width", 0.0)),
                               float(getattr(pre, "spot_creep_velocity", 0.0)))

    try:
        out = run(hi)
        if out == "kept":
            return result("above_range", hi, hi, hi)
        if out == "solver_failed":
            return result("solver_failed", 0.0, hi, 0.0)
        out = run(lo)
        if out == "lost":
            return result("below_range", 0.0, lo, lo)
        if out == "solver_failed":
            return result("solver_failed", 0.0, hi, 0.0)
        a, b = lo, hi
        for _ in range(bisections):
            mid = float(np.sqrt(a * b))
            out = run(mid)
            if out == "solver_failed":
                return result("solver_failed", a, b, a)
            a, b = (mid, b) if out == "kept" else (a, mid)
        return result("bracketed", a, b, np.sqrt(a * b))
    except SolverError as exc:  # the pre-hold itself (or a restore) failed
        raise SolverError(f"stripping at {pressure:g} Pa: {exc}") from None
    finally:
        pre.destroy()
