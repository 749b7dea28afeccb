"""Tests for snnlib.smoothed: theta neurons, exact events and the Λ_ε-smoothed ODE."""

import numpy as np
import pytest

from snnlib.convergence import fit_power_law
from snnlib.smoothed import ThetaNetwork, simulate_exact, simulate_smoothed

CHAIN = ThetaNetwork(drive=np.array([0.5, -0.05]), weights=np.array([[0.0, 1.5], [0.0, 0.0]]))


def test_lone_neuron_period_is_pi_over_sqrt_drive():
    """θ̇ = (1 − cos θ) + (1 + cos θ)η ⇒ tan(θ/2) = √η tan(√η t): spikes at (2m + 1)π/(2√η)."""
    for eta in (0.25, 1.0, 4.0):
        net = ThetaNetwork(np.array([eta]), np.zeros((1, 1)), tau=2.0)
        run = simulate_exact(net, np.array([0.0]), 40.0)
        m = np.arange(run.spikes[0].size)
        np.testing.assert_allclose(run.spikes[0], 2.0 * (2 * m + 1) * np.pi / (2 * np.sqrt(eta)),
                                   rtol=1e-9)


def test_each_spike_adds_one_over_tau_syn():
    net = ThetaNetwork(np.array([1.0]), np.zeros((1, 1)), tau_syn=4.0)
    # The smoothed source is a triangle in time of half-width σ = ε/θ̇ = ε/2 around t1; the
    # trace then carries the factor E[e^{δ/τ_s}] = 1 + σ²/(12 τ_s²) + ..., i.e. 3.3e-6 here.
    for run, rtol in ((simulate_exact(net, np.array([0.0]), 3.0), 1e-9),
                      (simulate_smoothed(net, np.array([0.0]), 3.0, eps=0.05), 5e-6)):
        (t1,) = run.spikes[0]
        later = run.t > t1 + 0.1
        np.testing.assert_allclose(run.s[0, later], np.exp(-(run.t[later] - t1) / 4.0) / 4.0,
                                   rtol=rtol)


def test_smoothed_spike_times_converge_with_second_order():
    exact = simulate_exact(CHAIN, np.zeros(2), 60.0)
    eps = np.array([0.3, 0.1, 0.03, 0.01])
    errors = []
    for e in eps:
        smooth = simulate_smoothed(CHAIN, np.zeros(2), 60.0, e)
        assert smooth.spikes[1].size == exact.spikes[1].size
        np.testing.assert_allclose(smooth.spikes[0], exact.spikes[0], rtol=0, atol=1e-8)
        errors.append(np.max(np.abs(smooth.spikes[1] - exact.spikes[1])))
    fit = fit_power_law(eps, np.array(errors))
    assert 1.8 < fit.order < 2.2


def test_bad_input():
    with pytest.raises(ValueError, match="weights must have shape"):
        ThetaNetwork(np.zeros(2), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="tau_syn must be > 0"):
        ThetaNetwork(np.zeros(1), np.zeros((1, 1)), tau_syn=0.0)
    with pytest.raises(ValueError, match="theta0 must have 2"):
        simulate_exact(CHAIN, np.zeros(3), 10.0)
    with pytest.raises(ValueError, match="eps must be < π"):
        simulate_smoothed(CHAIN, np.zeros(2), 10.0, eps=4.0)
    with pytest.raises(ValueError, match="eps must be > 0"):
        simulate_smoothed(CHAIN, np.zeros(2), 10.0, eps=0.0)
    with pytest.raises(ValueError, match="t_max must be > 0"):
        simulate_exact(CHAIN, np.zeros(2), -1.0)
    with pytest.raises(TypeError, match="ThetaNetwork"):
        simulate_exact("net", np.zeros(2), 1.0)


def test_smoothed_adjoint_gradient_converges_to_the_exact_gradient():
    from snnlib.adjoint import adjoint_gradient
    from snnlib.smoothed import exact_trace_loss, smoothed_trace_loss

    T = 12.0
    p0 = np.concatenate([CHAIN.weights.ravel(), CHAIN.drive])

    def exact_loss(p):
        net = ThetaNetwork(p[4:], p[:4].reshape(2, 2), CHAIN.tau, CHAIN.tau_syn)
        run = simulate_exact(net, np.zeros(2), T, rtol=1e-12, atol=1e-14)
        return exact_trace_loss(run.spikes[1], CHAIN.tau_syn, T)

    h = 1e-4  # truncation ≈ h²·|L‴| ≈ 1e-9, solver noise ≈ 1e-12/h = 1e-8
    exact = np.array([(exact_loss(p0 + h * e) - exact_loss(p0 - h * e)) / (2 * h)
                      for e in np.eye(6)])
    errors = []
    for eps in (0.2, 0.1):
        problem = smoothed_trace_loss(CHAIN, eps, output=1)
        g = adjoint_gradient(problem, np.zeros(4), p0, T, max_step=eps / 4)
        errors.append(np.max(np.abs(g.grad - exact)))
    assert errors[1] < errors[0] / 3  # second order: a factor of about 4 per halving
    assert errors[1] < 1e-3 * np.max(np.abs(exact))


def test_weights_are_indexed_pre_post_like_every_snnlib_weight():
    """weights[0, 1] carries neuron 0's trace to neuron 1: the resting neuron 1 is driven."""
    driven = simulate_exact(CHAIN, np.zeros(2), 60.0)
    reversed_ = simulate_exact(ThetaNetwork(CHAIN.drive, CHAIN.weights.T), np.zeros(2), 60.0)
    assert driven.spikes[0].size == reversed_.spikes[0].size > 0
    assert driven.spikes[1].size > 0 and reversed_.spikes[1].size == 0
