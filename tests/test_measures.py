"""Measures of the territorial plan (issue #13, part B): grassland condition and recovery under grazing ban/rest,
livestock layout across regions, and the public budget — one hand-computed instance each, where it binds.

All in stock-change accounting (cumulative t CO2e to the target year, × 44/12 = K for carbon).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import landopt
from conftest import K, run_tables, tiny_tables

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"
STOCKS = ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
          "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr"]
GAS = 27 / 1000  # t CO2e per kg CH4


def grassland_recovery(livestock_min: float) -> dict[str, pd.DataFrame]:
    """1 region, 1 period 2020→2025 (Δ = 5).  Good grassland 60 ha (1,000 kg hay/ha), degraded 40 ha (500 kg/ha);
    utilisation 0.5, intake 500 kg/SU: 1 SU/ha on good, 0.5 SU/ha on degraded land.  Rested degraded grassland
    recovers 10 %/yr: y ≤ 0.1 × 5 × d.  Per recovered ha (τ = 2022.5, 2.5 years to 2025): biomass −1 + 2·(2.5/5) = 0,
    soil (50 − 40)/20 × 2.5 = 1.25 t C.  No methane (0 kg CH4/SU) so that only recovery counts."""
    return tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": "2025", "carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [100.0]},
        land_uses={"land_use": ["grass", "degraded"], "role": ["grassland", "degraded_grassland"]},
        baseline={"region": ["A", "A"], "land_use": ["grass", "degraded"], "area_ha": [60.0, 40.0]},
        carbon_stocks=pd.DataFrame([["grass", None, 2.0, 0.0, 50.0, 5, None, 0.0, 0.0],
                                    ["degraded", None, 1.0, 0.0, 40.0, 5, None, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": ["degraded"], "to_land_use": ["grass"], "allowed": ["yes"],
                     "max_pct_per_period": [None], "soil_transition_years": [20]},
        targets=[],
        grazing=[{"region": "A", "year": 2025, "forage_yield_kg_per_ha": 1000, "utilisation_rate": 0.5,
                  "intake_kg_per_su_yr": 500, "rest_min_ha": 0, "livestock_min_su": livestock_min, "ch4_kg_per_su_yr": 0.0,
                  "degraded_yield_kg_per_ha": 500, "restoration_pct_per_yr": 10}],
    )


def test_rest_lets_degraded_grassland_recover_up_to_the_degraded_area():
    # capacity s ≤ g − 0.5 (x_deg − d) with g = 100 − d, x_deg = 40 − y, y = 0.5 d: s ≤ 80 − 0.25 d (≥ 60: d ≤ 80);
    # d ≤ x_deg = 40 − 0.5 d binds: d = 80/3, y = 40/3; removals 40/3 × 1.25 t C
    lm, out, res = run_tables(grassland_recovery(60))
    assert res.conversions["area_ha"][("A", "degraded", "grass", 2025)] == pytest.approx(40 / 3)
    g = res.grazing.loc[("A", 2025)]
    assert g["rested_degraded_ha"] == pytest.approx(80 / 3) and g["rested_ha"] >= 80 / 3 - 1e-9  # more rest is free here
    assert g["degraded_ha"] == pytest.approx(40 - 40 / 3)
    assert res.objective == pytest.approx(40 / 3 * 1.25 * K, rel=1e-12)
    # one more ha allowed to recover: d = 40 − y = 40 − 0.5 d − 1 → y rises by 2/3 ha, worth 1.25 t C each
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["restoration[A,2025]"] == pytest.approx(2 / 3 * 1.25 * K, abs=1e-9)


def test_livestock_competes_with_recovery_for_grassland():
    # a herd of 75 SU: 80 − 0.25 d ≥ 75 → d = 20, y = 10; each more SU rests 4 ha less and recovers 2 ha less
    res = run_tables(grassland_recovery(75))[2]
    assert res.conversions["area_ha"][("A", "degraded", "grass", 2025)] == pytest.approx(10.0)
    assert res.grazing.loc[("A", 2025), "livestock_su"] == pytest.approx(75.0)
    assert res.objective == pytest.approx(10 * 1.25 * K, rel=1e-12)
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["livestock_floor[A,2025]"] == pytest.approx(-2 * 1.25 * K, abs=1e-9)
    assert c["grazing_capacity[A,2025]"] == pytest.approx(2 * 1.25 * K, abs=1e-9)


def test_no_grazing_row_means_no_rest_and_no_recovery():
    t = grassland_recovery(60)
    t["grazing"] = t["grazing"].iloc[0:0]
    res = run_tables(t)[2]
    assert res.conversions.empty and res.objective == pytest.approx(0.0, abs=1e-9)


def livestock_layout(total: float) -> dict[str, pd.DataFrame]:
    """2 regions × 100 ha grassland, 1 period 2020→2025.  A carries 1 SU/ha and emits 10 kg CH4/SU/yr, B 0.5 SU/ha and
    5 kg/SU/yr; floors 20 SU each; the region-wide herd at least ``total``."""
    return tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": "2025", "carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A", "B"], "total_area_ha": [100.0, 100.0]},
        land_uses={"land_use": ["grass"], "role": ["grassland"]},
        baseline={"region": ["A", "B"], "land_use": ["grass", "grass"], "area_ha": [100.0, 100.0]},
        carbon_stocks=pd.DataFrame([["grass", None, 2.0, 0.0, 50.0, 5, None, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": [], "to_land_use": [], "allowed": [], "max_pct_per_period": []},
        targets=[],
        grazing=[{"region": r, "year": 2025, "forage_yield_kg_per_ha": y, "utilisation_rate": 0.5, "intake_kg_per_su_yr": 500,
                  "rest_min_ha": 0, "livestock_min_su": 20, "ch4_kg_per_su_yr": ef}
                 for r, y, ef in (("A", 1000, 10.0), ("B", 500, 5.0))],
        province_targets=[{"year": 2025, "livestock_min_su": total}],
    )


def test_livestock_is_placed_where_it_emits_least_within_each_capacity():
    # 120 SU: B (5 kg) up to its capacity 50, A (10 kg) the other 70; methane held over the 5-year period
    res = run_tables(livestock_layout(120))[2]
    s = res.grazing["livestock_su"]
    assert s[("A", 2025)] == pytest.approx(70.0) and s[("B", 2025)] == pytest.approx(50.0)
    assert res.objective == pytest.approx(-(70 * 10 + 50 * 5) * GAS * 5, rel=1e-12)
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["livestock_total[2025]"] == pytest.approx(-10 * GAS * 5, abs=1e-9)  # the next SU goes to A
    assert c["grazing_capacity[B,2025]"] == pytest.approx(5 * GAS * 5, abs=1e-9)  # B full: each SU more saves 5 kg
    # a herd of 60: B takes 40 (A keeps its floor of 20)
    s = run_tables(livestock_layout(60))[2].grazing["livestock_su"]
    assert s[("A", 2025)] == pytest.approx(20.0) and s[("B", 2025)] == pytest.approx(40.0)


def budget_instance(budget: float) -> dict[str, pd.DataFrame]:
    """1 region, 1 period 2020→2030 (Δ = 10, τ = 2025: 5 years to 2030).  Unused land (1,000 ha) may become forest
    (1,000 yuan/ha; biomass 10 t C/ha over 10 years: 5 t C/ha by 2030) or grassland (100 yuan/ha, at most 5 % of
    the unused land per period; biomass 1 t C/ha in its first year)."""
    return tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": "2030", "carbon_accounting": "stock_change", "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [1000.0]},
        land_uses={"land_use": ["forest", "grass", "unused"], "role": ["forest", "grassland", "unused"]},
        baseline={"region": ["A"] * 3, "land_use": ["forest", "grass", "unused"], "area_ha": [0.0, 0.0, 1000.0]},
        carbon_stocks=pd.DataFrame([["forest", None, 10.0, 0.0, 0.0, 10, None, 0.0, 0.0],
                                    ["grass", None, 1.0, 0.0, 0.0, 1, None, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": ["unused", "unused"], "to_land_use": ["forest", "grass"], "allowed": ["yes", "yes"],
                     "max_pct_per_period": [None, 5], "cost_yuan_per_ha": [1000.0, 100.0]},
        targets=[],
        province_targets=[{"year": 2030, "budget_yuan": budget}],
    )


def test_budget_goes_first_to_the_cheapest_removals():
    # grassland: 1 t C for 100 yuan (0.01 t C/yuan) up to its 50 ha; forest: 5 t C for 1,000 yuan (0.005 t C/yuan)
    # with the 10,000 − 5,000 yuan left: 5 ha.  Removals 50·1 + 5·5 = 75 t C.
    res = run_tables(budget_instance(10_000))[2]
    conv = res.conversions["area_ha"]
    assert conv[("A", "unused", "grass", 2030)] == pytest.approx(50.0)
    assert conv[("A", "unused", "forest", 2030)] == pytest.approx(5.0)
    assert res.objective == pytest.approx(75 * K, rel=1e-12)
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["budget[2030]"] == pytest.approx(0.005 * K, abs=1e-12)  # the marginal yuan plants forest
    assert c["conversion_rate[A,unused,grass,2030]"] == pytest.approx((1 - 100 * 0.005) * K, abs=1e-9)
    assert res.metadata["public_cost_yuan"] == pytest.approx(10_000)
    assert res.costs["cost_yuan"].sum() == pytest.approx(10_000)
    # a budget of 2,000 yuan buys grassland only: 20 ha
    small = run_tables(budget_instance(2_000))[2]
    assert small.conversions["area_ha"].to_dict() == pytest.approx({("A", "unused", "grass", 2030): 20.0})


# -- the shipped workbook -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tibet():
    return landopt.optimize(landopt.read(WORKBOOK), backend="highs")


def test_tibet_livestock_is_laid_out_by_the_model(tibet):
    """The region-wide requirement binds; where the herd grazes the sink leaves open, and the least-change plan
    (docs/model.md §8.1) shares the destocking in proportion to the 2019 herds: every prefecture at requirement ÷
    reference total of its reference herd (86.5 % in 2035), within its carrying capacity."""
    g = tibet.grazing.xs(2035, level="year")
    ref = tibet.spec.grazing.set_index(["region", "year"])["reference_livestock_su"].xs(2035, level="year")
    assert (g["livestock_su"] <= g["capacity_su"] + 1e-6).all()  # within each carrying capacity
    total = tibet.spec.province_targets.set_index("year")["livestock_min_su"][2035]
    assert g["livestock_su"].sum() == pytest.approx(total, rel=1e-9)
    share = total / ref.sum()
    assert share == pytest.approx(0.865, abs=5e-4)
    assert np.allclose(g["livestock_su"], share * ref.reindex(g.index), rtol=1e-9)


def test_tibet_grazing_ban_minimum_changes_the_plan(tibet):
    raw = __import__("landopt.reader", fromlist=["read_workbook"]).read_workbook(WORKBOOK)
    gz = raw.tables["grazing"]
    gz["rest_min_ha"] = gz["rest_min_ha"] * 1.2
    res = landopt.optimize(landopt.api.spec_from_raw(raw), backend="highs")
    assert res.optimal and res.objective < tibet.objective - 1.0
    # the raised minimum binds in every prefecture-year (the base plan rests more than its minimum in Chamdo and
    # Nyingchi in 2025, to restore more meadow; with 20 % more rest required everywhere the budget no longer allows it)
    assert np.allclose(res.grazing["rested_ha"], 1.2 * tibet.grazing["rest_min_ha"], rtol=1e-9)
    # the herd the region-wide requirement sets, shared alike (least-change), is where it was
    assert np.allclose(res.grazing["livestock_su"], tibet.grazing["livestock_su"], rtol=1e-9)


def test_tibet_several_measures_bind_with_non_trivial_prices(tibet):
    b = tibet.constraints
    b = b[b["policy"] & (b["shadow_price"].abs() > 1e-7)]
    families = set(b["family"])
    assert {"grazing_balance", "livestock_layout", "budget", "forest_cover", "transitions"} <= families, families


def test_carbon_cost_frontier(tibet):
    """`pareto --against cost`: from the carbon optimum (which spends the whole budget) down to the least public cost
    the requirements allow; every point optimal, less cost always means fewer removals."""
    from landopt.pareto import pareto

    fr = pareto(tibet.spec, "cost", points=4)
    p = fr.points
    assert (p["status"] == "optimal").all() and fr.unit == "yuan"
    assert p["net_sink"].iloc[0] == pytest.approx(tibet.objective, rel=1e-6)
    assert p["cost"].iloc[0] == pytest.approx(tibet.metadata["public_cost_yuan"], rel=1e-6)
    assert (np.diff(p["cost"]) < 0).all() and (np.diff(p["net_sink"]) < 0).all()
    assert np.allclose(p["cost"], p["epsilon"], rtol=1e-6)  # each point spends exactly its bound


def test_sweep_on_the_shipped_workbook_in_stock_change_accounting(tibet, tmp_path):
    """Every sampled run of the shipped (stock-change) workbook is solved; the base run's value is the plan's
    objective, cumulative t CO2e with the standing-land constant included."""
    from landopt.sweep import run_sweep

    res = run_sweep(WORKBOOK, 2, workers=1, progress=False, out=tmp_path / "s.xlsx")
    rec = res.records
    assert (rec["status"] == "optimal").all(), rec[["status", "message"]]
    base = rec[(rec["scenario"] == "base") & (rec["sample_id"] == 0)]["net_sink"].iloc[0]
    assert base == pytest.approx(tibet.objective, rel=1e-9)
    assert res.metadata.get("objective_unit") == "t CO2e"
