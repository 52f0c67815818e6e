"""Import DOLFINx the right way for either distribution.

The PyPI wheel (``dolfinx-solver-real``) wants ``import dolfinx_solver`` before
``dolfinx``/``petsc4py`` (it orders mpi4py ahead of the bindings); conda-forge
and Spack builds have no such module.  Every module that needs DOLFINx or PETSc
imports them from here.
"""

from __future__ import annotations

try:  # the PyPI wheel
    import dolfinx_solver  # noqa: F401
except ImportError:  # conda-forge / Spack / source DOLFINx
    dolfinx_solver = None

import dolfinx  # noqa: E402
import dolfinx.fem.petsc  # noqa: E402,F401
import ufl  # noqa: E402
from mpi4py import MPI  # noqa: E402
from petsc4py import PETSc  # noqa: E402

__all__ = ["MPI", "PETSc", "dolfinx", "ufl", "versions"]


def versions() -> dict[str, str]:
    """Versions of the numerical stack, for results-file provenance."""
    out = {"dolfinx": dolfinx.__version__,
           "petsc": ".".join(str(v) for v in PETSc.Sys.getVersion())}
    out["dolfinx_distribution"] = "dolfinx-solver-real (PyPI)" if dolfinx_solver else "external"
    return out
