"""Layered meshes of the cell stack: 1D interval, 2D plane-strain section, 3D block.

The stack is built on a structured mesh of quadrilaterals/hexahedra whose
through-thickness coordinate is mapped piecewise-linearly onto the layer
interfaces, so each layer gets ``cells_per_layer`` elements whatever its
thickness.  The stacking direction is the last coordinate axis.  In 2D and 3D
only the half (quarter) section x >= 0 (y >= 0) is meshed; the planes x = 0
(y = 0) are symmetry planes.

Facet tags: BOTTOM (z = 0), TOP (z = H), SYM_X (x = 0), SIDE_X (x = W/2),
SYM_Y (y = 0), SIDE_Y (y = D/2).  Cell tags: layer index + 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from interface.backend import MPI, dolfinx

BOTTOM, TOP, SYM_X, SIDE_X, SYM_Y, SIDE_Y = 1, 2, 3, 4, 5, 6


@dataclass
class LayeredMesh:
    """A layered stack mesh with its tags (cells: layer index + 1)."""

    mesh: dolfinx.mesh.Mesh
    cell_tags: dolfinx.mesh.MeshTags
    facet_tags: dolfinx.mesh.MeshTags
    interfaces: np.ndarray  # z of the layer interfaces, m (n_layers + 1)
    half_width: float       # modelled x extent (W/2), m (0 in 1D)
    half_depth: float       # modelled y extent (D/2), m (0 in 1D/2D)

    @property
    def top_area(self) -> float:
        """Area of the modelled top face: 1 (1D), W/2 (2D, per unit depth), W/2 * D/2 (3D)."""
        gdim = self.mesh.geometry.dim
        return 1.0 if gdim == 1 else (self.half_width if gdim == 2
                                      else self.half_width * self.half_depth)


def layered_mesh(comm: MPI.Comm, thicknesses: Sequence[float], dim: int, *, width: float = 0.0,
                 depth: float = 0.0, cells_per_layer: int = 4, lateral_cells: int = 16
                 ) -> LayeredMesh:
    """Build the layered mesh.

    Args:
        comm: communicator the mesh is distributed over.
        thicknesses: layer thicknesses bottom to top, m.
        dim: 1, 2 or 3.
        width: full cross-section width W, m (2D/3D); half of it is meshed.
        depth: full depth D, m (3D); half of it is meshed.
        cells_per_layer: elements through each layer.
        lateral_cells: elements across the meshed half width (and depth).
    """
    h = np.asarray(thicknesses, dtype=float)
    nl = len(h)
    z = np.concatenate([[0.0], np.cumsum(h)])
    nz = nl * cells_per_layer
    ct = dolfinx.mesh.CellType
    if dim == 1:
        mesh = dolfinx.mesh.create_interval(comm, nz, [0.0, float(nl)])
    elif dim == 2:
        mesh = dolfinx.mesh.create_rectangle(
            comm, [np.array([0.0, 0.0]), np.array([width / 2, float(nl)])],
            [lateral_cells, nz], ct.quadrilateral)
    elif dim == 3:
        mesh = dolfinx.mesh.create_box(
            comm, [np.array([0.0, 0.0, 0.0]), np.array([width / 2, depth / 2, float(nl)])],
            [lateral_cells, lateral_cells, nz], ct.hexahedron)
    else:
        raise ValueError(f"dim must be 1, 2 or 3, got {dim}")
    ax = dim - 1
    x = mesh.geometry.x
    # Reference coordinate s in [0, nl] (layer i occupies [i, i+1]) -> physical z.
    x[:, ax] = np.interp(x[:, ax], np.arange(nl + 1, dtype=float), z)

    tdim = mesh.topology.dim
    mesh.topology.create_connectivity(tdim, tdim)
    n_local = mesh.topology.index_map(tdim).size_local + mesh.topology.index_map(tdim).num_ghosts
    mids = dolfinx.mesh.compute_midpoints(mesh, tdim, np.arange(n_local, dtype=np.int32))
    layer_of = np.clip(np.searchsorted(z, mids[:, ax], side="right") - 1, 0, nl - 1)
    cell_tags = dolfinx.mesh.meshtags(mesh, tdim, np.arange(n_local, dtype=np.int32),
                                      (layer_of + 1).astype(np.int32))

    fdim = tdim - 1
    mesh.topology.create_connectivity(fdim, tdim)
    total = z[-1]
    markers = [(BOTTOM, lambda p: np.isclose(p[ax], 0.0, atol=1e-12 * total)),
               (TOP, lambda p: np.isclose(p[ax], total, rtol=1e-12))]
    if dim >= 2:
        markers += [(SYM_X, lambda p: np.isclose(p[0], 0.0, atol=1e-12 * width)),
                    (SIDE_X, lambda p: np.isclose(p[0], width / 2, rtol=1e-12))]
    if dim == 3:
        markers += [(SYM_Y, lambda p: np.isclose(p[1], 0.0, atol=1e-12 * depth)),
                    (SIDE_Y, lambda p: np.isclose(p[1], depth / 2, rtol=1e-12))]
    facets, values = [], []
    for tag, marker in markers:
        f = dolfinx.mesh.locate_entities_boundary(mesh, fdim, marker)
        facets.append(f)
        values.append(np.full(len(f), tag, dtype=np.int32))
    f_all = np.concatenate(facets)
    v_all = np.concatenate(values)
    order = np.argsort(f_all, kind="stable")
    f_all, v_all = f_all[order], v_all[order]
    # A facet can lie on two planes only if degenerate; keep the first tag.
    f_all, first = np.unique(f_all, return_index=True)
    facet_tags = dolfinx.mesh.meshtags(mesh, fdim, f_all, v_all[first])
    return LayeredMesh(mesh=mesh, cell_tags=cell_tags, facet_tags=facet_tags, interfaces=z,
                       half_width=width / 2 if dim >= 2 else 0.0,
                       half_depth=depth / 2 if dim == 3 else 0.0)
