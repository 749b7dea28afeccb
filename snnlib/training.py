r"""Training spiking networks with exact gradients: Adam, mini-batches, evaluation.

Shared by chapter 7 and ``python -m snnlib.experiments.yinyang``. The prediction of a network is
the output neuron that fires first; a sample whose output layer stays silent counts as wrong.

Contents
--------
Adam
    The Adam optimiser (Kingma & Ba 2015) for a list of arrays.
init_weights
    Normal initial weights per layer, from a seed.
predict, accuracy, silent_label_fraction
    First-spike classification, and how often the label's output stays silent.
History, train
    The training loop with a per-epoch learning-rate decay and a progress callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from snnlib._validation import check_real
from snnlib.eventprop import loss_and_grad
from snnlib.lif import LIFParams, first_spike_times, forward
from snnlib.losses import first_spike_cross_entropy

__all__ = ["Adam", "History", "accuracy", "init_weights", "predict", "silent_label_fraction",
           "train"]


@dataclass
class Adam:
    r"""The Adam optimiser with bias-corrected moments.

    :math:`m \leftarrow \beta_1 m + (1-\beta_1)g`, :math:`v \leftarrow \beta_2 v + (1-\beta_2)g^2`,
    :math:`w \leftarrow w - \eta\,\hat m/(\sqrt{\hat v} + \epsilon)`.

    Examples
    --------
    >>> opt = Adam(lr=0.1)
    >>> w = [np.array([1.0])]
    >>> opt.step(w, [np.array([2.0])])
    >>> np.round(w[0], 6).tolist()   # the first step moves by lr in the sign of -g
    [0.9]
    """

    lr: float = 5e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    steps: int = 0
    m: list[np.ndarray] = field(default_factory=list)
    v: list[np.ndarray] = field(default_factory=list)

    def step(self, params: list[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update ``params`` in place."""
        if not self.m:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.steps += 1
        c1, c2 = 1 - self.beta1**self.steps, 1 - self.beta2**self.steps
        for p, g, m, v in zip(params, grads, self.m, self.v, strict=True):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def init_weights(
    sizes: Sequence[int], seed: int, means: Sequence[float], stds: Sequence[float]
) -> list[np.ndarray]:
    """Weights ``N(means[l], stds[l])`` of shape (sizes[l], sizes[l + 1]), from ``seed``.

    Examples
    --------
    >>> [w.shape for w in init_weights([5, 10, 3], 0, [1.0, 0.5], [0.5, 0.2])]
    [(5, 10), (10, 3)]
    """
    rng = np.random.default_rng(seed)
    if not (len(means) == len(stds) == len(sizes) - 1):
        raise ValueError("means and stds need one entry per layer (len(sizes) - 1)")
    return [rng.normal(mu, sd, size=(sizes[k], sizes[k + 1]))
            for k, (mu, sd) in enumerate(zip(means, stds, strict=True))]


def predict(
    weights, input_times, input_ids, params: LIFParams, t_max: float, recurrent=None,
    readout_start: float = 0.0,
) -> np.ndarray:
    """Index of the first output neuron to fire at or after ``readout_start``, or -1 if the
    output layer is silent then.

    ``recurrent`` as for :func:`snnlib.lif.forward`.
    """
    return _winner(_first_output_spikes(weights, input_times, input_ids, params, t_max,
                                        recurrent, readout_start))


def accuracy(
    weights, input_times, input_ids, labels, params: LIFParams, t_max: float, recurrent=None,
    readout_start: float = 0.0,
) -> float:
    """Fraction of samples whose first output spike comes from the label's neuron."""
    guesses = predict(weights, input_times, input_ids, params, t_max, recurrent, readout_start)
    return float(np.mean(guesses == labels))


@dataclass
class History:
    """Per-epoch records of a training run.

    ``train_silent_label`` is the fraction of training samples whose label's output neuron
    does not fire (in the readout window): with the first-spike cross-entropy each costs a
    constant, so this fraction can dominate ``train_loss``.
    """

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    train_silent_label: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def silent_label_fraction(
    weights, input_times, input_ids, labels, params: LIFParams, t_max: float, recurrent=None,
    readout_start: float = 0.0,
) -> float:
    """Fraction of samples whose label's output neuron does not fire at or after
    ``readout_start``.

    Examples
    --------
    >>> weights = [np.array([[10.0, 0.0]])]   # output 1 never fires
    >>> silent_label_fraction(weights, np.array([[0.0], [0.0]]), np.array([[0], [0]]),
    ...                       np.array([0, 1]), LIFParams(), 30.0)
    0.5
    """
    first = _first_output_spikes(weights, input_times, input_ids, params, t_max, recurrent,
                                 readout_start)
    return _silent_fraction(first, labels)


def _first_output_spikes(weights, input_times, input_ids, params, t_max, recurrent,
                         readout_start) -> np.ndarray:
    out = forward(weights, input_times, input_ids, params, t_max, recurrent)[-1]
    return first_spike_times(out, weights[-1].shape[1], readout_start)


def _winner(first: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(first.min(axis=1)), np.argmin(first, axis=1), -1)


def _silent_fraction(first: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.isinf(first[np.arange(labels.size), labels])))


def train(
    weights: list[np.ndarray],
    train_data: tuple[np.ndarray, np.ndarray, np.ndarray],
    val_data: tuple[np.ndarray, np.ndarray, np.ndarray],
    params: LIFParams,
    t_max: float,
    epochs: int,
    batch_size: int = 32,
    lr: float = 5e-3,
    lr_decay: float = 0.95,
    seed: int = 0,
    loss: Callable = first_spike_cross_entropy,
    surrogate_slope: float | None = None,
    progress: Callable[[str], None] | None = print,
    recurrent: list[np.ndarray | None] | None = None,
    readout_start: float = 0.0,
    gradient: Callable | None = None,
) -> History:
    """Train ``weights`` in place with Adam on mini-batches; lr × ``lr_decay`` after each epoch.

    ``train_data`` and ``val_data`` are ``(input_times, input_ids, labels)``. The batches of each
    epoch are a permutation drawn from ``seed``. ``progress`` receives one line per epoch.
    ``recurrent`` (as for :func:`snnlib.lif.forward`): its arrays are trained in place too.
    ``readout_start``: the decision window, as for :func:`snnlib.eventprop.loss_and_grad`.
    ``gradient``: another gradient, called as ``gradient(weights, times, ids, labels, params,
    t_max, loss=loss)`` and returning ``(loss, grads)`` — e.g. surrogate-gradient BPTT,
    ``functools.partial(snnlib.surrogate.bptt_loss_and_grad, dt=0.5)``; default: the exact
    :func:`snnlib.eventprop.loss_and_grad` (with ``surrogate_slope``, ``recurrent`` and
    ``readout_start``, which ``gradient`` does not take). Accuracies are always those of the
    exact simulation.
    """
    if gradient is not None and (surrogate_slope is not None or recurrent is not None
                                 or readout_start != 0.0):
        raise ValueError("gradient replaces loss_and_grad: give surrogate_slope, recurrent "
                         "and readout_start only without it")
    lr = check_real(lr, "lr", positive=True)
    rng = np.random.default_rng(seed)
    times, ids, labels = train_data
    opt = Adam(lr=lr)
    trained = list(weights) + [r for r in (recurrent or []) if r is not None]
    history = History()
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(labels.size)
        losses = []
        for first in range(0, labels.size, batch_size):
            batch = order[first:first + batch_size]
            if gradient is None:
                value, grads, *rest = loss_and_grad(
                    weights, times[batch], ids[batch], labels[batch], params, t_max, loss=loss,
                    surrogate_slope=surrogate_slope, recurrent=recurrent,
                    readout_start=readout_start)
            else:
                value, grads = gradient(weights, times[batch], ids[batch], labels[batch],
                                        params, t_max, loss=loss)
                rest = []
            opt.step(trained, grads + [g for g in (rest[0] if rest else []) if g is not None])
            losses.append(value)
        opt.lr *= lr_decay
        history.train_loss.append(float(np.mean(losses)))
        first = _first_output_spikes(weights, times, ids, params, t_max, recurrent,
                                     readout_start)
        history.train_accuracy.append(float(np.mean(_winner(first) == labels)))
        history.train_silent_label.append(_silent_fraction(first, labels))
        history.val_accuracy.append(accuracy(weights, *val_data, params, t_max, recurrent,
                                             readout_start))
        history.seconds.append(time.perf_counter() - start)
        if progress is not None:
            progress(f"epoch {epoch + 1:3d}/{epochs}: loss {history.train_loss[-1]:.4f}, "
                     f"train acc {history.train_accuracy[-1]:.4f}, "
                     f"val acc {history.val_accuracy[-1]:.4f} ({history.seconds[-1]:.1f} s)")
    return history
