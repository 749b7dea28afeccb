"""The check of chapter 7's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.exercises import check_cross_entropy_grad


def test_cross_entropy_grad():
    def good(t, labels, tau0, tau1, alpha):
        e = np.exp(-(t - t.min(axis=1, keepdims=True)) / tau0)
        g = -e / e.sum(axis=1, keepdims=True) / tau0
        rows = np.arange(len(labels))
        g[rows, labels] += 1 / tau0 + alpha / tau1 * np.exp(t[rows, labels] / tau1)
        return g

    assert check_cross_entropy_grad(good).passed
    assert "flipped" in check_cross_entropy_grad(lambda *a: -good(*a)).message

    def plus_logits(t, labels, tau0, tau1, alpha):
        g = good(-t, labels, tau0, tau1, 0.0)
        rows = np.arange(len(labels))
        g[rows, labels] += alpha / tau1 * np.exp(t[rows, labels] / tau1)
        return g

    def no_temperature(t, labels, tau0, tau1, alpha):
        ce = good(t, labels, tau0, tau1, 0.0)
        return good(t, labels, tau0, tau1, alpha) - ce + ce * tau0

    assert "−t/τ₀" in check_cross_entropy_grad(plus_logits).message
    assert "1/τ₀" in check_cross_entropy_grad(no_temperature).message
