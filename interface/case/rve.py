"""Case-file section of the cathode-interface (RVE) model: [rve], [rve.interface], [rve.map]."""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec


@dataclass(frozen=True)
class InterfaceLawSpec:
    """The ``[rve.interface]`` table: the particle | electrolyte interface law and its solver."""

    law: str = spec("choice", choices=("contact", "bonded", "cohesive"), default="contact",
                    doc="contact: frictionless unilateral contact (gaps open on shrinkage, "
                        "close under pressure); bonded: tied; cohesive: bonded until the "
                        "strength is reached, then debonds with the fracture energy")
    penalty: float = spec("number", gt=0, default=1000.0,
                          doc="dimensionless penalty gamma0: interface stiffness k = gamma0 "
                              "E_max / h (h: element size at the interface)")
    regularisation: float = spec("number", ge=0, lt=1e-3, default=1e-8,
                                 doc="weak spring (fraction of k) holding detached particles "
                                     "(contact law only)")
    strength: float = spec("quantity", unit="Pa", gt=0, default="50 MPa",
                           doc="cohesive strength (peak traction)")
    fracture_energy: float = spec("quantity", unit="J/m^2", gt=0, default="1 J/m^2",
                                  doc="cohesive fracture energy G_c")
    cohesive_shape: str = spec("choice", choices=("bilinear", "exponential"),
                               default="bilinear", doc="cohesive envelope")
    line_search: str = spec("choice", choices=("basic", "bt", "l2"), default="basic",
                            doc="SNES line search (basic: full semi-smooth Newton steps)")
    load_steps: int = spec("integer", ge=1, le=1000, default=1,
                           doc="load increments between neighbouring map points (halved "
                               "automatically on non-convergence)")
    max_cutbacks: int = spec("integer", ge=0, le=30, default=8,
                             doc="step halvings allowed per map point before the run fails")
    linear_solver: str = spec("choice", choices=("mumps", "superlu_dist", "gamg"),
                              default="mumps",
                              doc="linear solver of each Newton step (LU, or GMRES + GAMG with "
                                  "the rigid-body near-nullspace)")


@dataclass(frozen=True)
class ContactMapSpec:
    """The ``[rve.map]`` table: the grid of stack pressure x stoichiometry."""

    pressures: tuple[float, ...] = spec("quantities", unit="Pa", ge=0, min_items=2,
                                        doc="stack pressures on the RVE top face")
    stoichiometries: tuple[float, ...] = spec("numbers", gt=0, min_items=2,
                                              doc="Li stoichiometry x of the active material "
                                                  "(eigenstrain from its strain curve)")
    smoke_pressures: int = spec("integer", ge=2, default=2,
                                doc="--smoke: at most this many pressures (ends kept)")
    smoke_stoichiometries: int = spec("integer", ge=2, default=2,
                                      doc="--smoke: at most this many stoichiometries (ends "
                                          "kept)")

    def validate(self, path: str) -> None:
        """Grid values must be distinct (the map is a full grid)."""
        for name in ("pressures", "stoichiometries"):
            values = getattr(self, name)
            if len(set(values)) != len(values):
                raise InputError("values must be distinct", key=f"{path}.{name}")


@dataclass(frozen=True)
class StackPathSpec:
    """The ``[rve.stack]`` table: the RVE loaded along a cell-stack model's SOC path.

    The stack model of ``case`` is run (its fixture, preload and SOC path) and the
    RVE is evaluated at each of its SOC points with the stack pressure it computes
    and the electrode's stoichiometry x(SOC) = x0 + (x1 - x0) SOC, in addition to
    the grid.
    """

    case: str = spec("string", default="",
                     doc="stack case file (relative to this case file); empty: no stack path")
    electrode: str = spec("string", default="",
                          doc="name of the composite-electrode layer of the stack case whose "
                              "stoichiometry drives the particles (default: the one layer "
                              "with this RVE's active material)")


@dataclass(frozen=True)
class CoatingSpec:
    """The ``[rve.coating]`` table: a thin shell bonded around every particle (optional)."""

    thickness: float = spec("quantity", unit="m", ge=0, default="0 m",
                            doc="coating thickness (0: no coating); must stay below a quarter "
                                "of the smallest particle radius")
    material: str = spec("string", default="LiNbO3",
                         doc="coating material (no (de)lithiation strain)")
    elements_through_thickness: float = spec("number", ge=1, le=10, default=2.0,
                                             doc="element size in the coating = thickness / "
                                                 "this")


@dataclass(frozen=True)
class RVESpec:
    """The ``[rve]`` table: particles of active material in a solid-electrolyte box.

    Seeded random packing of polydisperse discs (2D, plane strain) or spheres (3D)
    inside a square / cubic box of electrolyte, in a die (rollers on the bottom and
    the sides) with the stack pressure on the top face.
    """

    dimension: int = spec("integer", ge=2, le=3, default=2,
                          doc="2 (plane strain, discs) or 3 (spheres)")
    box_size: float = spec("quantity", unit="m", gt=0, doc="edge of the square / cubic box")
    volume_fraction: float = spec("number", gt=0, lt=1,
                                  doc="active-material area (2D) / volume (3D) fraction")
    mean_radius: float = spec("quantity", unit="m", gt=0, doc="mean particle radius")
    porosity: float = spec("number", ge=0, lt=1, default=0.0,
                           doc="pore (void) area / volume fraction: a seeded random subset of "
                               "the packed discs / spheres is left empty (the achieved value "
                               "is the nearest sum of whole pores, see summary.json)")
    radius_cv: float = spec("number", ge=0, le=1, default=0.2,
                            doc="coefficient of variation of the log-normal radii")
    min_radius_factor: float = spec("number", gt=0, lt=1, default=0.4,
                                    doc="radii are clipped below at this times mean_radius "
                                        "(before the rescaling to the exact fraction); 75 % "
                                        "in 3D needs the small tail (0.15 with cv 0.8)")
    packing: str = spec("choice", choices=("walls", "periodic"), default="walls",
                        doc="walls: particles inside the box (hard walls, 3D reaches about "
                            "45 %); periodic: periodic packing, particles cut by the box "
                            "faces (40-75 %, see docs/theory/rve.md for the radius_cv needed)")
    min_gap: float | None = spec("quantity", unit="m", gt=0, default=None,
                                 doc="smallest clearance between (coated) particles and to the "
                                     "walls (default 0.05 mean_radius); periodic: sphere "
                                     "surfaces also stay min_gap / 2 away from tangency with "
                                     "the box faces")
    seed: int = spec("integer", ge=0, default=0, doc="random seed of the packing")
    mesh_size: float | None = spec("quantity", unit="m", gt=0, default=None,
                                   doc="largest element size (default mean_radius / 2.5)")
    min_mesh_size: float | None = spec("quantity", unit="m", gt=0, default=None,
                                       doc="smallest element size, at narrow gaps (default "
                                           "mesh_size / 50; larger values cap the 3D mesh)")
    elements_per_circle: int = spec("integer", ge=6, le=400, default=24,
                                    doc="curvature refinement: elements per particle "
                                        "circumference")
    active_material: str = spec("string", default="NMC811",
                                doc="particle material (needs a volumetric strain curve)")
    electrolyte: str = spec("string", default="Li6PS5Cl", doc="matrix material")
    reference_stoichiometry: float = spec("number", gt=0, default=1.0,
                                          doc="stoichiometry at fabrication (zero "
                                              "eigenstrain)")
    precompression: float = spec("quantity", unit="Pa", ge=0, default="0 MPa",
                                 doc="fabrication pre-compression applied (and the map "
                                     "started from) before the grid; matters for the "
                                     "cohesive law")
    lateral_bc: str = spec("choice", choices=("rollers", "free"), default="rollers",
                           doc="lateral faces: rollers (die) or traction free")
    isolated_threshold: float = spec("number", ge=0, le=1, default=0.05,
                                     doc="a particle whose contact fraction is below this is "
                                         "electrochemically isolated")
    gap_tolerance: float | None = spec("quantity", unit="m", ge=0, default=None,
                                       doc="the interface counts as in contact where the gap "
                                           "is <= this (default 1e-4 mean_radius, below an "
                                           "atomic spacing: round-off of a touching, unloaded "
                                           "interface is contact)")
    smoke_particles: int = spec("integer", ge=1, le=1000, default=6,
                                doc="--smoke: shrink the box to hold about this many particles "
                                    "at smoke_volume_fraction")
    smoke_volume_fraction: float | None = spec("number", gt=0, lt=1, default=None,
                                               doc="--smoke: volume fraction (default: "
                                                   "volume_fraction; small 3D boxes with walls "
                                                   "pack only loosely)")
    interface: InterfaceLawSpec = spec("table", item=InterfaceLawSpec, default=dict,
                                       doc="interface law")
    coating: CoatingSpec = spec("table", item=CoatingSpec, default=dict,
                                doc="optional coating shell of every particle")
    map: ContactMapSpec = spec("table", item=ContactMapSpec, doc="pressure x stoichiometry grid")
    stack: StackPathSpec = spec("table", item=StackPathSpec, default=dict,
                                doc="optional: the stack pressure from a cell-stack model")

    def validate(self, path: str) -> None:
        """Particles must fit in the box; particles and pores must leave electrolyte."""
        if self.volume_fraction + self.porosity >= 1.0:
            raise InputError(f"volume_fraction + porosity = "
                             f"{self.volume_fraction + self.porosity:.4g} leaves no electrolyte",
                             key=f"{path}.porosity")
        gap = self.min_gap if self.min_gap is not None else 0.05 * self.mean_radius
        t = self.coating.thickness
        if t >= 0.25 * self.mean_radius:
            raise InputError(f"coating of {t:.4g} m is not thin: it must stay below a quarter "
                             f"of the particle radius (mean {self.mean_radius:.4g} m)",
                             key=f"{path}.coating.thickness")
        if 2.0 * (self.mean_radius + gap) >= self.box_size:
            raise InputError(f"particles of mean radius {self.mean_radius:.4g} m (plus the gap "
                             f"{gap:.3g} m) do not fit in a box of {self.box_size:.4g} m",
                             key=f"{path}.mean_radius")
