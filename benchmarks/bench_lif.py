"""Exact event-driven LIF forward pass against a clock-driven simulation on a time grid.

First, the speed target: the Yin-Yang 5-200-3 network at its initial weights on a training
batch of 32, exact forward against the clock-driven one at dt = 0.5 ms (median of 30 runs
each, in the same run). Then accuracy against cost: a 5-200-3 network on latency-coded
random inputs (5 input spikes per sample, uniform in [0, 30] ms), t_max = 100 ms. The
clock-driven baseline integrates the same linear ODE exactly over each step (so its only error
is the time grid) with dt = 0.01 ms, vectorized over batch and neurons. Reports median wall
times, their ratio, and the clock-driven spike-time error.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _setup import spike_counts, yinyang_batch
from _timing import median_time

from snnlib.lif import LIFParams, first_spike_times, forward, forward_on_grid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="batch 500 instead of 5000")
    parser.add_argument("--dt", type=float, default=0.01)
    args = parser.parse_args()

    w, times, ids, _, p, t_max = yinyang_batch()
    t_exact = median_time(lambda: forward(w, times, ids, p, t_max), 30)
    t_coarse = median_time(lambda: forward_on_grid(w, times, ids, p, t_max, 0.5), 30)
    counts = spike_counts(forward(w, times, ids, p, t_max))
    print(f"Yin-Yang 5-200-3, batch 32, initial weights ({counts} spikes per layer)")
    print(f"  exact forward {t_exact * 1e3:6.2f} ms, grid dt = 0.5 ms {t_coarse * 1e3:6.2f} ms:"
          f" exact / grid = {t_exact / t_coarse:.2f} (target <= 1)")
    batch = 500 if args.quick else 5000
    rng = np.random.default_rng(0)
    p, t_max = LIFParams(), 100.0
    weights = [rng.normal(1.5, 1.0, size=(5, 200)), rng.normal(0.1, 0.3, size=(200, 3))]
    times = np.sort(rng.uniform(0.0, 30.0, size=(batch, 5)), axis=-1)
    ids = np.argsort(rng.uniform(size=(batch, 5)), axis=-1)

    t_exact = median_time(lambda: forward(weights, times, ids, p, t_max), 3)
    layers = forward(weights, times, ids, p, t_max)
    hidden_spikes = np.isfinite(layers[0].times).sum()
    output_spikes = np.isfinite(layers[1].times).sum()
    start = time.perf_counter()
    grid_layers = forward_on_grid(weights, times, ids, p, t_max, args.dt)
    t_grid = time.perf_counter() - start

    exact_first = [first_spike_times(s, W.shape[1]) for s, W in zip(layers, weights, strict=True)]
    grid_first = [first_spike_times(s, W.shape[1])
                  for s, W in zip(grid_layers, weights, strict=True)]
    print(f"5-200-3 network, batch {batch}, t_max {t_max:g} ms; "
          f"{hidden_spikes} hidden and {output_spikes} output spikes")
    print(f"  exact event-driven forward   {t_exact:8.3f} s (median of 3)")
    print(f"  clock-driven, dt = {args.dt:g} ms   {t_grid:8.3f} s (one run)")
    print(f"  speed-up of the exact simulation: {t_grid / t_exact:6.1f}x")
    for k, (e, g) in enumerate(zip(exact_first, grid_first, strict=True)):
        both = np.isfinite(e) & np.isfinite(g)
        disagree = np.sum(np.isfinite(e) != np.isfinite(g))
        err = np.abs(e[both] - g[both])
        if err.size == 0:
            print(f"  layer {k}: no neuron fires in both simulations")
            continue
        print(f"  layer {k}: first-spike error of the grid: median {np.median(err):.2e} ms, "
              f"max {err.max():.2e} ms; {disagree} neurons fire in one simulation only")


if __name__ == "__main__":
    main()
