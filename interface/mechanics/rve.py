"""The cathode RVE: boundary conditions, and the contact map over pressure x stoichiometry.

:func:`rve_problem` puts an RVE mesh in a die: rollers on the bottom and (by
default) on the lateral faces, the stack pressure on the top face, on the
matrix (walled RVE: the particles lie inside the box) or on both bodies
(periodic RVE: the faces cut through particles).  :func:`contact_map` evaluates the
interface metrics on a grid of stack pressures x particle eigenstrains with the
problem built once: compiled forms, PETSc objects and the interface topology
are reused and each point starts Newton from the previous converged state
(continuation, boustrophedon order).  For frictionless contact with linear
elasticity the solution is unique (convex penalty energy), so the map does not
depend on the order; with the cohesive law the order is the loading history.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from interface.geometry import particle_tags as T
from interface.mechanics.interface_laws import FrictionlessContact, InterfaceLaw
from interface.mechanics.interface_problem import (
    ContactSolverError,
    DirichletSpec,
    InterfaceProblem,
    PressureSpec,
)

__all__ = ["ContactMap", "contact_map", "contact_path", "rebuild_baseline", "rve_problem",
           "METRICS"]

#: Metric name -> (column name in the contact-map table, unit).
METRICS = {
    "contact_fraction": ("contact_fraction", "1"),
    "isolated_fraction": ("isolated_fraction", "1"),
    "mean_gap": ("mean_gap_m", "m"),
    "max_gap": ("max_gap_m", "m"),
    "peak_pressure": ("peak_interface_normal_stress_Pa", "Pa"),
    "mean_pressure": ("mean_interface_normal_stress_Pa", "Pa"),
    "matrix_max_principal": ("electrolyte_max_principal_stress_Pa", "Pa"),
    "matrix_max_von_mises": ("electrolyte_max_von_mises_stress_Pa", "Pa"),
}


def rve_problem(comm, tagged, particle, matrix, law: InterfaceLaw | None = None, *,
                lateral: str = "rollers", **kwargs) -> InterfaceProblem:
    """Uniaxial compression of an RVE (plane strain or 3D) in a die.

    On a periodic RVE (particles cut by the box faces) the rollers and the
    pressure act on the particle pieces at the faces too (their facets carry
    the side tag + ``PIECE_OFFSET``: a ``ds`` over facets of the other body's
    cells must not enter a body's form).

    Rollers on the bottom (u_y = 0) and on the x = xmin face (and z = zmin in 3D);
    with ``lateral="rollers"`` also on the opposite lateral faces (oedometric
    condition, as in a pressed cell); with ``"free"`` those are traction free.
    The load parameter ``pressure`` acts on the top face, ``eps_star`` is the
    particle eigenstrain.

    Args:
        comm: MPI communicator.
        tagged: an RVE mesh (:func:`interface.geometry.rve.rve_mesh`).
        particle: ElasticMaterial of the particles.
        matrix: ElasticMaterial of the electrolyte.
        law: interface law (default frictionless contact).
        lateral: "rollers" or "free".
        **kwargs: passed to :class:`InterfaceProblem`.
    """
    dim = tagged.dim
    if lateral not in ("rollers", "free"):
        raise ValueError("lateral must be 'rollers' or 'free'")
    rollers = [(T.BOTTOM, 1), (T.LEFT, 0)]
    if lateral == "rollers":
        rollers.append((T.RIGHT, 0))
    if dim == 3:
        rollers.append((T.BACK, 2))
        if lateral == "rollers":
            rollers.append((T.FRONT, 2))
    # periodic layout: the box faces cut through particles too; their pieces carry the
    # side tag + PIECE_OFFSET, so each body's load / roller integrates over its own cells
    pieces = bool(tagged.metadata.get("periodic"))
    bcs = [DirichletSpec(tag, comp, body="matrix") for tag, comp in rollers]
    pressure = [PressureSpec(T.TOP, body="matrix")]
    if pieces:
        bcs += [DirichletSpec(tag + T.PIECE_OFFSET, comp, body="particle")
                for tag, comp in rollers]
        pressure.append(PressureSpec(T.TOP + T.PIECE_OFFSET, body="particle"))
    law = FrictionlessContact() if law is None else law
    return InterfaceProblem(comm, tagged, particle, matrix, law, dirichlet=bcs,
                            pressure=pressure, **kwargs)


@dataclass
class ContactMap:
    """Metrics on the grid; arrays have shape (n_eigenstrain, n_pressure), NaN where not done.

    Attributes:
        pressures: stack pressures, Pa.
        eigenstrains: linear particle eigenstrains (negative: shrinkage).
        values: metric name (see METRICS) -> array.
        particle_contact_fraction: (n_eigenstrain, n_pressure, n_particles).
        newton_iterations: Newton iterations spent reaching each point.
        linear_iterations: linear iterations spent reaching each point.
        done: True where the point converged.
        wall_time: seconds spent on the grid (without the set-up).
        failure: "" or the message of the failed point.
        failed_point: (i_eigenstrain, j_pressure) of the failed point, or None.
    """

    pressures: np.ndarray
    eigenstrains: np.ndarray
    values: dict
    particle_contact_fraction: np.ndarray
    newton_iterations: np.ndarray
    linear_iterations: np.ndarray
    done: np.ndarray
    wall_time: float = 0.0
    failure: str = ""
    failed_point: tuple | None = None
    info: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.values[key]


def contact_map(problem: InterfaceProblem, pressures, eigenstrains, *, steps: int = 1,
                reset: bool = True, precompression: float | None = None,
                isolated_threshold: float = 0.05, gap_tol: float = 0.0, stresses: bool = True,
                max_cutbacks: int = 8, on_point: Callable | None = None) -> ContactMap:
    """Evaluate the interface metrics on the grid eigenstrains x pressures.

    A point that does not converge (after the step cut-backs) stops the map:
    the completed points are kept, ``failure`` holds the message and
    ``failed_point`` the indices (no exception, no NaN in the completed points).

    Args:
        problem: the InterfaceProblem, reused for every point.
        pressures: stack pressures, Pa.
        eigenstrains: linear particle eigenstrains.
        steps: load increments between neighbouring grid points.
        reset: start from the unloaded state.
        precompression: optional fabrication step, Pa: load to this pressure
            with no eigenstrain, then go to the grid (matters for the cohesive law,
            whose damage is irreversible).
        isolated_threshold: a particle with a contact fraction below this is isolated.
        gap_tol: the interface is closed where the gap is <= gap_tol, m.
        stresses: compute the electrolyte stress maxima.
        max_cutbacks: step halvings allowed per point.
        on_point: called as ``on_point(i, j, metrics)`` after each point.
    """
    P = np.asarray(pressures, float)
    E = np.asarray(eigenstrains, float)
    shape = (len(E), len(P))
    vals = {k: np.full(shape, np.nan) for k in METRICS}
    n_part = len(problem.tagged.particle_tags)
    pcf = np.full((*shape, n_part), np.nan)
    its = np.zeros(shape, dtype=int)
    lits = np.zeros(shape, dtype=int)
    done = np.zeros(shape, dtype=bool)
    out = ContactMap(P, E, vals, pcf, its, lits, done,
                     info={"ndofs": problem.num_dofs(), "prefix": problem.prefix})
    t0 = time.perf_counter()
    if reset:
        problem.reset()
    if precompression is not None and precompression > 0:
        try:
            problem.solve(eps_star=0.0, pressure=precompression, steps=max(steps, 2),
                          max_cutbacks=max_cutbacks)
        except ContactSolverError as exc:
            out.failure = f"fabrication pre-compression to {precompression:.6g} Pa: {exc}"
            out.wall_time = time.perf_counter() - t0
            return out
    for i, e in enumerate(E):
        order = range(len(P)) if i % 2 == 0 else range(len(P) - 1, -1, -1)
        for j in order:
            if not _point(problem, out, (i, j), e, P[j], steps, max_cutbacks,
                          isolated_threshold, gap_tol, stresses, on_point):
                break
        if out.failure:
            break
    out.wall_time = time.perf_counter() - t0
    return out


def _point(problem, out: ContactMap, idx: tuple, e: float, p: float, steps: int,
           max_cutbacks: int, isolated_threshold: float, gap_tol: float, stresses: bool,
           on_point: Callable | None) -> bool:
    """Continue the solution to (p, e) and store its metrics at ``idx``; False on failure."""
    try:
        rep = problem.solve(eps_star=e, pressure=p, steps=steps, max_cutbacks=max_cutbacks)
    except ContactSolverError as exc:
        out.failure = str(exc)
        out.failed_point = idx
        return False
    m = problem.metrics(isolated_threshold=isolated_threshold, gap_tol=gap_tol,
                        stresses=stresses)
    for k in METRICS:
        out.values[k][idx] = getattr(m, k)
    out.particle_contact_fraction[idx] = m.particle_contact_fraction
    out.newton_iterations[idx] = rep.newton_iterations
    out.linear_iterations[idx] = rep.linear_iterations
    out.done[idx] = True
    if on_point is not None:
        on_point(*idx, m)
    return True


def contact_path(problem: InterfaceProblem, pressures, eigenstrains, *, steps: int = 1,
                 isolated_threshold: float = 0.05, gap_tol: float = 0.0,
                 stresses: bool = True, max_cutbacks: int = 8,
                 on_point: Callable | None = None) -> ContactMap:
    """Evaluate the interface metrics along a load path (p_k, eps_k), k = 0..n-1.

    The path of a cell in its fixture: the stack model's pressure and the
    electrode stoichiometry at each SOC point.  Continues from the problem's
    current state (the solution is path independent for frictionless contact;
    for the cohesive law the path is the loading history).  The result is a
    :class:`ContactMap` with arrays of shape (1, n) (one row, the path), the same
    failure semantics as :func:`contact_map` (``failed_point = (0, k)``).
    """
    P = np.asarray(pressures, float)
    E = np.asarray(eigenstrains, float)
    if P.shape != E.shape or P.ndim != 1:
        raise ValueError("pressures and eigenstrains must be 1D arrays of the same length")
    shape = (1, len(P))
    n_part = len(problem.tagged.particle_tags)
    out = ContactMap(P, E, {k: np.full(shape, np.nan) for k in METRICS},
                     np.full((*shape, n_part), np.nan), np.zeros(shape, dtype=int),
                     np.zeros(shape, dtype=int), np.zeros(shape, dtype=bool),
                     info={"ndofs": problem.num_dofs(), "prefix": problem.prefix})
    t0 = time.perf_counter()
    for k in range(len(P)):
        if not _point(problem, out, (0, k), E[k], P[k], steps, max_cutbacks,
                      isolated_threshold, gap_tol, stresses, on_point):
            break
    out.wall_time = time.perf_counter() - t0
    return out


def rebuild_baseline(comm, build: Callable, pressures, eigenstrains, *, steps: int = 1,
                     gap_tol: float = 0.0, stresses: bool = True) -> dict:
    """Reference for the reuse gain: rebuild mesh and problem, solve from zero, per point.

    ``build(comm)`` returns a fresh InterfaceProblem (the mesh cache and the FFCx
    disk cache still help it, so the measured gain is a lower bound).  Returns the
    contact fractions and the wall time.
    """
    P = np.asarray(pressures, float)
    E = np.asarray(eigenstrains, float)
    cf = np.full((len(E), len(P)), np.nan)
    t0 = time.perf_counter()
    for i, e in enumerate(E):
        for j, p in enumerate(P):
            prob = build(comm)
            prob.solve(eps_star=e, pressure=p, steps=steps)
            cf[i, j] = prob.metrics(gap_tol=gap_tol, stresses=stresses).contact_fraction
            prob.close()
            del prob
    return {"contact_fraction": cf, "wall_time": time.perf_counter() - t0}
