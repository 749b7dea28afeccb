"""The check of chapter 1's "Implement …" exercise: a spike train's derivatives."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.distributions import SpikeTrain, TestFunction, bump
from snnlib.exercises._core import Verdict, _compare

__all__ = ["check_spike_train_pairing"]


def check_spike_train_pairing(
    candidate: Callable[[np.ndarray, np.ndarray, TestFunction, int], float]
) -> Verdict:
    r"""Check ``candidate(times, weights, phi, n)``
    :math:`= \langle s^{(n)}, \varphi\rangle = (-1)^n \sum_i w_i \varphi^{(n)}(t_i)` for
    :math:`s = \sum_i w_i\delta(t - t_i)` and a :class:`snnlib.distributions.TestFunction`.

    Examples
    --------
    >>> def pairing(times, weights, phi, n):
    ...     return float(np.sum(weights * phi.derivative(n)(times)))   # (−1)ⁿ forgotten
    >>> print(check_spike_train_pairing(pairing))
    pairing: not yet — the sign (−1)ⁿ of the derivative's pairing is missing (case 2)
    """
    phi = bump(center=1.0, width=2.0)
    times, weights = np.array([0.2, 0.7, 1.1, 2.5]), np.array([1.0, -2.0, 0.5, 3.0])
    cases = [(times, weights, phi, n) for n in (0, 1, 2, 3)]
    cases.append((np.array([-0.5, 0.0]), np.array([1.0, 1.0]), bump(width=0.8), 1))

    def reference(times, weights, phi, n):
        return SpikeTrain(times, weights).derivative(n).pair(phi)

    def sign(args, got, expected):
        if args[3] % 2 and np.isclose(float(got), -float(expected)):
            return "the sign (−1)ⁿ of the derivative's pairing is missing"
        return None

    def order(args, got, expected):
        times, weights, phi, n = args
        if n and np.isclose(float(got), float(np.sum(weights * phi(times)))):
            return "the pairing uses φ instead of its n-th derivative φ⁽ⁿ⁾"
        return None

    def weights_used(args, got, expected):
        times, weights, phi, n = args
        if np.isclose(float(got), reference(times, np.ones_like(weights), phi, n)):
            return "the weights w_i are ignored"
        return None

    return _compare(candidate, cases, reference, (sign, order, weights_used))
