"""The check of chapter 3's "Implement …" exercise: the zeros of a trace on a grid."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from snnlib.deltas import find_zeros
from snnlib.exercises._core import IN_PLACE_NOTE, Verdict, _compare

__all__ = ["check_find_zeros"]

#: Agreement asked of each zero, in units of the rounding unit ε of the grid's scale
#: max(1, max|t|). Bisection to the float limit leaves at most 1 unit; ``brentq`` stops once
#: its bracket is shorter than xtol + 4ε|z|, so with xtol ≤ 10⁻¹⁵ (4.5ε) it leaves at most
#: about 9 units (0.67 measured on these cases; 7.25 with xtol = 10⁻¹⁴). Bisection with
#: n steps on a bracket of width h leaves up to h·2^-(n+1): with h = 0.1 the tolerance asks
#: for n ≥ 44.
ULPS = 16


def _tolerance(t: np.ndarray) -> float:
    return ULPS * np.finfo(float).eps * max(1.0, float(np.abs(t).max()))


_UNIT = np.linspace(0.0, 1.0, 11)


def _cases() -> list[tuple[Callable, np.ndarray]]:
    """Upward and downward zeros, zeros on grid points (ties: g(t_k) = 0 exactly), zeros
    that only touch 0 on a grid point (from below and from above, with g = −0.0 and +0.0
    there: a sign-bit test tells the two zeros apart), zeros at both ends of the
    grid, a triple zero, zeros in the first and last grid intervals, zeros on t[1] and t[-2],
    a g so small (10⁻²⁰⁰) that the product of two of its values underflows to 0, and a zero at
    t[0] alone (a neighbour test that reads s[−1] at k = 0 wraps around to the last sample)."""
    t1, t2, tm2 = _UNIT[1], _UNIT[2], _UNIT[-2]          # grid points, exactly
    return [
        (np.sin, np.linspace(0.5, 7.0, 50)),                           # down at π, up at 2π
        (lambda t: np.cos(3 * t) + 0.3, np.linspace(0.0, 6.0, 300)),   # 6 zeros, both ways
        (lambda t: t**3 - t, np.linspace(-2.0, 2.0, 81)),              # −1, 0, 1 on the grid
        (lambda t: (t + 0.53) * (t - 1.0), np.linspace(-2.0, 2.0, 81)),  # off, then on grid
        (lambda t: (t - 1.0) ** 2 * (t - 2.5), np.linspace(0.0, 4.0, 101)),  # touches at t = 1
        (lambda t: t**3 - t, np.linspace(-1.0, 1.0, 41)),              # ±1 are the grid's ends
        (lambda t: (t - 0.33) ** 3, np.linspace(-1.0, 1.0, 21)),       # triple zero, 0.03 off grid
        (lambda t: (t - 0.05) * (t - 0.52) * (t - 0.96), _UNIT.copy()),  # first, last interval
        (lambda t: (t - t1) * (t - 0.53) * (t - tm2), _UNIT.copy()),   # zeros on t[1], t[-2]
        (lambda t: 1e-200 * (t - t2) * (t - 0.55), _UNIT.copy()),      # products underflow
        (lambda t: t * (t - 0.55), _UNIT.copy()),                      # g(t[0]) = 0 only there
        (lambda t: (t - 1.0) ** 2 * (2.5 - t), np.linspace(0.0, 4.0, 101)),  # touches from above
        # the same touches with the other signed zero: g(1) = +0.0 below, −0.0 above (a test of
        # sign bits, np.signbit, sees a change at each)
        (lambda t: (t - 1.0) ** 2 * (t - 2.5) + 0.0, np.linspace(0.0, 4.0, 101)),
        (lambda t: (1.0 - t) * (t - 1.0) * (t - 2.5), np.linspace(0.0, 4.0, 101)),
    ]


def _match(got: np.ndarray, expected: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Entries of ``got`` matched to no zero, and zeros matched by no entry (one to one)."""
    free = list(range(expected.size))
    extra = []
    for x in got:
        near = [i for i in free if abs(x - expected[i]) <= tol]
        if near:
            free.remove(near[0])
        else:
            extra.append(x)
    return np.array(extra), expected[free]


def _underflows(t: np.ndarray, values: np.ndarray, zeros: np.ndarray) -> np.ndarray:
    """For each zero: do the values that bracket it (g(t_k), g(t_k+1) around a zero between
    grid points, g(t_k−1), g(t_k+1) around one on t_k) have a product that underflows to 0?"""
    k = np.clip(np.searchsorted(t, zeros, side="right") - 1, 0, t.size - 2)
    on_point = t[k] == zeros
    left = values[np.where(on_point, np.maximum(k - 1, 0), k)]
    right = values[k + 1]
    with np.errstate(under="ignore"):
        return (left * right == 0) & (np.sign(left) * np.sign(right) < 0)


#: Four alternating zeros π, 2π, 3π, 4π, none on the grid or in its first or last interval:
#: a dropped first or last bracket misses one of them, only upward or downward zeros two.
_PROBE = (np.sin, np.linspace(0.5, 13.0, 120))


def _dropped_bracket(candidate: Callable, missing: np.ndarray, expected: np.ndarray,
                     on_grid: np.ndarray) -> str | None:
    """'first' or 'last' if the one missing zero is the first or last bracketed one and the
    candidate also misses just that one on the probe; else None."""
    bracketed = expected[~np.isin(expected, on_grid)]
    if missing.size != 1 or bracketed.size == 0:
        return None
    ends = {"first": bracketed.min(), "last": bracketed.max()}
    try:
        got = np.asarray(candidate(*copy.deepcopy(_PROBE)), dtype=float).ravel()
    except Exception:  # the reader's code: the case's own failure is reported instead
        return None
    zeros = find_zeros(*_PROBE)
    probe = {"first": zeros[:1], "last": zeros[-1:]}
    for which, zero in ends.items():
        if missing[0] == zero and got.size == zeros.size - 1 and np.array_equal(
                _match(got, zeros, 1e-6)[1], probe[which]):
            return which
    return None


def _count_mistake(g: Callable, t: np.ndarray, got: np.ndarray,
                   expected: np.ndarray, candidate: Callable | None = None) -> str:
    """Name the mistake behind a wrong number of zeros."""
    values = np.asarray(g(t), dtype=float)
    on_grid = t[values == 0]
    after = values[np.minimum(np.searchsorted(t, expected, side="right"), t.size - 1)]
    upward, downward = expected[after > 0], expected[after < 0]
    tol = 1e-6 * max(1.0, np.abs(t).max())
    extra, missing = _match(got, expected, tol)
    if missing.size and np.all(_underflows(t, values, missing)):
        return ("the zeros of a tiny g (10⁻²⁰⁰) are missing: if the product of values "
                "underflows, compare signs (g(t_k)·g(t_k+1) is 0 in floating point although "
                "the signs differ; use np.sign(g(t_k))·np.sign(g(t_k+1)) < 0); if small values "
                "are set to 0, keep them: only an exact 0 is a zero on the grid")
    if extra.size == 0 and missing.size:
        first = (t[0] < missing) & (missing < t[1])
        last = (t[-2] < missing) & (missing < t[-1])
        if np.all(first | last):
            which = "first and last" if first.any() and last.any() else \
                "first" if first.any() else "last"
            return (f"drops the {which} grid interval (off by one in the loop): the brackets "
                    f"are [t[k], t[k+1]] for k = 0 … len(t) − 2")
        if np.all((missing == t[1]) | (missing == t[-2])) and \
                np.all(np.isin(missing, on_grid)):
            return ("misses a zero on the grid point t[1] or t[-2] (off by one in the "
                    "grid-point search): every interior point t[1:-1] can be a zero")
        which = None if candidate is None else \
            _dropped_bracket(candidate, missing, expected, on_grid)
        if which:
            cut = "brackets[1:]" if which == "first" else "brackets[:-1]"
            return (f"drops the {which} bracket (off by one over the brackets, like {cut}): "
                    f"the {which} sign change's zero is missing; refine every bracket")
        if np.all(np.isin(missing, on_grid)):  # before the directions: found between points
            side = (" (here the downward ones)" if np.array_equal(np.sort(missing),
                                                               np.sort(downward)) else
                    " (here the upward ones)" if np.array_equal(np.sort(missing),
                                                              np.sort(upward)) else "")
            return (f"misses the zeros that lie exactly on a grid point{side} (g(t_k) = 0: "
                    "neither neighbouring interval has a strict sign change); return such t_k "
                    "itself")
        if np.array_equal(np.sort(missing), np.sort(downward)):
            return ("finds only the upward zeros (g rising through 0): the downward zeros are "
                    "missing, and the composition counts both")
        if np.array_equal(np.sort(missing), np.sort(upward)):
            return "finds only the downward zeros: the upward zeros are missing"
    ends = (np.abs(extra - t[0]) <= tol) | (np.abs(extra - t[-1]) <= tol)
    if extra.size and np.any(ends) and np.all(ends | np.isin(extra, expected)):
        return ("reports a zero at an end of the grid, t[0] or t[-1]: no sign change can be "
                "seen there (zeros in the open interval only: a bracket test that treats "
                "g(t_k) = 0 as one sign makes t[0] a bracket's end, and a neighbour test that "
                "reads s[k − 1] at k = 0 wraps around to the last sample)")
    if extra.size and np.all(np.isin(extra, expected)) and np.all(np.isin(extra, on_grid)):
        return ("counts a zero on a grid point twice: it closes one bracket and opens the "
                "next (compare signs, strictly: np.sign(g(t_k))·np.sign(g(t_k+1)) < 0 for "
                "brackets, and treat g(t_k) = 0 apart)")
    if extra.size and all(np.any(np.abs(x - expected) <= tol) for x in extra):
        return ("returns a zero twice: each sign change gives one zero (a duplicate from a "
                "second pass or an extra append; the zeros themselves are right)")
    if extra.size and np.all(np.isin(extra, on_grid) | (np.abs(g(extra)) < 1e-12)):
        return ("returns a zero where g only touches 0 without changing sign: it is not a "
                "sign change, and δ(g) does not exist there")
    return (f"found {got.size} zeros where g changes sign {expected.size} times "
            f"({extra.size} extra, {missing.size} missing)")


def _refinement_message(t: np.ndarray, error: float) -> str:
    """Too few bisection steps: the error, the tolerance and the steps it corresponds to."""
    h = float(np.diff(t).max())
    steps = max(0, int(np.floor(np.log2(h / max(error, 1e-300)))) - 1)
    return (f"too few bisection steps / not refined to machine precision: error {error:.1e} "
            f"> tolerance {_tolerance(t):.1e} ({ULPS} rounding units), about {steps} bisection "
            f"steps or a loose xtol; bisect until the bracket stops shrinking (about 50 steps), "
            f"or use brentq with xtol=1e-15")


def _value_mistake(args: tuple, got: np.ndarray, expected: np.ndarray) -> str | None:
    """Name the mistake behind the right number of zeros at wrong places."""
    g, t = args
    tol = _tolerance(t)
    if np.allclose(np.sort(got), expected, rtol=0.0, atol=tol):
        if got.size > 1 and np.array_equal(got, expected[::-1]):
            return "the zeros are in reversed (decreasing) order: return them sorted"
        return "the zeros are not sorted in increasing order"
    values = np.asarray(g(t), dtype=float)
    grid_zero = np.isin(expected, t[values == 0])
    j = np.searchsorted(t, expected)                   # t[j] == zero where it is on the grid
    wrong = np.abs(got - expected) > tol
    if np.any(wrong & grid_zero) and not np.any(wrong & ~grid_zero):
        shifted = [any(np.abs(got[i] - t[np.clip(j[i] + d, 0, t.size - 1)]) <= tol
                      for d in (-1, 1)) for i in np.flatnonzero(wrong)]
        if all(shifted):
            return ("returns the neighbouring grid point for the zeros that lie on a grid "
                    "point: the grid-point mask is off by one (values[1:-1] belongs to "
                    "t[1:-1], not t[:-2] or t[2:])")
    k = np.clip(np.searchsorted(t, expected, side="right") - 1, 0, t.size - 2)
    off_grid = np.abs(expected - t[k]) > tol      # blame grid points only where the zero is not one
    for name, grid in (("left", t[k]), ("right", t[k + 1])):
        if np.any(off_grid) and np.all(np.abs(got - grid) <= tol):
            return (f"returns the grid point to the {name} of each zero, not the zero itself "
                    f"(no refinement, a bracket shifted by one grid interval, or a bisection "
                    f"that keeps the half without the sign change)")
    midpoint = np.where(off_grid, 0.5 * (t[k] + t[k + 1]), expected)
    if np.any(off_grid) and np.allclose(got, midpoint, rtol=0.0, atol=tol):
        return ("bracket midpoint returned: (t[k] + t[k+1])/2 is not the zero; refine "
                "each bracket (bisection or brentq)")
    with np.errstate(divide="ignore", invalid="ignore"):
        secant = np.where(values[k] == 0, t[k],
                          t[k] - values[k] * (t[k + 1] - t[k]) / (values[k + 1] - values[k]))
    if np.allclose(got, secant, rtol=0.0, atol=tol):
        return "the zeros are only interpolated: refine each bracket (bisection or brentq)"
    h = t[k + 1] - t[k]
    with np.errstate(divide="ignore", invalid="ignore"):
        slipped = (t[k] - values[k] * h / (values[k + 1] + values[k]),
                   t[k] + values[k] * h / (values[k + 1] - values[k]))
    if any(np.allclose(got[off_grid], wrong[off_grid], rtol=0.0, atol=tol)
           for wrong in slipped) and np.any(off_grid):
        return ("a sign slip in the secant step: the zero of the line through (t_k, g_k) and "
                "(t_k+1, g_k+1) is t_k − g_k(t_k+1 − t_k)/(g_k+1 − g_k); and interpolation "
                "alone is not enough: refine each bracket")
    error = float(np.abs(got - expected).max())
    if error <= np.diff(t).max() * 2.0**-8:
        return _refinement_message(t, error)
    return None


def _changes_its_input(candidate: Callable, g: Callable, t: np.ndarray) -> bool:
    grid = t.copy()
    try:
        candidate(g, grid)
    except Exception:  # the reader's code: whatever it raises was reported already
        return False
    return not np.array_equal(grid, t)


def check_find_zeros(candidate: Callable) -> Verdict:
    r"""Check ``candidate(g, t)``: the sorted zeros of the vectorized function ``g`` at which
    it changes sign on the increasing grid ``t``, refined to machine precision — the
    contract of :func:`snnlib.deltas.find_zeros`.

    A grid interval where :math:`g(t_k)` and :math:`g(t_{k+1})` have opposite signs brackets a
    zero; an interior grid point with :math:`g(t_k) = 0` whose neighbours :math:`g(t_{k-1})`,
    :math:`g(t_{k+1})` have opposite signs is a zero itself (compare signs: the product of the
    values can underflow to 0).
    Two or more consecutive grid points where :math:`g = 0` are below the grid's resolution
    and out of contract (snnlib returns none of them); no case has such a run.
    The fourteen cases include zeros on grid points (on t[1] and t[-2] too), zeros that only
    touch 0 (from below and from above, each at g = +0.0 and at −0.0: a bracket test on
    ``g > 0`` treats g(t_k) = 0 as one sign, a test of ``np.signbit`` tells −0.0 from +0.0),
    zeros at the ends of the grid, a triple zero off the grid, zeros in the first and last
    grid intervals, and a g of size 10⁻²⁰⁰ whose products of values underflow to 0.
    Each zero must agree with snnlib to
    ``ULPS`` = 16 rounding units of the grid's scale, :math:`16\,\epsilon\max(1, \max|t|)`:
    bisection to the float limit errs by at most 1 unit and ``brentq`` with ``xtol=1e-15`` by
    at most about 9, while a bisection of n steps on a bracket of width h errs by up to
    :math:`h\,2^{-(n+1)}` (n ≥ 44 for h = 0.1). The message names the mistake: zeros on grid
    points missed, counted twice or shifted by one grid point, a touching zero or an end
    point returned, the first or last grid interval dropped or t[1], t[-2] skipped (off by
    one in a loop), the first or last bracket dropped (``brackets[1:]``, ``brackets[:-1]``;
    told from one-way zeros by a probe with four alternating zeros), a product of values
    that underflows, only upward (or only downward) zeros, unsorted or reversed order, grid
    points or bracket midpoints returned (or a bisection that keeps the wrong half),
    interpolation only (or with a sign slip in the secant step), too few bisection steps, the
    right number of zeros in the wrong shape (a column of shape (n, 1)), a flipped bracket test
    (``brentq`` then raises "f(a) and f(b) must have different signs").

    Parameters
    ----------
    candidate : callable
        ``candidate(g, t)`` returning the zeros as an array.

    Returns
    -------
    Verdict
        Passed, or the first case that fails and the named mistake.

    Examples
    --------
    >>> def zeros(g, t):                       # linear interpolation only, no refinement
    ...     v = g(t)
    ...     i = np.flatnonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)
    ...     return t[i] - v[i] * (t[i + 1] - t[i]) / (v[i + 1] - v[i])
    >>> verdict = check_find_zeros(zeros)
    >>> verdict.passed, "only interpolated" in verdict.message
    (False, True)
    """
    cases = _cases()
    result = _compare(candidate, cases, find_zeros, (_value_mistake,))
    if result.passed:                     # to RTOL = 1e-10; now to machine precision
        for number, (g, t) in enumerate(cases, start=1):
            got = np.asarray(candidate(*copy.deepcopy((g, t))), dtype=float)
            error = float(np.abs(got - find_zeros(g, t)).max(initial=0.0))
            if error > _tolerance(t):
                return Verdict(result.name, False,
                               f"{_refinement_message(t, error)} (case {number})")
        note = IN_PLACE_NOTE if result.message.endswith(IN_PLACE_NOTE) else ""
        return Verdict(result.name, True,
                       f"agrees with snnlib on all {len(cases)} cases (to {ULPS} rounding "
                       f"units of max(1, max|t|)){note}")
    if "different signs" in result.message:  # brentq refused a bracket without a sign change
        return Verdict(result.name, False, result.message.replace(
            " (case ", "; a bracket without a sign change reached the root finder: is the "
            "bracket test flipped, or are its indices shifted ((t[k−1], t[k]) for (t[k], "
            "t[k+1]))? Brackets are np.sign(g(t_k))·np.sign(g(t_k+1)) < 0 (case "))
    if "Failed to converge" in result.message:  # brentq's default maxiter at the triple zero
        return Verdict(result.name, False, result.message.replace(
            " (case ", "; Brent's method is slow where g is flat (a triple zero): pass "
            "maxiter=500 (case "))
    if "not implemented" in result.message or "(case " not in result.message:
        return result
    number = int(result.message.rsplit("case ", 1)[1].rstrip(")"))
    g, t = cases[number - 1]
    message = result.message.rsplit(" (case ", 1)[0]
    if "returned shape" in result.message:
        got = np.asarray(candidate(*copy.deepcopy((g, t))), dtype=float).ravel()
        expected = find_zeros(g, t)
        if got.size == expected.size:     # the count is right: the shape is the mistake
            message += " (return a 1-D array of the zeros)"
        else:
            message = _count_mistake(g, t, got, expected, candidate)
    if _changes_its_input(candidate, g, t):
        message += ("; your function also changes its argument t in place: if it does so "
                    "before it is done, it works on another grid")
    return Verdict(result.name, False, f"{message} (case {number})")
