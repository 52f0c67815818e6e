"""The FE plate on COMM_WORLD (2 ranks under mpiexec) equals the serial solve."""

import pytest

from interface.materials import get_material
from interface.system.plate import Rib, solve_plate


@pytest.mark.mpi
def test_plate_parallel_equals_serial(comm):
    from interface.backend import MPI

    steel = get_material("steel")
    for kw in (dict(cells=16),
               dict(cells=8, ribs=[Rib("x", 0.03, 0.004, 0.008)],
                    loaded_region=(0.01, 0.11, 0.0, 0.1))):
        a = 0.1 if "ribs" not in kw else 0.12
        par = solve_plate(comm, a, 0.1, 0.0025, steel, 1e6, **kw)
        ser = solve_plate(MPI.COMM_SELF, a, 0.1, 0.0025, steel, 1e6, **kw)
        assert par.num_dofs == ser.num_dofs
        assert par.max_deflection_m == pytest.approx(ser.max_deflection_m, rel=1e-8)
        assert par.max_principal_stress_Pa == pytest.approx(ser.max_principal_stress_Pa,
                                                            rel=1e-8)
