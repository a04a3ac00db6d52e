"""The planner workbook: one self-contained .xlsx per optimal plan.

Sheets, in order::

    summary              net sink, its terms (with a check that they add up), run details, a reading guide
    allocation           target-year pivots of area and change by region × land use, the land-use mix,
                         two charts, and the long table for every milestone year
    conversions          land converted between land uses, by region and period
    carbon               carbon account by region × term (target year), chart, carbon by land use,
                         and the long tables for every year
    grazing              grass-livestock balance by region and year
    energy               PV area and clean-energy capacity by region and year
    binding_constraints  policy constraints that limit the plan, with shadow prices; then every constraint
    sensitivity          HiGHS ranging: which results are robust to the carbon coefficients, and where shadow prices hold
    inputs               echo of the inputs used, so the plan stands on its own

Sheets with several blocks put the short target-year overviews (and their
charts) on the left and the long all-year tables on the right, all headers on
row 4 so one frozen pane keeps every header in view.  The workbook is written
atomically (:func:`landopt.report.excel.atomic_save`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from landopt.model.objective import ALL_TERMS as TERMS
from landopt.model.objective import UNIT
from landopt.report.excel import (
    FMT_2,
    FMT_INT,
    FMT_SECONDS,
    FMT_YEAR,
    atomic_save,
    bar_chart,
    chart_rows,
    columns_for_cm,
    columns_span_cm,
    write_note,
    write_table,
    write_title,
)
from landopt.results import PlanResult
from landopt.schema import SETTINGS_KEYS, SHEETS
from landopt.spec import ModelSpec

log = logging.getLogger(__name__)

NET = "net_sink"
NET_LABELS = ("Net carbon sink", "净碳汇")
HEADER_ROW = 4  # header row of the first blocks on every sheet (rows 1-2: title and note, row 3: block titles)
CHART_W, CHART_H = 18.0, 11.0  # cm: minimum width, height
COEFFICIENT_NOTE = "carbon coefficients are t C/ha/yr from the literature, converted ×44/12 to t CO2e"

SHEET_GUIDE: tuple[tuple[str, str, str], ...] = (
    ("summary", "Net carbon sink, its terms (with a check that they add up) and how the plan was computed.",
     "净碳汇、各分项（含加总校核）及计算信息。"),
    ("allocation", "Target-year area and change by region × land use (left, with charts); every region, land use "
                   "and milestone year with baseline, area and change (right).",
     "目标年各区域、各地类面积及变化（左侧，附图）；各规划年份明细（右侧）。"),
    ("conversions", "Land converted from one land use to another, by region and period.", "各区域、各时段的地类转换面积。"),
    ("carbon", "Carbon account by region and term for the target year (signed: sinks +, emissions −) with a chart; "
               "carbon by land use; every year in long tables (right).",
     "目标年各区域碳账户（汇为正、排放为负）及图表；分地类碳汇；各年份明细（右侧）。"),
    ("grazing", "Grass-livestock balance: grassland grazed and rested, carrying capacity, livestock, methane.",
     "草畜平衡：放牧与禁牧休牧草地、理论载畜量、牲畜数量、甲烷排放。"),
    ("energy", "PV land and clean-energy capacity against the targets.", "光伏用地及清洁能源装机与目标对比。"),
    ("binding_constraints", "Policy requirements that limit the net sink, with shadow prices (the change in the net "
                            "sink per unit of the requirement) and where each comes from in the inputs; then every "
                            "constraint.",
     "限制净碳汇的政策约束及其影子价格（约束放宽一个单位时净碳汇的变化）与输入来源；以及全部约束。"),
    ("sensitivity", "Which results are robust and which hinge on an uncertain carbon coefficient; the range over which "
                    "each shadow price holds.", "结果对碳系数的稳健性，以及影子价格成立的约束值区间。"),
    ("inputs", "The inputs this plan was computed from (settings, regions, land uses, baseline, targets ...).",
     "本方案所用的全部输入数据。"),
)

TERM_SIGNS = {t: v[0] for t, v in TERMS.items()}
#: Short legend names for the carbon chart.
TERM_SHORT: dict[str, str] = {
    "sequestration": "sequestration 固碳 (+)",
    "construction_emissions": "construction emissions 建设用地排放 (−)",
    "livestock_ch4": "livestock CH4 牲畜甲烷 (−)",
    "avoided_emissions": "avoided emissions 光伏减排 (+)",
    NET: "net sink 净碳汇",
}


@dataclass
class _Ctx:
    result: PlanResult
    spec: ModelSpec
    region_zh: dict[str, str]
    lu_zh: dict[str, str]
    regions: list[str]
    land_uses: list[str]
    target_year: int
    baseline_year: int
    years: tuple[int, ...]

    def objective_years_text(self) -> str:
        if self.spec.settings.get("objective_years") == "all":
            return f"summed over the milestone years {', '.join(map(str, self.years))}"
        return f"in the target year {self.target_year}"


def _names(df: pd.DataFrame, key: str) -> dict[str, str]:
    if df is None or df.empty or "name_zh" not in df.columns:
        return {}
    return {str(k): ("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
            for k, v in zip(df[key], df["name_zh"])}


def _ctx(result: PlanResult) -> _Ctx:
    spec = result.spec
    return _Ctx(result=result, spec=spec, region_zh=_names(spec.regions, "region"),
                lu_zh=_names(spec.land_uses, "land_use"), regions=[str(r) for r in spec.region_ids],
                land_uses=[str(lu) for lu in spec.land_use_ids], target_year=int(spec.target_year),
                baseline_year=int(spec.baseline_year), years=tuple(int(y) for y in spec.years))


def _bilingual(en: str, zh: str) -> str:
    return f"{en} {zh}".strip() if zh else en


def _sheet_title(ws: Worksheet, en: str, zh: str, note: str) -> int:
    write_title(ws, 1, _bilingual(en, zh))
    write_note(ws, 2, note)
    _print_setup(ws)
    return HEADER_ROW - 1


def _print_setup(ws: Worksheet) -> None:
    """Print landscape, all columns on one page width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _sort(df: pd.DataFrame, ctx: _Ctx, by: list[str]) -> pd.DataFrame:
    """Sort by the workbook's region / land-use order (not alphabetically)."""
    keys = []
    for c in by:
        if c == "region":
            keys.append(df[c].map({r: i for i, r in enumerate(ctx.regions)}).fillna(len(ctx.regions)))
        elif c in ("land_use", "from_land_use", "to_land_use"):
            keys.append(df[c].map({lu: i for i, lu in enumerate(ctx.land_uses)}).fillna(len(ctx.land_uses)))
        elif c == "term":
            order = {t: i for i, t in enumerate([*TERMS, NET])}
            keys.append(df[c].map(order).fillna(len(order)))
        else:
            keys.append(df[c])
    order = pd.DataFrame({f"k{i}": k.to_numpy() for i, k in enumerate(keys)}).sort_values(
        [f"k{i}" for i in range(len(keys))], kind="stable").index
    return df.iloc[order].reset_index(drop=True)


def _with_names(df: pd.DataFrame, ctx: _Ctx) -> pd.DataFrame:
    """Insert a Chinese-name column after every region / land-use id column."""
    df = df.copy()
    for col, names in (("region", ctx.region_zh), ("land_use", ctx.lu_zh), ("from_land_use", ctx.lu_zh),
                       ("to_land_use", ctx.lu_zh)):
        if col in df.columns:
            df.insert(df.columns.get_loc(col) + 1, f"{col}_zh", df[col].map(lambda v: names.get(str(v), "")))
    return df


ID_HEADERS = {
    "region": "region 区域", "region_zh": "region name 区域名称",
    "land_use": "land use 地类", "land_use_zh": "land-use name 地类名称",
    "from_land_use": "from 转出地类", "from_land_use_zh": "from (name) 转出地类名称",
    "to_land_use": "to 转入地类", "to_land_use_zh": "to (name) 转入地类名称",
    "year": "year 年份",
}


def _pivot(df: pd.DataFrame, value: str, columns: str, ctx: _Ctx, column_order: list[str]) -> pd.DataFrame:
    """Region × ``columns`` pivot of ``value`` in workbook order, with region names and (later) a total row."""
    p = df.pivot_table(index="region", columns=columns, values=value, aggfunc="sum", fill_value=0.0, sort=False)
    p = p.reindex(index=ctx.regions, columns=[c for c in column_order if c in p.columns]).fillna(0.0)
    p.columns = [str(c) for c in p.columns]
    out = p.reset_index().rename(columns={"index": "region"})
    out.insert(1, "region_zh", out["region"].map(lambda r: ctx.region_zh.get(r, "")))
    return out


def _chart_width(ws: Worksheet, left_last_col: int) -> float:
    """Charts under a pivot are as wide as the pivot, within 18-30 cm."""
    return min(30.0, max(CHART_W, columns_span_cm(ws, 1, left_last_col)))


def _right_start(ws: Worksheet, left_last_col: int, chart_width_cm: float = CHART_W) -> int:
    """First column of the right-hand tables: clear of the left blocks and of the charts under them."""
    return max(left_last_col, columns_for_cm(ws, 1, chart_width_cm)) + 2


# --------------------------------------------------------------------------- summary
def _summary(ws: Worksheet, ctx: _Ctx) -> None:
    res, spec, meta = ctx.result, ctx.spec, ctx.result.metadata
    write_title(ws, 1, f"{spec.title} — Plan summary 规划摘要")
    write_note(ws, 2, "Land allocation that maximises the net carbon sink 以净碳汇最大化为目标的国土空间用地配置")
    ws.freeze_panes = "A3"
    _print_setup(ws)
    objective = float(res.objective or 0.0)
    obj_unit = meta.get("objective_unit", UNIT)
    shown_terms = [t for t in TERMS if t in res.terms.index]
    signed = {t: TERM_SIGNS[t] * float(res.terms.get(t, 0.0)) for t in shown_terms}
    total = float(sum(signed.values()))
    diff = objective - total
    ok = abs(diff) <= 1e-6 * max(1.0, abs(objective))
    kind = "sink" if objective >= 0 else "source"
    if meta.get("carbon_accounting") == "stock_change":
        reading = (f"Cumulative net removals {meta.get('horizon', '')}: {objective:,.0f} t CO2e (IPCC stock change; "
                   f"positive = CO2 removed from the atmosphere). In {ctx.target_year}: "
                   f"{meta.get('annual_target_t_co2e_per_yr', float('nan')):,.0f} t CO2e/yr. Against the reference "
                   f"pathway ({meta.get('reference_pathway', '')}) the plan adds {meta.get('additional_t_co2e', float('nan')):,.0f} "
                   f"t CO2e ({meta.get('additional_annual_t_co2e_per_yr', float('nan')):,.0f} t CO2e/yr in {ctx.target_year}); "
                   f"{meta.get('standing_t_co2e', float('nan')):,.0f} t CO2e is removed by land that stays as it is.")
    else:
        reading = (f"The plan is a net carbon {kind} of {abs(objective):,.2f} t CO2e/yr {ctx.objective_years_text()} "
                   f"(positive = net sink, CO2 removed from the atmosphere; negative = net source).")

    r = write_title(ws, HEADER_ROW - 1, "Result 结果", level=2)
    result_rows = [
        ("status", "求解状态", res.status, ""),
        ("message", "说明", res.message, ""),
        ("net carbon sink (objective)", "净碳汇（目标函数）", objective, obj_unit),
        ("reading", "解读", reading, ""),
        ("objective years", "目标年份", ctx.objective_years_text(), ""),
        ("carbon coefficients", "碳系数", COEFFICIENT_NOTE, "t C/ha/yr × 44/12 = t CO2e/ha/yr"),
        ("CH4 global warming potential", "甲烷全球增温潜势", spec.settings.get("ch4_gwp"), "t CO2e/t CH4"),
        ("avoided emissions credited", "是否计入光伏减排", "yes" if spec.settings.get("include_avoided_emissions") else "no", ""),
    ]
    df = pd.DataFrame(result_rows, columns=["item", "item_zh", "value", "unit"])
    blk = write_table(ws, df, r, table_name="Result", number_formats={"value": None},
                      headers={"item": "item", "item_zh": "项目", "value": "value 数值", "unit": "unit 单位"}, freeze=False)
    obj_cell = ws.cell(row=blk.first_row + 2, column=blk.col("value"))
    obj_cell.number_format = FMT_2
    obj_cell.font = Font(bold=True)

    r = write_title(ws, blk.end_row + 2, "Objective terms 目标函数分项", level=2)
    terms = pd.DataFrame({
        "term": shown_terms,
        "label": [TERMS[t][1] for t in shown_terms],
        "label_zh": [TERMS[t][2] for t in shown_terms],
        "sign": [TERMS[t][0] for t in shown_terms],
        "amount": [float(res.terms.get(t, 0.0)) for t in shown_terms],
        "contribution": [signed[t] for t in shown_terms],
    })
    tb = write_table(ws, terms, r, table_name="ObjectiveTerms", freeze=False,
                     headers={"term": "term 分项", "label": "label (English)", "label_zh": "名称（中文）",
                              "sign": "sign 符号", "amount": f"amount ({obj_unit})",
                              "contribution": f"signed contribution to the net sink ({obj_unit})"},
                     number_formats={"sign": "+0;-0;0", "amount": FMT_2, "contribution": FMT_2},
                     totals=["contribution"], total_label="Σ signed terms 分项合计")
    r = tb.end_row + 1
    ws.cell(row=r, column=1, value="net sink (objective) 净碳汇")
    c = ws.cell(row=r, column=tb.col("contribution"), value=objective)
    c.number_format = FMT_2
    r += 1
    ws.cell(row=r, column=1, value="check 校核: net sink − Σ signed terms").font = Font(bold=True)
    c = ws.cell(row=r, column=tb.col("contribution"), value=diff)
    c.number_format = "0.000000"
    ws.cell(row=r, column=tb.col("contribution") - 1, value="OK ✓" if ok else "MISMATCH ✗")
    if not ok:
        log.warning("net sink %.6g differs from the sum of signed terms %.6g by %.3g", objective, total, diff)

    r = write_title(ws, r + 2, "Run 运行信息", level=2)
    solver = str(meta.get("solver") or "HiGHS")
    solver_name, _, solver_version = solver.partition(" ")
    run = [
        ("title", "标题", spec.title, None),
        ("solver", "求解器", solver_name, None),
        ("solver version", "求解器版本", solver_version or "unknown", None),
        ("method", "算法", meta.get("method"), None),
        ("build seconds", "建模耗时（秒）", meta.get("build_seconds"), FMT_SECONDS),
        ("compile seconds", "编译耗时（秒）", meta.get("compile_seconds"), FMT_SECONDS),
        ("solve seconds", "求解耗时（秒）", meta.get("solve_seconds"), FMT_SECONDS),
        ("variables", "变量数", meta.get("variables"), FMT_INT),
        ("constraints", "约束数", meta.get("constraints"), FMT_INT),
        ("input file", "输入文件", meta.get("input_file"), None),
        ("input SHA-256", "输入文件校验值", meta.get("input_sha256"), None),
        ("scenario", "情景", meta.get("scenario"), None),
        ("families switched off", "关闭的约束族", meta.get("families_off") or "none", None),
        ("baseline year", "基期年", meta.get("baseline_year"), FMT_YEAR),
        ("milestone years", "规划年份", meta.get("milestone_years"), None),
        ("target year", "目标年", meta.get("target_year"), FMT_YEAR),
        ("objective years", "目标函数年份", meta.get("objective_years"), None),
        ("timestamp", "生成时间", meta.get("timestamp"), None),
        ("landopt version", "landopt 版本", meta.get("landopt_version"), None),
    ]
    df = pd.DataFrame([row[:3] for row in run], columns=["item", "item_zh", "value"])
    rb = write_table(ws, df, r, table_name="Run", number_formats={"value": None}, freeze=False,
                     headers={"item": "item", "item_zh": "项目", "value": "value 数值"})
    for i, (*_, fmt) in enumerate(run):
        if fmt:
            ws.cell(row=rb.first_row + i, column=rb.col("value")).number_format = fmt

    r = write_title(ws, rb.end_row + 2, "How to read this workbook 如何阅读本工作簿", level=2)
    guide = pd.DataFrame(SHEET_GUIDE, columns=["sheet", "contents", "contents_zh"])
    write_table(ws, guide, r, table_name="SheetGuide", freeze=False,
                headers={"sheet": "sheet 工作表", "contents": "contents", "contents_zh": "内容"})
    r = ws.max_row + 2
    for line in (
        "Areas are hectares (ha); carbon is t CO2e per year; a positive net sink removes CO2 from the atmosphere.",
        "Every table has filter buttons; the tables on the right of a sheet list every milestone year.",
        "面积单位为公顷；碳单位为吨二氧化碳当量/年；净碳汇为正表示从大气中移除二氧化碳。",
    ):
        r = write_note(ws, r, line)


# --------------------------------------------------------------------------- allocation
def _allocation(ws: Worksheet, ctx: _Ctx) -> None:
    ty, by = ctx.target_year, ctx.baseline_year
    r = _sheet_title(ws, "Land allocation", "土地配置",
                     f"Area of every land use by region and milestone year (ha). Baseline {by}; target year {ty}. "
                     f"Change = area − baseline.")
    a = ctx.result.allocation.reset_index()
    a["region"] = a["region"].astype(str)
    a["land_use"] = a["land_use"].astype(str)
    lus = [lu for lu in ctx.land_uses if lu in set(a["land_use"])]
    labels = {lu: _bilingual(lu, ctx.lu_zh.get(lu, "")) for lu in lus}
    units = {lu: "ha" for lu in lus} | {"total": "ha"}
    fmts = {lu: FMT_INT for lu in lus} | {"total": FMT_INT}
    tgt = a[a["year"] == ty]

    write_title(ws, r, f"Target year {ty}: area by region and land use (ha) 目标年各区域分地类面积（公顷）", level=2)
    area = _pivot(tgt, "area_ha", "land_use", ctx, lus)
    area["total"] = area[lus].sum(axis=1)
    b_area = write_table(ws, area, HEADER_ROW, units=units, number_formats=fmts, table_name="AreaTargetYear",
                         labels=labels | {"total": "total 合计"}, headers=ID_HEADERS, totals=lus + ["total"])

    r = write_title(ws, b_area.end_row + 2,
                    f"Target year {ty}: change from the baseline {by} (ha) 目标年相对基期面积变化（公顷）", level=2)
    change = _pivot(tgt, "change_ha", "land_use", ctx, lus)
    change["total"] = change[lus].sum(axis=1)
    b_change = write_table(ws, change, r, units=units, number_formats=fmts, table_name="ChangeTargetYear",
                           labels=labels | {"total": "net 合计"}, headers=ID_HEADERS, totals=lus + ["total"])

    r = write_title(ws, b_change.end_row + 2, "Land-use mix, all regions (ha) 全区用地结构（公顷）", level=2)
    base = a[a["year"] == a["year"].min()].groupby("land_use")["baseline_ha"].sum()
    mix_rows = [{"year": f"{by} baseline 基期", **{lu: float(base.get(lu, 0.0)) for lu in lus}}]
    for y in ctx.years:
        s = a[a["year"] == y].groupby("land_use")["area_ha"].sum()
        label = f"{y} target 目标年" if y == ty else str(y)
        mix_rows.append({"year": label, **{lu: float(s.get(lu, 0.0)) for lu in lus}})
    mix = pd.DataFrame(mix_rows)
    b_mix = write_table(ws, mix, r, units=units, number_formats=fmts | {"year": None}, table_name="LandUseMix",
                        labels=labels, headers={"year": "year 年份"})

    left = max(b_area.last_col, b_change.last_col, b_mix.last_col)
    width = _chart_width(ws, left)
    moved = [lu for lu in lus if (change[lu].abs() > 1e-6).any()] or lus
    ch1 = bar_chart(ws, b_change, moved, "region", f"Land-use change {by}→{ty} by region 各区域用地变化",
                    "change (ha)", series_titles=labels, width_cm=width, height_cm=CHART_H)
    anchor = b_mix.end_row + 2
    ws.add_chart(ch1, f"A{anchor}")
    ch2 = bar_chart(ws, b_mix, lus, "year", "Land-use mix, all regions 全区用地结构", "area (ha)",
                    grouping="stacked", series_titles=labels, width_cm=width, height_cm=CHART_H)
    ws.add_chart(ch2, f"A{anchor + chart_rows(CHART_H)}")

    col = _right_start(ws, left, width)
    write_title(ws, HEADER_ROW - 1, col=col, text="All milestone years 各规划年份", level=2)
    long = _with_names(_sort(a, ctx, ["region", "land_use", "year"]), ctx)
    long = long.rename(columns={"name_zh": "_drop"}).drop(columns=["_drop"], errors="ignore")
    long = long[["region", "region_zh", "land_use", "land_use_zh", "year", "baseline_ha", "area_ha", "change_ha",
                 "change_pct"]]
    write_table(ws, long, HEADER_ROW, start_col=col, table_name="Allocation",
                headers=ID_HEADERS | {"baseline_ha": f"baseline {by} 基期 (ha)", "area_ha": "area 面积 (ha)",
                                      "change_ha": "change 变化 (ha)", "change_pct": "change 变化率 (%)"})


# --------------------------------------------------------------------------- conversions
def _conversions(ws: Worksheet, ctx: _Ctx) -> None:
    _sheet_title(ws, "Land conversions", "地类转换",
                 "Land converted from one land use to another in each planning period (ha); a period runs from the "
                 "previous milestone (or the baseline) to its ending year.")
    c = ctx.result.conversions.reset_index()
    starts = dict(zip(ctx.years, (ctx.baseline_year, *ctx.years[:-1])))
    if c.empty:
        write_note(ws, HEADER_ROW - 1, "No land is converted in this plan. 本方案无地类转换。")
        c = pd.DataFrame(columns=["region", "from_land_use", "to_land_use", "year", "area_ha"])
    c = _sort(c, ctx, ["region", "year", "from_land_use", "to_land_use"])
    c["period_start"] = c["year"].map(lambda y: starts.get(int(y)))
    c = _with_names(c, ctx)[["region", "region_zh", "period_start", "year", "from_land_use", "from_land_use_zh",
                             "to_land_use", "to_land_use_zh", "area_ha"]]
    write_table(ws, c, HEADER_ROW, table_name="Conversions", totals=["area_ha"],
                headers=ID_HEADERS | {"period_start": "period start 起始年", "year": "period ending year 截止年",
                                      "area_ha": "area converted 转换面积 (ha)"},
                number_formats={"period_start": FMT_YEAR, "year": FMT_YEAR})


# --------------------------------------------------------------------------- carbon
def _carbon(ws: Worksheet, ctx: _Ctx) -> None:
    ty = ctx.target_year
    r = _sheet_title(ws, "Carbon account", "碳账户",
                     f"t CO2e per year. {COEFFICIENT_NOTE}. Signed contributions: sinks +, emissions −; "
                     f"the net sink is their sum.")
    c = ctx.result.carbon.reset_index()
    c["region"] = c["region"].astype(str)
    c["sign"] = c["term"].map(lambda t: TERM_SIGNS.get(t, 0))
    c["contribution"] = np.where(c["term"] == NET, c["t_co2e_per_yr"], c["sign"] * c["t_co2e_per_yr"])
    terms = [t for t in [*TERMS, NET] if t in set(c["term"])]

    write_title(ws, r, f"Target year {ty}: carbon account by region (t CO2e/yr, sinks +, emissions −) "
                       f"目标年各区域碳账户", level=2)
    piv = _pivot(c[c["year"] == ty], "contribution", "term", ctx, terms)
    for t in terms:
        if t not in piv.columns:
            piv[t] = 0.0
    labels = {t: _bilingual(t if t != NET else "net sink", TERMS[t][2] if t in TERMS else NET_LABELS[1])
              + ("" if t == NET else (" (+)" if TERM_SIGNS[t] > 0 else " (−)")) for t in terms}
    b_piv = write_table(ws, piv[["region", "region_zh", *terms]], HEADER_ROW, table_name="CarbonTargetYear",
                        units={t: UNIT for t in terms}, number_formats={t: FMT_2 for t in terms},
                        labels=labels, headers=ID_HEADERS, totals=terms)
    shown = [t for t in terms if t == NET or (piv[t].abs() > 1e-9).any()]
    width = _chart_width(ws, b_piv.last_col)
    chart = bar_chart(ws, b_piv, shown, "region", f"Carbon account by region, {ty} 各区域碳账户", UNIT,
                      number_format="#,##0", series_titles={t: TERM_SHORT.get(t, t) for t in shown},
                      width_cm=width, height_cm=CHART_H)
    anchor = b_piv.end_row + 2
    ws.add_chart(chart, f"A{anchor}")

    r = anchor + chart_rows(CHART_H) + 1
    write_title(ws, r, f"Target year {ty}: net sequestration by land use (t CO2e/yr, + = sink) 目标年分地类净固碳",
                level=2)
    lu = ctx.result.carbon_by_land_use.reset_index()
    lu["region"] = lu["region"].astype(str)
    lu["land_use"] = lu["land_use"].astype(str)
    lus = [x for x in ctx.land_uses if x in set(lu["land_use"])]
    lu_piv = _pivot(lu[lu["year"] == ty], "t_co2e_per_yr", "land_use", ctx, lus)
    lu_piv["total"] = lu_piv[lus].sum(axis=1)
    b_lu = write_table(ws, lu_piv, r + 1, table_name="CarbonByLandUseTargetYear",
                       units={x: UNIT for x in lus} | {"total": UNIT},
                       number_formats={x: FMT_2 for x in lus} | {"total": FMT_2},
                       labels={x: _bilingual(x, ctx.lu_zh.get(x, "")) for x in lus} | {"total": "total 合计"},
                       headers=ID_HEADERS, totals=lus + ["total"])

    col = _right_start(ws, max(b_piv.last_col, b_lu.last_col), width)
    write_title(ws, HEADER_ROW - 1, col=col, text="Carbon account, every year 各年份碳账户", level=2)
    long = _sort(c, ctx, ["region", "year", "term"])
    long["label"] = long["term"].map(lambda t: TERMS[t][1] if t in TERMS else NET_LABELS[0])
    long["label_zh"] = long["term"].map(lambda t: TERMS[t][2] if t in TERMS else NET_LABELS[1])
    long.loc[long["term"] == NET, "contribution"] = np.nan  # the net is the sum of the others, not a term
    long["sign"] = long["sign"].where(long["term"] != NET, np.nan)
    long = _with_names(long, ctx)[["region", "region_zh", "year", "term", "label", "label_zh", "sign",
                                   "t_co2e_per_yr", "contribution"]]
    b_long = write_table(ws, long, HEADER_ROW, start_col=col, table_name="Carbon",
                         headers=ID_HEADERS | {"term": "term 分项", "label": "label (English)", "label_zh": "名称（中文）",
                                               "sign": "sign 符号",
                                               "t_co2e_per_yr": f"amount 数量 ({UNIT})",
                                               "contribution": f"signed contribution 贡献 ({UNIT})"},
                         number_formats={"sign": "+0;-0;0", "contribution": FMT_2})

    col2 = b_long.last_col + 2
    write_title(ws, HEADER_ROW - 1, col=col2, text="Carbon by land use, every year 各年份分地类碳汇", level=2)
    lu_long = _with_names(_sort(lu, ctx, ["region", "land_use", "year"]), ctx)
    write_table(ws, lu_long[["region", "region_zh", "land_use", "land_use_zh", "year", "t_co2e_per_yr"]],
                HEADER_ROW, start_col=col2, table_name="CarbonByLandUse",
                headers=ID_HEADERS | {"t_co2e_per_yr": f"net sequestration 净固碳 ({UNIT}, + = sink)"})


# --------------------------------------------------------------------------- grazing, energy
GRAZING_HEADERS = {
    "grassland_ha": "grassland 草地 (ha)", "grazed_ha": "grazed 放牧草地 (ha)",
    "rested_ha": "rested (grazing ban or rest) 禁牧休牧 (ha)", "rest_min_ha": "rest minimum 禁牧休牧下限 (ha)",
    "capacity_su": "carrying capacity 理论载畜量 (SU)", "livestock_su": "livestock 牲畜 (SU)",
    "livestock_min_su": "livestock floor 牲畜下限 (SU)", "utilisation_pct": "utilisation 载畜率 (%)",
    "ch4_t_co2e_per_yr": f"CH4 甲烷 ({UNIT})",
}
ENERGY_HEADERS = {
    "pv_ha": "PV area 光伏用地 (ha)", "suitable_ha": "suitable area 适宜面积 (ha)",
    "pv_mw": "PV capacity 光伏装机 (MW)", "other_clean_mw": "other clean capacity 其他清洁能源装机 (MW)",
    "clean_mw": "total clean capacity 清洁能源总装机 (MW)", "target_mw": "target 目标 (MW)",
    "pv_mwh_per_yr": "PV output 光伏发电量 (MWh/yr)",
}


def _region_year_sheet(ws: Worksheet, ctx: _Ctx, df: pd.DataFrame, headers: dict[str, str], name: str,
                       empty_note: str) -> None:
    d = df.reset_index()
    cols = ["region", "year", *[c for c in headers if c in d.columns]]
    if d.empty:
        write_note(ws, HEADER_ROW - 1, empty_note)
        d = pd.DataFrame(columns=cols)
    d = _with_names(_sort(d[cols], ctx, ["region", "year"]), ctx)
    write_table(ws, d, HEADER_ROW, table_name=name, headers=ID_HEADERS | headers)


def _grazing(ws: Worksheet, ctx: _Ctx) -> None:
    _sheet_title(ws, "Grass-livestock balance", "草畜平衡",
                 "Livestock (sheep units, SU) against the carrying capacity of grazed grassland; utilisation = "
                 "livestock ÷ capacity. Rested grassland is under a grazing ban or rest.")
    _region_year_sheet(ws, ctx, ctx.result.grazing, GRAZING_HEADERS, "Grazing",
                       "No grazing rows in the inputs: the grass-livestock balance is not modelled. 输入中无草畜平衡数据。")


def _energy(ws: Worksheet, ctx: _Ctx) -> None:
    _sheet_title(ws, "Clean energy", "清洁能源",
                 "PV land and capacity against the land suitable for PV and the clean-energy capacity target; "
                 "total = PV + other clean capacity.")
    _region_year_sheet(ws, ctx, ctx.result.energy, ENERGY_HEADERS, "Energy",
                       "No energy rows in the inputs: clean-energy siting is not modelled. 输入中无清洁能源数据。")


# --------------------------------------------------------------------------- constraints
SENSE_SYMBOLS = {"<=": "≤", ">=": "≥", "==": "="}


def _clean_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Spreadsheet rows 0 (derived, not a cell) become blank; senses read ≤ ≥ =."""
    df = df.copy()
    if "sense" in df.columns:
        df["sense"] = df["sense"].map(lambda v: SENSE_SYMBOLS.get(v, v))
    if "row" in df.columns:
        df["row"] = df["row"].where(pd.to_numeric(df["row"], errors="coerce").fillna(0) > 0, np.nan)
    return df


def _binding(ws: Worksheet, ctx: _Ctx) -> None:
    _sheet_title(ws, "Binding constraints", "起作用的约束",
                 "Shadow price = change in the net sink (t CO2e/yr) if the requirement's right-hand side grows by one "
                 "unit (see the unit column). Negative: the requirement costs carbon sink; positive: relaxing it "
                 "lowers the sink.")
    ws.freeze_panes = "A3"
    res = ctx.result
    cons = res.constraints
    cols = ["label", "meaning", "shadow_price", "unit", "rhs", "sense", "sheet", "row", "column", "family", "region",
            "land_use", "year"]
    if cons.empty or "binding" not in cons.columns:
        b = pd.DataFrame(columns=cols)
    else:
        b = res.binding
        b = b[[c for c in cols if c in b.columns]]
    title = "Binding policy constraints, largest effect first 起作用的政策约束"
    if b.empty:
        title += " — none: no policy requirement limits the net sink 无"
    write_title(ws, HEADER_ROW - 1, title, level=2)
    heads = {"label": "constraint 约束", "meaning": "meaning 含义", "shadow_price": "shadow price 影子价格 (t CO2e/yr per unit)",
             "unit": "unit 单位", "rhs": "right-hand side 约束值", "sense": "sense 关系", "sheet": "source sheet 来源工作表",
             "row": "source row 行", "column": "source column 列", "family": "family 约束族",
             "activity": "activity 实际值", "slack": "slack 余量", "binding": "binding 起作用", "policy": "policy 政策约束",
             "constraint": "constraint type 约束类型"} | {k: v for k, v in ID_HEADERS.items() if k in ("region", "land_use", "year")}
    blk = write_table(ws, _clean_rows(b), HEADER_ROW, table_name="BindingConstraints",
                      headers=heads, freeze=False, number_formats={"row": FMT_YEAR, "year": FMT_YEAR})
    r = write_title(ws, blk.end_row + 2, "All constraints 全部约束", level=2)
    cols = ["label", "family", "sense", "rhs", "unit", "activity", "slack", "binding", "policy", "shadow_price",
            "sheet", "row", "column", "region", "land_use", "year"]
    allc = cons[[c for c in cols if c in cons.columns]] if not cons.empty else pd.DataFrame(columns=cols)
    write_table(ws, _clean_rows(allc), r, table_name="AllConstraints", headers=heads, freeze=False,
                number_formats={"row": FMT_YEAR, "year": FMT_YEAR})


# --------------------------------------------------------------------------- inputs
def _settings_table(spec: ModelSpec) -> pd.DataFrame:
    from landopt.template import SETTINGS_UNITS

    rows = []
    for key, (_kind, _default, desc) in SETTINGS_KEYS.items():
        v = spec.settings.get(key)
        if isinstance(v, bool):
            v = "yes" if v else "no"
        elif isinstance(v, (set, frozenset)):
            v = ",".join(sorted(map(str, v)))
        elif isinstance(v, (tuple, list)):
            v = ",".join(map(str, v))
        rows.append((key, v, SETTINGS_UNITS.get(key, ""), desc))
    return pd.DataFrame(rows, columns=["key", "value", "unit", "description"])


def _echo_columns(name: str, df: pd.DataFrame) -> pd.DataFrame:
    order = SHEETS[name].column_names if name in SHEETS else []
    cols = [c for c in order if c in df.columns] + [c for c in df.columns if c not in order and not str(c).startswith("_")]
    return df[cols]


def _inputs(ws: Worksheet, ctx: _Ctx) -> None:
    spec = ctx.spec
    _sheet_title(ws, "Inputs", "输入数据",
                 f"The inputs this plan was computed from: {spec.input_path or 'in-memory tables'} "
                 f"(SHA-256 {spec.input_sha256[:16]}…), scenario {spec.scenario or 'base'}.")
    ws.freeze_panes = "A3"
    blocks: list[tuple[str, str, pd.DataFrame]] = [("settings", SHEETS["settings"].description, _settings_table(spec))]
    for name in ("regions", "land_uses", "baseline"):
        blocks.append((name, SHEETS[name].description, _echo_columns(name, getattr(spec, name))))
    carbon = spec.carbon.rename(columns={"sheet": "from_sheet"}) if not spec.carbon.empty else spec.carbon
    blocks.append(("carbon coefficients used", "Carbon flux used for every region and land use (land_uses default or "
                   "carbon_by_region override), t C/ha/yr, emission +, sink −.",
                   _echo_columns("carbon_by_region", carbon)))
    for name in ("transitions", "targets", "grazing", "energy", "area_bounds"):
        blocks.append((name, SHEETS[name].description, _echo_columns(name, getattr(spec, name))))
    if spec.overrides is not None and not spec.overrides.empty:
        blocks.append(("scenario overrides", f"Overrides applied for scenario {spec.scenario}.",
                       spec.overrides[[c for c in spec.overrides.columns if not str(c).startswith("_")]]))
    if spec.sources is not None and not spec.sources.empty:
        blocks.append(("sources", SHEETS["sources"].description, _echo_columns("sources", spec.sources)))

    r = HEADER_ROW - 1
    for title, desc, df in blocks:
        write_title(ws, r, f"{title} — {desc}", level=2)
        if df.empty:
            r = write_note(ws, r + 1, "(no rows)") + 1
            continue
        sheet = SHEETS.get(title.split()[0]) if title.split()[0] in SHEETS else None
        if title == "carbon coefficients used":
            sheet = SHEETS["carbon_by_region"]
        units = {c.name: c.unit for c in sheet.columns} if sheet else {}
        headers = {c: (f"{c} ({units[c]})" if units.get(c) and units[c] != c else c) for c in df.columns}
        # free-form value columns (settings, sources, overrides) hold years, counts and text: General
        fmts = {"utilisation_rate": "0.00", "value": None, "year": FMT_YEAR if title != "sources" else None}
        blk = write_table(ws, df, r + 1, units=units, headers=headers, number_formats=fmts, freeze=False,
                          table_name=f"Input_{title.replace(' ', '_')}", wrap_text_over=60)
        r = blk.end_row + 2


# --------------------------------------------------------------------------- sensitivity
def _sensitivity(ws: Worksheet, ctx: _Ctx) -> None:
    """Which results are robust and which hinge on an uncertain coefficient (HiGHS ranging)."""
    from landopt.sensitivity import BAND_PCT

    _sheet_title(ws, "Sensitivity", "敏感性分析",
                 f"Carbon coefficients: the interval (t C/ha/yr, literature sign) over which the optimal allocation stays "
                 f"the same. 'Robust' = the whole ±{BAND_PCT:g}% band around the coefficient lies inside that interval. "
                 "Right-hand sides: the interval over which each binding requirement's shadow price holds.")
    ws.freeze_panes = "A3"
    res = ctx.result
    coef = res.coef_ranging
    write_title(ws, HEADER_ROW - 1, "Carbon coefficients 碳系数区间", level=2)
    if coef is None or coef.empty:
        ws.cell(row=HEADER_ROW, column=1, value="No ranging information (no optimal basis).")
        return
    c = coef.reset_index()
    if "carbon_flux_tC_per_ha_yr" in c.columns:
        c = c[["region", "land_use", "carbon_flux_tC_per_ha_yr", "lower_tC_per_ha_yr", "upper_tC_per_ha_yr",
               "area_ha", "robust", "verdict"]]
    else:  # stock-change accounting: the value of each conversion cohort per ha, and its interval
        c = c[["region", "from_land_use", "to_land_use", "year", "value_t_co2e_per_ha", "lower_t_co2e_per_ha",
               "upper_t_co2e_per_ha", "area_ha", "robust", "verdict"]]
    c = c.replace([np.inf, -np.inf], np.nan)
    heads = {"carbon_flux_tC_per_ha_yr": "coefficient 碳系数 (t C/ha/yr)", "lower_tC_per_ha_yr": "plan unchanged from 下限 (t C/ha/yr; blank = no limit)",
             "upper_tC_per_ha_yr": "plan unchanged up to 上限 (t C/ha/yr; blank = no limit)", "area_ha": "area in objective years 面积 (ha)",
             "robust": "robust 稳健", "verdict": "what it means 解读",
             "value_t_co2e_per_ha": "value of converting 1 ha 每公顷转换价值 (t CO2e/ha)",
             "lower_t_co2e_per_ha": "plan unchanged from 下限 (t CO2e/ha; blank = no limit)",
             "upper_t_co2e_per_ha": "plan unchanged up to 上限 (t CO2e/ha; blank = no limit)",
             "from_land_use": "from 转出地类", "to_land_use": "to 转入地类"} | {k: v for k, v in ID_HEADERS.items() if k in ("region", "land_use", "year")}
    blk = write_table(ws, c, HEADER_ROW, table_name="CoefficientRanging", headers=heads, freeze=False,
                      number_formats={"carbon_flux_tC_per_ha_yr": "0.0000", "lower_tC_per_ha_yr": "0.0000",
                                      "upper_tC_per_ha_yr": "0.0000"})
    rhs = res.rhs_ranging
    r = write_title(ws, blk.end_row + 2, "Right-hand sides of binding requirements 约束值区间", level=2)
    if rhs is None or rhs.empty:
        ws.cell(row=r + 1, column=1, value="No binding policy requirement.")
        return
    rr = _clean_rows(rhs.replace([np.inf, -np.inf], np.nan))
    _rejected_options(ws, ctx, r)
    heads = {"label": "constraint 约束", "rhs": "right-hand side 约束值", "rhs_lower": "shadow price holds from 下限",
             "rhs_upper": "shadow price holds up to 上限", "shadow_price": "shadow price 影子价格 (t CO2e/yr per unit)",
             "meaning": "what it means 解读", "unit": "unit 单位", "sense": "sense 关系", "sheet": "source sheet 来源工作表",
             "row": "source row 行", "column": "source column 列", "constraint": "constraint type 约束类型"}
    write_table(ws, rr, r + 1, table_name="RhsRanging", headers=heads, freeze=False, number_formats={"row": FMT_YEAR})


def _rejected_options(ws: Worksheet, ctx: _Ctx, row_after: int) -> None:
    """Reduced costs: options the plan leaves at zero, to the right of the right-hand-side table."""
    rej = ctx.result.rejected_options
    col = 20
    write_title(ws, row_after, "Options the plan leaves unused (reduced costs) 未采用的方案（检验数）", col=col, level=2)
    if rej is None or rej.empty:
        ws.cell(row=row_after + 1, column=col, value="None: every option left at zero is a tie.")
        return
    heads = {"variable": "option 方案", "meaning": "what forcing one unit would do 含义",
             "reduced_cost": "reduced cost 检验数 (t CO2e/yr per unit)", "kind": "kind 类型"}
    write_table(ws, rej[["variable", "meaning", "reduced_cost", "kind"]], row_after + 1, start_col=col,
                table_name="ReducedCosts", headers=heads, freeze=False)


# --------------------------------------------------------------------------- entry point
def write_plan_workbook(result: PlanResult, path: Path) -> Path:
    """Write the planner workbook for an optimal ``result`` to ``path`` atomically; returns ``path``.

    Raises ValueError for a result that is not optimal (infeasible runs get a diagnosis instead).
    """
    if not result.optimal:
        raise ValueError(f"the plan workbook needs an optimal result; this run is {result.status!r}: {result.message}")
    path = Path(path)
    ctx = _ctx(result)
    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
    _summary(ws, ctx)
    _allocation(wb.create_sheet("allocation"), ctx)
    _conversions(wb.create_sheet("conversions"), ctx)
    _carbon(wb.create_sheet("carbon"), ctx)
    _grazing(wb.create_sheet("grazing"), ctx)
    _energy(wb.create_sheet("energy"), ctx)
    _binding(wb.create_sheet("binding_constraints"), ctx)
    _sensitivity(wb.create_sheet("sensitivity"), ctx)
    _inputs(wb.create_sheet("inputs"), ctx)
    wb.properties.title = f"{ctx.spec.title} — landopt plan"
    wb.properties.creator = f"landopt {result.metadata.get('landopt_version', '')}".strip()
    wb.active = 0
    log.info("writing the plan workbook %s (%d sheets)", path, len(wb.worksheets))
    return atomic_save(wb, path)
