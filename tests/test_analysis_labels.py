"""Units and labels of the analysis workbooks (review R2, R13): the net sink in the objective's own unit — cumulative
t CO2e under stock-change accounting, t CO2e/yr under flux accounting — and Chinese-first names, statuses in words,
regions and land uses by name in the workbook's order.

Instances (hand-computed, K = 44/12 t CO2e per t C):

* ``two_regions`` (flux): regions Z (乙区) then A (甲区), land uses wood (forest), crop (cropland), urban, bare (unused)
  — in that order, which is not alphabetical.  Each region: crop 40 (+0.4 t C/ha/yr), wood 20 (−0.6), urban 10
  (+10), bare 30 (0); crop→wood and bare→wood allowed; cropland floor 30 ha.  Optimum per region: crop 30, wood 60,
  Z_r = −K·76 t CO2e/yr; in all −K·152.  Scenario 'tight' raises Z's floor to 35 ha: Z crop 35, wood 55, total
  −K·157.  Scenario 'impossible' raises A's floor to 45 ha, above its 40 ha: infeasible.
* ``afforestation`` of tests/test_carbon_accounting.py (stock change, 2020→2030): objective 30 K (standing forest)
  + 150 K (two planted cohorts) = 180 K t CO2e cumulative; scenario 'faster' (forest matures in 35 years instead of
  70, so young forest gains 2.2 t C/ha/yr): 30 K + 10·2.2·7.5 K + 20·2.2·2.5 K = 305 K.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import K, tiny_tables, write_xlsx
from test_carbon_accounting import afforestation

SCEN_COLS = ["scenario", "parent", "description", "sheet", "column", "where", "operation", "value", "note"]


def scen(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(SCEN_COLS, r)) for r in rows], columns=SCEN_COLS)


def two_regions() -> dict[str, pd.DataFrame]:
    lus = [("wood", "forest", -0.6), ("crop", "cropland", 0.4), ("urban", "urban", 10.0), ("bare", "unused", 0.0)]
    base = {"wood": 20.0, "crop": 40.0, "urban": 10.0, "bare": 30.0}
    t = tiny_tables(
        regions={"region": ["Z", "A"], "total_area_ha": [100.0, 100.0], "name_zh": ["乙区", "甲区"]},
        land_uses={"land_use": [x[0] for x in lus], "role": [x[1] for x in lus],
                   "carbon_flux_tC_per_ha_yr": [x[2] for x in lus]},
        baseline={"region": [r for r in "ZA" for _ in base], "land_use": list(base) * 2,
                  "area_ha": list(base.values()) * 2},
        transitions={"from_land_use": ["crop", "bare"], "to_land_use": ["wood", "wood"], "allowed": ["yes", "yes"],
                     "max_pct_per_period": [None, None]},
        targets={"region": ["Z", "A"], "year": [2030, 2030], "cropland_min_ha": [30.0, 30.0]})
    t["scenarios"] = scen(
        ("tight", "", "把乙区耕地保有量提高到35公顷", "targets", "cropland_min_ha", "region=Z;year=2030", "set", 35, ""),
        ("impossible", "", "Red line above the land.", "targets", "cropland_min_ha", "region=A;year=2030", "set", 45, ""))
    return t


def table(wb, name: str) -> pd.DataFrame:
    """The native Excel table ``name`` as a frame (header row → columns)."""
    for ws in wb.worksheets:
        if name in ws.tables:
            rows = list(ws[ws.tables[name].ref])
            return pd.DataFrame([[c.value for c in r] for r in rows[1:]], columns=[c.value for c in rows[0]])
    raise KeyError(name)


@pytest.fixture(scope="module")
def flux_comparison(tmp_path_factory):
    from landopt.compare import compare
    from landopt.report.compare import write_comparison

    d = tmp_path_factory.mktemp("cmp")
    cmp = compare(write_xlsx(two_regions(), d / "two.xlsx"), progress=False)
    return cmp, load_workbook(write_comparison(cmp, d / "cmp.xlsx"))


@pytest.fixture(scope="module")
def stock_comparison(tmp_path_factory):
    from landopt.compare import compare
    from landopt.report.compare import write_comparison

    d = tmp_path_factory.mktemp("cmp_stock")
    t = afforestation()
    t["scenarios"] = scen(("faster", "", "林地35年成熟", "carbon_stocks", "maturity_years", "land_use=forest", "set", 35, ""))
    cmp = compare(write_xlsx(t, d / "aff.xlsx"), progress=False)
    return cmp, load_workbook(write_comparison(cmp, d / "cmp.xlsx"))


FLUX_NET = "净碳汇 net sink（万吨CO2e/年；10 kt CO2e/yr）"
STOCK_NET = "净碳汇（2021–2030年累计） net sink (cumulative 2021–2030)（万吨CO2e/10 kt CO2e）"


def test_comparison_page_one_flux_accounting_is_a_rate_with_statuses_in_words(flux_comparison):
    cmp, wb = flux_comparison
    sc = table(wb, "Scenarios")
    assert list(sc.columns) == ["情景 scenario", "说明（原文） description (as written)", "求解状态 status", FLUX_NET,
                                "相对参照情景变化 change against base（万吨CO2e/年；10 kt CO2e/yr）", "变化率 change（%）",
                                "主要起作用的约束（放宽1%增汇最多的3项） main binding requirements (the 3 whose 1% relaxation "
                                "adds most)", "数据状态 data basis"]
    sc = sc.set_index("情景 scenario")
    # why each sink is what it is: the requirements that limit it most (here both regions' cropland red lines)
    limits = sc.iloc[:, 5]
    assert limits["tight"] == ("乙区 2030年 耕地保有量；甲区 2030年 耕地保有量 cropland red line in Z (2030); "
                               "cropland red line in A (2030)")
    assert limits.isna().tolist() == [False, False, True]  # the infeasible run has none
    assert list(sc["求解状态 status"]) == ["最优 optimal", "最优 optimal", "无解 infeasible"]
    assert sc.loc["base", FLUX_NET] == pytest.approx(-K * 152 / 1e4)
    assert sc.loc["tight", FLUX_NET] == pytest.approx(-K * 157 / 1e4)
    # descriptions as written in the scenarios sheet; the base run's own description is bilingual
    assert sc.loc["tight", "说明（原文） description (as written)"] == "把乙区耕地保有量提高到35公顷"
    assert sc.loc["base", "说明（原文） description (as written)"] == "工作簿原值，不作情景调整。 The base workbook without overrides."
    ns = table(wb, "NetSink")
    assert list(ns.columns) == ["情景 scenario", FLUX_NET]
    assert wb["净碳汇 net sink"]["A1"].value == "各情景净碳汇 Net sink by scenario"


def test_comparison_page_one_stock_change_is_cumulative(stock_comparison):
    cmp, wb = stock_comparison
    assert [r.solve_start for r in cmp.runs] == ["cold", "warm"]  # the objective's constant is data, not structure
    sc = table(wb, "Scenarios").set_index("情景 scenario")
    assert sc.loc["base", STOCK_NET] == pytest.approx(180 * K / 1e4)
    assert sc.loc["faster", STOCK_NET] == pytest.approx(305 * K / 1e4)
    assert sc.loc["faster", "相对参照情景变化 change against base（万吨CO2e/10 kt CO2e）"] == pytest.approx(125 * K / 1e4)
    assert not any("/yr" in str(c) or "/年" in str(c) for c in sc.columns)
    assert list(table(wb, "NetSink").columns) == ["情景 scenario", STOCK_NET]
    assert wb["净碳汇 net sink"]["A1"].value == ("各情景净碳汇（2021–2030年累计） "
                                               "Net sink (cumulative 2021–2030) by scenario")
    ch = wb["净碳汇 net sink"]._charts[0]
    assert "".join(r.t for p in ch.y_axis.title.tx.rich.p for r in (p.r or [])) == "万吨CO2e/10 kt CO2e"
    k = table(wb, "KPIs").set_index("指标 figure")
    row = k.loc["净碳汇（2021–2030年累计） net sink (cumulative 2021–2030)"]
    assert row["单位 unit"] == "吨CO2e/t CO2e" and row["情景 scenario faster"] == pytest.approx(305 * K)
    assert k.loc["目标年净碳汇 net removals in the target year", "单位 unit"] == "吨CO2e/年；t CO2e/yr"
    # every cumulative figure says so (the terms read as bare t CO2e beside the annual rate)
    cum = [x for x in k.index if k.loc[x, "单位 unit"] == "吨CO2e/t CO2e"]
    assert len(cum) >= 3 and all("2021–2030" in x for x in cum), cum
    assert "相对基准情景的新增碳汇（2021–2030年累计） additional removals against the reference (cumulative 2021–2030)" in cum


def test_comparison_names_regions_and_land_uses_in_the_workbooks_order(flux_comparison):
    cmp, wb = flux_comparison
    d = table(wb, "Differences")
    assert list(d.columns) == ["区域 region", "地类 land use", "面积差异 difference tight − base（公顷/ha）"]
    assert list(d["区域 region"]) == ["乙区 Z"] * 4 + ["甲区 A"] * 4
    assert list(d["地类 land use"])[:4] == ["林地 wood", "耕地 crop", "城镇建设用地 urban", "其他土地/未利用地 bare"]
    assert list(d.iloc[:, 2]) == pytest.approx([-5.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], abs=1e-6)
    k = table(wb, "KPIs").set_index("指标 figure")
    assert k.loc["2030年耕地面积 crop area 2030", "情景 scenario tight"] == pytest.approx(65.0)
    assert k.loc["2030年林地面积 wood area 2030", "单位 unit"] == "公顷/ha"
    assert list(k.loc["求解状态 status"].iloc[1:]) == ["最优 optimal", "最优 optimal", "无解 infeasible"]
    runs = table(wb, "ScenarioRuns")
    assert list(runs["求解状态 status"]) == ["最优 optimal", "最优 optimal", "无解 infeasible"]
    assert (runs["耗时 time（秒/s）"] > 0).all()  # every scenario was solved and timed
    diag = table(wb, "Diagnoses")
    assert set(diag["求解状态 status"]) == {"无解 infeasible"}


def test_pareto_flux_and_stock_change_label_the_net_sink_in_its_own_unit(tmp_path):
    from landopt.pareto import pareto
    from landopt.reader import from_tables
    from landopt.report.compare import write_frontier
    from landopt.validate import load_spec

    t = two_regions()
    t["land_uses"]["food_t_per_ha_yr"] = [0.0, 5.0, 0.0, 0.0]
    fr = pareto(load_spec(from_tables(t)), "food", points=2)
    # food 5 t/ha × crop: at the carbon optimum 2 × 30 ha = 300 t/yr; at most 2 × 40 ha = 400 t/yr (Z −K·(152 + 20))
    assert fr.sink_unit == "t CO2e/yr" and list(fr.points["net_sink"]) == pytest.approx([-K * 152, -K * 172])
    assert list(fr.table().columns) == ["point", "epsilon (t/yr)", "net_sink (t CO2e/yr)", "food (t/yr)", "status"]
    wb = load_workbook(write_frontier(fr, tmp_path / "food.xlsx"))
    pts = table(wb, "Frontier")
    assert list(pts.columns)[2] == "净碳汇 net sink（吨CO2e/年；t CO2e/yr）"
    assert list(pts["求解状态 status"]) == ["最优 optimal", "最优 optimal"]
    al = table(wb, "PointAllocations")
    assert list(al["区域 region"]) == ["乙区 Z"] * 4 + ["甲区 A"] * 4
    assert list(al["地类 land use"])[:4] == ["林地 wood", "耕地 crop", "城镇建设用地 urban", "其他土地/未利用地 bare"]
    assert list(al.iloc[:, 3]) == pytest.approx([50, 40, 10, 0, 50, 40, 10, 0], abs=1e-6)  # point 2: crop kept

    # stock change: unused land yields 10 yuan/ha/yr; planting nothing keeps 80 ha of it (800 yuan/yr) and leaves
    # the standing forest's 30 K t CO2e; the carbon optimum plants 30 ha (500 yuan/yr, 180 K)
    s = afforestation()
    s["land_uses"]["output_yuan_per_ha_yr"] = [0.0, 10.0]
    fr = pareto(load_spec(from_tables(s)), "economic_output", points=2)
    assert fr.sink_unit == "t CO2e" and list(fr.points["net_sink"]) == pytest.approx([180 * K, 30 * K])
    assert list(fr.points["economic_output"]) == pytest.approx([500.0, 800.0])
    assert list(fr.table().columns)[2] == "net_sink (t CO2e)"
    wb = load_workbook(write_frontier(fr, tmp_path / "output.xlsx"))
    assert list(table(wb, "Frontier").columns)[2] == \
        "净碳汇（2021–2030年累计） net sink (cumulative 2021–2030)（吨CO2e/t CO2e）"
