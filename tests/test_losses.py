"""Tests for snnlib.losses: values by hand, derivatives against central differences."""

import numpy as np
import pytest

from snnlib.losses import first_spike_cross_entropy, spike_time_regression


def test_cross_entropy_by_hand():
    t = np.array([[1.0, 2.0, 4.0]])
    out = first_spike_cross_entropy(t, np.array([1]), t_max=10.0, tau0=0.5, tau1=6.4, alpha=0.003)
    logits = -t[0] / 0.5
    expected = -logits[1] + np.log(np.sum(np.exp(logits))) + 0.003 * (np.exp(2.0 / 6.4) - 1)
    assert out.loss[0] == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("loss_name", ["cross_entropy", "regression"])
def test_derivative_against_central_differences(loss_name):
    rng = np.random.default_rng(0)
    t = rng.uniform(1.0, 20.0, size=(5, 3))
    labels = rng.integers(0, 3, size=5)
    targets = rng.uniform(1.0, 20.0, size=(5, 3))

    def evaluate(times):
        if loss_name == "cross_entropy":
            return first_spike_cross_entropy(times, labels, 30.0, tau0=2.0)
        return spike_time_regression(times, targets, 30.0)

    grad = evaluate(t).dloss_dt
    h = 1e-6
    for b in range(5):
        for k in range(3):
            tp, tm = t.copy(), t.copy()
            tp[b, k] += h
            tm[b, k] -= h
            fd = (evaluate(tp).loss[b] - evaluate(tm).loss[b]) / (2 * h)
            # central differences: O(h²) truncation, rounding ≈ ε|ℓ|/h ≈ 1e-9 here
            assert fd == pytest.approx(grad[b, k], rel=1e-6, abs=1e-8)


def test_silent_neurons_read_as_t_max_with_zero_derivative():
    t = np.array([[2.0, np.inf], [np.inf, 3.0]])
    out = first_spike_cross_entropy(t, np.array([0, 0]), t_max=10.0)
    ref = first_spike_cross_entropy(np.array([[2.0, 10.0], [10.0, 3.0]]), np.array([0, 0]), 10.0)
    assert out.loss[0] == ref.loss[0]
    # a silent non-label neuron gets no derivative; the label neuron keeps its own
    assert out.dloss_dt[0, 1] == 0.0 and out.dloss_dt[0, 0] == ref.dloss_dt[0, 0]
    # a silent label neuron: a constant cost (all outputs at t_max) and no derivative at all
    assert out.loss[1] == pytest.approx(np.log(2) + 0.003 * (np.exp(10.0 / 6.4) - 1))
    assert np.all(out.dloss_dt[1] == 0.0)


def test_cross_entropy_is_stable_for_large_times():
    out = first_spike_cross_entropy(np.array([[300.0, 310.0]]), np.array([1]), t_max=400.0)
    assert np.isfinite(out.loss).all() and np.isfinite(out.dloss_dt).all()
    assert out.loss[0] == pytest.approx(20.0 + 0.003 * (np.exp(310 / 6.4) - 1), rel=1e-9)


def test_bad_input():
    with pytest.raises(ValueError, match="labels must lie in"):
        first_spike_cross_entropy(np.ones((2, 3)), np.array([0, 3]), 10.0)
    with pytest.raises(ValueError, match="labels must be integers"):
        first_spike_cross_entropy(np.ones((2, 3)), np.array([0.0, 1.0]), 10.0)
    with pytest.raises(ValueError, match="NaN"):
        first_spike_cross_entropy(np.array([[np.nan, 1.0]]), np.array([0]), 10.0)
    with pytest.raises(ValueError, match="shape"):
        first_spike_cross_entropy(np.ones(3), np.array([0]), 10.0)
    with pytest.raises(ValueError, match="tau0 must be > 0"):
        first_spike_cross_entropy(np.ones((1, 2)), np.array([0]), 10.0, tau0=0.0)
    with pytest.raises(ValueError, match="targets must be finite"):
        spike_time_regression(np.ones((1, 2)), np.ones((1, 3)), 10.0)
