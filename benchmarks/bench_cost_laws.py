"""Cost laws of the exact simulation: time against network size, batch and activity.

For feed-forward and recurrent (dense R ~ N(0, 0.1²)) hidden layers of a n_in-H-3 network,
measures the median wall time of ``forward``, ``loss_and_grad`` and the 0.5 ms grid forward
(``forward_on_grid``) while one quantity varies and the others stay at the base point
(H = 200, batch 32, 5 input spikes per sample, gain 1):

- hidden size H (50 … 1000);
- batch (1 … 1024);
- input spikes per sample (5 … 80; input weights scaled by 5/S so the drive stays similar);
- spikes per hidden neuron (the input weights scaled by a gain; the measured mean count is
  the abscissa).

Each point times its candidates interleaved (medians). The exponent of each law is the slope
of a least-squares line through (log x, log t). Writes ``cost_laws.md``, ``cost_laws.json``
and, unless ``--no-figure``, ``cost_laws.png`` (log-log) into ``--out``.

    python benchmarks/bench_cost_laws.py            # a few minutes
    python benchmarks/bench_cost_laws.py --quick    # tiny sizes, a smoke test (seconds)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from _timing import interleaved_medians

from snnlib.eventprop import loss_and_grad
from snnlib.lif import LIFParams, forward, forward_on_grid

T_MAX = 100.0
GRID_DT = 0.5
BASE = {"hidden": 200, "batch": 32, "inputs": 5, "gain": 1.0}
FULL = {"hidden": [50, 100, 200, 500, 1000], "batch": [1, 4, 16, 64, 256, 1024],
        "inputs": [5, 10, 20, 40, 80], "gain": [1.0, 1.5, 2.0, 4.0, 8.0]}
QUICK = {"hidden": [10, 20, 40], "batch": [1, 2, 4], "inputs": [5, 10, 20],
         "gain": [1.0, 1.5, 2.0]}
QUICK_BASE = {"hidden": 20, "batch": 2, "inputs": 5, "gain": 1.0}


def problem(hidden: int, batch: int, inputs: int, gain: float, seed: int = 0):
    """``(weights, recurrent, times, ids, labels)`` of one point of a sweep.

    Input weights N(1.5, 1)·gain·5/S (S input spikes per sample on 5 input lines, times
    uniform in [0, 30] ms), output weights N(0.1, 0.3), recurrence N(0, 0.1²).
    """
    rng = np.random.default_rng(seed)
    n_in = 5
    weights = [rng.normal(1.5, 1.0, size=(n_in, hidden)) * gain * 5.0 / inputs,
               rng.normal(0.1, 0.3, size=(hidden, 3))]
    recurrent = [rng.normal(0.0, 0.1, size=(hidden, hidden)), None]
    times = np.sort(rng.uniform(0.0, 30.0, size=(batch, inputs)), axis=-1)
    ids = rng.integers(0, n_in, size=(batch, inputs))
    labels = rng.integers(0, 3, size=batch)
    return weights, recurrent, times, ids, labels


def measure(point: dict, repeats: int) -> dict:
    """Interleaved median times (s) of the five candidates at one point, and its activity."""
    w, rec, times, ids, labels = problem(**point)
    p = LIFParams()
    candidates = {
        "ff forward": lambda: forward(w, times, ids, p, T_MAX),
        "ff loss_and_grad": lambda: loss_and_grad(w, times, ids, labels, p, T_MAX),
        "rec forward": lambda: forward(w, times, ids, p, T_MAX, rec),
        "rec loss_and_grad": lambda: loss_and_grad(w, times, ids, labels, p, T_MAX,
                                                   recurrent=rec),
        "grid forward": lambda: forward_on_grid(w, times, ids, p, T_MAX, GRID_DT),
    }
    result = interleaved_medians(candidates, repeats)
    hidden = forward(w, times, ids, p, T_MAX)[0]
    result["spikes per neuron"] = float(np.isfinite(hidden.times).sum()
                                        / (point["batch"] * point["hidden"]))
    return result


def exponent(x: list[float], t: list[float]) -> float:
    r"""Slope of the least-squares line through :math:`(\log x, \log t)`.

    Examples
    --------
    >>> round(exponent([1, 2, 4], [3, 12, 48]), 6)
    2.0
    """
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    keep = (x > 0) & (t > 0)
    return float(np.polyfit(np.log(x[keep]), np.log(t[keep]), 1)[0])


def sweep(values: dict, base: dict, repeats: int) -> dict:
    """All sweeps: ``{quantity: [(x, {candidate: seconds}), ...]}``."""
    out: dict = {}
    for quantity, xs in values.items():
        rows = []
        for x in xs:
            point = dict(base, **{quantity: x})
            m = measure(point, repeats)
            abscissa = m["spikes per neuron"] if quantity == "gain" else float(x)
            rows.append((abscissa, m))
            print(f"  {quantity} = {x}: " + ", ".join(
                f"{k} {v * 1e3:.2f} ms" for k, v in m.items() if k != "spikes per neuron")
                + f", {m['spikes per neuron']:.2f} spikes/neuron", flush=True)
        out[quantity] = rows
    return out


LABELS = {"hidden": "hidden size H", "batch": "batch", "inputs": "input spikes per sample",
          "gain": "spikes per hidden neuron"}
CANDIDATES = ["ff forward", "ff loss_and_grad", "rec forward", "rec loss_and_grad",
              "grid forward"]


def table(results: dict) -> tuple[str, dict]:
    """Markdown table of fitted exponents (and the range of exact/grid ratios) plus a dict."""
    fits = {q: {c: exponent([x for x, _ in rows], [m[c] for _, m in rows]) for c in CANDIDATES}
            for q, rows in results.items()}
    lines = ["| cost against | " + " | ".join(CANDIDATES) + " | ff fwd / grid | rec fwd / grid |",
             "|---" * (len(CANDIDATES) + 3) + "|"]
    for q, rows in results.items():
        ff = [m["ff forward"] / m["grid forward"] for _, m in rows]
        rc = [m["rec forward"] / m["grid forward"] for _, m in rows]
        xs = ", ".join(f"{x:.3g}" for x, _ in rows)
        k = " | ".join(f"{fits[q][c]:.2f}" for c in CANDIDATES)
        lines.append(f"| {LABELS[q]} ({xs}) | {k}"
                     + f" | {ff[0]:.2f} … {ff[-1]:.2f} | {rc[0]:.2f} … {rc[-1]:.2f} |")
    return "\n".join(lines), fits


def figure(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(3.2 * len(results), 3.0))
    for ax, (q, rows) in zip(np.atleast_1d(axes), results.items(), strict=True):
        x = [r[0] for r in rows]
        for c in CANDIDATES:
            ax.loglog(x, [m[c] * 1e3 for _, m in rows], "o-", ms=3, label=c)
        ax.set_xlabel(LABELS[q])
    np.atleast_1d(axes)[0].set_ylabel("median time (ms)")
    np.atleast_1d(axes)[0].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--no-figure", action="store_true")
    args = parser.parse_args(argv)
    values, base, repeats = (QUICK, QUICK_BASE, 1) if args.quick else (FULL, BASE, args.repeats)
    results = sweep(values, base, repeats)
    text, fits = table(results)
    print("\nFitted exponents (time ∝ x^k, log-log least squares):\n" + text)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "_quick" if args.quick else ""
    (args.out / f"cost_laws{suffix}.md").write_text(text + "\n")
    (args.out / f"cost_laws{suffix}.json").write_text(json.dumps(
        {"base": base, "exponents": fits,
         "points": {q: [[x, m] for x, m in rows] for q, rows in results.items()}}, indent=1))
    if not args.no_figure:
        figure(results, args.out / f"cost_laws{suffix}.png")
    return fits


if __name__ == "__main__":
    main()
