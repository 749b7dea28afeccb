r"""The checks of chapter 8's exercises: the Alexiewicz norm (warm-up) and integrate-and-fire
with reset to mod (the "Implement …" exercise)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.signal import lfilter

from snnlib.exercises._core import Verdict, _close, _compare, _float32_hint
from snnlib.sampling import alexiewicz_norm, integrate_and_fire

__all__ = ["check_alexiewicz_norm", "check_integrate_and_fire"]


# ---------------------------------------------------------------------------------------
# Warm-up: the Alexiewicz norm
# ---------------------------------------------------------------------------------------


def _partial(x: np.ndarray, dt: float) -> np.ndarray:
    return np.cumsum(x) * dt


def check_alexiewicz_norm(candidate: Callable[[np.ndarray, float], float]) -> Verdict:
    r"""Check ``candidate(x, dt)`` :math:`= \max_n |\sum_{k \le n} x_k \Delta t|` for 1-D ``x``.

    The cases include ones whose largest partial integral is the last one, and one whose
    largest is the first (an off-by-one that drops either fails), and values on the grid
    :math:`\tfrac12\mathbb{Z}`. On the first case most named mistakes give distinct values;
    where two coincide (the largest :math:`P_n` and the smallest :math:`|P_n|`: 0.5; tail sums
    and the interval form: 3.25) a probe tells them apart, and the last :math:`|P_N|` alone and
    a dropped first partial sum give the right 2.75 there and fail on later cases. Named
    mistakes: a
    missing :math:`\Delta t`, a missing :math:`|\cdot|`, partial means instead of partial sums
    (told apart from a dropped partial sum by a probe on a constant input), a dropped first or
    last partial sum, tail sums :math:`\sum_{k \ge n}`, the interval form
    :math:`\max_n P_n - \min_n P_n`,
    :math:`\max_n |P_n| - \min_n |P_n|`, the trapezoid rule, :math:`\Delta t` applied twice,
    :math:`\Delta t` dividing, the :math:`L^1` norm, the largest sample, the smallest
    :math:`|P_n|` instead of the largest, the last :math:`|P_N|` only, an :math:`\ell^2` norm
    of the samples or of the partial sums, the mean of the partial sums.

    Examples
    --------
    >>> def norm(x, dt):
    ...     return np.max(np.cumsum(x)) * dt               # no absolute value
    >>> print(check_alexiewicz_norm(norm))
    norm: not yet — the largest partial sum without |·|: a negative excursion counts too (case 1)
    >>> def norm(x, dt):
    ...     return np.max(np.abs(np.cumsum(x)[:-1] * dt))  # drops the last partial sum
    >>> check_alexiewicz_norm(norm).passed
    False
    """
    rng = np.random.default_rng(8)
    cases = [(np.array([-1.5, 2.5, -2.5, -2.0, -2.0]), 0.5),  # every mistake gives its own value
             (np.array([1.0, -3.0, 1.0, 1.0]), 1.0), (np.array([-1.0, -1.0, 0.5]), 1.0),
             (np.array([-0.5, 1.0, -2.0, 0.25, -1.5]), 0.5),
             (rng.normal(size=200), 0.1), (np.sin(np.linspace(0, 20, 400)), 0.05),
             (np.array([3.0, -1.0, -1.0]), 1.0)]  # the first partial sum is the largest

    def scales_like(power, factor=1.0):
        """Whether the candidate also gives the norm times factor·Δt^power at Δt = 0.3 (on this
        case's Δt alone, a constant factor such as ½ can pass for Δt = 0.5)."""
        probe = np.array([1.0, 2.0, -4.0, 0.5])
        try:
            got = float(np.asarray(candidate(probe.copy(), 0.3), dtype=float))
        except Exception:  # any failure on the probe: not this mistake
            return False
        return bool(np.isclose(got, alexiewicz_norm(probe, dt=0.3) * factor * 0.3**power))

    def dt_factor(args, got, expected):
        dt = args[1]
        if dt != 1.0 and np.isclose(float(got), float(expected) / dt) and scales_like(-1):
            return "the factor Δt is missing: the partial integrals are Σ x_k Δt"
        if dt != 1.0 and np.isclose(float(got), float(expected) * dt) and scales_like(1):
            return "Δt is applied twice (Δt²): the partial integrals are Σ x_k Δt"
        if dt != 1.0 and np.isclose(float(got), float(expected) / dt**2) and scales_like(-2):
            return "Δt divides instead of multiplying: the partial integrals are Σ x_k Δt, " \
                   "not Σ x_k / Δt"
        ratio = float(got) / float(expected) if float(expected) else np.nan
        if np.isfinite(ratio) and not np.isclose(ratio, 1.0) and scales_like(0, ratio):
            return (f"the norm is off by a constant factor {ratio:.3g} (a stray ½ or 2?): it is "
                    "max_n |Σ_(k≤n) x_k Δt|, nothing more")
        return None

    def last(args, got, expected):
        x, dt = args
        if np.isclose(float(got), abs(np.sum(x)) * dt):
            return "that is |P_N|, the last partial integral (the total charge) only; the norm " \
                   "is the largest |P_n| over every n"
        return None

    def euclidean(args, got, expected):
        x, dt = args
        partial = _partial(x, dt)
        norms = (np.sqrt(np.sum(partial**2)), np.sqrt(np.sum(partial**2) * dt),
                 np.sqrt(np.sum(x**2)) * dt, np.sqrt(np.sum(x**2) * dt))
        if any(np.isclose(float(got), value) for value in norms):
            return "that is an ℓ² (Euclidean) norm; the Alexiewicz norm is the largest " \
                   "|partial integral|, max_n |Σ_{k≤n} x_k Δt|"
        return None

    def mean(args, got, expected):
        x, dt = args
        partial = _partial(x, dt)
        if any(np.isclose(float(got), value) for value in
               (np.mean(np.abs(partial)), abs(np.mean(partial)))):
            return "that is the mean of the partial integrals; the norm is the largest of " \
                   "their absolute values"
        return None

    def trapezoid(args, got, expected):
        x, dt = args
        inner = np.concatenate([[0.0], np.cumsum((x[1:] + x[:-1]) / 2) * dt])
        if any(np.isclose(float(got), np.max(np.abs(p))) for p in (inner, inner[1:])):
            return "that is the trapezoid rule, which integrates a line through the samples; " \
                   "the signal is a Dirac train of charges x_kΔt, so the partial integrals " \
                   "are the plain cumulative sums Σ_{k≤n} x_k Δt"
        return None

    def abs_span(args, got, expected):
        x, dt = args
        size = np.abs(_partial(x, dt))
        if np.isclose(float(got), size.max() - size.min()):
            return "that is max |P_n| − min |P_n|; the norm is max |P_n| alone, nothing is " \
                   "subtracted"
        return None

    def no_abs(args, got, expected):
        x, dt = args
        if np.isclose(float(got), np.max(_partial(x, dt))) and \
                not np.isclose(float(got), float(expected)):
            return "the largest partial sum without |·|: a negative excursion counts too"
        return None

    def answers(probe: np.ndarray, value: float) -> bool:
        """Whether the candidate gives ``value`` on the probe input (dt = 1)."""
        try:
            return bool(np.isclose(float(np.asarray(candidate(probe, 1.0), dtype=float)), value))
        except Exception:  # any failure on the probe: not this mistake
            return False

    def smallest(args, got, expected):
        x, dt = args
        if not np.isclose(float(got), np.min(np.abs(_partial(x, dt)))):
            return None
        # on (2, −3, 4) the partial sums are 2, −1, 3: the smallest |·| is 1, max P and the
        # norm 3 (on the first case max P and min |P| are both 0.5)
        if answers(np.array([2.0, -3.0, 4.0]), 1.0):
            return "that is the smallest |partial sum| (min for max); the norm is the largest, " \
                   "max_n |Σ_{k≤n} x_k Δt|"
        return None

    def means(args, got, expected):
        x, dt = args
        averaged = np.max(np.abs(np.cumsum(x) / np.arange(1, len(x) + 1)))
        if not any(np.isclose(float(got), m) for m in (averaged, averaged * dt)):
            return None
        # on a constant input the partial means stay at 1, the sums grow to 4
        if answers(np.ones(4), 1.0):
            return "these are partial means P_n/n, not partial sums: the norm is max |Σ_{k≤n} " \
                   "x_k Δt|, without dividing by the number of terms"
        return None

    def off_by_one(args, got, expected):
        x, dt = args
        partial = _partial(x, dt)
        dropped = [np.max(np.abs(partial[:-1]), initial=0.0),     # last one dropped
                   np.max(np.abs(partial[1:]), initial=0.0),      # first one dropped
                   np.max(np.abs(_partial(x[1:], dt)), initial=0.0)]  # first sample dropped
        # a dropped partial sum that leaves the maximum unchanged is no evidence of one
        if any(np.isclose(float(got), d, rtol=1e-12, atol=0.0)
               and not np.isclose(d, float(expected), rtol=1e-12, atol=0.0) for d in dropped):
            return "off by one: a partial sum is missing — the norm runs over every n, " \
                   "from the first sample to the last"
        return None

    def tails(args, got, expected):
        x, dt = args
        if not np.isclose(float(got), np.max(np.abs(np.cumsum(x[::-1]) * dt))):
            return None
        # on (−3, 1) the tails give 2, the interval forms 3 or 1, the norm 3
        if answers(np.array([-3.0, 1.0]), 2.0):
            return "these are tail sums Σ_{k≥n} (cumsum of the reversed signal); the norm " \
                   "takes the partial sums from the start, Σ_{k≤n} x_k Δt"
        return None

    def interval(args, got, expected):
        x, dt = args
        partial = _partial(x, dt)
        spans = [np.max(partial, initial=0.0) - np.min(partial, initial=0.0),
                 np.max(partial) - np.min(partial)]
        if any(np.isclose(float(got), s) for s in spans):
            return "that is the interval form max P_n − min P_n (the largest |Σ_{m<k≤n}| over " \
                   "all stretches), an equivalent norm within a factor 2; the exercise asks " \
                   "for max |P_n|, the partial integrals from the start"
        return None

    def l1(args, got, expected):
        x, dt = args
        if np.isclose(float(got), np.sum(np.abs(x)) * dt):
            return "that is the L¹ norm Σ|x_k|Δt; the Alexiewicz norm takes |·| of partial sums"
        return None

    def sup(args, got, expected):
        x, dt = args
        if np.isclose(float(got), np.max(np.abs(x))) or \
                np.isclose(float(got), np.max(np.abs(x)) * dt):
            return "that is the largest sample; the norm is the largest partial integral"
        return None

    return _compare(candidate, cases, lambda x, dt: alexiewicz_norm(x, dt=dt),
                    (_float32_hint, dt_factor, smallest, no_abs, means, off_by_one, tails,
                     interval, abs_span, trapezoid, l1, sup, last, euclidean, mean))


# ---------------------------------------------------------------------------------------
# The "Implement …" exercise: integrate-and-fire with reset to mod
# ---------------------------------------------------------------------------------------


def _if_variant(x: np.ndarray, threshold: float, dt: float, leak: float, *,
                fire: str = ">=", emit: str = "mod", keep: str = "rest",
                charge: str = "x*dt", decay: str = "exp", leak_after: bool = False,
                leak_on_spike: bool = False, two_sided: bool = True, slack: float = 0.0,
                swap: bool = False, test_first: bool = True, single: bool = False) -> np.ndarray:
    """IF with one deliberate deviation from reset to mod: the catalogue of mistakes.

    ``decay``: "exp" e^(−αΔt) (correct), "no_dt" e^(−α), "none" 1, "plus" e^(+αΔt),
    "euler" 1 − αΔt, "over_dt" e^(−α/Δt), "half" e^(−αΔt/2). ``keep``: "rest" u − s
    (correct), "zero", "one" (subtract one ϑ whatever was emitted), "trunc" (subtract
    ϑ·trunc(u/ϑ) whatever was emitted), "pymod" (Python's ``u % ϑ``, rounded towards −∞),
    "plus" u + s (the sign slip ``u += s``), "none" (no reset at all). ``single``: the loop
    in float32. ``fire``: ">="
    (correct), ">", "always", "neg_strict" (u ≥ ϑ or u < −ϑ), "theta_dt" (|u| ≥ ϑΔt).
    ``test_first``: False integrates the first sample but never tests it against the threshold.
    ``charge``: "x*dt" (correct), "x", "x/dt", "x*theta/dt", "x*dt*dt". ``leak_on_spike``: decay
    only after a spike. ``swap``: ϑ and Δt exchanged. ``slack``: fire within this much of a
    multiple of ϑ.
    """
    if swap:
        threshold, dt = dt, threshold
    factor = {"exp": np.exp(-leak * dt), "no_dt": np.exp(-leak), "none": 1.0,
              "plus": np.exp(leak * dt), "euler": 1.0 - leak * dt,
              "over_dt": np.exp(-leak / dt), "half": np.exp(-leak * dt / 2)}[decay]
    scale = {"x*dt": dt, "x": 1.0, "x/dt": 1.0 / dt, "x*theta/dt": threshold / dt,
             "x*dt*dt": dt * dt}[charge]
    real = np.float32 if single else float
    factor, scale, threshold = real(factor), real(scale), real(threshold)
    u, out = real(0.0), np.zeros(len(x))
    for n, value in enumerate(np.asarray(x, dtype=real)):
        if leak_on_spike:
            u = u + value * scale
        else:
            u = factor * (u + value * scale) if leak_after else factor * u + value * scale
        level = u if not two_sided else abs(u)
        if n == 0 and not test_first:
            fires = False
        elif fire == "neg_strict":
            fires = u >= threshold or u < -threshold
        else:
            bar = threshold * dt if fire == "theta_dt" else threshold
            fires = fire == "always" or ((level > bar) if fire == ">" else
                                         (level >= bar - slack))
        if fires:
            ratio = (u + np.sign(u) * slack) / threshold
            units = {"mod": np.trunc(ratio), "floor": np.floor(ratio),
                     "round": np.round(ratio), "one": np.sign(ratio)}[emit]
            out[n] = units * threshold
            with np.errstate(over="ignore", invalid="ignore"):  # "plus" grows without bound
                u = _kept(u, units, threshold, ratio, keep)
            if leak_on_spike:
                u *= factor
    return out


def _kept(u: float, units: float, threshold: float, ratio: float, keep: str) -> float:
    """The potential after a spike of ``units`` units under the reset rule ``keep``."""
    if keep == "zero":
        return 0.0 * u
    if keep == "one":
        return u - np.sign(units) * threshold
    if keep == "plus":
        return u + units * threshold
    if keep == "trunc":
        return u - threshold * np.trunc(ratio)
    if keep == "pymod":
        return u % threshold
    if keep == "none":
        return u
    return u - units * threshold


def _clamp_variant(x: np.ndarray, threshold: float, dt: float, *, pin: bool = True,
                   swap: bool = False, roll: bool = False, guard: bool = True,
                   first: str = "zero", integer_event: bool = True,
                   pin_tolerance: float = 0.0, pin_b: bool = True, single: bool = False,
                   next_cell: bool = False, leak: float = 0.0,
                   cell_rounding: str = "floor") -> np.ndarray:
    """The closed form of reset to mod without leak, with one deliberate slip: no integer pin,
    the ends of the clamp swapped, the previous cell taken by ``np.roll`` (wrapping around),
    no guard for ``last = -1`` (reads ``b[-1]``), the cell before the first sample taken as
    ``cell[0]`` (``first="cell0"``), an integer F_n pinning b_n without being an event, an
    integer F_n an event that does not clear b_n (``pin_b=False``), or a pin with a tolerance
    (``pin_tolerance``: F_n within it of an integer counts as one), the running sum taken in
    float32 (``single``), the cell before sample n taken from sample n + 1 (``next_cell``),
    the clamp applied to the leaky running integral (``leak`` > 0), or the cell taken with
    ``"trunc"`` or ``"round"`` instead of ⌊·⌋ (``cell_rounding``)."""
    x = np.asarray(x, dtype=float)
    if leak:
        F = lfilter([dt / threshold], [1.0, -np.exp(-leak * dt)], x)
    elif single:
        F = np.cumsum(x.astype(np.float32)).astype(float) * (dt / threshold)
    else:
        F = np.cumsum(x) * (dt / threshold)
    cell = {"floor": np.floor, "trunc": np.trunc, "round": np.round}[cell_rounding](F)
    if roll:
        before = np.roll(cell, 1)
    elif next_cell:
        before = np.concatenate([cell[1:], cell[-1:]])
    else:
        before = np.concatenate([[cell[0] if first == "cell0" else 0.0], cell])[:-1]
    if pin_tolerance:
        cell = np.where(np.abs(F - np.round(F)) <= pin_tolerance, np.round(F), cell)
    integer = (cell == F) | (np.abs(F - cell) <= pin_tolerance) if pin \
        else np.zeros(F.size, dtype=bool)
    event = (cell != before) | (integer if integer_event else False)
    b = ((cell > before) if swap else (cell < before)) & (~integer if pin_b else True)
    last = np.maximum.accumulate(np.where(event, np.arange(F.size), -1))
    k = cell + (np.where(last >= 0, b[np.maximum(last, 0)], False) if guard else b[last])
    return threshold * np.diff(k, prepend=0.0)


#: Slips of the closed form (no leak) and what the check says about each.
_CLAMP_MISTAKES: tuple[tuple[dict, str], ...] = (
    (dict(pin=False), "the closed form misses the integer pin: when F_n is an integer the "
                      "potential sits exactly on a multiple of ϑ and IF fires, k_n = F_n"),
    (dict(swap=True), "the clamp lands on the wrong end: when ⌊F⌋ moves up the count lands on "
                      "⌊F_n⌋, when it moves down on ⌈F_n⌉ (the nearest admissible count)"),
    (dict(roll=True), "np.roll wraps the last cell around to n = 0; before the first sample the "
                      "count is k_0 = F_0 = 0"),
    (dict(guard=False), "reads the value of the last event before any event has happened: "
                        "before the first event last = −1, and b[-1] is the value at the end of "
                        "the signal (a wrap-around into the future); guard last ≥ 0 (b_n = 0 "
                        "until the first event, since k_0 = F_0 = 0)"),
    (dict(first="cell0"), "the cell before the first sample is taken as ⌊F_1⌋; it is ⌊F_0⌋ = 0 "
                          "(nothing has been integrated yet), so a first sample that moves the "
                          "cell is an event"),
    (dict(integer_event=False), "an integer F_n pins b_n = 0 but is not marked as an event, so "
                                "the forward fill carries the old b past it; an integer F_n is "
                                "an event (k_n = F_n there)"),
    (dict(pin_b=False), "b_n is not cleared at an integer F_n: when ⌊F⌋ moves down onto an "
                        "integer, IF lands on it exactly (k_n = F_n), so b_n = 0 there — "
                        "b = (cell < before) & ~integer"),
    (dict(next_cell=True), "the cell before sample n is taken from sample n + 1 (the shift goes "
                           "the wrong way): it is ⌊F_(n−1)⌋, np.concatenate([[0], cell[:-1]])"),
    (dict(cell_rounding="trunc"), "the cell is trunc(F_n); it is ⌊F_n⌋, the integer below F_n, "
                                  "which differs from trunc for negative F_n"),
    (dict(cell_rounding="round"), "the cell is round(F_n); it is ⌊F_n⌋, the integer below F_n "
                                  "(the clamp then moves the count to the admissible end)"),
    (dict(single=True), "the running integral is summed in float32: about 7 significant "
                        "digits cannot tell F_n = 300.00001 from 300, so a long signal puts "
                        "spikes in the wrong samples; sum in float64, numpy's default"),
)

#: On the first case the next cell gives what processing backwards in time gives; this probe
#: tells them apart (the next cell gives (1, 1, 0), backwards (1, 0, 0), IF (0, 1, 0)).
_NEXT_CELL_PROBE, _NEXT_CELL_ANSWER = np.array([0.5, 1.0, -0.25]), np.array([1.0, 1.0, 0.0])

_LEAKY_CLAMP_MESSAGE = (
    "the closed form clamps the running integral, which holds only without leak: with α > 0 "
    "the spikes decay too, u_n = L_n − Σ_k e^(−α(t_n − t_k)) s_k, so the count is not a clamp "
    "of the leaky integral L_n/ϑ; use the loop when α > 0")

#: A pin with a tolerance (np.isclose, or |F − round(F)| < tol): checked before the loop slips,
#: some of which give the same numbers on the near-integer cases.
_PIN_TOLERANCES = (1e-13, 1e-12, 1e-9, 1e-8 + 1e-5 * 4, 2e-3, 1e-2)
_PIN_TOLERANCE_MESSAGE = ("the integer pin has a tolerance (np.isclose or |F − round(F)| < tol): "
                          "F_n = 2.00001 or 2 + 2⁻⁴⁵ is not an integer, and IF does not fire "
                          "there (|u| < ϑ); pin only exact integers, cell == F")


#: The catalogue of simulated mistakes and what the check says about each.
_MISTAKES: tuple[tuple[dict, str], ...] = (
    (dict(fire="theta_dt"), "the threshold is ϑ, not ϑΔt: u already carries the factor Δt "
                            "(u = Σ x Δt), so fire when |u| ≥ ϑ"),
    (dict(fire=">"), "fires only when |u| > ϑ: a potential exactly at ±ϑ (or at a multiple of "
                     "ϑ) must fire too — the test is |u| ≥ ϑ, not >"),
    (dict(emit="one"), "that is reset by subtraction: one ±ϑ per sample, so a charge of several "
                       "ϑ is paid out over later samples; reset to mod emits ϑ·trunc(u/ϑ) at once"),
    (dict(keep="none"), "the potential is never reset: after emitting s_n = ϑ·trunc(u/ϑ), "
                        "subtract it, u ← u − s_n, so that u keeps only the remainder"),
    (dict(keep="zero"), "that is reset to zero: the remainder u − s is thrown away at every "
                        "spike; reset to mod keeps it in the potential"),
    (dict(keep="zero", emit="one"), "that is reset to zero: the remainder u − s is thrown away "
                                    "at every spike; reset to mod keeps it in the potential"),
    (dict(emit="floor"), "floor instead of trunc (Python's u % ϑ is floor's remainder, rounding "
                         "towards −∞): for a negative potential such as u = −1.5ϑ, floor emits "
                         "−2ϑ and leaves +0.5ϑ; reset to mod rounds towards zero"),
    (dict(keep="pymod"), "the remainder is taken with Python's %, which rounds towards −∞: for "
                         "u = −1.5ϑ, u % ϑ = +0.5ϑ, but reset to mod keeps the remainder of "
                         "trunc, u − s_n = −0.5ϑ (np.fmod has the sign of u)"),
    (dict(test_first=False), "the first sample is integrated but never tested against the "
                             "threshold: a first charge of ϑ or more must fire at n = 0"),
    (dict(emit="round"), "rounds to the nearest multiple of ϑ (a ΣΔ quantizer); reset to mod "
                         "rounds towards zero, ϑ·trunc(u/ϑ)"),
    (dict(charge="x"), "the factor Δt is missing: the charge of sample n is x_n·Δt"),
    (dict(charge="x/dt"), "the charge is x_n/Δt; it is x_n·Δt (a rate times a duration)"),
    (dict(charge="x*theta/dt"), "the charge is x_n·ϑ/Δt; it is x_n·Δt, and ϑ enters only the "
                                "threshold test and the amplitude"),
    (dict(charge="x*dt*dt"), "Δt is applied twice: the charge is x_n·Δt, not x_n·Δt² (did you "
                             "scale x in place and then multiply by Δt again?)"),
    (dict(swap=True), "ϑ and Δt are exchanged: the arguments are (x, threshold, dt, leak)"),
    (dict(fire="neg_strict"), "strict on the negative side only: a potential exactly at −ϑ must "
                              "fire too — the test is u ≥ ϑ or u ≤ −ϑ, not u < −ϑ"),
    (dict(emit="one", keep="trunc"), "emits one ±ϑ but removes ϑ·trunc(u/ϑ): what is removed "
                                     "must be what is emitted — reset to mod emits "
                                     "ϑ·trunc(u/ϑ) at once"),
    (dict(leak_on_spike=True), "the leak is applied only after a spike; the potential decays "
                               "by e^(−αΔt) at every sample, u ← e^(−αΔt)u + x_nΔt"),
    (dict(decay="no_dt"), "the factor Δt is missing in the leak: the decay per sample is "
                          "e^(−αΔt)"),
    (dict(leak_after=True), "the leak is applied after the charge is added, e^(−αΔt)(u + x_nΔt); "
                            "decay the old potential first: u ← e^(−αΔt)u + x_nΔt"),
    (dict(decay="none"), "the leak is ignored: the potential decays by e^(−αΔt) per sample"),
    (dict(decay="plus"), "the sign of the leak exponent is wrong: e^(+αΔt) makes the potential "
                         "grow; it decays by e^(−αΔt) per sample"),
    (dict(decay="euler"), "the leak is the Euler step 1 − αΔt; the exact decay per sample is "
                          "e^(−αΔt) (the two differ at order (αΔt)²)"),
    (dict(decay="over_dt"), "the leak decays by e^(−α/Δt); the decay over one step Δt is "
                            "e^(−αΔt)"),
    (dict(keep="one"), "emits ϑ·trunc(u/ϑ) but subtracts only one ϑ: what is emitted must be "
                       "removed, u ← u − s_n"),
    (dict(slack=1e-3), "fires just below ϑ (a tolerance in the test): the threshold test is "
                       "exact, |u| ≥ ϑ, and the amplitude is ϑ·trunc(u/ϑ) without a tolerance"),
    (dict(two_sided=False), "fires only upwards: two-sided IF also fires when u ≤ −ϑ, with a "
                            "negative amplitude"),
    (dict(keep="plus"), "the remainder has the wrong sign: what is emitted leaves the potential, "
                        "u ← u − s_n (not u + s_n)"),
    (dict(decay="half"), "the leak decays by e^(−αΔt/2) per sample; over one step Δt it is "
                         "e^(−αΔt)"),
    (dict(single=True), "the potential is computed in float32: about 7 significant digits "
                        "cannot follow a potential that passes just above a multiple of ϑ; "
                        "compute in float64, numpy's default"),
)


def check_integrate_and_fire(
    candidate: Callable[[np.ndarray, float, float, float], np.ndarray],
) -> Verdict:
    r"""Check ``candidate(x, threshold, dt, leak)``: the spike amplitudes of two-sided IF with
    reset to mod, shaped like the 1-D input ``x`` (zero where no spike is emitted).

    .. math::

        u \leftarrow e^{-\alpha\Delta t}u + x_n\Delta t;\quad
        \text{if } |u| \ge \vartheta:\ s_n = \vartheta\,\mathrm{trunc}(u/\vartheta),\
        u \leftarrow u - s_n .

    The reference is :func:`snnlib.sampling.integrate_and_fire` with ``reset="mod"``. The
    cases put the potential exactly on :math:`\pm\vartheta` and on multiples of
    :math:`\vartheta` (dyadic values, so the ties are exact in floating point), give negative
    potentials between multiples, charges of several :math:`\vartheta`, a step
    :math:`\Delta t \ne 1` and a leak. Named mistakes: ``>`` for ``≥``, reset by subtraction,
    reset to zero, floor or rounding instead of trunc, a missing :math:`\Delta t` (in the
    charge or in the leak), the leak ignored or applied after the charge, the sign of the leak
    exponent :math:`e^{+\alpha\Delta t}`, the Euler leak :math:`1 - \alpha\Delta t`, the decay
    :math:`e^{-\alpha/\Delta t}`, emitting :math:`\vartheta\,\mathrm{trunc}(u/\vartheta)` but
    subtracting one :math:`\vartheta`, a tolerance in the threshold test (firing at
    :math:`|u| \ge \vartheta - \epsilon`; case 13 puts u at :math:`\vartheta - 2^{-40}`,
    so tolerances down to about :math:`10^{-12}` fail), one-sided firing, firing strictly below
    :math:`-\vartheta` only, emitting one :math:`\pm\vartheta` but removing
    :math:`\vartheta\,\mathrm{trunc}(u/\vartheta)`, the charge :math:`x_n/\Delta t`,
    :math:`x_n\vartheta/\Delta t` or :math:`x_n\Delta t^2`, :math:`\vartheta` and
    :math:`\Delta t` exchanged, the leak applied only after spikes, the wrong sign of negative
    spikes, spikes one sample late or early, time-reversed processing, the first or last
    sample skipped, the first sample integrated but never tested, the remainder taken with
    Python's ``%`` (rounded towards :math:`-\infty`), a memoryless quantizer of the running
    integral (which is also what a closed form gives whose previous cell is the current one);
    seven slips of the closed form without leak (no integer pin, the ends of the clamp
    swapped, ``np.roll`` for the previous cell, no guard for ``last = -1`` so that ``b[-1]``
    is read, the cell before the first sample taken as ``cell[0]``, an integer :math:`F_n`
    that is not an event, an integer :math:`F_n` that does not clear ``b``),
    cumulative instead of per-sample amplitudes, counts without the factor
    :math:`\vartheta`, an integer pin with a tolerance, the remainder's sign slip
    :math:`u + s_n`, the half-step leak :math:`e^{-\alpha\Delta t/2}`, the closed form's previous
    cell taken from the next sample, the clamp applied to the leaky running integral, and
    no reset at all, an integer output array, single precision (a float32 result, an input
    rounded to float32, or a float32 running sum
    or potential: the last case,
    a ramp whose running integral passes :math:`3\cdot10^{-8}` to :math:`1.5\cdot10^{-5}` above
    every integer up to 500, catches it). Cases 6–7 start with
    :math:`F_1 \in (0, 1)` and end on a downward move of the cell, so that reading ``b[-1]``
    before the first event fails; cases 8–9 and 14 put :math:`F_2` 10⁻⁵, 10⁻³ and
    :math:`2^{-45}` above an integer with the potential just inside the threshold, and case 15
    puts it :math:`2^{-30}` below one, so that a pin with any tolerance down to about
    :math:`3\cdot10^{-14}` fails (and so does F rounded to 13 decimals or fewer); case 16
    puts u at :math:`2\vartheta - 2^{-36}`, so that a tolerance in the amplitude,
    :math:`\vartheta\,\mathrm{trunc}(u/\vartheta + \epsilon)`, fails from about
    :math:`1.5\cdot10^{-11}` on and is named.

    Examples
    --------
    >>> def my_if(x, threshold, dt, leak):             # reset by subtraction
    ...     u, out = 0.0, np.zeros_like(x)
    ...     for n in range(x.size):
    ...         u = np.exp(-leak * dt) * u + x[n] * dt
    ...         if abs(u) >= threshold:
    ...             out[n] = threshold * np.sign(u)
    ...             u -= out[n]
    ...     return out
    >>> verdict = check_integrate_and_fire(my_if)
    >>> verdict.passed, "reset by subtraction" in verdict.message
    (False, True)
    """
    rng = np.random.default_rng(18)
    ties = np.array([0.5, 0.5, 2.0, -1.0, -1.5, 0.25, -3.0, 3.75, -0.75, -0.75, 1.0, 0.0,
                     1.5, 0.75, -2.25])
    noise = rng.normal(scale=0.4, size=300)
    noise[rng.choice(300, size=6, replace=False)] += rng.choice([-30.0, 30.0], size=6)
    drive = 0.6 * np.sin(np.linspace(0.0, 12.0, 400)) + 0.2
    drive[[50, 170, 290]] += [9.0, -13.0, 21.0]
    cases = [
        (ties, 1.0, 1.0, 0.0),                 # ties at ±ϑ and at multiples, trunc of −1.5
        (ties * 16.0, 0.5, 0.125, 0.0),         # the same ties with ϑ = 0.5, Δt = 1/8
        (noise, 0.7, 0.1, 0.0),                # random charges, impulses of many ϑ
        (drive, 0.3, 0.5, 0.2),                # a leak
        (-drive[::-1], 0.45, 0.25, 1.5),       # a strong leak, mostly negative
        (np.array([0.5, -1.0]), 1.0, 1.0, 0.0),  # F_1 in (0, 1), then the cell moves down
        (np.array([0.25, 0.25, 0.5, 1.0, -0.75, 0.5, -1.5]), 0.25, 0.5, 0.0),  # the same, longer
        (np.array([3.0, -0.99999]), 1.0, 1.0, 0.0),  # F_2 = 2.00001: near an integer, no spike
        (np.array([3.0, -0.999]), 1.0, 1.0, 0.0),    # F_2 = 2.001: the same, farther away
        (ties / 2.0, 1.0, 2.0, 0.0),           # the ties again with Δt = 2 (> 1: ϑ and ϑΔt differ)
        (drive[:120], 0.5, 2.0, 0.05),         # a leak with Δt = 2
        (np.array([1.0, 0.5, 0.5]), 1.0, 1.0, 0.5),  # a tie at ϑ with a leak
        (np.array([1.0 - 2.0**-40, 0.0, 0.5]), 1.0, 1.0, 0.5),  # u = ϑ − 2⁻⁴⁰: no spike
        (np.array([3.0, -(1.0 - 2.0**-45)]), 1.0, 1.0, 0.0),  # F_2 = 2 + 2⁻⁴⁵: no spike
        (np.array([0.5, 1.5 - 2.0**-30]), 1.0, 1.0, 0.0),  # F_2 = 2 − 2⁻³⁰: one unit, not two
        (np.array([2.0 - 2.0**-36]), 1.0, 1.0, 0.0),  # u = 2ϑ − 2⁻³⁶: one unit, not two
        # a long ramp: F_3m = m(1 + 3·10⁻⁸) passes just above every integer up to 500, closer
        # than float32 can resolve (and at least 3·10⁻⁸, far beyond float64 rounding)
        (np.full(1500, 1.0 / 3.0 + 1e-8), 1.0, 1.0, 0.0),
    ]

    def reference(x, threshold, dt, leak):
        return integrate_and_fire(x, threshold, dt=dt, reset="mod", leak=leak)

    def float32_input(args, got, expected):
        x, *rest = args
        rounded = np.asarray(x, dtype=np.float32).astype(float)
        # the probe tells it from a tolerance in the test: float32 rounds 2²⁰ − 0.03 up to
        # 2²⁰, so it fires 2²⁰ϑ, where float64 (with or without a small tolerance) fires 2²⁰ − 1
        probe = np.array([2.0**20 - 0.03])
        if not np.array_equal(rounded, x) and _close(got, reference(rounded, *rest)) \
                and gives(probe, np.array([2.0**20])):
            return ("the input is rounded to float32 (about 7 significant digits): a charge "
                    "just below ϑ becomes ϑ; keep x in float64, numpy's default")
        return None

    def pin_tolerance(args, got, expected):
        x, threshold, dt, leak = args
        if leak == 0 and any(_close(got, _clamp_variant(x, threshold, dt, pin_tolerance=tol))
                             for tol in _PIN_TOLERANCES):
            # a loop whose amplitude has a tolerance gives the same spikes here; unlike a pin,
            # it does not fire at u = ϑ − 2⁻⁴⁵
            if gives(np.array([1.0 - 2.0**-45]), np.array([0.0])):
                return ("the amplitude has a tolerance, ϑ·trunc(u/ϑ + ε): at u = 2ϑ − 2⁻³⁶ it "
                        "emits 2ϑ where IF emits ϑ; the amplitude is ϑ·trunc(u/ϑ), exactly")
            return _PIN_TOLERANCE_MESSAGE
        return None

    def simulated(args, got, expected):
        for change, message in _MISTAKES:
            if _close(got, _if_variant(*args, **change)) and (
                    change.get("decay") not in ("no_dt", "half", "over_dt") or leak_probe(change)):
                return message
        return None

    def leak_probe(change):
        # at Δt = 0.5, e^(−α) is e^(−2αΔt) and e^(−αΔt/2) is e^(−α/4): a leak off by another
        # factor can match a named one there; Δt = 0.3 separates them
        x, args = 0.9 + 0.8 * np.sin(np.linspace(0.0, 9.0, 60)), (0.3, 0.3, 0.9)
        try:
            got = np.asarray(candidate(x.copy(), *args), dtype=float)
        except Exception:  # any failure on the probe: not this mistake
            return False
        return _close(got, _if_variant(x, *args, **change))

    def closed_form(args, got, expected):
        x, threshold, dt, leak = args
        if leak != 0:
            return _LEAKY_CLAMP_MESSAGE if _close(got, _clamp_variant(x, threshold, dt,
                                                                      leak=leak)) else None
        for change, message in _CLAMP_MISTAKES:
            if _close(got, _clamp_variant(x, threshold, dt, **change)) and \
                    (not change.get("next_cell") or gives(_NEXT_CELL_PROBE, _NEXT_CELL_ANSWER)):
                return message
        return None

    def gives(x: np.ndarray, spikes: np.ndarray) -> bool:
        """Whether the candidate returns ``spikes`` on ``x`` (ϑ = Δt = 1, no leak)."""
        try:
            return _close(np.asarray(candidate(x.copy(), 1.0, 1.0, 0.0), dtype=float), spikes)
        except Exception:  # any failure on the probe: not this mistake
            return False

    def sign(args, got, expected):
        if np.any(expected < 0) and (_close(got, np.abs(expected)) or _close(got, -expected)
                                     or _close(got[expected < 0], -expected[expected < 0])):
            return "negative spikes carry the wrong sign: a potential at or below −ϑ emits " \
                   "ϑ·trunc(u/ϑ) < 0"
        return None

    def shifted(args, got, expected):
        if got.size > 1 and _close(got[1:], expected[:-1]):
            wrapped = "" if got[0] == 0 else " (np.roll also wraps the last spike round to n = 0)"
            return "off by one: every spike comes one sample late — fire on the potential " \
                   f"just after adding x_nΔt, in the same sample{wrapped}"
        if got.size > 1 and _close(got[:-1], expected[1:]):
            return "off by one: every spike comes one sample early"
        return None

    def reversed_time(args, got, expected):
        x, rest = np.array(args[0], dtype=float), args[1:]
        if _close(got, reference(x[::-1].copy(), *rest)[::-1]):
            return "the samples are processed backwards in time: the loop runs from n = 0 " \
                   "upwards, and each spike is stored at the sample where it is emitted"
        return None

    def skipped(args, got, expected):
        x, rest = np.array(args[0], dtype=float), args[1:]
        if x.size > 1 and _close(got[:-1], expected[:-1]) and got[-1] == 0:
            return "off by one: the last sample is never processed — loop over every n"
        x[0] = 0.0
        if _close(got, reference(x, *rest)):
            return "off by one: the first sample is skipped — the loop must start at index 0"
        return None

    def memoryless(args, got, expected):
        x, threshold, dt, _ = args
        F = np.cumsum(np.asarray(x, dtype=float)) * dt / threshold
        for rounding, name, how in (
                (np.trunc, "trunc", ""), (np.round, "round", ""),
                (np.floor, "⌊·⌋", " (what emitting ϑ·floor(u/ϑ), or u − u % ϑ, at every sample "
                                  "gives, and a closed form whose cell before sample n is "
                                  "⌊F_n⌋ itself, not ⌊F_(n−1)⌋)")):
            if _close(got, threshold * np.diff(rounding(F), prepend=0.0)):
                return f"this quantizes the running integral without memory, ϑ·Δ{name}(F_n)" \
                       f"{how}; IF remembers where it last fired (k_n stays put while " \
                       f"|F_n − k_(n−1)| < 1)"
        return None

    def cumulative(args, got, expected):
        if _close(got, np.cumsum(expected)):
            return "these are the cumulative amplitudes Σ_{k≤n} s_k; return the spike s_n of " \
                   "each sample"
        return None

    def counts(args, got, expected):
        threshold = args[1]
        if threshold != 1.0 and _close(got * threshold, expected):
            return "these are the unit counts trunc(u/ϑ); the amplitude is ϑ·trunc(u/ϑ) " \
                   "(the factor ϑ is missing)"
        return None

    return _compare(candidate, cases, reference,
                    (_float32_hint, float32_input, pin_tolerance, simulated, closed_form, sign,
                     shifted, reversed_time, skipped, memoryless, cumulative, counts))
