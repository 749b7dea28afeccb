"""The checks of chapter 7's exercises: the first-spike loss with silent neurons ("Implement …")
and, as a warm-up, its gradient when every output fires."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from snnlib.exercises._core import Verdict, _close, _compare, _float32_hint
from snnlib.losses import first_spike_cross_entropy

__all__ = ["check_cross_entropy_grad", "check_first_spike_loss"]


def check_cross_entropy_grad(candidate: Callable) -> Verdict:
    r"""Check ``candidate(t, labels, tau0, tau1, alpha)`` :math:`= \partial\ell/\partial t`, shape
    (batch, n_out), for first spike times ``t`` of outputs that all fire.

    Examples
    --------
    >>> def grad(t, labels, tau0, tau1, alpha):
    ...     e = np.exp(-t / tau0)
    ...     g = -e / e.sum(axis=1, keepdims=True) / tau0
    ...     g[np.arange(len(labels)), labels] += 1 / tau0       # the regulariser is missing
    ...     return g
    >>> print(check_cross_entropy_grad(grad))
    grad: not yet — the regulariser's term [k = y](α/τ₁)e^(t_y/τ₁) is missing (case 1)
    """
    rng = np.random.default_rng(7)
    cases = [(np.array([[1.0, 2.0, 3.0]]), np.array([0]), 0.5, 6.4, 0.003)]
    cases.append((rng.uniform(5.0, 40.0, size=(16, 3)), rng.integers(0, 3, 16), 0.5, 6.4, 0.003))
    cases.append((rng.uniform(5.0, 40.0, size=(8, 4)), rng.integers(0, 4, 8), 2.0, 10.0, 0.01))

    def reference(t, labels, tau0, tau1, alpha):
        return first_spike_cross_entropy(t, labels, 100.0, tau0=tau0, tau1=tau1,
                                         alpha=alpha).dloss_dt

    def regulariser(args, got, expected):
        if _close(got, reference(*args[:4], 0.0)):
            return "the regulariser's term [k = y](α/τ₁)e^(t_y/τ₁) is missing"
        return None

    def sign(args, got, expected):
        if _close(got, -expected):
            return "the sign is flipped: a later label spike must raise the loss"
        return None

    def logits(args, got, expected):
        t, labels, tau0, tau1, alpha = args
        wrong = reference(-t, labels, tau0, tau1, 0.0)
        wrong[np.arange(len(labels)), labels] += alpha / tau1 * np.exp(t[np.arange(len(labels)),
                                                                          labels] / tau1)
        if _close(got, wrong) or _close(got, -wrong):
            return "the logits are −t/τ₀ (earlier is better), not +t/τ₀"
        return None

    def temperature(args, got, expected):
        ce = reference(*args[:4], 0.0)
        if _close(got, expected - ce + ce * args[2]):
            return "the cross-entropy part lacks the factor 1/τ₀"
        return None

    return _compare(candidate, cases, reference, (regulariser, sign, logits, temperature))


def _first_spike_loss_reference(t, labels, t_max, tau0, tau1, alpha):
    out = first_spike_cross_entropy(t, labels, t_max, tau0=tau0, tau1=tau1, alpha=alpha)
    return np.column_stack([out.loss, out.dloss_dt])


def _variant(t, labels, t_max, tau0, tau1, alpha, *, softmax_axis=1, label_term=1.0,
             reg_factor=None, reg_everywhere=False, silent_label_grad=False,
             silent_grad=False, reg_shifted=False, shift_axis=None):
    """The gradient of the loss with one catalogued mistake (the derivative columns only)."""
    fired = np.isfinite(t)
    te = np.where(fired, t, t_max)
    rows = np.arange(te.shape[0])
    logits = -te / tau0
    shift = logits.max(axis=softmax_axis if shift_axis is None else shift_axis, keepdims=True)
    e = np.exp(logits - shift)
    grad = -e / e.sum(axis=softmax_axis, keepdims=True) / tau0
    t_reg = te - te.min(axis=1, keepdims=True) if reg_shifted else te
    reg = (alpha / tau1 if reg_factor is None else reg_factor) * np.exp(t_reg / tau1)
    if reg_everywhere:
        grad += reg
    else:
        grad[rows, labels] += reg[rows, labels]
    grad[rows, labels] += label_term / tau0
    keep = np.ones_like(fired) if silent_grad else fired
    if not silent_label_grad:
        keep = keep & fired[rows, labels][:, None]
    return np.where(keep, grad, 0.0)


def _regulariser_loss(t, labels, t_max, tau0, tau1, alpha, kind):
    """The loss of the rows whose label fires, with the regulariser α(e^(t_y/τ₁) − 1) changed
    (``kind``: "no −1", "precedence", "τ₀", "missing", "shifted"), and those rows' mask."""
    fired = np.isfinite(t)
    rows = np.arange(len(labels))
    te = np.where(fired, t, t_max)
    ty = te[rows, labels]
    right = alpha * np.expm1(ty / tau1)
    wrong = {"no −1": alpha * np.exp(ty / tau1), "precedence": alpha * np.exp(ty / tau1) - 1,
             "τ₀": alpha * np.expm1(ty / tau0),
             "missing": 0.0 * ty,
             "shifted": alpha * np.expm1((ty - te.min(axis=1)) / tau1)}[kind]
    loss = _first_spike_loss_reference(t, labels, t_max, tau0, tau1, alpha)[:, 0]
    return (loss - right + wrong), fired[rows, labels]


_REGULARISER_LOSS = {
    "no −1": "the regulariser lacks its −1: it is α(e^(t_y/τ₁) − 1), 0 at t_y = 0 (the loss "
             "is off by α)",
    "precedence": "operator precedence: α·e^(t_y/τ₁) − 1 is not α(e^(t_y/τ₁) − 1); the −1 "
                  "belongs inside the bracket (alpha * np.expm1(t_y / tau1))",
    "τ₀": "the regulariser in the loss has e^(t_y/τ₀); it is α(e^(t_y/τ₁) − 1), with τ₁",
    "missing": "the regulariser α(e^(t_y/τ₁) − 1) is missing from the loss",
    "shifted": "the regulariser is evaluated at the shifted time t_y − min_k t_k: subtract "
               "the row's earliest spike only inside the softmax (where it cancels); the "
               "regulariser needs t_y itself",
}


def check_first_spike_loss(candidate: Callable) -> Verdict:
    r"""Check ``candidate(t, labels, t_max, tau0, tau1, alpha) -> (loss, dloss_dt)`` against
    :func:`snnlib.losses.first_spike_cross_entropy`: first spike times ``t`` of shape
    (batch, n_out) with ``+inf`` for a silent neuron, integer ``labels`` (batch,); ``loss``
    of shape (batch,), ``dloss_dt`` of the shape of ``t``.

    The cases include silent neurons, a silent label, a whole silent row, ties (equal spike
    times), a label that fires exactly at ``t_max``, constants other than the defaults and
    spikes so late that :math:`e^{-t/\tau_0}` underflows, and rows whose spikes lie more than
    :math:`709\,\tau_0` apart, where a shift by the row's latest spike overflows.
    Case 7 has no sample of the last class; case 8 repeats late spikes with α = 0, so that no
    regulariser of size 10²⁴ hides an error of the cross-entropy (an unshifted loss whose
    log(0) is guarded passed the first seven).

    Named mistakes: nan or inf from a silent neuron or from late spikes (no shift), a shift by
    the latest spike, the loss as −log of an underflowed softmax_y, the silent cost's K counted
    among the outputs that fire or taken from the labels (``labels.max() + 1``), a label index
    off by one, a silent neuron left out of the softmax (weight 0) instead of entering it as if
    it fired at t_max, hard-coded constants, a label spike at t_max taken for silent, the sign,
    the regulariser's derivative without 1/τ₁, with α/τ₀, doubled, halved or missing while the
    loss keeps it, the regulariser in the loss without its −1, with the −1 outside the bracket
    (:math:`\alpha e^{t_y/\tau_1} - 1`), with :math:`e^{t_y/\tau_0}`,
    missing (from the loss or from both), or evaluated at the shifted time (the row's earliest
    spike subtracted and not added back), the term [k = y]/τ₀ missing, the regulariser on every
    output, the softmax over the batch axis (with the shift per row or per column), derivatives
    of silent neurons or samples, a wrong constant cost of a silent label, logits +t/τ₀, a
    missing 1/τ₀, underflow hidden by nan_to_num, a gradient off by a constant factor, the shift
    of the stable log-sum-exp not undone in the loss, a float32 value inside (agreement to about
    7 digits only).

    Examples
    --------
    >>> def loss(t, labels, t_max, tau0, tau1, alpha):
    ...     rows = np.arange(len(labels))
    ...     e = np.exp(-t / tau0)                        # +inf is not replaced: nan follows
    ...     ty = t[rows, labels]
    ...     value = ty / tau0 + np.log(e.sum(axis=1)) + alpha * (np.exp(ty / tau1) - 1)
    ...     grad = -e / e.sum(axis=1, keepdims=True) / tau0
    ...     grad[rows, labels] += 1 / tau0 + alpha / tau1 * np.exp(ty / tau1)
    ...     return value, grad
    >>> print(check_first_spike_loss(loss))  # doctest: +ELLIPSIS
    loss: not yet — nan or inf where a neuron is silent: ... (case 2)
    """
    inf = np.inf
    rng = np.random.default_rng(17)
    random_t = rng.uniform(5.0, 40.0, size=(16, 3))
    random_t[rng.random((16, 3)) < 0.2] = inf
    other_t = np.round(rng.uniform(2.0, 30.0, size=(8, 4)))     # integer times: ties likely
    other_t[rng.random((8, 4)) < 0.25] = inf
    cases = [
        (np.array([[1.0, 2.0, 3.0], [4.0, 2.0, 3.0]]), np.array([0, 2]), 100.0, 0.5, 6.4, 0.003),
        (np.array([[2.0, inf, 3.0], [inf, 2.0, 3.0], [inf, inf, inf], [5.0, 5.0, 5.0],
                   [10.0, 10.0, 100.0], [100.0, inf, inf]]),
         np.array([0, 0, 1, 2, 2, 0]), 100.0, 0.5, 6.4, 0.003),
        (random_t, rng.integers(0, 3, 16), 100.0, 0.5, 6.4, 0.003),
        (other_t, rng.integers(0, 4, 8), 60.0, 2.0, 10.0, 0.01),
        (np.array([[400.0, 401.0, 430.0], [450.0, 420.0, inf]]), np.array([0, 1]),
         500.0, 0.5, 6.4, 0.003),
        (np.array([[1.0, inf], [1.0, 400.0], [400.0, 1.0], [400.0, 400.0]]),
         np.array([0, 1, 0, 1]), 500.0, 0.5, 6.4, 0.003),
        # no sample of the last class, and a silent label: K = t.shape[1], not from the labels
        (np.array([[inf, 3.0, 5.0], [2.0, 4.0, 6.0], [inf, inf, 7.0]]), np.array([0, 1, 1]),
         100.0, 0.5, 6.4, 0.003),
        # late spikes again without the regulariser (α = 0), whose 10²⁴ would hide an error of
        # the cross-entropy: an unshifted loss with a guarded log(0) passes cases 5 and 6
        (np.array([[400.0, 401.0, 430.0], [450.0, 420.0, inf], [1.0, 400.0, 2.0]]),
         np.array([0, 1, 1]), 500.0, 0.5, 6.4, 0.0),
    ]
    unscaled = _first_spike_loss_reference

    def scale(t, labels, t_max, tau0, tau1, alpha):
        # Each entry's own scale: |loss| (at least 1) for the loss; for ∂ℓ/∂t_k the sizes of
        # its terms, 1/τ₀ plus, at the label, (α/τ₁)e^(t_y/τ₁). Dividing candidate and
        # reference by it compares loss and gradient separately, each to RTOL of its own size,
        # so a huge loss or regulariser term (case 5) cannot hide an error of the softmax part.
        te = np.where(np.isfinite(t), t, t_max)
        rows = np.arange(len(labels))
        grad = np.full(te.shape, 1.0 / tau0)
        grad[rows, labels] += abs(alpha) / tau1 * np.exp(te[rows, labels] / tau1)
        loss = np.maximum(np.abs(unscaled(t, labels, t_max, tau0, tau1, alpha)[:, 0]), 1.0)
        return np.column_stack([loss, grad])

    def reference(*args):
        return unscaled(*args) / scale(*args)

    def run(*args):
        scales = scale(*args)       # before the candidate, which may change args in place
        out = candidate(*args)
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError("must return a pair (loss, dloss_dt)")
        loss, grad = (np.asarray(x, dtype=float) for x in out)
        if loss.shape != (args[0].shape[0],) or grad.shape != args[0].shape:
            raise ValueError(f"loss must have shape {(args[0].shape[0],)} and dloss_dt "
                             f"{args[0].shape}, got {loss.shape} and {grad.shape}")
        return np.column_stack([loss, grad]) / scales

    def grad_is(args, got, variant_kwargs):
        wrong = _variant(*args, **variant_kwargs)
        return _close(got[:, 1:], wrong) and not _close(wrong, unscaled(*args)[:, 1:])

    def not_finite(args, got, expected):
        bad = ~np.isfinite(got).all(axis=1)
        if not bad.any():
            return None
        if np.isfinite(args[0][bad]).all(axis=1).any():
            return ("nan or inf for late spikes: e^(−t/τ₀) underflows to 0; subtract the row's "
                    "earliest spike before exponentiating")
        return ("nan or inf where a neuron is silent: a +inf spike time must not enter the "
                "arithmetic (inf − inf, 0·inf); read it as t_max, give it derivative 0, "
                "and give a silent label the constant cost")

    def latest_shift(args, got, expected):
        t, _, t_max, tau0 = args[:4]
        te = np.where(np.isfinite(t), t, t_max)
        wide = (te.max(axis=1) - te.min(axis=1)) / tau0 > 709.0     # e^709 is near overflow
        bad = ~np.isfinite(got).all(axis=1)
        if bad.any() and not bad[~wide].any() and _close(got[~bad], expected[~bad]):
            return ("shift by the earliest spike (the row's minimum), not the latest: "
                    "e^(−(t − t_last)/τ₀) overflows when a row's spikes lie more than 709 τ₀ "
                    "apart")
        return None

    def log_of_softmax(args, got, expected):
        bad = ~np.isfinite(got[:, 0])
        if bad.any() and np.all(got[bad, 0] == np.inf) and np.isfinite(got[:, 1:]).all() \
                and _close(got[~bad], expected[~bad]) and _close(got[:, 1:], expected[:, 1:]):
            return ("the loss is −log softmax_y, and softmax_y underflows to 0 (−log 0 = inf) "
                    "when the label's spike trails the row's earliest by more than about "
                    "745 τ₀; keep it in log form, (t_y − m)/τ₀ + log Σ_k e^(−(t_k − m)/τ₀) "
                    "with m the earliest spike")
        return None

    def classes_from_labels(args, got, expected):
        t, labels, t_max, _, tau1, alpha = args
        rows = np.arange(len(labels))
        silent_label = ~np.isfinite(t[rows, labels])
        k = labels.max() + 1
        if k == t.shape[1] or not silent_label.any():
            return None
        cost = np.log(k) + alpha * np.expm1(t_max / tau1)
        if _close(got[silent_label, 0], np.full(silent_label.sum(), cost)):
            return ("K in the silent cost log K + α(…) is the number of output neurons, "
                    "t.shape[1], not labels.max() + 1: a batch need not contain every class")
        return None

    def firing_count(args, got, expected):
        t, labels, t_max, _, tau1, alpha = args
        fired = np.isfinite(t)
        rows = np.arange(len(labels))
        silent_label = ~fired[rows, labels]
        if np.unique(fired.sum(axis=1)[silent_label]).size < 2:    # a constant would match too
            return None
        with np.errstate(divide="ignore"):
            wrong = np.log(fired.sum(axis=1)[silent_label]) + alpha * np.expm1(t_max / tau1)
        loss = got[silent_label, 0]
        finite = np.isfinite(wrong)
        if (np.array_equal(np.isfinite(loss), finite) and np.all(loss[~finite] == wrong[~finite])
                and _close(loss[finite], wrong[finite])
                and not _close(wrong, expected[silent_label, 0])):
            return ("the silent cost's K is the number of outputs, t.shape[1] (as if all of "
                    "them fired at t_max), not the number that fire: a silent row gives "
                    "log 0 = −inf")
        return None

    def label_off_by_one(args, got, expected):
        t, labels = args[:2]
        for step in (1, -1):
            shifted = (labels + step) % t.shape[1]
            if _close(got, unscaled(t, shifted, *args[2:])):
                return ("the label index is off by one: the label's spike is t[rows, labels], "
                        "not a neighbour's")
        return None

    def silent_as_infinite(args, got, expected):
        t, labels, t_max, tau0, tau1, alpha = args
        fired = np.isfinite(t)
        rows = np.arange(len(labels))
        label_fired = fired[rows, labels]
        if fired.all() or not label_fired.any():
            return None
        te = np.where(fired, t, t_max)
        z = np.where(fired, -te / tau0, -np.inf)
        m = z.max(axis=1, keepdims=True)
        m = np.where(np.isfinite(m), m, 0.0)
        e = np.exp(z - m)
        loss = (te[rows, labels] / tau0 + m[:, 0] + np.log(e.sum(axis=1))
                + alpha * (np.exp(te[rows, labels] / tau1) - 1))
        sel = label_fired
        if _close(got[sel, 0], loss[sel]) and not _close(loss[sel], expected[sel, 0]):
            return ("a silent neuron enters the softmax as if it fired at t_max, not as an "
                    "infinitely late spike of weight 0")
        return None

    def constants(args, got, expected):
        t, labels = args[:2]
        yin_yang = (100.0, 0.5, 6.4, 0.003)
        for mask in itertools.product((False, True), repeat=4):   # every subset hard-coded
            hard = tuple(y if m else a for m, a, y in zip(mask, args[2:], yin_yang, strict=True))
            if hard != tuple(args[2:]) and _close(got, unscaled(t, labels, *hard)):
                return ("hard-coded constants: use the arguments t_max, tau0, tau1 and alpha, "
                        "not the Yin-Yang values")
        return None

    def sign(args, got, expected):
        if _close(got[:, 1:], -expected[:, 1:]):
            return "the sign is flipped: a later label spike must raise the loss"
        return None

    def tau1(args, got, expected):
        if grad_is(args, got, {"reg_factor": args[5]}):
            return "the regulariser's derivative lacks the factor 1/τ₁: (α/τ₁)e^(t_y/τ₁)"
        return None

    def tau0_for_tau1(args, got, expected):
        if grad_is(args, got, {"reg_factor": args[5] / args[3]}):
            return "the regulariser's derivative has α/τ₀; it is (α/τ₁)e^(t_y/τ₁)"
        return None

    def regulariser(args, got, expected):
        for kind, message in _REGULARISER_LOSS.items():
            wrong, sel = _regulariser_loss(*args, kind)
            if sel.any() and _close(got[sel, 0], wrong[sel]) \
                    and not _close(wrong[sel], expected[sel, 0]):
                if kind == "missing" and grad_is(args, got, {"reg_factor": 0.0}):
                    return f"{message} and from dloss_dt"
                return message
        if grad_is(args, got, {"reg_shifted": True}):
            return _REGULARISER_LOSS["shifted"] + " (in dloss_dt)"
        if _close(got[:, 0], expected[:, 0]) and grad_is(args, got, {"reg_factor": 0.0}):
            return ("the loss keeps the regulariser, but dloss_dt lacks its derivative "
                    "(α/τ₁)e^(t_y/τ₁) at the label")
        for factor, word in ((2.0, "doubled"), (0.5, "halved")):
            if grad_is(args, got, {"reg_factor": factor * args[5] / args[4]}):
                return (f"the regulariser's derivative is {word}: d/dt_y α(e^(t_y/τ₁) − 1) "
                        f"= (α/τ₁)e^(t_y/τ₁)")
        return None

    def shift_kept(args, got, expected):
        # the stable log-sum-exp: log Σ e^(−t_k/τ₀) = log Σ e^(−(t_k − m)/τ₀) − m/τ₀
        t, labels, t_max, tau0 = args[:4]
        te = np.where(np.isfinite(t), t, t_max)
        shift = te.min(axis=1) / tau0
        sel = np.isfinite(t[np.arange(len(labels)), labels]) & (shift != 0)
        if sel.any() and _close(got[sel, 0] - expected[sel, 0], shift[sel]):
            return ("the shift is not undone: log Σ_k e^(−t_k/τ₀) = log Σ_k e^(−(t_k − m)/τ₀) "
                    "− m/τ₀ with m the row's earliest spike; subtract m/τ₀ from the shifted "
                    "log-sum-exp (the loss is off by m/τ₀)")
        return None

    def label_at_t_max(args, got, expected):
        t, labels, t_max = args[:3]
        rows = np.arange(len(labels))
        at = t[rows, labels] == t_max
        if not at.any():
            return None
        silenced = t.copy()
        silenced[rows[at], labels[at]] = np.inf
        if _close(got, unscaled(silenced, *args[1:])):
            return ("a label spike at exactly t_max is a spike (≤ t_max, not < t_max): it is "
                    "not silent")
        return None

    def label_term(args, got, expected):
        if grad_is(args, got, {"label_term": 0.0}):
            return ("the term [k = y]/τ₀ is missing: −log softmax_y contributes "
                    "(1 − softmax_y)/τ₀ to the label")
        return None

    def every_output(args, got, expected):
        if grad_is(args, got, {"reg_everywhere": True}):
            return "the regulariser acts on every output; it acts on the label's spike only"
        return None

    def batch_axis(args, got, expected):
        if grad_is(args, got, {"softmax_axis": 0}) or \
                grad_is(args, got, {"softmax_axis": 0, "shift_axis": 1}):
            return "the softmax runs over the batch axis; it runs over the outputs (axis 1)"
        return None

    def silent(args, got, expected):
        t, labels = args[:2]
        fired = np.isfinite(t)
        label_fired = fired[np.arange(len(labels)), labels]
        grads = got[:, 1:]
        if np.any(grads[~label_fired] != 0):
            return ("a sample whose label neuron is silent must give no derivative at all "
                    "(it costs a constant)")
        if np.any(grads[~fired] != 0):
            return "a silent neuron has no spike time to move: its derivative must be 0"
        if not _close(got[~label_fired, 0], expected[~label_fired, 0]):
            return ("a silent label neuron costs the constant log K + α(e^(t_max/τ₁) − 1), "
                    "as if every output fired at t_max")
        return None

    def logits(args, got, expected):
        t, labels, t_max, tau0, tau1, alpha = args
        fired = np.isfinite(t)
        rows = np.arange(len(labels))
        if not np.all(fired):
            return None
        wrong = unscaled(-t, labels, t_max, tau0, tau1, 0.0)[:, 1:]
        wrong[rows, labels] += alpha / tau1 * np.exp(t[rows, labels] / tau1)
        if _close(got[:, 1:], wrong) or _close(got[:, 1:], -wrong):
            return "the logits are −t/τ₀ (earlier is better), not +t/τ₀"
        return None

    def temperature(args, got, expected):
        ce = unscaled(*args[:5], 0.0)[:, 1:]
        if _close(got[:, 1:], expected[:, 1:] - ce + ce * args[3]):
            return "the cross-entropy part lacks the factor 1/τ₀"
        return None

    def underflow(args, got, expected):
        t, _, t_max, tau0 = args[:4]
        late = np.exp(-np.where(np.isfinite(t), t, t_max) / tau0).sum(axis=1) == 0
        if late.any() and _close(got[~late], expected[~late]):
            return ("wrong for late spikes only: e^(−t/τ₀) underflows to 0 (and nan_to_num "
                    "hides it); subtract the row's earliest spike before exponentiating")
        return None

    def factor(args, got, expected):
        g, e = got[:, 1:], expected[:, 1:]
        r = float(g.ravel() @ e.ravel() / (e.ravel() @ e.ravel())) if np.any(e) else 0.0
        if r != 0.0 and abs(r - 1.0) > 1e-10 and _close(g, r * e) \
                and _close(got[:, 0], expected[:, 0]):
            return f"the loss is right, but dloss_dt is off by the factor {r:.9g} everywhere"
        return None

    def which(args, got, expected):
        part = ("dloss_dt" if _close(got[:, 0], expected[:, 0]) else
                "the loss" if _close(got[:, 1:], expected[:, 1:]) else "the loss and dloss_dt")
        error = np.abs(got - expected) / scale(*args)
        return (f"{part} differs from snnlib: largest error {error.max():.3g} relative to each "
                f"entry's scale (tolerance 1e-10)")

    hints = (log_of_softmax, latest_shift, classes_from_labels, firing_count, label_off_by_one,
             not_finite, silent_as_infinite,
             constants, label_at_t_max, sign, tau1, tau0_for_tau1, shift_kept, regulariser,
             label_term,
             every_output,
             batch_axis, silent, logits, temperature, underflow, factor, _float32_hint, which)

    def unscale(hint):
        return lambda args, got, expected: hint(args, got * scale(*args),
                                                expected * scale(*args))

    with np.errstate(all="ignore"):  # a wrong candidate's nan is named, not warned about
        verdict = _compare(run, cases, reference, [unscale(h) for h in hints])
    return Verdict(getattr(candidate, "__name__", "candidate"), verdict.passed, verdict.message)
