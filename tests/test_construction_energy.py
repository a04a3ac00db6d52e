"""Construction and energy measures (issue #13): redevelopment of inefficient land 存量建设用地盘活, the per-capita
urban land caps 人均城镇建设用地, PV per named energy base 清洁能源基地 and the land footprint of hydro projects —
one hand-computed instance each, where it binds, with the optimum and the shadow price worked out.

All in stock-change accounting with every stock reached at once (maturity 0, no soil): the objective is the biomass
gained minus the biomass lost, in t C × 44/12 = K t CO2e.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import K, assert_binding, con, run_tables, tiny_tables
from landopt.reader import from_tables
from landopt.validate import check_all

ROOT = Path(__file__).resolve().parents[1]
STOCKS = ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
          "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr"]


def stocks(*rows: tuple[str, str | None, float]) -> pd.DataFrame:
    """Biomass only, reached at once (maturity 0)."""
    return pd.DataFrame([[lu, reg, b, 0.0, 0.0, 0, None, 0.0, 0.0] for lu, reg, b in rows], columns=STOCKS)


def tr(*pairs: tuple[str, str], cost: dict | None = None) -> dict:
    cost = cost or {}
    return {"from_land_use": [a for a, _ in pairs], "to_land_use": [b for _, b in pairs],
            "allowed": ["yes"] * len(pairs), "max_pct_per_period": [None] * len(pairs),
            "cost_yuan_per_ha": [cost.get(p) for p in pairs]}


# -- redevelopment and the caps on new urban land ----------------------------------------------------------------

def urban_tables(years: str = "2030", targets: list[dict] | None = None, budget: float = 10_000.0) -> dict:
    """Region A, 1,000 ha: grassland 500 (biomass 4 t C/ha, lost at once when built on), towns 10, unused 490.
    Unused land may be afforested for 1,000 yuan/ha (forest biomass 5 t C/ha: 0.005 t C per yuan, the budget's
    price λ).  Urban demand 2,000 residents × 100 m² = 20 ha by 2030: new land (grass→urban) costs 4 t C/ha;
    redevelopment 1,000 yuan/ha, i.e. 5 t C/ha of forest forgone — so new land comes first, redevelopment only
    where a cap stops new land."""
    return tiny_tables(
        settings={"milestone_years": years, "carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [1000.0]},
        land_uses={"land_use": ["grass", "urban", "unused", "forest"],
                   "role": ["grassland", "urban", "unused", "forest"]},
        baseline={"region": ["A"] * 4, "land_use": ["grass", "urban", "unused", "forest"],
                  "area_ha": [500.0, 10.0, 490.0, 0.0]},
        carbon_stocks=stocks(("grass", None, 4.0), ("forest", None, 5.0)),
        transitions=tr(("grass", "urban"), ("unused", "forest"), cost={("unused", "forest"): 1000.0}),
        targets=targets,
        province_targets=[{"year": int(y), "budget_yuan": budget} for y in years.split(",")],
    )


def demand_2030(**extra) -> dict:
    return {"region": "A", "year": 2030, "urban_population": 2000, "urban_land_per_capita_m2": 100,
            "redevelopment_potential_ha": 8.0, "redevelopment_cost_yuan_per_ha": 1000.0, **extra}


@pytest.mark.parametrize("extra, label, column", [
    ({"urban_boundary_ha": 14.0}, "urban_boundary[A,2030]", "urban_boundary_ha"),
    ({"urban_land_per_capita_max_m2": 70.0}, "urban_per_capita_cap[A,2030]", "urban_land_per_capita_max_m2"),
    ({"construction_max_ha": 14.0}, "construction_cap[A,2030]", "construction_max_ha"),
])
def test_a_cap_on_urban_land_binds_at_the_price_of_redevelopment(extra, label, column):
    """Each cap holds urban land at 14 ha (the per-capita cap: 2,000 × 70 m²): 4 ha new (−16 t C), the other 6 ha
    of demand redeveloped (6,000 yuan), 4,000 yuan left plant 4 ha of forest (+20 t C): optimum +4 t C.
    Shadow price of the cap: one more hectare of new land saves one of redevelopment: −4 + 1,000 × 0.005 = +1 t C/ha.
    urban_demand: one more hectare is redeveloped: −5 t C; budget: λ = 0.005 t C/yuan."""
    lm, _, res = run_tables(urban_tables(targets=[demand_2030(**extra)]))
    assert res.objective == pytest.approx(4 * K, rel=1e-12)
    assert res.conversions["area_ha"][("A", "grass", "urban", 2030)] == pytest.approx(4.0)
    x = dict(zip(lm.column_labels(), res.reduced_costs["value"]))
    assert x["redevelop[A,2030]"] == pytest.approx(6.0)
    assert_binding(res, label, "targets", 2, column, shadow_price=1 * K)
    assert con(res, "urban_demand[A,2030]")["shadow_price"] == pytest.approx(-5 * K, rel=1e-9)
    assert con(res, "budget[2030]")["shadow_price"] == pytest.approx(0.005 * K, rel=1e-9)
    assert not bool(con(res, "redevelopment_limit[A,2030]")["binding"])  # 6 of 8 ha used
    costs = res.costs["cost_yuan"]
    assert costs[("A", 2030, "redevelopment of inefficient construction land")] == pytest.approx(6000.0)


def test_cheap_redevelopment_is_chosen_up_to_the_inefficient_stock():
    """At 500 yuan/ha redevelopment forgoes 2.5 t C/ha of forest, less than the 4 t C a new hectare costs: the
    7 ha of inefficient land are all redeveloped (redevelopment_limit binds), 3 ha are new (−12 t C); 6,500 yuan
    plant 6.5 ha of forest (+32.5): optimum +20.5 t C.  Shadow price of the limit: +4 − 2.5 = +1.5 t C/ha."""
    t = urban_tables(targets=[demand_2030(redevelopment_potential_ha=7.0, redevelopment_cost_yuan_per_ha=500.0)])
    _, _, res = run_tables(t)
    assert res.objective == pytest.approx(20.5 * K, rel=1e-12)
    assert res.conversions["area_ha"][("A", "grass", "urban", 2030)] == pytest.approx(3.0)
    assert_binding(res, "redevelopment_limit[A,2030]", "targets", 2, "redevelopment_potential_ha",
                   shadow_price=1.5 * K, rhs=7.0)
    # with the family off there is no redevelopment: all 10 ha new, 10 ha of forest: 50 − 40 = +10 t C
    t["settings"] = pd.concat([t["settings"], pd.DataFrame({"key": ["families_off"], "value": ["redevelopment"]})])
    assert run_tables(t)[2].objective == pytest.approx(10 * K, rel=1e-12)


def test_new_urban_land_per_new_resident_binds_in_the_second_period():
    """2020→2025→2030; 1,500 then 2,000 residents at 100 m² (15, then 20 ha).  2025: the per-capita cap of 110 m²
    lets towns grow to 16.5 ha (6.5 ha new, −26 t C; building ahead is cheaper than redeveloping later), 10 ha of
    forest (+50).  2030: new land at most 500 new residents × 60 m² = 3 ha (−12), so 0.5 ha is redeveloped (500
    yuan) and 9.5 ha of forest planted (+47.5): optimum 59.5 t C.  urban_new_land[A,2030] and
    urban_per_capita_cap[A,2025] both price one more hectare of new land at −4 + 5 = +1 t C/ha."""
    rows = [{"region": "A", "year": 2025, "urban_population": 1500, "urban_land_per_capita_m2": 100,
             "urban_land_per_capita_max_m2": 110, "redevelopment_potential_ha": 8.0,
             "redevelopment_cost_yuan_per_ha": 1000.0},
            demand_2030(new_urban_land_per_capita_m2=60.0, urban_land_per_capita_max_m2=110)]
    _, _, res = run_tables(urban_tables("2025,2030", rows))
    assert res.objective == pytest.approx(59.5 * K, rel=1e-12)
    assert res.conversions["area_ha"][("A", "grass", "urban", 2025)] == pytest.approx(6.5)
    assert_binding(res, "urban_new_land[A,2030]", "targets", 3, "new_urban_land_per_capita_m2",
                   shadow_price=1 * K, rhs=3.0)
    assert_binding(res, "urban_per_capita_cap[A,2025]", "targets", 2, "urban_land_per_capita_max_m2",
                   shadow_price=1 * K, rhs=16.5)
    assert "urban_new_land[A,2025]" not in set(res.constraints["label"])  # no row for the first milestone


# -- PV per named energy base ---------------------------------------------------------------------------------------

def pv_tables(base_mw: float = 20.0, total_mw: float = 50.0) -> dict:
    """Regions A and B (100 ha each); PV 0.5 MW/ha on unused land (no carbon) or grassland (biomass 5 t C/ha in A,
    2 in B).  A has 10 ha unused, B 50."""
    return tiny_tables(
        settings={"carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A", "B"], "total_area_ha": [100.0, 100.0]},
        land_uses={"land_use": ["grass", "unused", "pv"], "role": ["grassland", "unused", "pv"]},
        baseline={"region": ["A"] * 3 + ["B"] * 3, "land_use": ["grass", "unused", "pv"] * 2,
                  "area_ha": [90.0, 10.0, 0.0, 50.0, 50.0, 0.0]},
        carbon_stocks=stocks(("grass", None, 5.0), ("grass", "B", 2.0)),
        transitions=tr(("grass", "pv"), ("unused", "pv")),
        targets=[],
        energy=[{"region": r, "year": 2030, "pv_mw_per_ha": 0.5} for r in ("A", "B")],
        energy_bases=[{"base": "A_PV", "name_zh": "甲光伏基地", "region": "A", "year": 2030, "min_mw": base_mw}],
        province_targets=[{"year": 2030, "pv_capacity_min_mw": total_mw}],
    )


def test_pv_goes_to_the_named_base_then_where_it_costs_least():
    """The base needs 20 MW = 40 ha in A: 10 unused + 30 grassland (−150 t C).  The rest of the 50 MW (60 ha) goes
    to B: 50 unused + 10 grassland (−20): optimum −170 t C.  energy_base[A,2030]: one more MW in A is 2 ha of A's
    grassland instead of B's: −2 × (5 − 2) = −6 t C/MW; pv_total[2030]: one more MW is 2 ha of B's grassland: −4."""
    _, _, res = run_tables(pv_tables())
    assert res.objective == pytest.approx(-170 * K, rel=1e-12)
    pv = res.allocation["area_ha"].xs(("pv", 2030), level=("land_use", "year"))
    assert pv.to_dict() == pytest.approx({"A": 40.0, "B": 60.0})
    assert_binding(res, "energy_base[A,2030]", "energy_bases", 2, "min_mw", shadow_price=-6 * K, rhs=20.0)
    assert_binding(res, "pv_total[2030]", "province_targets", 2, "pv_capacity_min_mw", shadow_price=-4 * K, rhs=50.0)
    # without the base the model puts all 100 ha where they cost least: B's 50 unused, A's 10 unused, 40 of B's
    # grassland: −80 t C
    assert run_tables(pv_tables(base_mw=0.0))[2].objective == pytest.approx(-80 * K, rel=1e-12)


def test_a_base_named_in_two_regions_keeps_a_minimum_per_region():
    """docs/model.md §4.3, m_{b,r,t}: base X has a 2025 row in A (10 MW) and a 2030 row in B (15 MW).  A's 2030
    minimum is A's own 2025 row carried forward (10), not X's latest row (B's 15); B has no minimum before 2030."""
    t = pv_tables()
    t["settings"].loc[t["settings"]["key"] == "milestone_years", "value"] = "2025,2030"
    t["energy"] = pd.DataFrame([{"region": r, "year": y, "pv_mw_per_ha": 0.5} for r in ("A", "B") for y in (2025, 2030)])
    t["energy_bases"] = pd.DataFrame([{"base": "X", "region": "A", "year": 2025, "min_mw": 10.0},
                                      {"base": "X", "region": "B", "year": 2030, "min_mw": 15.0}])
    lm, _, res = run_tables(t)
    rows = lm.row_table()
    base = rows[rows["constraint"] == "energy_base"].set_index("label")["rhs"]
    assert base.to_dict() == {"energy_base[A,2025]": 10.0, "energy_base[A,2030]": 10.0, "energy_base[B,2030]": 15.0}
    assert res.optimal


# -- hydro land footprint -------------------------------------------------------------------------------------------

def hydro_tables(basic_grassland: float | None = 75.0) -> dict:
    """Region A: grassland 80 ha (biomass 4 t C/ha), forest 20 (10 t C/ha), unused 20 (none).  A project in service
    in 2028 (period ending 2030) floods 30 ha and takes 5 ha for its dam and roads; forest may be flooded but not
    built on."""
    lus = ["grass", "forest", "unused", "water", "dam"]
    return tiny_tables(
        settings={"carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [120.0]},
        land_uses={"land_use": lus, "role": ["grassland", "forest", "unused", "water", "other_construction"]},
        baseline={"region": ["A"] * 5, "land_use": lus, "area_ha": [80.0, 20.0, 20.0, 0.0, 0.0]},
        carbon_stocks=stocks(("grass", None, 4.0), ("forest", None, 10.0)),
        transitions=tr(("grass", "water"), ("forest", "water"), ("unused", "water"), ("grass", "dam"), ("unused", "dam")),
        targets=[],
        protected_land=None if basic_grassland is None else
        [{"region": "A", "land_use": "grass", "basic_grassland_ha": basic_grassland}],
        hydro_projects=[{"project": "P1", "name_zh": "一级水电站", "region": "A", "year_in_service": 2028,
                         "inundated_ha": 30.0, "construction_ha": 5.0}],
    )


def test_hydro_land_comes_from_where_protection_allows():
    """Without basic grassland: 35 ha from the 20 unused and 15 grassland: −60 t C.  With 75 ha of basic
    grassland only 5 ha of grassland may go: unused 20 + grass 5 + forest 10 (flooded): −20 − 100 = −120 t C.
    hydro_inundation: one more flooded ha is forest: −10 t C; hydro_construction: one more dam ha takes unused land
    from the reservoir, which floods forest instead: −10; basic_grassland: one more ha of grassland released
    replaces a flooded forest ha: +10 − 4 = +6 t C."""
    _, _, free = run_tables(hydro_tables(None))
    assert free.objective == pytest.approx(-60 * K, rel=1e-12)
    _, _, res = run_tables(hydro_tables())
    assert res.objective == pytest.approx(-120 * K, rel=1e-12)
    c = res.conversions["area_ha"]
    assert c[("A", "forest", "water", 2030)] == pytest.approx(10.0)
    assert sum(v for (r, a, b, y), v in c.items() if b == "water") == pytest.approx(30.0)
    assert_binding(res, "hydro_inundation[A,2030]", "hydro_projects", 2, "inundated_ha", shadow_price=-10 * K, rhs=30.0)
    assert_binding(res, "hydro_construction[A,2030]", "hydro_projects", 2, "construction_ha", shadow_price=-10 * K,
                   rhs=5.0)
    assert con(res, "basic_grassland[A,grass,2030]")["shadow_price"] == pytest.approx(6 * K, rel=1e-9)


def test_a_reservoir_larger_than_the_land_is_the_relaxation_the_diagnosis_names():
    """The project floods 150 ha of region A's 120 (dam 5 ha): 35 ha can never be flooded, and flooding the other
    115 would take all 80 ha of grassland, 75 of them basic grassland.  Relative weights (relaxation / requirement):
    lowering the inundation by 110 ha costs 110/150 = 0.73; lowering it by 35 and freeing the 75 ha of basic grassland
    costs 35/150 + 75/75 = 1.23.  So the diagnosis names the reservoir alone, 110 ha too large (an equality row is
    relaxed either way; before, equalities were hard and the diagnosis blamed the accounting identities)."""
    from landopt.api import spec_from_raw
    from landopt.diagnose import diagnose

    t = hydro_tables()
    t["hydro_projects"].loc[0, "inundated_ha"] = 150.0
    d = diagnose(spec_from_raw(from_tables(t)))
    rel = d.relaxations
    assert list(rel["label"]) == ["hydro_inundation[A,2030]"]
    assert float(rel["relaxation"].iloc[0]) == pytest.approx(110.0, abs=1e-6)
    assert float(rel["direction"].iloc[0]) == 1.0
    assert rel["text"].iloc[0] == ("The A 2030 reservoir inundation of hydro projects of 150 ha cannot be met: it is "
                                   "110 ha more than the land can provide (sheet 'hydro_projects', row 2, column "
                                   "'水库淹没面积 inundated_ha').")
    assert d.message.startswith("No plan meets every requirement. The smallest relaxation that restores a plan changes 1 ")


# -- input checks -----------------------------------------------------------------------------------------------

def messages(tables: dict) -> tuple[list[str], list[str]]:
    _, errors, warnings = check_all(from_tables(tables))
    return [str(p) for p in errors], [str(p) for p in warnings]


def test_hydro_needs_somewhere_to_put_its_land():
    t = hydro_tables(None)
    t["transitions"] = pd.DataFrame(tr(("grass", "dam")))
    errors, _ = messages(t)
    assert len(errors) == 1 and "hydro_projects" in errors[0] and "row 2" in errors[0] and "inundated_ha" in errors[0]
    assert ("no allowed conversion into a land use with role 'water' on sheet 'transitions': allow at least one "
            "(e.g. grassland → water) so that the model can place the project") in errors[0]


def test_hydro_year_and_energy_base_year_are_checked():
    t = hydro_tables(None)
    t["hydro_projects"].loc[0, "year_in_service"] = 2020
    t["energy_bases"] = pd.DataFrame([{"base": "X", "region": "A", "year": 2027, "min_mw": 1.0}])
    errors, _ = messages(t)
    assert any("year_in_service" in e and "a year after the baseline year 2020 (a project in service by then is part "
               "of the baseline areas; remove its row)" in e for e in errors)
    assert any("energy_bases" in e and "not a milestone year; expected one of: 2030" in e for e in errors)
    t = hydro_tables(None)
    t["hydro_projects"].loc[0, "year_in_service"] = 2031
    errors, warnings = messages(t)
    assert not errors and any("after the target year 2030: the project's land is not part of this plan" in w
                              for w in warnings)


def test_a_per_capita_figure_needs_the_population():
    t = urban_tables(targets=[{"region": "A", "year": 2030, "urban_land_per_capita_max_m2": 100}])
    errors, _ = messages(t)
    assert len(errors) == 1 and "urban_land_per_capita_max_m2" in errors[0]
    assert "a per-capita figure needs the urban population of the same row (column urban_population)" in errors[0]
