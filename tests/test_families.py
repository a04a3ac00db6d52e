"""One tiny instance per constraint family, with the optimum worked out by hand.

Notation in the comments: k = 44/12 = 3.666… t CO2 per t C; "Σ" is Σ flux·area
over the objective year (t C/yr), so the carbon part of the net sink is −k·Σ.
A shadow price is d(net sink)/d(rhs), t CO2e/yr per unit of the right-hand side.
Source rows are spreadsheet rows: header = row 1, first data row = row 2.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import K, area, assert_binding, con, run_tables, signed_terms, solve_tables, tiny_tables
from landopt.model.families import FAMILIES
from landopt.model.objective import FLUX_TERMS, TERMS

APPROX = dict(rel=1e-9, abs=1e-6)


def approx(v):
    return pytest.approx(v, **APPROX)


def assert_optimal(res):
    assert res.status == "optimal", res.message


# ---------------------------------------------------------------------------
# instances
# ---------------------------------------------------------------------------

def urban_tables(**over):
    """crop .4, forest -.6, urban 10, rural 12, unused 0; baseline 40/20/10/10/20 = 100 ha."""
    t = dict(
        land_uses={"land_use": ["crop", "forest", "urban", "rural", "unused"],
                   "role": ["cropland", "forest", "urban", "rural", "unused"],
                   "carbon_flux_tC_per_ha_yr": [0.4, -0.6, 10.0, 12.0, 0.0]},
        baseline={"region": ["A"] * 5, "land_use": ["crop", "forest", "urban", "rural", "unused"],
                  "area_ha": [40.0, 20.0, 10.0, 10.0, 20.0]},
        transitions={"from_land_use": ["crop", "unused", "rural"], "to_land_use": ["forest", "forest", "urban"],
                     "allowed": ["yes"] * 3, "max_pct_per_period": [None] * 3},
        targets=[{"region": "A", "year": 2030, "cropland_min_ha": 30.0, "urban_boundary_ha": 15.0}],
    )
    t.update(over)
    return tiny_tables(**t)


def grazing_tables(**over):
    """grass (-0.2) 60 ha, forest (-0.6) 40 ha; grass→forest; capacity Y·u/I = 2628·0.5/657 = 2 SU/ha.

    CH4: 10 kg/SU/yr × GWP 27 / 1000 = 0.27 t CO2e per SU.  no_net_loss = no (no implied floors).
    """
    g = {"region": "A", "year": 2030, "forage_yield_kg_per_ha": 2628.0, "utilisation_rate": 0.5,
         "intake_kg_per_su_yr": 657.0, "rest_min_ha": None, "livestock_min_su": 80.0, "ch4_kg_per_su_yr": 10.0}
    g.update(over.pop("grazing_row", {}))
    t = dict(
        settings={"no_net_loss": "no", **over.pop("settings", {})},
        land_uses={"land_use": ["grass", "forest"], "role": ["grassland", "forest"],
                   "carbon_flux_tC_per_ha_yr": [-0.2, -0.6]},
        regions={"region": ["A"], "total_area_ha": [100.0]},
        baseline={"region": ["A", "A"], "land_use": ["grass", "forest"], "area_ha": [60.0, 40.0]},
        transitions={"from_land_use": ["grass"], "to_land_use": ["forest"], "allowed": ["yes"],
                     "max_pct_per_period": [None]},
        targets=[],
        grazing=[g],
    )
    t.update(over)
    return tiny_tables(**t)


def energy_tables(energy_row, targets_row=None, **over):
    """crop .4, forest -.6, urban 10, unused 0, pv -.1; baseline 40/20/10/30/0; unused→pv allowed."""
    target = {"region": "A", "year": 2030, "cropland_min_ha": 30.0}
    target.update(targets_row or {})
    e = {"region": "A", "year": 2030}
    e.update(energy_row)
    t = dict(
        land_uses={"land_use": ["crop", "forest", "urban", "unused", "pv"],
                   "role": ["cropland", "forest", "urban", "unused", "pv"],
                   "carbon_flux_tC_per_ha_yr": [0.4, -0.6, 10.0, 0.0, -0.1]},
        baseline={"region": ["A"] * 5, "land_use": ["crop", "forest", "urban", "unused", "pv"],
                  "area_ha": [40.0, 20.0, 10.0, 30.0, 0.0]},
        transitions={"from_land_use": ["crop", "unused", "unused"], "to_land_use": ["forest", "forest", "pv"],
                     "allowed": ["yes"] * 3, "max_pct_per_period": [None] * 3},
        targets=[target],
        energy=[e],
    )
    t.update(over)
    return tiny_tables(**t)


def eco_tables(target, **over):
    """crop .4, forest -.6, wetland -.4, grass -.2, urban 10, unused 0; baseline 30/20/10/20/10/10.

    unused may become forest, wetland or grass; no_net_loss = no unless overridden.
    Constant part of Σ: crop 0.4·30 + urban 10·10 = 112.
    """
    t = dict(
        settings={"no_net_loss": "no", **over.pop("settings", {})},
        land_uses={"land_use": ["crop", "forest", "wetland", "grass", "urban", "unused"],
                   "role": ["cropland", "forest", "wetland", "grassland", "urban", "unused"],
                   "carbon_flux_tC_per_ha_yr": [0.4, -0.6, -0.4, -0.2, 10.0, 0.0]},
        baseline={"region": ["A"] * 6, "land_use": ["crop", "forest", "wetland", "grass", "urban", "unused"],
                  "area_ha": [30.0, 20.0, 10.0, 20.0, 10.0, 10.0]},
        transitions={"from_land_use": ["unused", "unused", "unused"], "to_land_use": ["forest", "wetland", "grass"],
                     "allowed": ["yes"] * 3, "max_pct_per_period": [None] * 3},
        targets=[{"region": "A", "year": 2030, **target}],
    )
    t.update(over)
    return tiny_tables(**t)


WETLAND_STRONG = {"region": ["A"], "land_use": ["wetland"], "carbon_flux_tC_per_ha_yr": [-1.0]}


# ---------------------------------------------------------------------------
# area balance
# ---------------------------------------------------------------------------

def test_area_total_and_stock_flow():
    # Default instance.  crop→forest gains (0.4+0.6)k per ha, unused→forest 0.6k per ha, so
    # crop falls to its red line 30 (10 ha → forest) and all 30 ha unused → forest:
    #   crop 30, forest 20+10+30 = 60, urban 10, unused 0   (30+60+10+0 = 100 = region total)
    #   Σ = 0.4·30 − 0.6·60 + 10·10 = 12 − 36 + 100 = 76  → net sink = −76k = −278.667
    tables = tiny_tables()
    lm, out, res = run_tables(tables)
    assert_optimal(res)
    assert res.objective == approx(-76 * K)
    assert res.objective == approx(-278.66666666666667)
    for lu, v in {"crop": 30, "forest": 60, "urban": 10, "unused": 0}.items():
        assert area(res, "A", lu, 2030) == approx(v)
    # stock_flow: forest 2030 = baseline 20 + inflows (crop→forest 10, unused→forest 30)
    conv = res.conversions["area_ha"]
    assert conv[("A", "crop", "forest", 2030)] == approx(10)
    assert conv[("A", "unused", "forest", 2030)] == approx(30)

    # both are equalities, traced to their input cells
    tot = con(res, "area_total[A,2030]")
    assert (tot["sense"], tot["sheet"], int(tot["row"]), tot["column"]) == ("==", "regions", 2, "total_area_ha")
    assert tot["rhs"] == approx(100) and tot["activity"] == approx(100)
    rows = {"crop": 2, "forest": 3, "urban": 4, "unused": 5}
    for lu, r in rows.items():
        sf = con(res, f"stock_flow[A,{lu},2030]")
        assert (sf["sense"], sf["sheet"], int(sf["row"]), sf["column"]) == ("==", "baseline", r, "area_ha")
        assert sf["activity"] == approx(sf["rhs"])
    # area_total is implied by the stock_flow rows, so each dual alone is not unique; what is
    # unique is the value of one more baseline hectare of land use l, which raises both the
    # stock_flow[l] rhs and the area_total rhs by 1:
    #   urban: no conversion away from urban, the hectare stays urban: −10k = −36.667
    #   crop, forest, unused: the hectare ends as forest (red line already met): +0.6k = +2.2
    dual = res.constraints.set_index("label")["shadow_price"]
    expected = {"urban": -10 * K, "crop": 0.6 * K, "forest": 0.6 * K, "unused": 0.6 * K}
    for lu, v in expected.items():
        assert dual[f"stock_flow[A,{lu},2030]"] + dual["area_total[A,2030]"] == approx(v)
    # so at least one of the two rows carries a non-zero dual and is reported binding
    assert con(res, "area_total[A,2030]")["binding"] or con(res, "stock_flow[A,urban,2030]")["binding"]
    # accounting identities are not policy levers
    assert not res.constraints.loc[res.constraints["constraint"].isin(["area_total", "stock_flow"]), "policy"].any()

    # finite difference: one more ha of baseline urban (and of the region total) → −10k
    t2 = tiny_tables(baseline={"region": ["A"] * 4, "land_use": ["crop", "forest", "urban", "unused"],
                               "area_ha": [40.0, 20.0, 11.0, 30.0]},
                     regions={"region": ["A"], "total_area_ha": [101.0]})
    assert solve_tables(t2).objective - res.objective == approx(-10 * K)


# ---------------------------------------------------------------------------
# transitions
# ---------------------------------------------------------------------------

def test_conversion_rate():
    # crop→forest at most 10 % and unused→forest at most 50 % of the baseline area per period:
    #   crop→forest ≤ 0.10·40 = 4, unused→forest ≤ 0.50·30 = 15 (both worth converting, both bind)
    #   crop 36 (red line 30 not binding), forest 20+4+15 = 39, urban 10, unused 15
    #   Σ = 0.4·36 − 0.6·39 + 100 = 14.4 − 23.4 + 100 = 91 → net sink −91k = −333.667
    # Shadow prices (per ha of allowed conversion):
    #   crop→forest: one more ha converted = (0.4+0.6)k = 3.6667;  unused→forest: 0.6k = 2.2
    res = solve_tables(tiny_tables(
        transitions={"from_land_use": ["crop", "unused"], "to_land_use": ["forest", "forest"],
                     "allowed": ["yes", "yes"], "max_pct_per_period": [10.0, 50.0]}))
    assert_optimal(res)
    assert res.objective == approx(-91 * K)
    assert res.objective == approx(-333.6666666666667)
    assert area(res, "A", "crop", 2030) == approx(36)
    assert area(res, "A", "forest", 2030) == approx(39)
    assert area(res, "A", "unused", 2030) == approx(15)
    assert_binding(res, "conversion_rate[A,crop,forest,2030]", "transitions", 2, "max_pct_per_period",
                   shadow_price=K, rhs=4.0)
    assert_binding(res, "conversion_rate[A,unused,forest,2030]", "transitions", 3, "max_pct_per_period",
                   shadow_price=0.6 * K, rhs=15.0)
    assert not con(res, "cropland_protection[A,2030]")["binding"]


def test_afforestation_limit():
    # At most 12 ha of unused land is suitable for afforestation:
    #   crop 30 (10 ha → forest; crop→forest does not count), unused→forest 12
    #   forest 20+10+12 = 42, unused 30−12 = 18, urban 10
    #   Σ = 0.4·30 − 0.6·42 + 100 = 12 − 25.2 + 100 = 86.8 → −86.8k = −318.267
    # Shadow prices: afforestation_limit one more ha unused→forest = +0.6k = 2.2;
    #   cropland_protection one more ha of crop instead of forest = −(0.4+0.6)k = −3.667
    res = solve_tables(tiny_tables(targets=[{"region": "A", "year": 2030, "cropland_min_ha": 30.0,
                                             "afforestation_potential_ha": 12.0}]))
    assert_optimal(res)
    assert res.objective == approx(-86.8 * K)
    assert res.objective == approx(-318.26666666666665)
    assert area(res, "A", "forest", 2030) == approx(42)
    assert area(res, "A", "unused", 2030) == approx(18)
    assert res.conversions["area_ha"][("A", "unused", "forest", 2030)] == approx(12)
    assert_binding(res, "afforestation_limit[A,2030]", "targets", 2, "afforestation_potential_ha",
                   shadow_price=0.6 * K, rhs=12.0)
    assert_binding(res, "cropland_protection[A,2030]", "targets", 2, "cropland_min_ha", shadow_price=-K)


# ---------------------------------------------------------------------------
# cropland
# ---------------------------------------------------------------------------

def test_cropland_protection():
    # Default instance (see test_area_total_and_stock_flow): crop falls to the red line 30.
    #   net sink −76k = −278.667; one more ha of red line keeps a ha of crop instead of forest:
    #   shadow price = −(0.4 + 0.6)k = −3.667 t CO2e/yr per ha
    res = solve_tables(tiny_tables())
    assert_optimal(res)
    assert res.objective == approx(-278.66666666666667)
    assert area(res, "A", "crop", 2030) == approx(30)
    r = assert_binding(res, "cropland_protection[A,2030]", "targets", 2, "cropland_min_ha",
                       shadow_price=-K, rhs=30.0)
    assert r["shadow_price"] == approx(-3.6666666666666665)
    assert r["sense"] == ">=" and r["policy"]


def test_cropland_protection_row_traced_on_second_region():
    # Two identical regions; the red line of region B is on targets row 3.
    # B's red line 35: crop 35, forest 20+5+30 = 55: Σ_B = 14 − 33 + 100 = 81; A as default: Σ_A = 76
    #   net sink = −(76 + 81)k = −157k = −575.667
    t = tiny_tables(
        regions={"region": ["A", "B"], "total_area_ha": [100.0, 100.0]},
        baseline={"region": ["A"] * 4 + ["B"] * 4, "land_use": ["crop", "forest", "urban", "unused"] * 2,
                  "area_ha": [40.0, 20.0, 10.0, 30.0] * 2},
        targets=[{"region": "A", "year": 2030, "cropland_min_ha": 30.0},
                 {"region": "B", "year": 2030, "cropland_min_ha": 35.0}])
    res = solve_tables(t)
    assert res.objective == approx(-157 * K)
    assert area(res, "B", "crop", 2030) == approx(35)
    assert_binding(res, "cropland_protection[B,2030]", "targets", 3, "cropland_min_ha", shadow_price=-K, rhs=35.0)
    assert_binding(res, "cropland_protection[A,2030]", "targets", 2, "cropland_min_ha", shadow_price=-K, rhs=30.0)


# ---------------------------------------------------------------------------
# urban
# ---------------------------------------------------------------------------

def test_urban_boundary():
    # Rural settlements (12 t C/ha/yr) may become urban land (10): each ha saves 2k, so urban grows
    # until the boundary 15 ha: rural→urban 5.
    #   crop 30, forest 20+10+20 = 50, urban 15, rural 5, unused 0 (sum 100)
    #   Σ = 0.4·30 − 0.6·50 + 10·15 + 12·5 = 12 − 30 + 150 + 60 = 192 → −192k = −704
    # Shadow price of the boundary: one more ha of rural→urban = (12 − 10)k = 7.333
    res = solve_tables(urban_tables())
    assert_optimal(res)
    assert res.objective == approx(-704.0)
    assert area(res, "A", "urban", 2030) == approx(15)
    assert area(res, "A", "rural", 2030) == approx(5)
    assert area(res, "A", "forest", 2030) == approx(50)
    assert_binding(res, "urban_boundary[A,2030]", "targets", 2, "urban_boundary_ha", shadow_price=2 * K, rhs=15.0)
    # construction emissions term: k·(10·15 + 12·5) = 210k = 770, an emission: −770 in the signed terms
    assert res.terms["construction_emissions"] == approx(-770.0)
    assert res.terms["sequestration"] == approx(-(12 - 30) * K)


def test_urban_demand():
    # 1 500 urban residents × 100 m²/person / 10 000 = 15 ha of urban land (baseline 10), taken from
    # unused land (unused→urban allowed), which would otherwise become forest.
    #   crop 30, urban 15, forest 20+10+25 = 55, unused 0
    #   Σ = 12 − 0.6·55 + 10·15 = 12 − 33 + 150 = 129 → −129k = −473
    # Shadow price per ha of demand: the ha is urban (+10) instead of forest (−0.6): −10.6k = −38.867
    res = solve_tables(tiny_tables(
        transitions={"from_land_use": ["crop", "unused", "unused"], "to_land_use": ["forest", "forest", "urban"],
                     "allowed": ["yes"] * 3, "max_pct_per_period": [None] * 3},
        targets=[{"region": "A", "year": 2030, "cropland_min_ha": 30.0, "urban_population": 1500.0,
                  "urban_land_per_capita_m2": 100.0}]))
    assert_optimal(res)
    assert res.objective == approx(-473.0)
    assert area(res, "A", "urban", 2030) == approx(15)
    assert area(res, "A", "forest", 2030) == approx(55)
    assert_binding(res, "urban_demand[A,2030]", "targets", 2, "urban_population", shadow_price=-10.6 * K, rhs=15.0)


# ---------------------------------------------------------------------------
# grazing
# ---------------------------------------------------------------------------

def test_grazing_capacity():
    # Livestock floor 80 SU at 2 SU/ha needs 40 ha grazed; the rest of the grass goes to forest.
    #   livestock 80, grazed 40, rested 0, grass 40, forest 60
    #   carbon: −k(−0.2·40 − 0.6·60) = 44k = 161.333; CH4: 80·0.27 = 21.6
    #   net sink = 161.333 − 21.6 = 139.733
    # Shadow price of grazing_capacity (rhs 0: s − 2g ≤ 0): one more SU of capacity frees 1/2 ha of
    # grass for forest: 0.5·(0.6 − 0.2)k = 0.2k = 0.7333 per SU
    res = solve_tables(grazing_tables())
    assert_optimal(res)
    assert res.objective == approx(44 * K - 21.6)
    assert res.objective == approx(139.73333333333333)
    g = res.grazing.loc[("A", 2030)]
    assert g["livestock_su"] == approx(80)
    assert g["grazed_ha"] == approx(40)
    assert g["rested_ha"] == approx(0)
    assert g["capacity_su"] == approx(80)
    assert area(res, "A", "grass", 2030) == approx(40)
    assert area(res, "A", "forest", 2030) == approx(60)
    r = assert_binding(res, "grazing_capacity[A,2030]", "grazing", 2, "forage_yield_kg_per_ha",
                       shadow_price=0.2 * K, rhs=0.0)
    # as a planner states it: the herd (80 SU) at most the capacity of the grazed grass (2 SU/ha × 40 ha = 80 SU)
    assert (r["value"], r["limit"]) == (approx(80), approx(80))
    assert res.terms["livestock_ch4"] == approx(-21.6)  # an emission: negative


def test_grazing_rest():
    # As test_grazing_capacity plus at least 10 ha under grazing ban/rest:
    #   grass = grazed 40 + rested 10 = 50, forest 50
    #   carbon: −k(−0.2·50 − 0.6·50) = 40k = 146.667; CH4 21.6 → net sink 125.067
    # Shadow price: one more ha rested keeps a ha of grass instead of forest: −0.4k = −1.4667
    res = solve_tables(grazing_tables(grazing_row={"rest_min_ha": 10.0}))
    assert_optimal(res)
    assert res.objective == approx(40 * K - 21.6)
    assert res.objective == approx(125.06666666666666)
    g = res.grazing.loc[("A", 2030)]
    assert (g["livestock_su"], g["grazed_ha"], g["rested_ha"]) == (approx(80), approx(40), approx(10))
    assert area(res, "A", "grass", 2030) == approx(50)
    assert_binding(res, "grazing_rest[A,2030]", "grazing", 2, "rest_min_ha", shadow_price=-0.4 * K, rhs=10.0)


def test_livestock_floor():
    # Livestock floor 100 SU: grazed 50 ha, grass 50, forest 50
    #   carbon 40k = 146.667; CH4 100·0.27 = 27 → net sink 119.667
    # Shadow price: one more SU costs its methane 0.27 and half a ha of grass instead of forest
    #   (0.5·0.4k = 0.7333): −1.00333 per SU
    res = solve_tables(grazing_tables(grazing_row={"livestock_min_su": 100.0}))
    assert_optimal(res)
    assert res.objective == approx(40 * K - 27.0)
    assert res.objective == approx(119.66666666666667)
    g = res.grazing.loc[("A", 2030)]
    assert (g["livestock_su"], g["grazed_ha"]) == (approx(100), approx(50))
    assert g["ch4_t_co2e_per_yr"] == approx(27.0)
    assert_binding(res, "livestock_floor[A,2030]", "grazing", 2, "livestock_min_su",
                   shadow_price=-(0.27 + 0.2 * K), rhs=100.0)
    assert_binding(res, "grazing_capacity[A,2030]", "grazing", 2, "forage_yield_kg_per_ha", shadow_price=0.2 * K)


# ---------------------------------------------------------------------------
# energy
# ---------------------------------------------------------------------------

def test_pv_suitability():
    # PV (−0.1) beats idle unused land (0) once the 10 ha of afforestation potential are used up;
    # PV is limited to the 8 suitable ha:
    #   crop 30 (10 → forest), unused→forest 10 (afforestation potential), unused→pv 8
    #   forest 20+10+10 = 40, pv 8, unused 30−10−8 = 12, urban 10
    #   Σ = 0.4·30 − 0.6·40 + 10·10 + 0·12 − 0.1·8 = 12 − 24 + 100 − 0.8 = 87.2 → −87.2k = −319.733
    # Shadow prices: pv_suitability +0.1k = 0.36667; afforestation_limit +0.6k = 2.2
    res = solve_tables(energy_tables({"pv_suitable_ha": 8.0, "pv_mw_per_ha": 0.5},
                                     {"afforestation_potential_ha": 10.0}))
    assert_optimal(res)
    assert res.objective == approx(-87.2 * K)
    assert res.objective == approx(-319.73333333333335)
    assert area(res, "A", "pv", 2030) == approx(8)
    assert area(res, "A", "unused", 2030) == approx(12)
    assert res.energy.loc[("A", 2030), "pv_mw"] == approx(4.0)
    assert_binding(res, "pv_suitability[A,2030]", "energy", 2, "pv_suitable_ha", shadow_price=0.1 * K, rhs=8.0)
    assert_binding(res, "afforestation_limit[A,2030]", "targets", 2, "afforestation_potential_ha",
                   shadow_price=0.6 * K)


def test_clean_capacity():
    # Clean capacity target 10 MW, 6 MW of other clean capacity: PV must give 4 MW = 8 ha at 0.5 MW/ha.
    # PV (−0.1) takes unused land that would otherwise be forest (−0.6):
    #   crop 30, pv 8, forest 20+10+22 = 52, unused 0, urban 10
    #   Σ = 12 − 0.6·52 + 100 − 0.1·8 = 12 − 31.2 + 100 − 0.8 = 80 → −80k = −293.333
    # Shadow price per MW: 2 ha of PV instead of forest: 2·(−0.6 − (−0.1))·k = −k = −3.6667
    # (row rhs = 10 − 6 = 4 MW, traced to clean_capacity_min_mw)
    res = solve_tables(energy_tables({"pv_mw_per_ha": 0.5, "clean_capacity_min_mw": 10.0,
                                      "other_clean_capacity_mw": 6.0}))
    assert_optimal(res)
    assert res.objective == approx(-80 * K)
    assert res.objective == approx(-293.3333333333333)
    assert area(res, "A", "pv", 2030) == approx(8)
    assert area(res, "A", "forest", 2030) == approx(52)
    e = res.energy.loc[("A", 2030)]
    assert (e["pv_mw"], e["clean_mw"], e["target_mw"]) == (approx(4), approx(10), approx(10))
    assert_binding(res, "clean_capacity[A,2030]", "energy", 2, "clean_capacity_min_mw", shadow_price=-K, rhs=4.0)


# ---------------------------------------------------------------------------
# ecological floors
# ---------------------------------------------------------------------------

def test_forest_floor():
    # Wetland in region A sinks 1.0 t C/ha/yr (carbon_by_region), more than forest (0.6), so
    # unused land (10 ha) would all become wetland; the forest floor 24 takes 4 ha of it:
    #   forest 24, wetland 10+6 = 16, grass 20, unused 0
    #   Σ = 112 − 0.6·24 − 1.0·16 − 0.2·20 = 112 − 14.4 − 16 − 4 = 77.6 → −77.6k = −284.533
    # Shadow price: one more ha of forest instead of wetland: −(1.0 − 0.6)k = −0.4k = −1.4667
    res = solve_tables(eco_tables({"forest_min_ha": 24.0}, carbon_by_region=WETLAND_STRONG))
    assert_optimal(res)
    assert res.objective == approx(-77.6 * K)
    assert res.objective == approx(-284.53333333333336)
    assert area(res, "A", "forest", 2030) == approx(24)
    assert area(res, "A", "wetland", 2030) == approx(16)
    assert_binding(res, "forest_floor[A,2030]", "targets", 2, "forest_min_ha", shadow_price=-0.4 * K, rhs=24.0)


def test_forest_floor_no_net_loss():
    # Forest may also turn into wetland (forest→wetland allowed), which pays 0.4k per ha.  With
    # no_net_loss = yes and forest_min_ha blank, forest is held at its baseline 20:
    #   forest 20, wetland 10+10 = 20, grass 20 → Σ = 112 − 12 − 20 − 4 = 76 → −76k = −278.667
    # shadow price −0.4k; the floor is traced to the baseline (no net loss).
    # With no_net_loss = no all forest becomes wetland: wetland 40:
    #   Σ = 112 − 40 − 4 = 68 → −68k = −249.333
    tr = {"from_land_use": ["unused", "unused", "unused", "forest"],
          "to_land_use": ["forest", "wetland", "grass", "wetland"],
          "allowed": ["yes"] * 4, "max_pct_per_period": [None] * 4}
    res = solve_tables(eco_tables({"cropland_min_ha": 30.0}, carbon_by_region=WETLAND_STRONG, transitions=tr,
                                  settings={"no_net_loss": "yes"}))
    assert_optimal(res)
    assert res.objective == approx(-76 * K)
    assert area(res, "A", "forest", 2030) == approx(20)
    assert area(res, "A", "wetland", 2030) == approx(20)
    r = con(res, "forest_floor[A,2030]")
    assert r["binding"] and (r["sheet"], r["column"]) == ("baseline", "area_ha (no net loss)")
    assert r["rhs"] == approx(20) and r["shadow_price"] == approx(-0.4 * K)
    # implied floors exist for wetland and grassland too (baseline 10 and 20)
    assert con(res, "wetland_floor[A,2030]")["rhs"] == approx(10)
    assert con(res, "grassland_floor[A,2030]")["rhs"] == approx(20)

    off = solve_tables(eco_tables({"cropland_min_ha": 30.0}, carbon_by_region=WETLAND_STRONG, transitions=tr))
    assert off.objective == approx(-68 * K)
    assert area(off, "A", "forest", 2030) == approx(0)
    assert not off.constraints["constraint"].isin(["forest_floor", "wetland_floor", "grassland_floor"]).any()


def test_wetland_floor():
    # Forest (−0.6) beats wetland (−0.4), so unused land becomes forest, except the 3 ha needed to
    # lift wetland to its floor 13:
    #   forest 20+7 = 27, wetland 13, grass 20
    #   Σ = 112 − 0.6·27 − 0.4·13 − 0.2·20 = 112 − 16.2 − 5.2 − 4 = 86.6 → −86.6k = −317.533
    # Shadow price: a ha of wetland instead of forest: −(0.6 − 0.4)k = −0.2k = −0.7333
    res = solve_tables(eco_tables({"wetland_min_ha": 13.0}))
    assert_optimal(res)
    assert res.objective == approx(-86.6 * K)
    assert res.objective == approx(-317.5333333333333)
    assert area(res, "A", "wetland", 2030) == approx(13)
    assert area(res, "A", "forest", 2030) == approx(27)
    assert_binding(res, "wetland_floor[A,2030]", "targets", 2, "wetland_min_ha", shadow_price=-0.2 * K, rhs=13.0)


def test_grassland_floor():
    # Basic grassland floor 25 (baseline 20): 5 ha of unused land become grass, 5 forest:
    #   forest 25, wetland 10, grass 25
    #   Σ = 112 − 0.6·25 − 0.4·10 − 0.2·25 = 112 − 15 − 4 − 5 = 88 → −88k = −322.667
    # Shadow price: a ha of grass instead of forest: −(0.6 − 0.2)k = −0.4k = −1.4667
    res = solve_tables(eco_tables({"grassland_min_ha": 25.0}))
    assert_optimal(res)
    assert res.objective == approx(-88 * K)
    assert res.objective == approx(-322.6666666666667)
    assert area(res, "A", "grass", 2030) == approx(25)
    assert area(res, "A", "forest", 2030) == approx(25)
    assert_binding(res, "grassland_floor[A,2030]", "targets", 2, "grassland_min_ha",
                   shadow_price=-0.4 * K, rhs=25.0)


# ---------------------------------------------------------------------------
# area bounds
# ---------------------------------------------------------------------------

def test_area_min():
    # Crop at least 35 (area_bounds row 2): crop 35, forest 20+5+30 = 55, unused 0
    #   Σ = 0.4·35 − 0.6·55 + 100 = 14 − 33 + 100 = 81 → −81k = −297
    # The red line 30 is then slack; shadow price of area_min = −(0.4 + 0.6)k = −3.6667
    res = solve_tables(tiny_tables(area_bounds=[{"region": "A", "land_use": "crop", "year": 2030,
                                                 "min_ha": 35.0, "max_ha": None}]))
    assert_optimal(res)
    assert res.objective == approx(-81 * K)
    assert res.objective == approx(-297.0)
    assert area(res, "A", "crop", 2030) == approx(35)
    assert area(res, "A", "forest", 2030) == approx(55)
    assert_binding(res, "area_min[A,crop,2030]", "area_bounds", 2, "min_ha", shadow_price=-K, rhs=35.0)
    assert not con(res, "cropland_protection[A,2030]")["binding"]
    assert not (res.constraints["constraint"] == "area_max").any()  # blank max_ha → no row


def test_area_max():
    # Forest at most 45 (area_bounds row 3; row 2 bounds urban and is slack):
    #   forest gains 25 ha: crop→forest first (worth k per ha) down to the red line (10 ha), then
    #   unused→forest 15 (worth 0.6k per ha)
    #   crop 30, forest 45, unused 15, urban 10
    #   Σ = 12 − 0.6·45 + 100 = 12 − 27 + 100 = 85 → −85k = −311.667
    # Shadow prices: area_max one more ha of forest from unused: +0.6k = 2.2
    #   cropland_protection: red line 31 → crop 31, forest still 45 (one more ha comes from unused),
    #   unused 14: Σ = 0.4·31 − 27 + 100 = 85.4, i.e. +0.4 → shadow price −0.4k = −1.4667
    res = solve_tables(tiny_tables(area_bounds=[
        {"region": "A", "land_use": "urban", "year": 2030, "min_ha": None, "max_ha": 50.0},
        {"region": "A", "land_use": "forest", "year": 2030, "min_ha": None, "max_ha": 45.0}]))
    assert_optimal(res)
    assert res.objective == approx(-85 * K)
    assert res.objective == approx(-311.6666666666667)
    assert area(res, "A", "forest", 2030) == approx(45)
    assert area(res, "A", "unused", 2030) == approx(15)
    assert_binding(res, "area_max[A,forest,2030]", "area_bounds", 3, "max_ha", shadow_price=0.6 * K, rhs=45.0)
    assert_binding(res, "cropland_protection[A,2030]", "targets", 2, "cropland_min_ha", shadow_price=-0.4 * K)
    assert not con(res, "area_max[A,urban,2030]")["binding"]


# ---------------------------------------------------------------------------
# dynamics over two milestones
# ---------------------------------------------------------------------------

def two_milestones(**settings):
    return tiny_tables(
        settings={"milestone_years": "2025,2030", **settings},
        transitions={"from_land_use": ["crop", "unused"], "to_land_use": ["forest", "forest"],
                     "allowed": ["yes", "yes"], "max_pct_per_period": [10.0, 50.0]},
        targets=[])


def test_two_milestones_dynamics():
    # Rates apply to the area at the start of each period.  Objective: target year 2030 only.
    #   crop→forest: a1 ≤ 0.1·40 = 4 (2025), a2 ≤ 0.1·(40 − a1) (2030) → a1 + a2 ≤ 4 + 0.9·a1, max at a1 = 4:
    #     a1 = 4, a2 = 3.6, crop 2025 = 36, crop 2030 = 32.4
    #   unused→forest: b1 ≤ 0.5·30 = 15, b2 ≤ 0.5·(30 − b1) → b1 = 15, b2 = 7.5: unused 15 then 7.5
    #   forest 2025 = 20 + 4 + 15 = 39, forest 2030 = 39 + 3.6 + 7.5 = 50.1
    #   Σ2030 = 0.4·32.4 − 0.6·50.1 + 100 = 12.96 − 30.06 + 100 = 82.9 → −82.9k = −303.967
    # Shadow prices (rhs of the 2030 rows is 0: y − share·x[2025] ≤ 0):
    #   conversion_rate[crop→forest,2030]: +1 ha converted by 2030: (0.4+0.6)k = 3.6667
    #   conversion_rate[crop→forest,2025] (rhs 4): +1 ha in 2025 lowers the 2030 limit by 0.1:
    #     net +0.9 ha converted by 2030: 0.9k = 3.3
    #   conversion_rate[unused→forest,2030]: 0.6k = 2.2
    #   conversion_rate[unused→forest,2025] (rhs 15): net +0.5 ha: 0.5·0.6k = 1.1
    res = solve_tables(two_milestones())
    assert_optimal(res)
    assert res.objective == approx(-82.9 * K)
    assert res.objective == approx(-303.96666666666664)
    exp = {("crop", 2025): 36, ("crop", 2030): 32.4, ("unused", 2025): 15, ("unused", 2030): 7.5,
           ("forest", 2025): 39, ("forest", 2030): 50.1, ("urban", 2025): 10, ("urban", 2030): 10}
    for (lu, y), v in exp.items():
        assert area(res, "A", lu, y) == approx(v), (lu, y)
    conv = res.conversions["area_ha"]
    assert conv[("A", "crop", "forest", 2025)] == approx(4)
    assert conv[("A", "crop", "forest", 2030)] == approx(3.6)
    assert conv[("A", "unused", "forest", 2030)] == approx(7.5)
    # stock_flow rows: rhs is the baseline at the first milestone and 0 later, both traced to baseline row 3
    sf25, sf30 = con(res, "stock_flow[A,forest,2025]"), con(res, "stock_flow[A,forest,2030]")
    assert (sf25["rhs"], sf30["rhs"]) == (approx(20), approx(0))
    assert (sf30["sheet"], int(sf30["row"]), sf30["column"]) == ("baseline", 3, "area_ha")
    assert con(res, "area_total[A,2025]")["activity"] == approx(100)
    assert_binding(res, "conversion_rate[A,crop,forest,2030]", "transitions", 2, "max_pct_per_period",
                   shadow_price=K, rhs=0.0)
    assert_binding(res, "conversion_rate[A,crop,forest,2025]", "transitions", 2, "max_pct_per_period",
                   shadow_price=0.9 * K, rhs=4.0)
    assert_binding(res, "conversion_rate[A,unused,forest,2030]", "transitions", 3, "max_pct_per_period",
                   shadow_price=0.6 * K, rhs=0.0)
    assert_binding(res, "conversion_rate[A,unused,forest,2025]", "transitions", 3, "max_pct_per_period",
                   shadow_price=0.5 * 0.6 * K, rhs=15.0)
    # the requirement as a planner states it: the 2030 limit is share × the 2025 area (0.1 · 36 = 3.6 ha of crop,
    # 0.5 · 15 = 7.5 ha of unused), the value the area converted; the 2025 rows' limit is their rhs
    for label, limit, value in [("conversion_rate[A,crop,forest,2030]", 3.6, 3.6),
                                ("conversion_rate[A,unused,forest,2030]", 7.5, 7.5),
                                ("conversion_rate[A,crop,forest,2025]", 4.0, 4.0)]:
        c = con(res, label)
        assert (c["limit"], c["value"], c["activity"]) == (approx(limit), approx(value),
                                                           approx(value - limit + c["rhs"]))
        assert c["land_use"] == label.split(",")[1] + "→forest"
    assert con(res, "conversion_rate[A,crop,forest,2030]")["meaning"] == (
        "One more ha of allowed conversion in A crop→forest (2030) changes the net sink by +3.667 t CO2e/yr")
    # a requirement whose limit is a number: limit = rhs, value = activity
    sf = con(res, "area_total[A,2030]")
    assert (sf["limit"], sf["value"]) == (sf["rhs"], sf["activity"])
    # the carbon account covers both years; the objective counts 2030 only
    assert res.carbon.loc[("A", 2025, "net_sink"), "t_co2e_per_yr"] == approx(-91 * K)
    assert res.carbon.loc[("A", 2030, "net_sink"), "t_co2e_per_yr"] == approx(res.objective)


def test_afforestation_limit_is_cumulative():
    # Two milestones, no rate limits, afforestation potential 12 ha by 2025 and 20 ha by 2030
    # (cumulative).  Objective 'all': Σ over 2025 and 2030.
    #   2025: crop 30 (red line 30 in both years), unused→forest 12: forest 20+10+12 = 42, unused 18
    #     Σ2025 = 12 − 25.2 + 100 = 86.8
    #   2030: a further 8 ha: forest 50, unused 10: Σ2030 = 12 − 30 + 100 = 82
    #   net sink = −(86.8 + 82)k = −168.8k = −618.933
    # Shadow prices: afforestation_limit[2030] +0.6k (2030 only) = 2.2;
    #   afforestation_limit[2025]: one more ha in 2025 only moves a ha earlier (2030 cap unchanged):
    #   +0.6k = 2.2 for the 2025 year
    res = solve_tables(tiny_tables(
        settings={"milestone_years": "2025,2030", "objective_years": "all"},
        targets=[{"region": "A", "year": 2025, "cropland_min_ha": 30.0, "afforestation_potential_ha": 12.0},
                 {"region": "A", "year": 2030, "cropland_min_ha": 30.0, "afforestation_potential_ha": 20.0}]))
    assert_optimal(res)
    assert res.objective == approx(-168.8 * K)
    assert area(res, "A", "forest", 2025) == approx(42)
    assert area(res, "A", "forest", 2030) == approx(50)
    assert_binding(res, "afforestation_limit[A,2025]", "targets", 2, "afforestation_potential_ha",
                   shadow_price=0.6 * K, rhs=12.0)
    assert_binding(res, "afforestation_limit[A,2030]", "targets", 3, "afforestation_potential_ha",
                   shadow_price=0.6 * K, rhs=20.0)


# ---------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------

def test_objective_years_all_sums_milestones():
    # Same plan as test_two_milestones_dynamics (maximising 2025 also maximises 2030 here):
    #   Σ2025 = 0.4·36 − 0.6·39 + 100 = 14.4 − 23.4 + 100 = 91; Σ2030 = 82.9
    #   net sink = −(91 + 82.9)k = −173.9k = −637.633
    # conversion_rate[crop→forest,2025] now pays in both years: k (2025) + 0.9k (2030) = 1.9k = 6.9667
    target = solve_tables(two_milestones())
    res = solve_tables(two_milestones(objective_years="all"))
    assert_optimal(res)
    assert res.objective == approx(-173.9 * K)
    assert res.objective == approx(-637.6333333333333)
    net = res.carbon.xs("net_sink", level="term")["t_co2e_per_yr"]
    assert res.objective == approx(net[("A", 2025)] + net[("A", 2030)])
    assert res.objective == approx(target.objective + (-91 * K))
    assert con(res, "conversion_rate[A,crop,forest,2025]")["shadow_price"] == approx(1.9 * K)
    assert res.metadata["objective_years"] == "all"


def test_include_avoided_emissions():
    # PV: 0.5 MW/ha × 1600 MWh/MW/yr × 0.6 t CO2/MWh = 480 t CO2/yr avoided per ha of PV.
    # Without the credit PV (−0.1) loses to forest (−0.6): crop 30, forest 60, pv 0 → −76k = −278.667.
    # With it, PV fills the 8 suitable ha:
    #   crop 30, pv 8, forest 20+10+22 = 52 → Σ = 12 − 31.2 + 100 − 0.8 = 80 → carbon −80k = −293.333
    #   avoided 8·480 = 3840 → net sink = 3840 − 293.333 = 3546.667
    # pv_suitability shadow price: 480 − (0.6 − 0.1)k = 480 − 1.8333 = 478.1667
    energy = {"pv_suitable_ha": 8.0, "pv_mw_per_ha": 0.5, "pv_mwh_per_mw_yr": 1600.0,
              "grid_factor_tco2_per_mwh": 0.6}
    without = solve_tables(energy_tables(energy))
    assert without.objective == approx(-76 * K)
    assert area(without, "A", "pv", 2030) == approx(0)
    assert without.terms["avoided_emissions"] == 0.0

    res = solve_tables(energy_tables(energy, settings={"include_avoided_emissions": "yes"}))
    assert_optimal(res)
    assert res.objective == approx(3840 - 80 * K)
    assert res.objective == approx(3546.6666666666665)
    assert area(res, "A", "pv", 2030) == approx(8)
    assert res.terms["avoided_emissions"] == approx(3840.0)
    assert_binding(res, "pv_suitability[A,2030]", "energy", 2, "pv_suitable_ha", shadow_price=480 - 0.5 * K)
    assert res.objective == approx(signed_terms(res))


FAMILY_OFF_CASES = {
    # family: (tables, objective with the family on, objective with it off, constraints it owns)
    # red line off: all crop → forest: crop 0, forest 90: Σ = −54 + 100 = 46 → −168.667
    "cropland_protection": (tiny_tables, -76 * K, -46 * K, ["cropland_protection"]),
    # rate limits off: crop to the red line, all unused → forest: −76k (was −91k)
    "transitions": (lambda **kw: tiny_tables(
        transitions={"from_land_use": ["crop", "unused"], "to_land_use": ["forest", "forest"],
                     "allowed": ["yes", "yes"], "max_pct_per_period": [10.0, 50.0]}, **kw),
        -91 * K, -76 * K, ["conversion_rate"]),
    # boundary off: all rural → urban: urban 20, rural 0: Σ = 12 − 30 + 200 = 182 → −667.333
    "urban_boundary": (urban_tables, -192 * K, -182 * K, ["urban_boundary"]),
    # grazing off: no livestock, all grass → forest: 0.6·100·k = 220
    "grazing_balance": (grazing_tables, 44 * K - 21.6, 60 * K,
                        ["grassland_split", "grazing_capacity", "livestock_floor"]),
    # energy off: no PV needed: crop 30, forest 60 → −76k
    "energy_sites": (lambda **kw: energy_tables({"pv_mw_per_ha": 0.5, "clean_capacity_min_mw": 10.0,
                                                 "other_clean_capacity_mw": 6.0}, **kw),
                     -80 * K, -76 * K, ["clean_capacity"]),
    # floors off: all unused → (strong) wetland: forest 20, wetland 20: Σ = 112 − 12 − 20 − 4 = 76
    "ecological_floors": (lambda **kw: eco_tables({"forest_min_ha": 24.0}, carbon_by_region=WETLAND_STRONG, **kw),
                          -77.6 * K, -76 * K, ["forest_floor"]),
    # bounds off: crop back to the red line 30 → −76k (was −81k with crop ≥ 35)
    "area_bounds": (lambda **kw: tiny_tables(area_bounds=[{"region": "A", "land_use": "crop", "year": 2030,
                                                           "min_ha": 35.0, "max_ha": None}], **kw),
                    -81 * K, -76 * K, ["area_min"]),
}


@pytest.mark.parametrize("family", list(FAMILY_OFF_CASES))
def test_families_off(family):
    make, on_obj, off_obj, owned = FAMILY_OFF_CASES[family]
    assert family in FAMILIES
    on = solve_tables(make())
    assert on.objective == approx(on_obj)
    for name in owned:  # the family's rows are there when it is on
        assert (on.constraints["constraint"] == name).any(), name
    tables = make()
    s = dict(zip(tables["settings"]["key"], tables["settings"]["value"]))
    s["families_off"] = family
    tables["settings"] = pd.DataFrame({"key": list(s), "value": list(s.values())})
    off = solve_tables(tables)
    assert_optimal(off)
    assert off.objective == approx(off_obj)
    assert not (off.constraints["family"] == family).any()
    assert not off.constraints["constraint"].isin(owned).any()
    assert off.metadata["families_off"] == family
    if family == "grazing_balance":
        assert off.grazing.empty and off.terms["livestock_ch4"] == 0.0


def test_families_off_list_of_two():
    # red line and area bounds both off: crop 0 → −46k
    t = tiny_tables(area_bounds=[{"region": "A", "land_use": "crop", "year": 2030, "min_ha": 35.0, "max_ha": None}],
                    settings={"families_off": "cropland_protection, area_bounds"})
    res = solve_tables(t)
    assert res.objective == approx(-46 * K)
    assert not res.constraints["family"].isin(["cropland_protection", "area_bounds"]).any()


def test_infeasible_instance():
    # Red line 50 ha but only 40 ha of crop and no conversion into crop: no plan exists.
    res = solve_tables(tiny_tables(targets=[{"region": "A", "year": 2030, "cropland_min_ha": 50.0}]))
    assert res.status == "infeasible"
    assert not res.optimal
    assert res.objective is None
    assert "No plan can meet all requirements" in res.message
    assert res.metadata["status"] == "infeasible"


@pytest.mark.parametrize("make", [
    pytest.param(lambda: tiny_tables(), id="default"),
    pytest.param(lambda: urban_tables(), id="construction"),
    pytest.param(lambda: grazing_tables(grazing_row={"rest_min_ha": 10.0}), id="livestock"),
    pytest.param(lambda: energy_tables({"pv_suitable_ha": 8.0, "pv_mw_per_ha": 0.5, "pv_mwh_per_mw_yr": 1600.0,
                                        "grid_factor_tco2_per_mwh": 0.6},
                                       settings={"include_avoided_emissions": "yes"}), id="avoided"),
    pytest.param(lambda: two_milestones(objective_years="all"), id="all-years"),
])
def test_objective_is_sum_of_signed_terms(make):
    res = solve_tables(make())
    assert_optimal(res)
    assert set(res.terms.index) == set(FLUX_TERMS)  # the tiny instances use flux accounting
    assert res.objective == approx(signed_terms(res))
    # the carbon table's net sink over the objective years agrees
    c = res.carbon.reset_index()
    years = res.spec.years if res.metadata["objective_years"] == "all" else (res.spec.target_year,)
    net = c[(c["term"] == "net_sink") & c["year"].isin(years)]["t_co2e_per_yr"].sum()
    assert res.objective == approx(net)


def test_livestock_terms_by_hand():
    # grazing_rest instance: sequestration 40k = 146.667, CH4 21.6, no construction, no avoided:
    #   146.667 − 21.6 = 125.067 (reported signed: livestock CH4 −21.6)
    res = solve_tables(grazing_tables(grazing_row={"rest_min_ha": 10.0}))
    assert res.terms["sequestration"] == approx(40 * K)
    assert res.terms["livestock_ch4"] == approx(-21.6)
    assert res.terms["construction_emissions"] == approx(0.0)
    assert res.terms["avoided_emissions"] == approx(0.0)
    assert TERMS["livestock_ch4"][0] == -1 and TERMS["sequestration"][0] == +1
