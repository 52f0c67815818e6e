"""Electrochemistry of the sulfide solid-state cell: the PyBaMM adapter.

The only package of ``interface`` that imports PyBaMM (telemetry is switched off
before the import, in :mod:`interface.electrochem._pybamm`).

* :mod:`~interface.electrochem.parameters` - cited parameter sets (NMC811 |
  Li6PS5Cl | Li metal, anode-free, graphite composite) and the single-ion
  electrolyte;
* :mod:`~interface.electrochem.constriction` - Holm constriction resistance with
  the Cooper-Mikic-Yovanovich interaction factor;
* :mod:`~interface.electrochem.cell` - the coupling adapter: contact map and
  contact law -> input parameters of a model built once;
* :mod:`~interface.electrochem.protocols` - one-way discharge, two-way coupled
  discharge (stepping), cycling with accumulating contact loss.

Submodules are imported on use: ``import interface.electrochem`` alone does not
load PyBaMM.
"""
