"""Scenarios: named sets of overrides on the base workbook, resolved into one spec per run.

A scenario lives in the workbook's ``scenarios`` sheet (long format, one
override per row) and/or in a YAML file next to the workbook
(``<workbook stem>.scenarios.yaml``).  Columns / keys:

``scenario``     name of the scenario
``parent``       scenario it builds on (its overrides are applied first); blank = the base workbook
``description``  one sentence saying what the scenario represents
``sheet``        sheet the override changes (``settings``, ``targets``, ... or ``families``)
``column``       column it changes (for ``families``: the constraint family name)
``where``        which rows: ``key=value`` filters on the sheet's key columns joined by ``;`` (blank = all rows)
``operation``    ``set`` (replace), ``scale`` (multiply), ``add``; for ``families``: ``off`` / ``on``
``value``        the new value, factor or amount

Overrides are applied to the raw tables before validation, so a scenario's
values are checked exactly like the base workbook's.
"""

from landopt.scenarios.apply import apply_overrides, apply_scenario
from landopt.scenarios.definitions import (COLUMNS, NOT_OVERRIDABLE, SAME_FOR_EVERY_RUN, Override, Scenario,
                                           ScenarioError, as_text, chain, describe, load_scenarios, problem_at,
                                           scenarios_from_sheet, scenarios_from_yaml, sheet_zh, yaml_path)

__all__ = ["COLUMNS", "NOT_OVERRIDABLE", "SAME_FOR_EVERY_RUN", "Override", "Scenario", "ScenarioError",
           "apply_overrides", "apply_scenario", "as_text", "chain", "describe", "load_scenarios", "problem_at",
           "scenarios_from_sheet", "scenarios_from_yaml", "sheet_zh", "yaml_path"]
