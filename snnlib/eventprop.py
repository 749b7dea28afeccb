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
:math:`\lambda_I = (q - a)/(\tau_\mathrm{syn} - \tau_\mathrm{mem})`. A neuron's jumps depend
only on its own later spikes, so they are computed by one recursion over the spike rank for
all neurons at once, and the sums are read at the input spikes afterwards. Chapter 6 derives
all of this.

Contents
--------
loss_and_grad
    Batch-mean loss and its gradient with respect to every weight matrix.
spike_jump
    The jump of the adjoint at a spike, with the recurrent term (used by the recurrent sweep).
sweep_step
    One step of the recurrent sweep: back over a gap without spikes, then the jump at a spike.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from snnlib._validation import check_real
from snnlib.lif import LIFParams, Spikes, _forward, first_spike_times
from snnlib.losses import LossValue, first_spike_cross_entropy

__all__ = ["GRAZING_SLOPE", "loss_and_grad", "spike_jump", "sweep_step"]

LossFunction = Callable[[np.ndarray, np.ndarray, float], LossValue]

#: Below this membrane slope at a spike (1/ms) a crossing is near-grazing: its time moves by
#: more than 10⁶ ms per unit of membrane potential, and gradients through it explode.
GRAZING_SLOPE = 1e-6


def _warn_if_grazing(layers: list, p: LIFParams) -> None:
    r"""A ``RuntimeWarning`` when a spike crossed with :math:`\dot V^- <` ``GRAZING_SLOPE``."""
    slopes = [(currents[np.isfinite(spikes.times)] - p.threshold) / p.tau_mem
              for spikes, currents in layers]
    slowest = min((float(v.min()) for v in slopes if v.size), default=np.inf)
    if slowest < GRAZING_SLOPE:
        warnings.warn(
            f"a spike crosses threshold with slope {slowest:.3g}/ms (below GRAZING_SLOPE = "
            f"{GRAZING_SLOPE:g}): the gradient through it scales as 1/slope and is "
            "ill-conditioned; an arbitrarily small change of the weights can remove the spike",
            RuntimeWarning, stacklevel=3)


def _first_spike_direct(
    spikes: Spikes, n_out: int, dloss_dt: np.ndarray, after: float
) -> np.ndarray:
    """Place ∂ℓ/∂t of each output neuron's first spike (at or after ``after``) at that
    spike's position."""
    times, ids = spikes
    real = np.isfinite(times)
    first = first_spike_times(spikes, n_out, after)
    rows = np.broadcast_to(np.arange(times.shape[0])[:, None], times.shape)
    # a neuron cannot fire twice at one instant (V = 0 after the reset), so equality with the
    # first spike time picks exactly one event per neuron
    is_first = real & (times == first[rows, ids])
    return np.where(is_first, dloss_dt[rows, ids], 0.0)


def _chains(outputs: Spikes, n_out: int, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each neuron's own spikes in time order: arrays (batch, n_out, k_max), padded with +inf
    (times) or 0 (the other ``columns``, given in the layout of ``outputs.times``)."""
    times, ids = outputs
    batch = times.shape[0]
    real = np.isfinite(times)
    group = np.where(real, ids, n_out)  # padding sorts last
    order = np.argsort(group, axis=1, kind="stable")  # by neuron, in time order within it
    rows = np.arange(batch)[:, None]
    group, sorted_times = group[rows, order], times[rows, order]
    counts = np.bincount((rows * (n_out + 1) + group).ravel(),
                         minlength=batch * (n_out + 1)).reshape(batch, n_out + 1)
    first = np.cumsum(counts, axis=1) - counts  # where each neuron's group starts in a row
    rank = np.arange(times.shape[1]) - np.take_along_axis(first, group, axis=1)
    k_max = int(rank[group < n_out].max(initial=-1)) + 1
    b, j = np.nonzero(group < n_out)
    out = [np.full((batch, n_out, k_max), np.inf)]
    out[0][b, group[b, j], rank[b, j]] = sorted_times[b, j]
    for column in columns:
        chain = np.zeros((batch, n_out, k_max))
        chain[b, group[b, j], rank[b, j]] = column[rows, order][b, j]
        out.append(chain)
    return tuple(out)


def spike_jump(
    lam_v: np.ndarray,
    lam_i: np.ndarray,
    neuron: np.ndarray,
    dloss_dt: np.ndarray,
    v_dot: np.ndarray,
    params: LIFParams,
    recurrent: np.ndarray | None = None,
) -> np.ndarray:
    r"""The adjoint :math:`\lambda_V` just before a spike, from the adjoint just after it.

    .. math::

        \lambda_{V,n}^- = \lambda_{V,n}^+ + \frac{1}{\tau_\mathrm{mem}\dot V^-}
        \Bigl[\frac{\partial L}{\partial t_k} + \vartheta\lambda_{V,n}^+
        + \sum_j R_{nj}\bigl(\lambda_{V,j}^+ - \lambda_{I,j}\bigr)\Bigr],

    all other components unchanged (:math:`\lambda_I` is continuous); without ``recurrent``
    the sum is absent (chapter 6).

    Parameters
    ----------
    lam_v, lam_i : ndarray, shape (batch, n)
        :math:`\lambda_V^+` and :math:`\lambda_I` of the layer's neurons at the spike.
    neuron : ndarray of int, shape (batch,)
        The neuron n that fires, per sample.
    dloss_dt : ndarray, shape (batch,)
        :math:`\partial L/\partial t_k`, the direct dependence on the spike time.
    v_dot : ndarray, shape (batch,)
        :math:`\dot V^-` of the firing neuron (1/ms), nonzero.
    params : LIFParams
    recurrent : ndarray, shape (n, n), optional
        The layer's recurrent weights R (rows presynaptic).

    Returns
    -------
    ndarray, shape (batch, n)
        :math:`\lambda_V^-`.

    Examples
    --------
    The last spike of an output neuron, with ∂L/∂t = 1 and V̇⁻ = 0.5/ms:

    >>> spike_jump(np.zeros((1, 2)), np.zeros((1, 2)), np.array([1]), np.array([1.0]),
    ...            np.array([0.5]), LIFParams()).tolist()
    [[0.0, 0.1]]
    """
    rows = np.arange(lam_v.shape[0])
    bracket = dloss_dt + params.threshold * lam_v[rows, neuron]
    if recurrent is not None:
        bracket = bracket + np.einsum("bj,bj->b", recurrent[neuron], lam_v - lam_i)
    out = lam_v.copy()
    out[rows, neuron] += bracket / (params.tau_mem * v_dot)
    return out


def _sum_rows(index: np.ndarray, values: np.ndarray, n_rows: int) -> np.ndarray:
    """``out[i] = Σ values[index == i]``, by one sort and ``np.add.reduceat``."""
    out = np.zeros((n_rows, values.shape[-1]))
    order = np.argsort(index, kind="stable")
    index = index[order]
    starts = np.flatnonzero(np.diff(index, prepend=-1))
    if starts.size:
        out[index[starts]] = np.add.reduceat(values[order], starts, axis=0)
    return out


def _decay_adjoint(
    lam_v: np.ndarray, lam_i: np.ndarray, gap: np.ndarray, p: LIFParams
) -> tuple[np.ndarray, np.ndarray]:
    r"""The adjoint a time ``gap`` earlier (no event in between):
    :math:`\lambda_V \leftarrow \lambda_V e^{-g/\tau_m}`,
    :math:`\lambda_I \leftarrow (\lambda_I - A\lambda_V)e^{-g/\tau_s} + A\lambda_V e^{-g/\tau_m}`,
    :math:`A = \tau_m/(\tau_m - \tau_s)`."""
    em, es = np.exp(-gap / p.tau_mem), np.exp(-gap / p.tau_syn)
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    return lam_v * em, (lam_i - A) * es + A * em


def sweep_step(
    lam_v: np.ndarray,
    lam_i: np.ndarray,
    gap: np.ndarray,
    neuron: np.ndarray,
    dloss_dt: np.ndarray,
    v_dot: np.ndarray,
    params: LIFParams,
    recurrent: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""One step of a layer's backward sweep: from just before spike :math:`k+1` to just
    before spike :math:`k`, a time ``gap`` earlier, for every neuron of the layer.

    Over the gap (no spike) the free adjoint equations
    :math:`\tau_\mathrm{mem}\lambda_V' = -\lambda_V`,
    :math:`\tau_\mathrm{syn}\lambda_I' = -\lambda_I + \lambda_V` (:math:`{}' = -d/dt`) give

    .. math::

        \lambda_V \leftarrow \lambda_V e^{-g/\tau_\mathrm{mem}}, \qquad
        \lambda_I \leftarrow (\lambda_I - A\lambda_V)e^{-g/\tau_\mathrm{syn}}
        + A\lambda_V e^{-g/\tau_\mathrm{mem}}, \qquad
        A = \frac{\tau_\mathrm{mem}}{\tau_\mathrm{mem} - \tau_\mathrm{syn}},

    and then :func:`spike_jump` is applied at spike :math:`k` with the decayed adjoints.

    Parameters
    ----------
    lam_v, lam_i : ndarray, shape (batch, n)
        :math:`\lambda_V, \lambda_I` of the layer just before spike :math:`k+1`.
    gap : ndarray, shape (batch,)
        :math:`t_{k+1} - t_k \ge 0` (ms); 0 for two spikes at one instant.
    neuron, dloss_dt, v_dot, params, recurrent
        Spike :math:`k`, as for :func:`spike_jump`.

    Returns
    -------
    (ndarray, ndarray), each shape (batch, n)
        :math:`\lambda_V^-` and :math:`\lambda_I` just before spike :math:`k`.

    Examples
    --------
    A single neuron, :math:`\lambda_V = 1, \lambda_I = 0` one millisecond later, no loss at
    spike :math:`k`:

    >>> lv, li = sweep_step(np.ones((1, 1)), np.zeros((1, 1)), np.array([1.0]), np.array([0]),
    ...                     np.array([0.0]), np.array([0.5]), LIFParams())
    >>> round(float(li[0, 0]), 6), round(float(4 / 3 * (np.exp(-1 / 20) - np.exp(-1 / 5))), 6)
    (0.176665, 0.176665)
    """
    gap = np.asarray(gap, dtype=np.float64)
    if gap.shape != (lam_v.shape[0],):
        raise ValueError(f"gap must have shape ({lam_v.shape[0]},), got {gap.shape}")
    if np.any(gap < 0):
        raise ValueError("gap must be non-negative (the sweep runs backwards in time)")
    lv, li = _decay_adjoint(lam_v, lam_i, gap[:, None], params)
    return spike_jump(lv, li, neuron, dloss_dt, v_dot, params, recurrent), li


def _crossing_slopes(
    currents: np.ndarray, p: LIFParams, surrogate_slope: float | None
) -> np.ndarray:
    r""":math:`\dot V^-_k = (I_k - \vartheta)/\tau_\mathrm{mem}` at each spike, or the surrogate's
    constant in its place."""
    if surrogate_slope is not None:
        return np.full(currents.shape, surrogate_slope)
    return (currents - p.threshold) / p.tau_mem


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
    r"""Gradient of W and ∂L/∂t of the input spikes.

    The neurons of a layer do not interact, and an input spike only *reads* the adjoint, so
    each neuron's jumps depend on its own later spikes alone. One backward recursion over the
    spike rank (not over the layer's events) gives every jump at once,

    .. math::

        a^+_k = e^{-(t_{k+1} - t_k)/\tau_\mathrm{mem}}(c_{k+1} + a^+_{k+1}), \qquad
        c_k = \frac{\partial L/\partial t_k + \vartheta a^+_k/\tau_\mathrm{mem}}{\dot V^-_k},

    (likewise :math:`q^+_k` with :math:`\tau_\mathrm{syn}`), and at an input spike at
    :math:`t` the sums :math:`a(t), q(t)` are read from the neuron's first own spike after it.
    """
    n_out = W.shape[1]
    v_dot = _crossing_slopes(currents, p, surrogate_slope)
    t_own, dl_dt, slope = _chains(outputs, n_out, direct, v_dot)
    k_max = t_own.shape[2]
    a_plus = np.zeros_like(dl_dt)  # a and q just after each own spike
    q_plus = np.zeros_like(dl_dt)
    c = np.zeros_like(dl_dt)
    for k in range(k_max - 1, -1, -1):
        if k + 1 < k_max:
            both = np.isfinite(t_own[..., k + 1])  # (then the k-th spike exists too)
            gap = np.where(both, np.where(both, t_own[..., k + 1], 0.0)
                           - np.where(both, t_own[..., k], 0.0), np.inf)
            a_plus[..., k] = np.exp(-gap / p.tau_mem) * (c[..., k + 1] + a_plus[..., k + 1])
            q_plus[..., k] = np.exp(-gap / p.tau_syn) * (c[..., k + 1] + q_plus[..., k + 1])
        real = np.isfinite(t_own[..., k])
        with np.errstate(divide="ignore", invalid="ignore"):
            c[..., k] = np.where(real, (dl_dt[..., k] + p.threshold * a_plus[..., k] / p.tau_mem)
                                 / slope[..., k], 0.0)

    # Read a(t), q(t) at every input spike from the first own spike after it.
    t_in = inputs.times
    real_in = np.isfinite(t_in)
    nxt = np.zeros((*t_in.shape, n_out), np.intp)  # own spikes up to each input spike
    for k in range(k_max):
        nxt += t_own[:, None, :, k] <= t_in[:, :, None]
    if k_max:
        # flat index of that spike in the (batch, n_out, k_max) chains
        chain = np.arange(t_own.shape[0] * n_out).reshape(-1, 1, n_out) * k_max
        flat = chain + np.minimum(nxt, k_max - 1)
        read = (nxt < k_max) & real_in[..., None]
        after = np.where(read, np.where(read, t_own.ravel()[flat], 0.0)
                         - np.where(real_in, t_in, 0.0)[..., None], np.inf)
        c_next = c.ravel()[flat]
        a = np.exp(-after / p.tau_mem) * (c_next + a_plus.ravel()[flat])
        q = np.exp(-after / p.tau_syn) * (c_next + q_plus.ravel()[flat])
    else:
        a = q = np.zeros((*t_in.shape, n_out))
    lam_i = (q - a) / (p.tau_syn - p.tau_mem)  # (batch, E, n_out)
    ids = np.where(real_in, inputs.ids, 0)
    grad = -p.tau_syn * _sum_rows(ids[real_in], lam_i[real_in], W.shape[0])
    d_inputs = np.zeros(t_in.shape)
    if need_input_grad:
        d_inputs = np.where(real_in, np.sum(W[ids] * (a / p.tau_mem - lam_i), axis=-1), 0.0)
    return grad, d_inputs


def _backward_recurrent_layer(
    W: np.ndarray,
    R: np.ndarray,
    inputs: Spikes,
    outputs: Spikes,
    currents: np.ndarray,
    direct: np.ndarray,
    p: LIFParams,
    need_input_grad: bool,
    surrogate_slope: float | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of W and R and ∂L/∂t of the input spikes, for a recurrent layer.

    A spike of neuron n at :math:`t_k` now also moves the layer's own currents, so its jump
    gains the recurrent term and depends on every neuron's adjoint just after it:

    .. math::

        c_k = \frac{\partial L/\partial t_k + \vartheta\lambda_{V,n}^+
              + \sum_j R_{nj}(\lambda_{V,j}^+ - \lambda_{I,j})}{\dot V^-_k}, \qquad
        \lambda_{V,n}^- = \lambda_{V,n}^+ + c_k/\tau_\mathrm{mem}, \qquad
        \frac{\partial L}{\partial R_{nj}} \mathrel{-}= \tau_\mathrm{syn}\lambda_{I,j}(t_k).

    The sweep runs backwards over the layer's spikes (every sample at once), carrying
    :math:`\lambda_V, \lambda_I` of all neurons between them in closed form; the adjoint just
    before each spike is kept, and at an input spike it is read from the first layer spike
    after it, as in the feed-forward case.
    """
    t_out, n_of = outputs
    batch, n_spikes = t_out.shape
    n = W.shape[1]
    if n_spikes == 0:  # a silent layer: the adjoint is zero throughout
        return np.zeros_like(W), np.zeros_like(R), np.zeros(inputs.times.shape)
    v_dot = _crossing_slopes(currents, p, surrogate_slope)
    lam_v, lam_i = np.zeros((batch, n)), np.zeros((batch, n))
    kept_v, kept_i = np.zeros((batch, n_spikes, n)), np.zeros((batch, n_spikes, n))
    later = np.full(batch, np.inf)  # time of the spike processed last (the next one in time)
    rows = np.arange(batch)
    for k in range(n_spikes - 1, -1, -1):
        real = np.isfinite(t_out[:, k])
        b, t, j = rows[real], t_out[real, k], n_of[real, k]
        gap = np.where(np.isfinite(later[b]), later[b] - t, 0.0)
        lv, li = sweep_step(lam_v[b], lam_i[b], gap, j, direct[b, k], v_dot[b, k], p, R)
        lam_v[b], lam_i[b], later[b] = lv, li, t
        kept_v[b, k], kept_i[b, k] = lv, li
    real_out = np.isfinite(t_out)
    grad_r = -p.tau_syn * _sum_rows(n_of[real_out], kept_i[real_out], n)

    # the adjoint at every input spike, from the first layer spike after it: rows laid end to
    # end (padding last in its row) make one sorted key array for the whole batch
    t_in = inputs.times
    real_in = np.isfinite(t_in)
    pad = 1.0 + max(np.max(t_in, where=real_in, initial=0.0),
                    np.max(t_out, where=real_out, initial=0.0))
    offset = 2.0 * pad * np.arange(batch)[:, None]
    keys = (np.where(real_out, t_out, pad) + offset).ravel()
    after = np.searchsorted(keys, np.where(real_in, t_in, pad) + offset, side="right")
    after = np.minimum(after, keys.size - 1)  # flat index of that spike
    has = real_in & real_out.ravel()[after] & (after // n_spikes == np.arange(batch)[:, None])
    lv = np.where(has[..., None], kept_v.reshape(-1, n)[after], 0.0)
    li = np.where(has[..., None], kept_i.reshape(-1, n)[after], 0.0)
    gap = np.where(has, t_out.ravel()[after] - np.where(has, t_in, 0.0), 0.0)
    lv, li = _decay_adjoint(lv, li, gap[..., None], p)
    ids = np.where(real_in, inputs.ids, 0)
    grad_w = -p.tau_syn * _sum_rows(ids[real_in], li[real_in], W.shape[0])
    d_inputs = np.zeros(t_in.shape)
    if need_input_grad:
        d_inputs = np.where(real_in, np.sum(W[ids] * (lv - li), axis=-1), 0.0)
    return grad_w, grad_r, d_inputs


def loss_and_grad(
    weights: Sequence[np.ndarray],
    input_times: np.ndarray,
    input_ids: np.ndarray,
    labels: np.ndarray,
    params: LIFParams,
    t_max: float,
    loss: LossFunction = first_spike_cross_entropy,
    surrogate_slope: float | None = None,
    recurrent: Sequence[np.ndarray | None] | None = None,
    *,
    max_spikes: int = 1000,
    readout_start: float = 0.0,
) -> tuple[float, list[np.ndarray]] | tuple[float, list[np.ndarray], list[np.ndarray | None]]:
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
    recurrent, max_spikes
        Recurrent weights per layer and the spike cap, as for :func:`snnlib.lif.forward`.
    readout_start : float, optional
        Start of the decision window (ms, default 0): the loss sees each output neuron's
        first spike at or after it, measured from it (times ``t - readout_start``, horizon
        ``t_max - readout_start``); earlier output spikes do not count.

    Returns
    -------
    loss : float
        The mean over the batch.
    grads : list of ndarray
        ``grads[l]`` has the shape of ``weights[l]``.
    recurrent_grads : list
        Only when ``recurrent`` is given: ``recurrent_grads[l]`` has the shape of
        ``recurrent[l]``, ``None`` where that is ``None``.

    Notes
    -----
    The gradient is that of the loss on the smooth piece the weights are on. Spikes appear or
    disappear only where a membrane peak touches the threshold, and there the loss can jump and
    has no derivative — even at fixed spike counts, where a peak that reaches ϑ fires early and
    its reset removes a later crossing of the same neuron (one spike moves by a finite time).
    Between such points the loss still has kinks, where an
    input spike of a neuron passes that neuron's own spike time (the input's effect starts
    with a nonzero slope of V); there the gradient returned is the one-sided derivative of the
    side the weights are on. Close to such a point the gradient grows like
    :math:`1/\dot V^-`; a ``RuntimeWarning`` is issued when a spike crosses with
    :math:`\dot V^- <` :data:`GRAZING_SLOPE` (:math:`10^{-6}`/ms). Output neurons that never
    fire have no spike time to move and receive no gradient through the loss (see
    :mod:`snnlib.losses`).

    Examples
    --------
    >>> w = [np.array([[8.0, 7.0]])]
    >>> L, (g,) = loss_and_grad(w, np.array([[0.0]]), np.array([[0]]), np.array([0]),
    ...                         LIFParams(), 30.0)
    >>> g.shape, bool(g[0, 0] < 0 < g[0, 1])   # raise the label's weight, lower the other
    ((1, 2), True)

    With recurrent weights the gradient with respect to them comes third:

    >>> L, grads, (g_rec,) = loss_and_grad(w, np.array([[0.0]]), np.array([[0]]), np.array([0]),
    ...                                    LIFParams(), 30.0, recurrent=[np.zeros((2, 2))])
    >>> g_rec.shape
    (2, 2)
    """
    if surrogate_slope is not None:
        surrogate_slope = check_real(surrogate_slope, "surrogate_slope", positive=True)
    layers = _forward(weights, input_times, input_ids, params, t_max, recurrent,
                      max_spikes=max_spikes)
    if surrogate_slope is None:
        _warn_if_grazing(layers, params)
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    rec = [None if R is None else np.asarray(R, dtype=np.float64)
           for R in (recurrent or [None] * len(weights))]
    n_out = weights[-1].shape[1]
    outputs, _ = layers[-1]
    start = check_real(readout_start, "readout_start")
    if not 0.0 <= start < t_max:
        raise ValueError(f"readout_start must lie in [0, t_max) = [0, {t_max}), got {start!r}")
    value = loss(first_spike_times(outputs, n_out, start) - start, labels, t_max - start)
    batch = outputs.times.shape[0]
    direct = _first_spike_direct(outputs, n_out, value.dloss_dt / batch, start)
    grads: list[np.ndarray] = [np.empty(0)] * len(weights)
    rec_grads: list[np.ndarray | None] = [None] * len(weights)
    inputs_of = [Spikes(np.asarray(input_times, float), np.asarray(input_ids))] + \
        [spikes for spikes, _ in layers[:-1]]
    for k in range(len(weights) - 1, -1, -1):
        spikes, currents = layers[k]
        below = inputs_of[k]
        below = Spikes(below.times, np.where(np.isfinite(below.times), below.ids, 0))
        if rec[k] is None:
            grads[k], direct = _backward_layer(weights[k], below, spikes, currents, direct,
                                               params, need_input_grad=k > 0,
                                               surrogate_slope=surrogate_slope)
        else:
            grads[k], rec_grads[k], direct = _backward_recurrent_layer(
                weights[k], rec[k], below, spikes, currents, direct, params,
                need_input_grad=k > 0, surrogate_slope=surrogate_slope)
    if recurrent is None:
        return float(np.mean(value.loss)), grads
    return float(np.mean(value.loss)), grads, rec_grads
