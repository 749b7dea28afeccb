"""The check of chapter 3's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.exercises import check_find_zeros


def test_find_zeros():
    from scipy.optimize import brentq

    def good(g, t):
        v = g(t)
        i = np.flatnonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)
        return np.array([brentq(g, t[k], t[k + 1], xtol=1e-14) for k in i])

    def with_touching(g, t):
        v = np.abs(g(t))
        extra = t[1:-1][(v[1:-1] < v[:-2]) & (v[1:-1] < v[2:]) & (v[1:-1] < 1e-3)]
        return np.sort(np.concatenate([good(g, t), extra]))

    assert check_find_zeros(good).passed
    verdict = check_find_zeros(with_touching)
    assert not verdict.passed and "only touches 0" in verdict.message
