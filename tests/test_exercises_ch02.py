"""The check of chapter 2's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.exercises import check_triangle


def not_yet(*args):
    raise NotImplementedError


def test_triangle():
    def good(t, eps):
        return np.maximum(0.0, 1.0 - np.abs(t) / eps) / eps

    assert check_triangle(good).passed
    assert "integrates to" in check_triangle(lambda t, eps: good(t, eps) * eps).message
    assert "not even" in check_triangle(lambda t, eps: good(t, eps) * (1 + 0.5 * t / eps)).message
    outside = check_triangle(lambda t, eps: good(t, eps) + 0.1 * (np.abs(t) >= eps))
    assert not outside.passed and "|t| ≥ ε" in outside.message
    assert "not implemented yet" in check_triangle(not_yet).message
    assert "returned shape" in check_triangle(lambda t, eps: good(t, eps)[:-1]).message
