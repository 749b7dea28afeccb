"""Cost of recurrent layers relative to feed-forward ones of the same size.

A recurrent layer is simulated event by event (every sample at once) and its backward pass
sweeps its spikes one by one; a feed-forward layer is simulated spike rank by spike rank. On the
Yin-Yang 5-200-3 network at its initial weights and a batch of 32 (medians in the same run):

- recurrent weights of zero in the hidden layer: the same spikes as the feed-forward network,
  so the ratio is the price of the event-by-event algorithm alone;
- random recurrent weights N(0, 0.1²): recurrence that changes the spikes a little.

Then the 3-16-2 delayed-recall network of chapter 7, with and without its recurrent weights.

Last, the floor of any event-by-event simulation in numpy: a skeleton that does, per event and
vectorized over the samples, only what every exact step of a dense recurrent layer must do —
bound every neuron's voltage, pick each sample's next event, advance every neuron to it, reset
the neuron that fires and add its row of R — with no crossing search, no bookkeeping and as
many steps as the recurrent forward pass takes. Its cost against the feed-forward forward pass
is a lower bound on what a per-event loop of numpy calls can reach.
"""

from __future__ import annotations

import numpy as np
from _setup import yinyang_batch
from _timing import interleaved_medians, median_time

from snnlib.eventprop import loss_and_grad
from snnlib.experiments import memory
from snnlib.lif import forward


def spikes(layers) -> str:
    return "/".join(str(int(np.isfinite(s.times).sum())) for s in layers)


def compare(name, weights, times, ids, labels, params, t_max, variants, repeats, **kwargs):
    base_f = median_time(lambda: forward(weights, times, ids, params, t_max), repeats)
    base_g = median_time(lambda: loss_and_grad(weights, times, ids, labels, params, t_max,
                                               **kwargs), repeats)
    plain = forward(weights, times, ids, params, t_max)
    print(f"{name}: feed-forward forward {base_f * 1e3:7.2f} ms, loss_and_grad "
          f"{base_g * 1e3:7.2f} ms, spikes per layer {spikes(plain)}")
    for label, rec in variants:
        f = median_time(lambda rec=rec: forward(weights, times, ids, params, t_max, rec), repeats)
        g = median_time(lambda rec=rec: loss_and_grad(weights, times, ids, labels, params, t_max,
                                                      recurrent=rec, **kwargs), repeats)
        layers = forward(weights, times, ids, params, t_max, rec)
        print(f"  {label:28s} forward {f / base_f:5.2f}x, loss_and_grad {g / base_g:5.2f}x "
              f"the feed-forward one (spikes {spikes(layers)})")


def event_loop_floor(R: np.ndarray, batch: int, steps: int, params, search: bool) -> None:
    """The per-event skeleton described in the module docstring (its values are meaningless).

    With ``search``, each step adds the cheapest conceivable crossing search: three plain Newton
    steps on 512 candidate neurons (about as many as the recurrent forward pass refines per
    step), with no bracket, no convergence test and no fallback.
    """
    rng = np.random.default_rng(1)
    n = R.shape[0]
    V, I = rng.uniform(0.0, 0.5, (batch, n)), rng.uniform(0.0, 1.0, (batch, n))
    rows, c = np.arange(batch), params.tau_syn / (params.tau_syn - params.tau_mem)
    km, ks = -1.0 / params.tau_mem, -1.0 / params.tau_syn
    candidates = rng.choice(batch * n, size=min(512, batch * n), replace=False)
    for _ in range(steps):
        bound = V + np.maximum(np.maximum(I, 0.0) - V, 0.0)  # a voltage bound, every neuron
        if search:
            b = I.ravel()[candidates] * c
            a = V.ravel()[candidates] - b
            s = np.ones(candidates.size)
            for _ in range(3):
                em, es = np.exp(km * s), np.exp(ks * s)
                s -= (a * em + b * es - params.threshold) / (km * a * em + ks * b * es)
                np.clip(s, 0.0, 50.0, out=s)  # (the one nod to a bracket)
            bound.ravel()[candidates] = np.abs(s)
        fires = np.argmin(-bound, axis=1)  # each sample's next event
        step = 1e-3 * bound[rows, fires][:, None]
        b = I * c  # advance every neuron to the event
        V = (V - b) * np.exp(km * step) + b * np.exp(ks * step)
        I *= np.exp(ks * step)
        V[rows, fires] = 0.0  # the spike: reset, and its row of R
        I += R[fires]
        I *= 0.5  # (keeps the meaningless values bounded)


def events_per_sample(times: np.ndarray, layer) -> int:
    """The most events (inputs and the layer's own spikes) of one sample."""
    return int((np.isfinite(times).sum(axis=1) + np.isfinite(layer.times).sum(axis=1)).max())


def main() -> None:
    w, times, ids, labels, p, t_max = yinyang_batch()
    n = w[0].shape[1]
    rng = np.random.default_rng(0)
    compare("Yin-Yang 5-200-3, batch 32", w, times, ids, labels, p, t_max,
            [("recurrent weights zero", [np.zeros((n, n)), None]),
             ("recurrent weights N(0, 0.1²)", [rng.normal(0.0, 0.1, size=(n, n)), None])], 15)
    R = np.random.default_rng(0).normal(0.0, 0.1, size=(n, n))
    steps = events_per_sample(times, forward(w, times, ids, p, t_max, [R, None])[0])
    med = interleaved_medians({
        "feed-forward": lambda: forward(w, times, ids, p, t_max),
        "no crossing search": lambda: event_loop_floor(R, times.shape[0], steps, p, False),
        "three Newton steps": lambda: event_loop_floor(R, times.shape[0], steps, p, True)}, 15)
    for name in ("no crossing search", "three Newton steps"):
        print(f"  floor of a per-event numpy loop ({steps} steps, {name}): "
              f"{med[name] / med['feed-forward']:5.2f}x the feed-forward forward")
    weights, rec = memory.initial_weights(0)
    m_times, m_ids, m_labels = memory.data("train", 32)
    compare("delayed recall 3-16-2, batch 32", weights, m_times, m_ids, m_labels, memory.PARAMS,
            memory.T_MAX, [("with its recurrent weights", rec)], 15,
            readout_start=memory.CUE_TIME)


if __name__ == "__main__":
    main()
