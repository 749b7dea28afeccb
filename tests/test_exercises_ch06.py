"""The check of chapter 6's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.eventprop import spike_jump
from snnlib.exercises import check_spike_jump


def one_sample_jump(lam_v, lam_i, n, dloss_dt, v_dot, params, R):
    return spike_jump(lam_v[None], lam_i[None], np.array([n]), np.array([dloss_dt]),
                      np.array([v_dot]), params, R)[0]


def test_spike_jump():
    assert check_spike_jump(one_sample_jump).passed

    def transposed(lam_v, lam_i, n, dl, vd, p, R):
        return one_sample_jump(lam_v, lam_i, n, dl, vd, p, R.T)

    def no_reset(lam_v, lam_i, n, dl, vd, p, R):
        out = one_sample_jump(lam_v, lam_i, n, dl, vd, p, R)
        out[n] -= p.threshold * lam_v[n] / (p.tau_mem * vd)
        return out

    def wrong_sign(lam_v, lam_i, n, dl, vd, p, R):
        return one_sample_jump(lam_v, lam_i, n, -dl, vd, p, R)

    def everyone(lam_v, lam_i, n, dl, vd, p, R):
        return one_sample_jump(lam_v, lam_i, n, dl, vd, p, R) + 0.01

    assert "transposed" in check_spike_jump(transposed).message
    assert "reset term" in check_spike_jump(no_reset).message
    assert "wrong sign" in check_spike_jump(wrong_sign).message
    assert "only λ_V of the neuron" in check_spike_jump(everyone).message
    crashed = check_spike_jump(lambda *args: 1 / 0)
    assert not crashed.passed and "ZeroDivisionError" in crashed.message
