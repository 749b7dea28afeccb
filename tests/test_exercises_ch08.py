"""The check of chapter 8's "Implement …" exercise accepts correct code and names the mistakes."""

import numpy as np
import pytest

from snnlib.exercises import check_alexiewicz_norm


@pytest.mark.parametrize(
    ("candidate", "fragment"),
    [
        (lambda x, dt: np.max(np.abs(np.cumsum(x))), "factor Δt is missing"),
        (lambda x, dt: np.sum(np.abs(x)) * dt, "L¹ norm"),
        (lambda x, dt: np.max(np.abs(x)), "largest sample"),
        (lambda x, dt: "two", "not numbers"),
    ],
)
def test_alexiewicz_norm_mistakes(candidate, fragment):
    verdict = check_alexiewicz_norm(candidate)
    assert not verdict.passed and fragment in verdict.message


def test_alexiewicz_norm_correct():
    verdict = check_alexiewicz_norm(lambda x, dt: np.max(np.abs(np.cumsum(x) * dt)))
    assert verdict.passed and str(verdict).startswith("<lambda>: correct")
