"""The check of chapter 8's "Implement …" exercise: the Alexiewicz norm."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.exercises._core import Verdict, _compare
from snnlib.sampling import alexiewicz_norm

__all__ = ["check_alexiewicz_norm"]


def check_alexiewicz_norm(candidate: Callable[[np.ndarray, float], float]) -> Verdict:
    r"""Check ``candidate(x, dt)`` :math:`= \max_n |\sum_{k \le n} x_k \Delta t|` for 1-D ``x``.

    Examples
    --------
    >>> def norm(x, dt):
    ...     return np.max(np.cumsum(x)) * dt               # no absolute value
    >>> print(check_alexiewicz_norm(norm))
    norm: not yet — the largest partial sum without |·|: a negative excursion counts too (case 1)
    """
    rng = np.random.default_rng(8)
    cases = [(np.array([1.0, -3.0, 1.0, 1.0]), 1.0), (np.array([-1.0, -1.0, 0.5]), 1.0),
             (rng.normal(size=200), 0.1), (np.sin(np.linspace(0, 20, 400)), 0.05)]

    def dt_factor(args, got, expected):
        dt = args[1]
        if dt != 1.0 and np.isclose(float(got), float(expected) / dt):
            return "the factor Δt is missing: the partial integrals are Σ x_k Δt"
        return None

    def no_abs(args, got, expected):
        x, dt = args
        if np.isclose(float(got), np.max(np.cumsum(x)) * dt) and \
                not np.isclose(float(got), float(expected)):
            return "the largest partial sum without |·|: a negative excursion counts too"
        return None

    def l1(args, got, expected):
        x, dt = args
        if np.isclose(float(got), np.sum(np.abs(x)) * dt):
            return "that is the L¹ norm Σ|x_k|Δt; the Alexiewicz norm takes |·| of partial sums"
        return None

    def sup(args, got, expected):
        x, dt = args
        if np.isclose(float(got), np.max(np.abs(x))) or \
                np.isclose(float(got), np.max(np.abs(x)) * dt):
            return "that is the largest sample; the norm is the largest partial integral"
        return None

    return _compare(candidate, cases, lambda x, dt: alexiewicz_norm(x, dt=dt),
                    (dt_factor, no_abs, l1, sup))
