"""EventProp gradients against central finite differences on random multi-spike networks."""

import numpy as np
import pytest

from snnlib.eventprop import loss_and_grad
from snnlib.lif import LIFParams, forward
from snnlib.losses import spike_time_regression

P = LIFParams()
T_MAX = 60.0
H = 1e-6


def network(seed, sizes, batch, mean=2.0, spread=1.5):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(mean, spread, size=(sizes[k], sizes[k + 1]))
               for k in range(len(sizes) - 1)]
    times = np.sort(rng.uniform(0.0, 20.0, size=(batch, sizes[0])), axis=-1)
    ids = np.argsort(rng.uniform(size=(batch, sizes[0])), axis=-1)
    labels = rng.integers(0, sizes[-1], size=batch)
    return weights, times, ids, labels


def spike_counts(weights, times, ids):
    return [int(np.isfinite(layer.times).sum()) for layer in forward(weights, times, ids, P, T_MAX)]


def check_against_finite_differences(weights, times, ids, labels, loss=None):
    kwargs = {} if loss is None else {"loss": loss}
    value, grads = loss_and_grad(weights, times, ids, labels, P, T_MAX, **kwargs)
    counts = spike_counts(weights, times, ids)
    # central differences have truncation O(H²) and rounding ≈ ε|L|/H; every weight whose
    # ±H perturbation keeps all spike counts must agree to 1e-6 relative above that floor
    floor = 50 * np.finfo(float).eps * max(1.0, abs(value)) / H
    checked = nonzero = 0
    for k, W in enumerate(weights):
        for idx in np.ndindex(W.shape):
            plus = [w.copy() for w in weights]
            minus = [w.copy() for w in weights]
            plus[k][idx] += H
            minus[k][idx] -= H
            if spike_counts(plus, times, ids) != counts or \
                    spike_counts(minus, times, ids) != counts:
                continue
            fd = (loss_and_grad(plus, times, ids, labels, P, T_MAX, **kwargs)[0]
                  - loss_and_grad(minus, times, ids, labels, P, T_MAX, **kwargs)[0]) / (2 * H)
            assert abs(fd - grads[k][idx]) <= 1e-6 * abs(fd) + floor, (k, idx, fd, grads[k][idx])
            checked += 1
            nonzero += abs(fd) > 100 * floor
    return checked, nonzero, counts


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_layers(seed):
    checked, nonzero, counts = check_against_finite_differences(*network(seed, (4, 6, 3), 3))
    assert checked >= 30 and nonzero >= 10
    assert counts[0] > 6  # several hidden neurons fire more than once


def test_three_layers_with_regression_loss():
    weights, times, ids, _ = network(4, (3, 5, 4, 2), 2, mean=2.5, spread=1.0)
    targets = np.full((2, 2), 15.0)
    checked, nonzero, counts = check_against_finite_differences(
        weights, times, ids, targets, loss=spike_time_regression)
    assert min(counts) > 0 and checked >= 20 and nonzero >= 10


def test_batch_mean_equals_mean_of_single_samples():
    weights, times, ids, labels = network(7, (4, 10, 3), 5)
    value, grads = loss_and_grad(weights, times, ids, labels, P, T_MAX)
    singles = [loss_and_grad(weights, times[b:b + 1], ids[b:b + 1], labels[b:b + 1], P, T_MAX)
               for b in range(5)]
    assert value == pytest.approx(np.mean([s[0] for s in singles]), rel=1e-12)
    for k in range(2):
        np.testing.assert_allclose(grads[k], np.mean([s[1][k] for s in singles], axis=0),
                                   rtol=1e-9, atol=1e-12)


def test_silent_network_has_zero_gradient():
    weights, times, ids, labels = network(1, (4, 6, 3), 2, mean=-1.0, spread=0.1)
    value, grads = loss_and_grad(weights, times, ids, labels, P, T_MAX)
    assert np.isfinite(value)
    assert all(np.all(g == 0) for g in grads)


def test_bad_input_is_reported_by_the_forward_checks():
    weights, times, ids, labels = network(0, (4, 6, 3), 2)
    with pytest.raises(ValueError, match="sorted"):
        loss_and_grad(weights, times[:, ::-1], ids, labels, P, T_MAX)
    with pytest.raises(ValueError, match="labels must lie in"):
        loss_and_grad(weights, times, ids, np.array([0, 5]), P, T_MAX)


def test_surrogate_slope_biases_the_gradient():
    weights, times, ids, labels = network(3, (5, 12, 3), 8, mean=1.8, spread=1.0)
    _, exact = loss_and_grad(weights, times, ids, labels, P, T_MAX)
    _, surrogate = loss_and_grad(weights, times, ids, labels, P, T_MAX, surrogate_slope=0.05)
    a = np.concatenate([g.ravel() for g in exact])
    b = np.concatenate([g.ravel() for g in surrogate])
    cosine = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert 0.0 < cosine < 0.999  # correlated, but not the same direction
    with pytest.raises(ValueError, match="surrogate_slope must be > 0"):
        loss_and_grad(weights, times, ids, labels, P, T_MAX, surrogate_slope=0.0)


# ---------------------------------------------------------------------------------------
# Recurrent layers
# ---------------------------------------------------------------------------------------

H_REC = 1e-5  # central differences: truncation O(H²), rounding ≈ ε|L|/H, both ≪ 1e-7 relative


def recurrent_network(seed, sizes, batch, rec_spread=1.0, layers=None, **weight_kwargs):
    weights, times, ids, labels = network(seed, sizes, batch, **weight_kwargs)
    rng = np.random.default_rng(1000 + seed)
    layers = range(len(sizes) - 1) if layers is None else layers
    recurrent = [rng.normal(0.0, rec_spread, size=(n, n)) if k in layers else None
                 for k, n in enumerate(sizes[1:])]
    return weights, recurrent, times, ids, labels


def check_recurrent_against_finite_differences(weights, recurrent, times, ids, labels, loss=None):
    """Every input and recurrent weight whose ±H perturbation keeps all spike counts: the
    gradient agrees with central differences to 1e-7 relative, above the rounding floor."""
    kwargs = {} if loss is None else {"loss": loss}

    def run(w, r):
        return loss_and_grad(w, times, ids, labels, P, T_MAX, recurrent=r, **kwargs)

    def counts(w, r):
        return [int(np.isfinite(s.times).sum())
                for s in forward(w, times, ids, P, T_MAX, recurrent=r)]

    value, grads, rec_grads = run(weights, recurrent)
    base = counts(weights, recurrent)
    floor = 50 * np.finfo(float).eps * max(1.0, abs(value)) / H_REC
    checked = {"weights": 0, "recurrent": 0}
    nonzero = 0
    for name, params, gradient in (("weights", weights, grads),
                                   ("recurrent", recurrent, rec_grads)):
        for k, A in enumerate(params):
            if A is None:
                assert gradient[k] is None
                continue
            assert gradient[k].shape == A.shape
            for idx in np.ndindex(A.shape):
                shifted = []
                for sign in (1, -1):
                    w, r = [x.copy() for x in weights], [None if x is None else x.copy()
                                                        for x in recurrent]
                    (w if name == "weights" else r)[k][idx] += sign * H_REC
                    shifted.append((w, r))
                if any(counts(w, r) != base for w, r in shifted):
                    continue
                fd = (run(*shifted[0])[0] - run(*shifted[1])[0]) / (2 * H_REC)
                assert abs(fd - gradient[k][idx]) <= 1e-7 * abs(fd) + floor, \
                    (name, k, idx, fd, gradient[k][idx])
                checked[name] += 1
                nonzero += abs(fd) > 100 * floor
    return checked, nonzero, base


@pytest.mark.parametrize("seed", [0, 1])
def test_recurrent_two_layers(seed):
    checked, nonzero, counts = check_recurrent_against_finite_differences(
        *recurrent_network(seed, (4, 6, 3), 3))
    assert checked["weights"] >= 30 and checked["recurrent"] >= 30 and nonzero >= 20
    assert counts[0] > 6


def test_recurrent_three_layers_with_regression_loss():
    weights, recurrent, times, ids, _ = recurrent_network(4, (3, 5, 4, 2), 2, layers=(0, 1),
                                                             mean=2.5, spread=1.0)
    targets = np.full((2, 2), 15.0)
    checked, nonzero, counts = check_recurrent_against_finite_differences(
        weights, recurrent, times, ids, targets, loss=spike_time_regression)
    assert min(counts) > 0 and checked["recurrent"] >= 20 and nonzero >= 10


def test_recurrent_gradient_of_zero_recurrence_is_the_feed_forward_gradient():
    weights, times, ids, labels = network(2, (4, 6, 3), 4)
    value, grads = loss_and_grad(weights, times, ids, labels, P, T_MAX)
    zeros = [np.zeros((6, 6)), np.zeros((3, 3))]
    value_r, grads_r, rec = loss_and_grad(weights, times, ids, labels, P, T_MAX, recurrent=zeros)
    assert value_r == pytest.approx(value, rel=1e-12)
    for g, g_r in zip(grads, grads_r, strict=True):
        np.testing.assert_allclose(g_r, g, rtol=1e-9, atol=1e-12)
    assert all(r.shape == z.shape and np.abs(r).max() > 0 for r, z in zip(rec, zeros, strict=True))
    # all-None recurrence: the feed-forward path, and the three-part return of the contract
    value_n, grads_n, rec_n = loss_and_grad(weights, times, ids, labels, P, T_MAX,
                                            recurrent=[None, None])
    assert value_n == value and rec_n == [None, None]
    for g, g_n in zip(grads, grads_n, strict=True):
        np.testing.assert_array_equal(g_n, g)


def test_recurrent_batch_mean_equals_mean_of_single_samples():
    weights, recurrent, times, ids, labels = recurrent_network(7, (4, 8, 3), 4)
    value, grads, rec = loss_and_grad(weights, times, ids, labels, P, T_MAX, recurrent=recurrent)
    singles = [loss_and_grad(weights, times[b:b + 1], ids[b:b + 1], labels[b:b + 1], P, T_MAX,
                             recurrent=recurrent) for b in range(4)]
    assert value == pytest.approx(np.mean([s[0] for s in singles]), rel=1e-12)
    for k in range(2):
        np.testing.assert_allclose(grads[k], np.mean([s[1][k] for s in singles], axis=0),
                                   rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(rec[k], np.mean([s[2][k] for s in singles], axis=0),
                                   rtol=1e-9, atol=1e-12)


def test_recurrent_silent_layer_and_bad_input():
    weights, times, ids, labels = network(1, (4, 6, 3), 2, mean=-1.0, spread=0.1)
    value, grads, rec = loss_and_grad(weights, times, ids, labels, P, T_MAX,
                                      recurrent=[np.ones((6, 6)), None])
    assert np.isfinite(value) and all(np.all(g == 0) for g in grads) and np.all(rec[0] == 0)
    with pytest.raises(ValueError, match=r"recurrent\[1\] must have shape \(3, 3\)"):
        loss_and_grad(weights, times, ids, labels, P, T_MAX, recurrent=[None, np.ones((6, 6))])
    with pytest.raises(ValueError, match="finite"):
        loss_and_grad(weights, times, ids, labels, P, T_MAX,
                      recurrent=[np.full((6, 6), np.nan), None])


def test_near_grazing_spike_warns_and_ordinary_ones_do_not():
    import warnings

    s_star = np.log(4.0) / (1 / 5.0 - 1 / 20.0)  # the peak of the unit response
    kappa_max = 5.0 / (5.0 - 20.0) * (np.exp(-s_star / 5.0) - np.exp(-s_star / 20.0))
    w_star = 1.0 / kappa_max  # the critical weight: the peak just touches ϑ
    times, ids, targets = np.array([[0.0]]), np.array([[0]]), np.array([[20.0]])
    with pytest.warns(RuntimeWarning, match="GRAZING_SLOPE"):
        _, (grad,) = loss_and_grad([np.array([[w_star * (1 + 1e-14)]])], times, ids,
                                   targets, P, T_MAX, loss=spike_time_regression)
    assert abs(grad[0, 0]) > 1e6  # the gradient the warning is about
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss_and_grad([np.array([[w_star * 1.5]])], times, ids, targets, P, T_MAX,
                      loss=spike_time_regression)
        # the surrogate replaces 1/V̇ by a constant: nothing to warn about
        loss_and_grad([np.array([[w_star * (1 + 1e-14)]])], times, ids, targets, P, T_MAX,
                      loss=spike_time_regression, surrogate_slope=0.05)


def test_sweep_step_solves_the_free_adjoint_equations():
    """Decay part of sweep_step against a fine RK4 integration of τ_m λ_V' = −λ_V,
    τ_s λ_I' = −λ_I + λ_V backwards in time; the jump part is spike_jump's."""
    from snnlib.eventprop import spike_jump, sweep_step

    p = LIFParams(tau_mem=7.0, tau_syn=3.0)
    rng = np.random.default_rng(3)
    lv0, li0 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    gap = np.array([1.3, 0.0])
    y = np.stack([lv0[0], li0[0]])
    steps = 2000
    h = gap[0] / steps

    def rhs(y):  # d/ds with s = −t
        return np.stack([-y[0] / p.tau_mem, (-y[1] + y[0]) / p.tau_syn])

    for _ in range(steps):
        k1 = rhs(y)
        k2 = rhs(y + h / 2 * k1)
        k3 = rhs(y + h / 2 * k2)
        k4 = rhs(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    zero = np.zeros(2)
    lv, li = sweep_step(lv0, li0, gap, np.array([0, 1]), zero, np.ones(2), p)
    np.testing.assert_allclose(li[0], y[1], rtol=1e-10)
    np.testing.assert_allclose(li[1], li0[1])  # gap 0: no decay
    jumped = spike_jump(y[None, 0], y[None, 1], np.array([0]), zero[:1], np.ones(1), p)
    np.testing.assert_allclose(lv[0], jumped[0], rtol=1e-10)
    with pytest.raises(ValueError, match="gap"):
        sweep_step(lv0, li0, -gap, np.array([0, 1]), zero, np.ones(2), p)
