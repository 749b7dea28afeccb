"""Tests for snnlib.smoothed: theta neurons, exact events and the Λ_ε-smoothed ODE."""

import numpy as np
import pytest

from snnlib.convergence import fit_power_law
from snnlib.smoothed import (
    ThetaNetwork,
    exact_adjoint,
    exact_trace_loss,
    simulate_exact,
    simulate_smoothed,
)

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


def _fourth_order_gradient(net, theta0, T, output, h):
    n = net.size
    p = np.concatenate([net.weights.ravel(), net.drive])

    def loss(q):
        other = ThetaNetwork(q[n * n:], q[:n * n].reshape(n, n), net.tau, net.tau_syn)
        run = simulate_exact(other, theta0, T, rtol=1e-12, atol=1e-14)
        return exact_trace_loss(run.spikes[output], net.tau_syn, T)

    return np.array([(loss(p - 2 * h * e) - 8 * loss(p - h * e) + 8 * loss(p + h * e)
                      - loss(p + 2 * h * e)) / (12 * h) for e in np.eye(p.size)])


def test_jump_adjoint_matches_finite_differences_in_a_recurrent_network():
    """Three neurons, all-to-all weights of both signs, self-connections: the fourth-order
    differences approach the jump adjoint as h⁴ (measured: 3.4e-6, 2.7e-8 at h = 1e-3, 3e-4
    against |grad| ~ 0.2), so at h = 3e-4 they must agree to 1e-7 — and the agreement must
    improve by at least 50 (h⁴ predicts 123) from h = 1e-3."""
    rng = np.random.default_rng(1)
    net = ThetaNetwork(np.array([0.4, 0.1, -0.05]), rng.normal(0.0, 0.8, (3, 3)), 1.0, 3.0)
    theta0 = np.array([0.3, -1.0, 2.0])
    adj = exact_adjoint(net, theta0, 20.0, output=2, rtol=1e-12, atol=1e-14)
    assert all(s.size >= 2 for s in adj.spikes)  # every neuron fires, several times
    coarse = np.abs(_fourth_order_gradient(net, theta0, 20.0, 2, 1e-3) - adj.grad).max()
    fine = np.abs(_fourth_order_gradient(net, theta0, 20.0, 2, 3e-4) - adj.grad).max()
    assert fine < 1e-7
    assert coarse / fine > 50


def test_jump_equals_the_seed_form_with_the_mean_slope():
    """λ_θ(t⁻) − λ_θ(t⁺) = −mean(λ̇_s(t±))/(τ_s θ̇) at every spike, with the one-sided slopes
    measured on the computed adjoint (cubic fits, error ~1e-9 against jumps ~1e-2)."""
    adj = exact_adjoint(CHAIN, np.zeros(2), 20.0, output=1, rtol=1e-12, atol=1e-14)

    def slope(f, t0, side, h=2e-3):
        u = side * h * np.arange(1, 6)
        return np.polyfit(u, [f(t0 + x) for x in u], 3)[-2]

    for k in range(2):
        for tk, jump in zip(adj.spikes[k], adj.jumps[k], strict=True):
            if tk > 19.95:
                continue
            lam_s = lambda t, k=k: adj.adjoint(t)[2 + k]  # noqa: E731
            mean = 0.5 * (slope(lam_s, tk, -1) + slope(lam_s, tk, 1))
            assert -mean / (CHAIN.tau_syn * 2.0 / CHAIN.tau) == pytest.approx(jump, rel=1e-6)


def test_jump_adjoint_gives_the_loss_and_the_exact_spikes():
    adj = exact_adjoint(CHAIN, np.zeros(2), 20.0, output=1)
    run = simulate_exact(CHAIN, np.zeros(2), 20.0)
    for a, b in zip(adj.spikes, run.spikes, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    assert adj.loss == pytest.approx(exact_trace_loss(run.spikes[1], CHAIN.tau_syn, 20.0),
                                     rel=1e-14)
    lam = adj.adjoint(np.array([0.0, 10.0, 20.0]))
    assert lam.shape == (4, 3) and np.all(lam[:, -1] == 0.0)  # λ(T) = 0


def test_jump_adjoint_bad_input():
    with pytest.raises(ValueError, match="output"):
        exact_adjoint(CHAIN, np.zeros(2), 20.0, output=2)
    with pytest.raises(ValueError, match="output"):
        exact_adjoint(CHAIN, np.zeros(2), 20.0, output=0.5)
    with pytest.raises(TypeError, match="ThetaNetwork"):
        exact_adjoint("net", np.zeros(2), 20.0, output=0)
    twins = ThetaNetwork(np.array([1.0, 1.0]), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="same instant"):
        exact_adjoint(twins, np.zeros(2), 5.0, output=0)


def test_seed_jump_with_a_self_connection_needs_the_mean_slope():
    """Chapter 6, Check 1 with a self-connection ω: V̇ = −V/τ + η + ωs jumps by ω/τ_s at the
    only crossing t₁, which ω does not move, so dL/dη for L = ½∫s² is ω's-free closed form. The
    smoothed adjoint (independent of eq-seed-jump) converges to it at order one, and
    eq-seed-jump, solved for λ_V(t₁⁻) with λ̇_s's self-term, gives it with the mean of the
    one-sided slopes, not with the slope before the spike."""
    from scipy.integrate import quad

    from snnlib.adjoint import ODELoss, adjoint_solution
    from snnlib.deltas import triangle, triangle_derivative

    tau, eta, theta, tau_s, T, omega = 1.0, 2.0, 1.0, 1.0, 2.0, 1.0
    t1 = -tau * np.log(1 - theta / (eta * tau))
    dt1_deta = -tau * theta / (eta * (eta * tau - theta))
    exact = -np.exp(-2 * (T - t1) / tau_s) / (2 * tau_s**2) * dt1_deta  # dL/dt₁ · dt₁/dη

    def smoothed(eps):
        def band(x, p):
            f = -x[0] / tau + p[0] + omega * x[1]
            return f, triangle(x[0] - theta, eps), triangle_derivative(x[0] - theta, eps)

        def F(t, x, p):
            f, tri, _ = band(x, p)
            return np.array([f, (tri * max(f, 0.0) - x[1]) / tau_s])

        def F_x(t, x, p):
            f, tri, dtri = band(x, p)
            up = float(f > 0)
            return np.array([[-1 / tau, omega],
                             [(dtri * max(f, 0.0) - tri * up / tau) / tau_s,
                              (tri * up * omega - 1) / tau_s]])

        def F_p(t, x, p):
            _, tri, _ = band(x, p)
            return np.array([[1.0], [tri / tau_s]])

        problem = ODELoss(F=F, F_x=F_x, F_p=F_p, l=lambda t, x, p: 0.5 * x[1] ** 2,
                          l_x=lambda t, x, p: np.array([0.0, x[1]]))
        return adjoint_solution(problem, np.zeros(2), np.array([eta]), T,
                                max_step=eps / 8).grad[0]

    errors = [abs(smoothed(eps) - exact) for eps in (0.02, 0.01)]
    assert errors[1] < 1e-3 and 1.6 < errors[0] / errors[1] < 2.4  # order one, to the exact

    v_before = eta - theta / tau
    lam_s1 = quad(lambda t: np.exp(-2 * (t - t1) / tau_s) / tau_s**2, t1, T)[0]
    mean_dot_lam_s = (2 * lam_s1 - 1 / tau_s) / (2 * tau_s)  # without the self-term
    decay = quad(lambda t: np.exp(-(t1 - t) / tau), 0.0, t1)[0]

    def rule(v_k):
        return -mean_dot_lam_s / (v_k - omega / (2 * tau_s)) * decay

    assert abs(rule(v_before + omega / (2 * tau_s)) - exact) < 1e-9
    assert abs(rule(v_before) - exact) > 0.5 * exact


def test_self_connected_jump_for_an_f_not_affine_in_the_current():
    """Chapter 6, Check 1 with V̇ = −V/τ + I², I = η + ωs: the general self-connected rule
    V̇⁻λ_V⁻ = V̇⁺λ_V⁺ − ⟨λ̇_s + ω f_I λ_V/τ_s⟩ gives dL/dη (differences of the closed form);
    eq-seed-jump with mean slopes misses by 14 %."""
    from scipy.integrate import quad

    tau, eta, theta, tau_s, T, omega, h = 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1e-3

    def t_cross(e):
        return -tau * np.log(1 - theta / (e**2 * tau))

    def loss(e):
        return (1 - np.exp(-2 * (T - t_cross(e)) / tau_s)) / (4 * tau_s)

    truth = (loss(eta - 2 * h) - 8 * loss(eta - h) + 8 * loss(eta + h) - loss(eta + 2 * h)) / 12 / h
    t1 = t_cross(eta)
    lam_s = quad(lambda t: np.exp(-2 * (t - t1) / tau_s) / tau_s**2, t1, T)[0]
    mean_g = (lam_s - 0.5 / tau_s) / tau_s
    before, after = eta**2 - theta / tau, (eta + omega / tau_s) ** 2 - theta / tau
    weight = 2 * eta * quad(lambda t: np.exp(-(t1 - t) / tau), 0.0, t1)[0]
    assert abs(-mean_g / before * weight - truth) < 1e-9
    mean_rule = -mean_g / (0.5 * (before + after) - omega * eta / tau_s) * weight
    assert abs(mean_rule / truth - 1) > 0.1


@pytest.mark.parametrize(("rate", "d_rate"), [(lambda i: i, lambda i: 1.0),
                                              (lambda i: i**2, lambda i: 2.0 * i)],
                         ids=["LIF", "I squared"])
def test_self_connected_jump_with_the_adjoint_nonzero_after_the_spike(rate, d_rate):
    """Chapter 6's self-connected jump V̇⁻λ_V⁻ = V̇⁺λ_V⁺ − ⟨λ̇_s + ωf_Iλ_V/τ_s⟩ with
    λ_V(t₁⁺) ≠ 0 (the loss ½∫s² + α∫V, the forty-first reading's case; the chapter's Check 1 has
    λ_V(t₁⁺) = 0): it matches fourth-order differences, and V̇⁻ in place of V̇⁺ on λ_V⁺ does not."""
    from scipy.integrate import quad, solve_ivp

    tau, eta, theta, tau_s, T, omega, alpha, h = 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 0.3, 1e-3
    tight = {"rtol": 1e-13, "atol": 1e-14, "method": "DOP853"}

    def t_cross(e):
        return -tau * np.log(1 - theta / (rate(e) * tau))

    def loss(e):
        t1 = t_cross(e)
        v_before = rate(e) * tau * (t1 - tau * (1 - np.exp(-t1 / tau)))  # ∫₀^t₁ V dt

        def F(t, y):
            return [-y[0] / tau + rate(e + omega * np.exp(-(t - t1) / tau_s) / tau_s), y[0]]

        v_after = solve_ivp(F, (t1, T), [theta, 0.0], **tight).y[1, -1]
        return (1 - np.exp(-2 * (T - t1) / tau_s)) / (4 * tau_s) + alpha * (v_before + v_after)

    truth = (loss(eta - 2 * h) - 8 * loss(eta - h) + 8 * loss(eta + h) - loss(eta + 2 * h)) / 12 / h
    t1 = t_cross(eta)

    def s(t):
        return np.exp(-(t - t1) / tau_s) / tau_s

    def lam_v(t):  # after t₁: −λ̇_V = −λ_V/τ + α, λ_V(T) = 0
        return alpha * tau * (1 - np.exp(-(T - t) / tau))

    def lam_i(t):
        return d_rate(eta + omega * s(t)) * lam_v(t)

    back = solve_ivp(lambda t, y: [-(omega * lam_i(t) - y[0] + s(t)) / tau_s], (T, t1), [0.0],
                     **tight)  # −τ_s λ̇_s = ω λ_I − λ_s + s
    mean_g = (back.y[0, -1] - 0.5 / tau_s) / tau_s  # ⟨(λ_s − l_s)/τ_s⟩
    before, after = rate(eta) - theta / tau, rate(eta + omega / tau_s) - theta / tau
    lam_plus = lam_v(t1)
    after_spike = quad(lam_i, t1, T, epsabs=1e-13, epsrel=1e-13)[0]

    def gradient(lam_minus):  # ∫ λ_I dt, λ_V before t₁ decaying back from lam_minus
        return after_spike + quad(lambda t: d_rate(eta) * (
            alpha * tau + (lam_minus - alpha * tau) * np.exp(-(t1 - t) / tau)), 0.0, t1)[0]

    assert lam_plus > 0.2
    assert abs(gradient((after * lam_plus - mean_g) / before) - truth) < 1e-9
    assert abs(gradient(lam_plus - mean_g / before) / truth - 1) > 0.1
