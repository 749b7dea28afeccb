"""The checks of chapter 2's exercises accept correct code and name the typical mistakes."""

import numpy as np
import pytest

from snnlib.exercises import check_order4_kernel, check_triangle


def not_yet(*args):
    raise NotImplementedError


def good_triangle(t, eps):
    return np.maximum(0.0, 1.0 - np.abs(t) / eps) / eps


def test_triangle():
    assert check_triangle(good_triangle).passed
    assert "integrates to" in check_triangle(lambda t, eps: good_triangle(t, eps) * eps).message
    assert "not even" in check_triangle(
        lambda t, eps: good_triangle(t, eps) * (1 + 0.5 * t / eps)).message
    outside = check_triangle(lambda t, eps: good_triangle(t, eps) + 0.1 * (np.abs(t) >= eps))
    assert not outside.passed and "|t| ≥ ε" in outside.message
    assert "not implemented yet" in check_triangle(not_yet).message
    assert "returned shape" in check_triangle(lambda t, eps: good_triangle(t, eps)[:-1]).message


def test_triangle_names_full_width_and_loops():
    assert "full width" in check_triangle(lambda t, eps: good_triangle(t, eps / 2)).message
    loop = check_triangle(
        lambda t, eps: np.array([max(0.0, 1.0 - abs(x) / eps) / eps for x in t]))
    assert not loop.passed and "Python loop" in loop.message
    assert "integrates to" in check_triangle(
        lambda t, eps: np.maximum(0.0, 1.0 - np.abs(t) / eps) / eps**2).message


def good_kernel(t, eps):
    x = t / eps
    return np.where(np.abs(x) <= 1.0, (9.0 - 15.0 * x**2) / 8.0, 0.0) / eps


def kernel_in_place(t, eps):
    t /= eps                                   # changes its input
    np.square(t, out=t)
    return np.where(t <= 1.0, (9.0 - 15.0 * t) / 8.0, 0.0) / eps


def kernel_piecewise(t, eps):
    x = np.asarray(t, dtype=float) / eps
    inside = np.abs(x) <= 1.0
    out = np.zeros(x.shape)
    out[inside] = 9.0 / 8.0 - 15.0 / 8.0 * x[inside] ** 2
    return out / eps


@pytest.mark.parametrize("candidate", [good_kernel, kernel_in_place, kernel_piecewise])
def test_order4_kernel_accepts_correct_code(candidate):
    verdict = check_order4_kernel(candidate)
    assert verdict.passed, verdict.message
    assert "measured order 4.0" in verdict.message


def wrong(formula, support=lambda x: np.abs(x) <= 1.0):
    def kernel(t, eps):
        x = t / eps
        return np.where(support(x), formula(x), 0.0) / eps
    return kernel


CATALOGUE = {
    "the factor 1/ε is missing": lambda t, eps: good_kernel(t, eps) * eps,
    "divided by ε²": lambda t, eps: good_kernel(t, eps) / eps,
    "ε taken as the full width": lambda t, eps: good_kernel(t, eps / 2),
    "sign is reversed": lambda t, eps: -good_kernel(t, eps),
    "wrong normalisation: it integrates to 2": wrong(lambda x: (9.0 - 15.0 * x**2) / 4.0),
    "an order-2 kernel: second moment m₂ = 0.2": wrong(lambda x: 0.75 * (1.0 - x**2)),
    "an order-2 kernel: second moment m₂ = 0.1667": wrong(lambda x: 1.0 - np.abs(x)),
    "nonzero outside the support": lambda t, eps: (9.0 - 15.0 * (t / eps) ** 2) / 8.0 / eps,
    "not even": wrong(lambda x: (9.0 - 15.0 * x**2) / 8.0, lambda x: x <= 1.0),  # no abs
    "wrong value at |t| = ε only": wrong(lambda x: (9.0 - 15.0 * x**2) / 8.0,
                                         lambda x: np.abs(x) < 1.0),
    "Python loop": lambda t, eps: np.array([float(good_kernel(np.array(x), eps)) for x in t]),
    "transposed": lambda t, eps: good_kernel(t, eps).T,
    "single precision": lambda t, eps: good_kernel(np.asarray(t, dtype=np.float32),
                                                   np.float32(eps)).astype(np.float32),
}


@pytest.mark.parametrize("mistake", sorted(CATALOGUE))
def test_order4_kernel_names_each_mistake(mistake):
    verdict = check_order4_kernel(CATALOGUE[mistake])
    assert not verdict.passed
    assert mistake in verdict.message, verdict.message


def test_order4_kernel_not_implemented():
    assert "not implemented yet" in check_order4_kernel(not_yet).message


def test_triangle_accepts_in_place_candidate():
    def in_place(t, eps):
        np.abs(t, out=t)                         # changes its input
        t /= eps
        return np.maximum(0.0, 1.0 - t) / eps

    assert check_triangle(in_place).passed


def kernel_index_loop(t, eps):
    out = np.zeros(np.shape(t))
    for i in range(out.size):                  # a loop over indices, not over t
        x = float(np.ravel(t)[i]) / eps
        out.flat[i] = (9.0 - 15.0 * x**2) / 8.0 / eps if abs(x) <= 1.0 else 0.0
    return out


def kernel_while_loop(t, eps):
    flat, out, i = np.ravel(t), np.zeros(np.size(t)), 0
    while i < flat.size:
        x = float(flat[i]) / eps
        out[i] = (9.0 - 15.0 * x**2) / 8.0 / eps if abs(x) <= 1.0 else 0.0
        i += 1
    return out.reshape(np.shape(t))


def kernel_vectorize(t, eps):
    return np.vectorize(lambda s: (9.0 - 15.0 * (s / eps) ** 2) / 8.0 / eps
                        if abs(s) <= eps else 0.0)(np.asarray(t, dtype=float))


def kernel_frompyfunc(t, eps):
    one = np.frompyfunc(lambda s: (9.0 - 15.0 * (s / eps) ** 2) / 8.0 / eps
                        if abs(s) <= eps else 0.0, 1, 1)
    return one(np.asarray(t, dtype=float)).astype(float)


def kernel_map(t, eps):
    flat = np.asarray(t, dtype=float).ravel().tolist()
    values = map(lambda s: (9.0 - 15.0 * (s / eps) ** 2) / 8.0 / eps if abs(s) <= eps else 0.0,
                 flat)
    return np.array(list(values)).reshape(np.shape(t))


LOOP_CATALOGUE = {
    "a Python for loop": kernel_index_loop,
    "a Python while loop": kernel_while_loop,
    "np.vectorize": kernel_vectorize,
    "np.frompyfunc": kernel_frompyfunc,
    "map (a Python loop in disguise)": kernel_map,
}


@pytest.mark.parametrize("mistake", sorted(LOOP_CATALOGUE))
def test_order4_kernel_names_each_hidden_loop(mistake):
    verdict = check_order4_kernel(LOOP_CATALOGUE[mistake])
    assert not verdict.passed
    assert mistake in verdict.message and "values agree" in verdict.message, verdict.message


def triangle_vectorize(t, eps):
    return np.vectorize(lambda s: max(0.0, 1.0 - abs(s) / eps) / eps)(np.asarray(t, dtype=float))


def triangle_index_loop(t, eps):
    out = np.zeros(np.shape(t))
    for i in range(out.size):
        out.flat[i] = max(0.0, 1.0 - abs(float(np.ravel(t)[i])) / eps) / eps
    return out


@pytest.mark.parametrize("candidate, mistake", [(triangle_vectorize, "np.vectorize"),
                                                (triangle_index_loop, "a Python for loop")])
def test_triangle_names_hidden_loops(candidate, mistake):
    verdict = check_triangle(candidate)
    assert not verdict.passed and mistake in verdict.message, verdict.message


@pytest.mark.parametrize("candidate, mistake", [
    (lambda t, eps: -good_triangle(t, eps), "the sign is reversed"),
    (lambda t, eps: good_triangle(t, eps).T, "transposed"),
    (lambda t, eps: good_triangle(np.asarray(t, dtype=np.float32), np.float32(eps)),
     "single precision")])
def test_triangle_names_sign_layout_precision(candidate, mistake):
    verdict = check_triangle(candidate)
    assert not verdict.passed and mistake in verdict.message, verdict.message


def _one_value(x, eps):
    return max(0.0, 1.0 - abs(x) / eps) / eps


def _loop_helper(t, eps):
    flat = np.array(t, dtype=float).ravel()        # a plain array: the run-time guard is gone
    out = np.empty_like(flat)
    for i, x in enumerate(flat):
        out[i] = _one_value(x, eps)
    return out.reshape(np.shape(t))


def triangle_loop_in_helper(t, eps):
    return _loop_helper(t, eps)                    # the loop sits one call down


def triangle_correct_with_helper(t, eps):
    return _clip_ramp(np.abs(np.asarray(t, dtype=float)) / eps) / eps


def _clip_ramp(x):
    return np.maximum(0.0, 1.0 - x)


def test_triangle_reads_the_readers_own_helpers():
    verdict = check_triangle(triangle_loop_in_helper)
    assert not verdict.passed, verdict.message
    assert "a Python for loop (in its helper _loop_helper)" in verdict.message, verdict.message
    assert check_triangle(triangle_correct_with_helper).passed   # a loop-free helper is fine


def test_triangle_names_a_box_and_does_not_call_it_unnormalised():
    def box(t, eps):                               # width ε, height 1/ε: area exactly 1
        return np.where(np.abs(np.asarray(t, dtype=float)) < eps / 2, 1.0 / eps, 0.0)

    def box_full(t, eps):                          # width 2ε, height 1/(2ε)
        return np.where(np.abs(np.asarray(t, dtype=float)) < eps, 0.5 / eps, 0.0)

    for candidate in (box, box_full):
        verdict = check_triangle(candidate)
        assert not verdict.passed, verdict.message
        assert "a box, not the triangle" in verdict.message, verdict.message
        assert "not normalised" not in verdict.message, verdict.message


@pytest.mark.parametrize("check, candidate, fragment", [
    (check_triangle, lambda t, eps: np.maximum(0.0, 1.0 - np.abs(2 * t / eps)) / eps,
     "ε taken as the full width"),                       # x = 2t/ε, the 1/ε kept
    (check_order4_kernel,
     lambda t, eps: np.where(np.abs(2 * t / eps) <= 1.0,
                             (9.0 - 15.0 * (2 * t / eps) ** 2) / 8.0, 0.0) / eps,
     "ε taken as the full width"),
    (check_order4_kernel, lambda t, eps: np.where(np.abs(t) <= 1.0,
                                                  (9.0 - 15.0 * t**2) / 8.0, 0.0) / eps,
     "the argument is not scaled"),
    (check_order4_kernel, lambda t, eps: np.where(np.abs(t) <= eps,     # mask scaled,
                                                  (9.0 - 15.0 * t**2) / 8.0, 0.0) / eps,
     "the argument of K_4 is not scaled")])                             # polynomial not
def test_width_slips_are_named(check, candidate, fragment):
    verdict = check(candidate)
    assert not verdict.passed and fragment in verdict.message, verdict.message


def test_loop_message_does_not_claim_a_loop_over_t():
    def coefficients_by_generator(t, eps):
        a, b = (c / 8.0 for c in (9.0, -15.0))            # loops over two constants, not over t
        x = np.asarray(t, dtype=float) / eps
        return np.where(np.abs(x) <= 1.0, a + b * x**2, 0.0) / eps

    verdict = check_order4_kernel(coefficients_by_generator)
    assert not verdict.passed and "values agree" in verdict.message, verdict.message
    assert "over the elements of t" not in verdict.message, verdict.message


def test_order4_check_names_an_order4_kernel_of_another_form():
    """A genuine order-4 kernel, 15/32·(3 − 10x² + 7x⁴) (∫ = 1, m₂ = 0), is not the quadratic
    the exercise asks for: rejected, and said so."""
    def quartic(t, eps):
        x = np.asarray(t, dtype=float) / eps
        return np.where(np.abs(x) <= 1, 15 / 32 * (3 - 10 * x**2 + 7 * x**4), 0.0) / eps

    verdict = check_order4_kernel(quartic)
    assert not verdict.passed
    assert "an order-4 kernel, but not the quadratic" in verdict.message, verdict.message
