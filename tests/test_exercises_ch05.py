"""The checks of chapter 5's exercises accept correct code and name the mistakes."""

import numpy as np
import pytest

from snnlib.exercises import check_backward_sweep, check_rate_jacobians
from snnlib.exercises.ch05 import _sweep


def good(x, W, b):
    slope = 1 - np.tanh(W @ x + b) ** 2
    F_x = -np.eye(x.size) + slope[:, None] * W
    F_p = np.hstack([np.kron(np.diag(slope), x), np.diag(slope)])
    return F_x, F_p


def test_rate_jacobians_accepts_correct_code():
    assert check_rate_jacobians(good).passed


def _with_F_x(make):
    def jacobians(x, W, b):
        s = 1 - np.tanh(W @ x + b) ** 2
        return make(x, W, s), good(x, W, b)[1]
    return jacobians


@pytest.mark.parametrize("wrong, fragment", [
    (_with_F_x(lambda x, W, s: s[:, None] * W), "−I of the leak"),
    (_with_F_x(lambda x, W, s: -np.eye(x.size) + s[None, :] * W.T), "F_x is transposed"),
    (_with_F_x(lambda x, W, s: -np.eye(x.size) + s[:, None] * W.T), "s[:, None] * W.T"),
    (_with_F_x(lambda x, W, s: -np.eye(x.size) + W * s), "W * s"),
])
def test_rate_jacobians_names_the_mistake(wrong, fragment):
    verdict = check_rate_jacobians(wrong)
    assert not verdict.passed
    assert fragment in verdict.message


def test_rate_jacobians_names_column_major_and_wrong_return():
    def column_major(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        return good(x, W, b)[0], np.hstack([np.kron(x, np.diag(slope)), np.diag(slope)])

    assert "row-major" in check_rate_jacobians(column_major).message
    assert "pair (F_x, F_p)" in check_rate_jacobians(lambda x, W, b: x).message


# --- the backward sweep ---------------------------------------------------------------------

def sweep(problem, xs, p, h):
    lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    for k in range(len(xs) - 2, -1, -1):
        t = k * h
        grad = grad + h * lam @ problem.F_p(t, xs[k], p)
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad


def sweep_vjp(problem, xs, p, h):
    """Uses the vector–Jacobian product and keeps the λ's in an array."""
    K = len(xs) - 1
    lams = np.zeros_like(xs)
    lams[K] = problem.phi_x(xs[K], p)
    grad = np.zeros(p.size)
    for k in reversed(range(K)):
        grad += h * problem.vjp_p(k * h, xs[k], p, lams[k + 1])
        lams[k] = lams[k + 1] + h * (problem.F_x(k * h, xs[k], p).T @ lams[k + 1]
                                     + problem.l_x(k * h, xs[k], p))
    return grad


def sweep_in_place(problem, xs, p, h):
    """Correct, but overwrites its input: xs[k] is reused as scratch once it is consumed."""
    grad = sweep(problem, xs, p, h)
    xs[:] = 0.0
    return grad


@pytest.mark.parametrize("correct", [sweep, sweep_vjp, sweep_in_place])
def test_backward_sweep_accepts_correct_code(correct):
    verdict = check_backward_sweep(correct)
    assert verdict.passed, verdict.message


def _slip(name):
    def wrong(problem, xs, p, h):
        return _sweep(problem, xs, p, h, name)
    return wrong


def pairing_written_out(problem, xs, p, h):
    """The continuous adjoint stepped by Euler: λ paired with x_{k+1}."""
    lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    for k in range(len(xs) - 1, 0, -1):
        t = k * h
        grad = grad + h * lam @ problem.F_p(t, xs[k], p)
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad


def range_too_long(problem, xs, p, h):
    """Off by one the other way: the sweep starts at k = K."""
    lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    for k in range(len(xs) - 1, -1, -1):
        t = k * h
        grad = grad + h * lam @ problem.F_p(t, xs[k], p)
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad


def lam_at_x_not_transposed_F_p(problem, xs, p, h):
    """A mistake the check has no name for: F_p replaced by F_p of the next state."""
    lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    for k in range(len(xs) - 2, -1, -1):
        t = k * h
        grad = grad + h * lam @ problem.F_p(t, xs[k + 1], p)
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad


def no_h(problem, xs, p, h):
    return sweep(problem, xs, p, h) / h


@pytest.mark.parametrize("wrong, fragment", [
    (_slip("pairing"), "wrong pairing"),
    (pairing_written_out, "wrong pairing"),
    (_slip("l_x"), "l_x is missing"),
    (_slip("identity"), "identity is missing"),
    (_slip("range"), "off by one"),
    (range_too_long, "off by one"),
    (_slip("transposed"), "not transposed"),
    (_slip("terminal"), "terminal condition"),
    (_slip("sign"), "sign"),
    (_slip("order"), "λ updated before use"),
    (no_h, "factor h"),
])
def test_backward_sweep_names_the_mistake(wrong, fragment):
    verdict = check_backward_sweep(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_backward_sweep_unnamed_mistake_and_bad_shape():
    assert "largest difference" in check_backward_sweep(lam_at_x_not_transposed_F_p).message
    assert "shape" in check_backward_sweep(lambda problem, xs, p, h: xs).message


def test_the_pairing_counterexample_is_order_one_but_not_the_gradient_of_L_h():
    """The wrong pairing also converges to dL/dp at order 1, so only the comparison with
    the exact gradient of L_h (here: central differences) rejects it."""
    from snnlib.adjoint import euler_discrete_gradient, rate_network_loss

    rng = np.random.default_rng(5)
    problem = rate_network_loss(2, rng.normal(size=2))
    p, x0, T, K = rng.normal(scale=0.8, size=6), rng.normal(size=2), 2.0, 40
    h = T / K
    xs = [x0]
    for k in range(K):
        xs.append(xs[-1] + h * problem.F(k * h, xs[-1], p))
    xs = np.array(xs)
    dh = 1e-6
    central = np.array([(euler_discrete_gradient(problem, x0, p + dh * e, T, K).loss
                         - euler_discrete_gradient(problem, x0, p - dh * e, T, K).loss)
                        / (2 * dh) for e in np.eye(p.size)])
    scale = np.abs(central).max()
    assert np.abs(sweep(problem, xs, p, h) - central).max() < 1e-8 * scale
    assert np.abs(pairing_written_out(problem, xs, p, h) - central).max() > 1e-4 * scale
