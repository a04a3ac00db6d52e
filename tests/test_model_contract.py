"""docs/model.md is the contract of the LP: an independent rebuild from the inputs and the docs alone
(tests/contract_rebuild.py, no landopt import) must give landopt's LP exactly.

For every instance: the same columns (labels, order), the same cost vector and constant (1e-12), the same rows
(labels, order, senses, right-hand sides), the same matrix, and the same optimum (1e-9 relative) when the rebuilt
LP is solved with highspy.  A failure means the code and docs/model.md disagree: fix whichever is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pytest

import landopt
from conftest import tiny_tables
from contract_rebuild import LP, rebuild, solve
from contract_rebuild import ident
from contract_rebuild import sheet as rebuild_sheet
from landopt.backends import solve as landopt_solve
from landopt.model.build import LandModel, build
from landopt.reader import from_tables, read_workbook
from landopt.scenarios import apply_scenario
from landopt.validate import load_spec
from test_carbon_accounting import afforestation, grass_to_urban, marsh_restoration, pv_siting, reservoir, restoration
from test_economic_output import tables as economic_tables
from test_landcover_families import sandy_tables, stock_tables
from test_construction_energy import demand_2030, hydro_tables, pv_tables, urban_tables
from test_measures import budget_instance, grassland_recovery, livestock_layout
from test_model_invariants import three_region_tables
from test_protection_families import cap_tables, grass_tables, offset_tables

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"


def assert_same_lp(mine: LP, lm: LandModel) -> None:
    assert mine.accounting == lm.terms.accounting
    assert mine.columns == list(lm.column_labels()), "columns (labels or order) differ"
    np.testing.assert_allclose(mine.cost, lm.cost(), rtol=1e-12, atol=1e-12 * max(1.0, np.abs(lm.cost()).max(initial=0)))
    assert mine.constant == pytest.approx(lm.terms.constant(), rel=1e-12, abs=1e-12)
    rt = lm.row_table()
    labels = list(rt["label"]) if len(rt) else []
    assert [r[0] for r in mine.rows] == labels, ("rows differ", set(r[0] for r in mine.rows) ^ set(labels))
    assert [r[1] for r in mine.rows] == (list(rt["sense"]) if len(rt) else [])
    np.testing.assert_allclose([r[2] for r in mine.rows], rt["rhs"].to_numpy(dtype=float) if len(rt) else [],
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(mine.matrix(), lm.matrix().toarray(), rtol=1e-12, atol=1e-12)


def check(tables: dict[str, pd.DataFrame], spec) -> tuple[float, float]:
    """Compare the rebuilt LP with build(spec) and both optima; returns (rebuilt, landopt) optimum."""
    mine, lm = rebuild(tables), build(spec)
    assert_same_lp(mine, lm)
    status, value = solve(mine)
    out = landopt_solve(lm, backend="highs")
    assert status == "Optimal" and out.optimal
    assert value == pytest.approx(out.objective, rel=1e-9, abs=1e-9)
    return value, out.objective


def afforestation_soil_40() -> dict[str, pd.DataFrame]:
    t = afforestation(settings={"soil_transition_years": "40"})
    cs = t["carbon_stocks"]
    cs.loc[cs["land_use"] == "forest", "soil_transition_years"] = None
    return t


SMALL: dict[str, Callable[[], dict[str, pd.DataFrame]]] = {
    "flux default (conftest)": tiny_tables,
    "grassland to urban (§11.1)": grass_to_urban,
    "afforestation cohorts (§11.2)": afforestation,
    "afforestation, settings soil 40 years": afforestation_soil_40,
    "marsh restoration (remaining flux from J = max(N, T_s))": marsh_restoration,
    "marsh restoration, flux not the soil's (J = N)": lambda: marsh_restoration(includes_soil=None),
    "PV siting, grassland keeps its soil (soil_change_pct 0)": lambda: pv_siting(0.0, None),
    "PV siting, half the grassland soil difference": lambda: pv_siting(50.0, None),
    "grassland improved without clearing (biomass_loss_pct 0)": lambda: restoration(0.0),
    "grassland improved, half the old biomass cleared (biomass_loss_pct 50)": lambda: restoration(50.0),
    "reservoir, flooded-land methane 100 kg CH4/ha/yr": lambda: reservoir(100.0),
    "grassland recovery, herd 60": lambda: grassland_recovery(60),
    "grassland recovery, herd 75": lambda: grassland_recovery(75),
    "livestock layout 120 SU": lambda: livestock_layout(120),
    "budget 10,000 yuan": lambda: budget_instance(10_000),
    "占补平衡 per region": lambda: offset_tables("region"),
    "占补平衡 province": lambda: _two_regions(offset_tables("province")),
    "red line": lambda: grass_tables(protected_land=[{"region": "A", "land_use": "unused", "redline_ha": 49.0},
                                                     {"region": "A", "land_use": "grass", "basic_grassland_ha": 30.0}],
                                     transitions={"from_land_use": ["unused", "grass", "grass"],
                                                  "to_land_use": ["urban", "urban", "forest"],
                                                  "allowed": ["yes"] * 3, "max_pct_per_period": [None] * 3},
                                     targets=[{"region": "A", "year": 2030, "urban_population": 1200,
                                               "urban_land_per_capita_m2": 100}]),
    "urban sites (城镇开发边界内现状用地)": lambda: grass_tables(
        protected_land=[{"region": "A", "land_use": "unused", "in_urban_boundary_ha": 0.5},
                        {"region": "A", "land_use": "grass", "in_urban_boundary_ha": 5.0}],
        transitions={"from_land_use": ["unused", "grass"], "to_land_use": ["urban", "urban"],
                     "allowed": ["yes"] * 2, "max_pct_per_period": [None] * 2},
        targets=[{"region": "A", "year": 2030, "urban_population": 1200, "urban_land_per_capita_m2": 100}]),
    "construction cap": lambda: cap_tables(30.0),
    "construction cap, accounted to 2045": lambda: _end_year(cap_tables(30.0), 2045),
    "grassland recovery with herd methane, accounted to 2030": lambda: _end_year(_herd_ch4(grassland_recovery(60)), 2030),
    "economic output 2,000 yuan/yr": lambda: economic_tables(2000.0),
    "desertification control 6 ha": lambda: sandy_tables(6.0),
    "forest growing stock 2,300 m³": lambda: stock_tables(2300.0),
    "redevelopment under the urban boundary": lambda: urban_tables(targets=[demand_2030(urban_boundary_ha=14.0)]),
    "per-capita caps and new land per resident": lambda: urban_tables("2025,2030", [
        {"region": "A", "year": 2025, "urban_population": 1500, "urban_land_per_capita_m2": 100,
         "urban_land_per_capita_max_m2": 110, "redevelopment_potential_ha": 8.0},
        demand_2030(new_urban_land_per_capita_m2=60.0, urban_land_per_capita_max_m2=110)]),
    "energy bases and province PV": pv_tables,
    "hydro footprint with basic grassland": hydro_tables,
    "three regions, every family": lambda: three_region_tables(protection=True),
    "three regions, flux all years, families off": lambda: three_region_tables(
        protection=True, families_off="transitions,budget,farmland", no_net_loss="no"),
}


def _end_year(t: dict[str, pd.DataFrame], end: int) -> dict[str, pd.DataFrame]:
    t["settings"] = pd.concat([t["settings"], pd.DataFrame({"key": ["accounting_end_year"], "value": [str(end)]})],
                              ignore_index=True)
    return t


def _herd_ch4(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    t["grazing"]["ch4_kg_per_su_yr"] = 10.0
    return t


def _two_regions(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    t["regions"] = pd.DataFrame({"region": ["A", "B"], "total_area_ha": [100.0, 100.0]})
    t["baseline"] = pd.DataFrame({"region": ["A"] * 4 + ["B"] * 4, "land_use": ["crop", "forest", "urban", "unused"] * 2,
                                  "area_ha": [40.0, 20.0, 10.0, 30.0, 40.0, 20.0, 10.0, 30.0]})
    return t


@pytest.mark.parametrize("name", list(SMALL))
def test_small_instances_match_the_contract(name):
    t = SMALL[name]()
    check(t, load_spec(from_tables(t)))


def test_worked_examples_reach_the_optima_printed_in_the_docs():
    """docs/model.md §11: −205K, 180K, the §11.2 soil variant (standing 30K + 1.5 t C/ha/yr per planted ha) and −76K
    (flux)."""
    K = 44 / 12
    assert solve(rebuild(grass_to_urban()))[1] == pytest.approx(-205 * K, rel=1e-12)
    assert solve(rebuild(afforestation()))[1] == pytest.approx(180 * K, rel=1e-12)
    assert solve(rebuild(afforestation_soil_40()))[1] == pytest.approx(30 * K + (10 * 1.5 * 7.5 + 20 * 1.5 * 2.5) * K,
                                                                       rel=1e-12)
    assert solve(rebuild(tiny_tables()))[1] == pytest.approx(-76 * K, rel=1e-12)


def _workbook_tables(ids: bool = True) -> dict[str, pd.DataFrame]:
    """The shipped workbook read with pandas only; ``ids``: bilingual sheet names and headers ('基期现状面积 baseline',
    '面积 area_ha (公顷)') turned into their ids by docs/inputs.md's rule (contract_rebuild.ident)."""
    t = pd.read_excel(WORKBOOK, sheet_name=None, engine="openpyxl")
    return {ident(k): v.rename(columns=ident) for k, v in t.items()} if ids else t


def test_shipped_workbook_matches_the_contract():
    mine, theirs = check(_workbook_tables(ids=False), landopt.read(WORKBOOK))  # the rebuild reads bilingual names
    assert mine > 0


def _scenarios() -> list[str]:
    s = rebuild_sheet(pd.read_excel(WORKBOOK, sheet_name=None, engine="openpyxl"), "scenarios")  # bilingual or plain names
    return list(dict.fromkeys(s["scenario"].dropna()))


@pytest.mark.parametrize("scenario", _scenarios())
def test_shipped_scenarios_match_the_contract(scenario):
    """Every shipped scenario (its overrides applied to the cells by landopt's reader, §2); the infeasible one must
    be infeasible for the rebuilt LP too."""
    raw = apply_scenario(read_workbook(WORKBOOK), scenario)
    spec = landopt.read(WORKBOOK, scenario=scenario)
    if scenario == "grazing_conflict":  # infeasible on purpose (docs/scenarios.md)
        assert_same_lp(rebuild(raw.tables), build(spec))
        assert solve(rebuild(raw.tables))[0] == "Infeasible"
        return
    check(raw.tables, spec)


@pytest.mark.parametrize("change", [
    {"carbon_accounting": "flux"},
    {"carbon_accounting": "flux", "objective_years": "all", "include_avoided_emissions": "yes"},
    {"families_off": "transitions,farmland", "no_net_loss": "no"},
    {"soil_transition_years": "35", "ch4_gwp": "27", "farmland_balance": "province"},  # the shipped GWP is 28
    {"families_off": "grazing_balance,livestock_layout"},
    {"accounting_end_year": "2060"},
], ids=lambda c: ";".join(f"{k}={v}" for k, v in c.items()))
def test_shipped_workbook_variants_match_the_contract(change):
    t = _workbook_tables()
    s = t["settings"]
    for k, v in change.items():
        if (s["key"] == k).any():
            s.loc[s["key"] == k, "value"] = v
        else:
            t["settings"] = s = pd.concat([s, pd.DataFrame({"key": [k], "value": [v]})], ignore_index=True)
    check(t, load_spec(from_tables({k: v for k, v in t.items() if k not in ("sources", "scenarios", "uncertainty")})))
