"""Sandy land and desertification control 防沙治沙, forest growing stock 森林蓄积量 (issue #13): hand-computed
instances (optimum and shadow price worked out in each docstring), input checks, and the shipped workbook.

Every instance is solved on both backends (conftest.run_tables).
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import K, assert_binding, con, run_tables, tiny_tables
from landopt.reader import from_tables
from landopt.validate import check_all

STOCKS = ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
          "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr"]


def conv(res, a: str, b: str) -> float:
    return float(res.conversions["area_ha"].get(("A", a, b, 2030), 0.0))


def problems(tables: dict) -> list[str]:
    _, errors, _warnings = check_all(from_tables(tables))
    return [str(p) for p in errors]


# -- desertification control ----------------------------------------------------------------------------------------

def sandy_tables(target: float | None, budget: float = 10_000.0) -> dict:
    """Stock-change accounting, 2020→2030, one period (conversions at τ = 2025, 5 years to 2030).

    Baseline 100 ha: sandy 50, unused 30, forest 10, grass 10.  Stocks (t C/ha; soil over 10 years, biomass at once):
    sandy and unused 0 biomass, 10 soil; grass 2 biomass, 30 soil; forest 40 biomass, 10 soil.
    * sandy→grass and unused→grass: 2 + (30 − 10) · 5/10 = 12 t C/ha by 2030, cost 500 yuan/ha (0.024 t C/yuan);
    * unused→forest: 40 t C/ha, cost 1,000 yuan/ha (0.040 t C/yuan).
    The budget (10,000 yuan) goes to forest first; the target forces sandy→grass.
    """
    row: dict = {"region": "A", "year": 2030}
    if target is not None:
        row["sandy_restoration_min_ha"] = target
    return tiny_tables(
        settings={"carbon_accounting": "stock_change", "no_net_loss": "no"},
        land_uses={"land_use": ["sandy", "unused", "forest", "grass"], "role": ["sandy", "unused", "forest", "grassland"]},
        baseline={"region": ["A"] * 4, "land_use": ["sandy", "unused", "forest", "grass"],
                  "area_ha": [50.0, 30.0, 10.0, 10.0]},
        carbon_stocks=pd.DataFrame([["sandy", None, 0.0, 0.0, 10.0, 0, 10, 0.0, 0.0],
                                    ["unused", None, 0.0, 0.0, 10.0, 0, 10, 0.0, 0.0],
                                    ["forest", None, 40.0, 0.0, 10.0, 0, 10, 0.0, 0.0],
                                    ["grass", None, 2.0, 0.0, 30.0, 0, 10, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": ["sandy", "unused", "unused"], "to_land_use": ["grass", "grass", "forest"],
                     "allowed": ["yes"] * 3, "max_pct_per_period": [None] * 3,
                     "cost_yuan_per_ha": [500.0, 500.0, 1000.0]},
        targets=[row],
        province_targets=[{"year": 2030, "budget_yuan": budget}])


def test_desertification_target_binds_and_prices_the_budget_it_diverts():
    """Without a target: 10 ha unused→forest (the whole budget) = 400 t C.
    With 6 ha of sandy land to restore: 6 × 500 = 3,000 yuan go to sandy→grass, 7 ha of forest remain:
    7 × 40 + 6 × 12 = 352 t C.  Unused→grass (same carbon, same cost) does not count towards the target.
    Shadow price of desertification_control[A,2030]: one more ha restored is +12 t C and 500 yuan less for forest
    (−500 × 0.04 = −20 t C): −8 t C = −8 K t CO2e per ha.  The budget's shadow price stays 0.04 K t CO2e/yuan."""
    _, _, free = run_tables(sandy_tables(None))
    assert free.objective == pytest.approx(400.0 * K)
    assert conv(free, "sandy", "grass") == pytest.approx(0.0)
    _, _, res = run_tables(sandy_tables(6.0))
    assert res.objective == pytest.approx(352.0 * K)
    assert conv(res, "sandy", "grass") == pytest.approx(6.0)
    assert conv(res, "unused", "grass") == pytest.approx(0.0, abs=1e-9)
    assert conv(res, "unused", "forest") == pytest.approx(7.0)
    assert_binding(res, "desertification_control[A,2030]", "targets", 2, "sandy_restoration_min_ha",
                   shadow_price=-8.0 * K, rhs=6.0)
    assert con(res, "budget[2030]")["shadow_price"] == pytest.approx(0.04 * K)
    assert con(res, "desertification_control[A,2030]")["family"] == "desertification_control"


def test_desertification_target_above_what_the_budget_allows_is_infeasible():
    """21 ha × 500 yuan = 10,500 yuan > the 10,000-yuan budget: no plan."""
    _, out, _ = run_tables(sandy_tables(21.0))
    assert out.status == "infeasible"


# -- forest growing stock -------------------------------------------------------------------------------------------

def stock_tables(target: float | None) -> dict:
    """Stock-change accounting, 2020→2030 (conversions at τ = 2025).  Baseline 100 ha: forest 20, unused 30, grass 50.

    Carbon: unused→grass 2 + (30 − 10) · 5/10 = 12 t C/ha; unused→forest 40 t C/ha biomass over 50 years
    (40 · 5/50 = 4 t C/ha by 2030), soil equal: 4 t C/ha.  Growing stock: V0 = 2,000 m³ on 20 ha (s = 100 m³/ha),
    standing growth g = 1 m³/ha/yr, young forest h = 4 m³/ha/yr.  d(2030) = 100 + 1 · 10 = 110 m³/ha;
    V(2030) = 110 · (20 + y) + (4 · (2030 − 2025) − 110) · y = 2,200 + 20 y (y = new forest, ha).
    """
    pt = [{"year": 2030, "forest_stock_min_m3": target}] if target is not None else None
    return tiny_tables(
        settings={"carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [100.0], "forest_stock_m3": [2000.0],
                 "forest_growth_m3_per_ha_yr": [1.0], "young_forest_growth_m3_per_ha_yr": [4.0]},
        land_uses={"land_use": ["forest", "unused", "grass"], "role": ["forest", "unused", "grassland"]},
        baseline={"region": ["A"] * 3, "land_use": ["forest", "unused", "grass"], "area_ha": [20.0, 30.0, 50.0]},
        carbon_stocks=pd.DataFrame([["forest", None, 40.0, 0.0, 10.0, 50, 10, 0.0, 0.0],
                                    ["unused", None, 0.0, 0.0, 10.0, 0, 10, 0.0, 0.0],
                                    ["grass", None, 2.0, 0.0, 30.0, 0, 10, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": ["unused", "unused"], "to_land_use": ["grass", "forest"],
                     "allowed": ["yes"] * 2, "max_pct_per_period": [None] * 2},
        targets=[{"region": "A", "year": 2030}],
        province_targets=pt)


def test_forest_stock_target_binds_and_is_met_by_new_forest():
    """Without a target all 30 ha of unused land become grass: 360 t C; V(2030) = 2,200 m³ (standing growth only).
    Target 2,300 m³: 2,200 + 20 y ≥ 2,300 → y = 5 ha of forest, 25 ha of grass: 25 · 12 + 5 · 4 = 320 t C.
    Shadow price of forest_stock[2030]: one more m³ needs 1/20 ha of forest instead of grass: (4 − 12)/20 =
    −0.4 t C = −0.4 K t CO2e per m³."""
    _, _, free = run_tables(stock_tables(None))
    assert free.objective == pytest.approx(360.0 * K)
    v = free.forest_stock
    assert v.loc[("A", 2020), "stock_m3"] == pytest.approx(2000.0)
    assert v.loc[("A", 2030), "stock_m3"] == pytest.approx(2200.0)
    _, _, res = run_tables(stock_tables(2300.0))
    assert res.objective == pytest.approx(320.0 * K)
    assert conv(res, "unused", "forest") == pytest.approx(5.0)
    assert_binding(res, "forest_stock[2030]", "province_targets", 2, "forest_stock_min_m3",
                   shadow_price=-0.4 * K, rhs=2300.0)
    t = res.forest_stock
    assert t.loc[("A", 2030), "stock_m3"] == pytest.approx(2300.0)
    assert t.loc[("A", 2030), "stock_yi_m3"] == pytest.approx(2300.0 / 1e8)
    assert t.loc[("A", 2030), "province_min_m3"] == pytest.approx(2300.0)
    assert list(t.index) == [("A", 2020), ("A", 2030)]


def test_forest_stock_target_below_standing_growth_does_not_bind():
    """2,150 m³ ≤ 2,200 m³ that standing growth gives: the optimum is the free one (360 t C), slack 50 m³, price 0."""
    _, _, res = run_tables(stock_tables(2150.0))
    assert res.objective == pytest.approx(360.0 * K)
    r = con(res, "forest_stock[2030]")
    assert (bool(r["binding"]), r["slack"], r["shadow_price"]) == (False, pytest.approx(50.0), 0.0)


# -- input checks ---------------------------------------------------------------------------------------------------

def test_landcover_inputs_are_checked_all_at_once():
    t = sandy_tables(60.0)  # 60 ha > the 50 ha of sandy land
    t["province_targets"] = pd.DataFrame({"year": [2030], "budget_yuan": [10_000.0], "forest_stock_min_m3": [1.0]})
    t["land_uses"] = pd.DataFrame({"land_use": ["sandy", "unused", "forest", "grass"],
                                   "role": ["sandy", "unused", "unused", "grassland"]})
    assert problems(t) == [
        "sheet 'province_targets', row 2, column 'forest_stock_min_m3': no land use on sheet 'land_uses' has role "
        "'forest' (forest 林地), which this column needs",
        "sheet 'targets', row 2, column 'sandy_restoration_min_ha': value 60 — sandy land restored cannot "
        "exceed the baseline sandy land of region 'A' (50.0 ha; sheet 'baseline'); expected at most that",
    ]


def test_sandy_restoration_target_without_sandy_land_is_an_error():
    t = tiny_tables(targets=[{"region": "A", "year": 2030, "sandy_restoration_min_ha": 5.0}])
    assert problems(t) == [
        "sheet 'targets', row 2, column 'sandy_restoration_min_ha': no land use on sheet 'land_uses' has role 'sandy' "
        "(sandy land 沙化土地), which this column needs"]


def test_sandy_role_accepts_its_chinese_name():
    t = sandy_tables(6.0)
    t["land_uses"]["role"] = ["沙化土地", "unused", "forest", "grassland"]
    _, _, res = run_tables(t)
    assert res.objective == pytest.approx(352.0 * K)


# -- the shipped workbook -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tibet():
    import landopt
    from test_measures import WORKBOOK

    return landopt.optimize(landopt.read(WORKBOOK), backend="highs")


def test_tibet_sandy_land_is_its_own_land_use_and_its_restoration_target_holds(tibet):
    """240万 ha of restorable sandy land (5th desertification monitoring), split out of unused land.  The 13th FYP pace
    of 防沙治沙 bound in 2025 and 2030 in every prefecture until restoring degraded steppe stopped earning soil carbon
    (30 November 2026, docs/data.md §3): the budget it used now grasses sandy land at the rate limit (10 % of the sandy
    land per period in 2025 and 2030), above the pace in every prefecture and period, so the target holds without a
    price; it binds where a scenario asks more (`ecological_priority`, 1.5 × the pace, below)."""
    base = tibet.spec.baseline.set_index(["region", "land_use"])["area_ha"]
    assert base.xs("sandy", level="land_use").sum() == pytest.approx(2_400_000)
    c = tibet.constraints
    d = c[c["constraint"] == "desertification_control"].set_index("label")
    assert len(d) == 21
    assert (d["activity"] >= d["rhs"] - 1e-6).all()  # every target holds
    assert (d["slack"] > 700.0).all() and (d["shadow_price"] == 0.0).all()  # ... with room to spare, at no price
    flows = tibet.conversions["area_ha"]
    for region in tibet.spec.region_ids:  # 10 % of the sandy land grassed in 2020–2025: the rate limit, not the target
        assert flows[(region, "sandy", "grassland", 2025)] == pytest.approx(0.1 * base[(region, "sandy")], rel=1e-9)
    # Ngari 2021–2025: the 72,000 ha grassed (10 % of its 720,000 ha) plus whatever shrub planting the plan puts there
    # (where the forest-cover shrubs go is open among equally good plans)
    ngari = d.loc["desertification_control[Ngari,2025]", "activity"]
    assert ngari == pytest.approx(72_000.0 + flows.get(("Ngari", "sandy", "forest", 2025), 0.0), abs=1e-3)
    conv_t = tibet.conversions["area_ha"].reset_index()
    from_sandy = conv_t[conv_t["from_land_use"] == "sandy"].groupby("to_land_use")["area_ha"].sum()
    total_2035 = d.loc[[f"desertification_control[{r},2035]" for r in tibet.spec.region_ids], "activity"].sum()
    assert from_sandy.reindex(["grassland", "forest"]).fillna(0.0).sum() == pytest.approx(total_2035)
    # by grass planting (sandy → grassland), and a little shrub planting (sandy → forest) for forest cover
    assert from_sandy["grassland"] == pytest.approx(649_610.0, abs=1.0)
    assert from_sandy["urban"] == pytest.approx(1_429, abs=1.0)  # the sandy land inside the valley towns' boundaries
    assert from_sandy["forest"] == pytest.approx(4_038.0, abs=1.0)


def test_tibet_desertification_target_binds_where_a_scenario_asks_more():
    """`ecological_priority` asks 1.5 × the 13th FYP pace: the 2035 target binds in every prefecture (−13.342 t CO2e
    per ha of required restoration), the 2025 and 2030 targets hold with room to spare."""
    import landopt
    from test_measures import WORKBOOK

    res = landopt.optimize(landopt.read(WORKBOOK, scenario="ecological_priority"), backend="highs")
    c = res.constraints
    d = c[c["constraint"] == "desertification_control"].set_index("label")
    assert (d["activity"] >= d["rhs"] - 1e-6).all()
    for region in res.spec.region_ids:
        r = d.loc[f"desertification_control[{region},2035]"]
        assert bool(r["binding"]) and r["shadow_price"] == pytest.approx(-13.342, abs=1e-3), region
        for year in (2025, 2030):
            assert d.loc[f"desertification_control[{region},{year}]", "shadow_price"] == 0.0, (region, year)


def test_tibet_forest_stock_is_reported_and_its_trend_floor_holds_without_binding(tibet):
    """The shipped floor (22.88亿 m³ + the 2009-2018 inventory trend) is met by standing growth alone: it never binds
    (the stock only rises: nothing may leave forest in Tibet).  The plan's stock per milestone, in 亿m³."""
    c = tibet.constraints
    s = c[c["constraint"] == "forest_stock"].set_index("label")
    assert list(s.index) == ["forest_stock[2025]", "forest_stock[2030]", "forest_stock[2035]"]
    assert (s["slack"] > 2e6).all()  # 0.02亿 m³ or more above the floor in every milestone
    assert (s["shadow_price"] == 0.0).all()
    v = tibet.forest_stock.groupby(level="year")["stock_yi_m3"].sum()
    assert v[2019] == pytest.approx(22.88)
    assert list(v.round(2)) == [22.88, 23.21, 23.53, 23.88]
    assert tibet.metadata["forest_stock_m3"][2035] == pytest.approx(v[2035] * 1e8)


def test_tibet_forest_stock_growth_scenario_binds_the_stock_target():
    """Scenario forest_stock_growth asks 23.90亿 m³ by 2035 (the base plan reaches 23.88亿): the row binds with a
    negative shadow price and the plan plants more forest early."""
    import landopt
    from test_measures import WORKBOOK

    res = landopt.optimize(landopt.read(WORKBOOK, scenario="forest_stock_growth"), backend="highs")
    assert res.optimal
    r = con(res, "forest_stock[2035]")
    assert bool(r["binding"]) and r["rhs"] == pytest.approx(2.39e9)
    assert r["shadow_price"] == pytest.approx(-4.0902, abs=1e-3)
    assert res.forest_stock.xs(2035, level="year")["stock_m3"].sum() == pytest.approx(2.39e9)
