"""The stack as a laminate of physical layers: effective properties and eigenstrains vs SOC.

Pure numpy (no FE).  Used by the FE stack model (material data per layer), by
the closed-form verification, and later by the energy bookkeeping (mass per
area).  Conventions: the stacking direction is the last axis ("zz"); the cell
is at its reference SOC (assembly) when every eigenstrain is zero.

Eigenstrains (principal components xx, yy, zz; relative to the reference SOC):

* composite electrode: isotropic e = (1 + theta_eff)^(1/3) - 1 with theta_eff the
  composite's volumetric strain, from the active material's strain curve at its
  stoichiometry x(SOC) = x0 + (x1 - x0) SOC and the homogenisation of
  :mod:`interface.materials.homogenisation`;
* Li metal / anode-free: through-thickness growth e_zz = (h(SOC) - h(SOC_ref)) / h_mesh
  with h the Li thickness, h = h0 + Q SOC M_Li / (F rho_Li) (4.85 um per mAh/cm^2);
* every layer: isotropic thermal strain alpha dT.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from interface.case.stack import (
    AlloyAnodeLayer,
    AnodeFreeLayer,
    CompositeElectrodeLayer,
    LithiumMetalLayer,
    SolidLayer,
    StackSpec,
)
from interface.errors import InputError
from interface.materials import Material, get_material, li_plating_thickness_per_charge
from interface.materials.homogenisation import (
    Phase,
    levin_swelling,
    mori_tanaka,
    voigt_reuss_hill,
)
from interface.materials.library import FARADAY
from interface.materials.material import from_moduli


@dataclass(frozen=True)
class LayerModel:
    """One physical layer of the stack (SI units).

    Attributes:
        name: layer name; ``name@k`` for repeat unit k > 1.
        base_name: the layer's name in the case file.
        unit_index: repeat unit (0-based).
        kind: layer kind from the case.
        thickness: meshed thickness at the reference SOC, m.
        youngs_modulus, poisson_ratio: effective elastic constants (Pa, -).
        density: effective mass density, kg/m^3.
        thermal_expansion: 1/K.
        eigenstrain: SOC -> principal eigenstrain (xx, yy, zz) excluding thermal strain.
        areal_capacity: C/m^2 cycled between SOC 0 and 1 (electrodes), else 0.
    """

    name: str
    base_name: str
    unit_index: int
    kind: str
    thickness: float
    youngs_modulus: float
    poisson_ratio: float
    density: float
    thermal_expansion: float
    eigenstrain: Callable[[float], np.ndarray]
    areal_capacity: float = 0.0

    @property
    def lame(self) -> tuple[float, float]:
        """(lambda, mu) in Pa."""
        e, nu = self.youngs_modulus, self.poisson_ratio
        return e * nu / ((1 + nu) * (1 - 2 * nu)), e / (2 * (1 + nu))

    @property
    def oedometric_modulus(self) -> float:
        """M = lambda + 2 mu in Pa (laterally constrained stiffness)."""
        lam, mu = self.lame
        return lam + 2 * mu

    def total_eigenstrain(self, soc: float, temperature_change: float) -> np.ndarray:
        """Eigenstrain including the thermal part, (xx, yy, zz)."""
        thermal = self.thermal_expansion * temperature_change
        return np.asarray(self.eigenstrain(soc), float) + thermal

    def free_strain_zz(self, soc: float, temperature_change: float = 0.0) -> float:
        """Through-thickness strain of the laterally constrained, unloaded layer.

        e_zz = (lambda tr(e*) + 2 mu e*_zz) / M; for isotropic e* this is e* (1+nu)/(1-nu).
        """
        lam, mu = self.lame
        e = self.total_eigenstrain(soc, temperature_change)
        return (lam * e.sum() + 2 * mu * e[2]) / (lam + 2 * mu)


@dataclass(frozen=True)
class Laminate:
    """The layers of the whole stack, bottom to top, plus the assembly state."""

    layers: tuple[LayerModel, ...]
    reference_soc: float
    temperature_change: float

    @property
    def thickness(self) -> float:
        """Total meshed thickness in m."""
        return float(sum(layer.thickness for layer in self.layers))

    @property
    def mass_per_area(self) -> float:
        """Mass per unit area in kg/m^2."""
        return float(sum(layer.thickness * layer.density for layer in self.layers))

    def free_thickness_change(self, soc: float) -> float:
        """Thickness change of the laterally constrained stack at zero pressure change, m."""
        return float(sum(layer.thickness * layer.free_strain_zz(soc, self.temperature_change)
                         for layer in self.layers))

    def compliance(self) -> float:
        """Through-thickness compliance per unit area sum(h_i / M_i), m/Pa."""
        return float(sum(layer.thickness / layer.oedometric_modulus for layer in self.layers))

    def pressure_change(self, soc: float, fixture_compliance: float) -> float:
        """Closed-form stack-pressure change of the laterally constrained laminate, Pa.

        dP = sum(h_i e_zz,i) / (sum(h_i / M_i) + C_f) with C_f the fixture compliance
        per unit area (m/Pa; 0 for a rigid fixture, inf for a constant load).
        """
        if np.isinf(fixture_compliance):
            return 0.0
        return self.free_thickness_change(soc) / (self.compliance() + fixture_compliance)


# ------------------------------------------------------------------------- builders
def _cathode_capacity(layer: CompositeElectrodeLayer, active: Material, key: str) -> float:
    if active.max_concentration is None:
        raise InputError(f"material '{layer.active_material}' has no max_concentration, needed "
                         "for the areal capacity", key=f"{key}.active_material")
    return (layer.thickness * layer.active_volume_fraction * active.max_concentration * FARADAY
            * abs(layer.stoichiometry_soc1 - layer.stoichiometry_soc0))


def _composite(layer: CompositeElectrodeLayer, custom: dict, key: str, soc_ref: float):
    active = get_material(layer.active_material, custom, key=f"{key}.active_material")
    electrolyte = get_material(layer.electrolyte, custom, key=f"{key}.electrolyte")
    curve = active.volumetric_strain
    if curve is None:
        raise InputError(f"material '{layer.active_material}' has no volumetric_strain curve",
                         key=f"{key}.active_material")
    lo, hi = curve.x_range
    for k in ("stoichiometry_soc0", "stoichiometry_soc1"):
        x = getattr(layer, k)
        if not lo - 1e-12 <= x <= hi + 1e-12:
            raise InputError(f"{x:g} is outside the strain curve of {layer.active_material} "
                             f"([{lo:g}, {hi:g}], {curve.source.split(',')[0]})", key=f"{key}.{k}")
    phi_a, phi_p = layer.active_volume_fraction, layer.porosity
    phi_e = 1.0 - phi_a - phi_p
    pa = Phase(active.bulk_modulus, active.shear_modulus, phi_a)
    pe = Phase(electrolyte.bulk_modulus, electrolyte.shear_modulus, phi_e)
    pores = [Phase(0.0, 0.0, phi_p)] if phi_p > 0 else []
    if layer.homogenisation == "mori_tanaka":
        k_eff, g_eff = mori_tanaka(pe, [pa, *pores])
    else:
        k_eff, g_eff = voigt_reuss_hill([pa, pe, *pores])
    # Matrix of the Levin formula: the porous electrolyte alone.
    if phi_p > 0:
        k_m, _ = mori_tanaka(Phase(pe.bulk, pe.shear, phi_e / (phi_e + phi_p)),
                             [Phase(0.0, 0.0, phi_p / (phi_e + phi_p))])
    else:
        k_m = pe.bulk
    if layer.swelling == "levin":
        factor = levin_swelling(Phase(pa.bulk, pa.shear, phi_a, 1.0), k_m, k_eff)
    else:
        factor = phi_a
    e_mod, nu = from_moduli(k_eff, g_eff)
    x0, x1 = layer.stoichiometry_soc0, layer.stoichiometry_soc1
    x_ref = x0 + (x1 - x0) * soc_ref

    def eigenstrain(soc: float) -> np.ndarray:
        x = x0 + (x1 - x0) * soc
        stretch = curve.linear_eigenstrain(x, x_ref)
        theta_active = (1.0 + stretch) ** 3 - 1.0
        e = np.cbrt(1.0 + factor * theta_active) - 1.0
        return np.full(3, float(e))

    density = phi_a * active.density + phi_e * electrolyte.density
    alpha = (phi_a * active.thermal_expansion + phi_e * electrolyte.thermal_expansion) / (
        phi_a + phi_e)
    capacity = (_cathode_capacity(layer, active, key) if layer.role == "cathode"
                else layer.thickness * phi_a * (active.max_concentration or 0.0) * FARADAY
                * abs(x1 - x0))
    return e_mod, nu, density, alpha, eigenstrain, capacity


def build_laminate(stack: StackSpec, custom_materials: dict, reference_soc: float,
                   soc_values: Sequence[float] = (0.0, 1.0)) -> Laminate:
    """Resolve the case's layers into physical layers with effective properties.

    Args:
        stack: the ``[stack]`` section.
        custom_materials: the case's ``[materials]``.
        reference_soc: the assembly SOC (zero eigenstrain).
        soc_values: SOCs the model will visit (to check that Li never runs out).

    Raises:
        InputError: unknown material, stoichiometry outside a strain curve, a Li
            layer without a cathode to take its capacity from, a foil that would
            be stripped below zero thickness.
    """
    base = stack.layers
    cathodes = [la for la in base if isinstance(la, CompositeElectrodeLayer)
                and la.role == "cathode"]
    unit: list[dict] = []
    vli = li_plating_thickness_per_charge()
    for layer in base:
        key = f"stack.layers.{layer.name}"
        if isinstance(layer, SolidLayer):
            mat = get_material(layer.material, custom_materials, key=f"{key}.material")
            if layer.fabrication_pressure is not None:
                if mat.compaction is None:
                    raise InputError(f"material '{layer.material}' has no compaction law (a "
                                     "compact needs one)", key=f"{key}.fabrication_pressure")
                dens = mat.compaction.density(layer.fabrication_pressure)
                if not 0.0 < dens < 1.0:
                    raise InputError(f"the compaction law gives a relative density of "
                                     f"{dens:.3g} at this pressure", key=f"{key}."
                                     "fabrication_pressure")
                e_mod = mat.youngs_modulus * dens ** mat.compaction.modulus_exponent
                unit.append(dict(kind="solid", layer=layer, thickness=layer.thickness, E=e_mod,
                                 nu=mat.poisson_ratio, rho=mat.density * dens,
                                 alpha=mat.thermal_expansion, eig=lambda soc: np.zeros(3),
                                 cap=0.0))
                continue
            if layer.porosity > 0:
                k, g = mori_tanaka(Phase(mat.bulk_modulus, mat.shear_modulus, 1 - layer.porosity),
                                   [Phase(0.0, 0.0, layer.porosity)])
                e_mod, nu = from_moduli(k, g)
            else:
                e_mod, nu = mat.youngs_modulus, mat.poisson_ratio
            unit.append(dict(kind="solid", layer=layer, thickness=layer.thickness, E=e_mod, nu=nu,
                             rho=mat.density * (1 - layer.porosity), alpha=mat.thermal_expansion,
                             eig=lambda soc: np.zeros(3), cap=0.0))
        elif isinstance(layer, CompositeElectrodeLayer):
            e_mod, nu, rho, alpha, eig, cap = _composite(layer, custom_materials, key,
                                                         reference_soc)
            unit.append(dict(kind=layer.kind, layer=layer, thickness=layer.thickness, E=e_mod,
                             nu=nu, rho=rho, alpha=alpha, eig=eig, cap=cap))
        elif isinstance(layer, LithiumMetalLayer | AnodeFreeLayer | AlloyAnodeLayer):
            mat = get_material(layer.material, custom_materials, key=f"{key}.material")
            q = layer.areal_capacity
            if q is None:
                if len(cathodes) != 1:
                    raise InputError(
                        "areal_capacity is needed: the repeat unit has "
                        f"{len(cathodes)} cathode layers to take it from (expected exactly 1)",
                        key=f"{key}.areal_capacity")
                c = cathodes[0]
                active = get_material(c.active_material, custom_materials,
                                      key=f"stack.layers.{c.name}.active_material")
                q = _cathode_capacity(c, active, f"stack.layers.{c.name}")
            growth_per_charge = vli
            if isinstance(layer, AlloyAnodeLayer):
                if mat.alloy_volume_per_li is None:
                    raise InputError(f"material '{layer.material}' has no alloy_volume_per_li "
                                     "(an alloy anode needs it)", key=f"{key}.material")
                growth_per_charge = mat.alloy_volume_per_li / FARADAY
                h_mesh = h_ref = layer.thickness
                h_soc0 = layer.thickness - q * growth_per_charge * reference_soc
            elif isinstance(layer, LithiumMetalLayer):
                h0 = layer.thickness  # thickness at the reference SOC
                h_min = h0 + q * vli * (min(soc_values) - reference_soc)
                if h_min <= 0:
                    raise InputError(
                        f"the Li foil would be stripped to {h_min * 1e6:.3g} um at SOC "
                        f"{min(soc_values):g} (plating {q * vli * 1e6:.3g} um per unit SOC); "
                        "increase the thickness or the reference SOC", key=f"{key}.thickness")
                h_mesh = h_ref = h0
                h_soc0 = h0 - q * vli * reference_soc  # Li thickness at SOC 0
            else:
                h_mesh = layer.reference_thickness or q * vli
                h_ref = q * vli * reference_soc
                h_soc0 = 0.0

            def growth(soc: float, q=q, h_ref=h_ref, h_mesh=h_mesh, h_soc0=h_soc0,
                       g=growth_per_charge) -> np.ndarray:
                h = h_soc0 + q * g * soc
                return np.array([0.0, 0.0, (h - h_ref) / h_mesh])

            unit.append(dict(kind=layer.kind, layer=layer, thickness=h_mesh,
                             E=mat.youngs_modulus, nu=mat.poisson_ratio, rho=mat.density,
                             alpha=mat.thermal_expansion, eig=growth, cap=q))
        else:  # pragma: no cover - the schema admits no other kind
            raise AssertionError(layer)
    layers = []
    for k in range(stack.repeat_units):
        for item in unit:
            name = item["layer"].name
            layers.append(LayerModel(
                name=name if k == 0 else f"{name}@{k + 1}", base_name=name, unit_index=k,
                kind=item["kind"], thickness=item["thickness"], youngs_modulus=item["E"],
                poisson_ratio=item["nu"], density=item["rho"], thermal_expansion=item["alpha"],
                eigenstrain=item["eig"], areal_capacity=item["cap"]))
    return Laminate(layers=tuple(layers), reference_soc=reference_soc,
                    temperature_change=stack.temperature_change)


def fixture_compliance(fixture_type: str, stiffness: float | None, area: float) -> float:
    """Fixture compliance per unit area C_f = A / k in m/Pa (0: rigid; inf: constant load)."""
    if fixture_type == "spring":
        return float("inf")
    if fixture_type == "fixed_gap":
        return 0.0
    return area / float(stiffness)
