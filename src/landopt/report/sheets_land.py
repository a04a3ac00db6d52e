"""Plan workbook sheets about land and carbon: allocation, detail, conversions, carbon (grazing, energy and forest
stock: :mod:`landopt.report.sheets_measures`)."""

from __future__ import annotations

import pandas as pd

from landopt.model.carbon import STOCK_TERMS
from landopt.model.objective import FLUX_TERMS
from landopt.report.brief import CONSTRUCTION, land_use_totals
from landopt.report.caveats import HEADER as CAVEAT_HEADER
from landopt.report.caveats import RULE as CAVEAT_RULE
from landopt.report.caveats import Caveats
from landopt.report.context import HEADER_ROW, Ctx
from landopt.report.i18n import TERMS
from landopt.report.style import TERM_COLOURS
from landopt.report.xlsx import FMT_1, FMT_2, FMT_INT, FMT_YEAR, write_note, write_table, write_title
from landopt.report.xlsx_blocks import bar_chart, chart_rows

CHART_W, CHART_H = 760, 400  # px


def _pivot(ctx: Ctx, df: pd.DataFrame, value: str, columns: str, order: list[str]) -> pd.DataFrame:
    p = df.pivot_table(index="region", columns=columns, values=value, aggfunc="sum", fill_value=0.0, sort=False)
    p = p.reindex(index=ctx.names.regions, columns=[c for c in order if c in p.columns]).fillna(0.0)
    p.columns = [str(c) for c in p.columns]
    p.insert(0, "region", ctx.region_names(pd.Series(p.index)))
    return p.reset_index(drop=True)


def _lu_head(ctx: Ctx, land_use: str, unit: str) -> str:
    """'林地 forest（公顷/ha）' (English only: 'forest (ha)'): a land use's column header with its unit."""
    name = ctx.names.land_use(land_use, ctx.lang)
    return f"{name} ({ctx.u(unit)})" if ctx.lang == "en" else f"{name}（{ctx.u(unit)}）"


def _charts_below(ctx: Ctx, ws, row: int, charts: list, breaks: list[int] | None = None) -> int:
    """Charts stacked under the tables, each starting a printed page (none is cut by a page break); ``breaks``: rows
    above that start a printed page too."""
    breaks = list(breaks or [])
    for ch in charts:
        breaks.append(row)
        ws.insert_chart(row, 0, ch)
        row += chart_rows(CHART_H) + 1
    ws.set_h_pagebreaks(breaks)
    return row


def allocation(ctx: Ctx) -> None:
    ws = ctx.sheet("allocation")
    ty, by = ctx.target_year, ctx.baseline_year
    ctx.title(ws, "allocation", (f"各区域、各地类目标年（{ty}年）面积及相对基期（{by}年）的变化，单位公顷；变化 = 面积 − 基期面积。",
                                 f"Area by region and land use in the target year {ty} and change from the baseline {by} (ha)."))
    a = ctx.result.allocation.reset_index()
    a["region"], a["land_use"] = a["region"].astype(str), a["land_use"].astype(str)
    present = set(a["land_use"].unique().tolist())  # once, not once per land use
    lus = [x for x in ctx.names.land_uses if x in present]
    tgt = a[a["year"] == ty]
    heads = {"region": ctx.t("region")} | {x: _lu_head(ctx, x, "ha") for x in lus}
    heads["total"] = ctx.h("total", "ha")
    fm = {x: FMT_INT for x in [*lus, "total"]}

    write_title(ctx.book, ws, HEADER_ROW - 1, ctx.t((f"{ty}年各区域分地类面积", f"Area in {ty} by region and land use")), level=2)
    area = _pivot(ctx, tgt, "area_ha", "land_use", lus)
    area["total"] = area[lus].sum(axis=1)
    b1 = write_table(ctx.book, ws, area, HEADER_ROW, headers=heads, formats=fm, name="AreaTargetYear", totals=[*lus, "total"])
    r = write_title(ctx.book, ws, b1.end_row + 2, ctx.t((f"{ty}年相对{by}年的面积变化", f"Change {by}→{ty}")), level=2)
    change = _pivot(ctx, tgt, "change_ha", "land_use", lus)
    # the net change of a region is 0 up to float noise (±1e-10 prints as "-0"): below 1e-6 ha it is 0
    change["total"] = change[lus].sum(axis=1).where(lambda v: v.abs() >= 1e-6, 0.0)
    b2 = write_table(ctx.book, ws, change, r, headers=heads | {"total": ctx.h("net", "ha")}, formats=fm,
                     name="ChangeTargetYear", totals=[*lus, "total"])
    r = write_note(ctx.book, ws, b2.end_row + 1, ctx.t(("净变化合计为零：各区域土地总面积不变，一类用地增加必有另一类减少。",
                                                       "The net column sums to zero: a region's total area is fixed.")))
    r = _redevelopment_note(ctx, ws, r)

    r = write_title(ctx.book, ws, r + 1, ctx.t(("全区分地类面积变化", "All regions: change by land use")), level=2)
    tot = land_use_totals(ctx.result)
    tot.insert(1, "name", ctx.lu_names(tot["land_use"]))
    tot = tot[["name", "baseline_ha", "area_ha", "change_ha", "change_10k_mu", "change_pct"]]
    b3 = write_table(ctx.book, ws, tot, r, name="ChangeByLandUse",
                     headers={"name": ctx.t("land_use"), "baseline_ha": ctx.h(("基期面积", f"baseline {by}"), "ha"),
                              "area_ha": ctx.h(("目标年面积", f"area {ty}"), "ha"), "change_ha": ctx.h("change", "ha"),
                              "change_10k_mu": ctx.h("change", "mu10k"), "change_pct": ctx.h("change_pct", "%")},
                     formats={"baseline_ha": FMT_INT, "area_ha": FMT_INT, "change_ha": FMT_INT, "change_10k_mu": FMT_2,
                              "change_pct": FMT_1})

    small = [x for x in lus if ctx.names.roles.get(x) in ("cropland", *CONSTRUCTION)]
    big = [x for x in lus if x not in small and (change[x].abs() > 1e-6).any()]
    charts = []
    groups = ((big, ("各区域用地变化（耕地、建设用地见下图）", "Change by region (cropland and construction: next chart)")),
              (small, ("各区域耕地与建设用地变化", "Change of cropland and construction land by region")))
    for group, title in groups if ctx.region_charts else ():
        if group:
            charts.append(bar_chart(ctx.book, ws, b2, [(x, ctx.names.land_use(x, ctx.lang), ctx.colours[x]) for x in group],
                                    "region", title=f"{ctx.t(title)}，{by}→{ty}", y_title=ctx.h("change", "ha"),
                                    data=change, width_px=CHART_W, height_px=CHART_H))
    if ctx.region_charts:
        _charts_below(ctx, ws, b3.end_row + 1, charts)
    else:
        ctx.no_region_charts_note(ws, b3.end_row + 2)


def allocation_all(ctx: Ctx) -> None:
    ws = ctx.sheet("allocation_all")
    ctx.title(ws, "allocation_all", ("每个区域、地类和规划年份的基期面积、面积与变化（公顷）。",
                                     "Baseline, area and change for every region, land use and milestone year (ha)."))
    a = ctx.sort(ctx.result.allocation.reset_index(), ["region", "land_use", "year"])
    a.insert(1, "region_name", ctx.region_names(a["region"]))
    a.insert(3, "land_use_name", ctx.lu_names(a["land_use"]))
    a = a[["region", "region_name", "land_use", "land_use_name", "year", "baseline_ha", "area_ha", "change_ha", "change_pct"]]
    write_table(ctx.book, ws, a, HEADER_ROW, name="Allocation", cap=ctx.cap_long, full_name="allocation",
                headers={"region": ctx.t("region_id"), "region_name": ctx.t("region"), "land_use": ctx.t("land_use_id"),
                         "land_use_name": ctx.t("land_use"), "year": ctx.t("year"),
                         "baseline_ha": ctx.h(("基期面积", f"baseline {ctx.baseline_year}"), "ha"),
                         "area_ha": ctx.h("area", "ha"), "change_ha": ctx.h("change", "ha"), "change_pct": ctx.h("change_pct", "%")},
                formats={"year": FMT_YEAR, "baseline_ha": FMT_INT, "area_ha": FMT_INT, "change_ha": FMT_INT, "change_pct": FMT_1})


def conversions(ctx: Ctx) -> None:
    ws = ctx.sheet("conversions")
    y1 = min(ctx.years)
    s1 = ctx.period_start(y1)
    first, first_en = f"{s1} → {y1}，即{s1 + 1}–{y1}年", f"{s1} → {y1} is {s1 + 1}–{y1}"
    ctx.title(ws, "conversions", (
        f"各规划期内由一种地类转为另一种地类的面积（公顷）；规划期自上一规划年份（或基期）年末至截止年年末（{first}，"
        "与摘要等处的时段写法相同）。",
        f"Land converted between land uses in each period (ha), from the end of the previous milestone (or the baseline) "
        f"to the end of the ending year ({first_en}, as the brief writes periods)."))
    c = ctx.result.conversions.reset_index()
    if c.empty:
        write_note(ctx.book, ws, HEADER_ROW - 1, ctx.t(("本方案无地类转换。", "No land is converted in this plan.")))
        c = pd.DataFrame(columns=["region", "from_land_use", "to_land_use", "year", "area_ha"])
    c = ctx.sort(c, ["region", "year", "from_land_use", "to_land_use"])
    starts = dict(zip(ctx.years, (ctx.baseline_year, *ctx.years[:-1])))
    c["period_start"] = [starts.get(int(y)) for y in c["year"]]
    c["region_name"] = ctx.region_names(c["region"])
    c["from_name"] = ctx.lu_names(c["from_land_use"])
    c["to_name"] = ctx.lu_names(c["to_land_use"])
    c = c[["region", "region_name", "period_start", "year", "from_land_use", "from_name", "to_land_use", "to_name", "area_ha"]]
    write_table(ctx.book, ws, c, HEADER_ROW, name="Conversions", cap=ctx.cap_long, full_name="conversions", totals=["area_ha"],
                headers={"region": ctx.t("region_id"), "region_name": ctx.t("region"), "period_start": ctx.t("period_start"),
                         "year": ctx.t("period_end"), "from_land_use": ctx.t(("转出地类编号", "from (id)")),
                         "from_name": ctx.t("from"), "to_land_use": ctx.t(("转入地类编号", "to (id)")), "to_name": ctx.t("to"),
                         "area_ha": ctx.h(("转换面积", "area converted"), "ha")},
                formats={"period_start": FMT_YEAR, "year": FMT_YEAR, "area_ha": FMT_INT})


def _term_label(ctx: Ctx, term: str, unit: str = "t CO2e/yr") -> str:
    """'牲畜肠道甲烷排放（CO2当量） livestock enteric methane (CO2e)（吨CO2e/年；t CO2e/yr）': every term is signed
    (removal +, emission −), so no sign mark is needed."""
    return ctx.h(TERMS[term], unit)


NOTE_COLS = 8  #: notes under the carbon tables wrap over this many columns (about one printed page width)
#: terms of the carbon account that belong to no land use: their own columns in the by-land-use tables
NON_LAND_TERMS = ("livestock_ch4", "avoided_emissions")


def _stock_change(ctx: Ctx) -> bool:
    return ctx.result.metadata.get("objective_unit") == "t CO2e"  # IPCC stock-change accounting


def carbon(ctx: Ctx) -> None:
    ws = ctx.sheet("carbon")
    ty, by = ctx.target_year, ctx.baseline_year
    end = int(ctx.result.spec.accounting_end_year)  # the objective's horizon ends here (the target year unless later)
    stock = _stock_change(ctx)
    zh, en = CAVEAT_RULE
    if stock:
        intro = (f"碳账户（IPCC碳储量变化法）：目标函数为{by + 1}–{end}年（自{by}年末至{end}年末）的累计净碳汇（吨CO2e）"
                 + (f"，{ty}年后用地保持{ty}年状态" if end > ty else "") + "；"
                 f"表中各分项为{ty}年的年速率（吨CO2e/年），累计净碳汇单列一栏，各分项的累计量见碳账户明细。"
                 "碳库（吨碳/公顷）与速率（吨碳/公顷/年）乘以44/12换算为CO2e；碳汇为正、排放为负，各分项之和即净碳汇。",
                 f"Carbon account (IPCC stock change): the objective is the cumulative net removals {by + 1}–{end} "
                 f"(t CO2e{f', land use held at its {ty} state after {ty}' if end > ty else ''}); the terms below are annual rates in {ty} (t CO2e/yr), the cumulative net sink has its own "
                 "column and every term's cumulative amount is in the carbon detail sheet. Stocks in t C/ha and rates "
                 "in t C/ha/yr × 44/12; sinks +, emissions −, the terms add up to the net sink. ")
    else:
        intro = ("碳账户，单位吨CO2e/年；碳系数取自文献（吨碳/公顷/年），乘以44/12换算为CO2e。碳汇为正、排放为负，净碳汇为各项之和。",
                 "Carbon account, t CO2e/yr (coefficients t C/ha/yr × 44/12); sinks +, emissions −, the net sink is their sum. ")
    ctx.title(ws, "carbon", (intro[0] + zh, intro[1] + en))
    c = ctx.result.carbon.reset_index()
    c["region"] = c["region"].astype(str)
    present = set(c["term"].unique().tolist())
    terms = [t for t in [*(STOCK_TERMS if stock else FLUX_TERMS), "net_sink"] if t in present]
    shown = [t for t in terms if t == "net_sink" or (c.loc[c["term"] == t, "t_co2e_per_yr"].abs() > 1e-9).any()]
    write_title(ctx.book, ws, HEADER_ROW - 1, ctx.t((f"{ty}年各区域碳账户", f"Carbon account by region, {ty}")), level=2)
    piv = _pivot(ctx, c[c["year"] == ty], "t_co2e_per_yr", "term", shown)
    heads = {"region": ctx.t("region"), "basis": ctx.t(CAVEAT_HEADER)} | {t: _term_label(ctx, t) for t in shown}
    cum = []
    if stock and "cumulative_t_co2e" in c.columns:  # the objective's own figure, per region, beside the annual rates
        net = c[(c["term"] == "net_sink") & (c["year"] == end)].set_index("region")["cumulative_t_co2e"]
        piv["cumulative"] = net.reindex(ctx.names.regions).fillna(0.0).to_numpy()
        heads["cumulative"] = ctx.h((f"{by + 1}–{end}年累计净碳汇", f"cumulative net sink {by + 1}–{end}"), "t CO2e")
        cum = ["cumulative"]
    cav = Caveats.of(ctx.result.spec, ctx.lang)
    piv["basis"] = [cav.flag(cav.carbon, reg) for reg in ctx.names.regions]
    b = write_table(ctx.book, ws, piv, HEADER_ROW, name="CarbonTargetYear", totals=[*shown, *cum], headers=heads,
                    formats={t: FMT_INT for t in [*shown, *cum]})
    years_all = ctx.result.spec.settings.get("objective_years") == "all"
    if stock:
        z = ctx.result.objective
        note = (f"合计行为各区域之和；各分项（碳汇为正、排放为负）之和即净碳汇。净碳汇（年速率）合计为{ty}年全区的年速率（吨CO2e/年），"
                f"不是目标函数；累计净碳汇合计即目标函数：{by + 1}–{end}年累计净碳汇"
                + (f" {z:,.0f} 吨CO2e。" if z is not None else "。"),
                f"The total row sums the regions; the terms (sinks +, emissions −) add up to the net sink. The net-sink "
                f"total is the {ty} annual rate (t CO2e/yr), not the objective; the cumulative total is the objective: "
                f"cumulative net removals {by + 1}–{end}" + (f" {z:,.0f} t CO2e." if z is not None else "."))
    else:
        note = ("合计行为各区域之和；净碳汇合计" + ("为目标年数值，目标函数为各规划年份之和。" if years_all else "即目标函数（目标年净碳汇）。"),
                "The total row sums the regions; the net-sink total " + ("is the target year's; the objective sums every "
                                                                     "milestone year." if years_all else
                                                                     "is the objective (target-year net sink)."))
    r = write_note(ctx.book, ws, b.end_row + 1, ctx.t(note), wrap_cols=NOTE_COLS)
    if cav.legend():
        r = write_note(ctx.book, ws, r, cav.legend())
    ch = bar_chart(ctx.book, ws, b, [(t, ctx.t(TERMS[t]), TERM_COLOURS[t]) for t in shown], "region",
                   title=ctx.t((f"{ty}年各区域碳账户", f"Carbon account by region, {ty}")), y_title=ctx.u("t CO2e/yr"),
                   data=piv[["region", *shown]], width_px=CHART_W, height_px=CHART_H) if ctx.region_charts else None
    if stock and "cumulative_t_co2e" in c.columns:  # the objective by term, all regions (what `landopt solve` prints)
        r = _terms_table(ctx, ws, r + 1, c, end)
    land_rows = r + 1  # the by-land-use tables start a printed page: no title left alone at a page's foot
    r = _by_land_use(ctx, ws, land_rows, c, "t_co2e_per_yr", (f"{ty}年分地类净碳汇（年速率，+ 为碳汇）",
                                                         f"Net sink by land use, {ty} (annual rate, + = sink)"),
                     "CarbonByLandUseTargetYear", "t CO2e/yr")
    if stock and "cumulative_t_co2e" in ctx.result.carbon_by_land_use.columns:
        r = _by_land_use(ctx, ws, r + 1, c, "cumulative_t_co2e",
                         (f"{by + 1}–{ty}年分地类累计净碳汇（+ 为碳汇）", f"Cumulative net sink by land use, {by + 1}–{ty} (+ = sink)"),
                         "CarbonByLandUseCumulative", "t CO2e")
    if stock:
        lines = ("分地类归属：保持基期地类的土地计入其基期地类；地类转换（含转出地类损失的生物量碳、放弃的净通量与甲烷）全部计入转入地类"
                 "（如退化草地恢复计入草地，造林计入林地）；牲畜肠道甲烷不属于任何地类，单列一栏。",
                 "By land use: land remaining in its baseline use counts under that use; a conversion (including the biomass "
                 "lost and the flux and methane forgone of the use it leaves) counts wholly under the use it goes TO (e.g. "
                 "restored degraded grassland under grassland, afforestation under forest); livestock enteric methane "
                 "belongs to no land use and has its own column.")
    else:
        lines = ("各地类 = 该地类面积 × 单位面积碳通量（建设用地为排放，记负）；牲畜肠道甲烷（及计入时的光伏发电减排量）不属于任何地类，单列一栏。",
                 "Each land use = its area × its flux per ha (construction land emits: negative); livestock enteric methane "
                 "(and PV avoided emissions when counted) belong to no land use and have their own columns.")
    r = write_note(ctx.book, ws, r, ctx.t(lines), wrap_cols=NOTE_COLS)
    r = write_note(ctx.book, ws, r, ctx.t(("合计 = 净碳汇；未列出的地类贡献为零。",
                                          "Total = net sink; land uses not listed contribute zero.")), wrap_cols=NOTE_COLS)
    if ch is not None:
        _charts_below(ctx, ws, r, [ch], breaks=[land_rows])
    else:
        ctx.no_region_charts_note(ws, r + 1)


#: the costs table's measure for redevelopment (landopt.model.families.budget)
REDEVELOPMENT = "redevelopment of inefficient construction land"


def _redevelopment_note(ctx: Ctx, ws, row: int) -> int:
    """The urban land demand met by redeveloping inefficient construction land (存量盘活) rather than new urban land:
    it adds no urban area, so without this line a town's urban land reads short of its demand."""
    c = ctx.result.costs
    if c is None or c.empty or REDEVELOPMENT not in set(c.index.get_level_values("measure")):
        return row
    z = c.xs(REDEVELOPMENT, level="measure").reset_index()
    z = ctx.sort(z[z["area_ha"] > 1e-6], ["region", "year"])
    if z.empty:
        return row
    zh = "；".join(f"{ctx.names.region_zh.get(str(g), str(g))} {ctx.period_start(y) + 1}–{int(y)}年 {a:,.1f} 公顷"
                  for g, y, a in zip(z["region"], z["year"], z["area_ha"]))
    en = "; ".join(f"{g} {ctx.period_start(y) + 1}–{int(y)} {a:,.1f} ha"
                   for g, y, a in zip(z["region"], z["year"], z["area_ha"]))
    total, cost = float(z["area_ha"].sum()), float(z["cost_yuan"].sum())
    return write_note(ctx.book, ws, row, ctx.t((
        f"城镇建设用地需求的一部分由存量低效建设用地盘活满足，不新增城镇建设用地、不计入上表面积：{zh}"
        f"（合计 {total:,.1f} 公顷，公共财政投入 {cost / 1e4:,.0f} 万元）。",
        f"Part of the urban land demand is met by redeveloping inefficient construction land, which adds no urban land "
        f"and is not in the areas above: {en} ({total:,.1f} ha in all, public cost {cost / 1e4:,.0f} × 10⁴ yuan).")),
        wrap_cols=NOTE_COLS)


def _terms_table(ctx: Ctx, ws, row: int, c: pd.DataFrame, end: int) -> int:
    """The cumulative net removals (the objective) split by term, all regions, with each term's annual rate in the
    target year and at the accounting end year; returns the row under the note."""
    by, ty = ctx.baseline_year, ctx.target_year
    terms = [t for t in [*STOCK_TERMS, "net_sink"] if t in set(c["term"])]
    at_end = c[c["year"] == end].groupby("term")[["cumulative_t_co2e", "t_co2e_per_yr"]].sum()
    at_ty = c[c["year"] == ty].groupby("term")["t_co2e_per_yr"].sum()
    keep = [t for t in terms if t == "net_sink" or abs(float(at_end.loc[t, "cumulative_t_co2e"])) > 1e-6]
    df = pd.DataFrame({"term": [ctx.t(TERMS[t]) for t in keep],
                       "cumulative": [float(at_end.loc[t, "cumulative_t_co2e"]) for t in keep],
                       "rate_ty": [float(at_ty.get(t, 0.0)) for t in keep]})
    heads = {"term": ctx.t(("分项", "term")),
             "cumulative": ctx.h((f"{by + 1}–{end}年累计", f"cumulative {by + 1}–{end}"), "t CO2e"),
             "rate_ty": ctx.h((f"{ty}年年速率", f"annual rate {ty}"), "t CO2e/yr")}
    if end > ty:
        df["rate_end"] = [float(at_end.loc[t, "t_co2e_per_yr"]) for t in keep]
        heads["rate_end"] = ctx.h((f"{end}年年速率（用地保持{ty}年状态）", f"annual rate {end} (land use held at {ty})"),
                                  "t CO2e/yr")
    write_title(ctx.book, ws, row, ctx.t((f"全区累计净碳汇分项（{by + 1}–{end}年，即目标函数）",
                                          f"Cumulative net removals by term, all regions ({by + 1}–{end}: the objective)")),
                level=2)
    blk = write_table(ctx.book, ws, df, row + 1, name="CarbonTermsCumulative", autofilter=False, headers=heads,
                      formats={k: FMT_INT for k in heads if k != "term"})
    r = write_note(ctx.book, ws, blk.end_row + 1, ctx.t((
        "碳汇为正、排放为负；各分项之和即净碳汇（最后一行）。分项为零的未列出。",
        "Sinks +, emissions −; the terms add up to the net sink (last row). Terms that are zero are not listed.")),
        wrap_cols=NOTE_COLS)
    if "biomass_loss" in set(c["term"]):
        start = ctx.period_start(ty)  # the last period: (start, ty]
        loss = c[c["term"] == "biomass_loss"].groupby("year")["cumulative_t_co2e"].sum()
        lost = abs(float(loss.get(ty, 0.0)) - (float(loss.get(start, 0.0)) if start != by else 0.0))  # an emission
        per_yr = lost / max(ty - start, 1)
        r = write_note(ctx.book, ws, r, ctx.t((
            f"年速率是该年的速率：按{ty}年的用地、牲畜和转换后土地的碳积累计算；地类转换一次性损失的生物量碳只计入"
            f"累计量（转换发生在时段之中，故{ty}年年速率中该项为零）。最后一个时段（{start + 1}–{ty}年）转换损失的"
            f"生物量碳合计 {lost:,.0f} 吨CO2e，按时段平均每年 {per_yr:,.0f} 吨CO2e；与清单逐年排放比较时应计入。",
            f"An annual rate is the rate in that year: {ty}'s land use, herd and the carbon build-up of converted land; "
            f"the biomass a conversion loses at once counts in the cumulative figures only (conversions happen within a "
            f"period, so the {ty} rate shows none). In the last period ({start + 1}–{ty}) conversions lost "
            f"{lost:,.0f} t CO2e of biomass, {per_yr:,.0f} t CO2e a year on average: add it when comparing with an "
            "inventory's year-by-year emissions.")), wrap_cols=NOTE_COLS)
    return r


def _by_land_use(ctx: Ctx, ws, row: int, c: pd.DataFrame, value: str, title: tuple[str, str], name: str,
                 unit: str) -> int:
    """Regions × land uses (those contributing anywhere) + the terms of no land use + total (= net sink) for the
    target year's ``value`` ('t_co2e_per_yr' or 'cumulative_t_co2e'); returns the row under the table."""
    ty = ctx.target_year
    lu = ctx.result.carbon_by_land_use.reset_index()
    lu["region"], lu["land_use"] = lu["region"].astype(str), lu["land_use"].astype(str)
    lu = lu[lu["year"] == ty]
    nonzero = set(lu.loc[lu[value].abs() > 1e-6, "land_use"].tolist())
    lus = [x for x in ctx.names.land_uses if x in nonzero]
    lp = _pivot(ctx, lu, value, "land_use", lus)
    own = c[c["term"].isin(NON_LAND_TERMS) & (c["year"] == ty)]
    extra = [t for t in NON_LAND_TERMS if (own.loc[own["term"] == t, value].abs() > 1e-9).any()]
    if extra:
        ep = _pivot(ctx, own, value, "term", extra)
        for t in extra:
            lp[t] = ep[t].to_numpy()
    lp["total"] = lp[[*lus, *extra]].sum(axis=1)
    nums = [*lus, *extra, "total"]
    r = write_title(ctx.book, ws, row, ctx.t(title), level=2)
    b = write_table(ctx.book, ws, lp, r, name=name, totals=nums,
                    headers={"region": ctx.t("region"), "total": ctx.h(("合计（= 净碳汇）", "total (= net sink)"), unit)}
                    | {x: _lu_head(ctx, x, unit) for x in lus}
                    | {t: _term_label(ctx, t, unit) for t in extra},
                    formats={x: FMT_INT for x in nums})
    return b.end_row + 1


def carbon_all(ctx: Ctx) -> None:
    ws = ctx.sheet("carbon_all")
    by, ty, end = ctx.baseline_year, ctx.target_year, ctx.result.spec.accounting_end_year
    stock = _stock_change(ctx)
    ctx.title(ws, "carbon_all", (
        "每个区域、每个规划年份的碳账户各分项（年速率，吨CO2e/年" + (f"；及自{by}年末起的累计量，吨CO2e" if stock else "")
        + "），碳汇为正、排放为负，各分项之和即净碳汇（每组最后一行；处处为零的分项未列出）；以及分地类净碳汇。"
        + (f"{end}年为核算截止年：{ty}年后用地保持{ty}年状态、牲畜保持{ty}年数量（分地类净碳汇只列各规划年份）。" if end > ty else ""),
        "Every term for every region and year (annual rate, t CO2e/yr" + (f"; and the cumulative amount since the end of "
                                                                          f"{by}, t CO2e" if stock else "")
        + "), sinks +, emissions −, the terms add up to the net sink (the last row of each group; a term that is zero "
        "everywhere is left out); and the net sink by land use."
        + (f" {end} is the accounting end year: after {ty} land use stays at its {ty} state and the herd at its {ty} "
           "number (the net sink by land use lists the milestone years only)." if end > ty else "")))
    c = ctx.result.carbon.reset_index()
    values = [v for v in ("t_co2e_per_yr", "cumulative_t_co2e") if v in c.columns]
    # every region-year's terms in the account's order, the net sink last; a term zero everywhere is left out
    live = {*c.loc[(c[values].abs() > 1e-9).any(axis=1), "term"], "net_sink"}
    c = c[c["term"].isin(live).to_numpy()]
    order = {t: i for i, t in enumerate(TERMS)}
    c = c.assign(_term=c["term"].map(order).fillna(len(order) - 1).to_numpy())
    c = ctx.sort(c.sort_values("_term", kind="stable"), ["region", "year"]).drop(columns="_term")
    c.insert(1, "region_name", ctx.region_names(c["region"]))
    c.insert(3, "term_name", [ctx.t(TERMS.get(t, (t, t))) for t in c["term"]])
    c = c[["region", "region_name", "year", "term_name", "term", *values]]
    heads = {"region": ctx.t("region_id"), "region_name": ctx.t("region"), "year": ctx.t("year"),
             "term_name": ctx.t("term"), "term": ctx.t(("分项编号", "term id")), "t_co2e_per_yr": ctx.h("amount", "t CO2e/yr"),
             "cumulative_t_co2e": ctx.h((f"自{by}年末累计", f"cumulative since the end of {by}"), "t CO2e"),
             "land_use": ctx.t("land_use_id"), "land_use_name": ctx.t("land_use")}
    fm = {"year": FMT_YEAR, "t_co2e_per_yr": FMT_2, "cumulative_t_co2e": FMT_2}
    b = write_table(ctx.book, ws, c, HEADER_ROW, name="Carbon", cap=ctx.cap_long, full_name="carbon", headers=heads, formats=fm)
    r = write_title(ctx.book, ws, b.end_row + 2, ctx.t(("分地类净碳汇（+ 为碳汇）", "Net sink by land use (+ = sink)")), level=2)
    r = write_note(ctx.book, ws, r, ctx.t((
        "不含牲畜肠道甲烷" + ("" if stock else "及光伏发电减排量") + "（见上表）：加上它们即各区域、各年份的净碳汇。"
        + ("保持基期地类的土地计入其基期地类，地类转换全部计入转入地类。" if stock else ""),
        "Livestock enteric methane" + ("" if stock else " and PV avoided emissions") + " (table above) are not a land "
        "use: add them to get each region's and year's net sink." + (" Land remaining in its baseline use counts under "
                                                                      "that use, a conversion under the use it goes to."
                                                                      if stock else ""))))
    lu = ctx.sort(ctx.result.carbon_by_land_use.reset_index(), ["region", "land_use", "year"])
    lu.insert(1, "region_name", ctx.region_names(lu["region"]))
    lu.insert(3, "land_use_name", ctx.lu_names(lu["land_use"]))
    write_table(ctx.book, ws, lu, r, name="CarbonByLandUse", cap=ctx.cap_long, full_name="carbon_by_land_use",
                headers=heads | {"t_co2e_per_yr": ctx.h(("净碳汇", "net sink"), "t CO2e/yr")}, formats=fm)

