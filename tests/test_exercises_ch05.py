"""The check of chapter 5's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np

from snnlib.exercises import check_rate_jacobians


def test_rate_jacobians():
    def good(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        F_x = -np.eye(x.size) + slope[:, None] * W
        F_p = np.hstack([np.kron(np.diag(slope), x), np.diag(slope)])
        return F_x, F_p

    def transposed(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        return -np.eye(x.size) + slope[None, :] * W.T, good(x, W, b)[1]

    def column_major(x, W, b):
        slope = 1 - np.tanh(W @ x + b) ** 2
        return good(x, W, b)[0], np.hstack([np.kron(x, np.diag(slope)), np.diag(slope)])

    assert check_rate_jacobians(good).passed
    assert "transposed" in check_rate_jacobians(transposed).message
    assert "row-major" in check_rate_jacobians(column_major).message
    assert "pair (F_x, F_p)" in check_rate_jacobians(lambda x, W, b: x).message
