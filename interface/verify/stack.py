"""Stack-model benchmarks: laminate in a fixture, free swelling, film on a rigid substrate.

References (docs/validation.md):

* laterally constrained laminate between plates of compliance C_f:
  dP = sum(h_i e_zz,i) / (sum(h_i / M_i) + C_f), e_zz = e* (1 + nu) / (1 - nu)
  for an isotropic eigenstrain e*, M = E (1 - nu) / ((1 + nu)(1 - 2 nu));
* free swelling at constant load: dh = sum(h_i e_zz,i);
* film on a rigid substrate (biaxially constrained, free surface):
  sigma_inplane = -E e* / (1 - nu).

The closed forms are evaluated here from first principles (E, nu, e* of each
layer), independently of :class:`~interface.mechanics.laminate.Laminate`.
"""

from __future__ import annotations

import numpy as np

from interface.verify import Row, benchmark

SRC_LAMINATE = "closed form, laterally constrained laminate (docs/theory/stack.md)"


def _layers():
    """Three isotropic layers with different E, nu, eigenstrain (swelling and shrinking)."""
    from interface.mechanics.laminate import LayerModel

    spec = [("a", 20e-6, 70e9, 0.33, 0.0), ("b", 60e-6, 30e9, 0.25, -0.006),
            ("c", 30e-6, 8e9, 0.38, 0.02)]
    layers = []
    for name, h, e, nu, es in spec:
        layers.append(LayerModel(name=name, base_name=name, unit_index=0, kind="solid",
                                 thickness=h, youngs_modulus=e, poisson_ratio=nu, density=1000.0,
                                 thermal_expansion=0.0,
                                 eigenstrain=lambda soc, es=es: np.full(3, es * soc)))
    return spec, layers


def _closed_form(spec, soc: float, compliance: float) -> tuple[float, float]:
    """(pressure change Pa, free thickness change m) from E, nu, e* directly."""
    num, den = 0.0, 0.0
    for _, h, e, nu, es in spec:
        ezz = es * soc * (1 + nu) / (1 - nu)
        m = e * (1 - nu) / ((1 + nu) * (1 - 2 * nu))
        num += h * ezz
        den += h / m
    return num / (den + compliance), num


def _problem(comm, layers, dim, **kw):
    from interface.mechanics.laminate import Laminate
    from interface.mechanics.stack import StackProblem

    lam = Laminate(layers=tuple(layers), reference_soc=0.0, temperature_change=0.0)
    return StackProblem(comm, lam, dim=dim, cells_per_layer=2, lateral_cells=3, width=1e-3,
                        depth=1e-3, **kw)


def _fixture_rows(comm, name: str, areal_stiffness: float | None) -> list[Row]:
    spec, layers = _layers()
    rows = []
    p0 = 2e6
    for dim in (1, 2, 3):
        ftype = "fixed_gap" if areal_stiffness is None else "elastic"
        prob = _problem(comm, layers, dim, fixture_type=ftype, preload=p0,
                        fixture_areal_stiffness=areal_stiffness)
        state = prob.solve(1.0)
        prob.destroy()
        cf = 0.0 if areal_stiffness is None else 1.0 / areal_stiffness
        dp, _ = _closed_form(spec, 1.0, cf)
        rows.append(Row(name, f"pressure change {dim}D [Pa]", dp, state.stack_pressure - p0,
                        5e-3, SRC_LAMINATE))
    return rows


@benchmark("stack.laminate_rigid_fixture", "laminate between rigid plates: pressure change",
           SRC_LAMINATE)
def laminate_rigid(comm) -> list[Row]:
    """Fixed gap (C_f = 0)."""
    return _fixture_rows(comm, "stack.laminate_rigid_fixture", None)


@benchmark("stack.laminate_stiff_fixture", "laminate, stiff fixture (k/A = 5 MPa/um)",
           SRC_LAMINATE)
def laminate_stiff(comm) -> list[Row]:
    """A stiff elastic fixture."""
    return _fixture_rows(comm, "stack.laminate_stiff_fixture", 5e12)


@benchmark("stack.laminate_compliant_fixture", "laminate, compliant fixture (k/A = 0.01 MPa/um)",
           SRC_LAMINATE)
def laminate_compliant(comm) -> list[Row]:
    """A compliant elastic fixture (C_f dominates the stack compliance)."""
    return _fixture_rows(comm, "stack.laminate_compliant_fixture", 1e10)


@benchmark("stack.free_swelling", "constant load: thickness change = sum h e_zz", SRC_LAMINATE)
def free_swelling(comm) -> list[Row]:
    """Spring jig: the pressure stays at the preload and the stack swells freely."""
    spec, layers = _layers()
    rows = []
    for dim in (1, 2, 3):
        prob = _problem(comm, layers, dim, fixture_type="spring", preload=1e6)
        state = prob.solve(0.7)
        prob.destroy()
        _, dh = _closed_form(spec, 0.7, 0.0)
        rows.append(Row("stack.free_swelling", f"thickness change {dim}D [m]", dh,
                        state.thickness_change, 5e-3, SRC_LAMINATE))
    return rows


@benchmark("stack.film_on_rigid_substrate", "biaxial film stress -E e*/(1-nu)",
           "thin film on a rigid substrate (e.g. Freund & Suresh, Thin Film Materials, 2003)")
def film_on_substrate(comm) -> list[Row]:
    """One swelling layer, laterally constrained, traction-free top (spring, zero load)."""
    from interface.mechanics.laminate import LayerModel

    e_mod, nu, es = 22e9, 0.3, 0.004
    layer = LayerModel(name="film", base_name="film", unit_index=0, kind="solid",
                       thickness=5e-6, youngs_modulus=e_mod, poisson_ratio=nu, density=1.0,
                       thermal_expansion=0.0, eigenstrain=lambda soc: np.full(3, es * soc))
    rows = []
    for dim in (2, 3):
        prob = _problem(comm, [layer], dim, fixture_type="spring", preload=0.0)
        state = prob.solve(1.0)
        prob.destroy()
        rows.append(Row("stack.film_on_rigid_substrate", f"in-plane stress {dim}D [Pa]",
                        -e_mod * es / (1 - nu), float(state.layer_stress_inplane[0]), 5e-3,
                        "sigma = -E e*/(1 - nu)"))
    return rows


def fixture_compliance_study(comm, n: int = 13) -> dict:
    """Pressure change at SOC 1 over fixture stiffnesses: FE (1D, 3D) vs the closed form."""
    spec, layers = _layers()
    stiffness = np.logspace(9, 15, n)  # Pa/m
    out = {"areal_stiffness_Pa_per_m": stiffness, "closed_form_Pa": [], "fe_1d_Pa": [],
           "fe_3d_Pa": []}
    for k in stiffness:
        out["closed_form_Pa"].append(_closed_form(spec, 1.0, 1.0 / k)[0])
        for dim in (1, 3):
            prob = _problem(comm, layers, dim, fixture_type="elastic", preload=0.0,
                            fixture_areal_stiffness=k)
            out[f"fe_{dim}d_Pa"].append(prob.solve(1.0).stack_pressure)
            prob.destroy()
    return {key: np.asarray(v) for key, v in out.items()}
