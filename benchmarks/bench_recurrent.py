"""Cost of recurrent layers relative to feed-forward ones of the same size.

A recurrent layer is simulated event by event (every sample at once) and its backward pass
sweeps its spikes one by one; a feed-forward layer is simulated spike rank by spike rank. On the
Yin-Yang 5-200-3 network at its initial weights and a batch of 32 (medians in the same run):

- recurrent weights of zero in the hidden layer: the same spikes as the feed-forward network,
  so the ratio is the price of the event-by-event algorithm alone;
- random recurrent weights N(0, 0.1²): recurrence that changes the spikes a little.

Then the 3-16-2 delayed-recall network of chapter 7, with and without its recurrent weights.
"""

from __future__ import annotations

import numpy as np
from _setup import yinyang_batch
from _timing import median_time

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


def main() -> None:
    w, times, ids, labels, p, t_max = yinyang_batch()
    n = w[0].shape[1]
    rng = np.random.default_rng(0)
    compare("Yin-Yang 5-200-3, batch 32", w, times, ids, labels, p, t_max,
            [("recurrent weights zero", [np.zeros((n, n)), None]),
             ("recurrent weights N(0, 0.1²)", [rng.normal(0.0, 0.1, size=(n, n)), None])], 15)
    weights, rec = memory.initial_weights(0)
    m_times, m_ids, m_labels = memory.data("train", 32)
    compare("delayed recall 3-16-2, batch 32", weights, m_times, m_ids, m_labels, memory.PARAMS,
            memory.T_MAX, [("with its recurrent weights", rec)], 15,
            readout_start=memory.CUE_TIME)


if __name__ == "__main__":
    main()
