"""Every choice of the trade-off's schema runs or is refused with exit 2; never NaN.

The options are read from the schema itself (every ``choice`` and ``boolean`` field of the
sections the trade-off owns, plus the stack and electrochemistry choices it reaches), so a
new option is tested the day it is added.
"""

import dataclasses
import math

import numpy as np
import pytest

from interface import load_case, run
from interface.case.tradeoff import (
    CellSpec,
    PackSpec,
    PressingSpec,
    TradeoffSpec,
    WindowSpec,
)
from interface.errors import InputError
from interface.system.fixture import FixtureHardwareSpec
from tests.conftest import CASES

CASE = CASES / "tradeoff_nmc811_lpscl_li.toml"
#: the smallest trade-off that still sizes every architecture and runs the electrochemistry
TINY = {"tradeoff.pressure_points": 3, "tradeoff.smoke_pressure_points": 3,
        "tradeoff.pressure_min": "0.02 MPa", "tradeoff.pressure_max": "2 MPa",
        "tradeoff.cycles": 0, "tradeoff.area_factors": [], "tradeoff.cells_per_module": [],
        "tradeoff.c_rates": [], "tradeoff.interface_improvements": [2.0],
        "tradeoff.pressure_free_target": "1 MPa", "tradeoff.reference_pressure": "1 MPa"}

SECTIONS = {"system.cell": CellSpec, "system.fixture": FixtureHardwareSpec,
            "system.pack": PackSpec, "system.pressing": PressingSpec, "tradeoff": TradeoffSpec,
            "tradeoff.window": WindowSpec}
EXTRA = [("stack.metal_interface", "slip"), ("electrochem.model", "SPMe")]


def _current(case, key):
    obj = case
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _options():
    """Every choice / boolean value that differs from the case's own (that one is the
    baseline of tests/system/test_tradeoff.py)."""
    base = load_case(CASE, overrides=TINY, smoke=True)
    out = []
    for path, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            meta = f.metadata.get("spec")
            if meta is None:
                continue
            if meta["kind"] == "choice":
                out += [(f"{path}.{f.name}", c) for c in meta["choices"]]
            elif meta["kind"] == "boolean":
                out += [(f"{path}.{f.name}", v) for v in (True, False)]
    return [(k, v) for k, v in out + EXTRA if _current(base, k) != v]


def _option_ids():
    return [f"{k}={v}" for k, v in _options()]


@pytest.mark.slow
@pytest.mark.parametrize("key, value", _options(), ids=_option_ids())
def test_option_runs_or_exits_2(key, value):
    from interface.backend import MPI

    try:
        case = load_case(CASE, overrides={**TINY, key: value}, smoke=True)
    except InputError as exc:  # exit 2: one line naming the key
        assert exc.key, str(exc)
        assert "\n" not in str(exc)
        return
    res = run(case, MPI.COMM_SELF)
    assert res.ok, res.message
    for name, table in res.tables.items():
        for col, arr in table.columns.items():
            a = np.asarray(arr)
            if a.dtype.kind == "f":
                assert np.all(np.isfinite(a)), f"{key}={value}: {name}/{col}"

    def finite(v, where):
        if isinstance(v, float):
            assert math.isfinite(v), where
        elif isinstance(v, dict):
            for k, x in v.items():
                finite(x, f"{where}.{k}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                finite(x, f"{where}[{i}]")

    finite(res.summary, "summary")
    assert "optimum" in res.summary or "no architecture" in res.summary["verdict"]
