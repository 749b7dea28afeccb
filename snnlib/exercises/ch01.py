"""The checks of chapter 1's exercises: a spike train's derivatives (warm-up) and the bump's."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.polynomial import Polynomial

from snnlib.distributions import SpikeTrain, TestFunction, bump
from snnlib.exercises._core import Verdict, _close, _compare

__all__ = ["check_bump_derivative", "check_spike_train_pairing"]


def check_spike_train_pairing(
    candidate: Callable[[np.ndarray, np.ndarray, TestFunction, int], float]
) -> Verdict:
    r"""Check ``candidate(times, weights, phi, n)``
    :math:`= \langle s^{(n)}, \varphi\rangle = (-1)^n \sum_i w_i \varphi^{(n)}(t_i)` for
    :math:`s = \sum_i w_i\delta(t - t_i)` and a :class:`snnlib.distributions.TestFunction`.

    Names: the sign :math:`(-1)^n` missing, always "−" (or −1 for every n ≥ 1), φ used for
    :math:`\varphi^{(n)}` (with or without the sign), :math:`\varphi^{(n\pm1)}` for
    :math:`\varphi^{(n)}`, the weights ignored, the mean over the
    spikes instead of the sum.

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
        if np.isclose(float(got), -float(expected)) and float(expected) != 0:
            if args[3] % 2:
                return "the sign (−1)ⁿ of the derivative's pairing is missing"
            if args[3] == 0:
                return ("the sign must be (−1)ⁿ, + at n = 0: (−1)ⁿ⁺¹ or a fixed '−' is wrong at "
                        "every even n")
            return ("the sign must be (−1)ⁿ, + for even n: −1 for every n ≥ 1 is right at odd n "
                    "and wrong at n = 2, 4, …")
        return None

    def order(args, got, expected):
        times, weights, phi, n = args
        for k in (0, n - 1, n + 1):
            if k < 0 or k == n:
                continue
            other = float(np.sum(weights * phi.derivative(k)(times)))
            if np.isclose(abs(float(got)), abs(other)) and not np.isclose(other, float(expected)):
                if k == 0 and n == 1:
                    return ("the pairing uses φ instead of its n-th derivative φ⁽ⁿ⁾ (at n = 1, "
                            "φ = φ⁽ⁿ⁻¹⁾: or off by one in n)")
                if k == 0:
                    return "the pairing uses φ instead of its n-th derivative φ⁽ⁿ⁾"
                if n == 0:
                    return ("at n = 0 the pairing uses φ′ instead of φ itself: off by one in n "
                            "(φ⁽ⁿ⁺¹⁾), or φ′ whatever n is")
                return (f"off by one in n: the pairing uses φ⁽ⁿ{'⁻' if k < n else '⁺'}¹⁾ "
                        "instead of φ⁽ⁿ⁾")
        return None

    def mean(args, got, expected):
        if np.isclose(float(got) * len(args[0]), float(expected)):
            return "the mean over the spikes instead of the sum Σᵢ"
        return None

    def weights_used(args, got, expected):
        times, weights, phi, n = args
        if np.isclose(float(got), reference(times, np.ones_like(weights), phi, n)):
            return "the weights w_i are ignored"
        return None

    return _compare(candidate, cases, reference, (sign, order, mean, weights_used))


def _bump_variant(t: np.ndarray, n: int, center: float, width: float, *, steps: int | None = None,
                  power: int | None = None, coefficient_shift: int = 0, keep_first: bool = True,
                  keep_second: bool = True, two_x_sign: float = -1.0,
                  chain: int | None = None, coefficient: float = 4.0, e_factor: bool = True,
                  argument: str = "(t - c)/w", final_n: bool = False,
                  squared: bool = True) -> np.ndarray:
    r"""ψ⁽ⁿ⁾ as the recursion gives it, or as a typical slip in it gives it (zero outside).

    ``steps`` recursion steps (default n), denominator :math:`(1 - x^2)^{\text{power}}`
    (default 2n), coefficient :math:`4(k + \text{shift})x(1 - x^2)` for :math:`p_{k+1}`, the
    coefficient :math:`4nx(1 - x^2)` with the final n in every step if ``final_n``, the
    two terms kept or dropped, the sign of :math:`2x`, the chain factor
    :math:`w^{-\text{chain}}` (default n), the 4 of the coefficient, the factor e of ψ, and
    the argument ``"(t - c)/w"`` (or the slips ``"(t - c)*w"``, ``"t - c/w"``,
    ``"(t - c)/(2w)"``, ``"t/w - c"``), and, unless
    ``squared``, the term :math:`-2x(1 - x^2)p_k` of :math:`\psi' = -2x\psi/(1 - x^2)` (the
    square forgotten).
    """
    steps = n if steps is None else steps
    power = 2 * n if power is None else power
    chain = n if chain is None else chain
    one_minus_x2, x_poly = Polynomial([1.0, 0.0, -1.0]), Polynomial([0.0, 1.0])
    p = Polynomial([1.0])
    for k in range(steps):
        first = p.deriv() * one_minus_x2**2 if keep_first else 0.0
        index = n if final_n else k + coefficient_shift
        second = coefficient * index * x_poly * one_minus_x2 if keep_second else 0.0
        third = two_x_sign * 2 * x_poly * (1.0 if squared else one_minus_x2)
        p = first + (second + third) * p
    t = np.asarray(t, dtype=float)
    x = {"(t - c)/w": (t - center) / width, "(t - c)*w": (t - center) * width,
         "t - c/w": t - center / width, "(t - c)/(2w)": (t - center) / (2 * width),
         "t/w - c": t / width - center}[argument]
    out = np.zeros(x.shape)
    inside = np.abs(x) < 1.0
    s = 1.0 - x[inside] ** 2
    out[inside] = p(x[inside]) * np.exp(float(e_factor) - 1.0 / s - power * np.log(s))
    return out / float(width) ** chain


def check_bump_derivative(
    candidate: Callable[[np.ndarray, int, float, float], np.ndarray]
) -> Verdict:
    r"""Check ``candidate(t, n, center, width)`` :math:`= \varphi^{(n)}(t)` for the bump.

    .. math::

        \varphi(t) = \psi\Bigl(\frac{t - c}{w}\Bigr),\quad
        \varphi^{(n)}(t) = w^{-n}\,\frac{p_n(x)\,\psi(x)}{(1 - x^2)^{2n}},\quad
        p_{n+1} = p_n'(1 - x^2)^2 + \bigl(4nx(1 - x^2) - 2x\bigr)p_n,\ p_0 = 1,

    with :math:`x = (t - c)/w` and 0 for :math:`|x| \ge 1`, compared with
    ``bump(center, width).derivative(n)(t)`` for n = 0…5 on grids, most of which hit
    :math:`x = 0` and :math:`x = \pm1` exactly, for n = 12 next to the edge of the support,
    for n = 5 at :math:`|x|` = 0.98 … 0.995, and for n = 0 and 1 on a moved and scaled bump.
    Named mistakes: not zero at or outside the support, the centre and width ignored (at
    n = 0, say, by returning ψ(t) there), NaN next to the edge (ψ and
    :math:`(1 - x^2)^{2n}` divided after both underflow), a wrong
    chain factor, the centre ignored, off by one in n (the answer is :math:`\psi^{(n\pm1)}`,
    or the loop runs n ± 1 times), the coefficient :math:`4(k+1)` or :math:`4n` for :math:`4k`
    (at n = 1 the two agree; the candidate's third derivative tells them apart), a dropped
    term of the recursion or its factor 2 (:math:`2k` for :math:`4k`), the sign of :math:`2x`,
    the term :math:`-2x(1 - x^2)p_n` for :math:`-2x\,p_n` (the square of
    :math:`\psi' = -2x\psi/(1 - x^2)^2` forgotten; at n = 1 it equals the denominator slip),
    the denominator :math:`(1 - x^2)^n`, :math:`(1 - x^2)^{2n-1}` or
    :math:`(1 - x^2)^{2n+1}`, ψ without its factor e,
    the argument reflected (:math:`(c - t)/w`), multiplied by w, written
    :math:`t - c/w` or :math:`t/w - c`, or divided by the full width, :math:`(t - c)/(2w)`.

    Examples
    --------
    >>> def bump_derivative(t, n, center=0.0, width=1.0):
    ...     return bump(center, width).derivative(n)(t) * width**n   # chain factor forgotten
    >>> print(check_bump_derivative(bump_derivative))
    bump_derivative: not yet — wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^0 (case 7)
    """
    grid = np.linspace(-1.5, 1.5, 61)      # step 0.05: hits 0 and ±1 exactly
    cases = [(grid, n, 0.0, 1.0) for n in (0, 1, 2, 3, 4, 5)]
    cases += [(np.linspace(-1.5, 2.5, 81), 2, 0.5, 2.0),
              (np.linspace(-1.2, 0.8, 41), 3, -0.2, 0.5),
              (np.array([[-0.5, 0.0], [0.25, 1.0]]), 1, 0.0, 1.0),
              (np.array([-(1.0 - 2.0**-53), -0.5, 0.0, 0.5, 1.0 - 1e-12, 1.0 - 2.0**-53]), 12,
               0.0, 1.0),
              (np.array([-0.995, -0.99, -0.98, -0.9, 0.9, 0.98, 0.99, 0.995]), 5, 0.0, 1.0),
              (np.linspace(-1.5, 2.5, 81), 0, 0.5, 2.0),     # n = 0 and 1 on a moved bump too
              (np.linspace(-1.2, 0.8, 41), 1, -0.2, 0.5)]

    def reference(t, n, center, width):
        return bump(center, width).derivative(n)(t)

    def inside_mask(args):
        t, _, c, w = args
        return np.abs((np.asarray(t) - c) / w) < 1.0

    def support(args, got, expected):
        # named when the values outside break the comparison, not a tiny rest (1e-215) of
        # a candidate that is wrong inside for another reason
        outside = ~inside_mask(args)
        rest = got[outside]
        if np.any(outside) and not np.all(rest == 0) and (
                _close(got[~outside], expected[~outside]) or not np.all(np.isfinite(rest))
                or np.max(np.abs(rest)) > 1e-12 * max(1.0, np.max(np.abs(expected)))):
            return ("not zero at or outside the support |t − c| ≥ w: the formula divides by "
                    "1 − x² = 0 at x = ±1 and is not the bump outside; set those values to 0")
        return None

    variants = [
        ("wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^0", {"chain": 0}),
        ("wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^+n", {"chain": "-n"}),
        ("wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^−1", {"chain": 1}),
        ("wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^−(n+1)", {"chain": "n+1"}),
        ("wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^−2n", {"chain": "2n"}),
        ("off by one in n: this is the derivative of order n + 1", {"steps": +1, "power": +1}),
        ("off by one in n: this is the derivative of order n − 1", {"steps": -1, "power": -1}),
        ("off by one in n: the recursion ran n + 1 times", {"steps": +1}),
        ("off by one in n: the recursion ran n − 1 times", {"steps": -1}),
        ("the recursion's index is the step k: p_{k+1} from p_k needs 4k x(1 − x²), not "
         "4n x(1 − x²) with the final n in every step", {"final_n": True}),
        ("off by one in the recursion: p_{k+1} from p_k needs 4k x(1 − x²), not 4(k + 1)",
         {"coefficient_shift": 1}),
        ("off by one in the recursion: p_{k+1} from p_k needs 4k x(1 − x²), not 4(k − 1)",
         {"coefficient_shift": -1}),
        ("dropped term of the recursion: p_n′(1 − x²)²", {"keep_first": False}),
        ("dropped term of the recursion: 4n x(1 − x²) p_n", {"keep_second": False}),
        ("sign: the recursion has −2x p_n (from ψ′ = −2xψ/(1 − x²)²), not +2x",
         {"two_x_sign": 1.0}),
        ("dropped term of the recursion: −2x p_n (from ψ′ = −2xψ/(1 − x²)²)",
         {"two_x_sign": 0.0}),
        ("the recursion's last term is −2x p_n, from ψ′ = −2xψ/(1 − x²)² with the square; "
         "−2x(1 − x²) p_n comes from ψ′ = −2xψ/(1 − x²)", {"squared": False}),
        ("the denominator is (1 − x²)^{2n}, not (1 − x²)^n", {"power": "n"}),
        ("the denominator is (1 − x²)^{2n}, not (1 − x²)^{2n+1}", {"power": "2n+1"}),
        ("the denominator is (1 − x²)^{2n}, not (1 − x²)^{2n−1}", {"power": "2n-1"}),
        ("dropped factor 2 in the recursion: the coefficient is 4k x(1 − x²), not 2k x(1 − x²)",
         {"coefficient": 2.0}),
        ("the factor e of ψ is missing: ψ(x) = e^{1 − 1/(1 − x²)}, so that ψ(0) = 1, "
         "not e^{−1/(1 − x²)}", {"e_factor": False}),
    ]

    def variant_kwargs(change, n):
        kwargs = {}
        for key, value in change.items():
            if key in ("steps", "power") and isinstance(value, int):
                default = n if key == "steps" else 2 * n
                unit = 1 if key == "steps" else 2
                kwargs[key] = default + unit * value
            elif value == "-n":
                kwargs[key] = -n
            elif value == "n":
                kwargs[key] = n
            elif value == "2n+1":
                kwargs[key] = 2 * n + 1
            elif value == "n+1":
                kwargs[key] = n + 1
            elif value == "2n":
                kwargs[key] = 2 * n
            elif value == "2n-1":
                kwargs[key] = 2 * n - 1
            else:
                kwargs[key] = value
        if kwargs.get("steps", 0) < 0:
            return None
        return kwargs

    def matches(t, n, c, w, got, expected):
        inside = np.abs((np.asarray(t) - c) / w) < 1.0
        hits = []
        for message, change in variants:
            kwargs = variant_kwargs(change, n)
            if kwargs is None:
                continue
            wrong = _bump_variant(t, n, c, w, **kwargs)
            if not _close(wrong[inside], expected[inside]) and _close(got[inside], wrong[inside]):
                hits.append(message)
        return hits

    def recursion(args, got, expected):
        # At n = 1 several slips give the same function (4n and 4(k + 1) at k = 0; the powers
        # n and 2n − 1): the candidate's own derivative of order 3 tells them apart.
        t, n, c, w = args
        hits = matches(t, n, c, w, got, expected)
        if len(hits) > 1:
            try:
                got3 = np.asarray(candidate(np.array(t, dtype=float), 3, c, w), dtype=float)
            except Exception:  # the reader's code: keep the first diagnosis if it fails here
                return hits[0]
            later = matches(t, 3, c, w, got3, reference(t, 3, c, w))
            return next((m for m in later if m in hits), hits[0])
        return hits[0] if hits else None

    def reflected(args, got, expected):
        # ψ is even, so ψ⁽ⁿ⁾(−x) = (−1)ⁿ ψ⁽ⁿ⁾(x): the reflected argument is right at every
        # even n and wrong in sign at every odd n (at n = 1 it looks like +2x for −2x).
        t, n, c, w = args
        if n % 2 == 0 or not _close(got, -expected):
            return None
        try:
            even = np.asarray(candidate(np.array(t, dtype=float), n + 1, c, w), dtype=float)
        except Exception:  # the reader's code: no diagnosis if it fails here
            return None
        if _close(even, reference(t, n + 1, c, w)):
            return ("the argument is reflected: x = (t − c)/w, not (c − t)/w; ψ is even, so "
                    "ψ⁽ⁿ⁾(−x) = (−1)ⁿ ψ⁽ⁿ⁾(x) is right at even n and has the wrong sign at odd n")
        return None

    def argument(args, got, expected):
        t, n, c, w = args
        if _close(got, _bump_variant(t, n, c, w, argument="(t - c)/(2w)")):
            return ("the argument is x = (t − c)/w, not (t − c)/(2w): w is the half-width, the "
                    "support is [c − w, c + w]")
        if w == 1.0:  # the other slips coincide with the right argument at w = 1
            return None
        if _close(got, _bump_variant(t, n, c, w, argument="(t - c)*w")):
            return "the argument is x = (t − c)/w, not (t − c)·w: divide by the half-width"
        if _close(got, _bump_variant(t, n, c, w, argument="t - c/w")):
            return "operator precedence: x = (t − c)/w needs the brackets, not t − c/w"
        if _close(got, _bump_variant(t, n, c, w, argument="t/w - c")):
            return "the argument is x = (t − c)/w, not t/w − c: shift first, then scale"
        return None

    def centre(args, got, expected):
        t, n, c, w = args
        if (c, w) != (0.0, 1.0) and _close(got, _bump_variant(t, n, 0.0, 1.0)):
            return (f"the centre and the width are ignored (at n = {n} too): "
                    "φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w) for every n, including n = 0")
        if c != 0 and _close(got, _bump_variant(t, n, 0.0, w)):
            return "the centre is ignored: x = (t − c)/w"
        if c != 0 and _close(got, _bump_variant(t, n, -c, w)):
            return "the shift has the wrong sign: x = (t − c)/w, not (t + c)/w"
        return None

    def cut_short(args, got, expected):
        t, _, c, w = args
        x = np.abs((np.asarray(t, dtype=float) - c) / w)
        lost = (x < 1.0) & (got == 0) & (expected != 0)
        kept = got != 0
        if np.any(lost) and np.all(x[lost] > 0.9) and np.all(x[kept] < x[lost].min()) and \
                np.allclose(got[kept], expected[kept], rtol=1e-8, atol=0.0):
            return ("zero inside the support, next to its edge: the bump is nonzero for every "
                    "|x| < 1 (ψ⁽⁵⁾ at x = 0.98 is still 2 % of its largest value); mask with "
                    "|x| < 1 exactly")
        return None

    def underflow(args, got, expected):
        inside = inside_mask(args)
        if np.isnan(got[inside]).any() and not np.isnan(expected).any():
            return ("NaN next to the edge of the support: at large n both ψ(x) and "
                    "(1 − x²)^{2n} underflow to 0 and 0/0 is NaN; compute their quotient as one "
                    "exponential, e^{1 − 1/s − 2n log s} with s = 1 − x²")
        return None

    def overall_sign(args, got, expected):
        if _close(got, -expected):
            return "the overall sign is reversed"
        return None

    return _compare(candidate, cases, reference, (underflow, cut_short, centre, argument, support,
                                                   reflected, recursion, overall_sign))
