"""The checks of chapter 6's exercises: the jump at a spike (warm-up) and one step of the
recurrent backward sweep ("Implement …")."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from snnlib.eventprop import spike_jump, sweep_step
from snnlib.exercises._core import Verdict, _close, _compare, _stack_keeping_precision
from snnlib.lif import LIFParams

__all__ = ["check_spike_jump", "check_sweep_step"]


def check_spike_jump(candidate: Callable) -> Verdict:
    r"""Check ``candidate(lam_v, lam_i, n, dloss_dt, v_dot, params, R) -> lam_v_minus`` for
    one sample: vectors ``lam_v``, ``lam_i`` (the layer's :math:`\lambda_V^+, \lambda_I`), the
    neuron ``n`` that fires, numbers ``dloss_dt`` and ``v_dot``, and the recurrent weights
    ``R`` (an (n, n) array, possibly zero), against :func:`snnlib.eventprop.spike_jump`,

    .. math::

        \lambda_{V,n}^- = \lambda_{V,n}^+ + \frac{1}{\tau_\mathrm{mem}\dot V^-}
        \Bigl[\frac{\partial L}{\partial t_k} + \vartheta\lambda_{V,n}^+
        + \sum_j R_{nj}\bigl(\lambda_{V,j}^+ - \lambda_{I,j}\bigr)\Bigr].

    Named mistakes: a jump in other neurons, a missing recurrent term, a transposed R, the
    sign of :math:`(\lambda_I - \lambda_V)`, a recurrent sum that skips :math:`j = n`, a bracket
    read from a partly updated :math:`\lambda_V`, a missing reset term, a missing
    :math:`\tau_\mathrm{mem}`, :math:`\tau_\mathrm{syn}` in place of :math:`\tau_\mathrm{mem}`,
    :math:`\tau_\mathrm{mem}` or :math:`\dot V^-` multiplied instead of divided, the sign
    of :math:`\partial L/\partial t_k` or of the reset term, the reset term read from
    :math:`\lambda_I`, a recurrent term without :math:`\lambda_I`, the whole jump subtracted.

    Examples
    --------
    >>> def jump(lam_v, lam_i, n, dloss_dt, v_dot, params, R):
    ...     out = lam_v.copy()
    ...     out[n] += (dloss_dt + params.threshold * lam_v[n]) / (params.tau_mem * v_dot)
    ...     return out                                   # the recurrent term is missing
    >>> print(check_spike_jump(jump))
    jump: not yet — the recurrent term Σ_j R_nj (λ_V,j⁺ − λ_I,j) is missing (case 2)
    """
    rng = np.random.default_rng(6)
    p = LIFParams()
    cases = [(rng.normal(size=5), rng.normal(size=5), 2, 0.7, 0.3, p, np.zeros((5, 5)))]
    for _ in range(4):
        cases.append((rng.normal(size=5), rng.normal(size=5), int(rng.integers(5)),
                      float(rng.normal()), float(rng.uniform(0.05, 1.0)), p,
                      rng.normal(size=(5, 5))))
    # ties and grid values: λ_V⁺ = λ_I (the recurrent bracket vanishes), v_dot exactly 1
    same = rng.normal(size=4)
    cases.append((same, same.copy(), 0, 0.0, 1.0, LIFParams(10.0, 2.0, 1.0),
                  rng.normal(size=(4, 4))))
    # a threshold other than 1, so that a dropped ϑ shows
    cases.append((rng.normal(size=5), rng.normal(size=5), 3, 0.4, 0.5,
                  LIFParams(threshold=0.5), rng.normal(size=(5, 5))))

    def reference(lam_v, lam_i, n, dloss_dt, v_dot, params, R):
        return spike_jump(lam_v[None], lam_i[None], np.array([n]), np.array([dloss_dt]),
                          np.array([v_dot]), params, R)[0]

    def others(args, got, expected):
        n = args[2]
        mask = np.arange(got.size) != n
        if not _close(got[mask], expected[mask]):
            return "only λ_V of the neuron that fires may jump; the others must stay as they are"
        return None

    def recurrent_term(args, got, expected):
        lam_v, lam_i, n, dl, vd, params, R = args
        if _close(got, reference(lam_v, lam_i, n, dl, vd, params, np.zeros_like(R))):
            return "the recurrent term Σ_j R_nj (λ_V,j⁺ − λ_I,j) is missing"
        if _close(got, reference(lam_v, lam_i, n, dl, vd, params, R.T)):
            return "R is transposed: the spike of n adds row n, R[n, j], to neuron j"
        if _close(got, reference(lam_v, lam_i, n, dl, vd, params, -R)):
            return ("the sign of (λ_I − λ_V) is wrong: the recurrent term is "
                    "Σ_j R_nj (λ_V,j⁺ − λ_I,j)")
        if _close(got, reference(lam_v, lam_i, n, dl, vd, params, R - np.diag(np.diag(R)))):
            return ("the recurrent sum skips j = n: a self-connection R_nn is a recurrent "
                    "input like any other")
        partly = lam_v.copy()  # the bracket read after part of the jump was added
        partly[n] += dl / (params.tau_mem * vd)
        partly[n] += (params.threshold * partly[n] + R[n] @ (partly - lam_i)) / (params.tau_mem
                                                                                 * vd)
        if _close(got, partly):
            return ("the bracket reads a partly updated λ_V: every term of the bracket uses "
                    "λ_V⁺, the value before the jump is added")
        return None

    def reset_term(args, got, expected):
        lam_v, n, vd, params = args[0], args[2], args[4], args[5]
        without = expected.copy()
        without[n] -= params.threshold * lam_v[n] / (params.tau_mem * vd)
        if _close(got, without):
            return "the reset term ϑ λ_V,n⁺ is missing"
        unit = without.copy()
        unit[n] += lam_v[n] / (params.tau_mem * vd)
        if params.threshold != 1.0 and _close(got, unit):
            return "the factor ϑ of the reset term ϑ λ_V,n⁺ is missing"
        return None

    def changed_term(args, got, expected):
        lam_v, lam_i, n, _, vd, params, R = args
        scale, ta = params.tau_mem * vd, params.threshold
        for added, message in (
            (-2 * ta * lam_v[n], "the reset term has the wrong sign: it is +ϑ λ_V,n⁺"),
            (ta * (lam_i[n] - lam_v[n]), "the reset term reads λ_I: it is ϑ λ_V,n⁺, not "
                                         "ϑ λ_I,n"),
            (R[n] @ lam_i, "the recurrent term lacks λ_I: it is Σ_j R_nj (λ_V,j⁺ − λ_I,j), "
                           "not Σ_j R_nj λ_V,j⁺"),
            ((expected[n] - lam_v[n]) * scale * (vd * vd - 1), "V̇⁻ multiplies the bracket "
                                                               "instead of dividing it: the "
                                                               "factor is 1/(τ_mem V̇⁻)"),
        ):
            changed = expected.copy()
            changed[n] += added / scale
            if _close(got, changed):
                return message
        return None

    def time_constant(args, got, expected):
        lam_v, n, vd, params = args[0], args[2], args[4], args[5]
        bracket = (expected[n] - lam_v[n]) * params.tau_mem
        for factor, message in ((vd / params.tau_mem, "the factor 1/V̇⁻ is dropped: the jump "
                                                      "is the bracket over τ_mem V̇⁻"),
                                (1.0 / (params.tau_mem * vd), "V̇⁻ is squared: the factor is "
                                                              "1/(τ_mem V̇⁻)"),
                                (1.0, "the factor 1/τ_mem is missing"),
                                (1.0 / params.tau_syn, "τ_syn in place of τ_mem"),
                                (params.tau_mem, "τ_mem multiplies the bracket instead of "
                                                 "dividing it: the factor is 1/(τ_mem V̇⁻)")):
            changed = expected.copy()
            changed[n] = lam_v[n] + bracket * factor
            if _close(got, changed):
                return message
        return None

    def sign(args, got, expected):
        n, dl, vd, params = args[2], args[3], args[4], args[5]
        flipped = expected.copy()
        flipped[n] -= 2 * dl / (params.tau_mem * vd)
        if _close(got, flipped):
            return "∂L/∂t_k enters with the wrong sign"
        subtracted = expected.copy()
        subtracted[n] = 2 * args[0][n] - expected[n]
        if _close(got, subtracted):
            return "the whole jump is subtracted: λ_V,n⁻ = λ_V,n⁺ + [ … ]/(τ_mem V̇⁻)"
        return None

    return _compare(candidate, cases, reference,
                    (others, recurrent_term, reset_term, changed_term, time_constant, sign))


def _decay(lam_v, lam_i, gap, p, mistake=None):
    """The closed-form decay over ``gap`` (shape (batch, 1) or (batch, n)), or a mistaken one."""
    tm, ts = (p.tau_syn, p.tau_mem) if mistake == "swapped" else (p.tau_mem, p.tau_syn)
    if mistake == "forward":
        gap = -gap
    em, es = np.exp(-gap / tm), np.exp(-gap / ts)
    if mistake == "exponentials":
        em, es = es, em
    factor = {"sign": -1.0, "tau_syn": ts / tm, "unit": (tm - ts) / tm,
              "ratio": -ts / tm}.get(mistake, 1.0)  # "ratio": A = τ_syn/(τ_syn − τ_mem)
    a = factor * tm / (tm - ts) * lam_v
    if mistake == "uncoupled":
        return lam_v * em, lam_i * es
    if mistake == "constant":  # B = λ_I instead of λ_I − Aλ_V
        return lam_v * em, lam_i * es + a * em
    if mistake == "in place":  # λ_V overwritten before λ_I's update reads it
        lam_v = lam_v * em
        a = tm / (tm - ts) * lam_v
        return lam_v, (lam_i - a) * es + a * em
    return lam_v * em, (lam_i - a) * es + a * em


def _jump(lam_v, lam_i, neuron, dl, vd, p, R, *, reset=1.0, tau=None, every=False,
          reset_from=None, recurrent_from=None, columns=False, target_shift=0):
    """:func:`spike_jump`, or a mistaken one (reset term, time constant, all neurons, the
    reset read from ``reset_from``, the recurrent bracket from the pair ``recurrent_from``,
    the ``out[:, neuron] +=`` slip, or the jump added ``target_shift`` neurons away)."""
    rows = np.arange(lam_v.shape[0])
    reset_v = lam_v if reset_from is None else reset_from
    rec_v, rec_i = (lam_v, lam_i) if recurrent_from is None else recurrent_from
    bracket = dl + reset * p.threshold * reset_v[rows, neuron] \
        + np.einsum("bj,bj->b", R[neuron], rec_v - rec_i)
    step = bracket / ((p.tau_mem if tau is None else tau) * vd)
    out = lam_v.copy()
    if every:
        return out + step[:, None]
    if columns:
        out[:, neuron] += step
        return out
    out[rows, (neuron + target_shift) % lam_v.shape[1]] += step
    return out


def check_sweep_step(candidate: Callable) -> Verdict:
    r"""Check ``candidate(lam_v, lam_i, gap, neuron, dloss_dt, v_dot, params, R)
    -> (lam_v, lam_i)``, one step of a recurrent layer's backward sweep for a batch, against
    :func:`snnlib.eventprop.sweep_step`: from the adjoints just before spike :math:`k+1`
    (arrays (batch, n)) back over ``gap`` (batch,) with the free equations

    .. math::

        \lambda_V \leftarrow \lambda_V e^{-g/\tau_\mathrm{mem}}, \qquad
        \lambda_I \leftarrow (\lambda_I - A\lambda_V)e^{-g/\tau_\mathrm{syn}}
        + A\lambda_V e^{-g/\tau_\mathrm{mem}}, \qquad
        A = \frac{\tau_\mathrm{mem}}{\tau_\mathrm{mem} - \tau_\mathrm{syn}},

    then the jump :func:`snnlib.eventprop.spike_jump` at spike :math:`k` of ``neuron`` (batch,).

    Cases include a square batch (batch = n, where a broadcasting slip runs silently), gaps of
    zero (two spikes at one instant), gaps equal to the time constants, and
    :math:`\tau_\mathrm{syn} > \tau_\mathrm{mem}`. Named mistakes, in the decay: propagation
    forwards in time, swapped time constants, swapped exponentials, the sign of the coupling
    term, a dropped :math:`\lambda_V \to \lambda_I` coupling or factor :math:`A`,
    :math:`\tau_\mathrm{syn}` in place of :math:`\tau_\mathrm{mem}` in :math:`A`,
    :math:`A = \tau_\mathrm{syn}/(\tau_\mathrm{syn} - \tau_\mathrm{mem})`, a wrong constant
    :math:`B`, the in-place slip of decaying :math:`\lambda_V` before :math:`\lambda_I` reads it, a
    gap broadcast over neurons instead of samples; in the order: the jump taken before the decay;
    in the jump: a transposed R, the sign of :math:`(\lambda_V - \lambda_I)`, a missing recurrent
    or reset term, the sign of :math:`\partial L/\partial t_k`, a dropped or squared
    :math:`1/\dot V^-`, a missing :math:`1/\tau_\mathrm{mem}` or :math:`\tau_\mathrm{syn}` in its
    place, :math:`\dot V^-` multiplying instead of dividing, the reset term's sign, a recurrent
    sum that skips the self-connection, the pair returned as (λ_I, λ_V), λ_I not decayed, a
    float32 result, the jump given to neuron ± 1 (off by one: with its bracket read there, or
    at the neuron that fires) or to every neuron, the reset term without its factor ϑ, the
    broadcasting slip
    ``out[:, neuron] +=``, no jump at a zero gap (``>`` for ``≥``), the recurrent term read before
    the decay (or only its λ_I), the reset term read from :math:`\lambda_I`, λ_I changed at the
    spike.

    Examples
    --------
    >>> from snnlib.eventprop import spike_jump
    >>> def step(lam_v, lam_i, gap, neuron, dloss_dt, v_dot, params, R):
    ...     g = gap[:, None]
    ...     lam_v, lam_i = lam_v * np.exp(-g / params.tau_mem), lam_i * np.exp(-g / params.tau_syn)
    ...     return spike_jump(lam_v, lam_i, neuron, dloss_dt, v_dot, params, R), lam_i
    >>> verdict = check_sweep_step(step)
    >>> verdict.passed, verdict.message[:37]
    (False, 'the coupling of λ_I to λ_V is dropped')
    """
    rng = np.random.default_rng(21)
    cases = []
    for batch, n, p, gaps in (
        (4, 4, LIFParams(), np.array([0.0, 1.5, 5.0, 20.0])),    # square; ties; gaps = τ_syn, τ_mem
        (3, 5, LIFParams(tau_mem=4.0, tau_syn=9.0), rng.uniform(0.1, 8.0, 3)),
        (2, 3, LIFParams(), np.zeros(2)),                       # two spikes at one instant
        (5, 4, LIFParams(tau_mem=10.0, tau_syn=2.0, threshold=0.5), rng.uniform(0.0, 15.0, 5)),
    ):
        cases.append((rng.normal(size=(batch, n)), rng.normal(size=(batch, n)), gaps,
                      rng.integers(0, n, batch), rng.normal(size=batch),
                      rng.uniform(0.05, 1.0, batch), p, rng.normal(size=(n, n))))
    cases[2][4][0] = 0.0  # no direct loss at that spike

    def pair(fn):
        def run(*args):
            out = fn(*args)
            if isinstance(out, list | np.ndarray) and len(out) == 2:
                out = tuple(out)                    # a list or a stacked array: fine too
            if not isinstance(out, tuple) or len(out) != 2:
                raise TypeError(f"the function returned {type(out).__name__}; it must return "
                                "a pair (lam_v, lam_i)")
            return _stack_keeping_precision(out)    # a float32 result is named as such
        run.__name__ = getattr(fn, "__name__", "candidate")
        return run

    def reference(lam_v, lam_i, gap, neuron, dl, vd, p, R):
        return pair(sweep_step)(lam_v, lam_i, gap, neuron, dl, vd, p, R)

    def variant(args, mistake=None, R=None, broadcast=False, jump_first=False, shift=0,
                dl_sign=1.0, vd_power=1.0, strict_gap=False, undecayed=False, reset_i=False,
                undecayed_v=False, undecayed_i=False, frozen_i=False, **jump):
        lam_v, lam_i, gap, neuron, dl, vd, p, R0 = args
        R = R0 if R is None else R
        if broadcast:
            if lam_v.shape[0] != lam_v.shape[1]:
                return None
            g = np.broadcast_to(gap[None, :], lam_v.shape)
        else:
            g = gap[:, None]
        if jump_first:
            lv = spike_jump(lam_v, lam_i, neuron, dl, vd, p, R)
            return np.stack(_decay(lv, lam_i, g, p))
        lv, li = _decay(lam_v, lam_i, g, p, mistake)
        if frozen_i:  # λ_I never carried back: read by the jump and returned as it came in
            li = lam_i
        n = lam_v.shape[1]
        if undecayed:
            jump["recurrent_from"] = (lam_v, lam_i)
        if undecayed_v:  # the bracket reads λ_V from before the gap, λ_I after it
            jump["recurrent_from"], jump["reset_from"] = (lam_v, li), lam_v
        if undecayed_i:  # the recurrent bracket reads λ_I from before the gap
            jump["recurrent_from"] = (lv, lam_i)
        if reset_i:
            jump["reset_from"] = li
        out = _jump(lv, li, (neuron + shift) % n, dl_sign * dl, vd ** vd_power, p, R, **jump)
        if strict_gap:  # `gap > 0` where `gap >= 0` is meant: no jump at a zero gap
            out = np.where(gap[:, None] > 0, out, lv)
        return np.stack([out, li])

    def matches(got, other):
        return other is not None and _close(got, other)

    def decay_hint(args, got, expected):
        messages = (
            ("forward", "the adjoint is propagated forwards in time: going back over a gap g "
                        "it decays, e^{−g/τ}, it does not grow"),
            ("swapped", "τ_mem and τ_syn are swapped: λ_V decays with τ_mem, λ_I with τ_syn"),
            ("exponentials", "the two exponentials are swapped: λ_V decays with e^{−g/τ_mem}, "
                             "B with e^{−g/τ_syn}"),
            ("sign", "the sign of the coupling term is wrong: A = τ_mem/(τ_mem − τ_syn)"),
            ("uncoupled", "the coupling of λ_I to λ_V is dropped: τ_syn λ_I' = −λ_I + λ_V "
                          "carries λ_V into λ_I"),
            ("tau_syn", "τ_syn in place of τ_mem in the coupling factor A = τ_mem/(τ_mem − τ_syn)"),
            ("ratio", "A = τ_syn/(τ_syn − τ_mem) is wrong: the e^{−g/τ_mem} terms give "
                      "−Aτ_syn/τ_mem = −A + 1, so A = τ_mem/(τ_mem − τ_syn)"),
            ("unit", "the factor A = τ_mem/(τ_mem − τ_syn) of the coupling is dropped"),
            ("constant", "the constant of the λ_I solution is wrong: B = λ_I − A λ_V (from g = 0)"),
            ("in place", "in-place slip: λ_I is computed from λ_V after λ_V was already decayed; "
                         "the closed form needs λ_V at t_{k+1}"),
        )
        for mistake, message in messages:
            if matches(got, variant(args, mistake)):
                return message
        if matches(got, variant(args, broadcast=True)):
            return ("the gap is broadcast over neurons instead of samples: use gap[:, None] "
                    "against arrays of shape (batch, n)")
        if matches(got, variant(args, jump_first=True)):
            return ("wrong order of the sweep: the jump is taken before the decay; the jump at "
                    "t_k needs the adjoints at t_k, i.e. after carrying them back over the gap")
        return None

    def jump_hint(args, got, expected):
        R, p = args[7], args[6]
        for other, message in (
            (R.T, "R is transposed: the spike of n adds row n, R[n, j], to neuron j"),
            (-R, "the sign of (λ_V − λ_I) in the recurrent term of the jump is wrong"),
            (np.zeros_like(R), "the recurrent term Σ_j R_nj (λ_V,j⁺ − λ_I,j) of the jump is "
                               "missing"),
        ):
            if matches(got, variant(args, R=other)):
                return message
        for options, message in (
            ({"dl_sign": -1.0}, "∂L/∂t_k enters the jump with the wrong sign"),
            ({"vd_power": 0.0}, "the factor 1/V̇⁻ is dropped from the jump"),
            ({"vd_power": 2.0}, "V̇⁻ is squared in the jump: the factor is 1/(τ_mem V̇⁻)"),
            ({"vd_power": -1.0}, "V̇⁻ multiplies the jump's bracket instead of dividing it: the "
                                 "factor is 1/(τ_mem V̇⁻)"),
            ({"reset": -1.0}, "the reset term has the wrong sign: it is +ϑ λ_V,n⁺"),
            ({"shift": 1}, "off by one in the neuron index: the jump goes to neuron + 1, not to "
                           "the neuron that fires"),
            ({"shift": -1}, "off by one in the neuron index: the jump goes to neuron − 1, not to "
                            "the neuron that fires"),
            ({"target_shift": 1}, "off by one in the neuron index: the bracket is read at the "
                                  "neuron that fires, but the jump is added to neuron + 1"),
            ({"target_shift": -1}, "off by one in the neuron index: the bracket is read at the "
                                   "neuron that fires, but the jump is added to neuron − 1"),
            ({"reset": 0.0}, "the reset term ϑ λ_V,n⁺ of the jump is missing"),
            ({"reset": 1.0 / p.threshold}, "the factor ϑ of the reset term ϑ λ_V,n⁺ is "
                                             "missing"),
            ({"tau": 1.0}, "the factor 1/τ_mem of the jump is missing"),
            ({"tau": p.tau_syn}, "τ_syn in place of τ_mem in the jump"),
            ({"every": True}, "the jump is added to every neuron: only λ_V of the neuron that "
                              "fires jumps"),
            ({"columns": True}, "broadcasting slip out[:, neuron] += …: it adds sample b's jump "
                                "to column neuron[b] of every sample; index out[rows, neuron]"),
            ({"strict_gap": True}, "`>` for `≥`: no jump where the gap is 0; two spikes at one "
                                   "instant each jump"),
            ({"undecayed": True}, "the recurrent term reads λ_V − λ_I before the decay: the jump "
                                  "at t_k needs them at t_k, after the gap"),
            ({"undecayed_i": True}, "the recurrent term reads λ_I before the decay: the "
                                    "jump at t_k needs λ_V − λ_I at t_k, both after the gap"),
            ({"reset_i": True}, "the reset term reads λ_I: it is ϑ λ_V,n⁺, not ϑ λ_I,n"),
            ({"frozen_i": True}, "λ_I is not carried back over the gap (it decays too, "
                                 "λ_I ← (λ_I − Aλ_V)e^{−g/τ_syn} + Aλ_V e^{−g/τ_mem}), and the "
                                 "jump's recurrent term reads it undecayed"),
            ({"undecayed_v": True}, "the jump's bracket reads λ_V before the decay: the reset "
                                    "and recurrent terms need λ_V at t_k, after the gap"),
        ):
            if matches(got, variant(args, **options)):
                return message
        if matches(got, variant(args, R=R - np.diag(np.diag(R)))):
            return ("the recurrent sum skips j = n: a self-connection R_nn is a recurrent input "
                    "like any other")
        lam_v, lam_i, gap, neuron = args[:4]
        if _close(got, expected[::-1]):
            return "the pair is returned in the wrong order: (lam_v, lam_i), not (lam_i, lam_v)"
        if _close(got[1], lam_i) and not _close(lam_i, expected[1]) \
                and _close(got[0], expected[0]):
            return ("λ_I is not carried back over the gap: it decays too, "
                    "λ_I ← (λ_I − Aλ_V)e^{−g/τ_syn} + Aλ_V e^{−g/τ_mem}")
        decayed = _decay(lam_v, lam_i, gap[:, None], p)[0]
        rows = np.arange(lam_v.shape[0])
        subtracted = expected.copy()
        subtracted[0][rows, neuron] = 2 * decayed[rows, neuron] - expected[0][rows, neuron]
        if matches(got, subtracted):
            return ("the whole jump is subtracted: λ_V,n⁻ = λ_V,n⁺ + [ … ]/(τ_mem V̇⁻), "
                    "added to λ_V after the decay")
        if _close(got[0], expected[0]) and not _close(got[1], expected[1]):
            return "λ_I is wrong (it is continuous at a spike: only λ_V jumps)"
        return None

    return _compare(pair(candidate), cases, reference, (decay_hint, jump_hint))
