r"""Distributions on the real line: test functions, pairings and derivatives.

A distribution :math:`\eta` is known only through its pairings
:math:`\langle \eta, \varphi\rangle` with smooth, compactly supported test functions
:math:`\varphi`. Its derivative is *defined* by moving the derivative onto the test
function,

.. math::

    \langle \eta^{(n)}, \varphi \rangle = (-1)^n \langle \eta, \varphi^{(n)} \rangle ,

so every object here stores the order :math:`n` of the derivative applied to it and
pairs by differentiating the test function instead. This is chapter 1 of the book.

Contents
--------
TestFunction
    A smooth function whose derivatives of every order are known in closed form.
bump
    The standard smooth bump :math:`e^{1 - 1/(1 - x^2)}`, shifted and scaled.
Distribution
    Base class: ``pair``, ``derivative``, sums and scalar multiples.
Regular
    The regular distribution of a locally integrable function, paired by quadrature.
Dirac
    A weighted, shifted Dirac delta :math:`w\,\delta(t - t_0)`.
SpikeTrain
    A spike train :math:`\sum_i w_i\,\delta(t - t_i)`.
heaviside
    The Heaviside step :math:`H(t - t_0)` as a regular distribution.
pair
    :math:`\langle \eta, \varphi \rangle` for a distribution or a plain callable.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.polynomial import Polynomial

from snnlib import _quadrature
from snnlib._validation import (
    check_callable,
    check_finite_array,
    check_order,
    check_real,
)

__all__ = [
    "Dirac",
    "Distribution",
    "Regular",
    "SpikeTrain",
    "TestFunction",
    "bump",
    "heaviside",
    "pair",
]


# ---------------------------------------------------------------------------------------
# Test functions
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TestFunction:
    r"""A smooth test function :math:`\varphi` with all derivatives in closed form.

    Parameters
    ----------
    derivatives : callable
        ``derivatives(t, k)`` returns :math:`\varphi^{(k)}(t)` for a float64 array ``t``
        and an integer ``k >= 0``, with the shape of ``t``.
    support : tuple of float
        An interval ``(a, b)`` outside which :math:`\varphi` and all its derivatives
        vanish. Quadrature against regular distributions runs over this interval.
    order : int, optional
        Which derivative this object evaluates; ``derivative`` increases it.
    label : str, optional
        A name used in plots and reprs.

    Examples
    --------
    >>> phi = bump(center=1.0, width=2.0)
    >>> float(phi(1.0)), float(phi.derivative()(1.0))
    (1.0, 0.0)
    """

    __test__ = False  # keep pytest from collecting this class as a test case

    derivatives: Callable[[np.ndarray, int], np.ndarray]
    support: tuple[float, float]
    order: int = 0
    label: str = "φ"

    def __post_init__(self) -> None:
        check_callable(self.derivatives, "derivatives")
        check_order(self.order, "order")
        if not (isinstance(self.support, Sequence) and len(self.support) == 2):
            raise TypeError(f"support must be a pair (a, b), got {self.support!r}")
        a = check_real(self.support[0], "support[0]")
        b = check_real(self.support[1], "support[1]")
        if not a < b:
            raise ValueError(f"support must satisfy a < b, got ({a!r}, {b!r})")
        object.__setattr__(self, "support", (a, b))

    def __call__(self, t: np.ndarray | float) -> np.ndarray:
        """Evaluate :math:`\\varphi^{(\\text{order})}` at ``t`` (any shape)."""
        t = np.asarray(t, dtype=np.float64)
        return np.asarray(self.derivatives(t, self.order), dtype=np.float64)

    def derivative(self, n: int = 1) -> TestFunction:
        """Return the test function :math:`\\varphi^{(n)}` (relative to this one)."""
        n = check_order(n)
        return replace(self, order=self.order + n, label=self.label + "′" * n)

    @classmethod
    def from_callables(
        cls,
        functions: Sequence[Callable[[np.ndarray], np.ndarray]],
        support: tuple[float, float],
        label: str = "φ",
    ) -> TestFunction:
        """Build a test function from ``[φ, φ′, φ″, ...]`` given as callables.

        Nothing is checked: the caller promises that ``functions[k]`` is the k-th derivative
        of ``functions[0]``, that all of them vanish outside ``support`` (quadrature against
        regular distributions runs only over ``support``), and that φ is smooth. Only as many
        derivatives as callables are known; asking for more raises ``ValueError`` when the
        derivative is evaluated.

        Examples
        --------
        The product :math:`t\\varphi(t)` of a bump with :math:`t`, and its first derivative:

        >>> phi = bump(0.3, 1.0)
        >>> t_phi = TestFunction.from_callables(
        ...     [lambda t: t * phi(t), lambda t: phi(t) + t * phi.derivative()(t)], phi.support)
        >>> round(float(t_phi.derivative()(0.0)), 12) == round(float(phi(0.0)), 12)
        True
        """
        if isinstance(functions, Callable) or not isinstance(functions, Sequence):
            raise TypeError(
                "functions must be a sequence [φ, φ′, ...] of callables, "
                f"got {type(functions).__name__}"
            )
        if len(functions) == 0:
            raise ValueError("functions must contain at least φ itself")
        funcs = tuple(check_callable(f, f"functions[{i}]") for i, f in enumerate(functions))

        def derivatives(t: np.ndarray, k: int) -> np.ndarray:
            if k >= len(funcs):
                raise ValueError(
                    f"derivative of order {k} requested, but only orders 0..{len(funcs) - 1} "
                    "were given to TestFunction.from_callables"
                )
            return np.broadcast_to(funcs[k](t), t.shape)

        return cls(derivatives, support, 0, label)


@functools.lru_cache(maxsize=64)
def _bump_polynomial(n: int) -> Polynomial:
    r"""Polynomial :math:`p_n` with :math:`\psi^{(n)}(x) = p_n(x)\,\psi(x)/(1 - x^2)^{2n}`.

    Differentiating the ansatz gives the recursion
    :math:`p_{n+1} = p_n' (1 - x^2)^2 + \bigl(4 n x (1 - x^2) - 2x\bigr) p_n`, :math:`p_0 = 1`.
    """
    if n == 0:
        return Polynomial([1.0])
    p = _bump_polynomial(n - 1)
    one_minus_x2 = Polynomial([1.0, 0.0, -1.0])
    x = Polynomial([0.0, 1.0])
    return p.deriv() * one_minus_x2**2 + (4 * (n - 1) * x * one_minus_x2 - 2 * x) * p


def _standard_bump(x: np.ndarray, n: int) -> np.ndarray:
    r""":math:`\psi^{(n)}(x)` for :math:`\psi(x) = e^{1 - 1/(1 - x^2)}` on :math:`|x| < 1`."""
    out = np.zeros_like(x)
    inside = np.abs(x) < 1.0
    xi = x[inside]
    s = 1.0 - xi**2
    # exp(1 - 1/s - 2n log s) stays finite where 1/s**(2n) alone would overflow.
    out[inside] = _bump_polynomial(n)(xi) * np.exp(1.0 - 1.0 / s - 2 * n * np.log(s))
    return out


def bump(center: float = 0.0, width: float = 1.0, height: float = 1.0) -> TestFunction:
    r"""The smooth bump :math:`\varphi(t) = h\,\psi\bigl((t - c)/w\bigr)`.

    .. math::

        \psi(x) = \begin{cases} e^{\,1 - 1/(1 - x^2)} & |x| < 1 \\ 0 & |x| \ge 1 \end{cases}

    :math:`\psi` is infinitely differentiable, vanishes with all its derivatives outside
    :math:`(-1, 1)` and has :math:`\psi(0) = 1`. Its derivatives are
    :math:`\psi^{(n)}(x) = p_n(x)\,\psi(x)/(1 - x^2)^{2n}` with polynomials :math:`p_n`
    from an exact recursion, so :math:`\varphi^{(n)} = h\,w^{-n}\psi^{(n)}` is available
    for every :math:`n`. Evaluated in floating point, :math:`p_n` cancels near the edge: relative
    to :math:`\max|\psi^{(n)}|` the error reaches about :math:`10^{-12}` at :math:`n = 5`,
    :math:`10^{-11}` at :math:`n = 6`, :math:`5\cdot10^{-9}` at :math:`n = 8` and
    :math:`5\cdot10^{-3}` at :math:`n = 12`, near :math:`|x| \approx 0.95 \ldots 0.98`.

    Parameters
    ----------
    center : float
        :math:`c`, the centre (ms).
    width : float
        :math:`w > 0`, the half-width of the support (ms); the support is
        :math:`[c - w, c + w]`.
    height : float
        :math:`h`, the value at the centre.

    Returns
    -------
    TestFunction

    Examples
    --------
    >>> phi = bump(center=2.0, width=0.5)
    >>> phi.support
    (1.5, 2.5)
    >>> float(phi(2.0)), float(phi(2.5))
    (1.0, 0.0)
    """
    c = check_real(center, "center")
    w = check_real(width, "width", positive=True)
    h = check_real(height, "height")

    def derivatives(t: np.ndarray, k: int) -> np.ndarray:
        return h * w ** (-k) * _standard_bump((t - c) / w, k)

    return TestFunction(derivatives, (c - w, c + w), 0, "φ")


def _check_test_function(phi: object) -> TestFunction:
    if not isinstance(phi, TestFunction):
        raise TypeError(
            "phi must be a TestFunction (see snnlib.distributions.bump or "
            f"TestFunction.from_callables), got {type(phi).__name__}"
        )
    return phi


# ---------------------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------------------


class Distribution:
    r"""Base class: a linear functional on test functions, with derivatives of any order.

    Subclasses implement ``_pair_base(phi)``, the pairing of the *undifferentiated*
    distribution; this class adds the derivative order :math:`n` through
    :math:`\langle \eta^{(n)}, \varphi\rangle = (-1)^n \langle \eta, \varphi^{(n)}\rangle`,
    and linear combinations (``+``, ``-``, scalar ``*``).
    """

    _order: int = 0

    @property
    def order(self) -> int:
        """The order of the derivative applied to the underlying distribution."""
        return self._order

    def pair(self, phi: TestFunction) -> float:
        r"""Return :math:`\langle \eta, \varphi \rangle` as a float."""
        phi = _check_test_function(phi)
        sign = -1.0 if self._order % 2 else 1.0
        return sign * float(self._pair_base(phi.derivative(self._order)))

    def _pair_base(self, phi: TestFunction) -> float:
        raise NotImplementedError

    def derivative(self, n: int = 1) -> Distribution:
        r"""Return the distributional derivative :math:`\eta^{(n)}`."""
        n = check_order(n)
        new = copy.copy(self)
        new._order = self._order + n
        return new

    def __add__(self, other: Distribution) -> Distribution:
        if not isinstance(other, Distribution):
            return NotImplemented
        return _LinearCombination(((1.0, self), (1.0, other)))

    def __sub__(self, other: Distribution) -> Distribution:
        if not isinstance(other, Distribution):
            return NotImplemented
        return _LinearCombination(((1.0, self), (-1.0, other)))

    def __rmul__(self, scalar: float) -> Distribution:
        return _LinearCombination(((check_real(scalar, "scalar"), self),))

    __mul__ = __rmul__

    def __neg__(self) -> Distribution:
        return _LinearCombination(((-1.0, self),))

    def _prime(self) -> str:
        return "′" * self._order if self._order <= 3 else f"^({self._order})"


class _LinearCombination(Distribution):
    """Σ c_k η_k; differentiation distributes over the terms."""

    def __init__(self, terms: tuple[tuple[float, Distribution], ...]) -> None:
        self.terms = terms

    def pair(self, phi: TestFunction) -> float:
        return sum(c * eta.pair(phi) for c, eta in self.terms)

    def derivative(self, n: int = 1) -> Distribution:
        return _LinearCombination(tuple((c, eta.derivative(n)) for c, eta in self.terms))

    @property
    def order(self) -> int:
        raise AttributeError("a sum of distributions has no single derivative order")

    def __repr__(self) -> str:
        return " + ".join(f"{c:g}·{eta!r}" for c, eta in self.terms)


class Regular(Distribution):
    r"""The regular distribution :math:`\langle \eta, \varphi\rangle = \int \eta(t)\varphi(t)\,dt`.

    Parameters
    ----------
    function : callable
        :math:`\eta`, locally integrable, evaluated at float arguments.
    points : sequence of float, optional
        Points where :math:`\eta` jumps or has a kink; the quadrature splits there.
    label : str, optional
        A name for reprs.

    Notes
    -----
    The integral runs over the support :math:`[a, b]` of the test function with
    :func:`scipy.integrate.quad`, relative tolerance ``1e-12`` and absolute tolerance
    ``1e-13`` times :math:`(b - a)\max|\eta\varphi|`. If the quadrature reports a problem
    and its error estimate exceeds ``1e-10`` of that scale, ``pair`` raises
    ``RuntimeError`` instead of returning a doubtful number.

    Examples
    --------
    >>> H = heaviside()
    >>> phi = bump(width=2.0)
    >>> round(H.derivative().pair(phi), 12)   # H′ = δ, so this is φ(0)
    1.0
    """

    def __init__(
        self,
        function: Callable[[float], float],
        points: Sequence[float] = (),
        label: str = "η",
    ) -> None:
        self.function = check_callable(function, "function")
        self.points = tuple(check_finite_array(points, "points", ndim=1).tolist())
        self.label = label

    def __call__(self, t: np.ndarray | float) -> np.ndarray:
        """Evaluate :math:`\\eta(t)` pointwise (for plots), elementwise over ``t``."""
        t = np.asarray(t, dtype=np.float64)
        return np.vectorize(self.function, otypes=[np.float64])(t)

    def _pair_base(self, phi: TestFunction) -> float:
        a, b = phi.support
        return _quadrature.integrate(
            lambda t: float(self.function(t)) * float(phi(t)),
            a, b, self.points, what=f"⟨{self.label}, {phi.label}⟩",
        )

    def __repr__(self) -> str:
        return f"Regular({self.label}){self._prime()}"


class SpikeTrain(Distribution):
    r"""A spike train :math:`s(t) = \sum_i w_i\,\delta(t - t_i)` as a distribution.

    .. math::

        \langle s^{(n)}, \varphi \rangle = (-1)^n \sum_i w_i\,\varphi^{(n)}(t_i)

    Parameters
    ----------
    times : array_like, shape (n_spikes,)
        Spike times :math:`t_i` (ms), finite and sorted in non-decreasing order.
    weights : array_like, shape (n_spikes,), optional
        Weights :math:`w_i`; all ones by default.

    Raises
    ------
    ValueError
        If a time or weight is NaN or infinite, the times are not sorted, or the
        shapes of ``times`` and ``weights`` differ.

    Examples
    --------
    >>> s = SpikeTrain([0.0, 1.0], weights=[2.0, -1.0])
    >>> phi = bump(width=2.0)
    >>> round(s.pair(phi), 12) == round(2 * float(phi(0.0)) - float(phi(1.0)), 12)
    True
    """

    def __init__(self, times: Sequence[float], weights: Sequence[float] | None = None) -> None:
        times = check_finite_array(times, "times", ndim=1)
        if np.any(np.diff(times) < 0):
            i = int(np.flatnonzero(np.diff(times) < 0)[0])
            raise ValueError(
                "times must be sorted in non-decreasing order; "
                f"times[{i}] = {times[i]!r} > times[{i + 1}] = {times[i + 1]!r}"
            )
        if weights is None:
            weights = np.ones_like(times)
        weights = check_finite_array(weights, "weights", ndim=1)
        if weights.shape != times.shape:
            raise ValueError(
                f"weights must have the shape of times {times.shape}, got {weights.shape}"
            )
        self.times = times
        self.weights = weights

    def _pair_base(self, phi: TestFunction) -> float:
        return float(np.dot(self.weights, phi(self.times)))

    def counting_function(self) -> Regular:
        r"""The step function :math:`N(t) = \sum_{t_i \le t} w_i`, whose derivative is ``s``.

        Examples
        --------
        >>> s = SpikeTrain([0.5, 1.5])
        >>> N = s.counting_function()
        >>> N([0.0, 1.0, 2.0]).tolist()
        [0.0, 1.0, 2.0]
        """
        cumulative = np.concatenate(([0.0], np.cumsum(self.weights)))
        times = self.times

        def counting(t: float) -> float:
            return float(cumulative[np.searchsorted(times, t, side="right")])

        return Regular(counting, points=np.unique(times), label="N")

    def __len__(self) -> int:
        return self.times.size

    def __repr__(self) -> str:
        return (
            f"SpikeTrain(times={np.array2string(self.times, precision=4)}, "
            f"weights={np.array2string(self.weights, precision=4)}){self._prime()}"
        )


class Dirac(SpikeTrain):
    r"""The weighted, shifted Dirac delta :math:`w\,\delta(t - t_0)`.

    :math:`\langle w\,\delta^{(n)}_{t_0}, \varphi \rangle = (-1)^n\,w\,\varphi^{(n)}(t_0)`.

    Parameters
    ----------
    t0 : float
        Location (ms).
    weight : float
        Weight :math:`w`.

    Examples
    --------
    >>> phi = bump(width=2.0)
    >>> delta_prime = Dirac(0.5).derivative()
    >>> delta_prime.pair(phi) == -float(phi.derivative()(0.5))
    True
    """

    def __init__(self, t0: float = 0.0, weight: float = 1.0) -> None:
        super().__init__([check_real(t0, "t0")], [check_real(weight, "weight")])

    @property
    def t0(self) -> float:
        return float(self.times[0])

    @property
    def weight(self) -> float:
        return float(self.weights[0])

    def __repr__(self) -> str:
        return f"Dirac(t0={self.t0:g}, weight={self.weight:g}){self._prime()}"


def heaviside(t0: float = 0.0) -> Regular:
    r"""The Heaviside step :math:`H(t - t_0)` (value 1 for :math:`t \ge t_0`).

    Its distributional derivative is :math:`\delta(t - t_0)`.

    Examples
    --------
    >>> heaviside(1.0)([0.0, 1.0, 2.0]).tolist()
    [0.0, 1.0, 1.0]
    """
    t0 = check_real(t0, "t0")
    return Regular(lambda t: 1.0 if t >= t0 else 0.0, points=(t0,), label="H")


def pair(eta: Distribution | Callable[[float], float], phi: TestFunction) -> float:
    r"""The pairing :math:`\langle \eta, \varphi\rangle`.

    Parameters
    ----------
    eta : Distribution or callable
        A distribution, or a locally integrable function (taken as ``Regular(eta)``).
    phi : TestFunction

    Examples
    --------
    >>> round(pair(lambda t: 1.0, bump()), 10)   # ∫ψ over (-1, 1)
    1.2069003224
    """
    if isinstance(eta, Distribution):
        return eta.pair(phi)
    if callable(eta):
        return Regular(eta).pair(phi)
    raise TypeError(f"eta must be a Distribution or a callable, got {type(eta).__name__}")
