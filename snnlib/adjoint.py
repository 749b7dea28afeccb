r"""Gradients of ODE losses: the adjoint method and forward sensitivities.

For :math:`\dot x = F(t, x, p)`, :math:`x(0) = x_0(p)`, and

.. math::

    L(p) = \int_0^T l(t, x, p)\,dt + \phi(x(T), p),

the adjoint :math:`\lambda` solves, backwards from :math:`\lambda(T) = \partial\phi/\partial x`,

.. math::

    \dot\lambda = -\Bigl(\frac{\partial F}{\partial x}\Bigr)^{\!\top}\lambda
    - \frac{\partial l}{\partial x},
    \qquad
    \frac{dL}{dp} = \int_0^T \Bigl(\lambda^\top\frac{\partial F}{\partial p}
    + \frac{\partial l}{\partial p}\Bigr)dt + \frac{\partial\phi}{\partial p}
    + \lambda(0)^\top\frac{\partial x_0}{\partial p} .

One backward solve gives the whole gradient, whatever the number of parameters. The forward
sensitivity method integrates :math:`S = \partial x/\partial p` instead,
:math:`\dot S = F_x S + F_p`, one column per parameter. Chapter 5.

Callables (all take NumPy arrays and return NumPy arrays; ``n`` states, ``m`` parameters):

* ``F(t, x, p) -> (n,)``, ``F_x(t, x, p) -> (n, n)``, ``F_p(t, x, p) -> (n, m)``;
* ``l(t, x, p) -> float``, ``l_x(t, x, p) -> (n,)``, ``l_p(t, x, p) -> (m,)`` (optional);
* ``phi(x, p) -> float``, ``phi_x(x, p) -> (n,)``, ``phi_p(x, p) -> (m,)`` (optional);
* ``x0_p -> (n, m)``, the derivative of the initial state (optional, default zero);
* ``vjp_p(t, x, p, lam) -> (m,)``, the vector–Jacobian product :math:`\lambda^\top F_p`
  (optional): the adjoint needs only this product, which is often far cheaper than the
  :math:`n \times m` matrix ``F_p`` (for the rate network, :math:`O(n^2)` against
  :math:`O(n^3)`).

Contents
--------
ODELoss
    The problem: dynamics, losses and their derivatives.
Gradient
    ``loss``, ``grad`` and the number of right-hand-side evaluations used.
adjoint_gradient, sensitivity_gradient
    The gradient by the adjoint method and by forward sensitivities.
adjoint_solution, AdjointSolution
    The adjoint computation with the state and the adjoint kept as functions of time.
kicked_loss
    The loss when the state is kicked at one time: its derivative is the adjoint there.
euler_discrete_gradient
    The discrete adjoint: the exact gradient of the explicit Euler solution's loss.
rate_network_loss
    A test problem with :math:`n^2 + n` parameters: a small rate network fitting a target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from scipy.integrate import solve_ivp

from snnlib._validation import check_callable, check_finite_array, check_real

__all__ = [
    "AdjointSolution",
    "Gradient",
    "Kick",
    "ODELoss",
    "adjoint_gradient",
    "adjoint_solution",
    "euler_discrete_gradient",
    "kicked_loss",
    "rate_network_loss",
    "sensitivity_gradient",
]

Vector = Callable[..., np.ndarray]


@dataclass(frozen=True)
class ODELoss:
    """An ODE with a running and a terminal loss, and all the partial derivatives.

    Missing pieces (``l``, ``phi`` and their derivatives, ``x0_p``) count as zero; without
    ``vjp_p`` the adjoint forms ``F_p`` and multiplies.
    """

    F: Vector
    F_x: Vector
    F_p: Vector
    l: Vector | None = None
    l_x: Vector | None = None
    l_p: Vector | None = None
    phi: Vector | None = None
    phi_x: Vector | None = None
    phi_p: Vector | None = None
    x0_p: np.ndarray | None = None
    vjp_p: Vector | None = None

    def __post_init__(self) -> None:
        for name in ("F", "F_x", "F_p"):
            check_callable(getattr(self, name), name)
        for name in ("l", "l_x", "l_p", "phi", "phi_x", "phi_p", "vjp_p"):
            if getattr(self, name) is not None:
                check_callable(getattr(self, name), name)
        if (self.l is None) != (self.l_x is None) or (self.phi is None) != (self.phi_x is None):
            raise ValueError("give l together with l_x, and phi together with phi_x")


class Gradient(NamedTuple):
    """Loss value, its gradient (m,), and how many right-hand sides the solvers evaluated."""

    loss: float
    grad: np.ndarray
    evaluations: int


def _check(problem: ODELoss, x0: object, p: object, T: object) -> tuple:
    if not isinstance(problem, ODELoss):
        raise TypeError(f"problem must be an ODELoss, got {type(problem).__name__}")
    return (check_finite_array(x0, "x0", ndim=1), check_finite_array(p, "p", ndim=1),
            check_real(T, "T", positive=True))


def _zeros_or(func: Vector | None, shape: tuple[int, ...], *args: object) -> np.ndarray:
    return np.zeros(shape) if func is None else np.asarray(func(*args), dtype=np.float64)


def _forward(problem: ODELoss, x0, p, t_span, rtol, atol, max_step):
    """Solve the state and the running loss ∫l together over ``t_span``; dense output for the
    backward pass. Returns the solution, the final state and ∫l + φ(x(end))."""
    n = x0.size

    def rhs(t, z):
        x = z[:n]
        return np.append(problem.F(t, x, p), 0.0 if problem.l is None else problem.l(t, x, p))

    sol = solve_ivp(rhs, t_span, np.append(x0, 0.0), method="DOP853", rtol=rtol, atol=atol,
                    dense_output=True, max_step=max_step)
    if not sol.success:
        raise RuntimeError(f"forward solve failed: {sol.message}")
    xT = sol.y[:n, -1]
    loss = sol.y[n, -1] + (0.0 if problem.phi is None else float(problem.phi(xT, p)))
    return sol, xT, float(loss)


def _adjoint(problem, x0, p, T, rtol, atol, max_step, backward, dense):
    """The forward solve, then (λ, μ) backwards from T; returns (loss, grad, fwd, bwd)."""
    n, m = x0.size, p.size
    fwd, xT, loss = _forward(problem, x0, p, (0.0, T), rtol, atol, max_step)
    back = problem if backward is None else backward

    def rhs(t, z):
        x = fwd.sol(t)[:n]
        lam = z[:n]
        dlam = -np.asarray(back.F_x(t, x, p)).T @ lam - _zeros_or(back.l_x, (n,), t, x, p)
        lam_F_p = lam @ np.asarray(back.F_p(t, x, p)) if back.vjp_p is None \
            else np.asarray(back.vjp_p(t, x, p, lam))
        dmu = -(lam_F_p + _zeros_or(back.l_p, (m,), t, x, p))
        return np.concatenate([dlam, dmu])

    lam_T = _zeros_or(back.phi_x, (n,), xT, p)
    bwd = solve_ivp(rhs, (T, 0.0), np.concatenate([lam_T, np.zeros(m)]), method="DOP853",
                    rtol=rtol, atol=atol, max_step=max_step, dense_output=dense)
    if not bwd.success:
        raise RuntimeError(f"adjoint solve failed: {bwd.message}")
    lam0, mu0 = bwd.y[:n, -1], bwd.y[n:, -1]
    x0_p = np.zeros((n, m)) if back.x0_p is None else np.asarray(back.x0_p, float)
    grad = mu0 + _zeros_or(back.phi_p, (m,), xT, p) + lam0 @ x0_p
    return loss, grad, fwd, bwd


def adjoint_gradient(
    problem: ODELoss,
    x0: np.ndarray,
    p: np.ndarray,
    T: float,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    max_step: float = np.inf,
    backward: ODELoss | None = None,
) -> Gradient:
    r"""The gradient :math:`dL/dp` by one forward and one backward (adjoint) solve.

    ``max_step`` bounds the solvers' steps (needed when the right-hand side has features
    narrower than the solver would resolve on its own, such as a nascent delta). If
    ``backward`` is given, its Jacobians and loss derivatives are used in the backward solve
    while ``problem`` drives the forward one: the gradient of a *mismatched* adjoint, which is
    how a surrogate gradient is computed (chapter 6).

    The backward solve integrates :math:`(\lambda, \mu)` from :math:`T` to :math:`0` with
    :math:`\dot\mu = -(\lambda^\top F_p + l_p)`, :math:`\mu(T) = 0`, so that
    :math:`\mu(0) = \int_0^T (\lambda^\top F_p + l_p)\,dt`; the state is read from the forward
    solution's dense output.

    Examples
    --------
    Exponential decay :math:`\dot x = -p x`, :math:`L = x(T)`: :math:`dL/dp = -T x_0 e^{-pT}`.

    >>> prob = ODELoss(F=lambda t, x, p: -p[0] * x, F_x=lambda t, x, p: np.array([[-p[0]]]),
    ...                F_p=lambda t, x, p: np.array([[-x[0]]]),
    ...                phi=lambda x, p: x[0], phi_x=lambda x, p: np.array([1.0]))
    >>> g = adjoint_gradient(prob, np.array([2.0]), np.array([0.5]), T=3.0)
    >>> round(float(g.grad[0]), 9), round(-3.0 * 2.0 * float(np.exp(-1.5)), 9)
    (-1.338780961, -1.338780961)
    """
    x0, p, T = _check(problem, x0, p, T)
    loss, grad, fwd, bwd = _adjoint(problem, x0, p, T, rtol, atol, max_step, backward, False)
    return Gradient(loss, grad, fwd.nfev + bwd.nfev)


class AdjointSolution(NamedTuple):
    r"""Loss, gradient, and the state and adjoint as functions of time.

    ``state(t)`` and ``adjoint(t)`` accept a time or an array of times in [0, T] and return
    arrays of shape (n,) or (n, len(t)); ``running(t)``, shape (m,) or (m, len(t)), is the
    part of the gradient collected from t to T, :math:`\int_t^T (\lambda^\top F_p + l_p)\,ds`
    (so ``running(0)`` is ``grad`` without the terminal and initial-condition terms).
    """

    loss: float
    grad: np.ndarray
    state: Callable[[float | np.ndarray], np.ndarray]
    adjoint: Callable[[float | np.ndarray], np.ndarray]
    running: Callable[[float | np.ndarray], np.ndarray]


def adjoint_solution(
    problem: ODELoss,
    x0: np.ndarray,
    p: np.ndarray,
    T: float,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    max_step: float = np.inf,
) -> AdjointSolution:
    r"""The adjoint computation of :func:`adjoint_gradient`, keeping :math:`x(t)` and
    :math:`\lambda(t)` as dense interpolants (``max_step`` as in :func:`adjoint_gradient`).

    :math:`\lambda(t) = \partial L/\partial x(t)`: the change of the loss per unit change of
    the state at time :math:`t`, the rest of the trajectory following the ODE
    (:func:`kicked_loss` measures exactly that).

    Examples
    --------
    :math:`\dot x = -p x`, :math:`L = x(T)`: :math:`\lambda(t) = e^{-p(T - t)}`.

    >>> prob = ODELoss(F=lambda t, x, p: -p[0] * x, F_x=lambda t, x, p: np.array([[-p[0]]]),
    ...                F_p=lambda t, x, p: np.array([[-x[0]]]),
    ...                phi=lambda x, p: x[0], phi_x=lambda x, p: np.array([1.0]))
    >>> sol = adjoint_solution(prob, np.array([2.0]), np.array([0.5]), T=3.0)
    >>> round(float(sol.adjoint(1.0)[0]), 9), round(float(np.exp(-0.5 * 2.0)), 9)
    (0.367879441, 0.367879441)
    """
    x0, p, T = _check(problem, x0, p, T)
    n = x0.size
    loss, grad, fwd, bwd = _adjoint(problem, x0, p, T, rtol, atol, max_step, None, True)
    return AdjointSolution(loss, grad, lambda t: fwd.sol(t)[:n], lambda t: bwd.sol(t)[:n],
                           lambda t: bwd.sol(t)[n:])


class Kick(NamedTuple):
    """The loss after a kick, and the kicked state ``state(t)`` for t in [t0, T]."""

    loss: float
    state: Callable[[float | np.ndarray], np.ndarray]


def kicked_loss(
    problem: ODELoss,
    x0: np.ndarray,
    p: np.ndarray,
    T: float,
    t0: float,
    dx: np.ndarray,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> Kick:
    r"""The loss when the state is kicked, :math:`x(t_0) \to x(t_0) + \delta x`, at time ``t0``.

    The trajectory follows the ODE up to :math:`t_0`, jumps by ``dx``, and follows the ODE
    again to :math:`T`. Its derivative with respect to ``dx`` at zero is
    :math:`\lambda(t_0)`, which is what makes the adjoint the sensitivity of the loss to the
    state (chapter 5).

    Examples
    --------
    >>> prob = ODELoss(F=lambda t, x, p: -p[0] * x, F_x=lambda t, x, p: np.array([[-p[0]]]),
    ...                F_p=lambda t, x, p: np.array([[-x[0]]]),
    ...                phi=lambda x, p: x[0], phi_x=lambda x, p: np.array([1.0]))
    >>> kick = kicked_loss(prob, np.array([2.0]), np.array([0.5]), 3.0, 1.0, np.array([0.1]))
    >>> round(kick.loss, 9), round(float((2.0 * np.exp(-0.5) + 0.1) * np.exp(-1.0)), 9)
    (0.483048264, 0.483048264)
    """
    x0, p, T = _check(problem, x0, p, T)
    t0 = check_real(t0, "t0")
    if not 0.0 <= t0 < T:
        raise ValueError(f"t0 must lie in [0, T) = [0, {T:g}), got {t0!r}")
    dx = check_finite_array(dx, "dx", ndim=1)
    if dx.shape != x0.shape:
        raise ValueError(f"dx must have the shape of x0, {x0.shape}, got {dx.shape}")
    running, x_t0 = 0.0, x0
    if t0 > 0.0:
        first, x_t0, _ = _forward(replace(problem, phi=None, phi_x=None, phi_p=None),
                                  x0, p, (0.0, t0), rtol, atol, np.inf)
        running = float(first.y[-1, -1])
    rest, _, loss = _forward(problem, x_t0 + dx, p, (t0, T), rtol, atol, np.inf)
    n = x0.size
    return Kick(running + loss, lambda t: rest.sol(t)[:n])


def sensitivity_gradient(
    problem: ODELoss,
    x0: np.ndarray,
    p: np.ndarray,
    T: float,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> Gradient:
    r"""The gradient by forward sensitivities: :math:`\dot S = F_x S + F_p`, :math:`S(0) = x_{0,p}`.

    The state, the :math:`n \times m` sensitivities and
    :math:`\int (l_x S + l_p)\,dt` are integrated together in one forward solve whose size grows
    with the number of parameters.

    Examples
    --------
    >>> prob = ODELoss(F=lambda t, x, p: -p[0] * x, F_x=lambda t, x, p: np.array([[-p[0]]]),
    ...                F_p=lambda t, x, p: np.array([[-x[0]]]),
    ...                phi=lambda x, p: x[0], phi_x=lambda x, p: np.array([1.0]))
    >>> round(float(sensitivity_gradient(prob, np.array([2.0]), np.array([0.5]), 3.0).grad[0]), 9)
    -1.338780961
    """
    x0, p, T = _check(problem, x0, p, T)
    n, m = x0.size, p.size

    def rhs(t, z):
        x, S = z[:n], z[n:n + n * m].reshape(n, m)
        dS = np.asarray(problem.F_x(t, x, p)) @ S + np.asarray(problem.F_p(t, x, p))
        running = 0.0 if problem.l is None else problem.l(t, x, p)
        dgrad = _zeros_or(problem.l_x, (n,), t, x, p) @ S + _zeros_or(problem.l_p, (m,), t, x, p)
        return np.concatenate([problem.F(t, x, p), dS.ravel(), [running], dgrad])

    S0 = np.zeros((n, m)) if problem.x0_p is None else np.asarray(problem.x0_p, float)
    z0 = np.concatenate([x0, S0.ravel(), [0.0], np.zeros(m)])
    sol = solve_ivp(rhs, (0.0, T), z0, method="DOP853", rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"sensitivity solve failed: {sol.message}")
    z = sol.y[:, -1]
    xT, ST = z[:n], z[n:n + n * m].reshape(n, m)
    loss = z[n + n * m] + (0.0 if problem.phi is None else float(problem.phi(xT, p)))
    grad = z[n + n * m + 1:] + _zeros_or(problem.phi_x, (n,), xT, p) @ ST \
        + _zeros_or(problem.phi_p, (m,), xT, p)
    return Gradient(float(loss), grad, sol.nfev)


def euler_discrete_gradient(
    problem: ODELoss,
    x0: np.ndarray,
    p: np.ndarray,
    T: float,
    steps: int,
) -> Gradient:
    r"""The loss of the explicit Euler solution and its exact gradient: the *discrete* adjoint.

    With :math:`h = T/K`, :math:`x_{k+1} = x_k + hF(t_k, x_k, p)` and
    :math:`L_h = h\sum_{k<K} l(t_k, x_k, p) + \phi(x_K, p)`, reverse-mode differentiation of
    the recurrence gives, from :math:`\lambda_K = \phi_x^\top`,

    .. math::

        \lambda_k = \lambda_{k+1} + h\bigl(F_x^\top\lambda_{k+1} + l_x^\top\bigr)(t_k, x_k),
        \qquad
        \frac{dL_h}{dp} = \phi_p + h\sum_{k<K}\bigl(\lambda_{k+1}^\top F_p + l_p\bigr)(t_k, x_k)
        + \lambda_0^\top\frac{\partial x_0}{\partial p},

    the exact derivative of :math:`L_h` (up to rounding), whereas :func:`adjoint_gradient`
    approximates the derivative of the exact :math:`L`. They differ by :math:`O(h)` (chapter 5).
    ``evaluations`` counts the Jacobian evaluations of the backward sweep.

    Examples
    --------
    :math:`\dot x = -px`, :math:`L = x(T)`: :math:`L_h = x_0(1 - ph)^K`, so
    :math:`dL_h/dp = -x_0 T (1 - ph)^{K-1}`.

    >>> prob = ODELoss(F=lambda t, x, p: -p[0] * x, F_x=lambda t, x, p: np.array([[-p[0]]]),
    ...                F_p=lambda t, x, p: np.array([[-x[0]]]),
    ...                phi=lambda x, p: x[0], phi_x=lambda x, p: np.array([1.0]))
    >>> g = euler_discrete_gradient(prob, np.array([2.0]), np.array([0.5]), 3.0, steps=30)
    >>> round(float(g.grad[0]), 12), round(-2.0 * 3.0 * (1 - 0.05) ** 29, 12)
    (-1.355613245955, -1.355613245955)
    """
    x0, p, T = _check(problem, x0, p, T)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    n, m, h = x0.size, p.size, T / steps
    xs = [x0]
    loss = 0.0
    for k in range(steps):
        t = k * h
        if problem.l is not None:
            loss += h * float(problem.l(t, xs[-1], p))
        xs.append(xs[-1] + h * np.asarray(problem.F(t, xs[-1], p)))
    xK = xs[-1]
    loss += 0.0 if problem.phi is None else float(problem.phi(xK, p))
    lam = _zeros_or(problem.phi_x, (n,), xK, p)
    grad = _zeros_or(problem.phi_p, (m,), xK, p)
    for k in range(steps - 1, -1, -1):
        t, x = k * h, xs[k]
        lam_F_p = lam @ np.asarray(problem.F_p(t, x, p)) if problem.vjp_p is None \
            else np.asarray(problem.vjp_p(t, x, p, lam))
        grad = grad + h * (lam_F_p + _zeros_or(problem.l_p, (m,), t, x, p))
        lam = lam + h * (np.asarray(problem.F_x(t, x, p)).T @ lam
                         + _zeros_or(problem.l_x, (n,), t, x, p))
    x0_p = np.zeros((n, m)) if problem.x0_p is None else np.asarray(problem.x0_p, float)
    return Gradient(float(loss), grad + lam @ x0_p, steps)


def rate_network_loss(n: int, target: np.ndarray) -> ODELoss:
    r"""A rate network :math:`\dot x = -x + \tanh(Wx + b)` fitting a constant target.

    Parameters :math:`p = (\mathrm{vec}\,W, b)`, :math:`m = n^2 + n`; running loss
    :math:`l = \tfrac12\|x - x^*\|^2`, terminal loss :math:`\phi = \tfrac12\|x(T) - x^*\|^2`.
    The problem of chapter 5, where the cost of the two gradient methods is compared as
    :math:`m` grows. It supplies ``vjp_p``:
    :math:`\lambda^\top F_p = \bigl(\mathrm{vec}(g x^\top), g\bigr)` with
    :math:`g = \lambda \odot (1 - \tanh^2(Wx + b))`.

    Examples
    --------
    >>> prob = rate_network_loss(2, np.array([0.5, -0.5]))
    >>> prob.F(0.0, np.zeros(2), np.zeros(6)).tolist()
    [0.0, 0.0]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    target = check_finite_array(target, "target", ndim=1)
    if target.size != n:
        raise ValueError(f"target must have {n} entries, got {target.size}")

    def unpack(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return p[: n * n].reshape(n, n), p[n * n:]

    def F(t, x, p):
        W, b = unpack(p)
        return -x + np.tanh(W @ x + b)

    def F_x(t, x, p):
        W, b = unpack(p)
        return -np.eye(n) + (1.0 - np.tanh(W @ x + b) ** 2)[:, None] * W

    def F_p(t, x, p):
        W, b = unpack(p)
        slope = 1.0 - np.tanh(W @ x + b) ** 2
        # ∂F_i/∂W_jk = δ_ij slope_i x_k ; ∂F_i/∂b_j = δ_ij slope_i
        dW = np.einsum("ij,i,k->ijk", np.eye(n), slope, x).reshape(n, n * n)
        return np.concatenate([dW, np.diag(slope)], axis=1)

    def vjp_p(t, x, p, lam):
        W, b = unpack(p)
        g = lam * (1.0 - np.tanh(W @ x + b) ** 2)
        return np.concatenate([np.outer(g, x).ravel(), g])

    def half_square(x):
        return 0.5 * float(np.sum((x - target) ** 2))

    return ODELoss(
        F=F, F_x=F_x, F_p=F_p, vjp_p=vjp_p,
        l=lambda t, x, p: half_square(x), l_x=lambda t, x, p: x - target,
        phi=lambda x, p: half_square(x), phi_x=lambda x, p: x - target,
    )
