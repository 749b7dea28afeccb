"""The check of chapter 2's "Implement …" exercise: the triangle."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.deltas import triangle
from snnlib.exercises._core import Verdict, _close, _compare

__all__ = ["check_triangle"]


def check_triangle(candidate: Callable[[np.ndarray, float], np.ndarray]) -> Verdict:
    r"""Check ``candidate(t, eps)`` :math:`= \Lambda_\varepsilon(t)` for arrays ``t``.

    Examples
    --------
    >>> def my_triangle(t, eps):
    ...     return np.maximum(0.0, 1.0 - np.abs(t) / eps)   # forgot to divide by eps
    >>> print(check_triangle(my_triangle))
    my_triangle: not yet — not normalised: it integrates to 0.5, Λ_ε must integrate to 1 (case 1)
    """
    cases = [(np.linspace(-1.0, 1.0, 2001), eps) for eps in (0.5, 0.1, 2.0)]
    cases.append((np.array([[-0.3, 0.0], [0.1, 0.7]]), 0.4))

    def normalisation(args, got, expected):
        t, eps = args
        if t.ndim == 1 and np.all(np.abs(t[[0, -1]]) >= eps):
            area = np.trapezoid(got, t)
            if not np.isclose(area, 1.0, rtol=1e-3):
                return f"not normalised: it integrates to {area:.3g}, Λ_ε must integrate to 1"
        return None

    def support(args, got, expected):
        outside = np.abs(args[0]) >= args[1]
        if np.any(got[outside] != 0):
            return "nonzero for |t| ≥ ε: Λ_ε vanishes outside (−ε, ε)"
        return None

    def evenness(args, got, expected):
        t = args[0]
        if t.ndim == 1 and not _close(got, got[::-1]):
            return "not even: Λ_ε(−t) must equal Λ_ε(t)"
        return None

    return _compare(candidate, cases, triangle, (support, evenness, normalisation))
