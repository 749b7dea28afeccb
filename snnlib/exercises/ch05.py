"""The check of chapter 5's "Implement …" exercise: the Jacobians of the rate network."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.adjoint import rate_network_loss
from snnlib.exercises._core import Verdict, _close, _compare, _named

__all__ = ["check_rate_jacobians"]


def check_rate_jacobians(candidate: Callable) -> Verdict:
    r"""Check ``candidate(x, W, b) -> (F_x, F_p)`` for :math:`F(x) = -x + \tanh(Wx + b)` with
    parameters :math:`p = (\mathrm{vec}\,W, b)`, ``vec`` in row-major order
    (:math:`p_{in + k} = W_{ik}`): ``F_x`` is (n, n), ``F_p`` is (n, n² + n).

    Examples
    --------
    >>> def jacobians(x, W, b):
    ...     slope = 1 - np.tanh(W @ x + b) ** 2
    ...     F_x = slope[:, None] * W                      # the leak −x is forgotten
    ...     F_p = np.hstack([np.kron(np.diag(slope), x), np.diag(slope)])
    ...     return F_x, F_p
    >>> print(check_rate_jacobians(jacobians))
    jacobians: not yet — F_x lacks the −I of the leak term −x (case 1)
    """
    rng = np.random.default_rng(5)
    cases = [(rng.normal(size=n), rng.normal(size=(n, n)), rng.normal(size=n))
             for n in (1, 2, 3, 5)]

    def reference(x, W, b):
        n = x.size
        problem = rate_network_loss(n, np.zeros(n))
        p = np.concatenate([W.ravel(), b])
        return np.hstack([problem.F_x(0.0, x, p), problem.F_p(0.0, x, p)])

    def leak(args, got, expected):
        n = args[0].size
        if _close(got[:, :n] - np.eye(n), expected[:, :n]):
            return "F_x lacks the −I of the leak term −x"
        return None

    def transposed(args, got, expected):
        x, W, b = args
        n = x.size
        slope = 1 - np.tanh(W @ x + b) ** 2
        if n > 1 and _close(got[:, :n], -np.eye(n) + slope[None, :] * W.T):
            return "F_x is transposed: row i holds ∂F_i/∂x_k = slope_i W_ik"
        return None

    def order(args, got, expected):
        n = args[0].size
        swapped = expected[:, n:n + n * n].reshape(n, n, n).transpose(0, 2, 1).reshape(n, -1)
        if n > 1 and _close(got[:, n:n + n * n], swapped):
            return "vec W must be row-major: column i·n + k of F_p is ∂F/∂W_ik"
        return None

    def run(x, W, b):
        out = candidate(x, W, b)
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError("must return a pair (F_x, F_p)")
        F_x, F_p = (np.asarray(a, dtype=float) for a in out)
        n = x.size
        if F_x.shape != (n, n) or F_p.shape != (n, n * n + n):
            raise ValueError(f"F_x must be {(n, n)} and F_p {(n, n * n + n)}, got {F_x.shape} "
                             f"and {F_p.shape}")
        return np.hstack([F_x, F_p])

    return _named(candidate, _compare(run, cases, reference, (leak, transposed, order)))
