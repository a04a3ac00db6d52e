"""The shipped Tibet workbook under the plan's protection measures (issue #13 part A), checked from the inputs
read with pandas and the solved plan's conversions — not from the model's own rows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import landopt

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"
CONSTRUCTION = ("urban", "rural", "other_construction")
TOL = 1e-6


@pytest.fixture(scope="module")
def inputs() -> dict[str, pd.DataFrame]:
    """The shipped workbook's sheets by id (its sheet names and headers are bilingual: '基期现状面积 baseline')."""
    from landopt.headers import to_id

    return {to_id(k): v.rename(columns=to_id) for k, v in pd.read_excel(WORKBOOK, sheet_name=None, engine="openpyxl").items()}


@pytest.fixture(scope="module")
def plan() -> landopt.results.PlanResult:
    res = landopt.optimize(landopt.read(WORKBOOK))
    assert res.status == "optimal"
    return res


def flows(res) -> pd.DataFrame:
    c = res.conversions["area_ha"].rename("ha").reset_index()
    c.columns = ["region", "src", "dst", "year", "ha"]
    return c


def test_no_cropland_built_on_without_as_much_new_cropland_in_the_same_period(plan):
    f = flows(plan)
    taken = f[(f.src == "cropland") & f.dst.isin(CONSTRUCTION + ("pv",))].groupby(["region", "year"])["ha"].sum()
    new = f[(f.dst == "cropland") & (f.src != "cropland")].groupby(["region", "year"])["ha"].sum()
    for key, ha in taken.items():
        assert ha <= new.get(key, 0.0) + TOL, key
    # 进出平衡 with no 生态退耕 quota: cumulative cropland out ≤ cumulative new cropland in every prefecture
    out = f[(f.src == "cropland")].groupby(["region", "year"])["ha"].sum().groupby(level=0).cumsum()
    inn = new.groupby(level=0).cumsum()
    for key, ha in out.items():
        assert ha <= inn.get(key, 0.0) + TOL, key  # cropland retired is always replaced


def test_ecological_retirement_quota_lets_cropland_return_without_replacement():
    res = landopt.optimize(landopt.read(WORKBOOK, scenario="ecological_retirement"))
    f = flows(res)
    out = f[f.src == "cropland"].groupby("region")["ha"].sum()
    inn = f[(f.dst == "cropland") & (f.src != "cropland")].groupby("region")["ha"].sum()
    quota = res.spec.targets.set_index(["region", "year"])["eco_retirement_quota_ha"].xs(2035, level="year")
    assert out.sum() > 1000  # cropland returns to forest or grassland (生态退耕) ...
    for reg, ha in out.items():
        assert ha - inn.get(reg, 0.0) <= quota[reg] + TOL, reg  # ... within each prefecture's quota


def test_no_construction_or_pv_on_red_line_land_or_basic_grassland(plan, inputs):
    f = flows(plan)
    base = inputs["baseline"].set_index(["region", "land_use"])["area_ha"]
    pl = inputs["protected_land"].set_index(["region", "land_use"])
    # 7 prefectures × 9 land uses: 6 natural ones (forest, grassland, wetland, water, unused, sandy) with the red line,
    # each rounded down; cropland, garden and degraded grassland with only their land inside the urban boundary
    assert len(pl) == 63 and pl["redline_ha"].sum() == pytest.approx(53_900_000, abs=42)
    assert pl["redline_ha"].notna().sum() == 42
    assert pl.loc[("Lhasa", slice(None)), "redline_ha"].sum() == pytest.approx(967_459, abs=5)
    built = f[f.dst.isin(CONSTRUCTION + ("pv",))].groupby(["region", "src"])["ha"].sum()
    left = f.groupby(["region", "src"])["ha"].sum()
    checked = 0
    for (reg, lu), row in pl.iterrows():
        if pd.notna(row["redline_ha"]):
            assert built.get((reg, lu), 0.0) <= base[(reg, lu)] - row["redline_ha"] + TOL, (reg, lu)
        if pd.notna(row["basic_grassland_ha"]):
            assert left.get((reg, lu), 0.0) <= base[(reg, lu)] - row["basic_grassland_ha"] + TOL, (reg, lu)
            checked += 1
    assert checked == 7
    assert built.xs("unused", level="src").sum() > 0  # unused land outside the red line is built on


def test_towns_grow_on_the_land_inside_their_boundary_and_spare_cropland(plan, inputs):
    """城镇开发边界内现状用地: each land use gives towns at most its land inside the boundary.  By 2035 the valley towns
    have built on all of the boundary's unused and sandy land; the rest comes from degraded grassland (and a little
    grassland), not from cropland, whose replacement (占补平衡, 进出平衡) would cost budget (see the next test)."""
    f = flows(plan)
    town = f[f.dst == "urban"].groupby(["region", "src"])["ha"].sum()
    pl = inputs["protected_land"].set_index(["region", "land_use"])["in_urban_boundary_ha"].dropna()
    assert len(pl) == 42  # 7 prefectures × (cropland, garden, grassland, degraded grassland, unused, sandy)
    for (reg, lu), ha in pl.items():
        assert town.get((reg, lu), 0.0) <= ha + TOL, (reg, lu)
    for reg in ("Lhasa", "Shigatse", "Chamdo", "Nyingchi", "Shannan"):
        for lu in ("unused", "sandy"):
            assert town[(reg, lu)] == pytest.approx(pl[(reg, lu)], abs=1e-6), (reg, lu)
    by_source = town.groupby(level="src").sum()
    assert by_source.get("cropland", 0.0) == 0.0
    assert by_source["degraded_grassland"] == pytest.approx(1_981, abs=1.0)
    assert by_source["grassland"] == pytest.approx(539, abs=1.0)
    c = plan.constraints.set_index("label")
    # one more ha of Chamdo's unused land inside the boundary, re-solved: +26.237842 t CO2e — the sum of the prices of
    # the cell's rows (2025, 2030, 2035), not any one row's (docs/model.md §6.4)
    site = plan.spec.protected_land.copy()
    site.loc[(site["region"] == "Chamdo") & (site["land_use"] == "unused"), "in_urban_boundary_ha"] += 1.0
    more = landopt.optimize(dataclasses.replace(plan.spec, protected_land=site), backend="highs")
    assert more.objective - plan.objective == pytest.approx(26.237842, abs=1e-4)
    rows = [f"urban_site[Chamdo,unused,{y}]" for y in (2025, 2030, 2035)]
    assert c.loc[rows, "shadow_price"].sum() == pytest.approx(26.237842, abs=1e-4)
    assert (c.loc["urban_site[Lhasa,unused,2035]", "sheet"], c.loc["urban_site[Lhasa,unused,2035]", "column"]) == (
        "protected_land", "in_urban_boundary_ha")
    assert c.loc["cropland_offset[Lhasa,2035]", "activity"] == pytest.approx(0.0, abs=1e-6)


def test_building_on_cropland_is_priced_by_both_balances_together():
    """With no cropland taken, 占补平衡 and 进出平衡 both sit at 0 and the solver splits one price between them (a
    degenerate dual).  Loosening Lhasa's 2035 rows by 1 ha and re-solving (public Pyomo API): 占补平衡 alone gains
    nothing, 进出平衡 alone 3.996667 t CO2e (a hectare retired without replacement: its grassland gain less 3,000
    yuan at the 2035 budget's price; 1.705 before the budget's price halved, 30 November 2026), both 13.053333 t CO2e — a hectare
    of Lhasa's town built on cropland without replacement (docs/scenarios.md)."""
    spec = landopt.read(WORKBOOK)

    def gain(names: tuple[str, ...]) -> float:
        m = landopt.to_pyomo(spec)
        for name in names:
            row = getattr(m, name)["Lhasa", 2035]
            row.set_value((None, row.body, row.upper + 1.0))
        return landopt.solve_pyomo(m).objective

    base = gain(())
    assert gain(("cropland_offset",)) - base == pytest.approx(0.0, abs=1e-4)
    assert gain(("cropland_in_out",)) - base == pytest.approx(3.996667, abs=1e-4)
    assert gain(("cropland_offset", "cropland_in_out")) - base == pytest.approx(13.053333, abs=1e-4)


def test_permanent_basic_farmland_and_cropland_floors_hold(plan, inputs):
    tg = inputs["targets"].set_index(["region", "year"])
    crop = plan.allocation["area_ha"].xs("cropland", level="land_use")
    for (reg, year), row in tg.iterrows():
        assert crop[(reg, year)] >= row["cropland_min_ha"] - TOL
        assert crop[(reg, year)] >= row["basic_farmland_min_ha"] - TOL
    assert tg.loc[("Lhasa", 2035), "basic_farmland_min_ha"] == 36_613


def test_several_families_bind_with_non_trivial_shadow_prices(plan, inputs):
    c = plan.constraints
    live = c[c["binding"] & c["policy"] & (c["shadow_price"].abs() > 1e-6)]
    families = set(live["family"])
    # (energy_sites left this list: the Tibet PV target is no longer split by prefecture — named bases and a
    # Tibet-wide target, family energy_bases, replace it; energy_bases left it too once restored degraded grassland
    # kept its sward (transitions.biomass_loss_pct 0): the PV target no longer displaces any priced land use, PV
    # goes to unused land at no carbon cost; hydro reservoirs are priced where they must go; since restoring degraded
    # steppe earns no soil carbon (30 November 2026) desertification_control left it — the plan grasses more sandy land
    # than required — and energy_bases came back: grass planting on unused land pays, so PV built early costs a little)
    assert {"farmland", "transitions", "urban_boundary", "grazing_balance", "hydro", "budget", "livestock_layout",
            "forest_cover", "energy_bases"} <= families, families
    # 进出平衡 binds in the last period of every prefecture: new cropland (45,000 yuan/ha) is not worth its cost, so no
    # cropland returns to grassland; one more ha of retirement quota in 2035 would return one ha in 2030-2035
    # (τ = 2032.5, 2.5 years: grassland biomass 2.31 × 2.5/5 + soil (50 − 40)/20 × 2.5 = 2.405 t C) at 3,000 yuan,
    # priced at the 2035 budget's shadow price
    io = live[live["constraint"] == "cropland_in_out"].set_index("label")["shadow_price"]
    budget = c.set_index("label").loc["budget[2035]", "shadow_price"]
    assert all(f"cropland_in_out[{reg},2035]" in io.index for reg in plan.spec.region_ids) and budget > 0
    gain = (2.31 * 2.5 / 5 + 10 / 20 * 2.5) * 44 / 12 - 3000 * budget  # t CO2e per ha of quota
    # The plan is degenerate at these rows: the solver may report any price between the gain of one more ha of quota
    # (what relaxing the row adds) and the loss of one ha less (what tightening it costs). So the gain itself is
    # checked by solving again with one ha of quota in every prefecture in 2035, and the reported prices against it.
    t = {k: v.copy() for k, v in inputs.items()}
    t["targets"].loc[t["targets"]["year"] == 2035, "eco_retirement_quota_ha"] = 1.0
    from landopt.reader import from_tables

    relaxed = landopt.optimize(landopt.api.spec_from_raw(from_tables(t)))
    assert relaxed.objective - plan.objective == pytest.approx(7 * gain, rel=1e-7)
    from landopt.constraint_table import price_holds_one_way

    meaning = c.set_index("label")["meaning"]
    for reg in ("Lhasa", "Shigatse", "Chamdo", "Nyingchi", "Shannan", "Nagqu", "Ngari"):
        label = f"cropland_in_out[{reg},2035]"
        one_way = bool(price_holds_one_way([label], [0.0], plan.rhs_ranging)[0])
        if one_way:  # the price holds only below 0: one more ha adds at most the price, and the words say so
            assert io[label] >= gain * (1 - 1e-9)
            assert meaning[label].startswith(f"One more ha of ecological retirement quota in {reg} (2035) adds at most ")
        else:  # the price holds for one more ha: it is the hand-computed gain
            assert io[label] == pytest.approx(gain, rel=1e-9)
            assert meaning[label] == (f"One more ha of ecological retirement quota in {reg} (2035) changes the cumulative "
                                      f"net removals by {io[label]:+,.4g} t CO2e")


@pytest.mark.parametrize("scenario", ["compact_development", "ecological_retirement"])
def test_shipped_protection_scenarios_change_the_plan(plan, scenario):
    res = landopt.optimize(landopt.read(WORKBOOK, scenario=scenario))
    assert res.status == "optimal"
    diff = (res.allocation["area_ha"] - plan.allocation["area_ha"]).abs()
    assert diff.max() > 100.0  # hectares: a different plan from its parent (the base workbook)
    c = res.constraints.set_index("label")
    if scenario == "compact_development":
        # the boundary binds in 2035 and the construction cap in 2030, each with a price: one more ha of new land
        # spares the redevelopment of one ha (600,000 yuan at the budget's shadow price) less the carbon it costs
        for reg in ("Lhasa", "Shigatse", "Chamdo", "Nyingchi", "Shannan", "Nagqu", "Ngari"):
            assert bool(c.loc[f"urban_boundary[{reg},2035]", "binding"])
            assert c.loc[f"urban_boundary[{reg},2035]", "shadow_price"] > 100.0  # t CO2e per ha
            assert bool(c.loc[f"construction_cap[{reg},2030]", "binding"])
            assert c.loc[f"construction_cap[{reg},2030]", "shadow_price"] > 100.0
        assert not plan.constraints.query("constraint == 'construction_cap'")["binding"].any()
        redev = res.costs.xs("redevelopment of inefficient construction land", level="measure")
        assert redev["area_ha"].sum() > 1000.0  # ha redeveloped instead of new land
    else:  # the quota lets cropland fall to the cropland red line without replacement
        assert bool(c.loc["cropland_protection[Lhasa,2035]", "binding"])
        assert res.objective > plan.objective
