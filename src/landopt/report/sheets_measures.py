"""Plan workbook sheets about the planning measures: the grass-livestock balance, clean energy and forest growing
stock, each with the ranges among equally good plans where the result has them (:mod:`landopt.report.equally_good`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from landopt.report.context import HEADER_ROW, Ctx
from landopt.report.equally_good import NOTE as EQUALLY_GOOD_NOTE
from landopt.report.equally_good import add_range_columns
from landopt.report.xlsx import FMT_1, FMT_2, FMT_INT, FMT_YEAR, write_note, write_table


def grazing(ctx: Ctx) -> None:
    ws = ctx.sheet("grazing")
    ctx.title(ws, "grazing", (
        "草畜平衡：理论载畜量分别按全部草地和放牧草地（扣除禁牧休牧）计算；载畜水平 = 实际载畜量 ÷ 理论载畜量（100%即草畜平衡，超过即超载）。",
        "Grass-livestock balance: carrying capacity of all grassland and of the grazed part (without the grazing ban/rest "
        "area); stocking against capacity = livestock ÷ capacity (100% = in balance; above it, overstocked)."))
    g = ctx.result.grazing.reset_index()
    if g.empty:
        write_note(ctx.book, ws, HEADER_ROW - 1, ctx.t(("输入中无草畜平衡数据：未建模。", "No grazing rows in the inputs: not modelled.")))
        g = pd.DataFrame(columns=["region", "year", *ctx.result.grazing.columns])
    if not g.empty:  # capacity of all grassland if none were rested (good and degraded, from the grazing table)
        with np.errstate(divide="ignore", invalid="ignore"):
            g["utilisation_all_pct"] = np.where(g["capacity_all_su"] > 0, g["livestock_su"] / g["capacity_all_su"] * 100, np.nan)
    else:
        g["capacity_all_su"], g["utilisation_all_pct"] = np.nan, np.nan
    g = ctx.sort(g, ["region", "year"])
    g.insert(1, "region_name", ctx.region_names(g["region"]))
    cols = ["region", "region_name", "year", "grassland_ha", "capacity_all_su", "utilisation_all_pct", "grazed_ha", "rested_ha",
            "rest_min_ha", "capacity_su", "livestock_su", "livestock_min_su", "utilisation_pct", "ch4_t_co2e_per_yr"]
    g, cols, eq_heads, eq = add_range_columns(ctx, g, "livestock_su", "livestock_su", cols, ("牲畜数量", "livestock"), "SU")
    h = ctx.h
    blk = write_table(ctx.book, ws, g[cols], HEADER_ROW, name="Grazing", cap=ctx.cap_long, full_name="grazing", headers=eq_heads | {
        "region": ctx.t("region_id"), "region_name": ctx.t("region"), "year": ctx.t("year"),
        "grassland_ha": h(("全部草地", "all grassland"), "ha"),
        "capacity_all_su": h(("全部草地理论载畜量", "capacity of all grassland"), "SU"),
        "utilisation_all_pct": h(("载畜水平（实际/理论载畜量，按全部草地）", "stocking against capacity, all grassland"), "%"),
        "grazed_ha": h(("放牧草地", "grazed grassland"), "ha"), "rested_ha": h(("禁牧休牧草地", "grazing ban / rest"), "ha"),
        "rest_min_ha": h(("禁牧休牧面积下限", "ban/rest minimum"), "ha"),
        "capacity_su": h(("放牧草地理论载畜量", "capacity of grazed grassland"), "SU"),
        "livestock_su": h(("牲畜数量", "livestock"), "SU"), "livestock_min_su": h(("牲畜数量下限", "livestock floor"), "SU"),
        "utilisation_pct": h(("载畜水平（实际/理论载畜量，按放牧草地）", "stocking against capacity, grazed grassland"), "%"),
        "ch4_t_co2e_per_yr": h(("牲畜甲烷排放", "livestock CH4"), "t CO2e/yr")},
        formats={c: FMT_INT for c in cols[3:]} | {"year": FMT_YEAR, "utilisation_all_pct": FMT_1, "utilisation_pct": FMT_1})
    if eq:
        write_note(ctx.book, ws, blk.end_row + 1, ctx.t(EQUALLY_GOOD_NOTE), wrap_cols=8)


def energy(ctx: Ctx) -> None:
    ws = ctx.sheet("energy")
    ctx.title(ws, "energy", ("光伏用地、装机与清洁能源装机；总装机 = 光伏 + 其他清洁能源；全区光伏装机目标见表下说明。",
                             "PV land and capacity; total = PV + other clean capacity; the province-wide PV target is "
                             "under the table."))
    e = ctx.result.energy.reset_index()
    if e.empty:
        write_note(ctx.book, ws, HEADER_ROW - 1, ctx.t(("输入中无清洁能源数据：未建模。", "No energy rows in the inputs: not modelled.")))
        e = pd.DataFrame(columns=["region", "year", *ctx.result.energy.columns])
    e = ctx.sort(e, ["region", "year"])
    e.insert(1, "region_name", ctx.region_names(e["region"]))
    cols = ["region", "region_name", "year", "pv_ha", "suitable_ha", "pv_mw", "base_min_mw", "other_clean_mw", "clean_mw",
            "target_mw", "pv_mwh_per_yr"]
    # a column blank on every row (e.g. no region has its own clean-capacity target) says nothing: left out
    cols = [c for c in cols if c in e.columns and (c in cols[:3] or e.empty or e[c].notna().any())]
    e, cols, eq_heads, eq = add_range_columns(ctx, e, "pv_mw", "pv_mw", cols, ("光伏装机", "PV capacity"), "MW")
    e = e[cols]
    h = ctx.h
    b = write_table(ctx.book, ws, e, HEADER_ROW, name="Energy", cap=ctx.cap_long, full_name="energy", headers=eq_heads | {
        "region": ctx.t("region_id"), "region_name": ctx.t("region"), "year": ctx.t("year"),
        "pv_ha": h(("光伏用地", "PV area"), "ha"), "suitable_ha": h(("光伏适宜面积", "suitable area"), "ha"),
        "pv_mw": h(("光伏装机", "PV capacity"), "MW"), "base_min_mw": h(("清洁能源基地光伏下限", "PV minimum of the bases"), "MW"),
        "other_clean_mw": h(("其他清洁能源装机", "other clean capacity"), "MW"),
        "clean_mw": h(("清洁能源总装机", "total clean capacity"), "MW"), "target_mw": h(("装机目标", "target"), "MW"),
        "pv_mwh_per_yr": h(("光伏发电量", "PV output"), "MWh/yr")},
        formats={"year": FMT_YEAR, "pv_ha": FMT_INT, "suitable_ha": FMT_INT, "pv_mw": FMT_2, "base_min_mw": FMT_2,
                 "other_clean_mw": FMT_2,
                 "clean_mw": FMT_2, "target_mw": FMT_2, "pv_mwh_per_yr": FMT_INT, "pv_mw_min_eq": FMT_2, "pv_mw_max_eq": FMT_2})
    r = b.end_row + 1
    if eq:
        r = write_note(ctx.book, ws, r, ctx.t(EQUALLY_GOOD_NOTE), wrap_cols=8)
    pt = ctx.result.spec.province_targets
    if not pt.empty and "pv_capacity_min_mw" in pt.columns and pt["pv_capacity_min_mw"].notna().any():
        got = ctx.result.energy["pv_mw"].groupby(level="year").sum() if not ctx.result.energy.empty else pd.Series(dtype=float)
        rows = [(int(y), float(v), float(got.get(int(y), 0.0))) for y, v in zip(pt["year"], pt["pv_capacity_min_mw"]) if v == v]
        write_note(ctx.book, ws, r, ctx.t((
            "全区光伏装机目标（全域目标表）：" + "；".join(f"{y}年 {v:,.0f} MW（本方案全区 {g:,.0f} MW）" for y, v, g in rows)
            + "。目标针对全区合计，不分摊到各区域。",
            "Province-wide PV capacity target (province_targets): " + "; ".join(
                f"{y}: {v:,.0f} MW (this plan, all regions: {g:,.0f} MW)" for y, v, g in rows)
            + ". The target is for all regions together, not per region.")))


def forest_stock(ctx: Ctx) -> None:
    """Forest growing stock 森林蓄积量 per region and milestone (the baseline year included), m³ and 亿m³, with the
    province-wide target where one is given (docs/model.md §6.16)."""
    ws = ctx.sheet("forest_stock")
    ctx.title(ws, "forest_stock", (
        "森林蓄积量：现有林按基期单位面积蓄积及年增长计，新造林自转换期中点起按幼林生长量计；目标为全域合计，见“全区合计”行。",
        "Forest growing stock: standing forest at its baseline stock per ha plus yearly growth, new forest growing at "
        "the young-stand rate from the middle of its period; the target is for all regions together (rows 全区合计)."))
    v = ctx.result.forest_stock.reset_index()
    if v.empty:
        v = pd.DataFrame(columns=["region", "year", "stock_m3", "stock_yi_m3", "province_min_m3"])
    v = ctx.sort(v, ["region", "year"])
    v.insert(1, "region_name", ctx.region_names(v["region"]))
    if not v.empty:  # the target is on the sum of all regions: shown on a total row per year, not on each region's
        tot = v.groupby("year", sort=True)[["stock_m3", "stock_yi_m3"]].sum().reset_index()
        tot["province_min_m3"] = v.groupby("year", sort=True)["province_min_m3"].first().to_numpy()
        tot["region"], tot["region_name"] = "", ctx.t(("全区合计", "all regions"))
        v["province_min_m3"] = np.nan
        v = pd.concat([v, tot.reindex(columns=v.columns)], ignore_index=True)
    h = ctx.h
    write_table(ctx.book, ws, v[["region", "region_name", "year", "stock_m3", "stock_yi_m3", "province_min_m3"]],
                HEADER_ROW, name="ForestStock", cap=ctx.cap_long, full_name="forest_stock", headers={
                    "region": ctx.t("region_id"), "region_name": ctx.t("region"), "year": ctx.t("year"),
                    "stock_m3": h(("森林蓄积量", "growing stock"), "m³"),
                    "stock_yi_m3": h(("森林蓄积量", "growing stock"), "10⁸ m³" if ctx.lang == "en" else "亿m³"),
                    "province_min_m3": h(("全域蓄积量目标", "province-wide target"), "m³")},
                formats={"year": FMT_YEAR, "stock_m3": FMT_INT, "stock_yi_m3": "#,##0.0000", "province_min_m3": FMT_INT})
