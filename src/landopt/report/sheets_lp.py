"""Plan workbook sheets about the optimisation: constraints and shadow prices, sensitivity (the inputs and run sheets
are written by :mod:`landopt.report.sheets_run`, re-exported here)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from landopt.report.brief import PRICE_TOL, binding_measures, tight_free_count
from landopt.report.context import HEADER_ROW, Ctx
from landopt.report.i18n import (UNITS, VARIABLES, family_name, input_column_label, num, objective_words, place,
                                 requirement_noun, tr, unit_words)
from landopt.report.responses import RESPONSE_HEADER
from landopt.report.sheets_run import inputs, run  # noqa: F401  (the plan writer finds every sheet writer here)
from landopt.report.xlsx import FMT_2, FMT_3, FMT_INT, FMT_YEAR, write_note, write_table, write_title

SENSE = {"<=": "≤", ">=": "≥", "==": "="}
#: the source and family columns wrap narrow: the sheet prints at a fixed scale, columns running on across pages
SOURCE_WRAP = {"sheet": 20.0, "column": 24.0, "family": 20.0}
def price_head(ctx: Ctx) -> tuple[str, str]:
    _what, (u_zh, u_en) = objective_words(ctx.result.metadata.get("objective_unit", "t CO2e/yr"))
    return f"影子价格（{u_zh}，每单位约束值）", f"shadow price ({u_en} per unit)"


def rc_head(ctx: Ctx) -> tuple[str, str]:
    _what, (u_zh, u_en) = objective_words(ctx.result.metadata.get("objective_unit", "t CO2e/yr"))
    return f"检验数（{u_zh}，每单位）", f"reduced cost ({u_en} per unit)"


def _source_cols(ctx: Ctx) -> dict[str, str]:
    return {"sheet": ctx.t("src_sheet"), "row": ctx.t("src_row"), "column": ctx.t("src_column"),
            "region": ctx.t("region_id"), "land_use": ctx.t("land_use_id"), "year": ctx.t("year"), "family": ctx.t("family")}


def _clean(df: pd.DataFrame, ctx: Ctx) -> pd.DataFrame:
    """Rows as a planner reads them: ≤/≥/=, the source sheet and column as the input names them, family and unit in
    words ('草畜平衡 grass-livestock balance', '公顷 ha'); a derived row (row 0) has no source row."""
    df = df.copy()
    spec = ctx.result.spec
    if "sense" in df.columns:
        df["sense"] = df["sense"].map(lambda v: SENSE.get(v, v))
    if "row" in df.columns:  # row 0: derived, not a cell
        df["row"] = df["row"].where(pd.to_numeric(df["row"], errors="coerce").fillna(0) > 0, np.nan)
    if "column" in df.columns and "sheet" in df.columns:  # once per distinct (sheet, column)
        pairs = {(sh, co) for sh, co in zip(df["sheet"], df["column"]) if isinstance(co, str) and co}
        cols = {(sh, co): input_column_label(co, spec.column_label(str(sh), co)) for sh, co in pairs}
        df["column"] = [cols.get((sh, co), co) for sh, co in zip(df["sheet"], df["column"])]
    if "sheet" in df.columns:
        sheets = {sh: spec.sheet_label(sh) for sh in df["sheet"].unique() if isinstance(sh, str) and sh}
        df["sheet"] = df["sheet"].map(lambda sh: sheets.get(sh, sh))
    if "family" in df.columns:
        df["family"] = df["family"].map(lambda f: family_name(f, ctx.lang) if isinstance(f, str) else f)
    if "unit" in df.columns:
        df["unit"] = df["unit"].map(lambda u: unit_words(u, ctx.lang) if isinstance(u, str) else u)
    return df


def constraints(ctx: Ctx) -> None:
    ws = ctx.sheet("constraints")
    (what_zh, what_en), (u_zh, u_en) = objective_words(ctx.result.metadata.get("objective_unit", "t CO2e/yr"))
    ctx.title(ws, "constraints", (
        f"影子价格 = 约束值每增加1个单位时{what_zh}的变化（{u_zh}）。“起作用”指影子价格不为零。"
        "下限类约束（如耕地保有量）影子价格为负：提高下限会减少碳汇；上限类约束为正：放宽上限会增加碳汇。",
        f"Shadow price = change of {what_en} ({u_en}) per unit increase of the requirement's value. 'Binding' means a "
        "non-zero shadow price. Floors (e.g. the cropland red line) have negative prices: raising them costs sink; caps "
        "have positive prices: raising them adds sink."))
    res = ctx.result
    b = binding_measures(res, ctx.lang, worded=ctx.cap_binding, exact_first=True)  # the brief's order
    n_free = tight_free_count(res)
    write_title(ctx.book, ws, HEADER_ROW - 1, ctx.t((f"起作用的政策约束（{len(b)} 项），按放宽1%可增加的碳汇排序",
                                                    f"Binding policy requirements ({len(b)}), by the sink a 1% relaxation adds")), level=2)
    b.insert(0, "rank", np.arange(1, len(b) + 1))
    cols = ["rank", "requirement", "sentence", "shadow_price", "unit", "limit", "effect_exact", "response", "effect",
            "effect_low", "sheet", "row", "column", "family", "region", "land_use", "year"]
    if b["response"].isna().all():  # nothing re-solved: no empty column
        cols.remove("response")
    heads = {"rank": ctx.t("rank"), "requirement": ctx.t("requirement"), "sentence": ctx.t("meaning"),
             "shadow_price": ctx.t(price_head(ctx)),
             "unit": ctx.t("unit"), "limit": ctx.t("rhs"), "value": ctx.t("activity"),
             "effect": ctx.h("total_effect", u_en),
             "effect_exact": ctx.h("effect_exact", u_en), "response": ctx.t(RESPONSE_HEADER),
             "effect_low": ctx.h("effect_low", u_en),
             "sense": ctx.t("sense"), "activity": ctx.t("activity"), "slack": ctx.t("slack"), "binding": ctx.t("binding"),
             "policy": ctx.t("policy"), "label": ctx.t(("约束编号", "constraint id"))} | _source_cols(ctx)
    blk = write_table(ctx.book, ws, _clean(b.reindex(columns=cols).head(ctx.cap_binding), ctx), HEADER_ROW, name="BindingConstraints",
                      wrap=SOURCE_WRAP | {"response": 48},
                      headers=heads, cap=ctx.cap_binding, full_name="binding_constraints", full=b,
                      formats={"rank": FMT_INT, "shadow_price": FMT_3, "limit": FMT_2, "effect": FMT_INT, "effect_low": FMT_INT,
                               "effect_exact": FMT_INT,
                               "row": FMT_YEAR, "year": FMT_YEAR})
    r = write_note(ctx.book, ws, blk.end_row + 1, ctx.t((
        "放宽1%可增碳汇（上限）= |影子价格| × 1% × 约束值：约束值放宽1%（下限降低、上限提高）且影子价格不变时净碳汇的增量；"
        "影子价格只在敏感性表所列区间内不变，放宽越过区间后每单位的增量只会变小，故其中区间以内的部分是下限，两者相等时即为精确值。"
        "“重新求解”列是把该约束放宽1%后重新求解得到的实际增量（只算出排序所需的前若干项，其余为空），"
        "“放宽后方案如何调整”列是重新求解的方案与本方案之差（该约束所在年份的地类面积、其他决策和净碳汇各组成项）。"
        "约束值随方案而定的约束（地类转换速度上限 = 比例 × 上期面积、草畜平衡的理论载畜量、占补平衡和进出平衡的补充耕地、"
        "退化草原恢复上限）按本方案的取值列出，放宽1%即该取值的1%。"
        f"另有 {n_free} 项政策约束恰好达到限值但影子价格为零："
        "它们不限制净碳汇，未列于此表，在下表中“起作用”为“否”。",
        "Gain if relaxed 1% (upper bound) = |shadow price| × 1% × the requirement's value: what the net sink gains if the "
        "requirement is relaxed by 1% (a floor lowered, a cap raised) at the current price. The price holds only over "
        "the interval on the sensitivity sheet and each further unit gains less, so the part within it is a lower bound; "
        "where the two are equal the figure is exact. The re-solved column is the gain found by solving the plan again "
        "with the requirement relaxed by 1% (computed for the rows the ranking's top needs; blank elsewhere); 'how this "
        "plan adjusts' is the re-solved plan minus this plan (the land uses' areas in the requirement's year, the other "
        "decisions and each part of the net sink). "
        "Requirements whose value the plan sets (a conversion-rate limit = share × the previous area, the grazing "
        "capacity, the cropland supplemented under 占补平衡 and 进出平衡, the restoration limit) show it at this plan; "
        f"relaxing one by 1% adds 1% of that value. {n_free} more policy rows sit exactly at their limit with a zero shadow price: they do not limit the "
        "net sink, are not listed here, and read binding = no below.")), wrap_cols=8)

    ws.print_area(0, 0, r, blk.last_col)  # the binding requirements print; the full list is for the screen
    r = write_title(ctx.book, ws, r + 1, ctx.t(("全部约束（屏幕查看，不打印）", "All constraints (on screen, not printed)")), level=2)
    cons = res.constraints
    cols = ["label", "family", "sense", "limit", "unit", "value", "slack", "shadow_price", "binding", "policy", "sheet", "row",
            "column", "region", "land_use", "year"]
    allc = cons.reindex(columns=cols) if not cons.empty else pd.DataFrame(columns=cols)
    if not allc.empty:
        allc["binding"] = allc["shadow_price"].abs() > PRICE_TOL
        allc["policy"] = allc["policy"].astype(bool)
    write_table(ctx.book, ws, _clean(allc.head(ctx.cap_rows), ctx), r, name="AllConstraints", headers=heads, cap=ctx.cap_rows,
                wrap=SOURCE_WRAP,
                full_name="constraints", full=allc,
                formats={"limit": FMT_2, "value": FMT_2, "slack": FMT_2, "shadow_price": FMT_3, "row": FMT_YEAR, "year": FMT_YEAR})


def _conversion_words(ctx: Ctx, r: Any, band: float) -> str:
    """Stock-change accounting: the value of converting one ha in a period and the interval keeping the plan."""
    rz, lz = ctx.names.region_zh, ctx.names.lu_zh
    reg, fz, tz = rz.get(str(r.region), str(r.region)), lz.get(str(r.from_land_use), str(r.from_land_use)), \
        lz.get(str(r.to_land_use), str(r.to_land_use))
    lo = "−∞" if not np.isfinite(r.lower_t_co2e_per_ha) else num(r.lower_t_co2e_per_ha)
    hi = "+∞" if not np.isfinite(r.upper_t_co2e_per_ha) else num(r.upper_t_co2e_per_ha)
    v = num(r.value_t_co2e_per_ha)
    if r.robust:
        zh = f"稳健：{reg}{r.year}年前{fz}转为{tz}每公顷价值 {v} 吨CO2e，在 ±{band:g}% 内变化时配置不变（不变区间 [{lo}, {hi}]）"
        en = (f"Robust: converting 1 ha of {r.from_land_use} to {r.to_land_use} in {r.region} (period to {r.year}) is worth "
              f"{v} t CO2e; the allocation stays the same within ±{band:g}% ([{lo}, {hi}] t CO2e/ha)")
    else:
        zh = f"敏感：{reg}{r.year}年前{fz}转为{tz}每公顷价值 {v} 吨CO2e，在 ±{band:g}% 内变化时配置会改变（不变区间仅 [{lo}, {hi}]）"
        en = (f"Sensitive: converting 1 ha of {r.from_land_use} to {r.to_land_use} in {r.region} (period to {r.year}) is "
              f"worth {v} t CO2e; the allocation changes within ±{band:g}% (unchanged only on [{lo}, {hi}] t CO2e/ha)")
    return tr((zh, en), ctx.lang, sep="；")


def _coef_words(ctx: Ctx, r: Any, band: float) -> str:
    where = place(r.region, None, r.land_use, ctx.names.region_zh, ctx.names.lu_zh, ctx.lang)
    lo = "−∞" if not np.isfinite(r.lower_tC_per_ha_yr) else num(r.lower_tC_per_ha_yr)
    hi = "+∞" if not np.isfinite(r.upper_tC_per_ha_yr) else num(r.upper_tC_per_ha_yr)
    if r.robust:
        zh = f"稳健：{where[0]} 碳系数在 ±{band:g}% 内变化时配置不变（不变区间 [{lo}, {hi}] 吨碳/公顷/年）"
        en = f"Robust: the allocation stays the same for any {where[1]} coefficient within ±{band:g}% ([{lo}, {hi}] t C/ha/yr)"
    else:
        zh = f"敏感：{where[0]} 碳系数在 ±{band:g}% 内变化时配置会改变（不变区间仅 [{lo}, {hi}] 吨碳/公顷/年）"
        en = f"Sensitive: the allocation changes within ±{band:g}% of the {where[1]} coefficient (unchanged only on [{lo}, {hi}])"
    return tr((zh, en), ctx.lang, sep="；")


def _option_words(ctx: Ctx, r: Any) -> str:
    rz, lz = ctx.names.region_zh, ctx.names.lu_zh
    reg = rz.get(str(r.region), str(r.region))
    v = num(r.reduced_cost)
    (what_zh, what_en), (u_zh, u_en) = objective_words(ctx.result.metadata.get("objective_unit", "t CO2e/yr"))
    if r.kind == "flow":
        zh = f"{reg} 截至{int(r.year)}年的规划期内多将1公顷{lz.get(str(r.from_land_use), r.from_land_use)}转为{lz.get(str(r.to_land_use), r.to_land_use)}，{what_zh}变化 {v} {u_zh}"
        en = f"Converting one more ha of {r.from_land_use} to {r.to_land_use} in {r.region} (period ending {int(r.year)}) changes {what_en} by {v} {u_en}"
    elif r.kind == "area":
        lu = str(r.land_use)
        zh = f"{reg} {int(r.year)}年 {lz.get(lu, lu)}面积增加1公顷，{what_zh}变化 {v} {u_zh}"
        en = f"One more ha of {lu} in {r.region} ({int(r.year)}) changes {what_en} by {v} {u_en}"
    else:  # livestock, grazed or rested grassland, redevelopment: the variable's plain-words name and unit
        (name_zh, name_en), code = VARIABLES.get(str(r.kind), ((str(r.kind), str(r.kind)), ""))
        unit_zh, unit_en = UNITS.get(code, ("个单位", "unit"))
        when_zh, when_en = ((f"截至{int(r.year)}年的规划期内", f"period ending {int(r.year)}") if r.kind == "redevelop"
                            else (f"{int(r.year)}年 ", f"{int(r.year)}"))
        zh = f"{reg} {when_zh}{name_zh}增加1{unit_zh}，{what_zh}变化 {v} {u_zh}"
        en = f"One more {unit_en} of {name_en} in {r.region} ({when_en}) changes {what_en} by {v} {u_en}"
    return tr((zh, en), ctx.lang, sep="；")


#: an unused option's kind in a narrow column (the sentence beside it gives the full name)
KIND_SHORT = {"area": "area", "flow": "conversion", "livestock": "livestock", "grazed": "grazed", "rested": "rested",
              "rested_degraded": "rested degraded", "redevelop": "redevelopment"}


def _option_kind(ctx: Ctx, kind: str) -> str:
    """'存量建设用地盘活 redevelopment（公顷 ha）': an unused option's kind and unit."""
    (zh, _en), code = VARIABLES.get(kind, ((kind, kind), ""))
    label = ctx.t((zh, KIND_SHORT.get(kind, kind)))
    return f"{label}（{unit_words(code, ctx.lang)}）" if code else label


def sensitivity(ctx: Ctx) -> None:
    from landopt.sensitivity import BAND_PCT

    ws = ctx.sheet("sensitivity")
    ctx.title(ws, "sensitivity", (
        f"“稳健”指方案的用地配置（哪块地做什么）在碳系数 ±{BAND_PCT:g}% 内不变，而非净碳汇数值不变（数值随系数变化）。"
        "约束值区间：影子价格在该区间内成立。",
        f"'Robust' refers to the allocation (which land goes to which use) staying the same within ±{BAND_PCT:g}% of a "
        "coefficient, not to the net-sink value (which moves with the coefficient). Right-hand sides: the range over "
        "which each shadow price holds."))
    res = ctx.result
    r = write_title(ctx.book, ws, HEADER_ROW - 1, ctx.t(("碳系数区间", "Carbon coefficients")), level=2)
    coef = res.coef_ranging
    if coef is None or coef.empty:
        r = write_note(ctx.book, ws, r, ctx.t(("无区间信息（无最优基）。", "No ranging information (no optimal basis).")))
    elif "value_t_co2e_per_ha" in coef.columns:  # stock-change accounting: one row per conversion cohort
        c = coef.reset_index()
        c["what"] = [_conversion_words(ctx, x, BAND_PCT) for x in c.head(ctx.cap_rows).itertuples(index=False)] + [""] * max(0, len(c) - ctx.cap_rows)
        # names, not ids; in a bilingual book the Chinese name only (the sentence beside says it in English too):
        # both names would make this 756-row table a third printed page wide
        short = "zh" if ctx.lang == "both" else ctx.lang
        c["region_name"] = [ctx.names.region(x, short) for x in c["region"].astype(str)]
        c["from_name"] = [ctx.names.land_use(x, short) for x in c["from_land_use"].astype(str)]
        c["to_name"] = [ctx.names.land_use(x, short) for x in c["to_land_use"].astype(str)]
        c = c[["region_name", "from_name", "to_name", "year", "value_t_co2e_per_ha", "lower_t_co2e_per_ha",
               "upper_t_co2e_per_ha", "area_ha", "robust", "what"]]  # names (the full table beside keeps the ids)
        blk = write_table(ctx.book, ws, c, r, name="CoefficientRanging", cap=ctx.cap_rows, full_name="coefficient_ranging",
                          headers={"region_name": ctx.t("region"),
                                   "from_name": ctx.t(("转出地类", "from")),
                                   "to_name": ctx.t(("转入地类", "to")), "year": ctx.t(("时段截止年", "period ending")),
                                   "value_t_co2e_per_ha": ctx.h(("每公顷转换价值", "value of converting 1 ha"), "t CO2e/ha"),
                                   "lower_t_co2e_per_ha": ctx.h("lower", "t CO2e/ha"), "upper_t_co2e_per_ha": ctx.h("upper", "t CO2e/ha"),
                                   "area_ha": ctx.h("area", "ha"), "robust": ctx.t(tuple(s.format(pct=f"{BAND_PCT:g}") for s in ("配置稳健（±{pct}%）", "allocation robust (±{pct}%)"))),  # type: ignore[arg-type]
                                   "what": ctx.t("verdict")},
                          formats={"year": FMT_YEAR, "value_t_co2e_per_ha": FMT_2, "lower_t_co2e_per_ha": FMT_2,
                                   "upper_t_co2e_per_ha": FMT_2, "area_ha": FMT_INT})
        r = blk.end_row + 2
    else:
        c = coef.reset_index()
        c["what"] = [_coef_words(ctx, x, BAND_PCT) for x in c.head(ctx.cap_rows).itertuples(index=False)] + [""] * max(0, len(c) - ctx.cap_rows)
        c.insert(0, "region_name", ctx.region_names(c["region"]))
        c.insert(1, "land_use_name", ctx.lu_names(c["land_use"]))
        c = c[["region", "region_name", "land_use", "land_use_name", "carbon_flux_tC_per_ha_yr", "lower_tC_per_ha_yr", "upper_tC_per_ha_yr", "area_ha",
               "robust", "what"]]
        blk = write_table(ctx.book, ws, c, r, name="CoefficientRanging", cap=ctx.cap_rows, full_name="coefficient_ranging",
                          headers={"region": ctx.t("region_id"), "region_name": ctx.t("region"),
                                   "land_use": ctx.t("land_use_id"), "land_use_name": ctx.t("land_use"),
                                   "carbon_flux_tC_per_ha_yr": ctx.h("coefficient", "t C/ha/yr"),
                                   "lower_tC_per_ha_yr": ctx.h("lower", "t C/ha/yr"), "upper_tC_per_ha_yr": ctx.h("upper", "t C/ha/yr"),
                                   "area_ha": ctx.h("area", "ha"), "robust": ctx.t(tuple(s.format(pct=f"{BAND_PCT:g}") for s in ("配置稳健（±{pct}%）", "allocation robust (±{pct}%)"))),  # type: ignore[arg-type]
                                   "what": ctx.t("verdict")},
                          formats={"carbon_flux_tC_per_ha_yr": "0.0000", "lower_tC_per_ha_yr": "0.0000",
                                   "upper_tC_per_ha_yr": "0.0000", "area_ha": FMT_INT})
        r = blk.end_row + 2

    r = write_title(ctx.book, ws, r, ctx.t(("起作用约束的约束值区间", "Right-hand sides of binding requirements")), level=2)
    rhs = res.rhs_ranging
    if rhs is None or rhs.empty:
        r = write_note(ctx.book, ws, r, ctx.t(("无起作用的政策约束。", "No binding policy requirement."))) + 1
    else:
        rr = rhs.replace([np.inf, -np.inf], np.nan).reset_index(drop=True)
        nouns = {k: ctx.t(requirement_noun(k, None)) for k in rr["constraint"].unique().tolist()}  # once per constraint
        rr.insert(0, "requirement", rr["constraint"].map(nouns).tolist())
        rr = _clean(rr.reindex(columns=["requirement", "label", "limit", "limit_lower", "limit_upper", "shadow_price", "unit", "sheet",
                                        "row", "column"]), ctx)
        blk = write_table(ctx.book, ws, rr, r, name="RhsRanging", cap=ctx.cap_rows, full_name="rhs_ranging", wrap=SOURCE_WRAP,
                          headers={"requirement": ctx.t("requirement"), "label": ctx.t(("约束编号", "constraint id")),
                                   "limit": ctx.t("rhs"), "limit_lower": ctx.t("price_from"), "limit_upper": ctx.t("price_to"),
                                   "shadow_price": ctx.t(price_head(ctx)),
                                   "unit": ctx.t("unit")} | _source_cols(ctx),
                          formats={"limit": FMT_2, "limit_lower": FMT_2, "limit_upper": FMT_2, "shadow_price": FMT_3,
                                   "row": FMT_YEAR})
        r = blk.end_row + 2

    # the options the plan leaves unused: written whether or not any policy row binds
    r = write_title(ctx.book, ws, r, ctx.t(("未采用的方案（检验数）", "Options the plan leaves unused (reduced costs)")), level=2)
    rej = res.rejected_options
    if rej is None or rej.empty:
        write_note(ctx.book, ws, r, ctx.t(("无：取值为零的方案均为并列最优。", "None: every option left at zero is a tie.")))
        return
    rj = rej.head(ctx.cap_rows).copy()
    rj["what"] = [_option_words(ctx, x) for x in rj.itertuples(index=False)]
    rj = rj[["variable", "what", "reduced_cost", "kind"]]
    if len(rej) > ctx.cap_rows:
        rj = pd.concat([rj, rej.iloc[ctx.cap_rows:].reindex(columns=rj.columns)], ignore_index=True)
    kinds = {k: _option_kind(ctx, str(k)) for k in rj["kind"].unique()}  # once per kind
    rj["kind"] = rj["kind"].map(kinds)
    write_table(ctx.book, ws, rj, r, name="ReducedCosts", cap=ctx.cap_rows, full_name="unused_options",
                headers={"variable": ctx.t("option"), "what": ctx.t("meaning"),
                         "reduced_cost": ctx.t(rc_head(ctx)), "kind": ctx.t(("决策变量（单位）", "decision variable (unit)"))},
                wrap={"kind": 18.0},  # a narrow column: it shares its width with the wide tables above
                formats={"reduced_cost": FMT_3})
