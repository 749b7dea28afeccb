"""snnlib — the library of *Distributional Derivatives and Spiking Neural Networks*.

Modules
-------
distributions
    Test functions, the pairing ⟨η, φ⟩, regular distributions, Dirac deltas, spike
    trains and distributional derivatives (chapter 1).
plotting
    Figures used by the chapters (matplotlib; never imported by the core modules).
widgets
    Thin ipywidgets wrappers around the plotting functions.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
