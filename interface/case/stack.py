"""Case-file sections of the cell-stack model: [stack], [[stack.layers]], [fixture], [soc]."""

from __future__ import annotations

from dataclasses import dataclass

from interface.errors import InputError
from interface.schema import spec

# --------------------------------------------------------------------------- layers


@dataclass(frozen=True)
class SolidLayer:
    """A homogeneous layer: current collector, separator, interlayer, pad."""

    name: str = spec("string", doc="unique layer name (used in key paths and outputs)")
    kind: str = spec("choice", choices=("solid",), doc="layer kind")
    material: str = spec("string", doc="material name (library or [materials.<name>])")
    thickness: float = spec("quantity", unit="m", gt=0, doc="layer thickness")
    porosity: float = spec("number", ge=0, lt=1, default=0.0,
                           doc="pore volume fraction (Mori-Tanaka with empty pores)")
    fabrication_pressure: float | None = spec(
        "quantity", unit="Pa", gt=0, default=None,
        doc="a pressed powder compact (pellet): the pressure it was pressed at; its density "
            "and modulus follow the material's compaction law (instead of porosity)")

    def validate(self, path: str) -> None:
        """A compact's porosity follows from its fabrication pressure."""
        if self.fabrication_pressure is not None and self.porosity > 0:
            raise InputError("give porosity or fabrication_pressure, not both (a compact's "
                             "porosity follows from its compaction law)",
                             key=f"{path}.porosity")


@dataclass(frozen=True)
class CompositeElectrodeLayer:
    """A composite electrode: active particles + solid electrolyte + pores."""

    name: str = spec("string", doc="unique layer name")
    kind: str = spec("choice", choices=("composite_electrode",), doc="layer kind")
    role: str = spec("choice", choices=("cathode", "anode"), doc="electrode role")
    thickness: float = spec("quantity", unit="m", gt=0, doc="layer thickness")
    active_material: str = spec("string", doc="active material (e.g. NMC811, graphite, Si)")
    electrolyte: str = spec("string", default="Li6PS5Cl", doc="solid electrolyte material")
    active_volume_fraction: float = spec("number", gt=0, lt=1, doc="active material volume "
                                         "fraction")
    porosity: float = spec("number", ge=0, lt=1, default=0.0, doc="pore volume fraction")
    stoichiometry_soc0: float = spec("number", ge=0, doc="active-material Li stoichiometry at "
                                     "cell SOC 0 (discharged)")
    stoichiometry_soc1: float = spec("number", ge=0, doc="active-material Li stoichiometry at "
                                     "cell SOC 1 (charged)")
    homogenisation: str = spec("choice", choices=("mori_tanaka", "voigt_reuss_hill"),
                               default="mori_tanaka", doc="effective elastic constants")
    swelling: str = spec("choice", choices=("levin", "volume_average"), default="levin",
                         doc="effective swelling of the composite")

    def validate(self, path: str) -> None:
        """Volume fractions must leave room for the electrolyte."""
        if self.active_volume_fraction + self.porosity >= 1.0:
            raise InputError(
                f"active_volume_fraction + porosity = "
                f"{self.active_volume_fraction + self.porosity:.4g} leaves no electrolyte "
                "(must be < 1)", key=f"{path}.porosity")
        if self.stoichiometry_soc0 == self.stoichiometry_soc1:
            raise InputError("stoichiometry_soc1 equals stoichiometry_soc0: the electrode "
                             "would store no charge", key=f"{path}.stoichiometry_soc1")


@dataclass(frozen=True)
class LithiumMetalLayer:
    """A Li-metal anode that grows on charge by plating (4.85 um per mAh/cm^2)."""

    name: str = spec("string", doc="unique layer name")
    kind: str = spec("choice", choices=("lithium_metal",), doc="layer kind")
    thickness: float = spec("quantity", unit="m", gt=0, doc="Li foil thickness at the "
                            "reference SOC")
    material: str = spec("string", default="Li", doc="lithium material")
    areal_capacity: float | None = spec(
        "quantity", unit="C/m^2", gt=0, default=None,
        doc="charge cycled between SOC 0 and 1 (default: from the cathode of the repeat unit)")
    creep: bool = spec("boolean", default=True,
                       doc="the metal yields and creeps (time-marched model); false: elastic")


@dataclass(frozen=True)
class AlloyAnodeLayer:
    """A metal foil that alloys with Li on charge (In -> LiIn): it grows by the alloying volume.

    Through-thickness growth per areal charge: V_alloy / F (the material's
    ``alloy_volume_per_li``; In: 7.75 cm^3/mol, 2.89 um per mAh/cm^2).
    """

    name: str = spec("string", doc="unique layer name")
    kind: str = spec("choice", choices=("alloy_anode",), doc="layer kind")
    thickness: float = spec("quantity", unit="m", gt=0, doc="foil thickness at the "
                            "reference SOC")
    material: str = spec("string", default="In", doc="alloying metal (with "
                         "alloy_volume_per_li)")
    areal_capacity: float | None = spec(
        "quantity", unit="C/m^2", gt=0, default=None,
        doc="charge cycled between SOC 0 and 1 (default: from the cathode of the repeat unit)")
    creep: bool = spec("boolean", default=True,
                       doc="the metal yields and creeps (time-marched model); false: elastic")


@dataclass(frozen=True)
class AnodeFreeLayer:
    """An anode-free anode: Li plated on the current collector, zero thickness at SOC 0.

    The layer is meshed at its SOC-1 thickness (or ``reference_thickness``) and
    carries a through-thickness growth eigenstrain h(SOC)/h_ref - 1.
    """

    name: str = spec("string", doc="unique layer name")
    kind: str = spec("choice", choices=("anode_free",), doc="layer kind")
    material: str = spec("string", default="Li", doc="lithium material")
    areal_capacity: float | None = spec(
        "quantity", unit="C/m^2", gt=0, default=None,
        doc="charge cycled between SOC 0 and 1 (default: from the cathode of the repeat unit)")
    reference_thickness: float | None = spec(
        "quantity", unit="m", gt=0, default=None,
        doc="meshed thickness (default: the plated thickness at SOC 1)")


LAYER_KINDS = {
    "solid": SolidLayer,
    "composite_electrode": CompositeElectrodeLayer,
    "lithium_metal": LithiumMetalLayer,
    "anode_free": AnodeFreeLayer,
    "alloy_anode": AlloyAnodeLayer,
}
Layer = SolidLayer | CompositeElectrodeLayer | LithiumMetalLayer | AnodeFreeLayer | AlloyAnodeLayer


# ------------------------------------------------------------------------ sections
@dataclass(frozen=True)
class StackSpec:
    """The ``[stack]`` table: the laminate of one repeat unit, repeated."""

    layers: tuple[Layer, ...] = spec("tables", variants=LAYER_KINDS, min_items=1,
                                     doc="layers of one repeat unit, bottom to top")
    repeat_units: int = spec("integer", ge=1, le=200, default=1,
                             doc="number of repeat units stacked")
    area: float = spec("quantity", unit="m^2", gt=0, default="1 cm^2",
                       doc="cell face area (fixture force = pressure x area)")
    width: float = spec("quantity", unit="m", gt=0, default="2 mm",
                        doc="width of the modelled cross-section (2D, 3D)")
    depth: float = spec("quantity", unit="m", gt=0, default="2 mm",
                        doc="depth of the modelled section (3D)")
    lateral_bc: str = spec("choice", choices=("constrained", "free"), default="constrained",
                           doc="lateral edges: rollers (constrained) or traction free "
                               "(2D/3D; 1D is always constrained)")
    plate_contact: str = spec("choice", choices=("frictionless", "bonded"),
                              default="frictionless",
                              doc="stack faces against the fixture plates")
    temperature_change: float = spec("quantity", unit="delta_K", default="0 K",
                                     doc="uniform temperature change from assembly "
                                         "(thermal strain): a difference, in K or "
                                         "delta_degC (not degC)")
    temperature: float = spec("quantity", unit="K", gt=0, default="298.15 K",
                              doc="cell temperature (creep of the metal layers)")
    metal_interface: str = spec("choice", choices=("stick", "slip"), default="stick",
                                doc="1D: metal layers squeeze out between faces they stick "
                                    "to (no slip) or slip on (frictionless)")

    def validate(self, path: str) -> None:
        """Layer names must be unique."""
        seen: set[str] = set()
        for layer in self.layers:
            if layer.name in seen:
                raise InputError(f"duplicate layer name '{layer.name}'",
                                 key=f"{path}.layers.{layer.name}.name")
            seen.add(layer.name)


@dataclass(frozen=True)
class FixtureSpec:
    """The ``[fixture]`` table: how the stack is held."""

    type: str = spec("choice", choices=("spring", "fixed_gap", "elastic"),
                     doc="spring: constant load; fixed_gap: rigid plates; elastic: finite "
                         "stiffness")
    preload: float = spec("quantity", unit="Pa", ge=0, default="1 MPa",
                          doc="stack pressure applied at assembly (reference SOC)")
    stiffness: float | None = spec("quantity", unit="N/m", gt=0, default=None,
                                   doc="fixture stiffness acting on the cell area (elastic)")

    def validate(self, path: str) -> None:
        """Stiffness is required by, and only meaningful for, the elastic fixture."""
        if self.type == "elastic" and self.stiffness is None:
            raise InputError("an elastic fixture needs a stiffness (e.g. \"5e7 N/m\")",
                             key=f"{path}.stiffness")
        if self.type != "elastic" and self.stiffness is not None:
            raise InputError(f"stiffness is only used by type = \"elastic\" (type is "
                             f"\"{self.type}\")", key=f"{path}.stiffness")


@dataclass(frozen=True)
class SOCPath:
    """The ``[soc]`` table: the state-of-charge path (charge and discharge)."""

    path: tuple[float, ...] = spec("numbers", ge=0, le=1, min_items=2, default=[0.0, 1.0, 0.0],
                                   doc="SOC waypoints, traversed in order")
    points_per_segment: int = spec("integer", ge=1, le=10000, default=20,
                                   doc="solution points between consecutive waypoints")
    reference: float = spec("number", ge=0, le=1, default=0.0,
                            doc="SOC at assembly (zero eigenstrain, preload applied)")
    c_rate: float = spec("number", gt=0, default=0.5,
                         doc="C-rate of the path (time between SOC points; matters for "
                             "creeping layers)")
    rest_time: float = spec("quantity", unit="s", ge=0, default="0 s",
                            doc="rest at every waypoint after the first (creep relaxes the "
                                "pressure)")

    def validate(self, path: str) -> None:
        """Consecutive waypoints must differ."""
        for i in range(1, len(self.path)):
            if self.path[i] == self.path[i - 1]:
                raise InputError(f"waypoints {i - 1} and {i} are equal ({self.path[i]})",
                                 key=f"{path}.path")

    def points(self):
        """The SOC values along the path (numpy array) and the path coordinate (0..segments)."""
        import numpy as np

        socs, coords = [self.path[0]], [0.0]
        n = self.points_per_segment
        for i in range(1, len(self.path)):
            s = np.linspace(self.path[i - 1], self.path[i], n + 1)[1:]
            socs.extend(s.tolist())
            coords.extend((i - 1 + np.arange(1, n + 1) / n).tolist())
        return np.asarray(socs), np.asarray(coords)

    def times(self):
        """(SOC, path coordinate, time s) of every point, with the rests at the waypoints.

        A rest adds a point at the waypoint's SOC ``rest_time`` later.
        """
        import numpy as np

        socs, coords = self.points()
        out_s, out_c, out_t = [socs[0]], [coords[0]], [0.0]
        t = 0.0
        for k in range(1, len(socs)):
            t += abs(socs[k] - socs[k - 1]) / self.c_rate * 3600.0
            out_s.append(socs[k])
            out_c.append(coords[k])
            out_t.append(t)
            if self.rest_time > 0 and abs(coords[k] - round(coords[k])) < 1e-12:
                t += self.rest_time
                out_s.append(socs[k])
                out_c.append(coords[k])
                out_t.append(t)
        return np.asarray(out_s), np.asarray(out_c), np.asarray(out_t)
