"""The machinery shared by the exercise checks: :class:`Verdict` and the comparison loop."""


from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["IN_PLACE_NOTE", "RTOL", "Hint", "Verdict"]

#: Agreement asked of a candidate: a few units of rounding for these short formulas.
RTOL = 1e-10


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``passed`` and a message that says what is wrong, if anything.

    Examples
    --------
    >>> print(Verdict("f", True, "agrees with snnlib on 3 cases"))
    f: correct — agrees with snnlib on 3 cases
    """

    name: str
    passed: bool
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {'correct' if self.passed else 'not yet'} — {self.message}"


Hint = Callable[[tuple, np.ndarray, np.ndarray], str | None]


def _call(candidate: Callable, args: tuple, number: int, integers: bool = False
          ) -> tuple[np.ndarray | None, str | None, bool, str | None]:
    """Run ``candidate`` on a deep copy of ``args`` (case ``number``).

    Returns ``(got, failure, in_place, precision)``: the result as a float array, or ``None``
    and the message that fails the candidate; whether it changed its arguments; and what to
    say if it computes in a precision below float64 (``None`` if it does not) — with
    ``integers``, also if it returns an integer array (``_INTEGERS`` starts that message).
    """
    mine = copy.deepcopy(args)
    try:
        got = candidate(*mine)
    except NotImplementedError:
        return None, "not implemented yet (it raises NotImplementedError)", False, None
    except Exception as error:  # the reader's code: report whatever it raises
        return None, f"raised {type(error).__name__}: {error} (case {number})", False, None
    precision = _low_precision(got)
    if integers and getattr(got, "dtype", np.dtype(float)).kind in "iub":
        precision = (f"{_INTEGERS} ({got.dtype}): an integer array, such as "
                     "np.zeros(n, dtype=int), truncates every value stored in it; use a float "
                     "array")
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None, f"returned {type(got).__name__}, not numbers (case {number})", False, None
    return got, None, _changed(args, mine), precision


def _passed(name: str, cases: int, in_place: bool) -> Verdict:
    return Verdict(name, True, f"agrees with snnlib on all {cases} cases "
                               f"(to {RTOL:g} relative){IN_PLACE_NOTE if in_place else ''}")


def _compare(candidate: Callable, cases: Sequence[tuple], reference: Callable,
             hints: Sequence[Hint] = ()) -> Verdict:
    """Run ``candidate`` and ``reference`` on every case; the first disagreement decides.

    Each gets its own deep copy of the arguments, so a candidate that changes its input in
    place neither fails for it nor changes what the reference sees.
    """
    name = getattr(candidate, "__name__", "candidate")
    in_place = False
    for number, args in enumerate(cases, start=1):
        got, failure, changed, precision = _call(candidate, args, number, integers=True)
        if failure:
            return Verdict(name, False, failure)
        expected = np.asarray(reference(*copy.deepcopy(args)), dtype=float)
        in_place = in_place or changed
        if got.shape != expected.shape:
            return Verdict(name, False, f"returned shape {got.shape}, expected {expected.shape} "
                                        f"(case {number})")
        if not np.allclose(got, expected, rtol=RTOL, atol=RTOL * np.abs(expected).max(initial=1)):
            if precision and precision.startswith(_INTEGERS) \
                    and np.array_equal(expected, np.round(expected)):
                precision = None  # integers can be right here: the mistake is elsewhere
            if precision:
                return Verdict(name, False, f"{precision} (case {number})")
            for hint in hints:
                message = hint(args, got, expected)
                if message:
                    return Verdict(name, False, f"{message} (case {number})")
            error = np.abs(got - expected).max()
            return Verdict(name, False, f"largest difference from snnlib {error:.3g} "
                                        f"(case {number})")
    return _passed(name, len(cases), in_place)


#: How the verdict on an integer result begins (a result that should have had fractions).
_INTEGERS = "it returns integers"

#: Appended to a passing verdict whose candidate changed its arguments: allowed, but worth
#: knowing (the caller's array is gone; snnlib's functions never do this).
IN_PLACE_NOTE = ("; note: it changes its input arrays in place, which the check allows but "
                 "a caller may not expect (snnlib's functions leave their inputs alone)")


def _low_precision(got: object) -> str | None:
    """What to say when a candidate computes in a floating type narrower than float64."""
    dtype = getattr(got, "dtype", None)
    if dtype is None or dtype.kind not in "fc" or dtype.itemsize >= {"f": 8, "c": 16}[dtype.kind]:
        return None
    digits = np.finfo(dtype).precision
    kind = "half precision" if dtype.itemsize == 2 else "single precision"
    return (f"it returns {dtype} numbers: {kind} carries about {digits} significant digits, "
            f"too few to agree with snnlib's float64 results to {RTOL:g}; compute in float64, "
            "numpy's default")


def _float32_hint(args: tuple, got: np.ndarray, expected: np.ndarray) -> str | None:
    """A hint: ``got`` agrees with ``expected`` to float32 precision but not to float64's (a
    float32 value inside a computation whose result is float64)."""
    scale = np.abs(expected).max(initial=1.0)
    if np.allclose(got, expected, rtol=1e-6, atol=1e-6 * scale):
        return ("it agrees with snnlib only to about 7 significant digits, the precision of "
                "float32: a single-precision value somewhere, or an approximation (a finite "
                "difference, a truncated series), limits it; compute exactly, in float64")
    return None


def _changed(before: tuple, after: tuple) -> bool:
    """Whether the candidate changed any array among its arguments (compared with a copy)."""
    return any(isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
               and not (a.shape == b.shape and np.array_equal(a, b, equal_nan=True))
               for a, b in zip(before, after, strict=True))


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-8, atol=1e-12))

def _stacked(candidate: Callable) -> Callable:
    def run(*args):
        out = candidate(*args)
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError("must return a pair (V, I)")
        return _stack_keeping_precision(out)
    return run


def _stack_keeping_precision(parts: Sequence) -> np.ndarray:
    """Stack a candidate's returned arrays as float64, or as the narrowest float among them
    (so that a float32 result is named as such, not as a wrong number)."""
    arrays = [np.asarray(x) for x in parts]
    narrow = [a.dtype for a in arrays if a.dtype.kind == "f" and a.dtype.itemsize < 8]
    return np.stack([a.astype(narrow[0] if narrow else float) for a in arrays])


def _named(candidate: Callable, verdict: Verdict) -> Verdict:
    return Verdict(getattr(candidate, "__name__", "candidate"), verdict.passed, verdict.message)
