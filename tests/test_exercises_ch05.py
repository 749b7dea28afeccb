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
    (_with_F_x(lambda x, W, s: np.eye(x.size) + s[:, None] * W), "+I"),
])
def test_rate_jacobians_names_the_mistake(wrong, fragment):
    verdict = check_rate_jacobians(wrong)
    assert not verdict.passed
    assert fragment in verdict.message


def slope_without_b(x, W, b):
    slope = 1 - np.tanh(W @ x) ** 2
    F_x = -np.eye(x.size) + slope[:, None] * W
    return F_x, np.hstack([np.kron(np.diag(slope), x), np.diag(slope)])


def bias_identity(x, W, b):
    F_x, F_p = good(x, W, b)
    F_p = F_p.copy()
    F_p[:, x.size ** 2:] = np.eye(x.size)
    return F_x, F_p


def good_in_place(x, W, b):
    """Correct, but overwrites its inputs once they are used."""
    out = good(x, W, b)
    W[:] = 0.0
    x *= 0.0
    return out


def bias_sign(x, W, b):
    """∂F/∂b = −diag(slope): the sign slip."""
    F_x, F_p = good(x, W, b)
    F_p = F_p.copy()
    F_p[:, x.size ** 2:] *= -1
    return F_x, F_p


def W_part_without_slope(x, W, b):
    """∂F_i/∂W_ik = x_k: the tanh slope forgotten in the W block of F_p."""
    F_x, F_p = good(x, W, b)
    return F_x, np.hstack([np.kron(np.eye(x.size), x), F_p[:, x.size ** 2:]])


def F_p_without_slope(x, W, b):
    """F_p = (kron(I, x), I): the slope forgotten in both blocks."""
    F_x = good(x, W, b)[0]
    return F_x, np.hstack([np.kron(np.eye(x.size), x), np.eye(x.size)])


@pytest.mark.parametrize("wrong, fragment", [
    (W_part_without_slope, "F_p without the tanh slope"),
    (F_p_without_slope, "F_p without the tanh slope"),
    (slope_without_b, "without b"),
    (bias_identity, "∂F/∂b is taken as I"),
    (bias_sign, "the sign of ∂F/∂b"),
])
def test_rate_jacobians_names_slope_and_bias_mistakes(wrong, fragment):
    verdict = check_rate_jacobians(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_rate_jacobians_accepts_in_place_code():
    assert check_rate_jacobians(good_in_place).passed


def test_rate_jacobians_names_column_major_and_wrong_return():
    def column_major(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        return good(x, W, b)[0], np.hstack([np.kron(x, np.diag(slope)), np.diag(slope)])

    assert "row-major" in check_rate_jacobians(column_major).message
    assert "pair (F_x, F_p)" in check_rate_jacobians(lambda x, W, b: x).message


# --- the backward sweep ---------------------------------------------------------------------

def _zero(func, size, *args):
    return np.zeros(size) if func is None else np.asarray(func(*args), dtype=float)


def sweep(problem, xs, p, h):
    """The general sweep: φ_p, l_p and ∂x_0/∂p included, None counted as zero."""
    n, m = xs.shape[1], p.size
    lam = _zero(problem.phi_x, n, xs[-1], p)
    grad = _zero(problem.phi_p, m, xs[-1], p)
    for k in range(len(xs) - 2, -1, -1):
        t = k * h
        grad = grad + h * (lam @ problem.F_p(t, xs[k], p) + _zero(problem.l_p, m, t, xs[k], p))
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + _zero(problem.l_x, n, t, xs[k], p))
    return grad if problem.x0_p is None else grad + lam @ problem.x0_p


def sweep_vjp(problem, xs, p, h):
    """Uses the vector–Jacobian product, keeps the λ's in an array, adds the terms last."""
    K, m = len(xs) - 1, p.size
    lams = np.zeros_like(xs)
    if problem.phi_x is not None:
        lams[K] = problem.phi_x(xs[K], p)
    grad = np.zeros(m)
    for k in reversed(range(K)):
        grad += h * problem.vjp_p(k * h, xs[k], p, lams[k + 1])
        if problem.l_p is not None:
            grad += h * problem.l_p(k * h, xs[k], p)
        lams[k] = lams[k + 1] + h * problem.F_x(k * h, xs[k], p).T @ lams[k + 1]
        if problem.l_x is not None:
            lams[k] += h * problem.l_x(k * h, xs[k], p)
    if problem.phi_p is not None:
        grad += problem.phi_p(xs[K], p)
    if problem.x0_p is not None:
        grad += problems_x0_term(lams[0], problem.x0_p)
    return grad


def problems_x0_term(lam0, x0_p):
    return np.einsum("i,ij->j", lam0, x0_p)


def sweep_in_place(problem, xs, p, h):
    """Correct, but overwrites its input: xs and p are reused as scratch once consumed."""
    grad = sweep(problem, xs, p, h)
    xs[:] = 0.0
    p *= 0.0
    return grad


def plain_sweep(problem, xs, p, h):
    """Correct only for problems without l_p, φ_p and ∂x_0/∂p (the old exercise)."""
    lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    for k in range(len(xs) - 2, -1, -1):
        t = k * h
        grad = grad + h * lam @ problem.F_p(t, xs[k], p)
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad


@pytest.mark.parametrize("correct", [sweep, sweep_vjp, sweep_in_place])
def test_backward_sweep_accepts_correct_code(correct):
    verdict = check_backward_sweep(correct)
    assert verdict.passed, verdict.message


def _slip(name):
    def wrong(problem, xs, p, h):
        return _sweep(problem, xs, p, h, name)
    return wrong


def _written(first, last, at):
    """The general sweep with its range and evaluation point changed (written-out slips)."""
    def wrong(problem, xs, p, h):
        n, m, K = xs.shape[1], p.size, len(xs) - 1
        lam = _zero(problem.phi_x, n, xs[-1], p)
        grad = _zero(problem.phi_p, m, xs[-1], p)
        for k in range(first(K), last - 1, -1):
            j = at(k)
            t = j * h
            grad = grad + h * (lam @ problem.F_p(t, xs[j], p)
                               + _zero(problem.l_p, m, t, xs[j], p))
            lam = lam + h * (problem.F_x(t, xs[j], p).T @ lam
                             + _zero(problem.l_x, n, t, xs[j], p))
        return grad if problem.x0_p is None else grad + lam @ problem.x0_p
    return wrong


def _timed(at, only_F_x=False):
    """The general sweep with the time argument of its calls changed (t_{k+1} or 0)."""
    def wrong(problem, xs, p, h):
        n, m = xs.shape[1], p.size
        lam = _zero(problem.phi_x, n, xs[-1], p)
        grad = _zero(problem.phi_p, m, xs[-1], p)
        for k in range(len(xs) - 2, -1, -1):
            t, x = at(k, h), xs[k]
            s = k * h if only_F_x else t
            grad = grad + h * (lam @ problem.F_p(s, x, p) + _zero(problem.l_p, m, s, x, p))
            lam = lam + h * (problem.F_x(t, x, p).T @ lam + _zero(problem.l_x, n, s, x, p))
        return grad if problem.x0_p is None else grad + lam @ problem.x0_p
    return wrong


time_next_written_out = _timed(lambda k, h: (k + 1) * h)
time_zero_written_out = _timed(lambda k, h: 0.0)
F_x_only_at_next_time = _timed(lambda k, h: (k + 1) * h, only_F_x=True)


def phi_p_twice_written_out(problem, xs, p, h):
    grad = sweep(problem, xs, p, h)
    return grad if problem.phi_p is None else grad + problem.phi_p(xs[-1], p)


pairing_written_out = _written(lambda K: K, 1, lambda k: k)   # λ paired with x_{k+1}
range_too_long = _written(lambda K: K, 0, lambda k: k)        # starts at k = K
range_from_K_minus_2 = _written(lambda K: K - 2, 0, lambda k: k)


def plain_pairing_written_out(problem, xs, p, h):
    """The continuous adjoint stepped by Euler: λ paired with x_{k+1}."""
    lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    for k in range(len(xs) - 1, 0, -1):
        t = k * h
        grad = grad + h * lam @ problem.F_p(t, xs[k], p)
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad


def F_p_at_next_state(problem, xs, p, h):
    """Half of the wrong pairing: F_p of the next state, F_x still at x_k."""
    lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    for k in range(len(xs) - 2, -1, -1):
        t = k * h
        grad = grad + h * lam @ problem.F_p(t, xs[k + 1], p)
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad


def F_p_at_next_time_and_state(problem, xs, p, h):
    """F_p at (t_{k+1}, x_{k+1}), F_x still at (t_k, x_k)."""
    n, m = xs.shape[1], p.size
    lam = _zero(problem.phi_x, n, xs[-1], p)
    grad = _zero(problem.phi_p, m, xs[-1], p)
    for k in range(len(xs) - 2, -1, -1):
        t, x = k * h, xs[k]
        grad = grad + h * (lam @ problem.F_p(t + h, xs[k + 1], p)
                           + _zero(problem.l_p, m, t, x, p))
        lam = lam + h * (problem.F_x(t, x, p).T @ lam + _zero(problem.l_x, n, t, x, p))
    return grad if problem.x0_p is None else grad + lam @ problem.x0_p


def phi_x_unguarded(problem, xs, p, h):
    """Guards every optional piece except φ_x, which only the last case lacks."""
    n, m = xs.shape[1], p.size
    lam = np.asarray(problem.phi_x(xs[-1], p), dtype=float)
    grad = _zero(problem.phi_p, m, xs[-1], p)
    for k in range(len(xs) - 2, -1, -1):
        t, x = k * h, xs[k]
        grad = grad + h * (lam @ problem.F_p(t, x, p) + _zero(problem.l_p, m, t, x, p))
        lam = lam + h * (problem.F_x(t, x, p).T @ lam + _zero(problem.l_x, n, t, x, p))
    return grad if problem.x0_p is None else grad + lam @ problem.x0_p


def off_by_a_little(problem, xs, p, h):
    """A mistake the check has no name for: the gradient scaled by 1.01."""
    return 1.01 * sweep(problem, xs, p, h)


def no_h(problem, xs, p, h):
    return sweep(problem, xs, p, h) / h


def calls_none(problem, xs, p, h):
    """Calls l_p, φ_p and x0_p without asking whether the problem has them."""
    lam, grad = problem.phi_x(xs[-1], p), problem.phi_p(xs[-1], p)
    for k in range(len(xs) - 2, -1, -1):
        t = k * h
        grad = grad + h * (lam @ problem.F_p(t, xs[k], p) + problem.l_p(t, xs[k], p))
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + problem.l_x(t, xs[k], p))
    return grad + lam @ problem.x0_p


def _knobs(l_x=1.0, l_p=1.0, phi_p=1.0, x0=1.0, l_p_next=False, sign=1.0):
    """The general sweep, written out, with one factor or evaluation point changed."""
    def wrong(problem, xs, p, h):
        n, m = xs.shape[1], p.size
        lam = _zero(problem.phi_x, n, xs[-1], p)
        grad = phi_p * _zero(problem.phi_p, m, xs[-1], p)
        for k in range(len(xs) - 2, -1, -1):
            t, j = k * h, k + 1 if l_p_next else k
            grad = grad + h * (lam @ problem.F_p(t, xs[k], p)
                               + l_p * _zero(problem.l_p, m, t, xs[j], p))
            lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam
                             + l_x * _zero(problem.l_x, n, t, xs[k], p))
        grad = grad if problem.x0_p is None else grad + x0 * lam @ problem.x0_p
        return sign * grad
    return wrong


@pytest.mark.parametrize("wrong, fragment", [
    (_knobs(l_x=-1.0), "the sign of l_x"),
    (_slip("l_x_sign"), "the sign of l_x"),
    (_knobs(l_x=2.0), "l_x counted twice"),
    (_knobs(l_x=0.5), "l_x halved"),
    (_knobs(l_p_next=True), "l_p taken at x_{k+1}"),
    (_slip("l_p_next"), "l_p taken at x_{k+1}"),
    (_knobs(l_p=-1.0), "the sign of l_p"),
    (_knobs(x0=-1.0), "the sign of the initial condition's term"),
    (_knobs(sign=-1.0), "the whole gradient has the wrong sign"),
    (_knobs(phi_p=-1.0), "the sign of φ_p"),
    (_slip("phi_p_sign"), "the sign of φ_p"),
])
def test_backward_sweep_names_sign_and_factor_slips(wrong, fragment):
    verdict = check_backward_sweep(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


@pytest.mark.parametrize("wrong, fragment", [
    (_slip("pairing"), "wrong pairing"),
    (pairing_written_out, "wrong pairing"),
    (plain_pairing_written_out, "wrong pairing"),
    (_slip("l_x"), "l_x is missing"),
    (_slip("l_x_no_h"), "l_x is added without the factor h"),
    (_slip("l_x_next"), "l_x taken at x_{k+1}"),
    (_slip("range_short"), "starts at K − 2"),
    (range_from_K_minus_2, "starts at K − 2"),
    (_slip("broadcast_T"), "(F_x.T * lam).sum(axis=0)"),
    (_slip("broadcast"), "(F_x * lam).sum(axis=0)"),
    (_slip("terminal_state"), "not x_{K−1}"),
    (_slip("midpoint"), "midpoint λ"),
    (_slip("time_next"), "evaluated at t_{k+1} instead of t_k"),
    (time_next_written_out, "Jacobians/loss derivatives evaluated at t_{k+1} instead of t_k"),
    (_slip("time_zero"), "time argument ignored (t = 0)"),
    (time_zero_written_out, "time argument ignored (t = 0)"),
    (F_x_only_at_next_time, "fails only on the time-dependent case"),
    (_slip("phi_p_twice"), "φ_p added twice"),
    (phi_p_twice_written_out, "φ_p added twice"),
    (_slip("phi_p"), "φ_p(x_K) is missing"),
    (_slip("l_p"), "l_p is missing"),
    (_slip("l_p_no_h"), "l_p is added without the factor h"),
    (_slip("x0_p"), "λ_0ᵀ ∂x_0/∂p is missing"),
    (_slip("x0_lam1"), "not λ_1ᵀ ∂x_0/∂p"),
    (calls_none, "counts as zero"),
    (phi_x_unguarded, "a piece the problem lacks (None) counts as zero (case 8)"),
    (F_p_at_next_state, "F_p taken at x_{k+1} while F_x stays at x_k"),
    (F_p_at_next_time_and_state, "F_p taken at x_{k+1} while F_x stays at x_k"),
    (_slip("F_p_next"), "F_p taken at x_{k+1} while F_x stays at x_k"),
    (plain_sweep, "direct effects are all missing"),
    (_slip("extras"), "direct effects are all missing"),
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
    assert "largest difference" in check_backward_sweep(off_by_a_little).message
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


def test_the_time_dependent_case_is_checked_against_central_differences_of_L_h():
    """The reference on the non-autonomous case (sin 3t in F, cos t in l, x_0 and φ depending
    on p) is the derivative of L_h, measured independently; and the case is case 7, on
    which the time slips are caught."""
    from snnlib.adjoint import euler_discrete_gradient
    from snnlib.exercises.ch05 import _TIME_CASE, _sweep_cases

    problem, xs, p, h = _sweep_cases()[_TIME_CASE]
    K = len(xs) - 1
    assert not np.allclose(problem.F_x(0.0, xs[0], p), problem.F_x(h, xs[0], p))
    assert not np.allclose(problem.l_x(0.0, xs[0], p), problem.l_x(h, xs[0], p))
    grad = euler_discrete_gradient(problem, xs[0], p, K * h, K).grad
    dh = 1e-6

    def loss(q):
        return euler_discrete_gradient(problem, xs[0] + problem.x0_p @ (q - p), q,
                                       K * h, K).loss

    central = np.array([(loss(p + dh * e) - loss(p - dh * e)) / (2 * dh)
                        for e in np.eye(p.size)])
    assert np.abs(grad - central).max() < 1e-8 * np.abs(grad).max()
    assert np.abs(sweep(problem, xs, p, h) - grad).max() < 1e-12 * np.abs(grad).max()


def test_the_last_case_has_a_running_loss_only():
    """Case 8 lacks φ, φ_x and φ_p, so λ_K = 0 and a sweep must not call φ_x unguarded."""
    from snnlib.exercises.ch05 import _sweep_cases

    cases = _sweep_cases()
    problem = cases[-1][0]
    assert len(cases) == 8
    assert problem.phi is None and problem.phi_x is None and problem.phi_p is None
    assert problem.l_x is not None
    assert np.abs(sweep(*cases[-1])).max() > 1e-3


def sweep_float32_result(problem, xs, p, h):
    return sweep(problem, xs, p, h).astype(np.float32)


def sweep_float32_lambda(problem, xs, p, h):
    """The sweep with λ rounded to float32 at every step (a float64 result)."""
    xs = [np.asarray(x, dtype=float) for x in xs]
    K = len(xs) - 1
    lam = _zero(problem.phi_x, xs[0].size, xs[-1], p).astype(np.float32)
    grad = _zero(problem.phi_p, p.size, xs[-1], p)
    for k in range(K - 1, -1, -1):
        t = k * h
        grad = grad + h * (lam @ problem.F_p(t, xs[k], p) + _zero(problem.l_p, p.size, t, xs[k], p))
        lam = (lam + h * (problem.F_x(t, xs[k], p).T @ lam
                          + _zero(problem.l_x, xs[0].size, t, xs[k], p))).astype(np.float32)
    return grad if problem.x0_p is None else grad + lam @ problem.x0_p


@pytest.mark.parametrize("wrong, fragment", [(sweep_float32_result, "float32 numbers"),
                                             (sweep_float32_lambda, "precision of float32")])
def test_backward_sweep_names_single_precision(wrong, fragment):
    verdict = check_backward_sweep(wrong)
    assert not verdict.passed and fragment in verdict.message, verdict.message


def sweep_sum_to_K(problem, xs, p, h):
    """Written out: the running loss summed over k ≤ K, so λ_K and the gradient gain its
    k = K term (an off-by-one of L_h's definition)."""
    K, n, m = xs.shape[0] - 1, xs.shape[1], p.size
    lam = _zero(problem.phi_x, n, xs[K], p) + h * _zero(problem.l_x, n, K * h, xs[K], p)
    grad = _zero(problem.phi_p, m, xs[K], p) + h * _zero(problem.l_p, m, K * h, xs[K], p)
    for k in range(K - 1, -1, -1):
        t = k * h
        grad = grad + h * (lam @ problem.F_p(t, xs[k], p) + _zero(problem.l_p, m, t, xs[k], p))
        lam = lam + h * (problem.F_x(t, xs[k], p).T @ lam + _zero(problem.l_x, n, t, xs[k], p))
    return grad if problem.x0_p is None else grad + lam @ problem.x0_p


@pytest.mark.parametrize("wrong, fragment", [
    (_slip("terminal_l_x"), "λ_K includes h·l_x(x_K)"),
    (_slip("terminal_l_p"), "h·l_p(x_K) is added to the gradient"),
    (_slip("terminal_l_both"), "the running loss is taken at k = K too"),
    (sweep_sum_to_K, "L_h's running sum runs over k < K"),
    (_slip("phi_p_state"), "φ_p taken at an earlier state than x_K"),
    (_slip("F_x_next"), "F_x taken at x_{k+1} while F_p stays at x_k"),
])
def test_backward_sweep_names_end_of_sum_slips(wrong, fragment):
    verdict = check_backward_sweep(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_backward_sweep_does_not_name_phi_p_at_x_K_minus_1_for_phi_p_at_x_0():
    """Case 2 has K = 1, where x_(K−1) is x_0: the verdict names an earlier state, not
    x_(K−1) alone, so that φ_p taken at x_0 is not misnamed."""
    def phi_p_at_x0(problem, xs, p, h):
        grad = _slip("phi_p")(problem, xs, p, h)
        return grad if problem.phi_p is None else grad + problem.phi_p(xs[0], p)

    for wrong in (phi_p_at_x0, _slip("phi_p_state")):
        verdict = check_backward_sweep(wrong)
        assert not verdict.passed
        assert "φ_p taken at an earlier state than x_K" in verdict.message, verdict.message


@pytest.mark.parametrize("h", [1e-4, 1e-5, 1e-6, 1e-7])
def test_rate_jacobians_fails_finite_differences(h):
    """Central-difference Jacobians agree to about 1e-10 at h = 1e-5 or 1e-6 and passed the
    1e-10 comparison; the closed forms agree to rounding, and the check now asks for that."""
    def jacobians(x, W, b):
        def F(x, W, b):
            return -x + np.tanh(W @ x + b)

        n = x.size
        F_x = np.column_stack([(F(x + h * e, W, b) - F(x - h * e, W, b)) / (2 * h)
                               for e in np.eye(n)])
        p = np.concatenate([W.ravel(), b])

        def Fp(p):
            return F(x, p[:n * n].reshape(n, n), p[n * n:])

        F_p = np.column_stack([(Fp(p + h * e) - Fp(p - h * e)) / (2 * h) for e in np.eye(p.size)])
        return F_x, F_p

    verdict = check_rate_jacobians(jacobians)
    assert not verdict.passed


def _sweep_by_central_differences(step):
    """A near miss: dL_h/dp by central differences of L_h (x_0 moving with p), not the sweep."""
    from snnlib.adjoint import euler_discrete_gradient

    def candidate(problem, xs, p, h):
        K, x0 = len(xs) - 1, np.array(xs[0], dtype=float)

        def loss(q):
            start = x0 if problem.x0_p is None else x0 + problem.x0_p @ (q - p)
            return euler_discrete_gradient(problem, start, q, K * h, K).loss

        return np.array([(loss(p + step * e) - loss(p - step * e)) / (2 * step)
                         for e in np.eye(p.size)])
    return candidate


@pytest.mark.parametrize("wrong", [
    _sweep_by_central_differences(1e-4), _sweep_by_central_differences(1e-5),
    lambda problem, xs, p, h: sweep(problem, xs, p, h) * (1 + 3e-9)])
def test_backward_sweep_calls_a_near_miss_an_approximation_not_a_slip(wrong):
    """A candidate within 1e-8 of the reference but not to rounding is not blamed on a slip
    that changes nothing on the failing case (the time slips on the autonomous case 1, found by
    the thirty-eighth reading): the verdict names an approximation."""
    verdict = check_backward_sweep(wrong)
    assert not verdict.passed
    assert "not to rounding" in verdict.message or "precision of float32" in verdict.message, \
        verdict.message
    assert "t_{k+1}" not in verdict.message and "t_k = k·h" not in verdict.message, \
        verdict.message


def test_rate_jacobians_names_single_precision():
    def jacobians_float32(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        F_x = -np.eye(x.size) + slope[:, None] * W
        F_p = np.hstack([np.kron(np.diag(slope), x), np.diag(slope)])
        return F_x.astype(np.float32), F_p.astype(np.float32)

    verdict = check_rate_jacobians(jacobians_float32)
    assert not verdict.passed and "precision of float32" in verdict.message, verdict.message
