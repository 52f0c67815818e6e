"""The stack model with creeping metals, compacts and unilateral plates, in time."""

import numpy as np
import pytest

from interface import load_case, run
from tests.conftest import CASES, write_case

LI = CASES / "stack_nmc811_lpscl_li.toml"

SHRINKING = """
[case]
model = "stack"
[stack]
area = "1 cm^2"
[[stack.layers]]
name = "cathode"
kind = "composite_electrode"
role = "cathode"
thickness = "60 um"
active_material = "NMC811"
active_volume_fraction = 0.7
porosity = 0.05
stoichiometry_soc0 = 0.95
stoichiometry_soc1 = 0.2
[[stack.layers]]
name = "separator"
kind = "solid"
material = "Li6PS5Cl"
thickness = "400 um"
{separator}
[fixture]
type = "fixed_gap"
preload = "{preload}"
[soc]
path = [0.0, 1.0, 0.0]
points_per_segment = 4
[mesh]
dimension = {dim}
cells_per_layer = 2
lateral_cells = 2
"""


def _run(path, **overrides):
    return run(load_case(path, overrides=overrides), figures=False, fields=False)


def test_li_stack_uses_the_time_marched_model():
    r = _run(LI, **{"soc.points_per_segment": 4})
    assert r.summary["stack_model"] == "column"
    assert "time_s" in r.tables["soc_path"].columns


def test_slipping_li_relaxes_a_fixed_gap_sticking_li_does_not():
    kw = {"fixture.stiffness": "1e10 N/m", "soc.points_per_segment": 4, "soc.rest_time": "1 h"}
    stick = _run(LI, **kw)
    slip = _run(LI, **kw, **{"stack.metal_interface": "slip"})
    p_stick, p_slip = (r.tables["soc_path"]["stack_pressure_Pa"] for r in (stick, slip))
    assert p_slip.max() < 0.05 * p_stick.max()      # free to slip, the Li flows out
    assert p_stick.max() > 50e6                      # confined Li carries the plating load
    # the Li squeezed out while charging is missing on discharge: the plates lift off
    assert stick.summary["lift_off"] is True


def test_elastic_li_is_the_old_linear_model():
    r = _run(LI, **{"stack.layers.anode.creep": False, "soc.points_per_segment": 4})
    assert "stack_model" not in r.summary and "stack_pressure_spring_Pa" in r.tables[
        "soc_path"].columns


@pytest.mark.parametrize("dim", [1, 2])
def test_shrinking_stack_lifts_off(tmp_path, dim):
    p = write_case(tmp_path, SHRINKING.format(separator="", preload="0.05 MPa", dim=dim))
    r = _run(p)
    t = r.tables["soc_path"]
    assert r.summary["lift_off"] is True and np.all(t["stack_pressure_Pa"] >= 0.0)
    assert t["gap_m"].max() > 0.0 and np.all(t["stack_pressure_Pa"][t["lift_off"] > 0] == 0)


def test_compact_separator_is_softer(tmp_path):
    dense = run(load_case(write_case(tmp_path, SHRINKING.format(
        separator="", preload="100 MPa", dim=1), "dense.toml")), figures=False, fields=False)
    compact = run(load_case(write_case(tmp_path, SHRINKING.format(
        separator='fabrication_pressure = "370 MPa"', preload="100 MPa", dim=1),
        "compact.toml")), figures=False, fields=False)
    assert compact.summary["stack_model"] == "column"
    # the softer compact takes up more of the cathode's shrinkage: a smaller pressure drop
    drop = [100e6 - r.summary["stack_pressure_min_Pa"] for r in (dense, compact)]
    assert 0 < drop[1] < drop[0]


@pytest.mark.mpi
def test_fe_inelastic_parallel_equals_serial(comm):
    from interface.backend import MPI

    case = load_case(LI, smoke=True, overrides={"mesh.dimension": 2, "stack.lateral_bc": "free",
                                                "soc.points_per_segment": 3})
    par = run(case, comm, figures=False, fields=False)
    ser = run(case, MPI.COMM_SELF, figures=False, fields=False)
    assert par.summary["stack_model"] == "fe_inelastic"
    np.testing.assert_allclose(par.tables["soc_path"]["stack_pressure_Pa"],
                               ser.tables["soc_path"]["stack_pressure_Pa"], rtol=1e-8)
