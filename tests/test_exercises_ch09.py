"""The check of chapter 9's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np
import pytest

from snnlib.exercises import check_send_on_delta
from snnlib.sampling import send_on_delta


def _sender(x, delta, decide, start=None):
    """A reader's loop over time, vectorised over channels; ``decide(dev, ref, xn)``."""
    out = np.zeros_like(x)
    ref = x[..., 0].copy() if start is None else np.zeros_like(x[..., 0]) + start
    for n in range(1, x.shape[-1]):
        out[..., n], ref = decide(x[..., n] - ref, ref, x[..., n])
    return out


def correct(x, delta):
    def decide(dev, ref, xn):
        e = np.where(np.abs(dev) >= delta, delta * np.trunc(dev / delta), 0.0)
        return e, ref + e
    return _sender(x, delta, decide)


def correct_no_test(x, delta):        # trunc alone already sends 0 inside the band
    def decide(dev, ref, xn):
        e = delta * np.trunc(dev / delta)
        return e, ref + e
    return _sender(x, delta, decide)


def correct_in_place(x, delta):       # overwrites x with the events
    ref = x[..., 0].copy()
    x[..., 0] = 0.0
    for n in range(1, x.shape[-1]):
        e = delta * np.trunc((x[..., n] - ref) / delta)
        ref = ref + e
        x[..., n] = e
    return x


def correct_counts(x, delta):         # the clamp of the count k_n to [floor F_n, ceil F_n]
    F = (x - x[..., :1]) / delta
    k = np.zeros_like(F)
    for n in range(1, F.shape[-1]):
        k[..., n] = np.clip(k[..., n - 1], np.floor(F[..., n]), np.ceil(F[..., n]))
    return np.diff(k, axis=-1, prepend=0.0) * delta


def _rule(level, strict=False, to_sample=False):
    def make(x, delta):
        def decide(dev, ref, xn):
            send = np.abs(dev) > delta if strict else np.abs(dev) >= delta
            e = np.where(send, level(dev, delta), 0.0)
            return e, (np.where(send, xn, ref) if to_sample else ref + e)
        return _sender(x, delta, decide)
    return make


def late(x, delta):                    # compares x[n-1] with r and sends at n
    out = np.zeros_like(x)
    ref = x[..., 0].copy()
    for n in range(2, x.shape[-1]):
        e = delta * np.trunc((x[..., n - 1] - ref) / delta)
        out[..., n], ref = e, ref + e
    return out


def memoryless(x, delta):
    held = x[..., :1] + delta * np.trunc((x - x[..., :1]) / delta)
    return np.diff(held, axis=-1, prepend=held[..., :1])


def one_d_only(x, delta):              # written for 1-D: loops over the first axis
    out, ref = np.zeros_like(x), x[0].copy()
    for n in range(1, len(x)):
        e = delta * np.trunc((x[n] - ref) / delta)
        out[n], ref = e, ref + e
    return out


def anchored_at_zero(x, delta):
    def decide(dev, ref, xn):
        e = delta * np.trunc(dev / delta)
        return e, ref + e
    return _sender(x, delta, decide, start=0.0)


def classic(x, delta):
    def decide(dev, ref, xn):
        send = np.abs(dev) >= delta
        return np.where(send, dev, 0.0), np.where(send, xn, ref)
    return _sender(x, delta, decide)


def early(x, delta):                   # writes the event of sample n at n − 1
    out = correct(x, delta)
    return np.concatenate([out[..., 1:], np.zeros_like(out[..., :1])], axis=-1)


def stops_short(x, delta):             # range(1, T - 1): the last sample never sends
    def decide(dev, ref, xn):
        e = np.where(np.abs(dev) >= delta, delta * np.trunc(dev / delta), 0.0)
        return e, ref + e
    out, ref = np.zeros_like(x), x[..., 0].copy()
    for n in range(1, x.shape[-1] - 1):
        out[..., n], ref = decide(x[..., n] - ref, ref, x[..., n])
    return out


def memoryless_floor(x, delta):
    held = x[..., :1] + delta * np.floor((x - x[..., :1]) / delta)
    return np.diff(held, axis=-1, prepend=held[..., :1])


def no_memory(x, delta):               # each raw increment truncated: the residual is lost
    out = np.zeros_like(x)
    for n in range(1, x.shape[-1]):
        out[..., n] = delta * np.trunc((x[..., n] - x[..., n - 1]) / delta)
    return out


def negated(x, delta):                 # r − x_n for x_n − r
    def decide(dev, ref, xn):
        e = np.where(np.abs(dev) >= delta, delta * np.trunc(dev / delta), 0.0)
        return -e, ref + e
    return _sender(x, delta, decide)


def reference_moved_back(x, delta):   # r ← r − e: the reference runs away from the signal
    def decide(dev, ref, xn):
        e = delta * np.trunc(dev / delta)
        return e, ref - e
    return _sender(x, delta, decide)


def negated_reference_follows(x, delta):   # Δ·trunc((r − x)/Δ), and r moves by it
    def decide(dev, ref, xn):
        e = -delta * np.trunc(dev / delta)
        return e, ref + e
    return _sender(x, delta, decide)


def counts_move_reference(x, delta):  # sends the count and moves r by the count, not by countΔ
    def decide(dev, ref, xn):
        k = np.trunc(dev / delta)
        return k, ref + k
    return _sender(x, delta, decide)


def rows_loop(x, delta):               # range(1, len(x)): on 2-D input len(x) counts the rows
    out, ref = np.zeros_like(x), x[..., 0].copy()
    for n in range(1, len(x)):
        e = delta * np.trunc((x[..., n] - ref) / delta)
        out[..., n], ref = e, ref + e
    return out


def starts_at_two(x, delta):           # range(2, T): sample 1 is never compared with r₀
    def decide(dev, ref, xn):
        e = np.where(np.abs(dev) >= delta, delta * np.trunc(dev / delta), 0.0)
        return e, ref + e
    out, ref = np.zeros_like(x), x[..., 0].copy()
    for n in range(2, x.shape[-1]):
        out[..., n], ref = decide(x[..., n] - ref, ref, x[..., n])
    return out


CATALOGUE = {
    "the loop starts at n = 2": starts_at_two,
    "the division by Δ is dropped": _rule(lambda d, s: s * np.trunc(d)),
    "the division by Δ is dropped: Δ": _rule(lambda d, s: np.trunc(d)),
    "off by one: every event comes one sample late": late,
    "off by one: every event comes one sample early": early,
    "the loop stops before the last sample": stops_short,
    "memoryless quantiser": memoryless_floor,
    "'>' for '≥'": _rule(lambda d, s: s * np.trunc(d / s), strict=True),
    "floor instead of trunc": _rule(lambda d, s: s * np.floor(d / s)),
    "rounding to the nearest": _rule(lambda d, s: s * np.round(d / s)),
    "ceil instead of trunc": _rule(lambda d, s: s * np.ceil(d / s)),
    "every event has the wrong sign": negated,
    "every event has the wrong sign: a rise": negated_reference_follows,
    "reference moved the wrong way": reference_moved_back,
    "counts, and the reference moved by the count": counts_move_reference,
    "range(1, len(x))": rows_loop,
    "no memory: each event truncates the raw increment": no_memory,
    "no hysteresis": memoryless,
    "one level per sample": _rule(lambda d, s: s * np.sign(d)),
    "sign of down events": _rule(lambda d, s: s * np.trunc(np.abs(d) / s)),
    "reference reset to the sample": _rule(lambda d, s: s * np.trunc(d / s), to_sample=True),
    "anchored at 0": anchored_at_zero,
    "last-value": classic,
    "transposed": one_d_only,
}


@pytest.mark.parametrize("candidate", [correct, correct_no_test, correct_in_place,
                                       correct_counts])
def test_correct_variants_pass(candidate):
    verdict = check_send_on_delta(candidate)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize(("fragment", "candidate"), CATALOGUE.items(), ids=list(CATALOGUE))
def test_catalogued_mistakes_are_named(fragment, candidate):
    verdict = check_send_on_delta(candidate)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_not_implemented():
    def sod(x, delta):
        raise NotImplementedError
    assert "not implemented" in check_send_on_delta(sod).message


@pytest.mark.parametrize("candidate, fragment", [
    (lambda x, d: send_on_delta(x, d) / d, "the amplitude is Δ times the count"),
    (lambda x, d: _first_channel_reference(x, d), "one reference for all channels")])
def test_send_on_delta_names_counts_and_shared_reference(candidate, fragment):
    verdict = check_send_on_delta(candidate)
    assert not verdict.passed and fragment in verdict.message, verdict.message


def _first_channel_reference(x, delta):
    x2 = np.asarray(x, dtype=float).reshape(-1, np.shape(x)[-1])
    ref = np.full(x2.shape[0], x2[0, 0])               # x[0, 0] broadcast to every channel
    out = np.zeros_like(x2)
    for n in range(1, x2.shape[1]):
        dev = x2[:, n] - ref
        out[:, n] = np.where(np.abs(dev) >= delta, delta * np.trunc(dev / delta), 0.0)
        ref = ref + out[:, n]
    return out.reshape(np.shape(x))


def test_in_place_solution_passes_with_a_note():
    """A correct solution that overwrites its input passes; the verdict says it did, and an
    ordinary correct solution gets no such note."""
    verdict = check_send_on_delta(correct_in_place)
    assert verdict.passed and "changes its input arrays in place" in verdict.message
    assert "in place" not in check_send_on_delta(correct).message


# ---------------------------------------------------------------------------------------
# The "Implement …" exercise: the fewest events of a lattice reconstruction within Δ
# ---------------------------------------------------------------------------------------

from snnlib.exercises import check_min_events  # noqa: E402


def _dp(x, delta, *, cost=lambda moves: moves != 0, closed=False, prefer_high=False,
        backtrack=True, anchor=True, sign=1.0, late=False, counts=False, values=False):
    """A reader's dynamic program over the admissible counts, with one slip if asked."""
    x = np.asarray(x, dtype=float)
    F = (x - x[0]) / delta if anchor else x / delta
    states, costs, parents, greedy = [np.array([0.0])], np.array([0.0]), [], [0.0]
    for f in F[1:]:
        now = np.arange(np.ceil(f) - 1, np.floor(f) + 2)
        now = now[np.abs(f - now) <= 1] if closed else now[np.abs(f - now) < 1]
        step = costs[None, :] + cost(np.abs(now[:, None] - states[-1][None, :]))
        pick = (step.shape[1] - 1 - np.argmin(step[:, ::-1], axis=1)) if prefer_high \
            else np.argmin(step, axis=1)
        parents.append(pick)
        costs = step.min(axis=1)
        states.append(now)
        greedy.append(now[np.argmin(costs)])
    k, best = np.zeros(F.size), int(np.argmin(costs))
    for n in range(F.size - 1, 0, -1):
        k[n] = states[n][best]
        best = int(parents[n - 1][best])
    if not backtrack:
        k = np.array(greedy)
    events = delta * np.diff(k, prepend=0.0) * sign
    if late:
        events = np.concatenate([[0.0], events[:-1]])
    if counts:
        return events / delta
    if values:
        return x[0] + np.cumsum(events)
    return events


def min_events(x, delta):
    return _dp(x, delta)


def min_events_high(x, delta):
    """Correct, with the other tie-breaking: another optimal path."""
    return _dp(x, delta, prefer_high=True)


def min_events_in_place(x, delta):
    """Correct, but overwrites its input with (x − x₀)/Δ before the work."""
    x -= x[0]
    x /= delta
    return _dp(x * delta + 0.0, delta)


def _one_state(rounding):
    def candidate(x, delta):
        return delta * np.diff(rounding((x - x[0]) / delta), prepend=0.0)
    return candidate


MIN_EVENTS_CATALOGUE = {
    "send-on-delta's own path": lambda x, d: send_on_delta(x, d),
    "least-mass (ℓ¹) path": lambda x, d: _dp(x, d, cost=lambda moves: moves),
    "each sample's cheapest state": lambda x, d: _dp(x, d, backtrack=False),
    "only k_n = ⌊F_n⌋": _one_state(np.floor),
    "only k_n = ⌈F_n⌉": _one_state(np.ceil),
    "memoryless rounding": _one_state(np.round),
    "the tube is open": lambda x, d: _dp(x, d, closed=True),
    "wrong sign": lambda x, d: _dp(x, d, sign=-1.0),
    "one sample late": lambda x, d: _dp(x, d, late=True),
    "counts of steps": lambda x, d: _dp(x, d, counts=True),
    "values r_n of the reconstruction": lambda x, d: _dp(x, d, values=True),
    "anchored at 0": lambda x, d: _dp(x, d, anchor=False),
    "returned shape": lambda x, d: _dp(x, d)[1:],
    "float32": lambda x, d: _dp(x, d).astype(np.float32),
}


@pytest.mark.parametrize("candidate", [min_events, min_events_high, min_events_in_place])
def test_min_events_correct_variants_pass(candidate):
    verdict = check_min_events(candidate)
    assert verdict.passed, verdict.message


def test_min_events_in_place_passes_with_a_note():
    assert "changes its input arrays in place" in check_min_events(min_events_in_place).message
    assert "in place" not in check_min_events(min_events).message


@pytest.mark.parametrize(("fragment", "candidate"), MIN_EVENTS_CATALOGUE.items(),
                         ids=list(MIN_EVENTS_CATALOGUE))
def test_min_events_mistakes_are_named(fragment, candidate):
    verdict = check_min_events(candidate)
    assert not verdict.passed
    assert fragment in verdict.message, verdict.message


def test_min_events_not_implemented():
    def min_events(x, delta):
        raise NotImplementedError
    assert "not implemented" in check_min_events(min_events).message


def test_min_events_last_case_has_no_ties():
    """The decimal case: (x_n − x₀)/Δ stays 10⁻² away from every integer, so rounding cannot
    make two correct solutions disagree; a float32 result fails on it."""
    from snnlib.exercises.ch09 import _DECIMAL_WALK
    F = (_DECIMAL_WALK[1:] - _DECIMAL_WALK[0]) / 0.1
    assert np.abs(F - np.round(F)).min() > 1e-2
    verdict = check_min_events(lambda x, d: _dp(x, d).astype(np.float32))
    assert not verdict.passed and "float32" in verdict.message and "case 11" in verdict.message


def _far_greedy(x, delta):
    """Greedy that jumps to the far admissible count when it must move (no catalogued name)."""
    F = (x - x[0]) / delta
    k = [0.0]
    for f in F[1:]:
        if abs(f - k[-1]) < 1:
            k.append(k[-1])
        else:
            k.append(np.ceil(f) if f > k[-1] else np.floor(f))
    return delta * np.diff(np.array(k), prepend=0.0)


def _argmax_final(x, delta):
    """The dynamic program, but the back-track starts from the worst final count."""
    F = (x - x[0]) / delta
    states, costs, parents = [np.array([0.0])], np.array([0.0]), []
    for f in F[1:]:
        now = np.unique([np.floor(f), np.ceil(f)])
        step = costs[None, :] + (now[:, None] != states[-1][None, :])
        parents.append(np.argmin(step, axis=1))
        costs = step.min(axis=1)
        states.append(now)
    k, best = np.zeros(F.size), int(np.argmax(costs))
    for n in range(F.size - 1, 0, -1):
        k[n] = states[n][best]
        best = int(parents[n - 1][best])
    return delta * np.diff(k, prepend=0.0)


@pytest.mark.parametrize("candidate", [_far_greedy, _argmax_final])
def test_min_events_does_not_misname_an_uncatalogued_mistake(candidate):
    """A wrong path that equals a catalogued one on the failing case but not on the probe
    gets the generic message, not the catalogued mistake's name."""
    verdict = check_min_events(candidate)
    assert not verdict.passed and "suffice" in verdict.message, verdict.message


def _free_start_dp(x, delta):
    """A reader's DP that starts from the counts of sample 1 at no cost (k₀ = 0 forgotten)."""
    F = (x - x[0]) / delta
    if F.size < 2:
        return np.zeros(F.size)
    states, costs, parents = [np.unique([np.floor(F[1]), np.ceil(F[1])])], None, []
    costs = np.zeros(states[0].size)
    for f in F[2:]:
        now = np.unique([np.floor(f), np.ceil(f)])
        step = costs[None, :] + (now[:, None] != states[-1][None, :])
        parents.append(np.argmin(step, axis=1))
        costs = step.min(axis=1)
        states.append(now)
    k, best = np.zeros(F.size), int(np.argmin(costs))
    for n in range(F.size - 1, 0, -1):
        k[n] = states[n - 1][best]
        if n > 1:
            best = int(parents[n - 2][best])
    return delta * np.diff(k, prepend=0.0)


def _lazy_round(x, delta):
    """Greedy: stay put while admissible, move to round(F_n) when forced (not memoryless)."""
    F = (x - x[0]) / delta
    k = [0.0]
    for f in F[1:]:
        k.append(k[-1] if abs(f - k[-1]) < 1 else np.round(f))
    return delta * np.diff(np.array(k), prepend=0.0)


def _stops_before_one(x, delta):
    """The back-track stops before sample 1: k₁ stays 0."""
    events = _dp(x, delta)
    k = np.cumsum(events / delta)
    if k.size > 1:
        k[1] = 0.0
    return delta * np.diff(k, prepend=0.0)


@pytest.mark.parametrize(("candidate", "fragment", "absent"), [
    (_free_start_dp, "a first move costs an event", None),
    (_lazy_round, None, "memoryless rounding"),
    (_stops_before_one, None, "one sample late"),
])
def test_min_events_r25_slips(candidate, fragment, absent):
    verdict = check_min_events(candidate)
    assert not verdict.passed, verdict.message
    assert fragment is None or fragment in verdict.message, verdict.message
    assert absent is None or absent not in verdict.message, verdict.message
