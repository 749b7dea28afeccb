r"""Checks for the book's "Implement …" exercises: the reader's function against snnlib.

Each check calls the reader's ``candidate`` on a fixed set of cases, compares the results with
the library's own function and returns a :class:`Verdict`. When they disagree, the verdict
names the first case that fails and, where a common mistake explains the numbers, says which
(a missing factor, a wrong sign, a forgotten term). It never raises: a candidate that raises
``NotImplementedError`` is "not implemented yet", any other exception is reported.

Contents
--------
Verdict
    ``passed`` and a message; printing it gives one line.
check_spike_train_pairing
    :math:`\langle s^{(n)}, \varphi\rangle` of a weighted spike train (chapter 1).
check_triangle
    :math:`\Lambda_\varepsilon(t)` (chapter 2) against :func:`snnlib.deltas.triangle`.
check_find_zeros
    The simple zeros of a function on a grid (chapter 3) against
    :func:`snnlib.deltas.find_zeros`.
check_lif_step
    The closed-form LIF step between events (chapter 4).
check_rate_jacobians
    :math:`F_x` and :math:`F_p` of the rate network of chapter 5.
check_spike_jump
    The adjoint's jump at a spike (chapter 6) against :func:`snnlib.eventprop.spike_jump`.
check_cross_entropy_grad
    :math:`\partial\ell/\partial t_k` of the first-spike cross-entropy (chapter 7) against
    :func:`snnlib.losses.first_spike_cross_entropy`.
check_alexiewicz_norm
    :math:`\|x\|_A` of a sampled signal (chapter 8) against
    :func:`snnlib.sampling.alexiewicz_norm`.
check_send_on_delta
    Send-on-delta with the lattice reference (chapter 9) against
    :func:`snnlib.sampling.send_on_delta`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from snnlib.adjoint import rate_network_loss
from snnlib.deltas import find_zeros, triangle
from snnlib.distributions import SpikeTrain, TestFunction, bump
from snnlib.eventprop import spike_jump
from snnlib.lif import LIFParams
from snnlib.losses import first_spike_cross_entropy
from snnlib.sampling import alexiewicz_norm, send_on_delta

__all__ = [
    "Verdict",
    "check_alexiewicz_norm",
    "check_cross_entropy_grad",
    "check_find_zeros",
    "check_lif_step",
    "check_rate_jacobians",
    "check_send_on_delta",
    "check_spike_jump",
    "check_spike_train_pairing",
    "check_triangle",
]

#: Agreement asked of a candidate: a few units of rounding for these short formulas.
RTOL = 1e-10


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``passed`` and a message that says what is wrong, if anything.

    Examples
    --------
    >>> print(Verdict("f", True, "agrees with snnlib on 3 cases"))
    f: correct — agrees with snnlib on 3 cases
    """

    name: str
    passed: bool
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {'correct' if self.passed else 'not yet'} — {self.message}"


Hint = Callable[[tuple, np.ndarray, np.ndarray], str | None]


def _compare(candidate: Callable, cases: Sequence[tuple], reference: Callable,
             hints: Sequence[Hint] = ()) -> Verdict:
    """Run ``candidate`` and ``reference`` on every case; the first disagreement decides."""
    name = getattr(candidate, "__name__", "candidate")
    for number, args in enumerate(cases, start=1):
        try:
            got = candidate(*args)
        except NotImplementedError:
            return Verdict(name, False, "not implemented yet (it raises NotImplementedError)")
        except Exception as error:  # the reader's code: report whatever it raises
            return Verdict(name, False, f"raised {type(error).__name__}: {error} (case {number})")
        expected = np.asarray(reference(*args), dtype=float)
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return Verdict(name, False,
                           f"returned {type(got).__name__}, not numbers (case {number})")
        if got.shape != expected.shape:
            return Verdict(name, False, f"returned shape {got.shape}, expected {expected.shape} "
                                        f"(case {number})")
        if not np.allclose(got, expected, rtol=RTOL, atol=RTOL * np.abs(expected).max(initial=1)):
            for hint in hints:
                message = hint(args, got, expected)
                if message:
                    return Verdict(name, False, f"{message} (case {number})")
            error = np.abs(got - expected).max()
            return Verdict(name, False, f"largest difference from snnlib {error:.3g} "
                                        f"(case {number})")
    return Verdict(name, True, f"agrees with snnlib on all {len(cases)} cases "
                               f"(to {RTOL:g} relative)")


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-8, atol=1e-12))


# ---------------------------------------------------------------------------------------
# Chapter 1: a spike train's derivatives
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Chapter 2: the triangle
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Chapter 3: zeros of a trace
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Chapter 4: the closed-form step
# ---------------------------------------------------------------------------------------


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


def _stacked(candidate: Callable) -> Callable:
    def run(*args):
        out = candidate(*args)
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError("must return a pair (V, I)")
        return np.stack([np.asarray(x, dtype=float) for x in out])
    return run


def _named(candidate: Callable, verdict: Verdict) -> Verdict:
    return Verdict(getattr(candidate, "__name__", "candidate"), verdict.passed, verdict.message)


# ---------------------------------------------------------------------------------------
# Chapter 5: the Jacobians of the rate network
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Chapter 6: the jump at a spike
# ---------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------
# Chapter 7: the gradient of the loss
# ---------------------------------------------------------------------------------------


def check_cross_entropy_grad(candidate: Callable) -> Verdict:
    r"""Check ``candidate(t, labels, tau0, tau1, alpha)`` :math:`= \partial\ell/\partial t`, shape
    (batch, n_out), for first spike times ``t`` of outputs that all fire.

    Examples
    --------
    >>> def grad(t, labels, tau0, tau1, alpha):
    ...     e = np.exp(-t / tau0)
    ...     g = -e / e.sum(axis=1, keepdims=True) / tau0
    ...     g[np.arange(len(labels)), labels] += 1 / tau0       # the regulariser is missing
    ...     return g
    >>> print(check_cross_entropy_grad(grad))
    grad: not yet — the regulariser's term [k = y](α/τ₁)e^(t_y/τ₁) is missing (case 1)
    """
    rng = np.random.default_rng(7)
    cases = [(np.array([[1.0, 2.0, 3.0]]), np.array([0]), 0.5, 6.4, 0.003)]
    cases.append((rng.uniform(5.0, 40.0, size=(16, 3)), rng.integers(0, 3, 16), 0.5, 6.4, 0.003))
    cases.append((rng.uniform(5.0, 40.0, size=(8, 4)), rng.integers(0, 4, 8), 2.0, 10.0, 0.01))

    def reference(t, labels, tau0, tau1, alpha):
        return first_spike_cross_entropy(t, labels, 100.0, tau0=tau0, tau1=tau1,
                                         alpha=alpha).dloss_dt

    def regulariser(args, got, expected):
        if _close(got, reference(*args[:4], 0.0)):
            return "the regulariser's term [k = y](α/τ₁)e^(t_y/τ₁) is missing"
        return None

    def sign(args, got, expected):
        if _close(got, -expected):
            return "the sign is flipped: a later label spike must raise the loss"
        return None

    def logits(args, got, expected):
        t, labels, tau0, tau1, alpha = args
        wrong = reference(-t, labels, tau0, tau1, 0.0)
        wrong[np.arange(len(labels)), labels] += alpha / tau1 * np.exp(t[np.arange(len(labels)),
                                                                          labels] / tau1)
        if _close(got, wrong) or _close(got, -wrong):
            return "the logits are −t/τ₀ (earlier is better), not +t/τ₀"
        return None

    def temperature(args, got, expected):
        ce = reference(*args[:4], 0.0)
        if _close(got, expected - ce + ce * args[2]):
            return "the cross-entropy part lacks the factor 1/τ₀"
        return None

    return _compare(candidate, cases, reference, (regulariser, sign, logits, temperature))


# ---------------------------------------------------------------------------------------
# Chapter 8: the Alexiewicz norm
# ---------------------------------------------------------------------------------------


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



# ---------------------------------------------------------------------------------------
# Chapter 9: send-on-delta
# ---------------------------------------------------------------------------------------


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
