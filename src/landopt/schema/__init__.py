"""The input workbook's schema: every sheet, every column, its unit and meaning.

This module is the single source of truth for the reader, the validator, the
template writer and ``docs/inputs.md``.  Column names carry their unit as a
suffix (``_ha``, ``_su``, ``_mw`` ...); the ``unit`` field spells it out.
"""

from __future__ import annotations

from landopt.schema.base import (CHOICE_ALIASES, CONSTRUCTION_ROLES, LAND_USE, MAX_AREA_HA, REGION, ROLE_NAMES_ZH, ROLES,
                                 SETTINGS_KEYS, SHEETS, YEAR, Column, Kind, Sheet, number_column, register)
import landopt.schema.sheets  # noqa: E402,F401  registers the data sheets, then
import landopt.schema.measures  # noqa: E402,F401  the planning-measure sheets (the workbook's sheet order)

#: Scenario operations: change a value (set/scale/add) or switch a constraint family (off/on).
OPERATIONS: tuple[str, ...] = ("set", "scale", "add", "off", "on")

#: The scenarios sheet (read by :mod:`landopt.scenarios`; not part of the data schema).
SCENARIOS_SHEET = Sheet(
    "scenarios",
    "Named scenarios: overrides applied to the workbook before validation, one override per row.",
    (
        Column("scenario", "text", "", True, "Name of the scenario (run with: landopt solve <workbook> --scenario NAME)"),
        Column("parent", "text", "", False, "Scenario this one builds on (its overrides are applied first); blank = the base workbook"),
        Column("description", "text", "", False, "One sentence saying what the scenario represents"),
        Column("sheet", "text", "", True, "Sheet the override changes (settings, targets, ... or 'families' to switch a constraint family)"),
        Column("column", "text", "", True, "Column it changes (for 'families': the constraint family name)"),
        Column("where", "text", "", False, "Which rows: key=value filters on the sheet's key columns joined by ';' (e.g. region=Lhasa;year=2035); blank = all rows"),
        Column("operation", "choice", "", True, "set (replace), scale (multiply), add; for 'families': off / on", choices=OPERATIONS),
        Column("value", "text", "", False, "The new value, factor or amount"),
        Column("note", "text", "", False, "Why (source or reasoning)"),
    ),
)

#: Sheets carrying model data, in the order they are read and written.
DATA_SHEETS = ("settings", "regions", "land_uses", "baseline", "carbon_by_region", "carbon_stocks", "transitions",
               "targets", "province_targets", "grazing", "energy", "area_bounds",
               "protected_land", "energy_bases", "hydro_projects")

__all__ = ["CHOICE_ALIASES", "CONSTRUCTION_ROLES", "DATA_SHEETS", "LAND_USE", "MAX_AREA_HA", "OPERATIONS", "REGION",
           "ROLE_NAMES_ZH", "ROLES", "SCENARIOS_SHEET", "SETTINGS_KEYS", "SHEETS", "YEAR", "Column", "Kind", "Sheet",
           "number_column", "register"]
