"""The check of chapter 3's "Implement …" exercise: zeros of a trace."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.deltas import find_zeros
from snnlib.exercises._core import Verdict, _compare

__all__ = ["check_find_zeros"]


def check_find_zeros(candidate: Callable) -> Verdict:
    r"""Check ``candidate(g, t)``: the sorted simple zeros of the vectorized function ``g`` on
    the increasing grid ``t``, refined to (near) machine precision.

    Examples
    --------
    >>> def zeros(g, t):                       # linear interpolation only, no refinement
    ...     v = g(t)
    ...     i = np.flatnonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)
    ...     return t[i] - v[i] * (t[i + 1] - t[i]) / (v[i + 1] - v[i])
    >>> verdict = check_find_zeros(zeros)
    >>> verdict.passed, "only interpolated" in verdict.message
    (False, True)
    """
    cases = [(np.sin, np.linspace(0.5, 7.0, 50)),
             (lambda t: np.cos(3 * t) + 0.3, np.linspace(0.0, 6.0, 300)),
             (lambda t: (t - 1.0) ** 2 * (t - 2.5), np.linspace(0.0, 4.0, 101)),
             (lambda t: t**3 - t, np.linspace(-2.0, 2.0, 80))]

    def refinement(args, got, expected):
        if got.shape == expected.shape and np.abs(got - expected).max() > 1e-9 and \
                np.abs(got - expected).max() < np.diff(args[1]).max() ** 2:
            return "the zeros are only interpolated: refine each bracket (bisection or brentq)"
        return None

    result = _compare(candidate, cases, lambda g, t: find_zeros(g, t), (refinement,))
    if "returned shape" in result.message:
        number = result.message.rsplit("case ", 1)[1].rstrip(")")
        g, t = cases[int(number) - 1]
        note = " (the double zero at t = 1 only touches 0: it is not a simple zero)" \
            if number == "3" else ""
        return Verdict(result.name, False, f"found a different number of zeros than the "
                                           f"{find_zeros(g, t).size} simple zeros{note} "
                                           f"(case {number})")
    return result
