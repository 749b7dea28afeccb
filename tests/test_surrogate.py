"""Tests for snnlib.surrogate: surrogate-gradient BPTT on the clock-driven grid."""

import numpy as np
import pytest

from snnlib.lif import LIFParams, _Grid, first_spike_times, forward_on_grid
from snnlib.losses import first_spike_cross_entropy, spike_time_regression
from snnlib.surrogate import _first_spike_readout, bptt_loss_and_grad

P, T_MAX, DT, STEEP = LIFParams(), 40.0, 0.1, 10.0


def _network(seed, batch=6):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(1.5, 1.0, size=(5, 30)), rng.normal(0.6, 0.6, size=(30, 3))]
    times = np.sort(rng.uniform(0.0, 15.0, size=(batch, 5)), axis=-1)
    ids = np.argsort(rng.uniform(size=(batch, 5)), axis=-1)
    return weights, times, ids, rng.integers(0, 3, size=batch)


def _tangent(weights, dweights, times, ids, labels):
    """Forward-mode derivative of the surrogate model along dweights: the grid simulation with
    δS = σ'(V̂ − ϑ) δV̂, the reset multiplying by the frozen (1 − S), and δL from the readout
    — an independent implementation of what the backward pass must be the transpose of."""
    grid = _Grid(times, ids, P, T_MAX, DT)
    batch = times.shape[0]
    V = [np.zeros((batch, W.shape[1])) for W in weights]
    I = [np.zeros_like(v) for v in V]
    dV = [np.zeros_like(v) for v in V]
    dI = [np.zeros_like(v) for v in V]
    out_spikes, out_dS = [], []
    for n in range(grid.steps):
        rows, inputs = grid.arrivals(n)
        np.add.at(I[0], rows, weights[0][inputs])
        np.add.at(dI[0], rows, dweights[0][inputs])
        S = dS = None  # the layer below's spikes and their tangent, within this step
        for k, (W, dW) in enumerate(zip(weights, dweights, strict=True)):
            if k:
                I[k] += S @ W
                dI[k] += dS @ W + S @ dW
            v_hat = grid.alpha * V[k] + grid.beta * I[k]
            dv_hat = grid.alpha * dV[k] + grid.beta * dI[k]
            S = (v_hat >= P.threshold).astype(float)
            dS = dv_hat / (1.0 + STEEP * np.abs(v_hat - P.threshold)) ** 2
            V[k], dV[k] = v_hat * (1 - S), dv_hat * (1 - S)
            I[k] *= grid.gamma
            dI[k] *= grid.gamma
        out_spikes.append(S.astype(bool))
        out_dS.append(dS)
    t_first, dt_ds = _first_spike_readout(np.array(out_spikes), DT, T_MAX)
    value = first_spike_cross_entropy(t_first, labels, T_MAX)
    return float(np.sum(value.dloss_dt[None] * dt_ds * np.array(out_dS)) / batch)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backward_pass_is_the_transpose_of_the_tangent_model(seed):
    """⟨∇L, δW⟩ from the backward sweep equals δL of the forward-mode model for random
    directions δW (the dot-product test): the same arithmetic in another order, so they agree
    to rounding (relative 1e-10 allows for the summation order over 400 steps)."""
    weights, times, ids, labels = _network(seed)
    _, grads = bptt_loss_and_grad(weights, times, ids, labels, P, T_MAX, DT, STEEP)
    rng = np.random.default_rng(seed + 10)
    for _ in range(3):
        dweights = [rng.normal(size=W.shape) for W in weights]
        reverse = sum(float(np.sum(g * d)) for g, d in zip(grads, dweights, strict=True))
        forward = _tangent(weights, dweights, times, ids, labels)
        assert abs(forward) > 1e-6  # a direction the loss responds to
        assert reverse == pytest.approx(forward, rel=1e-10)


def test_loss_is_that_of_the_grid_simulation():
    weights, times, ids, labels = _network(3)
    value, _ = bptt_loss_and_grad(weights, times, ids, labels, P, T_MAX, DT)
    grid = forward_on_grid(weights, times, ids, P, T_MAX, DT)
    expected = first_spike_cross_entropy(first_spike_times(grid[-1], 3), labels, T_MAX).loss
    assert value == pytest.approx(float(np.mean(expected)), rel=1e-14)


def test_batch_mean_of_per_sample_gradients():
    """Samples do not interact: the batch gradient is the mean of the per-sample ones."""
    weights, times, ids, labels = _network(4, batch=4)
    _, whole = bptt_loss_and_grad(weights, times, ids, labels, P, T_MAX, DT)
    parts = [bptt_loss_and_grad(weights, times[i:i + 1], ids[i:i + 1], labels[i:i + 1], P,
                                T_MAX, DT)[1] for i in range(4)]
    for k, g in enumerate(whole):
        np.testing.assert_allclose(g, np.mean([p[k] for p in parts], axis=0), rtol=1e-12,
                                   atol=1e-15)


def test_readout_slopes():
    """t = Σ t_n S_n Π_{m<n}(1 − S_m): ∂t/∂S_n = t_n − t_f before the first spike f,
    t_f − t_next at it, 0 after; silent neurons read t_max and have zero slope."""
    spikes = np.zeros((6, 1, 3), bool)
    spikes[2, 0, 0] = spikes[4, 0, 0] = True  # fires at steps 2 and 4
    spikes[3, 0, 1] = True  # fires once, at step 3
    t, slope = _first_spike_readout(spikes, 1.0, 10.0)
    np.testing.assert_array_equal(t[0], [3.0, 4.0, np.inf])
    np.testing.assert_array_equal(slope[:, 0, 0], [-2.0, -1.0, -2.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(slope[:, 0, 1], [-3.0, -2.0, -1.0, -6.0, 0.0, 0.0])
    np.testing.assert_array_equal(slope[:, 0, 2], 0.0)


def test_bad_input():
    weights, times, ids, labels = _network(5)
    with pytest.raises(ValueError, match="dt"):
        bptt_loss_and_grad(weights, times, ids, labels, P, T_MAX, 0.0)
    with pytest.raises(ValueError, match="steepness"):
        bptt_loss_and_grad(weights, times, ids, labels, P, T_MAX, DT, steepness=-1.0)
    with pytest.raises(TypeError):
        bptt_loss_and_grad(weights, times, ids, labels, "params", T_MAX, DT)


def test_regression_loss_is_accepted():
    weights, times, ids, _ = _network(6)
    targets = np.full((times.shape[0], 3), 10.0)
    value, grads = bptt_loss_and_grad(weights, times, ids, targets, P, T_MAX, DT,
                                      loss=spike_time_regression)
    assert np.isfinite(value) and all(np.all(np.isfinite(g)) for g in grads)


def test_one_neuron_bptt_neither_keeps_nor_drops_the_crossing_slope():
    """Chapter 6's claim, moved from the chapter to this test (table in checks-ch06): one neuron,
    one input spike of weight w at t = 0, loss (t₁ − 30)²/2. EventProp with a constant c in
    place of V̇ drops the factor 1/V̇₁ exactly (ratio to the exact gradient = V̇₁/c), while the
    ratio of grid BPTT's gradient to the exact one is neither constant in w (the factor kept) nor
    proportional to V̇₁ (the factor dropped), for each steepness."""
    from snnlib.eventprop import loss_and_grad
    from snnlib.lif import forward

    t_max, c = 60.0, 0.05
    one_in, one_id, target = np.zeros((1, 1)), np.zeros((1, 1), int), np.array([[30.0]])
    kw = {"loss": spike_time_regression}
    slopes, constant, bptt = [], [], []
    for w in (8.0, 10.0, 15.0, 20.0, 40.0):
        W = [np.array([[w]])]
        t1 = forward(W, one_in, one_id, P, t_max)[0].times[0, 0]
        slopes.append((w * np.exp(-t1 / P.tau_syn) - P.threshold) / P.tau_mem)
        exact = loss_and_grad(W, one_in, one_id, target, P, t_max, **kw)[1][0][0, 0]
        sg = loss_and_grad(W, one_in, one_id, target, P, t_max, surrogate_slope=c, **kw)[1]
        constant.append(sg[0][0, 0] / exact)
        bptt.append([bptt_loss_and_grad(W, one_in, one_id, target, P, t_max, 0.1, beta, **kw)
                     [1][0][0, 0] / exact for beta in (1.0, 10.0, 100.0)])
    slopes, constant, bptt = np.array(slopes), np.array(constant), np.array(bptt).T
    assert np.max(np.abs(constant * c / slopes - 1)) < 1e-9  # measured 8.9e-16
    for ratio in bptt:  # measured spans ≥ 0.95 and ≥ 1.89 decades
        assert np.ptp(np.log10(ratio)) > 0.2
        assert np.ptp(np.log10(ratio / slopes)) > 0.2
