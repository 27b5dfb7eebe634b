"""`cfglint probe`: one real batch of the user's own model checks the scales a config assumes.

The user's entry function builds a ProbeTarget; cfglint.probe.measure runs it (the only place
torch is imported) and produces a ProbeReport of plain numbers; the probe rules (P codes) compare
those numbers with the config, through the same engine, reporters and fix funnel as `check`.
This module imports no torch, so `from cfglint.probe import ProbeTarget` is always cheap.
"""

from cfglint.probe.target import ProbeTarget

__all__ = ["ProbeTarget"]
