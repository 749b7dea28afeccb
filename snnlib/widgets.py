"""Interactive figures for the chapters: thin ipywidgets wrappers over :mod:`snnlib.plotting`.

Each function builds sliders with ``ipywidgets.interact`` and redraws a figure made by a
tested plotting function; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from snnlib.datasets import latency_encode
from snnlib.distributions import SpikeTrain, bump
from snnlib.lif import LIFParams, Spikes
from snnlib.plotting import (
    plot_if_sampling,
    plot_lif_network,
    plot_loss_slice,
    plot_pairing,
    plot_sod,
    plot_threshold_crossings,
    plot_triangle_pairing,
)

__all__ = [
    "gradient_explorer",
    "if_explorer",
    "lif_explorer",
    "pairing_explorer",
    "sod_explorer",
    "threshold_explorer",
    "triangle_explorer",
    "yinyang_point_explorer",
]


def pairing_explorer(
    times: np.ndarray, weights: np.ndarray, t_range: tuple[float, float] = (0.0, 10.0)
) -> widgets.interactive:
    """Sliders that shift a spike train and move or widen a bump test function.

    Returns the ``ipywidgets.interactive`` object (displayed by the caller).
    """
    lo, hi = t_range
    base = np.asarray(times, dtype=np.float64)

    def draw(shift: float, center: float, width: float) -> None:
        plot_pairing(SpikeTrain(base + shift, weights), bump(center, width), t_range)
        plt.show()

    return widgets.interactive(
        draw,
        shift=widgets.FloatSlider(value=0.0, min=-2.0, max=2.0, step=0.05,
                                  description="shift (ms)"),
        center=widgets.FloatSlider(value=0.5 * (lo + hi), min=lo, max=hi, step=0.05,
                                   description="center (ms)"),
        width=widgets.FloatSlider(value=1.5, min=0.2, max=0.5 * (hi - lo), step=0.05,
                                  description="width (ms)"),
    )


def triangle_explorer(
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray],
    t_range: tuple[float, float] = (-1.5, 1.5),
) -> widgets.interactive:
    """A logarithmic ε slider over :func:`snnlib.plotting.plot_triangle_pairing`."""

    def draw(eps: float) -> None:
        plot_triangle_pairing(eps, f, df, t_range)
        plt.show()

    return widgets.interactive(
        draw,
        eps=widgets.FloatLogSlider(value=0.5, base=10, min=-2, max=0, step=0.05,
                                   description="ε (ms)"),
    )


def threshold_explorer(
    v: Callable[[np.ndarray], np.ndarray],
    dv: Callable[[np.ndarray], np.ndarray],
    t_span: tuple[float, float],
    threshold: float = 1.0,
) -> widgets.interactive:
    """Threshold and ε sliders over :func:`snnlib.plotting.plot_threshold_crossings`."""

    def draw(threshold: float, eps: float) -> None:
        plot_threshold_crossings(v, dv, threshold, eps, t_span)
        plt.show()

    return widgets.interactive(
        draw,
        threshold=widgets.FloatSlider(value=threshold, min=0.2, max=1.5, step=0.01,
                                      description="ϑ"),
        eps=widgets.FloatLogSlider(value=0.05, base=10, min=-2.5, max=-0.5, step=0.05,
                                   description="ε"),
    )


def if_explorer(t: np.ndarray, x: np.ndarray, threshold: float = 1.0) -> widgets.interactive:
    """Threshold, reset and leak controls over :func:`snnlib.plotting.plot_if_sampling`."""

    def draw(threshold: float, reset: str, leak: float) -> None:
        plot_if_sampling(t, x, threshold, reset, leak)
        plt.show()

    return widgets.interactive(
        draw,
        threshold=widgets.FloatLogSlider(value=threshold, base=10, min=-1, max=0.7, step=0.02,
                                         description="ϑ"),
        reset=widgets.Dropdown(options=["mod", "subtract", "zero"], value="mod",
                               description="reset"),
        leak=widgets.FloatSlider(value=0.0, min=0.0, max=0.5, step=0.01,
                                 description="leak (1/ms)"),
    )


def sod_explorer(t: np.ndarray, x: np.ndarray, delta: float = 0.25) -> widgets.interactive:
    """Δ and reference controls over :func:`snnlib.plotting.plot_sod`."""

    def draw(delta: float, reference: str) -> None:
        plot_sod(t, x, delta, reference)
        plt.show()

    return widgets.interactive(
        draw,
        delta=widgets.FloatLogSlider(value=delta, base=10, min=-2, max=0, step=0.02,
                                     description="Δ"),
        reference=widgets.Dropdown(options=["lattice", "last_value"], value="lattice",
                                   description="reference"),
    )


def lif_explorer(
    weights: list[np.ndarray], input_spikes: Spikes, params: LIFParams, t_max: float
) -> widgets.interactive:
    """Scale the input weights and the hidden-to-output weights of a small LIF network, and
    watch :func:`snnlib.plotting.plot_lif_network` (raster and output membrane traces)."""

    def draw(input_gain: float, output_gain: float) -> None:
        scaled = [weights[0] * input_gain, *(w * output_gain for w in weights[1:])]
        plot_lif_network(scaled, input_spikes, params, t_max)
        plt.show()

    return widgets.interactive(
        draw,
        input_gain=widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.05,
                                       description="input gain"),
        output_gain=widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.05,
                                        description="output gain"),
    )


def gradient_explorer(
    weights: list[np.ndarray],
    input_spikes: Spikes,
    labels: np.ndarray,
    params: LIFParams,
    t_max: float,
) -> widgets.interactive:
    """Pick a layer and a weight; see the loss along it and the exact gradient's tangent."""

    def draw(layer: int, row: int, column: int, span: float) -> None:
        shape = weights[layer].shape
        plot_loss_slice(weights, input_spikes, labels, params, t_max, layer,
                        (min(row, shape[0] - 1), min(column, shape[1] - 1)), span)
        plt.show()

    return widgets.interactive(
        draw,
        layer=widgets.IntSlider(value=len(weights) - 1, min=0, max=len(weights) - 1,
                                description="layer"),
        row=widgets.IntSlider(value=0, min=0, max=max(w.shape[0] for w in weights) - 1,
                              description="row i"),
        column=widgets.IntSlider(value=0, min=0, max=max(w.shape[1] for w in weights) - 1,
                                 description="column j"),
        span=widgets.FloatLogSlider(value=0.3, base=10, min=-3, max=0.5, step=0.1,
                                    description="span"),
    )


def yinyang_point_explorer(
    weights: list[np.ndarray], params: LIFParams, t_max: float
) -> widgets.interactive:
    """Pick a point (x, y) of the Yin-Yang disc and watch the trained network respond:
    the raster of inputs, hidden and output spikes and the output membrane traces."""

    def draw(x: float, y: float) -> None:
        times, ids = latency_encode(np.array([[x, y, 1.0 - x, 1.0 - y]]))
        plot_lif_network(weights, Spikes(times, ids), params, t_max)
        plt.show()

    return widgets.interactive(
        draw,
        x=widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.01, description="x"),
        y=widgets.FloatSlider(value=0.7, min=0.0, max=1.0, step=0.01, description="y"),
    )
