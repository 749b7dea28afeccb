"""Plotting helpers whose labels carry units."""

import matplotlib.pyplot as plt
import numpy as np

from snnlib.lif import LIFParams, Spikes
from snnlib.plotting import plot_jump_adjoint, plot_lif_network


def test_plot_jump_adjoint_default_unit_is_that_of_a_trace_loss():
    """L = ½∫s² dt with s in 1/ms is in 1/ms, so ∂L/∂θ is in 1/(ms·rad)."""
    t = np.linspace(0.0, 2.0, 201)
    axes = plot_jump_adjoint(t, np.where(t < 1, 1.0, 0.0), {"ε = 0.1": np.clip(
        (1.1 - t) / 0.2, 0, 1)}, np.array([1.0]), (0.5, 1.5))
    assert axes[0].get_ylabel() == "λ_θ (1/(ms·rad))"
    assert axes[0].get_xlabel() == "t (ms)"
    plt.close("all")


def test_lif_network_output_colours_and_grey_rasters():
    from matplotlib.colors import to_rgba

    w = [np.full((2, 3), 4.0), np.full((3, 2), 4.0)]
    colours = ["#0072B2", "#E69F00"]
    axes = plot_lif_network(w, Spikes(np.array([[0.0, 1.0]]), np.array([[0, 1]])), LIFParams(),
                            30.0, output_colours=colours)
    traces = [line for line in axes[1].get_lines() if line.get_linestyle() == "-"]
    assert [to_rgba(line.get_color()) for line in traces] == [to_rgba(c) for c in colours]
    raster = [to_rgba(line.get_color()) for line in axes[0].get_lines()]
    assert all(r == g == b for r, g, b, _ in raster)  # greys only
    plt.close("all")
