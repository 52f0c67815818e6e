"""Materials: cited elastic constants, densities, strain curves, creep laws; homogenisation."""

from __future__ import annotations

from collections.abc import Mapping

from interface.errors import InputError
from interface.materials.library import ALIASES, LIBRARY, li_plating_thickness_per_charge
from interface.materials.material import CreepLaw, Material, StrainCurve
from interface.schema import suggest

__all__ = ["CreepLaw", "Material", "StrainCurve", "get_material", "available",
           "li_plating_thickness_per_charge", "LIBRARY"]


def available(custom: Mapping[str, Material] | None = None) -> list[str]:
    """Names of the built-in materials plus the case's own."""
    return sorted({*LIBRARY, *(custom or {})}, key=str.lower)


def get_material(name: str, custom: Mapping[str, Material] | None = None, *,
                 key: str | None = None) -> Material:
    """Look a material up: the case's own ``[materials.<name>]`` first, then the library.

    Matching is case-insensitive and accepts the aliases in ``library.ALIASES``.

    Raises:
        InputError: unknown material, with a did-you-mean and the list of names.
    """
    custom = dict(custom or {})
    if name in custom:
        return custom[name]
    lowered = {k.lower(): k for k in custom}
    if name.lower() in lowered:
        return custom[lowered[name.lower()]]
    lib_lower = {k.lower(): k for k in LIBRARY}
    target = ALIASES.get(name.lower(), name)
    if target.lower() in lib_lower:
        return LIBRARY[lib_lower[target.lower()]]
    names = available(custom)
    raise InputError(f"unknown material '{name}'{suggest(name, names)}; known: {', '.join(names)}",
                     key=key)
