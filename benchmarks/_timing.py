"""Shared timing helper for the benchmark scripts (median wall time over repeats)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def median_time(func: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``func()`` over ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def interleaved_medians(funcs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time (s) of each ``func()``, the functions called in turn ``repeats`` times.

    Interleaving exposes every candidate to the same load on a shared machine, so the ratios of
    the medians are fair even when absolute times drift.
    """
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(repeats):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}
