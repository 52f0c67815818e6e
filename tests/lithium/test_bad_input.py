"""Bad Li-interface input: `ssbi check` exits 2 with one line naming the key."""

import pytest

from interface.cli import main
from tests.conftest import CASES, write_case

CASE = str(CASES / "lithium_interface.toml")


def _one_line(capsys, rc):
    out = capsys.readouterr()
    assert rc == 2, out.err
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in out.err, out.err
    return lines[0]


@pytest.mark.parametrize("override, key, fragment", [
    ("lithium.surface.rms=-0.2 um", "lithium.surface.rms", "must be > 0"),
    ("lithium.surface.rms=0 um", "lithium.surface.rms", "must be > 0"),
    ("lithium.surface.hurst=1.2", "lithium.surface.hurst", "must be < 1"),
    ("lithium.surface.hurst=0", "lithium.surface.hurst", "must be > 0"),
    ("lithium.time_step=2 h", "lithium.time_step", "larger than hold_time"),
    ("lithium.activation_energy=37000", "lithium.activation_energy", ""),
    ("lithium.hold_time=3600", "lithium.hold_time", ""),
    ("lithium.pressures=[\"1 MPa\", \"0.5 MPa\"]", "lithium.pressures[1]", "increasing"),
    ("lithium.output_times=[\"1 s\", \"2 h\"]", "lithium.output_times[1]", "after hold_time"),
    ("lithium.surface.kind=csv", "lithium.surface.file", "needs file"),
    ("lithium.material=unobtainium", "lithium.material", ""),
    ("mesh.dimension=1", "mesh.dimension", "2D"),
    ("mesh.degree=1", "mesh.degree", "P2"),
])
def test_check_exits_2_naming_the_key(capsys, override, key, fragment):
    line = _one_line(capsys, main(["check", CASE, "--set", override]))
    assert key in line and fragment in line, line


def test_creep_parameters_without_units(capsys, tmp_path):
    text = (CASES / "lithium_interface.toml").read_text() + (
        '\n[materials.Li_user]\nyoungs_modulus = "7.8 GPa"\npoisson_ratio = 0.38\n'
        'density = "534 kg/m^3"\nyield_stress = "0.8 MPa"\n'
        '[materials.Li_user.creep]\ncoefficient = 3.9e-42\nexponent = 6.56\n'
        'activation_energy = 37000\n')
    text = text.replace('material = "Li"', 'material = "Li_user"')
    line = _one_line(capsys, main(["check", str(write_case(tmp_path, text))]))
    assert "materials.Li_user.creep.activation_energy" in line, line


def test_csv_profile_problems(capsys, tmp_path):
    (tmp_path / "short.csv").write_text("x,h\n0,0\n1,0.1\n")
    text = (CASES / "lithium_interface.toml").read_text().replace(
        'kind = "self_affine"', 'kind = "csv"\nfile = "short.csv"')
    line = _one_line(capsys, main(["check", str(write_case(tmp_path, text))]))
    assert "lithium.surface.file" in line and "at least 8" in line, line
