"""The network and batch the speed targets refer to: Yin-Yang, 5-200-3, initial weights."""

from __future__ import annotations

import numpy as np

from snnlib.datasets import latency_encode, yin_yang
from snnlib.experiments.yinyang import T_MAX, initial_weights
from snnlib.lif import LIFParams


def yinyang_batch(batch: int = 32, seed: int = 0):
    """``(weights, input_times, input_ids, labels, params, t_max)`` for the first ``batch``
    training samples (seed 42) and the command's initial weights for ``seed``."""
    X, y = yin_yang(batch, seed=42)
    times, ids = latency_encode(X)
    return initial_weights(200, seed), times, ids, y, LIFParams(), T_MAX


def spike_counts(layers) -> list[int]:
    return [int(np.isfinite(s.times).sum()) for s in layers]
