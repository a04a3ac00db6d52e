"""Constraint families, one module each (as in Temoa and oemof-solph).

Each module exposes ``FAMILY`` (the name used to switch it on or off), index
functions that return the rows as a tidy table traced to the input, rule
functions whose docstrings carry the formula, and ``blocks(spec, cols)``
returning its :class:`~landopt.model.blocks.RowBlock` objects.
"""

from __future__ import annotations

from types import ModuleType

from landopt.model.families import (
    area_balance,
    area_bounds,
    cropland,
    ecological,
    energy,
    grazing,
    transitions,
    urban,
)

#: Registry: family name -> module, in build order.
FAMILY_MODULES: dict[str, ModuleType] = {
    m.FAMILY: m
    for m in (area_balance, transitions, cropland, urban, grazing, energy, ecological, area_bounds)
}
#: Families that scenarios may switch off (area_balance is structural).
FAMILIES: tuple[str, ...] = tuple(name for name, m in FAMILY_MODULES.items() if getattr(m, "SWITCHABLE", True))
