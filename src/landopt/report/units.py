"""Units and number formats from column names (``area_ha`` → ha, ``#,##0``), shared by every openpyxl writer."""

from __future__ import annotations

import re
from typing import Mapping

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- formats
FMT_INT = "#,##0"  #: ha, SU, persons, MWh
FMT_2 = "#,##0.00"  #: t CO2e, MW and other measured quantities
FMT_3 = "#,##0.000"  #: coefficients, shadow prices
FMT_PCT_POINTS = "0.0"  #: values already in percent (25.0 means 25 %); the header says (%)
FMT_FRACTION = "0.0%"  #: fractions 0-1 shown as percent
FMT_YEAR = "0"
FMT_SECONDS = "0.000"

#: (column-name suffix, unit shown in the header, number format), tried in order: the first match wins.
UNIT_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("t_co2e_per_yr", "t CO2e/yr", FMT_2),
    ("tC_per_ha_yr", "t C/ha/yr", FMT_3),
    ("_tco2_per_mwh", "t CO2/MWh", FMT_3),
    ("_mwh_per_mw_yr", "MWh/MW/yr", FMT_INT),
    ("_mwh_per_yr", "MWh/yr", FMT_INT),
    ("_mw_per_ha", "MW/ha", FMT_3),
    ("_kg_per_ha", "kg/ha/yr", FMT_INT),
    ("_kg_per_su_yr", "kg/SU/yr", "#,##0.0"),
    ("_per_capita_m2", "m²/person", "#,##0.0"),
    ("_pct_per_period", "% per period", FMT_PCT_POINTS),
    ("_pct", "%", FMT_PCT_POINTS),
    ("_rate", "fraction", FMT_FRACTION),
    ("_ha", "ha", FMT_INT),
    ("_su", "SU", FMT_INT),
    ("_mw", "MW", FMT_2),
    ("_population", "persons", FMT_INT),
    ("_persons", "persons", FMT_INT),
    ("_seconds", "s", FMT_SECONDS),
)
#: Columns recognised by their whole name: (unit, number format).
NAMED_COLUMNS: dict[str, tuple[str, str]] = {
    "year": ("", FMT_YEAR),
    "row": ("", FMT_YEAR),
    "shadow_price": ("t CO2e/yr per unit", FMT_3),
    "dual": ("t CO2e/yr per unit", FMT_3),
    "reduced_cost": ("t CO2e/yr per unit", FMT_3),
    "rhs": ("", FMT_2),
    "activity": ("", FMT_2),
    "slack": ("", FMT_2),
    "relaxation": ("", FMT_2),
}

CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$")  # names Excel would read as a cell


def sheet_ref(title: str) -> str:
    """A sheet name as formulas write it: bare when it is a plain identifier, else quoted."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def unit_for(column: str, units: Mapping[str, str] | None = None) -> str:
    """The unit of ``column``: from ``units`` if given there, else from its name (suffix map)."""
    if units and column in units:
        return units[column]
    if column in NAMED_COLUMNS:
        return NAMED_COLUMNS[column][0]
    for suffix, unit, _fmt in UNIT_SUFFIXES:
        if column.endswith(suffix):
            return unit
    return ""


def format_for(column: str, values: pd.Series | None = None) -> str | None:
    """The number format for ``column`` from its name, else from its values (None = General)."""
    if column in NAMED_COLUMNS:
        return NAMED_COLUMNS[column][1]
    for suffix, _unit, fmt in UNIT_SUFFIXES:
        if column.endswith(suffix):
            return fmt
    if values is None or values.empty:
        return None
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return FMT_INT
    if pd.api.types.is_float_dtype(values):
        v = values.dropna()
        if not v.empty and np.all(np.isclose(v, np.round(v))):
            return FMT_INT
        return FMT_2
    return None


def strip_unit(column: str) -> str:
    """``area_ha`` → ``area``; ``t_co2e_per_yr`` → ``value``; underscores become spaces."""
    if column in NAMED_COLUMNS:
        return column.replace("_", " ")
    base = column
    for suffix, _unit, _fmt in UNIT_SUFFIXES:
        if column.endswith(suffix):
            base = column[: -len(suffix)]
            break
    base = base.strip("_").replace("_", " ")
    return base or "value"


def header_text(column: str, units: Mapping[str, str] | None = None, label: str | None = None) -> str:
    """Header shown for ``column``: its label (default: the name without its unit suffix) plus "(unit)"."""
    unit = unit_for(column, units)
    text = label if label is not None else strip_unit(column)
    return f"{text} ({unit})" if unit else text
