"""IPCC stock-change accounting (issue #12): hand-computed instances and the shipped workbook.

Conventions (docs/model.md): conversions in a period happen at mid-period; biomass of the old use is lost at
once; the new use's biomass grows linearly to its stock over ``maturity_years``; soil + dead organic matter move
linearly to the new use's stock over the soil transition time; carbon × 44/12 = CO2e.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import landopt
from conftest import K, run_tables, tiny_tables
from landopt.api import spec_from_raw
from landopt.reader import from_tables, read_workbook
from landopt.validate import load_spec

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"
STOCK_COLUMNS = ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
                 "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr"]


def stock_tables(land_uses, baseline, stocks, transitions, targets, years="2025,2030", settings=None, **extra):
    return tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": years, "carbon_accounting": "stock_change",
                  "no_net_loss": "no", **(settings or {})},
        regions={"region": ["A"], "total_area_ha": [float(sum(baseline.values()))]},
        land_uses={"land_use": [l for l, _ in land_uses], "role": [r for _, r in land_uses]},
        baseline={"region": ["A"] * len(baseline), "land_use": list(baseline), "area_ha": list(baseline.values())},
        carbon_stocks=pd.DataFrame(stocks, columns=STOCK_COLUMNS),
        transitions=transitions, targets=targets, **extra)


def grass_to_urban():
    """1 region, 2 periods (2020→2025→2030).  Urban demand rises from the 10 ha baseline to 20 ha in 2025 and 25 ha
    in 2030; the only way is grassland→urban: 10 ha convert in the first period (τ = 2022.5), 5 in the second
    (τ = 2027.5).

    grassland: biomass 2, soil 50 t C/ha; urban: soil 10 t C/ha.  Per converted ha: 2 t C lost at once, then soil
    falls (50 − 10)/20 = 2 t C/ha/yr.
    """
    return stock_tables(
        land_uses=[("grass", "grassland"), ("urban", "urban"), ("unused", "unused")],
        baseline={"grass": 60.0, "urban": 10.0, "unused": 30.0},
        stocks=[["grass", None, 2.0, 0.0, 50.0, 5, None, 0.0, 0.0], ["urban", None, 0.0, 0.0, 10.0, 0, None, 0.0, 0.0]],
        transitions={"from_land_use": ["grass"], "to_land_use": ["urban"], "allowed": ["yes"], "max_pct_per_period": [None]},
        targets=[{"region": "A", "year": 2025, "urban_population": 2000, "urban_land_per_capita_m2": 100},
                 {"region": "A", "year": 2030, "urban_population": 2500, "urban_land_per_capita_m2": 100}],
    )


def test_conversion_releases_biomass_at_once_and_a_twentieth_of_the_soil_difference_per_year():
    lm, out, res = run_tables(grass_to_urban())
    assert res.optimal and res.metadata["objective_unit"] == "t CO2e"
    conv = res.conversions["area_ha"]
    assert conv[("A", "grass", "urban", 2025)] == pytest.approx(10.0)
    assert conv[("A", "grass", "urban", 2030)] == pytest.approx(5.0)
    # the first cohort (10 ha at τ = 2022.5): −2 t C/ha at once, then −2 t C/ha/yr (1/20 of the 40 t C/ha gap)
    first = res.cohorts.loc[("A", "grass", "urban", 2025)]
    assert first["removals_to_2025_t_co2e"] == pytest.approx(10 * (-2 - 2 * 2.5) * K)
    assert first["removals_to_2030_t_co2e"] == pytest.approx(10 * (-2 - 2 * 7.5) * K)
    assert first["rate_2025_t_co2e_per_yr"] == pytest.approx(10 * -2 * K)
    assert first["rate_2030_t_co2e_per_yr"] == pytest.approx(10 * -2 * K)
    acc = res.carbon
    # the account by term: biomass lost at once (15 ha × 2 t C by 2030), soil 2 t C/ha/yr on every converted ha
    assert acc.loc[("A", 2025, "biomass_loss"), "cumulative_t_co2e"] == pytest.approx(-20 * K)
    assert acc.loc[("A", 2030, "biomass_loss"), "cumulative_t_co2e"] == pytest.approx(-30 * K)
    assert acc.loc[("A", 2030, "biomass_loss"), "t_co2e_per_yr"] == 0.0
    assert acc.loc[("A", 2025, "soil_dom_change"), "t_co2e_per_yr"] == pytest.approx(-20 * K)
    assert acc.loc[("A", 2030, "soil_dom_change"), "t_co2e_per_yr"] == pytest.approx(-30 * K)
    assert acc.loc[("A", 2030, "soil_dom_change"), "cumulative_t_co2e"] == pytest.approx(-(10 * 2 * 7.5 + 5 * 2 * 2.5) * K)
    # the objective: cumulative net removals 2020–2030 = −(10·17 + 5·7) t C
    assert res.objective == pytest.approx(-205 * K, rel=1e-12)
    assert res.metadata["cumulative_t_co2e"] == pytest.approx(-205 * K)
    assert res.metadata["annual_target_t_co2e_per_yr"] == pytest.approx(-30 * K)
    # shadow prices: one more ha of 2030 demand converts one more ha at τ = 2027.5: −(2 + 2·2.5) t C; one more ha
    # of 2025 demand converts that ha five years earlier instead: −(2 + 2·7.5) + 7 = −10 t C
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["urban_demand[A,2030]"] == pytest.approx(-7 * K, abs=1e-9)
    assert c["urban_demand[A,2025]"] == pytest.approx(-10 * K, abs=1e-9)


def afforestation(**settings):
    """Afforestation cohorts: unused→forest, at most 10 ha by 2025 and 30 ha by 2030 (cumulative potential).

    forest: biomass 70 t C/ha reached over 70 years (1 t C/ha/yr), soil 30 t C/ha reached over 100 years from the
    unused land's 10 (+0.2 t C/ha/yr); standing forest (20 ha) removes 0.15 t C/ha/yr.
    """
    return stock_tables(
        land_uses=[("forest", "forest"), ("unused", "unused")],
        baseline={"forest": 20.0, "unused": 80.0},
        stocks=[["forest", None, 70.0, 0.0, 30.0, 70, 100, -0.15, 0.0], ["unused", None, 0.0, 0.0, 10.0, 0, None, 0.0, 0.0]],
        transitions={"from_land_use": ["unused"], "to_land_use": ["forest"], "allowed": ["yes"], "max_pct_per_period": [None]},
        targets=[{"region": "A", "year": 2025, "afforestation_potential_ha": 10.0},
                 {"region": "A", "year": 2030, "afforestation_potential_ha": 30.0}],
        **settings)


def test_planting_cohorts_follow_the_growth_rule():
    lm, out, res = run_tables(afforestation())
    conv = res.conversions["area_ha"]
    assert conv[("A", "unused", "forest", 2025)] == pytest.approx(10.0)  # planted as early as allowed
    assert conv[("A", "unused", "forest", 2030)] == pytest.approx(20.0)
    co = res.cohorts
    first, second = co.loc[("A", "unused", "forest", 2025)], co.loc[("A", "unused", "forest", 2030)]
    # biomass: 1 t C/ha per year since planting (τ = 2022.5 and 2027.5)
    assert first["biomass_2025_tC"] == pytest.approx(10 * 2.5)
    assert first["biomass_2030_tC"] == pytest.approx(10 * 7.5)
    assert second["biomass_2025_tC"] == 0.0 and second["biomass_2030_tC"] == pytest.approx(20 * 2.5)
    # removals: (1 + 0.2) t C/ha/yr while young
    assert first["removals_to_2030_t_co2e"] == pytest.approx(10 * 1.2 * 7.5 * K)
    assert second["removals_to_2030_t_co2e"] == pytest.approx(20 * 1.2 * 2.5 * K)
    assert first["rate_2030_t_co2e_per_yr"] == pytest.approx(10 * 1.2 * K)


def test_reference_pathway_and_additional_removals_by_hand():
    """Reference: land use frozen at the baseline — the 20 ha of standing forest only: 20 × 0.15 × 10 yr = 30 t C.
    The plan adds the two cohorts: 10·1.2·7.5 + 20·1.2·2.5 = 150 t C."""
    res = run_tables(afforestation())[2]
    m = res.metadata
    assert m["reference_cumulative_t_co2e"] == pytest.approx(30 * K)
    assert m["standing_t_co2e"] == pytest.approx(30 * K)
    assert m["additional_t_co2e"] == pytest.approx(150 * K)
    assert m["cumulative_t_co2e"] == pytest.approx(180 * K) == pytest.approx(res.objective)
    assert m["additional_annual_t_co2e_per_yr"] == pytest.approx(30 * 1.2 * K)
    # the afforestation limits are what bind: one more ha of 2025 potential plants 1 ha 5 years earlier
    # (that ha moves from the second cohort to the first): 1.2 t C/ha/yr × 5 yr
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["afforestation_limit[A,2025]"] == pytest.approx(1.2 * 5 * K, abs=1e-9)
    assert c["afforestation_limit[A,2030]"] == pytest.approx(1.2 * 2.5 * K, abs=1e-9)


def test_longer_soil_transition_slows_soil_gain():
    """The setting applies where carbon_stocks leaves a land use's transition blank."""
    t = afforestation(settings={"soil_transition_years": "40"})
    t["carbon_stocks"].loc[t["carbon_stocks"]["land_use"] == "forest", "soil_transition_years"] = None
    res = run_tables(t)[2]
    # soil (30 − 10)/40 = 0.5 t C/ha/yr
    assert res.metadata["additional_t_co2e"] == pytest.approx((10 * 1.5 * 7.5 + 20 * 1.5 * 2.5) * K)


def marsh_restoration(includes_soil: str | None = "yes"):
    """Unused land restored to marsh, 10 % of the unused land per period (2000→2010→2020: 10 ha at τ = 2005, 9 ha at
    τ = 2015).  marsh: biomass 1 t C/ha grown over 2 years, soil 10 → 30 t C/ha over 10 years, and a mature marsh's
    measured uptake of 1 t C/ha/yr (its soil's accumulation: ``remaining_flux_includes_soil`` = yes)."""
    t = stock_tables(
        land_uses=[("marsh", "wetland"), ("unused", "unused")],
        baseline={"marsh": 0.0, "unused": 100.0},
        stocks=[["marsh", None, 1.0, 0.0, 30.0, 2, 10, -1.0, 0.0], ["unused", None, 0.0, 0.0, 10.0, 0, None, 0.0, 0.0]],
        transitions={"from_land_use": ["unused"], "to_land_use": ["marsh"], "allowed": ["yes"], "max_pct_per_period": [10.0]},
        targets=[], years="2010,2020", settings={"baseline_year": "2000"})
    t["carbon_stocks"]["remaining_flux_includes_soil"] = [includes_soil, None]
    return t


def test_restored_marsh_earns_its_uptake_only_after_its_soil_transition():
    """The marsh's uptake is its soil's accumulation (remaining_flux_includes_soil = yes): a restored hectare earns
    it only once its soil transition is over (J = max(N, T_s) = 10 years), not on top of the soil gain still under
    way.  First cohort at 2020 (a = 15): biomass 1 + soil 20 + uptake 1 × (15 − 10) = 26 t C/ha (from maturity,
    2 years, it would be 34); second cohort (a = 5): 1 + 20 · 5/10 = 11."""
    res = run_tables(marsh_restoration())[2]
    conv = res.conversions["area_ha"]
    assert conv[("A", "unused", "marsh", 2010)] == pytest.approx(10.0)
    assert conv[("A", "unused", "marsh", 2020)] == pytest.approx(9.0)
    first = res.cohorts.loc[("A", "unused", "marsh", 2010)]
    assert first["removals_to_2020_t_co2e"] == pytest.approx(10 * 26 * K)
    assert first["removals_to_2010_t_co2e"] == pytest.approx(10 * (1 + 20 * 0.5) * K)
    # rates: in 2010 (a = 5) the soil's 2 t C/ha/yr and no uptake yet; in 2020 (a = 15) the uptake alone
    assert first["rate_2010_t_co2e_per_yr"] == pytest.approx(10 * 2 * K)
    assert first["rate_2020_t_co2e_per_yr"] == pytest.approx(10 * 1 * K)
    acc = res.carbon
    assert acc.loc[("A", 2020, "remaining_change"), "cumulative_t_co2e"] == pytest.approx(10 * 5 * K)
    assert res.objective == pytest.approx((10 * 26 + 9 * 11) * K, rel=1e-12)


def test_a_flux_of_other_pools_starts_at_maturity():
    """Without the flag (a forest inventory's biomass gain, say) the flux starts at maturity (2 years): first cohort
    1 + 20 + 1 × (15 − 2) = 34 t C/ha, second 1 + 10 + 1 × (5 − 2) = 14."""
    res = run_tables(marsh_restoration(includes_soil=None))[2]
    assert res.objective == pytest.approx((10 * 34 + 9 * 14) * K, rel=1e-12)


@pytest.mark.parametrize("includes_soil", ["yes", None])
def test_annual_rates_are_the_yearly_change_of_the_cumulative_removals(includes_soil):
    """Every flow term's annual rate in year y is the change of its cumulative removals from y to y + 1, also at the
    breaks (maturity at age 2, the soil's end and J at age 10): the rate just after a break, the same rule for
    biomass, soil and the remaining-land flux."""
    from landopt.model.build import build
    from landopt.model.carbon import FLOW_TERMS, flow_terms

    spec = load_spec(from_tables(marsh_restoration(includes_soil)))
    cols = build(spec).columns
    for y in range(2006, 2030):  # the first cohort is converted at 2005: from age 1 (the one-off loss is not a rate)
        cum0, cum1 = flow_terms(spec, cols, y, "cumulative"), flow_terms(spec, cols, y + 1, "cumulative")
        rate = flow_terms(spec, cols, y, "annual")
        for term in FLOW_TERMS:
            np.testing.assert_allclose(rate[term], cum1[term] - cum0[term], atol=1e-12, err_msg=f"{term} in {y}")


def pv_siting(grass_pct: float | None, sandy_pct: float | None):
    """PV (0.5 MW/ha, 5 MW = 10 ha by 2030) on grassland or on sandy land; one period 2020→2030, converted at
    τ = 2025, seen a = 5 years later; soil moves over the default 20 years.  grassland: biomass 2, soil 50 t C/ha;
    sandy: biomass 1, soil 20; PV: no biomass, soil 10 (the unused land it is usually built on)."""
    return stock_tables(
        land_uses=[("grass", "grassland"), ("sandy", "sandy"), ("pv", "pv")],
        baseline={"grass": 50.0, "sandy": 50.0, "pv": 0.0},
        stocks=[["grass", None, 2.0, 0.0, 50.0, 0, None, 0.0, 0.0], ["sandy", None, 1.0, 0.0, 20.0, 0, None, 0.0, 0.0],
                ["pv", None, 0.0, 0.0, 10.0, 0, None, 0.0, 0.0]],
        transitions={"from_land_use": ["grass", "sandy"], "to_land_use": ["pv", "pv"], "allowed": ["yes", "yes"],
                     "max_pct_per_period": [None, None], "soil_change_pct": [grass_pct, sandy_pct]},
        targets=[], years="2030",
        energy=[{"region": "A", "year": 2030, "pv_mw_per_ha": 0.5}],
        province_targets=[{"year": 2030, "pv_capacity_min_mw": 5.0}])


@pytest.mark.parametrize("grass_pct, sandy_pct, site, per_ha_tc", [
    # the whole soil difference: grassland −2 − 40·5/20 = −12 t C/ha, sandy −1 − 10·5/20 = −3.5: sandy
    (None, None, "sandy", -3.5),
    # PV keeps the grassland's soil: −2 t C/ha (biomass only) beats sandy's −3.5: the siting flips to grassland
    (0.0, None, "grass", -2.0),
    # both keep their soil: sandy −1 beats grassland −2
    (0.0, 0.0, "sandy", -1.0),
    # half the grassland difference: −2 − 20·5/20 = −7; sandy −3.5
    (50.0, None, "sandy", -3.5),
])
def test_soil_change_pct_decides_where_pv_goes(grass_pct, sandy_pct, site, per_ha_tc):
    res = run_tables(pv_siting(grass_pct, sandy_pct))[2]
    assert res.optimal
    conv = res.conversions["area_ha"]
    assert conv[("A", site, "pv", 2030)] == pytest.approx(10.0)
    assert res.objective == pytest.approx(10 * per_ha_tc * K, rel=1e-12)
    # one more MW of the PV target is 2 more ha on the chosen site
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["pv_total[2030]"] == pytest.approx(2 * per_ha_tc * K, abs=1e-9)


def test_soil_change_pct_scales_only_the_soil_term():
    """Half of grassland→PV's soil difference: the soil term of the cohort is −20 t C/ha × 5/20 = −5 t C/ha per ha
    (the whole difference would be −10); the biomass lost is unchanged (−2 t C/ha)."""
    t = pv_siting(50.0, None)
    t["transitions"]["max_pct_per_period"] = [None, 0.0]  # sandy land may not take PV: all 10 ha on grassland
    res = run_tables(t)[2]
    acc = res.carbon
    assert acc.loc[("A", 2030, "soil_dom_change"), "cumulative_t_co2e"] == pytest.approx(10 * -5.0 * K)
    assert acc.loc[("A", 2030, "soil_dom_change"), "t_co2e_per_yr"] == pytest.approx(10 * -20.0 / 20 * K)
    assert acc.loc[("A", 2030, "biomass_loss"), "cumulative_t_co2e"] == pytest.approx(10 * -2.0 * K)
    assert res.objective == pytest.approx(10 * -7.0 * K, rel=1e-12)


def restoration(loss_pct: float | None):
    """Sparse grassland (biomass 1, soil 20 t C/ha; role unused, so that no grass–livestock row sets the pace, as it
    does for the shipped degraded grassland) improved to grassland (biomass 3 reached in 10 years, soil 30 over the
    default 20 years); one period 2020→2030, 20 % of the 50 sparse hectares (10 ha) at most, converted at
    τ = 2025 and seen a = 5 years later.  Per hectare by 2030 (t C): soil (30 − 20) · 5/20 = 2.5, and biomass
    * cleared (loss_pct blank = 100): −1 at once, then 3 · 5/10 = +1.5 — net +0.5;
    * not cleared (0): the sward grows from 1 towards 3: (3 − 1) · 5/10 = +1.0, nothing lost;
    * half (50): −0.5, then (3 − 0.5) · 5/10 = +1.25 — net +0.75."""
    return stock_tables(
        land_uses=[("deg", "unused"), ("grass", "grassland")],
        baseline={"deg": 50.0, "grass": 50.0},
        stocks=[["deg", None, 1.0, 0.0, 20.0, 0, None, 0.0, 0.0], ["grass", None, 3.0, 0.0, 30.0, 10, None, 0.0, 0.0]],
        transitions={"from_land_use": ["deg"], "to_land_use": ["grass"], "allowed": ["yes"], "max_pct_per_period": [20.0],
                     "biomass_loss_pct": [loss_pct]},
        targets=[], years="2030")


@pytest.mark.parametrize("loss_pct, loss, growth", [(None, -1.0, 1.5), (100.0, -1.0, 1.5), (0.0, 0.0, 1.0),
                                                    (50.0, -0.5, 1.25)])
def test_biomass_loss_pct_keeps_the_vegetation_a_restoration_does_not_clear(loss_pct, loss, growth):
    """transitions.biomass_loss_pct (docs/model.md §7.1, λ): the optimum restores the 10 ha allowed; its biomass terms
    are λ·B_l lost at once and (B_m − (1 − λ)B_l)·a/N_m grown, the soil term 2.5 t C/ha either way; the growth rate
    is (B_m − (1 − λ)B_l)/N_m (0.3 t C/ha/yr cleared, 0.2 not)."""
    res = run_tables(restoration(loss_pct))[2]
    acc = res.carbon
    assert acc.loc[("A", 2030, "biomass_loss"), "cumulative_t_co2e"] == pytest.approx(10 * loss * K, abs=1e-9)
    assert acc.loc[("A", 2030, "biomass_growth"), "cumulative_t_co2e"] == pytest.approx(10 * growth * K)
    assert acc.loc[("A", 2030, "biomass_growth"), "t_co2e_per_yr"] == pytest.approx(10 * growth / 5 * K)
    assert acc.loc[("A", 2030, "soil_dom_change"), "cumulative_t_co2e"] == pytest.approx(10 * 2.5 * K)
    assert res.objective == pytest.approx(10 * (loss + growth + 2.5) * K, rel=1e-12)
    # the cohort's biomass stock in 2030: what stayed standing plus what grew, per the 10 ha (t C)
    coh = res.cohorts.loc[("A", "deg", "grass", 2030)]
    assert coh["biomass_2030_tC"] == pytest.approx(10 * (1.0 + loss + growth))


# -- the shipped workbook ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tibet():
    return landopt.optimize(landopt.read(WORKBOOK), backend="highs")


def _raw():
    return read_workbook(WORKBOOK)


def test_tibet_headline_figures(tibet):
    m = tibet.metadata
    assert m["carbon_accounting"] == "stock_change" and m["objective_unit"] == "t CO2e"
    assert m["horizon"] == "2020–2035"  # the baseline is the state at the end of 2019
    assert m["cumulative_t_co2e"] == pytest.approx(tibet.objective, rel=1e-12)
    assert m["additional_t_co2e"] == pytest.approx(m["cumulative_t_co2e"] - m["reference_cumulative_t_co2e"])
    assert m["additional_t_co2e"] > 0 and m["annual_target_t_co2e_per_yr"] > 0
    # the net removals in the carbon account add up to the objective
    net = tibet.carbon.xs("net_sink", level="term")["cumulative_t_co2e"]
    assert net.xs(2035, level="year").sum() == pytest.approx(tibet.objective, rel=1e-9)


def test_tibet_forest_cover_meets_every_milestone(tibet):
    spec = tibet.spec
    total = spec.regions["total_area_ha"].sum()
    forest = tibet.allocation.xs("forest", level="land_use")["area_ha"].groupby(level="year").sum()
    targets = spec.province_targets.set_index("year")["forest_cover_min_pct"]
    assert set(targets.index) >= {2025, 2030}
    for year, pct in targets.items():
        assert forest[year] / total * 100 >= pct - 1e-9, (year, forest[year] / total * 100, pct)


def test_tibet_no_cropland_goes_to_construction_for_its_carbon(tibet):
    conv = tibet.conversions.reset_index()
    construction = {"urban", "rural", "other_construction", "pv"}
    assert conv[(conv["from_land_use"] == "cropland") & conv["to_land_use"].isin(construction)].empty
    raw = _raw()
    tr = raw.tables["transitions"]
    tr.loc[(tr["from_land_use"] == "cropland") & tr["to_land_use"].isin(["forest", "grassland"]), "allowed"] = "no"
    res = landopt.optimize(spec_from_raw(raw), backend="highs")
    conv = res.conversions.reset_index()
    assert res.optimal
    assert conv[(conv["from_land_use"] == "cropland") & conv["to_land_use"].isin(construction)].empty
    # without 退耕 cropland stays: at least its baseline, at most baseline + the new-cropland reserve (补充耕地)
    crop = res.allocation.xs("cropland", level="land_use").xs(2035, level="year")
    tg = raw.tables["targets"]
    reserve = tg[tg["year"] == 2035].set_index("region")["supplementary_cropland_potential_ha"].astype(float)
    assert (crop["area_ha"] >= crop["baseline_ha"] - 1e-6).all()
    assert (crop["area_ha"] <= crop["baseline_ha"] + reserve.reindex(crop.index) + 1e-6).all()


def test_tibet_stock_figures_change_the_allocation_not_only_the_headline(tibet):
    """The budget binds, so measures compete per yuan.  Give good grassland and every degraded-grassland row (the
    all-region one and the steppe prefectures' rows) one soil carbon, and restoring degraded grassland gains only its
    biomass (2.31 − 1.62 t C/ha): the plan restores 1.7 million ha less in 2020–2030 and spends the budget on planting
    shrubs on sandy land and restoring marsh, which the base plan does not do (it plants 4,038 ha of shrubs)."""
    raw = _raw()
    cs = raw.tables["carbon_stocks"]
    degraded = cs["land_use"] == "degraded_grassland"
    soc = float(cs.loc[degraded & cs["region"].isna(), "soc_tC_per_ha"].iloc[0])
    cs.loc[(cs["land_use"] == "grassland") | degraded, "soc_tC_per_ha"] = soc
    res = landopt.optimize(spec_from_raw(raw), backend="highs")
    key = ["from_land_use", "to_land_use", "year"]
    base = tibet.conversions["area_ha"].groupby(level=key).sum()
    conv = res.conversions["area_ha"].groupby(level=key).sum()
    restored = ("degraded_grassland", "grassland")
    assert sum(conv.get((*restored, y), 0.0) for y in (2025, 2030)) < sum(base[(*restored, y)] for y in (2025, 2030)) - 1.5e6

    def total(c, a, b):
        return sum(c.get((a, b, y), 0.0) for y in (2025, 2030, 2035))

    assert total(base, "unused", "wetland") == 0.0 and conv[("unused", "wetland", 2025)] > 10_000
    assert total(conv, "sandy", "forest") > total(base, "sandy", "forest") + 5e4
    assert not np.allclose(res.allocation["area_ha"], tibet.allocation["area_ha"])


def test_flux_accounting_still_available_and_labelled(tibet):
    raw = _raw()
    st = raw.tables["settings"]
    st.loc[st["key"] == "carbon_accounting", "value"] = "flux"
    res = landopt.optimize(spec_from_raw(raw), backend="highs")
    assert res.metadata["carbon_accounting"] == "flux" and res.metadata["objective_unit"] == "t CO2e/yr"
    assert "cumulative_t_co2e" not in res.metadata


def reservoir(new_ch4: float | None):
    """A reservoir of 10 ha by 2030 (``area_bounds`` water ≥ 10), flooded from unused land or marsh; one period
    2020→2030, converted at τ = 2025 and seen a = 5 years later; no soil pools.  unused: biomass 1 t C/ha; marsh:
    biomass 5 t C/ha and 60 kg CH4/ha/yr; water: nothing, lakes emit no counted methane — but land flooded for the
    reservoir emits ``new_ch4`` kg CH4/ha/yr (``carbon_stocks.new_land_ch4_kg_per_ha_yr``, blank = the water's 0).
    GWP 27: γ = 0.027 t CO2e/kg CH4."""
    cols = [*STOCK_COLUMNS, "new_land_ch4_kg_per_ha_yr"]
    stocks = pd.DataFrame([["unused", None, 1.0, 0.0, 0.0, 0, None, 0.0, 0.0, None],
                           ["marsh", None, 5.0, 0.0, 0.0, 0, None, 0.0, 60.0, None],
                           ["water", None, 0.0, 0.0, 0.0, 0, None, 0.0, 0.0, new_ch4]], columns=cols)
    t = stock_tables(
        land_uses=[("unused", "unused"), ("marsh", "wetland"), ("water", "water")],
        baseline={"unused": 30.0, "marsh": 20.0, "water": 0.0}, stocks=[],
        transitions={"from_land_use": ["unused", "marsh"], "to_land_use": ["water", "water"], "allowed": ["yes", "yes"],
                     "max_pct_per_period": [None, None]},
        targets=[], years="2030", area_bounds=[{"region": "A", "land_use": "water", "year": 2030, "min_ha": 10.0}])
    t["carbon_stocks"] = stocks
    return t


@pytest.mark.parametrize("new_ch4, per_ha", [
    # a flooded hectare of unused land: −1 t C of biomass, then 100 kg CH4/yr for 5 years: −11/3 − 0.027·100·5
    (100.0, -11 / 3 - 13.5),
    # blank: the water's own 0 kg CH4/ha/yr (a lake's): the biomass only
    (None, -11 / 3),
])
def test_new_reservoirs_emit_the_flooded_land_methane_lakes_do_not(new_ch4, per_ha):
    """The reservoir goes on unused land either way (the methane of new water is the same whatever was flooded; a
    flooded marsh would lose 5 t C of biomass and stop emitting its own 60 kg: −18.33 + 8.1 per ha, worse).  The
    marsh that stays emits 20 ha × 60 kg × 10 years × 0.027 = 324 t CO2e (the standing constant)."""
    res = run_tables(reservoir(new_ch4))[2]
    assert res.optimal
    assert res.conversions["area_ha"][("A", "unused", "water", 2030)] == pytest.approx(10.0)
    assert res.objective == pytest.approx(10 * per_ha - 324.0, rel=1e-12)
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["area_min[A,water,2030]"] == pytest.approx(per_ha, abs=1e-9)
    acc = res.carbon
    ch4 = 0.0 if new_ch4 is None else new_ch4
    assert acc.loc[("A", 2030, "land_ch4_change"), "cumulative_t_co2e"] == pytest.approx(-10 * 0.027 * ch4 * 5)
    assert acc.loc[("A", 2030, "land_ch4_change"), "t_co2e_per_yr"] == pytest.approx(-10 * 0.027 * ch4)


def test_tibet_counts_the_new_reservoirs_methane(tibet):
    """The shipped reservoirs (12,915 ha by 2035) emit the IPCC flooded-land methane: 92.3 kg CH4/ha/yr (cool
    temperate), 134.2 in Chamdo (weighted); the marsh they flood (if any) stops emitting its own.  In 2035 every scheduled
    reservoir is in service: Chamdo 5,695 ha, Shannan 1,220, Nyingchi 6,000."""
    conv = tibet.conversions["area_ha"]
    into_water = conv[conv.index.get_level_values("to_land_use") == "water"]
    marsh = float(into_water[into_water.index.get_level_values("from_land_use") == "wetland"].sum())
    gwp = 0.028  # t CO2e per kg CH4: AR5's 28 (settings.ch4_gwp, the value of China's transparency reports)
    assert tibet.spec.settings["ch4_gwp"] == 28
    expected = -gwp * (5_695 * 134.2 + (1_220 + 6_000) * 92.3 - 58.7 * marsh)
    got = tibet.carbon.xs((2035, "land_ch4_change"), level=("year", "term"))["t_co2e_per_yr"].sum()
    # the marsh restored by the plan adds its own methane to the same term: take it off
    restored = float(conv[conv.index.get_level_values("to_land_use") == "wetland"].sum())
    assert got == pytest.approx(expected - gwp * 58.7 * restored, rel=1e-9)
