"""The widgets build, expose the documented sliders and redraw without error."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from snnlib.widgets import pairing_explorer, threshold_explorer, triangle_explorer


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _slider_names(w):
    return [child.description for child in w.children[:-1]]


def test_pairing_explorer():
    w = pairing_explorer(np.array([2.0, 5.0]), np.array([1.0, -0.5]))
    assert _slider_names(w) == ["shift (ms)", "center (ms)", "width (ms)"]
    w.children[0].value = 1.0  # triggers a redraw
    w.update()


def test_triangle_explorer():
    w = triangle_explorer(np.cos, lambda t: -np.sin(t))
    assert _slider_names(w) == ["ε (ms)"]
    w.children[0].value = 0.05
    w.update()


def test_threshold_explorer():
    w = threshold_explorer(np.sin, np.cos, (0.0, 10.0), threshold=0.5)
    assert _slider_names(w) == ["ϑ", "ε"]
    w.children[0].value = 0.9
    w.update()


def test_sampling_and_lif_explorers():
    from snnlib.lif import LIFParams, Spikes
    from snnlib.widgets import if_explorer, lif_explorer, sod_explorer

    t = np.arange(50) * 0.1
    w = if_explorer(t, np.sin(t), threshold=0.5)
    assert _slider_names(w) == ["ϑ", "reset", "leak (1/ms)"]
    w.children[1].value = "zero"
    w = sod_explorer(t, np.sin(t))
    assert _slider_names(w) == ["Δ", "reference"]
    w.children[1].value = "last_value"
    spikes = Spikes(np.array([[0.0, 1.0]]), np.array([[0, 1]]))
    w = lif_explorer([np.full((2, 3), 4.0), np.full((3, 2), 3.0)], spikes, LIFParams(), 30.0)
    assert _slider_names(w) == ["input gain", "output gain"]
    w.children[0].value = 2.0


def test_gradient_explorer():
    from snnlib.lif import LIFParams, Spikes
    from snnlib.widgets import gradient_explorer

    spikes = Spikes(np.array([[0.0]]), np.array([[0]]))
    w = gradient_explorer([np.array([[8.0, 7.0]])], spikes, np.array([0]), LIFParams(), 30.0)
    assert _slider_names(w) == ["layer", "row i", "column j", "span"]
    w.children[3].value = 0.05


def test_yinyang_point_explorer():
    from snnlib.lif import LIFParams
    from snnlib.widgets import yinyang_point_explorer

    w = yinyang_point_explorer([np.full((5, 4), 3.0), np.full((4, 3), 3.0)], LIFParams(), 50.0)
    assert _slider_names(w) == ["x", "y"]
    w.children[0].value = 0.8
