"""The stack as a laterally constrained column of elastic, porous and creeping layers, in time.

A 1D column carries the same through-thickness stress in every layer: the stack
pressure P (compression positive).  Each layer's thickness strain is

    eps_i = e*_i(SOC) - P / M_i            (elastic: swelling, plating, growth)
          + eps_c,i                        (porous compact: compaction above its history)
          + eps_in,i                       (metal: thinning by creep and plastic squeeze-out)

and the fixture closes the problem: the stack and the fixture share one gap,

    sum_i h_i (eps_i - eps_i,assembly) = C_f (P - P0)                               (1)

with C_f = A / k the area-specific fixture compliance (0: a rigid gap; large: a soft
spring, nearly constant load) and P0 the preload at assembly.  The plates touch the
stack unilaterally: if (1) has no solution with P >= 0 the stack lifts off, P = 0, and
the gap opened is reported.

**Metal layers** (Li, In, LiIn) thin by flowing out sideways.  Between plates they stick
to, a power-law creeping layer of radius R and thickness h squeezes out at

    eps_dot = 2 K / (n + 2) ((3 + 1/n) P)^n (h / (2R))^(n+1),   K = sqrt(3)^(n+1) A   (2)

(power-law squeeze film with no slip, lubrication theory as for Stefan's law, to which
it reduces at n = 1; Engmann, Servais & Burbidge, J. Non-Newtonian Fluid Mech. 132, 1
(2005)), and it yields when P exceeds the slab-method squeeze pressure
P_y = sigma_y (1 + 2R / (3 sqrt(3) h)) (sticking friction).  With ``slip`` (frictionless
faces) the layer creeps uniaxially, eps_dot = A P^n, and yields at sigma_y.  Yield is
rate-independent in the limit; a Perzyna over-stress with relaxation time tau_p
regularises it: eps_dot_p = <P - P_y> / (P_y tau_p).

**Porous compacts** (pressed pellets, composite electrodes) follow their compaction curve
on first loading beyond the largest pressure they have seen (the fabrication pressure),
the Heckel law ln(1 / (1 - D)) = K P + B (Heckel, Trans. Metall. Soc. AIME 221, 671
(1961)) with relative density D; they unload and reload elastically with the modulus of
the compact at its density, E(D) = E_dense D^m.  Loading and unloading therefore differ.

Time integration is backward Euler on the creep and compaction variables with the
stack pressure solved from (1) at every step (a monotone scalar equation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from interface.errors import SolverError


@dataclass(frozen=True)
class MetalFlow:
    """Creep and squeeze yield of a metal layer (SI units; A at the temperature of use)."""

    creep_coefficient: float
    creep_exponent: float
    yield_stress: float
    radius: float
    interface: str = "stick"
    relaxation_time: float = 1.0

    def shear_coefficient(self) -> float:
        """K = sqrt(3)^(n+1) A."""
        n = self.creep_exponent
        return math.sqrt(3.0) ** (n + 1.0) * self.creep_coefficient

    def yield_pressure(self, thickness: float) -> float:
        """Squeeze yield pressure P_y(h), Pa."""
        if self.interface == "slip":
            return self.yield_stress
        return self.yield_stress * (1.0 + 2.0 * self.radius / (3.0 * math.sqrt(3.0)
                                                               * thickness))

    def creep_rate(self, pressure: float, thickness: float) -> float:
        """Thinning strain rate by creep, eq. (2), 1/s (>= 0)."""
        p = max(pressure, 0.0)
        n = self.creep_exponent
        if self.interface == "slip":
            return self.creep_coefficient * p ** n
        k = self.shear_coefficient()
        return 2.0 * k / (n + 2.0) * ((3.0 + 1.0 / n) * p) ** n * (
            thickness / (2.0 * self.radius)) ** (n + 1.0)

    def rate(self, pressure: float, thickness: float) -> float:
        """Total thinning rate: creep + Perzyna plastic over-stress, 1/s."""
        py = self.yield_pressure(thickness)
        plastic = max(pressure - py, 0.0) / (py * self.relaxation_time)
        return self.creep_rate(pressure, thickness) + plastic


@dataclass(frozen=True)
class Compaction:
    """Heckel compaction and the elastic modulus of a porous compact.

    Attributes:
        heckel_k: K of ln(1/(1-D)) = K P + B, 1/Pa.
        heckel_b: B.
        dense_modulus: E of the dense solid, Pa; poisson_ratio of the compact.
        modulus_exponent: m of E(D) = E_dense D^m.
    """

    heckel_k: float
    heckel_b: float
    dense_modulus: float
    poisson_ratio: float
    modulus_exponent: float

    def density(self, pressure: float) -> float:
        """Relative density on the compaction curve at ``pressure``."""
        return 1.0 - math.exp(-(self.heckel_k * max(pressure, 0.0) + self.heckel_b))

    def constrained_modulus(self, density: float) -> float:
        """M(D) = E(D) (1 - nu) / ((1 + nu)(1 - 2 nu)), Pa."""
        e = self.dense_modulus * density ** self.modulus_exponent
        nu = self.poisson_ratio
        return e * (1.0 - nu) / ((1.0 + nu) * (1.0 - 2.0 * nu))


@dataclass(frozen=True)
class ColumnLayer:
    """One layer of the column.

    Attributes:
        name: layer name.
        thickness: thickness at assembly (reference SOC, before the preload), m.
        modulus: constrained modulus M of an elastic or metal layer, Pa (porous layers
            use their compaction law).
        eigenstrain: SOC -> free through-thickness strain of the unloaded, laterally
            constrained layer (swelling, plating, thermal).
        metal: creep / squeeze law (metal layers).
        compaction: compaction law (porous layers).
        history_pressure: largest pressure the compact has seen (fabrication), Pa.
    """

    name: str
    thickness: float
    modulus: float
    eigenstrain: object
    metal: MetalFlow | None = None
    compaction: Compaction | None = None
    history_pressure: float = 0.0

    @property
    def kind(self) -> str:
        """"metal", "porous" or "elastic"."""
        return "metal" if self.metal else "porous" if self.compaction else "elastic"


@dataclass
class LayerState:
    """History variables of a layer."""

    inelastic: float = 0.0       # metal: thinning strain (negative = thinner)
    compaction: float = 0.0      # porous: compaction strain beyond the fabricated state
    p_max: float = 0.0           # porous: largest pressure seen
    density: float = 1.0         # porous: relative density


@dataclass
class ColumnState:
    """The column at one time."""

    time: float
    soc: float
    pressure: float
    thickness_change: float
    gap: float
    lift_off: bool
    layer_strain: np.ndarray = field(default_factory=lambda: np.zeros(0))
    layer_inelastic: np.ndarray = field(default_factory=lambda: np.zeros(0))


class Column:
    """A column of layers in a fixture, marched in time (see the module docstring).

    Args:
        layers: the layers, bottom to top.
        compliance: area-specific fixture compliance C_f = A / k, m/Pa (0: rigid).
        preload: stack pressure at assembly P0, Pa.
        reference_soc: SOC at assembly (zero eigenstrain reference).
    """

    def __init__(self, layers: list[ColumnLayer], compliance: float, preload: float,
                 reference_soc: float = 0.0):
        if compliance < 0:
            raise ValueError("the fixture compliance must be >= 0")
        self.layers = list(layers)
        self.compliance = float(compliance)
        self.preload = float(preload)
        self.reference_soc = reference_soc
        self.states = [self._fresh(la) for la in self.layers]
        self.time = 0.0
        self.soc = reference_soc
        self.pressure = self.preload
        # assembly: the preload is applied (porous layers compact if it exceeds their
        # history; metals yield instantly if it exceeds their squeeze pressure)
        for la, st in zip(self.layers, self.states, strict=True):
            if la.compaction is not None and self.preload > st.p_max:
                self._compact(la, st, self.preload)
            if la.metal is not None:
                py = la.metal.yield_pressure(la.thickness)
                if self.preload > py:
                    st.inelastic = self._squeeze_to(la, self.preload)
        self.reference_strain = self._strains(self.preload, self.reference_soc, 0.0,
                                              commit=False)[0]
        self.h_ref = float(np.sum(self._h() * self.reference_strain))

    # ---------------------------------------------------------------- layers
    @staticmethod
    def _fresh(la: ColumnLayer) -> LayerState:
        st = LayerState()
        if la.compaction is not None:
            st.p_max = la.history_pressure
            st.density = la.compaction.density(la.history_pressure)
        return st

    def _h(self) -> np.ndarray:
        return np.array([la.thickness for la in self.layers])

    @staticmethod
    def _compact(la: ColumnLayer, st: LayerState, pressure: float) -> None:
        d_new = la.compaction.density(pressure)
        st.compaction += math.log(st.density / d_new)
        st.density = d_new
        st.p_max = pressure

    def _squeeze_to(self, la: ColumnLayer, pressure: float) -> float:
        """Thinning strain at which the squeeze yield pressure equals ``pressure``."""
        m = la.metal
        if m.interface == "slip" or pressure <= m.yield_stress:
            return 0.0
        h = 2.0 * m.radius / (3.0 * math.sqrt(3.0) * (pressure / m.yield_stress - 1.0))
        return min(math.log(h / la.thickness), 0.0)

    def _layer_strain(self, i: int, pressure: float, soc: float, dt: float,
                      commit: bool) -> tuple[float, float]:
        """(total strain, inelastic/compaction strain) of layer i at the new pressure."""
        la, st = self.layers[i], self.states[i]
        e_star = float(la.eigenstrain(soc))
        if la.compaction is not None:
            comp = st.compaction
            dens = st.density
            if pressure > st.p_max:
                d_new = la.compaction.density(pressure)
                comp = st.compaction + math.log(dens / d_new)
                dens = d_new
                if commit:
                    st.compaction, st.density, st.p_max = comp, dens, pressure
            m_mod = la.compaction.constrained_modulus(dens)
            return e_star - pressure / m_mod + comp, comp
        if la.metal is not None:
            eps_in = st.inelastic
            if dt > 0.0:
                h = la.thickness * math.exp(eps_in)
                eps_in = eps_in - dt * la.metal.rate(pressure, h)
                eps_in = max(eps_in, -20.0)
            if commit:
                st.inelastic = eps_in
            return e_star - pressure / la.modulus + eps_in, eps_in
        return e_star - pressure / la.modulus, 0.0

    def _strains(self, pressure: float, soc: float, dt: float, commit: bool):
        out = np.array([self._layer_strain(i, pressure, soc, dt, commit)
                        for i in range(len(self.layers))])
        return out[:, 0], out[:, 1]

    def _residual(self, pressure: float, soc: float, dt: float) -> float:
        """Stack thickness change minus fixture extension: zero at equilibrium."""
        strain, _ = self._strains(pressure, soc, dt, commit=False)
        dh = float(np.sum(self._h() * strain)) - self.h_ref
        return dh - self.compliance * (pressure - self.preload)

    # ----------------------------------------------------------------- march
    def step(self, soc: float, dt: float) -> ColumnState:
        """Advance by dt (s) to state of charge ``soc`` and return the new state."""
        from scipy.optimize import brentq

        r0 = self._residual(0.0, soc, dt)
        if r0 <= 0.0:
            # the unloaded stack is thinner than the gap: plates lift off
            p, lift, gap = 0.0, True, -r0
        else:
            hi = max(self.pressure, self.preload, 1e5)
            while self._residual(hi, soc, dt) > 0.0:
                hi *= 4.0
                if hi > 1e12:
                    raise SolverError("column: no stack pressure balances the fixture below "
                                      "1 TPa", point={"soc": soc, "time": self.time + dt})
            p = brentq(lambda q: self._residual(q, soc, dt), 0.0, hi, xtol=1e-12 * hi,
                       rtol=1e-13, maxiter=200)
            lift, gap = False, 0.0
        strain, inel = self._strains(p, soc, dt, commit=True)
        self.time += dt
        self.soc = soc
        self.pressure = p
        dh = float(np.sum(self._h() * strain)) - self.h_ref
        if not math.isfinite(p) or not math.isfinite(dh):
            raise SolverError("column: non-finite state", point={"soc": soc, "time": self.time})
        return ColumnState(time=self.time, soc=soc, pressure=p, thickness_change=dh,
                           gap=gap, lift_off=lift, layer_strain=strain, layer_inelastic=inel)


def norton_relaxation(sigma0: float, modulus: float, coefficient: float, n: float, t):
    """sigma(t) of a Norton layer (uniaxial creep) held in a rigid gap, Pa.

    d sigma/dt = -M A sigma^n  ->  sigma = [sigma0^(1-n) + (n-1) M A t]^(1/(1-n)).
    """
    t = np.asarray(t, dtype=float)
    return (sigma0 ** (1.0 - n) + (n - 1.0) * modulus * coefficient * t) ** (1.0 / (1.0 - n))


def column_layers(stack_layers, laminate, materials: dict, temperature: float, radius: float,
                  interface: str = "stick") -> list[ColumnLayer]:
    """The column layers of a stack: its case layers and their laminate (effective data).

    Solid layers with a ``fabrication_pressure`` become porous compacts (the material's
    compaction law), Li-metal and alloy layers with ``creep`` become creeping metals of
    radius ``radius`` (their material's creep law at ``temperature``), every other layer
    is elastic with the laminate's constrained modulus.  Repeat units share the case
    layer of their ``base_name``.
    """
    from interface.materials import get_material

    by_name = {la.name: la for la in stack_layers}
    out = []
    for la in laminate.layers:
        base = by_name[la.base_name]

        def eig(soc, la=la):
            return la.free_strain_zz(soc, laminate.temperature_change)

        if getattr(base, "fabrication_pressure", None) is not None:
            mat = get_material(base.material, materials)
            law = mat.compaction
            comp = Compaction(heckel_k=law.heckel_k, heckel_b=law.heckel_b,
                              dense_modulus=mat.youngs_modulus, poisson_ratio=mat.poisson_ratio,
                              modulus_exponent=law.modulus_exponent)
            out.append(ColumnLayer(la.name, la.thickness, la.oedometric_modulus, eig,
                                   compaction=comp, history_pressure=base.fabrication_pressure))
        elif base.kind in ("lithium_metal", "alloy_anode") and getattr(base, "creep", False):
            mat = get_material(base.material, materials)
            creep = mat.creep
            flow = MetalFlow(creep_coefficient=float(creep.strain_rate(1.0, temperature)),
                             creep_exponent=creep.exponent, yield_stress=mat.yield_stress,
                             radius=radius, interface=interface)
            out.append(ColumnLayer(la.name, la.thickness, la.oedometric_modulus, eig,
                                   metal=flow))
        else:
            out.append(ColumnLayer(la.name, la.thickness, la.oedometric_modulus, eig))
    return out
