"""Cost of the exact gradient (EventProp) relative to the forward pass and to finite differences.

First, the speed target: on the Yin-Yang 5-200-3 network at its initial weights and a training
batch of 32, ``loss_and_grad`` against the clock-driven forward pass at dt = 0.5 ms (medians of
30 runs in the same run).

A 5-200-3 LIF network, batch 32, latency-coded random inputs, first-spike cross-entropy.
Central finite differences need two loss evaluations per weight; their cost is estimated as
2 × (number of weights) × (median time of one loss evaluation), measured in the same run.
"""

from __future__ import annotations

import numpy as np
from _setup import yinyang_batch
from _timing import median_time

from snnlib.eventprop import loss_and_grad
from snnlib.lif import LIFParams, first_spike_times, forward, forward_on_grid
from snnlib.losses import first_spike_cross_entropy


def main() -> None:
    w, times_yy, ids_yy, labels_yy, p_yy, t_max_yy = yinyang_batch()
    t_exact = median_time(lambda: loss_and_grad(w, times_yy, ids_yy, labels_yy, p_yy, t_max_yy),
                          30)
    t_coarse = median_time(lambda: forward_on_grid(w, times_yy, ids_yy, p_yy, t_max_yy, 0.5), 30)
    print(f"Yin-Yang 5-200-3, batch 32: loss_and_grad {t_exact * 1e3:6.2f} ms, grid forward "
          f"(dt = 0.5 ms) {t_coarse * 1e3:6.2f} ms: ratio {t_exact / t_coarse:.2f} (target <= 2)")
    rng = np.random.default_rng(0)
    p, t_max, batch = LIFParams(), 100.0, 32
    weights = [rng.normal(1.5, 1.0, size=(5, 200)), rng.normal(0.1, 0.3, size=(200, 3))]
    times = np.sort(rng.uniform(0.0, 30.0, size=(batch, 5)), axis=-1)
    ids = np.argsort(rng.uniform(size=(batch, 5)), axis=-1)
    labels = rng.integers(0, 3, size=batch)

    def loss_only():
        out = forward(weights, times, ids, p, t_max)[-1]
        return first_spike_cross_entropy(first_spike_times(out, 3), labels, t_max).loss.mean()

    t_forward = median_time(loss_only, 15)
    t_grad = median_time(lambda: loss_and_grad(weights, times, ids, labels, p, t_max), 15)
    n_weights = sum(w.size for w in weights)
    t_fd = 2 * n_weights * t_forward
    layers = forward(weights, times, ids, p, t_max)
    print(f"5-200-3, batch {batch}: {np.isfinite(layers[0].times).sum()} hidden and "
          f"{np.isfinite(layers[1].times).sum()} output spikes, {n_weights} weights")
    print(f"  forward + loss          {t_forward * 1e3:8.2f} ms (median)")
    print(f"  loss_and_grad (exact)   {t_grad * 1e3:8.2f} ms (median)")
    print(f"  backward / forward      {(t_grad - t_forward) / t_forward:8.2f}")
    print(f"  (forward + backward) / forward  {t_grad / t_forward:5.2f}")
    print(f"  central differences (est.) {t_fd:8.2f} s  → {t_fd / t_grad:8.0f}x the exact gradient")


if __name__ == "__main__":
    main()
