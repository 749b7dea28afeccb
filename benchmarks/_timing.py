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
