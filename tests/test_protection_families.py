"""Plan protection measures (issue #13 part A), one hand-computed instance per family where it binds.

Flux accounting unless stated (objective = net sink in the target year, t CO2e/yr = −44/12 · Σ flux · area);
the tiny instance of tests/conftest.py: crop +0.4, forest −0.6, urban +10, unused 0 t C/ha/yr; crop 40, forest 20,
urban 10, unused 30 ha; one period 2020→2030.  A shadow price is the change of the objective per unit of the row's
right-hand side (t CO2e/yr per ha here).  Spreadsheet rows: the i-th data row (0-based) is row i + 2.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import K, area, assert_binding, con, run_tables, tiny_tables
from landopt.reader import from_tables
from landopt.validate import check_all


def tr(*pairs: tuple[str, str]) -> dict:
    return {"from_land_use": [a for a, _ in pairs], "to_land_use": [b for _, b in pairs],
            "allowed": ["yes"] * len(pairs), "max_pct_per_period": [None] * len(pairs)}


def conv(res, a: str, b: str) -> float:
    c = res.conversions["area_ha"]
    return float(c.get(("A", a, b, 2030), 0.0))


# -- farmland ------------------------------------------------------------------------------------------------

def test_basic_farmland_keeps_the_protected_cropland():
    """Cropland 40 ha, red line 30, permanent basic farmland 35: crop→forest gains 1.0 t C/ha/yr (0.4 + 0.6), so
    the plan converts all it may: 40 − 35 = 5 ha (the red line alone would allow 10).

    Optimum: crop 35, forest 20 + 5 + 30 = 55, urban 10: sink = −K(0.4·35 − 0.6·55 + 10·10) = −81 K.
    Shadow price of basic_farmland (rhs = 40 − 35 = 5 ha of cropland outside basic farmland): one more ha converts
    one more ha of crop to forest: +1.0 K t CO2e/yr.
    """
    t = tiny_tables(targets=[{"region": "A", "year": 2030, "cropland_min_ha": 30.0, "basic_farmland_min_ha": 35.0}])
    _, _, res = run_tables(t)
    assert res.objective == pytest.approx(-81 * K)
    assert area(res, "A", "crop", 2030) == pytest.approx(35.0)
    assert conv(res, "crop", "forest") == pytest.approx(5.0)
    assert_binding(res, "basic_farmland[A,2030]", "targets", 2, "basic_farmland_min_ha", shadow_price=1.0 * K, rhs=5.0)
    assert not bool(con(res, "cropland_protection[A,2030]")["binding"])


def offset_tables(balance: str = "region") -> dict:
    """Urban demand 12 ha (1,200 residents × 100 m²) can only be met from cropland (unused→urban is not allowed);
    unused land may become forest or new cropland (补充耕地).  A 10 ha 生态退耕 quota keeps 进出平衡 slack, so that
    the 占补平衡 row alone carries the balance (with no quota the two rows coincide here and share its price)."""
    return tiny_tables(settings={"farmland_balance": balance},
                       transitions=tr(("crop", "urban"), ("unused", "crop"), ("unused", "forest")),
                       targets=[{"region": "A", "year": 2030, "urban_population": 1200, "urban_land_per_capita_m2": 100,
                                 "eco_retirement_quota_ha": 10.0}])


def test_cropland_offset_takes_new_cropland_for_every_hectare_built_on():
    """占补平衡: 2 ha crop→urban need 2 ha unused→crop in the same period; the other 28 ha of unused become forest.

    Optimum: crop 40, forest 48, urban 12, unused 0: sink = −K(0.4·40 − 0.6·48 + 10·12) = −107.2 K
    (without the balance: crop 38, forest 50: −105.2 K).
    Shadow price of cropland_offset (rhs 0 ha of cropland taken without replacement): one ha less to replace is one
    ha of unused→forest instead of unused→crop: +(0.6 + 0.4) K = +1.0 K.
    """
    _, _, res = run_tables(offset_tables())
    assert res.objective == pytest.approx(-107.2 * K)
    assert conv(res, "crop", "urban") == pytest.approx(2.0)
    assert conv(res, "unused", "crop") == pytest.approx(2.0)
    assert conv(res, "unused", "forest") == pytest.approx(28.0)
    # traced to the 'allowed' cell of the first conversion out of cropland it restricts (transitions row 2)
    r = assert_binding(res, "cropland_offset[A,2030]", "transitions", 2, "allowed", shadow_price=1.0 * K, rhs=0.0)
    assert (r["value"], r["limit"]) == (pytest.approx(2.0), pytest.approx(2.0))  # 2 ha taken ≤ 2 ha supplemented
    _, _, off = run_tables(offset_tables("none"))
    assert off.objective == pytest.approx(-105.2 * K)
    assert conv(off, "unused", "crop") == pytest.approx(0.0)
    assert not off.constraints["label"].str.startswith("cropland_").any()


def test_province_scope_balances_over_all_regions():
    """Two regions: A must build 2 ha on cropland, B has the unused land.  With scope 'province' B's new cropland
    balances A's loss: the row is cropland_offset[2030], one per milestone."""
    t = offset_tables("province")
    t["regions"] = pd.DataFrame({"region": ["A", "B"], "total_area_ha": [100.0, 100.0]})
    t["baseline"] = pd.DataFrame({"region": ["A"] * 4 + ["B"] * 4, "land_use": ["crop", "forest", "urban", "unused"] * 2,
                                  "area_ha": [40.0, 20.0, 10.0, 30.0, 40.0, 20.0, 10.0, 30.0]})
    _, _, res = run_tables(t)
    labels = set(res.constraints["label"])
    assert {"cropland_offset[2030]", "cropland_in_out[2030]"} <= labels
    assert "cropland_offset[A,2030]" not in labels
    r = con(res, "cropland_offset[2030]")
    assert bool(r["binding"]) and r["shadow_price"] == pytest.approx(1.0 * K)


def test_in_out_balance_with_ecological_retirement_quota():
    """进出平衡: crop→forest (+1.0 t C/ha/yr) is allowed up to new cropland + the 生态退耕 quota (4 ha); new cropland
    from unused land (−0.4: cropland emits, unused is neutral) is limited to 3 ha of reserve land.  Making new
    cropland to retire old cropland gains 1.0 − 0.4 = 0.6 per ha.

    Optimum: unused→crop 3, crop→forest 4 + 3 = 7: crop 36, forest 27, urban 10, unused 27:
    sink = −K(0.4·36 − 0.6·27 + 100) = −98.2 K.
    Shadow prices: one more ha of quota retires one more ha: +1.0 K; one more ha of reserve land: +0.6 K.
    """
    t = tiny_tables(settings={"farmland_balance": "region"},
                    transitions=tr(("crop", "forest"), ("unused", "crop")),
                    targets=[{"region": "A", "year": 2030, "cropland_min_ha": 30.0, "eco_retirement_quota_ha": 4.0,
                              "supplementary_cropland_potential_ha": 3.0}])
    _, _, res = run_tables(t)
    assert res.objective == pytest.approx(-98.2 * K)
    assert conv(res, "crop", "forest") == pytest.approx(7.0)
    assert area(res, "A", "crop", 2030) == pytest.approx(36.0)
    r = assert_binding(res, "cropland_in_out[A,2030]", "targets", 2, "eco_retirement_quota_ha", shadow_price=1.0 * K,
                       rhs=4.0)
    assert (r["value"], r["limit"]) == (pytest.approx(7.0), pytest.approx(7.0))  # 7 ha out ≤ quota 4 + 3 ha new cropland
    assert_binding(res, "cropland_supplement_limit[A,2030]", "targets", 2, "supplementary_cropland_potential_ha",
                   shadow_price=0.6 * K, rhs=3.0)
    # no construction conversion out of cropland: no 占补平衡 row
    assert not res.constraints["label"].str.startswith("cropland_offset").any()


def test_in_out_balance_blank_quota_is_zero_and_cumulative():
    """Blank quota = 0: with two periods, 3 ha of new cropland by 2025 may balance crop→forest in 2030
    (cumulative), but never more cropland leaves than enters by a milestone."""
    t = tiny_tables(settings={"farmland_balance": "region", "milestone_years": "2025,2030"},
                    transitions=tr(("crop", "forest"), ("unused", "crop")),
                    targets=[{"region": "A", "year": 2025, "supplementary_cropland_potential_ha": 3.0},
                             {"region": "A", "year": 2030, "supplementary_cropland_potential_ha": 3.0}])
    _, _, res = run_tables(t)
    c = res.constraints.set_index("label")
    assert c.loc["cropland_in_out[A,2025]", "rhs"] == 0.0 and c.loc["cropland_in_out[A,2030]", "rhs"] == 0.0
    assert (c.loc["cropland_in_out[A,2025]", "sheet"], c.loc["cropland_in_out[A,2025]", "column"]) == ("transitions", "allowed")
    flows = res.conversions["area_ha"]
    out = sum(float(flows.get(("A", "crop", "forest", y), 0.0)) for y in (2025, 2030))
    new = sum(float(flows.get(("A", "unused", "crop", y), 0.0)) for y in (2025, 2030))
    assert out == pytest.approx(3.0) and new == pytest.approx(3.0)
    assert float(flows.get(("A", "crop", "forest", 2025), 0.0)) <= float(flows.get(("A", "unused", "crop", 2025), 0.0)) + 1e-9


# -- protection: red line and basic grassland -------------------------------------------------------------------

def grass_tables(**extra) -> dict:
    """grass (grassland, −0.5 t C/ha/yr) 40, urban 10, unused 50 ha; urban demand 12 ha."""
    return tiny_tables(
        settings={"no_net_loss": "no"},
        land_uses={"land_use": ["grass", "urban", "unused", "forest"], "role": ["grassland", "urban", "unused", "forest"],
                   "carbon_flux_tC_per_ha_yr": [-0.5, 10.0, 0.0, -0.6]},
        baseline={"region": ["A"] * 4, "land_use": ["grass", "urban", "unused", "forest"], "area_ha": [40.0, 10.0, 50.0, 0.0]},
        **extra)


def test_red_line_keeps_construction_off_protected_unused_land():
    """Unused land (flux 0) is the carbon-cheapest source of 2 ha of urban land, but 49 of its 50 ha lie inside
    the red line: 1 ha comes from unused land, 1 ha from grassland (losing its 0.5 t C/ha/yr sink).

    Optimum: grass 39, urban 12, unused 49: sink = −K(−0.5·39 + 10·12) = −100.5 K.
    Shadow price of redline (rhs = 50 − 49 = 1 ha open to construction): one more ha spares a ha of grassland: +0.5 K.
    """
    t = grass_tables(transitions=tr(("grass", "urban"), ("unused", "urban")),
                     targets=[{"region": "A", "year": 2030, "urban_population": 1200, "urban_land_per_capita_m2": 100}],
                     protected_land=[{"region": "A", "land_use": "unused", "redline_ha": 49.0}])
    _, _, res = run_tables(t)
    assert res.objective == pytest.approx(-100.5 * K)
    assert conv(res, "unused", "urban") == pytest.approx(1.0)
    assert conv(res, "grass", "urban") == pytest.approx(1.0)
    assert_binding(res, "redline[A,unused,2030]", "protected_land", 2, "redline_ha", shadow_price=0.5 * K, rhs=1.0)


def test_urban_site_limits_what_each_land_use_gives_to_towns():
    """城镇开发边界内现状用地: the town needs 2 more ha; unused land (flux 0) is the carbon-cheapest source, but only
    0.5 ha of it lies inside the urban development boundary, so 1.5 ha come from grassland (each losing its
    0.5 t C/ha/yr sink).  Grassland's 5 ha inside the boundary do not bind.

    Optimum: grass 38.5, urban 12, unused 49.5: sink = −K(−0.5·38.5 + 10·12) = −100.75 K.
    Shadow price of urban_site[A,unused,2030] (rhs 0.5 ha of unused land inside the boundary): one more ha spares a
    ha of grassland: +0.5 K.  Without the figures the 2 ha come from unused land: −K(−0.5·40 + 120) = −100 K.
    """
    kw = dict(transitions=tr(("grass", "urban"), ("unused", "urban")),
              targets=[{"region": "A", "year": 2030, "urban_population": 1200, "urban_land_per_capita_m2": 100}])
    t = grass_tables(**kw, protected_land=[{"region": "A", "land_use": "unused", "in_urban_boundary_ha": 0.5},
                                           {"region": "A", "land_use": "grass", "in_urban_boundary_ha": 5.0}])
    _, _, res = run_tables(t)
    assert res.objective == pytest.approx(-100.75 * K)
    assert conv(res, "unused", "urban") == pytest.approx(0.5)
    assert conv(res, "grass", "urban") == pytest.approx(1.5)
    assert_binding(res, "urban_site[A,unused,2030]", "protected_land", 2, "in_urban_boundary_ha", shadow_price=0.5 * K,
                   rhs=0.5)
    grass = con(res, "urban_site[A,grass,2030]")
    assert not bool(grass["binding"]) and grass["activity"] == pytest.approx(1.5) and grass["rhs"] == pytest.approx(5.0)
    # a blank figure: no row, no limit on that land use
    _, _, free = run_tables(grass_tables(**kw, protected_land=[{"region": "A", "land_use": "grass", "in_urban_boundary_ha": 5.0}]))
    assert free.objective == pytest.approx(-100.0 * K)
    assert conv(free, "unused", "urban") == pytest.approx(2.0)
    assert not free.constraints["label"].str.startswith("urban_site[A,unused").any()


def test_urban_site_above_the_baseline_is_an_input_error():
    t = grass_tables(transitions=tr(("unused", "urban")),
                     targets=[{"region": "A", "year": 2030, "urban_population": 1200, "urban_land_per_capita_m2": 100}],
                     protected_land=[{"region": "A", "land_use": "unused", "in_urban_boundary_ha": 51.0}])
    errors, _ = problems(t)
    assert errors == [
        "sheet 'protected_land', row 2, column 'in_urban_boundary_ha': value 51 — the area inside the urban development "
        "boundary cannot exceed the baseline unused of region 'A' (50.0 ha; sheet 'baseline', row 4)"]


def test_urban_site_zero_forbids_and_the_family_switch_removes_it():
    """0 is not blank: 0 ha of unused land inside the boundary forbids unused→urban, so both hectares come from
    grassland: −K(−0.5·38 + 120) = −101 K; with family urban_boundary off the rows are gone (−100 K, all unused)."""
    kw = dict(transitions=tr(("grass", "urban"), ("unused", "urban")),
              targets=[{"region": "A", "year": 2030, "urban_population": 1200, "urban_land_per_capita_m2": 100}])
    _, _, zero = run_tables(grass_tables(**kw, protected_land=[{"region": "A", "land_use": "unused", "in_urban_boundary_ha": 0.0}]))
    assert zero.objective == pytest.approx(-101.0 * K)
    assert conv(zero, "unused", "urban") == pytest.approx(0.0) and conv(zero, "grass", "urban") == pytest.approx(2.0)
    t = grass_tables(**kw, protected_land=[{"region": "A", "land_use": "unused", "in_urban_boundary_ha": 0.0}])
    t["settings"] = pd.concat([t["settings"], pd.DataFrame({"key": ["families_off"], "value": ["urban_boundary"]})],
                              ignore_index=True)
    lm, _, off = run_tables(t)
    assert not off.constraints["label"].str.startswith("urban_").any()
    assert conv(off, "unused", "urban") == pytest.approx(0.0)  # no demand row either: nothing needs building


def test_urban_site_is_cumulative_over_the_milestones():
    """Two periods, 1 ha more urban land each (demand 11 then 12 ha), 1.5 ha of unused land inside the boundary:
    the first period takes 1 ha of unused land, the second only the 0.5 ha left, then 0.5 ha of grassland."""
    t = tiny_tables(settings={"no_net_loss": "no", "milestone_years": "2025,2030"},
                    land_uses={"land_use": ["grass", "urban", "unused"], "role": ["grassland", "urban", "unused"],
                               "carbon_flux_tC_per_ha_yr": [-0.5, 10.0, 0.0]},
                    baseline={"region": ["A"] * 3, "land_use": ["grass", "urban", "unused"], "area_ha": [40.0, 10.0, 50.0]},
                     transitions=tr(("grass", "urban"), ("unused", "urban")),
                     targets=[{"region": "A", "year": 2025, "urban_population": 1100, "urban_land_per_capita_m2": 100},
                              {"region": "A", "year": 2030, "urban_population": 1200, "urban_land_per_capita_m2": 100}],
                     protected_land=[{"region": "A", "land_use": "unused", "in_urban_boundary_ha": 1.5}])
    _, _, res = run_tables(t)
    flows = res.conversions["area_ha"]
    got = {y: float(flows.get(("A", "unused", "urban", y), 0.0)) for y in (2025, 2030)}
    assert got[2025] + got[2030] == pytest.approx(1.5)
    assert sum(float(flows.get(("A", "grass", "urban", y), 0.0)) for y in (2025, 2030)) == pytest.approx(0.5)
    c = res.constraints.set_index("label")
    assert c.loc["urban_site[A,unused,2025]", "rhs"] == 1.5 and c.loc["urban_site[A,unused,2030]", "rhs"] == 1.5
    assert c.loc["urban_site[A,unused,2030]", "activity"] == pytest.approx(1.5)


def test_urban_site_overlapping_the_red_line_or_basic_farmland_is_a_warning():
    t = tiny_tables(settings={"no_net_loss": "no"}, transitions=tr(("unused", "urban"), ("grass", "urban")),
                     land_uses={"land_use": ["grass", "urban", "unused", "crop"], "role": ["grassland", "urban", "unused", "cropland"],
                                "carbon_flux_tC_per_ha_yr": [-0.5, 10.0, 0.0, 0.4]},
                     baseline={"region": ["A"] * 4, "land_use": ["grass", "urban", "unused", "crop"], "area_ha": [40.0, 10.0, 30.0, 20.0]},
                     targets=[{"region": "A", "year": 2030, "basic_farmland_min_ha": 15.0}],
                     protected_land=[{"region": "A", "land_use": "unused", "redline_ha": 25.0, "in_urban_boundary_ha": 6.0},
                                     {"region": "A", "land_use": "crop", "in_urban_boundary_ha": 5.5}])
    errors, warnings = problems(t)
    assert errors == []
    assert warnings == [
        "sheet 'protected_land', row 2, column 'in_urban_boundary_ha': warning: value 6 — more than the unused of region "
        "'A' outside the ecological protection red line (30.0 − 25.0 = 5.0 ha): the urban development boundary would "
        "hold red-line land",
        "sheet 'protected_land', row 3, column 'in_urban_boundary_ha': warning: value 5.5 — more than the cropland of "
        "region 'A' outside its permanent basic farmland (5.0 ha; sheet 'targets', basic_farmland_min_ha): "
        "the urban development boundary would hold basic farmland"]


def test_basic_grassland_has_no_outflow_and_the_overlap_rule():
    """grass→forest gains 0.1 t C/ha/yr (−0.6 vs −0.5); 35 of the 40 ha are basic grassland, 38 lie in the red line.
    Rows are independent: grass→forest ≤ 40 − 35 = 5 (basic grassland); grass→urban ≤ 40 − 38 = 2 (red line) and
    also counts in the 5.  Urban demand 11 ha takes 1 ha of grassland (unused→urban not allowed), so 4 ha go to
    forest.

    Optimum: grass 35, forest 4, urban 11, unused 50: sink = −K(−0.5·35 − 0.6·4 + 10·11) = −90.1 K.
    Shadow price of basic_grassland (rhs 5 ha of grassland outside basic grassland): one more ha → one more ha of
    forest: +0.1 K.
    """
    t = grass_tables(transitions=tr(("grass", "forest"), ("grass", "urban")),
                     targets=[{"region": "A", "year": 2030, "urban_population": 1100, "urban_land_per_capita_m2": 100}],
                     protected_land=[{"region": "A", "land_use": "grass", "redline_ha": 38.0, "basic_grassland_ha": 35.0}])
    _, _, res = run_tables(t)
    assert res.objective == pytest.approx(-90.1 * K)
    assert conv(res, "grass", "forest") == pytest.approx(4.0)
    assert conv(res, "grass", "urban") == pytest.approx(1.0)
    assert_binding(res, "basic_grassland[A,grass,2030]", "protected_land", 2, "basic_grassland_ha",
                   shadow_price=0.1 * K, rhs=5.0)
    red = con(res, "redline[A,grass,2030]")
    assert red["rhs"] == pytest.approx(2.0) and red["activity"] == pytest.approx(1.0)


# -- construction cap ----------------------------------------------------------------------------------------------

STOCKS = ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
          "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr"]


def cap_tables(cap: float | None) -> dict:
    """Stock-change accounting, 2020→2030 (conversions at τ = 2025).  Villages hold 10 t C/ha of trees (biomass);
    towns 0; unused land 0.2 t C/ha biomass and 10 t C/ha soil, settlements 8 t C/ha soil.  Urban demand grows from
    10 to 15 ha.  New land: unused→urban loses 0.2 at once + (10 − 8)/20 · 5 yr = 0.7 t C/ha by 2030;
    redevelopment of village land 存量盘活 (rural→urban) loses its 10 t C/ha of trees."""
    row = {"region": "A", "year": 2030, "urban_population": 1500, "urban_land_per_capita_m2": 100}
    if cap is not None:
        row["construction_max_ha"] = cap
    return tiny_tables(
        settings={"carbon_accounting": "stock_change", "no_net_loss": "no"},
        land_uses={"land_use": ["urban", "rural", "unused"], "role": ["urban", "rural", "unused"]},
        baseline={"region": ["A"] * 3, "land_use": ["urban", "rural", "unused"], "area_ha": [10.0, 20.0, 70.0]},
        carbon_stocks=pd.DataFrame([["urban", None, 0.0, 0.0, 8.0, 0, None, 0.0, 0.0],
                                    ["rural", None, 10.0, 0.0, 8.0, 0, None, 0.0, 0.0],
                                    ["unused", None, 0.2, 0.0, 10.0, 0, None, 0.0, 0.0]], columns=STOCKS),
        transitions=tr(("unused", "urban"), ("rural", "urban")), targets=[row])


def test_construction_cap_forces_redevelopment_instead_of_new_land():
    """Without a cap the 5 ha come from unused land: −3.5 t C.  With the cap at the baseline's 30 ha of
    construction land, all 5 ha must be redeveloped village land: −50 t C.
    Shadow price of construction_cap: one more ha of cap is one ha of new land instead of village land:
    +(10 − 0.7) = +9.3 t C = 9.3 K t CO2e (cumulative to 2030)."""
    _, _, free = run_tables(cap_tables(None))
    assert free.objective == pytest.approx(-3.5 * K)
    _, _, res = run_tables(cap_tables(30.0))
    assert res.objective == pytest.approx(-50.0 * K)
    assert conv(res, "rural", "urban") == pytest.approx(5.0)
    assert_binding(res, "construction_cap[A,2030]", "targets", 2, "construction_max_ha", shadow_price=9.3 * K, rhs=30.0)
    # a looser cap (33 ha) lets 3 ha come from new land
    _, _, loose = run_tables(cap_tables(33.0))
    assert loose.objective == pytest.approx(-(3 * 0.7 + 2 * 10) * K)


# -- input checks ---------------------------------------------------------------------------------------------------

def problems(tables: dict) -> tuple[list[str], list[str]]:
    _, errors, warnings = check_all(from_tables(tables))
    return [str(p) for p in errors], [str(p) for p in warnings]


def test_protection_inputs_are_checked_all_at_once():
    t = grass_tables(
        transitions=tr(("grass", "urban")),
        targets=[{"region": "A", "year": 2030, "basic_farmland_min_ha": 5.0, "construction_max_ha": 8.0}],
        protected_land=[{"region": "A", "land_use": "grass", "redline_ha": 41.0},
                        {"region": "A", "land_use": "unused", "basic_grassland_ha": 1.0},
                        {"region": "Z", "land_use": "grass", "redline_ha": 1.0}])
    errors, warnings = problems(t)
    assert errors == [
        "sheet 'protected_land', row 4, column 'region': value 'Z' — unknown region id (see sheet 'regions'); "
        "expected one of: A",
        "sheet 'protected_land', row 2, column 'redline_ha': value 41 — the area inside the ecological protection red "
        "line cannot exceed the baseline grass of region 'A' (40.0 ha; sheet 'baseline', row 2)",
        "sheet 'protected_land', row 3, column 'basic_grassland_ha': value 1 — basic grassland applies to land "
        "uses with role 'grassland' only; 'unused' has role 'unused' (leave the cell blank)",
        "sheet 'targets', row 2, column 'basic_farmland_min_ha': no land use on sheet 'land_uses' has role 'cropland', "
        "which this column constrains",
    ]
    assert warnings == [CAP_WARNING]


CAP_WARNING = ("sheet 'targets', row 2, column 'construction_max_ha': warning: value 8 — below the baseline "
               "construction land of region 'A' (10.0 ha): the cap can only be met if construction land may convert "
               "to other uses (sheet 'transitions')")


def test_basic_farmland_above_cropland_and_cap_below_construction():
    t = tiny_tables(targets=[{"region": "A", "year": 2030, "basic_farmland_min_ha": 45.0, "construction_max_ha": 8.0}])
    errors, warnings = problems(t)
    assert errors == [
        "sheet 'targets', row 2, column 'basic_farmland_min_ha': value 45 — permanent basic farmland is part "
        "of the baseline cropland, which is 40.0 ha in region 'A' (sheet 'baseline'); expected at most that"]
    assert warnings == [CAP_WARNING]
