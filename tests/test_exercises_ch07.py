"""The check of chapter 7's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np
import pytest

from snnlib.exercises import check_cross_entropy_grad, check_first_spike_loss
from snnlib.losses import first_spike_cross_entropy


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


def _loss(t, labels, t_max, tau0, tau1, alpha, *, replace_inf=True, shift=True,
          reg_factor=None, label_term=1.0, reg_everywhere=False, axis=1, sign=1.0,
          silent_label_rule=True, silent_grad_zero=True, silent_cost=None, shift_axis=None):
    """The first-spike loss, correct with the defaults; each keyword is one catalogued slip."""
    fired = np.isfinite(t)
    te = np.where(fired, t, t_max) if replace_inf else t
    rows = np.arange(len(labels))
    z = -te / tau0
    m = z.max(axis=axis if shift_axis is None else shift_axis, keepdims=True) if shift else 0.0
    e = np.exp(z - m)
    log_norm = (m + np.log(e.sum(axis=axis, keepdims=True)))
    ty = te[rows, labels]
    loss = (ty / tau0 + np.broadcast_to(log_norm, te.shape)[rows, 0]
            + alpha * (np.exp(ty / tau1) - 1))
    reg = (alpha / tau1 if reg_factor is None else reg_factor) * np.exp(te / tau1)
    grad = -e / e.sum(axis=axis, keepdims=True) / tau0
    if reg_everywhere:
        grad = grad + reg
    else:
        grad[rows, labels] += reg[rows, labels]
    grad[rows, labels] += label_term / tau0
    grad = sign * grad
    label_fired = fired[rows, labels]
    if silent_label_rule:
        cost = (np.log(t.shape[1]) + alpha * (np.exp(t_max / tau1) - 1)
                if silent_cost is None else silent_cost(t, t_max, alpha, tau1))
        loss = np.where(label_fired, loss, cost)
        grad = np.where(label_fired[:, None], grad, 0.0)
    if silent_grad_zero:
        grad = np.where(fired, grad, 0.0)
    return loss, grad


def first_spike_loss(t, labels, t_max, tau0, tau1, alpha):
    return _loss(t, labels, t_max, tau0, tau1, alpha)


def test_first_spike_loss_passes_correct_variants():
    assert check_first_spike_loss(first_spike_loss).passed

    def in_place(t, labels, t_max, tau0, tau1, alpha):
        silent = ~np.isfinite(t)
        t[silent] = t_max                                    # changes the caller's array
        loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
        rows = np.arange(len(labels))
        loss = np.where(silent[rows, labels], np.log(t.shape[1])
                        + alpha * (np.exp(t_max / tau1) - 1), loss)
        grad[silent | silent[rows, labels][:, None]] = 0.0
        return loss, grad

    def via_library(t, labels, t_max, tau0, tau1, alpha):
        out = first_spike_cross_entropy(t, labels, t_max, tau0, tau1, alpha)
        return out.loss.tolist(), out.dloss_dt.tolist()     # lists are fine

    assert check_first_spike_loss(in_place).passed
    assert check_first_spike_loss(via_library).passed


CATALOGUE = {
    "the regulariser without 1/τ₁": ({"reg_factor": "alpha"}, "lacks the factor 1/τ₁"),
    "the [k=y]/τ₀ term dropped": ({"label_term": 0.0}, "[k = y]/τ₀ is missing"),
    "the regulariser on every output": ({"reg_everywhere": True}, "acts on every output"),
    "the softmax over the batch axis": ({"axis": 0}, "over the batch axis"),
    "a silent neuron left out of the softmax": ({"replace_inf": False}, "as if it fired at t_max"),
    "no shift before exponentiating": ({"shift": False}, "underflows"),
    "the sign flipped": ({"sign": -1.0}, "sign is flipped"),
    "a silent label keeps its gradient": ({"silent_label_rule": False}, "label neuron is silent"),
    "a silent neuron gets a derivative": ({"silent_grad_zero": False},
                                          "derivative must be 0"),
    "the silent cost without the regulariser": (
        {"silent_cost": lambda t, t_max, alpha, tau1: np.log(t.shape[1])},
        "costs the constant log K"),
}


@pytest.mark.parametrize("mistake", CATALOGUE)
def test_first_spike_loss_names_each_catalogued_mistake(mistake):
    kwargs, fragment = CATALOGUE[mistake]

    def wrong(t, labels, t_max, tau0, tau1, alpha):
        options = {k: (alpha if v == "alpha" else v) for k, v in kwargs.items()}
        return _loss(t, labels, t_max, tau0, tau1, alpha, **options)

    verdict = check_first_spike_loss(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_first_spike_loss_names_the_nan_of_a_silent_label():
    def naive(t, labels, t_max, tau0, tau1, alpha):       # +inf goes straight into the formula
        rows = np.arange(len(labels))
        e = np.exp(-(t - t.min(axis=1, keepdims=True)) / tau0)
        ty = t[rows, labels]
        loss = (ty - t.min(axis=1)) / tau0 + np.log(e.sum(axis=1)) + alpha * (np.exp(ty / tau1) - 1)
        grad = -e / e.sum(axis=1, keepdims=True) / tau0
        grad[rows, labels] += 1 / tau0 + alpha / tau1 * np.exp(ty / tau1)
        return loss, grad

    assert "nan or inf where a neuron is silent" in check_first_spike_loss(naive).message


def test_first_spike_loss_names_hard_coded_constants_and_shapes():
    def hard_coded(t, labels, t_max, tau0, tau1, alpha):
        return _loss(t, labels, t_max, 0.5, 6.4, 0.003)

    def fixed_t_max(t, labels, t_max, tau0, tau1, alpha):
        return _loss(t, labels, 100.0, tau0, tau1, alpha)

    def transposed(t, labels, t_max, tau0, tau1, alpha):
        loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
        return loss, grad.T

    assert "hard-coded constants" in check_first_spike_loss(hard_coded).message
    assert "hard-coded constants" in check_first_spike_loss(fixed_t_max).message
    assert "must have shape" in check_first_spike_loss(transposed).message
    assert "not implemented" in check_first_spike_loss(
        lambda *a: (_ for _ in ()).throw(NotImplementedError)).message


def _unshifted_nan_to_num(t, labels, t_max, tau0, tau1, alpha):
    """Right loss; the gradient's softmax from the unshifted e^(−t/τ₀), nan silenced to 0."""
    loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
    fired = np.isfinite(t)
    te = np.where(fired, t, t_max)
    e = np.exp(-te / tau0)
    with np.errstate(all="ignore"):
        soft = np.nan_to_num(e / e.sum(axis=1, keepdims=True))
    correct_soft = np.exp(-(te - te.min(axis=1, keepdims=True)) / tau0)
    correct_soft /= correct_soft.sum(axis=1, keepdims=True)
    grad = np.where(grad != 0, grad + (correct_soft - soft) / tau0, 0.0)
    return loss, grad


def _scaled_grad(factor):
    def wrong(t, labels, t_max, tau0, tau1, alpha):
        loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
        return loss, factor * grad
    return wrong


def _hard_coded_all(t, labels, t_max, tau0, tau1, alpha):
    return _loss(t, labels, 100.0, 0.5, 6.4, 0.003)


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_unshifted_nan_to_num, "wrong for late spikes only"),     # passed the stacked tolerance
    (_scaled_grad(1.0 + 1e-6), "off by the factor 1.000001"),
    (_scaled_grad(1.0 - 1e-8), "off by the factor 0.99999999"),
    (_hard_coded_all, "hard-coded constants"),                  # all four Yin-Yang values
])
def test_first_spike_loss_compares_loss_and_gradient_separately(wrong, fragment):
    verdict = check_first_spike_loss(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


@pytest.mark.parametrize("mask", [m for m in np.ndindex(2, 2, 2, 2) if any(m)])
def test_first_spike_loss_names_every_subset_of_hard_coded_constants(mask):
    def wrong(t, labels, t_max, tau0, tau1, alpha):
        hard = [y if m else a for m, a, y in zip(mask, (t_max, tau0, tau1, alpha),
                                                 (100.0, 0.5, 6.4, 0.003), strict=True)]
        return _loss(t, labels, *hard)

    assert "hard-coded constants" in check_first_spike_loss(wrong).message


def _alpha_over_tau0(t, labels, t_max, tau0, tau1, alpha):
    return _loss(t, labels, t_max, tau0, tau1, alpha, reg_factor=alpha / tau0)


def _strict_t_max(t, labels, t_max, tau0, tau1, alpha):      # `<` for `≤`: t_max counts as silent
    return _loss(np.where(t < t_max, t, np.inf), labels, t_max, tau0, tau1, alpha)


def _reg_derivative_dropped(t, labels, t_max, tau0, tau1, alpha):   # loss keeps it
    return _loss(t, labels, t_max, tau0, tau1, alpha, reg_factor=0.0)


def _float32_inside(t, labels, t_max, tau0, tau1, alpha):
    """Correct formulas, with the spike times rounded to float32 (the results are float64)."""
    t32 = np.where(np.isfinite(t), t, t_max).astype(np.float32).astype(float)
    loss, grad = _loss(np.where(np.isfinite(t), t32, np.inf), labels, t_max, tau0, tau1, alpha)
    return loss.astype(float), grad.astype(float)


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_alpha_over_tau0, "has α/τ₀"),
    (_strict_t_max, "≤ t_max, not < t_max"),
    (_reg_derivative_dropped, "dloss_dt lacks its derivative"),
    (_float32_inside, "the precision of float32"),
])
def test_first_spike_loss_names_more_slips(wrong, fragment):
    verdict = check_first_spike_loss(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def _shift_latest(t, labels, t_max, tau0, tau1, alpha):
    """Log-sum-exp shifted by the row's latest spike: right until the spread exceeds 709 τ₀."""
    fired = np.isfinite(t)
    te = np.where(fired, t, t_max)
    rows = np.arange(len(labels))
    shift = te.max(axis=1, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(-(te - shift) / tau0)
        s = e.sum(axis=1, keepdims=True)
        ty = te[rows, labels]
        loss = (ty - shift[:, 0]) / tau0 + np.log(s[:, 0]) + alpha * np.expm1(ty / tau1)
        grad = -e / s / tau0
    grad[rows, labels] += 1 / tau0 + alpha / tau1 * np.exp(ty / tau1)
    label_fired = fired[rows, labels]
    loss = np.where(label_fired, loss, np.log(t.shape[1]) + alpha * np.expm1(t_max / tau1))
    return loss, np.where(fired & label_fired[:, None], grad, 0.0)


def _log_of_softmax(t, labels, t_max, tau0, tau1, alpha):
    """Shifts by the earliest spike (the gradient is right) but takes the loss as −log softmax_y,
    which underflows to 0 when the label trails by more than about 745 τ₀."""
    loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
    te = np.where(np.isfinite(t), t, t_max)
    rows = np.arange(len(labels))
    e = np.exp(-(te - te.min(axis=1, keepdims=True)) / tau0)
    with np.errstate(divide="ignore"):
        wrong = -np.log(e[rows, labels] / e.sum(axis=1)) + alpha * np.expm1(te[rows, labels] / tau1)
    return np.where(np.isfinite(t[rows, labels]), wrong, loss), grad


def _k_firing(t, labels, t_max, tau0, tau1, alpha):       # log K with K = outputs that fire
    return _loss(t, labels, t_max, tau0, tau1, alpha, silent_cost=lambda t, t_max, alpha, tau1:
                 np.log(np.isfinite(t).sum(axis=1)) + alpha * np.expm1(t_max / tau1))


def _log3(t, labels, t_max, tau0, tau1, alpha):           # log 3 hard-coded for log K
    return _loss(t, labels, t_max, tau0, tau1, alpha, silent_cost=lambda t, t_max, alpha, tau1:
                 np.log(3.0) + alpha * np.expm1(t_max / tau1))


def _label_off_by_one(t, labels, t_max, tau0, tau1, alpha):
    return _loss(t, (labels + 1) % t.shape[1], t_max, tau0, tau1, alpha)


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_shift_latest, "shift by the earliest spike (the row's minimum), not the latest"),
    (_log_of_softmax, "the loss is −log softmax_y"),
    (_k_firing, "not the number that fire"),
    (_log3, "costs the constant log K"),
    (_label_off_by_one, "label index is off by one"),
])
def test_first_spike_loss_names_shift_count_and_index_slips(wrong, fragment):
    with np.errstate(divide="ignore"):
        verdict = check_first_spike_loss(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_latest_shift_is_wrong_only_for_a_wide_spread():
    """The case that catches it: spikes at 1 ms and at t_max = 500 ms, τ₀ = 0.5 ms."""
    t, labels = np.array([[1.0, np.inf]]), np.array([0])
    loss, _ = _shift_latest(t, labels, 500.0, 0.5, 6.4, 0.003)
    assert not np.isfinite(loss[0])
    assert np.isfinite(first_spike_cross_entropy(t, labels, 500.0).loss[0])
    t = np.array([[5.0, 99.0, np.inf]])
    np.testing.assert_allclose(_shift_latest(t, labels, 100.0, 0.5, 6.4, 0.003)[1],
                               first_spike_cross_entropy(t, labels, 100.0).dloss_dt, rtol=1e-12)


def test_a_loss_error_is_not_called_a_gradient_factor():
    def loss_slightly_off(t, labels, t_max, tau0, tau1, alpha):
        value = first_spike_cross_entropy(t, labels, t_max, tau0, tau1, alpha)
        return value.loss * (1 + 1e-9), value.dloss_dt

    verdict = check_first_spike_loss(loss_slightly_off)
    assert not verdict.passed and "off by the factor" not in verdict.message, verdict.message


def _regulariser_changed(loss_reg=None, grad_factor=1.0, grad_shifted=False):
    """The correct loss with its regulariser term loss_reg(ty, ty_shifted, tau0, tau1, alpha)
    in place of α(e^(t_y/τ₁) − 1), and its derivative scaled or taken at the shifted time."""
    def wrong(t, labels, t_max, tau0, tau1, alpha):
        loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
        fired = np.isfinite(t)
        te = np.where(fired, t, t_max)
        rows = np.arange(len(labels))
        ty, shifted = te[rows, labels], te[rows, labels] - te.min(axis=1)   # the invited slip
        keep = fired[rows, labels]
        if loss_reg is not None:
            loss = np.where(keep, loss - alpha * np.expm1(ty / tau1)
                            + loss_reg(ty, shifted, tau0, tau1, alpha), loss)
        at = shifted if grad_shifted else ty
        grad[rows, labels] += np.where(keep, alpha / tau1 * (grad_factor * np.exp(at / tau1)
                                                             - np.exp(ty / tau1)), 0.0)
        return loss, grad
    return wrong


def _all_shifted(t, labels, t_max, tau0, tau1, alpha):
    """Each row's earliest spike subtracted once, at the start, and never added back."""
    fired = np.isfinite(t)
    te = np.where(fired, t, t_max)
    ts = te - te.min(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    e = np.exp(-ts / tau0)
    ty = ts[rows, labels]
    loss = ty / tau0 + np.log(e.sum(axis=1)) + alpha * np.expm1(ty / tau1)
    grad = -e / e.sum(axis=1, keepdims=True) / tau0
    grad[rows, labels] += 1 / tau0 + alpha / tau1 * np.exp(ty / tau1)
    keep = fired[rows, labels]
    loss = np.where(keep, loss, np.log(t.shape[1]) + alpha * np.expm1(t_max / tau1))
    return loss, np.where(fired & keep[:, None], grad, 0.0)


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_all_shifted, "the regulariser is evaluated at the shifted time"),
    (_regulariser_changed(lambda ty, ts, tau0, tau1, a: a * np.exp(ty / tau1)),
     "the regulariser lacks its −1"),
    (_regulariser_changed(lambda ty, ts, tau0, tau1, a: a * np.exp(ty / tau1) - 1),
     "operator precedence"),
    (_regulariser_changed(lambda ty, ts, tau0, tau1, a: a * np.expm1(ty / tau0)),
     "the regulariser in the loss has e^(t_y/τ₀)"),
    (_regulariser_changed(lambda ty, ts, tau0, tau1, a: 0.0 * ty),
     "is missing from the loss"),
    (_regulariser_changed(lambda ty, ts, tau0, tau1, a: 0.0 * ty, grad_factor=0.0),
     "is missing from the loss and from dloss_dt"),
    (_regulariser_changed(grad_factor=2.0), "the regulariser's derivative is doubled"),
    (_regulariser_changed(grad_factor=0.5), "the regulariser's derivative is halved"),
    (_regulariser_changed(lambda ty, ts, tau0, tau1, a: a * np.expm1(ts / tau1),
                          grad_shifted=True), "the regulariser is evaluated at the shifted time"),
    (_regulariser_changed(lambda ty, ts, tau0, tau1, a: a * np.expm1(ts / tau1)),
     "the regulariser is evaluated at the shifted time"),
    (_regulariser_changed(grad_shifted=True), "evaluated at the shifted time t_y − min_k t_k"),
])
def test_first_spike_loss_names_regulariser_slips(wrong, fragment):
    verdict = check_first_spike_loss(wrong)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_the_regulariser_variants_are_right_when_unchanged():
    assert check_first_spike_loss(_regulariser_changed()).passed


def _shift_not_undone(t, labels, t_max, tau0, tau1, alpha):
    """Subtracts each row's earliest spike inside the log-sum-exp and forgets to undo it."""
    loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
    te = np.where(np.isfinite(t), t, t_max)
    fired = np.isfinite(t[np.arange(len(labels)), labels])
    return np.where(fired, loss + te.min(axis=1) / tau0, loss), grad


def test_first_spike_loss_names_a_shift_not_undone():
    verdict = check_first_spike_loss(_shift_not_undone)
    assert not verdict.passed and "the shift is not undone" in verdict.message, verdict.message


def test_first_spike_loss_names_classes_counted_from_the_labels():
    """K = labels.max() + 1 instead of t.shape[1]: right whenever the batch holds the last class,
    off by log(3/2) for a silent label where it does not (it passed all six earlier cases)."""
    def from_labels(t, labels, t_max, tau0, tau1, alpha):
        return _loss(t, labels, t_max, tau0, tau1, alpha,
                     silent_cost=lambda t, t_max, a, tau1: (np.log(labels.max() + 1)
                                                            + a * (np.exp(t_max / tau1) - 1)))

    verdict = check_first_spike_loss(from_labels)
    assert not verdict.passed
    assert "not labels.max() + 1" in verdict.message, verdict.message


def test_first_spike_loss_names_the_batch_axis_after_a_row_shift():
    """The exercise asks to shift each row; a softmax then summed over the batch axis is the
    same slip as the one with the shift over the batch axis, and is named."""
    def row_shift_batch_sum(t, labels, t_max, tau0, tau1, alpha):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return _loss(t, labels, t_max, tau0, tau1, alpha, axis=0, shift_axis=1)

    verdict = check_first_spike_loss(row_shift_batch_sum)
    assert not verdict.passed and "over the batch axis" in verdict.message, verdict.message


@pytest.mark.parametrize("guard", [lambda s: np.log(np.maximum(s, 1e-300)),
                                   lambda s: np.log(s + 1e-300)])
def test_first_spike_loss_fails_an_unshifted_loss_with_a_guarded_log(guard):
    """No shift, log(0) guarded: right wherever nothing underflows, and hidden by a 10²⁴
    regulariser on the late cases 5 and 6; case 8 (α = 0) catches it."""
    def unshifted(t, labels, t_max, tau0, tau1, alpha):
        loss, grad = _loss(t, labels, t_max, tau0, tau1, alpha)
        te = np.where(np.isfinite(t), t, t_max)
        rows = np.arange(len(labels))
        ty = te[rows, labels]
        wrong = ty / tau0 + guard(np.exp(-te / tau0).sum(axis=1)) + alpha * np.expm1(ty / tau1)
        return np.where(np.isfinite(t[rows, labels]), wrong, loss), grad

    verdict = check_first_spike_loss(unshifted)
    assert not verdict.passed, verdict.message
