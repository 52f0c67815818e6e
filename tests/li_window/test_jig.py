"""Pellet cells in lab jigs: variants, fixtures, lift-off, creep relaxation."""

import numpy as np
import pytest

from interface import load_case, run
from interface.case.jig import VARIANTS
from interface.cli import main
from tests.conftest import CASES

CASE = CASES / "jig_pellet_cell.toml"


def _run(**overrides):
    return run(load_case(CASE, overrides=overrides, smoke=True), figures=False, fields=False)


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_fixed_gap_swing_above_spring(variant):
    fixed = _run(**{"cell.variant": variant})
    spring = _run(**{"cell.variant": variant, "jig.type": "spring"})
    for r in (fixed, spring):
        assert r.ok and r.summary["stack_pressure_swing_Pa"] >= 0
        assert r.summary["stack_pressure_min_Pa"] >= 0
    assert fixed.summary["stack_pressure_swing_Pa"] > 10 * spring.summary[
        "stack_pressure_swing_Pa"]


def test_growing_anodes_swing_more_than_lto():
    lto = _run(**{"cell.variant": "lto_lpscl_nmc811"}).summary["stack_pressure_swing_Pa"]
    for v in ("graphite_lpscl_nmc811", "in_lpscl_nmc811", "li_lpscl_nmc811"):
        assert _run(**{"cell.variant": v}).summary["stack_pressure_swing_Pa"] > lto


def test_stiffer_frame_swings_more():
    soft = _run(**{"jig.frame_stiffness": "1e7 N/m"}).summary["stack_pressure_swing_Pa"]
    stiff = _run(**{"jig.frame_stiffness": "1e8 N/m"}).summary["stack_pressure_swing_Pa"]
    assert stiff > 2 * soft


def test_lift_off_at_low_preload():
    """An LTO cell shrinks on charge (NMC811): at a tiny preload it lifts off the stamps."""
    r = _run(**{"cell.variant": "lto_lpscl_nmc811", "cell.stack_pressure": "0.05 MPa"})
    assert r.summary["lift_off"] is True and r.summary["gap_max_m"] > 0
    assert r.summary["stack_pressure_min_Pa"] == 0.0
    h = r.tables["history"]
    assert np.all(h["stack_pressure_Pa"][h["lift_off"] > 0] == 0.0)


def test_slip_lets_lithium_relax_the_pressure():
    stick = _run(**{"cell.variant": "li_lpscl_nmc811", "cell.stack_pressure": "5 MPa"})
    slip = _run(**{"cell.variant": "li_lpscl_nmc811", "cell.stack_pressure": "5 MPa",
                   "jig.metal_interface": "slip"})
    assert slip.summary["stack_pressure_max_Pa"] < stick.summary["stack_pressure_max_Pa"]


@pytest.mark.parametrize("override, key", [
    ("cell.variant=sodium", "cell.variant"),
    ("cell.stack_pressure=500 MPa", "cell.stack_pressure"),
    ("jig.type=vice", "jig.type"),
    ("cell.cycles=0", "cell.cycles"),
])
def test_bad_input_exit_2(capsys, override, key):
    assert main(["check", str(CASE), "--set", override]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and key in err[0]


def test_missing_variant_exit_2(tmp_path, capsys):
    text = CASE.read_text().replace('variant = "graphite_lpscl_nmc811"\n', "")
    p = tmp_path / "jig.toml"
    p.write_text(text)
    assert main(["check", str(p)]) == 2
    assert "cell.variant" in capsys.readouterr().err
