r"""Export and import of snnlib's LIF networks through NIR, the Neuromorphic Intermediate
Representation (package ``nir``, 1.0).

A network of :mod:`snnlib.lif` becomes the graph

.. code-block:: text

    input ─▶ linear_0 ─▶ lif_0 ─▶ linear_1 ─▶ lif_1 ─▶ … ─▶ lif_{L-1} ─▶ output
                           ▲  │
                           └──┴─ recurrent_0   (only for a recurrent layer: a cycle)

with one ``nir.Linear`` per weight matrix and one ``nir.CubaLIF`` per layer.

The mapping
-----------
snnlib's neuron (times in ms) is :math:`\tau_m\dot V = -V + I`, :math:`\tau_s\dot I = -I`; a
spike of presynaptic neuron :math:`i` makes the current jump by the weight,
:math:`I \to I + W_{ij}`; the neuron fires when :math:`V` reaches :math:`\vartheta`, and
:math:`V \to 0`. NIR's ``CubaLIF`` is

.. math::

    \tau_\mathrm{syn}\dot I = -I + w_\mathrm{in} S, \qquad
    \tau_\mathrm{mem}\dot v = (v_\mathrm{leak} - v) + r I,

with :math:`S = \sum_k w_k\,\delta(t - t_k)` the output of the ``Linear`` node in front of it
(spikes are Dirac deltas weighted by the Linear weights), firing when :math:`v` exceeds
:math:`v_\mathrm{threshold}` and then :math:`v \to v_\mathrm{reset}`. Integrating the current
equation across one spike gives the jump

.. math::

    \tau_\mathrm{syn}\,\Delta I = w_\mathrm{in} w
    \quad\Longrightarrow\quad \Delta I = \frac{w_\mathrm{in}}{\tau_\mathrm{syn}}\, w ,

so snnlib's jump of exactly :math:`w` needs :math:`w_\mathrm{in} = \tau_\mathrm{syn}` (in the
time unit of the graph), with :math:`r = 1`, :math:`v_\mathrm{leak} = 0`,
:math:`v_\mathrm{threshold} = \vartheta`, :math:`v_\mathrm{reset} = 0`, and the Linear weight
the transpose of snnlib's (NIR's ``Linear`` computes :math:`y = Wx`, weight shape
(n_out, n_in); snnlib's ``weights[l]`` has shape (n_in, n_out), rows presynaptic). A recurrent
matrix ``recurrent[l]`` is a ``Linear`` from ``lif_l`` back to ``lif_l``.

Time unit: NIR's classes carry no unit, and the NIR peers (snnTorch, Norse, Rockpool) read
time constants in **seconds**; snnlib works in ms. Export writes
:math:`\tau/1000` (s) and :math:`w_\mathrm{in} = \tau_\mathrm{syn}` in s; import multiplies by
1000. Division by 1000 is not injective on floats (about 4.6 % of the floats of a binade share
their quotient with a neighbouring float), so each CubaLIF's metadata also carries the ms values
(``tau_mem_ms``, ``tau_syn_ms``); import uses them only when they divide to exactly the stored
seconds, else the float next to :math:`1000\,\tau` that divides back to it. Export → import
thus returns the very same floats. The graph's metadata says ``time_unit = "s"``.

Import accepts any CubaLIF whose dynamics snnlib simulates exactly: :math:`r` and
:math:`w_\mathrm{in}` (scalars or per neuron) only scale the input, so they are folded into the
weights, :math:`W_{ij} \to W_{ij}\, r_j w_{\mathrm{in},j} / \tau_\mathrm{syn}` (one rounding;
exactly :math:`W` for a graph written by :func:`to_nir`, where the factor is
:math:`\tau_s/\tau_s = 1`). A ``nir.Affine`` whose bias is zero is read as a ``Linear``.

What snnlib (and so this mapping) cannot express, rejected on import with a ``ValueError``
that names the node: other node types (convolutions, ``LIF`` without a synaptic current,
delays, subgraphs, …); a nonzero ``Affine`` bias (a constant input current); time constants or
thresholds that differ between neurons or between layers (all neurons share one
:class:`~snnlib.lif.LIFParams`); :math:`v_\mathrm{leak} \ne 0` or
:math:`v_\mathrm{reset} \ne 0`; :math:`\tau_\mathrm{mem} = \tau_\mathrm{syn}`; and any graph that
is not one chain input → Linear → CubaLIF → … → output with at most one self-loop
(through a Linear) per CubaLIF. Conversely every snnlib network exports. Two conventions agree
only in continuous time: NIR fires on :math:`v > v_\mathrm{threshold}`, snnlib when :math:`V`
reaches :math:`\vartheta` (they differ only for a trajectory that touches the threshold without
crossing it), and NIR's reset to :math:`v_\mathrm{reset} = 0` equals snnlib's subtraction of
:math:`\vartheta` at the exact crossing, where :math:`V = \vartheta`.

Peers read NIR's input term differently (measured with snnTorch 1.0.0 on the chapter-7
network): its importer simulates on a fixed step of 0.1 ms, requires
:math:`r = \tau_\mathrm{mem}/10^{-4}\,\mathrm{s}` (so it rejects the graphs written here) and
counts a spike as an input of one per step rather than as a Dirac delta of unit area; a graph
that obeys NIR's equations with that :math:`r` imports there but stays silent, and the graph it
simulates like snnlib is, read by the equations above, the same network with weights
:math:`10^4` times larger. Files exchanged with such a tool need that rescaling.

Contents
--------
to_nir
    An snnlib network (weights, params, recurrent) as a ``nir.NIRGraph``.
from_nir
    A ``nir.NIRGraph`` as (weights, params, recurrent), or a ``ValueError`` saying why not.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import nir
import numpy as np

from snnlib.lif import LIFParams, _check_recurrent, _check_weights

__all__ = ["from_nir", "to_nir"]

#: ms per unit of time in the graph (NIR peers use seconds).
_MS_PER_UNIT = 1000.0


def _to_unit(tau_ms: float) -> float:
    return tau_ms / _MS_PER_UNIT


def _from_unit(tau: float, hint: object = None) -> float:
    """A float ``m`` (ms) with ``m / 1000 == tau``: ``hint`` if it is one (division by 1000 is
    not injective: about 4.6 % of floats share their quotient with a neighbour, so the ms value
    written by :func:`to_nir` in the node's metadata picks the right one), else the one nearest
    to ``1000 tau``; ``1000 tau`` itself if no neighbour maps back."""
    if isinstance(hint, numbers.Real) and not isinstance(hint, bool):
        if _to_unit(float(hint)) == tau:
            return float(hint)
    guess = tau * _MS_PER_UNIT
    candidates = [guess, np.nextafter(guess, np.inf), np.nextafter(guess, -np.inf)]
    for c in candidates:
        if _to_unit(float(c)) == tau:
            return float(c)
    return float(guess)


def to_nir(
    weights: Sequence[np.ndarray],
    params: LIFParams,
    recurrent: Sequence[np.ndarray | None] | None = None,
) -> nir.NIRGraph:
    r"""Export an snnlib LIF network to a NIR graph.

    Each layer becomes a ``nir.Linear`` (weight ``weights[l].T``) followed by a ``nir.CubaLIF``
    with, for its :math:`n_l` neurons,

    .. math::

        \tau_\mathrm{mem} = \tau_m/1000,\ \tau_\mathrm{syn} = \tau_s/1000\ \text{(s)},\quad
        w_\mathrm{in} = \tau_\mathrm{syn},\ r = 1,\ v_\mathrm{leak} = 0,\
        v_\mathrm{threshold} = \vartheta,\ v_\mathrm{reset} = 0,

    so that NIR's :math:`\tau_\mathrm{syn}\dot I = -I + w_\mathrm{in}S` makes the current jump
    by exactly the weight, as in :mod:`snnlib.lif`. A recurrent matrix ``recurrent[l]`` is a
    ``nir.Linear`` (weight ``recurrent[l].T``) from the layer back to itself.

    Parameters
    ----------
    weights : list of ndarray
        ``weights[l]`` of shape (n_in, n_out), as for :func:`snnlib.lif.forward`.
    params : LIFParams
        Shared by every neuron (times in ms).
    recurrent : list, optional
        ``None`` or one entry per layer, each ``None`` or an (n_l, n_l) array, as for
        :func:`snnlib.lif.forward`.

    Returns
    -------
    nir.NIRGraph
        Nodes ``input``, ``linear_l``, ``lif_l``, ``recurrent_l`` (recurrent layers only),
        ``output``; write it with ``nir.write(path, graph)``.

    Raises
    ------
    TypeError, ValueError
        For weights that are not a non-empty list of finite 2-D arrays whose shapes chain,
        ``params`` that is not :class:`~snnlib.lif.LIFParams`, or a bad ``recurrent``.

    Examples
    --------
    >>> graph = to_nir([np.array([[10.0]])], LIFParams())
    >>> sorted(graph.nodes)
    ['input', 'lif_0', 'linear_0', 'output']
    >>> lif = graph.nodes["lif_0"]
    >>> float(lif.tau_syn[0]), float(lif.w_in[0]), float(lif.v_threshold[0])
    (0.005, 0.005, 1.0)
    """
    if not isinstance(params, LIFParams):
        raise TypeError(f"params must be LIFParams, got {type(params).__name__}")
    weights = _check_weights(weights)
    recurrent = _check_recurrent(recurrent, weights)
    tau_mem, tau_syn = _to_unit(params.tau_mem), _to_unit(params.tau_syn)
    nodes: dict[str, nir.NIRNode] = {"input": nir.Input(np.array([weights[0].shape[0]]))}
    edges: list[tuple[str, str]] = []
    previous = "input"
    for k, (W, R) in enumerate(zip(weights, recurrent, strict=True)):
        n = W.shape[1]

        def full(value: float, n: int = n) -> np.ndarray:
            return np.full(n, value, dtype=np.float64)

        nodes[f"linear_{k}"] = nir.Linear(weight=np.ascontiguousarray(W.T))
        nodes[f"lif_{k}"] = nir.CubaLIF(
            tau_syn=full(tau_syn), tau_mem=full(tau_mem), r=full(1.0), v_leak=full(0.0),
            v_threshold=full(params.threshold), v_reset=full(0.0), w_in=full(tau_syn),
            metadata={"tau_mem_ms": params.tau_mem, "tau_syn_ms": params.tau_syn},
        )
        edges += [(previous, f"linear_{k}"), (f"linear_{k}", f"lif_{k}")]
        if R is not None:
            nodes[f"recurrent_{k}"] = nir.Linear(weight=np.ascontiguousarray(R.T))
            edges += [(f"lif_{k}", f"recurrent_{k}"), (f"recurrent_{k}", f"lif_{k}")]
        previous = f"lif_{k}"
    nodes["output"] = nir.Output(np.array([weights[-1].shape[1]]))
    edges.append((previous, "output"))
    return nir.NIRGraph(nodes=nodes, edges=edges,
                        metadata={"source": "snnlib", "time_unit": "s"})


# ---------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------


def _linear_weight(name: str, node: nir.NIRNode) -> np.ndarray:
    """The (n_out, n_in) weight of a Linear, or of an Affine with zero bias."""
    weight = np.asarray(node.weight)
    if weight.ndim != 2:
        raise ValueError(f"node {name!r}: weight must be 2-D, got shape {weight.shape}")
    if isinstance(node, nir.Affine):
        bias = np.asarray(node.bias, dtype=np.float64)
        if np.any(bias != 0):
            raise ValueError(f"node {name!r}: Affine with a nonzero bias (a constant input "
                             "current) cannot be simulated by snnlib; only a zero bias is allowed")
    if not np.all(np.isfinite(weight)):
        raise ValueError(f"node {name!r}: weight must be finite")
    return weight.astype(np.float64)


def _uniform(name: str, node: nir.CubaLIF, field: str, n: int) -> np.ndarray:
    """A CubaLIF field as an (n,) float array, checked finite."""
    value = np.asarray(getattr(node, field), dtype=np.float64)
    try:
        value = np.broadcast_to(value, (n,))
    except ValueError:
        raise ValueError(f"node {name!r}: {field} has shape {value.shape}, but the layer has "
                         f"{n} neurons") from None
    if not np.all(np.isfinite(value)):
        raise ValueError(f"node {name!r}: {field} must be finite")
    return value


def _shared(name: str, node: nir.CubaLIF, field: str, n: int) -> float:
    """A CubaLIF field that snnlib requires equal for all neurons: its one value."""
    value = _uniform(name, node, field, n)
    if np.any(value != value[0]):
        raise ValueError(f"node {name!r}: per-neuron {field} (values from {value.min()!r} to "
                         f"{value.max()!r}) is not supported: snnlib's LIFParams are shared by "
                         "all neurons")
    return float(value[0])


def _layer(name: str, node: nir.CubaLIF, n: int) -> tuple[tuple[float, float, float], np.ndarray]:
    """The (tau_mem, tau_syn, threshold) of a CubaLIF, in the graph's unit, and the input
    factor :math:`r w_\\mathrm{in}/\\tau_\\mathrm{syn}` of each neuron."""
    tau_mem, tau_syn = _shared(name, node, "tau_mem", n), _shared(name, node, "tau_syn", n)
    threshold = _shared(name, node, "v_threshold", n)
    for field in ("v_leak", "v_reset"):
        value = _shared(name, node, field, n)
        if value != 0.0:
            raise ValueError(f"node {name!r}: {field} must be 0 (snnlib's neurons rest at and "
                             f"reset to V = 0), got {value!r}")
    if tau_mem <= 0 or tau_syn <= 0 or threshold <= 0:
        raise ValueError(f"node {name!r}: tau_mem, tau_syn and v_threshold must be > 0, got "
                         f"{tau_mem!r}, {tau_syn!r}, {threshold!r}")
    factor = _uniform(name, node, "r", n) * _uniform(name, node, "w_in", n) / tau_syn
    return (tau_mem, tau_syn, threshold), factor


def from_nir(
    graph: nir.NIRGraph,
) -> tuple[list[np.ndarray], LIFParams, list[np.ndarray | None] | None]:
    r"""Import a NIR graph of current-based LIF neurons as an snnlib network.

    The inverse of :func:`to_nir`: ``weights[l]`` is the transpose of the Linear in front of
    layer ``l`` times the input factor of its neurons,

    .. math::

        W_{ij} = W^\mathrm{NIR}_{ji}\;\frac{r_j\, w_{\mathrm{in},j}}{\tau_\mathrm{syn}},

    the current jump that NIR's :math:`\tau_\mathrm{syn}\dot I = -I + w_\mathrm{in}S`,
    :math:`\tau_\mathrm{mem}\dot v = -v + rI` gives to :math:`rI` (which is snnlib's current);
    the time constants are converted from s to ms (exactly inverting :func:`to_nir`).

    Parameters
    ----------
    graph : nir.NIRGraph
        One chain ``Input → Linear → CubaLIF → … → CubaLIF → Output`` (``Affine`` with zero
        bias allowed for ``Linear``), each CubaLIF with at most one self-loop through a Linear.

    Returns
    -------
    weights : list of ndarray
        (n_in, n_out) per layer, float64.
    params : LIFParams
    recurrent : list or None
        ``None`` if no layer is recurrent, else one entry per layer (``None`` or (n_l, n_l)).

    Raises
    ------
    TypeError
        If ``graph`` is not a ``nir.NIRGraph``.
    ValueError
        Naming the node, for anything snnlib cannot simulate exactly: an unknown node type, a
        nonzero Affine bias, per-neuron or per-layer differences in tau_mem, tau_syn or
        v_threshold, nonzero v_leak or v_reset, tau_mem = tau_syn, or a graph that is not a
        layered chain (branches, skips, missing Linear, cycles other than self-loops).

    Examples
    --------
    >>> from snnlib.lif import forward
    >>> weights, params, recurrent = from_nir(to_nir([np.array([[10.0]])], LIFParams()))
    >>> params, recurrent
    (LIFParams(tau_mem=20.0, tau_syn=5.0, threshold=1.0), None)
    >>> out = forward(weights, np.array([[0.0]]), np.array([[0]]), params, 50.0)
    >>> np.round(out[0].times, 6)   # as before the export
    array([[2.826252]])
    """
    if not isinstance(graph, nir.NIRGraph):
        raise TypeError(f"graph must be a nir.NIRGraph, got {type(graph).__name__}")
    nodes = graph.nodes
    for name, node in nodes.items():
        if not isinstance(node, nir.Input | nir.Output | nir.Linear | nir.Affine | nir.CubaLIF):
            raise ValueError(f"node {name!r}: type {type(node).__name__} is not supported (snnlib "
                             "simulates Input, Linear, Affine with zero bias, CubaLIF, Output)")
    succ: dict[str, list[str]] = {name: [] for name in nodes}
    pred: dict[str, list[str]] = {name: [] for name in nodes}
    for edge in graph.edges:
        src, dst = (str(e) for e in edge[:2])
        for end in (src, dst):
            if end not in nodes:
                raise ValueError(f"edge ({src!r}, {dst!r}) names {end!r}, which is not a node")
        succ[src].append(dst)
        pred[dst].append(src)
    inputs = [k for k, v in nodes.items() if isinstance(v, nir.Input)]
    outputs = [k for k, v in nodes.items() if isinstance(v, nir.Output)]
    if len(inputs) != 1 or len(outputs) != 1:
        raise ValueError(f"the graph must have exactly one Input and one Output node, got "
                         f"inputs {inputs} and outputs {outputs}")

    def only(name: str, names: list[str], what: str) -> str:
        if len(names) != 1:
            raise ValueError(f"node {name!r}: expected exactly one {what}, got {names} (the "
                             "graph is not layered: one chain Input → Linear → CubaLIF → … → "
                             "Output)")
        return names[0]

    weights: list[np.ndarray] = []
    recurrent: list[np.ndarray | None] = []
    layer_params: list[tuple[str, tuple[float, float, float]]] = []
    visited = {inputs[0]}
    current = inputs[0]
    while True:
        nxt = only(current, succ[current], "successor")
        if isinstance(nodes[nxt], nir.Output):
            if current == inputs[0]:
                raise ValueError(f"node {nxt!r}: the Input is connected to the Output directly; "
                                 "the graph has no layer")
            visited.add(nxt)
            if pred[nxt] != [current]:
                only(nxt, pred[nxt], "predecessor")
            break
        if not isinstance(nodes[nxt], nir.Linear | nir.Affine):
            raise ValueError(f"node {nxt!r}: a {type(nodes[nxt]).__name__} follows "
                             f"{current!r}; snnlib needs a Linear (the weights) between layers")
        only(nxt, pred[nxt], "predecessor")
        W = _linear_weight(nxt, nodes[nxt])
        visited.add(nxt)
        lif = only(nxt, succ[nxt], "successor")
        if not isinstance(nodes[lif], nir.CubaLIF):
            raise ValueError(f"node {lif!r}: a {type(nodes[lif]).__name__} follows the Linear "
                             f"{nxt!r}; expected a CubaLIF")
        n_in = weights[-1].shape[1] if weights else int(np.prod(nodes[current].output_type[
            "output"]))
        n = W.shape[0]
        if W.shape[1] != n_in:
            raise ValueError(f"node {nxt!r}: weight has shape {W.shape}, but its input has "
                             f"{n_in} neurons")
        own, factor = _layer(lif, nodes[lif], n)
        # Loops through a Linear back to this CubaLIF: its recurrent weights.
        loops = [s for s in succ[lif] if s in succ and succ[s] == [lif] and pred[s] == [lif]]
        if len(loops) > 1:
            raise ValueError(f"node {lif!r}: more than one recurrent Linear ({loops})")
        others = [p for p in pred[lif] if p not in loops]
        if others != [nxt]:
            raise ValueError(f"node {lif!r}: inputs {others} besides its recurrent loop; snnlib "
                             f"needs exactly one (the Linear {nxt!r}), the graph is not layered")
        R = None
        if loops:
            if not isinstance(nodes[loops[0]], nir.Linear | nir.Affine):
                raise ValueError(f"node {loops[0]!r}: a recurrent loop must be a Linear")
            R = _linear_weight(loops[0], nodes[loops[0]])
            if R.shape != (n, n):
                raise ValueError(f"node {loops[0]!r}: recurrent weight has shape {R.shape}, "
                                 f"expected ({n}, {n})")
            R = R.T * factor
            visited.add(loops[0])
        weights.append(W.T * factor)
        recurrent.append(R)
        layer_params.append((lif, own))
        visited.add(lif)
        rest = [s for s in succ[lif] if s not in loops]
        current = lif
        succ[lif] = rest
    unvisited = sorted(set(nodes) - visited)
    if unvisited:
        raise ValueError(f"node {unvisited[0]!r}: not on the chain from the Input to the Output "
                         f"(unvisited nodes: {unvisited}); the graph is not layered")
    first_name, first = layer_params[0]
    for name, own in layer_params[1:]:
        if own != first:
            raise ValueError(f"node {name!r}: (tau_mem, tau_syn, v_threshold) = {own} differs "
                             f"from {first} of {first_name!r}; snnlib's LIFParams are shared by "
                             "all layers")
    tau_mem, tau_syn, threshold = first
    try:
        meta = getattr(nodes[first_name], "metadata", None) or {}
        params = LIFParams(tau_mem=_from_unit(tau_mem, meta.get("tau_mem_ms")),
                           tau_syn=_from_unit(tau_syn, meta.get("tau_syn_ms")),
                           threshold=threshold)
    except ValueError as error:
        raise ValueError(f"node {first_name!r}: {error}") from None
    return weights, params, (recurrent if any(R is not None for R in recurrent) else None)
