"""Tests for snnlib.deltas: exact integrals, shapes, convergence rates, composition."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from snnlib.convergence import fit_power_law
from snnlib.deltas import (
    FAMILIES,
    ORDER4,
    TruncationWarning,
    box,
    composed_pairing,
    crossing_density,
    find_zeros,
    gaussian,
    order4,
    smoothed_pairing,
    triangle,
    triangle_derivative,
    unit_box,
)
from snnlib.distributions import SpikeTrain, bump

KERNELS = [triangle, box, gaussian]
EPSILONS = [2.0**-k for k in range(3, 9)]  # 1/8 ... 1/256


def f(t):
    """A smooth test integrand with f(0) = 2, f'(0) = 0.7, f''(0) = -1.2, f'''(0) = 3.343."""
    return np.cos(1.3 * t) + 0.5 * t**3 + np.exp(0.7 * t)


F0, F1, F2, F3, F4 = 2.0, 0.7, -1.69 + 0.49, 6 * 0.5 + 0.343, 1.3**4 + 0.7**4
FOURTH_MOMENT = {"triangle": 1 / 15, "box": 1 / 80, "gaussian": 3.0}  # ∫ x⁴ K(x) dx


@pytest.mark.parametrize("name", sorted(FAMILIES))
@pytest.mark.parametrize("eps", [1e-3, 0.3, 7.0])
def test_kernels_integrate_to_one(name, eps):
    family = FAMILIES[name]
    h = family.half_width * eps
    kinks = [k * eps for k in family.kinks]
    total, _ = integrate.quad(lambda t: family.function(t, eps), -h, h, points=kinks or None,
                              epsabs=1e-14, epsrel=1e-12)
    assert total == pytest.approx(1.0, abs=1e-12)
    outside = np.array([-1.01 * h, 1.01 * h, -10 * h, 10 * h])
    assert np.all(family.function(outside, eps) < 1e-30 / eps)


@pytest.mark.parametrize("eps", [1e-3, 0.3, 7.0])
def test_triangle_derivative_integrates_to_zero_and_matches_slopes(eps):
    total, _ = integrate.quad(lambda t: triangle_derivative(t, eps), -eps, eps, points=[0.0])
    assert total == pytest.approx(0.0, abs=1e-14 / eps)
    t = np.array([-0.7, -0.2, 0.3, 0.9]) * eps
    np.testing.assert_array_equal(triangle_derivative(t, eps), -np.sign(t) / eps**2)
    kinks = np.array([-eps, 0.0, eps])
    np.testing.assert_allclose(triangle_derivative(kinks, eps), [0.5 / eps**2, 0.0, -0.5 / eps**2])
    assert np.all(triangle_derivative(np.array([-2 * eps, 2 * eps]), eps) == 0.0)


@settings(max_examples=50, deadline=None)
@given(t=st.floats(-50.0, 50.0), eps=st.floats(1e-3, 10.0))
def test_symmetry(t, eps):
    for kernel in KERNELS:
        assert kernel(t, eps) == kernel(-t, eps)
    assert triangle_derivative(t, eps) == -triangle_derivative(-t, eps)


def test_triangle_values_and_box_convention():
    np.testing.assert_allclose(triangle([0.0, 0.5, 1.0, 1.5], 1.0), [1.0, 0.5, 0.0, 0.0])
    np.testing.assert_array_equal(unit_box([-0.5, 0.5, 0.49, 0.51]), [0.5, 0.5, 1.0, 0.0])
    assert box(0.25, 0.5) == pytest.approx(1.0)  # edge: half of the height 2


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_convergence_rate_and_constant(name):
    """⟨δ_ε, f⟩ − f(0) = m₂ f″(0) ε²/2 + O(ε⁴): slope 2, constant m₂|f″(0)|/2."""
    eps = np.array(EPSILONS)
    err = np.array([smoothed_pairing(f, e, name) - F0 for e in eps])
    assert np.all(np.sign(err) == np.sign(F2))
    slope, constant = fit_power_law(eps, err)
    predicted = FAMILIES[name].second_moment * abs(F2) / 2
    assert slope == pytest.approx(2.0, abs=0.05)
    assert constant == pytest.approx(predicted, rel=0.02)
    # error / leading term = 1 + m₄ f⁗(0) ε² / (12 m₂ f″(0)) + O(ε⁴); allow 1.5x that term
    ratio = err / (predicted * np.sign(F2) * eps**2)
    next_term = FOURTH_MOMENT[name] * F4 / (12 * FAMILIES[name].second_moment * abs(F2))
    np.testing.assert_allclose(ratio, 1.0, rtol=0, atol=1.5 * next_term * eps[0] ** 2)


def test_derivative_convergence_rate_and_constant():
    """⟨Λ′_ε, f⟩ + f′(0) = −f‴(0) ε²/12 + O(ε⁴)."""
    eps = np.array(EPSILONS)
    err = np.array([smoothed_pairing(f, e, derivative=True) + F1 for e in eps])
    slope, constant = fit_power_law(eps, err)
    assert slope == pytest.approx(2.0, abs=0.05)
    assert constant == pytest.approx(F3 / 12, rel=0.02)
    assert np.all(err < 0)


def test_seed_derivative_form_does_not_converge_to_delta_prime():
    """The draft's Π(t/ε ± ε/2)/ε² pairs to f(−ε/2) − f(ε/2) → 0, not to −f′(0)."""
    for eps in (0.5, 0.1, 0.02):
        a, b = -eps / 2 - eps**2 / 2, eps / 2 + eps**2 / 2
        points = [-eps / 2 + eps**2 / 2, eps / 2 - eps**2 / 2]
        value, _ = integrate.quad(
            lambda t, e=eps: (unit_box(t / e + e / 2) - unit_box(t / e - e / 2)) / e**2 * f(t),
            a, b, points=points, epsabs=1e-14,
        )
        assert value == pytest.approx(-eps * F1, rel=0.1)


def test_find_zeros_exact_and_refined():
    zeros = find_zeros(np.sin, np.linspace(0.1, 20.0, 301))
    np.testing.assert_allclose(zeros, np.pi * np.arange(1, 7), rtol=0, atol=4e-15 * 20)
    # a zero exactly on a grid point, and a grazing zero that is not simple
    assert find_zeros(lambda t: t - 1.0, np.linspace(0.0, 2.0, 5)).tolist() == [1.0]
    assert find_zeros(lambda t: (t - 1.0) ** 2, np.linspace(0.0, 2.0, 6)).size == 0
    # three simple zeros on grid points; the triple zero of t³ (odd order) on and off the grid
    grid = np.linspace(-2.0, 2.0, 81)
    assert find_zeros(lambda t: t**3 - t, grid).tolist() == [-1.0, 0.0, 1.0]
    assert find_zeros(lambda t: t**3, grid).tolist() == [0.0]
    assert abs(find_zeros(lambda t: t**3, np.linspace(-2.0, 2.0, 80))).max() < 1e-100
    # zeros at the ends of the grid show no sign change and are not returned
    assert find_zeros(lambda t: t**3 - t, np.linspace(-1.0, 1.0, 41)).tolist() == [0.0]


def test_find_zeros_does_not_resolve_a_run_of_grid_zeros():
    """Out of contract, documented: consecutive grid points where g = 0 are below the grid's
    resolution. No zero of the run is returned, even the simple zero 0.25 across which g
    changes sign (signs −, 0, 0, +, +); a finer grid that separates the zeros finds it."""
    g = lambda t: (t - 0.25) * (t - 0.5) ** 2  # noqa: E731
    coarse = np.linspace(0.0, 1.0, 5)                  # 0.25 and 0.5 are neighbouring points
    assert np.sign(g(coarse)).tolist() == [-1.0, 0.0, 0.0, 1.0, 1.0]
    assert find_zeros(g, coarse).size == 0
    # a run of three grid zeros with a sign change across it: none is returned either
    cubic = lambda t: (t - 0.25) * (t - 0.5) * (t - 0.75)  # noqa: E731
    assert find_zeros(cubic, coarse).size == 0
    assert find_zeros(g, np.linspace(0.0, 1.0, 9)).tolist() == [0.25]


def trace(t):
    """The membrane-like trace of chapter 3 (threshold 1 on (0, 30) ms: four upward crossings)."""
    return 0.7 + 0.4 * np.sin(2 * np.pi * t / 12 - 0.8) + 0.22 * np.sin(2 * np.pi * t / 3.1)


def dtrace(t):
    return (0.4 * 2 * np.pi / 12 * np.cos(2 * np.pi * t / 12 - 0.8)
            + 0.22 * 2 * np.pi / 3.1 * np.cos(2 * np.pi * t / 3.1))


def triangle_cdf(u, eps):
    """F_ε(u) = ∫_{−∞}^u Λ_ε, the triangle's cumulative distribution function."""
    x = np.clip(u / eps, -1.0, 1.0)
    return np.where(x < 0, 0.5 * (1 + x) ** 2, 1 - 0.5 * (1 - x) ** 2)


def monotone_pieces(v, dv, span):
    """The lowest and highest value of v on each piece between consecutive extrema."""
    knots = np.concatenate([[span[0]], find_zeros(dv, np.linspace(*span, 30001)), [span[1]]])
    return np.minimum(v(knots[:-1]), v(knots[1:])), np.maximum(v(knots[:-1]), v(knots[1:]))


def test_composed_pairing_is_split_where_the_weight_has_a_kink():
    """|g'| has a kink at every extremum of g; with an extremum within ε of the level the
    quadrature must be split there. Reference: the co-area formula, which makes the smoothed
    count (Λ_ε * N_g)(c) = Σ over monotone pieces of F_ε(high − c) − F_ε(low − c), exactly.
    Without the split the error was 5.1e-7 at c = 0.55 (a trough at 0.5327 lies within ε)."""
    lows, highs = monotone_pieces(trace, dtrace, (0.0, 30.0))
    levels = np.linspace(0.2, 1.3, 221)  # N_g from the monotone pieces = the zeros found
    by_pieces = np.sum((lows[:, None] < levels) & (levels < highs[:, None]), axis=0)
    grid = np.linspace(0.0, 30.0, 30001)
    by_zeros = [find_zeros(lambda t, c=c: trace(t) - c, grid).size for c in levels]
    np.testing.assert_array_equal(by_pieces, by_zeros)
    for c in (0.5, 0.55, 1.0):
        exact = np.sum(triangle_cdf(highs - c, 0.05) - triangle_cdf(lows - c, 0.05))
        count = composed_pairing(lambda t, c=c: trace(t) - c, dtrace, np.ones_like, 0.05,
                                 (0.0, 30.0))
        assert abs(count - exact) < 1e-11


def cubic(t):
    return 0.1 * (t - 1.0) * (t - 3.0) * (t - 6.0)


def dcubic(t):
    return 0.1 * ((t - 3.0) * (t - 6.0) + (t - 1.0) * (t - 6.0) + (t - 1.0) * (t - 3.0))


ZEROS = np.array([1.0, 3.0, 6.0])  # slopes 1.0 (up), -0.6 (down), 1.5 (up)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_composition_identities(name):
    phi = np.cos
    slopes = dcubic(ZEROS)
    np.testing.assert_allclose(slopes, [1.0, -0.6, 1.5])
    eps = 1e-3
    # the O(ε²) error has a constant of order |φ''|/|g'|² ≤ 3 here; 1e-5 is generous.
    count = composed_pairing(cubic, dcubic, phi, eps, (0.0, 7.0), name, "both")
    assert count == pytest.approx(np.sum(phi(ZEROS)), abs=1e-5)
    plain = composed_pairing(cubic, dcubic, phi, eps, (0.0, 7.0), name, None)
    assert plain == pytest.approx(np.sum(phi(ZEROS) / np.abs(slopes)), abs=1e-5)
    up = composed_pairing(cubic, dcubic, phi, eps, (0.0, 7.0), name, "up")
    assert up == pytest.approx(phi(1.0) + phi(6.0), abs=1e-5)
    down = composed_pairing(cubic, dcubic, phi, eps, (0.0, 7.0), name, "down")
    assert down == pytest.approx(phi(3.0), abs=1e-5)


def test_composition_counts_every_crossing_once_whatever_the_speed():
    # g(t) = sin(ω t) has zeros at kπ/ω with |g'| = ω: the count does not depend on ω.
    for omega in (0.5, 2.0, 8.0):
        g = lambda t, w=omega: np.sin(w * t)  # noqa: E731
        dg = lambda t, w=omega: w * np.cos(w * t)  # noqa: E731
        span = (0.1 / omega, (6 * np.pi + 0.1) / omega)  # zeros kπ/ω, k = 1..6
        count = composed_pairing(g, dg, np.ones_like, 1e-3, span, "triangle", "both")
        assert count == pytest.approx(6.0, abs=1e-12)


def test_composition_error_is_second_order():
    eps = np.array([0.1, 0.05, 0.025, 0.0125])
    exact = np.sum(np.cos(ZEROS))
    err = [composed_pairing(cubic, dcubic, np.cos, e, (0.0, 7.0)) - exact for e in eps]
    slope, _ = fit_power_law(eps, err)
    assert slope == pytest.approx(2.0, abs=0.05)


# --- chapter 3's checks of the error terms and of the co-area formula ---------------------
# Chapter 3 states these results and points to book/checks.md, which lists the bounds.


def pulled_back_derivative(f, dg, t0, order, h):
    """ψ⁽ⁿ⁾(0) of ψ(u) = f(t(u)), u = g(t), at the zeros t0: d/du = (1/g′) d/dt applied n times
    by central differences of step h."""
    def d(f):
        return lambda t: (f(t + h) - f(t - h)) / (2 * h) / dg(t)
    for _ in range(order):
        f = d(f)
    return f(t0)


M2, M4 = 1 / 6, 1 / 15  # the triangle's ∫x²Λ and ∫x⁴Λ


def test_composition_error_is_the_taylor_term_sign_included():
    """Both forms, ⟨δ_ε(g), φ⟩ → Σφ/|g′| and ⟨δ_ε(g)|g′|, φ⟩ → Σφ, on chapter 3's five traces at
    ε = 10⁻³: the signed error is ½m₂ε²Σᵢψᵢ″(0) to 10⁻¹⁰, which covers the O(ε⁴) term (at most
    1.4·10⁻¹²) and the quadrature (its error estimates stay below 4·10⁻¹³); measured 1.3·10⁻¹².
    The box kernel (m₂ = 1/12) misses by 4.4·10⁻⁷, the order-4 kernel (m₂ = 0) by 8.8·10⁻⁷."""
    cases = [(lambda t: 2 * t - 1, lambda t: np.full_like(t, 2.0), (0.0, 1.0)),
             (cubic, dcubic, (0.0, 7.0))]
    for omega in (0.5, 2.0, 8.0):
        cases.append((lambda t, w=omega: np.sin(w * t), lambda t, w=omega: w * np.cos(w * t),
                      (0.1, 6 * np.pi + 0.1)))
    eps, residuals = 1e-3, []
    for g, dg, (a, b) in cases:
        phi = bump(0.5 * (a + b), 0.6 * (b - a))
        zeros = find_zeros(g, np.linspace(a, b, 4001))
        plain = composed_pairing(g, dg, phi, eps, (a, b), direction=None)
        counted = composed_pairing(g, dg, phi, eps, (a, b), direction="both")
        weighted = lambda t, phi=phi, dg=dg: phi(t) / np.abs(dg(t))  # noqa: E731
        for error, f in ((plain - np.sum(weighted(zeros)), weighted),
                         (counted - np.sum(phi(zeros)), phi)):
            predicted = 0.5 * M2 * eps**2 * np.sum(pulled_back_derivative(f, dg, zeros, 2, 1e-4))
            residuals.append(error - predicted)
    assert len(residuals) == 10
    assert np.max(np.abs(residuals)) < 1e-10


def test_upward_count_of_the_trace_is_the_taylor_series():
    """⟨δ_ε(v − ϑ)max(v̇, 0), φ⟩ − ⟨s, φ⟩ at ε = 10⁻³ for chapter 3's trace (ϑ = 1) and three
    bumps, against ½m₂ε²Σψ″ + (m₄/24)ε⁴Σψ⁗ over the upward crossings: residual below 10⁻¹² (the
    quadrature), measured 1.3·10⁻¹³. The ε⁴ term reaches −5.1·10⁻¹¹ for bump(5, 3), whose
    crossings are slow (v̇ = 0.59, 0.25), so the ε² term alone would fail. ψ⁗ by four nested
    central differences, h = 2.5·10⁻³ (an O(h²) error of about 10⁻⁴ relative)."""
    span, eps = (0.0, 30.0), 1e-3

    def g_theta(t):
        return trace(t) - 1.0

    crossings = find_zeros(g_theta, np.linspace(*span, 6001))
    spikes = SpikeTrain(crossings[dtrace(crossings) > 0])
    assert spikes.times.size == 4
    residuals = []
    for center, width in [(5.0, 3.0), (16.0, 4.0), (24.0, 8.0)]:
        phi = bump(center, width)
        smoothed = composed_pairing(g_theta, dtrace, phi, eps, span, direction="up")
        second = 0.5 * M2 * eps**2 * np.sum(
            pulled_back_derivative(phi, dtrace, spikes.times, 2, 1e-4))
        fourth = M4 / 24 * eps**4 * np.sum(
            pulled_back_derivative(phi, dtrace, spikes.times, 4, 2.5e-3))
        residuals.append(smoothed - spikes.pair(phi) - second - fourth)
    assert np.max(np.abs(residuals)) < 1e-12


def test_smoothed_count_is_the_convolved_level_count():
    """The co-area formula for chapter 3's trace on (0, 30): the smoothed count at 31 thresholds
    in [0.35, 1.1] equals (Λ_ε * N_g)(ϑ) = Σ over monotone pieces of F_ε(high − ϑ) − F_ε(low − ϑ),
    ε = 0.05, to the accuracy asked of the quadrature: absolute 10⁻¹³·(b − a)·max|integrand|
    (max|integrand| ≤ max|v′|/ε) or relative 10⁻¹² of the count, whichever is larger
    (3.9·10⁻¹¹); measured 3.9·10⁻¹⁴. Without the split where v′ = 0: 6.6·10⁻⁶."""
    span, eps = (0.0, 30.0), 0.05
    lows, highs = monotone_pieces(trace, dtrace, span)
    thresholds = np.round(np.linspace(0.35, 1.1, 31), 3)  # spacing ε/2
    smoothed = np.array([composed_pairing(lambda t, c=c: trace(t) - c, dtrace, np.ones_like,
                                          eps, span) for c in thresholds])
    convolved = np.array([np.sum(triangle_cdf(highs - c, eps) - triangle_cdf(lows - c, eps))
                          for c in thresholds])
    top = (span[1] - span[0]) * np.abs(dtrace(np.linspace(*span, 30001))).max() / eps
    bound = max(1e-13 * top, 1e-12 * smoothed.max())
    assert np.max(np.abs(smoothed - convolved)) < bound


def test_crossing_density_directions():
    g = np.array([0.0, 0.0, 0.2])
    dg = np.array([3.0, -3.0, 3.0])
    np.testing.assert_allclose(crossing_density(g, dg, 0.1), [30.0, 30.0, 0.0])
    np.testing.assert_allclose(crossing_density(g, dg, 0.1, direction="up"), [30.0, 0.0, 0.0])
    np.testing.assert_allclose(crossing_density(g, dg, 0.1, direction="down"), [0.0, 30.0, 0.0])


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("kernel", [*KERNELS, triangle_derivative])
def test_bad_eps_and_nan(kernel):
    for eps in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="eps"):
            kernel(0.0, eps)
    with pytest.raises(ValueError, match="t must be finite"):
        kernel([0.0, np.nan], 1.0)
    with pytest.raises(TypeError, match="eps must be a real number"):
        kernel(0.0, "1")


def test_bad_arguments_of_helpers():
    with pytest.raises(ValueError, match="kernel must be one of"):
        smoothed_pairing(np.cos, 0.1, kernel="lorentzian")
    with pytest.raises(ValueError, match="derivative=True needs kernel 'triangle'"):
        smoothed_pairing(np.cos, 0.1, kernel="box", derivative=True)
    with pytest.raises(TypeError, match="f must be callable"):
        smoothed_pairing(1.0, 0.1)
    with pytest.raises(ValueError, match="direction must be"):
        crossing_density([0.0], [1.0], 0.1, direction="sideways")
    with pytest.raises(ValueError, match="dg must have the shape"):
        crossing_density([0.0, 1.0], [1.0], 0.1)
    with pytest.raises(ValueError, match="strictly increasing"):
        find_zeros(np.sin, [1.0, 0.0])
    with pytest.raises(ValueError, match="t_span"):
        composed_pairing(np.sin, np.cos, np.cos, 0.1, (1.0, 0.0))


def test_gaussian_truncation_warns_when_the_tail_matters():
    def quartic(t):
        return np.exp(t**4)

    with pytest.warns(TruncationWarning, match="12 eps = 3.6"):
        smoothed_pairing(quartic, 0.3, "gaussian")
    with pytest.warns(TruncationWarning, match="not finite"):
        smoothed_pairing(lambda t: np.inf if abs(t) > 1.5 else 1.0, 0.1, "gaussian")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # exponential growth is fine, and so is the compactly supported triangle
        assert abs(smoothed_pairing(np.exp, 0.1, "gaussian") - np.exp(0.005)) < 1e-12
        smoothed_pairing(quartic, 0.3, "triangle")
        # the documented limitation: the probe cannot see growth beyond 32 eps
        smoothed_pairing(quartic, 0.1, "gaussian")


def test_order4_kernel_moments_and_order():
    x = np.linspace(-1.0, 1.0, 200001)
    k = order4(x, 1.0)
    moments = [np.trapezoid(x**j * k, x) for j in (0, 2, 4)]
    assert np.allclose(moments, [1.0, 0.0, -3.0 / 35.0], atol=1e-5)  # edges jump: O(h)
    assert order4(np.array([-1.0, 1.0, 1.0 + 1e-15]), 1.0).tolist() == [-0.75, -0.75, 0.0]
    eps = np.array([0.4, 0.2, 0.1])
    err = np.array([smoothed_pairing(np.cos, e, ORDER4) - 1.0 for e in eps])
    assert np.allclose(err / (-(eps**4) / 280), 1.0, atol=0.01)


def test_truncation_warning_states_the_growth_condition():
    """f = e^(12t) grows only exponentially, yet at ε = 1 the cut at 12ε removes half of the
    pairing e^(A²ε²/2): the warning names the condition Aε ≤ 1, not exponential growth alone."""
    with pytest.warns(TruncationWarning, match="A eps <= 1") as record:
        value = smoothed_pairing(lambda t: np.exp(12.0 * t), 1.0, "gaussian")
    assert np.isclose(value, 0.5 * np.exp(72.0), rtol=1e-6)
    assert "exponential growth guarantees" not in str(record[0].message)
