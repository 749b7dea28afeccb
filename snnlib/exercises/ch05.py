"""The checks of chapter 5's exercises: the discrete backward sweep ("Implement …") and, as a
warm-up, the Jacobians of the rate network."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.adjoint import ODELoss, euler_discrete_gradient, rate_network_loss
from snnlib.exercises._core import Verdict, _close, _compare, _named

__all__ = ["check_backward_sweep", "check_rate_jacobians"]


def check_rate_jacobians(candidate: Callable) -> Verdict:
    r"""Check ``candidate(x, W, b) -> (F_x, F_p)`` for :math:`F(x) = -x + \tanh(Wx + b)` with
    parameters :math:`p = (\mathrm{vec}\,W, b)`, ``vec`` in row-major order
    (:math:`p_{in + k} = W_{ik}`): ``F_x`` is (n, n), ``F_p`` is (n, n² + n).

    With :math:`s = 1 - \tanh^2(Wx + b)`, :math:`F_x = -I + \mathrm{diag}(s)\,W`, i.e.
    ``-np.eye(n) + s[:, None] * W``. Named mistakes: a forgotten :math:`-I`, ``F_x``
    transposed as a whole, ``s[:, None] * W.T`` (W transposed, slope kept on the rows),
    ``W * s`` (the slope broadcast along the columns), column-major ``vec``.

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

    def slope_of(x, W, b):
        return 1 - np.tanh(W @ x + b) ** 2

    def leak(args, got, expected):
        n = args[0].size
        if _close(got[:, :n] - np.eye(n), expected[:, :n]):
            return "F_x lacks the −I of the leak term −x"
        return None

    def transposed(args, got, expected):
        x, W, _ = args
        n, s = x.size, slope_of(*args)
        if n > 1 and _close(got[:, :n], -np.eye(n) + s[None, :] * W.T):
            return "F_x is transposed: row i holds ∂F_i/∂x_k = slope_i W_ik"
        return None

    def w_transposed(args, got, expected):
        x, W, _ = args
        n, s = x.size, slope_of(*args)
        if n > 1 and _close(got[:, :n], -np.eye(n) + s[:, None] * W.T):
            return ("W is transposed (s[:, None] * W.T): ∂F_i/∂x_k = slope_i W_ik, "
                    "use W itself")
        return None

    def broadcast(args, got, expected):
        x, W, _ = args
        n, s = x.size, slope_of(*args)
        if n > 1 and _close(got[:, :n], -np.eye(n) + W * s):
            return ("broadcasting slip: W * s multiplies column k by slope_k; row i needs "
                    "slope_i, i.e. s[:, None] * W")
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

    hints = (leak, transposed, w_transposed, broadcast, order)
    return _named(candidate, _compare(run, cases, reference, hints))


def _sweep(problem: ODELoss, xs: np.ndarray, p: np.ndarray, h: float,
           slip: str = "") -> np.ndarray:
    """The discrete backward sweep, or one named slip of it (for the check's hints)."""
    K, n = xs.shape[0] - 1, xs.shape[1]
    lam = np.zeros(n) if slip == "terminal" else np.asarray(problem.phi_x(xs[K], p), float)
    grad = np.zeros(p.size)
    last = 1 if slip == "range" else 0
    first = K if slip == "range_long" else K - 1
    for k in range(first, last - 1, -1):
        j = k + 1 if slip == "pairing" else k          # where F_x, F_p, l_x are evaluated
        t, x = j * h, xs[j]
        F_x = np.asarray(problem.F_x(t, x, p), float)
        l_x = np.zeros(n) if slip == "l_x" else np.asarray(problem.l_x(t, x, p), float)
        step = (F_x if slip == "transposed" else F_x.T) @ lam + l_x
        new = (h * step if slip == "identity" else
               lam - h * step if slip == "sign" else lam + h * step)
        grad = grad + h * (new if slip == "order" else lam) @ np.asarray(problem.F_p(t, x, p))
        lam = new
    return grad


def check_backward_sweep(candidate: Callable) -> Verdict:
    r"""Check ``candidate(problem, xs, p, h) -> dL_h/dp``: the discrete adjoint of explicit Euler.

    ``xs`` (shape (K + 1, n)) is the Euler trajectory :math:`x_{k+1} = x_k + hF(t_k, x_k, p)`,
    :math:`t_k = kh`, of ``problem`` (an :class:`~snnlib.adjoint.ODELoss` of
    :func:`~snnlib.adjoint.rate_network_loss`, which has no ``l_p``, ``phi_p`` or ``x0_p``),
    and :math:`L_h = h\sum_{k<K} l(t_k, x_k) + \phi(x_K)`. From :math:`\lambda_K = \phi_x^\top`,
    for :math:`k = K-1, \dots, 0`,

    .. math::

        \lambda_k = \lambda_{k+1} + h\bigl(F_x^\top\lambda_{k+1} + l_x^\top\bigr)(t_k, x_k),
        \qquad \frac{dL_h}{dp} = h\sum_{k<K} \lambda_{k+1}^\top F_p(t_k, x_k).

    The reference is :func:`~snnlib.adjoint.euler_discrete_gradient`. Cases: two random
    networks, one step (K = 1), a start on the target (l_x = 0 at k = 0), and W = 0 with equal
    entries of b and x_0 (tied states). Named mistakes: the wrong pairing (λ with
    :math:`x_{k+1}`: the continuous adjoint stepped by Euler), a dropped :math:`l_x`, the
    missing identity of :math:`I + hF_x`, an off-by-one sweep range (either end), :math:`F_x`
    not transposed, a wrong terminal condition, a sign, λ updated before it is used in the
    gradient, and a missing factor h.

    Examples
    --------
    >>> def sweep(problem, xs, p, h):
    ...     lam, grad = problem.phi_x(xs[-1], p), np.zeros(p.size)
    ...     for k in range(len(xs) - 2, -1, -1):
    ...         t = k * h
    ...         grad = grad + h * lam @ problem.F_p(t, xs[k], p)
    ...         lam = lam + h * problem.F_x(t, xs[k], p).T @ lam      # l_x forgotten
    ...     return grad
    >>> print(check_backward_sweep(sweep))
    sweep: not yet — the running loss's l_x is missing from the λ step (case 1)
    """
    rng = np.random.default_rng(7)
    cases = []
    for n, K, kind in ((3, 50, "random"), (2, 1, "random"), (3, 20, "on target"),
                       (2, 8, "tied"), (4, 30, "random")):
        target = rng.normal(size=n)
        p = rng.normal(scale=0.8, size=n * n + n)
        x0 = rng.normal(size=n)
        if kind == "on target":
            x0 = target.copy()
        if kind == "tied":
            p[: n * n] = 0.0
            p[n * n:] = 0.5
            x0 = np.full(n, 0.25)
        problem = rate_network_loss(n, target)
        h = 2.0 / K
        xs = [x0]
        for k in range(K):
            xs.append(xs[-1] + h * problem.F(k * h, xs[-1], p))
        cases.append((problem, np.array(xs), p, h))

    def reference(problem, xs, p, h):
        K = xs.shape[0] - 1
        return euler_discrete_gradient(problem, xs[0], p, K * h, K).grad

    messages = {
        "pairing": "wrong pairing: Jacobians taken at (t_{k+1}, x_{k+1}) — that is the "
                   "continuous adjoint stepped by Euler; the chain rule through "
                   "x_{k+1} = x_k + hF(t_k, x_k) pairs λ_{k+1} with x_k",
        "l_x": "the running loss's l_x is missing from the λ step",
        "identity": "the identity is missing: the step's Jacobian is I + hF_x, so "
                    "λ_k = λ_{k+1} + h(F_xᵀλ_{k+1} + l_xᵀ)",
        "range": "off by one in the sweep range: k must run from K − 1 down to 0 inclusive",
        "transposed": "F_x is not transposed: the adjoint needs F_xᵀλ",
        "terminal": "wrong terminal condition: λ_K = φ_x(x_K)ᵀ, not 0",
        "sign": "sign: the backward step adds h(F_xᵀλ + l_xᵀ), it does not subtract it",
        "order": "λ updated before use: the gradient term of step k needs λ_{k+1}, not λ_k",
    }

    def named(slip):
        def hint(args, got, expected):
            problem, xs, p, h = args
            if _close(got, _sweep(problem, xs, p, h, slip)):
                return messages[slip]
            return None
        return hint

    def long_range(args, got, expected):
        problem, xs, p, h = args
        if _close(got, _sweep(problem, xs, p, h, "range_long")):
            return messages["range"]
        return None

    def unscaled(args, got, expected):
        if _close(got, expected / args[3]):
            return "the factor h of the gradient sum is missing"
        return None

    def run(problem, xs, p, h):
        got = np.asarray(candidate(problem, xs, p, h), dtype=float)
        if got.shape != p.shape:
            raise ValueError(f"must return dL_h/dp of shape {p.shape}, got {got.shape}")
        return got

    hints = (*(named(slip) for slip in messages), long_range, unscaled)
    return _named(candidate, _compare(run, cases, reference, hints))
