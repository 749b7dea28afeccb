"""Smoke test of benchmarks/bench_cost_laws.py on tiny sizes (``--quick``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
bench = pytest.importorskip("bench_cost_laws")


def test_exponent_recovers_a_power_law():
    x = np.array([1.0, 3.0, 10.0, 30.0])
    assert bench.exponent(x, 2.5 * x**1.5) == pytest.approx(1.5, abs=1e-12)


def test_quick_run_writes_table_and_json(tmp_path):
    fits = bench.main(["--quick", "--out", str(tmp_path), "--no-figure"])
    assert set(fits) == {"hidden", "batch", "inputs", "gain"}
    assert all(np.isfinite(k) for row in fits.values() for k in row.values())
    table = (tmp_path / "cost_laws_quick.md").read_text()
    assert table.startswith("| cost against |") and "spikes per hidden neuron" in table
    data = json.loads((tmp_path / "cost_laws_quick.json").read_text())
    assert data["exponents"] == fits
