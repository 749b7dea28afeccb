r"""Exact, event-driven simulation of feed-forward networks of LIF neurons.

Each neuron has a membrane potential :math:`V` and a synaptic current :math:`I`,

.. math::

    \tau_\mathrm{mem}\dot V = -V + I, \qquad \tau_\mathrm{syn}\dot I = -I ,

a spike of presynaptic neuron :math:`i` adds row :math:`W_{i\cdot}` of the layer's weight
matrix to the currents, and a neuron fires when :math:`V` reaches :math:`\vartheta` from
below, after which :math:`V \to 0` (the current is unchanged). Between events the solution
is a sum of two exponentials,

.. math::

    I(t_0 + s) = I_0 e^{-s/\tau_\mathrm{syn}}, \qquad
    V(t_0 + s) = a\,e^{-s/\tau_\mathrm{mem}} + b\,e^{-s/\tau_\mathrm{syn}}, \quad
    b = \frac{\tau_\mathrm{syn} I_0}{\tau_\mathrm{syn} - \tau_\mathrm{mem}}, \ a = V_0 - b,

which has at most one extremum, so every threshold crossing is bracketed on a monotone
piece and located by a safeguarded Halley iteration to machine precision. No time grid is
used anywhere. The neurons of a layer do not interact, and a reset is the subtraction of
:math:`\vartheta e^{-(t - t_k)/\tau_\mathrm{mem}}`, so each neuron's next spike is searched
over all input intervals at once; the simulation proceeds spike by spike (rounds over the
spike rank), not event by event. Chapter 4.

Contents
--------
LIFParams
    Time constants (ms) and threshold.
Spikes
    An event list: ``times`` (batch, n_events) sorted and padded with ``+inf``, ``ids``.
forward
    Simulate a feed-forward network; one :class:`Spikes` per layer.
layer_traces
    :math:`V(t)` and :math:`I(t)` of one layer on a time grid (for plots and checks).
first_spike_times
    The first spike time of every neuron of a layer (``+inf`` if silent).
forward_on_grid
    The clock-driven baseline: the same network on a time grid of step ``dt``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from snnlib._validation import check_finite_array, check_real

__all__ = [
    "LIFParams",
    "SpikeLimitError",
    "Spikes",
    "first_spike_times",
    "forward",
    "forward_on_grid",
    "layer_traces",
    "peak_potential",
]

#: Iterations allowed per crossing (Halley converges cubically: a handful suffice).
_MAX_ITERATIONS = 60
#: A few units of rounding: where a crossing counts as converged.
_ROUNDING = 4 * np.finfo(float).eps


@dataclass(frozen=True)
class LIFParams:
    """Parameters of the LIF neurons (all layers share them).

    Attributes
    ----------
    tau_mem : float
        Membrane time constant :math:`\\tau_\\mathrm{mem} > 0` (ms).
    tau_syn : float
        Synaptic time constant :math:`\\tau_\\mathrm{syn} > 0` (ms), different from ``tau_mem``.
    threshold : float
        Firing threshold :math:`\\vartheta > 0` (dimensionless, like V).

    Examples
    --------
    >>> LIFParams()
    LIFParams(tau_mem=20.0, tau_syn=5.0, threshold=1.0)
    """

    tau_mem: float = 20.0
    tau_syn: float = 5.0
    threshold: float = 1.0

    def __post_init__(self) -> None:
        for name in ("tau_mem", "tau_syn", "threshold"):
            object.__setattr__(self, name, check_real(getattr(self, name), name, positive=True))
        if np.isclose(self.tau_mem, self.tau_syn, rtol=1e-9, atol=0.0):
            raise ValueError(
                "tau_mem and tau_syn must differ (the closed form has a different shape when "
                f"they are equal), got {self.tau_mem!r} and {self.tau_syn!r}"
            )


class Spikes(NamedTuple):
    """An event list: ``times`` (batch, n_events) sorted per row, padded with ``+inf``;
    ``ids`` (batch, n_events) the neuron of each event (0 where the time is ``+inf``)."""

    times: np.ndarray
    ids: np.ndarray


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------


def _check_weights(weights: Sequence[np.ndarray]) -> list[np.ndarray]:
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or not weights:
        raise TypeError("weights must be a non-empty list of 2-D arrays, one per layer")
    out = [check_finite_array(w, f"weights[{k}]", ndim=2) for k, w in enumerate(weights)]
    for k in range(1, len(out)):
        if out[k].shape[0] != out[k - 1].shape[1]:
            raise ValueError(
                f"weights[{k}] must have {out[k - 1].shape[1]} rows (the size of layer {k - 1}), "
                f"got shape {out[k].shape}"
            )
    return out


def _check_events(times: object, ids: object, n_in: int) -> tuple[np.ndarray, np.ndarray]:
    try:
        times = np.asarray(times, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("input_times must be an array of real numbers") from None
    if times.ndim != 2:
        raise ValueError(f"input_times must have shape (batch, n_events), got {times.shape}")
    if np.isnan(times).any() or np.isneginf(times).any():
        raise ValueError("input_times must not contain NaN or -inf (pad with +inf)")
    if (times < 0).any():
        raise ValueError("input_times must be >= 0 (ms)")
    unsorted = (times[:, 1:] < times[:, :-1]).any(axis=-1)
    if unsorted.any():
        b = int(np.flatnonzero(unsorted)[0])
        raise ValueError(f"input_times must be sorted along the last axis; row {b} is not")
    ids = np.asarray(ids)
    if ids.shape != times.shape:
        raise ValueError(
            f"input_ids must have the shape of input_times {times.shape}, got {ids.shape}"
        )
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"input_ids must be integers, got dtype {ids.dtype}")
    real = np.isfinite(times)
    if real.any() and (ids[real].min() < 0 or ids[real].max() >= n_in):
        raise ValueError(
            f"input_ids must lie in [0, {n_in}) (the rows of weights[0]), "
            f"got values in [{ids[real].min()}, {ids[real].max()}]"
        )
    return times, np.where(real, ids, 0).astype(np.intp)


def _check_network(
    weights: Sequence[np.ndarray],
    input_times: object,
    input_ids: object,
    params: object,
    t_max: object,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, float]:
    """Validate everything a simulation takes; return cleaned weights, events and t_max."""
    if not isinstance(params, LIFParams):
        raise TypeError(f"params must be LIFParams, got {type(params).__name__}")
    weights = _check_weights(weights)
    t_max = check_real(t_max, "t_max", positive=True)
    times, ids = _check_events(input_times, input_ids, weights[0].shape[0])
    return weights, times, ids, t_max


# ---------------------------------------------------------------------------------------
# The closed-form trajectory and its threshold crossings
# ---------------------------------------------------------------------------------------


def _coefficients(V0: np.ndarray, I0: np.ndarray, p: LIFParams) -> tuple[np.ndarray, np.ndarray]:
    b = I0 * (p.tau_syn / (p.tau_syn - p.tau_mem))
    return V0 - b, b


def _voltage(a: np.ndarray, b: np.ndarray, s: np.ndarray, p: LIFParams) -> np.ndarray:
    return a * np.exp(s * (-1.0 / p.tau_mem)) + b * np.exp(s * (-1.0 / p.tau_syn))


def _extremum(a: np.ndarray, b: np.ndarray, p: LIFParams) -> np.ndarray:
    r"""Where :math:`V' = 0`, or NaN if nowhere.

    :math:`s^* = \ln\bigl(-b\tau_m/(a\tau_s)\bigr) / (1/\tau_s - 1/\tau_m)`.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        s_star = np.divide(b, a)  # in place from here (these arrays can be large)
        s_star *= -p.tau_mem / p.tau_syn
        none = ~(s_star > 0)
        np.log(s_star, out=s_star)
        s_star *= 1.0 / (1 / p.tau_syn - 1 / p.tau_mem)
        s_star[none] = np.nan
        return s_star


def _bracket(
    V0: np.ndarray, I0: np.ndarray, duration: np.ndarray, p: LIFParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether V, starting below ϑ, crosses ϑ upward within ``duration``, and where to look.

    V is monotone on [0, s*] and [s*, duration], so a crossing, if any, lies on the first
    increasing piece [lo, hi]: there V(lo) < ϑ ≤ V(hi). ``V′(0) = (I0 − V0)/τ_mem`` comes
    from the ODE itself. Returns ``(crosses, lo, hi)``, elementwise.
    """
    a, b = _coefficients(V0, I0, p)
    s_star = _extremum(a, b, p)
    interior = (s_star > 0) & (s_star < duration)
    rising = I0 >= V0
    hi = np.where(rising & interior, s_star, duration)
    crosses = (_voltage(a, b, hi, p) >= p.threshold) & (rising | interior)
    lo = s_star  # (reused)
    lo[rising | ~interior] = 0.0
    return crosses, lo, hi


def _first_crossings(
    V0: np.ndarray, I0: np.ndarray, duration: np.ndarray, valid: np.ndarray | None,
    p: LIFParams, group: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""For each row (a neuron) of interval states, the first interval with a crossing.

    Only intervals that pass a cheap bound go to :func:`_bracket`: as I relaxes towards 0,
    :math:`I \le I_0^+ = \max(I_0, 0)`, so V stays below the solution with the current held
    at :math:`I_0^+`, and over a duration d
    :math:`V \le V_0 + \max(I_0^+ - V_0, 0)(1 - e^{-d/\tau_\mathrm{mem}})`.
    Row ``r`` of ``V0`` and ``I0`` has the durations of row ``r // group`` (``group`` > 1 when
    the neurons of a sample share their intervals); ``valid`` masks intervals (``None``: all).
    Returns the rows that cross, their first such interval, and its bracket.
    """
    n_cols = V0.shape[1]
    rise_factor = -np.expm1(duration / -p.tau_mem)
    bound = np.maximum(I0, 0.0)  # in place from here: these arrays are the largest
    bound -= V0
    np.maximum(bound, 0.0, out=bound)
    per_sample = bound.reshape(-1, group, n_cols)  # a view: a sample's rows share durations
    per_sample *= rise_factor[:, None, :]
    bound += V0
    candidate = bound >= p.threshold * (1 - 1e-12)
    if valid is not None:
        candidate &= valid
    flat = np.flatnonzero(candidate)
    rows, cols = np.divmod(flat, n_cols)
    span = duration.ravel()[flat if group == 1 else rows // group * n_cols + cols]
    crosses, lo, hi = _bracket(V0.ravel()[flat], I0.ravel()[flat], span, p)
    rows, cols, lo, hi = rows[crosses], cols[crosses], lo[crosses], hi[crosses]
    first = np.empty(rows.size, bool)  # rows come sorted, columns ascending
    first[:1] = True
    np.not_equal(rows[1:], rows[:-1], out=first[1:])
    return rows[first], cols[first], lo[first], hi[first]


def _refine(
    V0: np.ndarray, I0: np.ndarray, lo: np.ndarray, hi: np.ndarray, p: LIFParams
) -> np.ndarray:
    r"""The crossing time inside brackets from :func:`_bracket`.

    A secant start, then Halley steps :math:`s - 2gV'/(2V'^2 - gV'')` (:math:`g = V - \vartheta`;
    cubic convergence, and the two exponentials give V, V′ and V″ at once) that fall back to
    bisection whenever they would leave the bracket. Each crossing stops when V − ϑ is at the
    rounding level of evaluating it on the bracket, or its own step is at rounding level, so
    the result does not depend on what else is in the batch.
    """
    a, b = _coefficients(V0, I0, p)
    km, ks = -1.0 / p.tau_mem, -1.0 / p.tau_syn
    em_lo, es_lo = np.exp(km * lo), np.exp(ks * lo)
    g_lo = a * em_lo + b * es_lo - p.threshold
    g_hi = a * np.exp(km * hi) + b * np.exp(ks * hi) - p.threshold
    # rounding of V − ϑ anywhere in [lo, hi] (both exponentials decrease with s)
    g_tol = _ROUNDING * (np.abs(a) * em_lo + np.abs(b) * es_lo + p.threshold)
    s_tol = _ROUNDING * np.maximum(1.0, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = lo - g_lo / (g_hi - g_lo) * (hi - lo)
    s = np.where((s >= lo) & (s <= hi), s, hi)  # (NaN compares false)
    a1, b1 = km * a, ks * b  # V′ = a1 e_m + b1 e_s
    a2, b2 = km * a1, ks * b1  # V″
    done = np.zeros(s.shape, bool)
    for _ in range(_MAX_ITERATIONS):
        em, es = np.exp(km * s), np.exp(ks * s)
        g = a * em + b * es - p.threshold
        d1 = a1 * em + b1 * es
        below = g < 0
        lo, hi = np.where(below, s, lo), np.where(below, hi, s)
        with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 at a grazing touch: bisect
            step = s - 2 * g * d1 / (2 * d1 * d1 - g * (a2 * em + b2 * es))
        s_new = np.where((step > lo) & (step < hi), step, 0.5 * (lo + hi))
        # an element stops at its own convergence, whatever else is in the batch
        done |= np.abs(g) <= g_tol
        s_new[done] = s[done]
        done |= np.abs(s_new - s) <= s_tol
        s = s_new
        if done.all():
            return s
    raise RuntimeError("threshold crossing did not converge; please report this input")


def _lexsort_sample_time_neuron(b: np.ndarray, t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``np.lexsort((n, t, b))`` by three stable sorts; small integer keys as uint16, which
    numpy sorts by radix (about twice as fast for large event lists)."""

    def compact(keys: np.ndarray) -> np.ndarray:
        return keys.astype(np.uint16) if keys.size and keys.max() < 1 << 16 else keys

    order = np.argsort(compact(n), kind="stable")
    order = order[np.argsort(t[order], kind="stable")]
    return order[np.argsort(compact(b)[order], kind="stable")]


class _Recorder:
    r"""Collects (batch, time, neuron, current) and builds a padded, sorted event list.

    The synaptic current of the spiking neuron at its spike is kept for the backward pass
    (:mod:`snnlib.eventprop` needs :math:`\dot V^- = (I - \vartheta)/\tau_\mathrm{mem}`).
    """

    def __init__(self, batch: int) -> None:
        self.batch = batch
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, b: np.ndarray, t: np.ndarray, n: np.ndarray, current: np.ndarray) -> None:
        self.parts.append((b, t, n, current))

    def spikes(self) -> tuple[Spikes, np.ndarray]:
        if not self.parts:
            empty = np.full((self.batch, 0), np.inf)
            return Spikes(empty, np.zeros((self.batch, 0), np.intp)), np.zeros((self.batch, 0))
        b, t, n, c = (np.concatenate(x) for x in zip(*self.parts, strict=True))
        order = _lexsort_sample_time_neuron(b, t, n)
        b, t, n, c = b[order], t[order], n[order], c[order]
        counts = np.bincount(b, minlength=self.batch)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        col = np.arange(b.size) - starts[b]
        times = np.full((self.batch, counts.max(initial=0)), np.inf)
        ids = np.zeros(times.shape, np.intp)
        currents = np.zeros(times.shape)
        times[b, col] = t
        ids[b, col] = n
        currents[b, col] = c
        return Spikes(times, ids), currents


#: Elements (samples × intervals × neurons) simulated at once: larger batches go in chunks
#: (arrays of about a megabyte stay in cache; measured fastest on batches of thousands).
_CHUNK_ELEMENTS = 1 << 17


def _filtered_inputs(
    W: np.ndarray, times: np.ndarray, ids: np.ndarray, p: LIFParams, t_max: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Interval bounds and the input filtered with both time constants at each start.

    Interval ``e`` runs from input ``e`` to the next input, the last one to ``t_max`` (inputs
    after ``t_max`` and padding count as ``t_max``); before the first input nothing moves.
    Just after its start the synaptic current is :math:`I = S_s` and the membrane potential
    without resets is :math:`\frac{\tau_s}{\tau_s - \tau_m}(S_s - S_m)`, with
    :math:`S_\tau(t) = \sum_{t_j \le t} W_{i_j\cdot} e^{-(t - t_j)/\tau}`. Returns
    ``starts, ends`` (batch, E) and ``S_s, S_m`` with one row per neuron,
    (batch * n_out, E).
    """
    batch, n_events = times.shape
    arrived = times <= t_max
    starts = np.where(arrived, times, t_max)
    ends = np.concatenate([starts[:, 1:], np.full((batch, 1), t_max)], axis=1)
    jumps = W[ids.T]  # (E, batch, n_out)
    jumps[~arrived.T] = 0.0
    gaps = np.diff(starts, axis=1).T[:, None, :, None]
    decay = np.exp(gaps / -np.array([p.tau_syn, p.tau_mem])[:, None, None])  # (E - 1, 2, batch, 1)
    S = np.empty((n_events, 2, batch, W.shape[1]))  # both filters in one pass, event-major
    S[0] = jumps[0]
    for e in range(1, n_events):
        np.multiply(S[e - 1], decay[e - 1], out=S[e])
        S[e] += jumps[e]
    S_s = np.ascontiguousarray(S[:, 0].transpose(1, 2, 0)).reshape(-1, n_events)
    return starts, ends, S_s, S[:, 1].transpose(1, 2, 0).reshape(-1, n_events)


def _simulate_chunk(
    W: np.ndarray, times: np.ndarray, ids: np.ndarray, p: LIFParams, t_max: float,
    rec: _Recorder, offset: int,
) -> None:
    r"""Spike by spike: each round finds, for every neuron still active, its next crossing
    over all remaining intervals at once.

    Neurons of a feed-forward layer do not interact, and a reset is the subtraction of
    :math:`\vartheta e^{-(t - t_k)/\tau_m}` from V. So after a neuron's last spike
    :math:`t_r`, with :math:`R = \sum_{k \le r} e^{-(t_r - t_k)/\tau_m}`, its state at the
    start :math:`t_0 = \max(t_e, t_r)` of every later interval is known in closed form:
    :math:`I = S_s(t_0)`, :math:`V = \frac{\tau_s}{\tau_s - \tau_m}(S_s(t_0) - S_m(t_0))
    - \vartheta R e^{-(t_0 - t_r)/\tau_m}`. The first interval with a crossing is refined to
    the spike time; neurons without one are done. Only neurons that fired take part in the
    next round.
    """
    n_out = W.shape[1]
    # one row per neuron, (batch * n_out, intervals); the intervals are the sample's
    starts, ends, S_s, S_m = _filtered_inputs(W, times, ids, p, t_max)
    c = p.tau_syn / (p.tau_syn - p.tau_mem)
    # first round: nobody has fired; every interval starts at its input time, no resets
    I0, V0 = S_s, np.subtract(S_s, S_m, out=np.empty(S_s.shape))
    V0 *= c
    k, e, lo, hi = _first_crossings(V0, I0, ends - starts, None, p, group=n_out)
    neurons, t0 = k, starts[k // n_out, e]
    t_r = R = np.zeros(k.size)  # last reset, and Σ_k e^{-(t_r - t_k)/τ_m} there
    first = 0  # the first interval still in play
    while k.size:
        s = _refine(V0[k, e], I0[k, e], lo, hi, p)
        t = t0 + s
        rows, cols = np.divmod(neurons, n_out)
        rec.add(offset + rows, t, cols, I0[k, e] * np.exp(-s / p.tau_syn))
        R = R * np.exp(-(t - t_r) / p.tau_mem) + 1.0
        t_r = t
        # intervals before the earliest reset are over for every neuron still active
        first += int(e.min())
        start, end = starts[rows, first:], ends[rows, first:]
        # the state after the reset at t_r, at the start max(t_e, t_r) of every interval
        t0 = np.maximum(start, t_r[:, None])
        valid = end > t_r[:, None]
        shift = t0 - start
        I0 = S_s[neurons, first:] * np.exp(-shift / p.tau_syn)
        V0 = c * (I0 - S_m[neurons, first:] * np.exp(-shift / p.tau_mem)) \
            - p.threshold * R[:, None] * np.exp(-(t0 - t_r[:, None]) / p.tau_mem)
        k, e, lo, hi = _first_crossings(V0, I0, np.where(valid, end - t0, 0.0), valid, p)
        neurons, t0, t_r, R = neurons[k], t0[k, e], t_r[k], R[k]


def _simulate_layer(
    W: np.ndarray, times: np.ndarray, ids: np.ndarray, p: LIFParams, t_max: float
) -> tuple[Spikes, np.ndarray]:
    batch = times.shape[0]
    rec = _Recorder(batch)
    if times.shape[1] == 0:  # no input, no spike
        return rec.spikes()
    chunk = max(1, _CHUNK_ELEMENTS // (times.shape[1] * W.shape[1]))
    for first in range(0, batch, chunk):
        _simulate_chunk(W, times[first:first + chunk], ids[first:first + chunk], p, t_max,
                        rec, first)
    return rec.spikes()


# ---------------------------------------------------------------------------------------
# Recurrent layers: event by event
# ---------------------------------------------------------------------------------------


class SpikeLimitError(ValueError, RuntimeError):
    """A neuron of a recurrent layer exceeded ``max_spikes`` spikes in one sample.

    Strong positive recurrence can make the currents grow with every spike: the interspike
    intervals shrink (roughly like 1/n for the n-th spike) and the spike count grows about
    exponentially with time. It stays finite in every finite window — each spike needs
    ∫I⁺ ≥ τ_mem·ϑ and adds at most the positive recurrent
    weight to the current — but the cost of an exact simulation grows without bound as
    ``t_max`` grows. The simulation stops with this error
    instead of looping; it is a ``ValueError`` (the weights are outside what can be
    simulated) and a ``RuntimeError`` (it is found while running).
    """


def _check_recurrent(recurrent: object, weights: list[np.ndarray]) -> list[np.ndarray | None]:
    """``None`` or one entry per layer, each ``None`` or an (n_l, n_l) finite array."""
    if recurrent is None:
        return [None] * len(weights)
    if isinstance(recurrent, np.ndarray) or not isinstance(recurrent, Sequence):
        raise TypeError("recurrent must be None or a list with one entry per layer, each None "
                        "or an (n, n) array")
    if len(recurrent) != len(weights):
        raise ValueError(f"recurrent must have one entry per layer ({len(weights)}), "
                         f"got {len(recurrent)}")
    out: list[np.ndarray | None] = []
    for k, (R, W) in enumerate(zip(recurrent, weights, strict=True)):
        if R is not None:
            R = check_finite_array(R, f"recurrent[{k}]", ndim=2)
            n = W.shape[1]
            if R.shape != (n, n):
                raise ValueError(f"recurrent[{k}] must have shape ({n}, {n}) (layer {k} has "
                                 f"{n} neurons), got {R.shape}")
        out.append(R)
    return out


def _check_max_spikes(max_spikes: object) -> int:
    if isinstance(max_spikes, bool) or not isinstance(max_spikes, numbers.Integral):
        raise TypeError(f"max_spikes must be a positive integer, got {max_spikes!r}")
    if max_spikes < 1:
        raise ValueError(f"max_spikes must be a positive integer, got {max_spikes!r}")
    return int(max_spikes)


def _next_crossing(
    V: np.ndarray, I: np.ndarray, duration: np.ndarray, p: LIFParams
) -> np.ndarray:
    """Time from now to each neuron's first crossing within ``duration`` (``+inf`` if none).

    A neuron already at ϑ (two neurons crossing within rounding of each other) fires now.
    """
    s = np.full(V.shape, np.inf)
    now = V >= p.threshold
    s[now] = 0.0
    # the bound of _first_crossings screens out the neurons that cannot reach ϑ in time
    rise = np.maximum(np.maximum(I, 0.0) - V, 0.0) * -np.expm1(-duration / p.tau_mem)
    rows, cols = np.nonzero(~now & (V + rise >= p.threshold * (1 - 1e-12)))
    crosses, lo, hi = _bracket(V[rows, cols], I[rows, cols], duration[rows, 0], p)
    rows, cols = rows[crosses], cols[crosses]
    s[rows, cols] = _refine(V[rows, cols], I[rows, cols], lo[crosses], hi[crosses], p)
    return s


def _simulate_recurrent_layer(
    W: np.ndarray, R: np.ndarray, times: np.ndarray, ids: np.ndarray, p: LIFParams,
    t_max: float, max_spikes: int,
) -> tuple[Spikes, np.ndarray]:
    r"""A layer whose own spikes feed back: when neuron i fires, row :math:`R_{i\cdot}` is
    added to the layer's currents.

    Neurons now interact, so the layer advances event by event, every sample at once: from
    its current time each sample goes to whichever comes first, its next input or the
    earliest threshold crossing of any of its neurons (searched on the closed-form trajectory,
    as in the feed-forward case). Until that event nothing changes any current, so the
    earliest crossing is exact. The loop runs over events; each step is vectorized over the
    samples still running and their neurons.
    """
    batch, n = times.shape[0], W.shape[1]
    rec = _Recorder(batch)
    V, I = np.zeros((batch, n)), np.zeros((batch, n))
    now = np.zeros(batch)
    pointer = np.zeros(batch, np.intp)
    counts = np.zeros((batch, n), np.intp)
    padded = np.concatenate([np.where(times <= t_max, times, np.inf),
                             np.full((batch, 1), np.inf)], axis=1)
    live = np.arange(batch)
    while live.size:
        t_in = padded[live, pointer[live]]
        horizon = np.minimum(t_in, t_max)
        s = _next_crossing(V[live], I[live], (horizon - now[live])[:, None], p)
        fires = np.argmin(s, axis=1)
        s_fire = s[np.arange(live.size), fires]
        spike = np.isfinite(s_fire)
        arrive = ~spike & np.isfinite(t_in)
        step = np.where(spike, s_fire, np.where(arrive, t_in - now[live], 0.0))[:, None]
        a, b = _coefficients(V[live], I[live], p)
        V[live] = _voltage(a, b, step, p)
        I[live] *= np.exp(-step / p.tau_syn)
        now[live] += step[:, 0]
        # the samples whose next event is a spike of neuron `fires`
        rows, k = live[spike], fires[spike]
        rec.add(rows, now[rows], k, I[rows, k])
        V[rows, k] = 0.0
        I[rows] += R[k]
        counts[rows, k] += 1
        if rows.size and counts[rows, k].max() > max_spikes:
            j = int(np.argmax(counts[rows, k]))
            raise SpikeLimitError(
                f"neuron {int(k[j])} of a recurrent layer fired more than max_spikes = "
                f"{max_spikes} times in sample {int(rows[j])} before t = {now[rows[j]]:.6g} ms "
                "(a runaway burst from positive recurrence?); lower the recurrent weights or "
                "raise max_spikes")
        # the samples whose next event is an input
        rows = live[arrive]
        I[rows] += W[ids[rows, pointer[rows]]]
        pointer[rows] += 1
        live = live[spike | arrive]
    return rec.spikes()


def forward(
    weights: Sequence[np.ndarray],
    input_times: np.ndarray,
    input_ids: np.ndarray,
    params: LIFParams,
    t_max: float,
    recurrent: Sequence[np.ndarray | None] | None = None,
    *,
    max_spikes: int = 1000,
) -> list[Spikes]:
    r"""Simulate a LIF network exactly, event by event, up to ``t_max``.

    Parameters
    ----------
    weights : list of ndarray
        ``weights[l]`` has shape (n_in, n_out) of layer ``l``; row i is added to the currents
        of layer ``l`` when neuron i of the layer below (or input i) spikes.
    input_times : ndarray, shape (batch, n_events)
        Input spike times (ms), sorted along the last axis, padded with ``+inf``.
    input_ids : ndarray of int, shape (batch, n_events)
        Input neuron of each event, in ``[0, weights[0].shape[0])``.
    params : LIFParams
    t_max : float
        End of the simulation (ms); spikes after it are not produced.
    recurrent : list, optional
        ``None`` (feed-forward, the default) or one entry per layer, each ``None`` or an
        (n_l, n_l) array R: when neuron i of layer l fires, ``recurrent[l][i, j]`` is added to
        the current of neuron j of the same layer (rows presynaptic, as for ``weights``; any
        sign, self-connections allowed). Recurrent layers are simulated event by event.
    max_spikes : int, optional
        Cap on the spikes of one neuron of a recurrent layer in one sample (default 1000).
        Positive recurrence can produce a burst whose spike count, finite in every finite
        window, grows about exponentially with ``t_max``; past the cap the simulation raises
        :class:`SpikeLimitError`. Feed-forward layers are not capped.

    Returns
    -------
    list of Spikes
        One event list per layer, in the input format.

    Raises
    ------
    ValueError, TypeError
        For unsorted, NaN or negative times, ids out of range, mismatched shapes, weights
        whose shapes do not chain, ``t_max <= 0``, recurrent weights that are not finite or
        not (n_l, n_l).
    SpikeLimitError
        When a neuron of a recurrent layer exceeds ``max_spikes``.

    Examples
    --------
    One input spike of weight 10 at t = 0 drives one neuron across threshold:

    >>> out = forward([np.array([[10.0]])], np.array([[0.0]]), np.array([[0]]), LIFParams(), 50.0)
    >>> np.round(out[0].times, 6)
    array([[2.826252]])

    With a recurrent self-connection of weight 2 the first spike drives a second one:

    >>> out = forward([np.array([[10.0]])], np.array([[0.0]]), np.array([[0]]), LIFParams(), 50.0,
    ...               recurrent=[np.array([[2.0]])])
    >>> np.round(out[0].times, 6)
    array([[2.826252, 7.291849]])
    """
    return [spikes for spikes, _ in _forward(weights, input_times, input_ids, params, t_max,
                                             recurrent, max_spikes=max_spikes)]


def _forward(
    weights: Sequence[np.ndarray],
    input_times: np.ndarray,
    input_ids: np.ndarray,
    params: LIFParams,
    t_max: float,
    recurrent: Sequence[np.ndarray | None] | None = None,
    *,
    max_spikes: int = 1000,
) -> list[tuple[Spikes, np.ndarray]]:
    """:func:`forward`, also returning each spike's synaptic current just before the spike
    (for the backward pass)."""
    weights, times, ids, t_max = _check_network(weights, input_times, input_ids, params, t_max)
    recurrent = _check_recurrent(recurrent, weights)
    max_spikes = _check_max_spikes(max_spikes)
    layers = []
    for W, R in zip(weights, recurrent, strict=True):
        if R is None:
            spikes, currents = _simulate_layer(W, times, ids, params, t_max)
        else:
            spikes, currents = _simulate_recurrent_layer(W, R, times, ids, params, t_max,
                                                         max_spikes)
        layers.append((spikes, currents))
        times, ids = spikes
    return layers


def peak_potential(
    V0: object, I0: object, duration: object, params: LIFParams, *, include_end: bool = True
) -> np.ndarray:
    r"""The largest membrane potential over intervals without events, in closed form.

    After an event with state :math:`(V_0, I_0)`, and until the next one,

    .. math::

        V(s) = a\,e^{-s/\tau_\mathrm{mem}} + b\,e^{-s/\tau_\mathrm{syn}}, \qquad
        b = \frac{\tau_\mathrm{syn}}{\tau_\mathrm{syn} - \tau_\mathrm{mem}}\,I_0,\quad
        a = V_0 - b,

    which has at most one stationary point :math:`s^*` (chapter 4, prop-bracketing). So the
    largest value on :math:`[0, d]` is the largest of :math:`V(0)`, :math:`V(s^*)` if
    :math:`0 < s^* < d`, and :math:`V(d)`. With ``include_end=False``, :math:`V(d)` is left
    out: for a neuron that fires at the end of its interval, V reaches ϑ there, and the
    result says whether it reached ϑ anywhere before.
    Written independently of the event loop's own helpers, so that it can check them.

    Parameters
    ----------
    V0, I0, duration : array_like
        State just after the event, and the time to the next one (≥ 0); broadcast together.
    params : LIFParams
    include_end : bool
        Whether :math:`V(d)` counts.

    Returns
    -------
    ndarray
        The largest value, shaped like the broadcast inputs.

    Examples
    --------
    >>> p = LIFParams(tau_mem=10.0, tau_syn=5.0, threshold=1.0)
    >>> float(peak_potential(0.0, 2.0, 100.0, p))  # the peak of 2κ, at s* = 10 ln 2 ms
    0.5
    """
    if not isinstance(params, LIFParams):
        raise TypeError(f"params must be LIFParams, got {type(params).__name__}")
    V0 = check_finite_array(V0, "V0")
    I0 = check_finite_array(I0, "I0")
    duration = check_finite_array(duration, "duration")
    if np.any(duration < 0):
        raise ValueError("duration must be non-negative (the time to the next event)")
    shape = np.broadcast_shapes(V0.shape, I0.shape, duration.shape)
    V0, I0, duration = (np.broadcast_to(x, shape).ravel() for x in (V0, I0, duration))
    # written out here rather than shared with the event loop, so that it checks the loop
    tm, ts = params.tau_mem, params.tau_syn
    b = I0 * ts / (ts - tm)
    a = V0 - b

    def V(s: np.ndarray) -> np.ndarray:
        return a * np.exp(-s / tm) + b * np.exp(-s / ts)

    with np.errstate(divide="ignore", invalid="ignore"):
        s_star = np.log(-b * tm / (a * ts)) / (1 / ts - 1 / tm)   # V′(s*) = 0, NaN if none
    inside = (s_star > 0) & (s_star < duration)
    peak = np.maximum(V0, np.where(inside, V(np.where(inside, s_star, 0.0)), V0))
    if include_end:
        peak = np.maximum(peak, V(duration))
    return peak.reshape(shape)


def first_spike_times(spikes: Spikes, n_neurons: int, after: float = 0.0) -> np.ndarray:
    """The first spike time at or after ``after`` of every neuron, shape (batch, n_neurons);
    ``+inf`` if there is none.

    Examples
    --------
    >>> s = Spikes(np.array([[1.0, 2.0, np.inf]]), np.array([[1, 1, 0]]))
    >>> first_spike_times(s, 3).tolist()
    [[inf, 1.0, inf]]
    >>> first_spike_times(s, 3, after=1.5).tolist()
    [[inf, 2.0, inf]]
    """
    after = check_real(after, "after")
    times, ids = spikes
    out = np.full((times.shape[0], n_neurons), np.inf)
    rows = np.broadcast_to(np.arange(times.shape[0])[:, None], times.shape)
    real = np.isfinite(times) & (times >= after)
    np.minimum.at(out, (rows[real], ids[real]), times[real])
    return out


def layer_traces(
    W: np.ndarray,
    input_spikes: Spikes,
    output_spikes: Spikes,
    params: LIFParams,
    t: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Membrane potential and current of one layer on the grid ``t``.

    Uses the superposition form of the same solution: with
    :math:`\kappa(s) = \frac{\tau_s}{\tau_s - \tau_m}(e^{-s/\tau_s} - e^{-s/\tau_m})` for
    :math:`s \ge 0`,

    .. math::

        I(t) = \sum_{t_j \le t} W_{i_j\cdot}\, e^{-(t - t_j)/\tau_s}, \qquad
        V(t) = \sum_{t_j \le t} W_{i_j\cdot}\, \kappa(t - t_j)
               - \vartheta \sum_{t_k \le t} e^{-(t - t_k)/\tau_m},

    where the :math:`t_k` are the layer's own spikes: a reset from :math:`\vartheta` to 0 is
    the subtraction of :math:`\vartheta` at :math:`t_k`. Independent of the event-driven
    integration, hence also a check of it.

    Returns
    -------
    V, I : ndarray, shape (batch, len(t), n_out)
    """
    t = check_finite_array(t, "t", ndim=1)
    p = params
    in_t, in_id = input_spikes
    out_t, out_id = output_spikes
    s_in = t[None, :, None] - in_t[:, None, :]  # (batch, grid, events)
    past = s_in >= 0
    s_in = np.where(past, s_in, 0.0)
    decay_syn = np.where(past, np.exp(-s_in / p.tau_syn), 0.0)
    kappa = np.where(past, p.tau_syn / (p.tau_syn - p.tau_mem)
                     * (np.exp(-s_in / p.tau_syn) - np.exp(-s_in / p.tau_mem)), 0.0)
    rows = W[in_id]  # (batch, events, n_out)
    I = np.einsum("bge,ben->bgn", decay_syn, rows)
    V = np.einsum("bge,ben->bgn", kappa, rows)
    s_out = t[None, :, None] - out_t[:, None, :]
    reset = np.where(s_out >= 0, np.exp(-np.where(s_out >= 0, s_out, 0.0) / p.tau_mem), 0.0)
    onehot = np.zeros((*out_id.shape, W.shape[1]))
    np.put_along_axis(onehot, out_id[..., None], np.isfinite(out_t)[..., None] * 1.0, axis=-1)
    V -= p.threshold * np.einsum("bge,ben->bgn", reset, onehot)
    return V, I


class _Grid:
    r"""The clock-driven discretisation shared by :func:`forward_on_grid` and the surrogate
    gradient of :mod:`snnlib.surrogate`: step :math:`n` covers :math:`[n\Delta t, (n+1)\Delta t)`.

    Over one step the linear ODE is integrated exactly: :math:`V \leftarrow \alpha V + \beta I`,
    :math:`I \leftarrow \gamma I` with :math:`\alpha = e^{-\Delta t/\tau_m}`,
    :math:`\gamma = e^{-\Delta t/\tau_s}`,
    :math:`\beta = \tfrac{\tau_s}{\tau_s - \tau_m}(\gamma - \alpha)`. An input arriving in a
    step is applied at the step's start; ``arrivals(n)`` gives its (sample, input) pairs.
    """

    def __init__(self, times: np.ndarray, ids: np.ndarray, p: LIFParams, t_max: float,
                 dt: float) -> None:
        self.dt = check_real(dt, "dt", positive=True)
        self.alpha, self.gamma = np.exp(-self.dt / p.tau_mem), np.exp(-self.dt / p.tau_syn)
        self.beta = p.tau_syn / (p.tau_syn - p.tau_mem) * (self.gamma - self.alpha)
        self.steps = int(np.floor(t_max / self.dt + 1e-9))
        step_of = np.where(np.isfinite(times), np.floor(times / self.dt),
                           self.steps + 1).astype(np.int64)
        order = np.argsort(step_of, axis=None, kind="stable")
        self._rows = np.broadcast_to(np.arange(times.shape[0])[:, None],
                                     times.shape).ravel()[order]
        self._ids = ids.ravel()[order]
        self._bounds = np.searchsorted(step_of.ravel()[order], np.arange(self.steps + 1))

    def arrivals(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The samples and input ids of the inputs applied at step ``n``."""
        part = slice(self._bounds[n], self._bounds[n + 1])
        return self._rows[part], self._ids[part]


def forward_on_grid(
    weights: Sequence[np.ndarray],
    input_times: np.ndarray,
    input_ids: np.ndarray,
    params: LIFParams,
    t_max: float,
    dt: float,
) -> list[Spikes]:
    r"""Clock-driven simulation of the same network on the grid :math:`t_n = n\,\Delta t`.

    Each step integrates the linear ODE exactly over :math:`\Delta t`,

    .. math::

        V \leftarrow e^{-\Delta t/\tau_m}V + \beta I, \quad
        I \leftarrow e^{-\Delta t/\tau_s} I, \quad
        \beta = \tfrac{\tau_s}{\tau_s - \tau_m}(e^{-\Delta t/\tau_s} - e^{-\Delta t/\tau_m}),

    so the only error is the grid: an input is applied at the start of the step that contains
    it; a spike is registered at the end of the step in which :math:`V \ge \vartheta`, the
    neuron is reset to :math:`V = 0` (the overshoot :math:`V - \vartheta`, of order
    :math:`\Delta t`, is discarded; :func:`forward` subtracts ϑ at the exact crossing, where
    :math:`V = \vartheta`, which also leaves 0), and the
    current it causes in the next layer is applied within that same step (layers are updated in
    order), i.e. from the step's start, like an input. The spike-time error is
    :math:`O(\Delta t)`. A baseline for :func:`forward`, vectorized over batch and neurons; the
    loop runs over time steps.

    Examples
    --------
    >>> w = [np.array([[10.0]])]
    >>> grid = forward_on_grid(w, np.array([[0.0]]), np.array([[0]]), LIFParams(), 10.0, 0.01)
    >>> float(grid[0].times[0, 0])   # exact: 2.826252 ms
    2.83
    """
    weights, times, ids, t_max = _check_network(weights, input_times, input_ids, params, t_max)
    grid = _Grid(times, ids, params, t_max, dt)
    p, alpha, beta, gamma = params, grid.alpha, grid.beta, grid.gamma
    batch = times.shape[0]
    V = [np.zeros((batch, W.shape[1])) for W in weights]
    I = [np.zeros((batch, W.shape[1])) for W in weights]
    recorders = [_Recorder(batch) for _ in weights]
    for n in range(grid.steps):
        rows, inputs = grid.arrivals(n)
        np.add.at(I[0], rows, weights[0][inputs])
        for k in range(len(weights)):
            V[k] = alpha * V[k] + beta * I[k]
            I[k] *= gamma
            fired = V[k] >= p.threshold
            if fired.any():
                V[k][fired] = 0.0
                b, j = np.nonzero(fired)
                recorders[k].add(b, np.full(b.size, (n + 1) * dt), j, I[k][b, j])
                if k + 1 < len(weights):
                    I[k + 1] += fired @ weights[k + 1]
    return [r.spikes()[0] for r in recorders]
