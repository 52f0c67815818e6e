"""Representative volumes: particles (discs / spheres) inside a box of electrolyte matrix.

The particle | matrix interfaces are shared curves / surfaces of the gmsh model
(boolean fragment), so the mesh is conforming: each interface facet has one
particle cell on one side and one matrix cell on the other, and the nodes of
the two bodies coincide.  :mod:`interface.mechanics.interface_problem` splits
the mesh into two submeshes along these facets.  Particles lie strictly inside
the box (they are not cut by its faces), so the outer boundary belongs to the
matrix.  Tags: see :mod:`interface.geometry.particle_tags`.  Lengths in m.
"""

from __future__ import annotations

import numpy as np

from interface.geometry import particle_tags as T
from interface.geometry.gmsh_mesh import generate_or_load, set_size_options
from interface.geometry.packing import Packing, check_packing

__all__ = ["rve_mesh"]


def _classify_box_boundary(gmsh, dim, lo, hi, entities, tol):
    """Map boundary entities of a box to LEFT/RIGHT/... by their bounding boxes."""
    sides = {}
    names = [(T.LEFT, T.RIGHT), (T.BOTTOM, T.TOP), (T.BACK, T.FRONT)]
    for e in entities:
        bb = np.array(gmsh.model.getBoundingBox(dim - 1, e))
        bmin, bmax = bb[:3], bb[3:]
        for ax in range(dim):
            if abs(bmax[ax] - lo[ax]) < tol:
                sides.setdefault(names[ax][0], []).append(e)
                break
            if abs(bmin[ax] - hi[ax]) < tol:
                sides.setdefault(names[ax][1], []).append(e)
                break
    return sides


def _gap_refinement_fields(gmsh, centres, radii, box, mesh_size, min_size, wall_refine=True):
    """Size fields (gmsh Ball) at narrow particle-particle / particle-wall gaps.

    A gap of clearance ``c`` gets elements of size ~``c/1.5`` (at least
    ``min_size``) in a ball of radius sqrt(2 r_eff c) around the point of closest
    approach, graded to ``mesh_size`` over sqrt(2 r_eff h).
    """
    from scipy.spatial import cKDTree

    dim = centres.shape[1]
    n = len(radii)
    pts = []
    if n > 1:
        tree = cKDTree(centres)
        pairs = tree.query_pairs(2 * radii.max() + 2 * mesh_size, output_type="ndarray")
        for i, j in pairs:
            d = np.linalg.norm(centres[i] - centres[j])
            c = d - radii[i] - radii[j]
            if c < 2.0 * mesh_size:
                u = (centres[j] - centres[i]) / d
                p = centres[i] + u * (radii[i] + 0.5 * c)
                reff = radii[i] * radii[j] / (radii[i] + radii[j])
                pts.append((p, c, reff))
    if wall_refine:
        lo, hi = box
        for i in range(n):
            for ax in range(dim):
                for side, sgn in ((lo[ax], -1.0), (hi[ax], 1.0)):
                    c = abs(side - centres[i, ax]) - radii[i]
                    if c < 2.0 * mesh_size:
                        p = centres[i].copy()
                        p[ax] = side - sgn * 0.5 * c
                        pts.append((p, c, radii[i]))
    fields = []
    for p, c, reff in pts:
        size_in = max(min(mesh_size, c / 1.5), min_size)
        if size_in >= mesh_size * 0.999:
            continue
        rad = np.sqrt(2.0 * reff * max(c, min_size))
        thick = max(np.sqrt(2.0 * reff * mesh_size) - rad, mesh_size)
        f = gmsh.model.mesh.field.add("Ball")
        gmsh.model.mesh.field.setNumber(f, "Radius", rad)
        gmsh.model.mesh.field.setNumber(f, "Thickness", thick)
        gmsh.model.mesh.field.setNumber(f, "VIn", size_in)
        gmsh.model.mesh.field.setNumber(f, "VOut", mesh_size)
        gmsh.model.mesh.field.setNumber(f, "XCenter", p[0])
        gmsh.model.mesh.field.setNumber(f, "YCenter", p[1])
        gmsh.model.mesh.field.setNumber(f, "ZCenter", p[2] if dim == 3 else 0.0)
        fields.append(f)
    return fields


def rve_mesh(comm, box, particles, mesh_size: float, *, pores=None,
             min_elements_per_circle: int = 24, refine_gaps: bool = True,
             min_size: float | None = None, cache: bool = True,
             verbosity: int = 0) -> T.TaggedMesh:
    """Conforming RVE mesh: discs (2D, plane strain) or spheres (3D) inside a box.

    Args:
        comm: MPI communicator.
        box: ``[[xmin, ymin(, zmin)], [xmax, ymax(, zmax)]]`` in m; its shape selects 2D/3D.
        particles: a :class:`~interface.geometry.packing.Packing` or ``(centres, radii)``
            in m.  Particles must lie strictly inside the box and must not touch.
        mesh_size: largest element size, m.
        pores: optional ``(centres, radii)`` of empty voids in the electrolyte, m
            (cut out of the matrix; their surfaces are traction free).
        min_elements_per_circle: curvature refinement (elements per 2 pi of arc).
        refine_gaps: refine narrow particle-particle and particle-wall gaps.
        min_size: smallest element size, m (default ``0.02 mesh_size``).
        cache: read / write the mesh cache (:mod:`interface.geometry.gmsh_mesh`).
        verbosity: gmsh verbosity.

    Returns:
        TaggedMesh: matrix cells tag 1, particle i cells and interface facets
        1000 + i, box faces LEFT/RIGHT/BOTTOM/TOP(/BACK/FRONT) = 1..6.

    Raises:
        ValueError: overlapping particles or particles touching the box.
    """
    if isinstance(particles, Packing):
        centres, radii = particles.centres, particles.radii
    else:
        centres, radii = particles
    box = np.asarray(box, float)
    if box.shape not in ((2, 2), (2, 3)):
        raise ValueError("box must be [[lower corner], [upper corner]] in 2D or 3D")
    dim = box.shape[1]
    centres = np.asarray(centres, float).reshape(-1, dim)
    radii = np.asarray(radii, float).ravel()
    lo, hi = box
    if len(radii) != len(centres):
        raise ValueError("centres and radii must have the same length")
    if len(radii) == 0:
        raise ValueError("at least one particle is required")
    if pores is None:
        pore_c, pore_r = np.zeros((0, dim)), np.zeros(0)
    else:
        pore_c = np.asarray(pores[0], float).reshape(-1, dim)
        pore_r = np.asarray(pores[1], float).ravel()
    all_c, all_r = np.vstack([centres, pore_c]), np.concatenate([radii, pore_r])
    clear, wclear = check_packing(all_c, all_r, box)
    if clear <= 0.0:
        raise ValueError(f"particles overlap (min clearance {clear:.3e} m)")
    if wclear <= 0.0:
        raise ValueError("particles must lie strictly inside the box (they are not cut by its "
                         f"faces); min wall clearance {wclear:.3e} m")
    min_size = 0.02 * mesh_size if min_size is None else min_size
    L = float(np.max(hi - lo))
    box_s, lo_s, hi_s = box / L, lo / L, hi / L
    centres_s, radii_s = centres / L, radii / L
    pore_cs, pore_rs = pore_c / L, pore_r / L
    all_cs, all_rs = all_c / L, all_r / L
    h_s, hmin_s = mesh_size / L, min_size / L

    def build(gmsh):
        occ = gmsh.model.occ
        if dim == 2:
            body = occ.addRectangle(lo_s[0], lo_s[1], 0.0, hi_s[0] - lo_s[0], hi_s[1] - lo_s[1])
            incl = [occ.addDisk(c[0], c[1], 0.0, r, r) for c, r in zip(centres_s, radii_s,
                                                                       strict=True)]
        else:
            body = occ.addBox(*lo_s, *(hi_s - lo_s))
            incl = [occ.addSphere(*c, r) for c, r in zip(centres_s, radii_s, strict=True)]
        if len(pore_rs):
            holes = [occ.addDisk(c[0], c[1], 0.0, r, r) if dim == 2 else occ.addSphere(*c, r)
                     for c, r in zip(pore_cs, pore_rs, strict=True)]
            cut, _ = occ.cut([(dim, body)], [(dim, h) for h in holes])
            if len(cut) != 1:
                raise RuntimeError("unexpected gmsh cut result for the pores")
            body = cut[0][1]
        _, out_map = occ.fragment([(dim, body)], [(dim, t) for t in incl])
        occ.synchronize()
        part_ents = [[e[1] for e in m] for m in out_map[1:]]
        if any(len(p) != 1 for p in part_ents):
            raise RuntimeError("unexpected gmsh fragment result for the particles")
        part_set = {p[0] for p in part_ents}
        matrix_ents = [e[1] for e in out_map[0] if e[1] not in part_set]
        for i, p in enumerate(part_ents):
            gmsh.model.addPhysicalGroup(dim, p, T.particle_tag(i), name=f"particle_{i}")
            bnd = gmsh.model.getBoundary([(dim, p[0])], oriented=False, combined=False)
            gmsh.model.addPhysicalGroup(dim - 1, [abs(b[1]) for b in bnd], T.particle_tag(i),
                                        name=f"interface_{i}")
        gmsh.model.addPhysicalGroup(dim, matrix_ents, T.MATRIX, name="matrix")
        outer = gmsh.model.getBoundary([(dim, e) for e in matrix_ents + [p[0] for p in part_ents]],
                                       oriented=False, combined=True)
        sides = _classify_box_boundary(gmsh, dim, lo_s, hi_s, [abs(b[1]) for b in outer], 1e-6)
        for tag, ents in sides.items():
            gmsh.model.addPhysicalGroup(dim - 1, ents, tag)
        set_size_options(gmsh, h_s, hmin_s, min_elements_per_circle, 1)
        flds = _gap_refinement_fields(gmsh, all_cs, all_rs, box_s, h_s, hmin_s) \
            if refine_gaps else []
        if flds:
            fmin = gmsh.model.mesh.field.add("Min")
            gmsh.model.mesh.field.setNumbers(fmin, "FieldsList", flds)
            gmsh.model.mesh.field.setAsBackgroundMesh(fmin)
        gmsh.model.mesh.generate(dim)

    params = {"box": box, "centres": centres, "radii": radii, "mesh_size": mesh_size,
              "min_size": min_size, "min_elements_per_circle": min_elements_per_circle,
              "refine_gaps": refine_gaps, "pore_centres": pore_c, "pore_radii": pore_r}
    msh, ct, ft, info = generate_or_load(comm, f"rve{dim}d", params, build, dim, L, cache=cache,
                                         verbosity=verbosity)
    ptags = [T.particle_tag(i) for i in range(len(radii))]
    btags = {"left": T.LEFT, "right": T.RIGHT, "bottom": T.BOTTOM, "top": T.TOP}
    if dim == 3:
        btags.update({"back": T.BACK, "front": T.FRONT})
    vol = float(np.prod(hi - lo))
    meas = np.pi * radii**2 if dim == 2 else 4 / 3 * np.pi * radii**3
    return T.TaggedMesh(
        msh, ct, ft, ptags, [T.MATRIX], {t: t for t in ptags}, btags,
        metadata={"kind": f"rve_{dim}d", "box": box, "centres": centres, "radii": radii,
                  "volume_fraction": float(meas.sum() / vol), "pore_radii": pore_r,
                  "porosity": float((np.pi * pore_r**2 if dim == 2 else
                                     4 / 3 * np.pi * pore_r**3).sum() / vol),
                  "mesh_size": mesh_size,
                  "min_clearance": clear, "min_wall_clearance": wclear, **info},
    )
