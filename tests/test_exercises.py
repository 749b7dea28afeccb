"""The exercise checks accept correct implementations and name the common mistakes."""

import numpy as np
import pytest

from snnlib.eventprop import spike_jump
from snnlib.exercises import (
    check_alexiewicz_norm,
    check_cross_entropy_grad,
    check_find_zeros,
    check_lif_step,
    check_rate_jacobians,
    check_send_on_delta,
    check_spike_jump,
    check_spike_train_pairing,
    check_triangle,
)


def not_yet(*args):
    raise NotImplementedError


def test_triangle():
    def good(t, eps):
        return np.maximum(0.0, 1.0 - np.abs(t) / eps) / eps

    assert check_triangle(good).passed
    assert "integrates to" in check_triangle(lambda t, eps: good(t, eps) * eps).message
    assert "not even" in check_triangle(lambda t, eps: good(t, eps) * (1 + 0.5 * t / eps)).message
    outside = check_triangle(lambda t, eps: good(t, eps) + 0.1 * (np.abs(t) >= eps))
    assert not outside.passed and "|t| ≥ ε" in outside.message
    assert "not implemented yet" in check_triangle(not_yet).message
    assert "returned shape" in check_triangle(lambda t, eps: good(t, eps)[:-1]).message


def test_lif_step():
    def good(V0, I0, s, p):
        b = p.tau_syn * I0 / (p.tau_syn - p.tau_mem)
        return (V0 - b) * np.exp(-s / p.tau_mem) + b * np.exp(-s / p.tau_syn), \
            I0 * np.exp(-s / p.tau_syn)

    def wrong_current(V0, I0, s, p):
        return good(V0, I0, s, p)[0], I0 * np.exp(-s / p.tau_mem)

    def swapped(V0, I0, s, p):
        b = p.tau_mem * I0 / (p.tau_mem - p.tau_syn)
        return (V0 - b) * np.exp(-s / p.tau_syn) + b * np.exp(-s / p.tau_mem), \
            I0 * np.exp(-s / p.tau_syn)

    assert check_lif_step(good).passed
    assert "decays as" in check_lif_step(wrong_current).message
    assert "swapped" in check_lif_step(swapped).message
    assert "must be V0" in check_lif_step(lambda V0, I0, s, p: (V0 + 1.0, I0)).message
    assert "pair (V, I)" in check_lif_step(lambda V0, I0, s, p: V0).message


def one_sample_jump(lam_v, lam_i, n, dloss_dt, v_dot, params, R):
    return spike_jump(lam_v[None], lam_i[None], np.array([n]), np.array([dloss_dt]),
                      np.array([v_dot]), params, R)[0]


def test_spike_jump():
    assert check_spike_jump(one_sample_jump).passed

    def transposed(lam_v, lam_i, n, dl, vd, p, R):
        return one_sample_jump(lam_v, lam_i, n, dl, vd, p, R.T)

    def no_reset(lam_v, lam_i, n, dl, vd, p, R):
        out = one_sample_jump(lam_v, lam_i, n, dl, vd, p, R)
        out[n] -= p.threshold * lam_v[n] / (p.tau_mem * vd)
        return out

    def wrong_sign(lam_v, lam_i, n, dl, vd, p, R):
        return one_sample_jump(lam_v, lam_i, n, -dl, vd, p, R)

    def everyone(lam_v, lam_i, n, dl, vd, p, R):
        return one_sample_jump(lam_v, lam_i, n, dl, vd, p, R) + 0.01

    assert "transposed" in check_spike_jump(transposed).message
    assert "reset term" in check_spike_jump(no_reset).message
    assert "wrong sign" in check_spike_jump(wrong_sign).message
    assert "only λ_V of the neuron" in check_spike_jump(everyone).message
    crashed = check_spike_jump(lambda *args: 1 / 0)
    assert not crashed.passed and "ZeroDivisionError" in crashed.message


@pytest.mark.parametrize(
    ("candidate", "fragment"),
    [
        (lambda x, dt: np.max(np.abs(np.cumsum(x))), "factor Δt is missing"),
        (lambda x, dt: np.sum(np.abs(x)) * dt, "L¹ norm"),
        (lambda x, dt: np.max(np.abs(x)), "largest sample"),
        (lambda x, dt: "two", "not numbers"),
    ],
)
def test_alexiewicz_norm_mistakes(candidate, fragment):
    verdict = check_alexiewicz_norm(candidate)
    assert not verdict.passed and fragment in verdict.message


def test_alexiewicz_norm_correct():
    verdict = check_alexiewicz_norm(lambda x, dt: np.max(np.abs(np.cumsum(x) * dt)))
    assert verdict.passed and str(verdict).startswith("<lambda>: correct")


def test_cross_entropy_grad():
    def good(t, labels, tau0, tau1, alpha):
        e = np.exp(-(t - t.min(axis=1, keepdims=True)) / tau0)
        g = -e / e.sum(axis=1, keepdims=True) / tau0
        rows = np.arange(len(labels))
        g[rows, labels] += 1 / tau0 + alpha / tau1 * np.exp(t[rows, labels] / tau1)
        return g

    assert check_cross_entropy_grad(good).passed
    assert "flipped" in check_cross_entropy_grad(lambda *a: -good(*a)).message

    def plus_logits(t, labels, tau0, tau1, alpha):
        g = good(-t, labels, tau0, tau1, 0.0)
        rows = np.arange(len(labels))
        g[rows, labels] += alpha / tau1 * np.exp(t[rows, labels] / tau1)
        return g

    def no_temperature(t, labels, tau0, tau1, alpha):
        ce = good(t, labels, tau0, tau1, 0.0)
        return good(t, labels, tau0, tau1, alpha) - ce + ce * tau0

    assert "−t/τ₀" in check_cross_entropy_grad(plus_logits).message
    assert "1/τ₀" in check_cross_entropy_grad(no_temperature).message


def test_spike_train_pairing():
    def good(times, weights, phi, n):
        return (-1) ** n * float(np.sum(weights * phi.derivative(n)(times)))

    assert check_spike_train_pairing(good).passed
    assert "weights w_i are ignored" in check_spike_train_pairing(
        lambda t, w, phi, n: good(t, np.ones_like(w), phi, n)).message
    assert "instead of its n-th derivative" in check_spike_train_pairing(
        lambda t, w, phi, n: float(np.sum(w * phi(t)))).message


def test_find_zeros():
    from scipy.optimize import brentq

    def good(g, t):
        v = g(t)
        i = np.flatnonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)
        return np.array([brentq(g, t[k], t[k + 1], xtol=1e-14) for k in i])

    def with_touching(g, t):
        v = np.abs(g(t))
        extra = t[1:-1][(v[1:-1] < v[:-2]) & (v[1:-1] < v[2:]) & (v[1:-1] < 1e-3)]
        return np.sort(np.concatenate([good(g, t), extra]))

    assert check_find_zeros(good).passed
    verdict = check_find_zeros(with_touching)
    assert not verdict.passed and "only touches 0" in verdict.message


def test_rate_jacobians():
    def good(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        F_x = -np.eye(x.size) + slope[:, None] * W
        F_p = np.hstack([np.kron(np.diag(slope), x), np.diag(slope)])
        return F_x, F_p

    def transposed(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        return -np.eye(x.size) + slope[None, :] * W.T, good(x, W, b)[1]

    def column_major(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        return good(x, W, b)[0], np.hstack([np.kron(x, np.diag(slope)), np.diag(slope)])

    assert check_rate_jacobians(good).passed
    assert "transposed" in check_rate_jacobians(transposed).message
    assert "row-major" in check_rate_jacobians(column_major).message
    assert "pair (F_x, F_p)" in check_rate_jacobians(lambda x, W, b: x).message


def test_send_on_delta():
    def good(x, delta):
        out, ref = np.zeros_like(x), x[0]
        for n in range(1, x.size):
            e = delta * np.trunc((x[n] - ref) / delta)
            out[n], ref = e, ref + e
        return out

    def unit(x, delta):
        out, ref = np.zeros_like(x), x[0]
        for n in range(1, x.size):
            if abs(x[n] - ref) >= delta:
                out[n] = delta * np.sign(x[n] - ref)
                ref += out[n]
        return out

    def rounding(x, delta):
        out, ref = np.zeros_like(x), x[0]
        for n in range(1, x.size):
            e = delta * np.round((x[n] - ref) / delta)
            out[n], ref = e, ref + e
        return out

    assert check_send_on_delta(good).passed
    assert "single ±Δ" in check_send_on_delta(unit).message
    assert "trunc" in check_send_on_delta(rounding).message
