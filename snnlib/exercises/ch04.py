"""The checks of chapter 4's exercises: the closed-form step (warm-up) and the first threshold
crossing between two events (the bracketed crossing of :mod:`snnlib.lif`)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from itertools import product

import numpy as np
from scipy.optimize import brentq

from snnlib.exercises._core import Verdict, _close, _compare, _named, _stacked
from snnlib.lif import LIFParams, _next_crossing

__all__ = ["check_first_crossing", "check_lif_step"]


def _closed_form(V0, I0, s, tau_mem, tau_syn):
    b = I0 * tau_syn / (tau_syn - tau_mem)
    return (V0 - b) * np.exp(-s / tau_mem) + b * np.exp(-s / tau_syn)


def _reference_lif_step(V0, I0, s, params):
    V = _closed_form(V0, I0, s, params.tau_mem, params.tau_syn)
    return np.stack([V, I0 * np.exp(-s / params.tau_syn)])


def _scalar_math(candidate: Callable) -> Callable:
    """Name the commonest TypeError: ``math.exp`` (scalars only) applied to an array."""

    def run(*args):
        try:
            return candidate(*args)
        except TypeError as error:
            text = str(error)
            if "length-1" in text or "0-dimensional" in text or "real number" in text \
                    or "only size-1" in text:
                raise TypeError("math.exp works on single numbers, not arrays: use np.exp "
                                f"(the error was: {text})") from None
            raise

    run.__name__ = getattr(candidate, "__name__", "candidate")
    return run


def check_lif_step(
    candidate: Callable[[np.ndarray, np.ndarray, np.ndarray, LIFParams], tuple]
) -> Verdict:
    r"""Check ``candidate(V0, I0, s, params) -> (V, I)``: the state a time ``s`` after
    :math:`(V_0, I_0)` with no event in between, from the closed form
    :math:`V = a e^{-s/\tau_m} + b e^{-s/\tau_s}`, :math:`b = \tau_s I_0/(\tau_s - \tau_m)`,
    :math:`a = V_0 - b`, :math:`I = I_0 e^{-s/\tau_s}` (chapter 4's warm-up).

    Names these mistakes: V and I returned as (I, V); one stacked array instead of the pair
    (the contract is a pair, ``return V, I``; a list of two is accepted); a = V0 instead of
    V0 − b; V wrong at s = 0; the term b·exp(−s/τ_syn) or the whole current term dropped; a
    current that decays with the wrong time constant; V driven by a current held at I0;
    swapped time constants (everywhere, or only in the exponents); the sign of b flipped;
    τ_mem in b's numerator; the factor τ_syn of b dropped, or b = I0; exp(−s·τ) for
    exp(−s/τ); one Euler step instead of the exact solution; one time s[0] or s[−1] for every
    neuron; ``math.exp`` on arrays.

    Examples
    --------
    >>> def lif_step(V0, I0, s, params):
    ...     b = params.tau_syn * I0 / (params.tau_syn - params.tau_mem)
    ...     V = (V0 - b) * np.exp(-s / params.tau_mem) + b * np.exp(-s / params.tau_syn)
    ...     return V, I0 * np.exp(-s / params.tau_syn)
    >>> check_lif_step(lif_step).passed
    True
    """
    rng = np.random.default_rng(4)
    cases = []
    for params in (LIFParams(), LIFParams(tau_mem=10.0, tau_syn=15.0, threshold=2.0)):
        cases.append((np.array([0.0]), np.array([1.0]), np.array([0.0]), params))
        cases.append((rng.uniform(-1, 1, 50), rng.uniform(-5, 10, 50), rng.uniform(0, 40, 50),
                      params))

    def start(args, got, expected):
        if np.all(args[2] == 0) and not _close(got[0], args[0]):
            return "at s = 0 the membrane potential must be V0"
        return None

    def one_time(args, got, expected):
        V0, I0, s, p = args
        for k, name in ((0, "s[0]"), (-1, "s[-1]")):
            same = np.full_like(s, s[k])
            if s.size > 1 and _close(got[0], _closed_form(V0, I0, same, p.tau_mem, p.tau_syn)) \
                    and _close(got[1], I0 * np.exp(-same / p.tau_syn)):
                return (f"one time {name} for every neuron (a broadcasting slip): each neuron "
                        "advances by its own s")
        return None

    def current(args, got, expected):
        if not _close(got[1], expected[1]):
            return "the current is wrong: between events it decays as I0·exp(−s/τ_syn)"
        return None

    def variant(formula, message):
        def hint(args, got, expected):
            V0, I0, s, p = args
            return message if _close(got[0], formula(V0, I0, s, p)) else None
        return hint

    def held_in_V(args, got, expected):
        V0, I0, s, p = args
        if _close(got[0], I0 + (V0 - I0) * np.exp(-s / p.tau_mem)):
            return ("V follows a current held at I0 (V = I0 + (V0 − I0)·exp(−s/τ_mem)): the "
                    "current decays, so V = a·exp(−s/τ_mem) + b·exp(−s/τ_syn)")
        return None

    def pair_swapped(args, got, expected):
        if _close(got[::-1], expected):
            return "returned (I, V): return the pair in the order (V, I)"
        return None

    def b_of(I0, p):
        return p.tau_syn * I0 / (p.tau_syn - p.tau_mem)

    hints = (
        pair_swapped, one_time,
        variant(lambda V0, I0, s, p: V0 * np.exp(-s / p.tau_mem) + b_of(I0, p) * np.exp(
            -s / p.tau_syn), "a = V0 instead of V0 − b: then V(0) = V0 + b, not V0"),
        variant(lambda V0, I0, s, p: (V0 - b_of(I0, p)) * np.exp(-s / p.tau_mem),
                "the term b·exp(−s/τ_syn) is dropped: V = a·exp(−s/τ_mem) + b·exp(−s/τ_syn)"),
        start,
        variant(lambda V0, I0, s, p: V0 * np.exp(-s / p.tau_mem),
                "the current's term is dropped (V = V0·exp(−s/τ_mem) is the membrane without "
                "input): V = a·exp(−s/τ_mem) + b·exp(−s/τ_syn) with a = V0 − b"),
        variant(lambda V0, I0, s, p: _closed_form(V0, I0, s, p.tau_syn, p.tau_mem),
                "τ_mem and τ_syn are swapped in V"),
        variant(lambda V0, I0, s, p: (V0 - b_of(I0, p)) * np.exp(-s / p.tau_syn)
                + b_of(I0, p) * np.exp(-s / p.tau_mem),
                "τ_mem and τ_syn are swapped in the exponents: a decays with τ_mem, "
                "b with τ_syn"),
        held_in_V,
        variant(lambda V0, I0, s, p: _closed_form(V0, -I0, s, p.tau_mem, p.tau_syn),
                "the sign of b is flipped: b = τ_syn·I0/(τ_syn − τ_mem), which for I0 > 0 is "
                "negative when τ_syn < τ_mem"),
        variant(lambda V0, I0, s, p: _closed_form(V0, I0 * p.tau_mem / p.tau_syn, s,
                                                  p.tau_mem, p.tau_syn),
                "τ_mem in b's numerator: b = τ_syn·I0/(τ_syn − τ_mem)"),
        variant(lambda V0, I0, s, p: _closed_form(V0, I0 / p.tau_syn, s, p.tau_mem,
                                                  p.tau_syn),
                "the factor τ_syn of b is dropped: b = τ_syn·I0/(τ_syn − τ_mem), not "
                "I0/(τ_syn − τ_mem)"),
        variant(lambda V0, I0, s, p: (V0 - I0) * np.exp(-s / p.tau_mem) + I0 * np.exp(
            -s / p.tau_syn), "b = I0: the factor τ_syn/(τ_syn − τ_mem) of b is dropped"),
        variant(lambda V0, I0, s, p: (V0 - b_of(I0, p)) * np.exp(-s * p.tau_mem)
                + b_of(I0, p) * np.exp(-s * p.tau_syn),
                "exp(−s·τ) for exp(−s/τ): V = a·exp(−s/τ_mem) + b·exp(−s/τ_syn)"),
        variant(lambda V0, I0, s, p: V0 + s * (I0 - V0) / p.tau_mem,
                "one Euler step V0 + s·(I0 − V0)/τ_mem is not the exact solution: use the "
                "closed form"),
        current,
    )
    def as_pair(*args):
        out = _scalar_math(candidate)(*args)
        if isinstance(out, np.ndarray) and out.ndim == np.ndim(args[0]) + 1 \
                and out.shape[0] == 2:
            V, I = _reference_lif_step(*copy.deepcopy(args))
            right = "with the right values " if _close(out, np.stack([V, I])) else ""
            raise TypeError(f"returned one array of shape {out.shape} {right}(np.stack or "
                            "np.array of V and I?), not the pair (V, I): return V, I")
        return tuple(out) if isinstance(out, list) and len(out) == 2 else out

    return _named(candidate, _compare(_stacked(as_pair), cases, _reference_lif_step, hints))


# ---------------------------------------------------------------------------------------
# The first threshold crossing between two events
# ---------------------------------------------------------------------------------------

#: Stands for "no crossing" (+inf) inside the comparison, whose tolerance scales with the
#: largest expected value.
_NONE = -1.0


def _reference_first_crossing(V0, I0, duration, params):
    s = _next_crossing(V0[:, None], I0[:, None], duration[:, None], params)[:, 0]
    return np.where(np.isfinite(s), s, _NONE)


def _crossings_of(V: Callable, duration: np.ndarray, threshold: float) -> np.ndarray:
    """Every element's first upward crossing of ``threshold`` by the trajectory ``V(s)``
    within ``[0, duration]``, by dense sampling and brentq (only to recognise mistakes); NaN
    where the trajectory starts at or above ϑ (there a wrong formula's answer is ambiguous)."""
    out = np.full(duration.shape, _NONE)
    for i, d in enumerate(duration):
        s = np.linspace(0.0, d, 4001)
        g = V(s, i) - threshold
        if g[0] >= 0:
            out[i] = np.nan
            continue
        up = np.flatnonzero(g[1:] >= 0)
        if up.size:
            k = up[0]
            out[i] = brentq(lambda x, i=i: V(x, i) - threshold, s[k], s[k + 1], xtol=1e-14,
                            rtol=4 * np.finfo(float).eps)
    return out


def _matches(got: np.ndarray, other: np.ndarray) -> bool:
    """``got`` agrees with a mistaken trajectory's crossings wherever those are defined."""
    known = ~np.isnan(other)
    return bool(known.any()) and bool(np.allclose(got[known], other[known], rtol=1e-7,
                                                  atol=1e-9))


def _bracketed(V0: np.ndarray, I0: np.ndarray, duration: np.ndarray, p: LIFParams,
               end: float | np.ndarray, inside_by_end: bool = False,
               b_factor: float = 1.0) -> np.ndarray:
    """The solution's algorithm with one duration ``end`` in place of each neuron's own: the
    rising piece ends at s* if s* lies inside ``[0, duration]`` (or ``[0, end]`` with
    ``inside_by_end``), else at ``end``; the crossing on ``[0, hi]`` by bisection if
    I0 > V0 and V(hi) ≥ ϑ, else ``_NONE`` (only to recognise slips: a broadcasting slip, or,
    with ``end = duration``, b multiplied by ``b_factor``)."""
    tm, ts, th = p.tau_mem, p.tau_syn, p.threshold
    b = ts * I0 / (ts - tm) * b_factor
    a = V0 - b

    def V(s):
        return a * np.exp(-s / tm) + b * np.exp(-s / ts)

    with np.errstate(divide="ignore", invalid="ignore"):
        s_star = np.log(-b * tm / (a * ts)) / (1 / ts - 1 / tm)
    inside = (s_star > 0) & (s_star < (end if inside_by_end else duration))
    hi = np.where(inside, s_star, end).astype(float)
    crosses = (I0 > V0) & (V(hi) >= th)
    lo = np.zeros_like(hi)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        below = V(mid) < th
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.where(V0 >= th, 0.0, np.where(crosses, hi, _NONE))


def _grazing_weight(p: LIFParams) -> float:
    """The weight w* of one input from rest whose peak just touches ϑ: ϑ/κ(s*), with
    s* = ln(τ_m/τ_s)/(1/τ_s − 1/τ_m) (chapter 4, ex-threshold-weight)."""
    tm, ts = p.tau_mem, p.tau_syn
    s_star = np.log(tm / ts) / (1 / ts - 1 / tm)
    kappa = ts / (ts - tm) * (np.exp(-s_star / ts) - np.exp(-s_star / tm))
    return float(p.threshold / kappa)


def _first_crossing_cases() -> list[tuple]:
    p, q = LIFParams(), LIFParams(tau_mem=10.0, tau_syn=15.0, threshold=2.0)
    w_star = _grazing_weight(p)  # 6.3496042…: the peak touches ϑ = 1
    rng = np.random.default_rng(44)
    cases = [(rng.uniform(-0.5, 1.0, 1000) * params.threshold,
              rng.uniform(-12.0, 12.0, 1000) * params.threshold,
              rng.choice([0.5, 2.0, 5.0, 40.0], 1000), params) for params in (p, q)]
    cases += [
        # ties: V0 exactly at ϑ (falling and rising), zero duration, I0 = V0, at rest; and
        # V0 above ϑ (falling and rising)
        (np.array([1.0, 1.0, 1.0, 0.5, 0.0, 0.3, 0.3, 1.2, 1.2]),
         np.array([0.5, 3.0, 1.0, 3.0, 0.0, 0.3, 20.0, 0.5, 3.0]),
         np.array([10.0, 10.0, 0.0, 0.0, 10.0, 10.0, 10.0, 10.0, 10.0]), p),
        # one input from rest near the critical weight w*: crosses up and back down before
        # the interval ends (V(duration) < ϑ), or peaks after the interval ends
        (np.zeros(6), w_star * np.array([1.0 + 1e-6, 1.05, 1.5, 3.0, 1.5, 0.99]),
         np.array([30.0, 30.0, 30.0, 30.0, 3.0, 30.0]), p),
        _grazing_set(w_star, p),
    ]
    return cases


def _grazing_set(w_star: float, p: LIFParams) -> tuple:
    """Twenty-one grazing crossings, w*(1 + 10⁻¹⁰), above ϑ for 2·0.0141·√(10⁻¹⁰/10⁻⁶) =
    2.8·10⁻⁴ ms only, next to one wide up-and-down crossing (1.5w*): a grid search with a fixed
    step misses at least one of them for every step scanned from 0.4 to 5 µs in steps of
    0.001 µs; other steps, above all near the window, can land a sample in every window by
    chance. Each state is the
    one reached a random time s₀ ∈ (0, 2) ms after the input, so the peaks, at s* − s₀, fall
    at unrelated times (when every case started from rest, all peaked at 9.241962 ms and a
    1 µs grid hit them all); eleven durations vary the grid too. (At 10⁻¹¹ such a shifted
    start is too ill-conditioned for the 10⁻¹⁰ tolerance.)"""
    s0 = np.random.default_rng(45).uniform(0.0, 2.0, 22)
    w = w_star * np.array([1.0 + 1e-10] * 21 + [1.5])
    tm, ts = p.tau_mem, p.tau_syn
    V0 = w * ts / (ts - tm) * (np.exp(-s0 / ts) - np.exp(-s0 / tm))
    return (V0, w * np.exp(-s0 / ts),
            np.tile([30.0, 17.3, 30.0, 23.7, 41.3, 17.9, 35.1, 30.0, 26.9, 19.4, 33.3], 2), p)


def check_first_crossing(
    candidate: Callable[[np.ndarray, np.ndarray, np.ndarray, LIFParams], np.ndarray]
) -> Verdict:
    r"""Check ``candidate(V0, I0, duration, params) -> s``: for each neuron (arrays of equal
    shape), the time ``s`` in ``[0, duration]`` at which the closed-form trajectory
    :math:`V(s) = a e^{-s/\tau_m} + b e^{-s/\tau_s}` from :math:`(V_0, I_0)` first reaches
    ϑ — ``0`` if :math:`V_0 \ge \vartheta` already, ``+inf`` if it does not reach ϑ within the
    interval — to rounding (relative :math:`10^{-10}`).

    The reference is the event step of :func:`snnlib.lif.forward` for recurrent layers
    (``snnlib.lif._next_crossing``: the bracket of prop-bracketing, then Halley's method).
    The cases include V0 exactly at ϑ, zero durations, I0 = V0, a crossing up and back down
    within the interval, a peak beyond the interval's end, and two sets of time constants
    (τ_syn < τ_mem and τ_syn > τ_mem), and 21 grazing crossings at w*(1 + 10⁻¹⁰), above ϑ for
    2.8·10⁻⁴ ms only and peaking at unrelated times: a grid search with any fixed step scanned
    from 0.4 to 5 µs (in steps of 0.001 µs) misses at least one of them. Names these mistakes: a
    grid search (sampled maximum) that steps over a grazing crossing; ``>`` for ``≥`` at V0 = ϑ,
    or the branch V0 ≥ ϑ → 0 missing; the threshold hard-coded as 1 (the second set has ϑ = 2);
    the bracket ended at the interval's end instead of at the peak (a crossing followed by a
    fall is missed); the bracket not clipped at the interval's end; one duration
    (``duration.max()`` or ``duration[0]``) for every neuron; the second (downward) crossing;
    swapped time constants; the sign of b; τ_mem in b's numerator; the factor τ_syn of b dropped
    (b = I0/(τ_syn − τ_mem)); b = I0; the exponents swapped in V only (V = a·exp(−s/τ_syn) +
    b·exp(−s/τ_mem)); exp(−s·τ) for exp(−s/τ); the current held at I0; the term b·exp(−s/τ_syn)
    dropped with a = V0 − b kept (V(0) = V0 − b, so a "crossing" at s ≈ 0 where V0 − b ≥ ϑ); no
    crossing found at all (the sign of b flipped together with the rising test I0 > V0, the
    whole current term dropped, V = V0·exp(−s/τ_mem), a = V0, or the b-term dropped throughout
    with rising judged by the slope of a·exp(−s/τ_mem): the four give the same answers here;
    where b = I0, the swapped exponents or exp(−s·τ) also find none, one probe state per slip on
    which it does find a crossing names it); a crossing located but not refined; NaN, None or
    the duration for "no crossing"; a root finder's unconverged iterate returned where V never
    reaches ϑ; ``math.exp`` on arrays. Not caught: ``V(hi) > ϑ`` for ``V(hi) ≥ ϑ`` in the
    crossing test, which differs only where V touches ϑ exactly at the peak or the interval's
    end — a tie that rounding does not let a case pin down.

    Examples
    --------
    >>> def first_crossing(V0, I0, duration, params):      # decides at the interval's end
    ...     b = params.tau_syn * I0 / (params.tau_syn - params.tau_mem)
    ...     V = lambda s: (V0 - b) * np.exp(-s / params.tau_mem) + b * np.exp(-s / params.tau_syn)
    ...     lo, hi = np.zeros_like(V0), duration.copy()
    ...     for _ in range(200):
    ...         mid = 0.5 * (lo + hi)
    ...         below = V(mid) < params.threshold
    ...         lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    ...     return np.where(V0 >= params.threshold, 0.0,
    ...                     np.where(V(duration) >= params.threshold, hi, np.inf))
    >>> verdict = check_first_crossing(first_crossing)
    >>> verdict.passed, "bracket" in verdict.message
    (False, True)
    """
    cases = _first_crossing_cases()

    def run(V0, I0, duration, params):
        got = _scalar_math(candidate)(V0, I0, duration, params)
        if got is None:
            raise TypeError("returned None: return an array of crossing times (+inf where "
                            "there is none)")
        got = np.asarray(got)
        if got.dtype.kind != "f":    # a narrower float is kept: its precision is named
            got = got.astype(float)
        if (got < 0).any():  # before -1 could pass for the sentinel _NONE
            raise ValueError("returned a negative time (−1 for 'no crossing'?): a crossing "
                             "time is s ≥ 0; return +inf where V does not reach ϑ")
        return np.where(np.isposinf(got), _NONE, got)

    def nan(args, got, expected):
        if np.isnan(got).any():
            return "returned NaN: where V does not reach ϑ within the interval, return +inf"
        return None

    def at_threshold(args, got, expected):
        V0, th = args[0], args[3].threshold
        late = np.abs(got) > 1e-12  # not s = 0
        if ((V0 > th) & late).any():
            return ("V0 is above ϑ but the answer is not s = 0: the branch V0 ≥ ϑ → s = 0 is "
                    "missing (a neuron that starts at or above ϑ fires now)")
        if ((V0 == th) & late).any():
            return ("V0 is exactly ϑ but the answer is not s = 0: the neuron is at threshold, "
                    "so it fires now (compare with ≥, not >)")
        return None

    def threshold_one(args, got, expected):
        V0, I0, duration, p = args
        if p.threshold != 1.0 and _matches(got, _reference_first_crossing(
                V0, I0, duration, replace(p, threshold=1.0))):
            return (f"these are the crossings of 1, not of ϑ = {p.threshold:g}: the threshold "
                    "is hard-coded as 1.0 — use params.threshold")
        return None

    def dropped_b(args, got, expected):
        V0, I0, duration, p = args
        b = p.tau_syn * I0 / (p.tau_syn - p.tau_mem)
        # s ≈ 0 for a neuron that starts below ϑ and does not cross at once
        at_once = (V0 < p.threshold) & (np.abs(got) <= 1e-9 * np.maximum(duration, 1.0)) \
            & (np.abs(expected) > 1e-6)
        if not at_once.any():
            return None
        wrong_elsewhere = (got > 1e-9) & (got != _NONE) & ~np.isclose(got, expected, rtol=1e-6)
        if wrong_elsewhere.any():   # wrong crossings as well: not the start alone (below)
            return None
        if (V0 - b >= p.threshold)[at_once].all():
            return ("returned s ≈ 0 for a neuron that starts below ϑ, where V0 − b ≥ ϑ: the "
                    "term b·exp(−s/τ_syn) is dropped, so V(0) = a = V0 − b instead of V0 — "
                    "V = a·exp(−s/τ_mem) + b·exp(−s/τ_syn)")
        i = np.flatnonzero(at_once)[0]
        return (f"returned s ≈ 0 for a neuron that starts below ϑ (V0 = {V0[i]:.3g}, "
                f"I0 = {I0[i]:.3g}): s = 0 needs V0 ≥ ϑ — does your V start at V(0) = V0?")

    def one_duration(args, got, expected, modes=(False, True)):
        V0, I0, duration, p = args
        for end, by_end in product(np.unique([duration[0], duration[-1], duration.max()]),
                                   modes):
            if _matches(got, _bracketed(V0, I0, duration, p, end, by_end)):
                names = " or ".join(name for name, value in (
                    ("duration.max()", duration.max()), ("duration[0]", duration[0]),
                    ("duration[-1]", duration[-1])) if value == end)
                return (f"the rising piece ends at one duration, {end:g} ms ({names}), for "
                        "every neuron — a broadcasting slip: each neuron's interval has its "
                        "own duration, np.where(peak_inside, s_star, duration) elementwise")
        return None

    def trajectory(V0, I0, p, tau_mem=None, tau_syn=None, mode="exact"):
        tm, ts = tau_mem or p.tau_mem, tau_syn or p.tau_syn

        def V(s, i):
            if mode == "held":
                return I0[i] + (V0[i] - I0[i]) * np.exp(-s / tm)
            b = I0[i] * ts / (ts - tm)
            return (V0[i] - b) * np.exp(-s / tm) + b * np.exp(-s / ts)
        return V

    def one_duration_strict(args, got, expected):
        # the peak tested against each neuron's own duration, one end for all: told apart from
        # an unclipped bracket, which the looser test (peak inside the one end) also matches
        return one_duration(args, got, expected, modes=(False,))

    def beyond(args, got, expected):
        duration = args[2]
        if (got > duration * (1 + 1e-12)).any():
            clip = ("returned a crossing after the interval's end (s > duration): the next "
                    "event changes the current first, so clip the bracket at the duration")
            V0, I0, _, p = args
            unclipped = _matches(got, _bracketed(V0, I0, duration, p, np.inf, True))
            named = one_duration(args, got, expected, modes=(True,))
            if named and unclipped:   # on this case both slips give the same answer
                return (f"{clip}, each neuron's own: a bracket clipped nowhere, or clipped at "
                        "one duration for every neuron (a broadcasting slip), gives this answer")
            return named or clip
        return None

    def duration_for_none(args, got, expected):
        duration = args[2]
        none = expected == _NONE
        if none.any() and np.allclose(got[none], duration[none], rtol=1e-12) \
                and np.allclose(got[~none], expected[~none], rtol=1e-8, atol=1e-12):
            return ("where V does not reach ϑ within the interval, return np.inf, not the "
                    "interval's end: the duration would read as a spike at the end")
        return None

    def decided_at_peak(args, got, expected):
        V0, I0, duration, p = args
        V = trajectory(V0, I0, p)
        at_end = np.isclose(got, duration, rtol=1e-9) & (expected == _NONE)
        if any(V(duration[i], i) < p.threshold for i in np.flatnonzero(at_end)):
            return ("reported a crossing at the interval's end where V stays below ϑ: the "
                    "peak s* lies after the end, so decide with V at the bracket's clipped "
                    "end, min(s*, duration), not at s* itself")
        return None

    def downward(args, got, expected):
        V0, I0, _, p = args
        a_b = trajectory(V0, I0, p)
        for i in np.flatnonzero((got > 0) & ~np.isclose(got, expected, rtol=1e-8)):
            slope = (a_b(got[i] + 1e-7, i) - a_b(got[i] - 1e-7, i))
            if slope < 0 and abs(a_b(got[i], i) - p.threshold) < 1e-6:
                return ("returned the downward crossing (V falling back through ϑ): the spike "
                        "is the first, upward crossing, on the rising piece before the peak")
        return None

    def fall_back(args, expected):
        V0, I0, duration, p = args
        V = trajectory(V0, I0, p)
        return np.array([expected[i] > 0 and V(duration[i], i) < p.threshold
                         for i in range(duration.size)], dtype=bool)

    def grid(args, got, expected):
        # a sampled grid (or sampled maximum) finds the wide up-and-down crossings but
        # steps over the narrow window of a grazing one
        missed = (got == _NONE) & (expected > 0)
        back = fall_back(args, expected)
        V0, I0, duration, p = args
        V = trajectory(V0, I0, p)
        # a grid misses only narrow windows: V back below ϑ within 0.05 ms of the crossing (the
        # cases' widest grazing window, at w*(1 + 10⁻⁶), is 0.028 ms)
        narrow = all(V(min(expected[i] + 0.05, duration[i]), i) < p.threshold
                     for i in np.flatnonzero(missed))
        if missed.any() and narrow and not missed[~back].any() and (back & ~missed).any():
            return ("a grid search (or a sampled maximum) misses a grazing crossing: V stays "
                    "above ϑ for less than one grid step, so no sample sees it — bracket at "
                    "the peak s* instead of sampling")
        return None

    def missed_fall(args, got, expected):
        missed = (got == _NONE) & (expected > 0)
        if (missed & fall_back(args, expected)).any():
            return ("missed a crossing where V rises above ϑ and falls back below before the "
                    "interval ends: deciding by V(duration) ≥ ϑ (or by V at a wrong peak "
                    "time) is the wrong bracket end — bracket at the peak s* when it lies "
                    "inside the interval")
        return None

    def variant(message, **kwargs):
        def hint(args, got, expected):
            V0, I0, duration, p = args
            other = _crossings_of(trajectory(V0, I0, p, **kwargs), duration, p.threshold)
            if _matches(got, other):
                return message
            return None
        return hint

    def not_a_crossing(args, got, expected):
        V0, I0, _, p = args
        V = trajectory(V0, I0, p)
        rows = np.flatnonzero((got != _NONE) & (expected != _NONE) & (V0 < p.threshold))
        # below ϑ: neither a crossing nor an unrefined bracket's end (where V ≥ ϑ)
        far = [i for i in rows if V(got[i], i) < p.threshold - 1e-3]
        if not far:
            return None
        i = far[0]
        return (f"returned times where V is below ϑ (V = {V(got[i], i):.4g} at s = "
                f"{got[i]:.4g} ms, neuron {i}): not crossings — is the bisection's bracket "
                "[0, min(s*, duration)], where V rises, and does it keep the half with the "
                "crossing (lo = mid where V(mid) < ϑ, else hi = mid)?")

    def invented(args, got, expected):
        V0, I0, _, p = args
        V = trajectory(V0, I0, p)
        rows = np.flatnonzero((got != _NONE) & (expected == _NONE) & (V0 < p.threshold))
        far = [i for i in rows if np.isfinite(got[i]) and V(got[i], i) < p.threshold - 1e-3]
        if not far:
            return None
        i = far[0]
        return (f"returned a crossing where V never reaches ϑ (V = {V(got[i], i):.4g} at s = "
                f"{got[i]:.4g} ms, neuron {i}): a root finder's last iterate is not a root "
                "unless it converged — test |V(s) − ϑ| (or decide from V at the end of the "
                "rising piece first) and return np.inf where V stays below ϑ")

    def unrefined(args, got, expected):
        same = (got == _NONE) == (expected == _NONE)
        if same.all() and np.abs(got - expected).max() > 0:  # reached only if the comparison failed
            return (f"the crossing is located but not refined (largest error "
                    f"{np.abs(got - expected).max():.2g} ms): iterate (bisection, Newton or "
                    "Halley inside the bracket) until V(s) − ϑ is at rounding level")
        return None

    def sign_of_b(args, got, expected):
        V0, I0, duration, p = args
        # flipping b's sign gives the closed form for −I0 from the same V0
        other = _crossings_of(trajectory(V0, -I0, p), duration, p.threshold)
        if _matches(got, other):
            return ("the sign of b is flipped: b = τ_syn·I0/(τ_syn − τ_mem), which for I0 > 0 "
                    "is negative when τ_syn < τ_mem")
        return None

    def numerator(args, got, expected):
        V0, I0, duration, p = args
        factor = p.tau_mem / p.tau_syn
        other = _crossings_of(trajectory(V0, I0 * factor, p), duration, p.threshold)
        # the same slip inside the solution's bracket, rising judged by I0 > V0
        bracketed = _bracketed(V0, I0, duration, p, duration, b_factor=factor)
        if _matches(got, other) or _matches(got, bracketed):
            return "τ_mem in b's numerator: b = τ_syn·I0/(τ_syn − τ_mem)"
        return None

    def swapped(args, got, expected):
        V0, I0, duration, p = args
        other = _crossings_of(trajectory(V0, I0, p, tau_mem=p.tau_syn, tau_syn=p.tau_mem),
                              duration, p.threshold)
        if _matches(got, other):
            return "τ_mem and τ_syn are swapped in V"
        return None

    def slips(V0, I0, p):
        """Trajectories of slips in the closed form that keep a = V0 − b (so V(0) = V0),
        with the messages that name them."""
        tm, ts = p.tau_mem, p.tau_syn

        def closed(b_of, exponents):
            def V(s, i):
                b = b_of(I0[i])
                e_m, e_s = exponents(s)
                return (V0[i] - b) * e_m + b * e_s
            return V

        def divided(s):
            return np.exp(-s / tm), np.exp(-s / ts)

        def b_right(current):
            return ts * current / (ts - tm)

        return [
            ("the factor τ_syn of b is dropped: b = τ_syn·I0/(τ_syn − τ_mem), not "
             "I0/(τ_syn − τ_mem)", closed(lambda current: current / (ts - tm), divided)),
            ("b = I0: the factor τ_syn/(τ_syn − τ_mem) of b = τ_syn·I0/(τ_syn − τ_mem) is "
             "dropped", closed(lambda current: current, divided)),
            ("the exponents are swapped in V only (a transposition): V = a·exp(−s/τ_mem) + "
             "b·exp(−s/τ_syn) with a = V0 − b", closed(b_right, lambda s: divided(s)[::-1])),
            ("exp(−s·τ) for exp(−s/τ): V = a·exp(−s/τ_mem) + b·exp(−s/τ_syn)",
             closed(b_right, lambda s: (np.exp(-s * tm), np.exp(-s * ts)))),
        ]

    def slip(args, got, expected):
        V0, I0, duration, p = args
        below = V0 < p.threshold
        for message, V in slips(V0, I0, p):
            other = _crossings_of(V, duration, p.threshold)
            if (other[below] > 0).any() and _matches(got, other):
                return message
        return None

    # One state per slip (the order of ``slips``) on which that slip finds a crossing, with
    # either rising test, where the cases' first set gives it none (the first slip is named
    # on the cases themselves)
    probes = [None,
              (np.array([0.0]), np.array([30.0]), np.array([40.0]),
               LIFParams(tau_mem=10.0, tau_syn=15.0, threshold=2.0)),
              (np.array([-50.0]), np.array([-40.0]), np.array([20.0]), LIFParams()),
              (np.array([-40.0]), np.array([-30.0]), np.array([0.25]), LIFParams())]

    def probed_slip():
        """The slip whose crossing the candidate finds on its probe state, or None."""
        for k, probe in enumerate(probes):
            if probe is None:
                continue
            V0, I0, duration, p = probe
            message, V = slips(V0, I0, p)[k]
            try:
                got = run(*copy.deepcopy(probe))
            except Exception:  # the reader's code: whatever it raises names no slip
                return None
            other = _crossings_of(V, duration, p.threshold)
            if got.shape == other.shape and _matches(got, other):
                return message
        return None

    def none_found(args, got, expected):
        V0, _, _, p = args
        below = V0 < p.threshold
        if (expected[below] > 0).sum() >= 3 and not (got[below] > 0).any():
            named = probed_slip()
            if named:
                return (f"found no crossing where snnlib finds {(expected[below] > 0).sum()}, "
                        f"and a test state shows the formula: {named}")
            return (f"found no crossing where snnlib finds {(expected[below] > 0).sum()}: the "
                    "trajectory never rises to ϑ. Four mistakes give this answer on these "
                    "cases: is the sign of b flipped (b = τ_syn·I0/(τ_syn − τ_mem); "
                    "flipped, V follows the current −I0 instead of I0), the whole current "
                    "term dropped (V = V0·exp(−s/τ_mem), the membrane without input), "
                    "a = V0 instead of V0 − b (a = V0 − b makes V(0) = V0), or the term "
                    "b·exp(−s/τ_syn) dropped throughout, rising judged by the slope of "
                    "V = a·exp(−s/τ_mem)?")
        return None

    hints = (
        nan, threshold_one, at_threshold, dropped_b, one_duration_strict, beyond,
        duration_for_none, decided_at_peak,
        one_duration,
        downward, swapped,
        sign_of_b, numerator, slip, none_found,
        grid, variant("the current is held at I0: it decays as I0·exp(−s/τ_syn), so V follows the "
                "closed form with two exponentials", mode="held"),
        missed_fall, not_a_crossing, invented, unrefined,
    )
    return _named(candidate, _compare(run, cases, _reference_first_crossing, hints))
