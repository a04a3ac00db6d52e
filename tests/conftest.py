"""Shared fixtures and helpers for the model tests.

``tiny_tables(**overrides)`` returns the input sheets of a minimal instance as a
dict of DataFrames (one per sheet, as if read from a workbook), and
``solve_tables(tables)`` runs read → validate → build → solve → extract on them.

The default instance (region A, 100 ha, one milestone 2030 after the 2020
baseline)::

    land use  role      flux t C/ha/yr  baseline ha
    crop      cropland   +0.4             40
    forest    forest     -0.6             20
    urban     urban     +10.0             10
    unused    unused      0.0             30

    transitions: crop→forest, unused→forest (no rate limit)
    targets:     A 2030 cropland_min_ha = 30

Optimum: crop 30, forest 60, urban 10, unused 0;
net sink = -44/12·(0.4·30 − 0.6·60 + 10·10) = -44/12·76 = -278.667 t CO2e/yr.

Spreadsheet rows: the header is row 1, so the i-th data row (0-based) of a
sheet built here is spreadsheet row i + 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from landopt.model.build import LandModel, build
from landopt.reader import from_tables
from landopt.results import PlanResult, extract
from landopt.solve import SolveOutcome, solve
from landopt.validate import load_spec

#: t CO2 per t C
K = 44.0 / 12.0

GRAZING_COLUMNS = ["region", "year", "forage_yield_kg_per_ha", "utilisation_rate", "intake_kg_per_su_yr",
                   "rest_min_ha", "livestock_min_su", "ch4_kg_per_su_yr"]
ENERGY_COLUMNS = ["region", "year", "pv_suitable_ha", "pv_mw_per_ha", "clean_capacity_min_mw",
                  "other_clean_capacity_mw", "pv_mwh_per_mw_yr", "grid_factor_tco2_per_mwh"]
TARGET_COLUMNS = ["region", "year", "cropland_min_ha", "urban_boundary_ha", "urban_population",
                  "urban_land_per_capita_m2", "forest_min_ha", "wetland_min_ha", "grassland_min_ha",
                  "afforestation_potential_ha"]
BOUND_COLUMNS = ["region", "land_use", "year", "min_ha", "max_ha"]


def _default_tables() -> dict[str, pd.DataFrame]:
    return {
        "settings": pd.DataFrame({"key": ["baseline_year", "milestone_years"], "value": ["2020", "2030"]}),
        "regions": pd.DataFrame({"region": ["A"], "total_area_ha": [100.0]}),
        "land_uses": pd.DataFrame({
            "land_use": ["crop", "forest", "urban", "unused"],
            "role": ["cropland", "forest", "urban", "unused"],
            "carbon_flux_tC_per_ha_yr": [0.4, -0.6, 10.0, 0.0],
        }),
        "baseline": pd.DataFrame({"region": ["A"] * 4, "land_use": ["crop", "forest", "urban", "unused"],
                                  "area_ha": [40.0, 20.0, 10.0, 30.0]}),
        "transitions": pd.DataFrame({"from_land_use": ["crop", "unused"], "to_land_use": ["forest", "forest"],
                                     "allowed": ["yes", "yes"], "max_pct_per_period": [None, None]}),
        "targets": pd.DataFrame({"region": ["A"], "year": [2030], "cropland_min_ha": [30.0]}),
        "grazing": pd.DataFrame(columns=GRAZING_COLUMNS),
        "energy": pd.DataFrame(columns=ENERGY_COLUMNS),
    }


def _frame(sheet: str, value: Any) -> pd.DataFrame:
    if isinstance(value, pd.DataFrame):
        return value.copy()
    if isinstance(value, list):  # list of records
        cols = {"grazing": GRAZING_COLUMNS, "energy": ENERGY_COLUMNS, "targets": TARGET_COLUMNS,
                "area_bounds": BOUND_COLUMNS}.get(sheet)
        df = pd.DataFrame.from_records(value)
        if df.empty and cols:
            return pd.DataFrame(columns=cols)
        return df
    return pd.DataFrame(value)  # dict of columns


def tiny_tables(**overrides: Any) -> dict[str, pd.DataFrame]:
    """The minimal instance's sheets, with ``overrides`` applied.

    * ``settings={"key": "value", ...}`` adds or replaces settings (other settings are kept);
    * ``<sheet>=DataFrame | list of records | dict of columns`` replaces that sheet
      (an empty list gives the sheet with its schema's columns and no rows);
    * ``<sheet>=None`` removes the sheet.
    """
    tables = _default_tables()
    for sheet, value in overrides.items():
        if value is None:
            tables.pop(sheet, None)
        elif sheet == "settings" and isinstance(value, dict) and "key" not in value:
            s = dict(zip(tables["settings"]["key"], tables["settings"]["value"]))
            s.update({k: str(v) for k, v in value.items()})
            tables["settings"] = pd.DataFrame({"key": list(s), "value": list(s.values())})
        else:
            tables[sheet] = _frame(sheet, value)
    return tables


def run_tables(tables: dict[str, pd.DataFrame]) -> tuple[LandModel, SolveOutcome, PlanResult]:
    """Validate, build, solve and extract; return the model, the solver outcome and the result.

    Every instance is solved on both backends (the direct HiGHS one and the Pyomo model), which must agree:
    same status, the same objective (1e-9 relative), the same primal values and the same duals.
    """
    spec = load_spec(from_tables(tables))
    lm = build(spec)
    out = solve(lm, backend="highs")
    assert_backends_agree(lm, out)
    return lm, out, extract(lm, out)


def assert_backends_agree(lm: LandModel, out: SolveOutcome) -> SolveOutcome:
    """Solve ``lm`` on the Pyomo backend and check it against ``out`` (the direct backend's outcome)."""
    other = solve(lm, backend="pyomo")
    assert (other.backend, out.backend) == ("pyomo", "highs")
    assert other.status == out.status
    if out.optimal:
        assert other.objective == pytest.approx(out.objective, rel=1e-9, abs=1e-9)
        assert np.allclose(other.x, out.x, rtol=1e-9, atol=1e-7)
        assert np.allclose(other.dual, out.dual, rtol=1e-9, atol=1e-9)
    return other


def write_xlsx(tables: dict[str, pd.DataFrame], path) -> "Path":
    """``tables`` as an input workbook at ``path`` (one sheet per table, no index); returns the path."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in tables.items():
            df.to_excel(xw, sheet_name=name, index=False)
    return path


def solve_tables(tables: dict[str, pd.DataFrame]) -> PlanResult:
    """Validate, build, solve and extract ``tables``; return the :class:`PlanResult`."""
    return run_tables(tables)[2]


# -- lookups on a PlanResult ---------------------------------------------------

def area(res: PlanResult, region: str, land_use: str, year: int) -> float:
    return float(res.allocation.loc[(region, land_use, year), "area_ha"])


def con(res: PlanResult, label: str) -> pd.Series:
    """The row of ``res.constraints`` with readable label ``label`` (exactly one must exist)."""
    c = res.constraints
    hit = c[c["label"] == label]
    assert len(hit) == 1, f"{label}: {len(hit)} rows; labels are {sorted(c['label'])}"
    return hit.iloc[0]


def assert_binding(res: PlanResult, label: str, sheet: str, row: int, column: str,
                   shadow_price: float | None = None, rhs: float | None = None) -> pd.Series:
    """``label`` is reported binding, traced to (sheet, spreadsheet row, column), with the given shadow price."""
    r = con(res, label)
    assert bool(r["binding"]), f"{label} not binding: activity {r['activity']}, rhs {r['rhs']}, dual {r['dual']}"
    assert (r["sheet"], int(r["row"]), r["column"]) == (sheet, row, column)
    assert abs(r["slack"]) <= 1e-6
    if rhs is not None:
        assert r["rhs"] == pytest.approx(rhs, rel=1e-9, abs=1e-9)
    if shadow_price is not None:
        assert r["shadow_price"] == pytest.approx(shadow_price, rel=1e-9, abs=1e-6)
    return r


def signed_terms(res: PlanResult) -> float:
    """Σ of the reported terms over ``landopt.model.objective.TERMS`` (each already signed: removal +, emission −)."""
    from landopt.model.objective import TERMS

    return float(sum(float(res.terms.get(name, 0.0)) for name in TERMS))


__all__ = ["K", "tiny_tables", "write_xlsx", "run_tables", "assert_backends_agree", "solve_tables", "area", "con", "assert_binding", "signed_terms", "np"]


# -- the fast inner loop --------------------------------------------------------------------------------------
#: modules whose tests start processes, write full plan workbooks or run sweeps
SLOW_MODULES = {"test_sweep", "test_sweep_warm", "test_sweep_signals", "test_robustness", "test_cli", "test_tibet",
                "test_tibet_protection", "test_deliverable", "test_maps_pdf", "test_workflow", "test_template",
                "test_synthetic", "test_alternatives", "test_model_contract"}
#: fixtures that solve the shipped Tibet workbook
SLOW_FIXTURES = {"tibet", "plan", "tibet_lm"}


def pytest_collection_modifyitems(config, items):
    """Mark as ``slow`` every test that solves the shipped workbook or starts processes: ``pytest -m "not slow"``
    is the inner loop (every hand-computed instance, every family, both backends) in well under a minute."""
    for item in items:
        if item.module.__name__ in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) \
                or "WORKBOOK" in getattr(item.function, "__code__", type("", (), {"co_names": ()})).co_names:
            item.add_marker(pytest.mark.slow)
