"""The critical-current search: bracket, censoring, solver failures (no FE: fake runs)."""

import numpy as np
import pytest

from interface.mechanics import stripping as S
from interface.models.lithium import _ic_text, stripping_tables


class FakePre:
    """Stands in for PreHeld: the pre-held state of one pressure."""

    def __init__(self, make_model, pressure, pre_hold, first_step=1e-6):
        self.pressure, self.phi0, self.gap0 = pressure, 0.4, 1e-7
        self.refill_velocity = 5e-11
        self.destroyed = False

    def destroy(self):
        self.destroyed = True


def fake_runs(monkeypatch, outcome_of):
    """Replace the FE by ``outcome_of(i)`` -> "kept" | "lost" | "solver_failed"."""
    calls = []

    def strip_from(pre, i, thickness, keep=0.5, max_fail=8, step_recession=None):
        calls.append(i)
        out = outcome_of(i)
        ratio = {"kept": 0.9, "lost": 0.3, "solver_failed": 0.0}[out]
        return S.StrippingRun(pre.pressure, i, pre.phi0, pre.gap0, [0.0, 1.0], [0.4, 0.4],
                              [1e-7, 1e-7], [0.0, 1e-7], [0.4 * ratio], ratio, ratio,
                              pre.refill_velocity, S.stripping_velocity(i), out)

    monkeypatch.setattr(S, "PreHeld", FakePre)
    monkeypatch.setattr(S, "strip_from", strip_from)
    return calls


def search(**kw):
    args = dict(lo=0.1, hi=1000.0, bisections=6)
    args.update(kw)
    return S.critical_current(None, 1e6, 0.5e-6, 600.0, **args)


def test_bracket_contains_the_threshold(monkeypatch):
    calls = fake_runs(monkeypatch, lambda i: "kept" if i < 3.0 else "lost")
    cc = search()
    assert cc.status == "bracketed"
    assert cc.lower < 3.0 < cc.upper
    assert cc.upper / cc.lower == pytest.approx(1e4 ** (1 / 64))  # 4 decades, 6 bisections
    assert cc.value == pytest.approx(np.sqrt(cc.lower * cc.upper))
    assert calls[:2] == [1000.0, 0.1] and len(calls) == 8


def test_contact_kept_at_the_top_is_censored_above(monkeypatch):
    calls = fake_runs(monkeypatch, lambda i: "kept")
    cc = search()
    assert (cc.status, cc.lower, calls) == ("above_range", 1000.0, [1000.0])
    tab = stripping_tables([cc])["stripping"]
    assert list(tab["above_current_range"]) == [1] and list(tab["solver_failed"]) == [0]
    assert ">" in _ic_text(cc)


def test_contact_lost_at_the_bottom_is_censored_below(monkeypatch):
    fake_runs(monkeypatch, lambda i: "lost")
    cc = search()
    assert (cc.status, cc.lower, cc.upper) == ("below_range", 0.0, 0.1)
    assert list(stripping_tables([cc])["stripping"]["below_current_range"]) == [1]


def test_a_solver_failure_is_not_a_critical_current(monkeypatch):
    # kept below 3, the FE fails between 3 and 300, lost above 300: the search must stop at
    # the first failure with the bracket established by physical outcomes only
    fake_runs(monkeypatch, lambda i: "kept" if i < 3 else ("solver_failed" if i < 300
                                                            else "lost"))
    cc = search()
    assert cc.status == "solver_failed"
    assert cc.lower < 3.0 and cc.upper >= 300.0
    tab = stripping_tables([cc])
    row = tab["stripping"]
    assert list(row["critical_current_status"]) == ["solver_failed"]
    assert list(row["solver_failed"]) == [1]
    assert row["critical_current_density_A_per_m2"][0] == cc.lower  # a lower bound only
    runs = tab["stripping_runs"]
    assert list(runs["contact_lost"]) == [int(o == "lost") for o in runs["outcome"]]
    assert "not a critical current" in _ic_text(cc)
    # a failure at the first run leaves nothing known
    fake_runs(monkeypatch, lambda i: "solver_failed")
    cc = search()
    assert (cc.status, cc.lower) == ("solver_failed", 0.0)


def test_refill_current_is_faraday_inverse():
    # 4.85 um per mAh/cm^2: removal at 1 mA/cm^2 is 1.347 nm/s
    v = S.stripping_velocity(S.MA_PER_CM2)
    assert v == pytest.approx(1.347e-9, rel=1e-3)
    assert S.refill_current_density(v) == pytest.approx(S.MA_PER_CM2)
