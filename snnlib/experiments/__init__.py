"""Command-line experiments: ``python -m snnlib.experiments.<name>``."""
