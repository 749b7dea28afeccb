r"""Losses on first output spike times, with their derivatives.

Each loss takes the first spike times ``t`` of the output neurons, shape (batch, n_out)
(``+inf`` for a silent neuron), the integer labels, and ``t_max``, and returns a
:class:`LossValue`: the per-sample loss and :math:`\partial \ell/\partial t`. A silent neuron
has no spike time to move; the losses read its time as ``t_max`` for the value and give it a
zero derivative (the cross-entropy drops a sample's whole derivative when its label neuron is
silent). Chapters 6 and 7.

Contents
--------
LossValue
    ``loss`` (batch,) and ``dloss_dt`` (batch, n_out).
first_spike_cross_entropy
    :math:`-\log\frac{e^{-t_y/\tau_0}}{\sum_k e^{-t_k/\tau_0}} + \alpha(e^{t_y/\tau_1} - 1)`.
spike_time_regression
    :math:`\tfrac12\sum_k (t_k - t^*_k)^2` towards target times.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snnlib._validation import check_real

__all__ = ["LossValue", "first_spike_cross_entropy", "spike_time_regression"]


class LossValue(NamedTuple):
    """Per-sample loss (batch,) and its derivative with respect to the first spike times."""

    loss: np.ndarray
    dloss_dt: np.ndarray


def _prepare(t: np.ndarray, t_max: float) -> tuple[np.ndarray, np.ndarray, float]:
    t = np.asarray(t, dtype=np.float64)
    if t.ndim != 2:
        raise ValueError(f"first spike times must have shape (batch, n_out), got {t.shape}")
    if np.isnan(t).any():
        raise ValueError("first spike times must not be NaN (+inf marks a silent neuron)")
    t_max = check_real(t_max, "t_max", positive=True)
    fired = np.isfinite(t)
    return np.where(fired, t, t_max), fired, t_max


def _check_labels(labels: np.ndarray, batch: int, n_out: int) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.shape != (batch,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers of shape ({batch},), got {labels.shape} "
                         f"of dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_out):
        raise ValueError(f"labels must lie in [0, {n_out}), got [{labels.min()}, {labels.max()}]")
    return labels


def first_spike_cross_entropy(
    t: np.ndarray,
    labels: np.ndarray,
    t_max: float,
    tau0: float = 0.5,
    tau1: float = 6.4,
    alpha: float = 0.003,
) -> LossValue:
    r"""Cross-entropy on first spike times plus a regulariser pushing the label spike early.

    .. math::

        \ell = -\log\frac{e^{-t_y/\tau_0}}{\sum_k e^{-t_k/\tau_0}}
        + \alpha\bigl(e^{t_y/\tau_1} - 1\bigr),
        \qquad
        \frac{\partial\ell}{\partial t_k} = \frac{[k = y] - \mathrm{softmax}_k(-t/\tau_0)}{\tau_0}
        + [k = y]\,\frac{\alpha}{\tau_1}e^{t_y/\tau_1}

    (Wunderlich & Pehle 2021, with :math:`\tau_0 = 0.5` ms, :math:`\tau_1 = 6.4` ms,
    :math:`\alpha = 0.003` for Yin-Yang). Silent neurons enter as :math:`t_k = t_{\max}` and get
    zero derivative. If the *label* neuron is silent, the sample costs the constant
    :math:`\log K + \alpha(e^{t_{\max}/\tau_1} - 1)` (all :math:`K` outputs at :math:`t_{\max}`) and
    gets zero derivative: delaying the other neurons would only push the output layer towards
    silence, from which spike-time gradients cannot recover.

    Examples
    --------
    >>> out = first_spike_cross_entropy(np.array([[1.0, 2.0]]), np.array([0]), t_max=10.0)
    >>> round(float(out.loss[0]), 6)
    0.127435
    >>> np.round(out.dloss_dt, 6).tolist()
    [[0.238954, -0.238406]]
    """
    t, fired, t_max = _prepare(t, t_max)
    labels = _check_labels(labels, *t.shape)
    tau0 = check_real(tau0, "tau0", positive=True)
    tau1 = check_real(tau1, "tau1", positive=True)
    alpha = check_real(alpha, "alpha")
    logits = -t / tau0
    shift = logits.max(axis=1, keepdims=True)
    log_norm = shift[:, 0] + np.log(np.exp(logits - shift).sum(axis=1))
    rows = np.arange(t.shape[0])
    t_label = t[rows, labels]
    regular = np.exp(t_label / tau1)
    loss = t_label / tau0 + log_norm + alpha * (regular - 1.0)
    softmax = np.exp(logits - log_norm[:, None])
    grad = -softmax / tau0
    grad[rows, labels] += 1.0 / tau0 + alpha / tau1 * regular
    # A sample whose label neuron is silent costs a constant, as if every output fired at
    # t_max, and gives no gradient: pushing the other neurons later would only drive the whole
    # output layer towards silence, from which spike-time gradients cannot recover.
    label_fired = fired[rows, labels]
    silent_cost = np.log(t.shape[1]) + alpha * (np.exp(t_max / tau1) - 1.0)
    loss = np.where(label_fired, loss, silent_cost)
    return LossValue(loss, np.where(fired & label_fired[:, None], grad, 0.0))


def spike_time_regression(t: np.ndarray, targets: np.ndarray, t_max: float) -> LossValue:
    r"""Squared error of the first spike times, :math:`\ell = \tfrac12\sum_k (t_k - t^*_k)^2`.

    ``targets`` has the shape of ``t`` (ms). Silent neurons enter as :math:`t_{\max}` with
    zero derivative.

    Examples
    --------
    >>> out = spike_time_regression(np.array([[3.0, np.inf]]), np.array([[1.0, 2.0]]), 10.0)
    >>> out.loss.tolist(), out.dloss_dt.tolist()
    ([34.0], [[2.0, 0.0]])
    """
    t, fired, _ = _prepare(t, t_max)
    targets = np.asarray(targets, dtype=np.float64)
    if targets.shape != t.shape or not np.all(np.isfinite(targets)):
        raise ValueError(f"targets must be finite with shape {t.shape}, got {targets.shape}")
    diff = t - targets
    return LossValue(0.5 * np.sum(diff**2, axis=1), np.where(fired, diff, 0.0))
