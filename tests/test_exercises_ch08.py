"""The checks of chapter 8's exercises accept correct code and name the typical mistakes."""

import numpy as np
import pytest
from scipy.signal import lfilter

from snnlib.exercises import check_alexiewicz_norm, check_integrate_and_fire
from snnlib.exercises.ch08 import _if_variant

# ---------------------------------------------------------------------------------------
# Warm-up: the Alexiewicz norm
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "fragment"),
    [
        (lambda x, dt: np.max(np.abs(np.cumsum(x))), "factor Δt is missing"),
        (lambda x, dt: np.max(np.cumsum(x)) * dt, "without |·|"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x)[:-1] * dt)), "off by one"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x)[1:])) * dt, "off by one"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x[1:]) * dt)), "off by one"),
        (lambda x, dt: np.max(np.abs(np.concatenate([[0.0], np.cumsum(x)[:-1]]) * dt)),
         "off by one"),
        (lambda x, dt: (max(np.max(np.cumsum(x)), 0.0) - min(np.min(np.cumsum(x)), 0.0)) * dt,
         "interval form"),
        (lambda x, dt: (np.max(np.cumsum(x)) - np.min(np.cumsum(x))) * dt, "interval form"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x) / np.arange(1, len(x) + 1))), "partial means"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x) / np.arange(1, len(x) + 1))) * dt,
         "partial means"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x[::-1]))) * dt, "tail sums"),
        (lambda x, dt: np.sum(np.abs(x)) * dt, "L¹ norm"),
        (lambda x, dt: np.max(np.abs(x)), "largest sample"),
        (lambda x, dt: (np.abs(np.cumsum(x)).max() - np.abs(np.cumsum(x)).min()) * dt,
         "max |P_n| − min |P_n|"),
        (lambda x, dt: np.max(np.abs(np.concatenate([[0.0], np.cumsum((x[1:] + x[:-1]) / 2)])))
         * dt, "trapezoid"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x) * dt * dt)), "Δt is applied twice"),
        # on case 1 (Δt = 0.5) a halved norm equals Δt applied twice: a probe tells them apart
        (lambda x, dt: 0.5 * np.max(np.abs(np.cumsum(x) * dt)), "constant factor 0.5"),
        (lambda x, dt: "two", "not numbers"),
        # min for max: on case 1 the smallest |P_n| equals the largest P_n (both 0.5)
        (lambda x, dt: np.min(np.abs(np.cumsum(x) * dt)), "smallest |partial sum|"),
        (lambda x, dt: np.max(np.abs(np.cumsum(x) / dt)), "Δt divides"),
        (lambda x, dt: abs(np.sum(x)) * dt, "last partial integral"),
        (lambda x, dt: np.sqrt(np.sum((np.cumsum(x) * dt) ** 2)), "ℓ²"),
        (lambda x, dt: np.linalg.norm(x) * dt, "ℓ²"),
        (lambda x, dt: np.mean(np.abs(np.cumsum(x) * dt)), "mean of the partial integrals"),
        (lambda x, dt: abs(np.mean(np.cumsum(x) * dt)), "mean of the partial integrals"),
        (lambda x, dt: np.float32(np.max(np.abs(np.cumsum(x.astype(np.float32))
                                                * np.float32(dt)))), "float32 numbers"),
    ],
)
def test_alexiewicz_norm_mistakes(candidate, fragment):
    verdict = check_alexiewicz_norm(candidate)
    assert not verdict.passed and fragment in verdict.message, verdict.message


def _norm_in_place(x, dt):
    x *= dt
    np.cumsum(x, out=x)
    return np.abs(x).max()


@pytest.mark.parametrize(
    "candidate",
    [lambda x, dt: np.max(np.abs(np.cumsum(x) * dt)),
     lambda x, dt: max(abs(s) for s in np.cumsum(x * dt)),
     _norm_in_place],
)
def test_alexiewicz_norm_correct(candidate):
    verdict = check_alexiewicz_norm(candidate)
    assert verdict.passed and "correct" in str(verdict), verdict.message


# ---------------------------------------------------------------------------------------
# The "Implement …" exercise: IF with reset to mod, as a reader would write it
# ---------------------------------------------------------------------------------------


def if_mod(x, threshold, dt, leak, *, reset=True, dtype=None):
    """Correct; ``reset=False`` (never subtract) and an integer ``dtype`` for the output are
    two catalogued slips."""
    u, out = 0.0, np.zeros(len(x), dtype=x.dtype if dtype is None else dtype)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            if reset:
                u -= out[n]
    return out


def if_mod_fmod(x, threshold, dt, leak):
    """Correct: the remainder by fmod (rounds towards zero, like trunc)."""
    u, out = 0.0, np.zeros(len(x))
    decay = np.exp(-leak * dt)
    for n, charge in enumerate(np.asarray(x) * dt):
        u = decay * u + charge
        rest = np.fmod(u, threshold)
        out[n], u = u - rest, rest
    return out


def if_mod_in_place(x, threshold, dt, leak):
    """Correct, but overwrites its input with the charges and then with the spikes."""
    x *= dt
    u = 0.0
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n]
        x[n] = threshold * np.trunc(u / threshold)
        u -= x[n]
    return x


def if_strict(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) > threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_threshold_times_dt(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold * dt:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_subtract(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.sign(u)
            u -= out[n]
    return out


def if_zero(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u = 0.0
    return out


def if_floor(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.floor(u / threshold)
            u -= out[n]
    return out


def if_floor_everywhere(x, threshold, dt, leak):
    """floor(u/ϑ) at every sample: fires −ϑ for every small negative potential."""
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        out[n] = threshold * np.floor(u / threshold)
        u -= out[n]
    return out


def if_float32_input(x, threshold, dt, leak):
    """def-if in float64, but the input is first rounded to float32."""
    return if_mod(np.asarray(x, dtype=np.float32).astype(float), threshold, dt, leak)


def if_python_mod(x, threshold, dt, leak):
    """Emits ϑ·trunc(u/ϑ) but keeps Python's u % ϑ (rounded towards −∞) as the remainder."""
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u = u % threshold
    return out


def if_first_never_fires(x, threshold, dt, leak):
    """Integrates the first sample but starts the threshold test at the second."""
    u, out = x[0] * dt, np.zeros_like(x)
    for n in range(1, x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_round(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.round(u / threshold)
            u -= out[n]
    return out


def if_no_dt(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n]
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_no_dt_in_leak(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_late(x, threshold, dt, leak):
    """Tests the threshold before adding the new charge: each spike one sample late."""
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
        u = np.exp(-leak * dt) * u + x[n] * dt
    return out


def if_leak_after(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * (u + x[n] * dt)
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_no_leak(x, threshold, dt, leak):
    return if_mod(x, threshold, dt, 0.0)


def if_abs_amplitude(x, threshold, dt, leak):
    """Emits |ϑ·trunc(u/ϑ)|: negative spikes with the wrong sign."""
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            s = threshold * np.trunc(u / threshold)
            out[n] = abs(s)
            u -= s
    return out


def if_one_sided(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if u >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_counts(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = np.trunc(u / threshold)
            u -= threshold * out[n]
    return out


def if_skip_first(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(1, x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_skip_last(x, threshold, dt, leak):
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size - 1):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_cumulative(x, threshold, dt, leak):
    return np.cumsum(if_mod(x, threshold, dt, leak))


def if_vector_cumsum(x, threshold, dt, leak):
    """The closed form of the no-leak case applied regardless of the leak."""
    return threshold * np.diff(np.trunc(np.cumsum(x) * dt / threshold), prepend=0.0)


def _if_with_decay(decay_of):
    def candidate(x, threshold, dt, leak):
        u, out = 0.0, np.zeros_like(x)
        for n in range(x.size):
            u = decay_of(leak, dt) * u + x[n] * dt
            if abs(u) >= threshold:
                out[n] = threshold * np.trunc(u / threshold)
                u -= out[n]
        return out
    return candidate


if_leak_sign = _if_with_decay(lambda leak, dt: np.exp(leak * dt))
if_leak_sign.__name__ = "if_leak_sign"
if_euler_leak = _if_with_decay(lambda leak, dt: 1.0 - leak * dt)
if_euler_leak.__name__ = "if_euler_leak"
if_leak_over_dt = _if_with_decay(lambda leak, dt: np.exp(-leak / dt))
if_leak_over_dt.__name__ = "if_leak_over_dt"


def if_reversed(x, threshold, dt, leak):
    """Loops from the last sample to the first."""
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size - 1, -1, -1):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= out[n]
    return out


def if_subtract_one(x, threshold, dt, leak):
    """Emits ϑ·trunc(u/ϑ) but removes only one ϑ."""
    u, out = 0.0, np.zeros_like(x)
    for n in range(x.size):
        u = np.exp(-leak * dt) * u + x[n] * dt
        if abs(u) >= threshold:
            out[n] = threshold * np.trunc(u / threshold)
            u -= threshold * np.sign(u)
    return out


def _if_tolerance(tolerance):
    """A tolerance against rounding: fires at |u| ≥ ϑ − tolerance."""
    def if_tolerance(x, threshold, dt, leak):
        u, out = 0.0, np.zeros_like(x)
        for n in range(x.size):
            u = np.exp(-leak * dt) * u + x[n] * dt
            if abs(u) >= threshold - tolerance:
                out[n] = threshold * np.trunc((u + np.sign(u) * tolerance) / threshold)
                u -= out[n]
        return out
    return if_tolerance


if_tolerance = _if_tolerance(1e-3)


def _closed_form(pin=True, swap=False, roll=False, guard=True, first_cell0=False,
                 integer_event=True, pin_isclose=None, shift=True, pin_b=True, single=None,
                 next_cell=False, leaky=False, rounding=np.floor):
    """The exercise's closed form for α = 0 (the loop with a leak), with one slip.

    ``single``: "sum" sums in float32, "all" computes and returns float32; ``leaky`` applies
    the clamp to the leaky running integral instead of looping when α > 0."""
    def candidate(x, threshold, dt, leak):
        if leak > 0 and not leaky:
            return if_mod(x, threshold, dt, leak)
        if leak > 0:
            F = lfilter([dt / threshold], [1.0, -np.exp(-leak * dt)], x)
        elif single == "sum":
            F = np.cumsum(x.astype(np.float32)).astype(float) * (dt / threshold)
        elif single == "all":
            F = np.cumsum(x.astype(np.float32)) * np.float32(dt / threshold)
        else:
            F = np.cumsum(x) * dt / threshold
        cell = rounding(F)
        first = cell[0] if first_cell0 else 0.0
        before = np.roll(cell, 1) if roll else np.concatenate([[first], cell[:-1]])
        if next_cell:
            before = np.concatenate([cell[1:], cell[-1:]])
        if not shift:                                 # the shift forgotten: before = cell
            before = cell
        integer = (cell == F) if pin else np.zeros(F.size, dtype=bool)
        if pin_isclose is not None:                   # a "safe" float comparison for the pin
            integer = (np.isclose(F, np.round(F)) if pin_isclose == "isclose"
                       else np.abs(F - np.round(F)) < pin_isclose)
            cell = np.where(integer, np.round(F), cell)
        event = (cell != before) | (integer if integer_event else False)
        b = ((cell > before) if swap else (cell < before)) & (~integer if pin_b else True)
        last = np.maximum.accumulate(np.where(event, np.arange(F.size), -1))
        k = cell + (np.where(last >= 0, b[np.maximum(last, 0)], 0) if guard else b[last])
        return (np.float32(threshold) if single == "all" else threshold) * \
            np.diff(k, prepend=k.dtype.type(0))
    candidate.__name__ = (f"closed_form_pin{pin}_swap{swap}_roll{roll}_guard{guard}"
                          f"_first{first_cell0}_intevent{integer_event}_isclose{pin_isclose}"
                          f"_shift{shift}_pinb{pin_b}_single{single}_next{next_cell}"
                          f"_leaky{leaky}_{rounding.__name__}")
    return candidate


def _loop(charge=lambda x, threshold, dt: x * dt, fires=lambda u, th: abs(u) >= th,
          removed=lambda u, s, th: s, emitted=lambda u, th: th * np.trunc(u / th),
          spike_leak=False):
    """A reader's loop with one slip given by the keyword that differs from the default."""
    def candidate(x, threshold, dt, leak):
        u, out, decay = 0.0, np.zeros(len(x)), np.exp(-leak * dt)
        for n, q in enumerate(charge(np.asarray(x, dtype=float), threshold, dt)):
            u = u + q if spike_leak else decay * u + q
            if fires(u, threshold):
                out[n] = emitted(u, threshold)
                u -= removed(u, out[n], threshold)
                if spike_leak:
                    u *= decay
        return out
    return candidate


if_negative_strict = _loop(fires=lambda u, th: u >= th or u < -th)
if_negative_strict.__name__ = "if_negative_strict"
if_emit_one_remove_trunc = _loop(emitted=lambda u, th: th * np.sign(u),
                                 removed=lambda u, s, th: th * np.trunc(u / th))
if_emit_one_remove_trunc.__name__ = "if_emit_one_remove_trunc"
if_over_dt = _loop(charge=lambda x, th, dt: x / dt)
if_over_dt.__name__ = "if_over_dt"
if_theta_over_dt = _loop(charge=lambda x, th, dt: x * th / dt)
if_theta_over_dt.__name__ = "if_theta_over_dt"
if_leak_on_spike = _loop(spike_leak=True)
if_leak_on_spike.__name__ = "if_leak_on_spike"


if_sign_slip = _loop(removed=lambda u, s, th: -s)  # u += s
if_sign_slip.__name__ = "if_sign_slip"
if_half_leak = _if_with_decay(lambda leak, dt: np.exp(-leak * dt / 2))
if_half_leak.__name__ = "if_half_leak"


def if_float32(x, threshold, dt, leak):
    """The loop in single precision (a float64 result)."""
    x, out = np.asarray(x, dtype=np.float32), np.zeros(len(x))
    decay, th, step, u = np.float32(np.exp(-leak * dt)), np.float32(threshold), np.float32(dt), \
        np.float32(0.0)
    for n in range(x.size):
        u = decay * u + x[n] * step
        if abs(u) >= th:
            out[n] = th * np.trunc(u / th)
            u = u - np.float32(out[n])
    return out


def if_swapped(x, threshold, dt, leak):
    """ϑ and Δt exchanged (the reader's own loop called with the arguments swapped)."""
    return if_mod(x, dt, threshold, leak)


def if_in_place_dt_twice(x, threshold, dt, leak):
    """Scales its input by Δt in place and then multiplies by Δt again."""
    x *= dt
    return if_mod(x, threshold, dt, leak)


def if_strict_when_leaky(x, threshold, dt, leak):
    # the closed form (correct) without a leak, a loop with `>` for `≥` with one
    return if_mod(x, threshold, dt, leak) if leak == 0 else if_strict(x, threshold, dt, leak)


def if_no_reset(x, threshold, dt, leak):
    """Emits ϑ·trunc(u/ϑ) but never subtracts it."""
    return if_mod(x, threshold, dt, leak, reset=False)


def if_integer_output(x, threshold, dt, leak):
    """Correct arithmetic, stored in an integer array: amplitudes such as 0.5·k truncate."""
    return if_mod(x, threshold, dt, leak, dtype=int)


CATALOGUE = [
    (if_no_reset, "never reset"),
    (if_integer_output, "it returns integers (int64)"),
    (if_strict, "not >"),
    (if_strict_when_leaky, "not >"),
    (if_threshold_times_dt, "not ϑΔt"),
    (if_subtract, "reset by subtraction"),
    (if_zero, "reset to zero"),
    (if_floor, "floor instead of trunc"),
    (if_floor_everywhere, "without memory, ϑ·Δ⌊·⌋(F_n)"),  # it is the memoryless ⌊F⌋
    (if_python_mod, "Python's %"),
    (if_float32_input, "the input is rounded to float32"),
    (if_first_never_fires, "never tested against the threshold"),
    (if_round, "nearest multiple"),
    (if_no_dt, "factor Δt is missing"),
    (if_no_dt_in_leak, "Δt is missing in the leak"),
    (if_late, "one sample late"),
    (if_leak_after, "leak is applied after"),
    (if_no_leak, "leak is ignored"),
    (if_abs_amplitude, "wrong sign"),
    (if_one_sided, "fires only upwards"),
    (if_counts, "factor ϑ is missing"),
    (if_skip_first, "first sample is skipped"),
    (if_skip_last, "last sample is never processed"),
    (if_cumulative, "cumulative amplitudes"),
    (if_vector_cumsum, "without memory"),
    (if_leak_sign, "sign of the leak exponent"),
    (if_euler_leak, "Euler step"),
    (if_leak_over_dt, "e^(−α/Δt)"),
    (if_reversed, "backwards in time"),
    (if_subtract_one, "subtracts only one ϑ"),
    (if_tolerance, "tolerance in the test"),
    (_if_tolerance(1e-6), "tolerance in the test"),
    (_if_tolerance(1e-9), "tolerance in the test"),
    (_if_tolerance(1e-12), "tolerance in the test"),
    (_closed_form(pin=False), "integer pin"),
    (_closed_form(swap=True), "wrong end"),
    (_closed_form(roll=True), "np.roll"),
    (_closed_form(guard=False), "before any event has happened"),
    (_closed_form(first_cell0=True), "cell before the first sample"),
    (_closed_form(integer_event=False), "not marked as an event"),
    (_closed_form(shift=False), "cell before sample n is ⌊F_n⌋ itself"),
    (_closed_form(pin_b=False), "b_n is not cleared at an integer F_n"),
    (_closed_form(rounding=np.trunc), "the cell is trunc(F_n)"),
    (_closed_form(rounding=np.round), "the cell is round(F_n)"),
    (_closed_form(pin_isclose="isclose"), "the integer pin has a tolerance"),
    (_closed_form(pin_isclose=1e-3), "the integer pin has a tolerance"),
    (_closed_form(pin_isclose=1e-9), "the integer pin has a tolerance"),
    (_closed_form(pin_isclose=1e-12), "the integer pin has a tolerance"),
    (_closed_form(pin_isclose=1e-13), "the integer pin has a tolerance"),
    (_closed_form(pin_isclose=1e-2), "the integer pin has a tolerance"),
    (if_negative_strict, "strict on the negative side"),
    (if_emit_one_remove_trunc, "emits one ±ϑ but removes ϑ·trunc"),
    (if_swapped, "ϑ and Δt are exchanged"),
    (if_over_dt, "x_n/Δt"),
    (if_theta_over_dt, "x_n·ϑ/Δt"),
    (if_leak_on_spike, "only after a spike"),
    (if_in_place_dt_twice, "Δt is applied twice"),
    (lambda x, threshold, dt, leak: x[:-1], "shape"),
    (lambda x, threshold, dt, leak: np.roll(if_mod(x, threshold, dt, leak), 1), "one sample late"),
    (if_sign_slip, "remainder has the wrong sign"),
    (if_half_leak, "e^(−αΔt/2)"),
    (if_float32, "float32"),
    (_closed_form(single="sum"), "float32"),
    (_closed_form(single="all"), "float32"),
    (_closed_form(next_cell=True), "taken from sample n + 1"),
    (_closed_form(leaky=True), "holds only without leak"),
]


@pytest.mark.parametrize(("candidate", "fragment"), CATALOGUE,
                         ids=[c.__name__ for c, _ in CATALOGUE])
def test_integrate_and_fire_mistakes(candidate, fragment):
    verdict = check_integrate_and_fire(candidate)
    assert not verdict.passed and fragment in verdict.message, verdict.message


@pytest.mark.parametrize("candidate", [if_mod, if_mod_fmod, if_mod_in_place, _closed_form()])
def test_integrate_and_fire_correct(candidate):
    verdict = check_integrate_and_fire(candidate)
    assert verdict.passed and "correct" in str(verdict), verdict.message


def test_integrate_and_fire_not_implemented():
    def my_if(x, threshold, dt, leak):
        raise NotImplementedError

    assert "not implemented yet" in str(check_integrate_and_fire(my_if))


def test_integrate_and_fire_cases_keep_off_near_ties():
    """Outside the deliberate dyadic ties, no potential comes within 1e-6ϑ of a multiple of ϑ,
    so rounding cannot make a correct loop and the library disagree."""
    rng = np.random.default_rng(18)
    noise = rng.normal(scale=0.4, size=300)
    noise[rng.choice(300, size=6, replace=False)] += rng.choice([-30.0, 30.0], size=6)
    drive = 0.6 * np.sin(np.linspace(0.0, 12.0, 400)) + 0.2
    drive[[50, 170, 290]] += [9.0, -13.0, 21.0]
    for x, threshold, dt, leak in [(noise, 0.7, 0.1, 0.0), (drive, 0.3, 0.5, 0.2),
                                   (-drive[::-1], 0.45, 0.25, 1.5)]:
        u, margin = 0.0, np.inf
        for value in x:
            u = np.exp(-leak * dt) * u + value * dt
            ratio = u / threshold
            margin = min(margin, abs(ratio - np.round(ratio)))
            u -= threshold * np.trunc(ratio) if abs(u) >= threshold else 0.0
        assert margin > 1e-6


def test_integrate_and_fire_ramp_is_safe_in_float64_and_not_in_float32():
    """The last case: F_n = n(1/3 + 10⁻⁸) passes 3·10⁻⁸ … 1.5·10⁻⁵ above integers up to 500.
    float64 rounding of the running sum stays below 10⁻¹⁰ (so a correct loop and the library
    agree), while float32 misplaces spikes."""
    from fractions import Fraction

    from snnlib.sampling import integrate_and_fire
    x = np.full(1500, 1.0 / 3.0 + 1e-8)
    exact = np.cumsum([Fraction(v) for v in x])  # the float samples summed exactly
    margins = np.array([float(f - int(f)) for f in exact[2::3]])
    assert 2.9e-8 < margins.min() and margins.max() < 1.6e-5
    assert np.abs(np.cumsum(x) - np.array([float(f) for f in exact])).max() < 1e-10
    assert np.array_equal(if_mod(x, 1.0, 1.0, 0.0), integrate_and_fire(x, 1.0))
    assert not np.array_equal(_closed_form(single="sum")(x, 1.0, 1.0, 0.0),
                              integrate_and_fire(x, 1.0))


def test_if_variant_default_is_the_library():
    x = np.array([0.5, 0.5, 2.0, -1.0, -1.5, 0.25, -3.0, 3.75])
    from snnlib.sampling import integrate_and_fire
    assert np.array_equal(_if_variant(x, 1.0, 1.0, 0.0), integrate_and_fire(x, 1.0))


def test_alexiewicz_norm_check_names_float32_sums_not_an_off_by_one():
    """A sum in float32 (or any result off by 10⁻⁷) is a precision slip, not a missing partial
    sum: the off-by-one hint matched wherever the dropped sum leaves the maximum unchanged."""
    def float32_sum(x, dt):
        return float(np.max(np.abs(np.cumsum(np.asarray(x, dtype=np.float32)) * dt)))

    verdict = check_alexiewicz_norm(float32_sum)
    assert not verdict.passed
    assert "precision of float32" in verdict.message and "off by one" not in verdict.message


@pytest.mark.parametrize("decimals", [6, 9, 12, 13])
def test_integrate_and_fire_fails_a_closed_form_that_rounds_the_running_integral(decimals):
    """Rounding F to a few decimals before the clamp pins every near-integer F: the near-ties
    of cases 14 (2 + 2⁻⁴⁵) and 15 (2 − 2⁻³⁰) catch it."""
    exact = _closed_form()

    def rounded(x, threshold, dt, leak):
        if leak > 0:
            return exact(x, threshold, dt, leak)
        F = np.round(np.cumsum(x) * dt / threshold, decimals)
        return exact(F * threshold / dt - np.concatenate([[0.0], F[:-1] * threshold / dt]),
                     threshold, dt, leak)

    assert not check_integrate_and_fire(rounded).passed



@pytest.mark.parametrize("slack", [1e-10, 5e-10, 1e-6])
def test_integrate_and_fire_fails_a_tolerance_in_the_amplitude_only(slack):
    """The threshold test exact, the amplitude ϑ·trunc(u/ϑ + ε): at u = 2ϑ − 2⁻³⁶ it emits two
    units where IF emits one (it passed every case before the thirty-first reading)."""
    def my_if(x, threshold, dt, leak):
        u, out = 0.0, np.zeros_like(x)
        for n in range(x.size):
            u = np.exp(-leak * dt) * u + x[n] * dt
            if abs(u) >= threshold:
                out[n] = threshold * np.trunc(u / threshold + np.sign(u) * slack)
                u -= out[n]
        return out

    verdict = check_integrate_and_fire(my_if)
    assert not verdict.passed
    assert "the amplitude has a tolerance" in verdict.message, verdict.message


@pytest.mark.parametrize(("factor", "named"), [
    (lambda a, dt: np.exp(-2 * a * dt), None),          # decays twice per sample
    (lambda a, dt: np.exp(-a * dt * dt), None),          # e^(−αΔt²)
    (lambda a, dt: np.exp(-a / 2), None),                # e^(−α/2)
    (lambda a, dt: np.exp(-a), "the factor Δt is missing in the leak"),
    (lambda a, dt: np.exp(-a * dt / 2), "e^(−αΔt/2)"),
])
def test_integrate_and_fire_names_a_leak_only_when_it_is_that_leak(factor, named):
    """At Δt = 0.5, e^(−α) equals e^(−2αΔt): the first leak case alone cannot tell them apart,
    so a named leak mistake is confirmed on a probe with Δt = 0.3."""
    verdict = check_integrate_and_fire(_if_with_decay(factor))
    assert not verdict.passed
    if named:
        assert named in verdict.message, verdict.message
    else:
        assert "missing in the leak" not in verdict.message, verdict.message
        assert "e^(−αΔt/2)" not in verdict.message, verdict.message
