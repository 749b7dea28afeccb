"""The check of chapter 3's "Implement …" exercise: the zeros of a trace on a grid."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from snnlib.deltas import find_zeros
from snnlib.exercises._core import Verdict, _compare

__all__ = ["check_find_zeros"]


def _cases() -> list[tuple[Callable, np.ndarray]]:
    """Upward and downward zeros, zeros on grid points (ties: g(t_k) = 0 exactly), a zero
    that only touches 0 on a grid point, zeros at both ends of the grid, a triple zero."""
    return [
        (np.sin, np.linspace(0.5, 7.0, 50)),                           # down at π, up at 2π
        (lambda t: np.cos(3 * t) + 0.3, np.linspace(0.0, 6.0, 300)),   # 6 zeros, both ways
        (lambda t: t**3 - t, np.linspace(-2.0, 2.0, 81)),              # −1, 0, 1 on the grid
        (lambda t: (t + 0.53) * (t - 1.0), np.linspace(-2.0, 2.0, 81)),  # off, then on grid
        (lambda t: (t - 1.0) ** 2 * (t - 2.5), np.linspace(0.0, 4.0, 101)),  # touches at t = 1
        (lambda t: t**3 - t, np.linspace(-1.0, 1.0, 41)),              # ±1 are the grid's ends
        (lambda t: (t - 0.3) ** 3, np.linspace(-1.0, 1.0, 21)),        # triple zero, off grid
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


def _count_mistake(g: Callable, t: np.ndarray, got: np.ndarray,
                   expected: np.ndarray) -> str:
    """Name the mistake behind a wrong number of zeros."""
    values = np.asarray(g(t), dtype=float)
    on_grid = t[values == 0]
    after = values[np.minimum(np.searchsorted(t, expected, side="right"), t.size - 1)]
    upward, downward = expected[after > 0], expected[after < 0]
    tol = 1e-6 * max(1.0, np.abs(t).max())
    extra, missing = _match(got, expected, tol)
    if extra.size == 0 and missing.size:
        if np.array_equal(np.sort(missing), np.sort(downward)):
            return ("finds only the upward zeros (g rising through 0): the downward zeros are "
                    "missing, and the composition counts both")
        if np.array_equal(np.sort(missing), np.sort(upward)):
            return "finds only the downward zeros: the upward zeros are missing"
        if np.all(np.isin(missing, on_grid)):
            return ("misses the zeros that lie exactly on a grid point (g(t_k) = 0: neither "
                    "neighbouring interval has a strict sign change); return such t_k itself")
    ends = (np.abs(extra - t[0]) <= tol) | (np.abs(extra - t[-1]) <= tol)
    if extra.size and np.any(ends) and np.all(ends | np.isin(extra, expected)):
        return ("reports a zero at an end of the grid, t[0] or t[-1]: no sign change can be "
                "seen there (zeros in the open interval only)")
    if extra.size and np.all(np.isin(extra, expected)) and np.all(np.isin(extra, on_grid)):
        return ("counts a zero on a grid point twice: it closes one bracket and opens the "
                "next (use g(t_k)·g(t_k+1) < 0 for brackets and treat g(t_k) = 0 apart)")
    if extra.size and np.all(np.isin(extra, on_grid) | (np.abs(g(extra)) < 1e-12)):
        return ("returns a zero where g only touches 0 without changing sign: it is not a "
                "sign change, and δ(g) does not exist there")
    return (f"found {got.size} zeros where g changes sign {expected.size} times "
            f"({extra.size} extra, {missing.size} missing)")


def _value_mistake(args: tuple, got: np.ndarray, expected: np.ndarray) -> str | None:
    """Name the mistake behind the right number of zeros at wrong places."""
    g, t = args
    error = np.abs(got - expected).max()
    if np.allclose(np.sort(got), expected, rtol=1e-10, atol=1e-10):
        if got.size > 1 and np.array_equal(got, expected[::-1]):
            return "the zeros are in reversed (decreasing) order: return them sorted"
        return "the zeros are not sorted in increasing order"
    values = np.asarray(g(t), dtype=float)
    k = np.clip(np.searchsorted(t, expected, side="right") - 1, 0, t.size - 2)
    if np.allclose(got, t[k]):
        return "returns the grid point to the left of each zero, not the zero itself"
    if np.allclose(got, t[k + 1]):
        return "returns the grid point to the right of each zero, not the zero itself"
    with np.errstate(divide="ignore", invalid="ignore"):
        secant = np.where(values[k] == 0, t[k],
                          t[k] - values[k] * (t[k + 1] - t[k]) / (values[k + 1] - values[k]))
    if np.allclose(got, secant, rtol=1e-12, atol=1e-12):
        return "the zeros are only interpolated: refine each bracket (bisection or brentq)"
    if error <= np.diff(t).max() * 2.0**-8:
        steps = int(np.ceil(np.log2(np.diff(t).max() / max(error, 1e-300))))
        return (f"the zeros are refined, but not far enough (error {error:.1e}: about "
                f"{steps} bisection steps, or a loose xtol); bisect until the bracket "
                f"stops shrinking, about 50 steps")
    return None


def check_find_zeros(candidate: Callable) -> Verdict:
    r"""Check ``candidate(g, t)``: the sorted zeros of the vectorized function ``g`` at which
    it changes sign on the increasing grid ``t``, refined to (near) machine precision — the
    contract of :func:`snnlib.deltas.find_zeros`.

    A grid interval with :math:`g(t_k)\,g(t_{k+1}) < 0` brackets a zero; an interior grid
    point with :math:`g(t_k) = 0` and :math:`g(t_{k-1})\,g(t_{k+1}) < 0` is a zero itself.
    The seven cases include zeros on grid points, a zero that only touches 0, zeros at the
    ends of the grid and a triple zero. The message names the mistake: zeros on grid points
    missed or counted twice, a touching zero or an end point returned, only upward (or only
    downward) zeros, unsorted or reversed order, grid points returned, interpolation only,
    too few bisection steps.

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
    if result.passed or "returned shape" not in result.message:
        return result
    number = int(result.message.rsplit("case ", 1)[1].rstrip(")"))
    g, t = cases[number - 1]
    got = np.asarray(candidate(*copy.deepcopy((g, t))), dtype=float).ravel()
    message = _count_mistake(g, t, got, find_zeros(g, t))
    return Verdict(result.name, False, f"{message} (case {number})")
