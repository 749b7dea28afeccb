"""snnlib — the library of *Distributional Derivatives and Spiking Neural Networks*.

Modules
-------
distributions
    Test functions, the pairing ⟨η, φ⟩, Dirac deltas, spike trains, derivatives (chapter 1).
deltas
    Nascent deltas (triangle, box, Gaussian), composition with a function (chapters 2–3).
convergence
    Measured orders of convergence.
lif
    Exact event-driven LIF networks and the clock-driven baseline (chapter 4).
interop
    Export and import of those networks through NIR (``nir``), the exchange format of the
    spiking-network simulators and neuromorphic hardware.
smoothed
    Theta-neuron networks with Λ_ε-smoothed or exact spikes (chapters 4 and 6).
adjoint
    Adjoint and forward-sensitivity gradients of ODE losses (chapter 5).
eventprop, losses
    Exact spike-time gradients for LIF networks; first-spike losses (chapter 6).
surrogate
    Surrogate-gradient backpropagation through time on the clock-driven grid (chapter 6).
datasets, training
    Yin-Yang, latency coding, Adam and the training loop (chapter 7).
sampling
    Integrate-and-fire and send-on-delta sampling, the Alexiewicz norm (chapters 8–9).
plotting, widgets
    Figures and their interactive wrappers (the core modules never import these).
experiments.yinyang
    ``python -m snnlib.experiments.yinyang``: the published Yin-Yang result.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
