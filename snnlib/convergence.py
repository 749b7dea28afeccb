r"""Measured orders of convergence: fit :math:`|e(h)| \approx C h^p` on a log–log scale.

The chapters state predictions such as "the error is
:math:`f''(0)\varepsilon^2/12 + O(\varepsilon^4)`" and check them by fitting the measured
errors. This module holds that fit, once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from snnlib._validation import check_finite_array

__all__ = ["PowerLaw", "fit_power_law"]


class PowerLaw(NamedTuple):
    """Result of :func:`fit_power_law`: ``|error| ≈ constant * h**order``."""

    order: float
    constant: float


def fit_power_law(h: np.ndarray, error: np.ndarray) -> PowerLaw:
    r"""Least-squares fit of :math:`\log|e| = \log C + p \log h`.

    Parameters
    ----------
    h : array_like, shape (n,)
        Positive step sizes or widths, ``n >= 2``.
    error : array_like, shape (n,)
        Errors (signed or not); only their magnitude is fitted; none may be zero.

    Returns
    -------
    PowerLaw
        ``order`` :math:`p` and ``constant`` :math:`C`.

    Examples
    --------
    >>> h = np.array([0.1, 0.05, 0.025])
    >>> fit = fit_power_law(h, 3.0 * h**2)
    >>> round(fit.order, 12), round(fit.constant, 12)
    (2.0, 3.0)
    """
    h = check_finite_array(h, "h", ndim=1)
    error = check_finite_array(error, "error", ndim=1)
    if h.shape != error.shape or h.size < 2:
        raise ValueError(
            f"h and error must have the same shape with at least 2 points, got {h.shape} "
            f"and {error.shape}"
        )
    if np.any(h <= 0) or np.any(error == 0):
        raise ValueError("h must be positive and error nonzero for a log–log fit")
    order, log_c = np.polyfit(np.log(h), np.log(np.abs(error)), 1)
    return PowerLaw(float(order), float(np.exp(log_c)))
