"""The carbon outputs: signed terms that add up to the objective (review R3), the carbon account by land use and the
carbon sheets' notes (R1), and the energy / forest-stock / allocation sheets' totals and noise (R17).

Convention (docs/model.md §7): every reported term is its signed contribution to the net sink — removal +,
emission − — so ``result.terms.sum() == result.objective`` and, in every carbon table, the terms add up to the net.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import landopt
from conftest import K, run_tables, tiny_tables
from landopt.api import spec_from_raw
from landopt.reader import read_workbook
from landopt.results import extract
from test_carbon_accounting import stock_tables
from test_families import energy_tables, grazing_tables, urban_tables

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"


# -- helpers ------------------------------------------------------------------------------------------------------

def table(wb: openpyxl.Workbook, name: str) -> tuple[pd.DataFrame, list]:
    """An Excel table's data rows as a DataFrame (header texts as columns) and the cells of its totals row."""
    for ws in wb.worksheets:
        if name in ws.tables:
            rows = [[c.value for c in r] for r in ws[ws.tables[name].ref]]
            last = int(ws.tables[name].ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            first_col = ws[ws.tables[name].ref][0][0].column
            total = [ws.cell(row=last + 1, column=first_col + j).value for j in range(len(rows[0]))]
            return pd.DataFrame(rows[1:], columns=rows[0]), total
    raise KeyError(name)


def col(df: pd.DataFrame, prefix: str) -> str:
    hits = [c for c in df.columns if str(c).startswith(prefix)]
    assert len(hits) == 1, (prefix, list(df.columns))
    return hits[0]


def sheet_text(ws) -> str:
    return " ".join(str(c.value) for r in ws.iter_rows() for c in r if isinstance(c.value, str))


def write(res, tmp_path: Path, name: str = "plan.xlsx") -> openpyxl.Workbook:
    return openpyxl.load_workbook(landopt.write_plan(res, tmp_path / name, maps=False))


def forest_and_herd():
    """Stock change, one region, 2020 → 2025 → 2030.  forest 20 ha standing (removes 0.15 t C/ha/yr), grass 60 ha
    (no flux), unused 80 ha; afforestation unused → forest at most 10 ha by 2025 and 30 ha by 2030 (planted as early
    as allowed: cohorts of 10 ha at τ = 2022.5 and 20 ha at τ = 2027.5), growing 1 t C/ha/yr of biomass and
    0.2 t C/ha/yr of soil while young; a herd of at least 80 SU in 2030 at 10 kg CH4/SU/yr × GWP 27 = 0.27 t CO2e/SU/yr.

    By hand (K = 44/12):
      standing forest   annual 3 t C/yr = 11;  cumulative 2025: 15 t C = 55, 2030: 30 t C = 110
      cohorts (→ forest) annual 2025: 10·1.2 = 12 t C/yr = 44;  2030: 30·1.2 = 36 t C/yr = 132
                        cumulative 2025: 10·1.2·2.5 = 30 t C = 110;  2030: 10·1.2·7.5 + 20·1.2·2.5 = 150 t C = 550
      forest in total   annual 2025: 55, 2030: 143;  cumulative 2025: 165, 2030: 660
      livestock CH4     2030 annual −80·0.27 = −21.6;  cumulative over the 5-year period −108
      net sink          annual 2030 143 − 21.6 = 121.4;  cumulative 2021–2030 (the objective) 660 − 108 = 552
      terms             standing 110, biomass growth (10·7.5 + 20·2.5)·K = 125·K = 458.33, soil 25·K = 91.67,
                        livestock −108: 110 + 458.33 + 91.67 − 108 = 552
    """
    return stock_tables(
        land_uses=[("forest", "forest"), ("grass", "grassland"), ("unused", "unused")],
        baseline={"forest": 20.0, "grass": 60.0, "unused": 80.0},
        stocks=[["forest", None, 70.0, 0.0, 30.0, 70, 100, -0.15, 0.0],
                ["unused", None, 0.0, 0.0, 10.0, 0, None, 0.0, 0.0]],
        transitions={"from_land_use": ["unused"], "to_land_use": ["forest"], "allowed": ["yes"],
                     "max_pct_per_period": [None]},
        targets=[{"region": "A", "year": 2025, "afforestation_potential_ha": 10.0},
                 {"region": "A", "year": 2030, "afforestation_potential_ha": 30.0}],
        grazing=[{"region": "A", "year": 2030, "forage_yield_kg_per_ha": 2628.0, "utilisation_rate": 0.5,
                  "intake_kg_per_su_yr": 657.0, "rest_min_ha": None, "livestock_min_su": 80.0,
                  "ch4_kg_per_su_yr": 10.0}])


@pytest.fixture(scope="module")
def stock_plan():
    return run_tables(forest_and_herd())[2]


# -- R3: signed terms that add up -----------------------------------------------------------------------------------

def test_stock_change_terms_are_signed_and_add_up_to_the_objective(stock_plan):
    res = stock_plan
    assert res.metadata["objective_unit"] == "t CO2e"
    assert res.objective == pytest.approx(552.0, rel=1e-12)
    t = res.terms
    assert t["livestock_ch4"] == pytest.approx(-108.0)  # an emission: negative
    assert t["standing_land"] == pytest.approx(30 * K)
    assert t["biomass_growth"] == pytest.approx(125 * K)
    assert t["soil_dom_change"] == pytest.approx(25 * K)
    assert t["biomass_loss"] == 0.0 and t["remaining_change"] == 0.0 and t["land_ch4_change"] == 0.0
    assert t.sum() == pytest.approx(res.objective, rel=1e-12)
    # the carbon account holds the same signed terms; per (region, year) they add up to net_sink in both columns
    c = res.carbon
    assert c.loc[("A", 2030, "livestock_ch4"), "t_co2e_per_yr"] == pytest.approx(-21.6)
    assert c.loc[("A", 2030, "livestock_ch4"), "cumulative_t_co2e"] == pytest.approx(-108.0)
    assert c.loc[("A", 2030, "net_sink"), "t_co2e_per_yr"] == pytest.approx(121.4)
    assert np.signbit(c.loc[("A", 2025, "livestock_ch4"), "t_co2e_per_yr"]) == False  # 0, not −0 (no "-0" printed)
    terms = c.drop(index="net_sink", level="term").groupby(level=["region", "year"]).sum()
    net = c.xs("net_sink", level="term")
    pd.testing.assert_frame_equal(terms, net, check_exact=False, rtol=1e-12)


def test_flux_terms_are_signed_and_add_up_to_the_objective():
    # test_families.test_urban_boundary: construction emissions k·(10·15 + 12·5) = 770, sequestration
    # −(12 − 30)·k = 66, objective −704 → reported −770 and +66
    res = run_tables(urban_tables())[2]
    assert res.metadata["objective_unit"] == "t CO2e/yr"
    assert res.terms["construction_emissions"] == pytest.approx(-770.0)
    assert res.terms["sequestration"] == pytest.approx(66.0)
    assert res.terms.sum() == pytest.approx(res.objective) == pytest.approx(-704.0)
    # the grazing instance: sequestration 40·k = 146.667, livestock 80 SU × 0.27 = 21.6 → −21.6; net 125.067
    res = run_tables(grazing_tables(grazing_row={"rest_min_ha": 10.0}))[2]
    assert res.terms["livestock_ch4"] == pytest.approx(-21.6)
    assert res.terms.sum() == pytest.approx(res.objective) == pytest.approx(40 * K - 21.6)
    c = res.carbon
    assert c.loc[("A", 2030, "livestock_ch4"), "t_co2e_per_yr"] == pytest.approx(-21.6)
    assert c.loc[("A", 2030, "net_sink"), "t_co2e_per_yr"] == pytest.approx(40 * K - 21.6)
    assert c.xs("net_sink", level="term")["t_co2e_per_yr"].sum() == pytest.approx(
        c.drop(index="net_sink", level="term")["t_co2e_per_yr"].sum())
    # by land use (each use's own flux on its area) plus livestock CH4 is the net sink
    lu = res.carbon_by_land_use.xs(2030, level="year")["t_co2e_per_yr"]
    assert lu.sum() + c.loc[("A", 2030, "livestock_ch4"), "t_co2e_per_yr"] == pytest.approx(40 * K - 21.6)


# -- R1: carbon by land use under stock change, and the carbon sheets -------------------------------------------------

def test_carbon_by_land_use_under_stock_change_by_hand(stock_plan):
    lu = stock_plan.carbon_by_land_use
    assert list(lu.columns) == ["t_co2e_per_yr", "cumulative_t_co2e"]
    assert lu.index.equals(stock_plan.allocation.index)  # one row per allocation row
    # standing forest and the cohorts that went TO forest; grass and unused (the use the cohorts left) carry nothing
    assert lu.loc[("A", "forest", 2025)].tolist() == pytest.approx([15 * K, 45 * K])
    assert lu.loc[("A", "forest", 2030)].tolist() == pytest.approx([39 * K, 180 * K])
    assert lu.loc[("A", "unused", 2030)].tolist() == [0.0, 0.0]
    assert lu.loc[("A", "grass", 2030)].tolist() == [0.0, 0.0]
    # plus livestock CH4 (its own line) it is the net sink; cumulative in the target year = the objective
    c = stock_plan.carbon
    for y in (2025, 2030):
        for k in ("t_co2e_per_yr", "cumulative_t_co2e"):
            got = lu.xs(y, level="year")[k].sum() + c.loc[("A", y, "livestock_ch4"), k]
            assert got == pytest.approx(c.loc[("A", y, "net_sink"), k])
    assert lu.xs(2030, level="year")["cumulative_t_co2e"].sum() - 108.0 == pytest.approx(stock_plan.objective)


def test_carbon_sheet_under_stock_change(stock_plan, tmp_path):
    wb = write(stock_plan, tmp_path)
    ws = wb["碳账户 carbon"]
    text = sheet_text(ws)
    # the target-year account: signed terms (no (+)/(−) marks) adding up to the net, and the cumulative column
    acc, total = table(wb, "CarbonTargetYear")
    net = col(acc, "净碳汇 net carbon sink（吨CO2e/年")
    cum = col(acc, "2021–2030年累计净碳汇 cumulative net sink 2021–2030（吨CO2e/t CO2e）")
    assert not any("（−）" in str(h) or "（+）" in str(h) for h in acc.columns)
    assert acc.loc[0, col(acc, "牲畜肠道甲烷排放")] == pytest.approx(-21.6)
    terms = [c for c in acc.columns if c not in ("区域 region", net, cum, "数据状态 data basis")]
    assert sum(acc.loc[0, c] for c in terms) == pytest.approx(acc.loc[0, net]) == pytest.approx(121.4)
    assert acc.loc[0, cum] == pytest.approx(552.0)
    assert total[list(acc.columns).index(cum)] == pytest.approx(552.0)  # the cumulative total is the objective
    assert total[list(acc.columns).index(net)] == pytest.approx(121.4)  # the rate total is not
    assert ("合计行为各区域之和；各分项（碳汇为正、排放为负）之和即净碳汇。净碳汇（年速率）合计为2030年全区的年速率（吨CO2e/年），"
            "不是目标函数；累计净碳汇合计即目标函数：2021–2030年累计净碳汇 552 吨CO2e。") in text
    assert "The net-sink total is the 2030 annual rate (t CO2e/yr), not the objective" in text
    assert "自基期的累计量见碳账户明细" not in text and "净碳汇合计即目标函数（目标年净碳汇）" not in text
    assert "非建设用地固碳 − 建设用地排放" not in text  # the flux-accounting note is gone
    # by land use: the annual rate and the cumulative amount, each with livestock CH4 as its own column, total = net
    for name, forest, herd, net_value in (("CarbonByLandUseTargetYear", 39 * K, -21.6, 121.4),
                                          ("CarbonByLandUseCumulative", 180 * K, -108.0, 552.0)):
        df, total = table(wb, name)
        assert [str(h).split("（")[0] for h in df.columns] == [
            "区域 region", "林地 forest", "牲畜肠道甲烷排放", "合计"], name  # uses that contribute nothing are left out
        assert df.loc[0].tolist()[1:] == pytest.approx([forest, herd, net_value])
        assert total[1:] == pytest.approx([forest, herd, net_value])
    assert ("分地类归属：保持基期地类的土地计入其基期地类；地类转换（含转出地类损失的生物量碳、放弃的净通量与甲烷）全部计入转入地类"
            "（如退化草地恢复计入草地，造林计入林地）；牲畜肠道甲烷不属于任何地类，单列一栏。") in text
    assert "合计 = 净碳汇；未列出的地类贡献为零。 Total = net sink; land uses not listed contribute zero." in text
    assert "counts wholly under the use it goes TO" in text
    # the detail sheet: the annual rate and the cumulative amount of every term
    detail, _ = table(wb, "Carbon")
    cumc = col(detail, "自2020年末累计 cumulative since the end of 2020（吨CO2e/t CO2e）")
    row = detail[(detail[col(detail, "分项编号")] == "livestock_ch4") & (detail[col(detail, "年份")] == 2030)]
    assert row[cumc].tolist() == pytest.approx([-108.0])
    lu, _ = table(wb, "CarbonByLandUse")
    assert len(lu) == len(stock_plan.carbon_by_land_use)
    assert "（年速率，吨CO2e/年；及自2020年末起的累计量，吨CO2e），碳汇为正、排放为负，各分项之和即净碳汇" in sheet_text(
        wb["碳账户明细 carbon detail"])


def test_carbon_sheet_under_flux_adds_livestock_to_the_land_uses(tmp_path):
    res = run_tables(grazing_tables(grazing_row={"rest_min_ha": 10.0}))[2]
    wb = write(res, tmp_path)
    df, total = table(wb, "CarbonByLandUseTargetYear")
    heads = [str(h).split("（")[0] for h in df.columns]
    assert heads == ["区域 region", "草地 grass", "林地 forest", "牲畜肠道甲烷排放", "合计"]
    # 80 SU graze 40 ha at 2 SU/ha and 10 ha rest: grass 50 ha × 0.2 k = 10 k, forest 50 ha × 0.6 k = 30 k;
    # livestock −21.6; total 40 k − 21.6 = 125.067 = the objective
    assert df.loc[0].tolist()[1:] == pytest.approx([10 * K, 30 * K, -21.6, 40 * K - 21.6])
    assert df.loc[0].tolist()[-1] == pytest.approx(res.objective)
    text = sheet_text(wb["碳账户 carbon"])
    assert "净碳汇合计即目标函数（目标年净碳汇）。" in text
    assert ("各地类 = 该地类面积 × 单位面积碳通量（建设用地为排放，记负）；牲畜肠道甲烷（及计入时的光伏发电减排量）不属于任何地类，"
            "单列一栏。") in text
    assert "合计 = 净碳汇；未列出的地类贡献为零。" in text


# -- R17: energy, forest stock, allocation noise --------------------------------------------------------------------

def test_energy_sheet_drops_the_blank_target_and_notes_the_province_pv_target(tmp_path):
    # PV ≥ 2 MW province-wide at 0.5 MW/ha: 4 ha of PV; no region has its own clean-capacity target
    t = energy_tables({"pv_suitable_ha": 8.0, "pv_mw_per_ha": 0.5},
                      province_targets={"year": [2030], "pv_capacity_min_mw": [2.0]})
    res = run_tables(t)[2]
    assert res.energy["target_mw"].isna().all()
    wb = write(res, tmp_path)
    df, _ = table(wb, "Energy")
    assert not [h for h in df.columns if str(h).startswith("装机目标")]
    assert df[col(df, "光伏装机")].tolist() == pytest.approx([2.0])
    assert ("全区光伏装机目标（全域目标表）：2030年 2 MW（本方案全区 2 MW）。目标针对全区合计，不分摊到各区域。"
            in sheet_text(wb["清洁能源 energy"]))
    # a region's own target keeps its column
    res = run_tables(energy_tables({"pv_suitable_ha": 8.0, "pv_mw_per_ha": 0.5, "clean_capacity_min_mw": 2.0}))[2]
    df, _ = table(write(res, tmp_path, "own.xlsx"), "Energy")
    assert df[col(df, "装机目标 target")].tolist() == [2.0]


def test_allocation_noise_below_a_millionth_of_a_hectare_is_zero(tmp_path):
    lm, out, res = run_tables(tiny_tables())
    noisy = out.x.copy()
    noisy[lm.columns.tables["area"]["col"].to_numpy()] += 1e-10 * np.array([1, -1])[np.arange(len(out.x))[
        lm.columns.tables["area"]["col"].to_numpy()] % 2]
    noisy[lm.columns.tables["flow"]["col"].to_numpy()] += 5e-7  # "conversions" of half a millionth of a ha
    res2 = extract(lm, dataclasses.replace(out, x=noisy), with_ranging=False)
    a, b = res2.allocation, res.allocation
    assert (a["area_ha"] != b["area_ha"]).any()  # the noise did reach the other areas
    zero = b["area_ha"].abs() < 1e-6
    assert (a.loc[zero, "area_ha"] == 0.0).all() and not np.signbit(a.loc[zero, "area_ha"]).any()
    same = (b["change_ha"].abs() < 1e-6)
    assert (a.loc[same, "change_ha"] == 0.0).all() and not np.signbit(a.loc[same, "change_ha"]).any()
    assert res2.conversions.index.equals(res.conversions.index)  # no 5e-7 ha conversion listed
    wb = write(res2, tmp_path)
    change, _ = table(wb, "ChangeTargetYear")
    assert change[col(change, "净变化")].tolist() == [0.0]


# -- the shipped workbook --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tibet():
    return landopt.optimize(landopt.read(WORKBOOK), backend="highs")


def test_tibet_terms_add_up_and_carbon_by_land_use_is_real(tibet):
    t = tibet.terms
    assert t.sum() == pytest.approx(tibet.objective, rel=1e-12)
    assert tibet.objective == pytest.approx(148_089_447, abs=1.0)  # README
    assert t["livestock_ch4"] == pytest.approx(-59_275_082, abs=1.0)  # README: −59,275,082 (GWP 28, AR5)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for term, value in t.items():  # every term the README quotes is today's (it once kept an old herd's methane)
        if value:
            shown = f"{abs(value):,.0f}"
            if f"{term} " in readme:
                assert f"{term} {'−' if value < 0 else '+'}{shown}" in readme, term
    assert f"livestock enteric CH4 −{abs(t['livestock_ch4']):,.0f}" in readme
    # only land cleared loses its biomass at once (restored degraded grassland keeps its sward: biomass_loss_pct 0)
    assert t["biomass_loss"] == pytest.approx(-1_538_358, abs=1.0)
    lu = tibet.carbon_by_land_use
    assert lu.abs().sum()["t_co2e_per_yr"] == pytest.approx(44_368_189, rel=1e-6)  # not zeros (forest; reservoirs)
    c = tibet.carbon
    for k in ("t_co2e_per_yr", "cumulative_t_co2e"):
        land = lu[k].groupby(level=["region", "year"]).sum()
        want = c.xs("net_sink", level="term")[k] - c.xs("livestock_ch4", level="term")[k]
        assert np.allclose(land.sort_index(), want.reindex(land.index).sort_index(), rtol=1e-9, atol=1e-6), k
        terms = c.drop(index="net_sink", level="term")[k].groupby(level=["region", "year"]).sum()
        assert np.allclose(terms, c.xs("net_sink", level="term")[k].reindex(terms.index), rtol=1e-12, atol=1e-6)
    by_use = lu.xs(2035, level="year").groupby(level="land_use")["cumulative_t_co2e"].sum()
    assert by_use["forest"] > 1e8 and by_use["grassland"] > 1e7
    # natural marsh is not credited, and none is restored: no conversion into wetland (the conversions table keeps
    # flows above 1e-6 ha); what is left is solver residue (≈1e-7 ha in Shigatse since 30 November 2026, 1e-5 t CO2e)
    assert not (tibet.conversions.index.get_level_values("to_land_use") == "wetland").any()
    assert by_use["wetland"] == pytest.approx(0.0, abs=1e-3)
    assert by_use.sum() + t["livestock_ch4"] == pytest.approx(tibet.objective, rel=1e-9)


def test_flux_accounting_says_the_carbon_stocks_sheet_is_not_used():
    """Under flux accounting a filled carbon_stocks sheet (its methane included) is read by nothing: a warning says
    so, rather than dropping the reservoirs' and the marsh's methane silently."""
    raw = read_workbook(WORKBOOK)
    st = raw.tables["settings"]
    st.loc[st["key"] == "carbon_accounting", "value"] = "flux"
    spec = spec_from_raw(raw)
    n = len(raw.tables["carbon_stocks"])
    assert (f"sheet '碳库与净通量 carbon_stocks': warning: not used: settings.carbon_accounting = flux counts the per-hectare flux of land_uses "
            f"(and carbon_by_region); the {n} carbon_stocks rows, their methane (ch4_kg_per_ha_yr, new_land_ch4_kg_per_ha_yr) "
            f"included, are ignored") in [str(w) for w in spec.settings["warnings"]]


def test_tibet_flux_accounting_terms_are_signed_too():
    raw = read_workbook(WORKBOOK)
    st = raw.tables["settings"]
    st.loc[st["key"] == "carbon_accounting", "value"] = "flux"
    res = landopt.optimize(spec_from_raw(raw), backend="highs")
    assert res.metadata["objective_unit"] == "t CO2e/yr"
    assert res.terms["livestock_ch4"] < 0 and res.terms["construction_emissions"] < 0
    assert res.terms.sum() == pytest.approx(res.objective, rel=1e-12)
    net = res.carbon.xs("net_sink", level="term")["t_co2e_per_yr"]
    assert net.xs(res.spec.target_year, level="year").sum() == pytest.approx(res.objective, rel=1e-9)


def test_tibet_plan_sheets(tibet, tmp_path):
    wb = write(tibet, tmp_path)
    acc, total = table(wb, "CarbonTargetYear")
    net = col(acc, "净碳汇 net carbon sink")
    cum = col(acc, "2020–2035年累计净碳汇")
    terms = [c for c in acc.columns if c not in ("区域 region", net, cum, "数据状态 data basis")]
    assert np.allclose(acc[terms].sum(axis=1), acc[net], rtol=1e-12)
    assert (acc[col(acc, "牲畜肠道甲烷排放")] < 0).all()  # the same sign as in result.terms and the detail sheet
    heads = list(acc.columns)
    assert total[heads.index(cum)] == pytest.approx(tibet.objective, rel=1e-12)
    assert total[heads.index(net)] == pytest.approx(tibet.metadata["annual_target_t_co2e_per_yr"], rel=1e-12)
    for name, key in (("CarbonByLandUseTargetYear", "t_co2e_per_yr"), ("CarbonByLandUseCumulative", "cumulative_t_co2e")):
        df, tot = table(wb, name)
        want = tibet.carbon.xs((2035, "net_sink"), level=("year", "term"))[key]
        assert np.allclose(df.iloc[:, 1:-1].sum(axis=1), df.iloc[:, -1], rtol=1e-12)
        assert tot[-1] == pytest.approx(want.sum(), rel=1e-12)
    detail, _ = table(wb, "Carbon")
    d = detail[detail[col(detail, "分项编号")] == "livestock_ch4"]
    assert (d[col(detail, "数量 amount")] < 0).all()
    # energy: no blank target column; the province-wide PV target under the table
    energy, _ = table(wb, "Energy")
    assert not [h for h in energy.columns if str(h).startswith("装机目标")]
    pv = tibet.energy["pv_mw"].groupby(level="year").sum()
    assert (f"全区光伏装机目标（全域目标表）：2025年 10,000 MW（本方案全区 {pv[2025]:,.0f} MW）；2030年 20,000 MW（本方案全区 "
            f"{pv[2030]:,.0f} MW）；2035年 30,000 MW（本方案全区 {pv[2035]:,.0f} MW）。") in sheet_text(wb["清洁能源 energy"])
    # forest stock: a total row per year carries the province target, the prefectures do not
    fs, _ = table(wb, "ForestStock")
    target = col(fs, "全域蓄积量目标")
    rows = fs[fs[col(fs, "区域 region")] == "全区合计 all regions"]
    assert rows[col(fs, "年份")].tolist() == [2019, 2025, 2030, 2035]
    assert rows[col(fs, "森林蓄积量 growing stock（立方米")].tolist()[0] == pytest.approx(2_288_000_000)
    assert rows[target].tolist()[1:] == pytest.approx([2_319_180_000, 2_345_160_000, 2_371_150_000])
    assert fs.loc[fs[col(fs, "区域 region")] != "全区合计 all regions", target].isna().all()
    stock = tibet.forest_stock["stock_m3"].groupby(level="year").sum()
    assert rows[col(fs, "森林蓄积量 growing stock（立方米")].tolist() == pytest.approx(stock.tolist(), rel=1e-12)


def test_the_carbon_sheet_splits_the_objective_by_term(tibet, tmp_path):
    """The carbon sheet shows the cumulative net removals by term (the figures `landopt solve` prints and the README
    quotes), all regions, adding up to the objective, beside each term's annual rate in the target year."""
    from openpyxl import load_workbook

    from landopt.report.plan import write_plan_workbook

    ws = load_workbook(write_plan_workbook(tibet, tmp_path / "plan.xlsx", lang="en", maps=False))["carbon"]
    rows = [[c.value for c in r] for r in ws[ws.tables["CarbonTermsCumulative"].ref]]
    assert rows[0] == ["term", "cumulative 2020–2035 (t CO2e)", "annual rate 2035 (t CO2e/yr)"]
    got = {name: (cum, rate) for name, cum, rate in rows[1:]}
    assert got["net carbon sink"][0] == pytest.approx(tibet.objective, rel=1e-12)
    assert got["biomass lost by converted land"][0] == pytest.approx(tibet.terms["biomass_loss"], rel=1e-12)
    assert got["livestock enteric methane (CO2e)"][0] == pytest.approx(tibet.terms["livestock_ch4"], rel=1e-12)
    assert sum(cum for name, (cum, _r) in got.items() if name != "net carbon sink") == pytest.approx(tibet.objective)
    assert got["net carbon sink"][1] == pytest.approx(tibet.metadata["annual_target_t_co2e_per_yr"], rel=1e-12)
    # the 2035 rate shows no biomass lost (conversions happen within a period); the note gives the last period's loss
    by_year = tibet.carbon.xs("biomass_loss", level="term")["cumulative_t_co2e"].groupby(level="year").sum()
    lost = abs(by_year[2035] - by_year[2030])
    assert got["biomass lost by converted land"][1] == 0.0
    assert (f"In the last period (2031–2035) conversions lost {lost:,.0f} t CO2e of biomass, {lost / 5:,.0f} t CO2e a "
            "year on average") in sheet_text(ws)


def test_the_carbon_detail_lists_each_groups_terms_in_order_with_the_net_sink_last(tibet, tmp_path):
    """Every region-year's terms in the account's order, the net sink closing the group (it sat fifth of eight,
    alphabetically); a term that is zero everywhere (remaining_change on Tibet) is left out."""
    from landopt.report.i18n import TERMS

    wb = write(tibet, tmp_path)
    detail, _ = table(wb, "Carbon")
    ids = detail[col(detail, "分项编号")].tolist()
    groups = [ids[i:i + ids.index("net_sink") + 1] for i in range(0, len(ids), ids.index("net_sink") + 1)]
    assert all(g[-1] == "net_sink" for g in groups) and len(groups) == 7 * 3
    assert groups[0] == [t for t in TERMS if t in set(ids)]
    assert "remaining_change" not in ids
    assert not (tibet.carbon.xs("remaining_change", level="term").abs() > 1e-9).any().any()
    # the per-region terms still add up to the net sink
    amount = col(detail, "数量 amount")
    for g in range(0, len(detail), len(groups[0])):
        part = detail.iloc[g:g + len(groups[0])]
        assert part[amount].iloc[:-1].sum() == pytest.approx(part[amount].iloc[-1], rel=1e-9, abs=1e-6)


def test_the_inputs_sheet_echoes_the_carbon_stocks_used_and_every_sheet_the_brief_cites(tibet, tmp_path):
    """Stock-change accounting reads carbon_stocks, not the per-hectare fluxes: the inputs sheet shows the tables
    used (the fluxes were listed as 'carbon coefficients used'), and the sheets the brief's footnotes cite."""
    text = sheet_text(write(tibet, tmp_path)["输入数据 inputs"])
    for title in ("碳库与净通量 carbon_stocks", "全域目标 province_targets", "控制线内用地 protected_land",
                  "清洁能源基地 energy_bases", "水电工程用地 hydro_projects"):
        assert title in text
    assert "采用的碳系数" not in text


def test_the_fossil_memo_stands_beside_the_land_sink_on_the_brief(tibet, tmp_path):
    """The setting memo_fossil_emissions_t_co2_per_yr promises the figure 'shown beside the land sink': the brief
    says it under the headline, with the land sink as a share of it (it was only on the run sheet)."""
    fossil = tibet.spec.settings["memo_fossil_emissions_t_co2_per_yr"]
    share = tibet.metadata["annual_target_t_co2e_per_yr"] / fossil * 100
    text = sheet_text(write(tibet, tmp_path)["摘要 brief"])
    assert (f"备注（不计入目标函数）：化石能源和水泥CO2排放 {fossil:,.0f} 吨CO2/年（运行设置 memo_fossil_emissions_t_co2_per_yr）；"
            f"目标年土地净碳汇相当于其 {share:,.0f}%。") in text


def test_the_allocation_sheet_says_which_urban_demand_redevelopment_meets(tibet, tmp_path):
    """Lhasa's 2035 urban land (allocation) sits 14.6 ha under its binding demand: the gap is redevelopment of
    inefficient construction land, which adds no urban area; the allocation sheet says so, region by region."""
    z = tibet.costs.xs("redevelopment of inefficient construction land", level="measure")
    lhasa = float(z.loc[("Lhasa", 2035), "area_ha"])
    demand = tibet.constraints.set_index("label").loc["urban_demand[Lhasa,2035]"]
    urban = float(tibet.allocation.loc[("Lhasa", "urban", 2035), "area_ha"])
    assert urban + lhasa == pytest.approx(demand["limit"], rel=1e-9)  # the demand met: new land plus redevelopment
    text = sheet_text(write(tibet, tmp_path)["土地配置 allocation"])
    assert (f"城镇建设用地需求的一部分由存量低效建设用地盘活满足，不新增城镇建设用地、不计入上表面积：拉萨市 2031–2035年 "
            f"{lhasa:,.1f} 公顷；") in text
    assert f"（合计 {z['area_ha'].sum():,.1f} 公顷，公共财政投入 {z['cost_yuan'].sum() / 1e4:,.0f} 万元）" in text


def test_page_one_says_how_much_of_the_sink_is_wetland_remaining_wetland(tibet):
    """Natural marsh counts no flux (the shipped data, as inventories count it): page one says nothing.  With the one
    plateau site's uptake and the plateau CH4 put back on it (as the data had them until 30 November 2026, a restored
    marsh earning the uptake only after its soil transition) the marsh carries 40 % of the sink (38 % before grassland
    restoration earned soil carbon on meadow only and methane counted at GWP 28), and page one says how much and what
    the sink is without it."""
    import dataclasses

    from landopt.report.brief import wetland_share

    assert wetland_share(tibet) is None
    cs = tibet.spec.stocks.copy()  # one row per (region, land use)
    wet = cs["land_use"].astype(str).eq("wetland")
    cs.loc[wet, "remaining_flux_tC_per_ha_yr"] = -1.27
    cs.loc[wet, "ch4_kg_per_ha_yr"] = 58.7
    cs.loc[wet, "remaining_flux_includes_soil"] = 1.0  # the data's flag then: no uptake before the soil has moved
    counted = landopt.optimize(dataclasses.replace(tibet.spec, stocks=cs), backend="highs", with_ranging=False)
    zh, en = wetland_share(counted)
    # 2,059,300 ha × (1.27 × 44/12 − 58.7 × 28/1000) t CO2e/ha/yr × 16 years
    marsh = 2_059_300 * (1.27 * 44 / 12 - 58.7 * 28 / 1000) * 16
    assert counted.objective - tibet.objective == pytest.approx(marsh, rel=1e-6)
    assert f"其中湿地计入 {marsh:,.0f} 吨CO2e（占累计净碳汇 40%）" in zh
    assert f"不计此项的累计净碳汇为 {counted.objective - marsh:,.0f} 吨CO2e" in zh
    assert en.startswith(f"Of it, wetland counts {marsh:,.0f} t CO2e (40% of the cumulative net sink)")


def test_page_one_says_grassland_gains_are_mostly_restoration(tibet):
    """The brief's 草地 +4.18 million ha is mostly degraded grassland restored (a change of condition): together the
    two are the survey's grassland, +909,921 ha; 3,263,298 ha restored = the degraded grassland's fall (3,265,279 ha)
    less the 1,981 ha towns built on."""
    from landopt.report.brief import grassland_total_note

    zh, en = grassland_total_note(tibet)
    assert zh == ("草地与退化草地合计即国土调查的草地：合计变化 +909,921 公顷；草地增加的 4,175,201 公顷中，"
                  "3,263,298 公顷为退化草地恢复（草地内部的状况变化，不是地类转换）。")
    assert "of grassland's gain of 4,175,201 ha, 3,263,298 ha is degraded grassland restored" in en
