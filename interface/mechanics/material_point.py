"""A material-point driver for the viscoplastic law: creep and relaxation tests.

The same return mapping the FE models use (:func:`interface.mechanics.viscoplastic.
return_mapping`, 3D Mandel notation) is driven at one material point under mixed
control, as a laboratory test would drive a specimen:

* constant uniaxial stress (creep test): sigma_xx = s, every other stress component
  zero; the six strain components are unknown and found by Newton with the
  consistent tangent at every time step;
* constant uniaxial strain (relaxation test): eps_xx held, lateral stresses zero.

Backward Euler in time with geometrically growing steps (the transient after the
load is fast, the steady state slow).  The steady creep rate of the creep test is
the inelastic strain rate of the last step; for Norton creep below the yield
stress it equals A(T) s^n, the closed form the verification compares with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from interface.errors import SolverError
from interface.mechanics.viscoplastic import LithiumMaterial, return_mapping


@dataclass
class PointHistory:
    """The history of a material-point test (SI units).

    Attributes:
        time: s; strain: eps_xx; stress: sigma_xx (Pa); inelastic: inelastic eps_xx.
        rate: inelastic eps_xx rate over each step, 1/s (first entry: the instantaneous
            loading at t = 0, rate 0).
    """

    time: np.ndarray
    strain: np.ndarray
    stress: np.ndarray
    inelastic: np.ndarray
    rate: np.ndarray

    @property
    def steady_rate(self) -> float:
        """Inelastic strain rate over the last step, 1/s."""
        return float(self.rate[-1])


def time_grid(duration: float, steps: int, first: float | None = None) -> np.ndarray:
    """Step ends from 0 to ``duration``: geometric from ``first`` (default duration/1e6)."""
    first = duration * 1e-6 if first is None else first
    if steps < 2 or first >= duration:
        return np.linspace(0.0, duration, max(steps, 1) + 1)
    return np.concatenate([[0.0], np.geomspace(first, duration, steps)])


def _newton(residual, x0, what: str, point: dict, tol: float, maxit: int = 50):
    x = x0.copy()
    for it in range(maxit):
        r, jac = residual(x)
        if np.max(np.abs(r)) <= tol:
            return x, it
        x = x - np.linalg.solve(jac, r)
    raise SolverError(f"material-point Newton ({what}) did not converge in {maxit} iterations",
                      point=point)


def creep_test(mat: LithiumMaterial, stress: float, duration: float, steps: int = 60,
               first_step: float | None = None) -> PointHistory:
    """Constant uniaxial stress ``stress`` (Pa, tension > 0) held for ``duration`` s."""
    times = time_grid(duration, steps, first_step)
    m = 6
    eps = np.zeros((1, m))
    eps_in = np.zeros((1, m))
    kappa = np.zeros(1)
    target = np.zeros(m)
    target[0] = stress
    tol = 1e-10 * max(abs(stress), 1.0)
    out: dict[str, list] = {k: [] for k in ("strain", "stress", "inelastic", "rate")}
    for k in range(len(times)):
        # k = 0: the load is applied instantaneously (elastic-plastic, dt = 0)
        dt = times[k] - times[k - 1] if k else 0.0

        def residual(x, dt=dt, eps_in=eps_in, kappa=kappa):
            res = return_mapping(x[None, :], eps_in, kappa, dt, mat)
            return res["sigma"][0] - target, res["C"][0]

        x, _ = _newton(residual, eps[0], "creep test", {"t": times[k], "stress": stress}, tol)
        res = return_mapping(x[None, :], eps_in, kappa, dt, mat, compute_tangent=False)
        rate = (res["eps_in"][0, 0] - eps_in[0, 0]) / dt if dt > 0 else 0.0
        eps, eps_in, kappa = x[None, :], res["eps_in"], res["kappa"]
        out["strain"].append(float(eps[0, 0]))
        out["stress"].append(float(res["sigma"][0, 0]))
        out["inelastic"].append(float(eps_in[0, 0]))
        out["rate"].append(float(rate))
    arr = {k: np.asarray(v) for k, v in out.items()}
    if not all(np.all(np.isfinite(v)) for v in arr.values()):
        raise SolverError("material-point creep test produced non-finite values",
                          point={"stress": stress})
    return PointHistory(time=times, **arr)


def relaxation_test(mat: LithiumMaterial, strain: float, duration: float, steps: int = 60,
                    first_step: float | None = None) -> PointHistory:
    """Constant uniaxial strain ``strain`` (laterally free) held for ``duration`` s."""
    times = time_grid(duration, steps, first_step)
    m = 6
    eps = np.zeros((1, m))
    eps_in = np.zeros((1, m))
    kappa = np.zeros(1)
    free = np.arange(1, m)  # every component but eps_xx is unknown; their stresses vanish
    tol = 1e-10 * mat.E * max(abs(strain), 1e-12)
    out: dict[str, list] = {k: [] for k in ("strain", "stress", "inelastic", "rate")}
    for k in range(len(times)):
        dt = times[k] - times[k - 1] if k else 0.0

        def residual(y, dt=dt, eps_in=eps_in, kappa=kappa):
            x = np.concatenate([[strain], y])
            res = return_mapping(x[None, :], eps_in, kappa, dt, mat)
            return res["sigma"][0][free], res["C"][0][np.ix_(free, free)]

        y, _ = _newton(residual, eps[0, 1:], "relaxation test", {"t": times[k]}, tol)
        x = np.concatenate([[strain], y])
        res = return_mapping(x[None, :], eps_in, kappa, dt, mat, compute_tangent=False)
        rate = (res["eps_in"][0, 0] - eps_in[0, 0]) / dt if dt > 0 else 0.0
        eps, eps_in, kappa = x[None, :], res["eps_in"], res["kappa"]
        out["strain"].append(float(strain))
        out["stress"].append(float(res["sigma"][0, 0]))
        out["inelastic"].append(float(eps_in[0, 0]))
        out["rate"].append(float(rate))
    arr = {k: np.asarray(v) for k, v in out.items()}
    return PointHistory(time=times, **arr)
