"""The checks of chapter 1's exercises accept correct code and name the typical mistakes."""

import numpy as np
import pytest
from numpy.polynomial import Polynomial

from snnlib.exercises import check_bump_derivative, check_spike_train_pairing


def good_pairing(times, weights, phi, n):
    return (-1) ** n * float(np.sum(weights * phi.derivative(n)(times)))


def test_spike_train_pairing():
    assert check_spike_train_pairing(good_pairing).passed
    assert "weights w_i are ignored" in check_spike_train_pairing(
        lambda t, w, phi, n: good_pairing(t, np.ones_like(w), phi, n)).message
    assert "instead of its n-th derivative" in check_spike_train_pairing(
        lambda t, w, phi, n: float(np.sum(w * phi(t)))).message


PAIRING_CATALOGUE = {
    "the sign (−1)ⁿ of the derivative's pairing is missing":
        lambda t, w, phi, n: float(np.sum(w * phi.derivative(n)(t))),
    "instead of its n-th derivative":  # sign kept, φ for φ⁽ⁿ⁾
        lambda t, w, phi, n: (-1) ** n * float(np.sum(w * phi(t))),
    "a fixed '−'":  # always "−"
        lambda t, w, phi, n: -float(np.sum(w * phi.derivative(n)(t))),
    "(−1)ⁿ⁺¹":  # the sign of the next order
        lambda t, w, phi, n: (-1) ** (n + 1) * float(np.sum(w * phi.derivative(n)(t))),
    "+ for even n":  # −1 for every n ≥ 1
        lambda t, w, phi, n: (-1 if n else 1) * float(np.sum(w * phi.derivative(n)(t))),
    "the mean over the spikes":
        lambda t, w, phi, n: (-1) ** n * float(np.mean(w * phi.derivative(n)(t))),
    "weights w_i are ignored":
        lambda t, w, phi, n: (-1) ** n * float(np.sum(phi.derivative(n)(t))),
    "φ = φ⁽ⁿ⁻¹⁾: or off by one in n":
        lambda t, w, phi, n: (-1) ** n * float(np.sum(w * phi.derivative(max(n - 1, 0))(t))),
    "off by one in n (φ⁽ⁿ⁺¹⁾)":
        lambda t, w, phi, n: (-1) ** n * float(np.sum(w * phi.derivative(n + 1)(t))),
    "or φ′ whatever n is":  # the first derivative for every n
        lambda t, w, phi, n: (-1) ** n * float(np.sum(w * phi.derivative(1)(t))),
}


@pytest.mark.parametrize("mistake", sorted(PAIRING_CATALOGUE))
def test_spike_train_pairing_names_each_mistake(mistake):
    verdict = check_spike_train_pairing(PAIRING_CATALOGUE[mistake])
    assert not verdict.passed and mistake in verdict.message, verdict.message


ONE_MINUS_X2, X = Polynomial([1.0, 0.0, -1.0]), Polynomial([0.0, 1.0])


def make(steps=lambda n: n, power=lambda n: 2 * n, shift=0, first=1.0, second=1.0,
         two_x=-2.0, chain=lambda n: n, mask=True, centre=1.0, in_place=False, four=4.0,
         e=1.0, argument=lambda t, c, w: (t - c) / w, final_n=False, one_exponential=True,
         cut=1.0, square=True):
    """The solution of the exercise, with one knob per typical mistake."""

    def bump_derivative(t, n, center=0.0, width=1.0):
        if in_place:
            x = t
            x -= center
            x /= width
        else:
            x = argument(np.asarray(t, dtype=float), centre * center, width)
        p = Polynomial([1.0])
        for k in range(steps(n)):
            index = n if final_n else k + shift
            p = (first * p.deriv() * ONE_MINUS_X2**2
                 + (second * four * index * X * ONE_MINUS_X2
                    + two_x * X * (1.0 if square else ONE_MINUS_X2)) * p)
        with np.errstate(all="ignore"):
            s = 1.0 - x**2
            if one_exponential:
                value = p(x) * np.exp(e - 1.0 / s - power(n) * np.log(s))
            else:
                value = p(x) * np.exp(e - 1.0 / s) / s ** power(n)
        if mask:
            value = np.where(np.abs(x) < cut, value, 0.0)
        return value / width ** chain(n)

    return bump_derivative


def test_bump_derivative_accepts_correct_code():
    for candidate in (make(), make(in_place=True)):
        verdict = check_bump_derivative(candidate)
        assert verdict.passed, verdict.message


BUMP_CATALOGUE = {
    "not zero at or outside the support": make(mask=False),
    "zero inside the support, next to its edge": make(cut=0.976),
    "wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^0": make(chain=lambda n: 0),
    "here w^+n": make(chain=lambda n: -n),
    "here w^−1": make(chain=lambda n: 1),
    "here w^−(n+1)": make(chain=lambda n: n + 1),
    "here w^−2n": make(chain=lambda n: 2 * n),
    "the centre is ignored": make(centre=0.0),
    "the shift has the wrong sign": make(centre=-1.0),
    "off by one in n: this is the derivative of order n + 1":
        make(steps=lambda n: n + 1, power=lambda n: 2 * n + 2),
    "off by one in n: the recursion ran n + 1 times": make(steps=lambda n: n + 1),
    "off by one in n: the recursion ran n − 1 times": make(steps=lambda n: max(n - 1, 0)),
    "not 4(k + 1)": make(shift=1),
    "not 4n x(1 − x²) with the final n in every step": make(final_n=True),
    "not (1 − x²)^{2n−1}": make(power=lambda n: 2 * n - 1),
    "NaN next to the edge of the support": make(one_exponential=False),
    "dropped term of the recursion: p_n′(1 − x²)²": make(first=0.0),
    "dropped term of the recursion: 4n x(1 − x²) p_n": make(second=0.0),
    "not +2x": make(two_x=2.0),
    "dropped term of the recursion: −2x p_n": make(two_x=0.0),
    "not (1 − x²)^n": make(power=lambda n: n),
    "the recursion's last term is −2x p_n": make(square=False),
    "not (1 − x²)^{2n+1}": make(power=lambda n: 2 * n + 1),
    "dropped factor 2 in the recursion": make(four=2.0),
    "the factor e of ψ is missing": make(e=0.0),
    "the argument is reflected: x = (t − c)/w, not (c − t)/w":
        make(argument=lambda t, c, w: (c - t) / w),
    "not (t − c)·w": make(argument=lambda t, c, w: (t - c) * w),
    "operator precedence": make(argument=lambda t, c, w: t - c / w),
    "not (t − c)/(2w): w is the half-width": make(argument=lambda t, c, w: (t - c) / (2 * w)),
    "not t/w − c: shift first, then scale": make(argument=lambda t, c, w: t / w - c),
    "the overall sign is reversed":
        lambda t, n, center=0.0, width=1.0: -make()(t, n, center, width),
    "the centre and the width are ignored (at n = 0 too)":
        lambda t, n, center=0.0, width=1.0: (make()(t, 0) if n == 0
                                             else make()(t, n, center, width)),
    "wrong chain factor: φ⁽ⁿ⁾(t) = w⁻ⁿ ψ⁽ⁿ⁾((t − c)/w), here w^0 (case 13)":
        lambda t, n, center=0.0, width=1.0: (make()(t, 1, center, width) * width if n == 1
                                             else make()(t, n, center, width)),
}


@pytest.mark.parametrize("mistake", sorted(BUMP_CATALOGUE))
def test_bump_derivative_names_each_mistake(mistake):
    verdict = check_bump_derivative(BUMP_CATALOGUE[mistake])
    assert not verdict.passed and mistake in verdict.message, verdict.message


def test_bump_derivative_not_implemented():
    def not_yet(t, n, center=0.0, width=1.0):
        raise NotImplementedError

    assert "not implemented yet" in check_bump_derivative(not_yet).message


def test_spike_train_pairing_accepts_in_place_candidate():
    def in_place(times, weights, phi, n):
        weights *= (-1) ** n                     # changes its input
        return float(np.sum(weights * phi.derivative(n)(times)))

    assert check_spike_train_pairing(in_place).passed


def test_bump_derivative_does_not_blame_the_support_for_a_tiny_rest():
    """Nested central differences (h = 10⁻³) leave values of order 10⁻²¹⁵ just outside the
    support; they are wrong inside by about 10⁻⁵, and that is what the verdict must say."""
    def psi(x):
        with np.errstate(all="ignore"):
            return np.where(np.abs(x) < 1, np.exp(1 - 1 / (1 - x**2)), 0.0)

    def differences(t, n, center=0.0, width=1.0, h=1e-3):
        if n == 0:
            return psi((np.asarray(t, dtype=float) - center) / width)
        return (differences(t + h, n - 1, center, width)
                - differences(t - h, n - 1, center, width)) / (2 * h)

    verdict = check_bump_derivative(differences)
    assert not verdict.passed
    assert "support" not in verdict.message, verdict.message
