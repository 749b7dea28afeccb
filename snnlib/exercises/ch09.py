"""The check of chapter 9's "Implement …" exercise: send-on-delta."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.exercises._core import Verdict, _close, _compare
from snnlib.sampling import send_on_delta

__all__ = ["check_send_on_delta"]


def check_send_on_delta(candidate: Callable[[np.ndarray, float], np.ndarray]) -> Verdict:
    r"""Check ``candidate(x, delta)``: the event amplitudes of send-on-delta with the lattice
    reference, shaped like the 1-D signal ``x`` (zero where no event is sent).

    Examples
    --------
    >>> def sod(x, delta):                         # the classic scheme: exact changes
    ...     out, ref = np.zeros_like(x), x[0]
    ...     for n in range(1, x.size):
    ...         if abs(x[n] - ref) >= delta:
    ...             out[n], ref = x[n] - ref, x[n]
    ...     return out
    >>> verdict = check_send_on_delta(sod)
    >>> verdict.passed, "last-value" in verdict.message
    (False, True)
    """
    rng = np.random.default_rng(9)
    cases = [(np.array([0.0, 0.4, 1.3, 2.9, 2.2, 0.1]), 1.0),
             (np.cumsum(rng.normal(size=300)) * 0.3, 0.5),
             (np.sin(np.linspace(0, 12, 500)) * 3.0, 0.25),
             (np.array([0.0, 1.5, 2.5, 3.5]), 1.0)]

    def last_value(args, got, expected):
        if _close(got, send_on_delta(args[0], args[1], reference="last_value")):
            return "these are the classic last-value amplitudes; the lattice reference sends " \
                   "multiples of Δ"
        return None

    def unit_steps(args, got, expected):
        delta = args[1]
        if np.all(np.isin(np.round(got / delta, 9), (-1.0, 0.0, 1.0))) and \
                np.any(np.abs(expected) > 1.5 * delta):
            return "a jump of more than Δ needs a multiple of Δ in one event, not a single ±Δ"
        return None

    def truncation(args, got, expected):
        delta = args[1]
        if np.all(np.isclose(np.round(got / delta), got / delta)) and \
                not _close(got, expected) and np.sum(np.abs(got)) > np.sum(np.abs(expected)):
            return "events overshoot: round towards zero (trunc), not to the nearest multiple"
        return None

    return _compare(candidate, cases, lambda x, delta: send_on_delta(x, delta),
                    (last_value, unit_steps, truncation))
