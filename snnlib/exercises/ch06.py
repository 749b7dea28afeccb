"""The check of chapter 6's "Implement …" exercise: the jump at a spike."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.eventprop import spike_jump
from snnlib.exercises._core import Verdict, _close, _compare
from snnlib.lif import LIFParams

__all__ = ["check_spike_jump"]


def check_spike_jump(candidate: Callable) -> Verdict:
    r"""Check ``candidate(lam_v, lam_i, n, dloss_dt, v_dot, params, R) -> lam_v_minus`` for
    one sample: vectors ``lam_v``, ``lam_i`` (the layer's :math:`\lambda_V^+, \lambda_I`), the
    neuron ``n`` that fires, numbers ``dloss_dt`` and ``v_dot``, and the recurrent weights
    ``R`` (an (n, n) array, possibly zero).

    Examples
    --------
    >>> def jump(lam_v, lam_i, n, dloss_dt, v_dot, params, R):
    ...     out = lam_v.copy()
    ...     out[n] += (dloss_dt + params.threshold * lam_v[n]) / (params.tau_mem * v_dot)
    ...     return out                                   # the recurrent term is missing
    >>> print(check_spike_jump(jump))
    jump: not yet — the recurrent term Σ_j R_nj (λ_V,j⁺ − λ_I,j) is missing (case 2)
    """
    rng = np.random.default_rng(6)
    p = LIFParams()
    cases = [(rng.normal(size=5), rng.normal(size=5), 2, 0.7, 0.3, p, np.zeros((5, 5)))]
    for _ in range(4):
        cases.append((rng.normal(size=5), rng.normal(size=5), int(rng.integers(5)),
                      float(rng.normal()), float(rng.uniform(0.05, 1.0)), p,
                      rng.normal(size=(5, 5))))

    def reference(lam_v, lam_i, n, dloss_dt, v_dot, params, R):
        return spike_jump(lam_v[None], lam_i[None], np.array([n]), np.array([dloss_dt]),
                          np.array([v_dot]), params, R)[0]

    def others(args, got, expected):
        n = args[2]
        mask = np.arange(got.size) != n
        if not _close(got[mask], expected[mask]):
            return "only λ_V of the neuron that fires may jump; the others must stay as they are"
        return None

    def recurrent_term(args, got, expected):
        lam_v, lam_i, n, dl, vd, params, R = args
        if _close(got, reference(lam_v, lam_i, n, dl, vd, params, np.zeros_like(R))):
            return "the recurrent term Σ_j R_nj (λ_V,j⁺ − λ_I,j) is missing"
        if _close(got, reference(lam_v, lam_i, n, dl, vd, params, R.T)):
            return "R is transposed: the spike of n adds row n, R[n, j], to neuron j"
        return None

    def reset_term(args, got, expected):
        lam_v, n, vd, params = args[0], args[2], args[4], args[5]
        without = expected.copy()
        without[n] -= params.threshold * lam_v[n] / (params.tau_mem * vd)
        if _close(got, without):
            return "the reset term ϑ λ_V,n⁺ is missing"
        return None

    def sign(args, got, expected):
        n, dl, vd, params = args[2], args[3], args[4], args[5]
        flipped = expected.copy()
        flipped[n] -= 2 * dl / (params.tau_mem * vd)
        if _close(got, flipped):
            return "∂L/∂t_k enters with the wrong sign"
        return None

    return _compare(candidate, cases, reference, (others, recurrent_term, reset_term, sign))
