"""Plotting helpers whose labels carry units."""

import matplotlib.pyplot as plt
import numpy as np

from snnlib.plotting import plot_jump_adjoint


def test_plot_jump_adjoint_default_unit_is_that_of_a_trace_loss():
    """L = ½∫s² dt with s in 1/ms is in 1/ms, so ∂L/∂θ is in 1/(ms·rad)."""
    t = np.linspace(0.0, 2.0, 201)
    axes = plot_jump_adjoint(t, np.where(t < 1, 1.0, 0.0), {"ε = 0.1": np.clip(
        (1.1 - t) / 0.2, 0, 1)}, np.array([1.0]), (0.5, 1.5))
    assert axes[0].get_ylabel() == "λ_θ (1/(ms·rad))"
    assert axes[0].get_xlabel() == "t (ms)"
    plt.close("all")
