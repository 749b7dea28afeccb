"""The check of chapter 3's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np
import pytest
from scipy.optimize import brentq

from snnlib.exercises import check_find_zeros


def _brackets(v, strict=True):
    product = np.sign(v[:-1]) * np.sign(v[1:])
    return np.flatnonzero(product < 0 if strict else product <= 0)


def _on_grid(t, v):
    return t[1:-1][(v[1:-1] == 0) & (np.sign(v[:-2]) * np.sign(v[2:]) < 0)]


def good(g, t):
    v = g(t)
    inside = [brentq(g, t[k], t[k + 1], xtol=1e-14) for k in _brackets(v)]
    return np.sort(np.concatenate([_on_grid(t, v), inside]))


def good_bisection(g, t):
    """Vectorized bisection of all brackets at once, 60 steps."""
    v = g(t)
    k = _brackets(v)
    lo, hi, g_lo = t[k], t[k + 1], v[k]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        left = np.sign(g(mid)) == np.sign(g_lo)
        g_lo = np.where(left, g(mid), g_lo)
        lo, hi = np.where(left, mid, lo), np.where(left, hi, mid)
    return np.sort(np.concatenate([_on_grid(t, v), 0.5 * (lo + hi)]))


def good_in_place(g, t):
    """Correct, but overwrites its grid argument with the zeros it found."""
    zeros = good(g, t)
    t[: zeros.size] = zeros
    return t[: zeros.size].copy()


def bisect(g, t, steps):
    v = g(t)
    out = []
    for k in _brackets(v):
        lo, hi = t[k], t[k + 1]
        for _ in range(steps):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if np.sign(g(mid)) == np.sign(g(lo)) else (lo, mid)
        out.append(0.5 * (lo + hi))
    return np.sort(np.concatenate([_on_grid(t, v), out]))


def misses_grid_zeros(g, t):  # the second edition's model solution
    v = g(t)
    return np.array([brentq(g, t[k], t[k + 1], xtol=1e-14) for k in _brackets(v)])


def ties_counted_twice(g, t):  # ≤ 0 for < 0: a grid zero closes one bracket and opens the next
    v = g(t)
    return np.array([brentq(g, t[k], t[k + 1], xtol=1e-14) for k in _brackets(v, strict=False)])


def interpolated(g, t):
    v = g(t)
    k = _brackets(v)
    secant = t[k] - v[k] * (t[k + 1] - t[k]) / (v[k + 1] - v[k])
    return np.sort(np.concatenate([_on_grid(t, v), secant]))


def too_few_steps(g, t):
    return bisect(g, t, 20)


def left_grid_point(g, t):
    v = g(t)
    return np.sort(np.concatenate([_on_grid(t, v), t[_brackets(v)]]))


def reversed_order(g, t):
    return good(g, t)[::-1]


def unsorted(g, t):  # the grid zeros first, then the bracketed ones: no np.sort
    v = g(t)
    return np.concatenate([_on_grid(t, v), [brentq(g, t[k], t[k + 1]) for k in _brackets(v)]])


def upward_only(g, t):
    v = g(t)
    z = good(g, t)
    after = v[np.minimum(np.searchsorted(t, z, side="right"), t.size - 1)]
    return z[after > 0]


def with_end_points(g, t):  # a value 0 at t[0] or t[-1] taken for a zero
    v = g(t)
    ends = t[[0, -1]][v[[0, -1]] == 0]
    return np.sort(np.concatenate([good(g, t), ends]))


def with_touching(g, t):  # every interior g(t_k) = 0 taken for a zero, sign change or not
    v = g(t)
    inside = [brentq(g, t[k], t[k + 1], xtol=1e-14) for k in _brackets(v)]
    return np.sort(np.concatenate([t[1:-1][v[1:-1] == 0], inside]))


def test_correct_variants_pass():
    for candidate in (good, good_bisection, good_in_place):
        verdict = check_find_zeros(candidate)
        assert verdict.passed, verdict.message


CATALOGUE = [
    (misses_grid_zeros, "exactly on a grid point"),
    (ties_counted_twice, "counts a zero on a grid point twice"),
    (interpolated, "only interpolated"),
    (too_few_steps, "not far enough"),
    (left_grid_point, "grid point to the left"),
    (reversed_order, "reversed"),
    (unsorted, "not sorted"),
    (upward_only, "only the upward zeros"),
    (with_end_points, "an end of the grid"),
    (with_touching, "only touches 0"),
]


@pytest.mark.parametrize("candidate, fragment", CATALOGUE, ids=[c.__name__ for c, _ in CATALOGUE])
def test_catalogue_of_wrong_implementations(candidate, fragment):
    verdict = check_find_zeros(candidate)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_not_implemented():
    def zeros(g, t):
        raise NotImplementedError

    assert "not implemented yet" in check_find_zeros(zeros).message
