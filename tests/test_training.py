"""Tests for snnlib.training and the Yin-Yang command."""

import json

import numpy as np
import pytest

from snnlib.datasets import latency_encode, yin_yang
from snnlib.eventprop import loss_and_grad
from snnlib.experiments import yinyang
from snnlib.lif import LIFParams
from snnlib.training import Adam, accuracy, predict

P = LIFParams()


def test_adam_minimises_a_quadratic():
    w = [np.array([3.0, -2.0])]
    opt = Adam(lr=0.1)
    for _ in range(500):
        opt.step(w, [2 * w[0]])
    assert np.all(np.abs(w[0]) < 1e-2)


def test_one_step_lowers_the_loss_on_a_fixed_batch():
    X, y = yin_yang(32, seed=3)
    times, ids = latency_encode(X)
    weights = yinyang.initial_weights(40, seed=1)
    before, grads = loss_and_grad(weights, times, ids, y, P, yinyang.T_MAX)
    Adam(lr=1e-3).step(weights, grads)
    after, _ = loss_and_grad(weights, times, ids, y, P, yinyang.T_MAX)
    assert after < before


def test_predict_and_accuracy():
    weights = [np.array([[10.0, 0.0, 9.0]])]  # neuron 0 fires first, neuron 1 never
    times, ids = np.array([[0.0], [0.0]]), np.array([[0], [0]])
    assert predict(weights, times, ids, P, 30.0).tolist() == [0, 0]
    assert accuracy(weights, times, ids, np.array([0, 2]), P, 30.0) == 0.5
    silent = [np.zeros((1, 3))]
    assert predict(silent, times, ids, P, 30.0).tolist() == [-1, -1]


def test_command_runs_end_to_end(tmp_path, capsys):
    out = tmp_path / "curves.json"
    acc = yinyang.main(["--epochs", "1", "--train-size", "64", "--hidden", "20",
                        "--output", str(out)])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == f"test_accuracy: {acc:.4f}"
    assert any(line.startswith("epoch   1/1") for line in lines)
    saved = json.loads(out.read_text())
    assert len(saved["val_accuracy"]) == 1 and 0.0 <= saved["test_accuracy"] <= 1.0


def test_command_rejects_bad_arguments():
    with pytest.raises(SystemExit):
        yinyang.parse_args(["--epochs", "0"])
    with pytest.raises(SystemExit):
        yinyang.parse_args(["--lr", "-1"])
