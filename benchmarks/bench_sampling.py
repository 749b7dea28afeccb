"""Speed of snnlib.sampling against np.cumsum (the memory-bound floor) and a plain loop.

Cases: one channel of 10⁶ samples with about 10³ spikes, the same signal with dense spiking
(a spike at nearly every sample), and 1000 channels × 10⁴ samples. Reports median wall
times over repeats and the ratios the issue asks for.
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import interleaved_medians, median_time

from snnlib.sampling import alexiewicz_norm, integrate_and_fire


def python_loop_if(x: np.ndarray, threshold: float) -> np.ndarray:
    """Baseline 1: the tightest per-sample loop plain Python allows (floats from a list)."""
    out = [0.0] * len(x)
    u = 0.0
    for n, xn in enumerate(x.tolist()):
        u += xn
        if u >= threshold or u <= -threshold:
            s = int(u / threshold) * threshold
            u -= s
            out[n] = s
    return np.array(out)


def numpy_loop_if(x: np.ndarray, threshold: float) -> np.ndarray:
    """Baseline 2: the loop as usually written, indexing the numpy array sample by sample."""
    out = np.zeros_like(x)
    u = 0.0
    for n in range(x.shape[0]):
        u = u + x[n]
        if abs(u) >= threshold:
            out[n] = np.trunc(u / threshold) * threshold
            u = u - out[n]
    return out


def run_case(name: str, x: np.ndarray, threshold: float, repeats: int, loop: bool) -> None:
    spikes = integrate_and_fire(x, threshold)
    n_spikes = int(np.count_nonzero(spikes))
    candidates = {
        "np.cumsum": lambda: np.cumsum(x, axis=-1),
        "alexiewicz_norm": lambda: alexiewicz_norm(x),
        "IF, reset mod": lambda: integrate_and_fire(x, threshold),
        "IF, mod, leak 1e-3": lambda: integrate_and_fire(x, threshold, leak=1e-3),
        "IF, mod, leak 0.1": lambda: integrate_and_fire(x, threshold, leak=0.1),
        "IF, reset subtract": lambda: integrate_and_fire(x, threshold, reset="subtract"),
        "IF, reset zero": lambda: integrate_and_fire(x, threshold, reset="zero"),
    }
    times = interleaved_medians(candidates, repeats)  # one run, interleaved, medians
    t_cumsum = times["np.cumsum"]
    t_if = times["IF, reset mod"]
    print(f"\n{name}: shape {x.shape}, {n_spikes} spike samples (interleaved medians)")
    for label, t in times.items():
        print(f"  {label:<20} {t * 1e3:9.2f} ms   / cumsum {t / t_cumsum:6.2f}")
    if loop:
        rows = x.reshape(-1, x.shape[-1])
        check = rows[0, :20000]
        for label, baseline in (("list loop", python_loop_if), ("ndarray loop", numpy_loop_if)):
            assert np.array_equal(baseline(check, threshold), integrate_and_fire(check, threshold))
            t_loop = median_time(lambda b=baseline: [b(r, threshold) for r in rows], 1)
            print(f"  Python {label:<13} {t_loop * 1e3:9.2f} ms   loop / IF {t_loop / t_if:8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    args = parser.parse_args()
    n, channels, length, repeats = (10**5, 100, 10**4, 3) if args.quick else (10**6, 1000, 10**4, 7)
    rng = np.random.default_rng(0)

    x = rng.normal(0.3, 1.0, size=n)  # drifting signal with sign changes
    sparse_threshold = float(abs(np.sum(x))) / 1000  # net integral / 1000: about 10³ spikes
    run_case("sparse, one channel", x, sparse_threshold, repeats, loop=True)
    run_case("dense, one channel", x, 0.05, repeats, loop=True)
    xb = rng.normal(0.3, 1.0, size=(channels, length))
    run_case("many channels", xb, 1.0, repeats, loop=True)


if __name__ == "__main__":
    main()
