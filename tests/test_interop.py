"""Tests for snnlib.interop: NIR export and import, checked through files, against an
independent Euler simulation of NIR's own equations, and on every rejection path."""

import itertools

import nir
import numpy as np
import pytest

from snnlib.convergence import fit_power_law
from snnlib.interop import _from_unit, _to_unit, from_nir, to_nir
from snnlib.lif import LIFParams, forward

# Odd values, so that the ms ↔ s conversion is exercised beyond round numbers.
P = LIFParams(tau_mem=13.7, tau_syn=4.1, threshold=0.9)


def events(rng, batch, n_in, per_input=2, t_max=20.0):
    times = rng.uniform(0.0, t_max, (batch, n_in * per_input))
    ids = np.tile(np.repeat(np.arange(n_in), per_input), (batch, 1))
    order = np.argsort(times, axis=1)
    return np.take_along_axis(times, order, 1), np.take_along_axis(ids, order, 1)


def network(rng, sizes, recurrent_layers=()):
    weights = [rng.normal(1.2, 1.0, (a, b)) for a, b in itertools.pairwise(sizes)]
    recurrent = None
    if recurrent_layers:
        recurrent = [rng.normal(0.0, 0.3, (W.shape[1], W.shape[1])) if k in recurrent_layers
                     else None for k, W in enumerate(weights)]
    return weights, recurrent


def through_file(graph, tmp_path):
    path = tmp_path / "net.nir"
    nir.write(path, graph)
    return nir.read(path)


def graph(nodes, edges):
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=False)


def cuba(n, tau_mem=0.02, tau_syn=0.005, threshold=1.0, **kw):
    full = lambda v: np.full(n, v, dtype=float)  # noqa: E731
    args = dict(tau_mem=full(tau_mem), tau_syn=full(tau_syn), r=full(1.0), v_leak=full(0.0),
                v_threshold=full(threshold), v_reset=full(0.0), w_in=full(tau_syn))
    args.update(kw)
    return nir.CubaLIF(**args)


# ---------------------------------------------------------------------------------------
# Round trips through a file
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("recurrent_layers", [(), (0,), (0, 1)])
def test_round_trip_through_file_is_bit_identical(tmp_path, recurrent_layers):
    rng = np.random.default_rng(1)
    weights, recurrent = network(rng, [4, 7, 3], recurrent_layers)
    g = through_file(to_nir(weights, P, recurrent), tmp_path)
    weights2, params2, recurrent2 = from_nir(g)
    assert params2 == P
    assert len(weights2) == len(weights)
    for a, b in zip(weights, weights2, strict=True):
        assert b.dtype == np.float64 and np.array_equal(a, b)
    if recurrent is None:
        assert recurrent2 is None
    else:
        for a, b in zip(recurrent, recurrent2, strict=True):
            assert (a is None and b is None) or np.array_equal(a, b)
    times, ids = events(rng, 6, 4)
    before = forward(weights, times, ids, P, 40.0, recurrent)
    after = forward(weights2, times, ids, params2, 40.0, recurrent2)
    assert sum(np.isfinite(s.times).sum() for s in before) > 10  # the network is not silent
    for s, t in zip(before, after, strict=True):
        assert np.array_equal(s.times, t.times) and np.array_equal(s.ids, t.ids)


def test_exported_graph_structure_and_units():
    W = [np.arange(6.0).reshape(2, 3), np.ones((3, 1))]
    g = to_nir(W, P, [np.eye(3), None])
    assert set(g.nodes) == {"input", "linear_0", "lif_0", "recurrent_0", "linear_1", "lif_1",
                            "output"}
    assert ("lif_0", "recurrent_0") in g.edges and ("recurrent_0", "lif_0") in g.edges
    assert np.array_equal(g.nodes["linear_0"].weight, W[0].T)  # NIR: y = W x, (out, in)
    lif = g.nodes["lif_0"]
    assert np.all(lif.tau_mem == 13.7 / 1000) and np.all(lif.tau_syn == 4.1 / 1000)  # in s
    assert np.all(lif.w_in == lif.tau_syn) and np.all(lif.r == 1.0)
    assert np.all(lif.v_threshold == 0.9) and np.all(lif.v_reset == 0) and np.all(lif.v_leak == 0)
    assert g.metadata["time_unit"] == "s"


def test_unit_conversion_inverts_exactly():
    rng = np.random.default_rng(2)
    taus = np.concatenate([rng.uniform(0.01, 1000.0, 5000), np.arange(1, 500) * 0.1])
    back = np.array([_from_unit(_to_unit(float(t)), float(t)) for t in taus])
    assert np.array_equal(back, taus)
    # Without the hint (a foreign graph): still a float that divides back to the stored value.
    for t in taus[:500]:
        assert _to_unit(_from_unit(_to_unit(float(t)))) == _to_unit(float(t))
    # A hint that does not divide to the stored value is ignored.
    assert _from_unit(0.005, 7.0) == 5.0


def test_round_trip_of_a_time_constant_that_shares_its_quotient(tmp_path):
    # 504.0194422567726 / 1000 == 504.01944225677266 / 1000: only the metadata tells them apart.
    tau = 504.0194422567726
    assert _to_unit(tau) == _to_unit(float(np.nextafter(tau, np.inf)))
    params = LIFParams(tau_mem=tau, tau_syn=5.0)
    assert from_nir(through_file(to_nir([np.ones((1, 1))], params), tmp_path))[1] == params


# ---------------------------------------------------------------------------------------
# A graph written the way another tool would write it
# ---------------------------------------------------------------------------------------


def test_graph_built_with_nir_classes_imports_and_simulates(tmp_path):
    rng = np.random.default_rng(3)
    W0 = rng.normal(2.0, 0.5, (6, 3)).astype(np.float32)  # NIR layout (out, in), float32
    W1 = rng.normal(2.0, 0.5, (2, 6)).astype(np.float32)
    r, w_in, tau_syn = 2.0, 0.001, 0.004  # each spike adds 0.5 w to snnlib's current
    layer = lambda n: nir.CubaLIF(  # noqa: E731
        tau_syn=np.full(n, tau_syn), tau_mem=np.full(n, 0.01), r=np.full(n, r),
        v_leak=np.zeros(n), v_threshold=np.full(n, 0.5), w_in=np.full(n, w_in))  # no v_reset
    g = nir.NIRGraph.from_list(nir.Affine(W0, np.zeros(6, dtype=np.float32)), layer(6),
                               nir.Linear(W1), layer(2))
    weights, params, recurrent = from_nir(through_file(g, tmp_path))
    assert recurrent is None
    assert params == LIFParams(tau_mem=10.0, tau_syn=4.0, threshold=0.5)
    factor = r * w_in / tau_syn  # the current jump per unit weight
    assert np.array_equal(weights[0], W0.astype(float).T * factor)
    assert np.array_equal(weights[1], W1.astype(float).T * factor)
    times, ids = events(rng, 3, 3)
    out = forward(weights, times, ids, params, 30.0)
    assert np.isfinite(out[1].times).any()


# ---------------------------------------------------------------------------------------
# The scaling against an independent reading of NIR's equations
# ---------------------------------------------------------------------------------------


def nir_euler(g, in_times, in_ids, t_max_s, dt):
    """Forward Euler of the NIR equations as written in nir.CubaLIF, on the graph itself:
    τ_syn İ = −I + w_in S with S = Σ w δ(t − t_k) (a delta is 1/dt over one step),
    τ_mem v̇ = (v_leak − v) + r I, fire when v > v_threshold, then v = v_reset. Times in s.
    A feed-forward chain; returns every layer's (spike times, ids) for one sample."""
    layers = sorted(k for k in g.nodes if k.startswith("lif_"))
    lin = [g.nodes[f"linear_{k}"].weight for k in range(len(layers))]
    lif = [g.nodes[name] for name in layers]
    I = [np.zeros(w.shape[0]) for w in lin]
    v = [np.zeros(w.shape[0]) for w in lin]
    recorded = [[] for _ in lif]
    step_of = np.floor(in_times / dt + 1e-6).astype(int)  # (grid-aligned inputs: no jitter)
    for n in range(round(t_max_s / dt)):
        S = np.zeros(lin[0].shape[1])
        np.add.at(S, in_ids[step_of == n], 1.0 / dt)
        for k, node in enumerate(lif):
            drive = lin[k] @ S
            v_new = v[k] + dt / node.tau_mem * ((node.v_leak - v[k]) + node.r * I[k])
            I[k] = I[k] + dt / node.tau_syn * (-I[k] + node.w_in * drive)
            fired = v_new > node.v_threshold
            v[k] = np.where(fired, node.v_reset, v_new)
            recorded[k] += [((n + 1) * dt, j) for j in np.flatnonzero(fired)]
            S = fired / dt
    return recorded


def test_scaling_matches_a_fine_euler_simulation_of_nir_equations():
    rng = np.random.default_rng(1)
    weights = [rng.uniform(0.5, 2.5, (3, 4)), rng.uniform(0.5, 2.0, (4, 2))]
    params = LIFParams(tau_mem=10.0, tau_syn=5.0, threshold=1.0)
    in_times = np.array([0.32, 1.12, 2.0, 4.24, 6.48, 8.96])  # ms, on every grid below
    in_ids = np.array([0, 1, 2, 0, 1, 2])
    exact = forward(weights, in_times[None], in_ids[None], params, 30.0)
    g = to_nir(weights, params)
    steps = np.array([8e-5, 4e-5, 2e-5, 1e-5, 5e-6])  # s: 0.08 … 0.005 ms
    errors = []
    for dt in steps:
        sim = nir_euler(g, in_times / 1000, in_ids, 0.030, dt)
        err = []
        for k, spikes in enumerate(sim):
            real = np.isfinite(exact[k].times[0])
            t_exact, id_exact = exact[k].times[0][real], exact[k].ids[0][real]
            assert len(spikes) == t_exact.size > 0, (dt, k)
            t_sim = np.array([t for t, _ in spikes]) * 1000  # ms
            id_sim = np.array([j for _, j in spikes])
            # Compare neuron by neuron (spikes of two neurons in one step may swap order).
            a, b = np.lexsort((t_sim, id_sim)), np.lexsort((t_exact, id_exact))
            assert np.array_equal(id_sim[a], id_exact[b])
            err.append(np.abs(t_sim[a] - t_exact[b]))
        errors.append(np.mean(np.concatenate(err)))
    # First order: the mean spike-time error falls like the step (a spike is registered at the
    # end of its step, so single ratios scatter around 2; the fitted order is about 1).
    fit = fit_power_law(steps * 1000, np.array(errors))
    assert 0.85 < fit.order < 1.2, (errors, fit)
    assert errors[-1] < 0.01  # ms, at dt = 0.005 ms


def test_a_wrong_scaling_would_be_seen():
    """The Euler check distinguishes w_in = τ_syn from the tempting w_in = 1 (a jump of w/τ_syn,
    200 times larger here): with w_in = 1 the spikes come much earlier."""
    weights = [np.array([[5.0]])]
    params = LIFParams(tau_mem=10.0, tau_syn=5.0, threshold=1.0)
    g = to_nir(weights, params)
    exact = forward(weights, np.array([[0.0]]), np.array([[0]]), params, 30.0)[0].times[0, 0]
    t_right = nir_euler(g, np.array([0.0]), np.array([0]), 0.03, 1e-5)[0][0][0] * 1000
    g.nodes["lif_0"].w_in = np.ones(1)
    t_wrong = nir_euler(g, np.array([0.0]), np.array([0]), 0.03, 1e-5)[0][0][0] * 1000
    assert abs(t_right - exact) < 0.02 and abs(t_wrong - exact) > 1.0


# ---------------------------------------------------------------------------------------
# Bad arguments to to_nir
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, error, match", [
    (([np.ones((2, 2))], "params"), TypeError, "params"),
    ((np.ones((2, 2)), P), TypeError, "weights"),
    (([], P), TypeError, "weights"),
    (([np.ones((2, 3)), np.ones((2, 1))], P), ValueError, r"weights\[1\]"),
    (([np.array([[np.nan]])], P), ValueError, r"weights\[0\]"),
    (([np.ones((2, 3))], P, [np.ones((2, 2))]), ValueError, r"recurrent\[0\]"),
    (([np.ones((2, 3))], P, [None, None]), ValueError, "recurrent"),
    (([np.ones((2, 3))], P, np.ones((3, 3))), TypeError, "recurrent"),
])
def test_to_nir_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        to_nir(*args)


def test_from_nir_rejects_what_is_not_a_graph():
    with pytest.raises(TypeError, match="graph"):
        from_nir({"nodes": {}})


# ---------------------------------------------------------------------------------------
# Every ValueError of from_nir
# ---------------------------------------------------------------------------------------


def base():
    """input → linear_0 → lif_0 (⟲ recurrent_0) → linear_1 → lif_1 → output, as parts."""
    g = to_nir([np.ones((2, 3)), np.ones((3, 2))], LIFParams(), [np.eye(3), None])
    return dict(g.nodes), list(g.edges)


def without(edges, *drop):
    return [e for e in edges if e not in drop]


def case_unknown_type():
    nodes, edges = base()
    nodes["lif_1"] = nir.LIF(tau=np.full(2, 0.02), r=np.ones(2), v_leak=np.zeros(2),
                             v_threshold=np.ones(2))
    return nodes, edges


def case_per_neuron(field, value):
    def make():
        nodes, edges = base()
        setattr(nodes["lif_0"], field, np.array(value, dtype=float))
        return nodes, edges
    return make


def case_per_layer():
    nodes, edges = base()
    nodes["lif_1"] = cuba(2, threshold=2.0)
    return nodes, edges


def case_affine_bias():
    nodes, edges = base()
    nodes["linear_1"] = nir.Affine(np.ones((2, 3)), np.array([0.0, 0.1]))
    return nodes, edges


def case_branch():
    nodes, edges = base()
    nodes["extra"] = nir.Linear(np.ones((2, 3)))
    return nodes, [*edges, ("lif_0", "extra"), ("extra", "lif_1")]


def case_skip():
    nodes, edges = base()
    nodes["skip"] = nir.Linear(np.ones((2, 2)))
    return nodes, [*edges, ("input", "skip"), ("skip", "lif_1")]


def case_no_linear():
    nodes, edges = base()
    del nodes["linear_1"]
    return nodes, [*without(edges, ("lif_0", "linear_1"), ("linear_1", "lif_1")),
                   ("lif_0", "lif_1")]


def case_isolated():
    nodes, edges = base()
    nodes["lonely"] = nir.Linear(np.ones((2, 2)))
    return nodes, edges


def case_two_outputs():
    nodes, edges = base()
    nodes["out2"] = nir.Output(np.array([2]))
    return nodes, [*edges, ("lif_1", "out2")]


def case_backward_cycle():
    nodes, edges = base()
    nodes["back"] = nir.Linear(np.ones((3, 2)))
    return nodes, [*edges, ("lif_1", "back"), ("back", "lif_0")]


def case_two_loops():
    nodes, edges = base()
    nodes["loop2"] = nir.Linear(np.eye(3))
    return nodes, [*edges, ("lif_0", "loop2"), ("loop2", "lif_0")]


def case_recurrent_shape():
    nodes, edges = base()
    nodes["recurrent_0"] = nir.Linear(np.ones((3, 2)))
    return nodes, edges


def case_weight_shape():
    nodes, edges = base()
    nodes["linear_1"] = nir.Linear(np.ones((2, 4)))
    return nodes, edges


def case_nonfinite_weight():
    nodes, edges = base()
    nodes["linear_1"] = nir.Linear(np.array([[1.0, np.inf, 1.0], [1.0, 1.0, 1.0]]))
    return nodes, edges


def case_input_to_output():
    nodes = {"input": nir.Input(np.array([2])), "output": nir.Output(np.array([2]))}
    return nodes, [("input", "output")]


def case_equal_taus():
    nodes, edges = base()
    nodes["lif_0"], nodes["lif_1"] = cuba(3, tau_mem=0.005), cuba(2, tau_mem=0.005)
    return nodes, edges


def case_nonpositive_tau():
    nodes, edges = base()
    nodes["lif_0"], nodes["lif_1"] = cuba(3, tau_syn=-0.005), cuba(2, tau_syn=-0.005)
    return nodes, edges


def case_dangling_edge():
    nodes, edges = base()
    return nodes, [*edges, ("lif_1", "nowhere")]


def case_loop_through_cubalif():
    nodes, edges = base()
    nodes["recurrent_0"] = cuba(3)
    return nodes, edges


def case_weight_3d():
    nodes, edges = base()
    nodes["linear_1"] = nir.Linear(np.ones((1, 2, 3)))
    return nodes, edges


def case_linear_then_output():
    nodes, edges = base()
    del nodes["lif_1"]
    return nodes, [*without(edges, ("linear_1", "lif_1"), ("lif_1", "output")),
                   ("linear_1", "output")]


def case_linear_two_inputs():
    nodes, edges = base()
    nodes["lonely"] = nir.Linear(np.ones((2, 2)))
    return nodes, [*edges, ("lonely", "linear_0")]


def case_output_two_inputs():
    nodes, edges = base()
    nodes["lonely"] = nir.Linear(np.ones((2, 2)))
    return nodes, [*edges, ("lonely", "output")]


REJECTED = {
    "loop through a CubaLIF": (case_loop_through_cubalif, "'recurrent_0'.*must be a Linear"),
    "3-D weight": (case_weight_3d, "'linear_1'.*2-D"),
    "Linear then Output": (case_linear_then_output, "'output'.*follows the Linear 'linear_1'"),
    "Linear with two inputs": (case_linear_two_inputs, "'linear_0'.*one predecessor"),
    "Output with two inputs": (case_output_two_inputs, "'output'.*one predecessor"),
    "unknown type": (case_unknown_type, "'lif_1'.*LIF is not supported"),
    "per-neuron tau_mem": (case_per_neuron("tau_mem", [0.02, 0.03, 0.02]),
                           "'lif_0'.*per-neuron tau_mem"),
    "per-neuron tau_syn": (case_per_neuron("tau_syn", [0.005, 0.005, 0.004]),
                           "'lif_0'.*per-neuron tau_syn"),
    "per-neuron threshold": (case_per_neuron("v_threshold", [1.0, 2.0, 1.0]),
                             "'lif_0'.*per-neuron v_threshold"),
    "v_leak": (case_per_neuron("v_leak", [0.1, 0.1, 0.1]), "'lif_0'.*v_leak must be 0"),
    "v_reset": (case_per_neuron("v_reset", [-0.5, -0.5, -0.5]), "'lif_0'.*v_reset must be 0"),
    "field shape": (case_per_neuron("r", [1.0, 1.0]), "'lif_0'.*r has shape"),
    "nonfinite field": (case_per_neuron("w_in", [1.0, np.nan, 1.0]), "'lif_0'.*w_in must be fin"),
    "per-layer params": (case_per_layer, "'lif_1'.*differs.*shared by all layers"),
    "affine bias": (case_affine_bias, "'linear_1'.*nonzero bias"),
    "branch": (case_branch, "'lif_0'.*exactly one successor"),
    "skip": (case_skip, "'input'.*exactly one successor"),
    "no linear": (case_no_linear, "'lif_1'.*needs a Linear"),
    "isolated node": (case_isolated, "'lonely'.*not on the chain"),
    "two outputs": (case_two_outputs, "exactly one Input and one Output"),
    "backward cycle": (case_backward_cycle, "'lif_0'.*inputs.*'back'.*not layered"),
    "two loops": (case_two_loops, "'lif_0'.*more than one recurrent"),
    "recurrent shape": (case_recurrent_shape, "'recurrent_0'.*expected \\(3, 3\\)"),
    "weight shape": (case_weight_shape, "'linear_1'.*input has 3 neurons"),
    "nonfinite weight": (case_nonfinite_weight, "'linear_1'.*finite"),
    "input to output": (case_input_to_output, "'output'.*no layer"),
    "tau_mem = tau_syn": (case_equal_taus, "'lif_0'.*must differ"),
    "tau <= 0": (case_nonpositive_tau, "'lif_0'.*must be > 0"),
    "dangling edge": (case_dangling_edge, "'nowhere'.*not a node"),
}


@pytest.mark.parametrize("case", REJECTED)
def test_from_nir_rejects_with_the_node_named(case):
    make, match = REJECTED[case]
    nodes, edges = make()
    with pytest.raises(ValueError, match=match):
        from_nir(graph(nodes, edges))


def test_base_case_itself_imports():
    _weights, params, recurrent = from_nir(graph(*base()))
    assert params == LIFParams() and recurrent[1] is None and np.array_equal(recurrent[0],
                                                                             np.eye(3))
