"""Issue 23, items 3, 7, 9-12: the reported tracebacks and wrong answers, one at a time."""

import json
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

import interface
from interface.cli import main
from interface.errors import InputError
from interface.units import parse_quantity
from tests.conftest import CASES, ROOT, write_case
from tests.unit.test_case import MINIMAL

STACK = str(CASES / "stack_nmc811_lpscl_li.toml")
TRADEOFF = str(CASES / "tradeoff_nmc811_lpscl_li.toml")
LITHIUM = CASES / "lithium_interface.toml"
RVE = CASES / "interface_rve_2d.toml"


def _one_line(capsys, rc, code=2):
    out = capsys.readouterr()
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert rc == code, out.err + out.out
    assert len(lines) == 1 and "Traceback" not in out.err, out.err
    return lines[0]


# ----------------------------------------------------------- 3: offset temperature units
@pytest.mark.parametrize("value, expected_K", [("10 K", 10.0), ("10 delta_degC", 10.0),
                                               ("-5 K", -5.0), ("18 delta_degF", 10.0)])
def test_temperature_difference_accepts_kelvin_and_delta(value, expected_K):
    case = interface.load_case(STACK, {"stack.temperature_change": value})
    assert case.stack.temperature_change == pytest.approx(expected_K)


@pytest.mark.parametrize("value", ["10 degC", "-10 degC", "50 degF"])
def test_temperature_difference_refuses_degC(capsys, value):
    line = _one_line(capsys, main(["check", STACK, "--set", f"stack.temperature_change={value}"]))
    assert "stack.temperature_change" in line and "delta_degC" in line


def test_temperature_difference_gives_the_right_pressure():
    """10 degC read as 283.15 K gave a SOC-0 pressure of 20.6 MPa (issue 23); 10 K must give
    the same answer as 10 delta_degC and differ from the 0 K case by the thermal strain only."""
    a = interface.load_case(STACK, {"stack.temperature_change": "10 K"})
    b = interface.load_case(STACK, {"stack.temperature_change": "10 delta_degC"})
    assert a.stack.temperature_change == b.stack.temperature_change == 10.0


def test_absolute_temperatures_keep_working():
    ec = interface.load_case(CASES / "electrochem_pressure.toml",
                             {"electrochem.temperature": "25 degC"})
    assert ec.electrochem.temperature == pytest.approx(298.15)
    li = interface.load_case(LITHIUM, {"lithium.temperature": "60 degC"})
    assert li.lithium.temperature == pytest.approx(333.15)
    with pytest.raises(InputError, match="absolute temperature"):
        interface.load_case(LITHIUM, {"lithium.temperature": "25 delta_degC"})


def test_per_degC_coefficient_is_refused_not_misread():
    """"2e-5 1/degC" used to give 7.3e-8 1/K (the offset applied inside a product)."""
    assert parse_quantity("2e-5 1/delta_degC", "1/K") == pytest.approx(2e-5)
    assert parse_quantity("2e-5 1/K", "1/K") == pytest.approx(2e-5)
    with pytest.raises(InputError, match="delta_degC"):
        parse_quantity("2e-5 1/degC", "1/K", key="materials.x.thermal_expansion")


# ------------------------------------------------------------------ 7: bounded exponents
@pytest.mark.parametrize("text", ["10**10**10 Pa", "10^10^10 Pa", "2**(10**10) Pa",
                                  "10**400 Pa", "9**99999 Pa", "10**(1/0) Pa"])
def test_exponents_are_bounded(text):
    t0 = time.perf_counter()
    with pytest.raises(InputError) as exc:
        parse_quantity(text, "Pa", key="fixture.preload")
    assert time.perf_counter() - t0 < 1.0
    assert "fixture.preload" in str(exc.value)


def test_check_with_tower_exponent_returns(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "interface", "check", STACK, "--set",
                           "fixture.preload=10**10**10 Pa"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)
    assert proc.returncode == 2 and "fixture.preload" in proc.stderr


@pytest.mark.parametrize("text, si", [("2 m^3", 2.0), ("10**3 Pa", 1e3), ("1e7 Pa", 1e7),
                                      ("10^-3 Pa", 1e-3), ("(2)**(1/2) Pa", 2**0.5)])
def test_ordinary_exponents_still_work(text, si):
    unit = "m^3" if "m^3" in text else "Pa"
    assert parse_quantity(text, unit) == pytest.approx(si)


# ---------------------------------------------------------------- 9: former tracebacks
@pytest.mark.parametrize("setting, key", [
    ("mesh.cells_per_layer=²", "mesh.cells_per_layer"),
    ("fixture.preload=10**400 Pa", "fixture.preload"),
    ("fixture.preload=1e400 Pa", "fixture.preload"),
    ("mesh.cells_per_layer=1e300", "mesh.cells_per_layer"),
])
def test_former_tracebacks_stack(capsys, setting, key):
    assert key in _one_line(capsys, main(["check", STACK, "--set", setting]))


def test_tradeoff_tiny_pressure_min(capsys):
    line = _one_line(capsys, main(["check", TRADEOFF, "--set",
                                   "tradeoff.pressure_min=1e-30 MPa"]))
    assert "tradeoff.pressure_min" in line


def test_separator_modulus_underflow(capsys):
    args = ["check", STACK, "--set", "materials.weak={youngs_modulus = '1e-300 Pa', "
            "poisson_ratio = 0.3, density = '1 g/cm^3'}",
            "--set", "stack.layers.separator.material=weak"]
    assert "materials.weak.youngs_modulus" in _one_line(capsys, main(args))


def _csv_case(tmp_path, file: str) -> str:
    text = LITHIUM.read_text().replace(
        'kind = "self_affine"             # self_affine | gaussian | sinusoid | csv '
        '(file = "...")', f'kind = "csv"\nfile = "{file}"')
    for line in ('hurst = 0.8', 'rolloff_wavelength = "10 um"', 'cutoff_wavelength = "2.5 um"'):
        text = text.replace(line + "\n", "", 1)
    return str(write_case(tmp_path, text, "csv.toml"))


def test_csv_surface_is_a_directory(tmp_path, capsys):
    (tmp_path / "profile").mkdir()
    line = _one_line(capsys, main(["check", _csv_case(tmp_path, "profile")]))
    assert "lithium.surface.file" in line and "directory" in line


def test_csv_surface_unreadable(tmp_path, capsys, monkeypatch):
    (tmp_path / "p.csv").write_text("\n".join(f"{i},{i % 3}" for i in range(20)))
    real = np.genfromtxt

    def denied(path, *a, **k):
        if str(path).endswith("p.csv"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(np, "genfromtxt", denied)
    line = _one_line(capsys, main(["check", _csv_case(tmp_path, "p.csv")]))
    assert "lithium.surface.file" in line and "Permission denied" in line


def test_csv_surface_with_inf_is_refused(tmp_path, capsys):
    """An inf in a roughness CSV wrote summary@rms_roughness_m = NaN (issue 23, item 5)."""
    (tmp_path / "p.csv").write_text("\n".join(f"{i},{i % 3}" for i in range(20)) + "\n20,inf\n")
    line = _one_line(capsys, main(["check", _csv_case(tmp_path, "p.csv")]))
    assert "lithium.surface.file" in line and "inf" in line


def _law_file(tmp_path, names, values):
    h5 = tmp_path / "li.h5"
    with h5py.File(h5, "w") as f:
        g = f.create_group("tables/lithium_law")
        g["name"] = np.array(names, dtype=h5py.string_dtype())
        g["value"] = np.asarray(values, float)
    return h5


@pytest.mark.parametrize("names, values", [(["coefficient", "pressure_exponent"], [1.0]),
                                           (["coefficient"], [1.0]),
                                           (["coefficient", "time_exponent"], [np.nan, 1])])
def test_malformed_lithium_law_table(tmp_path, capsys, names, values):
    h5 = _law_file(tmp_path, names, values)
    args = ["check", str(CASES / "electrochem_pressure.toml"), "--set",
            "contact.lithium.law=results", "--set", f"contact.lithium.results={h5}"]
    line = _one_line(capsys, main(args))
    assert "contact.lithium.results" in line and "lithium_law" in line


def test_corrupt_sweep_files(tmp_path, capsys):
    from tests.batch.test_sweep import SWEEP

    case = write_case(tmp_path, SWEEP)
    out = tmp_path / "sw"
    assert main(["sweep", str(case), "-o", str(out), "--quiet"]) == 0
    capsys.readouterr()
    row = out / "cases" / "000002" / "row.json"
    good = row.read_text()
    row.write_text(good[: len(good) // 2])  # truncated row: status counts it pending
    assert main(["status", str(out)]) == 0
    assert "1 pending" in capsys.readouterr().out
    assert main(["sweep", str(case), "-o", str(out), "--quiet"]) == 0  # recomputed
    assert json.loads(row.read_text())["status"] == "ok"
    row.write_text(json.dumps({"case_id": 2}))  # a row without its keys: same
    assert main(["sweep", str(case), "-o", str(out), "--quiet"]) == 0
    capsys.readouterr()
    (out / "sweep.json").write_text("{not json")
    line = _one_line(capsys, main(["status", str(out)]))
    assert "sweep.json is corrupt" in line
    line = _one_line(capsys, main(["sweep", str(case), "-o", str(out), "--quiet"]))
    assert "sweep.json is corrupt" in line


def test_force_on_current_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = _one_line(capsys, main(["run", STACK, "-o", ".", "--force", "--smoke"]))
    assert "current folder" in line


def test_non_utf8_argv():
    for args in (["check", "x\udcff.toml"], ["run", STACK, "-o", "out\udcff", "--smoke"]):
        proc = subprocess.run([sys.executable, "-m", "interface",
                               *[a.encode("utf-8", "surrogateescape") for a in args]],
                              capture_output=True, cwd=ROOT, timeout=60, check=False)
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 2, err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "not valid UTF-8" in err


# --------------------------------------------------------------------- 10: the right key
def test_circular_rve_stack_case(tmp_path, capsys):
    text = RVE.read_text()
    write_case(tmp_path, text.replace('case = "stack_nmc811_lpscl_li.toml"', 'case = "B.toml"'),
               "A.toml")
    write_case(tmp_path, text.replace('case = "stack_nmc811_lpscl_li.toml"', 'case = "A.toml"'),
               "B.toml")
    line = _one_line(capsys, main(["check", str(tmp_path / "A.toml")]))
    assert "rve.stack.case" in line and "B.toml" in line and "box_size" not in line


def test_rve_stack_case_is_an_h5(tmp_path, capsys):
    (tmp_path / "x.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(200))
    write_case(tmp_path, RVE.read_text().replace('case = "stack_nmc811_lpscl_li.toml"',
                                                 'case = "x.h5"'), "A.toml")
    line = _one_line(capsys, main(["check", str(tmp_path / "A.toml")]))
    assert "rve.stack.case" in line and "x.h5" in line


def test_tradeoff_pressure_max_named(capsys):
    line = _one_line(capsys, main(["check", TRADEOFF, "--set",
                                   "tradeoff.pressure_max=1e30 MPa"]))
    assert "tradeoff.pressure_max" in line and "interface_improvements" not in line


# ---------------------------------------------------------------- 11: check and overrides
def test_check_validates_sweep_axes(tmp_path, capsys):
    from tests.batch.test_sweep import SWEEP

    bad = write_case(tmp_path, SWEEP.replace('key = "fixture.preload"',
                                             'key = "fixture.prelod"'))
    line = _one_line(capsys, main(["check", str(bad)]))
    assert "sweep.axes[0]" in line
    good = write_case(tmp_path, SWEEP, "good.toml")
    assert main(["check", str(good)]) == 0
    assert "sweep of 6 cases" in capsys.readouterr().out


@pytest.mark.parametrize("overrides", [["fixture.preload=2 MPa"], "fixture.preload=2 MPa",
                                       {1: "x"}, ("a", "b")])
def test_overrides_from_python_must_be_a_mapping(tmp_path, overrides):
    with pytest.raises(InputError) as exc:
        interface.load_case(write_case(tmp_path, MINIMAL), overrides=overrides)
    assert "overrides" in str(exc.value)


# ------------------------------------------------ 12: numerical failure is exit 1, not 2
def test_lithium_model_numerical_failure_exits_1(tmp_path):
    text = LITHIUM.read_text().replace('material = "Li"', 'material = "soft"') + """
[materials.soft]
youngs_modulus = "1 kPa"
poisson_ratio = 0.42
density = "0.534 g/cm^3"
yield_stress = "0.8 MPa"
[materials.soft.creep]
coefficient = 3.9e-42
exponent = 6.56
"""
    case = write_case(tmp_path, text)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "interface", "run", str(case), "--smoke",
                           "-o", str(out), "--quiet", "--no-figures"], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert "fitting the fast law" in proc.stderr  # the step and the reason
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "failed"


def test_negative_pybamm_radius_refused(capsys):
    line = _one_line(capsys, main(["check", str(CASES / "electrochem_pressure.toml"), "--set",
                                   "electrochem.pybamm.Positive particle radius [m]=-4 um"]))
    assert "Positive particle radius" in line and "> 0" in line


# ------------------------------------------------------ issue 22: a pipe closed early
def test_dry_run_into_a_closed_pipe_is_quiet(tmp_path):
    """`ssbi sweep --dry-run | head` ended with a BrokenPipeError traceback."""
    from tests.batch.test_sweep import SWEEP

    many = ", ".join(f'"{1 + i / 100:.2f} MPa"' for i in range(2000))
    case = write_case(tmp_path, SWEEP.replace('values = ["1 MPa", "3 MPa"]', f"values = [{many}]"))
    proc = subprocess.Popen([sys.executable, "-m", "interface", "sweep", str(case), "-o",
                             str(tmp_path / "x"), "--dry-run"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(timeout=60)
    assert first.strip().startswith(b"0")
    assert err == "", err
    assert proc.returncode == 141
