"""The check of chapter 1's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.exercises import check_spike_train_pairing


def test_spike_train_pairing():
    def good(times, weights, phi, n):
        return (-1) ** n * float(np.sum(weights * phi.derivative(n)(times)))

    assert check_spike_train_pairing(good).passed
    assert "weights w_i are ignored" in check_spike_train_pairing(
        lambda t, w, phi, n: good(t, np.ones_like(w), phi, n)).message
    assert "instead of its n-th derivative" in check_spike_train_pairing(
        lambda t, w, phi, n: float(np.sum(w * phi(t)))).message
