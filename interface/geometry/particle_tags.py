"""Tag conventions of the particle | matrix meshes (RVE and verification geometries).

Cell tags
    ``MATRIX`` (=1) for the solid electrolyte matrix (the "minus" body),
    ``PARTICLE_BASE + i`` (=1000+i) for particle ``i`` (i = 0, 1, ...),
    ``COATING_BASE + i`` (=2000+i) for the coating shell of particle ``i``
    (part of the particle body, bonded to its core; no eigenstrain).

Facet tags (same integer space, but facets and cells are different
MeshTags, so there is no clash)
    outer boundary: ``LEFT`` (x=xmin), ``RIGHT`` (x=xmax), ``BOTTOM``
    (y=ymin), ``TOP`` (y=ymax), ``BACK`` (z=zmin), ``FRONT`` (z=zmax),
    ``OUTER`` (curved outer boundary of the inclusion benchmark),
    ``side + PIECE_OFFSET`` (11..16) for the particle pieces cut by the
    box faces of a periodic RVE,
    ``FREE`` (other free surfaces, e.g. the cylinder flank in Hertz);
    interface of particle ``i`` with the matrix: ``PARTICLE_BASE + i``,
    i.e. the *same number as the particle's cell tag* (with a coating: the
    coating's outer surface).
For the symmetric benchmarks the symmetry planes x=0, y=0, z=0 are
``LEFT``, ``BOTTOM`` and ``BACK``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEFT, RIGHT, BOTTOM, TOP, BACK, FRONT, OUTER, FREE = 1, 2, 3, 4, 5, 6, 7, 9
#: Periodic RVE: box-face facets of particle pieces carry ``side + PIECE_OFFSET``
#: (11..16), so that a load or a roller given per body integrates over that body's
#: cells only (the matrix facets keep 1..6).
PIECE_OFFSET = 10
MATRIX = 1
PARTICLE_BASE = 1000
COATING_BASE = 2000

BOUNDARY_NAMES = {
    "left": LEFT, "right": RIGHT, "bottom": BOTTOM, "top": TOP,
    "back": BACK, "front": FRONT, "outer": OUTER, "free": FREE,
}


def particle_tag(i: int) -> int:
    """Cell tag of particle ``i`` (== facet tag of its interface)."""
    return PARTICLE_BASE + int(i)


def coating_tag(i: int) -> int:
    """Cell tag of the coating shell of particle ``i``."""
    return COATING_BASE + int(i)


@dataclass
class TaggedMesh:
    """A DOLFINx mesh with cell/facet tags and geometric metadata.

    Attributes:
        mesh: the (parent) DOLFINx mesh, both bodies, conforming.
        cell_tags: MATRIX for the matrix, ``particle_tag(i)`` per particle.
        facet_tags: outer boundary sides and one tag per interface.
        particle_tags: list of particle cell tags (body "+").
        matrix_tags: list of matrix cell tags (body "-").
        interface_tags: particle cell tag -> interface facet tag.
        boundary_tags: name -> facet tag for the outer boundary.
        metadata: geometry description (centres, radii, box, ...), same
            on every rank.
        coating_tags: coating cell tag -> cell tag of its particle (body
            "+" too, no eigenstrain); empty without coatings.
    """

    mesh: object
    cell_tags: object
    facet_tags: object
    particle_tags: list[int]
    matrix_tags: list[int]
    interface_tags: dict[int, int]
    boundary_tags: dict[str, int]
    metadata: dict = field(default_factory=dict)
    coating_tags: dict[int, int] = field(default_factory=dict)

    @property
    def comm(self):
        """The mesh communicator."""
        return self.mesh.comm

    @property
    def dim(self) -> int:
        """Topological dimension (2 or 3)."""
        return self.mesh.topology.dim
