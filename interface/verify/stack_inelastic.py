"""Benchmarks of the stack with creeping, porous and lifting-off layers (docs/validation.md).

* Norton layer (uniaxial creep) held in a rigid gap: sigma(t) = [sigma0^(1-n) + (n-1) M A
  t]^(1/(1-n)), and the first-order convergence of backward Euler towards it (1D column;
  3D FE with free lateral faces, where M = E);
* a creeping layer under constant load creeps at eps_dot = A sigma^n;
* a layer squeezed between sticking plates at n = 1 obeys Stefan's law
  eps_dot = 2 P h^2 / (3 mu R^2);
* lift-off of an elastic stack that shrinks in a fixture of compliance C_f: the pressure
  P0 + sum(h e) / (sum(h/M) + C_f) while positive, then zero pressure and the gap
  -(sum(h e) + P0 sum(h/M) + C_f P0) (1D column; FE stack model in 1D, 2D, 3D).
"""

from __future__ import annotations

import math

import numpy as np

from interface.verify import Row, benchmark

SRC_NORTON = "closed form: d sigma/dt = -M A sigma^n (docs/theory/stack.md)"


def _norton_layer(coefficient: float, n: float, modulus: float):
    from interface.mechanics.column import ColumnLayer, MetalFlow

    flow = MetalFlow(coefficient, n, yield_stress=1e12, radius=1.0, interface="slip")
    return ColumnLayer("metal", 50e-6, modulus, lambda soc: 0.0, metal=flow)


def _relax(steps: int, sigma0: float, modulus: float, coefficient: float, n: float,
           duration: float) -> tuple[np.ndarray, np.ndarray]:
    from interface.mechanics.column import Column

    col = Column([_norton_layer(coefficient, n, modulus)], 0.0, sigma0)
    times = np.linspace(0.0, duration, steps + 1)
    p = [col.step(0.0, times[k] - times[k - 1]).pressure for k in range(1, steps + 1)]
    return times[1:], np.array(p)


@benchmark("column.norton_relaxation", "Norton layer in a rigid gap: pressure relaxation",
           SRC_NORTON)
def norton_relaxation(comm) -> list[Row]:
    """Relaxation over ~3 relaxation times; backward Euler error and its order."""
    from interface.mechanics.column import norton_relaxation as closed

    del comm
    sigma0, modulus, n = 2.0e6, 10.0e9, 6.56
    coefficient = 4.0e-42
    tau = 1.0 / ((n - 1.0) * modulus * coefficient * sigma0 ** (n - 1.0))
    duration = 20.0 * tau
    errors = []
    for steps in (400, 800):
        t, p = _relax(steps, sigma0, modulus, coefficient, n, duration)
        errors.append(float(np.max(np.abs(p - closed(sigma0, modulus, coefficient, n, t))
                                    / sigma0)))
    t, p = _relax(3200, sigma0, modulus, coefficient, n, duration)
    ref = float(closed(sigma0, modulus, coefficient, n, duration))
    order = math.log(errors[0] / errors[1], 2.0)
    return [Row("column.norton_relaxation", "pressure after 20 tau [Pa]", ref, float(p[-1]),
                5e-3, SRC_NORTON),
            Row("column.norton_relaxation", "backward Euler order (dt halved)", 1.0, order,
                0.1, "first-order time integration")]


@benchmark("column.constant_load_creep", "creeping layer under constant load: A sigma^n",
           "Norton law")
def constant_load_creep(comm) -> list[Row]:
    """A layer in a nearly constant-load fixture creeps at A sigma^n."""
    from interface.mechanics.column import Column

    del comm
    coefficient, n, p0 = 4.0e-42, 6.56, 0.5e6
    col = Column([_norton_layer(coefficient, n, 8e9)], 1e6, p0)  # C_f huge: constant load
    s1 = col.step(0.0, 10.0)
    s2 = col.step(0.0, 10.0)
    rate = -(s2.layer_inelastic[0] - s1.layer_inelastic[0]) / 10.0
    return [Row("column.constant_load_creep", "thinning rate at 0.5 MPa [1/s]",
                coefficient * s2.pressure ** n, rate, 1e-9, "A sigma^n")]


@benchmark("column.squeeze_stefan", "metal layer squeezed between sticking plates, n = 1",
           "Stefan's law")
def squeeze_stefan(comm) -> list[Row]:
    """At n = 1 the power-law squeeze film of the column is Stefan's law."""
    from interface.mechanics.column import MetalFlow

    del comm
    a, h, r, p = 1e-9, 20e-6, 5e-3, 2e6
    flow = MetalFlow(a, 1.0, 1e12, r, "stick")
    mu = 1.0 / (3.0 * a)  # gamma_dot = K tau with K = sqrt(3)^2 A
    ref = 2.0 * p * h ** 2 / (3.0 * mu * r ** 2)
    return [Row("column.squeeze_stefan", "thinning rate [1/s]", ref, flow.creep_rate(p, h),
                1e-12, "Stefan (1874): F = 3 pi mu R^4 (-h_dot) / (2 h^3)")]


@benchmark("column.lift_off", "elastic stack shrinking in a fixture: pressure and lift-off gap",
           "closed form")
def lift_off(comm) -> list[Row]:
    """Two elastic layers shrink; below zero pressure the stack lifts off the plates."""
    from interface.mechanics.column import Column, ColumnLayer

    del comm
    spec = [(40e-6, 30e9, -0.004), (80e-6, 12e9, -0.010)]
    layers = [ColumnLayer(f"l{i}", h, m, lambda soc, e=e: e * soc)
              for i, (h, m, e) in enumerate(spec)]
    p0, cf = 0.6e6, 5e-13
    rows = []
    for soc in (0.3, 1.0):
        col = Column(layers, cf, p0)
        st = col.step(soc, 1.0)
        shrink = sum(h * e * soc for h, _, e in spec)
        comp = sum(h / m for h, m, _ in spec)
        p_ref = p0 + shrink / (comp + cf)
        if p_ref > 0:
            rows.append(Row("column.lift_off", f"pressure at SOC {soc} [Pa]", p_ref,
                            st.pressure, 1e-9, "P0 + sum(h e) / (sum(h/M) + C_f)"))
        else:
            gap = -(shrink + p0 * comp + cf * p0)
            rows.append(Row("column.lift_off", f"lift-off gap at SOC {soc} [m]", gap, st.gap,
                            1e-9, "-(sum(h e) + P0 sum(h/M) + C_f P0)"))
            rows.append(Row("column.lift_off", f"pressure after lift-off (SOC {soc}) [Pa]",
                            0.0, st.pressure, 1e-12, "no tension at the plates"))
    return rows




@benchmark("stack_fe.norton_relaxation", "3D FE stack: a creeping layer in a rigid gap",
           SRC_NORTON)
def fe_norton_relaxation(comm) -> list[Row]:
    """Uniaxial stress relaxation of a free-sided Norton layer: FE vs closed form, order."""
    from interface.mechanics.stack_inelastic import (
        FELayer,
        InelasticStackProblem,
        norton_relaxation_uniaxial,
    )
    from interface.mechanics.viscoplastic import LithiumMaterial

    a, n, e, s0 = 4e-39, 6.56, 7.82e9, 0.3e6
    law = LithiumMaterial(E=e, nu=0.381, A_ref=a, n=n, Q=0.0, plastic=False)
    tau = 1.0 / ((n - 1.0) * e * a * s0 ** (n - 1.0))
    errs, last = [], None
    for steps in (40, 80):
        pb = InelasticStackProblem(comm, [FELayer("li", 50e-6, law, lambda soc: np.zeros(3))],
                                   dim=3, compliance=0.0, preload=s0, width=100e-6,
                                   depth=100e-6, cells_per_layer=2, lateral_cells=2,
                                   lateral_bc="free")
        pb.assemble()
        ts = np.linspace(0.0, 5.0 * tau, steps + 1)
        p = np.array([pb.step(0.0, ts[k] - ts[k - 1]).pressure for k in range(1, steps + 1)])
        pb.destroy()
        ref = norton_relaxation_uniaxial(s0, e, a, n, ts[1:])
        errs.append(float(np.max(np.abs(p - ref)) / s0))
        last = (float(p[-1]), float(ref[-1]))
    return [Row("stack_fe.norton_relaxation", "pressure after 5 tau, 80 steps [Pa]", last[1],
                last[0], 5e-3, SRC_NORTON),
            Row("stack_fe.norton_relaxation", "backward Euler order (dt halved)", 1.0,
                math.log(errs[0] / errs[1], 2.0), 0.15, "first-order time integration")]


@benchmark("stack_fe.lift_off", "FE stack (1D, 2D, 3D): lift-off of a shrinking elastic stack",
           "closed form")
def fe_lift_off(comm) -> list[Row]:
    """The linear FE stack model lifts off instead of pulling: pressure 0 and the gap."""
    from interface.mechanics.laminate import Laminate, LayerModel
    from interface.mechanics.stack import StackProblem

    spec = [(40e-6, 30e9, 0.3, -0.004), (80e-6, 12e9, 0.25, -0.010)]
    layers = [LayerModel(name=f"l{i}", base_name=f"l{i}", unit_index=0, kind="solid",
                         thickness=h, youngs_modulus=e, poisson_ratio=nu, density=1000.0,
                         thermal_expansion=0.0,
                         eigenstrain=lambda soc, es=es: np.full(3, es * soc))
              for i, (h, e, nu, es) in enumerate(spec)]
    lam = Laminate(layers=tuple(layers), reference_soc=0.0, temperature_change=0.0)
    p0, kf = 0.6e6, 2e12
    cf = 1.0 / kf

    def oed(e, nu):
        return e * (1 - nu) / ((1 + nu) * (1 - 2 * nu))

    comp = sum(h / oed(e, nu) for h, e, nu, _ in spec)
    rows = []
    for dim in (1, 2, 3):
        pb = StackProblem(comm, lam, dim=dim, cells_per_layer=2, lateral_cells=2, width=1e-3,
                          depth=1e-3, fixture_type="elastic", preload=p0,
                          fixture_areal_stiffness=kf, lateral_bc="constrained")
        st = pb.solve(1.0)
        pb.destroy()
        grow = sum(h * es * (1 + nu) / (1 - nu) for h, _, nu, es in spec)
        gap = -(grow + p0 * comp + cf * p0)
        rows += [Row("stack_fe.lift_off", f"gap after lift-off, {dim}D [m]", gap, st.gap, 1e-7,
                     "-(sum(h e_zz) + P0 sum(h/M) + C_f P0)"),
                 Row("stack_fe.lift_off", f"pressure after lift-off, {dim}D [Pa]", 0.0,
                     st.stack_pressure, 1e-9, "no tension at the plates")]
    return rows
