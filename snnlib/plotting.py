"""Figures for the chapters (matplotlib).

Each function draws on a given ``ax`` (or a new figure), returns the matplotlib objects it
made, and computes nothing that the core modules do not already provide. The widgets in
:mod:`snnlib.widgets` call these functions.

Contents
--------
plot_test_function
    A test function and its first derivatives.
plot_pairing
    A spike train, a test function and the value of their pairing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from snnlib.distributions import SpikeTrain, TestFunction

__all__ = ["plot_pairing", "plot_test_function"]


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7.0, 3.2)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_test_function(
    phi: TestFunction, orders: tuple[int, ...] = (0, 1, 2), ax: Axes | None = None
) -> Axes:
    """Plot :math:`\\varphi^{(k)}` for each ``k`` in ``orders`` over a margin around its support.

    Examples
    --------
    >>> from snnlib.distributions import bump
    >>> ax = plot_test_function(bump())
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['φ(t)', 'φ′(t)', 'φ′′(t)']
    """
    ax = _axes(ax)
    a, b = phi.support
    margin = 0.25 * (b - a)
    t = np.linspace(a - margin, b + margin, 801)
    for k in orders:
        ax.plot(t, phi.derivative(k)(t), label=phi.derivative(k).label + "(t)")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("value (ms$^{-k}$ for the k-th derivative)")
    ax.legend(loc="upper right", frameon=False)
    return ax


def plot_pairing(
    train: SpikeTrain, phi: TestFunction, t_range: tuple[float, float], ax: Axes | None = None
) -> Axes:
    """Draw a spike train as arrows of height ``w_i``, a test function, and ⟨s, φ⟩.

    The markers at :math:`(t_i, \\varphi(t_i))` are the values the pairing adds up,
    each weighted by :math:`w_i`.

    Examples
    --------
    >>> from snnlib.distributions import bump
    >>> ax = plot_pairing(SpikeTrain([1.0, 2.0]), bump(1.5), (0.0, 3.0))
    >>> ax.get_title()
    '⟨s, φ⟩ = Σ w_i φ(t_i) = 1.4331'
    """
    ax = _axes(ax)
    t = np.linspace(*t_range, 1001)
    ax.plot(t, phi(t), color="C0", label="test function φ(t)")
    for ti, wi in zip(train.times, train.weights, strict=True):
        ax.annotate(
            "", xy=(ti, wi), xytext=(ti, 0.0),
            arrowprops={"arrowstyle": "-|>", "color": "C3", "lw": 1.6},
        )
    ax.plot([], [], color="C3", label="spikes w_i δ(t − t_i)")
    ax.plot(train.times, phi(train.times), "o", color="C1", label="φ(t_i)")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlim(*t_range)
    lo = min(0.0, float(train.weights.min(initial=0.0))) - 0.1
    hi = max(1.0, float(train.weights.max(initial=0.0))) + 0.15
    ax.set_ylim(lo, hi)
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("φ(t)  /  spike weight w_i")
    ax.set_title(f"⟨s, φ⟩ = Σ w_i φ(t_i) = {train.pair(phi):.4f}")
    ax.legend(loc="upper right", frameon=False, fontsize="small")
    return ax
