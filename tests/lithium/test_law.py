"""The fast Li contact law: refit from the shipped FE sweep, errors, range checks."""

import numpy as np
import pytest

from interface.errors import InputError
from interface.mechanics.contact_laws import FittedLithiumLaw, LithiumContactLaw
from interface.mechanics.lithium_law import fit_law, read_sweep_csv
from tests.conftest import ROOT

SWEEP = ROOT / "docs" / "studies" / "lithium_sweep_2d.csv"


def test_default_coefficients_are_the_fit_of_the_shipped_sweep():
    d = read_sweep_csv(SWEEP)
    rep = fit_law(d["fit"], d["heldout"], activation_energy=37e3, reference_temperature=298.0)
    law = FittedLithiumLaw()
    for k in ("coefficient", "pressure_exponent", "time_exponent", "roughness_exponent"):
        assert getattr(rep.law, k) == pytest.approx(getattr(law, k), rel=2e-3), k
    assert rep.law.pressure_range == law.pressure_range
    assert rep.law.time_range == law.time_range
    assert rep.law.temperature_range == law.temperature_range
    assert rep.n_fit == 240 and rep.n_heldout == 40
    # the errors quoted in docs/theory/lithium.md (absolute contact fraction)
    assert rep.rms_error_fit == pytest.approx(0.0383, abs=5e-4)
    assert rep.rms_error_heldout == pytest.approx(0.0309, abs=5e-4)
    assert rep.max_error_heldout < 0.1


def test_fitted_law_contract_and_monotonicity():
    law = FittedLithiumLaw()
    assert isinstance(law, LithiumContactLaw)
    p = np.linspace(0.1e6, 2e6, 20)
    f = law.contact_fraction(p, 3600.0, 298.15)
    assert np.all(np.diff(f) > 0) and np.all((f >= 0) & (f <= 1))
    t = np.geomspace(0.01, 3600, 10)
    assert np.all(np.diff(law.contact_fraction(0.5e6, t)) > 0)
    assert law.contact_fraction(0.5e6, 600, 333.0) > law.contact_fraction(0.5e6, 600, 273.0)
    p_req = law.pressure_for(0.6, 3600.0, 298.15)
    assert law.contact_fraction(p_req, 3600.0, 298.15) == pytest.approx(0.6, rel=1e-9)


@pytest.mark.parametrize("kw", [dict(pressure=5e6), dict(pressure=1e6, time=7200.0),
                                dict(pressure=1e6, temperature=400.0)])
def test_fitted_law_refuses_outside_its_range(kw):
    with pytest.raises(InputError, match="outside"):
        FittedLithiumLaw().contact_fraction(**kw)


def test_fitted_law_roughness_range():
    with pytest.raises(InputError, match="roughness"):
        FittedLithiumLaw(roughness=2e-6)
