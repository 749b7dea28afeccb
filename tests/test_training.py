"""Tests for snnlib.training and the Yin-Yang command."""

import json

import numpy as np
import pytest

from snnlib.datasets import latency_encode, yin_yang
from snnlib.eventprop import loss_and_grad
from snnlib.experiments import yinyang
from snnlib.lif import LIFParams
from snnlib.training import Adam, accuracy, predict, train

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
    with pytest.raises(SystemExit):
        yinyang.parse_args(["--bptt-dt", "0.5", "--surrogate-slope", "0.05"])
    with pytest.raises(SystemExit):
        yinyang.parse_args(["--bptt-dt", "0.5", "--bptt-steepness", "0"])
    with pytest.raises(SystemExit):
        yinyang.parse_args(["--weight-scale", "0"])


def test_weight_scale_multiplies_the_initial_weights(tmp_path, capsys):
    """--weight-scale 1 is the default run; any other factor changes it (here visibly)."""
    runs = [yinyang.main(["--epochs", "1", "--train-size", "64", "--hidden", "20",
                          "--weight-scale", scale, "--output", str(tmp_path / f"{scale}.json")])
            for scale in ("1", "0.01")]
    assert runs[0] == yinyang.main(["--epochs", "1", "--train-size", "64", "--hidden", "20",
                                    "--output", str(tmp_path / "default.json")])
    assert json.loads((tmp_path / "0.01.json").read_text())["args"]["weight_scale"] == 0.01


def test_command_trains_with_surrogate_bptt(tmp_path, capsys):
    """--bptt-dt trains with snnlib.surrogate on the grid and reports both accuracies."""
    out = tmp_path / "curves.json"
    acc = yinyang.main(["--epochs", "2", "--train-size", "64", "--hidden", "20",
                        "--bptt-dt", "0.5", "--output", str(out)])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == f"test_accuracy: {acc:.4f}"
    assert lines[-2].startswith("grid_test_accuracy: ")
    saved = json.loads(out.read_text())
    assert 0.0 <= saved["grid_test_accuracy"] <= 1.0
    assert saved["train_loss"][1] < saved["train_loss"][0]  # it learns


def test_gradient_hook_excludes_the_exact_gradient_options():
    times, ids = latency_encode(yin_yang(8, seed=3)[0])
    data = (times, ids, np.zeros(8, int))
    with pytest.raises(ValueError, match="gradient"):
        train(yinyang.initial_weights(10, 0), data, data, P, yinyang.T_MAX, 1,
              surrogate_slope=0.05, gradient=loss_and_grad, progress=None)


def test_train_updates_recurrent_weights_and_uses_the_readout_window():
    from snnlib.experiments import memory

    weights, rec = memory.initial_weights(0)
    before = [w.copy() for w in weights] + [rec[0].copy()]
    train_data, val_data = memory.data("train", 64), memory.data("val", 32)
    history = train(weights, train_data, val_data, memory.PARAMS, memory.T_MAX, epochs=2,
                    lr=1e-3, progress=None, recurrent=rec, readout_start=memory.CUE_TIME)
    assert rec[1] is None and len(history.train_loss) == 2
    for old, new in zip(before, [*weights, rec[0]], strict=True):
        assert 0 < np.abs(new - old).max() < 1.0  # every array moved, by Adam-sized steps
    # the window: output spikes before the cue do not count for predict
    early = [np.array([[10.0, 0.0], [0.0, 0.0], [0.0, 10.0]])]
    times, ids = np.array([[0.0, 50.0]]), np.array([[0, 2]])
    assert predict(early, times, ids, P, 80.0).tolist() == [0]
    assert predict(early, times, ids, P, 80.0, readout_start=40.0).tolist() == [1]


def test_readout_start_is_validated():
    weights, rec = [np.ones((1, 2))], None
    times, ids, labels = np.array([[0.0]]), np.array([[0]]), np.array([0])
    for bad in (-1.0, 30.0, 45.0):
        with pytest.raises(ValueError, match="readout_start"):
            loss_and_grad(weights, times, ids, labels, P, 30.0, recurrent=rec, readout_start=bad)


def test_memory_command_recurrent_learns_feed_forward_does_not(tmp_path, capsys):
    from snnlib.experiments import memory

    out = tmp_path / "memory.json"
    results = memory.main(["--seeds", "1", "--epochs", "12", "--output", str(out)])
    saved = json.loads(out.read_text())
    assert saved["runs"] == json.loads(json.dumps(results))
    rec, ff = (next(r for r in results if r["recurrent"] == flag) for flag in (True, False))
    # measured over seeds 0-2 with 12-20 epochs: recurrent 1.000, feed-forward 0.000 with the
    # 0.5 ms margin, feed-forward loss within 0.005 of log 2 (a coin flip)
    assert rec["test_accuracy_with_margin"] >= 0.9
    assert ff["test_accuracy_with_margin"] <= 0.1
    assert abs(ff["final_train_loss"] - np.log(2)) < 0.05 < np.log(2) - rec["final_train_loss"]
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("mean test accuracy")
