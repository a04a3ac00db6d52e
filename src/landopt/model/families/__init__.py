"""Constraint families, one module each (as in Temoa and oemof-solph).

The family contract — each module exposes:

* ``FAMILY``: the name used to switch it on or off (``settings.families_off``, scenario ``families`` rows);
  ``SWITCHABLE = False`` for accounting identities;
* ``CONSTRAINTS``: for each constraint it builds, its :class:`~landopt.model.blocks.Meaning` (plain-words noun
  and lever, in English and Chinese, and the unit of its right-hand side) — diagnosis, shadow-price sentences
  and reports read them through :data:`MEANINGS`;
* ``blocks(spec, cols)``: its :class:`~landopt.model.blocks.RowBlock` objects, the rows traced to the input
  sheet/row/column, built by index functions (the rows) and rule functions whose docstrings carry the formula;
* optionally ``check(spec) -> list[str]``: input checks that only this family needs.

Adding a family: its module, its entry in the registry below, its inputs in :mod:`landopt.schema`, its tests.
"""

from __future__ import annotations

from types import ModuleType

from landopt.model.families import (
    area_balance,
    area_bounds,
    budget,
    construction,
    cropland,
    desertification,
    ecological,
    economic,
    energy,
    energy_bases,
    farmland,
    forest_cover,
    forest_stock,
    grazing,
    hydro,
    livestock,
    protection,
    redevelopment,
    transitions,
    urban,
)

#: Registry: family name -> module, in build order.
FAMILY_MODULES: dict[str, ModuleType] = {
    m.FAMILY: m
    for m in (area_balance, transitions, cropland, urban, grazing, livestock, energy, ecological, forest_cover,
              # plan protection measures (issue #13 part A)
              farmland, protection, construction,
              # development requirement (land-based economic output)
              economic,
              budget,
              # sandy land and forest growing stock (issue #13)
              desertification, forest_stock,
              # construction and energy measures (issue #13: redevelopment, energy bases, hydro footprint)
              redevelopment, energy_bases, hydro,
              area_bounds)
}
#: constraint name -> its meaning in plain words, from every family's ``CONSTRAINTS``
MEANINGS = {name: meaning for m in FAMILY_MODULES.values() for name, meaning in m.CONSTRAINTS.items()}
#: Families that scenarios may switch off (area_balance is structural).
FAMILIES: tuple[str, ...] = tuple(name for name, m in FAMILY_MODULES.items() if getattr(m, "SWITCHABLE", True))
