"""The adjoint gradient against forward sensitivities and central finite differences."""

from dataclasses import replace

import numpy as np
import pytest

from snnlib.adjoint import (
    ODELoss,
    adjoint_gradient,
    adjoint_solution,
    euler_discrete_gradient,
    kicked_loss,
    rate_network_loss,
    sensitivity_gradient,
)


def loss_only(problem, x0, p, T):
    return adjoint_gradient(problem, x0, p, T).loss


@pytest.mark.parametrize("n", [2, 3])
def test_rate_network_gradients_agree(n):
    rng = np.random.default_rng(n)
    target = rng.normal(size=n)
    problem = rate_network_loss(n, target)
    p = rng.normal(scale=0.8, size=n * n + n)
    x0 = rng.normal(size=n)
    adj = adjoint_gradient(problem, x0, p, 5.0)
    sens = sensitivity_gradient(problem, x0, p, 5.0)
    assert adj.loss == pytest.approx(sens.loss, rel=1e-10)
    np.testing.assert_allclose(adj.grad, sens.grad, rtol=1e-7, atol=1e-9)
    h = 1e-5
    fd = np.array([(loss_only(problem, x0, p + h * e, 5.0) - loss_only(problem, x0, p - h * e, 5.0))
                   / (2 * h) for e in np.eye(p.size)])
    # central differences: truncation O(h²)·|L‴| ≈ 1e-10, solver noise ≈ 1e-10·|L|/h ≈ 1e-5·|L|
    np.testing.assert_allclose(adj.grad, fd, rtol=1e-5, atol=1e-6)


def test_initial_condition_and_parameter_dependent_terminal_loss():
    # ẋ = −p₀x, x(0) = p₁, L = x(T)² p₀: L = p₁² e^{−2p₀T} p₀
    problem = ODELoss(
        F=lambda t, x, p: -p[0] * x,
        F_x=lambda t, x, p: np.array([[-p[0]]]),
        F_p=lambda t, x, p: np.array([[-x[0], 0.0]]),
        phi=lambda x, p: x[0] ** 2 * p[0],
        phi_x=lambda x, p: np.array([2 * x[0] * p[0]]),
        phi_p=lambda x, p: np.array([x[0] ** 2, 0.0]),
        x0_p=np.array([[0.0, 1.0]]),
    )
    p0, p1, T = 0.3, 1.7, 2.0
    exact = np.array([p1**2 * np.exp(-2 * p0 * T) * (1 - 2 * p0 * T),
                      2 * p1 * np.exp(-2 * p0 * T) * p0])
    for method in (adjoint_gradient, sensitivity_gradient):
        g = method(problem, np.array([p1]), np.array([p0, p1]), T)
        np.testing.assert_allclose(g.grad, exact, rtol=1e-8)


def test_bad_input():
    problem = rate_network_loss(2, np.zeros(2))
    with pytest.raises(ValueError, match="T must be > 0"):
        adjoint_gradient(problem, np.zeros(2), np.zeros(6), 0.0)
    with pytest.raises(ValueError, match="x0 must be finite"):
        adjoint_gradient(problem, np.array([np.nan, 0.0]), np.zeros(6), 1.0)
    with pytest.raises(TypeError, match="ODELoss"):
        adjoint_gradient("problem", np.zeros(2), np.zeros(6), 1.0)
    with pytest.raises(TypeError, match="F_x must be callable"):
        replace(problem, F_x=None)
    with pytest.raises(ValueError, match="together"):
        replace(problem, l_x=None)
    with pytest.raises(ValueError, match="target must have 2"):
        rate_network_loss(2, np.zeros(3))


def test_adjoint_is_the_derivative_of_the_loss_with_respect_to_the_state():
    # λ(t₀) = ∂L/∂x(t₀): central differences of a kick at t₀, for every component and
    # several t₀. Truncation O(h²) ≈ 3e-10 relative at h = 1e-4 (measured 2.7e-8 at 1e-3),
    # solver noise ≈ 1e-12/h ≈ 1e-8: tolerance 5e-8 of max|λ|.
    rng = np.random.default_rng(11)
    n = 3
    problem = rate_network_loss(n, rng.normal(size=n))
    p = rng.normal(scale=0.8, size=n * n + n)
    x0 = rng.normal(size=n)
    sol = adjoint_solution(problem, x0, p, 5.0)
    assert sol.loss == pytest.approx(adjoint_gradient(problem, x0, p, 5.0).loss, rel=1e-12)
    np.testing.assert_allclose(sol.grad, adjoint_gradient(problem, x0, p, 5.0).grad,
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(sol.state(0.0), x0, rtol=0, atol=1e-14)
    for t0 in (0.0, 0.7, 2.5, 4.9):
        lam = sol.adjoint(t0)
        fd = np.array([(kicked_loss(problem, x0, p, 5.0, t0, 1e-4 * e).loss
                        - kicked_loss(problem, x0, p, 5.0, t0, -1e-4 * e).loss) / 2e-4
                       for e in np.eye(n)])
        np.testing.assert_allclose(fd, lam, rtol=0, atol=5e-8 * np.max(np.abs(lam)))


def test_kick_of_linear_decay_in_closed_form():
    # ẋ = −p x, L = ∫ x dt + x(T): kick at t₀ adds dx·[(1 − e^{−p(T−t₀)})/p + e^{−p(T−t₀)}].
    problem = ODELoss(
        F=lambda t, x, p: -p[0] * x, F_x=lambda t, x, p: np.array([[-p[0]]]),
        F_p=lambda t, x, p: np.array([[-x[0]]]),
        l=lambda t, x, p: x[0], l_x=lambda t, x, p: np.array([1.0]),
        phi=lambda x, p: x[0], phi_x=lambda x, p: np.array([1.0]))
    x0, p, T, t0, dx = np.array([2.0]), np.array([0.5]), 3.0, 1.2, 0.25
    base = adjoint_solution(problem, x0, p, T)
    kick = kicked_loss(problem, x0, p, T, t0, np.array([dx]))
    decay = np.exp(-p[0] * (T - t0))
    assert kick.loss - base.loss == pytest.approx(dx * ((1 - decay) / p[0] + decay), rel=1e-9)
    assert base.adjoint(t0)[0] == pytest.approx((1 - decay) / p[0] + decay, rel=1e-9)
    x_t0 = 2.0 * np.exp(-p[0] * t0)
    assert kick.state(T)[0] == pytest.approx((x_t0 + dx) * decay, rel=1e-9)


def test_kick_bad_input():
    problem = rate_network_loss(2, np.zeros(2))
    x0, p = np.zeros(2), np.zeros(6)
    with pytest.raises(ValueError, match="t0"):
        kicked_loss(problem, x0, p, 1.0, 1.0, np.zeros(2))
    with pytest.raises(ValueError, match="t0"):
        kicked_loss(problem, x0, p, 1.0, -0.1, np.zeros(2))
    with pytest.raises(ValueError, match="dx"):
        kicked_loss(problem, x0, p, 1.0, 0.5, np.zeros(3))
    with pytest.raises(ValueError, match="dx"):
        kicked_loss(problem, x0, p, 1.0, 0.5, np.array([np.nan, 0.0]))


def test_vector_jacobian_product_gives_the_same_gradient():
    """rate_network_loss supplies λᵀF_p directly; dropping it makes the adjoint form F_p and
    multiply. Same integrand, same solver steps: agreement to rounding."""
    rng = np.random.default_rng(3)
    problem = rate_network_loss(5, rng.normal(size=5))
    p, x0 = rng.normal(scale=0.5, size=30), rng.normal(size=5)
    with_vjp = adjoint_gradient(problem, x0, p, 2.0)
    without = adjoint_gradient(replace(problem, vjp_p=None), x0, p, 2.0)
    np.testing.assert_allclose(with_vjp.grad, without.grad, rtol=0,
                               atol=1e-12 * np.abs(without.grad).max())
    lam = rng.normal(size=5)
    np.testing.assert_allclose(problem.vjp_p(0.0, x0, p, lam), lam @ problem.F_p(0.0, x0, p),
                               rtol=1e-14, atol=1e-15)


def test_running_gradient_collects_the_integral_from_t_to_T():
    """running(T) = 0 and running(0) = grad for a loss with no terminal or initial-condition
    term that depends on p (the rate network's φ depends on x only)."""
    rng = np.random.default_rng(4)
    problem = rate_network_loss(3, rng.normal(size=3))
    p, x0 = rng.normal(scale=0.5, size=12), rng.normal(size=3)
    sol = adjoint_solution(problem, x0, p, 2.0)
    np.testing.assert_allclose(sol.running(2.0), 0.0, atol=1e-15)
    np.testing.assert_allclose(sol.running(0.0), sol.grad, rtol=1e-12, atol=1e-14)
    assert sol.running(np.array([0.0, 1.0, 2.0])).shape == (12, 3)


def test_discrete_adjoint_is_the_exact_gradient_of_the_euler_loss():
    """euler_discrete_gradient differentiates the Euler computation itself: central
    differences of L_h (h = 1e-5, truncation ~1e-10, rounding ~1e-11 relative) agree to 1e-8
    of the gradient's size, and the gap to the continuous adjoint shrinks tenfold per tenfold
    smaller step (first order; measured ratios 10.5 and 10.0)."""
    rng = np.random.default_rng(6)
    problem = rate_network_loss(3, rng.normal(size=3))
    p, x0 = rng.normal(scale=0.8, size=12), rng.normal(size=3)
    discrete = euler_discrete_gradient(problem, x0, p, 4.0, 400)
    dh = 1e-5
    central = np.array([(euler_discrete_gradient(problem, x0, p + dh * e, 4.0, 400).loss
                         - euler_discrete_gradient(problem, x0, p - dh * e, 4.0, 400).loss)
                        / (2 * dh) for e in np.eye(12)])
    scale = np.abs(discrete.grad).max()
    assert np.abs(discrete.grad - central).max() < 1e-8 * scale
    exact = adjoint_gradient(problem, x0, p, 4.0).grad
    gaps = [np.abs(euler_discrete_gradient(problem, x0, p, 4.0, K).grad - exact).max()
            for K in (40, 400, 4000)]
    assert 8 < gaps[0] / gaps[1] < 12 and 8 < gaps[1] / gaps[2] < 12


def test_discrete_adjoint_with_and_without_vjp_and_bad_steps():
    rng = np.random.default_rng(7)
    problem = rate_network_loss(2, rng.normal(size=2))
    p, x0 = rng.normal(size=6), rng.normal(size=2)
    a = euler_discrete_gradient(problem, x0, p, 1.0, 50)
    b = euler_discrete_gradient(replace(problem, vjp_p=None), x0, p, 1.0, 50)
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-13, atol=1e-15)
    for steps in (0, 2.5, True):
        with pytest.raises(ValueError, match="steps"):
            euler_discrete_gradient(problem, x0, p, 1.0, steps)
