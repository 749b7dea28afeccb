"""The check of chapter 4's "Implement …" exercise: the closed-form step."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.exercises._core import Verdict, _close, _compare, _named, _stacked
from snnlib.lif import LIFParams

__all__ = ["check_lif_step"]


def _reference_lif_step(V0, I0, s, params):
    b = I0 * params.tau_syn / (params.tau_syn - params.tau_mem)
    a = V0 - b
    V = a * np.exp(-s / params.tau_mem) + b * np.exp(-s / params.tau_syn)
    return np.stack([V, I0 * np.exp(-s / params.tau_syn)])


def check_lif_step(
    candidate: Callable[[np.ndarray, np.ndarray, np.ndarray, LIFParams], tuple]
) -> Verdict:
    r"""Check ``candidate(V0, I0, s, params) -> (V, I)``: the state a time ``s`` after
    :math:`(V_0, I_0)` with no event in between (the closed form of chapter 4).

    Examples
    --------
    >>> def lif_step(V0, I0, s, params):
    ...     b = params.tau_syn * I0 / (params.tau_syn - params.tau_mem)
    ...     V = (V0 - b) * np.exp(-s / params.tau_mem) + b * np.exp(-s / params.tau_syn)
    ...     return V, I0 * np.exp(-s / params.tau_syn)
    >>> check_lif_step(lif_step).passed
    True
    """
    rng = np.random.default_rng(4)
    cases = []
    for params in (LIFParams(), LIFParams(tau_mem=10.0, tau_syn=15.0, threshold=2.0)):
        cases.append((np.array([0.0]), np.array([1.0]), np.array([0.0]), params))
        cases.append((rng.uniform(-1, 1, 50), rng.uniform(-5, 10, 50), rng.uniform(0, 40, 50),
                      params))

    def start(args, got, expected):
        if np.all(args[2] == 0) and not _close(got[0], args[0]):
            return "at s = 0 the membrane potential must be V0"
        return None

    def current(args, got, expected):
        if not _close(got[1], expected[1]):
            return "the current is wrong: between events it decays as I0·exp(−s/τ_syn)"
        return None

    def swapped(args, got, expected):
        V0, I0, s, p = args
        other = LIFParams(tau_mem=p.tau_syn, tau_syn=p.tau_mem, threshold=p.threshold)
        if _close(got[0], _reference_lif_step(V0, I0, s, other)[0]):
            return "τ_mem and τ_syn are swapped in V"
        return None

    return _named(candidate, _compare(_stacked(candidate), cases, _reference_lif_step,
                                      (start, current, swapped)))
