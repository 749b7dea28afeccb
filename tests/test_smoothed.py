"""Tests for snnlib.smoothed: theta neurons, exact events and the Λ_ε-smoothed ODE."""

import numpy as np
import pytest

from snnlib.convergence import fit_power_law
from snnlib.smoothed import ThetaNetwork, simulate_exact, simulate_smoothed

CHAIN = ThetaNetwork(drive=np.array([0.5, -0.05]), weights=np.array([[0.0, 0.0], [1.5, 0.0]]))


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
