"""The electrochemistry model: pressure trends, two-way coupling, cycling, failures, MPI.

The analytic checks (perfect contact vs plain PyBaMM, Li plating 4.850 um per
mAh/cm^2, conservation, contact overpotential vs Butler-Volmer / Newman-Tobias)
are `ssbi verify` rows (interface/verify/electrochem.py), run by test_verify.py.
"""

import json

import numpy as np
import pytest

from interface import load_case, run
from interface.models import electrochem as model
from tests.conftest import CASES, write_case

CASE = CASES / "electrochem_pressure.toml"


@pytest.fixture(scope="module")
def default():
    """The shipped case, its settings and its cell (built once)."""
    case = load_case(CASE)
    s = model.settings(case)
    return case, s, model.build_cell(s, case)


def test_capacity_and_energy_do_not_decrease_with_pressure(default):
    from interface.electrochem import protocols

    case, s, cell = default
    built = (cell.built_model, cell.fast_sim.built_model)
    pressures = [0.0, 0.5e6, 1e6, 2e6, 5e6, 10e6, 20e6, 50e6, 100e6, 200e6, 500e6]
    for c in (0.2, 1.0):
        recs = [protocols.discharge(cell, p, c) for p in pressures]
        q = np.array([r.capacity for r in recs])
        e = np.array([r.energy for r in recs])
        assert np.all(np.diff(q) >= -1e-9 * q[-1]), q
        assert np.all(np.diff(e) >= -1e-9 * e[-1]), e
        assert q[-1] > q[1] > 0
    # one discretised model for every pressure and C-rate: nothing was rebuilt
    assert (cell.built_model, cell.fast_sim.built_model) == built


def test_higher_rate_less_capacity_more_power(default):
    from interface.electrochem import protocols

    _, _, cell = default
    slow, fast = protocols.discharge(cell, 5e6, 0.2), protocols.discharge(cell, 5e6, 1.0)
    assert fast.capacity < slow.capacity
    assert fast.mean_voltage < slow.mean_voltage
    assert fast.mean_power > slow.mean_power
    assert slow.curve.termination == "event: Minimum voltage [V]"


def test_spring_fixture_reduces_to_one_way(tmp_path):
    """A constant-load jig: the coupling loop gives the one-way discharge."""
    from interface.electrochem import protocols

    text = CASE.read_text().replace('type = "elastic"', 'type = "spring"').replace(
        'stiffness = "5e7 N/m"', "")
    case = load_case(write_case(tmp_path, text, "spring.toml"))
    s = model.settings(case)
    cell = model.build_cell(s, case, rtol=1e-8, atol=1e-8)
    law = model.StackPressureLaw(case, s.stoichiometry_soc, cell.contact)
    coupled = protocols.coupled_discharge(cell, law, 1.0, 300.0, scheme="explicit")
    law.destroy()
    one = protocols.discharge(cell, 5e6, 1.0)
    assert np.all(coupled.curve.pressure == pytest.approx(5e6, rel=1e-9))
    assert coupled.curve.steps > 5
    assert coupled.curve.termination == one.curve.termination
    assert coupled.capacity == pytest.approx(one.capacity, rel=1e-5)
    assert coupled.energy == pytest.approx(one.energy, rel=1e-5)


@pytest.fixture(scope="module")
def coupling(tmp_path_factory):
    """Cells for the convergence study: stepped, and monolithic (P(x) inside the DAE).

    The cathode map f_c = 0.5 + 0.4 (P / 20 MPa) x is bilinear, so its table has no
    kinks in P (an analytic map tabulated on a pressure grid has kinks every few per
    cent, which blur the observed order once a coupling step spans less than one
    grid interval); the Li law is analytic with p0 = 10 MPa so that f_Li(P) matters.
    """
    import h5py

    from interface.electrochem.cell import SSBCell

    folder = tmp_path_factory.mktemp("map")
    p, x = np.meshgrid([0.0, 20e6], [0.0, 1.0], indexing="ij")
    with h5py.File(folder / "map.h5", "w") as f:
        g = f.create_group("tables/contact_map")
        for k, v in (("stack_pressure_Pa", p), ("stoichiometry", x),
                     ("contact_fraction", 0.5 + 0.4 * p / 20e6 * x),
                     ("isolated_fraction", 0.05 * (1 - p / 20e6))):
            g[k] = v.ravel()
    case = load_case(CASE, overrides={"electrochem.pressures": ["5 MPa"],
                                      "contact.cathode.map": "tabulated",
                                      "contact.cathode.results": str(folder / "map.h5"),
                                      "contact.lithium.p0": "10 MPa"})
    s = model.settings(case)
    # tight tolerances: each coupling step restarts the integrator (an error ~ rtol per
    # step), which would otherwise floor the midpoint errors at ~1e-4 J
    cell = model.build_cell(s, case, rtol=1e-10, atol=1e-10)
    law = model.StackPressureLaw(case, s.stoichiometry_soc, cell.contact)
    xg = np.linspace(0.2, 1.0, 801)
    pg = np.array([law(x) for x in xg])
    mono = SSBCell(s.design, cell.contact, pressures=s.pressures, rtol=1e-10, atol=1e-10,
                   pressure_of_stoichiometry=(xg, pg), fast_outputs=False)
    yield cell, law, mono
    law.destroy()


T_CHECK = 4800.0  # a multiple of every coupling step below
C_RATE = 0.5


def _at(rec, t):
    i = np.flatnonzero(np.isclose(rec.curve.time, t, rtol=0.0, atol=1e-6))[0]
    return rec.curve.voltage[i], rec.curve.energy[i] - rec.curve.energy[0]


def test_two_way_coupling_converges(coupling):
    """Stepping converges to the monolithic solution: first order (explicit), second (midpoint).

    Reference: the same cell with P(x) (the FE stack model sampled on 801 points)
    inside the DAE, fully implicit.  Errors at t = 4800 s in voltage and energy
    (measured: explicit dV 2.09, 1.16, 0.61 mV; midpoint dE 3.4e-4, 8.6e-5, 2.2e-5 J
    at dt = 1600, 800, 400 s).
    """
    from interface.electrochem import protocols

    cell, law, mono = coupling
    current = mono.current(C_RATE)
    p0 = law(mono.x_charged)
    connected = 1.0 - mono.contact.isolated(p0, mono.x_charged)
    state = mono.contact.state(p0, connected)
    sol = mono.solve(mono.inputs(state, current, mono.x_charged), 8000.0, fast=False)
    v_ref = float(sol["Voltage [V]"](T_CHECK))
    e_ref = float(sol["Discharge energy [W.h]"](T_CHECK)) * 3600.0
    p_ref = sol["Stack pressure [Pa]"].entries
    assert p_ref[0] == pytest.approx(p0, rel=1e-6) and p_ref[-1] < p_ref[0]  # P follows SOC

    err_v, err_e = [], []
    for dt in (1600.0, 800.0, 400.0):
        rec = protocols.coupled_discharge(cell, law, C_RATE, dt, scheme="explicit")
        v, e = _at(rec, T_CHECK)
        err_v.append(abs(v - v_ref))
        err_e.append(abs(e - e_ref))
        assert np.all(np.diff(rec.curve.coupling[:, 2]) < 0)  # pressure falls on discharge
    rv = np.array(err_v[:-1]) / np.array(err_v[1:])
    re_ = np.array(err_e[:-1]) / np.array(err_e[1:])
    assert np.all((rv > 1.7) & (rv < 2.3)), (err_v, rv)
    assert np.all((re_ > 1.7) & (re_ < 2.3)), (err_e, re_)
    assert err_v[-1] < 1e-3

    err_m = []
    for dt in (1600.0, 800.0, 400.0):
        rec = protocols.coupled_discharge(cell, law, C_RATE, dt, scheme="midpoint")
        err_m.append(abs(_at(rec, T_CHECK)[1] - e_ref))
    rm = np.array(err_m[:-1]) / np.array(err_m[1:])
    assert np.all(rm > 3.5), (err_m, rm)
    assert err_m[-1] < 0.05 * err_e[-1]  # midpoint beats explicit at the same step


def test_cycling_accumulates_contact_loss(default):
    from interface.electrochem import protocols

    _, _, cell = default
    recs = {p: protocols.cycle(cell, 3, p, c_rate_charge=1.0, c_rate_discharge=1.0)[0]
            for p in (1e6, 100e6)}
    for p, r in recs.items():
        c = 1.0
        for n in range(3):  # c_{n+1} = c_n (1 - phi_iso(P, x_min,n)), state carried
            c *= 1.0 - cell.contact.isolated(p, r.min_stoichiometry[n])
            assert r.connected[n] == pytest.approx(c, rel=1e-12)
        assert np.all(np.diff(r.retention) < 0)
        assert np.all(r.li_inventory > 0)
    assert np.all(recs[100e6].retention[1:] > recs[1e6].retention[1:])


def test_no_contact_loss_no_fade():
    from interface.electrochem import protocols

    case = load_case(CASE, overrides={"contact.cathode.map": "constant",
                                      "contact.cathode.contact_fraction": 0.8})
    s = model.settings(case)
    cell = model.build_cell(s, case, fast_outputs=False)
    rec, curves = protocols.cycle(cell, 3, 5e6, c_rate_charge=1.0, c_rate_discharge=1.0)
    # cycle 1 starts from uniform pristine particles, later cycles from the state the
    # previous discharge left: a 1e-4 difference at 1C, then a periodic state
    assert rec.retention == pytest.approx(1.0, abs=1e-3)
    assert rec.retention[2] == pytest.approx(rec.retention[1], rel=1e-5)
    assert np.all(rec.connected == 1.0)
    assert len(curves) == 6


@pytest.mark.parametrize("variant", ["anode_free", "graphite"])
def test_variants_run(tmp_path, variant):
    text = (f'[case]\nmodel = "electrochem"\n[electrochem]\nvariant = "{variant}"\n'
            'c_rates = [1.0]\npressures = ["5 MPa"]\ncycles = 2\ncycle_c_rate = 1.0\n'
            'dead_lithium_fraction = 0.02\n')
    result = run(load_case(write_case(tmp_path, text)), figures=False)
    assert result.ok, result.message
    sw, cy = result.tables["pressure_sweep"], result.tables["cycling"]
    q = result.summary["nominal_capacity_C"]
    assert 0.7 * q < sw["discharge_capacity_C"][0] < 1.02 * q
    assert sw["termination"][0] == "event: Minimum voltage [V]"
    assert np.all(cy["discharge_capacity_C"] <= cy["charge_capacity_C"] * (1 + 1e-9))
    if variant == "anode_free":  # dead Li bookkeeping: inventory = charged - discharged - dead
        inv = (np.cumsum(cy["charge_capacity_C"]) - np.cumsum(cy["discharge_capacity_C"])
               - cy["dead_lithium_C"])
        np.testing.assert_allclose(cy["li_inventory_C"], inv, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(cy["dead_lithium_C"],
                                   0.02 * np.cumsum(cy["charge_capacity_C"]), rtol=1e-12)


def test_tabulated_map_enters_the_model(tmp_path):
    """A map from a results.h5: f_c at the start of the discharge is the map's f_c(P, x)."""
    import h5py

    pressures, stoich = np.array([0.0, 10e6, 50e6]), np.linspace(0.0, 1.0, 11)
    p, x = np.meshgrid(pressures, stoich, indexing="ij")
    fc = 0.4 + 0.5 * p / 50e6 * x
    with h5py.File(tmp_path / "map.h5", "w") as f:
        g = f.create_group("tables/contact_map")
        for k, v in (("stack_pressure_Pa", p), ("stoichiometry", x), ("contact_fraction", fc),
                     ("isolated_fraction", 0.02 * np.ones_like(p))):
            g[k] = v.ravel()
    text = ('[case]\nmodel = "electrochem"\n[electrochem]\nc_rates = [0.05]\n'
            'pressures = ["25 MPa"]\n[contact.cathode]\nmap = "tabulated"\n'
            'results = "map.h5"\n')
    result = run(load_case(write_case(tmp_path, text)), figures=False)
    sw = result.tables["pressure_sweep"]
    x0 = result.summary["stoichiometry_charged"]
    assert sw["connected_fraction"][0] == pytest.approx(0.98)
    # at t = 0 the particles are uniform at x_charged: f_c = 0.4 + 0.5 (25/50) x (bilinear: exact)
    assert sw["cathode_contact_fraction_start"][0] == pytest.approx(0.4 + 0.25 * x0, rel=1e-6)


def test_solver_failure_keeps_completed_points(tmp_path, monkeypatch, capsys):
    """A PyBaMM failure: exit 1, the step and the pressure named, completed rows kept."""
    from interface.cli import main
    from interface.electrochem._pybamm import pybamm
    from interface.electrochem.cell import IN_CURRENT, IN_PRESSURE, SSBCell

    real = SSBCell.solve

    def flaky(self, inputs, t_end, **kw):
        batch = inputs if isinstance(inputs, list) else [inputs]
        one_c = self.current(1.0)
        if any(i[IN_PRESSURE] == 20e6 and i[IN_CURRENT] == one_c for i in batch):
            raise pybamm.SolverError("IDA_CONV_FAIL: the corrector convergence failed")
        return real(self, inputs, t_end, **kw)

    monkeypatch.setattr(SSBCell, "solve", flaky)
    text = ('[case]\nmodel = "electrochem"\n[electrochem]\nc_rates = [0.5, 1.0]\n'
            'pressures = ["2 MPa", "20 MPa"]\n')
    out = tmp_path / "out"
    rc = main(["run", str(write_case(tmp_path, text)), "-o", str(out), "--quiet",
               "--no-figures"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "stack_pressure_Pa=2e+07" in err and "discharge" in err, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "failed"
    assert summary["points_completed"] == 3 and summary["points_total"] == 4
    import h5py

    with h5py.File(out / "results.h5") as f:
        assert f.attrs["status"] == "failed"
        np.testing.assert_array_equal(f["tables/pressure_sweep/stack_pressure_Pa"][:],
                                      [2e6, 2e6, 20e6])


@pytest.mark.mpi
def test_mpi_each_rank_its_own_pressures(comm):
    """Pressures distributed over the ranks give bit-identical tables to a serial run."""
    from interface.backend import MPI

    case = load_case(CASE, smoke=True, overrides={"electrochem.pressures":
                                                  ["1 MPa", "5 MPa", "20 MPa"],
                                                  "electrochem.smoke_pressures": 3})
    par = run(case, comm, figures=False)
    ser = run(case, MPI.COMM_SELF, figures=False)
    assert par.ok and ser.ok
    ranks = par.info["task_ranks"]
    assert sorted(set(ranks)) == list(range(comm.size))  # every rank did work
    for name, table in ser.tables.items():
        for col, arr in table.columns.items():
            np.testing.assert_array_equal(par.tables[name][col], arr, err_msg=f"{name}/{col}")
    assert par.summary == ser.summary


def _map_file(path, isolated_below):
    """A tabulated cathode map: f_c = 0.5, every particle isolated at P <= isolated_below."""
    import h5py

    ps, xs = np.array([0.0, isolated_below, 2 * isolated_below, 400e6]), np.array([0.0, 1.0])
    pp, xx = np.meshgrid(ps, xs, indexing="ij")
    with h5py.File(path, "w") as f:
        g = f.create_group("tables/contact_map")
        g["stack_pressure_Pa"], g["stoichiometry"] = pp.ravel(), xx.ravel()
        g["contact_fraction"] = np.full(pp.size, 0.5)
        g["isolated_fraction"] = np.where(pp.ravel() <= isolated_below, 1.0, 0.0)
    return path


def test_all_isolated_delivers_nothing_without_failing(tmp_path):
    """A map that isolates every particle: zero energy, no DAE solved, no failure."""
    from interface.electrochem import protocols

    case = load_case(CASE, overrides={"contact.cathode.map": "tabulated",
                                      "contact.cathode.results":
                                          str(_map_file(tmp_path / "map.h5", 1e6))})
    s = model.settings(case)
    cell = model.build_cell(s, case)
    low, high = protocols.discharges(cell, [0.5e6, 5e6], 0.5)
    assert low.connected == 0.0 and low.curve.total_energy == 0.0
    assert low.curve.termination == protocols._ISOLATED
    assert high.connected == 1.0 and high.curve.total_energy > 0.0
    rec, _ = protocols.cycle(cell, 2, 0.5e6, c_rate_charge=0.5, c_rate_discharge=0.5)
    np.testing.assert_array_equal(rec.discharge_capacity, [0.0, 0.0])
