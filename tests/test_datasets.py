"""Tests for snnlib.datasets: the Yin-Yang generator and latency encoding."""

import numpy as np
import pytest

from snnlib.datasets import latency_encode, yin_yang, yin_yang_class


def test_first_samples_of_the_published_training_set():
    # computed from the published algorithm (legacy RandomState(42), rejection sampling)
    X, y = yin_yang(5000, seed=42)
    np.testing.assert_array_equal(
        X[:3, :2], [[0.6803075385877797, 0.450499251969543],
                    [0.09767211400638387, 0.6842330265121569],
                    [0.7553614103176525, 0.4251558744912447]])
    assert y[:12].tolist() == [2, 1, 2, 1, 1, 1, 0, 2, 2, 0, 1, 1]
    assert np.bincount(y).tolist() == [1681, 1702, 1617]


def test_structure_of_the_data():
    X, y = yin_yang(2000, seed=7)
    assert X.shape == (2000, 4) and y.shape == (2000,)
    np.testing.assert_allclose(X[:, 2:], 1.0 - X[:, :2])
    assert np.all(np.hypot(X[:, 0] - 0.5, X[:, 1] - 0.5) <= 0.5)
    np.testing.assert_array_equal(yin_yang_class(X[:, 0], X[:, 1]), y)
    # goals are uniform over 3 classes: counts are binomial(2000, 1/3), std ≈ 21
    assert np.all(np.abs(np.bincount(y) - 2000 / 3) < 5 * 21)


def test_reproducible_and_global_state_untouched():
    # the legacy global generator is used here on purpose: it must stay untouched
    np.random.seed(123)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    a = yin_yang(50, seed=40)
    b = yin_yang(50, seed=40)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    assert not np.array_equal(yin_yang(50, seed=41)[0], a[0])


def test_latency_encoding():
    X, _ = yin_yang(20, seed=1)
    times, ids = latency_encode(X, t_max=30.0)
    assert times.shape == ids.shape == (20, 5)
    assert np.all(np.diff(times, axis=1) >= 0)
    assert np.all(times[:, 0] == 0.0) and np.all(ids[:, 0] == 4)  # the bias spike
    rows = np.arange(20)[:, None]
    back = np.zeros((20, 5))
    back[rows, ids] = times
    np.testing.assert_allclose(back[:, :4], 30.0 * X)
    times_nb, ids_nb = latency_encode(X, bias=False)
    assert times_nb.shape == (20, 4) and ids_nb.max() == 3


def test_bad_input():
    with pytest.raises(ValueError, match="n must be"):
        yin_yang(-1, seed=0)
    with pytest.raises(ValueError, match="seed must be"):
        yin_yang(10, seed=1.5)
    with pytest.raises(ValueError, match=r"X must lie in \[0, 1\]"):
        latency_encode(np.array([[1.5, 0.0]]))
    with pytest.raises(ValueError, match="X must have 2"):
        latency_encode(np.array([0.5]))
