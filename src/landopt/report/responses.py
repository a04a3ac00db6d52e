"""How the plan adjusts to a binding requirement relaxed by 1 % (``PlanResult.relax_response``), in words: the
paragraphs on page one of the plan workbook and of the PDF brief, and the column of the constraints sheet.

The numbers come from :mod:`landopt.analysis.relax` (each re-solve's change of the plan, read as land-use areas,
other decisions and carbon terms); this module only words them, Chinese first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from landopt.analysis.relax import RELAX_SHARE
from landopt.report.i18n import DEFAULT_LANG, UNITS, num, requirement_at, tr

if TYPE_CHECKING:
    from landopt.report.brief import Names

#: the header over :func:`response_words` (the constraints sheet)
RESPONSE_HEADER = ("放宽后方案如何调整", "how this plan adjusts")
#: page one's paragraphs on how the plan adjusts: how many (more made the printed brief shrink below 8 pt in LibreOffice)
RESPONSES_SHOWN = 3
RESPONSE_TITLE = (f"放宽约束后方案如何调整（前{RESPONSES_SHOWN}项，重新求解）",
                  f"How this plan adjusts when a measure is relaxed by 1% (first {RESPONSES_SHOWN}, re-solved)")
RESPONSE_NOTE = (  # one note row shows 6 lines on page one: kept within them (a taller brief printed below 8 pt)
    "与本方案之差：约束所在年份年末各地类面积（全区合计，相加约为零；括注本解中变化最集中的区域）、其他决策和净碳汇各组成项"
    "（合计即上表重新求解的增量，按本方案核算期累计）。放宽1%指约束值的1%，不是1个百分点。同样好的方案可能有别的调整；"
    "仅为影子价格诊断，不构成调整规划目标的建议。",
    "Re-solved plan minus this plan: land-use areas at the end of the requirement's year (all regions, adding up to "
    "about 0; in brackets where most of it is in this solution), other decisions, parts of the net sink (total = the "
    "re-solved gain above, over this plan's horizon). 1% of the value, not one point. An equally good plan may differ; "
    "a diagnostic, not a proposal to change a target.")
#: :func:`response_words` names every land use whose change is at least this share of the largest one
RESPONSE_MIN_SHARE = 0.01


def response_words(r: "pd.DataFrame | list[dict[str, Any]]", nm: Names, lang: str = DEFAULT_LANG,
                   objective_unit: str = "t CO2e", horizon: str = "") -> str:
    """How the plan adjusts to a requirement relaxed by 1 % (one label's rows of ``PlanResult.relax_response``, as a
    frame or as its records), in words: every land use whose area at the end of the row's year changes by at least
    :data:`RESPONSE_MIN_SHARE` of the largest change (so that the list adds up to about nothing: the regions' area is
    fixed), the requirement's own land uses first and the largest change with the region where most of it happens in
    this solution; the other decisions (a ban/rest area moved onto degraded grassland is said so: the total is
    unchanged); and every carbon term that moved, with their total (= the re-solved gain), in 万吨 CO2e (10 kt; 吨 when
    every term is under 5,000 t) over ``horizon`` (cumulative) or per year (flux accounting)::

        2025年末：草地 +120,000 公顷（本解中全部在昌都市）、退化草地 −120,000 公顷；禁牧休牧总面积不变，其中退化草地
        +200,000 公顷。2020–2035年累计净碳汇变化（万吨CO2e，正值为增汇）：…，合计 +173.4
    """
    from landopt.model.objective import ALL_TERMS
    from landopt.report.i18n import VARIABLES

    rows = r.to_dict("records") if isinstance(r, pd.DataFrame) else list(r)

    def ordered(kinds: Any) -> list[dict[str, Any]]:
        """The items the relaxed row counts first (what the requirement is about), then by the size of the change."""
        part = [x for x in rows if kinds(x["what"])]
        part.sort(key=lambda x: (not bool(x.get("direct")), -abs(x["change"])))  # stable: ties keep their order
        return part

    areas = ordered(lambda w: w == "area")
    big = max((abs(x["change"]) for x in areas), default=0.0)
    areas = [x for x in areas if x.get("direct") or abs(x["change"]) >= RESPONSE_MIN_SHARE * big]
    others = ordered(lambda w: w not in ("area", "term"))
    terms = ordered(lambda w: w == "term")
    zh: list[str] = []
    en: list[str] = []
    for i, x in enumerate(areas):
        z, e = f"{nm.land_use(x['item'], 'zh')} {num(x['change'])} 公顷", f"{nm.land_use(x['item'], 'en')} {num(x['change'])} ha"
        share = x["region_share"]
        if i == 0 and share == share:  # where most of the first change happens, in this solution (not unique)
            rz, re_ = nm.region(x["region"], "zh"), nm.region(x["region"], "en")
            if share >= 1 - 1e-9:
                z, e = z + f"（本解中全部在{rz}）", e + f" (all in {re_} in this solution)"
            elif share >= 0.5:
                z, e = z + f"（本解中{share:.0%}在{rz}）", e + f" ({share:.0%} in {re_} in this solution)"
            else:
                z, e = z + "（分布于多个地区）", e + " (spread over several regions)"
        zh.append(z)
        en.append(e)
    kinds = {x["what"] for x in others}
    oz: list[str] = []
    oe: list[str] = []
    moved_z, moved_e = "", ""
    for x in others:
        if x["what"] == "rested_degraded" and "rested" not in kinds:  # moved within an unchanged ban/rest total
            d = x["change"]  # what the degraded part gains, the good part loses: both said, apart from the others
            moved_z = f"禁牧休牧总面积不变：其中退化草地 {num(d)} 公顷、未退化草地 {num(-d)} 公顷"
            moved_e = f"grassland under ban or rest unchanged in total: degraded {num(d)} ha, not degraded {num(-d)} ha"
            continue
        oz.append(f"{VARIABLES[x['what']][0][0]} {num(x['change'])} {'羊单位' if x['unit'] == 'SU' else '公顷'}")
        oe.append(f"{VARIABLES[x['what']][0][1]} {num(x['change'])} {x['unit']}")
    years = [x["year"] for x in rows if x["year"] is not None and x["year"] == x["year"]]
    y = f"{int(years[0])}" if years else ""
    head_z = "；".join(p for p in ("、".join(zh), "、".join(oz), moved_z) if p)
    head_e = "; ".join(p for p in (", ".join(en), ", ".join(oe), moved_e) if p)
    cum = objective_unit == "t CO2e"
    total = sum(x["change"] for x in terms)
    scale = 1e4 if max((abs(x["change"]) for x in terms), default=0.0) >= 5e3 else 1.0  # 万吨, or 吨 for small plans
    uz, ue = ("万吨CO2e", "10 kt CO2e") if scale > 1 else ("吨CO2e", "t CO2e")

    def tenk(v: float) -> str:
        return f"{v / scale:+,.1f}".replace("-", "−")

    shown = [x for x in terms if abs(x["change"]) >= 0.05 * scale]  # a term printing as ±0.0 counts in the total only
    tz = "、".join(f"{ALL_TERMS[x['item']][2]} {tenk(x['change'])}" for x in shown)
    te = ", ".join(f"{ALL_TERMS[x['item']][1][:1].lower()}{ALL_TERMS[x['item']][1][1:]} {tenk(x['change'])}" for x in shown)
    what_z = f"{horizon}年累计净碳汇变化（{uz}" if cum and horizon else (f"累计净碳汇变化（{uz}" if cum else f"目标年净碳汇变化（{uz}/年")
    what_e = f"Net removals {horizon}, cumulative, change by ({ue}" if cum and horizon else (
        f"Cumulative net removals change by ({ue}" if cum else f"Target-year net sink changes by ({ue}/yr")
    out_z = (f"{y}年末：{head_z}。" if head_z else "") + (f"{what_z}，正值为增汇）：{tz + '；' if tz else ''}合计 {tenk(total)}"
                                                       if terms else "")
    out_e = (f"End of {y}: {head_e}. " if head_e else "") + (f"{what_e}, + more sink): {te + '; ' if te else ''}total {tenk(total)}"
                                                            if terms else "")
    return tr((out_z, out_e.strip()), lang, sep="\n")


def response_paragraphs(b: pd.DataFrame, nm: Names, lang: str = DEFAULT_LANG, n: int = 3) -> list[str]:
    """Page one's paragraphs on how the plan adjusts (the workbook's brief and the PDF brief): for the first ``n``
    rows of :func:`binding_measures` that were re-solved, '1. 全区 2030年 森林覆盖率目标 …' then the response."""
    rows = b[b["response"].notna()].head(n) if "response" in b.columns else b.iloc[:0]
    none = [None] * len(rows)
    ranks = rows["rank"] if "rank" in rows.columns else pd.Series(rows.index + 1, index=rows.index)
    out = []
    for rank, k, lv, reg, year, lu, text, limit, price, u in zip(
            ranks, rows["constraint"], rows["lever"], rows.get("region", none), rows.get("year", none),
            rows.get("land_use", none), rows["response"], rows.get("limit", none), rows["shadow_price"],
            rows.get("unit", none)):
        (nz, ne), (wz, we) = requirement_at(k, lv, reg, year, lu, nm.region_zh, nm.lu_zh, lang)
        step_z = step_e = ""
        if limit is not None and limit == limit and limit != 0:  # the 1 %: a floor lowered, a cap raised
            new = float(limit) + (1 if price > 0 else -1) * RELAX_SHARE * abs(float(limit))
            uz, ue = UNITS.get(str(u), (str(u or ""), str(u or "")))
            step_z = f"（放宽1%：约束值 {num(float(limit)).lstrip('+')} → {num(new).lstrip('+')} {uz}）"
            step_e = f" (relaxed 1%: value {num(float(limit)).lstrip('+')} → {num(new).lstrip('+')} {ue})"
        out.append(f"{int(rank)}. " + tr((f"{wz} {nz}".strip() + step_z, f"{ne}, {we}".strip(", ") + step_e), lang, sep=" ")
                   + f"\n{text}")
    return out
