r"""Data sets: the Yin-Yang classification task, latency encoding, and a memory task.

The Yin-Yang data set (Kriener, Göltz & Petrovici 2022) places points in a disc of radius
:math:`r_\mathrm{big}` divided into three classes: yin, yang and two small dots of radius
:math:`r_\mathrm{small}`. Features are :math:`(x, y, 1 - x, 1 - y)`. The generator here follows the
published one draw for draw, with its own legacy ``numpy.random.RandomState(seed)`` (never the
global one), so the same seed gives the same arrays. Chapter 7.

Contents
--------
yin_yang_class
    The class of points (x, y), vectorized.
yin_yang
    ``(X, y)`` for ``n`` samples and a seed; standard splits use seeds 42 (train, 5000),
    41 (validation, 1000) and 40 (test, 1000).
latency_encode
    Features to input spike times :math:`t = t_{\max} x` (plus a bias spike at 0).
delayed_recall
    Which of two channels spiked, with the answer read out after a late cue.
"""

from __future__ import annotations

import numbers

import numpy as np

from snnlib._validation import check_finite_array, check_real

__all__ = ["delayed_recall", "latency_encode", "yin_yang", "yin_yang_class"]


def yin_yang_class(
    x: np.ndarray, y: np.ndarray, r_small: float = 0.1, r_big: float = 0.5
) -> np.ndarray:
    r"""Class of each point: 2 for the dots, 1 for yin, 0 for yang.

    With :math:`d_r, d_l` the distances to :math:`(1.5 r_\mathrm{big}, r_\mathrm{big})` and
    :math:`(0.5 r_\mathrm{big}, r_\mathrm{big})`: class 2 if :math:`d_r < r_\mathrm{small}` or
    :math:`d_l < r_\mathrm{small}`; else 1 if :math:`d_r \le r_\mathrm{small}` or
    :math:`r_\mathrm{small} < d_l \le r_\mathrm{big}/2` or
    (:math:`y > r_\mathrm{big}` and :math:`d_r > r_\mathrm{big}/2`); else 0.

    Examples
    --------
    >>> yin_yang_class(np.array([0.75, 0.25, 0.5, 0.5]), np.array([0.5, 0.5, 0.9, 0.1])).tolist()
    [2, 2, 1, 0]
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    d_right = np.sqrt((x - 1.5 * r_big) ** 2 + (y - r_big) ** 2)
    d_left = np.sqrt((x - 0.5 * r_big) ** 2 + (y - r_big) ** 2)
    yin = (d_right <= r_small) | ((d_left > r_small) & (d_left <= 0.5 * r_big)) | (
        (y > r_big) & (d_right > 0.5 * r_big)
    )
    dots = (d_right < r_small) | (d_left < r_small)
    return np.where(dots, 2, yin.astype(int))


def yin_yang(
    n: int, seed: int, r_small: float = 0.1, r_big: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Generate ``n`` Yin-Yang samples exactly as the published generator does.

    For each sample: draw ``goal = randint(3)``, then draw ``(x, y) = rand(2) * 2 * r_big``
    until the point lies in the big disc and has class ``goal`` (rejection sampling keeps the
    classes balanced). The draws are sequential by nature, so this loops over samples; it is a
    data generator, not a hot path.

    Returns
    -------
    X : ndarray, shape (n, 4)
        Features ``(x, y, 1 - x, 1 - y)``.
    y : ndarray of int, shape (n,)
        Classes 0, 1, 2.

    Examples
    --------
    >>> X, y = yin_yang(3, seed=42)
    >>> X.shape, y.dtype.kind
    ((3, 4), 'i')
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    r_small = check_real(r_small, "r_small", positive=True)
    r_big = check_real(r_big, "r_big", positive=True)
    rng = np.random.RandomState(seed)  # the published generator's legacy stream, local
    points = np.empty((n, 2))
    labels = np.empty(n, dtype=int)
    for i in range(n):
        goal = rng.randint(3)
        while True:
            x, y = rng.rand(2) * 2.0 * r_big
            if np.sqrt((x - r_big) ** 2 + (y - r_big) ** 2) > r_big:
                continue
            if int(yin_yang_class(x, y, r_small, r_big)) == goal:
                break
        points[i] = x, y
        labels[i] = goal
    X = np.concatenate([points, 1.0 - points], axis=1)
    return X, labels


def latency_encode(
    X: np.ndarray, t_max: float = 30.0, bias: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    r"""Encode features in :math:`[0, 1]` as spike times :math:`t = t_{\max} x` (ms).

    Feature :math:`k` becomes input neuron :math:`k`; with ``bias`` an extra input neuron
    (index ``X.shape[1]``) spikes at :math:`t = 0`. Returns ``(input_times, input_ids)`` of shape
    (n, n_inputs), sorted along the last axis — the event-list format of :mod:`snnlib.lif`.

    Examples
    --------
    >>> times, ids = latency_encode(np.array([[0.5, 0.1]]), t_max=10.0)
    >>> times.tolist(), ids.tolist()
    ([[0.0, 1.0, 5.0]], [[2, 1, 0]])
    """
    X = check_finite_array(X, "X", ndim=2)
    t_max = check_real(t_max, "t_max", positive=True)
    if X.size and (X.min() < 0 or X.max() > 1):
        raise ValueError(f"X must lie in [0, 1], got values in [{X.min()}, {X.max()}]")
    times = X * t_max
    ids = np.broadcast_to(np.arange(X.shape[1]), X.shape)
    if bias:
        times = np.concatenate([times, np.zeros((X.shape[0], 1))], axis=1)
        ids = np.concatenate([ids, np.full((X.shape[0], 1), X.shape[1])], axis=1)
    order = np.argsort(times, axis=1, kind="stable")
    rows = np.arange(X.shape[0])[:, None]
    return times[rows, order], np.asarray(ids)[rows, order].astype(np.intp)


def delayed_recall(
    n: int, seed: int, cue_time: float = 100.0, jitter: float = 5.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""A task that needs memory: which of two channels spiked, asked long after.

    Each sample has two input events: one spike on channel :math:`y \in \{0, 1\}` (the label)
    at a time drawn uniformly from :math:`[0, \text{jitter}]`, and a cue spike on channel 2 at
    ``cue_time``. The answer is read out after the cue, when a trace of the stimulus decayed
    with :math:`\tau_\mathrm{mem}` has shrunk by :math:`e^{-(t_c - t)/\tau_\mathrm{mem}}`
    (below 1 % for the defaults and :math:`\tau_\mathrm{mem}` = 20 ms). Chapter 7.

    Returns
    -------
    times, ids : ndarray, shape (n, 2)
        Input events, sorted per sample (the format of :func:`snnlib.lif.forward`).
    labels : ndarray of int, shape (n,)

    Examples
    --------
    >>> times, ids, labels = delayed_recall(3, seed=0)
    >>> times[:, 1].tolist(), ids[:, 1].tolist(), bool(np.all(ids[:, 0] == labels))
    ([100.0, 100.0, 100.0], [2, 2, 2], True)
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    cue_time = check_real(cue_time, "cue_time", positive=True)
    jitter = check_real(jitter, "jitter", positive=True)
    if jitter >= cue_time:
        raise ValueError(f"jitter must be < cue_time, got {jitter!r} >= {cue_time!r}")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    onset = rng.uniform(0.0, jitter, size=n)
    times = np.stack([onset, np.full(n, cue_time)], axis=1)
    ids = np.stack([labels, np.full(n, 2)], axis=1).astype(np.intp)
    return times, ids, labels
