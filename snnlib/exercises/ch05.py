"""The checks of chapter 5's exercises: the discrete backward sweep ("Implement …") and, as a
warm-up, the Jacobians of the rate network."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from snnlib.adjoint import ODELoss, euler_discrete_gradient, rate_network_loss
from snnlib.exercises._core import Verdict, _close, _compare, _float32_hint, _named

__all__ = ["check_backward_sweep", "check_rate_jacobians"]


def check_rate_jacobians(candidate: Callable) -> Verdict:
    r"""Check ``candidate(x, W, b) -> (F_x, F_p)`` for :math:`F(x) = -x + \tanh(Wx + b)` with
    parameters :math:`p = (\mathrm{vec}\,W, b)`, ``vec`` in row-major order
    (:math:`p_{in + k} = W_{ik}`): ``F_x`` is (n, n), ``F_p`` is (n, n² + n).

    With :math:`s = 1 - \tanh^2(Wx + b)`, :math:`F_x = -I + \mathrm{diag}(s)\,W`, i.e.
    ``-np.eye(n) + s[:, None] * W``. Named mistakes: a forgotten :math:`-I`, ``F_x``
    transposed as a whole, ``s[:, None] * W.T`` (W transposed, slope kept on the rows),
    ``W * s`` (the slope broadcast along the columns), column-major ``vec``, :math:`+I` for
    :math:`-I`, the slope taken at :math:`Wx` without :math:`b`, :math:`F_p` without the slope
    (:math:`\partial F_i/\partial W_{ik} = x_k`), and :math:`\partial F/\partial b
    = I` or :math:`-\mathrm{diag}(s)` (the sign) instead of :math:`\mathrm{diag}(s)`.

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

    def plus_identity(args, got, expected):
        n = args[0].size
        if _close(got[:, :n] - 2 * np.eye(n), expected[:, :n]):
            return "F_x has +I where the leak term −x gives −I"
        return None

    def slope_without_b(args, got, expected):
        x, W, b = args
        n, s0 = x.size, 1 - np.tanh(W @ x) ** 2
        if np.any(b != 0) and _close(got[:, :n], -np.eye(n) + s0[:, None] * W):
            return "the slope tanh′ is taken at Wx without b: it must be 1 − tanh²(Wx + b)"
        return None

    def bias_identity(args, got, expected):
        n = args[0].size
        if _close(got[:, :n], expected[:, :n]) and _close(got[:, n + n * n:], np.eye(n)):
            return ("∂F/∂b is taken as I: the bias passes through tanh, so ∂F_i/∂b_j = "
                    "δ_ij slope_i, i.e. np.diag(slope)")
        return None

    def bias_sign(args, got, expected):
        n = args[0].size
        if _close(got[:, :n], expected[:, :n]) and _close(got[:, n + n * n:],
                                                          -expected[:, n + n * n:]):
            return ("the sign of ∂F/∂b is wrong: tanh is increasing, so ∂F_i/∂b_j = "
                    "+δ_ij slope_i, i.e. np.diag(slope)")
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

    def no_slope(args, got, expected):
        x = args[0]
        n = x.size
        if _close(got[:, :n], expected[:, :n]) and _close(got[:, n:n + n * n],
                                                          np.kron(np.eye(n), x)):
            return ("F_p without the tanh slope: ∂F_i/∂W_ik = slope_i x_k, i.e. "
                    "np.kron(np.diag(slope), x), and ∂F_i/∂b_j = δ_ij slope_i")
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

    hints = (leak, plus_identity, slope_without_b, transposed, w_transposed, broadcast,
             order, no_slope, bias_identity, bias_sign, _float32_hint)
    verdict = _compare(run, cases, reference, hints)
    if verdict.passed:              # to 1e-10; the formulas themselves agree to rounding
        for number, args in enumerate(cases, start=1):
            got, expected = run(*copy.deepcopy(args)), reference(*copy.deepcopy(args))
            gap = np.abs(got - expected).max() / max(1.0, np.abs(expected).max())
            if gap > 1e-13:
                return _named(candidate, Verdict(
                    "", False, f"agrees with snnlib only to {gap:.1e} relative, not to "
                    f"rounding: a finite-difference Jacobian, or another approximation? The "
                    f"derivatives have closed forms; code them (case {number})"))
    return _named(candidate, verdict)


def _zero_or(func: Callable | None, size: int, *args: object) -> np.ndarray:
    return np.zeros(size) if func is None else np.asarray(func(*args), dtype=float)


def _sweep(problem: ODELoss, xs: np.ndarray, p: np.ndarray, h: float,
           slip: str = "") -> np.ndarray:
    """The discrete backward sweep, or one named slip of it (for the check's hints)."""
    K, n, m = xs.shape[0] - 1, xs.shape[1], p.size
    x_last = xs[K - 1] if slip == "terminal_state" else xs[K]
    lam = np.zeros(n) if slip == "terminal" else _zero_or(problem.phi_x, n, x_last, p)
    if slip in ("terminal_l_x", "terminal_l_both"):    # the running sum taken over k ≤ K
        lam = lam + h * _zero_or(problem.l_x, n, K * h, xs[K], p)
    extras = slip == "extras"                          # all three extra terms dropped
    x_phi = xs[K - 1] if slip == "phi_p_state" else xs[K]
    grad = np.zeros(m) if slip == "phi_p" or extras else _zero_or(problem.phi_p, m, x_phi, p)
    if slip in ("terminal_l_p", "terminal_l_both"):
        grad = grad + h * _zero_or(problem.l_p, m, K * h, xs[K], p)
    grad = {"phi_p_twice": 2.0, "phi_p_sign": -1.0}.get(slip, 1.0) * grad
    l_x_factor = {"l_x_sign": -1.0, "l_x_twice": 2.0, "l_x_half": 0.5}.get(slip, 1.0)
    last = 1 if slip == "range" else 0
    first = {"range_long": K, "range_short": K - 2}.get(slip, K - 1)
    previous = lam
    for k in range(first, last - 1, -1):
        j = k + 1 if slip == "pairing" else k          # where F_x, F_p, l_x, l_p are evaluated
        t, x = {"time_next": (k + 1) * h, "time_zero": 0.0}.get(slip, j * h), xs[j]
        tx, xx = ((k + 1) * h, xs[k + 1]) if slip == "F_x_next" else (t, x)
        F_x = np.asarray(problem.F_x(tx, xx, p), float)
        jl = k + 1 if slip == "l_x_next" else j
        tl = jl * h if slip == "l_x_next" else t
        l_x = np.zeros(n) if slip == "l_x" else \
            l_x_factor * _zero_or(problem.l_x, n, tl, xs[jl], p)
        F_T_lam = {"transposed": F_x @ lam, "broadcast_T": (F_x.T * lam).sum(axis=0),
                   "broadcast": (F_x * lam).sum(axis=0)}.get(slip, F_x.T @ lam)
        new = (h * (F_T_lam + l_x) if slip == "identity" else
               lam - h * (F_T_lam + l_x) if slip == "sign" else
               lam + h * F_T_lam + l_x if slip == "l_x_no_h" else
               lam + h * (F_T_lam + l_x))
        used = new if slip == "order" else (lam + new) / 2 if slip == "midpoint" else lam
        tp, xp = ((k + 1) * h, xs[k + 1]) if slip == "l_p_next" else (t, x)
        l_p = np.zeros(m) if slip == "l_p" or extras else _zero_or(problem.l_p, m, tp, xp, p)
        l_p = -l_p if slip == "l_p_sign" else l_p
        tF, xF = ((k + 1) * h, xs[k + 1]) if slip == "F_p_next" else (t, x)
        grad = (grad + h * used @ np.asarray(problem.F_p(tF, xF, p), float)
                + (1.0 if slip == "l_p_no_h" else h) * l_p)
        previous, lam = lam, new
    x0_p = np.zeros((n, m)) if problem.x0_p is None or slip in ("x0_p", "extras") \
        else np.asarray(problem.x0_p, float)
    x0_p = -x0_p if slip == "x0_sign" else x0_p
    return grad + (previous if slip == "x0_lam1" else lam) @ x0_p


_SLIPS = {
    "pairing": "wrong pairing: Jacobians taken at the state x_{k+1} (with t_k or t_{k+1}) — "
               "at (t_{k+1}, x_{k+1}) that is the "
               "continuous adjoint stepped by Euler; the chain rule through "
               "x_{k+1} = x_k + hF(t_k, x_k) pairs λ_{k+1} with x_k",
    "time_next": "Jacobians/loss derivatives evaluated at t_{k+1} instead of t_k: step k "
                 "calls F_x, F_p, l_x and l_p at (t_k, x_k) with t_k = k·h",
    "time_zero": "time argument ignored (t = 0): step k calls F_x, F_p, l_x and l_p at "
                 "t_k = k·h, which matters when F or l depends on time",
    "l_x": "the running loss's l_x is missing from the λ step",
    "l_x_no_h": "l_x is added without the factor h: λ_k = λ_{k+1} + h(F_xᵀλ_{k+1} + l_xᵀ)",
    "l_x_next": "l_x taken at x_{k+1}: step k's running loss is h·l(t_k, x_k), so its "
                "derivative is h·l_x(t_k, x_k)",
    "identity": "the identity is missing: the step's Jacobian is I + hF_x, so "
                "λ_k = λ_{k+1} + h(F_xᵀλ_{k+1} + l_xᵀ)",
    "range": "off by one in the sweep range: k must run from K − 1 down to 0 inclusive",
    "range_long": "off by one in the sweep range: k must run from K − 1 down to 0 inclusive "
                  "(this one starts at K)",
    "range_short": "the sweep starts at K − 2: the last step, k = K − 1, is skipped; k must "
                   "run from K − 1 down to 0",
    "transposed": "F_x is not transposed: the adjoint needs F_xᵀλ",
    "broadcast_T": "broadcasting slip: (F_x.T * lam).sum(axis=0) is not F_xᵀλ; use "
                   "F_x.T @ lam",
    "broadcast": "broadcasting slip: (F_x * lam).sum(axis=0) scales column j by λ_j; F_xᵀλ "
                 "is (F_x * lam[:, None]).sum(axis=0), i.e. F_x.T @ lam",
    "terminal": "wrong terminal condition: λ_K = φ_x(x_K)ᵀ, not 0",
    "terminal_state": "terminal condition at the wrong state: λ_K = φ_x(x_K)ᵀ at the last "
                      "state x_K = xs[-1], not x_{K−1}",
    "sign": "sign: the backward step adds h(F_xᵀλ + l_xᵀ), it does not subtract it",
    "order": "λ updated before use: the gradient term of step k needs λ_{k+1}, not λ_k",
    "midpoint": "midpoint λ: the gradient term of step k is hλ_{k+1}ᵀF_p(t_k, x_k), not the "
                "average of λ_k and λ_{k+1}",
    "extras": "the terms of the parameters' direct effects are all missing: φ_p(x_K), "
              "h·Σ l_p(t_k, x_k) and λ_0ᵀ ∂x_0/∂p belong to dL_h/dp",
    "phi_p": "the terminal loss's φ_p(x_K) is missing from the gradient",
    "phi_p_twice": "φ_p added twice: the terminal loss's φ_p(x_K) enters dL_h/dp once",
    "l_p": "the running loss's l_p is missing from the gradient",
    "l_p_no_h": "l_p is added without the factor h: the gradient sums h(λ_{k+1}ᵀF_p + l_p)",
    "x0_p": "the initial condition's term λ_0ᵀ ∂x_0/∂p is missing",
    "x0_lam1": "the initial condition's term needs λ_0, after the last step: λ_0ᵀ ∂x_0/∂p, "
               "not λ_1ᵀ ∂x_0/∂p (nor the terminal λ_K)",
    "l_x_sign": "the sign of l_x in the λ step: λ_k = λ_{k+1} + h(F_xᵀλ_{k+1} + l_xᵀ), "
                "l_x added, not subtracted",
    "l_x_twice": "l_x counted twice (2·h·l_x): the λ step adds h·l_xᵀ(t_k, x_k) once",
    "l_x_half": "l_x halved (h/2·l_x): the λ step adds h·l_xᵀ(t_k, x_k), the running loss "
                "is h·l(t_k, x_k) with no ½",
    "l_p_next": "l_p taken at x_{k+1}: step k's running loss is h·l(t_k, x_k), so its "
                "derivative is h·l_p(t_k, x_k)",
    "F_p_next": "F_p taken at x_{k+1} while F_x stays at x_k: both Jacobians of step k are "
                "evaluated at (t_k, x_k), the gradient term is hλ_{k+1}ᵀF_p(t_k, x_k)",
    "terminal_l_x": "the running loss is taken at k = K too: λ_K includes h·l_x(x_K), but "
                    "L_h's running sum runs over k < K, so λ_K = φ_x(x_K)ᵀ alone (and no "
                    "h·l_p(x_K) enters the gradient)",
    "terminal_l_p": "h·l_p(x_K) is added to the gradient: L_h's running sum runs over k < K",
    "phi_p_state": "φ_p taken at x_{K−1}: the terminal loss is φ(x_K), so its φ_p is "
                   "evaluated at x_K",
    "F_x_next": "F_x taken at x_{k+1} while F_p stays at x_k (half of the wrong pairing): "
                "both Jacobians of step k are evaluated at (t_k, x_k)",
    "l_p_sign": "the sign of l_p: the gradient adds h·l_p(t_k, x_k), it does not subtract it",
    "x0_sign": "the sign of the initial condition's term: λ_0ᵀ ∂x_0/∂p is added to dL_h/dp",
    "phi_p_sign": "the sign of φ_p: the terminal loss's φ_p(x_K) is added to dL_h/dp, not "
                  "subtracted",
}


def _with_extras(problem: ODELoss, n: int, m: int, rng: np.random.Generator,
                 running: bool = True) -> ODELoss:
    r"""``problem`` with :math:`l_p`, :math:`\phi_p` and :math:`\partial x_0/\partial p`:
    cross terms :math:`\rho\,(a^\top p)(\mathbf 1^\top x)` added to :math:`l` (dropped
    altogether if not ``running``) and :math:`\sigma\,(c^\top p)(\mathbf 1^\top x)` to
    :math:`\phi`, and :math:`x_0 = \bar x + Bp`."""
    a, c, B = rng.normal(size=m), rng.normal(size=m), rng.normal(scale=0.3, size=(n, m))
    rho, sigma = 0.3, 0.2
    base = problem
    extras = dict(
        phi=lambda x, p: base.phi(x, p) + sigma * (c @ p) * x.sum(),
        phi_x=lambda x, p: base.phi_x(x, p) + sigma * (c @ p),
        phi_p=lambda x, p: sigma * x.sum() * c,
        x0_p=B)
    if running:
        extras.update(l=lambda t, x, p: base.l(t, x, p) + rho * (a @ p) * x.sum(),
                      l_x=lambda t, x, p: base.l_x(t, x, p) + rho * (a @ p),
                      l_p=lambda t, x, p: rho * x.sum() * a)
    else:
        extras.update(l=None, l_x=None, l_p=None)
    return replace(problem, **extras)


def _non_autonomous(problem: ODELoss, n: int) -> ODELoss:
    r"""``problem`` made to depend on time: :math:`\sin 3t` added to the bias inside the
    :math:`\tanh` (so :math:`F_x` and :math:`F_p` change with t, not only F) and the running
    loss weighted by :math:`1 + \tfrac12\cos t` (so :math:`l_x` and :math:`l_p` change too)."""
    base = problem
    shift = np.concatenate([np.zeros(n * n), np.linspace(1.0, 0.5, n)])

    def at(t, p):
        return p + np.sin(3 * t) * shift

    def weighted(func):
        return None if func is None else (
            lambda t, x, p: (1 + 0.5 * np.cos(t)) * np.asarray(func(t, x, p), dtype=float))

    return replace(
        problem,
        F=lambda t, x, p: base.F(t, x, at(t, p)),
        F_x=lambda t, x, p: base.F_x(t, x, at(t, p)),
        F_p=lambda t, x, p: base.F_p(t, x, at(t, p)),
        vjp_p=lambda t, x, p, lam: base.vjp_p(t, x, at(t, p), lam),
        l=weighted(base.l), l_x=weighted(base.l_x), l_p=weighted(base.l_p))


_TIME_CASE = 6          # index of the time-dependent case in _sweep_cases() (case 7)


def _sweep_cases() -> list[tuple]:
    rng = np.random.default_rng(7)
    cases = []
    for n, K, kind in ((3, 50, "random"), (2, 1, "extras"), (3, 20, "on target"),
                       (2, 8, "tied"), (4, 30, "extras"), (3, 10, "terminal only"),
                       (3, 25, "time"), (3, 15, "running only")):
        target = rng.normal(size=n)
        p = rng.normal(scale=0.8, size=n * n + n)
        x0 = rng.normal(size=n)
        problem = rate_network_loss(n, target)
        if kind == "on target":
            x0 = target.copy()
        if kind == "tied":
            p[: n * n] = 0.0
            p[n * n:] = 0.5
            x0 = np.full(n, 0.25)
        if kind in ("extras", "terminal only", "time"):
            problem = _with_extras(problem, n, p.size, rng, running=kind != "terminal only")
            x0 = x0 + problem.x0_p @ p
        if kind == "time":
            problem = _non_autonomous(problem, n)
        if kind == "running only":                     # no terminal loss: φ, φ_x are None
            problem = replace(problem, phi=None, phi_x=None, phi_p=None)
        h = 2.0 / K
        xs = [x0]
        for k in range(K):
            xs.append(xs[-1] + h * problem.F(k * h, xs[-1], p))
        cases.append((problem, np.array(xs), p, h))
    return cases


def check_backward_sweep(candidate: Callable) -> Verdict:
    r"""Check ``candidate(problem, xs, p, h) -> dL_h/dp``: the discrete adjoint of explicit Euler.

    ``xs`` (shape (K + 1, n)) is the Euler trajectory :math:`x_{k+1} = x_k + hF(t_k, x_k, p)`,
    :math:`t_k = kh`, of ``problem`` (an :class:`~snnlib.adjoint.ODELoss`; any of ``l_x``,
    ``l_p``, ``phi_x``, ``phi_p``, ``x0_p`` may be ``None`` and then counts as zero), and
    :math:`L_h = h\sum_{k<K} l(t_k, x_k, p) + \phi(x_K, p)`. From
    :math:`\lambda_K = \phi_x(x_K)^\top`, for :math:`k = K-1, \dots, 0`,

    .. math::

        \lambda_k = \lambda_{k+1} + h\bigl(F_x^\top\lambda_{k+1} + l_x^\top\bigr)(t_k, x_k),
        \qquad \frac{dL_h}{dp} = \phi_p(x_K) + h\sum_{k<K}
        \bigl(\lambda_{k+1}^\top F_p + l_p\bigr)(t_k, x_k)
        + \lambda_0^\top\frac{\partial x_0}{\partial p}.

    The reference is :func:`~snnlib.adjoint.euler_discrete_gradient`. Eight cases, all rate
    networks of :func:`~snnlib.adjoint.rate_network_loss` (running and terminal loss
    :math:`\tfrac12\|x - x^*\|^2`), some with pieces added: (1) a random network, K = 50,
    nothing added; (2) a single step, K = 1, with :math:`l_p`, :math:`\phi_p` and
    :math:`\partial x_0/\partial p` added; (3) a start on the target, so that :math:`l_x = 0`
    at k = 0; (4) W = 0 with equal entries of b and :math:`x_0`: tied states; (5) K = 30 with
    :math:`l_p`, :math:`\phi_p` and :math:`\partial x_0/\partial p`; (6) :math:`\phi_p` and
    :math:`\partial x_0/\partial p` but no running loss (``l``, ``l_x``, ``l_p`` are
    ``None``); (7) every piece, and dependence on time (:math:`\sin 3t` inside the
    :math:`\tanh`, the running loss weighted by :math:`1 + \tfrac12\cos t`), so that the time
    argument of every call matters; (8) a running loss only (``phi``, ``phi_x``, ``phi_p``
    are ``None``, so :math:`\lambda_K = 0`). Named
    mistakes: Jacobians and loss derivatives evaluated at :math:`t_{k+1}` instead of
    :math:`t_k`, or with the time argument ignored (t = 0), and any other slip that shows only
    on the time-dependent case; the wrong pairing
    (λ with :math:`x_{k+1}`: the continuous adjoint stepped by Euler), a dropped :math:`l_x`,
    :math:`l_x` without h or at :math:`x_{k+1}`, the missing identity of :math:`I + hF_x`, a
    sweep range off by one at either end or starting at K − 2, :math:`F_x` not transposed, two
    broadcasting slips for :math:`F_x^\top\lambda`, a terminal condition of 0 or at
    :math:`x_{K-1}`, a sign, λ updated before it is used, the midpoint λ in the gradient, a
    missing factor h, a dropped :math:`\phi_p` or one added twice, a dropped :math:`l_p` or
    one without h, a dropped :math:`\lambda_0^\top\partial x_0/\partial p` or one with
    :math:`\lambda_1`, the sign of :math:`l_x` alone, :math:`l_x` twice or halved,
    :math:`l_p` at :math:`x_{k+1}`, :math:`F_p` at :math:`x_{k+1}` while :math:`F_x` stays at
    :math:`x_k` (or :math:`F_x` alone at :math:`x_{k+1}`), the running loss taken at
    :math:`k = K` too (:math:`h\,l_x(x_K)` in :math:`\lambda_K`, :math:`h\,l_p(x_K)` in the
    gradient), :math:`\phi_p` at :math:`x_{K-1}`, the sign of :math:`l_p`, of :math:`\phi_p` or of
    :math:`\lambda_0^\top\partial x_0/\partial p`, the whole gradient's sign, and a piece
    the problem lacks (``None``) called instead of counted as zero.

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
    cases = _sweep_cases()

    def reference(problem, xs, p, h):
        K = xs.shape[0] - 1
        return euler_discrete_gradient(problem, xs[0], p, K * h, K).grad

    def named(slip):
        def hint(args, got, expected):
            problem, xs, p, h = args
            slipped = _sweep(problem, xs, p, h, slip)
            if _close(slipped, expected):  # this slip changes nothing on this case
                return None
            if _close(got, slipped):
                if slip == "phi_p_state" and xs.shape[0] == 2:  # K = 1: x_(K−1) is x_0
                    return ("φ_p taken at an earlier state than x_K (here K = 1, so x_0 = "
                            "x_(K−1)): the terminal loss is φ(x_K), so its φ_p is evaluated "
                            "at x_K")
                return _SLIPS[slip]
            return None
        return hint

    def time_only(args, got, expected):
        if args[0] is cases[_TIME_CASE][0]:
            return ("fails only on the time-dependent case: each call of step k needs the "
                    "time t_k = k·h, with x_k")
        return None

    def negated(args, got, expected):
        if _close(got, -expected):
            return ("the whole gradient has the wrong sign: dL_h/dp, not −dL_h/dp (the "
                    "descent step subtracts it later)")
        return None

    def unscaled(args, got, expected):
        if _close(got, expected / args[3]):
            return "the factor h of the gradient sum is missing"
        return None

    def run(problem, xs, p, h):
        try:
            got = candidate(problem, xs, p, h)
        except TypeError as error:
            if "NoneType" in str(error):
                raise TypeError(f"{error} — a piece the problem lacks (None) counts as zero"
                                ) from error
            raise
        got = np.asarray(got)  # (its dtype kept: the comparison names float32)
        if got.shape != p.shape:
            raise ValueError(f"must return dL_h/dp of shape {p.shape}, got {got.shape}")
        return got

    def approximate(args, got, expected):
        gap = np.abs(got - expected).max() / max(1.0, np.abs(expected).max())
        if got.dtype == np.float64 and gap < 1e-8:  # closer than float32 could come
            return (f"it agrees with snnlib only to {gap:.1e} relative, not to rounding: a "
                    "finite difference of L_h, or another approximation? The discrete adjoint "
                    "is the exact derivative of L_h; compute it by the backward sweep")
        return None

    hints = (*(named(slip) for slip in _SLIPS), negated, unscaled, time_only, approximate,
             _float32_hint)
    return _named(candidate, _compare(run, cases, reference, hints))
