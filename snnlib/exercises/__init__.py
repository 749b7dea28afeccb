r"""Checks for the book's "Implement …" exercises: the reader's function against snnlib.

Each check calls the reader's ``candidate`` on a fixed set of cases, compares the results with
the library's own function and returns a :class:`Verdict`. When they disagree, the verdict
names the first case that fails and, where a common mistake explains the numbers, says which
(a missing factor, a wrong sign, a forgotten term). It never raises: a candidate that raises
``NotImplementedError`` is "not implemented yet", any other exception is reported.

Contents
--------
Verdict
    ``passed`` and a message; printing it gives one line.
check_spike_train_pairing, check_bump_derivative
    :math:`\langle s^{(n)}, \varphi\rangle` of a weighted spike train and the bump's
    derivatives from the :math:`p_n` recursion (chapter 1), against
    :mod:`snnlib.distributions`.
check_triangle, check_order4_kernel
    :math:`\Lambda_\varepsilon(t)` and the order-4 kernel (chapter 2) against
    :func:`snnlib.deltas.triangle` and :func:`snnlib.deltas.order4`.
check_find_zeros
    The sign-changing zeros of a function on a grid (chapter 3) against
    :func:`snnlib.deltas.find_zeros`.
check_lif_step
    The closed-form LIF step between events (chapter 4's warm-up).
check_first_crossing
    The first threshold crossing between two events, bracketed and refined (chapter 4)
    against the event step of :func:`snnlib.lif.forward`.
check_rate_jacobians, check_backward_sweep
    :math:`F_x` and :math:`F_p` of the rate network of chapter 5, and the discrete backward
    sweep against :func:`snnlib.adjoint.euler_discrete_gradient`.
check_spike_jump
    The adjoint's jump at a spike (chapter 6) against :func:`snnlib.eventprop.spike_jump`.
check_sweep_step
    One step of a recurrent layer's backward sweep (chapter 6) against
    :func:`snnlib.eventprop.sweep_step`.
check_cross_entropy_grad
    :math:`\partial\ell/\partial t_k` of the first-spike cross-entropy (chapter 7) against
    :func:`snnlib.losses.first_spike_cross_entropy`, every output firing (a warm-up).
check_first_spike_loss
    The first-spike loss and its derivative with silent neurons (``+inf``), chapter 7.
check_alexiewicz_norm
    :math:`\|x\|_A` of a sampled signal (chapter 8, warm-up) against
    :func:`snnlib.sampling.alexiewicz_norm`.
check_integrate_and_fire
    Two-sided IF with reset to mod and leak (chapter 8) against
    :func:`snnlib.sampling.integrate_and_fire`.
check_send_on_delta, check_min_events
    Send-on-delta with the lattice reference (chapter 9's warm-up) against
    :func:`snnlib.sampling.send_on_delta`, and a lattice reconstruction within Δ with the
    fewest events (chapter 9), counted against :func:`snnlib.sampling.sparsest_quantization`.
"""

from snnlib.exercises._core import Verdict
from snnlib.exercises.ch01 import check_bump_derivative, check_spike_train_pairing
from snnlib.exercises.ch02 import check_order4_kernel, check_triangle
from snnlib.exercises.ch03 import check_find_zeros
from snnlib.exercises.ch04 import check_first_crossing, check_lif_step
from snnlib.exercises.ch05 import check_backward_sweep, check_rate_jacobians
from snnlib.exercises.ch06 import check_spike_jump, check_sweep_step
from snnlib.exercises.ch07 import check_cross_entropy_grad, check_first_spike_loss
from snnlib.exercises.ch08 import check_alexiewicz_norm, check_integrate_and_fire
from snnlib.exercises.ch09 import check_min_events, check_send_on_delta

__all__ = [
    "Verdict",
    "check_alexiewicz_norm",
    "check_backward_sweep",
    "check_bump_derivative",
    "check_cross_entropy_grad",
    "check_find_zeros",
    "check_first_crossing",
    "check_first_spike_loss",
    "check_integrate_and_fire",
    "check_lif_step",
    "check_min_events",
    "check_order4_kernel",
    "check_rate_jacobians",
    "check_send_on_delta",
    "check_spike_jump",
    "check_spike_train_pairing",
    "check_sweep_step",
    "check_triangle",
]
