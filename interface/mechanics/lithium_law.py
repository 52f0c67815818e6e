"""The fast Li | electrolyte contact law f_Li(P, t, T, roughness), fitted to FE results.

Form (docs/theory/lithium.md)::

    f_Li = 1 - exp(-x),   x = c (P / 1 MPa)^a (a_T t / 1 h)^b (R_q / R_q,ref)^(-m)
    a_T = exp(-Q/R (1/T - 1/T_ref))

a_T t is the creep-equivalent time: elasticity and plasticity are rate
independent, so with power-law creep A(T) = A_ref a_T the FE solution depends on
A and t only through A t (time-temperature superposition, exact for this
constitutive law up to the Perzyna regularisation).  The power law in a_T t
follows from the indentation-creep scaling of a contact spot: with
df/dt ~ A (P/f)^n, f ~ (A t)^(1/(n+1)) P^(n/(n+1)).  1 - exp(-x) caps f at 1.

The coefficients (c, a, b, m) are fitted by least squares on the contact
fraction; the error is reported on the fit data and on FE points left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from interface.errors import InputError, SolverError
from interface.mechanics.contact_laws import FittedLithiumLaw

#: Columns of a fit record array: P [Pa], t [s], T [K], R_q [m], f.
COLUMNS = ("stack_pressure_Pa", "hold_time_s", "temperature_K", "rms_roughness_m",
           "contact_fraction")


@dataclass
class FitReport:
    """A fitted law and its errors (absolute contact fraction).

    Attributes:
        law: the fitted law.
        rms_error_fit, max_error_fit: on the points the law was fitted to.
        rms_error_heldout, max_error_heldout: on held-out points (nan if none).
        n_fit, n_heldout: numbers of points.
    """

    law: FittedLithiumLaw
    rms_error_fit: float
    max_error_fit: float
    rms_error_heldout: float
    max_error_heldout: float
    n_fit: int
    n_heldout: int


def read_sweep_csv(path) -> dict[str, np.ndarray]:
    """The FE sweep table (docs/studies/lithium_sweep_2d.csv): set -> records (N x 5)."""
    import csv

    out: dict[str, list] = {}
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in fh if not r.startswith("#")]
    for r in csv.DictReader(rows):
        out.setdefault(r["set"], []).append([float(r[c]) for c in COLUMNS])
    return {k: np.asarray(v) for k, v in out.items()}


def _errors(law: FittedLithiumLaw, data: np.ndarray) -> tuple[float, float]:
    if data is None or len(data) == 0:
        return float("nan"), float("nan")
    f = law.evaluate(data[:, 0], data[:, 1], data[:, 2], data[:, 3])
    e = f - data[:, 4]
    return float(np.sqrt(np.mean(e**2))), float(np.max(np.abs(e)))


def fit_law(data: np.ndarray, heldout: np.ndarray | None = None, *,
            activation_energy: float, reference_temperature: float = 298.15,
            roughness: float | None = None, roughness_exponent: float | None = None,
            rms_reference: float = 0.25e-6, source: str = "fit") -> FitReport:
    """Least-squares fit of (c, a, b[, m]) to FE records.

    Args:
        data: records (N x 5, :data:`COLUMNS`) to fit.
        heldout: records left out of the fit (error report only).
        activation_energy: Q [J/mol] of the creep law used by the FE runs.
        reference_temperature: T_ref [K] of a_T.
        roughness: R_q [m] the law is evaluated at by default (default: data's first).
        roughness_exponent: fix m (a single roughness in the data cannot identify it).
        rms_reference: R_q,ref [m].
        source: provenance text.

    Returns:
        FitReport with the law (validity range = the data's range) and its errors.
    """
    from scipy.optimize import least_squares

    data = np.asarray(data, float)
    p, t, temp, rq, f = data.T
    a_t = np.exp(-activation_energy / 8.314462618 * (1.0 / temp - 1.0 / reference_temperature))
    fixed_m = roughness_exponent is not None

    def model(c):
        m = roughness_exponent if fixed_m else c[3]
        x = (np.exp(c[0]) * (p / 1e6) ** c[1] * (a_t * t / 3600.0) ** c[2]
             * (rq / rms_reference) ** (-m))
        return 1.0 - np.exp(-x)

    c0 = [0.0, 1.0, 0.2] + ([] if fixed_m else [0.5])
    sol = least_squares(lambda c: model(c) - f, c0)
    c = sol.x
    try:
        law = FittedLithiumLaw(
            coefficient=float(np.exp(c[0])), pressure_exponent=float(c[1]),
            time_exponent=float(c[2]),
            roughness_exponent=float(roughness_exponent if fixed_m else c[3]),
            rms_reference=rms_reference, activation_energy=activation_energy,
            reference_temperature=reference_temperature,
            roughness=float(rq[0] if roughness is None else roughness),
            pressure_range=(float(p.min()), float(p.max())),
            time_range=(float(t.min()), float(t.max())),
            temperature_range=(float(temp.min()), float(temp.max())),
            roughness_range=(float(rq.min()), float(rq.max())), source=source)
    except InputError as exc:  # the data determine no valid law: a numerical failure
        raise SolverError(f"the fast law cannot be fitted to contact fractions "
                          f"{f.min():.4g}..{f.max():.4g}: {exc.message}") from None
    ef = _errors(law, data)
    eh = _errors(law, heldout)
    return FitReport(law, ef[0], ef[1], eh[0], eh[1], len(data),
                     0 if heldout is None else len(heldout))
