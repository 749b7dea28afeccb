r"""Delayed recall with and without recurrence: memory beyond :math:`\tau_\mathrm{mem}`.

    python -m snnlib.experiments.memory [--seeds 0 1 2] [--epochs N] [--output PATH]

The task (:func:`snnlib.datasets.delayed_recall`): one spike on channel 0 or 1 within the first
5 ms, a cue on channel 2 at 100 ms, and the answer — which channel spiked — is the output
neuron that fires first after the cue. Two 3-16-2 networks of the same size are trained with
exact gradients (EventProp) from the same input and output weights; one has recurrent weights
in its hidden layer, the other none. The recurrent one starts with two loops of four neurons,
one started by each channel, that keep a spike circulating (each neuron excites the next by
``LINK`` and inhibits itself by ``SELF_INHIBITION``, which removes the current left over from
its own spike, so the loop neither dies out nor runs away); gradient descent trains every
weight, the loops included. A decision counts with a margin of ``MARGIN`` ms (the loss's own
time scale :math:`\tau_0`): a feed-forward network can still order its output spikes by the
exponentially small trace the stimulus leaves after 100 ms, by leads of microseconds.
Writes a JSON file with per-seed results; the last line printed is a summary.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from snnlib.datasets import delayed_recall
from snnlib.lif import LIFParams, first_spike_times, forward
from snnlib.losses import first_spike_cross_entropy
from snnlib.training import History, train

CUE_TIME = 100.0  #: ms; the answer is read out from here on
T_MAX = 140.0  #: ms
LOOP = 4  #: neurons per loop (one loop per channel)
N_FREE = 8  #: hidden neurons outside the loops, started by the cue
LINK = 10.0  #: loop weight to the next neuron: a single jump makes it fire after 2.8 ms
SELF_INHIBITION = 7.0  #: loop neurons' self-weight is minus this
MARGIN = 0.5  #: ms; a decision counts if the label neuron leads by at least this
PARAMS = LIFParams(tau_mem=20.0, tau_syn=5.0, threshold=1.0)
DATA_SEEDS = {"train": 1, "val": 2, "test": 3}


def initial_weights(seed: int) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """``(weights, recurrent)`` of the 3-16-2 network; pass ``recurrent=None`` to
    :func:`snnlib.lif.forward` for its feed-forward twin (same ``weights``).

    Hidden neurons 0–3 and 4–7 form the loops (channel 0 starts the first, channel 1 the
    second, with weight 10 onto the loop's first neuron), 8–15 are driven by the cue (weight
    8: one spike each). All other weights are small and random from ``seed``; the outputs
    listen to the cue-driven neurons (N(1.5, 0.5)) and barely to the loops (N(0, 0.3)), so
    they fire after the cue and not before.

    Examples
    --------
    >>> weights, recurrent = initial_weights(0)
    >>> [w.shape for w in weights], recurrent[0].shape, recurrent[1]
    ([(3, 16), (16, 2)], (16, 16), None)
    """
    rng = np.random.default_rng(seed)
    n = 2 * LOOP + N_FREE
    w_in = rng.normal(0.0, 0.3, size=(3, n))
    w_in[0, 0] += 10.0
    w_in[1, LOOP] += 10.0
    w_in[2, 2 * LOOP:] += 8.0
    w_out = rng.normal(1.5, 0.5, size=(n, 2))
    w_out[:2 * LOOP] = rng.normal(0.0, 0.3, size=(2 * LOOP, 2))
    rec = rng.normal(0.0, 0.3, size=(n, n))
    for first in (0, LOOP):
        for k in range(LOOP):
            rec[first + k, first + (k + 1) % LOOP] += LINK
            rec[first + k, first + k] -= SELF_INHIBITION
    return [w_in, w_out], [rec, None]


def data(split: str, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``split`` ("train", "val" or "test") of the task, ``n`` samples.

    Examples
    --------
    >>> times, ids, labels = data("test", 4)
    >>> times.shape, sorted(set(ids[:, 1].tolist()))
    ((4, 2), [2])
    """
    return delayed_recall(n, seed=DATA_SEEDS[split], cue_time=CUE_TIME)


def leads(weights, recurrent, times, ids, labels) -> np.ndarray:
    r"""How long before the other output the label's output fires after the cue (ms),
    :math:`t_{1-y} - t_y` with first spike times counted from ``CUE_TIME``; ``+inf`` if only the
    label's output fires, ``-inf`` if it stays silent; the decision is right if > 0.

    Examples
    --------
    >>> weights, recurrent = initial_weights(0)
    >>> lead = leads(weights, recurrent, *data("test", 8))
    >>> lead.shape
    (8,)
    """
    out = forward(weights, times, ids, PARAMS, T_MAX, recurrent)[-1]
    first = first_spike_times(out, 2, after=CUE_TIME)
    rows = np.arange(labels.size)
    with np.errstate(invalid="ignore"):
        lead = first[rows, 1 - labels] - first[rows, labels]
    return np.where(np.isnan(lead), -np.inf, lead)  # both silent: wrong


def run(seed: int, recurrent: bool, epochs: int = 20, train_size: int = 256,
        lr: float = 2e-3) -> tuple[dict, History, list, list]:
    """Train one network; return its summary, history and trained weights."""
    weights, rec = initial_weights(seed)
    rec = rec if recurrent else None
    history = train(weights, data("train", train_size), data("val", 256), PARAMS, T_MAX,
                    epochs, batch_size=32, lr=lr, seed=seed, loss=first_spike_cross_entropy,
                    progress=None, recurrent=rec, readout_start=CUE_TIME)
    lead = leads(weights, rec, *data("test", 512))
    summary = {
        "seed": seed,
        "recurrent": recurrent,
        "final_train_loss": history.train_loss[-1],
        "test_accuracy": float(np.mean(lead > 0)),
        "test_accuracy_with_margin": float(np.mean(lead >= MARGIN)),
        "median_abs_lead_ms": float(np.median(np.abs(lead[np.isfinite(lead)])))
        if np.isfinite(lead).any() else float("inf"),
        "val_accuracy": history.val_accuracy,
        "train_loss": history.train_loss,
    }
    return summary, history, weights, rec


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(prog="python -m snnlib.experiments.memory",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--output", type=Path, default=Path("delayed_recall.json"))
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be a positive integer")
    results = []
    for recurrent in (True, False):
        for seed in args.seeds:
            summary = run(seed, recurrent, args.epochs)[0]
            results.append(summary)
            print(f"{'recurrent   ' if recurrent else 'feed-forward'} seed {seed}: "
                  f"loss {summary['final_train_loss']:.3f}, test accuracy "
                  f"{summary['test_accuracy']:.3f}, with a {MARGIN} ms margin "
                  f"{summary['test_accuracy_with_margin']:.3f}, median |lead| "
                  f"{summary['median_abs_lead_ms']:.3g} ms", flush=True)
    args.output.write_text(json.dumps({"epochs": args.epochs, "margin_ms": MARGIN,
                                       "runs": results}, indent=1))
    mean = {r: np.mean([x["test_accuracy_with_margin"] for x in results if x["recurrent"] == r])
            for r in (True, False)}
    print(f"mean test accuracy with margin: recurrent {mean[True]:.3f}, "
          f"feed-forward {mean[False]:.3f}")
    return results


if __name__ == "__main__":
    main()
