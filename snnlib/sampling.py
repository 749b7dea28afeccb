r"""Integrate-and-fire and send-on-delta sampling, measured in the Alexiewicz norm.

A sampled signal :math:`x_n` with step :math:`\Delta t` is the Dirac train
:math:`f = \sum_n x_n \Delta t\,\delta(t - t_n)`, so everything here is exact for it.

* The Alexiewicz norm of a sequence is the largest absolute partial sum,
  :math:`\|a\|_A = \max_n |\sum_{k \le n} a_k|`; the leaky norm discounts old terms,
  :math:`\|a\|_{A,\alpha} = \max_n |\sum_{k \le n} e^{-\alpha(t_n - t_k)} a_k|`.
* Two-sided integrate-and-fire (IF) integrates
  :math:`u_n = e^{-\alpha\Delta t}u_{n-1} + x_n\Delta t` and fires when
  :math:`|u_n| \ge \vartheta`. Reset to mod emits :math:`\vartheta\,\mathrm{trunc}(u_n/\vartheta)`
  and keeps the remainder; reset by subtraction emits and subtracts :math:`\pm\vartheta`;
  reset to zero emits :math:`\pm\vartheta` and sets :math:`u_n = 0`.
* Send-on-delta (SOD) with the lattice reference keeps its reconstruction :math:`r` on the
  lattice :math:`x_0 + \Delta\mathbb{Z}` and emits a multiple of :math:`\Delta` whenever the
  signal leaves the open band :math:`(r - \Delta, r + \Delta)` around it, two lattice cells wide
  (one :math:`\pm\Delta` step unless the signal moved by more than :math:`\Delta` in one
  sample); it equals IF (reset to mod) applied to the increments of the signal. Chapters 8 and
  9; Moser, Werzi & Lunglmayr (2025).

Contents
--------
alexiewicz_norm
    :math:`\|x\|_A` (or the leaky norm) along an axis.
running_integral
    The (leaky) partial integrals whose largest magnitude is the norm.
integrate_and_fire
    Spike amplitudes of two-sided IF with reset "mod", "subtract" or "zero", optional leak.
integrate_and_fire_loop
    The same, as a plain loop over samples: a slow reference for checking the fast paths.
send_on_delta
    Event amplitudes of SOD with the "lattice" or the classic "last_value" reference.
sparsest_quantization
    The fewest unit spikes of any train within Alexiewicz distance ϑ (exact dynamic programming).
sod_reconstruct, if_reconstruct
    Signals rebuilt from SOD events (hold or linear) and from IF spikes (impulses or a
    triangle-smoothed rate).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage
from scipy import signal as _signal

from snnlib._validation import check_finite_array, check_real

__all__ = [
    "alexiewicz_norm",
    "if_reconstruct",
    "integrate_and_fire",
    "integrate_and_fire_loop",
    "running_integral",
    "send_on_delta",
    "sod_reconstruct",
    "sparsest_quantization",
]

RESETS = ("mod", "subtract", "zero")
REFERENCES = ("lattice", "last_value")


# ---------------------------------------------------------------------------------------
# Validation and axis handling
# ---------------------------------------------------------------------------------------


def _signal_array(x: object, name: str = "x") -> np.ndarray:
    x = check_finite_array(x, name)
    if x.ndim == 0:
        raise ValueError(f"{name} must have at least one (time) axis, got a scalar")
    return x


def _check_leak(leak: object) -> float:
    leak = check_real(leak, "leak")
    if leak < 0:
        raise ValueError(f"leak must be >= 0 (a decay rate in 1/ms), got {leak!r}")
    return leak


def _time_last(x: np.ndarray, axis: int) -> np.ndarray:
    """A contiguous view/copy of ``x`` with the time axis last and the others flattened."""
    try:
        moved = np.moveaxis(x, axis, -1)
    except np.exceptions.AxisError:
        raise ValueError(f"axis {axis} is out of range for an array of shape {x.shape}") from None
    channels = int(np.prod(moved.shape[:-1], dtype=np.int64))
    return np.ascontiguousarray(moved.reshape(channels, moved.shape[-1]))


def _restore(y: np.ndarray, x: np.ndarray, axis: int) -> np.ndarray:
    """Inverse of :func:`_time_last` for an output shaped like the input."""
    moved_shape = np.moveaxis(x, axis, -1).shape
    return np.moveaxis(y.reshape(moved_shape), -1, axis)


# ---------------------------------------------------------------------------------------
# The Alexiewicz norm
# ---------------------------------------------------------------------------------------


def _leaky_running_sum(x2: np.ndarray, dt: float, leak: float) -> np.ndarray:
    r""":math:`y_n = e^{-\alpha\Delta t} y_{n-1} + x_n \Delta t` along the last axis (C-speed)."""
    if leak == 0.0:
        return np.cumsum(x2, axis=-1) * dt
    return _signal.lfilter([dt], [1.0, -np.exp(-leak * dt)], x2, axis=-1)


def running_integral(
    x: np.ndarray, dt: float = 1.0, leak: float = 0.0, axis: int = -1
) -> np.ndarray:
    r"""The (leaky) running integral of a sampled signal.

    .. math::

        y_n = \sum_{k \le n} e^{-\alpha(t_n - t_k)}\, x_k\, \Delta t

    It obeys :math:`y_n = e^{-\alpha\Delta t} y_{n-1} + x_n \Delta t`. Applied to
    :math:`x - \mathrm{IF}(x)/\Delta t` it is the residual membrane potential of IF with
    reset to mod (chapter 8).

    Examples
    --------
    >>> running_integral([1.0, -3.0, 1.0, 1.0]).tolist()
    [1.0, -2.0, -1.0, 0.0]
    """
    x = _signal_array(x)
    dt = check_real(dt, "dt", positive=True)
    leak = _check_leak(leak)
    x2 = _time_last(x, axis)
    if x2.shape[-1] == 0:
        return np.zeros_like(x)
    return _restore(_leaky_running_sum(x2, dt, leak), x, axis)


def alexiewicz_norm(
    x: np.ndarray, dt: float = 1.0, leak: float = 0.0, axis: int = -1
) -> np.ndarray | float:
    r"""The (leaky) Alexiewicz norm along ``axis``.

    .. math::

        \|x\|_{A,\alpha} = \max_n \Bigl|\sum_{k \le n} e^{-\alpha (t_n - t_k)}\,x_k\,\Delta t\Bigr|,
        \qquad t_n = (n - 1)\,\Delta t

    (samples numbered from 1, the first at t = 0, as in chapter 8; only differences of times
    enter).

    With ``leak`` :math:`\alpha = 0` this is :math:`\max_n |\sum_{k \le n} x_k \Delta t|`, the
    largest absolute partial integral; for a sampled signal it is the continuous norm
    :math:`\sup_t |\int_0^t f|` of the Dirac train :math:`\sum_n x_n \Delta t\,\delta(t - t_n)`.

    Parameters
    ----------
    x : array_like
        Signal, time along ``axis``; finite.
    dt : float
        Sampling step :math:`\Delta t > 0` (ms).
    leak : float
        Decay rate :math:`\alpha \ge 0` (1/ms).
    axis : int
        The time axis.

    Returns
    -------
    ndarray or float
        The norm, with ``axis`` removed (a float for 1-D input). An empty time axis gives 0.

    Examples
    --------
    >>> alexiewicz_norm([1.0, -3.0, 1.0, 1.0])
    2.0
    >>> round(alexiewicz_norm([1.0, 1.0], leak=np.log(2)), 12)   # 1 + 1/2
    1.5
    """
    x = _signal_array(x)
    dt = check_real(dt, "dt", positive=True)
    leak = _check_leak(leak)
    x2 = _time_last(x, axis)
    out_shape = np.delete(np.array(np.moveaxis(x, axis, -1).shape), -1)
    if x2.shape[-1] == 0:
        norm = np.zeros(x2.shape[0])
    else:
        norm = np.abs(_leaky_running_sum(x2, dt, leak)).max(axis=-1)
    norm = norm.reshape(tuple(out_shape))
    return float(norm) if norm.ndim == 0 else norm


# ---------------------------------------------------------------------------------------
# Integrate-and-fire
# ---------------------------------------------------------------------------------------


def _mod_scan(F: np.ndarray) -> np.ndarray:
    r"""Cumulative spike count of reset-to-mod IF from the normalised integral ``F``.

    The emitted total :math:`k_n` obeys :math:`k_n = \mathrm{clip}(k_{n-1}, \lfloor F_n\rfloor,
    \lceil F_n\rceil)`, :math:`k_0 = 0`. Write :math:`k_n = \lfloor F_n\rfloor + b_n`: when the
    cell index :math:`\lfloor F\rfloor` moves up, the clamp lands on the floor (:math:`b = 0`);
    when it moves down, on the ceiling (:math:`b = 1`); an integer :math:`F_n` pins
    :math:`k_n = F_n` (:math:`b = 0`); otherwise :math:`b` keeps its value. So :math:`b` is a
    forward fill of the last such event: O(n) vectorized work, independent of the spike count.

    Examples
    --------
    >>> _mod_scan(np.array([[0.6, 1.2, 3.7, -0.3]])).tolist()
    [[0.0, 1.0, 3.0, 0.0]]
    """
    return np.cumsum(_mod_spike_counts(F), axis=-1)


def _mod_spike_counts(F: np.ndarray) -> np.ndarray:
    r"""Spike counts :math:`k_n - k_{n-1}` of reset-to-mod IF (see :func:`_mod_scan`).

    Computed as :math:`\Delta\lfloor F_n\rfloor + \Delta b_n`: :math:`\Delta b` is nonzero only
    at cell changes, so when those are rare (sparse spiking) only they are visited; otherwise
    the forward fill runs over all samples (int32 indices, one flat pass).

    Examples
    --------
    >>> _mod_spike_counts(np.array([[0.6, 1.2, 3.7, -0.3]])).tolist()
    [[0.0, 1.0, 2.0, -3.0]]
    """
    cell = np.floor(F)
    d = np.diff(cell, axis=-1, prepend=0.0)
    d[:, 0] += 0.0  # -0.0 - 0.0 would leave a negative zero
    event = d != 0
    event |= cell == F
    event[:, 0] = True  # each row starts from b = 0
    d_flat, f_flat, c_flat, e_flat = (a.reshape(-1) for a in (d, F, cell, event))
    if np.count_nonzero(e_flat) * 8 <= e_flat.size:
        pos = np.flatnonzero(e_flat)
        value = ((d_flat[pos] < 0) & (c_flat[pos] != f_flat[pos])).astype(np.float64)
        previous = np.concatenate([[0.0], value[:-1]])
        previous[pos % F.shape[-1] == 0] = 0.0
        d_flat[pos] += value - previous
        return d
    value = d_flat < 0
    value &= c_flat != f_flat
    index = np.arange(e_flat.size, dtype=np.int32 if e_flat.size < 2**31 else np.int64)
    index *= e_flat
    np.maximum.accumulate(index, out=index)
    b = value.take(index).view(np.int8)
    db = np.diff(b, prepend=np.int8(0)).reshape(F.shape)
    db[:, 0] = b.reshape(F.shape)[:, 0]
    d += db
    return d


def _reset_rule(u: np.ndarray, threshold: float, reset: str) -> tuple[np.ndarray, np.ndarray]:
    """(emitted, removed) for potentials with ``|u| >= threshold``: the three reset rules."""
    emitted = threshold * (np.trunc(u / threshold) if reset == "mod" else np.sign(u))
    return emitted, (u if reset == "zero" else emitted)


def _if_sequential(
    x2: np.ndarray, threshold: float, dt: float, reset: str, leak: float
) -> np.ndarray:
    """General IF: a loop over time, vectorized over channels."""
    decay = np.exp(-leak * dt)
    u = np.zeros(x2.shape[0])
    spikes = np.zeros_like(x2)
    for n in range(x2.shape[1]):
        u = decay * u + x2[:, n] * dt
        fire = np.abs(u) >= threshold
        if not fire.any():
            continue
        emitted, removed = _reset_rule(u[fire], threshold, reset)
        u[fire] -= removed
        spikes[fire, n] = emitted
    return spikes


def _if_scalar(
    x2: np.ndarray, threshold: float, dt: float, reset: str, leak: float
) -> np.ndarray:
    """General IF for dense spiking on few channels: every sample is an event, and plain
    Python floats make that loop over events an order of magnitude faster than NumPy calls
    on one-element arrays (so the reset rule is spelled out here for floats)."""
    decay = float(np.exp(-leak * dt))
    out = np.zeros_like(x2)
    for row, values in enumerate(x2.tolist()):
        u, spikes = 0.0, out[row]
        for n, value in enumerate(values):
            u = decay * u + value * dt
            if u >= threshold or u <= -threshold:
                emitted = (float(np.trunc(u / threshold)) if reset == "mod"
                           else (1.0 if u > 0 else -1.0)) * threshold
                u = 0.0 if reset == "zero" else u - emitted
                spikes[n] = emitted
    return out


def _if_event_search(
    x2: np.ndarray, threshold: float, dt: float, reset: str, leak: float, window: int
) -> np.ndarray:
    r"""General IF for sparse spiking: a loop over spikes, each step vectorized over channels.

    Between spikes the potential is :math:`u_n = L_n - R\,e^{-\alpha (t_n - t_m)}`, with
    :math:`L` the (leaky) running integral of the input and :math:`R` the (leaky) sum of
    everything removed by resets up to the last spike :math:`t_m`. Each channel searches the
    next ``window`` samples for the first :math:`|u_n| \ge \vartheta`; channels without a hit
    move on by a window. While no channel fires the window doubles (up to about 2²⁰ samples
    per step over all channels), so long silent stretches cost few steps.
    """
    channels, length = x2.shape
    decay = np.exp(-leak * dt)
    L = _leaky_running_sum(x2, dt, leak) / threshold  # in units of ϑ
    spikes = np.zeros_like(x2)
    last = np.full(channels, -1)  # the last sample with a spike (or -1)
    scanned = np.full(channels, -1)  # the last sample searched
    removed = np.zeros(channels)  # R at `last`, units of ϑ
    widest = max(window, min(length, 2**20 // channels))
    width = window
    offsets = np.arange(1, widest + 1)
    # e^{-αΔt j}, j = 1 … widest: one table (vectorized exp) instead of a power per sample
    powers = np.exp(-leak * dt * offsets) if leak else None
    flat = L.reshape(-1)
    active = np.arange(channels)
    while active.size:
        idx = scanned[active, None] + offsets[None, :width]
        inside = idx < length
        u = flat.take(np.minimum(idx, length - 1) + (active * length)[:, None])
        if leak:
            # R e^{-α(t_n - t_m)} = (R e^{-α(t_s - t_m)}) e^{-α(t_n - t_s)}, t_s the last scanned
            start = removed[active] * decay ** (scanned[active] - last[active])
            u = u - start[:, None] * powers[None, :width]
        else:
            u = u - removed[active, None]
        hit = inside & (np.abs(u) >= 1.0)
        found = hit.any(axis=1)
        first = np.argmax(hit, axis=1)
        # channels with a spike
        ch, col = active[found], first[found]
        n = idx[found, col]
        un = u[found, col]
        emitted, taken = _reset_rule(un, 1.0, reset)  # in units of ϑ
        spikes[ch, n] = emitted * threshold
        removed[ch] = removed[ch] * (decay ** (n - last[ch]) if leak else 1.0) + taken
        last[ch] = n
        scanned[ch] = n
        # channels without a spike in this window
        scanned[active[~found]] += width
        width = window if found.any() else min(2 * width, widest)
        active = active[scanned[active] < length - 1]
    return spikes


def _decay_table(leak: float, dt: float, size: int, table: np.ndarray) -> np.ndarray:
    r""":math:`e^{-\alpha\Delta t j}`, :math:`j = 1 \dots` ``size``, extending ``table`` (its
    first entries), and never past the first power that underflows to 0."""
    size = min(size, int(746.0 / (leak * dt)) + 2)  # e^{-746} underflows to 0.0
    if table.size >= size:
        return table
    tail = np.exp(-leak * dt * np.arange(table.size + 1, size + 1))
    return np.concatenate([table, tail])


def _if_event_search_one(
    x1: np.ndarray, threshold: float, dt: float, reset: str, leak: float, window: int
) -> np.ndarray:
    r""":func:`_if_event_search` for one channel: the windows are slices of the running
    integral (no index arrays), and the table of powers :math:`e^{-\alpha\Delta t j}` grows
    only as far as a window reaches (beyond its last entry the power is 0 in floating point,
    so the potential there is the running integral itself)."""
    length = x1.size
    decay = np.exp(-leak * dt)
    L = _leaky_running_sum(x1[None, :], dt, leak)[0] / threshold  # in units of ϑ
    spikes = np.zeros_like(x1)
    widest = max(window, min(length, 2**20))
    powers = np.empty(0)
    pos, last, removed, width = 0, -1, 0.0, window  # pos: the next sample to search
    while pos < length:
        u = L[pos:pos + width]
        if leak:
            powers = _decay_table(leak, dt, u.size, powers)
            # R e^{-α(t_n - t_m)} = (R e^{-α(t_{pos-1} - t_m)}) e^{-α(t_n - t_{pos-1})}
            start = removed * decay ** (pos - 1 - last)
            u = u.copy()
            u[:powers.size] -= start * powers[:u.size]
        elif removed:
            u = u - removed
        hit = np.abs(u) >= 1.0
        k = int(hit.argmax())
        if not hit[k]:  # no spike in this window: search a wider one
            pos += u.size
            width = min(2 * width, widest)
            continue
        n = pos + k
        emitted, taken = _reset_rule(u[k:k + 1], 1.0, reset)  # in units of ϑ
        spikes[n] = emitted[0] * threshold
        removed = removed * (decay ** (n - last) if leak else 1.0) + taken[0]
        last, pos, width = n, n + 1, window
    return spikes


def integrate_and_fire(
    x: np.ndarray,
    threshold: float,
    dt: float = 1.0,
    reset: str = "mod",
    leak: float = 0.0,
    axis: int = -1,
) -> np.ndarray:
    r"""Two-sided integrate-and-fire sampling: spike amplitudes in :math:`\vartheta\mathbb{Z}`.

    .. math::

        u_n = e^{-\alpha\Delta t}\,u_{n-1} + x_n\,\Delta t, \qquad
        \text{fire when } |u_n| \ge \vartheta .

    Resets: ``"mod"`` emits :math:`s_n = \vartheta\,\mathrm{trunc}(u_n/\vartheta)` and keeps
    :math:`u_n - s_n` (so :math:`|u| < \vartheta` after every sample, up to rounding: where the
    running integral lies within rounding of a multiple of ϑ, the residual may come out as
    ϑ(1 + 10⁻¹⁴)); ``"subtract"`` emits
    :math:`\pm\vartheta` and subtracts it (one spike per sample at most); ``"zero"`` emits
    :math:`\pm\vartheta` and sets :math:`u_n = 0`.

    Parameters
    ----------
    x : array_like
        Input rate, time along ``axis`` (units of :math:`\vartheta` per ms).
    threshold : float
        :math:`\vartheta > 0`.
    dt : float
        Sampling step :math:`\Delta t > 0` (ms).
    reset : {"mod", "subtract", "zero"}
    leak : float
        Decay rate :math:`\alpha \ge 0` of the potential (1/ms).
    axis : int
        The time axis.

    Returns
    -------
    ndarray
        Spike amplitudes (integer multiples of :math:`\vartheta`), shaped like ``x``; zero where
        no spike is emitted.

    Notes
    -----
    With reset to mod and no leak, the residual potential equals the running integral of
    :math:`f - \mathrm{IF}(f)`, so :math:`\|f - \mathrm{IF}(f)\|_A < \vartheta`. That case is
    computed in closed form from the cumulative integral
    :math:`F_n = \sum_{k\le n} x_k\Delta t/\vartheta` (a clamp recursion solved by a forward
    fill, see chapter 8): O(n) vectorized work whatever the number of spikes. The other
    resets and the leaky potential are computed by a search from spike to spike (vectorized
    over channels, a window of samples at a time) when the input's total charge allows few
    spikes; when spikes are dense, every sample is an event and the loop runs over time,
    vectorized over channels (or with plain floats when there are fewer than 16 channels).

    Examples
    --------
    >>> integrate_and_fire([0.6, 0.6, 2.5, -4.0], threshold=1.0).tolist()
    [0.0, 1.0, 2.0, -3.0]
    >>> integrate_and_fire([0.6, 0.6, 2.5, -4.0], threshold=1.0, reset="subtract").tolist()
    [0.0, 1.0, 1.0, -1.0]
    """
    x = _signal_array(x)
    threshold = check_real(threshold, "threshold", positive=True)
    dt = check_real(dt, "dt", positive=True)
    leak = _check_leak(leak)
    if reset not in RESETS:
        raise ValueError(f"reset must be one of {RESETS}, got {reset!r}")
    x2 = _time_last(x, axis)
    if x2.shape[-1] == 0:
        return np.zeros_like(x)
    if reset == "mod" and leak == 0.0:
        F = np.cumsum(x2, axis=-1) * (dt / threshold)
        spikes = _mod_spike_counts(F)
        spikes *= threshold
    else:
        # Every spike needs a charge of at least ϑ, so Σ|x|Δt/ϑ bounds the spike count. Sparse
        # inputs are searched spike by spike; dense ones stepped sample by sample.
        most = int(np.max(np.sum(np.abs(x2), axis=-1)) * dt / threshold)
        length = x2.shape[-1]
        if most * 32 <= length:
            window = int(np.clip(4 * length // (most + 1), 16, 4096))
            if x2.shape[0] == 1:
                spikes = _if_event_search_one(x2[0], threshold, dt, reset, leak, window)[None]
            else:
                spikes = _if_event_search(x2, threshold, dt, reset, leak, window)
        elif x2.shape[0] < 16:
            spikes = _if_scalar(x2, threshold, dt, reset, leak)
        else:
            spikes = _if_sequential(x2, threshold, dt, reset, leak)
    return _restore(spikes, x, axis)


def integrate_and_fire_loop(
    x: np.ndarray, threshold: float, dt: float = 1.0, reset: str = "mod", leak: float = 0.0
) -> np.ndarray:
    r"""Two-sided IF of a 1-D input as a plain loop over samples: a reference implementation.

    A line-by-line transcription of the definition, independent of the closed form and of the
    spike-to-spike search that :func:`integrate_and_fire` uses, so that the two can be
    compared. For each sample,

    .. math::

        u \leftarrow e^{-\alpha\Delta t}u + x_n\Delta t;\quad
        \text{if } |u| \ge \vartheta:\ \text{emit } s_n,\ \text{reset } u,

    with :math:`s_n = \vartheta\,\mathrm{trunc}(u/\vartheta)` and :math:`u \leftarrow u - s_n`
    (``"mod"``), :math:`s_n = \pm\vartheta` and :math:`u \leftarrow u - s_n` (``"subtract"``),
    :math:`s_n = \pm\vartheta` and :math:`u \leftarrow 0` (``"zero"``). Slow (Python floats):
    for checks on short signals only.

    Examples
    --------
    >>> integrate_and_fire_loop([0.6, 0.6, 2.5, -4.0], threshold=1.0).tolist()
    [0.0, 1.0, 2.0, -3.0]
    """
    x = check_finite_array(x, "x", ndim=1)
    threshold = check_real(threshold, "threshold", positive=True)
    dt = check_real(dt, "dt", positive=True)
    leak = _check_leak(leak)
    if reset not in RESETS:
        raise ValueError(f"reset must be one of {RESETS}, got {reset!r}")
    decay = float(np.exp(-leak * dt))
    u, spikes = 0.0, [0.0] * x.size
    for n, value in enumerate(x.tolist()):
        u = decay * u + value * dt
        if abs(u) >= threshold:
            if reset == "mod":
                spikes[n] = threshold * math.trunc(u / threshold)
            else:
                spikes[n] = threshold if u > 0 else -threshold
            u = 0.0 if reset == "zero" else u - spikes[n]
    return np.array(spikes)


def sparsest_quantization(
    x: np.ndarray, threshold: float, dt: float = 1.0, measure: str = "mass"
) -> np.ndarray:
    r"""A sparsest spike train inside the open Alexiewicz ball of radius :math:`\vartheta`.

    Among all trains :math:`s` with amplitudes in :math:`\vartheta\mathbb{Z}` and
    :math:`\|x\Delta t - s\|_A < \vartheta`, return one with the smallest mass
    :math:`\sum_n |s_n|/\vartheta` (the number of unit spikes, ``measure="mass"``, the
    :math:`\ell^1` norm), or with the fewest nonzero spikes (``measure="events"``, the
    :math:`\ell^0` count). The first is the exact reference against which chapter 8 checks the
    maximum-sparsity property of IF with reset to mod; applied to the increments of a signal,
    the second gives the fewest messages of any lattice reconstruction within Δ (chapter 9).

    Notes
    -----
    With :math:`F_n = \sum_{k \le n} x_k \Delta t / \vartheta` and :math:`k_n` the cumulative
    emitted count, the constraint is :math:`|F_n - k_n| < 1`, so :math:`k_n` is one of at
    most two integers, :math:`\lfloor F_n\rfloor` and :math:`\lceil F_n\rceil`. Dynamic
    programming over these states with cost :math:`\sum_n |k_n - k_{n-1}|` (mass) or
    :math:`\sum_n [k_n \ne k_{n-1}]` (events), :math:`k_0 = 0`, is exact; ties keep the
    lowest state. A reference solver for short 1-D signals: it loops over samples in Python.

    Examples
    --------
    >>> sparsest_quantization([0.6, 0.6, 2.5, -4.0], threshold=1.0).tolist()
    [0.0, 1.0, 2.0, -3.0]

    The increments of x = (0, 1.5, 2.5, 3.5): three unit events have the least mass, but two
    events suffice (the reconstruction 0, 2, 2, 3 stays within 1 of x):

    >>> sparsest_quantization([0.0, 1.5, 1.0, 1.0], 1.0).tolist()
    [0.0, 1.0, 1.0, 1.0]
    >>> sparsest_quantization([0.0, 1.5, 1.0, 1.0], 1.0, measure="events").tolist()
    [0.0, 2.0, 0.0, 1.0]
    """
    x = check_finite_array(x, "x", ndim=1)
    threshold = check_real(threshold, "threshold", positive=True)
    dt = check_real(dt, "dt", positive=True)
    if measure not in ("mass", "events"):
        raise ValueError(f"measure must be 'mass' or 'events', got {measure!r}")
    F = np.cumsum(x) * (dt / threshold)
    states = [np.array([0.0])]
    costs = [np.array([0.0])]
    parents = []
    for f in F:
        candidates = np.unique([np.floor(f), np.ceil(f)])
        candidates = candidates[np.abs(f - candidates) < 1.0]
        moves = np.abs(candidates[:, None] - states[-1][None, :])
        step = costs[-1][None, :] + (moves if measure == "mass" else moves != 0)
        parents.append(np.argmin(step, axis=1))
        costs.append(step.min(axis=1))
        states.append(candidates)
    k = np.empty(F.size)
    best = int(np.argmin(costs[-1]))
    for n in range(F.size, 0, -1):
        k[n - 1] = states[n][best]
        best = int(parents[n - 1][best])
    return np.diff(k, prepend=0.0) * threshold


# ---------------------------------------------------------------------------------------
# Send-on-delta
# ---------------------------------------------------------------------------------------


def _sod_last_value(x2: np.ndarray, delta: float) -> np.ndarray:
    """Classic SOD: loop over time, vectorized over channels."""
    reference = x2[:, 0].copy()
    events = np.zeros_like(x2)
    for n in range(1, x2.shape[1]):
        change = x2[:, n] - reference
        send = np.abs(change) >= delta
        if send.any():
            events[:, n] = np.where(send, change, 0.0)
            reference = np.where(send, x2[:, n], reference)
    return events


def send_on_delta(
    x: np.ndarray, delta: float, reference: str = "lattice", axis: int = -1
) -> np.ndarray:
    r"""Send-on-delta sampling: signed event amplitudes, shaped like ``x``.

    ``reference="lattice"``: the receiver's reconstruction :math:`r_n = x_0 + \sum_{k \le n} e_k`
    stays on the lattice :math:`x_0 + \Delta\mathbb{Z}`; whenever :math:`|x_n - r_{n-1}| \ge \Delta`
    the sender emits :math:`e_n = \Delta\,\mathrm{trunc}((x_n - r_{n-1})/\Delta)`. This is
    integrate-and-fire with reset to mod and threshold :math:`\Delta` applied to the increments
    :math:`x_n - x_{n-1}`, and :math:`|x_n - r_n| < \Delta` for all :math:`n`.

    ``reference="last_value"``: the classic scheme. Whenever
    :math:`|x_n - x_{\text{ref}}| \ge \Delta` the sender transmits the change
    :math:`e_n = x_n - x_{\text{ref}}` and sets :math:`x_{\text{ref}} = x_n`. Here the amplitudes
    are the exact changes, *not* multiples of :math:`\Delta`; the reference leaves the lattice
    :math:`x_0 + \Delta\mathbb{Z}` at the first event whose sample overshoots its level,
    :math:`|x_n - x_{\text{ref}}| > \Delta` (a sample exactly on a level keeps it on the lattice).

    Parameters
    ----------
    x : array_like
        Signal, time along ``axis``; the first sample is the known starting value.
    delta : float
        :math:`\Delta > 0`, in the units of ``x``.
    reference : {"lattice", "last_value"}
    axis : int

    Returns
    -------
    ndarray
        Event amplitudes, zero where no event; the first sample never carries an event.

    Examples
    --------
    >>> send_on_delta([0.0, 0.4, 1.2, 3.1, 2.0], delta=1.0).tolist()
    [0.0, 0.0, 1.0, 2.0, -1.0]
    >>> np.round(send_on_delta([0.0, 0.4, 1.2, 3.1, 2.0], 1.0, "last_value"), 6).tolist()
    [0.0, 0.0, 1.2, 1.9, -1.1]
    >>> send_on_delta([0.0, 1.0, 1.5, 2.0], 1.0, "last_value").tolist()  # stays on the lattice
    [0.0, 1.0, 0.0, 1.0]
    """
    x = _signal_array(x)
    delta = check_real(delta, "delta", positive=True)
    if reference not in REFERENCES:
        raise ValueError(f"reference must be one of {REFERENCES}, got {reference!r}")
    x2 = _time_last(x, axis)
    if x2.shape[-1] == 0:
        return np.zeros_like(x)
    if reference == "lattice":
        F = (x2 - x2[:, :1]) / delta
        events = _mod_spike_counts(F) * delta
    else:
        events = _sod_last_value(x2, delta)
    return _restore(events, x, axis)


# ---------------------------------------------------------------------------------------
# Reconstruction
# ---------------------------------------------------------------------------------------


def sod_reconstruct(
    events: np.ndarray, x0: np.ndarray | float, method: str = "hold", axis: int = -1
) -> np.ndarray:
    r"""Rebuild a signal from SOD events.

    ``"hold"``: :math:`r_n = x_0 + \sum_{k \le n} e_k` (what the receiver knows at sample n).
    ``"linear"``: straight lines through :math:`x_0` at sample 0 and the held values at the
    event samples (a smoother, non-causal reconstruction; flat after the last event).

    Examples
    --------
    >>> sod_reconstruct([0.0, 0.0, 1.0, 0.0, 1.0], 0.5).tolist()
    [0.5, 0.5, 1.5, 1.5, 2.5]
    >>> sod_reconstruct([0.0, 0.0, 1.0, 0.0, 1.0], 0.5, method="linear").tolist()
    [0.5, 1.0, 1.5, 2.0, 2.5]
    """
    events = _signal_array(events, "events")
    x0 = check_finite_array(x0, "x0")
    if method not in ("hold", "linear"):
        raise ValueError(f"method must be 'hold' or 'linear', got {method!r}")
    e2 = _time_last(events, axis)
    channels = np.moveaxis(events, axis, -1).shape[:-1]
    try:
        start = np.broadcast_to(x0, channels).reshape(-1, 1)
    except ValueError:
        raise ValueError(
            f"x0 must be a scalar or have the shape {channels} of the non-time axes, "
            f"got {x0.shape}"
        ) from None
    held = start + np.cumsum(e2, axis=-1)
    if method == "linear":
        held = np.stack([_linear_between_events(h, e) for h, e in zip(held, e2, strict=True)])
    return _restore(held, events, axis)


def _linear_between_events(held: np.ndarray, events: np.ndarray) -> np.ndarray:
    n = np.arange(held.size)
    knots = np.union1d([0], np.flatnonzero(events))
    return np.interp(n, knots, held[knots])


def if_reconstruct(
    spikes: np.ndarray, dt: float = 1.0, width: int = 0, axis: int = -1
) -> np.ndarray:
    r"""Rebuild a rate signal from IF spike amplitudes.

    With ``width = 0`` each spike is read as the impulse it is: the rate is
    :math:`s_n/\Delta t`, whose partial integrals follow those of the input to within
    :math:`\vartheta`. With ``width = w > 0`` the impulses are smoothed by the discrete
    triangle :math:`\Lambda_w` of chapter 2 (half-width ``w`` samples, unit mass), which
    preserves the integral of every spike.

    Examples
    --------
    >>> if_reconstruct([0.0, 0.0, 2.0, 0.0, 0.0], width=2).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    spikes = _signal_array(spikes, "spikes")
    dt = check_real(dt, "dt", positive=True)
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 0:
        raise ValueError(f"width must be a non-negative integer (samples), got {width!r}")
    rate = spikes / dt
    if width == 0:
        return rate
    kernel = 1.0 - np.abs(np.arange(-width, width + 1)) / width
    kernel /= kernel.sum()
    return ndimage.convolve1d(rate, kernel, axis=axis, mode="constant")
