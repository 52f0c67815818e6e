"""The creep-test model reproduces the Norton law it integrates and its temperature shift."""

import numpy as np
import pytest

from interface import load_case, run
from tests.conftest import CASES

CASE = CASES / "li_creep_test.toml"


def test_steady_rate_is_norton_below_yield():
    r = run(load_case(CASE), figures=False, fields=False)
    c = r.tables["creep"]
    np.testing.assert_allclose(c["strain_rate_per_s"], c["norton_strain_rate_per_s"],
                               rtol=1e-8)
    slope = np.polyfit(np.log(c["stress_Pa"]), np.log(c["strain_rate_per_s"]), 1)[0]
    assert slope == pytest.approx(r.summary["creep_exponent"], rel=1e-6)


def test_arrhenius_shift():
    cold = run(load_case(CASE), figures=False, fields=False)
    hot = run(load_case(CASE, overrides={"creep_test.temperature": "60 degC"}), figures=False,
              fields=False)
    q = cold.summary["activation_energy_J_per_mol"]
    ratio = hot.tables["creep"]["strain_rate_per_s"] / cold.tables["creep"]["strain_rate_per_s"]
    expected = np.exp(-q / 8.314462618 * (1 / 333.15 - 1 / 298.15))
    np.testing.assert_allclose(ratio, expected, rtol=1e-6)
