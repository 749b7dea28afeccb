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
render_frame, png_text, describe_figure
    One figure drawn by a plotting call, as compact PNG bytes; the text stored in a PNG; what
    a figure shows, in words (the alternative text of an explorer's frame).
FrameExplorer
    The widget: controls above nested stacks of frames, linked in the browser.
pairing_explorer, triangle_zoom_explorer, threshold_explorer
    The explorers of chapters 1, 2 and 3.
burst_explorer
    The recurrent weight of chapter 4's self-exciting neuron across the balance
    τ_s r = τ_m ϑ.
adjoint_kick_size_explorer, gradient_explorer, yinyang_decision_explorer
    The explorers of chapters 5, 6 and 7.
if_explorer, sod_band_explorer
    The explorers of chapters 8 and 9 (the latter with the event mass and the deviation band).
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
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from snnlib.adjoint import ODELoss
from snnlib.datasets import latency_encode, yin_yang_class
from snnlib.distributions import SpikeTrain, bump
from snnlib.lif import LIFParams, Spikes, first_spike_times, forward
from snnlib.plotting import (
    CLASS_COLOURS,
    plot_adjoint_kick,
    plot_burst,
    plot_if_sampling,
    plot_lif_network,
    plot_loss_slice,
    plot_pairing_under_shift,
    plot_sod_band,
    plot_threshold_crossings,
    plot_triangle_zoom,
)

__all__ = [
    "Control",
    "FrameExplorer",
    "adjoint_kick_size_explorer",
    "burst_explorer",
    "describe_figure",
    "gradient_explorer",
    "if_explorer",
    "pairing_explorer",
    "png_text",
    "render_frame",
    "sod_band_explorer",
    "threshold_explorer",
    "triangle_zoom_explorer",
    "yinyang_decision_explorer",
]

#: Resolution and palette size of the frames: small enough that a chapter's saved widget
#: state stays near a megabyte, sharp enough for text at the figures' font sizes.
FRAME_DPI = 90
FRAME_COLORS = 64
#: The printed edition shows each explorer's default frame as a still figure, drawn sharper.
PRINT_DPI = 150
PRINT_COLORS = 256
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


def describe_figure(fig: plt.Figure) -> str:
    """What a figure shows, in words: its titles (which the plotting functions compute from
    the data they draw: counts, errors, values) and each panel's axis labels.

    This is the alternative text of an explorer's frame, so it comes from the same figure the
    frame's pixels come from.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1]); _ = ax.set_title("3 spikes"); _ = ax.set_xlabel("t (ms)")
    >>> describe_figure(fig)
    'Panel: 3 spikes (horizontal axis t (ms)).'
    >>> plt.close(fig)
    """
    if not isinstance(fig, plt.Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(_one_line(suptitle.get_text()) + ".")
    for ax in fig.get_axes():
        title = " ".join(_one_line(t.get_text()) for t in (ax.title, ax._left_title,
                                                           ax._right_title) if t.get_text())
        axes = [f"{name} axis {_one_line(label)}" for name, label in
                (("horizontal", ax.get_xlabel()), ("vertical", ax.get_ylabel())) if label]
        if not (title or axes):
            continue
        text = "Panel" + (f": {title}" if title else "")
        parts.append(text + (f" ({', '.join(axes)})" if axes else "") + ".")
    return " ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.replace("$", "").split())


def _render(draw: Callable[[], object], dpi: int, colors: int,
            text: dict[str, str] | None) -> tuple[bytes, str]:
    """The PNG bytes of the one figure ``draw`` makes, and its description: the string
    ``draw`` returned if it returned one, else :func:`describe_figure` of the figure."""
    figures_before = set(plt.get_fignums())
    returned = draw()
    new = [n for n in plt.get_fignums() if n not in figures_before]
    if len(new) != 1:
        for n in new:
            plt.close(n)
        raise ValueError(f"draw must make exactly one new figure, it made {len(new)}")
    fig = plt.figure(new[0])
    description = returned if isinstance(returned, str) else describe_figure(fig)
    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)  # rendered to pixels directly, no intermediate PNG
    canvas.draw()
    pixels = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB")
    plt.close(fig)
    image = pixels.quantize(colors=colors, dither=Image.Dither.NONE)
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)  # international text: UTF-8, so labels such as ϑ survive
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue(), description


def render_frame(draw: Callable[[], object], dpi: int = FRAME_DPI,
                 colors: int = FRAME_COLORS, text: dict[str, str] | None = None) -> bytes:
    """Call ``draw`` (which makes one matplotlib figure), and return that figure as PNG bytes.

    The figure is rendered at ``dpi`` and reduced to a palette of ``colors`` colours without
    dithering, which shrinks line art several times at no visible cost. ``text`` is stored in
    the PNG as text chunks (key: value), e.g. a caption. The result depends only on what
    ``draw`` draws and on ``text``: calling this twice gives identical bytes.

    Examples
    --------
    >>> png = render_frame(lambda: plt.subplots()[1].plot([0, 1], [0, 1]))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    return _render(draw, dpi, colors, text)[0]


def png_text(png: bytes) -> dict[str, str]:
    """The text chunks of PNG bytes (what ``render_frame(..., text=...)`` stored).

    Examples
    --------
    >>> png = render_frame(lambda: plt.subplots(), text={"Caption": "ϑ = 1"})
    >>> png_text(png)
    {'Caption': 'ϑ = 1'}
    """
    with Image.open(io.BytesIO(png)) as image:
        return {key: str(value) for key, value in image.text.items()}


class _FrameImage(widgets.Image):
    """A frame: an ``Image`` whose tooltip (the frame's alternative text) reaches the page.

    ipywidgets 8's ``DOMWidgetView.updateTooltip`` reads the model's ``description``, which
    ``Image`` lacks: with a tooltip set, the browser fails to create the view (TypeError). An
    empty ``description`` makes it set the ``<img>``'s ``title``, which the book's script
    (``book/_assets/book-a11y.js``) turns into its ``alt``.
    """

    description = traitlets.Unicode("").tag(sync=True)


class FrameExplorer(widgets.VBox):
    """Controls above nested stacks of pre-drawn frames, linked in the browser.

    ``draw(**values)`` must make one figure for one value of every control; it is called for
    every combination of the controls' grids (their product is the number of frames).
    ``grids`` replaces the grids of the named controls, e.g. ``grids={"eps": (0.1, 0.3)}``. The
    first control selects among the outermost stack's children, the last among images. Each
    control's ``index`` is linked with ``ipywidgets.jslink`` to the ``selected_index`` of
    every stack at its depth, so the figure follows the controls with or without a kernel.

    Where widgets cannot be shown (the printed book, a notebook viewer without a widget
    manager) the explorer displays :attr:`still`: its default frame drawn at ``print_dpi``,
    with a caption (PNG text chunk ``Caption``, see :func:`png_text`) naming the control
    values shown.

    Attributes
    ----------
    controls : list of Control
    control_widgets : list of ipywidgets widgets, one per control
    stack : ipywidgets.Stack, the outermost stack
    links : list of ipywidgets.Link
    caption : str, the still's caption
    still : bytes, the PNG of the default frame for print

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
                 grids: dict[str, Sequence] | None = None, print_dpi: int = PRINT_DPI,
                 title: str = "Interactive figure") -> None:
        if not isinstance(title, str) or not title.strip():
            raise TypeError(f"title must be a non-empty string, got {title!r}")
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
        self.title = title
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
                    png, description = _render(lambda v=values: draw(**v), dpi, colors, None)
                    children.append(_FrameImage(
                        value=png, format="png", layout=_FRAME_LAYOUT,
                        tooltip=self._alt_text(values, description)))
            stack = widgets.Stack(children=children, selected_index=control.index)
            by_depth[depth].append(stack)
            return stack

        self.stack = build(0, {})
        self.links = [widgets.jslink((w, "index"), (stack, "selected_index"))
                      for w, stacks in zip(self.control_widgets, by_depth, strict=True)
                      for stack in stacks]
        super().__init__(children=[*self.control_widgets, self.stack])
        shown = ", ".join(f"{c.label} = {c.fmt.format(c.default)}" for c in controls)
        self.caption = (f"Shown: {shown}. In the online edition the controls move this figure "
                        f"through its {self.n_frames} frames.")
        defaults = {c.name: c.default for c in controls}
        self.still = render_frame(lambda: draw(**defaults), print_dpi, PRINT_COLORS,
                                  text={"Caption": self.caption})

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The widget, and the still for front ends that cannot show widgets."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"FrameExplorer with {self.n_frames} frames. {self.caption}"
        bundle["image/png"] = self.still
        return bundle

    def _alt_text(self, values: dict, description: str) -> str:
        shown = ", ".join(f"{c.label} = {c.fmt.format(values[c.name])}" for c in self.controls)
        return f"{self.title} at {shown}. {description}".strip()

    def alt(self, **values: Any) -> str:
        """The alternative text of the frame for one value of every control: the control
        values with their labels (and units), then what the frame's figure states."""
        return self._leaf(values).tooltip

    @property
    def n_frames(self) -> int:
        """How many frames were drawn: the product of the grids' sizes."""
        return int(np.prod([len(c.values) for c in self.controls]))

    def frame(self, **values: Any) -> bytes:
        """The PNG bytes of the frame for one value of every control."""
        return self._leaf(values).value

    def _leaf(self, values: dict) -> widgets.Image:
        node: widgets.Widget = self.stack
        for control in self.controls:
            if control.name not in values:
                raise ValueError(f"frame needs a value for {control.name!r}")
            if values[control.name] not in control.values:
                raise ValueError(f"{control.name}: {values[control.name]!r} is not on the grid")
            node = node.children[control.values.index(values[control.name])]
        return node

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
    ], grids=grids, title="Pairing of a shifted spike train with a bump")


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
        grids=grids, title="The triangle kernel Λ_ε zoomed to its width ε",
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
        grids=grids, title="Threshold crossings of a membrane potential",
    )


def burst_explorer(params: LIFParams, t_max: float, **grids: Sequence) -> FrameExplorer:
    """Move the self-connection r of one LIF neuron across the balance τ_s r = τ_m ϑ (r = 4 for
    the default parameters; 10 values from 0 to 4.5) and its single input's weight w (7, 10,
    14): 30 frames of :func:`~snnlib.plotting.plot_burst`."""

    def draw(recurrent_weight: float, input_weight: float) -> None:
        plot_burst(recurrent_weight, input_weight, params, t_max)

    return FrameExplorer(draw, [
        Control("recurrent_weight", (0.0, 2.0, 3.0, 3.6, 3.9, 4.1, 4.2, 4.3, 4.4, 4.5),
                "recurrent r", 3.9, "{:.2f}"),
        Control("input_weight", (7.0, 10.0, 14.0), "input w", 10.0, "{:.0f}"),
    ], grids=grids, title="A self-exciting LIF neuron")


def adjoint_kick_size_explorer(
    problem: ODELoss, x0: np.ndarray, p: np.ndarray, T: float, component: int = 0,
    **grids: Sequence,
) -> FrameExplorer:
    """Kick the state at time t₀ (10 values, 0 … 0.9 T) by a kick of size δx (0.3, 0.1, 0.03,
    0.01; first shown 0.03) and compare the loss change with λ(t₀)·δx:
    :func:`~snnlib.plotting.plot_adjoint_kick`, 40 frames. As the size shrinks, ΔL/δx tends
    to λ(t₀); the remainder is quadratic in δx."""
    return FrameExplorer(
        lambda t0, size: plot_adjoint_kick(problem, x0, p, T, t0, component, size),
        [Control("t0", _lin_grid(0.0, 0.9 * T, 10), "kick time t₀", 0.0, "{:.2f}"),
         Control("size", (0.3, 0.1, 0.03, 0.01), "kick size δx", 0.03, "{:g}")],
        grids=grids, title="A kick to the state against the adjoint",
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
        Control("span", (0.05, 0.5), "span", 0.05, "{:g}"),
    ], grids=grids, title="The loss along one weight and the exact gradient's tangent")


def yinyang_decision_explorer(
    weights: list[np.ndarray], params: LIFParams, t_max: float, resolution: int = 60,
    **grids: Sequence,
) -> FrameExplorer:
    """A point of the Yin-Yang square and the trained network's answer to it: left, the
    network's decision regions (computed once, ``resolution`` × ``resolution``) with the point
    marked; its title gives the point's class (:func:`~snnlib.datasets.yin_yang_class`), the
    network's answer and the lead of the first output spike over the second. Right, the
    rasters and the output membranes of :func:`~snnlib.plotting.plot_lif_network`, output j
    in the colour of class j, with a legend for the outputs. 49 frames (the saved state of 64
    exceeds the budget).

    Examples
    --------
    >>> w = [np.full((5, 4), 3.0), np.full((4, 3), 3.0)]
    >>> yinyang_decision_explorer(w, LIFParams(), 50.0, resolution=8, x=(0.35,), y=(0.65,)).n_frames
    1
    """
    from snnlib.training import predict

    grid = np.linspace(0.0, 1.0, resolution)
    gx, gy = np.meshgrid(grid, grid)
    inside = np.hypot(gx - 0.5, gy - 0.5) <= 0.5
    xy = np.stack([gx[inside], gy[inside]], axis=1)
    image = np.full(gx.shape, np.nan)
    image[inside] = predict(weights, *latency_encode(np.concatenate([xy, 1.0 - xy], axis=1)),
                            params, t_max)
    colours = list(CLASS_COLOURS)

    def draw(x: float, y: float) -> None:
        from matplotlib.colors import ListedColormap

        fig = plt.figure(figsize=(11.0, 5.0), layout="constrained")
        left, right = fig.subfigures(1, 2, width_ratios=(1.0, 1.5))
        ax = left.subplots()
        ax.imshow(image + 1, origin="lower", extent=(0, 1, 0, 1), vmin=0, vmax=3, alpha=0.55,
                  cmap=ListedColormap(["0.7", *colours]), interpolation="nearest")
        times, ids = latency_encode(np.array([[x, y, 1.0 - x, 1.0 - y]]))
        first = first_spike_times(forward(weights, times, ids, params, t_max)[-1],
                                  weights[-1].shape[1])[0]
        label = int(yin_yang_class(np.array([x]), np.array([y]))[0])
        order = np.argsort(first)
        answer = int(order[0]) if np.isfinite(first[order[0]]) else -1
        lead = first[order[1]] - first[order[0]]
        ax.plot([x], [y], "o", ms=11, mfc=colours[label], mec="k", mew=1.5)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_aspect("equal")
        said = "no spike" if answer < 0 else (
            f"output {answer} ({'right' if answer == label else 'wrong'})")
        lead_text = "" if answer < 0 else (f", lead {lead:.2f} ms" if np.isfinite(lead)
                                           else ", the others silent")
        ax.set_title(f"point of class {label}; first spike: {said}{lead_text}",
                     fontsize="medium")
        axes = right.subplots(2, 1, sharex=True, height_ratios=(1.2, 1.0))
        plot_lif_network(weights, Spikes(times, ids), params, t_max, axes=axes,
                         output_colours=colours)
        traces = [line for line in axes[1].get_lines() if line.get_linestyle() == "-"]
        for j, line in enumerate(traces[: weights[-1].shape[1]]):
            line.set_label(f"output {j}")
        axes[1].legend(loc="upper right", fontsize="small", frameon=False)

    grid_xy = _lin_grid(0.15, 0.75, 7)
    return FrameExplorer(draw, [Control("x", grid_xy, "x", 0.35, "{:.2f}"),
                                Control("y", grid_xy, "y", 0.65, "{:.2f}")], grids=grids,
                         title="A point of the Yin-Yang square and the network's answer")


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
        grids=grids, title="Integrate-and-fire sampling of a signal",
    )


def sod_band_explorer(
    t: np.ndarray, x: np.ndarray, delta: float = 0.25, **grids: Sequence
) -> FrameExplorer:
    """Δ (control ``step``: 13 log-spaced values, 0.01 … 1, starting nearest ``delta``) and
    the ``reference`` for :func:`~snnlib.plotting.plot_sod_band`: 26 frames."""
    levels = tuple(grids.pop("step", _log_grid(0.01, 1.0, 6)))
    default = min(levels, key=lambda v: abs(np.log(v / delta)))
    return FrameExplorer(
        lambda step, reference: plot_sod_band(t, x, step, reference),
        [Control("step", levels, "Δ", default, "{:.3g}"),
         Control("reference", ("lattice", "last_value"), "reference", fmt="{}",
                 dropdown=True)],
        grids=grids, title="Send-on-delta sampling and its deviation band",
    )


