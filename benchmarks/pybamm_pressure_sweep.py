"""50 stack pressures with ONE built PyBaMM model vs rebuilding a Simulation per pressure.

Built once (the adapter): the stack pressure is an input parameter; the model
is discretised once, the IDAKLU solver is set up at the first solve and reused;
the pressures go to the solver in batches of input sets (one call per batch, no
per-solve Python set-up), and the solver computes only the output variables
(capacity, energy, voltage, contact fraction, stoichiometry).  One call per
pressure is timed too.

Rebuilt (what a user without the adapter does): for every pressure, new
ParameterValues with the contact state at that pressure as numbers, a new
``pybamm.Simulation``, build, solve, read capacity, energy and voltage.  Same
model options, mesh, tolerances (including the tight tolerance of the capacity
and energy counters) and contact state: the two paths give the same numbers to
solver tolerance (printed).  The unparameterised model object is created once and
reused, which favours the rebuild path; the cost of re-creating it is printed.
A third path, rebuilt with the same restricted output variables as ours, shows
how much of the gain is the build-once design rather than the output restriction.

The paths are interleaved pressure by pressure so both see the same machine
load.  The machine is shared: the ratio is computed on process CPU time, wall
time is printed too.

    .venv/bin/python benchmarks/pybamm_pressure_sweep.py [--pressures 50] [--c-rate 0.5]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

import numpy as np  # noqa: E402

from interface.case import load_case  # noqa: E402
from interface.models import electrochem as model  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLOCK = 5  # pressures per solver batch of the built-once path


def timed(fn):
    """(result, process CPU s, wall s) of fn()."""
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c0, time.perf_counter() - w0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pressures", type=int, default=50)
    ap.add_argument("--c-rate", type=float, default=0.5)
    args = ap.parse_args()

    from interface.electrochem import protocols
    from interface.electrochem.cell import make_model
    from interface.electrochem.reference import rebuilt_discharge

    pressures = np.geomspace(0.5e6, 200e6, args.pressures)
    case = load_case(os.path.join(ROOT, "cases", "electrochem_pressure.toml"))
    s = model.settings(case)
    load0 = os.getloadavg()[0]

    (cell, b_cpu, b_wall) = timed(lambda: model.build_cell(
        s, case, pressures=tuple(pressures)))  # the swept pressures are exact table nodes
    _, f_cpu, f_wall = timed(lambda: protocols.discharge(cell, pressures[0], args.c_rate))
    plain_model = make_model(s.design, case.electrochem.model)
    outputs = [v for v in cell.output_variables if v in plain_model.variables]

    q_once, q_reb, e_once, e_reb = [], [], [], []
    tot = {k: [0.0, 0.0] for k in ("once", "once_single", "rebuilt", "rebuilt_outputs")}

    def add(key, c, w):
        tot[key][0] += c
        tot[key][1] += w

    for k in range(0, len(pressures), BLOCK):  # interleaved in blocks: same machine load
        block = pressures[k:k + BLOCK]
        recs, c, w = timed(lambda b=block: protocols.discharges(cell, b, args.c_rate))
        add("once", c, w)
        q_once += [r.capacity for r in recs]
        e_once += [r.energy for r in recs]
        _, c, w = timed(lambda b=block: [protocols.discharge(cell, p, args.c_rate) for p in b])
        add("once_single", c, w)
        for p in block:
            r, c, w = timed(lambda p=p: rebuilt_discharge(cell, p, args.c_rate,
                                                          model=plain_model))
            add("rebuilt", c, w)
            q_reb.append(r["capacity"])
            e_reb.append(r["energy"])
            _, c, w = timed(lambda p=p: rebuilt_discharge(cell, p, args.c_rate,
                                                          model=plain_model,
                                                          output_variables=outputs))
            add("rebuilt_outputs", c, w)
    _, mk_cpu, _ = timed(lambda: [make_model(s.design, case.electrochem.model)
                                  for _ in range(5)])
    mk_cpu /= 5
    n = len(pressures)
    per = {k: (v[0] / n, v[1] / n) for k, v in tot.items()}
    load1 = os.getloadavg()[0]
    dq = float(np.max(np.abs(np.array(q_once) - q_reb) / np.array(q_reb)))
    de = float(np.max(np.abs(np.array(e_once) - e_reb) / np.array(e_reb)))
    ratio = per["rebuilt"][0] / per["once"][0]

    print(f"{n} stack pressures {pressures[0] / 1e6:.3g}..{pressures[-1] / 1e6:.3g} MPa, "
          f"{args.c_rate:g}C discharge, {case.electrochem.model} {cell.var_pts}, rtol "
          f"{cell.rtol:g}, atol {cell.atol:g}; load average {load0:.2f} -> {load1:.2f} on "
          f"{os.cpu_count()} cores")
    print(f"built once: build {b_cpu:.3f} s CPU ({b_wall:.3f} s wall); first solve incl. "
          f"IDAKLU set-up {f_cpu:.3f} s CPU")
    print(f"capacity {min(q_once) / 3.6:.4f}..{max(q_once) / 3.6:.4f} mAh; built once vs "
          f"rebuilt: max rel. difference capacity {dq:.2e}, energy {de:.2e}")
    for k, label in (("once", "built once (batches of 5)"),
                     ("once_single", "built once, one call each"),
                     ("rebuilt", "rebuilt per pressure"),
                     ("rebuilt_outputs", "rebuilt, restricted outputs")):
        print(f"per solve, {label:28s}: {per[k][0] * 1e3:7.2f} ms CPU, {per[k][1] * 1e3:7.2f} ms "
              "wall")
    print(f"re-creating the model object as well would add {mk_cpu * 1e3:.1f} ms CPU per "
          f"pressure (ratio {(per['rebuilt'][0] + mk_cpu) / per['once'][0]:.1f} x)")
    print(f"wall-clock ratio {per['rebuilt'][1] / per['once'][1]:.1f} x; vs rebuilt with "
          f"restricted outputs {per['rebuilt_outputs'][0] / per['once'][0]:.1f} x CPU")
    amortised = (per["once"][0] * n + b_cpu + f_cpu) / n
    print(f"including the one-off build and set-up over {n} pressures: {amortised * 1e3:.2f} ms "
          f"CPU per pressure ({per['rebuilt'][0] / amortised:.1f} x)")
    print(f"RESULT time_per_solve_built_once = {per['once'][0]:.4f} s (target <= 0.05)")
    print(f"RESULT time_per_solve_rebuilt = {per['rebuilt'][0]:.4f} s "
          f"(target > {per['once'][0]:.4f})")
    print(f"RESULT max_rel_capacity_difference_once_vs_rebuilt = {dq:.2e} (target <= 1e-6)")
    print(f"RESULT speedup_built_once_vs_rebuilt = {ratio:.1f} x (target >= 10)")


if __name__ == "__main__":
    main()
