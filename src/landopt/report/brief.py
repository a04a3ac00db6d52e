"""Page one as data: the headline, the largest changes, the binding measures and the estimates banner.

The plan workbook's first sheet and the PDF brief (:mod:`landopt.report.pdf`) are drawn from these tables,
so both say the same thing.  Nothing here writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from landopt.analysis.relax import PRICE_TOL, relax_one_percent
from landopt.constraint_table import price_holds_one_way
from landopt.report.i18n import DEFAULT_LANG, HA_PER_10K_MU, ROLE_NAMES, num, requirement_noun, shadow_sentence, tr
from landopt.report.responses import response_words
from landopt.results import PlanResult

CONSTRUCTION = ("urban", "rural", "other_construction")
ISSUE12_KEYS = ("cumulative_t_co2e", "annual_target_t_co2e_per_yr", "reference_cumulative_t_co2e", "additional_t_co2e")


@dataclass
class Names:
    """Display names: region and land-use ids → Chinese names (from the input's name_zh columns), roles."""

    region_zh: dict[str, str]
    lu_zh: dict[str, str]
    roles: dict[str, str]
    regions: list[str]
    land_uses: list[str]

    def region(self, r: Any, lang: str = DEFAULT_LANG) -> str:
        return tr((self.region_zh.get(str(r), "") or str(r), str(r)), lang)

    def land_use(self, lu: Any, lang: str = DEFAULT_LANG) -> str:
        return tr((self.lu_zh.get(str(lu), "") or str(lu), str(lu)), lang)


def _zh(df: pd.DataFrame | None, key: str) -> dict[str, str]:
    if df is None or df.empty or "name_zh" not in df.columns:
        return {}
    return {str(k): str(v) for k, v in zip(df[key], df["name_zh"]) if isinstance(v, str) and v.strip()}


def names_of(result: PlanResult) -> Names:
    return names_of_spec(result.spec)


def names_of_spec(spec: Any) -> Names:
    """The display names of a :class:`~landopt.spec.ModelSpec` (regions and land uses in the workbook's order)."""
    roles = {str(k): str(v) for k, v in zip(spec.land_uses["land_use"], spec.land_uses["role"])}
    lu_zh = {lu: ROLE_NAMES.get(role, (lu, lu))[0] for lu, role in roles.items()} | _zh(spec.land_uses, "land_use")
    return Names(region_zh=_zh(spec.regions, "region"), lu_zh=lu_zh, roles=roles,
                 regions=[str(r) for r in spec.region_ids], land_uses=[str(x) for x in spec.land_use_ids])


# --------------------------------------------------------------------------- headline
def headline(result: PlanResult) -> pd.DataFrame:
    """Rows (key, zh, en, t, 万吨, Mt, unit_code): what the plan adds, cumulative and annual.

    With the carbon accounting of issue #12 in ``result.metadata`` (cumulative net removals, the
    target-year annual rate, the reference pathway and the additional removals) those are shown;
    otherwise the objective (net sink, t CO2e/yr).
    """
    meta = result.metadata
    rows: list[tuple[str, str, str, float, str]] = []
    if any(meta.get(k) is not None for k in ISSUE12_KEYS):
        spec = result.spec
        span = spec.horizon
        labels = {
            "additional_t_co2e": (f"方案新增碳汇（相对基准情景，{span}年累计）",
                                  f"additional removals against the reference ({span}, cumulative)", "t CO2e"),
            "cumulative_t_co2e": (f"累计净碳汇（{span}年）", f"cumulative net removals ({span})", "t CO2e"),
            "reference_cumulative_t_co2e": (f"基准情景累计净碳汇（{span}年）", f"reference pathway, cumulative ({span})",
                                            "t CO2e"),
            "annual_target_t_co2e_per_yr": (f"目标年（{int(spec.target_year)}年）净碳汇", 
                                            f"net removals in the target year {int(spec.target_year)}", "t CO2e/yr"),
            "annual_end_t_co2e_per_yr": (f"核算截止年（{int(spec.accounting_end_year)}年）净碳汇（用地保持"
                                         f"{int(spec.target_year)}年状态）",
                                         f"net removals in the accounting end year {int(spec.accounting_end_year)} (land "
                                         f"use held at {int(spec.target_year)})", "t CO2e/yr"),
        }
        for k in ("additional_t_co2e", "cumulative_t_co2e", "reference_cumulative_t_co2e", "annual_target_t_co2e_per_yr",
                  "annual_end_t_co2e_per_yr"):
            v = meta.get(k)
            if v is not None:
                zh, en, u = labels[k]
                rows.append((k, zh, en, float(v), u))
    else:
        obj = float(result.objective or 0.0)
        years = result.spec.settings.get("objective_years")
        if years == "all":
            zh, en = "净碳汇（各规划年份合计）", "net carbon sink, summed over the milestone years"
        else:
            zh, en = f"目标年（{int(result.spec.target_year)}年）净碳汇", f"net carbon sink in the target year {int(result.spec.target_year)}"
        rows.append(("objective", zh, en, obj, result.metadata.get("objective_unit", "t CO2e/yr")))
    df = pd.DataFrame(rows, columns=["key", "zh", "en", "t", "unit"])
    df["t10k"] = df["t"] / 1e4
    df["mt"] = df["t"] / 1e6
    return df


def horizon_note(result: PlanResult) -> tuple[str, str] | None:
    """What cumulative figures counted past the target year mean (``settings.accounting_end_year`` later than the
    target year), Chinese and English; None when the horizon ends at the target year.  The plan workbook's brief
    and the PDF brief show it under the headline."""
    spec = result.spec
    end, ty, by = int(spec.accounting_end_year), int(spec.target_year), int(spec.baseline_year)
    if end <= ty:
        return None
    return (f"累计量计至{end}年末（核算截止年，settings.accounting_end_year）：{ty}年后用地保持{ty}年状态、"
            f"牲畜保持{ty}年数量，地类转换的后续碳变化（林木生长、土壤碳变化）计入至{end}年；保持原地类土地的"
            f"年净通量按不变计；{ty}年后的成本与各项约束不计。累计量是{by + 1}–{end}年各年净碳汇之和，"
            f"不是{end}年当年的碳收支（见上表{end}年净碳汇）。",
            f"Cumulative figures run to the end of {end} (the accounting end year, settings.accounting_end_year): after "
            f"{ty} land use stays at its {ty} state and the herd at its {ty} number, and the conversions' later carbon "
            f"(tree growth, soil change) counts up to {end}; land remaining in its use keeps its annual flux; costs and "
            f"requirements after {ty} are not counted. The cumulative figure sums every year's net removals "
            f"{by + 1}–{end}; it is not the {end} balance itself (the {end} rate above).")


def headline_sentence(result: PlanResult, lang: str = DEFAULT_LANG) -> str:
    h = headline(result).iloc[0]
    per_yr = h["unit"].endswith("/yr")
    zh = f"{h['zh']}：{num(h['t10k'], 5).lstrip('+')} 万吨CO2e{'/年' if per_yr else ''}（{h['mt']:,.2f} 百万吨）"
    en = f"{h['en']}: {h['mt']:,.2f} Mt CO2e{'/yr' if per_yr else ''} ({h['t10k']:,.1f} × 10 kt)"
    return tr((zh, en), lang, sep="\n")


# --------------------------------------------------------------------------- changes
def land_use_totals(result: PlanResult) -> pd.DataFrame:
    """Target-year change from the baseline by land use, all regions: baseline_ha, area_ha, change_ha, change_pct."""
    a = result.allocation.reset_index()
    t = a[a["year"] == int(result.spec.target_year)].groupby("land_use", sort=False)[["baseline_ha", "area_ha", "change_ha"]].sum()
    order = [lu for lu in names_of(result).land_uses if lu in t.index]
    t = t.reindex(order)
    with np.errstate(divide="ignore", invalid="ignore"):
        t["change_pct"] = np.where(t["baseline_ha"] > 0, t["change_ha"] / t["baseline_ha"] * 100, np.nan)
    t["change_10k_mu"] = t["change_ha"] / HA_PER_10K_MU
    return t.reset_index()


def top_changes(result: PlanResult, n: int = 10) -> pd.DataFrame:
    """The largest target-year changes by (region, land use); the largest cropland and construction change is
    always included (they are small in hectares but what a plan is judged on)."""
    nm = names_of(result)
    a = result.allocation.reset_index()
    t = a[a["year"] == int(result.spec.target_year)][["region", "land_use", "baseline_ha", "area_ha", "change_ha"]].copy()
    t["region"] = t["region"].astype(str)
    t["land_use"] = t["land_use"].astype(str)
    t["role"] = t["land_use"].map(nm.roles)
    t = t[t["change_ha"].abs() > 1e-6]
    order = t["change_ha"].abs().sort_values(ascending=False).index
    picked = list(order[:n])
    for role in ("cropland", *CONSTRUCTION):
        sub = t[t["role"] == role]
        if not sub.empty:
            i = sub["change_ha"].abs().idxmax()
            if i not in picked:
                picked.append(i)
    out = t.loc[picked].copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(out["baseline_ha"] > 0, out["change_ha"] / out["baseline_ha"] * 100, np.nan)
    out["change_10k_mu"] = out["change_ha"] / HA_PER_10K_MU
    return out.reset_index(drop=True)


def unchanged_roles(result: PlanResult) -> list[str]:
    """The land uses of the roles :func:`top_changes` always lists (cropland, each construction role) that change in
    no region by the target year: said in words, since they have no row to show."""
    nm = names_of(result)
    a = result.allocation.reset_index()
    t = a[a["year"] == int(result.spec.target_year)]
    moved = set(t.loc[t["change_ha"].abs() > 1e-6, "land_use"].astype(str))
    return [lu for lu in nm.land_uses if nm.roles.get(lu) in ("cropland", *CONSTRUCTION) and lu not in moved]


def grassland_total_note(result: PlanResult) -> tuple[str, str] | None:
    """Good and degraded grassland together are the land survey's 草地: their joint change and how much of the good
    grassland's gain is restoration (degraded → good: a change of condition, not of land use).  None without both,
    or when grassland does not grow."""
    t = land_use_totals(result)
    roles = names_of(result).roles
    role = t["land_use"].map(roles)
    if not (role == "grassland").any() or not (role == "degraded_grassland").any():
        return None
    good = float(t.loc[role == "grassland", "change_ha"].sum())
    both = good + float(t.loc[role == "degraded_grassland", "change_ha"].sum())
    c = result.conversions.reset_index() if not result.conversions.empty else None
    restored = 0.0 if c is None else float(c.loc[(c["from_land_use"].map(roles) == "degraded_grassland")
                                                  & (c["to_land_use"].map(roles) == "grassland"), "area_ha"].sum())
    if good <= 0 or restored <= 0:
        return None
    return (f"草地与退化草地合计即国土调查的草地：合计变化 {num(both)} 公顷；草地增加的 {good:,.0f} 公顷中，"
            f"{restored:,.0f} 公顷为退化草地恢复（草地内部的状况变化，不是地类转换）。",
            f"Grassland and degraded grassland together are the land survey's grassland (草地): together {num(both)} ha; "
            f"of grassland's gain of {good:,.0f} ha, {restored:,.0f} ha is degraded grassland restored (a change of "
            f"condition within grassland, not of land use).")


#: the wetland part of the cumulative net sink is said on page one from this share of it on
WETLAND_NOTE_SHARE = 0.10


def wetland_share(res: PlanResult) -> tuple[str, str] | None:
    """'其中湿地计入 … (38%)…' when land of role wetland carries at least :data:`WETLAND_NOTE_SHARE` of the
    cumulative net sink (stock-change accounting): a marsh's own flux is measured at few sites, and national
    inventories leave unmanaged natural wetland out (IPCC 2006 Vol. 4 ch. 7 covers peat extraction and flooded land)."""
    c = res.carbon_by_land_use
    total = res.metadata.get("cumulative_t_co2e")
    if c is None or c.empty or not total or "cumulative_t_co2e" not in c.columns:
        return None
    roles = names_of(res).roles
    wet = [lu for lu, role in roles.items() if role == "wetland"]
    last = c.index.get_level_values("year").max()
    part = c[c.index.get_level_values("land_use").isin(wet) & (c.index.get_level_values("year") == last)]
    v = float(part["cumulative_t_co2e"].sum())
    if v < WETLAND_NOTE_SHARE * total:
        return None
    share, rest = v / total, total - v
    return (f"其中湿地计入 {v:,.0f} 吨CO2e（占累计净碳汇 {share:.0%}），主要为保持原状湿地的净通量（carbon_stocks 表 "
            f"remaining_flux_tC_per_ha_yr 与甲烷，来源与是否核实见 sources 表）；国家温室气体清单通常不计未经管理的自然湿地"
            f"（IPCC 2006 第4卷第7章），不计此项的累计净碳汇为 {rest:,.0f} 吨CO2e。",
            f"Of it, wetland counts {v:,.0f} t CO2e ({share:.0%} of the cumulative net sink), mostly wetland remaining "
            f"wetland at its own flux (carbon_stocks.remaining_flux_tC_per_ha_yr and CH4; source and status in the sources "
            f"sheet); national inventories usually leave unmanaged natural wetland out (IPCC 2006 Vol. 4 ch. 7): without "
            f"it the cumulative net sink is {rest:,.0f} t CO2e.")


# --------------------------------------------------------------------------- binding measures
def binding_measures(result: PlanResult, lang: str = DEFAULT_LANG, n: int | None = None,
                     worded: int | None = None, exact_first: bool = False) -> pd.DataFrame:
    """Policy rows with a non-zero shadow price, ranked by what relaxing each by 1 % of its value would add to the
    net sink.

    ``effect`` = |shadow price| × 1 % × |requirement value| — the gain (in the objective's unit) if the requirement
    were relaxed by 1 % (a floor lowered, a cap raised, an equality moved the way that adds sink) *at the current
    shadow price*.  The LP's value is concave in a requirement's value, so this is an upper bound on the true gain;
    ``effect_low`` = |shadow price| × min(1 % × |requirement value|, the distance to the end of the interval over which
    the price holds, from ``result.rhs_ranging``) is a lower bound, exact where the two are equal; ``effect_exact``
    the gain re-solved (``result.relax_exact``, :mod:`landopt.analysis.relax`: the rows needed for the top ten, NaN
    elsewhere).  Ranking by ``effect`` compares rows in ha, MW and sheep units on one scale (a relative
    sensitivity); ``exact_first``: rank the re-solved rows by their exact gain ahead of the rest (the brief's top
    rows: no row left out can beat them).  A requirement's value is its ``limit`` as the plan sets it (a conversion-
    rate limit: share × the previous area), so rates rank by their real 1 %; a limit of 0 has none and ranks last.  ``n``: the first n rows only; ``worded``: sentences for the first ``worded``
    rows only (the rest are left blank: they go to a file).
    """
    c = result.constraints
    cols = ["constraint", "label", "family", "sense", "rhs", "limit", "unit", "lever", "shadow_price", "sheet", "row",
            "column", "region", "land_use", "year", "per_input"]
    if c.empty or "shadow_price" not in c.columns:
        return pd.DataFrame(columns=cols + ["effect", "effect_low", "effect_exact", "requirement", "sentence"])
    b = c[c["policy"].astype(bool) & (c["shadow_price"].abs() > PRICE_TOL)]
    b = b[[x for x in cols if x in b.columns]].copy()
    b["effect"], b["effect_low"] = relax_one_percent(b, result.rhs_ranging)
    ex = result.relax_exact
    b["effect_exact"] = (ex.drop_duplicates("label").set_index("label")["gain_exact"].reindex(b["label"]).to_numpy(dtype=float)
                         if not ex.empty else np.nan)
    b = b.reindex(b["effect"].abs().sort_values(ascending=False, kind="stable").index)
    if exact_first and b["effect_exact"].notna().any():  # the re-solved rows by their exact gain, then the rest
        done = b["effect_exact"].notna()
        b = pd.concat([b[done].reindex(b.loc[done, "effect_exact"].sort_values(ascending=False, kind="stable").index),
                       b[~done]])
    if n is not None:
        b = b.head(n)
    nm = names_of(result)
    last = b.drop_duplicates("constraint", keep="last")  # one noun per constraint (the last row's lever, as before)
    nouns = {k: tr(requirement_noun(k, lv), lang) for k, lv in zip(last["constraint"].tolist(), last["lever"].tolist())}
    b["requirement"] = b["constraint"].map(nouns)
    user = (b["constraint"] == "user_constraint").to_numpy()
    if user.any():  # a constraint the user added to the Pyomo model: its own name
        b.loc[user, "requirement"] = [tr((f"用户约束 {x}", f"user constraint {x}"), lang) for x in b.loc[user, "label"]]
    w = b.head(len(b) if worded is None else worded)
    none = [None] * len(w)
    ou = result.metadata.get("objective_unit", "t CO2e/yr")
    one_way = price_holds_one_way(w["label"], w["rhs"], result.rhs_ranging).tolist()
    sentences = [user_sentence(lab, p, ou, lang) if k == "user_constraint" else
                 shadow_sentence(k, lv, u, p, r, y, lu, nm.region_zh, nm.lu_zh, lang, objective_unit=ou, one_way=ow,
                                 per_input=pi)
                 for k, lab, lv, u, p, r, y, lu, ow, pi in zip(w["constraint"], w["label"], w["lever"], w["unit"],
                                                               w["shadow_price"], w.get("region", none),
                                                               w.get("year", none), w.get("land_use", none), one_way,
                                                               w.get("per_input", none))]
    b["sentence"] = sentences + [None] * (len(b) - len(w))
    resp = result.relax_response
    if resp is not None and not resp.empty:
        by: dict[str, list[dict[str, Any]]] = {}
        for rec in resp.to_dict("records"):  # plain records: a few words per row, no frame operations
            by.setdefault(rec["label"], []).append(rec)
        span = str(result.metadata.get("horizon") or "")
        b["response"] = [response_words(by[x], nm, lang, ou, span) if x in by else None for x in b["label"]]
    else:
        b["response"] = None
    return b.reset_index(drop=True)


def user_sentence(name: str, price: float, objective_unit: str, lang: str = DEFAULT_LANG) -> str:
    """The shadow price of a constraint the user added to the Pyomo model, in words (Chinese first)."""
    cum = objective_unit == "t CO2e"
    zh = f"用户约束 {name} 的右端值每增加1个单位，{'累计净碳汇' if cum else '净碳汇'}变化 {num(price)} {'吨CO2e' if cum else '吨CO2e/年'}"
    en = (f"One more unit of the right-hand side of the user constraint {name} changes "
          f"{'the cumulative net removals' if cum else 'the net sink'} by {price:+,.4g} {objective_unit}")
    return tr((zh, en), lang, sep="；")


def tight_free_count(result: PlanResult) -> int:
    """Policy rows at their limit (zero slack) whose shadow price is zero: tight but not limiting the sink."""
    c = result.constraints
    if c.empty or "slack" not in c.columns:
        return 0
    tol = 1e-6 * np.maximum(1.0, c["rhs"].abs())
    tight = c["policy"].astype(bool) & (c["slack"].abs() <= tol)
    return int((tight & (c["shadow_price"].abs() <= PRICE_TOL)).sum())


# --------------------------------------------------------------------------- estimates
def source_counts(result: PlanResult) -> dict[str, int]:
    """Figures in the inputs' sources sheet by status: verified, estimate, other."""
    s = result.spec.sources
    if s is None or s.empty or "status" not in s.columns:
        return {"verified": 0, "estimate": 0, "other": 0, "total": 0}
    st = s["status"].astype(str).str.strip().str.lower()
    v, e = int((st == "verified").sum()), int(st.isin(["estimate", "illustrative"]).sum())
    return {"verified": v, "estimate": e, "other": int(len(st) - v - e), "total": int(len(st))}


def estimates_banner(result: PlanResult, lang: str = DEFAULT_LANG, what: str = "plan") -> str:
    """The count of verified and estimated input figures; a plan (``what="plan"``) or comparison
    (``what="comparison"``) resting mostly on estimates (more than half) says so."""
    c = source_counts(result)
    zh_what, en_what = ("本比较", "This comparison") if what == "comparison" else ("本方案", "This plan")
    if c["total"] == 0:
        zh = "输入未列出数据来源（sources 表为空）：无法判断哪些数据已核实。"
        en = "The inputs list no sources (empty sources sheet): which figures are verified is unknown."
    else:
        most = c["estimate"] * 2 > c["total"]
        zh = (f"数据来源：{c['total']} 项输入数据中 {c['verified']} 项已核实、{c['estimate']} 项为估算"
              + (f"、{c['other']} 项未标注" if c["other"] else "") + (f"。{zh_what}主要基于估算数据，结果仅供参考。" if most else "。"))
        en = (f"Sources: of {c['total']} input figures {c['verified']} are verified and {c['estimate']} are estimates"
              + (f", {c['other']} unlabelled" if c["other"] else "")
              + (f". {en_what} rests mostly on estimates: read its figures as indicative." if most else "."))
    return tr((zh, en), lang, sep="\n")
