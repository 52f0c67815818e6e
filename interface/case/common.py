"""Case-file sections shared by every model: [case], [mesh], [output]."""

from __future__ import annotations

from dataclasses import dataclass

from interface.schema import spec

MODELS = ("stack", "electrochem", "tradeoff", "rve", "lithium", "creep_test", "li_symmetric",
          "jig")


@dataclass(frozen=True)
class CaseMeta:
    """The ``[case]`` table: which model the file runs and what it is."""

    model: str = spec("choice", choices=MODELS, doc="the model this case runs")
    title: str = spec("string", doc="one-line title", default="")
    description: str = spec("string", doc="free text", default="")


@dataclass(frozen=True)
class MeshSettings:
    """The ``[mesh]`` table: discretisation of the FE models."""

    dimension: int = spec("integer", doc="1 (laterally constrained column), 2 (plane strain) "
                          "or 3", default=1, ge=1, le=3)
    degree: int = spec("integer", doc="Lagrange element degree of the displacement", default=1,
                       ge=1, le=3)
    cells_per_layer: int = spec("integer", doc="elements through the thickness of each layer",
                                default=4, ge=1, le=400)
    lateral_cells: int = spec("integer", doc="elements across the modelled width (2D/3D)",
                              default=16, ge=1, le=2000)
    smoke_factor: float = spec("number", doc="factor applied to the cell counts by --smoke",
                               default=0.25, gt=0, le=1)


@dataclass(frozen=True)
class OutputSettings:
    """The ``[output]`` table: what `ssbi run` writes besides results.h5 and summary.json."""

    figures: bool = spec("boolean", doc="write figures/*.png", default=True)
    fields: bool = spec("boolean", doc="write fields/*.bp (VTX, for ParaView)", default=True)


@dataclass(frozen=True)
class SolverSettings:
    """The ``[solver]`` table: linear (and nonlinear) solver choices of the FE models."""

    linear_solver: str = spec("choice", choices=("auto", "direct", "iterative"), default="auto",
                              doc="auto: LU (MUMPS, factorised once) for 1D and small 2D/3D "
                                  "meshes, CG + GAMG (rigid-body near-nullspace) above; or force "
                                  "one")
    rtol: float = spec("number", gt=0, lt=1, default=1e-9,
                       doc="relative residual tolerance of the iterative linear solver")
    direct_max_dofs: int = spec("integer", ge=0, default=200000,
                                doc="auto uses LU up to this many DOFs in 2D (half of it "
                                    "in 3D)")


@dataclass(frozen=True)
class ParametersSpec:
    """The ``[parameters]`` table: a parameter set (e.g. fitted by ``ssbi calibrate``).

    Its values are applied to this case as dotted-key overrides, before the overrides of
    the command line (which win).
    """

    file: str = spec("string", doc="parameter-set TOML file (relative to the case file)")
