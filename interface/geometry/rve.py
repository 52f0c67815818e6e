"""Representative volumes: particles (discs / spheres) inside a box of electrolyte matrix.

The particle | matrix interfaces are shared curves / surfaces of the gmsh model
(boolean fragment), so the mesh is conforming: each interface facet has one
particle cell on one side and one matrix cell on the other, and the nodes of
the two bodies coincide.  :mod:`interface.mechanics.interface_problem` splits
the mesh into two submeshes along these facets.

Two layouts:

* walled (``periodic=False``): particles lie strictly inside the box, the
  outer boundary belongs to the matrix;
* periodic (``periodic=True``, a periodic packing): every periodic image of a
  particle that reaches into the box is cut by the box faces and all its
  pieces carry the particle's tag, so the box faces cut through particles
  and matrix alike (the outer boundary belongs to both bodies).

An optional coating of thickness ``t`` is a shell ``r < |x - c| < r + t``
around every particle, meshed conformingly with its core (own cell tag per
particle, :func:`~interface.geometry.particle_tags.coating_tag`); its outer
surface is the particle | matrix interface.  Tags: see
:mod:`interface.geometry.particle_tags`.  Lengths in m.
"""

from __future__ import annotations

import numpy as np

from interface.geometry import particle_tags as T
from interface.geometry.gmsh_mesh import generate_or_load, set_size_options
from interface.geometry.packing import Packing, check_packing, face_margin, periodic_images

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


def _gap_refinement_fields(gmsh, centres, radii, box, mesh_size, min_size, wall_refine=True,
                           shells=(0.0,), owner=None):
    """Size fields (gmsh Ball) at narrow particle-particle / particle-face gaps.

    A gap of clearance ``c`` gets elements of size ~``c/1.5`` (at least
    ``min_size``) in a ball of radius sqrt(2 r_eff c) around the point of closest
    approach, graded to ``mesh_size`` over sqrt(2 r_eff h).  ``shells``: radius
    offsets of the surfaces near the box faces (0 and the coating thickness);
    near-tangent surfaces on either side of a face are refined (``|c|``).
    ``owner``: particle index of each ball (images of one particle are never
    paired with each other).
    """
    from scipy.spatial import cKDTree

    dim = centres.shape[1]
    n = len(radii)
    owner = np.arange(n) if owner is None else np.asarray(owner)
    pts = []
    if n > 1:
        tree = cKDTree(centres)
        pairs = tree.query_pairs(2 * radii.max() + 2 * mesh_size, output_type="ndarray")
        for i, j in pairs:
            if owner[i] == owner[j]:
                continue
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
                    for sh in shells:
                        c = abs(side - centres[i, ax]) - radii[i] - sh
                        if abs(c) < 2.0 * mesh_size:
                            p = centres[i].copy()
                            # the middle of the gap to the face (a cap cut by the
                            # face, c < 0: the face itself)
                            p[ax] = side - sgn * 0.5 * max(c, 0.0)
                            pts.append((p, abs(c), radii[i] + sh))
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


def _coating_fields(gmsh, centres, radii, thickness, size_in, grading=0.5):
    """One MathEval size field per coated ball: ``size_in`` in the shell, graded outside.

    size(x) = size_in + grading * max(| |x - c| - (r + t/2) | - t/2, 0)
    """
    dim = centres.shape[1]
    fields = []
    def num(v):
        return f"({float(v):.15g})"

    for c, r in zip(centres, radii, strict=True):
        rho = f"Sqrt((x-{num(c[0])})^2+(y-{num(c[1])})^2" + \
            (f"+(z-{num(c[2])})^2)" if dim == 3 else ")")
        mid = r + 0.5 * thickness
        expr = (f"{num(size_in)}+{num(grading)}*Max(Abs({rho}-{num(mid)})-"
                f"{num(0.5 * thickness)},0)")
        f = gmsh.model.mesh.field.add("MathEval")
        gmsh.model.mesh.field.setString(f, "F", expr)
        fields.append(f)
    return fields


def rve_mesh(comm, box, particles, mesh_size: float, *, pores=None,
             min_elements_per_circle: int = 24, refine_gaps: bool = True,
             min_size: float | None = None, periodic: bool | None = None,
             coating: float = 0.0, coating_elements: float = 2.0, cache: bool = True,
             verbosity: int = 0) -> T.TaggedMesh:
    """Conforming RVE mesh: discs (2D, plane strain) or spheres (3D) in a box.

    Args:
        comm: MPI communicator.
        box: ``[[xmin, ymin(, zmin)], [xmax, ymax(, zmax)]]`` in m; its shape selects 2D/3D.
        particles: a :class:`~interface.geometry.packing.Packing` or ``(centres, radii)``
            in m.  Particles (with their coating) must not touch.
        mesh_size: largest element size, m.
        pores: optional ``(centres, radii)`` of empty voids in the electrolyte, m
            (cut out of the matrix; their surfaces are traction free).
        min_elements_per_circle: curvature refinement (elements per 2 pi of arc).
        refine_gaps: refine narrow particle-particle and particle-face gaps.
        min_size: smallest element size, m (default ``0.02 mesh_size``).
        periodic: periodic layout, particles cut by the box faces (default: the
            ``periodic`` flag of a Packing, else False).
        coating: thickness of a coating shell around every particle, m (0: none).
        coating_elements: elements through the coating thickness (element
            size ``coating / coating_elements`` in the shell).
        cache: read / write the mesh cache (:mod:`interface.geometry.gmsh_mesh`).
        verbosity: gmsh verbosity.

    Returns:
        TaggedMesh: matrix cells tag 1, particle i cells and interface facets
        1000 + i, coating cells of particle i 2000 + i, box faces
        LEFT/RIGHT/BOTTOM/TOP(/BACK/FRONT) = 1..6 on the matrix and (periodic)
        11..16 on the particle pieces.

    Raises:
        ValueError: overlapping particles, particles touching the box (walled),
            or a surface tangent to a box face (periodic).
    """
    if isinstance(particles, Packing):
        centres, radii = particles.centres, particles.radii
        if periodic is None:
            periodic = particles.periodic
    else:
        centres, radii = particles
    periodic = bool(periodic)
    box = np.asarray(box, float)
    if box.shape not in ((2, 2), (2, 3)):
        raise ValueError("box must be [[lower corner], [upper corner]] in 2D or 3D")
    dim = box.shape[1]
    centres = np.asarray(centres, float).reshape(-1, dim)
    radii = np.asarray(radii, float).ravel()
    lo, hi = box
    t = float(coating)
    if t < 0:
        raise ValueError("the coating thickness must be >= 0")
    if len(radii) != len(centres):
        raise ValueError("centres and radii must have the same length")
    if len(radii) == 0:
        raise ValueError("at least one particle is required")
    if pores is None:
        pore_c, pore_r = np.zeros((0, dim)), np.zeros(0)
    else:
        pore_c = np.asarray(pores[0], float).reshape(-1, dim)
        pore_r = np.asarray(pores[1], float).ravel()
    if periodic:
        lo_w = lo + np.mod(centres - lo, hi - lo)
        centres = lo_w
        pore_c = lo + np.mod(pore_c - lo, hi - lo)
    # clearance with the coatings: the coated particles must not touch
    all_c, all_r = np.vstack([centres, pore_c]), np.concatenate([radii + t, pore_r + t])
    clear, wclear = check_packing(all_c, all_r, box, periodic=periodic)
    if clear <= 0.0:
        raise ValueError(f"particles (with their coating) overlap (min clearance {clear:.3e} m)")
    shells = (0.0, t) if t > 0 else (0.0,)
    fmargin = np.inf
    if periodic:
        fmargin = face_margin(all_c, all_r - t, box, shells)
        if fmargin <= 1e-6 * float(np.max(hi - lo)):
            raise ValueError("a particle surface is tangent to a box face, edge or corner "
                             f"(margin {fmargin:.3e} m); shift the packing")
    elif wclear <= 0.0:
        raise ValueError("particles must lie strictly inside the box (they are not cut by its "
                         f"faces); min wall clearance {wclear:.3e} m")
    h_coat = t / coating_elements if t > 0 else np.inf
    min_size = 0.02 * mesh_size if min_size is None else min_size
    min_size = min(min_size, h_coat)
    L = float(np.max(hi - lo))
    lo_s, hi_s = lo / L, hi / L
    box_s = box / L
    h_s, hmin_s = mesh_size / L, min_size / L
    t_s, hc_s = t / L, h_coat / L
    # balls to build: (owner index, centre, radius) of particles (with images) and pores
    pad = t + 2.0 * mesh_size
    if periodic:
        p_own, p_cen = periodic_images(centres, radii, box, pad=t)
        q_own, q_cen = periodic_images(pore_c, pore_r, box) if len(pore_r) else \
            (np.zeros(0, int), np.zeros((0, dim)))
        # images for the gap refinement (also those just outside the box)
        r_own, r_cen = periodic_images(all_c, all_r, box, pad=pad)
    else:
        p_own, p_cen = np.arange(len(radii)), centres
        q_own, q_cen = np.arange(len(pore_r)), pore_c
        r_own, r_cen = np.arange(len(all_r)), all_c
    p_rad, q_rad = radii[p_own], pore_r[q_own]

    def ball(occ, c, r):
        return occ.addDisk(c[0], c[1], 0.0, r, r) if dim == 2 else occ.addSphere(*c, r)

    def build(gmsh):
        occ = gmsh.model.occ
        if dim == 2:
            body = occ.addRectangle(lo_s[0], lo_s[1], 0.0, hi_s[0] - lo_s[0], hi_s[1] - lo_s[1])
        else:
            body = occ.addBox(*lo_s, *(hi_s - lo_s))
        if len(q_rad):
            holes = [ball(occ, c / L, r / L) for c, r in zip(q_cen, q_rad, strict=True)]
            cut, _ = occ.cut([(dim, body)], [(dim, h) for h in holes])
            if len(cut) != 1:
                raise RuntimeError("unexpected gmsh cut result for the pores")
            body = cut[0][1]
        cores = [ball(occ, c / L, r / L) for c, r in zip(p_cen, p_rad, strict=True)]
        outers = [ball(occ, c / L, (r + t) / L) for c, r in zip(p_cen, p_rad, strict=True)] \
            if t > 0 else []
        _, out_map = occ.fragment([(dim, body)], [(dim, e) for e in cores + outers])
        inside = {e[1] for e in out_map[0]}
        n_img = len(cores)
        core_of = {}  # particle index -> set of volumes
        outer_of = {}
        for k in range(n_img):
            i = int(p_own[k])
            core_of.setdefault(i, set()).update(e[1] for e in out_map[1 + k] if e[1] in inside)
            if t > 0:
                outer_of.setdefault(i, set()).update(
                    e[1] for e in out_map[1 + n_img + k] if e[1] in inside)
        every = {e[1] for m in out_map for e in m}
        outside = sorted(every - inside)
        if outside:
            occ.remove([(dim, e) for e in outside], recursive=True)
        occ.synchronize()
        part_vols = set().union(*core_of.values(), *outer_of.values())
        matrix_ents = sorted(inside - part_vols)
        if not matrix_ents:
            raise RuntimeError("no electrolyte left in the box")

        def bnd(vols):
            out = set()
            for v in vols:
                out.update(abs(b[1]) for b in gmsh.model.getBoundary(
                    [(dim, v)], oriented=False, combined=False))
            return out

        m_bnd = bnd(matrix_ents)
        for i in sorted(core_of):
            core = sorted(core_of[i])
            if not core:
                raise RuntimeError(f"particle {i} has no volume inside the box")
            gmsh.model.addPhysicalGroup(dim, core, T.particle_tag(i), name=f"particle_{i}")
            shell = sorted(outer_of.get(i, set()) - core_of[i])
            if t > 0:
                if not shell:
                    raise RuntimeError(f"particle {i} has no coating volume")
                gmsh.model.addPhysicalGroup(dim, shell, T.coating_tag(i), name=f"coating_{i}")
            iface = sorted(bnd(core + shell) & m_bnd)
            gmsh.model.addPhysicalGroup(dim - 1, iface, T.particle_tag(i),
                                        name=f"interface_{i}")
        gmsh.model.addPhysicalGroup(dim, matrix_ents, T.MATRIX, name="matrix")
        outer = gmsh.model.getBoundary([(dim, e) for e in sorted(inside)], oriented=False,
                                       combined=True)
        outer = [abs(b[1]) for b in outer]
        # box-face pieces of the particles get their own tags (side + PIECE_OFFSET)
        p_bnd = bnd(part_vols)
        sides = _classify_box_boundary(gmsh, dim, lo_s, hi_s,
                                       [e for e in outer if e not in p_bnd], 1e-6)
        for tag, ents in sides.items():
            gmsh.model.addPhysicalGroup(dim - 1, ents, tag)
        sides = _classify_box_boundary(gmsh, dim, lo_s, hi_s,
                                       [e for e in outer if e in p_bnd], 1e-6)
        for tag, ents in sides.items():
            gmsh.model.addPhysicalGroup(dim - 1, ents, tag + T.PIECE_OFFSET)
        set_size_options(gmsh, h_s, hmin_s, min_elements_per_circle, 1)
        flds = []
        if refine_gaps:
            flds += _gap_refinement_fields(gmsh, r_cen / L, all_r[r_own] / L, box_s, h_s,
                                           hmin_s, wall_refine=True,
                                           shells=tuple(s / L for s in shells), owner=r_own)
        if t > 0:
            flds += _coating_fields(gmsh, p_cen / L, p_rad / L, t_s, hc_s)
        if flds:
            fmin = gmsh.model.mesh.field.add("Min")
            gmsh.model.mesh.field.setNumbers(fmin, "FieldsList", flds)
            gmsh.model.mesh.field.setAsBackgroundMesh(fmin)
        gmsh.model.mesh.generate(dim)

    params = {"box": box, "centres": centres, "radii": radii, "mesh_size": mesh_size,
              "min_size": min_size, "min_elements_per_circle": min_elements_per_circle,
              "refine_gaps": refine_gaps, "pore_centres": pore_c, "pore_radii": pore_r,
              "periodic": periodic, "coating": t, "coating_elements": coating_elements}
    msh, ct, ft, info = generate_or_load(comm, f"rve{dim}d", params, build, dim, L, cache=cache,
                                         verbosity=verbosity)
    ptags = [T.particle_tag(i) for i in range(len(radii))]
    ctags = {T.coating_tag(i): T.particle_tag(i) for i in range(len(radii))} if t > 0 else {}
    btags = {"left": T.LEFT, "right": T.RIGHT, "bottom": T.BOTTOM, "top": T.TOP}
    if dim == 3:
        btags.update({"back": T.BACK, "front": T.FRONT})
    if periodic:
        btags.update({f"{k}_particles": v + T.PIECE_OFFSET for k, v in list(btags.items())})
    vol = float(np.prod(hi - lo))

    def meas(r):
        return np.pi * r**2 if dim == 2 else 4 / 3 * np.pi * r**3

    return T.TaggedMesh(
        msh, ct, ft, ptags, [T.MATRIX], {tg: tg for tg in ptags}, btags,
        metadata={"kind": f"rve_{dim}d", "box": box, "centres": centres, "radii": radii,
                  "periodic": periodic, "coating_thickness": t,
                  "volume_fraction": float(meas(radii).sum() / vol), "pore_radii": pore_r,
                  "coating_fraction": float((meas(radii + t) - meas(radii)).sum() / vol),
                  "porosity": float(meas(pore_r).sum() / vol),
                  "mesh_size": mesh_size, "coating_mesh_size": h_coat if t > 0 else None,
                  "min_clearance": clear, "min_wall_clearance": wclear,
                  "face_margin": fmargin, **info},
        coating_tags=ctags,
    )
