"""The planner workbook: one self-contained .xlsx per optimal plan, Chinese first (``lang`` zh|en|both).

Sheets, in order (names shown for ``lang="both"``)::

    摘要 brief              page one: the headline (万吨 and Mt), the largest changes, the binding measures ranked
                            by the sink a 1% relaxation adds, the estimates banner, and a guide to the other sheets
    地图 maps               choropleth maps (schematic), when a boundary source is available
    土地配置 allocation     target-year area and change by region × land use, change charts
    用地明细 allocation detail   every region, land use and milestone year
    地类转换 conversions    land converted between uses, by region and period
    碳账户 carbon           carbon account by region × term, carbon by land use, with every total explained
    碳账户明细 carbon detail     every term for every region and year
    草畜平衡 grazing        capacity of all grassland and of the grazed part, livestock, utilisation
    清洁能源 energy         PV land and clean capacity against the targets
    约束与影子价格 constraints  binding requirements ranked by the sink a 1% relaxation adds, then every constraint (capped)
    敏感性 sensitivity      coefficient ranging (what 'robust' refers to), rhs ranging, options left unused
    输入数据 inputs         echo of the inputs used
    运行信息 run            solver, timings, input hash, scenario, version

Written with xlsxwriter (:mod:`landopt.report.xlsx`): long tables are capped at what a planner reads and
written in full beside the workbook (``<plan>_tables/``); text from the inputs is never a formula; every
sheet prints landscape, one page wide, with its header row repeated and no chart cut by a page break.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from landopt.analysis.relax import MAX_COLUMNS as RELAX_MAX_COLUMNS
from landopt.analysis.relax import TIME_BUDGET_S as RELAX_TIME_S
from landopt.analysis.relax import TOP as RELAX_TOP
from landopt.report import sheets_land, sheets_lp, sheets_measures
from landopt.report.brief import (
    binding_measures,
    grassland_total_note,
    estimates_banner,
    headline,
    horizon_note,
    land_use_totals,
    top_changes,
    unchanged_roles,
    wetland_share,
)
from landopt.report.caveats import DEPENDS, Caveats
from landopt.report.caveats import HEADER as CAVEAT_HEADER
from landopt.report.caveats import RULE as CAVEAT_RULE
from landopt.report.context import HEADER_ROW, Ctx, make_ctx
from landopt.report.costs import cost_rows
from landopt.report.i18n import DEFAULT_LANG, SHEETS, check_lang, num, title_in, tr
from landopt.report.responses import RESPONSE_NOTE, RESPONSE_TITLE, RESPONSES_SHOWN, response_paragraphs
from landopt.report.style import BANNER_FILL
from landopt.report.xlsx import FMT_1, FMT_2, FMT_INT, Book, write_note, write_paragraph, write_table, write_title
from landopt.results import PlanResult

if TYPE_CHECKING:
    from landopt.report.map_draw import MapRequest
    from landopt.report.map_painter import MapPainter

log = logging.getLogger(__name__)

TOP_CHANGES, TOP_BINDING = 10, 8
#: page one's text columns wrap at these widths (characters) so that it prints one page wide at ≥ 73 %
BRIEF_WRAP, BASIS_WRAP = 18, 14
BRIEF_COLUMNS = 8  # the columns page one's paragraphs span (as its notes)

SHEET_GUIDE: dict[str, tuple[str, str]] = {
    "brief": ("结论、主要变化、起作用的约束及数据可信度", "the result, the main changes, what binds, how much rests on estimates"),
    "maps": ("各区域净碳汇与用地变化示意图", "schematic maps of net sink and land-use change by region"),
    "allocation": ("目标年各区域分地类面积与变化，附图", "target-year area and change by region and land use, with charts"),
    "allocation_all": ("各规划年份用地明细", "every milestone year in detail"),
    "conversions": ("各规划期地类转换面积", "land converted between uses in each period"),
    "carbon": ("碳账户（各分项及合计说明）", "carbon account with every total explained"),
    "carbon_all": ("各年份碳账户明细", "carbon account for every year"),
    "grazing": ("草畜平衡：全部草地与放牧草地的载畜量", "grass-livestock balance: capacity of all and of grazed grassland"),
    "energy": ("光伏用地与清洁能源装机", "PV land and clean-energy capacity"),
    "forest_stock": ("各区域各规划年份森林蓄积量", "forest growing stock by region and milestone"),
    "constraints": ("起作用的约束与影子价格；全部约束", "binding requirements and shadow prices; every constraint"),
    "sensitivity": ("碳系数与约束值的敏感性；未采用的方案", "sensitivity to coefficients and requirement values; unused options"),
    "inputs": ("本方案所用输入数据", "the inputs used"),
    "run": ("运行信息", "run details"),
}


def _brief(ctx: Ctx, map_keys: list[str]) -> None:
    book, res, lang = ctx.book, ctx.result, ctx.lang
    name = tr(SHEETS["brief"], lang)
    ctx.sheet_names["brief"] = name
    ws = book.sheet(name, None)
    write_title(book, ws, 0, f"{title_in(res.spec.title, lang)} — {tr(('规划摘要', 'plan brief'), lang)}")
    ws.merge_range(1, 0, 1, 7, estimates_banner(res, lang),
                   book.fmt(bold=True, bg_color=BANNER_FILL, text_wrap=True, valign="top", border=1))
    ws.set_row(1, 36 if lang == "both" else 22)

    r = write_title(book, ws, 3, tr(("结论", "Headline"), lang), level=2)
    h = headline(res)
    per_yr = h["unit"].str.endswith("/yr")
    h["item"] = [tr((z, e), lang) for z, e in zip(h["zh"], h["en"])]
    # cumulative (t CO2e) and per-year (t CO2e/yr) rows together: the value headers carry the scale only (吨, 万吨,
    # 百万吨) and each row's unit column says CO2e or CO2e/年, so no annual figure sits under a cumulative unit
    span = ctx.result.spec.horizon
    h["period"] = [ctx.t(("CO2e/年（每年）", "CO2e/yr (per year)") if p else (f"CO2e（{span}年累计）", f"CO2e (cumulative {span})"))
                   for p in per_yr]
    cav = Caveats.of(res.spec, lang)
    h["basis"] = cav.flag(cav.carbon)
    one = per_yr.all() or not per_yr.any()  # one unit for every row: it goes in the headers
    suffix = (" CO2e/yr" if per_yr.all() else " CO2e") if one else ""
    cols = ["item", "t", "t10k", "mt", "basis"] if one else ["item", "period", "t", "t10k", "mt", "basis"]
    hb = write_table(book, ws, h[cols], r, name="Headline", autofilter=False, wrap_over=BRIEF_WRAP, wrap={"basis": BASIS_WRAP},
                     headers={"item": ctx.t("item"), "period": ctx.t("unit"),
                              "basis": ctx.t(CAVEAT_HEADER),
                              "t": ctx.h(("数值", "value"), "t" + suffix), "t10k": ctx.h(("数值", "value"), "10kt" + suffix),
                              "mt": ctx.h(("数值", "value"), "Mt" + suffix)},
                     formats={"t": FMT_INT, "t10k": FMT_2, "mt": FMT_2})
    r = hb.end_row + 1
    note = horizon_note(res)
    if note is not None:  # the horizon runs past the target year
        r = write_note(book, ws, r, tr(note, lang), wrap_cols=8)
    fossil, annual = res.metadata.get("memo_fossil_emissions_t_co2_per_yr"), res.metadata.get("annual_target_t_co2e_per_yr")
    if fossil and annual is not None:  # the memo the settings promise beside the land sink (never in the objective)
        share = f"{annual / fossil * 100:,.0f}%"
        r = write_note(book, ws, r, tr((
            f"备注（不计入目标函数）：化石能源和水泥CO2排放 {fossil:,.0f} 吨CO2/年（运行设置 memo_fossil_emissions_t_co2_per_yr）；"
            f"目标年土地净碳汇相当于其 {share}。",
            f"Memo (not in the objective): fossil-energy and cement CO2 {fossil:,.0f} t CO2/yr (setting "
            f"memo_fossil_emissions_t_co2_per_yr); the target year's land sink equals {share} of it."), lang), wrap_cols=8)
    marsh = wetland_share(res)
    if marsh is not None:  # how much of the headline rests on land remaining wetland, which inventories leave out
        r = write_note(book, ws, r, tr(marsh, lang), wrap_cols=8)
    if "objective" in set(h["key"]):
        obj = float(res.objective or 0.0)
        kind = ("净碳汇", "net sink") if obj >= 0 else ("净碳源", "net source")
        r = write_note(book, ws, r, tr((f"方案为{kind[0]}：正值表示从大气中移除CO2。",
                                        f"The plan is a {kind[1]}: positive = CO2 removed from the atmosphere."), lang))
    if res.metadata.get("objective_replaced"):
        r = write_note(book, ws, r, tr((
            f"注意：本方案求解的目标函数已由用户在 Pyomo 中替换，不是净碳汇（用户目标的最优值 {num(res.objective or 0.0, 6)}）；"
            "上表碳汇数字是按本方案计算的净碳汇，影子价格是用户目标的影子价格。",
            f"Note: the objective solved was replaced by the user in Pyomo and is not the net sink (the user's optimum "
            f"{num(res.objective or 0.0, 6)}); the carbon figures above are this plan's net sink, and the shadow prices "
            "are those of the user's objective."), lang), wrap_cols=8)
    least = res.metadata.get("tie_break") == "least_change"
    r = write_note(book, ws, r, tr((
        ("碳汇同样最大的方案通常不止一个（例如光伏在各地区之间的分布、牲畜在各地区之间的分布）；本方案是其中变动最小的："
         "地类转换不早于、不多于最优所需，各地牲畜数量在规划年份之间变化最小，禁牧休牧优先安排在退化草地，"
         "光伏按各地光伏适宜用地等比例布局。" if least else
         "本方案是碳汇最大的方案之一，通常不唯一：不少用地安排（例如碳汇相同的用途，如光伏，在各地区之间的分布）改变后碳汇不变或几乎不变。")
        + "哪些变化是必需的、哪些可调，用 landopt ranges 查看；其他近优方案用 landopt alternatives 生成。",
        ("Several plans usually reach the same largest sink (e.g. where PV goes, where the herd grazes); this is the one "
         "that changes least: no conversion earlier or larger than the optimum needs, each region's herd moves least "
         "between milestones, ban/rest on degraded grassland first, PV spread by each region's PV-suitable land. "
         if least else
         "This plan is one of the plans with the largest sink, usually not the only one: many allocations (e.g. which "
         "region takes a use whose carbon is the same everywhere, such as PV) can change at no or almost no cost in sink. ")
        + "landopt ranges shows which changes are required and which are free; landopt alternatives writes other "
        "near-optimal plans."), lang), wrap_cols=8)
    r = cost_rows(ctx, ws, r, cav)

    r = write_title(book, ws, r + 1, tr((f"全区分地类变化（{ctx.baseline_year}→{ctx.target_year}年）",
                                          f"Change by land use, all regions ({ctx.baseline_year}→{ctx.target_year})"), lang), level=2)
    t = land_use_totals(res)
    t.insert(0, "name", ctx.lu_names(t["land_use"]))
    t["basis"] = cav.flag((*cav.carbon, *DEPENDS["area"]))
    tb = write_table(book, ws, t[["name", "change_ha", "change_10k_mu", "change_pct", "basis"]], r, name="BriefLandUse",
                     autofilter=False, wrap_over=BRIEF_WRAP, wrap={"basis": BASIS_WRAP},
                     headers={"name": ctx.t("land_use"), "change_ha": ctx.h("change", "ha"), "basis": ctx.t(CAVEAT_HEADER),
                              "change_10k_mu": ctx.h("change", "mu10k"), "change_pct": ctx.h("change_pct", "%")},
                     formats={"change_ha": FMT_INT, "change_10k_mu": FMT_2, "change_pct": FMT_1})

    grass = grassland_total_note(res)
    end = write_note(book, ws, tb.end_row + 1, tr(grass, lang), wrap_cols=8) - 1 if grass else tb.end_row
    r = write_title(book, ws, end + 2, tr(("变化最大的区域与地类（另列耕地和各类建设用地中变化最大的一项）",
                                                   "Largest changes by region and land use (plus the largest change of "
                                                   "cropland and of each kind of construction land)"),
                                                  lang), level=2)
    c = top_changes(res, TOP_CHANGES)
    unchanged = unchanged_roles(res)
    if unchanged:
        r = write_note(book, ws, r, tr((
            "在各区域均无变化：" + "、".join(ctx.names.lu_zh.get(x) or x for x in unchanged) + "。",
            "Unchanged in every region: " + ", ".join(unchanged) + "."), lang), wrap_cols=8)
    c["region_name"] = ctx.region_names(c["region"])
    c["land_use_name"] = ctx.lu_names(c["land_use"])
    c["basis"] = [cav.flag((*cav.carbon, *DEPENDS["area"]), reg) for reg in c["region"]]
    cb = write_table(book, ws, c[["region_name", "land_use_name", "baseline_ha", "area_ha", "change_ha", "change_10k_mu", "change_pct",
                                  "basis"]],
                     r, name="BriefTopChanges", autofilter=False, wrap_over=BRIEF_WRAP, wrap={"basis": BASIS_WRAP},
                     headers={"region_name": ctx.t("region"), "land_use_name": ctx.t("land_use"), "basis": ctx.t(CAVEAT_HEADER),
                              "baseline_ha": ctx.h("baseline", "ha"), "area_ha": ctx.h(("目标年面积", "target year"), "ha"),
                              "change_ha": ctx.h("change", "ha"), "change_10k_mu": ctx.h("change", "mu10k"),
                              "change_pct": ctx.h("change_pct", "%")},
                     formats={"baseline_ha": FMT_INT, "area_ha": FMT_INT, "change_ha": FMT_INT, "change_10k_mu": FMT_2,
                              "change_pct": FMT_1})

    r = write_title(book, ws, cb.end_row + 2, tr(("起作用的主要约束（按放宽1%可增加的碳汇排序）", "Binding measures, by the sink a 1% relaxation adds"),
                                                   lang), level=2)
    b = binding_measures(res, lang, TOP_BINDING, exact_first=True)
    b.insert(0, "rank", range(1, len(b) + 1))
    b["effect_10kt"] = b["effect"] / 1e4
    b["effect_low_10kt"] = b["effect_low"] / 1e4
    b["effect_exact_10kt"] = b["effect_exact"] / 1e4
    b["basis"] = [cav.flag((*cav.carbon, (str(sh), str(co) if isinstance(co, str) and co else None)), reg)
                  for sh, co, reg in zip(b.get("sheet", [""] * len(b)), b.get("column", [None] * len(b)),
                                         b.get("region", [None] * len(b)))]
    unit10k = "10kt CO2e" if ctx.result.metadata.get("objective_unit") == "t CO2e" else "10kt CO2e/yr"
    bb = write_table(book, ws, b[["rank", "requirement", "sentence", "effect_exact_10kt", "effect_low_10kt", "effect_10kt",
                                  "basis"]], r,
                     name="BriefBinding",
                     autofilter=False, wrap={"requirement": BRIEF_WRAP, "basis": BASIS_WRAP},
                     headers={"rank": ctx.t("rank"), "requirement": ctx.t("requirement"), "sentence": ctx.t("meaning"),
                              "basis": ctx.t(CAVEAT_HEADER),
                              "effect_10kt": ctx.h("total_effect", unit10k), "effect_low_10kt": ctx.h("effect_low", unit10k),
                              "effect_exact_10kt": ctx.h("effect_exact", unit10k)},
                     formats={"rank": FMT_INT, "effect_10kt": FMT_2, "effect_low_10kt": FMT_2, "effect_exact_10kt": FMT_2},
                     wrap_over=24)
    r = write_note(book, ws, bb.end_row + 1, tr((
        "放宽1%可增碳汇（重新求解）：约束放宽1%（下限降低、上限提高）后重新求解的净碳汇增量，据此排序；"
        "上限 = |影子价格| × 1% × 约束值，下限 = 影子价格有效区间内的部分（见敏感性表）。"
        f"只重新求解前{RELAX_TOP}项（变量超过{RELAX_MAX_COLUMNS:,}个或累计超过{RELAX_TIME_S:.0f}秒时不再求解），其余为空、按上限排序；"
        "全部起作用的约束见“约束与影子价格”表。" if len(b) else "无政策约束限制净碳汇。",
        "Re-solved gain: the net sink gained by solving again with the requirement relaxed 1% (floor lowered, cap "
        "raised); it sets the rank. Upper bound = |shadow price| × 1% × value; lower bound = the part where the price "
        f"holds (sensitivity sheet). Only the top {RELAX_TOP} are re-solved (none above {RELAX_MAX_COLUMNS:,} variables "
        f"or after {RELAX_TIME_S:.0f} s); others blank, ranked by the upper bound."
        if len(b) else "No policy requirement limits the net sink."), lang), wrap_cols=8)
    r = write_note(book, ws, r, ctx.t(CAVEAT_RULE), wrap_cols=8)
    if cav.legend():
        r = write_note(book, ws, r, cav.legend(), wrap_cols=8)
    r = _responses(ctx, ws, b, r)

    r = write_title(book, ws, r + 1, tr(("工作表导览", "Sheets in this workbook"), lang), level=2)
    # the maps sheet is made after this one: listed when there are maps to draw
    keys = [k for k in SHEET_GUIDE if k in ctx.sheet_names or k in _ORDER or (k == "maps" and map_keys)]
    guide = pd.DataFrame({"sheet": [tr(SHEETS[k], lang) for k in keys], "contents": [tr(SHEET_GUIDE[k], lang) for k in keys]})
    write_table(book, ws, guide, r, name="SheetGuide", autofilter=False, wrap_over=BRIEF_WRAP, headers={"sheet": ctx.t("sheet"), "contents": ctx.t("contents")})
    ws.freeze_panes(2, 0)


def _responses(ctx: Ctx, ws: Any, b: pd.DataFrame, r: int) -> int:
    """How the plan adjusts to the first binding measures relaxed by 1 % (re-solved): one wrapped paragraph each
    under a heading (the paragraphs are a page wide; a column of the table above would not fit on page one)."""
    paragraphs = response_paragraphs(b, ctx.names, ctx.lang, RESPONSES_SHOWN)
    if not paragraphs:
        return r
    book = ctx.book
    r = write_title(book, ws, r + 1, ctx.t(RESPONSE_TITLE), level=2)
    r = write_note(book, ws, r, ctx.t(RESPONSE_NOTE), wrap_cols=BRIEF_COLUMNS)  # ≤ 6 lines, as every note row
    for cell in paragraphs:
        r = write_paragraph(book, ws, r, cell, BRIEF_COLUMNS, max_lines=12)
    return r


_ORDER = ("allocation", "allocation_all", "conversions", "carbon", "carbon_all", "grazing", "energy", "forest_stock",
          "constraints",
          "sensitivity", "inputs", "run")


def write_plan_workbook(result: PlanResult, path: str | Path, lang: str = DEFAULT_LANG,
                        maps: "bool | MapPainter" = True) -> Path:
    """Write the planner workbook for an optimal ``result`` to ``path`` atomically; returns ``path``.

    ``lang``: zh, en or both (Chinese first).  ``maps``: draw choropleth maps when a boundary source is
    available (never fails the plan); a :class:`~landopt.report.map_painter.MapPainter` draws them in its own
    process while the other sheets are written.  Long tables beyond the workbook's caps are written in full to
    ``<path stem>_tables/`` beside it.  Raises ValueError for a result that is not optimal.
    """
    check_lang(lang)
    if not result.optimal:
        raise ValueError(f"the plan workbook needs an optimal result; this run is {result.status!r}: {result.message}")
    path = Path(path)
    book = Book(path, lang)
    try:
        ctx = make_ctx(result, book, lang)
        maps_to_draw = _map_request(result, path, lang, maps) if maps else None
        keys = maps_to_draw.keys if maps_to_draw is not None else []
        _brief(ctx, keys)
        maps_ws = _maps_sheet(ctx) if keys else None
        for key in _ORDER:
            getattr(next(m for m in (sheets_land, sheets_measures, sheets_lp) if hasattr(m, key)), key)(ctx)
        if maps_ws is not None:
            _insert_maps(maps_ws, _map_images(maps_to_draw, maps))
        book.wb.set_properties({"title": f"{title_in(result.spec.title, lang)} — landopt plan",
                                "author": f"landopt {result.metadata.get('landopt_version', '')}".strip()})
    except BaseException:
        book.discard()
        raise
    log.info("writing the plan workbook %s (%d sheets)", path, len(book.wb.worksheets()))
    return book.close()


def preload_maps(spec: Any, path: str | Path, painter: "MapPainter") -> None:
    """Have ``painter`` read the regions' boundary files now (``landopt solve`` calls it once the inputs are read, so
    that the painter parses them while the plan is built and solved).  Never raises."""
    try:
        from landopt.report.map_draw import BoundaryFiles
        from landopt.report.maps import plan_boundary_source

        b = plan_boundary_source(spec, Path(path).parent)
        if isinstance(b, BoundaryFiles) and painter.failed is None:
            painter.preload(b)
    except Exception as e:  # a map must never fail the plan; the request reads the boundaries itself
        log.info("map boundaries not read ahead (%s)", e)


def start_maps(result: PlanResult, path: str | Path, lang: str, painter: "MapPainter") -> None:
    """Send the plan's maps to ``painter`` now, as soon as the plan's tables exist (``landopt solve`` calls it before
    the sensitivity analysis), so that they are drawn while the rest is computed and written;
    :func:`write_plan_workbook` with the same painter and ``path`` then inserts them instead of asking again.
    Never raises: without the painter the writer draws the maps itself.  A plan that is not optimal has no maps."""
    if not result.optimal or painter.prepared or painter.failed is not None:
        return
    painter.request = _map_request(result, Path(path), lang, painter)
    painter.prepared = painter.failed is None


def _map_request(result: PlanResult, path: Path, lang: str, maps: "bool | MapPainter") -> "MapRequest | None":
    """What the maps will show (sent to the painter at once when there is one), or None: no maps."""
    try:
        from landopt.report.map_painter import MapPainter
        from landopt.report.maps import cjk_font, map_request
    except ImportError as e:  # matplotlib missing
        log.info("no maps in the plan: %s", e)
        return None
    if isinstance(maps, MapPainter) and maps.prepared and maps.failed is None:
        return maps.request  # sent by start_maps
    try:
        painter = maps if isinstance(maps, MapPainter) and maps.failed is None else None
        font = None
        if painter is not None:
            try:
                font = painter.font()
            except RuntimeError as e:
                log.info("%s; the maps are drawn in this process", e)
                painter = None
        req = map_request(result, path.parent, lang, font if painter is not None else cjk_font())
        if req is not None and painter is not None:
            try:
                painter.submit(req)
            except RuntimeError as e:
                log.info("%s; the maps are drawn in this process", e)
        return req
    except Exception as e:  # a map must never fail the plan
        log.warning("no maps in the plan: preparing them failed (%s)", e)
        return None


def _map_images(req: "MapRequest", maps: "bool | MapPainter") -> list[tuple[str, bytes]]:
    """The PNG maps (key, bytes) of ``req``: from the painter, else drawn here; none (logged) if drawing fails."""
    from landopt.report.map_draw import draw
    from landopt.report.map_painter import MapPainter

    if isinstance(maps, MapPainter) and maps.failed is None:
        try:
            return maps.result()
        except RuntimeError as e:
            log.info("%s; the maps are drawn in this process", e)
    try:
        return draw(req)
    except Exception as e:  # a map must never fail the plan
        log.warning("no maps in the plan: drawing them failed (%s)", e)
        return []


def _maps_sheet(ctx: Ctx) -> Any:
    """The maps sheet (second in the workbook) with its title; the images are inserted last (:func:`_insert_maps`)."""
    ws = ctx.sheet("maps")
    ctx.title(ws, "maps", ("示意图，不作为行政区划界线依据；边界来源见图注。", "Schematic maps, not authoritative boundaries; the boundary source is named on each map."),
              estimates=False)
    return ws


def _insert_maps(ws: Any, images: list[tuple[str, bytes]]) -> None:
    import io

    row, breaks = HEADER_ROW, []
    for _key, png in images:
        breaks.append(row)
        ws.insert_image(row, 0, f"{_key}.png", {"image_data": io.BytesIO(png), "x_scale": 0.75, "y_scale": 0.75})
        row += 30
    ws.set_h_pagebreaks(breaks[1:])  # the first map prints under the title (a break there left the title alone)
