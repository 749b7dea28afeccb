"""Tests for snnlib.sampling against straightforward reference loops and exact searches."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snnlib.sampling import (
    alexiewicz_norm,
    if_reconstruct,
    integrate_and_fire,
    send_on_delta,
    sod_reconstruct,
    sparsest_quantization,
)

# Dyadic samples (multiples of 1/8, |x| ≤ 4) keep every partial sum exact in float64, so the
# vectorized kernels and the reference loops must agree exactly, ties included.
dyadic = st.lists(st.integers(-32, 32), min_size=0, max_size=60).map(
    lambda v: np.array(v, dtype=np.float64) / 8
)
real_signals = st.lists(st.floats(-5.0, 5.0, allow_subnormal=False), min_size=1, max_size=80).map(
    np.array
)
thresholds = st.sampled_from([0.25, 0.5, 1.0, 2.0])


def reference_if(x, threshold, dt=1.0, reset="mod", leak=0.0):
    """Two-sided IF, one sample at a time, exactly as the book defines it."""
    u, out = 0.0, []
    for xn in x:
        u = np.exp(-leak * dt) * u + xn * dt
        s = 0.0
        if abs(u) >= threshold:
            if reset == "mod":
                s = np.trunc(u / threshold) * threshold
                u -= s
            elif reset == "subtract":
                s = np.sign(u) * threshold
                u -= s
            else:
                s = np.sign(u) * threshold
                u = 0.0
        out.append(s)
    return np.array(out)


def reference_norm(a, leak=0.0, dt=1.0):
    """max_n |Σ_{k≤n} e^{−α(t_n − t_k)} a_k dt| by the definition (quadratic, for testing)."""
    best = 0.0
    for n in range(len(a)):
        weights = np.exp(-leak * dt * (n - np.arange(n + 1)))
        best = max(best, abs(np.sum(weights * a[: n + 1]) * dt))
    return best


def reference_sod_last_value(x, delta):
    ref, out = x[0], [0.0]
    for xn in x[1:]:
        if abs(xn - ref) >= delta:
            out.append(xn - ref)
            ref = xn
        else:
            out.append(0.0)
    return np.array(out)


# --- the norm ----------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(x=real_signals, leak=st.sampled_from([0.0, 0.05, 0.7]), dt=st.sampled_from([1.0, 0.1]))
def test_norm_matches_definition(x, leak, dt):
    assert alexiewicz_norm(x, dt=dt, leak=leak) == pytest.approx(
        reference_norm(x, leak, dt), rel=1e-12, abs=1e-12
    )


def test_norm_properties():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(2, 500))
    assert alexiewicz_norm(x + y) <= alexiewicz_norm(x) + alexiewicz_norm(y) + 1e-12
    assert alexiewicz_norm(-3 * x) == pytest.approx(3 * alexiewicz_norm(x))
    assert alexiewicz_norm(np.zeros(10)) == 0.0
    # a leak can only shrink each partial sum of a one-signed signal
    assert alexiewicz_norm(np.abs(x), leak=0.1) < alexiewicz_norm(np.abs(x))
    assert alexiewicz_norm(np.array([])) == 0.0


def test_norm_batching_and_axis():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 4, 50))
    expected = np.array([[reference_norm(x[i, j]) for j in range(4)] for i in range(3)])
    np.testing.assert_allclose(alexiewicz_norm(x), expected, rtol=1e-12)
    np.testing.assert_allclose(alexiewicz_norm(np.moveaxis(x, -1, 0), axis=0), expected, rtol=1e-12)


# --- integrate-and-fire ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(x=dyadic, threshold=thresholds, reset=st.sampled_from(["mod", "subtract", "zero"]))
def test_if_matches_reference_loop_exactly(x, threshold, reset):
    np.testing.assert_array_equal(
        integrate_and_fire(x, threshold, reset=reset), reference_if(x, threshold, reset=reset)
    )


@settings(max_examples=100, deadline=None)
@given(x=real_signals, threshold=thresholds, reset=st.sampled_from(["mod", "subtract", "zero"]),
       leak=st.sampled_from([0.0, 0.2]), dt=st.sampled_from([1.0, 0.5]))
def test_if_matches_reference_loop_on_real_signals(x, threshold, reset, leak, dt):
    fast = integrate_and_fire(x, threshold, dt=dt, reset=reset, leak=leak)
    slow = reference_if(x, threshold, dt=dt, reset=reset, leak=leak)
    # Away from exact ties the two agree exactly; a tie decided differently by rounding moves
    # one unit spike by one sample, which changes the partial sums by at most ϑ, never more.
    if not np.array_equal(fast, slow):
        assert np.max(np.abs(np.cumsum(fast) - np.cumsum(slow))) <= threshold


@settings(max_examples=300, deadline=None)
@given(x=real_signals, threshold=thresholds, dt=st.sampled_from([1.0, 0.3]))
def test_quantization_bound_reset_to_mod(x, threshold, dt):
    """‖x dt − IF(x)‖_A < ϑ, up to the rounding of the partial sums."""
    spikes = integrate_and_fire(x, threshold, dt=dt)
    assert np.all(np.abs(spikes / threshold - np.round(spikes / threshold)) == 0)
    error = alexiewicz_norm(x * dt - spikes)
    rounding = 4 * np.finfo(float).eps * (np.sum(np.abs(x)) * dt + threshold) * len(x)
    assert error < threshold + rounding


@settings(max_examples=100, deadline=None)
@given(x=real_signals, threshold=thresholds, leak=st.sampled_from([0.05, 0.5]))
def test_leaky_quantization_bound(x, threshold, leak):
    spikes = integrate_and_fire(x, threshold, leak=leak)
    assert alexiewicz_norm(x - spikes, leak=leak) < threshold * (1 + 1e-9)


def test_subtract_violates_bound_when_one_sample_exceeds_threshold():
    x = np.array([0.9, 1.5, 0.0, 0.0])  # u = 0.9, then 2.4: one spike of 1, residual 1.4
    spikes = integrate_and_fire(x, 1.0, reset="subtract")
    assert alexiewicz_norm(x - spikes) == pytest.approx(1.4)
    assert alexiewicz_norm(x - integrate_and_fire(x, 1.0)) < 1.0
    # with every sample below ϑ, subtraction and mod agree
    rng = np.random.default_rng(3)
    small = rng.uniform(-0.99, 0.99, size=2000)
    np.testing.assert_array_equal(
        integrate_and_fire(small, 1.0, reset="subtract"), integrate_and_fire(small, 1.0)
    )


def test_reset_to_zero_drifts():
    x = np.full(1000, 0.7)  # every second sample fires and throws away 0.4
    error = np.cumsum(x - integrate_and_fire(x, 1.0, reset="zero"))
    assert error[-1] == pytest.approx(0.4 * 500, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(f=real_signals, g=real_signals, threshold=thresholds)
def test_quasi_isometry(f, g, threshold):
    n = min(len(f), len(g))
    f, g = f[:n], g[:n]
    distance = alexiewicz_norm(g - f)
    spikes = alexiewicz_norm(integrate_and_fire(g, threshold) - integrate_and_fire(f, threshold))
    tol = 1e-9 * (1 + np.sum(np.abs(f)) + np.sum(np.abs(g)))
    assert distance - 2 * threshold - tol <= spikes <= distance + 2 * threshold + tol


def _brute_force_sparsest(x, threshold, max_amp=3):
    best = np.inf
    for amps in itertools.product(range(-max_amp, max_amp + 1), repeat=len(x)):
        s = np.array(amps, dtype=float) * threshold
        if alexiewicz_norm(x - s) < threshold:
            best = min(best, np.sum(np.abs(amps)))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_maximum_sparsity_against_exhaustive_search(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.5, 2.5, size=5)
    count_if = np.sum(np.abs(integrate_and_fire(x, 1.0)))
    count_dp = np.sum(np.abs(sparsest_quantization(x, 1.0)))
    assert count_if == count_dp == _brute_force_sparsest(x, 1.0)


@settings(max_examples=100, deadline=None)
@given(x=real_signals, threshold=thresholds)
def test_maximum_sparsity_against_dynamic_programming(x, threshold):
    spikes = integrate_and_fire(x, threshold)
    best = sparsest_quantization(x, threshold)
    assert alexiewicz_norm(x - best) < threshold * (1 + 1e-9)
    assert np.sum(np.abs(spikes)) <= np.sum(np.abs(best)) + 1e-9 * threshold


@settings(max_examples=100, deadline=None)
@given(x=st.lists(st.floats(0.0, 5.0), min_size=1, max_size=80).map(np.array),
       threshold=thresholds)
def test_count_for_nonnegative_signals(x, threshold):
    spikes = integrate_and_fire(x, threshold)
    assert np.all(spikes >= 0)
    total = np.sum(x) / threshold
    # ⌊∫f/ϑ⌋, with the rounding of the sum allowed at an exact integer
    assert np.sum(spikes) / threshold in {np.floor(total), np.floor(total * (1 - 1e-12))}


def test_if_batching_equals_single_runs():
    rng = np.random.default_rng(4)
    x = rng.normal(scale=0.8, size=(3, 5, 200))
    for reset, leak in [("mod", 0.0), ("mod", 0.1), ("subtract", 0.0), ("zero", 0.0)]:
        batch = integrate_and_fire(x, 0.7, reset=reset, leak=leak)
        single = np.stack([[integrate_and_fire(x[i, j], 0.7, reset=reset, leak=leak)
                            for j in range(5)] for i in range(3)])
        np.testing.assert_array_equal(batch, single)
        moved = integrate_and_fire(np.moveaxis(x, -1, 1), 0.7, reset=reset, leak=leak, axis=1)
        np.testing.assert_array_equal(np.moveaxis(moved, 1, -1), batch)


def test_empty_time_axis():
    assert integrate_and_fire(np.zeros((3, 0)), 1.0).shape == (3, 0)
    assert send_on_delta(np.zeros((2, 0)), 1.0).shape == (2, 0)
    assert np.asarray(alexiewicz_norm(np.zeros((2, 0)))).shape == (2,)


# --- send-on-delta ------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(x=dyadic.filter(lambda v: len(v) > 0), delta=thresholds)
def test_sod_equals_if_of_increments(x, delta):
    increments = np.diff(x, prepend=x[0])
    np.testing.assert_array_equal(send_on_delta(x, delta), integrate_and_fire(increments, delta))


@settings(max_examples=200, deadline=None)
@given(x=real_signals, delta=thresholds)
def test_sod_reconstruction_within_delta(x, delta):
    events = send_on_delta(x, delta)
    assert np.all(np.abs(events / delta - np.round(events / delta)) == 0)
    rebuilt = sod_reconstruct(events, x[0])
    assert np.max(np.abs(x - rebuilt)) < delta * (1 + 1e-12) + 1e-12


@settings(max_examples=100, deadline=None)
@given(x=real_signals, delta=thresholds)
def test_sod_last_value_matches_reference(x, delta):
    events = send_on_delta(x, delta, reference="last_value")
    np.testing.assert_array_equal(events, reference_sod_last_value(x, delta))
    rebuilt = sod_reconstruct(events, x[0])
    assert np.max(np.abs(x - rebuilt)) < delta * (1 + 1e-12) + 1e-12


def test_sod_batching():
    rng = np.random.default_rng(5)
    x = np.cumsum(rng.normal(size=(4, 300)), axis=-1)
    for reference in ("lattice", "last_value"):
        batch = send_on_delta(x, 0.5, reference)
        single = np.stack([send_on_delta(row, 0.5, reference) for row in x])
        np.testing.assert_array_equal(batch, single)
    rebuilt = sod_reconstruct(send_on_delta(x, 0.5), x[:, 0])
    assert np.max(np.abs(rebuilt - x)) < 0.5


def test_reconstructions():
    np.testing.assert_allclose(sod_reconstruct([0.0, 1.0, 0.0, -1.0], 2.0, method="linear"),
                               [2.0, 3.0, 2.5, 2.0])
    spikes = np.zeros(21)
    spikes[10] = 3.0
    smooth = if_reconstruct(spikes, dt=0.5, width=4)
    assert np.sum(smooth) * 0.5 == pytest.approx(3.0)
    assert np.argmax(smooth) == 10
    np.testing.assert_array_equal(if_reconstruct(spikes, dt=0.5), spikes / 0.5)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: integrate_and_fire([0.0, np.nan], 1.0), ValueError, "x must be finite"),
        (lambda: integrate_and_fire([0.0, np.inf], 1.0), ValueError, "x must be finite"),
        (lambda: integrate_and_fire([0.0], 0.0), ValueError, "threshold must be > 0"),
        (lambda: integrate_and_fire([0.0], -1.0), ValueError, "threshold must be > 0"),
        (lambda: integrate_and_fire([0.0], 1.0, dt=0.0), ValueError, "dt must be > 0"),
        (lambda: integrate_and_fire([0.0], 1.0, leak=-0.1), ValueError, "leak must be >= 0"),
        (lambda: integrate_and_fire([0.0], 1.0, reset="half"), ValueError, "reset must be one"),
        (lambda: integrate_and_fire(1.0, 1.0), ValueError, "time"),
        (lambda: integrate_and_fire([[0.0]], 1.0, axis=2), ValueError, "axis 2 is out of range"),
        (lambda: integrate_and_fire(["a"], 1.0), TypeError, "x must be an array"),
        (lambda: send_on_delta([0.0, 1.0], 0.0), ValueError, "delta must be > 0"),
        (lambda: send_on_delta([0.0, 1.0], 1.0, "median"), ValueError, "reference must be"),
        (lambda: send_on_delta([0.0, np.nan], 1.0), ValueError, "x must be finite"),
        (lambda: alexiewicz_norm([0.0], dt=-1.0), ValueError, "dt must be > 0"),
        (lambda: alexiewicz_norm([0.0], leak=-1.0), ValueError, "leak must be >= 0"),
        (lambda: alexiewicz_norm([np.nan]), ValueError, "x must be finite"),
        (lambda: sod_reconstruct([0.0], 0.0, method="cubic"), ValueError, "method must be"),
        (lambda: sod_reconstruct(np.zeros((2, 3)), [1.0, 2.0, 3.0]), ValueError, "x0 must be"),
        (lambda: if_reconstruct([0.0], width=-1), ValueError, "width must be"),
        (lambda: sparsest_quantization([[0.0]], 1.0), ValueError, "x must have 1 dimension"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


@settings(max_examples=200, deadline=None)
@given(x=real_signals, delta=thresholds)
def test_event_mass_bounded_by_total_variation(x, delta):
    """Σ|e_n|/Δ ≤ TV(x)/Δ for lattice SOD, and Σ|s_n|/ϑ ≤ Σ|x_n|/ϑ for IF (chapter 9)."""
    tv = np.sum(np.abs(np.diff(x)))
    assert np.sum(np.abs(send_on_delta(x, delta))) <= tv * (1 + 1e-12) + 1e-9
    assert np.sum(np.abs(integrate_and_fire(x, delta))) <= np.sum(np.abs(x)) * (1 + 1e-12) + 1e-9


@pytest.mark.parametrize("reset", ["mod", "subtract", "zero"])
@pytest.mark.parametrize("seed", range(3))
def test_sparse_inputs_take_the_spike_by_spike_search(reset, seed):
    # Σ|x|/ϑ ≤ N/32 selects the search from spike to spike; dyadic values make it exact
    rng = np.random.default_rng(seed)
    x = np.zeros((3, 4000))
    positions = rng.choice(4000, size=(3, 40))
    for row in range(3):
        x[row, positions[row]] = rng.integers(-24, 25, size=40) / 8.0
    x[1, :] += rng.integers(-1, 2, size=4000) / 64.0  # a dense but small background
    assert np.sum(np.abs(x), axis=1).max() / 2.0 * 32 <= 4000
    got = integrate_and_fire(x, 2.0, reset=reset)
    assert np.count_nonzero(got) > 10
    for row in range(3):
        np.testing.assert_array_equal(got[row], reference_if(x[row], 2.0, reset=reset))


@pytest.mark.parametrize("reset", ["mod", "subtract", "zero"])
def test_sparse_leaky_inputs_match_the_reference(reset):
    rng = np.random.default_rng(9)
    x = np.zeros(5000)
    x[rng.choice(5000, size=100, replace=False)] = rng.normal(scale=3.0, size=100)
    got = integrate_and_fire(x, 1.5, dt=0.5, reset=reset, leak=0.01)
    ref = reference_if(x, 1.5, dt=0.5, reset=reset, leak=0.01)
    assert np.count_nonzero(ref) > 10
    # leaky sums are rounded differently; away from exact ties the spikes are identical
    np.testing.assert_allclose(got, ref, rtol=0, atol=0)


@pytest.mark.parametrize("leak", [0.0, 1e-3, 0.05, 3.0])
@pytest.mark.parametrize("reset", ["mod", "subtract", "zero"])
def test_one_channel_search_matches_the_batched_search(reset, leak):
    """The one-channel spike search (slices, a table of powers grown on demand and cut where
    it underflows) gives exactly the batched search's spikes, long silent stretches included."""
    from snnlib.sampling import _if_event_search, _if_event_search_one

    rng = np.random.default_rng(11)
    x = rng.normal(0.05, 1.0, size=30000)
    pulses = rng.choice(30000, size=40, replace=False)
    x[pulses] += rng.choice([-1.0, 1.0], size=40) * rng.uniform(60.0, 300.0, size=40)
    x[5000:20000] *= 1e-3  # a quiet stretch: the window grows past the table's first size
    spikes = _if_event_search_one(x, 40.0, 0.5, reset, leak, 64)
    np.testing.assert_array_equal(spikes, _if_event_search(x[None], 40.0, 0.5, reset, leak,
                                                           64)[0])
    assert np.count_nonzero(spikes) >= 15


@pytest.mark.parametrize("reset", ["mod", "subtract", "zero"])
def test_dense_many_channels_take_the_vectorized_time_loop(reset):
    rng = np.random.default_rng(4)
    x = rng.integers(-16, 17, size=(20, 300)) / 8.0  # dense: a spike on most samples
    got = integrate_and_fire(x, 0.5, reset=reset, leak=0.0 if reset != "mod" else 0.05)
    leak = 0.0 if reset != "mod" else 0.05
    for row in range(20):
        ref = reference_if(x[row], 0.5, reset=reset, leak=leak)
        if leak:  # leaky sums round differently; allow a tie to land one sample away
            assert np.max(np.abs(np.cumsum(got[row]) - np.cumsum(ref))) <= 0.5
        else:
            np.testing.assert_array_equal(got[row], ref)


# Chapter 8 (third edition): the sharp quasi-isometry and the spike-count bounds.
leaks = st.sampled_from([0.0, 0.1, 1.0])


@settings(max_examples=200, deadline=None)
@given(f=real_signals, g=real_signals, threshold=thresholds, leak=leaks)
def test_quasi_isometry_sharp_constants(f, g, threshold, leak):
    """‖g − f‖ − 2ϑ < ‖IF(g) − IF(f)‖ < ‖g − f‖ + ϑ in the leaky norm, for every leak."""
    n = min(len(f), len(g))
    f, g = f[:n], g[:n]
    distance = alexiewicz_norm(g - f, leak=leak)
    spikes = alexiewicz_norm(integrate_and_fire(g, threshold, leak=leak)
                             - integrate_and_fire(f, threshold, leak=leak), leak=leak)
    tol = 1e-9 * (1 + np.sum(np.abs(f)) + np.sum(np.abs(g)))
    assert distance - 2 * threshold - tol < spikes < distance + threshold + tol


def test_quasi_isometry_constants_are_sharp():
    eps = 1e-6
    up = alexiewicz_norm(integrate_and_fire([1.0], 1.0) - integrate_and_fire([1 - eps], 1.0))
    assert up - eps == pytest.approx(1 - eps, abs=1e-12)  # ‖IF(g) − IF(f)‖ − ‖g − f‖ → ϑ
    down = alexiewicz_norm(integrate_and_fire([1 - eps], 1.0)
                           - integrate_and_fire([eps - 1], 1.0))
    assert down - 2 * (1 - eps) == pytest.approx(-2 * (1 - eps), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(x=real_signals, threshold=thresholds, leak=leaks)
def test_spike_count_bounds(x, threshold, leak):
    """ϑN ≤ Σ|x_n|Δt for every leak; ϑN > Σ|x_n|Δt − 2Rϑ without leak (R sign runs)."""
    dt = 0.5
    spikes = integrate_and_fire(x, threshold, dt=dt, leak=leak)
    total = np.sum(np.abs(x)) * dt
    assert np.sum(np.abs(spikes)) <= total * (1 + 1e-12) + 1e-12
    if leak == 0.0:
        signs = np.sign(x[x != 0])
        runs = 1 + np.count_nonzero(signs[1:] != signs[:-1]) if signs.size else 0
        assert np.sum(np.abs(spikes)) > total - 2 * runs * threshold - 1e-9
# --- chapter 9: what lattice send-on-delta minimises ----------------------------------------


def reference_sod_lattice(x, delta):
    """Lattice SOD by its definition: r on x₀ + ΔZ, send Δ·trunc((x_n − r)/Δ) when |x_n − r| ≥ Δ."""
    ref, out = x[0], [0.0]
    for xn in x[1:]:
        e = np.trunc((xn - ref) / delta) * delta if abs(xn - ref) >= delta else 0.0
        out.append(e)
        ref += e
    return np.array(out)


@settings(max_examples=200, deadline=None)
@given(x=dyadic.filter(lambda v: len(v) > 0), delta=thresholds)
def test_sod_lattice_matches_definition(x, delta):
    np.testing.assert_array_equal(send_on_delta(x, delta), reference_sod_lattice(x, delta))


@settings(max_examples=200, deadline=None)
@given(x=dyadic.filter(lambda v: len(v) > 0), delta=thresholds)
def test_sod_has_the_least_event_mass(x, delta):
    """ℓ¹: no lattice reconstruction within the open Δ-tube has a smaller mass (chapter 9).
    Dyadic samples keep F_n exact, so SOD and the dynamic program see the same ties."""
    sod_mass = np.sum(np.abs(send_on_delta(x, delta)))
    best = np.sum(np.abs(sparsest_quantization(np.diff(x, prepend=x[0]), delta)))
    assert sod_mass == best


def _fewest_events(x, delta):
    """ℓ⁰ by enumeration: the fewest nonzero events over all admissible lattice paths."""
    F = (x - x[0]) / delta
    options = [[k for k in (np.floor(f), np.ceil(f)) if abs(f - k) < 1] for f in F[1:]]
    paths = [np.array((0.0, *p)) for p in itertools.product(*options)]
    counts = [np.count_nonzero(np.diff(p)) for p in paths]
    best = min(counts)
    return best, [p for p, c in zip(paths, counts, strict=True) if c == best]


def test_sod_is_not_fewest_events_and_no_causal_sender_is():
    """ℓ⁰: (0, 1.5, 2.5, 3.5) has 2-event optima where SOD sends 3; the continuations 0.5 and
    (2.1, 2.9) of the same start (0, 1.5) force opposite first moves (chapter 9)."""
    x = np.array([0.0, 1.5, 2.5, 3.5])
    assert np.count_nonzero(send_on_delta(x, 1.0)) == 3
    best, optima = _fewest_events(x, 1.0)
    assert best == 2
    assert sorted(tuple(p) for p in optima) == [(0, 1, 3, 3), (0, 2, 2, 3), (0, 2, 2, 4),
                                                (0, 2, 3, 3)]
    _, down = _fewest_events(np.array([0.0, 1.5, 0.5]), 1.0)
    _, up = _fewest_events(np.array([0.0, 1.5, 2.1, 2.9]), 1.0)
    assert {p[1] for p in down} == {1.0}
    assert {p[1] for p in up} == {2.0}


def test_integrate_and_fire_loop_matches_fast_paths():
    """The plain loop of the definition and the library's closed form / event search agree on
    every reset and leak (random signals with impulses, and dyadic ties)."""
    from snnlib.sampling import integrate_and_fire_loop
    rng = np.random.default_rng(3)
    ties = np.array([0.5, 0.5, 2.0, -1.0, -1.5, 0.25, -3.0, 3.75, -0.75, -0.75, 1.0, 0.0])
    signals = [(ties, 1.0, 1.0)]
    for _ in range(20):
        x = rng.normal(scale=0.5, size=200)
        x[rng.choice(200, size=3, replace=False)] += rng.normal(scale=40.0, size=3)
        signals.append((x, rng.uniform(0.1, 2.0), rng.choice([0.1, 1.0])))
    for x, threshold, dt in signals:
        for reset in ("mod", "subtract", "zero"):
            for leak in (0.0, 0.1, 1.0):
                assert np.array_equal(
                    integrate_and_fire_loop(x, threshold, dt=dt, reset=reset, leak=leak),
                    integrate_and_fire(x, threshold, dt=dt, reset=reset, leak=leak))
    with pytest.raises(ValueError, match="reset"):
        integrate_and_fire_loop(ties, 1.0, reset="none")


@pytest.mark.parametrize("seed", range(20))
def test_fewest_events_dynamic_program_matches_enumeration(seed):
    """measure="events": the dynamic program's path is admissible, anchored at x₀, and has the
    fewest nonzero events of all admissible lattice paths (enumerated)."""
    rng = np.random.default_rng(seed)
    delta = rng.choice([0.5, 1.0])
    x = np.cumsum(rng.choice([-2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0], size=9))
    x = np.concatenate([[0.0], x])  # dyadic: ties on lattice levels are exact
    events = sparsest_quantization(np.diff(x, prepend=x[0]), delta, measure="events")
    r = x[0] + np.cumsum(events)
    assert np.all(np.abs(x - r) < delta)
    assert np.array_equal(events / delta, np.round(events / delta))
    assert np.count_nonzero(events) == _fewest_events(x, delta)[0]
    mass = sparsest_quantization(np.diff(x, prepend=x[0]), delta)
    assert np.count_nonzero(events) <= np.count_nonzero(mass)


def test_sparsest_quantization_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match="measure must be 'mass' or 'events'"):
        sparsest_quantization([1.0], 1.0, measure="l0")


def test_loop_leaves_a_remainder_of_theta_at_a_near_tie():
    """Chapter 8 (appendix checks-ch08): at a near-tie ϑ·trunc(u/ϑ) rounds so that the plain loop
    keeps a remainder ≥ ϑ and fires one sample late; exact arithmetic and the library's clamp
    give (962, 0, 0) units."""
    from snnlib.sampling import integrate_and_fire_loop
    theta, x = 1.2316091695636247, np.array([1186.0396302897705, 0.0, 0.0])
    loop, library = integrate_and_fire_loop(x, theta), integrate_and_fire(x, theta)
    assert np.array_equal(np.rint(loop / theta), [962.0, 1.0, 0.0])
    assert np.array_equal(np.rint(library / theta), [962.0, 0.0, 0.0])
    assert x[0] - loop[0] >= theta  # the loop's remainder after the first sample


def test_library_equals_loop_on_the_chapter_8_signal_except_at_one_near_tie():
    """Chapter 8's signal (sinusoidal drive, impulses at 20 and 60 ms, Δt = 0.1 ms) at the 15
    thresholds of its spike-count check: the library and the plain loop of def-if emit the same
    spikes at 14 thresholds. At ϑ = 0.02 the running integral at t = 39.9 ms is 725ϑ up to
    rounding (a tie for the exact sine); there the closed form fires one sample later than the
    loop, with the same count, and its error exceeds ϑ only by rounding."""
    from snnlib.sampling import integrate_and_fire_loop
    dt = 0.1
    t = np.arange(0.0, 100.0, dt)
    x = 0.3 + 0.6 * np.sin(2 * np.pi * t / 40.0)
    x[t == 20.0] += 25.0
    x[t == 60.0] -= 18.0
    differing = {}
    for theta in np.geomspace(0.02, 2.0, 15):
        loop = integrate_and_fire_loop(x, theta, dt=dt)
        library = integrate_and_fire(x, theta, dt=dt)
        where = np.flatnonzero(loop != library)
        if where.size:
            differing[float(theta)] = where
            F = np.cumsum(x) * dt / theta
            assert abs(F[where[0]] - np.round(F[where[0]])) < 1e-9  # a near-tie
            assert np.sum(np.abs(library)) == pytest.approx(np.sum(np.abs(loop)), abs=1e-9)
            assert alexiewicz_norm(x - library / dt, dt=dt) / theta < 1 + 1e-12
        assert alexiewicz_norm(x - loop / dt, dt=dt) < theta
    assert list(differing) == [pytest.approx(0.02)]
    assert np.array_equal(differing[next(iter(differing))], [399, 400])  # t = 39.9, 40.0 ms
