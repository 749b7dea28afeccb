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
plot_nascent_deltas
    The triangle, box and Gaussian families for several widths.
plot_convergence
    Errors against a width or step on log–log axes, with fitted and predicted power laws.
plot_triangle_pairing, plot_triangle_zoom
    Λ_ε and Λ′_ε against a function, with the pairings and their limits; the zoomed version
    with a window ±2.5 ε and a log–log panel of the errors.
plot_threshold_crossings
    A membrane trace, its threshold crossings and the smoothed spike train δ_ε(v − ϑ)·w(v̇).
plot_if_sampling
    A signal with Dirac impulses, its IF spikes and the running integral of the error against ±ϑ.
plot_sod
    A signal, its send-on-delta events and the receiver's reconstruction.
plot_burst
    The cumulative spike count of a self-exciting LIF neuron against the bounded-burst bound.
plot_sod_band
    The same with the event mass against TV/Δ, and the deviation x − r against ±Δ below.
plot_lif_network
    Raster of every layer of an exact LIF simulation and the output membrane traces.
plot_loss_slice
    The loss along one weight, with the exact gradient's tangent.
plot_decision_regions
    A trained network's first-spike classification over the Yin-Yang disc.
plot_adjoint_kick
    A kick to the state at t₀, the loss change it causes, and the adjoint that predicts it.
plot_raster
    The spikes of one sample as ticks on a (time, neuron) plane.
plot_backward_pass
    The adjoint λ(t) and the running gradient, integrated backwards (chapter 5).
plot_jump_adjoint
    An exact adjoint with jumps at spikes against smoothed adjoints (chapter 6).
plot_shift_pairing, plot_pairing_under_shift
    The pairing of a shifted spike train as a smooth function of the shift, with its tangent;
    both panels in one figure.
OKABE_ITO, CLASS_COLOURS, use_book_style
    The book's colour-blind-safe palette, made matplotlib's default colour cycle when this
    module is imported (so ``"C0"`` … ``"C7"`` are Okabe–Ito colours in every chapter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from snnlib.adjoint import AdjointSolution, ODELoss, adjoint_solution, kicked_loss
from snnlib.convergence import fit_power_law
from snnlib.datasets import latency_encode
from snnlib.deltas import (
    FAMILIES,
    composed_pairing,
    crossing_density,
    find_zeros,
    smoothed_pairing,
    triangle,
    triangle_derivative,
)
from snnlib.distributions import SpikeTrain, TestFunction
from snnlib.eventprop import loss_and_grad
from snnlib.lif import (
    LIFParams,
    SpikeLimitError,
    Spikes,
    first_spike_times,
    forward,
    layer_traces,
)
from snnlib.losses import first_spike_cross_entropy
from snnlib.sampling import (
    alexiewicz_norm,
    integrate_and_fire,
    running_integral,
    send_on_delta,
    sod_reconstruct,
)
from snnlib.training import predict

#: The book's colour-blind-safe palette (Okabe & Ito, 2008): blue, orange, bluish green,
#: vermillion, reddish purple, sky blue, yellow, black. Distinguishable with every common
#: colour-vision deficiency; ``"C0"``, ``"C1"``, … in every figure of the book are these.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000")
#: The classes of the Yin-Yang data set (yin, yang, dot) in every figure that shows them.
CLASS_COLOURS = (OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2])


def use_book_style() -> None:
    """Make the Okabe–Ito palette matplotlib's colour cycle (done once, on import).

    Examples
    --------
    >>> use_book_style()
    >>> plt.rcParams["axes.prop_cycle"].by_key()["color"][:2]
    ['#0072B2', '#E69F00']
    """
    plt.rcParams["axes.prop_cycle"] = plt.cycler(color=list(OKABE_ITO))


use_book_style()

__all__ = [
    "CLASS_COLOURS",
    "OKABE_ITO",
    "plot_adjoint_kick",
    "plot_backward_pass",
    "plot_burst",
    "plot_convergence",
    "plot_decision_regions",
    "plot_if_sampling",
    "plot_jump_adjoint",
    "plot_lif_network",
    "plot_loss_slice",
    "plot_nascent_deltas",
    "plot_pairing",
    "plot_pairing_under_shift",
    "plot_raster",
    "plot_shift_pairing",
    "plot_sod",
    "plot_sod_band",
    "plot_test_function",
    "plot_threshold_crossings",
    "plot_triangle_pairing",
    "plot_triangle_zoom",
    "use_book_style",
]


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7.0, 3.2)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_test_function(
    phi: TestFunction, orders: tuple[int, ...] = (0, 1, 2), axes: np.ndarray | None = None
) -> np.ndarray:
    """Plot :math:`\\varphi^{(k)}` for each ``k`` in ``orders``, one panel each, shared time axis.

    Examples
    --------
    >>> from snnlib.distributions import bump
    >>> axes = plot_test_function(bump())
    >>> [ax.get_ylabel() for ax in axes]
    ['φ(t)', 'φ′(t) (1/ms)', 'φ′′(t) (1/ms^2)']
    """
    if axes is None:
        _, axes = plt.subplots(len(orders), 1, figsize=(7.0, 1.6 + 1.2 * len(orders)),
                               sharex=True, layout="constrained")
    axes = np.atleast_1d(axes)
    a, b = phi.support
    margin = 0.25 * (b - a)
    t = np.linspace(a - margin, b + margin, 801)
    for ax, k in zip(axes, orders, strict=True):
        d = phi.derivative(k)
        ax.plot(t, d(t), color=f"C{k}")
        ax.axhline(0.0, color="0.6", lw=0.8)
        unit = "" if k == 0 else (" (1/ms)" if k == 1 else f" (1/ms^{k})")
        ax.set_ylabel(f"{d.label}(t){unit}")
    axes[-1].set_xlabel("t (ms)")
    return axes


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


def plot_shift_pairing(
    train: SpikeTrain, phi: TestFunction, shift: float, shift_range: tuple[float, float],
    ax: Axes | None = None,
) -> Axes:
    r"""The pairing of the shifted train, :math:`P(c) = \sum_i w_i\,\varphi(t_i + c)`, against the
    shift :math:`c`, with the point at ``shift`` and its tangent of slope
    :math:`P'(c) = \sum_i w_i\,\varphi'(t_i + c)`: a smooth function of the spike times.

    Examples
    --------
    >>> from snnlib.distributions import bump
    >>> ax = plot_shift_pairing(SpikeTrain([1.0, 2.0]), bump(1.5), 0.0, (-1.0, 1.0))
    >>> ax.get_title()
    'c = +0.00 ms: P(c) = 1.4331, P′(c) = Σ w_i φ′(t_i + c) = +0.0000'
    """
    ax = _axes(ax)
    shifts = np.linspace(*shift_range, 801)
    phi_prime = phi.derivative()
    values = phi(train.times[None, :] + shifts[:, None]) @ train.weights
    value = float(np.dot(train.weights, phi(train.times + shift)))
    slope = float(np.dot(train.weights, phi_prime(train.times + shift)))
    ax.plot(shifts, values, color="C0", label="P(c) = ⟨s shifted by c, φ⟩")
    half = 0.15 * (shift_range[1] - shift_range[0])
    ax.plot([shift - half, shift + half], [value - slope * half, value + slope * half],
            color="C3", lw=1.2, label="tangent, slope P′(c)")
    ax.plot([shift], [value], "o", color="C3")
    ax.set_xlim(*shift_range)
    ax.set_xlabel("shift c of the whole train (ms)")
    ax.set_ylabel("P(c)")
    ax.set_title(f"c = {shift:+.2f} ms: P(c) = {value:.4f}, "
                 f"P′(c) = Σ w_i φ′(t_i + c) = {slope:+.4f}")
    ax.legend(loc="upper right", frameon=False, fontsize="small")
    return ax


def plot_pairing_under_shift(
    train: SpikeTrain, phi: TestFunction, shift: float, t_range: tuple[float, float],
    shift_range: tuple[float, float],
) -> np.ndarray:
    """Top: :func:`plot_pairing` of the train shifted by ``shift``. Bottom:
    :func:`plot_shift_pairing` over ``shift_range``. Returns the two axes.

    Examples
    --------
    >>> from snnlib.distributions import bump
    >>> axes = plot_pairing_under_shift(SpikeTrain([1.0]), bump(1.5), 0.5, (0.0, 3.0), (-1, 1))
    >>> axes[0].get_title()
    '⟨s, φ⟩ = Σ w_i φ(t_i) = 1.0000'
    """
    _, axes = plt.subplots(2, 1, figsize=(7.0, 5.6), layout="constrained",
                           height_ratios=(1.3, 1.0))
    shifted = SpikeTrain(train.times + shift, train.weights)
    plot_pairing(shifted, phi, t_range, ax=axes[0])
    plot_shift_pairing(train, phi, shift, shift_range, ax=axes[1])
    return axes

def plot_nascent_deltas(
    eps_values: tuple[float, ...] = (1.0, 0.5, 0.25),
    families: tuple[str, ...] = ("triangle", "box", "gaussian"),
    axes: np.ndarray | None = None,
) -> np.ndarray:
    """One panel per family of :data:`snnlib.deltas.FAMILIES`, one curve per ε.

    Examples
    --------
    >>> axes = plot_nascent_deltas()
    >>> [ax.get_title() for ax in axes]
    ['triangle', 'box', 'gaussian']
    """
    if axes is None:
        _, axes = plt.subplots(1, len(families), figsize=(9.0, 2.8), sharey=True,
                               layout="constrained")
    axes = np.atleast_1d(axes)
    t = np.linspace(-2.0 * max(eps_values), 2.0 * max(eps_values), 2001)
    for ax, name in zip(axes, families, strict=True):
        for eps in eps_values:
            ax.plot(t, FAMILIES[name].function(t, eps), label=f"ε = {eps:g} ms")
        ax.set_title(name)
        ax.set_xlabel("t (ms)")
    axes[0].set_ylabel("δ_ε(t) (1/ms)")
    axes[-1].legend(frameon=False, fontsize="small")
    return axes


def plot_convergence(
    h: np.ndarray,
    errors: dict[str, np.ndarray],
    predicted: dict[str, tuple[float, float]] | None = None,
    xlabel: str = "ε (ms)",
    ylabel: str = "|error|",
    ax: Axes | None = None,
) -> Axes:
    """Log–log plot of ``|errors[label]|`` against ``h``, with the fitted power law in the legend.

    ``predicted[label] = (constant, order)`` adds the predicted line ``constant * h**order``
    (dashed).

    Examples
    --------
    >>> h = np.array([0.1, 0.05, 0.025])
    >>> ax = plot_convergence(h, {"a": h**2}, {"a": (1.0, 2.0)})
    >>> ax.get_legend().get_texts()[0].get_text()
    'a: fitted order 2.00, C = 1'
    """
    ax = _axes(ax, figsize=(6.0, 4.0))
    h = np.asarray(h, dtype=np.float64)
    for i, (label, err) in enumerate(errors.items()):
        fit = fit_power_law(h, err)
        ax.loglog(h, np.abs(err), "o", color=f"C{i}",
                  label=f"{label}: fitted order {fit.order:.2f}, C = {fit.constant:.4g}")
        if predicted and label in predicted:
            constant, order = predicted[label]
            ax.loglog(h, constant * h**order, "--", color=f"C{i}", lw=1.0)
    if predicted:
        ax.plot([], [], "--", color="0.4", lw=1.0, label="predicted C h^p")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize="small")
    return ax


def plot_triangle_pairing(
    eps: float,
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray],
    t_range: tuple[float, float] = (-1.5, 1.5),
    axes: np.ndarray | None = None,
) -> np.ndarray:
    r"""Λ_ε and Λ′_ε next to ``f``, titled with ⟨Λ_ε, f⟩ vs f(0) and ⟨Λ′_ε, f⟩ vs −f′(0), and
    each error next to its leading term, :math:`\varepsilon^2 f''(0)/12` and
    :math:`-\varepsilon^2 f'''(0)/12` (chapter 2; the derivatives at 0 by central differences
    of ``df``).

    Examples
    --------
    >>> axes = plot_triangle_pairing(0.5, np.cos, lambda t: -np.sin(t))
    >>> print(axes[0].get_title())
    ⟨Λ_ε, f⟩ = 0.979340   (limit f(0) = 1.000000)
    error −2.066e-02, leading term ε²f″(0)/12 = −2.083e-02
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.0, 4.6), sharex=True, layout="constrained")
    t = np.linspace(*t_range, 3001)
    top, bottom = axes
    top.plot(t, triangle(t, eps), color="C0", label="Λ_ε(t)")
    bottom.plot(t, triangle_derivative(t, eps), color="C1", label="Λ′_ε(t)")
    for ax in axes:
        twin = ax.twinx()
        twin.plot(t, f(t), color="0.5", lw=1.0, ls="--")
        twin.set_ylabel("f(t)", color="0.4")
        ax.axhline(0.0, color="0.6", lw=0.8)
        ax.legend(loc="upper left", frameon=False)
    top.set_ylabel("Λ_ε (1/ms)")
    bottom.set_ylabel("Λ′_ε (1/ms²)")
    bottom.set_xlabel("t (ms)")
    h = 1e-3  # central differences of df: errors O(h²) relative, far below what is shown
    f2 = float(df(h) - df(-h)) / (2 * h)
    f3 = float(df(h) - 2 * df(0.0) + df(-h)) / h**2
    value, limit = smoothed_pairing(f, eps), float(f(0.0))
    top.set_title(f"⟨Λ_ε, f⟩ = {_minus(value)}   (limit f(0) = {_minus(limit)})\n"
                  f"error {_signed(value - limit)}, leading term ε²f″(0)/12 = "
                  f"{_signed(eps**2 * f2 / 12)}")
    value, limit = smoothed_pairing(f, eps, derivative=True), -float(df(0.0))
    bottom.set_title(f"⟨Λ′_ε, f⟩ = {_minus(value)}   (limit −f′(0) = {_minus(limit)})\n"
                     f"error {_signed(value - limit)}, leading term −ε²f‴(0)/12 = "
                     f"{_signed(-(eps**2) * f3 / 12)}")
    return axes


def plot_triangle_zoom(
    eps: float,
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray],
    eps_grid: Sequence[float] = (0.01, 0.0215, 0.0464, 0.1, 0.215, 0.464, 1.0),
) -> np.ndarray:
    r""":func:`plot_triangle_pairing` on the window :math:`|t| \le 2.5\varepsilon`, which
    scales with ε, above a log–log panel of both errors against ε (ε on ``eps_grid``, the
    current ε marked) with their leading terms :math:`\varepsilon^2 f''(0)/12` and
    :math:`-\varepsilon^2 f'''(0)/12` dashed. Open markers: negative errors.

    Examples
    --------
    >>> axes = plot_triangle_zoom(0.1, np.cos, lambda t: -np.sin(t), eps_grid=(0.1, 1.0))
    >>> axes[2].get_xlabel(), bool(axes[0].get_xlim()[1] <= 0.26)
    ('ε (ms)', True)
    """
    fig = plt.figure(figsize=(7.0, 7.0), layout="constrained")
    axes = np.array(fig.subplots(3, 1, height_ratios=(1.0, 1.0, 1.1)))
    plot_triangle_pairing(eps, f, df, (-2.5 * eps, 2.5 * eps), axes[:2])
    for ax in axes[:2]:
        ax.set_xlim(-2.5 * eps, 2.5 * eps)
    axes[0].set_xlabel("t (ms): the window is ±2.5 ε")
    grid = np.asarray(eps_grid, dtype=float)
    h = 1e-3
    f2 = float(df(h) - df(-h)) / (2 * h)
    f3 = float(df(h) - 2 * df(0.0) + df(-h)) / h**2
    err0 = np.array([smoothed_pairing(f, e) - float(f(0.0)) for e in grid])
    err1 = np.array([smoothed_pairing(f, e, derivative=True) + float(df(0.0)) for e in grid])
    ax = axes[2]
    for err, lead, color, name in ((err0, f2 / 12, "C0", "⟨Λ_ε, f⟩ − f(0)"),
                                   (err1, -f3 / 12, "C1", "⟨Λ′_ε, f⟩ + f′(0)")):
        negative = err < 0
        if np.any(~negative):
            ax.loglog(grid[~negative], err[~negative], "o", color=color, label=f"{name} > 0")
        if np.any(negative):
            ax.loglog(grid[negative], -err[negative], "o", mfc="none", color=color,
                      label=f"{name} < 0")
        ax.loglog(grid, abs(lead) * grid**2, "--", color=color, lw=1.0)
    ax.axvline(eps, color="0.4", lw=1.0)
    ax.plot([], [], "--", color="0.4", lw=1.0, label="leading terms ∝ ε²")
    ax.set_xlabel("ε (ms)")
    ax.set_ylabel("|error|")
    ax.set_title("Errors against ε (pairing in f's unit; derivative pairing in f's unit per ms)",
                 fontsize="medium")
    ax.legend(frameon=False, fontsize="x-small", ncol=2)
    return axes


def _minus(x: float) -> str:
    """``x`` with six decimals and a true minus sign (U+2212) when negative."""
    return f"{x:.6f}".replace("-", "−")


def _signed(x: float) -> str:
    """``x`` in scientific notation with four digits and a true minus sign in front."""
    text = f"{x:+.3e}"
    return "−" + text[1:] if text.startswith("-") else text


def plot_threshold_crossings(
    v: Callable[[np.ndarray], np.ndarray],
    dv: Callable[[np.ndarray], np.ndarray],
    threshold: float,
    eps: float,
    t_span: tuple[float, float],
    axes: np.ndarray | None = None,
    ylabel: str = "v (dimensionless)",
) -> np.ndarray:
    """Top: v(t), the threshold ϑ and the exact crossings (▲ up, ▼ down), with the label
    ``ylabel`` (v and ϑ share this axis, so its unit is v's, not ϑ's).
    Bottom: δ_ε(v − ϑ)|v̇| and δ_ε(v − ϑ)max(v̇, 0), titled with their integrals (counts).

    Examples
    --------
    >>> axes = plot_threshold_crossings(np.sin, np.cos, 0.5, 0.05, (0.0, 10.0))
    >>> axes[1].get_title()
    'smoothed counts: all crossings 4.000, upward only 2.000 (exact: 4 and 2)'
    >>> axes[0].get_ylabel()
    'v (dimensionless)'
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.5, 4.8), sharex=True, layout="constrained")
    top, bottom = axes
    t = np.linspace(*t_span, 6001)

    def g(x: np.ndarray) -> np.ndarray:
        return v(x) - threshold

    zeros = find_zeros(g, t)
    up = zeros[dv(zeros) > 0]
    down = zeros[dv(zeros) < 0]
    top.plot(t, v(t), color="C0", label="v(t)")
    top.axhline(threshold, color="C3", lw=1.0, ls="--", label="threshold ϑ")
    top.plot(up, np.full_like(up, threshold), "^", color="C2", label="upward crossing")
    top.plot(down, np.full_like(down, threshold), "v", color="C1", label="downward crossing")
    top.set_ylabel(ylabel)
    top.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, fontsize="small",
               ncols=4)
    both = crossing_density(g(t), dv(t), eps, direction="both")
    upward = crossing_density(g(t), dv(t), eps, direction="up")
    bottom.plot(t, both, color="0.6", lw=2.5, label="δ_ε(v − ϑ)|v̇|")
    bottom.plot(t, upward, color="C2", lw=1.2, label="δ_ε(v − ϑ)max(v̇, 0)")
    bottom.set_ylabel("rate (1/ms)")
    bottom.set_xlabel("t (ms)")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                  fontsize="small")
    n_both = composed_pairing(g, dv, np.ones_like, eps, t_span, direction="both")
    n_up = composed_pairing(g, dv, np.ones_like, eps, t_span, direction="up")
    bottom.set_title(f"smoothed counts: all crossings {n_both:.3f}, upward only {n_up:.3f} "
                     f"(exact: {zeros.size} and {up.size})")
    return axes


def plot_if_sampling(
    t: np.ndarray,
    x: np.ndarray,
    threshold: float,
    reset: str = "mod",
    leak: float = 0.0,
    axes: np.ndarray | None = None,
) -> np.ndarray:
    """Top: the charges x_n Δt and the IF spikes. Bottom: the running integral of the error.

    The bottom curve is the (leaky) running integral of x Δt − IF(x), so its largest magnitude
    is ‖f − IF(f)‖_A (the leaky norm with a leak); the title prints ϑ, the number of unit
    spikes and ‖f − IF(f)‖_A / ϑ, with enough digits to compare it with 1. For reset to mod
    and by subtraction it *is* the residual membrane potential; for reset to zero it is not,
    and the potential is drawn as well (thin, C1). With a leak the plain running integral of
    the error is drawn too (dotted), with its norm over ϑ.

    Examples
    --------
    >>> t = np.arange(10) * 0.5
    >>> axes = plot_if_sampling(t, np.full(10, 1.0), threshold=1.0)
    >>> axes[0].get_title()
    'reset mod, leak 0, ϑ = 1: 5 spikes (unit count),\\n‖f − IF(f)‖_A / ϑ = 0.5000 < 1'
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.5, 4.9), sharex=True, layout="constrained")
    top, bottom = axes
    dt = float(t[1] - t[0])
    spikes = integrate_and_fire(x, threshold, dt=dt, reset=reset, leak=leak)
    error_integral = running_integral(x - spikes / dt, dt=dt, leak=leak)
    error = alexiewicz_norm(x - spikes / dt, dt=dt, leak=leak)
    fired = spikes != 0
    # spikes wide and pale underneath, charges thin on top: both heights stay visible
    top.vlines(t[fired], 0.0, spikes[fired], color="C3", lw=3.5, alpha=0.45, zorder=1,
               label="IF spike s_n")
    top.vlines(t, 0.0, x * dt, color="C0", lw=1.0, zorder=2, label="charge x_n Δt")
    top.axhline(0.0, color="0.6", lw=0.8)
    top.set_ylabel("charge, spike (a.u.)")
    top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=2, frameon=False,
               fontsize="small")
    count = round(float(np.sum(np.abs(spikes)) / threshold))
    ratio = error / threshold
    relation = "<" if ratio < 1 else "≥"
    norm = "‖f − IF(f)‖_A" if leak == 0 else "‖f − IF(f)‖_A,α"
    # two lines, so that the title fits the figure; the ratio to ϑ shows the bound directly
    title = (f"reset {reset}, leak {leak:g}, ϑ = {threshold:g}: "
             f"{count} spike{'' if count == 1 else 's'} (unit count),\n"
             f"{norm} / ϑ = {_ratio_text(ratio)} {relation} 1")
    label = "running integral of the error" + (" (leaky)" if leak > 0 else "")
    bottom.plot(t, error_integral, color="C2", drawstyle="steps-post", label=label)
    if reset == "zero":  # the potential stays inside (−ϑ, ϑ); the error integral does not
        potential = _potential_reset_to_zero(np.asarray(x, dtype=float), spikes, dt, leak)
        bottom.plot(t, potential, color="C1", lw=0.9, drawstyle="steps-post",
                    label="membrane potential u_n")
    if leak > 0:  # the bound holds in the leaky norm; the plain integral of the error drifts
        plain = running_integral(x - spikes / dt, dt=dt)
        bottom.plot(t, plain, color="0.35", ls=":", drawstyle="steps-post",
                    label="plain running integral of the error")
        title += f", plain ‖f − IF(f)‖_A / ϑ = {np.abs(plain).max() / threshold:.2f}"
    top.set_title(title)
    for level in (-threshold, threshold):
        bottom.axhline(level, color="C3", ls="--", lw=1.0)
    bottom.set_ylabel("running integral (a.u.)")
    bottom.set_xlabel("t (ms)")
    bottom.legend(loc="upper center", bbox_to_anchor=(0.5, -0.24), ncols=3, frameon=False,
                  fontsize="small")
    return axes


def _ratio_text(ratio: float) -> str:
    """``ratio`` with 4 decimals below 1 (2 from 1 on), or as 1 − its distance from 1 where 4
    decimals would round it onto 1, so that the printed number compares with 1 as the number
    does.

    Examples
    --------
    >>> _ratio_text(0.99834), _ratio_text(1 - 4.4e-15), _ratio_text(1.0), _ratio_text(11.7065)
    ('0.9983', '1 − 4.4e-15', '1.00', '11.71')
    """
    text = f"{ratio:.4f}" if ratio < 1 else f"{ratio:.2f}"
    if (float(text) < 1) != (ratio < 1):
        text = f"1 − {1 - ratio:.1e}"
    return text


def _potential_reset_to_zero(x: np.ndarray, spikes: np.ndarray, dt: float,
                             leak: float) -> np.ndarray:
    r"""Membrane potential after each sample of IF with reset to zero, without a loop.

    Between resets :math:`u_n = L_n - e^{-\alpha(t_n - t_m)}L_m`, with :math:`L` the leaky
    running integral of the input and :math:`t_m` the last spike (:math:`u_m = 0`)."""
    L = running_integral(x, dt=dt, leak=leak)
    index = np.where(spikes != 0, np.arange(x.size), -1)
    last = np.maximum.accumulate(index)
    base = np.where(last >= 0, L[np.maximum(last, 0)], 0.0)
    return L - base * np.exp(-leak * dt * (np.arange(x.size) - last))


def plot_sod(
    t: np.ndarray,
    x: np.ndarray,
    delta: float,
    reference: str = "lattice",
    ax: Axes | None = None,
    sampled: bool = False,
) -> Axes:
    """A signal, its SOD events (▲ up, ▼ down) and the held reconstruction, with the Δ band.

    With ``sampled`` the horizontal axis is the sample index n (legend :math:`x_n`, :math:`r_n`)
    instead of the time t in ms.

    Examples
    --------
    >>> t = np.linspace(0.0, 1.0, 11)
    >>> ax = plot_sod(t, 3 * t, delta=1.0)
    >>> ax.get_title()
    'lattice SOD, Δ = 1: 3 events, max |x − r| = 0.900 < Δ'
    """
    ax = _axes(ax, figsize=(7.5, 3.6))
    events = send_on_delta(x, delta, reference)
    rebuilt = sod_reconstruct(events, x[0])
    x_label, r_label = ("$x_n$", "$r_n$") if sampled else ("x(t)", "r(t)")
    ax.plot(t, x, color="C0", label=f"signal {x_label}")
    ax.plot(t, rebuilt, color="C1", drawstyle="steps-post", label=f"reconstruction {r_label}")
    ax.fill_between(t, rebuilt - delta, rebuilt + delta, step="post", color="C1", alpha=0.12,
                    label="r ± Δ")
    up, down = events > 0, events < 0
    ax.plot(t[up], x[up], "^", color="C2", label="event +")
    ax.plot(t[down], x[down], "v", color="C3", label="event −")
    ax.set_xlabel("sample n" if sampled else "t (ms)")
    ax.set_ylabel("x")
    error = float(np.max(np.abs(x - rebuilt)))
    n_events = int(np.count_nonzero(events))
    ax.set_title(f"{reference.replace('_', '-')} SOD, Δ = {delta:g}: {n_events} events, "
                 f"max |x − r| = {error:.3f} {'<' if error < delta else '≥'} Δ")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    return ax


def plot_sod_band(
    t: np.ndarray,
    x: np.ndarray,
    delta: float,
    reference: str = "lattice",
    axes: np.ndarray | None = None,
) -> np.ndarray:
    r"""Top: :func:`plot_sod`, titled with the event mass :math:`\sum|e_n|/\Delta` against
    :math:`\mathrm{TV}(x)/\Delta`. Bottom: the deviation :math:`(x_n - r_n)/\Delta` after each
    decision, with the silent band :math:`(-1, 1)`; its title gives the margin
    :math:`\Delta - \max|x - r|` (positive: the band held).

    Examples
    --------
    >>> t = np.linspace(0.0, 1.0, 11)
    >>> axes = plot_sod_band(t, 3 * t, delta=1.0)
    >>> axes[0].get_title()
    'lattice SOD, Δ = 1: mass Σ|e|/Δ = 3 ≤ TV/Δ = 3'
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.5, 5.2), sharex=True, layout="constrained",
                               height_ratios=(2, 1))
    plot_sod(t, x, delta, reference, ax=axes[0])
    events = send_on_delta(x, delta, reference)
    deviation = (x - sod_reconstruct(events, x[0])) / delta
    mass = float(np.sum(np.abs(events)) / delta)
    tv = float(np.sum(np.abs(np.diff(x))) / delta)
    axes[0].set_xlabel("")
    axes[0].set_title(f"{reference.replace('_', '-')} SOD, Δ = {delta:g}: mass Σ|e|/Δ = "
                      f"{mass:.4g} {'≤' if mass <= tv * (1 + 1e-12) else '>'} TV/Δ = {tv:.4g}")
    axes[1].plot(t, deviation, color="C0", lw=0.8)
    axes[1].axhspan(-1.0, 1.0, color="C1", alpha=0.12)
    for level in (-1.0, 1.0):
        axes[1].axhline(level, color="C1", lw=0.8, ls="--")
    margin = 1.0 - float(np.max(np.abs(deviation)))
    axes[1].set_ylim(-1.3, 1.3)
    axes[1].set_xlabel("t (ms)")
    axes[1].set_ylabel("(x − r)/Δ")
    axes[1].set_title(f"deviation after each decision: Δ − max|x − r| = {margin * delta:.2e} "
                      f"{'> 0' if margin > 0 else '≤ 0: the band is left'}", fontsize="medium")
    return axes


def plot_lif_network(
    weights: list[np.ndarray],
    input_spikes: Spikes,
    params: LIFParams,
    t_max: float,
    axes: np.ndarray | None = None,
    output_colours: Sequence[str] | None = None,
) -> np.ndarray:
    """Top: raster of the inputs and of every layer (sample 0). Bottom: the output layer's
    membrane potentials with the threshold and × at the exact crossings, one colour per
    output neuron (none of the raster's layer colours; a legend names up to ten).

    ``output_colours`` gives output j the colour ``output_colours[j]`` (say, its class's
    colour); the raster's layers are then drawn in greys, so that no colour means two things.

    Examples
    --------
    >>> w = [np.array([[10.0, 1.0]])]
    >>> axes = plot_lif_network(w, Spikes(np.array([[0.0]]), np.array([[0]])), LIFParams(), 20.0)
    >>> axes[1].get_title()
    'output layer: 1 spikes'
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.5, 5.2), sharex=True, layout="constrained",
                               height_ratios=(1.2, 1.0))
    top, bottom = axes
    layers = forward(weights, input_spikes.times[:1], input_spikes.ids[:1], params, t_max)
    rasters = [Spikes(input_spikes.times[:1], input_spikes.ids[:1]), *layers]
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    offset = 0
    for k, ((times, ids), size) in enumerate(zip(rasters, sizes, strict=True)):
        real = np.isfinite(times[0])
        label = "input" if k == 0 else f"layer {k}"
        colour = f"C{k}" if output_colours is None else str(0.6 - 0.4 * k / len(sizes))
        top.plot(times[0, real], offset + ids[0, real], "|", markersize=8, color=colour,
                 label=label)
        offset += size + 1
    top.set_ylabel("neuron (stacked by layer)")
    top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=2, frameon=False,
               fontsize="small")
    t = np.linspace(0.0, t_max, 2001)
    below = rasters[-2]
    V, _ = layer_traces(weights[-1], Spikes(below.times[:1], below.ids[:1]),
                        Spikes(layers[-1].times[:1], layers[-1].ids[:1]), params, t)
    for j in range(V.shape[2]):
        colour = (f"C{(len(rasters) + j) % 10}" if output_colours is None  # after the rasters'
                  else output_colours[j])
        bottom.plot(t, V[0, :, j], color=colour, lw=1.2, label=f"output {j}")
        own = layers[-1].times[0][(layers[-1].ids[0] == j) & np.isfinite(layers[-1].times[0])]
        bottom.plot(own, np.full(own.size, params.threshold), "x", color=colour, ms=8)
    if V.shape[2] <= 10:
        bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                      fontsize="small")
    bottom.axhline(params.threshold, color="0.3", ls="--", lw=1.0)
    bottom.set_ylabel("V (output layer)")
    bottom.set_xlabel("t (ms)")
    n_out = int(np.isfinite(layers[-1].times[0]).sum())
    bottom.set_title(f"output layer: {n_out} spikes")
    return axes


def plot_burst(
    recurrent_weight: float,
    input_weight: float,
    params: LIFParams,
    t_max: float,
    max_spikes: int = 1000,
    ax: Axes | None = None,
) -> Axes:
    r"""One LIF neuron at rest, one input spike of weight ``input_weight`` at t = 0 and a
    self-connection of weight ``recurrent_weight`` (:func:`~snnlib.lif.forward` with
    ``recurrent``): its cumulative spike count :math:`N(t)` on a log scale, with the bound
    :math:`\tau_s w/(\tau_m\vartheta - \tau_s r)` of chapter 4's bounded-burst proposition where
    :math:`\tau_s r < \tau_m\vartheta`.

    A burst that passes ``max_spikes`` before ``t_max`` (:class:`~snnlib.lif.SpikeLimitError`)
    is shown up to the longest window, shortened by factors of 0.8, that stays within the cap.

    Examples
    --------
    >>> ax = plot_burst(4.2, 10.0, LIFParams(), 200.0)
    >>> print(ax.get_title())
    r = 4.2 (τₛ r / τₘ ϑ = 1.05), w = 10:
    16 spikes, the last at 58.9 ms
    """
    ax = _axes(ax, figsize=(7.0, 3.4))
    p = params
    window = t_max
    while True:
        try:
            (out,) = forward([np.array([[input_weight]])], np.array([[0.0]]), np.array([[0]]),
                             p, window, recurrent=[np.array([[recurrent_weight]])],
                             max_spikes=max_spikes)
            break
        except SpikeLimitError:
            window *= 0.8
    times = out.times[0][np.isfinite(out.times[0])]
    ratio = p.tau_syn * recurrent_weight / (p.tau_mem * p.threshold)
    # two lines, so that the longest outcome fits the figure's width
    head = f"r = {recurrent_weight:.3g} (τₛ r / τₘ ϑ = {ratio:.3g}), w = {input_weight:.3g}:\n"
    if window < t_max:
        ax.set_title(f"{head}more than {max_spikes} spikes before {window / 0.8:.0f} ms "
                     "(SpikeLimitError)")
        ax.axvspan(window, t_max, color="0.9", lw=0)
    elif times.size and times[-1] > 0.95 * t_max:
        ax.set_title(f"{head}{times.size} spikes, still firing at the window's end")
    elif times.size:
        ax.set_title(f"{head}{times.size} spike{'s' * (times.size > 1)}, the last at "
                     f"{times[-1]:.1f} ms")
    else:
        ax.set_title(f"{head}no spike")
    ax.step(np.concatenate(([0.0], times, [window])),
            np.concatenate(([0], np.arange(1, times.size + 1), [times.size])), where="post",
            color="C0", label="spikes so far, N(t)")
    if ratio < 1:
        bound = p.tau_syn * input_weight / (p.tau_mem * p.threshold - p.tau_syn * recurrent_weight)
        ax.axhline(bound, color="C3", ls="--", lw=1.0, label=f"bound {bound:.3g}")
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_ylim(0, 3 * max_spikes)
    ax.set_xlim(0, t_max)
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("spikes so far")
    ax.legend(loc="upper left", frameon=False, fontsize="small")
    return ax


def plot_loss_slice(
    weights: list[np.ndarray],
    input_spikes: Spikes,
    labels: np.ndarray,
    params: LIFParams,
    t_max: float,
    layer: int,
    index: tuple[int, int],
    span: float = 0.5,
    ax: Axes | None = None,
) -> Axes:
    """The loss as weights[layer][index] moves by ±span, and the tangent of the exact gradient.

    Examples
    --------
    >>> w = [np.array([[8.0, 7.0]])]
    >>> s = Spikes(np.array([[0.0]]), np.array([[0]]))
    >>> ax = plot_loss_slice(w, s, np.array([0]), LIFParams(), 30.0, 0, (0, 0), span=0.1)
    >>> ax.get_xlabel()
    'change of the weight (layer 0, i = 0, j = 0)'
    """
    ax = _axes(ax, figsize=(6.5, 3.8))
    offsets = np.linspace(-span, span, 121)
    n_out = weights[-1].shape[1]
    values = []
    for d in offsets:
        moved = [w.copy() for w in weights]
        moved[layer][index] += d
        outputs = forward(moved, input_spikes.times, input_spikes.ids, params, t_max)[-1]
        values.append(np.mean(first_spike_cross_entropy(first_spike_times(outputs, n_out),
                                                        labels, t_max).loss))
    value, grads = loss_and_grad(weights, input_spikes.times, input_spikes.ids, labels, params,
                                 t_max)
    slope = grads[layer][index]
    ax.plot(offsets, values, color="C0", label="loss")
    near = np.abs(offsets) <= span / 3
    ax.plot(offsets[near], value + slope * offsets[near], "--", color="C3",
            label=f"exact gradient tangent (slope {slope + 0.0:.4g})")  # no "-0"
    ax.plot([0.0], [value], "o", color="C3")
    ax.set_xlabel(f"change of the weight (layer {layer}, i = {index[0]}, j = {index[1]})")
    ax.set_ylabel("batch-mean loss")
    ax.legend(frameon=False, fontsize="small")
    return ax


def plot_decision_regions(
    weights: list[np.ndarray],
    params: LIFParams,
    t_max: float,
    resolution: int = 80,
    points: tuple[np.ndarray, np.ndarray] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Colour each grid point of the Yin-Yang disc by the class whose output neuron fires
    first (grey: no output spike); optionally overlay labelled points (x, y features, labels).

    Examples
    --------
    >>> w = [np.full((5, 3), 3.0)]
    >>> ax = plot_decision_regions(w, LIFParams(), 50.0, resolution=10)
    >>> ax.get_xlabel()
    'x'
    """
    ax = _axes(ax, figsize=(4.6, 4.4))
    grid = np.linspace(0.0, 1.0, resolution)
    gx, gy = np.meshgrid(grid, grid)
    inside = np.hypot(gx - 0.5, gy - 0.5) <= 0.5
    xy = np.stack([gx[inside], gy[inside]], axis=1)
    times, ids = latency_encode(np.concatenate([xy, 1.0 - xy], axis=1))
    image = np.full(gx.shape, np.nan)
    image[inside] = predict(weights, times, ids, params, t_max)
    colours = ListedColormap(["0.7", *CLASS_COLOURS])
    ax.imshow(image + 1, origin="lower", extent=(0, 1, 0, 1), cmap=colours, vmin=0, vmax=3,
              interpolation="nearest", alpha=0.55)
    if points is not None:
        features, labels = points
        for k, colour in enumerate(CLASS_COLOURS):
            sel = labels == k
            ax.plot(features[sel, 0], features[sel, 1], ".", color=colour, ms=3,
                    label=f"class {k}")
        ax.legend(loc="upper right", fontsize="x-small", frameon=True)
    boundary = np.linspace(0, 2 * np.pi, 400)
    ax.plot(0.5 + 0.5 * np.cos(boundary), 0.5 + 0.5 * np.sin(boundary), color="0.3", lw=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_aspect("equal")
    ax.set_title("first output spike decides (grey: no spike)")
    return ax


def plot_adjoint_kick(
    problem: ODELoss,
    x0: np.ndarray,
    p: np.ndarray,
    T: float,
    t0: float,
    component: int = 0,
    size: float = 0.3,
    axes: np.ndarray | None = None,
) -> np.ndarray:
    """Top: the trajectory x(t) and, dashed, the one kicked by ``size`` in ``component`` at
    ``t0``. Bottom: the adjoint λ(t), with λ(t₀) marked; the title compares the loss change
    ΔL of the kick with the adjoint's prediction λ(t₀)·δx.

    Examples
    --------
    >>> prob = ODELoss(F=lambda t, x, p: -p[0] * x, F_x=lambda t, x, p: np.array([[-p[0]]]),
    ...                F_p=lambda t, x, p: np.array([[-x[0]]]),
    ...                phi=lambda x, p: x[0], phi_x=lambda x, p: np.array([1.0]))
    >>> axes = plot_adjoint_kick(prob, np.array([2.0]), np.array([0.5]), 3.0, 1.0, size=0.1)
    >>> axes[0].get_title()
    'kick δx = 0.1 e_0 at t₀ = 1: ΔL = 0.036788, λ(t₀)·δx = 0.036788'
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.5, 4.8), sharex=True, layout="constrained")
    top, bottom = axes
    sol = adjoint_solution(problem, x0, p, T)
    dx = np.zeros(np.size(x0))
    dx[component] = size
    kick = kicked_loss(problem, x0, p, T, t0, dx)
    delta_loss = kick.loss - sol.loss
    t = np.linspace(0.0, T, 601)
    x, lam = sol.state(t), sol.adjoint(t)
    after = np.linspace(t0, T, 301)
    kicked = kick.state(after)
    for i in range(x.shape[0]):
        top.plot(t, x[i], color=f"C{i}", lw=1.2, label=f"x_{i}(t)")
        top.plot(after, kicked[i], color=f"C{i}", lw=1.2, ls="--")
        bottom.plot(t, lam[i], color=f"C{i}", lw=1.2, label=f"λ_{i}(t)")
    top.plot([], [], color="0.4", ls="--", label="after the kick")
    top.axvline(t0, color="0.5", lw=0.8)
    bottom.axvline(t0, color="0.5", lw=0.8)
    lam0 = sol.adjoint(t0)
    bottom.plot([t0], [lam0[component]], "o", color=f"C{component}")
    top.set_ylabel("state x")
    bottom.set_ylabel("adjoint λ = ∂L/∂x(t)")
    bottom.set_xlabel("t (time units of the ODE)")
    top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=2, frameon=False,
               fontsize="small")
    bottom.legend(loc="upper center", bbox_to_anchor=(0.5, -0.24), ncols=3, frameon=False,
                  fontsize="small")
    top.set_title(f"kick δx = {size:g} e_{component} at t₀ = {t0:g}: ΔL = {delta_loss:.6f}, "
                  f"λ(t₀)·δx = {float(lam0 @ dx):.6f}")
    return axes


def plot_raster(
    spikes: Spikes,
    n_neurons: int,
    ax: Axes | None = None,
    sample: int = 0,
    t_max: float | None = None,
    color: str = "C0",
    offset: int = 0,
) -> Axes:
    """Spike raster of one sample: a tick at (time, neuron) for every spike.

    ``offset`` shifts the neuron axis (to stack several layers in one panel); the title
    counts the spikes.

    Examples
    --------
    >>> ax = plot_raster(Spikes(np.array([[1.0, 2.0, np.inf]]), np.array([[0, 1, 0]])), 2)
    >>> ax.get_title()
    '2 spikes'
    """
    ax = _axes(ax, figsize=(7.0, 2.4))
    times, ids = spikes.times[sample], spikes.ids[sample]
    real = np.isfinite(times)
    ax.plot(times[real], offset + ids[real], "|", color=color, markersize=7, mew=1.5)
    ax.set_ylim(offset - 0.8, offset + n_neurons - 0.2)
    if t_max is not None:
        ax.set_xlim(0.0, t_max)
    ax.set_xlabel("t (ms)")
    ax.set_ylabel("neuron")
    ax.set_title(f"{int(real.sum())} spikes")
    return ax


def plot_jump_adjoint(
    t: np.ndarray,
    exact: np.ndarray,
    smoothed: dict[str, np.ndarray],
    spikes: np.ndarray,
    zoom: tuple[float, float],
    ylabel: str = "λ_θ (1/(ms·rad))",
    axes: np.ndarray | None = None,
) -> np.ndarray:
    """Left: an exact adjoint with jumps at ``spikes`` (vertical lines) and smoothed adjoints
    ``smoothed[label]`` sampled at the same times ``t`` (ms). Right: the same over ``zoom``.
    The default unit of ``ylabel`` is that of ∂L/∂θ for a trace loss L = ½∫s² dt (trace s
    in 1/ms, so L in 1/ms).

    Examples
    --------
    >>> t = np.linspace(0.0, 2.0, 201)
    >>> axes = plot_jump_adjoint(t, np.where(t < 1, 1.0, 0.0), {"ε = 0.1": np.clip(
    ...     (1.1 - t) / 0.2, 0, 1)}, np.array([1.0]), (0.5, 1.5))
    >>> [float(x) for x in axes[1].get_xlim()]
    [0.5, 1.5]
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.0, 3.4), layout="constrained",
                               gridspec_kw={"width_ratios": [2, 1]})
    for ax in axes:
        for i, (label, lam) in enumerate(smoothed.items()):
            ax.plot(t, lam, color=f"C{i + 1}", lw=1.0, label=label)
        ax.plot(t, exact, color="k", lw=1.4, ls="--", label="exact (jump adjoint)")
        for tk in spikes:
            ax.axvline(tk, color="0.7", lw=0.6, zorder=0)
        ax.set_xlabel("t (ms)")
    axes[0].set_ylabel(ylabel)
    axes[0].legend(fontsize=8)
    axes[1].set_xlim(float(zoom[0]), float(zoom[1]))
    inside = (t >= zoom[0]) & (t <= zoom[1])
    values = np.concatenate([exact[inside], *[lam[inside] for lam in smoothed.values()]])
    pad = 0.05 * (np.ptp(values) or 1.0)
    axes[1].set_ylim(values.min() - pad, values.max() + pad)
    axes[1].set_title("near a spike", fontsize=9)
    return axes


def plot_backward_pass(
    sol: AdjointSolution,
    T: float,
    params: Sequence[int],
    param_labels: Sequence[str],
    axes: np.ndarray | None = None,
) -> np.ndarray:
    """The backward pass of the adjoint method, read from right to left. Top: the adjoint
    λ(t) = ∂L/∂x(t), starting from λ(T) = φ_x. Bottom: the running gradient
    μ_j(t) = ∫_t^T (λᵀF_p + l_p)_j ds for the parameters ``params``, which reaches the
    gradient's integral part at t = 0 (dots).

    Examples
    --------
    >>> from snnlib.adjoint import rate_network_loss
    >>> sol = adjoint_solution(rate_network_loss(2, np.array([0.5, -0.5])), np.array([1.0, 0.0]),
    ...                        np.full(6, 0.3), 2.0)
    >>> axes = plot_backward_pass(sol, 2.0, [0, 4], ["W₀₀", "b₀"])
    >>> dot = axes[1].get_lines()[1]   # the running gradient of W₀₀ at t = 0 is dL/dW₀₀
    >>> bool(np.isclose(dot.get_ydata()[0], sol.grad[0]))
    True
    """
    if len(params) != len(param_labels):
        raise ValueError("give one label per parameter")
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(7.5, 4.8), sharex=True, layout="constrained")
    top, bottom = axes
    t = np.linspace(0.0, T, 601)
    lam, running = sol.adjoint(t), sol.running(t)
    for i in range(lam.shape[0]):
        top.plot(t, lam[i], color=f"C{i}", lw=1.2, label=f"λ_{i}(t)")
    for c, (j, label) in enumerate(zip(params, param_labels, strict=True)):
        bottom.plot(t, running[j], color=f"C{c}", lw=1.2, label=f"μ for {label}")
        bottom.plot([0.0], [running[j, 0]], "o", color=f"C{c}")
    top.set_ylabel("adjoint λ = ∂L/∂x(t)")
    bottom.set_ylabel("running gradient μ(t)")
    bottom.set_xlabel("t (backward pass runs from T to 0)")
    for ax in axes:
        ax.axhline(0.0, color="0.6", lw=0.6)
        ax.legend(fontsize=8, ncol=2)
    return axes
