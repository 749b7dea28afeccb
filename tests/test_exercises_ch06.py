"""The checks of chapter 6's exercises accept correct code and name the catalogued mistakes."""

import numpy as np
import pytest
from scipy.linalg import expm

from snnlib.eventprop import spike_jump, sweep_step
from snnlib.exercises import check_spike_jump, check_sweep_step


def one_sample_jump(lam_v, lam_i, n, dloss_dt, v_dot, params, R):
    return spike_jump(lam_v[None], lam_i[None], np.array([n]), np.array([dloss_dt]),
                      np.array([v_dot]), params, R)[0]


def test_spike_jump_accepts_correct_code():
    assert check_spike_jump(one_sample_jump).passed

    def in_place(lam_v, lam_i, n, dl, vd, p, R):
        lam_v[n] += (dl + p.threshold * lam_v[n] + R[n] @ (lam_v - lam_i)) / (p.tau_mem * vd)
        return lam_v

    assert check_spike_jump(in_place).passed


def _jump(lam_v, lam_i, n, dl, vd, p, R, *, sign_rec=1.0, tau=None, reset=1.0):
    out = lam_v.copy()
    bracket = dl + reset * p.threshold * lam_v[n] + sign_rec * R[n] @ (lam_v - lam_i)
    out[n] += bracket / ((p.tau_mem if tau is None else tau(p)) * vd)
    return out


SPIKE_JUMP_MISTAKES = {
    "transposed": lambda lv, li, n, dl, vd, p, R: one_sample_jump(lv, li, n, dl, vd, p, R.T),
    "reset term": lambda lv, li, n, dl, vd, p, R: _jump(lv, li, n, dl, vd, p, R, reset=0.0),
    "factor ϑ of the reset term": lambda lv, li, n, dl, vd, p, R:
        _jump(lv, li, n, dl, vd, p, R, reset=1.0 / p.threshold),
    "wrong sign": lambda lv, li, n, dl, vd, p, R: one_sample_jump(lv, li, n, -dl, vd, p, R),
    "only λ_V of the neuron": lambda lv, li, n, dl, vd, p, R:
        one_sample_jump(lv, li, n, dl, vd, p, R) + 0.01,
    "sign of (λ_I − λ_V)": lambda lv, li, n, dl, vd, p, R:
        _jump(lv, li, n, dl, vd, p, R, sign_rec=-1.0),
    "1/τ_mem is missing": lambda lv, li, n, dl, vd, p, R:
        _jump(lv, li, n, dl, vd, p, R, tau=lambda p: 1.0),
    "τ_syn in place of τ_mem": lambda lv, li, n, dl, vd, p, R:
        _jump(lv, li, n, dl, vd, p, R, tau=lambda p: p.tau_syn),
    "recurrent term": lambda lv, li, n, dl, vd, p, R:
        one_sample_jump(lv, li, n, dl, vd, p, 0 * R),
    "the factor 1/V̇⁻ is dropped": lambda lv, li, n, dl, vd, p, R:
        _jump(lv, li, n, dl, vd, p, R, tau=lambda p: p.tau_mem / vd),
    "V̇⁻ is squared": lambda lv, li, n, dl, vd, p, R:
        _jump(lv, li, n, dl, vd, p, R, tau=lambda p: p.tau_mem * vd),
}


@pytest.mark.parametrize("fragment", SPIKE_JUMP_MISTAKES)
def test_spike_jump_names_the_mistake(fragment):
    verdict = check_spike_jump(SPIKE_JUMP_MISTAKES[fragment])
    assert not verdict.passed and fragment in verdict.message, verdict.message


def test_spike_jump_reports_a_crash():
    crashed = check_spike_jump(lambda *args: 1 / 0)
    assert not crashed.passed and "ZeroDivisionError" in crashed.message


# --- the "Implement …" exercise: one step of the recurrent sweep --------------------------

def written_out(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    g = gap[:, None]
    em, es = np.exp(-g / p.tau_mem), np.exp(-g / p.tau_syn)
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    lv, li = lam_v * em, (lam_i - A) * es + A * em
    rows = np.arange(lv.shape[0])
    bracket = dl + p.threshold * lv[rows, neuron] + np.einsum("bj,bj->b", R[neuron], lv - li)
    out = lv.copy()
    out[rows, neuron] += bracket / (p.tau_mem * vd)
    return out, li


def by_matrix_exponential(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    """Independent: λ' = Mλ with M = [[−1/τm, 0], [1/τs, −1/τs]] (λ' = −dλ/dt), per sample."""
    M = np.array([[-1 / p.tau_mem, 0.0], [1 / p.tau_syn, -1 / p.tau_syn]])
    lv, li = np.empty_like(lam_v), np.empty_like(lam_i)
    for b, g in enumerate(gap):
        lv[b], li[b] = expm(M * g) @ np.stack([lam_v[b], lam_i[b]])
    return spike_jump(lv, li, neuron, dl, vd, p, R), li


def in_place(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    g = gap[:, None]
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    lam_i -= A
    lam_i *= np.exp(-g / p.tau_syn)
    lam_i += A * np.exp(-g / p.tau_mem)
    lam_v *= np.exp(-g / p.tau_mem)
    rows = np.arange(lam_v.shape[0])
    bracket = dl + p.threshold * lam_v[rows, neuron] + np.einsum("bj,bj->b", R[neuron],
                                                                   lam_v - lam_i)
    lam_v[rows, neuron] += bracket / (p.tau_mem * vd)
    return lam_v, lam_i


@pytest.mark.parametrize("candidate", [sweep_step, written_out, by_matrix_exponential, in_place])
def test_sweep_step_accepts_correct_code(candidate):
    verdict = check_sweep_step(candidate)
    assert verdict.passed, verdict.message


def _step(lam_v, lam_i, gap, neuron, dl, vd, p, R, *, g=None, tm=None, ts=None, a=1.0,
          coupled=True, jump_first=False, R_used=None, li_jumps=False):
    g = gap[:, None] if g is None else g
    tm = p.tau_mem if tm is None else tm
    ts = p.tau_syn if ts is None else ts
    R = R if R_used is None else R_used(R)
    if jump_first:
        lam_v = spike_jump(lam_v, lam_i, neuron, dl, vd, p, R)
    A = a * tm / (tm - ts) * lam_v
    lv = lam_v * np.exp(-g / tm)
    li = (lam_i - A) * np.exp(-g / ts) + A * np.exp(-g / tm) if coupled else lam_i * np.exp(-g / ts)
    if jump_first:
        return lv, li
    out = spike_jump(lv, li, neuron, dl, vd, p, R)
    return out, (li + (out - lv) if li_jumps else li)


SWEEP_MISTAKES = {
    "forwards in time": lambda *a: _step(*a, g=-a[2][:, None]),
    "swapped": lambda *a: _step(*a, tm=a[6].tau_syn, ts=a[6].tau_mem),
    "sign of the coupling term": lambda *a: _step(*a, a=-1.0),
    "coupling of λ_I to λ_V is dropped": lambda *a: _step(*a, coupled=False),
    "τ_syn in place of τ_mem in the coupling": lambda *a: _step(*a, a=a[6].tau_syn / a[6].tau_mem),
    "broadcast over neurons": lambda *a: _step(*a, g=a[2][None, :]),
    "jump is taken before the decay": lambda *a: _step(*a, jump_first=True),
    "R is transposed": lambda *a: _step(*a, R_used=lambda R: R.T),
    "sign of (λ_V − λ_I)": lambda *a: _step(*a, R_used=lambda R: -R),
    "recurrent term": lambda *a: _step(*a, R_used=lambda R: 0 * R),
    "λ_I is wrong": lambda *a: _step(*a, li_jumps=True),
}


@pytest.mark.parametrize("fragment", SWEEP_MISTAKES)
def test_sweep_step_names_the_mistake(fragment):
    verdict = check_sweep_step(SWEEP_MISTAKES[fragment])
    assert not verdict.passed and fragment in verdict.message, verdict.message


def test_sweep_step_reports_shape_and_type_errors():
    single = check_sweep_step(lambda *a: sweep_step(*a)[0])
    assert not single.passed and "pair" in single.message
    crashed = check_sweep_step(lambda *a: 1 / 0)
    assert not crashed.passed and "ZeroDivisionError" in crashed.message


def _jump_variant(lv, li, neuron, dl, vd, p, R, *, reset=1.0, tau=None, every=False):
    rows = np.arange(lv.shape[0])
    bracket = dl + reset * p.threshold * lv[rows, neuron] + np.einsum("bj,bj->b", R[neuron],
                                                                       lv - li)
    step = bracket / ((p.tau_mem if tau is None else tau) * vd)
    out = lv.copy()
    if every:
        return out + step[:, None]
    out[rows, neuron] += step
    return out


def _step_jump(lam_v, lam_i, gap, neuron, dl, vd, p, R, **jump):
    g = gap[:, None]
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    lv = lam_v * np.exp(-g / p.tau_mem)
    li = (lam_i - A) * np.exp(-g / p.tau_syn) + A * np.exp(-g / p.tau_mem)
    return _jump_variant(lv, li, neuron, dl, vd, p, R, **jump), li


def _sequential_slip(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    """λ_V decayed in place first, then λ_I's closed form reads the decayed λ_V."""
    g = gap[:, None]
    lam_v = lam_v * np.exp(-g / p.tau_mem)
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    lam_i = (lam_i - A) * np.exp(-g / p.tau_syn) + A * np.exp(-g / p.tau_mem)
    return spike_jump(lam_v, lam_i, neuron, dl, vd, p, R), lam_i


def _exponentials_swapped(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    g = gap[:, None]
    em, es = np.exp(-g / p.tau_syn), np.exp(-g / p.tau_mem)  # the slip: each with the other τ
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    lv, li = lam_v * em, (lam_i - A) * es + A * em
    return spike_jump(lv, li, neuron, dl, vd, p, R), li


def _constant_slip(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    g = gap[:, None]
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    lv, li = lam_v * np.exp(-g / p.tau_mem), lam_i * np.exp(-g / p.tau_syn) + A * np.exp(
        -g / p.tau_mem)
    return spike_jump(lv, li, neuron, dl, vd, p, R), li


def _shifted(shift):
    def step(lam_v, lam_i, gap, neuron, dl, vd, p, R):
        return _step(lam_v, lam_i, gap, (neuron + shift) % lam_v.shape[1], dl, vd, p, R)
    return step


SWEEP_MISTAKES_MORE = {
    "∂L/∂t_k enters the jump with the wrong sign":
        lambda la, li, g, n, dl, vd, p, R: _step(la, li, g, n, -dl, vd, p, R),
    "factor 1/V̇⁻ is dropped": lambda la, li, g, n, dl, vd, p, R:
        _step(la, li, g, n, dl, np.ones_like(vd), p, R),
    "V̇⁻ is squared": lambda la, li, g, n, dl, vd, p, R: _step(la, li, g, n, dl, vd**2, p, R),
    "off by one in the neuron index: the jump goes to neuron + 1": _shifted(1),
    "off by one in the neuron index: the jump goes to neuron − 1": _shifted(-1),
    "wrong order of the sweep": lambda *a: _step(*a, jump_first=True),
    "in-place slip": _sequential_slip,
    "two exponentials are swapped": _exponentials_swapped,
    "constant of the λ_I solution is wrong": _constant_slip,
    "factor A = τ_mem/(τ_mem − τ_syn) of the coupling is dropped": lambda *a: _step(
        *a, a=(a[6].tau_mem - a[6].tau_syn) / a[6].tau_mem),
    "reset term ϑ λ_V,n⁺ of the jump is missing": lambda *a: _step_jump(*a, reset=0.0),
    "factor 1/τ_mem of the jump is missing": lambda *a: _step_jump(*a, tau=1.0),
    "τ_syn in place of τ_mem in the jump": lambda *a: _step_jump(*a, tau=a[6].tau_syn),
    "added to every neuron": lambda *a: _step_jump(*a, every=True),
}


@pytest.mark.parametrize("fragment", SWEEP_MISTAKES_MORE)
def test_sweep_step_names_more_mistakes(fragment):
    verdict = check_sweep_step(SWEEP_MISTAKES_MORE[fragment])
    assert not verdict.passed and fragment in verdict.message, verdict.message


def test_sweep_step_accepts_in_place_jump_with_copy_of_rows():
    """Correct, written as ``lam_v[rows, neuron] += …`` on the decayed input arrays."""
    def sweep(lam_v, lam_i, gap, neuron, dl, vd, p, R):
        g = gap[:, None]
        A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
        lam_i[:] = (lam_i - A) * np.exp(-g / p.tau_syn) + A * np.exp(-g / p.tau_mem)
        lam_v *= np.exp(-g / p.tau_mem)
        rows = np.arange(lam_v.shape[0])
        lam_v[rows, neuron] += (dl + p.threshold * lam_v[rows, neuron] + np.einsum(
            "bj,bj->b", R[neuron], lam_v - lam_i)) / (p.tau_mem * vd)
        return lam_v, lam_i

    assert check_sweep_step(sweep).passed


# --- mistakes named in the third edition (referee r2, run 3 #10–14 and run 6) ------------

def _decayed(lam_v, lam_i, gap, p, ratio=None):
    g = gap[:, None]
    a = p.tau_mem / (p.tau_mem - p.tau_syn) if ratio is None else ratio
    A = a * lam_v
    return lam_v * np.exp(-g / p.tau_mem), (lam_i - A) * np.exp(-g / p.tau_syn) + A * np.exp(
        -g / p.tau_mem)


def _strict_gap(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    lv, li = _decayed(lam_v, lam_i, gap, p)
    out = spike_jump(lv, li, neuron, dl, vd, p, R)
    return np.where(gap[:, None] > 0, out, lv), li  # `>` where `≥` is meant


def _ratio_flipped(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    lv, li = _decayed(lam_v, lam_i, gap, p, ratio=p.tau_syn / (p.tau_syn - p.tau_mem))
    return spike_jump(lv, li, neuron, dl, vd, p, R), li


def _column_slip(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    lv, li = _decayed(lam_v, lam_i, gap, p)
    rows = np.arange(lv.shape[0])
    bracket = dl + p.threshold * lv[rows, neuron] + np.einsum("bj,bj->b", R[neuron], lv - li)
    out = lv.copy()
    out[:, neuron] += bracket / (p.tau_mem * vd)  # the slip: rows missing
    return out, li


def _recurrent_before_decay(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    lv, li = _decayed(lam_v, lam_i, gap, p)
    rows = np.arange(lv.shape[0])
    bracket = dl + p.threshold * lv[rows, neuron] + np.einsum("bj,bj->b", R[neuron],
                                                               lam_v - lam_i)
    out = lv.copy()
    out[rows, neuron] += bracket / (p.tau_mem * vd)
    return out, li


def _reset_from_lam_i(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    lv, li = _decayed(lam_v, lam_i, gap, p)
    rows = np.arange(lv.shape[0])
    bracket = dl + p.threshold * li[rows, neuron] + np.einsum("bj,bj->b", R[neuron], lv - li)
    out = lv.copy()
    out[rows, neuron] += bracket / (p.tau_mem * vd)
    return out, li


def _jump_subtracted(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    lv, li = sweep_step(lam_v, lam_i, gap, neuron, dl, vd, p, R)
    decayed, _ = _decayed(lam_v, lam_i, gap, p)
    rows = np.arange(lv.shape[0])
    lv[rows, neuron] = 2 * decayed[rows, neuron] - lv[rows, neuron]
    return lv, li


SWEEP_MISTAKES_THIRD = {
    "the whole jump is subtracted": _jump_subtracted,
    "`>` for `≥`: no jump where the gap is 0": _strict_gap,
    "A = τ_syn/(τ_syn − τ_mem) is wrong": _ratio_flipped,
    "broadcasting slip out[:, neuron] +=": _column_slip,
    "recurrent term reads λ_V − λ_I before the decay": _recurrent_before_decay,
    "reset term reads λ_I": _reset_from_lam_i,
}


@pytest.mark.parametrize("fragment", SWEEP_MISTAKES_THIRD)
def test_sweep_step_names_third_edition_mistakes(fragment):
    verdict = check_sweep_step(SWEEP_MISTAKES_THIRD[fragment])
    assert not verdict.passed and fragment in verdict.message, verdict.message


def test_sweep_step_accepts_a_loop_over_samples():
    def sweep(lam_v, lam_i, gap, neuron, dl, vd, p, R):
        lv_out, li_out = np.empty_like(lam_v), np.empty_like(lam_i)
        a = p.tau_mem / (p.tau_mem - p.tau_syn)
        for b in range(lam_v.shape[0]):
            lv = lam_v[b] * np.exp(-gap[b] / p.tau_mem)
            li = (lam_i[b] - a * lam_v[b]) * np.exp(-gap[b] / p.tau_syn) + a * lv
            n = neuron[b]
            lv_out[b], li_out[b] = lv, li
            lv_out[b, n] += (dl[b] + p.threshold * lv[n] + R[n] @ (lv - li)) / (p.tau_mem * vd[b])
        return lv_out, li_out

    assert check_sweep_step(sweep).passed


def _partly_updated(lam_v, lam_i, n, dl, vd, p, R):
    out = lam_v.copy()
    out[n] += dl / (p.tau_mem * vd)
    out[n] += (p.threshold * out[n] + R[n] @ (out - lam_i)) / (p.tau_mem * vd)
    return out


def _tau_multiplied(lam_v, lam_i, n, dl, vd, p, R):
    out = lam_v.copy()
    out[n] += (dl + p.threshold * lam_v[n] + R[n] @ (lam_v - lam_i)) * p.tau_mem / vd
    return out


def _subtracted(lam_v, lam_i, n, dl, vd, p, R):
    out = lam_v.copy()
    out[n] -= (dl + p.threshold * lam_v[n] + R[n] @ (lam_v - lam_i)) / (p.tau_mem * vd)
    return out


def _skips_self(lam_v, lam_i, n, dl, vd, p, R):
    others = np.arange(lam_v.size) != n
    out = lam_v.copy()
    out[n] += (dl + p.threshold * lam_v[n] + R[n][others] @ (lam_v - lam_i)[others]) / (
        p.tau_mem * vd)
    return out


def _bracket(lam_v, lam_i, n, dl, vd, p, R, *, reset=None, recurrent=None, v_dot_times=False):
    """The jump with its reset term (reset(lam_v, lam_i, n)) or recurrent term changed, or
    V̇⁻ multiplying the bracket."""
    out = lam_v.copy()
    ref = p.threshold * lam_v[n] if reset is None else reset(lam_v, lam_i, n) * p.threshold
    rec = R[n] @ (lam_v - lam_i) if recurrent is None else recurrent(R[n], lam_v, lam_i)
    bracket = dl + ref + rec
    out[n] += bracket * vd / p.tau_mem if v_dot_times else bracket / (p.tau_mem * vd)
    return out


SPIKE_JUMP_MISTAKES_FOURTH = {
    "V̇⁻ multiplies the bracket instead of dividing it": lambda *a: _bracket(
        *a, v_dot_times=True),
    "the reset term has the wrong sign": lambda *a: _bracket(
        *a, reset=lambda lv, li, n: -lv[n]),
    "the reset term reads λ_I": lambda *a: _bracket(*a, reset=lambda lv, li, n: li[n]),
    "the recurrent term lacks λ_I": lambda *a: _bracket(
        *a, recurrent=lambda row, lv, li: row @ lv),
}


@pytest.mark.parametrize("fragment", SPIKE_JUMP_MISTAKES_FOURTH)
def test_spike_jump_names_fourth_edition_mistakes(fragment):
    verdict = check_spike_jump(SPIKE_JUMP_MISTAKES_FOURTH[fragment])
    assert not verdict.passed and fragment in verdict.message, verdict.message


def test_sweep_step_names_a_recurrent_term_with_the_undecayed_lam_i():
    def undecayed_lam_i(lam_v, lam_i, gap, neuron, dloss_dt, v_dot, params, R):
        lv, li = _decayed(lam_v, lam_i, gap, params)
        rows = np.arange(lam_v.shape[0])
        bracket = (dloss_dt + params.threshold * lv[rows, neuron]
                   + np.einsum("bj,bj->b", R[neuron], lv - lam_i))      # λ_I before the gap
        out = lv.copy()
        out[rows, neuron] += bracket / (params.tau_mem * v_dot)
        return out, li

    verdict = check_sweep_step(undecayed_lam_i)
    assert not verdict.passed and "recurrent term reads λ_I before the decay" in \
        verdict.message, verdict.message


SPIKE_JUMP_MISTAKES_THIRD = {
    "partly updated λ_V": _partly_updated,
    "τ_mem multiplies the bracket": _tau_multiplied,
    "whole jump is subtracted": _subtracted,
    "skips j = n": _skips_self,
}


@pytest.mark.parametrize("fragment", SPIKE_JUMP_MISTAKES_THIRD)
def test_spike_jump_names_third_edition_mistakes(fragment):
    verdict = check_spike_jump(SPIKE_JUMP_MISTAKES_THIRD[fragment])
    assert not verdict.passed and fragment in verdict.message, verdict.message


def test_sweep_step_names_a_bracket_read_before_the_decay():
    def undecayed_bracket(lam_v, lam_i, gap, neuron, dloss_dt, v_dot, params, R):
        g = gap[:, None]
        em, es = np.exp(-g / params.tau_mem), np.exp(-g / params.tau_syn)
        a = params.tau_mem / (params.tau_mem - params.tau_syn) * lam_v
        lv, li = lam_v * em, (lam_i - a) * es + a * em
        rows = np.arange(lam_v.shape[0])
        bracket = (dloss_dt + params.threshold * lam_v[rows, neuron]        # λ_V before the gap
                   + np.einsum("bj,bj->b", R[neuron], lam_v - li))
        out = lv.copy()
        out[rows, neuron] += bracket / (params.tau_mem * v_dot)
        return out, li

    verdict = check_sweep_step(undecayed_bracket)
    assert not verdict.passed and "bracket reads λ_V before the decay" in verdict.message, \
        verdict.message


def _jump_slip(*, vd_power=1.0, reset=1.0, skip_self=False):
    """The decay right, the jump with one slip: V̇⁻ to a power, the reset's sign, R_nn skipped."""
    def step(lam_v, lam_i, gap, neuron, dl, vd, p, R):
        lv, li = _decayed(lam_v, lam_i, gap, p)
        rows = np.arange(lv.shape[0])
        Rb = R - np.diag(np.diag(R)) if skip_self else R
        bracket = (dl + reset * p.threshold * lv[rows, neuron]
                   + np.einsum("bj,bj->b", Rb[neuron], lv - li))
        out = lv.copy()
        out[rows, neuron] += bracket / (p.tau_mem * vd**vd_power)
        return out, li
    return step


def _swapped_pair(*args):
    lv, li = sweep_step(*args)
    return li, lv


def _lam_i_not_decayed(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    lv, _ = sweep_step(lam_v, lam_i.copy(), gap, neuron, dl, vd, p, R)
    return lv, lam_i


def _lam_i_frozen(lam_v, lam_i, gap, neuron, dl, vd, p, R):
    """λ_V decayed, λ_I never touched: the jump reads the undecayed λ_I, which is returned."""
    lv = lam_v * np.exp(-gap[:, None] / p.tau_mem)
    return spike_jump(lv, lam_i, neuron, dl, vd, p, R), lam_i


def _float32_result(*args):
    lv, li = sweep_step(*args)
    return lv.astype(np.float32), li.astype(np.float32)


SWEEP_MISTAKES_FIFTH = {
    "V̇⁻ multiplies the jump's bracket instead of dividing it": _jump_slip(vd_power=-1.0),
    "the reset term has the wrong sign": _jump_slip(reset=-1.0),
    "the recurrent sum skips j = n": _jump_slip(skip_self=True),
    "the pair is returned in the wrong order": _swapped_pair,
    "λ_I is not carried back over the gap": _lam_i_not_decayed,
    "jump's recurrent term reads it undecayed": _lam_i_frozen,
    "it returns float32 numbers": _float32_result,
}


@pytest.mark.parametrize("fragment", SWEEP_MISTAKES_FIFTH)
def test_sweep_step_names_fifth_edition_mistakes(fragment):
    verdict = check_sweep_step(SWEEP_MISTAKES_FIFTH[fragment])
    assert not verdict.passed and fragment in verdict.message, verdict.message


def _target_shifted(lam_v, lam_i, gap, neuron, dl, vd, p, R, shift=1, reset=1.0):
    """The decay right, the bracket read at the neuron that fires, the jump added elsewhere
    (or the reset term's factor ϑ left out)."""
    g = gap[:, None]
    A = p.tau_mem / (p.tau_mem - p.tau_syn) * lam_v
    lv = lam_v * np.exp(-g / p.tau_mem)
    li = (lam_i - A) * np.exp(-g / p.tau_syn) + A * np.exp(-g / p.tau_mem)
    rows = np.arange(lv.shape[0])
    bracket = dl + reset * p.threshold * lv[rows, neuron] + np.einsum(
        "bj,bj->b", R[neuron], lv - li)
    out = lv.copy()
    out[rows, (neuron + shift) % lv.shape[1]] += bracket / (p.tau_mem * vd)
    return out, li


@pytest.mark.parametrize(("candidate", "fragment"), [
    (_target_shifted, "the jump is added to neuron + 1"),
    (lambda *a: _target_shifted(*a, shift=-1), "the jump is added to neuron − 1"),
    (lambda *a: _target_shifted(*a, shift=0, reset=1.0 / a[6].threshold),
     "the factor ϑ of the reset term"),
])
def test_sweep_step_names_a_shifted_target_and_a_missing_threshold(candidate, fragment):
    verdict = check_sweep_step(candidate)
    assert not verdict.passed and fragment in verdict.message, verdict.message
