"""Interactive figures that work without a kernel: controls linked in the browser to frames.

Each explorer draws its figure with a tested function of :mod:`snnlib.plotting` once for
every point of a grid of control values, keeps the pictures as PNG frames in nested
``ipywidgets.Stack`` widgets, and links every control to the stacks it selects from with
``ipywidgets.jslink``. The links run in the browser and are saved with the notebook's widget
state, so the figures respond in the static online book, where no kernel is running, exactly
as they do in Jupyter. Nothing is computed here that the plotting functions do not compute.

Contents
--------
Control
    One control: the keyword it sets, its grid of values, its label and default.
render_frame
    One figure drawn by a plotting call, as compact PNG bytes.
FrameExplorer
    The widget: controls above nested stacks of frames, linked in the browser.
pairing_explorer, triangle_explorer, threshold_explorer
    The explorers of chapters 1, 2 and 3.
lif_explorer, adjoint_kick_explorer, gradient_explorer, yinyang_point_explorer
    The explorers of chapters 4, 5, 6 and 7.
if_explorer, sod_explorer
    The explorers of chapters 8 and 9.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from snnlib.adjoint import ODELoss
from snnlib.datasets import latency_encode
from snnlib.distributions import SpikeTrain, bump
from snnlib.lif import LIFParams, Spikes
from snnlib.plotting import (
    plot_adjoint_kick,
    plot_if_sampling,
    plot_lif_network,
    plot_loss_slice,
    plot_pairing_under_shift,
    plot_sod,
    plot_threshold_crossings,
    plot_triangle_pairing,
    plot_triangle_zoom,
)

__all__ = [
    "Control",
    "FrameExplorer",
    "adjoint_kick_explorer",
    "gradient_explorer",
    "if_explorer",
    "lif_explorer",
    "pairing_explorer",
    "render_frame",
    "sod_explorer",
    "threshold_explorer",
    "triangle_explorer",
    "triangle_zoom_explorer",
    "yinyang_point_explorer",
]

#: Resolution and palette size of the frames: small enough that a chapter's saved widget
#: state stays near a megabyte, sharp enough for text at the figures' font sizes.
FRAME_DPI = 90
FRAME_COLORS = 64
_FRAME_LAYOUT = {"max_width": "100%", "height": "auto"}


@dataclass(frozen=True)
class Control:
    """One control of a :class:`FrameExplorer`.

    Parameters
    ----------
    name : str
        The keyword argument of the drawing function that this control sets.
    values : sequence
        The grid: one frame is drawn for each value (times the other controls' values).
    label : str
        The text shown next to the control.
    default : object, optional
        The value shown first; must be one of ``values`` (default: the first).
    fmt : str
        Format of each value in the control's readout, e.g. ``"{:.3g}"``.
    dropdown : bool
        A drop-down menu instead of a slider (for a few named choices).
    """

    name: str
    values: tuple
    label: str
    default: Any = None
    fmt: str = "{:.3g}"
    dropdown: bool = False
    _index: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = tuple(self.values)
        if not values:
            raise ValueError(f"control {self.name!r}: values must not be empty")
        object.__setattr__(self, "values", values)
        default = values[0] if self.default is None else self.default
        matches = [i for i, v in enumerate(values) if v == default]
        if not matches:
            raise ValueError(f"control {self.name!r}: default {default!r} is not one of the "
                             f"values {values!r}")
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "_index", matches[0])

    @property
    def index(self) -> int:
        """Position of the default value in the grid."""
        return self._index

    def regrid(self, values: Sequence) -> Control:
        """The same control on another grid (the default kept if it is on it)."""
        values = tuple(values)
        default = self.default if self.default in values else None
        return Control(self.name, values, self.label, default, self.fmt, self.dropdown)

    def widget(self) -> widgets.ValueWidget:
        """The slider or drop-down: its ``index`` trait is what the browser links."""
        options = [(self.fmt.format(v), v) for v in self.values]
        common = {"options": options, "index": self.index, "description": self.label,
                  "style": {"description_width": "initial"}}
        if self.dropdown:
            return widgets.Dropdown(**common)
        return widgets.SelectionSlider(continuous_update=True,
                                       layout=widgets.Layout(width="480px"), **common)


def render_frame(draw: Callable[[], object], dpi: int = FRAME_DPI,
                 colors: int = FRAME_COLORS) -> bytes:
    """Call ``draw`` (which makes one matplotlib figure), and return that figure as PNG bytes.

    The figure is rendered at ``dpi`` and reduced to a palette of ``colors`` colours without
    dithering, which shrinks line art several times at no visible cost. The result depends
    only on what ``draw`` draws: calling this twice gives identical bytes.

    Examples
    --------
    >>> png = render_frame(lambda: plt.subplots()[1].plot([0, 1], [0, 1]))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    figures_before = set(plt.get_fignums())
    draw()
    new = [n for n in plt.get_fignums() if n not in figures_before]
    if len(new) != 1:
        for n in new:
            plt.close(n)
        raise ValueError(f"draw must make exactly one new figure, it made {len(new)}")
    fig = plt.figure(new[0])
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)  # rendered to pixels directly, no intermediate PNG
    canvas.draw()
    pixels = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")
    plt.close(fig)
    image = pixels.quantize(colors=colors, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


class FrameExplorer(widgets.VBox):
    """Controls above nested stacks of pre-drawn frames, linked in the browser.

    ``draw(**values)`` must make one figure for one value of every control; it is called for
    every combination of the controls' grids (their product is the number of frames).
    ``grids`` replaces the grids of the named controls, e.g. ``grids={"eps": (0.1, 0.3)}``. The
    first control selects among the outermost stack's children, the last among images. Each
    control's ``index`` is linked with ``ipywidgets.jslink`` to the ``selected_index`` of
    every stack at its depth, so the figure follows the controls with or without a kernel.

    Attributes
    ----------
    controls : list of Control
    control_widgets : list of ipywidgets widgets, one per control
    stack : ipywidgets.Stack, the outermost stack
    links : list of ipywidgets.Link

    Examples
    --------
    >>> def draw(a):
    ...     plt.subplots()[1].plot([0.0, a])
    >>> ex = FrameExplorer(draw, [Control("a", (1.0, 2.0), "a")])
    >>> ex.n_frames, ex.frame(a=2.0) == render_frame(lambda: draw(2.0))
    (2, True)
    """

    def __init__(self, draw: Callable[..., object], controls: Sequence[Control],
                 dpi: int = FRAME_DPI, colors: int = FRAME_COLORS,
                 grids: dict[str, Sequence] | None = None) -> None:
        controls = list(controls)
        if not controls or not all(isinstance(c, Control) for c in controls):
            raise TypeError("controls must be a non-empty sequence of Control")
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct, got {names}")
        unknown = set(grids or {}) - set(names)
        if unknown:
            raise ValueError(f"grids: no control named {sorted(unknown)}; controls: {names}")
        controls = [c if c.name not in (grids or {}) else c.regrid(grids[c.name])
                    for c in controls]
        self.controls = controls
        self.control_widgets = [c.widget() for c in controls]
        by_depth: list[list[widgets.Stack]] = [[] for _ in controls]

        def build(depth: int, fixed: dict) -> widgets.Widget:
            control = controls[depth]
            children = []
            for value in control.values:
                values = {**fixed, control.name: value}
                if depth + 1 < len(controls):
                    children.append(build(depth + 1, values))
                else:
                    png = render_frame(lambda v=values: draw(**v), dpi, colors)
                    children.append(widgets.Image(value=png, format="png", layout=_FRAME_LAYOUT))
            stack = widgets.Stack(children=children, selected_index=control.index)
            by_depth[depth].append(stack)
            return stack

        self.stack = build(0, {})
        self.links = [widgets.jslink((w, "index"), (stack, "selected_index"))
                      for w, stacks in zip(self.control_widgets, by_depth, strict=True)
                      for stack in stacks]
        super().__init__(children=[*self.control_widgets, self.stack])

    @property
    def n_frames(self) -> int:
        """How many frames were drawn: the product of the grids' sizes."""
        return int(np.prod([len(c.values) for c in self.controls]))

    def frame(self, **values: Any) -> bytes:
        """The PNG bytes of the frame for one value of every control."""
        node: widgets.Widget = self.stack
        for control in self.controls:
            if control.name not in values:
                raise ValueError(f"frame needs a value for {control.name!r}")
            node = node.children[control.values.index(values[control.name])]
        return node.value

    def frames(self) -> dict[tuple, bytes]:
        """Every frame, keyed by its tuple of control values (in the controls' order)."""
        grids = [c.values for c in self.controls]
        return {combo: self.frame(**dict(zip([c.name for c in self.controls], combo,
                                             strict=True)))
                for combo in itertools.product(*grids)}


def _log_grid(lo: float, hi: float, per_decade: int) -> tuple[float, ...]:
    """Round numbers from lo to hi, evenly spaced on a log scale."""
    n = round(float(np.log10(hi / lo)) * per_decade) + 1
    return tuple(float(f"{v:.3g}") for v in np.geomspace(lo, hi, n))


def _lin_grid(lo: float, hi: float, n: int) -> tuple[float, ...]:
    return tuple(float(f"{v:.6g}") for v in np.linspace(lo, hi, n))


def pairing_explorer(
    times: np.ndarray, weights: np.ndarray, t_range: tuple[float, float] = (0.0, 10.0),
    **grids: Sequence,
) -> FrameExplorer:
    """Shift a spike train and widen a bump test function: the pairing (top,
    :func:`~snnlib.plotting.plot_pairing`) and the pairing as a function of the shift with its
    tangent (bottom): :func:`~snnlib.plotting.plot_pairing_under_shift`.

    Controls: shift (−2 … 2 ms, 9 values) and bump width (4 values): 36 frames.
    """
    lo, hi = t_range
    base = np.asarray(times, dtype=np.float64)
    shifts = tuple(grids.get("shift", _lin_grid(-2.0, 2.0, 9)))

    def draw(shift: float, width: float) -> None:
        plot_pairing_under_shift(SpikeTrain(base, weights), bump(0.5 * (lo + hi), width), shift,
                                 t_range, (min(shifts), max(shifts)))

    return FrameExplorer(draw, [
        Control("shift", _lin_grid(-2.0, 2.0, 9), "shift of the train (ms)", 0.0, "{:+.2f}"),
        Control("width", (0.75, 1.5, 3.0, 4.5), "bump half-width (ms)", 1.5, "{:.2f}"),
    ], grids=grids)


def triangle_explorer(
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray],
    t_range: tuple[float, float] = (-1.5, 1.5),
    **grids: Sequence,
) -> FrameExplorer:
    """ε over two decades (0.01 … 1 ms, 13 log-spaced values) for
    :func:`~snnlib.plotting.plot_triangle_pairing`."""
    return FrameExplorer(
        lambda eps: plot_triangle_pairing(eps, f, df, t_range),
        [Control("eps", _log_grid(0.01, 1.0, 6), "ε (ms)", 0.464, "{:.3g}")],
        grids=grids,
    )


def triangle_zoom_explorer(
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray],
    **grids: Sequence,
) -> FrameExplorer:
    """ε over two decades (0.01 … 1 ms, 13 log-spaced values) for
    :func:`~snnlib.plotting.plot_triangle_zoom`: the window scales with ε, and a log–log
    panel shows both errors against ε with the current ε marked."""
    eps_grid = _log_grid(0.01, 1.0, 6)
    return FrameExplorer(
        lambda eps: plot_triangle_zoom(eps, f, df, eps_grid),
        [Control("eps", eps_grid, "ε (ms)", 0.464, "{:.3g}")],
        grids=grids,
    )


def threshold_explorer(
    v: Callable[[np.ndarray], np.ndarray],
    dv: Callable[[np.ndarray], np.ndarray],
    t_span: tuple[float, float],
    threshold: float = 1.0,
    **grids: Sequence,
) -> FrameExplorer:
    """Drag the threshold (control ``theta``: 0.2 … 1.5, 14 values, starting at the one
    nearest ``threshold``) at three widths ``eps`` for
    :func:`~snnlib.plotting.plot_threshold_crossings`."""
    levels = tuple(grids.pop("theta", _lin_grid(0.2, 1.5, 14)))
    default = min(levels, key=lambda x: abs(x - threshold))
    return FrameExplorer(
        lambda theta, eps: plot_threshold_crossings(v, dv, theta, eps, t_span),
        [Control("theta", levels, "ϑ", default, "{:.2f}"),
         Control("eps", (0.01, 0.05, 0.2), "ε", 0.05, "{:g}")],
        grids=grids,
    )


def lif_explorer(
    weights: list[np.ndarray], input_spikes: Spikes, params: LIFParams, t_max: float,
    **grids: Sequence,
) -> FrameExplorer:
    """Scale the input weights and the weights into the output layer of a small LIF network
    (0 … 3, 7 and 5 values: 35 frames) and watch :func:`~snnlib.plotting.plot_lif_network`."""

    def draw(input_gain: float, output_gain: float) -> None:
        scaled = [weights[0] * input_gain, *(w * output_gain for w in weights[1:])]
        plot_lif_network(scaled, input_spikes, params, t_max)

    return FrameExplorer(draw, [
        Control("input_gain", _lin_grid(0.0, 3.0, 7), "input gain", 1.0, "{:.2f}"),
        Control("output_gain", _lin_grid(0.0, 3.0, 5), "output gain", 1.5, "{:.2f}"),
    ], grids=grids)


def adjoint_kick_explorer(
    problem: ODELoss, x0: np.ndarray, p: np.ndarray, T: float, component: int = 0,
    size: float = 0.3,
    **grids: Sequence,
) -> FrameExplorer:
    """Kick the state at time t₀ (21 values over [0, T)) and compare the loss change with
    λ(t₀)·δx: :func:`~snnlib.plotting.plot_adjoint_kick`."""
    return FrameExplorer(
        lambda t0: plot_adjoint_kick(problem, x0, p, T, t0, component, size),
        [Control("t0", _lin_grid(0.0, 0.95 * T, 20), "kick time t₀", 0.0, "{:.2f}")],
        grids=grids,
    )


def gradient_explorer(
    weights: list[np.ndarray],
    input_spikes: Spikes,
    labels: np.ndarray,
    params: LIFParams,
    t_max: float,
    entries: Sequence[tuple[int, int, int]] | None = None,
    **grids: Sequence,
) -> FrameExplorer:
    """Pick a weight (``entries``: (layer, row, column) triples; default the first two of
    every layer) and a span; :func:`~snnlib.plotting.plot_loss_slice` draws the loss along
    it and the tangent
    of the exact gradient."""
    if entries is None:
        entries = [(k, i, j) for k, w in enumerate(weights)
                   for i, j in ((0, 0), (w.shape[0] - 1, w.shape[1] - 1))]
    entries = [tuple(int(n) for n in e) for e in entries]
    for layer, row, column in entries:
        if not (0 <= layer < len(weights) and 0 <= row < weights[layer].shape[0]
                and 0 <= column < weights[layer].shape[1]):
            raise ValueError(f"entries: ({layer}, {row}, {column}) is not a weight index")

    def draw(entry: tuple[int, int, int], span: float) -> None:
        plot_loss_slice(weights, input_spikes, labels, params, t_max, entry[0],
                        entry[1:], span)

    return FrameExplorer(draw, [
        Control("entry", tuple(entries), "weight (layer, i, j)", fmt="{}", dropdown=True),
        Control("span", (0.05, 0.5), "span", 0.5, "{:g}"),
    ], grids=grids)


def yinyang_point_explorer(
    weights: list[np.ndarray], params: LIFParams, t_max: float,
    **grids: Sequence,
) -> FrameExplorer:
    """Pick a point (x, y) of the Yin-Yang square (8 × 8 grid, 0.15 … 0.85) and watch the
    trained network respond: :func:`~snnlib.plotting.plot_lif_network` on the
    latency-encoded point."""

    def draw(x: float, y: float) -> None:
        times, ids = latency_encode(np.array([[x, y, 1.0 - x, 1.0 - y]]))
        plot_lif_network(weights, Spikes(times, ids), params, t_max)

    grid = _lin_grid(0.15, 0.85, 8)
    return FrameExplorer(draw, [Control("x", grid, "x", 0.35, "{:.2f}"),
                                Control("y", grid, "y", 0.65, "{:.2f}")], grids=grids)


def if_explorer(
    t: np.ndarray, x: np.ndarray, threshold: float = 1.0, **grids: Sequence
) -> FrameExplorer:
    """Threshold (control ``theta``: 7 log-spaced values, 0.1 … 10, starting nearest
    ``threshold``), ``reset`` rule and ``leak`` (3 each) for
    :func:`~snnlib.plotting.plot_if_sampling`: 63
    frames."""
    levels = tuple(grids.pop("theta", _log_grid(0.1, 10.0, 3)))
    default = min(levels, key=lambda v: abs(np.log(v / threshold)))
    return FrameExplorer(
        lambda theta, reset, leak: plot_if_sampling(t, x, theta, reset, leak),
        [Control("theta", levels, "ϑ", default, "{:.3g}"),
         Control("reset", ("mod", "subtract", "zero"), "reset", fmt="{}", dropdown=True),
         Control("leak", (0.0, 0.05, 0.2), "leak (1/ms)", fmt="{:g}")],
        grids=grids,
    )


def sod_explorer(
    t: np.ndarray, x: np.ndarray, delta: float = 0.25, **grids: Sequence
) -> FrameExplorer:
    """Δ (control ``step``: 13 log-spaced values, 0.01 … 1, starting nearest ``delta``) and
    the ``reference`` for :func:`~snnlib.plotting.plot_sod`."""
    levels = tuple(grids.pop("step", _log_grid(0.01, 1.0, 6)))
    default = min(levels, key=lambda v: abs(np.log(v / delta)))
    return FrameExplorer(
        lambda step, reference: plot_sod(t, x, step, reference),
        [Control("step", levels, "Δ", default, "{:.3g}"),
         Control("reference", ("lattice", "last_value"), "reference", fmt="{}",
                 dropdown=True)],
        grids=grids,
    )
