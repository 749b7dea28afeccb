r"""Exact gradients of spike-time losses for the LIF networks of :mod:`snnlib.lif` (EventProp).

The backward pass is event-driven like the forward one. For every neuron it carries the
adjoint variables of Wunderlich & Pehle (2021), integrated backwards in time from
:math:`\lambda_V(T) = \lambda_I(T) = 0` (with :math:`{}' = -d/dt`):

.. math::

    \tau_\mathrm{mem}\lambda_V' = -\lambda_V, \qquad
    \tau_\mathrm{syn}\lambda_I' = -\lambda_I + \lambda_V .

At a spike of neuron :math:`n` at :math:`t_k`, with
:math:`\dot V^-_k = (I_n(t_k) - \vartheta)/\tau_\mathrm{mem}`,

.. math::

    c_k = \frac{\partial L/\partial t_k + \vartheta\,\lambda_{V,n}^+}{\dot V^-_k}, \qquad
    \lambda_{V,n}^- = \lambda_{V,n}^+ + \frac{c_k}{\tau_\mathrm{mem}}, \qquad
    \lambda_I \text{ continuous},

where :math:`\partial L/\partial t_k` is the loss's direct dependence (output layer) or the
sensitivity passed down from the next layer. At an input spike of presynaptic neuron
:math:`i` at :math:`t_j`,

.. math::

    \frac{\partial L}{\partial W_{in}} \mathrel{-}= \tau_\mathrm{syn}\lambda_{I,n}(t_j), \qquad
    \frac{\partial L}{\partial t_j} = \sum_n W_{in}\bigl(\lambda_{V,n} - \lambda_{I,n}\bigr)(t_j),

the second being the :math:`\partial L/\partial t_k` of that spike in the layer below.

Between events the adjoint is linear with constant coefficients; we carry it as two
exponentially decaying sums,

.. math::

    a_n(t) = \sum_{t_k > t} c_k e^{-(t_k - t)/\tau_\mathrm{mem}}, \qquad
    q_n(t) = \sum_{t_k > t} c_k e^{-(t_k - t)/\tau_\mathrm{syn}},

in terms of which :math:`\lambda_V = a/\tau_\mathrm{mem}` and
:math:`\lambda_I = (q - a)/(\tau_\mathrm{syn} - \tau_\mathrm{mem})`. Each is decayed lazily, only
where it is read or changed. Chapter 6 derives all of this.

Contents
--------
loss_and_grad
    Batch-mean loss and its gradient with respect to every weight matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from snnlib._validation import check_real
from snnlib.lif import LIFParams, Spikes, _forward, first_spike_times
from snnlib.losses import LossValue, first_spike_cross_entropy

__all__ = ["loss_and_grad"]

LossFunction = Callable[[np.ndarray, np.ndarray, float], LossValue]


def _first_spike_direct(spikes: Spikes, n_out: int, dloss_dt: np.ndarray) -> np.ndarray:
    """Place ∂ℓ/∂t of each output neuron's first spike at that spike's position."""
    times, ids = spikes
    real = np.isfinite(times)
    first = first_spike_times(spikes, n_out)
    rows = np.broadcast_to(np.arange(times.shape[0])[:, None], times.shape)
    # a neuron cannot fire twice at one instant (V = 0 after the reset), so equality with the
    # first spike time picks exactly one event per neuron
    is_first = real & (times == first[rows, ids])
    return np.where(is_first, dloss_dt[rows, ids], 0.0)


def _merge_reverse(in_times: np.ndarray, out_times: np.ndarray) -> tuple[np.ndarray, ...]:
    """All events of a layer per sample, latest first: time, kind (1 own, 0 input), position."""
    batch = in_times.shape[0]
    times = np.concatenate([in_times, out_times], axis=1)
    kind = np.concatenate([np.zeros(in_times.shape, bool), np.ones(out_times.shape, bool)], 1)
    position = np.concatenate([np.broadcast_to(np.arange(in_times.shape[1]), in_times.shape),
                               np.broadcast_to(np.arange(out_times.shape[1]), out_times.shape)], 1)
    key = np.where(np.isfinite(times), -times, np.inf)  # latest first, padding last
    order = np.argsort(key, axis=1, kind="stable")
    rows = np.arange(batch)[:, None]
    return times[rows, order], kind[rows, order], position[rows, order]


def _backward_layer(
    W: np.ndarray,
    inputs: Spikes,
    outputs: Spikes,
    currents: np.ndarray,
    direct: np.ndarray,
    p: LIFParams,
    need_input_grad: bool,
    surrogate_slope: float | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of W and ∂L/∂t of the input spikes, one reverse sweep over the layer's events."""
    batch, n_out = inputs.times.shape[0], W.shape[1]
    times, own, position = _merge_reverse(inputs.times, outputs.times)
    a = np.zeros((batch, n_out))
    q = np.zeros((batch, n_out))
    last = np.full((batch, n_out), np.inf)  # time to which a[b, n], q[b, n] are decayed
    grad = np.zeros_like(W)
    d_inputs = np.zeros(inputs.times.shape)
    v_dot = (currents - p.threshold) / p.tau_mem
    if surrogate_slope is not None:
        v_dot = np.full_like(v_dot, surrogate_slope)
    gap = 1.0 / (p.tau_syn - p.tau_mem)
    for m in range(times.shape[1]):
        t = times[:, m]
        real = np.isfinite(t)
        if not real.any():
            break
        b = np.flatnonzero(real & own[:, m])
        if b.size:
            pos = position[b, m]
            n = outputs.ids[b, pos]
            elapsed = np.where(np.isfinite(last[b, n]), last[b, n] - t[b], np.inf)
            a[b, n] *= np.exp(-elapsed / p.tau_mem)
            q[b, n] *= np.exp(-elapsed / p.tau_syn)
            last[b, n] = t[b]
            c = (direct[b, pos] + p.threshold * a[b, n] / p.tau_mem) / v_dot[b, pos]
            a[b, n] += c
            q[b, n] += c
        b = np.flatnonzero(real & ~own[:, m])
        if b.size:
            elapsed = np.where(np.isfinite(last[b]), last[b] - t[b, None], np.inf)
            a[b] *= np.exp(-elapsed / p.tau_mem)
            q[b] *= np.exp(-elapsed / p.tau_syn)
            last[b] = t[b, None]
            pos = position[b, m]
            i = inputs.ids[b, pos]
            lam_i = (q[b] - a[b]) * gap
            np.add.at(grad, i, -p.tau_syn * lam_i)
            if need_input_grad:
                d_inputs[b, pos] = np.sum(W[i] * (a[b] / p.tau_mem - lam_i), axis=1)
    return grad, d_inputs


def loss_and_grad(
    weights: Sequence[np.ndarray],
    input_times: np.ndarray,
    input_ids: np.ndarray,
    labels: np.ndarray,
    params: LIFParams,
    t_max: float,
    loss: LossFunction = first_spike_cross_entropy,
    surrogate_slope: float | None = None,
) -> tuple[float, list[np.ndarray]]:
    r"""Batch-mean loss on the first output spike times and its exact gradient.

    Parameters
    ----------
    weights, input_times, input_ids, params, t_max
        As for :func:`snnlib.lif.forward`.
    labels : ndarray
        Passed to ``loss`` (class indices for the cross-entropy, target times for a
        regression loss).
    loss : callable
        ``loss(first_times, labels, t_max) -> LossValue`` with ``first_times`` of shape
        (batch, n_out); the default is :func:`snnlib.losses.first_spike_cross_entropy`.
    surrogate_slope : float, optional
        For comparison only: replace every :math:`\dot V^-_k` by this constant (1/ms), i.e. drop
        the :math:`1/|\dot v|` factor of the exact jump, as a surrogate gradient does (a fixed
        bump in place of :math:`\delta(v - \vartheta)|\dot v|`). ``None`` (default): exact.

    Returns
    -------
    loss : float
        The mean over the batch.
    grads : list of ndarray
        ``grads[l]`` has the shape of ``weights[l]``.

    Notes
    -----
    The gradient is that of the loss as a function of the weights *at fixed spike counts*:
    spikes appear or disappear only where a membrane peak touches the threshold, and there the
    loss jumps and has no derivative. Output neurons that never fire have no spike time to
    move and receive no gradient through the loss (see :mod:`snnlib.losses`).

    Examples
    --------
    >>> w = [np.array([[8.0, 7.0]])]
    >>> L, (g,) = loss_and_grad(w, np.array([[0.0]]), np.array([[0]]), np.array([0]),
    ...                         LIFParams(), 30.0)
    >>> g.shape, bool(g[0, 0] < 0 < g[0, 1])   # raise the label's weight, lower the other
    ((1, 2), True)
    """
    if surrogate_slope is not None:
        surrogate_slope = check_real(surrogate_slope, "surrogate_slope", positive=True)
    layers = _forward(weights, input_times, input_ids, params, t_max)
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    n_out = weights[-1].shape[1]
    outputs, _ = layers[-1]
    value = loss(first_spike_times(outputs, n_out), labels, t_max)
    batch = outputs.times.shape[0]
    direct = _first_spike_direct(outputs, n_out, value.dloss_dt / batch)
    grads: list[np.ndarray] = [np.empty(0)] * len(weights)
    inputs_of = [Spikes(np.asarray(input_times, float), np.asarray(input_ids))] + \
        [spikes for spikes, _ in layers[:-1]]
    for k in range(len(weights) - 1, -1, -1):
        spikes, currents = layers[k]
        below = inputs_of[k]
        below = Spikes(below.times, np.where(np.isfinite(below.times), below.ids, 0))
        grads[k], direct = _backward_layer(weights[k], below, spikes, currents, direct, params,
                                           need_input_grad=k > 0,
                                           surrogate_slope=surrogate_slope)
    return float(np.mean(value.loss)), grads
