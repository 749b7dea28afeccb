"""Tests for snnlib.convergence."""

import numpy as np
import pytest

from snnlib.convergence import fit_power_law


def test_recovers_exact_power_laws():
    h = np.geomspace(1e-4, 1e-1, 7)
    for p, c in [(1.0, 0.5), (2.0, 1 / 12), (4.0, 7.0)]:
        fit = fit_power_law(h, -c * h**p)
        assert fit.order == pytest.approx(p, rel=1e-12)
        assert fit.constant == pytest.approx(c, rel=1e-10)


def test_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        fit_power_law([0.1, 0.2], [1.0])
    with pytest.raises(ValueError, match="positive"):
        fit_power_law([0.1, -0.2], [1.0, 2.0])
    with pytest.raises(ValueError, match="nonzero"):
        fit_power_law([0.1, 0.2], [0.0, 2.0])
    with pytest.raises(ValueError, match="error must be finite"):
        fit_power_law([0.1, 0.2], [np.nan, 2.0])
