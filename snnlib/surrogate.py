r"""Surrogate-gradient backpropagation through time on the clock-driven grid.

The way spiking networks are usually trained: simulate on a time grid
(:func:`snnlib.lif.forward_on_grid`), and in the backward pass replace the derivative of the
spike nonlinearity :math:`S = H(V - \vartheta)`, which is zero almost everywhere, by a smooth
pseudo-derivative at every step, here the fast sigmoid of SuperSpike (Zenke & Ganguli 2018)

.. math::

    \frac{\partial S}{\partial V} \approx \sigma'(V - \vartheta)
    = \frac{1}{\bigl(1 + \beta\,|V - \vartheta|\bigr)^2} .

Per step :math:`n` and layer, with the input current :math:`a_n` added at the step's start,

.. math::

    \tilde I = I_{n-1} + a_n, \quad \hat V = \alpha V_{n-1} + \beta_\mathrm{grid}\tilde I, \quad
    S_n = H(\hat V - \vartheta), \quad V_n = \hat V\,(1 - S_n), \quad I_n = \gamma\tilde I,

and :math:`a_n = S^{\text{below}}_n W` in the layers above the first. The backward pass runs
these steps in reverse with the reset detached (its derivative is not propagated, as is common
practice), so

.. math::

    \bar{\hat V} = \bar V_n (1 - S_n) + \bar S_n\,\sigma'(\hat V - \vartheta), \qquad
    \bar{\tilde I} = \gamma\bar I_n + \beta_\mathrm{grid}\bar{\hat V}, \qquad
    \bar V_{n-1} = \alpha\bar{\hat V}, \qquad \bar I_{n-1} = \bar{\tilde I},

and :math:`\partial L/\partial W \mathrel{+}= (S^{\text{below}}_n)^\top\bar{\tilde I}`. The loss is
the same function of first output spike times as for the exact gradient; the grid's first spike
time of a neuron, :math:`t = \sum_n t_n S_n \prod_{m<n}(1 - S_m)` (silent: :math:`t_{\max}`), has
:math:`\partial t/\partial S_n = t_n - t_f` before its first spike :math:`f`,
:math:`t_f - t_{f'}` at it (:math:`t_{f'}` the next spike, or :math:`t_{\max}`), and zero after.
Chapter 6 compares this gradient with the exact one.

Contents
--------
bptt_loss_and_grad
    Batch-mean loss on the grid's first output spikes and its surrogate gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from snnlib._validation import check_real
from snnlib.lif import LIFParams, _check_network, _Grid
from snnlib.losses import LossValue, first_spike_cross_entropy

__all__ = ["bptt_loss_and_grad"]


def _first_spike_readout(spikes: np.ndarray, dt: float, t_max: float
                         ) -> tuple[np.ndarray, np.ndarray]:
    """First spike times (batch, n; ``inf`` if silent) of a spike record (steps, batch, n), and
    ∂t/∂S_n of the product formula, shape (steps, batch, n)."""
    steps = spikes.shape[0]
    t_step = (np.arange(steps) + 1.0) * dt
    fired = spikes.any(axis=0)
    first = np.argmax(spikes, axis=0)
    t_first = np.where(fired, t_step[first], np.inf)
    later = spikes.copy()
    np.put_along_axis(later, first[None], False, axis=0)
    second = np.argmax(later, axis=0)
    t_next = np.where(later.any(axis=0), t_step[second], t_max)
    n = np.arange(steps)[:, None, None]
    slope = np.where(n < first, t_step[:, None, None] - t_first, 0.0)
    slope = np.where(n == first, t_first - t_next, slope)
    return t_first, np.where(fired, slope, 0.0)


def bptt_loss_and_grad(
    weights: Sequence[np.ndarray],
    input_times: np.ndarray,
    input_ids: np.ndarray,
    labels: np.ndarray,
    params: LIFParams,
    t_max: float,
    dt: float,
    steepness: float = 10.0,
    loss: Callable[[np.ndarray, np.ndarray, float], LossValue] = first_spike_cross_entropy,
) -> tuple[float, list[np.ndarray]]:
    r"""Loss on the first output spikes of the grid simulation and its surrogate gradient.

    Parameters
    ----------
    weights, input_times, input_ids, params, t_max
        As for :func:`snnlib.lif.forward_on_grid`.
    labels, loss
        As for :func:`snnlib.eventprop.loss_and_grad`.
    dt : float
        Time step (ms).
    steepness : float
        :math:`\beta` of the pseudo-derivative :math:`1/(1 + \beta|V - \vartheta|)^2` (per unit
        of V).

    Returns
    -------
    loss : float
        The batch mean.
    grads : list of ndarray
        One array per weight matrix, same shapes.

    Examples
    --------
    One neuron, one input: a larger weight makes the spike (near 2.8 ms) earlier, further from
    the target at 5 ms, so the surrogate gradient has the sign of the exact one, positive.

    >>> from snnlib.losses import spike_time_regression
    >>> value, grads = bptt_loss_and_grad([np.array([[10.0]])], np.array([[0.0]]),
    ...     np.array([[0]]), np.array([[5.0]]), LIFParams(), 20.0, 0.01, loss=spike_time_regression)
    >>> bool(grads[0][0, 0] > 0)
    True
    """
    weights, times, ids, t_max = _check_network(weights, input_times, input_ids, params, t_max)
    steepness = check_real(steepness, "steepness", positive=True)
    grid = _Grid(times, ids, params, t_max, dt)
    batch, steps, theta = times.shape[0], grid.steps, params.threshold
    v_hat = [np.empty((steps, batch, W.shape[1])) for W in weights]  # before the reset
    spikes = [np.empty((steps, batch, W.shape[1]), bool) for W in weights]
    V = [np.zeros((batch, W.shape[1])) for W in weights]
    I = [np.zeros((batch, W.shape[1])) for W in weights]
    for n in range(steps):
        rows, inputs = grid.arrivals(n)
        np.add.at(I[0], rows, weights[0][inputs])
        for k, W in enumerate(weights):
            if k:
                I[k] += spikes[k - 1][n] @ W
            v_hat[k][n] = grid.alpha * V[k] + grid.beta * I[k]
            spikes[k][n] = v_hat[k][n] >= theta
            V[k] = np.where(spikes[k][n], 0.0, v_hat[k][n])
            I[k] *= grid.gamma

    t_first, dt_ds = _first_spike_readout(spikes[-1], grid.dt, t_max)
    value = loss(t_first, labels, t_max)
    direct = np.asarray(value.dloss_dt)[None] * dt_ds / batch  # ∂L/∂S of the output layer

    grads = [np.zeros_like(W) for W in weights]
    gV = [np.zeros((batch, W.shape[1])) for W in weights]
    gI = [np.zeros((batch, W.shape[1])) for W in weights]
    for n in range(steps - 1, -1, -1):
        g_spike = direct[n]
        for k in range(len(weights) - 1, -1, -1):
            u = v_hat[k][n] - theta
            g_vhat = gV[k] * ~spikes[k][n] + g_spike / (1.0 + steepness * np.abs(u)) ** 2
            g_current = grid.gamma * gI[k] + grid.beta * g_vhat  # ∂L/∂Ĩ at step n
            gV[k], gI[k] = grid.alpha * g_vhat, g_current
            if k:
                below = spikes[k - 1][n].astype(float)
                grads[k] += below.T @ g_current
                g_spike = g_current @ weights[k].T  # ∂L/∂S of the layer below at step n
            else:
                rows, inputs = grid.arrivals(n)
                np.add.at(grads[0], inputs, g_current[rows])
    return float(np.mean(value.loss)), grads
