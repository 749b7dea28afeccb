"""One adaptive quadrature with tolerances relative to the integrand's size.

Used wherever snnlib integrates a function against a test function or a nascent delta.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import integrate as _integrate

#: Relative tolerance asked of :func:`scipy.integrate.quad`.
EPSREL = 1e-12
#: Absolute tolerance, as a fraction of ``(b - a) * max|integrand|`` on a coarse grid.
EPSABS = 1e-13
#: Largest error estimate (same scale) accepted when quad reports a problem.
MAX_ERROR = 1e-10


def integrate(
    integrand: Callable[[float], float],
    a: float,
    b: float,
    points: Sequence[float] = (),
    what: str = "the integral",
) -> float:
    """Return ``∫_a^b integrand`` or raise if it is not finite or did not converge.

    The tolerances scale with ``(b - a) * max|integrand|`` so that narrow, tall integrands
    (a test function's high derivative, a nascent delta of small width) are integrated to
    the same relative accuracy as wide, flat ones. ``points`` are kinks or jumps of the
    integrand inside ``(a, b)``.
    """
    inner = sorted({p for p in points if a < p < b})
    grid = np.union1d(np.linspace(a, b, 201), inner)
    scale = (b - a) * max(abs(integrand(t)) for t in grid)
    if not np.isfinite(scale):
        raise ValueError(f"{what} is not finite: the integrand is NaN or inf somewhere")
    scale += np.finfo(float).tiny
    value, abserr, *problem = _integrate.quad(
        integrand, a, b, points=inner or None, full_output=1,
        epsabs=EPSABS * scale, epsrel=EPSREL, limit=500,
    )
    if not np.isfinite(value):
        raise ValueError(f"{what} is not finite: the integrand is NaN or inf somewhere")
    if len(problem) > 1 and abserr > MAX_ERROR * scale:
        raise RuntimeError(
            f"quadrature of {what} did not converge (estimated error {abserr:.2e}); "
            "pass the points where the integrand jumps or has kinks"
        )
    return value
