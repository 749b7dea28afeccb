"""Tests for snnlib.distributions: exact pairings, derivative rules and bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snnlib.distributions import (
    Dirac,
    Regular,
    SpikeTrain,
    TestFunction,
    bump,
    heaviside,
    pair,
)

# The quadrature in Regular.pair is asked for 1e-13 absolute / 1e-12 relative accuracy;
# pairings below are O(1), so 1e-10 leaves two orders of magnitude of headroom.
QUAD_TOL = 1e-10

centers = st.floats(-5.0, 5.0)
widths = st.floats(0.05, 5.0)


def test_bump_values_and_support():
    phi = bump(center=1.0, width=0.5, height=3.0)
    assert phi.support == (0.5, 1.5)
    assert float(phi(1.0)) == 3.0
    t = np.array([0.5, 1.5, -10.0, 10.0])
    np.testing.assert_array_equal(phi(t), 0.0)
    for k in range(1, 6):
        np.testing.assert_array_equal(phi.derivative(k)(t), 0.0)


def test_bump_integral_known_constant():
    # ∫_{-1}^{1} exp(-1/(1-x²)) dx = 0.443993816168079... (a classical constant);
    # the normalised bump carries an extra factor e.
    assert pair(lambda t: 1.0, bump()) == pytest.approx(math.e * 0.443993816168079, rel=1e-12)


@pytest.mark.parametrize("k", range(6))
def test_bump_derivatives_match_central_differences(k):
    phi = bump(center=0.3, width=1.7, height=-2.0)
    t = np.linspace(-1.3, 1.9, 41)
    h = 1e-5
    numeric = (phi.derivative(k)(t + h) - phi.derivative(k)(t - h)) / (2 * h)
    exact = phi.derivative(k + 1)(t)
    # central difference error ≈ h² |φ^{(k+3)}| / 6 plus rounding ε|φ^{(k)}|/h
    scale = np.max(np.abs(exact))
    np.testing.assert_allclose(numeric, exact, atol=1e-6 * scale * (k + 1) ** 2)


def test_bump_high_order_derivative_is_finite_near_edge():
    x = np.array([-0.999999, 0.999999, 0.99])
    values = bump().derivative(8)(x)
    assert np.all(np.isfinite(values))


@pytest.mark.parametrize(("n", "low", "high"), [(3, 0.0, 1e-14), (5, 1e-13, 2e-12),
                                                (6, 1e-12, 3e-11), (8, 1e-9, 2e-8),
                                                (12, 1e-3, 2e-2)])
def test_bump_derivative_rounding_grows_with_the_order(n, low, high):
    """The accuracy the docstring states: p_n evaluated exactly (rational arithmetic at the
    double x; its integer coefficients are exact) against the float evaluation, relative to
    max|ψ⁽ⁿ⁾| on [0, 0.995], densely near the edge where the terms of p_n cancel."""
    from fractions import Fraction

    from snnlib.distributions import _bump_polynomial
    x = np.union1d(np.linspace(0.0, 0.995, 101), np.linspace(0.9, 0.995, 1901))
    p = _bump_polynomial(n)
    coefficients = [Fraction(int(c)) for c in p.coef]
    assert all(float(c) == v for c, v in zip(coefficients, p.coef, strict=True))
    exact = np.array([float(sum(c * Fraction(float(v)) ** k for k, c in enumerate(coefficients)))
                      for v in x])
    factor = np.exp(1.0 - 1.0 / (1.0 - x**2) - 2 * n * np.log(1.0 - x**2))
    value = exact * factor
    error = np.max(np.abs(bump().derivative(n)(x) - value)) / np.max(np.abs(value))
    assert low <= error < high


@settings(max_examples=50, deadline=None)
@given(center=centers, width=widths, t0=st.floats(-5.0, 5.0))
def test_heaviside_derivative_is_dirac(center, width, t0):
    phi = bump(center, width)
    assert heaviside(t0).derivative().pair(phi) == pytest.approx(
        Dirac(t0).pair(phi), abs=QUAD_TOL
    )


@settings(max_examples=30, deadline=None)
@given(center=centers, width=widths, t0=st.floats(-5.0, 5.0))
def test_second_derivative_of_heaviside_is_delta_prime(center, width, t0):
    phi = bump(center, width)
    lhs = heaviside(t0).derivative(2).pair(phi)
    rhs = -float(phi.derivative()(t0))
    assert lhs == pytest.approx(rhs, abs=QUAD_TOL * max(1.0, abs(rhs)))
    assert Dirac(t0).derivative().pair(phi) == rhs


def test_derivative_orders_compose():
    phi = bump(0.2, 1.1)
    d = Dirac(0.4, weight=2.5)
    assert d.derivative(1).derivative(2).pair(phi) == d.derivative(3).pair(phi)
    assert d.derivative(3).pair(phi) == pytest.approx(-2.5 * float(phi.derivative(3)(0.4)))
    assert d.derivative(3).order == 3


def test_spike_train_pairing_is_weighted_sum():
    rng = np.random.default_rng(0)
    times = np.sort(rng.uniform(0, 10, 20))
    weights = rng.normal(size=20)
    phi = bump(5.0, 3.0)
    s = SpikeTrain(times, weights)
    assert s.pair(phi) == pytest.approx(np.sum(weights * phi(times)), rel=1e-14)
    expected = -np.sum(weights * phi.derivative()(times))
    assert s.derivative().pair(phi) == pytest.approx(expected, rel=1e-14)


@settings(max_examples=30, deadline=None)
@given(
    times=st.lists(st.floats(0.0, 10.0), min_size=0, max_size=8).map(sorted),
    center=st.floats(0.0, 10.0),
    width=st.floats(0.3, 5.0),
)
def test_spike_train_is_derivative_of_counting_function(times, center, width):
    weights = np.linspace(-1.0, 2.0, len(times))
    s = SpikeTrain(times, weights)
    N = s.counting_function()
    phi = bump(center, width)
    assert N.derivative().pair(phi) == pytest.approx(s.pair(phi), abs=QUAD_TOL * (1 + len(times)))
    assert N.derivative(2).pair(phi) == pytest.approx(
        s.derivative().pair(phi), abs=QUAD_TOL * (1 + len(times)) / width
    )


def test_regular_pairing_against_closed_form():
    # ⟨cos, ψ⟩ = ∫ cos(x) ψ(x) dx; symmetric, so ⟨sin, ψ⟩ = 0 and ⟨|t|″, φ⟩ = 2 φ(0).
    phi = bump(0.0, 1.0)
    assert pair(np.sin, phi) == pytest.approx(0.0, abs=QUAD_TOL)
    abs_t = Regular(abs, points=(0.0,))
    for c in (-0.3, 0.0, 0.7):
        phi = bump(c, 1.2)
        assert abs_t.derivative(2).pair(phi) == pytest.approx(2 * float(phi(0.0)), abs=QUAD_TOL)


def test_linear_combinations():
    phi = bump(0.5, 2.0)
    eta = 2.0 * Dirac(0.0) - Dirac(1.0) + heaviside(0.2)
    expected = 2 * float(phi(0.0)) - float(phi(1.0)) + pair(heaviside(0.2), phi)
    assert eta.pair(phi) == pytest.approx(expected, rel=1e-13)
    assert eta.derivative().pair(phi) == pytest.approx(
        -2 * float(phi.derivative()(0.0)) + float(phi.derivative()(1.0)) + float(phi(0.2)),
        abs=QUAD_TOL,
    )
    assert (-eta).pair(phi) == pytest.approx(-expected, rel=1e-13)


def test_from_callables_and_missing_derivative():
    phi = TestFunction.from_callables([np.cos, lambda t: -np.sin(t)], (-1.0, 1.0))
    assert float(phi.derivative()(0.5)) == pytest.approx(-math.sin(0.5))
    with pytest.raises(ValueError, match="order 2"):
        Dirac(0.0).derivative(2).pair(phi)


def test_empty_spike_train_pairs_to_zero():
    assert SpikeTrain([]).pair(bump()) == 0.0
    assert len(SpikeTrain([])) == 0


# --- bad input -------------------------------------------------------------------------


def test_non_callable_test_function_rejected():
    with pytest.raises(TypeError, match=r"functions\[1\] must be callable"):
        TestFunction.from_callables([np.sin, 3.0], (0.0, 1.0))
    with pytest.raises(TypeError, match="sequence"):
        TestFunction.from_callables(np.sin, (0.0, 1.0))
    with pytest.raises(TypeError, match="phi must be a TestFunction"):
        Dirac().pair(np.sin)
    with pytest.raises(TypeError, match="function must be callable"):
        Regular(1.0)
    with pytest.raises(TypeError, match="eta must be a Distribution or a callable"):
        pair(1.0, bump())


@pytest.mark.parametrize(
    ("times", "weights", "match"),
    [
        ([0.0, np.nan], None, "times must be finite"),
        ([0.0, np.inf], None, "times must be finite"),
        ([1.0, 0.0], None, "sorted"),
        ([0.0, 1.0], [1.0], "weights must have the shape"),
        ([0.0, 1.0], [1.0, np.nan], "weights must be finite"),
        ([[0.0, 1.0]], None, "times must have 1 dimension"),
    ],
)
def test_bad_spike_trains(times, weights, match):
    with pytest.raises(ValueError, match=match):
        SpikeTrain(times, weights)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"width": 0.0}, ValueError, "width must be > 0"),
        ({"width": -1.0}, ValueError, "width must be > 0"),
        ({"center": np.nan}, ValueError, "center must be finite"),
        ({"height": "1"}, TypeError, "height must be a real number"),
    ],
)
def test_bad_bump(kwargs, error, match):
    with pytest.raises(error, match=match):
        bump(**kwargs)


def test_bad_orders_and_support():
    with pytest.raises(ValueError, match="non-negative"):
        Dirac().derivative(-1)
    with pytest.raises(TypeError, match="non-negative integer"):
        bump().derivative(1.5)
    with pytest.raises(ValueError, match="a < b"):
        TestFunction.from_callables([np.sin], (1.0, 0.0))
    with pytest.raises(ValueError, match="t0 must be finite"):
        Dirac(np.nan)


def test_nan_from_regular_function_is_an_error():
    with pytest.raises((ValueError, RuntimeError)):
        pair(lambda t: math.nan, bump())
