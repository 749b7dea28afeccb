"""Frame explorers: every frame is what the plotting function draws at that grid point, every
control is linked in the browser to every stack it selects from, bad input is refused, and the
chapters' saved widget state stays within its size budget."""

import io
import json
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from snnlib.adjoint import rate_network_loss
from snnlib.distributions import SpikeTrain, bump
from snnlib.lif import LIFParams, Spikes
from snnlib.plotting import (
    plot_adjoint_kick,
    plot_if_sampling,
    plot_loss_slice,
    plot_pairing_under_shift,
    plot_threshold_crossings,
)
from snnlib.widgets import (
    Control,
    FrameExplorer,
    adjoint_kick_size_explorer,
    burst_explorer,
    gradient_explorer,
    if_explorer,
    pairing_explorer,
    png_text,
    render_frame,
    threshold_explorer,
    yinyang_decision_explorer,
)

BOOK = Path(__file__).resolve().parent.parent / "book"
STATE_BUDGET = 1.5e6  # bytes of saved widget state per chapter


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _line(a, b=1.0):
    plt.subplots()[1].plot([0.0, a], [0.0, b])


def _stacks_by_depth(explorer):
    levels, current = [], [explorer.stack]
    while current and isinstance(current[0], widgets.Stack):
        levels.append(current)
        current = [child for stack in current for child in stack.children]
    return levels, current


def check_structure(explorer):
    """Nested stacks with one image per grid point, defaults selected, and one browser link
    from each control's index to every stack at its depth."""
    levels, images = _stacks_by_depth(explorer)
    assert len(levels) == len(explorer.controls)
    assert len(images) == explorer.n_frames
    assert all(isinstance(im, widgets.Image) and im.format == "png" for im in images)
    linked = {(id(link.source[0]), link.source[1], id(link.target[0]), link.target[1])
              for link in explorer.links}
    for control, widget, stacks in zip(explorer.controls, explorer.control_widgets, levels,
                                       strict=True):
        assert widget.index == control.index
        for stack in stacks:
            assert len(stack.children) == len(control.values)
            assert stack.selected_index == control.index
            assert (id(widget), "index", id(stack), "selected_index") in linked
    assert len(linked) == len(explorer.links) == sum(len(s) for s in levels)
    assert all(type(link).__name__ == "Link" for link in explorer.links)


def test_threshold_explorer():
    ex = threshold_explorer(np.sin, np.cos, (0.0, 10.0), threshold=0.5, theta=(0.5, 0.9),
                            eps=(0.05,))
    check_structure(ex)
    assert ex.controls[0].default == 0.5
    assert ex.frame(theta=0.9, eps=0.05) == render_frame(
        lambda: plot_threshold_crossings(np.sin, np.cos, 0.9, 0.05, (0.0, 10.0)))


def test_threshold_crossings_label_is_in_units_of_v():
    """v and the threshold line share the top axis: at ϑ ≠ 1 it cannot be 'in units of ϑ'."""
    top, _ = plot_threshold_crossings(np.sin, np.cos, 0.9, 0.05, (0.0, 10.0))
    assert top.get_ylabel() == "v (dimensionless)"
    assert "ϑ" not in top.get_ylabel()
    assert top.get_lines()[1].get_ydata()[0] == 0.9          # the dashed threshold, at ϑ
    top, _ = plot_threshold_crossings(np.sin, np.cos, 0.9, 0.05, (0.0, 10.0), ylabel="v (mV)")
    assert top.get_ylabel() == "v (mV)"


def test_render_frame_is_deterministic_and_compact():
    plt.close("all")
    a = render_frame(lambda: _line(1.0))
    assert a == render_frame(lambda: _line(1.0))
    assert a != render_frame(lambda: _line(2.0))
    assert a.startswith(b"\x89PNG\r\n\x1a\n")
    assert plt.get_fignums() == []


def test_render_frame_needs_exactly_one_new_figure():
    plt.close("all")
    with pytest.raises(ValueError, match="exactly one new figure, it made 0"):
        render_frame(lambda: None)
    with pytest.raises(ValueError, match="exactly one new figure, it made 2"):
        render_frame(lambda: (plt.figure(), plt.figure()))
    assert plt.get_fignums() == []


def test_frame_explorer_two_controls():
    explorer = FrameExplorer(_line, [Control("a", (1.0, 2.0, 3.0), "a", 2.0),
                                     Control("b", (0.5, 1.5), "b", dropdown=True)])
    check_structure(explorer)
    assert explorer.n_frames == 6
    assert isinstance(explorer.control_widgets[0], widgets.SelectionSlider)
    assert isinstance(explorer.control_widgets[1], widgets.Dropdown)
    frames = explorer.frames()
    assert len(set(frames.values())) == 6
    for (a, b), png in frames.items():
        assert png == render_frame(lambda a=a, b=b: _line(a, b))


def test_frame_explorer_three_controls_and_regrid():
    explorer = FrameExplorer(
        lambda a, b, c: _line(a + c, b),
        [Control("a", (1.0, 2.0), "a"), Control("b", (1.0, 3.0), "b"),
         Control("c", (0.0, 0.5, 0.25), "c", 0.25)],
        grids={"b": (3.0, 4.0, 5.0)})
    check_structure(explorer)
    assert explorer.n_frames == 18
    assert explorer.controls[1].values == (3.0, 4.0, 5.0)
    assert explorer.controls[1].default == 3.0  # the old default was kept: it is on the grid
    assert explorer.frame(a=2.0, b=5.0, c=0.5) == render_frame(lambda: _line(2.5, 5.0))


def test_explorer_displays_a_captioned_still_for_print():
    """Where widgets cannot be shown (the PDF), the display bundle's PNG is the default frame,
    drawn at print resolution, with a caption naming every control's value."""
    explorer = FrameExplorer(_line, [Control("a", (1.0, 2.0, 3.0), "slope a", 2.0),
                                     Control("b", (0.5, 1.5), "offset (ms)", fmt="{:.2f}")])
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] == explorer.still
    assert "application/vnd.jupyter.widget-view+json" in bundle
    caption = png_text(explorer.still)["Caption"]
    assert caption == explorer.caption == (
        "Shown: slope a = 2, offset (ms) = 0.50. In the online edition the controls move this "
        "figure through its 6 frames.")
    assert bundle["text/plain"].endswith(caption) and "FrameExplorer(" not in bundle["text/plain"]
    # the still is the default frame, not another: same picture at a higher resolution
    still = Image.open(io.BytesIO(explorer.still))
    frame = Image.open(io.BytesIO(explorer.frame(a=2.0, b=0.5)))
    assert still.width > frame.width
    small = np.asarray(still.convert("L").resize(frame.size), dtype=float)
    others = {key: np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
              for key, png in explorer.frames().items()}
    nearest = min(others, key=lambda key: np.abs(others[key] - small).mean())
    assert nearest == (2.0, 0.5)


def test_png_text_round_trip():
    png = render_frame(lambda: plt.subplots(), text={"Caption": "ϑ = 1, Δ = 0.2"})
    assert png_text(png) == {"Caption": "ϑ = 1, Δ = 0.2"}
    assert png_text(render_frame(lambda: plt.subplots())) == {}


def test_control_and_explorer_errors():
    with pytest.raises(ValueError, match="not one of the values"):
        Control("a", (1.0, 2.0), "a", 3.0)
    with pytest.raises(ValueError, match="must not be empty"):
        Control("a", (), "a")
    with pytest.raises(TypeError, match="sequence of Control"):
        FrameExplorer(_line, [])
    with pytest.raises(ValueError, match="distinct"):
        FrameExplorer(_line, [Control("a", (1.0,), "a"), Control("a", (2.0,), "b")])
    with pytest.raises(ValueError, match="no control named"):
        FrameExplorer(_line, [Control("a", (1.0,), "a")], grids={"z": (1.0,)})
    explorer = FrameExplorer(_line, [Control("a", (1.0,), "a")])
    with pytest.raises(ValueError, match="needs a value for 'a'"):
        explorer.frame()


# Each chapter explorer on a small grid: its frames are exactly its plotting function's.

def test_pairing_explorer():
    times, weights = np.array([2.0, 5.0]), np.array([1.0, -0.5])
    ex = pairing_explorer(times, weights, shift=(0.0, 1.0), width=(1.5,))
    check_structure(ex)
    assert [c.label for c in ex.controls] == ["shift of the train (ms)", "bump half-width (ms)"]
    assert ex.frame(shift=1.0, width=1.5) == render_frame(
        lambda: plot_pairing_under_shift(SpikeTrain(times, weights), bump(5.0, 1.5), 1.0,
                                         (0.0, 10.0), (0.0, 1.0)))


def test_sampling_explorers():
    t = np.arange(50) * 0.1
    ex = if_explorer(t, np.sin(t), threshold=0.5, theta=(0.25, 0.5), leak=(0.0, 0.2))
    check_structure(ex)
    assert [c.name for c in ex.controls] == ["theta", "reset", "leak"]
    assert ex.controls[0].default == 0.5
    assert ex.controls[1].values == ("mod", "subtract", "zero")
    level = 0.25
    assert ex.frame(theta=level, reset="zero", leak=0.2) == render_frame(
        lambda: plot_if_sampling(t, np.sin(t), level, "zero", 0.2))


def test_burst_explorer():
    from snnlib.plotting import plot_burst
    ex = burst_explorer(LIFParams(), 100.0, recurrent_weight=(3.9, 6.0), input_weight=(10.0,))
    check_structure(ex)
    assert ex.n_frames == 2
    assert ex.frame(recurrent_weight=6.0, input_weight=10.0) == render_frame(
        lambda: plot_burst(6.0, 10.0, LIFParams(), 100.0))
    ax = plot_burst(6.0, 10.0, LIFParams(), 100.0, max_spikes=50)
    assert "more than 50 spikes" in ax.get_title()
    ax = plot_burst(4.5, 10.0, LIFParams(), 100.0)  # the runaway of chapter 4
    assert "still firing at the window's end" in ax.get_title()


def test_burst_titles_fit_every_frame(monkeypatch):
    """Every title of chapter 4's 30 burst frames (200 ms, as the chapter draws them) lies
    inside its figure at the frames' resolution: the longest outcomes ("still firing at the
    window's end", "SpikeLimitError") once ran past the figure's edge."""
    import snnlib.widgets
    from snnlib.plotting import plot_burst
    from snnlib.widgets import FRAME_DPI
    seen, outside = [], []

    def measured(r, w, *args, **kwargs):
        ax = plot_burst(r, w, *args, **kwargs)
        fig = ax.figure
        fig.set_dpi(FRAME_DPI)
        fig.canvas.draw()
        box, frame = ax.title.get_window_extent(), fig.bbox
        seen.append((r, w))
        if not (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                and box.y1 <= frame.y1):
            outside.append((r, w, ax.get_title()))
        return ax

    monkeypatch.setattr(snnlib.widgets, "plot_burst", measured)
    burst_explorer(LIFParams(), 200.0)  # every frame the chapter saves
    assert len(set(seen)) == 30  # and the still for print, one of them again
    assert not outside, outside


def test_yinyang_decision_explorer_marks_point_class_and_answer():
    weights = [np.full((5, 4), 3.0), np.full((4, 3), 3.0)]
    ex = yinyang_decision_explorer(weights, LIFParams(), 50.0, resolution=10,
                                   x=(0.35, 0.8), y=(0.65,))
    check_structure(ex)
    assert ex.n_frames == 2
    assert ex.frame(x=0.35, y=0.65) != ex.frame(x=0.8, y=0.65)  # the marked point moves


def test_gradient_explorer():
    spikes = Spikes(np.array([[0.0]]), np.array([[0]]))
    weights = [np.array([[8.0, 7.0]])]
    ex = gradient_explorer(weights, spikes, np.array([0]), LIFParams(), 30.0, span=(0.05,))
    check_structure(ex)
    assert ex.controls[0].values == ((0, 0, 0), (0, 0, 1))
    assert [label for label, _ in ex.control_widgets[0].options] == ["(0, 0, 0)", "(0, 0, 1)"]
    assert ex.frame(entry=(0, 0, 1), span=0.05) == render_frame(
        lambda: plot_loss_slice(weights, spikes, np.array([0]), LIFParams(), 30.0, 0, (0, 1),
                                0.05))
    with pytest.raises(ValueError, match="entries"):
        gradient_explorer(weights, spikes, np.array([0]), LIFParams(), 30.0,
                          entries=[(0, 1, 0)])


def test_adjoint_kick_size_explorer():
    rng = np.random.default_rng(0)
    problem = rate_network_loss(2, rng.normal(size=2))
    x0, p = rng.normal(size=2), rng.normal(scale=0.5, size=6)
    ex = adjoint_kick_size_explorer(problem, x0, p, 2.0, t0=(0.0, 1.0), size=(0.1, 0.01))
    check_structure(ex)
    assert ex.n_frames == 4
    assert ex.frame(t0=1.0, size=0.01) == render_frame(
        lambda: plot_adjoint_kick(problem, x0, p, 2.0, 1.0, 0, 0.01))


@pytest.mark.parametrize("path", sorted(BOOK.glob("ch*.ipynb")), ids=lambda p: p.stem)
def test_chapter_has_a_kernel_free_explorer_within_budget(path):
    """Every chapter saves the state of at least one frame explorer — images in stacks,
    linked in the browser to controls — and that state stays within the size budget."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    state = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]
    size = len(json.dumps(state))
    assert size <= STATE_BUDGET, f"{path.name}: widget state {size / 1e6:.2f} MB"
    models = state["state"].values()
    names = [m["model_name"] for m in models]
    assert "StackModel" in names and "ImageModel" in names and "LinkModel" in names
    for model in models:
        if model["model_name"] == "LinkModel":
            source, target = model["state"]["source"], model["state"]["target"]
            assert source[1] == "index" and target[1] == "selected_index"


def test_sod_band_explorer():
    """Chapter 9's explorer: frames of plot_sod_band; the mass stays below TV/Δ on each frame."""
    from snnlib.plotting import plot_sod_band
    from snnlib.widgets import sod_band_explorer

    t = np.linspace(0.0, 10.0, 101)
    ex = sod_band_explorer(t, np.sin(t), delta=0.3, step=(0.1, 0.3))
    check_structure(ex)
    assert ex.frame(step=0.1, reference="lattice") == render_frame(
        lambda: plot_sod_band(t, np.sin(t), 0.1, "lattice"))
    for step in (0.1, 0.3):
        for reference in ("lattice", "last_value"):
            axes = plot_sod_band(t, np.sin(t), step, reference)
            assert "≤ TV/Δ" in axes[0].get_title()
            assert "> 0" in axes[1].get_title()
            plt.close(axes[0].figure)


def test_triangle_zoom_explorer_scales_the_window_with_eps():
    from snnlib.plotting import plot_triangle_zoom

    for eps in (0.01, 0.5):
        axes = plot_triangle_zoom(eps, np.cos, lambda t: -np.sin(t), eps_grid=(0.01, 0.5))
        assert axes[0].get_xlim() == pytest.approx((-2.5 * eps, 2.5 * eps))
        plt.close("all")


def test_if_sampling_count_and_reset_to_zero_potential():
    """The title's unit count is rounded, not truncated (ϑ = 2.15 gives Σ|s|/ϑ = 18.999…96),
    and with reset to zero the drawn potential is the loop's, inside (−ϑ, ϑ)."""
    from snnlib.plotting import _potential_reset_to_zero
    from snnlib.sampling import integrate_and_fire

    dt = 0.1
    t = np.arange(0.0, 100.0, dt)
    x = 0.3 + 0.6 * np.sin(2 * np.pi * t / 40.0)
    x[t == 20.0] += 25.0
    x[t == 60.0] -= 18.0
    axes = plot_if_sampling(t, x, 2.15, "mod", 0.0)
    assert ": 19 spikes" in axes[0].get_title()
    plt.close("all")
    for leak in (0.0, 0.2):
        spikes = integrate_and_fire(x, 1.0, dt=dt, reset="zero", leak=leak)
        u, loop = 0.0, []
        for value in x:
            u = np.exp(-leak * dt) * u + value * dt
            u = 0.0 if abs(u) >= 1.0 else u
            loop.append(u)
        assert np.allclose(_potential_reset_to_zero(x, spikes, dt, leak), loop, atol=1e-12)


def test_frames_carry_alt_text_from_their_figure():
    """Every frame's alt text names the control values and what its figure states; frames
    differ, so moving a control changes what a screen reader announces."""

    def draw(a, b):
        ax = plt.subplots()[1]
        ax.plot([0.0, a], [0.0, b])
        ax.set_title(f"end point {a * b:g}")
        ax.set_xlabel("t (ms)")

    ex = FrameExplorer(draw, [Control("a", (1.0, 2.0), "a (ms)"),
                              Control("b", (3.0, 5.0), "b", dropdown=True)], title="Line")
    alts = {combo: ex.alt(a=combo[0], b=combo[1]) for combo in ex.frames()}
    assert len(set(alts.values())) == 4
    assert alts[(2.0, 5.0)] == ("Line at a (ms) = 2, b = 5. Panel: end point 10 "
                                "(horizontal axis t (ms)).")
    assert all(len(ex._leaf({"a": a, "b": b}).tooltip) > 0 for a, b in alts)


def test_alt_text_is_the_string_draw_returns():
    def draw(a):
        _line(a)
        return f"{int(a)} spikes"

    ex = FrameExplorer(draw, [Control("a", (1.0, 2.0), "a")])
    assert ex.alt(a=2.0) == "Interactive figure at a = 2. 2 spikes"
    with pytest.raises(ValueError, match="not on the grid"):
        ex.alt(a=3.0)
    with pytest.raises(TypeError, match="title"):
        FrameExplorer(draw, [Control("a", (1.0,), "a")], title="")


def test_if_explorer_alt_names_controls_and_counts():
    t = np.linspace(0.0, 10.0, 400)
    ex = if_explorer(t, np.sin(t) + 1.0, theta=(1.0,), leak=(0.0, 0.2))
    alt = ex.alt(theta=1.0, reset="mod", leak=0.0)
    assert "ϑ = 1" in alt and "reset = mod" in alt and "leak (1/ms) = 0" in alt
    assert " spikes" in alt and "‖f − IF(f)‖_A" in alt
    assert alt != ex.alt(theta=1.0, reset="mod", leak=0.2)
