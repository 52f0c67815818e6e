"""A pressurised enclosure: the module's stack in a gas-filled thin-walled pressure vessel.

The gas presses the pouch cells isostatically: the pressure is the same on every face,
so the pressure over the electrode face is uniform by construction (no plate bowing),
and the walls carry it in membrane tension, the lightest way to hold a pressure.

**Walls** (thin shells, membrane stresses; Roark's Formulas for Stress and Strain, 7th
ed., ch. 13, thin-walled pressure vessels): a cylinder of radius r under internal
pressure P has the hoop stress P r / t (the axial stress is half of it), a hemispherical
head P r / (2 t).  With sigma_allow = yield / safety factor,

    t_cyl = P r / sigma_allow,     t_head = P r / (2 sigma_allow),               (1)

never below ``min_wall`` (handling and sealing; 1 mm [assumed]).  The thin-shell
formula is within t / (2 r) of the exact Lame thick-walled cylinder (verification row
``system.enclosure_shell``).

**Geometry.**  The stack of N cells (a block of footprint x width x N h_cell, at its
charged thickness) lies in a cylinder whose axis runs along one of the block's edges;
the cross-section is the circle around the other two (plus a clearance), the ends are
hemispheres.  The orientation with the lightest wall is chosen (within 5 %, e.g. walls
at their minimum thickness: the smaller envelope).  The module's envelope in a pack is the
vessel's bounding box (cylinders do not tile a rectangular pack).

**Gas spring.**  The gas fills the vessel around the stack.  When the cells breathe by
dV (their volume change), the gas is compressed isothermally: P = P_0 V_g / (V_g - dV)
(Boyle).  If the vessel's own gas volume lets the pressure leave the allowed band, a
spherical reservoir (same wall rule) is added until V_g >= dV_max P_hi / (P_hi - P_0).
A sealed gas volume also follows the temperature (P ~ T: +-7 % for +-20 K); that is not
part of the cycle's pressure here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from interface.errors import InputError

#: Universal gas constant, J/(mol K); molar mass of N2, kg/mol (fill gas).
GAS_CONSTANT = 8.314462618
N2_MOLAR_MASS = 0.0280134

ROARK_SHELLS = ("Roark's Formulas for Stress and Strain, 7th ed., ch. 13 (thin-walled "
                "pressure vessels: cylinder hoop P r / t, sphere P r / 2t)")


def cylinder_wall(pressure: float, radius: float, allowable_stress: float) -> float:
    """Thin-shell wall of a cylinder under internal pressure, t = P r / sigma_allow, m."""
    return pressure * radius / allowable_stress


def sphere_wall(pressure: float, radius: float, allowable_stress: float) -> float:
    """Thin-shell wall of a sphere (hemispherical head), t = P r / (2 sigma_allow), m."""
    return pressure * radius / (2.0 * allowable_stress)


def lame_cylinder_wall(pressure: float, radius: float, allowable_stress: float) -> float:
    """Wall of a thick cylinder whose peak hoop stress (inner face, Lame) is the allowable.

    sigma_theta(a) = P (b^2 + a^2) / (b^2 - a^2)  ->  b = a sqrt((s + P) / (s - P)),
    t = b - a (internal pressure only, open ends).
    """
    s = allowable_stress
    if pressure >= s:
        return math.inf
    return radius * (math.sqrt((s + pressure) / (s - pressure)) - 1.0)


def boyle_pressure(preload: float, gas_volume: float, volume_change: float) -> float:
    """Isothermal gas pressure after the cells grow by ``volume_change`` m^3, Pa."""
    if volume_change >= gas_volume:
        return math.inf
    return preload * gas_volume / (gas_volume - volume_change)


def _envelope_volume(block, axis, r, length, t, th, r_res, t_res) -> float:
    z = length + 2 * (r + th) + (2 * (r_res + t_res) if r_res > 0 else 0.0)
    return (2 * (r + t)) ** 2 * z


@dataclass
class EnclosureDesign:
    """One module's pressure vessel (SI units)."""

    radius_m: float
    cylinder_length_m: float
    wall_m: float
    head_wall_m: float
    axis: str
    gas_volume_m3: float
    reservoir_radius_m: float
    reservoir_wall_m: float
    wall_mass_kg: float
    head_mass_kg: float
    reservoir_mass_kg: float
    gas_mass_kg: float
    envelope_m: tuple[float, float, float]
    material: str
    parts: list = field(default_factory=list)


def size_enclosure(pressure_design: float, preload: float, block: tuple[float, float, float],
                   stack_volume: float, breathing_volume: tuple[float, float], material,
                   allowable_stress: float, pressure_high: float, pressure_low: float, *,
                   temperature: float = 298.15, clearance: float = 3e-3,
                   min_wall: float = 1e-3) -> EnclosureDesign:
    """The lightest cylinder-with-hemispherical-heads vessel around a block of cells.

    Args:
        pressure_design: pressure the walls are sized for (the cycle's largest), Pa.
        preload: gas pressure at assembly (reference SOC), Pa.
        block: (x, y, z) edges of the stack of cells, m.
        stack_volume: volume of the cells, m^3.
        breathing_volume: (smallest, largest) volume change of the cells over the cycle
            relative to assembly, m^3.
        material: wall material (Material with density).
        allowable_stress: yield / safety factor, Pa.
        pressure_high: top of the band the gas pressure must stay in, Pa.
        pressure_low: bottom of the band, Pa.
        temperature: gas temperature (fill mass), K.
        clearance: gap between the block and the wall, m.
        min_wall: smallest wall thickness, m.
    """
    if not (pressure_design > 0 and allowable_stress > 0):
        raise InputError("the enclosure needs a positive pressure and allowable stress",
                         key="enclosure")
    rho = material.density
    best = None
    dv_lo, dv_hi = breathing_volume
    for axis in range(3):
        others = [block[i] for i in range(3) if i != axis]
        r = 0.5 * math.hypot(*others) + clearance
        length = block[axis] + 2 * clearance
        t = max(cylinder_wall(pressure_design, r, allowable_stress), min_wall)
        th = max(sphere_wall(pressure_design, r, allowable_stress), min_wall)
        v_inner = math.pi * r**2 * length + 4.0 / 3.0 * math.pi * r**3
        v_gas = v_inner - stack_volume
        m_wall = rho * math.pi * ((r + t) ** 2 - r**2) * length
        m_head = rho * 4.0 / 3.0 * math.pi * ((r + th) ** 3 - r**3)
        # reservoir if the vessel's own gas volume lets the pressure leave the band
        need = 0.0
        if dv_hi > 0 and math.isfinite(pressure_high):
            need = max(need, dv_hi * pressure_high / (pressure_high - preload))
        if dv_lo < 0 and pressure_low > 0:
            need = max(need, -dv_lo * pressure_low / (preload - pressure_low))
        r_res = t_res = m_res = 0.0
        if need > v_gas:
            extra = need - v_gas
            r_res = (3.0 * extra / (4.0 * math.pi)) ** (1.0 / 3.0)
            t_res = max(sphere_wall(pressure_design, r_res, allowable_stress), min_wall)
            m_res = rho * 4.0 / 3.0 * math.pi * ((r_res + t_res) ** 3 - r_res**3)
            v_gas = need
        mass = m_wall + m_head + m_res
        env_volume = _envelope_volume(block, axis, r, length, t, th, r_res, t_res)
        # the lightest; within 5 % of it (walls at their minimum), the smaller envelope
        if best is None or mass < 0.95 * best[0] or (mass <= 1.05 * best[0]
                                                     and env_volume < best[-1]):
            dims = [0.0, 0.0, 0.0]
            dims[axis] = length + 2 * (r + th)
            for i in range(3):
                if i != axis:
                    dims[i] = 2 * (r + t)
            if r_res > 0:  # the reservoir sits at one end of the vessel
                dims[axis] += 2 * (r_res + t_res)
            best = (mass, axis, r, length, t, th, v_gas, r_res, t_res, m_wall, m_head, m_res,
                    tuple(dims), env_volume)
    (_, axis, r, length, t, th, v_gas, r_res, t_res, m_wall, m_head, m_res, env, _) = best
    gas_mass = preload * v_gas * N2_MOLAR_MASS / (GAS_CONSTANT * temperature)
    return EnclosureDesign(radius_m=r, cylinder_length_m=length, wall_m=t, head_wall_m=th,
                           axis="xyz"[axis], gas_volume_m3=v_gas, reservoir_radius_m=r_res,
                           reservoir_wall_m=t_res, wall_mass_kg=m_wall, head_mass_kg=m_head,
                           reservoir_mass_kg=m_res, gas_mass_kg=gas_mass, envelope_m=env,
                           material=material.name)
