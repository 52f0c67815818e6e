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

__all__ = ["KERNEL_JIT_OPTIONS", "MPI", "PETSc", "dolfinx", "ufl", "versions"]

#: JIT options for assembly kernels that dominate a solve (``fem.form(...,
#: jit_options=KERNEL_JIT_OPTIONS)``): DOLFINx compiles with ``-O2`` only, which keeps
#: the floating-point sums of a generated kernel in source order and so unvectorised.
#: Allowing reassociation (no ``-ffast-math``: finite-math and flush-to-zero stay off,
#: no ``-march``: the JIT cache may be shared by nodes of different CPUs) halves the
#: Jacobian assembly of the 3D P2 Li creep model (106k DOFs, 1 rank: 363 -> 182 ms;
#: matrix entries change at rounding level, 2e-21 relative).
KERNEL_JIT_OPTIONS = {
    "cffi_extra_compile_args": ["-O3", "-g0", "-fno-math-errno", "-fno-trapping-math",
                                "-fassociative-math", "-fno-signed-zeros"],
}


def versions() -> dict[str, str]:
    """Versions of the numerical stack, for results-file provenance."""
    out = {"dolfinx": dolfinx.__version__,
           "petsc": ".".join(str(v) for v in PETSc.Sys.getVersion())}
    out["dolfinx_distribution"] = "dolfinx-solver-real (PyPI)" if dolfinx_solver else "external"
    return out
