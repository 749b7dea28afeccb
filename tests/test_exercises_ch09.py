"""The check of chapter 9's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.exercises import check_send_on_delta


def test_send_on_delta():
    def good(x, delta):
        out, ref = np.zeros_like(x), x[0]
        for n in range(1, x.size):
            e = delta * np.trunc((x[n] - ref) / delta)
            out[n], ref = e, ref + e
        return out

    def unit(x, delta):
        out, ref = np.zeros_like(x), x[0]
        for n in range(1, x.size):
            if abs(x[n] - ref) >= delta:
                out[n] = delta * np.sign(x[n] - ref)
                ref += out[n]
        return out

    def rounding(x, delta):
        out, ref = np.zeros_like(x), x[0]
        for n in range(1, x.size):
            e = delta * np.round((x[n] - ref) / delta)
            out[n], ref = e, ref + e
        return out

    assert check_send_on_delta(good).passed
    assert "single ±Δ" in check_send_on_delta(unit).message
    assert "trunc" in check_send_on_delta(rounding).message
