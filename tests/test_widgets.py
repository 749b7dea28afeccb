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
