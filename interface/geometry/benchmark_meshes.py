"""Canonical verification geometries: misfitting inclusion and cylinder on a flat.

Both are conforming particle | matrix meshes with the tags of
:mod:`interface.geometry.particle_tags` (particle 1000, matrix 1, interface
1000), built on rank 0 with gmsh and cached like the RVEs.  Lengths in m.
"""

from __future__ import annotations

import numpy as np

from interface.geometry import particle_tags as T
from interface.geometry.gmsh_mesh import generate_or_load, set_size_options

__all__ = ["cylinder_on_flat", "single_inclusion"]


def single_inclusion(comm, dim: int, r_particle: float, r_outer: float, mesh_size: float, *,
                     interface_size: float | None = None, symmetric: bool = True,
                     order: int = 1, coating: float = 0.0,
                     cache: bool = True) -> T.TaggedMesh:
    """Disc in an annulus (2D) or ball in a spherical shell (3D), optionally coated.

    With ``symmetric`` only the quarter (2D) or octant (3D) is meshed; the planes
    x=0, y=0, z=0 are tagged LEFT, BOTTOM, BACK (rollers), the outer surface OUTER.

    Args:
        comm: MPI communicator.
        dim: 2 or 3.
        r_particle: particle radius a, m.
        r_outer: matrix outer radius b, m.
        mesh_size: element size at the outer surface, m.
        interface_size: element size at the interface, m (default ``mesh_size``).
        symmetric: mesh the quarter / octant only.
        order: gmsh geometry order.
        coating: thickness t of a coating shell a < r < a + t (cells
            ``coating_tag(0)``, bonded to the core; the interface is at a + t), m.
        cache: use the mesh cache.
    """
    if dim not in (2, 3):
        raise ValueError("dim must be 2 or 3")
    if not (0 < r_particle and coating >= 0 and r_particle + coating < r_outer):
        raise ValueError("need 0 < r_particle < r_particle + coating < r_outer")
    h_i = mesh_size if interface_size is None else interface_size
    L = float(r_outer)
    rp_s, ro_s, h_s, hi_s = r_particle / L, 1.0, mesh_size / L, h_i / L
    rc_s = (r_particle + coating) / L
    tol = 1e-6

    def build(gmsh):
        occ = gmsh.model.occ
        if dim == 2:
            outer = occ.addDisk(0, 0, 0, ro_s, ro_s)
            inner = occ.addDisk(0, 0, 0, rp_s, rp_s)
            shell = occ.addDisk(0, 0, 0, rc_s, rc_s) if coating > 0 else None
            if symmetric:
                q = occ.addRectangle(0, 0, 0, 2 * ro_s, 2 * ro_s)
                q2 = occ.addRectangle(0, 0, 0, 2 * ro_s, 2 * ro_s)
                outer = occ.intersect([(2, outer)], [(2, q)])[0][0][1]
                inner = occ.intersect([(2, inner)], [(2, q2)])[0][0][1]
                if shell is not None:
                    q3 = occ.addRectangle(0, 0, 0, 2 * ro_s, 2 * ro_s)
                    shell = occ.intersect([(2, shell)], [(2, q3)])[0][0][1]
        else:
            outer = occ.addSphere(0, 0, 0, ro_s)
            inner = occ.addSphere(0, 0, 0, rp_s)
            shell = occ.addSphere(0, 0, 0, rc_s) if coating > 0 else None
            if symmetric:
                q = occ.addBox(0, 0, 0, 2 * ro_s, 2 * ro_s, 2 * ro_s)
                q2 = occ.addBox(0, 0, 0, 2 * ro_s, 2 * ro_s, 2 * ro_s)
                outer = occ.intersect([(3, outer)], [(3, q)])[0][0][1]
                inner = occ.intersect([(3, inner)], [(3, q2)])[0][0][1]
                if shell is not None:
                    q3 = occ.addBox(0, 0, 0, 2 * ro_s, 2 * ro_s, 2 * ro_s)
                    shell = occ.intersect([(3, shell)], [(3, q3)])[0][0][1]
        tools = [(dim, inner)] + ([(dim, shell)] if shell is not None else [])
        _, out_map = occ.fragment([(dim, outer)], tools)
        occ.synchronize()
        p_ent = out_map[1][0][1]
        c_ents = sorted({e[1] for e in out_map[2]} - {p_ent}) if shell is not None else []
        m_ents = [e[1] for e in out_map[0] if e[1] != p_ent and e[1] not in c_ents]
        gmsh.model.addPhysicalGroup(dim, [p_ent], T.particle_tag(0), name="particle_0")
        if c_ents:
            gmsh.model.addPhysicalGroup(dim, c_ents, T.coating_tag(0), name="coating_0")
        gmsh.model.addPhysicalGroup(dim, m_ents, T.MATRIX, name="matrix")
        p_bnd = {abs(b[1]) for b in gmsh.model.getBoundary([(dim, e) for e in [p_ent, *c_ents]],
                                                             oriented=False, combined=False)}
        m_bnd = {abs(b[1]) for b in gmsh.model.getBoundary([(dim, e) for e in m_ents],
                                                             oriented=False, combined=False)}
        iface = sorted(p_bnd & m_bnd)
        gmsh.model.addPhysicalGroup(dim - 1, iface, T.particle_tag(0), name="interface_0")
        groups = {T.LEFT: [], T.BOTTOM: [], T.BACK: [], T.OUTER: []}
        for e in sorted((p_bnd | m_bnd) - set(iface)):
            bb = np.array(gmsh.model.getBoundingBox(dim - 1, e))
            if symmetric and abs(bb[3]) < tol:
                groups[T.LEFT].append(e)
            elif symmetric and abs(bb[4]) < tol:
                groups[T.BOTTOM].append(e)
            elif symmetric and dim == 3 and abs(bb[5]) < tol:
                groups[T.BACK].append(e)
            else:
                groups[T.OUTER].append(e)
        for tag, ents in groups.items():
            if ents:
                gmsh.model.addPhysicalGroup(dim - 1, ents, tag)
        set_size_options(gmsh, h_s, 0.1 * min(hi_s, h_s), 0, order)
        fd = gmsh.model.mesh.field.add("Distance")
        gmsh.model.mesh.field.setNumbers(fd, "SurfacesList" if dim == 3 else "CurvesList", iface)
        gmsh.model.mesh.field.setNumber(fd, "Sampling", 200)
        ft = gmsh.model.mesh.field.add("Threshold")
        gmsh.model.mesh.field.setNumber(ft, "InField", fd)
        gmsh.model.mesh.field.setNumber(ft, "SizeMin", hi_s)
        gmsh.model.mesh.field.setNumber(ft, "SizeMax", h_s)
        gmsh.model.mesh.field.setNumber(ft, "DistMin", 0.0)
        gmsh.model.mesh.field.setNumber(ft, "DistMax", max(ro_s - rc_s, 1e-30))
        gmsh.model.mesh.field.setAsBackgroundMesh(ft)
        gmsh.model.mesh.generate(dim)
        if order > 1:
            gmsh.model.mesh.setOrder(order)

    params = {"r_particle": r_particle, "r_outer": r_outer, "mesh_size": mesh_size,
              "interface_size": h_i, "symmetric": symmetric, "order": order}
    if coating > 0:
        params["coating"] = coating
    msh, ct, ftags, info = generate_or_load(comm, f"inclusion{dim}d", params, build, dim, L,
                                            cache=cache)
    btags = {"outer": T.OUTER}
    if symmetric:
        btags.update({"left": T.LEFT, "bottom": T.BOTTOM})
        if dim == 3:
            btags["back"] = T.BACK
    return T.TaggedMesh(
        msh, ct, ftags, [T.particle_tag(0)], [T.MATRIX], {T.particle_tag(0): T.particle_tag(0)},
        btags, metadata={"kind": f"inclusion_{dim}d", "r_particle": r_particle,
                         "r_outer": r_outer, "symmetric": symmetric, "mesh_size": mesh_size,
                         "interface_size": h_i, "coating_thickness": coating, **info},
        coating_tags={T.coating_tag(0): T.particle_tag(0)} if coating > 0 else {},
    )


def cylinder_on_flat(comm, R: float, mesh_size: float, *, contact_size: float | None = None,
                     block_width: float | None = None, block_height: float | None = None,
                     flat_halfwidth: float | None = None, refine_radius: float | None = None,
                     grading: float = 0.2, cache: bool = True) -> T.TaggedMesh:
    """Half-cylinder of radius R pressed onto a rectangular block (plane strain, half model).

    The cylinder (cells 1000, the "+" body) is the quarter disc centred at (0, R);
    its flat top y = R is TOP, the symmetry plane x = 0 is LEFT.  The block (cells
    1) is [0, W] x [-H, 0] with RIGHT and BOTTOM.  Conforming pairing: the cusp
    sliver {0 <= x <= c, 0 <= y <= R - sqrt(R^2 - x^2)} is added to the cylinder,
    so it has a flat foot [0, c] sharing its nodes with the block top (facet tag
    1000); the curved surface enters through the initial gap
    g0(x) = R - sqrt(R^2 - x^2) (``metadata["initial_gap"]``).  The sliver is at
    most c^2/2R thick: the half-space approximation of Hertz theory itself.

    Args:
        comm: MPI communicator.
        R: cylinder radius, m.
        mesh_size: element size far from the contact, m.
        contact_size: element size in the contact zone, m (default R/200).
        block_width: block width W, m (default 2R).
        block_height: block height H, m (default 2R).
        flat_halfwidth: half width c of the paired foot, m (default R/4).
        refine_radius: radius of the finely meshed zone, m (default 1.2 c).
        grading: growth of the element size per unit distance from the fine zone.
        cache: use the mesh cache.
    """
    W = 2.0 * R if block_width is None else block_width
    H = 2.0 * R if block_height is None else block_height
    c = 0.25 * R if flat_halfwidth is None else flat_halfwidth
    hc = contact_size if contact_size is not None else R / 200.0
    rr = 1.2 * c if refine_radius is None else refine_radius
    if not 0 < c < R:
        raise ValueError("flat_halfwidth must be in (0, R)")
    yc = R - np.sqrt(R**2 - c**2)
    L = float(R)
    Rs, Ws, Hs, cs, ycs = 1.0, W / L, H / L, c / L, yc / L
    hcs, rrs, hs = hc / L, rr / L, mesh_size / L
    tol = 1e-6

    def build(gmsh):
        occ = gmsh.model.occ
        disk = occ.addDisk(0, Rs, 0, Rs, Rs)
        quad = occ.addRectangle(0, 0, 0, Rs, Rs)
        cyl = occ.intersect([(2, disk)], [(2, quad)])[0][0][1]
        foot = occ.addRectangle(0, 0, 0, cs, ycs)
        cyl_f = occ.fuse([(2, cyl)], [(2, foot)])[0]
        occ.removeAllDuplicates()
        block = occ.addRectangle(0, -Hs, 0, Ws, Hs)
        _, out_map = occ.fragment([(2, e[1]) for e in cyl_f], [(2, block)])
        occ.synchronize()
        cyl_ents = sorted({e[1] for m in out_map[:-1] for e in m})
        blk_ents = [e[1] for e in out_map[-1]]
        gmsh.model.addPhysicalGroup(2, cyl_ents, T.particle_tag(0), name="cylinder")
        gmsh.model.addPhysicalGroup(2, blk_ents, T.MATRIX, name="block")
        c_bnd = {abs(b[1]) for b in gmsh.model.getBoundary([(2, e) for e in cyl_ents],
                                                             oriented=False)}
        b_bnd = {abs(b[1]) for b in gmsh.model.getBoundary([(2, e) for e in blk_ents],
                                                             oriented=False)}
        iface = sorted(c_bnd & b_bnd)
        groups = {T.LEFT: [], T.RIGHT: [], T.BOTTOM: [], T.TOP: [], T.FREE: []}
        for e in sorted((c_bnd | b_bnd) - set(iface)):
            bb = np.array(gmsh.model.getBoundingBox(1, e))
            if abs(bb[3]) < tol:
                groups[T.LEFT].append(e)
            elif abs(bb[0] - Ws) < tol and abs(bb[3] - Ws) < tol:
                groups[T.RIGHT].append(e)
            elif abs(bb[1] + Hs) < tol and abs(bb[4] + Hs) < tol:
                groups[T.BOTTOM].append(e)
            elif abs(bb[1] - Rs) < tol and abs(bb[4] - Rs) < tol:
                groups[T.TOP].append(e)
            else:
                groups[T.FREE].append(e)
        gmsh.model.addPhysicalGroup(1, iface, T.particle_tag(0), name="contact")
        for tag, ents in groups.items():
            if ents:
                gmsh.model.addPhysicalGroup(1, ents, tag)
        set_size_options(gmsh, hs, 0.5 * hcs, 0, 1)
        fd = gmsh.model.mesh.field.add("Distance")
        pt = occ.addPoint(0, 0, 0)
        occ.synchronize()
        gmsh.model.mesh.field.setNumbers(fd, "PointsList", [pt])
        ft = gmsh.model.mesh.field.add("Threshold")
        gmsh.model.mesh.field.setNumber(ft, "InField", fd)
        gmsh.model.mesh.field.setNumber(ft, "SizeMin", hcs)
        gmsh.model.mesh.field.setNumber(ft, "SizeMax", hs)
        gmsh.model.mesh.field.setNumber(ft, "DistMin", rrs)
        gmsh.model.mesh.field.setNumber(ft, "DistMax", rrs + (hs - hcs) / grading)
        gmsh.model.mesh.field.setAsBackgroundMesh(ft)
        gmsh.model.mesh.generate(2)

    params = {"R": R, "W": W, "H": H, "c": c, "hc": hc, "rr": rr, "h": mesh_size,
              "grading": grading}
    msh, ct, ftags, info = generate_or_load(comm, "hertz2d", params, build, 2, L, cache=cache)

    def initial_gap(x):
        """Initial normal gap g0 at interface points x (UFL or numpy), m."""
        import ufl

        if isinstance(x, np.ndarray):
            return R - np.sqrt(R**2 - x[0] ** 2)
        return R - ufl.sqrt(R**2 - x[0] ** 2)

    return T.TaggedMesh(
        msh, ct, ftags, [T.particle_tag(0)], [T.MATRIX], {T.particle_tag(0): T.particle_tag(0)},
        {"left": T.LEFT, "right": T.RIGHT, "bottom": T.BOTTOM, "top": T.TOP, "free": T.FREE},
        metadata={"kind": "cylinder_on_flat", "R": R, "block_width": W, "block_height": H,
                  "flat_halfwidth": c, "contact_size": hc, "mesh_size": mesh_size,
                  "initial_gap": initial_gap, **info},
    )
