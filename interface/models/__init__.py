"""The runnable models: name -> module with ``check(case)``, ``run(...)`` and ``plot(...)``.

A model module provides:

* ``check(case)``: model-specific validation beyond the schema (raises InputError);
* ``run(case, comm, progress, fields) -> Result``: the computation (no file I/O;
  field snapshots go to the ``fields`` sink);
* ``plot(result, folder) -> list[Path]``: figures from the result alone.

Modules are imported lazily so that ``ssbi check`` stays fast.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from interface.errors import InputError

_MODULES = {
    "stack": "interface.models.stack",
    "electrochem": "interface.models.electrochem",
    "tradeoff": "interface.models.tradeoff",
    "rve": "interface.models.rve",
    "lithium": "interface.models.lithium",
    "creep_test": "interface.models.creep_test",
    "li_symmetric": "interface.models.li_symmetric",
    "jig": "interface.models.jig",
}


def model_module(name: str) -> ModuleType:
    """The module implementing model ``name``."""
    if name not in _MODULES:
        raise InputError(f"unknown model '{name}'", key="case.model")
    return importlib.import_module(_MODULES[name])


def check_model(case) -> None:
    """Run the model's own validation of a case (raises InputError)."""
    model_module(case.model).check(case)
