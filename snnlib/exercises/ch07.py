"""The check of chapter 7's "Implement …" exercise: the gradient of the loss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.exercises._core import Verdict, _close, _compare
from snnlib.losses import first_spike_cross_entropy

__all__ = ["check_cross_entropy_grad"]


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
