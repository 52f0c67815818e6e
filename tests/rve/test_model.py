"""The rve model end to end: results.h5 contract, figures, failure handling, bad input."""

import json

import h5py
import numpy as np
import pytest

from interface import load_case, run
from interface.cli import main
from tests.conftest import CASES, write_case

CASE_2D = CASES / "interface_rve_2d.toml"

SMALL = """
[case]
model = "rve"

[rve]
dimension = 2
box_size = "20 um"
volume_fraction = 0.5
mean_radius = "2.5 um"
min_gap = "0.3 um"
seed = 2
mesh_size = "1 um"

[rve.map]
pressures = ["0 MPa", "50 MPa", "200 MPa"]
stoichiometries = [0.3, 0.7, 1.0]
"""


@pytest.fixture(scope="module")
def small_result(tmp_path_factory):
    from interface.backend import MPI

    folder = tmp_path_factory.mktemp("rve_small")
    path = write_case(folder, SMALL)
    out = folder / "out"
    result = run(load_case(path), MPI.COMM_SELF, output=out, fields=False)
    return result, out


def test_contact_map_contract(small_result):
    """TabulatedCathodeMap.from_results reads the table; values match the grid points."""
    from interface.mechanics.contact_laws import TabulatedCathodeMap

    result, out = small_result
    assert result.ok, result.message
    cmap = TabulatedCathodeMap.from_results(out / "results.h5")
    t = result.tables["contact_map"]
    assert len(t) == 9
    np.testing.assert_allclose(cmap.contact_fraction(t["stack_pressure_Pa"], t["stoichiometry"]),
                               t["contact_fraction"], atol=1e-12)
    np.testing.assert_allclose(cmap.isolated_fraction(t["stack_pressure_Pa"],
                                                      t["stoichiometry"]),
                               t["isolated_fraction"], atol=1e-12)
    with h5py.File(out / "results.h5") as f:
        g = f["tables/contact_map"]
        units = {k: g[k].attrs["unit"] for k in g}
        assert units["stack_pressure_Pa"] == "Pa" and units["mean_gap_m"] == "m"
        for col in ("max_gap_m", "peak_interface_normal_stress_Pa",
                    "electrolyte_max_principal_stress_Pa", "electrolyte_max_von_mises_stress_Pa"):
            assert col in g and np.all(np.isfinite(g[col][:]))
        assert f["tables/particle_contact/particle_contact_fraction"].shape == (9, 10)
    assert (out / "figures" / "rve_contact_map.png").exists()
    assert (out / "figures" / "rve_fields.png").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["particles"] == 10 and summary["points_completed"] == 9


def test_map_properties(small_result):
    """Contact 1 without shrinkage at every pressure; falls with shrinkage; rises with P."""
    result, _ = small_result
    t = result.tables["contact_map"]
    p, x, cf = t["stack_pressure_Pa"], t["stoichiometry"], t["contact_fraction"]
    assert np.all(cf[x == 1.0] == 1.0)
    for pv in np.unique(p):
        sel = p == pv
        order = np.argsort(x[sel])  # x up = less shrinkage
        assert np.all(np.diff(cf[sel][order]) >= -1e-12)
    for xv in np.unique(x):
        sel = x == xv
        order = np.argsort(p[sel])
        assert np.all(np.diff(cf[sel][order]) >= -1e-12)
    assert cf[(x == 0.3) & (p == 0.0)][0] == 0.0


def test_failed_point_keeps_completed_and_exits_1(tmp_path, monkeypatch, capsys):
    """A diverging point: exit 1 naming (P, x); the completed points are written."""
    from interface.mechanics.interface_problem import InterfaceProblem

    calls = {"n": 0}
    original = InterfaceProblem._newton

    def diverge_after_two(self):
        calls["n"] += 1
        if calls["n"] > 2:
            return -5, 40, 40  # DIVERGED_MAX_IT
        return original(self)

    monkeypatch.setattr(InterfaceProblem, "_newton", diverge_after_two)
    case = write_case(tmp_path, SMALL)
    out = tmp_path / "out"
    rc = main(["run", str(case), "-o", str(out), "--set", "rve.interface.max_cutbacks=1",
               "--no-fields"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "stack_pressure_Pa=" in err and "stoichiometry=" in err and "DIVERGED" in err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "failed"
    with h5py.File(out / "results.h5") as f:
        n = len(f["tables/contact_map/contact_fraction"])
        assert 1 <= n < 9
        assert np.all(np.isfinite(f["tables/contact_map/contact_fraction"][:]))


@pytest.mark.parametrize("setting, key", [
    ("rve.volume_fraction=0.93", "rve.volume_fraction"),
    ("rve.mean_radius=12um", "rve.mean_radius"),
    ("rve.mesh_size=5nm", "rve.mesh_size"),
    ("rve.interface.penalty=-10", "rve.interface.penalty"),
    ("rve.interface.strength=-5MPa", "rve.interface.strength"),
    ("rve.map.stoichiometries=[0.05, 0.5]", "rve.map.stoichiometries"),
    ("rve.dimension=4", "rve.dimension"),
    ("rve.stack.case=no_such_stack.toml", "rve.stack.case"),
    ("rve.stack.case=interface_rve_3d.toml", "rve.stack.case"),
    ("rve.stack.electrode=anode", "rve.stack.electrode"),
    ("rve.coating.thickness=0.7um", "rve.coating.thickness"),
    ("rve.coating.thickness=-5nm", "rve.coating.thickness"),
])
def test_bad_input_exit_2(capsys, setting, key):
    rc = main(["check", str(CASE_2D), "--set", setting, "--set", "rve.box_size=10um"])
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err
    assert key in lines[0], lines[0]


@pytest.mark.parametrize("settings, key", [
    (["rve.coating.thickness=50nm", "rve.coating.material=unobtainium"],
     "rve.coating.material"),
    # a smallest radius of 0.4 mean radius (the clip) is thinner than 4 x 0.5 um
    (["rve.coating.thickness=0.6um", "rve.radius_cv=0.6", "rve.box_size=20um",
      "rve.volume_fraction=0.3"], "rve.coating.thickness"),
    (["rve.packing=periodic", "rve.volume_fraction=0.99"], "rve.volume_fraction"),
])
def test_bad_coating_and_periodic_input_exit_2(capsys, settings, key):
    args = ["check", str(CASE_2D), "--set", "rve.box_size=10um"]
    for s in settings:
        args += ["--set", s]
    rc = main(args)
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err
    assert key in lines[0], lines[0]


def test_periodic_coated_smoke_run():
    """Periodic packing with a LiNbO3 coating through the case: runs, coating reported,
    no shrinkage -> full contact."""
    from interface.backend import MPI

    case = load_case(CASE_2D, smoke=True, overrides={
        "rve.packing": "periodic", "rve.coating.thickness": "0.25 um",
        "rve.coating.elements_through_thickness": 1})
    result = run(case, MPI.COMM_SELF, figures=False, fields=False)
    assert result.ok, result.message
    assert result.summary["packing"] == "periodic"
    assert result.summary["coating_thickness_m"] == pytest.approx(0.25e-6)
    assert result.summary["coating_fraction"] > 0
    t = result.tables["contact_map"]
    assert np.all(t["contact_fraction"][t["stoichiometry"] == 1.0] == 1.0)


def test_cases_check():
    for name in ("interface_rve_2d.toml", "interface_rve_3d.toml"):
        assert main(["check", str(CASES / name)]) == 0


def test_cohesive_law_with_precompression():
    """The cohesive option through the case: fabrication pre-compression, then debonding."""
    from interface.backend import MPI

    case = load_case(CASE_2D, smoke=True, overrides={
        "rve.interface.law": "cohesive", "rve.interface.strength": "20 MPa",
        "rve.interface.fracture_energy": "0.5 J/m^2", "rve.precompression": "50 MPa",
        "rve.interface.load_steps": 2, "rve.stack.case": ""})
    result = run(case, MPI.COMM_SELF, figures=False, fields=False)
    assert result.ok, result.message
    t = result.tables["contact_map"]
    cf, x = t["contact_fraction"], t["stoichiometry"]
    assert np.all((cf >= 0) & (cf <= 1))
    assert np.all(cf[x == 1.0] == 1.0)
    assert cf[x == x.min()].min() < 1.0
    assert result.summary["interface_law"] == "cohesive"


def test_pores_are_voids(tmp_path):
    """With porosity the pores are cut out of the electrolyte (area) and the map still runs."""
    from interface.backend import MPI, dolfinx, ufl
    from interface.models import rve as model

    case = load_case(write_case(tmp_path, SMALL), overrides={
        "rve.porosity": 0.1, "rve.map.pressures": ["0 MPa", "100 MPa"],
        "rve.map.stoichiometries": [0.5, 1.0]})
    pk, (_, pr) = model.packing_of(case), model.pores_of(case)
    assert len(pr) >= 1 and len(pk.radii) >= 1
    prob = model.build_problem(case, MPI.COMM_SELF)
    msh = prob.tagged.mesh
    area = dolfinx.fem.assemble_scalar(dolfinx.fem.form(1.0 * ufl.dx(domain=msh)))
    box = model.box_size(case) ** 2
    assert area == pytest.approx(box - np.pi * (pr**2).sum(), rel=0.02)
    prob.close()
    result = run(case, MPI.COMM_SELF, figures=False, fields=False)
    assert result.ok and result.summary["pores"] == len(pr)
    assert result.summary["porosity"] == pytest.approx(np.pi * (pr**2).sum() / box)


def test_stack_path_follows_the_stack_model(tmp_path):
    """[rve.stack]: the RVE at the stack model's (P(SOC), x(SOC)); path point = grid point."""
    from interface.backend import MPI
    from interface.models import stack as stack_model

    over = {"rve.map.pressures": ["5 MPa", "400 MPa"], "rve.map.stoichiometries": [0.95, 1.0]}
    case = load_case(CASE_2D, overrides=over, smoke=True)
    result = run(case, MPI.COMM_SELF, output=tmp_path / "out", fields=False)
    assert result.ok, result.message
    sp = result.tables["stack_path"]
    stack_case = load_case(CASES / "stack_nmc811_lpscl_li.toml", smoke=True)
    ref = stack_model.run(stack_case, MPI.COMM_SELF).tables["soc_path"]
    cathode = next(la for la in stack_case.stack.layers if la.name == "cathode")
    np.testing.assert_allclose(sp["stack_pressure_Pa"], ref["stack_pressure_Pa"], rtol=1e-12)
    x = cathode.stoichiometry_soc0 + (cathode.stoichiometry_soc1
                                      - cathode.stoichiometry_soc0) * ref["soc"]
    np.testing.assert_allclose(sp["stoichiometry"], x, rtol=1e-12)
    # SOC 0: the preload (5 MPa) at x = 0.95, a grid point; frictionless contact is
    # path independent, so both routes give the same contact state
    k = int(np.argmin(sp["soc"]))
    assert sp["soc"][k] == 0.0 and sp["stack_pressure_Pa"][k] == pytest.approx(5e6)
    t = result.tables["contact_map"]
    g = np.flatnonzero((t["stack_pressure_Pa"] == 5e6) & (t["stoichiometry"] == 0.95))[0]
    assert sp["contact_fraction"][k] == pytest.approx(t["contact_fraction"][g], abs=1e-9)
    assert sp["mean_gap_m"][k] == pytest.approx(t["mean_gap_m"][g], rel=1e-6, abs=1e-15)
    # charge shrinks the particles while the stack pressure rises: contact falls
    assert sp["contact_fraction"].min() < sp["contact_fraction"][k]
    assert result.summary["stack_path_points"] == len(sp)
    with h5py.File(tmp_path / "out" / "results.h5") as f:
        assert f["tables/stack_path/stack_pressure_Pa"].attrs["unit"] == "Pa"
