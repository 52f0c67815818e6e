"""The pressure window of a Li-metal cell: enough pressure against voids, not so much it shorts.

* **Lower bound P_min**: the smallest stack pressure at which the critical stripping
  current of the Li interface (:func:`interface.electrochem.li_interface.LiInterface.
  critical_stripping_current`, after the hold at that pressure) reaches the design
  current density: below it voids open on stripping.
* **Upper bound P_max**: the largest stack pressure at which Li filaments need at least
  the service life to cross the separator (:func:`~interface.electrochem.li_interface.
  time_to_short`): above it Li pushed into the separator shorts the cell within its life.

Both criteria are monotone in P (more contact and larger spots raise i_c; more creep
intrusion and better contact speed the filaments), so each bound is found by bisection
in log P over ``[p_lo, p_hi]``.  A bound outside that bracket is reported as the bracket
end with its status (``below_range`` / ``above_range``); an empty window (P_min > P_max)
is reported as such, never hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from interface.electrochem.li_interface import LiMetalCell, time_to_short


@dataclass
class WindowBound:
    """One bound of the window and what set it."""

    pressure: float
    status: str
    driver: str


@dataclass
class PressureWindow:
    """(P_min, P_max) with their drivers (SI units)."""

    p_min: WindowBound
    p_max: WindowBound

    @property
    def bounds(self) -> tuple[float, float]:
        """(P_min, P_max), Pa."""
        return self.p_min.pressure, self.p_max.pressure

    @property
    def open(self) -> bool:
        """True when P_min <= P_max."""
        return self.p_min.pressure <= self.p_max.pressure


def _bisect(fun, lo: float, hi: float, increasing: bool, iterations: int = 60) -> float:
    """log-bisection for the crossing of a monotone predicate fun(P) -> bool."""
    a, b = math.log(lo), math.log(hi)
    for _ in range(iterations):
        m = 0.5 * (a + b)
        if fun(math.exp(m)) == increasing:
            b = m
        else:
            a = m
    return math.exp(0.5 * (a + b))


def pressure_window(cell: LiMetalCell, current_density: float, service_life: float,
                    temperature: float, *, hold_time: float = 3600.0,
                    half_cycle_time: float = 3600.0, p_lo: float = 1e4,
                    p_hi: float = 5e8) -> PressureWindow:
    """The stack-pressure window of a Li-metal cell.

    Args:
        cell: the Li anode side (Li, electrolyte, separator).
        current_density: design (stripping and plating) current density, A/m^2.
        service_life: required time to short, s.
        temperature: K.
        hold_time: time at pressure before operation (contact creep), s.
        half_cycle_time: duration of a plating half cycle (sets the plating duty 1/2).
        p_lo: lower end of the search bracket, Pa.
        p_hi: upper end of the search bracket, Pa.
    """
    del half_cycle_time  # the symmetric duty (1/2) does not depend on it
    li = cell.interface_at(temperature)

    def voids_ok(p: float) -> bool:
        return li.critical_stripping_current(li.contact(p, hold_time)) >= current_density

    def life_ok(p: float) -> bool:
        f = li.contact(p, hold_time).fraction
        res = time_to_short(li, cell.separator, p, current_density, li.asr(f),
                            t_max=10 * service_life)
        return res.time >= service_life

    if voids_ok(p_lo):
        low = WindowBound(p_lo, "below_range", "stripping: voids never form in the range")
    elif not voids_ok(p_hi):
        low = WindowBound(p_hi, "above_range",
                          "stripping: the critical stripping current stays below the design "
                          "current up to the top of the range")
    else:
        low = WindowBound(_bisect(voids_ok, p_lo, p_hi, True), "bracketed",
                          "stripping: critical stripping current = design current")
    if life_ok(p_hi):
        high = WindowBound(p_hi, "above_range", "short: no short within the service life up "
                                                "to the top of the range")
    elif not life_ok(p_lo):
        high = WindowBound(p_lo, "below_range", "short: shorts within the service life at "
                                                "every pressure of the range")
    else:
        high = WindowBound(_bisect(lambda p: not life_ok(p), p_lo, p_hi, True), "bracketed",
                           "short: time to short = service life")
    return PressureWindow(low, high)
