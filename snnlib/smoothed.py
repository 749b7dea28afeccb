r"""Spiking networks whose spikes are distributions: smoothed and exact simulation.

The seed draft writes a network with synaptic traces driven by threshold crossings,

.. math::

    \dot V = f(V, I), \qquad I = \eta + W^\top s, \qquad
    \tau_s \dot s_k = -s_k + \delta\bigl(v_k - \vartheta\bigr)\,\max(\dot v_k, 0).

(the seed writes :math:`W_r s` with :math:`W_r` indexed (post, pre); like every weight array
of snnlib, ``weights`` here is indexed (pre, post), so :math:`W_r = W^\top`). We use theta
neurons, whose phase needs no reset:
:math:`\tau\dot\theta_k = (1 - \cos\theta_k) + (1 + \cos\theta_k)\,I_k`, with a spike when
:math:`\theta_k` passes :math:`\pi` (mod :math:`2\pi`). At :math:`\theta = \pi` the speed is
:math:`2/\tau > 0` whatever the input, so every crossing is upward and none grazes.

* **Smoothed**: :math:`\delta` is replaced by the triangle :math:`\Lambda_\varepsilon` applied to
  the phase distance :math:`g_k = \mathrm{wrap}(\theta_k - \pi) \in (-\pi, \pi]`, giving an
  ordinary ODE solved by :func:`scipy.integrate.solve_ivp`.
* **Exact**: between spikes :math:`\tau_s\dot s = -s`; at a spike of neuron k,
  :math:`s_k \mathrel{+}= 1/\tau_s` (the integral of :math:`\delta/\tau_s`). Spikes are located by
  the solver's event detection and the integration restarts after each one.

Both use the same tolerances (``rtol=1e-10``, ``atol=1e-12`` by default); the smoothed solver
additionally limits its step to :math:`\varepsilon\tau/8` while a neuron is within
:math:`\varepsilon` of :math:`\pi`, so it never steps over a triangle. Chapter 4.

Contents
--------
ThetaNetwork
    Drives, recurrent weights and time constants.
ThetaRun
    Result: the solver's time points, phases, traces, spike times per neuron.
simulate_exact, simulate_smoothed
    Event-driven exact simulation and the Λ_ε-smoothed ODE.
smoothed_trace_loss, exact_trace_loss
    The loss :math:`\tfrac12\int_0^T s_k(t)^2\,dt` of one trace, as an
    :class:`snnlib.adjoint.ODELoss` for the smoothed network (parameters :math:`(W, \eta)`),
    and in closed form from the exact spike times (chapter 6).
exact_adjoint, ThetaAdjoint
    The exact network's gradient by the adjoint with jumps at the spikes (chapter 6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.integrate import solve_ivp

from snnlib._validation import check_finite_array, check_real
from snnlib.adjoint import ODELoss
from snnlib.deltas import triangle, triangle_derivative

__all__ = [
    "ThetaAdjoint",
    "ThetaNetwork",
    "ThetaRun",
    "exact_adjoint",
    "exact_trace_loss",
    "simulate_exact",
    "simulate_smoothed",
    "smoothed_trace_loss",
]


@dataclass(frozen=True)
class ThetaNetwork:
    r"""A network of theta neurons coupled through synaptic traces.

    Attributes
    ----------
    drive : ndarray, shape (n,)
        Constant input :math:`\eta_k`; a lone neuron fires periodically when :math:`\eta_k > 0`
        (period :math:`\pi\tau/\sqrt{\eta_k}`).
    weights : ndarray, shape (n, n)
        :math:`W_{jk}`, the weight from neuron j's trace to neuron k's input (rows
        presynaptic, as everywhere in snnlib): :math:`I_k = \eta_k + \sum_j W_{jk} s_j`.
    tau : float
        Time scale :math:`\tau` of the phase dynamics (ms).
    tau_syn : float
        Trace time constant :math:`\tau_s` (ms).
    """

    drive: np.ndarray
    weights: np.ndarray
    tau: float = 1.0
    tau_syn: float = 5.0

    def __post_init__(self) -> None:
        drive = check_finite_array(self.drive, "drive", ndim=1)
        weights = check_finite_array(self.weights, "weights", ndim=2)
        if weights.shape != (drive.size, drive.size):
            raise ValueError(
                f"weights must have shape {(drive.size, drive.size)}, got {weights.shape}"
            )
        object.__setattr__(self, "drive", drive)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "tau", check_real(self.tau, "tau", positive=True))
        object.__setattr__(self, "tau_syn", check_real(self.tau_syn, "tau_syn", positive=True))

    @property
    def size(self) -> int:
        return self.drive.size

    def phase_velocity(self, theta: np.ndarray, s: np.ndarray) -> np.ndarray:
        r""":math:`\dot\theta = [(1 - \cos\theta) + (1 + \cos\theta)(\eta + W^\top s)]/\tau`."""
        current = self.drive + s @ self.weights
        return ((1.0 - np.cos(theta)) + (1.0 + np.cos(theta)) * current) / self.tau

    def field(self, y: np.ndarray) -> np.ndarray:
        r"""The exact network between spikes, :math:`\dot y` for :math:`y = (\theta, s)`:
        the phase velocity and :math:`\dot s = -s/\tau_s`."""
        theta, s = y[:self.size], y[self.size:]
        return np.concatenate([self.phase_velocity(theta, s), -s / self.tau_syn])


@dataclass(frozen=True)
class ThetaRun:
    """Result of a simulation: the solver's time points ``t`` (m,), ``theta`` and ``s`` (n, m),
    and the spike times of each neuron."""

    t: np.ndarray
    theta: np.ndarray
    s: np.ndarray
    spikes: list[np.ndarray]


def _phase_distance(theta: np.ndarray) -> np.ndarray:
    """wrap(θ − π) in (−π, π]: zero exactly at the spikes θ ≡ π (mod 2π)."""
    return np.pi - np.mod(-theta, 2.0 * np.pi)


def _level_event(k: int, level: float, terminal: bool):
    """Event θ_k = level, upward. θ is not wrapped, so each spike has its own level."""

    def event(t: float, y: np.ndarray) -> float:
        return float(y[k] - level)

    event.terminal = terminal
    event.direction = 1.0
    return event


def _next_spike_levels(theta: np.ndarray) -> np.ndarray:
    """The first level π + 2πm at or above each phase."""
    return np.pi + 2.0 * np.pi * np.ceil((theta - np.pi) / (2.0 * np.pi))


def _check_run(net: ThetaNetwork, theta0: np.ndarray, t_max: float) -> tuple[np.ndarray, float]:
    if not isinstance(net, ThetaNetwork):
        raise TypeError(f"net must be a ThetaNetwork, got {type(net).__name__}")
    theta0 = check_finite_array(theta0, "theta0", ndim=1)
    if theta0.size != net.size:
        raise ValueError(f"theta0 must have {net.size} entries, got {theta0.size}")
    if np.any(np.abs(np.cos(0.5 * theta0)) < 1e-9):
        raise ValueError("theta0 must not start exactly at a spike (θ ≡ π mod 2π)")
    return theta0, check_real(t_max, "t_max", positive=True)


def simulate_exact(
    net: ThetaNetwork,
    theta0: np.ndarray,
    t_max: float,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> ThetaRun:
    """Exact event-driven simulation: each spike adds 1/τ_s to its trace, then the solver restarts.

    Examples
    --------
    >>> net = ThetaNetwork(drive=np.array([1.0]), weights=np.zeros((1, 1)))
    >>> run = simulate_exact(net, np.array([0.0]), 10.0)
    >>> np.round(run.spikes[0], 8).tolist()   # period π/√η = π, first spike at π/2
    [1.57079633, 4.71238898, 7.85398163]
    """
    theta0, t_max = _check_run(net, theta0, t_max)
    segments = _exact_segments(net, theta0, t_max, rtol, atol)
    spikes = [[seg.t1 for seg in segments if k in seg.spiking] for k in range(net.size)]
    return _run([seg.sol.t for seg in segments], [seg.sol.y for seg in segments], net.size,
                spikes)


class _Segment(NamedTuple):
    """One stretch of an exact run between spikes: its dense solution on [t0, t1] and the
    neurons that spike at t1 (none for the last stretch, which ends at t_max)."""

    t0: float
    t1: float
    sol: object
    spiking: list[int]


def _exact_segments(net: ThetaNetwork, theta0: np.ndarray, t_max: float, rtol: float,
                    atol: float) -> list[_Segment]:
    n = net.size

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        return net.field(y)

    y = np.concatenate([theta0, np.zeros(n)])
    levels = _next_spike_levels(theta0)
    t0, segments = 0.0, []
    while True:
        events = [_level_event(k, levels[k], terminal=True) for k in range(n)]
        sol = _solve(rhs, t0, t_max, y, events, rtol, atol, net.tau, dense_output=True)
        spiking = [k for k in range(n) if sol.status == 1 and sol.t_events[k].size]
        segments.append(_Segment(t0, float(sol.t[-1]), sol, spiking))
        y, t0 = sol.y[:, -1].copy(), float(sol.t[-1])
        if sol.status != 1:
            return segments
        for k in spiking:
            levels[k] += 2.0 * np.pi
            y[n + k] += 1.0 / net.tau_syn


class ThetaAdjoint(NamedTuple):
    r"""The exact network's loss, gradient and adjoint (:func:`exact_adjoint`).

    ``grad`` is ordered like the parameters of :func:`smoothed_trace_loss`,
    :math:`p = (\mathrm{vec}\,W, \eta)`. ``jumps[k]`` holds
    :math:`\lambda_{\theta_k}(t^-) - \lambda_{\theta_k}(t^+)` at each spike of neuron k.
    ``state(t)`` and ``adjoint(t)`` return :math:`(\theta, s)` and
    :math:`(\lambda_\theta, \lambda_s)`, shape (2n,) or (2n, len(t)); at a spike time they
    give the values just before the spike.
    """

    loss: float
    grad: np.ndarray
    spikes: list[np.ndarray]
    jumps: list[np.ndarray]
    state: Callable[[float | np.ndarray], np.ndarray]
    adjoint: Callable[[float | np.ndarray], np.ndarray]


def _piecewise(segments: list, t: float | np.ndarray, size: int) -> np.ndarray:
    """Evaluate dense solutions on consecutive pieces ``(t0, t1, sol)``; piece i owns
    (t0_i, t1_i] (the first one also t0)."""
    t_arr = np.atleast_1d(np.asarray(t, dtype=np.float64))
    ends = np.array([t1 for _, t1, _ in segments])
    piece = np.minimum(np.searchsorted(ends, t_arr), len(segments) - 1)
    out = np.empty((size, t_arr.size))
    for i in np.unique(piece):
        at = piece == i
        out[:, at] = segments[i][2](t_arr[at])[:size]
    return out[:, 0] if np.ndim(t) == 0 else out


def exact_adjoint(
    net: ThetaNetwork,
    theta0: np.ndarray,
    T: float,
    output: int,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> ThetaAdjoint:
    r"""Gradient of :math:`L = \tfrac12\int_0^T s_o^2\,dt` for the exact network, by the adjoint
    with jumps at the spikes.

    Between spikes, with :math:`x = (\theta, s)` and :math:`\dot x = F(x)`, the adjoint solves
    :math:`-\dot\lambda = F_x^\top\lambda + l_x` backwards from :math:`\lambda(T) = 0`:

    .. math::

        -\dot\lambda_{\theta_k} = \frac{\sin\theta_k\,(1 - I_k)}{\tau}\lambda_{\theta_k},
        \qquad
        -\dot\lambda_{s_j} = \sum_k W_{jk}\frac{1 + \cos\theta_k}{\tau}\lambda_{\theta_k}
        - \frac{\lambda_{s_j}}{\tau_s} + [j = o]\,s_o .

    At a spike of neuron k at :math:`t_k` the trace jumps, :math:`s^+ = s^- + e_k/\tau_s`, and
    only :math:`\lambda_{\theta_k}` jumps (chapter 6):

    .. math::

        \lambda_{\theta_k}^- = \lambda_{\theta_k}^+ + \frac{H^+ - H^-}{\dot\theta_k(t_k)},
        \qquad H^\pm = \lambda^{+\top} F(x^\pm) + l(x^\pm),

    with :math:`\dot\theta_k(t_k) = 2/\tau`. The gradient is
    :math:`\int_0^T \lambda^\top F_p\,dt`:
    :math:`\partial L/\partial W_{jk} = \int \lambda_{\theta_k}(1 + \cos\theta_k)s_j/\tau\,dt`,
    :math:`\partial L/\partial\eta_k = \int \lambda_{\theta_k}\frac{1 + \cos\theta_k}{\tau}\,dt`.
    The state is read from the forward run's dense output, segment by segment.

    Examples
    --------
    One neuron driven by η, the loss of its own trace: fewer spikes when η drops.

    >>> net = ThetaNetwork(drive=np.array([1.0]), weights=np.zeros((1, 1)))
    >>> adj = exact_adjoint(net, np.array([0.0]), 10.0, output=0)
    >>> round(float(adj.grad[1]), 6) > 0
    True
    """
    theta0, T = _check_run(net, theta0, T)
    n, W = net.size, net.weights
    if not isinstance(output, (int, np.integer)) or not 0 <= output < n:
        raise ValueError(f"output must be a neuron index in [0, {n}), got {output!r}")
    segments = _exact_segments(net, theta0, T, rtol, atol)
    # simultaneous spikes come as one segment with several spiking neurons or as segments of
    # zero length; the jump conditions assume one spike at a time
    if any(len(seg.spiking) > 1 or (seg.spiking and i and seg.t1 - seg.t0 <= 1e-12 * seg.t1)
           for i, seg in enumerate(segments)):
        raise ValueError("two neurons spike at the same instant: the loss has no gradient there")

    def hamiltonian(lam: np.ndarray, x: np.ndarray) -> float:
        return float(lam @ net.field(x)) + 0.5 * float(x[n + output]) ** 2

    def rhs(t: float, z: np.ndarray, sol) -> np.ndarray:
        x = sol(t)
        theta, s = x[:n], x[n:]
        lam_theta, lam_s = z[:n], z[n:2 * n]
        current = net.drive + s @ W
        gained = (1.0 + np.cos(theta)) / net.tau * lam_theta  # λ_θ ∂θ̇/∂I
        d_theta = -np.sin(theta) * (1.0 - current) / net.tau * lam_theta
        d_s = lam_s / net.tau_syn - W @ gained
        d_s[output] -= s[output]
        return np.concatenate([d_theta, d_s, -np.outer(s, gained).ravel(), -gained])

    z = np.zeros(2 * n + n * n + n)  # (λ_θ, λ_s, μ_W, μ_η) at T
    jumps: list[list[float]] = [[] for _ in range(n)]
    pieces = []
    for seg in reversed(segments):
        if seg.spiking:
            k = seg.spiking[0]
            x_minus = seg.sol.sol(seg.t1)
            x_plus = x_minus.copy()
            x_plus[n + k] += 1.0 / net.tau_syn
            lam = z[:2 * n]
            jump = (hamiltonian(lam, x_plus) - hamiltonian(lam, x_minus)) / net.field(x_minus)[k]
            z[k] += jump
            jumps[k].append(jump)
        back = solve_ivp(rhs, (seg.t1, seg.t0), z, method="DOP853", rtol=rtol, atol=atol,
                         dense_output=True, args=(seg.sol.sol,), max_step=net.tau / 4)
        if not back.success:
            raise RuntimeError(f"adjoint solve failed: {back.message}")
        z = back.y[:, -1].copy()
        pieces.append((seg.t0, seg.t1, back.sol))
    spikes = [np.array([seg.t1 for seg in segments if k in seg.spiking]) for k in range(n)]
    forward = [(seg.t0, seg.t1, seg.sol.sol) for seg in segments]
    return ThetaAdjoint(
        loss=exact_trace_loss(spikes[output], net.tau_syn, T),
        grad=z[2 * n:],
        spikes=spikes,
        jumps=[np.array(j[::-1]) for j in jumps],
        state=lambda t: _piecewise(forward, t, 2 * n),
        adjoint=lambda t: _piecewise(pieces[::-1], t, 2 * n),
    )


def _solve(rhs, t0, t_max, y, events, rtol, atol, tau, max_step=np.inf, dense_output=False):
    # The phase advances by at most about 2 rad per τ where the input is moderate; a step of
    # at most τ/4 keeps the dense output accurate for plots at no real cost.
    return solve_ivp(rhs, (t0, t_max), y, method="DOP853", rtol=rtol, atol=atol,
                     events=events, max_step=min(max_step, tau / 4), dense_output=dense_output)


def _run(ts: list, ys: list, n: int, spikes: list) -> ThetaRun:
    t = np.concatenate(ts)
    Y = np.concatenate(ys, axis=1)
    t, first = np.unique(t, return_index=True)
    Y = Y[:, first]
    return ThetaRun(t, Y[:n], Y[n:], [np.array(x) for x in spikes])


def simulate_smoothed(
    net: ThetaNetwork,
    theta0: np.ndarray,
    t_max: float,
    eps: float,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> ThetaRun:
    r"""The smoothed network, an ordinary ODE.

    .. math::

        \tau_s\dot s_k = -s_k + \Lambda_\varepsilon(g_k)\max(\dot\theta_k, 0),
        \qquad g_k = \mathrm{wrap}(\theta_k - \pi)

    Spike times are the instants where :math:`\theta_k` passes :math:`\pi` (located by the
    solver's event detection, not terminal). The step is limited to :math:`\varepsilon\tau/8`
    while some neuron is within :math:`\varepsilon` of a spike.

    Examples
    --------
    >>> net = ThetaNetwork(drive=np.array([1.0]), weights=np.zeros((1, 1)))
    >>> run = simulate_smoothed(net, np.array([0.0]), 10.0, eps=0.01)
    >>> np.round(run.spikes[0], 8).tolist()   # no coupling: the same times as exact
    [1.57079633, 4.71238898, 7.85398163]
    """
    theta0, t_max = _check_run(net, theta0, t_max)
    eps = check_real(eps, "eps", positive=True)
    if eps >= np.pi:
        raise ValueError(f"eps must be < π (the triangle must fit between spikes), got {eps!r}")
    n = net.size

    y = np.concatenate([theta0, np.zeros(n)])
    levels = _next_spike_levels(theta0)  # the next spike of neuron k is at θ_k = levels[k]
    inside = np.abs(theta0 - levels) < eps

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        theta, s = y[:n], y[n:]
        velocity = net.phase_velocity(theta, s)
        # Λ_ε(g) vanishes outside the bands; switching it off there exactly keeps the solver's
        # trial stages of a long step from sampling the next, narrow triangle.
        source = np.where(inside, triangle(_phase_distance(theta), eps), 0.0)
        return np.concatenate([velocity, (source * np.maximum(velocity, 0.0) - s) / net.tau_syn])

    spikes: list[list[float]] = [[] for _ in range(n)]
    t0, ts, ys = 0.0, [], []
    while True:
        # terminal: a neuron enters (θ = level − ε) or leaves (θ = level + ε) its band;
        # non-terminal: the spike itself (θ = level), recorded where it happens.
        edges = [_level_event(k, levels[k] + (eps if inside[k] else -eps), terminal=True)
                 for k in range(n)]
        crossings = [_level_event(k, levels[k], terminal=False) for k in range(n)]
        max_step = eps * net.tau / 8 if inside.any() else np.inf
        sol = _solve(rhs, t0, t_max, y, [*edges, *crossings], rtol, atol, net.tau, max_step)
        ts.append(sol.t)
        ys.append(sol.y)
        for k in range(n):
            # solve_ivp reports a root that falls exactly on a step's end twice (once in each
            # step); one neuron cannot cross one level twice at the same instant.
            for x in sol.t_events[n + k]:
                if not spikes[k] or x - spikes[k][-1] > 1e-12 * max(1.0, abs(x)):
                    spikes[k].append(float(x))
        y, t0 = sol.y[:, -1].copy(), float(sol.t[-1])
        if sol.status != 1:
            break
        for k in range(n):
            if sol.t_events[k].size:
                if inside[k]:
                    levels[k] += 2.0 * np.pi
                inside[k] = not inside[k]
    return _run(ts, ys, n, spikes)


def smoothed_trace_loss(net: ThetaNetwork, eps: float, output: int) -> ODELoss:
    r"""The smoothed network with the loss :math:`L = \tfrac12\int_0^T s_k^2\,dt`, ready for
    :func:`snnlib.adjoint.adjoint_gradient`.

    State :math:`x = (\theta, s)`, parameters :math:`p = (\mathrm{vec}\,W, \eta)`. With
    :math:`\dot\theta_k = [(1 - \cos\theta_k) + (1 + \cos\theta_k) I_k]/\tau`,
    :math:`I = \eta + W^\top s`, and
    :math:`\sigma_k = \Lambda_\varepsilon(g_k)\max(\dot\theta_k, 0)`,

    .. math::

        \frac{\partial\sigma_k}{\partial\theta_k} = \Lambda'_\varepsilon(g_k)\dot\theta_k
        + \Lambda_\varepsilon(g_k)\,\frac{\sin\theta_k (1 - I_k)}{\tau},
        \qquad
        \frac{\partial\sigma_k}{\partial s_j} = \Lambda_\varepsilon(g_k)\,
        \frac{(1 + \cos\theta_k) W_{jk}}{\tau}

    (where :math:`\dot\theta_k > 0`, which holds near every spike). Solve with
    ``max_step`` below :math:`\varepsilon\tau/4` so no triangle is stepped over.
    """
    eps = check_real(eps, "eps", positive=True)
    n = net.size
    if not 0 <= output < n:
        raise ValueError(f"output must be a neuron index in [0, {n}), got {output!r}")

    def unpack(p):
        return p[: n * n].reshape(n, n), p[n * n:]

    class Parts(NamedTuple):
        W: np.ndarray
        theta: np.ndarray
        s: np.ndarray
        current: np.ndarray
        velocity: np.ndarray
        tri: np.ndarray
        dtri: np.ndarray

    def parts(x, p) -> Parts:
        W, eta = unpack(p)
        theta, s = x[:n], x[n:]
        current = eta + s @ W
        velocity = ((1 - np.cos(theta)) + (1 + np.cos(theta)) * current) / net.tau
        g = _phase_distance(theta)
        return Parts(W, theta, s, current, velocity, triangle(g, eps), triangle_derivative(g, eps))

    def F(t, x, p):
        q = parts(x, p)
        return np.concatenate([q.velocity, (q.tri * np.maximum(q.velocity, 0) - q.s) / net.tau_syn])

    def F_x(t, x, p):
        q = parts(x, p)
        up = (q.velocity > 0).astype(float)
        dv_dtheta = np.sin(q.theta) * (1 - q.current) / net.tau
        dv_ds = (1 + np.cos(q.theta))[:, None] * q.W.T / net.tau
        J = np.zeros((2 * n, 2 * n))
        J[:n, :n] = np.diag(dv_dtheta)
        J[:n, n:] = dv_ds
        source_theta = q.dtri * np.maximum(q.velocity, 0) + q.tri * up * dv_dtheta
        J[n:, :n] = np.diag(source_theta) / net.tau_syn
        J[n:, n:] = ((q.tri * up)[:, None] * dv_ds - np.eye(n)) / net.tau_syn
        return J

    def F_p(t, x, p):
        q = parts(x, p)
        up = (q.velocity > 0).astype(float)
        tri = q.tri
        gain = (1 + np.cos(q.theta)) / net.tau  # ∂θ̇_k/∂I_k
        # ∂θ̇_k/∂W_jl = gain_k s_j [l = k], with vec W in row-major (j, l) order
        dv_dW = np.einsum("k,j,lk->kjl", gain, q.s, np.eye(n)).reshape(n, n * n)
        dv_deta = np.diag(gain)
        dv_dp = np.concatenate([dv_dW, dv_deta], axis=1)
        return np.concatenate([dv_dp, (tri * up)[:, None] * dv_dp / net.tau_syn], axis=0)

    def l_x(t, x, p):
        grad = np.zeros(2 * n)
        grad[n + output] = x[n + output]
        return grad

    return ODELoss(F=F, F_x=F_x, F_p=F_p,
                   l=lambda t, x, p: 0.5 * float(x[n + output]) ** 2, l_x=l_x)


def exact_trace_loss(spikes: np.ndarray, tau_syn: float, T: float) -> float:
    r"""The loss :math:`\tfrac12\int_0^T s(t)^2\,dt` of an exact trace.

    The trace is :math:`s = \sum_k e^{-(t - t_k)/\tau_s}/\tau_s` over the spikes :math:`t_k`:

    .. math::

        \tfrac12\int_0^T s^2\,dt = \frac{1}{4\tau_s}\sum_{k,l}
        \Bigl(e^{-(2\max(t_k, t_l) - t_k - t_l)/\tau_s} - e^{-(2T - t_k - t_l)/\tau_s}\Bigr)

    Examples
    --------
    >>> round(exact_trace_loss(np.array([0.0]), 1.0, 50.0), 12)   # ½∫e^{-2t} = 1/4
    0.25
    """
    t = np.asarray(spikes, dtype=np.float64)
    t = t[t <= T]
    tk, tl = np.meshgrid(t, t)
    later = np.maximum(tk, tl)
    total = np.exp(-(2 * later - tk - tl) / tau_syn) - np.exp(-(2 * T - tk - tl) / tau_syn)
    return float(np.sum(total) / (4.0 * tau_syn))
