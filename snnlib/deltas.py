r"""Nascent deltas: ordinary functions that converge to :math:`\delta` as :math:`\varepsilon \to 0`.

Every family here has the form :math:`\delta_\varepsilon(t) = K(t/\varepsilon)/\varepsilon` with a
kernel :math:`K` of unit integral, so :math:`\int \delta_\varepsilon = 1` and
:math:`\langle \delta_\varepsilon, f\rangle \to f(0)`. The three families in ``FAMILIES``
(triangle, box, Gaussian) have :math:`K \ge 0`; the order-4 kernel ``order4``/``ORDER4`` is
signed (negative for :math:`|x| > \sqrt{3/5}`). For a symmetric kernel with second
moment :math:`m_2 = \int x^2 K(x)\,dx` the error is

.. math::

    \langle \delta_\varepsilon, f \rangle - f(0) = \tfrac{1}{2} m_2 f''(0)\,\varepsilon^2
    + O(\varepsilon^4),

with :math:`m_2 = 1/6` (triangle), :math:`1/12` (box of width :math:`\varepsilon`) and
:math:`1` (Gaussian of standard deviation :math:`\varepsilon`). Chapters 2 and 3.

Contents
--------
unit_box
    :math:`\Pi(x)`, the unit box on :math:`[-1/2, 1/2]` (value 1/2 at the edges).
triangle, triangle_derivative
    :math:`\Lambda_\varepsilon(t) = \Lambda(t/\varepsilon)/\varepsilon` and its derivative.
box, gaussian
    The box of width :math:`\varepsilon` and the Gaussian of standard deviation :math:`\varepsilon`.
order4
    The signed order-4 kernel :math:`\tfrac18(9 - 15x^2)` on :math:`|x| \le 1`, scaled to width ε.
NascentDelta, FAMILIES, ORDER4
    The three families with their support, kinks and second moments; the order-4 kernel.
smoothed_pairing
    :math:`\int \delta_\varepsilon(t - t_0) f(t)\,dt` by quadrature that respects the kinks
    (for the Gaussian: over :math:`|t - t_0| \le 12\varepsilon`, see :class:`TruncationWarning`).
crossing_density
    :math:`\delta_\varepsilon(g)\,|g'|` (or :math:`\max(g', 0)`): smoothed count of zeros of g.
composed_pairing
    :math:`\int \delta_\varepsilon(g)\,w(g')\,\varphi\,dt` by quadrature split at the kinks.
find_zeros
    The sign-changing zeros of a function on a grid, refined to machine precision.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from snnlib import _quadrature
from snnlib._validation import check_callable, check_finite_array, check_real

__all__ = [
    "FAMILIES",
    "ORDER4",
    "NascentDelta",
    "TruncationWarning",
    "box",
    "composed_pairing",
    "crossing_density",
    "find_zeros",
    "gaussian",
    "order4",
    "smoothed_pairing",
    "triangle",
    "triangle_derivative",
    "unit_box",
]

_SQRT_2PI = np.sqrt(2.0 * np.pi)


def _check_inputs(t: np.ndarray | float, eps: float) -> tuple[np.ndarray, float]:
    return check_finite_array(t, "t"), check_real(eps, "eps", positive=True)


def unit_box(x: np.ndarray | float) -> np.ndarray:
    r"""The unit box: :math:`\Pi(x) = 1` for :math:`|x| < 1/2`, 1/2 at the edges, else 0.

    The value at the edges is the mean of the one-sided limits. With it,
    :math:`\Pi(x + 1/2) - \Pi(x - 1/2)` equals :math:`\Lambda'(x)` wherever :math:`\Lambda` is
    differentiable and the mean of its one-sided derivatives at the three kinks
    :math:`x \in \{-1, 0, 1\}`, where :math:`\Lambda'` does not exist.

    Examples
    --------
    >>> unit_box([-1.0, -0.5, 0.0, 0.5]).tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    x = check_finite_array(x, "x")
    ax = np.abs(x)
    return np.where(ax < 0.5, 1.0, np.where(ax == 0.5, 0.5, 0.0))


def triangle(t: np.ndarray | float, eps: float) -> np.ndarray:
    r"""The triangle :math:`\Lambda_\varepsilon(t) = \max(0, 1 - |t|/\varepsilon)/\varepsilon`.

    Parameters
    ----------
    t : array_like
        Times (ms), any shape, finite.
    eps : float
        Half-width :math:`\varepsilon > 0` of the support (ms).

    Returns
    -------
    ndarray
        :math:`\Lambda_\varepsilon(t)`, shape of ``t`` (1/ms). It integrates to 1.

    Examples
    --------
    >>> triangle([-1.0, -0.5, 0.0, 0.25], eps=0.5).tolist()
    [0.0, 0.0, 2.0, 1.0]
    """
    t, eps = _check_inputs(t, eps)
    return np.maximum(0.0, 1.0 - np.abs(t) / eps) / eps


def triangle_derivative(t: np.ndarray | float, eps: float) -> np.ndarray:
    r"""The derivative of the triangle, a difference of two boxes.

    .. math::

        \Lambda_\varepsilon'(t) = \frac{\Pi(t/\varepsilon + 1/2)
        - \Pi(t/\varepsilon - 1/2)}{\varepsilon^2}


    It is :math:`+1/\varepsilon^2` on :math:`(-\varepsilon, 0)`, :math:`-1/\varepsilon^2` on
    :math:`(0, \varepsilon)` and 0 outside :math:`[-\varepsilon, \varepsilon]`. At the three
    kinks it takes the mean of the one-sided derivatives: 0 at :math:`t = 0` and
    :math:`\pm 1/(2\varepsilon^2)` at :math:`t = \mp\varepsilon`. It integrates to 0.

    Examples
    --------
    >>> triangle_derivative([-1.0, -0.5, 0.0, 0.5, 1.0], eps=1.0).tolist()
    [0.5, 1.0, 0.0, -1.0, -0.5]
    """
    t, eps = _check_inputs(t, eps)
    x = t / eps
    return (unit_box(x + 0.5) - unit_box(x - 0.5)) / eps**2


def box(t: np.ndarray | float, eps: float) -> np.ndarray:
    r"""The box :math:`\Pi(t/\varepsilon)/\varepsilon` (width ε, height 1/ε).

    Examples
    --------
    >>> box([0.0, 0.25, 0.3], eps=0.5).tolist()
    [2.0, 1.0, 0.0]
    """
    t, eps = _check_inputs(t, eps)
    return unit_box(t / eps) / eps


def gaussian(t: np.ndarray | float, eps: float) -> np.ndarray:
    r"""The Gaussian of standard deviation :math:`\varepsilon`.

    .. math::

        \frac{e^{-t^2/(2\varepsilon^2)}}{\varepsilon\sqrt{2\pi}}


    Examples
    --------
    >>> round(float(gaussian(0.0, eps=1.0)), 6)
    0.398942
    """
    t, eps = _check_inputs(t, eps)
    return np.exp(-0.5 * (t / eps) ** 2) / (eps * _SQRT_2PI)


def order4(t: np.ndarray | float, eps: float) -> np.ndarray:
    r"""The order-4 kernel :math:`K_4(t/\varepsilon)/\varepsilon` with :math:`K_4 = (9 - 15x^2)/8`.

    .. math::

        K_4(x) = \begin{cases} (9 - 15x^2)/8 & |x| \le 1 \\ 0 & |x| > 1 \end{cases},
        \qquad \int K_4 = 1,\quad \int x^2 K_4 = 0,\quad \int x^4 K_4 = -\tfrac{3}{35},

    so :math:`\langle K_{4,\varepsilon}, f\rangle - f(0) = -f^{(4)}(0)\,\varepsilon^4/280
    + o(\varepsilon^4)`. The kernel is signed (negative for :math:`|x| > \sqrt{3/5}`) and
    jumps at :math:`x = \pm 1`; the support is closed, so :math:`K_4(\pm 1) = -3/4`. Values
    at single points never change a pairing.

    Parameters
    ----------
    t : array_like
        Times (ms), any shape, finite.
    eps : float
        Half-width :math:`\varepsilon > 0` of the support (ms).

    Returns
    -------
    ndarray
        Shape of ``t`` (1/ms).

    Examples
    --------
    >>> order4([-1.0, -0.5, 0.0, 0.6], eps=0.5).tolist()
    [0.0, -1.5, 2.25, 0.0]
    """
    t, eps = _check_inputs(t, eps)
    x = t / eps
    return np.where(np.abs(x) <= 1.0, (9.0 - 15.0 * x**2) / 8.0, 0.0) / eps


@dataclass(frozen=True)
class NascentDelta:
    r"""A family :math:`\delta_\varepsilon(t) = K(t/\varepsilon)/\varepsilon` and its shape data.

    Attributes
    ----------
    name : str
    function : callable
        ``function(t, eps)``.
    half_width : float
        :math:`K` vanishes (to double precision) outside :math:`[-h, h]`, so
        :math:`\delta_\varepsilon` outside :math:`[-h\varepsilon, h\varepsilon]`.
    kinks : tuple of float
        Points of :math:`K` where it is not smooth (quadrature splits there).
    second_moment : float
        :math:`m_2 = \int x^2 K(x)\,dx`; the smoothing error is :math:`m_2 f''(0)\varepsilon^2/2`.
    """

    name: str
    function: Callable[[np.ndarray, float], np.ndarray]
    half_width: float
    kinks: tuple[float, ...]
    second_moment: float


#: The triangle, box and Gaussian families by name.
FAMILIES: dict[str, NascentDelta] = {
    "triangle": NascentDelta("triangle", triangle, 1.0, (-1.0, 0.0, 1.0), 1.0 / 6.0),
    "box": NascentDelta("box", box, 0.5, (-0.5, 0.5), 1.0 / 12.0),
    # exp(-x²/2) < 1e-31 for |x| > 12: beyond double precision relative to the peak.
    "gaussian": NascentDelta("gaussian", gaussian, 12.0, (), 1.0),
}

#: The signed order-4 kernel (not in FAMILIES: it is not a nonnegative nascent delta).
ORDER4 = NascentDelta("order4", order4, 1.0, (-1.0, 1.0), 0.0)


class TruncationWarning(RuntimeWarning):
    """The Gaussian's tail beyond 12 ε, which smoothed_pairing does not integrate, may matter."""


#: Distances from the centre, in units of ε, where f is probed beyond the Gaussian's cut.
_TAIL_PROBES = np.array([12.0, 16.0, 24.0, 32.0])
#: The tail is flagged when its estimate exceeds this fraction of the result's scale.
_TAIL_TOLERANCE = 1e-12


def _tail_matters(f: Callable[[float], float], eps: float, t0: float, scale: float) -> str | None:
    r"""Why the Gaussian tail beyond :math:`|t - t_0| = 12\varepsilon` may matter, or None.

    The tail beyond :math:`x\varepsilon` is estimated by :math:`x\,K(x)\,|f(t_0 \pm x\varepsilon)|`
    (in logarithms, so nothing overflows) at the probe points :data:`_TAIL_PROBES`.
    """
    log_limit = np.log(_TAIL_TOLERANCE * max(scale, np.finfo(float).tiny))
    for x in _TAIL_PROBES:
        for side in (-1.0, 1.0):
            t = t0 + side * x * eps
            try:
                with np.errstate(all="ignore"):
                    value = abs(float(f(t)))
            except (ArithmeticError, ValueError) as error:
                return f"f cannot be evaluated at t = {t:g} ({error})"
            if not np.isfinite(value):
                return f"f({t:g}) is not finite"
            log_tail = np.log(x) - 0.5 * x**2 - np.log(_SQRT_2PI) + np.log(max(value, 1e-300))
            if log_tail > log_limit:
                return (f"|f({t:g})| = {value:.3g} makes the tail estimate "
                        f"{np.exp(min(log_tail, 700.0)):.3g} exceed {_TAIL_TOLERANCE:g} "
                        f"of the result's scale {scale:.3g}")
    return None


def _family(kernel: str | NascentDelta) -> NascentDelta:
    if isinstance(kernel, NascentDelta):
        return kernel
    if kernel not in FAMILIES:
        raise ValueError(f"kernel must be one of {sorted(FAMILIES)}, got {kernel!r}")
    return FAMILIES[kernel]


def smoothed_pairing(
    f: Callable[[float], float],
    eps: float,
    kernel: str | NascentDelta = "triangle",
    t0: float = 0.0,
    derivative: bool = False,
) -> float:
    r"""Return :math:`\int \delta_\varepsilon(t - t_0)\,f(t)\,dt` (or with the derivative).

    Parameters
    ----------
    f : callable
        A smooth function of one float.
    eps : float
        :math:`\varepsilon > 0`.
    kernel : {"triangle", "box", "gaussian"} or NascentDelta
    t0 : float
        Centre of the nascent delta.
    derivative : bool
        Pair with :math:`\Lambda_\varepsilon'` instead (triangle only); the limit is
        :math:`-f'(t_0)`.

    Warns
    -----
    TruncationWarning
        Gaussian kernel only, when probing f at 12, 16, 24 and 32 ε from ``t0`` shows that
        the tail left out may matter (or f is not finite there). Silence is not a proof: for
        :math:`f = e^{t^4}` the full pairing diverges at every ε, yet at ε = 0.1 the probe is
        silent, because the growth wins over the Gaussian only beyond 70 ε.

    Notes
    -----
    Adaptive Gauss–Kronrod quadrature (:func:`scipy.integrate.quad`) over the support,
    split at the kernel's kinks, relative tolerance ``1e-12``. The Gaussian has no bounded
    support: it is integrated over :math:`|t - t_0| \le 12\varepsilon` only. The tail left out
    is below :math:`10^{-27}\,C` whenever :math:`|f(t)| \le C e^{A|t - t_0|}` with
    :math:`A\varepsilon \le 1`, since then it is at most
    :math:`2C\int_{12}^\infty e^{-x^2/2 + x}dx/\sqrt{2\pi} = 2Ce^{1/2}\,\bar\Phi(11)`.
    For faster growth the returned number is the truncated integral, not the pairing.

    Examples
    --------
    >>> round(smoothed_pairing(np.cos, 0.1), 8)   # cos(0) - 0.1²/12 + O(ε⁴)
    0.99916694
    """
    check_callable(f, "f")
    eps = check_real(eps, "eps", positive=True)
    t0 = check_real(t0, "t0")
    family = _family(kernel)
    if derivative:
        if family.name != "triangle":
            raise ValueError(f"derivative=True needs kernel 'triangle', got {family.name!r}")
        density = triangle_derivative
    else:
        density = family.function
    a, b = t0 - family.half_width * eps, t0 + family.half_width * eps
    points = [t0 + k * eps for k in family.kinks if -family.half_width < k < family.half_width]
    value = _quadrature.integrate(
        lambda t: float(density(t - t0, eps)) * float(f(t)), a, b, points,
        what=f"the pairing of f with the {family.name} of width {eps:g}",
    )
    if family.name == "gaussian":
        reason = _tail_matters(f, eps, t0, max(abs(value), abs(float(f(t0)))))
        if reason:
            warnings.warn(
                f"smoothed_pairing integrates the Gaussian only over |t - t0| <= 12 eps = "
                f"{12 * eps:g}, and the tail left out may matter: {reason}. The result "
                f"{value:.6g} is the truncated integral. For |f(t)| <= C exp(A|t - t0|) with "
                "A eps <= 1 the tail left out is below 1e-27 C; faster growth, or a larger "
                "A eps, can make it matter.", TruncationWarning, stacklevel=2,
            )
    return value


def crossing_density(
    g: np.ndarray,
    dg: np.ndarray,
    eps: float,
    kernel: str | NascentDelta = "triangle",
    direction: str = "both",
) -> np.ndarray:
    r"""The smoothed crossing density :math:`\delta_\varepsilon(g(t))\,w(g'(t))`.

    .. math::

        \delta_\varepsilon(g)\,|g'| \;\to\; \sum_i \delta(t - t_i)
        \qquad (\varepsilon \to 0,\ t_i \text{ the simple zeros of } g)

    With ``direction="up"`` the weight is :math:`\max(g', 0)` and only upward zeros
    (spikes, for :math:`g = v - \vartheta`) survive; ``"down"`` uses :math:`\max(-g', 0)`.

    Parameters
    ----------
    g, dg : array_like
        Samples of :math:`g(t)` and :math:`g'(t)`, same shape.
    eps : float
        Width of the nascent delta (in units of :math:`g`).
    kernel : {"triangle", "box", "gaussian"} or NascentDelta
    direction : {"both", "up", "down"}

    Examples
    --------
    >>> crossing_density([0.0, 0.05, 0.0], [2.0, 2.0, -2.0], eps=0.1, direction="up").tolist()
    [20.0, 10.0, 0.0]
    """
    g = check_finite_array(g, "g")
    dg = check_finite_array(dg, "dg")
    if g.shape != dg.shape:
        raise ValueError(f"dg must have the shape of g {g.shape}, got {dg.shape}")
    return _family(kernel).function(g, eps) * _direction_weight(direction)(dg)


_DIRECTION_WEIGHTS: dict[str | None, Callable[[np.ndarray], np.ndarray]] = {
    "both": np.abs,
    "up": lambda x: np.maximum(x, 0.0),
    "down": lambda x: np.maximum(-x, 0.0),
    None: np.ones_like,
}


def _direction_weight(direction: str | None) -> Callable[[np.ndarray], np.ndarray]:
    if direction not in _DIRECTION_WEIGHTS:
        raise ValueError(
            f"direction must be 'both', 'up', 'down' or None, got {direction!r}"
        )
    return _DIRECTION_WEIGHTS[direction]


def composed_pairing(
    g: Callable[[np.ndarray], np.ndarray],
    dg: Callable[[np.ndarray], np.ndarray],
    phi: Callable[[np.ndarray], np.ndarray],
    eps: float,
    t_span: tuple[float, float],
    kernel: str | NascentDelta = "triangle",
    direction: str | None = "both",
    n_grid: int = 4001,
) -> float:
    r"""Return :math:`\int \delta_\varepsilon(g(t))\,w(g'(t))\,\varphi(t)\,dt` over ``t_span``.

    With ``direction="both"`` the weight is :math:`w = |g'|` and the result tends to
    :math:`\sum_i \varphi(t_i)` over the simple zeros :math:`t_i` of :math:`g`; with
    ``"up"``/``"down"`` only zeros with :math:`g' > 0` / :math:`g' < 0` count; with ``None``
    (:math:`w = 1`) the limit is :math:`\sum_i \varphi(t_i)/|g'(t_i)|`.

    Notes
    -----
    On a monotone piece around a simple zero, :math:`u = g(t)` turns the integral into
    :math:`\int \delta_\varepsilon(u)\,\psi(u)\,du` with :math:`\psi(u) = \varphi(t(u))`
    (``"both"``) or :math:`\psi(u) = \varphi(t(u))/|g'(t(u))|` (``None``), so for an even
    kernel with second moment :math:`m_2` the error is
    :math:`\tfrac12 m_2 \varepsilon^2\,\psi''(0) + o(\varepsilon^2)` when
    :math:`\psi \in C^2` (chapter 3). The quadrature is split where :math:`g` crosses the
    kernel's kinks and edges and where :math:`g' = 0` (the weight :math:`|g'|` has a kink
    there), all located with :func:`find_zeros` on ``n_grid`` points, so no narrow peak is
    missed; features narrower than the grid spacing can still be.

    Examples
    --------
    >>> g, dg = (lambda t: 2.0 * t - 1.0), (lambda t: np.full_like(t, 2.0))
    >>> round(composed_pairing(g, dg, np.cos, 1e-3, (0.0, 1.0)), 9)  # cos(½)(1 - ε²/48)
    0.877582544
    """
    for name, func in (("g", g), ("dg", dg), ("phi", phi)):
        check_callable(func, name)
    eps = check_real(eps, "eps", positive=True)
    family = _family(kernel)
    weight = _direction_weight(direction)
    a, b = (check_real(x, f"t_span[{i}]") for i, x in enumerate(t_span))
    if not a < b:
        raise ValueError(f"t_span must satisfy t_a < t_b, got {t_span!r}")
    grid = np.linspace(a, b, n_grid)
    h = family.half_width
    levels = set(family.kinks) | {-h, 0.0, h, -h / 4, h / 4, -h / 12, h / 12}
    points = np.concatenate([find_zeros(lambda t, c=c: g(t) - c * eps, grid) for c in levels]
                            + [find_zeros(dg, grid)])  # |g'| and max(±g', 0) kink where g' = 0

    def integrand(t: float) -> float:
        tt = np.array([t])
        return float(family.function(g(tt), eps)[0] * weight(dg(tt))[0] * phi(tt)[0])

    return _quadrature.integrate(integrand, a, b, points, what="the composed pairing")


def find_zeros(g: Callable[[np.ndarray], np.ndarray], t: np.ndarray) -> np.ndarray:
    r"""The zeros of :math:`g` at which it changes sign on the grid ``t``, refined to machine
    precision.

    Every grid interval where :math:`g(t_k)` and :math:`g(t_{k+1})` have opposite signs,
    :math:`\operatorname{sign} g(t_k)\,\operatorname{sign} g(t_{k+1}) < 0`, brackets a zero (the
    signs, not the product of the values, which can underflow to 0); all brackets are
    refined together by vectorized bisection until they cannot shrink further in float64.
    An interior grid point with :math:`g(t_k) = 0` exactly is returned as it is when
    :math:`g(t_{k-1})` and :math:`g(t_{k+1})` have opposite signs. Nothing else is returned.

    If every grid interval is shorter than the distance between any two zeros of :math:`g`
    (touching ones included), this finds exactly the zeros in ``(t[0], t[-1])`` at which
    :math:`g` changes sign: every simple zero, and every zero of odd order, such as the
    triple zero of :math:`t^3` at 0 (not simple, but counted once by
    :math:`\delta(g)\,|g'|`); and no zero where :math:`g` only touches 0 without changing
    sign (grazing; chapter 3 shows why they must be treated apart). A zero at ``t[0]`` or
    ``t[-1]`` is never returned (no sign change can be seen there). On a coarser grid, zeros
    closer together than the grid are not resolved: two zeros inside one grid interval
    cancel; a zero inside a grid interval whose end is a zero too is not bracketed (at most
    that end is returned, by the rule above); and a run of two or more consecutive grid
    points where :math:`g = 0` is below the grid's resolution: none of its zeros is
    returned, even where :math:`g` changes sign across the run (for
    :math:`g = (t - 0.25)(t - 0.5)^2` on ``linspace(0, 1, 5)`` the simple zero 0.25 is not
    found; see the last example).

    Parameters
    ----------
    g : callable
        Vectorized: ``g(array)`` returns an array of the same shape.
    t : array_like, shape (n,)
        Increasing grid.

    Returns
    -------
    ndarray
        Sorted zero locations.

    Examples
    --------
    >>> find_zeros(np.sin, np.linspace(0.5, 7.0, 50)).round(12).tolist()
    [3.14159265359, 6.28318530718]
    >>> find_zeros(lambda t: t**3 - t, np.linspace(-2.0, 2.0, 81)).tolist()  # on grid points
    [-1.0, 0.0, 1.0]
    >>> find_zeros(lambda t: (t - 0.25) * (t - 0.5) ** 2, np.linspace(0.0, 1.0, 5)).tolist()
    []
    """
    check_callable(g, "g")
    t = check_finite_array(t, "t", ndim=1)
    if t.size < 2 or np.any(np.diff(t) <= 0):
        raise ValueError("t must be a strictly increasing grid with at least 2 points")
    values = np.asarray(g(t), dtype=np.float64)
    if values.shape != t.shape or not np.all(np.isfinite(values)):
        raise ValueError("g(t) must return finite values with the shape of t")
    sign = np.sign(values)
    exact = t[1:-1][(sign[1:-1] == 0) & (sign[:-2] * sign[2:] < 0)]
    brackets = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    lo, hi = t[brackets], t[brackets + 1]
    g_lo = values[brackets]
    for _ in range(2100):  # enough to exhaust float64 even from the widest finite bracket
        mid = 0.5 * (lo + hi)
        active = (mid > lo) & (mid < hi)
        if not np.any(active):
            break
        g_mid = np.asarray(g(mid), dtype=np.float64)
        left = np.sign(g_mid) == np.sign(g_lo)
        lo = np.where(active & left, mid, lo)
        g_lo = np.where(active & left, g_mid, g_lo)
        hi = np.where(active & ~left, mid, hi)
    return np.sort(np.concatenate([exact, 0.5 * (lo + hi)]))
