"""The planner workbook (landopt.report.plan, written with xlsxwriter) and the shared openpyxl helpers
(landopt.report.excel).  Hand-computed values come from the tiny instance of tests/conftest.py."""

from __future__ import annotations

import conftest

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from landopt.model.build import build
from landopt.reader import from_tables
from landopt.report.excel import (
    atomic_save,
    header_text,
    unique_table_name,
    unit_for,
    write_table,
)
from landopt.report.plan import write_plan_workbook
from landopt.report.style import ROLE_COLOURS
from landopt.results import PlanResult, extract
from landopt.solve import solve
from landopt.validate import load_spec

K = 44 / 12
SHEETS_IN_ORDER = ["摘要 brief", "土地配置 allocation", "用地明细 allocation detail", "地类转换 conversions", "碳账户 carbon",
                   "碳账户明细 carbon detail", "草畜平衡 grazing", "清洁能源 energy", "森林蓄积 forest stock",
                   "约束与影子价格 constraints",
                   "敏感性 sensitivity", "输入数据 inputs", "运行信息 run"]


# --------------------------------------------------------------------------- instances
def tiny_tables() -> dict[str, pd.DataFrame]:
    """The shared tiny instance (tests/conftest.py) with a Chinese region name."""
    return conftest.tiny_tables(regions={"region": ["A"], "name_zh": ["甲"], "total_area_ha": [100]})


def full_tables() -> dict[str, pd.DataFrame]:
    """Two regions, two milestones, grazing and energy rows: every sheet has content."""
    lus = ["crop", "forest", "grass", "urban", "pv", "unused"]
    ry = {"region": ["A", "B", "A", "B"], "year": [2025, 2025, 2030, 2030]}
    return {
        "settings": pd.DataFrame({"key": ["title", "baseline_year", "milestone_years", "include_avoided_emissions"],
                                  "value": ["Test plan 测试", "2020", "2025,2030", "yes"]}),
        "regions": pd.DataFrame({"region": ["A", "B"], "name_zh": ["甲", "乙"], "total_area_ha": [1000, 2000]}),
        "land_uses": pd.DataFrame({"land_use": lus, "name_zh": ["耕地", "林地", "草地", "城镇", "光伏", "未利用地"],
                                   "role": ["cropland", "forest", "grassland", "urban", "pv", "unused"],
                                   "carbon_flux_tC_per_ha_yr": [0.4, -0.6, -0.3, 10, 0, 0]}),
        "baseline": pd.DataFrame({"region": ["A"] * 6 + ["B"] * 6, "land_use": lus * 2,
                                  "area_ha": [300, 200, 300, 50, 0, 150, 400, 300, 900, 100, 0, 300]}),
        "transitions": pd.DataFrame({"from_land_use": ["crop", "unused", "unused", "grass"],
                                     "to_land_use": ["forest", "forest", "pv", "forest"], "allowed": ["yes"] * 4,
                                     "max_pct_per_period": [None, 50, None, 10]}),
        "targets": pd.DataFrame({**ry, "cropland_min_ha": [280, 380, 250, 350],
                                 "afforestation_potential_ha": [50, 100, 80, 150]}),
        "grazing": pd.DataFrame({**ry, "forage_yield_kg_per_ha": [900, 800, 900, 800], "utilisation_rate": [0.5] * 4,
                                 "intake_kg_per_su_yr": [657] * 4, "rest_min_ha": [30, 90, 30, 90],
                                 "livestock_min_su": [100, 300, 100, 300], "ch4_kg_per_su_yr": [8] * 4}),
        "energy": pd.DataFrame({**ry, "pv_suitable_ha": [20, 50, 40, 80], "pv_mw_per_ha": [0.28] * 4,
                                "clean_capacity_min_mw": [2, 5, 5, 10], "other_clean_capacity_mw": [1] * 4,
                                "pv_mwh_per_mw_yr": [1500] * 4, "grid_factor_tco2_per_mwh": [0.6] * 4}),
        "sources": pd.DataFrame({"sheet": ["land_uses", "land_uses", "baseline"], "item": ["forest flux", "crop flux", "areas"],
                                 "value": ["-0.6", "0.4", ""], "unit": ["t C/ha/yr", "t C/ha/yr", "ha"],
                                 "source": ["test", "test", "survey"], "year": ["2020", "2020", "2019"],
                                 "status": ["estimate", "estimate", "verified"], "note": ["", "", ""]}),
    }


def solve_tables(tables: dict[str, pd.DataFrame]) -> PlanResult:
    spec = load_spec(from_tables(tables))
    lm = build(spec)
    return extract(lm, solve(lm))


@pytest.fixture(scope="module")
def tiny_result() -> PlanResult:
    res = solve_tables(tiny_tables())
    assert res.optimal
    return res


@pytest.fixture(scope="module")
def full_result() -> PlanResult:
    res = solve_tables(full_tables())
    assert res.optimal
    return res


@pytest.fixture(scope="module")
def tiny_book(tiny_result: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("tiny") / "plan.xlsx"
    assert write_plan_workbook(tiny_result, path, maps=False) == path
    return load_workbook(path)


@pytest.fixture(scope="module")
def full_book(full_result: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("full") / "out" / "plan.xlsx"  # the parent folder is created
    write_plan_workbook(full_result, path, maps=False)
    return load_workbook(path)


# --------------------------------------------------------------------------- helpers
def find_table(wb: openpyxl.Workbook, name: str) -> tuple[Worksheet, Any]:
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(f"no Excel table {name!r}; have {[n for w in wb.worksheets for n in w.tables]}")


def table_frame(wb: openpyxl.Workbook, name: str) -> pd.DataFrame:
    """An Excel table's cells as a DataFrame with the header texts as columns."""
    ws, tab = find_table(wb, name)
    rows = [[c.value for c in r] for r in ws[tab.ref]]
    df = pd.DataFrame(rows[1:], columns=rows[0])
    return df.dropna(how="all").reset_index(drop=True)


def col(df: pd.DataFrame, prefix: str) -> str:
    hits = [c for c in df.columns if str(c).startswith(prefix)]
    assert len(hits) == 1, (prefix, list(df.columns))
    return hits[0]


def table_cell(wb: openpyxl.Workbook, name: str, row: int, header_prefix: str) -> Any:
    """The openpyxl cell of data row ``row`` (0-based) in the column whose header starts with the prefix."""
    ws, tab = find_table(wb, name)
    cells = list(ws[tab.ref])
    j = [i for i, c in enumerate(cells[0]) if str(c.value).startswith(header_prefix)]
    assert len(j) == 1, header_prefix
    return cells[1 + row][j[0]]


def last_row(ref: str) -> int:
    return int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


# --------------------------------------------------------------------------- structure
def test_sheets_in_order(tiny_book: openpyxl.Workbook) -> None:
    assert tiny_book.sheetnames == SHEETS_IN_ORDER


def test_every_sheet_is_print_ready_with_a_table(full_book: openpyxl.Workbook) -> None:
    for ws in full_book.worksheets:
        assert ws.freeze_panes is not None, ws.title
        assert len(ws.tables) >= 1, ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and max(widths) <= 62, ws.title
        # 9.4 px per character of width: LibreOffice's print width where the workbook font is missing
        px = sum(int(ws.column_dimensions[get_column_letter(c)].width * 9.4 + 5) for c in range(1, ws.max_column + 1)
                 if ws.column_dimensions[get_column_letter(c)].width)
        if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
            # one page wide: only when that keeps 11 pt text at 8 pt or more
            assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0, ws.title
            assert px <= 1450, (ws.title, px)
        else:  # wider: printed at 73 %, columns run on to the next page with the first column repeated
            assert ws.page_setup.scale == 73 and ws.print_title_cols == "$A:$A", ws.title
        if ws.title != "摘要 brief":  # the header row repeats on every printed page when its table runs over a page
            first = next(t for t in ws.tables.values() if t.ref.split(":")[0].endswith("4"))
            rows = int(first.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 4
            assert ws.print_title_rows == ("$4:$4" if rows > 30 else None), (ws.title, rows)
    assert full_book["摘要 brief"].sheet_properties.pageSetUpPr.fitToPage  # page one is one page wide
    assert full_book["地类转换 conversions"].freeze_panes == "A5"


def test_titles_bilingual_and_table_names_unique(full_book: openpyxl.Workbook) -> None:
    names = [n.lower() for ws in full_book.worksheets for n in ws.tables]
    assert len(names) == len(set(names))
    assert full_book["土地配置 allocation"]["A1"].value == "土地配置 allocation — Test plan 测试"
    assert full_book["碳账户 carbon"]["A1"].value == "碳账户 carbon — Test plan 测试"


# --------------------------------------------------------------------------- page one
def test_brief_headline_in_t_10kt_and_mt(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    h = table_frame(tiny_book, "Headline")
    assert len(h) == 1
    row = h.iloc[0]
    assert row[col(h, "项目")] == "目标年（2030年）净碳汇 net carbon sink in the target year 2030"
    want = -K * (0.4 * 30 - 0.6 * 60 + 10 * 10)
    assert row[col(h, "数值 value（吨CO2e/年")] == pytest.approx(want)
    assert row[col(h, "数值 value（万吨CO2e/年")] == pytest.approx(want / 1e4)
    assert row[col(h, "数值 value（百万吨CO2e/年")] == pytest.approx(want / 1e6)
    ws = tiny_book["摘要 brief"]
    notes = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert "方案为净碳源：正值表示从大气中移除CO2。 The plan is a net source: positive = CO2 removed from the atmosphere." in notes


def test_brief_estimates_banner(full_book: openpyxl.Workbook, tiny_book: openpyxl.Workbook) -> None:
    assert full_book["摘要 brief"]["A2"].value == (
        "数据来源：3 项输入数据中 1 项已核实、2 项为估算。本方案主要基于估算数据，结果仅供参考。\n"
        "Sources: of 3 input figures 1 are verified and 2 are estimates. This plan rests mostly on estimates: "
        "read its figures as indicative.")
    assert tiny_book["摘要 brief"]["A2"].value.startswith("输入未列出数据来源")


def test_brief_changes_and_binding_measures(tiny_book: openpyxl.Workbook) -> None:
    lu = table_frame(tiny_book, "BriefLandUse").set_index("地类 land use")
    assert lu[col(lu, "变化 change（公顷")].to_dict() == pytest.approx(
        {"耕地 crop": -10, "林地 forest": 40, "城镇建设用地 urban": 0, "其他土地/未利用地 unused": -30})
    assert lu.loc["耕地 crop", col(lu, "变化 change（万亩")] == pytest.approx(-10 * 15 / 1e4)
    assert lu.loc["耕地 crop", col(lu, "变化率")] == pytest.approx(-25.0)
    top = table_frame(tiny_book, "BriefTopChanges")
    assert list(top["地类 land use"]) == ["林地 forest", "其他土地/未利用地 unused", "耕地 crop"]
    assert set(top["区域 region"]) == {"甲 A"}
    b = table_frame(tiny_book, "BriefBinding")
    assert len(b) == 1
    assert b.loc[0, "约束 requirement"] == "耕地保有量 cropland red line"
    assert b.loc[0, "含义 meaning"] == ("甲 2030年 耕地保有量每增加1公顷，净碳汇变化 −3.667 吨CO2e/年；"
                                       "One more ha of cropland red line in A (2030) changes the net sink by −3.667 t CO2e/yr")
    # relaxing the 30-ha red line by 1 % (0.3 ha) frees 0.3 ha of cropland for forest: +K × 0.3 t CO2e/yr; the price
    # holds from 0 to 40 ha (every ha of cropland below the line can become forest), so the bound is exact
    assert b.loc[0, col(b, "放宽1%可增碳汇（上限）")] == pytest.approx(K * 0.3 / 1e4)
    # re-solved with the floor 1 % lower (0.3 ha, inside the price's range): the same gain
    assert b.loc[0, col(b, "放宽1%可增碳汇（重新求解）")] == pytest.approx(K * 0.3 / 1e4, rel=1e-9)
    assert b.loc[0, col(b, "其中影子价格有效范围内")] == pytest.approx(K * 0.3 / 1e4)


def test_brief_shows_the_additional_removals_when_the_run_has_them(tiny_result: PlanResult, tmp_path: Path) -> None:
    meta = dict(tiny_result.metadata, cumulative_t_co2e=5.0e7, annual_target_t_co2e_per_yr=4.0e6,
                reference_cumulative_t_co2e=3.0e7, additional_t_co2e=2.0e7)
    res = dataclasses.replace(tiny_result, metadata=meta)
    h = table_frame(load_workbook(write_plan_workbook(res, tmp_path / "p.xlsx", maps=False)), "Headline")
    assert list(h[col(h, "项目")]) == [
        "方案新增碳汇（相对基准情景，2021–2030年累计） additional removals against the reference (2021–2030, cumulative)",
        "累计净碳汇（2021–2030年） cumulative net removals (2021–2030)",
        "基准情景累计净碳汇（2021–2030年） reference pathway, cumulative (2021–2030)",
        "目标年（2030年）净碳汇 net removals in the target year 2030"]
    assert list(h[col(h, "数值 value（万吨")]) == pytest.approx([2000, 5000, 3000, 400])
    assert list(h[col(h, "数值 value（百万吨")]) == pytest.approx([20, 50, 30, 4])
    # R17: cumulative and per-year rows together: the value headers carry the scale only, each row its unit, so the
    # annual figure (400 万吨 CO2e/年) never sits under a header in 万吨CO2e
    assert list(h.columns[1:5]) == ["单位 unit", "数值 value（吨/t）", "数值 value（万吨/10 kt）", "数值 value（百万吨/Mt）"]
    assert list(h["单位 unit"]) == ["CO2e（2021–2030年累计） CO2e (cumulative 2021–2030)"] * 3 + [
        "CO2e/年（每年） CO2e/yr (per year)"]


# --------------------------------------------------------------------------- allocation, conversions, carbon
def test_allocation_long_table_equals_result(full_book: openpyxl.Workbook, full_result: PlanResult) -> None:
    df = table_frame(full_book, "Allocation")
    got = df.set_index(["区域编号 region id", "地类编号 land-use id", "年份 year"])
    want = full_result.allocation
    assert len(got) == len(want)
    for (r, lu, y), row in want.iterrows():
        g = got.loc[(r, lu, y)]
        assert g[col(df, "面积 area")] == pytest.approx(row["area_ha"], abs=1e-9)
        assert g[col(df, "基期面积")] == pytest.approx(row["baseline_ha"], abs=1e-9)
        assert g[col(df, "变化 change")] == pytest.approx(row["change_ha"], abs=1e-9)
        if not math.isnan(row["change_pct"]):
            assert g[col(df, "变化率")] == pytest.approx(row["change_pct"])
        assert g["地类 land use"] == f"{row['name_zh']} {lu}"
        assert g["区域 region"] == {"A": "甲 A", "B": "乙 B"}[r]
    assert "面积 area（公顷/ha）" in df.columns and "变化率 change（%）" in df.columns
    assert table_cell(full_book, "Allocation", 0, "面积 area").number_format == "#,##0"
    assert table_cell(full_book, "Allocation", 0, "变化率").number_format == "#,##0.0"


def test_allocation_pivot_for_the_target_year(tiny_book: openpyxl.Workbook) -> None:
    piv = table_frame(tiny_book, "AreaTargetYear")
    row = piv.iloc[0]
    assert row["区域 region"] == "甲 A"
    assert [row["耕地 crop（公顷/ha）"], row["林地 forest（公顷/ha）"], row["城镇建设用地 urban（公顷/ha）"],
            row["其他土地/未利用地 unused（公顷/ha）"]] == pytest.approx([30, 60, 10, 0])
    assert row[col(piv, "合计")] == pytest.approx(100)
    change = table_frame(tiny_book, "ChangeTargetYear").iloc[0]
    assert [change["耕地 crop（公顷/ha）"], change["林地 forest（公顷/ha）"],
            change["其他土地/未利用地 unused（公顷/ha）"]] == pytest.approx([-10, 40, -30])
    ws, tab = find_table(tiny_book, "ChangeTargetYear")
    assert ws.cell(row=last_row(tab.ref) + 1, column=1).value == "合计 total"


def test_conversions(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    df = table_frame(tiny_book, "Conversions")
    got = {(f, t): a for f, t, a in zip(df[col(df, "转出地类编号")], df[col(df, "转入地类编号")], df[col(df, "转换面积")])}
    want = {(f, t): a for (_r, f, t, _y), a in tiny_result.conversions["area_ha"].items()}
    assert got == pytest.approx(want) and got == pytest.approx({("crop", "forest"): 10, ("unused", "forest"): 30})
    assert set(df["起始年 period start"]) == {2020} and set(df["截止年 period end"]) == {2030}


def test_carbon_pivot_net_equals_objective(full_book: openpyxl.Workbook, full_result: PlanResult) -> None:
    piv = table_frame(full_book, "CarbonTargetYear")
    net = col(piv, "净碳汇")
    ty = full_result.spec.target_year
    names = {"甲 A": "A", "乙 B": "B"}
    for _, row in piv.iterrows():
        want = full_result.carbon.loc[(names[row["区域 region"]], ty, "net_sink"), "t_co2e_per_yr"]
        assert row[net] == pytest.approx(want)
        terms = [c for c in piv.columns if c not in ("区域 region", net, "数据状态 data basis")]
        assert sum(row[c] for c in terms) == pytest.approx(row[net])  # signed terms add up to the net
    assert piv[net].sum() == pytest.approx(full_result.objective)  # objective_years = target
    ws, tab = find_table(full_book, "CarbonTargetYear")
    j = [c.column for c in ws[tab.ref][0] if c.value == net][0]
    assert ws.cell(row=last_row(tab.ref) + 1, column=j).value == pytest.approx(full_result.objective)
    notes = " ".join(str(c.value) for r in ws.iter_rows() for c in r if isinstance(c.value, str))
    assert "净碳汇合计即目标函数（目标年净碳汇）" in notes  # every total is explained
    assert "牲畜肠道甲烷（及计入时的光伏发电减排量）不属于任何地类，单列一栏。" in notes and "合计 = 净碳汇" in notes
    assert len(table_frame(full_book, "Carbon")) == len(full_result.carbon)
    assert len(table_frame(full_book, "CarbonByLandUse")) == len(full_result.carbon_by_land_use)


def test_charts_reference_cells_use_one_colour_per_land_use(full_book: openpyxl.Workbook) -> None:
    ws = full_book["土地配置 allocation"]
    assert len(ws._charts) == 2
    big, small = ws._charts
    _ws, tab = find_table(full_book, "ChangeTargetYear")
    first = int(tab.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1
    for ch in (big, small):
        for s in ch.series:
            assert s.val.numRef.f.endswith(f"${first}:${s.val.numRef.f.split('$')[-2]}${last_row(tab.ref)}")
    legend = {s.tx.v: str(s.spPr.solidFill.srgbClr) for ch in (big, small) for s in ch.series}
    assert legend["林地 forest"] == ROLE_COLOURS["forest"].lstrip("#")
    assert legend["耕地 crop"] == ROLE_COLOURS["cropland"].lstrip("#")  # cropland and urban in their own chart
    assert {s.tx.v for s in small.series} == {"耕地 crop", "城镇 urban"}
    assert "耕地 crop" not in {s.tx.v for s in big.series}
    assert len(full_book["碳账户 carbon"]._charts) == 1


# --------------------------------------------------------------------------- grazing, energy, constraints, inputs
def test_grazing_capacity_of_all_and_of_grazed_grassland(full_book: openpyxl.Workbook, full_result: PlanResult) -> None:
    g = table_frame(full_book, "Grazing")
    assert len(g) == len(full_result.grazing)
    got = g.set_index(["区域编号 region id", "年份 year"])
    per_ha = {"A": 900 * 0.5 / 657, "B": 800 * 0.5 / 657}
    for (r, y), row in full_result.grazing.iterrows():
        x = got.loc[(r, y)]
        assert x[col(g, "牲畜数量 ")] == pytest.approx(row["livestock_su"])
        assert x[col(g, "放牧草地理论载畜量")] == pytest.approx(row["grazed_ha"] * per_ha[r])
        assert x[col(g, "全部草地理论载畜量")] == pytest.approx(row["grassland_ha"] * per_ha[r])
        assert x[col(g, "载畜水平（实际/理论载畜量，按全部草地）")] == pytest.approx(row["livestock_su"] / (row["grassland_ha"] * per_ha[r]) * 100)
        assert x[col(g, "载畜水平（实际/理论载畜量，按放牧草地）")] == pytest.approx(row["utilisation_pct"])
    e = table_frame(full_book, "Energy").set_index(["区域编号 region id", "年份 year"])
    for (r, y), row in full_result.energy.iterrows():
        assert e.loc[(r, y), "光伏装机 PV capacity（兆瓦/MW）"] == pytest.approx(row["pv_mw"])
        assert e.loc[(r, y), "装机目标 target（兆瓦/MW）"] == pytest.approx(row["target_mw"])


def test_empty_grazing_still_written(tiny_book: openpyxl.Workbook) -> None:
    assert table_frame(tiny_book, "Grazing").empty
    assert tiny_book["草畜平衡 grazing"]["A3"].value == "输入中无草畜平衡数据：未建模。 No grazing rows in the inputs: not modelled."


def test_binding_means_a_non_zero_shadow_price(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    b = table_frame(tiny_book, "BindingConstraints")
    assert len(b) == 1
    row = b.iloc[0]
    assert row[col(b, "影子价格")] == pytest.approx(-K)
    assert row["单位 unit"] == "公顷 ha" and row["约束值 requirement value"] == pytest.approx(30)
    assert row[col(b, "放宽1%可增碳汇（上限）")] == pytest.approx(K * 0.3)  # 1 % of 30 ha, within the price's 0–40 ha range
    assert row[col(b, "放宽1%可增碳汇（重新求解）")] == pytest.approx(K * 0.3, rel=1e-9)
    assert row[col(b, "其中影子价格有效范围内")] == pytest.approx(K * 0.3)
    # the sheet as the input names it (here its id) and the column's bilingual header
    assert (row["来源工作表 source sheet"], row["来源行 source row"], row["来源列 source column"]) == (
        "targets", 2, "耕地保有量 cropland_min_ha")
    assert row["约束族 family"] == "耕地保护 cropland protection"
    assert row["含义 meaning"].startswith("甲 2030年 耕地保有量每增加1公顷，净碳汇变化 −3.667 吨CO2e/年")
    allc = table_frame(tiny_book, "AllConstraints")
    assert len(allc) == len(tiny_result.constraints)
    assert set(allc["关系 sense"]) <= {"≤", "≥", "="}
    priced = allc[col(allc, "影子价格")].abs() > 1e-7
    assert (allc["起作用 binding"] == priced.map({True: "是 yes", False: "否 no"})).all()


def test_inputs_echo(full_book: openpyxl.Workbook) -> None:
    ws = full_book["输入数据 inputs"]
    for name in ("settings", "regions", "land_uses", "baseline", "carbon_coefficients_used", "transitions",
                 "targets", "grazing", "energy", "sources"):
        assert f"Input_{name}" in ws.tables, name
    settings = table_frame(full_book, "Input_settings").set_index("设置项 key")
    assert settings.loc["规划年份 milestone_years（年 year）", "取值 value"] == "2025,2030"
    assert settings.loc["基期年 baseline_year（年 year）", "取值 value"] == 2020
    # R13: every setting's meaning Chinese first, then the English; units in words
    assert settings.loc["基期年 baseline_year（年 year）", "说明 description"] == (
        "基期现状面积的年份（如2019年，第三次全国国土调查） Year of the baseline areas (e.g. 2019, the third land survey)")
    assert settings.loc["甲烷全球增温潜势 ch4_gwp（吨CO2e/吨CH4 t CO2e/t CH4）", "取值 value"] == 27
    assert settings.loc["求解时限 time_limit_s（秒 s）", "取值 value"] == 600
    assert settings.loc["不减少原则 no_net_loss", "取值 value"] in ("是 yes", "否 no")
    assert all("\u4e00" <= d[0] <= "\u9fff" for d in settings["说明 description"]), settings["说明 description"].tolist()
    regions = table_frame(full_book, "Input_regions")
    assert list(regions["土地总面积 total_area_ha（公顷 ha）"]) == [1000, 2000]  # units Chinese first, as the settings
    assert list(regions["中文名称 name_zh"]) == ["甲", "乙"]
    assert len(table_frame(full_book, "Input_baseline")) == 12
    assert table_frame(full_book, "Input_sources")["状态（已核实/估算） status"].tolist() == ["estimate", "estimate", "verified"]


def test_run_sheet(tiny_book: openpyxl.Workbook, tiny_result: PlanResult) -> None:
    run = table_frame(tiny_book, "Run")
    items = dict(zip(run["项目 item"], run["数值 value"]))
    assert items["求解器 solver"] == "HiGHS"
    assert items["求解器版本 solver version"] and items["求解器版本 solver version"] != "unknown"
    assert items["目标函数（净碳汇） objective (net sink)"] == pytest.approx(-K * 76)
    assert items["变量数 variables"] == tiny_result.metadata["variables"]
    assert items["输入文件校验值 input SHA-256"] == tiny_result.metadata["input_sha256"]
    assert items["情景 scenario"] == "base"
    assert items["是否计入光伏减排 avoided emissions credited"] == "否 no"
    assert items["求解状态 status"] == "最优 optimal"
    units = dict(zip(run["项目 item"], run["单位 unit"]))
    assert units["目标函数（净碳汇） objective (net sink)"] == "吨CO2e/年 t CO2e/yr" and units["求解耗时 solve time"] == "秒 s"


def test_run_sheet_names_every_recorded_figure_with_its_unit(tiny_result: PlanResult, tmp_path: Path) -> None:
    """R13: what a stock-change run records (cumulative removals, reference pathway, public cost ...) reads as
    bilingual items with units, never as raw keys such as 'public_cost_yuan'."""
    meta = dict(tiny_result.metadata, objective_unit="t CO2e", carbon_accounting="stock_change", backend="highs",
                public_cost_yuan=48e9, horizon="2021–2030", cumulative_t_co2e=5.0e7, annual_target_t_co2e_per_yr=4.0e6,
                reference_cumulative_t_co2e=3.0e7, reference_annual_t_co2e_per_yr=2.5e6, additional_t_co2e=2.0e7,
                additional_annual_t_co2e_per_yr=1.5e6, standing_t_co2e=4.5e7, memo_fossil_emissions_t_co2_per_yr=5.52e6,
                memo_pv_avoided_t_co2_per_yr=2.5e7,
                reference_pathway="land use frozen at the baseline (no conversions), the plan's own herd")
    res = dataclasses.replace(tiny_result, metadata=meta)
    run = table_frame(load_workbook(write_plan_workbook(res, tmp_path / "p.xlsx", maps=False)), "Run")
    rows = {item: (value, unit) for item, value, unit in zip(run["项目 item"], run["数值 value"], run["单位 unit"])}
    assert rows["公共财政投入（全部时段合计） public cost, all periods"] == (48e9, "元 yuan")
    assert rows["累计净碳汇 cumulative net removals"] == (5.0e7, "吨CO2e t CO2e")
    assert rows["目标年净碳汇 net removals in the target year"] == (4.0e6, "吨CO2e/年 t CO2e/yr")
    assert rows["方案新增碳汇（累计，相对基准情景） additional removals against the reference, cumulative"] == (2.0e7, "吨CO2e t CO2e")
    assert rows["化石能源和水泥CO2排放（备注，不计入目标函数） fossil-energy and cement CO2 (memo, not in the objective)"] == (
        5.52e6, "吨CO2/年 t CO2/yr")
    assert rows["目标函数单位 objective unit"][0] == "吨CO2e t CO2e"
    assert rows["碳核算方法 carbon accounting"][0] == "IPCC碳储量变化法 IPCC stock change"
    assert rows["基准情景 reference pathway"][0] == ("土地利用保持基期不变（无地类转换），牲畜为本方案存栏 land use frozen at the "
                                                  "baseline (no conversions), the plan's own herd")
    assert rows["目标函数（净碳汇） objective (net sink)"][1] == "吨CO2e t CO2e"
    assert not [item for item in rows if "_" in item]  # no raw key left


# --------------------------------------------------------------------------- errors and atomic writes
def test_not_optimal_raises(tiny_result: PlanResult, tmp_path: Path) -> None:
    bad = dataclasses.replace(tiny_result, status="infeasible", message="No plan meets every requirement.")
    with pytest.raises(ValueError, match="infeasible"):
        write_plan_workbook(bad, tmp_path / "plan.xlsx")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="lang must be one of zh, en, both; got 'fr'"):
        write_plan_workbook(tiny_result, tmp_path / "plan.xlsx", lang="fr")


def test_failed_write_keeps_the_existing_output(tiny_result: PlanResult, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(tiny_result, path, maps=False)
    before = path.read_bytes()

    def broken_close(self: xlsxwriter.Workbook) -> None:
        Path(self.filename).write_bytes(b"PK\x03\x04 half a workbook")  # partial output, then a crash
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    with pytest.raises(OSError, match="disk full"):
        write_plan_workbook(tiny_result, path, maps=False)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]  # no temp file left
    load_workbook(path)  # still a valid workbook


# --------------------------------------------------------------------------- shared openpyxl helpers
def test_atomic_save_creates_folders_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "out.xlsx"
    wb = Workbook()
    wb.active["A1"] = "first"
    assert atomic_save(wb, path) == path
    wb.active["A1"] = "second"
    atomic_save(wb, path)
    assert load_workbook(path).active["A1"].value == "second"
    assert [p.name for p in path.parent.iterdir()] == ["out.xlsx"]


# --------------------------------------------------------------------------- write_table
def test_units_from_column_suffixes() -> None:
    assert unit_for("area_ha") == "ha"
    assert unit_for("livestock_su") == "SU"
    assert unit_for("pv_mw") == "MW"
    assert unit_for("t_co2e_per_yr") == "t CO2e/yr"
    assert unit_for("ch4_t_co2e_per_yr") == "t CO2e/yr"
    assert unit_for("change_pct") == "%"
    assert unit_for("pv_mw_per_ha") == "MW/ha"
    assert unit_for("carbon_flux_tC_per_ha_yr") == "t C/ha/yr"
    assert unit_for("urban_population") == "persons"
    assert unit_for("region") == ""
    assert unit_for("area_ha", {"area_ha": "mu"}) == "mu"
    assert header_text("area_ha") == "area (ha)"
    assert header_text("change_pct") == "change (%)"
    assert header_text("t_co2e_per_yr") == "value (t CO2e/yr)"


def test_write_table_formats_and_structure(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    df = pd.DataFrame({"region": ["A", "B"], "area_ha": [1234.5, 10.0], "t_co2e_per_yr": [1.5, -2.25],
                       "change_pct": [12.5, None], "livestock_su": [1000, 2000], "sense": ["==", ">="],
                       "binding": [True, False]})
    blk = write_table(ws, df, 3, table_name="My table", header_comments={"area_ha": "Area of the region"},
                      totals=["area_ha"])
    write_table(ws, pd.DataFrame({"x": []}), blk.end_row + 2, table_name="My table")  # same name: made unique
    path = atomic_save(wb, tmp_path / "t.xlsx")
    ws = load_workbook(path)["data"]
    assert set(ws.tables) == {"My_table", "My_table_2"}
    assert ws.tables["My_table"].ref == "A3:G5"
    assert [c.value for c in ws[3]] == ["region", "area (ha)", "value (t CO2e/yr)", "change (%)", "livestock (SU)",
                                        "sense", "binding"]
    assert ws["B3"].font.b and ws["B3"].alignment.wrap_text and ws["B3"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws["B3"].comment.text == "Area of the region"
    assert ws.freeze_panes == "A4"
    assert ws["B4"].number_format == "#,##0" and ws["C4"].number_format == "#,##0.00"
    assert ws["D4"].number_format == "0.0" and ws["E4"].number_format == "#,##0"
    assert ws["D5"].value is None  # NaN -> empty cell
    assert ws["F4"].value == "==" and ws["F4"].data_type == "s"  # text, not a formula
    assert ws["G4"].value == "yes" and ws["G5"].value == "no"
    assert ws["A6"].value == "Total 合计" and ws["B6"].value == pytest.approx(1244.5)
    assert 6 <= ws.column_dimensions["B"].width <= 60
    assert ws.tables["My_table_2"].ref == "A8:A9"  # empty table: header plus one blank row


def test_unique_table_name_is_valid() -> None:
    wb = Workbook()
    assert unique_table_name(wb, "A1") == "T_A1"  # would read as a cell reference
    assert unique_table_name(wb, "2030 plan") == "T_2030_plan"
    assert unique_table_name(None, "carbon by land use") == "carbon_by_land_use"


def test_relaxing_one_percent_is_bounded_by_where_the_price_holds() -> None:
    """A floor of 1,000 ha at −2 t/ha whose price holds down to 995 ha: relaxing 1 % (10 ha) gains at most 2 × 10 = 20 t
    and at least 2 × 5 = 10 t (the 5 ha inside the interval); a cap of 200 MW at +3 t/MW holding up to 250 MW: 2 MW
    inside, 6 t exactly; a rate limit written with value 0 has no 1 %: 0; a row without ranging: lower bound unknown."""
    from landopt.analysis.relax import relax_one_percent

    b = pd.DataFrame({"label": ["floor", "cap", "rate", "unranged"], "shadow_price": [-2.0, 3.0, 5.0, -1.0],
                      "rhs": [1000.0, 200.0, 0.0, 50.0]})
    rg = pd.DataFrame({"label": ["floor", "cap", "rate"], "rhs_lower": [995.0, 150.0, -10.0],
                       "rhs_upper": [1200.0, 250.0, 90.0]})
    high, low = relax_one_percent(b, rg)
    assert high.tolist() == pytest.approx([20.0, 6.0, 0.0, 0.5])
    assert low[:3].tolist() == pytest.approx([10.0, 6.0, 0.0]) and np.isnan(low[3])


def test_a_price_that_holds_only_for_a_lower_value_is_worded_as_a_bound():
    """A degenerate plan: the interval over which a shadow price holds ends at the current value, so one more unit
    of the requirement changes the objective by less than the price (the optimum is concave in the right-hand side)."""
    import pandas as pd

    from landopt.report.i18n import shadow_sentence
    from landopt.constraint_table import price_holds_one_way

    rg = pd.DataFrame({"label": ["cap[A,2030]", "floor[A,2030]", "open[A,2030]"], "rhs_upper": [5.0, 100.0, 7.0]})
    got = price_holds_one_way(["cap[A,2030]", "floor[A,2030]", "open[A,2030]", "unranged[A]"], [5.0, 100.0, 6.0, 1.0], rg)
    assert got.tolist() == [True, True, False, False]
    names = {"A": "甲地"}
    assert shadow_sentence("cropland_in_out", "ha of ecological retirement quota", "ha", 19.845833, "A", 2035, None,
                           names, {}, "zh-en", objective_unit="t CO2e", one_way=True) == (
        "甲地 2035年 耕地进出平衡（生态退耕指标）每增加1公顷，累计净碳汇至多增加 19.85 吨CO2e（该影子价格只对减少约束值成立，增加时实际增量可能更小）；"
        "One more ha of cropland in-out balance (进出平衡) in A (2035) adds at most 19.85 t CO2e to the cumulative net "
        "removals (the price holds only for a lower value; one more unit may gain less)")
    assert shadow_sentence("wetland_floor", "ha of wetland floor", "ha", -12.34695, "A", 2025, None, names, {}, "en",
                           objective_unit="t CO2e", one_way=True) == (
        "One more ha of wetland floor in A (2025) takes at least 12.35 t CO2e from the cumulative net removals (the "
        "price holds only for a lower value; one more unit may cost more)")


def test_the_brief_says_which_always_listed_land_uses_did_not_change():
    """The largest-changes table adds the largest cropland and construction change; where a role changes nowhere
    (Tibet: cropland and rural settlements) the brief says so instead of a title promising a row it lacks."""
    import landopt
    from landopt.report.brief import top_changes, unchanged_roles

    res = landopt.optimize(landopt.read(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"),
                           with_ranging=False)
    assert unchanged_roles(res) == ["cropland", "rural"]
    listed = set(top_changes(res, 10)["land_use"])
    assert {"urban", "other_construction"} <= listed and not {"cropland", "rural"} & listed


def test_a_requirement_typed_in_another_unit_is_also_priced_per_step_of_that_unit():
    """The per-capita cap is typed in m²/person and the forest-cover target in %; their rows are in ha, and the
    sentences quoted only 'per ha' (a planner changes the standard by 1 m²/person, the target by 0.01 point)."""
    import landopt
    from landopt.report.brief import binding_measures
    from landopt.report.i18n import num

    res = landopt.optimize(landopt.read(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"),
                           with_ranging=False)
    b = binding_measures(res, "both").set_index("label")
    tg = res.spec.targets.set_index(["region", "year"])
    cap = b.loc["urban_per_capita_cap[Lhasa,2025]"]
    per_m2 = cap["shadow_price"] * tg.loc[("Lhasa", 2025), "urban_population"] / 1e4
    assert cap["sentence"].endswith(f"（即人均标准每提高1平方米，变化 {num(per_m2)} 吨CO2e）；One more ha of per-capita urban "
                                    f"land cap in Lhasa (2025) changes the cumulative net removals by "
                                    f"{num(cap['shadow_price'])} t CO2e (i.e. {num(per_m2)} t CO2e per 1 m² per person "
                                    "of the standard)")
    cover = b.loc["forest_cover[2030]"]
    per_step = cover["shadow_price"] * res.spec.regions["total_area_ha"].sum() / 1e4
    assert f"（即森林覆盖率每提高0.01个百分点，变化 {num(per_step)} 吨CO2e）" in cover["sentence"]
    assert num(per_step) == "−438,524"


def test_the_conversions_sheet_says_how_its_period_years_read(tmp_path):
    """The conversions sheet gives a period as 起始年 2019 – 截止年 2025 where the brief writes 2020–2025: its title
    says the two are the same period."""
    import landopt

    res = landopt.optimize(landopt.read(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"),
                           with_ranging=False)
    ws = openpyxl.load_workbook(landopt.write_plan(res, tmp_path / "p.xlsx", maps=False))["地类转换 conversions"]
    assert ws["A2"].value.startswith("各规划期内由一种地类转为另一种地类的面积（公顷）；规划期自上一规划年份（或基期）年末至截止年年末"
                                     "（2019 → 2025，即2020–2025年，与摘要等处的时段写法相同）。")


def _column_widths(ws) -> dict[int, float]:
    """Column index (1-based) → width, from openpyxl's grouped column dimensions."""
    from openpyxl.utils import column_index_from_string

    out: dict[int, float] = {}
    for key, dim in ws.column_dimensions.items():
        if dim.width:  # a dimension another test only looked at has no range: its own column
            lo = dim.min or column_index_from_string(key)
            for c in range(lo, (dim.max or lo) + 1):
                out[c] = dim.width
    return out


def test_no_wrapped_note_is_cut_off(full_result: PlanResult, tmp_path: Path) -> None:
    """Every note and paragraph merged over columns gets a row as high as its lines in the columns' final widths
    (15 pt a line), so its end shows on screen and in print — the binding-measures note of the constraints sheet
    once needed 9 lines in a row 6 lines high."""
    from landopt.report.xlsx import DEFAULT_WIDTH, paragraph_lines

    path = write_plan_workbook(full_result, tmp_path / "plan.xlsx", maps=False)
    book = load_workbook(path)  # its own copy: other tests' lookups add column dimensions to the shared one
    checked = 0
    for ws in book.worksheets:
        widths = _column_widths(ws)
        for rng in ws.merged_cells.ranges:
            cell = ws.cell(rng.min_row, rng.min_col)
            if not isinstance(cell.value, str) or cell.font.b or (cell.font.sz or 11) != 11:
                continue  # a title: wrapped by its own rule
            avail = sum(widths.get(c, DEFAULT_WIDTH) for c in range(rng.min_col, rng.max_col + 1))
            lines = paragraph_lines(cell.value, avail)
            height = ws.row_dimensions[rng.min_row].height or 15
            assert height >= 15 * lines - 1e-6, (ws.title, str(rng), lines, height, cell.value[:40])
            checked += 1
    assert checked >= 5
