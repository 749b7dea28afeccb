r"""Spiking networks whose spikes are distributions: smoothed and exact simulation.

The seed draft writes a network with synaptic traces driven by threshold crossings,

.. math::

    \dot V = f(V, I), \qquad I = \eta + W s, \qquad
    \tau_s \dot s_k = -s_k + \delta\bigl(v_k - \vartheta\bigr)\,\max(\dot v_k, 0).

We use theta neurons, whose phase needs no reset:
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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from snnlib._validation import check_finite_array, check_real
from snnlib.deltas import triangle

__all__ = ["ThetaNetwork", "ThetaRun", "simulate_exact", "simulate_smoothed"]


@dataclass(frozen=True)
class ThetaNetwork:
    r"""A network of theta neurons coupled through synaptic traces.

    Attributes
    ----------
    drive : ndarray, shape (n,)
        Constant input :math:`\eta_k`; a lone neuron fires periodically when :math:`\eta_k > 0`
        (period :math:`\pi\tau/\sqrt{\eta_k}`).
    weights : ndarray, shape (n, n)
        :math:`W_{kj}`, the weight from neuron j's trace to neuron k's input.
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
        r""":math:`\dot\theta = [(1 - \cos\theta) + (1 + \cos\theta)(\eta + W s)]/\tau`."""
        current = self.drive + self.weights @ s
        return ((1.0 - np.cos(theta)) + (1.0 + np.cos(theta)) * current) / self.tau


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
    n = net.size

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        theta, s = y[:n], y[n:]
        return np.concatenate([net.phase_velocity(theta, s), -s / net.tau_syn])

    y = np.concatenate([theta0, np.zeros(n)])
    levels = _next_spike_levels(theta0)
    spikes: list[list[float]] = [[] for _ in range(n)]
    t0, ts, ys = 0.0, [], []
    while True:
        events = [_level_event(k, levels[k], terminal=True) for k in range(n)]
        sol = _solve(rhs, t0, t_max, y, events, rtol, atol, net.tau)
        ts.append(sol.t)
        ys.append(sol.y)
        y, t0 = sol.y[:, -1].copy(), float(sol.t[-1])
        if sol.status != 1:
            break
        for k in range(n):
            if sol.t_events[k].size:
                spikes[k].append(float(sol.t_events[k][0]))
                levels[k] += 2.0 * np.pi
                y[n + k] += 1.0 / net.tau_syn
    return _run(ts, ys, n, spikes)


def _solve(rhs, t0, t_max, y, events, rtol, atol, tau, max_step=np.inf):
    # The phase advances by at most about 2 rad per τ where the input is moderate; a step of
    # at most τ/4 keeps the dense output accurate for plots at no real cost.
    return solve_ivp(rhs, (t0, t_max), y, method="DOP853", rtol=rtol, atol=atol,
                     events=events, max_step=min(max_step, tau / 4))


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
            spikes[k].extend(float(x) for x in sol.t_events[n + k])
        y, t0 = sol.y[:, -1].copy(), float(sol.t[-1])
        if sol.status != 1:
            break
        for k in range(n):
            if sol.t_events[k].size:
                if inside[k]:
                    levels[k] += 2.0 * np.pi
                inside[k] = not inside[k]
    return _run(ts, ys, n, spikes)
