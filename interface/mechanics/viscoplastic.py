"""Small-strain J2 elasto-plasticity with power-law creep: implicit return mapping.

Pure numpy, vectorised over quadrature points.  Tensors are stored in Mandel
notation so that the double contraction is the plain dot product:

* 2D plane strain: ``[xx, yy, zz, sqrt2*xy]`` (m = 4; eps_zz = 0 by the kinematics,
  sigma_zz and the inelastic zz strain are tracked),
* 3D: ``[xx, yy, zz, sqrt2*yz, sqrt2*xz, sqrt2*xy]`` (m = 6).

Model (von Mises equivalent stress q = sqrt(3/2 s:s), flow direction N = 3/2 s/q)::

    eps = eps_e + eps_in,         sigma = C : eps_e
    d(eps_in)/dt = (p_dot_c + p_dot_p) N
    p_dot_c = A(T) q^n                          (power-law creep, always active)
    q <= sigma_y + H kappa,  kappa_dot = p_dot_p (rate-independent plasticity, dt = 0), or
    p_dot_p = <q - sigma_y - H kappa> / (sigma_y tau_p)   (Perzyna cap, dt > 0)

Backward Euler over a step dt with radial return (q = q_tr - 3 G dp):

* creep branch:    dp = dt A q^n            -> scalar equation in q on [0, q_tr]
* plastic branch (if the creep-only q exceeds the current yield stress):
      q = sigma_y + H kappa + He (dp - dt A q^n),  He = H + sigma_y tau_p / dt
                                              -> scalar equation in q on [sigma_y, q_c]

Both scalar equations are monotone and bracketed, solved by safeguarded Newton.
Consistent tangent::

    C_alg = K 1x1 + 2G theta I_dev + 4G^2 (dp/q_tr - d dp/d q_tr) N x N,   theta = 1 - 3G dp/q_tr
    creep:   d dp/d q_tr = c/(1+3Gc),   c = dt A n q^(n-1)
    plastic: d q/d q_tr = (He/3G)/(1 + He/3G + He c),  d dp/d q_tr = (1 - d q/d q_tr)/(3G)

Formulation: Simo & Hughes, Computational Inelasticity (Springer 1998), ch. 3;
docs/theory/lithium.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from interface.errors import InputError

SQ2 = np.sqrt(2.0)
R_GAS = 8.314462618  # J/(mol K)

#: Activation energy of Li power-law creep: about 37 kJ/mol, LePage et al., J. Electrochem.
#: Soc. 166, A89 (2019) [secondary: value recalled, not re-read from the paper; assumed].
Q_CREEP_DEFAULT = 37.0e3


@dataclass(frozen=True)
class LithiumMaterial:
    """Elastic-plastic, creeping Li (SI units).

    Defaults: Masias et al., J. Mater. Sci. 54, 2585 (2019): E 7.82 GPa, nu 0.381,
    yield 0.73-0.81 MPa (0.8 MPa used), creep n = 6.56 with A fitted to their two
    strain rates (interface.materials.library.masias_creep_fit) [derived];
    activation energy Q [assumed, see Q_CREEP_DEFAULT]; perfectly plastic (H = 0).

    Attributes:
        E: Young's modulus [Pa]; nu: Poisson's ratio.
        sigma_y: initial yield stress [Pa]; H: linear hardening modulus [Pa].
        tau_p: Perzyna relaxation time of the yield cap [s] (numerical regularisation of
            the rate-independent limit, used only in steps with dt > 0).
        A_ref: creep coefficient at T_ref [Pa^-n s^-1]; n: stress exponent.
        Q: activation energy [J/mol]; T_ref, T: reference and actual temperature [K].
        creep: creep on/off; plastic: yield cap on/off (off: elastic or pure creep).
    """

    E: float = 7.82e9
    nu: float = 0.381
    sigma_y: float = 0.8e6
    H: float = 0.0
    tau_p: float = 1.0
    A_ref: float = 3.9e-42
    n: float = 6.56
    Q: float = Q_CREEP_DEFAULT
    T_ref: float = 298.15
    T: float = 298.15
    creep: bool = True
    plastic: bool = True

    @classmethod
    def from_material(
        cls, material, temperature: float = 298.15, activation_energy: float | None = None, **kw
    ) -> LithiumMaterial:
        """From an :class:`interface.materials.material.Material` with yield stress and creep.

        ``activation_energy`` [J/mol] overrides the material's (the library Li has Q = 0,
        no temperature data in its fit); None keeps a non-zero material value, else the
        default Q_CREEP_DEFAULT.
        """
        if material.yield_stress is None or material.creep is None:
            raise InputError(
                f"material '{material.name}' needs yield_stress and creep for the "
                "Li interface model",
                key="lithium.material",
            )
        c = material.creep
        q = activation_energy
        if q is None:
            q = c.activation_energy if c.activation_energy > 0 else Q_CREEP_DEFAULT
        return cls(
            E=material.youngs_modulus,
            nu=material.poisson_ratio,
            sigma_y=material.yield_stress,
            A_ref=c.coefficient,
            n=c.exponent,
            Q=q,
            T_ref=c.reference_temperature,
            T=temperature,
            **kw,
        )

    @property
    def G(self) -> float:  # noqa: N802
        """Shear modulus [Pa]."""
        return self.E / (2.0 * (1.0 + self.nu))

    @property
    def K(self) -> float:  # noqa: N802
        """Bulk modulus [Pa]."""
        return self.E / (3.0 * (1.0 - 2.0 * self.nu))

    @property
    def lmbda(self) -> float:
        """Lame's first parameter [Pa]."""
        return self.E * self.nu / ((1.0 + self.nu) * (1.0 - 2.0 * self.nu))

    @property
    def E_star(self) -> float:  # noqa: N802
        """Plane-strain modulus E/(1 - nu^2) [Pa]."""
        return self.E / (1.0 - self.nu**2)

    @property
    def A(self) -> float:  # noqa: N802
        """Creep coefficient at T: A_ref exp(-Q/R (1/T - 1/T_ref)) [Pa^-n s^-1]."""
        if not self.creep:
            return 0.0
        return self.A_ref * np.exp(-self.Q / R_GAS * (1.0 / self.T - 1.0 / self.T_ref))

    @property
    def yield_stress(self) -> float:
        """The yield stress in use [Pa] (infinite when plasticity is off)."""
        return self.sigma_y if self.plastic else np.inf

    def creep_rate(self, sigma) -> np.ndarray:
        """Uniaxial creep strain rate A sigma^n [1/s]."""
        return self.A * np.asarray(sigma, dtype=float) ** self.n

    def with_(self, **kw) -> LithiumMaterial:
        """A copy with fields replaced."""
        return replace(self, **kw)


def effective_modulus(e1: float, nu1: float, e2: float, nu2: float) -> float:
    """Contact modulus E* [Pa]: 1/E* = (1 - nu1^2)/E1 + (1 - nu2^2)/E2."""
    return 1.0 / ((1.0 - nu1**2) / e1 + (1.0 - nu2**2) / e2)


def equivalent_rigid_pair(li: LithiumMaterial, e_se: float, nu_se: float) -> LithiumMaterial:
    """Li whose plane-strain modulus equals the pair's E* (for a rigid counter-body).

    Frictionless elastic contact depends on E* only (Johnson, Contact Mechanics, 1985,
    sec. 5.1), so an elastic electrolyte is represented exactly, in the elastic regime,
    by a rigid one and a softened Li (nu kept).  Yield and creep are not rescaled.
    """
    es = effective_modulus(li.E, li.nu, e_se, nu_se)
    return li.with_(E=es * (1.0 - li.nu**2))


def mandel_identity(m: int) -> np.ndarray:
    """The identity tensor in Mandel notation (length m)."""
    one = np.zeros(m)
    one[:3] = 1.0
    return one


def elastic_tangent(m: int, lmbda: float, G: float) -> np.ndarray:  # noqa: N803
    """Isotropic elastic stiffness in Mandel notation (m x m)."""
    one = mandel_identity(m)
    return lmbda * np.outer(one, one) + 2.0 * G * np.eye(m)


def _dev_projector(m: int) -> np.ndarray:
    one = mandel_identity(m)
    return np.eye(m) - np.outer(one, one) / 3.0


def _solve_monotone(fun, lo, hi, x0, tol=1e-13, maxit=100):
    """Vectorised safeguarded Newton for f(x) = 0, f monotone on [lo, hi] with a sign change.

    ``fun(x, idx) -> (f, df)`` evaluates the entries ``idx``.  Only unconverged
    entries are iterated.  Returns x.
    """
    x = np.clip(x0, lo, hi).astype(float)
    lo = lo.astype(float).copy()
    hi = hi.astype(float).copy()
    allidx = np.arange(x.size)
    f_lo, _ = fun(lo, allidx)
    sgn = np.sign(f_lo)
    scale = np.maximum(np.abs(hi - lo), 1e-300)
    idx = allidx
    for _ in range(maxit):
        if idx.size == 0:
            break
        xi = x[idx]
        f, df = fun(xi, idx)
        same = np.sign(f) == sgn[idx]
        lo[idx] = np.where(same, xi, lo[idx])
        hi[idx] = np.where(same, hi[idx], xi)
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = xi - f / df
        bad = ~np.isfinite(xn) | (xn <= lo[idx]) | (xn >= hi[idx])
        xn = np.where(bad, 0.5 * (lo[idx] + hi[idx]), xn)
        exact = f == 0
        xn = np.where(exact, xi, xn)
        done = (np.abs(xn - xi) <= tol * scale[idx]) | exact
        x[idx] = xn
        idx = idx[~done]
    return x


def _creep_stress(qt, G, Adt, n, tol=1e-14, maxit=60):
    """Solve dp = Adt (q_tr - 3 G dp)^n for the creep branch, return q = q_tr - 3G dp.

    Newton on w = ln dp:  h(w) = w - ln Adt - n ln(q_tr - 3 G e^w) = 0.  h is
    increasing and convex, so Newton started from the right of the root (w0 =
    min(ln Adt q_tr^n, ln(q_tr/3G)) - 0) converges monotonically.
    """
    lnA = np.log(Adt)
    lnq = np.log(qt)
    w = np.minimum(lnA + n * lnq, np.log(qt / (3 * G)) - 1e-12)
    idx = np.arange(qt.size)
    for _ in range(maxit):
        wi = w[idx]
        e = np.exp(wi)
        r = qt[idx] - 3 * G * e
        r = np.maximum(r, 1e-300)
        h = wi - lnA[idx] if np.ndim(lnA) else wi - lnA
        h = h - n * np.log(r)
        dh = 1.0 + n * 3 * G * e / r
        dw = h / dh
        w[idx] = wi - dw
        idx = idx[np.abs(dw) > tol]
        if idx.size == 0:
            break
    return qt - 3 * G * np.exp(w)


def return_mapping(eps, eps_in_old, kappa_old, dt, mat, compute_tangent=True, tangent="consistent"):
    """Implicit return mapping.

    Args:
        eps: (nq, m) total strain (Mandel).
        eps_in_old: (nq, m) inelastic (plastic + creep) strain at t_n.
        kappa_old: (nq,) accumulated rate-independent plastic strain at t_n.
        dt: time step [s] (0 -> rate-independent plasticity only).
        compute_tangent: also return the consistent tangent C.
        mat: object with G, K, lmbda, sigma_y, H, A, n.
        tangent: "consistent" (algorithmic, quadratic convergence) or "continuum"
            (theta = 1: stiffer, more robust for very large plastic increments).

    Returns dict with sigma (nq,m), C (nq,m,m) or None, eps_in, kappa, dp (nq,),
    q (nq,) equivalent stress, plastic (bool nq).
    """
    eps = np.asarray(eps, dtype=float)
    nq, m = eps.shape
    G, K, lmbda = mat.G, mat.K, mat.lmbda
    A = mat.A * dt
    n = mat.n
    H = mat.H
    one = mandel_identity(m)
    Ce = elastic_tangent(m, lmbda, G)

    eps_e_tr = eps - eps_in_old
    sig_tr = eps_e_tr @ Ce  # Ce symmetric
    tr = sig_tr[:, :3].sum(axis=1)
    s_tr = sig_tr - np.outer(tr / 3.0, one)
    q_tr = np.sqrt(1.5 * np.einsum("ij,ij->i", s_tr, s_tr))
    sy = mat.yield_stress + H * kappa_old

    q = q_tr.copy()
    ddp_dq = np.zeros(nq)
    plastic = np.zeros(nq, dtype=bool)
    active = q_tr > 1e-14 * max(G, 1.0)

    # ---- creep branch --------------------------------------------------------
    if A > 0.0:
        idx = np.nonzero(active)[0]
        if idx.size:
            qt = q_tr[idx]

            qc = _creep_stress(qt, G, A, n)
            q[idx] = qc
            c = A * n * np.maximum(qc, 0.0) ** (n - 1)
            ddp_dq[idx] = c / (1.0 + 3 * G * c)
    # ---- plastic branch ------------------------------------------------------
    yld = active & (q > sy)
    if np.any(yld):
        idx = np.nonzero(yld)[0]
        plastic[idx] = True
        qt, qc = q_tr[idx], q[idx]
        # effective modulus of the increment: hardening + Perzyna viscosity eta/dt
        tau = getattr(mat, "tau_p", 0.0)
        He = H + (mat.yield_stress * tau / dt if (tau > 0.0 and dt > 0.0) else 0.0)
        if He == 0.0:
            qp = sy[idx].copy()
            dq_dqt = np.zeros(idx.size)
        else:
            rhs = sy[idx] + He * qt / (3 * G)

            def g_pl(x, j):
                xp = np.maximum(x, 0.0)
                an = A * xp ** (n - 1)
                return (
                    xp * (1 + He / (3 * G)) + He * an * xp - rhs[j],
                    (1 + He / (3 * G)) + He * n * an,
                )

            qp = _solve_monotone(g_pl, sy[idx], qc, sy[idx])
            cc = A * n * qp ** (n - 1)
            dq_dqt = (He / (3 * G)) / (1 + He / (3 * G) + He * cc)
        q[idx] = qp
        ddp_dq[idx] = (1.0 - dq_dqt) / (3 * G)

    dp = np.where(active, (q_tr - q) / (3 * G), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        Nf = np.where(active[:, None], 1.5 * s_tr / q_tr[:, None], 0.0)
    sigma = sig_tr - 2 * G * dp[:, None] * Nf
    eps_in = eps_in_old + dp[:, None] * Nf
    dp_creep = A * np.maximum(q, 0.0) ** n if A > 0 else np.zeros(nq)
    kappa = kappa_old + np.where(plastic, np.maximum(dp - dp_creep, 0.0), 0.0)

    C = None
    if compute_tangent:
        C = np.broadcast_to(Ce, (nq, m, m)).copy()
        inel = active & (dp > 0)
        if np.any(inel):
            idx = np.nonzero(inel)[0]
            Pd = _dev_projector(m)
            theta = 1.0 - 3 * G * dp[idx] / q_tr[idx]
            beta = 4 * G**2 * (dp[idx] / q_tr[idx] - ddp_dq[idx])
            if tangent == "continuum":
                # same N x N stiffness loss per unit deviatoric stiffness, theta -> 1
                beta = beta / theta
                theta = np.ones_like(theta)
            Nn = Nf[idx]
            C[idx] = (
                (K * np.outer(one, one))[None]
                + 2 * G * theta[:, None, None] * Pd[None]
                + beta[:, None, None] * np.einsum("qi,qj->qij", Nn, Nn)
            )
    return dict(sigma=sigma, C=C, eps_in=eps_in, kappa=kappa, dp=dp, q=q, plastic=plastic)
