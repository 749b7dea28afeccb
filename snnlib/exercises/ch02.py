"""The checks of chapter 2's exercises: the triangle (warm-up) and the order-4 kernel."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable

import numpy as np

from snnlib.deltas import order4, triangle
from snnlib.exercises._core import Verdict, _close, _compare

__all__ = ["check_order4_kernel", "check_triangle"]


class _NoLoop(np.ndarray):
    """An array that refuses Python-level iteration, so a list comprehension over t shows."""

    def __iter__(self):
        raise TypeError("a Python loop over t (list comprehension or for): use numpy's "
                        "elementwise operations instead")


def _no_loop(t: np.ndarray) -> np.ndarray:
    return np.asarray(t, dtype=float).view(_NoLoop)


#: Calls that hide a Python-level loop over the elements behind a numpy-looking name.
_LOOP_CALLS = {"vectorize": "np.vectorize", "frompyfunc": "np.frompyfunc", "map": "map",
               "fromiter": "np.fromiter", "apply_along_axis": "np.apply_along_axis"}


def _loop_in_source(candidate: Callable, _seen: set | None = None) -> str | None:
    """Name the first Python-level loop in ``candidate``'s source, or None.

    Reads the source (``inspect.getsource``) and walks its syntax tree for ``for``/``while``
    statements, comprehensions and generator expressions, and calls of ``np.vectorize``,
    ``np.frompyfunc``, ``np.fromiter``, ``np.apply_along_axis`` or ``map``; then does the same
    for every Python function of the reader's own that the candidate calls by name (a helper
    defined beside it), to any depth. Library code (numpy, snnlib) is not read. Deterministic: no
    timing. Code whose source cannot be read (a builtin, a lambda sharing its line with other
    code) is judged on its values only.
    """
    seen = set() if _seen is None else _seen
    if id(candidate) in seen:
        return None
    seen.add(id(candidate))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(candidate)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.AsyncFor):
            return "a Python for loop"
        if isinstance(node, ast.While):
            return "a Python while loop"
        if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            return "a comprehension (a Python loop)"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in _LOOP_CALLS:
                return f"{_LOOP_CALLS[name]} (a Python loop in disguise)"
    for helper in _own_helpers(candidate, tree):
        loop = _loop_in_source(helper, seen)
        if loop is not None:
            return f"{loop} (in its helper {helper.__name__})"
    return None


def _own_helpers(candidate: Callable, tree: ast.AST) -> list[Callable]:
    """The plain Python functions, not numpy's or snnlib's, that ``candidate`` calls by name."""
    names = {node.func.id for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    namespace = {**getattr(candidate, "__globals__", {}),
                 **inspect.getclosurevars(candidate).nonlocals} if inspect.isfunction(candidate) \
        else {}
    helpers = []
    for name in sorted(names):
        obj = namespace.get(name)
        module = getattr(obj, "__module__", "") or ""
        if inspect.isfunction(obj) and not module.startswith(("numpy", "snnlib", "scipy")):
            helpers.append(obj)
    return helpers


def _layout_and_precision(args: tuple, got: np.ndarray, expected: np.ndarray) -> str | None:
    """Name a transposed output or single-precision arithmetic."""
    if got.ndim == 2 and got.shape == got.T.shape and _close(got, expected.T):
        return "transposed: the output must have t's layout, element for element"
    scale = np.abs(expected).max(initial=1.0)
    if np.allclose(got, expected, rtol=1e-6, atol=1e-6 * scale):
        return ("agrees only to about 1e-7: single precision (float32)? compute in float64, "
                "numpy's default")
    return None


def _without_loops(candidate: Callable, verdict: Verdict) -> Verdict:
    """``verdict``, unless it passed and the candidate's source contains a Python loop."""
    if not verdict.passed:
        return verdict
    loop = _loop_in_source(candidate)
    if loop is None:
        return verdict
    return Verdict(verdict.name, False,
                   f"the values agree with snnlib, but the code uses {loop}; the exercise asks "
                   "for none (not even over a few constants): write it with numpy's elementwise "
                   "operations (np.where, np.abs, "
                   "masks), which run in compiled code")


def check_triangle(candidate: Callable[[np.ndarray, float], np.ndarray]) -> Verdict:
    r"""Check ``candidate(t, eps)`` :math:`= \Lambda_\varepsilon(t)` for arrays ``t``.

    Names: no ``1/ε`` or ``1/ε²`` (the area), a reversed sign, a transposed output, single
    precision, ε taken as the full width, a box (constant on its support), nonzero for
    :math:`|t| \ge \varepsilon`, not even, and a Python loop over ``t`` (at run time, or in the
    source, its own or its helpers': ``for``/``while``, a comprehension, ``np.vectorize``,
    ``np.frompyfunc``, ``map``).

    Examples
    --------
    >>> def my_triangle(t, eps):
    ...     return np.maximum(0.0, 1.0 - np.abs(t) / eps)   # forgot to divide by eps
    >>> print(check_triangle(my_triangle))
    my_triangle: not yet — not normalised: it integrates to 0.5, Λ_ε must integrate to 1 (case 1)
    """
    cases = [(_no_loop(np.linspace(-1.0, 1.0, 2001)), eps) for eps in (0.5, 0.1, 2.0)]
    cases.append((_no_loop(np.array([[-0.3, 0.0], [0.1, 0.7]])), 0.4))

    def full_width(args, got, expected):
        t, eps = args
        if _close(got, -expected):
            return "the sign is reversed: Λ_ε ≥ 0"
        if _close(got, triangle(t, eps / 2)) or _close(got, triangle(t, eps / 2) / 2):
            return "ε taken as the full width: Λ_ε has half-width ε, support (−ε, ε)"
        return None

    def normalisation(args, got, expected):
        t, eps = args
        if t.ndim == 1 and np.all(np.abs(t[[0, -1]]) >= eps):
            area = np.trapezoid(got, np.asarray(t))
            # The trapezoid rule is off by at most h·|jump|/2 at each of at most two jumps (a
            # box's edges), and by O(h²) elsewhere: a smaller deviation is not a wrong area.
            h = float(np.max(np.diff(np.asarray(t))))
            if abs(area - 1.0) > h * float(np.max(np.abs(got))) + 1e-6:
                return f"not normalised: it integrates to {area:.3g}, Λ_ε must integrate to 1"
        return None

    def box(args, got, expected):
        t = args[0]
        inside = got[got != 0]                     # the candidate's own support
        if t.ndim == 1 and inside.size > 2 and np.ptp(inside) <= 1e-12 * np.abs(inside).max():
            return ("constant on its support: a box, not the triangle; Λ_ε(t) = (1 − |t|/ε)/ε "
                    "falls linearly to 0 at |t| = ε")
        return None

    def support(args, got, expected):
        outside = np.abs(args[0]) >= args[1]
        if np.any(got[outside] != 0):
            return "nonzero for |t| ≥ ε: Λ_ε vanishes outside (−ε, ε)"
        return None

    def evenness(args, got, expected):
        t = args[0]
        if t.ndim == 1 and not _close(got, got[::-1]):
            return "not even: Λ_ε(−t) must equal Λ_ε(t)"
        return None

    verdict = _compare(candidate, cases, triangle, (full_width, _layout_and_precision, box,
                                                   support, evenness, normalisation))
    return _without_loops(candidate, verdict)


def _moments(t: np.ndarray, values: np.ndarray, h: float) -> np.ndarray:
    """m_0, m_2, m_4 of a kernel sampled at cell midpoints (spacing h, in units of eps)."""
    return np.array([np.sum(t**j * values) * h for j in (0, 2, 4)])


def _measured_order(candidate: Callable, eps_values=(0.4, 0.2)) -> float:
    """The order p of ⟨K_ε, cos⟩ − 1 ∝ ε^p from two widths, by the midpoint rule."""
    errors = []
    for eps in eps_values:
        h = eps / 4000
        t = -1.5 * eps + h * (np.arange(12000) + 0.5)
        values = np.asarray(candidate(_no_loop(t.copy()), eps), dtype=float)
        errors.append(abs(np.sum(values * np.cos(t)) * h - 1.0))
    return float(np.log(errors[0] / errors[1]) / np.log(eps_values[0] / eps_values[1]))


def check_order4_kernel(candidate: Callable[[np.ndarray, float], np.ndarray]) -> Verdict:
    r"""Check ``candidate(t, eps)`` :math:`= K_4(t/\varepsilon)/\varepsilon`, the order-4 kernel.

    :math:`K_4(x) = (9 - 15x^2)/8` for :math:`|x| \le 1` (closed: :math:`K_4(\pm1) = -3/4`),
    0 outside; compared with :func:`snnlib.deltas.order4` on grids that hit :math:`t = 0` and
    :math:`t = \pm\varepsilon` exactly. A disagreement is explained where a typical mistake
    fits: a missing or squared ``1/ε``, ε as the full width, an unscaled argument (with or
    without a scaled support), a wrong normalisation or sign, an
    order-2 kernel (:math:`m_2 \ne 0`, measured error order 2), not even, nonzero outside the
    support, the wrong value at :math:`|t| = \varepsilon` (``<`` for ``≤``), a transposed
    output, single precision, a Python loop
    (iteration over t at run time, or in the source a ``for``/``while``, a comprehension,
    ``np.vectorize``, ``np.frompyfunc``, ``np.fromiter``, ``np.apply_along_axis``, ``map``).
    A correct kernel's measured order (pairing with cos at ε = 0.4 and 0.2) is reported.

    Examples
    --------
    >>> def kernel(t, eps):
    ...     x = t / eps
    ...     return np.where(np.abs(x) <= 1, (9 - 15 * x**2) / 8, 0.0)   # forgot 1/eps
    >>> print(check_order4_kernel(kernel))
    kernel: not yet — the factor 1/ε is missing: K_4(t/ε)/ε has area 1 for every ε (case 1)
    """
    h = 1.0 / 4000
    moment_grid = -1.5 + h * (np.arange(12000) + 0.5)  # cell midpoints, never on ±1
    cases = [(_no_loop(np.linspace(-0.5, 0.5, 201)), 0.25),          # hits 0, ±ε exactly
             (_no_loop(moment_grid * 0.5), 0.5),
             (_no_loop(np.linspace(-3.0, 3.0, 61)), 2.0),
             (_no_loop(np.array([[-0.3, 0.0], [0.4, 0.7]])), 0.4)]

    def matches(got, other):
        return _close(got, np.asarray(other, dtype=float))

    def factor(args, got, expected):
        t, eps = args
        if matches(got, expected * eps):
            return "the factor 1/ε is missing: K_4(t/ε)/ε has area 1 for every ε"
        if matches(got, expected / eps):
            return "divided by ε²: the scaling is K_4(t/ε)/ε, one factor 1/ε"
        if matches(got, order4(t, eps / 2)) or matches(got, order4(t, eps / 2) / 2):
            return "ε taken as the full width: the support is |t| ≤ ε (half-width ε)"
        if matches(got, order4(t, 1.0) / eps):
            return "the argument is not scaled: K_4(t/ε)/ε, not K_4(t)/ε"
        if matches(got, np.where(np.abs(t) <= eps, (9.0 - 15.0 * t**2) / 8.0, 0.0) / eps):
            return ("the argument of K_4 is not scaled: the support |t| ≤ ε is right, but the "
                    "polynomial is evaluated at t instead of x = t/ε")
        if matches(got, -expected):
            return "the sign is reversed: K_4(0) = 9/8 > 0, the kernel is negative near |x| = 1"
        return None

    def outside(args, got, expected):
        t, eps = args
        if np.any(got[np.abs(t) > eps] != 0):
            return "nonzero outside the support: K_4 vanishes for |t| > ε"
        return None

    def evenness(args, got, expected):
        t = args[0]
        if t.ndim == 1 and not _close(got, got[::-1]):
            return "not even: K_4(−x) must equal K_4(x), so that the odd moments vanish"
        return None

    def edge(args, got, expected):
        t, eps = args
        at_edge = np.isclose(np.abs(t), eps, rtol=1e-12, atol=0)
        if np.any(at_edge) and _close(got[~at_edge], expected[~at_edge]):
            return ("wrong value at |t| = ε only: the support is closed, K_4(±1) = −3/4 "
                    "(< used for ≤?)")
        return None

    def moments(args, got, expected):
        eps = 0.5
        values = np.asarray(candidate(_no_loop(moment_grid * eps), eps), dtype=float)
        m0, m2, _ = _moments(moment_grid, values * eps, h)
        if not np.isclose(m0, 1.0, atol=1e-4):
            return f"wrong normalisation: it integrates to {m0:.4g}, must be 1"
        if not np.isclose(m2, 0.0, atol=1e-4):
            return (f"an order-2 kernel: second moment m₂ = {m2:.4g}, must be 0 for order 4 "
                    f"(measured error order {_measured_order(candidate):.2f})")
        inside = np.abs(moment_grid) < 1
        shape = np.polynomial.polynomial.polyfit(moment_grid[inside] ** 2,
                                                 values[inside] * eps, 2)
        if abs(shape[2]) > 1e-6:                    # not a + b x² on the support
            return ("an order-4 kernel, but not the quadratic a + b x² on [−1, 1] the exercise "
                    "asks for (a, b from ∫K = 1 and m₂ = 0)")
        return None

    hints = (factor, _layout_and_precision, evenness, outside, edge, moments)
    verdict = _without_loops(candidate, _compare(candidate, cases, order4, hints))
    if not verdict.passed:
        return verdict
    return Verdict(verdict.name, True,
                   f"{verdict.message}; measured order {_measured_order(candidate):.2f} (4)")
