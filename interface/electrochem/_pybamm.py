"""The single import of PyBaMM (telemetry off before the import).

Every module of :mod:`interface.electrochem` that needs PyBaMM does
``from interface.electrochem._pybamm import pybamm``; no other package of
``interface`` imports it (a test greps for that).
"""

from __future__ import annotations

import os

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

import pybamm  # noqa: E402

__all__ = ["pybamm"]
