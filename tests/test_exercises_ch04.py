"""The check of chapter 4's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.exercises import check_lif_step


def test_lif_step():
    def good(V0, I0, s, p):
        b = p.tau_syn * I0 / (p.tau_syn - p.tau_mem)
        return (V0 - b) * np.exp(-s / p.tau_mem) + b * np.exp(-s / p.tau_syn), \
            I0 * np.exp(-s / p.tau_syn)

    def wrong_current(V0, I0, s, p):
        return good(V0, I0, s, p)[0], I0 * np.exp(-s / p.tau_mem)

    def swapped(V0, I0, s, p):
        b = p.tau_mem * I0 / (p.tau_mem - p.tau_syn)
        return (V0 - b) * np.exp(-s / p.tau_syn) + b * np.exp(-s / p.tau_mem), \
            I0 * np.exp(-s / p.tau_syn)

    assert check_lif_step(good).passed
    assert "decays as" in check_lif_step(wrong_current).message
    assert "swapped" in check_lif_step(swapped).message
    assert "must be V0" in check_lif_step(lambda V0, I0, s, p: (V0 + 1.0, I0)).message
    assert "pair (V, I)" in check_lif_step(lambda V0, I0, s, p: V0).message
